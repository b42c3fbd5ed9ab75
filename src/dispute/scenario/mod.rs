//! Scenario files: parties, their local information and strategies, a
//! timeline of actions, run block by block against the real contracts on the
//! embedded EVM (`ogs simulate`).
//!
//! ```toml
//! name = "stale channel exit defeated by a later signed update"
//! source = "../../examples/channel/exit.ogs"   # claim file, relative to this file
//! window = 3600                                # dispute window, seconds
//! block_time = 12                              # seconds per block
//! blocks = 400                                 # how long to run
//! bond = "10000000000000000"                   # wei per claim (optional)
//! gas_price = "1 gwei"                         # every transaction pays it (optional, default 0)
//!
//! [[party]]
//! name = "alice"
//! info = "../../examples/channel/alice.json"   # local information (optional)
//! strategy = "honest"                          # honest | lazy | offline | adversary
//! delay = 250                                  # lazy: blocks before it first answers
//!
//! [[action]]
//! block = 0
//! party = "alice"
//! claim = "alice_exit()"                       # or: negation = "…", show = "…" (a witness from its info),
//!                                              #     witness = ["claim", "0x…"], spam = { target = "…", count = 20 },
//!                                              #     challenge = { target = "…", counter = "…", how = "conjunct", index = 0 }
//! ```
//!
//! Strategies: **honest** answers every claim on chain it can decide, in the
//! block it appears (counter-claims and witnesses from the evaluator), and
//! settles whatever can be decided; **lazy** does the same but only from
//! block `delay` on; **offline** does only its timeline actions; **adversary**
//! posts every challenge it can form against every claim it did not make
//! (with no witnesses of its own) — the "every valid-looking move" attacker.
//! With `decide_at_once = true` (top level), honest and lazy parties also
//! decide a `not (forall …)` claim they believe at once, without waiting for
//! its window, when they can show the witness of a counter-instance (they
//! claim the instance's `witness …` claim, show its witness, and call
//! `decideNotByChallenge`): a spent coin's exit falls in the block it is
//! challenged. With a `gas_price`, honest and lazy parties spend fees only
//! where they gain ([`Arena::respond_with_stake`], [`Arena::settle_stake`],
//! SEMANTICS.md §4.7) and pay out their own bonds; the balances then include
//! every fee, with a `keeper` row (it pays out the rest) and a `fees` row (what
//! the block beneficiary received).
//!
//! ## Plasma
//!
//! A `[plasma]` section deploys a `PlasmaChain` (`predicates/plasma.ogs`,
//! `contracts/README.md`) next to the dispute system, run by a named party,
//! and enables four more actions. Every party has a deterministic key
//! ([`party_key`]), so transfers are signed for real; the runner builds each
//! party's plasma knowledge itself (no local-information file is needed): it
//! knows every committed block with its signatures (the operator publishes
//! them) except the ones listed in its `missing_signatures`, the withheld
//! transfers it signed or received, and every signature it made (its own
//! address is `own`).
//!
//! ```toml
//! source = "../../predicates/plasma.ogs"       # PlasmaChain pays on this file's plasma_exit
//! decide_at_once = true
//!
//! [plasma]
//! operator = "operator"                        # a party: the only one whose `commit` succeeds
//!
//! [[party]]
//! name = "carol"
//! missing_signatures = [{ coin = 1, block = 2, to = "bob" }]  # never saw alice's signature on it
//!
//! [[action]]
//! block = 0
//! party = "alice"
//! deposit = { amount = "2 ether" }             # a deposit block: coin id = its block number (1)
//!
//! [[action]]
//! block = 1
//! party = "operator"
//! commit = [                                   # block 2, with these transfers in tree order
//!   { coin = 1, from = "alice", to = "bob" },                    # signed by alice's key
//!   { coin = 1, from = "alice", to = "mallory", signed = false }, # forged: nobody signed it
//!   { coin = 1, from = "alice", to = "carol", withheld = true },  # signed, but left out of the block
//! ]
//!
//! [[action]]
//! block = 2
//! party = "bob"
//! exit = { coin = 1, block = 2, to = "bob" }   # PlasmaChain.startExit(t) (by t.owner), then claim
//!                                              # plasma_exit(t, commitment after block 2, commitment now);
//!                                              # `to` only if the block has several transfers of the coin
//! [[action]]
//! block = 305
//! party = "bob"
//! finalize = { coin = 1, block = 2, to = "bob" }  # PlasmaChain.finalizeExit(t): pays t.owner if True
//! ```
//!
//! ## Channel payout
//!
//! A `[channel]` section deploys a `ChannelPayout` and opens a channel of the
//! named participants; its updates are signed off chain by the parties' keys,
//! and every participant knows every update and signature (`complete`).
//!
//! ```toml
//! source = "../../predicates/channel.ogs"      # ChannelPayout pays on signed_channel_exit
//!
//! [channel]
//! participants = ["alice", "bob"]
//!
//! [[action]]
//! block = 0
//! party = "alice"
//! fund = { amount = "3 ether" }                # ChannelPayout.deposit
//!
//! [[action]]
//! block = 1
//! party = "alice"
//! update = { nonce = 5, balances = ["3 ether", "2 ether"] }   # signed_by = [...] (default: all)
//!
//! [[action]]
//! block = 2
//! party = "bob"
//! channel_exit = { nonce = 5 }                 # claim signed_channel_exit(update 5)
//!
//! [[action]]
//! block = 305
//! party = "bob"
//! settle = { nonce = 5 }                       # ChannelPayout.settle: credits the balances if True
//! ```
//!
//! Amounts are wei, or `"<n> ether"` / `"<n> gwei"` (decimals allowed). The
//! payout contracts' balance changes are listed with the parties' in the
//! outcome, and credit left in `ChannelPayout` is withdrawn at the end. In
//! these scenarios the transcript names transfers `⟨coin 1, block 2: alice →
//! bob⟩`, chain commitments `chain@2` (after block 2), channel updates `update
//! 5 [3 ether, 2 ether]`, parties by name, and claims that are a definition of
//! the claim file applied to such values by that call (`not unspent(⟨…⟩)`).
//!
//! ## Rollup
//!
//! A `[rollup]` section deploys a `RollupBridge` (`predicates/rollup.ogs`) holding a
//! generated genesis state; the L2 users submit a generated batch to its inbox and the
//! operator seals it at the start. Parties with `rollup = …` run the rollup program (the
//! MIPS guest) on the inputs of every proposed output: `"honest"`, `"liar"` (believing the
//! run wrongly at its exit) or `{ liar_from = N }` (wrongly from step `N` on); their
//! evaluator decides the bisection from those runs, and the one MIPS step at the bottom is
//! checked on chain.
//!
//! ```toml
//! source = "../../predicates/rollup.ogs"
//!
//! [rollup]
//! operator = "operator"                        # a party: deploys the bridge, seals the batch
//! seed = 1                                     # genesis and batch generator (default 1)
//! accounts = 32                                # genesis accounts (default 32)
//! transfers = 40                               # L2 transfers in the batch (default 40)
//!
//! [[party]]
//! name = "mallory"
//! rollup = "liar"
//!
//! [[action]]
//! block = 1
//! party = "mallory"
//! propose = "theft"                            # or "right": claim that output from its run
//!
//! [[action]]
//! block = 300
//! party = "carol"
//! finalize_output = "right"                    # RollupBridge.finalize (only a True claim)
//!
//! [[action]]
//! block = 301
//! party = "carol"
//! withdrawals = "all"                          # every L2 withdrawal proven and paid on L1
//! ```

mod channel;
mod output;
mod plasma;
mod rollup;
mod spec;
mod util;
mod world;

pub use super::strategy::{all_challenges, Strategy};
pub use output::{ClaimOut, Decision, Outcome};
pub use spec::{
    Action, ChallengeSpec, ChannelSpec, DepositSpec, NonceRef, PartySpec, PlasmaSpec, RollupSpec,
    RunSpec, ScenarioSpec, SpamSpec, Step, TransferRef, TransferSpec, UpdateSpec,
};
pub use util::{party_address, party_key};

use super::strategy::TurnOptions;
use super::{Arena, Party};
use crate::chain::dispute::{DisputeError, How, Status};
use crate::lang::check_files;
use crate::logic::{Evaluator, LocalInfo, Verdict};
use alloy_primitives::{Address, U256};
use std::path::{Path, PathBuf};
use thiserror::Error;
use util::{actors_index, compile, hex_bytes, known_party, short_id, wei, Names};
use world::{World, WorldCx};

/// Why a scenario could not run.
#[derive(Debug, Error)]
pub enum ScenarioError {
    /// Unreadable file.
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// Not the documented TOML shape.
    #[error("{0}: {1}")]
    Toml(PathBuf, String),
    /// The claim file or a claim text does not check.
    #[error("{0}")]
    Claims(String),
    /// Bad local information.
    #[error("{0}: {1}")]
    Info(PathBuf, String),
    /// Inconsistent scenario (unknown party, …).
    #[error("scenario: {0}")]
    Invalid(String),
    /// Deployment failed.
    #[error(transparent)]
    Dispute(#[from] DisputeError),
}

/// Loads a scenario file.
pub fn load(path: &Path) -> Result<(ScenarioSpec, PathBuf), ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Io(path.into(), e))?;
    let spec: ScenarioSpec =
        toml::from_str(&text).map_err(|e| ScenarioError::Toml(path.into(), e.to_string()))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((spec, dir))
}

struct Actor {
    party: Party,
    strategy: Strategy,
    delay: u64,
    /// Its balance before the run, in wei.
    start_balance: U256,
}

/// Runs a scenario file.
pub fn run_file(path: &Path) -> Result<Outcome, ScenarioError> {
    let (spec, dir) = load(path)?;
    run(&spec, &dir)
}

/// Runs a scenario; paths in it are relative to `dir`.
pub fn run(spec: &ScenarioSpec, dir: &Path) -> Result<Outcome, ScenarioError> {
    let program = check_files(&[dir.join(&spec.source)], &crate::systems::standard())
        .map_err(|e| ScenarioError::Claims(e.render(false)))?;
    let bond = wei(&spec.bond, U256::from(10_000_000_000_000_000u64))?;
    let mut arena = Arena::new(&program, bond, spec.window)?;
    let gas_price = wei(&spec.gas_price, U256::ZERO)?;
    let gas_price = u128::try_from(gas_price)
        .map_err(|_| ScenarioError::Invalid(format!("gas price {gas_price} is too large")))?;
    arena.dispute_mut().chain.set_gas_price(gas_price);
    check_sections(spec)?;
    let (mut actors, bases) = load_parties(spec, dir, &mut arena)?;
    let mut names = Names(
        spec.parties
            .iter()
            .map(|p| (party_address(&p.name), p.name.clone()))
            .collect(),
    );
    let mut worlds = deploy_worlds(spec, &mut arena, &names)?;
    for w in &worlds {
        let (address, name) = w.contract();
        names.0.push((address, name.into()));
    }
    if !worlds.is_empty() {
        refresh(&mut actors, &bases, &worlds, &spec.parties)?;
    }
    for block in 0..=spec.blocks {
        if block > 0 {
            arena.wait_block(spec.block_time);
        }
        for step in spec.actions.iter().filter(|a| a.block == block) {
            let i = actors_index(&spec.parties, &step.party)
                .ok_or_else(|| ScenarioError::Invalid(format!("unknown party `{}`", step.party)))?;
            let party = &actors[i].party;
            if let Some(w) = worlds.iter_mut().find(|w| w.handles(&step.action)) {
                let mut cx = WorldCx {
                    arena: &mut arena,
                    parties: &spec.parties,
                    names: &names,
                    block,
                };
                if w.act(&step.action, &mut cx, party)? {
                    refresh(&mut actors, &bases, &worlds, &spec.parties)?;
                }
            } else {
                dispute_action(&step.action, &mut arena, party)?;
            }
        }
        // Strategies, in party order.
        for actor in &actors {
            let opts = TurnOptions {
                delay: actor.delay,
                decide_at_once: spec.decide_at_once,
                stake: gas_price > 0,
            };
            actor.strategy.turn(block, &mut arena, &actor.party, opts);
        }
    }
    for w in &worlds {
        w.check(&spec.parties)?;
    }
    pay_out(&mut arena, &actors, &worlds, &names)?;
    let start_balances: Vec<(String, Address, U256)> = actors
        .iter()
        .map(|a| (a.party.name.clone(), a.party.address, a.start_balance))
        .collect();
    output::outcome(
        &spec.name,
        &mut arena,
        &program,
        &worlds,
        &names,
        &start_balances,
    )
}

/// Every action that belongs to a section has its section.
fn check_sections(spec: &ScenarioSpec) -> Result<(), ScenarioError> {
    let sections: Vec<&str> = [
        spec.plasma.as_ref().map(|_| "plasma"),
        spec.channel.as_ref().map(|_| "channel"),
        spec.rollup.as_ref().map(|_| "rollup"),
    ]
    .into_iter()
    .flatten()
    .collect();
    for a in &spec.actions {
        if let Some(section) = a.action.section() {
            if !sections.contains(&section) {
                return Err(ScenarioError::Invalid(format!(
                    "block {}: `{}` needs a [{section}] section",
                    a.block,
                    a.action.key()
                )));
            }
        }
    }
    Ok(())
}

/// The parties, funded on chain, with the local information of their files (also returned
/// alone: the base each refresh starts from).
fn load_parties(
    spec: &ScenarioSpec,
    dir: &Path,
    arena: &mut Arena<'_>,
) -> Result<(Vec<Actor>, Vec<LocalInfo>), ScenarioError> {
    let mut actors = Vec::new();
    let mut bases = Vec::new();
    for ps in &spec.parties {
        if actors_index(&spec.parties, &ps.name) != Some(actors.len()) {
            return Err(ScenarioError::Invalid(format!(
                "party `{}` is listed twice",
                ps.name
            )));
        }
        let info = match &ps.info {
            Some(f) => {
                let path = dir.join(f);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ScenarioError::Io(path.clone(), e))?;
                LocalInfo::from_json(&text, arena.program().registry.info_sections())
                    .map_err(|e| ScenarioError::Info(path.clone(), e.to_string()))?
            }
            None => LocalInfo::new(),
        };
        for r in &ps.missing_signatures {
            if let Some(to) = &r.to {
                known_party(&spec.parties, to)?;
            }
        }
        let address = party_address(&ps.name);
        let balance = wei(&ps.balance, U256::from(10u128.pow(21)))?;
        arena.dispute_mut().chain.set_balance(address, balance);
        bases.push(info.clone());
        actors.push(Actor {
            party: Party {
                name: ps.name.clone(),
                address,
                info,
            },
            strategy: ps.strategy,
            delay: ps.delay,
            start_balance: balance,
        });
    }
    Ok((actors, bases))
}

/// The worlds of the scenario's sections, deployed next to the dispute system.
fn deploy_worlds(
    spec: &ScenarioSpec,
    arena: &mut Arena<'_>,
    names: &Names,
) -> Result<Vec<Box<dyn World>>, ScenarioError> {
    let mut worlds: Vec<Box<dyn World>> = Vec::new();
    if let Some(ps) = &spec.plasma {
        let operator = known_party(&spec.parties, &ps.operator).map_err(|_| {
            ScenarioError::Invalid(format!(
                "the plasma operator `{}` is not a party",
                ps.operator
            ))
        })?;
        worlds.push(Box::new(plasma::Plasma::deploy(arena, operator)?));
    }
    if let Some(cs) = &spec.channel {
        let ch = channel::Channel::deploy(arena, cs, &spec.parties, names)?;
        worlds.push(Box::new(ch));
    }
    if let Some(rs) = &spec.rollup {
        worlds.push(Box::new(rollup::Rollup::deploy(arena, rs, &spec.parties)?));
    }
    Ok(worlds)
}

/// What the keeper holds before it pays out the bonds (it pays fees when there is a gas price).
pub(crate) const KEEPER_FUNDS: u128 = 1_000_000_000_000_000_000_000;

/// After the run anyone may trigger the payouts (credit goes to whoever is owed): a keeper
/// does, every party withdraws what it was credited, and collects what the worlds owe it.
fn pay_out(
    arena: &mut Arena<'_>,
    actors: &[Actor],
    worlds: &[Box<dyn World>],
    names: &Names,
) -> Result<(), ScenarioError> {
    // With fees, the honest and lazy parties collect their own bonds first (paying the fees).
    if arena.dispute_mut().chain.gas_price() > 0 {
        for a in actors {
            if matches!(a.strategy, Strategy::Honest | Strategy::Lazy) {
                arena.collect(&a.party);
            }
        }
    }
    let keeper = party_address("keeper");
    arena
        .dispute_mut()
        .chain
        .set_balance(keeper, U256::from(KEEPER_FUNDS));
    for id in arena.claims().keys().copied().collect::<Vec<_>>() {
        let r = arena.dispute_mut().payout(keeper, id);
        if r.is_ok() {
            arena.note_call("keeper", format!("payout bond of {}", short_id(&id)), &r);
        }
    }
    for a in actors {
        let r = arena.dispute_mut().withdraw(a.party.address);
        if r.is_ok() {
            arena.note_call(&a.party.name, "withdraw".into(), &r);
        }
    }
    let parties: Vec<Party> = actors
        .iter()
        .map(|a| Party {
            name: a.party.name.clone(),
            address: a.party.address,
            info: LocalInfo::new(),
        })
        .collect();
    for w in worlds {
        w.collect(arena, &parties, names)?;
    }
    Ok(())
}

/// A timeline action on the dispute contract itself (not a world's).
fn dispute_action(
    action: &Action,
    arena: &mut Arena<'_>,
    party: &Party,
) -> Result<(), ScenarioError> {
    let program = arena.program();
    match action {
        Action::Claim(text) => {
            let c = compile(program, text)?;
            let _ = arena.claim(party, &c);
        }
        Action::Negation(text) => {
            let c = compile(program, text)?.negate();
            let _ = arena.claim(party, &c);
        }
        Action::Challenge(ch) => {
            let target = compile(program, &ch.target)?;
            let counter = compile(program, &ch.counter)?;
            let how = How {
                how: match ch.how.as_deref() {
                    None | Some("operand") => 0,
                    Some("conjunct") => 1,
                    Some("instance") => 2,
                    Some("negation") => 3,
                    Some(o) => {
                        return Err(ScenarioError::Invalid(format!(
                            "unknown challenge kind `{o}`"
                        )))
                    }
                },
                index: ch.index,
                instance: hex_bytes(&ch.instance)?,
                ..How::default()
            };
            let _ = arena.challenge(party, &target, &how, &counter, &hex_bytes(&ch.witness)?);
        }
        Action::Spam(s) => {
            let target = compile(program, &s.target)?;
            for k in 0..s.count {
                // Each spam challenge names a counter-claim that contradicts nothing.
                let junk = compile(program, &format!("eq({k}, {})", k + 1))?;
                let how = How {
                    how: (k % 3) as u8,
                    index: k,
                    ..How::default()
                };
                let _ = arena.challenge(party, &target, &how, &junk, b"");
            }
        }
        Action::Show(text) => {
            let c = compile(program, text)?;
            let verdict = Evaluator::new(&program.registry, program, &party.info)
                .decide(&c)
                .map_err(|e| ScenarioError::Invalid(format!("{text}: {e}")))?;
            let Verdict::True(ev) = verdict else {
                return Err(ScenarioError::Invalid(format!(
                    "{} holds no witness for {text}",
                    party.name
                )));
            };
            let w = ev.witness_for(&c).map(<[u8]>::to_vec).unwrap_or_default();
            // A witness is shown for a claim on chain: claim it first if nobody has.
            if arena.status(&c) == Status::None && arena.claim(party, &c).is_err() {
                return Ok(());
            }
            let _ = arena.show_witness(party, &c, &w);
        }
        Action::Witness((text, w)) => {
            let c = compile(program, text)?;
            let _ = arena.show_witness(party, &c, &hex_bytes(&Some(w.clone()))?);
        }
        other => {
            return Err(ScenarioError::Invalid(format!(
                "`{}` needs a [{}] section",
                other.key(),
                other.section().unwrap_or("?")
            )))
        }
    }
    Ok(())
}

/// Rebuilds every party's local information after a world changed: its file's, plus its own
/// address as `own` and its view of every world.
fn refresh(
    actors: &mut [Actor],
    bases: &[LocalInfo],
    worlds: &[Box<dyn World>],
    parties: &[PartySpec],
) -> Result<(), ScenarioError> {
    for ((actor, base), spec) in actors.iter_mut().zip(bases).zip(parties) {
        let mut info = base.clone();
        info.add_own(actor.party.address);
        for w in worlds {
            w.inform(&mut info, actor.party.address, spec, parties)?;
        }
        actor.party.info = info;
    }
    Ok(())
}
