//! Trace games: `trace(ctx, s0, sN, N, k)` of `predicates/rollup.ogs` claimed over the first `N`
//! steps of a program and disputed by a k-ary bisection on the embedded EVM, with path moves
//! and one `settleChain` — the game a rollup output dispute plays, without the bridge around
//! it, so its cost can be measured for any `N` and `k` (`ogs trace-report`, issue 13's table).
//!
//! Each side records the run itself ([`VmTrace`]: one pass in fast mode, a snapshot every
//! `interval` steps) and moves with the evaluator from what it knows; the honest side's
//! moves are timed (evaluator, state hashes from snapshots, and the transaction on the
//! embedded EVM).

use super::rollup::{party_for, steps_path, RollupError};
use super::Arena;
use crate::chain::Status;
use crate::systems::rollup::program::{program, record_elf, ProgramError, Role};
use crate::systems::rollup::{trace_facts, VmTrace};
use alloy_primitives::{B256, U256};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The long-running guest (`tests/guests/src/spin.c`, 1,207,961,295 steps) trace games run by
/// default: long enough for a trace of 2^30 steps.
pub const SPIN: &[u8] = include_bytes!("../../tests/guests/bin/spin.elf");

/// A trace game to play.
#[derive(Clone, Debug)]
pub struct TraceGame {
    /// The claimed trace's step count `N` (the program must run at least this long).
    pub steps: u64,
    /// The branching factor `k`.
    pub k: u64,
    /// How the proposer plays (a liar claims a made-up state after `N` steps).
    pub proposer: Role,
    /// How the challenger plays (a liar believes made-up states from its step on).
    pub challenger: Role,
    /// Bond per claim (wei).
    pub bond: U256,
    /// Dispute window (seconds).
    pub window: u64,
    /// Seconds per block.
    pub block_time: u64,
    /// Snapshot interval of both sides' recorded runs (a state hash replays at most this
    /// many steps).
    pub interval: u64,
}

impl Default for TraceGame {
    fn default() -> Self {
        TraceGame {
            steps: 1 << 20,
            k: crate::systems::rollup::program::DEFAULT_K,
            proposer: Role::Liar { from: None },
            challenger: Role::Honest,
            bond: U256::from(10u64.pow(16)),
            window: 3_600,
            block_time: 12,
            interval: 1 << 14,
        }
    }
}

/// What a trace game showed.
#[derive(Debug)]
pub struct TraceOutcome {
    /// The claim's decision.
    pub status: Status,
    /// The honest side's verdict on the claim before the game (`true` / `false`).
    pub verdict: &'static str,
    /// Step counts of the disputed segments, the claim's `N` first, one per level.
    pub path: Vec<u64>,
    /// Gas of each accepted move but the one-step one.
    pub move_gas: Vec<u64>,
    /// Gas of the transactions from the claim to the settlement.
    pub dispute_gas: u64,
    /// Transactions from the claim to the settlement.
    pub dispute_txs: usize,
    /// MIPS steps run on chain: (accepted, refused).
    pub onchain_steps: (usize, usize),
    /// The honest side's time to record its run (fast mode, snapshots).
    pub record_time: Duration,
    /// The honest side's time for each move it made.
    pub move_times: Vec<Duration>,
    /// State hashes the honest side computed.
    pub honest_hashes: usize,
    /// Wall time of the whole game (both recordings included).
    pub wall: Duration,
    /// The transcript.
    pub transcript: String,
}

impl TraceOutcome {
    /// Bisection levels played.
    pub fn levels(&self) -> usize {
        self.path.len().saturating_sub(1)
    }
}

/// Records `steps` steps of `elf` as `role` believes them.
fn record(
    elf: &[u8],
    steps: u64,
    interval: u64,
    role: Role,
    salt: u64,
) -> Result<Arc<VmTrace>, RollupError> {
    let t = record_elf(elf, steps, interval)?;
    if t.steps() < steps {
        return Err(RollupError::Program(ProgramError::TooShort {
            steps: t.steps(),
            wanted: steps,
        }));
    }
    Ok(Arc::new(match role {
        Role::Honest => t,
        Role::Liar { from } => {
            let from = from.unwrap_or(steps).clamp(1, steps.max(1));
            t.believing_wrong_from(from, salt)
        }
    }))
}

/// Plays `game` over the program `elf` (see the module docs).
pub fn play_trace(elf: &[u8], game: &TraceGame) -> Result<TraceOutcome, RollupError> {
    let started = Instant::now();
    let p = program();
    let facts = trace_facts(&p).ok_or(RollupError::Program(ProgramError::NoTrace))?;
    let honest_is_proposer = game.proposer == Role::Honest;
    let t = Instant::now();
    let proposer_run = record(elf, game.steps, game.interval, game.proposer, 0x9e37)?;
    let mut record_time = if honest_is_proposer {
        t.elapsed()
    } else {
        Duration::ZERO
    };
    let t = Instant::now();
    let challenger_run = record(elf, game.steps, game.interval, game.challenger, 0x7f4a)?;
    if game.challenger == Role::Honest {
        record_time += t.elapsed();
    }
    let (s0, end) = (proposer_run.start(), proposer_run.end());
    let claim = p
        .compile_claim(&format!(
            "trace({:#x}, {s0:#x}, {end:#x}, {}, {})",
            B256::ZERO,
            game.steps,
            game.k
        ))
        .map_err(|e| RollupError::Program(ProgramError::Claim(e)))?;

    let mut a = Arena::new(&p, game.bond, game.window)?;
    a.set_paths(true);
    let proposer = party_for("proposer", 0x11, &p, &[&proposer_run]);
    let challenger = party_for("challenger", 0x22, &p, &[&challenger_run]);
    let keeper = party_for("keeper", 0x33, &p, &[]);
    let honest = if honest_is_proposer {
        &proposer
    } else {
        &challenger
    };
    let verdict = crate::logic::Evaluator::new(&p.registry, &p, &honest.info)
        .decide(&claim)
        .map(|v| v.label())
        .unwrap_or("unknown");
    let rich = U256::from(10u128.pow(24));
    for who in [&proposer, &challenger, &keeper] {
        a.dispute_mut().chain.set_balance(who.address, rich);
    }
    let first_entry = a.log().len();
    a.claim(&proposer, &claim)?;
    let mut move_times = Vec::new();
    let mut idle = 0;
    while idle < 2 {
        let mut moved = false;
        for who in [&challenger, &proposer] {
            let t = Instant::now();
            let m = a.respond(who);
            if who.address == honest.address && m {
                move_times.push(t.elapsed());
            }
            moved |= m;
            a.wait_block(game.block_time);
        }
        idle = if moved { 0 } else { idle + 1 };
    }
    a.settle_at_once(&keeper, &claim);
    let status = a.status(&claim);
    let shape = steps_path(&a, first_entry, &facts);
    let honest_run = if honest_is_proposer {
        &proposer_run
    } else {
        &challenger_run
    };
    Ok(TraceOutcome {
        status,
        verdict,
        path: shape.path,
        move_gas: shape.move_gas,
        dispute_gas: shape.dispute_gas,
        dispute_txs: shape.dispute_txs,
        onchain_steps: shape.onchain_steps,
        record_time,
        move_times,
        honest_hashes: honest_run.hashes_computed(),
        wall: started.elapsed(),
        transcript: a.render(&claim),
    })
}

/// One row of the trace report: a lying proposer's game over `2^log_steps` steps of [`SPIN`]
/// with branching factor `k`, won by the honest challenger.
#[derive(Debug)]
pub struct ReportRow {
    /// log2 of the claimed step count.
    pub log_steps: u32,
    /// The branching factor.
    pub k: u64,
    /// The game.
    pub outcome: TraceOutcome,
}

/// The FaultDisputeGame's worst case the report compares with (issue 13's anchor): 73 levels
/// of one move (~158,000 gas) and one subgame resolution (~60,000 gas) each.
pub const FDG_WORST_CASE_GAS: u64 = 73 * (158_000 + 60_000);

/// Plays a lying proposer against an honest challenger over `2^n` steps of [`SPIN`] for every
/// `n` in `log_steps` and every `k` in `ks`. Refuses a game the honest side does not win.
pub fn report(log_steps: &[u32], ks: &[u64]) -> Result<Vec<ReportRow>, RollupError> {
    let mut rows = Vec::new();
    for &n in log_steps {
        for &k in ks {
            let game = TraceGame {
                steps: 1u64 << n,
                k,
                ..TraceGame::default()
            };
            let outcome = play_trace(SPIN, &game)?;
            if outcome.status != Status::False {
                return Err(RollupError::HonestLost {
                    steps: game.steps,
                    k,
                    transcript: outcome.transcript,
                });
            }
            rows.push(ReportRow {
                log_steps: n,
                k,
                outcome,
            });
        }
    }
    Ok(rows)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// The gas table of `rows` (what the README copies; deterministic).
pub fn gas_table(rows: &[ReportRow]) -> String {
    let mut md = String::from(
        "| N | k | levels | moves | transactions | gas, claim to settlement | mean move | largest move |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let o = &r.outcome;
        let mean_move: u64 = o.move_gas.iter().sum::<u64>() / o.move_gas.len().max(1) as u64;
        md.push_str(&format!(
            "| 2^{} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.log_steps,
            r.k,
            o.levels(),
            o.move_gas.len() + o.onchain_steps.0 + o.onchain_steps.1,
            o.dispute_txs,
            thousands(o.dispute_gas),
            thousands(mean_move),
            thousands(o.move_gas.iter().copied().max().unwrap_or(0)),
        ));
    }
    md
}

/// The whole report (Markdown): the gas table, then this machine's times.
pub fn markdown(rows: &[ReportRow]) -> String {
    let mut md = String::from(
        "# Trace bisection report\n\n\
         Generated by `cargo run --release -- trace-report --out docs/trace-report.md`; do not edit.\n\
         Each row is a game played on the embedded EVM (revm, `cancun`): the proposer claims\n\
         `trace(ctx, s0, sN, N, k)` (`predicates/rollup.ogs`) over the first N steps of\n\
         `tests/guests/bin/spin.elf` with a made-up sN; the honest challenger bisects k-ary with\n\
         path moves (two a level) down to one MIPS step, whose proof the proposer cannot give;\n\
         one `settleChain` decides and pays out every claim. Gas is what the senders pay\n\
         (21,000 intrinsic + calldata + execution − refunds), every transaction from the claim\n\
         to the settlement included; \"moves\" counts every accepted move, the one-step one too\n\
         (a level is two: the proposer's split and the challenger's pick), \"mean move\" and\n\
         \"largest move\" are over the moves before the one-step one.\n\n",
    );
    md.push_str(&gas_table(rows));
    md.push_str(&format!(
        "\nFor comparison, the OP Stack FaultDisputeGame's worst case is 73 levels of one move\n\
         (~158,000 gas) plus one subgame resolution (~60,000 gas) each: ~{} gas.\n\n\
         ## Off-chain time (this machine when generated; not checked)\n\n\
         The honest challenger records the run once (fast mode, a snapshot every {} steps) and\n\
         computes each move from snapshots; a move's time includes its evaluator, the state\n\
         hashes it needs and its transaction on the embedded EVM.\n\n\
         | N | k | record the run | honest move, mean | honest move, max | state hashes | whole game |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
        thousands(FDG_WORST_CASE_GAS),
        thousands(TraceGame::default().interval),
    ));
    for r in rows {
        let o = &r.outcome;
        let n = o.move_times.len().max(1) as u32;
        let mean = o.move_times.iter().sum::<Duration>() / n;
        let max = o.move_times.iter().max().copied().unwrap_or_default();
        md.push_str(&format!(
            "| 2^{} | {} | {} | {} | {} | {} | {:.1} s |\n",
            r.log_steps,
            r.k,
            millis(o.record_time),
            millis(mean),
            millis(max),
            o.honest_hashes,
            o.wall.as_secs_f64()
        ));
    }
    md
}
