//! Month-end close: proration for joiners and leavers (issue 15), run on
//! workbooks made here and read back from what the binary wrote.

use std::path::Path;

use crate::util::{kpi, read_csv, scratch, write};

/// Three Sales Representatives with the same targets and results (so the
/// same total, grade and coefficient) and a bonus base of 3100: S001 is
/// employed all October, S002 joined on the 20th, S003 left on the 10th.
/// `extra` is written after each roster row's dates (for more people).
fn month(dir: &Path, roster_rows: &[(&str, &str, &str)]) {
    let mut staff =
        String::from("Staff ID,Name,Department,Role,Manager ID,Hire Date,Leave Date,Bonus Base\n");
    let mut targets =
        String::from("Staff ID,Period,Sales Target,New Customers Target,Training Hours Target\n");
    let mut results = String::from(
        "Staff ID,Period,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n",
    );
    for (id, hire, leave) in roster_rows {
        staff.push_str(&format!(
            "{id},Person {id},East,Sales Representative,,{hire},{leave},3100\n"
        ));
        targets.push_str(&format!("{id},2026-10,100000,10,8\n"));
        results.push_str(&format!("{id},2026-10,100000,10,90,0,4,8\n"));
    }
    write(&dir.join("staff.csv"), &staff);
    write(&dir.join("targets-2026-10.csv"), &targets);
    write(&dir.join("results-2026-10.csv"), &results);
}

fn bonus_of(rows: &[Vec<String>], id: &str) -> rust_decimal::Decimal {
    let header = &rows[0];
    let b = header.iter().position(|h| h == "bonus").unwrap();
    let s = header.iter().position(|h| h == "staff_id").unwrap();
    let row = rows.iter().find(|r| r[s] == id).unwrap();
    row[b].parse().unwrap()
}

#[test]
fn joiner_and_leaver_bonuses_are_prorated_by_calendar_days() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    month(
        &input,
        &[
            ("S001", "2020-01-01", ""),
            ("S002", "2026-10-20", ""),
            ("S003", "2019-05-01", "2026-10-10"),
        ],
    );
    let out = dir.path().join("out");
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    let rows = read_csv(&out.join("2026-10/results.csv"));
    let full = bonus_of(&rows, "S001");
    assert!(full > rust_decimal::Decimal::ZERO, "{rows:?}");
    // Base 3100 × coefficient for the whole month; the joiner is employed
    // 20–31 October, 12 of 31 days; the leaver 1–10 October, 10 of 31:
    // 3100 × 12 ÷ 31 = 1200 and 3100 × 10 ÷ 31 = 1000 times the same
    // coefficient, exactly.
    assert_eq!(
        bonus_of(&rows, "S002") * rust_decimal::Decimal::from(31),
        full * rust_decimal::Decimal::from(12)
    );
    assert_eq!(
        bonus_of(&rows, "S003") * rust_decimal::Decimal::from(31),
        full * rust_decimal::Decimal::from(10)
    );

    let joiner = kpi(
        dir.path(),
        &["explain", "in", "--staff", "S002", "--period", "2026-10"],
    );
    joiner.expect_code(0);
    let text = &joiner.stdout;
    assert!(
        text.contains("employed 12 of 31 calendar days (hired 2026-10-20): fraction 12/31"),
        "{text}"
    );
    assert!(
        text.contains("prorated: employed 12 of 31 calendar days"),
        "{text}"
    );
    assert!(text.contains("× 12 ÷ 31 ="), "{text}");
    let leaver = kpi(
        dir.path(),
        &["explain", "in", "--staff", "S003", "--period", "2026-10"],
    );
    assert!(
        leaver.stdout.contains(
            "employed 10 of 31 calendar days (hired 2019-05-01, left 2026-10-10): fraction 10/31"
        ),
        "{}",
        leaver.stdout
    );
    let zh = kpi(
        dir.path(),
        &[
            "explain", "in", "--staff", "S002", "--period", "2026-10", "--lang", "zh",
        ],
    );
    assert!(zh.stdout.contains("比例 12/31"), "{}", zh.stdout);

    // A re-run with nothing changed writes the same bytes.
    let before = std::fs::read(out.join("2026-10/results.csv")).unwrap();
    kpi(dir.path(), &["run", "in", "--out", "out", "--force"]).expect_code(0);
    assert_eq!(
        std::fs::read(out.join("2026-10/results.csv")).unwrap(),
        before
    );
}

#[test]
fn a_ramp_scales_a_new_hires_targets_and_min_days_leaves_a_short_month_out() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    month(
        &input,
        &[
            ("S001", "2020-01-01", ""),
            ("S002", "2026-09-01", ""),
            ("S003", "2026-10-29", ""),
        ],
    );
    let plan = crate::util::repo().join("templates/standard.toml");
    let text = std::fs::read_to_string(plan)
        .unwrap()
        .replace("ramp = []", "ramp = [0.5, 0.75, 1]")
        .replace("min_days = 0", "min_days = 5");
    write(&dir.path().join("plan.toml"), &text);
    let run = kpi(
        dir.path(),
        &["run", "in", "--out", "out", "--plan", "plan.toml"],
    );
    run.expect_code(0);
    // S003 joined on the 29th: 3 days, fewer than 5, not scored (a note).
    assert!(
        run.stderr.contains("S003 (Person S003) is not scored for 2026-10: employed 3 days in it, fewer than the plan's minimum of 5"),
        "{}",
        run.stderr
    );
    // S002 is in month 2 since hiring: targets at 75 %, so the same sales
    // of 100000 score against 75000.
    let ex = kpi(
        dir.path(),
        &[
            "explain",
            "in",
            "--staff",
            "S002",
            "--period",
            "2026-10",
            "--plan",
            "plan.toml",
        ],
    );
    ex.expect_code(0);
    assert!(
        ex.stdout
            .contains("new-hire ramp: month 2 since hiring, targets at 0.75"),
        "{}",
        ex.stdout
    );
    assert!(
        ex.stdout
            .contains("target Sales Target scored as 100000 × 0.75 = 75000"),
        "{}",
        ex.stdout
    );
}

fn row_of<'a>(rows: &'a [Vec<String>], id: &str) -> std::collections::HashMap<&'a str, &'a str> {
    let header = &rows[0];
    let s = header.iter().position(|h| h == "staff_id").unwrap();
    let row = rows.iter().find(|r| r[s] == id).unwrap();
    header
        .iter()
        .map(String::as_str)
        .zip(row.iter().map(String::as_str))
        .collect()
}

#[test]
fn adjustments_of_each_kind_apply_and_show_in_the_trail_sheet_and_csv() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    month(
        &input,
        &[
            ("S001", "2020-01-01", ""),
            ("S002", "2020-01-01", ""),
            ("S003", "2020-01-01", ""),
            ("S004", "2020-01-01", ""),
        ],
    );
    write(
        &input.join("adjustments.csv"),
        "Staff ID,Period,Item,Value,Reason,Approved By\n\
         S001,2026-10,sales,120000,Late invoice booked,Zhang Min\n\
         S001,2026-10,bonus_add,-200,Advance repaid,Zhang Min\n\
         S002,2026-10,score_sales,110,Calibration meeting,Li Hua\n\
         S002,2026-10,grade,C,Calibration meeting,Li Hua\n\
         S003,2026-10,total,88.5,Calibration meeting,Li Hua\n\
         S003,2026-10,bonus,1234.5,Agreed payout,Li Hua\n\
         S004,2026-10,total,99,,Li Hua\n",
    );
    let run = kpi(dir.path(), &["run", "in", "--out", "out"]);
    run.expect_code(3);
    // The row without a reason is an error at its Reason cell, not applied.
    assert!(run.stderr.contains("E8"), "{}", run.stderr);
    assert!(
        run.stderr.contains("S004: the adjustment has no 'Reason'"),
        "{}",
        run.stderr
    );
    let rows = read_csv(&dir.path().join("out/2026-10/results.csv"));
    assert_eq!(rows[0].last().unwrap(), "adjusted");
    let s3 = row_of(&rows, "S003");
    assert_eq!(s3["total_score"], "88.50");
    assert_eq!(s3["bonus"], "1234.50");
    assert_eq!(s3["adjusted"], "yes");
    let s2 = row_of(&rows, "S002");
    assert_eq!(s2["score_sales"], "110.00");
    assert_eq!(s2["grade"], "C");
    let s4 = row_of(&rows, "S004");
    assert_eq!(s4["adjusted"], "");
    assert_ne!(s4["total_score"], "99.00");

    let ex = |id: &str| {
        kpi(
            dir.path(),
            &["explain", "in", "--staff", id, "--period", "2026-10"],
        )
        .stdout
    };
    let s1 = ex("S001");
    assert!(
        s1.contains("adjusted: sales from 100000 to 120000 — Late invoice booked — approved by Zhang Min  [adjustments.csv"),
        "{s1}"
    );
    // bonus_add: the line's "to" is its "from" minus 200, to the cent.
    let line = s1
        .lines()
        .find(|l| l.contains("adjusted: bonus_add from "))
        .unwrap();
    let nums: Vec<rust_decimal::Decimal> = line
        .split(['m', 't', ' '])
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(nums.len(), 2, "{line}");
    assert_eq!(
        nums[1],
        nums[0] - rust_decimal::Decimal::from(200),
        "{line}"
    );
    let paid = bonus_of(&rows, "S001");
    assert_eq!(paid, nums[1]);
    let s3t = ex("S003");
    assert!(s3t.contains("adjusted: total from "), "{s3t}");
    assert!(
        s3t.contains(" to 88.5 — Calibration meeting — approved by Li Hua"),
        "{s3t}"
    );
    assert!(s3t.contains("adjusted: bonus from "), "{s3t}");
    let s2t = ex("S002");
    assert!(
        s2t.contains("adjusted: score_sales from 100 to 110"),
        "{s2t}"
    );
    assert!(s2t.contains("adjusted: grade from "), "{s2t}");

    // The summary's Adjustments sheet lists all six.
    let sheet =
        crate::util::sheet_text(&dir.path().join("out/2026-10/summary.xlsx"), "Adjustments");
    assert_eq!(sheet.len(), 7, "{sheet:?}");
    assert_eq!(sheet[0][5], "Reason");
    assert!(
        sheet
            .iter()
            .any(|r| r[0] == "S003" && r[2] == "bonus" && r[4] == "1234.5"),
        "{sheet:?}"
    );

    // Re-runs with nothing changed stay byte-identical.
    let before = std::fs::read(dir.path().join("out/2026-10/results.csv")).unwrap();
    let summary = std::fs::read(dir.path().join("out/2026-10/summary.xlsx")).unwrap();
    kpi(dir.path(), &["run", "in", "--out", "out", "--force"]).expect_code(3);
    assert_eq!(
        std::fs::read(dir.path().join("out/2026-10/results.csv")).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/2026-10/summary.xlsx")).unwrap(),
        summary
    );

    // A changed reason alone (no number moves) still rebuilds the month.
    let csv = std::fs::read_to_string(input.join("adjustments.csv"))
        .unwrap()
        .replace("Agreed payout", "Agreed payout (minutes 2026-11-02)");
    write(&input.join("adjustments.csv"), &csv);
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(3);
    let sheet =
        crate::util::sheet_text(&dir.path().join("out/2026-10/summary.xlsx"), "Adjustments");
    assert!(
        sheet
            .iter()
            .any(|r| r[5] == "Agreed payout (minutes 2026-11-02)"),
        "{sheet:?}"
    );
}

// ---------------------------------------------------------------------------
// Changes, close, corrections, reopen, paid vs due.

use rust_decimal::Decimal;

/// One person's October (or November) results: sales, new customers,
/// complaints; the rest as in [`month`].
type Results<'a> = &'a [(&'a str, u32, u32, u32)];

/// A roster of S001–S003 (Sales Representatives, bonus base 3100, employed
/// all year), targets 100000 / 10 / 8 for each month, and the results in
/// a real xlsx workbook (`results.xlsx`, sheet `Results`, one row per
/// person and month in the order given).
fn workbooks(dir: &Path, months: &[(&str, Results<'_>)]) {
    let mut staff = String::from("Staff ID,Name,Department,Role,Manager ID,Bonus Base\n");
    let mut targets =
        String::from("Staff ID,Period,Sales Target,New Customers Target,Training Hours Target\n");
    for id in ["S001", "S002", "S003"] {
        staff.push_str(&format!(
            "{id},Person {id},East,Sales Representative,,3100\n"
        ));
        for (period, _) in months {
            targets.push_str(&format!("{id},{period},100000,10,8\n"));
        }
    }
    write(&dir.join("staff.csv"), &staff);
    write(&dir.join("targets.csv"), &targets);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Results").unwrap();
    let header = [
        "Staff ID",
        "Period",
        "Sales",
        "New Customers",
        "Satisfaction",
        "Complaints",
        "Collaboration Rating",
        "Training Hours",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let mut row = 1;
    for (period, people) in months {
        for (id, sales, new_customers, complaints) in *people {
            ws.write_string(row, 0, *id).unwrap();
            ws.write_string(row, 1, *period).unwrap();
            ws.write_number(row, 2, f64::from(*sales)).unwrap();
            ws.write_number(row, 3, f64::from(*new_customers)).unwrap();
            ws.write_number(row, 4, 90.0).unwrap();
            ws.write_number(row, 5, f64::from(*complaints)).unwrap();
            ws.write_number(row, 6, 4.0).unwrap();
            ws.write_number(row, 7, 8.0).unwrap();
            row += 1;
        }
    }
    wb.save(dir.join("results.xlsx")).unwrap();
}

/// Everyone on target: each total is (40×100 + 20×100 + 15×(90−60)/35×100 +
/// 10×100 + 10×80 + 5×100) / 100 = 95.857… → 95.86, grade A, bonus
/// 3100 × 1.2 = 3720.00.
const ON_TARGET: Results<'static> = &[
    ("S001", 100000, 10, 0),
    ("S002", 100000, 10, 0),
    ("S003", 100000, 10, 0),
];

/// S002 sells 120000 and wins 12 new customers (both scores 120): total
/// 107.86, grade S, bonus 4650.00. S003 has 2 complaints (score 60): total
/// 91.86, grade B, bonus 3100.00. S001 is unchanged but drops to rank 2.
const LATE_NEWS: Results<'static> = &[
    ("S001", 100000, 10, 0),
    ("S002", 120000, 12, 0),
    ("S003", 100000, 10, 2),
];

fn money(rows: &[Vec<String>], id: &str, column: &str) -> Option<Decimal> {
    let header = &rows[0];
    let c = header.iter().position(|h| h == column).unwrap();
    rows.iter()
        .find(|r| r[0] == id || r.get(1).is_some_and(|s| s == id))
        .and_then(|r| r[c].parse().ok())
}

/// Bonus by staff id, from a bonus.csv or results.csv.
fn bonuses(path: &Path) -> std::collections::BTreeMap<String, Decimal> {
    let rows = read_csv(path);
    let s = rows[0].iter().position(|h| h == "staff_id").unwrap();
    let b = rows[0].iter().position(|h| h == "bonus").unwrap();
    rows[1..]
        .iter()
        .filter_map(|r| Some((r[s].clone(), r[b].parse().ok()?)))
        .collect()
}

#[test]
fn a_changed_input_cell_is_listed_with_its_place_and_the_line_counts_people() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    workbooks(&input, &[("2026-10", ON_TARGET)]);
    let first = kpi(dir.path(), &["run", "in", "--out", "out"]);
    first.expect_code(0);
    let out = dir.path().join("out");
    assert!(!out.join("2026-10/changes.csv").exists());
    assert!(out.join("2026-10/inputs.csv").exists());
    assert_eq!(
        bonuses(&out.join("2026-10/bonus.csv"))["S002"],
        Decimal::new(372000, 2)
    );

    workbooks(&input, &[("2026-10", LATE_NEWS)]);
    let second = kpi(dir.path(), &["run", "in", "--out", "out"]);
    second.expect_code(0);
    // S002 and S003 changed total, grade and bonus; S001 only its rank
    // (1 → 2): three people.
    assert!(
        second
            .stderr
            .contains("3 people changed since the last run (2026-10: 3)"),
        "{}",
        second.stderr
    );
    let rows = read_csv(&out.join("2026-10/changes.csv"));
    assert_eq!(
        rows[0],
        ["staff_id", "name", "change", "place", "old", "new"]
    );
    let has = |row: [&str; 6]| rows.iter().any(|r| r == &row);
    assert!(
        has([
            "S002",
            "Person S002",
            "input:sales",
            "results.xlsx › Results › C3",
            "100000",
            "120000"
        ]),
        "{rows:?}"
    );
    assert!(
        has([
            "S003",
            "Person S003",
            "input:complaints",
            "results.xlsx › Results › F4",
            "0",
            "2"
        ]),
        "{rows:?}"
    );
    assert!(
        has(["S002", "Person S002", "total_score", "", "95.86", "107.86"]),
        "{rows:?}"
    );
    assert!(
        has(["S002", "Person S002", "grade", "", "A", "S"]),
        "{rows:?}"
    );
    assert!(
        has(["S002", "Person S002", "bonus", "", "3720.00", "4650.00"]),
        "{rows:?}"
    );
    assert!(
        has(["S001", "Person S001", "rank_company", "", "1", "2"]),
        "{rows:?}"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r[0] == "S001" && r[2] != "rank_company"),
        "{rows:?}"
    );
    // The same rows on the Changes sheet of the summary.
    let sheet = crate::util::sheet_text(&out.join("2026-10/summary.xlsx"), "Changes");
    assert!(sheet[0][0].starts_with("3 people changed"), "{sheet:?}");
    assert!(
        sheet.iter().any(|r| r[0] == "S002"
            && r[2] == "input:sales"
            && r[3] == "results.xlsx › Results › C3"
            && r[4] == "100000"
            && r[5] == "120000"),
        "{sheet:?}"
    );

    // Run again with nothing changed: every file the same bytes, and the
    // line says no one changed.
    let before = crate::util::tree(&out);
    let third = kpi(dir.path(), &["run", "in", "--out", "out"]);
    third.expect_code(0);
    assert!(
        third.stderr.contains("0 people changed since the last run"),
        "{}",
        third.stderr
    );
    assert_eq!(crate::util::tree(&out), before);
}

#[test]
fn reruns_with_nothing_changed_are_byte_identical_before_and_after_close() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    workbooks(&input, &[("2026-10", ON_TARGET), ("2026-11", ON_TARGET)]);
    let out = dir.path().join("out");
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    let first = crate::util::tree(&out);
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    assert_eq!(crate::util::tree(&out), first);
    kpi(dir.path(), &["run", "in", "--out", "out", "--force"]).expect_code(0);
    assert_eq!(crate::util::tree(&out), first);
    for rel in first.keys() {
        let name = rel.to_string_lossy();
        assert!(
            !name.contains("changes.csv") && !name.contains("corrections"),
            "{name}"
        );
    }

    kpi(
        dir.path(),
        &["close", "2026-10", "--out", "out", "--by", "Finance"],
    )
    .expect_code(0);
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    let closed = crate::util::tree(&out);
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    assert_eq!(crate::util::tree(&out), closed);
    // Closing changed no month's file: the same bytes, plus the record;
    // the year to date gains paid against due.
    for (rel, bytes) in &first {
        let name = rel.to_string_lossy();
        if name != "manifest.json" && !name.starts_with("ytd-2026") {
            assert!(closed.get(rel) == Some(bytes), "{name} changed");
        }
    }
    assert!(closed.contains_key(Path::new("closed.json")));
    assert!(closed.contains_key(Path::new("ytd-2026/paid-vs-due.csv")));
    assert!(
        !closed
            .keys()
            .any(|r| r.to_string_lossy().contains("corrections")),
        "{:?}",
        closed.keys()
    );
}

#[test]
fn close_then_a_change_keeps_the_paid_file_and_writes_corrections_that_reconcile() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    workbooks(&input, &[("2026-10", ON_TARGET)]);
    let out = dir.path().join("out");
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    // Closing a month with no reports, or a year to date, is refused.
    let none = kpi(dir.path(), &["close", "2026-12", "--out", "out"]);
    none.expect_code(1);
    assert!(
        none.stderr.contains("no reports for 2026-12"),
        "{}",
        none.stderr
    );
    let closed = kpi(
        dir.path(),
        &["close", "2026-10", "--out", "out", "--by", "Finance"],
    );
    closed.expect_code(0);
    assert!(
        closed
            .stderr
            .contains("closed 2026-10: 2026-10/bonus.csv records 3 people paid, total 11160.00"),
        "{}",
        closed.stderr
    );
    let again = kpi(dir.path(), &["close", "2026-10", "--out", "out"]);
    again.expect_code(1);
    assert!(again.stderr.contains("already closed"), "{}", again.stderr);
    let paid_bytes = std::fs::read(out.join("2026-10/bonus.csv")).unwrap();
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("closed.json")).unwrap()).unwrap();
    assert_eq!(record["closed"]["2026-10"]["closed_by"], "Finance");
    assert_eq!(record["log"][0]["action"], "close");

    workbooks(&input, &[("2026-10", LATE_NEWS)]);
    let run = kpi(dir.path(), &["run", "in", "--out", "out"]);
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("payroll corrections: 2026-10/payroll-corrections-2026-10.csv"),
        "{}",
        run.stderr
    );
    // The paid payroll is kept byte for byte.
    assert_eq!(
        std::fs::read(out.join("2026-10/bonus.csv")).unwrap(),
        paid_bytes
    );
    // Corrections: new bonus (results.csv) − paid bonus (the paid
    // bonus.csv), per person and in total, to the cent.
    let paid = bonuses(&out.join("2026-10/bonus.csv"));
    let new = bonuses(&out.join("2026-10/results.csv"));
    let rows = read_csv(&out.join("2026-10/payroll-corrections-2026-10.csv"));
    assert_eq!(
        rows[0],
        [
            "staff_id",
            "name",
            "department",
            "paid",
            "due",
            "correction",
            "reason"
        ]
    );
    let people: Vec<&Vec<String>> = rows[1..].iter().filter(|r| !r[0].is_empty()).collect();
    let ids: Vec<&str> = people.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["S002", "S003"]);
    let mut sum = Decimal::ZERO;
    for r in &people {
        let expected = new[&r[0]] - paid[&r[0]];
        assert_eq!(r[5].parse::<Decimal>().unwrap(), expected, "{r:?}");
        assert_eq!(r[3].parse::<Decimal>().unwrap(), paid[&r[0]]);
        assert_eq!(r[4].parse::<Decimal>().unwrap(), new[&r[0]]);
        sum += expected;
    }
    // 4650.00 − 3720.00 and 3100.00 − 3720.00, by hand.
    assert_eq!(
        money(&rows, "S002", "correction"),
        Some(Decimal::new(93000, 2))
    );
    assert_eq!(
        money(&rows, "S003", "correction"),
        Some(Decimal::new(-62000, 2))
    );
    let total = rows.last().unwrap();
    assert_eq!(total[1], "TOTAL");
    assert_eq!(total[5].parse::<Decimal>().unwrap(), sum);
    let all_new: Decimal = new.values().sum();
    let all_paid: Decimal = paid.values().sum();
    assert_eq!(sum, all_new - all_paid);
    assert!(
        people[0][6].contains("sales (results.xlsx › Results › C3): 100000 → 120000"),
        "{:?}",
        people[0]
    );
    assert!(
        people[1][6].contains("complaints (results.xlsx › Results › F4): 0 → 2"),
        "{:?}",
        people[1]
    );
    // And the Changes sheet of the month.
    let sheet = crate::util::sheet_text(&out.join("2026-10/summary.xlsx"), "Changes");
    assert!(
        sheet.iter().any(|r| r[0] == "S003" && r[2] == "bonus"),
        "{sheet:?}"
    );

    // A further re-run changes nothing; undoing the change removes the
    // corrections (nothing left to pay or recover).
    let before = crate::util::tree(&out);
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    assert_eq!(crate::util::tree(&out), before);
    workbooks(&input, &[("2026-10", ON_TARGET)]);
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    assert!(!out.join("2026-10/payroll-corrections-2026-10.csv").exists());
    assert_eq!(
        std::fs::read(out.join("2026-10/bonus.csv")).unwrap(),
        paid_bytes
    );
}

#[test]
fn reopen_needs_a_reason_then_replaces_the_payroll_and_is_recorded() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    workbooks(&input, &[("2026-10", ON_TARGET)]);
    let out = dir.path().join("out");
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    kpi(dir.path(), &["close", "2026-10", "--out", "out"]).expect_code(0);
    workbooks(&input, &[("2026-10", LATE_NEWS)]);
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    let before = crate::util::tree(&out);

    for args in [
        &["run", "in", "--out", "out", "--reopen", "2026-10"][..],
        &[
            "run", "in", "--out", "out", "--reopen", "2026-10", "--reason", "",
        ][..],
        &[
            "run", "in", "--out", "out", "--reopen", "2026-10", "--reason", "  ",
        ][..],
        &["run", "in", "--out", "out", "--reason", "why"][..],
    ] {
        let refused = kpi(dir.path(), args);
        refused.expect_code(2);
        assert_eq!(crate::util::tree(&out), before, "{args:?}");
    }
    let not_closed = kpi(
        dir.path(),
        &[
            "run", "in", "--out", "out", "--reopen", "2026-09", "--reason", "x",
        ],
    );
    not_closed.expect_code(1);
    assert!(
        not_closed.stderr.contains("2026-09 is not closed"),
        "{}",
        not_closed.stderr
    );
    assert_eq!(crate::util::tree(&out), before);

    let reopened = kpi(
        dir.path(),
        &[
            "run",
            "in",
            "--out",
            "out",
            "--reopen",
            "2026-10",
            "--reason",
            "Payroll rerun approved by the CFO",
            "--by",
            "Zhang Min",
        ],
    );
    reopened.expect_code(0);
    assert!(
        reopened.stderr.contains("2026-10 reopened"),
        "{}",
        reopened.stderr
    );
    // bonus.csv now holds the new numbers, and no corrections are due.
    let new = bonuses(&out.join("2026-10/results.csv"));
    assert_eq!(bonuses(&out.join("2026-10/bonus.csv")), new);
    assert_eq!(new["S002"], Decimal::new(465000, 2));
    assert!(!out.join("2026-10/payroll-corrections-2026-10.csv").exists());
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("closed.json")).unwrap()).unwrap();
    assert!(record["closed"].get("2026-10").is_none(), "{record}");
    let last = &record["log"][1];
    assert_eq!(last["action"], "reopen");
    assert_eq!(last["by"], "Zhang Min");
    assert_eq!(last["reason"], "Payroll rerun approved by the CFO");
    assert_eq!(last["period"], "2026-10");
    // The month can be closed again, on the new payroll.
    kpi(dir.path(), &["close", "2026-10", "--out", "out"]).expect_code(0);
}

#[test]
fn a_paid_payroll_or_the_close_record_changed_outside_is_refused() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    workbooks(&input, &[("2026-10", ON_TARGET)]);
    let out = dir.path().join("out");
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    kpi(dir.path(), &["close", "2026-10", "--out", "out"]).expect_code(0);
    let bonus = out.join("2026-10/bonus.csv");
    let paid = std::fs::read_to_string(&bonus).unwrap();
    std::fs::write(&bonus, paid.replace("3720.00", "9999.00")).unwrap();
    let before = crate::util::tree(&out);
    let run = kpi(dir.path(), &["run", "in", "--out", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("was closed (paid)")
            && run.stderr.contains("changed outside kpi-report")
            && run.stderr.contains("--reopen 2026-10"),
        "{}",
        run.stderr
    );
    assert_eq!(crate::util::tree(&out), before);
    std::fs::write(&bonus, &paid).unwrap();
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);

    // The record itself edited, or removed: refused, nothing written.
    let record = out.join("closed.json");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replace("2026-10", "2026-09")).unwrap();
    let run = kpi(dir.path(), &["run", "in", "--out", "out"]);
    run.expect_code(1);
    assert!(run.stderr.contains("closed.json"), "{}", run.stderr);
    std::fs::remove_file(&record).unwrap();
    let run = kpi(dir.path(), &["run", "in", "--out", "out"]);
    run.expect_code(1);
    assert!(run.stderr.contains("it is missing"), "{}", run.stderr);
    std::fs::write(&record, &text).unwrap();
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
}

#[test]
fn the_year_to_date_shows_paid_against_due_with_adjustments() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    workbooks(&input, &[("2026-10", ON_TARGET), ("2026-11", ON_TARGET)]);
    let out = dir.path().join("out");
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    // Nothing closed: no paid-vs-due yet.
    assert!(!out.join("ytd-2026/paid-vs-due.csv").exists());
    kpi(dir.path(), &["close", "2026-10", "--out", "out"]).expect_code(0);
    // After the close, an adjustment adds 100 to S001's October bonus and
    // takes 50 from November's.
    write(
        &input.join("adjustments.csv"),
        "Staff ID,Period,Item,Value,Reason,Approved By\n\
         S001,2026-10,bonus_add,100,Late invoice commission,Zhang Min\n\
         S001,2026-11,bonus_add,-50,Advance repaid,Zhang Min\n",
    );
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    let oct = bonuses(&out.join("2026-10/results.csv"));
    let nov = bonuses(&out.join("2026-11/results.csv"));
    let paid = bonuses(&out.join("2026-10/bonus.csv"));
    // 3720.00 + 100 and 3720.00 − 50, by hand.
    assert_eq!(oct["S001"], Decimal::new(382000, 2));
    assert_eq!(nov["S001"], Decimal::new(367000, 2));
    let rows = read_csv(&out.join("ytd-2026/paid-vs-due.csv"));
    assert_eq!(
        rows[0],
        [
            "staff_id",
            "name",
            "department",
            "due",
            "paid",
            "difference",
            "months_without_bonus"
        ]
    );
    for id in ["S001", "S002", "S003"] {
        let due = oct[id] + nov[id];
        assert_eq!(money(&rows, id, "due"), Some(due), "{rows:?}");
        assert_eq!(money(&rows, id, "paid"), Some(paid[id]), "{rows:?}");
        assert_eq!(
            money(&rows, id, "difference"),
            Some(due - paid[id]),
            "{rows:?}"
        );
    }
    // S001: October's +100 correction plus November (not closed).
    assert_eq!(
        money(&rows, "S001", "difference"),
        Some(Decimal::new(377000, 2))
    );
    let total = rows.last().unwrap();
    assert_eq!(total[1], "TOTAL");
    let due: Decimal = oct.values().chain(nov.values()).sum();
    assert_eq!(total[3].parse::<Decimal>().unwrap(), due);
    assert_eq!(
        total[4].parse::<Decimal>().unwrap(),
        paid.values().sum::<Decimal>()
    );
    let sheet = crate::util::sheet_text(&out.join("ytd-2026/summary.xlsx"), "Payroll");
    assert!(
        sheet
            .iter()
            .any(|r| r[0] == "S001" && r[3] == "7490" && r[4] == "3720" && r[5] == "3770"),
        "{sheet:?}"
    );
}

#[test]
fn previous_reports_changed_outside_are_not_compared_against_and_the_run_says_so() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    workbooks(&input, &[("2026-10", ON_TARGET)]);
    let out = dir.path().join("out");
    kpi(dir.path(), &["run", "in", "--out", "out"]).expect_code(0);
    // Someone edits the old results.csv, then the inputs change.
    let results = out.join("2026-10/results.csv");
    let text = std::fs::read_to_string(&results).unwrap();
    std::fs::write(&results, text.replace("95.86", "10.00")).unwrap();
    workbooks(&input, &[("2026-10", LATE_NEWS)]);
    let run = kpi(dir.path(), &["run", "in", "--out", "out"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains(
            "2026-10: the previous reports were not compared against, so no Changes are listed: \
             2026-10/results.csv was changed outside kpi-report"
        ),
        "{}",
        run.stderr
    );
    assert!(!out.join("2026-10/changes.csv").exists());
    // The next change is compared against this verified set again.
    workbooks(&input, &[("2026-10", ON_TARGET)]);
    let run = kpi(dir.path(), &["run", "in", "--out", "out"]);
    assert!(
        run.stderr
            .contains("3 people changed since the last run (2026-10: 3)"),
        "{}",
        run.stderr
    );
}
