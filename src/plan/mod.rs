//! The plan (template): which columns are read, how KPIs are scored and
//! weighted, how totals become grades and grades become bonuses.
//!
//! A plan is TOML. [`Plan::parse`] deserializes it ([`file`] holds the serde
//! types), then validates it and resolves every name to an index, so the
//! scoring stage works with indices and never looks anything up by string.
//! The standard plan of the product contract is `templates/standard.toml`,
//! built into the binary as [`STANDARD_PLAN`].

pub mod cycle;
pub mod file;
mod parse;
mod problem;
mod validate;

use std::collections::HashMap;

use rust_decimal::Decimal;

pub use file::{
    ArrivesFile, BandMode, BonusRule, ColumnKind, Direction, GradingMethod, Label, Method, OnFail,
    ProrateBy, Proration, RoundingMode, Scope, TableKind, ZeroActual,
};
pub use problem::{PlanError, PlanProblem};

impl crate::lang::Bilingual for Label {
    fn en(&self) -> &str {
        &self.en
    }
    fn zh(&self) -> &str {
        &self.zh
    }
}

/// The standard plan, as shipped in `templates/standard.toml`.
pub const STANDARD_PLAN: &str = include_str!("../../templates/standard.toml");

/// The plan templates shipped in `templates/` and built into the binary,
/// by name (`kpi-report init --template NAME`).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("standard", STANDARD_PLAN),
    (
        "standard-zh",
        include_str!("../../templates/standard-zh.toml"),
    ),
    (
        "commission",
        include_str!("../../templates/commission.toml"),
    ),
    (
        "forced-distribution",
        include_str!("../../templates/forced-distribution.toml"),
    ),
    ("pool", include_str!("../../templates/pool.toml")),
    ("extended", include_str!("../../templates/extended.toml")),
];

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
    /// Joiners and leavers: how bonus and targets are prorated.
    pub proration: file::Proration,
    pub columns: Vec<Column>,
    pub kpis: Vec<Kpi>,
    pub roles: Vec<Role>,
    /// How totals become grades.
    pub grading: Grading,
    pub grades: Vec<Grade>,
    pub bonus: Bonus,
    /// How goals are split into targets (`[targets]`).
    pub targets: cycle::TargetRules,
    /// Who goes on the development list (`[development]`).
    pub development: cycle::DevelopmentRules,
    /// SHA-256 of the plan's text: part of every report's fingerprint.
    pub source_hash: String,
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
    /// The scale the values arrive on, converted exactly onto `min..max`.
    pub arrives: Option<Arrival>,
    /// The first alias, used in messages ("Sales Target").
    pub display: String,
    /// The first alias with a Chinese character (else the id), for
    /// workbooks written in Chinese.
    pub display_zh: String,
}

/// A plan-declared arrival scale: a value `x` on `from..to` is read as
/// `min + (x − from) × factor` on the column's scale `min..max`, where
/// `factor = (max − min) ÷ (to − from)` is exact (checked by the plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub from: Decimal,
    pub to: Decimal,
    pub factor: Decimal,
}

impl Arrival {
    /// `x` on the arrival scale, onto the column's scale starting at `min`.
    pub fn convert(&self, x: Decimal, min: Decimal) -> Option<Decimal> {
        x.checked_sub(self.from)?
            .checked_mul(self.factor)?
            .checked_add(min)
    }
}

impl Column {
    /// The column's declared scale (`min..max`), when it has both ends.
    pub fn scale(&self) -> Option<(Decimal, Decimal)> {
        self.min.zip(self.max)
    }
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
    /// A constant target written in the plan (`target = 0.95`).
    pub target_value: Option<Decimal>,
    /// Set for a `pass_fail` gate, which carries no weight.
    pub gate: Option<Gate>,
}

impl Kpi {
    /// The KPI's target for a person: the constant, or the target column.
    pub fn target_of(&self, values: &[Option<Decimal>]) -> Option<Decimal> {
        self.target_value
            .or_else(|| self.target.and_then(|t| values.get(t).copied().flatten()))
    }

    /// False when a target of 0 or blank makes the KPI not apply (so its
    /// actual need not be filled in).
    pub fn applies(&self, values: &[Option<Decimal>]) -> bool {
        let target_based = match &self.method {
            Method::Ratio { .. } | Method::InverseRatio { .. } => true,
            Method::Bands { .. } => self.target.is_some() || self.target_value.is_some(),
            _ => false,
        };
        !target_based || self.target_of(values).is_some_and(|t| !t.is_zero())
    }
}

/// What a failed `pass_fail` gate does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gate {
    pub on_fail: OnFail,
    /// For [`OnFail::CapGrade`]: the best grade allowed (index into grades).
    pub cap_grade: Option<usize>,
}

/// How totals become grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grading {
    pub method: GradingMethod,
    /// The group a forced distribution works within.
    pub scope: Scope,
}

/// A marginal commission tier: attainment up to `up_to` (None: no limit)
/// paid at `rate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub up_to: Option<Decimal>,
    pub rate: Decimal,
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
    /// Forced distribution: the grade's quota in percent.
    pub share: Option<Decimal>,
    pub label: Label,
}

/// The bonus rule, resolved.
#[derive(Debug, Clone)]
pub enum Bonus {
    /// No bonus (only while a broken plan is being checked).
    None,
    /// `base × coefficient(grade)`; coefficients indexed like [`Plan::grades`].
    GradeCoefficient {
        base: ColumnIx,
        coefficients: Vec<Decimal>,
    },
    /// `base × min(total, cap) ÷ 100`.
    ScoreLinear {
        base: ColumnIx,
        cap: Option<Decimal>,
    },
    /// Marginal tiers of `actual` by attainment of `target`, capped.
    TieredCommission {
        actual: ColumnIx,
        target: ColumnIx,
        tiers: Vec<Tier>,
        cap: Option<Decimal>,
    },
    /// Department pools shared by base × coefficient(grade).
    Pool {
        base: ColumnIx,
        coefficients: Vec<Decimal>,
        /// Fixed pool amounts by department name; others pool their bases.
        pools: std::collections::BTreeMap<String, Decimal>,
    },
}

impl Bonus {
    /// The method's name as written in the plan.
    pub fn name(&self) -> &'static str {
        match self {
            Bonus::None => "none",
            Bonus::GradeCoefficient { .. } => "grade_coefficient",
            Bonus::ScoreLinear { .. } => "score_linear",
            Bonus::TieredCommission { .. } => "tiered_commission",
            Bonus::Pool { .. } => "pool",
        }
    }
}

impl Plan {
    /// Parses and validates a plan.
    ///
    /// # Errors
    /// Returns every problem found (syntax, unknown keys or methods, weights
    /// that do not sum to 100, references to unknown KPIs or columns, grades
    /// that do not descend, bands that are not monotonic, quotas over 100 %),
    /// each naming the offending key with its line and column.
    pub fn parse(text: &str) -> Result<Plan, PlanError> {
        let (raw, broken, found) = parse::read(text)?;
        let mut plan = validate::resolve(raw, &broken, found).map_err(|mut e| {
            parse::locate(text, &mut e.problems);
            e
        })?;
        plan.source_hash = crate::hash::sha256_hex(text.as_bytes());
        Ok(plan)
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
    fn every_shipped_template_is_valid() {
        for (name, text) in TEMPLATES {
            if let Err(e) = Plan::parse(text) {
                panic!("templates/{name}.toml:\n{}", e.render(name));
            }
        }
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
