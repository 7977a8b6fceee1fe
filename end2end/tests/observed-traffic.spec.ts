import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// Issue 13: plan from real traffic. A person imports an ELB export (NAB's real series, MIT; its
// figures were computed with numpy, see src/traffic/testdata/README.md), sees what it says, sizes
// the plan from it, replays it through the HPA, and shares the link; a broken file shows its line
// numbers and keeps the text; without JavaScript the form posts the text to the server.
const ELB_PATH = path.resolve(__dirname, '../../src/traffic/testdata/elb_request_count_8c0756.csv');
const ELB = readFileSync(ELB_PATH, 'utf8');
const BROKEN = 'time,value\nyesterday,1\nnope,2\n2024-01-01 00:00:00,3\n';

/** One day of a 5-minute count, 100 to 387 requests: mean 243.5 / 300 s. */
function oneDay(): string {
  const rows = ['timestamp,requests'];
  for (let i = 0; i < 288; i++) {
    const t = new Date(Date.UTC(2026, 10, 2, 0, 5 * i)).toISOString().replace('.000', '');
    rows.push(`${t},${100 + i}`);
  }
  return rows.join('\n');
}

test('an ELB export on /capacity shows its figures, sizes the plan and survives the link', async ({ page, browser }, info) => {
  test.skip(!hasJs(info), 'files are read in the browser; the no-JS form is tested below');
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, true);
  await calc.open('/capacity', 'v=2&writes=0.5&reads=10');
  await page.locator('#obs-file').setInputFiles(ELB_PATH);
  // numpy: 4,032 points, mean 0.2061/s, max 2.1867/s, p99 0.8379/s, max / mean 10.61.
  await calc.expectMetric('obs-points', '4,032');
  await calc.expectMetric('obs-mean', '0.206/s');
  await calc.expectMetric('obs-max', '2.19/s');
  await calc.expectMetric('obs-peak-factor', '10.61×');
  await expect(page.locator('#obs-findings')).toContainText(/; 0 rows skipped, 0 out of order \(sorted\), 8 steps missing in 8 gaps/);
  await calc.expectMetric('obs-busiest', '17:00, Wednesday');
  // Sized from the highest rate: the web tier's peak is the observed max.
  await expect(page.locator('#obs-sizing')).toContainText('peak at 2.19/s');
  await calc.expectChart('chart-obs-series');
  await calc.expectChart('chart-obs-day');
  await calc.expectChart('chart-obs-week');
  // p99 instead: the sizing follows.
  await calc.choose('obs_size', 'p99');
  await expect(page.locator('#obs-sizing')).toContainText('peak at 0.838/s');
  // The link, opened fresh, shows the same figures (the series itself stays behind).
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(page.url());
  await expect(other.locator('#obs-points')).toHaveText('4,032');
  await expect(other.locator('#obs-max')).toHaveText('2.19/s');
  await expect(other.locator('#obs-sizing')).toContainText('peak at 0.838/s');
  await fresh.close();
  expect(errors).toEqual([]);
});

test('a broken paste names its lines and keeps the text', async ({ page }, info) => {
  test.skip(!hasJs(info), 'the no-JS answer is tested below');
  const calc = new CalculatorPage(page, true);
  await calc.open('/capacity', 'v=2');
  await page.locator('#obs-text').fill(BROKEN);
  await page.locator('#obs-import').click();
  await expect(page.locator('#obs-error')).toContainText('line 2');
  await expect(page.locator('#obs-text')).toHaveValue(BROKEN);
  await expect(page.locator('#obs-points')).toHaveCount(0);
});

test('a million rows are read off the page\'s thread, and what is typed meanwhile stays', async ({ page }, info) => {
  test.skip(!hasJs(info), 'files are read in the browser');
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, true);
  await calc.open('/capacity', 'v=2&writes=0.5&reads=10');
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
  // 1,000,000 one-minute counts, r mod 600 requests in minute r (about 15 MB): the highest
  // rate is 599 / 60 = 9.98/s.
  await page.evaluate(() => {
    const rows: string[] = new Array(1_000_000);
    for (let r = 0; r < rows.length; r++) rows[r] = `${1_700_000_000 + 60 * r},${r % 600}`;
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([rows.join('\n')], 'million.csv', { type: 'text/csv' }));
    document.getElementById('obs-drop')!.dispatchEvent(
      new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
  });
  // While the worker reads, the page takes typing.
  await calc.field('dau').fill('7M');
  await expect(page.locator('#obs-points')).toHaveText('1,000,000', { timeout: 60_000 });
  await calc.expectMetric('obs-max', '9.98/s');
  await expect(page.locator('#obs-findings')).toHaveAttribute('data-thread', 'worker');
  await expect(calc.field('dau')).toHaveValue('7M');
  expect(page.url()).toContain('dau=7M');
  // A second import starts a second worker, which the browser revalidates from its cache: it
  // must read the file too (a 304 without the worker's policy once left it unable to).
  await page.locator('#obs-text').fill(oneDay());
  await page.locator('#obs-import').click();
  await expect(page.locator('#obs-points')).toHaveText('288');
  await expect(page.locator('#obs-findings')).toHaveAttribute('data-thread', 'worker');
  expect(workers).toEqual(['/traffic-worker.js', '/traffic-worker.js']);
  expect(errors).toEqual([]);
});

test('a file dropped on /autoscaling replays its average week through the HPA', async ({ page, browser }, info) => {
  test.skip(!hasJs(info), 'files are read in the browser');
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, true);
  await calc.open('/autoscaling', 'v=2&as_pod_rps=0.05&as_noise=0');
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'elb.csv', { type: 'text/csv' }));
    return dt;
  }, ELB);
  await page.dispatchEvent('#obs-drop', 'drop', { dataTransfer });
  await calc.expectMetric('obs-points', '4,032');
  // Two weeks of data: the run replays its average week, a week long.
  await expect(calc.field('as_pattern')).toHaveValue('observed_week');
  await expect(page.locator('#obs-findings')).toHaveAttribute('data-thread', 'worker');
  // 0.05 req/s per pod: the day's 0.14-0.49 req/s slots need 3 to 10 pods; the run shows it.
  await expect(page.locator('#as-replicas')).not.toHaveText('');
  await calc.expectChart('chart-as-capacity');
  // Beside the run: the cheapest CPU target that serves this traffic as well (src/autoscale/best.rs).
  await expect(page.locator('#as-best-target')).toHaveText(/^\d+%$/);
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(page.url());
  await expect(other.locator('#f-as_pattern')).toHaveValue('observed_week');
  await expect(other.locator('#as-cost')).toHaveText(await page.locator('#as-cost').innerText());
  await fresh.close();
  expect(errors).toEqual([]);
});

test('without JavaScript the form posts the text and the server answers', async ({ page }, info) => {
  test.skip(hasJs(info), 'the hydrated import is tested above');
  const calc = new CalculatorPage(page, false);
  await calc.open('/capacity', 'v=2&dau=5M');
  await page.locator('#obs-text').fill(oneDay());
  await Promise.all([page.waitForNavigation(), page.locator('#obs-import').click()]);
  expect(page.url()).toContain('obs=o1');
  expect(page.url()).toContain('dau=5M');
  // 288 points; mean (100 + 387) / 2 = 243.5 per 300 s = 0.812/s; max 387 / 300 = 1.29/s.
  await calc.expectMetric('obs-points', '288');
  await calc.expectMetric('obs-mean', '0.812/s');
  await calc.expectMetric('obs-max', '1.29/s');
  // A broken file: the server's page names the line and gives the text back.
  await calc.open('/capacity', 'v=2');
  await page.locator('#obs-text').fill(BROKEN);
  await Promise.all([page.waitForNavigation(), page.locator('#obs-import').click()]);
  await expect(page.locator('#obs-error')).toContainText('line 2');
  await expect(page.locator('#obs-text')).toHaveValue(BROKEN);
});
