//! Disputes played out on the in-process EVM: an arena that tracks every
//! claim and challenge link on chain, honest watchers that answer with the
//! evaluator, the settlement that follows the windows, and a transcript of
//! everything that happened.

use crate::chain::dispute::{
    events, Dispute, DisputeError, DisputeEvent, How, Status, GROUP_CODE_LIMIT,
};
use crate::chain::Receipt;
use crate::lang::Program;
use crate::logic::eval::{ChallengeKind, Evaluator, Verdict};
use crate::logic::{Claim, LocalInfo};
use alloy_primitives::{Address, B256, U256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

pub mod gas;
pub mod rollup;
pub mod scenario;
pub mod strategy;
pub mod trace_game;
pub mod watch;

/// One line of a transcript.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// Block number.
    pub block: u64,
    /// Seconds since the dispute started.
    pub time: u64,
    /// Who acted.
    pub actor: String,
    /// What they called, in words.
    pub call: String,
    /// Gas used.
    pub gas: u64,
    /// `ok`, or the custom error it reverted with.
    pub outcome: String,
}

/// A party: a name, an address and what it knows.
pub struct Party {
    /// Display name.
    pub name: String,
    /// On-chain address.
    pub address: Address,
    /// Local information.
    pub info: LocalInfo,
}

/// A transaction's gas and transcript outcome: `ok`, `reverted: <why>` or `error: <what>`.
fn outcome(r: Result<u64, &DisputeError>) -> (u64, String) {
    match r {
        Ok(gas) => (gas, "ok".to_string()),
        Err(DisputeError::Reverted(why, r)) => (r.gas_used, format!("reverted: {why}")),
        Err(e) => (0, format!("error: {e}")),
    }
}

/// How a challenge kind maps to the contract's arguments.
pub fn how_of(kind: &ChallengeKind) -> How {
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

/// The challenge selector for `kind` against `target`, with the definition groups of `program`
/// the contract cannot read itself when the target is a call (it unfolds the call).
pub(crate) fn how_against(program: &Program, target: &Claim, kind: &ChallengeKind) -> How {
    let mut how = how_of(kind);
    if matches!(target, Claim::Call { .. }) {
        how.groups = groups_to_pass(program);
    }
    how
}

/// The definition groups a challenge that unfolds calls must pass as calldata: those too large
/// for `admit` to store as code ([`GROUP_CODE_LIMIT`]); the contract reads the others from
/// their data contracts, which costs a move far less than their calldata.
pub fn groups_to_pass(program: &Program) -> Vec<Vec<u8>> {
    program
        .groups
        .values()
        .filter(|g| g.encoding.len() > GROUP_CODE_LIMIT)
        .map(|g| g.encoding.clone())
        .collect()
}

/// Most steps of one path move (the contract's `MAX_PATH`).
pub const MAX_PATH: usize = 8;

/// A move through forced replies (the contract's `challengePath`): its steps, the counter-claim
/// it posts and the witness that counter-claim needs (empty if none).
#[derive(Clone, Debug)]
pub struct PathMove {
    /// The challenge selectors, the first against the target, each next one against the
    /// operand of the previous counter-claim.
    pub steps: Vec<How>,
    /// The counter-claim posted.
    pub counter: Claim,
    /// Its witness, if it is a witness claim.
    pub witness: Vec<u8>,
}

/// Extends `first` — the challenge of `target` a party's evaluator chose, with its `evidence` —
/// through forced replies: while the counter-claim is `NOT(Z)`, the opponent's only reply would
/// be to re-assert `Z`, so if the party's evaluator finds `Z` False with a challenge, that
/// challenge is the next step of the same move. Stops at a `Z` it cannot refute that way (a
/// witness claim, Unknown, no challenge) or at `max_steps` (at most [`MAX_PATH`]). One step is a
/// plain challenge.
pub fn path_move(
    program: &Program,
    info: &LocalInfo,
    target: &Claim,
    first: &crate::logic::eval::Challenge,
    evidence: &crate::logic::eval::Evidence,
    max_steps: usize,
) -> PathMove {
    let mut steps = vec![how_against(program, target, &first.kind)];
    let mut counter = first.counter.clone();
    let mut evidence = evidence.clone();
    while steps.len() < max_steps.min(MAX_PATH) {
        let Claim::Not(z) = &counter else { break };
        if matches!(**z, Claim::Witness { .. }) {
            break;
        }
        let Ok(Verdict::False {
            challenge,
            evidence: next,
        }) = Evaluator::new(&program.registry, program, info).decide(z)
        else {
            break;
        };
        if challenge.kind == ChallengeKind::Negation && !challenge.via_unfold {
            break;
        }
        steps.push(how_against(program, z, &challenge.kind));
        counter = challenge.counter;
        evidence = next;
    }
    let witness = evidence
        .witness_for(&counter)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    PathMove {
        steps,
        counter,
        witness,
    }
}

/// The dispute contract plus everything known to have happened on it.
pub struct Arena<'p> {
    /// The deployed contracts.
    d: Dispute,
    /// Definitions and registry the claims use.
    program: &'p Program,
    /// Every claim posted, by id.
    claims: BTreeMap<B256, Claim>,
    /// Challenge links `(target, challenge)` seen in events.
    links: BTreeSet<(B256, B256)>,
    /// The transcript.
    log: Vec<Entry>,
    /// Who first posted each claim (by party name).
    claimed_by: BTreeMap<B256, String>,
    /// Moves each party made or tried — `(party, target, counter-claim)`, or `(party, claim,
    /// claim)` for a witness shown — so a refused move is not sent again.
    tried: BTreeSet<(String, B256, B256)>,
    start: u64,
    /// Whether parties move through forced replies in one transaction ([`path_move`]).
    paths: bool,
}

impl<'p> Arena<'p> {
    /// Deploys a fresh dispute system.
    pub fn new(program: &'p Program, bond: U256, window: u64) -> Result<Self, DisputeError> {
        let mut d = Dispute::deploy(
            &crate::systems::deploy_plan(&program.registry),
            bond,
            window,
        )?;
        d.know_groups(program.groups.values().map(|g| g.encoding.clone()));
        let start = d.chain.timestamp();
        Ok(Arena {
            d,
            program,
            claims: BTreeMap::new(),
            links: BTreeSet::new(),
            log: Vec::new(),
            claimed_by: BTreeMap::new(),
            tried: BTreeSet::new(),
            start,
            paths: false,
        })
    }

    /// From now on, parties skip the opponent's forced replies: each challenge goes on through
    /// them in one `challengePath` transaction ([`path_move`]).
    pub fn set_paths(&mut self, on: bool) {
        self.paths = on;
    }

    /// The deployed dispute system.
    pub fn dispute(&self) -> &Dispute {
        &self.d
    }

    /// The deployed dispute system, to act on it directly (transactions sent this way are
    /// not in the transcript unless noted with [`Arena::note_call`]).
    pub fn dispute_mut(&mut self) -> &mut Dispute {
        &mut self.d
    }

    /// The definitions and registry the claims use.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Every claim posted (or tried), by id.
    pub fn claims(&self) -> &BTreeMap<B256, Claim> {
        &self.claims
    }

    /// Challenge links `(target, challenge)` seen in events.
    pub fn links(&self) -> &BTreeSet<(B256, B256)> {
        &self.links
    }

    /// The transcript so far.
    pub fn log(&self) -> &[Entry] {
        &self.log
    }

    /// Who first posted each claim (by party name).
    pub fn claimed_by(&self) -> &BTreeMap<B256, String> {
        &self.claimed_by
    }

    /// Seconds since the dispute system was deployed.
    pub fn elapsed(&self) -> u64 {
        self.d.chain.timestamp() - self.start
    }

    /// Appends an entry to the transcript as it is (e.g. something done off chain).
    pub fn record(&mut self, e: Entry) {
        self.log.push(e);
    }

    /// Adds a call to the transcript (and records the links its events announce).
    pub fn note_call(&mut self, actor: &str, call: String, r: &Result<Receipt, DisputeError>) {
        self.note(actor, call, r)
    }

    fn note(&mut self, actor: &str, call: String, r: &Result<Receipt, DisputeError>) {
        if let Ok(r) = r {
            for e in events(r) {
                if let DisputeEvent::Challenged { target, challenge } = e {
                    self.links.insert((target, challenge));
                }
            }
        }
        let (gas, outcome) = outcome(r.as_ref().map(|r| r.gas_used));
        self.push(actor, call, gas, outcome);
    }

    fn push(&mut self, actor: &str, call: String, gas: u64, outcome: String) {
        self.log.push(Entry {
            block: self.d.chain.block_number(),
            time: self.d.chain.timestamp() - self.start,
            actor: actor.to_string(),
            call,
            gas,
            outcome,
        });
    }

    fn short(&self, c: &Claim) -> String {
        let text = self.program.show(c);
        let id = format!("{:#x}", c.id());
        let text = if text.chars().count() > 70 {
            format!("{}…", text.chars().take(70).collect::<String>())
        } else {
            text
        };
        format!("{} {}", &id[..10], text)
    }

    /// Posts a claim.
    pub fn claim(&mut self, who: &Party, c: &Claim) -> Result<Receipt, DisputeError> {
        let r = self.d.claim(who.address, c);
        let call = format!("claim {}", self.short(c));
        self.note(&who.name, call, &r);
        if r.is_ok() {
            self.claimed_by
                .entry(c.id())
                .or_insert_with(|| who.name.clone());
        }
        self.claims.insert(c.id(), c.clone());
        r
    }

    /// Whether `who` has not yet tried the move (`target`, `counter`); records it as tried. A
    /// refused move is not sent again.
    pub(crate) fn first_try(&mut self, who: &Party, target: B256, counter: B256) -> bool {
        self.tried.insert((who.name.clone(), target, counter))
    }

    /// Posts a challenge.
    pub fn challenge(
        &mut self,
        who: &Party,
        target: &Claim,
        how: &How,
        counter: &Claim,
        witness: &[u8],
    ) -> Result<Receipt, DisputeError> {
        let m = PathMove {
            steps: vec![how.clone()],
            counter: counter.clone(),
            witness: witness.to_vec(),
        };
        self.challenge_with(who, target, &m)
    }

    /// Makes a move: a plain challenge for one step, `challengePath` for more.
    pub fn challenge_with(
        &mut self,
        who: &Party,
        target: &Claim,
        m: &PathMove,
    ) -> Result<Receipt, DisputeError> {
        let (counter, witness) = (&m.counter, &m.witness);
        let r = self
            .d
            .challenge_path(who.address, target, &m.steps, counter, witness);
        let through = if m.steps.len() > 1 {
            format!(" ({} steps)", m.steps.len())
        } else {
            String::new()
        };
        let call = format!(
            "challenge {}{through} with {}",
            &format!("{:#x}", target.id())[..10],
            self.short(counter)
        );
        self.note(&who.name, call, &r);
        if r.is_ok() {
            self.claims.insert(counter.id(), counter.clone());
            self.claimed_by
                .entry(counter.id())
                .or_insert_with(|| who.name.clone());
        }
        r
    }

    /// Before a witness of `c` is used on chain by `who`: runs the systems' hooks
    /// ([`crate::systems::System::before_witness`]), e.g. the rollup system loads the
    /// pre-image part a MIPS step reads, and notes what they sent.
    pub fn prepare_witness(&mut self, who: &Party, c: &Claim) {
        let (chain, contracts) = self.d.parts();
        let done = crate::systems::before_witness(
            chain,
            contracts,
            who.address,
            c,
            &self.program.registry,
            &who.info,
        );
        for p in done {
            let (gas, outcome) = outcome(p.result.as_ref().copied());
            self.push(&who.name, p.what, gas, outcome);
        }
    }

    /// Shows a witness for a `WITNESS_EXISTS` claim.
    pub fn show_witness(
        &mut self,
        who: &Party,
        c: &Claim,
        witness: &[u8],
    ) -> Result<Receipt, DisputeError> {
        let r = self.d.decide_by_witness(who.address, c, witness);
        let call = format!("show witness for {}", self.short(c));
        self.note(&who.name, call, &r);
        r
    }

    /// The status of a claim on chain.
    pub fn status(&mut self, c: &Claim) -> Status {
        self.d.status(c.id()).unwrap_or(Status::None)
    }

    /// An honest watcher's turn: every undecided claim it believes False gets
    /// the evaluator's counter-claim (once); every witness claim it can prove
    /// gets its witness. Returns whether it made a move.
    pub fn respond(&mut self, who: &Party) -> bool {
        self.respond_as(who, false)
    }

    /// An honest watcher's turn that spends fees only where it gains (SEMANTICS.md §4.7): it
    /// challenges every claim it believes False (the loser's bond pays for the response) and
    /// shows witnesses only for its own claims — never for a claim whose bond would go to
    /// someone else. Returns whether it made a move.
    pub fn respond_with_stake(&mut self, who: &Party) -> bool {
        self.respond_as(who, true)
    }

    fn respond_as(&mut self, who: &Party, stake_only: bool) -> bool {
        let mut moved = false;
        for (id, c) in self.claims.clone() {
            if self.status(&c) != Status::Undecided {
                continue;
            }
            let Ok(verdict) =
                Evaluator::new(&self.program.registry, self.program, &who.info).decide(&c)
            else {
                continue;
            };
            match verdict {
                Verdict::False {
                    challenge,
                    evidence,
                } => {
                    if challenge.kind == ChallengeKind::Negation && !challenge.via_unfold {
                        // No challenge exists; its negation is a claim of its own.
                        let neg = challenge.counter.clone();
                        if !self.claims.contains_key(&neg.id()) && self.claim(who, &neg).is_ok() {
                            moved = true;
                        }
                        continue;
                    }
                    let steps = if self.paths { MAX_PATH } else { 1 };
                    let m = path_move(self.program, &who.info, &c, &challenge, &evidence, steps);
                    if self.links.contains(&(id, m.counter.id()))
                        || !self.tried.insert((who.name.clone(), id, m.counter.id()))
                    {
                        continue;
                    }
                    if !m.witness.is_empty() {
                        self.prepare_witness(who, &m.counter);
                    }
                    if self.challenge_with(who, &c, &m).is_ok() {
                        moved = true;
                    }
                }
                Verdict::True(evidence) => {
                    if let Some(w) = evidence
                        .witnesses
                        .iter()
                        .find(|w| w.claim == c && matches!(c, Claim::Witness { .. }))
                    {
                        if stake_only && self.claimed_by.get(&id) != Some(&who.name) {
                            continue;
                        }
                        if !self.tried.insert((who.name.clone(), id, id)) {
                            continue;
                        }
                        let w = w.witness.clone();
                        self.prepare_witness(who, &c);
                        moved |= self.show_witness(who, &c, &w).is_ok();
                    }
                }
                Verdict::Unknown(_) => {}
            }
        }
        moved
    }

    /// Lets `seconds` pass (one block per call).
    pub fn wait(&mut self, seconds: u64) {
        self.d.chain.advance(1, seconds);
    }

    /// Mines one block of `block_time` seconds.
    pub fn wait_block(&mut self, block_time: u64) {
        self.d.chain.advance(1, block_time);
    }

    /// Decides what can be decided: contradictions, releases of False
    /// challenges and timeouts, until nothing changes.
    pub fn settle(&mut self, who: &Party) {
        self.settle_as(who, false)
    }

    /// Decides only what pays `who` (SEMANTICS.md §4.7): contradictions of links it opened,
    /// releases of False challenges of its own claims, timeouts of its own claims and of the
    /// challenges it opened links with, and witness claims whose True negation it made —
    /// until nothing changes. A keeper that pays for everything is [`Arena::settle`].
    pub fn settle_stake(&mut self, who: &Party) {
        self.settle_as(who, true)
    }

    fn settle_as(&mut self, who: &Party, stake: bool) {
        let mine = |a: &Self, id: &B256| !stake || a.claimed_by.get(id) == Some(&who.name);
        loop {
            let mut changed = false;
            for (t, c) in self.links.clone() {
                let (tc, cc) = (self.claims.get(&t).cloned(), self.claims.get(&c).cloned());
                let (Some(tc), Some(cc)) = (tc, cc) else {
                    continue;
                };
                let opened =
                    !stake || self.d.challenger_of(t, c).ok().flatten() == Some(who.address);
                let (ts, cs) = (self.status(&tc), self.status(&cc));
                if stake
                    && opened
                    && ts == Status::Undecided
                    && cs == Status::Undecided
                    && self.d.can_time_out(c)
                {
                    // Its challenge, made first by someone else: time it out to win the link.
                    let r = self.d.decide_by_timeout(who.address, c);
                    let call = format!("decide {} True by timeout", &format!("{c:#x}")[..10]);
                    changed |= self.noted(who, call, r);
                } else if opened && ts == Status::Undecided && cs == Status::True {
                    let r = self.d.decide_by_contradiction(who.address, t, c);
                    let call =
                        format!("decide {} False by contradiction", &format!("{t:#x}")[..10]);
                    changed |= self.noted(who, call, r);
                } else if cs == Status::False && mine(self, &t) && self.d.links_open(t, c) {
                    let r = self.d.release(who.address, t, c);
                    let call = format!("release false challenge {}", &format!("{c:#x}")[..10]);
                    changed |= self.noted(who, call, r);
                }
            }
            for (id, c) in self.claims.clone() {
                if self.status(&c) != Status::Undecided {
                    continue;
                }
                // A witness claim has no challenge, so no contradiction decides it: once its
                // negation is True (nobody could prove it), decide it False so its bond is paid.
                let neg = c.clone().negate();
                if matches!(c, Claim::Witness { .. }) {
                    if self.claims.contains_key(&neg.id())
                        && mine(self, &neg.id())
                        && self.status(&neg) == Status::True
                    {
                        let r = self.d.decide_by_negation(who.address, &c);
                        let call = format!(
                            "decide {} False by its True negation",
                            &format!("{id:#x}")[..10]
                        );
                        changed |= self.noted(who, call, r);
                    }
                } else if mine(self, &id) && self.d.can_time_out(id) {
                    // Only calls that can succeed are sent (the window passed, no open challenge).
                    let r = self.d.decide_by_timeout(who.address, id);
                    let call = format!("decide {} True by timeout", &format!("{id:#x}")[..10]);
                    changed |= self.noted(who, call, r);
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Notes a call in the transcript; whether it succeeded.
    fn noted(&mut self, who: &Party, call: String, r: Result<Receipt, DisputeError>) -> bool {
        self.note(&who.name, call, &r);
        r.is_ok()
    }

    /// Pays out every decided bond owed to `who` and withdraws its credit; returns the wei
    /// withdrawn.
    pub fn collect(&mut self, who: &Party) -> U256 {
        for (id, _) in self.claims.clone() {
            let owed = self.d.owner_of(id).ok().flatten();
            if owed.is_some_and(|o| o.payee == Some(who.address) && !o.paid) {
                let r = self.d.payout(who.address, id);
                let call = format!("payout bond of {}", &format!("{id:#x}")[..10]);
                self.note(&who.name, call, &r);
            }
        }
        let credit = self.d.credit(who.address).unwrap_or_default();
        if credit.is_zero() {
            return credit;
        }
        let r = self.d.withdraw(who.address);
        self.note(&who.name, "withdraw".into(), &r);
        if r.is_ok() {
            credit
        } else {
            U256::ZERO
        }
    }

    /// The last second at which `c` can still be challenged, as the contract's chess clock
    /// set it (`None` once decided, for witness claims, or if never claimed): what a
    /// watcher must answer by.
    pub fn deadline(&mut self, c: &Claim) -> Option<u64> {
        match self.d.clock_of(c.id()) {
            Ok(Some((_, deadline))) if deadline != 0 => Some(deadline),
            _ => None,
        }
    }

    /// The earliest deadline not yet passed among undecided claims, except those made by
    /// `except` (the claims a party may still answer).
    pub fn next_deadline(&mut self, except: Option<&str>) -> Option<u64> {
        let now = self.d.chain.timestamp();
        let mut best: Option<u64> = None;
        for (id, c) in self.claims.clone() {
            if except.is_some() && self.claimed_by.get(&id).map(String::as_str) == except {
                continue;
            }
            if let Some(d) = self.deadline(&c).filter(|d| *d >= now) {
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        best
    }

    /// Lets the clocks run out: moves time to one second past the next deadline and
    /// settles as `keeper`, until no undecided claim has a deadline ahead. Returns when
    /// `root` was decided (`None` if it was not).
    pub fn run_out_clocks(&mut self, keeper: &Party, root: &Claim) -> Option<u64> {
        let mut decided_at = None;
        loop {
            self.settle(keeper);
            if decided_at.is_none() && self.status(root) != Status::Undecided {
                decided_at = Some(self.d.chain.timestamp());
            }
            let Some(next) = self.next_deadline(None) else {
                break;
            };
            let now = self.d.chain.timestamp();
            self.wait(next + 1 - now);
        }
        decided_at
    }

    /// Settles the dispute rooted at `root` with as few transactions as the clocks allow: waits
    /// until every claim's deadline has passed, then one `settleChain` over the chain of
    /// challenges from `root` down (deepest first) decides and pays out every claim on it
    /// (SEMANTICS §3); anything it leaves (claims off that chain) is settled as
    /// [`Arena::run_out_clocks`] does. Returns when `root` was decided.
    pub fn settle_at_once(&mut self, keeper: &Party, root: &Claim) -> Option<u64> {
        if let Some(last) = self.last_deadline() {
            let now = self.d.chain.timestamp();
            if last >= now {
                self.wait(last + 1 - now);
            }
        }
        let mut chain = vec![root.id()];
        while let Some(next) = self.links.iter().find_map(|(t, c)| {
            (*t == *chain.last()? && !chain.contains(c) && self.claims.contains_key(c))
                .then_some(*c)
        }) {
            chain.push(next);
        }
        chain.reverse();
        let r = self.d.settle_chain(keeper.address, &chain);
        let call = format!(
            "settle the chain of {} claims from the deepest",
            chain.len()
        );
        self.note(&keeper.name, call, &r);
        let decided_at = (self.status(root) != Status::Undecided).then(|| self.d.chain.timestamp());
        decided_at.or_else(|| self.run_out_clocks(keeper, root))
    }

    /// The latest deadline of an undecided claim.
    fn last_deadline(&mut self) -> Option<u64> {
        let mut last = None;
        for id in self.claims.keys().copied().collect::<Vec<_>>() {
            if let Ok(Some((_, deadline))) = self.d.clock_of(id) {
                if self.d.status(id).ok() == Some(Status::Undecided) {
                    last = last.max(Some(deadline));
                }
            }
        }
        last
    }

    /// The claims on the longest chain of challenges from `root` (the root counts as one),
    /// over the links seen so far.
    pub fn depth(&self, root: &Claim) -> u64 {
        fn walk(links: &BTreeSet<(B256, B256)>, id: B256, seen: &mut Vec<B256>) -> u64 {
            if seen.contains(&id) {
                return 0;
            }
            seen.push(id);
            let deepest = links
                .iter()
                .filter(|(t, _)| *t == id)
                .map(|(_, c)| walk(links, *c, seen))
                .max()
                .unwrap_or(0);
            seen.pop();
            1 + deepest
        }
        walk(&self.links, root.id(), &mut Vec::new())
    }

    /// Renders the transcript as aligned text; the line deciding `root` is marked with ▶.
    pub fn render(&mut self, root: &Claim) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "block   t(s)  actor          gas  call → outcome");
        let root_id = format!("{:#x}", root.id());
        for e in &self.log {
            let mark = if e.call.contains(&root_id[..10]) && e.call.starts_with("decide") {
                "▶"
            } else {
                " "
            };
            let _ = writeln!(
                s,
                "{:>5} {:>6}{mark} {:<10} {:>7}  {} → {}",
                e.block, e.time, e.actor, e.gas, e.call, e.outcome
            );
        }
        let status = self.status(root);
        let _ = writeln!(s, "\nclaim {} is {:?} on chain", &root_id[..10], status);
        s
    }
}
