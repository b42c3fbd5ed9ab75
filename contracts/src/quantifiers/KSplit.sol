// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title ksplit(ctx: bytes32, a: bytes32, b: bytes32, n: uint256, k: uint256)
/// @notice The ways to cut an `n`-step trace from `a` to `b` into `m = min(k, n)` segments, for
///         `n >= 2` and `2 <= k <= MAX_K`: every list of exactly `m - 1` state hashes (a
///         `bytes32[]`, the claimed states at the inner boundaries; `Segments` gives the
///         segments and their sizes). No proof. `ctx`, `a` and `b` only name the trace (they
///         tell an off-chain party which run to look the hashes up in). Mirrors
///         `src/systems/rollup/quantifiers/ksplit.rs`.
contract KSplit is IQuantifier {
    /// @notice The largest `k` (Rust `MAX_K`): a move posts at most 255 hashes.
    uint256 public constant MAX_K = 256;

    function quantify(bytes[] calldata args, bytes calldata t, bytes calldata) external pure returns (bool) {
        if (args.length < 5) return false;
        for (uint256 j = 0; j < 3; j++) {
            if (args[j].length != 32) return false;
        }
        uint256 m = _parts(args[3], args[4]);
        if (m == 0) return false;
        (bool isList, uint256 count) = ValueLib.listLength(t);
        if (!isList || count + 1 != m) return false;
        for (uint256 i = 0; i < count; i++) {
            if (ValueLib.element(t, i).length != 32) return false;
        }
        return true;
    }

    /// @dev `min(k, n)` for `n >= 2` and `2 <= k <= MAX_K`; 0 (no split) otherwise.
    function _parts(bytes calldata nArg, bytes calldata kArg) private pure returns (uint256) {
        (bool okN, uint256 n) = ValueLib.asWord(nArg);
        (bool okK, uint256 k) = ValueLib.asWord(kArg);
        if (!okN || !okK || n < 2 || k < 2 || k > MAX_K) return 0;
        return k < n ? k : n;
    }
}
