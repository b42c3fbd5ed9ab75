//! Decoding a verifier's or quantifier's arguments: `None` for anything malformed, so every
//! check can answer `false` (never panic) on bad input, as the contracts do.

use crate::logic::registry::Domain;
use crate::logic::value::{Type, Value};
use alloy_primitives::{Address, B256, U256};

pub(crate) fn arg<'a>(args: &'a [Vec<u8>], i: usize, ty: &Type) -> Option<Value> {
    args.get(i)
        .and_then(|a: &'a Vec<u8>| Value::decode(ty, a).ok())
}
pub(crate) fn uint_arg(args: &[Vec<u8>], i: usize) -> Option<U256> {
    arg(args, i, &Type::Uint256).and_then(|v| v.as_uint())
}
pub(crate) fn b32_arg(args: &[Vec<u8>], i: usize) -> Option<B256> {
    match arg(args, i, &Type::Bytes32)? {
        Value::Bytes32(b) => Some(b),
        _ => None,
    }
}
pub(crate) fn addr_arg(args: &[Vec<u8>], i: usize) -> Option<Address> {
    match arg(args, i, &Type::Address)? {
        Value::Address(a) => Some(a),
        _ => None,
    }
}
pub(crate) fn addresses_arg(args: &[Vec<u8>], i: usize) -> Option<Vec<Address>> {
    match arg(args, i, &Type::Array(Box::new(Type::Address)))? {
        Value::List(vs) => vs
            .into_iter()
            .map(|v| match v {
                Value::Address(a) => Some(a),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}
pub(crate) fn malformed() -> Domain {
    Domain {
        instances: Vec::new(),
        incomplete: Some("malformed arguments".into()),
    }
}
