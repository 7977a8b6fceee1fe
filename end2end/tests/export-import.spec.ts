import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { hasJs, waitForHydration } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';
import { ShareBar } from './fixtures/share';

test('an exported report re-imports to the same numbers in a fresh page', async ({ page, browser }, info) => {
  test.skip(!hasJs(info), 'import reads a file in the browser');
  const calc = new CalculatorPage(page, true);
  await calc.open('/cost', 'req_month=50M&mem_mb=512');
  const share = new ShareBar(page);
  const [download] = await Promise.all([page.waitForEvent('download'), share.exportJson.click()]);
  expect(download.suggestedFilename()).toMatch(/^headroom-[0-9a-f]{8}\.json$/);
  const text = fs.readFileSync(await download.path(), 'utf8');
  const serverless = await calc.metric('serverless-cost').textContent();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto('/cost');
  await waitForHydration(other);
  await new ShareBar(other).importFile('report.json', text);
  await expect(other).toHaveURL(/req_month=50M/);
  await expect(other.locator('#serverless-cost')).toHaveText(serverless ?? '');
  await fresh.close();
});

test('a broken file shows a message and changes nothing', async ({ page }, info) => {
  test.skip(!hasJs(info), 'import reads a file in the browser');
  const calc = new CalculatorPage(page, true);
  await calc.open('/capacity', 'dau=5M');
  const before = page.url();
  const share = new ShareBar(page);
  await share.importFile('broken.json', '{"schema": "headroom.report.v1", "inputs": ');
  await expect(share.status).toContainText('not JSON');
  await expect(share.status).toContainText('Nothing changed');
  expect(page.url()).toBe(before);
  await calc.expectMetric('peak-read-qps', '5,787/s');

  await share.importFile('other.json', '{"hello": "world"}');
  await expect(share.status).toContainText('not a Headroom report');
  await share.importFile('newer.json', '{"schema": "headroom.report.v9", "inputs": {}}');
  await expect(share.status).toContainText('headroom.report.v9');
  expect(page.url()).toBe(before);
});

test('the exported JSON is the API document, byte for byte but the timestamp', async ({ page, request }, info) => {
  test.skip(!hasJs(info), 'the export is generated in the browser');
  const calc = new CalculatorPage(page, true);
  // Issue 15: with ranges and a baseline too, so the browser's samples (WASM) are the server's,
  // byte for byte, and the export carries the sampled sections and the diff as the API does.
  for (const query of ['slo=99.95&dau=3M', 'v=2&dau=80M..120M&reads=5..10..20&base=v%3D2%26dau%3D50M']) {
    await calc.open('/availability', query);
    const [download] = await Promise.all([page.waitForEvent('download'), new ShareBar(page).exportJson.click()]);
    const exported = fs.readFileSync(await download.path(), 'utf8');
    const api = await (await request.get(`/api/v1/report?${query}`)).text();
    const strip = (s: string) => s.replace(/"generated_at": "[^"]*"/, '"generated_at": "T"');
    expect(exported).toMatch(/"generated_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    expect(strip(exported)).toBe(strip(api));
    if (query.includes('base=')) {
      expect(exported).toContain('"uncertainty_plan"');
      expect(exported).toContain('"diff"');
    }
  }
});

test('a chart exports its data as CSV', async ({ page }, info) => {
  test.skip(!hasJs(info), 'CSV is generated in the browser');
  const calc = new CalculatorPage(page, true);
  await calc.open('/capacity');
  const figure = page.locator('figure.chart', { has: page.locator('#chart-growth') });
  const [download] = await Promise.all([page.waitForEvent('download'), figure.locator('button.csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^headroom-[0-9a-f]{8}-chart-growth\.csv$/);
  const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  expect(lines[0]).toBe('× today\'s daily users,web servers,cache nodes,database nodes');
  // 1× is today's plan at the defaults (70%, N+1): 19 web servers, 3 cache and 4 database nodes.
  expect(lines[1]).toBe('1,19,3,4');
});
