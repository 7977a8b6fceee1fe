import { expect, test, type Page } from '@playwright/test';
import { hasJs, waitForHydration, watchErrors } from './fixtures/app';

// Issue 18: chart tooltips showed the drawn number without its unit (0.0123 for 12.3 ms), and
// near a chart's left edge the tooltip was cut off by the page's edge. Each tooltip now writes
// its values as the page's figures do and stays inside its chart (echarts' `confine`).
const cases: { path: string; id: string; unit: RegExp }[] = [
  { path: '/capacity', id: 'chart-storage', unit: /\d (kB|MB|GB|TB|PB)\b/ },
  { path: '/capacity', id: 'chart-day', unit: /\d requests\/s/ },
  { path: '/cost', id: 'chart-cost', unit: /\$\d/ },
  { path: '/load-balancing', id: 'chart-lb-latency', unit: /\d(\.\d+)? (µs|ms|s)\b/ },
];

async function hoverNearLeftEdge(page: Page, id: string) {
  const chart = page.locator(`#${id}`);
  await chart.scrollIntoViewIfNeeded();
  await expect(chart.locator('canvas').first()).toBeVisible();
  const box = await chart.boundingBox();
  if (!box) throw new Error(`${id} has no box`);
  // Just inside the plot (the grid starts 64 px in), where the tooltip used to be cut off. A
  // redraw after hydration hides a tooltip already shown, so the pointer moves until one stays.
  const tooltip = chart.locator('.chart-tooltip');
  let nudge = 0;
  await expect
    .poll(async () => {
      nudge = (nudge + 1) % 4;
      await page.mouse.move(box.x + 72 + nudge, box.y + box.height / 2);
      await page.waitForTimeout(100);
      return (await tooltip.isVisible()) ? await tooltip.innerText() : '';
    })
    .not.toEqual('');
  return box;
}

for (const width of [1280, 375]) {
  for (const { path, id, unit } of cases) {
    test(`${path} ${id} tooltip has units and stays inside the chart at ${width} px`, async ({
      page,
    }, info) => {
      test.skip(!hasJs(info), 'without JavaScript a chart is a table: no tooltip');
      const errors = watchErrors(page);
      await page.setViewportSize({ width, height: 900 });
      await page.goto(path);
      await waitForHydration(page);
      const chartBox = await hoverNearLeftEdge(page, id);
      const tooltip = page.locator(`#${id} .chart-tooltip`);
      await expect(tooltip).toBeVisible();
      expect(await tooltip.innerText(), errors.join('\n')).toMatch(unit);
      const box = await tooltip.boundingBox();
      expect(box).not.toBeNull();
      if (!box) return;
      // Inside the chart, and so inside the viewport (1 px for subpixel rounding).
      expect(box.x).toBeGreaterThanOrEqual(chartBox.x - 1);
      expect(box.y).toBeGreaterThanOrEqual(chartBox.y - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(chartBox.x + chartBox.width + 1);
      expect(box.y + box.height).toBeLessThanOrEqual(chartBox.y + chartBox.height + 1);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      const shots = process.env.TOOLTIP_SHOTS;
      if (shots) {
        await page.screenshot({
          path: `${shots}/${id}-${width}.png`,
          clip: {
            x: 0,
            y: Math.max(chartBox.y - 20, 0),
            width,
            height: Math.min(chartBox.height + 40, 900 - Math.max(chartBox.y - 20, 0)),
          },
        });
      }
      expect(errors).toEqual([]);
    });
  }
}
