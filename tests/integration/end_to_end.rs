//! The main job on the shipped samples: results.csv matches the committed,
//! hand-checked files, the worked examples of the contract come out exactly,
//! the Chinese samples give the same numbers, and summary.xlsx agrees.

use std::path::Path;

use crate::util::{kpi, read_csv, repo, scratch, sheet_text};

const PERIODS: [&str; 3] = ["2026-10", "2026-11", "ytd-2026"];

fn run_samples(lang: &str, out: &Path) {
    let input = repo().join("samples").join(lang);
    kpi(
        &repo(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--lang",
            lang,
        ],
    )
    .expect_code(0);
}

#[test]
fn results_csv_matches_the_expected_files() {
    for lang in ["en", "zh"] {
        let dir = scratch();
        let out = dir.path().join("reports");
        run_samples(lang, &out);
        for period in PERIODS {
            let got = std::fs::read_to_string(out.join(period).join("results.csv")).unwrap();
            let want_path = repo()
                .join("tests/expected")
                .join(lang)
                .join(period)
                .join("results.csv");
            let want = std::fs::read_to_string(&want_path).unwrap();
            assert_eq!(
                got,
                want,
                "{lang} {period}: results.csv differs from {}",
                want_path.display()
            );
        }
    }
}

/// The three worked examples of PRODUCT.md §4, as the contract states them.
#[test]
fn worked_examples_come_out_exactly() {
    let dir = scratch();
    let out = dir.path().join("reports");
    run_samples("en", &out);
    let rows = read_csv(&out.join("2026-10/results.csv"));
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let person = |id: &str| rows.iter().find(|r| r[1] == id).unwrap().clone();
    let s001 = person("S001");
    let s002 = person("S002");
    let s003 = person("S003");
    let scores = |r: &[String]| -> Vec<String> { (7..13).map(|i| r[i].clone()).collect() };
    assert_eq!(
        scores(&s001),
        ["112.50", "90.00", "80.00", "80.00", "80.00", "75.00"]
    );
    assert_eq!(
        scores(&s002),
        ["0.00", "75.00", "100.00", "100.00", "100.00", ""]
    );
    assert_eq!(
        scores(&s003),
        ["120.00", "120.00", "91.43", "60.00", "60.00", "100.00"]
    );
    for (r, total, grade, bonus) in [
        (&s001, "94.75", "B", "5000.00"),
        (&s002, "60.53", "D", "0.00"),
        (&s003, "95.71", "A", "14400.00"),
    ] {
        assert_eq!(r[col("status")], "ok");
        assert_eq!(r[col("total_score")], total, "{}", r[1]);
        assert_eq!(r[col("grade")], grade, "{}", r[1]);
        assert_eq!(r[col("bonus")], bonus, "{}", r[1]);
    }
    assert_eq!(s001[col("role")], "Sales Representative");
    assert_eq!(s002[col("role")], "Key Account Manager");
    assert_eq!(s003[col("role")], "Sales Manager");
}

#[test]
fn chinese_samples_give_the_same_numbers() {
    let dir = scratch();
    let en = dir.path().join("en");
    let zh = dir.path().join("zh");
    run_samples("en", &en);
    run_samples("zh", &zh);
    for period in PERIODS {
        let a = read_csv(&en.join(period).join("results.csv"));
        let b = read_csv(&zh.join(period).join("results.csv"));
        assert_eq!(a.len(), b.len());
        for (ra, rb) in a.iter().zip(&b) {
            // Same people, roles (plan names), managers, scores, ranks and
            // bonuses; only names and department names are in Chinese.
            let numbers = |r: &[String]| [&r[..2], &r[4..]].concat();
            assert_eq!(numbers(ra), numbers(rb), "{period}");
        }
    }
}

#[test]
fn summary_workbook_shows_the_numbers_of_results_csv() {
    let dir = scratch();
    let out = dir.path().join("reports");
    run_samples("en", &out);
    for period in PERIODS {
        let csv = read_csv(&out.join(period).join("results.csv"));
        let sheet = sheet_text(&out.join(period).join("summary.xlsx"), "Ranking");
        // Two header rows (KPI groups, then columns), then one row per person,
        // then at most a note on rescaled weights (no rank, no staff id).
        let people = csv.len() - 1;
        assert!(sheet.len() >= people + 2, "{period}: one row per person");
        assert!(
            sheet[people + 2..]
                .iter()
                .all(|r| r[0].is_empty() && r[2].is_empty()),
            "{period}: only a note below the people"
        );
        let two = |cell: &str| {
            cell.parse::<f64>()
                .map(|v| format!("{v:.2}"))
                .unwrap_or(cell.to_owned())
        };
        for (row, rec) in sheet[2..].iter().zip(&csv[1..]) {
            assert_eq!(row[1], rec[1], "{period}: same order");
            assert_eq!(row[0], rec[15], "{period} {}: company rank", rec[1]);
            for k in 0..6 {
                // Score column of KPI k: 12 + 6k + 3.
                let shown = two(&row[12 + 6 * k + 3]);
                let want = if rec[7 + k].is_empty() {
                    "n/a".to_owned()
                } else {
                    rec[7 + k].clone()
                };
                assert_eq!(shown, want, "{period} {}: KPI {k}", rec[1]);
            }
            assert_eq!(rec[6], "ok", "the samples are clean");
            assert_eq!(two(&row[7]), rec[13], "{period} {}: total", rec[1]);
            assert_eq!(row[8], rec[14], "{period} {}: grade", rec[1]);
            assert_eq!(row[9], rec[16], "{period} {}: department rank", rec[1]);
            assert_eq!(row[10], rec[17], "{period} {}: role rank", rec[1]);
            assert_eq!(two(&row[11]), rec[18], "{period} {}: bonus", rec[1]);
        }
        let issues = sheet_text(&out.join(period).join("summary.xlsx"), "Data Issues");
        assert_eq!(issues[0][0], "Severity");
    }
}

#[test]
fn rerun_gives_byte_identical_files() {
    let dir = scratch();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    run_samples("zh", &a);
    run_samples("zh", &b);
    for period in PERIODS {
        for file in ["results.csv", "summary.xlsx"] {
            let fa = std::fs::read(a.join(period).join(file)).unwrap();
            let fb = std::fs::read(b.join(period).join(file)).unwrap();
            assert!(fa == fb, "{period}/{file} differs between runs");
        }
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let dir = scratch();
    let input = repo().join("samples/en");
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(jobs);
        kpi(
            &repo(),
            &[
                "run",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--jobs",
                jobs,
            ],
        )
        .expect_code(0);
        outputs.push(std::fs::read(out.join("2026-10/results.csv")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
}
