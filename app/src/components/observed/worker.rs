//! Reading an imported file off the page's thread: a module worker (`public/traffic-worker.js`)
//! gets the file itself (or the pasted text), loads this same bundle, runs [`super::read::read`]
//! through the bundle's `read_traffic` export and answers its JSON. A million rows take about
//! half a second to read, which on the page's thread would freeze typing and scrolling for as
//! long.
//!
//! When no worker can start (no `Worker`, the bundle's URLs not in the page, or the worker
//! failing to load the bundle), the page reads the file itself: slower to respond, same answer.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::read::{Read, read};

/// Milliseconds since the epoch, in a page and in a worker alike.
pub fn clock() -> Option<f64> {
    Some(js_sys::Date::now())
}

/// What to read: a file the person picked or dropped, or the pasted text.
pub enum Source {
    /// Handed to the worker as it is (a `File` crosses to a worker without its bytes being
    /// copied), so the page's thread and its WASM memory never hold the text.
    File(web_sys::File),
    /// The pasted text.
    Text(String),
}

/// Reads `source` in a worker, or on this thread when none can start (see [`read`]); `true`
/// with the answer when a worker gave it.
pub async fn read_off_thread(
    source: Source,
    values: &str,
    step: &str,
) -> (Result<Read, String>, bool) {
    if let Some(answer) = in_worker(&source, values, step).await {
        return (answer, true);
    }
    let text = match source {
        Source::File(file) => crate::browser::read_text(file).await,
        Source::Text(text) => Ok(text),
    };
    (text.and_then(|t| read(&t, values, step, clock)), false)
}

/// The bundle's script and WASM, from the `<meta>` tags the shell writes for its bootstrap.
fn bundle_urls() -> Option<(String, String)> {
    Some((
        crate::browser::meta_content(crate::BUNDLE_JS_META)?,
        crate::browser::meta_content(crate::BUNDLE_WASM_META)?,
    ))
}

async fn in_worker(source: &Source, values: &str, step: &str) -> Option<Result<Read, String>> {
    let (js, wasm) = bundle_urls()?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(crate::TRAFFIC_WORKER_PATH, &options).ok()?;
    // The worker's first message or error settles the promise; no closure outlives it.
    let answered = Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    });
    let message = Object::new();
    let (key, content): (&str, JsValue) = match source {
        Source::File(file) => ("file", file.into()),
        Source::Text(text) => ("text", JsValue::from_str(text)),
    };
    let posted = [
        ("js", JsValue::from_str(&js)),
        ("wasm", JsValue::from_str(&wasm)),
        (key, content),
        ("values", JsValue::from_str(values)),
        ("step", JsValue::from_str(step)),
    ]
    .iter()
    .all(|(key, value)| Reflect::set(&message, &JsValue::from_str(key), value).is_ok())
        && worker.post_message(&message).is_ok();
    let answer = if posted {
        JsFuture::from(answered).await.ok()
    } else {
        None
    };
    worker.terminate();
    let json = answer?
        .dyn_into::<MessageEvent>()
        .ok()?
        .data()
        .as_string()?;
    serde_json::from_str(&json).ok()
}
