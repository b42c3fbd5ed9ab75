// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";

/// @title vm_valid(state: bytes32)
/// @notice `state` is a VM state hash whose status byte (its first, most significant byte) is
///         `VALID` (0): the program exited with code 0 (`VMState.hash`). Exactly one argument, a
///         32-byte word. The witness is ignored.
contract VmValid is IVerifier {
    /// @notice True iff `args` is exactly one 32-byte word whose first byte is 0; never reverts.
    function verify(bytes[] calldata args, bytes calldata) external pure returns (bool) {
        return args.length == 1 && args[0].length == 32 && args[0][0] == 0x00;
    }
}
