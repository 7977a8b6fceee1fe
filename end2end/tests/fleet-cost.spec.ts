import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// Issue 14: the capacity plan's fleet priced on /cost. A user picks a region, a purchase option
// and node types; the bill, its total, the ranking and the serverless comparison follow. A
// region whose managed-node prices the catalog lacks names them with the key that fixes it, and a
// bad price keeps what was typed.
test('the fleet the capacity plan sizes is billed line by line', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/cost', 'v=2');
  // The defaults: 19 × m7i.large + 3 × cache.r7g.large + 4 × db.r7g.large, 8,498 GB of gp3 and
  // 279,397 GB of egress in us-east-1: $21,076.21 (src/cost/plan/tests.rs works it by hand).
  await calc.expectMetric('fleet-cost', '$21,076.21');
  await expect(page.locator('#fleet-bill tbody tr')).toHaveCount(9);
  await expect(page.locator('#fleet-bill tbody tr').first()).toContainText('web: m7i.large, us-east-1, on-demand');
  await expect(page.locator('#fleet-bill-total')).toHaveText('$21,076.21');
  // Serverless for the same 31.5B requests: Lambda $32,550.05 + HTTP API $28,380 against the
  // web tier's $1,378.94; serverless costs more above 71.4M requests a month.
  await calc.expectMetric('serverless-vs-web', '$60,930.05 vs $1,378.94');
  await calc.expectMetric('fleet-crossover', /^71\.4M req\/month$/);
  // The cheapest web type for this load is m7g.large: 19 × 720 h × $0.0816 = $1,116.29.
  await expect(page.locator('#cheapest-web tbody tr').first()).toContainText('m7g.large');
  await expect(page.locator('#cheapest-web tbody tr').first()).toContainText('$1,116.29');
  // Choosing it and a 1-year commitment: web 19 × 720 × $0.0816 × 0.7 = $781.40.
  await calc.choose('web_type', 'm7g.large');
  await calc.choose('purchase', '1y');
  await expect(page.locator('#fleet-bill tbody tr').first()).toContainText('$781.40');
  await expect(page.locator('#cheapest-web tr.chosen')).toContainText('m7g.large (chosen)');
  // Singapore: no ElastiCache or RDS prices in the catalog; the page says so and how to fix it.
  await calc.choose('region', 'ap-southeast-1');
  await expect(page.locator('#fleet-missing')).toContainText('cache_usd_hr');
  await calc.set('cache_usd_hr', '0.25');
  await calc.set('db_usd_hr', '0.3');
  await expect(page.locator('#fleet-missing')).toHaveCount(0);
  await expect(page.locator('#fleet-bill')).toContainText('cache: cache.r7g.large, ap-southeast-1, 1y');
  // A bad price: the message, the text kept, the rest of the scenario kept.
  await calc.set('web_usd_hr', '-1');
  await expect(calc.note('web_usd_hr')).toContainText('must not be negative');
  await expect(calc.field('web_usd_hr')).toHaveValue('-1');
  await expect(calc.field('cache_usd_hr')).toHaveValue('0.25');
  await calc.expectChart('chart-fleet-bill');
  expect(errors).toEqual([]);
});

test('the API answers the fleet bill and names a bad fleet field', async ({ request }) => {
  const ok = await request.get('/api/v1/report?v=2&region=eu-west-1&purchase=3y&api_gw=rest');
  expect(ok.status()).toBe(200);
  const report = await ok.json();
  const fleet = report.fleet_cost;
  expect(fleet.region).toBe('eu-west-1');
  const sum = fleet.lines.reduce((a: number, l: { usd_per_month: number }) => a + l.usd_per_month, 0);
  expect(Math.abs(sum - fleet.usd_per_month)).toBeLessThan(1e-6 * fleet.usd_per_month);
  for (const line of fleet.lines) {
    for (const key of ['item', 'quantity', 'unit', 'unit_price_usd', 'usd_per_month', 'source']) {
      expect(line).toHaveProperty(key);
    }
  }
  for (const [key, value] of [['region', 'mars-1'], ['purchase', '5y'], ['web_type', 'x9.huge'], ['api_gw', 'soap'], ['db_usd_hr', 'cheap']]) {
    const bad = await request.get(`/api/v1/report?v=2&${key}=${value}`);
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.field).toBe(key);
  }
});
