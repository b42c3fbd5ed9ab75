//! `preimage`, mirroring `contracts/src/verifiers/Preimage.sol`.

use crate::systems::prelude::*;

/// `preimage(hash: bytes32)`.
pub(crate) struct Preimage;
impl Verifier for Preimage {
    fn name(&self) -> &'static str {
        "preimage"
    }
    fn contract(&self) -> &'static str {
        "Preimage"
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
