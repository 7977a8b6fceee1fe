import { expect, test } from '@playwright/test';
import { hasJs } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

test('a preset loads its scenario', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/');
  await page.getByRole('link', { name: /Write-heavy IoT ingest/ }).click();
  await expect(page).toHaveURL(/\/capacity\?dau=2M/);
  // 2M devices × 8,640 writes / 86,400 s = 200,000 writes/s; peak × 1.5 = 300,000/s.
  await calc.expectMetric('peak-write-qps', '300,000/s');
  await expect(calc.field('dau')).toHaveValue('2M');
});

test('navigation keeps the scenario', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/capacity', 'dau=5M&slo=99.9');
  await page.getByRole('navigation', { name: 'Calculators' }).getByRole('link', { name: 'Availability' }).click();
  await expect(page).toHaveURL(/\/availability\?dau=5M&slo=99.9/);
  await calc.expectMetric('downtime-year', '8 h 45 min 36 s');
});
