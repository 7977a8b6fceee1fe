use proptest::prelude::*;

use super::import::{Format, MAX_POINTS, Problem};
use super::time::{days_from_civil, format_timestamp, parse_timestamp, weekday};
use super::*;

/// A real series: an AWS ELB's `RequestCount` per 5 minutes over two weeks of April 2014, from
/// Numenta's NAB benchmark (`data/realAWSCloudwatch/elb_request_count_8c0756.csv`, MIT licence,
/// Copyright 2014-2024 Numenta Inc.; see testdata/README.md).
const ELB: &str = include_str!("testdata/elb_request_count_8c0756.csv");

fn csv(rows: &[(f64, f64)]) -> String {
    let mut out = String::from("time,value\n");
    for (t, v) in rows {
        out.push_str(&format!("{},{v}\n", format_query_plain(*t)));
    }
    out
}

fn observe(text: &str, options: ImportOptions) -> Observed {
    analyze(&import(text, options).unwrap().series).unwrap()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

#[test]
fn timestamps_read_in_every_accepted_form() {
    // 2014-04-10 00:04:00 UTC is 1,397,088,240 s (Python: calendar.timegm).
    let t = 1_397_088_240.0;
    for text in [
        "2014-04-10 00:04:00",
        "2014-04-10T00:04:00",
        "2014-04-10T00:04:00Z",
        "2014-04-10T00:04",
        "2014-04-10T02:04:00+02:00",
        "2014-04-10T02:04:00+0200",
        "2014-04-10T02:04:00+02",
        "2014-04-09T19:04:00-05:00",
        "1397088240",
        "1397088240000",
        "1397088240.000",
    ] {
        assert_eq!(parse_timestamp(text), Some(t), "{text}");
    }
    assert_eq!(parse_timestamp("2014-04-10T00:04:00.250Z"), Some(t + 0.25));
    assert_eq!(parse_timestamp("2014-04-10"), Some(t - 240.0));
    for bad in [
        "",
        "2014-13-01",
        "2014-02-30 00:00",
        "2014-04-10 24:00",
        "yesterday",
        "2014-04-10T00:04:00+25:00",
    ] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
    // Leap years: 2000 (divisible by 400) has 29 February, 1900 does not.
    assert!(parse_timestamp("2000-02-29").is_some());
    assert!(parse_timestamp("1900-02-29").is_none());
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    // 1970-01-01 was a Thursday (3 with Monday 0); 2014-04-10 too.
    assert_eq!(weekday(0.0), 3);
    assert_eq!(weekday(t), 3);
    assert_eq!(format_timestamp(t), "2014-04-10T00:04:00Z");
    assert_eq!(format_timestamp(-1.0), "1969-12-31T23:59:59Z");
}

#[test]
fn a_constant_series_has_every_figure_equal_and_a_peak_factor_of_one() {
    let rows: Vec<(f64, f64)> = (0..2_016)
        .map(|i| (f64::from(i) * 300.0, 1_500.0))
        .collect();
    let o = observe(&csv(&rows), ImportOptions::default());
    // 1,500 requests per 300 s is 5 per second, exactly.
    for x in [o.mean, o.p50, o.p95, o.p99, o.max] {
        assert_eq!(x, 5.0);
    }
    assert_eq!(o.peak_factor(), 1.0);
    assert_eq!(o.points, 2_016);
    assert_eq!(o.step_seconds, 300.0);
    // A week from Thursday 1970-01-01: every weekday is there, every slot of the day 5/s.
    assert_eq!(o.week, Some([5.0; 7]));
    let day = o.day.as_ref().unwrap();
    assert_eq!(day.levels.len(), 288);
    assert!(day.rates().iter().all(|&r| r == 5.0));
    // Flat: ln r is constant, slope 0, no growth; but a week is under two weeks: no trend.
    assert_eq!(o.trend_per_month, None);
}

#[test]
fn a_square_wave_has_the_hand_computed_quantiles() {
    // 1 and 3 per second alternating, 2,016 points: the sorted rates are 1,008 ones then 1,008
    // threes. p50: h = 0.5 × 2,015 = 1,007.5 between x[1007] = 1 and x[1008] = 3, so 2;
    // p95: h = 1,914.25, both neighbours 3; mean 2; max / mean = 1.5.
    let rows: Vec<(f64, f64)> = (0..2_016)
        .map(|i| (f64::from(i) * 300.0, if i % 2 == 0 { 1.0 } else { 3.0 }))
        .collect();
    let o = observe(
        &csv(&rows),
        ImportOptions {
            values: Some(ValueKind::Rate),
            ..Default::default()
        },
    );
    assert_eq!(
        (o.mean, o.p50, o.p95, o.p99, o.max),
        (2.0, 2.0, 3.0, 3.0, 3.0)
    );
    assert_eq!(o.peak_factor(), 1.5);
}

#[test]
fn a_sine_has_its_known_mean_and_max_and_day_shape() {
    // r(t) = 100 + 50 sin(2πt / day) every 5 minutes for 7 whole days: the sine sums to zero over
    // whole periods, so the mean is 100; the sample at 06:00 (t = 21,600 s, a multiple of 300) is
    // the crest, 150. The average day's busiest hour is 05:00-06:00 or 06:00-07:00 (symmetric
    // about 06:00): the mean of sin over [5 h, 6 h) equals that over [6 h, 7 h), so take either.
    let rows: Vec<(f64, f64)> = (0..2_016)
        .map(|i| {
            let t = f64::from(i) * 300.0;
            (
                t,
                100.0 + 50.0 * (std::f64::consts::TAU * t / 86_400.0).sin(),
            )
        })
        .collect();
    let o = observe(
        &csv(&rows),
        ImportOptions {
            values: Some(ValueKind::Rate),
            ..Default::default()
        },
    );
    assert!(close(o.mean, 100.0, 1e-12), "{}", o.mean);
    assert!(close(o.max, 150.0, 1e-12), "{}", o.max);
    assert!(close(o.peak_factor(), 1.5, 1e-12));
    assert!(
        matches!(o.busiest_hour(), Some(5 | 6)),
        "{:?}",
        o.busiest_hour()
    );
    // The median of a sine's samples over whole periods is its mean.
    assert!(close(o.p50, 100.0, 1e-9), "{}", o.p50);
}

#[test]
fn counts_per_interval_and_the_same_series_as_rates_agree() {
    let counts: Vec<(f64, f64)> = (0..3_000)
        .map(|i| (f64::from(i) * 60.0, f64::from((i * 37) % 101) * 60.0))
        .collect();
    let rates: Vec<(f64, f64)> = counts.iter().map(|&(t, c)| (t, c / 60.0)).collect();
    let a = observe(
        &csv(&counts),
        ImportOptions {
            values: Some(ValueKind::Count),
            ..Default::default()
        },
    );
    let b = observe(
        &csv(&rates),
        ImportOptions {
            values: Some(ValueKind::Rate),
            ..Default::default()
        },
    );
    assert_eq!(a, b);
}

/// NAB's ELB series against numpy 2.4.6 (`numpy.percentile` with its default linear method,
/// `numpy.polyfit(t − mean(t), log r, 1)`, weekday and 5-minute slot means by boolean masks);
/// the script is in testdata/README.md. Tolerance 1e-12 relative: the same sums in another order.
#[test]
fn a_real_elb_series_gives_numpys_figures() {
    let imported = import(ELB, ImportOptions::default()).unwrap();
    assert_eq!(imported.format, Format::Csv);
    assert!(imported.findings.header);
    // 4,032 rows: 4,023 five-minute steps and 8 ten-minute ones, each a missing point.
    assert_eq!(imported.series.rates.len(), 4_032);
    assert_eq!(imported.findings.gaps.len(), 8);
    assert_eq!(imported.findings.missing_steps, 8);
    assert_eq!(imported.findings.skipped_count, 0);
    let o = analyze(&imported.series).unwrap();
    assert_eq!(o.step_seconds, 300.0);
    assert_eq!((o.start, o.end), (1_397_088_240.0, 1_398_299_940.0));
    for (got, numpy) in [
        (o.mean, 0.206_123_511_904_761_89),
        (o.p50, 0.16),
        (o.p95, 0.566_666_666_666_666_7),
        (o.p99, 0.837_933_333_333_333_6),
        (o.max, 2.186_666_666_666_666_5),
        (o.trend_per_month.unwrap(), -0.204_658_371_000_056_16),
    ] {
        assert!(close(got, numpy, 1e-12), "{got} vs numpy {numpy}");
    }
    let week = o.week.unwrap();
    let numpy_week = [
        0.204_742_028_985_507_25,
        0.235_497_685_185_185_2,
        0.239_581_881_533_101_06,
        0.227_737_686_139_747_99,
        0.212_063_768_115_942_02,
        0.169_994_212_962_962_97,
        0.152_961_672_473_867_6,
    ];
    for (got, numpy) in week.iter().zip(numpy_week) {
        assert!(close(*got, numpy, 1e-12), "{got} vs {numpy}");
    }
    assert_eq!(o.busiest_day(), Some(2)); // Wednesday
    let day = o.day.as_ref().unwrap();
    assert!(close(day.peak, 0.494_523_809_523_809_5, 1e-12));
    assert_eq!(day.levels.iter().position(|&q| q == LEVELS), Some(251));
    // numpy's hourly means of the slot means, to 4 decimals; ours read from the quantized day,
    // within its stated error (peak / 8,190 ≈ 6.0e-5) plus the rounding to 4 decimals.
    let numpy_hourly = [
        0.1892, 0.2052, 0.1755, 0.1728, 0.169, 0.1583, 0.1406, 0.1477, 0.1502, 0.1512, 0.1571,
        0.1509, 0.2042, 0.2286, 0.2484, 0.2503, 0.2503, 0.3152, 0.2542, 0.2845, 0.3063, 0.2588,
        0.1849, 0.1914,
    ];
    for (got, numpy) in day.hourly().iter().zip(numpy_hourly) {
        assert!(
            (got - numpy).abs() <= day.quantization_error() + 5e-5,
            "{got} vs {numpy}"
        );
    }
    assert_eq!(o.busiest_hour(), Some(17));
}

#[test]
fn prometheus_matrices_are_summed_per_timestamp_and_read_as_rates() {
    let json = r#"{"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"pod":"a"},"values":[[1700000000,"1.5"],[1700000060,"2"],[1700000120,"NaN"]]},
        {"metric":{"pod":"b"},"values":[[1700000000,"0.5"],[1700000060,"1"],[1700000120,"3"]]}]}}"#;
    let imported = import(json, ImportOptions::default()).unwrap();
    assert_eq!(imported.format, Format::Prometheus);
    assert_eq!(imported.values, ValueKind::Rate);
    assert_eq!(imported.series.rates, vec![2.0, 3.0, 3.0]);
    assert_eq!(imported.series.step_seconds, 60.0);
    assert_eq!(imported.findings.skipped_count, 1);
    assert_eq!(imported.findings.skipped[0].problem, Problem::NotANumber);
    for (bad, says) in [
        (r#"{"status":"error","error":"bad query"}"#, "bad query"),
        (
            r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#,
            "matrix",
        ),
        ("{\"status\":\n\"success\",", "line 2"),
    ] {
        let e = import(bad, ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains(says), "{e}");
    }
}

#[test]
fn bad_rows_are_skipped_by_line_and_disorder_is_sorted() {
    let text = "when;requests\n\
                2024-01-01 00:02:00;12,5\n\
                2024-01-01 00:00:00;10\n\
                2024-01-01 00:01:00;abc\n\
                2024-01-01 00:01:00;11\n\
                2024-01-01 00:03:00;-4\n\
                not a time;13\n\
                2024-01-01 00:04:00;14\n\
                2024-01-01 00:04:00;99\n\
                2024-01-01 00:07:00;17\n";
    let imported = import(
        text,
        ImportOptions {
            values: Some(ValueKind::Rate),
            ..Default::default()
        },
    )
    .unwrap();
    let f = &imported.findings;
    let lines: Vec<(usize, Problem)> = f.skipped.iter().map(|s| (s.line, s.problem)).collect();
    assert_eq!(
        lines,
        vec![
            (4, Problem::NotANumber),
            (6, Problem::Negative),
            (7, Problem::BadTimestamp),
            (9, Problem::Duplicate),
        ]
    );
    // The decimal comma of a `;` file: 12,5 is 12.5.
    assert_eq!(imported.series.rates, vec![10.0, 11.0, 12.5, 14.0, 17.0]);
    assert_eq!(f.out_of_order, 1);
    // 00:03 was skipped (negative): one step missing after 00:02; 00:04 to 00:07 is three
    // steps of a minute: two missing.
    assert_eq!(f.missing_steps, 3);
    assert_eq!(f.gaps.len(), 2);
    assert!(
        f.skipped[0]
            .to_string()
            .starts_with("line 4: the value is not a number")
    );
}

#[test]
fn unusable_files_are_refused_with_the_reason() {
    let no = |text: &str, options: ImportOptions| import(text, options).unwrap_err();
    assert_eq!(no("", ImportOptions::default()), TrafficError::Empty);
    assert_eq!(no("\n  \n", ImportOptions::default()), TrafficError::Empty);
    assert_eq!(
        no("1\n2\n3\n", ImportOptions::default()),
        TrafficError::NoStep
    );
    assert_eq!(
        no("2024-01-01,5\n", ImportOptions::default()),
        TrafficError::TooFewPoints
    );
    let e = no(
        "a,b\nx,1\ny,2\nz,3\n2024-01-01,4\n",
        ImportOptions::default(),
    );
    assert!(
        matches!(
            e,
            TrafficError::MostlyUnusable {
                skipped: 3,
                rows: 4,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("line 2"), "{e}");
    let big = "1\n".repeat(MAX_POINTS + 1);
    let step = ImportOptions {
        step_seconds: Some(1.0),
        ..Default::default()
    };
    assert_eq!(no(&big, step), TrafficError::TooManyPoints);
    let zeros = import("0\n0\n0\n", step).unwrap();
    assert_eq!(analyze(&zeros.series), Err(TrafficError::AllZero));
}

#[test]
fn a_column_of_numbers_uses_the_given_step() {
    let imported = import(
        "requests\n600\n1200\n",
        ImportOptions {
            step_seconds: Some(60.0),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(imported.format, Format::Column);
    assert_eq!(imported.series.rates, vec![10.0, 20.0]);
    assert_eq!(imported.series.times, vec![0.0, 60.0]);
}

#[test]
fn tabs_quotes_and_a_value_first_layout_are_read() {
    let tabbed = "\"2024-01-01 00:00:00\"\t\"10\"\n2024-01-01 00:05:00\t20\n";
    let a = import(tabbed, ImportOptions::default()).unwrap();
    assert_eq!(a.series.rates, vec![10.0 / 300.0, 20.0 / 300.0]);
    let swapped = "10,2024-01-01T00:00:00Z\n20,2024-01-01T00:05:00Z\n";
    let b = import(swapped, ImportOptions::default()).unwrap();
    assert_eq!(b.series, a.series);
}

#[test]
fn the_link_text_round_trips_every_figure_exactly() {
    let o = analyze(&import(ELB, ImportOptions::default()).unwrap().series).unwrap();
    let text = o.to_text();
    assert!(text.len() < 1_200, "{} characters", text.len());
    let back = Observed::from_text(&text).unwrap();
    assert_eq!(back, o);
    assert_eq!(back.to_text(), text);
    // Without a week or a day.
    let short = Observed {
        week: None,
        day: None,
        trend_per_month: None,
        ..o
    };
    assert_eq!(Observed::from_text(&short.to_text()).unwrap(), short);
    for bad in [
        "",
        "o2*1",
        "o1*0*300*0*0*1*1*1*1*1**-*-",
        "o1*10*300*0*0*1*3*2*2*4**-*-",
        "o1*10*300*0*0*1*1*1*1*1**-*-*extra",
        "o1*10*300*0*0*1*1*1*1*1**-*1*AA",
        "o1*10*300*0*0*1*1*1*1*1**-*1*A",
        "o1*10*300*0*0*1*1*1*1*1**-*1*!!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "o1*10*300*0*0*NaN*1*1*1*1**-*-",
        "o1*10*300*0*0*1*1*1*1*1*-2*-*-",
    ] {
        assert!(Observed::from_text(bad).is_err(), "{bad}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any text: an answer or an error, never a panic.
    #[test]
    fn no_input_panics(text in "\\PC{0,400}", step in proptest::option::of(0.0f64..1e7)) {
        let options = ImportOptions { values: None, step_seconds: step };
        if let Ok(imported) = import(&text, options) {
            let _ = analyze(&imported.series);
        }
        let _ = Observed::from_text(&text);
    }

    /// The order of the rows changes nothing but the count of rows out of order.
    #[test]
    fn permuting_rows_changes_no_figure(
        values in proptest::collection::vec(0u32..10_000, 3..300),
        seed in any::<u64>(),
    ) {
        let rows: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| (1.7e9 + i as f64 * 60.0, f64::from(v) + 1.0))
            .collect();
        let mut shuffled = rows.clone();
        // A seeded Fisher-Yates shuffle.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let a = observe(&csv(&rows), ImportOptions::default());
        let b = observe(&csv(&shuffled), ImportOptions::default());
        // Sums in another order may differ in the last bits; every quantile is a data value or
        // between two, so it is exact.
        prop_assert_eq!((a.p50, a.p95, a.p99, a.max), (b.p50, b.p95, b.p99, b.max));
        prop_assert!(close(a.mean, b.mean, 1e-12));
        prop_assert_eq!(a.points, b.points);
    }

    /// A count series and the same series as rates give the same figures.
    #[test]
    fn counts_and_rates_agree(values in proptest::collection::vec(0u32..100_000, 2..200), step in 1u32..3_600) {
        let step = f64::from(step);
        let counts: Vec<(f64, f64)> = values.iter().enumerate().map(|(i, &v)| (i as f64 * step, f64::from(v) + 1.0)).collect();
        let rates: Vec<(f64, f64)> = counts.iter().map(|&(t, c)| (t, c / step)).collect();
        let a = observe(&csv(&counts), ImportOptions { values: Some(ValueKind::Count), ..Default::default() });
        let b = observe(&csv(&rates), ImportOptions { values: Some(ValueKind::Rate), ..Default::default() });
        prop_assert!(close(a.mean, b.mean, 1e-12));
        prop_assert!(close(a.max, b.max, 1e-12) && close(a.p99, b.p99, 1e-12) && close(a.p50, b.p50, 1e-12));
    }
}

/// Drawing keeps each bucket's highest point: 10 points in 4 buckets of ⌈10 / 4⌉ = 3 (the last
/// holds one), at the times of their highest, in days from the first point.
#[test]
fn the_drawn_series_keeps_each_buckets_peak() {
    let series = Series {
        step_seconds: 8_640.0,
        times: (0..10).map(|i| f64::from(i) * 8_640.0).collect(),
        rates: vec![1.0, 5.0, 2.0, 3.0, 3.0, 9.0, 0.0, 4.0, 1.0, 7.0],
    };
    assert_eq!(
        series.drawn(4),
        vec![(0.1, 5.0), (0.5, 9.0), (0.7, 4.0), (0.9, 7.0)]
    );
    // Fewer points than asked: every point.
    assert_eq!(series.drawn(1_500).len(), 10);
    // One point: the highest of all.
    assert_eq!(series.drawn(1), vec![(0.5, 9.0)]);
}
