import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

test('an invalid value shows its message and keeps the last good results', async ({ page }, info) => {
  const errors = watchErrors(page);
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  await calc.open('/capacity', 'v=2&dau=5M');
  await calc.set('dau', 'lots');
  await expect(calc.note('dau')).toContainText('not a number');
  await expect(calc.field('dau')).toHaveValue('lots');
  await expect(page.locator('.stale-notice')).toBeVisible();
  const notice = page.locator('.stale-notice');
  const permalink = page.locator('a.permalink');
  if (js) {
    // The last valid result (5M users) stays on screen, marked stale; the notice names the
    // value, and the link and export carry it, not the default.
    await calc.expectMetric('peak-read-qps', '5,787/s');
    await expect(notice).toContainText('Daily active users: 5M (the last valid value), not “lots”');
    await expect(permalink).toHaveAttribute('href', '/capacity?v=2&dau=5M');
    await expect(page.locator('#export-json')).toHaveAttribute('href', '/api/v1/report?v=2&dau=5M');
  } else {
    // The server falls back to the default for that field only, and says so.
    await calc.expectMetric('peak-read-qps', '115,741/s');
    await expect(notice).toContainText('Daily active users: 100M (its default), not “lots”');
    await expect(permalink).toHaveAttribute('href', '/capacity');
  }
  await calc.set('dau', '2M');
  await expect(page.locator('.stale-notice')).toBeHidden();
  await calc.expectMetric('peak-read-qps', '2,315/s');
  expect(errors).toEqual([]);
});
