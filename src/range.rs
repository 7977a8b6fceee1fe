//! The one error for a setting outside its allowed interval, shared by the modules that check
//! ranges of named settings (load balancing, rate limiting, auto-scaling, queueing, capacity).

use std::borrow::Cow;

use crate::units::format_message_number;

/// A setting was NaN, infinite or outside its allowed interval.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field} must be {allowed}, got {}", format_message_number(*.value))]
pub struct RangeError {
    /// The setting's name: its query key, or its Kubernetes path (`spec.minReplicas`).
    pub field: Cow<'static, str>,
    /// The offending value.
    pub value: f64,
    /// Human description of the allowed values, e.g. `1 to 2,000,000` or `in [0, 3600]`.
    pub allowed: &'static str,
}

impl RangeError {
    /// The error for `value` in `field`, which accepts `allowed`.
    pub fn new(field: impl Into<Cow<'static, str>>, value: f64, allowed: &'static str) -> Self {
        Self {
            field: field.into(),
            value,
            allowed,
        }
    }
}

/// `value` when it is finite and `min ≤ value ≤ max`, else a [`RangeError`] naming `field`.
pub(crate) fn check_range(
    field: impl Into<Cow<'static, str>>,
    value: f64,
    min: f64,
    max: f64,
    allowed: &'static str,
) -> Result<f64, RangeError> {
    if value.is_finite() && value >= min && value <= max {
        Ok(value)
    } else {
        Err(RangeError::new(field, value, allowed))
    }
}
