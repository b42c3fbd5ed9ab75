//! MIPS executions a party ran itself: the knowledge behind `mips_step`, `split` and `ksplit`
//! (`predicates/rollup.ogs`).
//!
//! A [`VmTrace`] runs the program once in fast mode, keeping a snapshot every `interval` steps,
//! and computes state hashes and step witnesses **on demand** (replaying at most `interval`
//! steps from the nearest snapshot). A bisection over `N` steps looks at about `2·log2 N`
//! states, so a party never hashes the whole run: a million-step dispute needs a few dozen
//! state hashes and one step witness.
//!
//! A trace can also be a *forged belief* ([`VmTrace::believing_wrong_from`]): the true run up to
//! some step and made-up state hashes after it. That is how the simulator models a party that
//! claims (or defends) a wrong output: it plays by the same evaluator, from wrong knowledge.

use super::quantifiers::segments::part_count;
use crate::fpvm::{keccak256, MemoryOracle, PreimageWitness, StepWitness, Tracer, Vm, VmError};
use crate::fpvm::{PROOF_SIZE, STATE_SIZE};
use crate::logic::local::{CallOracle, LocalInfo};
use alloy_primitives::{B256, U256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Length of a `mips_step` witness: the packed pre-state, then the step proof.
pub const MIPS_WITNESS_SIZE: usize = STATE_SIZE + 2 * PROOF_SIZE;

/// The rollup inputs a run's local context is made of (`MipsStep.loadLocalInputs` on chain).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalInputs {
    /// Local input 1: the previous output root.
    pub prev: B256,
    /// Local input 2: the batch hash.
    pub batch: B256,
    /// Local input 3: the claimed output root.
    pub claimed: B256,
}

impl LocalInputs {
    /// The local context `keccak256(abi.encode(prev, batch, claimed))`.
    pub fn context(&self) -> B256 {
        let mut b = Vec::with_capacity(96);
        b.extend_from_slice(self.prev.as_slice());
        b.extend_from_slice(self.batch.as_slice());
        b.extend_from_slice(self.claimed.as_slice());
        B256::from(keccak256(&b))
    }

    /// The local input `ident` (1, 2 or 3).
    pub fn get(&self, ident: u64) -> Option<B256> {
        match ident {
            1 => Some(self.prev),
            2 => Some(self.batch),
            3 => Some(self.claimed),
            _ => None,
        }
    }
}

/// Why a program could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Not a loadable ELF.
    #[error(transparent)]
    Elf(#[from] crate::fpvm::ElfError),
    /// The VM faulted.
    #[error(transparent)]
    Vm(#[from] VmError),
}

/// Made-up state hashes from some step on.
#[derive(Clone, Copy, Debug)]
struct Lie {
    from: u64,
    salt: u64,
}

struct Inner {
    tracer: Tracer<MemoryOracle>,
    hashes: HashMap<u64, B256>,
    index: HashMap<B256, u64>,
    witnesses: HashMap<u64, Arc<StepWitness>>,
}

/// A MIPS execution a party ran itself (see the module docs).
pub struct VmTrace {
    context: B256,
    inputs: Option<LocalInputs>,
    first: u64,
    steps: u64,
    exited: bool,
    exit_code: Option<u8>,
    lie: Option<Lie>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for VmTrace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VmTrace")
            .field("context", &self.context)
            .field("steps", &self.steps)
            .field("exited", &self.exited)
            .field("lie", &self.lie)
            .finish()
    }
}

impl VmTrace {
    /// Runs `vm` for at most `max_steps` steps (fewer if it exits) in fast mode, keeping a
    /// snapshot every `interval` steps. The local context is zero; see [`VmTrace::with_inputs`].
    pub fn record(vm: Vm<MemoryOracle>, max_steps: u64, interval: u64) -> Result<Self, VmError> {
        let first = vm.step_count();
        let mut tracer = Tracer::new(vm, interval);
        tracer.seek(first.saturating_add(max_steps))?;
        let steps = tracer.vm().step_count() - first;
        let exited = tracer.vm().exited();
        let exit_code = tracer.vm().exit_code();
        let trace = VmTrace {
            context: B256::ZERO,
            inputs: None,
            first,
            steps,
            exited,
            exit_code,
            lie: None,
            inner: Mutex::new(Inner {
                tracer,
                hashes: HashMap::new(),
                index: HashMap::new(),
                witnesses: HashMap::new(),
            }),
        };
        trace.real_hash(steps)?;
        trace.real_hash(0)?;
        Ok(trace)
    }

    /// Loads an ELF and records its run (see [`VmTrace::record`]).
    pub fn from_elf(
        elf: &[u8],
        oracle: MemoryOracle,
        max_steps: u64,
        interval: u64,
    ) -> Result<Self, RecordError> {
        let vm = Vm::from_elf(elf, oracle)?;
        Ok(Self::record(vm, max_steps, interval)?)
    }

    /// The same run, for the local context of rollup inputs: `mips_step(ctx, …)` claims with
    /// `ctx = inputs.context()` are the ones it knows about.
    pub fn with_inputs(mut self, inputs: LocalInputs) -> Self {
        self.context = inputs.context();
        self.inputs = Some(inputs);
        self
    }

    /// The same run, believed wrongly from step `from` on (`1 ≤ from`): every state hash from
    /// there is made up (from `salt`), the final one with the VALID status byte if the run
    /// exits (a party claiming a wrong output is valid). Witnesses are still the real ones, so
    /// the believer's one-step claim at `from` fails on chain.
    pub fn believing_wrong_from(mut self, from: u64, salt: u64) -> Self {
        self.lie = Some(Lie {
            from: from.max(1),
            salt,
        });
        let inner = self.inner.get_mut().unwrap_or_else(|e| e.into_inner());
        inner.hashes.clear();
        inner.index.clear();
        let _ = self.hash_at(0);
        let _ = self.hash_at(self.steps);
        self
    }

    /// The local context of `mips_step` claims about this run.
    pub fn context(&self) -> B256 {
        self.context
    }

    /// The rollup inputs of the local context, if any.
    pub fn inputs(&self) -> Option<LocalInputs> {
        self.inputs
    }

    /// Number of steps recorded.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Whether the recorded run ends with the program's exit.
    pub fn exited(&self) -> bool {
        self.exited
    }

    /// The exit code, if the run exited.
    pub fn exit_code(&self) -> Option<u8> {
        self.exit_code
    }

    /// The state hash the run starts in.
    pub fn start(&self) -> B256 {
        self.hash_at(0).unwrap_or_default()
    }

    /// The state hash the run ends in (as believed).
    pub fn end(&self) -> B256 {
        self.hash_at(self.steps).unwrap_or_default()
    }

    /// The first step after which the state is known to have hash `hash`: the first and last
    /// states, and every state whose hash was asked for ([`VmTrace::hash_at`]) — in a
    /// bisection, every state a party's own moves or checks went through.
    pub fn step_of(&self, hash: &B256) -> Option<u64> {
        self.lock().index.get(hash).copied()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn real_hash(&self, step: u64) -> Result<B256, VmError> {
        let mut inner = self.lock();
        if let Some(h) = inner.hashes.get(&step) {
            return Ok(*h);
        }
        let h = B256::from(inner.tracer.state_hash_at(self.first + step)?);
        inner.hashes.insert(step, h);
        inner.index.entry(h).or_insert(step);
        Ok(h)
    }

    fn made_up(&self, lie: Lie, step: u64) -> B256 {
        let mut inner = self.lock();
        if let Some(h) = inner.hashes.get(&step) {
            return *h;
        }
        let mut b = b"ogs made-up state".to_vec();
        b.extend_from_slice(&lie.salt.to_be_bytes());
        b.extend_from_slice(&step.to_be_bytes());
        let mut h = keccak256(&b);
        // Status byte: VALID for the exited end, UNFINISHED before it.
        h[0] = if self.exited && step == self.steps {
            0
        } else {
            3
        };
        let h = B256::from(h);
        inner.hashes.insert(step, h);
        inner.index.entry(h).or_insert(step);
        h
    }

    /// `step`, or the last step for steps past an exit; `None` past a run that did not exit.
    fn clamp(&self, step: u64) -> Option<u64> {
        if step <= self.steps {
            Some(step)
        } else if self.exited {
            Some(self.steps)
        } else {
            None
        }
    }

    /// The state hash after `step` steps, as this party believes it (past an exit: the exited
    /// state); `None` past the end of a run that did not exit.
    pub fn hash_at(&self, step: u64) -> Option<B256> {
        let step = self.clamp(step)?;
        match self.lie {
            Some(lie) if step >= lie.from => Some(self.made_up(lie, step)),
            _ => self.real_hash(step).ok(),
        }
    }

    /// The witness of the step whose pre-state has `step` steps executed (past an exit: the
    /// exited state stepping to itself); `None` past the recording or where this party's
    /// belief has no real state. Cached.
    pub fn step_witness(&self, step: u64) -> Option<Arc<StepWitness>> {
        let step = self.clamp(step)?;
        if self.lie.is_some_and(|l| step >= l.from) {
            return None;
        }
        let mut inner = self.lock();
        if let Some(w) = inner.witnesses.get(&step) {
            return Some(w.clone());
        }
        let w = Arc::new(inner.tracer.witness(self.first + step).ok()?);
        inner.witnesses.insert(step, w.clone());
        Some(w)
    }

    /// The `mips_step` witness (state ‖ proof, [`MIPS_WITNESS_SIZE`] bytes) of the step whose
    /// pre-state has `step` steps executed.
    pub fn witness(&self, step: u64) -> Option<Vec<u8>> {
        let sw = self.step_witness(step)?;
        let mut w = Vec::with_capacity(MIPS_WITNESS_SIZE);
        w.extend_from_slice(&sw.state);
        w.extend_from_slice(&sw.proof_data());
        Some(w)
    }

    /// The pre-image part the step from the state with hash `pre` reads, if it reads one:
    /// what must be in the on-chain oracle before that step is checked.
    pub fn preimage_read_from(&self, pre: &B256) -> Option<PreimageWitness> {
        let step = self.step_of(pre)?;
        self.step_witness(step)?.preimage.clone()
    }

    /// Number of state hashes computed so far (the cost of what this party was asked).
    pub fn hashes_computed(&self) -> usize {
        self.lock().hashes.len()
    }
}

/// Decides `trace(ctx, a, b, n, k)` calls (`predicates/rollup.ogs`) from recorded runs
/// ([`CallOracle`]): True when `n ≥ 1`, `n = 1` or `k` is a branching factor `ksplit`
/// accepts, and the party's run with context `ctx` goes from `a` to `b` in `n` steps. Unfolding the same call decides it True exactly then, but by visiting
/// all `n` steps; this answers from two state hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceFacts {
    /// The definition group of `trace`.
    pub group: B256,
    /// Its index in the group.
    pub index: u32,
}

impl CallOracle for TraceFacts {
    fn known_true(&self, group: &B256, index: u32, args: &[Vec<u8>], info: &LocalInfo) -> bool {
        if *group != self.group || index != self.index || args.len() != 5 {
            return false;
        }
        let word = |i: usize| -> Option<B256> {
            (args[i].len() == 32).then(|| B256::from_slice(&args[i]))
        };
        let (Some(ctx), Some(a), Some(b), Some(n), Some(k)) =
            (word(0), word(1), word(2), word(3), word(4))
        else {
            return false;
        };
        let (n, k) = (U256::from_be_bytes(n.0), U256::from_be_bytes(k.0));
        // One step needs no split; more need a `k` that `ksplit` accepts.
        if n.is_zero() || (n > U256::from(1) && part_count(n, k).is_none()) {
            return false;
        }
        let Some((trace, i)) = info.vm_trace_of(&ctx, &a) else {
            return false;
        };
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        trace.hash_at(i.saturating_add(n)) == Some(b)
    }
}

/// The rollup system's slice of local information: the MIPS runs this party recorded itself
/// (programmatic only; shared, so cloning local information does not copy them).
#[derive(Clone, Debug, Default)]
pub(super) struct RecordedRuns {
    traces: Vec<Arc<VmTrace>>,
}

/// The recorded VM runs in [`LocalInfo`].
pub trait TraceKnowledge {
    /// Records a MIPS execution this party ran itself.
    fn add_vm_trace(&mut self, trace: Arc<VmTrace>);
    /// The recorded executions.
    fn vm_traces(&self) -> &[Arc<VmTrace>];
    /// The first recorded execution with local context `context` known to pass through the
    /// state with hash `hash`, with the number of steps after which it does (see
    /// [`VmTrace::step_of`]).
    fn vm_trace_of(&self, context: &B256, hash: &B256) -> Option<(&VmTrace, u64)>;
}

impl TraceKnowledge for LocalInfo {
    fn add_vm_trace(&mut self, trace: Arc<VmTrace>) {
        self.facts_mut::<RecordedRuns>().traces.push(trace);
    }
    fn vm_traces(&self) -> &[Arc<VmTrace>] {
        self.facts::<RecordedRuns>()
            .map(|r| r.traces.as_slice())
            .unwrap_or_default()
    }
    fn vm_trace_of(&self, context: &B256, hash: &B256) -> Option<(&VmTrace, u64)> {
        TraceKnowledge::vm_traces(self)
            .iter()
            .filter(|t| t.context() == *context)
            .find_map(|t| t.step_of(hash).map(|i| (t.as_ref(), i)))
    }
}
