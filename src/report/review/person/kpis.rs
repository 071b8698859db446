//! The KPI table (a row per KPI under the [`COLUMNS`] headers, then the
//! total) and the result block: total, grade, bonus and ranks in words.

use crate::report::text::WriteText;
use rust_xlsxwriter::XlsxError;

use super::{COLUMNS, Col, LABEL_WIDTH, LAST_COL, LINE, PAGE_WIDTH, Sheet, figures};
use crate::report::lang::{self as l};
use crate::report::styles::wrapped_height;
use crate::report::text::{shown, to_f64};
use crate::report::words::ranks_sentence;
use crate::score::{KpiLine, Scorecard};

impl Sheet<'_, '_, '_> {
    /// The table from `row`. Returns the next free row.
    pub(super) fn kpi_table(&mut self, mut row: u32, card: &Scorecard) -> Result<u32, XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let title = lang.t(l::KPI_SECTION);
        self.ws
            .merge_text((row, 0), (row, LAST_COL), title, &st.section)?;
        row += 1;
        for c in &COLUMNS {
            let fmt = if c.key == Col::Kpi {
                &st.header_left
            } else {
                &st.header
            };
            self.ws
                .write_text(row, c.key.into(), lang.t(c.header), fmt)?;
        }
        self.rows.set(self.ws, row, 30)?;
        row += 1;
        for (k, line) in card.kpis.iter().enumerate() {
            self.kpi_row(row, k, line)?;
            row += 1;
        }
        // The points add up to the total (rounded once, as the plan says).
        let ws = &mut *self.ws;
        ws.write_text(row, 0, lang.t(l::WEIGHTED_TOTAL), &st.total_label)?;
        for c in u16::from(Col::Target)..=u16::from(Col::Weight) {
            ws.write_blank(row, c, &st.total_label)?;
        }
        let points = Col::Points.into();
        ws.write_number_with_format(row, points, to_f64(card.total), &st.total_score)?;
        ws.write_number_with_format(row, Col::FullPoints.into(), 100.0, &st.total_score)?;
        self.rows.set(self.ws, row, 18)?;
        row += 1;
        if card
            .kpis
            .iter()
            .any(|k| k.score.is_some() && k.share != k.weight)
        {
            let note = lang.t(l::RESCALED_NOTE);
            self.ws
                .merge_text((row, 0), (row, LAST_COL), note, &st.note)?;
            let height = wrapped_height(note, PAGE_WIDTH, LINE, 24.0);
            self.rows.set(self.ws, row, height)?;
            row += 1;
        }
        Ok(row)
    }

    /// KPI `k`'s row.
    fn kpi_row(&mut self, row: u32, k: usize, line: &KpiLine) -> Result<(), XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let format = |c: Col| COLUMNS[c as usize].format.format(st);
        let label = lang.label(&view.plan.kpis[k].label);
        let ws = &mut *self.ws;
        ws.write_text(row, Col::Kpi.into(), label, &st.review.text)?;
        let (target, actual) = view.target_actual(self.person, k);
        for (c, v) in [(Col::Target, target), (Col::Actual, actual)] {
            match v {
                Some(v) => ws.write_number_with_format(row, c.into(), to_f64(v), format(c))?,
                None => ws.write_blank(row, c.into(), &st.text)?,
            };
        }
        let c = Col::Attainment;
        match line.attainment {
            Some(a) => ws.write_number_with_format(row, c.into(), to_f64(a), format(c))?,
            None => ws.write_blank(row, c.into(), &st.text)?,
        };
        match line.score {
            Some(s) => {
                // The points a score of 100 would give: the share.
                let share = to_f64(shown(line.share, 2));
                for (c, v) in [
                    (Col::Score, to_f64(shown(s, 2))),
                    (Col::Weight, share),
                    (Col::FullPoints, share),
                ] {
                    ws.write_number_with_format(row, c.into(), v, format(c))?;
                }
            }
            None => {
                for c in [Col::Score, Col::Weight, Col::FullPoints] {
                    ws.write_text(row, c.into(), lang.t(l::NOT_APPLICABLE), &st.na)?;
                }
            }
        }
        let c = Col::Points;
        match line.points {
            Some(pt) => {
                ws.write_number_with_format(row, c.into(), to_f64(shown(pt, 2)), format(c))?
            }
            None => ws.write_blank(row, c.into(), &st.text)?,
        };
        let height = wrapped_height(label, LABEL_WIDTH, LINE, 18.0);
        self.rows.set(self.ws, row, height)
    }

    /// Total, grade and bonus, then the ranks in words, from `row`. Returns
    /// the next free row.
    pub(super) fn result(&mut self, row: u32, card: &Scorecard) -> Result<u32, XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let (letter, meaning) = view.grade_words(card.grade);
        let ws = &mut *self.ws;
        ws.write_text(row, 0, lang.t(l::WEIGHTED_TOTAL), &st.label)?;
        ws.merge_text((row, 1), (row, 2), "", &st.review.big)?;
        ws.write_number_with_format(row, 1, to_f64(card.total), &st.review.big)?;
        ws.write_text(row, 3, lang.t(l::GRADE), &st.label)?;
        ws.merge_text(
            (row, 4),
            (row, 5),
            format!("{letter}  {meaning}"),
            &st.grades_big[card.grade],
        )?;
        ws.write_text(row, 6, lang.t(l::BONUS), &st.label)?;
        match card.bonus {
            Some(b) => {
                ws.write_number_with_format(row, LAST_COL, to_f64(b), &st.review.big_money)?
            }
            None => ws.write_text(row, LAST_COL, "—", &st.na)?,
        };
        self.rows.set(self.ws, row, 30)?;
        let row = row + 1;
        self.ws.write_text(row, 0, lang.t(l::RANKS), &st.label)?;
        let p = &view.people[self.person];
        let sentence = ranks_sentence(
            lang,
            &card.ranks,
            &p.department,
            view.role_label(self.person),
        );
        self.ws
            .merge_text((row, 1), (row, LAST_COL), &sentence, &st.review.wrap)?;
        let height = wrapped_height(&sentence, figures(LAST_COL), LINE, 30.0);
        self.rows.set(self.ws, row, height)?;
        Ok(row + 1)
    }
}
