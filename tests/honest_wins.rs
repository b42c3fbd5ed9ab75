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

/// The adversary plays one move.
fn play(a: &mut Arena, p: &Program, claims: &[Claim], adversary: &Party, m: &Move) {
    match m {
        Move::Claim(i) => {
            let _ = a.claim(adversary, &claims[*i]);
        }
        Move::Challenge { t, k, bogus } => {
            let target = claims[t % claims.len()].clone();
            if *bogus {
                let counter = claims[(t + k) % claims.len()].clone();
                let how = How {
                    how: (*k % 3) as u8,
                    index: *k as u64,
                    ..How::default()
                };
                let _ = a.challenge(adversary, &target, &how, &counter, b"");
            } else if let Some((how, counter)) = all_challenges(p, &adversary.info, &target)
                .into_iter()
                .nth(*k)
            {
                let w = match Evaluator::new(&p.registry, p, &adversary.info).decide(&counter) {
                    Ok(Verdict::True(e)) => e
                        .witnesses
                        .iter()
                        .find(|w| w.claim == counter)
                        .map(|w| w.witness.clone())
                        .unwrap_or_default(),
                    _ => vec![],
                };
                let _ = a.challenge(adversary, &target, &how, &counter, &w);
            }
        }
        Move::Witness { c, forged } => {
            let c = claims[*c].clone();
            let w = match (
                forged,
                Evaluator::new(&p.registry, p, &adversary.info).decide(&c),
            ) {
                (false, Ok(Verdict::True(e))) => e
                    .witnesses
                    .iter()
                    .find(|w| w.claim == c)
                    .map(|w| w.witness.clone())
                    .unwrap_or_default(),
                _ => b"forged".to_vec(),
            };
            let _ = a.show_witness(adversary, &c, &w);
        }
        Move::Wait(s) => a.wait(*s),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn honest_party_never_loses_and_decisions_match_its_evaluator(script in prop::collection::vec(moves(), 1..25), paths in any::<bool>()) {
        let p = program();
        let claims = universe(&p);
        let mut a = Arena::new(&p, U256::from(BOND), WINDOW).expect("deploys");
        // Half the games the honest party makes path moves (through the adversary's forced
        // replies, `challengePath`): they must win the same way.
        a.set_paths(paths);
        // Bob knows everything (update #6, signed by both); the adversary knows it too,
        // so it can play true claims with real witnesses as well as false ones.
        let honest = Party { name: "bob".into(), address: Address::repeat_byte(0xb0), info: info("bob_later.json") };
        let adversary = Party { name: "mallory".into(), address: Address::repeat_byte(0x66), info: info("bob_later.json") };
        let start = U256::from(10u64.pow(15));
        for who in [&honest, &adversary] {
            a.dispute_mut().chain.set_balance(who.address, start);
        }
        for m in &script {
            play(&mut a, &p, &claims, &adversary, m);
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

/// Undecided claims made by `name` (each holds one bond).
fn locked(a: &mut Arena, name: &str) -> u64 {
    let mine: Vec<Claim> = a
        .claims()
        .iter()
        .filter(|(id, _)| a.claimed_by().get(*id).map(String::as_str) == Some(name))
        .map(|(_, c)| c.clone())
        .collect();
    mine.iter()
        .filter(|c| a.status(c) == Status::Undecided)
        .count() as u64
}

/// The worst ratio of bonds the honest party had locked to bonds the adversary had locked,
/// over every moment of every fee-paying run (printed by the test below).
static WORST_RATIO: std::sync::Mutex<(u64, u64)> = std::sync::Mutex::new((0, 1));

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// Fees counted (SEMANTICS.md §4.7): at a gas price of 1 gwei and the per-move bond of the
    /// gas report (`response gas × price`), an honest party that answers with stake
    /// ([`Arena::respond_with_stake`], [`Arena::settle_stake`], [`Arena::collect`]) ends with at
    /// least what it started with, every transaction fee included, against a random adversary;
    /// and at no moment does it hold more bonds locked than the adversary (no proof of whale:
    /// every bond it posts answers one the adversary posted).
    #[test]
    fn honest_party_pays_no_fees_it_does_not_win_back(script in prop::collection::vec(moves(), 1..25)) {
        let p = program();
        let claims = universe(&p);
        let lines = ogs::dispute::gas::channel_report().expect("report");
        let price: u128 = 1_000_000_000;
        let bond = ogs::dispute::gas::economics(&lines).expect("economics").bond_at(price);
        let mut a = Arena::new(&p, bond, WINDOW).expect("deploys");
        a.dispute_mut().chain.set_gas_price(price);
        let honest = Party { name: "bob".into(), address: Address::repeat_byte(0xb0), info: info("bob_later.json") };
        let adversary = Party { name: "mallory".into(), address: Address::repeat_byte(0x66), info: info("bob_later.json") };
        let start = U256::from(10u128.pow(19));
        for who in [&honest, &adversary] {
            a.dispute_mut().chain.set_balance(who.address, start);
        }
        let mut worst = (0u64, 1u64);
        let observe = |a: &mut Arena, worst: &mut (u64, u64)| {
            let (h, m) = (locked(a, "bob"), locked(a, "mallory"));
            if h > 0 && (m == 0 || h * worst.1 > worst.0 * m) {
                *worst = (h, m);
            }
        };
        for m in &script {
            play(&mut a, &p, &claims, &adversary, m);
            observe(&mut a, &mut worst);
            for _ in 0..8 {
                let moved = a.respond_with_stake(&honest);
                observe(&mut a, &mut worst);
                if !moved { break; }
            }
            a.settle_stake(&honest);
            observe(&mut a, &mut worst);
        }
        for _ in 0..4 {
            a.wait(WINDOW + 12);
            for _ in 0..8 {
                if !a.respond_with_stake(&honest) { break; }
            }
            a.settle_stake(&honest);
        }
        a.collect(&honest);
        let end = a.dispute_mut().chain.balance(honest.address);
        prop_assert!(end >= start, "honest balance went from {start} to {end} (fees included)\n{}", a.log().iter().map(|e| format!("{} {} {} {}", e.actor, e.gas, e.call, e.outcome)).collect::<Vec<_>>().join("\n"));
        prop_assert!(worst.0 <= worst.1, "the honest party had {} bonds locked against {}", worst.0, worst.1);
        let mut w = WORST_RATIO.lock().expect("lock");
        if worst.0 * w.1 > w.0 * worst.1.max(1) {
            *w = worst;
        }
        eprintln!("worst honest : adversary locked bonds so far: {} : {}", w.0, w.1);
    }
}
