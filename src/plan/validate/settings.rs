//! The plan's settings: its format, rounding and proration.

use rust_decimal::Decimal;

use super::Problems;
use crate::plan::file::PlanFile;

/// Checks the format number, the rounding decimals and the proration.
pub(super) fn check(raw: &PlanFile, p: &mut Problems) {
    if raw.format != 1 {
        p.add(
            "format",
            format!(
                "format {} is not supported; this version reads format 1",
                raw.format
            ),
        );
    }
    for (field, value) in [
        ("total_decimals", Some(raw.rounding.total_decimals)),
        ("money_decimals", Some(raw.rounding.money_decimals)),
        ("kpi_decimals", raw.rounding.kpi_decimals),
    ] {
        if value.is_some_and(|v| v > 10) {
            p.add(
                format!("rounding.{field}"),
                "at most 10 decimals are supported",
            );
        }
    }

    for (i, r) in raw.proration.ramp.iter().enumerate() {
        if *r <= Decimal::ZERO || *r > Decimal::ONE {
            p.add(
                format!("proration.ramp[{i}]"),
                "a ramp step is a fraction of the target above 0 and at most 1, e.g. 0.5",
            );
        }
    }
    if raw.proration.min_days > 31 {
        p.add("proration.min_days", "a month has at most 31 days");
    }
}
