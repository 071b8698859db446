//! `compare-PERIOD.xlsx`: a [`Comparison`] laid out. Summary (the plans,
//! the grade-migration matrix, the bonus cost in total, per department and
//! per role), People (everyone side by side) and Movers (who gains and
//! loses most). Every figure comes from the comparison; nothing is
//! recomputed here.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::lang::Lang;
use crate::plan::Plan;
use crate::report::styles::Styles;
use crate::report::text::{WriteText, to_f64};
use crate::score::compare::{Comparison, Cost, PersonRow};

/// Roles shown by their label in the language (plan A's labels).
struct Names<'a> {
    plan: &'a Plan,
    lang: Lang,
}

impl Names<'_> {
    fn role<'s>(&'s self, name: &'s str) -> &'s str {
        self.plan
            .role_for_name(name)
            .map_or(name, |r| self.lang.label(&self.plan.roles[r].label))
    }
}

/// The first cell of every comparison workbook: how kpi-report knows a file
/// of this name is one it wrote (and may replace).
pub const MARK: &str = "kpi-report · compare";

fn money(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<Decimal>,
    f: &Format,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number_with_format(row, col, to_f64(v), f)?;
    }
    Ok(())
}

/// The workbook's bytes.
///
/// # Errors
/// An [`XlsxError`] from the writer.
pub fn compare_xlsx(plan: &Plan, c: &Comparison, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb: Workbook = crate::report::styles::workbook();
    let st = Styles::new(c.grades_a.len().max(c.grades_b.len()));
    let names = Names { plan, lang };
    summary(wb.add_worksheet(), c, &names, &st)?;
    people(wb.add_worksheet(), c, &names, &st)?;
    movers(wb.add_worksheet(), c, &names, &st)?;
    wb.save_to_buffer()
}

fn summary(
    ws: &mut Worksheet,
    c: &Comparison,
    names: &Names<'_>,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = names.lang;
    ws.set_name(lang.t(("Summary", "摘要")))?;
    ws.write_text(0, 0, MARK, &st.title)?;
    ws.write_text(1, 0, lang.t(("Period", "期间")), &st.label)?;
    ws.write_text(1, 1, &c.period, &st.value)?;
    ws.write_text(2, 0, lang.t(("Plan A", "方案 A")), &st.label)?;
    ws.write_text(2, 1, &c.plan_a, &st.value)?;
    ws.write_text(3, 0, lang.t(("Plan B", "方案 B")), &st.label)?;
    ws.write_text(3, 1, &c.plan_b, &st.value)?;
    ws.write_text(
        4,
        0,
        lang.t(("Scored under both", "两方案均已评分")),
        &st.label,
    )?;
    ws.write_number_with_format(4, 1, c.scored_both as f64, &st.integer)?;
    ws.write_text(5, 0, lang.t(("Grade changed", "等级变化人数")), &st.label)?;
    ws.write_number_with_format(5, 1, c.grade_changes as f64, &st.integer)?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 16)?;

    // Grade migration: A's grades down, B's across.
    let mut row = 7u32;
    ws.write_text(
        row,
        0,
        lang.t((
            "Grade migration (rows: plan A, columns: plan B)",
            "等级迁移（行：方案 A，列：方案 B）",
        )),
        &st.section,
    )?;
    row += 1;
    ws.write_text(row, 0, "A \\ B", &st.header)?;
    for (j, g) in c.grades_b.iter().enumerate() {
        ws.write_text(row, 1 + j as u16, g, &st.header)?;
    }
    for (i, g) in c.grades_a.iter().enumerate() {
        row += 1;
        ws.write_text(row, 0, g, &st.bold)?;
        for (j, n) in c.migration[i].iter().enumerate() {
            ws.write_number_with_format(row, 1 + j as u16, *n as f64, &st.integer)?;
        }
    }

    row += 2;
    ws.write_text(row, 0, lang.t(("Bonus cost", "奖金成本")), &st.section)?;
    row += 1;
    let heads = [
        lang.t(("Group", "范围")),
        lang.t(("Plan A", "方案 A")),
        lang.t(("Plan B", "方案 B")),
        lang.t(("Difference (B − A)", "差额（B − A）")),
    ];
    for (k, h) in heads.iter().enumerate() {
        ws.write_text(row, k as u16, *h, &st.header)?;
    }
    let cost = |ws: &mut Worksheet,
                row: &mut u32,
                label: &str,
                x: &Cost,
                bold: bool|
     -> Result<(), XlsxError> {
        *row += 1;
        let (t, m) = if bold {
            (&st.total_label, &st.total_money)
        } else {
            (&st.text, &st.money)
        };
        ws.write_text(*row, 0, label, t)?;
        money(ws, *row, 1, Some(x.a), m)?;
        money(ws, *row, 2, Some(x.b), m)?;
        money(ws, *row, 3, Some(x.change), m)
    };
    cost(ws, &mut row, lang.t(("Company", "公司")), &c.company, true)?;
    for x in &c.departments {
        let label = format!(
            "{}{}{}",
            lang.t(("Department", "部门")),
            lang.t((": ", "：")),
            x.group
        );
        cost(ws, &mut row, &label, x, false)?;
    }
    for x in &c.roles {
        let label = format!(
            "{}{}{}",
            lang.t(("Role", "岗位")),
            lang.t((": ", "：")),
            names.role(&x.group)
        );
        cost(ws, &mut row, &label, x, false)?;
    }
    Ok(())
}

const PEOPLE_HEADERS: [(&str, &str); 15] = [
    ("Staff ID", "工号"),
    ("Name", "姓名"),
    ("Department", "部门"),
    ("Role", "岗位"),
    ("Total A", "总分 A"),
    ("Grade A", "等级 A"),
    ("Rank A", "排名 A"),
    ("Bonus A", "奖金 A"),
    ("Total B", "总分 B"),
    ("Grade B", "等级 B"),
    ("Rank B", "排名 B"),
    ("Bonus B", "奖金 B"),
    ("Total change", "总分变化"),
    ("Grade change", "等级变化"),
    ("Bonus change", "奖金变化"),
];

fn person_row(
    ws: &mut Worksheet,
    row: u32,
    r: &PersonRow,
    names: &Names<'_>,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.write_text(row, 0, &r.staff_id, &st.text)?;
    ws.write_text(row, 1, &r.name, &st.text)?;
    ws.write_text(row, 2, &r.department, &st.text)?;
    ws.write_text(row, 3, names.role(&r.role), &st.text)?;
    for (col, s) in [(4u16, &r.a), (8, &r.b)] {
        if let Some(s) = s {
            ws.write_number_with_format(row, col, to_f64(s.total), &st.score)?;
            ws.write_text(row, col + 1, &s.grade, &st.text)?;
            ws.write_number_with_format(row, col + 2, f64::from(s.rank), &st.integer)?;
            money(ws, row, col + 3, s.bonus, &st.money)?;
        }
    }
    if let Some(d) = r.total_change {
        ws.write_number_with_format(row, 12, to_f64(d), &st.score)?;
    }
    if let (Some(a), Some(b)) = (&r.a, &r.b)
        && a.grade != b.grade
    {
        ws.write_text(row, 13, format!("{} → {}", a.grade, b.grade), &st.text)?;
    }
    money(ws, row, 14, r.bonus_change, &st.money)
}

fn people(
    ws: &mut Worksheet,
    c: &Comparison,
    names: &Names<'_>,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = names.lang;
    ws.set_name(lang.t(("People", "人员")))?;
    for (k, h) in PEOPLE_HEADERS.iter().enumerate() {
        ws.write_text(0, k as u16, lang.t(*h), &st.header)?;
    }
    for (i, r) in c.people.iter().enumerate() {
        person_row(ws, 1 + i as u32, r, names, st)?;
    }
    ws.set_freeze_panes(1, 2)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 20)?;
    Ok(())
}

fn movers(
    ws: &mut Worksheet,
    c: &Comparison,
    names: &Names<'_>,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = names.lang;
    ws.set_name(lang.t(("Movers", "变动最大")))?;
    let mut row = 0u32;
    for (title, list) in [
        (("Gain most under plan B", "方案 B 下增加最多"), &c.gainers),
        (("Lose most under plan B", "方案 B 下减少最多"), &c.losers),
    ] {
        ws.write_text(row, 0, lang.t(title), &st.section)?;
        row += 1;
        for (k, h) in PEOPLE_HEADERS.iter().enumerate() {
            ws.write_text(row, k as u16, lang.t(*h), &st.header)?;
        }
        for &i in list.iter() {
            row += 1;
            person_row(ws, row, &c.people[i], names, st)?;
        }
        row += 2;
    }
    ws.set_column_width(1, 18)?;
    Ok(())
}
