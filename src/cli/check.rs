//! `kpi-report check`: everything `run` reads and validates, nothing
//! written. Unlike `run`, a file that cannot be read is listed as an error
//! and the rest of the folder is still checked, so one pass shows every
//! issue. Ends with a one-screen summary, or prints one JSON document with
//! `--json`.

use std::io::Write;

use serde_json::json;

use crate::cli::{CheckArgs, EXIT_ISSUES, EXIT_OK, exit_code, print_issues, settings};
use crate::diagnostics::{Code, Severity};
use crate::engine::check::{by_code, json_report, months};
use crate::error::Error;
use crate::lang::Lang;
use crate::score::Evaluation;

/// Files listed one per line in the summary before it is cut short.
const SUMMARY_FILES: usize = 15;

/// Runs `check`.
///
/// # Errors
/// As `run` before writing: an unreadable folder, a bad plan, or input
/// with no roster (printed after every issue found on the way).
pub fn check(args: &CheckArgs) -> Result<u8, Error> {
    let config = settings::check(args)?;
    let lang = config.lang;
    let (eval, fatal) =
        crate::engine::check::check(&config.input, &config.plan, &config.limits, config.jobs)?;
    let code = check_code(fatal.as_ref(), eval.issue_count());
    if config.json {
        let mut doc = json_report(&eval);
        if let Some(map) = doc.as_object_mut() {
            map.insert("exit_code".into(), json!(code));
        }
        let mut stdout = std::io::stdout().lock();
        let _ = serde_json::to_writer_pretty(&mut stdout, &doc);
        let _ = writeln!(stdout);
    } else {
        let mut stderr = crate::cli::color::stderr().lock();
        print_issues(&mut stderr, &eval.input.diagnostics, lang);
        let _ = stderr.write_all(summary(&eval, lang).as_bytes());
    }
    if let Some(e) = fatal {
        return Err(e);
    }
    Ok(code)
}

/// The closing summary: files and the tables recognised in each, periods,
/// people, issues by kind.
pub fn summary(eval: &Evaluation, lang: Lang) -> String {
    let t = |pair: (&'static str, &'static str)| lang.t(pair);
    let input = &eval.input;
    let mut out = String::new();
    let skipped = input
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::SkippedFile)
        .count();
    out.push_str(&format!(
        "{}: {} {}, {} {}, {} {}\n",
        t(("files", "文件")),
        input.files.len() - input.unreadable.len(),
        t(("read", "已读取")),
        input.unreadable.len(),
        t(("unreadable", "无法读取")),
        skipped,
        t(("skipped", "已跳过")),
    ));
    files_summary(eval, lang, &mut out);
    let months = months(eval);
    out.push_str(&format!(
        "{}: {}\n",
        t(("periods", "期间")),
        if months.is_empty() {
            "-".to_owned()
        } else {
            months.join(", ")
        }
    ));
    out.push_str(&format!(
        "{}: {}\n",
        t(("people", "人数")),
        input.dataset.people.len()
    ));
    let counts = by_code(&input.diagnostics);
    let issues = eval.issue_count();
    if issues == 0 {
        out.push_str(&format!(
            "{}: {}\n",
            t(("data issues", "数据问题")),
            t(("none", "无"))
        ));
    } else {
        let kinds: Vec<String> = counts
            .iter()
            .filter(|((sev, _), _)| *sev != Severity::Info)
            .map(|((_, code), n)| format!("{code} {n}"))
            .collect();
        out.push_str(&format!(
            "{}: {issues} ({})\n",
            t(("data issues", "数据问题")),
            kinds.join(", ")
        ));
    }
    let notes: Vec<String> = counts
        .iter()
        .filter(|((sev, _), _)| *sev == Severity::Info)
        .map(|((_, code), n)| format!("{code} {n}"))
        .collect();
    if !notes.is_empty() {
        out.push_str(&format!("{}: {}\n", t(("notes", "提示")), notes.join(", ")));
    }
    out
}

/// One line per file (up to [`SUMMARY_FILES`]): its tables, or why none.
fn files_summary(eval: &Evaluation, lang: Lang, out: &mut String) {
    let t = |pair: (&'static str, &'static str)| lang.t(pair);
    let input = &eval.input;
    for (i, file) in input.files.iter().enumerate() {
        if i == SUMMARY_FILES {
            let more = input.files.len() - SUMMARY_FILES;
            out.push_str(&format!("  … {more} {}\n", t(("more", "个其他文件"))));
            break;
        }
        let tables: Vec<String> = input
            .tables
            .iter()
            .filter(|tb| &tb.file == file)
            .map(|tb| {
                format!(
                    "{} → {}, {} {}",
                    tb.sheet,
                    kind_name(&tb.kinds.name(), lang),
                    tb.rows,
                    t(("rows", "行"))
                )
            })
            .collect();
        let what = if input.unreadable.contains(file) {
            t(("not read (see errors)", "未读取（见错误）")).to_owned()
        } else if tables.is_empty() {
            t(("no table", "没有表格")).to_owned()
        } else {
            tables.join("; ")
        };
        out.push_str(&format!("  {file}: {what}\n"));
    }
}

/// `check`'s exit code: the fatal error's, else 0 without issues, 3 with.
pub fn check_code(fatal: Option<&Error>, issues: usize) -> u8 {
    match (fatal, issues) {
        (Some(e), _) => exit_code(e),
        (None, 0) => EXIT_OK,
        (None, _) => EXIT_ISSUES,
    }
}

fn kind_name(kind: &str, lang: Lang) -> String {
    match lang {
        Lang::En => kind.to_owned(),
        Lang::Zh => kind
            .split('+')
            .map(|k| match k {
                "staff" => "花名册",
                "targets" => "目标",
                "results" => "业绩",
                other => other,
            })
            .collect::<Vec<_>>()
            .join("+"),
    }
}
