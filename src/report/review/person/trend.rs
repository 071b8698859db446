//! The trend table: the total and each KPI score per month so far, with a
//! sparkline per row.

use crate::report::text::WriteText;
use rust_xlsxwriter::{Sparkline, SparklineType, XlsxError};

use super::{LABEL_WIDTH, LAST_COL, LINE, Sheet};
use crate::report::lang::{self as l};
use crate::report::styles::{INK, wrapped_height};
use crate::report::text::{shown, to_f64};
use crate::report::view::PeriodView;
use crate::score::{PeriodResult, Scorecard};

/// The months shown in the trend: up to and including the period.
fn months<'v, 'a>(view: &'v PeriodView<'a>) -> &'v [&'a PeriodResult] {
    view.history.as_slice()
}

/// The last column the trend table uses (months, then the sparkline).
pub(super) fn last_col(view: &PeriodView<'_>) -> u16 {
    months(view).len() as u16 + 1
}

fn card_of(m: &PeriodResult, person: usize) -> Option<&Scorecard> {
    m.people.get(person).and_then(|r| r.card.as_ref())
}

/// A row of the table: its label, a value per month, whether bold.
type TrendRow = (String, Vec<Option<f64>>, bool);

impl Sheet<'_, '_, '_> {
    /// The table from `row`. Returns the next free row.
    pub(super) fn trend(&mut self, mut row: u32) -> Result<u32, XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let months = months(view);
        if months.is_empty() {
            return Ok(row);
        }
        let spark_col = months.len() as u16 + 1;
        let title = lang.t(l::TREND);
        self.ws
            .merge_text((row, 0), (row, LAST_COL.max(spark_col)), title, &st.section)?;
        row += 1;
        self.ws
            .write_text(row, 0, lang.t(l::PERIOD), &st.header_left)?;
        for (i, m) in months.iter().enumerate() {
            self.ws
                .write_text(row, 1 + i as u16, m.period.to_string(), &st.header)?;
        }
        self.ws
            .write_text(row, spark_col, lang.t(l::TREND), &st.header)?;
        row += 1;
        for line in self.trend_rows(months) {
            self.trend_row(row, spark_col, line)?;
            row += 1;
        }
        Ok(row)
    }

    /// The total, then each KPI's score, per month.
    fn trend_rows(&self, months: &[&PeriodResult]) -> Vec<TrendRow> {
        let (view, person) = (self.view, self.person);
        let lang = view.lang;
        let mut lines: Vec<TrendRow> = Vec::new();
        lines.push((
            lang.t(l::WEIGHTED_TOTAL).to_owned(),
            months
                .iter()
                .map(|m| card_of(m, person).map(|c| to_f64(c.total)))
                .collect(),
            true,
        ));
        for (k, kpi) in view.plan.kpis.iter().enumerate() {
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
        lines
    }

    fn trend_row(&mut self, row: u32, spark_col: u16, line: TrendRow) -> Result<(), XlsxError> {
        let st = self.st;
        let (label, values, bold) = line;
        let ws = &mut *self.ws;
        let label_format = if bold {
            &st.review.bold
        } else {
            &st.review.text
        };
        ws.write_text(row, 0, &label, label_format)?;
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
        let height = wrapped_height(&label, LABEL_WIDTH, LINE, 17.0);
        self.rows.set(self.ws, row, height)?;
        if values.iter().any(Option::is_some) {
            let spark = Sparkline::new()
                .set_range((self.name, row, 1, row, spark_col - 1))
                .set_type(SparklineType::Line)
                .show_markers(true)
                .set_sparkline_color(INK);
            self.ws.add_sparkline(row, spark_col, &spark)?;
        }
        Ok(())
    }
}
