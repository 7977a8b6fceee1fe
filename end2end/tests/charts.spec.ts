import { test } from '@playwright/test';
import { hasJs } from './fixtures/app';
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
