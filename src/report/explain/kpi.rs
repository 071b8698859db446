//! The KPI part of the trail: each KPI's inputs with their cells, the
//! method's formula with the person's recorded numbers, the points, and the
//! weighted total.

use rust_decimal::Decimal;

use super::{Section, Trail, blank, num};
use crate::input::{Case, Person};
use crate::lang::{Lang, tr};
use crate::plan::{BandMode, Direction, Kpi, Method, OnFail, ZeroActual};
use crate::score::{KpiLine, Scorecard, Step};

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

/// The method's formula with the person's numbers, as the scorecard's
/// line recorded them.
fn method_steps(
    kpi: &Kpi,
    actual: Option<Decimal>,
    target: Option<Decimal>,
    line: &KpiLine,
    lang: Lang,
) -> Vec<String> {
    let mut out = Vec::new();
    let score = line.score;
    let x = actual.map_or_else(|| blank(lang).to_owned(), num);
    let clamp_note = |raw: Decimal, floor: Option<Decimal>, cap: Option<Decimal>| {
        let mut notes = Vec::new();
        if let Some(c) = cap {
            notes.push(tr!(lang, "cap {}", "上限{}", num(c)));
        }
        if let Some(f) = floor {
            notes.push(tr!(lang, "floor {}", "下限{}", num(f)));
        }
        let notes = notes.join(lang.t((", ", "、")));
        let final_score = score.unwrap_or(raw);
        if final_score != raw {
            tr!(
                lang,
                "{} → {} ({notes})",
                "{} → {}（{notes}）",
                num(raw),
                num(final_score)
            )
        } else if notes.is_empty() {
            num(raw)
        } else {
            tr!(
                lang,
                "{}  (within {notes})",
                "{}（未触及{notes}）",
                num(raw)
            )
        }
    };
    match &kpi.method {
        Method::Ratio { gate, cap, floor } => {
            let Some(a) = line.attainment else {
                return out;
            };
            out.push(tr!(
                lang,
                "attainment = actual ÷ target = {x} ÷ {} = {}",
                "达成率 = 实际 ÷ 目标 = {x} ÷ {} = {}",
                target.map(num).unwrap_or_default(),
                num(a)
            ));
            match (line.step, line.raw) {
                (Step::BelowGate, _) => out.push(tr!(
                    lang,
                    "below the gate {}: score = 0",
                    "低于门槛{}：得分 = 0",
                    gate.map(num).unwrap_or_default()
                )),
                (_, Some(raw)) => out.push(tr!(
                    lang,
                    "score = attainment × 100 = {}",
                    "得分 = 达成率 × 100 = {}",
                    clamp_note(raw, *floor, *cap)
                )),
                (_, None) => {}
            }
        }
        Method::InverseRatio {
            cap,
            floor,
            zero_actual,
        } => match (line.attainment, score) {
            (Some(a), _) => {
                let Some(raw) = line.raw else {
                    return out;
                };
                out.push(tr!(
                    lang,
                    "lower is better: attainment = target ÷ actual = {} ÷ {x} = {}",
                    "越低越好：达成率 = 目标 ÷ 实际 = {} ÷ {x} = {}",
                    target.map(num).unwrap_or_default(),
                    num(a)
                ));
                out.push(tr!(
                    lang,
                    "score = attainment × 100 = {}",
                    "得分 = 达成率 × 100 = {}",
                    clamp_note(raw, *floor, *cap)
                ));
            }
            (None, Some(s)) => {
                let rule = lang.t(match zero_actual {
                    ZeroActual::Cap => ("the cap", "按上限计分"),
                    ZeroActual::Full => ("100", "计100分"),
                    ZeroActual::NotApplicable => ("does not apply", "不适用"),
                });
                out.push(tr!(
                    lang,
                    "actual of 0: scores {rule} (zero_actual): {}",
                    "实际为0（zero_actual）：{rule}，得分 = {}",
                    num(s)
                ));
            }
            (None, None) => {}
        },
        Method::Linear {
            zero,
            full,
            floor,
            cap,
        } => {
            if let (Some(_), Some(raw)) = (actual, line.raw) {
                out.push(tr!(
                    lang,
                    "score = (actual − {}) ÷ ({} − {}) × 100 = ({x} − {}) ÷ {} × 100 = {}",
                    "得分 = (实际 − {}) ÷ ({} − {}) × 100 = ({x} − {}) ÷ {} × 100 = {}",
                    num(*zero),
                    num(*full),
                    num(*zero),
                    num(*zero),
                    num(full - zero),
                    clamp_note(raw, *floor, *cap)
                ));
            }
        }
        Method::Bands {
            bands,
            mode,
            direction,
            below,
        } => {
            let rule: Vec<String> = bands
                .iter()
                .map(|b| format!("{} → {}", num(b.at), num(b.points)))
                .collect();
            let how = lang.t(match (mode, direction) {
                (BandMode::Steps, Direction::Ascending) => {
                    ("steps, at or above", "阶梯计分，达到档位即得")
                }
                (BandMode::Steps, Direction::Descending) => {
                    ("steps, at or below", "阶梯计分，不高于档位即得")
                }
                (BandMode::Interpolate, Direction::Ascending) => {
                    ("interpolated, higher is better", "档间插值，越高越好")
                }
                (BandMode::Interpolate, Direction::Descending) => {
                    ("interpolated, lower is better", "档间插值，越低越好")
                }
            });
            out.push(tr!(
                lang,
                "bands ({how}): {}; not reached: {}",
                "分档（{how}）：{}；未达最低档：{}",
                rule.join(lang.t((", ", "，"))),
                num(below.unwrap_or_default())
            ));
            let value = line.attainment.or(actual);
            if line.attainment.is_some() {
                out.push(tr!(
                    lang,
                    "value = actual ÷ target = {}",
                    "取值 = 实际 ÷ 目标 = {}",
                    value.map(num).unwrap_or_default()
                ));
            }
            if let (
                Some(v),
                Some(s),
                Step::Band {
                    reached,
                    interpolated,
                },
            ) = (value, score, line.step)
            {
                let band = |i: u16| bands.get(usize::from(i)).copied();
                match reached.and_then(|i| Some((i, band(i)?))) {
                    Some((i, lo)) if interpolated && band(i + 1).is_some() => {
                        let hi = band(i + 1).unwrap_or(lo);
                        out.push(tr!(
                            lang,
                            "score = {} + ({} − {}) ÷ ({} − {}) × ({} − {}) = {}",
                            "得分 = {} + ({} − {}) ÷ ({} − {}) × ({} − {}) = {}",
                            num(lo.points),
                            num(v),
                            num(lo.at),
                            num(hi.at),
                            num(lo.at),
                            num(hi.points),
                            num(lo.points),
                            num(s)
                        ));
                    }
                    Some((_, here)) => out.push(tr!(
                        lang,
                        "reaches {}: score = {}",
                        "达到{}档：得分 = {}",
                        num(here.at),
                        num(s)
                    )),
                    None => out.push(tr!(
                        lang,
                        "no band reached: score = {}",
                        "未达任何档位：得分 = {}",
                        num(s)
                    )),
                }
            }
        }
        Method::Deduct {
            start,
            per_unit,
            floor,
            cap,
        } => {
            if let (Some(_), Some(raw)) = (actual, line.raw) {
                out.push(tr!(
                    lang,
                    "score = {} − {} × {x} = {}",
                    "得分 = {} − {} × {x} = {}",
                    num(*start),
                    num(*per_unit),
                    clamp_note(raw, *floor, *cap)
                ));
            }
        }
        Method::Add {
            start,
            per_unit,
            floor,
            cap,
        } => {
            if let (Some(_), Some(raw)) = (actual, line.raw) {
                out.push(tr!(
                    lang,
                    "score = {} + {} × {x} = {}",
                    "得分 = {} + {} × {x} = {}",
                    num(*start),
                    num(*per_unit),
                    clamp_note(raw, *floor, *cap)
                ));
            }
        }
        Method::Rating { max, min } => {
            let scale = min.map_or_else(
                || tr!(lang, "up to {}", "满分{}", num(*max)),
                |m| tr!(lang, "{} to {}", "{}–{}分", num(m), num(*max)),
            );
            out.push(tr!(
                lang,
                "rating on a scale {scale}: score = {x} ÷ {} × 100 = {}",
                "评分（{scale}）：得分 = {x} ÷ {} × 100 = {}",
                num(*max),
                score.map(num).unwrap_or_default()
            ));
        }
        Method::PassFail {
            pass_min, pass_max, ..
        } => {
            let rule = match (pass_min, pass_max) {
                (Some(lo), Some(hi)) => {
                    tr!(
                        lang,
                        "{} ≤ actual ≤ {}",
                        "{} ≤ 实际 ≤ {}",
                        num(*lo),
                        num(*hi)
                    )
                }
                (Some(lo), None) => tr!(lang, "actual ≥ {}", "实际 ≥ {}", num(*lo)),
                (None, Some(hi)) => tr!(lang, "actual ≤ {}", "实际 ≤ {}", num(*hi)),
                (None, None) => String::new(),
            };
            out.push(tr!(lang, "passes when {rule}", "达标条件：{rule}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;

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
