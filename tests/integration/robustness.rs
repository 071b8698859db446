//! Never a panic, never a hang: the input stage (file reader and table
//! reader) is fed truncated, bit-flipped and chunk-shuffled versions of the
//! sample workbooks and fixtures, seeded so a failure can be replayed, and
//! every file of `../shared/corpus` as it is. Each case must end in records
//! or a clear error within a time bound, with no panic escaping the
//! library. A panic inside calamine is caught by the library and reported
//! as `ReaderFailed` (a clear error naming the file); the test counts
//! those by source line and prints them, so reader bugs stay visible.
//! A case that does not finish in time ends the whole test process at once
//! (a runaway reader thread cannot be stopped and may be eating memory).
#![allow(clippy::unwrap_used)] // test code

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kpi_report::input::{self, InputError, Limits};
use kpi_report::plan::Plan;

use crate::common::mutate;
use crate::util::{repo, scratch};

/// Mutated cases per seed file; 8 seed files in the repository (more with
/// the corpus), so several thousand cases in all.
const CASES_PER_FILE: usize = 400;
/// A case taking longer than this is a hang.
const CASE_TIME: Duration = Duration::from_secs(30);
const SEED: u64 = 0x6b70_692d_7265_706f;

/// How a case ended: `Ok(None)` read or refused with a clear error,
/// `Ok(Some(site))` a reader panic caught by the library, `Err` a failure.
fn outcome(result: &Result<input::FileTables, InputError>) -> Result<Option<String>, String> {
    match result {
        Err(InputError::ReaderFailed { detail, .. }) => {
            let site = detail.split(": ").next().unwrap_or_default().to_owned();
            Ok(Some(site))
        }
        Err(e) if !e.to_string().contains(": ") => Err(format!("an unclear error: {e}")),
        _ => Ok(None),
    }
}

/// Reads one file in a worker thread, bounded in time.
fn read_bounded(path: &Path, name: &str, plan: &Arc<Plan>) -> Result<Option<String>, String> {
    let (tx, rx) = mpsc::channel();
    let shown = path.to_path_buf();
    let path = path.to_path_buf();
    let name: Arc<str> = Arc::from(name);
    let plan = Arc::clone(plan);
    std::thread::spawn(move || {
        let result = input::read_one(&path, &name, &plan, &Limits::default());
        let _ = tx.send(outcome(&result));
    });
    match rx.recv_timeout(CASE_TIME) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let keep = repo().join("target").join("robustness-hang");
            let _ = std::fs::copy(&shown, &keep);
            eprintln!(
                "robustness: {} did not finish within {CASE_TIME:?} (kept as {}); stopping",
                shown.display(),
                keep.display()
            );
            std::process::exit(101);
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("a panic escaped the library (the reader thread died)".to_owned())
        }
    }
}

fn seed_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["samples/en", "samples/zh", "tests/data/formats"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ["xlsx", "xls", "ods", "csv"].contains(&ext) {
                files.push(path);
            }
        }
    }
    let corpus = repo().join("../shared/corpus");
    if corpus.is_dir() {
        // Small corpus files in formats the repository has no sample of.
        for name in [
            "calamine__issues.xlsb",
            "calamine__biff5-rich-text-string.xls",
        ] {
            files.push(corpus.join(name));
        }
    }
    files.sort();
    files
}

#[test]
fn mutated_workbooks_end_in_a_result_or_a_clear_error() {
    let started = Instant::now();
    let plan = Arc::new(Plan::standard().unwrap());
    let dir = scratch();
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut failures = Vec::new();
    let mut caught: BTreeMap<String, usize> = BTreeMap::new();
    let mut cases = 0;
    for seed_file in seed_files() {
        let bytes = std::fs::read(&seed_file).unwrap();
        let ext = seed_file.extension().unwrap().to_str().unwrap().to_owned();
        let original = seed_file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for case in 0..CASES_PER_FILE {
            let (how, mutated) = mutate(&mut rng, &bytes);
            let name = format!("case-{case}-2026-10.{ext}");
            let path = dir.path().join(&name);
            std::fs::write(&path, &mutated).unwrap();
            cases += 1;
            let result = read_bounded(&path, &name, &plan);
            if let Ok(Some(site)) = &result {
                *caught.entry(format!("{original}: {site}")).or_default() += 1;
            }
            if let Err(why) = result {
                // Keep the input for replay.
                let keep = repo()
                    .join("target")
                    .join(format!("robustness-{original}-{case}"));
                let _ = std::fs::copy(&path, &keep);
                failures.push(format!(
                    "{original} case {case} ({how}): {why}; kept as {}",
                    keep.display()
                ));
            }
        }
    }
    eprintln!(
        "robustness: {cases} mutated cases in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    for (site, n) in &caught {
        eprintln!("robustness: {n} reader panic(s) caught, reported as unreadable: {site}");
    }
    assert!(cases >= 3000, "{cases} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_corpus_file_ends_in_a_result_or_a_clear_error() {
    let corpus = repo().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "notice: {} is absent; corpus robustness skipped",
            corpus.display()
        );
        return;
    }
    let plan = Arc::new(Plan::standard().unwrap());
    let mut failures = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"].contains(&ext) {
            continue;
        }
        seen += 1;
        match read_bounded(&path, &name, &plan) {
            Err(why) => failures.push(format!("{name}: {why}")),
            Ok(Some(site)) => failures.push(format!("{name}: reader panic at {site}")),
            Ok(None) => {}
        }
    }
    assert!(seen >= 25, "only {seen} corpus workbooks");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
