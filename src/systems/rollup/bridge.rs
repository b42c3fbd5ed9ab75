//! `RollupBridge` (`contracts/src/payout/RollupBridge.sol`), the rollup system's payout
//! contract: the L1 batch inbox, finalization of decided outputs, withdrawals.

/// `RollupBridge` bindings, generated from the committed ABI artifact.
#[allow(missing_docs)]
pub mod bindings {
    alloy_sol_types::sol!(
        #[sol(all_derives)]
        RollupBridge,
        "contracts/artifacts/RollupBridge.json"
    );
}
pub use bindings::RollupBridge;
