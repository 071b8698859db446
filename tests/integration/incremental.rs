//! Incremental monthly runs: only periods whose inputs, plan, options or
//! program changed are rebuilt; the result is byte-identical to a full
//! rebuild.

use crate::util::{kpi, repo, scratch, tree};

#[test]
fn adding_a_month_rebuilds_only_what_changed() {
    let dir = scratch();
    let d = dir.path();
    let inbox = d.join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for f in ["staff.xlsx", "sales-2026-10.xlsx"] {
        std::fs::copy(repo().join("samples/en").join(f), inbox.join(f)).unwrap();
    }
    kpi(d, &["run", "inbox", "--out", "reports"]).expect_code(0);
    let october = std::fs::read(d.join("reports/2026-10/summary.xlsx")).unwrap();

    std::fs::copy(
        repo().join("samples/en/sales-2026-11.xlsx"),
        inbox.join("sales-2026-11.xlsx"),
    )
    .unwrap();
    let second = kpi(d, &["run", "inbox", "--out", "reports"]);
    second.expect_code(0);
    assert!(
        second.stderr.contains("(1 unchanged, reused: 2026-10)"),
        "{}",
        second.stderr
    );
    assert_eq!(
        std::fs::read(d.join("reports/2026-10/summary.xlsx")).unwrap(),
        october
    );

    // Nothing changed: everything reused.
    let third = kpi(d, &["run", "inbox", "--out", "reports"]);
    assert!(
        third
            .stderr
            .contains("(3 unchanged, reused: 2026-10, 2026-11, 2026-YTD)"),
        "{}",
        third.stderr
    );

    // The incremental result is exactly a full rebuild.
    kpi(d, &["run", "inbox", "--out", "full", "--force"]).expect_code(0);
    assert_eq!(tree(&d.join("reports")), tree(&d.join("full")));
    // And it equals the committed expectations.
    for period in ["2026-10", "2026-11", "ytd-2026"] {
        let want = std::fs::read(
            repo()
                .join("tests/expected/en")
                .join(period)
                .join("results.csv"),
        )
        .unwrap();
        assert_eq!(
            std::fs::read(d.join("reports").join(period).join("results.csv")).unwrap(),
            want
        );
    }
}

#[test]
fn a_changed_plan_language_or_manifest_rebuilds_everything() {
    let dir = scratch();
    let d = dir.path();
    let input = repo().join("samples/en");
    let input = input.to_str().unwrap();
    kpi(d, &["run", input, "--out", "reports"]).expect_code(0);

    // The same arithmetic, another text: a new plan.
    let plan = format!("# edited by HR\n{}", kpi_report::plan::STANDARD_PLAN);
    std::fs::write(d.join("plan.toml"), plan).unwrap();
    let out = kpi(
        d,
        &["run", input, "--out", "reports", "--plan", "plan.toml"],
    );
    assert!(!out.stderr.contains("unchanged"), "{}", out.stderr);

    let out = kpi(
        d,
        &[
            "run",
            input,
            "--out",
            "reports",
            "--plan",
            "plan.toml",
            "--lang",
            "zh",
        ],
    );
    assert!(!out.stderr.contains("unchanged"), "{}", out.stderr);

    // A damaged manifest is ignored, not trusted.
    std::fs::write(d.join("reports/manifest.json"), "{ not json").unwrap();
    let out = kpi(
        d,
        &[
            "run",
            input,
            "--out",
            "reports",
            "--plan",
            "plan.toml",
            "--lang",
            "zh",
        ],
    );
    assert!(!out.stderr.contains("unchanged"), "{}", out.stderr);
    let out = kpi(
        d,
        &[
            "run",
            input,
            "--out",
            "reports",
            "--plan",
            "plan.toml",
            "--lang",
            "zh",
        ],
    );
    assert!(out.stderr.contains("3 unchanged"), "{}", out.stderr);

    // A reused file that was deleted by hand is rebuilt.
    std::fs::remove_file(d.join("reports/2026-10/bonus.csv")).unwrap();
    let out = kpi(
        d,
        &[
            "run",
            input,
            "--out",
            "reports",
            "--plan",
            "plan.toml",
            "--lang",
            "zh",
        ],
    );
    assert!(out.stderr.contains("2 unchanged"), "{}", out.stderr);
    assert!(d.join("reports/2026-10/bonus.csv").exists());
}

#[test]
fn a_moved_input_rebuilds_the_month_whose_trails_name_it() {
    let dir = scratch();
    let d = dir.path();
    let inbox = d.join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for f in ["staff.xlsx", "sales-2026-10.xlsx", "sales-2026-11.xlsx"] {
        std::fs::copy(repo().join("samples/en").join(f), inbox.join(f)).unwrap();
    }
    kpi(d, &["run", "inbox", "--out", "reports"]).expect_code(0);
    // The same numbers under another name: the review sheets' calculation
    // trails name the file each number came from, so November is rebuilt.
    std::fs::rename(
        inbox.join("sales-2026-11.xlsx"),
        inbox.join("sales 2026-11 final.xlsx"),
    )
    .unwrap();
    let second = kpi(d, &["run", "inbox", "--out", "reports"]);
    second.expect_code(0);
    assert!(
        second.stderr.contains("(1 unchanged, reused: 2026-10)"),
        "{}",
        second.stderr
    );
    kpi(d, &["run", "inbox", "--out", "full", "--force"]).expect_code(0);
    assert_eq!(tree(&d.join("reports")), tree(&d.join("full")));
}
