//! `kpi-report explain`: the engine's trail of one person, printed.

use crate::cli::{EXIT_ISSUES, EXIT_OK, ExplainArgs, settings};
use crate::config::load_plan;
use crate::error::Error;
use crate::period::parse_period;
use crate::report::explain::{ExplainError, Section, explain};
use crate::score::evaluate;

/// `kpi-report explain`: prints the trail on stdout. Exit 0, or 3 when the
/// person has no score in the period (the trail lists why).
///
/// # Errors
/// A bad plan, unreadable input, or a staff id or period not in the input.
pub fn command(args: &ExplainArgs) -> Result<u8, Error> {
    let plan = load_plan(args.plan.as_deref())?;
    let period = match args.period.as_deref() {
        Some(text) => Some(
            parse_period(text).ok_or_else(|| ExplainError::UnknownPeriod {
                wanted: text.to_owned(),
                known: "(a month such as 2026-10, or ytd-2026)".to_owned(),
            })?,
        ),
        None => None,
    };
    let eval = evaluate(&args.input_dir, &plan)?;
    let explanation = explain(&plan, &eval, &args.staff, period, settings::lang(args.lang))?;
    print!("{explanation}");
    let incomplete = explanation
        .lines
        .iter()
        .any(|l| l.section == Section::Issue);
    Ok(if incomplete { EXIT_ISSUES } else { EXIT_OK })
}
