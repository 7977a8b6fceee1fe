import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { PAGES, hasJs, waitForHydration } from './fixtures/app';

// Every page passes axe with no violation, at 1280 and 375 px, hydrated and with JavaScript off,
// and so does a page showing a field's error message. The 404 page is checked too: it is a page people land on.

// The pages, and one showing a field's error message.
const CHECKED = [...PAGES, '/capacity?dau=abc'];

async function open(page: Page, path: string, info: TestInfo): Promise<void> {
  await page.goto(path);
  if (hasJs(info)) await waitForHydration(page);
}

/** The violations, one line each: rule, impact, and the first few offending elements. */
async function violations(page: Page, info: TestInfo): Promise<string[]> {
  let axe = new AxeBuilder({ page });
  if (!hasJs(info)) {
    // With JavaScript off the page runs no timers, and axe waits on setTimeout between its
    // checks: run them as microtasks instead, in the page itself (legacy mode: the default
    // mode finishes in a new page of this context, which has no JavaScript either).
    await page.evaluate(() => {
      window.setTimeout = ((run: () => void) => {
        void Promise.resolve().then(run);
        return 0;
      }) as unknown as typeof window.setTimeout;
      window.clearTimeout = () => {};
    });
    axe = axe.setLegacyMode(true);
  }
  const results = await axe.analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n    ` +
      v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`)
        .join('\n    '),
  );
}

// At a desktop's 1280 px and a phone's 375 px: the narrow layout reflows the forms, tables and
// navigation, and contrast or target problems can appear in one and not the other.
for (const width of [1280, 375]) {
  for (const path of CHECKED) {
    test(`axe finds no violation on ${path} at ${width} px`, async ({ page }, info) => {
      test.setTimeout(60_000);
      await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
      await open(page, path, info);
      expect(await violations(page, info)).toEqual([]);
    });
  }
}

test('the first Tab reaches a link that skips to the main content', async ({ page }, info) => {
  await open(page, '/capacity', info);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  // The next stop is in the page, past the navigation.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
});

test('every "How?" is named after its figure', async ({ page }, info) => {
  for (const path of ['/capacity', '/availability', '/cost', '/queueing']) {
    await open(page, path, info);
    const toggles = page.locator('details.explain summary');
    expect(await toggles.count(), path).toBeGreaterThan(0);
    for (const toggle of await toggles.all()) {
      await expect(toggle).toHaveAccessibleName(/^How is \S.* computed\?$/);
    }
  }
  await open(page, '/capacity', info);
  await expect(
    page.locator('#web-servers').locator('..').locator('details.explain summary'),
  ).toHaveAccessibleName('How is Web servers computed?');
});

test('a field with a unit has the unit in its accessible name', async ({ page }, info) => {
  await open(page, '/capacity', info);
  await expect(page.locator('#f-dau')).toHaveAccessibleName('Daily active users (users)');
  await expect(page.locator('#f-web_ms')).toHaveAccessibleName('Web request time (ms)');
  // A field without a unit keeps its plain label.
  await expect(page.locator('#f-spare')).toHaveAccessibleName('Redundancy');
});
