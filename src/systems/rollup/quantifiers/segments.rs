//! `segments`, mirroring `contracts/src/quantifiers/Segments.sol`: the segments a k-ary split
//! cuts a trace into.

use crate::systems::prelude::*;

/// The largest `k` a `ksplit` accepts: one move then posts at most 255 state hashes (about
/// 25 KB of calldata), which keeps a move's gas bounded whatever the claim says.
pub(crate) const MAX_K: u64 = 256;

/// The number of segments `m = min(k, n)` an `n`-step trace is cut into by a `k`-ary split, or
/// `None` when it has none (`n < 2`, `k < 2` or `k > MAX_K`).
pub(crate) fn part_count(n: U256, k: U256) -> Option<u64> {
    if n < U256::from(2) || k < U256::from(2) || k > U256::from(MAX_K) {
        return None;
    }
    Some(u64::try_from(k.min(n)).unwrap_or(MAX_K))
}

/// The size of segment `i` of `m` of an `n`-step trace: `⌊n/m⌋`, one more for the first
/// `n mod m` segments (so sizes differ by at most one and add up to `n`).
pub(crate) fn segment_size(n: U256, m: u64, i: u64) -> U256 {
    let m = U256::from(m);
    let extra = U256::from(i) < n % m;
    n / m + U256::from(u64::from(extra))
}

/// The step counts at the `m − 1` inner boundaries of an `n`-step trace cut into `m`
/// segments, in order (`n` fits in 64 bits, as a recorded run's does).
pub(crate) fn boundaries(n: u64, m: u64) -> impl Iterator<Item = u64> {
    let (q, r) = (n / m, n % m);
    (1..m).map(move |j| j * q + j.min(r))
}

/// `segments(a: bytes32, b: bytes32, n: uint256, p: bytes32[])`: the segments of an `n`-step
/// trace from `a` to `b` cut at the state hashes `p`.
///
/// With `m = len(p) + 1` segments, `2 ≤ m ≤ n`, element `i < m` is `(from, to, size)`: `from`
/// is `a` for the first and `p[i − 1]` otherwise, `to` is `p[i]` and `b` for the last, and
/// `size` is [`segment_size`]; its membership proof is `i` (a 32-byte word). Every `size` is
/// at most `⌈n/2⌉ < n` (declared as the descent of `.2` below `n`). The domain is complete
/// from the arguments alone.
pub(crate) struct Segments;

/// The decoded arguments `(a, b, n, p)` of `segments`.
type Parts = (B256, B256, U256, Vec<B256>);

impl Segments {
    /// The decoded arguments (`None`: malformed), and whether they have segments at all.
    fn parts(args: &[Vec<u8>]) -> Option<(Parts, bool)> {
        let (a, b, n) = (b32_arg(args, 0)?, b32_arg(args, 1)?, uint_arg(args, 2)?);
        let p = decode_list(args.get(3)?).ok()?;
        if p.iter().any(|h| h.len() != 32) {
            return None;
        }
        let m = p.len() as u64 + 1;
        let some = m >= 2 && U256::from(m) <= n;
        Some((
            (a, b, n, p.iter().map(|h| B256::from_slice(h)).collect()),
            some,
        ))
    }

    fn element(a: B256, b: B256, n: U256, p: &[B256], i: usize) -> Vec<u8> {
        let m = p.len() + 1;
        let from = if i == 0 { a } else { p[i - 1] };
        let to = if i + 1 == m { b } else { p[i] };
        let size = segment_size(n, m as u64, i as u64);
        encode_list(vec![from.to_vec(), to.to_vec(), size.to_be_bytes_vec()])
    }
}

impl Quantifier for Segments {
    fn name(&self) -> &'static str {
        "segments"
    }
    fn contract(&self) -> &'static str {
        "Segments"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("a", ParamType::Is(Type::Bytes32)),
            ("b", ParamType::Is(Type::Bytes32)),
            ("n", ParamType::Is(Type::Uint256)),
            ("p", ParamType::Is(Type::Array(Box::new(Type::Bytes32)))),
        ]
    }
    fn element_type(&self) -> Type {
        Type::Tuple(vec![Type::Bytes32, Type::Bytes32, Type::Uint256])
    }
    fn doc(&self) -> &'static str {
        "the len(p) + 1 segments (from, to, size) of an n-step trace from a to b cut at the state hashes p: sizes ⌊n/m⌋ or ⌈n/m⌉, first ones larger; proof: the segment's index"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], proof: &[u8]) -> bool {
        let Some(((a, b, n, p), true)) = Self::parts(args) else {
            return false;
        };
        if proof.len() != 32 {
            return false;
        }
        let i = U256::from_be_slice(proof);
        if i > U256::from(p.len()) {
            return false;
        }
        Self::element(a, b, n, &p, i.to::<usize>()) == t
    }
    fn domain(&self, args: &[Vec<u8>], _: &LocalInfo) -> Domain {
        let Some(((a, b, n, p), some)) = Self::parts(args) else {
            return malformed();
        };
        if !some {
            return Domain {
                instances: Vec::new(),
                incomplete: None,
            };
        }
        Domain {
            instances: (0..=p.len())
                .map(|i| Instance {
                    value: Self::element(a, b, n, &p, i),
                    proof: U256::from(i).to_be_bytes_vec(),
                })
                .collect(),
            incomplete: None,
        }
    }
    fn descent(&self) -> Option<Descent> {
        // size ≤ ⌈n/m⌉ ≤ ⌈n/2⌉ < n, as 2 ≤ m ≤ n.
        Some(Descent {
            arg: 2,
            parts: &[&[2]],
            order: Order::Numeric,
        })
    }
}
