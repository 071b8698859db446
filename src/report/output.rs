//! All-or-nothing output: a run writes into a staging folder beside the
//! output folder and swaps it into place only when every file is written.
//! A lock file beside the output folder keeps two runs from writing at once.
//!
//! The output folder is HR's archive, so it is handled by these rules:
//! - the output folder given as a symbolic link is written through: the
//!   link is resolved once and the folder it points to is locked and
//!   updated (the link itself is left as it is);
//! - the lock file, the marker and `manifest.json` are opened only when they
//!   are regular files, never through a symbolic link, and the manifest only
//!   up to [`MAX_MANIFEST_BYTES`];
//! - a non-empty folder is replaced only when it holds both the marker and a
//!   manifest (the marker alone never licenses it);
//! - every file or folder the previous manifest does not claim (or whose
//!   bytes changed since) is carried into the new set where it is
//!   ([`OutputLock::keep_unclaimed`]), by hard link, so nothing kpi-report
//!   did not write is ever deleted.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::ReportError;
use super::manifest::{MANIFEST, MAX_MANIFEST_BYTES, Manifest};

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

fn refuse(path: &Path, reason: impl Into<String>) -> ReportError {
    ReportError::Refused {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// What a non-regular file is, for messages.
fn kind(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Opens a file for reading (or, with `create`, creates it for writing)
/// without following a symbolic link and without blocking on a FIFO, and
/// refuses anything that is not a regular file. `Ok(None)`: it does not
/// exist (and `create` is false).
///
/// # Errors
/// [`ReportError::Refused`] naming a link, pipe, device or socket;
/// I/O errors naming the path.
pub fn open_regular(path: &Path, create: bool) -> Result<Option<File>, ReportError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(refuse(
                path,
                format!(
                    "it is {}, where kpi-report keeps a regular file of its own; \
                     kpi-report does not open it. Remove it and run again",
                    kind(&meta)
                ),
            ));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(path)(e)),
    }
    let mut opts = OpenOptions::new();
    if create {
        opts.create(true).truncate(false).write(true);
    } else {
        opts.read(true);
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
        opts.custom_flags(flags.bits() as i32);
    }
    let file = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => return Ok(None),
        Err(e) => {
            // Replaced by a link or a special file since the check above.
            if let Ok(meta) = fs::symlink_metadata(path)
                && !meta.file_type().is_file()
            {
                return Err(refuse(
                    path,
                    format!("it is {}; kpi-report does not open it", kind(&meta)),
                ));
            }
            return Err(io(path)(e));
        }
    };
    let meta = file.metadata().map_err(io(path))?;
    if !meta.file_type().is_file() {
        return Err(refuse(
            path,
            format!("it is {}; kpi-report does not open it", kind(&meta)),
        ));
    }
    Ok(Some(file))
}

/// The output folder with every symbolic link resolved: the folder itself
/// when it exists, else its resolved parent and its name.
///
/// # Errors
/// [`ReportError::Refused`] for a link to nothing, or a file in place of the
/// folder; I/O errors naming the path.
pub fn resolve(out: &Path) -> Result<PathBuf, ReportError> {
    match fs::symlink_metadata(out) {
        Ok(meta) => {
            let real = fs::canonicalize(out).map_err(|_| {
                refuse(
                    out,
                    "it is a symbolic link to a folder that does not exist; create the folder \
                     or point --out elsewhere",
                )
            })?;
            let real_meta = fs::metadata(&real).map_err(io(&real))?;
            if !real_meta.is_dir() {
                let what = if meta.file_type().is_symlink() {
                    "a symbolic link to something that is not a folder".to_owned()
                } else {
                    kind(&real_meta).to_owned()
                };
                return Err(refuse(
                    out,
                    format!("--out must be a folder, and this is {what}"),
                ));
            }
            Ok(real)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let name = out
                .file_name()
                .ok_or_else(|| ReportError::NotOurs {
                    path: out.display().to_string(),
                })?
                .to_owned();
            let parent = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            fs::create_dir_all(&parent).map_err(io(&parent))?;
            Ok(fs::canonicalize(&parent).map_err(io(&parent))?.join(name))
        }
        Err(e) => Err(io(out)(e)),
    }
}

/// Refuses an input inside the output folder (the next run would replace
/// it) and an output folder inside the input (the reports would be read as
/// input).
///
/// # Errors
/// [`ReportError::Refused`] naming both.
pub fn check_apart(input: &Path, out: &Path) -> Result<(), ReportError> {
    let Ok(input_real) = fs::canonicalize(input) else {
        return Ok(()); // reading it reports that it is missing
    };
    let out_real = nearest_real(out);
    if input_real.starts_with(&out_real) {
        return Err(refuse(
            out,
            format!(
                "the input {} is inside this output folder; keep inputs outside --out \
                 (move the inbox, or choose another --out folder)",
                input.display()
            ),
        ));
    }
    if input_real.is_dir() && out_real.starts_with(&input_real) {
        return Err(refuse(
            out,
            format!(
                "this output folder is inside the input folder {}; choose an --out folder \
                 outside it",
                input.display()
            ),
        ));
    }
    Ok(())
}

/// `path` with links resolved as far as it exists.
fn nearest_real(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut tail = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(real) = fs::canonicalize(cur) {
            let mut p = real;
            for part in tail.iter().rev() {
                p.push(part);
            }
            return p;
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_owned());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

impl OutputLock {
    /// Takes the output folder's lock and tidies what an interrupted run
    /// left behind. `out` must be [`resolve`]d.
    ///
    /// # Errors
    /// [`ReportError::Locked`] when another run holds the lock;
    /// [`ReportError::NotOurs`] when the folder exists, is not empty and was
    /// not written by kpi-report; [`ReportError::Refused`] for a lock file,
    /// marker or manifest that is a link or a special file; I/O errors
    /// naming the path.
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
        let lock = open_regular(&lock_path, true)?
            .ok_or_else(|| io(&lock_path)(std::io::Error::from(std::io::ErrorKind::NotFound)))?;
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
        if this.out.exists() {
            let marker = open_regular(&this.out.join(MARKER), false)?.is_some();
            let manifest = match fs::symlink_metadata(this.out.join(MANIFEST)) {
                Ok(meta) if meta.file_type().is_file() => true,
                Ok(meta) => {
                    return Err(refuse(
                        &this.out.join(MANIFEST),
                        format!(
                            "it is {}, where kpi-report keeps a regular file of its own; \
                             kpi-report does not open it. Remove it and run again",
                            kind(&meta)
                        ),
                    ));
                }
                Err(_) => false,
            };
            let empty = fs::read_dir(&this.out)
                .map_err(io(&this.out))?
                .next()
                .is_none();
            // The marker and the manifest must agree: neither alone makes
            // a folder kpi-report's.
            let ours = marker && manifest;
            if !empty && !ours {
                return Err(ReportError::NotOurs {
                    path: out.display().to_string(),
                });
            }
        }
        Ok(this)
    }

    /// The previous run's manifest: read only as a regular file up to
    /// [`MAX_MANIFEST_BYTES`]. A manifest that cannot be read or parsed is
    /// ignored with a note in `notes` (every period is then rebuilt).
    ///
    /// # Errors
    /// [`ReportError::Refused`] for a link or special file.
    pub fn previous_manifest(
        &self,
        notes: &mut Vec<String>,
    ) -> Result<Option<Manifest>, ReportError> {
        let path = self.out.join(MANIFEST);
        let Some(file) = open_regular(&path, false)? else {
            return Ok(None);
        };
        let len = file.metadata().map_err(io(&path))?.len();
        if len > MAX_MANIFEST_BYTES {
            notes.push(format!(
                "{MANIFEST} is {len} bytes, over the {MAX_MANIFEST_BYTES}-byte limit; it was \
                 ignored and every period rebuilt"
            ));
            return Ok(None);
        }
        let mut bytes = Vec::new();
        if let Err(e) = file.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes) {
            notes.push(format!(
                "{MANIFEST} cannot be read ({e}); it was ignored and every period rebuilt"
            ));
            return Ok(None);
        }
        match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) => Ok(Some(m)),
            Err(e) => {
                notes.push(format!(
                    "{MANIFEST} is not a manifest kpi-report wrote ({e}); it was ignored and \
                     every period rebuilt"
                ));
                Ok(None)
            }
        }
    }

    /// The resolved output folder.
    pub fn out(&self) -> &Path {
        &self.out
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
        // kpi-report's own working names beside the output folder hold
        // only folders it made; a link or a file there is not touched.
        for own in [&previous, &self.staging()] {
            if let Ok(meta) = fs::symlink_metadata(own)
                && !meta.file_type().is_dir()
            {
                return Err(refuse(
                    own,
                    format!(
                        "kpi-report keeps its own working folder under this name, and it is {}; \
                         move it away and run again",
                        kind(&meta)
                    ),
                ));
            }
        }
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

    /// Carries everything in the output folder that kpi-report did not
    /// write into the staging folder, at the same place, before the swap:
    /// by hard link (the same file, so a run killed before the swap loses
    /// nothing), or by copy where the file system has no links.
    ///
    /// `claims` are the previous manifest's paths with their recorded
    /// hashes. A claimed file the new set no longer has is dropped only
    /// while its bytes still hash to the claim; anything else is kept and
    /// named in `notes` once (a kept folder once, not file by file).
    ///
    /// `claims` is `None` when the folder's manifest could not be read at
    /// all (damaged): files at the paths this run writes are then replaced,
    /// each named in `replaced`, since the folder carries kpi-report's marker
    /// and those are the names kpi-report writes.
    ///
    /// # Errors
    /// [`ReportError::Refused`] when a file the readable manifest does not
    /// claim sits where this run writes one of its own (it cannot be kept in
    /// place); I/O errors.
    pub fn keep_unclaimed(
        &self,
        staging: &Path,
        claims: Option<&BTreeMap<String, Option<String>>>,
        notes: &mut Vec<String>,
        replaced: &mut Vec<String>,
    ) -> Result<(), ReportError> {
        if !self.out.is_dir() {
            return Ok(());
        }
        let empty = BTreeMap::new();
        let mut walk = Walk {
            staging,
            claims: claims.unwrap_or(&empty),
            damaged: claims.is_none(),
            notes,
            replaced,
        };
        self.keep_in(&mut walk, "")
    }

    fn keep_in(&self, walk: &mut Walk<'_>, prefix: &str) -> Result<(), ReportError> {
        let staging = walk.staging;
        let claims = walk.claims;
        let dir = self.out.join(prefix);
        let mut entries: Vec<fs::DirEntry> = fs::read_dir(&dir)
            .map_err(io(&dir))?
            .collect::<Result<_, _>>()
            .map_err(io(&dir))?;
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if prefix.is_empty()
                && (name == MARKER || name == MANIFEST || name == super::manifest::CLOSED)
            {
                continue; // written anew by every run
            }
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let from = entry.path();
            let to = staging.join(&rel);
            let ft = entry.file_type().map_err(io(&from))?;
            let new = fs::symlink_metadata(&to).ok();
            if ft.is_dir() {
                let ours = claims.keys().any(|c| {
                    c.strip_prefix(rel.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
                });
                match new {
                    Some(m) if m.is_dir() => self.keep_in(walk, &rel)?,
                    Some(_) => return Err(in_the_way(&self.out, &rel)),
                    None if ours => self.keep_in(walk, &rel)?,
                    None => {
                        link_tree(&from, &to)?;
                        walk.notes
                            .push(format!("kept: {rel}/, not written by kpi-report"));
                    }
                }
                continue;
            }
            match (new, claims.get(&rel)) {
                // Replaced by this run's file of the same name (a changed
                // one was named when its period was rebuilt).
                (Some(_), Some(_)) => {}
                (Some(m), None) if walk.damaged && !m.is_dir() => walk.replaced.push(rel),
                (Some(_), None) => return Err(in_the_way(&self.out, &rel)),
                (None, Some(Some(hash))) if hash_file(&from)?.as_deref() == Some(hash.as_str()) => {
                    // A file of a previous run the new set no longer has.
                }
                (None, claim) => {
                    link_tree(&from, &to)?;
                    walk.notes.push(if claim.is_some() {
                        format!(
                            "kept: {rel}, changed since kpi-report wrote it (or written by an \
                             earlier version), so it is not removed"
                        )
                    } else {
                        format!("kept: {rel}, not written by kpi-report")
                    });
                }
            }
        }
        Ok(())
    }
}

/// The state of [`OutputLock::keep_unclaimed`]'s walk.
struct Walk<'a> {
    staging: &'a Path,
    claims: &'a BTreeMap<String, Option<String>>,
    damaged: bool,
    notes: &'a mut Vec<String>,
    replaced: &'a mut Vec<String>,
}

fn in_the_way(out: &Path, rel: &str) -> ReportError {
    refuse(
        &out.join(rel),
        "it was not written by kpi-report (manifest.json does not list it), and this run \
         writes a report of that name there; move or rename it and run again",
    )
}

/// Places `from` (file, link, special file or folder) at `to` without
/// touching `from`: hard links for files, copies of links, folders
/// recreated.
fn link_tree(from: &Path, to: &Path) -> Result<(), ReportError> {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let meta = fs::symlink_metadata(from).map_err(io(from))?;
    let ft = meta.file_type();
    if ft.is_dir() {
        fs::create_dir(to).map_err(io(to))?;
        let _ = fs::set_permissions(to, meta.permissions());
        for entry in fs::read_dir(from).map_err(io(from))? {
            let entry = entry.map_err(io(from))?;
            link_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    #[cfg(unix)]
    if ft.is_symlink() {
        let target = fs::read_link(from).map_err(io(from))?;
        return std::os::unix::fs::symlink(target, to).map_err(io(to));
    }
    if ft.is_file() {
        return fs::copy(from, to).map(|_| ()).map_err(io(to));
    }
    Err(refuse(
        from,
        format!(
            "it was not written by kpi-report and, being {}, cannot be kept across the swap; \
             move it out of the output folder and run again",
            kind(&meta)
        ),
    ))
}

/// The SHA-256 of a regular file inside the output folder, read without
/// following a link; `None` when it is not a regular file.
///
/// # Errors
/// I/O errors naming the path.
pub fn hash_file(path: &Path) -> Result<Option<String>, ReportError> {
    use sha2::{Digest, Sha256};
    let file = match open_regular(path, false) {
        Ok(Some(f)) => f,
        Ok(None) | Err(ReportError::Refused { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut hasher = Sha256::new();
    let mut file = file;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(Some(
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    ))
}

/// Writes a whole file and flushes it to disk.
///
/// # Errors
/// [`ReportError::Io`] naming the file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io(dir))?;
    }
    // A reused file is a hard link to the previous run's: never write
    // through it, so the previous set stays whole until the swap.
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(path)(e)),
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io(path))?;
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
