//! All-or-nothing output: a run writes into a staging folder beside the
//! output folder and swaps it into place only when every file is written.
//! A lock file beside the output folder keeps two runs from writing at once.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::ReportError;

/// Marks a folder as written by kpi-report, so a run never replaces a
/// folder of the user's by mistake.
pub const MARKER: &str = ".kpi-report";

/// The output folder, locked for this run.
pub struct OutputLock {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    _lock: File,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl OutputLock {
    /// Takes the output folder's lock and tidies what an interrupted run
    /// left behind.
    ///
    /// # Errors
    /// [`ReportError::Locked`] when another run holds the lock;
    /// [`ReportError::NotOurs`] when the folder exists, is not empty and was
    /// not written by kpi-report; I/O errors naming the path.
    pub fn acquire(out: &Path, wait: bool) -> Result<OutputLock, ReportError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "." && n != "..")
            .ok_or_else(|| ReportError::NotOurs {
                path: out.display().to_string(),
            })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        if wait {
            lock.lock().map_err(io(&lock_path))?;
        } else {
            match lock.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(ReportError::Locked {
                        path: out.display().to_string(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
            }
        }
        let this = OutputLock {
            out: out.to_path_buf(),
            parent,
            name,
            _lock: lock,
        };
        this.recover()?;
        if this.out.exists() && !this.out.join(MARKER).exists() {
            let empty = fs::read_dir(&this.out)
                .map_err(io(&this.out))?
                .next()
                .is_none();
            if !empty {
                return Err(ReportError::NotOurs {
                    path: out.display().to_string(),
                });
            }
        }
        Ok(this)
    }

    fn previous(&self) -> PathBuf {
        self.parent.join(format!(".{}.previous", self.name))
    }

    fn staging(&self) -> PathBuf {
        self.parent.join(format!(".{}.staging", self.name))
    }

    /// A run killed between the two renames of [`OutputLock::commit`] left
    /// the old reports under the `previous` name: put them back. Leftover
    /// staging folders are removed.
    fn recover(&self) -> Result<(), ReportError> {
        let previous = self.previous();
        if previous.exists() {
            if self.out.exists() {
                fs::remove_dir_all(&previous).map_err(io(&previous))?;
            } else {
                fs::rename(&previous, &self.out).map_err(io(&self.out))?;
            }
        }
        let staging = self.staging();
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        Ok(())
    }

    /// A fresh, empty staging folder.
    ///
    /// # Errors
    /// I/O errors naming the path.
    pub fn begin(&self) -> Result<PathBuf, ReportError> {
        let staging = self.staging();
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        fs::create_dir_all(&staging).map_err(io(&staging))?;
        write_file(
            &staging.join(MARKER),
            concat!("kpi-report ", env!("CARGO_PKG_VERSION"), "\n").as_bytes(),
        )?;
        Ok(staging)
    }

    /// Swaps the finished staging folder into place.
    ///
    /// On Linux the two folders are exchanged in one atomic step; the old
    /// reports then sit under the staging name until removed (a run killed
    /// before that leaves them for the next run to delete). Elsewhere, or
    /// where the file system cannot exchange, two renames are used and a
    /// kill between them is repaired by the next run ([`Self::recover`]).
    ///
    /// # Errors
    /// I/O errors naming the path; the previous reports are then still in
    /// place (or restored by the next run).
    pub fn commit(&self) -> Result<(), ReportError> {
        let staging = self.staging();
        let previous = self.previous();
        sync_dir(&staging);
        if self.out.exists() && exchange(&staging, &self.out).is_ok() {
            sync_dir(&self.parent);
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
            return Ok(());
        }
        if self.out.exists() {
            fs::rename(&self.out, &previous).map_err(io(&self.out))?;
        }
        if let Err(e) = fs::rename(&staging, &self.out) {
            // Put the old reports back before reporting.
            let _ = fs::rename(&previous, &self.out);
            return Err(io(&self.out)(e));
        }
        if previous.exists() {
            fs::remove_dir_all(&previous).map_err(io(&previous))?;
        }
        sync_dir(&self.parent);
        Ok(())
    }

    /// Removes the staging folder after a failed run.
    pub fn abandon(&self) {
        let _ = fs::remove_dir_all(self.staging());
    }
}

/// Writes a whole file and flushes it to disk.
///
/// # Errors
/// [`ReportError::Io`] naming the file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let mut f = File::create(path).map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))?;
    f.sync_all().map_err(io(path))?;
    Ok(())
}

/// Atomically exchanges two folders.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
