//! The plan (template): which columns are read, how KPIs are scored and
//! weighted, how totals become grades and grades become bonuses.
//!
//! A plan is TOML. [`Plan::parse`] deserializes it ([`file`] holds the serde
//! types), then validates it and resolves every name to an index, so the
//! scoring stage works with indices and never looks anything up by string.
//! The standard plan of the product contract is `templates/standard.toml`,
//! built into the binary as [`STANDARD_PLAN`].

pub mod file;
mod validate;

use std::collections::HashMap;

use rust_decimal::Decimal;

pub use file::{BonusRule, ColumnKind, Label, Method, RoundingMode, TableKind};
pub use validate::{PlanError, PlanProblem};

/// The standard plan, as shipped in `templates/standard.toml`.
pub const STANDARD_PLAN: &str = include_str!("../../templates/standard.toml");

/// The plan templates shipped in `templates/` and built into the binary,
/// by name (`kpi-report init --template NAME`).
pub const TEMPLATES: &[(&str, &str)] = &[("standard", STANDARD_PLAN)];

/// A shipped template's text.
pub fn template(name: &str) -> Option<&'static str> {
    TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Index of a column in [`Plan::columns`].
pub type ColumnIx = usize;

/// A validated plan with every reference resolved.
#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    pub company: String,
    pub rounding: file::Rounding,
    pub columns: Vec<Column>,
    pub kpis: Vec<Kpi>,
    pub roles: Vec<Role>,
    pub grades: Vec<Grade>,
    pub bonus: Bonus,
    /// Normalised header text -> column.
    header_index: HashMap<String, ColumnIx>,
    /// Normalised role name or alias -> role.
    role_index: HashMap<String, usize>,
    /// The columns the engine itself relies on.
    pub key: KeyColumns,
}

/// Columns with a fixed meaning to the engine.
#[derive(Debug, Clone, Copy)]
pub struct KeyColumns {
    pub staff_id: ColumnIx,
    pub period: ColumnIx,
    pub name: ColumnIx,
    pub department: ColumnIx,
    pub role: ColumnIx,
    pub manager_id: ColumnIx,
}

/// An input column.
#[derive(Debug, Clone)]
pub struct Column {
    pub id: String,
    pub table: TableKind,
    pub kind: ColumnKind,
    pub required: bool,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub percent: bool,
    /// The first alias, used in messages ("Sales Target").
    pub display: String,
}

/// A KPI with its method's columns resolved.
#[derive(Debug, Clone)]
pub struct Kpi {
    pub id: String,
    pub label: Label,
    pub group: String,
    pub method: Method,
    pub actual: ColumnIx,
    pub target: Option<ColumnIx>,
}

/// A role and its weight for each KPI (indexed like [`Plan::kpis`]; 0 where
/// the role does not weigh the KPI).
#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub label: Label,
    pub weights: Vec<Decimal>,
}

/// A grade band: totals at or above `min` (None: everything below the
/// previous band) earn it.
#[derive(Debug, Clone)]
pub struct Grade {
    pub grade: String,
    pub min: Option<Decimal>,
    pub label: Label,
}

/// The bonus rule, resolved.
#[derive(Debug, Clone)]
pub enum Bonus {
    /// `base × coefficient(grade)`; coefficients indexed like [`Plan::grades`].
    GradeCoefficient {
        base: ColumnIx,
        coefficients: Vec<Decimal>,
    },
}

impl Plan {
    /// Parses and validates a plan.
    ///
    /// # Errors
    /// Returns every problem found (syntax, unknown keys, weights that do not
    /// sum to 100, references to unknown KPIs or columns, grades that do not
    /// descend), each naming the offending key.
    pub fn parse(text: &str) -> Result<Plan, PlanError> {
        let raw: file::PlanFile = toml::from_str(text).map_err(PlanError::syntax)?;
        validate::resolve(raw)
    }

    /// The built-in standard plan.
    ///
    /// # Errors
    /// Only if the shipped template is broken, which a unit test rules out.
    pub fn standard() -> Result<Plan, PlanError> {
        Plan::parse(STANDARD_PLAN)
    }

    /// The column a header cell names, if any.
    pub fn column_for_header(&self, header: &str) -> Option<ColumnIx> {
        self.header_index.get(&normalize_header(header)).copied()
    }

    /// Every header text the plan knows, with its column (for suggestions).
    pub fn known_headers(&self) -> impl Iterator<Item = (&str, ColumnIx)> {
        self.header_index.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// The role a roster entry names, by name or alias.
    pub fn role_for_name(&self, name: &str) -> Option<usize> {
        self.role_index.get(&normalize_header(name)).copied()
    }

    /// Index of the column with this id.
    pub fn column_ix(&self, id: &str) -> Option<ColumnIx> {
        self.columns.iter().position(|c| c.id == id)
    }
}

/// Header and role matching ignores case, surrounding spaces and the
/// difference between spaces, underscores and hyphens.
pub fn normalize_header(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.trim().chars() {
        let ch = match ch {
            '_' | '-' | '\u{3000}' => ' ',
            c => c,
        };
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(ch.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_plan_parses_and_matches_the_contract() {
        let plan = Plan::standard().expect("standard plan is valid");
        let ids: Vec<_> = plan.kpis.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "sales",
                "customer_growth",
                "satisfaction",
                "complaints",
                "collaboration",
                "training"
            ]
        );
        let rep = &plan.roles[plan.role_for_name("销售代表").unwrap()];
        assert_eq!(rep.name, "Sales Representative");
        let w: Vec<String> = rep.weights.iter().map(|d| d.to_string()).collect();
        assert_eq!(w, ["40", "20", "15", "10", "10", "5"]);
        let grades: Vec<_> = plan.grades.iter().map(|g| g.grade.as_str()).collect();
        assert_eq!(grades, ["S", "A", "B", "C", "D"]);
    }

    #[test]
    fn headers_match_loosely() {
        let plan = Plan::standard().unwrap();
        let target = plan.column_ix("sales_target").unwrap();
        for h in [
            "Sales Target",
            " sales_target ",
            "SALES-TARGET",
            "sales  target",
            "目标销售额",
        ] {
            assert_eq!(plan.column_for_header(h), Some(target), "{h}");
        }
        assert_eq!(plan.column_for_header("Sales Targets"), None);
    }
}
