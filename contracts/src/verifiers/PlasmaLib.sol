// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {ValueLib} from "../lib/ValueLib.sol";

/// @title PlasmaLib -- the plasma transfer value, block headers and chain inclusion.
/// @notice Mirrors `Transfer`, `plasma_header_leaf` and the `plasma_included` check of
///         `src/logic/local.rs` / `src/logic/registry.rs` (see `predicates/plasma.ogs`).
///
///   PlasmaTransfer { address chain; uint256 coin; uint256 block; address sender; address owner }
///       = abi.encode(bytes[5] fields), each field a 32-byte word (addresses clean)
///   header leaf of block n with root r = keccak256(abi.encode(bytes[]{abi.encode(n), r}))
///   chain commitment = Merkle root (ValueLib's tree) of the header leaves of blocks 1..n
library PlasmaLib {
    /// @notice The fields of a plasma transfer.
    struct Transfer {
        address chain;
        uint256 coin;
        uint256 blockNumber;
        address sender;
        address owner;
    }

    /// @notice Strictly decodes a canonical `PlasmaTransfer` value; `ok` is false for anything else.
    function decode(bytes calldata v) internal pure returns (bool ok, Transfer memory t) {
        (bool isList, uint256 n) = ValueLib.listLength(v);
        if (!isList || n != 5) return (false, t);
        bool okW;
        (okW, t.chain) = ValueLib.asAddress(ValueLib.element(v, 0));
        if (!okW) return (false, t);
        (okW, t.coin) = ValueLib.asWord(ValueLib.element(v, 1));
        if (!okW) return (false, t);
        (okW, t.blockNumber) = ValueLib.asWord(ValueLib.element(v, 2));
        if (!okW) return (false, t);
        (okW, t.sender) = ValueLib.asAddress(ValueLib.element(v, 3));
        if (!okW) return (false, t);
        (okW, t.owner) = ValueLib.asAddress(ValueLib.element(v, 4));
        if (!okW) return (false, t);
        return (true, t);
    }

    /// @notice The canonical encoding of a transfer.
    function encode(Transfer memory t) internal pure returns (bytes memory) {
        bytes[] memory f = new bytes[](5);
        f[0] = abi.encode(t.chain);
        f[1] = abi.encode(t.coin);
        f[2] = abi.encode(t.blockNumber);
        f[3] = abi.encode(t.sender);
        f[4] = abi.encode(t.owner);
        return abi.encode(f);
    }

    /// @notice The leaf of block `number` with root `root` in the chain commitment:
    ///         keccak256 of the canonical encoding of the tuple `(number, root)`.
    function headerLeaf(uint256 number, bytes32 root) internal pure returns (bytes32) {
        return keccak256(abi.encode(uint256(0x20), uint256(2), uint256(0x40), uint256(0x80), uint256(32), number, uint256(32), root));
    }

    /// @notice Whether `w = abi.encode(bytes[]{blockRoot, headerWitness, transferWitness})` proves
    ///         the transfer `t` (canonical encoding) included in block `t.block` of the chain
    ///         committed by `chain`: the header `(t.block, blockRoot)` under `chain`, and
    ///         `keccak256(t)` under `blockRoot`. False for anything malformed.
    function included(bytes32 chain, bytes calldata t, bytes calldata w) internal pure returns (bool) {
        (bool okT, Transfer memory tr) = decode(t);
        if (!okT) return false;
        (bool okW, uint256 n) = ValueLib.listLength(w);
        if (!okW || n != 3) return false;
        (bool okR, uint256 root) = ValueLib.asWord(ValueLib.element(w, 0));
        if (!okR) return false;
        return ValueLib.merkleVerify(chain, headerLeaf(tr.blockNumber, bytes32(root)), ValueLib.element(w, 1))
            && ValueLib.merkleVerify(bytes32(root), keccak256(t), ValueLib.element(w, 2));
    }
}
