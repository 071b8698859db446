//! The development list of a month: who needs training or a performance
//! plan, by the plan's `[development]` rules (standard: grade D this month;
//! C or D in two of the last three months; any KPI scored below 60 three
//! months running). Windows are calendar months ending with the month
//! itself; a month without a score (not in the input, or incomplete) counts
//! as neither a grade nor a low score, so it breaks a run.

use rust_decimal::Decimal;

use super::{PeriodResult, Scorecard};
use crate::input::Person;
use crate::period::Period;
use crate::plan::Plan;

/// Why a person is on the list, with the history that triggered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// One of the rule's grades this month.
    GradeNow { grade: usize },
    /// One of the rule's grades in `count` of the last `window` months:
    /// every month of the window with its grade (None: not scored).
    Repeated {
        count: u32,
        window: Vec<(Period, Option<usize>)>,
    },
    /// A KPI below the threshold for the months given, with its scores.
    KpiLow {
        kpi: usize,
        months: Vec<(Period, Decimal)>,
    },
}

/// One person on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevelopmentEntry {
    pub person: usize,
    /// This month's grade.
    pub grade: usize,
    pub triggers: Vec<Trigger>,
    /// The KPIs to work on: this month's improvement focus, then every
    /// KPI of a [`Trigger::KpiLow`], each once, in plan order after the focus.
    pub kpis: Vec<usize>,
    /// The manager's row in the roster, when the manager is in it.
    pub manager: Option<usize>,
}

/// The KPI whose shortfall to a score of 100 costs the most weighted
/// points, with the points reaching 100 would add: share − points. Ties go
/// to the KPI listed first in the plan. None when every KPI that applies
/// is at 100 or above.
pub fn improvement_focus(card: &Scorecard) -> Option<(usize, Decimal)> {
    let mut best: Option<(usize, Decimal)> = None;
    for (i, k) in card.kpis.iter().enumerate() {
        let (Some(score), Some(points)) = (k.score, k.points) else {
            continue;
        };
        if score >= Decimal::ONE_HUNDRED {
            continue;
        }
        let gain = k.share - points;
        if gain > Decimal::ZERO && best.is_none_or(|(_, g)| gain > g) {
            best = Some((i, gain));
        }
    }
    best
}

/// The month `n` months before `p` (a month).
fn months_before(p: Period, n: u32) -> Option<Period> {
    let Period::Month { year, month } = p else {
        return None;
    };
    let ix = i64::from(year) * 12 + i64::from(month) - 1 - i64::from(n);
    Period::month(ix.div_euclid(12), ix.rem_euclid(12) + 1)
}

/// The development list of month `periods[at]` (empty for a year to date),
/// by staff ID.
pub fn development(
    plan: &Plan,
    people: &[Person],
    periods: &[PeriodResult],
    at: usize,
) -> Vec<DevelopmentEntry> {
    let rules = &plan.development;
    let now = &periods[at];
    if !matches!(now.period, Period::Month { .. }) {
        return Vec::new();
    }
    // The card of a person in the month `n` months back.
    let card = |person: usize, n: u32| -> Option<(Period, Option<&Scorecard>)> {
        let p = months_before(now.period, n)?;
        let c = periods
            .iter()
            .find(|r| r.period == p)
            .and_then(|r| r.people.get(person))
            .and_then(|r| r.card.as_ref());
        Some((p, c))
    };
    let mut out = Vec::new();
    for r in &now.people {
        let Some(current) = r.card.as_ref() else {
            continue;
        };
        let person = r.person;
        let mut triggers = Vec::new();
        if rules.grade_now.contains(&current.grade) {
            triggers.push(Trigger::GradeNow {
                grade: current.grade,
            });
        }
        let window: Vec<(Period, Option<usize>)> = (0..rules.repeated_window)
            .rev()
            .filter_map(|n| card(person, n))
            .map(|(p, c)| (p, c.map(|c| c.grade)))
            .collect();
        let hits = window
            .iter()
            .filter(|(_, g)| g.is_some_and(|g| rules.repeated_grades.contains(&g)))
            .count();
        if hits >= rules.repeated_count as usize {
            triggers.push(Trigger::Repeated {
                count: rules.repeated_count,
                window,
            });
        }
        let mut low = Vec::new();
        for k in 0..plan.kpis.len() {
            let months: Vec<(Period, Decimal)> = (0..rules.kpi_months)
                .rev()
                .filter_map(|n| {
                    let (p, c) = card(person, n)?;
                    let s = c?.kpis.get(k)?.score?;
                    (s < rules.kpi_below).then_some((p, s))
                })
                .collect();
            if months.len() == rules.kpi_months as usize {
                low.push(k);
                triggers.push(Trigger::KpiLow { kpi: k, months });
            }
        }
        if triggers.is_empty() {
            continue;
        }
        let mut kpis: Vec<usize> = improvement_focus(current)
            .map(|(k, _)| k)
            .into_iter()
            .collect();
        for k in low {
            if !kpis.contains(&k) {
                kpis.push(k);
            }
        }
        let manager_id = &people[person].manager_id;
        let manager = (!manager_id.is_empty())
            .then(|| people.iter().position(|p| &p.staff_id == manager_id))
            .flatten();
        out.push(DevelopmentEntry {
            person,
            grade: current.grade,
            triggers,
            kpis,
            manager,
        });
    }
    out.sort_by(|a, b| people[a.person].staff_id.cmp(&people[b.person].staff_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{KpiLine, PersonResult};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn person(id: &str, manager: &str) -> Person {
        Person {
            staff_id: id.into(),
            name: format!("{id} name"),
            department: "East".into(),
            role_name: "Sales Representative".into(),
            role: Some(0),
            manager_id: manager.into(),
            record: 0,
            hire: None,
            leave: None,
        }
    }

    /// A card with grade `g` (0 = S … 4 = D) and these six KPI scores.
    fn card(g: usize, scores: [&str; 6]) -> Scorecard {
        let weights = [40, 20, 15, 10, 10, 5];
        Scorecard {
            grade: g,
            kpis: scores
                .iter()
                .zip(weights)
                .map(|(s, w)| KpiLine {
                    score: Some(d(s)),
                    weight: Decimal::from(w),
                    share: Decimal::from(w),
                    points: Some(Decimal::from(w) * d(s) / Decimal::ONE_HUNDRED),
                    ..KpiLine::default()
                })
                .collect(),
            ..Scorecard::default()
        }
    }

    const GOOD: [&str; 6] = ["100", "100", "100", "100", "100", "100"];

    /// Months of 2027 (1-based), each with one card per person (None: not
    /// scored).
    fn history(months: &[(u8, Vec<Option<Scorecard>>)]) -> Vec<PeriodResult> {
        months
            .iter()
            .map(|(m, cards)| PeriodResult {
                period: Period::Month {
                    year: 2027,
                    month: *m,
                },
                people: cards
                    .iter()
                    .enumerate()
                    .map(|(person, card)| PersonResult {
                        person,
                        card: card.clone(),
                    })
                    .collect(),
                development: Vec::new(),
            })
            .collect()
    }

    fn listed(plan: &Plan, h: &[PeriodResult], at: usize) -> Vec<(String, Vec<Trigger>)> {
        let people = [person("S001", "S009"), person("S002", "")];
        development(plan, &people, h, at)
            .into_iter()
            .map(|e| (people[e.person].staff_id.clone(), e.triggers))
            .collect()
    }

    #[test]
    fn grade_d_this_month() {
        let plan = Plan::standard().unwrap();
        let h = history(&[
            (1, vec![Some(card(2, GOOD))]),
            (2, vec![Some(card(2, GOOD))]),
            (3, vec![Some(card(4, GOOD))]),
        ]);
        assert_eq!(listed(&plan, &h, 1), []);
        assert_eq!(
            listed(&plan, &h, 2),
            [("S001".to_owned(), vec![Trigger::GradeNow { grade: 4 }])]
        );
    }

    #[test]
    fn c_or_d_in_two_of_the_last_three_months() {
        let plan = Plan::standard().unwrap();
        let h = history(&[
            (1, vec![Some(card(3, GOOD))]),
            (2, vec![Some(card(2, GOOD))]),
            (3, vec![Some(card(3, GOOD))]),
        ]);
        // February: one C in December (not in the input), January, February.
        assert_eq!(listed(&plan, &h, 1), []);
        let m = |month: u8| Period::Month { year: 2027, month };
        assert_eq!(
            listed(&plan, &h, 2),
            [(
                "S001".to_owned(),
                vec![Trigger::Repeated {
                    count: 2,
                    window: vec![(m(1), Some(3)), (m(2), Some(2)), (m(3), Some(3))],
                }]
            )]
        );
        // A C four months back is outside the window.
        let h = history(&[
            (1, vec![Some(card(3, GOOD))]),
            (2, vec![Some(card(2, GOOD))]),
            (3, vec![Some(card(2, GOOD))]),
            (4, vec![Some(card(3, GOOD))]),
        ]);
        assert_eq!(listed(&plan, &h, 3), []);
    }

    #[test]
    fn a_kpi_below_60_three_months_running() {
        let plan = Plan::standard().unwrap();
        let low = |s: &'static str| ["100", "100", s, "100", "100", "100"];
        let h = history(&[
            (
                1,
                vec![Some(card(2, low("50"))), Some(card(2, low("59.99")))],
            ),
            (
                2,
                vec![Some(card(2, low("55"))), Some(card(2, low("59.99")))],
            ),
            (
                3,
                vec![Some(card(2, low("59.99"))), Some(card(2, low("60")))],
            ),
        ]);
        assert_eq!(listed(&plan, &h, 1), []);
        let m = |month: u8| Period::Month { year: 2027, month };
        // S002 scored 60 in March: not below 60.
        let list = listed(&plan, &h, 2);
        assert_eq!(
            list,
            [(
                "S001".to_owned(),
                vec![Trigger::KpiLow {
                    kpi: 2,
                    months: vec![(m(1), d("50")), (m(2), d("55")), (m(3), d("59.99"))],
                }]
            )]
        );
        let people = [person("S001", "S009"), person("S009", "")];
        let e = &development(&plan, &people, &h, 2)[0];
        assert_eq!(e.kpis, [2], "the focus is the low KPI");
        assert_eq!(e.manager, Some(1));
        // A month not scored breaks the run.
        let h = history(&[
            (1, vec![Some(card(2, low("50")))]),
            (2, vec![None]),
            (3, vec![Some(card(2, low("50")))]),
        ]);
        assert_eq!(listed(&plan, &h, 2), []);
    }

    #[test]
    fn the_plan_declares_the_rules() {
        let std = crate::plan::STANDARD_PLAN;
        let base = &std[..std.find("[development]").unwrap()];
        let text = format!(
            "{base}\n[development]\ngrade_now = [\"C\", \"D\"]\nrepeated = [3, 3]\nkpi_below = 70\nkpi_months = 2\n"
        );
        let plan = Plan::parse(&text).unwrap();
        let low = ["100", "65", "100", "100", "100", "100"];
        let h = history(&[(1, vec![Some(card(3, low))]), (2, vec![Some(card(3, low))])]);
        let m = |month: u8| Period::Month { year: 2027, month };
        assert_eq!(
            listed(&plan, &h, 0),
            [("S001".to_owned(), vec![Trigger::GradeNow { grade: 3 }])]
        );
        assert_eq!(
            listed(&plan, &h, 1),
            [(
                "S001".to_owned(),
                vec![
                    Trigger::GradeNow { grade: 3 },
                    Trigger::KpiLow {
                        kpi: 1,
                        months: vec![(m(1), d("65")), (m(2), d("65"))],
                    }
                ]
            )]
        );
        let bad = format!("{base}\n[development]\ngrade_now = [\"E\"]\nrepeated = [4, 3]\n");
        let e = Plan::parse(&bad).unwrap_err();
        let text = e.render("plan.toml");
        assert!(text.contains("no grade 'E'"), "{text}");
        assert!(text.contains("count <= window"), "{text}");
    }

    #[test]
    fn calendar_months_back() {
        let p = Period::Month {
            year: 2027,
            month: 2,
        };
        assert_eq!(months_before(p, 0), Some(p));
        assert_eq!(
            months_before(p, 2),
            Some(Period::Month {
                year: 2026,
                month: 12
            })
        );
    }
}
