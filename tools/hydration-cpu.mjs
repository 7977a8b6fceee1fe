// The main thread's CPU time of the longest task that runs the page's WASM (hydration), per page,
// from a Chromium trace: a steadier measure than Lighthouse's blocking time on a busy 2-core
// machine, where the same task's wall time is 1.5 to 2.5 times its CPU time (the main thread
// waits for a core) and Lighthouse scales the wall time by 4.
//
// Usage: node tools/hydration-cpu.mjs <base-url> [--runs 9] [path ...]
// (default paths: /capacity /cost /autoscaling /load-balancing). A fresh browser context per run,
// a phone's viewport (412 px), no throttling. Prints, per run, every main-thread task over 8 ms
// that compiled WASM, as CPU ms / wall ms (of which lazy compilation), then the median and the
// spread of the longest one's CPU time.
import { chromium } from '@playwright/test';

const [base, ...rest] = process.argv.slice(2);
if (!base) {
  console.error('usage: node tools/hydration-cpu.mjs <base-url> [--runs 9] [path ...]');
  process.exit(2);
}
const at = rest.indexOf('--runs');
const runs = at >= 0 ? Number(rest.splice(at, 2)[1]) : 9;
const paths = rest.length ? rest : ['/capacity', '/cost', '/autoscaling', '/load-balancing'];
const ms = (us) => us / 1000;

const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium' });
for (const path of paths) {
  const longest = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((resolve) => cdp.on('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.wasm',
      transferMode: 'ReportEvents',
    });
    await page.goto(base + path);
    await page.waitForSelector('body[data-hydrated]', { timeout: 30000 });
    await page.waitForTimeout(500);
    await cdp.send('Tracing.end');
    await complete;
    await context.close();
    // The page's main thread: the renderer main thread that called the most functions.
    const threads = events
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`);
    const calls = (t) => events.filter((e) => `${e.pid}:${e.tid}` === t && e.name === 'FunctionCall').length;
    const main = threads.reduce((a, t) => (calls(t) > calls(a) ? t : a), threads[0]);
    const on = (e) => `${e.pid}:${e.tid}` === main && e.ph === 'X';
    const compiles = events.filter((e) => on(e) && e.name === 'wasm.CompileLazy');
    const tasks = events
      .filter((e) => on(e) && e.name === 'RunTask' && e.dur > 8000)
      .map((task) => ({
        task,
        compile: compiles
          .filter((c) => c.ts >= task.ts && c.ts <= task.ts + task.dur)
          .reduce((sum, c) => sum + c.dur, 0),
      }))
      .filter((t) => t.compile > 0);
    if (!tasks.length) continue;
    longest.push(Math.max(...tasks.map((t) => ms(t.task.tdur))));
    const shown = tasks.map(
      (t) => `${ms(t.task.tdur).toFixed(0)}/${ms(t.task.dur).toFixed(0)} (${ms(t.compile).toFixed(0)})`,
    );
    console.log(`${path} run ${i + 1}: ${shown.join('  ')}`);
  }
  longest.sort((a, b) => a - b);
  const median = longest[Math.floor(longest.length / 2)];
  console.log(
    `${path}: longest WASM task, CPU ms: median ${median?.toFixed(1)} ` +
      `(${longest.map((x) => x.toFixed(0)).join(', ')}; ${longest.length} runs)`,
  );
}
await browser.close();
