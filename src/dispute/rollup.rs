//! Rollup output disputes end to end (SEMANTICS.md §6, `predicates/rollup.ogs`), on the embedded EVM.
//!
//! A [`RollupGame`] deploys the dispute system and a `RollupBridge` holding the genesis
//! funds; L2 users submit their transfers to the bridge's L1 inbox (so L1 authenticates every
//! sender) and the batch is sealed. A proposer runs the rollup program
//! ([`PROGRAM`], `tests/guests/src/rollup.c`) on the inputs (previous output root, batch hash,
//! claimed output root) and claims `output(prestate, ctx, prev, batch, claimed, final, n)`; a
//! challenger runs the same inputs itself. Both play with the evaluator from what they know —
//! an honest party from its real run, a dishonest one from a run it believes wrongly
//! ([`VmTrace::believing_wrong_from`]) — block by block: the bisection goes down at most
//! ⌈log2 N⌉ levels and ends in exactly one MIPS step checked on chain, whose pre-image part
//! (if it reads one) is loaded on demand. Then the bridge finalizes the output only if its
//! claim is decided True (after a defeated wrong output, the honest party claims the right one)
//! and pays the L2 withdrawals out on L1.

use super::{Arena, Party};
use crate::chain::dispute::{bytecode, checked, revert_reason, DisputeError};
use crate::chain::{Receipt, Status};
use crate::lang::Program;
use crate::logic::Claim;
use crate::systems::rollup::bridge::RollupBridge;
use crate::systems::rollup::program::{
    knowledge, output_claim, prestate, program, record, DEFAULT_K,
};
pub use crate::systems::rollup::program::{ProgramError, Role};
use crate::systems::rollup::{trace_facts, Batch, Gen, RollupInputs, State, VmTrace};
use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolEvent, SolInterface};
use std::sync::Arc;
use std::time::{Duration, Instant};
use thiserror::Error;

/// A rollup output dispute to play.
#[derive(Clone, Debug)]
pub struct RollupGame {
    /// Seed of the genesis state and the batch.
    pub seed: u64,
    /// Genesis accounts.
    pub accounts: usize,
    /// Transfers submitted to the inbox.
    pub transfers: usize,
    /// How the proposer plays.
    pub proposer: Role,
    /// How the challenger plays.
    pub challenger: Role,
    /// Bond per claim (wei).
    pub bond: U256,
    /// Dispute window (seconds).
    pub window: u64,
    /// Seconds per block.
    pub block_time: u64,
    /// The lying side answers at the last second it may (its deadline, by the contract's
    /// chess clock), to stretch the dispute as far as it can; the honest side answers
    /// within one block.
    pub slow_liar: bool,
    /// Both sides move through forced replies in one transaction (`challengePath`): two moves
    /// per bisection level instead of six; once the clocks have run out, a keeper settles the
    /// whole chain in one `settleChain` transaction.
    pub paths: bool,
    /// The branching factor of the output claim (`k` of `trace`): each level cuts the disputed
    /// steps into `k` segments, so the game has ⌈log_k N⌉ levels.
    pub k: u64,
}

impl Default for RollupGame {
    fn default() -> Self {
        RollupGame {
            seed: 1,
            accounts: 32,
            transfers: 40,
            proposer: Role::Honest,
            challenger: Role::Liar { from: None },
            bond: U256::from(10u64.pow(16)),
            window: 3_600,
            block_time: 12,
            slow_liar: false,
            paths: false,
            k: DEFAULT_K,
        }
    }
}

/// Why a game could not be played.
#[derive(Debug, Error)]
pub enum RollupError {
    /// The dispute system failed.
    #[error(transparent)]
    Dispute(#[from] DisputeError),
    /// The program did not run, or a claim about it did not compile.
    #[error(transparent)]
    Program(#[from] ProgramError),
    /// A bridge call reverted that must not.
    #[error("RollupBridge.{0} reverted: {1}")]
    Bridge(&'static str, String),
    /// A game that must end one way ended the other (the transcript says how).
    #[error("the honest side lost a trace game ({steps} steps, k = {k}):\n{transcript}")]
    HonestLost {
        /// The claimed step count.
        steps: u64,
        /// The branching factor.
        k: u64,
        /// The game's transcript.
        transcript: String,
    },
}

/// What happened.
#[derive(Debug)]
pub struct RollupOutcome {
    /// Steps of the disputed run (the claim's `n`).
    pub steps: u64,
    /// The disputed output claim's decision.
    pub status: Status,
    /// Step counts of the re-asserted trace claims, the output's trace first.
    pub path: Vec<u64>,
    /// MIPS steps run on chain: (accepted, refused).
    pub onchain_steps: (usize, usize),
    /// Pre-image parts loaded into the on-chain oracle.
    pub preimage_loads: usize,
    /// Gas of the bisection moves (accepted challenges other than the step).
    pub move_gas: Vec<u64>,
    /// Gas of the transaction that ran the MIPS step (accepted or refused).
    pub step_gas: Vec<u64>,
    /// Gas and transactions of the whole dispute (claim to settlement, without the bridge).
    pub dispute_gas: u64,
    /// Transactions of the whole dispute.
    pub dispute_txs: usize,
    /// Whether the bridge finalized the right output in the end.
    pub finalized_right_root: bool,
    /// Wei paid out on L1 for L2 withdrawals.
    pub withdrawn: u128,
    /// Time the honest party spent deciding its moves (its runs of the program included).
    pub honest_time: Duration,
    /// State hashes the honest party computed for the dispute (of `steps + 1` states).
    pub honest_hashes: usize,
    /// Seconds from the output claim to its decision (the clocks run out deadline by
    /// deadline, a keeper settling at once).
    pub duration: u64,
    /// Claims on the longest chain of challenges from the output claim (the claim included).
    pub depth: u64,
    /// The transcript.
    pub transcript: String,
}

impl RollupOutcome {
    /// Bisection levels played.
    pub fn levels(&self) -> usize {
        self.path.len().saturating_sub(1)
    }
}

/// A bridge transaction's receipt, or its revert with the bridge's custom error named.
fn receipt(r: Receipt) -> Result<Receipt, DisputeError> {
    checked(
        r,
        |data| match RollupBridge::RollupBridgeErrors::abi_decode(data) {
            Ok(e) => format!("{e:?}"),
            Err(_) => revert_reason(data),
        },
    )
}

/// A party named `name` at address `byte…byte` knowing the recorded runs `traces`.
pub(crate) fn party_for(name: &str, byte: u8, p: &Program, traces: &[&Arc<VmTrace>]) -> Party {
    Party {
        name: name.into(),
        address: Address::repeat_byte(byte),
        info: knowledge(p, traces),
    }
}

/// A `RollupBridge` deployed next to the dispute system with a genesis state, its batch
/// submitted by the L2 users and sealed: what a rollup game and a `[rollup]` scenario world
/// act on. Every call is noted in the arena's transcript.
pub struct Bridge {
    /// The bridge contract.
    pub address: Address,
    /// The rollup program's absolute prestate.
    pub prestate: B256,
    /// The `trace` definition the bridge's claims unfold.
    pub facts: crate::systems::rollup::TraceFacts,
    /// The genesis state.
    pub genesis: State,
    /// The state after the batch (the right output).
    pub after: State,
    /// The sealed batch, as the bridge emitted it.
    pub batch: Vec<u8>,
    /// The branching factor of the output claims proposed through it (`k` of `trace`).
    pub k: u64,
}

impl Bridge {
    /// Deploys the bridge from `operator` with the genesis funds, lets every L2 user submit its
    /// transfer to the L1 inbox, and seals the batch (as `operator`); checks that the sealed
    /// batch is the submitted one.
    pub fn open(
        a: &mut Arena,
        operator: (&str, Address),
        genesis: State,
        batch: &Batch,
    ) -> Result<Bridge, RollupError> {
        let prestate = prestate()?;
        let facts = trace_facts(a.program()).ok_or(RollupError::Program(ProgramError::NoTrace))?;
        let mut after = genesis.clone();
        after.apply(batch);
        let mut code = bytecode("RollupBridge")?;
        code.extend(
            RollupBridge::constructorCall {
                dispute: a.dispute().address,
                prestate,
                traceGroup: facts.group,
                traceIndex: facts.index,
                genesisState: Bytes::from(genesis.encode()),
            }
            .abi_encode(),
        );
        let funds = U256::from(genesis.total());
        let (operator_name, operator) = operator;
        let (address, r) = a
            .dispute_mut()
            .chain
            .deploy(operator, Bytes::from(code), funds)
            .map_err(DisputeError::from)?;
        a.note_call(
            operator_name,
            format!(
                "deploy RollupBridge, {} accounts, {} wei, prestate {}",
                genesis.accounts.len(),
                funds,
                short(prestate.as_slice())
            ),
            &receipt(r),
        );
        let mut bridge = Bridge {
            address,
            prestate,
            facts,
            genesis,
            after,
            batch: Vec::new(),
            k: DEFAULT_K,
        };
        // L2 users submit their transfers on L1, then anyone seals the batch.
        for t in &batch.transfers {
            let from = Address::from(t.from);
            let call = RollupBridge::submitCall {
                to: Address::from(t.to),
                amount: t.amount,
                nonce: t.nonce,
            };
            let what = format!(
                "submit {} → {} amount {} nonce {}",
                short(&t.from),
                short(&t.to),
                t.amount,
                t.nonce
            );
            bridge.call(a, "user", from, what, call.abi_encode());
        }
        // The batch goes on chain as the seal's calldata (its data availability); the bridge
        // checks it against the transfers submitted.
        let bytes = batch.encode();
        let seal = RollupBridge::sealCall {
            batch: Bytes::from(bytes.clone()),
        };
        let sealed = Self::send(a, operator, address, seal.abi_encode());
        a.note_call(operator_name, "seal the batch".into(), &sealed);
        let sealed = sealed.map_err(|e| RollupError::Bridge("seal", e.to_string()))?;
        let hash = sealed
            .logs
            .iter()
            .find_map(|l| RollupBridge::BatchSealed::decode_log_data(&l.data).ok())
            .map(|e| e.batchHash)
            .ok_or_else(|| RollupError::Bridge("seal", "no BatchSealed event".into()))?;
        if hash != alloy_primitives::keccak256(&bytes) {
            return Err(RollupError::Bridge(
                "seal",
                "the sealed batch hash is not the submitted batch's".into(),
            ));
        }
        bridge.batch = bytes;
        Ok(bridge)
    }

    /// The right output root: the state after the batch.
    pub fn right_root(&self) -> [u8; 32] {
        self.after.root()
    }

    /// A wrong output root: the right state with a million wei more in the first account.
    pub fn theft_root(&self) -> [u8; 32] {
        let mut theft = self.after.clone();
        if let Some(acc) = theft.accounts.first_mut() {
            acc.balance = acc.balance.wrapping_add(1_000_000);
        }
        theft.root()
    }

    /// The program's inputs for an output claiming `claimed`.
    pub fn inputs(&self, claimed: [u8; 32]) -> RollupInputs {
        RollupInputs {
            state: self.genesis.encode(),
            batch: self.batch.clone(),
            claimed,
        }
    }

    /// `who` claims the output of its recorded run `run`.
    pub fn propose(&self, a: &mut Arena, who: &Party, run: &VmTrace) -> Result<Claim, RollupError> {
        let claim = output_claim(a.program(), self.prestate, run, self.k)?;
        a.claim(who, &claim)?;
        Ok(claim)
    }

    /// `who` asks the bridge to finalize the output of `run` (it does only if its claim was
    /// decided True); whether it did.
    pub fn finalize(&self, a: &mut Arena, who: &Party, run: &VmTrace) -> bool {
        let call = RollupBridge::finalizeCall {
            claimed: run.inputs().map(|i| i.claimed).unwrap_or_default(),
            final_: run.end(),
            n: U256::from(run.steps()),
            k: U256::from(self.k),
        };
        let what = format!("finalize output {}", short(call.claimed.as_slice()));
        self.call(a, &who.name, who.address, what, call.abi_encode())
    }

    /// Whether the bridge's latest finalized root is the right one.
    pub fn finalized_right_root(&self, a: &mut Arena) -> Result<bool, RollupError> {
        let latest = Self::send(
            a,
            Address::ZERO,
            self.address,
            RollupBridge::latestRootCall {}.abi_encode(),
        )?;
        Ok(latest.output.as_ref() == self.right_root().as_slice())
    }

    /// Every account with withdrawals proves them against the finalized right root and
    /// withdraws; the wei paid out on L1.
    pub fn withdraw_all(&self, a: &mut Arena) -> u128 {
        let mut withdrawn = 0u128;
        let state = Bytes::from(self.after.encode());
        for (i, acc) in self.after.accounts.iter().enumerate() {
            if acc.withdrawn == 0 {
                continue;
            }
            let owner = Address::from(acc.address);
            let before = a.dispute_mut().chain.balance(owner);
            let prove = RollupBridge::proveWithdrawalCall {
                root: B256::from(self.right_root()),
                state: state.clone(),
                index: U256::from(i),
            };
            let what = format!(
                "prove withdrawal of {} by {}",
                acc.withdrawn,
                short(&acc.address)
            );
            if self.call(a, "user", owner, what, prove.abi_encode()) {
                let what = "withdraw".to_string();
                let data = RollupBridge::withdrawCall {}.abi_encode();
                self.call(a, "user", owner, what, data);
            }
            let gained = a.dispute_mut().chain.balance(owner).saturating_sub(before);
            withdrawn += gained.saturating_to::<u128>();
        }
        withdrawn
    }

    fn send(
        a: &mut Arena,
        from: Address,
        to: Address,
        data: Vec<u8>,
    ) -> Result<Receipt, DisputeError> {
        let r = a
            .dispute_mut()
            .chain
            .send(from, to, U256::ZERO, Bytes::from(data))?;
        receipt(r)
    }

    fn call(&self, a: &mut Arena, who: &str, from: Address, what: String, data: Vec<u8>) -> bool {
        let r = Self::send(a, from, self.address, data);
        let ok = r.is_ok();
        a.note_call(who, what, &r);
        ok
    }
}

fn short(h: &[u8]) -> String {
    format!("0x{}…", &hex::encode(h)[..8])
}

/// A game's genesis state and the batch its users submit (deterministic in the seed).
pub fn genesis_and_batch(game: &RollupGame) -> (State, Batch) {
    let mut gen = Gen::new(game.seed);
    let genesis = gen.genesis(game.accounts, 1 << 40);
    let batch = gen.batch(&genesis, game.transfers, 0.2);
    (genesis, batch)
}

/// Plays a game (see the module docs).
pub fn play(game: &RollupGame) -> Result<RollupOutcome, RollupError> {
    let p = program();
    let (genesis, batch) = genesis_and_batch(game);

    let mut a = Arena::new(&p, game.bond, game.window)?;
    a.set_paths(game.paths);
    let rich = U256::from(10u128.pow(24));
    // Deploy the bridge with the genesis funds; the users submit the batch, it is sealed.
    let deployer = Address::repeat_byte(0xb0);
    a.dispute_mut().chain.set_balance(deployer, rich);
    let mut bridge = Bridge::open(&mut a, ("operator", deployer), genesis, &batch)?;
    bridge.k = game.k;
    let facts = bridge.facts;

    // The proposer's output and run.
    let right = bridge.right_root();
    let claimed = match game.proposer {
        Role::Honest => right,
        Role::Liar { .. } => bridge.theft_root(),
    };
    let inputs = bridge.inputs(claimed);
    let honest_started = Instant::now();
    let mut honest_time = Duration::ZERO;
    let proposer_run = record(&inputs, game.proposer, game.seed ^ 0x9e37)?;
    if game.proposer == Role::Honest {
        honest_time += honest_started.elapsed();
    }
    let started = Instant::now();
    let challenger_run = record(&inputs, game.challenger, game.seed ^ 0x7f4a)?;
    if game.challenger == Role::Honest {
        honest_time += started.elapsed();
    }
    let proposer = party_for("proposer", 0x11, &p, &[&proposer_run]);
    let challenger = party_for("challenger", 0x22, &p, &[&challenger_run]);
    let keeper = party_for("keeper", 0x33, &p, &[]);
    for who in [&proposer, &challenger, &keeper] {
        a.dispute_mut().chain.set_balance(who.address, rich);
    }
    let first_entry = a.log().len();
    let claim = bridge.propose(&mut a, &proposer, &proposer_run)?;
    let made = a.dispute().chain.timestamp();
    // Block by block, each side answers what it can.
    let mut idle = 0;
    while idle < 2 {
        let mut moved = false;
        for who in [&challenger, &proposer] {
            let honest = (who.name == "proposer" && game.proposer == Role::Honest)
                || (who.name == "challenger" && game.challenger == Role::Honest);
            if game.slow_liar && !honest {
                let now = a.dispute().chain.timestamp();
                if let Some(d) = a.next_deadline(Some(&who.name)) {
                    a.wait(d - now);
                }
            }
            let t = Instant::now();
            moved |= a.respond(who);
            if honest {
                honest_time += t.elapsed();
            }
            a.wait_block(game.block_time);
        }
        idle = if moved { 0 } else { idle + 1 };
    }
    let decided_at = if game.paths {
        a.settle_at_once(&keeper, &claim)
    } else {
        a.run_out_clocks(&keeper, &claim)
    };
    let duration = decided_at.map_or(u64::MAX, |t| t - made);
    let depth = a.depth(&claim);
    let status = a.status(&claim);

    let shape = Shape::of(&a, first_entry, &facts);
    // The bridge: finalize the output if it is True; otherwise the honest party claims the
    // right output and finalizes that.
    let mut done = bridge.finalize(&mut a, &proposer, &proposer_run);
    if !done {
        let honest_inputs = RollupInputs {
            claimed: right,
            ..inputs.clone()
        };
        let t = Instant::now();
        let run = record(&honest_inputs, Role::Honest, 0)?;
        honest_time += t.elapsed();
        let honest = party_for("challenger", 0x22, &p, &[&challenger_run, &run]);
        bridge.propose(&mut a, &honest, &run)?;
        a.wait(game.window + 1);
        a.settle(&keeper);
        done = bridge.finalize(&mut a, &honest, &run);
    }
    let finalized_right_root = done && bridge.finalized_right_root(&mut a)?;

    // Withdrawals: prove each account's `withdrawn` against the finalized root, then withdraw.
    let withdrawn = if finalized_right_root {
        bridge.withdraw_all(&mut a)
    } else {
        0
    };
    let transcript = a.render(&claim);
    let honest_hashes = match (game.proposer, game.challenger) {
        (Role::Honest, _) => proposer_run.hashes_computed(),
        (_, Role::Honest) => challenger_run.hashes_computed(),
        _ => 0,
    };
    Ok(RollupOutcome {
        steps: proposer_run.steps(),
        status,
        path: shape.path,
        onchain_steps: shape.onchain_steps,
        preimage_loads: shape.preimage_loads,
        move_gas: shape.move_gas,
        step_gas: shape.step_gas,
        dispute_gas: shape.dispute_gas,
        dispute_txs: shape.dispute_txs,
        finalized_right_root,
        withdrawn,
        honest_time,
        honest_hashes,
        duration,
        depth,
        transcript,
    })
}

/// What a dispute cost and its shape, read off the transcript from `first_entry` on.
pub(crate) struct Shape {
    pub(crate) dispute_gas: u64,
    pub(crate) dispute_txs: usize,
    pub(crate) onchain_steps: (usize, usize),
    pub(crate) step_gas: Vec<u64>,
    pub(crate) move_gas: Vec<u64>,
    pub(crate) preimage_loads: usize,
    pub(crate) path: Vec<u64>,
}

impl Shape {
    pub(crate) fn of(
        a: &Arena,
        first_entry: usize,
        facts: &crate::systems::rollup::TraceFacts,
    ) -> Shape {
        let dispute_log = &a.log()[first_entry..];
        let dispute_gas = dispute_log.iter().map(|e| e.gas).sum();
        let dispute_txs = dispute_log.len();
        let mut onchain_steps = (0, 0);
        let mut step_gas = Vec::new();
        let mut move_gas = Vec::new();
        let mut preimage_loads = 0;
        for e in dispute_log {
            let step = e.call.contains("witness mips_step(") && !e.call.contains("not witness");
            let is_step_tx =
                step && (e.call.starts_with("challenge") || e.call.starts_with("show"));
            if is_step_tx {
                if e.outcome == "ok" {
                    onchain_steps.0 += 1;
                } else {
                    onchain_steps.1 += 1;
                }
                step_gas.push(e.gas);
            } else if e.call.starts_with("challenge") && e.outcome == "ok" {
                move_gas.push(e.gas);
            } else if e.call.starts_with("load ") {
                preimage_loads += 1;
            }
        }
        // The step count a claim disputes: the `n` of a call into the trace group (`trace`,
        // `refuted` and `segments_hold` all take it fourth).
        let steps_of = |c: &Claim| -> Option<U256> {
            match c {
                Claim::Call { group, args, .. } if *group == facts.group => {
                    Some(U256::from_be_slice(args.get(3)?.as_lit()?))
                }
                _ => None,
            }
        };
        let mut path: Vec<(usize, u64)> = a
            .claims()
            .values()
            .filter_map(|c| {
                let n = steps_of(c)?;
                let id = format!("{:#x}", c.id());
                let at = a.log().iter().position(|e| e.call.contains(&id[..10]))?;
                Some((at, u64::try_from(n).ok()?))
            })
            .collect();
        path.sort();
        let mut path: Vec<u64> = path.into_iter().map(|(_, n)| n).collect();
        // A trace call and its unfolded negation dispute the same `n` (the sizes halve, so
        // two levels never share one).
        path.dedup();
        Shape {
            dispute_gas,
            dispute_txs,
            onchain_steps,
            step_gas,
            move_gas,
            preimage_loads,
            path,
        }
    }
}

/// The shape and cost of the dispute in `a`'s transcript from `first_entry` on, whose trace
/// calls are into `facts`' group.
pub(crate) fn steps_path(
    a: &Arena,
    first_entry: usize,
    facts: &crate::systems::rollup::TraceFacts,
) -> Shape {
    Shape::of(a, first_entry, facts)
}

/// The reference output of a game's batch (for checks): the state after it.
pub fn expected_state(game: &RollupGame) -> State {
    let (genesis, batch) = genesis_and_batch(game);
    let mut after = genesis;
    after.apply(&batch);
    after
}

/// The inputs of a game's honest output (for finding steps of its run).
pub fn honest_inputs(game: &RollupGame) -> RollupInputs {
    let (genesis, batch) = genesis_and_batch(game);
    RollupInputs::honest(&genesis, &batch)
}
