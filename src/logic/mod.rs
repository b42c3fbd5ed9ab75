//! The universal core: claims, values and their encoding, the evaluator, local information
//! and the verifier/quantifier registry.
//!
//! Pure and system-agnostic: no I/O beyond parsing local information, no chain, no VM, and
//! no verifier, quantifier or struct named here — systems plug them in
//! through the [`Registry`].

pub mod claim;
pub mod crypto;
pub mod encode;
pub mod eval;
pub mod local;
pub mod registry;
pub mod value;

pub use claim::{Claim, Name, Term};
pub use eval::{Evaluator, Verdict};
pub use local::LocalInfo;
pub use registry::Registry;
