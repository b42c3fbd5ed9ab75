//! Benchmarks of the claim language and the evaluator.
//!
//! ```sh
//! cargo bench --bench lang
//! ```
//!
//! - `parse_check/…`: parse + check a generated file of many definitions (throughput in bytes/s);
//! - `decide/channel_exit_1m`: decide a channel exit against local information
//!   holding 1,000,000 known updates of the channel.

use alloy_primitives::{keccak256, Address, B256, U256};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ogs::lang::check_source;
use ogs::lang::parser::parse_file;
use ogs::logic::crypto::{address_of, signing_key};
use ogs::logic::{Evaluator, LocalInfo};
use ogs::systems::channel::ChannelKnowledge;
use ogs::systems::channel::{channel_update, sign_update, ChannelInfo, KnownUpdate};
use std::hint::black_box;

/// A file of `n` definitions exercising every construct.
fn generated(n: usize) -> String {
    let mut s = String::from("use \"channel.ogs\";\nstruct Pair { a: uint256, b: bytes32 }\n");
    for i in 0..n {
        s.push_str(&format!(
            "// definition {i}\n\
             def d{i}(p: Pair, u: ChannelUpdate, h: bytes32) :=\n    \
             (lt(p.a, {i}) and eq(p.b, 0x{i:064x})) or (not witness preimage(h) and \
             forall x in below(16): exists y in range(x, 0x20): lt(x, y) and channel_exit(u));\n"
        ));
    }
    s
}

fn parse_check(c: &mut Criterion) {
    let registry = ogs::systems::standard();
    let mut g = c.benchmark_group("parse_check");
    let src = generated(2_000);
    g.throughput(Throughput::Bytes(src.len() as u64));
    g.bench_function("parse_2000_defs", |b| {
        b.iter(|| {
            let (f, d) = parse_file(black_box(&src), 0);
            assert!(d.is_empty());
            f
        })
    });
    g.bench_function("parse_and_check_2000_defs", |b| {
        b.iter(|| {
            check_source("gen.ogs", black_box(&src), &registry)
                .map(|p| p.defs.len())
                .unwrap_or(0)
        })
    });
    g.finish();
}

fn decide_channel(c: &mut Criterion) {
    let registry = ogs::systems::standard();
    let program = check_source("bench.ogs", "use \"channel.ogs\";", &registry)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let keys: Vec<_> = (1..=2u8)
        .map(|i| signing_key(keccak256([i]).as_slice()).unwrap_or_else(|| panic!("key")))
        .collect();
    let parts: Vec<Address> = keys.iter().map(|k| address_of(k.verifying_key())).collect();
    let channel = B256::repeat_byte(7);
    const N: u64 = 1_000_000;
    // One million known updates. The latest is fully signed with real keys;
    // the older ones carry no signatures (signing a million updates would
    // dominate the setup, and the decision never looks at them).
    let updates: Vec<KnownUpdate> = (1..=N)
        .map(|n| {
            let value = channel_update(channel, U256::from(n), keccak256(n.to_be_bytes()), &parts);
            let signatures = if n == N {
                keys.iter()
                    .map(|k| Some(sign_update(k, &value).to_vec()))
                    .collect()
            } else {
                vec![None, None]
            };
            KnownUpdate {
                nonce: U256::from(n),
                value,
                signatures,
            }
        })
        .collect();
    let mut info = LocalInfo::new();
    info.add_own(parts[0]);
    info.set_channel(
        channel,
        ChannelInfo {
            participants: parts.clone(),
            complete: true,
            updates,
        },
    );
    let show = |u: &ogs::logic::value::Value| {
        ogs::logic::value::Value::display(u, Some(&ogs::systems::channel::update_type()))
    };
    let latest = channel_update(channel, U256::from(N), keccak256(N.to_be_bytes()), &parts);
    let stale = channel_update(
        channel,
        U256::from(N / 2),
        keccak256((N / 2).to_be_bytes()),
        &parts,
    );
    let exit_latest = program
        .compile_claim(&format!("channel_exit({})", show(&latest)))
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let exit_stale = program
        .compile_claim(&format!("channel_exit({})", show(&stale)))
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let ev = Evaluator::new(&registry, &program, &info);
    assert_eq!(ev.decide(&exit_latest).map(|v| v.label()), Ok("true"));
    assert_eq!(ev.decide(&exit_stale).map(|v| v.label()), Ok("false"));
    let mut g = c.benchmark_group("decide");
    g.sample_size(20);
    g.bench_function("channel_exit_1m_latest_true", |b| {
        b.iter(|| ev.decide(black_box(&exit_latest)))
    });
    g.bench_function("channel_exit_1m_stale_false", |b| {
        b.iter(|| ev.decide(black_box(&exit_stale)))
    });
    g.finish();
}

criterion_group!(benches, parse_check, decide_channel);
criterion_main!(benches);
