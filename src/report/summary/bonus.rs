//! Bonus: the payroll-ready list of a month, grouped by department, with a
//! subtotal per department and a grand total written as Excel formulas
//! (`SUBTOTAL`, which skips nested subtotals and honours filters) whose
//! computed values are stored too: the exact decimal sums, to the cent, so
//! viewers that do not recalculate show the right figures.

use crate::report::text::WriteText;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

use super::page_header;
use crate::report::lang::{self as l};
use crate::report::layout::{Cell, Column, letter};
use crate::report::styles::{Styles, print_setup, text_width};
use crate::report::text::{to_f64, two};
use crate::report::view::PeriodView;
use crate::score::Scorecard;

/// The sheet's columns, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    StaffId,
    Name,
    Department,
    Role,
    Base,
    Grade,
    Coefficient,
    Bonus,
}

impl From<Col> for u16 {
    fn from(c: Col) -> u16 {
        c as u16
    }
}

const fn column(key: Col, header: (&'static str, &'static str), cell: Cell) -> Column<Col> {
    Column {
        key,
        header,
        width: None,
        format: cell,
    }
}

const COLUMNS: [Column<Col>; 8] = [
    column(Col::StaffId, l::STAFF_ID, Cell::Text),
    column(Col::Name, l::NAME, Cell::Text),
    column(Col::Department, l::DEPARTMENT, Cell::Text),
    column(Col::Role, l::ROLE, Cell::Text),
    column(Col::Base, l::BONUS_BASE, Cell::Money),
    column(Col::Grade, l::GRADE, Cell::Grade),
    column(Col::Coefficient, l::COEFFICIENT, Cell::Coefficient),
    Column {
        width: Some(14.0),
        ..column(Col::Bonus, l::BONUS, Cell::Money)
    },
];

const BONUS_COL: u16 = Col::Bonus as u16;

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let name = lang.t(l::BONUS_SHEET);
    ws.set_name(name)?;
    for c in &COLUMNS {
        ws.write_text(0, c.key.into(), lang.t(c.header), &st.header)?;
    }
    let mut widths: Vec<usize> = COLUMNS
        .iter()
        .map(|c| text_width(lang.t(c.header)).max(10))
        .collect();
    let mut row = 1u32;
    let mut grand = Decimal::ZERO;
    let mut left_out = Vec::new();
    for dept in view.departments() {
        let mut members: Vec<usize> = view
            .result
            .people
            .iter()
            .filter(|r| view.people[r.person].department == dept)
            .map(|r| r.person)
            .collect();
        members.sort_by(|a, b| view.people[*a].staff_id.cmp(&view.people[*b].staff_id));
        let first = row;
        let mut sum = Decimal::ZERO;
        for &p in &members {
            let Some(card) = view.card(p) else {
                left_out.push(p);
                continue;
            };
            person_row(ws, view, st, row, p, card, &mut widths)?;
            sum += card.bonus.unwrap_or_default();
            row += 1;
        }
        if row == first {
            continue;
        }
        let shown_dept = if dept.is_empty() {
            lang.t(l::NO_DEPARTMENT)
        } else {
            dept
        };
        let label = format!("{} {shown_dept}", lang.t(l::SUBTOTAL));
        total_row(ws, st, row, &label, (first + 1, row), sum)?;
        grand += sum;
        row += 1;
    }
    // Grand total: SUBTOTAL over the whole column ignores the subtotals.
    let grand_label = lang.t(l::GRAND_TOTAL);
    total_row(ws, st, row, grand_label, (2, row.max(2)), grand)?;
    let last_row = row;
    if !left_out.is_empty() {
        row += 2;
        ws.write_text(row, 0, lang.t(l::LEFT_OUT), &st.subtitle)?;
        for p in left_out {
            row += 1;
            let person = &view.people[p];
            ws.write_text(row, Col::StaffId.into(), &person.staff_id, &st.grey)?;
            ws.write_text(row, Col::Name.into(), &person.name, &st.grey)?;
            ws.write_text(row, Col::Department.into(), &person.department, &st.grey)?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2) as f64)?;
    }
    // The name column also holds "Subtotal <department>".
    let name_col = Col::Name as usize;
    ws.set_column_width(
        Col::Name.into(),
        (widths[name_col].max(text_width(lang.t(l::SUBTOTAL)) + 12) + 2) as f64,
    )?;
    for c in &COLUMNS {
        if let Some(width) = c.width {
            ws.set_column_width(c.key.into(), width)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row.saturating_sub(1).max(1), BONUS_COL)?;
    print_setup(
        ws,
        false,
        Some((0, 0)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}

/// A subtotal or total row: `SUBTOTAL` over the bonus column's rows
/// `from..=to` (1-based, as Excel numbers them), with the exact decimal sum
/// stored as its value.
fn total_row(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    label: &str,
    (from, to): (u32, u32),
    sum: Decimal,
) -> Result<(), XlsxError> {
    for c in 0..BONUS_COL {
        ws.write_blank(row, c, &st.total_label)?;
    }
    ws.write_text(row, Col::Name.into(), label, &st.total_label)?;
    let bonus = letter(BONUS_COL);
    let formula =
        Formula::new(format!("=SUBTOTAL(9,{bonus}{from}:{bonus}{to})")).set_result(two(sum));
    ws.write_formula_with_format(row, BONUS_COL, formula, &st.total_money)?;
    Ok(())
}

/// A scored person's row: who, base, grade, coefficient, bonus.
fn person_row(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    row: u32,
    p: usize,
    card: &Scorecard,
    widths: &mut [usize],
) -> Result<(), XlsxError> {
    let person = &view.people[p];
    for (c, text) in [
        (Col::StaffId, person.staff_id.as_str()),
        (Col::Name, person.name.as_str()),
        (Col::Department, person.department.as_str()),
        (Col::Role, view.role_label(p)),
    ] {
        let fmt = COLUMNS[c as usize].format.format(st);
        ws.write_text(row, c.into(), text, fmt)?;
        widths[c as usize] = widths[c as usize].max(text_width(text).min(40));
    }
    let number = |c: Col| (u16::from(c), COLUMNS[c as usize].format.format(st));
    if let Some(base) = card.bonus_base {
        let (c, fmt) = number(Col::Base);
        ws.write_number_with_format(row, c, to_f64(base), fmt)?;
    }
    ws.write_text(
        row,
        Col::Grade.into(),
        &view.plan.grades[card.grade].grade,
        &st.grades[card.grade],
    )?;
    if let Some(coefficient) = card.coefficient {
        let (c, fmt) = number(Col::Coefficient);
        ws.write_number_with_format(row, c, to_f64(coefficient), fmt)?;
    }
    let (c, fmt) = number(Col::Bonus);
    ws.write_number_with_format(row, c, to_f64(card.bonus.unwrap_or_default()), fmt)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::layout::in_order;

    #[test]
    fn columns_are_listed_in_order() {
        assert!(in_order(&COLUMNS));
        assert_eq!(letter(BONUS_COL), "H");
    }
}
