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
