//! Zip archives and xlsx files built by hand, field by field: honest ones,
//! and ones that lie about their sizes or inflate to gigabytes (deflate
//! streams written bit by bit), for the hostile-input tests.

// --------------------------------------------------------------- deflate

/// Bits written least significant first, as deflate stores them.
#[derive(Default)]
pub struct Bits {
    pub out: Vec<u8>,
    pub acc: u64,
    pub n: u32,
}

impl Bits {
    pub fn put(&mut self, value: u32, bits: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: most significant bit first.
    pub fn code(&mut self, code: u32, bits: u32) {
        let mut rev = 0;
        for i in 0..bits {
            rev |= ((code >> i) & 1) << (bits - 1 - i);
        }
        self.put(rev, bits);
    }

    pub fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A deflate stream of one fixed-Huffman block.
pub struct Fixed {
    pub bits: Bits,
}

impl Fixed {
    pub fn new() -> Fixed {
        let mut bits = Bits::default();
        bits.put(1, 1); // BFINAL
        bits.put(1, 2); // BTYPE = 01, fixed Huffman codes
        Fixed { bits }
    }

    pub fn symbol(&mut self, sym: u32) {
        match sym {
            0..=143 => self.bits.code(0x30 + sym, 8),
            144..=255 => self.bits.code(0x190 + sym - 144, 9),
            256..=279 => self.bits.code(sym - 256, 7),
            _ => self.bits.code(0xC0 + sym - 280, 8),
        }
    }

    pub fn literals(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.symbol(u32::from(b));
        }
    }

    /// A back-reference: copy `len` (3..=258) bytes from `dist` back.
    pub fn copy(&mut self, len: u32, dist: u32) {
        const LEN_BASE: [u32; 29] = [
            3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
            115, 131, 163, 195, 227, 258,
        ];
        const LEN_EXTRA: [u32; 29] = [
            0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
        ];
        const DIST_BASE: [u32; 30] = [
            1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
            1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
        ];
        const DIST_EXTRA: [u32; 30] = [
            0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
            12, 13, 13,
        ];
        let i = LEN_BASE.iter().rposition(|&b| b <= len).unwrap();
        self.symbol(257 + i as u32);
        self.bits.put(len - LEN_BASE[i], LEN_EXTRA[i]);
        let d = DIST_BASE.iter().rposition(|&b| b <= dist).unwrap();
        self.bits.code(d as u32, 5);
        self.bits.put(dist - DIST_BASE[d], DIST_EXTRA[d]);
    }

    /// `count` repetitions of `pattern` (already written once as literals
    /// before this call, so the copies have something to copy).
    pub fn repeat(&mut self, pattern: &[u8], count: u64) {
        let p = pattern.len() as u64;
        let total = p * count;
        let (mut whole, mut rest) = (total / 258, total % 258);
        if (1..3).contains(&rest) && whole > 0 {
            whole -= 1;
            rest += 258;
        }
        // Whole 258-byte copies; each is the same few bits, so past a
        // warm-up group the output repeats every 8 copies: written once,
        // then duplicated.
        let dist = p as u32;
        let warm = whole.min(8);
        for _ in 0..warm {
            self.copy(258, dist);
        }
        let mut left = whole - warm;
        if left >= 8 {
            let start = self.bits.out.len();
            for _ in 0..8 {
                self.copy(258, dist);
            }
            left -= 8;
            let chunk = self.bits.out[start..].to_vec();
            let groups = left / 8;
            self.bits.out.reserve((groups as usize) * chunk.len());
            for _ in 0..groups {
                self.bits.out.extend_from_slice(&chunk);
            }
            left -= groups * 8;
        }
        for _ in 0..left {
            self.copy(258, dist);
        }
        match rest {
            259.. => {
                self.copy(rest as u32 - 3, dist);
                self.copy(3, dist);
            }
            3.. => self.copy(rest as u32, dist),
            _ => {
                // Where the copies stopped inside the pattern.
                let done = total - rest;
                for k in 0..rest {
                    self.literals(&[pattern[((done + k) % p) as usize]]);
                }
            }
        }
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.symbol(256); // end of block
        self.bits.finish()
    }
}

/// A part of `prefix`, `pattern` x `count`, `suffix`, deflated by hand:
/// (deflate stream, inflated size, CRC-32 of the inflated bytes).
pub fn bomb_part(prefix: &[u8], pattern: &[u8], count: u64, suffix: &[u8]) -> (Vec<u8>, u64, u32) {
    let mut d = Fixed::new();
    d.literals(prefix);
    d.literals(pattern);
    d.repeat(pattern, count - 1);
    d.literals(suffix);
    let size = (prefix.len() + suffix.len()) as u64 + pattern.len() as u64 * count;
    // CRC of the run by doubling: crc(run of 2^k patterns) combined.
    let mut crc = crc32fast::Hasher::new();
    crc.update(prefix);
    let mut block = crc32fast::Hasher::new();
    block.update(pattern);
    let mut n = count;
    let mut blocks = Vec::new();
    while n > 0 {
        blocks.push((n & 1 == 1, block.clone()));
        let copy = block.clone();
        block.combine(&copy);
        n >>= 1;
    }
    // Lowest bit first: the order of equal-content blocks does not matter.
    for (take, b) in blocks {
        if take {
            crc.combine(&b);
        }
    }
    let mut tail = crc32fast::Hasher::new();
    tail.update(suffix);
    crc.combine(&tail);
    (d.finish(), size, crc.finalize())
}

// ------------------------------------------------------------------- zip

/// How an entry states its sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sizes {
    /// The real sizes and CRC in both headers.
    Honest,
    /// Local header zeros with a data descriptor; the central directory
    /// (and descriptor) declare `n` bytes inflated, and a wrong CRC.
    Lying(u64),
}

pub struct Entry {
    pub name: String,
    pub method: u16,
    pub data: Vec<u8>,
    pub size: u64,
    pub crc: u32,
    pub sizes: Sizes,
}

pub fn stored(name: &str, text: &str) -> Entry {
    Entry {
        name: name.to_owned(),
        method: 0,
        data: text.as_bytes().to_vec(),
        size: text.len() as u64,
        crc: crc32fast::hash(text.as_bytes()),
        sizes: Sizes::Honest,
    }
}

/// A zip archive written field by field (sizes must fit 32 bits).
pub fn zip_bytes(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for e in entries {
        let offset = out.len() as u32;
        let csize = u32::try_from(e.data.len()).unwrap();
        let (flags, crc, declared) = match e.sizes {
            Sizes::Honest => (0u16, e.crc, u32::try_from(e.size).unwrap()),
            Sizes::Lying(n) => (8u16, e.crc ^ 0xFFFF_FFFF, u32::try_from(n).unwrap()),
        };
        // Local header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, flags);
        u16le(&mut out, e.method);
        u16le(&mut out, 0);
        u16le(&mut out, 0x5b21); // 2025-09-01
        if flags & 8 == 0 {
            u32le(&mut out, crc);
            u32le(&mut out, csize);
            u32le(&mut out, declared);
        } else {
            out.extend_from_slice(&[0; 12]);
        }
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);
        if flags & 8 != 0 {
            u32le(&mut out, 0x0807_4b50);
            u32le(&mut out, crc);
            u32le(&mut out, csize);
            u32le(&mut out, declared);
        }
        // Central directory header.
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20);
        u16le(&mut central, 20);
        u16le(&mut central, flags);
        u16le(&mut central, e.method);
        u16le(&mut central, 0);
        u16le(&mut central, 0x5b21);
        u32le(&mut central, crc);
        u32le(&mut central, csize);
        u32le(&mut central, declared);
        u16le(&mut central, e.name.len() as u16);
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attrs
        u32le(&mut central, 0); // external attrs
        u32le(&mut central, offset);
        central.extend_from_slice(e.name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len() as u16);
    u16le(&mut out, entries.len() as u16);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

pub const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// A one-sheet xlsx ("Results") around `sheet` and optional shared strings.
pub fn xlsx(sheet: Entry, shared: Option<Entry>) -> Vec<u8> {
    xlsx_named("Results", sheet, shared)
}

/// A one-sheet xlsx around `sheet` and optional shared strings.
pub fn xlsx_named(sheet_name: &str, sheet: Entry, shared: Option<Entry>) -> Vec<u8> {
    let sst_type = if shared.is_some() {
        r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
    } else {
        ""
    };
    let sst_rel = if shared.is_some() {
        r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
    } else {
        ""
    };
    let mut entries = vec![
        stored(
            "[Content_Types].xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{sst_type}</Types>"#
            ),
        ),
        stored(
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        stored(
            "xl/workbook.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        stored(
            "xl/_rels/workbook.xml.rels",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{sst_rel}</Relationships>"#
            ),
        ),
    ];
    entries.extend(shared);
    entries.push(sheet);
    zip_bytes(&entries)
}

pub fn sheet_head(dimension: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{NS}"><dimension ref="{dimension}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Staff ID</t></is></c><c r="B1" t="inlineStr"><is><t>Sales</t></is></c></row>"#
    )
}

pub const SHEET_TAIL: &str = "</sheetData></worksheet>";

pub fn bomb_entry(name: &str, part: (Vec<u8>, u64, u32), sizes: Sizes) -> Entry {
    let (data, size, crc) = part;
    Entry {
        name: name.to_owned(),
        method: 8,
        data,
        size,
        crc,
        sizes,
    }
}

/// A sheet whose cell A2 is one inline string of `bytes` letters.
pub fn giant_string_sheet(bytes: u64) -> (Vec<u8>, u64, u32) {
    let head = format!(
        r#"{}<row r="2"><c r="A2" t="inlineStr"><is><t>"#,
        sheet_head("A1:B2")
    );
    let tail = format!("</t></is></c></row>{SHEET_TAIL}");
    bomb_part(head.as_bytes(), b"A", bytes, tail.as_bytes())
}

/// A sheet of `bytes` (about) of tiny rows of two numbers, no `r` attributes.
pub fn tiny_cells_sheet(bytes: u64) -> (Vec<u8>, u64, u32) {
    let pattern = b"<row><c><v>1</v></c><c><v>2</v></c></row>";
    let count = bytes / pattern.len() as u64;
    bomb_part(
        sheet_head("A1:B2").as_bytes(),
        pattern,
        count,
        SHEET_TAIL.as_bytes(),
    )
}

/// A shared-string table whose first string is `bytes` letters, and a
/// sheet using it.
pub fn giant_shared_string(bytes: u64) -> (Entry, Entry) {
    let head = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>"#
    );
    let sst = bomb_entry(
        "xl/sharedStrings.xml",
        bomb_part(head.as_bytes(), b"B", bytes, b"</t></si></sst>"),
        Sizes::Honest,
    );
    let sheet = format!(
        r#"{}<row r="2"><c r="A2" t="s"><v>0</v></c></row>{SHEET_TAIL}"#,
        sheet_head("A1:B2")
    );
    (stored("xl/worksheets/sheet1.xml", &sheet), sst)
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Column letters of a 0-based column index (0 -> A, 16383 -> XFD).
pub fn column(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// Sheet XML of `rows` (numbers as numbers, the rest inline strings),
/// after `extra_head` (a DOCTYPE) and with `dimension`.
pub fn sheet_xml(rows: &[Vec<String>], dimension: &str, extra_head: &str) -> String {
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{extra_head}<worksheet xmlns="{NS}"><dimension ref="{dimension}"/><sheetData>"#
    );
    for (r, row) in rows.iter().enumerate() {
        x.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let at = format!("{}{}", column(c as u32), r + 1);
            if v.parse::<f64>().is_ok() {
                x.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#));
            } else if v.starts_with('&') && v.ends_with(';') {
                // An entity reference, written as is.
                x.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#
                ));
            } else {
                x.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                    escape(v)
                ));
            }
        }
        x.push_str("</row>");
    }
    x.push_str(SHEET_TAIL);
    x
}

/// An xlsx of one sheet of `rows`.
pub fn table_xlsx(sheet_name: &str, rows: &[Vec<String>]) -> Vec<u8> {
    let xml = sheet_xml(rows, "A1", "");
    xlsx_named(sheet_name, stored("xl/worksheets/sheet1.xml", &xml), None)
}
