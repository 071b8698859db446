//! `kpi-report serve`: the real binary on a free port, driven over HTTP on
//! 127.0.0.1 (and, in `browser`, by headless Chromium).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::http::{Reply, encode, request};
use crate::common::tree;
use crate::util::{kpi, scratch};

/// A running `kpi-report serve`, stopped (SIGTERM, as Ctrl-C) when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    pub port: u16,
    pub token: String,
    /// The address printed, token included.
    pub url: String,
}

impl Served {
    pub fn start(cwd: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kpi-report"))
            .arg("serve")
            .args(["--port", "0", "--no-open"])
            .args(args)
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("address line");
        let url = line.trim().to_owned();
        let rest = url
            .strip_prefix("http://127.0.0.1:")
            .unwrap_or_else(|| panic!("address line: {url:?}"));
        let (port, token) = rest.split_once("/?token=").expect("token in the address");
        assert_eq!(token.len(), 32, "128-bit hex token: {token}");
        Served {
            addr: format!("127.0.0.1:{port}"),
            port: port.parse().expect("port"),
            token: token.to_owned(),
            url,
            child,
        }
    }

    /// The private upload folders of this server (under the system's
    /// temporary folder, named after its process id).
    pub fn private_folders(&self) -> Vec<PathBuf> {
        let prefix = format!("kpi-report-serve-{}-", self.child.id());
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .map(|e| e.path())
            .collect()
    }

    /// A request with the token (as the page's cookie).
    pub fn call(&self, method: &str, target: &str, body: &[u8]) -> Reply {
        let cookie = format!("kpi_report_{}={}", self.port, self.token);
        request(&self.addr, method, target, &[("Cookie", &cookie)], body)
    }

    pub fn upload(&self, name: &str, bytes: &[u8]) -> Reply {
        self.call("PUT", &format!("/api/files/{}", encode(name)), bytes)
    }

    /// Waits for the run to end and returns its document.
    pub fn wait_run(&self) -> Value {
        let start = Instant::now();
        loop {
            let p = self.call("GET", "/api/progress", b"").json();
            if p["state"] == "done" {
                return p["result"].clone();
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "run did not end: {p}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server as Ctrl-C does and waits for it.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                return self.child.wait().expect("wait");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.stop();
        }
    }
}

/// The sample workbooks (`kpi-report sample`), by name.
pub fn sample(dir: &Path, lang: &str) -> Vec<(String, PathBuf)> {
    let input = dir.join(format!("in-{lang}"));
    kpi(
        dir,
        &["sample", "--out", input.to_str().unwrap(), "--lang", lang],
    )
    .expect_code(0);
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), e.path())
        })
        .collect();
    files.sort();
    files
}

/// What `run` writes for `input` into a fresh folder, without its lock
/// file (which no download carries).
pub fn reference_run(
    dir: &Path,
    input: &Path,
    lang: &str,
    name: &str,
) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let out = dir.join(name);
    kpi(
        dir,
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--lang",
            lang,
            "-q",
        ],
    )
    .expect_code(0);
    let mut files = tree(&out);
    files.remove(Path::new(".kpi-report"));
    files
}

/// The files of a zip, by path.
pub fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut files = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        files.insert(PathBuf::from(f.name().unwrap().to_string()), data);
    }
    files
}

#[test]
fn upload_check_run_and_download_match_the_command_line() {
    let dir = scratch();
    let files = sample(dir.path(), "en");
    let input = files[0].1.parent().unwrap().to_path_buf();
    let out = dir.path().join("out");
    let mut served = Served::start(dir.path(), &["--out", out.to_str().unwrap()]);

    // The printed address sets the cookie the page then uses.
    let first = request(
        &served.addr,
        "GET",
        &served.url["http://".len() + served.addr.len()..],
        &[],
        b"",
    );
    assert_eq!(first.status, 200);
    let cookie = first.header("Set-Cookie").expect("cookie");
    assert!(cookie.contains(&served.token), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(first.text().contains("<script src=\"/page.js\""));
    assert!(
        !first.text().contains("http://") && !first.text().contains("https://"),
        "no outside resources"
    );

    // Upload: a stray file first, then the workbooks.
    assert_eq!(
        served.upload("notes.csv", b"hello,world\n1,2\n").status,
        200
    );
    for (name, path) in &files {
        let r = served.upload(name, &std::fs::read(path).unwrap());
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["name"], name.as_str());
    }
    let status = served.call("GET", "/api/status", b"").json();
    assert_eq!(status["files"].as_array().unwrap().len(), 4, "{status}");

    // Check: the same document `check --json` prints for the same files.
    let with_notes = served.call("GET", "/api/check", b"").json();
    assert!(
        with_notes["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["file"] == "notes.csv"),
        "{with_notes}"
    );
    // The stray file is removed (clear, drop again): the list updates.
    assert_eq!(served.call("DELETE", "/api/files", b"").status, 200);
    for (name, path) in &files {
        assert_eq!(
            served.upload(name, &std::fs::read(path).unwrap()).status,
            200
        );
    }
    let page = served.call("GET", "/api/check", b"").json();
    let cli = kpi(dir.path(), &["check", input.to_str().unwrap(), "--json"]);
    let cli: Value = serde_json::from_str(&cli.stdout).expect("check --json");
    for key in [
        "files",
        "periods",
        "people",
        "counts",
        "issues",
        "exit_code",
    ] {
        assert_eq!(page[key], cli[key], "{key}");
    }
    assert_eq!(page["periods"], serde_json::json!(["2026-10", "2026-11"]));
    assert_eq!(page["people"], 30);
    assert!(
        page["issues"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["file"] != "notes.csv")
    );
    let kinds: Vec<&str> = page["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["tables"].as_array().unwrap())
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"staff") && kinds.contains(&"targets") && kinds.contains(&"results"),
        "{kinds:?}"
    );

    // Run: the same files as `run` on the same inputs, byte for byte.
    let started = served.call("POST", "/api/run?lang=en&pdf=0", b"");
    assert_eq!(started.status, 202, "{}", started.text());
    let result = served.wait_run();
    assert_eq!(result["exit_code"], 0, "{result}");
    let reference = reference_run(dir.path(), &input, "en", "reference");
    let mut written = tree(&out);
    written.remove(Path::new(".kpi-report"));
    assert_eq!(written, reference, "the output folder is what run writes");
    let listed: Vec<&str> = result["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), reference.len());

    // One file, then all of them as a zip.
    let one = served.call("GET", "/api/download/2026-10/summary.xlsx", b"");
    assert_eq!(one.status, 200);
    assert_eq!(one.body, reference[Path::new("2026-10/summary.xlsx")]);
    assert!(
        one.header("Content-Disposition")
            .unwrap()
            .contains("summary.xlsx")
    );
    let manager = listed.iter().find(|p| p.contains("/managers/")).unwrap();
    let path = manager.split('/').map(encode).collect::<Vec<_>>().join("/");
    let m = served.call("GET", &format!("/api/download/{path}"), b"");
    assert_eq!(m.status, 200);
    assert_eq!(m.body, reference[Path::new(manager)]);
    let zip = served.call("GET", "/api/download.zip", b"");
    assert_eq!(zip.status, 200);
    assert_eq!(unzip(&zip.body), reference, "the zip holds what run writes");

    // Only files the run lists are served.
    for bad in [
        "/api/download/..%2F..%2Fetc%2Fpasswd",
        "/api/download/%2Fetc%2Fpasswd",
        "/api/download/.kpi-report",
        "/api/download/2026-10",
    ] {
        assert_eq!(served.call("GET", bad, b"").status, 404, "{bad}");
    }
    // A file changed since the run is not served as the run's.
    std::fs::write(out.join("2026-10/results.csv"), "changed").unwrap();
    assert_eq!(
        served
            .call("GET", "/api/download/2026-10/results.csv", b"")
            .status,
        409
    );

    // Explain: search by name, then the trail, in both languages.
    let people = served.call("GET", "/api/people?q=jessica", b"").json();
    let found = people["people"].as_array().unwrap();
    assert!(!found.is_empty(), "{people}");
    let id = found[0]["staff_id"].as_str().unwrap().to_owned();
    let en = served
        .call("GET", &format!("/api/explain?staff={id}&lang=en"), b"")
        .json();
    let cli_en = kpi(
        dir.path(),
        &["explain", input.to_str().unwrap(), "--staff", &id],
    );
    assert_eq!(
        en["text"].as_str().unwrap(),
        cli_en.stdout,
        "the engine's trail"
    );
    let zh = served
        .call(
            "GET",
            &format!("/api/explain?staff={id}&lang=zh&period=2026-10"),
            b"",
        )
        .json();
    let cli_zh = kpi(
        dir.path(),
        &[
            "explain",
            input.to_str().unwrap(),
            "--staff",
            &id,
            "--lang",
            "zh",
            "--period",
            "2026-10",
        ],
    );
    assert_eq!(zh["text"].as_str().unwrap(), cli_zh.stdout);
    assert_eq!(
        served.call("GET", "/api/explain?staff=NOBODY", b"").status,
        404
    );

    // The uploads live in a private folder (0700) of this process, removed
    // when it stops as by Ctrl-C (exit 0).
    let private = served.private_folders();
    assert_eq!(private.len(), 1, "{private:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    let status = served.stop();
    assert!(status.success(), "{status:?}");
    assert!(
        !private[0].exists(),
        "the private folder is removed on exit"
    );
}

#[test]
fn refuses_without_token_wrong_host_bad_names_and_oversize() {
    let dir = scratch();
    let files = sample(dir.path(), "en");
    let out = dir.path().join("out");
    let served = Served::start(
        dir.path(),
        &["--out", out.to_str().unwrap(), "--max-file-size", "8KB"],
    );
    let before = tree(dir.path());

    // No token, a wrong one: 403 with a page that says what to do.
    for target in [
        "/",
        "/api/status",
        "/api/check",
        "/?token=0123456789abcdef0123456789abcdef",
    ] {
        let r = request(&served.addr, "GET", target, &[], b"");
        assert_eq!(r.status, 403, "{target}");
        assert!(r.text().contains("printed"), "{}", r.text());
    }
    let wrong_cookie = format!(
        "kpi_report_{}=0123456789abcdef0123456789abcdef",
        served.port
    );
    let r = request(
        &served.addr,
        "POST",
        "/api/run",
        &[("Cookie", &wrong_cookie)],
        b"",
    );
    assert_eq!(r.status, 403);

    // A Host that is not this computer's address: 403 even with the token.
    let token_header = ("X-Token", served.token.as_str());
    for host in [
        format!("evil.example:{}", served.port),
        format!("127.0.0.1.evil.example:{}", served.port),
        "127.0.0.1:1".to_owned(),
    ] {
        let r = request(
            &served.addr,
            "GET",
            "/api/status",
            &[("Host", &host), token_header],
            b"",
        );
        assert_eq!(r.status, 403, "{host}");
    }
    let ok = format!("localhost:{}", served.port);
    let r = request(
        &served.addr,
        "GET",
        "/api/status",
        &[("Host", &ok), token_header],
        b"",
    );
    assert_eq!(r.status, 200);
    // Another site's page (its Origin) is refused.
    let r = request(
        &served.addr,
        "DELETE",
        "/api/files",
        &[("Origin", "http://evil.example"), token_header],
        b"",
    );
    assert_eq!(r.status, 403);

    // Names that are not plain spreadsheet file names: 400, nothing written.
    for name in [
        "..%2F..%2Fescape.xlsx",
        "%2E%2E",
        "sub%2Fstaff.xlsx",
        "sub%5Cstaff.xlsx",
        ".hidden.xlsx",
        "nul%00.xlsx",
        "notes.txt",
        "%FF.xlsx",
    ] {
        let r = served.call("PUT", &format!("/api/files/{name}"), b"x");
        assert_eq!(r.status, 400, "{name}: {}", r.text());
        assert!(r.json()["error"].is_string());
    }
    // Over the reader's file size limit: 413.
    let big = vec![b'a'; 9000];
    let r = served.upload("big.csv", &big);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("--max-file-size")
    );
    let status = served.call("GET", "/api/status", b"").json();
    assert_eq!(status["files"], serde_json::json!([]), "nothing stored");
    assert_eq!(
        tree(dir.path()),
        before,
        "nothing written outside the private folder"
    );
    assert!(!out.exists());
    assert!(!dir.path().parent().unwrap().join("escape.xlsx").exists());

    // A body declared far past any memory: refused, and the server lives on.
    {
        use std::io::Write;
        let mut raw = std::net::TcpStream::connect(&served.addr).unwrap();
        let head = format!(
            "PUT /api/files/huge.xlsx HTTP/1.1\r\nHost: {}\r\nContent-Length: 10000000000000\r\n\r\nabc",
            served.addr
        );
        raw.write_all(head.as_bytes()).unwrap();
        raw.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut answer = [0u8; 12];
        raw.read_exact(&mut answer).unwrap();
        assert_eq!(&answer, b"HTTP/1.1 413");
    }
    assert_eq!(served.call("GET", "/api/status", b"").status, 200);

    // Nothing to download before a run; a run needs files.
    assert_eq!(served.call("GET", "/api/download.zip", b"").status, 404);
    assert_eq!(served.call("POST", "/api/run", b"").status, 400);
    // A file within the limit is taken.
    let (name, path) = files.iter().find(|(n, _)| n.starts_with("staff")).unwrap();
    assert_eq!(
        served.upload(name, &std::fs::read(path).unwrap()).status,
        200
    );
}

#[test]
fn a_second_run_while_one_is_busy_gets_409() {
    let dir = scratch();
    let files = sample(dir.path(), "en");
    let out = dir.path().join("out");
    let hold = dir.path().join("hold");
    std::fs::write(&hold, "").unwrap();
    let served = Served::start(
        dir.path(),
        &[
            "--out",
            out.to_str().unwrap(),
            "--hold-runs-while",
            hold.to_str().unwrap(),
        ],
    );
    for (name, path) in &files {
        assert_eq!(
            served.upload(name, &std::fs::read(path).unwrap()).status,
            200
        );
    }
    assert_eq!(served.call("POST", "/api/run", b"").status, 202);
    // The first run waits on the hold file: it is certainly still running.
    let second = served.call("POST", "/api/run", b"");
    assert_eq!(second.status, 409);
    assert_eq!(second.json()["busy"], true);
    assert!(second.json()["error"].as_str().unwrap().contains("busy"));
    // Nor can the files change under it.
    assert_eq!(served.upload("late.csv", b"a,b\n").status, 409);
    assert_eq!(
        served.call("GET", "/api/progress", b"").json()["state"],
        "running"
    );
    std::fs::remove_file(&hold).unwrap();
    let result = served.wait_run();
    assert_eq!(result["exit_code"], 0, "{result}");
    // Free again.
    assert_eq!(served.call("POST", "/api/run", b"").status, 202);
    assert_eq!(served.wait_run()["exit_code"], 0);
}

#[test]
fn the_plan_file_is_read_again_for_every_run() {
    let dir = scratch();
    let files = sample(dir.path(), "en");
    let input = files[0].1.parent().unwrap().to_path_buf();
    let plan = dir.path().join("plan.toml");
    let standard = kpi(dir.path(), &["plan", "show"]).stdout;
    std::fs::write(&plan, &standard).unwrap();
    let out = dir.path().join("out");
    let served = Served::start(
        dir.path(),
        &[
            "--out",
            out.to_str().unwrap(),
            "--plan",
            plan.to_str().unwrap(),
        ],
    );
    for (name, path) in &files {
        assert_eq!(
            served.upload(name, &std::fs::read(path).unwrap()).status,
            200
        );
    }
    // The plan is edited while the page is open: the run uses the edit,
    // exactly as `run --plan` does with the same file.
    let renamed = standard.replace(
        "name = \"Standard sales plan\"",
        "name = \"Edited sales plan\"",
    );
    assert_ne!(renamed, standard);
    std::fs::write(&plan, &renamed).unwrap();
    assert_eq!(served.call("POST", "/api/run", b"").status, 202);
    assert_eq!(served.wait_run()["exit_code"], 0);
    let reference = dir.path().join("reference");
    kpi(
        dir.path(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            reference.to_str().unwrap(),
            "--plan",
            plan.to_str().unwrap(),
            "-q",
        ],
    )
    .expect_code(0);
    let mut written = tree(&out);
    written.remove(Path::new(".kpi-report"));
    let mut expected = tree(&reference);
    expected.remove(Path::new(".kpi-report"));
    assert_eq!(written, expected);
    let en = served.call("GET", "/api/explain?staff=S001", b"").json();
    assert!(
        en["text"].as_str().unwrap().contains("Edited sales plan"),
        "{en}"
    );

    // A broken plan: check says why, a run writes nothing (exit 1).
    std::fs::write(&plan, "format = 1\nname = \n").unwrap();
    let check = served.call("GET", "/api/check", b"");
    assert_eq!(check.status, 422);
    assert!(
        check.json()["error"]
            .as_str()
            .unwrap()
            .contains("plan.toml"),
        "{}",
        check.text()
    );
    assert_eq!(served.call("POST", "/api/run", b"").status, 202);
    let failed = served.wait_run();
    assert_eq!(failed["exit_code"], 1, "{failed}");
    assert!(
        failed["error"].as_str().unwrap().contains("plan.toml"),
        "{failed}"
    );
    let mut after = tree(&out);
    after.remove(Path::new(".kpi-report"));
    assert_eq!(after, expected, "the reports are unchanged");
}

#[test]
fn the_pdf_box_is_run_pdf() {
    let soffice = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !crate::common::available(soffice, "LibreOffice (soffice)") {
        return;
    }
    let dir = scratch();
    let input = dir.path().join("in");
    kpi(
        dir.path(),
        &[
            "sample",
            "--out",
            input.to_str().unwrap(),
            "--staff",
            "6",
            "--months",
            "1",
        ],
    )
    .expect_code(0);
    let out = dir.path().join("out");
    let served = Served::start(dir.path(), &["--out", out.to_str().unwrap()]);
    let status = served.call("GET", "/api/status", b"").json();
    assert_eq!(status["pdf_available"], true, "{status}");
    for entry in std::fs::read_dir(&input).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            served.upload(&name, &std::fs::read(&path).unwrap()).status,
            200
        );
    }
    assert_eq!(served.call("POST", "/api/run?pdf=1", b"").status, 202);
    let result = served.wait_run();
    assert_eq!(result["exit_code"], 0, "{result}");
    let reference = dir.path().join("reference");
    kpi(
        dir.path(),
        &[
            "run",
            input.to_str().unwrap(),
            "--out",
            reference.to_str().unwrap(),
            "--pdf",
            "-q",
        ],
    )
    .expect_code(0);
    // The same files (PDFs carry their creation time, so names, not bytes).
    let listed: Vec<PathBuf> = result["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| PathBuf::from(f["path"].as_str().unwrap()))
        .collect();
    let mut expected: Vec<PathBuf> = tree(&reference).into_keys().collect();
    expected.retain(|p| p != Path::new(".kpi-report"));
    assert_eq!(listed, expected);
    let pdf = listed
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a PDF");
    let target: Vec<String> = pdf
        .iter()
        .map(|part| encode(&part.to_string_lossy()))
        .collect();
    let got = served.call("GET", &format!("/api/download/{}", target.join("/")), b"");
    assert_eq!(got.status, 200);
    assert!(got.body.starts_with(b"%PDF"));
    assert_eq!(got.header("Content-Type"), Some("application/pdf"));
}
