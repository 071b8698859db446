//! The adjustments table: overrides agreed after the numbers came in (a
//! calibration meeting, a late correction), each with its reason and
//! approver. Recognised by its header (Item, Value, Reason, Approved By
//! besides Staff ID and Period); every row is checked, and a row that
//! cannot be applied exactly as written is an error naming its cell.

use std::str::FromStr;

use calamine::Data;
use rust_decimal::Decimal;

use super::cell::cell_text;
use super::workbook::SheetData;
use crate::diagnostics::{Code, Diagnostic, Location, a1};
use crate::period::Period;
use crate::plan::{ColumnIx, ColumnKind, Plan, TableKind, normalize_header};

/// What an adjustment changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// An input column's value (e.g. `sales`), before scoring.
    Column(ColumnIx),
    /// A KPI's score (`score_<kpi id>`), before the total.
    Score(usize),
    /// The total, before grades and ranks.
    Total,
    /// The grade (index into the plan's grades), after grading.
    Grade,
    /// The bonus, replaced.
    Bonus,
    /// An amount added to the bonus (may be negative).
    BonusAdd,
}

/// One row of the adjustments table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub staff_id: String,
    pub period: Period,
    pub item: Item,
    /// The item as written (`sales`, `score_sales`, `grade`, …).
    pub item_text: String,
    /// The number, or for a grade the grade's index.
    pub value: Decimal,
    pub reason: String,
    pub approved_by: String,
    /// The row's value cell.
    pub at: Location,
}

const HEADERS: [(&str, &[&str]); 4] = [
    ("item", &["Item", "调整项目"]),
    ("value", &["Value", "调整值"]),
    ("reason", &["Reason", "调整原因"]),
    ("approved_by", &["Approved By", "Approver", "审批人"]),
];

/// Whether a header cell names one of the adjustment columns; which one.
fn header_of(text: &str) -> Option<&'static str> {
    let t = normalize_header(text);
    HEADERS.iter().find_map(|(id, names)| {
        (t == normalize_header(id) || names.iter().any(|n| normalize_header(n) == t)).then_some(*id)
    })
}

/// Reads the sheet as an adjustments table if its header says it is one:
/// None when it is not, so the sheet is read as the other tables are.
pub fn read(
    plan: &Plan,
    sheet: &SheetData,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Adjustment>> {
    let (row0, col0) = sheet.range.start().unwrap_or((0, 0));
    let rows: Vec<&[Data]> = sheet.range.rows().collect();
    let at = |r: usize, c: usize| Location {
        file: sheet.file.to_string(),
        sheet: Some(sheet.sheet.to_string()),
        cell: Some(a1(row0 + r as u32, col0 + c as u32)),
    };
    let (h, cols) = find_header(plan, &rows)?;
    let mut out = Vec::new();
    let missing_header = |name: &str, zh: &str| {
        Diagnostic::error(
            Code::MissingColumn,
            at(h, 0),
            format!("the adjustments table has no '{name}' column; add it"),
        )
        .zh(format!("调整表缺少“{zh}”列；请添加"))
    };
    let (Some(ci), Some(cv), Some(cr), Some(ca)) = (cols[0], cols[1], cols[2], cols[3]) else {
        diags.push(missing_header("Value", "调整值"));
        return Some(out);
    };
    let Some(cs) = cols[4] else {
        diags.push(missing_header("Staff ID", "工号"));
        return Some(out);
    };
    let Some(cp) = cols[5] else {
        diags.push(missing_header("Period", "期间"));
        return Some(out);
    };
    let columns = Columns {
        item: ci,
        value: cv,
        reason: cr,
        approved_by: ca,
        staff_id: cs,
        period: cp,
    };
    for (r, row) in rows.iter().enumerate().skip(h + 1) {
        if row.iter().all(|c| cell_text(c).trim().is_empty()) {
            continue;
        }
        out.extend(read_row(plan, row, &columns, &|c| at(r, c), diags));
    }
    Some(out)
}

/// The sheet columns of an adjustments table.
#[derive(Clone, Copy)]
struct Columns {
    item: usize,
    value: usize,
    reason: usize,
    approved_by: usize,
    staff_id: usize,
    period: usize,
}

/// The header: within the first rows, the first that names the item,
/// reason and approver columns. Returns its row index and the column of
/// each of item, value, reason, approver, staff id and period found.
fn find_header(plan: &Plan, rows: &[&[Data]]) -> Option<(usize, [Option<usize>; 6])> {
    rows.iter().take(30).enumerate().find_map(|(i, row)| {
        let mut cols: [Option<usize>; 6] = [None; 6];
        for (c, cell) in row.iter().enumerate() {
            let Data::String(s) = cell else { continue };
            let slot = match header_of(s) {
                Some("item") => 0,
                Some("value") => 1,
                Some("reason") => 2,
                Some("approved_by") => 3,
                _ => match plan.column_for_header(s) {
                    Some(ix) if ix == plan.key.staff_id => 4,
                    Some(ix) if ix == plan.key.period => 5,
                    _ => continue,
                },
            };
            cols[slot].get_or_insert(c);
        }
        (cols[0].is_some() && cols[2].is_some() && cols[3].is_some()).then_some((i, cols))
    })
}

/// One row of the adjustments table (`at`: the location of a column's
/// cell in this row). None when it cannot be applied; an error says why.
fn read_row(
    plan: &Plan,
    row: &[Data],
    cols: &Columns,
    at: &dyn Fn(usize) -> Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<Adjustment> {
    let cells = Cells { row, at };
    let (text, err) = (|c| cells.text(c), |c, en, zh| cells.err(c, en, zh));
    let staff_id = text(cols.staff_id);
    if staff_id.is_empty() {
        diags.push(err(
            cols.staff_id,
            "an adjustment without a staff id; enter whose result it adjusts".into(),
            "调整行缺少工号；请填写调整对象".into(),
        ));
        return None;
    }
    let period = match row.get(cols.period).map(super::table::period_of) {
        Some(Ok(p)) => p,
        _ => {
            diags.push(
                err(
                    cols.period,
                    format!(
                        "{staff_id}: the adjustment's period is not a month; write it as 2026-10"
                    ),
                    format!("{staff_id}：调整的期间不是月份；请写成 2026-10"),
                )
                .for_person(&staff_id, None),
            );
            return None;
        }
    };
    let bad = !approved(&cells, cols, &staff_id, period, diags);
    let item_text = text(cols.item);
    let Some(item) = item_of(plan, &item_text) else {
        diags.push(
            err(
                cols.item,
                format!("{staff_id}: '{item_text}' is not an item that can be adjusted; use an input column id (e.g. sales), score_<KPI id>, total, grade, bonus or bonus_add"),
                format!("{staff_id}：“{item_text}”不是可调整的项目；请使用输入列 id（如 sales）、score_<指标 id>、total、grade、bonus 或 bonus_add"),
            )
            .for_person(&staff_id, Some(period)),
        );
        return None;
    };
    let raw = text(cols.value);
    let value = match adjusted_value(plan, item, row.get(cols.value), &raw, &staff_id) {
        Ok(v) => v,
        Err((en, zh)) => {
            diags.push(err(cols.value, en, zh).for_person(&staff_id, Some(period)));
            return None;
        }
    };
    if bad {
        return None;
    }
    Some(Adjustment {
        staff_id,
        period,
        item,
        item_text,
        value,
        reason: text(cols.reason),
        approved_by: text(cols.approved_by),
        at: at(cols.value),
    })
}

/// A row's cells, and where each is.
struct Cells<'a> {
    row: &'a [Data],
    at: &'a dyn Fn(usize) -> Location,
}

impl Cells<'_> {
    /// Column `c`'s cell as trimmed text.
    fn text(&self, c: usize) -> String {
        self.row
            .get(c)
            .map(cell_text)
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    /// An error at column `c`'s cell, with what it holds.
    fn err(&self, c: usize, en: String, zh: String) -> Diagnostic {
        Diagnostic::error(Code::Adjustment, (self.at)(c), en)
            .zh(zh)
            .with_value(self.text(c))
    }
}

/// Whether the row names its reason and approver; an error for each
/// missing.
fn approved(
    cells: &Cells<'_>,
    cols: &Columns,
    staff_id: &str,
    period: Period,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut ok = true;
    for (c, en, zh) in [
        (cols.reason, "Reason", "调整原因"),
        (cols.approved_by, "Approved By", "审批人"),
    ] {
        if cells.text(c).is_empty() {
            diags.push(
                cells.err(
                    c,
                    format!("{staff_id}: the adjustment has no '{en}'; every adjustment needs its reason and approver, or it is not applied"),
                    format!("{staff_id}：调整缺少“{zh}”；每项调整都须填写原因和审批人，否则不予应用"),
                )
                .for_person(staff_id, Some(period)),
            );
            ok = false;
        }
    }
    ok
}

/// The adjusted value: a grade's index for a grade, else a number; the
/// message (English, Chinese) when it is neither.
fn adjusted_value(
    plan: &Plan,
    item: Item,
    cell: Option<&Data>,
    raw: &str,
    staff_id: &str,
) -> Result<Decimal, (String, String)> {
    let value = if item == Item::Grade {
        plan.grades
            .iter()
            .position(|g| g.grade.eq_ignore_ascii_case(raw))
            .map(Decimal::from)
    } else {
        match cell {
            Some(Data::Float(f)) => super::cell::decimal_from_f64(*f).ok(),
            Some(Data::Int(i)) => Some(Decimal::from(*i)),
            _ => Decimal::from_str(raw).ok(),
        }
    };
    value.ok_or_else(|| {
        if item == Item::Grade {
            let names: Vec<&str> = plan.grades.iter().map(|g| g.grade.as_str()).collect();
            (
                format!(
                    "{staff_id}: '{raw}' is not a grade of the plan ({})",
                    names.join(", ")
                ),
                format!(
                    "{staff_id}：“{raw}”不是方案中的等级（{}）",
                    names.join("、")
                ),
            )
        } else {
            (
                format!(
                    "{staff_id}: the adjusted value '{raw}' is not a number; write it as digits"
                ),
                format!("{staff_id}：调整值“{raw}”不是数字；请填写数字"),
            )
        }
    })
}

/// Keeps the adjustments of people on the roster in a month that was
/// read; any other is an error at its row.
pub fn known_people(
    dataset: &super::Dataset,
    adjustments: Vec<Adjustment>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Adjustment> {
    let mut kept = Vec::with_capacity(adjustments.len());
    for a in adjustments {
        let known = dataset.people.iter().any(|p| p.staff_id == a.staff_id);
        let month = dataset.periods.iter().any(|(p, _)| *p == a.period);
        if known && month {
            kept.push(a);
            continue;
        }
        let (en, zh) = if known {
            (
                format!(
                    "{}: the adjustment is for {}, a month with no targets or results; it is not applied",
                    a.staff_id, a.period
                ),
                format!(
                    "{}：调整针对 {}，该月没有目标或业绩；不予应用",
                    a.staff_id, a.period
                ),
            )
        } else {
            (
                format!(
                    "{}: no one with this staff id is on the roster; the adjustment is not applied",
                    a.staff_id
                ),
                format!("{}：花名册中没有此工号；该调整不予应用", a.staff_id),
            )
        };
        diags.push(Diagnostic::error(Code::Adjustment, a.at.clone(), en).zh(zh));
    }
    kept
}

/// The item a text names, if any.
fn item_of(plan: &Plan, text: &str) -> Option<Item> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "total" => return Some(Item::Total),
        "grade" => return Some(Item::Grade),
        "bonus" => return Some(Item::Bonus),
        "bonus_add" => return Some(Item::BonusAdd),
        _ => {}
    }
    if let Some(k) = t.strip_prefix("score_") {
        return plan
            .kpis
            .iter()
            .position(|kpi| kpi.id == k)
            .map(Item::Score);
    }
    let ix = plan.column_ix(&t)?;
    let c = &plan.columns[ix];
    (c.kind == ColumnKind::Number
        && matches!(
            c.table,
            TableKind::Targets | TableKind::Results | TableKind::Staff
        ))
    .then_some(Item::Column(ix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_the_documented_ones() {
        let plan = Plan::standard().unwrap();
        let sales = plan.column_ix("sales").unwrap();
        assert_eq!(item_of(&plan, "sales"), Some(Item::Column(sales)));
        assert_eq!(item_of(&plan, "score_sales"), Some(Item::Score(0)));
        assert_eq!(item_of(&plan, "Total"), Some(Item::Total));
        assert_eq!(item_of(&plan, "bonus_add"), Some(Item::BonusAdd));
        assert_eq!(item_of(&plan, "name"), None);
        assert_eq!(item_of(&plan, "score_nothing"), None);
        assert_eq!(header_of("Approved By"), Some("approved_by"));
        assert_eq!(header_of("调整原因"), Some("reason"));
    }
}
