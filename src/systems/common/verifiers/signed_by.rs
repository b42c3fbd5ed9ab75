//! `signed_by`, mirroring `contracts/src/verifiers/SignedBy.sol`.

use crate::systems::prelude::*;

/// `signed_by(message: bytes32, signer: address)`.
pub(crate) struct SignedBy;
impl Verifier for SignedBy {
    fn name(&self) -> &'static str {
        "signed_by"
    }
    fn contract(&self) -> &'static str {
        "SignedBy"
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
    fn verify_gas(&self, args: &[Vec<u8>], w: &[u8]) -> u64 {
        input_gas(args, w) + SIGNATURE_GAS
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
