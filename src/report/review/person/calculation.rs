//! The calculation trail (what `explain` prints) below the review: a
//! salesperson can check their own total and bonus from it.

use crate::report::text::WriteText;
use rust_xlsxwriter::XlsxError;

use super::page::DEFAULT_ROW;
use super::{LAST_COL, LINE, PAGE_WIDTH, Sheet};
use crate::report::explain::trail;
use crate::report::lang::{self as l};
use crate::report::styles::{text_width, wrapped_height};

impl Sheet<'_, '_, '_> {
    /// The trail from `row`. Returns the last row written.
    pub(super) fn calculation(&mut self, mut row: u32) -> Result<u32, XlsxError> {
        let (view, st) = (self.view, self.st);
        let lang = view.lang;
        let trail = trail(&view.sources, self.person, view.period_ix, lang);
        let title = lang.t(l::CALCULATION);
        self.ws
            .merge_text((row, 0), (row, LAST_COL), title, &st.section)?;
        row += 1;
        let note = lang.t(l::CALCULATION_NOTE);
        self.ws
            .merge_text((row, 0), (row, LAST_COL), note, &st.note)?;
        let height = wrapped_height(note, PAGE_WIDTH, LINE, 18.0);
        self.rows.set(self.ws, row, height)?;
        let mut section = None;
        let mut text = String::new();
        for line in &trail.lines {
            if section != Some(line.section) {
                row += 2;
                let heading = line.section.heading(lang);
                self.ws.write_text(row, 0, heading, &st.review.heading)?;
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
            if (text_width(&text) as f64) < PAGE_WIDTH * 0.85 {
                self.ws.write_plain(row, 0, &text)?;
            } else {
                self.ws
                    .merge_text((row, 0), (row, LAST_COL), &text, &st.review.wrap_top)?;
                let height = wrapped_height(&text, PAGE_WIDTH, LINE, DEFAULT_ROW);
                self.rows.set(self.ws, row, height)?;
            }
        }
        Ok(row)
    }
}
