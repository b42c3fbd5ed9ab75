//! Honest wins (SEMANTICS.md §4.2), tested: an adversary makes random sequences of
//! any calls with any arguments at any time — claims true and false, their
//! negations, valid and invalid challenges, real and forged witnesses, spam,
//! time jumps — against one honest party that answers every claim in time
//! with the evaluator. The honest party never loses funds or a bond, and every
//! decision the contract reaches matches the honest evaluator's verdict.

use alloy_primitives::{Address, U256};
use ogs::chain::{How, Status};
use ogs::dispute::scenario::all_challenges;
use ogs::dispute::{Arena, Party};
use ogs::lang::{check_files, Program};
use ogs::logic::eval::{Evaluator, Verdict};
use ogs::logic::{Claim, LocalInfo};
use proptest::prelude::*;
use std::path::PathBuf;

const WINDOW: u64 = 600;
const BOND: u64 = 1_000_000;

/// Local information from `examples/channel/<file>` (shared with `dispute_clock`).
pub(crate) fn info(file: &str) -> LocalInfo {
    LocalInfo::from_json(
        &std::fs::read_to_string(format!("examples/channel/{file}")).expect("example"),
        ogs::systems::standard().info_sections(),
    )
    .expect("valid")
}

/// The channel example's program (shared with `dispute_clock`).
pub(crate) fn program() -> Program {
    check_files(
        &[PathBuf::from("examples/channel/exit.ogs")],
        &ogs::systems::standard(),
    )
    .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

/// The claims the adversary plays with: the channel exits, the signed update, their negations.
fn universe(p: &Program) -> Vec<Claim> {
    let mut v = Vec::new();
    for t in ["alice_exit()", "bob_exit()", "agreed_6()"] {
        let c = p.compile_claim(t).expect("compiles");
        v.push(c.clone().negate());
        v.push(c);
    }
    v
}

#[derive(Clone, Debug)]
enum Move {
    Claim(usize),
    /// Challenge target `t` with the `k`-th challenge the adversary can form against it,
    /// or, if `bogus`, with an arbitrary claim of the universe.
    Challenge {
        t: usize,
        k: usize,
        bogus: bool,
    },
    /// Show a witness (the real one when the adversary has it, or garbage).
    Witness {
        c: usize,
        forged: bool,
    },
    Wait(u64),
}

fn moves() -> impl Strategy<Value = Move> {
    prop_oneof![
        3 => (0..6usize).prop_map(Move::Claim),
        4 => (0..12usize, 0..4usize, any::<bool>()).prop_map(|(t, k, bogus)| Move::Challenge { t, k, bogus }),
        2 => (0..6usize, any::<bool>()).prop_map(|(c, forged)| Move::Witness { c, forged }),
        2 => prop_oneof![Just(12u64), Just(WINDOW / 2), Just(WINDOW - 12), Just(WINDOW + 12)].prop_map(Move::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn honest_party_never_loses_and_decisions_match_its_evaluator(script in prop::collection::vec(moves(), 1..25)) {
        let p = program();
        let claims = universe(&p);
        let mut a = Arena::new(&p, U256::from(BOND), WINDOW).expect("deploys");
        // Bob knows everything (update #6, signed by both); the adversary knows it too,
        // so it can play true claims with real witnesses as well as false ones.
        let honest = Party { name: "bob".into(), address: Address::repeat_byte(0xb0), info: info("bob_later.json") };
        let adversary = Party { name: "mallory".into(), address: Address::repeat_byte(0x66), info: info("bob_later.json") };
        let start = U256::from(10u64.pow(15));
        for who in [&honest, &adversary] {
            a.dispute_mut().chain.set_balance(who.address, start);
        }
        for m in &script {
            match m {
                Move::Claim(i) => { let _ = a.claim(&adversary, &claims[*i]); }
                Move::Challenge { t, k, bogus } => {
                    let target = claims[t % claims.len()].clone();
                    if *bogus {
                        let counter = claims[(t + k) % claims.len()].clone();
                        let how = How { how: (*k % 3) as u8, index: *k as u64, ..How::default() };
                        let _ = a.challenge(&adversary, &target, &how, &counter, b"");
                    } else if let Some((how, counter)) = all_challenges(&p, &adversary.info, &target).into_iter().nth(*k) {
                        let w = match Evaluator::new(&p.registry, &p, &adversary.info).decide(&counter) {
                            Ok(Verdict::True(e)) => e.witnesses.iter().find(|w| w.claim == counter).map(|w| w.witness.clone()).unwrap_or_default(),
                            _ => vec![],
                        };
                        let _ = a.challenge(&adversary, &target, &how, &counter, &w);
                    }
                }
                Move::Witness { c, forged } => {
                    let c = claims[*c].clone();
                    let w = match (forged, Evaluator::new(&p.registry, &p, &adversary.info).decide(&c)) {
                        (false, Ok(Verdict::True(e))) => e.witnesses.iter().find(|w| w.claim == c).map(|w| w.witness.clone()).unwrap_or_default(),
                        _ => b"forged".to_vec(),
                    };
                    let _ = a.show_witness(&adversary, &c, &w);
                }
                Move::Wait(s) => a.wait(*s),
            }
            // The honest party answers every move in time.
            for _ in 0..8 {
                if !a.respond(&honest) { break; }
            }
            a.settle(&honest);
        }
        // The end: windows pass, everything decidable is decided, bonds collected.
        for _ in 0..4 {
            a.wait(WINDOW + 12);
            for _ in 0..8 {
                if !a.respond(&honest) { break; }
            }
            a.settle(&honest);
        }
        for (id, _) in a.claims().clone() {
            let _ = a.dispute_mut().payout(honest.address, id);
        }
        let _ = a.dispute_mut().withdraw(honest.address);
        // Decisions match the honest evaluator.
        for (_, c) in a.claims().clone() {
            let on_chain = a.status(&c);
            let verdict = Evaluator::new(&p.registry, &p, &honest.info).decide(&c).expect("evaluates");
            match (verdict, on_chain) {
                (Verdict::True(_), Status::False) | (Verdict::False { .. }, Status::True) => {
                    prop_assert!(false, "{} decided {:?} against the honest evaluator\n{}", p.show(&c), on_chain, a.render(&c));
                }
                _ => {}
            }
        }
        // The honest party never loses funds or a bond.
        let end = a.dispute_mut().chain.balance(honest.address);
        prop_assert!(end >= start, "honest balance went from {start} to {end}");
    }
}
