//! How numbers and text look in the reports.

use rust_decimal::{Decimal, RoundingStrategy};

/// A value rounded for display to `dp` decimals, half away from zero, never
/// `-0`: what the CSV prints and the workbooks store.
pub fn shown(value: Decimal, dp: u32) -> Decimal {
    let mut r = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.rescale(dp);
    r
}

/// A number with exactly `dp` decimals, half away from zero, no thousands
/// separator, never `-0.00`.
pub fn fixed(value: Decimal, dp: u32) -> String {
    shown(value, dp).to_string()
}

/// A number with two decimals (the contract's format for scores and money).
pub fn two(value: Decimal) -> String {
    fixed(value, 2)
}

/// Guards a text field against spreadsheet formula injection: a field that
/// starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`.
pub fn csv_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Whether XML 1.0 can hold `c` at all (escaped or not): tab, line feed,
/// carriage return, and everything from U+0020 but the surrogates, U+FFFE
/// and U+FFFF.
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// What a character XML cannot hold is written as.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Texts changed by [`xml_safe`] since the last [`take_replaced`].
static REPLACED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// `text` with every character XML cannot hold (control characters such as
/// `\v` or `\x01`) replaced by U+FFFD, so a workbook is valid XML for any
/// reader. Every string a workbook holds, in a cell or an attribute (link
/// texts, sheet names, document properties, headers), passes through here;
/// each change is counted for the run's note.
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(xml_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    REPLACED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if xml_char(c) { c } else { REPLACEMENT })
            .collect(),
    )
}

/// How many texts [`xml_safe`] changed since the last call; resets.
pub fn take_replaced() -> usize {
    REPLACED.swap(0, std::sync::atomic::Ordering::Relaxed)
}

/// Writing text into a worksheet cell, fitted to what a cell holds (see
/// [`fit_cell`]): a name of 32,767 characters is legal in a workbook, and
/// "S001 " before it must not fail the whole report.
pub trait WriteText {
    /// `write_string_with_format` of the fitted text.
    ///
    /// # Errors
    /// As `write_string_with_format`.
    fn write_text(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>;

    /// `write_string` of the fitted text, in the cell's default style: the
    /// cheapest cell to write, for long runs of plain lines.
    ///
    /// # Errors
    /// As `write_string`.
    fn write_plain(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>;

    /// `merge_range` of the fitted text.
    ///
    /// # Errors
    /// As `merge_range`.
    fn merge_text(
        &mut self,
        first: (u32, u16),
        last: (u32, u16),
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>;
}

impl WriteText for rust_xlsxwriter::Worksheet {
    fn write_text(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError> {
        self.write_string_with_format(row, col, fit_cell(text.as_ref()).as_ref(), format)
    }

    fn write_plain(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError> {
        self.write_string(row, col, fit_cell(text.as_ref()).as_ref())
    }

    fn merge_text(
        &mut self,
        first: (u32, u16),
        last: (u32, u16),
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError> {
        let text = fit_cell(text.as_ref());
        self.merge_range(first.0, first.1, last.0, last.1, text.as_ref(), format)
    }
}

/// Text as one spreadsheet cell holds it: at most 32,767 characters
/// (Excel's limit, which the writer enforces). Longer text, which the input
/// stage has already reported, ends in "…" at the limit instead of failing
/// the report.
pub fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = crate::input::table::MAX_TEXT;
    let text = xml_safe(text);
    match text.char_indices().nth(MAX) {
        None => text,
        Some(_) => {
            let cut = text.char_indices().nth(MAX - 1).map_or(0, |(i, _)| i);
            std::borrow::Cow::Owned(format!("{}…", &text[..cut]))
        }
    }
}

/// An Excel cell's number: exact decimals become the nearest double only
/// here, at the edge of the file format.
pub fn to_f64(value: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    value.to_f64().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn xml_safe_replaces_exactly_what_xml_forbids() {
        for b in 0u32..0x20 {
            let c = char::from_u32(b).unwrap();
            let allowed = matches!(b, 0x09 | 0x0A | 0x0D);
            assert_eq!(xml_char(c), allowed, "{b:#x}");
            let text = format!("a{c}b");
            let safe = xml_safe(&text);
            if allowed {
                assert_eq!(safe, text);
            } else {
                assert_eq!(safe, "a\u{FFFD}b");
            }
        }
        assert!(!xml_char('\u{FFFE}') && !xml_char('\u{FFFF}'));
        assert!(xml_char('张') && xml_char('😀') && xml_char(' '));
    }

    #[test]
    fn two_decimals_half_away_from_zero() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(two(d("94.75")), "94.75");
        assert_eq!(two(d("5000")), "5000.00");
        assert_eq!(two(d("91.4285714")), "91.43");
        assert_eq!(two(d("0.125")), "0.13");
        assert_eq!(two(d("-0.001")), "0.00");
        assert_eq!(two(d("1234567.5")), "1234567.50");
    }

    #[test]
    fn formula_injection_is_guarded() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for s in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_safe(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(csv_safe("Zhang Wei"), "Zhang Wei");
    }
}

#[cfg(test)]
mod fit_tests {
    use super::fit_cell;

    #[test]
    fn text_over_a_cell_ends_in_an_ellipsis_at_the_limit() {
        assert_eq!(fit_cell("Anna"), "Anna");
        let at = "é".repeat(32_767);
        assert_eq!(fit_cell(&at), at);
        let over = fit_cell(&"é".repeat(32_768)).into_owned();
        assert_eq!(over.chars().count(), 32_767);
        assert!(over.ends_with("é…"));
    }
}
