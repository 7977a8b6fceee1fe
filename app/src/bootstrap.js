const bundle = (name) => document.querySelector(`meta[name="${name}"]`).content;
let started = false;
const start = () => {
  if (started) return;
  started = true;
  import(bundle("bundle-js")).then((module) =>
    module.default({ module_or_path: bundle("bundle-wasm") }).then(() => module.hydrate()),
  );
};
const paintTiming = globalThis.PerformanceObserver?.supportedEntryTypes?.includes("paint");
if (document.visibilityState === "hidden") {
  start();
} else if (paintTiming) {
  new PerformanceObserver((_, observer) => {
    observer.disconnect();
    setTimeout(start, 0);
  }).observe({ type: "paint", buffered: true });
  // A page that never reports a paint still hydrates.
  setTimeout(start, 3000);
} else {
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(start, 0)));
}
