import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// λ = 700/s, 10 ms, 10 servers: ρ = 70%; Erlang C(c = 10, A = 7) = 0.2217 (published Erlang C
// tables; exact sums in app/src/ssr_tests/simulators.rs); p99 wait ≤ 20 ms needs 9 servers.
test('queueing shows the M/M/c figures on first load', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/queueing');
  await calc.expectMetric('q-utilization', '70%');
  await calc.expectMetric('q-p-wait', '22.17%');
  await calc.expectMetric('q-mean-wait', '739 µs');
  await calc.expectMetric('q-servers', '9');
  await calc.expectMetric('q-naive', '7');
  expect(errors).toEqual([]);
});

test('typing an arrival rate updates the queueing figures and the URL', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/queueing');
  await calc.set('q_rate', '800');
  // 800/s × 10 ms / 10 = 80%; Erlang C(10, 8) = 0.40918; p99 = ln(40.918)/200 = 18.6 ms with
  // 10 servers (9 give 41.8 ms); ⌈8⌉ = 8.
  await calc.expectMetric('q-utilization', '80%');
  await calc.expectMetric('q-p-wait', '40.92%');
  await calc.expectMetric('q-servers', '10');
  await calc.expectMetric('q-naive', '8');
  await expect(page).toHaveURL(/q_rate=800/);
  expect(errors).toEqual([]);
});

test('an overloaded queue says so instead of showing NaN', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/queueing');
  await calc.set('q_rate', '1100');
  await expect(page.locator('#queue-message')).toContainText('unstable');
  await calc.expectMetric('q-utilization', '110%');
  await expect(page.locator('main')).not.toContainText('NaN');
});

test('queueing draws its charts (or their tables without JavaScript)', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/queueing');
  await calc.expectChart('chart-hockey');
  await calc.expectChart('chart-servers');
});

test('an invalid server count shows its message', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/queueing');
  await calc.set('q_servers', '2.5');
  await expect(calc.note('q_servers')).toContainText('whole number');
  await expect(calc.field('q_servers')).toHaveValue('2.5');
  await expect(page.locator('.stale-notice')).toBeVisible();
});
