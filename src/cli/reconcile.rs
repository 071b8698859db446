//! Placeholder.
use crate::cli::ReconcileArgs;
use crate::workflow::side::SideError;
pub fn command(_args: &ReconcileArgs) -> Result<u8, SideError> {
    Ok(0)
}
