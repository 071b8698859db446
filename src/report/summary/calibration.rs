//! Calibration: per manager and per department, the grade distribution
//! against the company's (and the plan's forced distribution), the mean
//! and spread of each KPI score, and the leniency flag, whose rule the
//! sheet states. Every figure is the [`Calibration`]'s.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::page_header;
use crate::lang::tr;
use crate::report::styles::{Styles, print_setup};
use crate::report::text::{WriteText, to_f64};
use crate::report::view::PeriodView;
use crate::score::calibration::{
    Calibration, FLAG_POINTS, Flag, GroupFigures, MIN_TEAM, calibrate,
};

/// The sheet's name.
pub const NAME: (&str, &str) = ("Calibration", "校准");

/// The header row.
const TOP: u32 = 4;

fn num(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<Decimal>,
    f: &rust_xlsxwriter::Format,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number_with_format(row, col, to_f64(v), f)?;
    }
    Ok(())
}

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let cal: Calibration = calibrate(plan, view.people, view.result);
    ws.set_name(lang.t(NAME))?;
    ws.write_text(0, 0, lang.t(NAME), &st.title)?;
    let targeted: Vec<&str> = plan
        .kpis
        .iter()
        .filter(|k| k.target.is_some() || k.target_value.is_some())
        .map(|k| lang.label(&k.label))
        .collect();
    ws.write_text(
        1,
        0,
        tr!(
            lang,
            "Flag: a person's results score is the weighted mean of their scores on the KPIs measured against a target ({}); their lift is total − results score. A team (a manager's direct reports, or a department) of {} or more scored people whose mean lift is more than {} points above the company's is flagged High (graded high for its results), more than {} below Low.",
            "标记规则：个人的业绩得分是其对照目标考核的 KPI（{}）得分的加权平均；提升值 = 总分 − 业绩得分。一个团队（某上级的直接下属，或一个部门）有 {} 名及以上已评分人员，且平均提升值比公司平均高出 {} 分以上标记为“偏高”（相对业绩评得偏高），低出 {} 分以上标记为“偏低”。",
            targeted.join(", "),
            MIN_TEAM,
            FLAG_POINTS,
            FLAG_POINTS
        ),
        &st.note,
    )?;
    ws.write_text(
        2,
        0,
        lang.t((
            "Grade columns: share of the team's scored people; compare with the Company row and, under a forced distribution, the Plan row. KPI columns: mean and spread (standard deviation) of the KPI score.",
            "等级列：团队已评分人员中各等级占比；请与“公司”行对照，强制分布时与“方案”行对照。KPI 列：该 KPI 得分的平均值与离散度（标准差）。",
        )),
        &st.note,
    )?;
    let mut headers: Vec<String> = [
        ("Scope", "范围"),
        ("Manager ID / department", "上级工号/部门"),
        ("Name", "姓名"),
        ("Scored", "已评分"),
    ]
    .iter()
    .map(|h| lang.t(*h).to_owned())
    .collect();
    headers.extend(plan.grades.iter().map(|g| g.grade.clone()));
    for h in [
        ("Mean total", "平均总分"),
        ("Mean results score", "平均业绩得分"),
        ("Lift vs company", "提升值差（对公司）"),
        ("Flag", "标记"),
    ] {
        headers.push(lang.t(h).to_owned());
    }
    for k in &plan.kpis {
        let label = lang.label(&k.label);
        headers.push(tr!(lang, "{} mean", "{}平均", label));
        headers.push(tr!(lang, "{} spread", "{}离散度", label));
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_text(TOP, c as u16, h, &st.header)?;
    }
    let grades = plan.grades.len() as u16;
    let after = 4 + grades;
    let mut row = TOP;
    let line = |ws: &mut Worksheet,
                row: u32,
                (scope, key, name): (&str, &str, &str),
                f: &GroupFigures|
     -> Result<(), XlsxError> {
        ws.write_text(row, 0, scope, &st.text)?;
        ws.write_text(row, 1, key, &st.text)?;
        ws.write_text(row, 2, name, &st.text)?;
        ws.write_number_with_format(row, 3, f.scored as f64, &st.integer)?;
        for (g, share) in f.grade_shares.iter().enumerate() {
            ws.write_number_with_format(row, 4 + g as u16, to_f64(*share), &st.percent)?;
        }
        num(ws, row, after, f.mean_total, &st.score)?;
        num(ws, row, after + 1, f.mean_results, &st.score)?;
        num(ws, row, after + 2, f.lift_vs_company, &st.score)?;
        if let Some(flag) = f.flag {
            let text = match flag {
                Flag::High => lang.t(("High", "偏高")),
                Flag::Low => lang.t(("Low", "偏低")),
            };
            ws.write_text(row, after + 3, text, &st.bold)?;
        }
        for (k, (m, s)) in f.kpis.iter().enumerate() {
            let col = after + 4 + 2 * k as u16;
            num(ws, row, col, *m, &st.score)?;
            num(ws, row, col + 1, *s, &st.score)?;
        }
        Ok(())
    };
    row += 1;
    line(ws, row, (lang.t(("Company", "公司")), "", ""), &cal.company)?;
    if let Some(forced) = &cal.forced {
        row += 1;
        ws.write_text(
            row,
            0,
            lang.t(("Plan (forced distribution)", "方案（强制分布）")),
            &st.text,
        )?;
        for (g, share) in forced.iter().enumerate() {
            ws.write_number_with_format(row, 4 + g as u16, to_f64(*share), &st.percent)?;
        }
    }
    let manager = lang.t(("Manager", "上级"));
    for g in &cal.managers {
        row += 1;
        line(ws, row, (manager, &g.key, &g.name), &g.figures)?;
    }
    let department = lang.t(("Department", "部门"));
    for g in &cal.departments {
        row += 1;
        line(ws, row, (department, &g.key, ""), &g.figures)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 18)?;
    ws.set_freeze_panes(TOP + 1, 3)?;
    print_setup(
        ws,
        true,
        Some((TOP, TOP)),
        &page_header(view, lang.t(NAME)),
        &view.result.period.to_string(),
    )?;
    Ok(())
}
