//! The two ends of the yearly cycle, as the plan declares them: how goals
//! are split into targets (`[targets]`) and who goes on the development
//! list (`[development]`). Both sections are optional; the defaults are the
//! standard plan's and are documented in `templates/README.md`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

/// How a goal is split over people: `[targets] people`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PeopleSplit {
    /// Everyone the same share.
    #[default]
    Equal,
    /// In proportion to the role's weight in `role_weights`.
    RoleWeight,
    /// In proportion to each person's actual over the previous calendar year.
    History,
}

/// What a person with no history (no actual in the previous year) weighs
/// under [`PeopleSplit::History`]: `[targets] no_history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NoHistory {
    /// The average weight of the people in the department who have history.
    #[default]
    Average,
    /// No share: the target is 0.
    Zero,
}

/// The `[targets]` section as written.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TargetsFile {
    /// `"equal"` or 12 percentages (January first) that sum to 100.
    pub distribution: Option<Distribution>,
    #[serde(default)]
    pub people: PeopleSplit,
    #[serde(default)]
    pub no_history: NoHistory,
    /// Role name -> weight for [`PeopleSplit::RoleWeight`] (roles not
    /// listed weigh 1).
    #[serde(default)]
    pub role_weights: BTreeMap<String, Decimal>,
    /// The unit targets are whole multiples of (default 1).
    pub unit: Option<Decimal>,
    /// Per target column id, a unit other than `unit`.
    #[serde(default)]
    pub units: BTreeMap<String, Decimal>,
}

/// `distribution = "equal"` or `distribution = [8, 8, ...]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Distribution {
    Named(String),
    Percent(Vec<Decimal>),
}

/// The `[targets]` rules, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRules {
    /// Twelve month weights, January first (all 1 for an equal split).
    pub months: [Decimal; 12],
    /// True when the distribution is equal.
    pub equal_months: bool,
    pub people: PeopleSplit,
    pub no_history: NoHistory,
    /// By role index; 1 where not listed.
    pub role_weights: Vec<Decimal>,
    /// By plan column index; only target columns are used.
    pub units: Vec<Decimal>,
}

/// The `[development]` section as written.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DevelopmentFile {
    /// Grades that put a person on the list in the period itself.
    pub grade_now: Option<Vec<String>>,
    /// Grades that count towards `repeated`.
    pub repeated_grades: Option<Vec<String>>,
    /// `[count, window]`: one of `repeated_grades` in `count` of the last
    /// `window` months.
    pub repeated: Option<[u32; 2]>,
    /// A KPI scored below this ...
    pub kpi_below: Option<Decimal>,
    /// ... for this many months running.
    pub kpi_months: Option<u32>,
}

/// The `[development]` rules, resolved (grades as indexes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevelopmentRules {
    pub grade_now: Vec<usize>,
    pub repeated_grades: Vec<usize>,
    pub repeated_count: u32,
    pub repeated_window: u32,
    pub kpi_below: Decimal,
    pub kpi_months: u32,
}

/// The grade names the standard rules use: the lowest grade alone, and
/// the lowest two.
pub(super) fn resolve_development(
    raw: &DevelopmentFile,
    grades: &[String],
    add: &mut dyn FnMut(String, String),
) -> DevelopmentRules {
    let n = grades.len();
    let lowest = |k: usize| (n.saturating_sub(k)..n).collect::<Vec<usize>>();
    let mut names = |key: &str, list: &Option<Vec<String>>, default: Vec<usize>| match list {
        None => default,
        Some(list) => list
            .iter()
            .filter_map(|g| {
                let ix = grades.iter().position(|x| x == g);
                if ix.is_none() {
                    add(
                        format!("development.{key}"),
                        format!("no grade '{g}' in [[grades]] ({})", grades.join(", ")),
                    );
                }
                ix
            })
            .collect(),
    };
    let grade_now = names("grade_now", &raw.grade_now, lowest(1));
    let repeated_grades = names("repeated_grades", &raw.repeated_grades, lowest(2));
    let [count, window] = raw.repeated.unwrap_or([2, 3]);
    if count == 0 || window < count {
        add(
            "development.repeated".to_owned(),
            format!("[count, window] needs 1 <= count <= window, found [{count}, {window}]"),
        );
    }
    let kpi_months = raw.kpi_months.unwrap_or(3);
    if kpi_months == 0 {
        add(
            "development.kpi_months".to_owned(),
            "kpi_months must be at least 1".to_owned(),
        );
    }
    DevelopmentRules {
        grade_now,
        repeated_grades,
        repeated_count: count,
        repeated_window: window,
        kpi_below: raw.kpi_below.unwrap_or(Decimal::from(60)),
        kpi_months,
    }
}

/// Resolves `[targets]` against the plan's roles and columns.
pub(super) fn resolve_targets(
    raw: &TargetsFile,
    roles: &[(String, Vec<String>)],
    columns: &[(String, bool)],
    add: &mut dyn FnMut(String, String),
) -> TargetRules {
    let one = Decimal::ONE;
    let (months, equal_months) = match &raw.distribution {
        None => ([one; 12], true),
        Some(Distribution::Named(name)) if name == "equal" => ([one; 12], true),
        Some(Distribution::Named(name)) => {
            add(
                "targets.distribution".to_owned(),
                format!("'{name}' is not a distribution; write \"equal\" or 12 percentages"),
            );
            ([one; 12], true)
        }
        Some(Distribution::Percent(list)) => {
            let sum: Decimal = list.iter().sum();
            if list.len() != 12 {
                add(
                    "targets.distribution".to_owned(),
                    format!("12 monthly percentages needed, found {}", list.len()),
                );
            } else if sum != Decimal::from(100) {
                add(
                    "targets.distribution".to_owned(),
                    format!("the monthly percentages sum to {sum}, not 100"),
                );
            } else if list.iter().any(|d| *d < Decimal::ZERO) {
                add(
                    "targets.distribution".to_owned(),
                    "a monthly percentage cannot be negative".to_owned(),
                );
            }
            let mut months = [one; 12];
            for (m, d) in months.iter_mut().zip(list) {
                *m = *d;
            }
            (months, false)
        }
    };
    let mut role_weights = vec![one; roles.len()];
    for (name, weight) in &raw.role_weights {
        let found = roles
            .iter()
            .position(|(n, aliases)| n == name || aliases.iter().any(|a| a == name));
        match found {
            Some(r) => role_weights[r] = *weight,
            None => add(
                format!("targets.role_weights.{name}"),
                format!("no role '{name}' in [[roles]]"),
            ),
        }
        if *weight < Decimal::ZERO {
            add(
                format!("targets.role_weights.{name}"),
                "a role weight cannot be negative".to_owned(),
            );
        }
    }
    let unit = raw.unit.unwrap_or(one);
    let mut units = vec![unit; columns.len()];
    for (id, u) in &raw.units {
        match columns.iter().position(|(c, _)| c == id) {
            Some(ix) if columns[ix].1 => units[ix] = *u,
            Some(_) => add(
                format!("targets.units.{id}"),
                format!("'{id}' is not a column of the targets table"),
            ),
            None => add(
                format!("targets.units.{id}"),
                format!("no column '{id}' in [[columns]]"),
            ),
        }
    }
    for (key, u) in std::iter::once(("targets.unit".to_owned(), unit)).chain(
        raw.units
            .iter()
            .map(|(id, u)| (format!("targets.units.{id}"), *u)),
    ) {
        if u <= Decimal::ZERO {
            add(key, format!("a unit must be above 0, found {u}"));
        }
    }
    TargetRules {
        months,
        equal_months,
        people: raw.people,
        no_history: raw.no_history,
        role_weights,
        units,
    }
}
