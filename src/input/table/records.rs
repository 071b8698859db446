//! One data row -> a [`Record`]: its period cell, and every plan column's
//! cell read as a typed field (text, id or number, within the column's
//! bounds), each cell that cannot be read reported for its person.

use std::sync::Arc;

use calamine::Data;
use rust_decimal::Decimal;

use super::{
    Field, FieldValue, Fields, MAX_TEXT, Record, Table, cell_text, id_text, no_saved_value,
    period_of, refused, unsaved_formula,
};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::cell::NumberError;
use crate::input::scale::{self, NumberIssue};
use crate::input::shape::MergeEffects;
use crate::plan::{Column, ColumnIx, ColumnKind, Plan};

/// Values at or beyond this size are refused: no sales workbook holds them,
/// and refusing them keeps every later sum far from decimal overflow.
const ABSURD: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0); // 10^15

/// The record of sheet row `r` (`row`, whose id is `staff_id`). `None`: a
/// results or targets row whose period cannot be read (an error says so).
pub(super) fn read(
    t: &Table<'_>,
    row: &[Data],
    r: u32,
    staff_id: String,
    merged: &MergeEffects,
    units: &mut scale::Columns,
    diags: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let (plan, slot, kinds) = (t.plan, &t.header.slot, t.header.kinds);
    let mut record = Record {
        source: Arc::clone(t.source),
        kinds,
        row: r,
        staff_id,
        staff_col: t.id_col,
        period: t.period,
        fields: Fields::default(),
        notes: None,
    };
    if let Some(pcol) = slot[plan.key.period] {
        let cell = row.get((pcol - t.col0) as usize).unwrap_or(&Data::Empty);
        match period_of(cell) {
            Ok(p) => record.period = Some(p),
            Err(found) if !kinds.staff => {
                diags.push(bad_period(t.source.at(r, pcol), found));
                return None;
            }
            Err(_) => {}
        }
    }
    for (ix, col) in slot.iter().enumerate() {
        let Some(col) = *col else { continue };
        if ix == plan.key.period || ix == plan.key.staff_id {
            continue;
        }
        if let Some(span) = refused(merged, (r, col)) {
            let name = &plan.columns[ix].display;
            diags.push(
                merged_value(t.source.at(r, col), name, span)
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
        let cell = row.get((col - t.col0) as usize).unwrap_or(&Data::Empty);
        let mut note = None;
        let value = if let Some(formula) = unsaved_formula(t.sheet, cell, r, col) {
            let name = &plan.columns[ix].display;
            diags.push(
                no_saved_value(t.source, r, col, name, name, formula)
                    .for_person(&record.staff_id, record.period),
            );
            FieldValue::Invalid
        } else {
            let at = At {
                column: &plan.columns[ix],
                record: &record,
                col,
            };
            read_field(plan, ix, cell, &at, diags, units, &mut note)
        };
        if let Some(note) = note {
            let key = u32::try_from(ix).unwrap_or(u32::MAX);
            record.notes.get_or_insert_default().push((key, note));
        }
        record.fields.set(ix, Field { value, col });
    }
    Some(record)
}

/// A value in merged cells that no one reading can be given to.
fn merged_value(at: Location, name: &str, span: &str) -> Diagnostic {
    Diagnostic::error(
        Code::MergedCells,
        at,
        format!(
            "'{name}' is in the merged cells {span}, which hold one value for several cells; unmerge them and type each person's value"
        ),
    )
    .zh(format!(
        "“{name}”位于合并单元格 {span} 中，一个值覆盖了多个单元格；请取消合并并逐个填写每人的数值"
    ))
    .with_value(span.to_owned())
}

/// A period cell that is blank or no month.
fn bad_period(at: Location, found: String) -> Diagnostic {
    let (msg, zh) = if found.is_empty() {
        (
            "the Period is blank; enter a month such as 2026-10".to_owned(),
            "“期间”为空；请填写月份，例如 2026-10".to_owned(),
        )
    } else {
        (
            format!("'{found}' is not a month; write it as 2026-10, 2026/10, 202610 or 2026年10月"),
            format!("“{found}”不是月份；请写成 2026-10、2026/10、202610 或 2026年10月"),
        )
    };
    Diagnostic::error(Code::BadPeriod, at, msg)
        .zh(zh)
        .with_value(found)
}

/// The cell being read: its column, its row's record, its sheet column.
struct At<'a> {
    column: &'a Column,
    record: &'a Record,
    col: u32,
}

impl At<'_> {
    fn loc(&self) -> Location {
        self.record.source.at(self.record.row, self.col)
    }

    /// A problem with this cell, for the row's person.
    fn person(&self, d: Diagnostic) -> Diagnostic {
        d.for_person(&self.record.staff_id, self.record.period)
    }
}

/// A cell of plan column `ix` as its column's kind. A number converted
/// from its unit leaves a `note` for the calculation trail.
fn read_field(
    plan: &Plan,
    ix: ColumnIx,
    cell: &Data,
    at: &At<'_>,
    diags: &mut Vec<Diagnostic>,
    units: &mut scale::Columns,
    note: &mut Option<Box<str>>,
) -> FieldValue {
    match at.column.kind {
        ColumnKind::Text | ColumnKind::Period | ColumnKind::Id => text_field(cell, at, diags),
        ColumnKind::Number => {
            let parsed = match cell {
                Data::Empty => return FieldValue::Blank,
                Data::String(s) if s.trim().is_empty() => return FieldValue::Blank,
                Data::Int(_) | Data::Float(_) | Data::String(_) => {
                    match units.number(plan, ix, cell, at.record.row) {
                        Ok((v, n)) => {
                            *note = n.map(String::into_boxed_str);
                            Ok(v)
                        }
                        Err(NumberIssue::Parse(e)) => Err(e),
                        Err(NumberIssue::OffArrival { from, to }) => {
                            let found = cell_text(cell);
                            let name = &at.column.display;
                            diags.push(at.person(
                                Diagnostic::error(
                                    Code::OutOfRange,
                                    at.loc(),
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
                    diags.push(
                        at.person(
                            Diagnostic::error(
                                Code::CellError,
                                at.loc(),
                                format!(
                                    "'{}' holds the error {e}; fix the formula or type the value",
                                    at.column.display
                                ),
                            )
                            .zh(format!(
                                "“{}”是错误值 {e}；请修正公式或直接填写数值",
                                at.column.display
                            ))
                            .with_value(e.to_string()),
                        ),
                    );
                    return FieldValue::Invalid;
                }
                _ => Err(NumberError::NotANumber),
            };
            let found = cell_text(cell);
            match parsed {
                Ok(v) => number_in_range(v, found, at, diags),
                Err(err) => {
                    diags.push(at.person(not_a_number(err, found, at)));
                    FieldValue::Invalid
                }
            }
        }
    }
}

/// A text or id cell: blank, or text a spreadsheet cell can hold.
fn text_field(cell: &Data, at: &At<'_>, diags: &mut Vec<Diagnostic>) -> FieldValue {
    let column = at.column;
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
        diags.push(at.person(
            Diagnostic::error(
                Code::OutOfRange,
                at.loc(),
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

/// A number within its column's bounds (and below [`ABSURD`]).
fn number_in_range(
    v: Decimal,
    found: String,
    at: &At<'_>,
    diags: &mut Vec<Diagnostic>,
) -> FieldValue {
    let column = at.column;
    let below = column.min.is_some_and(|m| v < m);
    let above = column.max.is_some_and(|m| v > m);
    if !(below || above || v.abs() >= ABSURD) {
        return FieldValue::Number(v);
    }
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
    diags.push(
        at.person(
            Diagnostic::error(
                Code::OutOfRange,
                at.loc(),
                format!("'{}' must be {range}, found {found}", column.display),
            )
            .zh(format!("“{}”应{range_zh}，实际为 {found}", column.display))
            .with_value(found),
        ),
    );
    FieldValue::Invalid
}

/// A number cell that could not be read.
fn not_a_number(err: NumberError, found: String, at: &At<'_>) -> Diagnostic {
    let name = &at.column.display;
    let (code, msg, zh) = match err {
        NumberError::PercentNotAllowed => (
            Code::NotANumber,
            format!("'{name}' does not take a percentage, found '{found}'; type the plain number"),
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
    Diagnostic::error(code, at.loc(), msg)
        .zh(zh)
        .with_value(found)
}
