//! The on-chain MIPS step (`contracts/src/fpvm/MIPS.sol`, with `PreimageOracle.sol`) against the
//! Rust VM (`src/fpvm`), on the in-process EVM.
//!
//! - `every_guest_step_matches_the_rust_vm`: every step of every guest in `tests/guests/bin`
//!   (except the 70-million-step `bench` and the 1.2-billion-step `spin`; each capped at [`MAX_STEPS_PER_GUEST`]) is proven
//!   on-chain from its witness; the contract's post-state hash must equal the Rust VM's. The
//!   pre-image parts the `oracle` guest reads (local inputs and keccak256 pre-images) are loaded
//!   into the on-chain oracle first. Prints the step total and gas per step (min/median/max,
//!   per instruction).
//! - `random_instructions_match_the_rust_vm`: random instruction words (valid and invalid), in
//!   and out of delay slots, with random registers and data: the contract returns exactly the
//!   Rust VM's post-state, or reverts exactly when the Rust VM raises an exception.
//! - `mutated_witnesses_never_prove_the_honest_step`: sampled steps of the guests with one
//!   state or proof byte changed. A changed byte of a proof the step uses always reverts; of
//!   the unused proof, it changes nothing. A changed state byte reverts or gives exactly the
//!   Rust VM's post-state of the changed state, and gives the honest post-state only when the
//!   Rust VM agrees (the byte is overwritten by the step, e.g. the destination register).
//! - `forged_and_invalid_witnesses_revert`, `preimage_oracle_rules`: forged proofs, wrong
//!   pre-image data, local data of another context or caller, `exited = 2`, reads past the end
//!   of a pre-image, unsupported instructions (rotr, rotrv, …).
//! - `gas_split`: gas of an exited step, an addu, a lw and a sw, to split a step's gas into
//!   calldata, proof hashing and execution.
//!
//! Spec: `docs/fpvm.md` and `specs/fault-proof/cannon-fault-proof-vm.md`
//! (ethereum-optimism/specs, commit 1c3133d).

use crate::asm;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use asm::*;
use ogs::chain::Chain;
use ogs::fpvm::insn::{decode, Op};
use ogs::fpvm::memory::proof_word;
use ogs::fpvm::state::state_hash_of;
use ogs::fpvm::vm::Snapshot;
use ogs::fpvm::{
    keccak_key, local_key, Memory, MemoryOracle, State, StepWitness, Vm, PROOF_SIZE, STATE_SIZE,
};
use ogs::systems::rollup::onchain::{
    intrinsic_gas, onchain_key, revert_reason, Fpvm, FpvmError, PreimageOracle,
};

/// Steps proven per guest at most.
const MAX_STEPS_PER_GUEST: u64 = 400_000;
/// Guests not run on-chain (`bench` runs ~70 million steps, `spin` 1.2 billion).
const SKIPPED: &[&str] = &["bench", "spin"];
/// The account that loads local data and calls `step` (the dispute, in a real deployment).
const CALLER: Address = Address::repeat_byte(0xd1);
/// The dispute's local context.
const LOCAL_CONTEXT: B256 = B256::repeat_byte(0xc7);

// ----------------------------------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------------------------------

/// splitmix64: a small deterministic generator (no dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn u32(&mut self) -> u32 {
        (self.next() >> 32) as u32
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
    fn nonzero_u8(&mut self) -> u8 {
        (self.below(255) + 1) as u8
    }
}

fn guests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guests")
}

/// Every `bin/*.elf` except [`SKIPPED`], sorted by name.
fn guest_names() -> Vec<String> {
    let bin = guests_dir().join("bin");
    let mut names: Vec<String> = fs::read_dir(&bin)
        .unwrap_or_else(|e| panic!("reading {}: {e}", bin.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "elf"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| !SKIPPED.contains(&n.as_str()))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "guests missing in {}", bin.display());
    names
}

/// The oracle of a guest: a guest with a `data/NAME.txt` (`oracle`, `rollup`) gets the local
/// inputs and keccak256 pre-images listed there (format: see `tests/guests/README.md`).
fn oracle_for(name: &str) -> MemoryOracle {
    let mut oracle = MemoryOracle::new();
    let path = guests_dir().join(format!("data/{name}.txt"));
    if !path.exists() {
        return oracle;
    }
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (head, payload) = line.split_once(':').expect("event line");
        let words: Vec<&str> = head.split_whitespace().collect();
        let data = match words.last() {
            Some(&"hex") => hex::decode(payload).expect("hex payload"),
            Some(&"text") => payload.as_bytes().to_vec(),
            _ => panic!("cannot parse {line:?}"),
        };
        match words.as_slice() {
            ["hint", "text"] => {}
            ["local", n, _] => {
                oracle.insert_local(n.parse().expect("local index"), data);
            }
            ["keccak", _] => {
                oracle.insert_keccak(data);
            }
            _ => panic!("cannot parse {line:?}"),
        }
    }
    oracle
}

fn guest_vm(name: &str) -> Vm {
    let elf = fs::read(guests_dir().join("bin").join(format!("{name}.elf"))).expect("guest ELF");
    Vm::from_elf(&elf, oracle_for(name)).expect("loadable ELF")
}

fn deployed() -> (Chain, Fpvm) {
    let mut chain = Chain::new();
    let fpvm = Fpvm::deploy(&mut chain, CALLER).expect("deploy");
    (chain, fpvm)
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// The instruction word a witness executes (from its instruction proof).
fn witness_insn(w: &StepWitness) -> u32 {
    proof_word(&w.insn_proof, be32(&w.state[68..]))
}

fn op_name(w: &StepWitness) -> &'static str {
    if w.state[89] == 1 {
        "(exited)"
    } else {
        decode(witness_insn(w)).mnemonic()
    }
}

/// What the contract answered.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Post(B256),
    Revert(String),
}

fn answer(r: Result<ogs::systems::rollup::onchain::StepOutcome, FpvmError>) -> Answer {
    match r {
        Ok(o) => Answer::Post(o.post_state_hash),
        Err(e @ FpvmError::Reverted { .. }) => Answer::Revert(e.to_string()),
        Err(e) => panic!("EVM failure: {e}"),
    }
}

fn step_on_chain(chain: &mut Chain, fpvm: &Fpvm, state: &[u8], proof: &[u8]) -> Answer {
    answer(fpvm.step(chain, CALLER, state, proof, LOCAL_CONTEXT))
}

/// The witness of a step the Rust VM rejects: its pre-state, the instruction proof and a zero
/// data proof (what a challenger would have to submit).
fn failing_witness(vm: &mut Vm) -> (Vec<u8>, Vec<u8>) {
    let state = vm.state().encode().to_vec();
    let pc = vm.pc();
    let mut proof = vm.memory_mut().proof(pc).to_vec();
    proof.extend_from_slice(&[0u8; PROOF_SIZE]);
    (state, proof)
}

#[derive(Clone, Copy, Debug)]
struct Stats {
    count: u64,
    min: u64,
    max: u64,
    sum: u64,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            count: 0,
            min: u64::MAX,
            max: 0,
            sum: 0,
        }
    }
}

impl Stats {
    fn add(&mut self, v: u64) {
        self.count += 1;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        self.sum += v;
    }
    fn merge(&mut self, o: &Stats) {
        self.count += o.count;
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
        self.sum += o.sum;
    }
    fn mean(&self) -> u64 {
        self.sum.checked_div(self.count).unwrap_or(0)
    }
}

fn median(v: &mut [u32]) -> u32 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

// ----------------------------------------------------------------------------------------------
// Every step of every guest
// ----------------------------------------------------------------------------------------------

struct GuestRun {
    name: String,
    steps: u64,
    exited: bool,
    /// Transaction gas per step.
    tx_gas: Vec<u32>,
    /// Execution gas (transaction gas minus intrinsic) per step.
    exec_gas: Vec<u32>,
    /// Execution gas by instruction.
    by_op: BTreeMap<&'static str, Stats>,
    parts_loaded: u64,
    load_gas: u64,
    secs: f64,
}

fn prove_guest(name: &str) -> GuestRun {
    let started = Instant::now();
    let (mut chain, fpvm) = deployed();
    let mut vm = guest_vm(name);
    let mut run = GuestRun {
        name: name.to_string(),
        steps: 0,
        exited: false,
        tx_gas: Vec::new(),
        exec_gas: Vec::new(),
        by_op: BTreeMap::new(),
        parts_loaded: 0,
        load_gas: 0,
        secs: 0.0,
    };
    while run.steps < MAX_STEPS_PER_GUEST && !vm.exited() {
        let w = vm
            .step_with_witness()
            .unwrap_or_else(|e| panic!("{name}: Rust VM exception at step {}: {e}", run.steps));
        if let Some(gas) = fpvm
            .load_step_preimage(&mut chain, CALLER, &w, LOCAL_CONTEXT)
            .unwrap_or_else(|e| panic!("{name}: loading the pre-image of step {}: {e}", w.step))
        {
            run.parts_loaded += 1;
            run.load_gas += gas;
        }
        let proof = w.proof_data();
        let out = fpvm
            .step(&mut chain, CALLER, &w.state, &proof, LOCAL_CONTEXT)
            .unwrap_or_else(|e| {
                panic!(
                    "{name}: step {} ({} {:#010x} at pc {:#010x}) reverted on-chain: {e}",
                    w.step,
                    op_name(&w),
                    witness_insn(&w),
                    be32(&w.state[68..])
                )
            });
        assert_eq!(
            out.post_state_hash,
            B256::from(w.post_state_hash),
            "{name}: step {} ({} {:#010x} at pc {:#010x}): contract and Rust VM disagree",
            w.step,
            op_name(&w),
            witness_insn(&w),
            be32(&w.state[68..])
        );
        let calldata = Fpvm::step_calldata(&w.state, &proof, LOCAL_CONTEXT);
        let exec = out.gas_used - intrinsic_gas(&calldata);
        run.tx_gas.push(out.gas_used as u32);
        run.exec_gas.push(exec as u32);
        run.by_op.entry(op_name(&w)).or_default().add(exec);
        run.steps += 1;
    }
    if vm.exited() {
        run.exited = true;
        // An exited state steps to itself, whatever the proofs.
        let w = vm.step_with_witness().expect("exited step");
        assert_eq!(w.post_state, w.state);
        let out = fpvm
            .step(&mut chain, CALLER, &w.state, &w.proof_data(), LOCAL_CONTEXT)
            .expect("exited step on-chain");
        assert_eq!(
            out.post_state_hash,
            B256::from(w.state_hash),
            "{name}: exited step"
        );
        let garbage = vec![0xA5u8; 2 * PROOF_SIZE];
        assert_eq!(
            step_on_chain(&mut chain, &fpvm, &w.state, &garbage),
            Answer::Post(B256::from(w.state_hash)),
            "{name}: an exited state ignores its proofs"
        );
    }
    run.secs = started.elapsed().as_secs_f64();
    run
}

#[test]
fn every_guest_step_matches_the_rust_vm() {
    let started = Instant::now();
    let mut names = guest_names();
    // Longest first, so the two workers finish together.
    let weight = |n: &str| match n {
        "keccak" | "rollup" => 0,
        "oracle" => 1,
        "branch" => 2,
        _ => 3,
    };
    names.sort_by_key(|n| (weight(n), n.clone()));
    names.reverse();
    let queue = Mutex::new(names);
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let Some(name) = queue.lock().unwrap().pop() else {
                    break;
                };
                let run = prove_guest(&name);
                results.lock().unwrap().push(run);
            });
        }
    });
    let mut runs = results.into_inner().unwrap();
    runs.sort_by(|a, b| a.name.cmp(&b.name));

    let mut total = 0u64;
    let mut tx_all = Vec::new();
    let mut exec_all = Vec::new();
    let mut by_op: BTreeMap<&'static str, Stats> = BTreeMap::new();
    println!("guest       steps  exited  parts loaded (gas)   median tx gas  time");
    for r in &runs {
        total += r.steps;
        let mut tx = r.tx_gas.clone();
        println!(
            "{:<9} {:>7}  {:<6}  {:>4} ({:>9})  {:>13}  {:.1}s",
            r.name,
            r.steps,
            r.exited,
            r.parts_loaded,
            r.load_gas,
            median(&mut tx),
            r.secs
        );
        tx_all.extend_from_slice(&r.tx_gas);
        exec_all.extend_from_slice(&r.exec_gas);
        for (op, st) in &r.by_op {
            by_op.entry(op).or_default().merge(st);
        }
    }
    let (tx_min, tx_max) = (
        tx_all.iter().min().copied().unwrap_or(0),
        tx_all.iter().max().copied().unwrap_or(0),
    );
    let (ex_min, ex_max) = (
        exec_all.iter().min().copied().unwrap_or(0),
        exec_all.iter().max().copied().unwrap_or(0),
    );
    println!(
        "TOTAL {total} steps on-chain in {:.1}s; tx gas per step min/median/max {tx_min}/{}/{tx_max}; \
         execution gas (tx − intrinsic) min/median/max {ex_min}/{}/{ex_max}",
        started.elapsed().as_secs_f64(),
        median(&mut tx_all),
        median(&mut exec_all),
    );
    println!("execution gas by instruction (count, min/mean/max):");
    for (op, st) in &by_op {
        println!(
            "  {op:<9} {:>8}  {:>6}/{:>6}/{:>6}",
            st.count,
            st.min,
            st.mean(),
            st.max
        );
    }
    assert!(total > 300_000, "only {total} steps proven");
    assert!(runs
        .iter()
        .any(|r| r.name == "oracle" && r.parts_loaded > 0));
}

// ----------------------------------------------------------------------------------------------
// Random instructions
// ----------------------------------------------------------------------------------------------

/// A pre-image readable on-chain at every offset, for random `read(5, …)` steps.
const FUZZ_PREIMAGE: &[u8] = b"forty bytes of keccak pre-image data...!";
/// A local input readable on-chain at every offset.
const FUZZ_LOCAL: &[u8] = b"twenty local bytes..";
const CODE_BASE: u32 = 0x0040_0000;
const DATA_BASE: u32 = 0x1000_0000;
const DATA_WORDS: u32 = 1024;

fn random_register_value(rng: &mut Rng) -> u32 {
    match rng.below(6) {
        0 => DATA_BASE + rng.below(u64::from(DATA_WORDS) * 4) as u32,
        1 => rng.below(8) as u32,
        2 => rng.u32() | 0x8000_0000,
        3 => 0xFFFF_FFFF - rng.below(4) as u32,
        _ => rng.u32(),
    }
}

fn random_insn(rng: &mut Rng) -> u32 {
    let fields = rng.u32() & 0x03FF_FFFF;
    match rng.below(10) {
        0 => rng.u32(),
        1 | 2 => syscall(),
        3 => (0x09 << 26) | fields, // addiu
        4 => {
            // SPECIAL with any function code, incl. rotr / rotrv encodings.
            let mut w = fields & !0x3F | rng.below(64) as u32;
            if rng.chance(1, 4) {
                w = (w & !(0x1F << 21)) | (1 << 21); // rs = 1
            }
            if rng.chance(1, 4) {
                w = (w & !(0x1F << 6)) | (1 << 6); // sa = 1
            }
            w
        }
        5 => {
            (0x1C << 26)
                | (fields & !0x3F)
                | [0x02, 0x20, 0x21, 0x00, 0x01, 0x04][rng.below(6) as usize]
        }
        6 => (0x01 << 26) | (fields & !(0x1F << 16)) | ((rng.below(32) as u32) << 16),
        _ => ((rng.below(64) as u32) << 26) | fields,
    }
}

/// A VM around a code word at [`CODE_BASE`] and random data, with the fuzz pre-images.
fn fuzz_base(rng: &mut Rng) -> Vm {
    let mut oracle = MemoryOracle::new();
    oracle.insert_keccak(FUZZ_PREIMAGE.to_vec());
    oracle.insert_local(1, FUZZ_LOCAL.to_vec());
    let mut memory = Memory::new();
    for k in 0..DATA_WORDS {
        memory.store_word(DATA_BASE + 4 * k, rng.u32());
    }
    Vm::from_parts(State::default(), memory, oracle)
}

#[test]
fn random_instructions_match_the_rust_vm() {
    const CASES: usize = 20_000;
    let mut rng = Rng(0x0f9a_7e57);
    let (mut chain, fpvm) = deployed();
    // Every part of both fuzz pre-images, at every offset up to the end-of-data part.
    for (key, value) in [
        (keccak_key(FUZZ_PREIMAGE), FUZZ_PREIMAGE),
        (local_key(1), FUZZ_LOCAL),
    ] {
        fpvm.load_preimage(
            &mut chain,
            CALLER,
            &key,
            value,
            0..=(value.len() as u32 + 8),
            LOCAL_CONTEXT,
        )
        .expect("load fuzz pre-image");
    }
    let mut vm = fuzz_base(&mut rng);
    let base = vm.snapshot();
    let mut by_op: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    let (mut ok, mut rejected) = (0u64, 0u64);
    for case in 0..CASES {
        vm.restore(&base);
        let insn = random_insn(&mut rng);
        let pc = CODE_BASE + 4 * rng.below(64) as u32;
        vm.memory_mut().store_word(pc, insn);
        let mut st = State {
            pc,
            next_pc: if rng.chance(1, 5) {
                random_register_value(&mut rng) & !3
            } else {
                pc.wrapping_add(4)
            },
            lo: rng.u32(),
            hi: rng.u32(),
            heap: 0x0500_0000 + 4096 * rng.below(16) as u32,
            exit_code: rng.below(3) as u8,
            step: rng.next() >> rng.below(64),
            preimage_key: match rng.below(3) {
                0 => keccak_key(FUZZ_PREIMAGE),
                1 => local_key(1),
                _ => {
                    let mut k = [0u8; 32];
                    k.iter_mut().for_each(|b| *b = rng.u32() as u8);
                    k
                }
            },
            preimage_offset: rng.below(52) as u32,
            ..State::default()
        };
        for r in 1..32 {
            st.registers[r] = random_register_value(&mut rng);
        }
        if decode(insn) == Op::Syscall {
            st.registers[2] =
                [4003, 4004, 4045, 4055, 4090, 4120, 4246, rng.u32()][rng.below(8) as usize];
            st.registers[4] = rng.below(8) as u32;
            st.registers[6] = rng.below(6) as u32;
        }
        *vm.cpu_state_mut() = st;
        let op = decode(insn).mnemonic();
        let entry = by_op.entry(op).or_default();
        match vm.step_with_witness() {
            Ok(w) => {
                let got = step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data());
                assert_eq!(
                    got,
                    Answer::Post(B256::from(w.post_state_hash)),
                    "case {case}: {op} {insn:#010x} at {pc:#010x}, state 0x{}",
                    hex::encode(w.state)
                );
                ok += 1;
                entry.0 += 1;
            }
            Err(e) => {
                let (state, proof) = failing_witness(&mut vm);
                let got = step_on_chain(&mut chain, &fpvm, &state, &proof);
                assert!(
                    matches!(got, Answer::Revert(_)),
                    "case {case}: Rust VM raised `{e}` but the contract answered {got:?}"
                );
                rejected += 1;
                entry.1 += 1;
            }
        }
    }
    println!("{CASES} random instructions: {ok} identical post-states, {rejected} exceptions (revert on both sides)");
    for (op, (a, b)) in &by_op {
        println!("  {op:<10} {a:>6} ok {b:>6} exceptions");
    }
    assert!(ok > CASES as u64 / 3 && rejected > CASES as u64 / 10);
}

// ----------------------------------------------------------------------------------------------
// Mutations
// ----------------------------------------------------------------------------------------------

#[derive(Default, Debug)]
struct MutationTally {
    steps: u64,
    /// Sampled `read(5)` / `write(6)` steps.
    preimage_io_steps: u64,
    proof_reverted: u64,
    proof_unused_unchanged: u64,
    state_reverted: u64,
    state_differs: u64,
    /// The contract gave the honest post-state, and so does the Rust VM (dead byte).
    state_dead: u64,
}

/// Is the data proof used by this step?
fn data_proof_used(w: &StepWitness) -> bool {
    w.mem_addr.is_some()
}

fn mutate_proofs(
    chain: &mut Chain,
    fpvm: &Fpvm,
    w: &StepWitness,
    rng: &mut Rng,
    tally: &mut MutationTally,
) {
    let honest = Answer::Post(B256::from(w.post_state_hash));
    let proof = w.proof_data();
    let exited = w.state[89] == 1;
    let pc = be32(&w.state[68..]);
    let mut positions: Vec<usize> = vec![
        (pc & 28) as usize,                       // the instruction word
        ((pc & 28) as usize + 4) % 32,            // another word of its leaf
        32 + 32 * rng.below(27) as usize,         // a sibling
        PROOF_SIZE - 1,                           // the top sibling
        PROOF_SIZE + 32 * rng.below(28) as usize, // the data proof
        2 * PROOF_SIZE - 1,
    ];
    if let Some(a) = w.mem_addr {
        positions.push(PROOF_SIZE + (a & 28) as usize);
    }
    for _ in 0..6 {
        positions.push(rng.below(2 * PROOF_SIZE as u64) as usize);
    }
    for pos in positions {
        let mut p = proof.clone();
        p[pos] ^= rng.nonzero_u8();
        let got = step_on_chain(chain, fpvm, &w.state, &p);
        let used = !exited && (pos < PROOF_SIZE || data_proof_used(w));
        if used {
            assert!(
                matches!(got, Answer::Revert(_)),
                "step {} ({}): proof byte {pos} changed, contract answered {got:?}",
                w.step,
                op_name(w)
            );
            tally.proof_reverted += 1;
        } else {
            assert_eq!(got, honest, "step {}: unused proof byte {pos}", w.step);
            tally.proof_unused_unchanged += 1;
        }
    }
}

/// Whether the on-chain oracle holds the part a (Rust) witness reads.
fn part_available(chain: &mut Chain, fpvm: &Fpvm, w: &StepWitness) -> bool {
    w.preimage.as_ref().is_none_or(|p| {
        let key = onchain_key(&p.key, CALLER, LOCAL_CONTEXT);
        fpvm.part_loaded(chain, key, p.offset).expect("part_loaded")
    })
}

fn mutate_state(
    chain: &mut Chain,
    fpvm: &Fpvm,
    vm: &mut Vm,
    pre: &Snapshot,
    w: &StepWitness,
    rng: &mut Rng,
    tally: &mut MutationTally,
) {
    let honest = B256::from(w.post_state_hash);
    let proof = w.proof_data();
    let insn = witness_insn(w);
    let reg_byte = |r: u32| 98 + 4 * r as usize + 3;
    let mut positions: Vec<(usize, u8)> = vec![
        (0, rng.nonzero_u8()),                           // memRoot
        (31, rng.nonzero_u8()),                          // memRoot
        (32, rng.nonzero_u8()),                          // preimageKey (type byte)
        (63, rng.nonzero_u8()),                          // preimageKey
        (67, rng.nonzero_u8()),                          // preimageOffset
        (71, 4),                // pc: the next word (often in the same leaf)
        (71, 1),                // pc: unaligned
        (70, rng.nonzero_u8()), // pc: another leaf
        (75, 4),                // nextPC (delay slot for branches)
        (79, rng.nonzero_u8()), // lo
        (83, rng.nonzero_u8()), // hi
        (87, rng.nonzero_u8()), // heap
        (88, rng.nonzero_u8()), // exitCode
        (89, 1),                // exited 0 <-> 1
        (89, 2),                // exited = 2 (or 3)
        (97, rng.nonzero_u8()), // step
        (reg_byte((insn >> 21) & 31), rng.nonzero_u8()), // rs
        (reg_byte((insn >> 16) & 31), rng.nonzero_u8()), // rt
        (reg_byte((insn >> 11) & 31), rng.nonzero_u8()), // rd
        (reg_byte(2), rng.nonzero_u8()), // $v0
        (reg_byte(4), rng.nonzero_u8()), // $a0
        (reg_byte(5), rng.nonzero_u8()), // $a1
        (reg_byte(7), rng.nonzero_u8()), // $a3
    ];
    for _ in 0..6 {
        positions.push((rng.below(STATE_SIZE as u64) as usize, rng.nonzero_u8()));
    }
    for (pos, x) in positions {
        let mut s = w.state;
        s[pos] ^= x;
        let got = step_on_chain(chain, fpvm, &s, &proof);
        let what = format!(
            "step {} ({} {insn:#010x}): state byte {pos} ^= {x:#04x}",
            w.step,
            op_name(w)
        );
        if s[89] > 1 {
            assert!(
                matches!(got, Answer::Revert(_)),
                "{what}: exited > 1 gave {got:?}"
            );
            tally.state_reverted += 1;
            continue;
        }
        if s[89] == 1 {
            // Exited: steps to itself.
            assert_eq!(got, Answer::Post(B256::from(state_hash_of(&s))), "{what}");
            tally.state_differs += 1;
            continue;
        }
        if pos < 32 {
            assert!(
                matches!(got, Answer::Revert(_)),
                "{what}: memRoot changed, got {got:?}"
            );
            tally.state_reverted += 1;
            continue;
        }
        // The Rust VM on the changed state, same memory.
        vm.restore(pre);
        *vm.cpu_state_mut() = State::decode(&s).expect("decodable");
        let reference = vm.step_with_witness();
        match (&got, reference) {
            (Answer::Revert(_), Err(_)) => tally.state_reverted += 1,
            (Answer::Post(h), Err(e)) => {
                panic!("{what}: contract gave {h} but the Rust VM raised `{e}`")
            }
            (Answer::Post(h), Ok(r)) => {
                assert_eq!(r.state, s, "{what}: re-encoding");
                assert_eq!(
                    *h,
                    B256::from(r.post_state_hash),
                    "{what}: contract and Rust VM disagree"
                );
                if *h == honest {
                    tally.state_dead += 1;
                } else {
                    tally.state_differs += 1;
                }
            }
            (Answer::Revert(why), Ok(r)) => {
                // Allowed only when the honest witness cannot prove the changed state's step: it
                // needs other memory proofs or a pre-image part that is not loaded.
                let other_insn = r.insn_proof != w.insn_proof;
                let other_data = r.mem_addr.is_some() && r.mem_proof != w.mem_proof;
                let missing_part = !part_available(chain, fpvm, &r);
                assert!(
                    other_insn || other_data || missing_part,
                    "{what}: contract reverted ({why}) although the witness proves the step"
                );
                tally.state_reverted += 1;
            }
        }
    }
}

/// Is the next step of `vm` a pre-image syscall (`read(5)` / `write(6)`)?
fn next_is_preimage_io(vm: &Vm) -> bool {
    let insn = vm.memory().load_word(vm.pc());
    let r = vm.registers();
    decode(insn) == Op::Syscall && ((r[2] == 4003 && r[4] == 5) || (r[2] == 4004 && r[4] == 6))
}

fn mutation_walk(name: &str, samples: u64, rng: &mut Rng, tally: &mut MutationTally) {
    let (mut chain, fpvm) = deployed();
    let mut vm = guest_vm(name);
    let length = {
        let mut probe = guest_vm(name);
        probe.run(MAX_STEPS_PER_GUEST).expect("guest runs").steps
    };
    let mut io_samples = 0;
    let mut sample_here = |vm: &Vm, rng: &mut Rng| {
        if next_is_preimage_io(vm) && io_samples < 40 && rng.chance(1, 3) {
            io_samples += 1;
            return true;
        }
        rng.chance(samples, length.max(1))
    };
    while vm.step_count() < MAX_STEPS_PER_GUEST {
        let last = vm.exited();
        if last || sample_here(&vm, rng) {
            if next_is_preimage_io(&vm) {
                tally.preimage_io_steps += 1;
            }
            let pre = vm.snapshot();
            let w = vm.step_with_witness().expect("honest step");
            let post = vm.snapshot();
            fpvm.load_step_preimage(&mut chain, CALLER, &w, LOCAL_CONTEXT)
                .expect("load part");
            assert_eq!(
                step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data()),
                Answer::Post(B256::from(w.post_state_hash)),
                "{name}: honest step {}",
                w.step
            );
            tally.steps += 1;
            mutate_proofs(&mut chain, &fpvm, &w, rng, tally);
            mutate_state(&mut chain, &fpvm, &mut vm, &pre, &w, rng, tally);
            vm.restore(&post);
        } else {
            vm.step().expect("honest step");
        }
        if last {
            break;
        }
    }
}

#[test]
fn mutated_witnesses_never_prove_the_honest_step() {
    let started = Instant::now();
    let mut rng = Rng(0x005e_ed0f_0dd5);
    let mut tally = MutationTally::default();
    for name in guest_names() {
        mutation_walk(&name, 60, &mut rng, &mut tally);
    }
    println!(
        "{} sampled steps ({} pre-image reads/key writes) in {:.1}s: proof bytes changed: {} reverted, {} in an unused proof \
         (honest post-state, as it must); state bytes changed: {} reverted, {} other post-state, \
         {} honest post-state where the Rust VM agrees (byte overwritten by the step)",
        tally.steps,
        tally.preimage_io_steps,
        started.elapsed().as_secs_f64(),
        tally.proof_reverted,
        tally.proof_unused_unchanged,
        tally.state_reverted,
        tally.state_differs,
        tally.state_dead
    );
    assert!(
        tally.steps > 600 && tally.preimage_io_steps > 20,
        "{tally:?}"
    );
    assert!(
        tally.proof_reverted > 1000 && tally.state_differs > 1000,
        "{tally:?}"
    );
}

// ----------------------------------------------------------------------------------------------
// Specific reverts
// ----------------------------------------------------------------------------------------------

fn expect_revert(got: Answer, needle: &str, what: &str) {
    match got {
        Answer::Revert(why) => assert!(
            why.contains(needle),
            "{what}: reverted with {why}, expected {needle}"
        ),
        Answer::Post(h) => panic!("{what}: expected a revert ({needle}), got post-state {h}"),
    }
}

#[test]
fn forged_and_invalid_witnesses_revert() {
    let (mut chain, fpvm) = deployed();
    let data_addr = 0x2000;
    let mut code = vec![lw(T0, 0, S0), nop()];
    code.extend_from_slice(&exit_with(0));
    let mut vm = vm_with(&code, &[(S0, data_addr)]);
    // Two different leaves side by side, so that their proofs differ.
    vm.memory_mut().store_word(data_addr, 0xDEAD_BEEF);
    vm.memory_mut().store_word(data_addr + 32, 0x1234_5678);
    let w = vm.step_with_witness().expect("lw");
    let proof = w.proof_data();
    assert_eq!(
        step_on_chain(&mut chain, &fpvm, &w.state, &proof),
        Answer::Post(B256::from(w.post_state_hash))
    );

    // A forged data proof: another value in the leaf, same siblings.
    let mut forged = proof.clone();
    forged[PROOF_SIZE + (data_addr as usize & 28) + 3] ^= 0x01;
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state, &forged),
        "InvalidMemoryProof",
        "forged data leaf",
    );
    // A valid proof of another address (the next leaf) presented for the load.
    let mut other = proof.clone();
    other[PROOF_SIZE..].copy_from_slice(&vm.memory_mut().proof(data_addr + 32));
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state, &other),
        "InvalidMemoryProof",
        "proof of another leaf",
    );
    // The instruction proof swapped for the data proof.
    let mut swapped = proof.clone();
    swapped[..PROOF_SIZE].copy_from_slice(&proof[PROOF_SIZE..]);
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state, &swapped),
        "InvalidMemoryProof",
        "swapped proofs",
    );
    // A forged instruction: a different word with the same siblings.
    let mut insn_forged = proof.clone();
    insn_forged[..4].copy_from_slice(&addiu(T0, ZERO, 7).to_be_bytes());
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state, &insn_forged),
        "InvalidMemoryProof",
        "forged instruction",
    );
    // Wrong lengths.
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state[..225], &proof),
        "InvalidStateLength",
        "225-byte state",
    );
    let mut long_state = w.state.to_vec();
    long_state.push(0);
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &long_state, &proof),
        "InvalidStateLength",
        "227-byte state",
    );
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state, &proof[..PROOF_SIZE]),
        "InvalidProofLength",
        "one proof",
    );
    // exited = 2, and 255.
    for bad in [2u8, 255] {
        let mut s = w.state;
        s[89] = bad;
        expect_revert(
            step_on_chain(&mut chain, &fpvm, &s, &proof),
            "InvalidExited",
            "exited > 1",
        );
    }

    // Unsupported instructions: each is an exception of the Rust VM and a revert on-chain.
    let unsupported = [
        ("rotr", r(0x02, 1, T1, T0, 3)),
        ("rotrv", r(0x06, T2, T1, T0, 1)),
        ("break", 0x0000_000D),
        ("teq", r(0x34, T0, T1, 0, 0)),
        ("madd", r_op(0x1C, T0, T1, 0, 0, 0x00)),
        ("seb (SPECIAL3)", r_op(0x1F, 0, T1, T0, 0x10, 0x20)),
        ("bltzal", i(0x01, T0, 0x10, 4)),
        ("beql", i(0x14, T0, T1, 4)),
        ("lwc1", i(0x31, S0, 2, 0)),
        ("cache", i(0x2F, S0, 0, 0)),
        ("pref", i(0x33, S0, 0, 0)),
        ("movf", r(0x01, T0, 0, T1, 0)),
    ];
    for (what, insn) in unsupported {
        assert_eq!(
            decode(insn),
            Op::Invalid,
            "{what} must be invalid for the Rust VM"
        );
        let mut vm = vm_with(&[insn, nop()], &[(S0, data_addr)]);
        assert!(
            vm.step_with_witness().is_err(),
            "{what}: Rust VM must raise an exception"
        );
        let (state, proof) = failing_witness(&mut vm);
        expect_revert(
            step_on_chain(&mut chain, &fpvm, &state, &proof),
            "InvalidInstruction",
            what,
        );
    }

    // A branch in a delay slot, a division by zero, an unaligned pc.
    let mut vm = vm_with(&[beq(ZERO, ZERO, 4), bne(ZERO, T0, 8), nop()], &[(T0, 1)]);
    vm.step().expect("first branch");
    assert!(vm.step_with_witness().is_err());
    let (state, proof) = failing_witness(&mut vm);
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &state, &proof),
        "BranchInDelaySlot",
        "branch in delay slot",
    );

    let mut vm = vm_with(&[div(T0, T1), nop()], &[(T0, 5)]);
    assert!(vm.step_with_witness().is_err());
    let (state, proof) = failing_witness(&mut vm);
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &state, &proof),
        "DivisionByZero",
        "div by zero",
    );

    let mut s = w.state;
    s[71] |= 2;
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &s, &proof),
        "UnalignedPC",
        "unaligned pc",
    );
}

/// `read(5, buf, 4)` at address 0 with the pre-image `key` requested, reading at `offset`.
fn preimage_read_vm(key: [u8; 32], offset: u32, oracle: MemoryOracle) -> Vm {
    let mut vm = vm_with_oracle(
        &[syscall(), nop()],
        &[(V0, 4003), (A0, 5), (A1, 0x3000), (A2, 4)],
        oracle,
    );
    vm.cpu_state_mut().preimage_key = key;
    vm.cpu_state_mut().preimage_offset = offset;
    vm
}

#[test]
fn preimage_oracle_rules() {
    let (mut chain, fpvm) = deployed();
    let data = b"some pre-image of eleven+".to_vec(); // 25 bytes: 33 with the prefix
    let key = keccak_key(&data);
    let mut oracle = MemoryOracle::new();
    oracle.insert(key, data.clone());

    // Before loading: the step reverts with the missing part.
    let mut vm = preimage_read_vm(key, 0, oracle.clone());
    let w = vm.step_with_witness().expect("read");
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data()),
        "MissingPreimagePart",
        "part not loaded",
    );
    // A wrong pre-image lands under another key: still missing.
    let mut wrong = data.clone();
    wrong[0] ^= 1;
    fpvm.load_part(
        &mut chain,
        CALLER,
        &keccak_key(&wrong),
        &wrong,
        0,
        LOCAL_CONTEXT,
    )
    .expect("load wrong data");
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data()),
        "MissingPreimagePart",
        "wrong pre-image loaded",
    );
    // The right one: the step matches.
    fpvm.load_step_preimage(&mut chain, CALLER, &w, LOCAL_CONTEXT)
        .expect("load");
    assert_eq!(
        step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data()),
        Answer::Post(B256::from(w.post_state_hash))
    );
    // Parts past the end-of-data part cannot be loaded.
    let err = fpvm
        .load_part(
            &mut chain,
            CALLER,
            &key,
            &data,
            data.len() as u32 + 9,
            LOCAL_CONTEXT,
        )
        .unwrap_err();
    assert!(err.to_string().contains("PartOffsetOOB"), "{err}");

    // Reading at exactly the end: 0 bytes on both sides.
    let end = data.len() as u32 + 8;
    let mut vm = preimage_read_vm(key, end, oracle.clone());
    let w = vm.step_with_witness().expect("read at the end");
    assert_eq!(w.post_state[98 + 4 * 2..98 + 4 * 3], [0, 0, 0, 0], "v0 = 0");
    fpvm.load_step_preimage(&mut chain, CALLER, &w, LOCAL_CONTEXT)
        .expect("load end part");
    assert_eq!(
        step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data()),
        Answer::Post(B256::from(w.post_state_hash))
    );
    // Past the end: an exception of the Rust VM, a revert on-chain.
    let mut vm = preimage_read_vm(key, end + 1, oracle.clone());
    assert!(vm.step_with_witness().is_err(), "read past the end");
    let (state, proof) = failing_witness(&mut vm);
    let mut proof = proof;
    proof[PROOF_SIZE..].copy_from_slice(&vm.memory_mut().proof(0x3000));
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &state, &proof),
        "ReadPastEnd",
        "read past the end",
    );

    // Local data: per caller and per local context.
    let local = b"a local input longer than one 32-byte word".to_vec();
    let lkey = local_key(7);
    let mut loracle = MemoryOracle::new();
    loracle.insert(lkey, local.clone());
    let mut vm = preimage_read_vm(lkey, 36, loracle);
    let w = vm.step_with_witness().expect("local read");
    let other_ctx = B256::repeat_byte(0x01);
    let other_caller = Address::repeat_byte(0x99);
    fpvm.load_part(&mut chain, CALLER, &lkey, &local, 36, other_ctx)
        .expect("load for another context");
    fpvm.load_part(&mut chain, other_caller, &lkey, &local, 36, LOCAL_CONTEXT)
        .expect("load by another caller");
    expect_revert(
        step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data()),
        "MissingPreimagePart",
        "local data of another context / caller",
    );
    // Stepping as the other caller finds its data.
    let as_other = fpvm
        .step_witness(&mut chain, other_caller, &w, LOCAL_CONTEXT)
        .expect("other caller's own data");
    assert_eq!(as_other.post_state_hash, B256::from(w.post_state_hash));
    // Loaded by the caller for its context: matches.
    fpvm.load_step_preimage(&mut chain, CALLER, &w, LOCAL_CONTEXT)
        .expect("load");
    assert_eq!(
        step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data()),
        Answer::Post(B256::from(w.post_state_hash))
    );
    // Wrong local data loaded by the dispute itself is trusted input: the post-state differs.
    let mut vm = preimage_read_vm(lkey, 8, {
        let mut o = MemoryOracle::new();
        o.insert(lkey, local.clone());
        o
    });
    let w = vm.step_with_witness().expect("local read at 8");
    let mut bad_local = local.clone();
    bad_local[0] ^= 0xFF;
    fpvm.load_part(&mut chain, CALLER, &lkey, &bad_local, 8, LOCAL_CONTEXT)
        .expect("load wrong local data");
    let got = step_on_chain(&mut chain, &fpvm, &w.state, &w.proof_data());
    assert!(
        matches!(got, Answer::Post(h) if h != B256::from(w.post_state_hash)),
        "{got:?}"
    );

    // Cannon's one-word loader refuses more than 32 bytes.
    let call = PreimageOracle::loadLocalDataCall {
        ident: U256::from(8),
        localContext: LOCAL_CONTEXT,
        word: B256::ZERO,
        size: U256::from(33),
        partOffset: U256::ZERO,
    };
    let r = chain
        .send(CALLER, fpvm.oracle, U256::ZERO, call.abi_encode().into())
        .expect("send");
    assert!(!r.success && revert_reason(&r.output).contains("LocalDataTooLarge"));

    // SHA2-256 pre-images: `4 ‖ sha256(data)[1..]` (sha256("abc") is a published vector).
    let mut skey = [0u8; 32];
    skey.copy_from_slice(
        &hex::decode("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").unwrap(),
    );
    skey[0] = 4;
    fpvm.load_part(&mut chain, CALLER, &skey, b"abc", 0, LOCAL_CONTEXT)
        .expect("sha256 load");
    let (part, len) = fpvm
        .read_preimage(&mut chain, B256::from(skey), 0)
        .expect("sha256 part");
    assert_eq!(len, 11);
    assert_eq!(&part[..11], &[0, 0, 0, 0, 0, 0, 0, 3, b'a', b'b', b'c']);
    assert!(part[11..].iter().all(|&b| b == 0), "zero padding");
}

// ----------------------------------------------------------------------------------------------
// Gas
// ----------------------------------------------------------------------------------------------

#[test]
fn gas_split() {
    let (mut chain, fpvm) = deployed();
    let mut code = vec![addu(T0, T1, T2), lw(T3, 0, S0), sw(T3, 4, S0), clz(T0, T1)];
    code.extend_from_slice(&exit_with(0));
    let mut vm = vm_with(&code, &[(S0, 0x2000), (T1, 0x1234), (T2, 0x5678)]);
    vm.memory_mut().store_word(0x2000, 0xDEAD_BEEF);
    let mut rows = Vec::new();
    loop {
        let w = vm.step_with_witness().expect("step");
        let proof = w.proof_data();
        let out = fpvm
            .step(&mut chain, CALLER, &w.state, &proof, LOCAL_CONTEXT)
            .expect("step");
        assert_eq!(out.post_state_hash, B256::from(w.post_state_hash));
        let calldata = Fpvm::step_calldata(&w.state, &proof, LOCAL_CONTEXT);
        let intrinsic = intrinsic_gas(&calldata);
        rows.push((
            op_name(&w),
            out.gas_used,
            intrinsic,
            out.gas_used - intrinsic,
        ));
        if w.state[89] == 1 {
            break;
        }
    }
    println!("op          tx gas   intrinsic (21000 + calldata)   execution");
    for (op, tx, intr, exec) in &rows {
        println!("{op:<10} {tx:>7}   {intr:>7}                        {exec:>7}");
    }
    let exec = |name: &str| rows.iter().find(|r| r.0 == name).map(|r| r.3).unwrap();
    let exited = exec("(exited)");
    let (addu_g, lw_g, sw_g) = (exec("addu"), exec("lw"), exec("sw"));
    // A store checks the data proof and then hashes the new leaf up the same siblings: one more
    // 27-level path than a load, so sw − lw is the cost of one path.
    let path = sw_g.saturating_sub(lw_g);
    println!(
        "split: ABI decode + state copy + post-state hash (exited step) {exited}; one 27-level \
         proof path ≈ sw − lw = {path}; addu = {exited} + 1 path + {} (fetch, decode, execute, \
         step counter); lw = {exited} + 2 paths + {}; sw = {exited} + 3 paths + {}",
        addu_g.saturating_sub(exited + path),
        lw_g.saturating_sub(exited + 2 * path),
        sw_g.saturating_sub(exited + 3 * path),
    );
    assert!(addu_g > exited && lw_g > addu_g && sw_g > lw_g);
}
