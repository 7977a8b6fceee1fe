import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { HomePage } from './fixtures/home';

test('shows the peak QPS of the default scenario, computed on the server', async ({ page }, info) => {
  const errors = watchErrors(page);
  const home = new HomePage(page, hasJs(info));
  await home.open();
  await expect(page).toHaveTitle('Headroom');
  // 100M users × 10.5 actions / 86,400 s × 10 = 121,527.8/s
  await home.expectPeakQps('121528');
  expect(errors).toEqual([]);
});

test('typing daily users recomputes peak QPS', async ({ page }, info) => {
  const errors = watchErrors(page);
  const home = new HomePage(page, hasJs(info));
  await home.open();
  await home.setDau('1000000');
  // 1M × 10.5 / 86,400 × 10 = 1,215.28/s
  await home.expectPeakQps('1215');
  await expect(page).toHaveURL(/dau=1000000/);
  expect(errors).toEqual([]);
});

test('draws the chart after hydration, or its data table without JavaScript', async ({ page }, info) => {
  const js = hasJs(info);
  const home = new HomePage(page, js);
  await home.open();
  if (js) {
    await expect(home.chart.locator('canvas')).toHaveCount(1);
    const box = await home.chart.locator('canvas').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);
  } else {
    await expect(page.locator('.chart-table').first()).toBeVisible();
  }
});
