import { test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';
import { expect } from '@playwright/test';

// The chapter's example (its preset), on first load, computed by the server and kept by the
// hydrated page.
test('capacity shows the chapter numbers on first load', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/capacity', 'v=2&util=1&spare=none');
  await calc.expectMetric('peak-read-qps', '115,741/s');
  await calc.expectMetric('peak-write-qps', '5,787/s');
  await calc.expectMetric('read-qps', '11,574/s');
  await calc.expectMetric('write-qps', '578.7/s');
  await calc.expectMetric('web-servers', '13');
  await calc.expectMetric('cache-nodes', '2');
  await calc.expectMetric('storage-year', '9.13 TB');
  expect(errors).toEqual([]);
});

test('availability shows 8.76 h a year and 43.8 min a month at three nines', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/availability', 'slo=99.9');
  await calc.expectMetric('downtime-year', '8 h 45 min 36 s');
  await calc.expectMetric('downtime-month', '43 min 48 s');
  expect(errors).toEqual([]);
});

test('cost shows the chapter bill and crossover', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/cost');
  await calc.expectMetric('instances-cost', '$89.86');
  await calc.expectMetric('serverless-cost', '$1.03');
  await calc.expectMetric('crossover', '87M req/month');
  expect(errors).toEqual([]);
});

test('the overview shows every calculator', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/');
  await expect(page).toHaveTitle(/Headroom/);
  await calc.expectMetric('peak-qps', '121,528/s');
  // The defaults plan at 70% with N+1: ⌈121,528 / 7,000⌉ + 1 = 19 web servers, ⌈115,741 /
  // 70,000⌉ + 1 = 3 cache nodes, ⌈17,361 / 7,000⌉ + 1 = 4 database nodes.
  await calc.expectMetric('servers', '19 web · 3 cache · 4 db');
  await calc.expectMetric('cost-overview', '$1.03 vs $89.86');
  expect(errors).toEqual([]);
});
