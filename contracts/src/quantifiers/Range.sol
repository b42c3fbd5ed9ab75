// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title range(lo: uint256, hi: uint256)
/// @notice The unsigned integers `lo <= t < hi`. No proof.
contract Range is IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata t, bytes calldata) external pure returns (bool) {
        if (args.length < 2) return false;
        (bool okLo, uint256 lo) = ValueLib.asWord(args[0]);
        (bool okHi, uint256 hi) = ValueLib.asWord(args[1]);
        (bool okT, uint256 v) = ValueLib.asWord(t);
        return okLo && okHi && okT && lo <= v && v < hi;
    }
}
