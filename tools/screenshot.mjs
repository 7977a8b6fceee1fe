// Takes screenshots of Headroom pages in Debian's Chromium, for looking at what we build.
// Usage: node tools/screenshot.mjs <base-url> <out-dir> <path>[,<path>...] [--widths 1280,375]
//        [--schemes light,dark] [--no-js] [--viewport-only]
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const [base, outDir, pathsArg = '/', ...rest] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : dflt;
};
const widths = opt('--widths', '1280').split(',').map(Number);
const schemes = opt('--schemes', 'light').split(',');
const js = !rest.includes('--no-js');
const full = !rest.includes('--viewport-only');
fs.mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
for (const p of pathsArg.split(',')) {
  for (const width of widths) {
    for (const scheme of schemes) {
      const context = await browser.newContext({
        viewport: { width, height: 900 }, colorScheme: scheme, javaScriptEnabled: js,
      });
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') console.error(`[${p}] console: ${m.text()}`); });
      await page.goto(base + p);
      if (js) {
        await page.waitForSelector('body[data-hydrated]', { timeout: 15000 });
        // Charts draw when they come near the viewport: pass each by, as a reader scrolling
        // down would, so that a full-page shot shows them drawn.
        if (full) {
          for (const chart of await page.locator('figure.chart').all()) {
            await chart.scrollIntoViewIfNeeded();
            await page.waitForTimeout(100);
          }
          await page.evaluate(() => window.scrollTo(0, 0));
        }
      }
      await page.waitForTimeout(300);
      const name = (p.split('?')[0].replace(/\//g, '_') || '_').replace(/^_$/, 'home').replace(/^_/, '');
      const file = path.join(outDir, `${name}-${width}-${scheme}${js ? '' : '-nojs'}.png`);
      await page.screenshot({ path: file, fullPage: full });
      console.log(file);
      await context.close();
    }
  }
}
await browser.close();
