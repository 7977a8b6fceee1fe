// The observed-traffic panel's worker (app/src/components/observed/worker.rs): reads an imported
// file with the page's own WASM bundle, off the page's thread, so a million rows do not freeze
// the page. The page sends the bundle's URLs with the file (unread) or the pasted text; the answer
// is the JSON text that the bundle's `read_traffic` returns, or null when the bundle could not
// start here or the file could not be read (the page then reads it itself).
let bundle;
self.onmessage = async ({ data }) => {
  try {
    bundle ??= import(data.js).then(async (module) => {
      await module.default({ module_or_path: data.wasm });
      return module;
    });
    const module = await bundle;
    const text = data.file ? await data.file.text() : data.text;
    self.postMessage(module.read_traffic(text, data.values, data.step));
  } catch {
    self.postMessage(null);
  }
};
