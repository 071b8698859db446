//! The period of a table that has no Period column, from what names it:
//! the workbook's name, the sheet's name and the title rows above the
//! header, in that order of trust, or `--period` when none names one.
//!
//! A full month (`2026-10`, `2026年10月`) in any of them is the period; two
//! different ones are refused, never chosen between. A month alone in the
//! sheet name (`10月`, `Oct`) takes its year from the workbook's name or a
//! title row (`2026年销售业绩.xlsx`); a month with no year anywhere is
//! refused with the fix. A title cell that is a stamp (`制表日期：2026-11-03`,
//! `Printed 2026-11-03`) names when the sheet was made, not its month, and
//! is not read.

use calamine::Data;

use super::cell::cell_text;
use crate::input::cell::halfwidth;
use crate::period::{Period, find_period};

/// How a table's period was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Named whole by the file, the sheet or a title row.
    Named(Period),
    /// A month from the sheet (or title) and a year from elsewhere: noted.
    Combined {
        period: Period,
        how: String,
        how_zh: String,
    },
    /// From `--period`: noted.
    Given(Period),
}

impl Found {
    pub fn period(&self) -> Period {
        match self {
            Found::Named(p) | Found::Combined { period: p, .. } | Found::Given(p) => *p,
        }
    }
}

/// Where a month or year was read, in English and Chinese.
#[derive(Debug, Clone)]
struct Src {
    en: String,
    zh: String,
}

impl Src {
    fn file(file: &str) -> Src {
        Src {
            en: format!("the file name '{file}'"),
            zh: format!("文件名“{file}”"),
        }
    }
    fn sheet(sheet: &str) -> Src {
        Src {
            en: format!("the sheet name '{sheet}'"),
            zh: format!("工作表名“{sheet}”"),
        }
    }
    fn title(title: &str) -> Src {
        Src {
            en: format!("the title '{title}'"),
            zh: format!("标题“{title}”"),
        }
    }
}

/// Why no period could be given: English and Chinese messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub en: String,
    pub zh: String,
}

/// The period of a table without a Period column.
///
/// # Errors
/// A [`Refusal`] when nothing names a month, when two sources name
/// different months, or when a month is named with no year.
pub fn table_period(
    file: &str,
    sheet: &str,
    title_rows: &[&[Data]],
    given: Option<Period>,
) -> Result<Found, Refusal> {
    let titles: Vec<String> = title_rows
        .iter()
        .flat_map(|r| r.iter())
        .filter(|c| matches!(c, Data::String(_)))
        .map(cell_text)
        .filter(|t| !t.is_empty() && !is_stamp(t))
        .collect();
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    // Whole periods, by source.
    let mut named: Vec<(Src, Period)> = Vec::new();
    if let Some(p) = find_period(stem) {
        named.push((Src::file(file), p));
    }
    if let Some(p) = find_period(sheet) {
        named.push((Src::sheet(sheet), p));
    }
    for t in &titles {
        if let Some(p) = find_period(t) {
            named.push((Src::title(t), p));
        }
    }
    if let Some((first, p)) = named.first() {
        if let Some((other, q)) = named.iter().find(|(_, q)| q != p) {
            return Err(Refusal {
                en: format!(
                    "{} says {p} but {} says {q}; correct the one that is wrong, or add a Period column",
                    first.en, other.en
                ),
                zh: format!(
                    "{}表示 {p}，而{}表示 {q}；请更正错误的一处，或添加“期间”列",
                    first.zh, other.zh
                ),
            });
        }
        return Ok(Found::Named(*p));
    }
    // A month alone, and a year from elsewhere.
    let month = month_of(sheet).map(|m| (m, Src::sheet(sheet))).or_else(|| {
        titles
            .iter()
            .find_map(|t| month_of(t).map(|m| (m, Src::title(t))))
    });
    let mut years: Vec<(Src, u16)> = Vec::new();
    for y in years_in(stem) {
        years.push((Src::file(file), y));
    }
    for t in &titles {
        for y in years_in(t) {
            years.push((Src::title(t), y));
        }
    }
    match month {
        Some((m, month_from)) => {
            if let Some((first, y)) = years.first() {
                if let Some((other, z)) = years.iter().find(|(_, z)| z != y) {
                    return Err(Refusal {
                        en: format!(
                            "{} gives the month {m}, but {} says the year {y} and {} says {z}; correct the one that is wrong, or add a Period column",
                            month_from.en, first.en, other.en
                        ),
                        zh: format!(
                            "{}给出月份 {m}，但{}表示 {y} 年，{}表示 {z} 年；请更正错误的一处，或添加“期间”列",
                            month_from.zh, first.zh, other.zh
                        ),
                    });
                }
                let period = Period::month(i64::from(*y), i64::from(m)).ok_or_else(|| Refusal {
                    en: format!("{} gives the year {y}, which is not a plausible year", first.en),
                    zh: format!("{}给出的年份 {y} 不合理", first.zh),
                })?;
                return Ok(Found::Combined {
                    period,
                    how: format!("the year from {} and the month from {}", first.en, month_from.en),
                    how_zh: format!("{}中的年份与{}中的月份", first.zh, month_from.zh),
                });
            }
            match given {
                Some(p @ Period::Month { month, .. }) if month == m => Ok(Found::Given(p)),
                Some(p) => Err(Refusal {
                    en: format!(
                        "{} gives the month {m} but no year, and --period {p} is another month; put the year in the file name (e.g. '2026年销售业绩.xlsx') or a title row, or pass the matching --period",
                        month_from.en
                    ),
                    zh: format!(
                        "{}给出月份 {m} 但没有年份，而 --period {p} 是另一个月；请在文件名（例如“2026年销售业绩.xlsx”）或标题行中写上年份，或给出相符的 --period",
                        month_from.zh
                    ),
                }),
                None => Err(Refusal {
                    en: format!(
                        "{} gives the month {m} but there is no year in the file name or a title row; put the year in the file name (e.g. '2026年销售业绩.xlsx'), add a Period column, or run with --period YYYY-{m:02}",
                        month_from.en
                    ),
                    zh: format!(
                        "{}给出月份 {m}，但文件名和标题行中都没有年份；请在文件名中写上年份（例如“2026年销售业绩.xlsx”），或添加“期间”列，或运行时加上 --period YYYY-{m:02}",
                        month_from.zh
                    ),
                }),
            }
        }
        None => match given {
            Some(p) => Ok(Found::Given(p)),
            None => Err(Refusal {
                en: "no Period column and no month in the file name, sheet name or title rows; add a Period column, name the file like '2026-10.xlsx', or run with --period 2026-10".to_owned(),
                zh: "没有“期间”列，文件名、工作表名和标题行中也没有月份；请添加“期间”列，或把文件命名为“2026-10.xlsx”这样的形式，或运行时加上 --period 2026-10".to_owned(),
            }),
        },
    }
}

/// A title cell that records when or by whom the sheet was made.
fn is_stamp(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "日期",
        "制表",
        "打印",
        "更新",
        "导出",
        "生成",
        "date",
        "print",
        "update",
        "export",
        "generated",
        "created",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || has_day(&lower)
}

/// Whether the text holds a full date (`2026-11-03`, `2026/11/3`, `3日`).
fn has_day(text: &str) -> bool {
    let chars: Vec<char> = text.chars().map(halfwidth).collect();
    if chars.contains(&'日') {
        return true;
    }
    // Digits, separator, digits, same separator, digits.
    let mut groups = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((start, i));
        } else {
            i += 1;
        }
    }
    groups.windows(3).any(|w| {
        let s1 = chars.get(w[0].1);
        let s2 = chars.get(w[1].1);
        w[1].0 == w[0].1 + 1
            && w[2].0 == w[1].1 + 1
            && s1 == s2
            && matches!(s1, Some('-' | '/' | '.'))
    })
}

/// A month named alone: `10月`, `10 月`, `十月`, `十二月份`, `Oct`,
/// `October` (a whole word). None when there is none or two differ.
pub fn month_of(text: &str) -> Option<u8> {
    let chars: Vec<char> = text.chars().map(halfwidth).collect();
    let mut found: Vec<u8> = Vec::new();
    // Digits before 月.
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let mut j = i;
            while chars.get(j) == Some(&' ') {
                j += 1;
            }
            if chars.get(j) == Some(&'月') {
                let n: String = chars[start..i].iter().collect();
                if let Ok(m) = n.parse::<u8>()
                    && (1..=12).contains(&m)
                {
                    found.push(m);
                }
            }
        } else {
            i += 1;
        }
    }
    // Chinese numerals before 月 (十二 before 十, 十一 before 一).
    const ZH: [(&str, u8); 12] = [
        ("十二月", 12),
        ("十一月", 11),
        ("十月", 10),
        ("九月", 9),
        ("八月", 8),
        ("七月", 7),
        ("六月", 6),
        ("五月", 5),
        ("四月", 4),
        ("三月", 3),
        ("二月", 2),
        ("一月", 1),
    ];
    let text_hw: String = chars.iter().collect();
    let mut rest = text_hw.clone();
    for (name, m) in ZH {
        if rest.contains(name) {
            found.push(m);
            rest = rest.replace(name, " ");
        }
    }
    // English month names as whole words.
    const EN: [(&str, u8); 12] = [
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ];
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = text_hw.to_lowercase();
    for word in lower.split(|c: char| !c.is_ascii_alphabetic()) {
        for (i, (short, m)) in EN.iter().enumerate() {
            if word == *short || word == FULL[i] || (*m == 9 && word == "sept") {
                found.push(*m);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [m] => Some(*m),
        _ => None,
    }
}

/// Four-digit years (1900–2100) standing alone in the text, distinct.
pub fn years_in(text: &str) -> Vec<u16> {
    let chars: Vec<char> = text.chars().map(halfwidth).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let n: String = chars[start..i].iter().collect();
                if let Ok(y) = n.parse::<u16>()
                    && (1900..=2100).contains(&y)
                    && !out.contains(&y)
                {
                    out.push(y);
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(y: i64, m: i64) -> Period {
        Period::month(y, m).unwrap()
    }

    fn title(t: &str) -> Vec<Data> {
        vec![Data::String(t.to_owned())]
    }

    #[test]
    fn months_alone_in_every_form() {
        for (text, m) in [
            ("10月", 10),
            ("9 月", 9),
            ("１０月", 10),
            ("十月", 10),
            ("十二月份", 12),
            ("一月", 1),
            ("Oct", 10),
            ("September", 9),
            ("Sept results", 9),
        ] {
            assert_eq!(month_of(text), Some(m), "{text}");
        }
        for text in [
            "Sheet1",
            "Results",
            "13月",
            "Mayor",
            "9月 vs 10月",
            "Octopus",
        ] {
            assert_eq!(month_of(text), None, "{text}");
        }
    }

    #[test]
    fn year_of_the_workbook_and_month_of_the_sheet() {
        let got = table_period("2026年销售业绩.xlsx", "10月", &[], None).unwrap();
        assert_eq!(got.period(), month(2026, 10));
        assert!(matches!(got, Found::Combined { .. }));
        // The year in a title row instead.
        let t = title("2026年度销售业绩");
        let got = table_period("业绩.xlsx", "9月", &[&t], None).unwrap();
        assert_eq!(got.period(), month(2026, 9));
    }

    #[test]
    fn a_month_without_a_year_is_refused_with_the_fix() {
        let err = table_period("销售业绩.xlsx", "10月", &[], None).unwrap_err();
        assert!(
            err.en.contains("gives the month 10 but there is no year"),
            "{}",
            err.en
        );
        assert!(err.en.contains("--period YYYY-10"), "{}", err.en);
        // --period of that month supplies the year; of another is refused.
        let got = table_period("销售业绩.xlsx", "10月", &[], Some(month(2026, 10))).unwrap();
        assert_eq!(got, Found::Given(month(2026, 10)));
        assert!(table_period("销售业绩.xlsx", "10月", &[], Some(month(2026, 9))).is_err());
    }

    #[test]
    fn named_periods_must_agree() {
        assert_eq!(
            table_period("results-2026-10.xlsx", "Sheet1", &[], None).unwrap(),
            Found::Named(month(2026, 10))
        );
        let t = title("2026年10月销售业绩表");
        assert_eq!(
            table_period("results.xlsx", "Sheet1", &[&t], None).unwrap(),
            Found::Named(month(2026, 10))
        );
        let err = table_period("results-2026-10.xlsx", "2026-09", &[], None).unwrap_err();
        assert!(err.en.contains("says 2026-10") && err.en.contains("says 2026-09"));
        // Two years for one month: refused.
        assert!(table_period("2025-2026 业绩.xlsx", "10月", &[], None).is_err());
    }

    #[test]
    fn stamps_in_title_rows_are_not_periods() {
        let t = title("制表日期：2026-11-03");
        let got = table_period("results-2026-10.xlsx", "Sheet1", &[&t], None).unwrap();
        assert_eq!(got, Found::Named(month(2026, 10)));
        let t = title("Printed 2026/11/03");
        assert!(table_period("results.xlsx", "Sheet1", &[&t], None).is_err());
        assert!(has_day("2026-11-03"));
        assert!(!has_day("2026-11"));
    }

    #[test]
    fn given_period_for_tables_naming_none() {
        assert_eq!(
            table_period("results.xlsx", "Sheet1", &[], Some(month(2026, 10))).unwrap(),
            Found::Given(month(2026, 10))
        );
        assert!(table_period("results.xlsx", "Sheet1", &[], None).is_err());
    }
}
