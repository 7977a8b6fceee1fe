import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { hasJs, waitForHydration, watchErrors, watchPanics } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

const ELB_PATH = path.resolve(__dirname, '../../src/traffic/testdata/elb_request_count_8c0756.csv');

// How a page loads on a slow phone (BENCHMARKS.md "The first paint on a phone"): the page paints
// before the WASM download starts, charts below the fold neither draw nor load echarts until the
// reader scrolls near them, and /load-balancing hydrates from the server's run.

test('the page paints before the bundle starts to download, and nothing preloads it', async ({ page, request }, info) => {
  test.skip(!hasJs(info), 'without JavaScript there is no bundle');
  const errors = watchErrors(page);
  // The server's document asks for nothing ahead of the first paint.
  const html = await (await request.get('/capacity')).text();
  expect(html).not.toMatch(/rel="?(preload|modulepreload)/);
  await page.goto('/capacity');
  await waitForHydration(page);
  const timing = await page.evaluate(() => {
    const paint = performance.getEntriesByType('paint').find((e) => e.name === 'first-paint');
    const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm'));
    const script = document.querySelector('meta[name="bundle-wasm"]')?.getAttribute('content');
    return { paint: paint?.startTime, wasm: wasm.map((e) => ({ url: e.name, start: e.startTime })), script };
  });
  expect(timing.paint, 'a first paint is recorded').toBeDefined();
  expect(timing.wasm.length, 'the WASM was fetched').toBeGreaterThan(0);
  for (const { url, start } of timing.wasm) expect(start, url).toBeGreaterThanOrEqual(timing.paint!);
  // The bundle fetched is the one the page names.
  expect(timing.wasm.map((e) => new URL(e.url).pathname)).toContain(timing.script);
  expect(errors).toEqual([]);
});

// Each page's code is a WASM chunk of its own (app/src/pages.rs): a calculator page fetches the
// bundle and the chunks the server names for it, never a simulator's, and following a link
// fetches the next page's chunks and builds it.
test("a page fetches only its own code, and a link fetches the next page's", async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript there is no bundle');
  const errors = watchErrors(page);
  const fetched: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) fetched.push(new URL(r.url()).pathname); });
  await page.goto('/capacity?v=2&dau=5M');
  await waitForHydration(page);
  const named = await page.evaluate(() => [
    document.querySelector('meta[name="bundle-wasm"]')!.getAttribute('content')!,
    ...document.querySelector('[data-page="/capacity"]')!.getAttribute('data-chunks')!.split(' '),
  ]);
  expect(named.length, 'the server names the page\'s chunks').toBeGreaterThan(1);
  expect(new Set(fetched)).toEqual(new Set(named));
  expect(fetched.some((f) => /split_(queueing|autoscaling|rate_limiting|load_balancing)_page/.test(f))).toBe(false);
  // The page works on the code it fetched.
  await page.locator('#f-dau').fill('7M');
  await expect(page).toHaveURL(/dau=7M/);
  // A link: the next page's chunk arrives and the page is built in the browser.
  const before = fetched.length;
  await page.locator('header.top nav a', { hasText: 'Queueing' }).click();
  await expect(page).toHaveURL(/\/queueing\?.*dau=7M/);
  await expect(page.locator('h1')).toHaveText('Queueing');
  await expect(page.locator('[data-page="/queueing"]')).toHaveCount(1);
  expect(fetched.slice(before).some((f) => /split_queueing_page/.test(f))).toBe(true);
  await page.locator('#f-q_rate').fill('50');
  await expect(page).toHaveURL(/q_rate=50/);
  expect(errors).toEqual([]);
});

test('a chart below the fold draws, and echarts loads, only when the reader scrolls near it', async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript the chart is a table the server renders');
  const errors = watchErrors(page);
  const echarts: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/vendor/echarts')) echarts.push(r.url()); });
  // The drawing code (charming) is a WASM chunk of its own, fetched with echarts.
  const drawing: string[] = [];
  page.on('request', (r) => { if (/split_chart_drawing[^/]*\.wasm$/.test(r.url())) drawing.push(r.url()); });
  // A short window: every chart of /capacity is more than a screen below it.
  await page.setViewportSize({ width: 1280, height: 400 });
  await page.goto('/capacity');
  await waitForHydration(page);
  const chart = page.locator('#chart-day');
  const top = await chart.evaluate((el) => el.getBoundingClientRect().top);
  expect(top, 'the day chart starts more than two screens down').toBeGreaterThan(2 * 400);
  await page.waitForTimeout(1000);
  expect(echarts).toEqual([]);
  expect(drawing).toEqual([]);
  await expect(chart.locator('canvas')).toHaveCount(0);
  await chart.scrollIntoViewIfNeeded();
  await expect(chart.locator('canvas').first()).toBeVisible();
  expect(echarts).toHaveLength(1);
  expect(drawing).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('load balancing hydrates from the figures the server rendered', async ({ page, request }, info) => {
  test.skip(!hasJs(info), 'without JavaScript the page is what the server rendered');
  const errors = watchErrors(page);
  const query = 'v=2&lb_requests=5000&lb_rate=300';
  const html = await (await request.get(`/load-balancing?${query}`)).text();
  // The runs travel with the page for hydration.
  expect(html).toContain('peak_in_flight');
  await page.goto(`/load-balancing?${query}`);
  await waitForHydration(page);
  for (const id of ['lb-offered', 'lb-best-p99', 'lb-worst-p99', 'lb-rr-busiest']) {
    const served = html.match(new RegExp(`id="${id}"[^>]*>([^<]*)<`))?.[1];
    expect(served, id).toBeTruthy();
    await expect(page.locator(`#${id}`)).toHaveText(served!);
  }
  // A change still runs in the browser.
  await page.locator('#f-lb_rate').fill('150');
  await expect(page.locator('#lb-offered')).not.toHaveText(
    html.match(/id="lb-offered"[^>]*>([^<]*)</)![1],
  );
  expect(errors).toEqual([]);
});

// A link to another page builds the new page while the old one, with charts of the same ids (the
// observed-traffic panel is on both /capacity and /autoscaling), is still in the document: each
// chart watches its own element, so the new page's charts still draw when scrolled to.
async function importThenFollowLinks(page: Page): Promise<void> {
  const calc = new CalculatorPage(page, true);
  await calc.open('/capacity', 'v=2');
  await page.locator('#obs-file').setInputFiles(ELB_PATH);
  await calc.expectMetric('obs-points', '4,032');
  await calc.expectChart('chart-obs-day');
  await page.locator('header.top nav a', { hasText: 'Autoscaling' }).click();
  await expect(page).toHaveURL(/\/autoscaling\?.*obs=/);
  await calc.expectChart('chart-obs-day');
  await calc.expectChart('chart-obs-week');
  await page.locator('header.top nav a', { hasText: 'Capacity' }).click();
  await expect(page).toHaveURL(/\/capacity\?.*obs=/);
  await calc.expectChart('chart-obs-day');
}

// Following /autoscaling's link within 250 ms of opening it used to panic in the browser: the
// manifest box's pause timer read its text after the page was gone (hpa_yaml.rs), and the page
// stopped responding. This test found it.
test('charts of the same id draw after a link to another page, and nothing panics', async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript every link loads a page from the server');
  const errors = watchErrors(page);
  await importThenFollowLinks(page);
  expect(errors).toEqual([]);
});

// Pointing at a link starts fetching that page's code, before the click.
test("pointing at a link fetches the page's code before it is followed", async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript there is no bundle');
  const errors = watchErrors(page);
  const fetched: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) fetched.push(new URL(r.url()).pathname); });
  await page.goto('/capacity');
  await waitForHydration(page);
  expect(fetched.some((f) => f.includes('split_rate_limiting_page'))).toBe(false);
  await page.locator('header.top nav a', { hasText: 'Rate limiting' }).hover();
  await expect.poll(() => fetched.some((f) => f.includes('split_rate_limiting_page'))).toBe(true);
  // Tabbing to a link does the same.
  await page.locator('header.top nav a', { hasText: 'Load balancing' }).focus();
  await expect.poll(() => fetched.some((f) => f.includes('split_load_balancing_page'))).toBe(true);
  expect(errors).toEqual([]);
});

// A page's code that cannot be fetched (offline, or a new release replaced the files) must not
// stop the app: a link then loads the page from the server, as without JavaScript, and a page
// whose code never arrives stays as the server rendered it.
test("a page whose code cannot be fetched is loaded from the server, and nothing panics", async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript there is no bundle');
  const panics = watchPanics(page);
  await page.route(/split_queueing_page[^/]*\.wasm$/, (route) => route.abort());
  await page.goto('/capacity?v=2&dau=5M');
  await waitForHydration(page);
  const documents: string[] = [];
  page.on('request', (r) => { if (r.resourceType() === 'document') documents.push(new URL(r.url()).pathname); });
  await page.locator('header.top nav a', { hasText: 'Queueing' }).click();
  await expect(page).toHaveURL(/\/queueing\?.*dau=5M/);
  await expect(page.locator('h1')).toHaveText('Queueing');
  expect(documents, 'the browser asked the server for the page').toContain('/queueing');
  // That page's code cannot be fetched either: it stays as rendered, and its links still work.
  await page.waitForTimeout(1000);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
  await page.locator('header.top nav a', { hasText: 'Cost' }).click();
  await expect(page.locator('h1')).toHaveText('Cost');
  await waitForHydration(page);
  expect(panics).toEqual([]);
});

// A chart that cannot be drawn shows its table in place of an empty box, kept up to date, and
// the page keeps working: when its drawing code cannot be fetched, and when echarts cannot.
for (const [what, blocked] of [
  ['its drawing code', /split_chart_drawing[^/]*\.wasm$/],
  ['echarts', /echarts[^/]*\.js$/],
] as const) {
  test(`a chart shows its table when ${what} cannot be fetched, and nothing panics`, async ({ page }, info) => {
    test.skip(!hasJs(info), 'without JavaScript the chart is a table the server renders');
    const panics = watchPanics(page);
    await page.route(blocked, (route) => route.abort());
    await page.goto('/cost');
    await waitForHydration(page);
    const figure = page.locator('figure.chart').first();
    await figure.scrollIntoViewIfNeeded();
    const table = figure.locator('table.chart-table');
    await expect(table).toBeVisible();
    await expect(figure.locator('.chart-canvas')).toBeHidden();
    await expect(figure.locator('canvas')).toHaveCount(0);
    const before = await table.innerText();
    // Five instances where the default has three: the instances' line of the table moves.
    await page.locator('#f-inst_n').fill('5');
    await expect(page).toHaveURL(/inst_n=5/);
    await expect.poll(() => table.innerText()).not.toBe(before);
    await expect(table).toBeVisible();
    expect(panics).toEqual([]);
  });
}
