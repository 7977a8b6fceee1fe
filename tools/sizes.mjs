// Bundle sizes of the release site: raw, gzip -9 and brotli of every first-load asset, checked
// against two limits from tools/size-budget.json:
//  - `target`: the budgets of issue 8 (WASM 250 KB gzipped, first load 500 KB gzipped), reported;
//  - `ceiling`: what the current build may not grow past (a regression fails the build).
// The HTML is rendered by the server: pass its URL to include it, or it is left out. The ceiling
// is checked against the bundle alone (without the HTML), so a run with --html reads the same.
// echarts is listed apart, under `later`: the first chart that comes near the viewport loads it
// (app/src/components/chart/render.rs), so a first load that shows no chart never fetches it.
// Usage: node tools/sizes.mjs [--site target/site] [--html http://127.0.0.1:3000/] [--check] [--json out.json]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const site = arg('--site', 'target/site');
const htmlUrl = arg('--html', null);
const check = args.includes('--check');
const out = arg('--json', null);
const budget = JSON.parse(fs.readFileSync(new URL('./size-budget.json', import.meta.url), 'utf8'));

const measure = (name, buf) => ({
  name,
  raw: buf.length,
  gzip: zlib.gzipSync(buf, { level: 9 }).length,
  brotli: zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

const pkg = path.join(site, 'pkg');
const pick = (ext) => fs.readdirSync(pkg).filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'));
const assets = [
  ...pick('.wasm').map((f) => measure(`pkg/${f}`, fs.readFileSync(path.join(pkg, f)))),
  ...pick('.js').map((f) => measure(`pkg/${f}`, fs.readFileSync(path.join(pkg, f)))),
  ...pick('.css').map((f) => measure(`pkg/${f}`, fs.readFileSync(path.join(pkg, f)))),
];
const later = [measure('vendor/echarts.min.js (when a chart comes near)', fs.readFileSync(path.join(site, 'vendor', 'echarts.min.js')))];
const bundleGzip = assets.reduce((a, x) => a + x.gzip, 0);
if (htmlUrl) {
  const res = await fetch(htmlUrl);
  assets.push(measure('HTML of ' + new URL(htmlUrl).pathname, Buffer.from(await res.arrayBuffer())));
}
const sum = (key) => assets.reduce((a, x) => a + x[key], 0);
const wasm = assets.filter((a) => a.name.endsWith('.wasm'));
const result = {
  assets,
  wasm_gzip: wasm.reduce((a, x) => a + x.gzip, 0),
  total: { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') },
  bundle_gzip: bundleGzip,
  later,
  html_included: Boolean(htmlUrl),
  budget,
};

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('| asset | raw | gzip | brotli |');
console.log('|---|---:|---:|---:|');
for (const a of assets) console.log(`| ${a.name} | ${kb(a.raw)} | ${kb(a.gzip)} | ${kb(a.brotli)} |`);
console.log(`| **first load** | ${kb(result.total.raw)} | ${kb(result.total.gzip)} | ${kb(result.total.brotli)} |`);
for (const a of later) console.log(`| ${a.name} | ${kb(a.raw)} | ${kb(a.gzip)} | ${kb(a.brotli)} |`);
const verdict = (value, target, ceilingValue, ceiling) =>
  `${kb(value)}: target ${kb(target)} ${value <= target ? 'met' : 'NOT met'}; ceiling ${kb(ceiling)} (${kb(ceilingValue)} without the HTML) ${ceilingValue <= ceiling ? 'ok' : 'EXCEEDED'}`;
console.log(`\nWASM gzipped ${verdict(result.wasm_gzip, budget.target.wasm_gzip, result.wasm_gzip, budget.ceiling.wasm_gzip)}`);
console.log(`First load gzipped ${verdict(result.total.gzip, budget.target.total_gzip, bundleGzip, budget.ceiling.total_gzip)}`);
if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2));
if (check && (result.wasm_gzip > budget.ceiling.wasm_gzip || bundleGzip > budget.ceiling.total_gzip)) {
  console.error('\nBundle size regression: a first-load asset grew past its ceiling in tools/size-budget.json.');
  process.exit(1);
}
