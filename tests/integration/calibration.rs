//! The Calibration sheet: a team graded high on purpose (top ratings,
//! weak sales) is flagged High, a team with strong sales and harsh ratings
//! Low, with the lifts worked out by hand below.

use std::path::Path;

use crate::util::{kpi, scratch, sheet_text};

/// (id, name, department, role, manager, sales attainment %, satisfaction,
/// complaints, collaboration)
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
    u32,
    u32,
    u32,
);

/// Two managers with all-100 scores, a lenient team (70% of every target,
/// top ratings) and a strict team (every target met, harsh ratings).
const PEOPLE: [Person; 8] = [
    (
        "M1",
        "Lena Soft",
        "Lenient",
        "Sales Manager",
        "",
        100,
        95,
        0,
        5,
    ),
    (
        "M2",
        "Sam Hard",
        "Strict",
        "Sales Manager",
        "",
        100,
        95,
        0,
        5,
    ),
    (
        "L1",
        "Ann One",
        "Lenient",
        "Sales Representative",
        "M1",
        70,
        95,
        0,
        5,
    ),
    (
        "L2",
        "Ann Two",
        "Lenient",
        "Sales Representative",
        "M1",
        70,
        95,
        0,
        5,
    ),
    (
        "L3",
        "Ann Three",
        "Lenient",
        "Sales Representative",
        "M1",
        70,
        95,
        0,
        5,
    ),
    (
        "N1",
        "Ned One",
        "Strict",
        "Sales Representative",
        "M2",
        100,
        60,
        2,
        3,
    ),
    (
        "N2",
        "Ned Two",
        "Strict",
        "Sales Representative",
        "M2",
        100,
        60,
        2,
        3,
    ),
    (
        "N3",
        "Ned Three",
        "Strict",
        "Sales Representative",
        "M2",
        100,
        60,
        2,
        3,
    ),
];

fn write_input(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Staff").unwrap();
    for (c, h) in [
        "Staff ID",
        "Name",
        "Department",
        "Role",
        "Manager ID",
        "Bonus Base",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, p) in PEOPLE.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, p.0).unwrap();
        ws.write_string(r, 1, p.1).unwrap();
        ws.write_string(r, 2, p.2).unwrap();
        ws.write_string(r, 3, p.3).unwrap();
        if !p.4.is_empty() {
            ws.write_string(r, 4, p.4).unwrap();
        }
        ws.write_number(r, 5, 5000).unwrap();
    }
    wb.save(dir.join("staff.xlsx")).unwrap();

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Targets").unwrap();
    for (c, h) in [
        "Staff ID",
        "Sales Target",
        "New Customers Target",
        "Training Hours Target",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, p) in PEOPLE.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, p.0).unwrap();
        ws.write_number(r, 1, 100000).unwrap();
        ws.write_number(r, 2, 10).unwrap();
        ws.write_number(r, 3, 10).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("Results").unwrap();
    for (c, h) in [
        "Staff ID",
        "Sales",
        "New Customers",
        "Satisfaction",
        "Complaints",
        "Collaboration Rating",
        "Training Hours",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, p) in PEOPLE.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, p.0).unwrap();
        ws.write_number(r, 1, f64::from(p.5) * 1000.0).unwrap();
        ws.write_number(r, 2, f64::from(p.5) / 10.0).unwrap();
        ws.write_number(r, 3, p.6).unwrap();
        ws.write_number(r, 4, p.7).unwrap();
        ws.write_number(r, 5, p.8).unwrap();
        ws.write_number(r, 6, f64::from(p.5) / 10.0).unwrap();
    }
    wb.save(dir.join("sales-2026-11.xlsx")).unwrap();
}

#[test]
fn a_team_graded_high_for_its_results_is_flagged() {
    let dir = scratch();
    let input = dir.path().join("in");
    write_input(&input);
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
    // By hand, standard plan. Results KPIs (measured against a target):
    // sales 40, new customers 20, training 5 for a representative.
    // Lenient rep: every target 70% -> results score 70; satisfaction 95
    // -> 100, complaints 0 -> 100, collaboration 5 -> 100; total =
    // 0.40*70 + 0.20*70 + 0.15*100 + 0.10*100 + 0.10*100 + 0.05*70 =
    // 80.50; lift 10.50.
    // Strict rep: targets met -> 100; satisfaction 60 -> 0, complaints 2
    // -> 60, collaboration 3 -> 60; total = 40 + 20 + 0 + 6 + 6 + 5 =
    // 77.00; lift -23.00.
    // Managers: every score 100, lift 0.
    // Company mean lift = (3*10.5 - 3*23 + 0) / 8 = -4.6875 -> -4.69.
    // Lenient team: 10.50 + 4.69 = 15.19 (> 5: High); strict team:
    // -23.00 + 4.69 = -18.31 (< -5: Low).
    let sheet = sheet_text(
        &dir.path().join("reports/2026-11/summary.xlsx"),
        "Calibration",
    );
    let header = sheet.iter().position(|r| r[0] == "Scope").unwrap();
    let col = |name: &str| sheet[header].iter().position(|h| h == name).unwrap();
    let row = |scope: &str, key: &str| {
        sheet
            .iter()
            .find(|r| r[0] == scope && r[1] == key)
            .unwrap_or_else(|| panic!("no {scope} {key} row"))
            .clone()
    };
    let lenient = row("Manager", "M1");
    assert_eq!(lenient[col("Mean total")], "80.5");
    assert_eq!(lenient[col("Mean results score")], "70");
    assert_eq!(lenient[col("Lift vs company")], "15.19");
    assert_eq!(lenient[col("Flag")], "High");
    assert_eq!(lenient[col("Name")], "Lena Soft");
    let strict = row("Manager", "M2");
    assert_eq!(strict[col("Mean total")], "77");
    assert_eq!(strict[col("Lift vs company")], "-18.31");
    assert_eq!(strict[col("Flag")], "Low");
    // Departments hold each team and its manager: (3*10.5 + 0)/4 = 7.875
    // -> 7.88, + 4.69 = 12.57.
    let dept = row("Department", "Lenient");
    assert_eq!(dept[col("Lift vs company")], "12.57");
    assert_eq!(dept[col("Flag")], "High");
    // The grade mix: lenient reps 80.50 -> B, the
    // manager (not in his own team) 100 -> A; so the team is all B.
    assert_eq!(lenient[col("B")], "1");
    let company = row("Company", "");
    assert_eq!(company[col("Scored")], "8");
    // The rule is stated in the sheet.
    assert!(sheet[1][0].starts_with("Flag:"), "{:?}", sheet[1]);
}
