//! The goals table (`kpi-report targets --goals`) and the roster's hire and
//! leave dates: read cell by cell, each problem an error naming its cell.
//!
//! The goals table is found by its header row (within the first 20 rows of
//! a sheet): `Scope`/`范围`, `Period`/`期间`, `Target`/`指标` and
//! `Value`/`目标值`. Dates are read only when unambiguous: a cell formatted
//! as a date, or text written year first (`2027-03-15`, `2027/3/15`,
//! `2027年3月15日`); `3/4/2027` could be March or April and is refused.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use calamine::Data;
use rust_decimal::Decimal;

use super::cell;
use super::table::cell_text;
use super::workbook::{Limits, SheetData, read_file};
use super::{InputError, discover};
use crate::diagnostics::{Code, Diagnostic, Location, a1};
use crate::plan::{ColumnIx, Plan, normalize_header};

/// How many rows a header may sit below the top of a sheet.
const HEADER_ROWS: usize = 20;

/// A goal's period as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GoalPeriod {
    Year(u16),
    Quarter(u16, u8),
    Month(u16, u8),
}

impl GoalPeriod {
    /// The months (1–12) the period covers.
    pub fn months(self) -> Vec<u8> {
        match self {
            GoalPeriod::Year(_) => (1..=12).collect(),
            GoalPeriod::Quarter(_, q) => (q * 3 - 2..=q * 3).collect(),
            GoalPeriod::Month(_, m) => vec![m],
        }
    }

    pub fn year(self) -> u16 {
        match self {
            GoalPeriod::Year(y) | GoalPeriod::Quarter(y, _) | GoalPeriod::Month(y, _) => y,
        }
    }
}

impl std::fmt::Display for GoalPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GoalPeriod::Year(y) => write!(f, "{y}"),
            GoalPeriod::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            GoalPeriod::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

/// One row of the goals table.
#[derive(Debug, Clone)]
pub struct Goal {
    /// As written: `company`, a department name or a staff ID.
    pub scope: String,
    pub period: GoalPeriod,
    /// The plan's target column.
    pub target: ColumnIx,
    pub value: Decimal,
    /// The row's first cell.
    pub at: Location,
}

/// A calendar date (year, month, day).
pub type Date = (u16, u8, u8);

/// A person's hire and leave dates from the roster.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Employment {
    pub hired: Option<Date>,
    pub left: Option<Date>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum GoalColumn {
    Scope,
    Period,
    Target,
    Value,
}

fn goal_column(text: &str) -> Option<GoalColumn> {
    match normalize_header(text).as_str() {
        "scope" | "范围" => Some(GoalColumn::Scope),
        "period" | "期间" => Some(GoalColumn::Period),
        "target" | "指标" => Some(GoalColumn::Target),
        "value" | "目标值" => Some(GoalColumn::Value),
        _ => None,
    }
}

fn at(sheet: &SheetData, row: u32, col: u32) -> Location {
    Location {
        file: sheet.file.to_string(),
        sheet: Some(sheet.sheet.to_string()),
        cell: Some(a1(row, col)),
    }
}

/// Reads the goals table of `path`: the goals, and every problem.
///
/// # Errors
/// When the file cannot be read at all.
pub fn read_goals(
    path: &Path,
    plan: &Plan,
    limits: &Limits,
) -> Result<(Vec<Goal>, Vec<Diagnostic>), InputError> {
    let name: Arc<str> = Arc::from(
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .as_str(),
    );
    let sheets = read_file(path, &name, limits)?;
    let mut goals = Vec::new();
    let mut diags = Vec::new();
    let mut found = false;
    for sheet in &sheets {
        let Some((row0, col0)) = sheet.range.start() else {
            continue;
        };
        let rows: Vec<&[Data]> = sheet.range.rows().collect();
        let Some((h, slot)) = goals_header(&rows) else {
            continue;
        };
        found = true;
        for (r, row) in rows.iter().enumerate().skip(h + 1) {
            if row.iter().all(|c| cell_text(c).is_empty()) {
                continue;
            }
            let rowno = row0 + r as u32;
            let get = |g: GoalColumn| row.get(slot[g as usize]).unwrap_or(&Data::Empty);
            let here = |g: GoalColumn| at(sheet, rowno, col0 + slot[g as usize] as u32);
            goals.extend(read_goal(
                plan,
                &get,
                &here,
                at(sheet, rowno, col0),
                &mut diags,
            ));
        }
    }
    if !found {
        diags.push(
            Diagnostic::error(
                Code::NoTable,
                Location {
                    file: name.to_string(),
                    ..Location::default()
                },
                "no goals table: no sheet has a header row with Scope, Period, Target and Value in its first 20 rows",
            )
            .zh("没有目标表：没有哪个工作表的前 20 行中有含“范围、期间、指标、目标值”的表头行"),
        );
    }
    Ok((goals, diags))
}

/// The goals table's header among the first rows: its index and the
/// column of each of Scope, Period, Target and Value.
fn goals_header(rows: &[&[Data]]) -> Option<(usize, [usize; 4])> {
    let h = rows.iter().take(HEADER_ROWS).position(|r| {
        let cols: Vec<GoalColumn> = r
            .iter()
            .filter_map(|c| goal_column(&cell_text(c)))
            .collect();
        [
            GoalColumn::Scope,
            GoalColumn::Period,
            GoalColumn::Target,
            GoalColumn::Value,
        ]
        .iter()
        .all(|g| cols.contains(g))
    })?;
    let mut slot = [0usize; 4];
    for (i, c) in rows[h].iter().enumerate() {
        if let Some(g) = goal_column(&cell_text(c)) {
            slot[g as usize] = i;
        }
    }
    Some((h, slot))
}

/// One goal row (`get`: a column's cell, `here`: where it is; `row_at`:
/// the row's first cell). None when a cell is wrong; an error
/// says which.
fn read_goal<'d>(
    plan: &Plan,
    get: &dyn Fn(GoalColumn) -> &'d Data,
    here: &dyn Fn(GoalColumn) -> Location,
    row_at: Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<Goal> {
    let mut bad = |g: GoalColumn, msg: String, zh: String, found: String| {
        diags.push(
            Diagnostic::error(Code::MissingValue, here(g), msg)
                .zh(zh)
                .with_value(found),
        );
    };
    let scope = cell_text(get(GoalColumn::Scope));
    if scope.is_empty() {
        bad(
            GoalColumn::Scope,
            "the scope is blank; write company, a department name or a staff ID".into(),
            "范围为空；请填写 company（全公司）、部门名称或工号".into(),
            String::new(),
        );
    }
    let period_text = cell_text(get(GoalColumn::Period));
    let period = goal_period(get(GoalColumn::Period));
    if period.is_none() {
        bad(
            GoalColumn::Period,
            format!(
                "period '{period_text}' is not a year (2027), a quarter (2027-Q1) or a month (2027-01)"
            ),
            format!("期间“{period_text}”不是年份（2027）、季度（2027-Q1）或月份（2027-01）"),
            period_text,
        );
    }
    let target_text = cell_text(get(GoalColumn::Target));
    let target = goal_target(plan, &target_text);
    if let Err((en, zh)) = &target {
        bad(GoalColumn::Target, en.clone(), zh.clone(), target_text);
    }
    let target = target.ok();
    let value_text = cell_text(get(GoalColumn::Value));
    let value = match get(GoalColumn::Value) {
        Data::Int(i) => Some(Decimal::from(*i)),
        Data::Float(f) => cell::decimal_from_f64(*f).ok(),
        Data::String(s) => cell::parse_number(s, false).ok(),
        _ => None,
    };
    match value {
        None => bad(
            GoalColumn::Value,
            format!("value '{value_text}' is not a number"),
            format!("目标值“{value_text}”不是数字"),
            value_text,
        ),
        Some(v) if v < Decimal::ZERO => bad(
            GoalColumn::Value,
            format!("value {v} is negative; a goal is 0 or more"),
            format!("目标值 {v} 为负数；目标应不小于 0"),
            value_text,
        ),
        _ => {}
    }
    if let (false, Some(period), Some(target), Some(value)) =
        (scope.is_empty(), period, target, value)
        && value >= Decimal::ZERO
    {
        return Some(Goal {
            scope,
            period,
            target,
            value,
            at: row_at,
        });
    }
    None
}

/// The plan's targets column a goal names (by id or header); the message
/// (English, Chinese) when it names none.
fn goal_target(plan: &Plan, text: &str) -> Result<ColumnIx, (String, String)> {
    let target = plan
        .column_ix(text)
        .or_else(|| plan.column_for_header(text))
        .filter(|&ix| plan.columns[ix].table == crate::plan::TableKind::Targets);
    target.ok_or_else(|| {
        let known: Vec<&str> = plan
            .columns
            .iter()
            .filter(|c| c.table == crate::plan::TableKind::Targets)
            .map(|c| c.id.as_str())
            .collect();
        (
            format!(
                "'{text}' is not a target column of the plan ({})",
                known.join(", ")
            ),
            format!("“{text}”不是方案中的目标列（{}）", known.join("、")),
        )
    })
}

/// `2027`, `2027-Q1` (also `2027Q1`, `2027 Q1`) or a month.
fn goal_period(c: &Data) -> Option<GoalPeriod> {
    let text = cell_text(c);
    let t = text.trim().to_ascii_uppercase();
    let year = |s: &str| {
        s.parse::<u16>()
            .ok()
            .filter(|y| (1900..=9999).contains(y) && s.len() == 4)
    };
    if let Some(y) = year(&t) {
        return Some(GoalPeriod::Year(y));
    }
    if let Some((y, q)) = t.split_once('Q') {
        let y = year(y.trim_end_matches([' ', '-']))?;
        let q: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        return Some(GoalPeriod::Quarter(y, q));
    }
    match super::table::period_of(c).ok()? {
        crate::period::Period::Month { year, month } => Some(GoalPeriod::Month(year, month)),
        crate::period::Period::YearToDate { .. } => None,
    }
}

/// A date cell, if unambiguous: `Err(text)` otherwise; `Ok(None)` when blank.
pub fn date_of(c: &Data) -> Result<Option<Date>, String> {
    match c {
        Data::Empty => Ok(None),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Ok(Some((y, m, d)))
        }
        Data::String(s) | Data::DateTimeIso(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            let t = t.split(['T', ' ']).next().unwrap_or_default();
            let parts: Vec<&str> = t
                .split(['-', '/', '.', '年', '月', '日'])
                .filter(|p| !p.is_empty())
                .collect();
            let ok = parts.len() == 3 && parts[0].len() == 4;
            let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if ok && nums.len() == 3 {
                let (y, m, d) = (nums[0], nums[1], nums[2]);
                let days = crate::period::Period::month(i64::from(y), i64::from(m))
                    .map(|p| p.end_date().2);
                if let Some(last) = days
                    && (1..=u32::from(last)).contains(&d)
                {
                    return Ok(Some((y as u16, m as u8, d as u8)));
                }
            }
            Err(s.clone())
        }
        other => Err(cell_text(other)),
    }
}

/// Hire and leave dates by staff ID, from every roster sheet in `dir` that
/// has a `Hire Date`/`入职日期` or `Leave Date`/`离职日期` column beside
/// its Staff ID column. Unreadable dates are errors naming their cell.
///
/// # Errors
/// When the folder or a file cannot be read.
pub fn employment(
    dir: &Path,
    plan: &Plan,
    limits: &Limits,
) -> Result<(BTreeMap<String, Employment>, Vec<Diagnostic>), InputError> {
    let mut out = BTreeMap::new();
    let mut diags = Vec::new();
    for (path, name) in discover(dir)?.files {
        for sheet in read_file(&path, &name, limits)? {
            let Some((row0, col0)) = sheet.range.start() else {
                continue;
            };
            let rows: Vec<&[Data]> = sheet.range.rows().collect();
            for (h, row) in rows.iter().enumerate().take(HEADER_ROWS) {
                let texts: Vec<String> = row.iter().map(cell_text).collect();
                let find = |names: &[&str]| {
                    texts
                        .iter()
                        .position(|t| names.contains(&normalize_header(t).as_str()))
                };
                let staff = texts
                    .iter()
                    .position(|t| plan.column_for_header(t) == Some(plan.key.staff_id));
                // The plan's hire and leave date columns (issue 12's roster
                // columns), or these headers when the plan has none.
                let by_plan = |id: &str| {
                    let ix = plan.column_ix(id)?;
                    texts
                        .iter()
                        .position(|t| plan.column_for_header(t) == Some(ix))
                };
                let hire = by_plan("hire_date").or_else(|| find(&["hire date", "入职日期"]));
                let leave = by_plan("leave_date").or_else(|| find(&["leave date", "离职日期"]));
                let Some(staff) = staff else { continue };
                if hire.is_none() && leave.is_none() {
                    break;
                }
                for (r, row) in rows.iter().enumerate().skip(h + 1) {
                    let id = row.get(staff).map(cell_text).unwrap_or_default();
                    if id.is_empty() {
                        continue;
                    }
                    let mut e = Employment::default();
                    for (col, slot) in [(hire, &mut e.hired), (leave, &mut e.left)] {
                        let Some(col) = col else { continue };
                        match date_of(row.get(col).unwrap_or(&Data::Empty)) {
                            Ok(d) => *slot = d,
                            Err(found) => diags.push(
                                Diagnostic::error(
                                    Code::NotANumber,
                                    at(&sheet, row0 + r as u32, col0 + col as u32),
                                    format!("'{found}' is not an unambiguous date; write it year first (2027-03-15) or format the cell as a date"),
                                )
                                .zh(format!("“{found}”不是明确的日期；请按年月日书写（2027-03-15），或把单元格设为日期格式"))
                                .with_value(found)
                                .for_person(&id, None),
                            ),
                        }
                    }
                    out.insert(id, e);
                }
                break;
            }
        }
    }
    Ok((out, diags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_of_goals() {
        let s = |t: &str| goal_period(&Data::String(t.into()));
        assert_eq!(s("2027"), Some(GoalPeriod::Year(2027)));
        assert_eq!(
            goal_period(&Data::Float(2027.0)),
            Some(GoalPeriod::Year(2027))
        );
        assert_eq!(s("2027-Q1"), Some(GoalPeriod::Quarter(2027, 1)));
        assert_eq!(s("2027 q4"), Some(GoalPeriod::Quarter(2027, 4)));
        assert_eq!(s("2027-03"), Some(GoalPeriod::Month(2027, 3)));
        assert_eq!(s("2027-Q5"), None);
        assert_eq!(s("27"), None);
        assert_eq!(GoalPeriod::Quarter(2027, 2).months(), [4, 5, 6]);
    }

    #[test]
    fn dates_only_when_unambiguous() {
        let s = |t: &str| date_of(&Data::String(t.into()));
        assert_eq!(s("2027-03-15"), Ok(Some((2027, 3, 15))));
        assert_eq!(s("2027/3/5"), Ok(Some((2027, 3, 5))));
        assert_eq!(s("2027年3月5日"), Ok(Some((2027, 3, 5))));
        assert_eq!(s(""), Ok(None));
        assert!(s("3/4/2027").is_err());
        assert!(s("2027-02-30").is_err());
        assert!(date_of(&Data::Float(46000.0)).is_err());
    }
}
