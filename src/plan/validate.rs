//! Plan validation: every problem at once, each naming its key.

use std::collections::HashMap;
use std::fmt;

use rust_decimal::Decimal;

use super::file::{BonusRule, ColumnKind, Method, PlanFile, TableKind};
use super::{Bonus, Column, Grade, KeyColumns, Kpi, Plan, Role, normalize_header};

/// One thing wrong with a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanProblem {
    /// The offending key, e.g. `roles[1].weights` or `kpis[2].score.actual`.
    pub key: String,
    pub message: String,
}

/// A plan that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub problems: Vec<PlanProblem>,
}

impl PlanError {
    pub(super) fn syntax(err: toml::de::Error) -> PlanError {
        PlanError {
            problems: vec![PlanProblem {
                key: "(file)".to_owned(),
                message: err.to_string().trim_end().to_owned(),
            }],
        }
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {}", p.key, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanError {}

#[derive(Default)]
struct Problems(Vec<PlanProblem>);

impl Problems {
    fn add(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.0.push(PlanProblem {
            key: key.into(),
            message: message.into(),
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

pub(super) fn resolve(raw: PlanFile) -> Result<Plan, PlanError> {
    let mut p = Problems::default();
    if raw.format != 1 {
        p.add(
            "format",
            format!(
                "format {} is not supported; this version reads format 1",
                raw.format
            ),
        );
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
        columns.push(Column {
            id: c.id.clone(),
            table: c.table,
            kind: c.kind,
            required: c.required.unwrap_or(true),
            min: c.min,
            max: c.max,
            percent: c.percent,
            display: c.aliases.first().cloned().unwrap_or_else(|| c.id.clone()),
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
        let numeric = |field: &str, id: &str, p: &mut Problems| -> usize {
            match ids.get(id) {
                Some(&ix) if matches!(columns[ix].kind, ColumnKind::Number) => ix,
                Some(_) => {
                    p.add(
                        format!("{kkey}.score.{field}"),
                        format!("column '{id}' is not a number column"),
                    );
                    0
                }
                None => {
                    p.add(
                        format!("{kkey}.score.{field}"),
                        format!("no column '{id}' is declared under [[columns]]"),
                    );
                    0
                }
            }
        };
        let actual = numeric("actual", &k.score.actual, &mut p);
        let target = k
            .score
            .target
            .as_deref()
            .map(|t| numeric("target", t, &mut p));
        let method = &k.score.method;
        match method {
            Method::Ratio { .. } if target.is_none() => {
                p.add(
                    format!("{kkey}.score.target"),
                    "a ratio KPI needs a target column",
                );
            }
            Method::Linear { zero, full, .. } if zero == full => {
                p.add(format!("{kkey}.score.full"), "full must differ from zero");
            }
            Method::Rating { max } if *max <= Decimal::ZERO => {
                p.add(format!("{kkey}.score.max"), "max must be above 0");
            }
            _ => {}
        }
        let bounds = match method {
            Method::Ratio { floor, cap, .. }
            | Method::Linear { floor, cap, .. }
            | Method::Deduct { floor, cap, .. } => (*floor, *cap),
            Method::Rating { .. } => (None, None),
        };
        if let (Some(lo), Some(hi)) = bounds
            && lo > hi
        {
            p.add(
                format!("{kkey}.score.floor"),
                format!("floor {lo} is above cap {hi}"),
            );
        }
        kpis.push(Kpi {
            id: k.id.clone(),
            label: k.label.clone(),
            group: k.group.clone(),
            method: method.clone(),
            actual,
            target,
        });
    }
    if kpis.is_empty() {
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
                Some(&ix) => weights[ix] = *w,
                None => p.add(
                    format!("{rkey}.weights.{kpi}"),
                    format!("no KPI '{kpi}' in [[kpis]]"),
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

    // Grades.
    let mut grades = Vec::with_capacity(raw.grades.len());
    let mut previous: Option<Decimal> = None;
    for (i, g) in raw.grades.iter().enumerate() {
        let last = i + 1 == raw.grades.len();
        match (g.min, last) {
            (None, false) => p.add(
                format!("grades[{i}].min"),
                "only the last grade may omit min",
            ),
            (Some(m), _) => {
                if previous.is_some_and(|prev| m >= prev) {
                    p.add(
                        format!("grades[{i}].min"),
                        format!("thresholds must descend: {m} is not below the grade above"),
                    );
                }
                previous = Some(m);
            }
            (None, true) => {}
        }
        grades.push(Grade {
            grade: g.grade.clone(),
            min: g.min,
            label: g.label.clone(),
        });
    }
    if grades.is_empty() {
        p.add("grades", "the plan has no grades");
    }

    // Bonus.
    let bonus = match &raw.bonus {
        BonusRule::GradeCoefficient { base, coefficients } => {
            let base_ix = match ids.get(base.as_str()) {
                Some(&ix) if columns[ix].table == TableKind::Staff => ix,
                Some(_) => {
                    p.add(
                        "bonus.base",
                        format!("column '{base}' must be a roster (staff) column"),
                    );
                    0
                }
                None => {
                    p.add("bonus.base", format!("no column '{base}' is declared"));
                    0
                }
            };
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
                            format!("bonus.coefficients.{}", g.grade),
                            "grade has no coefficient",
                        );
                        coeffs.push(Decimal::ZERO);
                    }
                }
            }
            for name in coefficients.keys() {
                if !grades.iter().any(|g| &g.grade == name) {
                    p.add(
                        format!("bonus.coefficients.{name}"),
                        format!("no grade '{name}' in [[grades]]"),
                    );
                }
            }
            Bonus::GradeCoefficient {
                base: base_ix,
                coefficients: coeffs,
            }
        }
    };

    if !p.0.is_empty() {
        return Err(PlanError { problems: p.0 });
    }
    Ok(Plan {
        name: raw.name,
        company: raw.company,
        rounding: raw.rounding,
        columns,
        kpis,
        roles,
        grades,
        bonus,
        header_index,
        role_index,
        key,
    })
}

fn table_name(t: TableKind) -> &'static str {
    match t {
        TableKind::Key => "key",
        TableKind::Staff => "staff",
        TableKind::Targets => "targets",
        TableKind::Results => "results",
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Plan, STANDARD_PLAN};

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
    fn unknown_method_is_a_syntax_problem() {
        let text = STANDARD_PLAN.replacen("method = \"linear\"", "method = \"guess\"", 1);
        let found = problems(&text);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("(file): "), "{found:?}");
        assert!(found[0].contains("guess"), "{found:?}");
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
