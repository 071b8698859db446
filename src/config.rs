//! Validated settings, built from the command line before any work starts.

use std::path::{Path, PathBuf};

use crate::cli::{LangArg, RunArgs, SplitArg};
use crate::error::Error;
use crate::input::Limits;
use crate::plan::Plan;
use crate::report::pdf::Converter;
use crate::report::{Lang, Split};

/// Everything a run needs, checked.
#[derive(Debug)]
pub struct RunConfig {
    pub input: PathBuf,
    pub out: PathBuf,
    pub plan: Plan,
    pub lang: Lang,
    pub split: Split,
    pub strict: bool,
    pub quiet: bool,
    /// Wait for another run writing the same output folder instead of failing.
    pub wait: bool,
    /// Print the phase table on stderr.
    pub timings: bool,
    /// Rebuild every period, ignoring the manifest.
    pub force: bool,
    pub limits: Limits,
    /// `--pdf`: LibreOffice, found before any work starts.
    pub pdf: Option<Converter>,
    /// `--json`: one JSON document on stdout instead of the text listing.
    pub json: bool,
    /// Keep the reports of months whose inputs are gone (`watch`); a `run`
    /// writes exactly what its inputs hold.
    pub keep_vanished: bool,
}

impl RunConfig {
    /// # Errors
    /// [`Error::PlanFile`] / [`Error::Plan`] for an unreadable or invalid plan;
    /// [`crate::report::ReportError::NoLibreOffice`] for `--pdf` without it.
    pub fn from_args(args: &RunArgs) -> Result<RunConfig, Error> {
        Ok(RunConfig {
            pdf: pdf_converter(args.pdf)?,
            json: args.json,
            input: args.input_dir.clone(),
            out: args.out.clone(),
            plan: load_plan(args.plan.as_deref())?,
            lang: lang(args.lang),
            split: match args.split {
                SplitArg::Manager => Split::Manager,
                SplitArg::Staff => Split::Staff,
                SplitArg::Department => Split::Department,
                SplitArg::None => Split::None,
            },
            strict: args.strict,
            quiet: args.quiet,
            wait: args.wait,
            timings: args.timings,
            force: args.force,
            limits: Limits {
                period: args.period,
                ..limits(args.max_file_size)
            },
            keep_vanished: false,
        })
    }
}

/// LibreOffice when `--pdf` asks for it.
///
/// # Errors
/// [`crate::report::ReportError::NoLibreOffice`] when it is not installed.
pub fn pdf_converter(pdf: bool) -> Result<Option<Converter>, Error> {
    Ok(if pdf { Some(Converter::find()?) } else { None })
}

pub fn lang(arg: LangArg) -> Lang {
    match arg {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    }
}

/// The plan from a file, or the built-in standard plan.
///
/// # Errors
/// [`Error::PlanFile`] when the file cannot be read, [`Error::Plan`] with
/// every problem when it is invalid.
pub fn load_plan(path: Option<&Path>) -> Result<Plan, Error> {
    match path {
        None => Plan::standard().map_err(|error| Error::Plan {
            origin: "(built-in standard plan)".into(),
            error,
        }),
        Some(p) => {
            let unreadable = |source| Error::PlanFile {
                path: p.display().to_string(),
                source,
            };
            let size = std::fs::metadata(p).map_err(unreadable)?.len();
            if size > MAX_PLAN_BYTES {
                return Err(Error::PlanTooLarge {
                    path: p.display().to_string(),
                    bytes: size,
                });
            }
            let text = std::fs::read_to_string(p).map_err(unreadable)?;
            Plan::parse(&text).map_err(|error| Error::Plan {
                origin: p.display().to_string(),
                error,
            })
        }
    }
}

/// A plan is a few kilobytes; anything past this is not a plan.
pub const MAX_PLAN_BYTES: u64 = 1024 * 1024;

/// Bounds rayon's threads; called once, before any parallel work.
pub fn set_jobs(jobs: Option<usize>) {
    if let Some(n) = jobs.filter(|n| *n > 0) {
        // Fails only if the pool already exists, which it cannot yet.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
}

/// Reading limits with the file size from the command line.
pub fn limits(max_file_size: u64) -> Limits {
    Limits {
        max_file_size,
        ..Limits::default()
    }
}

/// A month for `--period`: `2026-10`, `2026/10`, `202610` or `2026年10月`.
///
/// # Errors
/// A message for clap when the text is not one month.
pub fn parse_period(text: &str) -> Result<crate::period::Period, String> {
    let t = text.trim();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    match crate::period::find_period(t) {
        Some(p) if digits <= 6 => Ok(p),
        _ => Err(format!(
            "'{text}' is not a month; write it as YYYY-MM, e.g. 2026-10"
        )),
    }
}

/// A size such as `200MB`, `1.5GB`, `500KB`, `64MiB` or `1048576` (bytes).
///
/// # Errors
/// A message for clap when the text is not a size.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "m" | "mb" => 1000 * 1000,
        "g" | "gb" => 1000 * 1000 * 1000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "'{text}' is not a size; write e.g. 200MB, 1GB or 500KB"
            ));
        }
    };
    let value: rust_decimal::Decimal = num
        .parse()
        .map_err(|_| format!("'{text}' is not a size; write e.g. 200MB, 1GB or 500KB"))?;
    let bytes = value
        .checked_mul(rust_decimal::Decimal::from(factor))
        .and_then(|b| u64::try_from(b.trunc()).ok())
        .filter(|b| *b > 0)
        .ok_or_else(|| format!("'{text}' is not a usable size"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("200MB"), Ok(200_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("500kb"), Ok(500_000));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert!(parse_size("big").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("10TB").is_err());
    }
}
