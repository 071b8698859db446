//! The engine as a second front end would call it: inputs as bytes, no
//! command line involved.

use kpi_report::config::RunConfig;
use kpi_report::engine::{evaluate_bytes, execute, render};
use kpi_report::input::Limits;
use kpi_report::plan::Plan;
use kpi_report::progress::Progress;
use kpi_report::report::Split;
use kpi_report::timings::Timings;

use crate::common::files_under;
use crate::util::{repo, scratch};

fn config(out: &std::path::Path) -> RunConfig {
    RunConfig {
        input: repo().join("samples/en"),
        out: out.to_path_buf(),
        plan: Plan::standard().unwrap(),
        lang: kpi_report::Lang::En,
        split: Split::default(),
        strict: false,
        wait: false,
        force: false,
        limits: Limits::default(),
        pdf: None,
        jobs: Some(2),
        keep_vanished: false,
        reopen: None,
    }
}

/// Leftover staging folders of this process.
fn staged() -> Vec<String> {
    let prefix = format!("kpi-report-input-{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect()
}

/// One test, so no other call of this process stages at the same time
/// while the staging folders are counted.
#[test]
fn inputs_as_bytes_score_as_the_folder_does_and_leave_nothing() {
    let dir = scratch();
    let config = config(&dir.path().join("reports"));
    let folder = repo().join("samples/en");
    let files: Vec<(String, Vec<u8>)> = files_under(&folder)
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(folder.join(&rel)).unwrap();
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .collect();
    let from_bytes =
        evaluate_bytes(&files, &config, Progress::hidden(), &mut Timings::new()).unwrap();
    let from_folder = kpi_report::evaluate(&folder, &config.plan).unwrap();
    assert_eq!(
        format!("{:?}", from_bytes.periods),
        format!("{:?}", from_folder.periods)
    );
    let render = |e: &kpi_report::Evaluation| -> Vec<String> {
        e.input
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(render(&from_bytes), render(&from_folder));
    // A name that is not a plain file name is refused.
    for name in ["../staff.xlsx", "sub/staff.xlsx", ".hidden.xlsx", ""] {
        let files = vec![(name.to_owned(), b"x".to_vec())];
        let e =
            evaluate_bytes(&files, &config, Progress::hidden(), &mut Timings::new()).unwrap_err();
        assert!(
            e.to_string().contains("not a plain file name"),
            "{name}: {e}"
        );
    }
    assert!(staged().is_empty(), "{:?}", staged());
}

#[test]
fn reports_rendered_in_memory_are_the_files_written() {
    let dir = scratch();
    let out = dir.path().join("reports");
    let config = config(&out);
    execute(&config, |_| {}).unwrap();
    let eval = kpi_report::evaluate(&config.input, &config.plan).unwrap();
    let mut rendered = 0;
    for ix in 0..eval.periods.len() {
        for (rel, bytes) in render(&config, &eval, ix).unwrap() {
            let written = std::fs::read(out.join(&rel)).unwrap();
            assert!(written == bytes, "{} differs", rel.display());
            rendered += 1;
        }
    }
    // Everything but the manifest and the marker file.
    let on_disk = files_under(&out).len();
    assert_eq!(rendered + 2, on_disk, "{:?}", files_under(&out));
}
