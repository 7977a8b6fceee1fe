// Bundle sizes of the release site: raw, gzip -9 and brotli of what each page loads first,
// checked against two limits from tools/size-budget.json:
//  - `target`: the budgets of issue 16 (WASM 250 KB gzipped, first load 500 KB gzipped), reported;
//  - `ceiling`: what the current build may not grow past (a regression fails the build).
// A split build (`cargo leptos build --split`) has a main bundle and, per page, the chunks its
// code is in (pkg/__wasm_split_manifest.*.json, keyed by the page's split point, `capacity_page`): a page's
// first load is the main WASM, the scripts, the stylesheet and that page's chunks, which is what
// the browser fetches before the page is interactive (app/src/bootstrap.js). Both limits apply to
// the page that loads the most. An unsplit build counts every WASM file.
// The HTML is rendered by the server: pass its URL to include it, or it is left out. The ceiling
// is checked without it, so a run with --html reads the same.
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
const sum = (list, key) => list.reduce((a, x) => a + x[key], 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const pkg = path.join(site, 'pkg');
const files = fs.readdirSync(pkg).filter((f) => !/\.(br|gz|ts)$/.test(f));
const file = (f) => measure(`pkg/${f}`, fs.readFileSync(path.join(pkg, f)));
const manifestFile = files.find((f) => f.startsWith('__wasm_split_manifest') && f.endsWith('.json'));
const manifest = manifestFile ? JSON.parse(fs.readFileSync(path.join(pkg, manifestFile), 'utf8')) : null;
const chunkFiles = new Set(manifest ? Object.values(manifest).flat().map((c) => `${c}.wasm`) : []);

// What every page loads: the scripts, the stylesheet and the WASM that is no page's chunk.
const common = [
  ...files.filter((f) => f.endsWith('.wasm') && !chunkFiles.has(f)).map(file),
  ...files.filter((f) => f.endsWith('.js')).map(file),
  ...files.filter((f) => f.endsWith('.css')).map(file),
];
const chunkSizes = new Map([...chunkFiles].filter((f) => files.includes(f)).map((f) => [f, file(f)]));
// Each split point's chunks, by its name: a page's (`capacity_page`), or code fetched later, on
// demand (`chart_drawing`, when the first chart comes near the viewport).
const splits = Object.entries(manifest ?? {})
  .map(([key, chunks]) => {
    const own = chunks.map((c) => chunkSizes.get(`${c}.wasm`)).filter(Boolean);
    return { page: key, files: chunks, chunks: own.length, raw: sum(own, 'raw'), gzip: sum(own, 'gzip'), brotli: sum(own, 'brotli') };
  })
  .sort((a, b) => a.page.localeCompare(b.page));
const pages = manifest
  ? splits.filter((s) => s.page.endsWith('_page'))
  : [{ page: '(not split)', chunks: 0, raw: 0, gzip: 0, brotli: 0 }];
// What a split fetched on demand adds to a page, beside the chunks the page already has.
const onDemand = splits
  .filter((s) => !s.page.endsWith('_page'))
  .map((s) => {
    const added = (p) => s.files.filter((c) => !p.files.includes(c)).map((c) => chunkSizes.get(`${c}.wasm`)).filter(Boolean);
    const gz = pages.map((p) => sum(added(p), 'gzip'));
    return { name: s.page, chunks: s.chunks, gzip: s.gzip, added_gzip_min: Math.min(...gz), added_gzip_max: Math.max(...gz) };
  });
const commonWasm = common.filter((a) => a.name.endsWith('.wasm'));
for (const p of pages) {
  p.wasm_gzip = sum(commonWasm, 'gzip') + p.gzip;
  p.first_load = { raw: sum(common, 'raw') + p.raw, gzip: sum(common, 'gzip') + p.gzip, brotli: sum(common, 'brotli') + p.brotli };
}
const heaviest = pages.reduce((a, p) => (p.first_load.gzip > a.first_load.gzip ? p : a));
const later = [measure('vendor/echarts.min.js (when a chart comes near)', fs.readFileSync(path.join(site, 'vendor', 'echarts.min.js')))];
let html = null;
if (htmlUrl) {
  const res = await fetch(htmlUrl);
  html = measure('HTML of ' + new URL(htmlUrl).pathname, Buffer.from(await res.arrayBuffer()));
}
const result = {
  common,
  pages,
  heaviest: heaviest.page,
  wasm_gzip: Math.max(...pages.map((p) => p.wasm_gzip)),
  bundle_gzip: heaviest.first_load.gzip,
  total: {
    raw: heaviest.first_load.raw + (html?.raw ?? 0),
    gzip: heaviest.first_load.gzip + (html?.gzip ?? 0),
    brotli: heaviest.first_load.brotli + (html?.brotli ?? 0),
  },
  html,
  later,
  on_demand: onDemand,
  all_chunks: { files: chunkSizes.size, gzip: sum([...chunkSizes.values()], 'gzip') },
  budget,
};

console.log('| loaded by every page | raw | gzip | brotli |');
console.log('|---|---:|---:|---:|');
for (const a of common) console.log(`| ${a.name} | ${kb(a.raw)} | ${kb(a.gzip)} | ${kb(a.brotli)} |`);
for (const a of later) console.log(`| ${a.name} | ${kb(a.raw)} | ${kb(a.gzip)} | ${kb(a.brotli)} |`);
if (html) console.log(`| ${html.name} | ${kb(html.raw)} | ${kb(html.gzip)} | ${kb(html.brotli)} |`);
console.log('\n| page (split point) | its chunks | chunks gzip | WASM gzip | first load gzip | first load brotli |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const p of pages) {
  console.log(`| ${p.page} | ${p.chunks} | ${kb(p.gzip)} | ${kb(p.wasm_gzip)} | ${kb(p.first_load.gzip)} | ${kb(p.first_load.brotli)} |`);
}
for (const d of onDemand) {
  console.log(`\nOn demand, ${d.name}: ${d.chunks} chunks, ${kb(d.gzip)} gzip; what it adds to a page: ${kb(d.added_gzip_min)} to ${kb(d.added_gzip_max)} gzip.`);
}
if (manifest) console.log(`\nAll ${chunkSizes.size} chunk files together: ${kb(result.all_chunks.gzip)} gzip.`);
const verdict = (value, target, ceilingValue, ceiling) =>
  `${kb(value)}: target ${kb(target)} ${value <= target ? 'met' : 'NOT met'}; ceiling ${kb(ceiling)} (${kb(ceilingValue)} without the HTML) ${ceilingValue <= ceiling ? 'ok' : 'EXCEEDED'}`;
console.log(`\nHeaviest page: ${heaviest.page}.`);
console.log(`WASM gzipped ${verdict(result.wasm_gzip, budget.target.wasm_gzip, result.wasm_gzip, budget.ceiling.wasm_gzip)}`);
console.log(`First load gzipped ${verdict(result.total.gzip, budget.target.total_gzip, result.bundle_gzip, budget.ceiling.total_gzip)}`);
if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2));
if (check && (result.wasm_gzip > budget.ceiling.wasm_gzip || result.bundle_gzip > budget.ceiling.total_gzip)) {
  console.error('\nBundle size regression: a first load grew past its ceiling in tools/size-budget.json.');
  process.exit(1);
}
