//! Local information: what one party knows, from which the evaluator decides.
//!
//! It is read from a JSON file (documented in `examples/README.md` and in the
//! main README). All fields are optional:
//!
//! ```json
//! {
//!   "own": ["0x…address"],
//!   "signatures": [{ "message": "0x…32 bytes", "signer": "0x…", "signature": "0x…65 bytes" }],
//!   "preimages": ["0x…data"],
//!   "channels": [{
//!     "id": "0x…32 bytes", "participants": ["0x…", "0x…"], "complete": true,
//!     "updates": [{ "nonce": 7, "state_hash": "0x…", "signatures": ["0x…", null] }]
//!   }],
//!   "merkle_sets": [{ "leaves": ["0x…32 bytes"], "complete": true }]
//! }
//! ```
//!
//! - `own`: addresses whose signatures this file lists *exhaustively* (your own
//!   keys). A message not signed here was never signed by them, so a claim that
//!   needs their signature on it is known to be false.
//! - `signatures`: signed 32-byte messages (EIP-191), checked on load.
//! - `preimages`: data whose keccak256 pre-images you can show.
//! - `channels`: channel updates you know, with the signatures you hold (in
//!   participant order, `null` where missing), checked on load. `complete`
//!   says these are all the updates of the channel that exist, which is what
//!   lets the evaluator answer True for "no later update is fully signed".
//! - `merkle_sets`: sets you know the leaves of; `complete: true` (the default)
//!   makes the set's membership known for quantifiers over its root.

use super::crypto::{merkle_root, recover};
use super::registry::channel_update_type;
use super::value::{Type, Value};
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use serde::{Deserialize, Deserializer};
use std::collections::{HashMap, HashSet};
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

fn uint_from_json<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileUpdate {
    #[serde(deserialize_with = "uint_from_json")]
    nonce: U256,
    state_hash: B256,
    #[serde(default)]
    signatures: Vec<Option<Bytes>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileChannel {
    id: B256,
    participants: Vec<Address>,
    #[serde(default)]
    complete: bool,
    #[serde(default)]
    updates: Vec<FileUpdate>,
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

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    own: Vec<Address>,
    #[serde(default)]
    signatures: Vec<FileSig>,
    #[serde(default)]
    preimages: Vec<Bytes>,
    #[serde(default)]
    channels: Vec<FileChannel>,
    #[serde(default)]
    merkle_sets: Vec<FileMerkleSet>,
}

/// One known channel update with the signatures held for it.
#[derive(Clone, Debug)]
pub struct KnownUpdate {
    /// Update nonce.
    pub nonce: U256,
    /// The update as a `ChannelUpdate` value.
    pub value: Value,
    /// Signatures in participant order; `None` where not held.
    pub signatures: Vec<Option<Vec<u8>>>,
}

/// Everything known about one channel.
#[derive(Clone, Debug, Default)]
pub struct ChannelInfo {
    /// Participants in signing order.
    pub participants: Vec<Address>,
    /// Whether `updates` lists every update of the channel that exists.
    pub complete: bool,
    /// Known updates, sorted by nonce, highest first.
    pub updates: Vec<KnownUpdate>,
}

impl ChannelInfo {
    /// The known update equal to `value` with this nonce (binary search: updates are sorted).
    pub fn find(&self, nonce: U256, value: &Value) -> Option<&KnownUpdate> {
        let start = self.updates.partition_point(|u| u.nonce > nonce);
        self.updates[start..]
            .iter()
            .take_while(|u| u.nonce == nonce)
            .find(|u| u.value == *value)
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
    channels: HashMap<B256, ChannelInfo>,
    merkle_sets: HashMap<B256, MerkleSet>,
}

impl LocalInfo {
    /// Empty local information: nothing known.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses and checks the JSON format of the module docs. Every signature is
    /// verified; the error names the entry that is wrong.
    pub fn from_json(text: &str) -> Result<Self, LocalInfoError> {
        let file: File = serde_json::from_str(text).map_err(|e| LocalInfoError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let mut info = LocalInfo::new();
        info.own.extend(file.own.iter().copied());
        for (i, s) in file.signatures.iter().enumerate() {
            info.add_signature(s.message, s.signer, s.signature.to_vec())
                .map_err(|message| LocalInfoError::BadSignature {
                    place: format!("signatures[{i}]"),
                    message,
                })?;
        }
        for p in file.preimages {
            info.add_preimage(p.to_vec());
        }
        for (c, ch) in file.channels.iter().enumerate() {
            if info.channels.contains_key(&ch.id) {
                return Err(LocalInfoError::Invalid {
                    place: format!("channels[{c}]"),
                    message: format!("channel {:#x} is listed twice", ch.id),
                });
            }
            let mut updates = Vec::with_capacity(ch.updates.len());
            for (u, up) in ch.updates.iter().enumerate() {
                let place = format!("channels[{c}].updates[{u}]");
                if up.signatures.len() > ch.participants.len() {
                    return Err(LocalInfoError::Invalid {
                        place,
                        message: format!(
                            "{} signatures for {} participants",
                            up.signatures.len(),
                            ch.participants.len()
                        ),
                    });
                }
                let mut sigs: Vec<Option<Vec<u8>>> = up
                    .signatures
                    .iter()
                    .map(|s| s.as_ref().map(|b| b.to_vec()))
                    .collect();
                sigs.resize(ch.participants.len(), None);
                let k = KnownUpdate {
                    nonce: up.nonce,
                    value: channel_update(ch.id, up.nonce, up.state_hash, &ch.participants),
                    signatures: sigs,
                };
                check_update_signatures(&k, &ch.participants).map_err(|(i, message)| {
                    LocalInfoError::BadSignature {
                        place: format!("{place}.signatures[{i}]"),
                        message,
                    }
                })?;
                updates.push(k);
            }
            info.set_channel(
                ch.id,
                ChannelInfo {
                    participants: ch.participants.clone(),
                    complete: ch.complete,
                    updates,
                },
            );
        }
        for s in file.merkle_sets {
            info.add_merkle_set(s.leaves, s.complete);
        }
        Ok(info)
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

    /// Sets what is known about a channel (updates are sorted by nonce, highest first).
    /// Signatures are *not* checked here; use [`check_update_signatures`] first
    /// for untrusted input ([`LocalInfo::from_json`] does).
    pub fn set_channel(&mut self, id: B256, mut info: ChannelInfo) {
        info.updates.sort_by_key(|u| std::cmp::Reverse(u.nonce));
        self.channels.insert(id, info);
    }

    /// What is known about a channel.
    pub fn channel(&self, id: &B256) -> Option<&ChannelInfo> {
        self.channels.get(id)
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
}

/// A `ChannelUpdate` value.
pub fn channel_update(
    channel: B256,
    nonce: U256,
    state_hash: B256,
    participants: &[Address],
) -> Value {
    Value::List(vec![
        Value::Bytes32(channel),
        Value::Uint(nonce),
        Value::Bytes32(state_hash),
        Value::List(participants.iter().map(|a| Value::Address(*a)).collect()),
    ])
}

/// The digest participants sign for an update: `keccak256` of its canonical encoding.
pub fn update_digest(update: &Value) -> B256 {
    keccak256(update.encode())
}

/// Checks that every held signature of `update` recovers to its participant.
/// On failure returns the signature's position and what is wrong.
pub fn check_update_signatures(
    update: &KnownUpdate,
    participants: &[Address],
) -> Result<(), (usize, String)> {
    let digest = update_digest(&update.value);
    for (i, (sig, who)) in update.signatures.iter().zip(participants).enumerate() {
        if let Some(sig) = sig {
            match recover(digest, sig) {
                Ok(a) if a == *who => {}
                Ok(a) => {
                    return Err((
                        i,
                        format!("signature recovers to {a:#x}, not to participant {who:#x}"),
                    ))
                }
                Err(e) => return Err((i, e.to_string())),
            }
        }
    }
    Ok(())
}

/// Decodes a `ChannelUpdate` value into (channel, nonce, participants).
pub fn parse_channel_update(v: &Value) -> Option<(B256, U256, Vec<Address>)> {
    let Value::List(fields) = v else { return None };
    match fields.as_slice() {
        [Value::Bytes32(c), Value::Uint(n), Value::Bytes32(_), Value::List(ps)] => {
            let ps = ps
                .iter()
                .map(|p| match p {
                    Value::Address(a) => Some(*a),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some((*c, *n, ps))
        }
        _ => None,
    }
}

/// The `ChannelUpdate` type, re-exported for callers building values.
pub fn update_type() -> Type {
    channel_update_type()
}

/// Signs a channel update as a participant does (EIP-191 over [`update_digest`]).
pub fn sign_update(key: &k256::ecdsa::SigningKey, update: &Value) -> [u8; 65] {
    super::crypto::sign(key, update_digest(update))
}
