//! FPVM benchmarks: fast-mode instructions/s, witness-mode cost per step, and the memory root
//! after touching 100 MB.
//!
//! Run with `cargo bench --bench fpvm`.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ogs::fpvm::{Memory, MemoryOracle, State, Vm};

/// The compute-heavy guest if present, else a hand-assembled loop.
fn program() -> Vm {
    let p = PathBuf::from(file!())
        .parent()
        .and_then(|d| d.parent())
        .map(|d| d.join("tests/guests/bin/bench.elf"));
    if let Some(elf) = p.and_then(|p| std::fs::read(p).ok()) {
        if let Ok(vm) = Vm::from_elf(&elf, MemoryOracle::new()) {
            return vm;
        }
    }
    loop_program()
}

/// An endless loop mixing ALU ops, a load and a store: t0 = 0; loop: t1 += t0 * 3; sw; lw; ...
fn loop_program() -> Vm {
    let code: [u32; 9] = [
        0x2408_0000, // addiu t0, zero, 0
        0x3c10_0001, // lui s0, 1
        0x2508_0001, // loop: addiu t0, t0, 1
        0x0108_4821, // addu t1, t0, t0
        0x0128_4821, // addu t1, t1, t0
        0xae09_0000, // sw t1, 0(s0)
        0x8e0a_0000, // lw t2, 0(s0)
        0x1000_fffa, // b loop (beq zero, zero, -6)
        0x0149_5826, // xor t3, t2, t1 (delay slot)
    ];
    let mut mem = Memory::new();
    for (i, w) in code.iter().enumerate() {
        mem.store_word(4 * i as u32, *w);
    }
    let state = State {
        pc: 0,
        next_pc: 4,
        ..State::default()
    };
    Vm::from_parts(state, mem, MemoryOracle::new())
}

fn fast_mode(c: &mut Criterion) {
    const STEPS: u64 = 20_000_000;
    let mut g = c.benchmark_group("fast_mode");
    g.sample_size(10);
    g.throughput(Throughput::Elements(STEPS));
    g.bench_function("instructions", |b| {
        b.iter_batched(
            program,
            |mut vm| {
                vm.run(STEPS).expect("no exception");
                vm
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn witness_mode(c: &mut Criterion) {
    let mut vm = program();
    vm.run(1_000_000).expect("no exception");
    let mut g = c.benchmark_group("witness_mode");
    g.throughput(Throughput::Elements(1));
    g.bench_function("step_with_witness", |b| {
        b.iter(|| vm.step_with_witness().expect("no exception"))
    });
    g.finish();
}

const HUNDRED_MB: u32 = 100 << 20;
const BASE: u32 = 0x1000_0000;

fn memory_root(c: &mut Criterion) {
    let mut g = c.benchmark_group("memory_root_100MB");
    g.sample_size(10);
    g.bench_function("one_word_per_page", |b| {
        b.iter_batched(
            || {
                let mut m = Memory::new();
                for a in (BASE..BASE + HUNDRED_MB).step_by(4096) {
                    m.store_word(a, a);
                }
                m
            },
            |mut m| m.merkle_root(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("every_word", |b| {
        b.iter_batched(
            || {
                let mut m = Memory::new();
                for a in (BASE..BASE + HUNDRED_MB).step_by(4) {
                    m.store_word(a, a | 1);
                }
                m
            },
            |mut m| m.merkle_root(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("incremental_one_page_after_100MB", |b| {
        let mut m = Memory::new();
        for a in (BASE..BASE + HUNDRED_MB).step_by(4) {
            m.store_word(a, a | 1);
        }
        m.merkle_root();
        let mut x = 0u32;
        b.iter(|| {
            x = x.wrapping_add(1);
            m.store_word(BASE + (x % 25_600) * 4096, x);
            m.merkle_root()
        })
    });
    g.finish();
}

criterion_group!(benches, fast_mode, witness_mode, memory_root);
criterion_main!(benches);
