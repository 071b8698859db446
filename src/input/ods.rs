//! The extent of each table of an ODS file, measured before calamine opens
//! it. calamine loads every sheet while opening an ODS and expands repeated
//! rows and cells (`table:number-rows-repeated`) up to its own limit of 100
//! million cells, several GB; a 1 KB file can ask for that much. Here
//! `content.xml` is streamed once, counting rows and columns up to the last
//! cell with a value, so the cell limit applies before anything is built.

use std::io::{BufReader, Read, Seek};

use calamine::Data;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use rust_decimal::Decimal;

use super::formats::percent_text;
use super::meta::SheetMeta;

/// Each table's name and its extent (rows x columns up to its last value).
/// None when `content.xml` cannot be read (calamine then reports why).
pub fn extents<R: Read + Seek>(zip: R) -> Option<Vec<(String, u64)>> {
    let mut archive = zip::ZipArchive::new(zip).ok()?;
    let content = archive.by_name("content.xml").ok()?;
    let mut xml = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    // The table being read: name, rows so far, rows up to the last value,
    // widest row up to its last value.
    let mut table: Option<(String, u64, u64, u64)> = None;
    // The row being read: repeat count, columns so far, columns up to the
    // last value.
    let mut row: Option<(u64, u64, u64)> = None;
    loop {
        let event = xml.read_event_into(&mut buf).ok()?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.local_name().into_inner() {
                "table" if !empty => {
                    let name = attr(e, "name").unwrap_or_default();
                    table = Some((name, 0, 0, 0));
                }
                "table-row" => {
                    let repeat = number(e, "number-rows-repeated");
                    if empty {
                        if let Some(t) = table.as_mut() {
                            t.1 = t.1.saturating_add(repeat);
                        }
                    } else {
                        row = Some((repeat, 0, 0));
                    }
                }
                "table-cell" | "covered-table-cell" => {
                    let repeat = number(e, "number-columns-repeated");
                    // A cell with a value type, or with content inside.
                    let valued = attr(e, "value-type").is_some() || !empty;
                    if let Some(r) = row.as_mut() {
                        r.1 = r.1.saturating_add(repeat);
                        if valued {
                            r.2 = r.1;
                        }
                    }
                }
                _ => {}
            }
        }
        match event {
            Event::End(e) if e.local_name().into_inner() == "table-row" => {
                if let (Some((repeat, _, width)), Some(t)) = (row.take(), table.as_mut()) {
                    t.1 = t.1.saturating_add(repeat);
                    if width > 0 {
                        t.2 = t.1;
                        t.3 = t.3.max(width);
                    }
                }
            }
            Event::End(e) if e.local_name().into_inner() == "table" => {
                if let Some((name, _, rows, width)) = table.take() {
                    // calamine clamps a sheet to the xlsx grid, 2^20 x 2^14.
                    let cells = rows.min(1 << 20).saturating_mul(width.min(1 << 14));
                    out.push((name, cells));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

/// What an ODS sheet says beyond calamine's values, by table name: hidden
/// or filtered rows, formula cells with no saved value, and the cells
/// whose number format changes what they mean (see [`super::formats`]):
/// a `percentage` value (`0.88` shown as `88%`), or a whole number shown
/// padded with zeros (`1001` shown as `001001`, as the cell's text says).
/// None when `content.xml` cannot be read (calamine then reports why).
///
/// Long on purpose: one pass over the XML events, whose state (table, row,
/// repeated cell) every arm shares; a state machine.
pub fn sheet_meta<R: Read + Seek>(zip: R) -> Option<Vec<(String, SheetMeta, Overrides)>> {
    let mut archive = zip::ZipArchive::new(zip).ok()?;
    let content = archive.by_name("content.xml").ok()?;
    let mut xml = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut current: Option<(String, SheetMeta, Overrides)> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    // The cell being read: position, columns repeated, kind, its text.
    let mut cell: Option<((u32, u32), u32, CellKind, String)> = None;
    let mut in_text = false;
    loop {
        let event = xml.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().into_inner() {
                    "table" if !empty => {
                        let name = attr(e, "name").unwrap_or_default();
                        let meta = SheetMeta::default();
                        current = Some((name, meta, Vec::new()));
                        row = 0;
                    }
                    "table-row" => {
                        row_repeat =
                            u32::try_from(number(e, "number-rows-repeated")).unwrap_or(u32::MAX);
                        col = 0;
                        let hidden = attr(e, "visibility")
                            .is_some_and(|v| v == "collapsed" || v == "filter");
                        if hidden && let Some((_, meta, _)) = current.as_mut() {
                            // Repeated hidden rows are only counted where
                            // they hold data: bound the list.
                            let end = row.saturating_add(row_repeat).min(MAX_ROWS);
                            for r in row..end {
                                meta.hidden_rows.push(r);
                            }
                        }
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    "table-cell" | "covered-table-cell" => {
                        let repeat =
                            u32::try_from(number(e, "number-columns-repeated")).unwrap_or(u32::MAX);
                        let value_type = attr(e, "value-type");
                        let kind = match value_type.as_deref() {
                            None if attr(e, "formula").is_some() => {
                                CellKind::Unsaved(attr(e, "formula").unwrap_or_default())
                            }
                            Some("percentage") => match attr(e, "value") {
                                Some(v) => CellKind::Percent(v),
                                None => CellKind::Other,
                            },
                            Some("float") => match attr(e, "value") {
                                Some(v) => CellKind::Float(v),
                                None => CellKind::Other,
                            },
                            _ => CellKind::Other,
                        };
                        let pos = (row, col);
                        col = col.saturating_add(repeat);
                        if empty {
                            finish_cell(current.as_mut(), (pos, repeat, kind, String::new()));
                        } else {
                            cell = Some((pos, repeat, kind, String::new()));
                        }
                    }
                    "p" if cell.is_some() => {
                        if let Some(c) = cell.as_mut()
                            && !c.3.is_empty()
                        {
                            c.3.push('\n');
                        }
                        in_text = !empty;
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some(c) = cell.as_mut()
                    && c.3.len() < 64
                {
                    c.3.push_str(&t.xml10_content());
                }
            }
            Event::End(e) => match e.local_name().into_inner() {
                "p" => in_text = false,
                "table-cell" | "covered-table-cell" => {
                    if let Some(c) = cell.take() {
                        finish_cell(current.as_mut(), c);
                    }
                }
                "table-row" => {
                    row = row.saturating_add(row_repeat);
                    row_repeat = 1;
                }
                "table" => {
                    if let Some((name, mut meta, overrides)) = current.take() {
                        meta.finish();
                        out.push((name, meta, overrides));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

/// Cells whose value is what the program displays, not the stored number.
pub type Overrides = Vec<((u32, u32), Data)>;

#[derive(Debug)]
enum CellKind {
    /// A formula with no value type: no saved value.
    Unsaved(String),
    /// A percentage: its stored value.
    Percent(String),
    /// A number: its stored value (the text shows whether it is padded).
    Float(String),
    Other,
}

/// Rows past the largest sheet (2^20) hold no data calamine reads.
const MAX_ROWS: u32 = 1 << 20;

/// The most cells a repeated cell is expanded to for its metadata.
const MAX_REPEAT: u32 = 1024;

fn finish_cell(
    current: Option<&mut (String, SheetMeta, Overrides)>,
    (pos, repeat, kind, text): ((u32, u32), u32, CellKind, String),
) {
    let Some((_, meta, overrides)) = current else {
        return;
    };
    let cols = pos.1..pos.1.saturating_add(repeat.min(MAX_REPEAT));
    match kind {
        CellKind::Unsaved(formula) => {
            let formula = formula
                .strip_prefix("of:")
                .unwrap_or(&formula)
                .trim_start_matches('=')
                .to_owned();
            for c in cols {
                meta.unsaved_formulas
                    .push(((pos.0, c), format!("={formula}")));
            }
        }
        CellKind::Percent(v) => {
            if let Ok(value) = v.trim().parse::<Decimal>() {
                for c in cols {
                    overrides.push(((pos.0, c), Data::String(percent_text(value))));
                }
            }
        }
        CellKind::Float(v) => {
            // A whole number shown with leading zeros: the text it shows.
            let shown = text.trim();
            let padded = shown.len() > 1
                && shown.starts_with('0')
                && shown.bytes().all(|b| b.is_ascii_digit())
                && v.trim().parse::<Decimal>().ok().is_some_and(|d| {
                    shown.parse::<Decimal>().ok() == Some(d) && d.fract().is_zero()
                });
            if padded {
                for c in cols {
                    overrides.push(((pos.0, c), Data::String(shown.to_owned())));
                }
            }
        }
        CellKind::Other => {}
    }
}

/// The most merged regions an ODS file may declare: far beyond any
/// workbook HR makes, and a bound on what a crafted file can cost.
pub const MAX_MERGES: usize = 1_000_000;

/// Each table's name and its merged regions.
pub type Merges = Vec<(String, Vec<calamine::Dimensions>)>;

/// Each table's merged regions (`table:number-rows-spanned`,
/// `table:number-columns-spanned`), at absolute positions as calamine
/// places the cells. calamine does not report ODS merges; without them a
/// merged cell's covered cells would read blank. Empty when `content.xml`
/// cannot be read (calamine has then refused the file already).
///
/// Long on purpose: one pass over the XML events, whose state (table, row,
/// repeated columns) every arm shares; a state machine.
///
/// # Errors
/// The count, past [`MAX_MERGES`] merged regions (a crafted file).
pub fn merges<R: Read + Seek>(zip: R) -> Result<Merges, usize> {
    let Ok(mut archive) = zip::ZipArchive::new(zip) else {
        return Ok(Vec::new());
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(Vec::new());
    };
    let mut xml = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    // The table being read: name, its merges, the current row.
    let mut table: Option<(String, Vec<calamine::Dimensions>, u64)> = None;
    // The row being read: repeat count, current column.
    let mut row: Option<(u64, u64)> = None;
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let mut count = 0usize;
    loop {
        let Ok(event) = xml.read_event_into(&mut buf) else {
            return Ok(out);
        };
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.local_name().into_inner() {
                "table" if !empty => {
                    table = Some((attr(e, "name").unwrap_or_default(), Vec::new(), 0));
                }
                "table-row" => {
                    let repeat = number(e, "number-rows-repeated");
                    if empty {
                        if let Some(t) = table.as_mut() {
                            t.2 = t.2.saturating_add(repeat);
                        }
                    } else {
                        row = Some((repeat, 0));
                    }
                }
                name @ ("table-cell" | "covered-table-cell") => {
                    let repeat = number(e, "number-columns-repeated");
                    if let (Some(r), Some(t)) = (row.as_mut(), table.as_mut()) {
                        if name == "table-cell" {
                            let rows = number(e, "number-rows-spanned");
                            let cols = number(e, "number-columns-spanned");
                            if rows > 1 || cols > 1 {
                                count += 1;
                                if count > MAX_MERGES {
                                    return Err(count);
                                }
                                t.1.push(calamine::Dimensions {
                                    start: (clamp(t.2), clamp(r.1)),
                                    end: (
                                        clamp(t.2.saturating_add(rows - 1)),
                                        clamp(r.1.saturating_add(cols - 1)),
                                    ),
                                });
                            }
                        }
                        r.1 = r.1.saturating_add(repeat);
                    }
                }
                _ => {}
            }
        }
        match event {
            Event::End(e) if e.local_name().into_inner() == "table-row" => {
                if let (Some((repeat, _)), Some(t)) = (row.take(), table.as_mut()) {
                    t.2 = t.2.saturating_add(repeat);
                }
            }
            Event::End(e) if e.local_name().into_inner() == "table" => {
                if let Some((name, merges, _)) = table.take() {
                    out.push((name, merges));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == local)
        .map(|a| a.value.to_string())
}

fn number(e: &BytesStart<'_>, local: &str) -> u64 {
    attr(e, local)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    fn ods(content: &str) -> Cursor<Vec<u8>> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.set_position(0);
        out
    }

    #[test]
    fn merges_are_found_at_absolute_positions() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
            <table:table table:name="Staff">
              <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
              <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>East</text:p></table:table-cell></table:table-row>
              <table:table-row><table:table-cell/><table:table-cell table:number-columns-spanned="2"/><table:covered-table-cell/></table:table-row>
            </table:table>
        </office:spreadsheet></office:body></office:document-content>"#;
        let got = merges(ods(content)).unwrap();
        let dims = |start, end| calamine::Dimensions { start, end };
        assert_eq!(
            got,
            [(
                "Staff".to_owned(),
                vec![dims((2, 2), (4, 2)), dims((3, 1), (3, 2))]
            )]
        );
    }

    #[test]
    fn percentages_padded_numbers_unsaved_formulas_and_hidden_rows() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
            <table:table table:name="Results">
              <table:table-row><table:table-cell office:value-type="string"><text:p>Staff ID</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Satisfaction</text:p></table:table-cell></table:table-row>
              <table:table-row table:visibility="collapsed"><table:table-cell office:value-type="float" office:value="1001"><text:p>001001</text:p></table:table-cell><table:table-cell office:value-type="percentage" office:value="0.88"><text:p>88%</text:p></table:table-cell></table:table-row>
              <table:table-row table:visibility="filter"><table:table-cell office:value-type="float" office:value="1002"><text:p>1002</text:p></table:table-cell><table:table-cell table:formula="of:=[.A3]/100"/></table:table-row>
            </table:table>
        </office:spreadsheet></office:body></office:document-content>"#;
        let got = sheet_meta(ods(content)).unwrap();
        let (name, meta, overrides) = &got[0];
        assert_eq!(name, "Results");
        assert_eq!(meta.hidden_rows, [1, 2]);
        assert_eq!(meta.unsaved_formulas, [((2, 1), "=[.A3]/100".to_owned())]);
        assert_eq!(
            overrides,
            &[
                ((1, 0), Data::String("001001".into())),
                ((1, 1), Data::String("88%".into())),
            ]
        );
    }

    #[test]
    fn repeated_rows_and_cells_are_counted_up_to_the_last_value() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
            <table:table table:name="Staff">
              <table:table-row><table:table-cell office:value-type="string"><text:p>Staff ID</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="float" office:value="1"/><table:table-cell table:number-columns-repeated="16379"/></table:table-row>
              <table:table-row table:number-rows-repeated="9"><table:table-cell office:value-type="float" office:value="2"/></table:table-row>
              <table:table-row table:number-rows-repeated="1048565"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            </table:table>
            <table:table table:name="Bomb">
              <table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>
            </table:table>
        </office:spreadsheet></office:body></office:document-content>"#;
        let got = extents(ods(content)).unwrap();
        // Staff: 10 rows up to the last value x 5 columns up to the last value.
        assert_eq!(
            got,
            [
                ("Staff".to_owned(), 50),
                ("Bomb".to_owned(), 17_179_869_184)
            ]
        );
    }
}
