//! The extent of each table of an ODS file, measured before calamine opens
//! it. calamine loads every sheet while opening an ODS and expands repeated
//! rows and cells (`table:number-rows-repeated`) up to its own limit of 100
//! million cells, several GB; a 1 KB file can ask for that much. Here
//! `content.xml` is streamed once, counting rows and columns up to the last
//! cell with a value, so the cell limit applies before anything is built.

use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

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
