//! Numbers in words for the review sheets: ranks ("3rd of 28 in the
//! company") and the improvement focus, in English or Chinese.

use rust_decimal::Decimal;

use super::text::two;
use crate::lang::{Lang, tr};
use crate::score::Ranks;

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`, `112th`.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The three ranks as a sentence.
pub fn ranks_sentence(lang: Lang, ranks: &Ranks, department: &str, role: &str) -> String {
    let (c, cn) = ranks.company;
    let (d, dn) = ranks.department;
    let (r, rn) = ranks.role;
    let (nth_c, nth_d, nth_r) = (ordinal(c), ordinal(d), ordinal(r));
    tr!(
        lang,
        "{nth_c} of {cn} in the company, {nth_d} of {dn} in {department}, {nth_r} of {rn} among {role}s",
        "公司第{c}名（共{cn}人），{department}第{d}名（共{dn}人），{role}中第{r}名（共{rn}人）"
    )
}

pub use crate::score::development::improvement_focus;

/// The improvement focus as a sentence.
pub fn focus_sentence(lang: Lang, focus: Option<(&str, Decimal)>) -> String {
    match focus {
        Some((kpi, gain)) => tr!(
            lang,
            "{kpi}: reaching target (a score of 100) would add {} points to the total score.",
            "{kpi}：达到目标（得分 100）可使总分提高 {} 分。",
            two(gain)
        ),
        None => lang
            .t((
                "Every KPI that applies is at or above target: keep it up.",
                "所有适用指标均已达到或超过目标，请继续保持。",
            ))
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{KpiLine, Scorecard};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .map(ordinal)
            .to_vec();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "112th"
            ]
        );
    }

    #[test]
    fn ranks_in_words() {
        let r = Ranks {
            company: (3, 28),
            department: (1, 7),
            role: (2, 16),
        };
        assert_eq!(
            ranks_sentence(Lang::En, &r, "East", "Sales Representative"),
            "3rd of 28 in the company, 1st of 7 in East, 2nd of 16 among Sales Representatives"
        );
        assert_eq!(
            ranks_sentence(Lang::Zh, &r, "华东", "销售代表"),
            "公司第3名（共28人），华东第1名（共7人），销售代表中第2名（共16人）"
        );
    }

    fn line(score: Option<&str>, share: &str) -> KpiLine {
        let share = d(share);
        let score = score.map(d);
        KpiLine {
            score,
            attainment: None,
            weight: share,
            share,
            points: score.map(|s| s * share / d("100")),
            ..KpiLine::default()
        }
    }

    #[test]
    fn focus_is_the_most_costly_shortfall() {
        // Worked example S001: sales 112.5 (w 40), customers 90 (20),
        // satisfaction 80 (15), complaints 80 (10), collaboration 80 (10),
        // training 75 (5). Shortfalls cost 20×0.10 = 2, 15×0.20 = 3,
        // 10×0.20 = 2, 10×0.20 = 2, 5×0.25 = 1.25: satisfaction, 3 points.
        let card = Scorecard {
            kpis: vec![
                line(Some("112.5"), "40"),
                line(Some("90"), "20"),
                line(Some("80"), "15"),
                line(Some("80"), "10"),
                line(Some("80"), "10"),
                line(Some("75"), "5"),
            ],
            raw_total: d("94.75"),
            total: d("94.75"),
            grade: 2,
            ranks: Ranks::default(),
            bonus: None,
            bonus_base: None,
            coefficient: None,
            ..Scorecard::default()
        };
        assert_eq!(improvement_focus(&card), Some((2, d("3"))));
        assert_eq!(
            focus_sentence(Lang::En, Some(("Customer satisfaction", d("3")))),
            "Customer satisfaction: reaching target (a score of 100) would add 3.00 points to the total score."
        );
        let mut perfect = card.clone();
        perfect.kpis = vec![
            line(Some("100"), "50"),
            line(None, "0"),
            line(Some("120"), "50"),
        ];
        assert_eq!(improvement_focus(&perfect), None);
    }
}
