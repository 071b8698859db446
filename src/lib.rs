//! kpi-report turns the month's sales workbooks into scored, ranked, graded
//! performance reviews with exact bonuses.
//!
//! A run is a one-way pipeline:
//!
//! 1. [`plan`]: the plan (built-in standard plan or `--plan FILE`) is parsed
//!    and validated, every name resolved to an index.
//! 2. [`input`]: every workbook in the folder is read (in parallel), each
//!    sheet's table found by its header row, cells parsed, and roster,
//!    targets and results joined per period into cases; every problem
//!    becomes a [`diagnostics::Diagnostic`] naming file, sheet and cell.
//! 3. [`score`]: complete cases are scored in parallel with exact decimals,
//!    then ranked; years with two or more months get a year to date.
//! 4. [`report`]: CSV and Excel files are built in memory and written into a
//!    staging folder that replaces the previous reports only when complete.
//!
//! `main.rs` only parses arguments and turns [`error::Error`] into an exit
//! code; everything else is here, so tests and benchmarks call it directly.

pub mod check;
pub mod cli;
pub mod color;
pub mod config;
pub mod diagnostics;
pub mod error;
pub mod explain;
pub mod input;
pub mod period;
pub mod plan;
pub mod progress;
pub mod report;
pub mod run_json;
pub mod sample;
pub mod score;
pub mod timings;
pub mod workflow;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use cli::{CheckArgs, Cli, Command, PlanCommand, SampleArgs};
use config::RunConfig;
use diagnostics::{Code, Diagnostic, Severity};
use error::Error;
use input::Input;
use period::Period;
use plan::Plan;
use report::{Lang, ReportSet};
use score::{PeriodResult, ScoreError};

/// Exit code: done, no data issues.
pub const EXIT_OK: u8 = 0;
/// Exit code: reports written, but some data issues.
pub const EXIT_ISSUES: u8 = 3;

/// Scored periods (months ascending, each year's year-to-date after its
/// last month) and every data issue, sorted.
#[derive(Debug)]
pub struct Evaluation {
    pub input: Input,
    pub periods: Vec<PeriodResult>,
}

impl Evaluation {
    /// Issues that count against the run: errors and warnings.
    pub fn issue_count(&self) -> usize {
        self.input
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .count()
    }
}

/// Reads, validates and scores a folder.
///
/// # Errors
/// [`Error::Input`] when the folder or a workbook cannot be read at all.
pub fn evaluate(dir: &Path, plan: &Plan) -> Result<Evaluation, Error> {
    evaluate_with(
        dir,
        plan,
        &input::Limits::default(),
        &mut timings::Timings::new(),
        progress::Progress::hidden(),
    )
}

/// [`evaluate`] with reading limits, recording its phases (discover, read,
/// validate, score) and showing progress.
///
/// # Errors
/// [`Error::Input`] when the folder or a workbook cannot be read at all.
pub fn evaluate_with(
    dir: &Path,
    plan: &Plan,
    limits: &input::Limits,
    t: &mut timings::Timings,
    progress: progress::Progress,
) -> Result<Evaluation, Error> {
    let input = input::read_dir_observed(dir, plan, limits, t, progress)?;
    let people: usize = input.dataset.periods.iter().map(|(_, c)| c.len()).sum();
    let bar = progress.bar("people scored", people as u64);
    let eval = t.time("score", || score_input(plan, input));
    bar.inc(people as u64);
    bar.finish_and_clear();
    Ok(eval)
}

/// Scores what was read: every period, then each year's year to date.
pub fn score_input(plan: &Plan, mut input: Input) -> Evaluation {
    let mut periods = Vec::new();
    let mut extra = Vec::new();
    for (period, cases) in &input.dataset.periods {
        let (result, failures) = score::score_period(plan, &input.dataset.people, *period, cases);
        for (person, why) in failures {
            let p = &input.dataset.people[person];
            let case = &cases[person];
            let mut loc = case
                .results
                .map(|r| input.dataset.records[r].location())
                .unwrap_or_else(|| input.dataset.records[p.record].location());
            let (code, msg, zh) = match why {
                ScoreError::Bonus { column } => {
                    let c = &plan.columns[column];
                    let record = match c.table {
                        plan::TableKind::Staff | plan::TableKind::Key => Some(p.record),
                        plan::TableKind::Targets => case.targets,
                        plan::TableKind::Results => case.results,
                    };
                    if let Some(r) = record.and_then(|r| input.dataset.records.get(r)) {
                        loc = r.cell(column);
                    }
                    (
                        Code::OutOfRange,
                        format!(
                            "{}: the bonus cannot be computed from this '{}' (the sum or \
                             product leaves the range of exact decimals); check the value",
                            p.staff_id, c.display
                        ),
                        format!(
                            "{}：无法用此“{}”计算奖金（求和或乘积超出精确小数的范围）；请检查该数值",
                            p.staff_id, c.display
                        ),
                    )
                }
                ScoreError::Overflow { kpi } => (
                    Code::OutOfRange,
                    format!(
                        "{}: the values for '{}' are too extreme to compute; check them",
                        p.staff_id, plan.kpis[kpi].id
                    ),
                    format!(
                        "{}：“{}”的数值过于极端，无法计算；请检查",
                        p.staff_id, plan.kpis[kpi].label.zh
                    ),
                ),
                ScoreError::NoKpiApplies => (
                    Code::NoKpiApplies,
                    format!(
                        "{}: no KPI applies (every target is 0 or blank); enter the targets",
                        p.staff_id
                    ),
                    format!(
                        "{}：没有适用的指标（所有目标均为 0 或空白）；请填写目标",
                        p.staff_id
                    ),
                ),
            };
            extra.push(
                Diagnostic::error(code, loc, msg)
                    .zh(zh)
                    .for_person(&p.staff_id, Some(*period)),
            );
        }
        periods.push(result);
    }
    // Year to date for every year with two or more months.
    let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    for (i, r) in periods.iter().enumerate() {
        years.entry(r.period.year()).or_default().push(i);
    }
    let mut ytd = Vec::new();
    for (year, months) in years.iter().filter(|(_, m)| m.len() >= 2) {
        let refs: Vec<&PeriodResult> = months.iter().map(|&i| &periods[i]).collect();
        ytd.push(score::year_to_date(
            plan,
            &input.dataset.people,
            *year,
            &refs,
        ));
    }
    periods.extend(ytd);
    periods.sort_by_key(|p| p.period);
    input.diagnostics.extend(extra);
    input
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Evaluation { input, periods }
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

/// What a finished run did.
#[derive(Debug)]
pub struct RunOutcome {
    /// [`EXIT_OK`] or [`EXIT_ISSUES`].
    pub code: u8,
    pub periods: Vec<Period>,
    pub people: usize,
    /// Errors and warnings (info notes not counted).
    pub issues: usize,
    /// Files written, relative to the output folder.
    pub files: Vec<std::path::PathBuf>,
    /// Periods whose reports were unchanged and reused.
    pub reused: Vec<Period>,
    /// Periods built in this run.
    pub rebuilt: Vec<Period>,
    /// People scored and incomplete, per period (same order as `periods`).
    pub scored: Vec<(usize, usize)>,
    /// People not scored in at least one month.
    pub incomplete_people: usize,
    /// Every data issue, notes included, sorted; then the notes about the
    /// output folder.
    pub diagnostics: Vec<Diagnostic>,
    /// Period folders kept though their inputs are gone (`watch`).
    pub kept_periods: Vec<String>,
    /// What the write noticed about the output folder (files kept, files
    /// changed outside kpi-report), also at the end of `diagnostics`.
    pub output_notes: Vec<Diagnostic>,
    pub seconds: f64,
    pub timings: timings::Timings,
}

impl RunOutcome {
    /// The one-line summary printed after every run.
    pub fn one_line(&self, out: &Path) -> String {
        let periods: Vec<String> = self.periods.iter().map(ToString::to_string).collect();
        let unchanged = if self.reused.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = self.reused.iter().map(ToString::to_string).collect();
            format!(" ({} unchanged, reused: {})", names.len(), names.join(", "))
        };
        format!(
            "{} periods ({}), {} people, {} data issues, {} files written to {}{unchanged} in {:.2}s",
            periods.len(),
            periods.join(", "),
            self.people,
            self.issues,
            self.files.len(),
            out.display(),
            self.seconds
        )
    }
}

/// The main job: evaluate, hand the issues to `on_issues`, write.
///
/// # Errors
/// See [`Error`]; nothing is written when one is returned.
pub fn execute(
    config: &RunConfig,
    on_issues: impl FnOnce(&[Diagnostic]),
) -> Result<RunOutcome, Error> {
    let started = Instant::now();
    report::output::check_apart(&config.input, &config.out)?;
    let mut t = timings::Timings::new();
    let progress = progress::Progress::for_stderr(config.quiet);
    let eval = evaluate_with(
        &config.input,
        &config.plan,
        &config.limits,
        &mut t,
        progress,
    )?;
    on_issues(&eval.input.diagnostics);
    let issues = eval.issue_count();
    if config.strict && issues > 0 {
        return Err(Error::Strict(issues));
    }
    let writing = Instant::now();
    let written = report::write_reports(
        &config.out,
        &ReportSet {
            plan: &config.plan,
            people: &eval.input.dataset.people,
            periods: &eval.periods,
            diagnostics: &eval.input.diagnostics,
            lang: config.lang,
            cases: &eval.input.dataset.periods,
            split: config.split,
            records: &eval.input.dataset.records,
        },
        report::WriteOptions {
            wait: config.wait,
            force: config.force,
            progress,
            pdf: config.pdf.clone(),
            keep_vanished: config.keep_vanished,
        },
    )?;
    let mut accounted = std::time::Duration::ZERO;
    for (phase, d) in &written.phases {
        t.add(phase, *d);
        accounted += *d;
    }
    // Locking, reusing unchanged periods, the manifest and the swap.
    t.add(
        "stage + commit",
        writing.elapsed().saturating_sub(accounted),
    );
    let scored = eval
        .periods
        .iter()
        .map(|p| {
            let n = p.people.iter().filter(|r| r.card.is_some()).count();
            (n, p.people.len() - n)
        })
        .collect();
    let people = eval.input.dataset.people.len();
    // Notes about the output folder follow the data issues.
    let mut diagnostics = eval.input.diagnostics;
    diagnostics.extend(written.notes.iter().cloned());
    let incomplete_people = (0..people)
        .filter(|&i| {
            eval.periods
                .iter()
                .filter(|p| matches!(p.period, Period::Month { .. }))
                .any(|p| p.people.get(i).is_some_and(|r| r.card.is_none()))
        })
        .count();
    Ok(RunOutcome {
        code: if issues > 0 { EXIT_ISSUES } else { EXIT_OK },
        periods: eval.periods.iter().map(|p| p.period).collect(),
        people,
        issues,
        files: written.files,
        reused: written.reused,
        rebuilt: written.rebuilt,
        scored,
        incomplete_people,
        kept_periods: written.kept_periods,
        diagnostics,
        output_notes: written.notes,
        seconds: started.elapsed().as_secs_f64(),
        timings: t,
    })
}

/// `run`: [`execute`], printing the issues and a summary line on stderr.
///
/// # Errors
/// See [`Error`].
pub fn run(config: &RunConfig) -> Result<u8, Error> {
    if config.json {
        return run_json::run(config);
    }
    let outcome = execute(config, |d| {
        print_issues(&mut color::stderr().lock(), d, config.lang)
    })?;
    print_issues(
        &mut color::stderr().lock(),
        &outcome.output_notes,
        config.lang,
    );
    if config.timings {
        eprint!("{}", outcome.timings.table());
    }
    if !config.quiet {
        eprintln!("{}", outcome.one_line(&config.out));
    }
    Ok(outcome.code)
}

/// [`execute`] without printing the issues (for `watch`'s one-line log).
///
/// # Errors
/// See [`Error`].
pub fn run_quietly(config: &RunConfig) -> Result<RunOutcome, Error> {
    execute(config, |_| {})
}

/// `check`: validate, print, write nothing (see [`check::check`]).
///
/// # Errors
/// As [`run`] before writing.
pub fn check(args: &CheckArgs) -> Result<u8, Error> {
    check::check(args)
}

fn sample(args: &SampleArgs) -> Result<u8, Error> {
    let opts = sample::SampleOptions {
        out: args.out.clone(),
        staff: args.staff,
        months: args.months,
        lang: match args.lang {
            cli::LangArg::En => sample::SampleLang::En,
            cli::LangArg::Zh => sample::SampleLang::Zh,
        },
        seed: args.seed,
    };
    let files = sample::write_samples(&opts)?;
    eprintln!(
        "{} workbooks written to {}",
        files.len(),
        args.out.display()
    );
    Ok(EXIT_OK)
}

fn init(args: &cli::InitArgs) -> Result<u8, Error> {
    let created = workflow::init::init(&args.dir, &args.template, config::lang(args.lang))?;
    for path in created {
        eprintln!("created {}", path.display());
    }
    let dir = args.dir.display();
    eprintln!(
        "next: put the workbooks into {dir}/inbox and run\n  kpi-report run {dir}/inbox --out {dir}/reports --plan {dir}/plan.toml"
    );
    Ok(EXIT_OK)
}

fn watch(args: &cli::WatchArgs) -> Result<u8, Error> {
    let config = RunConfig {
        input: args.inbox.clone(),
        out: args.out.clone(),
        plan: config::load_plan(args.plan.as_deref())?,
        lang: config::lang(args.lang),
        split: report::Split::default(),
        strict: false,
        quiet: true,
        wait: true,
        timings: false,
        force: false,
        limits: input::Limits::default(),
        pdf: config::pdf_converter(args.pdf)?,
        json: false,
        keep_vanished: true,
    };
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
            let plan = config::load_plan(Some(file))?;
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
    let result = match &cli.command {
        Command::Run(args) => {
            config::set_jobs(args.jobs);
            match RunConfig::from_args(args) {
                Ok(c) => run(&c),
                Err(e) => {
                    if args.json {
                        run_json::print_failure(&e);
                    }
                    Err(e)
                }
            }
        }
        Command::Check(args) => {
            config::set_jobs(args.jobs);
            check(args)
        }
        Command::Sample(args) => sample(args),
        Command::Plan(cmd) => plan_command(cmd),
        Command::Explain(args) => explain::command(args),
        Command::Init(args) => init(args),
        Command::Watch(args) => watch(args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "kpi-report", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            match clap_mangen::Man::new(cmd).render(&mut std::io::stdout()) {
                Ok(()) => Ok(EXIT_OK),
                Err(e) => Err(Error::Output(e.to_string())),
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let style = color::ERROR;
            let _ = writeln!(color::stderr().lock(), "{style}error:{style:#} {e}");
            e.code()
        }
    }
}
