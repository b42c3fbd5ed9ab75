//! Differential soundness (spec §4.6 "same answer on both sides"): for random
//! claims (nesting depth ≤ 4, all primitives and the sugar over them) and
//! random local information with real k256 signatures, the off-chain
//! evaluator's verdict equals the decision the on-chain dispute reaches when
//! the evaluator's side plays its counter-claims and witnesses against an
//! adversary that posts every challenge it can. The contract must accept every
//! counter-claim the evaluator produces and reject invalid ones.

use alloy_primitives::{keccak256, Address, B256, U256};
use ogs::chain::{Dispute, DisputeError, DisputeEvent, How, Status};
use ogs::lang::{check_source, Program};
use ogs::logic::claim::{unfold, Claim};
use ogs::logic::crypto::{self, address_of, merkle_root, signing_key};
use ogs::logic::eval::{ChallengeKind, Evaluator, Verdict};
use ogs::logic::{LocalInfo, Registry};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

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

/// Plays disputes on one deployed contract.
struct Game<'a> {
    d: Dispute,
    p: &'a Program,
    info: &'a LocalInfo,
    honest: Address,
    adversary: Address,
    /// Every claim seen on chain, by id.
    claims: BTreeMap<B256, Claim>,
    /// Challenge links (target, challenge) seen in events.
    links: BTreeSet<(B256, B256)>,
    tx: usize,
}

fn how_of(kind: &ChallengeKind) -> How {
    match kind {
        ChallengeKind::Not => How::default(),
        ChallengeKind::AndChild { index } => How {
            how: 1,
            index: *index as u64,
            ..How::default()
        },
        ChallengeKind::Instance { value, proof } => How {
            how: 2,
            instance: value.clone(),
            proof: proof.clone(),
            ..How::default()
        },
        ChallengeKind::Negation => How {
            how: 3,
            ..How::default()
        },
    }
}

impl Game<'_> {
    fn record(&mut self, r: &ogs::chain::Receipt) {
        self.tx += 1;
        for e in ogs::chain::dispute::events(r) {
            if let DisputeEvent::Challenged { target, challenge } = e {
                self.links.insert((target, challenge));
            }
        }
    }

    fn status(&mut self, c: &Claim) -> Status {
        self.d.status(c.id()).expect("status view")
    }

    fn decide(&self, c: &Claim) -> Verdict {
        Evaluator::new(&self.p.registry, self.p, self.info)
            .decide(c)
            .expect("evaluates")
    }

    /// Posts `counter` against `target`; returns whether the contract accepted it.
    fn challenge(
        &mut self,
        from: Address,
        target: &Claim,
        how: &How,
        counter: &Claim,
        witness: &[u8],
    ) -> Result<(), DisputeError> {
        let r = self.d.challenge(from, target, how, counter, witness)?;
        self.record(&r);
        self.claims.insert(counter.id(), counter.clone());
        Ok(())
    }

    /// Every challenge of `target` the adversary can form, with witnesses where it needs them.
    fn all_challenges(&self, target: &Claim) -> Vec<(How, Claim)> {
        let body = match target {
            Claim::Call { .. } => unfold(target, self.p).expect("unfolds"),
            t => t.clone(),
        };
        match &body {
            Claim::Not(p) => vec![(How::default(), (**p).clone())],
            Claim::And(ps) => ps
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        How {
                            how: 1,
                            index: i as u64,
                            ..How::default()
                        },
                        p.clone().negate(),
                    )
                })
                .collect(),
            Claim::Forall {
                quantifier,
                args,
                body,
            } => {
                let q = self
                    .p
                    .registry
                    .quantifier_by_id(quantifier)
                    .expect("registered");
                let args: Vec<Vec<u8>> = args
                    .iter()
                    .map(|a| a.as_lit().expect("closed").to_vec())
                    .collect();
                q.domain(&args, self.info)
                    .instances
                    .into_iter()
                    .map(|inst| {
                        let c = Claim::instantiate(body, &inst.value)
                            .expect("instantiates")
                            .negate();
                        (
                            How {
                                how: 2,
                                instance: inst.value,
                                proof: inst.proof,
                                ..How::default()
                            },
                            c,
                        )
                    })
                    .collect()
            }
            _ => vec![],
        }
    }

    /// The honest side answers: every claim on chain it believes False gets the
    /// evaluator's counter-claim; every witness claim it can prove gets its witness.
    /// The adversary challenges every claim the honest side believes True.
    /// Runs until nobody has a move left.
    fn play(&mut self) {
        loop {
            let mut moved = false;
            let ids: Vec<B256> = self.claims.keys().copied().collect();
            for id in ids {
                let c = self.claims[&id].clone();
                if self.status(&c) != Status::Undecided {
                    continue;
                }
                match self.decide(&c) {
                    Verdict::False {
                        challenge,
                        evidence,
                    } => {
                        if challenge.kind == ChallengeKind::Negation && !challenge.via_unfold {
                            // A false witness claim: nobody can show its witness; it stays
                            // undecided (its bond is locked until its negation is decided).
                            continue;
                        }
                        if self.links.contains(&(id, challenge.counter.id())) {
                            continue;
                        }
                        let w = evidence
                            .witnesses
                            .iter()
                            .find(|w| w.claim == challenge.counter)
                            .map(|w| w.witness.clone())
                            .unwrap_or_default();
                        let how = how_of(&challenge.kind);
                        let honest = self.honest;
                        match self.challenge(honest, &c, &how, &challenge.counter, &w) {
                            Ok(()) => moved = true,
                            Err(e) => panic!(
                                "the contract refused the evaluator's counter-claim {} against {}: {e}",
                                self.p.show(&challenge.counter),
                                self.p.show(&c)
                            ),
                        }
                    }
                    Verdict::True(evidence) => {
                        if let Claim::Witness { .. } = c {
                            if let Some(w) = evidence.witnesses.iter().find(|w| w.claim == c) {
                                let r = self
                                    .d
                                    .decide_by_witness(self.honest, &c, &w.witness)
                                    .expect("witness accepted");
                                self.record(&r);
                                moved = true;
                            }
                            continue;
                        }
                        // The adversary throws every challenge it can at a true claim.
                        for (how, counter) in self.all_challenges(&c) {
                            if self.links.contains(&(id, counter.id())) {
                                continue;
                            }
                            // The adversary has no witnesses of its own for witness counter-claims.
                            if matches!(counter, Claim::Witness { .. }) {
                                let e = self.challenge(self.adversary, &c, &how, &counter, b"");
                                assert!(
                                    e.is_err(),
                                    "a witness challenge without a witness was accepted"
                                );
                                continue;
                            }
                            if self
                                .challenge(self.adversary, &c, &how, &counter, b"")
                                .is_ok()
                            {
                                moved = true;
                            }
                        }
                    }
                    Verdict::Unknown(_) => {}
                }
            }
            if !moved {
                break;
            }
        }
    }

    /// After the windows: timeouts, releases and contradictions until nothing changes.
    fn settle(&mut self) {
        self.d.chain.advance(10, WINDOW + 1);
        loop {
            let mut changed = false;
            for (t, c) in self.links.clone() {
                let (tc, cc) = (self.claims[&t].clone(), self.claims[&c].clone());
                let (ts, cs) = (self.status(&tc), self.status(&cc));
                if ts == Status::Undecided && cs == Status::True {
                    let r = self
                        .d
                        .decide_by_contradiction(self.honest, t, c)
                        .expect("contradiction");
                    self.record(&r);
                    changed = true;
                } else if cs == Status::False {
                    if let Ok(r) = self.d.release(self.honest, t, c) {
                        self.record(&r);
                        changed = true;
                    }
                }
            }
            for (id, c) in self.claims.clone() {
                if self.status(&c) == Status::Undecided && !matches!(c, Claim::Witness { .. }) {
                    if let Ok(r) = self.d.decide_by_timeout(self.honest, id) {
                        self.record(&r);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }
}

fn program() -> Program {
    check_source("diff.ogs", "", &Registry::standard()).expect("empty program")
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
    let mut d = Dispute::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let (honest, adversary) = (Address::repeat_byte(0x11), Address::repeat_byte(0x22));
    for a in [honest, adversary] {
        d.chain.set_balance(a, U256::from(10u128.pow(24)));
    }
    let mut g = Game {
        d,
        p,
        info: &info,
        honest,
        adversary,
        claims: BTreeMap::new(),
        links: BTreeSet::new(),
        tx: 0,
    };
    // The side the verdict favours is the honest one: true claims are made by it,
    // false claims by the adversary.
    let claimer = if expected == Status::True {
        honest
    } else {
        adversary
    };
    let r = g.d.claim(claimer, &claim).expect("claim accepted");
    g.record(&r);
    g.claims.insert(claim.id(), claim.clone());
    // A random invalid challenge is refused and changes nothing.
    if !matches!(claim, Claim::Witness { .. }) {
        let before = (g.d.bonds_held().expect("view"), g.d.balance());
        let bogus = claim.clone().negate();
        let how = How {
            how: rng.below(3) as u8,
            ..How::default()
        };
        let valid = g
            .all_challenges(&claim)
            .iter()
            .any(|(h, c)| h.how == how.how && *c == bogus);
        if !valid {
            let e = g.challenge(adversary, &claim, &how, &bogus, b"");
            assert!(e.is_err(), "an invalid challenge was accepted: {text}");
            assert_eq!((g.d.bonds_held().expect("view"), g.d.balance()), before);
        }
    }
    g.play();
    if claim_is_witness_without_witness(&g, &claim) {
        // A witness claim nobody can prove stays undecided on chain (spec §3): the
        // evaluator's False means "post its negation", which times out True.
        let neg = claim.clone().negate();
        let r = g.d.claim(honest, &neg).expect("negation claimed");
        g.record(&r);
        g.claims.insert(neg.id(), neg.clone());
        g.play();
        g.settle();
        assert_eq!(g.status(&neg), Status::True, "{text}");
        return Some((text, "witness-negation", g.tx));
    }
    g.settle();
    let got = g.status(&claim);
    assert_eq!(
        got,
        expected,
        "claim: {text}\ncompiled: {}\n{} transactions",
        p.show(&claim),
        g.tx
    );
    // No value lost: the contract holds exactly the bonds it still owes.
    assert_eq!(
        g.d.balance(),
        g.d.bonds_held().expect("view") + g.d.total_credited().expect("view")
    );
    Some((
        text,
        if expected == Status::True {
            "true"
        } else {
            "false"
        },
        g.tx,
    ))
}

fn claim_is_witness_without_witness(g: &Game, c: &Claim) -> bool {
    matches!(c, Claim::Witness { .. }) && matches!(g.decide(c), Verdict::False { .. })
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
