//! Planning with ranges instead of single guesses, and against a baseline.
//!
//! **Ranges.** A number field that feeds the sampled figures ([`RANGED`]) takes `low..high` (a
//! uniform distribution) or `low..most likely..high` (a triangular one): `dau=80M..120M`. The
//! scenario holds the range's middle (the uniform's midpoint, the triangular's most likely value),
//! so every figure of the report is the point plan at the middles, exactly as before. Beside it,
//! [`sample`] draws `mc_n` scenarios with the seed `mc_seed` and gives, for each headline figure
//! ([`FIGURES`]), its P10, P50, P90 and mean; servers per tier are read at `plan_at` (P90 by
//! default); and which ranges drive the spread most (a tornado: each range alone at its own P10
//! and P90, the others at their middles).
//!
//! **Baseline.** `base` holds the canonical query of another scenario; [`diff`] lists every
//! figure of the report that differs from the baseline's.

mod diff;
mod sample;

pub use diff::{Change, diff, published};
pub use sample::{Band, Driver, FIGURES, SampledPlan, Uncertainty, sample};

use serde::{Deserialize, Serialize};

use crate::scenario::{FIELDS, FieldRead, FieldSpec, FieldValue, MAX_VALUE_LEN, Scenario};

/// The fields that take a range: every plain number that feeds a sampled figure. A test checks
/// that each one moves at least one of [`FIGURES`], so none is accepted only to be ignored.
pub const RANGED: &[&str] = &[
    "dau",
    "writes",
    "reads",
    "peak",
    "size",
    "read_size",
    "repl",
    "years",
    "web_rps",
    "cache_ops",
    "db_qps",
    "util",
    "hit",
    "hot",
    "nic",
    "cdn_hit",
    "msgs_per_write",
    "partition_rate",
    "slo",
    "outage",
    "err_rate",
    "req_month",
    "dur_ms",
    "inst_hr",
    "hours",
];

/// The separator of a range's ends.
const SEPARATOR: &str = "..";

/// A range's distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// `low..high`: every value between equally likely.
    Uniform,
    /// `low..mode..high`: the density rises linearly from `low` to the most likely value and
    /// falls linearly to `high`.
    Triangular,
}

/// One field's range, its ends parsed and checked by the field's own parser and bounds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Spread {
    /// The lowest value.
    pub low: f64,
    /// The most likely value of a triangular range; the midpoint of a uniform one.
    pub mid: f64,
    /// The highest value.
    pub high: f64,
    /// The distribution.
    pub shape: Shape,
}

impl Spread {
    /// Whether `raw` is written as a range.
    pub fn is_range(raw: &str) -> bool {
        raw.contains(SEPARATOR)
    }

    /// Parses `low..high` or `low..mode..high` for the field `spec`: each end as the field parses
    /// a single value, so `80M..120M` and `1 s..3 s` work and an end out of bounds names it.
    ///
    /// # Errors
    /// A message for the person: the field takes no range, the form is wrong, an end is not
    /// allowed, or the ends are out of order.
    pub fn parse(raw: &str, spec: &FieldSpec) -> Result<Self, String> {
        if raw.len() > MAX_VALUE_LEN {
            return Err(format!("is too long (at most {MAX_VALUE_LEN} characters)"));
        }
        if !RANGED.contains(&spec.key) {
            return Err(
                "takes a single value: ranges are for the inputs of the capacity, cost \
                        and availability figures"
                    .to_string(),
            );
        }
        let ends: Vec<&str> = raw.split(SEPARATOR).collect();
        let names: &[&str] = match ends.len() {
            2 => &["low", "high"],
            3 => &["low", "most likely", "high"],
            _ => {
                return Err(
                    "a range is low..high (uniform) or low..most likely..high (triangular)"
                        .to_string(),
                );
            }
        };
        let mut values = Vec::with_capacity(ends.len());
        for (end, name) in ends.iter().zip(names) {
            let value = <f64 as FieldValue>::parse_field(end, spec)
                .map_err(|message| format!("the range's {name} end {message}"))?;
            values.push(value);
        }
        if values.windows(2).any(|pair| pair[0] > pair[1]) {
            return Err(format!(
                "the range's ends must go from low to high ({})",
                names.join(" ≤ ")
            ));
        }
        Ok(match values[..] {
            [low, high] => Self {
                low,
                mid: low + (high - low) / 2.0,
                high,
                shape: Shape::Uniform,
            },
            [low, mid, high] => Self {
                low,
                mid,
                high,
                shape: Shape::Triangular,
            },
            _ => unreachable!("two or three ends"),
        })
    }

    /// The canonical text: each end as the field writes a single value.
    pub fn to_text(&self, spec: &FieldSpec) -> String {
        let text = |v: f64| v.to_field_text(spec);
        match self.shape {
            Shape::Uniform => format!("{}..{}", text(self.low), text(self.high)),
            Shape::Triangular => {
                format!(
                    "{}..{}..{}",
                    text(self.low),
                    text(self.mid),
                    text(self.high)
                )
            }
        }
    }

    /// The value at probability `u` in [0, 1] (the inverse of the distribution function).
    ///
    /// # Formula
    /// ```text
    /// uniform:     a + u (b − a)
    /// triangular:  a + √(u (b − a)(c − a))            for u < F(c) = (c − a)/(b − a)
    ///              b − √((1 − u)(b − a)(b − c))       otherwise
    /// a low, c most likely, b high
    /// Source: Johnson, Kotz and Balakrishnan, Continuous Univariate Distributions, vol. 2
    /// (2nd ed., 1995), ch. 26 (uniform) and the triangular distribution's inverse CDF
    /// ```
    /// The result is kept within [a, b] against rounding.
    pub fn quantile(&self, u: f64) -> f64 {
        let (a, c, b) = (self.low, self.mid, self.high);
        let width = b - a;
        let x = match self.shape {
            Shape::Uniform => a + u * width,
            Shape::Triangular if width <= 0.0 => a,
            Shape::Triangular => {
                if u * width < c - a {
                    a + (u * width * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * width * (b - c)).sqrt()
                }
            }
        };
        x.clamp(a, b)
    }

    /// The share of the distribution at or below `x` (its distribution function).
    pub fn cdf(&self, x: f64) -> f64 {
        let (a, c, b) = (self.low, self.mid, self.high);
        if x < a {
            return 0.0;
        }
        if x >= b {
            return 1.0;
        }
        let width = b - a;
        match self.shape {
            Shape::Uniform => (x - a) / width,
            Shape::Triangular if x <= c => (x - a) * (x - a) / (width * (c - a)),
            Shape::Triangular => 1.0 - (b - x) * (b - x) / (width * (b - c)),
        }
    }
}

/// The fields of a scenario given as ranges, in field order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranges(Vec<(&'static str, Spread)>);

impl Ranges {
    /// The range of `key`, if it has one.
    pub fn get(&self, key: &str) -> Option<&Spread> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, s)| s)
    }

    /// Sets the range of `key` (a field of the table), keeping field order.
    pub(crate) fn insert(&mut self, key: &'static str, spread: Spread) {
        self.remove(key);
        let order = |k: &str| FIELDS.iter().position(|f| f.key == k);
        let at = self
            .0
            .iter()
            .position(|(k, _)| order(k) > order(key))
            .unwrap_or(self.0.len());
        self.0.insert(at, (key, spread));
    }

    /// Forgets the range of `key`.
    pub(crate) fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| *k != key);
    }

    /// Every range, in field order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Spread)> {
        self.0.iter().map(|(k, s)| (*k, s))
    }

    /// Whether no field is a range.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many fields are ranges.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Longest baseline accepted, bytes: a canonical query can carry imported traffic, which alone
/// may take most of [`MAX_VALUE_LEN`].
pub const MAX_BASE_LEN: usize = 4 * MAX_VALUE_LEN;

/// The scenario a plan is compared against (the `base` field): read from its canonical query,
/// which may not hold a baseline of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline(Box<Scenario>);

impl Baseline {
    /// Reads a baseline from its query.
    ///
    /// # Errors
    /// A message naming the baseline's first bad field, or refusing a nested baseline.
    pub fn parse(query: &str) -> Result<Self, String> {
        if query.len() > MAX_BASE_LEN {
            return Err(format!(
                "is too long ({} bytes; at most {MAX_BASE_LEN})",
                query.len()
            ));
        }
        let parsed = Scenario::from_query(query);
        if let Some(error) = parsed.errors.first() {
            return Err(format!("holds a bad {}: {}", error.field, error.message));
        }
        if parsed.scenario.base().is_some() {
            return Err("holds a baseline of its own; a baseline is one scenario".to_string());
        }
        Ok(Self(Box::new(parsed.scenario)))
    }

    /// The baseline scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.0
    }
}

impl FieldValue for Option<Baseline> {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            Ok(None)
        } else {
            Baseline::parse(raw).map(Some)
        }
    }

    /// The baseline's canonical query; `v=2` for a baseline of the defaults, whose canonical
    /// query is empty, so that it is not read back as no baseline.
    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        match self {
            None => String::new(),
            Some(base) => {
                let query = base.scenario().to_query();
                if query.is_empty() {
                    format!(
                        "{}={}",
                        crate::scenario::VERSION_KEY,
                        crate::scenario::VERSION
                    )
                } else {
                    query
                }
            }
        }
    }
}

impl FieldRead for Option<Baseline> {
    type Out<'a> = Option<&'a Scenario>;

    fn read(&self) -> Option<&Scenario> {
        self.as_ref().map(Baseline::scenario)
    }
}

#[cfg(test)]
mod tests;
