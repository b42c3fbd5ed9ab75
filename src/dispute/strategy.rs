//! How parties play: the [`Strategy`] every dispute game shares (scenario files, rollup output
//! games, tests), the enumeration of every challenge a party can form, and the fast decision of
//! a `not (forall …)` claim by a True counter-instance.

use super::{how_of, Arena, Party};
use crate::chain::dispute::{revert_reason, How, Status, UniversalDispute};
use crate::lang::Program;
use crate::logic::claim::unfold;
use crate::logic::eval::{ChallengeKind, Evaluator, Verdict};
use crate::logic::{Claim, LocalInfo};
use alloy_primitives::{B256, U256};
use alloy_sol_types::SolCall;
use serde::{Deserialize, Serialize};

/// How a party behaves.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Answers everything in time with the evaluator.
    #[default]
    Honest,
    /// Answers like an honest party, but only from block `delay` on.
    Lazy,
    /// Only its timeline actions.
    Offline,
    /// Every challenge it can form against claims it did not make.
    Adversary,
}

/// Options of a turn.
#[derive(Clone, Copy, Debug, Default)]
pub struct TurnOptions {
    /// Lazy parties answer from this block on.
    pub delay: u64,
    /// Honest and lazy parties decide `not (forall …)` claims at once ([`decide_at_once`]).
    pub decide_at_once: bool,
    /// Honest and lazy parties spend fees only where they gain ([`Arena::respond_with_stake`],
    /// [`Arena::settle_stake`]): set when transactions pay a gas price.
    pub stake: bool,
}

impl Strategy {
    /// `party`'s turn in `block`: what its strategy does with the claims on chain. Returns
    /// whether it made a move.
    pub fn turn(self, block: u64, arena: &mut Arena<'_>, party: &Party, opts: TurnOptions) -> bool {
        match self {
            Strategy::Offline => false,
            Strategy::Lazy if block < opts.delay => false,
            Strategy::Honest | Strategy::Lazy if opts.stake => {
                let mut moved = arena.respond_with_stake(party);
                if opts.decide_at_once {
                    moved |= decide_at_once(arena, party);
                }
                arena.settle_stake(party);
                moved
            }
            Strategy::Honest | Strategy::Lazy => {
                let mut moved = arena.respond(party);
                if opts.decide_at_once {
                    moved |= decide_at_once(arena, party);
                }
                arena.settle(party);
                moved
            }
            Strategy::Adversary => adversary_turn(arena, party, &party.info),
        }
    }
}

/// The adversary's turn: every challenge it can form (from `knows`) against every undecided
/// claim it did not make, except counter-claims that need a witness it does not hold and
/// links already made. Returns whether a challenge was accepted.
pub(crate) fn adversary_turn(arena: &mut Arena<'_>, party: &Party, knows: &LocalInfo) -> bool {
    let program = arena.program();
    let mine: Vec<B256> = arena
        .claimed_by()
        .iter()
        .filter(|(_, n)| **n == party.name)
        .map(|(id, _)| *id)
        .collect();
    let mut moved = false;
    for (id, c) in arena.claims().clone() {
        if mine.contains(&id) || arena.status(&c) != Status::Undecided {
            continue;
        }
        for (how, counter) in all_challenges(program, knows, &c) {
            if arena.links().contains(&(id, counter.id()))
                || matches!(counter, Claim::Witness { .. })
                || !arena.first_try(party, id, counter.id())
            {
                continue;
            }
            moved |= arena.challenge(party, &c, &how, &counter, b"").is_ok();
        }
    }
    moved
}

/// Every challenge of `target` that can be formed from `info` (no witnesses).
pub fn all_challenges(p: &Program, info: &LocalInfo, target: &Claim) -> Vec<(How, Claim)> {
    let body = match target {
        Claim::Call { .. } => match unfold(target, p) {
            Ok(b) => b,
            Err(_) => return vec![],
        },
        t => t.clone(),
    };
    match &body {
        Claim::Not(x) => vec![(How::default(), (**x).clone())],
        Claim::And(ps) => ps
            .iter()
            .enumerate()
            .map(|(i, x)| {
                (
                    how_of(&ChallengeKind::AndChild { index: i }),
                    x.clone().negate(),
                )
            })
            .collect(),
        Claim::Forall {
            quantifier,
            args,
            body,
        } => {
            let Some(q) = p.registry.quantifier_by_id(quantifier) else {
                return vec![];
            };
            let Some(args) = args
                .iter()
                .map(|a| a.as_lit().map(<[u8]>::to_vec))
                .collect::<Option<Vec<_>>>()
            else {
                return vec![];
            };
            q.domain(&args, info)
                .instances
                .into_iter()
                .filter_map(|inst| {
                    let c = Claim::instantiate(body, &inst.value).ok()?.negate();
                    Some((
                        how_of(&ChallengeKind::Instance {
                            value: inst.value,
                            proof: inst.proof,
                        }),
                        c,
                    ))
                })
                .collect()
        }
        _ => vec![],
    }
}

/// Decides at once every undecided `not (forall …)` claim `party` believes,
/// when it can make a counter-instance True on the spot: it claims the
/// instance's `witness …` counter-claim, shows the witness, and calls
/// `decideNotByChallenge` (only if nobody claimed the `forall` itself).
pub(crate) fn decide_at_once(arena: &mut Arena<'_>, party: &Party) -> bool {
    let program = arena.program();
    let mut moved = false;
    for (id, c) in arena.claims().clone() {
        let Claim::Not(inner) = &c else { continue };
        if !matches!(**inner, Claim::Forall { .. })
            || arena.status(&c) != Status::Undecided
            || !matches!(arena.status(inner), Status::None | Status::False)
        {
            continue;
        }
        let Ok(Verdict::True(ev)) =
            Evaluator::new(&program.registry, program, &party.info).decide(&c)
        else {
            continue;
        };
        let found = ev.challenges.iter().find_map(|ch| {
            let ChallengeKind::Instance { value, proof } = &ch.kind else {
                return None;
            };
            if ch.target != **inner || !matches!(ch.counter, Claim::Witness { .. }) {
                return None;
            }
            let w = ev.witnesses.iter().find(|w| w.claim == ch.counter)?;
            Some((
                value.clone(),
                proof.clone(),
                ch.counter.clone(),
                w.witness.clone(),
            ))
        });
        let Some((instance, proof, counter, witness)) = found else {
            continue;
        };
        if arena.status(&counter) == Status::None && arena.claim(party, &counter).is_err() {
            continue;
        }
        if arena.status(&counter) == Status::Undecided
            && arena.show_witness(party, &counter, &witness).is_err()
        {
            continue;
        }
        if arena.status(&counter) != Status::True {
            continue;
        }
        let data = UniversalDispute::decideNotByChallengeCall {
            enc: c.encode().into(),
            how: UniversalDispute::ChallengeArgs {
                how: 2,
                index: U256::ZERO,
                instance: instance.into(),
                proof: proof.into(),
                groups: vec![],
            },
        }
        .abi_encode();
        let to = arena.dispute().address;
        let r = arena
            .dispute_mut()
            .send_to(party.address, to, data, revert_reason);
        let call = format!(
            "decide {} True by its True instance {}",
            &format!("{id:#x}")[..10],
            &format!("{:#x}", counter.id())[..10]
        );
        moved |= r.is_ok();
        arena.note_call(&party.name, call, &r);
    }
    moved
}

/// The claims an attacker goes after: every undecided claim other than a witness claim that
/// `honest` believes True — the claims a wrong move could steal. With their ids, by id.
pub fn believed_true_targets(arena: &mut Arena<'_>, honest: &LocalInfo) -> Vec<(B256, Claim)> {
    let program = arena.program();
    let mut out = Vec::new();
    for (id, c) in arena.claims().clone() {
        if arena.status(&c) != Status::Undecided || matches!(c, Claim::Witness { .. }) {
            continue;
        }
        if matches!(
            Evaluator::new(&program.registry, program, honest).decide(&c),
            Ok(Verdict::True(_))
        ) {
            out.push((id, c));
        }
    }
    out
}

/// The "every valid-looking move" attacker of the differential tests: every challenge that
/// can be formed (from `honest`'s knowledge, so it sees every instance) against every claim
/// of [`believed_true_targets`], witness counter-claims included but without their witness,
/// each link once. Returns the challenges the contract accepted, as `(target, counter)`.
pub fn attack_believed_true(
    arena: &mut Arena<'_>,
    adversary: &Party,
    honest: &LocalInfo,
) -> Vec<(B256, Claim)> {
    let program = arena.program();
    let mut accepted = Vec::new();
    for (id, c) in believed_true_targets(arena, honest) {
        for (how, counter) in all_challenges(program, honest, &c) {
            if arena.links().contains(&(id, counter.id())) {
                continue;
            }
            if arena.challenge(adversary, &c, &how, &counter, b"").is_ok() {
                accepted.push((id, counter));
            }
        }
    }
    accepted
}
