//! Presets: named scenarios a person can start from, each stored as the canonical query it sets.

/// A named starting point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Stable identifier.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// One line on what it models.
    pub description: &'static str,
    /// The query it sets (fields that differ from the default); empty for the default.
    pub query: &'static str,
}

/// Every preset: the chapter's example first, then realistic ones. Each query is canonical (it
/// starts with the link version, see [`super::upgrade_pairs`]).
pub static PRESETS: &[Preset] = &[
    Preset {
        id: "chapter",
        name: "The chapter's example",
        description: "A Twitter-like service: 100M daily users, 0.5 writes and 10 reads each, \
                      peak 10× the average, 500-byte posts, every node at full load, no spare",
        query: "v=2&util=1&spare=none",
    },
    Preset {
        id: "small-saas",
        name: "Small SaaS",
        description: "20k daily users of a B2B app, 50 writes and 200 reads a day each, busy \
                      office hours, 2 kB records, 3 copies for 3 years, N+1 at 70%",
        query: "v=2&dau=20k&writes=50&reads=200&peak=4&size=2k&read_size=20k&repl=3&years=3\
                &web_rps=1k&db_qps=5k&hit=0.8&slo=99.9",
    },
    Preset {
        id: "social-feed",
        name: "Read-heavy social feed",
        description: "50M daily users reading 100 feed items for every post, 3× replication, \
                      N+1 at the chapter's 70% utilization",
        query: "v=2&dau=50M&writes=1&reads=100&peak=5&size=1k&read_size=25k&repl=3&years=5\
                &hit=0.95",
    },
    Preset {
        id: "iot-ingest",
        name: "Write-heavy IoT ingest",
        description: "2M devices reporting every 10 s (8,640 writes a day), few reads, 200-byte \
                      readings kept 2 years with 3 copies, flat traffic",
        query: "v=2&dau=2M&writes=8640&reads=24&peak=1.5&size=200&read_size=50k&repl=3&years=2\
                &db_qps=20k&hit=0.5",
    },
];
