import { expect, test } from '@playwright/test';
import { hasJs, waitForHydration } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';
import { ShareBar } from './fixtures/share';

test('a copied link opens the same scenario in a fresh browser', async ({ page, browser, context }, info) => {
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  await calc.open('/capacity');
  await calc.set('dau', '5M');
  await calc.set('reads', '40');
  await calc.set('util', '50%');
  // 5M × 40 / 86,400 × 10 = 23,148/s; web: (23,148 + 289.4) / (10,000 × 0.5) = 4.69 → 5
  // servers, plus the default N+1 spare = 6.
  await calc.expectMetric('peak-read-qps', '23,148/s');
  await calc.expectMetric('web-servers', '6');

  const share = new ShareBar(page);
  let link: string;
  if (js) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await share.copy.click();
    await expect(share.status).toHaveText('Link copied.');
    link = await page.evaluate(() => navigator.clipboard.readText());
  } else {
    link = new URL((await share.permalink.getAttribute('href')) ?? '', page.url()).toString();
  }
  // The canonical link holds the link version, then only the non-default values, in field order.
  expect(new URL(link).search).toBe('?v=2&dau=5M&reads=40&util=0.5');

  const fresh = await browser.newContext({ javaScriptEnabled: js });
  const other = await fresh.newPage();
  await other.goto(link);
  if (js) await waitForHydration(other);
  await expect(other.locator('#peak-read-qps')).toHaveText('23,148/s');
  await expect(other.locator('#web-servers')).toHaveText('6');
  await fresh.close();
});
