//! Helpers shared by the test binaries (`mod common;` in each): the one
//! directory walker, the one byte mutator, the hand-built zip archives, and
//! the rule for tests that need an outside tool or root.
//!
//! Each test binary uses some of them, hence `dead_code` allowed here.
#![allow(dead_code)]

pub mod http;
pub mod zip;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (subfolders included), relative to it, sorted.
/// A folder that does not exist has none.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).expect("under root").to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

/// Every file under `dir` (relative path → bytes).
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(dir.join(&rel)).expect("read file");
            (rel, bytes)
        })
        .collect()
}

/// Replaces `to` with a copy of everything under `from`.
pub fn copy_tree(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for (rel, bytes) in tree(from) {
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("create dir");
        std::fs::write(dest, bytes).expect("write file");
    }
}

/// One mutation of `bytes`: truncated, bits flipped, or two chunks swapped.
/// Returns what was done, and the mutated bytes.
pub fn mutate(rng: &mut fastrand::Rng, bytes: &[u8]) -> (String, Vec<u8>) {
    let mut b = bytes.to_vec();
    let len = b.len().max(1);
    match rng.u8(0..3) {
        0 => {
            let at = rng.usize(0..len);
            b.truncate(at);
            (format!("truncated at {at}"), b)
        }
        1 => {
            let flips = rng.usize(1..=16);
            for _ in 0..flips {
                if b.is_empty() {
                    break;
                }
                let i = rng.usize(0..b.len());
                b[i] ^= 1 << rng.u8(0..8);
            }
            (format!("{flips} bits flipped"), b)
        }
        _ => {
            let size = rng.usize(1..=(len / 4).max(1));
            let a = rng.usize(0..=(b.len().saturating_sub(size)));
            let c = rng.usize(0..=(b.len().saturating_sub(size)));
            if a + size <= c || c + size <= a {
                let (lo, hi) = if a < c { (a, c) } else { (c, a) };
                let (left, right) = b.split_at_mut(hi);
                left[lo..lo + size].swap_with_slice(&mut right[..size]);
            }
            (format!("{size}-byte chunks at {a} and {c} swapped"), b)
        }
    }
}

/// For a test that needs something the machine may lack (LibreOffice,
/// root): true when it is there. When it is not, the test fails under CI
/// (the `CI` variable set), where it must run; elsewhere it prints a notice
/// and the caller skips.
#[track_caller]
pub fn available(present: bool, what: &str) -> bool {
    if present {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is missing, and CI must run this test: install it"
    );
    eprintln!("NOTICE: {what} is missing; test skipped (it fails under CI)");
    false
}
