//! Helpers: run the binary, check its outcome, read files back.

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, open_workbook_auto};

// The test binaries that include this file use only some of it.
#[allow(unused_imports)]
pub use crate::common::{repo, tree};

/// What a run of the binary did.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Asserts the exit code, printing both streams when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code {} (expected {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// Runs `kpi-report` with `args` in `cwd`.
pub fn kpi(cwd: &Path, args: &[&str]) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_kpi-report"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh scratch folder, removed when dropped.
pub fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("kpi-report-test-")
        .tempdir()
        .expect("temp dir")
}

/// Every cell of a sheet as text, as calamine reads it (numbers with their
/// shortest round-trip digits).
pub fn sheet_text(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let range = wb
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{} › {sheet}: {e}", path.display()));
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Parses a CSV file into rows of fields.
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rdr.records()
        .map(|r| r.expect("csv record").iter().map(str::to_owned).collect())
        .collect()
}

/// Copies a folder's files (not subfolders).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
        }
    }
}

/// Writes a text file.
pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

/// True when printing lays out Calibri (the workbooks' font) at its own
/// metrics: Calibri itself or its metric-compatible twin Carlito. Without
/// them LibreOffice substitutes a wider font, and page counts differ.
pub fn calibri_metrics() -> bool {
    let found = Command::new("fc-match")
        .arg("Calibri")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let ok = found.contains("Carlito") || found.contains("Calibri");
    if !ok {
        eprintln!(
            "NOTICE: no Calibri or Carlito font (fonts-crosextra-carlito); page counts not checked"
        );
    }
    ok
}
