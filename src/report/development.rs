//! The development list as the reports show it: the Development sheet of
//! `summary.xlsx` (and of a review workbook, for its people), and
//! `development.csv`. Rows and their texts come from the list the scoring
//! stage recorded ([`crate::score::development`]); nothing is recomputed.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::ReportError;
use super::styles::{Styles, print_setup};
use super::text::{WriteText, csv_safe, two};
use super::view::PeriodView;
use crate::lang::{Lang, tr};
use crate::score::development::{DevelopmentEntry, Trigger};

/// The sheet's name.
pub const SHEET: (&str, &str) = ("Development", "培养计划");

const HEADERS: [(&str, &str); 8] = [
    ("Staff ID", "工号"),
    ("Name", "姓名"),
    ("Department", "部门"),
    ("Manager", "直属上级"),
    ("Grade", "等级"),
    ("Why", "原因"),
    ("History", "历史"),
    ("KPIs to work on", "待改进指标"),
];

/// One row of the list as text, in `lang`.
fn row(view: &PeriodView<'_>, e: &DevelopmentEntry, lang: Lang) -> [String; 8] {
    let plan = view.plan;
    let p = &view.people[e.person];
    let grade = |g: usize| plan.grades[g].grade.clone();
    let grades = |list: &[usize]| {
        let names: Vec<String> = list.iter().map(|&g| grade(g)).collect();
        names.join(lang.t((" or ", "或")))
    };
    let rules = &plan.development;
    let mut why = Vec::new();
    let mut history = Vec::new();
    for t in &e.triggers {
        match t {
            Trigger::GradeNow { grade: g } => {
                let g = grade(*g);
                why.push(tr!(lang, "grade {g} this month", "本月等级为 {g}"));
            }
            Trigger::Repeated { count, window } => {
                let n = window.len();
                let g = grades(&rules.repeated_grades);
                why.push(tr!(
                    lang,
                    "{g} in {count} of the last {n} months",
                    "近 {n} 个月中有 {count} 个月为 {g}"
                ));
                let months: Vec<String> = window
                    .iter()
                    .map(|(p, g)| format!("{p} {}", g.map_or("—".to_owned(), grade)))
                    .collect();
                history.push(months.join(", "));
            }
            Trigger::KpiLow { kpi, months } => {
                let label = lang.label(&plan.kpis[*kpi].label);
                let n = months.len();
                let below = rules.kpi_below;
                why.push(tr!(
                    lang,
                    "{label} below {below} for {n} months running",
                    "{label}连续 {n} 个月低于 {below} 分"
                ));
                let scores: Vec<String> = months
                    .iter()
                    .map(|(p, s)| format!("{p} {}", two(*s)))
                    .collect();
                history.push(format!("{label}: {}", scores.join(", ")));
            }
        }
    }
    let kpis: Vec<&str> = e
        .kpis
        .iter()
        .map(|&k| lang.label(&plan.kpis[k].label))
        .collect();
    let manager = match e.manager {
        Some(m) => format!("{} {}", view.people[m].staff_id, view.people[m].name),
        None => p.manager_id.clone(),
    };
    [
        p.staff_id.clone(),
        p.name.clone(),
        p.department.clone(),
        manager,
        grade(e.grade),
        why.join("; "),
        history.join("; "),
        kpis.join(", "),
    ]
}

/// The Development sheet for `entries` (the period's list, or a team's
/// part of it).
///
/// # Errors
/// An [`XlsxError`] from the writer.
pub fn sheet(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    entries: &[&DevelopmentEntry],
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = view.lang;
    ws.set_name(name)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_text(0, c as u16, lang.t(*h), &st.header)?;
    }
    let widths = [10.0, 16.0, 14.0, 20.0, 7.0, 40.0, 48.0, 30.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    if entries.is_empty() {
        ws.write_text(
            1,
            0,
            lang.t((
                "Nobody meets a development rule this month.",
                "本月没有人符合培养计划的条件。",
            )),
            &st.text,
        )?;
    }
    for (i, e) in entries.iter().enumerate() {
        for (c, text) in row(view, e, lang).iter().enumerate() {
            ws.write_text(i as u32 + 1, c as u16, text, &st.text)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    print_setup(
        ws,
        true,
        Some((0, 0)),
        &format!("{} · {name}", view.plan.name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}

/// `development.csv`: the month's list, one row per person, by staff ID.
///
/// # Errors
/// Only if the CSV writer fails.
pub fn csv(view: &PeriodView<'_>) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let err = |e: csv::Error| ReportError::Format {
        file: "development.csv".into(),
        reason: e.to_string(),
    };
    w.write_record([
        "staff_id",
        "name",
        "department",
        "manager",
        "grade",
        "why",
        "history",
        "kpis_to_work_on",
    ])
    .map_err(err)?;
    for e in &view.result.development {
        let cells = row(view, e, view.lang);
        w.write_record(cells.iter().map(|c| csv_safe(c).into_owned()))
            .map_err(err)?;
    }
    w.into_inner().map_err(|e| ReportError::Format {
        file: "development.csv".into(),
        reason: e.to_string(),
    })
}
