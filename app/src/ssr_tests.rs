//! Server-side rendering tests: render the app for a URL to HTML, as the server does, and check
//! the numbers in the markup (what a person without JavaScript sees first).

use leptos::prelude::*;
use leptos_router::location::RequestUrl;
use scraper::{Html, Selector};

/// Renders the whole app for `url` to an HTML string.
pub fn render(url: &str) -> String {
    let owner = Owner::new();
    owner.with(|| {
        let (meta, _output) = leptos_meta::ServerMetaContext::new();
        provide_context(meta);
        provide_context(RequestUrl::new(url));
        crate::App().to_html()
    })
}

/// The text of the element with `id`, as a browser shows it (entities decoded, tags and comments
/// left out), if there is one.
fn text_of(html: &str, id: &str) -> Option<String> {
    let selector = Selector::parse(&format!("[id=\"{id}\"]")).ok()?;
    Html::parse_document(html)
        .select(&selector)
        .next()
        .map(|e| e.text().collect())
}

#[test]
fn capacity_shows_the_chapters_numbers_computed_on_the_server() {
    let html = render("/capacity?v=2&util=1&spare=none");
    // The chapter's example, formatted: 115,741 and 5,787 peak per second, 13 web servers,
    // 2 cache nodes, 9.13 TB a year.
    assert_eq!(
        text_of(&html, "peak-read-qps").as_deref(),
        Some("115,741/s")
    );
    assert_eq!(text_of(&html, "peak-write-qps").as_deref(), Some("5,787/s"));
    assert_eq!(text_of(&html, "write-qps").as_deref(), Some("578.7/s"));
    assert_eq!(text_of(&html, "web-servers").as_deref(), Some("13"));
    assert_eq!(text_of(&html, "cache-nodes").as_deref(), Some("2"));
    assert_eq!(text_of(&html, "storage-year").as_deref(), Some("9.13 TB"));
    assert!(
        html.contains("the chapter's 12 counts reads alone"),
        "{html}"
    );
}

/// Issue 21's photo feed (2 MB uploads, 100 kB reads, a CDN serving 90% of the read bytes) at a
/// stated 70% and N+1. By hand: network ⌈11.574 GB/s / 70 MB/s⌉ = 166, + 1 = 167, against
/// ⌈121,528 / 7,000⌉ = 18 for requests; cache ⌈115,741 / 70,000⌉ = 2, + 1 = 3, no memory bound;
/// one shard (⌈5,787 / 7,000⌉ = 1) of ⌈17,361 / 7,000⌉ = 3 nodes, + 1 = 4: 3 replicas; egress
/// 1.157 GB/s, 0.9 of it (1.04 GB/s) at the edge and 116 MB/s at the origin.
#[test]
fn capacity_says_which_bound_binds_for_the_photo_feed() {
    let html = render("/capacity?size=2MB&read_size=100kB&cdn_hit=0.9&util=0.7&spare=n%2B1");
    let figures = [
        ("web-servers", "167"),
        ("web-servers-requests", "18"),
        ("web-servers-network", "166"),
        ("cache-nodes", "3"),
        ("cache-nodes-memory", "0"),
        ("db-shards", "1"),
        ("db-replicas", "3"),
        ("db-nodes", "4"),
        ("queue-partitions", "0"),
        ("edge-egress", "1.04 GB/s"),
        ("origin-egress", "116 MB/s"),
    ];
    for (id, expected) in figures {
        assert_eq!(text_of(&html, id).as_deref(), Some(expected), "{id}");
    }
    let row = |id| text_of(&html, id).unwrap_or_default();
    assert!(row("bound-web").contains("network binds: 166 against 18 for requests"));
    assert!(row("bound-cache").contains("operations bind: 2 against 0 for memory"));
    assert!(row("bound-db").contains("writes bind: 1 against 0 for storage"));
    // The chapter's example: requests bind the web tier, by 13 against 12.
    let html = render("/capacity?util=1&spare=none");
    assert!(
        text_of(&html, "bound-web")
            .unwrap_or_default()
            .contains("requests bind: 13 against 12 for network")
    );
}

#[test]
fn availability_at_three_nines_matches_the_chapter() {
    let html = render("/availability?slo=99.9");
    // 0.1% of 8,760 h = 8.76 h = 8 h 45 min 36 s; of 730 h = 43.8 min = 43 min 48 s.
    assert_eq!(
        text_of(&html, "downtime-year").as_deref(),
        Some("8 h 45 min 36 s")
    );
    assert_eq!(
        text_of(&html, "downtime-month").as_deref(),
        Some("43 min 48 s")
    );
}

#[test]
fn cost_shows_the_chapters_instance_bill() {
    let html = render("/cost");
    // 3 × $0.0416 × 720 h = $89.856.
    assert_eq!(text_of(&html, "instances-cost").as_deref(), Some("$89.86"));
    // 1M × $0.20/1M + 50,000 GB-s × $0.0000166667 = $1.03.
    assert_eq!(text_of(&html, "serverless-cost").as_deref(), Some("$1.03"));
}

#[test]
fn a_typed_value_is_kept_and_computed() {
    // 5M users: peak reads 5M × 10 / 86,400 × 10 = 5,787/s.
    let html = render("/capacity?dau=5M");
    assert!(
        html.contains(r#"value="5M""#),
        "the input keeps the typed text"
    );
    assert_eq!(text_of(&html, "peak-read-qps").as_deref(), Some("5,787/s"));
}

#[test]
fn a_bad_value_shows_its_message_keeps_the_text_and_falls_back() {
    let html = render("/capacity?dau=lots&reads=20");
    assert!(html.contains(r#"value="lots""#), "the typed text is kept");
    assert!(html.contains("is not a number"), "the message is shown");
    assert!(html.contains(r#"class="field invalid""#));
    assert!(
        html.contains(r#"class="results stale""#),
        "results are marked stale"
    );
    // dau falls back to 100M while reads=20 still applies: 100M × 20 / 86,400 × 10 = 231,481/s.
    assert_eq!(
        text_of(&html, "peak-read-qps").as_deref(),
        Some("231,481/s")
    );
    // The notice says which value the results use, and the link and export follow them: the
    // default 100M in place of "lots", with reads=20 kept.
    let document = Html::parse_document(&html);
    let notice: String = document
        .select(&Selector::parse(".stale-notice").expect("selector"))
        .next()
        .expect("a notice")
        .text()
        .collect();
    assert!(
        notice.contains("Daily active users: 100M (its default), not “lots”"),
        "{notice}"
    );
    let href = |selector: &str| {
        document
            .select(&Selector::parse(selector).expect("selector"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .map(str::to_string)
    };
    // The URL has no `v`, so it is a version-1 link: the links write out what it meant.
    assert_eq!(
        href("a.permalink").as_deref(),
        Some("/capacity?v=2&reads=20&util=1&spare=none")
    );
    assert_eq!(
        href("a#export-json").as_deref(),
        Some("/api/v1/report?v=2&reads=20&util=1&spare=none")
    );
}

#[test]
fn the_default_page_plans_at_70_percent_with_a_spare_node() {
    let html = render("/capacity");
    // Peak 121,528 req/s (reads 115,741 + writes 5,787) over 10,000 × 0.7 per server =
    // 17.4 → 18, plus one spare = 19. Cache: 115,741 / (100,000 × 0.7) = 1.65 → 2 + 1 = 3.
    // Database: 10% of reads missing plus every write, 11,574 + 5,787 = 17,361 q/s over
    // 10,000 × 0.7 = 2.48 → 3 + 1 = 4.
    assert_eq!(text_of(&html, "web-servers").as_deref(), Some("19"));
    assert_eq!(text_of(&html, "cache-nodes").as_deref(), Some("3"));
    assert_eq!(text_of(&html, "db-nodes").as_deref(), Some("4"));
    // The aside compares with the chapter's own count, at full load with no spare.
    assert!(
        html.contains("alone, every server at full load (115,741 reads/s → 12 servers)")
            && html.contains("for both, at 70% of each server: 18 servers before spares."),
        "{html}"
    );
    // The fields show the values used, and the chapter's example is one click away.
    assert!(
        html.contains(r#"name="util""#) && html.contains(r#"value="0.7""#),
        "{html}"
    );
}

#[test]
fn a_version_1_link_shows_the_values_it_meant_and_keeps_them_everywhere() {
    // Shared before `v` existed: util and spare were absent, meaning 1 and none.
    let html = render("/capacity?dau=200M");
    // 200M × 10.5 / 86,400 × 10 = 243,056 req/s over 10,000 at full load = 24.3 → 25.
    assert_eq!(text_of(&html, "web-servers").as_deref(), Some("25"));
    assert!(
        html.contains(r#"href="/cost?v=2&amp;dau=200M&amp;util=1&amp;spare=none""#),
        "{html}"
    );
}

#[test]
fn navigation_keeps_the_query() {
    let html = render("/cost?v=2&dau=5M&slo=99.9");
    assert!(
        html.contains(r#"href="/capacity?v=2&amp;dau=5M&amp;slo=99.9""#),
        "{html}"
    );
}

#[test]
fn forms_carry_the_other_pages_fields_as_hidden_inputs() {
    let html = render("/cost?v=2&dau=5M");
    assert!(
        html.contains(r#"<input type="hidden" name="dau" value="5M">"#),
        "{html}"
    );
    // And the link version, so a submitted form reads absent fields as today's defaults.
    assert!(
        html.contains(r#"<input type="hidden" name="v" value="2">"#),
        "{html}"
    );
}

#[test]
fn unknown_paths_render_not_found() {
    let html = render("/no-such-page");
    assert!(html.contains("Page not found"), "{html}");
}

mod simulators;

#[test]
fn query_values_are_decoded_once() {
    // A typed "%41" travels as %2541; decoding it twice would turn it into "A".
    let html = render("/capacity?dau=%2541");
    assert!(
        html.contains(r#"value="%41""#),
        "the typed text is kept as typed"
    );
    assert!(html.contains("is not a number"));
}

#[test]
fn the_day_table_without_javascript_includes_the_peak() {
    // The chapter's day peaks at 10 × its average at 20:00: 115,741 + 5,787 = 121,528 req/s
    // (the peak read and write rates above). The table thins 97 points to every two hours and
    // must keep that row, where the traffic column equals the peak column.
    let html = render("/capacity");
    let document = Html::parse_document(&html);
    let figure = Selector::parse("figure.chart").expect("selector");
    let row = Selector::parse("tbody tr").expect("selector");
    let cell = Selector::parse("th, td").expect("selector");
    let day = document
        .select(&figure)
        .find(|f| {
            f.select(&Selector::parse("#chart-day").expect("selector"))
                .next()
                .is_some()
        })
        .expect("the day chart's figure");
    let rows: Vec<Vec<String>> = day
        .select(&row)
        .map(|r| r.select(&cell).map(|c| c.text().collect()).collect())
        .collect();
    assert_eq!(rows.len(), 13, "{rows:?}");
    let peak_rows: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == r[3]).collect();
    assert_eq!(peak_rows.len(), 1, "{rows:?}");
    assert!(peak_rows[0][0].starts_with("20"), "{rows:?}");
    assert!(peak_rows[0][1].starts_with("121,5"), "{rows:?}");
}

#[test]
fn the_runway_says_when_each_tier_runs_out() {
    // The chapter's example growing 5% a month from 2027-01: ⌈121,528 × 1.05^5 / 10,000⌉ = 16 >
    // 15 web servers in month 5 (2027-06); 1,000 cache nodes last; the database is not known;
    // 5 TB fills in month 5 (0.7604 TB × (1.05^6 − 1) / 0.05 = 5.17 TB).
    let html = render(
        "/capacity?v=2&util=1&spare=none&growth=5%25&start=2027-01&have_web=15&have_cache=1000\
         &have_storage=5TB",
    );
    assert_eq!(text_of(&html, "runs-out-web").as_deref(), Some("2027-06"));
    assert_eq!(
        text_of(&html, "runs-out-cache").as_deref(),
        Some("not within 24 months")
    );
    assert_eq!(text_of(&html, "runs-out-db").as_deref(), Some("—"));
    assert_eq!(
        text_of(&html, "runs-out-storage").as_deref(),
        Some("2027-06")
    );
    // Without JavaScript the charts are tables of the months.
    assert!(html.contains("months after 2027-01"), "{html}");
    // Without growth, nothing is known of what runs: every card asks for it.
    let plain = render("/capacity");
    assert_eq!(text_of(&plain, "runs-out-web").as_deref(), Some("—"));
    assert!(
        plain.contains("enter the web servers running to see"),
        "{plain}"
    );
}
