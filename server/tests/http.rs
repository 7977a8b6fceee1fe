//! The server's HTTP behaviour, driven in process through `tower::ServiceExt::oneshot` (and, for
//! connection-level limits and shutdown, through a loopback socket). One test binary, so the
//! app is linked once.

mod http {
    pub mod api;
    pub mod cache;
    pub mod cli;
    pub mod hostile;
    pub mod hpa;
    pub mod limits;
    pub mod metrics;
    pub mod ops;
    pub mod schema_check;
    pub mod security;
    pub mod simulate;
    pub mod support;
    pub mod traffic;
}
