const bundle = (name) => document.querySelector(`meta[name="${name}"]`).content;
const start = () =>
  import(bundle("bundle-js")).then((module) =>
    module.default({ module_or_path: bundle("bundle-wasm") }).then(() => module.hydrate()),
  );
if (document.visibilityState === "hidden") start();
else requestAnimationFrame(() => setTimeout(start, 0));
