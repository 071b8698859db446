//! Input: a folder of workbooks -> plan-checked tables.
//!
//! [`read_dir`] finds the files ([`discover`]), reads them in parallel
//! ([`workbook`]), finds each sheet's table by its header row and reads its
//! rows ([`table`]), then [`dataset`] joins roster, targets and results per
//! period and decides who can be scored. Every problem on the way becomes a
//! [`Diagnostic`]; only a file that cannot be read at all stops the run.

pub mod adjust;
pub mod cell;
mod cfb;
pub mod dataset;
pub mod formats;
pub mod goals;
pub mod legacy;
pub mod meta;
mod ods;
pub mod record;
mod roster;
mod scale;
mod shape;
pub mod sheet_period;
pub mod table;
pub mod units;
pub mod workbook;
mod zipscan;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::plan::Plan;
use crate::progress::Progress;
use crate::timings::Timings;
pub use dataset::{Case, Dataset, Person};
pub use table::{Record, TableInfo};
pub use workbook::Limits;

/// A failure that stops the run before anything is written. Under
/// `check`, the per-file variants become error diagnostics instead, so one
/// pass lists every unreadable file.
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
    #[error("{file}: encrypted (password protected): save an unprotected copy")]
    Encrypted { file: String },
    /// A file over `--max-file-size` is not opened.
    #[error(
        "{file}: {size} bytes is over the {limit}-byte limit; split it, or raise --max-file-size"
    )]
    TooLarge { file: String, size: u64, limit: u64 },
    /// A sheet whose grid would pass the cell limit is refused before it
    /// is loaded: a crafted file must not exhaust memory.
    #[error(
        "{file}{}: the sheet spans {cells} cells, over the limit of {limit}; delete unused rows and columns far from the table (Ctrl+End shows where the sheet ends)",
        sheet.as_ref().map(|s| format!(" › {s}")).unwrap_or_default()
    )]
    TooManyCells {
        file: String,
        /// None when the reader refused the workbook as a whole.
        sheet: Option<String>,
        cells: u64,
        limit: u64,
    },
    /// A zip container declaring more than the expansion limit (a zip bomb).
    #[error(
        "{file}: the workbook would expand to {size} bytes, over the limit of {limit}; it is damaged or crafted, re-save it from Excel"
    )]
    Expands { file: String, size: u64, limit: u64 },
    /// The reader failed unexpectedly on damaged data (a panic inside
    /// it, caught: never a crash). `detail` says where, for a bug report.
    #[error(
        "{file}: the reader failed on damaged data in this file ({detail}); re-save it from Excel"
    )]
    ReaderFailed { file: String, detail: String },
    /// Several files failed; each is listed.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\nerror: "))]
    Files(Vec<InputError>),
    /// A run needs a roster and at least one period of data. `causes` are
    /// the issues found on the way, file by file (no period, no header, a
    /// skipped file…), so that `run` says why as `check` does.
    #[error("{}", render_nothing(message, causes, crate::lang::Lang::En))]
    NothingToScore {
        /// What is missing, in English and in Chinese.
        message: (String, String),
        causes: Vec<Diagnostic>,
    },
}

/// A "nothing to score" message in `lang`, with its causes under it, one
/// per line.
fn render_nothing(
    (en, zh): &(String, String),
    causes: &[Diagnostic],
    lang: crate::lang::Lang,
) -> String {
    let message = match lang {
        crate::lang::Lang::En => en,
        crate::lang::Lang::Zh => zh,
    };
    if causes.is_empty() {
        return message.clone();
    }
    let lines: Vec<String> = causes
        .iter()
        .map(|d| format!("  {}", d.render(lang)))
        .collect();
    let heading = lang.t(("what was found, file by file:", "逐个文件发现的情况："));
    format!("{message}\n{heading}\n{}", lines.join("\n"))
}

impl InputError {
    /// "Nothing to score" from a message alone, in English and Chinese.
    pub(crate) fn nothing_to_score(en: impl Into<String>, zh: impl Into<String>) -> InputError {
        InputError::NothingToScore {
            message: (en.into(), zh.into()),
            causes: Vec::new(),
        }
    }

    /// The error as text in `lang`: a "nothing to score" message and the
    /// causes found file by file are in the language; other errors are
    /// written in English.
    pub fn render(&self, lang: crate::lang::Lang) -> String {
        match self {
            InputError::NothingToScore { message, causes } => render_nothing(message, causes, lang),
            InputError::Files(list) => list
                .iter()
                .map(|e| e.render(lang))
                .collect::<Vec<_>>()
                .join("\nerror: "),
            other => other.to_string(),
        }
    }

    /// The issues that stopped the run, as data issues: what was found on
    /// the way when there is nothing to score, each unreadable file's error.
    pub fn causes(&self) -> Vec<Diagnostic> {
        match self {
            InputError::NothingToScore { causes, .. } => causes.clone(),
            InputError::Files(list) => list.iter().flat_map(InputError::causes).collect(),
            InputError::Folder { .. } => Vec::new(),
            other => vec![other.to_diagnostic()],
        }
    }
}

impl InputError {
    /// The file a per-file error is about.
    pub fn file(&self) -> Option<&str> {
        match self {
            InputError::Unreadable { file, .. }
            | InputError::Encrypted { file }
            | InputError::TooLarge { file, .. }
            | InputError::TooManyCells { file, .. }
            | InputError::Expands { file, .. }
            | InputError::ReaderFailed { file, .. } => Some(file),
            _ => None,
        }
    }

    /// One error for a list of per-file errors.
    fn many(mut errors: Vec<InputError>) -> Option<InputError> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(InputError::Files(errors)),
        }
    }

    /// The per-file error as a data issue, for `check`.
    fn to_diagnostic(&self) -> Diagnostic {
        let (code, sheet, zh) = match self {
            InputError::Encrypted { .. } => (
                Code::EncryptedFile,
                None,
                "工作簿已加密（设有密码）：请另存一份不加密的副本".to_owned(),
            ),
            InputError::TooLarge { size, limit, .. } => (
                Code::TooLarge,
                None,
                format!(
                    "文件大小 {size} 字节，超过 {limit} 字节的上限；请拆分文件或调大 --max-file-size"
                ),
            ),
            InputError::TooManyCells {
                sheet,
                cells,
                limit,
                ..
            } => (
                Code::TooLarge,
                sheet.clone(),
                format!(
                    "该工作表范围达 {cells} 个单元格，超过 {limit} 的上限；请删除表格之外远处的空行空列（Ctrl+End 可看到工作表末尾）"
                ),
            ),
            InputError::Expands { size, limit, .. } => (
                Code::TooLarge,
                None,
                format!(
                    "工作簿解压后将达 {size} 字节，超过 {limit} 的上限；文件已损坏或被构造，请用 Excel 重新保存"
                ),
            ),
            InputError::Unreadable { reason, .. } => (
                Code::UnreadableFile,
                None,
                format!("无法读取（{reason}）；请用 Excel 重新保存，或将其移出文件夹"),
            ),
            _ => (
                Code::UnreadableFile,
                None,
                "读取器在此文件的损坏数据上失败；请用 Excel 重新保存".to_owned(),
            ),
        };
        let file = self.file().unwrap_or_default().to_owned();
        let en = self.to_string();
        let prefix = match &sheet {
            Some(s) => format!("{file} › {s}: "),
            None => format!("{file}: "),
        };
        let en = en.strip_prefix(&prefix).unwrap_or(&en).to_owned();
        Diagnostic::error(
            code,
            Location {
                file,
                sheet,
                cell: None,
            },
            en,
        )
        .zh(zh)
    }
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
            Some((
                "a lock file left by an open spreadsheet program",
                "电子表格程序打开文件时留下的锁定文件",
            ))
        } else if name.starts_with('.') {
            Some(("a hidden file", "隐藏文件"))
        } else if !is_sheet {
            Some((
                "not a spreadsheet (.xlsx .xlsm .xlsb .xls .et .ods .csv .tsv)",
                "不是电子表格（.xlsx .xlsm .xlsb .xls .et .ods .csv .tsv）",
            ))
        } else {
            None
        };
        match reason {
            Some((why, why_zh)) => found.skipped.push(
                Diagnostic::info(
                    Code::SkippedFile,
                    Location {
                        file: name,
                        ..Location::default()
                    },
                    format!("skipped: {why}"),
                )
                .zh(format!("已跳过：{why_zh}")),
            ),
            None => found.files.push((path, Arc::from(name.as_str()))),
        }
    }
    Ok(found)
}

/// Everything read from the input folder.
#[derive(Debug)]
pub struct Input {
    pub dataset: Dataset,
    /// The adjustments table's rows that can be applied, in file order.
    pub adjustments: Vec<adjust::Adjustment>,
    pub diagnostics: Vec<Diagnostic>,
    /// Spreadsheet files found, in name order (read or not).
    pub files: Vec<String>,
    /// The tables recognised, by file then sheet.
    pub tables: Vec<TableInfo>,
    /// Files that could not be read (only `check` gets this far with any).
    pub unreadable: Vec<String>,
}

/// The tables read from a folder, before roster, targets and results are
/// joined.
#[derive(Debug)]
struct Tables {
    records: Vec<table::Record>,
    diagnostics: Vec<Diagnostic>,
    files: Vec<String>,
    tables: Vec<TableInfo>,
    failures: Vec<InputError>,
    adjustments: Vec<adjust::Adjustment>,
}

/// Reads and validates the input folder with the default [`Limits`].
///
/// # Errors
/// As [`read_dir_with`].
pub fn read_dir(dir: &Path, plan: &Plan) -> Result<Input, InputError> {
    read_dir_with(dir, plan, &Limits::default())
}

/// Reads and validates the input folder for a run.
///
/// # Errors
/// Stops only for what makes a run meaningless: an unreadable folder; any
/// workbook that cannot be read (unreadable, encrypted, over a limit; every
/// such file is listed), since reports silently missing a file would be
/// wrong; or no roster at all.
pub fn read_dir_with(dir: &Path, plan: &Plan, limits: &Limits) -> Result<Input, InputError> {
    read_dir_observed(dir, plan, limits, &mut Timings::new(), Progress::hidden())
}

/// [`read_dir_with`], recording the phases discover, read and validate and
/// showing a bar of files read.
///
/// # Errors
/// As [`read_dir_with`].
pub fn read_dir_observed(
    dir: &Path,
    plan: &Plan,
    limits: &Limits,
    timings: &mut Timings,
    progress: Progress,
) -> Result<Input, InputError> {
    let found = timings.time("discover", || discover(dir))?;
    let mut tables = timings.time("read", || read_found(found, plan, limits, progress));
    if let Some(e) = InputError::many(std::mem::take(&mut tables.failures)) {
        return Err(e);
    }
    timings.time("validate", || assemble(plan, tables))
}

/// Reads the folder for `check`: a file that cannot be read becomes an
/// error diagnostic and the other files are still read, so one pass shows
/// every issue. The error returned beside the input is what would stop a
/// run even then (no roster).
///
/// # Errors
/// [`InputError::Folder`] when the folder cannot be listed.
pub fn check_dir(
    dir: &Path,
    plan: &Plan,
    limits: &Limits,
) -> Result<(Input, Option<InputError>), InputError> {
    let tables = read_tables(dir, plan, limits)?;
    let files = tables.files.clone();
    let infos = tables.tables.clone();
    let unreadable = unreadable_names(&tables.failures);
    match assemble(plan, tables) {
        Ok(input) => Ok((input, None)),
        Err(mut e) => {
            // `check` lists the causes itself.
            let diagnostics = match &mut e {
                InputError::NothingToScore { causes, .. } => std::mem::take(causes),
                _ => Vec::new(),
            };
            let input = Input {
                adjustments: Vec::new(),
                dataset: Dataset {
                    people: Vec::new(),
                    periods: Vec::new(),
                    records: Vec::new(),
                },
                diagnostics,
                files,
                tables: infos,
                unreadable,
            };
            Ok((input, Some(e)))
        }
    }
}

fn unreadable_names(failures: &[InputError]) -> Vec<String> {
    failures
        .iter()
        .filter_map(|e| e.file().map(str::to_owned))
        .collect()
}

/// What one file gave: its records, data issues and tables.
pub type FileTables = (
    Vec<table::Record>,
    Vec<Diagnostic>,
    Vec<TableInfo>,
    Vec<adjust::Adjustment>,
);

/// Reads one file into records, diagnostics and table descriptions. A
/// panic inside a reader is caught and reported as a damaged file.
///
/// # Errors
/// The file's [`InputError`] when it cannot be read.
pub fn read_one(
    path: &Path,
    name: &Arc<str>,
    plan: &Plan,
    limits: &Limits,
) -> Result<FileTables, InputError> {
    let sheets = match guarded(|| workbook::read_file(path, name, limits)) {
        Ok(r) => r?,
        Err(detail) => {
            return Err(InputError::ReaderFailed {
                file: name.to_string(),
                detail,
            });
        }
    };
    let mut records = Vec::new();
    let mut diags = Vec::new();
    let mut infos = Vec::new();
    if let Some((what, what_zh)) = workbook::content_differs(path) {
        diags.push(
            Diagnostic::info(
                Code::FileKind,
                Location {
                    file: name.to_string(),
                    ..Location::default()
                },
                format!("read as {what}, which is what the file holds whatever its name says; renaming it to match avoids surprises in other programs"),
            )
            .zh(format!("按文件实际内容读取为{what_zh}（与扩展名不符）；建议把扩展名改为与内容一致")),
        );
    }
    if workbook::xlsb_has_merges(path) {
        diags.push(
            Diagnostic::new(
                crate::diagnostics::Severity::Warning,
                Code::MergedCells,
                Location {
                    file: name.to_string(),
                    ..Location::default()
                },
                "this .xlsb workbook has merged cells, which cannot be seen in the .xlsb format: the cells a merge covers read blank; save it as .xlsx (Excel workbook) so merges are read",
            )
            .zh("此 .xlsb 工作簿含有合并单元格，而 .xlsb 格式中无法识别合并：被合并覆盖的单元格读作空白；请另存为 .xlsx（Excel 工作簿）以便读取合并"),
        );
    }
    let mut adjustments = Vec::new();
    for sheet in &sheets {
        if let Some(found) = adjust::read(plan, sheet, &mut diags) {
            adjustments.extend(found);
            continue;
        }
        if let Some(info) =
            table::read_table_for(plan, sheet, limits.period, &mut records, &mut diags)
        {
            infos.push(info);
        }
    }
    Ok((records, diags, infos, adjustments))
}

thread_local! {
    /// Set while this thread runs a reader: its panics are caught and
    /// reported as [`InputError::ReaderFailed`], not printed.
    static IN_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static PANIC_DETAIL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f`, turning a panic into `Err(where and why)`. A panic hook is
/// installed once; it records panics of guarded readers and passes every
/// other panic to the previous hook unchanged.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_READER.with(std::cell::Cell::get) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let message = message.lines().next().unwrap_or_default().to_owned();
                let place = info
                    .location()
                    .map(|l| {
                        // The crate folder and file, without the machine's path.
                        let parts: Vec<&str> = l.file().rsplit(['/', '\\']).take(3).collect();
                        let short: Vec<&str> = parts.into_iter().rev().collect();
                        format!("{}:{}", short.join("/"), l.line())
                    })
                    .unwrap_or_default();
                PANIC_DETAIL.with(|d| *d.borrow_mut() = Some(format!("{place}: {message}")));
            } else {
                previous(info);
            }
        }));
    });
    IN_READER.with(|r| r.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_READER.with(|r| r.set(false));
    result.map_err(|_| {
        PANIC_DETAIL
            .with(|d| d.borrow_mut().take())
            .unwrap_or_else(|| "a reader failure".to_owned())
    })
}

fn read_tables(dir: &Path, plan: &Plan, limits: &Limits) -> Result<Tables, InputError> {
    Ok(read_found(discover(dir)?, plan, limits, Progress::hidden()))
}

fn read_found(found: Discovered, plan: &Plan, limits: &Limits, progress: Progress) -> Tables {
    let bar = progress.bar("files read", found.files.len() as u64);
    let per_file: Vec<_> = found
        .files
        .par_iter()
        .map(|(path, name)| {
            let r = read_one(path, name, plan, limits);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let mut out = Tables {
        records: Vec::new(),
        diagnostics: found.skipped,
        files: found.files.iter().map(|(_, n)| n.to_string()).collect(),
        tables: Vec::new(),
        failures: Vec::new(),
        adjustments: Vec::new(),
    };
    for result in per_file {
        match result {
            Ok((r, d, t, a)) => {
                out.adjustments.extend(a);
                out.records.extend(r);
                out.diagnostics.extend(d);
                out.tables.extend(t);
            }
            Err(e) => {
                out.diagnostics.push(e.to_diagnostic());
                out.failures.push(e);
            }
        }
    }
    out
}

fn assemble(plan: &Plan, tables: Tables) -> Result<Input, InputError> {
    assemble_with(plan, tables, true)
}

/// Reads the folder for `targets`: as [`read_dir_with`], but a roster alone
/// (no targets or results yet) is enough.
///
/// # Errors
/// As [`read_dir_with`], except that no period is needed.
pub fn read_roster_dir(dir: &Path, plan: &Plan, limits: &Limits) -> Result<Input, InputError> {
    let found = discover(dir)?;
    let mut tables = read_found(found, plan, limits, Progress::hidden());
    if let Some(e) = InputError::many(std::mem::take(&mut tables.failures)) {
        return Err(e);
    }
    assemble_with(plan, tables, false)
}

fn assemble_with(plan: &Plan, tables: Tables, need_periods: bool) -> Result<Input, InputError> {
    let Tables {
        records,
        mut diagnostics,
        files,
        tables,
        failures,
        adjustments,
    } = tables;
    let dataset = match dataset::build_with(plan, records, &mut diagnostics, need_periods) {
        Ok(d) => d,
        Err(InputError::NothingToScore { message, .. }) => {
            diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            diagnostics.dedup();
            return Err(InputError::NothingToScore {
                message,
                causes: diagnostics,
            });
        }
        Err(e) => return Err(e),
    };
    let adjustments = adjust::known_people(&dataset, adjustments, &mut diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Ok(Input {
        adjustments,
        dataset,
        diagnostics,
        files,
        tables,
        unreadable: unreadable_names(&failures),
    })
}
