//! What the workbooks hold is valid for any reader, the library prints
//! nothing of its own, and an overflowing bonus names its input (issue 13).

use std::path::{Path, PathBuf};

use crate::util::{kpi, repo, scratch, sheet_text};

/// Every workbook under `dir`.
fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(workbooks(&path));
        } else if path.extension().is_some_and(|e| e == "xlsx") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// XML 1.0's characters.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// A strict check of one XML part: well-formed (quick-xml, end names
/// checked), and no character XML 1.0 forbids, neither raw nor as a
/// character reference (quick-xml accepts both).
fn check_xml(name: &str, text: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|c| !xml_char(*c)) {
        return Err(format!("{name}: raw character {:#x}", c as u32));
    }
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        rest = &rest[at + 2..];
        let end = rest
            .find(';')
            .ok_or(format!("{name}: unterminated reference"))?;
        let code = match rest[..end].strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => rest[..end].parse(),
        }
        .map_err(|e| format!("{name}: bad reference {}: {e}", &rest[..end]))?;
        match char::from_u32(code) {
            Some(c) if xml_char(c) => {}
            _ => return Err(format!("{name}: reference to {code:#x}")),
        }
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                for a in e.attributes() {
                    a.map_err(|err| format!("{name}: {err}"))?;
                }
            }
            Ok(_) => {}
            Err(e) => return Err(format!("{name}: {e}")),
        }
    }
}

/// Checks every XML part of a workbook.
fn check_workbook(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut problems = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".vml")) {
            continue;
        }
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut raw).unwrap();
        match String::from_utf8(raw) {
            Ok(text) => {
                if let Err(e) = check_xml(&format!("{} › {name}", path.display()), &text) {
                    problems.push(e);
                }
            }
            Err(_) => problems.push(format!("{} › {name}: not UTF-8", path.display())),
        }
    }
    problems
}

#[test]
fn the_strict_check_rejects_what_xml_forbids() {
    assert!(check_xml("ok", "<a b=\"x&#xA;y\">t&#9;</a>").is_ok());
    assert!(check_xml("raw", "<a b=\"x\u{b}y\"/>").is_err());
    assert!(check_xml("raw", "<a>x\u{1}y</a>").is_err());
    assert!(check_xml("ref", "<a b=\"&#x1;\"/>").is_err());
    assert!(check_xml("ref", "<a>&#11;</a>").is_err());
    assert!(check_xml("tags", "<a></b>").is_err());
}

#[test]
fn names_with_every_control_character_give_valid_workbooks() {
    let dir = scratch();
    let d = dir.path();
    let inbox = d.join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for f in ["sales-2026-10.xlsx", "sales-2026-11.xlsx"] {
        std::fs::copy(repo().join("samples/en").join(f), inbox.join(f)).unwrap();
    }
    // The roster as CSV, each name holding one control character: 0x01 to
    // 0x1E in names, 0x1F in a department.
    let roster = sheet_text(&repo().join("samples/en/staff.xlsx"), "Staff");
    let mut w = csv::Writer::from_path(inbox.join("staff.csv")).unwrap();
    w.write_record(&roster[0]).unwrap();
    for (i, row) in roster[1..].iter().enumerate() {
        let mut row = row.clone();
        let c = char::from_u32(i as u32 + 1).unwrap();
        row[1] = format!("{}{c}X", row[1]);
        if i == 0 {
            row[2] = format!("{}\u{1f}Y", row[2]);
        }
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    assert_eq!(roster.len() - 1, 30, "one person per control character");

    for (out, extra) in [
        ("reports", &[][..]),
        ("zh", &["--lang", "zh", "--split", "staff"][..]),
    ] {
        let mut args = vec!["run", "inbox", "--out", out];
        args.extend(extra);
        let run = kpi(d, &args);
        run.expect_code(0);
        assert!(run.stderr.contains("[replaced-text]"), "{}", run.stderr);
        let books = workbooks(&d.join(out));
        assert!(books.len() > 3, "{books:?}");
        let problems: Vec<String> = books.iter().flat_map(|b| check_workbook(b)).collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
    // The names are still there, the forbidden character replaced.
    let ranking = sheet_text(&d.join("reports/2026-10/summary.xlsx"), "Ranking");
    let names: Vec<&String> = ranking.iter().map(|r| &r[2]).collect();
    assert!(names.iter().any(|n| n.ends_with("\u{FFFD}X")), "{names:?}");
    // Tab, line feed and carriage return are XML characters and stay.
    assert!(names.iter().any(|n| n.ends_with("\tX")), "{names:?}");
}

#[test]
fn a_streamed_run_of_5100_people_prints_nothing_from_the_library() {
    let dir = scratch();
    let d = dir.path();
    kpi(
        d,
        &["sample", "--out", "in", "--staff", "5100", "--months", "1"],
    )
    .expect_code(0);
    let run = kpi(d, &["run", "in", "--out", "reports"]);
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    // Every line is kpi-report's: issue headings, indented issues, the
    // summary line.
    for line in run.stderr.lines() {
        let ours = line.starts_with("  ")
            || line.starts_with("errors (")
            || line.starts_with("warnings (")
            || line.starts_with("notes (")
            || line.starts_with("1 periods (");
        assert!(ours, "not kpi-report's: {line:?}\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("Ignoring"), "{}", run.stderr);
    // The streamed Ranking sheet has every KPI's group heading in row 1.
    let ranking = sheet_text(&d.join("reports/2026-10/summary.xlsx"), "Ranking");
    let groups: Vec<&String> = ranking[0].iter().skip(12).step_by(6).collect();
    assert!(groups.len() >= 5, "{groups:?}");
    assert!(groups.iter().all(|g| !g.is_empty()), "{groups:?}");
    assert!(ranking.len() > 5100);
}

#[test]
fn a_pool_overflow_names_the_bonus_base_cell() {
    let dir = scratch();
    let d = dir.path();
    let inbox = d.join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for f in ["sales-2026-10.xlsx", "sales-2026-11.xlsx"] {
        std::fs::copy(repo().join("samples/en").join(f), inbox.join(f)).unwrap();
    }
    // S001's bonus base (F2) is huge but under the input's sanity limit of
    // 10^15: pool × weight = (9×10^14)² × coefficient leaves the 28-digit
    // decimal range.
    let mut roster = sheet_text(&repo().join("samples/en/staff.xlsx"), "Staff");
    assert_eq!(roster[0][5], "Bonus Base");
    assert_eq!(roster[1][0], "S001");
    roster[1][5] = "900000000000000".into();
    let mut w = csv::Writer::from_path(inbox.join("staff.csv")).unwrap();
    for row in &roster {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let plan = repo().join("templates/pool.toml");
    let run = kpi(
        d,
        &[
            "run",
            "inbox",
            "--out",
            "reports",
            "--plan",
            plan.to_str().unwrap(),
        ],
    );
    run.expect_code(3);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("[out-of-range]"))
        .collect();
    // One error per month, at the bonus base cell, for S001 only.
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    for e in &errors {
        assert!(
            e.contains("staff.csv › F2")
                || e.contains("staff.csv › Staff › F2")
                || e.contains("F2"),
            "{e}"
        );
        assert!(e.contains("S001") && e.contains("Bonus Base"), "{e}");
    }
    assert!(!run.stderr.contains("too extreme"), "{}", run.stderr);
    // Everyone else is scored and paid from East's pool of the other bases.
    let bonus = crate::util::read_csv(&d.join("reports/2026-10/bonus.csv"));
    assert!(!bonus.iter().any(|r| r[0] == "S001"));
    assert_eq!(bonus.len() - 1, 29, "{bonus:?}");
}
