//! The output folder is HR's archive: kpi-report never deletes, empties or
//! trusts what it did not write (issue 13's first list, one test each).

use std::path::Path;

use crate::util::{kpi, repo, scratch};

/// An inbox with the English samples, and a first run into `reports`.
fn first_run(d: &Path) {
    let inbox = d.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    for f in ["staff.xlsx", "sales-2026-10.xlsx", "sales-2026-11.xlsx"] {
        std::fs::copy(repo().join("samples/en").join(f), inbox.join(f)).unwrap();
    }
    kpi(d, &["run", "inbox", "--out", "reports"]).expect_code(0);
}

fn edit_manifest(d: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = d.join("reports/manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut m);
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

#[test]
fn a_forged_manifest_path_never_touches_the_file_it_names() {
    let dir = scratch();
    let d = dir.path();
    first_run(d);
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "payroll 2026\n").unwrap();
    let absolute = victim.to_string_lossy().into_owned();
    edit_manifest(d, |m| {
        let files = m["periods"]["2026-10"]["files"].as_array_mut().unwrap();
        files.push("../victim.txt".into());
        files.push("2026-10/../../victim.txt".into());
        files.push(absolute.clone().into());
    });
    let out = kpi(d, &["run", "inbox", "--out", "reports", "--json"]);
    out.expect_code(0);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "payroll 2026\n");
    assert!(!out.stdout.contains("victim"), "{}", out.stdout);
    assert!(
        out.stderr.contains("not a plain path") || out.stdout.contains("not a plain path"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    // The period named by the forged entry was rebuilt, the others reused.
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let reused = json["reused"].to_string();
    assert!(!reused.contains("2026-10"), "{reused}");
    assert!(reused.contains("2026-11"), "{reused}");
}

#[test]
fn user_files_and_folders_in_the_output_folder_survive_every_run() {
    let dir = scratch();
    let d = dir.path();
    first_run(d);
    let signed = d.join("reports/2026-10/managers/S003 signed.xlsx");
    std::fs::write(&signed, b"signed review").unwrap();
    std::fs::write(d.join("reports/NOTES.txt"), "notes").unwrap();
    std::fs::create_dir_all(d.join("reports/archive/old")).unwrap();
    std::fs::write(d.join("reports/archive/old/a.csv"), "a").unwrap();
    // A period folder the next run no longer writes keeps the user's file.
    std::fs::remove_file(d.join("inbox/sales-2026-11.xlsx")).unwrap();
    std::fs::write(d.join("reports/2026-11/mine.txt"), "mine").unwrap();
    for run in 0..2 {
        let out = kpi(d, &["run", "inbox", "--out", "reports"]);
        out.expect_code(0);
        assert_eq!(
            std::fs::read(&signed).unwrap(),
            b"signed review",
            "run {run}"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("reports/NOTES.txt")).unwrap(),
            "notes"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("reports/archive/old/a.csv")).unwrap(),
            "a"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("reports/2026-11/mine.txt")).unwrap(),
            "mine"
        );
        // kpi-report's own files of the dropped month are gone.
        assert!(!d.join("reports/2026-11/results.csv").exists());
        for kept in [
            "kept: 2026-10/managers/S003 signed.xlsx, not written by kpi-report",
            "kept: NOTES.txt, not written by kpi-report",
            "kept: archive/, not written by kpi-report",
            // First the file in kpi-report's old month folder, then (no
            // manifest claims that folder any more) the folder itself.
            if run == 0 {
                "kept: 2026-11/mine.txt, not written by kpi-report"
            } else {
                "kept: 2026-11/, not written by kpi-report"
            },
        ] {
            assert_eq!(
                out.stderr.matches(kept).count(),
                1,
                "{kept}\n{}",
                out.stderr
            );
        }
    }
}

#[test]
fn an_inbox_inside_the_output_folder_is_refused_and_survives() {
    let dir = scratch();
    let d = dir.path();
    std::fs::create_dir_all(d.join("reports/inbox")).unwrap();
    for f in ["staff.xlsx", "sales-2026-10.xlsx"] {
        std::fs::copy(
            repo().join("samples/en").join(f),
            d.join("reports/inbox").join(f),
        )
        .unwrap();
    }
    let out = kpi(d, &["run", "reports/inbox", "--out", "reports"]);
    out.expect_code(1);
    assert!(
        out.stderr.contains("is inside this output folder"),
        "{}",
        out.stderr
    );
    assert!(d.join("reports/inbox/staff.xlsx").is_file());
    // And the other way round.
    let out = kpi(d, &["run", "reports/inbox", "--out", "reports/inbox/out"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("inside the input folder"),
        "{}",
        out.stderr
    );
    assert!(!d.join("reports/inbox/out").exists());
}

#[test]
fn the_marker_alone_never_licenses_replacing_a_folder() {
    let dir = scratch();
    let d = dir.path();
    first_run(d);
    std::fs::create_dir(d.join("mine")).unwrap();
    std::fs::write(d.join("mine/.kpi-report"), "").unwrap();
    std::fs::write(d.join("mine/budget.xlsx"), "budget").unwrap();
    let out = kpi(d, &["run", "inbox", "--out", "mine"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("was not written by kpi-report"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(d.join("mine/budget.xlsx")).unwrap(),
        "budget"
    );
}

#[test]
fn a_tampered_or_linked_reused_file_is_detected_and_rebuilt() {
    let dir = scratch();
    let d = dir.path();
    first_run(d);
    let bonus = d.join("reports/2026-10/bonus.csv");
    let good = std::fs::read_to_string(&bonus).unwrap();
    let forged: String = good
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            if let Some(last) = cells.last_mut()
                && last.contains('.')
            {
                *last = "999999.00";
            }
            cells.join(",")
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(forged, good);
    std::fs::write(&bonus, &forged).unwrap();
    let out = kpi(d, &["run", "inbox", "--out", "reports"]);
    out.expect_code(0);
    assert!(
        out.stderr
            .contains("2026-10/bonus.csv was changed outside kpi-report"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("reused: 2026-11, 2026-YTD"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(&bonus).unwrap(), good);

    // Replaced by a symbolic link: not followed, not kept, rebuilt.
    #[cfg(unix)]
    {
        let elsewhere = d.join("elsewhere.csv");
        std::fs::write(&elsewhere, &forged).unwrap();
        std::fs::remove_file(&bonus).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &bonus).unwrap();
        let out = kpi(d, &["run", "inbox", "--out", "reports"]);
        out.expect_code(0);
        assert!(
            out.stderr.contains("changed outside kpi-report"),
            "{}",
            out.stderr
        );
        assert!(!std::fs::symlink_metadata(&bonus).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&bonus).unwrap(), good);
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), forged);
    }
}

#[cfg(unix)]
#[test]
fn special_files_as_manifest_lock_or_marker_are_refused_not_opened() {
    use std::process::Command;
    use std::time::{Duration, Instant};
    let dir = scratch();
    let d = dir.path();
    first_run(d);
    let fifo = |p: &Path| {
        let _ = std::fs::remove_file(p);
        assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
    };
    let run = |d: &Path| {
        let started = Instant::now();
        let out = kpi(d, &["run", "inbox", "--out", "reports"]);
        assert!(started.elapsed() < Duration::from_secs(60));
        out
    };
    let before = crate::util::tree(&d.join("reports"));
    for name in [
        "reports/manifest.json",
        "reports/.kpi-report",
        ".reports.lock",
    ] {
        let path = d.join(name);
        let saved = std::fs::read(&path).ok();
        fifo(&path);
        let out = run(d);
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains("named pipe (FIFO)"),
            "{name}: {}",
            out.stderr
        );
        std::fs::remove_file(&path).unwrap();
        if let Some(bytes) = saved {
            std::fs::write(&path, bytes).unwrap();
        }
    }
    // /dev/zero linked as the manifest: a link, refused.
    std::fs::remove_file(d.join("reports/manifest.json")).unwrap();
    let manifest = before[Path::new("manifest.json")].clone();
    std::os::unix::fs::symlink("/dev/zero", d.join("reports/manifest.json")).unwrap();
    let out = run(d);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
    std::fs::remove_file(d.join("reports/manifest.json")).unwrap();
    std::fs::write(d.join("reports/manifest.json"), manifest).unwrap();
    assert_eq!(crate::util::tree(&d.join("reports")), before);

    // A lock file planted as a link makes no file elsewhere.
    std::fs::remove_file(d.join(".reports.lock")).unwrap();
    std::os::unix::fs::symlink(d.join("planted"), d.join(".reports.lock")).unwrap();
    let out = run(d);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!d.join("planted").exists());
    std::fs::remove_file(d.join(".reports.lock")).unwrap();
    run(d).expect_code(0);
}

#[cfg(unix)]
#[test]
fn an_output_folder_given_as_a_link_is_written_through_and_locked_once() {
    let dir = scratch();
    let d = dir.path();
    first_run(d);
    std::os::unix::fs::symlink(d.join("reports"), d.join("link")).unwrap();
    let out = kpi(d, &["run", "inbox", "--out", "link"]);
    out.expect_code(0);
    assert!(
        std::fs::symlink_metadata(d.join("link"))
            .unwrap()
            .is_symlink()
    );
    assert!(out.stderr.contains("3 unchanged"), "{}", out.stderr);
    assert!(!d.join(".link.lock").exists());
    // The lock of the resolved folder holds against a run through the link.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(d.join(".reports.lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = kpi(d, &["run", "inbox", "--out", "link"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("another kpi-report run"),
        "{}",
        out.stderr
    );
    drop(lock);
}
