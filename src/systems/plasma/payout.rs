//! `PlasmaChain` (`contracts/src/payout/PlasmaChain.sol`), the plasma system's payout contract:
//! deposits, committed blocks, and exits paid on a True `plasma_exit` claim.
#![allow(missing_docs)]

alloy_sol_types::sol!(
    #[sol(all_derives)]
    PlasmaChain,
    "contracts/artifacts/PlasmaChain.json"
);

/// The contract's view of a transfer, from ours.
pub fn sol_transfer(t: &super::Transfer) -> PlasmaLib::Transfer {
    PlasmaLib::Transfer {
        chain: t.chain,
        coin: t.coin,
        blockNumber: t.block,
        sender: t.sender,
        owner: t.owner,
    }
}
