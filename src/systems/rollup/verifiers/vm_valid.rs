//! `vm_valid`, mirroring `contracts/src/verifiers/VmValid.sol`.

use crate::systems::prelude::*;

/// `vm_valid(state: bytes32)`: the state hash's status byte (its first byte) is 0, VALID: the
/// program exited with code 0 (`docs/fpvm.md`, status-byte state hash). An atomic test.
pub(crate) struct VmValid;
impl Verifier for VmValid {
    fn name(&self) -> &'static str {
        "vm_valid"
    }
    fn contract(&self) -> &'static str {
        "VmValid"
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
