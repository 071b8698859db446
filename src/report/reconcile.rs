//! `reconcile-PERIOD.xlsx`: a [`Reconciliation`] laid out, its summary
//! sentence at the top, then one row per person with ours, theirs, the
//! differences and the class. Nothing is recomputed here.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::lang::Lang;
use crate::lang::tr;
use crate::plan::Plan;
use crate::report::styles::Styles;
use crate::report::text::{WriteText, to_f64, two};
use crate::score::reconcile::{Class, Figure, Missing, ReconRow, Reconciliation};

/// The first cell of every reconciliation workbook (how kpi-report knows a
/// file of this name is one it wrote).
pub const MARK: &str = "kpi-report · reconcile";

/// At most this many people are named per class in the summary sentence.
const NAMED: usize = 3;

fn figure(f: Figure, lang: Lang) -> &'static str {
    match f {
        Figure::Total => lang.t(("total", "总分")),
        Figure::Grade => lang.t(("grade", "等级")),
        Figure::Bonus => lang.t(("bonus", "奖金")),
    }
}

fn figures(list: &[Figure], lang: Lang) -> String {
    list.iter()
        .map(|f| figure(*f, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the class says about a person, in a few words.
pub fn detail(plan: &Plan, row: &ReconRow, lang: Lang) -> String {
    match &row.class {
        Class::Agree => lang.t(("agrees to the cent", "完全一致")).to_owned(),
        Class::Rounding { figures: f } => tr!(
            lang,
            "rounding only ({})",
            "仅舍入差异（{}）",
            figures(f, lang)
        ),
        Class::Input {
            column,
            ours,
            theirs,
            at,
            their_cell,
            more,
        } => {
            let name = &plan.columns[*column].display;
            let ours = ours.map_or_else(
                || lang.t(("blank", "空白")).to_owned(),
                |v| v.normalize().to_string(),
            );
            let at = at.as_ref().map(ToString::to_string).unwrap_or_default();
            let more = if *more > 0 {
                tr!(lang, " (and {} more)", "（另有 {} 项）", more)
            } else {
                String::new()
            };
            tr!(
                lang,
                "different input: {} {name}, {at} = {ours}; old sheet {their_cell} = {}{more}",
                "输入不同：{} {name}，{at} = {ours}；旧表 {their_cell} = {}{more}",
                row.staff_id,
                theirs.normalize()
            )
        }
        Class::Rule { figures: f, kpi } => match kpi {
            Some((k, points)) => tr!(
                lang,
                "different rule ({}): {} differs most, by {} points",
                "规则不同（{}）：{}差异最大，相差 {} 分",
                figures(f, lang),
                lang.label(&plan.kpis[*k].label),
                two(*points)
            ),
            None => tr!(
                lang,
                "different rule ({}); the old sheet has no KPI scores to tell which KPI",
                "规则不同（{}）；旧表没有各 KPI 得分，无法指出是哪一项",
                figures(f, lang)
            ),
        },
        Class::Missing(m) => lang
            .t(match m {
                Missing::NotInInput => (
                    "missing: on the old sheet only, not in our input",
                    "缺失：仅在旧表中，输入中没有此人",
                ),
                Missing::NotScored => (
                    "missing: in our input but not scored (see the data issues)",
                    "缺失：输入中有此人但未评分（见数据问题）",
                ),
                Missing::NotInOld => (
                    "missing: scored by us, not on the old sheet",
                    "缺失：已评分，但旧表中没有此人",
                ),
            })
            .to_owned(),
    }
}

/// The summary sentence: "38 of 40 agree to the cent; 1 rounding; 1
/// different input: S017 Sales, results.xlsx › Results › C18".
pub fn summary_line(plan: &Plan, r: &Reconciliation, lang: Lang) -> String {
    let mut parts = vec![tr!(
        lang,
        "{} of {} agree to the cent",
        "{1} 人中 {0} 人完全一致",
        r.counts[0],
        r.rows.len()
    )];
    let names = |bucket: usize, what: &dyn Fn(&ReconRow) -> String| -> String {
        let list: Vec<String> = r
            .rows
            .iter()
            .filter(|x| x.class.bucket() == bucket)
            .take(NAMED)
            .map(what)
            .collect();
        let more = if r.counts[bucket] > NAMED {
            ", …"
        } else {
            ""
        };
        format!("{}{more}", list.join(", "))
    };
    if r.counts[1] > 0 {
        parts.push(tr!(lang, "{} rounding", "{} 人舍入差异", r.counts[1]));
    }
    if r.counts[2] > 0 {
        let list = names(2, &|x: &ReconRow| match &x.class {
            Class::Input { column, at, .. } => format!(
                "{} {}{}",
                x.staff_id,
                plan.columns[*column].display,
                at.as_ref()
                    .map(|a| format!("{}{a}", lang.t((", ", "，"))))
                    .unwrap_or_default()
            ),
            _ => x.staff_id.clone(),
        });
        parts.push(tr!(
            lang,
            "{} different input: {}",
            "{} 人输入不同：{}",
            r.counts[2],
            list
        ));
    }
    if r.counts[3] > 0 {
        let list = names(3, &|x: &ReconRow| match &x.class {
            Class::Rule {
                kpi: Some((k, _)), ..
            } => {
                format!("{} {}", x.staff_id, lang.label(&plan.kpis[*k].label))
            }
            _ => x.staff_id.clone(),
        });
        parts.push(tr!(
            lang,
            "{} different rule: {}",
            "{} 人规则不同：{}",
            r.counts[3],
            list
        ));
    }
    if r.counts[4] > 0 {
        let list = names(4, &|x: &ReconRow| x.staff_id.clone());
        parts.push(tr!(
            lang,
            "{} missing on one side: {}",
            "{} 人仅在一方：{}",
            r.counts[4],
            list
        ));
    }
    parts.join(if lang == Lang::Zh { "；" } else { "; " })
}

const HEADERS: [(&str, &str); 11] = [
    ("Staff ID", "工号"),
    ("Name", "姓名"),
    ("Total (ours)", "总分（本工具）"),
    ("Total (old)", "总分（旧表）"),
    ("Total difference", "总分差"),
    ("Grade (ours)", "等级（本工具）"),
    ("Grade (old)", "等级（旧表）"),
    ("Bonus (ours)", "奖金（本工具）"),
    ("Bonus (old)", "奖金（旧表）"),
    ("Bonus difference", "奖金差"),
    ("Classification", "分类"),
];

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

/// The workbook's bytes.
///
/// # Errors
/// An [`XlsxError`] from the writer.
pub fn reconcile_xlsx(plan: &Plan, r: &Reconciliation, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::report::styles::workbook();
    let st = Styles::new(plan.grades.len());
    let ws = wb.add_worksheet();
    ws.set_name(lang.t(("Reconciliation", "核对")))?;
    ws.write_text(0, 0, MARK, &st.title)?;
    ws.write_text(1, 0, summary_line(plan, r, lang), &st.bold)?;
    ws.write_text(
        2,
        0,
        tr!(
            lang,
            "{}: ours against {} › {}",
            "{}：本工具结果对照 {} › {}",
            r.period,
            r.file,
            r.sheet
        ),
        &st.note,
    )?;
    ws.write_text(
        3,
        0,
        lang.t((
            "Rounding only: within 0.01 of ours and of our unrounded value. Different input: an input the old sheet shows differs from our cell. Different rule: anything else.",
            "仅舍入差异：与本工具结果及未舍入值相差均不超过 0.01。输入不同：旧表中的输入值与本工具读取的单元格不同。规则不同：其他差异。",
        )),
        &st.note,
    )?;
    let top = 5u32;
    for (k, h) in HEADERS.iter().enumerate() {
        ws.write_text(top, k as u16, lang.t(*h), &st.header)?;
    }
    for (i, x) in r.rows.iter().enumerate() {
        let row = top + 1 + i as u32;
        ws.write_text(row, 0, &x.staff_id, &st.text)?;
        ws.write_text(row, 1, &x.name, &st.text)?;
        if let Some((t, g, b)) = &x.ours {
            num(ws, row, 2, Some(*t), &st.score)?;
            ws.write_text(row, 5, g, &st.text)?;
            num(ws, row, 7, *b, &st.money)?;
        }
        if let Some((t, g, b)) = &x.theirs {
            num(ws, row, 3, *t, &st.number)?;
            if let Some(g) = g {
                ws.write_text(row, 6, g, &st.text)?;
            }
            num(ws, row, 8, *b, &st.number)?;
        }
        num(ws, row, 4, x.total_diff, &st.number)?;
        num(ws, row, 9, x.bonus_diff, &st.number)?;
        ws.write_text(row, 10, detail(plan, x, lang), &st.text)?;
    }
    ws.set_column_width(1, 18)?;
    ws.set_column_width(10, 60)?;
    ws.set_freeze_panes(top + 1, 2)?;
    wb.save_to_buffer()
}
