//! Units written beside a header or a number: `实际销售额(元)`,
//! `销售目标（万元）`, `客户满意度(%)`, `团队协作评分(1-5分)`, `12.5万`, `3k`.
//!
//! A unit in brackets after a header names what the column holds; it does
//! not stop the header from matching the plan's column. Three kinds:
//!
//! - a **label** (`元`, `%`, `个`, `小时`, `次`, `USD`...): only says what
//!   the numbers are; read as written;
//! - a **scaling unit** (`万元`, `万`, `千元`, `千`, `k`, `百万`, `亿`,
//!   `thousands`, `millions`): every bare number of the column is multiplied
//!   exactly (10 in a `万元` column is 100,000);
//! - a **range** (`1-5分`, `0~100`, `满分5分`, `out of 5`): the scale the
//!   values are on, checked against the scale the plan scores the column on.
//!
//! Any other text in brackets (`销售额(含税)`) is not a unit: the header is
//! not matched, so the column is reported rather than guessed.
//!
//! In a number cell, a scaling unit after the number (`12.5万`, `3千元`,
//! `12k`) multiplies it exactly; a cell with a unit of its own is read by
//! that unit, never also by the header's.

use rust_decimal::Decimal;

/// What a bracketed header unit means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// Says what the numbers are; changes nothing.
    Label,
    /// Every bare number is multiplied by `factor`; `name` as written.
    Scale { factor: Decimal, name: String },
    /// The values are on `lo..hi` (`lo` None for `满分5分`, `out of 5`).
    Range { lo: Option<Decimal>, hi: Decimal },
}

/// A header split into its name and the text of a trailing bracketed
/// unit: `销售目标（万元）` -> (`销售目标`, `万元`). None when there is no
/// such bracket.
pub fn split_header(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_end();
    let close = t.chars().next_back()?;
    let open = match close {
        ')' => '(',
        '）' => '（',
        ']' => '[',
        '】' => '【',
        _ => return None,
    };
    let inner_end = t.len() - close.len_utf8();
    // The last matching open bracket (`（`/`(` may mix: accept either).
    let start = t[..inner_end]
        .rfind(|c| c == open || (matches!(open, '(' | '（') && matches!(c, '(' | '（')))?;
    let name = t[..start].trim_end();
    let opener = t[start..].chars().next()?;
    let unit = t[start + opener.len_utf8()..inner_end].trim();
    if name.is_empty() {
        return None;
    }
    Some((name, unit))
}

/// The meaning of a unit's text, or None when it is not a unit.
pub fn header_unit(unit: &str) -> Option<Unit> {
    let u: String = unit
        .chars()
        .map(crate::lang::halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    if let Some((factor, name)) = scale_unit(&u) {
        return Some(Unit::Scale {
            factor,
            name: name.to_owned(),
        });
    }
    const LABELS: [&str; 44] = [
        "元",
        "人民币",
        "rmb",
        "cny",
        "¥",
        "￥",
        "$",
        "usd",
        "€",
        "eur",
        "个",
        "人",
        "位",
        "名",
        "次",
        "件",
        "单",
        "笔",
        "户",
        "家",
        "小时",
        "时",
        "h",
        "hr",
        "hrs",
        "hour",
        "hours",
        "天",
        "日",
        "day",
        "days",
        "分",
        "分数",
        "point",
        "points",
        "pts",
        "score",
        "%",
        "百分比",
        "percent",
        "学时",
        "课时",
        "个数",
        "次数",
    ];
    if LABELS.contains(&u.as_str()) {
        return Some(Unit::Label);
    }
    range_unit(&u)
}

/// `万元` -> 10000. Units as lowercased, without spaces.
fn scale_unit(u: &str) -> Option<(Decimal, &'static str)> {
    let (factor, name): (i64, &'static str) = match u {
        "万元" | "万" | "万人民币" => (10_000, "万"),
        "千元" | "千" => (1_000, "千"),
        "k" | "k元" | "千元rmb" | "thousand" | "thousands" | "'000" | "000s" => (1_000, "k"),
        "百万" | "百万元" | "million" | "millions" | "mn" => (1_000_000, "百万"),
        "亿" | "亿元" => (100_000_000, "亿"),
        _ => return None,
    };
    Some((Decimal::from(factor), name))
}

/// `1-5分`, `0~100`, `1至5分`, `满分5分`, `5分制`, `outof5`, `/5`.
fn range_unit(u: &str) -> Option<Unit> {
    let trimmed = u
        .trim_end_matches("分制")
        .trim_end_matches("points")
        .trim_end_matches("point")
        .trim_end_matches("pts")
        .trim_end_matches('分');
    let number = |t: &str| t.parse::<Decimal>().ok();
    if let Some(hi) = trimmed
        .strip_prefix("满分")
        .or_else(|| trimmed.strip_prefix("outof"))
        .or_else(|| trimmed.strip_prefix('/'))
        .and_then(number)
    {
        return Some(Unit::Range { lo: None, hi });
    }
    if u.ends_with("分制")
        && let Some(hi) = number(trimmed)
    {
        return Some(Unit::Range { lo: None, hi });
    }
    for sep in ["-", "~", "～", "—", "–", "至", "到"] {
        if let Some((a, b)) = trimmed.split_once(sep)
            && let (Some(lo), Some(hi)) = (number(a), number(b))
            && lo < hi
        {
            return Some(Unit::Range { lo: Some(lo), hi });
        }
    }
    None
}

/// A scaling unit after a number in a cell: `12.5万` -> (`12.5`, 10000,
/// `万`). None when the text ends with no such unit.
pub fn cell_scale(text: &str) -> Option<(&str, Decimal, &'static str)> {
    let t = text.trim_end();
    // Longest first, so 万元 is not read as 元 after 万.
    for suffix in [
        "万元",
        "千元",
        "百万元",
        "亿元",
        "百万",
        "万",
        "千",
        "亿",
        "K",
        "k",
    ] {
        if let Some(rest) = t.strip_suffix(suffix) {
            let rest = rest.trim_end();
            // `12k`, not `Park` or a bare `k`.
            if !rest.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == ')') {
                continue;
            }
            let (factor, name) = scale_unit(&suffix.to_lowercase())?;
            return Some((rest, factor, name));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_from_their_units() {
        assert_eq!(split_header("实际销售额(元)"), Some(("实际销售额", "元")));
        assert_eq!(split_header("销售目标（万元）"), Some(("销售目标", "万元")));
        assert_eq!(
            split_header("Satisfaction (%)"),
            Some(("Satisfaction", "%"))
        );
        assert_eq!(
            split_header("团队协作评分（1-5分)"),
            Some(("团队协作评分", "1-5分"))
        );
        assert_eq!(split_header("Sales"), None);
        assert_eq!(split_header("(元)"), None);
    }

    #[test]
    fn units_are_labels_scales_or_ranges() {
        assert_eq!(header_unit("元"), Some(Unit::Label));
        assert_eq!(header_unit("%"), Some(Unit::Label));
        assert_eq!(header_unit("小时"), Some(Unit::Label));
        assert_eq!(header_unit("个"), Some(Unit::Label));
        assert_eq!(
            header_unit("万元"),
            Some(Unit::Scale {
                factor: Decimal::from(10_000),
                name: "万".into()
            })
        );
        assert_eq!(
            header_unit(" K "),
            Some(Unit::Scale {
                factor: Decimal::from(1_000),
                name: "k".into()
            })
        );
        assert_eq!(
            header_unit("1-5分"),
            Some(Unit::Range {
                lo: Some(Decimal::ONE),
                hi: Decimal::from(5)
            })
        );
        assert_eq!(
            header_unit("0～100"),
            Some(Unit::Range {
                lo: Some(Decimal::ZERO),
                hi: Decimal::ONE_HUNDRED
            })
        );
        assert_eq!(
            header_unit("满分5分"),
            Some(Unit::Range {
                lo: None,
                hi: Decimal::from(5)
            })
        );
        assert_eq!(header_unit("含税"), None);
        assert_eq!(header_unit("2026"), None);
    }

    #[test]
    fn scaling_units_in_cells() {
        let d = |n: i64| Decimal::from(n);
        assert_eq!(cell_scale("12.5万"), Some(("12.5", d(10_000), "万")));
        assert_eq!(cell_scale("12.5 万元"), Some(("12.5", d(10_000), "万")));
        assert_eq!(cell_scale("3千元"), Some(("3", d(1_000), "千")));
        assert_eq!(cell_scale("12k"), Some(("12", d(1_000), "k")));
        assert_eq!(cell_scale("1,200K"), Some(("1,200", d(1_000), "k")));
        assert_eq!(cell_scale("(1.2万)"), None);
        assert_eq!(cell_scale("k"), None);
        assert_eq!(cell_scale("Park"), None);
        assert_eq!(cell_scale("12000"), None);
    }
}
