//! `kpi-report close PERIOD --out DIR`: the engine's close, printed.

use crate::cli::{CloseArgs, EXIT_OK, settings};
use crate::error::Error;
use crate::report::close;

/// Records the month's bonus.csv as paid and says what was recorded.
///
/// # Errors
/// The engine's refusal (no such month, a changed file, already closed,
/// another run writing the folder) as [`Error::Report`].
pub fn command(args: &CloseArgs) -> Result<u8, Error> {
    let by = settings::who(args.by.as_deref());
    let at = close::timestamp(std::time::SystemTime::now());
    let closed = close::close(&args.out, args.period, &by, &at)?;
    eprintln!(
        "closed {}: {} records {} people paid, total {}, SHA-256 {} (by {by} at {at}); a later \
         run keeps this file and writes payroll-corrections-{}.csv for any change",
        closed.period,
        closed.bonus_csv,
        closed.people,
        crate::report::text::two(closed.total),
        closed.sha256,
        closed.period
    );
    Ok(EXIT_OK)
}
