// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @title The pre-image oracle the MIPS step reads from
/// @notice Pre-images are served in 32-byte parts of `(8-byte big-endian length ‖ pre-image)`,
///         addressed by `(key, offset)`. A part must be loaded before a step reads it.
///         Spec: `specs/fault-proof/index.md` § Pre-image Oracle (ethereum-optimism/specs, commit 1c3133d).
interface IPreimageOracle {
    /// @notice The part of `(length ‖ pre-image)` at `offset` for `key`, and how many of its
    ///         bytes are real: `min(32, 8 + length − offset)` (0 exactly at the end).
    ///         Reverts if that part was never loaded, or if `offset` is past the end.
    function readPreimage(bytes32 key, uint256 offset) external view returns (bytes32 dat, uint256 datLen);

    /// @notice Loads the part at `partOffset` of a keccak256 pre-image, under the key
    ///         `2 ‖ keccak256(preimage)[1..]`. Anyone may call it: the key is checked by hashing.
    function loadKeccak256PreimagePart(uint256 partOffset, bytes calldata preimage) external;

    /// @notice Loads the part at `partOffset` of a SHA2-256 pre-image, under the key
    ///         `4 ‖ sha256(preimage)[1..]`.
    function loadSha256PreimagePart(uint256 partOffset, bytes calldata preimage) external;

    /// @notice Loads the part at `partOffset` of local input `ident` (the first `size` ≤ 32
    ///         bytes of `word`) for the caller and `localContext` (Cannon's signature).
    /// @return key The localized key the part is stored under.
    function loadLocalData(uint256 ident, bytes32 localContext, bytes32 word, uint256 size, uint256 partOffset)
        external
        returns (bytes32 key);

    /// @notice Loads the part at `partOffset` of local input `ident` of any length, for the
    ///         caller and `localContext`.
    /// @return key The localized key the part is stored under.
    function loadLocalPreimagePart(uint256 ident, bytes32 localContext, uint256 partOffset, bytes calldata data)
        external
        returns (bytes32 key);
}
