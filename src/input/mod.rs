//! Input: a folder of workbooks -> plan-checked tables.
//!
//! [`read_dir`] finds the files ([`discover`]), reads them in parallel
//! ([`workbook`]), finds each sheet's table by its header row and reads its
//! rows ([`table`]), then [`dataset`] joins roster, targets and results per
//! period and decides who can be scored. Every problem on the way becomes a
//! [`Diagnostic`]; only a file that cannot be read at all stops the run.

pub mod cell;
pub mod dataset;
pub mod table;
pub mod workbook;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::plan::Plan;
pub use dataset::{Case, Dataset, Person};

/// A failure that stops the run before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The input folder must exist and be readable.
    #[error("cannot read the input folder {path}: {reason}")]
    Folder { path: String, reason: String },
    /// A workbook that cannot be opened is never skipped silently.
    #[error(
        "{file}: cannot be read ({reason}); re-save it from Excel or remove it from the folder"
    )]
    Unreadable { file: String, reason: String },
    /// Encrypted workbooks cannot be read without their password.
    #[error("{file}: the workbook is encrypted (password protected); save an unprotected copy")]
    Encrypted { file: String },
    /// A run needs a roster and at least one period of data.
    #[error("{0}")]
    NothingToScore(String),
}

/// The files found in the input folder, in name order.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<(PathBuf, Arc<str>)>,
    pub skipped: Vec<Diagnostic>,
}

/// Lists the workbooks in `dir` (not its subfolders), skipping lock files,
/// hidden files and files that are not spreadsheets, each with an info note.
///
/// # Errors
/// [`InputError::Folder`] when the folder cannot be listed.
pub fn discover(dir: &Path) -> Result<Discovered, InputError> {
    let folder_err = |e: std::io::Error| InputError::Folder {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(folder_err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(folder_err)?;
    entries.sort();
    let mut found = Discovered::default();
    for path in entries {
        if !path.is_file() {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let is_sheet = ext == "csv" || workbook::SPREADSHEET_EXTENSIONS.contains(&ext.as_str());
        let reason = if name.starts_with("~$") || name.starts_with(".~lock") {
            Some("a lock file left by an open spreadsheet program")
        } else if name.starts_with('.') {
            Some("a hidden file")
        } else if !is_sheet {
            Some("not a spreadsheet (.xlsx .xlsm .xlsb .xls .ods .csv)")
        } else {
            None
        };
        match reason {
            Some(why) => found.skipped.push(Diagnostic::info(
                Code::SkippedFile,
                Location {
                    file: name,
                    ..Location::default()
                },
                format!("skipped: {why}"),
            )),
            None => found.files.push((path, Arc::from(name.as_str()))),
        }
    }
    Ok(found)
}

/// Everything read from the input folder.
#[derive(Debug)]
pub struct Input {
    pub dataset: Dataset,
    pub diagnostics: Vec<Diagnostic>,
    /// Files read, in name order.
    pub files: Vec<String>,
}

/// Reads and validates the input folder.
///
/// # Errors
/// Stops only for what makes a run meaningless: an unreadable folder or
/// workbook, an encrypted workbook, or no roster / no period at all.
pub fn read_dir(dir: &Path, plan: &Plan) -> Result<Input, InputError> {
    let found = discover(dir)?;
    type FileTables = (Vec<table::Record>, Vec<Diagnostic>);
    let per_file: Vec<Result<FileTables, InputError>> = found
        .files
        .par_iter()
        .map(|(path, name)| {
            let sheets = workbook::read_file(path, name)?;
            let mut records = Vec::new();
            let mut diags = Vec::new();
            for sheet in &sheets {
                table::read_table(plan, sheet, &mut records, &mut diags);
            }
            Ok((records, diags))
        })
        .collect();
    let mut records = Vec::new();
    let mut diagnostics = found.skipped;
    for result in per_file {
        let (r, d) = result?;
        records.extend(r);
        diagnostics.extend(d);
    }
    let dataset = dataset::build(plan, records, &mut diagnostics)?;
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Ok(Input {
        dataset,
        diagnostics,
        files: found.files.iter().map(|(_, n)| n.to_string()).collect(),
    })
}
