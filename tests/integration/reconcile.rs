//! `reconcile`: old results sheets made here from an ordinary run's
//! results.csv and the sample's own Sales cells — one that agrees, one off
//! by rounding, one with a changed input, one with a missing person, one
//! with another rule — each classified as the README says.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

use crate::util::{kpi, read_csv, repo, scratch, sheet_text};

/// One person as the old sheet shows them.
#[derive(Clone)]
struct Old {
    id: String,
    total: String,
    grade: String,
    bonus: String,
    sales: f64,
}

/// The run's results for 2026-11 and each person's Sales from the sample
/// workbook, with the Sales cell's address.
fn old_rows(dir: &Path) -> (Vec<Old>, Vec<(String, String)>) {
    let input = repo().join("samples/en");
    let out = dir.join("reports");
    kpi(
        dir,
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
    )
    .expect_code(0);
    let t = read_csv(&out.join("2026-11/results.csv"));
    let h = &t[0];
    let ix = |name: &str| h.iter().position(|x| x == name).unwrap();
    // Sales as the sample workbook holds it, and where.
    let mut wb = open_workbook_auto(input.join("sales-2026-11.xlsx")).unwrap();
    let range = wb.worksheet_range("Results").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let sales_col = header.iter().position(|x| x == "Sales").unwrap();
    let mut cells = Vec::new();
    let mut sales = std::collections::BTreeMap::new();
    for (r, row) in range.rows().enumerate().skip(1) {
        let id = row[0].to_string();
        let v = match &row[sales_col] {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            other => panic!("{other:?}"),
        };
        let col = char::from(b'A' + sales_col as u8);
        cells.push((id.clone(), format!("{col}{}", r + 1)));
        sales.insert(id, v);
    }
    let rows = t[1..]
        .iter()
        .filter(|r| r[ix("status")] == "ok")
        .map(|r| Old {
            id: r[ix("staff_id")].clone(),
            total: r[ix("total_score")].clone(),
            grade: r[ix("grade")].clone(),
            bonus: r[ix("bonus")].clone(),
            sales: sales[&r[ix("staff_id")]],
        })
        .collect();
    (rows, cells)
}

/// Writes an old results sheet with Chinese headers, a title row above the
/// header (as hand-made sheets have), numbers as numbers.
fn write_old(path: &Path, rows: &[Old]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2026年11月结果").unwrap();
    ws.write_string(0, 0, "2026年11月绩效结果(旧表)").unwrap();
    for (c, h) in ["工号", "销售额", "总分", "等级", "奖金"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string(row, 0, &r.id).unwrap();
        ws.write_number(row, 1, r.sales).unwrap();
        ws.write_number(row, 2, r.total.parse::<f64>().unwrap())
            .unwrap();
        ws.write_string(row, 3, &r.grade).unwrap();
        ws.write_number(row, 4, r.bonus.parse::<f64>().unwrap())
            .unwrap();
    }
    wb.save(path).unwrap();
}

fn reconcile(dir: &Path, old: &Path, out: &str) -> (crate::util::Outcome, PathBuf) {
    std::fs::create_dir_all(dir.join(out)).unwrap();
    let done = kpi(
        dir,
        &[
            "reconcile",
            repo().join("samples/en").to_str().unwrap(),
            "--against",
            old.to_str().unwrap(),
            "--out",
            out,
        ],
    );
    let book = dir.join(out).join("reconcile-2026-11.xlsx");
    (done, book)
}

/// A person whose total is not within a cent of a whole number (so moving
/// it by 0.004 cannot cross a grade threshold).
fn off_threshold(rows: &[Old]) -> usize {
    rows.iter()
        .position(|r| {
            let frac = r
                .total
                .split_once('.')
                .map_or(0, |(_, f)| f.parse::<u32>().unwrap());
            (2..=98).contains(&frac)
        })
        .unwrap()
}

#[test]
fn agreeing_rounding_input_missing_and_rule_are_classified() {
    let dir = scratch();
    let d = dir.path();
    let (rows, cells) = old_rows(d);
    let n = rows.len();

    // 1. The same figures: everyone agrees, exit 0.
    write_old(&d.join("same.xlsx"), &rows);
    let (done, book) = reconcile(d, &d.join("same.xlsx"), "r1");
    done.expect_code(0);
    assert!(
        done.stdout
            .contains(&format!("{n} of {n} agree to the cent")),
        "{}",
        done.stdout
    );
    let sheet = sheet_text(&book, "Reconciliation");
    assert_eq!(sheet[1][0], format!("{n} of {n} agree to the cent"));

    // 2. One total with three decimals, 0.004 below ours: within a cent of
    // ours and (ours being rounded to 2 decimals) of our unrounded total.
    let mut r2 = rows.clone();
    let k = off_threshold(&r2);
    let cents: f64 = r2[k].total.parse().unwrap();
    r2[k].total = format!("{:.3}", cents - 0.004);
    write_old(&d.join("rounding.xlsx"), &r2);
    let (done, book) = reconcile(d, &d.join("rounding.xlsx"), "r2");
    done.expect_code(3);
    assert!(
        done.stdout
            .contains(&format!("{} of {n} agree to the cent; 1 rounding", n - 1)),
        "{}",
        done.stdout
    );
    let sheet = sheet_text(&book, "Reconciliation");
    let line = sheet.iter().find(|r| r[0] == rows[k].id).unwrap();
    assert!(line[10].starts_with("rounding only (total)"), "{line:?}");

    // 3. One person's Sales changed on the old sheet, and their total with
    // it: a different input, naming our cell.
    let mut r3 = rows.clone();
    let k3 = 16.min(n - 1);
    r3[k3].sales += 1000.0;
    r3[k3].total = format!("{:.2}", r3[k3].total.parse::<f64>().unwrap() + 1.5);
    write_old(&d.join("input.xlsx"), &r3);
    let (done, _) = reconcile(d, &d.join("input.xlsx"), "r3");
    done.expect_code(3);
    let cell = &cells.iter().find(|(id, _)| *id == rows[k3].id).unwrap().1;
    let want = format!(
        "{} of {n} agree to the cent; 1 different input: {} Sales, sales-2026-11.xlsx › Results › {cell}",
        n - 1,
        rows[k3].id
    );
    assert!(done.stdout.contains(&want), "want {want}\n{}", done.stdout);

    // 4. A person missing from the old sheet.
    let mut r4 = rows.clone();
    let gone = r4.remove(3);
    write_old(&d.join("missing.xlsx"), &r4);
    let (done, book) = reconcile(d, &d.join("missing.xlsx"), "r4");
    done.expect_code(3);
    assert!(
        done.stdout.contains(&format!(
            "{} of {n} agree to the cent; 1 missing on one side: {}",
            n - 1,
            gone.id
        )),
        "{}",
        done.stdout
    );
    let sheet = sheet_text(&book, "Reconciliation");
    let line = sheet.iter().find(|r| r[0] == gone.id).unwrap();
    assert!(line[10].contains("not on the old sheet"), "{line:?}");

    // 5. The same inputs, another bonus: a different rule.
    let mut r5 = rows.clone();
    let bonus: f64 = r5[0].bonus.parse().unwrap();
    r5[0].bonus = format!("{:.2}", bonus + 250.0);
    write_old(&d.join("rule.xlsx"), &r5);
    let (done, book) = reconcile(d, &d.join("rule.xlsx"), "r5");
    done.expect_code(3);
    assert!(
        done.stdout
            .contains(&format!("1 different rule: {}", rows[0].id)),
        "{}",
        done.stdout
    );
    let sheet = sheet_text(&book, "Reconciliation");
    let line = sheet.iter().find(|r| r[0] == rows[0].id).unwrap();
    assert!(line[10].starts_with("different rule (bonus)"), "{line:?}");
    assert_eq!(line[9], "-250");
}

#[test]
fn an_old_sheet_without_a_results_table_or_with_a_bad_cell_is_refused() {
    let dir = scratch();
    let d = dir.path();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Staff ID").unwrap();
    ws.write_string(0, 1, "Comment").unwrap();
    wb.save(d.join("none.xlsx")).unwrap();
    let (done, _) = reconcile(d, &d.join("none.xlsx"), "x");
    done.expect_code(1);
    assert!(
        done.stderr.contains("no results table found"),
        "{}",
        done.stderr
    );

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Old").unwrap();
    ws.write_string(0, 0, "Staff ID").unwrap();
    ws.write_string(0, 1, "Total Score").unwrap();
    ws.write_string(1, 0, "S001").unwrap();
    ws.write_string(1, 1, "about ninety").unwrap();
    wb.save(d.join("bad.xlsx")).unwrap();
    let (done, _) = reconcile(d, &d.join("bad.xlsx"), "x");
    done.expect_code(1);
    assert!(
        done.stderr.contains("bad.xlsx › Old › B2"),
        "{}",
        done.stderr
    );
    assert!(!d.join("x/reconcile-2026-11.xlsx").exists());
}
