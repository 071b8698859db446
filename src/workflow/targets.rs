//! `kpi-report targets`: the goals table and the input folder's roster (and
//! past results) in, one targets workbook per month out.
//!
//! Nothing is written unless every goal is split without a problem. A file
//! already in the output folder is replaced only when kpi-report wrote it
//! (its SHA-256 is in the folder's `.kpi-targets` list and still matches);
//! every file is written beside its final name and renamed into place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::input::goals::{employment, read_goals};
use crate::input::{InputError, Limits, read_roster_dir};
use crate::lang::Lang;
use crate::period::Period;
use crate::plan::Plan;
use crate::plan::cycle::PeopleSplit;
use crate::report::ReportError;
use crate::report::output::write_file;
use crate::report::targets::{file_name, targets_workbook};
use crate::score::allocate::allocate;

/// The list of files `targets` wrote, with their SHA-256, in the output folder.
pub const WRITTEN_LIST: &str = ".kpi-targets";

/// What `targets` needs.
#[derive(Debug, Clone)]
pub struct TargetsOptions {
    pub input: PathBuf,
    pub goals: PathBuf,
    pub plan: Plan,
    pub out: PathBuf,
    pub lang: Lang,
    pub limits: Limits,
}

/// Why no targets were written.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    #[error(transparent)]
    Input(#[from] InputError),
    /// Problems in the goals, the roster or the split; each is listed.
    #[error("{} problem(s) in the goals or the roster; no targets written", .0.len())]
    Problems(Vec<Diagnostic>),
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A file of the same name that kpi-report did not write.
    #[error(
        "{0} exists and was not written by kpi-report targets; move it away or choose another --out folder"
    )]
    NotOurs(String),
}

/// What `targets` wrote.
#[derive(Debug)]
pub struct TargetsOutcome {
    pub months: Vec<Period>,
    pub files: Vec<PathBuf>,
    /// Notes from reading the folder (nothing that stopped the split).
    pub notes: Vec<Diagnostic>,
}

/// Reads, allocates, writes.
///
/// # Errors
/// See [`TargetsError`]; nothing is written when one is returned.
pub fn targets(opts: &TargetsOptions) -> Result<TargetsOutcome, TargetsError> {
    let input = read_roster_dir(&opts.input, &opts.plan, &opts.limits)?;
    let (goals, mut problems) = read_goals(&opts.goals, &opts.plan, &opts.limits)?;
    let (dates, date_problems) = employment(&opts.input, &opts.plan, &opts.limits)?;
    problems.extend(date_problems);
    // Roster errors (a person's role, a duplicate) would make a split wrong;
    // under a split by history, so would an error in last year's results
    // (the person would silently count as having no history).
    let history_years: Vec<u16> = if opts.plan.targets.people == PeopleSplit::History {
        goals.iter().map(|g| g.period.year() - 1).collect()
    } else {
        Vec::new()
    };
    problems.extend(
        input
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && d.code != Code::MissingTargets)
            .filter(|d| match d.period {
                None => true,
                Some(p) => history_years.contains(&p.year()),
            })
            .cloned(),
    );
    if !problems.is_empty() {
        return Err(TargetsError::Problems(problems));
    }
    let months =
        allocate(&opts.plan, &input.dataset, &dates, &goals).map_err(TargetsError::Problems)?;
    let mut books = Vec::new();
    for m in &months {
        let bytes = targets_workbook(&opts.plan, &input.dataset.people, m, opts.lang)?;
        books.push((file_name(m), bytes));
    }
    let files = write_all(&opts.out, &books)?;
    Ok(TargetsOutcome {
        months: months.iter().map(|m| m.period).collect(),
        files,
        notes: input
            .diagnostics
            .into_iter()
            .filter(|d| d.severity != Severity::Error)
            .collect(),
    })
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The list of files written before: name -> SHA-256.
fn written_list(out: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(out.join(WRITTEN_LIST))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(h, n)| (n.to_owned(), h.to_owned()))
        .collect()
}

fn write_all(out: &Path, books: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, TargetsError> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let mut list = written_list(out);
    // Refuse before writing anything.
    for (name, _) in books {
        let path = out.join(name);
        if path.exists() {
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            let ours = list
                .get(name)
                .is_some_and(|h| *h == crate::hash::sha256_hex(&bytes));
            if !ours {
                return Err(TargetsError::NotOurs(path.display().to_string()));
            }
        }
    }
    let mut files = Vec::new();
    for (name, bytes) in books {
        let path = out.join(name);
        let temp = out.join(format!(".{name}.partial"));
        write_file(&temp, bytes)?;
        std::fs::rename(&temp, &path).map_err(io(&path))?;
        list.insert(name.clone(), crate::hash::sha256_hex(bytes));
        files.push(PathBuf::from(name));
    }
    let text: String = list.iter().map(|(n, h)| format!("{h}\t{n}\n")).collect();
    write_file(&out.join(WRITTEN_LIST), text.as_bytes())?;
    Ok(files)
}
