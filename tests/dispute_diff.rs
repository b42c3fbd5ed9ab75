//! Differential soundness (SEMANTICS.md §4.6 "same answer on both sides"): for random
//! claims (nesting depth ≤ 4, all primitives and the sugar over them) and
//! random local information with real k256 signatures, the off-chain
//! evaluator's verdict equals the decision the on-chain dispute reaches when
//! the evaluator's side plays its counter-claims and witnesses against an
//! adversary that posts every challenge it can. The contract must accept every
//! counter-claim the evaluator produces (half the cases as path moves through the adversary's
//! forced replies) and reject invalid ones.

use alloy_primitives::{keccak256, Address, B256, U256};
use ogs::chain::{How, Status};
use ogs::dispute::scenario::all_challenges;
use ogs::dispute::strategy::attack_believed_true;
use ogs::dispute::{Arena, Party};
use ogs::lang::{check_source, Program};
use ogs::logic::claim::Claim;
use ogs::logic::crypto::{self, address_of, merkle_root, signing_key};
use ogs::logic::eval::{Evaluator, Verdict};
use ogs::logic::LocalInfo;
use proptest::prelude::*;
use std::collections::BTreeMap;

const BOND: u64 = 1_000;
const WINDOW: u64 = 100;

/// A tiny deterministic generator (proptest supplies the seed and records failures).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The world the claims talk about: pre-images, signed messages, a Merkle set.
struct World {
    data: Vec<Vec<u8>>,
    messages: Vec<B256>,
    keys: Vec<k256::ecdsa::SigningKey>,
    leaves: Vec<B256>,
    root: B256,
}

fn world() -> World {
    let keys: Vec<_> = (0..3u8)
        .map(|i| signing_key(keccak256([i, 0xd1]).as_slice()).expect("key"))
        .collect();
    let leaves: Vec<B256> = (1..=4u8).map(B256::with_last_byte).collect();
    World {
        data: (0..3u8).map(|i| vec![i; 3 + i as usize]).collect(),
        messages: (0..3u8).map(|i| keccak256([i, 0x4d])).collect(),
        keys,
        root: merkle_root(&leaves),
        leaves,
    }
}

impl World {
    fn addr(&self, k: usize) -> Address {
        address_of(self.keys[k].verifying_key())
    }

    /// Random local information: some pre-images, some signatures; key 0 is ours.
    fn info(&self, rng: &mut Rng) -> LocalInfo {
        let mut info = LocalInfo::new();
        info.add_own(self.addr(0));
        for d in &self.data {
            if rng.chance(60) {
                info.add_preimage(d.clone());
            }
        }
        for m in &self.messages {
            for k in 0..self.keys.len() {
                // Key 2's signatures are always known one way or the other only if present.
                if rng.chance(50) {
                    let sig = crypto::sign(&self.keys[k], *m);
                    info.add_signature(*m, self.addr(k), sig.to_vec())
                        .expect("valid");
                }
            }
        }
        info.add_merkle_set(self.leaves.clone(), true);
        info
    }

    /// A random formula of depth ≤ `depth` over uint variables `uints` and bytes32 variables `words`.
    fn formula(
        &self,
        rng: &mut Rng,
        depth: u32,
        uints: &mut Vec<String>,
        words: &mut Vec<String>,
    ) -> String {
        let leaf = depth <= 1 || rng.chance(25);
        if leaf {
            return self.atom(rng, uints, words);
        }
        match rng.below(7) {
            0 => format!("not {}", self.paren(rng, depth - 1, uints, words)),
            1 | 2 => {
                let op = if rng.chance(50) { "and" } else { "or" };
                let n = 2 + rng.below(2);
                let parts: Vec<String> = (0..n)
                    .map(|_| self.paren(rng, depth - 1, uints, words))
                    .collect();
                parts.join(&format!(" {op} "))
            }
            3 | 4 => {
                let q = if rng.chance(50) { "forall" } else { "exists" };
                let v = format!("u{}", uints.len());
                let domain = if rng.chance(50) {
                    format!("below({})", rng.below(4))
                } else {
                    let lo = rng.below(3);
                    format!("range({lo}, {})", lo + rng.below(4))
                };
                uints.push(v.clone());
                let body = self.formula(rng, depth - 1, uints, words);
                uints.pop();
                format!("{q} {v} in {domain}: {body}")
            }
            _ => {
                let q = if rng.chance(50) { "forall" } else { "exists" };
                let v = format!("w{}", words.len());
                words.push(v.clone());
                let body = self.formula(rng, depth - 1, uints, words);
                words.pop();
                format!("{q} {v} in members({:#x}): {body}", self.root)
            }
        }
    }

    fn paren(
        &self,
        rng: &mut Rng,
        depth: u32,
        uints: &mut Vec<String>,
        words: &mut Vec<String>,
    ) -> String {
        format!("({})", self.formula(rng, depth, uints, words))
    }

    fn uint(&self, rng: &mut Rng, uints: &[String]) -> String {
        if !uints.is_empty() && rng.chance(70) {
            uints[rng.below(uints.len() as u64) as usize].clone()
        } else {
            rng.below(4).to_string()
        }
    }

    fn word(&self, rng: &mut Rng, words: &[String]) -> String {
        if !words.is_empty() && rng.chance(70) {
            words[rng.below(words.len() as u64) as usize].clone()
        } else {
            format!("{:#x}", B256::with_last_byte(rng.below(6) as u8))
        }
    }

    fn atom(&self, rng: &mut Rng, uints: &[String], words: &[String]) -> String {
        let witness = if rng.chance(30) { "witness " } else { "" };
        match rng.below(6) {
            0 => format!(
                "{witness}eq({}, {})",
                self.uint(rng, uints),
                self.uint(rng, uints)
            ),
            1 => format!(
                "{witness}lt({}, {})",
                self.uint(rng, uints),
                self.uint(rng, uints)
            ),
            2 => {
                let d = &self.data[rng.below(self.data.len() as u64) as usize];
                format!("{witness}preimage({:#x})", keccak256(d))
            }
            3 => {
                let m = self.messages[rng.below(self.messages.len() as u64) as usize];
                // Key 0 (ours) most of the time, so absence is decidable.
                let k = if rng.chance(70) {
                    0
                } else {
                    1 + rng.below(2) as usize
                };
                format!("{witness}signed_by({m:#x}, {:#x})", self.addr(k))
            }
            4 => format!(
                "{witness}merkle_included({:#x}, {})",
                self.root,
                self.word(rng, words)
            ),
            _ => format!(
                "{witness}eq({}, {})",
                self.word(rng, words),
                self.word(rng, words)
            ),
        }
    }
}

/// The adversary's turn ([`attack_believed_true`]): a witness counter-claim needs its witness,
/// which the adversary does not have, so no such challenge may be accepted. Returns whether it
/// made a move.
fn adversary_moves(a: &mut Arena, adversary: &Party, honest: &LocalInfo) -> bool {
    let accepted = attack_believed_true(a, adversary, honest);
    assert!(
        accepted
            .iter()
            .all(|(_, counter)| !matches!(counter, Claim::Witness { .. })),
        "a witness challenge without a witness was accepted"
    );
    !accepted.is_empty()
}

fn program() -> Program {
    check_source("diff.ogs", "", &ogs::systems::standard()).expect("empty program")
}

/// One random case: returns `None` when the evaluator answers Unknown.
fn run_case(seed: u64, w: &World, p: &Program) -> Option<(String, &'static str, usize)> {
    let mut rng = Rng(seed | 1);
    let info = w.info(&mut rng);
    let depth = 1 + rng.below(4) as u32;
    let text = w.formula(&mut rng, depth, &mut Vec::new(), &mut Vec::new());
    let claim = p
        .compile_claim(&text)
        .unwrap_or_else(|e| panic!("{text}\n{}", e.render(false)));
    let verdict = Evaluator::new(&p.registry, p, &info)
        .decide(&claim)
        .expect("evaluates");
    let expected = match verdict {
        Verdict::True(_) => Status::True,
        Verdict::False { .. } => Status::False,
        Verdict::Unknown(_) => return None,
    };
    let mut a = Arena::new(p, U256::from(BOND), WINDOW).expect("deploys");
    // In half the cases the honest side makes path moves: every one it composes must be the
    // one the contract computes (`challengePath` accepts nothing else), and the decision the same.
    a.set_paths(rng.chance(50));
    let honest = Party {
        name: "honest".into(),
        address: Address::repeat_byte(0x11),
        info,
    };
    let adversary = Party {
        name: "adversary".into(),
        address: Address::repeat_byte(0x22),
        info: LocalInfo::new(),
    };
    for who in [&honest, &adversary] {
        a.dispute_mut()
            .chain
            .set_balance(who.address, U256::from(10u128.pow(24)));
    }
    // The side the verdict favours is the honest one: true claims are made by it,
    // false claims by the adversary.
    let claimer = if expected == Status::True {
        &honest
    } else {
        &adversary
    };
    a.claim(claimer, &claim).expect("claim accepted");
    // A random invalid challenge is refused and changes nothing.
    if !matches!(claim, Claim::Witness { .. }) {
        let before = (
            a.dispute_mut().bonds_held().expect("view"),
            a.dispute_mut().balance(),
        );
        let bogus = claim.clone().negate();
        let how = How {
            how: rng.below(3) as u8,
            ..How::default()
        };
        let valid = all_challenges(a.program(), &honest.info, &claim)
            .iter()
            .any(|(h, c)| h.how == how.how && *c == bogus);
        if !valid {
            let e = a.challenge(&adversary, &claim, &how, &bogus, b"");
            assert!(e.is_err(), "an invalid challenge was accepted: {text}");
            assert_eq!(
                (
                    a.dispute_mut().bonds_held().expect("view"),
                    a.dispute_mut().balance()
                ),
                before
            );
        }
    }
    loop {
        let moved = a.respond(&honest) | adversary_moves(&mut a, &adversary, &honest.info);
        if !moved {
            break;
        }
    }
    // Every counter-claim the honest side posted was accepted by the contract.
    for e in a.log() {
        if e.actor == "honest" {
            assert_eq!(
                e.outcome, "ok",
                "the contract refused the evaluator's move {} in {text}",
                e.call
            );
        }
    }
    a.wait(WINDOW + 1);
    a.settle(&honest);
    let tx = a.log().len();
    if matches!(claim, Claim::Witness { .. }) && expected == Status::False {
        // A witness claim nobody can prove has no challenge (SEMANTICS.md §3): the honest side
        // claimed its negation, which times out True, and then decided the claim False by it.
        assert_eq!(a.status(&claim.clone().negate()), Status::True, "{text}");
        assert_eq!(a.status(&claim), Status::False, "{text}");
        return Some((text, "witness-negation", tx));
    }
    let got = a.status(&claim);
    assert_eq!(
        got,
        expected,
        "claim: {text}\ncompiled: {}\n{}",
        p.show(&claim),
        a.render(&claim)
    );
    // No value lost: the contract holds exactly the bonds it still owes.
    assert_eq!(
        a.dispute_mut().balance(),
        a.dispute_mut().bonds_held().expect("view")
            + a.dispute_mut().total_credited().expect("view")
    );
    Some((
        text,
        if expected == Status::True {
            "true"
        } else {
            "false"
        },
        tx,
    ))
}

/// The generator covers both verdicts, deep claims and long games (so the
/// property below is not vacuous).
#[test]
fn cases_cover_true_false_and_deep_games() {
    let w = world();
    let p = program();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut max_tx = 0;
    for seed in 1..300u64 {
        match run_case(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15), &w, &p) {
            Some((_, kind, tx)) => {
                *counts.entry(kind).or_default() += 1;
                max_tx = max_tx.max(tx);
            }
            None => *counts.entry("unknown").or_default() += 1,
        }
    }
    eprintln!("outcomes over 299 cases: {counts:?}, longest game {max_tx} transactions");
    assert!(counts.get("true").copied().unwrap_or(0) >= 50, "{counts:?}");
    assert!(
        counts.get("false").copied().unwrap_or(0) >= 50,
        "{counts:?}"
    );
    assert!(
        max_tx >= 10,
        "games are too short to exercise anything: {max_tx}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Evaluator verdict == on-chain decision, over 1,000 random claims and local information.
    #[test]
    fn evaluator_and_contract_agree(seed in any::<u64>()) {
        let w = world();
        let p = program();
        let _ = run_case(seed, &w, &p);
    }
}
