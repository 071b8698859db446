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

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// The record of closed (paid) months at the root of the output folder
/// (see `report::close`), whose hash the manifest keeps.
pub const CLOSED: &str = "closed.json";

/// One period's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodEntry {
    pub fingerprint: String,
    /// Files of the period, relative to the output folder.
    pub files: Vec<String>,
    /// Each file's SHA-256 as written, by path: a file is reused (or
    /// removed as stale) only while its bytes still hash to this. Absent in
    /// manifests of earlier versions, whose files are then rebuilt.
    #[serde(default)]
    pub sha256: BTreeMap<String, String>,
}

/// The whole manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub program: String,
    /// By period folder (`2026-10`, `ytd-2026`).
    pub periods: BTreeMap<String, PeriodEntry>,
    /// The SHA-256 of `closed.json`, the record of closed (paid) months,
    /// when there is one: a record changed or removed outside kpi-report
    /// is refused, never read as "nothing closed".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_sha256: Option<String>,
}

/// The largest manifest read: far above the ~150 bytes a file takes in it
/// (a million files), far below what would exhaust memory.
pub const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;

/// Whether `rel` is a plain relative path inside the output folder, in the
/// period folder `period`: `/`-separated normal names only (no `..`, `.`,
/// root, drive, backslash, empty or control-character component).
pub fn plain_path(rel: &str, period: &str) -> bool {
    let mut parts = rel.split('/');
    if parts.next() != Some(period) || !plain_name(period) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty() && rest.iter().all(|p| plain_name(p))
}

fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['\\', ':', '\0'])
        && !name.chars().any(char::is_control)
}

impl Manifest {
    /// The paths the manifest claims, where they are plain paths inside the
    /// output folder (see [`plain_path`]), with the hash recorded for each.
    pub fn claims(&self) -> BTreeMap<String, Option<String>> {
        let mut all = BTreeMap::new();
        for (period, entry) in &self.periods {
            for f in &entry.files {
                if plain_path(f, period) {
                    all.insert(f.clone(), entry.sha256.get(f).cloned());
                }
            }
        }
        all
    }

    /// The period entries whose paths are not all plain paths in their
    /// period's folder; such an entry is ignored and its period rebuilt.
    pub fn invalid_periods(&self) -> Vec<String> {
        self.periods
            .iter()
            .filter(|(period, e)| {
                e.files.is_empty() || !e.files.iter().all(|f| plain_path(f, period))
            })
            .map(|(period, _)| period.clone())
            .collect()
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
                sha256: BTreeMap::from([("2026-10/results.csv".into(), "00".into())]),
            },
        );
        let back: Manifest = serde_json::from_slice(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn only_plain_paths_inside_the_period_folder_are_claims() {
        for ok in ["2026-10/results.csv", "2026-10/managers/S003.xlsx"] {
            assert!(plain_path(ok, "2026-10"), "{ok}");
        }
        for bad in [
            "../victim",
            "/etc/passwd",
            "2026-10/../../victim",
            "2026-10/./x",
            "2026-10//x",
            "2026-10/",
            "2026-10",
            "2026-11/results.csv",
            "2026-10\\..\\x",
            "C:/x",
            "2026-10/a\u{1}b",
            "",
        ] {
            assert!(!plain_path(bad, "2026-10"), "{bad:?}");
        }
        assert!(!plain_path("../x", ".."));
    }
}
