//! `mips_step`, mirroring `contracts/src/verifiers/MipsStep.sol` (which runs `MIPS.step`).

use crate::systems::rollup::trace::{TraceKnowledge, VmTrace, MIPS_WITNESS_SIZE};

use crate::systems::prelude::*;

/// The registry name (the rollup system's hook looks for its witnesses).
pub(crate) const NAME: &str = "mips_step";

/// The post-state hash one MIPS step gives from a `mips_step` witness (the 226-byte packed
/// pre-state, then the 1,792-byte step proof: instruction word proof, data word proof), with
/// the pre-state hash; `None` if the witness is malformed, a proof does not match the
/// pre-state's memory root, or the step faults.
///
/// This is a check from the witness alone, like `MIPS.step` on-chain: the pre-state runs
/// through the Rust VM's step function over a memory holding only the two proven leaves, and
/// the post-state's memory root is recomputed from the data word's proof. A step that reads
/// the pre-image oracle (`read(5, …)`) has no pre-image here and gives `None` (on-chain it
/// reads the `PreimageOracle`, see `contracts/src/verifiers/MipsStep.sol`).
pub fn mips_step_hashes(witness: &[u8]) -> Option<(B256, B256)> {
    use crate::fpvm::memory::{proof_word, root_with_word, verify_proof, Proof};
    use crate::fpvm::state::state_hash_of;
    use crate::fpvm::{Memory, MemoryOracle, State, Vm, PROOF_SIZE, STATE_SIZE};

    if witness.len() != MIPS_WITNESS_SIZE {
        return None;
    }
    let encoded: &[u8; STATE_SIZE] = witness[..STATE_SIZE].try_into().ok()?;
    let pre = State::decode(encoded).ok()?;
    let pre_hash = B256::from(state_hash_of(encoded));
    if pre.exited {
        // An exited state steps to itself.
        return Some((pre_hash, pre_hash));
    }
    let insn_proof: &Proof = witness[STATE_SIZE..STATE_SIZE + PROOF_SIZE]
        .try_into()
        .ok()?;
    let mem_proof: &Proof = witness[STATE_SIZE + PROOF_SIZE..].try_into().ok()?;
    if pre.pc & 3 != 0 || !verify_proof(&pre.mem_root, pre.pc, insn_proof) {
        return None;
    }
    // Memory holding the proven leaves only (8 words each).
    let leaf_memory = |proofs: &[(u32, &Proof)]| {
        let mut m = Memory::new();
        for (addr, proof) in proofs {
            let base = addr & !31;
            for k in 0..8 {
                m.store_word(base + 4 * k, proof_word(proof, base + 4 * k));
            }
        }
        m
    };
    let run = |memory: Memory| {
        let mut vm = Vm::from_parts(pre.clone(), memory, MemoryOracle::new());
        let w = vm.step_with_witness().ok()?;
        Some((w.mem_addr, vm))
    };
    // The data word's address depends on registers and the instruction only: a first run
    // finds it, the second runs with the proven data word in place.
    let (addr, _) = run(leaf_memory(&[(pre.pc, insn_proof)]))?;
    let Some(addr) = addr else {
        let (_, vm) = run(leaf_memory(&[(pre.pc, insn_proof)]))?;
        let mut post = vm.cpu_state().clone();
        post.mem_root = pre.mem_root;
        return Some((pre_hash, B256::from(post.state_hash())));
    };
    if !verify_proof(&pre.mem_root, addr, mem_proof) {
        return None;
    }
    let (again, vm) = run(leaf_memory(&[(pre.pc, insn_proof), (addr, mem_proof)]))?;
    if again != Some(addr) {
        return None;
    }
    let mut post = vm.cpu_state().clone();
    post.mem_root = root_with_word(addr, mem_proof, vm.memory().load_word(addr));
    Some((pre_hash, B256::from(post.state_hash())))
}

/// The party's recorded run with local context `ctx` through the state `a`, and the step it is
/// at; or what is missing.
pub(crate) fn run_through<'a>(
    info: &'a LocalInfo,
    ctx: &B256,
    a: &B256,
) -> Result<(&'a VmTrace, u64), String> {
    info.vm_trace_of(ctx, a)
        .ok_or_else(|| format!("a recorded VM run (context {ctx:#x}) through the state {a:#x}"))
}

/// Gas of one step of the on-chain MIPS VM beyond reading the inputs, with a wide margin (an
/// oracle read, the costliest instruction): the largest `verify` over every step of
/// `hello.elf` spends 24,152 in all, and the test asserts each step stays under the model
/// (`rollup::mips_step_agrees_with_the_contract_on_every_step_of_a_guest`).
pub(crate) const MIPS_STEP_GAS: u64 = 100_000;

/// `mips_step(ctx: bytes32, pre: bytes32, post: bytes32)`: one MIPS step (`src/fpvm`, the
/// Cannon VM) with local context `ctx` takes the state with hash `pre` to the state with hash
/// `post`.
pub(crate) struct MipsStep;
impl Verifier for MipsStep {
    fn name(&self) -> &'static str {
        NAME
    }
    fn contract(&self) -> &'static str {
        "MipsStep"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("ctx", ParamType::Is(Type::Bytes32)),
            ("pre", ParamType::Is(Type::Bytes32)),
            ("post", ParamType::Is(Type::Bytes32)),
        ]
    }
    fn doc(&self) -> &'static str {
        "one step of the MIPS fault-proof VM, with pre-image oracle local context `ctx`, takes the state with hash `pre` to the state with hash `post` (status-byte state hashes; checked on-chain by the MIPS contract)"
    }
    fn witness_doc(&self) -> &'static str {
        "the 226-byte packed pre-state followed by the 1,792-byte step proof (2,018 bytes, no ABI encoding)"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        match (
            b32_arg(args, 0),
            b32_arg(args, 1),
            b32_arg(args, 2),
            mips_step_hashes(w),
        ) {
            (Some(_), Some(a), Some(b), Some((pre, post))) => a == pre && b == post,
            _ => false,
        }
    }
    fn verify_gas(&self, args: &[Vec<u8>], w: &[u8]) -> u64 {
        // One MIPS step on the deployed VM: bounded by the costliest instruction with its
        // memory proofs and an oracle read (measured in `tests/rollup.rs`).
        input_gas(args, w) + MIPS_STEP_GAS
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let (Some(ctx), Some(a), Some(b)) = (b32_arg(args, 0), b32_arg(args, 1), b32_arg(args, 2))
        else {
            return Search::Absent("malformed arguments".into());
        };
        let (trace, i) = match run_through(info, &ctx, &a) {
            Ok(found) => found,
            Err(why) => return Search::Missing(why),
        };
        match trace.hash_at(i + 1) {
            None => Search::Missing(format!("the VM run past step {i}")),
            Some(post) if post != b => Search::Absent(format!(
                "the step from {a:#x} (step {i}) ends in {post:#x}, not {b:#x}"
            )),
            Some(_) => match trace.witness(i) {
                Some(w) => Search::Found(w),
                None => Search::Missing(format!("the witness of step {i}")),
            },
        }
    }
}
