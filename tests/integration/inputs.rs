//! Reading what HR sends: every format gives the same numbers, messy
//! layouts are read, bad cells are reported with their exact cell, and
//! files that cannot be read are named (fatal for `run`, listed by
//! `check`). Workbooks are made here with rust_xlsxwriter; the xls and ods
//! fixtures under tests/data/formats were made by LibreOffice (see the
//! README there); `../shared/corpus` files are used when present.
#![allow(clippy::unwrap_used)] // builders below are test code

use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::Data;
use kpi_report::input::{self, InputError, Limits, table::FieldValue, workbook};
use kpi_report::period::Period;
use kpi_report::plan::Plan;
use rust_xlsxwriter::{Format, Formula, Workbook};

use crate::util::{copy_dir, kpi, read_csv, repo, scratch, write};

fn plan() -> Plan {
    Plan::standard().expect("standard plan")
}

/// The corpus folder beside the repository, if present.
fn corpus() -> Option<PathBuf> {
    let dir = repo().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: {} is absent; corpus checks skipped", dir.display());
        None
    }
}

/// Each record of a file as (staff id, period, its numbers in plan order).
fn numbers_of(path: &Path) -> Vec<(String, Option<Period>, Vec<String>)> {
    let plan = plan();
    let name: Arc<str> = Arc::from(path.file_name().expect("name").to_string_lossy().as_ref());
    let (records, diags, _, _) = input::read_one(path, &name, &plan, &Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity != kpi_report::diagnostics::Severity::Info)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    records
        .iter()
        .map(|r| {
            let nums = r
                .fields
                .iter()
                .flatten()
                .filter_map(|f| match &f.value {
                    FieldValue::Number(d) => Some(d.normalize().to_string()),
                    _ => None,
                })
                .collect();
            (r.staff_id.clone(), r.period, nums)
        })
        .collect()
}

const HEADERS: [&str; 7] = [
    "Staff ID",
    "Sales",
    "New Customers",
    "Satisfaction",
    "Complaints",
    "Collaboration Rating",
    "Training Hours",
];

/// The numbers of tests/data/formats/results-2026-10.csv.
fn expected() -> Vec<(String, Option<Period>, Vec<String>)> {
    let oct = Period::month(2026, 10);
    let row = |id: &str, n: [&str; 6]| (id.to_owned(), oct, n.map(str::to_owned).to_vec());
    vec![
        row("S001", ["112500.5", "9", "88.25", "1", "4", "6"]),
        row("S002", ["90000", "3", "97", "0", "5", "0"]),
        row("1003", ["-1200.75", "12", "92", "2", "3", "12.5"]),
    ]
}

#[test]
fn every_format_reads_the_same_numbers() {
    let data = repo().join("tests/data/formats");
    let dir = scratch();
    let d = dir.path();

    // xlsx as Excel writes it: numbers as numbers, the id 1003 as 1003.0.
    let xlsx = d.join("results-2026-10.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows: [(&str, [f64; 6]); 3] = [
        ("S001", [112500.5, 9.0, 88.25, 1.0, 4.0, 6.0]),
        ("S002", [90000.0, 3.0, 97.0, 0.0, 5.0, 0.0]),
        ("", [-1200.75, 12.0, 92.0, 2.0, 3.0, 12.5]),
    ];
    for (r, (id, nums)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        if id.is_empty() {
            ws.write_number(r, 0, 1003.0).unwrap();
        } else {
            ws.write_string(r, 0, *id).unwrap();
        }
        for (c, v) in nums.iter().enumerate() {
            ws.write_number(r, c as u16 + 1, *v).unwrap();
        }
    }
    wb.save(&xlsx).unwrap();
    // The same workbook named .xlsm (a macro workbook without macros).
    let xlsm = d.join("results-2026-10.xlsm");
    std::fs::copy(&xlsx, &xlsm).unwrap();

    // GB18030 (Excel on Chinese Windows), semicolons, Chinese headers, a
    // title line above the header, numbers as text with currency signs.
    let gbk_text = "2026年10月业绩\n\
        工号;销售额;新增客户数;客户满意度;投诉次数;团队协作评分;培训学时\n\
        S001;¥112,500.50;9;88.25;1;4;6\n\
        S002;￥90,000;3;97%;0;5;0\n\
        1003;(1,200.75);12;92;2;3;12.5\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(gbk_text);
    let gbk_csv = d.join("results-2026-10-gbk.csv");
    std::fs::write(&gbk_csv, &gbk).unwrap();

    // UTF-16 with a byte-order mark, tab separated, full-width digits.
    let utf16_text = "Staff ID\tSales\tNew Customers\tSatisfaction\tComplaints\tCollaboration Rating\tTraining Hours\n\
        S001\t１１２５００.５\t9\t88.25\t1\t4\t6\n\
        S002\t90000\t3\t97\t0\t5\t0\n\
        1003\t-1200.75\t12\t92\t2\t3\t12.5\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for u in utf16_text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let utf16_csv = d.join("results-2026-10-utf16.csv");
    std::fs::write(&utf16_csv, &utf16).unwrap();

    // UTF-8 with a byte-order mark, quoted thousands, padded cells.
    let bom_csv = d.join("results-2026-10-bom.csv");
    write(
        &bom_csv,
        "\u{feff} Staff ID , Sales ,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
         S001 ,\"112,500.50\", 9 ,88.25,1,4,6\n\
         S002,\"$90,000\",3,97,0,5,0\n\
         \u{3000}1003,-1200.75,12,92,2,3,12.5\n",
    );

    for path in [
        data.join("results-2026-10.csv"),
        data.join("results-2026-10.xls"),
        data.join("results-2026-10.ods"),
        xlsx,
        xlsm,
        gbk_csv,
        utf16_csv,
        bom_csv,
    ] {
        assert_eq!(numbers_of(&path), expected(), "{}", path.display());
    }
}

#[test]
fn formula_cells_are_read_by_their_cached_value_and_error_cells_are_named() {
    let dir = scratch();
    let path = dir.path().join("results-2026-10.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Results").unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "S001").unwrap();
    ws.write_formula(1, 1, Formula::new("=100000+12500").set_result("112500"))
        .unwrap();
    ws.write_string(2, 0, "S002").unwrap();
    ws.write_formula(2, 1, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    for r in 1..=2 {
        for c in 2..7 {
            ws.write_number(r, c, 1.0).unwrap();
        }
    }
    ws.write_formula(2, 6, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    wb.save(&path).unwrap();

    let plan = plan();
    let name: Arc<str> = Arc::from("results-2026-10.xlsx");
    let (records, diags, _, _) = input::read_one(&path, &name, &plan, &Limits::default()).unwrap();
    let sales = plan.columns.iter().position(|c| c.id == "sales").unwrap();
    let s001 = records.iter().find(|r| r.staff_id == "S001").unwrap();
    assert_eq!(
        s001.fields[sales].as_ref().unwrap().value,
        FieldValue::Number(112500.into())
    );
    let errors: Vec<(&str, &str, Option<&str>, Option<&str>)> = diags
        .iter()
        .filter(|d| d.code.as_str() == "cell-error")
        .map(|d| {
            (
                d.location.file.as_str(),
                d.location.sheet.as_deref().unwrap_or(""),
                d.location.cell.as_deref(),
                d.value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (
                "results-2026-10.xlsx",
                "Results",
                Some("B3"),
                Some("#DIV/0!")
            ),
            ("results-2026-10.xlsx", "Results", Some("G3"), Some("#N/A")),
        ]
    );
    assert!(diags.iter().all(|d| d.staff_id.as_deref() != Some("S001")));
}

#[test]
fn corpus_formats_open_without_a_panic_and_read_real_values() {
    let Some(corpus) = corpus() else { return };
    let read =
        |name: &str| workbook::read_file(&corpus.join(name), &Arc::from(name), &Limits::default());
    // Formulas (shared) by their cached values.
    let sheets = read("calamine__shared_formula_simple.xlsx").unwrap();
    assert!(sheets[0].range.used_cells().count() >= 6);
    // 1904 date system: a date cell in a Period column gives its month.
    for name in ["calamine__date_1904.xlsx", "calamine__date_1904.xls"] {
        let sheets = read(name).unwrap();
        let first = sheets[0]
            .range
            .used_cells()
            .find(|(_, _, c)| matches!(c, Data::DateTime(_)))
            .map(|(_, _, c)| c.clone())
            .unwrap_or_else(|| panic!("{name}: no date"));
        assert_eq!(
            kpi_report::input::table::period_of(&first),
            Ok(Period::month(2021, 1).unwrap()),
            "{name}"
        );
    }
    // Error cells arrive as errors, which the table reader reports.
    let sheets = read("calamine__errors.xlsx").unwrap();
    let errors = sheets
        .iter()
        .flat_map(|s| s.range.used_cells())
        .filter(|(_, _, c)| matches!(c, Data::Error(_)))
        .count();
    assert_eq!(errors, 7);
    // xlsb and BIFF5 xls read.
    let sheets = read("calamine__issues.xlsb").unwrap();
    assert!(sheets.len() >= 2);
    let sheets = read("calamine__biff5-rich-text-string.xls").unwrap();
    assert!(!sheets[0].range.is_empty());
    // Hidden sheets are read like any other; the chart sheet is passed over.
    let sheets = read("calamine__any_sheets.xlsx").unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| &*s.sheet).collect();
    assert!(names.len() >= 3, "{names:?}");
    // Encrypted, four ways: all named as such.
    for name in [
        "calamine__pass_protected.xlsx",
        "calamine__pass_protected.ods",
        "poi__password.xls",
        "poi__xor-encryption-abc.xls",
    ] {
        match read(name) {
            Err(e @ InputError::Encrypted { .. }) => assert_eq!(
                e.to_string(),
                format!("{name}: encrypted (password protected): save an unprotected copy")
            ),
            other => panic!("{name}: {other:?}"),
        }
    }
    // The ODS that declares 17 billion cells is refused as too large.
    match read("calamine__issue_594_dos.ods") {
        Err(InputError::TooManyCells { cells, .. }) => assert_eq!(cells, 17_179_869_184),
        other => panic!("{other:?}"),
    }
}

/// Builds a sheet cell by cell: a merged title, a note, a blank row, then
/// the header at row 4 with columns in an unusual order and padded text.
fn roster(path: &Path) {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet().set_name("Read me").unwrap();
    notes
        .write_string(0, 0, "Roster kept by HR; do not sort")
        .unwrap();
    let ws = wb.add_worksheet().set_name("Staff").unwrap();
    ws.set_hidden(true);
    ws.merge_range(
        0,
        0,
        0,
        6,
        "2026年10月 员工花名册",
        &Format::new().set_bold(),
    )
    .unwrap();
    ws.write_string(1, 0, "Note: bonus base in CNY").unwrap();
    let header = [
        " Name ",
        "Staff_ID",
        "role",
        "Bonus Base",
        "Department",
        "Manager-ID",
        "Remarks",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    let rows = [
        [
            "Ann Lee ",
            "1001 ",
            " Sales Representative",
            "5000",
            "East",
            "S003",
            "new",
        ],
        [
            "Bo Chen",
            "S002",
            "Key Account Manager",
            "8,000",
            "East",
            "S003",
            "",
        ],
        ["", "", "", "", "", "", ""],
        ["Cy Wu", "S003", "销售经理", "¥12,000", " East", "", ""],
        ["合 计", "", "", "25000", "", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(4 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn messy_layouts_are_read_and_scored_exactly() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    roster(&input.join("roster.xlsx"));

    // Targets and results in one workbook, one table per sheet; S003's
    // results in a second workbook; period from the file names.
    let mut wb = Workbook::new();
    let t = wb.add_worksheet().set_name("Targets").unwrap();
    for (c, h) in [
        "Training Hours Target",
        "Staff ID",
        "Sales Target",
        "New Customers Target",
    ]
    .iter()
    .enumerate()
    {
        t.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (id, tr, s, n)) in [
        (1001.0, 8.0, 100000.0, 10.0),
        (0.0, 0.0, 200000.0, 4.0),
        (0.0, 10.0, 500000.0, 10.0),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        match r {
            1 => t.write_number(r, 1, *id).unwrap(), // 1001.0 matches the text "1001 "
            2 => t.write_string(r, 1, "S002").unwrap(),
            _ => t.write_string(r, 1, "S003").unwrap(),
        };
        t.write_number(r, 0, *tr).unwrap();
        t.write_number(r, 2, *s).unwrap();
        t.write_number(r, 3, *n).unwrap();
    }
    t.write_string(4, 1, "Total").unwrap();
    t.write_number(4, 2, 800000.0).unwrap();
    let res = wb.add_worksheet().set_name("Results").unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        res.write_string(0, c as u16, *h).unwrap();
    }
    res.write_number(1, 0, 1001.0).unwrap();
    for (c, v) in [112500.0, 9.0, 88.0, 1.0, 4.0, 6.0].iter().enumerate() {
        res.write_number(1, c as u16 + 1, *v).unwrap();
    }
    res.write_string(2, 0, " S002").unwrap();
    for (c, v) in ["90,000", "3", "97", "0", "5", "0"].iter().enumerate() {
        res.write_string(2, c as u16 + 1, *v).unwrap();
    }
    wb.save(input.join("sales 2026年10月.xlsx")).unwrap();

    let mut wb = Workbook::new();
    let res = wb.add_worksheet().set_name("East").unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        res.write_string(2, c as u16, *h).unwrap();
    }
    res.write_string(3, 0, "S003").unwrap();
    res.write_formula(3, 1, Formula::new("=600000+50000").set_result("650000"))
        .unwrap();
    for (c, v) in [12.0, 92.0, 2.0, 3.0, 12.0].iter().enumerate() {
        res.write_number(3, c as u16 + 2, *v).unwrap();
    }
    res.write_string(5, 0, "小计").unwrap();
    res.write_number(5, 1, 650000.0).unwrap();
    wb.save(input.join("results-2026-10-east.xlsx")).unwrap();

    let out = kpi(dir.path(), &["run", "in", "--out", "reports"]);
    out.expect_code(0);
    let rows = read_csv(&dir.path().join("reports/2026-10/results.csv"));
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // Hand-checked in PRODUCT.md §4 (the worked examples; same numbers).
    for (id, total, grade, bonus) in [
        ("1001", "94.75", "B", "5000.00"),
        ("S002", "60.53", "D", "0.00"),
        ("S003", "95.71", "A", "14400.00"),
    ] {
        let r = rows
            .iter()
            .find(|r| r[col("staff_id")] == id)
            .unwrap_or_else(|| panic!("{id}: {rows:?}"));
        assert_eq!(r[col("status")], "ok", "{id}");
        assert_eq!(r[col("total_score")], total, "{id}");
        assert_eq!(r[col("grade")], grade, "{id}");
        assert_eq!(r[col("bonus")], bonus, "{id}");
    }
    let ann = rows.iter().find(|r| r[col("staff_id")] == "1001").unwrap();
    assert_eq!(ann[col("name")], "Ann Lee");
    assert_eq!(ann[col("role")], "Sales Representative");

    // check --json sees the same: tables, periods, people, and the notes.
    let out = kpi(dir.path(), &["check", "in", "--json"]);
    out.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["people"], 3);
    assert_eq!(doc["periods"], serde_json::json!(["2026-10"]));
    let tables: Vec<(String, String, u64, u64)> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["tables"].as_array().unwrap().iter().map(move |t| {
                (
                    format!(
                        "{} › {}",
                        f["file"].as_str().unwrap(),
                        t["sheet"].as_str().unwrap()
                    ),
                    t["kind"].as_str().unwrap().to_owned(),
                    t["header_row"].as_u64().unwrap(),
                    t["rows"].as_u64().unwrap(),
                )
            })
        })
        .collect();
    assert_eq!(
        tables,
        [
            (
                "results-2026-10-east.xlsx › East".to_owned(),
                "results".to_owned(),
                3,
                1
            ),
            ("roster.xlsx › Staff".to_owned(), "staff".to_owned(), 4, 3),
            (
                "sales 2026年10月.xlsx › Targets".to_owned(),
                "targets".to_owned(),
                1,
                3
            ),
            (
                "sales 2026年10月.xlsx › Results".to_owned(),
                "results".to_owned(),
                1,
                2
            ),
        ]
    );
    let notes: Vec<(String, String, String)> = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_owned(),
                format!(
                    "{} › {}",
                    i["file"].as_str().unwrap(),
                    i["sheet"].as_str().unwrap_or("")
                ),
                i["cell"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let note = |code: &str, at: &str, cell: &str| (code.to_owned(), at.to_owned(), cell.to_owned());
    assert_eq!(
        notes,
        [
            note("totals-row", "results-2026-10-east.xlsx › East", "A6"),
            note("no-table", "roster.xlsx › Read me", ""),
            note("unknown-column", "roster.xlsx › Staff", "G4"),
            note("totals-row", "roster.xlsx › Staff", "B9"),
            note("totals-row", "sales 2026年10月.xlsx › Targets", "B5"),
        ]
    );
    assert!(
        doc["issues"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["severity"] == "info")
    );
}

#[test]
fn near_miss_header_gets_a_suggestion_in_english_and_chinese() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(
        &input.join("staff.csv"),
        "Staff ID,Name,Department,Role,Manager ID,Bonus Base\nS001,Ann,East,Sales Representative,,5000\n",
    );
    write(
        &input.join("targets-2026-10.csv"),
        "Staff ID,Sales Targt,New Customers Target,Training Hours Target\nS001,100,1,1\n",
    );
    let out = kpi(dir.path(), &["check", "in"]);
    out.expect_code(3);
    assert!(
        out.stderr.contains(
            "targets-2026-10.csv › targets-2026-10 › A1: no 'Sales Target' column in the header row (row 1); add it, or rename 'Sales Targt': did you mean 'Sales Target'? [missing-column]"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("targets-2026-10.csv › targets-2026-10 › B1: column 'Sales Targt' is not used; did you mean 'Sales Target'? [unknown-column]"),
        "{}",
        out.stderr
    );
    let out = kpi(dir.path(), &["check", "in", "--lang", "zh"]);
    out.expect_code(3);
    assert!(
        out.stderr.contains("A1: 表头行（第 1 行）中没有“Sales Target”列；请添加，或将“Sales Targt”改名：是否应为“Sales Target”？ [missing-column]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("错误 (") && out.stderr.contains("人数: 1"),
        "{}",
        out.stderr
    );
}

/// `check` lists every file it cannot read and goes on; `run` refuses to
/// write reports that would silently miss a file, naming every one.
#[test]
fn unreadable_files_are_listed_by_check_and_fatal_for_run() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(
        &input.join("staff.csv"),
        "Staff ID,Name,Department,Role,Manager ID,Bonus Base\nS001,Ann,East,Sales Representative,,5000\n",
    );
    write(
        &input.join("2026-10.csv"),
        "Staff ID,Sales Target,New Customers Target,Training Hours Target,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
         S001,100,1,1,100,1,95,0,5,1\n",
    );
    write(&input.join("broken.xlsx"), "this is not a workbook");
    write(
        &input.join("export.xls"),
        "<html><body><table><tr><td>1</td></tr></table></body></html>",
    );
    write(&input.join("~$2026-10.xlsx"), "lock");
    write(&input.join(".DS_Store"), "x");
    write(&input.join("minutes.docx"), "x");
    if let Some(corpus) = corpus() {
        std::fs::copy(
            corpus.join("poi__xor-encryption-abc.xls"),
            input.join("locked.xls"),
        )
        .unwrap();
    }

    let out = kpi(dir.path(), &["check", "in"]);
    out.expect_code(3);
    for line in [
        "broken.xlsx: cannot be read (",
        "export.xls: cannot be read (it is a web page (HTML) saved with a spreadsheet name",
        ".DS_Store: skipped: a hidden file [skipped-file]",
        "~$2026-10.xlsx: skipped: a lock file left by an open spreadsheet program [skipped-file]",
        "minutes.docx: skipped: not a spreadsheet",
        "people: 1",
        "periods: 2026-10",
    ] {
        assert!(out.stderr.contains(line), "{line}\n{}", out.stderr);
    }
    if input.join("locked.xls").exists() {
        assert!(
            out.stderr.contains("locked.xls: encrypted (password protected): save an unprotected copy [encrypted-file]"),
            "{}",
            out.stderr
        );
    }
    let json = kpi(dir.path(), &["check", "in", "--json"]);
    json.expect_code(3);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let status = |f: &str| {
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["file"] == f)
            .map(|x| x["status"].clone())
    };
    assert_eq!(status("broken.xlsx"), Some("unreadable".into()));
    assert_eq!(status("2026-10.csv"), Some("read".into()));
    assert_eq!(doc["counts"]["by_code"]["unreadable-file"], 2);
    assert_eq!(doc["counts"]["by_code"]["skipped-file"], 3);

    let out = kpi(dir.path(), &["run", "in", "--out", "reports"]);
    out.expect_code(1);
    assert!(
        out.stderr.contains("error: broken.xlsx: cannot be read"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("error: export.xls: cannot be read"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn file_size_and_cell_limits_refuse_before_loading() {
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(
        &input.join("staff.csv"),
        "Staff ID,Name,Department,Role,Manager ID,Bonus Base\nS001,Ann,East,Sales Representative,,5000\n",
    );
    write(
        &input.join("2026-10.csv"),
        "Staff ID,Sales Target,New Customers Target,Training Hours Target,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
         S001,100,1,1,100,1,95,0,5,1\n",
    );
    // Two cells, A1 and XFD1048576: a 6 KB file whose grid would be
    // 17 billion cells (~550 GB) if built.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Bomb").unwrap();
    ws.write_string(0, 0, "Staff ID").unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    wb.save(input.join("bomb.xlsx")).unwrap();
    let out = kpi(dir.path(), &["check", "in"]);
    out.expect_code(3);
    assert!(
        out.stderr.contains(
            "bomb.xlsx › Bomb: the sheet spans 17179869184 cells, over the limit of 5000000;"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("[too-large]"), "{}", out.stderr);

    let out = kpi(dir.path(), &["check", "in", "--max-file-size", "1KB"]);
    out.expect_code(3);
    assert!(
        out.stderr.contains("bomb.xlsx: ")
            && out.stderr.contains(
                "bytes is over the 1000-byte limit; split it, or raise --max-file-size [too-large]"
            ),
        "{}",
        out.stderr
    );
    let out = kpi(dir.path(), &["run", "in", "--max-file-size", "1KB"]);
    out.expect_code(1);
    let out = kpi(dir.path(), &["check", "in", "--max-file-size", "lots"]);
    out.expect_code(2);
}

#[test]
fn limits_apply_to_the_library_reader() {
    let dir = scratch();
    let path = dir.path().join("wide.csv");
    write(&path, &format!("{}\n", vec!["1"; 100].join(",")).repeat(20));
    let limits = Limits {
        max_cells: 1000,
        ..Limits::default()
    };
    match workbook::read_file(&path, &Arc::from("wide.csv"), &limits) {
        Err(InputError::TooManyCells { cells, limit, .. }) => {
            assert_eq!((cells, limit), (1100, 1000));
        }
        other => panic!("{other:?}"),
    }
    assert!(workbook::read_file(&path, &Arc::from("wide.csv"), &Limits::default()).is_ok());
}

/// `check` on the samples mixed with every kind of bad input prints every
/// issue with its cell, and the summary still counts what was read.
#[test]
fn check_on_a_mixed_folder_prints_every_issue() {
    let dir = scratch();
    let input = dir.path().join("in");
    copy_dir(&repo().join("samples/en"), &input);
    write(
        &input.join("extra-2026-10.csv"),
        "Staff ID,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
         X999,1,1,90,0,4,1\n\
         S001,n/a,1,90,0,7,1\n",
    );
    write(&input.join("~$staff.xlsx"), "lock");
    write(&input.join("minutes.docx"), "x");
    if let Some(corpus) = corpus() {
        for name in [
            "calamine__pass_protected.xlsx",
            "calamine__issue_594_dos.ods",
            "calamine__errors.xlsx",
        ] {
            std::fs::copy(corpus.join(name), input.join(name)).unwrap();
        }
    }
    let out = kpi(dir.path(), &["check", "in"]);
    out.expect_code(3);
    let mut want = vec![
        "extra-2026-10.csv › extra-2026-10 › A2: staff id 'X999' is not in the roster; this row is left out (add the person to the roster or correct the id) [unknown-staff]",
        "extra-2026-10.csv › extra-2026-10 › B3: 'Sales' must be a number, found 'n/a' [not-a-number] (2026-10)",
        "extra-2026-10.csv › extra-2026-10 › F3: 'Collaboration Rating' must be between 1 and 5, found 7 [out-of-range] (2026-10)",
        // Two files with results for the same person and month: one error
        // for the pair of files, not one per person.
        "sales-2026-10.xlsx › Results: extra-2026-10.csv › extra-2026-10 and sales-2026-10.xlsx › Results both hold results for 2026-10 (1 person: S001); keep the file that is right and move the other out of the folder. kpi-report does not choose between them, so they are not scored [duplicate-file] (2026-10)",
        "~$staff.xlsx: skipped: a lock file left by an open spreadsheet program [skipped-file]",
        "minutes.docx: skipped: not a spreadsheet (.xlsx .xlsm .xlsb .xls .et .ods .csv .tsv) [skipped-file]",
        "staff.xlsx: Staff → staff, 30 rows",
        "periods: 2026-10, 2026-11",
        "people: 30",
    ];
    if input.join("calamine__errors.xlsx").exists() {
        want.extend([
            "calamine__pass_protected.xlsx: encrypted (password protected): save an unprotected copy [encrypted-file]",
            "calamine__issue_594_dos.ods › Sheet1: the sheet spans 17179869184 cells, over the limit of 5000000; delete unused rows and columns far from the table (Ctrl+End shows where the sheet ends) [too-large]",
            "calamine__errors.xlsx › Feuil1: no header row with a Staff ID column and other known columns in the first 30 rows; sheet skipped [no-table]",
            "files: 5 read, 2 unreadable, 2 skipped",
        ]);
    }
    for line in want {
        assert!(out.stderr.contains(line), "missing: {line}\n{}", out.stderr);
    }
    // The same in Chinese.
    let out = kpi(dir.path(), &["check", "in", "--lang", "zh"]);
    out.expect_code(3);
    for line in [
        "extra-2026-10.csv › extra-2026-10 › A2: 工号“X999”不在花名册中；此行未计入（请把此人加入花名册或更正工号） [unknown-staff]",
        "extra-2026-10.csv › extra-2026-10 › F3: “Collaboration Rating”应在 1 到 5 之间，实际为 7 [out-of-range] (2026-10)",
        "minutes.docx: 已跳过：不是电子表格（.xlsx .xlsm .xlsb .xls .et .ods .csv .tsv） [skipped-file]",
        "人数: 30",
    ] {
        assert!(out.stderr.contains(line), "missing: {line}\n{}", out.stderr);
    }
}

/// The Data Issues sheet of summary.xlsx lists each issue with its code,
/// file, sheet, cell and value, in the report language.
#[test]
fn data_issues_sheet_shows_the_issues_in_the_report_language() {
    let dir = scratch();
    let input = dir.path().join("in");
    copy_dir(&repo().join("samples/en"), &input);
    write(
        &input.join("extra-2026-10.csv"),
        "Staff ID,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours\n\
         X999,1,1,90,0,4,1\n",
    );
    kpi(
        dir.path(),
        &["run", "in", "--out", "reports", "--lang", "zh"],
    )
    .expect_code(3);
    let rows =
        crate::util::sheet_text(&dir.path().join("reports/2026-10/summary.xlsx"), "数据问题");
    assert_eq!(
        rows[0],
        ["级别", "代码", "文件", "工作表", "单元格", "值", "说明"]
    );
    assert!(
        rows.contains(&vec![
            "error".to_owned(),
            "unknown-staff".to_owned(),
            "extra-2026-10.csv".to_owned(),
            "extra-2026-10".to_owned(),
            "A2".to_owned(),
            "X999".to_owned(),
            "工号“X999”不在花名册中；此行未计入（请把此人加入花名册或更正工号）".to_owned(),
        ]),
        "{rows:?}"
    );
}

/// calamine builds an xls sheet's grid while opening the file: one cell
/// moved to row 65,536, column 16,384 of a 6 KB xls asked for ~34 GB and
/// aborted the process. The BIFF records are now measured first.
#[test]
fn regression_xls_cell_far_away_is_refused_before_calamine_allocates() {
    let fixture = repo().join("tests/data/formats/results-2026-10.xls");
    let original = std::fs::read(&fixture).unwrap();
    let find = |pattern: &[u8]| {
        original
            .windows(pattern.len())
            .position(|w| w == pattern)
            .unwrap()
    };
    let dir = scratch();
    let limits = Limits::default();

    // A LABELSST cell record (id 0x00FD, 10 bytes): row, then column.
    let mut far_cell = original.clone();
    let at = find(&[0xFD, 0x00, 0x0A, 0x00]) + 4;
    far_cell[at..at + 4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x3F]);
    // The DIMENSIONS record (id 0x0200, 14 bytes): rows as u32, columns u16.
    let mut far_dims = original.clone();
    let at = find(&[0x00, 0x02, 0x0E, 0x00]) + 4;
    far_dims[at + 4..at + 8].copy_from_slice(&0x0010_0000u32.to_le_bytes());
    far_dims[at + 10..at + 12].copy_from_slice(&0x3FFFu16.to_le_bytes());

    // 65,536 rows x 16,384 columns; 1,048,576 rows x 16,383 columns (the
    // record stores the last row and column plus one).
    for (bytes, cells) in [(far_cell, 1_073_741_824u64), (far_dims, 17_178_820_608)] {
        let path = dir.path().join("bomb.xls");
        std::fs::write(&path, bytes).unwrap();
        match workbook::read_file(&path, &Arc::from("bomb.xls"), &limits) {
            Err(InputError::TooManyCells {
                cells: got,
                sheet: None,
                ..
            }) => assert_eq!(got, cells),
            other => panic!("{other:?}"),
        }
    }
    // The untouched fixture still reads.
    assert!(workbook::read_file(&fixture, &Arc::from("ok.xls"), &limits).is_ok());
}

#[test]
fn nothing_to_score_speaks_the_runs_language_file_by_file() {
    // A roster and a CSV that holds no table: nothing to score. Under
    // --lang zh the message, the heading and each file's cause are Chinese.
    let dir = scratch();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(
        repo().join("samples/zh/员工花名册.xlsx"),
        input.join("员工花名册.xlsx"),
    )
    .unwrap();
    write(&input.join("notes.csv"), "a,b\n");
    let zh = kpi(dir.path(), &["run", "in", "--out", "out", "--lang", "zh"]);
    zh.expect_code(1);
    assert!(
        zh.stderr.contains("error: 未找到目标或业绩"),
        "{}",
        zh.stderr
    );
    assert!(zh.stderr.contains("逐个文件发现的情况："), "{}", zh.stderr);
    assert!(
        zh.stderr
            .contains("notes.csv › notes: 前 30 行中没有含“工号”及其他已知列的表头行"),
        "{}",
        zh.stderr
    );
    assert!(!zh.stderr.contains("file by file"), "{}", zh.stderr);
    assert!(!zh.stderr.contains("no header row"), "{}", zh.stderr);
    assert!(!dir.path().join("out").exists());
    // In English, the same causes in English.
    let en = kpi(dir.path(), &["run", "in", "--out", "out"]);
    en.expect_code(1);
    assert!(
        en.stderr.contains("error: no targets or results found"),
        "{}",
        en.stderr
    );
    assert!(
        en.stderr.contains("what was found, file by file:"),
        "{}",
        en.stderr
    );
    assert!(
        en.stderr
            .contains("notes.csv › notes: no header row with a Staff ID column"),
        "{}",
        en.stderr
    );
}
