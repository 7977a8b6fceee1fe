//! One page per file.
pub mod autoscaling;
pub mod availability;
pub mod capacity;
pub mod cost;
pub mod home;
pub mod load_balancing;
pub mod not_found;
pub mod queueing;
pub mod rate_limiting;

/// Whether the page at `path` exists yet (navigation lists only built pages).
pub fn is_built(path: &str) -> bool {
    matches!(
        path,
        "/" | "/capacity"
            | "/availability"
            | "/cost"
            | "/queueing"
            | "/autoscaling"
            | "/rate-limiting"
            | "/load-balancing"
    )
}
