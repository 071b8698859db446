//! kpi-report turns the month's sales workbooks into scored, ranked, graded
//! performance reviews with exact bonuses.
//!
//! The engine is a one-way pipeline; each layer imports only the layers
//! below it (`tests/layers.rs` enforces this):
//!
//! 1. [`plan`]: the plan (built-in standard plan or a TOML file) is parsed
//!    and validated, every name resolved to an index.
//! 2. [`input`]: every workbook in the folder is read (in parallel), each
//!    sheet's table found by its header row, cells parsed, and roster,
//!    targets and results joined per period into cases; every problem
//!    becomes a [`diagnostics::Diagnostic`] naming file, sheet and cell.
//! 3. [`score`]: complete cases are scored in parallel with exact decimals,
//!    then ranked; years with two or more months get a year to date. Each
//!    scorecard records its working, which [`report::explain`] renders.
//! 4. [`report`]: CSV and Excel files are built in memory and written into a
//!    staging folder that replaces the previous reports only when complete.
//! 5. [`config`], [`engine`], [`error`], [`workflow`]: a run's settings, the
//!    run itself ([`engine::execute`]), its error, and the workflows built
//!    on it (`init`, `watch`).
//!
//! Under all of them, the ground floor: [`lang`] (English and Chinese),
//! [`period`], [`diagnostics`], [`hash`], [`progress`] and [`timings`].
//!
//! The engine prints nothing, sets no exit code and no global thread pool.
//! The command line is a front end on it, in [`cli`], which nothing in the
//! engine imports; `main.rs` only calls [`cli::main`].

// Ground floor.
pub mod diagnostics;
pub mod hash;
pub mod lang;
pub mod period;
pub mod progress;
pub mod timings;

// The pipeline: plan → input → score → report; sample workbooks.
pub mod input;
pub mod plan;
pub mod report;
pub mod sample;
pub mod score;

// A run.
pub mod config;
pub mod engine;
pub mod error;
pub mod workflow;

// The command line.
pub mod cli;

pub use config::RunConfig;
pub use engine::{RunOutcome, execute};
pub use error::Error;
pub use lang::Lang;
pub use plan::Plan;
pub use score::{Evaluation, evaluate};
