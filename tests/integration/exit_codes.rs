//! Exit codes: 0 clean, 3 written with data issues, 1 nothing written,
//! 2 usage error.

use crate::util::{kpi, repo, scratch, write};

const STAFF: &str = "Staff ID,Name,Department,Role,Manager ID,Bonus Base\n\
S001,Ann Lee,East,Sales Representative,S003,5000\n\
S002,Bo Chen,East,Key Account Manager,S003,8000\n\
S003,Cy Wu,East,Sales Manager,,12000\n";

const TARGETS: &str = "Staff ID,Sales Target,New Customers Target,Training Hours Target\n\
S001,100000,10,8\n\
S002,200000,4,0\n\
S003,500000,10,10\n";

const RESULTS: &str = "Staff ID,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
S001,112500,9,88,1,4,6\n\
S002,90000,3,97,0,5,0\n\
S003,650000,12,92,2,3,12\n";

fn folder(results: &str) -> tempfile::TempDir {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(&input.join("staff.csv"), STAFF);
    write(&input.join("targets-2026-10.csv"), TARGETS);
    write(&input.join("results-2026-10.csv"), results);
    dir
}

#[test]
fn clean_input_exits_0() {
    let dir = folder(RESULTS);
    let out = kpi(dir.path(), &["run", "in", "--out", "reports"]);
    out.expect_code(0);
    let csv = std::fs::read_to_string(dir.path().join("reports/2026-10/results.csv")).unwrap();
    assert!(csv.contains("2026-10,S001,Ann Lee,East,Sales Representative,S003,ok,112.50,90.00,80.00,80.00,80.00,75.00,94.75,B,2,2,1,5000.00"), "{csv}");
}

#[test]
fn blank_actual_exits_3_and_marks_the_person_incomplete() {
    let dir = folder(&RESULTS.replace("S002,90000,3,97", "S002,90000,3,"));
    let out = kpi(dir.path(), &["run", "in", "--out", "reports"]);
    out.expect_code(3);
    assert!(
        out.stderr.contains(
            "results-2026-10.csv › results-2026-10 › D3: 'Satisfaction' is blank for S002"
        ),
        "{}",
        out.stderr
    );
    let csv = std::fs::read_to_string(dir.path().join("reports/2026-10/results.csv")).unwrap();
    let last = csv.lines().last().unwrap();
    assert_eq!(
        last,
        "2026-10,S002,Bo Chen,East,Key Account Manager,S003,incomplete,,,,,,,,,,,,,"
    );
    // The others are still scored and ranked without S002.
    assert!(
        csv.contains(
            "Sales Manager,,ok,120.00,120.00,91.43,60.00,60.00,100.00,95.71,A,1,1,1,14400.00"
        ),
        "{csv}"
    );
}

#[test]
fn strict_with_issues_writes_nothing_and_exits_1() {
    let dir = folder(&RESULTS.replace("S002,90000,3,97", "S002,90000,3,"));
    let out = kpi(dir.path(), &["run", "in", "--out", "reports", "--strict"]);
    out.expect_code(1);
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn unreadable_workbook_exits_1_and_names_it() {
    let dir = folder(RESULTS);
    write(&dir.path().join("in/broken.xlsx"), "this is not a workbook");
    let out = kpi(dir.path(), &["run", "in", "--out", "reports"]);
    out.expect_code(1);
    assert!(
        out.stderr.contains("broken.xlsx: cannot be read"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn bad_flag_exits_2() {
    let out = kpi(&repo(), &["run", "samples/en", "--no-such-flag"]);
    out.expect_code(2);
    let out = kpi(&repo(), &["run", "samples/en", "--lang", "fr"]);
    out.expect_code(2);
}

#[test]
fn bad_plan_exits_1_naming_the_key() {
    let dir = folder(RESULTS);
    let plan = kpi_report::plan::STANDARD_PLAN.replacen("sales = 40,", "sales = 45,", 1);
    write(&dir.path().join("plan.toml"), &plan);
    let out = kpi(dir.path(), &["plan", "check", "plan.toml"]);
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("roles[0].weights: role 'Sales Representative': weights sum to 105, not 100"),
        "{}",
        out.stderr
    );
    let out = kpi(dir.path(), &["run", "in", "--plan", "plan.toml"]);
    out.expect_code(1);
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn previous_reports_survive_a_failed_run() {
    let dir = folder(RESULTS);
    kpi(dir.path(), &["run", "in", "--out", "reports"]).expect_code(0);
    let before = std::fs::read(dir.path().join("reports/2026-10/results.csv")).unwrap();
    write(&dir.path().join("in/broken.xlsx"), "garbage");
    kpi(dir.path(), &["run", "in", "--out", "reports"]).expect_code(1);
    let after = std::fs::read(dir.path().join("reports/2026-10/results.csv")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let dir = folder(RESULTS);
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    write(&dir.path().join("mine/thesis.docx"), "precious");
    let out = kpi(dir.path(), &["run", "in", "--out", "mine"]);
    out.expect_code(1);
    assert!(
        out.stderr.contains("was not written by kpi-report"),
        "{}",
        out.stderr
    );
    assert!(dir.path().join("mine/thesis.docx").exists());
}
