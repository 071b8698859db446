//! The scorecard's `Debug` form, which the output manifest hashes into each
//! period's fingerprint. It lists the figures a report shows and leaves out
//! the working recorded for the trail (raw results, steps, weight sums, the
//! quota, a year's months, the counted total, the pool's round-down): those
//! follow from the inputs and the plan, which the fingerprint already
//! covers, and leaving them out keeps fingerprints, and so the reuse of
//! unchanged periods, the same as before they were recorded.

use std::fmt;

use super::{BonusDetail, KpiLine, Scorecard};

impl fmt::Debug for KpiLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KpiLine")
            .field("score", &self.score)
            .field("attainment", &self.attainment)
            .field("weight", &self.weight)
            .field("share", &self.share)
            .field("points", &self.points)
            .field("passed", &self.passed)
            .finish()
    }
}

impl fmt::Debug for Scorecard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Scorecard");
        d.field("kpis", &self.kpis)
            .field("raw_total", &self.raw_total)
            .field("total", &self.total)
            .field("grade", &self.grade)
            .field("ranks", &self.ranks)
            .field("bonus", &self.bonus)
            .field("bonus_base", &self.bonus_base)
            .field("coefficient", &self.coefficient)
            .field("failed_gates", &self.failed_gates)
            .field("total_zeroed_by", &self.total_zeroed_by)
            .field("uncapped_grade", &self.uncapped_grade)
            .field("grade_capped_by", &self.grade_capped_by)
            .field("bonus_unrounded", &self.bonus_unrounded)
            .field("bonus_detail", &self.bonus_detail);
        // Month-end close: shown (and so hashed into the report
        // fingerprints) only when present, so other cards hash as before.
        // The reason, approver and dates are on the trail, not in the inputs.
        if let Some(p) = &self.proration {
            d.field("proration", p)
                .field("prorated_targets", &self.prorated_targets)
                .field("bonus_before_proration", &self.bonus_before_proration);
        }
        if !self.adjustments.is_empty() {
            d.field("adjustments", &self.adjustments);
        }
        d.finish()
    }
}

impl fmt::Debug for BonusDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BonusDetail::Coefficient { base, coefficient } => f
                .debug_struct("Coefficient")
                .field("base", base)
                .field("coefficient", coefficient)
                .finish(),
            BonusDetail::ScoreLinear {
                base, total, cap, ..
            } => f
                .debug_struct("ScoreLinear")
                .field("base", base)
                .field("total", total)
                .field("cap", cap)
                .finish(),
            BonusDetail::Commission {
                actual,
                target,
                slices,
                uncapped,
                cap,
            } => f
                .debug_struct("Commission")
                .field("actual", actual)
                .field("target", target)
                .field("slices", slices)
                .field("uncapped", uncapped)
                .field("cap", cap)
                .finish(),
            BonusDetail::Pool {
                department,
                pool,
                fixed,
                base,
                coefficient,
                weight,
                weight_sum,
                exact,
                extra,
                ..
            } => f
                .debug_struct("Pool")
                .field("department", department)
                .field("pool", pool)
                .field("fixed", fixed)
                .field("base", base)
                .field("coefficient", coefficient)
                .field("weight", weight)
                .field("weight_sum", weight_sum)
                .field("exact", exact)
                .field("extra", extra)
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hashed_form_leaves_out_the_working() {
        let mut line = KpiLine::default();
        let plain = format!("{line:?}");
        line.raw = Some(rust_decimal::Decimal::ONE);
        line.step = super::super::Step::BelowGate;
        assert_eq!(format!("{line:?}"), plain);
        assert_eq!(
            plain,
            "KpiLine { score: None, attainment: None, weight: 0, share: 0, points: None, passed: None }"
        );
    }
}
