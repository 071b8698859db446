//! Plan validation: every problem at once, each naming its key (and, once
//! located in the text, its line and column).

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::file::ArrivesFile;
use super::file::{
    BonusRule, ColumnKind, Direction, GradingMethod, Method, OnFail, PlanFile, TableKind,
    TargetFile, ZeroActual,
};
use super::parse::Broken;
use super::problem::PlanError;
use super::problem::PlanProblem;
use super::{
    Bonus, Column, Gate, Grade, Grading, KeyColumns, Kpi, Plan, Role, Tier, normalize_header,
};

#[derive(Default)]
struct Problems(Vec<PlanProblem>);

impl Problems {
    fn add(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.0.push(PlanProblem {
            key: key.into(),
            message: message.into(),
            at: None,
        });
    }
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// The columns the engine needs, with the table each must live in.
const ENGINE_COLUMNS: [(&str, TableKind); 6] = [
    ("staff_id", TableKind::Key),
    ("period", TableKind::Key),
    ("name", TableKind::Staff),
    ("department", TableKind::Staff),
    ("role", TableKind::Staff),
    ("manager_id", TableKind::Staff),
];

pub(super) fn resolve(
    raw: PlanFile,
    broken: &Broken,
    found: Vec<PlanProblem>,
) -> Result<Plan, PlanError> {
    let mut p = Problems(found);
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

    // Columns.
    let mut columns = Vec::with_capacity(raw.columns.len());
    let mut header_index: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, c) in raw.columns.iter().enumerate() {
        let key = format!("columns[{i}]");
        if let Some(first) = ids.insert(c.id.as_str(), i) {
            p.add(
                format!("{key}.id"),
                format!(
                    "column '{}' is declared twice (also columns[{first}])",
                    c.id
                ),
            );
        }
        if let (Some(lo), Some(hi)) = (c.min, c.max)
            && lo > hi
        {
            p.add(format!("{key}.min"), format!("min {lo} is above max {hi}"));
        }
        for text in std::iter::once(&c.id).chain(&c.aliases) {
            let norm = normalize_header(text);
            if norm.is_empty() {
                p.add(format!("{key}.aliases"), "an alias is empty");
                continue;
            }
            if let Some(&other) = header_index.get(&norm) {
                if other != i {
                    p.add(
                        format!("{key}.aliases"),
                        format!(
                            "header '{text}' already names column '{}'",
                            raw.columns[other].id
                        ),
                    );
                }
            } else {
                header_index.insert(norm, i);
            }
        }
        let arrives = match &c.arrives {
            None => None,
            Some(a) => arrival(a, c.kind, c.min, c.max, &key, &mut p),
        };
        columns.push(Column {
            id: c.id.clone(),
            table: c.table,
            kind: c.kind,
            required: c.required.unwrap_or(true),
            min: c.min,
            max: c.max,
            percent: c.percent,
            arrives,
            display: c.aliases.first().cloned().unwrap_or_else(|| c.id.clone()),
            display_zh: c
                .aliases
                .iter()
                .find(|a| !a.is_ascii())
                .cloned()
                .unwrap_or_else(|| c.id.clone()),
        });
    }
    let mut engine = [0usize; 6];
    for (slot, (id, table)) in engine.iter_mut().zip(ENGINE_COLUMNS) {
        match ids.get(id) {
            Some(&ix) if columns[ix].table == table => *slot = ix,
            Some(&ix) => p.add(
                format!("columns[{ix}].table"),
                format!("column '{id}' must be in table '{}'", table_name(table)),
            ),
            None if broken.column(id) => {}
            None => p.add(
                "columns",
                format!("column '{id}' is missing; the engine needs it"),
            ),
        }
    }
    let key = KeyColumns {
        staff_id: engine[0],
        period: engine[1],
        name: engine[2],
        department: engine[3],
        role: engine[4],
        manager_id: engine[5],
    };
    // A number column by id, or a problem at `at`.
    let number_column =
        |at: String, id: &str, tables: &[TableKind], p: &mut Problems| match ids.get(id) {
            Some(&ix) if !matches!(columns[ix].kind, ColumnKind::Number) => {
                p.add(at, format!("column '{id}' is not a number column"));
                None
            }
            Some(&ix) if !tables.contains(&columns[ix].table) => {
                let names: Vec<&str> = tables.iter().map(|t| table_name(*t)).collect();
                p.add(
                    at,
                    format!(
                        "column '{id}' is in table '{}'; it must be in {}",
                        table_name(columns[ix].table),
                        names.join(" or ")
                    ),
                );
                None
            }
            Some(&ix) => Some(ix),
            None if broken.column(id) => None,
            None => {
                p.add(
                    at,
                    format!(
                        "no column '{id}' is declared under [[columns]]{}",
                        suggest(id, ids.keys().copied())
                    ),
                );
                None
            }
        };

    // Grades first: pass_fail gates name one.
    let forced = raw.grading.method == GradingMethod::ForcedDistribution;
    let mut grades = Vec::with_capacity(raw.grades.len());
    let mut previous: Option<Decimal> = None;
    let mut quota = Decimal::ZERO;
    let mut grade_names: HashMap<&str, usize> = HashMap::new();
    for (i, g) in raw.grades.iter().enumerate() {
        let gkey = format!("grades[{i}]");
        if grade_names.insert(g.grade.as_str(), i).is_some() {
            p.add(
                format!("{gkey}.grade"),
                format!("grade '{}' is declared twice", g.grade),
            );
        }
        let last = i + 1 == raw.grades.len();
        if forced {
            if g.min.is_some() {
                p.add(
                    format!("{gkey}.min"),
                    "with forced distribution grades have a share, not a min",
                );
            }
            match g.share {
                None => p.add(
                    gkey.clone(),
                    "with forced distribution every grade needs share = percent",
                ),
                Some(s) if s < Decimal::ZERO || s > HUNDRED => p.add(
                    format!("{gkey}.share"),
                    format!("share {s} is not a percentage between 0 and 100"),
                ),
                Some(s) => quota += s,
            }
        } else {
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
                    previous = Some(m);
                }
                (None, true) => {}
            }
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
    let grade_ix = |name: &str| grades.iter().position(|g| g.grade == name);

    // KPIs.
    let mut kpis = Vec::with_capacity(raw.kpis.len());
    let mut kpi_ids: HashMap<&str, usize> = HashMap::new();
    for (i, k) in raw.kpis.iter().enumerate() {
        let kkey = format!("kpis[{i}]");
        if kpi_ids.insert(k.id.as_str(), i).is_some() {
            p.add(
                format!("{kkey}.id"),
                format!("KPI '{}' is declared twice", k.id),
            );
        }
        let actual = number_column(
            format!("{kkey}.score.actual"),
            &k.score.actual,
            &[TableKind::Results],
            &mut p,
        );
        let (target, target_value) = match &k.score.target {
            None => (None, None),
            Some(TargetFile::Column(t)) => (
                number_column(
                    format!("{kkey}.score.target"),
                    t,
                    &[TableKind::Targets, TableKind::Results, TableKind::Staff],
                    &mut p,
                ),
                None,
            ),
            Some(TargetFile::Value(v)) => (None, Some(*v)),
        };
        let has_target = k.score.target.is_some();
        let method = &k.score.method;
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
                if *max <= Decimal::ZERO {
                    p.add(mkey("max"), "max must be above 0");
                }
                if min.is_some_and(|m| m >= *max) {
                    p.add(mkey("min"), "the scale's min must be below its max");
                }
                if let Some(ix) = actual {
                    let c = &columns[ix];
                    if c.max.is_none_or(|cm| cm > *max) {
                        p.add(
                            mkey("actual"),
                            format!(
                                "column '{}' must declare max = {max} (or less) so a rating off the scale is a data issue",
                                c.id
                            ),
                        );
                    }
                    if let Some(m) = min
                        && c.min.is_none_or(|cm| cm < *m)
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
            }
            Method::Bands {
                bands, direction, ..
            } => {
                if bands.is_empty() {
                    p.add(mkey("bands"), "bands needs at least one { at, points }");
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
            Method::PassFail {
                pass_min,
                pass_max,
                on_fail,
                cap_grade,
            } => {
                if has_target {
                    p.add(mkey("target"), "a pass_fail gate has no target");
                }
                match (pass_min, pass_max) {
                    (None, None) => p.add(
                        kkey.clone() + ".score",
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
                        let ix = grade_ix(g);
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
                gate = Some(Gate {
                    on_fail: *on_fail,
                    cap_grade: cap,
                });
            }
            _ => {}
        }
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
        kpis.push(Kpi {
            id: k.id.clone(),
            label: k.label.clone(),
            group: k.group.clone(),
            method: method.clone(),
            actual: actual.unwrap_or(0),
            target,
            target_value,
            gate,
        });
    }
    if kpis.is_empty() && broken.kpis.is_empty() {
        p.add("kpis", "the plan has no KPIs");
    }

    // Roles.
    let mut roles = Vec::with_capacity(raw.roles.len());
    let mut role_index = HashMap::new();
    for (i, r) in raw.roles.iter().enumerate() {
        let rkey = format!("roles[{i}]");
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
        let label = r.label.clone().unwrap_or_else(|| super::Label {
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

    // Bonus.
    let coefficients_for = |coefficients: &std::collections::BTreeMap<String, Decimal>,
                            p: &mut Problems| {
        let mut coeffs = Vec::with_capacity(grades.len());
        for g in &grades {
            match coefficients.get(&g.grade) {
                Some(c) if *c < Decimal::ZERO => {
                    p.add(
                        format!("bonus.coefficients.{}", g.grade),
                        "a coefficient cannot be negative",
                    );
                    coeffs.push(Decimal::ZERO);
                }
                Some(c) => coeffs.push(*c),
                None => {
                    p.add(
                        "bonus.coefficients",
                        format!("grade '{}' has no coefficient", g.grade),
                    );
                    coeffs.push(Decimal::ZERO);
                }
            }
        }
        for name in coefficients.keys() {
            if !grades.iter().any(|g| &g.grade == name) && !broken.grade(name) {
                p.add(
                    format!("bonus.coefficients.{name}"),
                    format!("no grade '{name}' in [[grades]]"),
                );
            }
        }
        coeffs
    };
    let base_column = |id: &str, p: &mut Problems| {
        number_column("bonus.base".into(), id, &[TableKind::Staff], p).unwrap_or(0)
    };
    let bonus = match &raw.bonus {
        None => {
            if !broken.bonus {
                p.add("bonus", "the plan has no [bonus] section");
            }
            Bonus::None
        }
        Some(BonusRule::GradeCoefficient { base, coefficients }) => Bonus::GradeCoefficient {
            base: base_column(base, &mut p),
            coefficients: coefficients_for(coefficients, &mut p),
        },
        Some(BonusRule::ScoreLinear { base, cap }) => {
            if cap.is_some_and(|c| c < Decimal::ZERO) {
                p.add("bonus.cap", "cap cannot be negative");
            }
            Bonus::ScoreLinear {
                base: base_column(base, &mut p),
                cap: *cap,
            }
        }
        Some(BonusRule::TieredCommission {
            actual,
            target,
            tiers,
            cap,
        }) => {
            let any = [TableKind::Targets, TableKind::Results, TableKind::Staff];
            let actual = number_column("bonus.actual".into(), actual, &any, &mut p).unwrap_or(0);
            let target = number_column("bonus.target".into(), target, &any, &mut p).unwrap_or(0);
            if tiers.is_empty() {
                p.add("bonus.tiers", "tiered_commission needs at least one tier");
            }
            let mut previous = Decimal::ZERO;
            for (t, tier) in tiers.iter().enumerate() {
                let last = t + 1 == tiers.len();
                match (tier.up_to, last) {
                    (None, false) => p.add(
                        format!("bonus.tiers[{t}]"),
                        "only the last tier may omit up_to",
                    ),
                    (Some(u), true) => p.add(
                        format!("bonus.tiers[{t}].up_to"),
                        format!("the last tier pays everything above the tier before; remove up_to = {u}"),
                    ),
                    (Some(u), false) => {
                        if u <= previous {
                            p.add(
                                format!("bonus.tiers[{t}].up_to"),
                                format!("tiers not monotonic: up_to must rise above {previous}, found {u}"),
                            );
                        }
                        previous = u;
                    }
                    (None, true) => {}
                }
                if tier.rate < Decimal::ZERO {
                    p.add(
                        format!("bonus.tiers[{t}].rate"),
                        "a rate cannot be negative",
                    );
                }
            }
            if cap.is_some_and(|c| c < Decimal::ZERO) {
                p.add("bonus.cap", "cap cannot be negative");
            }
            Bonus::TieredCommission {
                actual,
                target,
                tiers: tiers
                    .iter()
                    .map(|t| Tier {
                        up_to: t.up_to,
                        rate: t.rate,
                    })
                    .collect(),
                cap: *cap,
            }
        }
        Some(BonusRule::Pool {
            base,
            coefficients,
            pools,
        }) => {
            for (dept, amount) in pools {
                if *amount < Decimal::ZERO {
                    p.add(format!("bonus.pools.{dept}"), "a pool cannot be negative");
                }
            }
            Bonus::Pool {
                base: base_column(base, &mut p),
                coefficients: coefficients_for(coefficients, &mut p),
                pools: pools.clone(),
            }
        }
    };

    let targets = {
        let named: Vec<(String, Vec<String>)> = raw
            .roles
            .iter()
            .map(|r| (r.name.clone(), r.aliases.clone()))
            .collect();
        let cols: Vec<(String, bool)> = columns
            .iter()
            .map(|c| (c.id.clone(), c.table == TableKind::Targets))
            .collect();
        super::cycle::resolve_targets(&raw.targets, &named, &cols, &mut |k, m| p.add(k, m))
    };
    let development = {
        let names: Vec<String> = grades.iter().map(|g| g.grade.clone()).collect();
        super::cycle::resolve_development(&raw.development, &names, &mut |k, m| p.add(k, m))
    };
    if !p.0.is_empty() {
        return Err(PlanError { problems: p.0 });
    }
    Ok(Plan {
        name: raw.name,
        company: raw.company,
        rounding: raw.rounding,
        proration: raw.proration,
        columns,
        kpis,
        roles,
        grading: Grading {
            method: raw.grading.method,
            scope: raw.grading.scope,
        },
        grades,
        bonus,
        targets,
        development,
        source_hash: String::new(),
        header_index,
        role_index,
        key,
    })
}

/// ", did you mean 'x'?" for the closest known name, if close.
fn suggest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|k| (strsim::jaro_winkler(wanted, k), k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!("; did you mean '{k}'?"))
        .unwrap_or_default()
}

fn table_name(t: TableKind) -> &'static str {
    match t {
        TableKind::Key => "key",
        TableKind::Staff => "staff",
        TableKind::Targets => "targets",
        TableKind::Results => "results",
    }
}

/// Checks a column's `arrives` and resolves its exact factor.
fn arrival(
    a: &ArrivesFile,
    kind: ColumnKind,
    min: Option<Decimal>,
    max: Option<Decimal>,
    key: &str,
    p: &mut Problems,
) -> Option<super::Arrival> {
    let at = format!("{key}.arrives");
    let Some((from, to)) = a.ends() else {
        p.add(
            at,
            "unknown arrival scale; write \"fraction\", \"percent\", \"out_of_5\" (any number) or { from = 1, to = 5 }",
        );
        return None;
    };
    if kind != ColumnKind::Number {
        p.add(at, "only a number column can declare how its values arrive");
        return None;
    }
    let (Some(lo), Some(hi)) = (min, max) else {
        p.add(
            at,
            "the column needs both min and max (the scale it is scored on) to convert onto",
        );
        return None;
    };
    if from >= to {
        p.add(
            at,
            format!("the arrival scale {from}..{to} must run upwards"),
        );
        return None;
    }
    let span = to - from;
    let factor = (hi - lo).checked_div(span)?;
    // A non-terminating quotient fills all 28 digits (and its product can
    // round back to the span): an exact factor is short.
    if factor.normalize().scale() > 12 || factor.checked_mul(span) != Some(hi - lo) {
        p.add(
            at,
            format!(
                "{from}..{to} onto {lo}..{hi} is not an exact conversion (factor {} has no end); choose scales whose ratio is a finite decimal",
                factor.round_dp(6)
            ),
        );
        return None;
    }
    Some(super::Arrival {
        from,
        to,
        factor: factor.normalize(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Plan, STANDARD_PLAN};

    #[test]
    fn arrival_scales_convert_exactly_or_are_refused() {
        use rust_decimal::Decimal;
        let with = |arrives: &str| {
            let text = STANDARD_PLAN.replace(
                "max = 100\npercent = true\n",
                &format!("max = 100\npercent = true\narrives = {arrives}\n"),
            );
            Plan::parse(&text)
        };
        let sat = |p: &Plan| {
            p.columns[p.column_ix("satisfaction").unwrap()]
                .arrives
                .unwrap()
        };
        let five = with("\"out_of_5\"").unwrap();
        assert_eq!(sat(&five).factor, Decimal::from(20));
        assert_eq!(
            sat(&five).convert(Decimal::new(44, 1), Decimal::ZERO),
            Some(Decimal::from(88))
        );
        assert_eq!(
            sat(&with("\"fraction\"").unwrap()).factor,
            Decimal::ONE_HUNDRED
        );
        let likert = with("{ from = 1, to = 5 }").unwrap();
        assert_eq!(sat(&likert).factor, Decimal::from(25));
        assert_eq!(
            sat(&likert).convert(Decimal::new(44, 1), Decimal::ZERO),
            Some(Decimal::from(85))
        );
        // 0..3 onto 0..100 has no exact factor; unknown names are refused.
        for bad in ["\"out_of_3\"", "\"percentage\"", "{ from = 5, to = 1 }"] {
            let err = with(bad).unwrap_err();
            assert!(
                err.problems.iter().any(|p| p.key.ends_with(".arrives")),
                "{bad}: {err:?}"
            );
        }
    }

    fn problems(text: &str) -> Vec<String> {
        match Plan::parse(text) {
            Ok(_) => vec![],
            Err(e) => e
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.key, p.message))
                .collect(),
        }
    }

    #[test]
    fn weights_must_sum_to_100() {
        let text = STANDARD_PLAN.replacen("sales = 40,", "sales = 41,", 1);
        assert_eq!(
            problems(&text),
            ["roles[0].weights: role 'Sales Representative': weights sum to 101, not 100"]
        );
    }

    #[test]
    fn weighted_kpi_must_exist() {
        let text = STANDARD_PLAN.replacen("training = 5 }", "training = 5, lunch = 0 }", 1);
        assert_eq!(
            problems(&text),
            ["roles[0].weights.lunch: no KPI 'lunch' in [[kpis]]"]
        );
    }

    #[test]
    fn thresholds_must_descend() {
        let text = STANDARD_PLAN.replacen("min = 95", "min = 110", 1);
        assert_eq!(
            problems(&text),
            ["grades[1].min: thresholds must descend: 110 is not below the grade above"]
        );
    }

    #[test]
    fn unknown_method_names_its_key() {
        let text = STANDARD_PLAN.replacen("method = \"linear\"", "method = \"guess\"", 1);
        let found = problems(&text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("kpis[2].score.method: unknown variant `guess`"),
            "{found:?}"
        );
    }

    fn located(text: &str) -> Vec<String> {
        match Plan::parse(text) {
            Ok(_) => vec![],
            Err(e) => e.render("plan.toml").lines().map(String::from).collect(),
        }
    }

    /// Line and column of the first occurrence of `needle` (1-based).
    fn at(text: &str, needle: &str) -> String {
        let offset = text.find(needle).unwrap();
        let (l, c) = super::super::parse::line_col(text, offset);
        format!("{l}:{c}")
    }

    #[test]
    fn problems_carry_line_and_column() {
        let text = STANDARD_PLAN.replacen("sales = 40,", "sales = 41,", 1);
        let weights = text.find("weights = { sales = 41").unwrap() + "weights = ".len();
        let (l, c) = super::super::parse::line_col(&text, weights);
        assert_eq!(
            located(&text),
            [format!(
                "plan.toml:{l}:{c}: roles[0].weights: role 'Sales Representative': weights sum to 101, not 100"
            )]
        );
    }

    #[test]
    fn a_broken_plan_gets_every_problem_with_its_position() {
        let text = STANDARD_PLAN
            // weights not summing to 100
            .replacen("sales = 40,", "sales = 41,", 1)
            // an unknown KPI in a role
            .replacen("training = 10 }", "training = 10, lunch = 0 }", 1)
            // an unknown method
            .replacen("method = \"deduct\"", "method = \"subtract\"", 1)
            // a column declared twice
            .replacen("id = \"new_customers\"\n", "id = \"sales\"\n", 1)
            // an unknown top-level key
            .replacen("format = 1", "format = 1\ncolour = \"blue\"", 1);
        let found = located(&text);
        let t = &text;
        // Each problem at its key: the key itself for a value, the opening
        // brace for an inline table.
        let second_sales = t.match_indices("id = \"sales\"\ntable").nth(1).unwrap().0;
        let (l, c) = super::super::parse::line_col(t, second_sales);
        let weights = t.find("weights = { sales = 41").unwrap() + "weights = ".len();
        let (wl, wc) = super::super::parse::line_col(t, weights);
        let manager = t.rfind("lunch = 0").unwrap();
        let (ml, mc) = super::super::parse::line_col(t, manager);
        let actual = t.find("actual = \"new_customers\"").unwrap();
        let (al, ac) = super::super::parse::line_col(t, actual);
        assert_eq!(
            found,
            [
                format!(
                    "plan.toml:{}: colour: unknown key 'colour'; expected one of format, name, company, rounding, columns, kpis, roles, grading, grades, targets, development, proration, bonus",
                    at(t, "colour")
                ),
                format!(
                    "plan.toml:{}: kpis[3].score.method: unknown variant `subtract`, expected one of `ratio`, `inverse_ratio`, `linear`, `bands`, `deduct`, `add`, `rating`, `pass_fail`",
                    at(t, "method = \"subtract\"")
                ),
                format!(
                    "plan.toml:{l}:{c}: columns[14].id: column 'sales' is declared twice (also columns[13])"
                ),
                format!(
                    "plan.toml:{}:11: columns[14].aliases: header 'sales' already names column 'sales'",
                    l + 3
                ),
                format!(
                    "plan.toml:{al}:{ac}: kpis[1].score.actual: no column 'new_customers' is declared under [[columns]]; did you mean 'new_customers_target'?"
                ),
                format!(
                    "plan.toml:{wl}:{wc}: roles[0].weights: role 'Sales Representative': weights sum to 101, not 100"
                ),
                format!("plan.toml:{ml}:{mc}: roles[2].weights.lunch: no KPI 'lunch' in [[kpis]]"),
            ]
        );
        // The KPI whose method was unknown is not reported again as an
        // unknown KPI in the roles.
        assert!(!found.iter().any(|f| f.contains("no KPI 'complaints'")));
    }

    fn with_extra_kpi(kpi: &str) -> String {
        STANDARD_PLAN.replacen(
            "# ------------------------------------------------------------------ roles",
            &format!("{kpi}\n# roles"),
            1,
        )
    }

    #[test]
    fn bands_must_be_monotonic() {
        let text = with_extra_kpi(
            "[[kpis]]\nid = \"x\"\nlabel = { en = \"X\", zh = \"X\" }\nscore = { method = \"bands\", actual = \"sales\", bands = [{ at = 1, points = 10 }, { at = 3, points = 20 }, { at = 2, points = 30 }] }\n",
        );
        assert_eq!(
            problems(&text),
            [
                "kpis[6].score.bands[2]: bands not monotonic: thresholds must strictly rise (direction = \"ascending\"), but 2 follows 3"
            ]
        );
        let text = with_extra_kpi(
            "[[kpis]]\nid = \"x\"\nlabel = { en = \"X\", zh = \"X\" }\nscore = { method = \"bands\", actual = \"sales\", direction = \"descending\", bands = [{ at = 3, points = 10 }, { at = 2, points = 20 }] }\n",
        );
        assert_eq!(problems(&text), Vec::<String>::new());
    }

    #[test]
    fn inverse_ratio_needs_a_rule_for_zero() {
        let text = with_extra_kpi(
            "[[kpis]]\nid = \"x\"\nlabel = { en = \"X\", zh = \"X\" }\nscore = { method = \"inverse_ratio\", actual = \"complaints\", target = 2 }\n",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("kpis[6].score.zero_actual: "),
            "{found:?}"
        );
    }

    #[test]
    fn gates_carry_no_weight_and_name_a_grade() {
        let text = with_extra_kpi(
            "[[kpis]]\nid = \"gate\"\nlabel = { en = \"X\", zh = \"X\" }\nscore = { method = \"pass_fail\", actual = \"complaints\", pass_max = 0, on_fail = \"cap_grade\", cap_grade = \"Z\" }\n",
        )
        .replacen("training = 5 }", "training = 5, gate = 0 }", 1)
        .replacen("training = 10 }", "training = 0, gate = 10 }", 1);
        assert_eq!(
            problems(&text),
            [
                "kpis[6].score.cap_grade: no grade 'Z' in [[grades]]",
                "roles[2].weights.gate: 'gate' is a pass_fail gate and carries no weight; remove it here",
            ]
        );
    }

    #[test]
    fn forced_quotas_must_sum_to_100() {
        let text = STANDARD_PLAN
            .replacen(
                "# ----------------------------------------------------------------- grades",
                "[grading]\nmethod = \"forced_distribution\"\nscope = \"department\"\n",
                1,
            )
            .replace("min = 105", "share = 20")
            .replace("min = 95", "share = 30")
            .replace("min = 80", "share = 40")
            .replace("min = 65", "share = 10")
            .replacen("grade = \"D\"\n", "grade = \"D\"\nshare = 5\n", 1);
        assert_eq!(problems(&text), ["grades: quotas sum to 105 %, over 100 %"]);
    }

    #[test]
    fn a_syntax_error_has_a_position() {
        let found = located("format = 1\nname = \"x\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("plan.toml:2:"), "{found:?}");
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let text = STANDARD_PLAN
            .replacen("sales = 40,", "sales = 41,", 1)
            .replacen("min = 95", "min = 110", 1)
            .replacen("S = 1.5, ", "", 1);
        assert_eq!(problems(&text).len(), 3, "{:?}", problems(&text));
    }
}
