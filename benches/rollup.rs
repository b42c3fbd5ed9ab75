//! The off-chain cost of a rollup output dispute for the honest party (~2 million MIPS steps):
//! recording its run of the rollup program, deciding the output claim (the first decision
//! computes the ~log2 N state hashes it needs), and a whole game played on the embedded EVM.
//!
//! ```sh
//! cargo bench --bench rollup
//! ```

use criterion::{criterion_group, criterion_main, Criterion};
use ogs::dispute::rollup::{honest_inputs, play, Role, RollupGame};
use ogs::logic::{Evaluator, LocalInfo};
use ogs::systems::rollup::program::{output_claim, prestate, program, record, DEFAULT_K};
use ogs::systems::rollup::TraceKnowledge;
use std::sync::Arc;

fn rollup(c: &mut Criterion) {
    let game = RollupGame::default();
    let inputs = honest_inputs(&game);
    let p = program();
    let pre = prestate().expect("prestate");
    let facts = ogs::systems::rollup::trace_facts(&p).expect("trace");
    let mut g = c.benchmark_group("rollup");
    g.sample_size(10);
    g.bench_function("record the run (fast mode + snapshots)", |b| {
        b.iter(|| record(&inputs, Role::Honest, 0).expect("runs"))
    });
    let liar = record(&inputs, Role::Liar { from: None }, 7).expect("runs");
    let claim = output_claim(&p, pre, &liar, DEFAULT_K).expect("claim");
    g.bench_function("decide a wrong output claim, fresh run", |b| {
        b.iter_batched(
            || record(&inputs, Role::Honest, 0).expect("runs"),
            |run| {
                let mut info = LocalInfo::new();
                info.add_vm_trace(run);
                info.add_call_oracle(Arc::new(facts));
                Evaluator::new(&p.registry, &p, &info)
                    .decide(&claim)
                    .expect("decides")
            },
            criterion::BatchSize::PerIteration,
        )
    });
    g.bench_function("play a whole game (malicious proposer)", |b| {
        b.iter(|| {
            play(&RollupGame {
                proposer: Role::Liar { from: None },
                challenger: Role::Honest,
                ..game.clone()
            })
            .expect("plays")
        })
    });
    g.finish();
}

criterion_group!(benches, rollup);
criterion_main!(benches);
