//! The Team sheet of a review workbook: the team ranked (each name links to
//! the person's review sheet), the grade mix against the company's, team
//! against company averages per KPI, and a chart of the team's totals.

use crate::report::text::WriteText;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartSolidFill, ChartType, Format, Url, Worksheet,
    XlsxError,
};

use super::ReviewBook;
use crate::report::lang::{self as l};
use crate::report::styles::{INK, Styles, print_setup, text_width, wrapped_height};
use crate::report::text::{shown, to_f64};
use crate::report::view::{PeriodView, mean};

/// The widest the id and role columns grow, in characters; longer text
/// wraps and its row grows.
const MAX_TEXT_WIDTH: usize = 36;
/// The widest the name column grows. A name is a link, and LibreOffice
/// does not wrap links when printing, so the column takes the longest name
/// (the page is scaled to fit); a name past this is shortened with "…" here
/// and shown in full on the person's sheet the link leads to.
const MAX_NAME_WIDTH: usize = 80;

/// `text` cut to `width` display columns, ending in "…" when cut.
fn shortened(text: &str, width: usize) -> String {
    if text_width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&out) + text_width(&c.to_string()) > width.saturating_sub(1) {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

pub fn sheet(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    book: &ReviewBook,
    name: &str,
    sheet_names: &[String],
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    ws.set_name(name)?;
    ws.set_screen_gridlines(false);
    let link = Format::new()
        .set_font_color("0563C1")
        .set_underline(rust_xlsxwriter::FormatUnderline::Single)
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_border_color("BFBFBF");
    // Names and roles past the column width wrap; their rows grow (below).
    let wrapped = [
        st.text.clone().set_text_wrap(),
        st.grey.clone().set_text_wrap(),
    ];
    ws.write_text(
        0,
        0,
        format!("{} — {}", lang.t(l::TEAM_TITLE), view.result.period),
        &st.title,
    )?;
    // The book's title comes from the inputs (a manager's or department's name).
    ws.write_text(1, 0, &book.title, &st.subtitle)?;

    let mut row = 3u32;
    ws.merge_text((row, 0), (row, 8), lang.t(l::MEMBERS), &st.section)?;
    row += 1;
    let headers = [
        l::NAME,
        l::STAFF_ID,
        l::ROLE,
        l::TOTAL,
        l::GRADE,
        l::RANK,
        l::RANK_DEPARTMENT,
        l::BONUS,
        l::STATUS,
    ];
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| text_width(lang.t(*h)).max(9))
        .collect();
    widths[0] = 26;
    widths[1] = widths[1].max(12);
    widths[7] = 12;
    for (c, h) in headers.iter().enumerate() {
        ws.write_text(row, c as u16, lang.t(*h), &st.header)?;
    }
    ws.set_row_height(row, 30)?;
    row += 1;
    let first = row;
    let mut long_rows: Vec<(u32, [&str; 2])> = Vec::new();
    for (&p, sheet) in book.members.iter().zip(sheet_names) {
        let person = &view.people[p];
        let card = view.card(p);
        let text = if card.is_some() { &st.text } else { &st.grey };
        let wrap = &wrapped[usize::from(card.is_none())];
        // Names link to the person's review sheet; the link text is text.
        let shown_name = shortened(&person.name, MAX_NAME_WIDTH);
        let url = Url::new(format!("internal:'{sheet}'!A1"))
            .set_text(crate::report::text::xml_safe(&shown_name).as_ref());
        ws.write_url_with_format(row, 0, url, &link)?;
        ws.write_text(row, 1, &person.staff_id, wrap)?;
        ws.write_text(row, 2, view.role_label(p), wrap)?;
        widths[0] = widths[0].max(text_width(&shown_name));
        let texts = [person.staff_id.as_str(), view.role_label(p)];
        for (c, t) in texts.iter().enumerate() {
            widths[c + 1] = widths[c + 1].max(text_width(t).min(MAX_TEXT_WIDTH));
        }
        if texts.iter().any(|t| text_width(t) > MAX_TEXT_WIDTH) {
            long_rows.push((row, texts));
        }
        let status = lang.t(if card.is_some() { l::OK } else { l::INCOMPLETE });
        ws.write_text(row, 8, status, text)?;
        match card {
            Some(c) => {
                ws.write_number_with_format(row, 3, to_f64(c.total), &st.score_bold)?;
                ws.write_text(row, 4, &plan.grades[c.grade].grade, &st.grades[c.grade])?;
                ws.write_number_with_format(row, 5, f64::from(c.ranks.company.0), &st.integer)?;
                ws.write_number_with_format(row, 6, f64::from(c.ranks.department.0), &st.integer)?;
                match c.bonus {
                    Some(b) => ws.write_number_with_format(row, 7, to_f64(b), &st.money)?,
                    None => ws.write_blank(row, 7, &st.text)?,
                };
            }
            None => {
                for c in [3u16, 4, 5, 6, 7] {
                    ws.write_blank(row, c, &st.grey)?;
                }
            }
        }
        row += 1;
    }
    let last = row - 1;
    let members = book.members.as_slice();
    let company = view.company();

    // Grade mix, team against company.
    row += 1;
    ws.merge_text(
        (row, 0),
        (row, 2),
        lang.t(l::GRADE_DISTRIBUTION),
        &st.section,
    )?;
    row += 1;
    for (c, h) in [l::GRADE, l::TEAM, l::COMPANY].iter().enumerate() {
        ws.write_text(row, c as u16, lang.t(*h), &st.header)?;
    }
    row += 1;
    let team_counts = view.grade_counts_of(members);
    let company_counts = &company.grade_counts;
    for (i, g) in plan.grades.iter().enumerate() {
        let grade = format!("{}  {}", g.grade, lang.label(&g.label));
        ws.write_text(row, 0, &grade, &st.grades[i])?;
        ws.write_number_with_format(row, 1, team_counts[i] as f64, &st.integer)?;
        ws.write_number_with_format(row, 2, company_counts[i] as f64, &st.integer)?;
        row += 1;
    }

    // Team against company averages.
    row += 1;
    ws.merge_text(
        (row, 0),
        (row, 4),
        format!(
            "{} / {}",
            lang.t(l::TEAM_AVERAGE),
            lang.t(l::COMPANY_AVERAGE)
        ),
        &st.section,
    )?;
    row += 1;
    for (c, h) in [l::KPI, l::TEAM_AVERAGE, l::COMPANY_AVERAGE]
        .iter()
        .enumerate()
    {
        ws.write_text(row, c as u16, lang.t(*h), &st.header)?;
    }
    row += 1;
    let averages = |team: Option<rust_decimal::Decimal>, company: Option<rust_decimal::Decimal>| {
        [team, company]
    };
    let mut lines = vec![(
        lang.t(l::WEIGHTED_TOTAL).to_owned(),
        averages(mean(&view.totals_of(members)), company.mean_total),
        true,
    )];
    for (k, kpi) in plan.kpis.iter().enumerate() {
        lines.push((
            lang.label(&kpi.label).to_owned(),
            averages(mean(&view.kpi_scores_of(k, members)), company.kpi_means[k]),
            false,
        ));
    }
    for (label, values, bold) in lines {
        ws.write_text(row, 0, &label, if bold { &st.bold } else { &st.text })?;
        for (j, v) in values.iter().enumerate() {
            match v {
                Some(v) => ws.write_number_with_format(
                    row,
                    1 + j as u16,
                    to_f64(shown(*v, 2)),
                    if bold { &st.score_bold } else { &st.score },
                )?,
                None => ws.write_text(row, 1 + j as u16, lang.t(l::NOT_APPLICABLE), &st.na)?,
            };
        }
        row += 1;
    }

    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name(lang.t(l::TOTAL))
        .set_categories((name, first, 0, last, 0))
        .set_values((name, first, 3, last, 3))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(INK)))
        .set_data_label(ChartDataLabel::new().show_value())
        .set_gap(40);
    chart.title().set_name(lang.t(l::TOTAL));
    chart.legend().set_hidden();
    // In a bar chart the y axis holds the categories: list them top down.
    chart.y_axis().set_reverse();
    chart.x_axis().set_min(0);
    chart
        .set_width(460)
        .set_height((140 + 24 * book.members.len() as u32).min(900));
    ws.insert_chart(3, 10, &chart)?;

    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2) as f64)?;
    }
    for (r, texts) in long_rows {
        let height = texts
            .iter()
            .zip(&widths[1..])
            .map(|(t, w)| wrapped_height(t, (*w + 2) as f64, 15.0, 15.0))
            .fold(15.0, f64::max);
        ws.set_row_height(r, height)?;
    }
    ws.set_column_width(9, 3)?;
    print_setup(
        ws,
        true,
        None,
        &format!("{} · {}", view.plan.name, book.title),
        &view.result.period.to_string(),
    )?;
    ws.set_print_fit_to_pages(1, 1);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::shortened;

    #[test]
    fn long_names_are_shortened_with_an_ellipsis() {
        assert_eq!(shortened("Ann Lee", 10), "Ann Lee");
        assert_eq!(shortened("Bartholomew", 6), "Barth…");
        // CJK characters are two wide.
        assert_eq!(shortened("长长长长", 5), "长长…");
    }
}
