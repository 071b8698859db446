//! `kpi-report serve`: the month's work on a web page, for HR staff who do
//! not use a terminal. A second front end on the engine, beside the
//! command line: the page uploads workbooks into a private folder, shows
//! what `check` finds (the engine's [`crate::engine::check`] document),
//! runs the engine into `--out` exactly as `run` does (the `run --json`
//! document), serves the files the run lists, and renders a person's
//! trail with the engine's explain renderer. Nothing is computed here.
//!
//! Safe by default: loopback only unless `--bind` says otherwise (with a
//! warning); a random token in the printed address, then kept in an
//! HttpOnly, SameSite=Strict cookie, is needed by every request; the Host
//! header must name this server by address ([`guard::host_allowed`]);
//! uploads are checked by name and size; one run at a time.

mod args;
mod guard;
mod handlers;
mod state;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

pub use args::ServeArgs;

use crate::cli::{EXIT_OK, settings};
use crate::config::{load_plan, pdf_converter};
use crate::error::Error;
use crate::input::Limits;
use state::{RunState, State, TempRoot, Tracker};

/// Threads answering requests (a long upload or download holds one).
const WORKERS: usize = 6;

/// Runs the server until Ctrl-C (or SIGTERM); the uploads are removed on
/// the way out, after a run in progress has finished.
///
/// # Errors
/// A bad plan, or when the address cannot be listened on.
pub fn command(args: &ServeArgs) -> Result<u8, Error> {
    // Checked now, so that a bad plan stops the page before it starts; read
    // again for each check, run and trail.
    load_plan(args.plan.as_deref())?;
    let limits = Limits {
        period: args.period,
        ..settings::limits(args.max_file_size)
    };
    let addr = SocketAddr::new(args.bind, args.port);
    let server = tiny_http::Server::http(addr)
        .map_err(|e| Error::Output(format!("cannot listen on {addr}: {e}")))?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let token = guard::new_token().map_err(Error::Output)?;
    let root = TempRoot::new(&token).map_err(Error::Output)?;
    let inbox = root.path().join("inbox");
    let partial = root.path().join("partial");
    for dir in [&inbox, &partial] {
        std::fs::create_dir(dir)
            .map_err(|e| Error::Output(format!("cannot create {}: {e}", dir.display())))?;
    }
    let tracker: &'static Tracker = Box::leak(Box::default());
    let state = Arc::new(State {
        token,
        port,
        bind: args.bind,
        inbox,
        partial,
        out: args.out.clone(),
        plan_path: args.plan.clone(),
        limits,
        jobs: args.jobs,
        pdf_available: pdf_converter(true).is_ok(),
        hold: args.hold_runs_while.clone(),
        files: RwLock::new(()),
        generation: AtomicU64::new(0),
        next_partial: AtomicU64::new(0),
        run: Mutex::new(RunState::Idle),
        tracker,
        evaluated: Mutex::new(None),
    });

    let host = if args.bind.is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        match args.bind {
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            std::net::IpAddr::V4(ip) => ip.to_string(),
        }
    };
    let url = format!("http://{host}:{port}/?token={}", state.token);
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, not only on this computer: other machines on the network can reach the page (they still need the token); use --bind 127.0.0.1 unless that is meant",
            args.bind
        );
    }
    // The address alone on stdout (scripts and tests read it); the rest on stderr.
    println!("{url}");
    let _ = std::io::stdout().flush();
    eprintln!(
        "kpi-report serve: open the address above in a browser (it works only with its token).\nReports are written to {}. Ctrl-C stops the page and deletes the uploaded copies.",
        args.out.display()
    );
    if !args.no_open {
        open_browser(&url);
    }

    let server = Arc::new(server);
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        let server = Arc::clone(&server);
        ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
            server.unblock();
        })
        .map_err(|e| Error::Output(format!("cannot catch Ctrl-C: {e}")))?;
    }
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match server.recv_timeout(Duration::from_millis(300)) {
                        Ok(Some(request)) => handlers::handle(&state, request),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    if state.is_running() {
        eprintln!("kpi-report serve: waiting for the run in progress to finish");
        while state.is_running() {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    drop(root);
    eprintln!("kpi-report serve: stopped; the uploaded copies are deleted");
    Ok(EXIT_OK)
}

/// Opens `url` in the desktop's browser: only with a desktop session and
/// never under CI. A failure is not an error (the address is printed).
fn open_browser(url: &str) {
    if std::env::var_os("CI").is_some() {
        return;
    }
    let program: Option<(&str, Vec<&str>)> = if cfg!(target_os = "macos") {
        Some(("open", vec![url]))
    } else if cfg!(windows) {
        Some(("cmd", vec!["/C", "start", "", url]))
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        Some(("xdg-open", vec![url]))
    } else {
        None
    };
    if let Some((program, args)) = program {
        let _ = std::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
}
