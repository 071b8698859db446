//! The plan file's serde types: what a user may write, before validation.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

/// The whole plan file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub format: u32,
    pub name: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub rounding: Rounding,
    pub columns: Vec<ColumnFile>,
    pub kpis: Vec<KpiFile>,
    pub roles: Vec<RoleFile>,
    pub grades: Vec<GradeFile>,
    pub bonus: BonusRule,
}

/// Where and how results are rounded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    pub total_decimals: u32,
    pub money_decimals: u32,
    pub mode: RoundingMode,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            total_decimals: 2,
            money_decimals: 2,
            mode: RoundingMode::HalfAwayFromZero,
        }
    }
}

/// How a value exactly halfway between two results is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    HalfAwayFromZero,
    HalfEven,
}

/// Which table a column lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// In every table: staff id, period.
    Key,
    /// The roster.
    Staff,
    Targets,
    Results,
}

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    #[default]
    Number,
    Text,
    Id,
    Period,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnFile {
    pub id: String,
    pub table: TableKind,
    #[serde(default)]
    pub kind: ColumnKind,
    pub required: Option<bool>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    #[serde(default)]
    pub percent: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A label in both languages of the reports.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub en: String,
    pub zh: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiFile {
    pub id: String,
    pub label: Label,
    #[serde(default)]
    pub group: String,
    pub score: MethodFile,
}

/// A scoring method as written, with the columns it reads.
#[derive(Debug, Deserialize)]
pub struct MethodFile {
    pub actual: String,
    pub target: Option<String>,
    #[serde(flatten)]
    pub method: Method,
}

/// How a KPI's inputs become a score (100 = on target).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Method {
    /// `actual ÷ target × 100`; 0 below `gate` (an attainment such as 0.5);
    /// clamped to `floor..=cap`. A target of 0 or blank: does not apply.
    Ratio {
        gate: Option<Decimal>,
        cap: Option<Decimal>,
        floor: Option<Decimal>,
    },
    /// `(x − zero) ÷ (full − zero) × 100`, clamped to `floor..=cap`.
    Linear {
        zero: Decimal,
        full: Decimal,
        floor: Option<Decimal>,
        cap: Option<Decimal>,
    },
    /// `start − per_unit × x`, clamped to `floor..=cap`.
    Deduct {
        start: Decimal,
        per_unit: Decimal,
        floor: Option<Decimal>,
        cap: Option<Decimal>,
    },
    /// `x ÷ max × 100` (the valid range is the column's min/max).
    Rating { max: Decimal },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleFile {
    pub name: String,
    pub label: Option<Label>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub weights: BTreeMap<String, Decimal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeFile {
    pub grade: String,
    pub min: Option<Decimal>,
    pub label: Label,
}

/// How the bonus is computed.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum BonusRule {
    /// `base × coefficient(grade)`.
    GradeCoefficient {
        base: String,
        coefficients: BTreeMap<String, Decimal>,
    },
}
