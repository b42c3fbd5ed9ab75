//! `lt`, mirroring `contracts/src/verifiers/Lt.sol`.

use crate::systems::prelude::*;

/// `lt(a: uint256, b: uint256)`.
pub(crate) struct Lt;
impl Verifier for Lt {
    fn name(&self) -> &'static str {
        "lt"
    }
    fn contract(&self) -> &'static str {
        "Lt"
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
