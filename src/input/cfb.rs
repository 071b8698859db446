//! Checks of an OLE compound file (the container of .xls files) before
//! calamine opens it, for two ways a small file can exhaust memory there:
//!
//! - calamine 0.38 follows sector chains without remembering where it has
//!   been: a damaged file whose chain loops back on itself (found by the
//!   robustness test: a 20 KB xls grew past 24 GB of memory) makes it read
//!   forever. [`check_chains`] reads the allocation tables the way calamine
//!   does and refuses any loop.
//! - calamine builds each xls sheet's whole grid while opening the file,
//!   sized by the cells' positions and the DIMENSIONS record: one cell at
//!   row 65,536, column 16,384 of a 6 KB file asks for ~34 GB and aborts
//!   the process (an allocation failure cannot be caught). [`xls_extents`]
//!   walks the BIFF records first and reports each sheet's extent, so the
//!   cell limit is applied before calamine allocates anything.
//!
//! Everything else (sizes, ids past the end) is left to calamine, which
//! reports it as an error.

/// Sector ids at or above this value are markers, not sectors.
const MAX_REGULAR: u32 = 0xFFFF_FFFA;

/// Why a compound file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged(pub &'static str);

/// Checks the FAT and mini-FAT of a compound file for loops.
///
/// # Errors
/// [`Damaged`] when a sector chain loops back on itself.
pub fn check_chains(bytes: &[u8]) -> Result<(), Damaged> {
    let Some(fat) = Fat::read(bytes) else {
        return Ok(()); // too short or not a compound file: calamine says so
    };
    if has_loop(&fat.fat) {
        return Err(Damaged("a sector chain loops back on itself"));
    }
    let start = bytes
        .get(..512)
        .and_then(|h| u32_at(h, 0x3C))
        .unwrap_or(u32::MAX);
    let minifat_bytes = fat.chain(start, usize::MAX);
    let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
        .filter_map(|i| u32_at(&minifat_bytes, 4 * i))
        .collect();
    if has_loop(&minifat) {
        return Err(Damaged("a mini-sector chain loops back on itself"));
    }
    Ok(())
}

/// The FAT of a compound file and its sector size (no loop check).
struct Fat<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    fat: Vec<u32>,
}

impl<'a> Fat<'a> {
    fn read(bytes: &'a [u8]) -> Option<Fat<'a>> {
        let header = bytes.get(..512)?;
        let sector_size = match u16::from_le_bytes([header[0x1E], header[0x1F]]) {
            9 => 512usize,
            12 => 4096,
            _ => return None,
        };
        let mut fat = Fat {
            bytes,
            sector_size,
            fat: Vec::new(),
        };
        let max_sectors = bytes.len() / sector_size + 1;
        let mut difat: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(header, 0x4C + 4 * i))
            .collect();
        let mut next = u32_at(header, 0x44).unwrap_or(u32::MAX);
        let mut hops = 0;
        while next < MAX_REGULAR && hops <= max_sectors {
            hops += 1;
            let Some(s) = fat.sector(next) else { break };
            let ids: Vec<u32> = (0..sector_size / 4)
                .filter_map(|i| u32_at(s, 4 * i))
                .collect();
            let (last, rest) = ids.split_last().unwrap_or((&u32::MAX, &[]));
            difat.extend_from_slice(rest);
            next = *last;
        }
        let mut table = Vec::new();
        for id in difat.into_iter().filter(|id| *id < MAX_REGULAR) {
            if let Some(s) = fat.sector(id) {
                table.extend((0..sector_size / 4).filter_map(|i| u32_at(s, 4 * i)));
            }
            if table.len() > max_sectors.saturating_mul(sector_size / 4) {
                break;
            }
        }
        fat.fat = table;
        Some(fat)
    }

    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize)
            .checked_add(1)?
            .checked_mul(self.sector_size)?;
        self.bytes.get(start..start.checked_add(self.sector_size)?)
    }

    /// The bytes of a chain, at most `len`; a bounded walk, loops or not.
    fn chain(&self, start: u32, len: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id < MAX_REGULAR && out.len() < len && hops <= self.fat.len() {
            hops += 1;
            let Some(s) = self.sector(id) else { break };
            out.extend_from_slice(&s[..s.len().min(len - out.len())]);
            id = self.fat.get(id as usize).copied().unwrap_or(u32::MAX);
        }
        out
    }
}

fn u32_at(buf: &[u8], at: usize) -> Option<u32> {
    buf.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn u16_at(buf: &[u8], at: usize) -> Option<u16> {
    buf.get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of a compound file.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let header = bytes.get(..512)?;
    let fat = Fat::read(bytes)?;
    let dirs = fat.chain(u32_at(header, 0x30)?, usize::MAX);
    let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
    let name_of = |e: &[u8]| -> String {
        let n = usize::from(u16_at(e, 0x40).unwrap_or(0)).min(64);
        let units: Vec<u16> = (0..n / 2)
            .filter_map(|i| u16_at(e, 2 * i))
            .take_while(|u| *u != 0)
            .collect();
        String::from_utf16_lossy(&units)
    };
    let entry = entries
        .iter()
        .find(|e| e[0x42] == 2 && matches!(name_of(e).as_str(), "Workbook" | "Book"))?;
    let start = u32_at(entry, 0x74)?;
    let size = u32_at(entry, 0x78)? as usize;
    let cutoff = u32_at(header, 0x38).unwrap_or(4096) as usize;
    if size >= cutoff {
        return Some(fat.chain(start, size));
    }
    // A small stream lives in the mini stream, in 64-byte mini sectors.
    let root = entries.first()?;
    let mini = fat.chain(u32_at(root, 0x74)?, u32_at(root, 0x78)? as usize);
    let minifat_bytes = fat.chain(u32_at(header, 0x3C)?, usize::MAX);
    let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
        .filter_map(|i| u32_at(&minifat_bytes, 4 * i))
        .collect();
    let mut out = Vec::new();
    let mut id = start;
    let mut hops = 0;
    while id < MAX_REGULAR && out.len() < size && hops <= minifat.len() {
        hops += 1;
        let at = (id as usize).checked_mul(64)?;
        let Some(s) = mini.get(at..at + 64) else {
            break;
        };
        out.extend_from_slice(&s[..64.min(size - out.len())]);
        id = minifat.get(id as usize).copied().unwrap_or(u32::MAX);
    }
    Some(out)
}

/// The extent (rows x columns) each sheet of an xls would have in
/// calamine: the rectangle spanned by its value cells, or its DIMENSIONS
/// record when larger (calamine reserves that much). None when the file
/// has no readable workbook stream (calamine then reports why).
pub fn xls_extents(bytes: &[u8]) -> Option<Vec<u64>> {
    let stream = workbook_stream(bytes)?;
    let mut extents = Vec::new();
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut declared = 0u64;
    let mut in_sheet = false;
    let mut pos = 0usize;
    let mut close = |bbox: &mut Option<(u32, u32, u32, u32)>, declared: &mut u64| {
        let cells = bbox.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1))
        });
        extents.push(cells.max(*declared));
        *bbox = None;
        *declared = 0;
    };
    while let (Some(id), Some(len)) = (u16_at(&stream, pos), u16_at(&stream, pos + 2)) {
        let start = pos + 4;
        let end = (start + usize::from(len)).min(stream.len());
        let data = stream.get(start..end).unwrap_or_default();
        pos = start + usize::from(len);
        let mut mark = |row: u32, c0: u32, c1: u32| {
            let (r_lo, r_hi, c_lo, c_hi) = bbox.unwrap_or((row, row, c0, c1));
            bbox = Some((r_lo.min(row), r_hi.max(row), c_lo.min(c0), c_hi.max(c1)));
        };
        match id {
            // FILEPASS: the records that follow are encrypted; calamine
            // reports the file as password protected before reading cells.
            0x002F => return None,
            0x0809 => {
                if in_sheet {
                    close(&mut bbox, &mut declared);
                }
                in_sheet = true;
            }
            0x0200 => {
                // DIMENSIONS, read as calamine reads it (last row and column
                // are stored plus one); calamine reserves rows x columns.
                let (r0, r1, c0, c1) = match data.len() {
                    10 => (
                        u32::from(u16_at(data, 0).unwrap_or(0)),
                        u32::from(u16_at(data, 2).unwrap_or(0)),
                        u32::from(u16_at(data, 4).unwrap_or(0)),
                        u32::from(u16_at(data, 6).unwrap_or(0)),
                    ),
                    14 | 16 => (
                        u32_at(data, 0).unwrap_or(0),
                        u32_at(data, 4).unwrap_or(0),
                        u32::from(u16_at(data, 8).unwrap_or(0)),
                        u32::from(u16_at(data, 10).unwrap_or(0)),
                    ),
                    _ => (0, 0, 0, 0),
                };
                let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
                if r1 >= 1 && c1 >= 1 {
                    let rows = u64::from((r1 - 1).saturating_sub(r0)) + 1;
                    let cols = u64::from((c1 - 1).saturating_sub(c0)) + 1;
                    declared = declared.max(rows.saturating_mul(cols));
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    mark(u32::from(r), u32::from(c), u32::from(c));
                }
            }
            0x00BD => {
                // MULRK: first column, then the last column in the last 2 bytes.
                let last = data.len().checked_sub(2).and_then(|at| u16_at(data, at));
                if let (Some(r), Some(c0), Some(c1)) = (u16_at(data, 0), u16_at(data, 2), last) {
                    mark(u32::from(r), u32::from(c0.min(c1)), u32::from(c0.max(c1)));
                }
            }
            _ => {}
        }
    }
    if in_sheet {
        close(&mut bbox, &mut declared);
    }
    Some(extents)
}

/// What an xls worksheet says beyond calamine's values: its hidden rows
/// and the cells whose number format changes what they mean (see
/// [`super::formats`]).
#[derive(Debug, Default)]
pub struct XlsSheet {
    pub hidden_rows: Vec<u32>,
    /// Number cells with a percentage or zero-padding format.
    pub formats: Vec<((u32, u32), super::formats::FormatKind)>,
}

/// Each worksheet's [`XlsSheet`], in the workbook's sheet order (the order
/// calamine lists them). Reads the FORMAT and XF records of the workbook
/// globals, then each sheet's ROW records (hidden flag) and number cells
/// (NUMBER, RK, MULRK, FORMULA) with their XF. None when the stream cannot
/// be read or is encrypted.
///
/// Long on purpose: one pass over the BIFF records, whose state (formats,
/// the sheet being read) every record arm shares; a state machine.
pub fn xls_sheets(bytes: &[u8]) -> Option<Vec<XlsSheet>> {
    use super::formats::{FormatKind, classify};
    let stream = workbook_stream(bytes)?;
    let mut biff8 = true;
    let mut codes: std::collections::HashMap<u16, String> = std::collections::HashMap::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut kinds: Vec<FormatKind> = Vec::new();
    // BOUNDSHEET: (stream offset of the sheet's BOF, is a worksheet).
    let mut bound: Vec<(u32, bool)> = Vec::new();
    let mut sheets: Vec<(u32, XlsSheet)> = Vec::new();
    let mut current: Option<(u32, XlsSheet)> = None;
    let mut depth = 0u32;
    let mut pos = 0usize;
    while let (Some(id), Some(len)) = (u16_at(&stream, pos), u16_at(&stream, pos + 2)) {
        let record_at = pos;
        let start = pos + 4;
        let end = (start + usize::from(len)).min(stream.len());
        let data = stream.get(start..end).unwrap_or_default();
        pos = start + usize::from(len);
        let kind_of = |kinds: &[FormatKind], ixfe: Option<u16>| {
            ixfe.and_then(|i| kinds.get(usize::from(i)))
                .filter(|k| **k != FormatKind::Plain)
                .cloned()
        };
        match id {
            0x002F => return None,
            0x0809 => {
                depth += 1;
                let dt = u16_at(data, 2).unwrap_or(0);
                if dt == 0x0005 {
                    biff8 = u16_at(data, 0) == Some(0x0600);
                } else if dt == 0x0010 && depth == 1 {
                    // Sheets begin after the globals: resolve the formats.
                    if kinds.len() != xf_formats.len() {
                        kinds = xf_formats
                            .iter()
                            .map(|f| match codes.get(f) {
                                Some(code) => classify(code),
                                None => match f {
                                    9 | 10 => FormatKind::Percent,
                                    _ => FormatKind::Plain,
                                },
                            })
                            .collect();
                    }
                    current = Some((
                        u32::try_from(record_at).unwrap_or(u32::MAX),
                        XlsSheet::default(),
                    ));
                }
            }
            0x000A => {
                // EOF of a substream (charts may nest inside a sheet's).
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(s) = current.take()
                {
                    sheets.push(s);
                }
            }
            0x0085 => {
                if let (Some(ply), Some(&dt)) = (u32_at(data, 0), data.get(5)) {
                    bound.push((ply, dt == 0));
                }
            }
            0x041E => {
                if let Some(ifmt) = u16_at(data, 0) {
                    let text = if biff8 {
                        let cch = usize::from(u16_at(data, 2).unwrap_or(0));
                        let wide = data.get(4).is_some_and(|f| f & 1 == 1);
                        if wide {
                            let units: Vec<u16> =
                                (0..cch).filter_map(|i| u16_at(data, 5 + 2 * i)).collect();
                            String::from_utf16_lossy(&units)
                        } else {
                            data.get(5..5 + cch)
                                .unwrap_or_default()
                                .iter()
                                .map(|&b| char::from(b))
                                .collect()
                        }
                    } else {
                        let cch = usize::from(data.get(2).copied().unwrap_or(0));
                        data.get(3..3 + cch)
                            .unwrap_or_default()
                            .iter()
                            .map(|&b| char::from(b))
                            .collect()
                    };
                    codes.insert(ifmt, text);
                }
            }
            0x00E0 => xf_formats.push(u16_at(data, 2).unwrap_or(0)),
            0x0208 => {
                if let (Some((_, sheet)), Some(row), Some(flags)) =
                    (current.as_mut(), u16_at(data, 0), u16_at(data, 12))
                    && flags & 0x0020 != 0
                {
                    sheet.hidden_rows.push(u32::from(row));
                }
            }
            0x0203 | 0x027E | 0x0006 => {
                if let (Some((_, sheet)), Some(r), Some(c)) =
                    (current.as_mut(), u16_at(data, 0), u16_at(data, 2))
                    && let Some(k) = kind_of(&kinds, u16_at(data, 4))
                {
                    sheet.formats.push(((u32::from(r), u32::from(c)), k));
                }
            }
            0x00BD => {
                if let (Some((_, sheet)), Some(r), Some(c0)) =
                    (current.as_mut(), u16_at(data, 0), u16_at(data, 2))
                {
                    let n = data.len().saturating_sub(6) / 6;
                    for i in 0..n {
                        if let Some(k) = kind_of(&kinds, u16_at(data, 4 + 6 * i)) {
                            let c = u32::from(c0) + u32::try_from(i).unwrap_or(u32::MAX);
                            sheet.formats.push(((u32::from(r), c), k));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(s) = current.take() {
        sheets.push(s);
    }
    // In BOUNDSHEET order, worksheets only.
    let mut out = Vec::new();
    for (ply, worksheet) in bound {
        if !worksheet {
            continue;
        }
        let sheet = sheets
            .iter_mut()
            .find(|(at, _)| *at == ply)
            .map(|(_, s)| std::mem::take(s))
            .unwrap_or_default();
        out.push(sheet);
    }
    Some(out)
}

/// Whether following `next` from any index comes back to an index already
/// on the same walk. Each index is visited once: O(n).
fn has_loop(next: &[u32]) -> bool {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; next.len()];
    let mut path = Vec::new();
    for start in 0..next.len() {
        let mut cur = start;
        while cur < next.len() && state[cur] == NEW {
            state[cur] = ON_PATH;
            path.push(cur);
            cur = next[cur] as usize;
        }
        if cur < next.len() && state[cur] == ON_PATH {
            return true;
        }
        for p in path.drain(..) {
            state[p] = DONE;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const END: u32 = 0xFFFF_FFFE;

    #[test]
    fn loops_are_found() {
        assert!(!has_loop(&[1, 2, END, u32::MAX]));
        assert!(!has_loop(&[]));
        assert!(has_loop(&[1, 2, 0]));
        assert!(has_loop(&[0]));
        assert!(has_loop(&[END, 2, 3, 1]));
        // Two chains sharing a tail are damaged too, but do not loop.
        assert!(!has_loop(&[2, 2, END]));
    }

    #[test]
    fn short_or_foreign_input_is_left_to_the_reader() {
        assert_eq!(check_chains(b"tiny"), Ok(()));
        assert_eq!(check_chains(&[0u8; 600]), Ok(()));
    }
}
