//! What `check` finds, as data: every file read with the tables
//! recognised in it, the periods, the people and every data issue. The
//! command line prints it (`check`, `check --json`, `run --json`); the web
//! page (`serve`) shows the same document.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::config::in_pool;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::error::Error;
use crate::input::{self, Limits};
use crate::plan::Plan;
use crate::score::{Evaluation, score_input};

/// Reads and validates `dir` as `check` does: a file that cannot be read
/// becomes an error diagnostic and the rest of the folder is still read,
/// so one pass shows every issue. Beside the evaluation, the error that
/// would stop a run even then (no roster), if any.
///
/// # Errors
/// [`Error::Input`] when the folder cannot be listed; [`Error::Output`]
/// when the threads cannot be started.
pub fn check(
    dir: &Path,
    plan: &Plan,
    limits: &Limits,
    jobs: Option<usize>,
) -> Result<(Evaluation, Option<Error>), Error> {
    let (eval, fatal) = in_pool(jobs, || {
        let (input, fatal) = input::check_dir(dir, plan, limits)?;
        Ok::<_, Error>((score_input(plan, input), fatal))
    })??;
    Ok((eval, fatal.map(Error::from)))
}

/// The periods found, as folder names (`2026-10`).
pub fn months(eval: &Evaluation) -> Vec<String> {
    eval.input
        .dataset
        .periods
        .iter()
        .map(|(p, _)| p.to_string())
        .collect()
}

/// Issues counted by severity and code.
pub fn by_code(diags: &[Diagnostic]) -> BTreeMap<(Severity, &'static str), usize> {
    let mut counts = BTreeMap::new();
    for d in diags {
        *counts.entry((d.severity, d.code.as_str())).or_default() += 1;
    }
    counts
}

/// The `check --json` document.
pub fn json_report(eval: &Evaluation) -> Value {
    let input = &eval.input;
    let files: Vec<Value> = input
        .files
        .iter()
        .map(|file| {
            let tables: Vec<Value> = input
                .tables
                .iter()
                .filter(|tb| &tb.file == file)
                .map(|tb| {
                    json!({
                        "sheet": tb.sheet,
                        "kind": tb.kinds.name(),
                        "header_row": tb.header_row,
                        "rows": tb.rows,
                    })
                })
                .collect();
            let status = if input.unreadable.contains(file) {
                "unreadable"
            } else {
                "read"
            };
            json!({ "file": file, "status": status, "tables": tables })
        })
        .collect();
    let skipped: Vec<&str> = input
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::SkippedFile)
        .map(|d| d.location.file.as_str())
        .collect();
    let issues: Vec<Value> = input.diagnostics.iter().map(issue_json).collect();
    json!({
        "files": files,
        "skipped": skipped,
        "periods": months(eval),
        "people": input.dataset.people.len(),
        "counts": issue_counts(&input.diagnostics),
        "issues": issues,
    })
}

/// Issues counted by severity (`error`, `warning`, `info`) and by code
/// (`by_code`), as both `--json` documents print them.
pub fn issue_counts(diags: &[Diagnostic]) -> serde_json::Map<String, Value> {
    let mut by_kind = serde_json::Map::new();
    for ((_, code), n) in by_code(diags) {
        let prev = by_kind.get(code).and_then(Value::as_u64).unwrap_or(0);
        by_kind.insert(code.to_owned(), json!(prev + n as u64));
    }
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let mut counts = serde_json::Map::new();
    counts.insert("error".into(), json!(count(Severity::Error)));
    counts.insert("warning".into(), json!(count(Severity::Warning)));
    counts.insert("info".into(), json!(count(Severity::Info)));
    counts.insert("by_code".into(), Value::Object(by_kind));
    counts
}

/// One issue as `check --json` and `run --json` print it.
pub fn issue_json(d: &Diagnostic) -> Value {
    json!({
        "severity": d.severity.as_str(),
        "code": d.code.as_str(),
        "file": d.location.file,
        "sheet": d.location.sheet,
        "cell": d.location.cell,
        "value": d.value,
        "message": d.message,
        "message_zh": d.message_zh,
        "period": d.period.map(|p| p.to_string()),
        "staff_id": d.staff_id,
    })
}
