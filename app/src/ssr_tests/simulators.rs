//! The simulator pages rendered on the server: numbers worked out by hand (or from published
//! tables) and compared with what a person without JavaScript sees.

use super::{render, text_of};

fn encode(text: &str) -> String {
    headroom::scenario::encode_pairs([("v", text)])
        .trim_start_matches("v=")
        .to_string()
}

fn text(html: &str, id: &str) -> String {
    text_of(html, id).unwrap_or_else(|| panic!("no #{id} in the page"))
}

/// A percentage shown as `83.33%`, as a number.
fn percent_of(html: &str, id: &str) -> f64 {
    let t = text(html, id);
    t.trim_end_matches('%')
        .parse()
        .unwrap_or_else(|_| panic!("#{id} is not a percentage: {t}"))
}

#[test]
fn queueing_default_is_the_chapters_70_percent_with_textbook_erlang_c() {
    let html = render("/queueing");
    // λ = 700/s, 1/μ = 10 ms, c = 10: ρ = 700 × 0.01 / 10 = 70%.
    assert_eq!(text(&html, "q-utilization"), "70%");
    // Erlang C at A = 7 Erlangs, c = 10 (Python, exact sums):
    //   C = (A^c/c! · c/(c−A)) / (Σ_{k<c} A^k/k! + A^c/c! · c/(c−A)) = 0.221731
    // (the published Erlang C tables give 0.2217 for 7 Erlangs on 10 agents).
    assert_eq!(text(&html, "q-p-wait"), "22.17%");
    // W_q = C / (cμ − λ) = 0.221731 / (1,000 − 700) = 0.739 ms; W = W_q + 10 ms = 10.74 ms.
    assert_eq!(text(&html, "q-mean-wait"), "739 µs");
    assert_eq!(text(&html, "q-mean-response"), "10.7 ms");
    // t_q = ln(C / (1 − q)) / (cμ − λ): p95 = ln(4.4346)/300 = 4.96 ms, p99 = ln(22.173)/300 = 10.3 ms.
    assert_eq!(text(&html, "q-p95-wait"), "4.96 ms");
    assert_eq!(text(&html, "q-p99-wait"), "10.3 ms");
    // The default target, p99 wait ≤ 20 ms: c = 9 gives C = 0.38495, p99 = ln(38.495)/200 =
    // 18.3 ms (meets it); c = 8 gives C = 0.63532, p99 = ln(63.532)/100 = 41.5 ms (misses).
    assert_eq!(text(&html, "q-servers"), "9");
    // ⌈λ/μ⌉ = ⌈7⌉.
    assert_eq!(text(&html, "q-naive"), "7");
    // The 70% explanation quotes W/s at 70% for 10 servers: 10.739 / 10 = 1.07×, and for one
    // server 1/(1 − 0.7) = 3.33×.
    let why = text(&html, "q-why-70");
    assert!(why.contains("1.07× at 70%"), "{why}");
    assert!(why.contains("3.33× at 70%"), "{why}");
    // Both charts carry data for the no-JS table.
    assert!(html.contains(r#"id="chart-hockey""#) && html.contains(r#"id="chart-servers""#));
    assert!(
        html.contains(r#"<th scope="row" class="num">70%</th>"#),
        "the 70% row of the hockey stick"
    );
}

#[test]
fn an_overloaded_queue_is_a_message_not_nan() {
    // 1,100/s × 10 ms on 10 servers: ρ = 110%.
    let html = render("/queueing?q_rate=1100");
    assert_eq!(text(&html, "q-utilization"), "110%");
    assert!(text(&html, "queue-message").contains("unstable"));
    assert_eq!(text(&html, "q-p-wait"), "—");
    assert!(
        !html.contains("NaN") && !html.contains("inf<"),
        "no NaN or inf on screen"
    );
    // 11 Erlangs of load: 11 servers would be exactly 100% busy (cμ − λ = 0, unstable), so
    // the fewest meeting any target is at least 12.
    assert!(
        text(&html, "q-servers")
            .parse::<u32>()
            .is_ok_and(|c| c >= 12)
    );
}

#[test]
fn a_bad_queueing_value_shows_its_message() {
    let html = render("/queueing?q_servers=2.5");
    assert!(html.contains("must be a whole number"), "{html}");
    assert!(html.contains(r#"class="results stale""#));
}

#[test]
fn an_hpa_without_behavior_shows_the_older_path() {
    // horizontal.go: with no `behavior` the controller runs normalizeDesiredReplicas, scale-up
    // limited to max(2 × current, 4) per sync (calculateScaleUpLimit), no scale-down limit.
    let yaml =
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 20\n";
    let html = render(&format!("/autoscaling?hpa_yaml={}", encode(yaml)));
    assert_eq!(text(&html, "hpa-replicas"), "1 – 20");
    assert_eq!(text(&html, "hpa-up"), "max(2 × current, 4) per sync");
    assert_eq!(text(&html, "hpa-down"), "none");
    assert!(html.contains(r#"id="hpa-legacy""#), "{html}");
    assert!(html.contains("normalizeDesiredReplicas"), "{html}");
    // The compact form carries it, and the chapter's policy (with behavior) has no such note.
    let compact = render("/autoscaling?hpa=min%3D1%3Bmax%3D20%3Bbehavior%3Dnone");
    assert_eq!(text(&compact, "hpa-up"), "max(2 × current, 4) per sync");
    assert!(!render("/autoscaling").contains(r#"id="hpa-legacy""#));
}

#[test]
fn the_chapters_hpa_yaml_loads_and_its_scale_up_limit_shows() {
    // Start from the Kubernetes defaults (1 to 10 replicas), then paste the chapter's manifest.
    let before = render("/autoscaling?hpa=min%3D1%3Bmax%3D10");
    assert_eq!(text(&before, "hpa-replicas"), "1 – 10");
    assert_eq!(
        text(&before, "hpa-up"),
        "the larger of +100% per 15 s and +4 pods per 15 s"
    );
    let html = render(&format!(
        "/autoscaling?hpa=min%3D1%3Bmax%3D10&hpa_yaml={}",
        encode(headroom::autoscale::CHAPTER_EXAMPLE_YAML)
    ));
    // The chapter: "Can double every 15 seconds", "Remove max 10% per minute" after 300 s.
    assert_eq!(text(&html, "hpa-up"), "+100% per 15 s");
    assert_eq!(text(&html, "hpa-down"), "−10% per 60 s");
    assert_eq!(text(&html, "hpa-replicas"), "3 – 100");
    assert!(
        html.contains("Read: 3 to 100 replicas, 2 metrics"),
        "{html}"
    );
    // Without JavaScript, a link carries the manifest's policy as the compact `hpa` field.
    let id = html.find(r#"id="hpa-share""#).expect("the policy link");
    let link = &html[html[..id].rfind("<a ").expect("its tag")..id];
    assert!(link.contains("hpa=min%3D3%3Bmax%3D100%3B"), "{link}");
    assert!(!link.contains("hpa_yaml"), "{link}");
    // scaleTargetRef is informational: listed, not silently ignored.
    assert!(html.contains(r#"id="hpa-unsupported""#), "{html}");
    assert!(html.contains("spec.scaleTargetRef"));
}

#[test]
fn malformed_or_oversized_yaml_is_a_message_and_never_an_error_page() {
    let html = render("/autoscaling?hpa_yaml=spec%3A+%5B");
    assert!(html.contains("the YAML could not be read"), "{html}");
    assert!(html.contains(r#"class="field hpa-yaml invalid""#));
    // The run goes on with the policy field (the chapter's example by default).
    assert_eq!(text(&html, "hpa-replicas"), "3 – 100");

    let long = format!(
        "{}{}",
        headroom::autoscale::CHAPTER_EXAMPLE_YAML,
        "#".repeat(9_000)
    );
    let html = render(&format!("/autoscaling?hpa_yaml={}", encode(&long)));
    assert!(
        html.contains("more than the 8,192 this page reads"),
        "{html}"
    );

    let html = render("/autoscaling?hpa_yaml=kind%3A+Deployment");
    assert!(
        html.contains("expected apiVersion autoscaling/v2"),
        "{html}"
    );
}

#[test]
fn a_steady_load_at_the_target_costs_exactly_its_pods() {
    // 7,000 req/s flat (a step of 1×) for 2 h without noise, 1,000 req/s per pod, CPU target 70%:
    // ⌈7,000 / (1,000 × 0.7)⌉ = 10 pods, each exactly at 70%, so the HPA never moves (the
    // requests-per-pod metric asks for ⌈7,000 / 1,000⌉ = 7; the larger proposal wins).
    // 10 pods × 2 h = 20 pod-hours × $0.0416 = $0.832; nothing arrives above capacity.
    let html = render("/autoscaling?as_pattern=step&as_mean=7000&as_peak=1&as_noise=0");
    assert_eq!(text(&html, "as-replicas"), "10 – 10");
    assert_eq!(text(&html, "as-cost"), "$0.832");
    assert_eq!(text(&html, "as-dropped"), "0%");
    assert_eq!(text(&html, "as-utilization"), "70%");
    assert_eq!(text(&html, "as-thrash"), "0");
    assert!(html.contains(r#"id="as-no-findings""#));
}

#[test]
fn a_flash_crowd_is_too_fast_for_a_minute_of_start_up() {
    // 10× in a minute while a new pod takes 60 s to start and metrics lag 30 s: for the first
    // minutes most of the crowd finds no ready pod, far above the 1% the chapter calls
    // "too conservative".
    let html = render("/autoscaling?as_pattern=flash&as_mean=2000");
    assert!(html.contains("Too conservative"), "{html}");
    assert!(percent_of(&html, "as-dropped") > 1.0);
}

#[test]
fn the_fixed_window_admits_twice_the_limit_at_a_boundary() {
    // 100 requests in the last 0.6 s before each odd boundary (60 s, 180 s, …, 540 s) and 100 in
    // the first 0.6 s after: ⌈600 / 120⌉ = 5 episodes, 1,000 requests. Each side falls in a fresh
    // fixed window, so the fixed window admits all 1,000, and 200 within 1.2 s: 2 × the limit.
    let html = render("/rate-limiting?rl_pattern=boundary");
    assert_eq!(text(&html, "rl-requests"), "1,000");
    assert_eq!(text(&html, "rl-fixed-worst"), "200");
    assert_eq!(text(&html, "rl-fixed-admitted"), "1,000");
    // The sliding log admits the first 100 of each episode and nothing more until they are a
    // minute old (the next episode is 120 s later): 5 × 100 = 500, never above 100 a minute.
    assert_eq!(text(&html, "rl-log-worst"), "100");
    assert_eq!(text(&html, "rl-log-admitted"), "500");
    assert!(html.contains(r#"id="rl-headers""#) && html.contains(r#"id="rl-complexity""#));
}

#[test]
fn local_counters_over_admit_against_one_shared_counter() {
    // The default client: Poisson at 2.5/s (150 a minute) for 10 minutes against 100 a minute.
    // One shared fixed-window counter admits exactly 100 in each of the 10 minutes (each minute
    // gets far more than 100: 100 is 4 standard deviations below 150) = 1,000. Round robin
    // gives each of 3 servers about 50 a minute, under the limit: local counters admit all.
    let html = render("/rate-limiting");
    assert_eq!(text(&html, "rl-dist-shared"), "1,000");
    let sent = text(&html, "rl-requests");
    assert_eq!(text(&html, "rl-dist-local"), sent);
    let requests: f64 = sent.replace(',', "").parse().expect("a count");
    let factor = text(&html, "rl-over-admission");
    let expected = headroom::units::format_count(requests / 1_000.0);
    assert_eq!(factor, format!("{expected}×"));
    // One server: local and shared are the same counter.
    let one = render("/rate-limiting?rl_servers=1");
    assert_eq!(text(&one, "rl-over-admission"), "1×");
}

#[test]
fn the_response_headers_follow_the_chapter() {
    // Boundary traffic, headers asked at 61 s: the fixed window admitted 100 in [60, 60.6), so
    // a client sees Remaining 0 and a 429 until the window ends at 120 s: Reset = 120 − 61 =
    // 59 s (seconds from now, not a Unix time: see headroom::ratelimit's module docs).
    let html = render("/rate-limiting?rl_pattern=boundary&rl_at=61");
    assert_eq!(text(&html, "rl-fixed-status"), "429");
    assert_eq!(text(&html, "rl-fixed-remaining"), "0");
    assert_eq!(text(&html, "rl-fixed-reset"), "59");
}

#[test]
fn the_real_systems_table_writes_the_setting_as_nginx() {
    // Issue 20: the default 100 per minute with a bucket of 100 is nginx rate=100r/m with
    // burst=99 (a bucket of burst + 1; headroom::ratelimit::counterparts), server-rendered.
    let html = render("/rate-limiting");
    assert!(html.contains(r#"id="rl-real""#), "{html}");
    assert!(
        html.contains("rate=100r/m; limit_req zone=api burst=99 nodelay;"),
        "{html}"
    );
    // 5 per second, bucket 5, windows from the first request: burst=4, redis-cell max_burst 4,
    // and the Redis counter that sets EXPIRE on the first request.
    let five = render("/rate-limiting?rl_limit=5&rl_window=1&rl_burst=5&rl_align=first");
    assert!(
        five.contains("rate=5r/s; limit_req zone=api burst=4 nodelay;"),
        "{five}"
    );
    assert!(five.contains("CL.THROTTLE &lt;key&gt; 4 5 1"), "{five}");
    assert!(five.contains("when the count is 1"), "{five}");
}

#[test]
fn round_robin_spreads_evenly_and_hashing_moves_what_theory_says() {
    let html = render("/load-balancing?lb_requests=10000");
    // Round robin over 5 servers: request i to server i mod 5, 10,000 / 5 = 2,000 each.
    for server in 1..=5 {
        assert_eq!(text(&html, &format!("lb-rr-s{server}")), "2,000");
    }
    assert_eq!(text(&html, "lb-rr-imbalance"), "1×");
    // ρ = 350/s × 50 ms / (4 × 1 × 3 + 4 × 2 × 2 worker-speeds) = 17.5 / 28 = 62.5%.
    assert_eq!(text(&html, "lb-offered"), "62.5%");
    // 5 → 6 servers, uniform hashes: modulo moves 5/6 = 83.33% of keys; consistent hashing
    // only the new server's share, 1/6 = 16.67% (160 virtual nodes: a few points either way);
    // Maglev about the same, never less. 5 → 4: modulo 1 − 1/5 = 80%, the ring 1/5 = 20%.
    let modulo_add = percent_of(&html, "lb-move-modulo-add");
    assert!((modulo_add - 83.33).abs() < 1.5, "{modulo_add}");
    let ring_add = percent_of(&html, "lb-move-ring-add");
    assert!((ring_add - 16.67).abs() < 4.0, "{ring_add}");
    let maglev_add = percent_of(&html, "lb-move-maglev-add");
    assert!((15.0..25.0).contains(&maglev_add), "{maglev_add}");
    let modulo_remove = percent_of(&html, "lb-move-modulo-remove");
    assert!((modulo_remove - 80.0).abs() < 1.5, "{modulo_remove}");
    let ring_remove = percent_of(&html, "lb-move-ring-remove");
    assert!((ring_remove - 20.0).abs() < 4.0, "{ring_remove}");
    assert!(html.contains(r#"id="lb-complexity""#));
}

#[test]
fn a_bad_server_list_names_the_server() {
    let html = render("/load-balancing?lb_servers=1%3A1%3A4%2C1%3A0%3A4");
    assert!(
        html.contains("server 2: speed must be a number from 0.01 to 100"),
        "{html}"
    );
    assert!(
        html.contains(r#"value="1:1:4,1:0:4""#),
        "the typed text is kept"
    );
}

#[test]
fn simulator_pages_are_in_the_navigation_and_keep_the_query() {
    let html = render("/queueing?v=2&q_rate=800");
    for path in ["/autoscaling", "/rate-limiting", "/load-balancing"] {
        assert!(
            html.contains(&format!(r#"href="{path}?v=2&amp;q_rate=800""#)),
            "{path}"
        );
    }
}
