import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// Issue 21: a photo feed tried as a new user would. Start from the chapter's example (its
// preset), state the chapter's headroom (70%, N+1) so the figures do not depend on the
// defaults, then make the writes 2 MB uploads, the reads 100 kB images, and put a CDN in front
// that serves 90% of the read bytes. Worked by hand (100M users, 0.5 writes and 10 reads a day,
// peak 10×: 5,787.04 writes/s and 115,740.7 reads/s at peak):
//   web:   requests ⌈121,528 / 7,000⌉ = 18; network: ingress 5,787 × 2 MB = 11.57 GB/s against
//          origin egress 115,741 × 100 kB × 0.1 = 1.16 GB/s, ⌈11.57 GB/s / 70 MB/s⌉ = 166;
//          network binds, + 1 spare = 167
//   cache: ⌈115,741 / 70,000⌉ = 2 for operations, no memory bound, + 1 = 3; with 64 GiB a node,
//          the working set 0.2 × 100M × 10 × 100 kB = 20 TB: ⌈20 TB / (68.7 GB × 0.7)⌉ = 416
//   db:    ⌈5,787 / 7,000⌉ = 1 shard; no storage bound
//   egress: 11,574 reads/s × 100 kB = 1.16 GB/s, 1.04 GB/s at the edge, 116 MB/s at the origin
test('the photo feed says which bound binds on each tier', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/');
  await page.getByRole('link', { name: /The chapter's example/ }).click();
  await expect(page).toHaveURL(/\/capacity/);
  await calc.set('util', '0.7');
  await calc.choose('spare', 'n+1');
  // The chapter's web tier at 70% and N+1: ⌈121,528 / 7,000⌉ = 18 for requests against
  // ⌈1.157 GB/s / 70 MB/s⌉ = 17 for network; + 1 = 19.
  await calc.expectMetric('web-servers', '19');
  await expect(page.locator('#bound-web')).toContainText('requests bind: 18 against 17 for network');

  await calc.set('size', '2MB');
  await calc.set('read_size', '100kB');
  await calc.set('cdn_hit', '0.9');
  await expect(page).toHaveURL(/cdn_hit=0.9/);
  await calc.expectMetric('web-servers', '167');
  await calc.expectMetric('web-servers-requests', '18');
  await calc.expectMetric('web-servers-network', '166');
  await calc.expectMetric('edge-egress', '1.04 GB/s');
  await calc.expectMetric('origin-egress', '116 MB/s');
  await expect(page.locator('#bound-web')).toContainText('network binds: 166 against 18 for requests');
  await expect(page.locator('#bound-web td.num')).toHaveText('167');
  await expect(page.locator('#bound-cache')).toContainText('operations bind: 2 against 0 for memory');
  await expect(page.locator('#bound-db')).toContainText('writes bind: 1 against 0 for storage');

  await calc.set('cache_mem', '64 GiB');
  await expect(page.locator('#bound-cache')).toContainText('memory binds: 416 against 2 for operations');
  await calc.expectMetric('cache-nodes', '417');
  expect(errors).toEqual([]);
});

test('a bad bound is refused by its field and the last figures stay', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/capacity', 'util=0.7&spare=n%2B1&size=2MB&read_size=100kB&cdn_hit=0.9');
  await calc.expectMetric('web-servers', '167');
  await calc.set('nic', '1 Gb/s');
  await expect(calc.note('nic')).toContainText('unknown unit "Gb"');
  // Bits are not bytes: the field says so and the count is still the 100 MB/s one.
  await calc.expectMetric('web-servers', '167');
});
