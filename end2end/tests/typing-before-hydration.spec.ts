import { expect, test } from '@playwright/test';
import { hasJs, watchErrors, waitForHydration } from './fixtures/app';

// On a slow link the server-rendered fields are usable seconds before the WASM arrives. What a
// person types or chooses in that time must survive hydration: the values stay in the fields,
// the URL takes them, and the figures are those of the page opened with those values.
test('what is typed and chosen before hydration survives it', async ({ page, browser }, info) => {
  test.skip(!hasJs(info), 'without JavaScript there is no hydration');
  const errors = watchErrors(page);
  // Hold the WASM back until the edits are made: a slow phone link, made deterministic.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/pkg/*.wasm', async (route) => { await held; await route.continue(); });

  await page.goto('/capacity', { waitUntil: 'domcontentloaded' });
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
  await page.locator('#f-dau').fill('5M');
  await page.locator('#f-spare').selectOption('2n');
  release();
  await waitForHydration(page);

  await expect(page.locator('#f-dau')).toHaveValue('5M');
  await expect(page.locator('#f-spare')).toHaveValue('2n');
  await expect(page).toHaveURL(/dau=5M/);
  await expect(page).toHaveURL(/spare=2n/);
  // 5M users × 10 reads / 86,400 s × peak 10 = 5,787 reads/s.
  await expect(page.locator('#peak-read-qps')).toHaveText('5,787/s');
  // The same figures as a page opened with those values by the server.
  const fresh = await browser.newPage({ javaScriptEnabled: false });
  await fresh.goto(`${new URL(page.url()).origin}/capacity?v=2&dau=5M&spare=2n`);
  for (const id of ['web-servers', 'cache-nodes', 'storage-year']) {
    await expect(page.locator(`#${id}`)).toHaveText((await fresh.locator(`#${id}`).textContent()) ?? '');
  }
  await fresh.close();
  expect(errors).toEqual([]);
});

test('a manifest pasted before hydration is read after it', async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript there is no hydration');
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/pkg/*.wasm', async (route) => { await held; await route.continue(); });
  await page.goto('/autoscaling', { waitUntil: 'domcontentloaded' });
  const yaml = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  minReplicas: 2\n  maxReplicas: 7\n';
  await page.locator('#f-hpa_yaml').fill(yaml);
  release();
  await waitForHydration(page);
  await expect(page.locator('#f-hpa_yaml')).toHaveValue(yaml);
  await expect(page.locator('#hpa-replicas')).toHaveText('2 – 7');
});
