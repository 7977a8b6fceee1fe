import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// Issue 20: the rate-limiting page shows the user's setting as nginx configuration. The default
// is 100 per minute with a bucket of 100, which nginx writes rate=100r/m with burst=99 (nginx
// burst=N is a bucket of N + 1); see headroom::ratelimit::counterparts and its tests.
test('the rate-limiting page shows the nginx mapping of the setting', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/rate-limiting');
  const table = page.locator('#rl-real');
  await expect(table).toContainText('rate=100r/m; limit_req zone=api burst=99 nodelay;');
  await expect(table).toContainText('CL.THROTTLE <key> 99 100 60');
  expect(errors).toEqual([]);
});

test('typing a limit and bucket updates the nginx mapping', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/rate-limiting', 'rl_window=1');
  await calc.set('rl_limit', '5');
  await calc.set('rl_burst', '5');
  // 5 per second, bucket 5: nginx rate=5r/s burst=4, redis-cell max_burst 4.
  const table = page.locator('#rl-real');
  await expect(table).toContainText('rate=5r/s; limit_req zone=api burst=4 nodelay;');
  await expect(table).toContainText('CL.THROTTLE <key> 4 5 1');
  expect(errors).toEqual([]);
});
