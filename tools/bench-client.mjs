// Client benchmarks in headless Chromium against a running release server:
//  - time to hydrated (navigation start -> <body data-hydrated>), per page, fresh context each run;
//  - input to updated numbers and charts: set a field, dispatch `input`, and time until both the
//    figure's text has changed (MutationObserver) and every chart's setOption has returned;
//  - first-load transfer: encoded bytes of every response of a cold load, by type.
// Usage: node tools/bench-client.mjs <base-url> [--runs 15] [--json out.json]
import { chromium } from '@playwright/test';
import fs from 'node:fs';

const [base, ...rest] = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : dflt;
};
const runs = Number(arg('--runs', '15'));
const out = arg('--json', null);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const summary = (xs) => ({ median: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs), n: xs.length });

// Records when hydration finished, in the page's own clock.
const hydrationProbe = () => {
  new MutationObserver((_, obs) => {
    if (document.body && document.body.hasAttribute('data-hydrated')) {
      window.__hydratedAt = performance.now();
      obs.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
};

async function timeToHydrated(path) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    await context.addInitScript(hydrationProbe);
    const page = await context.newPage();
    await page.goto(base + path);
    await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
    times.push(await page.evaluate(() => window.__hydratedAt));
    await context.close();
  }
  return summary(times);
}

async function firstLoadTransfer(path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes = {};
  const client = await context.newCDPSession(page);
  await client.send('Network.enable');
  const byId = new Map();
  client.on('Network.responseReceived', (e) => byId.set(e.requestId, e.response.url));
  client.on('Network.loadingFinished', (e) => {
    const url = byId.get(e.requestId) ?? '';
    const kind = url.endsWith('.wasm') ? 'wasm' : url.endsWith('.js') ? 'js'
      : url.endsWith('.css') ? 'css' : url.includes('/api/') ? 'api' : url.endsWith('.svg') ? 'icon' : 'html';
    sizes[kind] = (sizes[kind] ?? 0) + e.encodedDataLength;
  });
  await page.goto(base + path, { waitUntil: 'networkidle' });
  await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
  await context.close();
  sizes.total = Object.values(sizes).reduce((a, b) => a + b, 0);
  return sizes;
}

async function inputToUpdate(path, field, values, figure) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + path);
  await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
  // A chart draws when it comes near the viewport, and the first one to draw loads echarts: give
  // the charts near the top of this viewport time to load it (a page with none never does).
  await page.waitForFunction(() => globalThis.echarts, null, { timeout: 3000 }).catch(() => {});
  await page.waitForTimeout(500);
  const runsData = await page.evaluate(async ({ field, values, figure, runs }) => {
    const input = document.getElementById(field);
    const out = document.getElementById(figure);
    // Every chart's setOption: when it returned, and how long it took.
    const jobs = [];
    for (const el of document.querySelectorAll('.chart-canvas')) {
      const chart = globalThis.echarts?.getInstanceByDom(el);
      if (!chart) continue;
      const setOption = chart.setOption.bind(chart);
      chart.setOption = (...args) => {
        const start = performance.now();
        const r = setOption(...args);
        jobs.push({ start, end: performance.now() });
        return r;
      };
    }
    const results = [];
    for (let i = 0; i < runs; i++) {
      const value = values[i % values.length];
      const before = out.textContent;
      let changedAt = 0;
      const obs = new MutationObserver(() => { if (out.textContent !== before && !changedAt) changedAt = performance.now(); });
      obs.observe(out, { subtree: true, characterData: true, childList: true });
      jobs.length = 0;
      const t0 = performance.now();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const handler = performance.now() - t0;
      // Let every queued chart redraw run (one per frame), then read the clocks.
      await new Promise((r) => setTimeout(r, 250));
      obs.disconnect();
      if (changedAt === 0) throw new Error(`${figure} did not change for ${value}`);
      results.push({
        handler,
        figures: changedAt - t0,
        charts_done: jobs.length ? Math.max(...jobs.map((j) => j.end)) - t0 : changedAt - t0,
        longest_chart_job: jobs.length ? Math.max(...jobs.map((j) => j.end - j.start)) : 0,
        charts_redrawn: jobs.length,
      });
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
    return results;
  }, { field, values, figure, runs: runs * 2 });
  await context.close();
  const pick = (k) => summary(runsData.map((r) => r[k]));
  return {
    figures_ms: pick('figures'),
    handler_ms: pick('handler'),
    longest_chart_job_ms: pick('longest_chart_job'),
    all_near_charts_ms: pick('charts_done'),
    charts_redrawn: pick('charts_redrawn'),
  };
}

// Issue 13: a 100,000-row CSV dropped on /capacity. `wasm_ms`: the import and analysis in WASM
// (the page states it: "Read 100,000 points … in N ms"); `page_ms`: from the drop to the point count
// on the page (reading the file, the import, the new report and the redraw).
// Importing observed traffic (issue 13): drop a CSV of `rows` rows and time until its figures
// show (page_ms), with the core's own time as the page states it (core_ms: in the worker, or on
// the page when no worker could start) and the longest task the page's thread ran meanwhile
// (longest_task_ms, from the Long Tasks API, which reports tasks over 50 ms; 0: none that long).
async function importTraffic(rows, times) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/capacity');
  await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
  const pageMs = [];
  const core = [];
  const longest = [];
  for (let i = 0; i < times; i++) {
    const run = await page.evaluate(async ({ rows, i }) => {
      const lines = ['time,requests'];
      for (let r = 0; r < rows; r++) lines.push(`${1700000000 + r * 300},${1000 + ((r * 7919 + i) % 5000)}`);
      const dt = new DataTransfer();
      dt.items.add(new File([lines.join('\n')], 'big.csv', { type: 'text/csv' }));
      const want = rows.toLocaleString('en-US');
      // Making the file is this script's own long task: let it end before watching.
      await new Promise((r) => setTimeout(r, 50));
      const tasks = [];
      const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: 'longtask' });
      const t0 = performance.now();
      document.getElementById('obs-drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      for (;;) {
        await new Promise((r) => setTimeout(r, 2));
        const el = document.getElementById('obs-points');
        if (el && el.textContent === want) break;
        if (performance.now() - t0 > 60000) throw new Error('import did not finish');
      }
      const ms = performance.now() - t0;
      observer.takeRecords().forEach((e) => tasks.push(e.duration));
      observer.disconnect();
      return { ms, longest: Math.max(0, ...tasks) };
    }, { rows, i });
    pageMs.push(run.ms);
    longest.push(run.longest);
    const said = await page.locator('#obs-findings').innerText();
    const m = said.match(/ in ([\d,]+) ms/);
    if (m) core.push(Number(m[1].replace(/,/g, '')));
    await page.evaluate(() => document.getElementById('obs-remove')?.click());
    await page.waitForTimeout(200);
  }
  await context.close();
  return { page_ms: summary(pageMs), core_ms: summary(core), longest_task_ms: summary(longest) };
}

// Issue 15: 10,000 samples of a scenario with ranges, in the page's WASM, timed by the page's
// clock (app/src/lib.rs, time_sampling): the work the page does after typing stops. Two queries:
// one range, and five ranges with a baseline (the baseline is not sampled).
async function sampling(times) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/capacity');
  await page.waitForSelector('body[data-hydrated]', { timeout: 20000 });
  const out = {};
  for (const query of ['v=2&dau=80M..120M', 'v=2&dau=80M..100M..150M&reads=5..20&peak=3..10&util=0.6..0.8&inst_hr=0.03..0.05']) {
    const ms = await page.evaluate(async ({ query, times }) => {
      const href = new URL(document.querySelector('meta[name="bundle-js"]').content, location.href).href;
      const bundle = await import(href);
      return Array.from(bundle.time_sampling(query, times));
    }, { query, times });
    out[query] = summary(ms);
  }
  await context.close();
  return out;
}

const result = { base, runs, date: new Date().toISOString() };
result.hydrated_ms = {};
for (const path of ['/', '/capacity', '/availability', '/cost']) result.hydrated_ms[path] = await timeToHydrated(path);
result.first_load_bytes = await firstLoadTransfer('/capacity');
result.input_to_update_ms = {
  '/capacity dau': await inputToUpdate('/capacity', 'f-dau', ['200M', '100M', '5M', '1.5G'], 'peak-read-qps'),
  '/cost req_month': await inputToUpdate('/cost', 'f-req_month', ['50M', '1M', '2G', '300k'], 'serverless-cost'),
};
result.import_100k_rows = await importTraffic(100000, Math.min(runs, 7));
result.import_1m_rows = await importTraffic(1000000, 3);
result.sampling_10k_ms = await sampling(Math.max(runs, 10));
await browser.close();
const text = JSON.stringify(result, null, 2);
if (out) fs.writeFileSync(out, text);
console.log(text);
