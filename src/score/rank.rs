//! Standard competition ranking (1, 2, 2, 4) of rounded totals, highest
//! first, in three scopes: company, department, role.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::PersonResult;
use crate::input::Person;

/// A person's ranks, each with the number of people ranked in the scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ranks {
    pub company: (u32, u32),
    pub department: (u32, u32),
    pub role: (u32, u32),
}

/// Competition ranks of `totals`: 1 + the number of strictly higher totals.
pub fn competition_ranks(totals: &[Decimal]) -> Vec<u32> {
    let mut sorted: Vec<Decimal> = totals.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    totals
        .iter()
        .map(|t| sorted.partition_point(|x| x > t) as u32 + 1)
        .collect()
}

/// Ranks every scored person of a period in the three scopes.
pub fn rank_all(people: &[Person], results: &mut [PersonResult]) {
    let scored: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].card.is_some())
        .collect();
    let total = |i: usize| {
        results[i]
            .card
            .as_ref()
            .map(|c| c.total)
            .unwrap_or_default()
    };
    let company = scope_ranks(&scored, total, |_| "");
    let department = scope_ranks(&scored, total, |i| {
        people[results[i].person].department.as_str()
    });
    let role = scope_ranks(&scored, total, |i| {
        people[results[i].person].role_name.as_str()
    });
    for (k, &i) in scored.iter().enumerate() {
        if let Some(card) = results[i].card.as_mut() {
            card.ranks = Ranks {
                company: company[k],
                department: department[k],
                role: role[k],
            };
        }
    }
}

/// (rank, size of scope) for each of `members`, grouped by `group`.
fn scope_ranks<'a>(
    members: &[usize],
    total: impl Fn(usize) -> Decimal,
    group: impl Fn(usize) -> &'a str,
) -> Vec<(u32, u32)> {
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, &i) in members.iter().enumerate() {
        groups.entry(group(i)).or_default().push(k);
    }
    let mut out = vec![(0, 0); members.len()];
    for ks in groups.values() {
        let totals: Vec<Decimal> = ks.iter().map(|&k| total(members[k])).collect();
        let ranks = competition_ranks(&totals);
        for (&k, r) in ks.iter().zip(ranks) {
            out[k] = (r, ks.len() as u32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ties_share_a_rank_and_skip_the_next() {
        let totals = [d("90"), d("95.5"), d("90"), d("80"), d("95.5"), d("100")];
        assert_eq!(competition_ranks(&totals), [4, 2, 4, 6, 2, 1]);
    }

    fn person(id: &str, department: &str, role: &str) -> Person {
        Person {
            staff_id: id.into(),
            name: id.into(),
            department: department.into(),
            role_name: role.into(),
            role: Some(0),
            manager_id: String::new(),
            record: 0,
            hire: None,
            leave: None,
        }
    }

    fn result(person: usize, total: Option<&str>) -> PersonResult {
        PersonResult {
            person,
            card: total.map(|t| crate::score::Scorecard {
                kpis: vec![],
                raw_total: d(t),
                total: d(t),
                grade: 0,
                ranks: Ranks::default(),
                bonus: None,
                bonus_base: None,
                coefficient: None,
                ..Default::default()
            }),
        }
    }

    #[test]
    fn ties_in_every_scope() {
        let people = [
            person("A", "East", "Rep"),
            person("B", "East", "Rep"),
            person("C", "West", "Rep"),
            person("D", "East", "Manager"),
            person("E", "West", "Manager"),
            person("F", "East", "Rep"),
        ];
        let mut results = vec![
            result(0, Some("90.00")),
            result(1, Some("90.00")),
            result(2, Some("95.00")),
            result(3, Some("90.00")),
            result(4, Some("95.00")),
            result(5, None), // incomplete: not ranked, not counted
        ];
        rank_all(&people, &mut results);
        let ranks: Vec<Option<Ranks>> = results
            .iter()
            .map(|r| r.card.as_ref().map(|c| c.ranks))
            .collect();
        // company: C, E tie at 1; A, B, D tie at 3 of 5.
        // East: A, B, D tie at 1 of 3. West: C, E tie at 1 of 2.
        // Rep: C 1st, A and B tie at 2 of 3. Manager: E 1st, D 2nd of 2.
        let r = |company, department, role| {
            Some(Ranks {
                company,
                department,
                role,
            })
        };
        assert_eq!(
            ranks,
            [
                r((3, 5), (1, 3), (2, 3)),
                r((3, 5), (1, 3), (2, 3)),
                r((1, 5), (1, 2), (1, 3)),
                r((3, 5), (1, 3), (2, 2)),
                r((1, 5), (1, 2), (1, 2)),
                None,
            ]
        );
    }

    #[test]
    fn equal_rounded_totals_tie() {
        assert_eq!(competition_ranks(&[d("90.00"), d("90")]), [1, 1]);
        assert_eq!(competition_ranks(&[]), Vec::<u32>::new());
    }
}
