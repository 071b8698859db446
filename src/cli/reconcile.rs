//! `kpi-report reconcile`: our results against the old results sheet.

use crate::cli::{EXIT_ISSUES, EXIT_OK, ReconcileArgs, settings};
use std::io::Write;

use crate::config::load_plan;
use crate::lang::tr;
use crate::workflow::reconcile::run;
use crate::workflow::side::SideError;

/// Reconciles and prints the summary sentence and the file written. Exit
/// 0 when everyone agrees to the cent, 3 otherwise.
///
/// # Errors
/// A bad plan, unreadable input or old sheet, an unknown period, an output
/// folder that is not kpi-report's to write into.
pub fn command(args: &ReconcileArgs) -> Result<u8, SideError> {
    let plan = load_plan(args.plan.as_deref())?;
    let done = run(
        &args.input_dir,
        &plan,
        &args.against,
        args.period.as_deref(),
        &args.out,
        settings::lang(args.lang),
    )?;
    let lang = settings::lang(args.lang);
    let _ = writeln!(
        std::io::stdout().lock(),
        "{}\n{}",
        done.summary,
        tr!(lang, "written: {}", "已写入：{}", done.file.display())
    );
    Ok(if done.reconciliation.all_agree() {
        EXIT_OK
    } else {
        EXIT_ISSUES
    })
}
