//! The rollup guest (`tests/guests/src/rollup.c`) against the Rust reference transition
//! (`ogs::rollup`): for random genesis states and batches (valid, invalid and malformed
//! transfers, withdrawals, new accounts), the guest run in our VM exits 0 exactly when the
//! claimed output root is the reference's, and prints the reference's root and counts.

use ogs::fpvm::Vm;
use ogs::systems::rollup::{Batch, Gen, RollupInputs, State};
use proptest::prelude::*;

fn elf() -> Vec<u8> {
    let path = format!("{}/tests/guests/bin/rollup.elf", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs the guest; (exit code, stdout, steps).
fn run(elf: &[u8], inputs: &RollupInputs) -> (u8, String, u64) {
    let mut vm = Vm::from_elf(elf, inputs.oracle()).expect("loads");
    vm.run(200_000_000).expect("runs");
    assert!(vm.exited(), "the guest exits");
    (
        vm.exit_code().expect("exit code"),
        String::from_utf8_lossy(vm.stdout()).into_owned(),
        vm.step_count(),
    )
}

fn check(elf: &[u8], state: &State, batch_bytes: Vec<u8>, claimed: Option<[u8; 32]>) -> u64 {
    let mut next = state.clone();
    let applied = next.apply_bytes(&batch_bytes);
    let root = next.root();
    let inputs = RollupInputs {
        state: state.encode(),
        batch: batch_bytes,
        claimed: claimed.unwrap_or(root),
    };
    let (code, out, steps) = run(elf, &inputs);
    let want = format!(
        "rollup: accounts {} transfers {} applied {} rejected {}\nroot 0x{}\n",
        next.accounts.len(),
        applied.applied + applied.rejected,
        applied.applied,
        applied.rejected,
        hex::encode(root)
    );
    assert!(out.starts_with(&want), "guest printed\n{out}\nwant\n{want}");
    assert_eq!(code == 0, inputs.claim_is_right(), "{out}");
    assert_eq!(code, if claimed.is_none() { 0 } else { 1 });
    steps
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn guest_matches_the_reference(seed in any::<u64>(), accounts in 1usize..24, transfers in 0usize..48, invalid in 0.0f64..0.6) {
        let elf = elf();
        let mut g = Gen::new(seed);
        let state = g.genesis(accounts, 1 << 40);
        let batch = g.batch(&state, transfers, invalid);
        check(&elf, &state, batch.encode(), None);
        let wrong = ogs::fpvm::keccak256(&seed.to_be_bytes());
        check(&elf, &state, batch.encode(), Some(wrong));
    }
}

#[test]
fn malformed_batches_apply_as_empty_and_bad_states_exit_1() {
    let elf = elf();
    let mut g = Gen::new(3);
    let state = g.genesis(5, 1000);
    let batch = g.batch(&state, 6, 0.0).encode();
    let mut short = batch.clone();
    short.pop();
    let mut magic = batch.clone();
    magic[0] = b'X';
    for bad in [short, magic, Vec::new()] {
        check(&elf, &state, bad, None);
    }
    // A previous state that is not a state: no claimed root is right.
    let inputs = RollupInputs {
        state: b"not a state".to_vec(),
        batch: Batch::default().encode(),
        claimed: [0; 32],
    };
    assert_eq!(run(&elf, &inputs).0, 1);
    assert!(!inputs.claim_is_right());
}

#[test]
fn steps_grow_with_the_state_and_the_batch() {
    let elf = elf();
    let mut g = Gen::new(9);
    let mut last = 0;
    for (accounts, transfers) in [(4, 4), (16, 16), (32, 40)] {
        let state = g.genesis(accounts, 1 << 30);
        let batch = g.batch(&state, transfers, 0.2);
        let steps = check(&elf, &state, batch.encode(), None);
        println!("{accounts} accounts, {transfers} transfers: {steps} steps");
        assert!(steps > last);
        last = steps;
    }
    assert!(
        last > 1_000_000,
        "the end-to-end size runs over a million steps"
    );
}
