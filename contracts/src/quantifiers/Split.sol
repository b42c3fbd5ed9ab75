// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title split(ctx: bytes32, a: bytes32, b: bytes32, n: uint256)
/// @notice The bisection points of an `n`-step trace from `a` to `b`, for `n >= 2`: the tuples
///         `(m: bytes32, h: uint256, r: uint256)` with `h = ceil(n / 2)` and `r = floor(n / 2)`,
///         for every `m` (the claimed state after `h` steps). No proof. `ctx`, `a` and `b` only name
///         the trace (they tell an off-chain party which run to look `m` up in).
/// @dev A tuple value is the canonical `abi.encode(bytes[] elements)` of its three 32-byte words.
contract Split is IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata t, bytes calldata) external pure returns (bool) {
        if (args.length < 4) return false;
        (bool okC,) = ValueLib.asWord(args[0]);
        (bool okA,) = ValueLib.asWord(args[1]);
        (bool okB,) = ValueLib.asWord(args[2]);
        (bool okN, uint256 n) = ValueLib.asWord(args[3]);
        if (!okC || !okA || !okB || !okN || n < 2) return false;
        return _sizes(t, n - n / 2, n / 2);
    }

    /// @dev Whether `t` is a canonical `(bytes32, uint256, uint256)` value ending in `(h, r)`.
    function _sizes(bytes calldata t, uint256 h, uint256 r) private pure returns (bool) {
        (bool isList, uint256 count) = ValueLib.listLength(t);
        if (!isList || count != 3) return false;
        (bool okM,) = ValueLib.asWord(ValueLib.element(t, 0));
        (bool okH, uint256 th) = ValueLib.asWord(ValueLib.element(t, 1));
        if (!okM || !okH || th != h) return false;
        (bool okR, uint256 tr) = ValueLib.asWord(ValueLib.element(t, 2));
        return okR && tr == r;
    }
}
