import { expect, test, type Page } from '@playwright/test';
import { hasJs } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

/** Milliseconds from an input event on `field` to the text of `metric` changing (the simulation
 * rerun and the numbers re-rendered), and to the next frame after that (charts updated too). */
async function inputToNumbers(page: Page, field: string, value: string, metric: string) {
  return page.evaluate(
    async ([field, value, metric]) => {
      const input = document.getElementById(`f-${field}`) as HTMLInputElement;
      const out = document.getElementById(metric)!;
      const before = out.textContent;
      let t0 = 0;
      const numbers = await new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (out.textContent !== before) {
            observer.disconnect();
            resolve(performance.now() - t0);
          }
        });
        observer.observe(out, { childList: true, characterData: true, subtree: true });
        input.value = value;
        t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return { numbers, frame: performance.now() - t0 };
    },
    [field, value, metric],
  );
}

// [path, query, field, values typed in turn (the first warms up), metric that changes each time]
const cases: [string, string, string, string[], string][] = [
  ['/queueing', '', 'q_rate', ['800', '810', '820', '830'], 'q-utilization'],
  ['/autoscaling', '', 'as_mean', ['21000', '22000', '23000', '24000'], 'as-cost'],
  ['/rate-limiting', '', 'rl_rate', ['3', '3.1', '3.2', '3.3'], 'rl-requests'],
  ['/load-balancing', '', 'lb_rate', ['300', '301', '302', '303'], 'lb-offered'],
  ['/load-balancing', 'lb_requests=100000', 'lb_rate', ['300', '301', '302', '303'], 'lb-offered'],
];

for (const [path, query, field, values, metric] of cases) {
  test(`typing on ${path}${query ? `?${query}` : ''} updates the numbers promptly in WASM`, async ({ page }, info) => {
    test.skip(!hasJs(info), 'measures the hydrated page');
    const calc = new CalculatorPage(page, true);
    await calc.open(path, query);
    const [warm, ...measured] = values;
    await inputToNumbers(page, field, warm, metric);
    const runs = [];
    for (const v of measured) runs.push(await inputToNumbers(page, field, v, metric));
    const numbers = runs.map((r) => Math.round(r.numbers));
    const frames = runs.map((r) => Math.round(r.frame));
    console.log(`${path}${query ? `?${query}` : ''} ${field}: input→numbers ${numbers.join(', ')} ms; →next frame ${frames.join(', ')} ms`);
    info.annotations.push({ type: 'timing', description: `${path} ${query}: numbers ${numbers} ms, frame ${frames} ms` });
    // A keystroke at the page defaults must not stall typing.
    if (!query) expect(Math.max(...numbers)).toBeLessThan(500);
  });
}
