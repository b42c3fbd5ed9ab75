// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title below(n: uint256)
/// @notice The unsigned integers `t < n`. No proof.
contract Below is IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata t, bytes calldata) external pure returns (bool) {
        if (args.length < 1) return false;
        (bool okN, uint256 n) = ValueLib.asWord(args[0]);
        (bool okT, uint256 v) = ValueLib.asWord(t);
        return okN && okT && v < n;
    }
}
