//! The chain: the only module that imports revm.
//!
//! [`evm`] is an in-process EVM with accounts, a block clock, gas and logs.
//! The dispute contract's bindings and deployment live next to it.

pub mod evm;

pub use evm::{Chain, ChainError, Receipt};

pub mod dispute;
pub mod fpvm;

pub use dispute::{Dispute, DisputeError, DisputeEvent, How, Status};
