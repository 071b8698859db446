//! `summary.xlsx`: the HR and finance workbook of a period.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::csv::report_order;
use super::lang::{self as l, Lang};
use super::text::{shown, to_f64};
use crate::diagnostics::Diagnostic;
use crate::input::Person;
use crate::plan::Plan;
use crate::score::PeriodResult;

/// Everything a summary shows.
pub struct SummaryInput<'a> {
    pub plan: &'a Plan,
    pub people: &'a [Person],
    pub result: &'a PeriodResult,
    /// The issues that concern this period.
    pub issues: &'a [&'a Diagnostic],
    pub lang: Lang,
}

/// Builds the summary workbook in memory.
///
/// # Errors
/// An [`XlsxError`] from the writer (e.g. a value it cannot store).
pub fn summary_xlsx(input: &SummaryInput<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let (y, m, d) = input.result.period.end_date();
    let title = format!("{} — {}", input.plan.name, input.result.period);
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_subject("Performance review summary")
            .set_company(input.plan.company.as_str())
            .set_creation_datetime(&ExcelDateTime::from_ymd(y, m, d)?),
    );
    let styles = Styles::new();
    ranking_sheet(wb.add_worksheet(), input, &styles)?;
    issues_sheet(wb.add_worksheet(), input, &styles)?;
    wb.save_to_buffer()
}

struct Styles {
    header: Format,
    score: Format,
    money: Format,
    text: Format,
    grey: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color("1F4E79")
                .set_font_color("FFFFFF")
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            score: Format::new().set_num_format("0.00"),
            money: Format::new().set_num_format("#,##0.00"),
            text: Format::new(),
            grey: Format::new().set_font_color("808080"),
        }
    }
}

/// Display width of text: CJK characters take two columns.
pub fn text_width(text: &str) -> usize {
    text.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn ranking_sheet(
    ws: &mut Worksheet,
    input: &SummaryInput<'_>,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = input.lang;
    let plan = input.plan;
    ws.set_name(lang.t(l::RANKING))?;
    let mut headers: Vec<String> = [
        l::RANK,
        l::STAFF_ID,
        l::NAME,
        l::DEPARTMENT,
        l::ROLE,
        l::MANAGER_ID,
        l::STATUS,
    ]
    .iter()
    .map(|h| lang.t(*h).to_owned())
    .collect();
    headers.extend(plan.kpis.iter().map(|k| lang.label(&k.label).to_owned()));
    headers.extend(
        [
            l::TOTAL,
            l::GRADE,
            l::RANK_DEPARTMENT,
            l::RANK_ROLE,
            l::BONUS,
        ]
        .iter()
        .map(|h| lang.t(*h).to_owned()),
    );
    let mut widths: Vec<usize> = headers.iter().map(|h| text_width(h).clamp(8, 24)).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &st.header)?;
    }
    let k0 = 7u16;
    let after = k0 + plan.kpis.len() as u16;
    let mut row = 1u32;
    for r in report_order(input.people, input.result) {
        let p = &input.people[r.person];
        let text_fmt = if r.card.is_some() { &st.text } else { &st.grey };
        let role = match p.role {
            Some(ix) => lang.label(&plan.roles[ix].label),
            None => p.role_name.as_str(),
        };
        let status = lang.t(if r.card.is_some() {
            l::OK
        } else {
            l::INCOMPLETE
        });
        for (c, text) in [
            (1u16, p.staff_id.as_str()),
            (2, &p.name),
            (3, &p.department),
            (4, role),
            (5, &p.manager_id),
            (6, status),
        ] {
            // Text from the inputs is written as text, never as a formula.
            ws.write_string_with_format(row, c, fit(text).as_ref(), text_fmt)?;
            let w = &mut widths[c as usize];
            *w = (*w).max(text_width(text).min(40));
        }
        if let Some(card) = &r.card {
            ws.write_number(row, 0, f64::from(card.ranks.company.0))?;
            for (i, k) in card.kpis.iter().enumerate() {
                let col = k0 + i as u16;
                match k.score {
                    Some(s) => {
                        ws.write_number_with_format(row, col, to_f64(shown(s, 2)), &st.score)?
                    }
                    None => {
                        ws.write_string_with_format(row, col, lang.t(l::NOT_APPLICABLE), &st.grey)?
                    }
                };
            }
            ws.write_number_with_format(row, after, to_f64(card.total), &st.score)?;
            ws.write_string(row, after + 1, &plan.grades[card.grade].grade)?;
            ws.write_number(row, after + 2, f64::from(card.ranks.department.0))?;
            ws.write_number(row, after + 3, f64::from(card.ranks.role.0))?;
            if let Some(b) = card.bonus {
                ws.write_number_with_format(row, after + 4, to_f64(b), &st.money)?;
            }
        }
        row += 1;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2) as f64)?;
    }
    ws.set_row_height(0, 30)?;
    ws.set_freeze_panes(1, 3)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), after + 4)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_header(format!("&L{}&R{}", input.plan.name, input.result.period));
    ws.set_footer("&C&P / &N");
    Ok(())
}

fn issues_sheet(
    ws: &mut Worksheet,
    input: &SummaryInput<'_>,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = input.lang;
    ws.set_name(lang.t(l::DATA_ISSUES))?;
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
        ws.write_string_with_format(0, c as u16, lang.t(*h), &st.header)?;
    }
    for (i, d) in input.issues.iter().enumerate() {
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
            ws.write_string(row, c as u16, fit(text).as_ref())?;
        }
    }
    if input.issues.is_empty() {
        ws.write_string(1, 0, lang.t(l::NO_ISSUES))?;
    }
    for (c, w) in [10, 16, 28, 16, 8, 16, 90].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !input.issues.is_empty() {
        ws.autofilter(0, 0, input.issues.len() as u32, 6)?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C&P / &N");
    Ok(())
}

/// Text as one cell holds it: at most 32,767 characters (Excel's limit,
/// which the writer enforces); longer text, which the input stage already
/// reported, ends in "…" at the limit instead of failing the report.
fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = crate::input::table::MAX_TEXT;
    match text.char_indices().nth(MAX) {
        None => std::borrow::Cow::Borrowed(text),
        Some(_) => {
            let cut = text.char_indices().nth(MAX - 1).map_or(0, |(i, _)| i);
            std::borrow::Cow::Owned(format!("{}…", &text[..cut]))
        }
    }
}

#[cfg(test)]
mod fit_tests {
    use super::fit;

    #[test]
    fn text_over_a_cell_ends_in_an_ellipsis_at_the_limit() {
        assert_eq!(fit("Anna"), "Anna");
        let at = "é".repeat(32_767);
        assert_eq!(fit(&at), at);
        let over = fit(&"é".repeat(32_768)).into_owned();
        assert_eq!(over.chars().count(), 32_767);
        assert!(over.ends_with("é…"));
    }
}
