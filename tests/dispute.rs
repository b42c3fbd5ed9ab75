//! The dispute contract on the in-process EVM, played against the evaluator.

use alloy_primitives::{Address, B256, U256};
use ogs::chain::{Dispute, Status};
use ogs::dispute::how_of;
use ogs::lang::{check_source, Program};
use ogs::logic::crypto::{address_of, signing_key};
use ogs::logic::eval::{Evaluator, Verdict};
use ogs::logic::{Claim, LocalInfo};
use ogs::systems::channel::ChannelKnowledge;
use ogs::systems::channel::{channel_update, sign_update, ChannelInfo, KnownUpdate};

const BOND: u64 = 1_000_000_000_000_000; // 0.001 ether
const WINDOW: u64 = 3600;

fn key(n: u8) -> k256::ecdsa::SigningKey {
    signing_key(alloy_primitives::keccak256([n, 0x55]).as_slice()).expect("key")
}

fn addr(n: u8) -> Address {
    address_of(key(n).verifying_key())
}

fn setup() -> (Dispute, Address, Address) {
    let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let (alice, bob) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xb0));
    d.chain.set_balance(alice, U256::from(10u128.pow(20)));
    d.chain.set_balance(bob, U256::from(10u128.pow(20)));
    (d, alice, bob)
}

fn program() -> Program {
    check_source("t.ogs", "use \"channel.ogs\";", &ogs::systems::standard())
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn known(nonce: u64) -> KnownUpdate {
    let v = channel_update(
        B256::repeat_byte(0xc1),
        U256::from(nonce),
        B256::with_last_byte(nonce as u8),
        &[addr(1), addr(2)],
    );
    let sigs = [1u8, 2]
        .iter()
        .map(|k| Some(sign_update(&key(*k), &v).to_vec()))
        .collect();
    KnownUpdate {
        nonce: U256::from(nonce),
        value: v,
        signatures: sigs,
    }
}

fn exit_claim(p: &Program, nonce: u64) -> Claim {
    let v = known(nonce).value;
    let text = format!(
        "channel_exit({})",
        v.display(Some(&ogs::systems::channel::update_type()))
    );
    p.compile_claim(&text)
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

#[test]
fn stale_channel_exit_is_defeated_on_chain() {
    let p = program();
    let (mut d, alice, bob) = setup();
    let stale = exit_claim(&p, 5);
    let r = d.claim(alice, &stale).expect("claim");
    println!("claim gas {}", r.gas_used);
    // Bob knows update 7, fully signed: the evaluator gives him the counter-claim.
    let mut info = LocalInfo::new();
    info.set_channel(
        B256::repeat_byte(0xc1),
        ChannelInfo {
            participants: vec![addr(1), addr(2)],
            complete: true,
            updates: vec![known(5), known(7)],
        },
    );
    let v = Evaluator::new(&p.registry, &p, &info)
        .decide(&stale)
        .expect("decides");
    let Verdict::False {
        challenge,
        evidence,
    } = v
    else {
        panic!("{v:?}")
    };
    let witness = &evidence.witnesses[0].witness;
    let expected = d
        .counter_of(&stale, &how_of(&challenge.kind))
        .expect("view");
    assert_eq!(
        expected,
        challenge.counter.encode(),
        "contract and evaluator agree on the counter-claim"
    );
    let r = d
        .challenge(
            bob,
            &stale,
            &how_of(&challenge.kind),
            &challenge.counter,
            witness,
        )
        .expect("challenge");
    println!("challenge gas {}", r.gas_used);
    assert_eq!(
        d.status(challenge.counter.id()).expect("status"),
        Status::True
    );
    // The stale exit is False (at once, or by contradiction).
    if d.status(stale.id()).expect("status") != Status::False {
        d.decide_by_contradiction(bob, stale.id(), challenge.counter.id())
            .expect("contradiction");
    }
    assert_eq!(d.status(stale.id()).expect("status"), Status::False);
}

#[test]
fn unchallenged_exit_times_out_true() {
    let p = program();
    let (mut d, alice, _) = setup();
    let exit = exit_claim(&p, 9);
    d.claim(alice, &exit).expect("claim");
    let early = d.decide_by_timeout(alice, exit.id());
    assert!(early.is_err(), "no decision before the window");
    d.chain.advance(300, WINDOW + 1);
    let r = d.decide_by_timeout(alice, exit.id()).expect("timeout");
    println!("timeout gas {}", r.gas_used);
    assert_eq!(d.status(exit.id()).expect("status"), Status::True);
    let before = d.chain.balance(alice);
    d.payout(alice, exit.id()).expect("payout");
    d.withdraw(alice).expect("withdraw");
    assert_eq!(d.chain.balance(alice) - before, U256::from(BOND));
    assert_eq!(d.balance(), U256::ZERO);
}

/// The committed gas report is what the contracts cost now, and within the targets
/// (claim < 95,000 and timeout decision < 26,000 transaction gas).
#[test]
fn gas_report_is_fresh_and_within_targets() {
    let lines = ogs::dispute::gas::channel_report().expect("report runs");
    let committed = std::fs::read_to_string("contracts/gas-report.md").expect("committed report");
    assert_eq!(
        committed,
        ogs::dispute::gas::markdown(
            &lines,
            &ogs::dispute::gas::economics(&lines).expect("economics")
        ),
        "contracts/gas-report.md is stale: run `cargo run --release -- gas-report --out contracts/gas-report.md`"
    );
    let gas = |f: &str| {
        lines
            .iter()
            .find(|l| l.function == f)
            .map(|l| l.gas)
            .expect("measured")
    };
    // The README's table is the same rows, with thousands separators.
    let readme = std::fs::read_to_string("README.md").expect("README");
    for l in &lines {
        let row = format!("| {} | `{}` | {} |", l.action, l.function, thousands(l.gas));
        assert!(
            readme.contains(&row),
            "README.md's gas table is stale: expected the row {row}"
        );
    }
    // And its "Bonds and time" table is the report's.
    let table = &committed[committed
        .find("| figure | value |")
        .expect("bonds and time")..];
    assert!(
        readme.contains(table.trim()),
        "README.md's bonds-and-time table is stale: copy it from contracts/gas-report.md"
    );
    assert!(gas("claim") < 95_000, "claim costs {}", gas("claim"));
    assert!(
        gas("decideByTimeout") < 26_000,
        "timeout costs {}",
        gas("decideByTimeout")
    );
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `challengePath`: a move through the opponent's forced replies. Against `x() := eq(1, 1) and
/// (forall i in below(3): eq(i, 0))`, the path `[CONJUNCT 1, INSTANCE 1]` skips Alice's forced
/// re-assertion of the `forall` and posts `not eq(1, 0)` in one move; the contract's
/// `counterOfPath` is what `path_move` composed from Bob's evaluator, and one `settleChain`
/// decides `x()` False and pays Bob once the counter-claim's window has passed. Malformed paths are refused by name: no step, a step
/// after a counter-claim that is not a NOT (the reply is not forced), a step on a witness claim.
#[test]
fn challenge_path_skips_forced_replies() {
    use ogs::chain::How;
    let (mut d, alice, bob) = setup();
    let p = check_source(
        "t.ogs",
        "def x() := eq(1, 1) and (forall i in below(3): eq(i, 0));\n\
         def y() := eq(1, 1) and not eq(2, 3);",
        &ogs::systems::standard(),
    )
    .unwrap_or_else(|e| panic!("{}", e.render(false)));
    d.know_groups(p.groups.values().map(|g| g.encoding.clone()));
    let x = p.compile_claim("x()").expect("compiles");
    let info = LocalInfo::new();
    let Ok(Verdict::False {
        challenge,
        evidence,
    }) = Evaluator::new(&p.registry, &p, &info).decide(&x)
    else {
        panic!("x() is False")
    };
    let m = ogs::dispute::path_move(&p, &info, &x, &challenge, &evidence, ogs::dispute::MAX_PATH);
    assert_eq!(m.steps.len(), 2, "{m:?}");
    assert_eq!(m.steps[1].how, 2, "an instance of the forall: {m:?}");
    assert!(
        p.show(&m.counter).starts_with("not witness eq("),
        "{}",
        p.show(&m.counter)
    );
    d.claim(alice, &x).expect("claim");
    assert_eq!(
        d.counter_of_path(&x, &m.steps).expect("counterOfPath"),
        m.counter.encode()
    );
    let why = |r: Result<ogs::chain::Receipt, ogs::chain::DisputeError>| match r {
        Err(ogs::chain::DisputeError::Reverted(why, _)) => why,
        other => panic!("expected a revert, got {other:?}"),
    };
    let bad = why(d.challenge_path(bob, &x, &[], &m.counter, &[]));
    assert!(bad.contains("BadPath"), "{bad}");
    let conjunct = |index| How {
        how: 1,
        index,
        ..How::default()
    };
    let y = p.compile_claim("y()").expect("compiles");
    d.claim(alice, &y).expect("claim");
    // y's conjunct 1 is `not eq(2, 3)`: its challenge is `eq(2, 3)`, no NOT to go through.
    let bad = why(d.challenge_path(bob, &y, &[conjunct(1), How::default()], &m.counter, &[]));
    assert!(bad.contains("PathNotForced"), "{bad}");
    // x's conjunct 0 is the witness claim `eq(1, 1)`: nothing challenges it.
    let bad = why(d.challenge_path(bob, &x, &[conjunct(0), How::default()], &m.counter, &[]));
    assert!(bad.contains("NoChallengeOfWitness"), "{bad}");
    d.challenge_path(bob, &x, &m.steps, &m.counter, &m.witness)
        .expect("the path move");
    // settleChain, deepest first: too early it decides nothing (and does not revert); once the
    // window has passed, one call decides the counter-claim True, `x()` False, and pays both
    // bonds to Bob, who opened the link.
    let chain = [m.counter.id(), x.id()];
    d.settle_chain(alice, &chain).expect("never reverts");
    assert_eq!(d.status(x.id()).expect("status"), Status::Undecided);
    d.chain.advance(1, WINDOW + 1);
    d.settle_chain(alice, &chain).expect("settles");
    assert_eq!(d.status(m.counter.id()).expect("status"), Status::True);
    assert_eq!(d.status(x.id()).expect("status"), Status::False);
    assert_eq!(d.credit(bob).expect("credit"), U256::from(2 * BOND));
    assert!(d.credit(alice).expect("credit").is_zero());
}
