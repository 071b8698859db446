//! `[[grades]]` under `[grading]`: thresholds that descend, or with forced
//! distribution shares that sum to 100 %.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{HUNDRED, Problems};
use crate::plan::Grade;
use crate::plan::file::{GradeFile, GradingFile, GradingMethod};
use crate::plan::parse::Broken;

/// Resolves the grades, best first.
pub(super) fn resolve(
    grading: &GradingFile,
    raw: &[GradeFile],
    broken: &Broken,
    p: &mut Problems,
) -> Vec<Grade> {
    let forced = grading.method == GradingMethod::ForcedDistribution;
    let mut grades = Vec::with_capacity(raw.len());
    let mut previous: Option<Decimal> = None;
    let mut quota = Decimal::ZERO;
    let mut grade_names: HashMap<&str, usize> = HashMap::new();
    for (i, g) in raw.iter().enumerate() {
        let gkey = format!("grades[{i}]");
        if grade_names.insert(g.grade.as_str(), i).is_some() {
            p.add(
                format!("{gkey}.grade"),
                format!("grade '{}' is declared twice", g.grade),
            );
        }
        let last = i + 1 == raw.len();
        if forced {
            if let Some(s) = share(g, &gkey, p) {
                quota += s;
            }
        } else {
            threshold(g, &gkey, last, &mut previous, p);
        }
        grades.push(Grade {
            grade: g.grade.clone(),
            min: g.min,
            share: g.share,
            label: g.label.clone(),
        });
    }
    if grades.is_empty() && broken.grades.is_empty() {
        p.add("grades", "the plan has no grades");
    }
    if forced && !grades.is_empty() && quota != HUNDRED {
        let how = if quota > HUNDRED { "over" } else { "not" };
        p.add("grades", format!("quotas sum to {quota} %, {how} 100 %"));
    }
    grades
}

/// A forced-distribution grade's share, when it is a percentage.
fn share(g: &GradeFile, gkey: &str, p: &mut Problems) -> Option<Decimal> {
    if g.min.is_some() {
        p.add(
            format!("{gkey}.min"),
            "with forced distribution grades have a share, not a min",
        );
    }
    match g.share {
        None => p.add(
            gkey,
            "with forced distribution every grade needs share = percent",
        ),
        Some(s) if s < Decimal::ZERO || s > HUNDRED => p.add(
            format!("{gkey}.share"),
            format!("share {s} is not a percentage between 0 and 100"),
        ),
        Some(s) => return Some(s),
    }
    None
}

/// A threshold grade's min, below the grade above (`previous`); only the
/// last grade may omit it.
fn threshold(
    g: &GradeFile,
    gkey: &str,
    last: bool,
    previous: &mut Option<Decimal>,
    p: &mut Problems,
) {
    if g.share.is_some() {
        p.add(
            format!("{gkey}.share"),
            "share needs [grading] method = \"forced_distribution\"",
        );
    }
    match (g.min, last) {
        (None, false) => p.add(format!("{gkey}.min"), "only the last grade may omit min"),
        (Some(m), _) => {
            if previous.is_some_and(|prev| m >= prev) {
                p.add(
                    format!("{gkey}.min"),
                    format!("thresholds must descend: {m} is not below the grade above"),
                );
            }
            *previous = Some(m);
        }
        (None, true) => {}
    }
}
