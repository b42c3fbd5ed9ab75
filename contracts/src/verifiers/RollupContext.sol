// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";

/// @title rollup_context(ctx: bytes32, prev: bytes32, batch: bytes32, claimed: bytes32)
/// @notice `ctx` is the local context of the rollup program's run on these inputs:
///         `ctx == keccak256(abi.encode(prev, batch, claimed))` (see `MipsStep.localContext`).
///         Exactly four arguments, each a 32-byte word. The witness is ignored.
contract RollupContext is IVerifier {
    /// @notice True iff `args` are exactly four 32-byte words `ctx, prev, batch, claimed` with
    ///         `ctx == keccak256(abi.encode(prev, batch, claimed))`; never reverts.
    function verify(bytes[] calldata args, bytes calldata) external pure returns (bool) {
        if (args.length != 4) return false;
        for (uint256 i = 0; i < 4; i++) {
            if (args[i].length != 32) return false;
        }
        return bytes32(args[0]) == keccak256(abi.encode(bytes32(args[1]), bytes32(args[2]), bytes32(args[3])));
    }
}
