//! Integration tests: run the real `kpi-report` binary on real workbooks and
//! read back what it wrote. One test binary, a module per feature, to keep
//! link times down.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
mod archive;
#[cfg(unix)]
mod browser;
mod calibration;
mod cell_meaning;
mod close;
#[path = "../common/mod.rs"]
mod common;
mod compare;
mod conventions;
mod development;
mod end_to_end;
mod engine;
mod exit_codes;
mod hostile_plans;
mod incremental;
mod inputs;
mod pdf;
mod plans;
mod properties;
mod real_world;
mod reconcile;
mod reports;
mod robustness;
#[cfg(unix)]
mod serve;
mod targets;
mod trail;
#[allow(dead_code)]
mod util;
#[cfg(unix)]
mod workflow;
mod written_text;
