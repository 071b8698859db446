//! What a sheet says about its cells beyond their values: formulas that
//! have no saved value, hidden (or filtered) rows. Filled by each reader
//! (xlsx here; ods in [`super::ods`]; xls in [`super::cfb`]) and read by
//! [`super::table`]. New per-sheet facts (merged ranges, ...) belong here.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Per-sheet facts, positions zero-based and absolute (as calamine's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetMeta {
    /// Formula cells with no saved value: position -> formula text (empty
    /// when the file does not give it, and past the first
    /// [`FORMULA_TEXTS`], so a crafted sheet of millions costs little).
    /// Sorted by position.
    pub unsaved_formulas: Vec<((u32, u32), String)>,
    /// Hidden or filtered rows, sorted.
    pub hidden_rows: Vec<u32>,
}

/// Formula texts kept per sheet; further unsaved formulas keep only their
/// position (the message then says "a formula").
pub const FORMULA_TEXTS: usize = 1_000;
/// The longest formula text kept.
const FORMULA_CHARS: usize = 200;

impl SheetMeta {
    /// The formula of a cell that has no saved value.
    pub fn unsaved_formula(&self, pos: (u32, u32)) -> Option<&str> {
        self.unsaved_formulas
            .binary_search_by_key(&pos, |(p, _)| *p)
            .ok()
            .map(|i| self.unsaved_formulas[i].1.as_str())
    }

    /// Whether a row is hidden or filtered out.
    pub fn is_hidden(&self, row: u32) -> bool {
        self.hidden_rows.binary_search(&row).is_ok()
    }

    pub(crate) fn finish(&mut self) {
        self.unsaved_formulas.sort_by_key(|(p, _)| *p);
        self.unsaved_formulas.dedup_by_key(|(p, _)| *p);
        self.hidden_rows.sort_unstable();
        self.hidden_rows.dedup();
    }
}

/// The worksheet parts of an xlsx/xlsm, by sheet name (workbook.xml and
/// its relationships). Empty when they cannot be read: calamine reports
/// the damage.
pub fn xlsx_sheet_parts<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let workbook = office_document(zip).unwrap_or_else(|| "xl/workbook.xml".to_owned());
    let (dir, file) = match workbook.rfind('/') {
        Some(i) => (&workbook[..=i], &workbook[i + 1..]),
        None => ("", workbook.as_str()),
    };
    let rels_path = format!("{dir}_rels/{file}.rels");
    let mut targets: HashMap<String, String> = HashMap::new();
    each_element(zip, &rels_path, |e| {
        if e.local_name().into_inner() == "Relationship"
            && let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target"))
        {
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_owned(),
                None => format!("{dir}{target}"),
            };
            targets.insert(id, path);
        }
    });
    each_element(zip, &workbook, |e| {
        if e.local_name().into_inner() == "sheet"
            && let (Some(name), Some(id)) = (attr(e, "name"), attr(e, "id"))
            && let Some(path) = targets.get(&id)
        {
            out.insert(name, path.clone());
        }
    });
    out
}

fn office_document<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Option<String> {
    let mut found = None;
    each_element(zip, "_rels/.rels", |e| {
        if e.local_name().into_inner() == "Relationship"
            && attr(e, "Type").is_some_and(|t| t.ends_with("/officeDocument"))
        {
            found = attr(e, "Target").map(|t| t.trim_start_matches('/').to_owned());
        }
    });
    found
}

/// Calls `f` on every start or empty element of a small XML part.
fn each_element<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    path: &str,
    mut f: impl FnMut(&BytesStart<'_>),
) {
    let Ok(part) = zip.by_name(path) else {
        return;
    };
    let mut xml = Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
}

/// An attribute's value by local name (namespace prefix ignored).
pub(crate) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// One pass over an xlsx worksheet part: hidden rows and formula cells
/// without a saved value (`<c><f>..</f></c>` with no `<v>`). Shared
/// formulas are expanded from their anchor cell. None when the part cannot
/// be read (calamine reports why).
pub fn scan_xlsx_sheet<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    path: &str,
) -> Option<SheetMeta> {
    // Most sheets have neither: a byte search, cheaper than parsing, first.
    if !has_markers(zip.by_name(path).ok()?) {
        return Some(SheetMeta::default());
    }
    let part = zip.by_name(path).ok()?;
    scan_sheet_xml(BufReader::new(part))
}

/// Whether an XML part may hold a formula (`<f`, `<x:f` followed by `>`,
/// a space or `/`) or a `hidden=` attribute. A false alarm only costs the
/// full scan.
fn has_markers<R: Read>(mut part: R) -> bool {
    let finders = Markers::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut chunk: Vec<u8> = Vec::with_capacity(buf.len() + 16);
    loop {
        let n = match part.read(&mut buf) {
            Ok(0) => return false,
            Ok(n) => n,
            // Unreadable: let the full scan (and calamine) say so.
            Err(_) => return true,
        };
        // The previous chunk's last bytes, so a marker split across two
        // reads is still found.
        let keep = chunk.len().saturating_sub(8);
        chunk.drain(..keep);
        chunk.extend_from_slice(&buf[..n]);
        if finders.found_in(&chunk) {
            return true;
        }
    }
}

/// The byte patterns of [`has_markers`].
struct Markers {
    open_f: memchr::memmem::Finder<'static>,
    prefixed_f: memchr::memmem::Finder<'static>,
    hidden: memchr::memmem::Finder<'static>,
}

impl Markers {
    fn new() -> Markers {
        Markers {
            open_f: memchr::memmem::Finder::new(b"<f"),
            prefixed_f: memchr::memmem::Finder::new(b":f"),
            hidden: memchr::memmem::Finder::new(b"hidden="),
        }
    }

    fn found_in(&self, bytes: &[u8]) -> bool {
        // `<f` or `:f` followed by `>`, a space or `/`: a formula element.
        let element = |finder: &memchr::memmem::Finder<'_>| {
            finder.find_iter(bytes).any(|at| {
                bytes
                    .get(at + 2)
                    .is_none_or(|b| matches!(b, b'>' | b' ' | b'/'))
            })
        };
        self.hidden.find(bytes).is_some() || element(&self.open_f) || element(&self.prefixed_f)
    }
}

#[cfg(test)]
fn marker_in(bytes: &[u8]) -> bool {
    Markers::new().found_in(bytes)
}

/// A sheet part's hidden rows and formula cells with no saved value, in one
/// streaming pass.
/// Long on purpose: one pass over the XML events, whose state (row, cell,
/// formula, shared-formula anchors) every arm shares; a state machine.
fn scan_sheet_xml<B: BufRead>(input: B) -> Option<SheetMeta> {
    let mut xml = Reader::from_reader(input);
    let mut meta = SheetMeta::default();
    let mut buf = Vec::new();
    let (mut row, mut col) = (0u32, 0u32);
    // The cell being read: position, has a value, formula text, shared
    // formula (index, is the anchor with its range start).
    let mut cell: Option<((u32, u32), bool, Option<String>)> = None;
    let mut shared: Option<(usize, bool)> = None;
    let mut anchors: HashMap<usize, (String, (u32, u32))> = HashMap::new();
    let mut in_formula = false;
    let mut in_value = false;
    let mut text_result = false;
    loop {
        let event = xml.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().into_inner() {
                    "row" => {
                        let mut hidden = false;
                        for a in e.attributes().flatten() {
                            match a.key.local_name().into_inner() {
                                "r" => {
                                    if let Ok(r) = a.value.parse::<u32>() {
                                        row = r.saturating_sub(1);
                                    }
                                }
                                "hidden" => hidden = matches!(&*a.value, "1" | "true"),
                                _ => {}
                            }
                        }
                        col = 0;
                        if hidden {
                            meta.hidden_rows.push(row);
                        }
                        if empty {
                            row = row.saturating_add(1);
                        }
                    }
                    "c" => {
                        // Attributes read in place: this runs for every cell.
                        let mut pos = (row, col);
                        text_result = false;
                        for a in e.attributes().flatten() {
                            match a.key.local_name().into_inner() {
                                "r" => {
                                    if let Some(p) = position(&a.value) {
                                        pos = p;
                                    }
                                }
                                "t" => text_result = &*a.value == "str",
                                _ => {}
                            }
                        }
                        col = pos.1.saturating_add(1);
                        shared = None;
                        if !empty {
                            cell = Some((pos, false, None));
                        }
                    }
                    // An inline string is a value; `<v>` is one when it has
                    // text, or when the formula's result is a string (an
                    // empty `<v/>` of a `t="str"` cell is the text "").
                    "is" => {
                        if let Some(c) = cell.as_mut() {
                            c.1 = true;
                        }
                    }
                    "v" => {
                        if let Some(c) = cell.as_mut()
                            && text_result
                        {
                            c.1 = true;
                        }
                        in_value = !empty;
                    }
                    "f" => {
                        if let Some(c) = cell.as_mut() {
                            c.2 = Some(String::new());
                            if attr(e, "t").as_deref() == Some("shared")
                                && let Some(si) = attr(e, "si").and_then(|s| s.parse().ok())
                            {
                                shared = Some((si, attr(e, "ref").is_some()));
                            }
                        }
                        in_formula = !empty;
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_value => {
                if let Some(c) = cell.as_mut()
                    && !t.xml10_content().trim().is_empty()
                {
                    c.1 = true;
                }
            }
            Event::Text(t) if in_formula => {
                if let Some(Some(f)) = cell.as_mut().map(|c| c.2.as_mut())
                    && f.len() < 4 * FORMULA_CHARS
                {
                    f.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_formula => {
                if let Some(Some(f)) = cell.as_mut().map(|c| c.2.as_mut()) {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => f.push(c),
                        _ => f.push_str(match r.as_ref() {
                            "lt" => "<",
                            "gt" => ">",
                            "amp" => "&",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "",
                        }),
                    }
                }
            }
            Event::End(e) => match e.local_name().into_inner() {
                "f" => in_formula = false,
                "v" => in_value = false,
                "row" => {
                    row = row.saturating_add(1);
                    col = 0;
                }
                "c" => {
                    if let Some((pos, valued, Some(mut formula))) = cell.take() {
                        if let Some((si, anchor)) = shared {
                            if anchor {
                                anchors.insert(si, (formula.clone(), pos));
                            } else if formula.is_empty()
                                && let Some((text, from)) = anchors.get(&si)
                            {
                                formula = calamine::expand_shared_formula(text, *from, pos)
                                    .unwrap_or_else(|_| text.clone());
                            }
                        }
                        if !valued {
                            if meta.unsaved_formulas.len() >= FORMULA_TEXTS {
                                formula = String::new();
                            } else if formula.chars().count() > FORMULA_CHARS {
                                formula =
                                    formula.chars().take(FORMULA_CHARS).collect::<String>() + "…";
                            }
                            meta.unsaved_formulas.push((pos, formula));
                        }
                    }
                    shared = None;
                }
                "sheetData" => break,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    meta.finish();
    Some(meta)
}

/// `C3` -> (2, 2).
fn position(a1: &str) -> Option<(u32, u32)> {
    let bytes = a1.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let row: u32 = a1.get(letters..)?.parse().ok()?;
    let mut col = 0u32;
    for b in &bytes[..letters] {
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A' + 1))?;
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_without_values_and_hidden_rows_are_found() {
        let xml = r#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c></row>
            <row r="2" hidden="1"><c r="A2"><v>1</v></c><c r="B2"><f>A2*2</f></c></row>
            <row r="3"><c r="A3"><f>1+1</f><v>2</v></c><c r="B3"><f t="shared" ref="B3:B5" si="0">A3&amp;"x"</f></c></row>
            <row r="4" hidden="true"><c r="B4"><f t="shared" si="0"/></c></row>
            <row r="5"><c r="C5" t="str"><f>""</f><v></v></c><c r="D5"><f>C5</f><v /></c><c r="E5"><f>1</f><v>1</v></c></row>
        </sheetData></worksheet>"#;
        let meta = scan_sheet_xml(xml.as_bytes()).unwrap();
        assert_eq!(meta.hidden_rows, [1, 3]);
        assert_eq!(
            meta.unsaved_formulas,
            [
                ((1, 1), "A2*2".to_owned()),
                ((2, 1), "A3&\"x\"".to_owned()),
                ((3, 1), "A4&\"x\"".to_owned()),
                ((4, 3), "C5".to_owned()),
            ]
        );
        assert_eq!(meta.unsaved_formula((1, 1)), Some("A2*2"));
        assert!(meta.is_hidden(3) && !meta.is_hidden(2));
    }

    #[test]
    fn markers_are_found_even_across_reads() {
        assert!(marker_in(b"<c r=\"B2\"><f>A2*2</f></c>"));
        assert!(marker_in(b"<x:c><x:f t=\"shared\"/></x:c>"));
        assert!(marker_in(b"<row r=\"2\" hidden=\"1\">"));
        assert!(!marker_in(b"<c r=\"A1\" t=\"s\"><v>0</v></c><font/>"));
        // A reader that hands out three bytes at a time splits every marker.
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(3).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        assert!(has_markers(Slow(
            b"<row r=\"1\"><c><v>1</v></c></row><row hidden=\"1\"/>"
        )));
        assert!(has_markers(Slow(b"<c r=\"B2\"><f>A2</f></c>")));
        assert!(!has_markers(Slow(b"<c r=\"B2\"><v>2</v></c>")));
    }

    #[test]
    fn cell_references() {
        assert_eq!(position("A1"), Some((0, 0)));
        assert_eq!(position("AA10"), Some((9, 26)));
        assert_eq!(position("A0"), None);
    }
}
