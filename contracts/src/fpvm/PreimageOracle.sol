// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IPreimageOracle} from "./IPreimageOracle.sol";
import {PreimageKeys} from "./PreimageKeys.sol";

/// @title PreimageOracle
/// @notice Serves pre-images to the MIPS step in 32-byte parts of `(8-byte big-endian length ‖
///         pre-image)` (spec `index.md` § Pre-image Oracle).
///         - Global keccak256 / SHA2-256 pre-images can be loaded by anyone: the key is the hash
///           of the data, so a wrong pre-image lands under another key.
///         - Local inputs are stored under a key localized with the loader (`msg.sender`) and a
///           `localContext`: a dispute loads its own inputs, and the step, called by that dispute
///           with the same context, localizes the program's local keys the same way.
///         A part may be loaded at any offset from 0 to `8 + length` inclusive; the part at
///         `8 + length` is empty (reading there is the end of the pre-image, 0 bytes).
contract PreimageOracle is IPreimageOracle {
    /// @notice Bytes of the big-endian length prefix.
    uint256 internal constant LENGTH_PREFIX = 8;
    /// @notice Bytes in a part.
    uint256 internal constant PART_SIZE = 32;
    /// @notice Largest local input `loadLocalData` takes (one word).
    uint256 internal constant MAX_LOCAL_WORD = 32;

    /// @notice `key → offset → part`.
    mapping(bytes32 => mapping(uint256 => bytes32)) public preimageParts;
    /// @notice `key → offset → length + 1` of the pre-image the part was cut from (0: not loaded).
    ///         Keeping the length per part makes a read one consistent `(part, length)` pair.
    mapping(bytes32 => mapping(uint256 => uint256)) internal partLengthPlusOne;
    /// @notice `key → length + 1` of the last pre-image loaded under the key (0: none).
    mapping(bytes32 => uint256) internal lengthPlusOne;

    /// @notice `partOffset` is beyond the end-of-data part at `8 + size`.
    error PartOffsetOOB(uint256 partOffset, uint256 size);
    /// @notice `loadLocalData` takes at most 32 bytes.
    error LocalDataTooLarge(uint256 size);
    /// @notice No part was loaded for `(key, offset)`.
    error MissingPreimagePart(bytes32 key, uint256 offset);
    /// @notice A read at an offset beyond `8 + length` (an exception of the VM).
    error ReadPastEnd(bytes32 key, uint256 offset, uint256 length);

    /// @notice Emitted for every part loaded.
    event PartLoaded(bytes32 indexed key, uint256 offset, uint256 length);

    /// @inheritdoc IPreimageOracle
    function readPreimage(bytes32 key, uint256 offset) external view returns (bytes32 dat, uint256 datLen) {
        uint256 lenPlusOne = partLengthPlusOne[key][offset];
        if (lenPlusOne == 0) {
            uint256 known = lengthPlusOne[key];
            if (known != 0 && offset > known - 1 + LENGTH_PREFIX) revert ReadPastEnd(key, offset, known - 1);
            revert MissingPreimagePart(key, offset);
        }
        // A part is only stored for offset <= 8 + length, so this does not underflow.
        datLen = lenPlusOne - 1 + LENGTH_PREFIX - offset;
        if (datLen > PART_SIZE) datLen = PART_SIZE;
        dat = preimageParts[key][offset];
    }

    /// @notice Whether the part `(key, offset)` is loaded (Cannon's name).
    function preimagePartOk(bytes32 key, uint256 offset) external view returns (bool) {
        return partLengthPlusOne[key][offset] != 0;
    }

    /// @notice The length of the last pre-image loaded under `key` (0 if none; Cannon's name).
    function preimageLengths(bytes32 key) external view returns (uint256) {
        uint256 known = lengthPlusOne[key];
        return known == 0 ? 0 : known - 1;
    }

    /// @inheritdoc IPreimageOracle
    function loadKeccak256PreimagePart(uint256 partOffset, bytes calldata preimage) external {
        bytes memory data = preimage;
        store(PreimageKeys.typed(keccak256(data), PreimageKeys.KECCAK256), partOffset, data);
    }

    /// @inheritdoc IPreimageOracle
    function loadSha256PreimagePart(uint256 partOffset, bytes calldata preimage) external {
        bytes memory data = preimage;
        store(PreimageKeys.typed(sha256(data), PreimageKeys.SHA256), partOffset, data);
    }

    /// @inheritdoc IPreimageOracle
    function loadLocalData(uint256 ident, bytes32 localContext, bytes32 word, uint256 size, uint256 partOffset)
        external
        returns (bytes32 key)
    {
        if (size > MAX_LOCAL_WORD) revert LocalDataTooLarge(size);
        bytes memory data = new bytes(size);
        if (size != 0) {
            // The first `size` bytes of `word` (the allocation holds at least one word); the
            // bytes after them are cut off by the length.
            assembly ("memory-safe") {
                mstore(add(data, 0x20), word)
            }
        }
        key = PreimageKeys.localize(PreimageKeys.localKey(ident), msg.sender, localContext);
        store(key, partOffset, data);
    }

    /// @inheritdoc IPreimageOracle
    function loadLocalPreimagePart(uint256 ident, bytes32 localContext, uint256 partOffset, bytes calldata data)
        external
        returns (bytes32 key)
    {
        key = PreimageKeys.localize(PreimageKeys.localKey(ident), msg.sender, localContext);
        store(key, partOffset, data);
    }

    /// @notice Stores the 32 bytes of `(8-byte length ‖ data)` at `partOffset`, zero-padded.
    function store(bytes32 key, uint256 partOffset, bytes memory data) internal {
        uint256 size = data.length;
        if (partOffset > size + LENGTH_PREFIX) revert PartOffsetOOB(partOffset, size);
        preimageParts[key][partOffset] = partAt(data, partOffset);
        partLengthPlusOne[key][partOffset] = size + 1;
        lengthPlusOne[key] = size + 1;
        emit PartLoaded(key, partOffset, size);
    }

    /// @notice The part of `(8-byte length ‖ data)` at `offset` (`offset <= 8 + data.length`).
    /// @dev The length word of `data` in memory is its 32-byte big-endian length, whose last 8
    ///      bytes are the 8-byte length prefix, directly followed by the data: so the framed
    ///      pre-image already sits at `data + 24`. Bytes past its end are cleared.
    function partAt(bytes memory data, uint256 offset) internal pure returns (bytes32 part) {
        unchecked {
            uint256 valid = data.length + LENGTH_PREFIX - offset;
            // May read past the allocation (up to 32 bytes); those bytes are masked off below.
            assembly {
                part := mload(add(add(data, 24), offset))
            }
            if (valid < PART_SIZE) {
                // Keep the first `valid` bytes (none at the very end: 1 << 256 is 0 in the EVM).
                part &= ~bytes32((uint256(1) << (8 * (PART_SIZE - valid))) - 1);
            }
        }
    }
}
