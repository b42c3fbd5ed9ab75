//! `split`, mirroring `contracts/src/quantifiers/Split.sol`: the bisection points of a trace.

use crate::systems::rollup::verifiers::mips_step::run_through;

use crate::systems::prelude::*;

/// `split(ctx: bytes32, a: bytes32, b: bytes32, n: uint256)`: the bisection points of an
/// `n`-step trace.
///
/// Elements are `(m: bytes32, h: uint256, r: uint256)` with `n ≥ 2`, `h = ⌈n/2⌉`,
/// `r = ⌊n/2⌋` and any `m`; `quantify` checks the sizes (the claim language has no
/// arithmetic, so the halves come from here). The off-chain domain is the one element whose
/// `m` is the state hash after `h` steps from `a` in the party's recorded run with context
/// `ctx` ([`TraceKnowledge::add_vm_trace`](crate::systems::rollup::TraceKnowledge::add_vm_trace)), and it counts as complete: the VM is deterministic, so
/// for every other `m` the first half `trace(ctx, a, m, h)` of `predicates/rollup.ogs` is
/// false, and such an instance can neither witness `exists p in split(…): trace(…, a, p.0, p.1)
/// and …` nor refute its negation. (Do not use `split` under a body for which that does not
/// hold.)
pub(crate) struct Split;
impl Split {
    fn element(m: B256, h: U256, r: U256) -> Vec<u8> {
        encode_list(vec![m.to_vec(), h.to_be_bytes_vec(), r.to_be_bytes_vec()])
    }
}
impl Quantifier for Split {
    fn name(&self) -> &'static str {
        "split"
    }
    fn contract(&self) -> &'static str {
        "Split"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("ctx", ParamType::Is(Type::Bytes32)),
            ("a", ParamType::Is(Type::Bytes32)),
            ("b", ParamType::Is(Type::Bytes32)),
            ("n", ParamType::Is(Type::Uint256)),
        ]
    }
    fn element_type(&self) -> Type {
        Type::Tuple(vec![Type::Bytes32, Type::Uint256, Type::Uint256])
    }
    fn doc(&self) -> &'static str {
        "bisection points (m, h, r) of an n-step trace from a to b: n ≥ 2, h = ⌈n/2⌉, r = ⌊n/2⌋, any m (off-chain: the state after h steps of the party's own run)"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let (Some(_), Some(_), Some(_), Some(n)) = (
            b32_arg(args, 0),
            b32_arg(args, 1),
            b32_arg(args, 2),
            uint_arg(args, 3),
        ) else {
            return false;
        };
        if n < U256::from(2) {
            return false;
        }
        let Ok(parts) = decode_list(t) else {
            return false;
        };
        let [m, h, r] = parts.as_slice() else {
            return false;
        };
        let half = n / U256::from(2);
        m.len() == 32
            && h.len() == 32
            && r.len() == 32
            && U256::from_be_slice(h) == n - half
            && U256::from_be_slice(r) == half
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let (Some(ctx), Some(a), Some(_), Some(n)) = (
            b32_arg(args, 0),
            b32_arg(args, 1),
            b32_arg(args, 2),
            uint_arg(args, 3),
        ) else {
            return malformed();
        };
        if n < U256::from(2) {
            return Domain {
                instances: Vec::new(),
                incomplete: None,
            };
        }
        let half = n / U256::from(2);
        let h = n - half;
        let missing = |why: String| Domain {
            instances: Vec::new(),
            incomplete: Some(why),
        };
        let (trace, i) = match run_through(info, &ctx, &a) {
            Ok(found) => found,
            Err(why) => return missing(why),
        };
        let Some(m) = u64::try_from(h)
            .ok()
            .and_then(|h| i.checked_add(h))
            .and_then(|at| trace.hash_at(at))
        else {
            return missing(format!("the VM run {h} steps past step {i}"));
        };
        Domain {
            instances: vec![Instance {
                value: Split::element(m, h, half),
                proof: Vec::new(),
            }],
            incomplete: None,
        }
    }
    fn descent(&self) -> Option<Descent> {
        // h = ⌈n/2⌉ < n and r = ⌊n/2⌋ < n, as n ≥ 2.
        Some(Descent {
            arg: 3,
            parts: &[&[1], &[2]],
            order: Order::Numeric,
        })
    }
}
