//! Departments: headcount, scored, average and median score, grade mix,
//! the headline KPI's actual against target, and the bonus total, per
//! department and for the company.

use crate::report::text::WriteText;
use rust_xlsxwriter::{ConditionalFormat3ColorScale, Worksheet, XlsxError};

use super::page_header;
use crate::report::lang::{self as l};
use crate::report::layout::{Cell, Column};
use crate::report::styles::{Styles, print_setup, text_width};
use crate::report::text::{shown, to_f64};
use crate::report::view::{PeriodView, mean, median};

/// The fixed columns, left to right; the grades' counts follow them, then
/// the headline KPI's actual, target and ratio, then the bonus total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Department,
    Headcount,
    Scored,
    Average,
    Median,
}

impl From<Col> for u16 {
    fn from(c: Col) -> u16 {
        c as u16
    }
}

const fn column(key: Col, header: (&'static str, &'static str), format: Cell) -> Column<Col> {
    Column {
        key,
        header,
        width: None,
        format,
    }
}

const FIXED: [Column<Col>; 5] = [
    column(Col::Department, l::DEPARTMENT, Cell::Text),
    column(Col::Headcount, l::HEADCOUNT, Cell::Integer),
    column(Col::Scored, l::SCORED, Cell::Integer),
    column(Col::Average, l::AVERAGE_SCORE, Cell::Score),
    column(Col::Median, l::MEDIAN_SCORE, Cell::Score),
];

/// The first grade column.
const GRADES: u16 = FIXED.len() as u16;

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let name = lang.t(l::DEPARTMENTS);
    ws.set_name(name)?;
    let mut headers: Vec<String> = FIXED.iter().map(|c| lang.t(c.header).to_owned()).collect();
    headers.extend(plan.grades.iter().map(|g| g.grade.clone()));
    let kpi = view.headline_kpi().map(|k| lang.label(&plan.kpis[k].label));
    if let Some(kpi) = kpi {
        for h in [l::ACTUAL_TOTAL, l::TARGET_TOTAL, l::VS_TARGET] {
            headers.push(format!("{kpi} {}", lang.t(h)));
        }
    }
    if view.is_month() {
        headers.push(lang.t(l::BONUS_TOTAL).to_owned());
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_text(0, c as u16, h, &st.header)?;
    }
    let after = GRADES + plan.grades.len() as u16;
    let mut width0 = text_width(&headers[0]);
    let mut row = 1u32;
    let mut scopes: Vec<(String, Option<&str>)> = view
        .departments()
        .into_iter()
        .map(|d| {
            let shown_name = if d.is_empty() {
                lang.t(l::NO_DEPARTMENT)
            } else {
                d
            };
            (shown_name.to_owned(), Some(d))
        })
        .collect();
    scopes.push((lang.t(l::COMPANY).to_owned(), None));
    for (label, dept) in &scopes {
        width0 = width0.max(text_width(label).min(40));
        scope_row(ws, view, st, row, label, *dept, kpi.is_some())?;
        row += 1;
    }
    if scopes.len() > 2 {
        ws.add_conditional_format(
            1,
            Col::Average.into(),
            row - 2,
            Col::Average.into(),
            &ConditionalFormat3ColorScale::new()
                .set_minimum_color("F8696B")
                .set_midpoint_color("FFEB84")
                .set_maximum_color("63BE7B"),
        )?;
    }
    ws.set_column_width(0, (width0 + 2) as f64)?;
    for c in 1..headers.len() as u16 {
        let w = text_width(&headers[c as usize]).clamp(6, 16) + 2;
        ws.set_column_width(c, w as f64)?;
    }
    for c in after..after + 3 {
        ws.set_column_width(c, 16)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 1)?;
    print_setup(
        ws,
        true,
        Some((0, 0)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}

/// One row: a department (`dept` Some) or the company.
fn scope_row(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    row: u32,
    label: &str,
    dept: Option<&str>,
    kpi: bool,
) -> Result<(), XlsxError> {
    let after = GRADES + view.plan.grades.len() as u16;
    let include = |p: usize| dept.is_none_or(|d| view.people[p].department == d);
    let company = dept.is_none();
    let text = if company { &st.total_label } else { &st.text };
    let (int_fmt, money_fmt) = if company {
        (&st.total_integer, &st.total_money)
    } else {
        (&st.integer, &st.money)
    };
    ws.write_text(row, Col::Department.into(), label, text)?;
    let headcount = view
        .result
        .people
        .iter()
        .filter(|r| include(r.person))
        .count();
    let totals = view.totals(include);
    ws.write_number_with_format(row, Col::Headcount.into(), headcount as f64, int_fmt)?;
    ws.write_number_with_format(row, Col::Scored.into(), totals.len() as f64, int_fmt)?;
    let score_fmt = if company { &st.total_score } else { &st.score };
    for (c, v) in [
        (Col::Average, mean(&totals)),
        (Col::Median, median(&totals)),
    ] {
        let c = c.into();
        match v {
            Some(v) => ws.write_number_with_format(row, c, to_f64(shown(v, 2)), score_fmt)?,
            None => ws.write_text(row, c, "—", &st.na)?,
        };
    }
    for (i, n) in view.grade_counts(include).iter().enumerate() {
        ws.write_number_with_format(row, GRADES + i as u16, *n as f64, int_fmt)?;
    }
    let mut c = after;
    if kpi {
        match view.actual_vs_target(include) {
            Some((a, t)) => {
                ws.write_number_with_format(row, c, to_f64(a), money_fmt)?;
                ws.write_number_with_format(row, c + 1, to_f64(t), money_fmt)?;
                match a.checked_div(t).filter(|_| !t.is_zero()) {
                    Some(r) => ws.write_number_with_format(row, c + 2, to_f64(r), &st.percent)?,
                    None => ws.write_text(row, c + 2, "—", &st.na)?,
                };
            }
            None => {
                for j in 0..3 {
                    ws.write_text(row, c + j, "—", &st.na)?;
                }
            }
        }
        c += 3;
    }
    if let Some(b) = view.bonus_total(include) {
        ws.write_number_with_format(
            row,
            c,
            to_f64(b),
            if company { &st.total_money } else { &st.money },
        )?;
    }
    Ok(())
}
