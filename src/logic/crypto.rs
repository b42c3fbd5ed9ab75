//! The cryptography claims rely on: Ethereum-style ECDSA (secp256k1, k256)
//! and a keccak256 binary Merkle tree. The on-chain verifiers implement the
//! same definitions.

use alloy_primitives::{keccak256, Address, B256};
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};
use thiserror::Error;

/// Why a signature was rejected.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SigError {
    /// Not 65 bytes.
    #[error("a signature is 65 bytes (r ‖ s ‖ v), got {0}")]
    Length(usize),
    /// `v` is not 27 or 28.
    #[error("signature v must be 27 or 28, got {0}")]
    V(u8),
    /// `r` or `s` is zero or out of range, or `s` is in the upper half (malleable).
    #[error("signature r/s out of range or s not in the lower half of the curve order")]
    Scalar,
    /// Recovery failed.
    #[error("no public key recovers from this signature")]
    Recover,
}

/// `keccak256("\x19Ethereum Signed Message:\n32" ‖ digest)` (EIP-191), what
/// wallets sign for a 32-byte message.
pub fn eth_signed_hash(digest: B256) -> B256 {
    let mut buf = Vec::with_capacity(60);
    buf.extend_from_slice(b"\x19Ethereum Signed Message:\n32");
    buf.extend_from_slice(digest.as_slice());
    keccak256(buf)
}

/// The Ethereum address of a public key.
pub fn address_of(key: &VerifyingKey) -> Address {
    let point = key.to_encoded_point(false);
    // Uncompressed points are 65 bytes: 0x04 ‖ x ‖ y.
    let hash = keccak256(&point.as_bytes()[1..]);
    Address::from_slice(&hash[12..])
}

/// Recovers the signer of `digest` (signed as an EIP-191 32-byte message).
/// Only canonical signatures are accepted: `v ∈ {27, 28}` and low `s`, as the
/// on-chain verifier requires.
pub fn recover(digest: B256, sig: &[u8]) -> Result<Address, SigError> {
    if sig.len() != 65 {
        return Err(SigError::Length(sig.len()));
    }
    let v = sig[64];
    if v != 27 && v != 28 {
        return Err(SigError::V(v));
    }
    let signature = Signature::from_slice(&sig[..64]).map_err(|_| SigError::Scalar)?;
    if signature.normalize_s().is_some() {
        return Err(SigError::Scalar);
    }
    let rec = RecoveryId::from_byte(v - 27).ok_or(SigError::V(v))?;
    let key =
        VerifyingKey::recover_from_prehash(eth_signed_hash(digest).as_slice(), &signature, rec)
            .map_err(|_| SigError::Recover)?;
    Ok(address_of(&key))
}

/// Signs `digest` as an EIP-191 32-byte message; returns `r ‖ s ‖ v` with `v ∈ {27, 28}`.
pub fn sign(key: &SigningKey, digest: B256) -> [u8; 65] {
    let mut out = [0u8; 65];
    // Signing a 32-byte prehash with a valid key cannot fail.
    if let Ok((sig, rec)) = key.sign_prehash_recoverable(eth_signed_hash(digest).as_slice()) {
        let (sig, rec) = match sig.normalize_s() {
            Some(low) => (low, RecoveryId::new(!rec.is_y_odd(), rec.is_x_reduced())),
            None => (sig, rec),
        };
        out[..64].copy_from_slice(&sig.to_bytes());
        out[64] = 27 + rec.to_byte();
    }
    out
}

/// A signing key from 32 secret bytes.
pub fn signing_key(secret: &[u8]) -> Option<SigningKey> {
    SigningKey::from_slice(secret).ok()
}

/// Domain-separated leaf hash: `keccak256(0x00 ‖ leaf)`.
pub fn merkle_leaf(leaf: B256) -> B256 {
    let mut b = [0u8; 33];
    b[1..].copy_from_slice(leaf.as_slice());
    keccak256(b)
}

/// Domain-separated inner node: `keccak256(0x01 ‖ left ‖ right)`.
pub fn merkle_node(left: B256, right: B256) -> B256 {
    let mut b = [0u8; 65];
    b[0] = 1;
    b[1..33].copy_from_slice(left.as_slice());
    b[33..].copy_from_slice(right.as_slice());
    keccak256(b)
}

/// Deepest Merkle tree the verifiers accept (2^32 leaves).
pub const MERKLE_MAX_DEPTH: usize = 32;

/// The levels of the tree over `leaves`, padded with zero nodes to a power of two.
fn merkle_levels(leaves: &[B256]) -> Vec<Vec<B256>> {
    let mut level: Vec<B256> = leaves.iter().map(|l| merkle_leaf(*l)).collect();
    let mut levels = Vec::new();
    if level.is_empty() {
        return vec![vec![B256::ZERO]];
    }
    while level.len() > 1 {
        if level.len() % 2 == 1 {
            level.push(B256::ZERO);
        }
        let next = level.chunks(2).map(|p| merkle_node(p[0], p[1])).collect();
        levels.push(std::mem::replace(&mut level, next));
    }
    levels.push(level);
    levels
}

/// The root of the set `leaves` (in order). The empty set has root zero.
pub fn merkle_root(leaves: &[B256]) -> B256 {
    merkle_levels(leaves)
        .last()
        .and_then(|l| l.first().copied())
        .unwrap_or(B256::ZERO)
}

/// The sibling path of leaf `index`, bottom up, or `None` if out of range.
pub fn merkle_proof(leaves: &[B256], index: usize) -> Option<Vec<B256>> {
    if index >= leaves.len() {
        return None;
    }
    let levels = merkle_levels(leaves);
    let mut i = index;
    let mut out = Vec::new();
    for level in &levels[..levels.len() - 1] {
        out.push(level.get(i ^ 1).copied().unwrap_or(B256::ZERO));
        i >>= 1;
    }
    Some(out)
}

/// Whether `siblings` prove `leaf` at `index` under `root`.
pub fn merkle_verify(root: B256, leaf: B256, index: u64, siblings: &[B256]) -> bool {
    if siblings.len() > MERKLE_MAX_DEPTH || (siblings.len() < 64 && index >> siblings.len() != 0) {
        return false;
    }
    let mut node = merkle_leaf(leaf);
    for (level, s) in siblings.iter().enumerate() {
        node = if (index >> level) & 1 == 1 {
            merkle_node(*s, node)
        } else {
            merkle_node(node, *s)
        };
    }
    node == root
}
