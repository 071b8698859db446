//! `kpi-report run --json`: one JSON document on stdout, for scripts and
//! schedulers, instead of the text listing on stderr.
//!
//! The issue objects and counts are those of `check --json`
//! ([`crate::engine::check::issue_json`], [`crate::engine::check::issue_counts`]). Every
//! file written is listed with its size and SHA-256, read back from the
//! output folder after the swap, so the document describes what is on disk.
//! A run that fails still prints a document: exit code 1, the error, and
//! the issues when they were found before the failure (`--strict`).

use std::cell::RefCell;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::cli::settings::Presentation;
use crate::cli::{code_for_issues, exit_code};
use crate::config::RunConfig;
use crate::diagnostics::Diagnostic;
use crate::engine::check::{issue_counts, issue_json};
use crate::engine::{RunOutcome, execute_with};
use crate::error::Error;
use crate::hash::sha256_hex;

/// Runs and prints the document.
///
/// # Errors
/// As [`crate::cli::run`]; the document is printed first.
pub fn run(config: &RunConfig, shown: Presentation) -> Result<u8, Error> {
    let seen: RefCell<Option<Vec<Diagnostic>>> = RefCell::new(None);
    let result = execute_with(config, crate::cli::progress::for_stderr(shown.quiet), |d| {
        *seen.borrow_mut() = Some(d.to_vec())
    });
    let doc = match &result {
        Ok(outcome) => {
            if shown.timings {
                eprint!("{}", outcome.timings.table());
            }
            document(outcome, &config.out)?
        }
        Err(e) => failure(e, seen.borrow().as_deref()),
    };
    print(&doc);
    result.map(|o| code_for_issues(o.issues))
}

/// `--json` for a run that stopped before `run` began (an invalid plan,
/// no LibreOffice for `--pdf`).
pub fn print_failure(error: &Error) {
    print(&failure(error, None));
}

fn print(doc: &Value) {
    let mut stdout = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut stdout, doc);
    let _ = writeln!(stdout);
}

/// The document of a finished run.
///
/// # Errors
/// [`Error::Output`] when a written file cannot be read back.
pub fn document(outcome: &RunOutcome, out: &Path) -> Result<Value, Error> {
    let mut files = Vec::new();
    for rel in &outcome.files {
        let path = out.join(rel);
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::Output(format!("cannot read back {}: {e}", path.display())))?;
        files.push(json!({
            "path": rel.to_string_lossy().replace('\\', "/"),
            "bytes": bytes.len(),
            "sha256": sha256_hex(&bytes),
        }));
    }
    let names = |list: &[crate::period::Period]| -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    };
    let mut by_period = serde_json::Map::new();
    for (period, (scored, incomplete)) in outcome.periods.iter().zip(&outcome.scored) {
        by_period.insert(
            period.to_string(),
            json!({ "scored": scored, "incomplete": incomplete }),
        );
    }
    let mut counts = serde_json::Map::new();
    counts.insert("people".into(), json!(outcome.people));
    counts.insert(
        "scored".into(),
        json!(outcome.people - outcome.incomplete_people),
    );
    counts.insert("incomplete".into(), json!(outcome.incomplete_people));
    counts.insert("by_period".into(), Value::Object(by_period));
    counts.extend(issue_counts(&outcome.diagnostics));
    let issues: Vec<Value> = outcome.diagnostics.iter().map(issue_json).collect();
    Ok(json!({
        "exit_code": code_for_issues(outcome.issues),
        "out": out.to_string_lossy(),
        "periods": names(&outcome.periods),
        "rebuilt": names(&outcome.rebuilt),
        "reused": names(&outcome.reused),
        "counts": counts,
        "issues": issues,
        "files": files,
        // People changed per rebuilt month compared with the previous set;
        // payroll corrections written; closed months reopened.
        "changed": outcome
            .changed
            .iter()
            .map(|(p, n)| (p.to_string(), json!(n)))
            .collect::<serde_json::Map<_, _>>(),
        "corrections": outcome.corrections,
        "reopened": outcome.reopened,
        "seconds": (outcome.seconds * 1000.0).round() / 1000.0,
    }))
}

/// The document of a failed run: nothing was written.
pub fn failure(error: &Error, issues: Option<&[Diagnostic]>) -> Value {
    let mut doc = json!({
        "exit_code": exit_code(error),
        "error": error.to_string(),
        "files": [],
    });
    // A run with nothing to score lists what it found on the way.
    let causes = match error {
        Error::Input(e) => e.causes(),
        _ => Vec::new(),
    };
    let issues = issues.or((!causes.is_empty()).then_some(causes.as_slice()));
    if let (Some(diags), Some(map)) = (issues, doc.as_object_mut()) {
        map.insert("counts".into(), Value::Object(issue_counts(diags)));
        map.insert(
            "issues".into(),
            Value::Array(diags.iter().map(issue_json).collect()),
        );
    }
    doc
}
