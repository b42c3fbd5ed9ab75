//! `threshold_signed`, mirroring `contracts/src/verifiers/ThresholdSigned.sol`: a k-of-n
//! attestation, the second proof system behind `attested_output` (SEMANTICS.md §6).

use crate::systems::args::addresses_arg;
use crate::systems::prelude::*;

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

/// Gas of checking one committee address in `ThresholdSigned.sol`, with a margin (calibrated in
/// `tests/dispute_gas_cap.rs`).
const MEMBER_GAS: u64 = 1_900;
/// Gas of comparing one chosen signer with one chosen before it (the duplicate scan is
/// quadratic: k² / 2 comparisons), with a margin.
const SEEN_GAS: u64 = 80;

/// `threshold_signed(message: bytes32, signers: address[], k: uint256)`: at least `k` distinct
/// members of `signers` signed `message` (EIP-191 personal message, secp256k1, low s — the
/// scheme of `signed_by`). A k-of-n attestation: with `output` in `predicates/rollup.ogs` it
/// puts a second, independent proof system behind a rollup output (SEMANTICS.md §6, proof diversity).
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
pub(crate) struct ThresholdSigned;
impl Verifier for ThresholdSigned {
    fn name(&self) -> &'static str {
        "threshold_signed"
    }
    fn contract(&self) -> &'static str {
        "ThresholdSigned"
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
    fn verify_gas(&self, args: &[Vec<u8>], w: &[u8]) -> u64 {
        // `ThresholdSigned.sol` checks every committee member's address, then per entry one
        // signature and a scan of the signers chosen before it (quadratic in the entries).
        let members = addresses_arg(args, 1).map_or(0, |m| m.len() as u64);
        let k = decode_threshold_witness(w).map_or(0, |e| e.len() as u64);
        input_gas(args, w) + members * MEMBER_GAS + k * SIGNATURE_GAS + k * k * SEEN_GAS
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
