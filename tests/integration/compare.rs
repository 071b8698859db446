//! `compare`: the standard plan against a copy with other weights, on the
//! samples. The expected migrations and costs come from two ordinary runs
//! (one per plan) read back from their results.csv, not from the
//! comparison; identical plans change nothing; payroll folders are never
//! written.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{kpi, read_csv, repo, scratch, sheet_text, write};

/// The standard plan with a Sales Representative weighted almost only on
/// sales, and a new name.
fn sales_heavy() -> String {
    let standard = std::fs::read_to_string(repo().join("templates/standard.toml")).unwrap();
    let changed = standard
        .replacen(
            "weights = { sales = 40, customer_growth = 20, satisfaction = 15, complaints = 10, collaboration = 10, training = 5 }",
            "weights = { sales = 70, customer_growth = 10, satisfaction = 5, complaints = 5, collaboration = 5, training = 5 }",
            1,
        )
        .replacen(
            "name = \"Standard sales plan\"",
            "name = \"Sales-heavy plan\"",
            1,
        );
    assert_ne!(changed, standard);
    changed
}

/// staff id -> (grade, bonus in cents, department, total) from a run's
/// results.csv.
fn results(path: &Path) -> BTreeMap<String, (String, i64, String, String)> {
    let t = read_csv(path);
    let h = &t[0];
    let ix = |name: &str| h.iter().position(|x| x == name).unwrap();
    t[1..]
        .iter()
        .filter(|r| r[ix("status")] == "ok")
        .map(|r| {
            (
                r[ix("staff_id")].clone(),
                (
                    r[ix("grade")].clone(),
                    cents(&r[ix("bonus")]),
                    r[ix("department")].clone(),
                    r[ix("total_score")].clone(),
                ),
            )
        })
        .collect()
}

fn cents(text: &str) -> i64 {
    let (w, f) = text.split_once('.').unwrap_or((text, "0"));
    let f = format!("{f:0<2}");
    let sign = if w.starts_with('-') { -1 } else { 1 };
    w.parse::<i64>().unwrap() * 100 + sign * f[..2].parse::<i64>().unwrap()
}

fn json_cents(v: &serde_json::Value) -> i64 {
    cents(v.as_str().unwrap())
}

#[test]
fn weight_change_migrations_and_costs_match_two_runs() {
    let dir = scratch();
    let input = repo().join("samples/en");
    let plan_b = dir.path().join("heavy.toml");
    write(&plan_b, &sales_heavy());
    // The two plans run the ordinary way.
    let mut runs = Vec::new();
    for (name, plan) in [("a", None), ("b", Some(&plan_b))] {
        let out = dir.path().join(name);
        let mut args = vec![
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ];
        if let Some(p) = plan {
            args.extend(["--plan", p.to_str().unwrap()]);
        }
        kpi(dir.path(), &args).expect_code(0);
        runs.push(results(&out.join("2026-11/results.csv")));
    }
    let (a, b) = (&runs[0], &runs[1]);
    let grades = ["S", "A", "B", "C", "D"];
    let mut migration = [[0usize; 5]; 5];
    let mut cost_a: BTreeMap<String, i64> = BTreeMap::new();
    let mut cost_b: BTreeMap<String, i64> = BTreeMap::new();
    for (id, (ga, ba, dept, _)) in a {
        let (gb, bb, _, _) = &b[id];
        let i = grades.iter().position(|g| g == ga).unwrap();
        let j = grades.iter().position(|g| g == gb).unwrap();
        migration[i][j] += 1;
        *cost_a.entry(dept.clone()).or_default() += ba;
        *cost_b.entry(dept.clone()).or_default() += bb;
    }
    let moved: usize = (0..5)
        .flat_map(|i| (0..5).map(move |j| (i, j)))
        .filter(|(i, j)| i != j)
        .map(|(i, j)| migration[i][j])
        .sum();
    assert!(moved > 0, "the weight change moves someone's grade");

    let out = dir.path().join("what-if");
    std::fs::create_dir_all(&out).unwrap();
    let done = kpi(
        dir.path(),
        &[
            "compare",
            input.to_str().unwrap(),
            "--plan",
            "standard",
            "--plan",
            plan_b.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    done.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&done.stdout).unwrap();
    let c = &doc["comparison"];
    assert_eq!(c["period"], "2026-11");
    for i in 0..5 {
        for j in 0..5 {
            assert_eq!(
                c["migration"][i][j].as_u64().unwrap() as usize,
                migration[i][j],
                "{} -> {}",
                grades[i],
                grades[j]
            );
        }
    }
    assert_eq!(c["grade_changes"].as_u64().unwrap() as usize, moved);
    let total_a: i64 = cost_a.values().sum();
    let total_b: i64 = cost_b.values().sum();
    assert_eq!(json_cents(&c["company"]["a"]), total_a);
    assert_eq!(json_cents(&c["company"]["b"]), total_b);
    assert_eq!(json_cents(&c["company"]["change"]), total_b - total_a);
    for d in c["departments"].as_array().unwrap() {
        let name = d["group"].as_str().unwrap();
        assert_eq!(json_cents(&d["a"]), cost_a[name], "{name}");
        assert_eq!(json_cents(&d["b"]), cost_b[name], "{name}");
        assert_eq!(
            json_cents(&d["change"]),
            cost_b[name] - cost_a[name],
            "{name}"
        );
    }
    // Side by side: every person's totals are the two runs'.
    for p in c["people"].as_array().unwrap() {
        let id = p["staff_id"].as_str().unwrap();
        assert_eq!(p["a"]["total"].as_str().unwrap(), a[id].3, "{id}");
        assert_eq!(p["b"]["total"].as_str().unwrap(), b[id].3, "{id}");
    }
    // The biggest gainer has the largest bonus rise.
    let best = (b.iter().map(|(id, x)| x.1 - a[id].1)).max().unwrap();
    if best > 0 {
        let g = c["gainers"][0].as_u64().unwrap() as usize;
        assert_eq!(json_cents(&c["people"][g]["bonus_change"]), best);
    }

    // The workbook: the matrix as the JSON, the People sheet one row each.
    let book = out.join("compare-2026-11.xlsx");
    let summary = sheet_text(&book, "Summary");
    let head = summary.iter().position(|r| r[0] == "A \\ B").unwrap();
    for (i, g) in grades.iter().enumerate() {
        let row = &summary[head + 1 + i];
        assert_eq!(row[0], *g);
        for j in 0..5 {
            assert_eq!(row[1 + j], migration[i][j].to_string());
        }
    }
    assert_eq!(sheet_text(&book, "People").len(), 1 + a.len());

    // The screen summary fits one screen.
    let screen = kpi(
        dir.path(),
        &[
            "compare",
            input.to_str().unwrap(),
            "--plan",
            "standard",
            "--plan",
            plan_b.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    screen.expect_code(0);
    assert!(screen.stdout.lines().count() <= 24, "{}", screen.stdout);
    assert!(screen.stdout.contains("bonus cost"), "{}", screen.stdout);
}

#[test]
fn identical_plans_give_no_differences_and_payroll_is_never_written() {
    let dir = scratch();
    let input = repo().join("samples/en");
    let copy = dir.path().join("same.toml");
    std::fs::copy(repo().join("templates/standard.toml"), &copy).unwrap();
    let done = kpi(
        dir.path(),
        &[
            "compare",
            input.to_str().unwrap(),
            "--plan",
            "standard",
            "--plan",
            copy.to_str().unwrap(),
            "--period",
            "2026-10",
            "--json",
        ],
    );
    done.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&done.stdout).unwrap();
    let c = &doc["comparison"];
    assert_eq!(c["grade_changes"], 0);
    assert_eq!(c["company"]["change"], "0.00");
    assert!(c["gainers"].as_array().unwrap().is_empty());
    assert!(c["losers"].as_array().unwrap().is_empty());
    for p in c["people"].as_array().unwrap() {
        assert_eq!(p["total_change"], "0.00", "{p}");
        assert_eq!(p["bonus_change"], "0.00", "{p}");
    }
    assert!(dir.path().join("compare-2026-10.xlsx").exists());

    // A reports folder is refused, and left as it was.
    let reports = dir.path().join("reports");
    kpi(
        dir.path(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            "reports",
            "--quiet",
        ],
    )
    .expect_code(0);
    let before = crate::util::tree(&reports);
    let refused = kpi(
        dir.path(),
        &[
            "compare",
            input.to_str().unwrap(),
            "--plan",
            "standard",
            "--plan",
            "standard",
            "--out",
            "reports",
        ],
    );
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("output folder"),
        "{}",
        refused.stderr
    );
    assert_eq!(crate::util::tree(&reports), before);

    // A file of the name that kpi-report did not write is left alone.
    let theirs = dir.path().join("mine");
    std::fs::create_dir_all(&theirs).unwrap();
    write(&theirs.join("compare-2026-11.xlsx"), "my notes");
    let refused = kpi(
        dir.path(),
        &[
            "compare",
            input.to_str().unwrap(),
            "--plan",
            "standard",
            "--plan",
            "standard",
            "--out",
            "mine",
        ],
    );
    refused.expect_code(1);
    assert_eq!(
        std::fs::read_to_string(theirs.join("compare-2026-11.xlsx")).unwrap(),
        "my notes"
    );
}
