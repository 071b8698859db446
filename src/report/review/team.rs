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
use crate::report::layout::{Cell, Column};
use crate::report::styles::{INK, Styles, print_setup, text_width, wrapped_height};
use crate::report::text::{shown, to_f64};
use crate::report::view::{PeriodView, mean};
use crate::score::Scorecard;

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

/// The members table's columns, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    StaffId,
    Role,
    Total,
    Grade,
    Rank,
    RankDepartment,
    Bonus,
    Status,
}

impl From<Col> for u16 {
    fn from(c: Col) -> u16 {
        c as u16
    }
}

const fn column(key: Col, header: (&'static str, &'static str), format: Cell) -> Column<Col> {
    Column {
        key,
        header,
        width: None,
        format,
    }
}

const COLUMNS: [Column<Col>; 9] = [
    Column {
        width: Some(26.0),
        ..column(Col::Name, l::NAME, Cell::Text)
    },
    column(Col::StaffId, l::STAFF_ID, Cell::Text),
    column(Col::Role, l::ROLE, Cell::Text),
    column(Col::Total, l::TOTAL, Cell::ScoreBold),
    column(Col::Grade, l::GRADE, Cell::Grade),
    column(Col::Rank, l::RANK, Cell::Integer),
    column(Col::RankDepartment, l::RANK_DEPARTMENT, Cell::Integer),
    Column {
        width: Some(12.0),
        ..column(Col::Bonus, l::BONUS, Cell::Money)
    },
    column(Col::Status, l::STATUS, Cell::Text),
];

/// The last column of the members table.
const LAST_COL: u16 = COLUMNS.len() as u16 - 1;

pub fn sheet(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    book: &ReviewBook,
    name: &str,
    sheet_names: &[String],
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = view.lang;
    ws.set_name(name)?;
    ws.set_screen_gridlines(false);
    ws.write_text(
        0,
        0,
        format!("{} — {}", lang.t(l::TEAM_TITLE), view.result.period),
        &st.title,
    )?;
    // The book's title comes from the inputs (a manager's or department's name).
    ws.write_text(1, 0, &book.title, &st.subtitle)?;
    let mut members = Members::new(view, st);
    let (first, last) = members.write(ws, book, sheet_names, 3)?;
    let row = grade_mix(ws, view, st, book, last + 2)?;
    averages(ws, view, st, book, row + 1)?;
    totals_chart(ws, view, book, name, (first, last))?;
    members.set_widths(ws)?;
    ws.set_column_width(LAST_COL + 1, 3)?;
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

/// The members table: its formats, and the column widths and long rows it
/// finds while writing.
struct Members<'v, 'a> {
    view: &'v PeriodView<'a>,
    st: &'v Styles,
    link: Format,
    /// Names and roles past the column width wrap; their rows grow.
    wrapped: [Format; 2],
    widths: Vec<usize>,
    long_rows: Vec<(u32, [&'v str; 2])>,
}

impl<'v, 'a> Members<'v, 'a> {
    fn new(view: &'v PeriodView<'a>, st: &'v Styles) -> Members<'v, 'a> {
        let lang = view.lang;
        let mut widths: Vec<usize> = COLUMNS
            .iter()
            .map(|c| text_width(lang.t(c.header)).max(9))
            .collect();
        for c in &COLUMNS {
            if let Some(w) = c.width {
                widths[c.key as usize] = w as usize;
            }
        }
        let id = Col::StaffId as usize;
        widths[id] = widths[id].max(12);
        Members {
            view,
            st,
            link: Format::new()
                .set_font_color("0563C1")
                .set_underline(rust_xlsxwriter::FormatUnderline::Single)
                .set_border(rust_xlsxwriter::FormatBorder::Thin)
                .set_border_color("BFBFBF"),
            wrapped: [
                st.text.clone().set_text_wrap(),
                st.grey.clone().set_text_wrap(),
            ],
            widths,
            long_rows: Vec::new(),
        }
    }

    /// The section, headers and one row per member from `row`. Returns the
    /// first and last member rows.
    fn write(
        &mut self,
        ws: &mut Worksheet,
        book: &'v ReviewBook,
        sheet_names: &[String],
        mut row: u32,
    ) -> Result<(u32, u32), XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        ws.merge_text((row, 0), (row, LAST_COL), lang.t(l::MEMBERS), &st.section)?;
        row += 1;
        for c in &COLUMNS {
            ws.write_text(row, c.key.into(), lang.t(c.header), &st.header)?;
        }
        ws.set_row_height(row, 30)?;
        row += 1;
        let first = row;
        for (&p, sheet) in book.members.iter().zip(sheet_names) {
            self.member(ws, row, p, sheet)?;
            row += 1;
        }
        Ok((first, row - 1))
    }

    fn member(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        p: usize,
        sheet: &str,
    ) -> Result<(), XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let person = &view.people[p];
        let card = view.card(p);
        let text = if card.is_some() { &st.text } else { &st.grey };
        let wrap = &self.wrapped[usize::from(card.is_none())];
        // Names link to the person's review sheet; the link text is text.
        let shown_name = shortened(&person.name, MAX_NAME_WIDTH);
        let url = Url::new(format!("internal:'{sheet}'!A1"))
            .set_text(crate::report::text::xml_safe(&shown_name).as_ref());
        ws.write_url_with_format(row, Col::Name.into(), url, &self.link)?;
        ws.write_text(row, Col::StaffId.into(), &person.staff_id, wrap)?;
        ws.write_text(row, Col::Role.into(), view.role_label(p), wrap)?;
        let name = Col::Name as usize;
        self.widths[name] = self.widths[name].max(text_width(&shown_name));
        let texts = [person.staff_id.as_str(), view.role_label(p)];
        for (c, t) in [Col::StaffId, Col::Role].into_iter().zip(texts) {
            let w = &mut self.widths[c as usize];
            *w = (*w).max(text_width(t).min(MAX_TEXT_WIDTH));
        }
        if texts.iter().any(|t| text_width(t) > MAX_TEXT_WIDTH) {
            self.long_rows.push((row, texts));
        }
        let status = lang.t(if card.is_some() { l::OK } else { l::INCOMPLETE });
        ws.write_text(row, Col::Status.into(), status, text)?;
        match card {
            Some(c) => self.figures(ws, row, c)?,
            None => {
                for c in [
                    Col::Total,
                    Col::Grade,
                    Col::Rank,
                    Col::RankDepartment,
                    Col::Bonus,
                ] {
                    ws.write_blank(row, c.into(), &st.grey)?;
                }
            }
        }
        Ok(())
    }

    /// A scored member's total, grade, ranks and bonus.
    fn figures(&self, ws: &mut Worksheet, row: u32, c: &Scorecard) -> Result<(), XlsxError> {
        let st = self.st;
        let format = |col: Col| COLUMNS[col as usize].format.format(st);
        ws.write_number_with_format(row, Col::Total.into(), to_f64(c.total), format(Col::Total))?;
        let grade = &self.view.plan.grades[c.grade].grade;
        ws.write_text(row, Col::Grade.into(), grade, &st.grades[c.grade])?;
        for (col, rank) in [
            (Col::Rank, c.ranks.company.0),
            (Col::RankDepartment, c.ranks.department.0),
        ] {
            ws.write_number_with_format(row, col.into(), f64::from(rank), format(col))?;
        }
        match c.bonus {
            Some(b) => {
                let col = Col::Bonus;
                ws.write_number_with_format(row, col.into(), to_f64(b), format(col))?
            }
            None => ws.write_blank(row, Col::Bonus.into(), &st.text)?,
        };
        Ok(())
    }

    /// The widths found, and the heights of rows whose id or role wraps.
    fn set_widths(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w + 2) as f64)?;
        }
        for (r, texts) in &self.long_rows {
            let height = texts
                .iter()
                .zip(&self.widths[1..])
                .map(|(t, w)| wrapped_height(t, (*w + 2) as f64, 15.0, 15.0))
                .fold(15.0, f64::max);
            ws.set_row_height(*r, height)?;
        }
        Ok(())
    }
}

/// The grade mix, team against company, from `row`. Returns the next free
/// row.
fn grade_mix(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    book: &ReviewBook,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let lang = view.lang;
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
    let team_counts = view.grade_counts_of(&book.members);
    let company = view.company();
    let company_counts = &company.grade_counts;
    for (i, g) in view.plan.grades.iter().enumerate() {
        let grade = format!("{}  {}", g.grade, lang.label(&g.label));
        ws.write_text(row, 0, &grade, &st.grades[i])?;
        ws.write_number_with_format(row, 1, team_counts[i] as f64, &st.integer)?;
        ws.write_number_with_format(row, 2, company_counts[i] as f64, &st.integer)?;
        row += 1;
    }
    Ok(row)
}

/// Team against company averages (the total, then each KPI) from `row`.
fn averages(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    st: &Styles,
    book: &ReviewBook,
    mut row: u32,
) -> Result<(), XlsxError> {
    let lang = view.lang;
    let members = book.members.as_slice();
    let company = view.company();
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
    let mut lines = vec![(
        lang.t(l::WEIGHTED_TOTAL).to_owned(),
        [mean(&view.totals_of(members)), company.mean_total],
        true,
    )];
    for (k, kpi) in view.plan.kpis.iter().enumerate() {
        lines.push((
            lang.label(&kpi.label).to_owned(),
            [mean(&view.kpi_scores_of(k, members)), company.kpi_means[k]],
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
    Ok(())
}

/// A bar chart of the members' totals, beside the table.
fn totals_chart(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    book: &ReviewBook,
    name: &str,
    (first, last): (u32, u32),
) -> Result<(), XlsxError> {
    let lang = view.lang;
    let total = Col::Total.into();
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name(lang.t(l::TOTAL))
        .set_categories((name, first, 0, last, 0))
        .set_values((name, first, total, last, total))
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
    // Right of the table and its spacer column.
    ws.insert_chart(3, LAST_COL + 2, &chart)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::layout::in_order;

    #[test]
    fn columns_are_listed_in_order() {
        assert!(in_order(&COLUMNS));
        assert_eq!(LAST_COL, 8);
    }

    #[test]
    fn long_names_are_shortened_with_an_ellipsis() {
        assert_eq!(shortened("Ann Lee", 10), "Ann Lee");
        assert_eq!(shortened("Bartholomew", 6), "Barth…");
        // CJK characters are two wide.
        assert_eq!(shortened("长长长长", 5), "长长…");
    }
}
