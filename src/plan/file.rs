//! The plan file's serde types: what a user may write, before validation.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

/// The whole plan file, each section read on its own (see `parse.rs`):
/// entries that could not be read are left out and reported.
#[derive(Debug)]
pub struct PlanFile {
    pub format: u32,
    pub name: String,
    pub company: String,
    pub rounding: Rounding,
    pub columns: Vec<ColumnFile>,
    pub kpis: Vec<KpiFile>,
    pub roles: Vec<RoleFile>,
    pub grading: GradingFile,
    pub grades: Vec<GradeFile>,
    pub bonus: Option<BonusRule>,
    pub targets: super::cycle::TargetsFile,
    pub development: super::cycle::DevelopmentFile,
    pub proration: Proration,
}

/// How joiners and leavers are treated (`[proration]`). A plan without the
/// section prorates the bonus by calendar days, like the standard plan.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proration {
    /// What the bonus is prorated by: the days between hire and leave
    /// dates within the month.
    #[serde(default = "calendar_days")]
    pub bonus: ProrateBy,
    /// Scale the targets by the same fraction as the bonus.
    #[serde(default)]
    pub targets: bool,
    /// Fewer days active than this in a month: not scored there.
    #[serde(default)]
    pub min_days: u32,
    /// A new hire's targets in their first months (the hire month first),
    /// as fractions, e.g. [0.5, 0.75]: later months at full target.
    #[serde(default)]
    pub ramp: Vec<Decimal>,
}

fn calendar_days() -> ProrateBy {
    ProrateBy::CalendarDays
}

impl Default for Proration {
    fn default() -> Self {
        Proration {
            bonus: ProrateBy::CalendarDays,
            targets: false,
            min_days: 0,
            ramp: Vec::new(),
        }
    }
}

/// The days a proration counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProrateBy {
    /// No proration.
    None,
    /// Every day of the month.
    CalendarDays,
    /// Monday to Friday.
    WorkingDays,
}

/// Where and how results are rounded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// KPI scores are rounded to this many decimals before weighting when
    /// set; by default they keep full precision.
    #[serde(default)]
    pub kpi_decimals: Option<u32>,
    pub total_decimals: u32,
    pub money_decimals: u32,
    pub mode: RoundingMode,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            kpi_decimals: None,
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
    /// How the values arrive when not on the column's scale (`min..max`):
    /// `"fraction"`, `"percent"`, `"out_of_5"`, or `{ from = 1, to = 5 }`.
    pub arrives: Option<ArrivesFile>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The scale a column's values arrive on, as written in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ArrivesFile {
    /// `"fraction"` (0–1), `"percent"` (0–100), `"out_of_N"` (0–N).
    Named(String),
    /// `{ from = 1, to = 5 }`: `from` becomes the column's `min`, `to` its `max`.
    Range { from: Decimal, to: Decimal },
}

impl ArrivesFile {
    /// The arrival scale's ends, or None for an unknown name.
    pub fn ends(&self) -> Option<(Decimal, Decimal)> {
        match self {
            ArrivesFile::Range { from, to } => Some((*from, *to)),
            ArrivesFile::Named(name) => match name.trim() {
                "fraction" => Some((Decimal::ZERO, Decimal::ONE)),
                "percent" => Some((Decimal::ZERO, Decimal::ONE_HUNDRED)),
                other => other
                    .strip_prefix("out_of_")
                    .and_then(|n| n.parse::<Decimal>().ok())
                    .filter(|n| *n > Decimal::ZERO)
                    .map(|n| (Decimal::ZERO, n)),
            },
        }
    }
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
    pub target: Option<TargetFile>,
    #[serde(flatten)]
    pub method: Method,
}

/// A KPI's target: a column id (`target = "sales_target"`) or a constant
/// (`target = 0.95`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetFile {
    Column(String),
    Value(Decimal),
}

impl<'de> Deserialize<'de> for TargetFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = TargetFile;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a column id (a string) or a constant target (a number)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TargetFile, E> {
                Ok(TargetFile::Column(v.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<TargetFile, E> {
                Ok(TargetFile::Value(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<TargetFile, E> {
                Ok(TargetFile::Value(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<TargetFile, E> {
                // Shortest round-trip text, so 0.95 is exactly 0.95.
                v.to_string()
                    .parse::<Decimal>()
                    .map(TargetFile::Value)
                    .map_err(|_| E::custom(format!("target {v} is not a usable number")))
            }
        }
        d.deserialize_any(V)
    }
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
    /// Lower is better: `target ÷ actual × 100`, clamped to `floor..=cap`.
    /// An actual of 0 (or below) follows `zero_actual`. A target of 0 or
    /// blank: does not apply.
    InverseRatio {
        cap: Option<Decimal>,
        floor: Option<Decimal>,
        #[serde(default)]
        zero_actual: ZeroActual,
    },
    /// `(x − zero) ÷ (full − zero) × 100`, clamped to `floor..=cap`.
    Linear {
        zero: Decimal,
        full: Decimal,
        floor: Option<Decimal>,
        cap: Option<Decimal>,
    },
    /// Thresholds to points. The value is the actual, or actual ÷ target
    /// when the KPI has a target.
    Bands {
        bands: Vec<BandFile>,
        #[serde(default)]
        mode: BandMode,
        #[serde(default)]
        direction: Direction,
        /// Points when the first threshold is not reached (default 0).
        below: Option<Decimal>,
    },
    /// `start − per_unit × x`, clamped to `floor..=cap`.
    Deduct {
        start: Decimal,
        per_unit: Decimal,
        floor: Option<Decimal>,
        #[serde(alias = "ceiling")]
        cap: Option<Decimal>,
    },
    /// `start + per_unit × x`, clamped to `floor..=cap`.
    Add {
        start: Decimal,
        per_unit: Decimal,
        floor: Option<Decimal>,
        #[serde(alias = "ceiling")]
        cap: Option<Decimal>,
    },
    /// `x ÷ max × 100` on a scale `min..=max` (the actual column must
    /// declare a range inside the scale, so a value off the scale is a data
    /// issue).
    Rating { max: Decimal, min: Option<Decimal> },
    /// A gate: passes when `pass_min <= x <= pass_max`. Carries no weight;
    /// when failed, `on_fail` zeroes the total or caps the grade.
    PassFail {
        pass_min: Option<Decimal>,
        pass_max: Option<Decimal>,
        on_fail: OnFail,
        cap_grade: Option<String>,
    },
}

impl Method {
    /// The method's name as written in the plan.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Ratio { .. } => "ratio",
            Method::InverseRatio { .. } => "inverse_ratio",
            Method::Linear { .. } => "linear",
            Method::Bands { .. } => "bands",
            Method::Deduct { .. } => "deduct",
            Method::Add { .. } => "add",
            Method::Rating { .. } => "rating",
            Method::PassFail { .. } => "pass_fail",
        }
    }
}

/// What an `inverse_ratio` KPI scores when the actual is 0 (nothing spent,
/// no complaint): the best case, but `target ÷ 0` has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ZeroActual {
    /// The cap (the plan must set one). The default.
    #[default]
    Cap,
    /// 100 points.
    Full,
    /// The KPI does not apply: its weight is dropped.
    NotApplicable,
}

/// One band: from `at` on (towards better), `points`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandFile {
    pub at: Decimal,
    pub points: Decimal,
}

/// Steps (the points of the last threshold reached) or straight lines
/// between thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BandMode {
    #[default]
    Steps,
    Interpolate,
}

/// Whether higher values (ascending thresholds) or lower values
/// (descending thresholds) are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Ascending,
    Descending,
}

/// What a failed gate does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnFail {
    /// The total becomes 0.
    ZeroTotal,
    /// The grade is at best `cap_grade`.
    CapGrade,
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
    /// Thresholds: the lowest total earning the grade.
    pub min: Option<Decimal>,
    /// Forced distribution: the grade's quota in percent.
    pub share: Option<Decimal>,
    pub label: Label,
}

/// How totals become grades.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradingFile {
    #[serde(default)]
    pub method: GradingMethod,
    #[serde(default)]
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradingMethod {
    /// Each grade's `min`.
    #[default]
    Thresholds,
    /// Each grade's `share` of the people in the scope, down the ranking.
    ForcedDistribution,
}

/// The group a forced distribution or a bonus pool works within.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    #[default]
    Company,
    Department,
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
    /// `base × min(total, cap) ÷ 100`.
    ScoreLinear { base: String, cap: Option<Decimal> },
    /// Marginal tiers on sales attainment: each slice of `actual` between
    /// two tier bounds (attainment × target) is paid at its tier's rate;
    /// the sum is capped at `cap`.
    TieredCommission {
        actual: String,
        target: String,
        tiers: Vec<TierFile>,
        cap: Option<Decimal>,
    },
    /// A pool per department shared in proportion to base × coefficient.
    Pool {
        base: String,
        coefficients: BTreeMap<String, Decimal>,
        /// A pool amount per department; a department not listed pools
        /// the bonus bases of its scored people.
        #[serde(default)]
        pools: BTreeMap<String, Decimal>,
    },
}

/// A commission tier: attainment up to `up_to` (the last tier has none)
/// paid at `rate`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierFile {
    pub up_to: Option<Decimal>,
    pub rate: Decimal,
}
