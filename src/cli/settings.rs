//! Every typed setting built from the command line, in one place: the
//! engine's [`RunConfig`] and options, and the front end's own
//! presentation switches. Nothing else reads clap's types.

use std::path::PathBuf;

use crate::cli::{CheckArgs, LangArg, RunArgs, SampleArgs, SplitArg, WatchArgs};
use crate::config::{RunConfig, load_plan, pdf_converter};
use crate::error::Error;
use crate::input::Limits;
use crate::lang::Lang;
use crate::period::{Period, find_period};
use crate::plan::Plan;
use crate::report::Split;
use crate::sample::SampleOptions;

/// How `run` presents itself: none of it changes what is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Presentation {
    /// Print only data issues and errors.
    pub quiet: bool,
    /// Print the phase table on stderr.
    pub timings: bool,
    /// One JSON document on stdout instead of the text listing.
    pub json: bool,
}

/// `run`'s settings.
///
/// # Errors
/// [`Error::PlanFile`] / [`Error::Plan`] for an unreadable or invalid plan;
/// [`crate::report::ReportError::NoLibreOffice`] for `--pdf` without it.
pub fn run(args: &RunArgs) -> Result<(RunConfig, Presentation), Error> {
    let config = RunConfig {
        pdf: pdf_converter(args.pdf)?,
        input: args.input_dir.clone(),
        out: args.out.clone(),
        plan: load_plan(args.plan.as_deref())?,
        lang: lang(args.lang),
        split: split(args.split),
        strict: args.strict,
        wait: args.wait,
        force: args.force,
        limits: Limits {
            period: args.period,
            ..limits(args.max_file_size)
        },
        jobs: args.jobs,
        keep_vanished: false,
        reopen: args.reopen.map(|period| crate::report::history::Reopen {
            period,
            reason: args.reason.clone().unwrap_or_default(),
            by: who(args.by.as_deref()),
            at: crate::report::close::timestamp(std::time::SystemTime::now()),
        }),
    };
    let shown = Presentation {
        quiet: args.quiet,
        timings: args.timings,
        json: args.json,
    };
    Ok((config, shown))
}

/// `watch`'s run settings: every build waits for a running one and shows
/// no progress.
///
/// # Errors
/// As [`run`].
pub fn watch(args: &WatchArgs) -> Result<RunConfig, Error> {
    Ok(RunConfig {
        input: args.inbox.clone(),
        out: args.out.clone(),
        plan: load_plan(args.plan.as_deref())?,
        lang: lang(args.lang),
        split: Split::default(),
        strict: false,
        wait: true,
        force: false,
        limits: Limits::default(),
        pdf: pdf_converter(args.pdf)?,
        jobs: None,
        keep_vanished: true,
        reopen: None,
    })
}

/// Who closes or reopens a month, for the record: `--by`, else the
/// logged-in user (`USER`, `USERNAME`), else `unknown`.
pub fn who(by: Option<&str>) -> String {
    by.map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// `check`'s settings.
#[derive(Debug)]
pub struct CheckConfig {
    pub input: PathBuf,
    pub plan: Plan,
    pub lang: Lang,
    pub limits: Limits,
    pub jobs: Option<usize>,
    pub json: bool,
}

/// # Errors
/// [`Error::PlanFile`] / [`Error::Plan`] for an unreadable or invalid plan.
pub fn check(args: &CheckArgs) -> Result<CheckConfig, Error> {
    Ok(CheckConfig {
        input: args.input_dir.clone(),
        plan: load_plan(args.plan.as_deref())?,
        lang: lang(args.lang),
        limits: Limits {
            period: args.period,
            ..limits(args.max_file_size)
        },
        jobs: args.jobs,
        json: args.json,
    })
}

/// `sample`'s options.
pub fn sample(args: &SampleArgs) -> SampleOptions {
    SampleOptions {
        out: args.out.clone(),
        staff: args.staff,
        months: args.months,
        lang: lang(args.lang),
        seed: args.seed,
    }
}

pub fn lang(arg: LangArg) -> Lang {
    match arg {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    }
}

fn split(arg: SplitArg) -> Split {
    match arg {
        SplitArg::Manager => Split::Manager,
        SplitArg::Staff => Split::Staff,
        SplitArg::Department => Split::Department,
        SplitArg::None => Split::None,
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
pub fn parse_period(text: &str) -> Result<Period, String> {
    let t = text.trim();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    match find_period(t) {
        Some(p) if digits <= 6 => Ok(p),
        _ => Err(format!(
            "'{text}' is not a month; write it as YYYY-MM, e.g. 2026-10"
        )),
    }
}

/// A reason for the record: any text but a blank one.
///
/// # Errors
/// A message for clap when the text is empty or only spaces.
pub fn parse_reason(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        Err("a reason must say why the paid payroll is replaced; it cannot be blank".into())
    } else {
        Ok(t.to_owned())
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
