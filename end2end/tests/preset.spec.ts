import { expect, test } from '@playwright/test';
import { hasJs } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

test('a preset loads its scenario', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/');
  await page.getByRole('link', { name: /Write-heavy IoT ingest/ }).click();
  await expect(page).toHaveURL(/\/capacity\?v=2&dau=2M/);
  // 2M devices × 8,640 writes / 86,400 s = 200,000 writes/s; peak × 1.5 = 300,000/s.
  await calc.expectMetric('peak-write-qps', '300,000/s');
  await expect(calc.field('dau')).toHaveValue('2M');
});

test('navigation keeps the scenario', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/capacity', 'v=2&dau=5M&slo=99.9');
  await page.getByRole('navigation', { name: 'Calculators' }).getByRole('link', { name: 'Availability' }).click();
  await expect(page).toHaveURL(/\/availability\?v=2&dau=5M&slo=99.9/);
  await calc.expectMetric('downtime-year', '8 h 45 min 36 s');
});

test("the chapter's example is one click away and keeps its numbers", async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/');
  await page.getByRole('link', { name: /The chapter's example/ }).click();
  await expect(page).toHaveURL(/\/capacity\?v=2&util=1&spare=none$/);
  // Every node at full load, no spare: ⌈(115,741 + 5,787) / 10,000⌉ = 13 web servers (the
  // chapter's 12 counts reads alone), ⌈115,741 / 100,000⌉ = 2 cache nodes.
  await calc.expectMetric('web-servers', '13');
  await calc.expectMetric('cache-nodes', '2');
  await expect(calc.field('util')).toHaveValue('1');
  await expect(calc.field('spare')).toHaveValue('none');
});

test('a link from before link versions opens with the values it meant', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  // No `v`: an absent util meant 1 and an absent spare none.
  await calc.open('/capacity', 'dau=200M');
  // 200M × 10.5 / 86,400 × 10 = 243,056 req/s over 10,000 → 25 web servers.
  await calc.expectMetric('web-servers', '25');
  await expect(calc.field('util')).toHaveValue('1');
  await expect(calc.field('spare')).toHaveValue('none');
  // Editing it keeps that meaning: 200M × 20.5 / 86,400 × 10 = 474,537 req/s → 48 servers.
  await calc.set('reads', '20');
  await calc.expectMetric('web-servers', '48');
  if (hasJs(info)) await expect(page).toHaveURL(/\?v=2&dau=200M&util=1&spare=none&reads=20$/);
});
