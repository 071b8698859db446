//! The `kpi-report` binary: parse the command line, run, exit with the code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = kpi_report::cli::Cli::parse();
    std::process::ExitCode::from(kpi_report::main_with(cli))
}
