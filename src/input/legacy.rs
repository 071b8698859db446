//! The old process's results sheet, for `reconcile`: per person a staff ID
//! and any of total score, grade and bonus, found by header (English or
//! Chinese) like every other table. Input columns the plan knows (Sales,
//! Sales Target, …) and KPI score columns ("Sales revenue score",
//! "销售额得分") are read too when the sheet has them. A cell that is not
//! a number where a number belongs is refused, naming its cell.

use std::collections::HashSet;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use rust_decimal::Decimal;

use crate::diagnostics::{Location, a1};
use crate::input::cell::{clean_text, decimal_from_f64, id_from_f64, parse_number};
use crate::input::table::period_of;
use crate::period::Period;
use crate::plan::{ColumnIx, ColumnKind, Plan, TableKind, normalize_header};

/// Rows searched for the header row.
const HEADER_ROWS: usize = 30;

/// Headers of the old results' own columns (normalised as plan headers are).
pub const TOTAL_HEADERS: &[&str] = &[
    "total",
    "total score",
    "score",
    "final score",
    "kpi score",
    "总分",
    "得分",
    "总得分",
    "综合得分",
    "绩效得分",
    "考核得分",
];
pub const GRADE_HEADERS: &[&str] = &["grade", "rating grade", "等级", "绩效等级", "考核等级"];
pub const BONUS_HEADERS: &[&str] = &["bonus", "bonus amount", "奖金", "绩效奖金", "奖金金额"];

/// A number read from the old sheet, with its cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyValue {
    pub value: Decimal,
    pub cell: String,
}

/// One person's row in the old sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyRow {
    pub staff_id: String,
    /// The row's id cell.
    pub cell: String,
    pub total: Option<LegacyValue>,
    pub grade: Option<String>,
    pub bonus: Option<LegacyValue>,
    /// Plan input columns the sheet has: (column, value).
    pub inputs: Vec<(ColumnIx, LegacyValue)>,
    /// KPI score columns the sheet has: (KPI, score).
    pub kpi_scores: Vec<(usize, LegacyValue)>,
}

/// The old results table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacySheet {
    pub file: String,
    pub sheet: String,
    pub has_total: bool,
    pub has_grade: bool,
    pub has_bonus: bool,
    pub rows: Vec<LegacyRow>,
}

impl LegacySheet {
    /// Where a cell of the sheet is.
    pub fn at(&self, cell: &str) -> Location {
        Location {
            file: self.file.clone(),
            sheet: Some(self.sheet.clone()),
            cell: Some(cell.to_owned()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Staff,
    Period,
    Total,
    Grade,
    Bonus,
    Input(ColumnIx),
    Kpi(usize),
}

/// What a header names, if anything this reader uses.
fn classify(plan: &Plan, header: &str) -> Option<Col> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    if let Some(c) = plan.column_for_header(header) {
        if c == plan.key.staff_id {
            return Some(Col::Staff);
        }
        if c == plan.key.period {
            return Some(Col::Period);
        }
        let column = &plan.columns[c];
        if column.table != TableKind::Key && column.kind == ColumnKind::Number {
            return Some(Col::Input(c));
        }
        return None;
    }
    let is = |list: &[&str]| list.iter().any(|x| normalize_header(x) == h);
    if is(TOTAL_HEADERS) {
        return Some(Col::Total);
    }
    if is(GRADE_HEADERS) {
        return Some(Col::Grade);
    }
    if is(BONUS_HEADERS) {
        return Some(Col::Bonus);
    }
    plan.kpis
        .iter()
        .position(|k| {
            [k.label.en.as_str(), k.id.as_str(), k.label.zh.as_str()]
                .iter()
                .any(|name| {
                    [" score", "得分", "分数", " 得分"]
                        .iter()
                        .any(|suffix| normalize_header(&format!("{name}{suffix}")) == h)
                })
        })
        .map(Col::Kpi)
}

fn text_of(cell: &Data) -> Option<String> {
    match cell {
        Data::String(s) => Some(clean_text(s)).filter(|s| !s.is_empty()),
        Data::Float(f) => id_from_f64(*f),
        Data::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn number_of(cell: &Data, percent: bool) -> Result<Option<Decimal>, String> {
    match cell {
        Data::Empty => Ok(None),
        Data::Float(f) => decimal_from_f64(*f)
            .map(Some)
            .map_err(|_| format!("{f} is not a usable number")),
        Data::Int(i) => Ok(Some(Decimal::from(*i))),
        Data::String(s) if clean_text(s).is_empty() => Ok(None),
        Data::String(s) => parse_number(s, percent)
            .map(Some)
            .map_err(|_| format!("'{s}' is not a number")),
        other => Err(format!("{other:?} is not a number")),
    }
}

/// A sheet with a results table: its name, the header's row index in the
/// range, the range's first row and column, the columns found, the range.
type Found = (
    String,
    usize,
    u32,
    u32,
    Vec<(u32, Col)>,
    calamine::Range<Data>,
);

/// Reads the old results sheet of `path` for `period`: the first sheet
/// whose header row names a staff ID column and at least one of total
/// score, grade and bonus. A period column, when there is one, keeps only
/// the rows of `period`; without one, every row is taken as `period`'s.
///
/// # Errors
/// A message naming the file (and sheet and cell) when the workbook cannot
/// be read, holds no such table or two of them, a number cell is not a
/// number, or a staff ID appears twice.
pub fn read_legacy(path: &Path, plan: &Plan, period: Period) -> Result<LegacySheet, String> {
    let file = path.display().to_string();
    let mut wb = open_workbook_auto(path).map_err(|e| format!("cannot read {file}: {e}"))?;
    let mut found: Vec<Found> = Vec::new();
    for name in wb.sheet_names() {
        let Ok(range) = wb.worksheet_range(&name) else {
            continue;
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (i, row) in range.rows().take(HEADER_ROWS).enumerate() {
            let cols: Vec<(u32, Col)> = row
                .iter()
                .enumerate()
                .filter_map(|(j, cell)| match cell {
                    Data::String(s) => classify(plan, s).map(|c| (c0 + j as u32, c)),
                    _ => None,
                })
                .collect();
            let has = |want: &dyn Fn(&Col) -> bool| cols.iter().any(|(_, c)| want(c));
            if has(&|c| *c == Col::Staff)
                && has(&|c| matches!(c, Col::Total | Col::Grade | Col::Bonus))
            {
                found.push((name.clone(), i, r0, c0, cols, range));
                break;
            }
        }
    }
    let Some((sheet, header, r0, c0, cols, range)) = found.first().cloned() else {
        return Err(format!(
            "{file}: no results table found; the old sheet needs a header row with a staff ID column (Staff ID, 工号, …) and at least one of Total Score, Grade, Bonus (总分, 等级, 奖金)"
        ));
    };
    if let Some(other) = found.get(1) {
        return Err(format!(
            "{file}: two sheets hold a results table ('{sheet}' and '{}'); keep the one to reconcile against in a workbook of its own",
            other.0
        ));
    }
    let at = |row: u32, col: u32| format!("{file} › {sheet} › {}", a1(row, col));
    let mut rows: Vec<LegacyRow> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (i, row) in range.rows().enumerate().skip(header + 1) {
        let r = r0 + i as u32;
        let get = |col: u32| row.get((col - c0) as usize).unwrap_or(&Data::Empty);
        let mut out = LegacyRow {
            staff_id: String::new(),
            cell: String::new(),
            total: None,
            grade: None,
            bonus: None,
            inputs: Vec::new(),
            kpi_scores: Vec::new(),
        };
        let mut in_period = true;
        for &(col, kind) in &cols {
            let cell = get(col);
            let value = |percent: bool| -> Result<Option<LegacyValue>, String> {
                Ok(number_of(cell, percent)
                    .map_err(|why| {
                        format!(
                            "{}: {why}; write the number, or leave the cell empty",
                            at(r, col)
                        )
                    })?
                    .map(|value| LegacyValue {
                        value,
                        cell: a1(r, col),
                    }))
            };
            match kind {
                Col::Staff => {
                    out.staff_id = text_of(cell).unwrap_or_default();
                    out.cell = a1(r, col);
                }
                Col::Period => {
                    if !matches!(cell, Data::Empty) {
                        let p = period_of(cell).map_err(|why| format!("{}: {why}", at(r, col)))?;
                        in_period = p == period;
                    }
                }
                Col::Total => out.total = value(false)?,
                Col::Bonus => out.bonus = value(false)?,
                Col::Grade => out.grade = text_of(cell),
                Col::Input(c) => {
                    if let Some(v) = value(plan.columns[c].percent)? {
                        out.inputs.push((c, v));
                    }
                }
                Col::Kpi(k) => {
                    if let Some(v) = value(false)? {
                        out.kpi_scores.push((k, v));
                    }
                }
            }
        }
        if out.staff_id.is_empty() || !in_period {
            continue;
        }
        if !seen.insert(out.staff_id.clone()) {
            return Err(format!(
                "{}: staff ID {} appears twice in the old results; keep one row per person",
                at(
                    r,
                    cols.iter()
                        .find(|(_, c)| *c == Col::Staff)
                        .map_or(c0, |x| x.0)
                ),
                out.staff_id
            ));
        }
        rows.push(out);
    }
    let has = |want: Col| cols.iter().any(|(_, c)| *c == want);
    Ok(LegacySheet {
        file,
        sheet,
        has_total: has(Col::Total),
        has_grade: has(Col::Grade),
        has_bonus: has(Col::Bonus),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_english_and_chinese() {
        let plan = Plan::standard().unwrap();
        let sales = plan.column_ix("sales").unwrap();
        for (h, want) in [
            ("Staff ID", Some(Col::Staff)),
            ("工号", Some(Col::Staff)),
            ("Total Score", Some(Col::Total)),
            ("综合得分", Some(Col::Total)),
            ("绩效等级", Some(Col::Grade)),
            ("Bonus", Some(Col::Bonus)),
            ("奖金", Some(Col::Bonus)),
            ("Sales", Some(Col::Input(sales))),
            ("销售额", Some(Col::Input(sales))),
            ("Sales revenue score", Some(Col::Kpi(0))),
            ("销售额得分", Some(Col::Kpi(0))),
            ("Name", None),
            ("Comment", None),
        ] {
            assert_eq!(classify(&plan, h), want, "{h}");
        }
    }
}
