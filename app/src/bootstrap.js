const bundle = (name) => document.querySelector(`meta[name="${name}"]`).content;
let started = false;
const start = () => {
  if (started) return;
  started = true;
  // The WASM downloads beside its script rather than after it.
  const wasm = fetch(bundle("bundle-wasm"));
  // So does the page's own code, in the chunks the server names (`data-chunks`), which the
  // bundle would otherwise ask for only once it runs.
  const chunks = document.querySelector("[data-chunks]")?.dataset.chunks ?? "";
  for (const href of chunks.split(" ").filter(Boolean)) {
    const link = document.createElement("link");
    Object.assign(link, { rel: "preload", as: "fetch", crossOrigin: "anonymous", href });
    document.head.append(link);
  }
  import(bundle("bundle-js")).then((module) =>
    module.default({ module_or_path: wasm }).then(() => module.hydrate()),
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
