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
//!   "merkle_sets": [{ "leaves": ["0x…32 bytes"], "complete": true }],
//!   "plasma_chains": [{
//!     "chain": "0x…PlasmaChain contract", "complete": true,
//!     "blocks": [{ "transfers": [{ "coin": 1, "sender": "0x…", "owner": "0x…", "signature": "0x…" }] }],
//!     "signed": [{ "coin": 1, "block": 9, "sender": "0x…", "owner": "0x…", "signature": "0x…" }]
//!   }]
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
//! - `plasma_chains`: plasma chains you watch (`predicates/plasma.ogs`), by the
//!   address of their `PlasmaChain` contract. `blocks` are the committed blocks
//!   from block 1 on, in order, without gaps (deposit blocks included: a deposit
//!   block holds the one deposit transfer, `sender` zero), each with **all** its
//!   transfers in tree order — the operator publishes them — so a block's root
//!   and the chain commitment after every listed block are computed from this
//!   list (a prefix of the chain is enough for exits up to its last block). A
//!   transfer's `chain` is the chain's address unless it says otherwise (an
//!   operator may include anything), and its `block` is the block it is listed
//!   in. `signature` is the sender's signature (`null` or absent where not held;
//!   a deposit has none). `signed` lists transfers signed but not (known to be)
//!   in a block, each with its signature. Every signature is checked on load and
//!   also counts as a known signature for `signed_value`. `complete: true` says
//!   every transfer of this chain that was ever signed appears here (in a block
//!   or in `signed`), which is what lets the evaluator answer True for "no later
//!   transfer of the coin was signed by its owner".

use super::crypto::{merkle_leaf, merkle_node, merkle_proof, merkle_root, recover};
use super::registry::{channel_update_type, encode_merkle_witness, plasma_transfer_type};
use super::value::{encode_list, Type, Value};
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use serde::{Deserialize, Deserializer};
use std::collections::{HashMap, HashSet};
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBlockTransfer {
    #[serde(default)]
    chain: Option<Address>,
    #[serde(deserialize_with = "uint_from_json")]
    coin: U256,
    sender: Address,
    owner: Address,
    #[serde(default)]
    signature: Option<Bytes>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBlock {
    #[serde(default)]
    transfers: Vec<FileBlockTransfer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSignedTransfer {
    #[serde(default)]
    chain: Option<Address>,
    #[serde(deserialize_with = "uint_from_json")]
    coin: U256,
    #[serde(deserialize_with = "uint_from_json")]
    block: U256,
    sender: Address,
    owner: Address,
    signature: Bytes,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePlasmaChain {
    chain: Address,
    #[serde(default)]
    blocks: Vec<FileBlock>,
    #[serde(default)]
    signed: Vec<FileSignedTransfer>,
    #[serde(default)]
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
    #[serde(default)]
    plasma_chains: Vec<FilePlasmaChain>,
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
    plasma: HashMap<Address, PlasmaChain>,
    /// Chain commitment → (chain address, number of blocks it commits to).
    plasma_roots: HashMap<B256, (Address, usize)>,
    /// MIPS executions this party ran itself (`predicates/rollup.ogs`); programmatic only.
    vm_traces: Vec<Arc<VmTrace>>,
    /// Knowledge that decides definition calls without unfolding them; programmatic only.
    call_oracles: Vec<Arc<dyn CallOracle>>,
}

/// Knowledge that shows some definition calls True without unfolding them, where unfolding
/// would take long: e.g. [`TraceFacts`](super::vmtrace::TraceFacts) decides a
/// million-step `trace` claim from a recorded run in O(1) where the unfolding walks every step.
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
        for (c, pc) in file.plasma_chains.into_iter().enumerate() {
            let place = format!("plasma_chains[{c}]");
            if info.plasma.contains_key(&pc.chain) {
                return Err(LocalInfoError::Invalid {
                    place,
                    message: format!("plasma chain {:#x} is listed twice", pc.chain),
                });
            }
            let blocks = pc
                .blocks
                .iter()
                .enumerate()
                .map(|(b, blk)| {
                    blk.transfers
                        .iter()
                        .map(|t| KnownTransfer {
                            transfer: Transfer {
                                chain: t.chain.unwrap_or(pc.chain),
                                coin: t.coin,
                                block: U256::from(b + 1),
                                sender: t.sender,
                                owner: t.owner,
                            },
                            signature: t.signature.as_ref().map(|s| s.to_vec()),
                        })
                        .collect()
                })
                .collect();
            let signed = pc
                .signed
                .iter()
                .map(|t| KnownTransfer {
                    transfer: Transfer {
                        chain: t.chain.unwrap_or(pc.chain),
                        coin: t.coin,
                        block: t.block,
                        sender: t.sender,
                        owner: t.owner,
                    },
                    signature: Some(t.signature.to_vec()),
                })
                .collect();
            let chain = PlasmaChain::new(pc.chain, blocks, signed, pc.complete).map_err(
                |(at, message)| LocalInfoError::BadSignature {
                    place: format!("{place}.{at}"),
                    message,
                },
            )?;
            info.add_plasma_chain(chain);
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

    /// Records a MIPS execution this party ran itself (shared, so cloning local information
    /// does not copy it).
    pub fn add_vm_trace(&mut self, trace: Arc<VmTrace>) {
        self.vm_traces.push(trace);
    }

    /// The first recorded execution with local context `context` known to pass through the
    /// state with hash `hash`, with the number of steps after which it does (see
    /// [`VmTrace::step_of`]).
    pub fn vm_trace_of(&self, context: &B256, hash: &B256) -> Option<(&VmTrace, u64)> {
        self.vm_traces
            .iter()
            .filter(|t| t.context() == *context)
            .find_map(|t| t.step_of(hash).map(|i| (t.as_ref(), i)))
    }

    /// The recorded executions.
    pub fn vm_traces(&self) -> &[Arc<VmTrace>] {
        &self.vm_traces
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

    /// Records what is known about a plasma chain (replacing an earlier entry
    /// for the same address). Its signatures count as known signatures, and its
    /// blocks as known Merkle sets. Build the chain with [`PlasmaChain::new`],
    /// which checks every signature.
    pub fn add_plasma_chain(&mut self, chain: PlasmaChain) {
        for t in chain.transfers() {
            if let Some(sig) = &t.signature {
                self.signatures
                    .insert((t.transfer.digest(), t.transfer.sender), sig.clone());
            }
        }
        for block in &chain.blocks {
            let leaves = block.iter().map(|t| t.transfer.digest()).collect();
            self.add_merkle_set(leaves, true);
        }
        for (n, root) in chain.chain_roots.iter().enumerate() {
            self.plasma_roots.insert(*root, (chain.address, n + 1));
        }
        self.plasma.insert(chain.address, chain);
    }

    /// What is known about the plasma chain of this contract address.
    pub fn plasma_chain(&self, address: &Address) -> Option<&PlasmaChain> {
        self.plasma.get(address)
    }

    /// The plasma chain whose commitment after some block is `root`, and that
    /// block's number (the commitment covers blocks `1..=n`).
    pub fn plasma_commitment(&self, root: &B256) -> Option<(&PlasmaChain, usize)> {
        let (address, n) = self.plasma_roots.get(root)?;
        let chain = self.plasma.get(address)?;
        // A chain replaced by a shorter one leaves stale entries behind: check.
        (chain.chain_root(*n) == Some(*root)).then_some((chain, *n))
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

/// The fields of a `PlasmaTransfer` value (`predicates/plasma.ogs`): in block
/// `block` of the plasma chain `chain`, coin `coin` passes from `sender` (zero
/// for the deposit) to `owner`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Transfer {
    /// The `PlasmaChain` contract (so a signature is never valid on another chain).
    pub chain: Address,
    /// Coin id: the number of the coin's deposit block.
    pub coin: U256,
    /// The block the transfer is included in.
    pub block: U256,
    /// The previous owner, who signs the transfer; zero for a deposit.
    pub sender: Address,
    /// The new owner.
    pub owner: Address,
}

impl Transfer {
    /// The transfer as a `PlasmaTransfer` value.
    pub fn value(&self) -> Value {
        Value::List(vec![
            Value::Address(self.chain),
            Value::Uint(self.coin),
            Value::Uint(self.block),
            Value::Address(self.sender),
            Value::Address(self.owner),
        ])
    }

    /// Its canonical encoding.
    pub fn encode(&self) -> Vec<u8> {
        self.value().encode()
    }

    /// `keccak256` of the canonical encoding: what the sender signs (EIP-191) and
    /// the leaf of the transfer in its block's Merkle tree.
    pub fn digest(&self) -> B256 {
        keccak256(self.encode())
    }

    /// The fields of a `PlasmaTransfer` value.
    pub fn from_value(v: &Value) -> Option<Transfer> {
        let Value::List(fields) = v else { return None };
        match fields.as_slice() {
            [Value::Address(chain), Value::Uint(coin), Value::Uint(block), Value::Address(sender), Value::Address(owner)] => {
                Some(Transfer {
                    chain: *chain,
                    coin: *coin,
                    block: *block,
                    sender: *sender,
                    owner: *owner,
                })
            }
            _ => None,
        }
    }

    /// Strictly decodes a canonical `PlasmaTransfer` encoding.
    pub fn decode(bytes: &[u8]) -> Option<Transfer> {
        Value::decode(&plasma_transfer_type(), bytes)
            .ok()
            .as_ref()
            .and_then(Transfer::from_value)
    }
}

/// Signs a plasma transfer as its sender does (EIP-191 over [`Transfer::digest`]).
pub fn sign_transfer(key: &k256::ecdsa::SigningKey, t: &Transfer) -> [u8; 65] {
    super::crypto::sign(key, t.digest())
}

/// The root of a plasma block: the Merkle root of its transfers' digests, in order.
pub fn plasma_block_root(transfers: &[Transfer]) -> B256 {
    merkle_root(&transfers.iter().map(Transfer::digest).collect::<Vec<_>>())
}

/// The leaf of block `number` with root `root` in the chain commitment:
/// `keccak256` of the canonical encoding of the tuple `(number, root)`, i.e.
/// `keccak256(abi.encode(bytes[]{abi.encode(number), root}))`.
pub fn plasma_header_leaf(number: U256, root: B256) -> B256 {
    keccak256(encode_list(vec![
        number.to_be_bytes::<32>().to_vec(),
        root.to_vec(),
    ]))
}

/// The witness of `plasma_included` (and the proof of an `earlier_transfers`
/// instance): `abi.encode(bytes[]{blockRoot, headerWitness, transferWitness})`,
/// the two Merkle witnesses as for `merkle_included`.
pub fn encode_plasma_proof(block_root: B256, header: &[u8], transfer: &[u8]) -> Vec<u8> {
    encode_list(vec![
        block_root.to_vec(),
        header.to_vec(),
        transfer.to_vec(),
    ])
}

/// A plasma transfer known locally, with the sender's signature if held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownTransfer {
    /// The transfer.
    pub transfer: Transfer,
    /// The sender's signature, if held.
    pub signature: Option<Vec<u8>>,
}

/// The Merkle root after each append, computed incrementally (the same tree as
/// [`merkle_root`]: odd levels padded with a zero node, so an empty subtree is zero).
#[derive(Default)]
struct Frontier {
    branch: Vec<B256>,
    count: u64,
}

impl Frontier {
    fn push(&mut self, leaf: B256) -> B256 {
        self.count += 1;
        let mut node = merkle_leaf(leaf);
        let mut size = self.count;
        let mut level = 0;
        while size & 1 == 0 {
            node = merkle_node(self.branch[level], node);
            size >>= 1;
            level += 1;
        }
        if level == self.branch.len() {
            self.branch.push(node);
        } else {
            self.branch[level] = node;
        }
        self.root()
    }

    fn root(&self) -> B256 {
        let n = self.count;
        if n == 0 {
            return B256::ZERO;
        }
        if n.is_power_of_two() {
            return self.branch[n.trailing_zeros() as usize];
        }
        let depth = 64 - (n - 1).leading_zeros() as usize;
        let mut node: Option<B256> = None;
        for level in 0..depth {
            node = if (n >> level) & 1 == 1 {
                Some(merkle_node(self.branch[level], node.unwrap_or(B256::ZERO)))
            } else {
                node.map(|x| merkle_node(x, B256::ZERO))
            };
        }
        node.unwrap_or(B256::ZERO)
    }
}

/// Everything known about one plasma chain.
#[derive(Clone, Debug)]
pub struct PlasmaChain {
    /// The `PlasmaChain` contract.
    pub address: Address,
    blocks: Vec<Vec<KnownTransfer>>,
    signed: Vec<KnownTransfer>,
    /// Whether every transfer of this chain that was ever signed is listed.
    pub complete: bool,
    roots: Vec<B256>,
    headers: Vec<B256>,
    chain_roots: Vec<B256>,
}

impl PlasmaChain {
    /// Builds the chain and its commitments. Checks that block transfers name
    /// their block, and that every held
    /// signature recovers to the transfer's sender; on failure returns where
    /// (e.g. `blocks[2].transfers[0]`) and what is wrong.
    pub fn new(
        address: Address,
        blocks: Vec<Vec<KnownTransfer>>,
        signed: Vec<KnownTransfer>,
        complete: bool,
    ) -> Result<PlasmaChain, (String, String)> {
        let check = |place: String, t: &KnownTransfer, block: Option<usize>| {
            if let Some(b) = block {
                if t.transfer.block != U256::from(b + 1) {
                    return Err((
                        place,
                        format!(
                            "listed in block {} but names block {}",
                            b + 1,
                            t.transfer.block
                        ),
                    ));
                }
            }
            if let Some(sig) = &t.signature {
                match recover(t.transfer.digest(), sig) {
                    Ok(a) if a == t.transfer.sender => {}
                    Ok(a) => {
                        return Err((
                            format!("{place}.signature"),
                            format!(
                                "signature recovers to {a:#x}, not to the sender {:#x}",
                                t.transfer.sender
                            ),
                        ))
                    }
                    Err(e) => return Err((format!("{place}.signature"), e.to_string())),
                }
            }
            Ok(())
        };
        for (b, block) in blocks.iter().enumerate() {
            for (i, t) in block.iter().enumerate() {
                check(format!("blocks[{b}].transfers[{i}]"), t, Some(b))?;
            }
        }
        for (i, t) in signed.iter().enumerate() {
            check(format!("signed[{i}]"), t, None)?;
            if t.signature.is_none() {
                return Err((
                    format!("signed[{i}]"),
                    "a signed transfer needs its signature".into(),
                ));
            }
        }
        let mut roots = Vec::with_capacity(blocks.len());
        let mut headers = Vec::with_capacity(blocks.len());
        let mut chain_roots = Vec::with_capacity(blocks.len());
        let mut frontier = Frontier::default();
        for (b, block) in blocks.iter().enumerate() {
            let ts: Vec<Transfer> = block.iter().map(|t| t.transfer.clone()).collect();
            let root = plasma_block_root(&ts);
            let header = plasma_header_leaf(U256::from(b + 1), root);
            roots.push(root);
            headers.push(header);
            chain_roots.push(frontier.push(header));
        }
        Ok(PlasmaChain {
            address,
            blocks,
            signed,
            complete,
            roots,
            headers,
            chain_roots,
        })
    }

    /// All committed blocks: `blocks()[i]` is block `i + 1`, its transfers in tree order.
    pub fn blocks(&self) -> &[Vec<KnownTransfer>] {
        &self.blocks
    }

    /// Transfers signed but not (known to be) included in a block.
    pub fn signed(&self) -> &[KnownTransfer] {
        &self.signed
    }

    /// The root of block `number` (numbered from 1), if listed.
    pub fn block_root(&self, number: usize) -> Option<B256> {
        number
            .checked_sub(1)
            .and_then(|i| self.roots.get(i).copied())
    }

    /// The chain commitment after block `n`: the Merkle root of the header
    /// leaves ([`plasma_header_leaf`]) of blocks `1..=n`, as `PlasmaChain`
    /// stores it on-chain.
    pub fn chain_root(&self, n: usize) -> Option<B256> {
        n.checked_sub(1)
            .and_then(|i| self.chain_roots.get(i).copied())
    }

    /// Every known transfer: the blocks' in order, then the signed ones.
    pub fn transfers(&self) -> impl Iterator<Item = &KnownTransfer> {
        self.blocks.iter().flatten().chain(&self.signed)
    }

    /// The `plasma_included` witness of `t` under the commitment after block
    /// `n`, if `t` is in block `t.block ≤ n`.
    pub fn inclusion_proof(&self, n: usize, t: &Transfer) -> Option<Vec<u8>> {
        let b = usize::try_from(t.block).ok()?;
        if b == 0 || b > n || n > self.blocks.len() {
            return None;
        }
        let block = &self.blocks[b - 1];
        let pos = block.iter().position(|k| k.transfer == *t)?;
        let leaves: Vec<B256> = block.iter().map(|k| k.transfer.digest()).collect();
        let tx = merkle_proof(&leaves, pos)?;
        let hdr = merkle_proof(&self.headers[..n], b - 1)?;
        Some(encode_plasma_proof(
            self.roots[b - 1],
            &encode_merkle_witness((b - 1) as u64, &hdr),
            &encode_merkle_witness(pos as u64, &tx),
        ))
    }
}

pub use super::vmtrace::{VmTrace, MIPS_WITNESS_SIZE};
