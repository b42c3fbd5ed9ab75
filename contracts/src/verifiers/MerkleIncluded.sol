// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title merkle_included(root: bytes32, leaf: bytes32)
/// @notice `leaf` is in the domain-separated keccak256 binary Merkle tree with root `root`.
///         Witness: `abi.encode(uint256 index, bytes32[] siblings)`, siblings bottom-up.
contract MerkleIncluded is IVerifier {
    function verify(bytes[] calldata args, bytes calldata witness) external pure returns (bool) {
        if (args.length < 2) return false;
        (bool okR, uint256 root) = ValueLib.asWord(args[0]);
        (bool okL, uint256 leaf) = ValueLib.asWord(args[1]);
        return okR && okL && ValueLib.merkleVerify(bytes32(root), bytes32(leaf), witness);
    }
}
