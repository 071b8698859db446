//! The shapes HR gives a table beyond one header row over plain rows: a
//! header of two rows (a group row such as `业绩指标` over the column names,
//! with `工号`/`姓名` merged down across both), and merged cells in the data.
//!
//! A merged cell holds its value in its top-left cell only. Down a text
//! column (department, manager, role, name) a merge means "the same for
//! each of these rows", as HR uses it, so its value is given to every row
//! it covers that holds data. Over a number, an id, or across two columns
//! the table uses, there is no one reading (one person's value? each
//! person's?), so every covered cell is refused naming the range.

use std::collections::HashMap;

use calamine::{Data, Dimensions, Range};

use super::cell::cell_text;
use crate::diagnostics::a1;
use crate::plan::{ColumnIx, ColumnKind, Plan};

/// When the row under the header row has an empty cell under the staff id
/// (merged down, or left blank) and names at least one plan column not
/// already named, the two rows are one header: each column is named by its
/// lower cell, or by its upper cell where the lower one is empty. Returns
/// the combined cells and their plan columns.
pub fn two_row_header(
    plan: &Plan,
    rows: &[&[Data]],
    header_ix: usize,
    columns: &[Option<ColumnIx>],
) -> Option<(Vec<Data>, Vec<Option<ColumnIx>>)> {
    let upper = rows.get(header_ix)?;
    let lower = rows.get(header_ix + 1)?;
    let id_at = columns.iter().position(|c| *c == Some(plan.key.staff_id))?;
    if !cell_text(lower.get(id_at).unwrap_or(&Data::Empty)).is_empty() {
        return None;
    }
    let lower_cols: Vec<Option<ColumnIx>> = lower
        .iter()
        .map(|c| match c {
            Data::String(s) => plan.column_for_header(s),
            _ => None,
        })
        .collect();
    let adds = lower_cols
        .iter()
        .flatten()
        .any(|ix| !columns.contains(&Some(*ix)));
    if !adds {
        return None;
    }
    // Every non-empty lower cell must be a header-like text: a data row
    // under a header has numbers.
    let texts_only = lower
        .iter()
        .all(|c| matches!(c, Data::Empty | Data::String(_)));
    if !texts_only {
        return None;
    }
    let width = upper.len().max(lower.len());
    let mut cells = Vec::with_capacity(width);
    let mut cols = Vec::with_capacity(width);
    for i in 0..width {
        let low = lower.get(i).unwrap_or(&Data::Empty);
        if cell_text(low).is_empty() {
            cells.push(upper.get(i).cloned().unwrap_or(Data::Empty));
            cols.push(columns.get(i).copied().flatten());
        } else {
            cells.push(low.clone());
            cols.push(lower_cols.get(i).copied().flatten());
        }
    }
    Some((cells, cols))
}

/// What the merged cells of a table's data mean.
#[derive(Debug, Default)]
pub struct MergeEffects {
    /// Cells given the value of the merge over them (absolute positions).
    pub fills: Vec<((u32, u32), Data)>,
    /// Merged ranges filled down text columns, for one note per sheet.
    pub filled: Vec<String>,
    /// Cells of a plan column inside a merge that has no one reading, with
    /// the merge's range.
    pub refused: HashMap<(u32, u32), String>,
    /// The merges cover more cells than a sheet may hold (a crafted file):
    /// the table is refused rather than read partly.
    pub overflow: bool,
}

/// The most cells the merges of one table may cover in all: the sheet cell
/// limit, so overlapping crafted merges cannot cost more than a sheet.
const MERGE_BUDGET: u64 = 5_000_000;

/// Reads the merges below the header. `slot` gives each plan column's
/// sheet column; `header_last` is the last header row (absolute).
pub fn merge_effects(
    plan: &Plan,
    merges: &[Dimensions],
    range: &Range<Data>,
    header_last: u32,
    slot: &[Option<u32>],
) -> MergeEffects {
    let mut out = MergeEffects::default();
    let last_row = range.end().map_or(0, |(r, _)| r);
    let mut budget = MERGE_BUDGET;
    let mut spend = |n: u64, out: &mut MergeEffects| {
        budget = budget.saturating_sub(n);
        if budget == 0 {
            out.overflow = true;
        }
        !out.overflow
    };
    let by_col: HashMap<u32, ColumnIx> = slot
        .iter()
        .enumerate()
        .filter_map(|(ix, c)| c.map(|c| (c, ix)))
        .collect();
    for m in merges {
        let ((r0, c0), (r1, c1)) = (m.start, m.end);
        if r1 <= header_last {
            continue; // a title or a header
        }
        let covered: Vec<(u32, ColumnIx)> = (c0..=c1)
            .filter_map(|c| by_col.get(&c).map(|ix| (c, *ix)))
            .collect();
        if covered.is_empty() {
            continue;
        }
        let name = if (r0, c0) == (r1, c1) {
            a1(r0, c0)
        } else {
            format!("{}:{}", a1(r0, c0), a1(r1, c1))
        };
        let first_data = r0.max(header_last + 1);
        let text_down = covered.len() == 1
            && covered[0].0 == c0
            && r0 > header_last
            && is_text_column(plan, covered[0].1);
        if text_down {
            if r0 == r1 {
                continue; // across unused columns only: its value is in place
            }
            let value = range.get_value((r0, c0)).cloned().unwrap_or(Data::Empty);
            if !spend(u64::from(r1.min(last_row).saturating_sub(r0)), &mut out) {
                return out;
            }
            for r in r0 + 1..=r1.min(last_row) {
                if row_has_data(range, r, c0) {
                    out.fills.push(((r, c0), value.clone()));
                }
            }
            out.filled.push(name);
        } else if covered.len() == 1 && covered[0].0 == c0 && r0 == r1 && r0 > header_last {
            // One row, one plan column at its left: the value is in place.
            continue;
        } else {
            let rows = u64::from(r1.min(last_row).saturating_sub(first_data)) + 1;
            if !spend(rows.saturating_mul(covered.len() as u64), &mut out) {
                return out;
            }
            for r in first_data..=r1.min(last_row) {
                for (c, _) in &covered {
                    out.refused.insert((r, *c), name.clone());
                }
            }
        }
    }
    out
}

fn is_text_column(plan: &Plan, ix: ColumnIx) -> bool {
    ix != plan.key.staff_id
        && matches!(
            plan.columns[ix].kind,
            ColumnKind::Text | ColumnKind::Period | ColumnKind::Id
        )
}

/// Whether row `r` holds anything outside column `except`.
fn row_has_data(range: &Range<Data>, r: u32, except: u32) -> bool {
    let Some((_, c0)) = range.start() else {
        return false;
    };
    let Some((_, c1)) = range.end() else {
        return false;
    };
    (c0..=c1).any(|c| {
        c != except
            && range
                .get_value((r, c))
                .is_some_and(|v| !cell_text(v).is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Data {
        Data::String(t.to_owned())
    }

    #[test]
    fn a_group_row_over_the_column_names_is_one_header() {
        let plan = Plan::standard().unwrap();
        let upper = vec![s("工号"), s("姓名"), s("业绩指标"), Data::Empty];
        let lower = vec![Data::Empty, Data::Empty, s("实际销售额"), s("新增客户数")];
        let data = vec![s("S001"), s("Li"), Data::Float(1.0), Data::Float(2.0)];
        let rows: Vec<&[Data]> = vec![&upper, &lower, &data];
        let columns: Vec<Option<ColumnIx>> = upper
            .iter()
            .map(|c| match c {
                Data::String(t) => plan.column_for_header(t),
                _ => None,
            })
            .collect();
        let (cells, cols) = two_row_header(&plan, &rows, 0, &columns).unwrap();
        assert_eq!(cells[0], s("工号"));
        assert_eq!(cells[2], s("实际销售额"));
        assert_eq!(cols[2], plan.column_ix("sales"));
        assert_eq!(cols[3], plan.column_ix("new_customers"));
        // A data row under a one-row header is not a second header row.
        let rows: Vec<&[Data]> = vec![&upper, &data];
        assert!(two_row_header(&plan, &rows, 0, &columns).is_none());
    }

    #[test]
    fn merges_fill_text_down_and_refuse_numbers() {
        let plan = Plan::standard().unwrap();
        let mut range = Range::new((0, 0), (3, 2));
        for (c, h) in ["Staff ID", "Department", "Sales Target"]
            .iter()
            .enumerate()
        {
            range.set_value((0, c as u32), s(h));
        }
        for r in 1..=3 {
            range.set_value((r, 0), s(&format!("S00{r}")));
        }
        range.set_value((1, 1), s("East"));
        range.set_value((1, 2), Data::Float(100.0));
        let mut slot = vec![None; plan.columns.len()];
        slot[plan.key.staff_id] = Some(0);
        slot[plan.key.department] = Some(1);
        slot[plan.column_ix("sales_target").unwrap()] = Some(2);
        let merges = [
            Dimensions {
                start: (1, 1),
                end: (3, 1),
            },
            Dimensions {
                start: (1, 2),
                end: (2, 2),
            },
        ];
        let got = merge_effects(&plan, &merges, &range, 0, &slot);
        assert_eq!(got.fills, [((2, 1), s("East")), ((3, 1), s("East"))]);
        assert_eq!(got.filled, ["B2:B4"]);
        assert_eq!(got.refused.get(&(1, 2)).map(String::as_str), Some("C2:C3"));
        assert_eq!(got.refused.get(&(2, 2)).map(String::as_str), Some("C2:C3"));
        assert_eq!(got.refused.len(), 2);
        assert!(!got.overflow);
    }
}
