//! The data rows under a header: merged cells filled down or refused, blank
//! and totals rows skipped, a row without a usable Staff ID reported, every
//! other row read into a record ([`super::records`]); a table with too many
//! problems is left out whole.

use calamine::Data;

use super::records;
use super::{
    LISTED_TABLE_ISSUES, MAX_TABLE_ISSUES, MAX_TEXT, Record, Table, TableInfo, TableSource,
    cell_text, id_text, is_totals_label, no_saved_value, refused, unsaved_formula,
};
use crate::diagnostics::{Code, Diagnostic};
use crate::input::shape::{self, MergeEffects};
use crate::input::workbook::SheetData;

/// Reads every data row of `rows` (the sheet's rows) into `out`.
pub(super) fn read(
    t: &Table<'_>,
    rows: Vec<&[Data]>,
    out: &mut Vec<Record>,
    diags: &mut Vec<Diagnostic>,
) -> Option<TableInfo> {
    let (plan, header) = (t.plan, t.header);
    let range = &t.sheet.range;
    // Merged cells in the data: filled down text columns, refused elsewhere.
    let header_last = t.row0 + header.last as u32;
    let merged = shape::merge_effects(plan, &t.sheet.merges, range, header_last, &header.slot);
    if merged.overflow {
        diags.push(
            Diagnostic::error(
                Code::TooLarge,
                t.source.at(header.row, t.col0),
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
    filled_note(t, &merged, diags);
    let mut units = crate::input::scale::Columns::new(
        plan,
        &header.slot,
        &header.cells,
        t.col0,
        header.row,
        t.source,
        diags,
    );
    let mut info = TableInfo {
        file: t.sheet.file.to_string(),
        sheet: t.sheet.sheet.to_string(),
        kinds: header.kinds,
        header_row: header.row + 1,
        rows: 0,
    };
    let (records_before, diags_before) = (out.len(), diags.len());
    for (i, row) in rows.iter().enumerate().skip(header.last + 1) {
        let r = t.row0 + i as u32;
        if diags.len() - diags_before > MAX_TABLE_ISSUES {
            // Past this many problems the table is not what it claims to
            // be: it is left out whole (its people then lack these values
            // and are reported incomplete), not read row by row into
            // millions of issues. The first ones say what is wrong.
            out.truncate(records_before);
            diags.truncate(diags_before + LISTED_TABLE_ISSUES);
            diags.push(too_many_problems(t, r));
            info.rows = 0;
            return Some(info);
        }
        let Some(staff_id) = row_id(t, row, r, &merged, diags) else {
            continue;
        };
        let Some(record) = records::read(t, row, r, staff_id, &merged, &mut units, diags) else {
            continue;
        };
        out.push(record);
        info.rows += 1;
    }
    units.finish(plan, t.source, &mut out[records_before..], diags);
    hidden_rows_note(t.sheet, t.source, &out[records_before..], diags);
    Some(info)
}

/// One note for the merged cells filled down text columns.
fn filled_note(t: &Table<'_>, merged: &MergeEffects, diags: &mut Vec<Diagnostic>) {
    if merged.filled.is_empty() {
        return;
    }
    let shown: Vec<&str> = merged.filled.iter().take(5).map(String::as_str).collect();
    let more = if merged.filled.len() > 5 { ", …" } else { "" };
    diags.push(
        Diagnostic::info(
            Code::MergedCells,
            t.source.at(t.header.row, t.col0),
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

/// The error that leaves a table out, at row `r`.
fn too_many_problems(t: &Table<'_>, r: u32) -> Diagnostic {
    Diagnostic::error(
        Code::TooLarge,
        t.source.at(r, t.id_col),
        format!(
            "more than {MAX_TABLE_ISSUES} problems by row {}; the table is left out (the first {LISTED_TABLE_ISSUES} are listed): correct them and run again",
            r + 1
        ),
    )
    .zh(format!(
        "截至第 {} 行已有超过 {MAX_TABLE_ISSUES} 个问题；此表未计入（列出前 {LISTED_TABLE_ISSUES} 个）：请更正后重新运行",
        r + 1
    ))
}

/// The Staff ID of sheet row `r`, if it is a data row with an id of its
/// own. `None` for a blank row (silently), a totals row (a note), and a
/// row whose id is blank, an unsaved formula, merged or too long (an error).
fn row_id(
    t: &Table<'_>,
    row: &[Data],
    r: u32,
    merged: &MergeEffects,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if row
        .iter()
        .all(|c| matches!(c, Data::Empty) || cell_text(c).is_empty())
    {
        return None;
    }
    let (source, id_col) = (t.source, t.id_col);
    let id_cell = row.get((id_col - t.col0) as usize).unwrap_or(&Data::Empty);
    let staff_id = id_text(id_cell);
    if let Some(formula) = unsaved_formula(t.sheet, id_cell, r, id_col) {
        diags.push(no_saved_value(
            source, r, id_col, "Staff ID", "工号", formula,
        ));
        return None;
    }
    if staff_id.is_empty() || is_totals_label(&staff_id) {
        diags.push(no_id(t, row, r));
        return None;
    }
    if let Some(span) = refused(merged, (r, id_col)) {
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
        return None;
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
        return None;
    }
    Some(staff_id)
}

/// A data row without a Staff ID of its own: a totals row (a note), or
/// an error.
fn no_id(t: &Table<'_>, row: &[Data], r: u32) -> Diagnostic {
    let at = t.source.at(r, t.id_col);
    if row.iter().any(|c| is_totals_label(&cell_text(c))) {
        return Diagnostic::info(
            Code::TotalsRow,
            at,
            format!("row {} is a totals row; skipped", r + 1),
        )
        .zh(format!("第 {} 行是合计行；已跳过", r + 1));
    }
    Diagnostic::error(
        Code::MissingValue,
        at,
        format!(
            "row {} has values but no Staff ID; fill it in or delete the row",
            r + 1
        ),
    )
    .zh(format!(
        "第 {} 行有数据但没有工号；请填写工号或删除该行",
        r + 1
    ))
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
