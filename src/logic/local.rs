//! Local information: what one party knows, from which the evaluator decides.
//!
//! The core knows the facts every system shares — the party's own addresses, signatures,
//! pre-images and Merkle sets — and holds one typed slot per system for the rest
//! ([`LocalInfo::facts`], [`LocalInfo::facts_mut`]): channel updates, plasma chains and
//! recorded VM runs live in the channel, plasma and rollup systems, which also read their
//! sections of the JSON file ([`InfoSection`], registered in the [`Registry`]).
//!
//! The file's core sections (all optional):
//!
//! ```json
//! {
//!   "own": ["0x…address"],
//!   "signatures": [{ "message": "0x…32 bytes", "signer": "0x…", "signature": "0x…65 bytes" }],
//!   "preimages": ["0x…data"],
//!   "merkle_sets": [{ "leaves": ["0x…32 bytes"], "complete": true }]
//! }
//! ```
//!
//! - `own`: addresses whose signatures this file lists *exhaustively* (your own
//!   keys). A message not signed here was never signed by them, so a claim that
//!   needs their signature on it is known to be false.
//! - `signatures`: signed 32-byte messages (EIP-191), checked on load.
//! - `preimages`: data whose keccak256 pre-images you can show.
//! - `merkle_sets`: sets you know the leaves of; `complete: true` (the default)
//!   makes the set's membership known for quantifiers over its root.
//!
//! Every other key belongs to a system's section (`channels`, `plasma_chains`, documented
//! with their systems); a key no section claims is an error, as is a key given twice.

use super::crypto::{merkle_root, recover};
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
use thiserror::Error;

/// Why a local-information file was rejected.
#[derive(Debug, Error)]
pub enum LocalInfoError {
    /// Not valid JSON or not the documented shape.
    #[error("malformed local information at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde said.
        message: String,
    },
    /// A signature that does not check out.
    #[error("{place}: {message}")]
    BadSignature {
        /// JSON path of the entry, e.g. `channels[0].updates[3].signatures[1]`.
        place: String,
        /// What is wrong.
        message: String,
    },
    /// Something else inconsistent.
    #[error("{place}: {message}")]
    Invalid {
        /// JSON path of the entry.
        place: String,
        /// What is wrong.
        message: String,
    },
}

/// A `uint256` given as a JSON number, a decimal string or a `0x` hex string.
pub fn uint_from_json<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Num {
        N(u64),
        S(String),
    }
    match Num::deserialize(d)? {
        Num::N(n) => Ok(U256::from(n)),
        Num::S(s) => {
            let r = if let Some(h) = s.strip_prefix("0x") {
                U256::from_str_radix(h, 16)
            } else {
                U256::from_str_radix(&s, 10)
            };
            r.map_err(|e| serde::de::Error::custom(format!("invalid uint256 {s:?}: {e}")))
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSig {
    message: B256,
    signer: Address,
    signature: Bytes,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMerkleSet {
    leaves: Vec<B256>,
    #[serde(default = "yes")]
    complete: bool,
}

/// One top-level value of a local-information file, with where it starts, so that errors
/// inside it name their line and column in the whole file.
pub struct Section<'a> {
    text: &'a str,
    raw: &'a RawValue,
}

impl Section<'_> {
    /// Deserializes the section; an error names its line and column in the file.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, LocalInfoError> {
        serde_json::from_str(self.raw.get()).map_err(|e| self.error(&e))
    }

    fn error(&self, e: &serde_json::Error) -> LocalInfoError {
        let offset = self.raw.get().as_ptr() as usize - self.text.as_ptr() as usize;
        let (line, column) = position(self.text, offset);
        // Errors on the section's first line are offset by the columns before it.
        let column = if e.line() <= 1 {
            column + e.column().saturating_sub(1)
        } else {
            e.column()
        };
        LocalInfoError::Json {
            line: line + e.line().saturating_sub(1),
            column,
            message: e.to_string(),
        }
    }
}

/// 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// A section of the local-information file that a system reads (e.g. `channels`).
pub trait InfoSection: Send + Sync {
    /// The top-level key.
    fn key(&self) -> &'static str;
    /// Reads the section into `info` (its system's [`Facts`] slot, or the shared facts);
    /// errors name the JSON path of the entry that is wrong (`channels[0].updates[3]`).
    fn load(&self, section: &Section<'_>, info: &mut LocalInfo) -> Result<(), LocalInfoError>;
}

/// A system's slice of local information, stored in [`LocalInfo`] by type.
pub trait Facts: Any + Send + Sync + fmt::Debug {
    /// A boxed copy (local information is cloned per party).
    fn clone_facts(&self) -> Box<dyn Facts>;
    /// As `Any`, to downcast.
    fn as_any(&self) -> &dyn Any;
    /// As `Any`, to downcast mutably.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any + Clone + Send + Sync + fmt::Debug> Facts for T {
    fn clone_facts(&self) -> Box<dyn Facts> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// One slot; its own `Clone` so that a clone never wraps the box in another box.
#[derive(Debug)]
struct Slot(Box<dyn Facts>);

impl Clone for Slot {
    fn clone(&self) -> Self {
        Slot((*self.0).clone_facts())
    }
}

/// A set with known members.
#[derive(Clone, Debug)]
pub struct MerkleSet {
    /// Leaves in tree order.
    pub leaves: Vec<B256>,
    /// Whether the membership is known completely.
    pub complete: bool,
}

/// Indexed local information.
#[derive(Clone, Debug, Default)]
pub struct LocalInfo {
    own: HashSet<Address>,
    /// (message, signer) → signature.
    signatures: HashMap<(B256, Address), Vec<u8>>,
    preimages: HashMap<B256, Vec<u8>>,
    merkle_sets: HashMap<B256, MerkleSet>,
    /// Each system's slice, by its type.
    facts: HashMap<TypeId, Slot>,
    /// Knowledge that decides definition calls without unfolding them; programmatic only.
    call_oracles: Vec<Arc<dyn CallOracle>>,
}

/// Knowledge that shows some definition calls True without unfolding them, where unfolding
/// would take long: e.g. the rollup system's `TraceFacts` decides a million-step `trace`
/// claim from a recorded run in O(1) where the unfolding walks every step.
///
/// An implementation must answer `true` only for calls the evaluator would also decide True by
/// unfolding them with the same local information (differential tests check this); the
/// evaluator then answers True with no evidence, and the evidence for each later move comes
/// from deciding the claim that move answers.
pub trait CallOracle: std::fmt::Debug + Send + Sync {
    /// Whether the call of definition `index` of group `group` with these (literal) arguments
    /// is known to be True.
    fn known_true(&self, group: &B256, index: u32, args: &[Vec<u8>], info: &LocalInfo) -> bool;
}

/// The top-level object of a local-information file, keys in order, duplicates refused.
struct TopLevel<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for TopLevel<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = TopLevel<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of local information")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
                let mut out: Vec<(String, &'a RawValue)> = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    if out.iter().any(|(seen, _)| *seen == k) {
                        return Err(serde::de::Error::custom(format!("duplicate field `{k}`")));
                    }
                    let v: &'a RawValue = m.next_value()?;
                    out.push((k, v));
                }
                Ok(TopLevel(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// The keys the core reads itself.
const CORE_KEYS: [&str; 4] = ["own", "signatures", "preimages", "merkle_sets"];

impl LocalInfo {
    /// Empty local information: nothing known.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses and checks the JSON format of the module docs: the core sections, then each of
    /// `sections` (the ones systems registered: `Registry::info_sections`), in order. Every
    /// signature is verified; the error names the entry that is wrong, or the line and column.
    pub fn from_json(
        text: &str,
        sections: &[std::sync::Arc<dyn InfoSection>],
    ) -> Result<Self, LocalInfoError> {
        let json_error = |e: serde_json::Error| LocalInfoError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        };
        let top: TopLevel<'_> = serde_json::from_str(text).map_err(json_error)?;
        for (key, raw) in &top.0 {
            if !CORE_KEYS.contains(&key.as_str()) && !sections.iter().any(|s| s.key() == key) {
                let known: Vec<String> = CORE_KEYS
                    .iter()
                    .copied()
                    .chain(sections.iter().map(|s| s.key()))
                    .map(|k| format!("`{k}`"))
                    .collect();
                let (line, column) =
                    position(text, raw.get().as_ptr() as usize - text.as_ptr() as usize);
                return Err(LocalInfoError::Json {
                    line,
                    column,
                    message: format!(
                        "unknown field `{key}`, expected one of {}",
                        known.join(", ")
                    ),
                });
            }
        }
        let get = |k: &str| {
            top.0
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, raw)| Section { text, raw })
        };
        let mut info = LocalInfo::new();
        if let Some(s) = get("own") {
            info.own.extend(s.parse::<Vec<Address>>()?);
        }
        if let Some(s) = get("signatures") {
            for (i, s) in s.parse::<Vec<FileSig>>()?.into_iter().enumerate() {
                info.add_signature(s.message, s.signer, s.signature.to_vec())
                    .map_err(|message| LocalInfoError::BadSignature {
                        place: format!("signatures[{i}]"),
                        message,
                    })?;
            }
        }
        if let Some(s) = get("preimages") {
            for p in s.parse::<Vec<Bytes>>()? {
                info.add_preimage(p.to_vec());
            }
        }
        if let Some(s) = get("merkle_sets") {
            for m in s.parse::<Vec<FileMerkleSet>>()? {
                info.add_merkle_set(m.leaves, m.complete);
            }
        }
        for section in sections {
            if let Some(s) = get(section.key()) {
                section.load(&s, &mut info)?;
            }
        }
        Ok(info)
    }

    /// A system's slice, if anything was recorded in it.
    pub fn facts<T: Facts + Default>(&self) -> Option<&T> {
        self.facts
            .get(&TypeId::of::<T>())
            .and_then(|s| (*s.0).as_any().downcast_ref())
    }

    /// A system's slice, created empty on first use.
    pub fn facts_mut<T: Facts + Default>(&mut self) -> &mut T {
        let slot = self
            .facts
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Slot(Box::new(T::default())));
        (*slot.0)
            .as_any_mut()
            .downcast_mut()
            .expect("a slot holds the type it is keyed by")
    }

    /// Declares `addr` one of ours: every signature it ever made is listed.
    pub fn add_own(&mut self, addr: Address) {
        self.own.insert(addr);
    }

    /// Whether `addr` is one of ours.
    pub fn is_own(&self, addr: &Address) -> bool {
        self.own.contains(addr)
    }

    /// Records a signature after checking it recovers to `signer`.
    pub fn add_signature(
        &mut self,
        message: B256,
        signer: Address,
        sig: Vec<u8>,
    ) -> Result<(), String> {
        match recover(message, &sig) {
            Ok(a) if a == signer => {
                self.signatures.insert((message, signer), sig);
                Ok(())
            }
            Ok(a) => Err(format!(
                "signature recovers to {a:#x}, not to the signer {signer:#x}"
            )),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Records a signature already checked to recover to `signer` (by a system that
    /// verified it while loading its own section).
    pub fn add_checked_signature(&mut self, message: B256, signer: Address, sig: Vec<u8>) {
        self.signatures.insert((message, signer), sig);
    }

    /// A held signature of `signer` on `message`.
    pub fn signature(&self, message: &B256, signer: &Address) -> Option<&[u8]> {
        self.signatures.get(&(*message, *signer)).map(Vec::as_slice)
    }

    /// Records a pre-image.
    pub fn add_preimage(&mut self, data: Vec<u8>) {
        self.preimages.insert(keccak256(&data), data);
    }

    /// The pre-image of `hash`, if known.
    pub fn preimage(&self, hash: &B256) -> Option<&[u8]> {
        self.preimages.get(hash).map(Vec::as_slice)
    }

    /// Records a Merkle set; returns its root.
    pub fn add_merkle_set(&mut self, leaves: Vec<B256>, complete: bool) -> B256 {
        let root = merkle_root(&leaves);
        self.merkle_sets
            .insert(root, MerkleSet { leaves, complete });
        root
    }

    /// The set with this root, if its leaves are known.
    pub fn merkle_set(&self, root: &B256) -> Option<&MerkleSet> {
        self.merkle_sets.get(root)
    }

    /// Adds knowledge that decides calls directly (see [`CallOracle`]).
    pub fn add_call_oracle(&mut self, oracle: Arc<dyn CallOracle>) {
        self.call_oracles.push(oracle);
    }

    /// Whether some [`CallOracle`] knows this call to be True.
    pub fn call_known_true(&self, group: &B256, index: u32, args: &[Vec<u8>]) -> bool {
        self.call_oracles
            .iter()
            .any(|o| o.known_true(group, index, args, self))
    }
}
