//! The workbooks people open: summary.xlsx and the review workbooks read
//! back (calamine) and compared with results.csv; their XML parts checked
//! for charts, conditional formats, frozen panes, sparklines and print
//! setup; byte-identical re-runs on any thread count; hostile names; and
//! LibreOffice as an independent program recomputing every formula.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Reader, open_workbook_auto};

use crate::common::{available, files_under};
use crate::util::{kpi, read_csv, repo, scratch, sheet_text, write};

/// The KPI labels of the standard plan, in plan order (English).
const KPIS: [&str; 6] = [
    "Sales revenue",
    "New customers",
    "Customer satisfaction",
    "Complaints",
    "Team collaboration",
    "Training participation",
];

fn run(input: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    kpi(&repo(), &args).expect_code(0);
}

fn samples(lang: &str) -> PathBuf {
    repo().join("samples").join(lang)
}

/// The text of one XML part of an xlsx file.
fn xml(path: &Path, part: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    zip.by_name(part)
        .unwrap_or_else(|e| panic!("{} has no {part}: {e}", path.display()))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The names of the parts of an xlsx file.
fn parts(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap();
    let zip = zip::ZipArchive::new(file).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names()
}

/// "5000.00" -> 500000, exactly.
fn cents(text: &str) -> i64 {
    let (units, frac) = text.split_once('.').unwrap_or((text, "0"));
    let frac = format!("{frac:0<2}");
    units.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap()
}

/// A workbook number (as calamine prints it) -> cents.
fn cents_of_cell(cell: &str) -> i64 {
    (cell.parse::<f64>().unwrap() * 100.0).round() as i64
}

fn two(cell: &str) -> String {
    cell.parse::<f64>()
        .map(|v| format!("{v:.2}"))
        .unwrap_or(cell.to_owned())
}

/// results.csv rows keyed by staff id.
fn by_id(csv: &[Vec<String>]) -> BTreeMap<String, Vec<String>> {
    csv[1..].iter().map(|r| (r[1].clone(), r.clone())).collect()
}

#[test]
fn summary_sheets_agree_with_results_csv() {
    let dir = scratch();
    let out = dir.path().join("reports");
    run(&samples("en"), &out, &[]);
    for period in ["2026-10", "2026-11", "ytd-2026"] {
        let book = out.join(period).join("summary.xlsx");
        let csv = read_csv(&out.join(period).join("results.csv"));
        let ok: Vec<&Vec<String>> = csv[1..].iter().filter(|r| r[6] == "ok").collect();
        let month = !period.starts_with("ytd");
        let mut want_sheets = vec![
            "Overview",
            "Ranking",
            "Departments",
            "Bonus",
            "Development",
            "Calibration",
            "Data Issues",
        ];
        if !month {
            want_sheets.retain(|s| *s != "Bonus" && *s != "Development");
        }
        assert_eq!(sheet_names(&book), want_sheets, "{period}");

        let overview = sheet_text(&book, "Overview");
        let figure = |label: &str| {
            overview
                .iter()
                .find(|r| r[0] == label)
                .unwrap_or_else(|| panic!("{period}: no '{label}' on Overview"))[1]
                .clone()
        };
        assert_eq!(figure("People in the roster"), (csv.len() - 1).to_string());
        assert_eq!(figure("Scored"), ok.len().to_string());
        let bonus_sum: i64 = ok
            .iter()
            .filter(|r| !r[18].is_empty())
            .map(|r| cents(&r[18]))
            .sum();
        if month {
            assert_eq!(cents_of_cell(&figure("Bonus total")), bonus_sum, "{period}");
        }
        // Grade distribution: the count of each grade in results.csv.
        for grade in ["S", "A", "B", "C", "D"] {
            let row = overview.iter().find(|r| r[0] == grade).unwrap();
            let n = ok.iter().filter(|r| r[14] == grade).count();
            assert_eq!(row[3], n.to_string(), "{period}: grade {grade}");
        }

        // Departments: headcount, scored and bonus total per department.
        let depts = sheet_text(&book, "Departments");
        for row in &depts[1..] {
            let members: Vec<&&Vec<String>> = if row[0] == "Company" {
                ok.iter().collect()
            } else {
                ok.iter().filter(|r| r[3] == row[0]).collect()
            };
            assert_eq!(row[2], members.len().to_string(), "{period} {}", row[0]);
            if month {
                let want: i64 = members.iter().map(|r| cents(&r[18])).sum();
                assert_eq!(
                    cents_of_cell(row.last().unwrap()),
                    want,
                    "{period} {}",
                    row[0]
                );
            }
        }

        if month {
            bonus_sheet_agrees(&book, &csv, period);
        }
    }
}

/// Every payable person with their bonus, a subtotal per department equal
/// to the exact sum, a grand total equal to bonus.csv's sum; the totals are
/// SUBTOTAL formulas whose stored values are those sums.
fn bonus_sheet_agrees(book: &Path, csv: &[Vec<String>], period: &str) {
    let rows = sheet_text(book, "Bonus");
    let people = by_id(csv);
    let mut listed = 0;
    let mut dept_sums: BTreeMap<String, i64> = BTreeMap::new();
    let mut grand = None;
    for row in &rows[1..] {
        if let Some(rec) = people.get(&row[0]) {
            assert_eq!(two(&row[7]), rec[18], "{period} {}: bonus", row[0]);
            assert_eq!(row[5], rec[14], "{period} {}: grade", row[0]);
            *dept_sums.entry(rec[3].clone()).or_default() += cents(&rec[18]);
            listed += 1;
        } else if let Some(dept) = row[1].strip_prefix("Subtotal ") {
            assert_eq!(
                cents_of_cell(&row[7]),
                dept_sums[dept],
                "{period}: subtotal {dept}"
            );
        } else if row[1] == "Total" {
            grand = Some(cents_of_cell(&row[7]));
        }
    }
    assert_eq!(
        listed,
        csv.len() - 1,
        "{period}: every payable person listed"
    );
    let bonus_csv = read_csv(&book.with_file_name("bonus.csv"));
    let want: i64 = bonus_csv[1..].iter().map(|r| cents(&r[3])).sum();
    assert_eq!(grand, Some(want), "{period}: grand total");
    // The formulas and their stored results, to the cent.
    let sheet = xml(book, "xl/worksheets/sheet4.xml");
    let total = format!("{}.{:02}", want / 100, want % 100);
    assert!(
        sheet.contains(&format!(
            "<f>SUBTOTAL(9,H2:H{})</f><v>{total}</v>",
            rows.len() - 1
        )),
        "{period}: grand total formula with its value {total}"
    );
    assert_eq!(sheet.matches("<f>SUBTOTAL(9,").count(), dept_sums.len() + 1);
}

#[test]
fn a_large_company_streams_its_ranking_and_bonus_sheets_with_their_formatting() {
    // Above 5,000 people the two long sheets are written in constant-memory
    // mode; what they show must not change.
    let dir = scratch();
    let input = dir.path().join("in");
    kpi(
        dir.path(),
        &["sample", "--out", "in", "--staff", "5100", "--months", "1"],
    )
    .expect_code(0);
    let out = dir.path().join("reports");
    run(&input, &out, &["--split", "none"]);
    let period = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("20"))
        .unwrap();
    let book = out.join(&period).join("summary.xlsx");
    let csv = read_csv(&out.join(&period).join("results.csv"));
    assert!(csv.len() > 5_001, "{} people", csv.len() - 1);

    let ranking = sheet_text(&book, "Ranking");
    let people = by_id(&csv);
    let listed: Vec<&Vec<String>> = ranking[2..]
        .iter()
        .filter(|r| people.contains_key(&r[1]))
        .collect();
    assert_eq!(listed.len(), csv.len() - 1, "one row per person");
    let mut last_total = f64::INFINITY;
    for row in listed {
        let rec = &people[&row[1]];
        assert_eq!(row[2], rec[2], "{}: name", row[1]);
        if rec[6] == "ok" {
            assert_eq!(row[0], rec[15], "{}: company rank", row[1]);
            assert_eq!(two(&row[7]), rec[13], "{}: total", row[1]);
            assert_eq!(row[8], rec[14], "{}: grade", row[1]);
            let total: f64 = row[7].parse().unwrap();
            assert!(total <= last_total, "best first");
            last_total = total;
        }
    }
    // Streamed (inline strings), and still formatted: header height, merged
    // group headers, column widths, colour scale and data bars, frozen
    // panes, filter.
    let sheet = xml(&book, "xl/worksheets/sheet2.xml");
    assert!(sheet.contains("t=\"inlineStr\""), "streamed");
    assert!(sheet.contains("<row r=\"2\" ") && sheet.contains("ht=\"30\""));
    assert!(sheet.contains("<mergeCell ref=\"A1:A2\"/>"));
    assert!(sheet.contains("<cols>"));
    assert!(sheet.contains("<colorScale>") && sheet.contains("<dataBar>"));
    assert!(sheet.contains("<pane xSplit=\"3\" ySplit=\"2\""));
    assert!(sheet.contains("<autoFilter"));
    assert!(xml(&book, "xl/worksheets/sheet4.xml").contains("t=\"inlineStr\""));
    bonus_sheet_agrees(&book, &csv, &period);
    // Streamed sheets are as deterministic as the others: the same bytes on
    // one thread.
    let one = dir.path().join("one-thread");
    run(&input, &one, &["--split", "none", "--jobs", "1"]);
    assert_eq!(
        std::fs::read(&book).unwrap(),
        std::fs::read(one.join(&period).join("summary.xlsx")).unwrap(),
        "summary.xlsx identical with --jobs 1"
    );
}

#[test]
fn summary_has_charts_conditional_formats_frozen_panes_and_print_setup() {
    let dir = scratch();
    let out = dir.path().join("reports");
    run(&samples("en"), &out, &["--split", "none"]);
    let book = out.join("2026-10/summary.xlsx");
    let all = parts(&book);
    let charts: Vec<&String> = all
        .iter()
        .filter(|p| p.starts_with("xl/charts/chart"))
        .collect();
    assert_eq!(
        charts.len(),
        2,
        "grade distribution and department charts: {all:?}"
    );
    let chart1 = xml(&book, "xl/charts/chart1.xml");
    assert!(
        chart1.contains("<c:barDir val=\"col\"/>"),
        "a column chart of grades"
    );
    let chart2 = xml(&book, "xl/charts/chart2.xml");
    assert!(
        chart2.contains("<c:barDir val=\"bar\"/>"),
        "a bar chart of departments"
    );

    let ranking = xml(&book, "xl/worksheets/sheet2.xml");
    for needle in [
        "<pane xSplit=\"3\" ySplit=\"2\" topLeftCell=\"D3\" activePane=\"bottomRight\" state=\"frozen\"/>",
        "<colorScale>",
        "<dataBar>",
        "<autoFilter ref=\"A2:",
        "<mergeCell ref=\"M1:R1\"/>",
        "orientation=\"landscape\"",
        "fitToHeight=\"0\"",
        "paperSize=\"8\"",
    ] {
        assert!(ranking.contains(needle), "Ranking lacks {needle}");
    }
    let workbook = xml(&book, "xl/workbook.xml");
    assert!(
        workbook.contains("_xlnm.Print_Titles"),
        "repeated header rows"
    );
    for n in 1..=5 {
        let sheet = xml(&book, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(sheet.contains("<pageSetup"), "sheet{n}: page setup");
        assert!(
            sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "sheet{n}: fit to page"
        );
        assert!(
            sheet.contains("2026-10</oddHeader>"),
            "sheet{n}: period in header"
        );
        assert!(
            sheet.contains("<oddFooter>&amp;C&amp;P / &amp;N</oddFooter>"),
            "sheet{n}: page numbers"
        );
    }
    let core = xml(&book, "docProps/core.xml");
    assert!(
        core.contains("2026-10-31T00:00:00Z"),
        "creation date is the period end: {core}"
    );
    assert!(
        core.contains("<dc:title>Performance summary — Standard sales plan — 2026-10</dc:title>")
    );
}

/// The review workbook holding `staff_id`, from results.csv's manager id.
fn manager_book(managers: &Path, manager_id: &str) -> PathBuf {
    let files = files_under(managers);
    let name = files
        .iter()
        .find(|f| {
            let s = f.to_str().unwrap();
            if manager_id.is_empty() {
                s == "No manager.xlsx" || s == "无直属上级.xlsx"
            } else {
                s.starts_with(&format!("{manager_id} "))
            }
        })
        .unwrap_or_else(|| panic!("no workbook for manager '{manager_id}' in {files:?}"));
    managers.join(name)
}

fn ordinal(n: u32) -> String {
    let s = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{s}")
}

#[test]
fn review_workbooks_agree_with_results_csv() {
    let dir = scratch();
    let out = dir.path().join("reports");
    run(&samples("en"), &out, &[]);
    for period in ["2026-10", "2026-11"] {
        let managers = out.join(period).join("managers");
        let files = files_under(&managers);
        let names: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "No manager.xlsx",
                "S003 Jessica Evans.xlsx",
                "S009 Andrew Campbell.xlsx",
                "S017 Rachel Young.xlsx",
                "S024 Hannah Thompson.xlsx"
            ]
        );
        let csv = read_csv(&out.join(period).join("results.csv"));
        let mut sheets_seen = 0;
        for f in &files {
            let names = sheet_names(&managers.join(f));
            sheets_seen += names.iter().filter(|n| *n != "Development").count() - 1;
        }
        assert_eq!(
            sheets_seen,
            csv.len() - 1,
            "{period}: one review sheet per person"
        );
        for rec in &csv[1..] {
            let (id, name, manager) = (&rec[1], &rec[2], &rec[5]);
            let book = manager_book(&managers, manager);
            let sheets = sheet_names(&book);
            assert_eq!(sheets[0], "Team");
            let sheet_name = format!("{id} {name}");
            assert!(
                sheets.contains(&sheet_name),
                "{period}: {sheet_name} in {}",
                book.display()
            );
            let rows = sheet_text(&book, &sheet_name);
            assert_eq!(rows[0][0], format!("Performance review — {period}"));
            // Identity block.
            assert_eq!(rows[3][1], *name);
            assert_eq!(rows[3][6], *id);
            // KPI table: the first row naming each KPI; score in column E.
            for (k, label) in KPIS.iter().enumerate() {
                let row = rows.iter().find(|r| r[0] == *label).unwrap();
                let want = if rec[7 + k].is_empty() {
                    "n/a".to_owned()
                } else {
                    rec[7 + k].clone()
                };
                assert_eq!(two(&row[4]), want, "{period} {id}: {label}");
            }
            // Result block: total, grade, bonus.
            let result = rows.iter().find(|r| r[3] == "Grade").unwrap();
            assert_eq!(two(&result[1]), rec[13], "{period} {id}: total");
            assert!(
                result[4].starts_with(&format!("{}  ", rec[14])),
                "{period} {id}: grade {}",
                result[4]
            );
            assert_eq!(two(&result[7]), rec[18], "{period} {id}: bonus");
            let ranks = rows.iter().find(|r| r[0] == "Ranks").unwrap();
            let rank: u32 = rec[15].parse().unwrap();
            assert!(
                ranks[1].starts_with(&format!(
                    "{} of 30 in the company, {} of ",
                    ordinal(rank),
                    ordinal(rec[16].parse().unwrap())
                )),
                "{period} {id}: {}",
                ranks[1]
            );
            // Trend: one column per month so far, the last one this month's total.
            let trend = rows.iter().rposition(|r| r[0] == "Period").unwrap();
            let months = if period == "2026-10" { 1 } else { 2 };
            assert_eq!(rows[trend][months], period, "{period} {id}: trend header");
            assert_eq!(
                two(&rows[trend + 1][months]),
                rec[13],
                "{period} {id}: trend total"
            );
            assert!(rows.iter().any(|r| r[0] == "Improvement focus"));
            assert!(rows.iter().any(|r| r[0] == "Date of the talk"));
            // Team sheet: the person's total.
            let team = sheet_text(&book, "Team");
            let member = team.iter().find(|r| r[1] == *id).unwrap();
            assert_eq!(member[0], *name);
            assert_eq!(two(&member[3]), rec[13], "{period} {id}: team total");
        }
    }
}

/// The lines of a review sheet's calculation section (column A below its
/// heading, blank cells left out), trimmed.
fn calculation_lines(rows: &[Vec<String>], heading: &str) -> Vec<String> {
    let start = rows
        .iter()
        .position(|r| r[0] == heading)
        .unwrap_or_else(|| panic!("a '{heading}' section"));
    rows[start + 2..]
        .iter()
        .map(|r| r[0].trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The lines `explain` prints, trimmed, blank lines left out.
fn explain_lines(input: &Path, staff: &str, period: &str, lang: &str) -> Vec<String> {
    let out = kpi(
        &repo(),
        &[
            "explain",
            input.to_str().unwrap(),
            "--staff",
            staff,
            "--period",
            period,
            "--lang",
            lang,
        ],
    );
    out.expect_code(0);
    out.stdout
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn every_review_sheet_carries_the_explain_trail() {
    let dir = scratch();
    for (lang, heading) in [
        ("en", "How the numbers were calculated"),
        ("zh", "计算过程"),
    ] {
        let out = dir.path().join(lang);
        run(&samples(lang), &out, &["--lang", lang]);
        for period in ["2026-10", "2026-11"] {
            let csv = read_csv(&out.join(period).join("results.csv"));
            let managers = out.join(period).join("managers");
            let mut checked = 0;
            // The worked examples and one person from every manager's team.
            let mut seen_managers = std::collections::BTreeSet::new();
            for rec in &csv[1..] {
                let (id, name, manager) = (&rec[1], &rec[2], &rec[5]);
                if rec[6] != "ok" {
                    continue; // no score: the sheet lists the issues instead
                }
                if !id.starts_with("S00") && !seen_managers.insert(manager.clone()) {
                    continue;
                }
                let book = manager_book(&managers, manager);
                let rows = sheet_text(&book, &format!("{id} {name}"));
                let sheet = calculation_lines(&rows, heading);
                let trail = explain_lines(&samples(lang), id, period, lang);
                assert_eq!(sheet, trail, "{lang} {period} {id}: the sheet's trail");
                checked += 1;
            }
            assert!(checked >= 8, "{lang} {period}: {checked} sheets checked");
        }
    }
    // S001 in October is the contract's first worked example: its trail
    // names the cells and ends in the bonus the contract computes.
    let csv = read_csv(&dir.path().join("en/2026-10/results.csv"));
    let s001 = csv[1..].iter().find(|r| r[1] == "S001").unwrap();
    let book = manager_book(&dir.path().join("en/2026-10/managers"), &s001[5]);
    let rows = sheet_text(&book, &format!("S001 {}", s001[2]));
    let lines = calculation_lines(&rows, "How the numbers were calculated");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("sales-2026-10.xlsx › Results › "))
    );
    assert!(lines.iter().any(|l| l == "final total: 94.75"), "{lines:?}");
    assert!(
        lines.last().unwrap().ends_with("bonus 5000.00"),
        "{lines:?}"
    );
}

#[test]
fn review_workbooks_have_sparklines_a_chart_and_one_page_per_person() {
    let dir = scratch();
    let out = dir.path().join("reports");
    run(&samples("en"), &out, &[]);
    let book = out.join("2026-11/managers/S009 Andrew Campbell.xlsx");
    let all = parts(&book);
    assert!(
        all.iter().any(|p| p.starts_with("xl/charts/chart")),
        "team chart: {all:?}"
    );
    let team = xml(&book, "xl/worksheets/sheet1.xml");
    assert!(
        team.contains("<hyperlink"),
        "names link to the review sheets"
    );
    let sheets = sheet_names(&book).len();
    for n in 2..=sheets {
        let sheet = xml(&book, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(
            sheet.contains("<x14:sparklineGroup"),
            "sheet{n}: sparklines"
        );
        assert_eq!(
            sheet.matches("<x14:sparkline>").count(),
            7,
            "sheet{n}: total + 6 KPIs"
        );
        assert!(sheet.contains("paperSize=\"9\""), "sheet{n}: A4");
        assert!(
            sheet.contains("orientation=\"portrait\""),
            "sheet{n}: portrait"
        );
        // A print scale of its own (fit to page would drop the manual
        // break), and the calculation on the page after the review.
        let scale: u32 = sheet
            .split("scale=\"")
            .nth(1)
            .and_then(|t| t.split('"').next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("sheet{n}: a print scale"));
        assert!((40..=100).contains(&scale), "sheet{n}: scale {scale}");
        assert!(!sheet.contains("fitToPage"), "sheet{n}: not fit to page");
        assert!(
            sheet.contains("<rowBreaks count=\"1\" manualBreakCount=\"1\">"),
            "sheet{n}: a page break before the calculation"
        );
    }
    let workbook = xml(&book, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Area"), "print areas");
}

#[test]
fn split_staff_department_and_none() {
    let dir = scratch();
    for (split, folder, count) in [("staff", "staff", 30), ("department", "departments", 4)] {
        let out = dir.path().join(split);
        run(&samples("zh"), &out, &["--split", split, "--lang", "zh"]);
        let files = files_under(&out.join("2026-10").join(folder));
        assert_eq!(files.len(), count, "{split}: {files:?}");
        assert!(
            !out.join("ytd-2026").join(folder).exists(),
            "no review workbooks for the year to date"
        );
        if split == "staff" {
            let book = out.join("2026-10").join(folder).join(&files[0]);
            assert_eq!(
                sheet_names(&book).len(),
                1,
                "one review sheet, no team sheet"
            );
        } else {
            let book = out.join("2026-10").join(folder).join(&files[0]);
            let names = sheet_names(&book);
            assert_eq!(names[0], "团队");
            let rows = sheet_text(&book, &names[1]);
            assert_eq!(rows[0][0], "绩效面谈表 — 2026-10");
            let ranks = rows.iter().find(|r| r[0] == "排名").unwrap();
            assert!(ranks[1].starts_with("公司第"), "{}", ranks[1]);
        }
    }
    let out = dir.path().join("none");
    run(&samples("en"), &out, &["--split", "none"]);
    let files = files_under(&out.join("2026-10"));
    let names: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "bonus.csv",
            "development.csv",
            "inputs.csv",
            "results.csv",
            "summary.xlsx"
        ]
    );
    let zh = dir.path().join("staff/2026-10/summary.xlsx");
    assert_eq!(
        sheet_names(&zh),
        [
            "概览",
            "排名",
            "部门",
            "奖金",
            "培养计划",
            "校准",
            "数据问题"
        ]
    );
}

#[test]
fn every_file_is_byte_identical_across_reruns_and_thread_counts() {
    let dir = scratch();
    let mut runs = Vec::new();
    for (name, jobs) in [("a", "1"), ("b", "2"), ("c", "2")] {
        let out = dir.path().join(name);
        run(&samples("zh"), &out, &["--lang", "zh", "--jobs", jobs]);
        runs.push(out);
    }
    let files = files_under(&runs[0]);
    assert!(files.len() > 15, "{files:?}");
    for other in &runs[1..] {
        assert_eq!(files_under(other), files);
        for f in &files {
            let a = std::fs::read(runs[0].join(f)).unwrap();
            let b = std::fs::read(other.join(f)).unwrap();
            assert!(a == b, "{} differs between runs", f.display());
        }
    }
}

const HOSTILE_FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

/// A roster whose names and departments are built to break file names,
/// sheet names and cells.
fn hostile_input(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let long = "长".repeat(200);
    let longer = "n".repeat(300);
    let people = [
        ("A1", HOSTILE_FORMULA, "CON", ""),
        ("A2", "../../x", "../../up", "A1"),
        ("A3", "CON", "a/b\\c:d*e?", "A2"),
        ("A4", long.as_str(), "Sales", "A3"),
        ("A5", "😀 Smile 🎉", "😀", "A4"),
        ("A6", "+SUM(1,2)", "Sales", "A5"),
        ("A7", "Incomplete Ian", "Sales", "A1"),
        ("A8", "@SUM(A1)", "C:\\x", "A6"),
        ("A9", "Tab\there\u{7}bell\u{1b}[31m", "Sales\u{1}", "A8"),
        ("B1", longer.as_str(), "-2+3", "A8"),
    ];
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut staff = String::from("staff_id,name,department,role,manager_id,bonus_base\n");
    let mut targets =
        String::from("staff_id,period,sales_target,new_customers_target,training_hours_target\n");
    let mut results = String::from(
        "staff_id,period,sales,new_customers,satisfaction,complaints,collaboration,training_hours\n",
    );
    for (id, name, dept, manager) in people {
        staff.push_str(&format!(
            "{id},{},{},Sales Representative,{manager},5000\n",
            quote(name),
            quote(dept)
        ));
        targets.push_str(&format!("{id},2026-10,100000,10,8\n"));
        // A7's satisfaction is blank: incomplete, reviewed without a score.
        let satisfaction = if id == "A7" { "" } else { "88" };
        results.push_str(&format!("{id},2026-10,95000,9,{satisfaction},1,4,6\n"));
    }
    write(&dir.join("staff.csv"), &staff);
    write(&dir.join("targets.csv"), &targets);
    write(&dir.join("results.csv"), &results);
}

fn assert_safe_tree(out: &Path) {
    let root = out.canonicalize().unwrap();
    for f in files_under(out) {
        let full = out.join(&f).canonicalize().unwrap();
        assert!(
            full.starts_with(&root),
            "{} escapes the output folder",
            f.display()
        );
        for part in f.iter() {
            let s = part.to_str().unwrap();
            if s == ".kpi-report" {
                continue;
            }
            assert!(!s.starts_with('.'), "{s}");
            assert!(
                !s.chars()
                    .any(|c| c.is_control() || "\\/:*?\"<>|".contains(c)),
                "{s}"
            );
            let stem = s.split('.').next().unwrap().to_uppercase();
            assert!(
                !["CON", "PRN", "AUX", "NUL", "COM1", "LPT1"].contains(&stem.as_str()),
                "{s}"
            );
            assert!(
                s.chars().count() <= 105,
                "{s}: {} characters",
                s.chars().count()
            );
        }
    }
}

#[test]
fn hostile_names_become_safe_files_and_literal_text() {
    let dir = scratch();
    let input = dir.path().join("in");
    hostile_input(&input);
    let out = dir.path().join("reports");
    let o = kpi(
        &repo(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.code == 0 || o.code == 3, "{o:?}");
    assert_safe_tree(&out);
    let managers = out.join("2026-10/managers");
    let names: Vec<String> = files_under(&managers)
        .iter()
        .map(|f| f.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 8, "{names:?}");
    assert!(names.contains(&"A2 .._.._x.xlsx".to_owned()), "{names:?}");
    assert!(names.contains(&"A8 @SUM(A1).xlsx".to_owned()), "{names:?}");
    // results.csv guards every field a spreadsheet would read as a formula,
    // and keeps control characters and 300-character names whole.
    let csv = std::fs::read_to_string(out.join("2026-10/results.csv")).unwrap();
    for guarded in ["'@SUM(A1)", "'-2+3", "'+SUM(1,2)", "'=HYPERLINK("] {
        assert!(csv.contains(guarded), "{guarded} not guarded:\n{csv}");
    }
    assert!(
        csv.contains(&"n".repeat(300)),
        "300-character name kept whole"
    );
    assert!(
        csv.contains("Tab\there\u{7}bell"),
        "control characters kept as text"
    );
    assert!(names.contains(&"A3 CON.xlsx".to_owned()), "{names:?}");
    assert!(
        names.contains(&"A5 😀 Smile 🎉.xlsx".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"No manager.xlsx".to_owned()), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("A1 =HYPERLINK(_http___evil.example_,_click_)")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("A4 长长") && n.chars().count() <= 105),
        "{names:?}"
    );

    // The formula-like names are literal text in every workbook.
    let book = managers.join("No manager.xlsx");
    let sheets = sheet_names(&book);
    assert_eq!(sheets.len(), 2);
    assert!(
        sheets[1].chars().count() <= 31 && !sheets[1].contains(['/', ':']),
        "{}",
        sheets[1]
    );
    let rows = sheet_text(&book, &sheets[1]);
    assert_eq!(rows[3][1], HOSTILE_FORMULA);
    let team = sheet_text(&book, "Team");
    assert_eq!(team[5][0], HOSTILE_FORMULA);
    let ranking = sheet_text(&out.join("2026-10/summary.xlsx"), "Ranking");
    assert!(ranking.iter().any(|r| r[2] == HOSTILE_FORMULA));
    assert!(ranking.iter().any(|r| r[2] == "+SUM(1,2)"));
    for f in files_under(&out)
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "xlsx"))
    {
        let path = out.join(f);
        for part in parts(&path)
            .iter()
            .filter(|p| p.starts_with("xl/worksheets/sheet"))
        {
            let text = xml(&path, part);
            assert!(
                !text.contains("<f>HYPERLINK") && !text.contains("<f>SUM(1"),
                "{} {part}: a formula from input",
                f.display()
            );
        }
    }

    // The incomplete person's review sheet says why, naming the cell.
    let book = managers.join(names.iter().find(|n| n.starts_with("A1 ")).unwrap());
    let rows = sheet_text(&book, "A7 Incomplete Ian");
    let why = rows
        .iter()
        .position(|r| r[0].starts_with("No score this period"))
        .unwrap();
    assert!(
        rows[why + 1][0].contains("results.csv"),
        "{:?}",
        rows[why + 1]
    );
    assert!(
        !rows.iter().any(|r| r[3] == "Grade"),
        "no grade for an incomplete person"
    );

    // Departments: device names and separators made safe.
    let out = dir.path().join("by-department");
    let o = kpi(
        &repo(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--split",
            "department",
        ],
    );
    assert!(o.code == 0 || o.code == 3, "{o:?}");
    assert_safe_tree(&out);
    let depts: Vec<String> = files_under(&out.join("2026-10/departments"))
        .iter()
        .map(|f| f.to_str().unwrap().to_owned())
        .collect();
    // "Sales" and "Sales\u{1}" differ only by a control character: one
    // file each, told apart by a counter.
    assert_eq!(
        depts,
        [
            "-2+3.xlsx",
            "C__x.xlsx",
            "Sales (2).xlsx",
            "Sales.xlsx",
            "_.._up.xlsx",
            "_CON.xlsx",
            "a_b_c_d_e_.xlsx",
            "😀.xlsx",
        ]
    );
    // And one workbook per person.
    let out = dir.path().join("by-person");
    let o = kpi(
        &repo(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--split",
            "staff",
        ],
    );
    assert!(o.code == 0 || o.code == 3, "{o:?}");
    assert_safe_tree(&out);
    assert_eq!(files_under(&out.join("2026-10/staff")).len(), 10);
}

/// `soffice`, if installed.
fn soffice() -> Option<&'static str> {
    Command::new("soffice")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "soffice")
}

/// A private LibreOffice profile that recalculates every formula on load
/// (by default it trusts the values stored in xlsx files).
fn lo_profile(dir: &Path) -> String {
    let user = dir.join("user");
    std::fs::create_dir_all(&user).unwrap();
    write(
        &user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    );
    format!("-env:UserInstallation=file://{}", dir.display())
}

/// Converts `book` with LibreOffice into `outdir` (`csv` writes one file
/// per sheet: `<stem>-<sheet>.csv`).
fn lo_convert(profile: &str, book: &Path, to: &str, outdir: &Path) {
    let filter = match to {
        "csv" => "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        other => other,
    };
    let o = Command::new("soffice")
        .args([profile, "--headless", "--convert-to", filter, "--outdir"])
        .arg(outdir)
        .arg(book)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn libreoffice_opens_the_workbooks_and_computes_the_same_numbers() {
    if !available(soffice().is_some(), "LibreOffice (soffice)") {
        return;
    }
    let dir = scratch();
    let out = dir.path().join("reports");
    run(&samples("en"), &out, &[]);
    let profile = lo_profile(&dir.path().join("lo-profile"));
    let conv = dir.path().join("converted");
    std::fs::create_dir_all(&conv).unwrap();
    let period = out.join("2026-11");
    let csv = read_csv(&period.join("results.csv"));
    let people = by_id(&csv);
    lo_convert(&profile, &period.join("summary.xlsx"), "csv", &conv);

    // Ranking as LibreOffice shows it.
    let ranking = read_csv(&conv.join("summary-Ranking.csv"));
    assert!(ranking.len() > csv.len(), "one row per person");
    for (row, rec) in ranking[2..].iter().zip(&csv[1..]) {
        assert_eq!(row[1], rec[1]);
        assert_eq!(row[0], rec[15]);
        assert_eq!(two(&row[7]), rec[13], "{}: total", rec[1]);
        assert_eq!(row[8], rec[14]);
        assert_eq!(two(&row[11]), rec[18], "{}: bonus", rec[1]);
        for k in 0..6 {
            let want = if rec[7 + k].is_empty() {
                "n/a".to_owned()
            } else {
                rec[7 + k].clone()
            };
            assert_eq!(two(&row[12 + 6 * k + 3]), want, "{}: KPI {k}", rec[1]);
        }
    }
    // Bonus: LibreOffice recomputes the SUBTOTAL formulas.
    let bonus = read_csv(&conv.join("summary-Bonus.csv"));
    let mut dept: BTreeMap<String, i64> = BTreeMap::new();
    let mut checked = 0;
    for row in &bonus[1..] {
        if let Some(rec) = people.get(&row[0]) {
            assert_eq!(two(&row[7]), rec[18]);
            *dept.entry(rec[3].clone()).or_default() += cents(&rec[18]);
        } else if let Some(d) = row[1].strip_prefix("Subtotal ") {
            assert_eq!(
                cents_of_cell(&row[7]),
                dept[d],
                "LibreOffice's subtotal of {d}"
            );
            checked += 1;
        } else if row[1] == "Total" {
            assert_eq!(
                cents_of_cell(&row[7]),
                dept.values().sum::<i64>(),
                "LibreOffice's total"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        dept.len() + 1,
        "every subtotal and the total computed"
    );

    // A review workbook: every person's sheet.
    let book = period.join("managers/S009 Andrew Campbell.xlsx");
    lo_convert(&profile, &book, "csv", &conv);
    let mut seen = 0;
    for rec in csv[1..].iter().filter(|r| r[5] == "S009") {
        let path = conv.join(format!("S009 Andrew Campbell-{} {}.csv", rec[1], rec[2]));
        let rows = read_csv(&path);
        let result = rows
            .iter()
            .find(|r| r.len() > 7 && r[3] == "Grade")
            .unwrap();
        assert_eq!(two(&result[1]), rec[13], "{}: total in LibreOffice", rec[1]);
        assert_eq!(two(&result[7]), rec[18], "{}: bonus in LibreOffice", rec[1]);
        for (k, label) in KPIS.iter().enumerate() {
            let row = rows.iter().find(|r| r[0] == *label).unwrap();
            let want = if rec[7 + k].is_empty() {
                "n/a".to_owned()
            } else {
                rec[7 + k].clone()
            };
            assert_eq!(two(&row[4]), want, "{}: {label}", rec[1]);
        }
        seen += 1;
    }
    assert!(seen >= 5, "S009's team reviewed: {seen}");

    // PDF: LibreOffice lays every sheet out for print.
    lo_convert(&profile, &book, "pdf", &conv);
    let pdf = std::fs::read(conv.join("S009 Andrew Campbell.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    if !crate::util::calibri_metrics() {
        // Without Calibri's metrics the pages are laid out differently.
    } else if let Ok(o) = Command::new("pdfinfo")
        .arg(conv.join("S009 Andrew Campbell.pdf"))
        .output()
    {
        let info = String::from_utf8_lossy(&o.stdout);
        let pages = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(|p| p.trim().parse::<usize>().unwrap());
        // The team page; per person a review page and a calculation page.
        assert_eq!(pages, Some(2 * seen + 1), "{info}");
    } else {
        eprintln!("NOTICE: pdfinfo (poppler-utils) not found; page count not checked");
    }
}
