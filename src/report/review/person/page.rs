//! The printed page: row heights as set, column widths in points, and the
//! scale at which the review fits one A4 page.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::COLUMNS;

/// Row heights as set, to size the printed page (rows left alone are
/// [`DEFAULT_ROW`] high). Rows are laid out top to bottom, so a plain
/// vector indexed by row holds them.
#[derive(Default)]
pub(super) struct Rows(Vec<f64>);

impl Rows {
    pub(super) fn set(
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
    pub(super) fn total(&self, n: u32) -> f64 {
        let n = n as usize;
        let set: f64 = self.0.iter().take(n).sum();
        set + n.saturating_sub(self.0.len()) as f64 * DEFAULT_ROW
    }
}

/// A row's default height, in points.
pub(super) const DEFAULT_ROW: f64 = 15.0;

/// Excel's default column width, in characters.
const DEFAULT_WIDTH: f64 = 8.43;

/// A column's printed width in points: Excel's `width × 7 + 5` pixels at
/// 96 dpi for the sheet's font, 0.75 points a pixel.
pub(super) fn column_points(col: u16) -> f64 {
    let chars = COLUMNS
        .get(usize::from(col))
        .and_then(|c| c.width)
        .unwrap_or(DEFAULT_WIDTH);
    ((chars * 7.0 + 0.5).floor() + 5.0) * 0.75
}

/// The print scale (percent) at which a page `width` × `height` points
/// fits the printable area of A4 portrait inside the margins
/// `print_setup` sets (0.5 inch left and right, 0.6 inch top and bottom),
/// with a little room for a printer's font metrics.
pub(super) fn one_page_scale(width: f64, height: f64) -> u16 {
    const PRINTABLE_WIDTH: f64 = 595.3 - 2.0 * 36.0;
    const PRINTABLE_HEIGHT: f64 = 841.9 - 2.0 * 43.2;
    let fit = (PRINTABLE_WIDTH / width).min(PRINTABLE_HEIGHT / height) * 0.96;
    (fit * 100.0).floor().clamp(10.0, 100.0) as u16
}

#[cfg(test)]
mod tests {
    use super::super::LAST_COL;
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
