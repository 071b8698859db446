//! Ranking: every person, best first, with per KPI the target, actual,
//! attainment, score, weight share and weighted points, then the total,
//! grade, ranks and bonus. Two header rows: the KPI groups, then columns.
//!
//! The columns are two tables: [`IDENTITY`] (rank, staff id, name,
//! department, role, manager id, status, total, grade, department rank, role
//! rank, bonus), then [`PER_KPI_COLUMNS`] for each KPI (target, actual,
//! attainment, score, weight %, points).

use crate::report::text::WriteText;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, ConditionalFormatDataBar, Format, Worksheet, XlsxError,
};

use super::page_header;
use crate::report::csv::report_order;
use crate::report::lang::{self as l};
use crate::report::layout::{Cell, Column};
use crate::report::styles::{Styles, print_setup, text_width};
use crate::report::text::{shown, to_f64};
use crate::report::view::PeriodView;
use crate::score::{KpiLine, PersonResult, Scorecard};

/// The identity columns, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Rank,
    StaffId,
    Name,
    Department,
    Role,
    ManagerId,
    Status,
    Total,
    Grade,
    RankDepartment,
    RankRole,
    Bonus,
}

impl From<Col> for u16 {
    fn from(c: Col) -> u16 {
        c as u16
    }
}

/// A KPI's columns, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sub {
    Target,
    Actual,
    Attainment,
    Score,
    Weight,
    Points,
}

impl From<Sub> for u16 {
    fn from(c: Sub) -> u16 {
        c as u16
    }
}

const fn column<K>(key: K, header: (&'static str, &'static str), format: Cell) -> Column<K> {
    Column {
        key,
        header,
        width: None,
        format,
    }
}

/// The identity columns; the KPIs' columns follow them.
pub const IDENTITY: [Column<Col>; 12] = [
    column(Col::Rank, l::RANK, Cell::Integer),
    column(Col::StaffId, l::STAFF_ID, Cell::Text),
    column(Col::Name, l::NAME, Cell::Text),
    column(Col::Department, l::DEPARTMENT, Cell::Text),
    column(Col::Role, l::ROLE, Cell::Text),
    column(Col::ManagerId, l::MANAGER_ID, Cell::Text),
    column(Col::Status, l::STATUS, Cell::Text),
    column(Col::Total, l::TOTAL, Cell::ScoreBold),
    column(Col::Grade, l::GRADE, Cell::Grade),
    column(Col::RankDepartment, l::RANK_DEPARTMENT, Cell::Integer),
    column(Col::RankRole, l::RANK_ROLE, Cell::Integer),
    column(Col::Bonus, l::BONUS, Cell::Money),
];

/// Each KPI's columns (the weight's format depends on whether it was
/// rescaled).
pub const PER_KPI_COLUMNS: [Column<Sub>; 6] = [
    column(Sub::Target, l::TARGET, Cell::Number),
    column(Sub::Actual, l::ACTUAL, Cell::Number),
    column(Sub::Attainment, l::ATTAINMENT, Cell::Percent),
    column(Sub::Score, l::SCORE, Cell::Score),
    column(Sub::Weight, l::WEIGHT, Cell::Score),
    column(Sub::Points, l::POINTS, Cell::Score),
];

/// First KPI column.
pub const KPI_COL: u16 = IDENTITY.len() as u16;
/// Columns per KPI.
pub const PER_KPI: u16 = PER_KPI_COLUMNS.len() as u16;
/// Header rows.
pub const HEADER_ROWS: u32 = 2;

/// The column of KPI `k`'s `sub` column.
fn kpi_col(k: usize, sub: Sub) -> u16 {
    KPI_COL + PER_KPI * k as u16 + u16::from(sub)
}

/// The formats of the weight column: rescaled (blue, bold) or as planned.
struct WeightFormats {
    rescaled: Format,
    planned: Format,
}

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let name = lang.t(l::RANKING);
    ws.set_name(name)?;
    let weights = WeightFormats {
        rescaled: Format::new()
            .set_num_format("0.0")
            .set_font_color("2F75B5")
            .set_bold()
            .set_border(rust_xlsxwriter::FormatBorder::Thin)
            .set_border_color("BFBFBF"),
        planned: Format::new()
            .set_num_format("0.0")
            .set_border(rust_xlsxwriter::FormatBorder::Thin)
            .set_border_color("BFBFBF"),
    };
    let last_col = KPI_COL + PER_KPI * plan.kpis.len() as u16 - 1;
    let mut widths: Vec<usize> = vec![8; last_col as usize + 1];
    headers(ws, view, st, &mut widths)?;
    let mut row = HEADER_ROWS;
    let mut any_rescaled = false;
    for r in report_order(view.people, view.result) {
        identity_cells(ws, view, st, row, r, &mut widths)?;
        match &r.card {
            Some(card) => {
                any_rescaled |= scored_cells(ws, view, st, &weights, row, r.person, card)?;
            }
            None => incomplete_cells(ws, view, st, row, r.person)?,
        }
        row += 1;
    }
    let last_row = row.saturating_sub(1).max(HEADER_ROWS);
    if row > HEADER_ROWS {
        let total = Col::Total.into();
        ws.add_conditional_format(
            HEADER_ROWS,
            total,
            last_row,
            total,
            &ConditionalFormat3ColorScale::new()
                .set_minimum_color("F8696B")
                .set_midpoint_color("FFEB84")
                .set_maximum_color("63BE7B"),
        )?;
        for k in 0..plan.kpis.len() {
            let c = kpi_col(k, Sub::Attainment);
            ws.add_conditional_format(
                HEADER_ROWS,
                c,
                last_row,
                c,
                &ConditionalFormatDataBar::new().set_fill_color("5B9BD5"),
            )?;
        }
    }
    if any_rescaled {
        ws.write_text(row + 1, 1, lang.t(l::RESCALED_NOTE), &st.subtitle)?;
    }
    let bonus = Col::Bonus as usize;
    widths[bonus] = widths[bonus].max(11);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2) as f64)?;
    }
    // Rank, staff id and name stay in view.
    ws.set_freeze_panes(HEADER_ROWS, Col::Department.into())?;
    ws.autofilter(1, 0, last_row, last_col)?;
    print_setup(
        ws,
        true,
        Some((0, HEADER_ROWS - 1)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    // 12 identity columns and 6 per KPI: A3 keeps the page-wide print legible.
    ws.set_paper_size(8);
    Ok(())
}

/// The two header rows: identity headers over both, each KPI's label over
/// its columns.
fn headers(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    widths: &mut [usize],
) -> Result<(), XlsxError> {
    let lang = view.lang;
    for column in &IDENTITY {
        let c = column.key.into();
        ws.merge_text((0, c), (1, c), lang.t(column.header), &st.header)?;
        widths[c as usize] = text_width(lang.t(column.header)).clamp(6, 14);
    }
    // Every cell of row 0 before any of row 1: a streamed sheet cannot go
    // back to a row once the next one is written.
    for (k, kpi) in view.plan.kpis.iter().enumerate() {
        let c0 = kpi_col(k, Sub::Target);
        ws.merge_text(
            (0, c0),
            (0, c0 + PER_KPI - 1),
            lang.label(&kpi.label),
            &st.group,
        )?;
    }
    for k in 0..view.plan.kpis.len() {
        for column in &PER_KPI_COLUMNS {
            let c = kpi_col(k, column.key);
            ws.write_text(1, c, lang.t(column.header), &st.header)?;
            widths[c as usize] = text_width(lang.t(column.header)).clamp(7, 12);
        }
    }
    // Rows are written in order (the sheet may stream in constant-memory
    // mode): the header's height before the first person.
    ws.set_row_height(1, 30)?;
    Ok(())
}

/// Staff id to status: text from the inputs, written as text.
fn identity_cells(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    row: u32,
    r: &PersonResult,
    widths: &mut [usize],
) -> Result<(), XlsxError> {
    let p = &view.people[r.person];
    let ok = r.card.is_some();
    let text_fmt = if ok { &st.text } else { &st.grey };
    let status = view.lang.t(if ok { l::OK } else { l::INCOMPLETE });
    let texts = [
        (Col::StaffId, p.staff_id.as_str()),
        (Col::Name, p.name.as_str()),
        (Col::Department, p.department.as_str()),
        (Col::Role, view.role_label(r.person)),
        (Col::ManagerId, p.manager_id.as_str()),
        (Col::Status, status),
    ];
    for (c, text) in texts {
        // Text from the inputs is written as text, never as a formula.
        ws.write_text(row, c.into(), text, text_fmt)?;
        let w = &mut widths[c as usize];
        *w = (*w).max(text_width(text).min(40));
    }
    Ok(())
}

/// A scored person's figures; returns whether a weight was rescaled.
fn scored_cells(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    weights: &WeightFormats,
    row: u32,
    person: usize,
    card: &Scorecard,
) -> Result<bool, XlsxError> {
    let number = |c: Col, v: f64| (u16::from(c), v, IDENTITY[c as usize].format.format(st));
    for (c, v, fmt) in [
        number(Col::Rank, f64::from(card.ranks.company.0)),
        number(Col::Total, to_f64(card.total)),
    ] {
        ws.write_number_with_format(row, c, v, fmt)?;
    }
    ws.write_text(
        row,
        Col::Grade.into(),
        &view.plan.grades[card.grade].grade,
        &st.grades[card.grade],
    )?;
    for (c, v, fmt) in [
        number(Col::RankDepartment, f64::from(card.ranks.department.0)),
        number(Col::RankRole, f64::from(card.ranks.role.0)),
    ] {
        ws.write_number_with_format(row, c, v, fmt)?;
    }
    match card.bonus {
        Some(b) => {
            let (c, v, fmt) = number(Col::Bonus, to_f64(b));
            ws.write_number_with_format(row, c, v, fmt)?
        }
        None => ws.write_blank(row, Col::Bonus.into(), &st.text)?,
    };
    let mut any_rescaled = false;
    for (k, line) in card.kpis.iter().enumerate() {
        any_rescaled |= kpi_cells(ws, view, st, weights, row, person, k, line)?;
    }
    Ok(any_rescaled)
}

/// One KPI's six cells of a scored person; returns whether its weight was
/// rescaled.
#[allow(clippy::too_many_arguments)] // the sheet, its row and the KPI's line
fn kpi_cells(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    weights: &WeightFormats,
    row: u32,
    person: usize,
    k: usize,
    line: &KpiLine,
) -> Result<bool, XlsxError> {
    let lang = view.lang;
    let col = |sub: Sub| kpi_col(k, sub);
    let (target, actual) = view.target_actual(person, k);
    let format = |sub: Sub| PER_KPI_COLUMNS[sub as usize].format.format(st);
    for (sub, v) in [(Sub::Target, target), (Sub::Actual, actual)] {
        match v {
            Some(v) => ws.write_number_with_format(row, col(sub), to_f64(v), format(sub))?,
            None => ws.write_blank(row, col(sub), &st.text)?,
        };
    }
    match line.attainment {
        Some(a) => {
            let sub = Sub::Attainment;
            ws.write_number_with_format(row, col(sub), to_f64(a), format(sub))?
        }
        None => ws.write_blank(row, col(Sub::Attainment), &st.text)?,
    };
    let mut moved = false;
    match line.score {
        Some(s) => {
            let sub = Sub::Score;
            ws.write_number_with_format(row, col(sub), to_f64(shown(s, 2)), format(sub))?;
            moved = line.share != line.weight;
            let fmt = if moved {
                &weights.rescaled
            } else {
                &weights.planned
            };
            ws.write_number_with_format(row, col(Sub::Weight), to_f64(line.share), fmt)?;
        }
        None => {
            ws.write_text(row, col(Sub::Score), lang.t(l::NOT_APPLICABLE), &st.na)?;
            ws.write_text(row, col(Sub::Weight), lang.t(l::NOT_APPLICABLE), &st.na)?;
        }
    }
    match line.points {
        Some(pt) => {
            let sub = Sub::Points;
            ws.write_number_with_format(row, col(sub), to_f64(pt), format(sub))?
        }
        None => ws.write_blank(row, col(Sub::Points), &st.text)?,
    };
    Ok(moved)
}

/// An incomplete person: greyed, the figures blank but the inputs that
/// were found.
fn incomplete_cells(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    row: u32,
    person: usize,
) -> Result<(), XlsxError> {
    for c in [
        Col::Rank,
        Col::Total,
        Col::Grade,
        Col::RankDepartment,
        Col::RankRole,
        Col::Bonus,
    ] {
        ws.write_blank(row, c.into(), &st.grey)?;
    }
    for k in 0..view.plan.kpis.len() {
        let (target, actual) = view.target_actual(person, k);
        for (sub, v) in [(Sub::Target, target), (Sub::Actual, actual)] {
            let c = kpi_col(k, sub);
            match v {
                Some(v) => ws.write_number_with_format(row, c, to_f64(v), &st.grey_number)?,
                None => ws.write_blank(row, c, &st.grey)?,
            };
        }
        for column in &PER_KPI_COLUMNS[Sub::Attainment as usize..] {
            ws.write_blank(row, kpi_col(k, column.key), &st.grey)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::layout::in_order;

    #[test]
    fn columns_are_listed_in_order() {
        assert!(in_order(&IDENTITY));
        assert!(in_order(&PER_KPI_COLUMNS));
        assert_eq!((KPI_COL, PER_KPI), (12, 6));
        assert_eq!(kpi_col(1, Sub::Attainment), 20);
    }
}
