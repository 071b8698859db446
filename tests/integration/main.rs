//! Integration tests: run the real `kpi-report` binary on real workbooks and
//! read back what it wrote. One test binary, a module per feature, to keep
//! link times down.
// clippy.toml allows unwrap in #[test] functions; helpers here are test code too.
#![allow(clippy::unwrap_used)]

mod end_to_end;
mod exit_codes;
mod inputs;
mod robustness;
mod util;
