//! Sheets -> tables: find the header row, map headers to plan columns, read
//! each data row into a [`Record`] of typed fields, reporting every cell that
//! cannot be read.

use std::sync::Arc;

use calamine::Data;
use rust_decimal::Decimal;

use super::cell::{self, NumberError};
use super::workbook::SheetData;
use super::{shape, sheet_period};
use crate::diagnostics::{Code, Diagnostic, Location, Severity, a1};
use crate::period::{Period, find_period};
use crate::plan::{ColumnIx, ColumnKind, Plan, TableKind, normalize_header};

/// How far down a sheet the header row may sit.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// Values at or beyond this size are refused: no sales workbook holds them,
/// and refusing them keeps every later sum far from decimal overflow.
/// Problems one table may have before it is left out whole.
pub const MAX_TABLE_ISSUES: usize = 10_000;
/// Of those, how many are kept to say what is wrong.
pub const LISTED_TABLE_ISSUES: usize = 1_000;
/// The most characters a text field may hold: what an Excel cell holds.
pub const MAX_TEXT: usize = 32_767;
const ABSURD: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0); // 10^15

pub use super::cell::cell_text;
pub use super::record::{
    Field, FieldValue, Fields, Notes, Place, Record, TableInfo, TableKinds, TableSource,
};

/// Reads the table in a sheet, if it has one, and says what it was.
pub fn read_table(
    plan: &Plan,
    sheet: &SheetData,
    out: &mut Vec<Record>,
    diags: &mut Vec<Diagnostic>,
) -> Option<TableInfo> {
    read_table_for(plan, sheet, None, out, diags)
}

/// [`read_table`], with the period to give a table that names none
/// (`--period`).
pub fn read_table_for(
    plan: &Plan,
    sheet: &SheetData,
    given: Option<Period>,
    out: &mut Vec<Record>,
    diags: &mut Vec<Diagnostic>,
) -> Option<TableInfo> {
    let range = &sheet.range;
    let first_note = diags.len();
    let (row0, col0) = range.start()?; // None: an empty sheet
    let source = Arc::new(TableSource {
        file: Arc::clone(&sheet.file),
        sheet: Arc::clone(&sheet.sheet),
    });
    let rows: Vec<&[Data]> = range.rows().collect();

    let Some((header_ix, mut columns)) = find_header(plan, &rows) else {
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
    let header_row = row0 + header_ix as u32;
    // A header of two rows: a group row over the column names.
    let mut header_cells: Vec<Data> = rows[header_ix].to_vec();
    let mut header_last = header_ix;
    if let Some((cells, cols)) = shape::two_row_header(plan, &rows, header_ix, &columns) {
        header_cells = cells;
        columns = cols;
        header_last = header_ix + 1;
    }
    let mut slot: Vec<Option<u32>> = vec![None; plan.columns.len()];
    let mut unknown = Vec::new();
    for (i, cell) in header_cells.iter().enumerate() {
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
                        let first_text = cell_text(
                            header_cells
                                .get((first - col0) as usize)
                                .unwrap_or(&Data::Empty),
                        );
                        names_an_id(&first_text) != names_an_id(&text)
                    }) =>
            {
                if names_an_id(&text) {
                    let first = slot[ix].unwrap_or(col);
                    let first_text = cell_text(
                        header_cells
                            .get((first - col0) as usize)
                            .unwrap_or(&Data::Empty),
                    );
                    unknown.push((first, first_text));
                    slot[ix] = Some(col);
                } else {
                    unknown.push((col, text));
                }
            }
            Some(ix) => {
                let first = a1(header_row, slot[ix].unwrap_or(col));
                let name = &plan.columns[ix].display;
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateRow,
                        source.at(header_row, col),
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
    if !(kinds.staff || kinds.targets || kinds.results) {
        diags.push(Diagnostic::info(
            Code::NoTable,
            source.at(header_row, col0),
            "the header row names a Staff ID but no roster, target or result columns; sheet skipped",
        ).zh("表头有“工号”，但没有花名册、目标或业绩列；已跳过此工作表"));
        return None;
    }

    // Columns the table's kind needs but does not have.
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
            let row_no = header_row + 1;
            let mut msg = format!("no '{name}' column in the header row (row {row_no}); add it");
            let mut zh = format!("表头行（第 {row_no} 行）中没有“{name}”列；请添加");
            if let Some((_, near)) = unknown.iter().find(|(_, t)| close_to(plan, ix, t)) {
                msg = format!("{msg}, or rename '{near}': did you mean '{name}'?");
                zh = format!("{zh}，或将“{near}”改名：是否应为“{name}”？");
            }
            diags.push(
                Diagnostic::error(Code::MissingColumn, source.at(header_row, col0), msg).zh(zh),
            );
        }
    }
    for (col, text) in &unknown {
        let near =
            (0..plan.columns.len()).find(|&ix| slot[ix].is_none() && close_to(plan, ix, text));
        // `销售额(含税)`: a known column with bracketed text that is no unit.
        let bracketed =
            super::scale::unknown_unit(plan, text).filter(|(ix, _, _)| slot[*ix].is_none());
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
            Diagnostic::new(sev, Code::UnknownColumn, source.at(header_row, *col), msg)
                .zh(zh)
                .with_value(text.clone()),
        );
    }

    // The table's period, when rows have no period column.
    let table_period = if slot[plan.key.period].is_none() && !kinds.staff {
        match sheet_period::table_period(&sheet.file, &sheet.sheet, &rows[..header_ix], given) {
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
                    diags.push(
                        Diagnostic::info(Code::PeriodSource, source.at(header_row, col0), en)
                            .zh(zh),
                    );
                }
                Some(p)
            }
            Err(why) => {
                diags.push(
                    Diagnostic::error(Code::NoPeriod, source.at(header_row, col0), why.en)
                        .zh(why.zh),
                );
                return None;
            }
        }
    } else {
        None
    };
    // Header notes of a one-month table (an extra column, say) belong to
    // that month's reports, not to every period's.
    if let Some(p) = table_period {
        for d in diags[first_note..]
            .iter_mut()
            .filter(|d| d.period.is_none())
        {
            d.period = Some(p);
        }
    }

    let id_col = slot[plan.key.staff_id]?;
    // Merged cells in the data: filled down text columns, refused elsewhere.
    let merged = shape::merge_effects(plan, &sheet.merges, range, row0 + header_last as u32, &slot);
    if merged.overflow {
        diags.push(
            Diagnostic::error(
                Code::TooLarge,
                source.at(header_row, col0),
                "the merged cells of this sheet cover more cells than a sheet may hold; the table is left out (unmerge the cells of the table)",
            )
            .zh("此工作表的合并单元格覆盖的单元格数超过上限；此表未计入（请取消表格中的合并单元格）"),
        );
        return None;
    }
    let owned;
    let rows: Vec<&[Data]> = if merged.fills.is_empty() {
        rows
    } else {
        let mut copy = range.clone();
        for (at, value) in &merged.fills {
            copy.set_value(*at, value.clone());
        }
        owned = copy;
        owned.rows().collect()
    };
    if !merged.filled.is_empty() {
        let shown: Vec<&str> = merged.filled.iter().take(5).map(String::as_str).collect();
        let more = if merged.filled.len() > 5 { ", …" } else { "" };
        diags.push(
            Diagnostic::info(
                Code::MergedCells,
                source.at(header_row, col0),
                format!(
                    "{} merged cells in text columns ({}{more}) were read as giving their value to every row they cover",
                    merged.filled.len(),
                    shown.join(", ")
                ),
            )
            .zh(format!(
                "文本列中的 {} 个合并单元格（{}{more}）按其覆盖的每一行都取该值读取",
                merged.filled.len(),
                shown.join("、")
            )),
        );
    }
    let mut units =
        super::scale::Columns::new(plan, &slot, &header_cells, col0, header_row, &source, diags);
    let mut info = TableInfo {
        file: sheet.file.to_string(),
        sheet: sheet.sheet.to_string(),
        kinds,
        header_row: header_row + 1,
        rows: 0,
    };
    let (records_before, diags_before) = (out.len(), diags.len());
    for (i, row) in rows.iter().enumerate().skip(header_last + 1) {
        let r = row0 + i as u32;
        if diags.len() - diags_before > MAX_TABLE_ISSUES {
            // Past this many problems the table is not what it claims to
            // be: it is left out whole (its people then lack these values
            // and are reported incomplete), not read row by row into
            // millions of issues. The first ones say what is wrong.
            out.truncate(records_before);
            diags.truncate(diags_before + LISTED_TABLE_ISSUES);
            diags.push(
                Diagnostic::error(
                    Code::TooLarge,
                    source.at(r, id_col),
                    format!(
                        "more than {MAX_TABLE_ISSUES} problems by row {}; the table is left out (the first {LISTED_TABLE_ISSUES} are listed): correct them and run again",
                        r + 1
                    ),
                )
                .zh(format!(
                    "截至第 {} 行已有超过 {MAX_TABLE_ISSUES} 个问题；此表未计入（列出前 {LISTED_TABLE_ISSUES} 个）：请更正后重新运行",
                    r + 1
                )),
            );
            info.rows = 0;
            return Some(info);
        }
        if row
            .iter()
            .all(|c| matches!(c, Data::Empty) || cell_text(c).is_empty())
        {
            continue;
        }
        let id_cell = row.get((id_col - col0) as usize).unwrap_or(&Data::Empty);
        let staff_id = id_text(id_cell);
        if let Some(formula) = unsaved_formula(sheet, id_cell, r, id_col) {
            diags.push(no_saved_value(
                &source, r, id_col, "Staff ID", "工号", formula,
            ));
            continue;
        }
        if staff_id.is_empty() || is_totals_label(&staff_id) {
            if row.iter().any(|c| is_totals_label(&cell_text(c))) {
                diags.push(
                    Diagnostic::info(
                        Code::TotalsRow,
                        source.at(r, id_col),
                        format!("row {} is a totals row; skipped", r + 1),
                    )
                    .zh(format!("第 {} 行是合计行；已跳过", r + 1)),
                );
            } else {
                diags.push(
                    Diagnostic::error(
                        Code::MissingValue,
                        source.at(r, id_col),
                        format!(
                            "row {} has values but no Staff ID; fill it in or delete the row",
                            r + 1
                        ),
                    )
                    .zh(format!(
                        "第 {} 行有数据但没有工号；请填写工号或删除该行",
                        r + 1
                    )),
                );
            }
            continue;
        }
        let refused = |at: (u32, u32)| {
            if merged.refused.is_empty() {
                None
            } else {
                merged.refused.get(&at)
            }
        };
        if let Some(span) = refused((r, id_col)) {
            diags.push(
                Diagnostic::error(
                    Code::MergedCells,
                    source.at(r, id_col),
                    format!(
                        "the Staff ID cells {span} are merged, so row {} has no id of its own; unmerge them and type each person's id",
                        r + 1
                    ),
                )
                .zh(format!(
                    "工号单元格 {span} 被合并，第 {} 行没有自己的工号；请取消合并并逐行填写工号",
                    r + 1
                ))
                .with_value(span.clone()),
            );
            continue;
        }
        let id_chars = staff_id.chars().count();
        if id_chars > MAX_TEXT {
            // No report could show it (nor a person be named by it).
            let start: String = staff_id.chars().take(40).collect();
            diags.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    source.at(r, id_col),
                    format!(
                        "the Staff ID is {id_chars} characters long, over the {MAX_TEXT} a spreadsheet cell holds; this row is left out (correct the id)"
                    ),
                )
                .zh(format!(
                    "工号长达 {id_chars} 个字符，超过单元格最多 {MAX_TEXT} 个字符；此行未计入（请更正工号）"
                ))
                .with_value(format!("{start}…")),
            );
            continue;
        }
        let mut record = Record {
            source: Arc::clone(&source),
            kinds,
            row: r,
            staff_id,
            staff_col: id_col,
            period: table_period,
            fields: Fields::default(),
            notes: None,
        };
        if let Some(pcol) = slot[plan.key.period] {
            let cell = row.get((pcol - col0) as usize).unwrap_or(&Data::Empty);
            match period_of(cell) {
                Ok(p) => record.period = Some(p),
                Err(found) if !kinds.staff => {
                    let (msg, zh) = if found.is_empty() {
                        (
                            "the Period is blank; enter a month such as 2026-10".to_owned(),
                            "“期间”为空；请填写月份，例如 2026-10".to_owned(),
                        )
                    } else {
                        (
                            format!(
                                "'{found}' is not a month; write it as 2026-10, 2026/10, 202610 or 2026年10月"
                            ),
                            format!(
                                "“{found}”不是月份；请写成 2026-10、2026/10、202610 或 2026年10月"
                            ),
                        )
                    };
                    diags.push(
                        Diagnostic::error(Code::BadPeriod, source.at(r, pcol), msg)
                            .zh(zh)
                            .with_value(found),
                    );
                    continue;
                }
                Err(_) => {}
            }
        }
        for (ix, col) in slot.iter().enumerate() {
            let Some(col) = *col else { continue };
            if ix == plan.key.period || ix == plan.key.staff_id {
                continue;
            }
            if let Some(span) = refused((r, col)) {
                let name = &plan.columns[ix].display;
                diags.push(
                    Diagnostic::error(
                        Code::MergedCells,
                        source.at(r, col),
                        format!(
                            "'{name}' is in the merged cells {span}, which hold one value for several cells; unmerge them and type each person's value"
                        ),
                    )
                    .zh(format!(
                        "“{name}”位于合并单元格 {span} 中，一个值覆盖了多个单元格；请取消合并并逐个填写每人的数值"
                    ))
                    .with_value(span.clone())
                    .for_person(&record.staff_id, record.period),
                );
                record.fields.set(
                    ix,
                    Field {
                        value: FieldValue::Invalid,
                        col,
                    },
                );
                continue;
            }
            let cell = row.get((col - col0) as usize).unwrap_or(&Data::Empty);
            let mut note = None;
            let value = if let Some(formula) = unsaved_formula(sheet, cell, r, col) {
                let name = &plan.columns[ix].display;
                diags.push(
                    no_saved_value(&source, r, col, name, name, formula)
                        .for_person(&record.staff_id, record.period),
                );
                FieldValue::Invalid
            } else {
                read_field(plan, ix, cell, &record, col, diags, &mut units, &mut note)
            };
            if let Some(note) = note {
                let key = u32::try_from(ix).unwrap_or(u32::MAX);
                record.notes.get_or_insert_default().push((key, note));
            }
            record.fields.set(ix, Field { value, col });
        }
        out.push(record);
        info.rows += 1;
    }
    units.finish(plan, &source, &mut out[records_before..], diags);
    hidden_rows_note(sheet, &source, &out[records_before..], diags);
    Some(info)
}

/// The formula of an empty cell that has one but no saved value.
fn unsaved_formula<'a>(sheet: &'a SheetData, cell: &Data, row: u32, col: u32) -> Option<&'a str> {
    if !matches!(cell, Data::Empty) || sheet.meta.unsaved_formulas.is_empty() {
        return None;
    }
    sheet.meta.unsaved_formula((row, col))
}

/// A formula cell with no saved value: never blank, never "does not apply".
fn no_saved_value(
    source: &TableSource,
    row: u32,
    col: u32,
    name: &str,
    name_zh: &str,
    formula: &str,
) -> Diagnostic {
    let shown = if formula.is_empty() {
        "a formula".to_owned()
    } else if formula.starts_with('=') {
        formula.to_owned()
    } else {
        format!("={formula}")
    };
    Diagnostic::error(
        Code::FormulaWithoutValue,
        source.at(row, col),
        format!(
            "'{name}' holds the formula {shown} with no saved value (the file was written by a program that does not calculate); open and save the file in Excel, WPS or LibreOffice so the value is stored"
        ),
    )
    .zh(format!(
        "“{name_zh}”是公式 {shown}，但没有保存计算结果（文件由不计算公式的程序生成）；请用 Excel、WPS 或 LibreOffice 打开并保存该文件，使数值得以保存"
    ))
    .with_value(shown)
}

/// One note per sheet: how many hidden or filtered rows were read.
fn hidden_rows_note(
    sheet: &SheetData,
    source: &TableSource,
    records: &[Record],
    diags: &mut Vec<Diagnostic>,
) {
    if sheet.meta.hidden_rows.is_empty() {
        return;
    }
    let hidden: Vec<&Record> = records
        .iter()
        .filter(|r| sheet.meta.is_hidden(r.row))
        .collect();
    let Some(first) = hidden.first() else {
        return;
    };
    let rows: Vec<String> = hidden
        .iter()
        .take(10)
        .map(|r| (r.row + 1).to_string())
        .collect();
    let more = if hidden.len() > 10 { ", …" } else { "" };
    let n = hidden.len();
    let mut d = Diagnostic::info(
        Code::HiddenRows,
        source.at(first.row, first.staff_col),
        format!(
            "{n} hidden or filtered-out rows were read as data (rows {}{more}); hidden rows count like any other: delete a row that should not count",
            rows.join(", ")
        ),
    )
    .zh(format!(
        "读取了 {n} 个隐藏或被筛选掉的行（第 {} 行{more}）；隐藏行与其他行一样计入：不应计入的行请删除",
        rows.join("、")
    ))
    .with_value(n.to_string());
    d.period = first.period;
    diags.push(d);
}

/// The header row: the first of the top rows that names the staff id and
/// at least one other plan column. Returns the row index and, per cell, the
/// column it names.
fn find_header(plan: &Plan, rows: &[&[Data]]) -> Option<(usize, Vec<Option<ColumnIx>>)> {
    for (i, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let columns: Vec<Option<ColumnIx>> = row
            .iter()
            .map(|c| match c {
                Data::String(s) => super::scale::column_for_header(plan, s),
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

#[allow(clippy::too_many_arguments)]
fn read_field(
    plan: &Plan,
    ix: ColumnIx,
    cell: &Data,
    record: &Record,
    col: u32,
    diags: &mut Vec<Diagnostic>,
    units: &mut super::scale::Columns,
    note: &mut Option<Box<str>>,
) -> FieldValue {
    let column = &plan.columns[ix];
    let loc = || record.source.at(record.row, col);
    let person = |d: Diagnostic| d.for_person(&record.staff_id, record.period);
    match column.kind {
        ColumnKind::Text | ColumnKind::Period | ColumnKind::Id => {
            let t = if column.kind == ColumnKind::Id {
                id_text(cell)
            } else {
                cell_text(cell)
            };
            let chars = t.chars().count();
            if t.is_empty() {
                FieldValue::Blank
            } else if chars > MAX_TEXT {
                // A spreadsheet cell cannot hold it: only a CSV or a
                // crafted file can, and no report could show it whole.
                let start: String = t.chars().take(40).collect();
                diags.push(person(
                    Diagnostic::error(
                        Code::OutOfRange,
                        loc(),
                        format!(
                            "'{}' is {chars} characters long, over the {MAX_TEXT} a spreadsheet cell holds; shorten it",
                            column.display
                        ),
                    )
                    .zh(format!(
                        "“{}”长达 {chars} 个字符，超过单元格最多 {MAX_TEXT} 个字符；请缩短",
                        column.display
                    ))
                    .with_value(format!("{start}…")),
                ));
                FieldValue::Invalid
            } else {
                FieldValue::Text(t)
            }
        }
        ColumnKind::Number => {
            let parsed = match cell {
                Data::Empty => return FieldValue::Blank,
                Data::String(s) if s.trim().is_empty() => return FieldValue::Blank,
                Data::Int(_) | Data::Float(_) | Data::String(_) => {
                    match units.number(plan, ix, cell, record.row) {
                        Ok((v, n)) => {
                            *note = n.map(String::into_boxed_str);
                            Ok(v)
                        }
                        Err(super::scale::NumberIssue::Parse(e)) => Err(e),
                        Err(super::scale::NumberIssue::OffArrival { from, to }) => {
                            let found = cell_text(cell);
                            let name = &column.display;
                            diags.push(person(
                                Diagnostic::error(
                                    Code::OutOfRange,
                                    loc(),
                                    format!(
                                        "'{name}' must be between {from} and {to} (the scale the plan says it arrives on), found {found}"
                                    ),
                                )
                                .zh(format!(
                                    "“{name}”应在 {from} 到 {to} 之间（方案声明的量程），实际为 {found}"
                                ))
                                .with_value(found),
                            ));
                            return FieldValue::Invalid;
                        }
                    }
                }
                Data::Error(e) => {
                    diags.push(person(
                        Diagnostic::error(
                            Code::CellError,
                            loc(),
                            format!(
                                "'{}' holds the error {e}; fix the formula or type the value",
                                column.display
                            ),
                        )
                        .zh(format!(
                            "“{}”是错误值 {e}；请修正公式或直接填写数值",
                            column.display
                        ))
                        .with_value(e.to_string()),
                    ));
                    return FieldValue::Invalid;
                }
                _ => Err(NumberError::NotANumber),
            };
            let found = cell_text(cell);
            match parsed {
                Ok(v) => {
                    let below = column.min.is_some_and(|m| v < m);
                    let above = column.max.is_some_and(|m| v > m);
                    if below || above || v.abs() >= ABSURD {
                        let range = match (column.min, column.max) {
                            (Some(lo), Some(hi)) => format!("between {lo} and {hi}"),
                            (Some(lo), None) => format!("at least {lo}"),
                            (None, Some(hi)) => format!("at most {hi}"),
                            (None, None) => "a plausible amount".to_owned(),
                        };
                        let range_zh = match (column.min, column.max) {
                            (Some(lo), Some(hi)) => format!("在 {lo} 到 {hi} 之间"),
                            (Some(lo), None) => format!("不小于 {lo}"),
                            (None, Some(hi)) => format!("不大于 {hi}"),
                            (None, None) => "是合理的数额".to_owned(),
                        };
                        diags.push(person(
                            Diagnostic::error(
                                Code::OutOfRange,
                                loc(),
                                format!("'{}' must be {range}, found {found}", column.display),
                            )
                            .zh(format!("“{}”应{range_zh}，实际为 {found}", column.display))
                            .with_value(found),
                        ));
                        FieldValue::Invalid
                    } else {
                        FieldValue::Number(v)
                    }
                }
                Err(err) => {
                    let name = &column.display;
                    let (code, msg, zh) = match err {
                        NumberError::PercentNotAllowed => (
                            Code::NotANumber,
                            format!(
                                "'{name}' does not take a percentage, found '{found}'; type the plain number"
                            ),
                            format!("“{name}”不接受百分比，实际为“{found}”；请填写数值本身"),
                        ),
                        NumberError::TooLarge => (
                            Code::OutOfRange,
                            format!("'{name}' is far too large ({found}); check the cell"),
                            format!("“{name}”数值过大（{found}）；请检查该单元格"),
                        ),
                        NumberError::NotANumber => (
                            Code::NotANumber,
                            format!("'{name}' must be a number, found '{found}'"),
                            format!("“{name}”应为数字，实际为“{found}”"),
                        ),
                    };
                    diags.push(person(
                        Diagnostic::error(code, loc(), msg).zh(zh).with_value(found),
                    ));
                    FieldValue::Invalid
                }
            }
        }
    }
}

/// A month from a period cell: text in any accepted form, a date, or a
/// number like 202610. The Err carries the cell as text.
pub fn period_of(cell: &Data) -> Result<Period, String> {
    match cell {
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, ..) = dt.to_ymd_hms_milli();
            Period::month(i64::from(y), i64::from(m)).ok_or_else(|| cell_text(cell))
        }
        Data::DateTimeIso(s) | Data::String(s) => find_period(s).ok_or_else(|| cell_text(cell)),
        Data::Int(i) => find_period(&i.to_string()).ok_or_else(|| i.to_string()),
        Data::Float(f) if f.fract() == 0.0 => {
            find_period(&format!("{f:.0}")).ok_or_else(|| cell_text(cell))
        }
        // 2026.1 could be January or October: refuse to guess.
        _ => Err(cell_text(cell)),
    }
}

fn id_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) => cell::id_from_f64(*f).unwrap_or_default(),
        Data::String(s) => s
            .chars()
            .map(cell::halfwidth)
            .collect::<String>()
            .trim()
            .to_owned(),
        other => cell_text(other),
    }
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

/// A totals or subtotals label in any common form: "合计", "总计", "小计",
/// "汇总", "共计" anywhere in the text ("华东小计", "合计：3人"), or the
/// English words total(s), subtotal, sum as a whole word ("Grand Total",
/// "East Total", "Total East", "Subtotal:"). No staff id or name holds
/// these words.
pub fn is_totals_label(text: &str) -> bool {
    // Fast path for the common case, an id of letters and digits only.
    if text.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let lower = text.to_ascii_lowercase();
        return matches!(
            lower.as_str(),
            "total" | "totals" | "subtotal" | "subtotals" | "grandtotal" | "sum"
        );
    }
    let norm: String = normalize_header(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if [
        "合计", "总计", "小计", "汇总", "共计", "總計", "合計", "小計", "匯總",
    ]
    .iter()
    .any(|w| norm.contains(w))
    {
        return true;
    }
    let lower = cell::clean_text(text).to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "total" | "totals" | "subtotal" | "subtotals" | "grandtotal" | "sum"
        )
    })
}

#[cfg(test)]
mod tests {
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    use super::*;

    fn month(y: i64, m: i64) -> Result<Period, String> {
        Period::month(y, m).ok_or_else(String::new)
    }

    #[test]
    fn period_cells_in_every_form() {
        // 46296 is 2026-10-01 in the 1900 system; the 1904 system counts
        // from 1904-01-01, 1462 days later, so 44834 is the same day.
        let date = |v, is_1904| {
            Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, is_1904))
        };
        assert_eq!(period_of(&date(46296.0, false)), month(2026, 10));
        assert_eq!(period_of(&date(44834.0, true)), month(2026, 10));
        assert_eq!(period_of(&Data::Float(202610.0)), month(2026, 10));
        assert_eq!(period_of(&Data::Int(202611)), month(2026, 11));
        assert_eq!(
            period_of(&Data::String(" 2026年10月 ".into())),
            month(2026, 10)
        );
        assert_eq!(
            period_of(&Data::DateTimeIso("2026-10-01".into())),
            month(2026, 10)
        );
        // 2026.1 could be January or October: refused, with the text found.
        assert_eq!(period_of(&Data::Float(2026.1)), Err("2026.1".to_owned()));
        assert_eq!(period_of(&Data::Empty), Err(String::new()));
    }

    #[test]
    fn totals_labels_as_typed_by_hand() {
        for label in [
            "合计",
            "合 计",
            "总计：",
            "小计",
            "Total",
            "TOTAL:",
            "Grand Total",
            "Subtotal",
        ] {
            assert!(is_totals_label(label), "{label}");
        }
        for label in [
            "华东小计",
            "华东区 合计",
            "汇总",
            "East Total",
            "Total East",
            "Sub-total",
            "合计：3人",
        ] {
            assert!(is_totals_label(label), "{label}");
        }
        for label in ["S001", "Totally New", "计划", "Summary", "Totalizer"] {
            assert!(!is_totals_label(label), "{label}");
        }
    }

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

    #[test]
    fn ids_from_numbers_and_padded_text_match() {
        assert_eq!(id_text(&Data::Float(1001.0)), "1001");
        assert_eq!(id_text(&Data::Int(1001)), "1001");
        assert_eq!(id_text(&Data::String(" 1001\u{3000}".into())), "1001");
        assert_eq!(id_text(&Data::String("Ｓ００１".into())), "S001");
    }
}
