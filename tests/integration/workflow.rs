//! HR's routine: `init` makes a workspace `run` accepts; `watch` rebuilds
//! when workbooks arrive, only once they are complete, ignores lock files,
//! survives a corrupt file and stops cleanly on SIGINT; completions and the
//! man page generate.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::util::{kpi, repo, scratch};

#[test]
fn init_makes_a_workspace_that_run_accepts() {
    let dir = scratch();
    kpi(dir.path(), &["init", "ws", "--lang", "zh"]).expect_code(0);
    for f in ["ws/inbox", "ws/reports", "ws/plan.toml", "ws/README.md"] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
    crate::util::copy_dir(&repo().join("samples/zh"), &dir.path().join("ws/inbox"));
    kpi(
        dir.path(),
        &[
            "run",
            "ws/inbox",
            "--out",
            "ws/reports",
            "--plan",
            "ws/plan.toml",
            "--lang",
            "zh",
        ],
    )
    .expect_code(0);
    let want =
        std::fs::read_to_string(repo().join("tests/expected/zh/2026-10/results.csv")).unwrap();
    let got = std::fs::read_to_string(dir.path().join("ws/reports/2026-10/results.csv")).unwrap();
    assert_eq!(got, want);
    // A second init must not overwrite the plan HR may have edited.
    let again = kpi(dir.path(), &["init", "ws"]);
    again.expect_code(1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let unknown = kpi(dir.path(), &["init", "other", "--template", "nope"]);
    unknown.expect_code(1);
    assert!(
        unknown.stderr.contains("unknown template 'nope'"),
        "{}",
        unknown.stderr
    );
}

/// Reads the watcher's log lines as they come.
struct Log {
    rx: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Log {
    /// Waits for a line containing `needle`.
    fn wait_for(&mut self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {needle:?} within {within:?}; log so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Lines that arrive within `wait`.
    fn quiet_for(&mut self, wait: Duration) -> Vec<String> {
        let deadline = Instant::now() + wait;
        let mut lines = Vec::new();
        while let Ok(line) = self
            .rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.push(line.clone());
            lines.push(line);
        }
        lines
    }
}

/// Copies a file in small chunks with pauses, like a slow network share.
fn copy_slowly(from: &Path, to: &Path) {
    let bytes = std::fs::read(from).unwrap();
    let mut f = std::fs::File::create(to).unwrap();
    for chunk in bytes.chunks(bytes.len() / 6 + 1) {
        f.write_all(chunk).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn watch_builds_complete_drops_ignores_locks_survives_bad_files_and_stops_on_sigint() {
    let dir = scratch();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let samples = repo().join("samples/en");
    std::fs::copy(samples.join("staff.xlsx"), inbox.join("staff.xlsx")).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_kpi-report"))
        .args(["watch", "inbox", "--out", "reports", "--settle-ms", "800"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut log = Log {
        rx,
        seen: Vec::new(),
    };
    log.wait_for("watching", Duration::from_secs(10));
    // The roster alone is no month to score: the first build reports that.
    log.wait_for("+staff.xlsx -> error", Duration::from_secs(10));

    // A month copied in slowly is built once, when complete.
    copy_slowly(
        &samples.join("sales-2026-10.xlsx"),
        &inbox.join("sales-2026-10.xlsx"),
    );
    let line = log.wait_for("sales-2026-10.xlsx ->", Duration::from_secs(15));
    assert!(
        line.contains("1 periods (2026-10), 30 people, 0 data issues"),
        "{line}"
    );
    let want =
        std::fs::read_to_string(repo().join("tests/expected/en/2026-10/results.csv")).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("reports/2026-10/results.csv")).unwrap(),
        want
    );

    // Lock files left by an open spreadsheet program start no build.
    std::fs::write(inbox.join("~$sales-2026-10.xlsx"), b"lock").unwrap();
    std::fs::write(inbox.join(".~lock.sales-2026-10.xlsx#"), b"lock").unwrap();
    let lines = log.quiet_for(Duration::from_secs(2));
    assert!(lines.is_empty(), "lock files triggered a build: {lines:?}");

    // A corrupt workbook is reported and the watch goes on.
    std::fs::write(inbox.join("broken.xlsx"), b"not a workbook").unwrap();
    let line = log.wait_for("+broken.xlsx -> error", Duration::from_secs(15));
    assert!(line.contains("broken.xlsx: cannot be read"), "{line}");
    std::fs::remove_file(inbox.join("broken.xlsx")).unwrap();
    let line = log.wait_for("-broken.xlsx ->", Duration::from_secs(15));
    assert!(line.contains("0 data issues"), "{line}");

    // SIGINT stops it cleanly.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    log.wait_for("stopped", Duration::from_secs(10));
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        assert!(Instant::now() < deadline, "watch did not exit after SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("previous"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn completions_and_man_page_generate() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = kpi(&repo(), &["completions", shell]);
        out.expect_code(0);
        assert!(out.stdout.contains("kpi-report"), "{shell}");
        assert!(
            out.stdout.contains("watch"),
            "{shell}: every subcommand is completed"
        );
    }
    let man = kpi(&repo(), &["man"]);
    man.expect_code(0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH kpi-report"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    let version = kpi(&repo(), &["--version"]);
    version.expect_code(0);
    assert!(
        version.stdout.contains("(plan format 1)"),
        "{}",
        version.stdout
    );
}

#[test]
fn watch_keeps_the_reports_of_a_deleted_month_and_reloads_an_edited_plan() {
    let dir = scratch();
    let d = dir.path();
    let inbox = d.join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let samples = repo().join("samples/en");
    for f in ["staff.xlsx", "sales-2026-10.xlsx", "sales-2026-11.xlsx"] {
        std::fs::copy(samples.join(f), inbox.join(f)).unwrap();
    }
    let plan_text = std::fs::read_to_string(repo().join("templates/standard.toml")).unwrap();
    std::fs::write(d.join("plan.toml"), &plan_text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kpi-report"))
        .args([
            "watch",
            "inbox",
            "--out",
            "reports",
            "--plan",
            "plan.toml",
            "--settle-ms",
            "600",
        ])
        .current_dir(d)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut log = Log {
        rx,
        seen: Vec::new(),
    };
    let line = log.wait_for("+staff.xlsx", Duration::from_secs(30));
    assert!(
        line.contains("3 periods (2026-10, 2026-11, 2026-YTD)"),
        "{line}"
    );
    let november = std::fs::read(d.join("reports/2026-11/results.csv")).unwrap();
    let ytd = std::fs::read(d.join("reports/ytd-2026/results.csv")).unwrap();

    // The November workbook is deleted: its reports and the year to date
    // stay, and the log says so.
    std::fs::remove_file(inbox.join("sales-2026-11.xlsx")).unwrap();
    let line = log.wait_for("-sales-2026-11.xlsx ->", Duration::from_secs(30));
    assert!(
        line.contains("kept the reports of 2026-11, ytd-2026 (their inputs are gone"),
        "{line}"
    );
    assert_eq!(
        std::fs::read(d.join("reports/2026-11/results.csv")).unwrap(),
        november
    );
    assert_eq!(
        std::fs::read(d.join("reports/ytd-2026/results.csv")).unwrap(),
        ytd
    );

    // An edited plan is read again before the next build.
    std::fs::write(
        d.join("plan.toml"),
        plan_text.replace("Standard sales plan", "Edited sales plan"),
    )
    .unwrap();
    let line = log.wait_for("plan.toml reloaded", Duration::from_secs(30));
    assert!(!line.contains("unchanged"), "{line}");
    let overview = crate::util::sheet_text(&d.join("reports/2026-10/summary.xlsx"), "Overview");
    assert!(
        overview
            .iter()
            .flatten()
            .any(|c| c.contains("Edited sales plan")),
        "{overview:?}"
    );
    let before = crate::util::tree(&d.join("reports"));

    // An invalid plan stops the watch with the reason; the reports stay.
    std::fs::write(d.join("plan.toml"), "format = 1\nname = [").unwrap();
    let line = log.wait_for("cannot be used", Duration::from_secs(30));
    assert!(line.contains("plan.toml"), "{line}");
    assert!(line.contains("watch stopped"), "{line}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        assert!(
            Instant::now() < deadline,
            "watch did not stop on an invalid plan"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(1));
    assert_eq!(crate::util::tree(&d.join("reports")), before);
}
