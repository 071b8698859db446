//! The pipeline benchmark: whole runs of `kpi-report run` at several company
//! sizes, their phases (from `--timings`), and the floor for the same work:
//! reading the same input files with calamine alone and writing the same
//! number of files, sheets and cells with rust_xlsxwriter alone.
//!
//! ```sh
//! cargo bench --bench pipeline                       # 1k, 10k, 100k, 10k x 12 months
//! cargo bench --bench pipeline -- --sizes 1000 --runs 1
//! ```
//! Sizes are `PEOPLE` or `PEOPLExMONTHS`. Inputs are generated once with
//! `kpi-report sample` into `target/bench-data/` and reused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use calamine::{Data, Reader, open_workbook_auto};
use rayon::prelude::*;
use rust_xlsxwriter::Workbook;

struct Args {
    sizes: Vec<(usize, u32)>,
    runs: usize,
}

fn args() -> Args {
    let mut sizes = vec![(1_000, 1), (10_000, 1), (100_000, 1), (10_000, 12)];
    let mut runs = 3;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" => {
                sizes = it
                    .next()
                    .expect("--sizes LIST")
                    .split(',')
                    .map(|s| match s.split_once('x') {
                        Some((p, m)) => (p.parse().unwrap(), m.parse().unwrap()),
                        None => (s.parse().unwrap(), 1),
                    })
                    .collect();
            }
            "--runs" => runs = it.next().expect("--runs N").parse().unwrap(),
            _ => {} // cargo bench passes --bench
        }
    }
    Args { sizes, runs }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_kpi-report")
}

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data")
}

/// Inputs for a size, generated once (delete `target/bench-data` after
/// changing the sample generator).
fn inputs(people: usize, months: u32) -> PathBuf {
    let dir = data_dir().join(format!("{people}x{months}"));
    if !dir.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let status = Command::new(bin())
            .args(["sample", "--out"])
            .arg(&dir)
            .args([
                "--staff",
                &people.to_string(),
                "--months",
                &months.to_string(),
                "--seed",
                "1",
            ])
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::write(dir.join(".complete"), b"").unwrap();
    }
    dir
}

struct RunResult {
    wall: Duration,
    phases: Vec<(String, f64)>,
    peak_mib: f64,
}

fn whole_run(input: &Path, out: &Path) -> RunResult {
    timed_run(input, out, true)
}

/// One `kpi-report run`; `force` rebuilds every period (a full run),
/// without it unchanged periods are reused (an incremental run).
fn timed_run(input: &Path, out: &Path, force: bool) -> RunResult {
    let t = Instant::now();
    let mut cmd = Command::new(bin());
    cmd.arg("run")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--timings", "--quiet"]);
    if force {
        cmd.arg("--force");
    }
    let output = cmd.output().unwrap();
    let wall = t.elapsed();
    assert!(
        output.status.code() == Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut phases = Vec::new();
    let mut peak_mib = 0.0;
    for line in stderr.lines().skip(1) {
        if let Some(rest) = line.strip_prefix("peak memory") {
            peak_mib = rest
                .trim()
                .trim_end_matches("MiB")
                .trim()
                .parse()
                .unwrap_or(0.0);
        } else if let Some((name, secs)) = line.rsplit_once(' ')
            && let Ok(s) = secs.trim().parse::<f64>()
        {
            phases.push((name.trim().to_owned(), s));
        }
    }
    RunResult {
        wall,
        phases,
        peak_mib,
    }
}

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p, ext));
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The read floor: every sheet of every input file, with calamine alone, in
/// parallel across files as the pipeline does.
fn read_floor(input: &Path) -> Duration {
    let files = files_under(input, "xlsx");
    let t = Instant::now();
    let cells: usize = files
        .par_iter()
        .map(|f| {
            let mut wb = open_workbook_auto(f).unwrap();
            wb.sheet_names()
                .iter()
                .map(|s| wb.worksheet_range(s).unwrap().used_cells().count())
                .sum::<usize>()
        })
        .sum();
    assert!(cells > 0);
    t.elapsed()
}

/// Shape of the workbooks a run wrote: per file, per sheet, (numbers, strings).
fn output_shape(out: &Path) -> Vec<Vec<(usize, usize)>> {
    files_under(out, "xlsx")
        .par_iter()
        .map(|f| {
            let mut wb = open_workbook_auto(f).unwrap();
            wb.sheet_names()
                .iter()
                .map(|s| {
                    let range = wb.worksheet_range(s).unwrap();
                    let numbers = range
                        .used_cells()
                        .filter(|(_, _, c)| matches!(c, Data::Float(_) | Data::Int(_)))
                        .count();
                    (numbers, range.used_cells().count() - numbers)
                })
                .collect()
        })
        .collect()
}

/// The write floor: the same files, sheets and cells with rust_xlsxwriter
/// alone (save to a buffer, one write per file), in parallel. `formatted`:
/// every cell carries one of the reports' own formats (as nearly every cell
/// of the reports does), which measures what the library's per-cell format
/// lookup costs for the same work.
fn write_floor(
    shape: &[Vec<(usize, usize)>],
    csv_bytes: u64,
    dir: &Path,
    formatted: bool,
) -> Duration {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let t = Instant::now();
    let st = kpi_report::report::styles::Styles::new(5);
    let formats = [
        &st.text, &st.number, &st.score, &st.header, &st.label, &st.money,
    ];
    shape.par_iter().enumerate().for_each(|(i, sheets)| {
        let mut wb = Workbook::new();
        // The same deflate level the reports use, so the floor is fair.
        wb.set_zip_compression_level(kpi_report::report::styles::ZIP_LEVEL);
        for &(numbers, strings) in sheets {
            let ws = wb.add_worksheet();
            let cols = 16u16;
            for k in 0..numbers {
                let (row, col) = ((k / cols as usize) as u32, (k % cols as usize) as u16);
                if formatted {
                    ws.write_number_with_format(row, col, k as f64 * 1.5, formats[k % 6])
                        .unwrap();
                } else {
                    ws.write_number(row, col, k as f64 * 1.5).unwrap();
                }
            }
            let base = numbers.div_ceil(cols as usize) as u32;
            for k in 0..strings {
                let (row, col) = (
                    base + (k / cols as usize) as u32,
                    (k % cols as usize) as u16,
                );
                if formatted {
                    ws.write_string_with_format(row, col, "Sales Representative", formats[k % 6])
                        .unwrap();
                } else {
                    ws.write_string(row, col, "Sales Representative").unwrap();
                }
            }
        }
        let bytes = wb.save_to_buffer().unwrap();
        std::fs::write(dir.join(format!("{i}.xlsx")), bytes).unwrap();
    });
    std::fs::write(dir.join("all.csv"), vec![b'x'; csv_bytes as usize]).unwrap();
    t.elapsed()
}

/// HR adds the last month to a folder that already holds the others: the
/// run after the file arrives, against a full rebuild.
fn incremental_run(
    input: &Path,
    people: usize,
    months: u32,
    full: Duration,
    runs: usize,
) -> String {
    let mut files: Vec<PathBuf> = files_under(input, "xlsx");
    files.retain(|f| f.file_name().is_some_and(|n| n != "staff.xlsx"));
    let last = files.pop().unwrap();
    let partial = data_dir().join(format!("partial-{people}x{months}"));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).unwrap();
    for f in files_under(input, "xlsx").iter().filter(|f| **f != last) {
        std::fs::copy(f, partial.join(f.file_name().unwrap())).unwrap();
    }
    let out = data_dir().join(format!("incremental-{people}x{months}"));
    let mut times = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_file(partial.join(last.file_name().unwrap()));
        timed_run(&partial, &out, true);
        std::fs::copy(&last, partial.join(last.file_name().unwrap())).unwrap();
        times.push(timed_run(&partial, &out, false).wall);
    }
    let t = median(times);
    format!(
        "\nAdding month {months} to {} earlier months ({people} people): {:.2} s, {:.0} % of a full rebuild ({:.2} s).",
        months - 1,
        t.as_secs_f64(),
        100.0 * t.as_secs_f64() / full.as_secs_f64(),
        full.as_secs_f64()
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args = args();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "kpi-report pipeline benchmark: {cpus} cores, median of {} runs\n",
        args.runs
    );
    let mut rows = Vec::new();
    let mut incremental = Vec::new();
    for &(people, months) in &args.sizes {
        let input = inputs(people, months);
        let out = data_dir().join(format!("out-{people}x{months}"));
        let mut runs: Vec<RunResult> = (0..args.runs).map(|_| whole_run(&input, &out)).collect();
        runs.sort_by_key(|r| r.wall);
        let mid = runs.swap_remove(runs.len() / 2);
        let shape = output_shape(&out);
        let files: usize = shape.len();
        let cells: usize = shape.iter().flatten().map(|(n, s)| n + s).sum();
        let csv_bytes: u64 = files_under(&out, "csv")
            .iter()
            .map(|f| f.metadata().unwrap().len())
            .sum();
        let read = median((0..args.runs).map(|_| read_floor(&input)).collect());
        let floor_dir = data_dir().join("floor");
        let write = median(
            (0..args.runs)
                .map(|_| write_floor(&shape, csv_bytes, &floor_dir, false))
                .collect(),
        );
        let styled = median(
            (0..args.runs)
                .map(|_| write_floor(&shape, csv_bytes, &floor_dir, true))
                .collect(),
        );
        let floor = read + write;
        let styled_floor = read + styled;
        let phase = |names: &[&str]| {
            let secs: f64 = mid
                .phases
                .iter()
                .filter(|(n, _)| names.contains(&n.as_str()))
                .map(|(_, s)| s)
                .sum();
            format!("{secs:.2}")
        };
        rows.push(format!(
            "| {people} × {months} | {:.2} | {} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2}× | {:.2} | {:.2}× | {:.0} | {files} xlsx, {cells} cells |",
            mid.wall.as_secs_f64(),
            phase(&["discover", "read", "validate"]),
            phase(&["score"]),
            phase(&["write summary"]),
            phase(&["write reviews", "stage + commit"]),
            read.as_secs_f64(),
            write.as_secs_f64(),
            floor.as_secs_f64(),
            mid.wall.as_secs_f64() / floor.as_secs_f64(),
            styled_floor.as_secs_f64(),
            mid.wall.as_secs_f64() / styled_floor.as_secs_f64(),
            mid.peak_mib,
        ));
        if months > 1 {
            incremental.push(incremental_run(&input, people, months, mid.wall, args.runs));
        }
        eprintln!("done {people} × {months}");
    }
    println!(
        "| people × months | whole run s | read + validate s | score s | write summary s | write reviews + commit s | floor read s | floor write s | floor s | run ÷ floor | formatted floor s | run ÷ formatted floor | peak MiB | output |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    for line in incremental {
        println!("{line}");
    }
}
