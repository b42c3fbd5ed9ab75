//! What a watcher needs to play the rollup output game (`ogs watch --rollup-genesis FILE`):
//! the program and the inputs of every output claim.
//!
//! - **The program** is the one built into ogs (`tests/guests/bin/rollup.elf`). An output claim
//!   names its absolute prestate. A claim about another program is left alone: the watcher
//!   cannot run it, so it has no information about it.
//! - **The inputs** of `output(prestate, ctx, prev, batch, claimed, final, n, k)` are:
//!   - the L2 state whose root is `prev`;
//!   - the batch whose hash is `batch`;
//!   - the root `claimed` itself.
//!
//! The follower rebuilds them from the chain and one file:
//! - The genesis state comes from the user's file. It is checked against the bridge's genesis
//!   root (`finalized(root)`).
//! - The batches come from the bridge's `BatchSealed` events and the calldata of the `seal`
//!   transactions that emitted them: the batch's bytes are `seal`'s argument, checked by the
//!   bridge against the submitted transfers. This is its data availability.
//! - The states come from the reference transition. Starting from genesis, the follower applies
//!   each sealed batch in order, so the state after batch `i` is known for every `i`.
//!
//! For every output claim whose `prev` and `batch` it knows, the follower runs the program on
//! `(state, batch, claimed)` as an honest party does (fast mode, snapshots). It adds the run
//! to the watcher's local information. The evaluator then decides the output claim and every
//! claim of its bisection from that run, as it does in the embedded game. An output claim over
//! an unknown `prev` or `batch` gets no run, so the watcher makes no move on it.

use super::{Source, WatchError, WatchEvent};
use crate::chain::Backend;
use crate::lang::Program;
use crate::logic::{Claim, LocalInfo};
use crate::systems::rollup::bridge::RollupBridge;
use crate::systems::rollup::program::{prestate, record, Role};
use crate::systems::rollup::{trace_facts, Batch, RollupInputs, State, TraceKnowledge};
use alloy_primitives::{keccak256, Address, Bytes, B256};
use alloy_sol_types::{SolCall, SolEvent};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Follows one `RollupBridge`: its genesis state, its sealed batches, and the states they lead
/// to.
pub struct RollupFollower {
    bridge: Address,
    prestate: B256,
    genesis: State,
    /// Sealed batches by index, as the bridge emitted them.
    batches: BTreeMap<u64, Vec<u8>>,
    /// The known states by root: genesis and the state after every sealed batch in order.
    states: BTreeMap<[u8; 32], State>,
    /// The first block not read yet, and how many blocks each round re-reads (reorgs).
    next_block: u64,
    depth: u64,
    /// Claims already looked at (output claims run, other claims skipped).
    looked: BTreeSet<B256>,
    /// Whether the `trace` facts were added to the local information.
    facts: bool,
}

impl RollupFollower {
    /// Follows `bridge` from `start_block`, with the genesis state the user holds. Refuses a
    /// genesis that is not the bridge's, and a bridge that is not for this build's program.
    pub fn new(
        chain: &mut dyn Backend,
        bridge: Address,
        genesis: State,
        start_block: u64,
        depth: u64,
    ) -> Result<Self, WatchError> {
        let prestate = prestate()?;
        let view = |chain: &mut dyn Backend, data: Vec<u8>| {
            chain
                .call(Address::ZERO, bridge, Bytes::from(data))
                .map_err(WatchError::from)
                .and_then(|r| {
                    if r.success && r.output.len() == 32 {
                        Ok(B256::from_slice(&r.output))
                    } else {
                        Err(WatchError::Source(format!(
                            "{bridge:#x} does not answer as a RollupBridge"
                        )))
                    }
                })
        };
        let theirs = view(chain, RollupBridge::PRESTATECall {}.abi_encode())?;
        if theirs != prestate {
            return Err(WatchError::Source(format!(
                "the bridge {bridge:#x} is for the program with prestate {theirs:#x}, this build's \
                 rollup program has {prestate:#x}"
            )));
        }
        let root = genesis.root();
        let call = RollupBridge::finalizedCall(B256::from(root));
        if view(chain, call.abi_encode())? == B256::ZERO {
            return Err(WatchError::Source(format!(
                "the genesis state given (root {:#x}) is not the bridge's: it never finalized \
                 that root",
                B256::from(root)
            )));
        }
        let mut states = BTreeMap::new();
        states.insert(root, genesis.clone());
        Ok(RollupFollower {
            bridge,
            prestate,
            genesis,
            batches: BTreeMap::new(),
            states,
            next_block: start_block,
            depth,
            looked: BTreeSet::new(),
            facts: false,
        })
    }

    /// Reads new `BatchSealed` events and their batches (the seal transactions' calldata);
    /// recomputes the states if a batch is new or changed.
    fn follow(
        &mut self,
        chain: &mut dyn Backend,
        out: &mut Vec<WatchEvent>,
    ) -> Result<(), WatchError> {
        let latest = chain.block_number()?;
        let mut from = self.next_block.saturating_sub(self.depth);
        let mut logs = Vec::new();
        while from <= latest {
            let to = latest.min(from + super::LOG_CHUNK - 1);
            logs.extend(chain.logs(self.bridge, from, to)?);
            from = to + 1;
        }
        let mut changed = false;
        for emitted in logs {
            let Ok(e) = RollupBridge::BatchSealed::decode_log_data(&emitted.data) else {
                continue;
            };
            let Ok(index) = u64::try_from(e.index) else {
                continue;
            };
            // Data availability is the seal transaction's calldata.
            let Ok(seal) = RollupBridge::sealCall::abi_decode(&emitted.input) else {
                return Err(WatchError::Source(format!(
                    "batch {index} was sealed through another contract: its bytes are not in \
                     the transaction's calldata"
                )));
            };
            let bytes = seal.batch.to_vec();
            if keccak256(&bytes) != e.batchHash {
                continue;
            }
            if self.batches.get(&index) != Some(&bytes) {
                out.push(WatchEvent {
                    kind: "learned",
                    gas: None,
                    claim: e.batchHash,
                    detail: format!("batch {index} sealed ({} bytes)", bytes.len()),
                });
                self.batches.insert(index, bytes);
                changed = true;
            }
        }
        self.next_block = latest + 1;
        if changed {
            let mut s = self.genesis.clone();
            self.states = BTreeMap::from([(s.root(), s.clone())]);
            for i in 0.. {
                let Some(b) = self.batches.get(&i) else { break };
                s.apply_bytes(b);
                self.states.insert(s.root(), s.clone());
            }
        }
        Ok(())
    }

    /// `(prev, batch, claimed)` of `c` if it is an output claim of this build's program: the
    /// compiled `output(prestate, ctx, prev, batch, claimed, final, n, k)`, i.e.
    /// `rollup_context(ctx, prev, batch, claimed) and vm_valid(final) and trace(ctx, prestate,
    /// final, n, k)`, for any `k`.
    fn output_of(&self, program: &Program, c: &Claim) -> Option<[[u8; 32]; 3]> {
        let Claim::And(parts) = c else {
            return None;
        };
        let facts = trace_facts(program)?;
        let words = |args: &[crate::logic::Term]| -> Option<Vec<[u8; 32]>> {
            args.iter()
                .map(|a| a.as_lit()?.try_into().ok())
                .collect::<Option<Vec<[u8; 32]>>>()
        };
        let mut context = None;
        let mut trace = None;
        for part in parts {
            match part {
                Claim::Witness { verifier, args }
                    if program.registry.name_of(verifier) == Some("rollup_context") =>
                {
                    context = words(args).filter(|w| w.len() == 4);
                }
                Claim::Call { group, index, args }
                    if *group == facts.group && *index == facts.index && args.len() == 5 =>
                {
                    let n = alloy_primitives::U256::from_be_slice(args[3].as_lit()?);
                    let k = alloy_primitives::U256::from_be_slice(args[4].as_lit()?);
                    trace = Some((words(&args[..3])?, n, k));
                }
                _ => {}
            }
        }
        let (ctx_args, (trace_args, n, k)) = (context?, trace?);
        let [ctx, prev, batch, claimed] = [0, 1, 2, 3].map(|i| ctx_args[i]);
        let [_, pre, fin] = [0, 1, 2].map(|i| trace_args[i]);
        if pre != self.prestate.0 {
            return None;
        }
        // Exactly the `output` claim of these arguments: compiled again and compared.
        let [pre_h, ctx_h, prev_h, batch_h, claimed_h, fin_h] =
            [pre, ctx, prev, batch, claimed, fin].map(B256::from);
        let text = format!(
            "output({pre_h:#x}, {ctx_h:#x}, {prev_h:#x}, {batch_h:#x}, {claimed_h:#x}, {fin_h:#x}, {n}, {k})"
        );
        (program.compile_claim(&text).ok()?.id() == c.id()).then_some([prev, batch, claimed])
    }

    /// The inputs of an output claim over a state and a batch this follower knows.
    fn inputs(&self, [prev, batch, claimed]: [[u8; 32]; 3]) -> Option<RollupInputs> {
        let state = self.states.get(&prev)?;
        let batch = self
            .batches
            .values()
            .find(|b| keccak256(b).0 == batch)
            .and_then(|b| Batch::decode(b).ok())?;
        Some(RollupInputs::new(state, &batch, claimed))
    }
}

impl Source for RollupFollower {
    fn learn(
        &mut self,
        chain: &mut dyn Backend,
        program: &Program,
        claims: &BTreeMap<B256, Claim>,
        info: &mut LocalInfo,
    ) -> Result<Vec<WatchEvent>, WatchError> {
        let mut out = Vec::new();
        self.follow(chain, &mut out)?;
        for (id, c) in claims {
            if self.looked.contains(id) {
                continue;
            }
            let Some(output) = self.output_of(program, c) else {
                self.looked.insert(*id);
                continue;
            };
            // Over a state or batch not known yet: looked at again next round.
            let Some(inputs) = self.inputs(output) else {
                continue;
            };
            self.looked.insert(*id);
            if !self.facts {
                let facts = trace_facts(program).ok_or_else(|| {
                    WatchError::Source(
                        "the claim files define no `trace` (give predicates/rollup.ogs)".into(),
                    )
                })?;
                info.add_call_oracle(Arc::new(facts));
                self.facts = true;
            }
            let run = record(&inputs, Role::Honest, 0)?;
            let verdict = if inputs.claim_is_right() {
                "right"
            } else {
                "wrong"
            };
            out.push(WatchEvent {
                kind: "learned",
                gas: None,
                claim: *id,
                detail: format!(
                    "ran the rollup program on this output's inputs: {} steps, the claimed root \
                     is {verdict}",
                    run.steps()
                ),
            });
            info.add_vm_trace(run);
        }
        Ok(out)
    }
}
