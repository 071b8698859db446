//! Hostile workbooks through the real binary: zip bombs (honest and lying
//! sizes, one giant string or millions of tiny cells), XML entity bombs,
//! sheets declaring XFD1048576, 32,767-character names, a million rows,
//! NUL bytes and invalid UTF-8 in CSV, every corpus file, and a seeded
//! sample of mutated workbooks.
//!
//! Each case runs `kpi-report check` and `run` in a child process on a
//! folder holding the hostile file beside a valid roster and sales file, so
//! the run is otherwise meaningful. The child's peak memory is measured by
//! GNU time (`/usr/bin/time -f %M`, the child's `ru_maxrss`) and its
//! address space capped (`ulimit -v`) so a runaway case fails instead of
//! taking the machine down. Every case must end with exit code 0, 1 or 3
//! (never a signal), a clear message on stderr (never a panic), peak memory
//! under [`MEMORY_LIMIT_MIB`] and wall time under [`TIME_LIMIT`].
//!
//! The cases run one after the other in one test so the figures table is
//! printed at the end (`cargo test --test hostile -- --nocapture`);
//! `HOSTILE_ONLY=substring` runs only the cases whose name contains it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[allow(dead_code)]
#[path = "integration/util.rs"]
mod util;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::zip::*;
use common::{mutate, repo};
use util::scratch;

/// Peak resident memory allowed for one run of the binary.
const MEMORY_LIMIT_MIB: f64 = 500.0;
/// Wall time allowed for one run of the binary (a debug build on a loaded
/// 2-core machine).
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// A run still going after this is killed (and fails the case).
const KILL_AFTER: Duration = Duration::from_secs(180);
/// Address space given to the child: far above the memory limit, but a
/// runaway allocation fails there instead of exhausting the machine.
const ADDRESS_SPACE_KIB: u64 = 4 * 1024 * 1024;

// ------------------------------------------------------------ measuring

/// What one run of the binary did, with its cost.
#[derive(Debug, Clone)]
struct Measured {
    /// Exit code, or None when ended by a signal.
    code: Option<i32>,
    stderr: String,
    peak_mib: f64,
    secs: f64,
}

/// Runs `kpi-report args` in `cwd` under GNU time, bounded in time.
fn measure(cwd: &Path, args: &[&str]) -> Measured {
    let time = Path::new("/usr/bin/time");
    let gnu_time = time.exists();
    if !gnu_time {
        static NOTICE: std::sync::Once = std::sync::Once::new();
        NOTICE.call_once(|| {
            println!(
                "notice: /usr/bin/time is missing (Debian package `time`; .ci/run installs it): \
                 exit codes and messages are checked, peak memory is not measured"
            );
        });
    }
    let dir = scratch();
    let (rss, out, err) = (
        dir.path().join("rss"),
        dir.path().join("stdout"),
        dir.path().join("stderr"),
    );
    let mut cmd = if gnu_time {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss).arg("sh");
        c
    } else {
        Command::new("sh")
    };
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_kpi-report"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > KILL_AFTER {
            // The whole group: time, and the binary under it.
            let _ = Command::new("kill")
                .args(["-KILL", &format!("-{}", child.id())])
                .status();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = started.elapsed().as_secs_f64();
    // GNU time exits with the child's code, and writes "Command terminated
    // by signal N" / "Command exited with non-zero status N" before %M.
    let report = std::fs::read_to_string(&rss).unwrap_or_default();
    let signalled = report.contains("terminated by signal") || status.code().is_none();
    let kib: f64 = report
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(if gnu_time { f64::NAN } else { 0.0 });
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    Measured {
        code: if signalled { None } else { status.code() },
        stderr: read(&err),
        peak_mib: kib / 1024.0,
        secs,
    }
}

/// One row of the figures table.
#[derive(Debug)]
struct Row {
    case: String,
    command: &'static str,
    m: Measured,
    problems: Vec<String>,
}

/// The folder a case runs in: the English samples (roster and two months of
/// sales), the hostile files beside them, reports written to `out` (a
/// subfolder, which input discovery does not read).
struct Folder {
    _dir: tempfile::TempDir,
    input: PathBuf,
}

fn folder_with(files: &[(&str, &[u8])]) -> Folder {
    let dir = scratch();
    let input = dir.path().join("in");
    util::copy_dir(&repo().join("samples/en"), &input);
    for (name, bytes) in files {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    Folder { _dir: dir, input }
}

/// What a case is allowed to end with, beyond the common rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A clear error or data issues naming the file: any of 0/1/3.
    Any,
    /// The run must write reports (exit 0 or 3).
    Reports,
    /// The file must be refused (run exits 1 naming it).
    Refused,
}

/// Runs `check` then `run` on the folder and checks the common rules;
/// `name` is the hostile file the messages should name.
fn run_case(rows: &mut Vec<Row>, case: &str, folder: &Folder, name: &str, expect: Expect) {
    for command in ["check", "run"] {
        let args: Vec<&str> = match command {
            "check" => vec!["check", "."],
            _ => vec!["run", ".", "--out", "../out"],
        };
        let m = measure(&folder.input, &args);
        let mut problems = common_problems(&m);
        let code = m.code.unwrap_or(-1);
        if code != 0 && !m.stderr.contains(name) {
            problems.push(format!("exit {code} but stderr does not name {name}"));
        }
        if command == "run" {
            let wrote = folder.input.join("../out/2026-10/results.csv").exists();
            match expect {
                Expect::Reports if !(matches!(code, 0 | 3) && wrote) => {
                    problems.push(format!("expected reports, got exit {code}"));
                }
                Expect::Refused if code != 1 => {
                    problems.push(format!("expected the file refused (exit 1), got {code}"));
                }
                _ => {}
            }
            if code == 1 && wrote {
                problems.push("exit 1 but reports were written".to_owned());
            }
        }
        rows.push(Row {
            case: case.to_owned(),
            command,
            m,
            problems,
        });
    }
}

/// The rules every run must keep.
fn common_problems(m: &Measured) -> Vec<String> {
    let mut problems = Vec::new();
    match m.code {
        None => problems.push("ended by a signal (crash, abort or killed)".to_owned()),
        Some(0 | 1 | 3) => {}
        Some(c) => problems.push(format!("exit code {c}")),
    }
    if m.stderr.contains("panicked") || m.stderr.contains("RUST_BACKTRACE") {
        problems.push(format!("a panic: {}", first_lines(&m.stderr, 5)));
    }
    if m.code != Some(0) && m.stderr.trim().is_empty() {
        problems.push("failed with nothing on stderr".to_owned());
    }
    // NaN (no figure) fails too.
    if m.peak_mib.is_nan() || m.peak_mib >= MEMORY_LIMIT_MIB {
        problems.push(format!("peak memory {:.0} MiB", m.peak_mib));
    }
    if m.secs > TIME_LIMIT.as_secs_f64() {
        problems.push(format!("took {:.1}s", m.secs));
    }
    problems
}

fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join(" | ")
}

fn print_table(rows: &[Row]) {
    let mut out = String::new();
    out.push_str(&format!(
        "\n{:<44} {:<6} {:>4} {:>9} {:>8}  {}\n",
        "case", "cmd", "exit", "peak MiB", "seconds", "stderr (first line)"
    ));
    for r in rows {
        let code = r.m.code.map_or("sig".to_owned(), |c| c.to_string());
        let line = r.m.stderr.lines().next().unwrap_or("").to_owned();
        let line: String = line.chars().take(70).collect();
        let case: String = r.case.chars().take(44).collect();
        out.push_str(&format!(
            "{:<44} {:<6} {:>4} {:>9.1} {:>8.2}  {}\n",
            case, r.command, code, r.m.peak_mib, r.m.secs, line
        ));
    }
    // Per scenario (the case name up to its colon).
    let mut groups: Vec<(String, Vec<&Row>)> = Vec::new();
    for r in rows {
        let group = r.case.split(':').next().unwrap_or_default().to_owned();
        let group = if group.starts_with("mutation") {
            "mutation".to_owned()
        } else {
            group
        };
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, v)) => v.push(r),
            None => groups.push((group, vec![r])),
        }
    }
    out.push_str(&format!(
        "\n{:<28} {:>5} {:>7} {:>22} {:>9} {:>8}\n",
        "scenario", "runs", "failed", "exit 0/1/3/other", "peak MiB", "seconds"
    ));
    for (group, rs) in &groups {
        let count = |c: Option<i32>| rs.iter().filter(|r| r.m.code == c).count();
        let other = rs.len() - count(Some(0)) - count(Some(1)) - count(Some(3));
        out.push_str(&format!(
            "{:<28} {:>5} {:>7} {:>22} {:>9.1} {:>8.2}\n",
            group,
            rs.len(),
            rs.iter().filter(|r| !r.problems.is_empty()).count(),
            format!(
                "{}/{}/{}/{}",
                count(Some(0)),
                count(Some(1)),
                count(Some(3)),
                other
            ),
            rs.iter().map(|r| r.m.peak_mib).fold(0.0, f64::max),
            rs.iter().map(|r| r.m.secs).fold(0.0, f64::max),
        ));
    }
    let worst_mem = rows.iter().map(|r| r.m.peak_mib).fold(0.0, f64::max);
    let worst_secs = rows.iter().map(|r| r.m.secs).fold(0.0, f64::max);
    let failed = rows.iter().filter(|r| !r.problems.is_empty()).count();
    out.push_str(&format!(
        "{} runs, {failed} failed, worst peak {worst_mem:.1} MiB, worst time {worst_secs:.2}s\n",
        rows.len()
    ));
    println!("{out}");
}

fn failures(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .filter(|r| !r.problems.is_empty())
        .map(|r| {
            format!(
                "{} ({}): {}\n  stderr: {}",
                r.case,
                r.command,
                r.problems.join("; "),
                first_lines(&r.m.stderr, 4)
            )
        })
        .collect()
}

fn selected(case: &str) -> bool {
    std::env::var("HOSTILE_ONLY").map_or(true, |only| case.contains(&only))
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

/// The English sample roster, as rows of text.
fn sample_roster() -> Vec<Vec<String>> {
    util::sheet_text(&repo().join("samples/en/staff.xlsx"), "Staff")
}

/// A DOCTYPE defining ten nested entities, `&j;` expanding to 10^10 bytes.
fn laughs() -> String {
    let mut d = String::from(r#"<!DOCTYPE lolz [<!ENTITY a "lollollollol">"#);
    for (prev, name) in "abcdefghi".chars().zip("bcdefghij".chars()) {
        let refs = format!("&{prev};").repeat(10);
        d.push_str(&format!(r#"<!ENTITY {name} "{refs}">"#));
    }
    d.push_str("]>");
    d
}

const GIB: u64 = 1024 * 1024 * 1024;
const MIB: u64 = 1024 * 1024;

// ----------------------------------------------------------------- cases

fn zip_bombs(rows: &mut Vec<Row>) {
    let big = 3 * GIB + GIB / 2; // 3.5 GiB: over the declared-size limit, fits 32 bits
    let under = 2 * GIB - 64 * MIB; // just under the 2 GiB declared-size limit
    type Part = Box<dyn Fn() -> (Vec<u8>, u64, u32)>;
    let cases: Vec<(&str, Part, Sizes, Expect)> = vec![
        (
            "zip bomb: 3.5 GiB string, honest sizes",
            Box::new(move || giant_string_sheet(big)),
            Sizes::Honest,
            Expect::Refused,
        ),
        (
            "zip bomb: 3.5 GiB string, lying sizes",
            Box::new(move || giant_string_sheet(big)),
            Sizes::Lying(64 * 1024),
            Expect::Refused,
        ),
        (
            "zip bomb: 1.9 GiB string, honest sizes",
            Box::new(move || giant_string_sheet(under)),
            Sizes::Honest,
            Expect::Refused,
        ),
        (
            "zip bomb: 1.9 GiB string, lying 1 GiB",
            Box::new(move || giant_string_sheet(under)),
            Sizes::Lying(GIB),
            Expect::Refused,
        ),
        (
            "zip bomb: 3.5 GiB tiny cells, honest",
            Box::new(move || tiny_cells_sheet(big)),
            Sizes::Honest,
            Expect::Refused,
        ),
        (
            "zip bomb: 3.5 GiB tiny cells, lying",
            Box::new(move || tiny_cells_sheet(big)),
            Sizes::Lying(64 * 1024),
            Expect::Refused,
        ),
        (
            "zip bomb: 1.9 GiB tiny cells, honest",
            Box::new(move || tiny_cells_sheet(under)),
            Sizes::Honest,
            Expect::Refused,
        ),
    ];
    for (case, part, sizes, expect) in cases {
        if !selected(case) {
            continue;
        }
        let started = Instant::now();
        let sheet = bomb_entry("xl/worksheets/sheet1.xml", part(), sizes);
        let bytes = xlsx(sheet, None);
        eprintln!(
            "{case}: {} KiB built in {:.1}s",
            bytes.len() / 1024,
            started.elapsed().as_secs_f64()
        );
        let name = "bomb-2026-10.xlsx";
        let folder = folder_with(&[(name, &bytes)]);
        run_case(rows, case, &folder, name, expect);
    }
    let case = "zip bomb: 1.9 GiB shared string, honest";
    if selected(case) {
        let (sheet, sst) = giant_shared_string(under);
        let bytes = xlsx(sheet, Some(sst));
        let name = "bomb-2026-10.xlsx";
        run_case(
            rows,
            case,
            &folder_with(&[(name, &bytes)]),
            name,
            Expect::Refused,
        );
    }
}

/// Regression: a zip bomb honest about its sizes but under the 2 GiB
/// declared-size limit (one 1.9 GiB inline string) was parsed, and the
/// reader buffered the whole string: the run aborted on a 2 GB allocation
/// (peak 2.1 GB, address space capped). Its large parts are now scanned
/// first and the file is refused, naming the part.
#[test]
fn an_honest_zip_bomb_under_the_size_limit_is_refused_not_buffered() {
    let sheet = bomb_entry(
        "xl/worksheets/sheet1.xml",
        giant_string_sheet(2 * GIB - 64 * MIB),
        Sizes::Honest,
    );
    let folder = folder_with(&[("bomb-2026-10.xlsx", &xlsx(sheet, None))]);
    let m = measure(&folder.input, &["run", ".", "--out", "../out"]);
    assert_eq!(m.code, Some(1), "{}", m.stderr);
    assert!(
        m.stderr.contains("bomb-2026-10.xlsx: cannot be read (its part xl/worksheets/sheet1.xml is damaged or crafted: it holds one text of more than"),
        "{}",
        m.stderr
    );
    assert!(m.peak_mib < 100.0, "peak {:.0} MiB", m.peak_mib);
    assert!(!folder.input.join("../out").exists());
}

fn entity_bombs(rows: &mut Vec<Row>) {
    let name = "laughs-2026-10.xlsx";
    let case = "entity bomb: in a sheet";
    if selected(case) {
        let table = strings(&[&["Staff ID", "Sales"], &["S001", "&j;"]]);
        let xml = sheet_xml(&table, "A1:B2", &laughs());
        let bytes = xlsx(stored("xl/worksheets/sheet1.xml", &xml), None);
        run_case(
            rows,
            case,
            &folder_with(&[(name, &bytes)]),
            name,
            Expect::Any,
        );
    }
    let case = "entity bomb: in sharedStrings.xml";
    if selected(case) {
        let sst = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{}<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>&j;</t></si></sst>"#,
            laughs()
        );
        let sheet = format!(
            r#"{}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>5</v></c></row>{SHEET_TAIL}"#,
            sheet_head("A1:B2")
        );
        let bytes = xlsx(
            stored("xl/worksheets/sheet1.xml", &sheet),
            Some(stored("xl/sharedStrings.xml", &sst)),
        );
        run_case(
            rows,
            case,
            &folder_with(&[(name, &bytes)]),
            name,
            Expect::Any,
        );
    }
    let case = "entity bomb: corpus poi__poc-xmlbomb.xlsx";
    let corpus = repo().join("../shared/corpus/poi__poc-xmlbomb.xlsx");
    if selected(case) && corpus.exists() {
        let bytes = std::fs::read(&corpus).unwrap();
        let name = "poc-xmlbomb-2026-10.xlsx";
        run_case(
            rows,
            case,
            &folder_with(&[(name, &bytes)]),
            name,
            Expect::Any,
        );
    }
}

fn huge_extents(rows: &mut Vec<Row>) {
    let name = "far-2026-10.xlsx";
    let case = "XFD1048576: a cell there";
    if selected(case) {
        let table = strings(&[&["Staff ID", "Sales"], &["S001", "5"]]);
        let mut xml = sheet_xml(&table, "A1:XFD1048576", "");
        xml = xml.replace(
            SHEET_TAIL,
            &format!(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>{SHEET_TAIL}"#),
        );
        let bytes = xlsx(stored("xl/worksheets/sheet1.xml", &xml), None);
        run_case(
            rows,
            case,
            &folder_with(&[(name, &bytes)]),
            name,
            Expect::Refused,
        );
    }
    let case = "XFD1048576: only <dimension> says so";
    if selected(case) {
        let table = strings(&[&["Staff ID", "Sales"], &["S001", "5"]]);
        let xml = sheet_xml(&table, "A1:XFD1048576", "");
        let bytes = xlsx(stored("xl/worksheets/sheet1.xml", &xml), None);
        run_case(
            rows,
            case,
            &folder_with(&[(name, &bytes)]),
            name,
            Expect::Any,
        );
    }
    let case = "XFD1048576: a text cell in row 1048576";
    if selected(case) {
        let table = strings(&[&["Staff ID", "Sales"], &["S001", "5"]]);
        let mut xml = sheet_xml(&table, "A1:B1048576", "");
        xml = xml.replace(
            SHEET_TAIL,
            &format!(r#"<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>S002</t></is></c><c r="B1048576"><v>7</v></c></row>{SHEET_TAIL}"#),
        );
        let bytes = xlsx(stored("xl/worksheets/sheet1.xml", &xml), None);
        run_case(
            rows,
            case,
            &folder_with(&[(name, &bytes)]),
            name,
            Expect::Any,
        );
    }
}

/// Names and departments of 32,767 characters (Excel's most per cell), and
/// one over, in the roster: the run writes its reports.
fn long_strings(rows: &mut Vec<Row>) {
    for (case, len) in [
        ("long text: 32,767-character name and department", 32_767),
        ("long text: 32,768-character name and department", 32_768),
        (
            "long text: 100,000-character name, 40,000-character id (CSV)",
            100_000,
        ),
    ] {
        if !selected(case) {
            continue;
        }
        let mut roster = sample_roster();
        let header = roster[0].clone();
        let col = |h: &str| header.iter().position(|x| x == h).unwrap();
        let (n, d) = (col("Name"), col("Department"));
        roster[1][n] = "N".repeat(len);
        roster[1][d] = "部".repeat(len);
        roster[2][n] = format!("{}é", "x".repeat(len - 1));
        let folder = folder_with(&[]);
        std::fs::remove_file(folder.input.join("staff.xlsx")).unwrap();
        if len > 32_768 {
            // And a staff id no cell can hold.
            roster[3][col("Staff ID")] = "S".repeat(40_000);
            let mut w = csv::Writer::from_path(folder.input.join("staff.csv")).unwrap();
            for r in &roster {
                w.write_record(r).unwrap();
            }
            w.flush().unwrap();
            run_case(rows, case, &folder, "staff.csv", Expect::Reports);
        } else {
            std::fs::write(
                folder.input.join("staff.xlsx"),
                table_xlsx("Staff", &roster),
            )
            .unwrap();
            run_case(rows, case, &folder, "staff.xlsx", Expect::Reports);
        }
        // Read back: a name Excel can hold is written whole; a longer one
        // is a data issue naming the cell, and never reaches a report.
        let summary = folder.input.join("../out/2026-10/summary.xlsx");
        let ranking = util::sheet_text(&summary, "Ranking");
        let longest = ranking
            .iter()
            .flatten()
            .map(|c| c.chars().count())
            .max()
            .unwrap();
        let last = rows.last_mut().unwrap();
        if len <= 32_767 && longest != 32_767 {
            last.problems.push(format!(
                "longest Ranking cell {longest}, not the 32,767-character name"
            ));
        }
        if len > 32_767
            && !last
                .m
                .stderr
                .contains(&format!("'Name' is {len} characters long"))
        {
            last.problems
                .push("no data issue for the over-long name".to_owned());
        }
    }
}

/// NUL bytes, invalid UTF-8, a stray UTF-16 byte-order mark in CSV.
fn hostile_csv(rows: &mut Vec<Row>) {
    let name = "results-2026-10.csv";
    let cases: [(&str, Vec<u8>); 4] = [
        (
            "CSV: NUL bytes in ids, numbers and headers",
            b"Staff ID,Sa\0les,New Customers\nS0\x0001,12\x0000,3\nS002,\0,4\n\0\0\0\n".to_vec(),
        ),
        (
            "CSV: invalid UTF-8",
            b"Staff ID,Sales\nS001,\xff\xfe12\nS\xc3002,5\n\xe4\xb8,\x80\x80\x80\nS003,7\xf0\x9f\n"
                .to_vec(),
        ),
        (
            "CSV: UTF-16 mark, odd length",
            b"\xff\xfeS\x00t\x00a\x00f\x00f\x00 \x00I\x00D\x00,\x00\n".to_vec(),
        ),
        ("CSV: only NUL bytes (1 MB)", vec![0u8; 1 << 20]),
    ];
    for (case, bytes) in cases {
        if selected(case) {
            run_case(
                rows,
                case,
                &folder_with(&[(name, &bytes)]),
                name,
                Expect::Any,
            );
        }
    }
}

/// Rows of a results table for December: the 30 people of the roster, then
/// staff ids nobody has, to `rows` in all.
fn million_rows(rows: u32, mut row: impl FnMut(&str, u32)) {
    for i in 1..=rows {
        let id = if i <= 30 {
            format!("S{i:03}")
        } else {
            format!("X{i:07}")
        };
        row(&id, i);
    }
}

const MILLION: u32 = 1_000_000;

fn million_csv() -> Vec<u8> {
    let mut out = b"Staff ID,Sales,New Customers\n".to_vec();
    million_rows(MILLION, |id, i| {
        writeln!(out, "{id},{},{}", 1000 + i % 5000, i % 7).unwrap();
    });
    out
}

/// As wide as the sample's results sheet (11 columns): 11 million cells.
fn million_wide_csv() -> Vec<u8> {
    let mut out = b"Staff ID,Name,Sales,New Customers,Satisfaction,Complaints,Collaboration Rating,Training Hours,Collection Rate,Expense Ratio,Compliance\n".to_vec();
    million_rows(MILLION, |id, i| {
        writeln!(
            out,
            "{id},Person {i},{},{},4.5,0,4,12,0.9,0.1,1",
            1000 + i % 5000,
            i % 7
        )
        .unwrap();
    });
    out
}

fn million_xlsx() -> Vec<u8> {
    use zip::write::{SimpleFileOptions, ZipWriter};
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let dir = "xl/worksheets/sheet1.xml";
    let skeleton = xlsx(stored(dir, ""), None);
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(skeleton)).unwrap();
    for i in 0..source.len() {
        let file = source.by_index(i).unwrap();
        if file.name().unwrap() != dir {
            zip.raw_copy_file(file).unwrap();
        }
    }
    zip.start_file(dir, options).unwrap();
    let mut w = std::io::BufWriter::with_capacity(1 << 20, &mut zip);
    let head = sheet_xml(
        &strings(&[&["Staff ID", "Sales", "New Customers"]]),
        "A1:C1000001",
        "",
    );
    w.write_all(head.strip_suffix(SHEET_TAIL).unwrap().as_bytes())
        .unwrap();
    million_rows(MILLION, |id, i| {
        let r = i + 1;
        write!(
            w,
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{id}</t></is></c><c r="B{r}"><v>{}</v></c><c r="C{r}"><v>{}</v></c></row>"#,
            1000 + i % 5000,
            i % 7,
        )
        .unwrap();
    });
    w.write_all(SHEET_TAIL.as_bytes()).unwrap();
    drop(w);
    zip.finish().unwrap().into_inner()
}

/// A million results rows (999,970 of them for people not in the roster),
/// as CSV and as xlsx, three columns wide (3 million cells): the run ends
/// with reports and a million data issues, the first 1,000 listed and the
/// rest counted in one, within the memory and time bounds. As wide as a
/// real results sheet (11 million cells) it is refused at the cell limit.
fn a_million_rows(rows: &mut Vec<Row>) {
    type Make = fn() -> Vec<u8>;
    for (case, name, make, expect) in [
        (
            "a million rows: CSV",
            "results-2026-12.csv",
            million_csv as Make,
            Expect::Reports,
        ),
        (
            "a million rows: xlsx",
            "results-2026-12.xlsx",
            million_xlsx as Make,
            Expect::Reports,
        ),
        (
            "a million rows: 11 columns CSV",
            "results-2026-12.csv",
            million_wide_csv as Make,
            Expect::Refused,
        ),
    ] {
        if !selected(case) {
            continue;
        }
        let started = Instant::now();
        let bytes = make();
        eprintln!(
            "{case}: {} KiB built in {:.1}s",
            bytes.len() / 1024,
            started.elapsed().as_secs_f64()
        );
        let folder = folder_with(&[(name, &bytes)]);
        drop(bytes);
        run_case(rows, case, &folder, name, expect);
        if expect == Expect::Reports {
            let last = rows.last_mut().unwrap();
            let lines = last.m.stderr.lines().count();
            if lines > 1_500 {
                last.problems.push(format!("{lines} lines on stderr"));
            }
            if !last.m.stderr.contains("and 998970 more rows of this table") {
                last.problems
                    .push("no summary of the unlisted unknown staff ids".to_owned());
            }
        }
    }
}

/// Every file of `../shared/corpus` (real-world and crafted workbooks)
/// dropped into an otherwise valid folder.
fn corpus(rows: &mut Vec<Row>) {
    let dir = repo().join("../shared/corpus");
    if !dir.is_dir() {
        println!("notice: {} is absent; corpus cases skipped", dir.display());
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"].contains(&ext)
        })
        .collect();
    files.sort();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let case = format!("corpus: {file}");
        if !selected(&case) {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        run_case(
            rows,
            &case,
            &folder_with(&[(&file, &bytes)]),
            &file,
            Expect::Any,
        );
    }
}

/// Mutated workbooks through the real binary (the in-process suite in
/// tests/integration/robustness.rs runs thousands more): each sample and
/// format fixture truncated, bit-flipped or chunk-swapped, seeded.
const MUTATIONS: usize = 200;

fn mutations(rows: &mut Vec<Row>) {
    let mut seeds: Vec<PathBuf> = Vec::new();
    for dir in ["samples/en", "samples/zh", "tests/data/formats"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ["xlsx", "xls", "ods", "csv"].contains(&ext) {
                seeds.push(path);
            }
        }
    }
    seeds.sort();
    let mut rng = fastrand::Rng::with_seed(0x0068_6f73_7469_6c65);
    let dir = scratch();
    let keep = repo().join("target");
    for i in 0..MUTATIONS {
        let seed = &seeds[i % seeds.len()];
        let ext = seed.extension().unwrap().to_str().unwrap();
        let (how, bytes) = mutate(&mut rng, &std::fs::read(seed).unwrap());
        let case = format!(
            "mutation {i}: {} {how}",
            seed.file_name().unwrap().to_string_lossy()
        );
        if !selected("mutation") {
            return;
        }
        // Replaces its original in the folder where there is one, so the
        // run reads the damaged roster or sales file in its place.
        let folder = folder_with(&[]);
        let name = match seed.parent().unwrap().ends_with("samples/en") {
            true => seed.file_name().unwrap().to_string_lossy().into_owned(),
            false => format!("mutated-2026-10.{ext}"),
        };
        std::fs::write(folder.input.join(&name), &bytes).unwrap();
        let m = measure(&folder.input, &["run", ".", "--out", "../out"]);
        let mut problems = common_problems(&m);
        if m.code == Some(1) && !m.stderr.contains(&name) {
            problems.push(format!("exit 1 but stderr does not name {name}"));
        }
        if !problems.is_empty() {
            let kept = keep.join(format!("hostile-mutation-{i}.{ext}"));
            std::fs::write(&kept, &bytes).unwrap();
            problems.push(format!("kept as {}", kept.display()));
        }
        rows.push(Row {
            case,
            command: "run",
            m,
            problems,
        });
    }
    drop(dir);
}

#[test]
fn hostile_workbooks_end_in_a_result_or_a_clear_error() {
    let started = Instant::now();
    let mut rows = Vec::new();
    zip_bombs(&mut rows);
    entity_bombs(&mut rows);
    huge_extents(&mut rows);
    long_strings(&mut rows);
    hostile_csv(&mut rows);
    a_million_rows(&mut rows);
    corpus(&mut rows);
    mutations(&mut rows);
    print_table(&rows);
    println!("hostile suite: {:.1}s", started.elapsed().as_secs_f64());
    let failed = failures(&rows);
    assert!(
        failed.is_empty(),
        "{} failures:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// The hand-built deflate streams and zip headers are what they claim:
/// the zip crate inflates them to the stated bytes, CRC checked.
#[test]
fn hand_built_bombs_inflate_to_what_they_say() {
    use std::io::Read;
    for (pattern, count) in [
        (&b"A"[..], 1u64),
        (b"A", 1000),
        (b"xyz", 87),
        (b"<row/>", 5000),
        (b"0123456789", 259),
        (b"ab", 130),
        (b"ab", 1290),
        (b"abc", 173),
    ] {
        let (data, size, crc) = bomb_part(b"head", pattern, count, b"tail");
        let entry = Entry {
            name: "p".to_owned(),
            method: 8,
            data,
            size,
            crc,
            sizes: Sizes::Honest,
        };
        let bytes = zip_bytes(&[entry, stored("q", "plain")]);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = Vec::new();
        zip.by_name("p").unwrap().read_to_end(&mut text).unwrap();
        let mut expected = b"head".to_vec();
        for _ in 0..count {
            expected.extend_from_slice(pattern);
        }
        expected.extend_from_slice(b"tail");
        assert_eq!(text, expected);
        let mut plain = String::new();
        zip.by_name("q")
            .unwrap()
            .read_to_string(&mut plain)
            .unwrap();
        assert_eq!(plain, "plain");
    }
    // A large run: CRC by combining, checked by the zip crate's reader.
    let (data, size, crc) = tiny_cells_sheet(20 * MIB);
    let entry = Entry {
        name: "s".to_owned(),
        method: 8,
        data,
        size,
        crc,
        sizes: Sizes::Honest,
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes(&[entry]))).unwrap();
    let n = std::io::copy(&mut zip.by_name("s").unwrap(), &mut std::io::sink()).unwrap();
    assert_eq!(n, size);
}

/// Regression: a roster name of 32,768 characters (only a CSV or a crafted
/// file can hold one) failed the whole run with "cannot build
/// 2026-10/summary.xlsx: String exceeds Excel's limit of 32,767
/// characters". It is now a data issue naming the cell, and the reports
/// are written.
#[test]
fn regression_a_name_over_32767_characters_failed_the_whole_run() {
    let folder = folder_with(&[]);
    std::fs::remove_file(folder.input.join("staff.xlsx")).unwrap();
    let mut roster = sample_roster();
    let n = roster[0].iter().position(|h| h == "Name").unwrap();
    roster[1][n] = "N".repeat(32_768);
    let mut w = csv::Writer::from_path(folder.input.join("staff.csv")).unwrap();
    for r in &roster {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    let m = measure(&folder.input, &["run", ".", "--out", "../out"]);
    assert_eq!(m.code, Some(3), "{}", m.stderr);
    assert!(
        m.stderr.contains("staff.csv › staff › B2: 'Name' is 32768 characters long, over the 32767 a spreadsheet cell holds; shorten it [out-of-range]"),
        "{}",
        m.stderr
    );
    assert!(folder.input.join("../out/2026-10/summary.xlsx").exists());
}

/// Regression: a results table of a million people not in the roster made
/// a million records (a slot per plan column each) and a million issues:
/// 3.8 GB and an abort. Records now hold only their table's columns and
/// unknown staff ids are listed up to 1,000 per table, the rest counted.
/// 300,000 rows here: it used to take over 1 GB.
#[test]
fn regression_a_table_of_strangers_exhausted_memory() {
    let mut csv = b"Staff ID,Sales,New Customers\n".to_vec();
    million_rows(300_000, |id, i| {
        writeln!(csv, "{id},{},{}", 1000 + i % 5000, i % 7).unwrap();
    });
    let folder = folder_with(&[("results-2026-12.csv", &csv)]);
    let m = measure(&folder.input, &["run", ".", "--out", "../out"]);
    assert_eq!(m.code, Some(3), "{}", first_lines(&m.stderr, 5));
    assert!(
        m.stderr.contains("results-2026-12.csv › results-2026-12 › A1032: and 298970 more rows of this table, A1032 to A300001, have staff ids that are not in the roster; they are left out"),
        "{}",
        first_lines(&m.stderr, 5)
    );
    assert!(m.stderr.lines().count() < 1_100);
    assert!(m.peak_mib < 250.0, "peak {:.0} MiB", m.peak_mib);
}

/// Regression: a table with a problem on every row (here 20,000 rows whose
/// Sales is not a number) kept every issue: a million such rows would have
/// cost gigabytes. Past 10,000 problems the table is left out whole, with
/// the first 1,000 listed.
#[test]
fn regression_a_table_of_countless_bad_values_is_left_out_whole() {
    let mut csv = b"Staff ID,Sales,New Customers\n".to_vec();
    for i in 1..=20_000 {
        writeln!(csv, "S{:03},lots,{}", i % 30 + 1, i % 7).unwrap();
    }
    let folder = folder_with(&[("results-2026-12.csv", &csv)]);
    let m = measure(&folder.input, &["run", ".", "--out", "../out"]);
    assert_eq!(m.code, Some(3), "{}", first_lines(&m.stderr, 5));
    assert!(
        m.stderr.contains("results-2026-12.csv › results-2026-12 › A10003: more than 10000 problems by row 10003; the table is left out (the first 1000 are listed): correct them and run again [too-large]"),
        "{}",
        first_lines(&m.stderr, 5)
    );
    assert!(m.stderr.lines().count() < 1_200);
}

/// Regression: a name of exactly 32,767 characters (as much as an Excel
/// cell holds, so legal) failed the whole run with "cannot build
/// 2026-10/managers/….xlsx: String exceeds Excel's limit of 32,767
/// characters": the review workbooks write it after "S001 " and inside
/// sentences. Every text written to a workbook is now fitted to a cell.
#[test]
fn regression_a_32767_character_name_failed_the_review_workbooks() {
    let folder = folder_with(&[]);
    let mut roster = sample_roster();
    let n = roster[0].iter().position(|h| h == "Name").unwrap();
    let d = roster[0].iter().position(|h| h == "Department").unwrap();
    roster[1][n] = "N".repeat(32_767);
    roster[1][d] = "D".repeat(32_767);
    std::fs::write(
        folder.input.join("staff.xlsx"),
        table_xlsx("Staff", &roster),
    )
    .unwrap();
    let m = measure(&folder.input, &["run", ".", "--out", "../out"]);
    assert_eq!(m.code, Some(0), "{}", m.stderr);
    let ranking = util::sheet_text(&folder.input.join("../out/2026-10/summary.xlsx"), "Ranking");
    assert!(ranking.iter().flatten().any(|c| *c == "N".repeat(32_767)));
}
