import { expect, test } from '@playwright/test';
import { hasJs, waitForHydration, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

const charts: Record<string, string[]> = {
  '/capacity': ['chart-day', 'chart-growth', 'chart-storage'],
  '/availability': ['chart-downtime', 'chart-replicas'],
  '/cost': ['chart-cost', 'chart-memory'],
};

for (const [path, ids] of Object.entries(charts)) {
  test(`${path} draws its charts (or their tables without JavaScript)`, async ({ page }, info) => {
    const calc = new CalculatorPage(page, hasJs(info));
    await calc.open(path);
    for (const id of ids) await calc.expectChart(id);
  });
}

// echarts merges a new option into the old one series by series, so a series that is gone stayed
// drawn until a reload. Every chart now replaces its series: removing a tier removes its line.
test('removing a tier removes its line from the replicas chart', async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript the chart is a table the server renders');
  const errors = watchErrors(page);
  await page.goto('/availability');
  await waitForHydration(page);
  // A chart draws when it comes near the viewport.
  await page.locator('#chart-replicas').scrollIntoViewIfNeeded();
  const seriesNames = () =>
    page.evaluate(() => {
      const el = document.getElementById('chart-replicas');
      // @ts-ignore: the echarts global is our vendored build.
      const chart = el && globalThis.echarts?.getInstanceByDom(el);
      return chart ? chart.getOption().series.map((s: { name: string }) => s.name) : [];
    });
  await expect.poll(seriesNames).not.toEqual([]);
  const before: string[] = await seriesNames();
  expect(before.length).toBeGreaterThan(1);
  await page.getByRole('button', { name: 'Remove tier' }).first().click();
  await expect.poll(async () => (await seriesNames()).length).toBe(before.length - 1);
  // The same series as the page opened fresh at the new URL.
  const after = await seriesNames();
  await page.goto(page.url());
  await waitForHydration(page);
  await page.locator('#chart-replicas').scrollIntoViewIfNeeded();
  await expect.poll(seriesNames).toEqual(after);
  expect(errors).toEqual([]);
});

// The day of traffic runs from 0:00 to 24:00; echarts rounded its axis up to 25 h on its own.
test('the day chart spans exactly 0 to 24 hours', async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript the chart is a table the server renders');
  await page.goto('/capacity');
  await waitForHydration(page);
  await page.locator('#chart-day').scrollIntoViewIfNeeded();
  const ends = () =>
    page.evaluate(() => {
      const el = document.getElementById('chart-day');
      // @ts-ignore: the echarts global is our vendored build.
      const chart = el && globalThis.echarts?.getInstanceByDom(el);
      if (!chart) return null;
      const axis = chart.getModel().getComponent('xAxis', 0).axis;
      return axis.scale.getExtent();
    });
  await expect.poll(ends).toEqual([0, 24]);
});
