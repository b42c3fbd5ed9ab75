//! `included_value`, mirroring `contracts/src/verifiers/IncludedValue.sol`.

use super::merkle_included::{decode_merkle_witness, merkle_search};

use crate::systems::prelude::*;

/// `included_value(root: bytes32, value: any)`.
pub(crate) struct IncludedValue;
impl Verifier for IncludedValue {
    fn name(&self) -> &'static str {
        "included_value"
    }
    fn contract(&self) -> &'static str {
        "IncludedValue"
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
