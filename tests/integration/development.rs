//! The development list on the samples: development.csv, the summary's
//! Development sheet and each manager's workbook agree, and list exactly
//! the people the standard rules name, read from results.csv.

use std::collections::BTreeMap;

use calamine::{Reader, open_workbook_auto};

use crate::util::{kpi, read_csv, repo, scratch, sheet_text};

#[test]
fn the_development_list_follows_the_rules_everywhere() {
    let dir = scratch();
    let out = dir.path().join("reports");
    let input = repo().join("samples/en");
    kpi(
        &repo(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect_code(0);
    // Grades by person and month, from results.csv.
    let mut grades: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut managers: BTreeMap<String, String> = BTreeMap::new();
    for (m, period) in ["2026-10", "2026-11"].iter().enumerate() {
        let results = read_csv(&out.join(period).join("results.csv"));
        for r in &results[1..] {
            let g = grades
                .entry(r[1].clone())
                .or_insert_with(|| vec![String::new(); 2]);
            g[m] = r[14].clone();
            names.insert(r[1].clone(), r[2].clone());
            managers.insert(r[1].clone(), r[5].clone());
        }
    }
    for (m, period) in ["2026-10", "2026-11"].iter().enumerate() {
        let csv = read_csv(&out.join(period).join("development.csv"));
        assert_eq!(
            csv[0],
            [
                "staff_id",
                "name",
                "department",
                "manager",
                "grade",
                "why",
                "history",
                "kpis_to_work_on"
            ]
        );
        // Grade D now, or C/D in two of the last three months (only two
        // months exist, so both of them).
        let want: Vec<&String> = grades
            .iter()
            .filter(|(_, g)| {
                let bad = |x: &String| x == "C" || x == "D";
                g[m] == "D" || (m == 1 && bad(&g[0]) && bad(&g[1]))
            })
            .map(|(id, _)| id)
            .collect();
        let got: Vec<&String> = csv[1..].iter().map(|r| &r[0]).collect();
        assert_eq!(got, want, "{period}");
        assert!(
            !got.is_empty(),
            "{period}: the samples have people on the list"
        );
        for r in &csv[1..] {
            assert_eq!(r[4], grades[&r[0]][m]);
            if r[4] == "D" {
                assert!(r[5].contains("grade D this month"), "{r:?}");
            }
            assert!(!r[7].is_empty(), "{r:?}: KPIs to work on");
            let mid = &managers[&r[0]];
            assert_eq!(r[3], format!("{mid} {}", names[mid]));
        }
        // The summary's sheet shows the same rows.
        let sheet = sheet_text(&out.join(period).join("summary.xlsx"), "Development");
        assert_eq!(sheet[1..], csv[1..], "{period}");
        // Each manager's workbook carries their team's part, and only it.
        for entry in std::fs::read_dir(out.join(period).join("managers")).unwrap() {
            let book = entry.unwrap().path();
            let stem = book.file_stem().unwrap().to_string_lossy().into_owned();
            let mid = stem.split(' ').next().unwrap().to_owned();
            let team: Vec<&Vec<String>> =
                csv[1..].iter().filter(|r| managers[&r[0]] == mid).collect();
            let sheets = open_workbook_auto(&book).unwrap().sheet_names();
            if team.is_empty() {
                assert!(!sheets.contains(&"Development".to_owned()), "{stem}");
            } else {
                assert_eq!(sheets.last().unwrap(), "Development", "{stem}");
                let rows = sheet_text(&book, "Development");
                let rows: Vec<&Vec<String>> = rows[1..].iter().collect();
                assert_eq!(rows, team, "{stem}");
            }
        }
    }
    assert!(!out.join("ytd-2026/development.csv").exists());
}
