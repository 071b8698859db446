//! `[[roles]]`: each role's names and its KPI weights, which sum to 100.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{HUNDRED, Problems, suggest};
use crate::plan::file::RoleFile;
use crate::plan::parse::Broken;
use crate::plan::{Kpi, Label, Role, normalize_header};

/// Resolves every role; also returns normalised role name → role.
pub(super) fn resolve(
    raw: &[RoleFile],
    kpis: &[Kpi],
    kpi_ids: &HashMap<&str, usize>,
    broken: &Broken,
    p: &mut Problems,
) -> (Vec<Role>, HashMap<String, usize>) {
    let mut roles = Vec::with_capacity(raw.len());
    let mut role_index = HashMap::new();
    for (i, r) in raw.iter().enumerate() {
        let rkey = format!("roles[{i}]");
        let weights = weights(r, &rkey, kpis, kpi_ids, broken, p);
        for text in std::iter::once(&r.name).chain(&r.aliases) {
            if role_index
                .insert(normalize_header(text), i)
                .is_some_and(|other| other != i)
            {
                p.add(
                    format!("{rkey}.aliases"),
                    format!("role name '{text}' is used by two roles"),
                );
            }
        }
        let label = r.label.clone().unwrap_or_else(|| Label {
            en: r.name.clone(),
            zh: r.name.clone(),
        });
        roles.push(Role {
            name: r.name.clone(),
            label,
            weights,
        });
    }
    if roles.is_empty() {
        p.add("roles", "the plan has no roles");
    }
    (roles, role_index)
}

/// A role's weight for each KPI (0 where it names none).
fn weights(
    r: &RoleFile,
    rkey: &str,
    kpis: &[Kpi],
    kpi_ids: &HashMap<&str, usize>,
    broken: &Broken,
    p: &mut Problems,
) -> Vec<Decimal> {
    let mut weights = vec![Decimal::ZERO; kpis.len()];
    for (kpi, w) in &r.weights {
        match kpi_ids.get(kpi.as_str()) {
            Some(&ix) if kpis[ix].gate.is_some() && !w.is_zero() => p.add(
                format!("{rkey}.weights.{kpi}"),
                format!("'{kpi}' is a pass_fail gate and carries no weight; remove it here"),
            ),
            Some(&ix) => weights[ix] = *w,
            None if broken.kpi(kpi) => {}
            None => p.add(
                format!("{rkey}.weights.{kpi}"),
                format!(
                    "no KPI '{kpi}' in [[kpis]]{}",
                    suggest(kpi, kpi_ids.keys().copied())
                ),
            ),
        }
        if *w < Decimal::ZERO {
            p.add(
                format!("{rkey}.weights.{kpi}"),
                "a weight cannot be negative",
            );
        }
    }
    let sum: Decimal = r.weights.values().sum();
    if sum != HUNDRED {
        p.add(
            format!("{rkey}.weights"),
            format!("role '{}': weights sum to {sum}, not 100", r.name),
        );
    }
    weights
}
