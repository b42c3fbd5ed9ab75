//! Invariants of the dispute contract (SEMANTICS.md §4) over random action sequences
//! by several parties: claims, valid and invalid challenges, witness
//! submissions, timeouts, contradictions, releases, payouts, withdrawals,
//! time jumps, duplicate and late calls.
//!
//! After every action: never `P` and `NOT(P)` both True (§4.1), decisions never
//! change (§3), the contract's balance equals the bonds it holds plus the
//! credit it owes and no wei is created or lost (§4.5), with every transaction paying
//! fees at a non-zero gas price. At the end, once
//! everything decidable is decided and paid out, nothing stays locked except
//! the bonds of claims that are still undecided. Separately: the gas of a
//! decision does not depend on how many challenges were spammed (§4.4).

use alloy_primitives::{keccak256, Address, B256, U256};
use ogs::chain::{Dispute, How, Status};
use ogs::lang::{check_source, Program};
use ogs::logic::claim::Claim;
use ogs::logic::crypto::{self, address_of, signing_key};
use proptest::prelude::*;
use std::collections::BTreeMap;

const BOND: u64 = 1_000;
const WINDOW: u64 = 50;

fn program() -> Program {
    check_source("inv.ogs", "", &ogs::systems::standard()).expect("empty program")
}

/// A small universe of claims: atoms, their negations, conjunctions and quantified claims.
fn universe(p: &Program) -> (Vec<Claim>, Vec<(Claim, Vec<u8>)>) {
    let key = signing_key(keccak256(b"inv key").as_slice()).expect("key");
    let signer = address_of(key.verifying_key());
    let m = keccak256(b"inv message");
    let sig = crypto::sign(&key, m).to_vec();
    let data = b"inv preimage".to_vec();
    let h = keccak256(&data);
    let texts = [
        "eq(1, 1)".to_string(),
        "eq(1, 2)".to_string(),
        format!("witness preimage({h:#x})"),
        format!("witness signed_by({m:#x}, {signer:#x})"),
        format!(
            "witness signed_by({:#x}, {signer:#x})",
            keccak256(b"never signed")
        ),
        "lt(1, 2) and lt(2, 3)".to_string(),
        "lt(1, 2) and eq(2, 3)".to_string(),
        "forall x in below(3): lt(x, 3)".to_string(),
        "forall x in below(3): lt(x, 2)".to_string(),
        "exists x in below(3): eq(x, 2)".to_string(),
        format!("not witness preimage({h:#x}) or eq(1, 1)"),
    ];
    let mut claims = Vec::new();
    for t in &texts {
        let c = p
            .compile_claim(t)
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        claims.push(c.clone().negate());
        claims.push(c);
    }
    let witnesses = vec![
        (
            p.compile_claim(&format!("witness preimage({h:#x})"))
                .expect("c"),
            data,
        ),
        (
            p.compile_claim(&format!("witness signed_by({m:#x}, {signer:#x})"))
                .expect("c"),
            sig,
        ),
        (p.compile_claim("eq(1, 1)").expect("c"), vec![]),
    ];
    (claims, witnesses)
}

#[derive(Clone, Debug)]
enum Action {
    Claim(usize, usize),
    Challenge(usize, usize, u8, u64, usize),
    Witness(usize, usize, bool),
    Timeout(usize, usize),
    Contradict(usize, usize, usize),
    Release(usize, usize, usize),
    Payout(usize, usize),
    Withdraw(usize),
    Wait(u64),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..3usize, 0..22usize).prop_map(|(a, c)| Action::Claim(a, c)),
        4 => (0..3usize, 0..22usize, 0..3u8, 0..3u64, 0..22usize).prop_map(|(a, t, h, i, c)| Action::Challenge(a, t, h, i, c)),
        2 => (0..3usize, 0..3usize, any::<bool>()).prop_map(|(a, w, good)| Action::Witness(a, w, good)),
        2 => (0..3usize, 0..22usize).prop_map(|(a, c)| Action::Timeout(a, c)),
        2 => (0..3usize, 0..22usize, 0..22usize).prop_map(|(a, t, c)| Action::Contradict(a, t, c)),
        1 => (0..3usize, 0..22usize, 0..22usize).prop_map(|(a, t, c)| Action::Release(a, t, c)),
        1 => (0..3usize, 0..22usize).prop_map(|(a, c)| Action::Payout(a, c)),
        1 => (0..3usize).prop_map(Action::Withdraw),
        2 => prop_oneof![Just(1u64), Just(WINDOW / 2), Just(WINDOW + 1)].prop_map(Action::Wait),
    ]
}

struct World {
    d: Dispute,
    parties: [Address; 3],
    claims: Vec<Claim>,
    witnesses: Vec<(Claim, Vec<u8>)>,
    decided: BTreeMap<B256, Status>,
    total: U256,
}

impl World {
    fn new(p: &Program) -> World {
        let d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
        let (claims, witnesses) = universe(p);
        let mut w = World {
            d,
            parties: [
                Address::repeat_byte(1),
                Address::repeat_byte(2),
                Address::repeat_byte(3),
            ],
            claims,
            witnesses,
            decided: BTreeMap::new(),
            total: U256::ZERO,
        };
        // Fees are paid (1 wei per gas, to the block's beneficiary, counted in `wei`): the
        // invariants hold with a non-zero gas price.
        w.d.chain.set_gas_price(1);
        for a in w.parties {
            w.d.chain.set_balance(a, U256::from(10u64.pow(12)));
        }
        w.total = w.wei();
        w
    }

    /// Every wei there is: the contract's, the parties', and the fees the beneficiary took.
    fn wei(&mut self) -> U256 {
        let mut t = self.d.balance() + self.d.chain.balance(Address::ZERO);
        for a in self.parties {
            t += self.d.chain.balance(a);
        }
        t
    }

    fn apply(&mut self, a: &Action) {
        let n = self.claims.len();
        let _ = match a {
            Action::Claim(p, c) => self
                .d
                .claim(self.parties[*p], &self.claims[c % n].clone())
                .map(|_| ()),
            Action::Challenge(p, t, how, i, c) => {
                let target = self.claims[t % n].clone();
                let counter = self.claims[c % n].clone();
                let h = How {
                    how: *how,
                    index: *i,
                    instance: ogs::logic::value::Value::Uint(U256::from(*i)).encode(),
                    ..How::default()
                };
                let w = self
                    .witnesses
                    .iter()
                    .find(|(c, _)| *c == counter)
                    .map(|(_, w)| w.clone())
                    .unwrap_or_default();
                self.d
                    .challenge(self.parties[*p], &target, &h, &counter, &w)
                    .map(|_| ())
            }
            Action::Witness(p, w, good) => {
                let (c, wit) = self.witnesses[*w].clone();
                let wit = if *good { wit } else { b"forged".to_vec() };
                self.d
                    .decide_by_witness(self.parties[*p], &c, &wit)
                    .map(|_| ())
            }
            Action::Timeout(p, c) => {
                let id = self.claims[c % n].id();
                self.d.decide_by_timeout(self.parties[*p], id).map(|_| ())
            }
            Action::Contradict(p, t, c) => {
                let (t, c) = (self.claims[t % n].id(), self.claims[c % n].id());
                self.d
                    .decide_by_contradiction(self.parties[*p], t, c)
                    .map(|_| ())
            }
            Action::Release(p, t, c) => {
                let (t, c) = (self.claims[t % n].id(), self.claims[c % n].id());
                self.d.release(self.parties[*p], t, c).map(|_| ())
            }
            Action::Payout(p, c) => {
                let id = self.claims[c % n].id();
                self.d.payout(self.parties[*p], id).map(|_| ())
            }
            Action::Withdraw(p) => self.d.withdraw(self.parties[*p]).map(|_| ()),
            Action::Wait(s) => {
                self.d.chain.advance(1, *s);
                Ok(())
            }
        };
    }

    fn check(&mut self) -> Result<(), TestCaseError> {
        let claims = self.claims.clone();
        let mut status = BTreeMap::new();
        for c in &claims {
            let s = self.d.status(c.id()).expect("view");
            // Decisions never change.
            if let Some(prev) = self.decided.get(&c.id()) {
                prop_assert_eq!(*prev, s, "a decision changed");
            }
            if s == Status::True || s == Status::False {
                self.decided.insert(c.id(), s);
            }
            status.insert(c.id(), s);
        }
        // Never P and NOT(P) both True.
        for c in &claims {
            let neg = c.clone().negate();
            if status.get(&c.id()) == Some(&Status::True) {
                prop_assert_ne!(
                    status.get(&neg.id()),
                    Some(&Status::True),
                    "P and NOT(P) both True: {:?}",
                    c
                );
            }
        }
        // Balance == bonds held + credit; no wei created or lost.
        let bal = self.d.balance();
        prop_assert_eq!(
            bal,
            self.d.bonds_held().expect("view") + self.d.total_credited().expect("view")
        );
        let total = self.wei();
        prop_assert_eq!(total, self.total, "wei created or lost");
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_over_random_action_sequences(actions in prop::collection::vec(action(), 1..60)) {
        let p = program();
        let mut w = World::new(&p);
        for a in &actions {
            w.apply(a);
            w.check()?;
        }
        // Resolve everything that can be resolved, pay out, withdraw.
        w.d.chain.advance(1, WINDOW * 10);
        for _ in 0..8 {
            for i in 0..w.claims.len() {
                for j in 0..w.claims.len() {
                    w.apply(&Action::Contradict(0, i, j));
                    w.apply(&Action::Release(0, i, j));
                }
                w.apply(&Action::Timeout(0, i));
            }
        }
        for i in 0..w.claims.len() {
            w.apply(&Action::Payout(0, i));
        }
        for p in 0..3 {
            w.apply(&Action::Withdraw(p));
        }
        w.check()?;
        // The sequence paid fees (the settlement above sent transactions at 1 wei per gas).
        prop_assert!(w.d.chain.balance(Address::ZERO) > U256::ZERO, "no fees were paid");
        // Nothing locked after resolution: only undecided claims still hold bonds.
        let mut undecided = 0u64;
        for c in w.claims.clone() {
            if w.d.status(c.id()).expect("view") == Status::Undecided {
                undecided += 1;
            }
        }
        prop_assert_eq!(w.d.total_credited().expect("view"), U256::ZERO);
        prop_assert!(w.d.bonds_held().expect("view") <= U256::from(undecided * BOND), "bonds locked after resolution");
    }
}

/// §4.4: challenge spam cannot make deciding a claim more expensive.
#[test]
fn decide_gas_is_independent_of_challenge_spam() {
    let p = program();
    let gas_with = |spam: usize| -> u64 {
        let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
        let (claimant, spammer) = (Address::repeat_byte(7), Address::repeat_byte(8));
        d.chain.set_balance(claimant, U256::from(10u64.pow(9)));
        d.chain.set_balance(spammer, U256::from(10u64.pow(9)));
        // A true claim with many conjuncts: each spam challenge is a false NOT(conjunct).
        let parts: Vec<String> = (0..spam.max(1))
            .map(|i| format!("lt({i}, {})", i + 1))
            .collect();
        let text = if parts.len() == 1 {
            format!("{} and lt(0, 5)", parts[0])
        } else {
            parts.join(" and ")
        };
        let c = p.compile_claim(&text).expect("compiles");
        d.claim(claimant, &c).expect("claim");
        let Claim::And(ps) = &c else { panic!("an AND") };
        let mut spam_ids = Vec::new();
        for (i, part) in ps.iter().enumerate().take(spam) {
            let counter = part.clone().negate();
            let h = How {
                how: 1,
                index: i as u64,
                ..How::default()
            };
            d.challenge(spammer, &c, &h, &counter, b"")
                .expect("spam challenge");
            spam_ids.push(counter);
        }
        // Each spam challenge NOT(lt(i, i+1)) is itself challenged by lt(i, i+1) (a witness claim, True at once).
        for counter in &spam_ids {
            let Claim::Not(inner) = counter else { panic!() };
            d.challenge(claimant, counter, &How::default(), inner, b"")
                .expect("answer");
        }
        d.chain.advance(1, WINDOW + 1);
        for counter in &spam_ids {
            if d.status(counter.id()).expect("view") == Status::Undecided {
                d.decide_by_contradiction(
                    claimant,
                    counter.id(),
                    match counter {
                        Claim::Not(inner) => inner.id(),
                        _ => B256::ZERO,
                    },
                )
                .expect("spam is false");
            }
            d.release(claimant, c.id(), counter.id()).expect("release");
        }
        d.decide_by_timeout(claimant, c.id())
            .expect("decides")
            .gas_used
    };
    let (one, many) = (gas_with(1), gas_with(40));
    assert_eq!(
        one, many,
        "deciding costs {one} gas after 1 challenge and {many} after 40"
    );
}
