//! Payroll (year to date, once a month of the year is closed): per person
//! the bonus due (the sum of the year's current monthly bonuses,
//! adjustments and proration included) against the bonus paid (the sum of
//! the paid payrolls of the closed months), and the difference still to
//! pay (+) or recover (−), as `paid-vs-due.csv` lists it.

use crate::report::text::{WriteText, to_f64};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::page_header;
use crate::report::history::YearExtra;
use crate::report::styles::{Styles, print_setup};
use crate::report::text::shown;
use crate::report::view::PeriodView;

pub fn sheet(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    year: &YearExtra,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = view.lang;
    let name = lang.t(("Payroll", "奖金发放"));
    ws.set_name(name)?;
    let rule = lang.t((
        "Due = the year's current monthly bonuses (adjustments and proration included); \
         Paid = the paid payrolls (bonus.csv) of the closed months; Difference = Due − Paid: \
         corrections of closed months and the months not yet closed.",
        "应发 = 本年各月当前奖金之和（含调整与折算）；已发 = 已结算月份的已发放工资单（bonus.csv）\
         之和；差额 = 应发 − 已发：已结算月份的更正及尚未结算的月份。",
    ));
    ws.write_text(0, 0, rule, &st.note)?;
    let closed = format!(
        "{}: {}",
        lang.t(("Closed", "已结算")),
        year.closed.join(", ")
    );
    ws.write_text(1, 0, closed, &st.note)?;
    let headers = [
        ("Staff ID", "工号"),
        ("Name", "姓名"),
        ("Department", "部门"),
        ("Due", "应发"),
        ("Paid", "已发"),
        ("Difference", "差额"),
        ("Months without a bonus", "无奖金月份"),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_text(3, c as u16, lang.t(*h), &st.header)?;
    }
    let money = |d: Decimal| to_f64(shown(d, 2));
    let (mut due, mut paid) = (Decimal::ZERO, Decimal::ZERO);
    let mut row = 4u32;
    for r in &year.rows {
        ws.write_text(row, 0, &r.staff_id, &st.text)?;
        ws.write_text(row, 1, &r.name, &st.text)?;
        ws.write_text(row, 2, &r.department, &st.text)?;
        ws.write_number_with_format(row, 3, money(r.due), &st.money)?;
        ws.write_number_with_format(row, 4, money(r.paid), &st.money)?;
        ws.write_number_with_format(row, 5, money(r.due - r.paid), &st.money)?;
        ws.write_text(row, 6, r.open_months.join(", "), &st.text)?;
        due += r.due;
        paid += r.paid;
        row += 1;
    }
    ws.write_text(row, 0, lang.t(("Total", "合计")), &st.total_label)?;
    ws.write_number_with_format(row, 3, money(due), &st.total_money)?;
    ws.write_number_with_format(row, 4, money(paid), &st.total_money)?;
    ws.write_number_with_format(row, 5, money(due - paid), &st.total_money)?;
    for (c, w) in [10, 16, 14, 14, 14, 14, 22].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(4, 0)?;
    print_setup(
        ws,
        true,
        Some((3, 3)),
        &page_header(view, name),
        &view.result.period.to_string(),
    )?;
    Ok(())
}
