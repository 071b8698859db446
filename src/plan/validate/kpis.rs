//! `[[kpis]]`: each KPI's columns, and its scoring method's settings
//! checked method by method; a `pass_fail` gate names a grade.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::Problems;
use super::columns::Columns;
use crate::plan::file::{
    BandFile, Direction, KpiFile, Method, OnFail, TableKind, TargetFile, ZeroActual,
};
use crate::plan::parse::Broken;
use crate::plan::{Column, Gate, Grade, Kpi};

/// Resolves every KPI; also returns KPI id → index.
pub(super) fn resolve<'a>(
    raw: &'a [KpiFile],
    cols: &Columns<'_>,
    grades: &[Grade],
    broken: &Broken,
    p: &mut Problems,
) -> (Vec<Kpi>, HashMap<&'a str, usize>) {
    let mut kpis = Vec::with_capacity(raw.len());
    let mut kpi_ids: HashMap<&str, usize> = HashMap::new();
    for (i, k) in raw.iter().enumerate() {
        let kkey = format!("kpis[{i}]");
        if kpi_ids.insert(k.id.as_str(), i).is_some() {
            p.add(
                format!("{kkey}.id"),
                format!("KPI '{}' is declared twice", k.id),
            );
        }
        kpis.push(kpi(k, &kkey, cols, grades, broken, p));
    }
    if kpis.is_empty() && broken.kpis.is_empty() {
        p.add("kpis", "the plan has no KPIs");
    }
    (kpis, kpi_ids)
}

/// One KPI at `kkey` (`kpis[i]`).
fn kpi(
    k: &KpiFile,
    kkey: &str,
    cols: &Columns<'_>,
    grades: &[Grade],
    broken: &Broken,
    p: &mut Problems,
) -> Kpi {
    let actual = cols.number(
        format!("{kkey}.score.actual"),
        &k.score.actual,
        &[TableKind::Results],
        p,
    );
    let (target, target_value) = match &k.score.target {
        None => (None, None),
        Some(TargetFile::Column(t)) => (
            cols.number(
                format!("{kkey}.score.target"),
                t,
                &[TableKind::Targets, TableKind::Results, TableKind::Staff],
                p,
            ),
            None,
        ),
        Some(TargetFile::Value(v)) => (None, Some(*v)),
    };
    let method = &k.score.method;
    let mkey = |field: &str| format!("{kkey}.score.{field}");
    let column = actual.map(|ix| &cols.columns[ix]);
    let gate = check_method(
        method,
        k.score.target.is_some(),
        column,
        kkey,
        grades,
        broken,
        p,
    );
    let bounds = match method {
        Method::Ratio { floor, cap, .. }
        | Method::InverseRatio { floor, cap, .. }
        | Method::Linear { floor, cap, .. }
        | Method::Deduct { floor, cap, .. }
        | Method::Add { floor, cap, .. } => (*floor, *cap),
        _ => (None, None),
    };
    if let (Some(lo), Some(hi)) = bounds
        && lo > hi
    {
        p.add(mkey("floor"), format!("floor {lo} is above cap {hi}"));
    }
    Kpi {
        id: k.id.clone(),
        label: k.label.clone(),
        group: k.group.clone(),
        method: method.clone(),
        actual: actual.unwrap_or(0),
        target,
        target_value,
        gate,
    }
}

/// The settings of a KPI's scoring method, checked method by method
/// (`column`: the actual column, once resolved). Returns the gate of a
/// `pass_fail` KPI.
fn check_method(
    method: &Method,
    has_target: bool,
    column: Option<&Column>,
    kkey: &str,
    grades: &[Grade],
    broken: &Broken,
    p: &mut Problems,
) -> Option<Gate> {
    let mkey = |field: &str| format!("{kkey}.score.{field}");
    let mut gate = None;
    match method {
        Method::Ratio { gate: g, .. } => {
            if !has_target {
                p.add(
                    mkey("target"),
                    "a ratio KPI needs a target (a column or a number)",
                );
            }
            if g.is_some_and(|g| g < Decimal::ZERO) {
                p.add(
                    mkey("gate"),
                    "gate is an attainment such as 0.5; it cannot be negative",
                );
            }
        }
        Method::InverseRatio {
            cap, zero_actual, ..
        } => {
            if !has_target {
                p.add(
                    mkey("target"),
                    "an inverse_ratio KPI needs a target (a column or a number)",
                );
            }
            if *zero_actual == ZeroActual::Cap && cap.is_none() {
                p.add(
                    mkey("zero_actual"),
                    "zero_actual = \"cap\" (the default) needs a cap; set cap or zero_actual = \"full\" or \"not_applicable\"",
                );
            }
        }
        Method::Linear { zero, full, .. } if zero == full => {
            p.add(mkey("full"), "full must differ from zero");
        }
        Method::Rating { max, min } => {
            rating(*max, *min, column, &mkey, p);
        }
        Method::Bands {
            bands, direction, ..
        } => bands_rise_or_fall(bands, *direction, kkey, p),
        Method::PassFail {
            pass_min,
            pass_max,
            on_fail,
            cap_grade,
        } => {
            if has_target {
                p.add(mkey("target"), "a pass_fail gate has no target");
            }
            gate = Some(pass_fail(
                (*pass_min, *pass_max),
                *on_fail,
                cap_grade.as_deref(),
                kkey,
                grades,
                broken,
                p,
            ));
        }
        _ => {}
    }
    gate
}

/// A rating's scale, and the actual column's range inside it (so a rating
/// off the scale is a data issue).
fn rating(
    max: Decimal,
    min: Option<Decimal>,
    column: Option<&Column>,
    mkey: &dyn Fn(&str) -> String,
    p: &mut Problems,
) {
    if max <= Decimal::ZERO {
        p.add(mkey("max"), "max must be above 0");
    }
    if min.is_some_and(|m| m >= max) {
        p.add(mkey("min"), "the scale's min must be below its max");
    }
    let Some(c) = column else {
        return;
    };
    if c.max.is_none_or(|cm| cm > max) {
        p.add(
            mkey("actual"),
            format!(
                "column '{}' must declare max = {max} (or less) so a rating off the scale is a data issue",
                c.id
            ),
        );
    }
    if let Some(m) = min
        && c.min.is_none_or(|cm| cm < m)
    {
        p.add(
            mkey("actual"),
            format!(
                "column '{}' must declare min = {m} (or more), the scale's min",
                c.id
            ),
        );
    }
}

/// Bands whose thresholds strictly rise or fall, as `direction` says.
fn bands_rise_or_fall(bands: &[BandFile], direction: Direction, kkey: &str, p: &mut Problems) {
    if bands.is_empty() {
        p.add(
            format!("{kkey}.score.bands"),
            "bands needs at least one { at, points }",
        );
    }
    for (b, pair) in bands.windows(2).enumerate() {
        let ok = match direction {
            Direction::Ascending => pair[1].at > pair[0].at,
            Direction::Descending => pair[1].at < pair[0].at,
        };
        if !ok {
            let how = match direction {
                Direction::Ascending => "rise (direction = \"ascending\")",
                Direction::Descending => "fall (direction = \"descending\")",
            };
            p.add(
                format!("{kkey}.score.bands[{}]", b + 1),
                format!(
                    "bands not monotonic: thresholds must strictly {how}, but {} follows {}",
                    pair[1].at, pair[0].at
                ),
            );
        }
    }
}

/// A pass_fail gate: its pass range, and the grade it caps at.
fn pass_fail(
    (pass_min, pass_max): (Option<Decimal>, Option<Decimal>),
    on_fail: OnFail,
    cap_grade: Option<&str>,
    kkey: &str,
    grades: &[Grade],
    broken: &Broken,
    p: &mut Problems,
) -> Gate {
    let mkey = |field: &str| format!("{kkey}.score.{field}");
    match (pass_min, pass_max) {
        (None, None) => p.add(
            format!("{kkey}.score"),
            "a pass_fail gate needs pass_min and/or pass_max",
        ),
        (Some(lo), Some(hi)) if lo > hi => {
            p.add(
                mkey("pass_min"),
                format!("pass_min {lo} is above pass_max {hi}"),
            );
        }
        _ => {}
    }
    let cap = match (on_fail, cap_grade) {
        (OnFail::CapGrade, None) => {
            p.add(
                mkey("on_fail"),
                "on_fail = \"cap_grade\" needs cap_grade = \"C\" (a grade)",
            );
            None
        }
        (OnFail::CapGrade, Some(g)) => {
            let ix = grades.iter().position(|grade| grade.grade == g);
            if ix.is_none() && !broken.grade(g) {
                p.add(mkey("cap_grade"), format!("no grade '{g}' in [[grades]]"));
            }
            ix
        }
        (OnFail::ZeroTotal, Some(_)) => {
            p.add(mkey("cap_grade"), "cap_grade needs on_fail = \"cap_grade\"");
            None
        }
        (OnFail::ZeroTotal, None) => None,
    };
    Gate {
        on_fail,
        cap_grade: cap,
    }
}
