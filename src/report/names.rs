//! Safe file and sheet names built from people, managers and departments.
//!
//! Input text may hold anything: path separators, `..`, control characters,
//! names Windows refuses (`CON`, `LPT1`), 200 characters, emoji. A name made
//! here never leaves its folder, opens on Windows, macOS and Linux, and is
//! unique within its folder or workbook (case-insensitively, as Windows and
//! macOS compare names); on a collision the given disambiguator (a staff id)
//! is appended, then a counter.

use std::collections::HashSet;

/// Longest file stem, in characters.
const FILE_CHARS: usize = 100;
/// Longest file stem in UTF-8 bytes (file systems allow 255 per name).
const FILE_BYTES: usize = 180;
/// Excel's limit for a sheet name, in UTF-16 units.
const SHEET_UNITS: usize = 31;

/// Names Windows reserves for devices, whatever the extension.
fn windows_reserved(stem: &str) -> bool {
    let base = stem
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_uppercase();
    if matches!(
        base.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let chars: Vec<char> = base.chars().collect();
    chars.len() == 4
        && (base.starts_with("COM") || base.starts_with("LPT"))
        && matches!(chars[3], '0'..='9' | '¹' | '²' | '³')
}

/// Replaces what no file system accepts, collapses white space, trims.
fn clean(text: &str, forbidden: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || !crate::report::text::xml_char(c) {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(if forbidden.contains(&c) { '_' } else { c });
    }
    out
}

/// Cuts `text` to at most `chars` characters and `bytes` UTF-8 bytes.
fn cut(text: &str, chars: usize, bytes: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n >= chars || out.len() + c.len_utf8() > bytes {
            break;
        }
        out.push(c);
    }
    out
}

/// Cuts `text` to at most `units` UTF-16 units (Excel counts those).
fn cut_utf16(text: &str, units: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in text.chars() {
        n += c.len_utf16();
        if n > units {
            break;
        }
        out.push(c);
    }
    out
}

/// A file stem (without extension) that is safe on every system: no path
/// separators or characters Windows forbids, no control characters, no
/// leading dot (hidden files, `..`), no trailing dot or space, not a device
/// name, at most 100 characters; never empty.
pub fn file_stem(text: &str) -> String {
    let forbidden = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
    let cleaned = clean(text, &forbidden);
    let cleaned = cleaned.trim_start_matches(['.', ' ']);
    let mut stem = cut(cleaned, FILE_CHARS, FILE_BYTES);
    while stem.ends_with(['.', ' ']) {
        stem.pop();
    }
    if stem.is_empty() {
        stem.push('_');
    }
    if windows_reserved(&stem) {
        stem.insert(0, '_');
    }
    stem
}

/// A sheet name Excel accepts: no `[]:*?/\`, no apostrophes (Excel refuses
/// them at either end and they complicate references), not `History`
/// (reserved), at most 31 characters; never empty.
pub fn sheet_name(text: &str) -> String {
    let forbidden = ['[', ']', ':', '*', '?', '/', '\\', '\''];
    let cleaned = clean(text, &forbidden);
    let mut name = cut_utf16(cleaned.trim(), SHEET_UNITS);
    while name.ends_with(' ') {
        name.pop();
    }
    if name.is_empty() {
        name.push('_');
    }
    if name.eq_ignore_ascii_case("history") {
        name.insert(0, '_');
    }
    name
}

/// Hands out unique names: the first comer keeps its name, later ones get
/// the disambiguator appended (shortened to fit), then a counter.
#[derive(Debug)]
pub struct Namer {
    kind: NameKind,
    taken: HashSet<String>,
}

/// What the names are for, which sets their rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    File,
    Sheet,
}

impl Namer {
    pub fn new(kind: NameKind) -> Namer {
        Namer {
            kind,
            taken: HashSet::new(),
        }
    }

    /// Reserves a name that must not be handed out (e.g. `Team`).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_lowercase());
    }

    fn make(&self, text: &str) -> String {
        match self.kind {
            NameKind::File => file_stem(text),
            NameKind::Sheet => sheet_name(text),
        }
    }

    /// Fits `base` and ` suffix` into the length limit, keeping the suffix.
    fn with_suffix(&self, base: &str, suffix: &str) -> String {
        let suffix = format!(" {}", self.make(suffix));
        let room = match self.kind {
            NameKind::File => FILE_CHARS.saturating_sub(suffix.chars().count()),
            NameKind::Sheet => SHEET_UNITS.saturating_sub(suffix.encode_utf16().count()),
        };
        let head = match self.kind {
            NameKind::File => cut(base, room, FILE_BYTES.saturating_sub(suffix.len())),
            NameKind::Sheet => cut_utf16(base, room),
        };
        self.make(&format!("{}{suffix}", head.trim_end()))
    }

    /// A unique safe name for `text`; `disambiguator` (a staff id) is
    /// appended when the name is taken.
    pub fn name(&mut self, text: &str, disambiguator: &str) -> String {
        let mut candidate = self.make(text);
        if self.taken.contains(&candidate.to_lowercase()) && !disambiguator.is_empty() {
            candidate = self.with_suffix(&candidate, disambiguator);
        }
        let base = candidate.clone();
        let mut n = 2u32;
        while self.taken.contains(&candidate.to_lowercase()) {
            candidate = self.with_suffix(&base, &format!("({n})"));
            n += 1;
        }
        self.taken.insert(candidate.to_lowercase());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_separators_and_dots_cannot_escape_the_folder() {
        assert_eq!(file_stem("../../x"), "_.._x");
        assert_eq!(file_stem(".."), "_");
        assert_eq!(file_stem("a/b\\c:d"), "a_b_c_d");
        assert_eq!(file_stem(".hidden"), "hidden");
        assert_eq!(file_stem("name. . "), "name");
        for s in ["../../x", "..", "/etc/passwd", "C:\\Windows", "a\u{0}b\nc"] {
            let f = file_stem(s);
            assert!(!f.contains(['/', '\\', ':', '\0', '\n']), "{s:?} -> {f:?}");
            assert!(!f.starts_with('.') && !f.is_empty(), "{s:?} -> {f:?}");
        }
    }

    #[test]
    fn control_characters_and_white_space_collapse() {
        assert_eq!(file_stem("  Zhang\t\tWei \r\n"), "Zhang Wei");
        assert_eq!(sheet_name("a\u{7}b"), "a b");
        assert_eq!(file_stem(""), "_");
        assert_eq!(file_stem(" \t "), "_");
    }

    #[test]
    fn windows_device_names_are_prefixed() {
        for s in [
            "CON", "con", "PRN", "AUX", "NUL", "COM1", "lpt9", "NUL.txt", "COM¹",
        ] {
            assert!(file_stem(s).starts_with('_'), "{s}");
        }
        for s in ["CONSOLE", "COM10", "Connor", "LPT"] {
            assert_eq!(file_stem(s), s, "{s} is an ordinary name");
        }
    }

    #[test]
    fn long_names_are_cut_on_character_boundaries() {
        let long = "名".repeat(200);
        let f = file_stem(&long);
        assert!(f.chars().count() <= 100 && f.len() <= 180, "{}", f.len());
        assert!(f.chars().all(|c| c == '名'));
        let s = sheet_name(&"x".repeat(200));
        assert_eq!(s.len(), 31);
        // Emoji take two UTF-16 units each, as Excel counts them.
        let e = sheet_name(&"😀".repeat(20));
        assert_eq!(e.chars().count(), 15);
    }

    #[test]
    fn sheet_names_lose_excel_forbidden_characters() {
        assert_eq!(sheet_name("S001 [A]: b*c?/d\\e"), "S001 _A__ b_c__d_e");
        assert_eq!(sheet_name("'quoted'"), "_quoted_");
        assert_eq!(sheet_name("History"), "_History");
        assert_eq!(sheet_name("=HYPERLINK(\"x\")"), "=HYPERLINK(\"x\")");
    }

    #[test]
    fn collisions_get_the_staff_id_then_a_counter() {
        let mut n = Namer::new(NameKind::Sheet);
        n.reserve("Team");
        assert_eq!(n.name("team", "S001"), "team S001");
        assert_eq!(n.name("Zhang Wei", "S002"), "Zhang Wei");
        assert_eq!(n.name("zhang wei", "S003"), "zhang wei S003");
        let long = "y".repeat(40);
        let a = n.name(&long, "S004");
        let b = n.name(&long, "S005");
        assert_eq!(a.len(), 31);
        assert!(b.ends_with(" S005") && b.len() == 31, "{b}");
        assert_eq!(n.name("Zhang Wei", ""), "Zhang Wei (2)");
        let mut f = Namer::new(NameKind::File);
        assert_eq!(f.name("a/b", "S1"), "a_b");
        assert_eq!(f.name("a:b", "S1"), "a_b S1");
        assert_eq!(f.name("a*b", "S1"), "a_b S1 (2)");
    }
}
