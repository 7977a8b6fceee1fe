//! Server-side rendering tests: render the app for a URL to HTML, as the server does, and check
//! the numbers in the markup (what a person without JavaScript sees).

use leptos::prelude::*;
use leptos_router::location::RequestUrl;

/// Renders the whole app for `url` to an HTML string.
pub fn render(url: &str) -> String {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(RequestUrl::new(url));
        crate::App().to_html()
    })
}

#[test]
fn home_shows_the_peak_qps_computed_on_the_server() {
    // 5M users × 10.5 actions / 86,400 s × 10 = 6,076.4/s.
    let html = render("/?dau=5000000");
    assert!(
        html.contains(r#"<output id="peak-qps">6076</output>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"value="5000000""#),
        "the input keeps the typed text: {html}"
    );
}

#[test]
fn unknown_paths_render_not_found() {
    let html = render("/no-such-page");
    assert!(html.contains("Page not found"), "{html}");
}
