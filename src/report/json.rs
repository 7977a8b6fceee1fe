//! The report's JSON edge: pretty-printed, with figures rounded to 15 significant digits.
//!
//! The rule: a computed figure is published to 15 significant digits, and `-0.0` as `0.0`. An f64
//! holds 15 to 17 significant digits; the last one or two are the floating-point error of the
//! computation (`6240.000000000001`), which is not information. Any decimal of at most 15
//! significant digits survives text → f64 → text unchanged (DBL_DIG = 15, C11 draft N1570
//! §5.2.4.2.2), so rounding there loses nothing that the inputs could have carried, and a
//! published figure reads back as the same 15 digits.
//! `inputs` is the exception: it carries the scenario as parsed, to every digit, so that an
//! exported report imports back to the very same scenario.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::math::publishable;

/// `value` as pretty JSON under the 15-digit rule.
pub(super) fn to_json(value: &impl Serialize) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(16 * 1024);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, FigureFormatter::default());
    value.serialize(&mut serializer)?;
    // serde_json writes UTF-8 only; from_utf8 cannot fail, but is not assumed to.
    String::from_utf8(out).map_err(<serde_json::Error as serde::ser::Error>::custom)
}

/// serde_json's pretty printer with [`publishable`] applied to every f64 outside `inputs`.
#[derive(Default)]
struct FigureFormatter {
    pretty: PrettyFormatter<'static>,
    /// Objects open around the value being written (the document itself is depth 1).
    depth: usize,
    /// The top-level key being written or last written.
    top_key: String,
    /// Whether a top-level key is being written.
    capturing: bool,
    /// Whether the value being written sits under the top-level `inputs`.
    in_inputs: bool,
}

impl Formatter for FigureFormatter {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        let value = if self.in_inputs {
            value
        } else {
            publishable(value)
        };
        self.pretty.write_f64(writer, value)
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if self.capturing {
            self.top_key.push_str(fragment);
        }
        self.pretty.write_string_fragment(writer, fragment)
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.pretty.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.pretty.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.depth <= 1 {
            self.in_inputs = false;
        }
        self.pretty.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.depth == 1 {
            self.top_key.clear();
            self.in_inputs = false;
            self.capturing = true;
        }
        self.pretty.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.depth == 1 {
            self.capturing = false;
            self.in_inputs = self.top_key == "inputs";
        }
        self.pretty.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::FIGURE_DIGITS;
    use crate::report::Report;
    use crate::scenario::Scenario;

    #[test]
    fn figures_keep_15_significant_digits_and_no_negative_zero() {
        // Issue 18's noise: 6240.000000000001 is 6240 to 15 digits (hand: the 16th digit is
        // the 1). 578.7037037037037 (100M × 0.5 / 86,400) to 15 digits is 578.703703703704
        // (python3: f"{578.7037037037037:.14e}").
        assert_eq!(publishable(6_240.000_000_000_001), 6_240.0);
        assert_eq!(publishable(578.703_703_703_703_7), 578.703_703_703_704);
        assert_eq!(publishable(3.999_999_999_999_778), 3.999_999_999_999_78);
        // At most 15 digits: untouched, to the bit.
        for x in [0.1, 99.99, 9.125e12, 1e-300, 123_456_789_012_345.0] {
            assert_eq!(publishable(x).to_bits(), x.to_bits(), "{x}");
        }
        // f64::MAX (1.7976931348623157e308) to 15 digits, 1.79769313486232e308, is past it:
        // kept as it is rather than published as ∞ (null).
        assert_eq!(publishable(f64::MAX), f64::MAX);
        assert_eq!(publishable(-0.0).to_bits(), 0.0f64.to_bits());
        assert!(publishable(f64::NAN).is_nan());
    }

    /// Every number the report publishes outside `inputs` has at most 15 significant digits and
    /// none is `-0`; `inputs` keeps a 17-digit input to every digit, so the export imports back.
    #[test]
    fn the_report_publishes_no_noise_and_keeps_its_inputs() {
        let query = "dau=123456789.01234567&hit=0&err_rate=0";
        let scenario = Scenario::from_query(query).scenario;
        let json = Report::build(&scenario)
            .expect("builds")
            .to_json()
            .expect("serializes");
        let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let mut numbers = Vec::new();
        collect_numbers(&value, "", &mut numbers);
        assert!(numbers.len() > 100, "{}", numbers.len());
        for (path, text) in &numbers {
            assert!(!text.starts_with("-0"), "{path}: {text}");
            if path.starts_with("/inputs/") {
                continue;
            }
            let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
            let digits = mantissa
                .trim_start_matches(['-', '0', '.'])
                .replace('.', "");
            let significant = digits.trim_end_matches('0').len();
            assert!(significant <= FIGURE_DIGITS, "{path}: {text}");
        }
        assert_eq!(
            value["inputs"]["dau"].as_f64(),
            Some(123_456_789.012_345_67)
        );
        assert_eq!(crate::report::import_report(&json).ok(), Some(scenario));
    }

    fn collect_numbers(value: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Number(n) => out.push((path.to_string(), n.to_string())),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    collect_numbers(item, &format!("{path}/{i}"), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    collect_numbers(item, &format!("{path}/{key}"), out);
                }
            }
            _ => {}
        }
    }
}
