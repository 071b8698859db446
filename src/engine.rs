//! A run, start to finish: [`evaluate`] the input folder, then [`write`]
//! every report (rendered in memory, written atomically). Front ends (the
//! command line, `watch`) call [`execute`], or the two steps themselves;
//! nothing here prints or decides an exit code: the caller gets a
//! [`RunOutcome`] or an [`Error`] and presents it.

pub mod check;

use std::path::Path;
use std::time::Instant;

use crate::config::{RunConfig, in_pool};
use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::input::InputError;
use crate::period::Period;
use crate::progress::Progress;
use crate::report::{self, ReportSet};
use crate::score::{Evaluation, evaluate_with};
use crate::timings;

/// What a finished run did.
#[derive(Debug)]
pub struct RunOutcome {
    pub periods: Vec<Period>,
    pub people: usize,
    /// Errors and warnings (info notes not counted).
    pub issues: usize,
    /// Files written, relative to the output folder.
    pub files: Vec<std::path::PathBuf>,
    /// Periods whose reports were unchanged and reused.
    pub reused: Vec<Period>,
    /// Periods built in this run.
    pub rebuilt: Vec<Period>,
    /// People scored and incomplete, per period (same order as `periods`).
    pub scored: Vec<(usize, usize)>,
    /// People not scored in at least one month.
    pub incomplete_people: usize,
    /// Every data issue, notes included, sorted; then the notes about the
    /// output folder.
    pub diagnostics: Vec<Diagnostic>,
    /// Period folders kept though their inputs are gone (`watch`).
    pub kept_periods: Vec<String>,
    /// What the write noticed about the output folder (files kept, files
    /// changed outside kpi-report), also at the end of `diagnostics`.
    pub output_notes: Vec<Diagnostic>,
    /// People changed per rebuilt month that had a previous set to
    /// compare with; corrections files written; months reopened.
    pub changed: Vec<(Period, usize)>,
    pub corrections: Vec<String>,
    pub reopened: Vec<String>,
    pub seconds: f64,
    pub timings: timings::Timings,
}

impl RunOutcome {
    /// The one-line summary printed after every run.
    pub fn one_line(&self, out: &Path) -> String {
        let periods: Vec<String> = self.periods.iter().map(ToString::to_string).collect();
        let unchanged = if self.reused.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = self.reused.iter().map(ToString::to_string).collect();
            format!(" ({} unchanged, reused: {})", names.len(), names.join(", "))
        };
        let mut line = format!(
            "{} periods ({}), {} people, {} data issues, {} files written to {}{unchanged} in {:.2}s",
            periods.len(),
            periods.join(", "),
            self.people,
            self.issues,
            self.files.len(),
            out.display(),
            self.seconds
        );
        line.push_str(&self.history_line());
        line
    }

    /// What the run found against the reports already there: people
    /// changed (a period reused unchanged has none), corrections written,
    /// months reopened. Empty on a first run.
    pub fn history_line(&self) -> String {
        let mut parts = Vec::new();
        if !self.changed.is_empty() || !self.reused.is_empty() {
            let n: usize = self.changed.iter().map(|(_, n)| n).sum();
            let per: Vec<String> = self
                .changed
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(p, n)| format!("{p}: {n}"))
                .collect();
            let people = if n == 1 { "person" } else { "people" };
            if per.is_empty() {
                parts.push(format!("{n} {people} changed since the last run"));
            } else {
                parts.push(format!(
                    "{n} {people} changed since the last run ({})",
                    per.join(", ")
                ));
            }
        }
        for f in &self.corrections {
            parts.push(format!("payroll corrections: {f}"));
        }
        for p in &self.reopened {
            parts.push(format!(
                "{p} reopened: its bonus.csv now holds the new numbers"
            ));
        }
        parts.iter().map(|p| format!("; {p}")).collect()
    }
}

/// The main job: evaluate, hand the issues to `on_issues`, write. No
/// progress is shown; see [`execute_with`].
///
/// # Errors
/// See [`Error`]; nothing is written when one is returned.
pub fn execute(
    config: &RunConfig,
    on_issues: impl FnOnce(&[Diagnostic]),
) -> Result<RunOutcome, Error> {
    execute_with(config, Progress::hidden(), on_issues)
}

/// [`execute`] showing progress: [`evaluate`], hand the issues to
/// `on_issues`, refuse under `strict`, [`write`].
///
/// # Errors
/// See [`Error`]; nothing is written when one is returned.
pub fn execute_with(
    config: &RunConfig,
    progress: Progress,
    on_issues: impl FnOnce(&[Diagnostic]),
) -> Result<RunOutcome, Error> {
    let started = Instant::now();
    report::output::check_apart(&config.input, &config.out)?;
    let mut t = timings::Timings::new();
    let eval = evaluate(config, progress, &mut t)?;
    on_issues(&eval.input.diagnostics);
    let issues = eval.issue_count();
    if config.strict && issues > 0 {
        return Err(Error::Strict(issues));
    }
    let writing = Instant::now();
    let written = write(config, &eval, progress)?;
    let mut accounted = std::time::Duration::ZERO;
    for (phase, d) in &written.phases {
        t.add(phase, *d);
        accounted += *d;
    }
    // Locking, reusing unchanged periods, the manifest and the swap.
    t.add(
        "stage + commit",
        writing.elapsed().saturating_sub(accounted),
    );
    let mut outcome = outcome(eval, written, issues, t);
    outcome.seconds = started.elapsed().as_secs_f64();
    Ok(outcome)
}

/// Reads and scores `config.input` under `config.plan`, on the run's
/// thread pool, recording the phases in `t`.
///
/// # Errors
/// [`Error::Input`] when the folder or a workbook cannot be read at all;
/// [`Error::Output`] when the threads cannot be started.
pub fn evaluate(
    config: &RunConfig,
    progress: Progress,
    t: &mut timings::Timings,
) -> Result<Evaluation, Error> {
    let eval = in_pool(config.jobs, || {
        evaluate_with(&config.input, &config.plan, &config.limits, t, progress)
    })??;
    Ok(eval)
}

/// Reads and scores workbooks given as bytes (a front end that received
/// uploads), each under its file name. The bytes are staged in a folder of
/// their own under the system's temporary folder, created for this call
/// and removed afterwards, and read exactly as a folder on disk would be:
/// the same formats, limits and diagnostics, which name the given file
/// names.
///
/// # Errors
/// [`Error::Input`] for a name that is not a plain file name, when the
/// staging folder cannot be made, or as [`evaluate`].
pub fn evaluate_bytes(
    files: &[(String, Vec<u8>)],
    config: &RunConfig,
    progress: Progress,
    t: &mut timings::Timings,
) -> Result<Evaluation, Error> {
    let staging = Staging::new()?;
    for (name, bytes) in files {
        let plain = Path::new(name)
            .file_name()
            .is_some_and(|f| f == std::ffi::OsStr::new(name));
        if !plain || name.starts_with('.') {
            return Err(Error::Input(InputError::Unreadable {
                file: name.clone(),
                reason: "not a plain file name".into(),
            }));
        }
        let path = staging.0.join(name);
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, bytes));
        written.map_err(|e| {
            Error::Input(InputError::Unreadable {
                file: name.clone(),
                reason: e.to_string(),
            })
        })?;
    }
    let eval = in_pool(config.jobs, || {
        evaluate_with(&staging.0, &config.plan, &config.limits, t, progress)
    })??;
    Ok(eval)
}

/// A folder made for one [`evaluate_bytes`] call, removed when dropped. It
/// is created fresh (never an existing folder), so only what this call
/// wrote is removed.
struct Staging(std::path::PathBuf);

impl Staging {
    fn new() -> Result<Staging, Error> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let base = std::env::temp_dir();
        let mut last = None;
        for _ in 0..16 {
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let dir = base.join(format!(
                "kpi-report-input-{}-{n}-{nanos}",
                std::process::id()
            ));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Staging(dir)),
                Err(e) => last = Some(e),
            }
        }
        Err(Error::Input(InputError::Folder {
            path: base.display().to_string(),
            reason: last.map_or_else(String::new, |e| e.to_string()),
        }))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Renders every report of `eval` in memory and writes them into
/// `config.out` atomically: the folder holds the previous set or the
/// complete new one, never a mix.
///
/// # Errors
/// [`Error::Report`] when the reports cannot be written (nothing changed).
pub fn write(
    config: &RunConfig,
    eval: &Evaluation,
    progress: Progress,
) -> Result<report::Written, Error> {
    let set = report_set(config, eval);
    let options = report::WriteOptions {
        wait: config.wait,
        force: config.force,
        progress,
        pdf: config.pdf.clone(),
        keep_vanished: config.keep_vanished,
        reopen: config.reopen.clone(),
    };
    let written = in_pool(config.jobs, || {
        report::write_reports(&config.out, &set, options)
    })??;
    Ok(written)
}

/// Every file of period `period_ix` (an index into `eval.periods`),
/// rendered in memory as [`write`] would write it (without the manifest
/// and PDFs): for a front end that serves or compares reports.
///
/// # Errors
/// [`Error::Report`] when a file cannot be built.
pub fn render(
    config: &RunConfig,
    eval: &Evaluation,
    period_ix: usize,
) -> Result<Vec<report::render::RenderedFile>, Error> {
    let set = report_set(config, eval);
    let files = in_pool(config.jobs, || {
        report::render::render_period(&set, period_ix, &std::env::temp_dir())
    })??;
    Ok(files)
}

/// What the reports are made from.
fn report_set<'a>(config: &'a RunConfig, eval: &'a Evaluation) -> ReportSet<'a> {
    ReportSet {
        plan: &config.plan,
        people: &eval.input.dataset.people,
        periods: &eval.periods,
        diagnostics: &eval.input.diagnostics,
        lang: config.lang,
        cases: &eval.input.dataset.periods,
        split: config.split,
        records: &eval.input.dataset.records,
    }
}

/// What the run did, counted.
fn outcome(
    eval: Evaluation,
    written: report::Written,
    issues: usize,
    timings: timings::Timings,
) -> RunOutcome {
    let scored = eval
        .periods
        .iter()
        .map(|p| {
            let n = p.people.iter().filter(|r| r.card.is_some()).count();
            (n, p.people.len() - n)
        })
        .collect();
    let people = eval.input.dataset.people.len();
    // Notes about the output folder follow the data issues.
    let mut diagnostics = eval.input.diagnostics;
    diagnostics.extend(written.notes.iter().cloned());
    let incomplete_people = (0..people)
        .filter(|&i| {
            eval.periods
                .iter()
                .filter(|p| matches!(p.period, Period::Month { .. }))
                .any(|p| p.people.get(i).is_some_and(|r| r.card.is_none()))
        })
        .count();
    RunOutcome {
        periods: eval.periods.iter().map(|p| p.period).collect(),
        people,
        issues,
        files: written.files,
        reused: written.reused,
        rebuilt: written.rebuilt,
        scored,
        incomplete_people,
        kept_periods: written.kept_periods,
        changed: written.changed,
        corrections: written.corrections,
        reopened: written.reopened,
        diagnostics,
        output_notes: written.notes,
        seconds: 0.0,
        timings,
    }
}

/// [`execute`] without looking at the issues (for `watch`'s one-line log).
///
/// # Errors
/// See [`Error`].
pub fn run_quietly(config: &RunConfig) -> Result<RunOutcome, Error> {
    execute(config, |_| {})
}
