//! One component per file.
pub mod chart;
