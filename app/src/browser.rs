//! Browser-only plumbing in one place: downloads, the clipboard, reading a dropped file, the
//! clock. Compiled only into the WASM bundle (feature `hydrate`).

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

fn message(err: JsValue) -> String {
    err.as_string()
        .or_else(|| {
            js_sys::JSON::stringify(&err)
                .ok()
                .and_then(|s| s.as_string())
        })
        .unwrap_or_else(|| "the browser refused".to_string())
}

/// Offers `text` as a file download named `filename`, then revokes the object URL so the blob
/// does not stay in memory.
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(message)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(message)?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(message)?
        .dyn_into()
        .map_err(|_| "no anchor")?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    web_sys::Url::revoke_object_url(&url).map_err(message)
}

/// Copies `text` to the clipboard.
pub async fn copy_text(text: String) -> Result<(), String> {
    let clipboard = web_sys::window()
        .ok_or("no window")?
        .navigator()
        .clipboard();
    JsFuture::from(clipboard.write_text(&text))
        .await
        .map(|_| ())
        .map_err(message)
}

/// The file a file input's `change` event carries, clearing the input so that choosing the same
/// file again fires `change` again.
pub fn take_chosen_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
}

/// The first file of a `drop` event, with the browser's own handling (opening it) prevented.
pub fn dropped_file(ev: &web_sys::DragEvent) -> Option<web_sys::File> {
    ev.prevent_default();
    ev.data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0))
}

/// Reads a file the person picked or dropped, as text.
pub async fn read_text(file: web_sys::File) -> Result<String, String> {
    let value = JsFuture::from(file.text()).await.map_err(message)?;
    value
        .as_string()
        .ok_or_else(|| "the file is not text".to_string())
}

/// Now, as RFC 3339 UTC with whole seconds (`2026-11-27T19:00:00Z`), the form the server's
/// reports use too.
pub fn now_rfc3339() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    // "2026-11-27T19:00:00.123Z" -> "2026-11-27T19:00:00Z"
    format!("{}Z", iso.get(..19).unwrap_or(&iso))
}

/// The page's origin, e.g. `http://127.0.0.1:3000`.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// POSTs `body` as text to `path` on this page's server; the status and the body of the answer.
pub async fn post_text(path: &str, body: &str) -> Result<(u16, String), String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(message)?
        .dyn_into()
        .map_err(|_| "no response")?;
    let text = JsFuture::from(response.text().map_err(message)?)
        .await
        .map_err(message)?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// A form control the person changed before the page hydrated, and what they left in it.
pub struct Edited {
    control: Control,
    /// The text typed or the option chosen; for a checkbox, `"1"` or `""`.
    value: String,
}

/// The kinds of form control a person can change before hydration, each with the way to read
/// its value, the value the server rendered, and the way to set it back.
enum Control {
    Checkbox(web_sys::HtmlInputElement),
    Text(web_sys::HtmlInputElement),
    Area(web_sys::HtmlTextAreaElement),
    Select(web_sys::HtmlSelectElement),
}

impl Control {
    fn of(element: web_sys::Element) -> Option<Self> {
        let element = match element.dyn_into::<web_sys::HtmlInputElement>() {
            Ok(input) => {
                return match input.type_().as_str() {
                    "checkbox" => Some(Self::Checkbox(input)),
                    // A file picked before hydration cannot be handed over; nothing else is typed.
                    "text" | "search" | "number" => Some(Self::Text(input)),
                    _ => None,
                };
            }
            Err(element) => element,
        };
        let element = match element.dyn_into::<web_sys::HtmlTextAreaElement>() {
            Ok(area) => return Some(Self::Area(area)),
            Err(element) => element,
        };
        element.dyn_into().ok().map(Self::Select)
    }

    /// What the control holds now; for a checkbox, `"1"` or `""`.
    fn value(&self) -> String {
        match self {
            Self::Checkbox(input) => flag(input.checked()),
            Self::Text(input) => input.value(),
            Self::Area(area) => area.value(),
            Self::Select(select) => select.value(),
        }
    }

    /// What the server rendered into it.
    fn rendered(&self) -> Option<String> {
        Some(match self {
            Self::Checkbox(input) => flag(input.default_checked()),
            Self::Text(input) => input.default_value(),
            Self::Area(area) => area.default_value().ok()?,
            // The rendered choice is the option marked `selected`, else the first.
            Self::Select(select) => select
                .query_selector("option[selected]")
                .ok()
                .flatten()
                .or_else(|| select.query_selector("option").ok().flatten())
                .and_then(|o| o.get_attribute("value"))
                .unwrap_or_default(),
        })
    }

    fn set(&self, value: &str) {
        match self {
            Self::Checkbox(input) => input.set_checked(!value.is_empty()),
            Self::Text(input) => input.set_value(value),
            Self::Area(area) => area.set_value(value),
            Self::Select(select) => select.set_value(value),
        }
    }

    /// The event the control's handler listens for: `input` for text, `change` otherwise.
    fn event(&self) -> &'static str {
        match self {
            Self::Text(_) | Self::Area(_) => "input",
            Self::Checkbox(_) | Self::Select(_) => "change",
        }
    }

    fn target(&self) -> &web_sys::EventTarget {
        match self {
            Self::Checkbox(input) | Self::Text(input) => input,
            Self::Area(area) => area,
            Self::Select(select) => select,
        }
    }
}

fn flag(on: bool) -> String {
    if on { "1" } else { "" }.to_string()
}

/// Every form control whose value differs from the one the server rendered: on a slow link
/// the fields are usable seconds before the WASM arrives, and hydration would otherwise put
/// the rendered values back over what was typed.
pub fn edited_controls() -> Vec<Edited> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let Ok(controls) = document.query_selector_all("input, select, textarea") else {
        return Vec::new();
    };
    (0..controls.length())
        .filter_map(|i| controls.item(i))
        .filter_map(|node| Control::of(node.dyn_into().ok()?))
        .filter_map(|control| {
            let value = control.value();
            (value != control.rendered()?).then_some(Edited { control, value })
        })
        .collect()
}

/// Puts each edit back after hydration and tells the page, as if it had been typed now.
pub fn replay(edits: Vec<Edited>) {
    for Edited { control, value } in edits {
        control.set(&value);
        let init = web_sys::EventInit::new();
        // Leptos listens on the document for delegated events: the event must bubble.
        init.set_bubbles(true);
        if let Ok(event) = web_sys::Event::new_with_event_init_dict(control.event(), &init) {
            let _ = control.target().dispatch_event(&event);
        }
    }
}

/// Loads the page at `path` from the server, keeping the query and fragment: what a link does
/// without JavaScript. For a page whose code could not be fetched.
pub fn load_from_server(path: &str) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    if location.pathname().is_ok_and(|here| here == path) {
        let _ = location.reload();
    } else {
        let _ = location.assign(&format!("{path}{search}{hash}"));
    }
}

/// Resolves in a later task of the browser's event loop (a zero-delay timer), so that the
/// work after it does not lengthen the task that is running.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A job to run when echarts has loaded (`true`) or failed to (`false`).
type EchartsJob = Box<dyn FnOnce(bool)>;

thread_local! {
    /// What waits for echarts: `None` until a chart first asks for it, then the jobs to run
    /// when its script has loaded.
    static ECHARTS_WAITERS: RefCell<Option<Vec<EchartsJob>>> = const { RefCell::new(None) };
}

/// The content of the page's `<meta name="{name}">`: where the shell tells the browser what
/// to load (echarts, the bundle).
pub fn meta_content(name: &str) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()?
        .get_attribute("content")
}

/// Runs `then(true)` once the echarts global exists: now if it does, otherwise when the
/// vendored build (the path in the page's `<meta name="echarts-src">`) has loaded, which the
/// first call requests. A build that fails to load is logged and runs `then(false)`; the next
/// call requests it again.
pub fn with_echarts(then: impl FnOnce(bool) + 'static) {
    if js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("echarts")).unwrap_or(false) {
        then(true);
        return;
    }
    let first = ECHARTS_WAITERS.with(|w| {
        let mut waiters = w.borrow_mut();
        let first = waiters.is_none();
        waiters.get_or_insert_with(Vec::new).push(Box::new(then));
        first
    });
    if first && let Err(err) = request_echarts() {
        leptos::logging::error!("echarts: {err}");
        run_echarts_waiters(false);
    }
}

/// Runs and forgets the jobs waiting for echarts; the next [`with_echarts`] asks again.
fn run_echarts_waiters(loaded: bool) {
    let waiters = ECHARTS_WAITERS.with(|w| w.borrow_mut().take());
    for job in waiters.into_iter().flatten() {
        job(loaded);
    }
}

fn request_echarts() -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let src = meta_content(crate::ECHARTS_META).unwrap_or_else(|| crate::ECHARTS_PATH.to_string());
    let script: web_sys::HtmlScriptElement = document
        .create_element("script")
        .map_err(message)?
        .dyn_into()
        .map_err(|_| "no script element")?;
    script.set_src(&src);
    let loaded = Closure::once_into_js(|| run_echarts_waiters(true));
    script.set_onload(Some(loaded.unchecked_ref()));
    let failed = Closure::once_into_js(move || {
        leptos::logging::error!("echarts: {src} did not load");
        run_echarts_waiters(false);
    });
    script.set_onerror(Some(failed.unchecked_ref()));
    document
        .head()
        .ok_or("no head")?
        .append_child(&script)
        .map_err(message)?;
    Ok(())
}
