//! Data Issues: every issue of the period with its severity, code, file,
//! sheet, cell, the value found and the message saying how to fix it.

use crate::report::text::WriteText;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::page_header;
use crate::report::lang::{self as l};
use crate::report::styles::{Styles, print_setup};
use crate::report::view::PeriodView;

pub fn sheet(ws: &mut Worksheet, view: &PeriodView<'_>, st: &Styles) -> Result<(), XlsxError> {
    let lang = view.lang;
    let name = lang.t(l::DATA_ISSUES);
    ws.set_name(name)?;
    let headers = [
        l::SEVERITY,
        l::CODE,
        l::FILE,
        l::SHEET,
        l::CELL,
        l::VALUE,
        l::MESSAGE,
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_text(0, c as u16, lang.t(*h), &st.header)?;
    }
    for (i, d) in view.issues.iter().enumerate() {
        let row = i as u32 + 1;
        let cells = [
            d.severity.as_str(),
            d.code.as_str(),
            d.location.file.as_str(),
            d.location.sheet.as_deref().unwrap_or(""),
            d.location.cell.as_deref().unwrap_or(""),
            d.value.as_deref().unwrap_or(""),
            d.message_in(lang),
        ];
        for (c, text) in cells.iter().enumerate() {
            // Values and messages quote the inputs: always text.
            ws.write_text(row, c as u16, *text, &st.text)?;
        }
    }
    if view.issues.is_empty() {
        ws.write_text(1, 0, lang.t(l::NO_ISSUES), &st.subtitle)?;
    }
    for (c, w) in [10, 16, 28, 16, 8, 16, 90].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !view.issues.is_empty() {
        ws.autofilter(0, 0, view.issues.len() as u32, headers.len() as u16 - 1)?;
    }
    print_setup(
        ws,
        true,
        Some((0, 0)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}
