//! `kpi-report watch INBOX`: rebuild the reports whenever the inbox changes.
//!
//! File events (notify) only wake the loop; what decides is a snapshot of
//! the inbox's workbooks (name, size, modification time). A build starts when
//! the snapshot differs from the last one built and has stayed the same for
//! the settle time, so a file still being copied in is never read half-done.
//! Lock files and temporary copies are not part of the snapshot. A failed
//! build is logged and the watch goes on; Ctrl-C stops it between builds
//! (a build itself is all-or-nothing, see `report::output`).
//!
//! A workbook deleted from the inbox never deletes reports: the months it
//! held keep theirs, and the log says so (a `kpi-report run` writes exactly
//! what its inputs hold, and so removes them). The plan file is watched
//! too: an edited plan is read again before the next build; an invalid one
//! stops the watch with the reason, the last reports left as they are.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use notify::{RecursiveMode, Watcher};

use crate::config::RunConfig;
use crate::input::workbook::SPREADSHEET_EXTENSIONS;

/// Why the watch could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The inbox must exist and be watchable.
    #[error("cannot watch {path}: {reason}")]
    Watch { path: String, reason: String },
    /// The plan was edited into one that cannot be used.
    #[error(
        "the plan {path} was changed and cannot be used: {reason}; watch stopped, the last \
         reports are kept. Fix the plan and start watch again"
    )]
    Plan { path: String, reason: String },
}

/// A workbook's identity for change detection.
type Snapshot = BTreeMap<String, (u64, Option<SystemTime>)>;

/// Whether a file in the inbox is a workbook to read (not a lock file left
/// by Excel/WPS/LibreOffice, a hidden file or a partial download).
pub fn is_workbook(name: &str) -> bool {
    if name.starts_with("~$")
        || name.starts_with(".~lock")
        || name.starts_with('.')
        || name.starts_with('~')
    {
        return false;
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    ext == "csv" || SPREADSHEET_EXTENSIONS.contains(&ext.as_str())
}

fn snapshot(inbox: &Path) -> Snapshot {
    let mut snap = Snapshot::new();
    let Ok(entries) = std::fs::read_dir(inbox) else {
        return snap;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_workbook(&name) {
            continue;
        }
        if let Ok(meta) = entry.metadata()
            && meta.is_file()
        {
            snap.insert(name, (meta.len(), meta.modified().ok()));
        }
    }
    snap
}

/// What changed between two snapshots, for the log line.
fn describe(before: &Snapshot, after: &Snapshot) -> String {
    let mut parts = Vec::new();
    for (name, v) in after {
        match before.get(name) {
            None => parts.push(format!("+{name}")),
            Some(old) if old != v => parts.push(format!("~{name}")),
            _ => {}
        }
    }
    parts.extend(
        before
            .keys()
            .filter(|n| !after.contains_key(*n))
            .map(|n| format!("-{n}")),
    );
    if parts.is_empty() {
        "no change".into()
    } else {
        parts.join(" ")
    }
}

/// The watch's settings.
pub struct WatchOptions {
    pub config: RunConfig,
    /// The plan file, read again whenever it changes (None: the built-in
    /// plan).
    pub plan_path: Option<PathBuf>,
    pub settle: Duration,
}

/// A plan file's identity for change detection: size, modification time and
/// content hash (an edit within the same second and size still shows).
fn plan_snapshot(path: Option<&Path>) -> Option<(u64, Option<SystemTime>, String)> {
    let path = path?;
    let meta = std::fs::metadata(path).ok()?;
    let bytes = std::fs::read(path).ok()?;
    Some((
        meta.len(),
        meta.modified().ok(),
        crate::hash::sha256_hex(&bytes),
    ))
}

/// Watches until `stop` is set, calling `log` with one line per build.
///
/// # Errors
/// [`WatchError`] when the inbox cannot be watched.
/// [`WatchError::Plan`] when the plan file is edited into an invalid one.
pub fn watch(
    opts: &mut WatchOptions,
    stop: &Arc<AtomicBool>,
    mut log: impl FnMut(&str),
) -> Result<(), WatchError> {
    let inbox: PathBuf = opts.config.input.clone();
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |ev| {
        let _ = tx.send(ev);
    })
    .map_err(|e| WatchError::Watch {
        path: inbox.display().to_string(),
        reason: e.to_string(),
    })?;
    watcher
        .watch(&inbox, RecursiveMode::NonRecursive)
        .map_err(|e| WatchError::Watch {
            path: inbox.display().to_string(),
            reason: e.to_string(),
        })?;
    log(&format!("watching {} (Ctrl-C to stop)", inbox.display()));

    let tick = Duration::from_millis(200);
    let mut built = Snapshot::new();
    let mut seen = snapshot(&inbox);
    let mut stable_since = Instant::now() - opts.settle;
    let plan_path = opts.plan_path.clone();
    let mut plan_built = plan_snapshot(plan_path.as_deref());
    let mut plan_seen = plan_built.clone();
    let mut plan_stable_since = Instant::now() - opts.settle;
    while !stop.load(Ordering::SeqCst) {
        // Events only shorten the wait; the snapshots decide.
        let _ = rx.recv_timeout(tick);
        while rx.try_recv().is_ok() {}
        let now = snapshot(&inbox);
        let plan_now = plan_snapshot(plan_path.as_deref());
        if plan_now != plan_seen {
            plan_seen = plan_now;
            plan_stable_since = Instant::now();
            continue;
        }
        if now != seen {
            seen = now;
            stable_since = Instant::now();
            continue;
        }
        let plan_changed = plan_seen != plan_built;
        if (seen == built && !plan_changed)
            || seen.is_empty()
            || stable_since.elapsed() < opts.settle
            || plan_stable_since.elapsed() < opts.settle
        {
            continue;
        }
        let mut changed = describe(&built, &seen);
        if plan_changed && let Some(path) = &plan_path {
            // The edited plan, or the watch stops with the reason.
            match crate::config::load_plan(Some(path)) {
                Ok(plan) => opts.config.plan = plan,
                Err(e) => {
                    let err = WatchError::Plan {
                        path: path.display().to_string(),
                        reason: e.to_string().replace('\n', "; "),
                    };
                    return Err(err);
                }
            }
            plan_built = plan_seen.clone();
            changed = if changed == "no change" {
                format!("plan {} reloaded", path.display())
            } else {
                format!("{changed}; plan {} reloaded", path.display())
            };
        }
        let line = match crate::engine::run_quietly(&opts.config) {
            Ok(outcome) => {
                let mut line = format!("{changed} -> {}", outcome.one_line(&opts.config.out));
                if !outcome.kept_periods.is_empty() {
                    line.push_str(&format!(
                        "; kept the reports of {} (their inputs are gone; a `kpi-report run` \
                         writes only what its inputs hold and removes them)",
                        outcome.kept_periods.join(", ")
                    ));
                }
                line
            }
            Err(e) => format!("{changed} -> error: {}", e.to_string().replace('\n', "; ")),
        };
        log(&line);
        built = seen.clone();
    }
    log("stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_and_temporary_copies_are_not_workbooks() {
        for name in [
            "~$sales.xlsx",
            ".~lock.sales.xlsx#",
            ".hidden.xlsx",
            "~WRL0001.tmp",
            "sales.xlsx.part",
            "notes.docx",
        ] {
            assert!(!is_workbook(name), "{name}");
        }
        for name in [
            "sales.xlsx",
            "2026年10月.XLS",
            "results.csv",
            "a.ods",
            "b.xlsb",
            "c.xlsm",
        ] {
            assert!(is_workbook(name), "{name}");
        }
    }

    #[test]
    fn describes_changes() {
        let mut a = Snapshot::new();
        a.insert("old.xlsx".into(), (1, None));
        a.insert("same.xlsx".into(), (1, None));
        let mut b = Snapshot::new();
        b.insert("same.xlsx".into(), (1, None));
        b.insert("new.xlsx".into(), (2, None));
        assert_eq!(describe(&a, &b), "+new.xlsx -old.xlsx");
        assert_eq!(describe(&b, &b), "no change");
    }
}
