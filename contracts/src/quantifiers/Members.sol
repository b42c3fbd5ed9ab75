// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title members(root: bytes32)
/// @notice The leaves of the committed Merkle set `root`. Proof: the inclusion witness
///         `abi.encode(uint256 index, bytes32[] siblings)` of `t` (as merkle_included).
contract Members is IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata t, bytes calldata proof) external pure returns (bool) {
        if (args.length < 1) return false;
        (bool okR, uint256 root) = ValueLib.asWord(args[0]);
        (bool okT, uint256 leaf) = ValueLib.asWord(t);
        return okR && okT && ValueLib.merkleVerify(bytes32(root), bytes32(leaf), proof);
    }
}
