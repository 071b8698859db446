//! PDFs of the workbooks (`--pdf`), printed by LibreOffice in headless mode
//! with the print setup each sheet carries (one person per page).
//!
//! The program is looked for before any work starts ([`Converter::find`]),
//! so a missing LibreOffice fails the run at once. [`Converter::convert`]
//! runs inside the staging folder, after the workbooks are written and
//! before the folder is swapped in, so a failed conversion leaves the
//! previous reports untouched. Each LibreOffice process gets a private
//! profile in the staging folder, so it never meets the user's own
//! LibreOffice or a parallel run; many files go to one process, since
//! starting LibreOffice costs more than converting a workbook.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::ReportError;

/// The work folder inside the staging folder; removed before the swap.
const WORK: &str = ".pdf-work";

/// The most LibreOffice processes started at once (each takes ~200 MB).
const MAX_PROCESSES: usize = 4;

/// Files per process below which starting another one does not pay.
const FILES_PER_PROCESS: usize = 6;

/// A LibreOffice program found on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converter {
    program: PathBuf,
    /// The time limit of one LibreOffice process; None: the default, 120 s
    /// plus 20 s a workbook.
    limit: Option<Duration>,
}

impl Converter {
    /// Finds LibreOffice: `soffice` (or `libreoffice`) on `PATH`, then the
    /// places its installers use on Windows, macOS and Linux.
    ///
    /// # Errors
    /// [`ReportError::NoLibreOffice`], saying how to install it.
    pub fn find() -> Result<Converter, ReportError> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path)
            .flat_map(|dir| program_names().iter().map(move |n| dir.join(n)))
            .chain(install_locations())
            .find(|p| p.is_file())
            .map(|program| Converter {
                program,
                limit: None,
            })
            .ok_or(ReportError::NoLibreOffice)
    }

    /// The program that converts.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Writes `<stem>.pdf` beside each workbook in `books` (paths relative
    /// to `root`) and returns the PDFs' paths, relative to `root`, in the
    /// same order.
    ///
    /// # Errors
    /// [`ReportError::Pdf`] naming the workbook when LibreOffice fails,
    /// hangs, or leaves no PDF; [`ReportError::Io`] for the work folder.
    pub fn convert(&self, root: &Path, books: &[PathBuf]) -> Result<Vec<PathBuf>, ReportError> {
        if books.is_empty() {
            return Ok(Vec::new());
        }
        let work = std::path::absolute(root.join(WORK)).map_err(io(root))?;
        let result = self.convert_in(&work, root, books);
        let _ = std::fs::remove_dir_all(&work);
        result
    }

    fn convert_in(
        &self,
        work: &Path,
        root: &Path,
        books: &[PathBuf],
    ) -> Result<Vec<PathBuf>, ReportError> {
        let processes = processes(books.len());
        // Book i goes to batch i % processes as `<i>.xlsx`: unique names in
        // one flat folder per batch, whatever folders the books are in.
        let batches: Vec<Vec<usize>> = (0..processes)
            .map(|b| (b..books.len()).step_by(processes).collect())
            .collect();
        let mut jobs = Vec::new();
        for (b, members) in batches.iter().enumerate() {
            let dir = work.join(b.to_string());
            let input = dir.join("in");
            std::fs::create_dir_all(&input).map_err(io(&input))?;
            let mut files = Vec::new();
            for &i in members {
                let from = root.join(&books[i]);
                let to = input.join(format!("{i}.xlsx"));
                if std::fs::hard_link(&from, &to).is_err() {
                    std::fs::copy(&from, &to).map_err(io(&to))?;
                }
                files.push(to);
            }
            jobs.push((dir, files));
        }
        let outcomes: Vec<Result<(), String>> = std::thread::scope(|s| {
            let handles: Vec<_> = jobs
                .iter()
                .map(|(dir, files)| s.spawn(move || self.run_batch(dir, files)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("the conversion thread failed".into()))
                })
                .collect()
        });
        let mut pdfs = vec![PathBuf::new(); books.len()];
        for ((members, (dir, _)), outcome) in batches.iter().zip(&jobs).zip(outcomes) {
            for &i in members {
                let made = dir.join("out").join(format!("{i}.pdf"));
                let is_pdf = std::fs::read(&made)
                    .map(|b| b.starts_with(b"%PDF"))
                    .unwrap_or(false);
                if !is_pdf {
                    let reason = match &outcome {
                        Err(why) => why.clone(),
                        Ok(()) => "LibreOffice wrote no PDF for it".to_owned(),
                    };
                    return Err(ReportError::Pdf {
                        file: books[i].display().to_string(),
                        reason,
                    });
                }
                let rel = books[i].with_extension("pdf");
                let to = root.join(&rel);
                if std::fs::rename(&made, &to).is_err() {
                    std::fs::copy(&made, &to).map_err(io(&to))?;
                }
                pdfs[i] = rel;
            }
        }
        Ok(pdfs)
    }

    /// One LibreOffice process converting `files` into `dir/out`, with its
    /// own profile in `dir/profile`. Err carries what LibreOffice said.
    fn run_batch(&self, dir: &Path, files: &[PathBuf]) -> Result<(), String> {
        let out = dir.join("out");
        let log = dir.join("log.txt");
        let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let log_err = log_file.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(&self.program);
        command
            .arg(format!(
                "-env:UserInstallation={}",
                file_url(&dir.join("profile"))
            ))
            .args([
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(&out)
            .args(files)
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_err);
        // Its own process group: LibreOffice starts helper processes, and a
        // timeout must end them all.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.program.display()))?;
        // Starting takes a few seconds; a large workbook a few more.
        let limit = self
            .limit
            .unwrap_or(Duration::from_secs(120 + 20 * files.len() as u64));
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() > limit => {
                    kill_group(&mut child);
                    let _ = child.wait();
                    return Err(format!(
                        "LibreOffice did not finish within {} s and was stopped",
                        limit.as_secs()
                    ));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(e.to_string()),
            }
        };
        if status.success() {
            Ok(())
        } else {
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = said.lines().rev().take(5).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            Err(format!(
                "LibreOffice failed ({status}): {}",
                tail.join(" / ")
            ))
        }
    }
}

/// Ends a child and every process in its group (the child leads it).
fn kill_group(child: &mut std::process::Child) {
    #[cfg(target_os = "linux")]
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status();
    }
    let _ = child.kill();
}

/// A writing system the workbooks may need a font for, and the Debian/Ubuntu
/// package that provides one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Script {
    Chinese,
    Japanese,
    Korean,
    Other,
}

impl Script {
    fn of(c: char) -> Option<Script> {
        match c as u32 {
            0..=0x24F => None, // Latin, which every font has
            0x3040..=0x30FF | 0x31F0..=0x31FF => Some(Script::Japanese),
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Some(Script::Korean),
            0x2E80..=0x2FDF
            | 0x3000..=0x303F
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFFEF
            | 0x20000..=0x3FFFF => Some(Script::Chinese),
            // Symbols the PDF can do without exactly (…, →, ✓, emoji) are
            // not checked; letters of other alphabets are.
            0x2000..=0x2BFF | 0x1F000.. => None,
            _ if c.is_alphabetic() => Some(Script::Other),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Script::Chinese => "Chinese (Han)",
            Script::Japanese => "Japanese (kana)",
            Script::Korean => "Korean (Hangul)",
            Script::Other => "non-Latin",
        }
    }

    fn package(self) -> &'static str {
        match self {
            Script::Chinese | Script::Japanese | Script::Korean => "fonts-noto-cjk",
            Script::Other => "fonts-noto-core",
        }
    }
}

/// Characters checked per script at most (a sample beyond that).
const FONT_CHECK_CHARS: usize = 400;

/// Checks, before anything is written, that the installed fonts can show
/// every character the workbooks hold: for each writing system among
/// `texts`, fontconfig (`fc-list`, which LibreOffice uses too) must know a
/// font that has its characters. Where fontconfig is not installed
/// (Windows, macOS, which ship such fonts) nothing is checked.
///
/// # Errors
/// [`ReportError::MissingFont`] naming the writing system, a few of its
/// characters, and the package that provides a font.
pub fn check_fonts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<(), ReportError> {
    let mut by_script: std::collections::BTreeMap<Script, std::collections::BTreeSet<char>> =
        std::collections::BTreeMap::new();
    for text in texts {
        for c in text.chars() {
            if let Some(script) = Script::of(c) {
                by_script.entry(script).or_default().insert(c);
            }
        }
    }
    for (script, chars) in by_script {
        let chars: Vec<char> = chars.into_iter().collect();
        // An even sample over the whole set where it is large.
        let step = chars.len().div_ceil(FONT_CHECK_CHARS).max(1);
        let sample: Vec<char> = chars.iter().copied().step_by(step).collect();
        let Some(found) = fonts_covering(&sample) else {
            return Ok(()); // no fontconfig: nothing to ask
        };
        if found {
            continue;
        }
        // No one font has them all; LibreOffice falls back font by font,
        // so only characters no font has at all are missing.
        let missing: Vec<char> = sample
            .iter()
            .copied()
            .filter(|c| fonts_covering(&[*c]) == Some(false))
            .collect();
        if !missing.is_empty() {
            return Err(ReportError::MissingFont {
                script: script.name().to_owned(),
                chars: missing.iter().take(8).collect(),
                package: script.package().to_owned(),
            });
        }
    }
    Ok(())
}

/// Whether some installed font has every one of `chars`; None when
/// fontconfig cannot be asked.
fn fonts_covering(chars: &[char]) -> Option<bool> {
    let charset: Vec<String> = chars.iter().map(|c| format!("{:x}", *c as u32)).collect();
    let out = Command::new("fc-list")
        .arg(format!(":charset={}", charset.join(" ")))
        .arg("family")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(!out.stdout.iter().all(u8::is_ascii_whitespace))
}

/// How many LibreOffice processes share `files` workbooks.
fn processes(files: usize) -> usize {
    let cores = rayon::current_num_threads().clamp(1, MAX_PROCESSES);
    files.div_ceil(FILES_PER_PROCESS).clamp(1, cores)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn program_names() -> &'static [&'static str] {
    if cfg!(windows) {
        &["soffice.exe", "soffice.com"]
    } else {
        &["soffice", "libreoffice"]
    }
}

/// Where LibreOffice's own installers put the program.
fn install_locations() -> Vec<PathBuf> {
    let mut places = Vec::new();
    if cfg!(windows) {
        for var in ["ProgramFiles", "ProgramFiles(x86)"] {
            if let Some(dir) = std::env::var_os(var) {
                places.push(PathBuf::from(dir).join(r"LibreOffice\program\soffice.exe"));
            }
        }
    } else if cfg!(target_os = "macos") {
        places.push(PathBuf::from(
            "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        ));
    } else if let Ok(entries) = std::fs::read_dir("/opt") {
        // The libreoffice.org packages install to /opt/libreofficeX.Y.
        let mut dirs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("libreoffice"))
            })
            .collect();
        dirs.sort();
        places.extend(dirs.into_iter().rev().map(|d| d.join("program/soffice")));
    }
    places
}

/// A `file:///` URL for an absolute path, as LibreOffice's
/// `-env:UserInstallation` wants it (forward slashes, percent-escaped).
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_absolute_and_escaped() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/.pdf-work/0/profile")),
            "file:///tmp/a%20b/.pdf-work/0/profile"
        );
        assert_eq!(
            file_url(Path::new(r"C:\Users\Zoë\p")),
            "file:///C:/Users/Zo%C3%AB/p"
        );
    }

    /// A stand-in for LibreOffice that starts a helper process (as
    /// soffice starts soffice.bin), records its id and hangs.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_timed_out_conversion_ends_the_whole_process_group() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let pids = dir.path().join("pids");
        let script = dir.path().join("soffice");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nsleep 300 &\necho $! > '{}'\nwait\n",
                pids.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("a.xlsx"), b"PK").unwrap();
        let converter = Converter {
            program: script,
            limit: Some(Duration::from_secs(2)),
        };
        let err = converter
            .convert(&root, &[PathBuf::from("a.xlsx")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("did not finish within"), "{err}");
        let helper: i32 = std::fs::read_to_string(&pids)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The helper is gone (or a zombie being reaped by init).
        let started = Instant::now();
        loop {
            let state = std::fs::read_to_string(format!("/proc/{helper}/stat"))
                .ok()
                .and_then(|s| s.rsplit(')').next().map(|r| r.trim().chars().next()))
                .flatten();
            if matches!(state, None | Some('Z')) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "helper {helper} still running: {state:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[test]
    fn scripts_of_characters() {
        assert_eq!(Script::of('a'), None);
        assert_eq!(Script::of('é'), None);
        assert_eq!(Script::of('张'), Some(Script::Chinese));
        assert_eq!(Script::of('，'), Some(Script::Chinese));
        assert_eq!(Script::of('カ'), Some(Script::Japanese));
        assert_eq!(Script::of('한'), Some(Script::Korean));
        assert_eq!(Script::of('Ж'), Some(Script::Other));
        assert_eq!(Script::of('…'), None);
        let e = ReportError::MissingFont {
            script: Script::Chinese.name().into(),
            chars: "张伟".into(),
            package: Script::Chinese.package().into(),
        }
        .to_string();
        assert!(e.contains("Chinese") && e.contains("fonts-noto-cjk"), "{e}");
    }

    #[test]
    fn few_files_share_one_process() {
        assert_eq!(processes(1), 1);
        assert_eq!(processes(FILES_PER_PROCESS), 1);
        assert!(processes(1000) <= MAX_PROCESSES);
    }

    #[test]
    fn messages_say_how_to_fix() {
        let none = ReportError::NoLibreOffice.to_string();
        assert!(
            none.contains("apt-get install libreoffice-calc-nogui"),
            "{none}"
        );
        assert!(none.contains("libreoffice.org"), "{none}");
        let failed = ReportError::Pdf {
            file: "2026-10/summary.xlsx".into(),
            reason: "LibreOffice wrote no PDF for it".into(),
        }
        .to_string();
        assert!(failed.contains("2026-10/summary.xlsx"), "{failed}");
        assert!(failed.contains("nothing was written"), "{failed}");
    }
}
