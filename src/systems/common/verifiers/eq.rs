//! `eq`, mirroring `contracts/src/verifiers/Eq.sol`.

use crate::systems::prelude::*;

/// `eq(a, b)` for any type.
pub(crate) struct Eq;
impl Verifier for Eq {
    fn name(&self) -> &'static str {
        "eq"
    }
    fn contract(&self) -> &'static str {
        "Eq"
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
