//! How each type of field value is read from text and written back canonically.

use super::{FieldSpec, Kind, MAX_VALUE_LEN};
use crate::choice::Choice;
use crate::units;

/// A field value: parsed from what a person typed, checked against its [`FieldSpec`], and written
/// back as canonical text that parses to the same value (so URLs round-trip exactly).
pub trait FieldValue: Sized + Clone + PartialEq {
    /// `(key, label)` of every value a choice allows, in display order; empty for other values.
    const CHOICES: &'static [(&'static str, &'static str)] = &[];

    /// Whether the value is one plain number, which a range can stand for (see
    /// [`crate::uncertainty`]) and [`FieldValue::as_number_mut`] can set.
    const NUMBER: bool = false;

    /// The value as a plain number to set (a number drawn from a range); `None` for values that
    /// are not plain numbers.
    fn as_number_mut(&mut self) -> Option<&mut f64> {
        None
    }

    /// The value as a plain number; `None` for values that are not plain numbers.
    fn as_number(&self) -> Option<f64> {
        None
    }

    /// Parses and validates `raw`.
    ///
    /// # Errors
    /// A message for the person: what is wrong and what is allowed.
    fn parse_field(raw: &str, spec: &FieldSpec) -> Result<Self, String>;

    /// The canonical text of the value.
    fn to_field_text(&self, spec: &FieldSpec) -> String;

    /// The value as typed JSON for the report's `inputs`: numbers as numbers, yes/no as booleans,
    /// everything else as its canonical text.
    fn to_json(&self, spec: &FieldSpec) -> serde_json::Value {
        serde_json::Value::String(self.to_field_text(spec))
    }
}

/// How a getter of [`super::Scenario`] hands a field out: small `Copy` values by value, so callers
/// write `s.dau()` rather than `s.dau()`, and collections as a borrow of their contents.
pub trait FieldRead {
    /// What the getter returns.
    type Out<'a>
    where
        Self: 'a;

    /// The value as the getter hands it out.
    fn read(&self) -> Self::Out<'_>;
}

macro_rules! read_by_value {
    ($($ty:ty),* $(,)?) => {
        $(
            impl FieldRead for $ty {
                type Out<'a> = $ty;

                fn read(&self) -> $ty {
                    *self
                }
            }
        )*
    };
}

read_by_value!(f64, Option<f64>, bool, Option<crate::capacity::YearMonth>);

impl<T: Choice> FieldRead for T {
    type Out<'a> = T;

    fn read(&self) -> T {
        *self
    }
}

impl<T> FieldRead for Vec<T> {
    type Out<'a>
        = &'a [T]
    where
        T: 'a;

    fn read(&self) -> &[T] {
        self
    }
}

impl FieldRead for crate::autoscale::HpaPolicy {
    type Out<'a> = &'a Self;

    fn read(&self) -> &Self {
        self
    }
}

/// Refuses a value longer than [`MAX_VALUE_LEN`] before any parsing; trims the rest.
pub(super) fn check_length(raw: &str) -> Result<&str, String> {
    if raw.len() > MAX_VALUE_LEN {
        Err(format!(
            "is too long ({} characters; at most {MAX_VALUE_LEN})",
            raw.chars().count()
        ))
    } else {
        Ok(raw.trim())
    }
}

/// Parses a number in the field's unit. A bare number is taken in the field's own unit as is, so
/// the canonical text (always a bare number) round-trips exactly; a number with a unit is
/// converted.
fn parse_in_unit(raw: &str, kind: Kind) -> Result<f64, units::UnitError> {
    match kind {
        Kind::Count | Kind::Integer => units::parse_count(raw),
        Kind::Number => units::parse_number(raw),
        Kind::Bytes => units::parse_bytes(raw),
        Kind::ByteRate => units::parse_byte_rate(raw),
        // A bare number is exact in the field's unit; otherwise "5m" in a duration means minutes.
        Kind::Millis => units::parse_number(raw)
            .or_else(|_| units::parse_duration(raw, 0.001).map(|seconds| seconds * 1000.0)),
        Kind::Seconds => units::parse_number(raw).or_else(|_| units::parse_duration(raw, 1.0)),
        Kind::Percent => units::parse_percent(raw),
        Kind::Fraction => units::parse_fraction(raw),
        Kind::Usd => units::parse_usd(raw),
        Kind::Choice | Kind::Flag | Kind::Text => units::parse_number(raw),
    }
}

impl FieldValue for f64 {
    const NUMBER: bool = true;

    fn as_number_mut(&mut self) -> Option<&mut f64> {
        Some(self)
    }

    fn as_number(&self) -> Option<f64> {
        Some(*self)
    }

    fn parse_field(raw: &str, spec: &FieldSpec) -> Result<Self, String> {
        let raw = check_length(raw)?;
        let value = parse_in_unit(raw, spec.kind).map_err(|e| e.to_string())?;
        let below = if spec.min_exclusive {
            value <= spec.min
        } else {
            value < spec.min
        };
        if below || value > spec.max {
            return Err(format!(
                "must be {}{}",
                spec.range_text(),
                unit_suffix(spec)
            ));
        }
        if spec.kind == Kind::Integer && value.fract() != 0.0 {
            return Err("must be a whole number".to_string());
        }
        Ok(value)
    }

    fn to_field_text(&self, spec: &FieldSpec) -> String {
        match spec.kind {
            // Durations are written as bare numbers in the field's unit: an SI suffix such as
            // "1.5k" would not read back as a duration.
            Kind::Millis | Kind::Seconds => units::format_query_plain(*self),
            _ => units::format_query_number(*self),
        }
    }

    fn to_json(&self, _spec: &FieldSpec) -> serde_json::Value {
        serde_json::Number::from_f64(*self)
            .map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

fn unit_suffix(spec: &FieldSpec) -> String {
    match spec.kind {
        Kind::Percent => "%".to_string(),
        _ if spec.unit.is_empty() => String::new(),
        _ => format!(" {}", spec.unit),
    }
}

/// An optional number: empty text means "not set" (e.g. a price override left to the table).
impl FieldValue for Option<f64> {
    fn parse_field(raw: &str, spec: &FieldSpec) -> Result<Self, String> {
        if check_length(raw)?.is_empty() {
            Ok(None)
        } else {
            f64::parse_field(raw, spec).map(Some)
        }
    }

    fn to_field_text(&self, spec: &FieldSpec) -> String {
        self.map(|v| v.to_field_text(spec)).unwrap_or_default()
    }

    fn to_json(&self, spec: &FieldSpec) -> serde_json::Value {
        self.map_or(serde_json::Value::Null, |v| v.to_json(spec))
    }
}

/// An optional calendar month, `YYYY-MM`: empty text means "not given".
impl FieldValue for Option<crate::capacity::YearMonth> {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        let raw = check_length(raw)?;
        if raw.is_empty() {
            Ok(None)
        } else {
            raw.parse().map(Some)
        }
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        self.map(|m| m.to_string()).unwrap_or_default()
    }

    fn to_json(&self, _spec: &FieldSpec) -> serde_json::Value {
        self.map_or(serde_json::Value::Null, |m| {
            serde_json::Value::String(m.to_string())
        })
    }
}

/// A yes/no switch: `1`/`0`, also `true`/`false`, `yes`/`no`, and `on` (what an HTML checkbox
/// sends).
impl FieldValue for bool {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        match check_length(raw)?.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            _ => Err("must be 1 (yes) or 0 (no)".to_string()),
        }
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        if *self { "1" } else { "0" }.to_string()
    }

    fn to_json(&self, _spec: &FieldSpec) -> serde_json::Value {
        serde_json::Value::Bool(*self)
    }
}

/// A choice: its key, matched case-insensitively.
impl<T: Choice> FieldValue for T {
    const CHOICES: &'static [(&'static str, &'static str)] = T::OPTIONS;

    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        option_index(raw, T::OPTIONS).map(|i| T::ALL[i])
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        self.key().to_string()
    }
}

/// The index of the option whose key is `raw`, ignoring ASCII case. One function for every
/// choice type, so the WASM carries it once rather than once per enum.
fn option_index(raw: &str, options: &[(&str, &str)]) -> Result<usize, String> {
    let raw = check_length(raw)?;
    options
        .iter()
        .position(|(key, _)| key.eq_ignore_ascii_case(raw))
        .ok_or_else(|| {
            let allowed: Vec<&str> = options.iter().map(|(key, _)| *key).collect();
            format!("must be one of {}", allowed.join(", "))
        })
}

/// A chain of availability tiers in the compact codec of [`crate::availability`].
impl FieldValue for Vec<crate::availability::Tier> {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        crate::availability::parse_tiers(check_length(raw)?).map_err(|e| e.to_string())
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        crate::availability::format_tiers(self)
    }
}

impl FieldRead for Option<crate::traffic::Observed> {
    type Out<'a> = Option<&'a crate::traffic::Observed>;

    fn read(&self) -> Option<&crate::traffic::Observed> {
        self.as_ref()
    }
}

/// Observed traffic in its link text (`crate::traffic::Observed::to_text`); empty: none.
impl FieldValue for Option<crate::traffic::Observed> {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        let raw = check_length(raw)?;
        if raw.is_empty() {
            Ok(None)
        } else {
            crate::traffic::Observed::from_text(raw).map(Some)
        }
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        self.as_ref()
            .map(crate::traffic::Observed::to_text)
            .unwrap_or_default()
    }

    fn to_json(&self, _spec: &FieldSpec) -> serde_json::Value {
        self.as_ref().map_or(serde_json::Value::Null, |o| {
            serde_json::Value::String(o.to_text())
        })
    }
}
