//! The grade part of the trail: the plan's rule (thresholds, or the forced
//! distribution's quota as recorded), a cap by a failed gate, the grade.

use super::{Section, Trail, num};
use crate::lang::tr;
use crate::plan::{GradingMethod, Scope};
use crate::score::Scorecard;

impl Trail<'_, '_> {
    pub(super) fn grade(&mut self, card: &Scorecard) {
        let grades = &self.src.plan.grades;
        let lang = self.lang;
        let list = lang.t((", ", "、"));
        match self.src.plan.grading.method {
            GradingMethod::Thresholds => {
                let rule: Vec<String> = grades
                    .iter()
                    .map(|g| match g.min {
                        Some(m) => format!("{} ≥ {}", g.grade, num(m)),
                        None => tr!(lang, "{} below", "其余为{}", g.grade),
                    })
                    .collect();
                let text = tr!(
                    lang,
                    "thresholds on the total: {}",
                    "按总分分数线定级：{}",
                    rule.join(list)
                );
                self.line(Section::Grade, 0, text);
            }
            GradingMethod::ForcedDistribution => {
                let quotas: Vec<String> = grades
                    .iter()
                    .map(|g| {
                        let share = num(g.share.unwrap_or_default());
                        tr!(lang, "{} {} %", "{} {}%", g.grade, share)
                    })
                    .collect();
                let (scope, size) = match self.src.plan.grading.scope {
                    Scope::Company => (("the company", "全公司"), card.ranks.company),
                    Scope::Department => (("the department", "本部门"), card.ranks.department),
                };
                let scope = lang.t(scope);
                let counts: Vec<String> = grades
                    .iter()
                    .zip(card.quota.as_deref().unwrap_or_default())
                    .map(|(g, c)| format!("{} {c}", g.grade))
                    .collect();
                let text = tr!(
                    lang,
                    "forced distribution within {scope} ({} people): quotas {}; counts {} (top and bottom round_half_up(n × share), the middle the rest)",
                    "{scope}内强制分布（{}人）：比例 {}；人数 {}（最高和最低等级人数 = n × 比例，四舍五入；中间等级为其余人数）",
                    size.1,
                    quotas.join(list),
                    counts.join(list)
                );
                self.line(Section::Grade, 0, text);
                let text = tr!(
                    lang,
                    "place {} of {} down the ranking; a tie with the person above takes that person's grade",
                    "按排名依次定级：第{}名（共{}人）；与上一名同分者取其等级",
                    size.0,
                    size.1
                );
                self.line(Section::Grade, 0, text);
            }
        }
        if let (Some(before), Some(k)) = (card.uncapped_grade, card.grade_capped_by) {
            let text = tr!(
                lang,
                "{} by the rule, capped at {} because gate '{}' failed",
                "按规则为{0}；因门槛指标“{2}”未达标，等级最高为{1}",
                grades[before].grade,
                grades[card.grade].grade,
                self.gate_name(&self.src.plan.kpis[k])
            );
            self.line(Section::Grade, 0, text);
        }
        let g = &grades[card.grade];
        let text = tr!(
            lang,
            "grade: {} ({})",
            "等级：{}（{}）",
            g.grade,
            lang.label(&g.label)
        );
        self.line(Section::Grade, 0, text);
    }
}
