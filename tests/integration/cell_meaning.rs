//! What a cell means (issue 12, items 1-4 and 13), beyond the gallery's
//! results: conversions appear in the calculation trail, `plan check` shows
//! each column's scale, and the wrong-scale message gives both fixes.

use crate::util::{kpi, repo, scratch, write};

fn case(name: &str) -> std::path::PathBuf {
    repo().join("tests/data/real-world").join(name)
}

#[test]
fn unit_and_scale_conversions_appear_in_the_calculation_trail() {
    let dir = case("wan-yuan-header");
    let out = kpi(
        &repo(),
        &[
            "explain",
            dir.join("input").to_str().unwrap(),
            "--staff",
            "S001",
        ],
    );
    out.expect_code(0);
    assert!(
        out.stdout
            .contains("target: Sales Target = 100000 (10 万 × 10000 = 100000)  [2026年10月目标.xlsx › 目标 › B2]"),
        "{}",
        out.stdout
    );

    let dir = case("five-point-satisfaction-declared");
    let out = kpi(
        &repo(),
        &[
            "explain",
            dir.join("input").to_str().unwrap(),
            "--plan",
            dir.join("plan.toml").to_str().unwrap(),
            "--staff",
            "S002",
        ],
    );
    out.expect_code(0);
    assert!(
        out.stdout.contains(
            "Satisfaction = 97 (4.85 on 0–5 × 20 = 97)  [results-2026-10.xlsx › Results › D3]"
        ),
        "{}",
        out.stdout
    );

    let dir = case("wan-in-cells");
    let out = kpi(
        &repo(),
        &[
            "explain",
            dir.join("input").to_str().unwrap(),
            "--staff",
            "S003",
        ],
    );
    assert!(
        out.stdout
            .contains("Sales = 650000 (65万 × 10000 = 650000)"),
        "{}",
        out.stdout
    );
}

#[test]
fn plan_check_shows_scales_and_refuses_an_inexact_conversion() {
    let out = kpi(
        &repo(),
        &[
            "plan",
            "check",
            case("five-point-satisfaction-declared")
                .join("plan.toml")
                .to_str()
                .unwrap(),
        ],
    );
    out.expect_code(0);
    assert!(
        out.stdout
            .contains("satisfaction 0–100 (arrives on 0–5, × 20); collaboration 1–5"),
        "{}",
        out.stdout
    );
    let dir = scratch();
    let plan = dir.path().join("plan.toml");
    write(
        &plan,
        &kpi_report::plan::STANDARD_PLAN.replacen(
            "max = 100\npercent = true\n",
            "max = 100\npercent = true\narrives = \"out_of_3\"\n",
            1,
        ),
    );
    let out = kpi(&repo(), &["plan", "check", plan.to_str().unwrap()]);
    out.expect_code(1);
    assert!(
        out.stderr.contains("arrives") && out.stderr.contains("not an exact conversion"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_wrong_scale_names_the_column_the_range_found_and_both_fixes() {
    let dir = case("five-point-satisfaction");
    let out = kpi(&repo(), &["check", dir.join("input").to_str().unwrap()]);
    out.expect_code(3);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(
        text.contains("results-2026-10.xlsx › Results › D1: 'Satisfaction' is scored on 0–100, but all 3 values of this column are between 4.4 and 4.85, as on a 0–5 scale; nobody is scored on it. Fix: enter the values on 0–100, or declare the scale they arrive on in the plan (`arrives = \"out_of_5\"` on column 'satisfaction')"),
        "{text}"
    );
}
