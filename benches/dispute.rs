//! Simulated disputes per second: many channel exits disputed at once in one
//! arena on the embedded EVM (claim, counter-claim with signatures, timeout,
//! contradiction, payouts).
//!
//! ```sh
//! cargo bench --bench dispute
//! ```

use alloy_primitives::{keccak256, Address, U256};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ogs::dispute::{Arena, Party};
use ogs::lang::check_source;
use ogs::logic::crypto::{address_of, signing_key};
use ogs::logic::LocalInfo;
use ogs::systems::channel::ChannelKnowledge;
use ogs::systems::channel::{channel_update, sign_update, update_type, ChannelInfo, KnownUpdate};

/// `n` stale exits (one per channel), each defeated by the later signed update.
fn disputes(n: usize) -> usize {
    let registry = ogs::systems::standard();
    let p = check_source("bench.ogs", "use \"channel.ogs\";", &registry)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let keys: Vec<_> = (0..2u8)
        .map(|i| signing_key(keccak256([i, 9]).as_slice()).unwrap_or_else(|| panic!("key")))
        .collect();
    let parts: Vec<Address> = keys.iter().map(|k| address_of(k.verifying_key())).collect();
    let mut bob_info = LocalInfo::new();
    let mut stale = Vec::new();
    for c in 0..n {
        let channel = keccak256((c as u64).to_be_bytes());
        let update = |nonce: u64| {
            channel_update(channel, U256::from(nonce), keccak256([nonce as u8]), &parts)
        };
        let known = |nonce: u64| KnownUpdate {
            nonce: U256::from(nonce),
            value: update(nonce),
            signatures: keys
                .iter()
                .map(|k| Some(sign_update(k, &update(nonce)).to_vec()))
                .collect(),
        };
        bob_info.set_channel(
            channel,
            ChannelInfo {
                participants: parts.clone(),
                complete: true,
                updates: vec![known(1), known(2)],
            },
        );
        let text = format!("channel_exit({})", update(1).display(Some(&update_type())));
        stale.push(
            p.compile_claim(&text)
                .unwrap_or_else(|e| panic!("{}", e.render(false))),
        );
    }
    let mut a = Arena::new(&p, U256::from(1000u64), 600).unwrap_or_else(|e| panic!("{e}"));
    let alice = Party {
        name: "alice".into(),
        address: Address::repeat_byte(1),
        info: LocalInfo::new(),
    };
    let bob = Party {
        name: "bob".into(),
        address: Address::repeat_byte(2),
        info: bob_info,
    };
    for who in [&alice, &bob] {
        a.dispute_mut()
            .chain
            .set_balance(who.address, U256::from(10u128.pow(24)));
    }
    for c in &stale {
        let _ = a.claim(&alice, c);
    }
    a.respond(&bob);
    a.wait(601);
    a.settle(&bob);
    stale
        .iter()
        .filter(|c| a.status(c) == ogs::chain::Status::False)
        .count()
}

fn bench(c: &mut Criterion) {
    assert_eq!(disputes(10), 10);
    let mut g = c.benchmark_group("dispute");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1000));
    g.bench_function("channel_exits_1000_concurrent", |b| {
        b.iter(|| disputes(1000))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
