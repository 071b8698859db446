//! Plans that are wrong in every way, huge, deeply nested or 50 MB are
//! refused with clear messages, quickly, never with a panic.

use std::time::{Duration, Instant};

use crate::util::{kpi, scratch, write};
use kpi_report::plan::STANDARD_PLAN;

fn check(text: &str) -> crate::util::Outcome {
    let dir = scratch();
    write(&dir.path().join("plan.toml"), text);
    let started = Instant::now();
    let out = kpi(dir.path(), &["plan", "check", "plan.toml"]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    out
}

#[test]
fn every_kind_of_mistake_at_once() {
    let text = STANDARD_PLAN
        .replacen("sales = 40,", "sales = 41,", 1)
        .replacen("min = 95", "min = 110", 1)
        .replacen("training = 5 }", "training = 5, lunch = 0 }", 1)
        .replacen("method = \"deduct\"", "method = \"guess\"", 1);
    let out = check(&text);
    out.expect_code(1);
    for needle in [
        "weights sum to 101, not 100",
        "no KPI 'lunch'",
        "thresholds must descend",
        "guess",
    ] {
        assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
    }
    // Every problem names its line and column.
    let located = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("plan.toml:"))
        .count();
    assert!(located >= 4, "{}", out.stderr);
}

#[test]
fn huge_numbers_are_refused() {
    let out =
        check(&STANDARD_PLAN.replacen("cap = 120, floor = 0 }", "cap = 1e400, floor = 0 }", 1));
    out.expect_code(1);
    assert!(out.stderr.contains("overflowed"), "{}", out.stderr);
    let out =
        check(&STANDARD_PLAN.replacen("sales = 40,", "sales = 99999999999999999999999999999,", 1));
    out.expect_code(1);
    assert!(
        out.stderr.contains("99999999999999999999999999999"),
        "{}",
        out.stderr
    );
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let out = check(&text);
    out.expect_code(1);
    assert!(out.stderr.contains("recursion"), "{}", out.stderr);
}

#[test]
fn a_50_mb_file_is_refused_before_it_is_read() {
    let text = format!("name = \"{}\"\n", "x".repeat(50 * 1024 * 1024));
    let out = check(&text);
    out.expect_code(1);
    assert!(
        out.stderr.contains("a plan is a few kilobytes"),
        "{}",
        out.stderr
    );
}

#[test]
fn not_toml_at_all() {
    let out = check("\u{0}\u{1}PK\u{3}\u{4} binary garbage \u{ff}");
    out.expect_code(1);
    assert!(out.stderr.contains("plan.toml"), "{}", out.stderr);
}
