//! `below`, mirroring `contracts/src/quantifiers/Below.sol`.

use super::int_domain;

use crate::systems::prelude::*;

/// `below(n: uint256)`: the integers `0 ≤ t < n`.
pub(crate) struct Below;
impl Quantifier for Below {
    fn name(&self) -> &'static str {
        "below"
    }
    fn contract(&self) -> &'static str {
        "Below"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("n", ParamType::Is(Type::Uint256))]
    }
    fn element_type(&self) -> Type {
        Type::Uint256
    }
    fn doc(&self) -> &'static str {
        "the unsigned integers t with t < n"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let t = Value::decode(&Type::Uint256, t)
            .ok()
            .and_then(|v| v.as_uint());
        matches!((uint_arg(args, 0), t), (Some(n), Some(t)) if t < n)
    }
    fn domain(&self, args: &[Vec<u8>], _: &LocalInfo) -> Domain {
        int_domain(U256::ZERO, uint_arg(args, 0).unwrap_or_default())
    }
    fn descent(&self) -> Option<Descent> {
        // t < n.
        Some(Descent {
            arg: 0,
            parts: &[&[]],
            order: Order::Numeric,
        })
    }
}
