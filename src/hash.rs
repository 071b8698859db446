//! Content hashes: the plan's source hash, the manifest's fingerprints and
//! the SHA-256 of every file written.

use sha2::{Digest, Sha256};

/// The SHA-256 of some bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
