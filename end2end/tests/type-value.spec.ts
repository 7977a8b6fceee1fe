import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

test('typing a new value updates the numbers and the URL', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/capacity');
  await calc.set('dau', '5M');
  // 5M × 10 / 86,400 × 10 = 5,787/s; 5M × 0.5 / 86,400 × 10 = 289.4/s
  await calc.expectMetric('peak-read-qps', '5,787/s');
  await calc.expectMetric('peak-write-qps', '289.4/s');
  await expect(page).toHaveURL(/dau=5M/);
  await expect(calc.field('dau')).toHaveValue('5M');
  expect(errors).toEqual([]);
});

test('typing does not add history entries', async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript each submit is a navigation, as it should be');
  const calc = new CalculatorPage(page, true);
  await calc.open('/capacity');
  const before = await page.evaluate(() => history.length);
  await calc.field('dau').fill('');
  await calc.field('dau').pressSequentially('2M', { delay: 30 });
  // 2M × 10 / 86,400 × 10 = 2,315/s
  await calc.expectMetric('peak-read-qps', '2,315/s');
  await expect(calc.field('dau')).toHaveValue('2M');
  expect(await page.evaluate(() => history.length)).toBe(before);
});

// With JavaScript every keystroke already wrote the URL; Enter must not rewrite it with every
// field (defaults included) and an empty `&=` pair, as the router's form did.
test('Enter in a field keeps the URL as typed', async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript Enter submits the GET form, as it should');
  const calc = new CalculatorPage(page, true);
  await calc.open('/capacity');
  await calc.set('dau', '5M');
  await expect(page).toHaveURL(/\/capacity\?v=2&dau=5M$/);
  await calc.field('dau').press('Enter');
  await page.waitForTimeout(300);
  await expect(page).toHaveURL(/\/capacity\?v=2&dau=5M$/);
  expect(page.url()).not.toContain('&=');
  await calc.expectMetric('peak-read-qps', '5,787/s');
});
