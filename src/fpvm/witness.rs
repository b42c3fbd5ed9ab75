//! Step witnesses and the [`Tracer`], which answers witnesses for any step by replaying from
//! the nearest of its periodic snapshots.
//!
//! A witness is what the on-chain `step(bytes stateData, bytes proof, bytes32 localContext)`
//! takes: the 226-byte pre-state and 1,792 bytes of proof (the instruction word's proof, then
//! the data word's proof), plus what a challenger needs around it.

use super::error::VmError;
use super::memory::{Proof, PROOF_SIZE};
use super::oracle::{HintHandler, MemoryOracle, PreimageKey, PreimageOracle};
use super::state::STATE_SIZE;
use super::vm::{Snapshot, Vm};

/// The pre-image part a step reads: the challenger loads it into the on-chain oracle before
/// calling `step`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreimageWitness {
    /// The key as the program wrote it (local keys are localized on-chain).
    pub key: PreimageKey,
    /// The whole pre-image, without its 8-byte length prefix.
    pub value: Vec<u8>,
    /// Offset into `(length prefix ‖ pre-image)` that the step reads at.
    pub offset: u32,
}

/// Everything needed to prove one step on-chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepWitness {
    /// The pre-state's step counter.
    pub step: u64,
    /// The encoded pre-state.
    pub state: [u8; STATE_SIZE],
    /// The pre-state hash.
    pub state_hash: [u8; 32],
    /// Proof of the instruction word at `pc`.
    pub insn_proof: Proof,
    /// Proof of the data word the step reads or writes (zeros if none, see
    /// [`Vm::step_with_witness`]).
    pub mem_proof: Proof,
    /// Address of the data word, if the step touches one.
    pub mem_addr: Option<u32>,
    /// The encoded post-state.
    pub post_state: [u8; STATE_SIZE],
    /// The expected post-state hash.
    pub post_state_hash: [u8; 32],
    /// The pre-image part read, for `read(5, …)` steps.
    pub preimage: Option<PreimageWitness>,
}

impl StepWitness {
    /// The `proof` argument of the on-chain step: instruction proof ‖ data proof (1,792 bytes).
    pub fn proof_data(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(2 * PROOF_SIZE);
        v.extend_from_slice(&self.insn_proof);
        v.extend_from_slice(&self.mem_proof);
        v
    }

    /// A JSON object with `0x`-prefixed hex strings.
    pub fn to_json(&self) -> serde_json::Value {
        let hx = |b: &[u8]| format!("0x{}", hex::encode(b));
        serde_json::json!({
            "step": self.step,
            "state": hx(&self.state),
            "stateHash": hx(&self.state_hash),
            "proof": hx(&self.proof_data()),
            "insnProof": hx(&self.insn_proof),
            "memProof": hx(&self.mem_proof),
            "memAddr": self.mem_addr.map(|a| format!("{a:#010x}")),
            "postState": hx(&self.post_state),
            "postStateHash": hx(&self.post_state_hash),
            "preimageKey": self.preimage.as_ref().map(|p| hx(&p.key)),
            "preimageValue": self.preimage.as_ref().map(|p| hx(&p.value)),
            "preimageOffset": self.preimage.as_ref().map(|p| p.offset),
        })
    }
}

/// Witnesses for arbitrary steps of one execution.
///
/// Keeps a snapshot every `interval` steps (taken as execution first passes them); a witness for
/// step `n` replays at most `interval` steps from the nearest snapshot at or before `n` (or
/// continues from the working VM if that is closer).
pub struct Tracer<O = MemoryOracle> {
    vm: Vm<O>,
    snapshots: Vec<Snapshot>,
    interval: u64,
}

impl<O: PreimageOracle + HintHandler> Tracer<O> {
    /// Starts a trace at the VM's current state, with a snapshot every `interval` steps
    /// (at least 1).
    pub fn new(mut vm: Vm<O>, interval: u64) -> Self {
        let first = vm.snapshot();
        Tracer {
            vm,
            snapshots: vec![first],
            interval: interval.max(1),
        }
    }

    /// Number of snapshots held.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// The working VM.
    pub fn vm(&self) -> &Vm<O> {
        &self.vm
    }

    /// Mutable access to the working VM (its position changes with every query).
    pub fn vm_mut(&mut self) -> &mut Vm<O> {
        &mut self.vm
    }

    fn snapshot_step(s: &Snapshot) -> u64 {
        s.state().step
    }

    /// Puts the working VM in the state after `step` steps, or the final state if the program
    /// exits earlier. Steps before the trace's first state are clamped to it.
    pub fn seek(&mut self, step: u64) -> Result<(), VmError> {
        let idx = self
            .snapshots
            .partition_point(|s| Self::snapshot_step(s) <= step)
            .saturating_sub(1);
        let base = Self::snapshot_step(&self.snapshots[idx]);
        let cur = self.vm.step_count();
        let can_continue = base <= cur && cur <= step;
        if !can_continue {
            let snap = self.snapshots[idx].clone();
            self.vm.restore(&snap);
        }
        while self.vm.step_count() < step && !self.vm.exited() {
            let now = self.vm.step_count();
            let next_snapshot = (now / self.interval)
                .saturating_add(1)
                .saturating_mul(self.interval);
            let target = next_snapshot.min(step);
            self.vm.run(target - now)?;
            let at = self.vm.step_count();
            let last = self.snapshots.last().map_or(0, Self::snapshot_step);
            if at == next_snapshot && at > last && !self.vm.exited() {
                let snap = self.vm.snapshot();
                self.snapshots.push(snap);
            }
        }
        Ok(())
    }

    /// The witness of the step whose pre-state has `step` steps executed (for a step at or
    /// past the program's exit: the exited state stepping to itself).
    pub fn witness(&mut self, step: u64) -> Result<StepWitness, VmError> {
        self.seek(step)?;
        self.vm.step_with_witness()
    }

    /// The hash of the state after `step` steps (or the final state, if it exits earlier).
    pub fn state_hash_at(&mut self, step: u64) -> Result<[u8; 32], VmError> {
        self.seek(step)?;
        Ok(self.vm.state_hash())
    }
}
