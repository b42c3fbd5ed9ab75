//! Calling registered verifiers and quantifiers on the embedded chain directly (`eth_call`),
//! for tests that compare them with the Rust registry. Included with
//! `#[path = "common/onchain.rs"] mod onchain;`.
#![allow(dead_code)]

use alloy_primitives::{keccak256, Address, Bytes};
use alloy_sol_types::{sol, SolCall};
use ogs::chain::dispute::Registry as RegistryContract;
use ogs::chain::Dispute;

sol! {
    function verify(bytes[] args, bytes witness) external view returns (bool);
    function quantify(bytes[] args, bytes t, bytes proof) external view returns (bool);
}

/// The on-chain implementation registered under `name` (a verifier, or a quantifier).
pub fn implementation(d: &mut Dispute, name: &str, verifier: bool) -> Address {
    let id = keccak256(name.as_bytes());
    let data = if verifier {
        RegistryContract::verifierOfCall(id).abi_encode()
    } else {
        RegistryContract::quantifierOfCall(id).abi_encode()
    };
    let r = d
        .chain
        .call(d.deployer, d.registry, data.into())
        .expect("call");
    assert!(r.success);
    Address::from_slice(&r.output[12..32])
}

fn bytes(args: &[Vec<u8>]) -> Vec<Bytes> {
    args.iter().map(|a| Bytes::copy_from_slice(a)).collect()
}

/// `verify` on chain (an `eth_call`): the answer and its gas.
pub fn sol_verify(d: &mut Dispute, at: Address, args: &[Vec<u8>], w: &[u8]) -> (bool, u64) {
    let data = verifyCall {
        args: bytes(args),
        witness: Bytes::copy_from_slice(w),
    }
    .abi_encode();
    let r = d.chain.call(d.deployer, at, data.into()).expect("call");
    assert!(r.success, "verify never reverts");
    (
        verifyCall::abi_decode_returns(&r.output).expect("bool"),
        r.gas_used,
    )
}

/// `quantify` on chain (an `eth_call`, no proof).
pub fn sol_quantify(d: &mut Dispute, at: Address, args: &[Vec<u8>], t: &[u8]) -> bool {
    sol_quantify_with(d, at, args, t, &[])
}

/// `quantify` on chain (an `eth_call`) with a membership proof.
pub fn sol_quantify_with(
    d: &mut Dispute,
    at: Address,
    args: &[Vec<u8>],
    t: &[u8],
    proof: &[u8],
) -> bool {
    let data = quantifyCall {
        args: bytes(args),
        t: Bytes::copy_from_slice(t),
        proof: Bytes::copy_from_slice(proof),
    }
    .abi_encode();
    let r = d.chain.call(d.deployer, at, data.into()).expect("call");
    assert!(r.success, "quantify never reverts");
    quantifyCall::abi_decode_returns(&r.output).expect("bool")
}

/// The execution gas of a call with this calldata that used `gas_used` in all (the transaction's
/// intrinsic 21,000 and calldata gas taken off, Cancun rules): what the call would spend inside
/// the dispute contract's bounded `staticcall`.
pub fn execution_gas(calldata: &[u8], gas_used: u64) -> u64 {
    let data: u64 = calldata.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum();
    gas_used - 21_000 - data
}

/// `verify` on chain: the answer and its execution gas ([`execution_gas`]).
pub fn sol_verify_exec(d: &mut Dispute, at: Address, args: &[Vec<u8>], w: &[u8]) -> (bool, u64) {
    let data = verifyCall {
        args: bytes(args),
        witness: Bytes::copy_from_slice(w),
    }
    .abi_encode();
    let r = d
        .chain
        .call(d.deployer, at, data.clone().into())
        .expect("call");
    assert!(r.success, "verify never reverts");
    (
        verifyCall::abi_decode_returns(&r.output).expect("bool"),
        execution_gas(&data, r.gas_used),
    )
}
