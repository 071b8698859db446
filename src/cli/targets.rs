//! `kpi-report targets`: the goals split into monthly targets workbooks.

use super::{EXIT_OK, Failure, TargetsArgs, color, print_issues, settings};
use crate::config::load_plan;
use crate::workflow::targets::{TargetsError, TargetsOptions, targets};

/// Runs `targets`, listing every problem when nothing could be written.
///
/// # Errors
/// See [`TargetsError`].
pub fn command(args: &TargetsArgs) -> Result<u8, Failure> {
    let lang = settings::lang(args.lang);
    let opts = TargetsOptions {
        input: args.input_dir.clone(),
        goals: args.goals.clone(),
        plan: load_plan(args.plan.as_deref())?,
        out: args.out.clone(),
        lang,
        limits: crate::input::Limits::default(),
    };
    match targets(&opts) {
        Ok(done) => {
            let months: Vec<String> = done.months.iter().map(ToString::to_string).collect();
            eprintln!(
                "{} targets workbooks ({}) written to {}",
                done.files.len(),
                months.join(", "),
                args.out.display()
            );
            Ok(EXIT_OK)
        }
        Err(TargetsError::Problems(list)) => {
            print_issues(&mut color::stderr().lock(), &list, lang);
            Err(TargetsError::Problems(list).into())
        }
        Err(e) => Err(e.into()),
    }
}
