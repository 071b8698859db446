//! Cell parsing: numbers stored as text, ids stored as numbers, doubles
//! turned into exact decimals.

use std::str::FromStr;

use rust_decimal::Decimal;

pub use crate::lang::halfwidth;

/// Why a text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all.
    NotANumber,
    /// `85%` in a column that does not take percentages.
    PercentNotAllowed,
    /// A number beyond what exact decimals hold.
    TooLarge,
}

/// An Excel double as an exact decimal, through its shortest round-trip text,
/// so that the double nearest 112345.67 becomes exactly 112345.67.
pub fn decimal_from_f64(value: f64) -> Result<Decimal, NumberError> {
    if !value.is_finite() {
        return Err(NumberError::NotANumber);
    }
    // Display prints the shortest text that reads back as the same double.
    let text = value.to_string();
    Decimal::from_str(&text).map_err(|_| NumberError::TooLarge)
}

/// A number read from text, with what the text said beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    /// The value, a scaling unit applied (`12.5万` is 125000).
    pub value: Decimal,
    /// The text ended with `%` (`88%` is 88 here).
    pub percent: bool,
    /// A scaling unit in the cell: its factor and name (`万`, `千`, `k`).
    pub scale: Option<(Decimal, &'static str)>,
    /// The cell carried a unit or currency of its own (`¥`, `元`, `万`...),
    /// so a unit in the column's header does not apply to it.
    pub unit: bool,
}

/// Parses a number that arrived as text: `12,345.60`, `¥12,345`, `$1,200`,
/// ` 85 `, full-width digits, `(1,200)` for a negative (accounting),
/// `12.5万` / `3千元` / `12k` (multiplied exactly), `85%` where `percent`
/// allows it (meaning 85).
pub fn parse_number(text: &str, percent: bool) -> Result<Decimal, NumberError> {
    parse_marked(text, percent).map(|p| p.value)
}

/// [`parse_number`], saying whether the text carried a percent sign, a
/// scaling unit or a unit of its own.
pub fn parse_marked(text: &str, percent: bool) -> Result<Parsed, NumberError> {
    let s: String = text.chars().map(halfwidth).collect();
    let mut s = s.trim();
    let mut negative = false;
    let mut unit = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    }
    let mut had_percent = false;
    if let Some(rest) = s.strip_suffix('%') {
        had_percent = true;
        s = rest.trim_end();
    }
    let mut currency = false;
    for prefix in ["RMB", "CNY", "USD", "EUR", "¥", "￥", "$", "€"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
            currency = true;
            unit = true;
            break;
        }
    }
    if let Some(rest) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        // `¥(1,200)`: the accounting bracket inside the currency sign.
        negative = !negative;
        s = rest.trim();
    }
    for suffix in ["元", "RMB", "CNY"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            unit = true;
            break;
        }
    }
    let mut scale = None;
    if let Some((rest, factor, name)) = super::units::cell_scale(s) {
        s = rest;
        scale = Some((factor, name));
        unit = true;
    }
    if let Some(rest) = s.strip_prefix('-').filter(|_| currency) {
        negative = !negative;
        s = rest;
    }
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err(NumberError::NotANumber);
    }
    let plain = strip_thousands(s).ok_or(NumberError::NotANumber)?;
    let mut value = if plain.contains(['e', 'E']) {
        Decimal::from_scientific(&plain).map_err(|_| match plain.parse::<f64>() {
            Ok(f) if f.is_finite() && f.abs() >= 1.0 => NumberError::TooLarge,
            _ => NumberError::NotANumber,
        })?
    } else {
        if !plain.chars().all(|c| c.is_ascii_digit() || c == '.') || plain.matches('.').count() > 1
        {
            return Err(NumberError::NotANumber);
        }
        Decimal::from_str(&plain).map_err(|_| {
            if plain.len() > 20 {
                NumberError::TooLarge
            } else {
                NumberError::NotANumber
            }
        })?
    };
    if had_percent && (scale.is_some() || currency) {
        return Err(NumberError::NotANumber);
    }
    if had_percent && !percent {
        return Err(NumberError::PercentNotAllowed);
    }
    if let Some((factor, _)) = scale {
        value = value.checked_mul(factor).ok_or(NumberError::TooLarge)?;
    }
    if negative {
        value.set_sign_negative(true);
    }
    Ok(Parsed {
        value,
        percent: had_percent,
        scale,
        unit,
    })
}

/// Removes thousands separators if they group digits by three
/// (`12,345.60`); a comma in any other place (`12,5`) makes the text
/// ambiguous, so it is refused rather than guessed.
fn strip_thousands(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_owned());
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let groups: Vec<&str> = int.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    if !first_ok || !rest_ok || !int.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    let mut out = groups.concat();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// A staff id from a number cell: `1001.0` means `1001`.
pub fn id_from_f64(value: f64) -> Option<String> {
    let d = decimal_from_f64(value).ok()?;
    Some(d.normalize().to_string())
}

/// Text from a cell, trimmed, with full-width spaces treated as spaces.
pub fn clean_text(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .to_owned()
}

/// A cell as trimmed text (numbers in their shortest form).
pub fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Empty => String::new(),
        calamine::Data::String(s)
        | calamine::Data::DateTimeIso(s)
        | calamine::Data::DurationIso(s) => clean_text(s),
        calamine::Data::Float(f) => decimal_from_f64(*f)
            .map(|d| d.normalize().to_string())
            .unwrap_or_else(|_| f.to_string()),
        calamine::Data::Int(i) => i.to_string(),
        calamine::Data::Bool(b) => b.to_string(),
        calamine::Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        calamine::Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> String {
        parse_number(text, true)
            .map(|d| d.to_string())
            .unwrap_or_else(|e| format!("{e:?}"))
    }

    #[test]
    fn numbers_stored_as_text() {
        assert_eq!(n("12,345.60"), "12345.60");
        assert_eq!(n("¥12,345"), "12345");
        assert_eq!(n("￥12,345.5"), "12345.5");
        assert_eq!(n("$1,200"), "1200");
        assert_eq!(n("€99"), "99");
        assert_eq!(n(" 85 "), "85");
        assert_eq!(n("85%"), "85");
        assert_eq!(n("１２，３４５．６"), "12345.6");
        assert_eq!(n("RMB 5,000"), "5000");
        assert_eq!(n("5000元"), "5000");
        assert_eq!(n("-1,200.50"), "-1200.50");
        assert_eq!(n("(1,200)"), "-1200");
        assert_eq!(n("¥-300"), "-300");
        assert_eq!(n("1.5E3"), "1500");
        assert_eq!(n("¥(1,200)"), "-1200");
        assert_eq!(n("(¥1,200.50)"), "-1200.50");
        assert_eq!(n("12.5万"), "125000.0");
        assert_eq!(n("12.5万元"), "125000.0");
        assert_eq!(n("3千元"), "3000");
        assert_eq!(n("12k"), "12000");
        assert_eq!(n("(1.2万)"), "-12000.0");
    }

    #[test]
    fn units_and_percent_signs_are_reported() {
        let p = parse_marked("88%", true).unwrap();
        assert!(p.percent && !p.unit && p.scale.is_none());
        let p = parse_marked("12万", false).unwrap();
        assert_eq!(p.scale, Some((Decimal::from(10_000), "万")));
        assert!(p.unit);
        assert!(parse_marked("¥5,000", false).unwrap().unit);
        assert!(!parse_marked("5,000", false).unwrap().unit);
        // A percent sign beside a unit or currency means nothing sure.
        assert!(parse_marked("12万%", true).is_err());
        assert!(parse_marked("¥12%", true).is_err());
        // Unknown text stays not a number.
        for bad in ["12箱", "12 apples", "万", "k12"] {
            assert_eq!(
                parse_marked(bad, true),
                Err(NumberError::NotANumber),
                "{bad}"
            );
        }
    }

    #[test]
    fn text_that_is_not_a_number_is_refused() {
        for bad in [
            "", "n/a", "abc", "12,5", "1,2345", "1.2.3", "12 345", "--5", "85%%", "5 apples",
        ] {
            assert!(parse_number(bad, true).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_number("85%", false),
            Err(NumberError::PercentNotAllowed)
        );
        assert_eq!(
            parse_number("123456789012345678901234567890123", false),
            Err(NumberError::TooLarge)
        );
        assert_eq!(parse_number("1e30", false), Err(NumberError::TooLarge));
    }

    #[test]
    fn doubles_keep_their_decimal_digits() {
        assert_eq!(
            decimal_from_f64(112345.67).unwrap().to_string(),
            "112345.67"
        );
        assert_eq!(decimal_from_f64(0.1).unwrap().to_string(), "0.1");
        assert_eq!(decimal_from_f64(0.525625).unwrap().to_string(), "0.525625");
        assert_eq!(decimal_from_f64(100000.0).unwrap().to_string(), "100000");
        assert_eq!(decimal_from_f64(1e30), Err(NumberError::TooLarge));
        assert_eq!(decimal_from_f64(f64::NAN), Err(NumberError::NotANumber));
    }

    #[test]
    fn ids_from_numbers() {
        assert_eq!(id_from_f64(1001.0).as_deref(), Some("1001"));
        assert_eq!(id_from_f64(1001.5).as_deref(), Some("1001.5"));
        assert_eq!(clean_text("\u{3000} S001 "), "S001");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;

    /// `1234567.5` -> `1,234,567.5`, as Excel shows it.
    fn with_thousands(d: Decimal) -> String {
        let text = d.abs().to_string();
        let (int, frac) = text
            .split_once('.')
            .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if let Some(f) = frac {
            grouped.push('.');
            grouped.push_str(f);
        }
        grouped
    }

    fn decimal() -> impl Strategy<Value = Decimal> {
        (-10_000_000_000_000i64..10_000_000_000_000, 0u32..=6)
            .prop_map(|(m, scale)| Decimal::new(m, scale))
    }

    proptest! {
        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,24}", percent: bool) {
            let _ = parse_number(&text, percent);
        }

        #[test]
        fn parsing_number_like_text_never_panics(
            text in "[ ￥¥$€(\\-+]{0,2}[0-9０-９,.，．eE%]{0,30}[ )元%]{0,2}",
            percent: bool,
        ) {
            let _ = parse_number(&text, percent);
        }

        #[test]
        fn a_formatted_decimal_reads_back_as_itself(d in decimal(), style in 0u8..6) {
            let plain = with_thousands(d);
            let sign = if d.is_sign_negative() { "-" } else { "" };
            let text = match style {
                0 => d.to_string(),
                1 => format!("{sign}{plain}"),
                2 => format!("¥{sign}{plain}"),
                3 => format!("  {sign}{plain} 元 "),
                4 if d.is_sign_negative() => format!("({plain})"),
                4 => format!("${plain}"),
                _ => format!("{sign}{plain}")
                    .chars()
                    .map(|c| match c {
                        '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                        ',' => '，',
                        _ => c,
                    })
                    .collect(),
            };
            let back = parse_number(&text, false);
            prop_assert_eq!(back, Ok(d), "{}", text);
        }

        #[test]
        fn whole_doubles_are_ids_without_a_fraction(n in 0u64..1_000_000_000_000) {
            prop_assert_eq!(id_from_f64(n as f64), Some(n.to_string()));
        }

        /// Every double is converted exactly, except digits past the 28th
        /// decimal place (rust_decimal's scale limit: noise like 1e-30 from
        /// a formula becomes 0) and magnitudes beyond a decimal's range,
        /// which are refused, never wrapped.
        #[test]
        fn any_double_converts_or_is_refused_without_panic(bits: u64) {
            let value = f64::from_bits(bits);
            match decimal_from_f64(value) {
                Ok(d) => {
                    let again: f64 = d.to_string().parse().unwrap();
                    prop_assert!(again == value || (again - value).abs() <= 1e-28, "{} -> {}", value, d);
                }
                Err(_) => prop_assert!(!value.is_finite() || value.abs() >= 7.9e28, "{}", value),
            }
        }
    }
}
