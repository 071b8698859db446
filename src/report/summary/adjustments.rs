//! Adjustments: every adjustment applied in the period, as the engine
//! recorded it (item, value before and after, reason, approver, the row of
//! the adjustments table). Written only when there is one.

use crate::report::text::WriteText;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::page_header;
use crate::report::styles::{Styles, print_setup};
use crate::report::view::PeriodView;

/// Whether the period has an adjustment (the sheet is written then).
pub fn any(view: &PeriodView<'_>) -> bool {
    view.result
        .people
        .iter()
        .any(|r| r.card.as_ref().is_some_and(|c| !c.adjustments.is_empty()))
}

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let name = lang.t(("Adjustments", "调整"));
    ws.set_name(name)?;
    let headers = [
        ("Staff ID", "工号"),
        ("Name", "姓名"),
        ("Item", "调整项目"),
        ("From", "调整前"),
        ("To", "调整后"),
        ("Reason", "调整原因"),
        ("Approved By", "审批人"),
        ("File", "文件"),
        ("Sheet", "工作表"),
        ("Cell", "单元格"),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_text(0, c as u16, lang.t(*h), &st.header)?;
    }
    let mut row = 1u32;
    for r in &view.result.people {
        let Some(card) = &r.card else { continue };
        let p = &view.people[r.person];
        for a in &card.adjustments {
            let cells = [
                p.staff_id.as_str(),
                p.name.as_str(),
                a.item.as_str(),
                a.from.as_str(),
                a.to.as_str(),
                a.reason.as_str(),
                a.approved_by.as_str(),
                a.at.file.as_str(),
                a.at.sheet.as_deref().unwrap_or(""),
                a.at.cell.as_deref().unwrap_or(""),
            ];
            for (c, text) in cells.iter().enumerate() {
                ws.write_text(row, c as u16, *text, &st.text)?;
            }
            row += 1;
        }
    }
    for (c, w) in [10, 16, 16, 12, 12, 40, 14, 24, 14, 8].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    print_setup(
        ws,
        true,
        Some((0, 0)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}
