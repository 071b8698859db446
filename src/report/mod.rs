//! Reports: typed results -> files. Nothing here computes a score; every
//! number comes from the scoring stage and is only formatted.
//!
//! [`write_reports`] builds every period's files in memory, in parallel,
//! writes them into a staging folder and swaps it into place ([`output`]),
//! so a run leaves either the complete new set or the previous one. With
//! `--pdf` the workbooks are printed to PDF ([`pdf`]) in the staging folder
//! too, before the swap.

pub mod changes;
pub mod close;
pub mod compare;
pub mod csv;
pub mod development;
pub mod explain;
pub mod history;
mod jobs;
pub mod lang;
pub mod layout;
pub mod manifest;
pub mod names;
pub mod output;
pub mod pdf;
pub mod reconcile;
pub mod render;
pub mod review;
pub mod snapshot;
pub mod styles;
pub mod summary;
pub mod targets;
pub mod text;
pub mod view;
pub mod words;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::input::table::Place;
use crate::input::{Case, Person, Record};
use crate::period::Period;
use crate::plan::Plan;
use crate::progress::Progress;
use crate::score::PeriodResult;
use explain::Sources;
use jobs::Job;
pub use lang::Lang;
use manifest::{Fingerprint, MANIFEST, Manifest, PeriodEntry};
use output::{OutputLock, write_file};
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
        "{path} exists and was not written by kpi-report (a folder kpi-report wrote holds both \
         its .kpi-report marker and its manifest.json); choose another --out folder or empty it"
    )]
    NotOurs { path: String },
    /// Something in or around the output folder kpi-report will not touch.
    #[error("refusing to write {path}: {reason}")]
    Refused { path: String, reason: String },
    /// `--pdf` prints through LibreOffice, which must be installed; this is
    /// checked before any work starts.
    #[error(
        "--pdf needs LibreOffice, and no soffice program was found on PATH. Install it \
         (Debian/Ubuntu: sudo apt-get install libreoffice-calc-nogui; Windows or macOS: \
         LibreOffice from https://www.libreoffice.org/download/), or run without --pdf"
    )]
    NoLibreOffice,
    /// `--pdf` where no installed font has the characters of a writing
    /// system the reports hold: checked before anything is written.
    #[error(
        "--pdf: no installed font has {script} characters (such as {chars}), so the PDFs would \
         show empty boxes; nothing was written. Install a font for them (Debian/Ubuntu: sudo \
         apt-get install {package}), or run without --pdf"
    )]
    MissingFont {
        script: String,
        chars: String,
        package: String,
    },
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
    /// What the run noticed about the output folder: files kept, files
    /// changed outside kpi-report, a manifest ignored.
    pub notes: Vec<Diagnostic>,
    /// Period folders kept, unchanged, though their inputs are gone (with
    /// [`WriteOptions::keep_vanished`]).
    pub kept_periods: Vec<String>,
    /// What closing and comparing found: people changed per rebuilt month
    /// compared with the previous set, corrections files written, months
    /// reopened (see [`history`]).
    pub changed: Vec<(Period, usize)>,
    pub corrections: Vec<String>,
    pub reopened: Vec<String>,
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
    /// Keep the reports of periods the inputs no longer hold (`watch`: a
    /// workbook deleted from the inbox never deletes reports).
    pub keep_vanished: bool,
    /// Replace a closed month's paid payroll (`--reopen`).
    pub reopen: Option<history::Reopen>,
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
    if opts.pdf.is_some() {
        pdf::check_fonts(report_texts(set).iter().map(String::as_str))?;
    }
    let given = out;
    let out = &output::resolve(out)?;
    // Messages name the folder as the user gave it.
    let lock = OutputLock::acquire(out, opts.wait).map_err(|e| match e {
        ReportError::Locked { .. } => ReportError::Locked {
            path: given.display().to_string(),
        },
        ReportError::NotOurs { .. } => ReportError::NotOurs {
            path: given.display().to_string(),
        },
        e => e,
    })?;
    let mut warnings = Vec::new();
    let previous = lock.previous_manifest(&mut warnings)?;
    // A manifest that exists but could not be read leaves no claims.
    let damaged = previous.is_none() && !warnings.is_empty();
    let books = history::Books::load(
        out,
        previous.as_ref(),
        opts.reopen.as_ref(),
        opts.keep_vanished,
        set,
    )?;
    let staging = lock.begin()?;
    text::take_replaced();
    let result = build_all(
        &staging,
        out,
        (previous.as_ref(), &books),
        opts.force,
        opts.keep_vanished,
        set,
        opts.progress,
        opts.pdf.as_ref(),
        &mut warnings,
    )
    .and_then(|written| {
        keep_and_note(
            &lock,
            &staging,
            previous.as_ref(),
            damaged,
            warnings,
            written,
        )
    });
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

/// Keeps in the staging folder the files of the output folder that
/// kpi-report did not write (`previous`'s claims say which it did, unless
/// the manifest was `damaged`), then turns the run's warnings and what was
/// kept or replaced into notes.
fn keep_and_note(
    lock: &OutputLock,
    staging: &Path,
    previous: Option<&Manifest>,
    damaged: bool,
    mut warnings: Vec<String>,
    mut written: Written,
) -> Result<Written, ReportError> {
    let claims = previous.map(Manifest::claims).unwrap_or_default();
    let mut kept = Vec::new();
    let mut replaced = Vec::new();
    lock.keep_unclaimed(
        staging,
        (!damaged).then_some(&claims),
        &mut kept,
        &mut replaced,
    )?;
    if !replaced.is_empty() {
        warnings.push(format!(
            "{} files at the names kpi-report writes were replaced without a readable \
             {MANIFEST} to vouch for them: {}",
            replaced.len(),
            first_few(&replaced)
        ));
    }
    written.notes.extend(
        warnings
            .into_iter()
            .map(|m| output_note(Severity::Warning, m)),
    );
    written
        .notes
        .extend(kept.into_iter().map(|m| output_note(Severity::Info, m)));
    let replaced = text::take_replaced();
    if replaced > 0 {
        written.notes.push(Diagnostic::new(
            Severity::Info,
            Code::ReplacedText,
            crate::diagnostics::Location {
                file: "--out".into(),
                ..Default::default()
            },
            format!(
                "{replaced} texts written to the workbooks held control characters, which \
                 no workbook can store; each was written as {}",
                text::REPLACEMENT
            ),
        ));
    }
    Ok(written)
}

/// The texts the workbooks show beyond fixed numbers: names, departments,
/// roles, ids, the plan's words and the labels in the report language, the
/// issues' messages (for the font check of `--pdf`).
fn report_texts(set: &ReportSet<'_>) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for p in set.people {
        texts.push(p.staff_id.clone());
        texts.push(p.name.clone());
        texts.push(p.department.clone());
        texts.push(p.role_name.clone());
        texts.push(p.manager_id.clone());
    }
    let plan = set.plan;
    texts.push(plan.name.clone());
    texts.push(plan.company.clone());
    for k in &plan.kpis {
        texts.push(set.lang.label(&k.label).to_owned());
    }
    for g in &plan.grades {
        texts.push(g.grade.clone());
    }
    for d in set.diagnostics {
        texts.push(d.render(set.lang));
    }
    texts.push(set.lang.t(lang::SUMMARY_TITLE).to_owned());
    texts.push(set.lang.t(lang::NAME).to_owned());
    texts
}

/// The first five names, and how many more.
fn first_few(names: &[String]) -> String {
    let mut text = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 5 {
        text.push_str(&format!(" and {} more", names.len() - 5));
    }
    text
}

/// A note about the output folder, located at `manifest.json`'s folder.
fn output_note(severity: Severity, message: String) -> Diagnostic {
    Diagnostic::new(
        severity,
        Code::OutputFolder,
        crate::diagnostics::Location {
            file: "--out".into(),
            ..Default::default()
        },
        message,
    )
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

/// Links (or copies) a previous run's file into the staging folder, and
/// checks that the staged bytes still hash to `hash`, what the manifest
/// recorded. `Ok(false)`: the file is missing, not a regular file, inside a
/// linked folder, or changed; nothing is left staged.
fn reuse_file(
    out: &Path,
    rel: &str,
    to: &Path,
    hash: Option<&String>,
) -> Result<bool, ReportError> {
    let Some(hash) = hash else {
        return Ok(false);
    };
    // Every folder on the way must be a real folder, the file a regular one.
    let mut at = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if i + 1 < parts.len() && m.file_type().is_dir() => {}
            Ok(m) if i + 1 == parts.len() && m.file_type().is_file() => {}
            _ => return Ok(false),
        }
    }
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    if std::fs::hard_link(&at, to).is_err() {
        std::fs::copy(&at, to).map_err(|source| ReportError::Io {
            path: to.display().to_string(),
            source,
        })?;
    }
    // Hash what was staged: the very bytes the new set will hold.
    if output::hash_file(to)?.as_ref() == Some(hash) {
        return Ok(true);
    }
    let _ = std::fs::remove_file(to);
    Ok(false)
}

/// Builds every period's files into `staging`, in named steps: fingerprint
/// each period; stage the unchanged ones from the previous run; list the
/// files of the others; keep vanished periods (with `keep_vanished`); build
/// the listed files; print the workbooks to PDF; write the manifest.
#[allow(clippy::too_many_arguments)]
fn build_all(
    staging: &Path,
    out: &Path,
    (previous, books): (Option<&Manifest>, &history::Books),
    force: bool,
    keep_vanished: bool,
    set: &ReportSet<'_>,
    progress: Progress,
    pdf: Option<&pdf::Converter>,
    warnings: &mut Vec<String>,
) -> Result<Written, ReportError> {
    let views: Vec<PeriodView<'_>> = (0..set.periods.len())
        .map(|i| jobs::period_view(set, i))
        .collect();
    let parts = FingerprintParts::new(set, pdf.is_some());
    let prints: Vec<String> = views
        .par_iter()
        .map(|v| books.fold_print(v.result.period, fingerprint(&parts, v)))
        .collect();
    let mut manifest = Manifest {
        program: concat!("kpi-report ", env!("CARGO_PKG_VERSION")).to_owned(),
        ..Manifest::default()
    };
    let mut done = Written {
        reopened: books.reopened.clone(),
        ..Written::default()
    };
    let mut months: Vec<usize> = Vec::new();
    let mut years = YearExtras::new();
    let progress_bar = progress.bar("files written", 0);
    let invalid = invalid_periods(previous, warnings);
    // Every file of every period that must be built, in a fixed order.
    let mut jobs: Vec<(usize, PathBuf, Job)> = Vec::new();
    for (i, view) in views.iter().enumerate() {
        let key = view.result.period.folder();
        let unchanged = previous
            .filter(|_| !force && !invalid.contains(&key))
            .and_then(|m| m.periods.get(&key))
            .filter(|e| e.fingerprint == prints[i]);
        if let Some(entry) = unchanged
            && reuse_period(out, staging, &key, entry, warnings)?
        {
            done.files.extend(entry.files.iter().map(PathBuf::from));
            done.reused.push(view.result.period);
            manifest.periods.insert(key, entry.clone());
            continue;
        }
        done.rebuilt.push(view.result.period);
        let mut period = jobs::period_jobs(set, view);
        with_history(books, set, i, &mut period, &mut months, &mut years)?;
        manifest
            .periods
            .insert(key, planned_entry(&period, &prints[i], pdf.is_some()));
        jobs.extend(period.into_iter().map(|(rel, job)| (i, rel, job)));
    }
    let extras = compare_months(
        (previous, books),
        set,
        &months,
        (&mut manifest, &mut jobs),
        &mut done,
        warnings,
    )?;
    // Periods the inputs no longer hold keep their reports, as they are.
    if let Some(previous) = previous.filter(|_| keep_vanished) {
        keep_vanished_periods(
            out,
            staging,
            previous,
            &invalid,
            &mut manifest,
            &mut done,
            warnings,
        )?;
    }
    progress_bar.set_length(jobs.len() as u64);
    let history = (&extras, &years);
    let (built, mut hashes) = build_jobs(
        staging,
        set,
        &views,
        history,
        jobs,
        &progress_bar,
        &mut done,
    )?;
    progress_bar.finish_and_clear();
    if let Some(converter) = pdf {
        print_pdfs(converter, staging, &built, &mut hashes, &mut done)?;
    }
    done.files.extend(built);
    // Each built file's hash goes to its period's entry.
    for entry in manifest.periods.values_mut() {
        if entry.sha256.is_empty() {
            entry.sha256 = entry
                .files
                .iter()
                .filter_map(|f| hashes.get(f).map(|h| (f.clone(), h.clone())))
                .collect();
        }
    }
    books.stage(staging)?;
    manifest.closed_sha256 = books.ledger_sha256();
    write_file(&staging.join(MANIFEST), &manifest.to_bytes())?;
    done.files.push(PathBuf::from(MANIFEST));
    done.files.sort();
    Ok(done)
}

/// Each rebuilt month's Changes and corrections ([`history::Books::months`]).
type MonthExtras = std::collections::BTreeMap<usize, history::MonthExtra>;
/// Each year to date's paid-vs-due ([`history::Books::year`]).
type YearExtras = std::collections::BTreeMap<usize, history::YearExtra>;

/// What the output folder's history changes in period `i`'s files: a
/// closed month's paid payroll is written as it was paid, and a year to
/// date with a closed month gains `paid-vs-due.csv` (before its summary).
/// Months are collected in `months` for the comparison with the previous
/// set; a year's paid-vs-due in `years` for its summary's Payroll sheet.
fn with_history(
    books: &history::Books,
    set: &ReportSet<'_>,
    i: usize,
    period: &mut Vec<(PathBuf, Job)>,
    months: &mut Vec<usize>,
    years: &mut YearExtras,
) -> Result<(), ReportError> {
    let key = set.periods[i].period.folder();
    if matches!(set.periods[i].period, Period::Month { .. }) {
        if let Some(bytes) = books.paid_bytes(&key)
            && let Some(slot) = period.iter_mut().find(|(_, j)| matches!(j, Job::Bonus))
        {
            slot.1 = Job::Fixed(bytes);
        }
        months.push(i);
    } else if let Some(year) = books.year(set, i) {
        let bytes = close::paid_vs_due_csv(&year.rows, &year.closed)?;
        let at = period
            .iter()
            .position(|(_, j)| matches!(j, Job::Summary))
            .unwrap_or(period.len());
        let rel = PathBuf::from(&key).join(close::PAID_VS_DUE);
        period.insert(at, (rel, Job::Fixed(bytes)));
        years.insert(i, year);
    }
    Ok(())
}

/// What changed in each rebuilt month (`months`) since the previous set, and
/// a closed month's corrections: their files join the month's jobs and its
/// manifest entry, their counts the run's outcome.
fn compare_months(
    (previous, books): (Option<&Manifest>, &history::Books),
    set: &ReportSet<'_>,
    months: &[usize],
    (manifest, jobs): (&mut Manifest, &mut Vec<(usize, PathBuf, Job)>),
    done: &mut Written,
    warnings: &mut Vec<String>,
) -> Result<MonthExtras, ReportError> {
    let started = Instant::now();
    let mut extras = MonthExtras::new();
    for (i, mut extra) in books.months(set, months, previous, warnings)? {
        let key = set.periods[i].period.folder();
        let folder = PathBuf::from(&key);
        for (name, bytes) in std::mem::take(&mut extra.files) {
            if let Some(entry) = manifest.periods.get_mut(&key) {
                entry.files.push(format!("{key}/{name}"));
            }
            jobs.push((i, folder.join(name), Job::Fixed(bytes)));
        }
        done.changed
            .extend(extra.changed_people.map(|n| (set.periods[i].period, n)));
        done.corrections.extend(extra.corrections.clone());
        extras.insert(i, extra);
    }
    done.phases.push(("compare + close", started.elapsed()));
    Ok(extras)
}

/// The periods whose previous manifest entry is not to be trusted, each
/// with a warning. A manifest is a claim: an entry naming a path outside its
/// period's folder is ignored (and its period rebuilt).
fn invalid_periods(previous: Option<&Manifest>, warnings: &mut Vec<String>) -> Vec<String> {
    let invalid = previous.map(Manifest::invalid_periods).unwrap_or_default();
    for period in &invalid {
        warnings.push(format!(
            "{MANIFEST} lists for {period} a path that is not a plain path inside its folder \
             (it was not written by kpi-report); the entry was ignored and {period} rebuilt"
        ));
    }
    invalid
}

/// Stages every file of an unchanged period (`key`) from the previous run.
/// `Ok(false)`: one was changed outside kpi-report or is gone; a warning
/// says which, nothing of the period is left staged, and it is rebuilt.
fn reuse_period(
    out: &Path,
    staging: &Path,
    key: &str,
    entry: &PeriodEntry,
    warnings: &mut Vec<String>,
) -> Result<bool, ReportError> {
    let mut staged = Vec::new();
    for f in &entry.files {
        if reuse_file(out, f, &staging.join(f), entry.sha256.get(f))? {
            staged.push(f);
            continue;
        }
        for s in staged {
            let _ = std::fs::remove_file(staging.join(s));
        }
        if entry.sha256.is_empty() {
            warnings.push(format!(
                "{key} was written by an earlier version that recorded no file \
                 hashes; it was rebuilt"
            ));
        } else {
            warnings.push(format!(
                "{f} was changed outside kpi-report (its bytes no longer match \
                 what {MANIFEST} recorded, or it is missing or no longer a regular \
                 file); {key} was rebuilt"
            ));
        }
        return Ok(false);
    }
    Ok(true)
}

/// The manifest entry of a period about to be built: its fingerprint and
/// files (with `pdf`, each workbook's PDF too); the hashes come once built.
fn planned_entry(jobs: &[(PathBuf, Job)], print: &str, pdf: bool) -> PeriodEntry {
    let mut files: Vec<String> = jobs
        .iter()
        .map(|(rel, _)| rel.to_string_lossy().replace('\\', "/"))
        .collect();
    if pdf {
        let pdfs: Vec<String> = files
            .iter()
            .filter_map(|f| f.strip_suffix(".xlsx").map(|s| format!("{s}.pdf")))
            .collect();
        files.extend(pdfs);
    }
    PeriodEntry {
        fingerprint: print.to_owned(),
        files,
        sha256: std::collections::BTreeMap::new(),
    }
}

/// Periods the inputs no longer hold keep their reports, as they are: each
/// one's files are staged from the previous run if none was changed.
fn keep_vanished_periods(
    out: &Path,
    staging: &Path,
    previous: &Manifest,
    invalid: &[String],
    manifest: &mut Manifest,
    done: &mut Written,
    warnings: &mut Vec<String>,
) -> Result<(), ReportError> {
    for (key, entry) in &previous.periods {
        if manifest.periods.contains_key(key) || invalid.contains(key) {
            continue;
        }
        let mut staged = Vec::new();
        for f in &entry.files {
            if !reuse_file(out, f, &staging.join(f), entry.sha256.get(f))? {
                break;
            }
            staged.push(f);
        }
        if staged.len() == entry.files.len() {
            done.files.extend(staged.into_iter().map(PathBuf::from));
            done.kept_periods.push(key.clone());
            manifest.periods.insert(key.clone(), entry.clone());
        } else {
            // Every file stays where it is: the verified ones staged
            // here, the changed one kept as not kpi-report's.
            warnings.push(format!(
                "the inputs of {key} are gone and its reports were changed outside \
                 kpi-report; they are kept as they are, no longer listed in {MANIFEST}"
            ));
        }
    }
    Ok(())
}

/// Each built file's hash, by its path inside the output folder (with `/`).
type Hashes = std::collections::BTreeMap<String, String>;

/// Builds and stages every listed file: summaries and CSV files first, then
/// the review workbooks, two timed phases, each parallel across files; one
/// workbook per worker is in memory at a time. Returns the files built, in
/// order, and each one's hash.
fn build_jobs(
    staging: &Path,
    set: &ReportSet<'_>,
    views: &[PeriodView<'_>],
    (extras, years): (&MonthExtras, &YearExtras),
    jobs: Vec<(usize, PathBuf, Job)>,
    progress_bar: &crate::progress::Bar,
    done: &mut Written,
) -> Result<(Vec<PathBuf>, Hashes), ReportError> {
    let (reviews, summaries): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .partition(|(_, _, j)| matches!(j, Job::Review(_)));
    let build = |(i, rel, job): (usize, PathBuf, Job)| -> Result<(PathBuf, String), ReportError> {
        let history = summary::Extras {
            changes: extras.get(&i).and_then(|e| e.changes.as_ref()),
            year: years.get(&i),
        };
        let bytes = jobs::render_job(set, &views[i], &rel, &job, staging, &history)?;
        write_file(&staging.join(&rel), &bytes)?;
        progress_bar.inc(1);
        Ok((rel, manifest::sha256_hex(&bytes)))
    };
    let mut built: Vec<PathBuf> = Vec::new();
    let mut hashes = Hashes::new();
    for (phase, batch) in [("write summary", summaries), ("write reviews", reviews)] {
        let started = Instant::now();
        let written: Vec<Result<(PathBuf, String), ReportError>> =
            batch.into_par_iter().map(build).collect();
        done.phases.push((phase, started.elapsed()));
        for r in written {
            let (rel, hash) = r?;
            hashes.insert(rel.to_string_lossy().replace('\\', "/"), hash);
            built.push(rel);
        }
    }
    Ok((built, hashes))
}

/// Prints every workbook built in this run to PDF, inside the staging
/// folder, and hashes each PDF.
fn print_pdfs(
    converter: &pdf::Converter,
    staging: &Path,
    built: &[PathBuf],
    hashes: &mut Hashes,
    done: &mut Written,
) -> Result<(), ReportError> {
    let books: Vec<PathBuf> = built
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "xlsx"))
        .cloned()
        .collect();
    let started = Instant::now();
    let pdfs = converter.convert(staging, &books)?;
    for rel in &pdfs {
        let path = staging.join(rel);
        if let Some(hash) = output::hash_file(&path)? {
            hashes.insert(rel.to_string_lossy().replace('\\', "/"), hash);
        }
    }
    done.files.extend(pdfs);
    done.phases.push(("write pdf", started.elapsed()));
    Ok(())
}
