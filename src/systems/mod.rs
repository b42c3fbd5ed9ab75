//! Systems: what is built on the universal core. Each system owns its verifiers and
//! quantifiers (one file each, mirroring `contracts/src/{verifiers,quantifiers}/*.sol`), its
//! built-in struct types, its slice of local information and the section of the JSON file it
//! is read from, and the names of its contracts.
//!
//! - [`common`]: signatures, pre-images, Merkle sets, comparisons, integer ranges, k-of-n
//!   attestations — used by every predicate library;
//! - [`channel`]: state channels (`predicates/channel.ogs`);
//! - [`plasma`]: plasma exits (`predicates/plasma.ogs`);
//! - [`rollup`]: rollup outputs backed by the MIPS fault-proof VM (`predicates/rollup.ogs`);
//!   the only system that knows the VM.
//!
//! Adding a verifier: its file under the system's `verifiers/`, one line in the system's
//! `install`, and its Solidity contract (`contracts/src/verifiers/`, rebuilt into
//! `contracts/artifacts/`, which `build.rs` embeds). Adding a system: a module here with a
//! [`System`] and one line in [`all`].
//!
//! Systems sit above the chain interface (they own contracts and may act on chain, e.g. the
//! rollup system loads pre-images before a MIPS step) and below the dispute games.

use crate::chain::dispute::{Deploy, DeployPlan, Deployed, DisputeError};
use crate::chain::Backend;
use crate::logic::{Claim, LocalInfo, Registry};
use alloy_primitives::Address;

mod args;
pub mod channel;
pub mod common;
pub mod plasma;
mod prelude;
pub mod rollup;

/// A system plugged into the core.
pub trait System: Send + Sync {
    /// Its name.
    fn name(&self) -> &'static str;
    /// Registers its verifiers, quantifiers, struct types and local-information sections.
    fn install(&self, registry: &mut Registry);
    /// Contracts deployed before its verifiers and quantifiers, not registered (e.g. `MIPS`).
    fn support_contracts(&self) -> Vec<Deploy> {
        Vec::new()
    }
    /// The constructor arguments of one of its contracts: the names of contracts deployed
    /// before it, whose addresses it takes.
    fn constructor_args(&self, _contract: &str) -> Vec<&'static str> {
        Vec::new()
    }
    /// Whether its contracts are deployed after the dispute contract rather than before. The
    /// rollup system's are: deployed last, they leave every other address as it was before
    /// the system existed (plasma transfers name their chain's address, so claims depend on it).
    fn deployed_after_dispute(&self) -> bool {
        false
    }
    /// Called before a party uses a witness of `claim` on chain: a system may have to put
    /// something on chain first (the rollup system loads the pre-image part a MIPS step
    /// reads). Returns what it did, for the transcript, or `None` when it did nothing.
    fn before_witness(
        &self,
        _chain: &mut dyn Backend,
        _contracts: &Deployed,
        _from: Address,
        _claim: &Claim,
        _registry: &Registry,
        _info: &LocalInfo,
    ) -> Option<Prepared> {
        None
    }
}

/// A transaction a [`System::before_witness`] hook sent.
#[derive(Debug)]
pub struct Prepared {
    /// What it did, in words.
    pub what: String,
    /// Its gas, or why it failed.
    pub result: Result<u64, DisputeError>,
}

/// The deployment of the dispute system for `registry`: for each system in [`all`] order, its
/// support contracts, then its verifiers and quantifiers in registration order; the dispute
/// contract after the systems deployed before it; a registry entry no built-in system owns
/// goes first. Only names in `registry` are deployed, and a system none of whose names are
/// there deploys nothing (not even its support contracts).
pub fn deploy_plan(registry: &Registry) -> DeployPlan {
    let systems = all();
    let owned: Vec<Vec<&'static str>> = systems
        .iter()
        .map(|s| {
            let mut r = Registry::empty();
            s.install(&mut r);
            r.entries().map(|e| e.name()).collect()
        })
        .collect();
    let entry = |e: crate::logic::registry::Entry, args: Vec<&'static str>| Deploy::Registered {
        name: e.name(),
        contract: e.contract(),
        verifier: e.is_verifier(),
        args,
    };
    let mut plan: Vec<Deploy> = registry
        .entries()
        .filter(|e| !owned.iter().flatten().any(|n| *n == e.name()))
        .map(|e| entry(e, Vec::new()))
        .collect();
    let mut late = Vec::new();
    for (s, names) in systems.iter().zip(&owned) {
        if !registry.entries().any(|e| names.contains(&e.name())) {
            // None of its verifiers or quantifiers is used: nothing of it is deployed.
            continue;
        }
        let mut steps = s.support_contracts();
        steps.extend(
            registry
                .entries()
                .filter(|e| names.contains(&e.name()))
                .map(|e| {
                    let args = s.constructor_args(e.contract());
                    entry(e, args)
                }),
        );
        if s.deployed_after_dispute() {
            late.extend(steps);
        } else {
            plan.extend(steps);
        }
    }
    plan.push(Deploy::Dispute);
    plan.extend(late);
    DeployPlan(plan)
}

/// Runs every system's [`System::before_witness`] hook; what they did, in order.
pub fn before_witness(
    chain: &mut dyn Backend,
    contracts: &Deployed,
    from: Address,
    claim: &Claim,
    registry: &Registry,
    info: &LocalInfo,
) -> Vec<Prepared> {
    all()
        .iter()
        .filter_map(|s| s.before_witness(chain, contracts, from, claim, registry, info))
        .collect()
}

/// Every built-in system, in the order they are installed (and their contracts deployed).
pub fn all() -> Vec<Box<dyn System>> {
    vec![
        Box::new(common::Common),
        Box::new(channel::Channel),
        Box::new(plasma::Plasma),
        Box::new(rollup::Rollup),
    ]
}

/// The standard registry: every built-in system installed.
pub fn standard() -> Registry {
    let mut r = Registry::empty();
    for s in all() {
        s.install(&mut r);
    }
    r
}

/// The standard dispute system (every built-in system's contracts) on a fresh embedded chain.
pub fn deploy(
    bond: alloy_primitives::U256,
    window: u64,
) -> Result<crate::chain::Dispute, DisputeError> {
    crate::chain::Dispute::deploy(&deploy_plan(&standard()), bond, window)
}
