//! English and Chinese: the one text mechanism every layer uses.
//!
//! * A fixed text is a pair `(english, chinese)` picked with [`Lang::t`].
//! * A text with values is written with [`tr!`]: one format string per
//!   language, the same arguments.
//! * A text that comes from data (a plan's KPI or grade label, a
//!   diagnostic's message) carries both languages and implements
//!   [`Bilingual`]; [`Lang::label`] picks one.
//!
//! This is the ground floor: it imports nothing from the crate.

/// The language of headings, sheet names and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// A text held in both languages.
pub trait Bilingual {
    fn en(&self) -> &str;
    fn zh(&self) -> &str;
}

impl Lang {
    /// Picks the text in this language.
    pub fn label(self, label: &impl Bilingual) -> &str {
        match self {
            Lang::En => label.en(),
            Lang::Zh => label.zh(),
        }
    }

    /// A fixed text: `(english, chinese)`.
    pub fn t(self, (en, zh): (&'static str, &'static str)) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// A formatted text in the language: `tr!(lang, "en {}", "中文{}", arg)`.
macro_rules! tr {
    ($lang:expr, $en:literal, $zh:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::lang::Lang::En => format!($en $(, $arg)*),
            $crate::lang::Lang::Zh => format!($zh $(, $arg)*),
        }
    };
}

pub(crate) use tr;

/// Full-width ASCII variants (`１２３`, `，`, `％`) and the ideographic space
/// become their ASCII forms; everything else is unchanged.
pub fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2212}' => '-',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mechanism_for_fixed_and_formatted_text() {
        assert_eq!(Lang::Zh.t(("Total", "总分")), "总分");
        assert_eq!(Lang::En.t(("Total", "总分")), "Total");
        assert_eq!(
            tr!(Lang::En, "{} of {}", "第{}名（共{}人）", 3, 9),
            "3 of 9"
        );
        assert_eq!(
            tr!(Lang::Zh, "{} of {}", "第{}名（共{}人）", 3, 9),
            "第3名（共9人）"
        );
    }

    #[test]
    fn full_width_forms_become_ascii() {
        let s: String = "２０２６－１０　８５％".chars().map(halfwidth).collect();
        assert_eq!(s, "2026-10 85%");
    }
}
