import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// 10,000 requests over 5 servers: round robin sends request i to server i mod 5, 2,000 each.
// Offered load: 350/s × 50 ms / (3 × 4 × 1 + 2 × 4 × 2) = 17.5 / 28 = 62.5%.
test('load balancing shows an even round robin on first load', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/load-balancing', 'lb_requests=10000');
  for (const server of [1, 2, 3, 4, 5]) await calc.expectMetric(`lb-rr-s${server}`, '2,000');
  await calc.expectMetric('lb-rr-imbalance', '1×');
  await calc.expectMetric('lb-offered', '62.5%');
  expect(errors).toEqual([]);
});

test('typing an arrival rate reruns every algorithm and updates the URL', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/load-balancing', 'lb_requests=10000');
  await calc.set('lb_rate', '280');
  // 280 × 0.05 / 28 = 50%; round robin still splits 10,000 evenly.
  await calc.expectMetric('lb-offered', '50%');
  await calc.expectMetric('lb-rr-s1', '2,000');
  await expect(page).toHaveURL(/lb_rate=280/);
  expect(errors).toEqual([]);
});

test('load balancing draws its charts (or their tables without JavaScript)', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/load-balancing');
  await calc.expectChart('chart-lb-latency');
  await calc.expectChart('chart-lb-utilization');
  await calc.expectChart('chart-lb-movement');
});

test('an invalid server list names the server', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/load-balancing');
  await calc.set('lb_servers', '1:1:4,1:0:4');
  await expect(calc.note('lb_servers')).toContainText('server 2: speed must be a number from 0.01 to 100');
  await expect(calc.field('lb_servers')).toHaveValue('1:1:4,1:0:4');
  await expect(page.locator('.stale-notice')).toBeVisible();
});
