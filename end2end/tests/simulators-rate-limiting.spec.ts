import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// 100 per minute; 100 requests just before and 100 just after every other boundary of a 10-minute
// run: ⌈600 / 120⌉ = 5 episodes, 1,000 requests. The fixed window admits both sides (200 in
// 1.2 s, 2× the limit); the sliding log never more than 100 in any minute.
test('rate limiting shows the boundary effect on first load', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/rate-limiting', 'rl_pattern=boundary');
  await calc.expectMetric('rl-requests', '1,000');
  await calc.expectMetric('rl-fixed-worst', '200');
  await calc.expectMetric('rl-log-worst', '100');
  await calc.expectMetric('rl-log-admitted', '500');
  expect(errors).toEqual([]);
});

test('typing a limit reruns all six algorithms and updates the URL', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/rate-limiting', 'rl_pattern=boundary');
  await calc.set('rl_limit', '50');
  // The boundary bursts follow the limit: 5 episodes × 2 × 50 = 500 sent; 2 × 50 in one window.
  await calc.expectMetric('rl-requests', '500');
  await calc.expectMetric('rl-fixed-worst', '100');
  await calc.expectMetric('rl-log-worst', '50');
  await expect(page).toHaveURL(/rl_limit=50/);
  expect(errors).toEqual([]);
});

test('rate limiting draws its charts (or their tables without JavaScript)', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/rate-limiting');
  await calc.expectChart('chart-rl-admitted');
  await calc.expectChart('chart-rl-rejected');
  await calc.expectChart('chart-rl-distributed');
});

test('an invalid limit shows its message', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/rate-limiting');
  await calc.set('rl_limit', '0');
  await expect(calc.note('rl_limit')).toContainText('must be between 1 and');
  await expect(calc.field('rl_limit')).toHaveValue('0');
  await expect(page.locator('.stale-notice')).toBeVisible();
});

test('too many requests for one run is a message under the run length', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/rate-limiting');
  await calc.set('rl_rate', '10000');
  // 10,000/s × 600 s = 6,000,000 requests, more than the 1,000,000 simulated.
  await expect(calc.note('rl_duration')).toContainText('6,000,000 requests');
});
