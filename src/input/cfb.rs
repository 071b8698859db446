//! A sanity check of an OLE compound file (the container of .xls files)
//! before calamine opens it.
//!
//! calamine 0.38 follows sector chains without remembering where it has
//! been: a damaged file whose chain loops back on itself (found by the
//! robustness test: a 20 KB xls grew past 24 GB of memory) makes it read
//! forever. Here the file allocation tables are read the way calamine reads
//! them and refused if any chain loops. Everything else (sizes, ids past the
//! end) is left to calamine, which reports it as an error.

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
    let Some(header) = bytes.get(..512) else {
        return Ok(()); // too short: calamine says so
    };
    let u32_at = |buf: &[u8], at: usize| -> Option<u32> {
        buf.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let sector_size = match u16::from_le_bytes([header[0x1E], header[0x1F]]) {
        9 => 512usize,
        12 => 4096,
        _ => return Ok(()),
    };
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(sector_size)?;
        bytes.get(start..start.checked_add(sector_size)?)
    };
    let max_sectors = bytes.len() / sector_size + 1;

    // DIFAT: 109 ids in the header, then a chain of DIFAT sectors.
    let mut difat: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(header, 0x4C + 4 * i))
        .collect();
    let mut next = u32_at(header, 0x44).unwrap_or(u32::MAX);
    let mut hops = 0;
    while next < MAX_REGULAR {
        hops += 1;
        if hops > max_sectors {
            return Err(Damaged("its DIFAT sector chain loops"));
        }
        let Some(s) = sector(next) else { break };
        let ids: Vec<u32> = (0..sector_size / 4)
            .filter_map(|i| u32_at(s, 4 * i))
            .collect();
        let (last, rest) = ids.split_last().unwrap_or((&u32::MAX, &[]));
        difat.extend_from_slice(rest);
        next = *last;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < MAX_REGULAR) {
        if let Some(s) = sector(id) {
            fat.extend((0..sector_size / 4).filter_map(|i| u32_at(s, 4 * i)));
        }
        if fat.len() > max_sectors.saturating_mul(sector_size / 4) {
            break;
        }
    }
    if has_loop(&fat) {
        return Err(Damaged("a sector chain loops back on itself"));
    }

    // Mini FAT: a chain in the FAT (loop-free now), same check inside.
    let mut minifat = Vec::new();
    let mut id = u32_at(header, 0x3C).unwrap_or(u32::MAX);
    while id < MAX_REGULAR {
        let Some(s) = sector(id) else { break };
        minifat.extend((0..sector_size / 4).filter_map(|i| u32_at(s, 4 * i)));
        id = fat.get(id as usize).copied().unwrap_or(u32::MAX);
    }
    if has_loop(&minifat) {
        return Err(Damaged("a mini-sector chain loops back on itself"));
    }
    Ok(())
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
