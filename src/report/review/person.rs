//! A person's review sheet, laid out to print on one A4 page: identity,
//! the KPI table, total, grade and ranks in words, the trend over every
//! month so far (table and sparklines), the improvement focus, and boxes
//! for the talk: comments, agreed actions, signatures and date.

use crate::report::text::WriteText;
use rust_xlsxwriter::{Format, FormatAlign, Sparkline, SparklineType, Worksheet, XlsxError};

use crate::report::lang::{self as l};
use crate::report::styles::{INK, Styles, print_setup, text_width, wrapped_height};
use crate::report::text::{shown, to_f64};
use crate::report::view::PeriodView;
use crate::report::words::{focus_sentence, improvement_focus, ranks_sentence};
use crate::score::{PeriodResult, Scorecard};

/// Columns A..H: a label column and seven figure columns.
const LAST_COL: u16 = 7;
/// Widths of column A and of each figure column, in characters.
const LABEL_WIDTH: f64 = 26.0;
const FIGURE_WIDTH: f64 = 11.5;
/// Width of a text merged over `n` figure columns.
fn figures(n: u16) -> f64 {
    FIGURE_WIDTH * f64::from(n)
}
/// Points a wrapped line of text takes.
const LINE: f64 = 15.0;

pub fn sheet(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    person: usize,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let p = &view.people[person];
    let mut rows = Rows::default();
    let card = view.card(person);
    ws.set_name(name)?;
    ws.set_screen_gridlines(false);
    ws.set_column_width(0, LABEL_WIDTH)?;
    for c in 1..=LAST_COL {
        ws.set_column_width(c, FIGURE_WIDTH)?;
    }
    let big = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_num_format("0.00")
        .set_font_color(INK)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let big_money = big.clone().set_num_format("#,##0.00").set_font_size(13);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    // Long names, departments and KPI labels wrap, and their rows grow, so
    // nothing is cut off on the printed page.
    let value = st
        .value
        .clone()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let text = st.text.clone().set_text_wrap();
    let label_height = |label: &str, min: f64| wrapped_height(label, LABEL_WIDTH, LINE, min);

    ws.merge_text(
        (0, 0),
        (0, LAST_COL),
        format!("{} — {}", lang.t(l::REVIEW_TITLE), view.result.period),
        &st.title,
    )?;
    rows.set(ws, 0, 26)?;
    ws.write_text(
        1,
        0,
        format!("{} · {}", plan.name, plan.company),
        &st.subtitle,
    )?;

    // Identity block.
    let manager = view
        .person_by_id(&p.manager_id)
        .map(|m| &view.people[m])
        .map_or(p.manager_id.clone(), |m| {
            format!("{} {}", m.staff_id, m.name)
        });
    let period = view.result.period.to_string();
    let identity = [
        (l::NAME, p.name.as_str(), l::STAFF_ID, p.staff_id.as_str()),
        (
            l::DEPARTMENT,
            p.department.as_str(),
            l::ROLE,
            view.role_label(person),
        ),
        (l::MANAGER, manager.as_str(), l::PERIOD, period.as_str()),
    ];
    let mut row = 3u32;
    for (a, av, b, bv) in identity {
        ws.write_text(row, 0, lang.t(a), &st.label)?;
        // Identity values come from the inputs: written as text.
        ws.merge_text((row, 1), (row, 3), av, &value)?;
        ws.merge_text((row, 4), (row, 5), lang.t(b), &st.label)?;
        ws.merge_text((row, 6), (row, LAST_COL), bv, &value)?;
        rows.set(
            ws,
            row,
            wrapped_height(av, figures(3), LINE, 18.0).max(wrapped_height(
                bv,
                figures(2),
                LINE,
                18.0,
            )),
        )?;
        row += 1;
    }

    row += 1;
    match card {
        Some(card) => {
            ws.merge_text(
                (row, 0),
                (row, LAST_COL),
                lang.t(l::KPI_SECTION),
                &st.section,
            )?;
            row += 1;
            let headers = [
                l::KPI,
                l::TARGET,
                l::ACTUAL,
                l::ATTAINMENT,
                l::SCORE,
                l::WEIGHT,
                l::POINTS,
                l::FULL_POINTS,
            ];
            for (c, h) in headers.iter().enumerate() {
                let fmt = if c == 0 { &st.header_left } else { &st.header };
                ws.write_text(row, c as u16, lang.t(*h), fmt)?;
            }
            rows.set(ws, row, 30)?;
            row += 1;
            for (k, (kpi, line)) in plan.kpis.iter().zip(&card.kpis).enumerate() {
                let label = lang.label(&kpi.label);
                ws.write_text(row, 0, label, &text)?;
                let (target, actual) = view.target_actual(person, k);
                for (c, v) in [(1u16, target), (2, actual)] {
                    match v {
                        Some(v) => ws.write_number_with_format(row, c, to_f64(v), &st.number)?,
                        None => ws.write_blank(row, c, &st.text)?,
                    };
                }
                match line.attainment {
                    Some(a) => ws.write_number_with_format(row, 3, to_f64(a), &st.percent)?,
                    None => ws.write_blank(row, 3, &st.text)?,
                };
                match line.score {
                    Some(s) => {
                        ws.write_number_with_format(row, 4, to_f64(shown(s, 2)), &st.score)?;
                        ws.write_number_with_format(
                            row,
                            5,
                            to_f64(shown(line.share, 2)),
                            &st.score,
                        )?;
                        // The points a score of 100 would give: the share.
                        ws.write_number_with_format(
                            row,
                            7,
                            to_f64(shown(line.share, 2)),
                            &st.score,
                        )?;
                    }
                    None => {
                        for c in [4u16, 5, 7] {
                            ws.write_text(row, c, lang.t(l::NOT_APPLICABLE), &st.na)?;
                        }
                    }
                }
                match line.points {
                    Some(pt) => {
                        ws.write_number_with_format(row, 6, to_f64(shown(pt, 2)), &st.score)?
                    }
                    None => ws.write_blank(row, 6, &st.text)?,
                };
                rows.set(ws, row, label_height(label, 18.0))?;
                row += 1;
            }
            // The points add up to the total (rounded once, as the plan says).
            ws.write_text(row, 0, lang.t(l::WEIGHTED_TOTAL), &st.total_label)?;
            for c in 1..=5 {
                ws.write_blank(row, c, &st.total_label)?;
            }
            ws.write_number_with_format(row, 6, to_f64(card.total), &st.total_score)?;
            ws.write_number_with_format(row, 7, 100.0, &st.total_score)?;
            rows.set(ws, row, 18)?;
            row += 1;

            if card
                .kpis
                .iter()
                .any(|k| k.score.is_some() && k.share != k.weight)
            {
                let note = lang.t(l::RESCALED_NOTE);
                ws.merge_text((row, 0), (row, LAST_COL), note, &st.note)?;
                let width = LABEL_WIDTH + figures(LAST_COL);
                rows.set(ws, row, wrapped_height(note, width, LINE, 24.0))?;
                row += 1;
            }

            // Result: total, grade, bonus.
            row += 1;
            let (letter, meaning) = view.grade_words(card.grade);
            ws.write_text(row, 0, lang.t(l::WEIGHTED_TOTAL), &st.label)?;
            ws.merge_text((row, 1), (row, 2), "", &big)?;
            ws.write_number_with_format(row, 1, to_f64(card.total), &big)?;
            ws.write_text(row, 3, lang.t(l::GRADE), &st.label)?;
            ws.merge_text(
                (row, 4),
                (row, 5),
                format!("{letter}  {meaning}"),
                &st.grades_big[card.grade],
            )?;
            ws.write_text(row, 6, lang.t(l::BONUS), &st.label)?;
            match card.bonus {
                Some(b) => ws.write_number_with_format(row, 7, to_f64(b), &big_money)?,
                None => ws.write_text(row, 7, "—", &st.na)?,
            };
            rows.set(ws, row, 30)?;
            row += 1;
            ws.write_text(row, 0, lang.t(l::RANKS), &st.label)?;
            let sentence =
                ranks_sentence(lang, &card.ranks, &p.department, view.role_label(person));
            ws.merge_text((row, 1), (row, LAST_COL), &sentence, &wrap)?;
            rows.set(
                ws,
                row,
                wrapped_height(&sentence, figures(LAST_COL), LINE, 30.0),
            )?;
            row += 2;

            row = trend(ws, view, person, name, row, st, &mut rows)?;

            row += 1;
            ws.merge_text(
                (row, 0),
                (row, LAST_COL),
                lang.t(l::IMPROVEMENT),
                &st.section,
            )?;
            row += 1;
            let focus =
                improvement_focus(card).map(|(k, gain)| (lang.label(&plan.kpis[k].label), gain));
            let sentence = focus_sentence(lang, focus);
            ws.merge_text((row, 0), (row, LAST_COL), &sentence, &wrap)?;
            let width = LABEL_WIDTH + figures(LAST_COL);
            rows.set(ws, row, wrapped_height(&sentence, width, LINE, 30.0))?;
            row += 2;
        }
        None => {
            ws.merge_text(
                (row, 0),
                (row, LAST_COL),
                lang.t(l::INCOMPLETE),
                &st.section,
            )?;
            row += 1;
            let width = LABEL_WIDTH + figures(LAST_COL);
            let why = lang.t(l::INCOMPLETE_REVIEW);
            ws.merge_text((row, 0), (row, LAST_COL), why, &wrap)?;
            rows.set(ws, row, wrapped_height(why, width, LINE, 30.0))?;
            row += 1;
            for d in view.issues_of(person).iter().take(12) {
                // Messages quote the inputs: written as text.
                let message = format!("• {}", d.render(lang));
                ws.merge_text((row, 0), (row, LAST_COL), &message, &st.note)?;
                rows.set(ws, row, wrapped_height(&message, width, LINE, 30.0))?;
                row += 1;
            }
            row += 1;
            row = trend(ws, view, person, name, row, st, &mut rows)?;
            row += 1;
        }
    }

    // The talk: comments, actions, signatures, date.
    // Each box is one tall merged row: the same box on paper as a block of
    // short rows, at an eighth of the cells.
    for (title, lines) in [(l::COMMENTS, 6u32), (l::ACTIONS, 5)] {
        ws.merge_text((row, 0), (row, LAST_COL), lang.t(title), &st.section)?;
        row += 1;
        ws.merge_text((row, 0), (row, LAST_COL), "", &st.boxed)?;
        rows.set(ws, row, f64::from(lines) * 20.0)?;
        row += 2;
    }
    ws.write_text(row, 0, lang.t(l::EMPLOYEE_SIGNATURE), &st.label)?;
    ws.merge_text((row, 1), (row, 3), "", &st.boxed)?;
    ws.merge_text((row, 4), (row, 5), lang.t(l::MANAGER_SIGNATURE), &st.label)?;
    ws.merge_text((row, 6), (row, LAST_COL), "", &st.boxed)?;
    rows.set(ws, row, 34)?;
    row += 2;
    ws.write_text(row, 0, lang.t(l::TALK_DATE), &st.label)?;
    ws.merge_text((row, 1), (row, 3), "", &st.boxed)?;
    rows.set(ws, row, 22)?;

    // The review prints on one page; the calculation, for a scored person,
    // on the next.
    let last_col = LAST_COL.max(trend_last_col(view));
    let review_rows = row + 1;
    if card.is_some() {
        row = calculation(ws, view, person, row + 2, st, &mut rows)?;
        ws.set_page_breaks(&[review_rows + 1])?;
    }
    print_setup(
        ws,
        false,
        None,
        &format!("{} · {}", plan.name, p.name),
        &period,
    )?;
    // A scale of our own, not "fit to page": Excel ignores manual page
    // breaks under fit to page.
    let width: f64 = (0..=last_col).map(column_points).sum();
    ws.set_print_scale(one_page_scale(width, rows.total(review_rows)));
    ws.set_print_center_horizontally(true);
    ws.set_print_area(0, 0, row, last_col)?;
    Ok(())
}

/// Row heights as set, to size the printed page (rows left alone are
/// [`DEFAULT_ROW`] high). Rows are laid out top to bottom, so a plain
/// vector indexed by row holds them.
#[derive(Default)]
struct Rows(Vec<f64>);

impl Rows {
    fn set(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        height: impl Into<f64>,
    ) -> Result<(), XlsxError> {
        let height = height.into();
        let ix = row as usize;
        if self.0.len() <= ix {
            self.0.resize(ix + 1, DEFAULT_ROW);
        }
        self.0[ix] = height;
        ws.set_row_height(row, height)?;
        Ok(())
    }

    /// The height in points of the first `n` rows.
    fn total(&self, n: u32) -> f64 {
        let n = n as usize;
        let set: f64 = self.0.iter().take(n).sum();
        set + n.saturating_sub(self.0.len()) as f64 * DEFAULT_ROW
    }
}

/// A row's default height, in points.
const DEFAULT_ROW: f64 = 15.0;

/// A column's printed width in points: Excel's `width × 7 + 5` pixels at
/// 96 dpi for the sheet's font, 0.75 points a pixel.
fn column_points(col: u16) -> f64 {
    let chars = match col {
        0 => LABEL_WIDTH,
        c if c <= LAST_COL => FIGURE_WIDTH,
        _ => 8.43,
    };
    ((chars * 7.0 + 0.5).floor() + 5.0) * 0.75
}

/// The print scale (percent) at which a page `width` × `height` points
/// fits the printable area of A4 portrait inside the margins
/// [`print_setup`] sets (0.5 inch left and right, 0.6 inch top and bottom),
/// with a little room for a printer's font metrics.
fn one_page_scale(width: f64, height: f64) -> u16 {
    const PRINTABLE_WIDTH: f64 = 595.3 - 2.0 * 36.0;
    const PRINTABLE_HEIGHT: f64 = 841.9 - 2.0 * 43.2;
    let fit = (PRINTABLE_WIDTH / width).min(PRINTABLE_HEIGHT / height) * 0.96;
    (fit * 100.0).floor().clamp(10.0, 100.0) as u16
}

/// The calculation trail (what `explain` prints) below the review, from
/// `row`: a salesperson can check their own total and bonus from it.
/// Returns the last row written.
fn calculation(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    person: usize,
    mut row: u32,
    st: &Styles,
    rows: &mut Rows,
) -> Result<u32, XlsxError> {
    let lang = view.lang;
    let trail = crate::report::explain::trail(&view.sources, person, view.period_ix, lang);
    let width = LABEL_WIDTH + figures(LAST_COL);
    ws.merge_text(
        (row, 0),
        (row, LAST_COL),
        lang.t(l::CALCULATION),
        &st.section,
    )?;
    row += 1;
    let note = lang.t(l::CALCULATION_NOTE);
    ws.merge_text((row, 0), (row, LAST_COL), note, &st.note)?;
    rows.set(ws, row, wrapped_height(note, width, LINE, 18.0))?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let heading = Format::new().set_bold().set_font_color(INK);
    let mut section = None;
    let mut text = String::new();
    for line in &trail.lines {
        if section != Some(line.section) {
            row += 2;
            ws.write_text(row, 0, line.section.heading(lang), &heading)?;
            section = Some(line.section);
        }
        row += 1;
        text.clear();
        for _ in 0..=line.indent {
            text.push_str("   ");
        }
        text.push_str(&line.text);
        // Plain text runs over the empty cells to its right; only a line
        // wider than the page wraps, in a merged row.
        if (text_width(&text) as f64) < width * 0.85 {
            ws.write_plain(row, 0, &text)?;
        } else {
            ws.merge_text((row, 0), (row, LAST_COL), &text, &wrap)?;
            rows.set(ws, row, wrapped_height(&text, width, LINE, DEFAULT_ROW))?;
        }
    }
    Ok(row)
}

/// The months shown in the trend: up to and including the period.
fn trend_months<'v, 'a>(view: &'v PeriodView<'a>) -> &'v [&'a PeriodResult] {
    view.history.as_slice()
}

/// The last column the trend table uses (months, then the sparkline).
fn trend_last_col(view: &PeriodView<'_>) -> u16 {
    trend_months(view).len() as u16 + 1
}

/// The trend table: the total and each KPI score per month, with a
/// sparkline per row. Returns the next free row.
fn trend(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    person: usize,
    name: &str,
    mut row: u32,
    st: &Styles,
    rows: &mut Rows,
) -> Result<u32, XlsxError> {
    let lang = view.lang;
    let plan = view.plan;
    let months = trend_months(view);
    if months.is_empty() {
        return Ok(row);
    }
    let spark_col = months.len() as u16 + 1;
    ws.merge_text(
        (row, 0),
        (row, LAST_COL.max(spark_col)),
        lang.t(l::TREND),
        &st.section,
    )?;
    row += 1;
    ws.write_text(row, 0, lang.t(l::PERIOD), &st.header_left)?;
    for (i, m) in months.iter().enumerate() {
        ws.write_text(row, 1 + i as u16, m.period.to_string(), &st.header)?;
    }
    ws.write_text(row, spark_col, lang.t(l::TREND), &st.header)?;
    row += 1;
    let mut lines: Vec<(String, Vec<Option<f64>>, bool)> = Vec::new();
    fn card_of(m: &PeriodResult, person: usize) -> Option<&Scorecard> {
        m.people.get(person).and_then(|r| r.card.as_ref())
    }
    lines.push((
        lang.t(l::WEIGHTED_TOTAL).to_owned(),
        months
            .iter()
            .map(|m| card_of(m, person).map(|c| to_f64(c.total)))
            .collect(),
        true,
    ));
    for (k, kpi) in plan.kpis.iter().enumerate() {
        lines.push((
            lang.label(&kpi.label).to_owned(),
            months
                .iter()
                .map(|m| {
                    card_of(m, person)
                        .and_then(|c| c.kpis[k].score)
                        .map(|s| to_f64(shown(s, 2)))
                })
                .collect(),
            false,
        ));
    }
    let text = st.text.clone().set_text_wrap();
    let bold_text = st.bold.clone().set_text_wrap();
    for (label, values, bold) in lines {
        ws.write_text(row, 0, &label, if bold { &bold_text } else { &text })?;
        for (i, v) in values.iter().enumerate() {
            let c = 1 + i as u16;
            match v {
                Some(v) => ws.write_number_with_format(
                    row,
                    c,
                    *v,
                    if bold { &st.score_bold } else { &st.score },
                )?,
                None => ws.write_text(row, c, "—", &st.na)?,
            };
        }
        ws.write_blank(row, spark_col, &st.text)?;
        rows.set(ws, row, wrapped_height(&label, LABEL_WIDTH, LINE, 17.0))?;
        if values.iter().any(Option::is_some) {
            let spark = Sparkline::new()
                .set_range((name, row, 1, row, spark_col - 1))
                .set_type(SparklineType::Line)
                .show_markers(true)
                .set_sparkline_color(INK);
            ws.add_sparkline(row, spark_col, &spark)?;
        }
        row += 1;
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_print_at_excels_pixel_widths() {
        // 26 characters: 187 pixels; 11.5: 86 pixels; the default 8.43: 64.
        assert_eq!(column_points(0), 140.25);
        assert_eq!(column_points(1), 64.5);
        assert_eq!(column_points(LAST_COL + 1), 48.0);
    }

    #[test]
    fn the_scale_fits_the_tighter_side_of_the_page() {
        // Eight columns, 961 points tall: the height decides.
        // 755.5 ÷ 961 × 0.96 = 0.7547… → 75 %.
        assert_eq!(one_page_scale(591.75, 961.0), 75);
        // A short, wide sheet: the width decides (523.3 ÷ 900 × 0.96 → 55 %).
        assert_eq!(one_page_scale(900.0, 300.0), 55);
        // Never above 100 % nor below Excel's 10 %.
        assert_eq!(one_page_scale(100.0, 100.0), 100);
        assert_eq!(one_page_scale(100_000.0, 100.0), 10);
    }

    #[test]
    fn rows_left_alone_count_at_the_default_height() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let mut rows = Rows::default();
        rows.set(ws, 1, 30).unwrap();
        rows.set(ws, 3, 40.5).unwrap();
        // Rows 0 and 2 at 15, then 30 and 40.5; rows 4 and 5 at 15.
        assert_eq!(rows.total(4), 15.0 + 30.0 + 15.0 + 40.5);
        assert_eq!(rows.total(6), 15.0 + 30.0 + 15.0 + 40.5 + 30.0);
        assert_eq!(rows.total(1), 15.0);
    }
}
