//! The `headroom` command line: `serve` (also what a bare `headroom` with server flags does),
//! `report` (the API's report, offline), `check` (a capacity gate for CI: limits on any figure
//! of the report) and `completions`.
//!
//! `report` and `check` answer from the same code as `GET /api/v1/report`
//! ([`crate::api::report_document`]), so a figure gated in CI is the figure the page and the API
//! show. Exit codes: 0 when all is well, 1 when `check` finds a figure past its limit (or
//! something failed that is Headroom's fault), 2 for input that cannot be used: a bad query (the
//! message names the field, as the API's 400 does), a file that is not a scenario, or a path
//! that is not a number in the report.

use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use serde_json::Value;

use crate::Config;
use crate::api::{self, ApiError};

/// Headroom: capacity, availability and cost estimates for a service, as a web app, an API and a
/// command line.
///
/// Without a command, `headroom` serves (the flags are `headroom serve`'s).
#[derive(Debug, Parser)]
#[command(name = "headroom", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// `headroom serve`'s flags, for a bare `headroom`.
    #[command(flatten)]
    pub serve: Config,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the calculator pages, the JSON API and the static assets (the default)
    Serve(Config),
    /// Print the report of a scenario as JSON: the document GET /api/v1/report?QUERY answers,
    /// computed offline
    Report(ScenarioArgs),
    /// Check figures of a scenario's report against limits: exit 1, with one line per figure
    /// past its limit, when any is (a capacity gate for CI)
    Check(CheckArgs),
    /// Print a shell completion script (e.g. `headroom completions bash >
    /// /etc/bash_completion.d/headroom`)
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

/// Where the scenario comes from.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The scenario as a query string, as in the page's address (e.g. 'dau=5M&peak=3'); none is
    /// the default scenario
    #[arg(value_name = "QUERY", conflicts_with = "json")]
    pub query: Option<String>,

    /// Read the scenario from a JSON file instead, as POST /api/v1/report reads it: an object of
    /// query keys to values, or an exported report; - reads standard input
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// A scenario and the limits its figures must keep.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Fail when the figure at PATH (a dotted path into the report's JSON, e.g.
    /// capacity.web_servers) is above LIMIT; repeat for several
    #[arg(long = "max", value_name = "PATH=LIMIT", value_parser = limit)]
    pub max: Vec<Limit>,

    /// Fail when the figure at PATH is below LIMIT; repeat for several
    #[arg(long = "min", value_name = "PATH=LIMIT", value_parser = limit)]
    pub min: Vec<Limit>,
}

/// A limit on one figure of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// Dotted path into the report's JSON (array items by index).
    pub path: String,
    /// The bound.
    pub value: f64,
}

/// Reads `PATH=LIMIT`.
fn limit(text: &str) -> Result<Limit, String> {
    let (path, value) = text.split_once('=').ok_or_else(|| {
        format!("expected PATH=LIMIT (e.g. capacity.web_servers=20), got {text:?}")
    })?;
    let path = path.trim();
    if path.is_empty() {
        return Err(format!("no path before '=' in {text:?}"));
    }
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("the limit of {path} is not a number: {:?}", value.trim()))?;
    if !value.is_finite() {
        return Err(format!("the limit of {path} must be a finite number"));
    }
    Ok(Limit {
        path: path.to_string(),
        value,
    })
}

/// Why a command could not do its work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The process's exit code.
    pub code: u8,
    /// What to print on standard error, one line per problem.
    pub message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
}

/// Largest scenario file read: the API's own import limit.
const MAX_FILE_BYTES: usize = headroom::report::MAX_IMPORT_BYTES;

/// The report document of the scenario, stamped `generated_at`.
///
/// # Errors
/// Exit 2 for a bad query or file, naming the field at fault; 1 for Headroom's own failures.
pub fn report(args: &ScenarioArgs, generated_at: String) -> Result<String, Failure> {
    let parsed = match &args.json {
        Some(path) => api::scenario_from_json(&read_file(path)?).map_err(api_failure)?,
        None => headroom::scenario::Scenario::from_query(args.query.as_deref().unwrap_or("")),
    };
    api::report_document(parsed, generated_at).map_err(api_failure)
}

/// The figures of the scenario's report checked against the limits: the lines to print when
/// every figure is within its limits.
///
/// # Errors
/// Exit 1 with one line per figure past its limit; exit 2 for a bad query or file, or a path
/// that is not a number in the report.
pub fn check(args: &CheckArgs) -> Result<String, Failure> {
    if args.max.is_empty() && args.min.is_empty() {
        return Err(Failure::usage(
            "nothing to check: give at least one --max PATH=LIMIT or --min PATH=LIMIT",
        ));
    }
    let document = report(&args.scenario, crate::api::now_rfc3339())?;
    let report: Value = serde_json::from_str(&document).map_err(|err| Failure {
        code: 1,
        message: format!("the report could not be read back ({err}); this is a bug in Headroom"),
    })?;
    let limits = args
        .max
        .iter()
        .map(|l| (l, Bound::Max))
        .chain(args.min.iter().map(|l| (l, Bound::Min)));
    let mut within = String::new();
    let mut past = String::new();
    let mut unusable = String::new();
    for (limit, bound) in limits {
        match figure(&report, &limit.path) {
            Err(message) => {
                let _ = writeln!(unusable, "headroom check: {message}");
            }
            Ok(number) => {
                let shown = number.to_string();
                let Some(value) = number.as_f64() else {
                    let _ = writeln!(unusable, "headroom check: {} is not a number", limit.path);
                    continue;
                };
                let (passed, word) = match bound {
                    Bound::Max => (value > limit.value, "above its maximum"),
                    Bound::Min => (value < limit.value, "below its minimum"),
                };
                let limit_text = limit.value;
                if passed {
                    let _ = writeln!(
                        past,
                        "headroom check: {} = {shown} is {word} of {limit_text}",
                        limit.path
                    );
                } else {
                    let _ = writeln!(
                        within,
                        "ok: {} = {shown} ({} {limit_text})",
                        limit.path,
                        bound.name()
                    );
                }
            }
        }
    }
    if !unusable.is_empty() {
        return Err(Failure::usage(unusable.trim_end()));
    }
    if !past.is_empty() {
        return Err(Failure {
            code: 1,
            message: past.trim_end().to_string(),
        });
    }
    Ok(within)
}

#[derive(Debug, Clone, Copy)]
enum Bound {
    Max,
    Min,
}

impl Bound {
    fn name(self) -> &'static str {
        match self {
            Bound::Max => "max",
            Bound::Min => "min",
        }
    }
}

/// The number at a dotted path of the report, or why there is none. A key that holds dots
/// itself (the `uncertainty` section is keyed by figure paths) is found too: at each object the
/// longest run of the path's steps that is one of its keys is taken
/// (`uncertainty.capacity.web_servers.p90`).
fn figure<'a>(report: &'a Value, path: &str) -> Result<&'a serde_json::Number, String> {
    let steps: Vec<&str> = path.split('.').collect();
    let mut at = report;
    let mut walked = String::new();
    let mut i = 0;
    while i < steps.len() {
        let next = match at {
            Value::Object(map) => (i + 1..=steps.len())
                .rev()
                .find_map(|j| map.get(&steps[i..j].join(".")).map(|v| (v, j))),
            Value::Array(items) => steps[i]
                .parse::<usize>()
                .ok()
                .and_then(|n| items.get(n))
                .map(|v| (v, i + 1)),
            _ => None,
        };
        let Some((next, end)) = next else {
            let place = if walked.is_empty() {
                "the report".to_string()
            } else {
                walked.clone()
            };
            return Err(format!(
                "unknown path {path}: {place} has no {:?}{}",
                steps[i],
                choices(at)
            ));
        };
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(&steps[i..end].join("."));
        at = next;
        i = end;
    }
    match at {
        Value::Number(number) => Ok(number),
        Value::Null => Err(format!("{path} has no value for this scenario (null)")),
        Value::Object(_) | Value::Array(_) => {
            Err(format!("{path} is not a figure but a group{}", choices(at)))
        }
        other => Err(format!("{path} is not a number but {other}")),
    }
}

/// What a path could go on with from here, for the message.
fn choices(at: &Value) -> String {
    match at {
        Value::Object(map) if !map.is_empty() => {
            let keys: Vec<&str> = map.keys().map(String::as_str).take(24).collect();
            let more = if map.len() > keys.len() { ", …" } else { "" };
            format!(" (it has: {}{more})", keys.join(", "))
        }
        Value::Array(items) if !items.is_empty() => {
            format!(" (it is a list: 0 to {})", items.len() - 1)
        }
        _ => String::new(),
    }
}

/// The API's error as command-line lines: every bad field when they are the fault, else the one
/// error; exit 2 for the client's faults, 1 for Headroom's.
fn api_failure(err: ApiError) -> Failure {
    let code = if err.status().is_client_error() { 2 } else { 1 };
    let message = if err.field_errors().is_empty() {
        match err.field() {
            Some(field) => format!("headroom: {field}: {}", err.message()),
            None => format!("headroom: {}", err.message()),
        }
    } else {
        err.field_errors()
            .iter()
            .map(|e| format!("headroom: bad query: {}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Failure { code, message }
}

/// The file's bytes, at most [`MAX_FILE_BYTES`]; `-` is standard input.
fn read_file(path: &PathBuf) -> Result<Vec<u8>, Failure> {
    let shown = path.display();
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(path)
                .map_err(|err| Failure::usage(format!("headroom: cannot open {shown}: {err}")))?,
        )
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Failure::usage(format!("headroom: cannot read {shown}: {err}")))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Failure::usage(format!(
            "headroom: {shown} is larger than the import limit of {MAX_FILE_BYTES} bytes"
        )));
    }
    Ok(bytes)
}

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "headroom",
        &mut std::io::stdout(),
    );
}

/// Prints `text` to standard output, or says why it could not: a closed pipe (`headroom report
/// | head`) is not a panic. A final newline is added for a terminal only, so that `headroom report
/// QUERY > file` holds the very bytes `curl` gets from the API (the API's body ends without one).
pub fn print(text: &str) -> ExitCode {
    use std::io::{IsTerminal, Write};
    let mut out = std::io::stdout().lock();
    let newline = if out.is_terminal() && !text.ends_with('\n') && !text.is_empty() {
        "\n"
    } else {
        ""
    };
    match write!(out, "{text}{newline}").and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("headroom: cannot write the output: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_path_equals_number_and_refuse_the_rest() {
        assert_eq!(
            limit("capacity.web_servers=20"),
            Ok(Limit {
                path: "capacity.web_servers".into(),
                value: 20.0
            })
        );
        assert_eq!(limit(" cost.x = 1e3 ").map(|l| l.value), Ok(1000.0));
        for bad in ["capacity", "=3", "a=", "a=lots", "a=inf", "a=NaN"] {
            assert!(limit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_find_numbers_and_explain_what_they_do_not_find() {
        let report: Value = serde_json::json!({
            "capacity": {"web_servers": 12, "note": "x", "none": null},
            "growth": {"months": [{"servers": 3}]}
        });
        assert_eq!(
            figure(&report, "capacity.web_servers").map(ToString::to_string),
            Ok("12".into())
        );
        assert_eq!(
            figure(&report, "growth.months.0.servers").map(ToString::to_string),
            Ok("3".into())
        );
        let unknown = figure(&report, "capacity.web_server").expect_err("unknown");
        assert!(
            unknown.contains("capacity has no \"web_server\""),
            "{unknown}"
        );
        assert!(unknown.contains("web_servers"), "{unknown}");
        assert!(
            figure(&report, "capacity")
                .expect_err("group")
                .contains("group")
        );
        assert!(figure(&report, "capacity.note").is_err());
        assert!(
            figure(&report, "capacity.none")
                .expect_err("null")
                .contains("null")
        );
        assert!(figure(&report, "growth.months.7.servers").is_err());
        assert!(figure(&report, "").is_err());
        // Keys holding dots (issue 15's `uncertainty`, keyed by figure paths).
        let sampled: Value = serde_json::json!({
            "uncertainty": {"capacity.web_servers": {"p90": 22}, "capacity.web": {"p90": 1}}
        });
        assert_eq!(
            figure(&sampled, "uncertainty.capacity.web_servers.p90").map(ToString::to_string),
            Ok("22".into())
        );
        assert_eq!(
            figure(&sampled, "uncertainty.capacity.web.p90").map(ToString::to_string),
            Ok("1".into())
        );
    }

    #[test]
    fn a_bare_headroom_with_flags_serves_and_commands_do_not_mix_with_them() {
        let cli = Cli::try_parse_from(["headroom", "--port", "3200"]).expect("bare flags");
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.port, Some(3200));
        let cli = Cli::try_parse_from(["headroom", "serve", "--port", "3201"]).expect("serve");
        assert!(matches!(cli.command, Some(Command::Serve(c)) if c.port == Some(3201)));
        assert!(Cli::try_parse_from(["headroom", "--port", "1", "report"]).is_err());
        Cli::command().debug_assert();
    }
}
