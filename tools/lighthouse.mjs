// Lighthouse 12 (package.json pins it; 13 needs Node 22) in its default mode, a mid-range phone
// on a slow 4G link, simulated, against every page of a running release server, as a new user
// would load it: a fresh Chromium (Debian's, as Playwright uses) for each run, so a cold cache.
// Prints and writes the median of the runs per page: the performance score, LCP, TBT and the
// transfer size (Lighthouse's `total-byte-weight`). Only the performance category is run.
// Nothing is downloaded: the pages and their assets come from the server under test, and
// chrome-launcher starts Chromium with background networking, component updates and sync off.
// Usage: node tools/lighthouse.mjs <base-url> [--runs 3] [--json out.json] [--keep dir]
//   CHROME_PATH defaults to /usr/bin/chromium.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [base, ...rest] = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : dflt;
};
if (!base) {
  console.error('usage: node tools/lighthouse.mjs <base-url> [--runs 3] [--json out.json] [--keep dir]');
  process.exit(2);
}
const runs = Number(arg('--runs', '3'));
const out = arg('--json', null);
const keep = arg('--keep', null);
const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';

// The pages are the app's page table (`PAGES` in app/src/pages.rs), which also drives the
// routes and the navigation: read from the navigation the server renders, so a new page is
// measured without editing this list.
async function pagesOfTheApp() {
  const html = await (await fetch(new URL('/', base))).text();
  const nav = html.match(/<nav aria-label="Calculators">([\s\S]*?)<\/nav>/)?.[1] ?? '';
  const paths = [...nav.matchAll(/href="([^"?#]+)/g)].map((m) => m[1]);
  if (paths.length === 0) throw new Error(`no pages found in the navigation of ${base}`);
  return paths;
}

const bin = path.join(root, 'node_modules/.bin/lighthouse');
if (!fs.existsSync(bin)) {
  console.error('lighthouse is missing: run npm ci (make setup)');
  process.exit(2);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-lighthouse-'));
fs.mkdirSync(dir, { recursive: true });
const pages = {};
for (const page of await pagesOfTheApp()) {
  const samples = [];
  for (let run = 1; run <= runs; run++) {
    const report = path.join(dir, `${page === '/' ? 'home' : page.slice(1)}-${run}.json`);
    // Lighthouse now and then fails to record its trace on a busy machine (NO_NAVSTART, "run
    // Lighthouse again"): such a run is retried, twice at most.
    let lhr = null;
    for (let attempt = 1; attempt <= 3 && !lhr; attempt++) {
      fs.rmSync(report, { force: true });
      const result = spawnSync(bin, [
        new URL(page, base).href,
        '--only-categories=performance',
        '--output=json',
        `--output-path=${report}`,
        '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
        '--quiet',
      ], { env: { ...process.env, CHROME_PATH: chrome }, encoding: 'utf8', timeout: 180_000 });
      let found = null;
      try { found = JSON.parse(fs.readFileSync(report, 'utf8')); } catch { /* no report written */ }
      const failure = found?.runtimeError
        ? `${found.runtimeError.code} ${found.runtimeError.message}`
        : result.status !== 0 || !found ? `${result.error ?? ''}${result.stderr ?? ''}` : null;
      if (failure === null) {
        lhr = found;
      } else {
        console.error(`lighthouse on ${page}, run ${run}, attempt ${attempt}: ${failure.trim()}`);
      }
    }
    if (!lhr) process.exit(1);
    const audit = (id) => lhr.audits[id]?.numericValue ?? NaN;
    samples.push({
      score: Math.round((lhr.categories.performance.score ?? NaN) * 100),
      lcp_ms: audit('largest-contentful-paint'),
      tbt_ms: audit('total-blocking-time'),
      bytes: audit('total-byte-weight'),
      fcp_ms: audit('first-contentful-paint'),
      benchmark_index: lhr.environment?.benchmarkIndex ?? NaN,
    });
  }
  const of = (key) => median(samples.map((s) => s[key]));
  pages[page] = {
    score: of('score'),
    lcp_ms: of('lcp_ms'),
    tbt_ms: of('tbt_ms'),
    bytes: of('bytes'),
    fcp_ms: of('fcp_ms'),
    runs: samples,
  };
  const p = pages[page];
  console.log(`${page.padEnd(16)} score ${String(p.score).padStart(3)}  LCP ${(p.lcp_ms / 1000).toFixed(1)} s  `
    + `TBT ${Math.round(p.tbt_ms)} ms  transfer ${(p.bytes / 1024).toFixed(0)} KB  `
    + `(scores ${samples.map((s) => s.score).join(', ')})`);
}
const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/lighthouse/package.json'), 'utf8')).version;
const document = { lighthouse: version, runs, form_factor: 'mobile (default, simulated throttling)', pages };
if (out) fs.writeFileSync(out, JSON.stringify(document, null, 2));
if (!keep) fs.rmSync(dir, { recursive: true, force: true });
