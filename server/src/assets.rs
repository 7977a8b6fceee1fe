//! Static files: the built site (WASM bundle, its JS glue, CSS, the vendored echarts build,
//! favicon), served precompressed when `cargo leptos build --precompress` left `.br`/`.gz`
//! siblings, with a cache policy keyed on cargo-leptos's content hashes.

use std::collections::HashSet;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::handler::Handler;
use axum::http::{HeaderValue, Request, Response, header};
use axum::response::IntoResponse;
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;
use tower_http::services::ServeDir;

use headroom_app::{Bundle, ECHARTS_PATH, EchartsSrc, TRAFFIC_WORKER_PATH, shell};

/// The name cargo-leptos gives the bundle (`name` in the workspace's leptos metadata), used when
/// the binary was built without cargo-leptos and so without `LEPTOS_OUTPUT_NAME`.
pub const DEFAULT_OUTPUT_NAME: &str = "headroom";

/// Which static paths are content-hashed, and so may be cached forever.
#[derive(Debug, Default)]
pub struct AssetPolicy {
    pkg_prefix: String,
    hashes: HashSet<String>,
    /// The vendored echarts build's hashed path, `/vendor/echarts.<hash>.min.js`, when the file
    /// is there.
    echarts: Option<String>,
    /// The bundle's script and WASM, as the page's bootstrap loads them.
    bundle: Option<Bundle>,
}

/// The hashed path of the vendored echarts build whose bytes are `content`: FNV-1a 64 of the
/// bytes in hex (a cache key, not a security property; cargo-leptos names its files the same
/// way), so that replicas serving the same build agree on the name.
pub fn echarts_path(content: &[u8]) -> String {
    let hash = headroom::loadbalance::fnv1a64(content);
    ECHARTS_PATH.replacen(".min.js", &format!(".{hash:016x}.min.js"), 1)
}

impl AssetPolicy {
    /// The policy for the site these options describe.
    pub fn from_options(options: &LeptosOptions) -> Self {
        let entries = if options.hash_files {
            read_hash_file(&hash_file_path(options)).unwrap_or_default()
        } else {
            Vec::new()
        };
        let hash_of = |kind: &str| {
            entries
                .iter()
                .find(|(k, _)| k == kind)
                .map(|(_, hash)| hash.as_str())
        };
        let mut bundle = Bundle::hashed(options, hash_of("js"), hash_of("wasm"));
        let mut hashes: HashSet<String> = entries.iter().map(|(_, hash)| hash.clone()).collect();
        // A split build: each page's chunks, and their names' content hashes (cargo-leptos puts
        // them in the file names, not in the hash file).
        if let Some(manifest) = read_split_manifest(options, hash_of("manifest")) {
            hashes.extend(
                manifest
                    .values()
                    .flatten()
                    .filter_map(|file| file.split_once('.'))
                    .map(|(_, hash)| hash.to_string()),
            );
            bundle = bundle.with_manifest(options, &manifest);
        }
        let echarts = std::fs::read(
            Path::new(options.site_root.as_ref()).join(ECHARTS_PATH.trim_start_matches('/')),
        )
        .ok()
        .map(|content| echarts_path(&content));
        Self {
            pkg_prefix: format!("/{}/", options.site_pkg_dir),
            hashes,
            echarts,
            bundle: Some(bundle),
        }
    }

    /// The path pages load echarts from: the hashed one when the file is there.
    pub fn echarts_src(&self) -> &str {
        self.echarts.as_deref().unwrap_or(ECHARTS_PATH)
    }

    /// Whether `path` names a hashed file: `/pkg/<name>.<hash>.<ext>`, or echarts' hashed path.
    pub fn is_immutable(&self, path: &str) -> bool {
        if self.echarts.as_deref() == Some(path) {
            return true;
        }
        let Some(file) = path.strip_prefix(&self.pkg_prefix) else {
            return false;
        };
        !file.contains('/')
            && file
                .split('.')
                .any(|part| !part.is_empty() && self.hashes.contains(part))
    }
}

/// Completes the options read from the environment: the output name when the binary was built
/// without cargo-leptos, and content hashing when cargo-leptos left a hash file beside the
/// binary that matches the site (unless `LEPTOS_HASH_FILES` says otherwise).
pub fn complete_options(options: &mut LeptosOptions) {
    if options.output_name.is_empty() {
        options.output_name = DEFAULT_OUTPUT_NAME.into();
    }
    if std::env::var_os("LEPTOS_HASH_FILES").is_some() {
        return;
    }
    let Some(entries) = read_hash_file(&hash_file_path(options)) else {
        return;
    };
    // A stale hash file from an older build must not point the page at files that are gone.
    let js_exists = entries.iter().any(|(kind, hash)| {
        kind == "js"
            && Path::new(options.site_root.as_ref())
                .join(options.site_pkg_dir.as_ref())
                .join(format!("{}.{hash}.js", options.output_name))
                .is_file()
    });
    options.hash_files = js_exists;
}

/// The split manifest of a `cargo leptos build --split` (`__wasm_split_manifest.<hash>.json`
/// under the site's pkg directory): which chunk files each split point needs. `None` for a build
/// that was not split, or a manifest that cannot be read.
fn read_split_manifest(
    options: &LeptosOptions,
    hash: Option<&str>,
) -> Option<std::collections::HashMap<String, Vec<String>>> {
    let name = match hash {
        Some(hash) => format!("__wasm_split_manifest.{hash}.json"),
        None => "__wasm_split_manifest.json".to_string(),
    };
    let path = Path::new(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join(name);
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Where Leptos looks for the hash file: beside the running binary.
fn hash_file_path(options: &LeptosOptions) -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default()
        .join(options.hash_file.as_ref())
}

/// The `kind: hash` lines of cargo-leptos's hash file.
fn read_hash_file(path: &Path) -> Option<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(kind, hash)| (kind.trim().to_string(), hash.trim().to_string()))
            .filter(|(_, hash)| !hash.is_empty())
            .collect(),
    )
}

/// Longest path segment the static file service looks up: longer names cannot exist (Linux's
/// `NAME_MAX` is 255 bytes) and the file system answers them with an error that `ServeDir` turns
/// into a bare 500, so they go straight to the 404 page.
pub const MAX_SEGMENT_BYTES: usize = 255;

/// The static file service: the site root, precompressed siblings preferred, and the app's
/// 404 page for anything that is not a file. A hashed file found is cached for a year (what
/// `policy` says); everything else gets the revalidating default of
/// the header layers in [`crate::build`].
pub fn static_files(
    options: &LeptosOptions,
    policy: Arc<AssetPolicy>,
) -> BoxCloneSyncService<Request<Body>, Response<Body>, Infallible> {
    let not_found = leptos_axum::file_and_error_handler_with_context(page_context(&policy), shell)
        .with_state(options.clone());
    let files = ServeDir::new(options.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(not_found.clone());
    BoxCloneSyncService::new(tower::service_fn(move |request: Request<Body>| {
        let files = files.clone();
        let not_found = not_found.clone();
        let policy = policy.clone();
        async move {
            if let Some(page) = page_without_trailing_slash(request.uri()) {
                return Ok(axum::response::Redirect::permanent(&page).into_response());
            }
            if !could_be_a_file(request.uri().path()) {
                return not_found.oneshot(request).await.map(|r| r.map(Body::new));
            }
            let immutable = policy.is_immutable(request.uri().path());
            let mut request = request;
            if policy.echarts.as_deref() == Some(request.uri().path()) {
                // The hashed name is the plain file on disk (and its .br and .gz siblings).
                *request.uri_mut() = axum::http::Uri::from_static(ECHARTS_PATH);
            }
            let worker = request.uri().path() == TRAFFIC_WORKER_PATH;
            let mut response = files.oneshot(request).await?.map(Body::new);
            // A 304 too: the browser takes a revalidation's headers into its cached copy, so a
            // 304 without them would leave the worker the default policy (and no bundle) on
            // its second start, and a hashed file `no-cache`.
            let found = response.status().is_success()
                || response.status() == axum::http::StatusCode::NOT_MODIFIED;
            if worker && found {
                response.headers_mut().insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(crate::headers::WORKER_POLICY),
                );
            }
            if immutable && found {
                // A hashed name changes with its content: the browser may keep it for a year.
                response.headers_mut().insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                );
            }
            Ok(response)
        }
    }))
}

/// Where a page's address with a trailing slash (`/capacity/?dau=5M`) belongs: the page's own
/// path, with the query (`/capacity?dau=5M`). Leptos's router takes `/capacity/` for
/// `/capacity`, but the server routes only the exact paths, so it answered 404 with the page
/// rendered inside; a permanent redirect gives one address per page. Only the app's own page
/// paths (`headroom_app::pages::PAGES`) redirect: the `Location` is never built from a path the
/// client chose.
fn page_without_trailing_slash(uri: &axum::http::Uri) -> Option<String> {
    let trimmed = uri.path().strip_suffix('/')?;
    let page = headroom_app::pages::PAGES
        .iter()
        .find(|page| page.path != "/" && page.path == trimmed)?;
    Some(match uri.query() {
        Some(query) => format!("{}?{query}", page.path),
        None => page.path.to_string(),
    })
}

/// What every page's render needs in its context: the request's CSP nonce, where echarts is and
/// where the bundle is (worked out once here, not read from the hash file per render).
pub fn page_context(policy: &AssetPolicy) -> impl Fn() + Clone + Send + Sync + 'static {
    let echarts = EchartsSrc(policy.echarts_src().into());
    let bundle = policy.bundle.clone();
    move || {
        crate::headers::provide_request_nonce();
        leptos::prelude::provide_context(echarts.clone());
        if let Some(bundle) = &bundle {
            leptos::prelude::provide_context(bundle.clone());
        }
    }
}

/// Whether a path could name a file at all: no segment longer than [`MAX_SEGMENT_BYTES`].
fn could_be_a_file(path: &str) -> bool {
    path.split('/')
        .all(|segment| segment.len() <= MAX_SEGMENT_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_pkg_files_are_immutable() {
        let policy = AssetPolicy {
            pkg_prefix: "/pkg/".to_string(),
            hashes: ["AbC123".to_string()].into_iter().collect(),
            echarts: None,
            bundle: None,
        };
        assert!(policy.is_immutable("/pkg/headroom.AbC123.wasm"));
        assert!(!policy.is_immutable("/pkg/headroom.wasm"));
        assert!(!policy.is_immutable("/vendor/echarts.AbC123.js"));
        assert!(!policy.is_immutable("/pkg/sub/headroom.AbC123.js"));
    }

    #[test]
    fn echarts_is_named_by_its_content() {
        let a = echarts_path(b"var echarts = 1;");
        assert_eq!(a, echarts_path(b"var echarts = 1;"));
        assert_ne!(a, echarts_path(b"var echarts = 2;"));
        // FNV-1a 64 of the empty input is its offset basis (the FNV reference value).
        assert_eq!(echarts_path(b""), "/vendor/echarts.cbf29ce484222325.min.js");
        let policy = AssetPolicy {
            echarts: Some(a.clone()),
            ..AssetPolicy::default()
        };
        assert!(policy.is_immutable(&a));
        assert!(!policy.is_immutable(ECHARTS_PATH));
        assert_eq!(policy.echarts_src(), a);
        assert_eq!(AssetPolicy::default().echarts_src(), ECHARTS_PATH);
    }

    #[test]
    fn names_longer_than_a_file_system_allows_are_not_looked_up() {
        assert!(could_be_a_file("/pkg/headroom.AbC123.wasm"));
        assert!(could_be_a_file(&format!("/{}", "a".repeat(255))));
        assert!(!could_be_a_file(&format!("/{}", "a".repeat(256))));
        assert!(!could_be_a_file(&format!("/vendor/{}", "é".repeat(200))));
    }
}
