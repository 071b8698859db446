//! The KPI part of the trail: each KPI's inputs with their cells, the
//! method's formula with the person's recorded numbers, the points, and the
//! weighted total.

use rust_decimal::Decimal;

use super::steps::method_steps;
use super::{Section, Trail, num};
use crate::input::{Case, Person};
use crate::lang::{Lang, tr};
use crate::plan::{Kpi, Method, OnFail};
use crate::score::{KpiLine, Scorecard};

impl Trail<'_, '_> {
    pub(super) fn month(&mut self, p: &Person, case: &Case, card: &Scorecard) {
        let applies = card.weight_applied;
        for (i, (kpi, line)) in self.src.plan.kpis.iter().zip(&card.kpis).enumerate() {
            if line.passed.is_none() && line.weight.is_zero() {
                continue;
            }
            let text = tr!(
                self.lang,
                "{}. {} ({}) — method {}",
                "{}. {}（{}）— 计分方法：{}",
                i + 1,
                self.lang.label(&kpi.label),
                kpi.id,
                method_name(&kpi.method, self.lang)
            );
            self.line(Section::Kpi, 0, text);
            let actual = case.values.get(kpi.actual).copied().flatten();
            let text = self.input(p, case, kpi.actual, actual);
            let text = tr!(self.lang, "actual: {}", "实际：{}", text);
            self.line(Section::Kpi, 1, text);
            let target = kpi.target_of(&case.values);
            if let Some(col) = kpi.target {
                let text = self.input(p, case, col, target);
                let text = tr!(self.lang, "target: {}", "目标：{}", text);
                self.line(Section::Kpi, 1, text);
            } else if let Some(v) = kpi.target_value {
                let text = tr!(
                    self.lang,
                    "target: {} (set in the plan)",
                    "目标：{}（方案中设定）",
                    num(v)
                );
                self.line(Section::Kpi, 1, text);
            }
            for text in method_steps(kpi, actual, target, line, self.lang) {
                self.line(Section::Kpi, 1, text);
            }
            self.kpi_points(kpi, line, applies);
        }
        if card.rescaled {
            let text = tr!(
                self.lang,
                "does not apply: weights of the KPIs without a target are dropped; the other weights ({}) are rescaled to 100",
                "不适用：无目标指标的权重不计入；其余权重（合计{}）按比例折算为100",
                num(applies)
            );
            self.line(Section::Total, 0, text);
        }
        let text = tr!(
            self.lang,
            "total = Σ score × weight ÷ Σ weight = {} ÷ {} = {}",
            "总分 = Σ 得分 × 权重 ÷ Σ 权重 = {} ÷ {} = {}",
            num(card.weighted_sum),
            num(applies),
            num(card.raw_total)
        );
        self.line(Section::Total, 0, text);
        self.total_rounding(card);
    }

    fn kpi_points(&mut self, kpi: &Kpi, line: &KpiLine, applies: Decimal) {
        match (line.passed, line.score) {
            (Some(passed), _) => {
                let lang = self.lang;
                let effect = match kpi.gate {
                    Some(g) if !passed => match (g.on_fail, g.cap_grade) {
                        (OnFail::ZeroTotal, _) => lang
                            .t(("failed: the total becomes 0", "未达标，总分计为0"))
                            .to_owned(),
                        (OnFail::CapGrade, Some(c)) => tr!(
                            lang,
                            "failed: the grade is at best {}",
                            "未达标，等级最高为{}",
                            self.src.plan.grades[c].grade
                        ),
                        (OnFail::CapGrade, None) => lang.t(("failed", "未达标")).to_owned(),
                    },
                    _ => lang.t(("passed", "达标")).to_owned(),
                };
                let text = tr!(
                    lang,
                    "gate (no weight): {}",
                    "门槛指标（不计权重）：{}",
                    effect
                );
                self.line(Section::Kpi, 1, text);
            }
            (None, Some(score)) => {
                let text = tr!(
                    self.lang,
                    "points: {} × {} ÷ {} = {}  (weight {}, share {} %)",
                    "加权得分：{} × {} ÷ {} = {}（权重{}，占比{}%）",
                    num(score),
                    num(line.weight),
                    num(applies),
                    num(line.points.unwrap_or_default()),
                    num(line.weight),
                    num(line.share)
                );
                self.line(Section::Kpi, 1, text);
            }
            (None, None) => {
                let text = tr!(
                    self.lang,
                    "does not apply (target 0 or blank): weight {} dropped",
                    "不适用（目标为0或空白）：权重{}不计入",
                    num(line.weight)
                );
                self.line(Section::Kpi, 1, text);
            }
        }
    }
}

/// The method as written in the plan; in Chinese its name with the plan's
/// word after it.
fn method_name(method: &Method, lang: Lang) -> String {
    let zh = match method {
        Method::Ratio { .. } => "达成率",
        Method::InverseRatio { .. } => "反向达成率",
        Method::Linear { .. } => "线性计分",
        Method::Bands { .. } => "分档计分",
        Method::Deduct { .. } => "扣分制",
        Method::Add { .. } => "加分制",
        Method::Rating { .. } => "评分制",
        Method::PassFail { .. } => "达标判定",
    };
    match lang {
        Lang::En => method.name().to_owned(),
        Lang::Zh => format!("{zh}（{}）", method.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;
    use crate::score::Step;

    /// Every run of digits and points, in order.
    fn numbers(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_ascii_digit() && c != '.')
            .map(|run| run.trim_matches('.'))
            .filter(|run| !run.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn method_steps_in_chinese_keep_the_numbers() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let plan = Plan::standard().unwrap();
        for kpi in &plan.kpis {
            let line = KpiLine {
                score: Some(d("120")),
                attainment: Some(d("1.3")),
                weight: d("40"),
                share: d("40"),
                points: Some(d("48")),
                passed: None,
                raw: Some(d("130")),
                step: Step::Band {
                    reached: Some(0),
                    interpolated: false,
                },
            };
            let steps = |lang| method_steps(kpi, Some(d("130")), Some(d("100")), &line, lang);
            let (en, zh) = (steps(Lang::En), steps(Lang::Zh));
            assert!(!en.is_empty(), "{}", kpi.id);
            assert_eq!(en.len(), zh.len(), "{}", kpi.id);
            for (en, zh) in en.iter().zip(&zh) {
                assert_eq!(numbers(en), numbers(zh), "{en}\n{zh}");
                assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
            }
        }
        let none = KpiLine {
            score: None,
            attainment: None,
            weight: d("40"),
            share: d("40"),
            points: None,
            passed: None,
            raw: None,
            step: Step::Formula,
        };
        let blank = method_steps(&plan.kpis[0], None, None, &none, Lang::Zh);
        assert!(blank.is_empty(), "{blank:?}");
    }
}
