//! The page's requests: every one is checked (Host, then token) before it
//! is routed; the answers are the engine's documents as JSON.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{Value, json};
use tiny_http::{Header, Method, Request, Response, ResponseBox};

use super::guard::{self, check_name, percent_decode, query_param, split_url};
use super::state::{Finished, RunState, State, lock};
use crate::cli::check::check_code;
use crate::cli::run_json;
use crate::config::{RunConfig, pdf_converter};
use crate::engine;
use crate::hash::sha256_hex;
use crate::lang::Lang;
use crate::plan::Plan;
use crate::progress::Progress;
use crate::report::Split;
use crate::report::pdf::Converter;
use crate::score::Evaluation;

/// Files one page may upload. The reader has no count of its own: this
/// keeps a folder far larger than any month's (and its checks) from
/// filling the disk; each file is capped by `--max-file-size`.
pub const MAX_FILES: usize = 1000;

const INDEX_HTML: &str = include_str!("page/index.html");
const PAGE_CSS: &str = include_str!("page/page.css");
const PAGE_JS: &str = include_str!("page/page.js");

/// Answers one request.
pub fn handle(state: &Arc<State>, mut request: Request) {
    // A body declared far over any upload allowed is refused before
    // anything else, and the connection is let go of without reading the
    // body: the HTTP library would otherwise set aside memory for all of
    // the declared length when the request ends (enough to stop the
    // program for a length past the machine's memory). The connection's
    // resources stay taken until the program ends; only a client that
    // declares a body larger than any allowed does this.
    let cap = state.limits.max_file_size.saturating_add(DECLARED_MARGIN);
    if request.body_length().is_some_and(|n| n as u64 > cap) {
        let refused = error(
            413,
            "the request is larger than any file the page takes",
            "请求大于页面可接收的任何文件",
        );
        std::mem::forget(request.upgrade("close", refused));
        return;
    }
    let response = route(state, &mut request);
    let _ = request.respond(response);
}

/// What a declared body may pass `--max-file-size` by before the request
/// is refused unread (an upload just over the limit is read and answered
/// normally, naming the limit).
const DECLARED_MARGIN: u64 = 64 * 1024 * 1024;

fn header<'a>(request: &'a Request, name: &'static str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

fn route(state: &Arc<State>, request: &mut Request) -> ResponseBox {
    let host = header(request, "Host").map(str::to_owned);
    if !guard::host_allowed(host.as_deref(), state.bind, state.port) {
        return refused(
            &format!(
                "This address ({}) does not name this computer. Open the address that kpi-report serve printed.",
                host.as_deref().unwrap_or("no Host header")
            ),
            "此地址不是本机地址。请打开 kpi-report serve 打印出的地址。",
        );
    }
    let url = request.url().to_owned();
    let (path, query) = split_url(&url);
    let by_query = query_param(query, "token");
    let presented = [
        by_query.as_deref(),
        header(request, "Cookie").and_then(|c| guard::token_in_cookies(c, state.port)),
        header(request, "X-Token"),
    ];
    if !presented
        .iter()
        .flatten()
        .any(|t| guard::same_token(t, &state.token))
    {
        return refused(
            "This page needs the address that kpi-report serve printed, with its token. Open that address; if it is lost, stop kpi-report serve (Ctrl-C) and start it again.",
            "此页面需要 kpi-report serve 打印出的完整地址（含令牌）。请打开该地址；如已丢失，请停止 kpi-report serve（Ctrl-C）后重新启动。",
        );
    }
    // A request sent by a page of another origin (which cannot have the
    // token anyway) is refused outright.
    if let (Some(origin), Some(host)) = (header(request, "Origin"), host.as_deref())
        && origin != format!("http://{host}")
    {
        return refused(
            "This request came from another web site.",
            "此请求来自其他网站。",
        );
    }
    let lang = match query_param(query, "lang").as_deref() {
        Some("zh") => Lang::Zh,
        _ => Lang::En,
    };
    let method = request.method().clone();
    let response = match (&method, path) {
        (Method::Get, "/") => {
            let mut r = asset(INDEX_HTML, "text/html; charset=utf-8");
            if by_query.is_some() {
                let cookie = format!(
                    "{}={}; Path=/; HttpOnly; SameSite=Strict",
                    guard::cookie_name(state.port),
                    state.token
                );
                add(&mut r, "Set-Cookie", &cookie);
            }
            r
        }
        (Method::Get, "/page.css") => asset(PAGE_CSS, "text/css; charset=utf-8"),
        (Method::Get, "/page.js") => asset(PAGE_JS, "text/javascript; charset=utf-8"),
        (Method::Get, "/api/status") => status(state),
        (Method::Put, p) if p.starts_with("/api/files/") => {
            upload(state, request, &p["/api/files/".len()..])
        }
        (Method::Delete, "/api/files") => clear(state),
        (Method::Get, "/api/check") => check(state),
        (Method::Post, "/api/run") => start_run(state, query, lang),
        (Method::Get, "/api/progress") => progress(state),
        (Method::Get, "/api/download.zip") => download_zip(state),
        (Method::Get, p) if p.starts_with("/api/download/") => {
            download(state, &p["/api/download/".len()..])
        }
        (Method::Get, "/api/people") => people(state, query),
        (Method::Get, "/api/explain") => explain(state, query, lang),
        _ => error(404, "no such page", "没有此页面"),
    };
    with_safety_headers(response)
}

/// Headers on every answer: nothing is cached, nothing is loaded from
/// elsewhere, the page is never framed, the address (token) is never sent on.
fn with_safety_headers(mut r: ResponseBox) -> ResponseBox {
    for (k, v) in [
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
        ),
    ] {
        add(&mut r, k, v);
    }
    r
}

fn add(r: &mut ResponseBox, name: &str, value: &str) {
    if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        r.add_header(h);
    }
}

fn asset(text: &'static str, kind: &str) -> ResponseBox {
    let mut r = Response::from_data(text.as_bytes()).boxed();
    add(&mut r, "Content-Type", kind);
    r
}

fn json_response(code: u16, doc: &Value) -> ResponseBox {
    let body = serde_json::to_vec(doc).unwrap_or_default();
    let mut r = Response::from_data(body).with_status_code(code).boxed();
    add(&mut r, "Content-Type", "application/json; charset=utf-8");
    r
}

/// A JSON error in both languages; the page shows the one it speaks.
fn error(code: u16, en: &str, zh: &str) -> ResponseBox {
    json_response(code, &json!({ "error": en, "error_zh": zh }))
}

/// The small page of a refused request (403).
fn refused(en: &str, zh: &str) -> ResponseBox {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>kpi-report: 403</title></head><body><h1>403</h1><p>{}</p><p lang=\"zh\">{}</p></body></html>",
        esc(en),
        esc(zh)
    );
    let mut r = Response::from_data(html.into_bytes())
        .with_status_code(403)
        .boxed();
    add(&mut r, "Content-Type", "text/html; charset=utf-8");
    r
}

fn busy() -> ResponseBox {
    json_response(
        409,
        &json!({
            "busy": true,
            "error": "busy: a run is in progress; wait until it ends",
            "error_zh": "忙：正在运行，请等待其结束",
        }),
    )
}

fn status(state: &State) -> ResponseBox {
    let files: Vec<Value> = state
        .uploads()
        .into_iter()
        .map(|(name, bytes)| json!({ "name": name, "bytes": bytes }))
        .collect();
    json_response(
        200,
        &json!({
            "version": crate::cli::VERSION,
            "out": state.out.display().to_string(),
            "pdf_available": state.pdf_available,
            "files": files,
            "running": state.is_running(),
            "limits": {
                "max_file_size": state.limits.max_file_size,
                "max_files": MAX_FILES,
            },
        }),
    )
}

fn upload(state: &State, request: &mut Request, raw: &str) -> ResponseBox {
    let Some(name) = percent_decode(raw) else {
        return error(
            400,
            "the file name is not valid text; rename the file",
            "文件名不是有效文本；请重命名文件",
        );
    };
    if let Err(bad) = check_name(&name) {
        return error(400, &bad.en, &bad.zh);
    }
    if state.is_running() {
        return busy();
    }
    let limit = state.limits.max_file_size;
    let too_large = |size: String| {
        error(
            413,
            &format!(
                "'{name}': {size} bytes is over the {limit}-byte limit; split the file, or start kpi-report serve with a larger --max-file-size"
            ),
            &format!(
                "“{name}”：{size} 字节，超过 {limit} 字节的上限；请拆分文件，或用更大的 --max-file-size 启动 kpi-report serve"
            ),
        )
    };
    if let Some(len) = request.body_length()
        && len as u64 > limit
    {
        return too_large(len.to_string());
    }
    let uploads = state.uploads();
    if uploads.len() >= MAX_FILES && !uploads.iter().any(|(n, _)| *n == name) {
        return error(
            413,
            &format!(
                "already {MAX_FILES} files, the most one page takes; clear the list or remove files you do not need"
            ),
            &format!("已有 {MAX_FILES} 个文件，达到上限；请清空列表或删除不需要的文件"),
        );
    }
    let n = state.next_partial.fetch_add(1, Ordering::SeqCst);
    let part = state.partial.join(format!("{n}.part"));
    let received = receive(request.as_reader(), &part, limit);
    let size = match received {
        Ok(size) if size <= limit => size,
        Ok(_) => {
            let _ = std::fs::remove_file(&part);
            return too_large(format!("more than {limit}"));
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return error(
                400,
                &format!("'{name}': the upload broke off ({e}); drop the file again"),
                &format!("“{name}”：上传中断（{e}）；请重新拖入文件"),
            );
        }
    };
    let _w = state
        .files
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Err(e) = std::fs::rename(&part, state.inbox.join(&name)) {
        let _ = std::fs::remove_file(&part);
        return error(
            500,
            &format!("'{name}': cannot be stored: {e}"),
            &format!("“{name}”：无法保存：{e}"),
        );
    }
    state.bump();
    json_response(200, &json!({ "name": name, "bytes": size }))
}

/// Copies at most `limit + 1` bytes of the body into a new file at `path`
/// and returns how many were read (more than `limit`: too large).
fn receive(body: &mut dyn Read, path: &Path, limit: u64) -> std::io::Result<u64> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let n = std::io::copy(&mut body.take(limit.saturating_add(1)), &mut file)?;
    file.flush()?;
    Ok(n)
}

fn clear(state: &State) -> ResponseBox {
    if state.is_running() {
        return busy();
    }
    let _w = state
        .files
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (name, _) in state.uploads() {
        let _ = std::fs::remove_file(state.inbox.join(name));
    }
    state.bump();
    json_response(200, &json!({ "files": [] }))
}

/// `check`'s document for the uploads, with its exit code and the error
/// that would stop a run, if any.
fn check(state: &State) -> ResponseBox {
    let _r = state
        .files
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let plan = match state.plan() {
        Ok((plan, _)) => plan,
        Err(e) => return error(422, &e.to_string(), &e.to_string()),
    };
    match engine::check::check(&state.inbox, &plan, &state.limits, state.jobs) {
        Ok((eval, fatal)) => {
            let mut doc = engine::check::json_report(&eval);
            if let Some(map) = doc.as_object_mut() {
                map.insert(
                    "exit_code".into(),
                    json!(check_code(fatal.as_ref(), eval.issue_count())),
                );
                map.insert("error".into(), json!(fatal.map(|e| e.to_string())));
            }
            json_response(200, &doc)
        }
        Err(e) => error(500, &e.to_string(), &e.to_string()),
    }
}

fn run_config(state: &State, plan: Plan, lang: Lang, pdf: Option<Converter>) -> RunConfig {
    RunConfig {
        input: state.inbox.clone(),
        out: state.out.clone(),
        plan,
        lang,
        split: Split::Manager,
        strict: false,
        wait: false,
        force: false,
        limits: state.limits,
        pdf,
        jobs: state.jobs,
        keep_vanished: false,
        // Reopening a paid month is a decision with a reason and a name:
        // it stays on the command line (`run --reopen P --reason ...`).
        reopen: None,
    }
}

fn start_run(state: &Arc<State>, query: &str, lang: Lang) -> ResponseBox {
    let pdf = if query_param(query, "pdf").as_deref() == Some("1") {
        match pdf_converter(true) {
            Ok(c) => c,
            Err(e) => return error(400, &e.to_string(), &e.to_string()),
        }
    } else {
        None
    };
    if state.uploads().is_empty() {
        return error(
            400,
            "no workbooks yet: drop the month's workbooks on the page first",
            "还没有工作簿：请先把本月的工作簿拖到页面上",
        );
    }
    {
        let mut run = lock(&state.run);
        if matches!(*run, RunState::Running) {
            return busy();
        }
        *run = RunState::Running;
    }
    state.tracker.reset();
    let st = Arc::clone(state);
    std::thread::spawn(move || {
        let finished = run_now(&st, lang, pdf);
        *lock(&st.run) = RunState::Done(finished);
    });
    json_response(202, &json!({ "started": true }))
}

/// The run itself: the engine's `execute_with`, as `run --json` calls it,
/// and its document.
fn run_now(state: &State, lang: Lang, pdf: Option<Converter>) -> Finished {
    if let Some(hold) = &state.hold {
        while hold.exists() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _r = state
        .files
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let plan = match state.plan() {
        Ok((plan, _)) => plan,
        Err(e) => return Finished::new(run_json::failure(&e, None)),
    };
    let config = run_config(state, plan, lang, pdf);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        engine::execute_with(&config, Progress::to(state.tracker), |_| {})
    }));
    let doc = match result {
        Ok(Ok(outcome)) => run_json::document(&outcome, &config.out)
            .unwrap_or_else(|e| run_json::failure(&e, None)),
        Ok(Err(e)) => run_json::failure(&e, None),
        Err(_) => json!({
            "exit_code": 1,
            "error": "internal error: the run stopped unexpectedly; the output folder was not changed",
            "files": [],
        }),
    };
    Finished::new(doc)
}

fn progress(state: &State) -> ResponseBox {
    let phase = state.tracker.get();
    let doc = match &*lock(&state.run) {
        RunState::Idle => json!({ "state": "idle" }),
        RunState::Running => json!({
            "state": "running",
            "phase": phase.label,
            "done": phase.done,
            "total": phase.total,
        }),
        RunState::Done(f) => json!({ "state": "done", "result": f.doc }),
    };
    json_response(200, &doc)
}

/// The last run's files, or None before any.
fn last_run(state: &State) -> Option<Finished> {
    match &*lock(&state.run) {
        RunState::Done(f) => Some(f.clone()),
        _ => None,
    }
}

/// A file the last run wrote, read back and checked against the SHA-256
/// the run recorded: a file changed since is never served as the run's.
fn read_listed(state: &State, rel: &str, sha: &str) -> Result<Vec<u8>, ResponseBox> {
    let bytes = std::fs::read(state.out.join(rel)).map_err(|e| {
        error(
            410,
            &format!("{rel}: cannot be read from the output folder ({e}); run again"),
            &format!("{rel}：无法从输出文件夹读取（{e}）；请重新运行"),
        )
    })?;
    if sha256_hex(&bytes) != sha {
        return Err(error(
            409,
            &format!("{rel}: changed in the output folder since the run; run again"),
            &format!("{rel}：运行之后输出文件夹中的此文件已被改动；请重新运行"),
        ));
    }
    Ok(bytes)
}

fn no_run() -> ResponseBox {
    error(
        404,
        "no run yet: press Run first",
        "尚未运行：请先点击“运行”",
    )
}

fn download(state: &State, raw: &str) -> ResponseBox {
    let Some(rel) = percent_decode(raw) else {
        return error(404, "not a file of the last run", "不是上次运行写出的文件");
    };
    let Some(run) = last_run(state) else {
        return no_run();
    };
    let Some((path, sha)) = run.files.iter().find(|(p, _)| *p == rel) else {
        return error(404, "not a file of the last run", "不是上次运行写出的文件");
    };
    let bytes = match read_listed(state, path, sha) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    attachment(bytes, name)
}

/// Every file of the last run in one zip, under the paths the run wrote
/// them at.
fn download_zip(state: &State) -> ResponseBox {
    let Some(run) = last_run(state) else {
        return no_run();
    };
    if run.files.is_empty() {
        return error(404, "the last run wrote nothing", "上次运行没有写出文件");
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (path, sha) in &run.files {
        let bytes = match read_listed(state, path, sha) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let written = zip
            .start_file(path.as_str(), options)
            .map_err(std::io::Error::other)
            .and_then(|()| zip.write_all(&bytes));
        if let Err(e) = written {
            return error(
                500,
                &format!("cannot build the zip: {e}"),
                &format!("无法生成压缩包：{e}"),
            );
        }
    }
    match zip.finish() {
        Ok(cursor) => attachment(cursor.into_inner(), "reports.zip"),
        Err(e) => error(
            500,
            &format!("cannot build the zip: {e}"),
            &format!("无法生成压缩包：{e}"),
        ),
    }
}

fn attachment(bytes: Vec<u8>, name: &str) -> ResponseBox {
    let kind = match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
        Some(e) if e == "xlsx" => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        Some(e) if e == "csv" => "text/csv; charset=utf-8",
        Some(e) if e == "pdf" => "application/pdf",
        Some(e) if e == "json" => "application/json",
        Some(e) if e == "zip" => "application/zip",
        _ => "application/octet-stream",
    };
    // Header values are ASCII: an ASCII stand-in, and the real name encoded.
    let plain: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut r = Response::from_data(bytes).boxed();
    add(&mut r, "Content-Type", kind);
    add(
        &mut r,
        "Content-Disposition",
        &format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}"),
    );
    r
}

/// The uploads read and scored as a run reads them (an unreadable file
/// stops it, as it stops `run` and `explain`), kept until they change.
fn evaluation(state: &State) -> Result<(Plan, Arc<Evaluation>), crate::error::Error> {
    let _r = state
        .files
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let generation = state.generation.load(Ordering::SeqCst);
    let (plan, key) = state.plan()?;
    if let Some((g, k, eval)) = &*lock(&state.evaluated)
        && *g == generation
        && *k == key
    {
        return Ok((plan, Arc::clone(eval)));
    }
    let config = run_config(state, plan, Lang::En, None);
    let eval = Arc::new(engine::evaluate(
        &config,
        Progress::hidden(),
        &mut crate::timings::Timings::new(),
    )?);
    *lock(&state.evaluated) = Some((generation, key, Arc::clone(&eval)));
    Ok((config.plan, eval))
}

/// People whose staff id or name contains the search text (any case), and
/// the periods that can be explained.
fn people(state: &State, query: &str) -> ResponseBox {
    let eval = match evaluation(state) {
        Ok((_, e)) => e,
        Err(e) => return error(422, &e.to_string(), &e.to_string()),
    };
    let wanted = query_param(query, "q")
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let found: Vec<Value> = eval
        .input
        .dataset
        .people
        .iter()
        .filter(|p| {
            wanted.is_empty()
                || p.staff_id.to_lowercase().contains(&wanted)
                || p.name.to_lowercase().contains(&wanted)
        })
        .take(50)
        .map(|p| json!({ "staff_id": p.staff_id, "name": p.name, "department": p.department }))
        .collect();
    let periods: Vec<String> = eval.periods.iter().map(|p| p.period.folder()).collect();
    json_response(200, &json!({ "people": found, "periods": periods }))
}

/// One person's trail, rendered by the engine's explain renderer.
fn explain(state: &State, query: &str, lang: Lang) -> ResponseBox {
    let (plan, eval) = match evaluation(state) {
        Ok(found) => found,
        Err(e) => return error(422, &e.to_string(), &e.to_string()),
    };
    let staff = query_param(query, "staff").unwrap_or_default();
    let period = match query_param(query, "period").filter(|p| !p.is_empty()) {
        None => None,
        Some(text) => match crate::period::parse_period(&text) {
            Some(p) => Some(p),
            None => {
                return error(
                    400,
                    &format!("'{text}' is not a period (a month such as 2026-10, or ytd-2026)"),
                    &format!("“{text}”不是期间（如 2026-10 或 ytd-2026）"),
                );
            }
        },
    };
    match crate::report::explain::explain(&plan, &eval, &staff, period, lang) {
        Ok(ex) => json_response(
            200,
            &json!({
                "staff_id": ex.staff_id,
                "period": ex.period.to_string(),
                "text": ex.to_string(),
            }),
        ),
        Err(e) => error(404, &e.to_string(), &e.to_string()),
    }
}
