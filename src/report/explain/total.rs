//! The total part of the trail: the rounding and, for a year to date, the
//! monthly totals it is the mean of.

use super::{Section, Trail, mode_name, num, period_text};
use crate::lang::tr;
use crate::score::Scorecard;

impl Trail<'_, '_> {
    pub(super) fn total_rounding(&mut self, card: &Scorecard) {
        let r = &self.src.plan.rounding;
        let rounded = card.rounded_total;
        let text = tr!(
            self.lang,
            "rounded to {} decimals, {}: {}",
            "保留{}位小数，{}：{}",
            r.total_decimals,
            mode_name(r.mode, self.lang),
            rounded
        );
        self.line(Section::Total, 0, text);
        if let Some(k) = card.total_zeroed_by {
            let kpi = &self.src.plan.kpis[k];
            let text = tr!(
                self.lang,
                "gate '{}' failed: total = {}",
                "门槛指标“{}”未达标：总分 = {}",
                self.gate_name(kpi),
                card.total
            );
            self.line(Section::Total, 0, text);
        }
        let text = tr!(self.lang, "final total: {}", "最终总分：{}", card.total);
        self.line(Section::Total, 0, text);
    }

    pub(super) fn year(&mut self, card: &Scorecard) {
        let (months, sum) = card
            .year
            .as_deref()
            .map(|y| (y.months.as_slice(), y.sum))
            .unwrap_or_default();
        let listed: Vec<String> = months
            .iter()
            .map(|(period, total)| {
                tr!(
                    self.lang,
                    "{}: {}",
                    "{}：{}",
                    period_text(*period, self.lang),
                    total
                )
            })
            .collect();
        let text = tr!(
            self.lang,
            "monthly totals: {}",
            "各月总分：{}",
            listed.join(self.lang.t(("; ", "；")))
        );
        self.line(Section::Total, 0, text);
        let text = tr!(
            self.lang,
            "year to date = mean of the monthly totals = {} ÷ {} = {}",
            "年度累计 = 各月总分的平均值 = {} ÷ {} = {}",
            num(sum),
            months.len(),
            num(card.raw_total)
        );
        self.line(Section::Total, 0, text);
        self.total_rounding(card);
    }
}
