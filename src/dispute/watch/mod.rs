//! A watcher on a JSON-RPC chain (`ogs watch`): follows the dispute contract, rebuilds the
//! claims from the transactions that made them, decides each with the evaluator from its own
//! local information, and acts — challenges what it finds False, claims the negation of a
//! witness claim it knows has no witness, shows the witnesses of its own witness claims,
//! decides what pays it, and collects its bonds (the fee-aware policy of SEMANTICS.md §4.7).
//!
//! It keeps no state of its own: every step re-reads the chain (from `confirmations` blocks
//! below the last block it read, so a reorg is re-read) and asks the contract before each move
//! whether it is still needed (the link already exists, the claim is decided). So it can be
//! killed at any moment and restarted, and it never sends the same move twice. A claim it
//! cannot decide (Unknown: no information) gets no move. A move the contract would refuse (the
//! simulation reverts) is not sent and is logged once as `refused`; the round goes on.
//!
//! Each move goes on through the opponent's forced replies ([`super::path_move`]): against a
//! bisection, two transactions a level instead of six.
//!
//! Besides its local information file, a watcher can learn from the chain as it goes through
//! [`Source`]s: [`rollup::RollupFollower`] follows a `RollupBridge`'s batches and runs the
//! rollup program on the inputs of every output claim it sees, so it can play the output game.

pub mod rollup;

use crate::chain::dispute::{DisputeError, UniversalDispute};
use crate::chain::{Backend, Dispute, Receipt, Status};
use crate::lang::Program;
use crate::logic::eval::{ChallengeKind, Verdict};
use crate::logic::{Claim, Evaluator, LocalInfo};
use alloy_primitives::{Address, B256};
use alloy_sol_types::SolCall;
use std::collections::{BTreeMap, BTreeSet};

/// Why a watcher's round failed (the next round tries again).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The dispute contract or the node.
    #[error(transparent)]
    Dispute(#[from] DisputeError),
    /// The node.
    #[error(transparent)]
    Chain(#[from] crate::chain::ChainError),
    /// A program a source runs to learn (the rollup program).
    #[error(transparent)]
    Program(#[from] crate::systems::rollup::program::ProgramError),
    /// A source cannot follow what it was given.
    #[error("{0}")]
    Source(String),
}

/// One thing the watcher did or saw, for the log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WatchEvent {
    /// `seen`, `learned`, `prepared`, `challenged`, `claimed`, `witness`, `refused`, `decided`,
    /// `paid`, `withdrew`, `error`.
    pub kind: &'static str,
    /// The claim concerned (zero for a withdrawal).
    pub claim: B256,
    /// Gas of the transaction, for a move that sent one.
    pub gas: Option<u64>,
    /// In words.
    pub detail: String,
}

/// Local information a watcher learns from the chain as it goes, beside its information file.
pub trait Source {
    /// Called every round, after the new transactions are read, with every claim seen so far:
    /// reads what it needs from `chain` and adds what it learns to `info`. Returns what it did,
    /// for the log.
    fn learn(
        &mut self,
        chain: &mut dyn Backend,
        program: &Program,
        claims: &BTreeMap<B256, Claim>,
        info: &mut LocalInfo,
    ) -> Result<Vec<WatchEvent>, WatchError>;
}

/// The watcher's view and its identity, on any chain (a JSON-RPC node for `ogs watch`; the
/// embedded EVM in simulations and tests).
pub struct Watcher<'p, B: Backend> {
    d: Dispute<B>,
    program: &'p Program,
    info: LocalInfo,
    me: Address,
    /// Claims seen, by id.
    claims: BTreeMap<B256, Claim>,
    /// (target, counter) pairs seen in challenge transactions.
    pairs: BTreeSet<(B256, B256)>,
    /// The first block not read yet.
    next_block: u64,
    /// How many blocks back each step re-reads (reorgs).
    depth: u64,
    /// Where it learns more as it goes.
    sources: Vec<Box<dyn Source>>,
    /// Moves the contract refused in simulation, `(claim, counter or claim)`, so each refusal
    /// is logged once. They are tried again every round (a simulation costs nothing, and the
    /// chain may have changed).
    refused: BTreeSet<(B256, B256)>,
    /// The last block read.
    latest: u64,
    /// Claims whose game is over for this watcher (decided, nothing owed to it), with the
    /// block at which that was first seen.
    over_since: BTreeMap<B256, u64>,
    /// Claims over for `depth` blocks: no longer looked at, so a long-running watcher's rounds
    /// cost what its open games cost, not what the contract's whole history does.
    retired: BTreeSet<B256>,
    /// Whether moves go on through the opponent's forced replies (`challengePath`).
    paths: bool,
}

/// Most blocks one log request spans (nodes cap the range of `eth_getLogs`; a watcher
/// starting far behind catches up chunk by chunk).
pub const LOG_CHUNK: u64 = 2_000;

impl<'p, B: Backend> Watcher<'p, B> {
    /// A watcher acting as `me` (one of the chain's signers) from `start_block` on.
    pub fn new(
        d: Dispute<B>,
        program: &'p Program,
        info: LocalInfo,
        me: Address,
        start_block: u64,
        depth: u64,
    ) -> Self {
        let mut d = d;
        d.know_groups(program.groups.values().map(|g| g.encoding.clone()));
        Watcher {
            d,
            program,
            info,
            me,
            claims: BTreeMap::new(),
            pairs: BTreeSet::new(),
            next_block: start_block,
            depth,
            sources: Vec::new(),
            refused: BTreeSet::new(),
            latest: 0,
            over_since: BTreeMap::new(),
            retired: BTreeSet::new(),
            paths: true,
        }
    }

    /// Whether each move goes on through the opponent's forced replies in one transaction
    /// (`challengePath`, [`super::path_move`]; the default), or stops after one step.
    pub fn with_paths(mut self, on: bool) -> Self {
        self.paths = on;
        self
    }

    /// Adds a source of local information learned from the chain.
    pub fn with_source(mut self, source: Box<dyn Source>) -> Self {
        self.sources.push(source);
        self
    }

    /// The deployed contracts on the chain.
    pub fn dispute(&mut self) -> &mut Dispute<B> {
        &mut self.d
    }

    /// One round: read new transactions, act on every open claim, settle and collect.
    pub fn step(&mut self) -> Result<Vec<WatchEvent>, WatchError> {
        let mut out = Vec::new();
        self.read(&mut out)?;
        for s in &mut self.sources {
            out.extend(s.learn(
                &mut self.d.chain,
                self.program,
                &self.claims,
                &mut self.info,
            )?);
        }
        self.act(&mut out)?;
        self.settle(&mut out)?;
        self.retire()?;
        Ok(out)
    }

    /// Claims this watcher still looks at every round.
    pub fn active(&self) -> usize {
        self.claims.len() - self.retired.len()
    }

    /// Retires the claims whose game has been over for `depth` blocks (a shallower reorg can
    /// still undo a decision, so they are watched until then).
    fn retire(&mut self) -> Result<(), DisputeError> {
        let open: Vec<B256> = self
            .claims
            .keys()
            .filter(|id| !self.retired.contains(*id))
            .copied()
            .collect();
        for id in open {
            let decided = matches!(self.status(id), Status::True | Status::False);
            let owed = self
                .d
                .owner_of(id)?
                .is_some_and(|o| o.payee == Some(self.me) && !o.paid);
            if !decided || owed {
                self.over_since.remove(&id);
                continue;
            }
            let since = *self.over_since.entry(id).or_insert(self.latest);
            if self.latest >= since + self.depth.max(1) {
                self.retired.insert(id);
                self.over_since.remove(&id);
            }
        }
        Ok(())
    }

    fn read(&mut self, out: &mut Vec<WatchEvent>) -> Result<(), DisputeError> {
        let latest = self.d.chain.block_number()?;
        self.latest = latest;
        let mut from = self.next_block.saturating_sub(self.depth);
        let address = self.d.address;
        while from <= latest {
            let to = latest.min(from + LOG_CHUNK - 1);
            let mut txs: Vec<(B256, alloy_primitives::Bytes)> = Vec::new();
            // Logs come in chain order, so a transaction's logs are adjacent.
            for e in self.d.chain.logs(address, from, to)? {
                if txs.last().map(|(t, _)| *t) != Some(e.tx) {
                    txs.push((e.tx, e.input));
                }
            }
            for (_, input) in txs {
                self.read_call(&input, out);
            }
            from = to + 1;
            self.next_block = from;
        }
        Ok(())
    }

    /// The claims a dispute-contract call carries (a claim, or a challenge's target and counter).
    fn read_call(&mut self, input: &[u8], out: &mut Vec<WatchEvent>) {
        let mut found = Vec::new();
        if let Ok(c) = UniversalDispute::claimCall::abi_decode(input) {
            found.extend(Claim::decode(&c.enc).ok());
        } else if let Ok((t, k)) = UniversalDispute::challengeCall::abi_decode(input)
            .map(|c| (c.targetEnc, c.counterEnc))
            .or_else(|_| {
                // A path move does not carry its counter-claim: the contract computes it from
                // the target and the steps, and so does this view of it (the groups it unfolds
                // are admitted for good, so any later block gives the same answer).
                UniversalDispute::challengePathCall::abi_decode(input).and_then(|c| {
                    let k = self
                        .d
                        .view(UniversalDispute::counterOfPathCall {
                            targetEnc: c.targetEnc.clone(),
                            steps: c.steps,
                        })
                        .map_err(|_| alloy_sol_types::Error::Other("counterOfPath".into()))?;
                    Ok((c.targetEnc, k))
                })
            })
        {
            let (t, k) = (Claim::decode(&t), Claim::decode(&k));
            if let (Ok(t), Ok(k)) = (t, k) {
                self.pairs.insert((t.id(), k.id()));
                found.push(t);
                found.push(k);
            }
        }
        for c in found {
            let id = c.id();
            // Seen again (a reorg re-made it): watched again.
            self.retired.remove(&id);
            if !self.claims.contains_key(&id) {
                out.push(WatchEvent {
                    kind: "seen",
                    gas: None,
                    claim: id,
                    detail: self.program.show(&c),
                });
                self.claims.insert(id, c);
            }
        }
    }

    /// `c` and the claims it holds, upwards: each next one a target the previous one
    /// challenges (the order `settleChain` takes).
    fn chain_up(&self, c: B256) -> Vec<B256> {
        let mut chain = vec![c];
        while let Some((t, _)) = self
            .pairs
            .iter()
            .find(|(t, k)| Some(k) == chain.last() && !chain.contains(t))
        {
            chain.push(*t);
        }
        chain
    }

    /// The claims not retired.
    fn live(&self) -> Vec<(B256, Claim)> {
        self.claims
            .iter()
            .filter(|(id, _)| !self.retired.contains(*id))
            .map(|(id, c)| (*id, c.clone()))
            .collect()
    }

    fn status(&mut self, id: B256) -> Status {
        self.d.status(id).unwrap_or(Status::None)
    }

    fn act(&mut self, out: &mut Vec<WatchEvent>) -> Result<(), DisputeError> {
        for (id, c) in self.live() {
            if self.status(id) != Status::Undecided {
                continue;
            }
            let Ok(v) = Evaluator::new(&self.program.registry, self.program, &self.info).decide(&c)
            else {
                continue;
            };
            match v {
                Verdict::False {
                    challenge,
                    evidence,
                } => {
                    let counter = challenge.counter.clone();
                    if challenge.kind == ChallengeKind::Negation && !challenge.via_unfold {
                        if self.status(counter.id()) == Status::None {
                            let r = self.d.claim(self.me, &counter);
                            let Some(gas) = self.sent((id, counter.id()), r, out)? else {
                                continue;
                            };
                            out.push(WatchEvent {
                                kind: "claimed",
                                gas: Some(gas),
                                claim: counter.id(),
                                detail: format!("its negation: {}", self.program.show(&counter)),
                            });
                            self.claims.insert(counter.id(), counter);
                        }
                        continue;
                    }
                    let steps = if self.paths { super::MAX_PATH } else { 1 };
                    let m = super::path_move(
                        self.program,
                        &self.info,
                        &c,
                        &challenge,
                        &evidence,
                        steps,
                    );
                    let counter = m.counter.clone();
                    // Asked of the contract, so a restarted watcher never repeats a challenge.
                    if self.d.challenger_of(id, counter.id())?.is_some()
                        || self.status(counter.id()) == Status::False
                    {
                        continue;
                    }
                    if !m.witness.is_empty() {
                        self.prepare(&counter, out);
                    }
                    let r = self
                        .d
                        .challenge_path(self.me, &c, &m.steps, &counter, &m.witness);
                    let Some(gas) = self.sent((id, counter.id()), r, out)? else {
                        continue;
                    };
                    out.push(WatchEvent {
                        kind: "challenged",
                        gas: Some(gas),
                        claim: id,
                        detail: format!("with {}", self.program.show(&counter)),
                    });
                    self.pairs.insert((id, counter.id()));
                    self.claims.insert(counter.id(), counter);
                }
                Verdict::True(evidence) if matches!(c, Claim::Witness { .. }) => {
                    let mine = self.d.owner_of(id)?.is_some_and(|o| o.claimer == self.me);
                    if let (true, Some(w)) = (mine, evidence.witness_for(&c)) {
                        let w = w.to_vec();
                        self.prepare(&c, out);
                        let r = self.d.decide_by_witness(self.me, &c, &w);
                        let Some(gas) = self.sent((id, id), r, out)? else {
                            continue;
                        };
                        out.push(WatchEvent {
                            kind: "witness",
                            gas: Some(gas),
                            claim: id,
                            detail: "shown".into(),
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Puts on chain what using a witness of `c` needs first (the rollup system loads the
    /// pre-image part a MIPS step reads into the oracle).
    fn prepare(&mut self, c: &Claim, out: &mut Vec<WatchEvent>) {
        let (chain, contracts) = self.d.parts();
        let done = crate::systems::before_witness(
            chain,
            contracts,
            self.me,
            c,
            &self.program.registry,
            &self.info,
        );
        for p in done {
            let detail = match p.result {
                Ok(gas) => format!("{} ({gas} gas)", p.what),
                Err(e) => format!("{}: {e}", p.what),
            };
            out.push(WatchEvent {
                kind: "prepared",
                gas: None,
                claim: c.id(),
                detail,
            });
        }
    }

    /// The gas of a move that went through. A move the contract refuses is noted (once) and
    /// skipped, not fatal: the rest of the round goes on. Other failures (the node) end the round.
    fn sent(
        &mut self,
        key: (B256, B256),
        r: Result<Receipt, DisputeError>,
        out: &mut Vec<WatchEvent>,
    ) -> Result<Option<u64>, DisputeError> {
        match r {
            Ok(r) => Ok(Some(r.gas_used)),
            Err(DisputeError::Reverted(why, _)) => {
                if self.refused.insert(key) {
                    out.push(WatchEvent {
                        kind: "refused",
                        gas: None,
                        claim: key.0,
                        detail: format!("the contract would revert: {why}; not sent"),
                    });
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn settle(&mut self, out: &mut Vec<WatchEvent>) -> Result<(), DisputeError> {
        let mut pairs = self.pairs.clone();
        for (id, c) in &self.claims {
            let n = c.clone().negate().id();
            if self.claims.contains_key(&n) {
                pairs.insert((*id, n));
            }
        }
        for (t, c) in pairs {
            if self.retired.contains(&t) && self.retired.contains(&c) {
                continue;
            }
            let opened = self.d.challenger_of(t, c)? == Some(self.me);
            let (ts, cs) = (self.status(t), self.status(c));
            if opened
                && ts == Status::Undecided
                && cs == Status::Undecided
                && self.d.can_time_out(c)
            {
                // Its challenge times out True: one `settleChain` decides it and everything
                // above it that follows, and pays the bonds, instead of a call per claim.
                let chain = self.chain_up(c);
                let r = self.d.settle_chain(self.me, &chain);
                if let Some(gas) = self.sent((c, c), r, out)? {
                    let how = format!("True by timeout, and the chain of {} above", chain.len());
                    out.push(decided(c, &how, gas));
                }
            }
            let (ts, cs) = (self.status(t), self.status(c));
            if opened && ts == Status::Undecided && cs == Status::True {
                let r = self.d.decide_by_contradiction(self.me, t, c);
                if let Some(gas) = self.sent((t, c), r, out)? {
                    out.push(decided(t, "False by contradiction", gas));
                }
            } else if cs == Status::False
                && self.d.owner_of(t)?.is_some_and(|o| o.claimer == self.me)
                && self.d.links_open(t, c)
            {
                let r = self.d.release(self.me, t, c);
                if let Some(gas) = self.sent((t, c), r, out)? {
                    out.push(decided(t, "released a False challenge", gas));
                }
            }
        }
        for (id, c) in self.live() {
            if self.status(id) != Status::Undecided {
                continue;
            }
            let owner = self.d.owner_of(id)?;
            if matches!(c, Claim::Witness { .. }) {
                let neg = c.clone().negate();
                let by_me = self
                    .d
                    .owner_of(neg.id())?
                    .is_some_and(|o| o.claimer == self.me);
                if by_me && self.status(neg.id()) == Status::True {
                    let r = self.d.decide_by_negation(self.me, &c);
                    if let Some(gas) = self.sent((id, neg.id()), r, out)? {
                        out.push(decided(id, "False by its True negation", gas));
                    }
                }
            } else if owner.is_some_and(|o| o.claimer == self.me) && self.d.can_time_out(id) {
                let r = self.d.decide_by_timeout(self.me, id);
                if let Some(gas) = self.sent((id, id), r, out)? {
                    out.push(decided(id, "True by timeout", gas));
                }
            }
        }
        for (id, _) in self.live() {
            if self
                .d
                .owner_of(id)?
                .is_some_and(|o| o.payee == Some(self.me) && !o.paid)
            {
                let r = self.d.payout(self.me, id);
                if let Some(gas) = self.sent((id, B256::ZERO), r, out)? {
                    out.push(WatchEvent {
                        kind: "paid",
                        gas: Some(gas),
                        claim: id,
                        detail: "bond credited".into(),
                    });
                }
            }
        }
        // Withdrawn once the round has nothing else to do, so a settlement that pays over many
        // rounds ends in one withdrawal rather than one per round.
        let acted = out.iter().any(|e| {
            matches!(
                e.kind,
                "challenged" | "claimed" | "witness" | "decided" | "paid"
            )
        });
        let amount = self.d.credit(self.me)?;
        if !amount.is_zero() && !acted {
            let r = self.d.withdraw(self.me)?;
            out.push(WatchEvent {
                kind: "withdrew",
                gas: Some(r.gas_used),
                claim: B256::ZERO,
                detail: format!("{amount} wei"),
            });
        }
        Ok(())
    }
}

fn decided(id: B256, how: &str, gas: u64) -> WatchEvent {
    WatchEvent {
        kind: "decided",
        gas: Some(gas),
        claim: id,
        detail: how.to_string(),
    }
}
