//! Periods: a month, or a year to date.

use std::fmt;

/// A reporting period. Months sort before the year-to-date of their year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Month { year: u16, month: u8 },
    YearToDate { year: u16 },
}

impl Period {
    /// A month, if `month` is 1–12 and the year plausible (1900–9999).
    pub fn month(year: i64, month: i64) -> Option<Period> {
        if (1..=12).contains(&month) && (1900..=9999).contains(&year) {
            Some(Period::Month {
                year: year as u16,
                month: month as u8,
            })
        } else {
            None
        }
    }

    pub fn year(self) -> u16 {
        match self {
            Period::Month { year, .. } | Period::YearToDate { year } => year,
        }
    }

    /// The folder the period's reports go to: `2026-10` or `ytd-2026`.
    pub fn folder(self) -> String {
        match self {
            Period::Month { .. } => self.to_string(),
            Period::YearToDate { year } => format!("ytd-{year}"),
        }
    }

    /// The last day of the period as (year, month, day); the reports'
    /// document date, so re-runs give the same bytes.
    pub fn end_date(self) -> (u16, u8, u8) {
        match self {
            Period::Month { year, month } => {
                let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                let day = match month {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                (year, month, day)
            }
            Period::YearToDate { year } => (year, 12, 31),
        }
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |p: &Period| match *p {
            Period::Month { year, month } => (year, month),
            Period::YearToDate { year } => (year, 13),
        };
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::YearToDate { year } => write!(f, "{year:04}-YTD"),
        }
    }
}

/// Finds a period in free text: `2026-10`, `2026/10`, `2026.10`, `202610`,
/// `2026年10月`, also inside a file name such as `sales-2026-10.xlsx`.
/// Full-width digits count as digits. Returns None when there is none, or
/// when the text names two different periods.
pub fn find_period(text: &str) -> Option<Period> {
    let chars: Vec<char> = text.chars().map(crate::lang::halfwidth).collect();
    let mut found: Option<Period> = None;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let digits: String = chars[i..i + run].iter().collect();
        let mut hit = None;
        if run == 6 {
            hit = Period::month(num(&digits[..4]), num(&digits[4..]));
        } else if run == 4 {
            let j = i + 4;
            let sep = chars.get(j).copied();
            if matches!(sep, Some('-' | '/' | '.' | '年' | '_')) {
                let mut k = j + 1;
                while chars.get(k) == Some(&' ') {
                    k += 1;
                }
                let mrun = chars[k.min(chars.len())..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if (1..=2).contains(&mrun) {
                    let m: String = chars[k..k + mrun].iter().collect();
                    // `2026-10-15` is a date: its month still counts.
                    hit = Period::month(num(&digits), num(&m));
                }
            }
        }
        if let Some(p) = hit {
            if found.is_some_and(|f| f != p) {
                return None;
            }
            found = Some(p);
        }
        i += run;
    }
    found
}

fn num(s: &str) -> i64 {
    s.parse().unwrap_or(-1)
}

/// Parses a `--period` value: `2026-10` (any spelling the inputs accept)
/// or `ytd-2026`.
pub fn parse_period(text: &str) -> Option<Period> {
    let t = text.trim().to_ascii_lowercase();
    if let Some(rest) = t.strip_prefix("ytd") {
        let year = rest
            .trim_start_matches(['-', ' ', '_'])
            .parse::<u16>()
            .ok()?;
        return Some(Period::YearToDate { year });
    }
    if let Some(year) = t.strip_suffix("-ytd") {
        return Some(Period::YearToDate {
            year: year.parse().ok()?,
        });
    }
    find_period(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Option<String> {
        find_period(text).map(|p| p.to_string())
    }

    #[test]
    fn every_form_of_the_contract() {
        for text in [
            "2026-10",
            "2026/10",
            "202610",
            "2026年10月",
            "2026.10",
            "２０２６年１０月",
        ] {
            assert_eq!(p(text).as_deref(), Some("2026-10"), "{text}");
        }
        assert_eq!(p("2026-3").as_deref(), Some("2026-03"));
    }

    #[test]
    fn inside_file_names() {
        assert_eq!(p("sales-2026-10.xlsx").as_deref(), Some("2026-10"));
        assert_eq!(p("2026年10月销售业绩.xlsx").as_deref(), Some("2026-10"));
        assert_eq!(p("results_202611_final.csv").as_deref(), Some("2026-11"));
        assert_eq!(p("staff.xlsx"), None);
        assert_eq!(p("2026-13.xlsx"), None);
        assert_eq!(p("2026-10 vs 2026-11.xlsx"), None);
        assert_eq!(p("12345678.xlsx"), None);
    }

    #[test]
    fn folders_and_order() {
        let oct = Period::month(2026, 10).unwrap();
        let ytd = Period::YearToDate { year: 2026 };
        assert_eq!(oct.folder(), "2026-10");
        assert_eq!(ytd.folder(), "ytd-2026");
        assert_eq!(ytd.to_string(), "2026-YTD");
        assert!(oct < ytd);
        assert!(Period::month(2026, 12).unwrap() < ytd);
        assert!(ytd < Period::month(2027, 1).unwrap());
        assert_eq!(Period::month(2028, 2).unwrap().end_date(), (2028, 2, 29));
    }
    #[test]
    fn periods_parse_in_every_spelling() {
        assert_eq!(
            parse_period("2026-10"),
            Some(Period::Month {
                year: 2026,
                month: 10
            })
        );
        assert_eq!(
            parse_period("2026年10月"),
            Some(Period::Month {
                year: 2026,
                month: 10
            })
        );
        assert_eq!(
            parse_period("ytd-2026"),
            Some(Period::YearToDate { year: 2026 })
        );
        assert_eq!(
            parse_period("2026-YTD"),
            Some(Period::YearToDate { year: 2026 })
        );
        assert_eq!(parse_period("soon"), None);
    }
}
