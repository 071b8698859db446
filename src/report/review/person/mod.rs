//! A person's review sheet, laid out to print on one A4 page: identity,
//! the KPI table, total, grade and ranks in words, the trend over every
//! month so far (table and sparklines), the improvement focus, and boxes
//! for the talk: comments, agreed actions, signatures and date. A scored
//! person's calculation trail follows on a second page.
//!
//! The sheet is written top to bottom by one writer per section
//! ([`kpis`], [`trend`], [`calculation`], and the smaller ones here); the
//! columns are a table ([`COLUMNS`]) from which every index is derived.

mod calculation;
mod kpis;
mod page;
mod trend;

use crate::report::text::WriteText;
use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::report::lang::{self as l};
use crate::report::layout::{Cell, Column};
use crate::report::styles::{Styles, print_setup, wrapped_height};
use crate::report::view::PeriodView;
use crate::report::words::{focus_sentence, improvement_focus};
use crate::score::Scorecard;
use page::{Rows, column_points, one_page_scale};

/// The sheet's columns A..H: a label column and seven figure columns,
/// headed as the KPI table heads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Kpi,
    Target,
    Actual,
    Attainment,
    Score,
    Weight,
    Points,
    FullPoints,
}

impl From<Col> for u16 {
    fn from(c: Col) -> u16 {
        c as u16
    }
}

/// Widths of column A and of each figure column, in characters.
const LABEL_WIDTH: f64 = 26.0;
const FIGURE_WIDTH: f64 = 11.5;

const fn figure(key: Col, header: (&'static str, &'static str), format: Cell) -> Column<Col> {
    Column {
        key,
        header,
        width: Some(FIGURE_WIDTH),
        format,
    }
}

const COLUMNS: [Column<Col>; 8] = [
    Column {
        key: Col::Kpi,
        header: l::KPI,
        width: Some(LABEL_WIDTH),
        format: Cell::Text,
    },
    figure(Col::Target, l::TARGET, Cell::Number),
    figure(Col::Actual, l::ACTUAL, Cell::Number),
    figure(Col::Attainment, l::ATTAINMENT, Cell::Percent),
    figure(Col::Score, l::SCORE, Cell::Score),
    figure(Col::Weight, l::WEIGHT, Cell::Score),
    figure(Col::Points, l::POINTS, Cell::Score),
    figure(Col::FullPoints, l::FULL_POINTS, Cell::Score),
];

/// The last column of the page (H).
const LAST_COL: u16 = COLUMNS.len() as u16 - 1;

/// Width of a text merged over `n` figure columns.
fn figures(n: u16) -> f64 {
    FIGURE_WIDTH * f64::from(n)
}
/// Width of the whole page's text.
const PAGE_WIDTH: f64 = LABEL_WIDTH + FIGURE_WIDTH * LAST_COL as f64;
/// Points a wrapped line of text takes.
const LINE: f64 = 15.0;

/// What every section writer needs: the sheet, the period, the person and
/// the heights of the rows set so far.
struct Sheet<'w, 'v, 'a> {
    ws: &'w mut Worksheet,
    view: &'v PeriodView<'a>,
    st: &'v Styles,
    person: usize,
    /// The sheet's name (sparklines refer to it).
    name: &'v str,
    rows: Rows,
}

pub fn sheet(
    ws: &mut Worksheet,
    view: &PeriodView<'_>,
    person: usize,
    name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    ws.set_screen_gridlines(false);
    for c in &COLUMNS {
        if let Some(width) = c.width {
            ws.set_column_width(c.key.into(), width)?;
        }
    }
    let mut s = Sheet {
        ws,
        view,
        st,
        person,
        name,
        rows: Rows::default(),
    };
    s.title()?;
    let mut row = s.identity(3)? + 1;
    let card = view.card(person);
    row = match card {
        Some(card) => {
            row = s.kpi_table(row, card)?;
            row = s.result(row + 1, card)?;
            row = s.trend(row + 1)?;
            s.improvement(row + 1, card)?
        }
        None => {
            row = s.incomplete(row)?;
            s.trend(row)? + 1
        }
    };
    let last = s.talk(row)?;
    s.print(last, card)
}

impl Sheet<'_, '_, '_> {
    fn title(&mut self) -> Result<(), XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        self.ws.merge_text(
            (0, 0),
            (0, LAST_COL),
            format!("{} — {}", lang.t(l::REVIEW_TITLE), view.result.period),
            &st.title,
        )?;
        self.rows.set(self.ws, 0, 26)?;
        self.ws.write_text(
            1,
            0,
            format!("{} · {}", view.plan.name, view.plan.company),
            &st.subtitle,
        )?;
        Ok(())
    }

    /// Name, department, manager beside staff id, role, period. Returns the
    /// next free row.
    fn identity(&mut self, mut row: u32) -> Result<u32, XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let p = &view.people[self.person];
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
                view.role_label(self.person),
            ),
            (l::MANAGER, manager.as_str(), l::PERIOD, period.as_str()),
        ];
        for (a, av, b, bv) in identity {
            let ws = &mut *self.ws;
            ws.write_text(row, 0, lang.t(a), &st.label)?;
            // Identity values come from the inputs: written as text.
            ws.merge_text((row, 1), (row, 3), av, &st.review.value)?;
            ws.merge_text((row, 4), (row, 5), lang.t(b), &st.label)?;
            ws.merge_text((row, 6), (row, LAST_COL), bv, &st.review.value)?;
            let height = wrapped_height(av, figures(3), LINE, 18.0).max(wrapped_height(
                bv,
                figures(2),
                LINE,
                18.0,
            ));
            self.rows.set(self.ws, row, height)?;
            row += 1;
        }
        Ok(row)
    }

    /// The improvement focus. Returns the next free row.
    fn improvement(&mut self, mut row: u32, card: &Scorecard) -> Result<u32, XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let title = lang.t(l::IMPROVEMENT);
        self.ws
            .merge_text((row, 0), (row, LAST_COL), title, &st.section)?;
        row += 1;
        let focus =
            improvement_focus(card).map(|(k, gain)| (lang.label(&view.plan.kpis[k].label), gain));
        let sentence = focus_sentence(lang, focus);
        self.ws
            .merge_text((row, 0), (row, LAST_COL), &sentence, &st.review.wrap)?;
        let height = wrapped_height(&sentence, PAGE_WIDTH, LINE, 30.0);
        self.rows.set(self.ws, row, height)?;
        Ok(row + 2)
    }

    /// An incomplete person: why there is no score, and the issues (up to
    /// twelve). Returns the next free row.
    fn incomplete(&mut self, mut row: u32) -> Result<u32, XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let title = lang.t(l::INCOMPLETE);
        self.ws
            .merge_text((row, 0), (row, LAST_COL), title, &st.section)?;
        row += 1;
        let why = lang.t(l::INCOMPLETE_REVIEW);
        self.ws
            .merge_text((row, 0), (row, LAST_COL), why, &st.review.wrap)?;
        let height = wrapped_height(why, PAGE_WIDTH, LINE, 30.0);
        self.rows.set(self.ws, row, height)?;
        row += 1;
        for d in view.issues_of(self.person).iter().take(12) {
            // Messages quote the inputs: written as text.
            let message = format!("• {}", d.render(lang));
            self.ws
                .merge_text((row, 0), (row, LAST_COL), &message, &st.note)?;
            let height = wrapped_height(&message, PAGE_WIDTH, LINE, 30.0);
            self.rows.set(self.ws, row, height)?;
            row += 1;
        }
        Ok(row + 1)
    }

    /// The talk: comments, actions, signatures, date. Each box is one tall
    /// merged row: the same box on paper as a block of short rows, at an
    /// eighth of the cells. Returns the last row written.
    fn talk(&mut self, mut row: u32) -> Result<u32, XlsxError> {
        let st = self.st;
        let lang = self.view.lang;
        for (title, lines) in [(l::COMMENTS, 6u32), (l::ACTIONS, 5)] {
            self.ws
                .merge_text((row, 0), (row, LAST_COL), lang.t(title), &st.section)?;
            row += 1;
            self.ws
                .merge_text((row, 0), (row, LAST_COL), "", &st.boxed)?;
            self.rows.set(self.ws, row, f64::from(lines) * 20.0)?;
            row += 2;
        }
        let ws = &mut *self.ws;
        ws.write_text(row, 0, lang.t(l::EMPLOYEE_SIGNATURE), &st.label)?;
        ws.merge_text((row, 1), (row, 3), "", &st.boxed)?;
        ws.merge_text((row, 4), (row, 5), lang.t(l::MANAGER_SIGNATURE), &st.label)?;
        ws.merge_text((row, 6), (row, LAST_COL), "", &st.boxed)?;
        self.rows.set(self.ws, row, 34)?;
        row += 2;
        let ws = &mut *self.ws;
        ws.write_text(row, 0, lang.t(l::TALK_DATE), &st.label)?;
        ws.merge_text((row, 1), (row, 3), "", &st.boxed)?;
        self.rows.set(self.ws, row, 22)?;
        Ok(row)
    }

    /// The review prints on one page; the calculation, for a scored
    /// person, on the next.
    fn print(mut self, row: u32, card: Option<&Scorecard>) -> Result<(), XlsxError> {
        let view = self.view;
        let p = &view.people[self.person];
        let last_col = LAST_COL.max(trend::last_col(view));
        let review_rows = row + 1;
        let mut row = row;
        if card.is_some() {
            row = self.calculation(row + 2)?;
            self.ws.set_page_breaks(&[review_rows + 1])?;
        }
        let ws = &mut *self.ws;
        print_setup(
            ws,
            false,
            None,
            &format!("{} · {}", view.plan.name, p.name),
            &view.result.period.to_string(),
        )?;
        // A scale of our own, not "fit to page": Excel ignores manual page
        // breaks under fit to page.
        let width: f64 = (0..=last_col).map(column_points).sum();
        ws.set_print_scale(one_page_scale(width, self.rows.total(review_rows)));
        ws.set_print_center_horizontally(true);
        ws.set_print_area(0, 0, row, last_col)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::layout::in_order;

    #[test]
    fn columns_are_listed_in_order() {
        assert!(in_order(&COLUMNS));
        assert_eq!(LAST_COL, 7);
    }
}
