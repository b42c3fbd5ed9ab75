//! The rollup program and its predicates: the MIPS32 state-transition guest
//! (`tests/guests/src/rollup.c`), its absolute prestate, recording a party's run of it
//! (honestly or believing it wrongly), the output claim of a run, and the steps that read
//! the pre-image oracle.

use super::{trace_facts, RollupInputs, VmTrace};
use crate::fpvm::{ElfError, MemoryOracle, Vm, VmError};
use crate::lang::{check_source, CheckFailed, Program};
use crate::logic::{Claim, LocalInfo};
use alloy_primitives::B256;
use std::sync::Arc;
use thiserror::Error;

/// Why the rollup program could not be run or claimed about.
#[derive(Debug, Error)]
pub enum ProgramError {
    /// The program is not a loadable ELF.
    #[error("the rollup program: {0}")]
    Elf(#[from] ElfError),
    /// The VM faulted running it.
    #[error("the rollup program: {0}")]
    Vm(#[from] VmError),
    /// It could not be recorded.
    #[error("the rollup program: {0}")]
    Record(#[from] super::trace::RecordError),
    /// A claim about it does not compile.
    #[error("a rollup claim does not compile: {0}")]
    Claim(#[from] CheckFailed),
    /// The predicates define no `trace` to decide from recorded runs.
    #[error("the predicates have no trace definition")]
    NoTrace,
    /// A run recorded without the rollup inputs a claim needs.
    #[error("a run without rollup inputs")]
    NoInputs,
    /// The program exits before the steps a claim is about.
    #[error("the program exits after {steps} steps, before the {wanted} the claim is about")]
    TooShort {
        /// Steps it ran.
        steps: u64,
        /// Steps wanted.
        wanted: u64,
    },
}

/// The rollup state-transition program (MIPS32 ELF, built by `tests/guests/build.sh`).
pub(crate) const PROGRAM: &[u8] = include_bytes!("../../../tests/guests/bin/rollup.elf");

/// The rollup predicates.
pub(crate) const PREDICATES: &str = include_str!("../../../predicates/rollup.ogs");

/// Snapshot interval of the parties' recorded runs (a state hash or witness replays at most
/// this many steps).
pub(crate) const SNAPSHOT_INTERVAL: u64 = 1 << 14;

/// The branching factor of output claims unless a game says otherwise (`k` of `trace`): each
/// bisection level cuts the disputed steps into this many segments.
pub const DEFAULT_K: u64 = 32;

/// Most steps a run may take.
pub const MAX_STEPS: u64 = 1 << 31;

/// How a party plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// From its real run of the program.
    Honest,
    /// From a run it believes wrongly from step `from` on (`None`: only the last step, the
    /// exit). As a proposer it also claims a wrong output root (a theft).
    Liar {
        /// The first step whose state it believes wrongly.
        from: Option<u64>,
    },
}

/// The compiled rollup predicates.
pub fn program() -> Program {
    match check_source("rollup.ogs", PREDICATES, &crate::systems::standard()) {
        Ok(p) => p,
        Err(e) => panic!("predicates/rollup.ogs: {}", e.render(false)),
    }
}

/// The initial state hash of [`PROGRAM`] (its absolute prestate).
pub fn prestate() -> Result<B256, ProgramError> {
    let mut vm = Vm::from_elf(PROGRAM, MemoryOracle::new())?;
    Ok(B256::from(vm.state_hash()))
}

/// Runs the program on `inputs` and records it as a party knows it.
pub fn record(inputs: &RollupInputs, role: Role, salt: u64) -> Result<Arc<VmTrace>, ProgramError> {
    let t = VmTrace::from_elf(PROGRAM, inputs.oracle(), MAX_STEPS, SNAPSHOT_INTERVAL)?
        .with_inputs(inputs.local_inputs());
    Ok(Arc::new(match role {
        Role::Honest => t,
        Role::Liar { from } => {
            let from = from.unwrap_or(t.steps()).clamp(1, t.steps().max(1));
            t.believing_wrong_from(from, salt)
        }
    }))
}

/// Records the first `max_steps` steps of the program `elf` (no pre-images), a snapshot every
/// `interval` steps.
pub fn record_elf(elf: &[u8], max_steps: u64, interval: u64) -> Result<VmTrace, ProgramError> {
    Ok(VmTrace::from_elf(
        elf,
        MemoryOracle::new(),
        max_steps,
        interval,
    )?)
}

/// The output claim for a recorded run, disputed `k`-ary.
pub fn output_claim(
    p: &Program,
    prestate: B256,
    t: &VmTrace,
    k: u64,
) -> Result<Claim, ProgramError> {
    let i = t.inputs().ok_or(ProgramError::NoInputs)?;
    let text = format!(
        "output({prestate:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {}, {k})",
        t.context(),
        i.prev,
        i.batch,
        i.claimed,
        t.end(),
        t.steps()
    );
    p.compile_claim(&text).map_err(ProgramError::from)
}

/// The steps of the program's run on `inputs` that read the pre-image oracle (`read(5, …)`),
/// found by stepping in fast mode (no hashing); at most `limit` of them.
pub fn oracle_read_steps(inputs: &RollupInputs, limit: usize) -> Result<Vec<u64>, ProgramError> {
    let mut vm = Vm::from_elf(PROGRAM, inputs.oracle())?;
    let mut steps = Vec::new();
    while !vm.exited() && steps.len() < limit && vm.step_count() < MAX_STEPS {
        if vm.next_reads_preimage() {
            steps.push(vm.step_count());
        }
        vm.step()?;
    }
    Ok(steps)
}

/// A party's local information for rollup disputes: its recorded runs, and the [`TraceFacts`]
/// (`super::TraceFacts`) of `p`'s `trace` definition so `trace` calls are decided from them.
pub fn knowledge(p: &Program, traces: &[&Arc<VmTrace>]) -> LocalInfo {
    use super::TraceKnowledge;
    let mut info = LocalInfo::new();
    for t in traces {
        info.add_vm_trace((*t).clone());
    }
    if let Some(f) = trace_facts(p) {
        info.add_call_oracle(Arc::new(f));
    }
    info
}
