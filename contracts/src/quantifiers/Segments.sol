// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title segments(a: bytes32, b: bytes32, n: uint256, p: bytes32[])
/// @notice The segments of an `n`-step trace from `a` to `b` cut at the state hashes `p`. With
///         `m = len(p) + 1` and `2 <= m <= n`, element `i < m` (proof: `i` as one word) is the
///         tuple `(from, to, size)`: `from` is `a` for the first segment and `p[i - 1]` after,
///         `to` is `p[i]` and `b` for the last, and `size` is `n / m`, plus one for the first
///         `n % m` segments (so the sizes add up to `n` and each is below `n`). Mirrors
///         `src/systems/rollup/quantifiers/segments.rs`.
/// @dev A tuple value is the canonical `abi.encode(bytes[] elements)` of its three 32-byte words.
contract Segments is IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata t, bytes calldata proof) external pure returns (bool) {
        if (args.length < 4 || args[0].length != 32 || args[1].length != 32) return false;
        (bool okN, uint256 n) = ValueLib.asWord(args[2]);
        (bool okI, uint256 i) = ValueLib.asWord(proof);
        if (!okN || !okI) return false;
        uint256 m = _parts(args[3]);
        if (m < 2 || m > n || i >= m) return false;
        (uint256 from, uint256 to) = _ends(args, i, m);
        return _isSegment(t, from, to, n / m + (i < n % m ? 1 : 0));
    }

    /// @dev `len(p) + 1` for a list `p` of 32-byte words; 0 if `p` is not one.
    function _parts(bytes calldata p) private pure returns (uint256) {
        (bool isList, uint256 count) = ValueLib.listLength(p);
        if (!isList) return 0;
        for (uint256 j = 0; j < count; j++) {
            if (ValueLib.element(p, j).length != 32) return 0;
        }
        return count + 1;
    }

    /// @dev The first and last state of segment `i` of `m` (`args` = `(a, b, n, p)`, all checked).
    function _ends(bytes[] calldata args, uint256 i, uint256 m) private pure returns (uint256 from, uint256 to) {
        bytes calldata p = args[3];
        from = i == 0 ? _word(args[0]) : _word(ValueLib.element(p, i - 1));
        to = i + 1 == m ? _word(args[1]) : _word(ValueLib.element(p, i));
    }

    /// @dev Whether `t` is the canonical tuple `(from, to, size)`.
    function _isSegment(bytes calldata t, uint256 from, uint256 to, uint256 size) private pure returns (bool) {
        (bool okT, uint256 count) = ValueLib.listLength(t);
        if (!okT || count != 3) return false;
        (bool okF, uint256 tf) = ValueLib.asWord(ValueLib.element(t, 0));
        (bool okTo, uint256 tt) = ValueLib.asWord(ValueLib.element(t, 1));
        (bool okS, uint256 ts) = ValueLib.asWord(ValueLib.element(t, 2));
        return okF && okTo && okS && tf == from && tt == to && ts == size;
    }

    function _word(bytes calldata e) private pure returns (uint256 w) {
        (, w) = ValueLib.asWord(e);
    }
}
