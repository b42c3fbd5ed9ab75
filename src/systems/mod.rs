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
//! `install`, and its Solidity contract (`contracts/src/verifiers/`).

use crate::logic::Registry;

mod args;
pub mod channel;
pub mod common;
pub mod plasma;
mod prelude;
pub mod rollup;

/// A system plugged into the core.
pub trait System: Send + Sync {
    /// Its name (`ogs registry` groups by it).
    fn name(&self) -> &'static str;
    /// Registers its verifiers, quantifiers, struct types and local-information sections.
    fn install(&self, registry: &mut Registry);
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
