//! The header row: found among the top rows, mapped to plan columns (a
//! header of two rows, a manager-name column beside the manager-id one), and
//! what it says the table is: a roster, targets or results. Every column
//! missing, doubled or not used is reported at its header cell.

use calamine::Data;

use super::{HEADER_SEARCH_ROWS, Skipped, TableKinds, TableSource, cell_text};
use crate::diagnostics::{Code, Diagnostic, Location, Severity, a1};
use crate::input::workbook::SheetData;
use crate::input::{scale, shape, sheet_period};
use crate::period::Period;
use crate::plan::{ColumnIx, Plan, TableKind, normalize_header};

/// A table's header, as read.
pub(super) struct Header {
    /// The header row's index among the sheet's rows.
    pub ix: usize,
    /// The last header row's index (`ix + 1` for a header of two rows).
    pub last: usize,
    /// The header row in the sheet (0-based).
    pub row: u32,
    /// The header cells, from the first column of the sheet's range.
    pub cells: Vec<Data>,
    /// The sheet column of each plan column, where the header names it.
    pub slot: Vec<Option<u32>>,
    pub kinds: TableKinds,
}

/// Reads the header of `rows` (the sheet's rows from `(row0, col0)`).
/// `None`: the sheet holds no table (a note says so where it has content).
pub(super) fn read(
    plan: &Plan,
    sheet: &SheetData,
    rows: &[&[Data]],
    (row0, col0): (u32, u32),
    source: &TableSource,
    diags: &mut Vec<Diagnostic>,
) -> Option<Header> {
    let Some((ix, mut columns)) = find_header(plan, rows) else {
        if rows
            .iter()
            .any(|r| r.iter().any(|c| !matches!(c, Data::Empty)))
        {
            diags.push(Diagnostic::info(
                Code::NoTable,
                Location {
                    file: sheet.file.to_string(),
                    sheet: Some(sheet.sheet.to_string()),
                    cell: None,
                },
                format!(
                    "no header row with a Staff ID column and other known columns in the first {HEADER_SEARCH_ROWS} rows; sheet skipped"
                ),
            ).zh(format!(
                "前 {HEADER_SEARCH_ROWS} 行中没有含“工号”及其他已知列的表头行；已跳过此工作表"
            )));
        }
        return None;
    };
    let row = row0 + ix as u32;
    // A header of two rows: a group row over the column names.
    let mut cells: Vec<Data> = rows[ix].to_vec();
    let mut last = ix;
    if let Some((two_rows, cols)) = shape::two_row_header(plan, rows, ix, &columns) {
        cells = two_rows;
        columns = cols;
        last = ix + 1;
    }
    let (slot, unknown) = map_columns(plan, &cells, &columns, row, col0, source, diags);
    let kinds = table_kinds(plan, &slot);
    if !(kinds.staff || kinds.targets || kinds.results) {
        diags.push(Diagnostic::info(
            Code::NoTable,
            source.at(row, col0),
            "the header row names a Staff ID but no roster, target or result columns; sheet skipped",
        ).zh("表头有“工号”，但没有花名册、目标或业绩列；已跳过此工作表"));
        return None;
    }
    let missing = missing_columns(plan, &slot, kinds, &unknown, row, col0, source, diags);
    unused_columns(plan, &slot, &unknown, &missing, row, source, diags);
    Some(Header {
        ix,
        last,
        row,
        cells,
        slot,
        kinds,
    })
}

/// The header row: the first of the top rows that names the staff id and
/// at least one other plan column. Returns the row index and, per cell, the
/// column it names.
fn find_header(plan: &Plan, rows: &[&[Data]]) -> Option<(usize, Vec<Option<ColumnIx>>)> {
    for (i, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let columns: Vec<Option<ColumnIx>> = row
            .iter()
            .map(|c| match c {
                Data::String(s) => scale::column_for_header(plan, s),
                _ => None,
            })
            .collect();
        let has_id = columns.contains(&Some(plan.key.staff_id));
        let known = columns.iter().flatten().count();
        if has_id && known >= 2 {
            return Some((i, columns));
        }
    }
    None
}

/// The sheet column of each plan column (`columns`: the plan column each
/// header cell names), and the header cells no plan column takes. A column
/// named twice is an error.
fn map_columns(
    plan: &Plan,
    cells: &[Data],
    columns: &[Option<ColumnIx>],
    row: u32,
    col0: u32,
    source: &TableSource,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Option<u32>>, Vec<(u32, String)>) {
    let mut slot: Vec<Option<u32>> = vec![None; plan.columns.len()];
    let mut unknown = Vec::new();
    let text_at = |col: u32| cell_text(cells.get((col - col0) as usize).unwrap_or(&Data::Empty));
    for (i, cell) in cells.iter().enumerate() {
        let col = col0 + i as u32;
        let text = cell_text(cell);
        if text.is_empty() {
            continue;
        }
        match columns[i] {
            Some(ix) if slot[ix].is_none() => slot[ix] = Some(col),
            // A roster with both a manager-id column and a manager-name
            // column (`直属上级工号` and `直属上级`): the id column is used,
            // the name column is an extra column.
            Some(ix)
                if ix == plan.key.manager_id
                    && slot[ix].is_some_and(|first| {
                        names_an_id(&text_at(first)) != names_an_id(&text)
                    }) =>
            {
                if names_an_id(&text) {
                    let first = slot[ix].unwrap_or(col);
                    unknown.push((first, text_at(first)));
                    slot[ix] = Some(col);
                } else {
                    unknown.push((col, text));
                }
            }
            Some(ix) => {
                let first = a1(row, slot[ix].unwrap_or(col));
                let name = &plan.columns[ix].display;
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateRow,
                        source.at(row, col),
                        format!(
                            "column '{name}' appears twice in the header row (first at {first}); delete one of them"
                        ),
                    )
                    .zh(format!("表头中“{name}”列出现了两次（第一次在 {first}）；请删除其中一列"))
                    .with_value(text),
                )
            }
            None => unknown.push((col, text)),
        }
    }
    (slot, unknown)
}

/// What the header's columns say the table is: targets or results where it
/// has such columns, else a roster where it has roster columns beyond name
/// and department.
fn table_kinds(plan: &Plan, slot: &[Option<u32>]) -> TableKinds {
    let mut kinds = TableKinds::default();
    for (ix, c) in plan.columns.iter().enumerate() {
        if slot[ix].is_some() {
            match c.table {
                TableKind::Targets => kinds.targets = true,
                TableKind::Results => kinds.results = true,
                TableKind::Staff if ix != plan.key.name && ix != plan.key.department => {
                    kinds.staff = true
                }
                _ => {}
            }
        }
    }
    if kinds.targets || kinds.results {
        kinds.staff = false;
    }
    kinds
}

/// Columns the table's kind needs but does not have, each an error (with
/// the header that nearly names it, if one does).
#[allow(clippy::too_many_arguments)]
fn missing_columns(
    plan: &Plan,
    slot: &[Option<u32>],
    kinds: TableKinds,
    unknown: &[(u32, String)],
    row: u32,
    col0: u32,
    source: &TableSource,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ColumnIx> {
    let mut missing = Vec::new();
    for (ix, c) in plan.columns.iter().enumerate() {
        let needed = c.required
            && match c.table {
                TableKind::Staff => kinds.staff,
                TableKind::Targets => kinds.targets,
                TableKind::Results => kinds.results,
                TableKind::Key => false,
            };
        if needed && slot[ix].is_none() {
            missing.push(ix);
            let name = &plan.columns[ix].display;
            let row_no = row + 1;
            let mut msg = format!("no '{name}' column in the header row (row {row_no}); add it");
            let mut zh = format!("表头行（第 {row_no} 行）中没有“{name}”列；请添加");
            if let Some((_, near)) = unknown.iter().find(|(_, t)| close_to(plan, ix, t)) {
                msg = format!("{msg}, or rename '{near}': did you mean '{name}'?");
                zh = format!("{zh}，或将“{near}”改名：是否应为“{name}”？");
            }
            diags.push(Diagnostic::error(Code::MissingColumn, source.at(row, col0), msg).zh(zh));
        }
    }
    missing
}

/// A note for every header cell the plan does not use: a warning where it
/// nearly names a missing column.
fn unused_columns(
    plan: &Plan,
    slot: &[Option<u32>],
    unknown: &[(u32, String)],
    missing: &[ColumnIx],
    row: u32,
    source: &TableSource,
    diags: &mut Vec<Diagnostic>,
) {
    for (col, text) in unknown {
        let near =
            (0..plan.columns.len()).find(|&ix| slot[ix].is_none() && close_to(plan, ix, text));
        // `销售额(含税)`: a known column with bracketed text that is no unit.
        let bracketed = scale::unknown_unit(plan, text).filter(|(ix, _, _)| slot[*ix].is_none());
        let near = near.or(bracketed.as_ref().map(|(ix, _, _)| *ix));
        let (msg, zh) = match (near, &bracketed) {
            (Some(ix), Some((_, base, unit))) => (
                format!(
                    "column '{text}' is not used: '{unit}' in brackets is not a unit kpi-report knows; if the column is '{}', rename the header to '{base}' or add '{text}' to the column's aliases in the plan",
                    plan.columns[ix].display
                ),
                format!(
                    "“{text}”列未被使用：括号中的“{unit}”不是可识别的单位；若此列即“{}”，请把表头改为“{base}”，或在方案中把“{text}”加入该列的别名",
                    plan.columns[ix].display
                ),
            ),
            (Some(ix), None) => (
                format!(
                    "column '{text}' is not used; did you mean '{}'?",
                    plan.columns[ix].display
                ),
                format!(
                    "“{text}”列未被使用；是否应为“{}”？",
                    plan.columns[ix].display
                ),
            ),
            (None, _) => (
                format!("column '{text}' is not used by the plan; ignored"),
                format!("“{text}”列不在方案中；已忽略"),
            ),
        };
        let sev = if near.is_some() && missing.contains(&near.unwrap_or(usize::MAX)) {
            Severity::Warning
        } else {
            Severity::Info
        };
        diags.push(
            Diagnostic::new(sev, Code::UnknownColumn, source.at(row, *col), msg)
                .zh(zh)
                .with_value(text.clone()),
        );
    }
}

/// The table's period, when rows have no period column: from the title rows
/// above the header (`above`), or `given` (`--period`). `Ok(None)`: the rows
/// carry their period (or the table is a roster).
///
/// # Errors
/// [`Skipped`] when the table names no period; an error says so.
pub(super) fn table_period(
    plan: &Plan,
    sheet: &SheetData,
    above: &[&[Data]],
    header: &Header,
    given: Option<Period>,
    at: crate::diagnostics::Location,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Period>, Skipped> {
    if header.slot[plan.key.period].is_some() || header.kinds.staff {
        return Ok(None);
    }
    match sheet_period::table_period(&sheet.file, &sheet.sheet, above, given) {
        Ok(found) => {
            let p = found.period();
            let note = match &found {
                sheet_period::Found::Named(_) => None,
                sheet_period::Found::Combined { how, how_zh, .. } => Some((
                    format!("period {p}: {how}"),
                    format!("期间 {p}：由{how_zh}得出"),
                )),
                sheet_period::Found::Given(_) => Some((
                    format!("period {p}: from --period (the table names no period)"),
                    format!("期间 {p}：来自 --period（此表未写明期间）"),
                )),
            };
            if let Some((en, zh)) = note {
                diags.push(Diagnostic::info(Code::PeriodSource, at, en).zh(zh));
            }
            Ok(Some(p))
        }
        Err(why) => {
            diags.push(Diagnostic::error(Code::NoPeriod, at, why.en).zh(why.zh));
            Err(Skipped)
        }
    }
}

/// A header that nearly names a plan column: a typo or a plural.
fn close_to(plan: &Plan, ix: ColumnIx, text: &str) -> bool {
    let norm = normalize_header(text);
    plan.known_headers()
        .filter(|(_, c)| *c == ix)
        .any(|(known, _)| {
            let d = strsim::levenshtein(known, &norm);
            d > 0 && d <= 2.max(known.chars().count() / 6)
        })
}

/// Whether a header names an id (`Manager ID`, `上级工号`, `直属上级编号`)
/// rather than a name (`Manager`, `直属上级`).
fn names_an_id(header: &str) -> bool {
    let norm = normalize_header(header);
    norm.contains("工号")
        || norm.contains("编号")
        || norm.contains("代码")
        || norm
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w, "id" | "no" | "code" | "number"))
        || norm.ends_with("id")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manager_headers_that_name_an_id() {
        for h in [
            "Manager ID",
            "直属上级工号",
            "上级编号",
            "Manager No",
            "manager_id",
        ] {
            assert!(names_an_id(h), "{h}");
        }
        for h in ["Manager", "直属上级", "上级", "直属领导"] {
            assert!(!names_an_id(h), "{h}");
        }
    }
}
