//! Invariants over random rosters and results (proptest): ranks are a valid
//! competition ranking in every scope, bonuses are exact and reconcile, and
//! neither the order of input rows nor the thread count changes any byte.

use std::collections::HashMap;
use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;

use kpi_report::plan::Plan;
use kpi_report::report::csv::{bonus_csv, results_csv};

/// A scope's membership test and a person's (rank, size) in it.
type Scope<'a> = (&'a dyn Fn(usize) -> bool, (u32, u32));

#[derive(Debug, Clone)]
struct Row {
    dept: usize,
    role: usize,
    base: u32,
    sales: i64,
    target: u32,
    new: u32,
    new_target: u32,
    sat: u32,
    complaints: u32,
    collab: u32,
    hours: u32,
    hours_target: u32,
}

fn row() -> impl Strategy<Value = Row> {
    (
        (0usize..3, 0usize..3, 0u32..20, -10_000i64..300_000, 0u32..4),
        (
            0u32..15,
            0u32..3,
            0u32..101,
            0u32..5,
            1u32..6,
            0u32..20,
            0u32..3,
        ),
    )
        .prop_map(
            |(
                (dept, role, base, sales, target),
                (new, new_target, sat, complaints, collab, hours, hours_target),
            )| Row {
                dept,
                role,
                base: base * 500,
                sales,
                // Targets: some 0 (does not apply), mostly round amounts.
                target: target * 50_000,
                new,
                new_target: new_target * 5,
                sat,
                complaints,
                collab,
                hours,
                hours_target: hours_target * 4,
            },
        )
}

const DEPTS: [&str; 3] = ["East", "West", "华南"];
const ROLES: [&str; 3] = ["Sales Representative", "大客户经理", "Sales Manager"];

/// Writes the rows as CSV inputs, in the order given by `order`.
fn write_inputs(dir: &Path, rows: &[Row], order: &[usize]) {
    let mut staff = String::from("Staff ID,Name,Department,Role,Manager ID,Bonus Base\n");
    let mut targets =
        String::from("Staff ID,Sales Target,New Customers Target,Training Hours Target\n");
    let mut results = String::from(
        "Staff ID,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n",
    );
    for &i in order {
        let r = &rows[i];
        staff.push_str(&format!(
            "P{i:03},Person {i},{},{},,{}\n",
            DEPTS[r.dept], ROLES[r.role], r.base
        ));
        targets.push_str(&format!(
            "P{i:03},{},{},{}\n",
            r.target, r.new_target, r.hours_target
        ));
        results.push_str(&format!(
            "P{i:03},{},{},{},{},{},{}\n",
            r.sales, r.new, r.sat, r.complaints, r.collab, r.hours
        ));
    }
    std::fs::write(dir.join("staff.csv"), staff).unwrap();
    std::fs::write(dir.join("targets-2026-10.csv"), targets).unwrap();
    std::fs::write(dir.join("results-2026-10.csv"), results).unwrap();
}

fn outputs(dir: &Path, plan: &Plan) -> (Vec<u8>, Vec<u8>) {
    let eval = kpi_report::evaluate(dir, plan).unwrap();
    let people = &eval.input.dataset.people;
    let month = &eval.periods[0];
    (
        results_csv(plan, people, month).unwrap(),
        bonus_csv(people, month).unwrap().0,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn ranks_bonuses_and_order_independence(rows in prop::collection::vec(row(), 1..30), seed in any::<u64>()) {
        let plan = Plan::standard().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let order: Vec<usize> = (0..rows.len()).collect();
        write_inputs(dir.path(), &rows, &order);
        let eval = kpi_report::evaluate(dir.path(), &plan).unwrap();
        let people = &eval.input.dataset.people;
        let month = &eval.periods[0];

        // Ranks: 1 + the number of strictly higher totals in the scope.
        let scored: Vec<_> = month.people.iter().filter_map(|r| r.card.as_ref().map(|c| (r.person, c))).collect();
        for &(p, card) in &scored {
            let scopes: [Scope<'_>; 3] = [
                (&|_| true, card.ranks.company),
                (&|q| people[q].department == people[p].department, card.ranks.department),
                (&|q| people[q].role_name == people[p].role_name, card.ranks.role),
            ];
            for (same, (rank, size)) in scopes {
                let group: Vec<_> = scored.iter().filter(|(q, _)| same(*q)).collect();
                let higher = group.iter().filter(|(_, c)| c.total > card.total).count() as u32;
                prop_assert_eq!(rank, higher + 1);
                prop_assert_eq!(size as usize, group.len());
            }
        }

        // Bonus = base × coefficient, rounded once to the cent; the export's
        // rows sum to the exact total of the scorecards.
        let mut exact = Decimal::ZERO;
        for &(_, card) in &scored {
            let bonus = card.bonus.unwrap();
            let want = (card.bonus_base.unwrap() * card.coefficient.unwrap())
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            prop_assert_eq!(bonus, want);
            exact += bonus;
        }
        let (_, total) = bonus_csv(people, month).unwrap();
        prop_assert_eq!(total, exact);
        let csv = String::from_utf8(bonus_csv(people, month).unwrap().0).unwrap();
        let summed: Decimal = csv.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().parse::<Decimal>().unwrap()).sum();
        prop_assert_eq!(summed, exact);

        // Shuffled input rows: the same bytes.
        let before = outputs(dir.path(), &plan);
        let mut shuffled = order.clone();
        fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
        write_inputs(dir.path(), &rows, &shuffled);
        prop_assert_eq!(outputs(dir.path(), &plan), before);
    }
}

#[test]
fn thread_count_changes_no_byte() {
    let plan = Plan::standard().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Row> = (0..200)
        .map(|i| Row {
            dept: i % 3,
            role: i % 3,
            base: 1000 + (i as u32 % 7) * 500,
            sales: 40_000 + (i as i64 * 7919) % 120_000,
            target: 100_000,
            new: i as u32 % 12,
            new_target: 10,
            sat: 60 + i as u32 % 40,
            complaints: i as u32 % 3,
            collab: 1 + i as u32 % 5,
            hours: i as u32 % 10,
            hours_target: 8,
        })
        .collect();
    write_inputs(dir.path(), &rows, &(0..rows.len()).collect::<Vec<_>>());
    let mut seen: HashMap<usize, (Vec<u8>, Vec<u8>)> = HashMap::new();
    for threads in [1, 2, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        seen.insert(threads, pool.install(|| outputs(dir.path(), &plan)));
    }
    assert_eq!(seen[&1], seen[&2]);
    assert_eq!(seen[&1], seen[&4]);
}

#[test]
fn absurd_values_are_data_issues_not_panics() {
    let plan = Plan::standard().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("staff.csv"),
        "Staff ID,Name,Department,Role,Manager ID,Bonus Base\nA,A,East,Sales Representative,,1e30\nB,B,East,Sales Representative,,5000\nC,C,East,Sales Representative,,5000\n",
    )
    .unwrap();
    std::fs::write(
        d.join("targets-2026-10.csv"),
        "Staff ID,Sales Target,New Customers Target,Training Hours Target\nA,100000,10,8\nB,0.0000001,10,8\nC,100000,10,8\n",
    )
    .unwrap();
    std::fs::write(
        d.join("results-2026-10.csv"),
        "Staff ID,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\nA,100000,9,88,1,4,6\nB,999999999999999,9,88,1,4,6\nC,1e30,9,88,1,4,6\n",
    )
    .unwrap();
    let eval = kpi_report::evaluate(d, &plan).unwrap();
    let month = &eval.periods[0];
    // A: bonus base 1e30 is refused; C: sales 1e30 is refused; B's ratio is
    // huge but capped, so B is scored.
    let status: Vec<bool> = month.people.iter().map(|r| r.card.is_some()).collect();
    assert_eq!(status, [false, true, false]);
    let codes: Vec<(&str, &str)> = eval
        .input
        .diagnostics
        .iter()
        .map(|d| (d.location.cell.as_deref().unwrap_or(""), d.code.as_str()))
        .collect();
    assert!(codes.contains(&("F2", "out-of-range")), "{codes:?}");
    assert!(codes.contains(&("B4", "out-of-range")), "{codes:?}");
}
