import { expect, test } from '@playwright/test';
import { PAGES, hasJs, waitForHydration } from './fixtures/app';

// On a phone (375 px wide) no page scrolls sideways, and the results, which come after a long
// form, are one tap away from the top of the page.

const CALCULATORS = PAGES.filter((path) => path !== '/' && path !== '/no-such-page');

test.use({ viewport: { width: 375, height: 800 } });

for (const path of PAGES) {
  test(`${path} does not scroll sideways at 375 px`, async ({ page }, info) => {
    await page.goto(path);
    if (hasJs(info)) await waitForHydration(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
  });
}

for (const path of CALCULATORS) {
  test(`${path} offers its results from the top at 375 px`, async ({ page }, info) => {
    await page.goto(path);
    if (hasJs(info)) await waitForHydration(page);
    const jump = page.getByRole('link', { name: 'Jump to results' });
    const box = await jump.boundingBox();
    expect(box, 'the link is shown').not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    await jump.click();
    const results = page.getByRole('region', { name: 'Results' });
    await expect(results).toBeFocused();
    const top = await results.evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(-1);
    expect(top).toBeLessThan(100);
  });
}

test('table captions are not cut at 375 px', async ({ page }, info) => {
  for (const path of CALCULATORS) {
    await page.goto(path);
    if (hasJs(info)) await waitForHydration(page);
    const cut = await page.locator('caption').evaluateAll((captions) =>
      captions
        .filter((c) => {
          const box = c.getBoundingClientRect();
          if (box.width === 0) return false;
          return box.left < 0 || box.right > window.innerWidth || c.scrollWidth > c.clientWidth + 1;
        })
        .map((c) => c.textContent ?? ''),
    );
    expect(cut, path).toEqual([]);
  }
});

for (const width of [375, 1280]) {
  test(`the tier editor's selects show their whole choice at ${width} px`, async ({ page }, info) => {
    test.skip(!hasJs(info), 'the tier editor needs JavaScript; without it the tiers are text');
    await page.setViewportSize({ width, height: 800 });
    await page.goto('/availability');
    await waitForHydration(page);
    const selects = page.locator('.tiers-editor select');
    expect(await selects.count()).toBeGreaterThan(0);
    // A select as wide as its longest choice needs its natural width: any less cuts the text.
    const cut = await selects.evaluateAll((all) =>
      all
        .map((s) => {
          const select = s as HTMLSelectElement;
          const given = select.getBoundingClientRect().width;
          const style = select.getAttribute('style');
          select.style.width = 'max-content';
          const natural = select.getBoundingClientRect().width;
          if (style === null) select.removeAttribute('style');
          else select.setAttribute('style', style);
          return natural > given + 0.5 ? `${natural} > ${given}` : '';
        })
        .filter((s) => s !== ''),
    );
    expect(cut).toEqual([]);
  });
}
