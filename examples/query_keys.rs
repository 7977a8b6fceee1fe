//! The README's table of query keys, generated from the scenario's field table so the
//! documentation cannot drift from the code: `cargo run --example query_keys` prints it, and
//! `cargo run --example query_keys -- --readme README.md` rewrites it in place between the
//! `query-keys` markers.

use headroom::scenario::{FIELDS, Kind, Scenario};
use std::fmt::Write;

const START: &str = "<!-- query-keys:start -->";
const END: &str = "<!-- query-keys:end -->";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let table = table();
    let args: Vec<String> = std::env::args().collect();
    match args
        .iter()
        .position(|a| a == "--readme")
        .and_then(|i| args.get(i + 1))
    {
        Some(path) => {
            let readme = std::fs::read_to_string(path)?;
            let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
                return Err(format!("{path} has no {START} ... {END} block").into());
            };
            let updated = format!("{}{START}\n{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(path, updated)?;
        }
        None => print!("{table}"),
    }
    Ok(())
}

fn table() -> String {
    let defaults = Scenario::default();
    let mut out = String::new();
    let _ = writeln!(out, "| key | meaning | default | accepts |");
    let _ = writeln!(out, "|---|---|---|---|");
    for spec in FIELDS {
        let default = defaults.field_text(spec.key).unwrap_or_default();
        let default = if default.is_empty() {
            "(empty)".to_string()
        } else {
            format!("`{default}`")
        };
        let accepts = match spec.kind {
            Kind::Choice => spec
                .choices
                .iter()
                .map(|(v, _)| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", "),
            Kind::Flag => "`1` or `0`".to_string(),
            Kind::Text => "see below".to_string(),
            _ => {
                let unit = if spec.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", spec.unit)
                };
                format!("{}{unit}", spec.range_text())
            }
        };
        let _ = writeln!(
            out,
            "| `{}` | {}: {} | {default} | {accepts} |",
            spec.key,
            spec.label,
            spec.help.replace('|', "\\|")
        );
    }
    out
}
