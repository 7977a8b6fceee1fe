//! The Kubernetes HPA manifest reader on arbitrary YAML: no panic, whatever the nesting,
//! aliases or types.
#![no_main]

use headroom::autoscale::HpaPolicy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(yaml) = std::str::from_utf8(data) else {
        return;
    };
    let _ = HpaPolicy::from_yaml(yaml);
});
