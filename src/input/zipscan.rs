//! A byte-level pass over the large XML parts of a zip workbook before the
//! reader parses them, so a crafted part cannot make the reader buffer
//! gigabytes.
//!
//! The reader holds in memory one XML event at a time (a text or a tag),
//! one cell's text, and the whole shared-string table. A zip bomb honest
//! about its sizes stays under the declared-size limit and still inflates
//! to one 2 GB string; the zip crate already stops a part at its declared
//! size, so only parts that declare more than [`SCAN_FROM`] bytes can do
//! harm, and only those are scanned (inflating them once more, in a
//! streaming buffer). The scan refuses a part with a run of text or a tag
//! longer than [`MAX_RUN`], a cell or shared string longer than
//! [`MAX_CELL`], or more cells or shared strings than the cell limit.

use std::io::Read;

/// Parts declaring fewer inflated bytes than this are not scanned: the
/// zip crate stops them at their declared size, and at most this much
/// text costs the reader a few times this much memory.
pub const SCAN_FROM: u64 = 32 * 1024 * 1024;
/// The longest run of bytes between `<` and `>` accepted. Excel's longest
/// cell is 32,767 characters (under 200 KB as escaped UTF-8).
pub const MAX_RUN: u64 = 4 * 1024 * 1024;
/// The most bytes one cell (`<c>`, `<is>`) or shared string (`<si>`) may
/// span, rich-text markup included.
pub const MAX_CELL: u64 = 16 * 1024 * 1024;

/// Why a part was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A text, tag or cell longer than its limit (`what`, bytes seen).
    TooLong { what: &'static str, bytes: u64 },
    /// More cells or shared strings than the limit.
    TooMany { what: &'static str, count: u64 },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooLong { what, bytes } => write!(
                f,
                "it holds {what} of more than {bytes} bytes, far beyond Excel's 32,767 characters per cell"
            ),
            Refusal::TooMany { what, count } => write!(f, "it holds more than {count} {what}"),
        }
    }
}

/// The scanner's state, fed the part in chunks.
#[derive(Debug, Default)]
struct Scan {
    /// Bytes since the last `<` or `>`.
    run: u64,
    /// Inside a tag: its name so far (up to 8 bytes), and whether the name
    /// has ended (at a space, `/` after the name, or `>`).
    in_tag: bool,
    name: Vec<u8>,
    name_done: bool,
    /// The tag's last byte before `>` (for `/>`).
    last: u8,
    /// Bytes into the current cell or shared string, when inside one.
    cell: Option<u64>,
    cells: u64,
    strings: u64,
}

impl Scan {
    fn feed(&mut self, chunk: &[u8], max_count: u64) -> Result<(), Refusal> {
        for &b in chunk {
            if let Some(n) = self.cell.as_mut() {
                *n += 1;
                if *n > MAX_CELL {
                    return Err(Refusal::TooLong {
                        what: "one cell",
                        bytes: MAX_CELL,
                    });
                }
            }
            match b {
                b'<' => {
                    self.run = 0;
                    self.in_tag = true;
                    self.name.clear();
                    self.name_done = false;
                }
                b'>' => {
                    self.run = 0;
                    if self.in_tag {
                        self.in_tag = false;
                        let empty = self.last == b'/';
                        self.tag(empty, max_count)?;
                    }
                }
                _ => {
                    self.run += 1;
                    if self.run > MAX_RUN {
                        return Err(Refusal::TooLong {
                            what: "one text",
                            bytes: MAX_RUN,
                        });
                    }
                    if self.in_tag && !self.name_done {
                        if b.is_ascii_whitespace() || (b == b'/' && !self.name.is_empty()) {
                            self.name_done = true;
                        } else if self.name.len() < 8 {
                            self.name.push(b);
                        }
                    }
                }
            }
            self.last = b;
        }
        Ok(())
    }

    /// A tag has closed: count cells and strings, track where they end.
    fn tag(&mut self, empty: bool, max_count: u64) -> Result<(), Refusal> {
        // The local name, without a namespace prefix (`x:c`).
        let name = self.name.rsplit(|&b| b == b':').next().unwrap_or_default();
        let name = match self.name.first() {
            Some(b'/') => {
                let end = name.strip_prefix(b"/").unwrap_or(name);
                if matches!(end, b"c" | b"si") {
                    self.cell = None;
                }
                return Ok(());
            }
            _ => name,
        };
        if empty {
            return Ok(());
        }
        match name {
            b"c" => {
                self.cells += 1;
                self.cell = Some(0);
                if self.cells > max_count {
                    return Err(Refusal::TooMany {
                        what: "cells",
                        count: max_count,
                    });
                }
            }
            b"si" => {
                self.strings += 1;
                self.cell = Some(0);
                if self.strings > max_count {
                    return Err(Refusal::TooMany {
                        what: "shared strings",
                        count: max_count,
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Scans one part read from `reader` (bounded by the zip crate at its
/// declared size). `Ok(())` also when the part cannot be read: the reader
/// then reports the damage in its own words.
pub fn scan(mut reader: impl Read, max_count: u64) -> Result<(), Refusal> {
    let mut state = Scan::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => return Ok(()),
            Ok(n) => state.feed(&buf[..n], max_count)?,
        }
    }
}

/// Whether a part is scanned: the XML parts the readers parse, when they
/// declare more than [`SCAN_FROM`] bytes.
pub fn wanted(name: &str, declared: u64) -> bool {
    declared > SCAN_FROM && name.to_ascii_lowercase().ends_with(".xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, max: u64) -> Result<(), Refusal> {
        scan(text.as_bytes(), max)
    }

    #[test]
    fn counts_cells_and_strings_with_content() {
        let sheet = r#"<sheetData><row r="1"><c r="A1" s="1"/><c r="B1"><v>1</v></c><x:c><x:v>2</x:v></x:c></row></sheetData>"#;
        assert_eq!(run(sheet, 2), Ok(()));
        assert_eq!(
            run(sheet, 1),
            Err(Refusal::TooMany {
                what: "cells",
                count: 1
            })
        );
        let sst = "<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>";
        assert_eq!(run(sst, 2), Ok(()));
        assert!(matches!(
            run(sst, 1),
            Err(Refusal::TooMany {
                what: "shared strings",
                ..
            })
        ));
        // <cols>, <col>, <cfRule>: not cells.
        assert_eq!(
            run("<cols><col min=\"1\"/></cols><cfRule></cfRule>", 0),
            Ok(())
        );
    }

    #[test]
    fn refuses_a_text_longer_than_any_cell() {
        let long = format!(
            "<c><is><t>{}</t></is></c>",
            "A".repeat(MAX_RUN as usize + 1)
        );
        assert!(matches!(
            run(&long, 10),
            Err(Refusal::TooLong {
                what: "one text",
                ..
            })
        ));
        let fits = format!("<c><is><t>{}</t></is></c>", "A".repeat(32_767 * 4));
        assert_eq!(run(&fits, 10), Ok(()));
    }

    #[test]
    fn refuses_a_cell_of_countless_rich_text_runs() {
        // Short runs, but one cell: the reader would join them all.
        let mut cell = String::from("<si>");
        while cell.len() as u64 <= MAX_CELL {
            cell.push_str("<r><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></r>");
        }
        cell.push_str("</si>");
        assert!(matches!(
            run(&cell, 10),
            Err(Refusal::TooLong {
                what: "one cell",
                ..
            })
        ));
        // The same bytes spread over many cells are fine.
        let many = "<si><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></si>".repeat(1000);
        assert_eq!(run(&many, 1000), Ok(()));
    }
}
