// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @title ValueLib -- strict decoding of canonical values, signatures and Merkle proofs.
/// @notice Mirrors `src/logic/value.rs` and `src/logic/crypto.rs`. Every function returns a
///         failure flag instead of reverting, so verifiers built on it answer `false` on any
///         malformed input.
///
/// Canonical value encoding (Rust `Value::encode`):
///   uint256, bytes32   -- 32 bytes
///   address            -- 32 bytes, the upper 12 zero
///   bool               -- 32 bytes, 0 or 1
///   bytes              -- the bytes themselves
///   struct/tuple/array -- abi.encode(bytes[] elements), exactly as `abi.encode` lays it out
library ValueLib {
    /// secp256k1 group order and half of it (the low-s bound, as k256 `normalize_s`).
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 internal constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    /// Deepest Merkle tree accepted (Rust `MERKLE_MAX_DEPTH`).
    uint256 internal constant MERKLE_MAX_DEPTH = 32;

    /// @dev The 32-byte word at offset `o` of `b` (caller checks bounds).
    function _word(bytes calldata b, uint256 o) private pure returns (uint256 w) {
        assembly ("memory-safe") {
            w := calldataload(add(b.offset, o))
        }
    }

    /// @notice A `uint256` or `bytes32` value: exactly 32 bytes.
    function asWord(bytes calldata b) internal pure returns (bool ok, uint256 w) {
        if (b.length != 32) return (false, 0);
        return (true, _word(b, 0));
    }

    /// @notice An `address` value: 32 bytes whose upper 12 bytes are zero.
    function asAddress(bytes calldata b) internal pure returns (bool ok, address a) {
        if (b.length != 32) return (false, address(0));
        uint256 w = _word(b, 0);
        if (w >> 160 != 0) return (false, address(0));
        return (true, address(uint160(w)));
    }

    /// @notice Whether `b` is exactly `abi.encode(bytes[] parts)` (Rust `decode_list`); the count.
    function listLength(bytes calldata b) internal pure returns (bool ok, uint256 n) {
        uint256 len = b.length;
        if (len < 0x40 || _word(b, 0) != 0x20) return (false, 0);
        n = _word(b, 0x20);
        if (n > (len - 0x40) >> 5) return (false, 0);
        uint256 pos = n << 5; // offset of the next element, relative to 0x40
        for (uint256 i = 0; i < n; i++) {
            uint256 e = 0x40 + pos;
            if (_word(b, 0x40 + (i << 5)) != pos || len - e < 0x20) return (false, 0);
            uint256 elen = _word(b, e);
            uint256 room = len - e - 0x20;
            // Compare before padding: `elen + 31` would overflow for huge lengths.
            if (elen > room) return (false, 0);
            uint256 padded = (elen + 31) & ~uint256(31);
            if (padded > room) return (false, 0);
            if (elen & 31 != 0 && (_word(b, e + 0x20 + elen - (elen & 31)) << ((elen & 31) << 3)) != 0) {
                return (false, 0);
            }
            pos += 0x20 + padded;
        }
        if (0x40 + pos != len) return (false, 0);
        return (true, n);
    }

    /// @notice Element `i` of a list `listLength` accepted.
    function element(bytes calldata b, uint256 i) internal pure returns (bytes calldata e) {
        uint256 at = 0x40 + _word(b, 0x40 + (i << 5));
        uint256 elen = _word(b, at);
        return b[at + 0x20:at + 0x20 + elen];
    }

    /// @notice The element count of a list `listLength` accepted.
    function listCount(bytes calldata b) internal pure returns (uint256) {
        return _word(b, 0x20);
    }

    /// @notice A `ChannelUpdate { bytes32 channel; uint256 nonce; bytes32 state_hash;
    ///         address[] participants }` value, strictly decoded (Rust `Value::decode` of the
    ///         struct type). `participants` is returned as its canonical encoding: a list
    ///         (see `listCount`, `element`) of clean address words.
    function channelUpdate(bytes calldata u)
        internal
        pure
        returns (bool ok, bytes32 channel, uint256 nonce, bytes calldata participants)
    {
        participants = u[0:0];
        (bool isList, uint256 n) = listLength(u);
        if (!isList || n != 4) return (false, 0, 0, participants);
        if (element(u, 0).length != 32 || element(u, 1).length != 32 || element(u, 2).length != 32) {
            return (false, 0, 0, participants);
        }
        if (!addressList(element(u, 3))) return (false, 0, 0, participants);
        return (true, bytes32(_word(element(u, 0), 0)), _word(element(u, 1), 0), element(u, 3));
    }

    /// @notice Whether `b` is a canonical `address[]` value: a list of clean address words.
    function addressList(bytes calldata b) internal pure returns (bool) {
        (bool ok, uint256 n) = listLength(b);
        if (!ok) return false;
        for (uint256 i = 0; i < n; i++) {
            (bool okA, ) = asAddress(element(b, i));
            if (!okA) return false;
        }
        return true;
    }

    /// @notice `keccak256("\x19Ethereum Signed Message:\n32" ++ digest)` (EIP-191).
    function ethSignedHash(bytes32 digest) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, "\x19Ethereum Signed Message:\n32")
            mstore(0x1c, digest)
            h := keccak256(0x00, 0x3c)
        }
    }

    /// @notice The signer of `digest` (signed as an EIP-191 32-byte message) for a canonical
    ///         65-byte signature `r ++ s ++ v`: `v` in {27, 28}, `0 < r < n`, `0 < s <= n/2`.
    ///         Returns `address(0)` for anything else or when nothing recovers.
    function recover(bytes32 digest, bytes calldata sig) internal pure returns (address) {
        if (sig.length != 65) return address(0);
        uint256 r = _word(sig, 0);
        uint256 s = _word(sig, 32);
        uint8 v = uint8(sig[64]);
        if (v != 27 && v != 28) return address(0);
        if (r == 0 || r >= SECP256K1_N || s == 0 || s > HALF_N) return address(0);
        return ecrecover(ethSignedHash(digest), v, bytes32(r), bytes32(s));
    }

    /// @notice A Merkle inclusion witness `abi.encode(uint256 index, bytes32[] siblings)`
    ///         (parameter encoding, strict; the index must fit 64 bits). Returns the offset
    ///         of the first sibling in `w` and their count.
    function merkleWitness(bytes calldata w) internal pure returns (bool ok, uint256 index, uint256 count) {
        uint256 len = w.length;
        if (len < 0x60 || _word(w, 0x20) != 0x40) return (false, 0, 0);
        index = _word(w, 0);
        count = _word(w, 0x40);
        if (index >> 64 != 0 || count > (len - 0x60) >> 5 || 0x60 + (count << 5) != len) return (false, 0, 0);
        return (true, index, count);
    }

    /// @notice Whether the siblings in witness `w` (bottom-up) prove `leaf` at `index` under
    ///         `root`, with leaf = keccak256(0x00 ++ leaf) and node = keccak256(0x01 ++ l ++ r).
    function merkleVerify(bytes32 root, bytes32 leaf, bytes calldata w) internal pure returns (bool) {
        (bool ok, uint256 index, uint256 count) = merkleWitness(w);
        if (!ok || count > MERKLE_MAX_DEPTH || index >> count != 0) return false;
        bytes32 node;
        assembly ("memory-safe") {
            mstore(0x00, 0)
            mstore(0x01, leaf)
            node := keccak256(0x00, 0x21)
        }
        for (uint256 level = 0; level < count; level++) {
            bytes32 s = bytes32(_word(w, 0x60 + (level << 5)));
            bool right = (index >> level) & 1 == 1;
            assembly ("memory-safe") {
                let fmp := mload(0x40)
                mstore8(fmp, 1)
                switch right
                case 1 {
                    mstore(add(fmp, 0x01), s)
                    mstore(add(fmp, 0x21), node)
                }
                default {
                    mstore(add(fmp, 0x01), node)
                    mstore(add(fmp, 0x21), s)
                }
                node := keccak256(fmp, 0x41)
            }
        }
        return node == root;
    }
}
