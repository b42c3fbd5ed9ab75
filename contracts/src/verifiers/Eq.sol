// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";

/// @title eq(a, b)
/// @notice Exactly two arguments with equal canonical encodings. The witness is ignored.
contract Eq is IVerifier {
    function verify(bytes[] calldata args, bytes calldata) external pure returns (bool) {
        return args.length == 2 && keccak256(args[0]) == keccak256(args[1]);
    }
}
