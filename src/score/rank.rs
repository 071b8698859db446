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

    #[test]
    fn equal_rounded_totals_tie() {
        assert_eq!(competition_ranks(&[d("90.00"), d("90")]), [1, 1]);
        assert_eq!(competition_ranks(&[]), Vec::<u32>::new());
    }
}
