//! The real-world gallery: workbooks shaped the way HR teams make them,
//! one folder per shape under `tests/data/real-world/<shape>/`, each run
//! through the real binary.
//!
//! A folder holds:
//! - `input/`: the workbooks (copied to a scratch folder before the run, so
//!   nothing is written beside them);
//! - `case.toml`: the expected exit code of `run` (`exit`), optional extra
//!   arguments (`args`), an optional plan (`plan`, relative to the folder,
//!   passed as `--plan`), the diagnostics that must appear in `run --json`'s
//!   issues (`[[diagnostic]]` with `code` and, when given, `severity`,
//!   `file`, `sheet`, `cell`, `value`, `message_contains`), and codes that
//!   must not appear at all (`absent = ["..."]`);
//! - `expected/<PERIOD>/results.csv`: compared byte for byte with what the
//!   run wrote (every file under `expected/` is compared, at its relative
//!   path in the output folder);
//! - `HOW.md`: how the files were made.
//!
//! Folders whose name starts with `_` or that have no `case.toml` (such as
//! `make/`, the generator scripts) are not cases. Every case runs; the test
//! fails once at the end, naming each failing folder and why.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{copy_dir, kpi, repo, scratch};

/// The gallery's root.
fn gallery() -> PathBuf {
    repo().join("tests/data/real-world")
}

/// One expected diagnostic.
#[derive(Debug, Default)]
struct Expected {
    code: String,
    severity: Option<String>,
    file: Option<String>,
    sheet: Option<String>,
    cell: Option<String>,
    value: Option<String>,
    message_contains: Option<String>,
}

impl Expected {
    fn describe(&self) -> String {
        let mut s = format!("code={}", self.code);
        for (k, v) in [
            ("severity", &self.severity),
            ("file", &self.file),
            ("sheet", &self.sheet),
            ("cell", &self.cell),
            ("value", &self.value),
            ("message_contains", &self.message_contains),
        ] {
            if let Some(v) = v {
                s.push_str(&format!(" {k}={v:?}"));
            }
        }
        s
    }

    fn matches(&self, issue: &Value) -> bool {
        let field = |k: &str| issue.get(k).and_then(Value::as_str);
        let same =
            |want: &Option<String>, k: &str| want.as_deref().is_none_or(|w| field(k) == Some(w));
        field("code") == Some(self.code.as_str())
            && same(&self.severity, "severity")
            && same(&self.file, "file")
            && same(&self.sheet, "sheet")
            && same(&self.cell, "cell")
            && same(&self.value, "value")
            && self
                .message_contains
                .as_deref()
                .is_none_or(|m| field("message").is_some_and(|msg| msg.contains(m)))
    }
}

/// A parsed `case.toml`.
#[derive(Debug)]
struct Case {
    args: Vec<String>,
    exit: i32,
    plan: Option<PathBuf>,
    diagnostics: Vec<Expected>,
    absent: Vec<String>,
}

fn parse_case(dir: &Path) -> Result<Case, String> {
    let path = dir.join("case.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("case.toml: {e}"))?;
    let doc: toml::Table = text.parse().map_err(|e| format!("case.toml: {e}"))?;
    let strings = |v: Option<&toml::Value>, key: &str| -> Result<Vec<String>, String> {
        match v {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| format!("case.toml: `{key}` must be a list of strings"))
                })
                .collect(),
            Some(_) => Err(format!("case.toml: `{key}` must be a list of strings")),
        }
    };
    for key in doc.keys() {
        if !["args", "exit", "plan", "diagnostic", "absent"].contains(&key.as_str()) {
            return Err(format!("case.toml: unknown key `{key}`"));
        }
    }
    let exit = doc
        .get("exit")
        .and_then(toml::Value::as_integer)
        .ok_or("case.toml: `exit` (the expected exit code of `run`) is required")?;
    let plan = match doc.get("plan") {
        None => None,
        Some(v) => Some(dir.join(v.as_str().ok_or("case.toml: `plan` must be a string")?)),
    };
    let mut diagnostics = Vec::new();
    if let Some(list) = doc.get("diagnostic") {
        let list = list
            .as_array()
            .ok_or("case.toml: `diagnostic` must be [[diagnostic]] tables")?;
        for item in list {
            let t = item
                .as_table()
                .ok_or("case.toml: `diagnostic` must be [[diagnostic]] tables")?;
            let get = |k: &str| -> Result<Option<String>, String> {
                match t.get(k) {
                    None => Ok(None),
                    Some(v) => v
                        .as_str()
                        .map(|s| Some(s.to_owned()))
                        .ok_or_else(|| format!("case.toml: diagnostic `{k}` must be a string")),
                }
            };
            for key in t.keys() {
                if ![
                    "code",
                    "severity",
                    "file",
                    "sheet",
                    "cell",
                    "value",
                    "message_contains",
                ]
                .contains(&key.as_str())
                {
                    return Err(format!("case.toml: unknown diagnostic key `{key}`"));
                }
            }
            diagnostics.push(Expected {
                code: get("code")?.ok_or("case.toml: a diagnostic needs a `code`")?,
                severity: get("severity")?,
                file: get("file")?,
                sheet: get("sheet")?,
                cell: get("cell")?,
                value: get("value")?,
                message_contains: get("message_contains")?,
            });
        }
    }
    Ok(Case {
        args: strings(doc.get("args"), "args")?,
        exit: i32::try_from(exit).map_err(|_| "case.toml: `exit` out of range")?,
        plan,
        diagnostics,
        absent: strings(doc.get("absent"), "absent")?,
    })
}

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.push(rel.to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Runs one case; the list of what went wrong (empty when it passed).
fn run_case(dir: &Path) -> Vec<String> {
    let case = match parse_case(dir) {
        Ok(c) => c,
        Err(e) => return vec![e],
    };
    let input_src = dir.join("input");
    if !input_src.is_dir() {
        return vec!["no input/ folder".into()];
    }
    let tmp = scratch();
    let input = tmp.path().join("input");
    copy_dir(&input_src, &input);
    let out = tmp.path().join("out");
    let mut args: Vec<String> = vec![
        "run".into(),
        input.to_string_lossy().into_owned(),
        "--out".into(),
        out.to_string_lossy().into_owned(),
        "--json".into(),
    ];
    if let Some(plan) = &case.plan {
        args.push("--plan".into());
        args.push(plan.to_string_lossy().into_owned());
    }
    args.extend(case.args.iter().cloned());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = kpi(tmp.path(), &argv);

    let mut problems = Vec::new();
    let doc: Option<Value> = serde_json::from_str(&outcome.stdout).ok();
    let issues: Vec<Value> = doc
        .as_ref()
        .and_then(|d| d.get("issues"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let listing = || {
        issues
            .iter()
            .map(|i| {
                format!(
                    "    {} {} {} › {} › {} value={}: {}",
                    i["severity"].as_str().unwrap_or("?"),
                    i["code"].as_str().unwrap_or("?"),
                    i["file"].as_str().unwrap_or(""),
                    i["sheet"].as_str().unwrap_or(""),
                    i["cell"].as_str().unwrap_or(""),
                    i["value"],
                    i["message"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    if outcome.code != case.exit {
        problems.push(format!(
            "exit code {} (expected {})\n  error: {}\n  issues:\n{}\n  stderr: {}",
            outcome.code,
            case.exit,
            doc.as_ref()
                .and_then(|d| d.get("error"))
                .and_then(Value::as_str)
                .unwrap_or("-"),
            listing(),
            outcome.stderr.trim()
        ));
    }
    if doc.is_none() {
        problems.push(format!(
            "`run --json` printed no JSON document\n  stdout: {}\n  stderr: {}",
            outcome.stdout.trim(),
            outcome.stderr.trim()
        ));
    }
    for want in &case.diagnostics {
        if !issues.iter().any(|i| want.matches(i)) {
            problems.push(format!(
                "missing diagnostic {}\n  issues found:\n{}",
                want.describe(),
                listing()
            ));
        }
    }
    for code in &case.absent {
        if issues
            .iter()
            .any(|i| i.get("code").and_then(Value::as_str) == Some(code))
        {
            problems.push(format!(
                "diagnostic `{code}` must not appear\n  issues found:\n{}",
                listing()
            ));
        }
    }
    let expected = dir.join("expected");
    for rel in files_under(&expected) {
        let want = std::fs::read(expected.join(&rel)).unwrap_or_default();
        match std::fs::read(out.join(&rel)) {
            Ok(got) if got == want => {}
            Ok(got) => problems.push(format!(
                "{} differs from expected/{}\n--- got\n{}\n--- expected\n{}",
                rel.display(),
                rel.display(),
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want)
            )),
            Err(e) => problems.push(format!(
                "{} was not written ({e}); issues:\n{}",
                rel.display(),
                listing()
            )),
        }
    }
    problems
}

/// The case folders, sorted.
fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(gallery())
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_dir()
                        && p.join("case.toml").is_file()
                        && !p
                            .file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('_'))
                })
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

#[test]
fn every_gallery_case_is_read_right_or_refused_naming_the_cause() {
    let dirs = cases();
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let problems = run_case(dir);
        if !problems.is_empty() {
            failures.push(format!("[{name}]\n{}", problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} gallery case(s) failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}

/// Every folder of the gallery (but `make/` and `_`-prefixed ones) is a case:
/// a folder without `case.toml` would otherwise be skipped unseen.
#[test]
fn every_gallery_folder_is_a_case() {
    let Ok(entries) = std::fs::read_dir(gallery()) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() && name != "make" && !name.starts_with('_') {
            assert!(
                path.join("case.toml").is_file(),
                "tests/data/real-world/{name} has no case.toml"
            );
            assert!(
                path.join("HOW.md").is_file(),
                "tests/data/real-world/{name} has no HOW.md (how its files were made)"
            );
        }
    }
}
