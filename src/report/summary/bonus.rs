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
use crate::report::styles::{Styles, print_setup, text_width};
use crate::report::text::{to_f64, two};
use crate::report::view::PeriodView;

/// The bonus column's letter (column 7).
const BONUS_COL: u16 = 7;
const BONUS_LETTER: &str = "H";

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let name = lang.t(l::BONUS_SHEET);
    ws.set_name(name)?;
    let headers = [
        l::STAFF_ID,
        l::NAME,
        l::DEPARTMENT,
        l::ROLE,
        l::BONUS_BASE,
        l::GRADE,
        l::COEFFICIENT,
        l::BONUS,
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_text(0, c as u16, lang.t(*h), &st.header)?;
    }
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| text_width(lang.t(*h)).max(10))
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
            let person = &view.people[p];
            for (c, text) in [
                (0u16, person.staff_id.as_str()),
                (1, person.name.as_str()),
                (2, person.department.as_str()),
                (3, view.role_label(p)),
            ] {
                ws.write_text(row, c, text, &st.text)?;
                widths[c as usize] = widths[c as usize].max(text_width(text).min(40));
            }
            if let Some(base) = card.bonus_base {
                ws.write_number_with_format(row, 4, to_f64(base), &st.money)?;
            }
            ws.write_text(
                row,
                5,
                &plan.grades[card.grade].grade,
                &st.grades[card.grade],
            )?;
            if let Some(c) = card.coefficient {
                ws.write_number_with_format(row, 6, to_f64(c), &st.coefficient)?;
            }
            let bonus = card.bonus.unwrap_or_default();
            sum += bonus;
            ws.write_number_with_format(row, BONUS_COL, to_f64(bonus), &st.money)?;
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
        for c in 0..BONUS_COL {
            ws.write_blank(row, c, &st.total_label)?;
        }
        ws.write_text(row, 1, &label, &st.total_label)?;
        let formula = Formula::new(format!(
            "=SUBTOTAL(9,{BONUS_LETTER}{}:{BONUS_LETTER}{})",
            first + 1,
            row
        ))
        .set_result(two(sum));
        ws.write_formula_with_format(row, BONUS_COL, formula, &st.total_money)?;
        grand += sum;
        row += 1;
    }
    // Grand total: SUBTOTAL over the whole column ignores the subtotals.
    for c in 0..BONUS_COL {
        ws.write_blank(row, c, &st.total_label)?;
    }
    ws.write_text(row, 1, lang.t(l::GRAND_TOTAL), &st.total_label)?;
    let formula = Formula::new(format!(
        "=SUBTOTAL(9,{BONUS_LETTER}2:{BONUS_LETTER}{})",
        row.max(2)
    ))
    .set_result(two(grand));
    ws.write_formula_with_format(row, BONUS_COL, formula, &st.total_money)?;
    let total_row = row;
    if !left_out.is_empty() {
        row += 2;
        ws.write_text(row, 0, lang.t(l::LEFT_OUT), &st.subtitle)?;
        for p in left_out {
            row += 1;
            let person = &view.people[p];
            ws.write_text(row, 0, &person.staff_id, &st.grey)?;
            ws.write_text(row, 1, &person.name, &st.grey)?;
            ws.write_text(row, 2, &person.department, &st.grey)?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2) as f64)?;
    }
    ws.set_column_width(
        1,
        (widths[1].max(text_width(lang.t(l::SUBTOTAL)) + 12) + 2) as f64,
    )?;
    ws.set_column_width(BONUS_COL, 14)?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, total_row.saturating_sub(1).max(1), BONUS_COL)?;
    print_setup(
        ws,
        false,
        Some((0, 0)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}
