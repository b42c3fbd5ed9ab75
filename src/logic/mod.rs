//! Claims, contradictions, the evaluator and the verifier/quantifier registry.
//!
//! Pure: no I/O beyond parsing local information, no chain, no VM.

pub mod claim;
pub mod crypto;
pub mod encode;
pub mod eval;
pub mod local;
pub mod registry;
pub mod value;
pub mod vmtrace;

pub use claim::{Claim, Name, Term};
pub use eval::{Evaluator, Verdict};
pub use local::LocalInfo;
pub use registry::Registry;
