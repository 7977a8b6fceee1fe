//! # Headroom core
//!
//! The estimation core of Headroom: capacity, availability and cost arithmetic from
//! back-of-the-envelope system design, plus the simulators that go beyond it.
//!
//! Everything here is pure Rust with no I/O and no web crates, so the same code runs on the
//! server (server-side rendering and the JSON API) and in the browser (WASM): every number is the
//! same on both sides.
//!
//! Data flows one way: query string -> [`scenario::Scenario`] (validated) -> the calculators ->
//! [`report::Report`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod autoscale;
pub mod availability;
pub mod capacity;
pub mod choice;
pub mod complexity;
pub mod cost;
pub mod curve;
pub mod loadbalance;
pub mod math;
pub mod queueing;
pub mod range;
pub mod ratelimit;
pub mod report;
pub mod scenario;
pub mod simulation;
pub mod text;
pub(crate) mod trace;
pub mod traffic;
pub mod uncertainty;
pub mod units;
pub(crate) mod validated;

#[cfg(test)]
pub(crate) mod testutil;

/// Seconds in an hour.
pub const SECONDS_PER_HOUR: f64 = 3_600.0;

/// Seconds in a day, the chapter's divisor for per-day rates (24 × 3,600).
pub const SECONDS_PER_DAY: f64 = 86_400.0;
