//! The `kpi-report` binary: parse the command line, run, exit with the code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(kpi_report::cli::main())
}
