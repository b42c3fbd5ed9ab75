//! Host side of the pre-image oracle: the traits the VM calls, key types, key helpers and an
//! in-memory store.
//!
//! Spec: [`specs/fault-proof/index.md` § Pre-image Oracle](https://github.com/ethereum-optimism/specs/blob/1c3133d/specs/fault-proof/index.md#pre-image-oracle).
//! A key is 32 bytes whose first byte is its [`KeyType`]. The program asks for hints on fd 4
//! (answered on fd 3) and for pre-images by writing the key to fd 6 and reading
//! `(8-byte big-endian length ‖ pre-image)` from fd 5.

use std::collections::HashMap;
use std::path::Path;

use sha3::{Digest, Keccak256};

/// A 32-byte type-prefixed pre-image key.
pub type PreimageKey = [u8; 32];

/// `keccak256(data)`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// Pre-image key types, the first byte of a key.
///
/// See [the spec's key types](https://github.com/ethereum-optimism/specs/blob/1c3133d/specs/fault-proof/index.md#pre-image-key-types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum KeyType {
    /// Type 1: local to one dispute (bootstrapping inputs by index); served by the dispute and,
    /// on-chain, localized with the caller and the dispute's local context.
    Local = 1,
    /// Type 2: global keccak256 pre-image, `2 ‖ keccak256(data)[1..]`.
    Keccak256 = 2,
    /// Type 4: global SHA2-256 pre-image, `4 ‖ sha256(data)[1..]`.
    Sha256 = 4,
    /// Type 5: EIP-4844 blob point evaluation, `5 ‖ keccak256(commitment ‖ z)[1..]`.
    Blob = 5,
    /// Type 6: precompile result, `6 ‖ keccak256(precompile ‖ input)[1..]`.
    Precompile = 6,
}

impl KeyType {
    /// The type of a key, if its first byte is one of the known types.
    pub fn of(key: &PreimageKey) -> Option<KeyType> {
        match key[0] {
            1 => Some(KeyType::Local),
            2 => Some(KeyType::Keccak256),
            4 => Some(KeyType::Sha256),
            5 => Some(KeyType::Blob),
            6 => Some(KeyType::Precompile),
            _ => None,
        }
    }
}

/// The local key for input `index`: type byte 1 and the index as a big-endian u64 in the last 8
/// bytes (as the OP Stack program's `LocalIndexKey` does).
pub fn local_key(index: u64) -> PreimageKey {
    let mut k = [0u8; 32];
    k[0] = KeyType::Local as u8;
    k[24..].copy_from_slice(&index.to_be_bytes());
    k
}

/// The global keccak256 key of `data`: `2 ‖ keccak256(data)[1..]`.
pub fn keccak_key(data: &[u8]) -> PreimageKey {
    let mut k = keccak256(data);
    k[0] = KeyType::Keccak256 as u8;
    k
}

/// The on-chain form of a local key: `1 ‖ keccak256(key ‖ caller ‖ local_context)[1..]`, with
/// `caller` (the VM contract's caller, an address) left-padded to 32 bytes, as the on-chain
/// oracle stores it. Off-chain the VM asks its oracle for the key as the program wrote it.
pub fn localize_key(key: &PreimageKey, caller: &[u8; 20], local_context: &[u8; 32]) -> PreimageKey {
    let mut buf = [0u8; 96];
    buf[..32].copy_from_slice(key);
    buf[44..64].copy_from_slice(caller);
    buf[64..].copy_from_slice(local_context);
    let mut k = keccak256(&buf);
    k[0] = KeyType::Local as u8;
    k
}

/// Serves pre-images by key.
pub trait PreimageOracle {
    /// The pre-image for `key` (without the length prefix), or `None` if unknown.
    fn get_preimage(&mut self, key: &PreimageKey) -> Option<Vec<u8>>;
}

/// Receives the hints a program writes to fd 4, one complete hint (without its 4-byte length
/// prefix) per call. Hints never change the VM state; a host may use them to fetch pre-images
/// before they are requested. The default implementation ignores them.
pub trait HintHandler {
    /// Handles one hint.
    fn hint(&mut self, hint: &[u8]) {
        let _ = hint;
    }
}

impl<T: PreimageOracle + ?Sized> PreimageOracle for Box<T> {
    fn get_preimage(&mut self, key: &PreimageKey) -> Option<Vec<u8>> {
        (**self).get_preimage(key)
    }
}

impl<T: HintHandler + ?Sized> HintHandler for Box<T> {
    fn hint(&mut self, hint: &[u8]) {
        (**self).hint(hint)
    }
}

/// An in-memory pre-image store that also records the hints it receives.
#[derive(Debug, Clone, Default)]
pub struct MemoryOracle {
    preimages: HashMap<PreimageKey, Vec<u8>>,
    hints: Vec<Vec<u8>>,
}

impl MemoryOracle {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `data` under an arbitrary key.
    pub fn insert(&mut self, key: PreimageKey, data: impl Into<Vec<u8>>) {
        self.preimages.insert(key, data.into());
    }

    /// Stores `data` as local input `index` and returns its key.
    pub fn insert_local(&mut self, index: u64, data: impl Into<Vec<u8>>) -> PreimageKey {
        let key = local_key(index);
        self.insert(key, data);
        key
    }

    /// Stores `data` as a keccak256 pre-image and returns its key.
    pub fn insert_keccak(&mut self, data: impl Into<Vec<u8>>) -> PreimageKey {
        let data = data.into();
        let key = keccak_key(&data);
        self.insert(key, data);
        key
    }

    /// Stores a file's contents as a keccak256 pre-image and returns its key.
    pub fn insert_keccak_file(&mut self, path: impl AsRef<Path>) -> std::io::Result<PreimageKey> {
        Ok(self.insert_keccak(std::fs::read(path)?))
    }

    /// The pre-image stored under `key`.
    pub fn get(&self, key: &PreimageKey) -> Option<&[u8]> {
        self.preimages.get(key).map(Vec::as_slice)
    }

    /// Number of stored pre-images.
    pub fn len(&self) -> usize {
        self.preimages.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.preimages.is_empty()
    }

    /// Hints received so far, in order.
    pub fn hints(&self) -> &[Vec<u8>] {
        &self.hints
    }
}

impl PreimageOracle for MemoryOracle {
    fn get_preimage(&mut self, key: &PreimageKey) -> Option<Vec<u8>> {
        self.preimages.get(key).cloned()
    }
}

impl HintHandler for MemoryOracle {
    fn hint(&mut self, hint: &[u8]) {
        self.hints.push(hint.to_vec());
    }
}
