//! Rollup output disputes on the embedded EVM: the MIPS fault-proof VM behind a rollup's
//! claimed output, disputed by a k-ary bisection (k = 32, two moves a level, each side moving
//! through the other's forced replies) down to one on-chain step, settled in one transaction.
//!
//! ```sh
//! cargo run --release --example rollup_dispute            # summaries
//! cargo run --release --example rollup_dispute -- --full  # plus both whole transcripts
//! ```
//!
//! 32 L2 accounts, 40 transfers submitted to the bridge's L1 inbox; the rollup program
//! (`tests/guests/src/rollup.c`) runs about 2 million MIPS steps on them.
//! 1. An honest proposer claims the right output; a malicious challenger (believing a wrong
//!    run) bisects it down to one step, which the `MIPS` contract runs: the output is True,
//!    the bridge finalizes it and pays the L2 withdrawals.
//! 2. A malicious proposer claims a wrong output root (a theft); the honest challenger bisects
//!    down to the step the proposer cannot prove: the claim is False, the bridge refuses it,
//!    and the challenger's right output is finalized instead.
//!
//! The cost of a whole dispute as a function of N and k comes from games played over up to
//! 2^30 steps: `cargo run --release -- trace-report` (docs/trace-report.md).

use ogs::dispute::rollup::{honest_inputs, play, Role, RollupGame, RollupOutcome};
use ogs::systems::rollup::program::oracle_read_steps;

fn summary(what: &str, g: &RollupOutcome, k: u64) {
    println!("== {what}");
    println!(
        "   output claim decided {:?}; right root finalized by the bridge: {}",
        g.status, g.finalized_right_root
    );
    println!(
        "   N = {} steps; {} bisection levels (⌈log_k N⌉ = {} for k = {k}); path {:?}",
        g.steps,
        g.levels(),
        ceil_log(g.steps, k),
        g.path
    );
    println!(
        "   MIPS steps on chain: {} accepted, {} refused; pre-image parts loaded on demand: {}",
        g.onchain_steps.0, g.onchain_steps.1, g.preimage_loads
    );
    let moves: u64 = g.move_gas.iter().sum();
    println!(
        "   {} bisection moves: {} gas in all, mean {}, max {}; step transaction {:?} gas",
        g.move_gas.len(),
        moves,
        moves / g.move_gas.len().max(1) as u64,
        g.move_gas.iter().max().unwrap_or(&0),
        g.step_gas
    );
    println!(
        "   whole dispute (claim to settlement): {} gas in {} transactions",
        g.dispute_gas, g.dispute_txs
    );
    println!(
        "   honest party off-chain: {:.2?} (running the program included), {} state hashes of {}",
        g.honest_time,
        g.honest_hashes,
        g.steps + 1
    );
    println!("   withdrawn on L1: {} wei", g.withdrawn);
    println!();
}

fn ceil_log(n: u64, k: u64) -> u32 {
    let (mut levels, mut span) = (0, 1u64);
    while span < n {
        span = span.saturating_mul(k);
        levels += 1;
    }
    levels
}

fn main() -> anyhow::Result<()> {
    let full = std::env::args().any(|a| a == "--full");
    let base = RollupGame {
        paths: true,
        ..RollupGame::default()
    };
    // The liar challenger goes wrong right after a step that reads a keccak pre-image, so the
    // step executed on chain needs its pre-image part loaded first.
    let reads = oracle_read_steps(&honest_inputs(&base), usize::MAX)?;
    let from = reads.get(reads.len() / 2).map(|s| s + 1);
    let honest = play(&RollupGame {
        proposer: Role::Honest,
        challenger: Role::Liar { from },
        ..base.clone()
    })?;
    let theft = play(&RollupGame {
        proposer: Role::Liar { from: None },
        challenger: Role::Honest,
        ..base.clone()
    })?;
    // Time: a 7-day window and a liar that answers at the last second of every deadline.
    let week = 7 * 24 * 3600;
    for (what, proposer, challenger) in [
        ("lying proposer", Role::Liar { from: None }, Role::Honest),
        ("lying challenger", Role::Honest, Role::Liar { from: None }),
    ] {
        let slow = play(&RollupGame {
            proposer,
            challenger,
            window: week,
            slow_liar: true,
            ..base.clone()
        })?;
        let bound = ogs::chain::Clock::bound(0, week, slow.depth);
        println!(
            "== W = 7 days, maximally slow {what}: decided after {:.2} days ({} claims deep; bound 2W + D·E = {:.2} days)",
            slow.duration as f64 / 86_400.0,
            slow.depth,
            bound as f64 / 86_400.0
        );
    }
    println!();
    summary("1. honest proposer, malicious challenger", &honest, base.k);
    summary(
        "2. malicious proposer (wrong output root), honest challenger",
        &theft,
        base.k,
    );
    if full {
        println!("== transcript 1\n{}", honest.transcript);
        println!("== transcript 2\n{}", theft.transcript);
    } else {
        let tail: Vec<&str> = theft.transcript.lines().rev().take(14).collect();
        println!("== the end of transcript 2 (--full for both whole transcripts)");
        for l in tail.into_iter().rev() {
            println!("{l}");
        }
        println!();
    }
    Ok(())
}
