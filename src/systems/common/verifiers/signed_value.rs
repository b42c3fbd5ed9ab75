//! `signed_value`, mirroring `contracts/src/verifiers/SignedValue.sol`.

use crate::systems::prelude::*;

/// `signed_value(value: any, signer: address)`.
pub(crate) struct SignedValue;
impl Verifier for SignedValue {
    fn name(&self) -> &'static str {
        "signed_value"
    }
    fn contract(&self) -> &'static str {
        "SignedValue"
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
    fn verify_gas(&self, args: &[Vec<u8>], w: &[u8]) -> u64 {
        input_gas(args, w) + SIGNATURE_GAS
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
