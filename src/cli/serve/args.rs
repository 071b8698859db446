//! `serve`'s command line.

use std::net::IpAddr;
use std::path::PathBuf;

/// `kpi-report serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Output folder: the page's Run writes the reports here, exactly as `run --out`.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Plan file (TOML); default: the standard plan built into the binary.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Port to listen on; 0 picks any free port (the address printed says which).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to listen on. Anything but the loopback address (127.0.0.1,
    /// ::1) lets other machines reach the page (still only with the token):
    /// a warning is printed.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Do not open the page in a browser (it is never opened without a
    /// desktop, or under CI).
    #[arg(long)]
    pub no_open: bool,
    /// Worker threads for checks and runs (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Largest workbook accepted and read, e.g. 200MB, 1GB, 500KB or a byte count.
    #[arg(long, value_name = "SIZE", default_value = "200MB", value_parser = crate::cli::settings::parse_size)]
    pub max_file_size: u64,
    /// The month (YYYY-MM) of tables that name none, as `run --period`.
    #[arg(long, value_name = "YYYY-MM", value_parser = crate::cli::settings::parse_period)]
    pub period: Option<crate::period::Period>,
    /// For tests: a started run waits while this file exists, so that a
    /// second run is refused as busy without depending on timing.
    #[arg(long, hide = true, value_name = "FILE")]
    pub hold_runs_while: Option<PathBuf>,
}
