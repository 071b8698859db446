//! The command line as clap sees it: flags mirrored, nothing interpreted.
//! [`crate::cli::settings`] turns these into validated settings.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Turns the month's sales workbooks into scored, ranked, graded performance
/// reviews with exact bonuses.
/// The version line: the program's version and the plan format it reads.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (plan format 1)");

#[derive(Debug, Parser)]
#[command(
    name = "kpi-report",
    version = VERSION,
    about,
    propagate_version = true,
    after_help = "Example:\n  kpi-report run samples/en --out reports --pdf"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour on the terminal: auto (when stderr is a terminal and NO_COLOR
    /// is unset), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read every workbook in INPUT_DIR, score every period found, write the reports.
    #[command(
        after_help = "Examples:\n  kpi-report run samples/en --out reports\n  kpi-report run samples/en --out reports --pdf --json > run.json"
    )]
    Run(RunArgs),
    /// Validate only: print every data issue, write nothing.
    #[command(
        after_help = "Examples:\n  kpi-report check samples/zh --lang zh\n  kpi-report check samples/en --json > issues.json"
    )]
    Check(CheckArgs),
    /// Write synthetic, realistic input workbooks (same seed, same files).
    #[command(
        after_help = "Example:\n  kpi-report sample --out demo --staff 300 --months 3 --lang zh"
    )]
    Sample(SampleArgs),
    /// Print the built-in plan, or validate a plan file.
    #[command(
        subcommand,
        after_help = "Examples:\n  kpi-report plan show > plan.toml\n  kpi-report plan check plan.toml"
    )]
    Plan(PlanCommand),
    /// Print the whole calculation for one person: inputs with their cells,
    /// methods, weights, total, grade, ranks and bonus.
    #[command(
        after_help = "Example:\n  kpi-report explain samples/en --staff S001 --period 2026-10"
    )]
    Explain(ExplainArgs),
    /// Score the same inputs under two plans and show who gains and loses,
    /// the grade migrations and the bonus cost; writes compare-PERIOD.xlsx
    /// only, never the payroll reports.
    #[command(
        after_help = "Examples:\n  kpi-report compare samples/en --plan standard --plan new-plan.toml\n  kpi-report compare samples/en --plan standard --plan new-plan.toml --json > compare.json"
    )]
    Compare(CompareArgs),
    /// Compare the results with the old process's results sheet, person by
    /// person, and classify every difference; writes reconcile-PERIOD.xlsx.
    /// Exit 0 when everything agrees, 3 otherwise.
    #[command(after_help = "Example:\n  kpi-report reconcile samples/en --against last-year.xlsx")]
    Reconcile(ReconcileArgs),
    /// Create a workspace for HR: inbox/, reports/, plan.toml and a README.
    #[command(after_help = "Example:\n  kpi-report init sales-reviews --lang zh")]
    Init(InitArgs),
    /// Watch an inbox folder and rebuild the reports whenever workbooks arrive.
    #[command(
        after_help = "Example:\n  kpi-report watch sales-reviews/inbox --out sales-reviews/reports --plan sales-reviews/plan.toml"
    )]
    Watch(WatchArgs),
    /// Split the goals into each person's monthly targets: one targets
    /// workbook per month, in the shape `run` reads, with its allocation.
    #[command(
        after_help = "Example:\n  kpi-report targets samples/en --goals goals.xlsx --out targets"
    )]
    Targets(TargetsArgs),
    /// Serve a local web page for the month's work: drop the workbooks,
    /// see the issues, run, download the reports, explain a person.
    #[command(after_help = "Example:\n  kpi-report serve --out reports")]
    Serve(crate::cli::serve::ServeArgs),
    /// Record a month's bonus.csv as paid: a later run keeps it byte for
    /// byte and writes payroll-corrections-PERIOD.csv for what changed.
    #[command(
        after_help = "Examples:\n  kpi-report close 2026-10 --out reports\n  kpi-report run inbox --out reports --reopen 2026-10 --reason \"payroll rerun approved by finance\""
    )]
    Close(CloseArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  kpi-report completions bash > ~/.local/share/bash-completion/completions/kpi-report"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    #[command(after_help = "Example:\n  kpi-report man > kpi-report.1 && man ./kpi-report.1")]
    Man,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Folder holding the month's workbooks.
    pub input_dir: PathBuf,
    /// The person's staff id.
    #[arg(long)]
    pub staff: String,
    /// The period: a month such as 2026-10, or ytd-2026 (default: the latest month).
    #[arg(long)]
    pub period: Option<String>,
    /// Plan file (TOML); default: the standard plan.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Language of the trail.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Folder holding the month's workbooks.
    pub input_dir: PathBuf,
    /// The two plans, A then B: plan files (TOML), or `standard` for the
    /// built-in standard plan.
    #[arg(long, num_args = 1, required = true, value_name = "PLAN")]
    pub plan: Vec<String>,
    /// The period: a month such as 2026-10, or ytd-2026 (default: the latest month).
    #[arg(long)]
    pub period: Option<String>,
    /// Folder to write compare-PERIOD.xlsx into (not a reports folder).
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Language of the workbook.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Print the whole comparison as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReconcileArgs {
    /// Folder holding the month's workbooks.
    pub input_dir: PathBuf,
    /// The old process's results workbook (staff ID plus any of total
    /// score, grade, bonus; inputs and KPI scores when it has them).
    #[arg(long, value_name = "OLD.xlsx")]
    pub against: PathBuf,
    /// The period: a month such as 2026-10 (default: the latest month).
    #[arg(long)]
    pub period: Option<String>,
    /// Plan file (TOML); default: the standard plan.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Folder to write reconcile-PERIOD.xlsx into (not a reports folder).
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Language of the workbook and the summary.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The workspace folder to create.
    pub dir: PathBuf,
    /// The plan template to start from.
    #[arg(long, default_value = "standard")]
    pub template: String,
    /// Language of the workspace README (and the default of its plan labels).
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The folder HR drops workbooks into.
    pub inbox: PathBuf,
    /// Output folder.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Plan file (TOML); default: the standard plan.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Language of the reports and messages.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// How long a dropped file must stay unchanged before it is read (milliseconds).
    #[arg(long, default_value_t = 1500)]
    pub settle_ms: u64,
    /// Also print each review workbook and summary to PDF (needs LibreOffice).
    #[arg(long)]
    pub pdf: bool,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Folder holding the month's workbooks (.xlsx .xlsm .xlsb .xls .ods .csv).
    pub input_dir: PathBuf,
    /// Output folder; replaced as a whole only when every report is written.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Plan file (TOML); default: the standard plan built into the binary.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Language of the reports and messages.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Review workbooks: one per manager (their direct reports), per person,
    /// per department, or none (only the summary and CSV files).
    #[arg(long, value_enum, default_value_t = SplitArg::Manager)]
    pub split: SplitArg,
    /// Write nothing if there is any data issue (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Worker threads (default: all cores). Output is the same for any number.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Print only data issues and errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// If another run is writing the same output folder, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
    /// Print how long each phase took, and peak memory, on stderr.
    #[arg(long)]
    pub timings: bool,
    /// Rebuild every period, even those whose inputs did not change.
    #[arg(long)]
    pub force: bool,
    /// Largest input file read, e.g. 200MB, 1GB, 500KB or a byte count.
    #[arg(long, value_name = "SIZE", default_value = "200MB", value_parser = crate::cli::settings::parse_size)]
    pub max_file_size: u64,
    /// The month (YYYY-MM) of tables that name none: no Period column and
    /// no month in the file name, sheet name or title rows.
    #[arg(long, value_name = "YYYY-MM", value_parser = crate::cli::settings::parse_period)]
    pub period: Option<crate::period::Period>,
    /// Also print each review workbook and summary to PDF beside it
    /// (needs LibreOffice).
    #[arg(long)]
    pub pdf: bool,
    /// Print a JSON document (periods, counts, every issue, files written
    /// with size and sha256, exit code) on stdout instead of the text listing.
    #[arg(long)]
    pub json: bool,
    /// Replace the paid payroll of a closed month (see `close`) with the
    /// new numbers; needs --reason. The reopening is recorded.
    #[arg(long, value_name = "YYYY-MM", value_parser = crate::cli::settings::parse_period, requires = "reason")]
    pub reopen: Option<crate::period::Period>,
    /// Why a closed month is reopened (recorded in closed.json).
    #[arg(long, requires = "reopen", value_parser = crate::cli::settings::parse_reason)]
    pub reason: Option<String>,
    /// Who reopens, for the record (default: the logged-in user).
    #[arg(long, requires = "reopen")]
    pub by: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CloseArgs {
    /// The month whose bonus.csv was paid, e.g. 2026-10.
    #[arg(value_parser = crate::cli::settings::parse_period)]
    pub period: crate::period::Period,
    /// The reports folder (as given to run --out).
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Who closes, for the record (default: the logged-in user).
    #[arg(long)]
    pub by: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Folder holding the month's workbooks.
    pub input_dir: PathBuf,
    /// Plan file (TOML); default: the standard plan.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Language of the messages.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Print a JSON document (files, tables, periods, people, every issue)
    /// on stdout instead of the text listing.
    #[arg(long)]
    pub json: bool,
    /// Largest input file read, e.g. 200MB, 1GB, 500KB or a byte count.
    #[arg(long, value_name = "SIZE", default_value = "200MB", value_parser = crate::cli::settings::parse_size)]
    pub max_file_size: u64,
    /// The month (YYYY-MM) of tables that name none: no Period column and
    /// no month in the file name, sheet name or title rows.
    #[arg(long, value_name = "YYYY-MM", value_parser = crate::cli::settings::parse_period)]
    pub period: Option<crate::period::Period>,
}

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// Folder to write the workbooks into.
    #[arg(long)]
    pub out: PathBuf,
    /// Number of salespeople.
    #[arg(long, default_value_t = 30)]
    pub staff: usize,
    /// Number of months.
    #[arg(long, default_value_t = 2)]
    pub months: u32,
    /// Language of headers, roles and names.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Random seed; the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Print the built-in standard plan.
    #[command(after_help = "Example:\n  kpi-report plan show > plan.toml")]
    Show,
    /// Validate a plan file; every problem is named with its key.
    #[command(after_help = "Example:\n  kpi-report plan check plan.toml")]
    Check {
        /// The plan file (TOML).
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitArg {
    Manager,
    Staff,
    Department,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct TargetsArgs {
    /// Folder holding the roster (and, for a split by history, last year's results).
    pub input_dir: PathBuf,
    /// The goals table: Scope, Period, Target, Value.
    #[arg(long)]
    pub goals: PathBuf,
    /// Plan file (TOML); default: the standard plan.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Output folder for targets-YYYY-MM.xlsx.
    #[arg(long, default_value = "targets")]
    pub out: PathBuf,
    /// Language of the workbooks' headers and messages.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}
