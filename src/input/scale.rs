//! What a number means on its column: units in the header and the cell,
//! the scale the plan declares, and the checks that a column's values are
//! on that scale.
//!
//! Per table, [`Columns`] reads the header's units (see [`super::units`]),
//! converts each number ([`Columns::number`]) and, once every row is read,
//! checks each column against its declared scale ([`Columns::finish`]):
//!
//! - a column whose values all fit a much smaller scale (all ≤ 1, ≤ 5 or
//!   ≤ 10 on a column scored 0–100) is an error for the column: nobody is
//!   scored on it, and the message gives both fixes (correct the data, or
//!   declare `arrives` in the plan). Three non-zero values at least make a
//!   column; with fewer, a value with decimals that fits the smaller scale
//!   (0.88, 4.4) is a warning and is scored as read, and a whole number (one
//!   person with satisfaction 1) is read as it is;
//! - a fraction (0 < x < 1) among values on the full scale is a warning;
//! - a header range (`(1-5分)`) that differs from the scale is an error for
//!   the column.

use rust_decimal::Decimal;

use super::cell::{self, NumberError};
use super::record::{Field, FieldValue, Record, TableSource};
use super::units::{self, Unit};
use crate::diagnostics::{Code, Diagnostic, Location, Severity};
use crate::plan::{ColumnIx, ColumnKind, Plan};

/// Non-zero values a column needs before its values are judged together.
pub const MIN_VALUES_FOR_SCALE: usize = 3;

/// The smaller scales a column's values are compared with.
const SMALL_SCALES: [i64; 3] = [1, 5, 10];

/// The plan column a header names, with or without a unit in brackets.
pub fn column_for_header(plan: &Plan, header: &str) -> Option<ColumnIx> {
    plan.column_for_header(header).or_else(|| {
        let (name, unit) = units::split_header(header)?;
        units::header_unit(unit)?;
        plan.column_for_header(name)
    })
}

/// A header that names a plan column followed by bracketed text that is
/// not a known unit (`销售额(含税)`): the column, the name and the text.
pub fn unknown_unit(plan: &Plan, header: &str) -> Option<(ColumnIx, String, String)> {
    let (name, unit) = units::split_header(header)?;
    if units::header_unit(unit).is_some() {
        return None;
    }
    let ix = plan.column_for_header(name)?;
    Some((ix, name.to_owned(), unit.to_owned()))
}

/// Why a number cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberIssue {
    Parse(NumberError),
    /// Outside the scale the plan says the values arrive on.
    OffArrival {
        from: Decimal,
        to: Decimal,
    },
}

/// A header's scaling unit.
#[derive(Debug, Clone)]
struct HeaderScale {
    factor: Decimal,
    name: String,
    /// Cells multiplied by it.
    count: usize,
}

/// One table's columns: units found in the header, conversions made.
#[derive(Debug, Default)]
pub struct Columns {
    header_scale: Vec<Option<HeaderScale>>,
    /// Cells multiplied by a unit of their own, per column: count and the
    /// first cell.
    cell_scaled: Vec<(usize, Option<u32>)>,
    /// Cells converted from the arrival scale, per column.
    converted: Vec<usize>,
    /// Columns refused for a header range that contradicts the scale.
    refused: Vec<bool>,
    header_row: u32,
    header_cols: Vec<Option<u32>>,
}

impl Columns {
    /// Reads the header's units (`slot`: the sheet column of each plan
    /// column; `header`: the header cells from `col0`).
    pub fn new(
        plan: &Plan,
        slot: &[Option<u32>],
        header: &[calamine::Data],
        col0: u32,
        header_row: u32,
        source: &TableSource,
        diags: &mut Vec<Diagnostic>,
    ) -> Columns {
        let n = plan.columns.len();
        let mut cols = Columns {
            header_scale: vec![None; n],
            cell_scaled: vec![(0, None); n],
            converted: vec![0; n],
            refused: vec![false; n],
            header_row,
            header_cols: slot.to_vec(),
        };
        for (ix, col) in slot.iter().enumerate() {
            let Some(col) = *col else { continue };
            let column = &plan.columns[ix];
            if column.kind != ColumnKind::Number {
                continue;
            }
            let text = match header.get((col - col0) as usize) {
                Some(calamine::Data::String(s)) => s.trim().to_owned(),
                _ => continue,
            };
            if plan.column_for_header(&text).is_some() {
                continue; // the whole header is a name the plan knows
            }
            let Some(unit) = units::split_header(&text).and_then(|(_, u)| units::header_unit(u))
            else {
                continue;
            };
            match unit {
                Unit::Label => {}
                Unit::Scale { factor, name } => {
                    cols.header_scale[ix] = Some(HeaderScale {
                        factor,
                        name,
                        count: 0,
                    });
                }
                Unit::Range { lo, hi } => {
                    let expected = column
                        .arrives
                        .map(|a| (a.from, a.to))
                        .or_else(|| column.scale());
                    let Some((want_lo, want_hi)) = expected else {
                        continue;
                    };
                    if hi == want_hi && lo.is_none_or(|lo| lo == want_lo) {
                        continue;
                    }
                    cols.refused[ix] = true;
                    let found = match lo {
                        Some(lo) => format!("{lo}–{hi}"),
                        None => format!("0–{hi}"),
                    };
                    let name = &column.display;
                    diags.push(
                        Diagnostic::error(
                            Code::WrongScale,
                            source.at(header_row, col),
                            format!(
                                "the header '{text}' says '{name}' is on a {found} scale, but the plan scores it on {want_lo}–{want_hi}; nobody is scored on this column. Fix: enter the values on {want_lo}–{want_hi} and correct the header, or declare the scale in the plan (`arrives = {{ from = {}, to = {hi} }}` on column '{}')",
                                lo.unwrap_or(Decimal::ZERO),
                                column.id
                            ),
                        )
                        .zh(format!(
                            "表头“{text}”表明“{name}”按 {found} 计分，而方案按 {want_lo}–{want_hi} 计分；此列不为任何人计分。修正方法：按 {want_lo}–{want_hi} 填写并改正表头，或在方案中声明量程（在列“{}”上写 `arrives = {{ from = {}, to = {hi} }}`）",
                            column.id,
                            lo.unwrap_or(Decimal::ZERO)
                        ))
                        .with_value(text.clone()),
                    );
                }
            }
        }
        cols
    }

    /// A number cell of column `ix` in sheet row `row`, with the note of
    /// any conversion made (for the calculation trail).
    pub fn number(
        &mut self,
        plan: &Plan,
        ix: ColumnIx,
        cell_value: &calamine::Data,
        row: u32,
    ) -> Result<(Decimal, Option<String>), NumberIssue> {
        use calamine::Data;
        let column = &plan.columns[ix];
        let takes_percent = column.percent || column.arrives.is_some();
        let parsed = match cell_value {
            Data::Int(i) => cell::Parsed {
                value: Decimal::from(*i),
                percent: false,
                scale: None,
                unit: false,
            },
            Data::Float(f) => cell::Parsed {
                value: cell::decimal_from_f64(*f).map_err(NumberIssue::Parse)?,
                percent: false,
                scale: None,
                unit: false,
            },
            Data::String(s) => cell::parse_marked(s, takes_percent).map_err(NumberIssue::Parse)?,
            _ => return Err(NumberIssue::Parse(NumberError::NotANumber)),
        };
        let mut value = parsed.value;
        let mut notes: Vec<String> = Vec::new();
        let too_large = || NumberIssue::Parse(NumberError::TooLarge);
        if let Some((factor, name)) = parsed.scale {
            let entry = &mut self.cell_scaled[ix];
            entry.0 += 1;
            entry.1.get_or_insert(row);
            notes.push(format!("{}{name} × {factor}", value / factor));
        } else if let Some(h) = self.header_scale[ix].as_mut()
            && !parsed.unit
        {
            let raw = value;
            value = value.checked_mul(h.factor).ok_or_else(too_large)?;
            h.count += 1;
            notes.push(format!("{raw} {} × {}", h.name, h.factor));
        }
        if let (Some(a), Some((lo, hi))) = (column.arrives, column.scale()) {
            if parsed.percent {
                // A percent is a share of the column's scale.
                let v = lo
                    + value
                        .checked_mul(hi - lo)
                        .ok_or_else(too_large)?
                        .checked_div(Decimal::ONE_HUNDRED)
                        .ok_or_else(too_large)?;
                notes.push(format!("{value}% of {lo}–{hi}"));
                value = v;
            } else {
                if value < a.from || value > a.to {
                    return Err(NumberIssue::OffArrival {
                        from: a.from,
                        to: a.to,
                    });
                }
                let v = a.convert(value, lo).ok_or_else(too_large)?;
                notes.push(if lo.is_zero() && a.from.is_zero() {
                    format!("{value} on {}–{} × {}", a.from, a.to, a.factor)
                } else {
                    format!(
                        "{lo} + ({value} − {}) × {} (from {}–{})",
                        a.from, a.factor, a.from, a.to
                    )
                });
                value = v;
            }
            self.converted[ix] += 1;
        }
        let note =
            (!notes.is_empty()).then(|| format!("{} = {}", notes.join(", "), value.normalize()));
        Ok((value, note))
    }

    /// After the rows: notes for the units and conversions applied, and
    /// each column checked against its declared scale. `records` are this
    /// table's records.
    pub fn finish(
        &self,
        plan: &Plan,
        source: &TableSource,
        records: &mut [Record],
        diags: &mut Vec<Diagnostic>,
    ) {
        let period = records.first().and_then(|r| r.period);
        let header_at = |ix: ColumnIx| -> Location {
            source.at(self.header_row, self.header_cols[ix].unwrap_or(0))
        };
        for (ix, column) in plan.columns.iter().enumerate() {
            let name = &column.display;
            if let Some(h) = &self.header_scale[ix]
                && h.count > 0
            {
                let mut d = Diagnostic::info(
                    Code::UnitScaled,
                    header_at(ix),
                    format!(
                        "'{name}' is in {} (header): {} numbers multiplied by {} exactly (10 is {}); cells with a unit of their own are read by it",
                        h.name,
                        h.count,
                        h.factor,
                        Decimal::TEN * h.factor
                    ),
                )
                .zh(format!(
                    "“{name}”以{}为单位（表头）：{} 个数值已精确乘以 {}（10 即 {}）；单元格自带单位的按其单位读取",
                    h.name,
                    h.count,
                    h.factor,
                    Decimal::TEN * h.factor
                ));
                d.period = period;
                diags.push(d);
            }
            let (count, first) = self.cell_scaled[ix];
            if count > 0 {
                let at = source.at(
                    first.unwrap_or(self.header_row),
                    self.header_cols[ix].unwrap_or(0),
                );
                let mut d = Diagnostic::info(
                    Code::UnitScaled,
                    at,
                    format!(
                        "'{name}': {count} cells carry a unit (万, 千, k...); each was multiplied by it exactly (12.5万 is 125000)"
                    ),
                )
                .zh(format!(
                    "“{name}”：{count} 个单元格带有单位（万、千、k 等）；已按单位精确换算（12.5万 即 125000）"
                ));
                d.period = period;
                diags.push(d);
            }
            if let (Some(a), true) = (column.arrives, self.converted[ix] > 0) {
                let (lo, hi) = column.scale().unwrap_or_default();
                let mut d = Diagnostic::info(
                    Code::ScaleConverted,
                    header_at(ix),
                    format!(
                        "'{name}': {} values converted from {}–{} onto {lo}–{hi} as the plan declares (× {})",
                        self.converted[ix], a.from, a.to, a.factor
                    ),
                )
                .zh(format!(
                    "“{name}”：按方案声明，{} 个数值由 {}–{} 换算到 {lo}–{hi}（× {}）",
                    self.converted[ix], a.from, a.to, a.factor
                ));
                d.period = period;
                diags.push(d);
            }
            if self.refused[ix] {
                refuse_column(plan, ix, records, diags, |_| {
                    format!("the header of '{name}' names another scale (see the header)")
                });
                continue;
            }
            if column.kind == ColumnKind::Number && column.arrives.is_none() {
                self.check_scale(plan, ix, source, records, diags);
            }
        }
    }

    /// A column's values against its declared scale.
    fn check_scale(
        &self,
        plan: &Plan,
        ix: ColumnIx,
        source: &TableSource,
        records: &mut [Record],
        diags: &mut Vec<Diagnostic>,
    ) {
        let column = &plan.columns[ix];
        let Some((lo, hi)) = column.scale() else {
            return;
        };
        if lo.is_sign_negative() {
            return;
        }
        let values: Vec<Decimal> = records
            .iter()
            .filter_map(|r| match r.fields[ix].as_ref().map(|f| &f.value) {
                Some(FieldValue::Number(v)) => Some(*v),
                _ => None,
            })
            .collect();
        let nonzero = values.iter().filter(|v| !v.is_zero()).count();
        let max = values.iter().copied().max().unwrap_or_default();
        let min = values.iter().copied().min().unwrap_or_default();
        let small = SMALL_SCALES
            .iter()
            .map(|s| Decimal::from(*s))
            .find(|s| hi >= s * Decimal::TEN && max <= *s && min >= Decimal::ZERO);
        let name = &column.display;
        let col = self.header_cols[ix].unwrap_or(0);
        match small {
            Some(s) if nonzero >= MIN_VALUES_FOR_SCALE => {
                let arrives = if s == Decimal::ONE {
                    "\"fraction\"".to_owned()
                } else {
                    format!("\"out_of_{s}\"")
                };
                let mut d = Diagnostic::error(
                    Code::WrongScale,
                    source.at(self.header_row, col),
                    format!(
                        "'{name}' is scored on {lo}–{hi}, but all {} values of this column are between {min} and {max}, as on a 0–{s} scale; nobody is scored on it. Fix: enter the values on {lo}–{hi}, or declare the scale they arrive on in the plan (`arrives = {arrives}` on column '{}')",
                        values.len(),
                        column.id
                    ),
                )
                .zh(format!(
                    "“{name}”按 {lo}–{hi} 计分，但此列全部 {} 个数值都在 {min} 到 {max} 之间，像是 0–{s} 的量程；此列不为任何人计分。修正方法：按 {lo}–{hi} 填写，或在方案中声明数值的量程（在列“{}”上写 `arrives = {arrives}`）",
                    values.len(),
                    column.id
                ))
                .with_value(format!("{min}–{max}"));
                d.period = records.first().and_then(|r| r.period);
                diags.push(d);
                refuse_column(plan, ix, records, diags, |v| {
                    format!("{v} is read on a 0–{s} scale, not {lo}–{hi} (see the column's header)")
                });
            }
            Some(s) if nonzero > 0 => {
                for r in records.iter() {
                    if let Some(Field {
                        value: FieldValue::Number(v),
                        col,
                        ..
                    }) = r.fields[ix].as_ref()
                        && !v.fract().is_zero()
                    {
                        diags.push(
                            Diagnostic::new(
                                Severity::Warning,
                                Code::WrongScale,
                                source.at(r.row, *col),
                                format!(
                                    "'{name}' {v} is scored on {lo}–{hi}, but looks like a value on a 0–{s} scale; too few values to judge the column, so it is scored as {v}: check it, or declare the scale in the plan (`arrives`)"
                                ),
                            )
                            .zh(format!(
                                "“{name}”为 {v}，按 {lo}–{hi} 计分，但像是 0–{s} 量程的数值；数值太少，无法判断整列，按 {v} 计分：请核对，或在方案中声明量程（arrives）"
                            ))
                            .with_value(v.to_string())
                            .for_person(&r.staff_id, r.period),
                        );
                    }
                }
            }
            _ if hi >= Decimal::TEN => {
                // A fraction among values on the full scale: 0.9 typed
                // where 90 was meant.
                for r in records.iter() {
                    if let Some(Field {
                        value: FieldValue::Number(v),
                        col,
                        ..
                    }) = r.fields[ix].as_ref()
                        && *v > Decimal::ZERO
                        && *v < Decimal::ONE
                    {
                        let mut d = Diagnostic::new(
                            Severity::Warning,
                            Code::WrongScale,
                            source.at(r.row, *col),
                            format!(
                                "'{name}' {v} is scored on {lo}–{hi}, but looks like a fraction ({}%?) among values on the full scale; it is scored as {v}: check it",
                                (*v * Decimal::ONE_HUNDRED).normalize()
                            ),
                        )
                        .zh(format!(
                            "“{name}”为 {v}，按 {lo}–{hi} 计分，但像是小数形式的比例（{}%？）；按 {v} 计分：请核对",
                            (*v * Decimal::ONE_HUNDRED).normalize()
                        ))
                        .with_value(v.to_string());
                        d = d.for_person(&r.staff_id, r.period);
                        diags.push(d);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Nobody is scored on column `ix` of these records: each number becomes
/// an error for its person, `why` saying what the value is.
fn refuse_column(
    plan: &Plan,
    ix: ColumnIx,
    records: &mut [Record],
    diags: &mut Vec<Diagnostic>,
    why: impl Fn(&Decimal) -> String,
) {
    let name = &plan.columns[ix].display;
    for r in records.iter_mut() {
        let Some(field) = r.fields[ix].as_ref() else {
            continue;
        };
        let FieldValue::Number(v) = field.value else {
            continue;
        };
        let at = r.source.at(r.row, field.col);
        diags.push(
            Diagnostic::error(
                Code::WrongScale,
                at,
                format!("'{name}' not scored: {}", why(&v)),
            )
            .zh(format!(
                "“{name}”未计分：数值 {v} 的量程与方案不符（见此列表头）"
            ))
            .with_value(v.to_string())
            .for_person(&r.staff_id, r.period),
        );
        r.fields.set(
            ix,
            Field {
                value: FieldValue::Invalid,
                col: field.col,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use calamine::{Data, Range};

    use super::*;
    use crate::input::meta::SheetMeta;
    use crate::input::table::read_table;
    use crate::input::workbook::SheetData;

    /// Reads a results sheet of `Staff ID, Satisfaction` rows; the codes
    /// and severities of the issues, and the satisfaction read per person.
    type Issue = (String, Severity, Option<String>);

    fn satisfaction(values: &[Data]) -> (Vec<Issue>, Vec<FieldValue>) {
        let plan = Plan::standard().unwrap();
        let mut range = Range::new((0, 0), (values.len() as u32, 1));
        range.set_value((0, 0), Data::String("Staff ID".into()));
        range.set_value((0, 1), Data::String("Satisfaction".into()));
        for (i, v) in values.iter().enumerate() {
            range.set_value((i as u32 + 1, 0), Data::String(format!("S{i}")));
            range.set_value((i as u32 + 1, 1), v.clone());
        }
        let sheet = SheetData {
            file: Arc::from("results-2026-10.xlsx"),
            sheet: Arc::from("Results"),
            range,
            meta: SheetMeta::default(),
            merges: Vec::new(),
        };
        let (mut out, mut diags) = (Vec::new(), Vec::new());
        read_table(&plan, &sheet, &mut out, &mut diags);
        let ix = plan.column_ix("satisfaction").unwrap();
        let issues = diags
            .iter()
            .filter(|d| d.code != Code::MissingColumn)
            .map(|d| {
                (
                    d.code.as_str().to_owned(),
                    d.severity,
                    d.location.cell.clone(),
                )
            })
            .collect();
        let read = out
            .iter()
            .map(|r| r.fields[ix].as_ref().unwrap().value.clone())
            .collect();
        (issues, read)
    }

    #[test]
    fn a_column_on_a_smaller_scale_is_refused_whole() {
        let (issues, read) = satisfaction(&[Data::Float(4.4), Data::Float(4.6), Data::Int(5)]);
        assert_eq!(
            issues[0],
            ("wrong-scale".into(), Severity::Error, Some("B1".into()))
        );
        // One error per person, and nobody keeps the value.
        assert_eq!(issues.len(), 4);
        assert!(read.iter().all(|v| *v == FieldValue::Invalid));
        // 10-point scale, fractions: refused too.
        let (issues, _) = satisfaction(&[Data::Float(8.8), Data::Float(9.7), Data::Float(9.2)]);
        assert_eq!(issues.len(), 4);
        let (issues, _) = satisfaction(&[Data::Float(0.88), Data::Float(0.97), Data::Float(0.92)]);
        assert_eq!(issues.len(), 4);
    }

    #[test]
    fn small_columns_warn_only_about_values_with_decimals() {
        // One person with satisfaction 1 is not a scale problem.
        let (issues, read) = satisfaction(&[Data::Int(1)]);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(read, [FieldValue::Number(Decimal::ONE)]);
        // 4.4 alone: a warning, scored as read.
        let (issues, read) = satisfaction(&[Data::Float(4.4), Data::Int(0)]);
        assert_eq!(
            issues,
            [("wrong-scale".into(), Severity::Warning, Some("B2".into()))]
        );
        assert_eq!(read[0], FieldValue::Number(Decimal::new(44, 1)));
    }

    #[test]
    fn a_fraction_among_full_scale_values_is_a_warning() {
        let (issues, read) = satisfaction(&[
            Data::Int(88),
            Data::Float(0.9),
            Data::Int(92),
            Data::String("85%".into()),
        ]);
        assert_eq!(
            issues,
            [("wrong-scale".into(), Severity::Warning, Some("B3".into()))]
        );
        assert_eq!(read[3], FieldValue::Number(Decimal::from(85)));
    }

    #[test]
    fn headers_with_units_match_their_column() {
        let plan = Plan::standard().unwrap();
        let ix = |id: &str| plan.column_ix(id);
        assert_eq!(column_for_header(&plan, "实际销售额(元)"), ix("sales"));
        assert_eq!(
            column_for_header(&plan, "销售目标（万元）"),
            ix("sales_target")
        );
        assert_eq!(
            column_for_header(&plan, "客户满意度(%)"),
            ix("satisfaction")
        );
        assert_eq!(
            column_for_header(&plan, "新增客户数(个)"),
            ix("new_customers")
        );
        assert_eq!(
            column_for_header(&plan, "培训学时(小时)"),
            ix("training_hours")
        );
        assert_eq!(
            column_for_header(&plan, "团队协作评分(1-5分)"),
            ix("collaboration")
        );
        assert_eq!(column_for_header(&plan, "Sales (k)"), ix("sales"));
        // Not a unit: not guessed, but named.
        assert_eq!(column_for_header(&plan, "销售额(含税)"), None);
        assert_eq!(
            unknown_unit(&plan, "销售额(含税)"),
            Some((ix("sales").unwrap(), "销售额".to_owned(), "含税".to_owned()))
        );
    }
}
