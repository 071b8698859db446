//! What a roster exported from an HR system says beyond the plan's
//! columns, and the identities the tables refer to: employment status and
//! hire/leave dates (who is evaluated in a month), manager names resolved
//! to ids, and ids that differ from a roster id only in their format.

use std::collections::HashMap;

use crate::period::Period;
use crate::plan::normalize_header;

/// What an employment status says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Employed (regular, on probation, intern, on leave).
    Employed,
    /// Has left (resigned, terminated, retired).
    Left,
    /// Not yet started (an accepted offer).
    NotYetHired,
}

/// Reads a status cell; None for a status not in the lists (the caller
/// warns and treats the person as employed).
pub fn status_of(text: &str) -> Option<Status> {
    let norm: String = normalize_header(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .collect();
    const EMPLOYED: [&str; 24] = [
        "在职",
        "正式",
        "试用",
        "试用期",
        "实习",
        "实习期",
        "转正",
        "已转正",
        "兼职",
        "休假",
        "停薪留职",
        "在岗",
        "active",
        "employed",
        "probation",
        "onprobation",
        "probationary",
        "intern",
        "regular",
        "fulltime",
        "parttime",
        "current",
        "onleave",
        "permanent",
    ];
    const LEFT: [&str; 21] = [
        "离职",
        "已离职",
        "离岗",
        "辞职",
        "已辞职",
        "解聘",
        "辞退",
        "退休",
        "已退休",
        "离退",
        "terminated",
        "resigned",
        "left",
        "inactive",
        "former",
        "separated",
        "retired",
        "dismissed",
        "quit",
        "withdrawn",
        "exited",
    ];
    const NOT_YET: [&str; 7] = [
        "待入职",
        "未入职",
        "待报到",
        "pending",
        "prehire",
        "onboarding",
        "offeraccepted",
    ];
    if EMPLOYED.contains(&norm.as_str()) {
        Some(Status::Employed)
    } else if LEFT.contains(&norm.as_str()) {
        Some(Status::Left)
    } else if NOT_YET.contains(&norm.as_str()) {
        Some(Status::NotYetHired)
    } else {
        None
    }
}

/// A calendar date (year, month, day) from a date cell as read:
/// `2026-10-15`, `2026/10/15`, `2026.10.15`, `2026年10月15日`, an ISO date
/// with a time. None when it is not one.
pub fn date_of(text: &str) -> Option<(u16, u8, u8)> {
    let t: String = text
        .chars()
        .map(crate::input::cell::halfwidth)
        .collect::<String>()
        .trim()
        .to_owned();
    let t = t.split(['T', ' ']).next().unwrap_or("");
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let (y, m, d): (u16, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let last = Period::month(i64::from(y), i64::from(m))?.end_date().2;
    (1..=last).contains(&d).then_some((y, m, d))
}

/// Whether a person is outside `period` by their dates and status: left
/// before it ended (or left, with no date), or hired after it ended. The
/// reason in English and Chinese, for the note.
pub fn outside(
    status: Option<Status>,
    hire: Option<(u16, u8, u8)>,
    leave: Option<(u16, u8, u8)>,
    period: Period,
) -> Option<(String, String)> {
    let (ey, em, ed) = period.end_date();
    let end = (ey, em, ed);
    let show = |(y, m, d): (u16, u8, u8)| format!("{y:04}-{m:02}-{d:02}");
    if let Some(h) = hire
        && h > end
    {
        return Some((
            format!("hired on {} (after {period})", show(h)),
            format!("入职日期为 {}（晚于 {period}）", show(h)),
        ));
    }
    match (leave, status) {
        // Left on or before the period's last day: a leaver for it.
        (Some(l), _) if l <= end => Some((
            format!("left on {}", show(l)),
            format!("已于 {} 离职", show(l)),
        )),
        (Some(_), _) => None,
        (None, Some(Status::Left)) => Some(("has left".to_owned(), "已离职".to_owned())),
        (None, Some(Status::NotYetHired)) if hire.is_none() => {
            Some(("is not yet hired".to_owned(), "尚未入职".to_owned()))
        }
        _ => None,
    }
}

/// An id reduced to what survives a change of cell format: no spaces,
/// upper case, half-width, no leading zeros in its digit runs.
pub fn loose_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut in_digits = false;
    let mut zeros = 0usize;
    for c in id.chars().map(crate::input::cell::halfwidth) {
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            if !in_digits && c == '0' {
                zeros += 1;
                continue;
            }
            in_digits = true;
            zeros = 0;
            out.push(c);
        } else {
            if zeros > 0 && !in_digits {
                out.push('0'); // a run of zeros only: keep one
            }
            in_digits = false;
            zeros = 0;
            out.extend(c.to_uppercase());
        }
    }
    if zeros > 0 && !in_digits {
        out.push('0');
    }
    out
}

/// How two ids that match loosely differ, in English and Chinese.
pub fn how_differs(a: &str, b: &str) -> (&'static str, &'static str) {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if squeeze(a) == squeeze(b) {
        ("spaces", "空格")
    } else if a.to_uppercase() == b.to_uppercase()
        || squeeze(a).to_uppercase() == squeeze(b).to_uppercase()
    {
        ("letter case", "字母大小写")
    } else {
        ("leading zeros", "前导零")
    }
}

/// Roster ids by their loose form; a loose form two ids share is left out
/// (it names nobody for sure).
pub fn loose_index<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, Option<&'a str>> {
    let mut out: HashMap<String, Option<&str>> = HashMap::new();
    for id in ids {
        out.entry(loose_id(id))
            .and_modify(|v| *v = None)
            .or_insert(Some(id));
    }
    out
}

/// A name as compared with the roster's: trimmed, spaces collapsed, case
/// ignored.
pub fn name_key(name: &str) -> String {
    normalize_header(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_from_hr_systems() {
        for t in [
            "在职",
            "试用",
            "试用期",
            "Active",
            "On Probation",
            "full-time",
        ] {
            assert_eq!(status_of(t), Some(Status::Employed), "{t}");
        }
        for t in ["离职", "已离职", "Terminated", "Resigned", "LEFT"] {
            assert_eq!(status_of(t), Some(Status::Left), "{t}");
        }
        assert_eq!(status_of("待入职"), Some(Status::NotYetHired));
        assert_eq!(status_of("maybe"), None);
    }

    #[test]
    fn dates_in_the_forms_exports_use() {
        assert_eq!(date_of("2026-10-15"), Some((2026, 10, 15)));
        assert_eq!(date_of("2026/9/3"), Some((2026, 9, 3)));
        assert_eq!(date_of("2026年10月1日"), Some((2026, 10, 1)));
        assert_eq!(date_of("2026-10-15T00:00:00"), Some((2026, 10, 15)));
        assert_eq!(date_of("2026-02-30"), None);
        assert_eq!(date_of("46310"), None);
        assert_eq!(date_of("15/10/2026"), None);
    }

    #[test]
    fn who_is_outside_a_month() {
        let oct = Period::month(2026, 10).unwrap();
        assert!(outside(None, None, Some((2026, 9, 30)), oct).is_some());
        assert!(outside(None, None, Some((2026, 10, 15)), oct).is_some());
        assert!(outside(Some(Status::Left), None, Some((2026, 11, 1)), oct).is_none());
        assert!(outside(Some(Status::Left), None, None, oct).is_some());
        assert!(outside(None, Some((2026, 11, 2)), None, oct).is_some());
        assert!(outside(Some(Status::Employed), Some((2026, 10, 2)), None, oct).is_none());
    }

    #[test]
    fn ids_that_differ_only_in_format() {
        assert_eq!(loose_id("001001"), loose_id("1001"));
        assert_eq!(loose_id("s001"), loose_id("S001"));
        assert_eq!(loose_id("S 001"), loose_id("S1"));
        assert_eq!(loose_id("0"), loose_id("000"));
        assert_ne!(loose_id("S100"), loose_id("S1"));
        assert_ne!(loose_id("1001"), loose_id("10010"));
        assert_eq!(how_differs("s001", "S001").0, "letter case");
        assert_eq!(how_differs("S 001", "S001").0, "spaces");
        assert_eq!(how_differs("1001", "001001").0, "leading zeros");
    }
}
