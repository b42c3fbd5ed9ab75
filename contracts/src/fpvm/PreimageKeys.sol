// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @title Pre-image keys: type bytes and the localization of local keys
/// @notice A key is 32 bytes whose first byte is its type (spec `index.md` § Pre-image Key Types).
///         Local keys (type 1) are made unique per dispute: the on-chain key of local key `k`
///         read by a step called by `caller` in `localContext` is
///         `1 ‖ keccak256(k ‖ caller ‖ localContext)[1..]` (`caller` left-padded to 32 bytes),
///         exactly as `ogs::fpvm::localize_key` computes it.
library PreimageKeys {
    /// @notice Type byte of local keys.
    uint8 internal constant LOCAL = 1;
    /// @notice Type byte of global keccak256 keys.
    uint8 internal constant KECCAK256 = 2;
    /// @notice Type byte of global SHA2-256 keys.
    uint8 internal constant SHA256 = 4;

    /// @notice `hash` with its first byte replaced by `typeByte`.
    function typed(bytes32 hash, uint8 typeByte) internal pure returns (bytes32) {
        return (hash & bytes32(type(uint256).max >> 8)) | bytes32(uint256(typeByte) << 248);
    }

    /// @notice The type byte of a key.
    function keyType(bytes32 key) internal pure returns (uint8) {
        return uint8(uint256(key) >> 248);
    }

    /// @notice The on-chain form of local key `key` for `caller` in `localContext`.
    function localize(bytes32 key, address caller, bytes32 localContext) internal pure returns (bytes32) {
        return typed(keccak256(abi.encode(key, caller, localContext)), LOCAL);
    }

    /// @notice The local key of input `ident` (`1 ‖ ident` with `ident`'s top byte dropped).
    function localKey(uint256 ident) internal pure returns (bytes32) {
        return typed(bytes32(ident), LOCAL);
    }
}
