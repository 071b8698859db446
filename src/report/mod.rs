//! Reports: typed results -> files. Nothing here computes a score; every
//! number comes from the scoring stage and is only formatted.
//!
//! [`write_reports`] builds every period's files in memory, in parallel,
//! writes them into a staging folder and swaps it into place ([`output`]),
//! so a run leaves either the complete new set or the previous one. With
//! `--pdf` the workbooks are printed to PDF ([`pdf`]) in the staging folder
//! too, before the swap.

pub mod csv;
pub mod development;
pub mod explain;
pub mod lang;
pub mod layout;
pub mod manifest;
pub mod names;
pub mod output;
pub mod pdf;
pub mod review;
pub mod styles;
pub mod summary;
pub mod targets;
pub mod text;
pub mod view;
pub mod words;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::input::table::Place;
use crate::input::{Case, Person, Record};
use crate::period::Period;
use crate::plan::Plan;
use crate::progress::Progress;
use crate::score::PeriodResult;
use explain::Sources;
pub use lang::Lang;
use manifest::{Fingerprint, MANIFEST, Manifest, PeriodEntry};
use output::{OutputLock, write_file};
use review::ReviewBook;
pub use review::Split;
use view::PeriodView;

/// A failure while writing reports; nothing is left half-written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Every file write names its path.
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The workbook or CSV writer refused the content.
    #[error("cannot build {file}: {reason}")]
    Format { file: String, reason: String },
    /// Two runs must not write the same output folder at once.
    #[error("another kpi-report run is writing to {path}; wait for it to finish and run again")]
    Locked { path: String },
    /// A run replaces only folders it wrote itself.
    #[error(
        "{path} exists and was not written by kpi-report; choose another --out folder or empty it"
    )]
    NotOurs { path: String },
    /// `--pdf` prints through LibreOffice, which must be installed; this is
    /// checked before any work starts.
    #[error(
        "--pdf needs LibreOffice, and no soffice program was found on PATH. Install it \
         (Debian/Ubuntu: sudo apt-get install libreoffice-calc-nogui; Windows or macOS: \
         LibreOffice from https://www.libreoffice.org/download/), or run without --pdf"
    )]
    NoLibreOffice,
    /// A PDF that cannot be made fails the whole run.
    #[error(
        "cannot convert {file} to PDF: {reason}; nothing was written (run again, or without --pdf)"
    )]
    Pdf { file: String, reason: String },
}

/// What the reports are built from.
pub struct ReportSet<'a> {
    pub plan: &'a Plan,
    pub people: &'a [Person],
    pub periods: &'a [PeriodResult],
    pub diagnostics: &'a [Diagnostic],
    pub lang: Lang,
    /// Each month's inputs (targets and actuals), as the dataset holds them.
    pub cases: &'a [(Period, Vec<Case>)],
    /// How review workbooks are split.
    pub split: Split,
    /// The input records the cases point into: the review sheets' trails
    /// name the cell each number came from.
    pub records: &'a [Record],
}

impl<'a> ReportSet<'a> {
    /// What a person's calculation trail is read from.
    pub fn sources(&self) -> Sources<'a> {
        Sources {
            plan: self.plan,
            people: self.people,
            periods: self.periods,
            cases: self.cases,
            records: self.records,
            diagnostics: self.diagnostics,
        }
    }
}

/// Files written, relative to the output folder, in order.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    /// Periods built in this run.
    pub rebuilt: Vec<Period>,
    /// Periods whose files were reused from the previous run unchanged.
    pub reused: Vec<Period>,
    /// How long the write phases took.
    pub phases: Vec<(&'static str, Duration)>,
}

/// How the output folder is written.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Wait for another run writing the same folder instead of failing.
    pub wait: bool,
    /// Rebuild every period even where the manifest says nothing changed.
    pub force: bool,
    /// A bar of files written, on a terminal.
    pub progress: Progress,
    /// Print every workbook to PDF beside it, with this LibreOffice.
    pub pdf: Option<pdf::Converter>,
}

/// Writes every period's reports into `out`, all or nothing. Periods whose
/// fingerprint matches the previous run's `manifest.json` are reused as
/// they are (unless `force`); the others are built.
///
/// # Errors
/// A [`ReportError`]; the previous reports are then untouched.
pub fn write_reports(
    out: &Path,
    set: &ReportSet<'_>,
    opts: WriteOptions,
) -> Result<Written, ReportError> {
    let lock = OutputLock::acquire(out, opts.wait)?;
    let staging = lock.begin()?;
    let previous = if opts.force {
        None
    } else {
        Manifest::load(out)
    };
    let result = build_all(
        &staging,
        out,
        previous.as_ref(),
        set,
        opts.progress,
        opts.pdf.as_ref(),
    );
    match result {
        Ok(written) => {
            lock.commit()?;
            Ok(written)
        }
        Err(e) => {
            lock.abandon();
            Err(e)
        }
    }
}

/// Everything a period's files are made from, hashed: equal fingerprints
/// mean byte-identical files. Record indices are left out on purpose: they
/// shift when a file is added, without changing any report.
fn fingerprint(parts: &FingerprintParts, view: &PeriodView<'_>) -> String {
    let mut f = Fingerprint::new();
    f.add(&parts.common)
        .add(&parts.results[&view.result.period]);
    for (month, _) in &view.inputs {
        f.add(&parts.cases[&month.period]);
    }
    for month in &view.history {
        f.add(&parts.results[&month.period]);
    }
    for d in &view.issues {
        f.add(d);
    }
    f.finish()
}

/// Hashes shared by many periods' fingerprints, each computed once: the run's
/// settings and roster, every period's scores, every month's inputs.
struct FingerprintParts {
    common: String,
    results: std::collections::HashMap<Period, String>,
    cases: std::collections::HashMap<Period, String>,
}

impl FingerprintParts {
    fn new(set: &ReportSet<'_>, pdf: bool) -> FingerprintParts {
        let mut f = Fingerprint::new();
        f.add(&env!("CARGO_PKG_VERSION"))
            .add(&set.plan.source_hash)
            .add(&set.lang)
            .add(&set.split);
        if pdf {
            // Added only with --pdf, so earlier manifests stay valid without it.
            f.add(&"pdf");
        }
        let place = |r: Option<usize>| r.and_then(|r| set.records.get(r)).map(Place);
        for p in set.people {
            f.add(&(
                &p.staff_id,
                &p.name,
                &p.department,
                &p.role_name,
                p.role,
                &p.manager_id,
                place(Some(p.record)),
            ));
        }
        let results = set
            .periods
            .par_iter()
            .map(|r| {
                let mut f = Fingerprint::new();
                f.add(r);
                (r.period, f.finish())
            })
            .collect();
        let cases = set
            .cases
            .par_iter()
            .map(|(period, cases)| {
                let mut f = Fingerprint::new();
                for c in cases {
                    f.add(&(
                        c.person,
                        &c.values,
                        c.complete,
                        place(c.targets),
                        place(c.results),
                    ));
                }
                (*period, f.finish())
            })
            .collect();
        FingerprintParts {
            common: f.finish(),
            results,
            cases,
        }
    }
}

/// Links (or copies) a previous run's file into the staging folder.
fn reuse_file(from: &Path, to: &Path) -> Result<(), ReportError> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|source| ReportError::Io {
            path: to.display().to_string(),
            source,
        })
}

/// One file of a period.
enum Job {
    Results,
    Bonus,
    Summary,
    Development,
    Review(ReviewBook),
}

/// The view of period `ix`: its inputs, the months before it, its issues.
fn period_view<'a>(set: &ReportSet<'a>, ix: usize) -> PeriodView<'a> {
    let result = &set.periods[ix];
    let period = result.period;
    let in_period = |p: Period| match period {
        Period::Month { .. } => p == period,
        Period::YearToDate { year } => matches!(p, Period::Month { .. }) && p.year() == year,
    };
    let inputs = set
        .periods
        .iter()
        .filter(|r| in_period(r.period))
        .filter_map(|r| {
            set.cases
                .iter()
                .find(|(p, _)| *p == r.period)
                .map(|(_, c)| (r, c.as_slice()))
        })
        .collect();
    let history = set
        .periods
        .iter()
        .filter(|r| match (r.period, period) {
            (Period::Month { .. }, Period::Month { .. }) => r.period <= period,
            (Period::Month { .. }, Period::YearToDate { year }) => r.period.year() == year,
            _ => false,
        })
        .collect();
    PeriodView {
        plan: set.plan,
        people: set.people,
        result,
        inputs,
        history,
        issues: set
            .diagnostics
            .iter()
            .filter(|d| d.concerns(period))
            .collect(),
        lang: set.lang,
        company: std::sync::OnceLock::new(),
        sources: set.sources(),
        period_ix: ix,
    }
}

fn build_all(
    staging: &Path,
    out: &Path,
    previous: Option<&Manifest>,
    set: &ReportSet<'_>,
    progress: Progress,
    pdf: Option<&pdf::Converter>,
) -> Result<Written, ReportError> {
    let views: Vec<PeriodView<'_>> = (0..set.periods.len())
        .map(|i| period_view(set, i))
        .collect();
    let parts = FingerprintParts::new(set, pdf.is_some());
    let prints: Vec<String> = views.par_iter().map(|v| fingerprint(&parts, v)).collect();
    let mut manifest = Manifest {
        program: concat!("kpi-report ", env!("CARGO_PKG_VERSION")).to_owned(),
        ..Manifest::default()
    };
    let mut done = Written::default();
    let progress_bar = progress.bar("files written", 0);
    // Every file of every period that must be built, in a fixed order.
    let mut jobs: Vec<(usize, PathBuf, Job)> = Vec::new();
    for (i, view) in views.iter().enumerate() {
        let folder = PathBuf::from(view.result.period.folder());
        let key = view.result.period.folder();
        let unchanged = previous.and_then(|m| m.periods.get(&key)).filter(|e| {
            e.fingerprint == prints[i] && e.files.iter().all(|f| out.join(f).is_file())
        });
        if let Some(entry) = unchanged {
            for f in &entry.files {
                reuse_file(&out.join(f), &staging.join(f))?;
                done.files.push(PathBuf::from(f));
            }
            done.reused.push(view.result.period);
            manifest.periods.insert(key, entry.clone());
            continue;
        }
        done.rebuilt.push(view.result.period);
        let first = jobs.len();
        jobs.push((i, folder.join("results.csv"), Job::Results));
        if view.is_month() {
            jobs.push((i, folder.join("bonus.csv"), Job::Bonus));
            jobs.push((i, folder.join("development.csv"), Job::Development));
        }
        jobs.push((i, folder.join("summary.xlsx"), Job::Summary));
        // Review workbooks for months; the year to date is summarised, and
        // every month's review sheet carries the trend of the year so far.
        if view.is_month() && set.split != Split::None {
            for book in review::books(view, set.split) {
                let rel = folder
                    .join(set.split.folder())
                    .join(format!("{}.xlsx", book.stem));
                jobs.push((i, rel, Job::Review(book)));
            }
        }
        let mut files: Vec<String> = jobs[first..]
            .iter()
            .map(|(_, rel, _)| rel.to_string_lossy().replace('\\', "/"))
            .collect();
        if pdf.is_some() {
            let pdfs: Vec<String> = files
                .iter()
                .filter_map(|f| f.strip_suffix(".xlsx").map(|s| format!("{s}.pdf")))
                .collect();
            files.extend(pdfs);
        }
        manifest.periods.insert(
            key,
            PeriodEntry {
                fingerprint: prints[i].clone(),
                files,
            },
        );
    }
    // Summaries and CSV files first, then the review workbooks: two timed
    // phases, each parallel across files; one workbook per worker is in
    // memory at a time.
    progress_bar.set_length(jobs.len() as u64);
    let (reviews, summaries): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .partition(|(_, _, j)| matches!(j, Job::Review(_)));
    let build = |(i, rel, job): (usize, PathBuf, Job)| -> Result<PathBuf, ReportError> {
        let view = &views[i];
        let format_error = |e: rust_xlsxwriter::XlsxError| ReportError::Format {
            file: rel.display().to_string(),
            reason: e.to_string(),
        };
        let bytes = match &job {
            Job::Results => csv::results_csv(set.plan, set.people, view.result)?,
            Job::Bonus => csv::bonus_csv(set.people, view.result)?.0,
            Job::Summary => summary::summary_xlsx(view, staging).map_err(format_error)?,
            Job::Development => development::csv(view)?,
            Job::Review(book) => review::review_xlsx(view, book).map_err(format_error)?,
        };
        write_file(&staging.join(&rel), &bytes)?;
        progress_bar.inc(1);
        Ok(rel)
    };
    let mut built: Vec<PathBuf> = Vec::new();
    for (phase, batch) in [("write summary", summaries), ("write reviews", reviews)] {
        let started = Instant::now();
        let written: Vec<Result<PathBuf, ReportError>> = batch.into_par_iter().map(build).collect();
        done.phases.push((phase, started.elapsed()));
        for rel in written {
            built.push(rel?);
        }
    }
    progress_bar.finish_and_clear();
    // Every workbook built in this run, printed inside the staging folder.
    if let Some(converter) = pdf {
        let books: Vec<PathBuf> = built
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "xlsx"))
            .cloned()
            .collect();
        let started = Instant::now();
        done.files.extend(converter.convert(staging, &books)?);
        done.phases.push(("write pdf", started.elapsed()));
    }
    done.files.extend(built);
    write_file(&staging.join(MANIFEST), &manifest.to_bytes())?;
    done.files.push(PathBuf::from(MANIFEST));
    done.files.sort();
    Ok(done)
}
