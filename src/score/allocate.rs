//! Goals into targets (`kpi-report targets`): each goal split over its
//! months by the plan's monthly distribution, each month's company goal to
//! departments and each department's amount to its people, every split
//! exact ([`super::split`]). Fixed individual targets are taken out before
//! the rest is split; joiners and leavers weigh by the days of the month
//! they are employed. Every step is recorded as an [`AllocationLine`], which
//! the allocation sheet shows as it is.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::split::{Part, split};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::input::goals::{Employment, Goal, GoalPeriod};
use crate::input::{Dataset, Person};
use crate::period::Period;
use crate::plan::cycle::{NoHistory, PeopleSplit};
use crate::plan::{ColumnIx, Plan, TableKind};

/// What a person's weight in a split is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// A fixed individual target (not split).
    Fixed,
    Equal,
    /// The role's weight.
    Role(Decimal),
    /// The person's actual over the previous year.
    History(Decimal),
    /// No history: the average weight used instead.
    NoHistory(Decimal),
}

/// How one person's target for one column and month was reached.
#[derive(Debug, Clone)]
pub struct AllocationLine {
    pub target: ColumnIx,
    /// The goal's scope and period as written, and its value.
    pub goal_scope: String,
    pub goal_period: GoalPeriod,
    pub goal_value: Decimal,
    /// The goal's share for this month.
    pub month_amount: Decimal,
    pub department: String,
    /// The department's part of the month amount (after fixed targets).
    pub department_amount: Decimal,
    pub person: usize,
    pub basis: Basis,
    /// Days employed in the month, of the month's days.
    pub days: (u8, u8),
    /// The weight the person's part was split by: basis × days employed.
    pub weight: Decimal,
    /// The exact quota, whether a leftover unit was added, and the target.
    pub quota: Decimal,
    pub extra: bool,
    pub value: Decimal,
}

/// One month's targets.
#[derive(Debug, Clone)]
pub struct MonthTargets {
    pub period: Period,
    /// The target columns written, in plan order.
    pub columns: Vec<ColumnIx>,
    /// Per person (roster order), per column in `columns`.
    pub values: Vec<Vec<Decimal>>,
    pub lines: Vec<AllocationLine>,
}

/// Days in a month, and the days of it a person is employed.
fn days_employed(e: Employment, year: u16, month: u8) -> (u8, u8) {
    let last = Period::Month { year, month }.end_date().2;
    let first_day = match e.hired {
        Some((y, m, d)) if (y, m) == (year, month) => d,
        Some(h) if h > (year, month, last) => return (0, last),
        _ => 1,
    };
    let last_day = match e.left {
        Some((y, m, d)) if (y, m) == (year, month) => d,
        Some(l) if l < (year, month, 1) => return (0, last),
        _ => last,
    };
    if last_day < first_day {
        (0, last)
    } else {
        (last_day - first_day + 1, last)
    }
}

fn is_company(scope: &str) -> bool {
    matches!(
        scope.trim().to_lowercase().as_str(),
        "company" | "公司" | "全公司"
    )
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    Company,
    Department(String),
    Person(usize),
}

/// A goal's scope, the goal, and its amount for one month.
type MonthGoal<'g> = (Scope, &'g Goal, Decimal);

fn error(at: &Location, msg: String, zh: String) -> Diagnostic {
    Diagnostic::error(Code::MissingValue, at.clone(), msg).zh(zh)
}

/// The whole allocation: one [`MonthTargets`] per month any goal covers.
///
/// # Errors
/// Every problem found, each naming the goal's cell: a scope that is no
/// department or staff ID, two goals for the same people and month, fixed
/// targets above their goal, a value that is not whole units, nobody to
/// split a goal over, no history for a history split.
pub fn allocate(
    plan: &Plan,
    data: &Dataset,
    employment: &BTreeMap<String, Employment>,
    goals: &[Goal],
) -> Result<Vec<MonthTargets>, Vec<Diagnostic>> {
    let people = &data.people;
    let mut errs = Vec::new();
    let scoped = scope_goals(people, goals, &mut errs);
    let by_month = goals_by_month(plan, &scoped, &mut errs);
    check_clashes(plan, &by_month, &mut errs);
    if !errs.is_empty() {
        return Err(errs);
    }
    let history = history_weights(plan, data, &scoped, &mut errs);
    let columns: Vec<ColumnIx> = plan
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.table == TableKind::Targets)
        .map(|(i, _)| i)
        .filter(|i| by_month.keys().any(|(t, ..)| t == i))
        .collect();
    let months: BTreeSet<(u16, u8)> = by_month.keys().map(|(_, y, m)| (*y, *m)).collect();
    let allocation = Allocation {
        plan,
        people,
        employment,
        by_month: &by_month,
        history: &history,
        columns: &columns,
    };
    let mut out = Vec::new();
    for (year, month) in months {
        out.extend(allocation.month(year, month, &mut errs));
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

/// Each goal's scope: the company, a department of the roster, or a person
/// (a fixed individual target). A scope that is none, or both a staff ID and
/// a department, is an error.
fn scope_goals<'g>(
    people: &[Person],
    goals: &'g [Goal],
    errs: &mut Vec<Diagnostic>,
) -> Vec<(Scope, &'g Goal)> {
    let departments: BTreeSet<&str> = people.iter().map(|p| p.department.as_str()).collect();
    let mut scoped: Vec<(Scope, &Goal)> = Vec::new();
    for g in goals {
        let person = people.iter().position(|p| p.staff_id == g.scope);
        let dept = departments.contains(g.scope.as_str());
        let scope = if is_company(&g.scope) {
            Scope::Company
        } else {
            match (person, dept) {
                (Some(_), true) => {
                    errs.push(error(
                        &g.at,
                        format!(
                            "scope '{}' is both a staff ID and a department; rename the department",
                            g.scope
                        ),
                        format!("范围“{}”既是工号又是部门名称；请更改部门名称", g.scope),
                    ));
                    continue;
                }
                (Some(p), false) => Scope::Person(p),
                (None, true) => Scope::Department(g.scope.clone()),
                (None, false) => {
                    errs.push(error(
                        &g.at,
                        format!(
                            "scope '{}' is not company, a department of the roster or a staff ID",
                            g.scope
                        ),
                        format!(
                            "范围“{}”不是 company（全公司）、花名册中的部门或工号",
                            g.scope
                        ),
                    ));
                    continue;
                }
            }
        };
        scoped.push((scope, g));
    }
    scoped
}

/// Goals by (target, year, month), each with its amount for the month.
type ByMonth<'g> = BTreeMap<(ColumnIx, u16, u8), Vec<MonthGoal<'g>>>;

/// Each goal over its months, by the plan's month distribution.
fn goals_by_month<'g>(
    plan: &Plan,
    scoped: &[(Scope, &'g Goal)],
    errs: &mut Vec<Diagnostic>,
) -> ByMonth<'g> {
    let rules = &plan.targets;
    let mut by_month = ByMonth::new();
    for (scope, g) in scoped {
        let months = g.period.months();
        let weights: Vec<Decimal> = months
            .iter()
            .map(|m| rules.months[usize::from(*m) - 1])
            .collect();
        let unit = rules.units[g.target];
        match split(g.value, unit, &weights, &months) {
            Ok(parts) => {
                for (m, part) in months.iter().zip(parts) {
                    by_month
                        .entry((g.target, g.period.year(), *m))
                        .or_default()
                        .push((scope.clone(), g, part.value));
                }
            }
            Err(e) => errs.push(error(
                &g.at,
                format!(
                    "goal {} of {} cannot be split over its months: {e}",
                    g.value, plan.columns[g.target].id
                ),
                format!("目标 {} 无法分到各月：{e}", g.value),
            )),
        }
    }
    by_month
}

/// Two goals for the same scope and month, or company and department
/// goals for the same month: an error for the later one.
fn check_clashes(plan: &Plan, by_month: &ByMonth<'_>, errs: &mut Vec<Diagnostic>) {
    for ((t, y, m), list) in by_month {
        for (i, (s, g, _)) in list.iter().enumerate() {
            for (s2, g2, _) in &list[..i] {
                let clash = s == s2
                    || matches!(
                        (s, s2),
                        (Scope::Company, Scope::Department(_))
                            | (Scope::Department(_), Scope::Company)
                    );
                if clash {
                    errs.push(error(
                        &g.at,
                        format!(
                            "goal for '{}' ({}) and goal for '{}' ({}, at {}) both give {} for {y}-{m:02}; keep one",
                            g.scope, g.period, g2.scope, g2.period, g2.at, plan.columns[*t].id
                        ),
                        format!(
                            "“{}”（{}）与“{}”（{}，见 {}）的目标都给出了 {y}-{m:02} 的 {}；请只保留一个",
                            g.scope, g.period, g2.scope, g2.period, g2.at, plan.columns[*t].id
                        ),
                    ));
                }
            }
        }
    }
}

/// What every month's targets are allocated from.
struct Allocation<'a, 'g> {
    plan: &'a Plan,
    people: &'a [Person],
    employment: &'a BTreeMap<String, Employment>,
    by_month: &'a ByMonth<'g>,
    history: &'a BTreeMap<(ColumnIx, u16, usize), Basis>,
    /// The targets columns some goal gives.
    columns: &'a [ColumnIx],
}

/// One month's targets as they are allocated.
struct Month {
    year: u16,
    month: u8,
    /// Per person, per column of [`Allocation::columns`].
    values: Vec<Vec<Decimal>>,
    covered: Vec<Vec<bool>>,
    lines: Vec<AllocationLine>,
}

impl Allocation<'_, '_> {
    /// One month's targets, column by column: fixed individual targets
    /// first, then each company or department goal to departments and then
    /// to people; everyone must be covered.
    fn month(&self, year: u16, month: u8, errs: &mut Vec<Diagnostic>) -> Option<MonthTargets> {
        let (people, columns) = (self.people, self.columns);
        let mut m = Month {
            year,
            month,
            values: vec![vec![Decimal::ZERO; columns.len()]; people.len()],
            covered: vec![vec![false; columns.len()]; people.len()],
            lines: Vec::new(),
        };
        for (ci, &t) in columns.iter().enumerate() {
            let Some(list) = self.by_month.get(&(t, year, month)) else {
                errs.push(error(
                    &Location::default(),
                    format!("no goal gives {} for {year}-{month:02}, while other targets have one; add a goal for it", self.plan.columns[t].id),
                    format!("没有目标给出 {year}-{month:02} 的 {}，而其他指标有；请为它添加目标", self.plan.columns[t].id),
                ));
                continue;
            };
            let days: Vec<(u8, u8)> = people
                .iter()
                .map(|p| {
                    days_employed(
                        self.employment
                            .get(&p.staff_id)
                            .copied()
                            .unwrap_or_default(),
                        year,
                        month,
                    )
                })
                .collect();
            let fixed = fixed_targets(people, &mut m, ci, t, list, &days);
            for goal in list {
                if !matches!(goal.0, Scope::Person(_)) {
                    self.split_goal(&mut m, (ci, t), goal, &fixed, &days, errs);
                }
            }
            self.uncovered(&m, ci, t, errs);
        }
        let Month {
            values, mut lines, ..
        } = m;
        lines.sort_by(|a, b| {
            (a.target, &people[a.person].staff_id).cmp(&(b.target, &people[b.person].staff_id))
        });
        let period = Period::month(i64::from(year), i64::from(month))?;
        Some(MonthTargets {
            period,
            columns: columns.to_vec(),
            values,
            lines,
        })
    }

    /// A company or department goal's amount, less the fixed targets of its
    /// people, split to its departments and then to its people (those with a
    /// fixed target left out), each by their weight times days employed.
    fn split_goal(
        &self,
        m: &mut Month,
        (ci, t): (usize, ColumnIx),
        (s, g, amount): &MonthGoal<'_>,
        fixed: &BTreeMap<usize, Decimal>,
        days: &[(u8, u8)],
        errs: &mut Vec<Diagnostic>,
    ) {
        let (plan, people, rules) = (self.plan, self.people, &self.plan.targets);
        let (year, month) = (m.year, m.month);
        let unit = rules.units[t];
        let Some((members, rest)) = self.members_and_rest(m, s, g, *amount, fixed, errs) else {
            return;
        };
        let weights: Vec<(Basis, Decimal)> = members
            .iter()
            .map(|&i| self.weight_of(i, t, g, days))
            .collect();
        // To departments, then to people.
        let mut depts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (k, &i) in members.iter().enumerate() {
            depts
                .entry(people[i].department.as_str())
                .or_default()
                .push(k);
        }
        let names: Vec<&str> = depts.keys().copied().collect();
        let dweights: Vec<Decimal> = depts
            .values()
            .map(|ks| ks.iter().map(|&k| weights[k].1).sum())
            .collect();
        let dparts = match split(rest, unit, &dweights, &names) {
            Ok(p) => p,
            Err(e) => {
                errs.push(error(
                    &g.at,
                    format!(
                        "{} for {year}-{month:02} cannot be split over departments: {e}",
                        plan.columns[t].id
                    ),
                    format!(
                        "{year}-{month:02} 的 {} 无法分到各部门：{e}",
                        plan.columns[t].id
                    ),
                ));
                return;
            }
        };
        for ((dname, ks), dpart) in depts.iter().zip(dparts) {
            let w: Vec<Decimal> = ks.iter().map(|&k| weights[k].1).collect();
            let ids: Vec<&str> = ks
                .iter()
                .map(|&k| people[members[k]].staff_id.as_str())
                .collect();
            let parts: Vec<Part> = match split(dpart.value, unit, &w, &ids) {
                Ok(p) => p,
                Err(e) => {
                    errs.push(error(&g.at, format!("{} of department '{dname}' for {year}-{month:02} cannot be split over its people: {e}", plan.columns[t].id), format!("部门“{dname}”{year}-{month:02} 的 {} 无法分到个人：{e}", plan.columns[t].id)));
                    continue;
                }
            };
            for (&k, part) in ks.iter().zip(parts) {
                let i = members[k];
                m.values[i][ci] = part.value;
                m.covered[i][ci] = true;
                m.lines.push(AllocationLine {
                    target: t,
                    goal_scope: g.scope.clone(),
                    goal_period: g.period,
                    goal_value: g.value,
                    month_amount: *amount,
                    department: (*dname).to_owned(),
                    department_amount: dpart.value,
                    person: i,
                    basis: weights[k].0.clone(),
                    days: days[i],
                    weight: weights[k].1,
                    quota: part.quota,
                    extra: part.extra,
                    value: part.value,
                });
            }
        }
    }

    /// Who a company or department goal is split over (its people without a
    /// fixed target), and its amount less their fixed targets; an error when
    /// the fixed targets are above the goal.
    fn members_and_rest(
        &self,
        m: &Month,
        s: &Scope,
        g: &Goal,
        amount: Decimal,
        fixed: &BTreeMap<usize, Decimal>,
        errs: &mut Vec<Diagnostic>,
    ) -> Option<(Vec<usize>, Decimal)> {
        let people = self.people;
        let (year, month) = (m.year, m.month);
        let members: Vec<usize> = (0..people.len())
            .filter(|&i| !fixed.contains_key(&i))
            .filter(|&i| match s {
                Scope::Company => true,
                Scope::Department(d) => &people[i].department == d,
                Scope::Person(_) => false,
            })
            .collect();
        let taken: Decimal = fixed
            .iter()
            .filter(|(p, _)| match s {
                Scope::Department(d) => &people[**p].department == d,
                _ => true,
            })
            .map(|(_, v)| *v)
            .sum();
        let rest = amount - taken;
        if rest < Decimal::ZERO {
            errs.push(error(&g.at, format!("the fixed individual targets ({taken}) are above this goal's {amount} for {year}-{month:02}"), format!("个人固定目标合计（{taken}）超过了此目标 {year}-{month:02} 的 {amount}")));
            return None;
        }
        Some((members, rest))
    }

    /// Person `i`'s basis for target `t` under goal `g`, and their weight:
    /// the basis's weight times the days they are employed.
    fn weight_of(&self, i: usize, t: ColumnIx, g: &Goal, days: &[(u8, u8)]) -> (Basis, Decimal) {
        let rules = &self.plan.targets;
        let basis = match rules.people {
            PeopleSplit::Equal => Basis::Equal,
            PeopleSplit::RoleWeight => Basis::Role(
                self.people[i]
                    .role
                    .map_or(Decimal::ONE, |r| rules.role_weights[r]),
            ),
            PeopleSplit::History => self
                .history
                .get(&(t, g.period.year(), i))
                .cloned()
                .unwrap_or(Basis::NoHistory(Decimal::ZERO)),
        };
        let base = match &basis {
            Basis::Equal => Decimal::ONE,
            Basis::Role(w) | Basis::History(w) | Basis::NoHistory(w) => *w,
            Basis::Fixed => Decimal::ZERO,
        };
        (basis, base * Decimal::from(days[i].0))
    }

    /// Everyone given no value for column `ci` (target `t`) is an error.
    fn uncovered(&self, m: &Month, ci: usize, t: ColumnIx, errs: &mut Vec<Diagnostic>) {
        let (plan, year, month) = (self.plan, m.year, m.month);
        for (i, p) in self.people.iter().enumerate() {
            if !m.covered[i][ci] {
                errs.push(
                    error(
                        &Location::default(),
                        format!("{} ({}, department '{}') gets no {} for {year}-{month:02}: no goal covers them; add a goal for the department or the company", p.staff_id, p.name, p.department, plan.columns[t].id),
                        format!("{}（{}，部门“{}”）没有 {year}-{month:02} 的 {}：没有目标覆盖此人；请为该部门或全公司添加目标", p.staff_id, p.name, p.department, plan.columns[t].id),
                    )
                    .for_person(&p.staff_id, Period::month(i64::from(year), i64::from(month))),
                );
            }
        }
    }
}

/// The month's fixed individual targets for column `ci` (target `t`): each
/// person's value, and an allocation line for it.
fn fixed_targets(
    people: &[Person],
    m: &mut Month,
    ci: usize,
    t: ColumnIx,
    list: &[MonthGoal<'_>],
    days: &[(u8, u8)],
) -> BTreeMap<usize, Decimal> {
    let mut fixed: BTreeMap<usize, Decimal> = BTreeMap::new();
    for (s, g, amount) in list {
        if let Scope::Person(p) = s {
            fixed.insert(*p, *amount);
            m.values[*p][ci] = *amount;
            m.covered[*p][ci] = true;
            m.lines.push(AllocationLine {
                target: t,
                goal_scope: g.scope.clone(),
                goal_period: g.period,
                goal_value: g.value,
                month_amount: *amount,
                department: people[*p].department.clone(),
                department_amount: *amount,
                person: *p,
                basis: Basis::Fixed,
                days: days[*p],
                weight: Decimal::ZERO,
                quota: *amount,
                extra: false,
                value: *amount,
            });
        }
    }
    fixed
}

/// Under a history split: each person's weight for each target column and
/// goal year, the sum of the KPI's actual over the months of the year
/// before in the input; people with none get the rule `no_history` says.
fn history_weights(
    plan: &Plan,
    data: &Dataset,
    scoped: &[(Scope, &Goal)],
    errs: &mut Vec<Diagnostic>,
) -> BTreeMap<(ColumnIx, u16, usize), Basis> {
    let mut out = BTreeMap::new();
    if plan.targets.people != PeopleSplit::History {
        return out;
    }
    let wanted: BTreeSet<(ColumnIx, u16)> = scoped
        .iter()
        .map(|(_, g)| (g.target, g.period.year()))
        .collect();
    for (t, year) in wanted {
        let first = scoped
            .iter()
            .find(|(_, g)| g.target == t && g.period.year() == year)
            .map(|(_, g)| g.at.clone())
            .unwrap_or_default();
        let Some(actual) = plan
            .kpis
            .iter()
            .find(|k| k.target == Some(t))
            .map(|k| k.actual)
        else {
            errs.push(error(
                &first,
                format!(
                    "people = \"history\" needs a KPI whose target is {}, to know its actual",
                    plan.columns[t].id
                ),
                format!(
                    "people = \"history\" 需要以 {} 为目标的 KPI，才能知道其实际值",
                    plan.columns[t].id
                ),
            ));
            continue;
        };
        let past = year - 1;
        let months: Vec<&Vec<crate::input::Case>> = data
            .periods
            .iter()
            .filter(|(p, _)| matches!(p, Period::Month { year: y, .. } if *y == past))
            .map(|(_, c)| c)
            .collect();
        if months.is_empty() {
            errs.push(error(&first, format!("people = \"history\" splits {year}'s goals by the actuals of {past}, but the input folder has no {past} results"), format!("people = \"history\" 按 {past} 年的实际值分解 {year} 年的目标，但输入文件夹中没有 {past} 年的业绩")));
            continue;
        }
        let mut sums: Vec<Option<Decimal>> = vec![None; data.people.len()];
        for cases in months {
            for c in cases {
                if let Some(v) = c.values.get(actual).copied().flatten() {
                    let s = sums[c.person].get_or_insert(Decimal::ZERO);
                    *s += v;
                }
            }
        }
        for (i, s) in sums.iter().enumerate() {
            if let Some(s) = s
                && *s < Decimal::ZERO
            {
                let p = &data.people[i];
                errs.push(error(&first, format!("{} ({}) has a negative {past} total of {} ({s}); a share cannot be negative: give them a fixed target", p.staff_id, p.name, plan.columns[actual].id), format!("{}（{}）{past} 年的 {} 合计为负（{s}）；份额不能为负：请给此人固定目标", p.staff_id, p.name, plan.columns[actual].id)));
            }
        }
        for (i, p) in data.people.iter().enumerate() {
            let basis = match sums[i] {
                Some(s) => Basis::History(s),
                None => match plan.targets.no_history {
                    NoHistory::Zero => Basis::NoHistory(Decimal::ZERO),
                    NoHistory::Average => {
                        let mean = |f: &dyn Fn(usize) -> bool| {
                            let v: Vec<Decimal> = (0..data.people.len())
                                .filter(|&j| f(j))
                                .filter_map(|j| sums[j])
                                .collect();
                            (!v.is_empty()).then(|| {
                                (v.iter().sum::<Decimal>() / Decimal::from(v.len())).round_dp(6)
                            })
                        };
                        let dept = mean(&|j| data.people[j].department == p.department);
                        match dept.or_else(|| mean(&|_| true)) {
                            Some(m) => Basis::NoHistory(m),
                            None => Basis::NoHistory(Decimal::ZERO),
                        }
                    }
                },
            };
            out.insert((t, year, i), basis);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_employed_in_a_month() {
        let e = |h: Option<Date>, l: Option<Date>| Employment { hired: h, left: l };
        type Date = (u16, u8, u8);
        assert_eq!(days_employed(e(None, None), 2027, 2), (28, 28));
        assert_eq!(
            days_employed(e(Some((2027, 3, 16)), None), 2027, 3),
            (16, 31)
        );
        assert_eq!(days_employed(e(Some((2027, 4, 1)), None), 2027, 3), (0, 31));
        assert_eq!(
            days_employed(e(Some((2020, 4, 1)), Some((2027, 3, 10))), 2027, 3),
            (10, 31)
        );
        assert_eq!(
            days_employed(e(None, Some((2027, 2, 28))), 2027, 3),
            (0, 31)
        );
    }
}
