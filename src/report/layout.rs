//! Sheet layouts as tables of columns. A sheet lists its columns once, left
//! to right — header, width, cell format — and every column index and
//! letter is derived from that list: a column's key is an enum whose value
//! is its position (a unit test per table checks the order), so adding a
//! column moves every index and every formula letter with it.

use rust_xlsxwriter::Format;

use crate::report::styles::Styles;

/// One column of a sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column<K> {
    /// The column's key; `key as u16` is its index.
    pub key: K,
    /// The header, in English and Chinese.
    pub header: (&'static str, &'static str),
    /// Width in characters; None: fitted to the contents by the writer.
    pub width: Option<f64>,
    /// The format of the column's cells.
    pub format: Cell,
}

/// The format of a column's cells, one of the [`Styles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Text,
    Integer,
    Number,
    Percent,
    Score,
    ScoreBold,
    Money,
    Coefficient,
    /// Coloured by grade: the writer picks the grade's format.
    Grade,
}

impl Cell {
    /// The format in `st` (a grade column: the format of grade 0; the
    /// writer uses the person's grade).
    pub fn format(self, st: &Styles) -> &Format {
        match self {
            Cell::Text => &st.text,
            Cell::Integer => &st.integer,
            Cell::Number => &st.number,
            Cell::Percent => &st.percent,
            Cell::Score => &st.score,
            Cell::ScoreBold => &st.score_bold,
            Cell::Money => &st.money,
            Cell::Coefficient => &st.coefficient,
            Cell::Grade => st.grades.first().unwrap_or(&st.text),
        }
    }
}

/// A column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn letter(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Whether each column's key is its position (for the tables' unit tests).
pub fn in_order<K: Copy + Into<u16>>(columns: &[Column<K>]) -> bool {
    columns
        .iter()
        .enumerate()
        .all(|(i, c)| usize::from(c.key.into()) == i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(7), "H");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
        assert_eq!(letter(701), "ZZ");
        assert_eq!(letter(702), "AAA");
    }
}
