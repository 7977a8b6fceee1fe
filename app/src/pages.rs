//! One page per file.
pub mod availability;
pub mod capacity;
pub mod cost;
pub mod home;
pub mod not_found;

/// Whether the page at `path` exists yet (navigation lists only built pages).
pub fn is_built(path: &str) -> bool {
    matches!(path, "/" | "/capacity" | "/availability" | "/cost")
}
