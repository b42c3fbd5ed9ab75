//! `ChannelPayout` (`contracts/src/payout/ChannelPayout.sol`), the channel system's payout
//! contract: channels opened and funded on chain, settled on a True `signed_channel_exit`.
#![allow(missing_docs)]

alloy_sol_types::sol!(
    #[sol(all_derives)]
    ChannelPayout,
    "contracts/artifacts/ChannelPayout.json"
);
