//! Overview: the headline figures, the grade distribution (table and
//! column chart), the average score by department (table and bar chart)
//! and the average score per KPI.

use crate::report::text::WriteText;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartPoint, ChartSolidFill, ChartType, Worksheet, XlsxError,
};

use super::page_header;
use crate::report::lang::{self as l};
use crate::report::styles::{INK, Styles, grade_colours, print_setup};
use crate::report::text::{shown, to_f64};
use crate::report::view::{PeriodView, mean, median};

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let name = lang.t(l::OVERVIEW);
    ws.set_name(name)?;
    ws.set_screen_gridlines(false);
    ws.set_column_width(0, 34)?;
    for c in 1..=4 {
        ws.set_column_width(c, 16)?;
    }
    ws.set_column_width(5, 3)?;
    ws.write_text(
        0,
        0,
        format!("{} — {}", lang.t(l::SUMMARY_TITLE), view.result.period),
        &st.title,
    )?;
    ws.write_text(
        1,
        0,
        format!("{} · {}", plan.name, plan.company),
        &st.subtitle,
    )?;
    let row = headline(ws, view, st)?;
    let grade_top = row + 1;
    let row = grade_distribution(ws, view, st, name, grade_top)?;
    let row = departments(ws, view, st, name, row + 1, grade_top)?;
    per_kpi(ws, view, st, row + 1)?;
    print_setup(
        ws,
        true,
        None,
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}

/// The headline figures from row 3. Returns the next free row.
fn headline(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<u32, XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let all = |_: usize| true;
    let totals = view.totals(all);
    let mut row = 3u32;
    ws.merge_text((row, 0), (row, 4), lang.t(l::HEADLINE), &st.section)?;
    row += 1;
    let mut figure =
        |ws: &mut Worksheet, label: &str, value: Option<f64>, fmt| -> Result<(), XlsxError> {
            ws.write_text(row, 0, label, &st.label)?;
            match value {
                Some(v) => ws.write_number_with_format(row, 1, v, fmt)?,
                None => ws.write_text(row, 1, "—", &st.na)?,
            };
            row += 1;
            Ok(())
        };
    let people = view.result.people.len();
    figure(ws, lang.t(l::PEOPLE), Some(people as f64), &st.integer)?;
    figure(
        ws,
        lang.t(l::SCORED),
        Some(totals.len() as f64),
        &st.integer,
    )?;
    figure(
        ws,
        lang.t(l::INCOMPLETE_COUNT),
        Some((people - totals.len()) as f64),
        &st.integer,
    )?;
    figure(
        ws,
        lang.t(l::AVERAGE_SCORE),
        mean(&totals).map(|m| to_f64(shown(m, 2))),
        &st.score,
    )?;
    figure(
        ws,
        lang.t(l::MEDIAN_SCORE),
        median(&totals).map(|m| to_f64(shown(m, 2))),
        &st.score,
    )?;
    if let (Some(k), Some((actual, target))) = (view.headline_kpi(), view.actual_vs_target(all)) {
        let kpi = lang.label(&plan.kpis[k].label);
        figure(
            ws,
            &format!("{kpi} — {}", lang.t(l::ACTUAL_TOTAL)),
            Some(to_f64(actual)),
            &st.money,
        )?;
        figure(
            ws,
            &format!("{kpi} — {}", lang.t(l::TARGET_TOTAL)),
            Some(to_f64(target)),
            &st.money,
        )?;
        let ratio = actual.checked_div(target).filter(|_| !target.is_zero());
        figure(
            ws,
            &format!("{kpi} — {}", lang.t(l::VS_TARGET)),
            ratio.map(to_f64),
            &st.percent,
        )?;
    }
    if let Some(b) = view.bonus_total(all) {
        figure(ws, lang.t(l::BONUS_TOTAL), Some(to_f64(b)), &st.money_bold)?;
    }
    Ok(row)
}

/// The grade distribution from `row`: table and column chart. Returns the
/// next free row.
fn grade_distribution(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    name: &str,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let all = |_: usize| true;
    let totals = view.totals(all);
    ws.merge_text(
        (row, 0),
        (row, 4),
        lang.t(l::GRADE_DISTRIBUTION),
        &st.section,
    )?;
    row += 1;
    for (c, h) in [l::GRADE, l::GRADE_LABEL, l::FROM_SCORE, l::SCORED, l::SHARE]
        .iter()
        .enumerate()
    {
        ws.write_text(row, c as u16, lang.t(*h), &st.header)?;
    }
    row += 1;
    let counts = view.grade_counts(all);
    let first_grade_row = row;
    for (i, g) in plan.grades.iter().enumerate() {
        ws.write_text(row, 0, &g.grade, &st.grades[i])?;
        ws.write_text(row, 1, lang.label(&g.label), &st.text)?;
        match g.min {
            Some(m) => ws.write_number_with_format(row, 2, to_f64(m), &st.score)?,
            None => ws.write_text(row, 2, "", &st.text)?,
        };
        ws.write_number_with_format(row, 3, counts[i] as f64, &st.integer)?;
        let share = if totals.is_empty() {
            0.0
        } else {
            counts[i] as f64 / totals.len() as f64
        };
        ws.write_number_with_format(row, 4, share, &st.percent)?;
        row += 1;
    }
    let last_grade_row = row - 1;
    let mut chart = Chart::new(ChartType::Column);
    let points: Vec<ChartPoint> = (0..plan.grades.len())
        .map(|i| {
            let (fill, _) = grade_colours(i, plan.grades.len());
            ChartPoint::new().set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(fill)),
            )
        })
        .collect();
    chart
        .add_series()
        .set_name(lang.t(l::SCORED))
        .set_categories((name, first_grade_row, 0, last_grade_row, 0))
        .set_values((name, first_grade_row, 3, last_grade_row, 3))
        .set_points(&points)
        .set_data_label(ChartDataLabel::new().show_value())
        .set_gap(60);
    chart.title().set_name(lang.t(l::GRADE_DISTRIBUTION));
    chart.legend().set_hidden();
    chart.set_width(480).set_height(300);
    ws.insert_chart(3, 6, &chart)?;
    Ok(row)
}

/// The average score by department from `row`: table and bar chart (placed
/// beside the grade chart, or below it). Returns the next free row.
fn departments(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    name: &str,
    mut row: u32,
    grade_top: u32,
) -> Result<u32, XlsxError> {
    let lang = view.lang;
    ws.merge_text((row, 0), (row, 4), lang.t(l::BY_DEPARTMENT), &st.section)?;
    row += 1;
    for (c, h) in [l::DEPARTMENT, l::HEADCOUNT, l::SCORED, l::AVERAGE_SCORE]
        .iter()
        .enumerate()
    {
        ws.write_text(row, c as u16, lang.t(*h), &st.header)?;
    }
    row += 1;
    let first_dept_row = row;
    for dept in view.departments() {
        let members = |p: usize| view.people[p].department == dept;
        let t = view.totals(members);
        let shown_name = if dept.is_empty() {
            lang.t(l::NO_DEPARTMENT)
        } else {
            dept
        };
        ws.write_text(row, 0, shown_name, &st.text)?;
        let headcount = view
            .result
            .people
            .iter()
            .filter(|r| members(r.person))
            .count();
        ws.write_number_with_format(row, 1, headcount as f64, &st.integer)?;
        ws.write_number_with_format(row, 2, t.len() as f64, &st.integer)?;
        match mean(&t) {
            Some(m) => ws.write_number_with_format(row, 3, to_f64(shown(m, 2)), &st.score)?,
            None => ws.write_text(row, 3, "—", &st.na)?,
        };
        row += 1;
    }
    let last_dept_row = row - 1;
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name(lang.t(l::AVERAGE_SCORE))
        .set_categories((name, first_dept_row, 0, last_dept_row, 0))
        .set_values((name, first_dept_row, 3, last_dept_row, 3))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(INK)))
        .set_data_label(ChartDataLabel::new().show_value())
        .set_gap(50);
    chart.title().set_name(lang.t(l::BY_DEPARTMENT));
    chart.legend().set_hidden();
    // In a bar chart the y axis holds the categories: list them top down.
    chart.y_axis().set_reverse();
    chart.x_axis().set_min(0);
    chart.set_width(480).set_height(300);
    ws.insert_chart(grade_top.max(19), 6, &chart)?;
    Ok(row)
}

/// The average score and attainment per KPI from `row`.
fn per_kpi(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    mut row: u32,
) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let all = |_: usize| true;
    ws.merge_text((row, 0), (row, 4), lang.t(l::PER_KPI), &st.section)?;
    row += 1;
    for (c, h) in [
        l::KPI,
        l::APPLIES_TO,
        l::AVERAGE_SCORE,
        l::AVERAGE_ATTAINMENT,
    ]
    .iter()
    .enumerate()
    {
        ws.write_text(row, c as u16, lang.t(*h), &st.header)?;
    }
    row += 1;
    for (k, kpi) in plan.kpis.iter().enumerate() {
        let scores = view.kpi_scores(k, all);
        ws.write_text(row, 0, lang.label(&kpi.label), &st.text)?;
        ws.write_number_with_format(row, 1, scores.len() as f64, &st.integer)?;
        match mean(&scores) {
            Some(m) => ws.write_number_with_format(row, 2, to_f64(shown(m, 2)), &st.score)?,
            None => ws.write_text(row, 2, lang.t(l::NOT_APPLICABLE), &st.na)?,
        };
        let attainments: Vec<_> = view
            .result
            .people
            .iter()
            .filter_map(|r| r.card.as_ref().and_then(|c| c.kpis[k].attainment))
            .collect();
        match mean(&attainments) {
            Some(m) => ws.write_number_with_format(row, 3, to_f64(m), &st.percent)?,
            None => ws.write_text(row, 3, "—", &st.na)?,
        };
        row += 1;
    }
    Ok(())
}
