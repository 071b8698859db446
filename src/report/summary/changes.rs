//! Changes: what changed in the month since the report set that was in the
//! output folder before this run (per person and per input cell), as
//! `changes.csv` lists it. Written only when something changed.

use crate::report::text::WriteText;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::page_header;
use crate::report::changes::PeriodChanges;
use crate::report::styles::{Styles, print_setup};
use crate::report::view::PeriodView;

pub fn sheet(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    changes: &PeriodChanges,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = view.lang;
    let name = lang.t(("Changes", "变更"));
    ws.set_name(name)?;
    let n = changes.people();
    let title = match lang {
        crate::lang::Lang::En => format!(
            "{n} people changed since the previous reports of {}{}",
            view.result.period,
            if changes.cells_compared {
                ""
            } else {
                " (input cells not compared: the previous reports listed none)"
            }
        ),
        crate::lang::Lang::Zh => format!(
            "与上次报告相比 {} 有 {n} 人变化{}",
            view.result.period,
            if changes.cells_compared {
                ""
            } else {
                "（上次报告未记录输入单元格，未比较）"
            }
        ),
    };
    ws.write_text(0, 0, title, &st.bold)?;
    let headers = [
        ("Staff ID", "工号"),
        ("Name", "姓名"),
        ("Change", "变更项"),
        ("Cell", "单元格"),
        ("Old", "原值"),
        ("New", "新值"),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_text(2, c as u16, lang.t(*h), &st.header)?;
    }
    for (i, ch) in changes.changes.iter().enumerate() {
        let row = 3 + i as u32;
        for (c, text) in [
            ch.staff_id.as_str(),
            ch.name.as_str(),
            ch.what.as_str(),
            ch.place.as_str(),
            ch.old.as_str(),
            ch.new.as_str(),
        ]
        .iter()
        .enumerate()
        {
            ws.write_text(row, c as u16, *text, &st.text)?;
        }
    }
    for (c, w) in [10, 16, 22, 36, 24, 24].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(3, 0)?;
    print_setup(
        ws,
        true,
        Some((2, 2)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}
