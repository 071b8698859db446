//! What the server holds between requests: the settings, the private
//! folder of uploads, the run (one at a time) and its progress.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use serde_json::Value;

use crate::config::load_plan;
use crate::input::Limits;
use crate::plan::Plan;
use crate::progress::{BarSink, ProgressSink};
use crate::score::Evaluation;

/// The server's settings and shared state.
pub struct State {
    pub token: String,
    pub port: u16,
    pub bind: std::net::IpAddr,
    /// The uploaded workbooks: the input folder of checks and runs.
    pub inbox: PathBuf,
    /// Uploads being received, renamed into `inbox` when complete.
    pub partial: PathBuf,
    pub out: PathBuf,
    /// `--plan`; read again for every check, run and trail, as `run` reads
    /// the file on disk at the time (an edited plan is never left unused).
    pub plan_path: Option<PathBuf>,
    pub limits: Limits,
    pub jobs: Option<usize>,
    /// Whether LibreOffice is here (the page's PDF box).
    pub pdf_available: bool,
    pub hold: Option<PathBuf>,
    /// Uploads take it to write, checks and runs to read: a run never
    /// sees half a change of the upload set.
    pub files: RwLock<()>,
    /// Counts changes of the upload set.
    pub generation: AtomicU64,
    /// Names of partial uploads.
    pub next_partial: AtomicU64,
    pub run: Mutex<RunState>,
    pub tracker: &'static Tracker,
    /// The run-style evaluation of the uploads (for explain), with the
    /// generation of the uploads and the plan it was made from.
    pub evaluated: Mutex<Option<(u64, String, Arc<Evaluation>)>>,
}

/// The run, as the page polls it.
#[derive(Debug, Default)]
pub enum RunState {
    #[default]
    Idle,
    Running,
    Done(Finished),
}

/// A finished run (or one that stopped): the `run --json` document, and the
/// files it lists with their SHA-256, which are all that can be downloaded.
#[derive(Debug, Clone)]
pub struct Finished {
    pub doc: Value,
    pub files: Vec<(String, String)>,
}

impl Finished {
    pub fn new(doc: Value) -> Finished {
        let files = doc
            .get("files")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|f| {
                        Some((
                            f.get("path")?.as_str()?.to_owned(),
                            f.get("sha256")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Finished { doc, files }
    }
}

/// Locks a mutex, going on with the data of a thread that panicked (the
/// state is always left consistent between statements).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl State {
    /// Uploaded file names, sorted, with their sizes.
    pub fn uploads(&self) -> Vec<(String, u64)> {
        let mut list: Vec<(String, u64)> = std::fs::read_dir(&self.inbox)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| {
                        let meta = e.metadata().ok()?;
                        meta.is_file()
                            .then(|| (e.file_name().to_string_lossy().into_owned(), meta.len()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        list.sort();
        list
    }

    /// The plan as it is now, with a key that changes when the plan file
    /// does.
    ///
    /// # Errors
    /// As [`load_plan`]: an unreadable or invalid plan file.
    pub fn plan(&self) -> Result<(Plan, String), crate::error::Error> {
        let plan = load_plan(self.plan_path.as_deref())?;
        let key = match &self.plan_path {
            None => String::new(),
            Some(p) => std::fs::read(p)
                .map(|b| crate::hash::sha256_hex(&b))
                .unwrap_or_default(),
        };
        Ok((plan, key))
    }

    pub fn bump(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub fn is_running(&self) -> bool {
        matches!(*lock(&self.run), RunState::Running)
    }
}

/// The progress of the run, fed by the engine's progress mechanism: the
/// phase in hand and how far it is.
#[derive(Default)]
pub struct Tracker {
    now: Arc<Mutex<Phase>>,
}

#[derive(Debug, Default, Clone)]
pub struct Phase {
    pub label: &'static str,
    pub total: u64,
    pub done: u64,
}

impl Tracker {
    pub fn get(&self) -> Phase {
        lock(&self.now).clone()
    }

    pub fn reset(&self) {
        *lock(&self.now) = Phase::default();
    }
}

impl ProgressSink for Tracker {
    fn phase(&self, label: &'static str, total: u64) -> Box<dyn BarSink> {
        *lock(&self.now) = Phase {
            label,
            total,
            done: 0,
        };
        Box::new(TrackerBar {
            label,
            now: Arc::clone(&self.now),
        })
    }
}

struct TrackerBar {
    label: &'static str,
    now: Arc<Mutex<Phase>>,
}

impl TrackerBar {
    fn update(&self, f: impl FnOnce(&mut Phase)) {
        let mut p = lock(&self.now);
        if p.label == self.label {
            f(&mut p);
        }
    }
}

impl BarSink for TrackerBar {
    fn set_length(&self, total: u64) {
        self.update(|p| p.total = total);
    }
    fn set_position(&self, done: u64) {
        self.update(|p| p.done = done);
    }
    fn finish(&self) {
        self.update(|p| p.done = p.total);
    }
}

/// The private folder of one `serve`: created fresh with mode 0700 (only
/// this user can enter it), removed with everything in it when dropped.
pub struct TempRoot(pub PathBuf);

impl TempRoot {
    /// # Errors
    /// A message when no folder can be made under the temporary folder.
    pub fn new(token: &str) -> Result<TempRoot, String> {
        let base = std::env::temp_dir();
        // The folder's name carries part of the token (random): it cannot
        // be guessed and created beforehand by someone else.
        let dir = base.join(format!(
            "kpi-report-serve-{}-{}",
            std::process::id(),
            token.get(..12).unwrap_or(token)
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .map_err(|e| format!("cannot create a private folder in {}: {e}", base.display()))?;
        Ok(TempRoot(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Progress;

    #[test]
    fn the_tracker_follows_the_engine_progress() {
        let tracker: &'static Tracker = Box::leak(Box::default());
        let progress = Progress::to(tracker);
        let read = progress.bar("files read", 3);
        read.inc(2);
        let p = tracker.get();
        assert_eq!((p.label, p.done, p.total), ("files read", 2, 3));
        // A new phase takes over; the old bar no longer moves it.
        let written = progress.bar("files written", 0);
        written.set_length(10);
        read.inc(1);
        written.inc(4);
        let p = tracker.get();
        assert_eq!((p.label, p.done, p.total), ("files written", 4, 10));
        written.finish_and_clear();
        assert_eq!(tracker.get().done, 10);
        tracker.reset();
        assert_eq!(tracker.get().label, "");
    }

    #[test]
    fn a_finished_run_lists_its_files_with_their_hashes() {
        let doc = serde_json::json!({
            "exit_code": 0,
            "files": [
                { "path": "2026-10/bonus.csv", "bytes": 3, "sha256": "ab" },
                { "path": "manifest.json", "bytes": 5, "sha256": "cd" },
            ],
        });
        let f = Finished::new(doc);
        assert_eq!(
            f.files,
            vec![
                ("2026-10/bonus.csv".to_owned(), "ab".to_owned()),
                ("manifest.json".to_owned(), "cd".to_owned()),
            ]
        );
        assert!(
            Finished::new(serde_json::json!({ "exit_code": 1 }))
                .files
                .is_empty()
        );
    }
}
