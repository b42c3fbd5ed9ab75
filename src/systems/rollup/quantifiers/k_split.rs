//! `ksplit`, mirroring `contracts/src/quantifiers/KSplit.sol`: the k-ary split points of a trace.

use super::segments::part_count;
use crate::systems::rollup::verifiers::mips_step::run_through;

use crate::systems::prelude::*;

/// `ksplit(ctx: bytes32, a: bytes32, b: bytes32, n: uint256, k: uint256)`: the ways to cut an
/// `n`-step trace into `m = min(k, n)` segments.
///
/// Elements are lists of exactly `m − 1` state hashes (`bytes32[]`, the states at the inner
/// segment boundaries, see [`segments`](super::segments)), for `n ≥ 2` and `2 ≤ k ≤`
/// [`MAX_K`](super::segments::MAX_K); there are none otherwise. The claim language has no arithmetic, so the count is
/// checked here. The off-chain domain is the one element made of the state hashes at those
/// boundaries in the party's recorded run with context `ctx` through `a`, and it counts as
/// complete: the VM is deterministic, so for any other list the segment that starts at the
/// first wrong hash is a false trace, and such an instance can neither witness `exists p in
/// ksplit(…): forall s in segments(…, p): trace(…)` nor refute its negation. (Do not use
/// `ksplit` under a body for which that does not hold.)
pub(crate) struct KSplit;

impl KSplit {
    /// `(ctx, a, n, k)` of well-formed arguments (`b` is checked, not needed).
    fn args(args: &[Vec<u8>]) -> Option<(B256, B256, U256, U256)> {
        b32_arg(args, 2)?;
        Some((
            b32_arg(args, 0)?,
            b32_arg(args, 1)?,
            uint_arg(args, 3)?,
            uint_arg(args, 4)?,
        ))
    }
}

impl Quantifier for KSplit {
    fn name(&self) -> &'static str {
        "ksplit"
    }
    fn contract(&self) -> &'static str {
        "KSplit"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("ctx", ParamType::Is(Type::Bytes32)),
            ("a", ParamType::Is(Type::Bytes32)),
            ("b", ParamType::Is(Type::Bytes32)),
            ("n", ParamType::Is(Type::Uint256)),
            ("k", ParamType::Is(Type::Uint256)),
        ]
    }
    fn element_type(&self) -> Type {
        Type::Array(Box::new(Type::Bytes32))
    }
    fn doc(&self) -> &'static str {
        "the min(k, n) − 1 inner boundary state hashes of an n-step trace cut into min(k, n) segments: n ≥ 2, 2 ≤ k ≤ 256 (off-chain: the states of the party's own run)"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let Some((_, _, n, k)) = Self::args(args) else {
            return false;
        };
        let Some(m) = part_count(n, k) else {
            return false;
        };
        let Ok(hashes) = decode_list(t) else {
            return false;
        };
        hashes.len() as u64 + 1 == m && hashes.iter().all(|h| h.len() == 32)
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let Some((ctx, a, n, k)) = Self::args(args) else {
            return malformed();
        };
        let Some(m) = part_count(n, k) else {
            return Domain {
                instances: Vec::new(),
                incomplete: None,
            };
        };
        let missing = |why: String| Domain {
            instances: Vec::new(),
            incomplete: Some(why),
        };
        let (trace, i) = match run_through(info, &ctx, &a) {
            Ok(found) => found,
            Err(why) => return missing(why),
        };
        let Ok(n) = u64::try_from(n) else {
            return missing(format!("a VM run of {n} steps"));
        };
        let mut hashes = Vec::with_capacity(m as usize - 1);
        for at in super::segments::boundaries(n, m) {
            match i.checked_add(at).and_then(|s| trace.hash_at(s)) {
                Some(h) => hashes.push(h.to_vec()),
                None => return missing(format!("the VM run {at} steps past step {i}")),
            }
        }
        Domain {
            instances: vec![Instance {
                value: encode_list(hashes),
                proof: Vec::new(),
            }],
            incomplete: None,
        }
    }
}
