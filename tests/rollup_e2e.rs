//! Rollup outputs disputed end to end on the embedded EVM (`ogs::dispute::rollup`): a batch of
//! L2 transfers submitted to the bridge's L1 inbox, the rollup program (`tests/guests/src/
//! rollup.c`) run over more than a million steps, and the output claim
//! `output(prestate, ctx, prev, batch, claimed, final, n, k)` of `predicates/rollup.ogs`
//! disputed by a k-ary bisection (k = `DEFAULT_K` = 32):
//! - an honest proposer against a malicious challenger (which believes a wrong run) and a
//!   malicious proposer (claiming a wrong output root, a theft) against an honest challenger;
//! - the honest side wins both; at most ⌈log_k N⌉ bisection levels; exactly one MIPS step runs
//!   on chain (accepted for the honest proposer, refused for the lying one); the pre-image
//!   part that step reads is loaded on demand;
//! - the bridge finalizes only the right output root and pays the L2 withdrawals on L1;
//! - transcripts are snapshot-tested (`tests/snapshots/`).

use ogs::chain::Status;
use ogs::dispute::rollup::{expected_state, honest_inputs, play, Role, RollupGame, RollupOutcome};
use ogs::systems::rollup::program::oracle_read_steps;

/// ⌈log_k n⌉: the levels of a k-ary bisection of n steps.
fn ceil_log(n: u64, k: u64) -> usize {
    let (mut levels, mut span) = (0, 1u64);
    while span < n {
        span = span.saturating_mul(k);
        levels += 1;
    }
    levels
}

fn check_shape(g: &RollupOutcome, k: u64) {
    assert!(g.steps >= 1_000_000, "a run of {} steps", g.steps);
    assert!(
        g.levels() <= ceil_log(g.steps, k),
        "{} levels for N = {}, k = {k}",
        g.levels(),
        g.steps
    );
    assert_eq!(g.path.first(), Some(&g.steps), "{:?}", g.path);
    assert_eq!(g.path.last(), Some(&1), "ends at one step: {:?}", g.path);
    for w in g.path.windows(2) {
        let m = k.min(w[0]);
        assert!(w[1] == w[0].div_ceil(m) || w[1] == w[0] / m, "{:?}", g.path);
    }
    assert_eq!(
        g.onchain_steps.0 + g.onchain_steps.1,
        1,
        "exactly one MIPS step on chain"
    );
    assert!(g.finalized_right_root, "{}", g.transcript);
}

fn report(what: &str, g: &RollupOutcome) {
    println!(
        "{what}: N = {} steps, {:?}, {} levels, step accepted/refused {:?}, {} pre-image loads, \
         {} moves (max {} gas), step tx {:?} gas, dispute {} gas in {} txs, honest party {:.2?} \
         off-chain ({} state hashes), {} wei withdrawn",
        g.steps,
        g.status,
        g.levels(),
        g.onchain_steps,
        g.preimage_loads,
        g.move_gas.len(),
        g.move_gas.iter().max().unwrap_or(&0),
        g.step_gas,
        g.dispute_gas,
        g.dispute_txs,
        g.honest_time,
        g.honest_hashes,
        g.withdrawn
    );
}

fn withdrawals(game: &RollupGame) -> u128 {
    expected_state(game)
        .accounts
        .iter()
        .map(|a| u128::from(a.withdrawn))
        .sum()
}

/// The malicious challenger believes the run wrongly from the state after a step that reads
/// the pre-image oracle, so the one step executed on chain reads a pre-image part, which the
/// honest proposer loads on demand: a keccak256 pre-image (the state or the batch) and a local
/// input (through `MipsStep.loadLocalInputs`).
#[test]
fn honest_proposer_against_a_malicious_challenger() {
    let base = RollupGame::default();
    let reads = oracle_read_steps(&honest_inputs(&base), usize::MAX).expect("runs");
    assert!(reads.len() > 100, "{} oracle reads", reads.len());
    let cases = [
        (
            "keccak",
            reads[reads.len() / 2] + 1,
            "load keccak256 pre-image",
        ),
        ("local", reads[2] + 1, "load local input"),
    ];
    for (what, from, load) in cases {
        let game = RollupGame {
            proposer: Role::Honest,
            challenger: Role::Liar { from: Some(from) },
            ..base.clone()
        };
        let g = play(&game).expect("plays");
        report(
            &format!("honest proposer ({what} read at the disputed step)"),
            &g,
        );
        assert_eq!(g.status, Status::True, "{}", g.transcript);
        check_shape(&g, game.k);
        assert_eq!(g.onchain_steps, (1, 0));
        assert_eq!(g.preimage_loads, 1, "{}", g.transcript);
        assert!(g.transcript.contains(load), "{}", g.transcript);
        assert_eq!(g.withdrawn, withdrawals(&game));
        assert!(g.withdrawn > 0);
        insta::assert_snapshot!(format!("rollup_honest_proposer_{what}"), g.transcript);
    }
}

#[test]
fn malicious_proposer_against_an_honest_challenger() {
    let game = RollupGame {
        proposer: Role::Liar { from: None },
        challenger: Role::Honest,
        ..RollupGame::default()
    };
    let g = play(&game).expect("plays");
    report("malicious proposer", &g);
    assert_eq!(g.status, Status::False, "{}", g.transcript);
    check_shape(&g, game.k);
    assert_eq!(
        g.onchain_steps,
        (0, 1),
        "its one try at the last step is refused"
    );
    assert_eq!(g.withdrawn, withdrawals(&game));
    insta::assert_snapshot!("rollup_malicious_proposer", g.transcript);
}

/// Path moves (`challengePath`): the same games with each side moving through the opponent's
/// forced replies in one transaction. The honest side still wins both ways, the bisection has
/// the same levels, and it takes two accepted moves a level (six without; a few more at the
/// top and at the one-step bottom) and one `settleChain` transaction to settle, in fewer
/// transactions and for less gas. Every path move accepted on chain is one whose counter-claim
/// the contract computed to be the one the Rust side composed.
#[test]
fn path_moves_take_two_moves_a_level() {
    for (proposer, challenger, expected) in [
        (Role::Liar { from: None }, Role::Honest, Status::False),
        (Role::Honest, Role::Liar { from: None }, Status::True),
    ] {
        let base = RollupGame {
            accounts: 8,
            transfers: 6,
            proposer,
            challenger,
            ..RollupGame::default()
        };
        let plain = play(&base).expect("plays");
        let fast = play(&RollupGame {
            paths: true,
            ..base.clone()
        })
        .expect("plays");
        report("six moves a level", &plain);
        report("path moves", &fast);
        assert_eq!(plain.status, expected, "{}", plain.transcript);
        assert_eq!(fast.status, expected, "{}", fast.transcript);
        assert!(fast.finalized_right_root, "{}", fast.transcript);
        assert_eq!(fast.levels(), plain.levels());
        assert!(
            fast.move_gas.len() <= 2 * fast.levels() + 4,
            "{} moves for {} levels:\n{}",
            fast.move_gas.len(),
            fast.levels(),
            fast.transcript
        );
        assert!(plain.move_gas.len() >= 5 * plain.levels());
        assert!(fast.dispute_txs < plain.dispute_txs && fast.dispute_gas < plain.dispute_gas);
        // Settlement is one transaction: the claim, the moves, the step, at most one pre-image
        // load, one `settleChain`.
        assert!(
            fast.dispute_txs <= 1 + fast.move_gas.len() + 1 + 1 + 1,
            "{} transactions for {} moves:\n{}",
            fast.dispute_txs,
            fast.move_gas.len(),
            fast.transcript
        );
        assert_eq!(
            fast.transcript.matches("settle the chain").count(),
            1,
            "{}",
            fast.transcript
        );
    }
}

/// Sealing a full batch (4,096 transfers) costs under 5 M gas: the bridge keeps an inbox hash,
/// not the transfers, and the batch's bytes are the `seal` call's calldata (its data
/// availability). A batch that is not exactly the submitted transfers — one amount changed,
/// one transfer short, a wrong count in the header — is refused (`WrongBatch`); the right
/// one is then sealed.
#[test]
fn a_full_batch_seals_under_five_million_gas_and_only_as_submitted() {
    use alloy_primitives::{keccak256, Address, U256};
    use alloy_sol_types::{SolCall, SolInterface};
    use ogs::dispute::rollup::Bridge;
    use ogs::dispute::Arena;
    use ogs::systems::rollup::bridge::RollupBridge;
    use ogs::systems::rollup::{Batch, Gen, Transfer, MAX_TRANSFERS};

    let p = ogs::systems::rollup::program::program();
    let mut a = Arena::new(&p, U256::from(10u64.pow(16)), 3_600).expect("deploys");
    let mut gen = Gen::new(7);
    let genesis = gen.genesis(64, 1 << 40);
    let batch = gen.batch(&genesis, MAX_TRANSFERS, 0.2);
    assert_eq!(batch.transfers.len(), MAX_TRANSFERS);
    let operator = Address::repeat_byte(0xb0);
    a.dispute_mut()
        .chain
        .set_balance(operator, U256::from(10u128.pow(24)));
    let bridge = Bridge::open(&mut a, ("operator", operator), genesis, &batch).expect("opens");
    let seal = a
        .log()
        .iter()
        .rev()
        .find(|e| e.call == "seal the batch")
        .expect("sealed");
    println!(
        "seal of {} transfers: {} gas ({} bytes of calldata)",
        MAX_TRANSFERS,
        seal.gas,
        batch.encode().len()
    );
    assert!(seal.gas < 5_000_000, "{} gas", seal.gas);

    // The next batch: one transfer, sealed only as submitted.
    let t = Transfer {
        from: Address::repeat_byte(0x51).0 .0,
        to: Address::repeat_byte(0x52).0 .0,
        amount: 5,
        nonce: 0,
    };
    let chain = &mut a.dispute_mut().chain;
    let submit = RollupBridge::submitCall {
        to: Address::from(t.to),
        amount: t.amount,
        nonce: t.nonce,
    };
    let r = chain
        .send(
            Address::from(t.from),
            bridge.address,
            U256::ZERO,
            submit.abi_encode().into(),
        )
        .expect("submit");
    assert!(r.success);
    let right = Batch { transfers: vec![t] }.encode();
    let mut more = right.clone();
    more[61] ^= 1; // the amount's last byte
    let short = Batch { transfers: vec![] }.encode();
    let mut header = Batch {
        transfers: vec![t, t],
    }
    .encode();
    header.truncate(right.len());
    for bad in [more, short, header] {
        let r = chain
            .send(
                operator,
                bridge.address,
                U256::ZERO,
                RollupBridge::sealCall { batch: bad.into() }
                    .abi_encode()
                    .into(),
            )
            .expect("seal");
        assert!(
            !r.success,
            "a batch that is not the submitted one is refused"
        );
        let decoded = RollupBridge::RollupBridgeErrors::abi_decode(&r.output);
        assert!(
            matches!(decoded, Ok(RollupBridge::RollupBridgeErrors::WrongBatch(_))),
            "{decoded:?}"
        );
    }
    let r = chain
        .send(
            operator,
            bridge.address,
            U256::ZERO,
            RollupBridge::sealCall {
                batch: right.clone().into(),
            }
            .abi_encode()
            .into(),
        )
        .expect("seal");
    assert!(r.success);
    let hash = RollupBridge::batchHashCall { i: U256::from(1) }.abi_encode();
    let out = chain
        .call(operator, bridge.address, hash.into())
        .expect("call");
    assert_eq!(out.output.as_ref(), keccak256(&right).as_slice());
}
