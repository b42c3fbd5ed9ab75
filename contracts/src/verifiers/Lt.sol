// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title lt(a: uint256, b: uint256)
/// @notice `a < b` as unsigned integers. The witness is ignored.
contract Lt is IVerifier {
    function verify(bytes[] calldata args, bytes calldata) external pure returns (bool) {
        if (args.length < 2) return false;
        (bool okA, uint256 a) = ValueLib.asWord(args[0]);
        (bool okB, uint256 b) = ValueLib.asWord(args[1]);
        return okA && okB && a < b;
    }
}
