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

use super::table::cell_text;
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
