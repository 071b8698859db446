//! `kpi-report serve` in a real browser: headless Chromium driven through
//! chromedriver's WebDriver HTTP API (the tests' tiny HTTP client and
//! serde_json). Picks the sample workbooks in the page's file input, sees
//! the issue table, runs, downloads the zip and compares it with `run` on
//! the same inputs; then the same in Chinese.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::available;
use crate::common::http::request;
use crate::serve::{Served, reference_run, sample, unzip};
use crate::util::scratch;

/// The WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

struct Driver {
    child: Child,
    addr: String,
    session: String,
}

impl Driver {
    /// Chromium with a fresh profile, speaking `lang` (e.g. `en-US`).
    fn start(
        chromium: &Path,
        chromedriver: &Path,
        profile: &Path,
        downloads: &Path,
        lang: &str,
    ) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .env("LANGUAGE", lang.replace('-', "_"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = format!("127.0.0.1:{port}");
        let start = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromedriver did not listen"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut driver = Driver {
            child,
            addr,
            session: String::new(),
        };
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1100,1300",
                    format!("--lang={lang}"),
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {
                    "intl.accept_languages": lang,
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "safebrowsing.enabled": false,
                },
            },
        }}});
        let created = driver.post("/session", &caps);
        driver.session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        driver
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let bytes = body
            .map(|b| serde_json::to_vec(b).unwrap())
            .unwrap_or_default();
        let r = request(
            &self.addr,
            method,
            path,
            &[("Content-Type", "application/json; charset=utf-8")],
            &bytes,
        );
        let v = r.json();
        assert!(r.status < 300, "{method} {path}: {} {v}", r.status);
        v
    }

    fn post(&self, path: &str, body: &Value) -> Value {
        self.call("POST", path, Some(body))
    }

    fn s(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session)
    }

    fn goto(&self, url: &str) {
        self.post(&self.s("/url"), &json!({ "url": url }));
    }

    fn element(&self, css: &str) -> String {
        let v = self.post(
            &self.s("/element"),
            &json!({ "using": "css selector", "value": css }),
        );
        v["value"][ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{css}: {v}"))
            .to_owned()
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.post(&self.s(&format!("/element/{id}/click")), &json!({}));
    }

    fn send_files(&self, css: &str, paths: &[PathBuf]) {
        let id = self.element(css);
        let text: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        self.post(
            &self.s(&format!("/element/{id}/value")),
            &json!({ "text": text.join("\n") }),
        );
    }

    fn script(&self, code: &str) -> Value {
        self.post(
            &self.s("/execute/sync"),
            &json!({ "script": code, "args": [] }),
        )["value"]
            .clone()
    }

    /// Waits until `code` returns something truthy; returns it.
    fn wait_for(&self, what: &str, code: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.script(code);
            if !(v.is_null() || v == json!(false) || v == json!(0) || v == json!("")) {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "waited for {what}"
            );
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    fn screenshot(&self, to: &Path) {
        let v = self.call("GET", &self.s("/screenshot"), None);
        let png = base64_decode(v["value"].as_str().expect("base64"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(to, png).unwrap();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(
                &self.addr,
                "DELETE",
                &format!("/session/{}", self.session),
                &[],
                b"",
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// Waits for a finished download (`name` there, no partial file left).
fn downloaded(dir: &Path, name: &str) -> Vec<u8> {
    let start = Instant::now();
    loop {
        let partial = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
            })
            .unwrap_or(false);
        let path = dir.join(name);
        if path.is_file() && !partial {
            return std::fs::read(path).unwrap();
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no download of {name} in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(150));
    }
}

#[test]
fn the_page_in_headless_chromium_checks_runs_and_downloads_in_both_languages() {
    let chromium = ["/usr/lib/chromium/chromium"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| which("chromium"))
        .or_else(|| which("chromium-browser"));
    let chromedriver = which("chromedriver");
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        available(false, "chromium and chromedriver");
        return;
    };
    let dir = scratch();
    let profile = dir.path().join("profile");
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve");
    std::fs::create_dir_all(&shots).unwrap();

    // A relative --out, as HR would type it (the page shows it as given).
    let served = Served::start(dir.path(), &["--out", "reports"]);
    let driver = Driver::start(&chromium, &chromedriver, &profile, &downloads, "en-US");
    driver.goto(&served.url);
    driver.wait_for(
        "the page",
        "return document.getElementById('version').textContent",
    );
    // The token left the address bar (it lives in the cookie).
    let href = driver
        .script("return location.href")
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!href.contains("token"), "{href}");
    driver.script("localStorage.clear(); const s = document.getElementById('lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); return 1");

    for (lang, run_word, exit_word, kind_word) in [
        ("en", "Run", "Exit 0", "roster"),
        ("zh", "运行", "退出码 0", "花名册"),
    ] {
        if lang == "zh" {
            driver.script("const s = document.getElementById('lang'); s.value = 'zh'; s.dispatchEvent(new Event('change')); return 1");
            driver.click("#clear");
            driver.wait_for(
                "an empty list",
                "return document.querySelectorAll('#issues tbody tr').length === 0",
            );
        }
        assert_eq!(
            driver.script("return document.getElementById('run').textContent"),
            run_word
        );
        let files: Vec<PathBuf> = sample(dir.path(), lang)
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        let input = files[0].parent().unwrap().to_path_buf();
        driver.send_files("#files", &files);
        // The issue table: the sample's notes (columns the plan does not use).
        let rows = driver.wait_for(
            "the issue table",
            "return document.querySelectorAll('#issues tbody tr').length",
        );
        assert!(rows.as_u64().unwrap() > 0);
        let summary = driver.script("return document.getElementById('summary').textContent");
        let summary = summary.as_str().unwrap();
        assert!(
            summary.contains("2026-10") && summary.contains(kind_word),
            "{summary}"
        );
        let table = driver.script("return document.getElementById('issues').textContent");
        let table = table.as_str().unwrap();
        if lang == "zh" {
            assert!(
                table.contains("提示") && table.contains("单元格"),
                "{table}"
            );
        }
        // Filter by severity: errors only (the sample has none).
        driver.script("const s = document.getElementById('filter-severity'); s.value = 'error'; s.dispatchEvent(new Event('change')); return 1");
        assert_eq!(
            driver.script("return document.querySelectorAll('#issues tbody tr').length"),
            0
        );
        driver.script("const s = document.getElementById('filter-severity'); s.value = ''; s.dispatchEvent(new Event('change')); return 1");

        driver.click("#run");
        let exit = driver.wait_for(
            "the run's end",
            "const e = document.getElementById('exit'); return !document.getElementById('result').hidden && e.textContent",
        );
        assert!(exit.as_str().unwrap().starts_with(exit_word), "{exit}");
        // A person's calculation: search, pick the person found, see the trail.
        driver.script(
            "const s = document.getElementById('search'); s.value = 'S003'; s.dispatchEvent(new Event('input')); return 1",
        );
        driver.wait_for(
            "a person found",
            "return document.querySelectorAll('#people button').length",
        );
        driver.click("#people button");
        let trail = driver.wait_for(
            "the trail",
            "return document.getElementById('trail').textContent",
        );
        let trail = trail.as_str().unwrap();
        assert!(trail.contains("S003"), "{trail}");
        assert!(
            trail.contains(if lang == "zh" { "各项指标" } else { "KPIs" }),
            "{trail}"
        );
        driver.script("window.scrollTo(0, 0); return 1");
        let shot = shots.join(format!("page-{lang}.png"));
        driver.screenshot(&shot);

        let _ = std::fs::remove_file(downloads.join("reports.zip"));
        driver.click("#zip");
        let zip = downloaded(&downloads, "reports.zip");
        // The reference follows the page's steps into one folder: the
        // Chinese run lands over the English one (and lists its Changes).
        let reference = reference_run(dir.path(), &input, lang, "reference");
        assert_eq!(
            unzip(&zip),
            reference,
            "{lang}: the zip holds what run writes"
        );
    }
    drop(driver);

    // A browser set to Chinese opens the page in Chinese, with the last
    // run's result in words.
    let zh = Driver::start(
        &chromium,
        &chromedriver,
        &dir.path().join("profile-zh"),
        &downloads,
        "zh-CN",
    );
    zh.goto(&served.url);
    zh.wait_for(
        "the page",
        "return document.getElementById('version').textContent",
    );
    let language = zh.script("return navigator.language");
    assert!(language.as_str().unwrap().starts_with("zh"), "{language}");
    assert_eq!(
        zh.script("return document.getElementById('run').textContent"),
        "运行"
    );
    let exit = zh.wait_for(
        "the last run",
        "return !document.getElementById('result').hidden && document.getElementById('exit').textContent",
    );
    assert!(exit.as_str().unwrap().starts_with("退出码 0"), "{exit}");
}
