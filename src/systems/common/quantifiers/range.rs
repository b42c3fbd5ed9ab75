//! `range`, mirroring `contracts/src/quantifiers/Range.sol`.

use super::int_domain;

use crate::systems::prelude::*;

/// `range(lo: uint256, hi: uint256)`: the integers `lo ≤ t < hi`.
pub(crate) struct Range;
impl Quantifier for Range {
    fn name(&self) -> &'static str {
        "range"
    }
    fn contract(&self) -> &'static str {
        "Range"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("lo", ParamType::Is(Type::Uint256)),
            ("hi", ParamType::Is(Type::Uint256)),
        ]
    }
    fn element_type(&self) -> Type {
        Type::Uint256
    }
    fn doc(&self) -> &'static str {
        "the unsigned integers t with lo ≤ t < hi"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let t = Value::decode(&Type::Uint256, t)
            .ok()
            .and_then(|v| v.as_uint());
        matches!((uint_arg(args, 0), uint_arg(args, 1), t), (Some(lo), Some(hi), Some(t)) if lo <= t && t < hi)
    }
    fn domain(&self, args: &[Vec<u8>], _: &LocalInfo) -> Domain {
        int_domain(
            uint_arg(args, 0).unwrap_or_default(),
            uint_arg(args, 1).unwrap_or_default(),
        )
    }
    fn descent(&self) -> Option<Descent> {
        // t < hi (t ≥ lo does not make it smaller than lo).
        Some(Descent {
            arg: 1,
            parts: &[&[]],
            order: Order::Numeric,
        })
    }
}
