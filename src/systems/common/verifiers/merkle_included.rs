//! `merkle_included`, mirroring `contracts/src/verifiers/MerkleIncluded.sol`, and the Merkle
//! witness format `included_value`, `members` and plasma proofs share.

use crate::systems::prelude::*;
use alloy_sol_types::SolValue;

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

pub(crate) fn merkle_search(root: B256, leaf: B256, info: &LocalInfo) -> Search {
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
pub(crate) struct MerkleIncluded;
impl Verifier for MerkleIncluded {
    fn name(&self) -> &'static str {
        "merkle_included"
    }
    fn contract(&self) -> &'static str {
        "MerkleIncluded"
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
