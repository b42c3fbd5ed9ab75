//! Registered verifiers and quantifiers (Rust side).
//!
//! Each has a name (its on-chain id is `keccak256(name)`), typed parameters,
//! an exact check (`verify` / `quantify`, the same semantics as the on-chain
//! contract: a bad witness gives `false`, never an error) and an off-chain
//! search over [`LocalInfo`] that says what local information implies.

use super::claim::Name;
use super::crypto::{merkle_proof, merkle_verify, recover};
use super::local::{
    parse_channel_update, plasma_header_leaf, update_digest, LocalInfo, PlasmaChain, Transfer,
    MIPS_WITNESS_SIZE,
};
use super::value::{decode_list, encode_list, StructType, Type, Value};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolValue;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// A parameter type in a verifier or quantifier signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// Exactly this type.
    Is(Type),
    /// Any type; all `Any` parameters of one signature must have the same type.
    Any,
}

/// What local information says about a witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    /// A witness that makes `verify` true.
    Found(Vec<u8>),
    /// Local information shows no witness exists (the reason says why).
    Absent(String),
    /// Local information does not tell; the string says what is missing.
    Missing(String),
}

/// One instance of a quantifier's domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// The element, canonically encoded.
    pub value: Vec<u8>,
    /// Membership proof for `quantify` (empty where none is needed).
    pub proof: Vec<u8>,
}

/// A quantifier's domain as far as local information knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// Known members, in a deterministic order.
    pub instances: Vec<Instance>,
    /// `None` if `instances` is the whole domain; else what is missing.
    pub incomplete: Option<String>,
}

/// A registered verifier: the `V` of `WITNESS_EXISTS(V, a)`.
pub trait Verifier: Send + Sync {
    /// Registry name.
    fn name(&self) -> &'static str;
    /// Parameter names and types.
    fn params(&self) -> Vec<(&'static str, ParamType)>;
    /// One-line description (shown by `ogs registry`).
    fn doc(&self) -> &'static str;
    /// What the witness is.
    fn witness_doc(&self) -> &'static str;
    /// `V.verify(args, witness)`; `false` for anything malformed.
    fn verify(&self, args: &[Vec<u8>], witness: &[u8]) -> bool;
    /// Looks for a witness in local information.
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search;
}

/// A registered quantifier: the `Q` of `UNIVERSAL_QUANTIFIER(Q, a, x ⇒ P)`.
pub trait Quantifier: Send + Sync {
    /// Registry name.
    fn name(&self) -> &'static str;
    /// Parameter names and types.
    fn params(&self) -> Vec<(&'static str, ParamType)>;
    /// The type of the bound variable.
    fn element_type(&self) -> Type;
    /// One-line description.
    fn doc(&self) -> &'static str;
    /// `Q.quantify(args, t)`, with an optional membership proof; `false` for anything malformed.
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], proof: &[u8]) -> bool;
    /// The domain as local information knows it.
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain;
}

/// Verifiers and quantifiers by name.
#[derive(Clone, Default)]
pub struct Registry {
    verifiers: BTreeMap<&'static str, Arc<dyn Verifier>>,
    quantifiers: BTreeMap<&'static str, Arc<dyn Quantifier>>,
    by_id: BTreeMap<Name, &'static str>,
}

impl Registry {
    /// An empty registry.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The standard registry: every built-in verifier and quantifier.
    pub fn standard() -> Self {
        let mut r = Registry::empty();
        r.add_verifier(Arc::new(SignedBy));
        r.add_verifier(Arc::new(AllSigned));
        r.add_verifier(Arc::new(ThresholdSigned));
        r.add_verifier(Arc::new(Preimage));
        r.add_verifier(Arc::new(MerkleIncluded));
        r.add_verifier(Arc::new(Eq));
        r.add_verifier(Arc::new(Lt));
        r.add_quantifier(Arc::new(Below));
        r.add_quantifier(Arc::new(Range));
        r.add_quantifier(Arc::new(HigherNonce));
        r.add_quantifier(Arc::new(Members));
        r.add_verifier(Arc::new(SignedValue));
        r.add_verifier(Arc::new(IncludedValue));
        r.add_verifier(Arc::new(PlasmaIncluded));
        r.add_quantifier(Arc::new(LaterTransfers));
        r.add_quantifier(Arc::new(EarlierTransfers));
        r.add_verifier(Arc::new(MipsStep));
        r.add_quantifier(Arc::new(Split));
        r.add_verifier(Arc::new(VmValid));
        r.add_verifier(Arc::new(RollupContext));
        r
    }

    /// Registers a verifier (replacing one of the same name).
    pub fn add_verifier(&mut self, v: Arc<dyn Verifier>) {
        self.by_id.insert(Name::of(v.name()), v.name());
        self.verifiers.insert(v.name(), v);
    }

    /// Registers a quantifier (replacing one of the same name).
    pub fn add_quantifier(&mut self, q: Arc<dyn Quantifier>) {
        self.by_id.insert(Name::of(q.name()), q.name());
        self.quantifiers.insert(q.name(), q);
    }

    /// A verifier by name.
    pub fn verifier(&self, name: &str) -> Option<&Arc<dyn Verifier>> {
        self.verifiers.get(name)
    }

    /// A quantifier by name.
    pub fn quantifier(&self, name: &str) -> Option<&Arc<dyn Quantifier>> {
        self.quantifiers.get(name)
    }

    /// A verifier by on-chain id.
    pub fn verifier_by_id(&self, id: &Name) -> Option<&Arc<dyn Verifier>> {
        self.by_id.get(id).and_then(|n| self.verifiers.get(n))
    }

    /// A quantifier by on-chain id.
    pub fn quantifier_by_id(&self, id: &Name) -> Option<&Arc<dyn Quantifier>> {
        self.by_id.get(id).and_then(|n| self.quantifiers.get(n))
    }

    /// The registry name of an id, if known.
    pub fn name_of(&self, id: &Name) -> Option<&'static str> {
        self.by_id.get(id).copied()
    }

    /// All verifiers, by name.
    pub fn verifiers(&self) -> impl Iterator<Item = &Arc<dyn Verifier>> {
        self.verifiers.values()
    }

    /// All quantifiers, by name.
    pub fn quantifiers(&self) -> impl Iterator<Item = &Arc<dyn Quantifier>> {
        self.quantifiers.values()
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

/// The built-in struct of a plasma transfer (`predicates/plasma.ogs`):
/// `struct PlasmaTransfer { chain: address, coin: uint256, block: uint256, sender: address, owner: address }`.
pub fn plasma_transfer_type() -> Type {
    static T: OnceLock<Arc<StructType>> = OnceLock::new();
    Type::Struct(
        T.get_or_init(|| {
            Arc::new(StructType {
                name: "PlasmaTransfer".into(),
                fields: vec![
                    ("chain".into(), Type::Address),
                    ("coin".into(), Type::Uint256),
                    ("block".into(), Type::Uint256),
                    ("sender".into(), Type::Address),
                    ("owner".into(), Type::Address),
                ],
            })
        })
        .clone(),
    )
}

/// The struct types every file can use without declaring them.
pub fn builtin_structs() -> Vec<Type> {
    vec![channel_update_type(), plasma_transfer_type()]
}

fn arg<'a>(args: &'a [Vec<u8>], i: usize, ty: &Type) -> Option<Value> {
    args.get(i)
        .and_then(|a: &'a Vec<u8>| Value::decode(ty, a).ok())
}
fn uint_arg(args: &[Vec<u8>], i: usize) -> Option<U256> {
    arg(args, i, &Type::Uint256).and_then(|v| v.as_uint())
}
fn b32_arg(args: &[Vec<u8>], i: usize) -> Option<B256> {
    match arg(args, i, &Type::Bytes32)? {
        Value::Bytes32(b) => Some(b),
        _ => None,
    }
}
fn addr_arg(args: &[Vec<u8>], i: usize) -> Option<Address> {
    match arg(args, i, &Type::Address)? {
        Value::Address(a) => Some(a),
        _ => None,
    }
}
fn update_arg(args: &[Vec<u8>], i: usize) -> Option<(Value, B256, U256, Vec<Address>)> {
    let v = arg(args, i, &channel_update_type())?;
    let (c, n, ps) = parse_channel_update(&v)?;
    Some((v, c, n, ps))
}

/// `signed_by(message: bytes32, signer: address)`.
struct SignedBy;
impl Verifier for SignedBy {
    fn name(&self) -> &'static str {
        "signed_by"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("message", ParamType::Is(Type::Bytes32)),
            ("signer", ParamType::Is(Type::Address)),
        ]
    }
    fn doc(&self) -> &'static str {
        "`signer` signed the 32-byte `message` (EIP-191 personal message, secp256k1)"
    }
    fn witness_doc(&self) -> &'static str {
        "65-byte signature r ‖ s ‖ v (v ∈ {27, 28}, low s)"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        match (b32_arg(args, 0), addr_arg(args, 1)) {
            (Some(m), Some(s)) => recover(m, w).is_ok_and(|a| a == s),
            _ => false,
        }
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let (Some(m), Some(s)) = (b32_arg(args, 0), addr_arg(args, 1)) else {
            return Search::Absent("malformed arguments".into());
        };
        match info.signature(&m, &s) {
            Some(sig) => Search::Found(sig.to_vec()),
            None if info.is_own(&s) => Search::Absent(format!(
                "{s:#x} is one of your own addresses and never signed {m:#x}"
            )),
            None => Search::Missing(format!("a signature of {s:#x} on message {m:#x}")),
        }
    }
}

/// `all_signed(update: ChannelUpdate)`.
struct AllSigned;
impl Verifier for AllSigned {
    fn name(&self) -> &'static str {
        "all_signed"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("update", ParamType::Is(channel_update_type()))]
    }
    fn doc(&self) -> &'static str {
        "every participant of the channel update signed keccak256(encoding of the update)"
    }
    fn witness_doc(&self) -> &'static str {
        "abi.encode(bytes[] signatures), one 65-byte signature per participant, in order"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        let Some((v, _, _, ps)) = update_arg(args, 0) else {
            return false;
        };
        let Ok(sigs) = decode_list(w) else {
            return false;
        };
        if ps.is_empty() || sigs.len() != ps.len() {
            return false;
        }
        let digest = update_digest(&v);
        ps.iter()
            .zip(&sigs)
            .all(|(p, s)| recover(digest, s).is_ok_and(|a| a == *p))
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let Some((v, channel, nonce, ps)) = update_arg(args, 0) else {
            return Search::Absent("malformed arguments".into());
        };
        if ps.is_empty() {
            return Search::Absent("an update without participants is never fully signed".into());
        }
        let known = info.channel(&channel).and_then(|c| c.find(nonce, &v));
        let held: Vec<Option<Vec<u8>>> = match known {
            Some(k) => k.signatures.clone(),
            None => vec![None; ps.len()],
        };
        if held.len() == ps.len() && held.iter().all(Option::is_some) {
            return Search::Found(encode_list(held.into_iter().flatten().collect()));
        }
        let unsigned: Vec<&Address> = ps
            .iter()
            .zip(&held)
            .filter(|(_, s)| s.is_none())
            .map(|(p, _)| p)
            .collect();
        if let Some(me) = unsigned.iter().find(|p| info.is_own(p)) {
            return Search::Absent(format!(
                "your own address {me:#x} never signed update nonce {nonce} of channel {channel:#x}"
            ));
        }
        let who: Vec<String> = unsigned.iter().map(|a| format!("{a:#x}")).collect();
        Search::Missing(format!(
            "signatures of {} on update nonce {nonce} of channel {channel:#x}",
            who.join(", ")
        ))
    }
}

/// Size of one `threshold_signed` witness entry: a 32-byte index and a 65-byte signature.
pub const THRESHOLD_ENTRY_SIZE: usize = 32 + 65;

/// Encodes a `threshold_signed` witness: `abi.encode(bytes[] entries)` (the canonical list
/// encoding), one 97-byte entry `uint256 index ‖ r ‖ s ‖ v` per signature, `index` being the
/// signer's position in `signers`. `threshold_signed` accepts it only with strictly increasing
/// indices. Returns `None` for a signature that is not 65 bytes.
pub fn encode_threshold_witness(entries: &[(u64, Vec<u8>)]) -> Option<Vec<u8>> {
    let mut parts = Vec::with_capacity(entries.len());
    for (i, sig) in entries {
        if sig.len() != 65 {
            return None;
        }
        let mut e = U256::from(*i).to_be_bytes_vec();
        e.extend_from_slice(sig);
        parts.push(e);
    }
    Some(encode_list(parts))
}

/// Decodes a `threshold_signed` witness (strict): the canonical list of 97-byte entries, or
/// the empty witness (no bytes), which stands for no entries. Indices are not checked here.
pub fn decode_threshold_witness(w: &[u8]) -> Option<Vec<(U256, Vec<u8>)>> {
    if w.is_empty() {
        return Some(Vec::new());
    }
    decode_list(w)
        .ok()?
        .into_iter()
        .map(|e| {
            (e.len() == THRESHOLD_ENTRY_SIZE)
                .then(|| (U256::from_be_slice(&e[..32]), e[32..].to_vec()))
        })
        .collect()
}

fn addresses_arg(args: &[Vec<u8>], i: usize) -> Option<Vec<Address>> {
    match arg(args, i, &Type::Array(Box::new(Type::Address)))? {
        Value::List(vs) => vs
            .into_iter()
            .map(|v| match v {
                Value::Address(a) => Some(a),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// `threshold_signed(message: bytes32, signers: address[], k: uint256)`: at least `k` distinct
/// members of `signers` signed `message` (EIP-191 personal message, secp256k1, low s — the
/// scheme of `signed_by`). A k-of-n attestation: with `output` in `predicates/rollup.ogs` it
/// puts a second, independent proof system behind a rollup output (spec §6, proof diversity).
///
/// Witness ([`encode_threshold_witness`]): `abi.encode(bytes[] entries)`, each entry 97 bytes,
/// `uint256 index ‖ 65-byte signature`; true iff there are at least `k` entries, their indices
/// strictly increase and are below `signers.length`, each signature recovers
/// `signers[index]`, and no address is counted twice (a member listed twice in `signers`
/// counts once). The empty witness (no bytes) is the empty list, so `k = 0` holds with it;
/// `k` above the number of distinct signers never holds.
///
/// Search: the first `k` distinct signers, in order, whose signatures local information holds.
/// With fewer, the claim is Absent when even every member that is not one of the party's own
/// addresses (whose signatures it lists exhaustively) signing would not make `k`, else Missing.
struct ThresholdSigned;
impl Verifier for ThresholdSigned {
    fn name(&self) -> &'static str {
        "threshold_signed"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("message", ParamType::Is(Type::Bytes32)),
            (
                "signers",
                ParamType::Is(Type::Array(Box::new(Type::Address))),
            ),
            ("k", ParamType::Is(Type::Uint256)),
        ]
    }
    fn doc(&self) -> &'static str {
        "at least `k` distinct members of `signers` signed the 32-byte `message` (EIP-191 personal message, secp256k1): a k-of-n attestation"
    }
    fn witness_doc(&self) -> &'static str {
        "abi.encode(bytes[] entries), each entry 97 bytes: uint256 index into `signers` ‖ 65-byte signature; indices strictly increasing; at least k entries (the empty witness is no entries)"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        let (Some(m), Some(signers), Some(k)) =
            (b32_arg(args, 0), addresses_arg(args, 1), uint_arg(args, 2))
        else {
            return false;
        };
        let Some(entries) = decode_threshold_witness(w) else {
            return false;
        };
        if U256::from(entries.len()) < k {
            return false;
        }
        let mut chosen: Vec<Address> = Vec::with_capacity(entries.len());
        let mut next = U256::ZERO;
        for (index, sig) in &entries {
            if *index < next || *index >= U256::from(signers.len()) {
                return false;
            }
            next = *index + U256::from(1);
            let who = signers[index.to::<usize>()];
            if chosen.contains(&who) || !recover(m, sig).is_ok_and(|a| a == who) {
                return false;
            }
            chosen.push(who);
        }
        true
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let (Some(m), Some(signers), Some(k)) =
            (b32_arg(args, 0), addresses_arg(args, 1), uint_arg(args, 2))
        else {
            return Search::Absent("malformed arguments".into());
        };
        let mut distinct: Vec<(usize, Address)> = Vec::new();
        for (i, s) in signers.iter().enumerate() {
            if !distinct.iter().any(|(_, d)| d == s) {
                distinct.push((i, *s));
            }
        }
        if k > U256::from(distinct.len()) {
            return Search::Absent(format!(
                "{k} signatures are needed but there are only {} distinct signers",
                distinct.len()
            ));
        }
        let k = k.to::<usize>();
        let mut found: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut unsigned_own = Vec::new();
        let mut unknown = Vec::new();
        for (i, s) in &distinct {
            if found.len() == k {
                break;
            }
            match info.signature(&m, s) {
                Some(sig) => found.push((*i as u64, sig.to_vec())),
                None if info.is_own(s) => unsigned_own.push(*s),
                None => unknown.push(*s),
            }
        }
        if found.len() == k {
            if k == 0 {
                return Search::Found(Vec::new());
            }
            return match encode_threshold_witness(&found) {
                Some(w) => Search::Found(w),
                None => Search::Missing("well-formed signatures".into()),
            };
        }
        // Every distinct signer was looked at: `found` are all the signatures held.
        let fmt = |v: &[Address]| {
            v.iter()
                .map(|a| format!("{a:#x}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if found.len() + unknown.len() < k {
            return Search::Absent(format!(
                "{k} of the signers must sign {m:#x}; {} signatures are held and your own addresses {} never signed it, so at most {} can exist",
                found.len(),
                fmt(&unsigned_own),
                found.len() + unknown.len()
            ));
        }
        Search::Missing(format!(
            "{} more signatures on message {m:#x}, from any of {}",
            k - found.len(),
            fmt(&unknown)
        ))
    }
}

/// `preimage(hash: bytes32)`.
struct Preimage;
impl Verifier for Preimage {
    fn name(&self) -> &'static str {
        "preimage"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("hash", ParamType::Is(Type::Bytes32))]
    }
    fn doc(&self) -> &'static str {
        "someone knows data whose keccak256 is `hash`"
    }
    fn witness_doc(&self) -> &'static str {
        "the pre-image bytes"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        b32_arg(args, 0).is_some_and(|h| alloy_primitives::keccak256(w) == h)
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let Some(h) = b32_arg(args, 0) else {
            return Search::Absent("malformed arguments".into());
        };
        match info.preimage(&h) {
            Some(d) => Search::Found(d.to_vec()),
            None => Search::Missing(format!("a keccak256 pre-image of {h:#x}")),
        }
    }
}

/// Encodes a Merkle inclusion witness: `abi.encode(uint256 index, bytes32[] siblings)`.
pub fn encode_merkle_witness(index: u64, siblings: &[B256]) -> Vec<u8> {
    (U256::from(index), siblings.to_vec()).abi_encode_params()
}

/// Decodes a Merkle inclusion witness (strict).
pub fn decode_merkle_witness(w: &[u8]) -> Option<(u64, Vec<B256>)> {
    let (i, s) = <(U256, Vec<B256>)>::abi_decode_params(w).ok()?;
    let i = u64::try_from(i).ok()?;
    (encode_merkle_witness(i, &s) == w).then_some((i, s))
}

fn merkle_search(root: B256, leaf: B256, info: &LocalInfo) -> Search {
    let Some(set) = info.merkle_set(&root) else {
        return Search::Missing(format!("the leaves of the Merkle set with root {root:#x}"));
    };
    match set.leaves.iter().position(|l| *l == leaf) {
        Some(i) => match merkle_proof(&set.leaves, i) {
            Some(p) => Search::Found(encode_merkle_witness(i as u64, &p)),
            None => Search::Missing("a Merkle proof".into()),
        },
        None if set.complete => Search::Absent(format!("{leaf:#x} is not in the set {root:#x}")),
        None => Search::Missing(format!("a Merkle proof of {leaf:#x} under {root:#x}")),
    }
}

/// `merkle_included(root: bytes32, leaf: bytes32)`.
struct MerkleIncluded;
impl Verifier for MerkleIncluded {
    fn name(&self) -> &'static str {
        "merkle_included"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("root", ParamType::Is(Type::Bytes32)),
            ("leaf", ParamType::Is(Type::Bytes32)),
        ]
    }
    fn doc(&self) -> &'static str {
        "`leaf` is in the keccak256 binary Merkle tree with root `root`"
    }
    fn witness_doc(&self) -> &'static str {
        "abi.encode(uint256 index, bytes32[] siblings), siblings bottom-up"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        match (b32_arg(args, 0), b32_arg(args, 1), decode_merkle_witness(w)) {
            (Some(r), Some(l), Some((i, s))) => merkle_verify(r, l, i, &s),
            _ => false,
        }
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        match (b32_arg(args, 0), b32_arg(args, 1)) {
            (Some(r), Some(l)) => merkle_search(r, l, info),
            _ => Search::Absent("malformed arguments".into()),
        }
    }
}

/// `eq(a, b)` for any type.
struct Eq;
impl Verifier for Eq {
    fn name(&self) -> &'static str {
        "eq"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("a", ParamType::Any), ("b", ParamType::Any)]
    }
    fn doc(&self) -> &'static str {
        "`a` equals `b` (same type; compares canonical encodings); the witness is ignored"
    }
    fn witness_doc(&self) -> &'static str {
        "ignored (empty)"
    }
    fn verify(&self, args: &[Vec<u8>], _: &[u8]) -> bool {
        args.len() == 2 && args[0] == args[1]
    }
    fn search(&self, args: &[Vec<u8>], _: &LocalInfo) -> Search {
        if self.verify(args, &[]) {
            Search::Found(Vec::new())
        } else {
            Search::Absent("the values differ".into())
        }
    }
}

/// `lt(a: uint256, b: uint256)`.
struct Lt;
impl Verifier for Lt {
    fn name(&self) -> &'static str {
        "lt"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("a", ParamType::Is(Type::Uint256)),
            ("b", ParamType::Is(Type::Uint256)),
        ]
    }
    fn doc(&self) -> &'static str {
        "`a < b` as unsigned integers; the witness is ignored"
    }
    fn witness_doc(&self) -> &'static str {
        "ignored (empty)"
    }
    fn verify(&self, args: &[Vec<u8>], _: &[u8]) -> bool {
        matches!((uint_arg(args, 0), uint_arg(args, 1)), (Some(a), Some(b)) if a < b)
    }
    fn search(&self, args: &[Vec<u8>], _: &LocalInfo) -> Search {
        if self.verify(args, &[]) {
            Search::Found(Vec::new())
        } else {
            Search::Absent("a is not less than b".into())
        }
    }
}

/// Largest integer domain the evaluator enumerates.
pub const MAX_ENUMERATED: u64 = 1 << 16;

fn int_domain(lo: U256, hi: U256) -> Domain {
    if hi <= lo {
        return Domain {
            instances: Vec::new(),
            incomplete: None,
        };
    }
    let n = hi - lo;
    if n > U256::from(MAX_ENUMERATED) {
        return Domain {
            instances: Vec::new(),
            incomplete: Some(format!(
                "the domain has {n} elements, more than the {MAX_ENUMERATED} the evaluator enumerates"
            )),
        };
    }
    let n = n.to::<u64>();
    Domain {
        instances: (0..n)
            .map(|k| Instance {
                value: Value::Uint(lo + U256::from(k)).encode(),
                proof: Vec::new(),
            })
            .collect(),
        incomplete: None,
    }
}

/// `below(n: uint256)`: the integers `0 ≤ t < n`.
struct Below;
impl Quantifier for Below {
    fn name(&self) -> &'static str {
        "below"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("n", ParamType::Is(Type::Uint256))]
    }
    fn element_type(&self) -> Type {
        Type::Uint256
    }
    fn doc(&self) -> &'static str {
        "the unsigned integers t with t < n"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let t = Value::decode(&Type::Uint256, t)
            .ok()
            .and_then(|v| v.as_uint());
        matches!((uint_arg(args, 0), t), (Some(n), Some(t)) if t < n)
    }
    fn domain(&self, args: &[Vec<u8>], _: &LocalInfo) -> Domain {
        int_domain(U256::ZERO, uint_arg(args, 0).unwrap_or_default())
    }
}

/// `range(lo: uint256, hi: uint256)`: the integers `lo ≤ t < hi`.
struct Range;
impl Quantifier for Range {
    fn name(&self) -> &'static str {
        "range"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("lo", ParamType::Is(Type::Uint256)),
            ("hi", ParamType::Is(Type::Uint256)),
        ]
    }
    fn element_type(&self) -> Type {
        Type::Uint256
    }
    fn doc(&self) -> &'static str {
        "the unsigned integers t with lo ≤ t < hi"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let t = Value::decode(&Type::Uint256, t)
            .ok()
            .and_then(|v| v.as_uint());
        matches!((uint_arg(args, 0), uint_arg(args, 1), t), (Some(lo), Some(hi), Some(t)) if lo <= t && t < hi)
    }
    fn domain(&self, args: &[Vec<u8>], _: &LocalInfo) -> Domain {
        int_domain(
            uint_arg(args, 0).unwrap_or_default(),
            uint_arg(args, 1).unwrap_or_default(),
        )
    }
}

/// `higher_nonce(u: ChannelUpdate)`: updates of the same channel and participants with a higher nonce.
struct HigherNonce;
impl Quantifier for HigherNonce {
    fn name(&self) -> &'static str {
        "higher_nonce"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("update", ParamType::Is(channel_update_type()))]
    }
    fn element_type(&self) -> Type {
        channel_update_type()
    }
    fn doc(&self) -> &'static str {
        "channel updates t with t.channel = u.channel, t.participants = u.participants and t.nonce > u.nonce"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let Some((_, c, n, ps)) = update_arg(args, 0) else {
            return false;
        };
        let Some((_, tc, tn, tps)) = update_arg(&[t.to_vec()], 0) else {
            return false;
        };
        tc == c && tps == ps && tn > n
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let Some((_, c, n, ps)) = update_arg(args, 0) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some("malformed arguments".into()),
            };
        };
        let Some(ch) = info.channel(&c) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some(format!("the updates of channel {c:#x}")),
            };
        };
        // Updates are sorted by nonce, highest first: stop at the first one not above `n`.
        let instances = ch
            .updates
            .iter()
            .take_while(|u| u.nonce > n)
            .filter(|u| parse_channel_update(&u.value).is_some_and(|(_, _, p)| p == ps))
            .map(|u| Instance {
                value: u.value.encode(),
                proof: Vec::new(),
            })
            .collect();
        Domain {
            instances,
            incomplete: (!ch.complete || ch.participants != ps).then(|| {
                format!(
                    "the complete list of updates of channel {c:#x} (mark the channel \"complete\": true in local information once every update you signed is listed)"
                )
            }),
        }
    }
}

/// `members(root: bytes32)`: the leaves of the Merkle set with that root.
struct Members;
impl Quantifier for Members {
    fn name(&self) -> &'static str {
        "members"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("root", ParamType::Is(Type::Bytes32))]
    }
    fn element_type(&self) -> Type {
        Type::Bytes32
    }
    fn doc(&self) -> &'static str {
        "the leaves of the committed Merkle set `root` (an instance comes with its inclusion proof)"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], proof: &[u8]) -> bool {
        MerkleIncluded.verify(
            &[args.first().cloned().unwrap_or_default(), t.to_vec()],
            proof,
        )
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let Some(root) = b32_arg(args, 0) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some("malformed arguments".into()),
            };
        };
        let Some(set) = info.merkle_set(&root) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some(format!("the leaves of the Merkle set with root {root:#x}")),
            };
        };
        let instances = set
            .leaves
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                merkle_proof(&set.leaves, i).map(|p| Instance {
                    value: l.to_vec(),
                    proof: encode_merkle_witness(i as u64, &p),
                })
            })
            .collect();
        Domain {
            instances,
            incomplete: (!set.complete)
                .then(|| format!("the complete leaf list of the Merkle set {root:#x}")),
        }
    }
}

fn transfer_arg(args: &[Vec<u8>], i: usize) -> Option<Transfer> {
    args.get(i).and_then(|a| Transfer::decode(a))
}

fn malformed() -> Domain {
    Domain {
        instances: Vec::new(),
        incomplete: Some("malformed arguments".into()),
    }
}

/// `signed_value(value: any, signer: address)`.
struct SignedValue;
impl Verifier for SignedValue {
    fn name(&self) -> &'static str {
        "signed_value"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("value", ParamType::Any),
            ("signer", ParamType::Is(Type::Address)),
        ]
    }
    fn doc(&self) -> &'static str {
        "`signer` signed keccak256(canonical encoding of `value`) (EIP-191 personal message, secp256k1)"
    }
    fn witness_doc(&self) -> &'static str {
        "65-byte signature r ‖ s ‖ v (v ∈ {27, 28}, low s)"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        match (args.first(), addr_arg(args, 1)) {
            (Some(v), Some(s)) => recover(alloy_primitives::keccak256(v), w).is_ok_and(|a| a == s),
            _ => false,
        }
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let (Some(v), Some(s)) = (args.first(), addr_arg(args, 1)) else {
            return Search::Absent("malformed arguments".into());
        };
        let m = alloy_primitives::keccak256(v);
        match info.signature(&m, &s) {
            Some(sig) => Search::Found(sig.to_vec()),
            None if info.is_own(&s) => Search::Absent(format!(
                "{s:#x} is one of your own addresses and never signed the value with digest {m:#x}"
            )),
            None => Search::Missing(format!(
                "a signature of {s:#x} on the value with digest {m:#x}"
            )),
        }
    }
}

/// `included_value(root: bytes32, value: any)`.
struct IncludedValue;
impl Verifier for IncludedValue {
    fn name(&self) -> &'static str {
        "included_value"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("root", ParamType::Is(Type::Bytes32)),
            ("value", ParamType::Any),
        ]
    }
    fn doc(&self) -> &'static str {
        "keccak256(canonical encoding of `value`) is a leaf of the Merkle tree with root `root`"
    }
    fn witness_doc(&self) -> &'static str {
        "abi.encode(uint256 index, bytes32[] siblings), siblings bottom-up (as merkle_included)"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        match (b32_arg(args, 0), args.get(1), decode_merkle_witness(w)) {
            (Some(r), Some(v), Some((i, s))) => {
                merkle_verify(r, alloy_primitives::keccak256(v), i, &s)
            }
            _ => false,
        }
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        match (b32_arg(args, 0), args.get(1)) {
            (Some(r), Some(v)) => merkle_search(r, alloy_primitives::keccak256(v), info),
            _ => Search::Absent("malformed arguments".into()),
        }
    }
}

/// Decodes a `plasma_included` witness: `abi.encode(bytes[]{root, headerWitness, transferWitness})`.
fn decode_plasma_proof(w: &[u8]) -> Option<(B256, Vec<u8>, Vec<u8>)> {
    let parts = decode_list(w).ok()?;
    let [root, header, transfer] = <[Vec<u8>; 3]>::try_from(parts).ok()?;
    let root = B256::try_from(root.as_slice()).ok()?;
    Some((root, header, transfer))
}

/// Whether `w` proves the transfer encoded as `t` included in block `t.block`
/// of the chain committed by `chain`.
fn plasma_verify(chain: B256, t: &[u8], w: &[u8]) -> bool {
    let (Some(tr), Some((root, hw, tw))) = (Transfer::decode(t), decode_plasma_proof(w)) else {
        return false;
    };
    let (Some((hi, hs)), Some((ti, ts))) = (decode_merkle_witness(&hw), decode_merkle_witness(&tw))
    else {
        return false;
    };
    merkle_verify(chain, plasma_header_leaf(tr.block, root), hi, &hs)
        && merkle_verify(root, alloy_primitives::keccak256(t), ti, &ts)
}

/// The chain a commitment belongs to, or why the evaluator cannot tell.
fn commitment(chain: B256, info: &LocalInfo) -> Result<(&PlasmaChain, usize), String> {
    info.plasma_commitment(&chain).ok_or_else(|| {
        format!("the blocks of the plasma chain whose commitment is {chain:#x} (list them in plasma_chains)")
    })
}

/// `plasma_included(chain: bytes32, transfer: PlasmaTransfer)`.
struct PlasmaIncluded;
impl Verifier for PlasmaIncluded {
    fn name(&self) -> &'static str {
        "plasma_included"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("chain", ParamType::Is(Type::Bytes32)),
            ("transfer", ParamType::Is(plasma_transfer_type())),
        ]
    }
    fn doc(&self) -> &'static str {
        "`transfer` is included in block `transfer.block` of the plasma chain committed by `chain` (the Merkle root of the blocks' (number, root) headers)"
    }
    fn witness_doc(&self) -> &'static str {
        "abi.encode(bytes[]{blockRoot, headerWitness, transferWitness}), both Merkle witnesses as for merkle_included"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        match (b32_arg(args, 0), args.get(1)) {
            (Some(c), Some(t)) => plasma_verify(c, t, w),
            _ => false,
        }
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let (Some(c), Some(t)) = (b32_arg(args, 0), transfer_arg(args, 1)) else {
            return Search::Absent("malformed arguments".into());
        };
        let (pc, n) = match commitment(c, info) {
            Ok(x) => x,
            Err(m) => return Search::Missing(m),
        };
        match pc.inclusion_proof(n, &t) {
            Some(w) => Search::Found(w),
            // Blocks are listed with all their transfers: absent from the list is absent.
            None => Search::Absent(format!(
                "the transfer of coin {} is not in block {} of chain {:#x} (committed blocks: 1..={n})",
                t.coin, t.block, pc.address
            )),
        }
    }
}

/// `later_transfers(transfer: PlasmaTransfer)`: transfers of the same coin by its owner in a later block.
struct LaterTransfers;
impl Quantifier for LaterTransfers {
    fn name(&self) -> &'static str {
        "later_transfers"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("transfer", ParamType::Is(plasma_transfer_type()))]
    }
    fn element_type(&self) -> Type {
        plasma_transfer_type()
    }
    fn doc(&self) -> &'static str {
        "plasma transfers s with s.chain = t.chain, s.coin = t.coin, s.sender = t.owner and s.block > t.block (no proof)"
    }
    fn quantify(&self, args: &[Vec<u8>], s: &[u8], _: &[u8]) -> bool {
        match (transfer_arg(args, 0), Transfer::decode(s)) {
            (Some(t), Some(s)) => {
                s.chain == t.chain && s.coin == t.coin && s.sender == t.owner && s.block > t.block
            }
            _ => false,
        }
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let Some(t) = transfer_arg(args, 0) else {
            return malformed();
        };
        let Some(pc) = info.plasma_chain(&t.chain) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some(format!("the transfers of plasma chain {:#x}", t.chain)),
            };
        };
        let mut found: Vec<&Transfer> = pc
            .transfers()
            .map(|k| &k.transfer)
            .filter(|s| {
                s.chain == t.chain && s.coin == t.coin && s.sender == t.owner && s.block > t.block
            })
            .collect();
        found.sort();
        found.dedup();
        Domain {
            instances: found
                .into_iter()
                .map(|s| Instance {
                    value: s.encode(),
                    proof: Vec::new(),
                })
                .collect(),
            incomplete: (!pc.complete).then(|| {
                format!(
                    "every transfer of coin {} signed by {:#x} on plasma chain {:#x} (mark the chain \"complete\": true in local information once every signed transfer is listed)",
                    t.coin, t.owner, t.chain
                )
            }),
        }
    }
}

/// `earlier_transfers(transfer: PlasmaTransfer, chain: bytes32)`: the other
/// included transfers of the coin from its deposit block to `transfer.block`.
struct EarlierTransfers;
impl Quantifier for EarlierTransfers {
    fn name(&self) -> &'static str {
        "earlier_transfers"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("transfer", ParamType::Is(plasma_transfer_type())),
            ("chain", ParamType::Is(Type::Bytes32)),
        ]
    }
    fn element_type(&self) -> Type {
        plasma_transfer_type()
    }
    fn doc(&self) -> &'static str {
        "plasma transfers e ≠ t with e.chain = t.chain, e.coin = t.coin, t.coin ≤ e.block ≤ t.block, included under `chain` (proof: the plasma_included witness)"
    }
    fn quantify(&self, args: &[Vec<u8>], e: &[u8], proof: &[u8]) -> bool {
        let (Some(t), Some(c), Some(te)) =
            (transfer_arg(args, 0), b32_arg(args, 1), Transfer::decode(e))
        else {
            return false;
        };
        te.chain == t.chain
            && te.coin == t.coin
            && t.coin <= te.block
            && te.block <= t.block
            && te != t
            && plasma_verify(c, e, proof)
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let (Some(t), Some(c)) = (transfer_arg(args, 0), b32_arg(args, 1)) else {
            return malformed();
        };
        let (pc, n) = match commitment(c, info) {
            Ok(x) => x,
            Err(m) => {
                return Domain {
                    instances: Vec::new(),
                    incomplete: Some(m),
                }
            }
        };
        // Only blocks 1..=n are under the commitment; the rest cannot be proven included.
        let hi = usize::try_from(t.block).unwrap_or(usize::MAX).min(n);
        let lo = usize::try_from(t.coin).unwrap_or(usize::MAX).max(1);
        let mut instances: Vec<Instance> = Vec::new();
        if lo <= hi {
            for block in pc.blocks().get(lo - 1..hi).unwrap_or(&[]) {
                for k in block {
                    let e = &k.transfer;
                    if e.chain != t.chain || e.coin != t.coin || *e == t {
                        continue;
                    }
                    let value = e.encode();
                    if instances.iter().any(|i| i.value == value) {
                        continue;
                    }
                    if let Some(proof) = pc.inclusion_proof(n, e) {
                        instances.push(Instance { value, proof });
                    }
                }
            }
        }
        Domain {
            instances,
            incomplete: None,
        }
    }
}

/// The post-state hash one MIPS step gives from a `mips_step` witness (the 226-byte packed
/// pre-state, then the 1,792-byte step proof: instruction word proof, data word proof), with
/// the pre-state hash; `None` if the witness is malformed, a proof does not match the
/// pre-state's memory root, or the step faults.
///
/// This is a check from the witness alone, like `MIPS.step` on-chain: the pre-state runs
/// through the Rust VM's step function over a memory holding only the two proven leaves, and
/// the post-state's memory root is recomputed from the data word's proof. A step that reads
/// the pre-image oracle (`read(5, …)`) has no pre-image here and gives `None` (on-chain it
/// reads the `PreimageOracle`, see `contracts/src/verifiers/MipsStep.sol`).
pub fn mips_step_hashes(witness: &[u8]) -> Option<(B256, B256)> {
    use crate::fpvm::memory::{proof_word, root_with_word, verify_proof, Proof};
    use crate::fpvm::state::state_hash_of;
    use crate::fpvm::{Memory, MemoryOracle, State, Vm, PROOF_SIZE, STATE_SIZE};

    if witness.len() != MIPS_WITNESS_SIZE {
        return None;
    }
    let encoded: &[u8; STATE_SIZE] = witness[..STATE_SIZE].try_into().ok()?;
    let pre = State::decode(encoded).ok()?;
    let pre_hash = B256::from(state_hash_of(encoded));
    if pre.exited {
        // An exited state steps to itself.
        return Some((pre_hash, pre_hash));
    }
    let insn_proof: &Proof = witness[STATE_SIZE..STATE_SIZE + PROOF_SIZE]
        .try_into()
        .ok()?;
    let mem_proof: &Proof = witness[STATE_SIZE + PROOF_SIZE..].try_into().ok()?;
    if pre.pc & 3 != 0 || !verify_proof(&pre.mem_root, pre.pc, insn_proof) {
        return None;
    }
    // Memory holding the proven leaves only (8 words each).
    let leaf_memory = |proofs: &[(u32, &Proof)]| {
        let mut m = Memory::new();
        for (addr, proof) in proofs {
            let base = addr & !31;
            for k in 0..8 {
                m.store_word(base + 4 * k, proof_word(proof, base + 4 * k));
            }
        }
        m
    };
    let run = |memory: Memory| {
        let mut vm = Vm::from_parts(pre.clone(), memory, MemoryOracle::new());
        let w = vm.step_with_witness().ok()?;
        Some((w.mem_addr, vm))
    };
    // The data word's address depends on registers and the instruction only: a first run
    // finds it, the second runs with the proven data word in place.
    let (addr, _) = run(leaf_memory(&[(pre.pc, insn_proof)]))?;
    let Some(addr) = addr else {
        let (_, vm) = run(leaf_memory(&[(pre.pc, insn_proof)]))?;
        let mut post = vm.cpu_state().clone();
        post.mem_root = pre.mem_root;
        return Some((pre_hash, B256::from(post.state_hash())));
    };
    if !verify_proof(&pre.mem_root, addr, mem_proof) {
        return None;
    }
    let (again, vm) = run(leaf_memory(&[(pre.pc, insn_proof), (addr, mem_proof)]))?;
    if again != Some(addr) {
        return None;
    }
    let mut post = vm.cpu_state().clone();
    post.mem_root = root_with_word(addr, mem_proof, vm.memory().load_word(addr));
    Some((pre_hash, B256::from(post.state_hash())))
}

/// The party's recorded run with local context `ctx` through the state `a`, and the step it is
/// at; or what is missing.
fn run_through<'a>(
    info: &'a LocalInfo,
    ctx: &B256,
    a: &B256,
) -> Result<(&'a crate::logic::vmtrace::VmTrace, u64), String> {
    info.vm_trace_of(ctx, a)
        .ok_or_else(|| format!("a recorded VM run (context {ctx:#x}) through the state {a:#x}"))
}

/// `mips_step(ctx: bytes32, pre: bytes32, post: bytes32)`: one MIPS step (`src/fpvm`, the
/// Cannon VM) with local context `ctx` takes the state with hash `pre` to the state with hash
/// `post`.
struct MipsStep;
impl Verifier for MipsStep {
    fn name(&self) -> &'static str {
        "mips_step"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("ctx", ParamType::Is(Type::Bytes32)),
            ("pre", ParamType::Is(Type::Bytes32)),
            ("post", ParamType::Is(Type::Bytes32)),
        ]
    }
    fn doc(&self) -> &'static str {
        "one step of the MIPS fault-proof VM, with pre-image oracle local context `ctx`, takes the state with hash `pre` to the state with hash `post` (status-byte state hashes; checked on-chain by the MIPS contract)"
    }
    fn witness_doc(&self) -> &'static str {
        "the 226-byte packed pre-state followed by the 1,792-byte step proof (2,018 bytes, no ABI encoding)"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        match (
            b32_arg(args, 0),
            b32_arg(args, 1),
            b32_arg(args, 2),
            mips_step_hashes(w),
        ) {
            (Some(_), Some(a), Some(b), Some((pre, post))) => a == pre && b == post,
            _ => false,
        }
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let (Some(ctx), Some(a), Some(b)) = (b32_arg(args, 0), b32_arg(args, 1), b32_arg(args, 2))
        else {
            return Search::Absent("malformed arguments".into());
        };
        let (trace, i) = match run_through(info, &ctx, &a) {
            Ok(found) => found,
            Err(why) => return Search::Missing(why),
        };
        match trace.hash_at(i + 1) {
            None => Search::Missing(format!("the VM run past step {i}")),
            Some(post) if post != b => Search::Absent(format!(
                "the step from {a:#x} (step {i}) ends in {post:#x}, not {b:#x}"
            )),
            Some(_) => match trace.witness(i) {
                Some(w) => Search::Found(w),
                None => Search::Missing(format!("the witness of step {i}")),
            },
        }
    }
}

/// `split(ctx: bytes32, a: bytes32, b: bytes32, n: uint256)`: the bisection points of an
/// `n`-step trace.
///
/// Elements are `(m: bytes32, h: uint256, r: uint256)` with `n ≥ 2`, `h = ⌈n/2⌉`,
/// `r = ⌊n/2⌋` and any `m`; `quantify` checks the sizes (the claim language has no
/// arithmetic, so the halves come from here). The off-chain domain is the one element whose
/// `m` is the state hash after `h` steps from `a` in the party's recorded run with context
/// `ctx` ([`LocalInfo::add_vm_trace`]), and it counts as complete: the VM is deterministic, so
/// for every other `m` the first half `trace(ctx, a, m, h)` of `predicates/rollup.ogs` is
/// false, and such an instance can neither witness `exists p in split(…): trace(…, a, p.0, p.1)
/// and …` nor refute its negation. (Do not use `split` under a body for which that does not
/// hold.)
struct Split;
impl Split {
    fn element(m: B256, h: U256, r: U256) -> Vec<u8> {
        encode_list(vec![m.to_vec(), h.to_be_bytes_vec(), r.to_be_bytes_vec()])
    }
}
impl Quantifier for Split {
    fn name(&self) -> &'static str {
        "split"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("ctx", ParamType::Is(Type::Bytes32)),
            ("a", ParamType::Is(Type::Bytes32)),
            ("b", ParamType::Is(Type::Bytes32)),
            ("n", ParamType::Is(Type::Uint256)),
        ]
    }
    fn element_type(&self) -> Type {
        Type::Tuple(vec![Type::Bytes32, Type::Uint256, Type::Uint256])
    }
    fn doc(&self) -> &'static str {
        "bisection points (m, h, r) of an n-step trace from a to b: n ≥ 2, h = ⌈n/2⌉, r = ⌊n/2⌋, any m (off-chain: the state after h steps of the party's own run)"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let (Some(_), Some(_), Some(_), Some(n)) = (
            b32_arg(args, 0),
            b32_arg(args, 1),
            b32_arg(args, 2),
            uint_arg(args, 3),
        ) else {
            return false;
        };
        if n < U256::from(2) {
            return false;
        }
        let Ok(parts) = decode_list(t) else {
            return false;
        };
        let [m, h, r] = parts.as_slice() else {
            return false;
        };
        let half = n / U256::from(2);
        m.len() == 32
            && h.len() == 32
            && r.len() == 32
            && U256::from_be_slice(h) == n - half
            && U256::from_be_slice(r) == half
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let (Some(ctx), Some(a), Some(_), Some(n)) = (
            b32_arg(args, 0),
            b32_arg(args, 1),
            b32_arg(args, 2),
            uint_arg(args, 3),
        ) else {
            return malformed();
        };
        if n < U256::from(2) {
            return Domain {
                instances: Vec::new(),
                incomplete: None,
            };
        }
        let half = n / U256::from(2);
        let h = n - half;
        let missing = |why: String| Domain {
            instances: Vec::new(),
            incomplete: Some(why),
        };
        let (trace, i) = match run_through(info, &ctx, &a) {
            Ok(found) => found,
            Err(why) => return missing(why),
        };
        let Some(m) = u64::try_from(h)
            .ok()
            .and_then(|h| i.checked_add(h))
            .and_then(|at| trace.hash_at(at))
        else {
            return missing(format!("the VM run {h} steps past step {i}"));
        };
        Domain {
            instances: vec![Instance {
                value: Split::element(m, h, half),
                proof: Vec::new(),
            }],
            incomplete: None,
        }
    }
}

/// `vm_valid(state: bytes32)`: the state hash's status byte (its first byte) is 0, VALID: the
/// program exited with code 0 (`shared/spec/fpvm.md`, status-byte state hash). An atomic test.
struct VmValid;
impl Verifier for VmValid {
    fn name(&self) -> &'static str {
        "vm_valid"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("state", ParamType::Is(Type::Bytes32))]
    }
    fn doc(&self) -> &'static str {
        "the MIPS state hash `state` has status VALID (the program exited with code 0); the witness is ignored"
    }
    fn witness_doc(&self) -> &'static str {
        "ignored (empty)"
    }
    fn verify(&self, args: &[Vec<u8>], _: &[u8]) -> bool {
        args.len() == 1 && b32_arg(args, 0).is_some_and(|h| h[0] == 0)
    }
    fn search(&self, args: &[Vec<u8>], _: &LocalInfo) -> Search {
        if self.verify(args, &[]) {
            Search::Found(Vec::new())
        } else {
            Search::Absent("the state's status byte is not VALID (0)".into())
        }
    }
}

/// `rollup_context(ctx, prev, batch, claimed: bytes32)`: `ctx` is the pre-image oracle local
/// context of these rollup inputs, `keccak256(abi.encode(prev, batch, claimed))`. An atomic
/// test.
struct RollupContext;
impl Verifier for RollupContext {
    fn name(&self) -> &'static str {
        "rollup_context"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("ctx", ParamType::Is(Type::Bytes32)),
            ("prev", ParamType::Is(Type::Bytes32)),
            ("batch", ParamType::Is(Type::Bytes32)),
            ("claimed", ParamType::Is(Type::Bytes32)),
        ]
    }
    fn doc(&self) -> &'static str {
        "`ctx` is keccak256(abi.encode(prev, batch, claimed)), the local context of a rollup output's inputs; the witness is ignored"
    }
    fn witness_doc(&self) -> &'static str {
        "ignored (empty)"
    }
    fn verify(&self, args: &[Vec<u8>], _: &[u8]) -> bool {
        let words: Option<Vec<B256>> = (0..4).map(|i| b32_arg(args, i)).collect();
        match words {
            Some(w) if args.len() == 4 => {
                let inputs = crate::logic::vmtrace::LocalInputs {
                    prev: w[1],
                    batch: w[2],
                    claimed: w[3],
                };
                inputs.context() == w[0]
            }
            _ => false,
        }
    }
    fn search(&self, args: &[Vec<u8>], _: &LocalInfo) -> Search {
        if self.verify(args, &[]) {
            Search::Found(Vec::new())
        } else {
            Search::Absent("ctx is not keccak256(abi.encode(prev, batch, claimed))".into())
        }
    }
}
