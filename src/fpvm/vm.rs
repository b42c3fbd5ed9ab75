//! The top-level VM: a state, its memory, host I/O and a pre-image oracle.
//!
//! Two modes share one step function: [`Vm::run`] (fast mode, no proofs, no hashing) and
//! [`Vm::step_with_witness`] (one step with both memory proofs and the post-state hash).

use super::elf::{load_elf, ElfError, LoadedProgram};
use super::error::VmError;
use super::exec::{self, IoState};
use super::memory::{self, Memory, MemorySnapshot, Proof, PROOF_SIZE};
use super::oracle::{HintHandler, MemoryOracle, PreimageOracle};
use super::state::{State, VmStatus};
use super::witness::{PreimageWitness, StepWitness};

/// How a call to [`Vm::run`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOutcome {
    /// Steps executed by this call.
    pub steps: u64,
    /// The exit code if the program has exited, `None` if the step limit was reached first.
    pub exit_code: Option<u8>,
}

impl RunOutcome {
    /// Whether the program has exited.
    pub fn exited(&self) -> bool {
        self.exit_code.is_some()
    }

    /// The VM status after the run.
    pub fn status(&self) -> VmStatus {
        VmStatus::from_exit(self.exit_code.is_some(), self.exit_code.unwrap_or(0))
    }
}

/// A copy of a VM (state, memory, buffered hints) to return to later; memory pages are shared
/// copy-on-write.
#[derive(Clone)]
pub struct Snapshot {
    state: State,
    memory: MemorySnapshot,
    hint_buf: Vec<u8>,
}

impl Snapshot {
    /// The state at the snapshot (with its memory root).
    pub fn state(&self) -> &State {
        &self.state
    }
}

/// The MIPS fault-proof VM.
///
/// `O` serves pre-images and receives hints; [`MemoryOracle`] is the default.
pub struct Vm<O = MemoryOracle> {
    /// CPU state; `state.mem_root` is refreshed by [`Vm::state`] and friends.
    state: State,
    memory: Memory,
    io: IoState,
    oracle: O,
}

impl<O: PreimageOracle + HintHandler> Vm<O> {
    /// Loads an ELF executable (see [`crate::fpvm::elf`]).
    pub fn from_elf(elf: &[u8], oracle: O) -> Result<Self, ElfError> {
        Ok(Self::from_program(load_elf(elf)?, oracle))
    }

    /// A VM from a loaded program.
    pub fn from_program(program: LoadedProgram, oracle: O) -> Self {
        Self::from_parts(program.state, program.memory, oracle)
    }

    /// A VM from any state and memory; `state.mem_root` is ignored and recomputed.
    pub fn from_parts(mut state: State, mut memory: Memory, oracle: O) -> Self {
        state.mem_root = memory.merkle_root();
        state.registers[0] = 0;
        Vm {
            state,
            memory,
            io: IoState::default(),
            oracle,
        }
    }

    /// Runs at most `max_steps` steps, stopping early when the program exits. Fast mode: no
    /// proofs and no hashing.
    ///
    /// On an exception the VM stays in the pre-state of the failing step
    /// ([`Vm::step_count`] tells which).
    pub fn run(&mut self, max_steps: u64) -> Result<RunOutcome, VmError> {
        let start = self.state.step;
        let mut remaining = max_steps;
        while remaining > 0 && !self.state.exited {
            exec::step(
                &mut self.state,
                &mut self.memory,
                &mut self.io,
                &mut self.oracle,
            )?;
            remaining -= 1;
        }
        Ok(RunOutcome {
            steps: self.state.step.wrapping_sub(start),
            exit_code: self.exit_code(),
        })
    }

    /// Executes one step (a no-op once exited).
    pub fn step(&mut self) -> Result<(), VmError> {
        self.run(1).map(|_| ())
    }

    /// Executes one step and returns its witness: the pre-state, the proof of the instruction
    /// word at `pc`, the proof of the data word the step reads or writes, and the post-state
    /// hash.
    ///
    /// The data word is the load/store target, or for `read(5, …)` / `write(6, …)` the word at
    /// `buf & !3`. A step that touches no data carries 896 zero bytes as its second proof:
    /// Cannon's Go VM appends a stale buffer there, which is all zeros for a single proof (as
    /// `cannon run --proof-at` produces), and `MIPS.sol` never reads it.
    /// Once exited, the step is the identity (same pre- and post-state).
    pub fn step_with_witness(&mut self) -> Result<StepWitness, VmError> {
        let pre = self.state().clone();
        let insn_proof = self.memory.proof(pre.pc);
        if pre.exited {
            let encoded = pre.encode();
            let hash = pre.state_hash();
            return Ok(StepWitness {
                step: pre.step,
                state: encoded,
                state_hash: hash,
                insn_proof,
                mem_proof: [0u8; PROOF_SIZE],
                mem_addr: None,
                post_state: encoded,
                post_state_hash: hash,
                preimage: None,
            });
        }
        self.io.record_reads = true;
        self.io.last_read = None;
        let result = exec::step(
            &mut self.state,
            &mut self.memory,
            &mut self.io,
            &mut self.oracle,
        );
        self.io.record_reads = false;
        let access = result?;
        let (mem_proof, mem_addr) = match access {
            Some(a) => (self.pre_state_proof(a.addr, a.pre_word), Some(a.addr)),
            None => ([0u8; PROOF_SIZE], None),
        };
        debug_assert!(memory::verify_proof(&pre.mem_root, pre.pc, &insn_proof));
        debug_assert!(mem_addr.is_none_or(|a| memory::verify_proof(&pre.mem_root, a, &mem_proof)));
        let post = self.state().clone();
        Ok(StepWitness {
            step: pre.step,
            state: pre.encode(),
            state_hash: pre.state_hash(),
            insn_proof,
            mem_proof,
            mem_addr,
            post_state: post.encode(),
            post_state_hash: post.state_hash(),
            preimage: self.io.last_read.take().map(|r| PreimageWitness {
                key: r.key,
                value: r.value,
                offset: r.offset,
            }),
        })
    }

    /// The pre-step proof for `addr`: the post-step siblings (a step writes only this leaf, so
    /// they are unchanged) with the word's pre-step value put back into the leaf.
    fn pre_state_proof(&mut self, addr: u32, pre_word: u32) -> Proof {
        let mut proof = self.memory.proof(addr);
        let at = (addr as usize) & 28;
        proof[at..at + 4].copy_from_slice(&pre_word.to_be_bytes());
        proof
    }

    /// The state, with its memory root brought up to date.
    pub fn state(&mut self) -> &State {
        self.state.mem_root = self.memory.merkle_root();
        &self.state
    }

    /// The state hash (docs/fpvm.md § State Hash).
    pub fn state_hash(&mut self) -> [u8; 32] {
        self.state().state_hash()
    }

    /// The current memory root.
    pub fn memory_root(&mut self) -> [u8; 32] {
        self.memory.merkle_root()
    }

    /// Takes a snapshot to [`Vm::restore`] later.
    pub fn snapshot(&mut self) -> Snapshot {
        self.state.mem_root = self.memory.merkle_root();
        Snapshot {
            state: self.state.clone(),
            memory: self.memory.snapshot(),
            hint_buf: self.io.hint_buf.clone(),
        }
    }

    /// Returns to a snapshot. Captured output is kept; the oracle is unchanged.
    pub fn restore(&mut self, snapshot: &Snapshot) {
        self.state = snapshot.state.clone();
        self.memory.restore(&snapshot.memory);
        self.io.hint_buf = snapshot.hint_buf.clone();
    }
}

impl<O> Vm<O> {
    /// Number of steps executed so far (the state's `step` field).
    pub fn step_count(&self) -> u64 {
        self.state.step
    }

    /// Whether the program has exited.
    pub fn exited(&self) -> bool {
        self.state.exited
    }

    /// The exit code, once exited.
    pub fn exit_code(&self) -> Option<u8> {
        self.state.exited.then_some(self.state.exit_code)
    }

    /// The VM status (docs/fpvm.md § State Hash).
    pub fn status(&self) -> VmStatus {
        self.state.status()
    }

    /// The program counter.
    pub fn pc(&self) -> u32 {
        self.state.pc
    }

    /// Whether the next step is a `read` from the pre-image oracle (`syscall` with `$v0` =
    /// read and `$a0` = the pre-image fd): the steps whose on-chain check needs a pre-image
    /// part loaded into the oracle first.
    pub fn next_reads_preimage(&self) -> bool {
        const SYSCALL: u32 = 0x0000_000c;
        let regs = &self.state.registers;
        self.memory.load_word(self.state.pc) == SYSCALL
            && regs[2] == exec::syscall::nr::READ
            && regs[4] == exec::syscall::fd::PREIMAGE_READ
    }

    /// The general-purpose registers.
    pub fn registers(&self) -> &[u32; 32] {
        &self.state.registers
    }

    /// The state without refreshing `mem_root` (cheap; see [`Vm::state`]).
    pub fn cpu_state(&self) -> &State {
        &self.state
    }

    /// Mutable access to the state (e.g. to set registers in tests). `mem_root` is ignored.
    pub fn cpu_state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// Bytes the program wrote to fd 1.
    pub fn stdout(&self) -> &[u8] {
        &self.io.stdout
    }

    /// Bytes the program wrote to fd 2.
    pub fn stderr(&self) -> &[u8] {
        &self.io.stderr
    }

    /// Caps the bytes kept per output stream (default 64 MiB); later output is dropped.
    pub fn set_output_limit(&mut self, bytes: usize) {
        self.io.output_limit = bytes;
    }

    /// The memory.
    pub fn memory(&self) -> &Memory {
        &self.memory
    }

    /// Mutable access to the memory.
    pub fn memory_mut(&mut self) -> &mut Memory {
        &mut self.memory
    }

    /// The oracle.
    pub fn oracle(&self) -> &O {
        &self.oracle
    }

    /// Mutable access to the oracle (e.g. to add pre-images while paused).
    pub fn oracle_mut(&mut self) -> &mut O {
        &mut self.oracle
    }
}
