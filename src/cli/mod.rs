//! The command line: clap's types ([`args`]), the settings built from them
//! ([`settings`]), and the command handlers, which call the engine and
//! present what it returns — printing, colour, JSON, progress bars and exit
//! codes live here and nowhere in the engine.

pub mod args;
pub mod check;
pub mod close;
pub mod color;
pub mod compare;
pub mod explain;
pub mod progress;
pub mod reconcile;
pub mod run_json;
pub mod serve;
pub mod settings;
pub mod targets;

use std::io::Write;

pub use args::*;

use crate::config::{RunConfig, load_plan};
use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::execute_with;
use crate::error::Error;
use crate::lang::Lang;
use crate::workflow::init::InitError;
use crate::workflow::watch::WatchError;
use crate::{plan, sample, workflow};
use settings::Presentation;

/// Exit code: done, no data issues.
pub const EXIT_OK: u8 = 0;
/// Exit code: reports written, but some data issues.
pub const EXIT_ISSUES: u8 = 3;

/// Why a command did not finish: the engine's [`Error`], or a workflow's.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Run(#[from] Error),
    #[error(transparent)]
    Init(#[from] InitError),
    #[error(transparent)]
    Watch(#[from] WatchError),
    #[error(transparent)]
    Side(#[from] workflow::side::SideError),
    #[error(transparent)]
    Targets(#[from] workflow::targets::TargetsError),
}

/// The exit code of an error: 1, nothing written (bad plan, unreadable
/// input, --strict with data issues, I/O failure).
pub fn exit_code(_error: &Error) -> u8 {
    1
}

/// [`EXIT_ISSUES`] when there are data issues, else [`EXIT_OK`].
pub fn code_for_issues(issues: usize) -> u8 {
    if issues > 0 { EXIT_ISSUES } else { EXIT_OK }
}

/// Prints the data issues grouped by severity, the headings styled
/// (errors red, warnings yellow); give it [`color::stderr`], which keeps
/// or strips the styles as `--color` and `NO_COLOR` say.
pub fn print_issues(out: &mut impl Write, diagnostics: &[Diagnostic], lang: Lang) {
    for (severity, title, style) in [
        (Severity::Error, ("errors", "错误"), color::ERROR),
        (Severity::Warning, ("warnings", "警告"), color::WARNING),
        (Severity::Info, ("notes", "提示"), anstyle::Style::new()),
    ] {
        let group: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{style}{} ({}):{style:#}", lang.t(title), group.len());
        for d in group {
            let period = d.period.map(|p| format!(" ({p})")).unwrap_or_default();
            let _ = writeln!(out, "  {}{period}", d.render(lang));
        }
    }
}

/// `run`: the engine's run, printing the issues and a summary line on stderr.
///
/// # Errors
/// See [`Error`].
pub fn run(config: &RunConfig, shown: Presentation) -> Result<u8, Error> {
    if shown.json {
        return run_json::run(config, shown);
    }
    let outcome = execute_with(config, progress::for_stderr(shown.quiet), |d| {
        print_issues(&mut color::stderr().lock(), d, config.lang);
    })?;
    print_issues(
        &mut color::stderr().lock(),
        &outcome.output_notes,
        config.lang,
    );
    if shown.timings {
        eprint!("{}", outcome.timings.table());
    }
    if !shown.quiet {
        eprintln!("{}", outcome.one_line(&config.out));
    }
    Ok(code_for_issues(outcome.issues))
}

fn sample(args: &SampleArgs) -> Result<u8, Error> {
    let files = sample::write_samples(&settings::sample(args))?;
    eprintln!(
        "{} workbooks written to {}",
        files.len(),
        args.out.display()
    );
    Ok(EXIT_OK)
}

fn init(args: &InitArgs) -> Result<u8, Failure> {
    let created = workflow::init::init(&args.dir, &args.template, settings::lang(args.lang))?;
    for path in created {
        eprintln!("created {}", path.display());
    }
    let dir = args.dir.display();
    eprintln!(
        "next: put the workbooks into {dir}/inbox and run\n  kpi-report run {dir}/inbox --out {dir}/reports --plan {dir}/plan.toml"
    );
    Ok(EXIT_OK)
}

fn watch(args: &WatchArgs) -> Result<u8, Failure> {
    let config = settings::watch(args)?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst))
        .map_err(|e| Error::Output(format!("cannot catch Ctrl-C: {e}")))?;
    let mut opts = workflow::watch::WatchOptions {
        config,
        plan_path: args.plan.clone(),
        settle: std::time::Duration::from_millis(args.settle_ms),
    };
    workflow::watch::watch(&mut opts, &stop, |line| eprintln!("{line}"))?;
    Ok(EXIT_OK)
}

fn plan_command(cmd: &PlanCommand) -> Result<u8, Error> {
    match cmd {
        PlanCommand::Show => {
            print!("{}", plan::STANDARD_PLAN);
            Ok(EXIT_OK)
        }
        PlanCommand::Check { file } => {
            let plan = load_plan(Some(file))?;
            println!(
                "{}: valid ({} KPIs, {} roles, {} grades)",
                file.display(),
                plan.kpis.len(),
                plan.roles.len(),
                plan.grades.len()
            );
            // The scale each input is scored on, and how it arrives when
            // the plan declares another scale (values are checked against it).
            let scales: Vec<String> = plan
                .columns
                .iter()
                .filter_map(|c| {
                    let (lo, hi) = c.scale()?;
                    Some(match c.arrives {
                        Some(a) => format!(
                            "{} {lo}–{hi} (arrives on {}–{}, × {})",
                            c.id, a.from, a.to, a.factor
                        ),
                        None => format!("{} {lo}–{hi}", c.id),
                    })
                })
                .collect();
            if !scales.is_empty() {
                println!("scales: {}", scales.join("; "));
            }
            Ok(EXIT_OK)
        }
    }
}

/// Parses the process's command line. `--color` is read first, so clap's
/// own help and usage errors are coloured (or not) as asked.
pub fn parse_args() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let choice = color::choice_in_args(&args);
    color::set(choice);
    let mut cmd = <Cli as clap::CommandFactory>::command().color(color::clap_choice(choice));
    let matches = cmd
        .try_get_matches_from_mut(args)
        .unwrap_or_else(|e| e.exit());
    <Cli as clap::FromArgMatches>::from_arg_matches(&matches)
        .unwrap_or_else(|e| e.format(&mut cmd).exit())
}

/// Runs a parsed command line and returns the exit code, printing any error.
pub fn main_with(cli: Cli) -> u8 {
    color::set(cli.color);
    let result: Result<u8, Failure> = match &cli.command {
        Command::Run(args) => match settings::run(args) {
            Ok((c, shown)) => run(&c, shown).map_err(Failure::from),
            Err(e) => {
                if args.json {
                    run_json::print_failure(&e);
                }
                Err(e.into())
            }
        },
        Command::Check(args) => check::check(args).map_err(Failure::from),
        Command::Sample(args) => sample(args).map_err(Failure::from),
        Command::Plan(cmd) => plan_command(cmd).map_err(Failure::from),
        Command::Explain(args) => explain::command(args).map_err(Failure::from),
        Command::Compare(args) => compare::command(args).map_err(Failure::from),
        Command::Reconcile(args) => reconcile::command(args).map_err(Failure::from),
        Command::Init(args) => init(args),
        Command::Watch(args) => watch(args),
        Command::Targets(args) => targets::command(args),
        Command::Serve(args) => serve::command(args).map_err(Failure::from),
        Command::Close(args) => close::command(args).map_err(Failure::from),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "kpi-report", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            match clap_mangen::Man::new(cmd).render(&mut std::io::stdout()) {
                Ok(()) => Ok(EXIT_OK),
                Err(e) => Err(Error::Output(e.to_string()).into()),
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let style = color::ERROR;
            let text = match &e {
                Failure::Run(e) => e.render(command_lang(&cli.command)),
                other => other.to_string(),
            };
            let _ = writeln!(color::stderr().lock(), "{style}error:{style:#} {text}");
            match &e {
                Failure::Run(e) => exit_code(e),
                Failure::Init(_) | Failure::Watch(_) | Failure::Side(_) | Failure::Targets(_) => 1,
            }
        }
    }
}

/// The language a command speaks (`--lang`), for its error message.
fn command_lang(command: &Command) -> crate::lang::Lang {
    let arg = match command {
        Command::Run(a) => a.lang,
        Command::Check(a) => a.lang,
        Command::Sample(a) => a.lang,
        Command::Explain(a) => a.lang,
        Command::Compare(a) => a.lang,
        Command::Reconcile(a) => a.lang,
        Command::Init(a) => a.lang,
        Command::Watch(a) => a.lang,
        Command::Targets(a) => a.lang,
        _ => return crate::lang::Lang::En,
    };
    settings::lang(arg)
}

/// Parses the process's command line, runs it and returns the exit code.
pub fn main() -> u8 {
    main_with(parse_args())
}
