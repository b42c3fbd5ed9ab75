//! The chess clock (SEMANTICS.md §3, "Time"): a dispute rooted at a claim made at `t` is
//! decided by `t + 2W + D·E` (W the window, D the claims on its longest chain of challenges,
//! E = W/32), however either side times its moves; an honest party answering within E never
//! misses a deadline; the Rust mirror (`ogs::chain::Clock`) predicts every clock the
//! contract sets.

use super::honest_wins::{info, program};
use alloy_primitives::{Address, B256, U256};
use ogs::chain::clock::{extension, Clock};
use ogs::chain::Status;
use ogs::dispute::rollup::{play, Role, RollupGame};
use ogs::dispute::strategy::{Strategy as Play, TurnOptions};
use ogs::dispute::{Arena, Party};
use ogs::lang::Program;
use ogs::logic::eval::{Evaluator, Verdict};
use ogs::logic::{Claim, LocalInfo};
use proptest::prelude::*;
use std::collections::BTreeMap;

const WINDOW: u64 = 3_200;
const BOND: u64 = 1_000_000;

/// Root claims: the channel exits (true and stale) and nested quantifiers, so that chains
/// of challenges of several lengths are played.
fn roots(p: &Program) -> Vec<Claim> {
    [
        "alice_exit()",
        "bob_exit()",
        "forall i in below(3): forall j in below(3): lt(i, 3) and lt(j, 2)",
        "forall i in below(4): not (forall j in below(i): lt(j, 1))",
        "not (forall i in below(3): forall j in below(3): lt(i, 9))",
    ]
    .iter()
    .map(|t| p.compile_claim(t).expect("compiles"))
    .collect()
}

/// Every clock the contract holds now, by claim id (first seen wins: clocks never change
/// after a claim is made, except a re-used childless counter-claim's, which only tightens).
fn snapshot(a: &mut Arena<'_>, seen: &mut BTreeMap<B256, (Clock, u64)>) {
    for (id, _) in a.claims().clone() {
        if let Ok(Some(c)) = a.dispute_mut().clock_of(id) {
            seen.entry(id).or_insert(c);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// The adversary (a lying claimant, or a challenger of a true claim) answers at a random
    /// point of the time it is allowed, often the last second; the honest side answers
    /// within E. The root is decided within the bound, and every clock is the Rust mirror's.
    #[test]
    fn disputes_end_within_the_bound_whatever_the_timing(
        root in 0..5usize,
        honest_claims in any::<bool>(),
        delays in prop::collection::vec((0..=100u64, 0..=100u64), 12),
    ) {
        let p = program();
        let root = roots(&p)[root].clone();
        let mut a = Arena::new(&p, U256::from(BOND), WINDOW).expect("deploys");
        let honest = Party { name: "bob".into(), address: Address::repeat_byte(0xb0), info: info("bob_later.json") };
        // The adversary knows only Alice's view, so it believes the stale exit and fights.
        let adversary = Party { name: "mallory".into(), address: Address::repeat_byte(0x66), info: info("alice.json") };
        let keeper = Party { name: "keeper".into(), address: Address::repeat_byte(0x33), info: LocalInfo::new() };
        for who in [&honest, &adversary, &keeper] {
            a.dispute_mut().chain.set_balance(who.address, U256::from(10u64.pow(18)));
        }
        let believed = Evaluator::new(&p.registry, &p, &honest.info).decide(&root).expect("evaluates");
        let claimant = if honest_claims == matches!(believed, Verdict::True(_)) { &honest } else { &adversary };
        prop_assume!(a.claim(claimant, &root).is_ok());
        timed_dispute(&mut a, &root, &honest, &adversary, &keeper, WINDOW, &delays)?;
    }
}

/// Plays the dispute over `root` (already claimed, just now) with the adversary waiting a random
/// share of its time before each turn (`delays.0`, in percent; 100 = its last second) and the
/// honest side answering within E (`delays.1` percent of E); the keeper decides what it can.
/// Checks the root is decided within `2W + D·E` and that every clock the contract set is the Rust
/// mirror's. Shared with the plasma exits (`plasma::plasma_exits_end_within_the_clock_bound`).
pub(crate) fn timed_dispute(
    a: &mut Arena<'_>,
    root: &Claim,
    honest: &Party,
    adversary: &Party,
    keeper: &Party,
    window: u64,
    delays: &[(u64, u64)],
) -> Result<(), TestCaseError> {
    let made = a.dispute().chain.timestamp();
    let e = extension(window);
    let mut clocks = BTreeMap::new();
    for (adv, hon) in delays {
        // The adversary waits a random share of the time it has (100: its last second).
        if let Some(d) = a.next_deadline(Some(&adversary.name)) {
            let now = a.dispute().chain.timestamp();
            a.wait((d - now) * adv / 100);
        }
        Play::Adversary.turn(0, a, adversary, TurnOptions::default());
        if !a.claimed_by().contains_key(&root.id()) {
            break;
        }
        snapshot(a, &mut clocks);
        // The honest side answers within E.
        a.wait(e * hon / 100);
        a.respond(honest);
        a.settle(keeper);
        snapshot(a, &mut clocks);
    }
    let decided = a.run_out_clocks(keeper, root).expect("the root is decided");
    let depth = a.depth(root);
    prop_assert!(
        decided - made <= Clock::bound(0, window, depth),
        "decided after {} s > 2W + {depth}E = {}",
        decided - made,
        Clock::bound(0, window, depth)
    );
    prop_assert_ne!(a.status(root), Status::Undecided);
    // The contract's clocks are the Rust mirror's: every counter-claim made by a
    // challenge of a target has the target's clock advanced to when it was made.
    let root_clock = clocks[&root.id()].0;
    prop_assert_eq!(root_clock, Clock::root(made));
    for (id, (clock, deadline)) in &clocks {
        prop_assert_eq!(*deadline, clock.deadline(window), "deadline of {}", id);
        prop_assert!(*deadline - clock.made >= e, "an answer always gets E");
    }
    for (t, c) in a.links().clone() {
        if let (Some((tc, _)), Some((cc, _))) = (clocks.get(&t), clocks.get(&c)) {
            if cc.made > tc.made && cc.own != 0 {
                prop_assert_eq!(*cc, tc.child(cc.made));
            }
        }
    }
    Ok(())
}

/// The rollup output game with a 7-day window and a maximally slow liar (it answers at the
/// last second of every deadline; the honest side within a block): decided within the bound,
/// the honest side wins. The duration is what `examples/rollup_dispute.rs` prints.
#[test]
fn rollup_game_with_a_maximally_slow_liar_ends_within_the_bound() {
    let week = 7 * 24 * 3600;
    for (proposer, challenger) in [
        (Role::Liar { from: None }, Role::Honest),
        (Role::Honest, Role::Liar { from: None }),
    ] {
        let out = play(&RollupGame {
            transfers: 8,
            proposer,
            challenger,
            window: week,
            slow_liar: true,
            ..RollupGame::default()
        })
        .expect("plays");
        let bound = Clock::bound(0, week, out.depth);
        assert!(
            out.duration <= bound,
            "{proposer:?}: {} s > 2W + {}E = {bound} s",
            out.duration,
            out.depth
        );
        // A slow liar really stretches the game past one window (the bound is not vacuous).
        assert!(out.duration > week, "{proposer:?}: only {} s", out.duration);
        assert!(
            out.finalized_right_root,
            "{proposer:?}: the honest side wins"
        );
        let expected = if proposer == Role::Honest {
            Status::True
        } else {
            Status::False
        };
        assert_eq!(out.status, expected);
    }
}
