//! Files -> sheets of cells: spreadsheets through calamine, CSV through the
//! csv crate, both as a `calamine::Range` so later stages see one shape.
//!
//! Reading is bounded before memory is spent: a file larger than
//! [`Limits::max_file_size`] is refused unopened; a zip container (xlsx,
//! xlsm, xlsb, ods) that declares more than [`Limits::max_expanded`] bytes
//! once inflated is refused before any part is inflated; an xlsx/xlsm/xlsb
//! sheet is streamed cell by cell and refused as soon as it declares or
//! holds more than [`Limits::max_cells`] cells, before its grid is built;
//! a large XML part is first scanned for texts, cells and counts no
//! spreadsheet holds (a zip bomb honest about its sizes), see
//! [`super::zipscan`].

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use calamine::{
    Cell, Data, DataRef, Ods, Range, Reader, SheetType, Xls, Xlsb, Xlsx, open_workbook,
};

use super::InputError;
use super::formats::{FormatKind, display_value};
use super::meta::{SheetMeta, scan_xlsx_sheet, xlsx_sheet_parts};

/// One sheet's cells, with where they came from.
#[derive(Debug)]
pub struct SheetData {
    /// The file name as shown in messages (relative to the input folder).
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub range: Range<Data>,
    /// Formulas without saved values, hidden rows (see [`SheetMeta`]).
    pub meta: SheetMeta,
    /// Merged regions of the sheet (absolute positions), where the format
    /// records them: a merge's value sits in its top-left cell only.
    pub merges: Vec<calamine::Dimensions>,
}

/// The kinds of file read (WPS saves `.et`, its templates `.ett`);
/// anything else in the folder is skipped. A file is read by what its
/// content is, whatever of these names it has.
pub const SPREADSHEET_EXTENSIONS: [&str; 8] =
    ["xlsx", "xlsm", "xlsb", "xls", "ods", "et", "ett", "tsv"];

/// How much one file may cost to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes on disk (`--max-file-size`, default 200 MB).
    pub max_file_size: u64,
    /// Cells in one sheet's grid (its used rectangle).
    pub max_cells: u64,
    /// Bytes a zip container may declare once inflated.
    pub max_expanded: u64,
    /// The period given to tables that name none (`--period`): not a cost,
    /// but the one reading option every file's reader needs.
    pub period: Option<crate::period::Period>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 200 * 1000 * 1000,
            // 5 million cells is 100,000 people x 50 columns; a grid of
            // calamine cells costs ~32 bytes each, so at most ~160 MB.
            max_cells: 5_000_000,
            max_expanded: 2 * 1024 * 1024 * 1024,
            period: None,
        }
    }
}

/// What the first bytes say the file is, whatever its name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// `PK\x03\x04`: xlsx, xlsm, xlsb or ods.
    Zip,
    /// OLE compound file: xls, or an encrypted xlsx.
    Cfb,
    /// A web page saved with a spreadsheet name (common from export tools).
    Html,
    /// Excel's XML Spreadsheet 2003, also saved under a spreadsheet name.
    Xml2003,
    /// Plain text: CSV or TSV (whatever the file is named).
    Text,
    Other,
}

/// What a zip container holds, by its parts: `ods`, `xlsb` or `xlsx`.
/// None when the zip cannot be listed (the reader then says why).
fn zip_kind(path: &Path) -> Option<&'static str> {
    let f = File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(BufReader::new(f)).ok()?;
    if let Ok(mut m) = zip.by_name("mimetype") {
        let mut kind = String::new();
        let _ = m.by_ref().take(200).read_to_string(&mut kind);
        if kind.contains("opendocument.spreadsheet") {
            return Some("ods");
        }
    }
    if zip.index_for_name("xl/workbook.bin").is_some() {
        return Some("xlsb");
    }
    if zip.index_for_name("xl/workbook.xml").is_some() {
        return Some("xlsx");
    }
    None
}

/// The kind of file its content shows, in words for a note, when it is
/// not what its name says; None when name and content agree.
pub fn content_differs(path: &Path) -> Option<(&'static str, &'static str)> {
    let mut head = [0u8; 512];
    let n = File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .ok()?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let (is, en, zh) = match sniff(&head[..n]) {
        Container::Zip => match zip_kind(path)? {
            "ods" => (
                &["ods"][..],
                "an OpenDocument spreadsheet (.ods)",
                "OpenDocument 电子表格（.ods）",
            ),
            "xlsb" => (
                &["xlsb"][..],
                "an Excel binary workbook (.xlsb)",
                "Excel 二进制工作簿（.xlsb）",
            ),
            _ => (
                &["xlsx", "xlsm"][..],
                "an Excel workbook (.xlsx)",
                "Excel 工作簿（.xlsx）",
            ),
        },
        Container::Cfb => (
            &["xls", "et", "ett"][..],
            "an Excel 97-2003 workbook (.xls)",
            "Excel 97-2003 工作簿（.xls）",
        ),
        Container::Text => (
            &["csv", "tsv"][..],
            "a text (CSV/TSV) file",
            "文本（CSV/TSV）文件",
        ),
        _ => return None,
    };
    (!is.contains(&ext.as_str())).then_some((en, zh))
}

fn sniff(head: &[u8]) -> Container {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = text.trim_ascii_start();
    if head.starts_with(b"PK\x03\x04") {
        Container::Zip
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Container::Cfb
    } else if text.first() == Some(&b'<') {
        let lower = text.to_ascii_lowercase();
        let html = [&b"<html"[..], b"<!doctype html", b"<table", b"<meta"]
            .iter()
            .any(|t| lower.starts_with(t));
        let xml2003 = lower
            .windows(b"office:spreadsheet".len())
            .any(|w| w == b"office:spreadsheet")
            || lower
                .windows(b"<?mso-application".len())
                .any(|w| w == b"<?mso-application");
        if html {
            Container::Html
        } else if xml2003 {
            Container::Xml2003
        } else {
            Container::Other
        }
    } else if looks_like_text(head) && head.iter().any(|b| matches!(b, b',' | b';' | b'\t')) {
        // Text with a delimiter: a CSV/TSV export, whatever its name.
        // Text without one ("garbage" named .xlsx) is no table at all.
        Container::Text
    } else {
        Container::Other
    }
}

/// Text, as a CSV or TSV export is: a UTF-16 byte-order mark, or no NUL
/// and no other control byte than tab, CR, LF (and the escape some
/// exporters leave) in the first bytes.
fn looks_like_text(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    !head.is_empty()
        && head
            .iter()
            .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\r' | b'\n' | 0x1B))
}

/// Reads every worksheet of a workbook (hidden ones too; chart and dialog
/// sheets hold no table and are passed over), or a CSV file as one sheet.
///
/// # Errors
/// [`InputError::Encrypted`] when the workbook is password protected or
/// obfuscated, [`InputError::TooLarge`] / [`InputError::TooManyCells`] /
/// [`InputError::Expands`] past a limit, [`InputError::Unreadable`] for
/// anything else that cannot be opened or parsed.
pub fn read_file(
    path: &Path,
    file: &Arc<str>,
    limits: &Limits,
) -> Result<Vec<SheetData>, InputError> {
    let unreadable = |reason: String| unreadable(file, reason);
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if size > limits.max_file_size {
        return Err(InputError::TooLarge {
            file: file.to_string(),
            size,
            limit: limits.max_file_size,
        });
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut head = [0u8; 512];
    let n = File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .map_err(|e| unreadable(e.to_string()))?;
    let container = sniff(&head[..n]);
    let failed = |reason: String| classify(path, file, container, reason);
    // What the content is decides how it is read, not the name: a CSV
    // named .xls, an xlsx named .xls, an ods named .xlsx all occur.
    let ext = match container {
        Container::Zip => zip_kind(path).unwrap_or(ext.as_str()).to_owned(),
        _ => ext,
    };
    match container {
        Container::Html => Err(unreadable(
            "it is a web page (HTML) saved with a spreadsheet name, as some systems export; open it in Excel, WPS or LibreOffice and save it as an Excel workbook (.xlsx)".to_owned(),
        )),
        // A file named .csv/.tsv that is not clean text (a stray NUL) is
        // still read as text, as before: its cells say what is wrong.
        Container::Other if ext == "csv" || ext == "tsv" => {
            read_csv(path, file, limits).map(|s| vec![s])
        }
        Container::Other if n == 0 => Err(unreadable("the file is empty".to_owned())),
        Container::Xml2003 => Err(unreadable(
            "it is an XML Spreadsheet 2003 file saved with a spreadsheet name; open it in Excel, WPS or LibreOffice and save it as an Excel workbook (.xlsx)".to_owned(),
        )),
        Container::Text => read_csv(path, file, limits).map(|s| vec![s]),
        Container::Zip => {
            check_expansion(path, file, limits)?;
            if ext != "xlsb" {
                scan_parts(path, file, limits)?;
            }
            match ext.as_str() {
                "ods" => read_ods(path, file, limits, &failed),
                "xlsb" => read_xlsb(path, file, limits, &failed),
                _ => read_xlsx(path, file, limits, &failed),
            }
        }
        Container::Cfb => read_compound(path, file, &ext, limits, &failed),
        Container::Other => Err(unreadable(
            "its content is not a workbook: neither an Excel 97-2003 file nor a zip-based xlsx/xlsm/xlsb/ods".to_owned(),
        )),
    }
}

fn unreadable(file: &Arc<str>, reason: String) -> InputError {
    InputError::Unreadable {
        file: file.to_string(),
        reason,
    }
}

/// An OpenDocument spreadsheet: its sizes measured before calamine expands
/// every sheet, then the values, the number formats calamine does not
/// apply, hidden rows and merges from the XML.
fn read_ods(
    path: &Path,
    file: &Arc<str>,
    limits: &Limits,
    failed: &dyn Fn(String) -> InputError,
) -> Result<Vec<SheetData>, InputError> {
    let mut sheets = Vec::new();
    // calamine expands every sheet while opening an ODS.
    let measured = File::open(path)
        .ok()
        .and_then(|f| super::ods::extents(BufReader::new(f)));
    if let Some((name, cells)) = measured
        .unwrap_or_default()
        .into_iter()
        .max_by_key(|(_, cells)| *cells)
        .filter(|(_, cells)| *cells > limits.max_cells)
    {
        return Err(too_many(file, &name, cells, limits));
    }
    let mut wb =
        open_workbook::<Ods<BufReader<File>>, _>(path).map_err(|e| failed(e.to_string()))?;
    read_all(&mut wb, file, limits, &mut sheets, failed)?;
    let metas = File::open(path)
        .ok()
        .and_then(|f| super::ods::sheet_meta(BufReader::new(f)))
        .unwrap_or_default();
    for (name, meta, overrides) in metas {
        if let Some(s) = sheets.iter_mut().find(|s| *s.sheet == *name) {
            for (pos, value) in overrides {
                if matches!(s.range.get_value(pos), Some(Data::Float(_) | Data::Int(_))) {
                    s.range.set_value(pos, value);
                }
            }
            s.meta = meta;
        }
    }
    let merges = match File::open(path) {
        Ok(f) => super::ods::merges(BufReader::new(f)).map_err(|n| {
            unreadable(
                file,
                format!(
                    "it declares more than {} merged regions ({n} read); it is damaged or crafted, re-save it",
                    super::ods::MAX_MERGES
                ),
            )
        })?,
        Err(e) => return Err(unreadable(file, e.to_string())),
    };
    for s in &mut sheets {
        if let Some((_, m)) = merges.iter().find(|(name, _)| **name == *s.sheet) {
            s.merges = m.clone();
        }
    }
    Ok(sheets)
}

/// A binary xlsx, streamed cell by cell.
fn read_xlsb(
    path: &Path,
    file: &Arc<str>,
    limits: &Limits,
    failed: &dyn Fn(String) -> InputError,
) -> Result<Vec<SheetData>, InputError> {
    let mut sheets = Vec::new();
    let mut wb =
        open_workbook::<Xlsb<BufReader<File>>, _>(path).map_err(|e| failed(e.to_string()))?;
    for name in worksheet_names(&wb) {
        let mut cells = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| failed(format!("sheet '{name}': {e}")))?;
        let declared = cells.dimensions().len();
        let range = stream_cells(file, &name, declared, limits, || {
            cells.next_cell().map_err(|e| e.to_string())
        })?;
        // calamine gives no xlsb number formats or hidden
        // rows: the sheet has no metadata (see README).
        sheets.push(sheet(file, &name, range));
    }
    Ok(sheets)
}

/// An xlsx (or xlsm), streamed cell by cell with each cell's number format
/// applied; hidden rows, formulas without a saved value and merges read
/// beside calamine.
fn read_xlsx(
    path: &Path,
    file: &Arc<str>,
    limits: &Limits,
    failed: &dyn Fn(String) -> InputError,
) -> Result<Vec<SheetData>, InputError> {
    let mut sheets = Vec::new();
    // Listing merges parses a sheet's XML again: done only
    // when some sheet part mentions them.
    let any_merges = sheets_mention(path, b"mergeCell");
    let mut wb =
        open_workbook::<Xlsx<BufReader<File>>, _>(path).map_err(|e| failed(e.to_string()))?;
    // A second look at each sheet part for what calamine does
    // not give: hidden rows, formulas without a saved value.
    let mut parts_zip = File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(BufReader::new(f)).ok());
    let parts = parts_zip.as_mut().map(xlsx_sheet_parts).unwrap_or_default();
    // What each style's number format does, by style id.
    let mut kinds: Option<Vec<FormatKind>> = None;
    for name in worksheet_names(&wb) {
        let mut cells = match wb.worksheet_cells_reader(&name) {
            Ok(c) => c,
            // A sheet part of another kind (a chart) has no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(failed(format!("sheet '{name}': {e}"))),
        };
        let kinds = kinds.get_or_insert_with(|| style_kinds(cells.styles()));
        let declared = cells.dimensions().len();
        let range = stream_cells(file, &name, declared, limits, || {
            let next = cells.next_cell_with_style_id().map_err(|e| e.to_string())?;
            Ok(next.map(|(cell, style)| restyle(cell, kinds.get(style))))
        })?;
        drop(cells);
        let mut s = sheet(file, &name, range);
        let meta = match (parts_zip.as_mut(), parts.get(&name)) {
            (Some(zip), Some(part)) => scan_xlsx_sheet(zip, part),
            _ => None,
        };
        s.meta = meta.unwrap_or_default();
        // A sheet whose merges cannot be listed is read
        // without them: its merged cells then read blank,
        // which the checks downstream report.
        if any_merges {
            s.merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        }
        sheets.push(s);
    }
    Ok(sheets)
}

/// A compound file (an xls, or an encrypted xlsx): its chains checked and
/// its sheets measured before calamine builds every grid.
fn read_compound(
    path: &Path,
    file: &Arc<str>,
    ext: &str,
    limits: &Limits,
    failed: &dyn Fn(String) -> InputError,
) -> Result<Vec<SheetData>, InputError> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(file, e.to_string()))?;
    if let Err(super::cfb::Damaged(why)) = super::cfb::check_chains(&bytes) {
        return Err(unreadable(file, format!("the file is damaged: {why}")));
    }
    // calamine builds every xls sheet's grid while opening the file.
    let widest = super::cfb::xls_extents(&bytes)
        .and_then(|e| e.into_iter().max())
        .unwrap_or(0);
    if widest > limits.max_cells {
        return Err(InputError::TooManyCells {
            file: file.to_string(),
            sheet: None,
            cells: widest,
            limit: limits.max_cells,
        });
    }
    read_cfb(path, file, ext, limits, failed)
}

/// A compound file: an xls, or an encrypted xlsx (which calamine names).
fn read_cfb(
    path: &Path,
    file: &Arc<str>,
    ext: &str,
    limits: &Limits,
    failed: &dyn Fn(String) -> InputError,
) -> Result<Vec<SheetData>, InputError> {
    if matches!(ext, "xls" | "et" | "ett") {
        return read_xls(path, file, limits, failed);
    }
    match open_workbook::<Xlsx<BufReader<File>>, _>(path) {
        // An xlsx in a compound file that calamine could open: not expected,
        // but then it is read as an xls below like any other compound file.
        Ok(_) => read_xls(path, file, limits, failed),
        Err(e) => match failed(e.to_string()) {
            err @ InputError::Encrypted { .. } => Err(err),
            _ => read_xls(path, file, limits, failed),
        },
    }
}

fn read_xls(
    path: &Path,
    file: &Arc<str>,
    limits: &Limits,
    failed: &dyn Fn(String) -> InputError,
) -> Result<Vec<SheetData>, InputError> {
    let mut wb =
        open_workbook::<Xls<BufReader<File>>, _>(path).map_err(|e| failed(e.to_string()))?;
    let mut sheets = Vec::new();
    read_all(&mut wb, file, limits, &mut sheets, failed)?;
    // Number formats and hidden rows, from the records calamine reads
    // without keeping them.
    let metas = std::fs::read(path)
        .ok()
        .and_then(|bytes| super::cfb::xls_sheets(&bytes));
    match metas {
        Some(metas) if metas.len() == sheets.len() => {
            for (s, m) in sheets.iter_mut().zip(metas) {
                for (pos, kind) in &m.formats {
                    if let Some(v) = s.range.get_value(*pos).and_then(|v| display_value(v, kind)) {
                        s.range.set_value(*pos, v);
                    }
                }
                s.meta.hidden_rows = m.hidden_rows;
                s.meta.finish();
            }
        }
        _ => {}
    }
    for s in &mut sheets {
        s.merges = wb.merge_cells_by_sheet_name(&s.sheet).unwrap_or_default();
    }
    Ok(sheets)
}

/// What each style of an xlsx does to a number (by style id).
fn style_kinds(styles: &[calamine::Style]) -> Vec<FormatKind> {
    styles
        .iter()
        .map(|s| {
            s.number_format.as_ref().map_or(FormatKind::Plain, |f| {
                super::formats::classify(&f.format_code)
            })
        })
        .collect()
}

/// A number cell as its format shows it (a percentage, a padded id).
fn restyle<'a>(cell: Cell<DataRef<'a>>, kind: Option<&FormatKind>) -> Cell<DataRef<'a>> {
    let Some(kind) = kind.filter(|k| **k != FormatKind::Plain) else {
        return cell;
    };
    let value = match cell.get_value() {
        DataRef::Float(f) => Data::Float(*f),
        DataRef::Int(i) => Data::Int(*i),
        _ => return cell,
    };
    match display_value(&value, kind) {
        Some(Data::String(text)) => Cell::new(cell.get_position(), DataRef::String(text)),
        _ => cell,
    }
}

/// Formats whose sheets calamine loads whole (xls: at most 65,536 x 256
/// cells by the format; ods: calamine refuses more than 100 million
/// repeated cells while expanding). The limit is still applied after.
fn read_all<R: Reader<BufReader<File>>>(
    wb: &mut R,
    file: &Arc<str>,
    limits: &Limits,
    out: &mut Vec<SheetData>,
    failed: &dyn Fn(String) -> InputError,
) -> Result<(), InputError>
where
    R::Error: std::fmt::Display,
{
    for name in worksheet_names(wb) {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| failed(format!("sheet '{name}': {e}")))?;
        let (h, w) = range.get_size();
        let cells = (h as u64).saturating_mul(w as u64);
        if cells > limits.max_cells {
            return Err(too_many(file, &name, cells, limits));
        }
        out.push(sheet(file, &name, range));
    }
    Ok(())
}

fn worksheet_names<R: Reader<BufReader<File>>>(wb: &R) -> Vec<String> {
    wb.sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

fn sheet(file: &Arc<str>, name: &str, range: Range<Data>) -> SheetData {
    SheetData {
        file: Arc::clone(file),
        sheet: Arc::from(name),
        range,
        meta: SheetMeta::default(),
        merges: Vec::new(),
    }
}

fn too_many(file: &Arc<str>, sheet: &str, cells: u64, limits: &Limits) -> InputError {
    InputError::TooManyCells {
        file: file.to_string(),
        sheet: Some(sheet.to_owned()),
        cells,
        limit: limits.max_cells,
    }
}

/// Collects a sheet's non-empty cells from a streaming reader, refusing the
/// sheet as soon as its declared size, its cell count or its used rectangle
/// passes the limit: the grid calamine would build is never allocated.
fn stream_cells<'a>(
    file: &Arc<str>,
    sheet_name: &str,
    declared: u64,
    limits: &Limits,
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, String>,
) -> Result<Range<Data>, InputError> {
    if declared > limits.max_cells {
        return Err(too_many(file, sheet_name, declared, limits));
    }
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
    loop {
        let cell = match next() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                return Err(InputError::Unreadable {
                    file: file.to_string(),
                    reason: format!("sheet '{sheet_name}': {e}"),
                });
            }
        };
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        (r0, r1, c0, c1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
        let area = u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1));
        if area > limits.max_cells {
            return Err(too_many(file, sheet_name, area, limits));
        }
        cells.push(Cell::new((r, c), Data::from(cell.get_value().clone())));
    }
    Ok(Range::from_sparse(cells))
}

/// Whether any worksheet part of an xlsx holds `needle`, read as a stream
/// (inflating is far cheaper than parsing the XML). True when the zip
/// cannot be read, so that nothing is skipped on a doubt.
fn sheets_mention(path: &Path, needle: &[u8]) -> bool {
    let Ok(f) = File::open(path) else {
        return true;
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return true;
    };
    let finder = memchr::memmem::Finder::new(needle);
    let mut buf = vec![0u8; 1 << 16];
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            return true;
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !name.starts_with("xl/worksheets/") || !name.ends_with(".xml") {
            continue;
        }
        // Keep the last bytes of each chunk so a needle across two is found.
        let keep = needle.len().saturating_sub(1);
        let mut filled = 0usize;
        loop {
            let n = match entry.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return true,
            };
            let end = filled + n;
            if finder.find(&buf[..end]).is_some() {
                return true;
            }
            let tail = end.min(keep);
            buf.copy_within(end - tail..end, 0);
            filled = tail;
        }
    }
    false
}

/// Whether the file is an xlsb whose sheets hold merged cells (a
/// BrtMergeCell record, id 176). calamine does not report xlsb merges, so
/// their covered cells would read blank; the caller warns.
pub fn xlsb_has_merges(path: &Path) -> bool {
    let mut head = [0u8; 8];
    let is_zip = File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .is_ok_and(|n| sniff(&head[..n]) == Container::Zip);
    if !is_zip || zip_kind(path) != Some("xlsb") {
        return false;
    }
    let Ok(f) = File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return false;
    };
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if name.starts_with("xl/worksheets/")
            && name.ends_with(".bin")
            && has_record(BufReader::new(entry), 176)
        {
            return true;
        }
    }
    false
}

/// Walks BIFF12 records (a 7-bit varint id of up to 2 bytes, a varint size
/// of up to 4) looking for one with id `wanted`.
fn has_record(mut r: impl Read, wanted: u32) -> bool {
    let mut byte = [0u8; 1];
    let mut varint = |r: &mut dyn Read, max: usize| -> Option<u32> {
        let mut v = 0u32;
        for i in 0..max {
            r.read_exact(&mut byte).ok()?;
            v |= u32::from(byte[0] & 0x7F) << (7 * i);
            if byte[0] & 0x80 == 0 {
                return Some(v);
            }
        }
        Some(v)
    };
    loop {
        // The id keeps its continuation bits in the format; compare raw.
        let mut id_bytes = [0u8; 2];
        if r.read_exact(&mut id_bytes[..1]).is_err() {
            return false;
        }
        let id = if id_bytes[0] & 0x80 != 0 {
            if r.read_exact(&mut id_bytes[1..]).is_err() {
                return false;
            }
            u32::from(id_bytes[0] & 0x7F) | (u32::from(id_bytes[1] & 0x7F) << 7)
        } else {
            u32::from(id_bytes[0])
        };
        if id == wanted {
            return true;
        }
        let Some(size) = varint(&mut r, 4) else {
            return false;
        };
        if std::io::copy(&mut (&mut r).take(u64::from(size)), &mut std::io::sink()).is_err() {
            return false;
        }
    }
}

/// Refuses a zip whose parts declare more than the expansion limit.
fn check_expansion(path: &Path, file: &Arc<str>, limits: &Limits) -> Result<(), InputError> {
    let Ok(f) = File::open(path) else {
        return Ok(()); // calamine reports it
    };
    let Ok(zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return Ok(()); // a damaged zip: calamine says how
    };
    match zip.decompressed_size() {
        Some(size) if size > u128::from(limits.max_expanded) => Err(InputError::Expands {
            file: file.to_string(),
            size: u64::try_from(size).unwrap_or(u64::MAX),
            limit: limits.max_expanded,
        }),
        _ => Ok(()),
    }
}

/// Refuses a zip whose large XML parts hold a text, a cell or a count of
/// cells the reader would have to buffer whole (see [`super::zipscan`]).
fn scan_parts(path: &Path, file: &Arc<str>, limits: &Limits) -> Result<(), InputError> {
    use super::zipscan::{self, Refusal};
    let Ok(f) = File::open(path) else {
        return Ok(()); // calamine reports it
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return Ok(()); // a damaged zip: calamine says how
    };
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            continue;
        };
        let part = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !zipscan::wanted(&part, entry.size()) {
            continue;
        }
        match zipscan::scan(entry, limits.max_cells) {
            Ok(()) => {}
            Err(Refusal::TooMany {
                what: "cells",
                count,
            }) => {
                return Err(InputError::TooManyCells {
                    file: file.to_string(),
                    sheet: Some(part),
                    cells: count.saturating_add(1),
                    limit: limits.max_cells,
                });
            }
            Err(why) => {
                return Err(InputError::Unreadable {
                    file: file.to_string(),
                    reason: format!("its part {part} is damaged or crafted: {why}"),
                });
            }
        }
    }
    Ok(())
}

/// Turns a reader's error text into the error HR should see: encryption
/// is named as such, whatever symptom the reader reported.
fn classify(path: &Path, file: &Arc<str>, container: Container, reason: String) -> InputError {
    let lower = reason.to_ascii_lowercase();
    if let Some(rest) = lower.split("cell limit exceeded (").nth(1) {
        // calamine's own ods guard: "Cell limit exceeded (N cells requested, max M)".
        let number = |t: &str| -> u64 {
            t.chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap_or(0)
        };
        let (cells, max) = rest.split_once("max").unwrap_or((rest, ""));
        return InputError::TooManyCells {
            file: file.to_string(),
            sheet: None,
            cells: number(cells),
            limit: number(max),
        };
    }
    let encrypted = lower.contains("password")
        || lower.contains("encrypt")
        || (container == Container::Cfb && xls_has_filepass(path));
    if encrypted {
        InputError::Encrypted {
            file: file.to_string(),
        }
    } else {
        InputError::Unreadable {
            file: file.to_string(),
            reason,
        }
    }
}

/// Whether an xls file's workbook stream starts with a BOF record followed
/// by FILEPASS (0x002F), which marks RC4 encryption or XOR obfuscation.
/// calamine reports XOR-obfuscated files as a codepage error, so the record
/// is looked for directly. Called only after calamine failed.
fn xls_has_filepass(path: &Path) -> bool {
    let mut bytes = Vec::new();
    let Ok(f) = File::open(path) else {
        return false;
    };
    // The globals BOF sits in the first sectors; 1 MB is ample.
    if f.take(1 << 20).read_to_end(&mut bytes).is_err() {
        return false;
    }
    // BOF: id 0x0809, payload 16 bytes (BIFF8) or 8 bytes (BIFF5), type
    // 0x0005 (workbook globals).
    bytes.windows(8).enumerate().any(|(i, w)| {
        let next = match w {
            [0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00] => i + 4 + 16,
            [0x09, 0x08, 0x08, 0x00, _, 0x05, 0x05, 0x00] => i + 4 + 8,
            _ => return false,
        };
        bytes.get(next..next + 2) == Some(&[0x2F, 0x00])
    })
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// A CSV file as one sheet named after the file. UTF-8 (with or without a
/// byte-order mark), UTF-16 with a byte-order mark, or else GB18030 (what
/// Excel on Chinese Windows saves); comma, semicolon or tab delimited.
fn read_csv(path: &Path, file: &Arc<str>, limits: &Limits) -> Result<SheetData, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::Unreadable {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    let text = decode_text(&bytes);
    drop(bytes);
    let delimiter = sniff_delimiter(&text);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("csv");
    // Two passes: the first finds the used rectangle (and applies the
    // limit), the second fills the grid in place, so the cells are never
    // held twice (a list, then the grid built from it).
    let mut bounds: Option<((u32, u32), (u32, u32))> = None;
    let mut width = 0u64;
    for_each_csv_field(
        &text,
        delimiter,
        file,
        |row, col, _| {
            let ((r0, c0), (r1, c1)) = bounds.unwrap_or(((row, col), (row, col)));
            bounds = Some(((r0.min(row), c0.min(col)), (r1.max(row), c1.max(col))));
            Ok(())
        },
        |row, len| {
            width = width.max(len as u64);
            let area = u64::from(row).saturating_add(1).saturating_mul(width);
            if area > limits.max_cells {
                return Err(too_many(file, stem, area, limits));
            }
            Ok(())
        },
    )?;
    let range = match bounds {
        None => Range::empty(),
        Some((start, end)) => {
            let mut range = Range::new(start, end);
            for_each_csv_field(
                &text,
                delimiter,
                file,
                |row, col, field| {
                    range.set_value((row, col), Data::String(field.to_owned()));
                    Ok(())
                },
                |_, _| Ok(()),
            )?;
            range
        }
    };
    Ok(SheetData {
        file: Arc::clone(file),
        sheet: Arc::from(stem),
        range,
        meta: SheetMeta::default(),
        merges: Vec::new(),
    })
}

/// Calls `field` for every non-blank CSV field (row, column, text) and
/// `row_done` after each record (row, its number of fields).
fn for_each_csv_field(
    text: &str,
    delimiter: u8,
    file: &Arc<str>,
    mut field: impl FnMut(u32, u32, &str) -> Result<(), InputError>,
    mut row_done: impl FnMut(u32, usize) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut row = 0u32;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                return Err(InputError::Unreadable {
                    file: file.to_string(),
                    reason: format!("row {}: {e}", u64::from(row) + 1),
                });
            }
        }
        for (col, text) in record.iter().enumerate() {
            if !text.trim().is_empty() {
                field(row, u32::try_from(col).unwrap_or(u32::MAX), text)?;
            }
        }
        row_done(row, record.len())?;
        row = row.saturating_add(1);
    }
}

/// The delimiter of a CSV text: of comma, semicolon and tab, the one found
/// on most of the first 30 lines (a title line above the header has none),
/// then the one used most often; comma on a tie.
fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().take(30).collect();
    [b',', b';', b'\t']
        .into_iter()
        .map(|d| {
            let on = lines.iter().filter(|l| l.contains(d as char)).count();
            let total: usize = lines.iter().map(|l| l.matches(d as char).count()).sum();
            (d, on, total)
        })
        .fold((b',', 0, 0), |best, cand| {
            if (cand.1, cand.2) > (best.1, best.2) {
                cand
            } else {
                best
            }
        })
        .0
}

/// UTF-8 (a byte-order mark dropped), UTF-16 by its byte-order mark, else
/// GB18030.
fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, _) = enc.decode(bytes);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            text.into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_utf16_and_gb18030() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFStaff ID,Name"), "Staff ID,Name");
        let (gbk, _, _) = encoding_rs::GB18030.encode("工号,姓名");
        assert_eq!(decode_text(&gbk), "工号,姓名");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "工号\t姓名".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16), "工号\t姓名");
    }

    #[test]
    fn delimiter_is_found_under_a_title_line() {
        // Regression: the first line alone was used, and a title line with
        // no delimiter picked tab for a comma-separated file.
        assert_eq!(
            sniff_delimiter("Sales October 2026\nStaff ID,Sales\nS1,5\n"),
            b','
        );
        assert_eq!(sniff_delimiter("Staff ID;Sales\nS1;1,5\n"), b';');
        assert_eq!(sniff_delimiter("工号\t销售额\nS1\t1,500\n"), b'\t');
        assert_eq!(sniff_delimiter(""), b',');
    }

    #[test]
    fn xlsb_merge_records_are_found() {
        // BrtRowHdr-like record (id 0, 3 bytes), then BrtMergeCell (id 176
        // as the varint B0 01, 16 bytes of RfX).
        let mut with = vec![0x00, 0x03, 1, 2, 3, 0xB0, 0x01, 0x10];
        with.extend([0u8; 16]);
        assert!(has_record(&with[..], 176));
        let without = [0x00, 0x03, 1, 2, 3, 0x81, 0x01, 0x00];
        assert!(!has_record(&without[..], 176));
        assert!(!has_record(&[0xB0][..], 176));
    }

    #[test]
    fn containers_are_recognised_by_their_first_bytes() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Container::Zip);
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Container::Cfb
        );
        assert_eq!(sniff(b"\xEF\xBB\xBF  <HTML><body>"), Container::Html);
        assert_eq!(sniff(b"<?xml version"), Container::Other);
        assert_eq!(sniff(b"Staff ID,Name"), Container::Text);
        assert_eq!(
            sniff(b"\xB9\xA4\xBA\xC5\t\xD0\xD5\xC3\xFB\r\n"),
            Container::Text
        );
        assert_eq!(sniff(b"\x00\x01\x02garbage"), Container::Other);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>"),
            Container::Xml2003
        );
    }
}
