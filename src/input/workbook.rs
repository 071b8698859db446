//! Files -> sheets of cells: spreadsheets through calamine, CSV through the
//! csv crate, both as a `calamine::Range` so later stages see one shape.

use std::path::Path;
use std::sync::Arc;

use calamine::{Cell, Data, Range, Reader, open_workbook_auto};

use super::InputError;

/// One sheet's cells, with where they came from.
#[derive(Debug)]
pub struct SheetData {
    /// The file name as shown in messages (relative to the input folder).
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub range: Range<Data>,
}

/// The kinds of file read; anything else in the folder is skipped.
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Reads every sheet of a workbook, or a CSV file as one sheet.
///
/// # Errors
/// [`InputError::Unreadable`] when the file cannot be opened or parsed,
/// [`InputError::Encrypted`] when it is password protected.
pub fn read_file(path: &Path, file: &Arc<str>) -> Result<Vec<SheetData>, InputError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if ext == "csv" {
        return read_csv(path, file).map(|s| vec![s]);
    }
    let unreadable = |reason: String| {
        if reason.to_ascii_lowercase().contains("password") || reason.contains("ncrypt") {
            InputError::Encrypted {
                file: file.to_string(),
            }
        } else {
            InputError::Unreadable {
                file: file.to_string(),
                reason,
            }
        }
    };
    let mut workbook = open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
    let names = workbook.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| unreadable(format!("sheet '{name}': {e}")))?;
        sheets.push(SheetData {
            file: Arc::clone(file),
            sheet: Arc::from(name.as_str()),
            range,
        });
    }
    Ok(sheets)
}

/// A CSV file as one sheet named after the file. UTF-8 (with or without a
/// byte-order mark) or, failing that, GB18030 (what Excel on Chinese Windows
/// saves); comma, semicolon or tab delimited, whichever the first line uses
/// most.
fn read_csv(path: &Path, file: &Arc<str>) -> Result<SheetData, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::Unreadable {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    let text = decode_text(&bytes);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.matches(*d as char).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut row = 0u32;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(InputError::Unreadable {
                    file: file.to_string(),
                    reason: format!("row {}: {e}", row + 1),
                });
            }
        }
        for (col, field) in record.iter().enumerate() {
            if !field.trim().is_empty() {
                cells.push(Cell::new((row, col as u32), Data::String(field.to_owned())));
            }
        }
        row += 1;
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("csv");
    Ok(SheetData {
        file: Arc::clone(file),
        sheet: Arc::from(stem),
        range: Range::from_sparse(cells),
    })
}

/// UTF-8 (a byte-order mark dropped), else GB18030.
fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
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
    fn decodes_utf8_bom_and_gb18030() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFStaff ID,Name"), "Staff ID,Name");
        let (gbk, _, _) = encoding_rs::GB18030.encode("工号,姓名");
        assert_eq!(decode_text(&gbk), "工号,姓名");
    }
}
