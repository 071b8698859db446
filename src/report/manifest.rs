//! `manifest.json`: what each period's reports were built from, so a re-run
//! rebuilds only the periods whose inputs, plan, options or program version
//! changed (plus the year to date), and reuses the other folders as they
//! are.
//!
//! A period's fingerprint is a SHA-256 over everything its files are made
//! from — the program version, the plan's text, the options, the roster, the
//! period's cases, scores and issues, and the periods its trend shows — so
//! equal fingerprints mean byte-identical files.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// One period's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodEntry {
    pub fingerprint: String,
    /// Files of the period, relative to the output folder.
    pub files: Vec<String>,
}

/// The whole manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub program: String,
    /// By period folder (`2026-10`, `ytd-2026`).
    pub periods: BTreeMap<String, PeriodEntry>,
}

impl Manifest {
    /// The manifest of a previous run, if there is a readable one.
    pub fn load(out: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(out.join(MANIFEST)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The manifest as written: pretty JSON, keys in a fixed order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    }
}

/// Streams `Debug` output into SHA-256 without building the string.
pub struct Fingerprint(Sha256);

impl Fingerprint {
    pub fn new() -> Fingerprint {
        Fingerprint(Sha256::new())
    }

    /// Adds a value by its `Debug` form (types whose `Debug` is
    /// deterministic: no hash maps).
    pub fn add(&mut self, value: &dyn fmt::Debug) -> &mut Self {
        let _ = write!(self, "{value:?}\u{1f}");
        self
    }

    pub fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint::new()
    }
}

impl fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

pub use crate::hash::sha256_hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_sensitive() {
        let a = {
            let mut f = Fingerprint::new();
            f.add(&"2026-10").add(&vec![1, 2, 3]);
            f.finish()
        };
        let b = {
            let mut f = Fingerprint::new();
            f.add(&"2026-10").add(&vec![1, 2, 3]);
            f.finish()
        };
        let c = {
            let mut f = Fingerprint::new();
            f.add(&"2026-10").add(&vec![1, 2, 4]);
            f.finish()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn manifest_round_trips() {
        let mut m = Manifest {
            program: "kpi-report 0.1.0".into(),
            ..Manifest::default()
        };
        m.periods.insert(
            "2026-10".into(),
            PeriodEntry {
                fingerprint: "ab".into(),
                files: vec!["2026-10/results.csv".into()],
            },
        );
        let back: Manifest = serde_json::from_slice(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
    }
}
