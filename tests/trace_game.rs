//! Trace games over `spin.elf` (`ogs::dispute::trace_game`, issue 13): `trace(ctx, s0, sN, N, k)`
//! disputed k-ary with path moves on the embedded EVM.
//! - the honest side wins whoever lies: a proposer with a made-up end state, a proposer whose
//!   split hashes are made up from the middle of the run on, a challenger that believes a
//!   wrong run; the evaluator's verdict is the decision on chain;
//! - at most ⌈log_k N⌉ levels, each segment ⌊n/k⌋ or ⌈n/k⌉ steps, two moves a level, exactly
//!   one MIPS step on chain, one `settleChain`;
//! - `docs/trace-report.md` and the README's table are what `ogs trace-report` prints now
//!   (the games are deterministic; only the times differ).

use ogs::chain::Status;
use ogs::dispute::trace_game::{gas_table, play_trace, report, TraceGame, TraceOutcome, SPIN};
use ogs::systems::rollup::program::Role;

fn ceil_log(n: u64, k: u64) -> usize {
    let (mut levels, mut span) = (0, 1u64);
    while span < n {
        span = span.saturating_mul(k);
        levels += 1;
    }
    levels
}

fn check_shape(g: &TraceOutcome, n: u64, k: u64) {
    assert!(
        g.levels() <= ceil_log(n, k),
        "{} levels, N {n}, k {k}",
        g.levels()
    );
    assert_eq!(g.path.first(), Some(&n), "{:?}", g.path);
    assert_eq!(g.path.last(), Some(&1), "{:?}", g.path);
    for w in g.path.windows(2) {
        let m = k.min(w[0]);
        assert!(w[1] == w[0] / m || w[1] == w[0].div_ceil(m), "{:?}", g.path);
    }
    assert!(
        g.move_gas.len() <= 2 * g.levels() + 3,
        "{} moves for {} levels:\n{}",
        g.move_gas.len(),
        g.levels(),
        g.transcript
    );
    assert_eq!(g.onchain_steps.0 + g.onchain_steps.1, 1, "{}", g.transcript);
    assert_eq!(
        g.transcript.matches("settle the chain").count(),
        1,
        "{}",
        g.transcript
    );
}

#[test]
fn the_honest_side_wins_k_ary_games_whoever_lies() {
    let n = 1 << 16;
    for k in [2, 7, 32] {
        for (proposer, challenger, want) in [
            (Role::Liar { from: None }, Role::Honest, Status::False),
            // Made-up split hashes from the middle of the run on.
            (
                Role::Liar { from: Some(n / 3) },
                Role::Honest,
                Status::False,
            ),
            (
                Role::Honest,
                Role::Liar {
                    from: Some(n / 2 + 5),
                },
                Status::True,
            ),
            (Role::Honest, Role::Liar { from: Some(1) }, Status::True),
        ] {
            let game = TraceGame {
                steps: n,
                k,
                proposer,
                challenger,
                ..TraceGame::default()
            };
            let g = play_trace(SPIN, &game).expect("plays");
            assert_eq!(
                g.status, want,
                "k {k}, {proposer:?} / {challenger:?}:\n{}",
                g.transcript
            );
            let verdict = if want == Status::True {
                "true"
            } else {
                "false"
            };
            assert_eq!(g.verdict, verdict);
            check_shape(&g, n, k);
            let accepted = usize::from(want == Status::True);
            assert_eq!(g.onchain_steps.0, accepted, "{}", g.transcript);
        }
    }
}

/// The committed report's gas table, and the README's copy of it, are what the games give
/// now (every row is played again: the 2^30-step ones take about ten seconds each).
#[test]
fn the_trace_report_is_fresh() {
    let root = env!("CARGO_MANIFEST_DIR");
    let committed =
        std::fs::read_to_string(format!("{root}/docs/trace-report.md")).expect("report");
    let rows = report(&[10, 20, 30], &[2, 8, 16, 32]).expect("plays");
    let table = gas_table(&rows);
    assert!(
        committed.contains(&table),
        "docs/trace-report.md is stale: run `cargo run --release -- trace-report --out docs/trace-report.md`\nnow:\n{table}"
    );
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README");
    assert!(
        readme.contains(&table),
        "the README's trace table is stale:\n{table}"
    );
    for r in &rows {
        check_shape(&r.outcome, 1 << r.log_steps, r.k);
        assert_eq!(r.outcome.status, Status::False);
    }
}
