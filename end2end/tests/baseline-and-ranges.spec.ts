import { expect, test } from '@playwright/test';
import { hasJs, waitForHydration, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// Issue 15. Expected figures worked out by hand at the defaults (70% utilization, N+1):
// web servers = ⌈users × 10.5 / 86,400 × 10 / 7,000⌉ + 1.
//   100M users → ⌈17.36⌉ + 1 = 19;   150M → ⌈26.04⌉ + 1 = 28 (+9, ×1.47).
// A uniform range of 80M..120M users: P10 at 84M → ⌈14.58⌉ + 1 = 16, P90 at 116M → ⌈20.14⌉ + 1
// = 22. The next server is 5M users away on either side, far outside the sampling tolerance
// (about 0.4M users at 10,000 samples).

test('pin a baseline, change a field, see the deltas, share them, swap and clear', async ({ page, browser }, info) => {
  const js = hasJs(info);
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, js);
  await calc.open('/capacity');
  await calc.expectMetric('web-servers', '19');
  await expect(page.locator('.figure-delta')).toHaveCount(0);

  await page.locator('#pin-baseline').click();
  await expect(page).toHaveURL(/base=/);
  if (js) await waitForHydration(page);
  await expect(page.locator('#baseline-summary')).toHaveText('No calculator figure differs from the baseline.');

  await calc.set('dau', '150M');
  await calc.expectMetric('web-servers', '28');
  const web = page.locator('.figure-delta[data-path="capacity.web_servers"]');
  await expect(web).toHaveText(/^19 → 28, \+9, ×1\.47/);
  await expect(page.locator('#baseline-summary')).toHaveText(/\d+ calculator figures differ from the baseline\./);
  await page.locator('details.diff summary').click();
  const row = page.locator('#diff-table tbody tr').filter({ has: page.getByText('capacity.web_servers', { exact: true }) });
  await expect(row.locator('td')).toHaveText(['19', '28', '+9', '×1.47']);

  // The link carries both scenarios: a fresh browser sees the same comparison.
  const link = page.url();
  expect(new URL(link).searchParams.get('base')).toBe('v=2');
  const fresh = await browser.newContext({ javaScriptEnabled: js });
  const other = await fresh.newPage();
  await other.goto(link);
  if (js) await waitForHydration(other);
  await expect(other.locator('#web-servers')).toHaveText('28');
  await expect(other.locator('.figure-delta[data-path="capacity.web_servers"]')).toHaveText(/^19 → 28, \+9/);
  await fresh.close();

  // Swap: the baseline becomes the plan and the plan the baseline.
  await page.locator('#swap-baseline').click();
  await calc.expectMetric('web-servers', '19');
  await expect(web).toHaveText(/^28 → 19, −9/);
  // Clear: no comparison left.
  await page.locator('#clear-baseline').click();
  await expect(page).not.toHaveURL(/base=/);
  await calc.expectMetric('web-servers', '19');
  await expect(page.locator('.figure-delta')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a range shows percentiles, the plan at P90 and what drives the spread', async ({ page }, info) => {
  const js = hasJs(info);
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, js);
  await calc.open('/capacity');
  await expect(page.locator('#ranges')).toHaveCount(0);

  await calc.set('dau', '80M..120M');
  // The point figures are the range's middle, 100M users.
  await calc.expectMetric('web-servers', '19');
  await expect(page.locator('#f-dau-note')).not.toHaveText(/must/);
  await expect(page.locator('#ranges')).toBeVisible();
  await expect(page.locator('#plan-web')).toHaveText('22');
  const band = page.locator('.figure-band[data-path="capacity.web_servers"]');
  await expect(band).toHaveText(/^P10 16 · P50 \d+ · P90 22 · mean/);
  await expect(page.locator('#uncertainty-table tbody tr')).toHaveCount(15);
  const tornado = page.locator('figure.tornado[data-figure="capacity.web_servers"] li');
  await expect(tornado.first()).toContainText('Daily active users');
  await expect(tornado.first()).toContainText('16 at P10, 22 at P90');
  // The link writes the range back.
  expect(new URL(page.url()).searchParams.get('dau')).toBe('80M..120M');

  // Planning for P99 instead: 119.6M users → ⌈20.76⌉ + 1 = 22; P50 at 100M → 19.
  await page.locator('details.sampling-settings summary').click();
  await calc.choose('plan_at', 'p50');
  await expect(page.locator('#plan-web')).toHaveText('19');
  await expect(page.locator('#sampled-plan')).toContainText('Planned at P50');

  // A bad range keeps what was typed, says what is wrong, and the last good bands stay.
  await calc.set('dau', '120M..80M');
  await expect(calc.field('dau')).toHaveValue('120M..80M');
  await expect(calc.note('dau')).toContainText('from low to high');
  expect(errors).toEqual([]);
});

test('two HPA set-ups on the same traffic: the baseline run beside this one', async ({ page }, info) => {
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  // The baseline starts pods in a minute (the default); this plan takes five.
  await calc.open('/autoscaling', 'v=2&as_startup=300&base=v%3D2');
  const table = page.locator('#as-baseline');
  await expect(table).toBeVisible();
  await expect(table.locator('tr', { hasText: 'Cost of the run' })).toContainText('→');
  await expect(table.locator('tr', { hasText: 'Scale events' })).toContainText(/\d+ → \d+/);
  if (js) {
    // The demand chart carries the baseline's capacity as a fourth, dashed series.
    await page.locator('#chart-as-capacity').scrollIntoViewIfNeeded();
    await expect.poll(() => page.evaluate(() => {
      const el = document.getElementById('chart-as-capacity');
      // @ts-ignore: the echarts global is our vendored build.
      const chart = el && globalThis.echarts?.getInstanceByDom(el);
      return chart ? chart.getOption().series.map((s: { name: string }) => s.name) : [];
    })).toContain('baseline: ready capacity');
  }
});
