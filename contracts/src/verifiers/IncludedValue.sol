// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title included_value(root: bytes32, value: any)
/// @notice `keccak256(value)` -- the keccak256 of the value's canonical encoding -- is a leaf
///         of the domain-separated Merkle tree with root `root`. Witness:
///         `abi.encode(uint256 index, bytes32[] siblings)`, siblings bottom-up (as merkle_included).
contract IncludedValue is IVerifier {
    function verify(bytes[] calldata args, bytes calldata witness) external pure returns (bool) {
        if (args.length < 2) return false;
        (bool okR, uint256 root) = ValueLib.asWord(args[0]);
        return okR && ValueLib.merkleVerify(bytes32(root), keccak256(args[1]), witness);
    }
}
