//! The state-channel system (`predicates/channel.ogs`): the `ChannelUpdate` struct, the
//! `all_signed` verifier and the `higher_nonce` quantifier, and the channel updates a party
//! knows. Its section of the local-information file:
//!
//! ```json
//! "channels": [{
//!   "id": "0x…32 bytes", "participants": ["0x…", "0x…"], "complete": true,
//!   "updates": [{ "nonce": 7, "state_hash": "0x…", "signatures": ["0x…", null] }]
//! }]
//! ```
//!
//! Channel updates you know, with the signatures you hold (in participant order, `null`
//! where missing), checked on load. `complete` says these are all the updates of the channel
//! that exist, which is what lets the evaluator answer True for "no later update is fully
//! signed".

use crate::logic::crypto::recover;
use crate::logic::local::{uint_from_json, InfoSection, LocalInfoError, Section};
use crate::logic::value::{StructType, Type, Value};
use crate::logic::{LocalInfo, Registry};
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub mod payout;
pub(crate) mod quantifiers;
pub(crate) mod verifiers;

/// The channel system.
pub struct Channel;

impl super::System for Channel {
    fn name(&self) -> &'static str {
        "channel"
    }
    fn install(&self, r: &mut Registry) {
        r.add_struct(channel_update_type());
        r.add_verifier(Arc::new(verifiers::all_signed::AllSigned));
        r.add_quantifier(Arc::new(quantifiers::higher_nonce::HigherNonce));
        r.add_info_section(Arc::new(ChannelsSection));
    }
}

/// The built-in struct of a state-channel update:
/// `struct ChannelUpdate { channel: bytes32, nonce: uint256, state_hash: bytes32, participants: address[] }`.
pub fn channel_update_type() -> Type {
    static T: OnceLock<Arc<StructType>> = OnceLock::new();
    Type::Struct(
        T.get_or_init(|| {
            Arc::new(StructType {
                name: "ChannelUpdate".into(),
                fields: vec![
                    ("channel".into(), Type::Bytes32),
                    ("nonce".into(), Type::Uint256),
                    ("state_hash".into(), Type::Bytes32),
                    ("participants".into(), Type::Array(Box::new(Type::Address))),
                ],
            })
        })
        .clone(),
    )
}

pub(crate) fn update_arg(args: &[Vec<u8>], i: usize) -> Option<(Value, B256, U256, Vec<Address>)> {
    let v = crate::systems::args::arg(args, i, &channel_update_type())?;
    let (c, n, ps) = parse_channel_update(&v)?;
    Some((v, c, n, ps))
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

/// The channel system's slice of local information.
#[derive(Clone, Debug, Default)]
pub struct ChannelFacts {
    channels: HashMap<B256, ChannelInfo>,
}

/// The channel knowledge in [`LocalInfo`].
pub trait ChannelKnowledge {
    /// Sets what is known about a channel (updates are sorted by nonce, highest first).
    /// Signatures are *not* checked here; use [`check_update_signatures`] first for
    /// untrusted input (the `channels` section does).
    fn set_channel(&mut self, id: B256, info: ChannelInfo);
    /// What is known about a channel.
    fn channel(&self, id: &B256) -> Option<&ChannelInfo>;
}

impl ChannelKnowledge for LocalInfo {
    fn set_channel(&mut self, id: B256, mut info: ChannelInfo) {
        info.updates.sort_by_key(|u| std::cmp::Reverse(u.nonce));
        self.facts_mut::<ChannelFacts>().channels.insert(id, info);
    }
    fn channel(&self, id: &B256) -> Option<&ChannelInfo> {
        self.facts::<ChannelFacts>()?.channels.get(id)
    }
}

/// The `channels` section of the local-information file.
struct ChannelsSection;

impl InfoSection for ChannelsSection {
    fn key(&self) -> &'static str {
        "channels"
    }
    fn load(&self, section: &Section<'_>, info: &mut LocalInfo) -> Result<(), LocalInfoError> {
        let channels: Vec<FileChannel> = section.parse()?;
        for (c, ch) in channels.iter().enumerate() {
            if info.channel(&ch.id).is_some() {
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
        Ok(())
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
    crate::logic::crypto::sign(key, update_digest(update))
}
