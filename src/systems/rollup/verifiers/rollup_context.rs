//! `rollup_context`, mirroring `contracts/src/verifiers/RollupContext.sol`.

use crate::systems::prelude::*;

/// `rollup_context(ctx, prev, batch, claimed: bytes32)`: `ctx` is the pre-image oracle local
/// context of these rollup inputs, `keccak256(abi.encode(prev, batch, claimed))`. An atomic
/// test.
pub(crate) struct RollupContext;
impl Verifier for RollupContext {
    fn name(&self) -> &'static str {
        "rollup_context"
    }
    fn contract(&self) -> &'static str {
        "RollupContext"
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
                let inputs = crate::systems::rollup::LocalInputs {
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
