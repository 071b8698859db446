//! `kpi-report targets`: goals split into monthly targets workbooks, every
//! number checked by hand, and the workbooks read back by `run`.

use std::path::Path;

use crate::util::{kpi, scratch, sheet_text, write};

const ROSTER_HEAD: &str = "Staff ID,Name,Department,Role,Manager ID,Bonus Base,Hire Date\n";

/// The Targets sheet as (staff id, period, sales target) rows.
fn sales_targets(book: &Path) -> Vec<(String, String, i64)> {
    sheet_text(book, "Targets")
        .into_iter()
        .skip(1)
        .map(|r| {
            (
                r[0].clone(),
                r[2].clone(),
                r[3].parse::<f64>().unwrap() as i64,
            )
        })
        .collect()
}

fn targets(dir: &Path, roster: &str, goals: &str, extra: &[&str]) -> crate::util::Outcome {
    std::fs::create_dir_all(dir.join("in")).unwrap();
    write(&dir.join("in/staff.csv"), &format!("{ROSTER_HEAD}{roster}"));
    write(
        &dir.join("goals.csv"),
        &format!("Scope,Period,Target,Value\n{goals}"),
    );
    let mut args = vec!["targets", "in", "--goals", "goals.csv", "--out", "tg"];
    args.extend_from_slice(extra);
    kpi(dir, &args)
}

/// Seven people, three in East and four in West.
const SEVEN: &str = "S001,A,East,Sales Representative,,5000,\n\
S002,B,East,Sales Representative,,5000,\n\
S003,C,East,Sales Representative,,5000,\n\
S004,D,West,Sales Representative,,5000,\n\
S005,E,West,Sales Representative,,5000,\n\
S006,F,West,Sales Representative,,5000,\n\
S007,G,West,Sales Representative,,5000,\n";

#[test]
fn a_yearly_company_goal_split_equally_sums_exactly() {
    let dir = scratch();
    targets(
        dir.path(),
        SEVEN,
        "company,2027,sales_target,12000000\n",
        &[],
    )
    .expect_code(0);
    let mut year = 0;
    for m in 1..=12 {
        let rows = sales_targets(&dir.path().join(format!("tg/targets-2027-{m:02}.xlsx")));
        assert_eq!(rows.len(), 7);
        assert!(rows.iter().all(|r| r.1 == format!("2027-{m:02}")));
        let month: i64 = rows.iter().map(|r| r.2).sum();
        // 12,000,000 in 12 equal months.
        assert_eq!(month, 1_000_000);
        year += month;
        let values: Vec<i64> = rows.iter().map(|r| r.2).collect();
        // By hand: East gets 3/7 = 428,571.43 and West 4/7 = 571,428.57 of
        // the month; the leftover yuan goes to West (larger remainder).
        // East: 428,571 / 3 = 142,857 each. West: 571,429 / 4 = 142,857.25,
        // the leftover yuan to the smallest staff ID, S004.
        assert_eq!(
            values,
            [
                142_857, 142_857, 142_857, 142_858, 142_857, 142_857, 142_857
            ]
        );
        let (lo, hi) = (values.iter().min().unwrap(), values.iter().max().unwrap());
        assert!(hi - lo <= 1);
    }
    assert_eq!(year, 12_000_000);
    // The allocation sheet shows the steps.
    let alloc = sheet_text(&dir.path().join("tg/targets-2027-01.xlsx"), "Allocation");
    let s004 = alloc.iter().find(|r| r[7] == "S004").unwrap();
    assert_eq!(s004[4], "1000000");
    assert_eq!(s004[6], "571429");
    assert_eq!(s004[12], "142857.25");
    assert_eq!(s004[13], "+1");
}

#[test]
fn a_monthly_distribution_weights_the_months() {
    let dir = scratch();
    let plan = kpi_report::plan::STANDARD_PLAN.replacen(
        "distribution = \"equal\"",
        "distribution = [5, 5, 10, 10, 10, 10, 5, 5, 10, 10, 10, 10]",
        1,
    );
    assert!(plan.contains("distribution = [5,"));
    write(&dir.path().join("plan.toml"), &plan);
    targets(
        dir.path(),
        SEVEN,
        "company,2027-Q1,sales_target,700000\n",
        &["--plan", "plan.toml"],
    )
    .expect_code(0);
    // Q1 weights 5:5:10 of 20: 175,000, 175,000, 350,000; 350,000 / 7 = 50,000.
    let month = |m: u32| -> Vec<i64> {
        sales_targets(&dir.path().join(format!("tg/targets-2027-{m:02}.xlsx")))
            .iter()
            .map(|r| r.2)
            .collect()
    };
    assert_eq!(month(1), [25_000; 7]);
    assert_eq!(month(2), [25_000; 7]);
    assert_eq!(month(3), [50_000; 7]);
    assert!(!dir.path().join("tg/targets-2027-04.xlsx").exists());
}

#[test]
fn a_share_based_split_reproduces_last_years_shares() {
    let dir = scratch();
    let plan =
        kpi_report::plan::STANDARD_PLAN.replacen("people = \"equal\"", "people = \"history\"", 1);
    assert!(plan.contains("people = \"history\""));
    write(&dir.path().join("plan.toml"), &plan);
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    // 2026 sales: S001 100,000 + 50,000; S002 300,000 + 150,000; S003
    // 600,000 + 300,000: shares 10 %, 30 %, 60 %.
    write(
        &dir.path().join("in/results-2026-11.csv"),
        "Staff ID,Period,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
         S001,2026-11,100000,1,90,0,4,8\nS002,2026-11,300000,1,90,0,4,8\nS003,2026-11,600000,1,90,0,4,8\n",
    );
    write(
        &dir.path().join("in/results-2026-12.csv"),
        "Staff ID,Period,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
         S001,2026-12,50000,1,90,0,4,8\nS002,2026-12,150000,1,90,0,4,8\nS003,2026-12,300000,1,90,0,4,8\n",
    );
    targets(
        dir.path(),
        "S001,A,East,Sales Representative,,5000,\n\
         S002,B,East,Sales Representative,,5000,\n\
         S003,C,West,Sales Representative,,5000,\n",
        "company,2027-01,sales_target,1234567\n",
        &["--plan", "plan.toml"],
    )
    .expect_code(0);
    let values: Vec<i64> = sales_targets(&dir.path().join("tg/targets-2027-01.xlsx"))
        .iter()
        .map(|r| r.2)
        .collect();
    // By hand: East 40 % = 493,826.8, West 60 % = 740,740.2; the leftover
    // yuan to East (.8). East 493,827 by 1:3 = 123,456.75 and 370,370.25:
    // the leftover to S001 (.75).
    assert_eq!(values, [123_457, 370_370, 740_740]);
    assert_eq!(values.iter().sum::<i64>(), 1_234_567);
    // Shares of 1,000,000 are reproduced to the yuan.
    let dir2 = scratch();
    std::fs::create_dir_all(dir2.path().join("in")).unwrap();
    for f in [
        "plan.toml",
        "in/results-2026-11.csv",
        "in/results-2026-12.csv",
    ] {
        std::fs::copy(dir.path().join(f), dir2.path().join(f)).unwrap();
    }
    targets(
        dir2.path(),
        "S001,A,East,Sales Representative,,5000,\nS002,B,East,Sales Representative,,5000,\nS003,C,West,Sales Representative,,5000,\n",
        "company,2027-01,sales_target,1000000\n",
        &["--plan", "plan.toml"],
    )
    .expect_code(0);
    let values: Vec<i64> = sales_targets(&dir2.path().join("tg/targets-2027-01.xlsx"))
        .iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(values, [100_000, 300_000, 600_000]);
}

#[test]
fn a_fixed_individual_target_is_kept_and_the_rest_sums_exactly() {
    let dir = scratch();
    targets(
        dir.path(),
        "S001,A,East,Sales Manager,,5000,\n\
         S002,B,East,Sales Representative,S001,5000,\n\
         S003,C,East,Sales Representative,S001,5000,\n\
         S004,D,East,Sales Representative,S001,5000,\n",
        "company,2027-01,sales_target,1000000\nS001,2027-01,sales_target,100001\n",
        &[],
    )
    .expect_code(0);
    let values: Vec<i64> = sales_targets(&dir.path().join("tg/targets-2027-01.xlsx"))
        .iter()
        .map(|r| r.2)
        .collect();
    // The rest, 899,999, over three: 299,999.67 each; two leftover yuan to
    // S002 and S003.
    assert_eq!(values, [100_001, 300_000, 300_000, 299_999]);
    assert_eq!(values.iter().sum::<i64>(), 1_000_000);
}

#[test]
fn a_joiner_gets_a_prorated_share_and_run_reads_the_targets_back() {
    let dir = scratch();
    targets(
        dir.path(),
        "S001,Ann,East,Sales Representative,,5000,\nS002,Bob,East,Sales Representative,S001,5000,2027-01-17\n",
        "company,2027-01,sales_target,460000\n\
         company,2027-01,new_customers_target,20\n\
         company,2027-01,training_hours_target,16\n",
        &[],
    )
    .expect_code(0);
    let book = dir.path().join("tg/targets-2027-01.xlsx");
    let rows = sheet_text(&book, "Targets");
    assert_eq!(
        rows[0],
        [
            "Staff ID",
            "Name",
            "Period",
            "Sales Target",
            "New Customers Target",
            "Training Hours Target"
        ]
    );
    // Bob joined on the 17th: 15 of 31 days. Weights 31 : 15 of 46:
    // sales 310,000 and 150,000; customers 13.48 / 6.52 -> 13, 7;
    // hours 10.78 / 5.22 -> 11, 5.
    assert_eq!(rows[1][3..], ["310000", "13", "11"]);
    assert_eq!(rows[2][3..], ["150000", "7", "5"]);
    // `run` reads the targets back with no issue.
    std::fs::copy(&book, dir.path().join("in/targets-2027-01.xlsx")).unwrap();
    write(
        &dir.path().join("in/results-2027-01.csv"),
        "Staff ID,Period,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
         S001,2027-01,310000,13,90,0,4,11\n\
         S002,2027-01,150000,7,85,1,3,5\n",
    );
    let out = kpi(dir.path(), &["run", "in", "--out", "rep"]);
    out.expect_code(0);
    assert!(out.stderr.contains("0 data issues"), "{}", out.stderr);
    let results = crate::util::read_csv(&dir.path().join("rep/2027-01/results.csv"));
    assert!(results.len() > 2);
}

#[test]
fn problems_name_their_cell_and_nothing_is_written() {
    let dir = scratch();
    let out = targets(
        dir.path(),
        SEVEN,
        "company,2027,sales_target,100\ncompany,2027-13,sales_target,5\ncompany,2027,sales,5\n",
        &[],
    );
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("goals.csv › goals › B3: period '2027-13'"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("goals.csv › goals › C4: 'sales' is not a target column"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("tg").exists());
    // A scope that is no department or staff ID.
    let out = targets(dir.path(), SEVEN, "North,2027,sales_target,100\n", &[]);
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("goals.csv › goals › A2: scope 'North' is not company"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("tg").exists());
    // Two goals for the same people and month.
    let out = targets(
        dir.path(),
        SEVEN,
        "company,2027,sales_target,1200\ncompany,2027-Q1,sales_target,300\n",
        &[],
    );
    out.expect_code(1);
    assert!(out.stderr.contains("keep one"), "{}", out.stderr);
}

#[test]
fn a_file_it_did_not_write_is_never_replaced() {
    let dir = scratch();
    std::fs::create_dir_all(dir.path().join("tg")).unwrap();
    write(&dir.path().join("tg/targets-2027-01.xlsx"), "HR's own file");
    let out = targets(dir.path(), SEVEN, "company,2027-01,sales_target,7\n", &[]);
    out.expect_code(1);
    assert!(
        out.stderr.contains("was not written by kpi-report"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tg/targets-2027-01.xlsx")).unwrap(),
        "HR's own file"
    );
    // Its own files it replaces.
    std::fs::remove_file(dir.path().join("tg/targets-2027-01.xlsx")).unwrap();
    targets(dir.path(), SEVEN, "company,2027-01,sales_target,7\n", &[]).expect_code(0);
    targets(dir.path(), SEVEN, "company,2027-01,sales_target,14\n", &[]).expect_code(0);
    let values: Vec<i64> = sales_targets(&dir.path().join("tg/targets-2027-01.xlsx"))
        .iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(values, [2; 7]);
}

#[test]
fn a_split_by_role_weight() {
    let dir = scratch();
    let plan = kpi_report::plan::STANDARD_PLAN
        .replacen("people = \"equal\"", "people = \"role_weight\"", 1)
        .replacen(
            "role_weights = {}",
            "role_weights = { \"Key Account Manager\" = 2 }",
            1,
        );
    assert!(plan.contains("\"Key Account Manager\" = 2"));
    write(&dir.path().join("plan.toml"), &plan);
    targets(
        dir.path(),
        "S001,A,East,Key Account Manager,,5000,\n\
         S002,B,East,Sales Representative,,5000,\n\
         S003,C,East,Sales Representative,,5000,\n",
        "company,2027-01,sales_target,100001\n",
        &["--plan", "plan.toml"],
    )
    .expect_code(0);
    let values: Vec<i64> = sales_targets(&dir.path().join("tg/targets-2027-01.xlsx"))
        .iter()
        .map(|r| r.2)
        .collect();
    // Weights 2 : 1 : 1: quotas 50,000.5, 25,000.25, 25,000.25; the one
    // yuan left goes to the largest remainder, S001.
    assert_eq!(values, [50_001, 25_000, 25_000]);
}
