//! The targets workbook of one month (`targets-YYYY-MM.xlsx`): a `Targets`
//! sheet in exactly the table shape `run` reads (Staff ID, Name, Period and
//! the plan's target columns), and an `Allocation` sheet showing how each
//! number was reached, as the allocation recorded it.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::ReportError;
use super::text::to_f64;
use crate::input::Person;
use crate::lang::Lang;
use crate::plan::{Column, Plan};
use crate::score::allocate::{Basis, MonthTargets};

/// The file name of a month's targets.
pub fn file_name(m: &MonthTargets) -> String {
    format!("targets-{}.xlsx", m.period)
}

/// The header a column is written with: its first alias in the language
/// (Chinese: the first alias with a Chinese character), else its id.
fn header(c: &Column, lang: Lang) -> String {
    match lang {
        Lang::Zh => c.display_zh.clone(),
        Lang::En => c.display.clone(),
    }
}

/// The workbook's bytes.
///
/// # Errors
/// [`ReportError::Format`] when the writer refuses the content.
pub fn targets_workbook(
    plan: &Plan,
    people: &[Person],
    m: &MonthTargets,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    build(plan, people, m, lang).map_err(|e| ReportError::Format {
        file: file_name(m),
        reason: e.to_string(),
    })
}

fn build(
    plan: &Plan,
    people: &[Person],
    m: &MonthTargets,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb: Workbook = super::styles::workbook();
    let bold = Format::new().set_bold();
    let whole = Format::new().set_num_format("#,##0.######");
    let t = |en: &'static str, zh: &'static str| lang.t((en, zh));
    let key = plan.key;
    {
        let ws = wb.add_worksheet();
        ws.set_name(t("Targets", "目标"))?;
        let mut heads = vec![
            header(&plan.columns[key.staff_id], lang),
            header(&plan.columns[key.name], lang),
            header(&plan.columns[key.period], lang),
        ];
        heads.extend(m.columns.iter().map(|&c| header(&plan.columns[c], lang)));
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
            ws.set_column_width(c as u16, 18)?;
        }
        let period = m.period.to_string();
        for (i, p) in people.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, &p.staff_id)?;
            ws.write_string(r, 1, &p.name)?;
            ws.write_string(r, 2, &period)?;
            for (k, v) in m.values[i].iter().enumerate() {
                ws.write_number_with_format(r, 3 + k as u16, to_f64(*v), &whole)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(t("Allocation", "分解过程"))?;
        let heads = [
            t("Target", "指标"),
            t("Goal scope", "目标范围"),
            t("Goal period", "目标期间"),
            t("Goal", "目标值"),
            t("This month", "本月份额"),
            t("Department", "部门"),
            t("Department's part", "部门份额"),
            t("Person", "人员"),
            t("Name", "姓名"),
            t("Basis", "依据"),
            t("Days employed", "在职天数"),
            t("Weight", "权重"),
            t("Exact quota", "精确份额"),
            t("Leftover unit", "余数补足"),
            t("Target value", "分解结果"),
        ];
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, 16)?;
        }
        for (r, l) in m.lines.iter().enumerate() {
            let r = r as u32 + 1;
            let p = &people[l.person];
            ws.write_string(r, 0, header(&plan.columns[l.target], lang))?;
            ws.write_string(r, 1, &l.goal_scope)?;
            ws.write_string(r, 2, l.goal_period.to_string())?;
            ws.write_number_with_format(r, 3, to_f64(l.goal_value), &whole)?;
            ws.write_number_with_format(r, 4, to_f64(l.month_amount), &whole)?;
            ws.write_string(r, 5, &l.department)?;
            ws.write_number_with_format(r, 6, to_f64(l.department_amount), &whole)?;
            ws.write_string(r, 7, &p.staff_id)?;
            ws.write_string(r, 8, &p.name)?;
            let basis = match &l.basis {
                Basis::Fixed => t("fixed individual target", "个人固定目标").to_owned(),
                Basis::Equal => t("equal", "平均").to_owned(),
                Basis::Role(w) => format!("{} {w}", t("role weight", "岗位权重")),
                Basis::History(v) => format!("{} {v}", t("previous year's actual", "上年实际")),
                Basis::NoHistory(v) => format!("{} {v}", t("no history: average", "无历史：平均")),
            };
            ws.write_string(r, 9, basis)?;
            ws.write_string(r, 10, format!("{}/{}", l.days.0, l.days.1))?;
            ws.write_number_with_format(r, 11, to_f64(l.weight), &whole)?;
            ws.write_string(r, 12, l.quota.to_string())?;
            ws.write_string(r, 13, if l.extra { "+1" } else { "" })?;
            ws.write_number_with_format(r, 14, to_f64(l.value), &whole)?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save_to_buffer()
}
