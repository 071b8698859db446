//! Faults: a run killed at any moment, a full disk, a read-only folder and
//! two runs at once never leave wrong or half-written reports.
//!
//! Its own test binary: the kill test runs the real binary 100 times on
//! ~800 people: two months of about a hundred managers' workbooks each, so
//! a kill lands while the staging folder fills as well as while it is
//! swapped in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[allow(dead_code)]
#[path = "integration/util.rs"]
mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{available, copy_tree, repo, tree};
use util::{kpi, scratch};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kpi-report"));
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// Killed (SIGKILL) at 50 seeded moments spread over a run, the output
/// folder holds the complete old set or the complete new set, never a mix
/// or a half-written file; the next run succeeds and clears the leftovers.
#[test]
fn a_run_killed_at_any_moment_leaves_the_old_or_the_new_reports() {
    let dir = scratch();
    let d = dir.path();
    for (name, seed) in [("a", "1"), ("b", "2")] {
        kpi(
            d,
            &[
                "sample", "--out", name, "--staff", "800", "--months", "2", "--seed", seed,
            ],
        )
        .expect_code(0);
    }
    kpi(d, &["run", "a", "--out", "old"]).expect_code(0);
    // The new set is what run b writes over the old one (its Changes are
    // against the old set).
    copy_tree(&d.join("old"), &d.join("new"));
    let started = Instant::now();
    kpi(d, &["run", "b", "--out", "new"]).expect_code(0);
    let full = started.elapsed();
    let old = tree(&d.join("old"));
    let new = tree(&d.join("new"));
    assert_ne!(old, new);

    let mut rng = fastrand::Rng::with_seed(7);
    let (mut saw_old, mut saw_new) = (0, 0);
    for i in 0..50 {
        copy_tree(&d.join("old"), &d.join("reports"));
        // Moments spread over the whole run and past its end (a loaded
        // machine makes the killed runs slower than the measured one).
        let at = full.mul_f64((i as f64 + rng.f64()) / 50.0 * 1.4);
        let mut child = bin()
            .args(["run", "b", "--out", "reports"])
            .current_dir(d)
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        child.wait().unwrap();
        let now = tree(&d.join("reports"));
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let mixed: Vec<_> = now.keys().filter(|k| old.get(*k) != now.get(*k)).collect();
            panic!(
                "kill {i} at {at:?}: the reports are neither the old nor the new set: {mixed:?}"
            );
        }
    }
    println!(
        "killed 50 runs: {saw_old} left the old reports, {saw_new} the new ones (full run {full:?})"
    );
    // The next run succeeds and cleans up whatever a kill left beside it.
    kpi(d, &["run", "b", "--out", "reports"]).expect_code(0);
    assert_eq!(tree(&d.join("reports")), new);
    let leftovers: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("previous"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A small tmpfs mounted for the test (the tests run as root); None, with a
/// notice, where mounting is not allowed.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        available(ok, "root (to mount a tmpfs)").then(|| Mount(at.to_path_buf()))
    }

    fn remount_read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_previous_reports() {
    let dir = scratch();
    let d = dir.path();
    let Some(mount) = Mount::tmpfs(&d.join("disk"), "4m") else {
        return;
    };
    let out = mount.0.join("reports");
    let samples = repo().join("samples/en");
    kpi(
        d,
        &[
            "run",
            samples.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect_code(0);
    let before = tree(&out);
    // Fill the disk, leaving too little for a second set of reports.
    let filler = mount.0.join("filler");
    let free = {
        let mut size = 0u64;
        let chunk = vec![0u8; 64 * 1024];
        let mut f = std::fs::File::create(&filler).unwrap();
        use std::io::Write;
        while f.write_all(&chunk).is_ok() {
            size += chunk.len() as u64;
        }
        let _ = f.sync_all();
        size
    };
    assert!(free > 0);
    // Free 16 KiB: room for a file or two, not for the whole set.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(free - 16 * 1024)
        .unwrap();
    kpi(d, &["sample", "--out", "other", "--seed", "9"]).expect_code(0);
    let failed = kpi(d, &["run", "other", "--out", out.to_str().unwrap()]);
    failed.expect_code(1);
    assert!(failed.stderr.contains("cannot write"), "{}", failed.stderr);
    assert!(
        failed.stderr.contains("No space left on device"),
        "{}",
        failed.stderr
    );
    assert_eq!(tree(&out), before, "the previous reports are intact");
    let names: Vec<String> = std::fs::read_dir(&mount.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("staging")),
        "staging left behind: {names:?}"
    );
}

#[test]
fn a_read_only_folder_fails_cleanly_and_keeps_the_previous_reports() {
    let dir = scratch();
    let d = dir.path();
    let Some(mount) = Mount::tmpfs(&d.join("disk"), "8m") else {
        return;
    };
    let out = mount.0.join("reports");
    let samples = repo().join("samples/en");
    kpi(
        d,
        &[
            "run",
            samples.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect_code(0);
    let before = tree(&out);
    mount.remount_read_only();
    let failed = kpi(
        d,
        &[
            "run",
            samples.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    failed.expect_code(1);
    assert!(
        failed.stderr.contains("Read-only file system"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains(mount.0.to_str().unwrap()),
        "names where: {}",
        failed.stderr
    );
    assert_eq!(tree(&out), before);
}

#[test]
fn a_second_run_on_a_locked_folder_fails_clearly_or_waits() {
    let dir = scratch();
    let d = dir.path();
    let samples = repo().join("samples/en");
    let input = samples.to_str().unwrap();
    kpi(d, &["run", input, "--out", "reports"]).expect_code(0);
    let before = tree(&d.join("reports"));
    // Another run holds the lock.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(d.join(".reports.lock"))
        .unwrap();
    lock.lock().unwrap();
    let refused = kpi(d, &["run", input, "--out", "reports"]);
    refused.expect_code(1);
    assert!(
        refused
            .stderr
            .contains("another kpi-report run is writing to reports"),
        "{}",
        refused.stderr
    );
    assert_eq!(tree(&d.join("reports")), before);
    // With --wait it waits until the lock is released, then writes.
    let mut waiting = bin()
        .args(["run", input, "--out", "reports", "--wait"])
        .current_dir(d)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(waiting.try_wait().unwrap().is_none(), "--wait did not wait");
    lock.unlock().unwrap();
    let status = waiting.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(tree(&d.join("reports")), before);
}

#[test]
fn two_runs_at_once_give_one_consistent_set() {
    let dir = scratch();
    let d = dir.path();
    for (name, seed) in [("a", "1"), ("b", "2")] {
        kpi(
            d,
            &["sample", "--out", name, "--staff", "500", "--seed", seed],
        )
        .expect_code(0);
    }
    // One run after the other, in either order: the second one's Changes
    // are against the first one's set.
    for (first, second) in [("a", "b"), ("b", "a")] {
        let out = format!("want-{first}{second}");
        kpi(d, &["run", first, "--out", &out]).expect_code(0);
        kpi(d, &["run", second, "--out", &out]).expect_code(0);
    }
    let a = tree(&d.join("want-ba"));
    let b = tree(&d.join("want-ab"));
    for round in 0..5 {
        let _ = std::fs::remove_dir_all(d.join("reports"));
        let runs: Vec<_> = ["a", "b"]
            .iter()
            .map(|name| {
                bin()
                    .args(["run", name, "--out", "reports", "--wait"])
                    .current_dir(d)
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut r in runs {
            assert_eq!(r.wait().unwrap().code(), Some(0), "round {round}");
        }
        let got = tree(&d.join("reports"));
        assert!(got == a || got == b, "round {round}: a mix of two runs");
    }
}
