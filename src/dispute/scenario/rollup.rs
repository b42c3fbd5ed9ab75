//! The `[rollup]` world: a `RollupBridge` holding a generated genesis state, the L2 users'
//! batch submitted and sealed at the start, output claims (`propose`), finalization
//! (`finalize_output`) and L1 withdrawals (`withdrawals`). Parties with `rollup = …` run the
//! program on every proposed output's inputs, honestly or believing the run wrongly, and
//! decide the bisection from their runs.

use super::util::known_party;
use super::world::{Labels, World, WorldCx};
use super::{Action, PartySpec, RollupSpec, RunSpec, ScenarioError};
use crate::dispute::rollup::{Bridge, RollupError};
use crate::dispute::{Arena, Party};
use crate::logic::LocalInfo;
use crate::systems::rollup::program::{record, Role};
use crate::systems::rollup::{Gen, TraceKnowledge, VmTrace};
use alloy_primitives::Address;
use std::sync::Arc;

/// The world: the bridge, and every party's recorded runs by the output root they claim.
pub(super) struct Rollup {
    bridge: Bridge,
    /// `(party, claimed root, run)`.
    runs: Vec<(String, [u8; 32], Arc<VmTrace>)>,
    seed: u64,
    /// Wei the bridge paid out to L2 users on L1.
    withdrawn: u128,
}

fn rollup_error(e: RollupError) -> ScenarioError {
    ScenarioError::Invalid(format!("[rollup]: {e}"))
}

impl Rollup {
    /// Deploys the bridge from the operator, submits and seals the batch.
    pub(super) fn deploy(
        arena: &mut Arena,
        spec: &RollupSpec,
        parties: &[PartySpec],
    ) -> Result<Rollup, ScenarioError> {
        let operator = known_party(parties, &spec.operator).map_err(|_| {
            ScenarioError::Invalid(format!(
                "the rollup operator `{}` is not a party",
                spec.operator
            ))
        })?;
        let mut gen = Gen::new(spec.seed);
        let genesis = gen.genesis(spec.accounts, 1 << 40);
        let batch = gen.batch(&genesis, spec.transfers, 0.2);
        let bridge = Bridge::open(arena, (&spec.operator, operator), genesis, &batch)
            .map_err(rollup_error)?;
        Ok(Rollup {
            bridge,
            runs: Vec::new(),
            seed: spec.seed,
            withdrawn: 0,
        })
    }

    /// The output root an action names.
    fn root(&self, which: &str, block: u64) -> Result<[u8; 32], ScenarioError> {
        match which {
            "right" => Ok(self.bridge.right_root()),
            "theft" => Ok(self.bridge.theft_root()),
            other => Err(ScenarioError::Invalid(format!(
                "block {block}: unknown output `{other}` (expected `right` or `theft`)"
            ))),
        }
    }

    /// `name`'s run of the inputs claiming `root`, if it has one.
    fn run_of(&self, name: &str, root: &[u8; 32]) -> Option<&Arc<VmTrace>> {
        self.runs
            .iter()
            .find(|(n, r, _)| n == name && r == root)
            .map(|(_, _, t)| t)
    }

    /// Every party with a `rollup` run records the inputs claiming `root` (once).
    fn record_all(&mut self, root: [u8; 32], parties: &[PartySpec]) -> Result<(), ScenarioError> {
        let inputs = self.bridge.inputs(root);
        for (i, p) in parties.iter().enumerate() {
            let Some(run) = p.rollup else { continue };
            if self.run_of(&p.name, &root).is_some() {
                continue;
            }
            let role = match run {
                RunSpec::Honest => Role::Honest,
                RunSpec::Liar => Role::Liar { from: None },
                RunSpec::LiarFrom(from) => Role::Liar { from: Some(from) },
            };
            let t = record(&inputs, role, self.seed ^ (i as u64 + 1))
                .map_err(|e| rollup_error(e.into()))?;
            self.runs.push((p.name.clone(), root, t));
        }
        Ok(())
    }
}

impl World for Rollup {
    fn contract(&self) -> (Address, &'static str) {
        (self.bridge.address, "RollupBridge")
    }

    fn section(&self) -> &'static str {
        "rollup"
    }

    fn act(
        &mut self,
        action: &Action,
        cx: &mut WorldCx<'_, '_>,
        who: &Party,
    ) -> Result<bool, ScenarioError> {
        let no_run = |root: &[u8; 32]| {
            ScenarioError::Invalid(format!(
                "block {}: `{}` has no run of the output 0x{}… (give it `rollup = \"honest\"` or a liar's run)",
                cx.block,
                who.name,
                &hex::encode(root)[..8]
            ))
        };
        match action {
            Action::Propose(which) => {
                let root = self.root(which, cx.block)?;
                self.record_all(root, cx.parties)?;
                let run = self.run_of(&who.name, &root).ok_or_else(|| no_run(&root))?;
                // A refused claim is in the transcript; the run goes on.
                let _ = self.bridge.propose(cx.arena, who, run);
                Ok(true)
            }
            Action::FinalizeOutput(which) => {
                let root = self.root(which, cx.block)?;
                let run = self.run_of(&who.name, &root).ok_or_else(|| no_run(&root))?;
                self.bridge.finalize(cx.arena, who, run);
                Ok(false)
            }
            Action::Withdrawals(all) => {
                if all != "all" {
                    return Err(ScenarioError::Invalid(format!(
                        "block {}: `withdrawals = \"all\"` is the only form",
                        cx.block
                    )));
                }
                if self
                    .bridge
                    .finalized_right_root(cx.arena)
                    .map_err(rollup_error)?
                {
                    self.withdrawn += self.bridge.withdraw_all(cx.arena);
                }
                Ok(false)
            }
            _ => Ok(false),
        }
    }

    /// Its runs, and the `trace` facts that decide trace claims from them.
    fn inform(
        &self,
        info: &mut LocalInfo,
        _who: Address,
        spec: &PartySpec,
        _parties: &[PartySpec],
    ) -> Result<(), ScenarioError> {
        let mut any = false;
        for (n, _, t) in &self.runs {
            if *n == spec.name {
                info.add_vm_trace(t.clone());
                any = true;
            }
        }
        if any {
            info.add_call_oracle(Arc::new(self.bridge.facts));
        }
        Ok(())
    }

    fn other_balances(&self) -> Vec<(String, String)> {
        vec![("L2 users".into(), format!("+{}", self.withdrawn))]
    }

    fn labels(
        &self,
        _labels: &mut Labels,
        _names: &super::util::Names,
    ) -> Result<(), ScenarioError> {
        Ok(())
    }
}
