//! The `kpi-report` binary: parse the command line, run, exit with the code.

fn main() -> std::process::ExitCode {
    let cli = kpi_report::parse_args();
    std::process::ExitCode::from(kpi_report::main_with(cli))
}
