import { expect, test, type Page } from '@playwright/test';
import { hasJs, waitForHydration } from './fixtures/app';

// Every page, hydrated, under the server's Content-Security-Policy: no violation reported (the
// inline hydration bootstrap carries the header's nonce, WASM compiles under
// 'wasm-unsafe-eval', echarts loads from 'self'), and the charts still draw, tooltips included.

/** Records CSP violations as the browser reports them, before any page script runs. */
async function recordViolations(page: Page): Promise<string[]> {
  const messages: string[] = [];
  page.on('console', (msg) => {
    if (msg.text().includes('Content Security Policy')) messages.push(msg.text());
  });
  page.on('pageerror', (err) => {
    if (String(err).includes('Content Security Policy')) messages.push(String(err));
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`,
      );
    });
  });
  return messages;
}

/** The pages the navigation lists. */
async function pagePaths(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page
    .locator('header nav a')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  return [...new Set(hrefs)];
}

test('every page hydrates and draws its charts under the CSP', async ({ page }, info) => {
  test.skip(!hasJs(info), 'the policy is about scripts');
  test.setTimeout(120_000);
  const violations = await recordViolations(page);
  const paths = await pagePaths(page);
  expect(paths.length).toBeGreaterThan(3);
  for (const path of paths) {
    const response = await page.goto(path);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy, path).toContain("script-src 'self' 'wasm-unsafe-eval' 'nonce-");
    expect(policy, path).toContain("frame-ancestors 'none'");
    await waitForHydration(page);
    // The hydration bootstrap ran because its nonce is the header's.
    const nonce = await page.evaluate(
      () => (document.querySelector('script[type=module]') as HTMLScriptElement | null)?.nonce ?? '',
    );
    expect(nonce.length, path).toBeGreaterThan(0);
    expect(policy, path).toContain(`'nonce-${nonce}'`);
    const charts = page.locator('figure.chart');
    if ((await charts.count()) > 0) {
      await charts.first().scrollIntoViewIfNeeded();
      const canvas = charts.first().locator('canvas').first();
      await expect(canvas, path).toBeVisible();
      // The tooltip writes inline styles; they must not be blocked either.
      const box = await canvas.boundingBox();
      if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForTimeout(200);
    }
    expect(violations, path).toEqual([]);
  }
});

test('pages work without JavaScript under the same policy', async ({ page }, info) => {
  test.skip(hasJs(info), 'the hydrated project covers scripts');
  const violations = await recordViolations(page);
  const response = await page.goto('/capacity');
  expect(response?.headers()['content-security-policy']).toContain("object-src 'none'");
  await expect(page.locator('#peak-read-qps')).toHaveText('115,741/s');
  expect(violations).toEqual([]);
});
