//! The chain: a [`Backend`] (the embedded revm [`Chain`] implements it, with the dev-only
//! powers of [`DevBackend`]; [`rpc::RpcChain`] is a JSON-RPC node through alloy), the committed
//! contract artifacts, and the universal dispute
//! contract's bindings and deployment. The only module that imports revm; it knows no system
//! (systems hand it a [`dispute::DeployPlan`]) and nothing of the dispute games above it.

pub mod artifacts;
mod backend;
pub mod clock;
pub mod dispute;
mod evm;
pub mod rpc;

pub use backend::{Backend, DevBackend, Emitted};
pub use clock::Clock;
pub use dispute::{
    ClaimOwner, Deploy, DeployPlan, Deployment, Dispute, DisputeError, DisputeEvent, How, Status,
};
pub use evm::{Chain, ChainError, Receipt, CHAIN_ID, SPEC, TX_GAS_LIMIT};
