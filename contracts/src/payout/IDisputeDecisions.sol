// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @notice What payout contracts read from the UniversalDispute contract: decisions only.
interface IDisputeDecisions {
    /// @notice Whether claim `id` is decided True (final).
    function isTrue(bytes32 id) external view returns (bool);

    /// @notice 0 None, 1 Undecided, 2 True, 3 False.
    function statusOf(bytes32 id) external view returns (uint8);
}
