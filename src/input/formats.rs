//! A cell's number format is part of its value: what the spreadsheet
//! program shows is what HR typed and checked.
//!
//! Two kinds of format change what a number means to kpi-report:
//!
//! - a **percentage** format (`0%`, `0.0%`): the cell `0.88` shown as `88%`
//!   is read exactly as the text `88%` would be, i.e. as 88 in a column that
//!   takes percentages (and refused in one that does not). The stored value
//!   is multiplied by 100 exactly (`0.8765` shown as `88%` is 87.65: the
//!   value, not the rounded display);
//! - a **zero-padding** format (`000000`, `"EMP"0000`): the whole number
//!   `1001` shown as `001001` is the text `001001`, so an id is matched by
//!   what the program displays.
//!
//! Dates are recognised by the reader itself (a date cell is a date); every
//! other format (thousands separators, decimals, currency, accounting
//! brackets, colours) only changes how a number looks, not its value.
//!
//! Each reader finds the format of a cell its own way (xlsx: the style's
//! format code; xls: the XF and FORMAT records; ods: the value type and the
//! displayed text) and calls [`display_value`] on the cell.

use calamine::Data;
use rust_decimal::Decimal;

use super::cell;

/// What a number format does to the value kpi-report reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FormatKind {
    /// Only the look changes (General, decimals, thousands, dates...).
    #[default]
    Plain,
    /// A percentage: the value shown is the stored value × 100, with `%`.
    Percent,
    /// A whole number padded with zeros to `width` digits, between a
    /// literal prefix and suffix (`"EMP"0000`).
    Padded {
        prefix: String,
        width: usize,
        suffix: String,
    },
}

/// Classifies a format code (`0.00%`, `000000`, `#,##0;(#,##0)`, `@`).
/// Only the section for positive numbers decides.
pub fn classify(code: &str) -> FormatKind {
    let section = first_section(code);
    // Literal text and placeholders, outside quotes, escapes and brackets.
    let mut literal = String::new();
    let mut prefix = String::new();
    let mut zeros = 0usize;
    let mut other_placeholders = false;
    let mut percent = false;
    let mut after_digits = false;
    let mut suffix = String::new();
    let mut chars = section.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    literal.push(q);
                }
            }
            '\\' => {
                if let Some(q) = chars.next() {
                    literal.push(q);
                }
            }
            '[' => {
                // Colours, conditions, locales: not shown.
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '_' | '*' => {
                // Padding to the width of the next character: a space.
                chars.next();
            }
            '%' => percent = true,
            '0' => {
                if after_digits && !suffix.is_empty() {
                    other_placeholders = true;
                }
                if zeros == 0 {
                    prefix = std::mem::take(&mut literal);
                }
                zeros += 1;
                after_digits = true;
                literal.clear();
            }
            '#' | '?' | '.' | ',' | 'E' | 'e' | '/' | '@' => other_placeholders = true,
            c if c.is_ascii_alphabetic() => other_placeholders = true, // dates, times
            c => {
                if after_digits {
                    suffix.push(c);
                } else {
                    literal.push(c);
                }
            }
        }
        if after_digits && !literal.is_empty() {
            suffix.push_str(&std::mem::take(&mut literal));
        }
    }
    if percent {
        return FormatKind::Percent;
    }
    let prefix = prefix.trim().to_owned();
    let suffix = suffix.trim().to_owned();
    if !other_placeholders && zeros >= 2 && suffix.is_empty() {
        return FormatKind::Padded {
            prefix,
            width: zeros,
            suffix,
        };
    }
    FormatKind::Plain
}

/// The section of a format code used for positive numbers.
fn first_section(code: &str) -> &str {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in code.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => return &code[..i],
            _ => {}
        }
    }
    code
}

/// The value kpi-report reads from a number cell with this format: the
/// percent text for a percentage, the padded text for a zero-padded whole
/// number, None when the format changes nothing (or the value is not a
/// number it applies to).
pub fn display_value(value: &Data, kind: &FormatKind) -> Option<Data> {
    let number = match value {
        Data::Float(f) => cell::decimal_from_f64(*f).ok()?,
        Data::Int(i) => Decimal::from(*i),
        _ => return None,
    };
    match kind {
        FormatKind::Plain => None,
        FormatKind::Percent => Some(Data::String(percent_text(number))),
        FormatKind::Padded {
            prefix,
            width,
            suffix,
        } => {
            if number.is_sign_negative() || !number.fract().is_zero() {
                return None;
            }
            let digits = number.trunc().normalize().to_string();
            let padded = format!("{digits:0>width$}");
            if padded == digits && prefix.is_empty() && suffix.is_empty() {
                return None;
            }
            Some(Data::String(format!("{prefix}{padded}{suffix}")))
        }
    }
}

/// `0.88` -> `88%`, `0.8765` -> `87.65%`, exactly.
pub fn percent_text(value: Decimal) -> String {
    let shown = value
        .checked_mul(Decimal::ONE_HUNDRED)
        .unwrap_or(value)
        .normalize();
    format!("{shown}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn padded(prefix: &str, width: usize) -> FormatKind {
        FormatKind::Padded {
            prefix: prefix.to_owned(),
            width,
            suffix: String::new(),
        }
    }

    #[test]
    fn formats_are_classified_by_what_they_show() {
        for code in ["0%", "0.00%", "0.0%;[Red]-0.0%", "#,##0.0%", "[$-804]0%"] {
            assert_eq!(classify(code), FormatKind::Percent, "{code}");
        }
        assert_eq!(classify("000000"), padded("", 6));
        assert_eq!(classify("00000;-00000"), padded("", 5));
        assert_eq!(classify("\"EMP\"0000"), padded("EMP", 4));
        assert_eq!(classify("\\S000"), padded("S", 3));
        for code in [
            "General",
            "0",
            "0.00",
            "#,##0",
            "#,##0.00;(#,##0.00)",
            "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
            "@",
            "yyyy-mm-dd",
            "yyyy\"年\"m\"月\"",
            "0\"个\"",
            "\"100%\"0", // a literal percent sign in quotes is text
            "00.00",
        ] {
            assert_eq!(classify(code), FormatKind::Plain, "{code}");
        }
    }

    #[test]
    fn percent_cells_read_as_their_percent_exactly() {
        let p = |f: f64| display_value(&Data::Float(f), &FormatKind::Percent);
        assert_eq!(p(0.88), Some(Data::String("88%".into())));
        assert_eq!(p(0.8765), Some(Data::String("87.65%".into())));
        assert_eq!(p(1.0), Some(Data::String("100%".into())));
        assert_eq!(p(0.0), Some(Data::String("0%".into())));
        assert_eq!(
            display_value(&Data::String("x".into()), &FormatKind::Percent),
            None
        );
    }

    #[test]
    fn padded_ids_read_as_shown() {
        let id = |f: f64, k: &FormatKind| display_value(&Data::Float(f), k);
        assert_eq!(
            id(1001.0, &padded("", 6)),
            Some(Data::String("001001".into()))
        );
        assert_eq!(
            id(12.0, &padded("EMP", 4)),
            Some(Data::String("EMP0012".into()))
        );
        // Nothing to pad: the number stays a number.
        assert_eq!(id(123456.0, &padded("", 6)), None);
        assert_eq!(id(12.5, &padded("", 6)), None);
        assert_eq!(id(-12.0, &padded("", 6)), None);
    }
}
