//! Colour on the terminal: `--color auto|always|never` and `NO_COLOR`.
//!
//! One choice, made once, covers everything: it is stored as anstream's
//! global choice, which both clap (help and usage errors) and
//! [`stderr`] follow. `auto` colours only a terminal and honours
//! `NO_COLOR` (and `CLICOLOR_FORCE`); `always` and `never` are as asked.
//! Output is written with styles embedded and the stream strips them when
//! colour is off, so no code path prints differently.

use std::ffi::OsString;

use anstyle::{AnsiColor, Style};

use crate::cli::args::ColorArg;

/// The heading of the error list and the `error:` prefix.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The heading of the warning list.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();

/// Makes `choice` the colour choice of every stream and of clap.
pub fn set(choice: ColorArg) {
    anstream::ColorChoice::write_global(match choice {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    });
}

/// clap's name for `choice`.
pub fn clap_choice(choice: ColorArg) -> clap::ColorChoice {
    match choice {
        ColorArg::Auto => clap::ColorChoice::Auto,
        ColorArg::Always => clap::ColorChoice::Always,
        ColorArg::Never => clap::ColorChoice::Never,
    }
}

/// `--color` read from raw arguments, before clap parses them (clap prints
/// help while parsing, so the choice must be known first). The last one
/// wins, as in clap; an invalid value is left for clap to report.
pub fn choice_in_args(args: &[OsString]) -> ColorArg {
    let mut choice = ColorArg::Auto;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = if arg == "--color" {
            iter.next().map(|v| v.into_owned())
        } else {
            arg.strip_prefix("--color=").map(str::to_owned)
        };
        match value.as_deref() {
            Some("always") => choice = ColorArg::Always,
            Some("never") => choice = ColorArg::Never,
            Some("auto") => choice = ColorArg::Auto,
            _ => {}
        }
    }
    choice
}

/// Standard error, coloured as chosen.
pub fn stderr() -> anstream::Stderr {
    anstream::stderr()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn color_is_read_ahead_of_clap() {
        assert_eq!(choice_in_args(&args(&["k", "run", "x"])), ColorArg::Auto);
        assert_eq!(
            choice_in_args(&args(&["k", "--color", "always", "run"])),
            ColorArg::Always
        );
        assert_eq!(
            choice_in_args(&args(&["k", "run", "--color=never", "--help"])),
            ColorArg::Never
        );
        assert_eq!(
            choice_in_args(&args(&["k", "--color=never", "--color", "always"])),
            ColorArg::Always
        );
        assert_eq!(
            choice_in_args(&args(&["k", "run", "--", "--color=never"])),
            ColorArg::Auto
        );
    }
}
