// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @title The 226-byte packed VM state, read and written in place
/// @notice Layout (big-endian, packed; spec `cannon-fault-proof-vm.md` § State):
///         memRoot 32 · preimageKey 32 · preimageOffset 4 · pc 4 · nextPC 4 · lo 4 · hi 4 ·
///         heap 4 · exitCode 1 · exited 1 · step 8 · registers 32 × 4.
///         The step copies the state into memory once (`bytes memory`, whose allocation is
///         rounded up to 256 bytes, so every 32-byte access at a field offset stays inside it),
///         updates fields in place and hashes the same buffer.
library VMState {
    /// @notice Size of the packed state.
    uint256 internal constant SIZE = 226;

    /// @notice Byte offset of `memRoot` (bytes32).
    uint256 internal constant MEM_ROOT = 0;
    /// @notice Byte offset of `preimageKey` (bytes32).
    uint256 internal constant PREIMAGE_KEY = 32;
    /// @notice Byte offset of `preimageOffset` (uint32).
    uint256 internal constant PREIMAGE_OFFSET = 64;
    /// @notice Byte offset of `pc` (uint32).
    uint256 internal constant PC = 68;
    /// @notice Byte offset of `nextPC` (uint32).
    uint256 internal constant NEXT_PC = 72;
    /// @notice Byte offset of `lo` (uint32).
    uint256 internal constant LO = 76;
    /// @notice Byte offset of `hi` (uint32).
    uint256 internal constant HI = 80;
    /// @notice Byte offset of `heap` (uint32).
    uint256 internal constant HEAP = 84;
    /// @notice Byte offset of `exitCode` (uint8).
    uint256 internal constant EXIT_CODE = 88;
    /// @notice Byte offset of `exited` (uint8, 0 or 1).
    uint256 internal constant EXITED = 89;
    /// @notice Byte offset of `step` (uint64).
    uint256 internal constant STEP = 90;
    /// @notice Byte offset of `registers[0]` (32 × uint32).
    uint256 internal constant REGISTERS = 98;

    /// @notice VM status (top byte of the state hash): exited with code 0.
    uint8 internal constant STATUS_VALID = 0;
    /// @notice Exited with code 1.
    uint8 internal constant STATUS_INVALID = 1;
    /// @notice Exited with any other code.
    uint8 internal constant STATUS_PANIC = 2;
    /// @notice Not exited.
    uint8 internal constant STATUS_UNFINISHED = 3;

    /// @notice The 32 bytes at `off`.
    function word(bytes memory s, uint256 off) internal pure returns (bytes32 v) {
        assembly ("memory-safe") {
            v := mload(add(add(s, 0x20), off))
        }
    }

    /// @notice Writes the 32 bytes at `off`.
    function setWord(bytes memory s, uint256 off, bytes32 v) internal pure {
        assembly ("memory-safe") {
            mstore(add(add(s, 0x20), off), v)
        }
    }

    /// @notice The big-endian uint32 at `off`.
    function u32(bytes memory s, uint256 off) internal pure returns (uint32 v) {
        assembly ("memory-safe") {
            v := shr(224, mload(add(add(s, 0x20), off)))
        }
    }

    /// @notice Writes the big-endian uint32 at `off`.
    function setU32(bytes memory s, uint256 off, uint32 v) internal pure {
        assembly ("memory-safe") {
            let p := add(add(s, 0x20), off)
            mstore(p, or(and(mload(p), not(shl(224, 0xffffffff))), shl(224, v)))
        }
    }

    /// @notice The byte at `off`.
    function u8(bytes memory s, uint256 off) internal pure returns (uint8) {
        return uint8(s[off]);
    }

    /// @notice Writes the byte at `off`.
    function setU8(bytes memory s, uint256 off, uint8 v) internal pure {
        s[off] = bytes1(v);
    }

    /// @notice The big-endian uint64 at `off`.
    function u64(bytes memory s, uint256 off) internal pure returns (uint64 v) {
        assembly ("memory-safe") {
            v := shr(192, mload(add(add(s, 0x20), off)))
        }
    }

    /// @notice Writes the big-endian uint64 at `off`.
    function setU64(bytes memory s, uint256 off, uint64 v) internal pure {
        assembly ("memory-safe") {
            let p := add(add(s, 0x20), off)
            mstore(p, or(and(mload(p), not(shl(192, 0xffffffffffffffff))), shl(192, v)))
        }
    }

    /// @notice General-purpose register `r` (0..31).
    function reg(bytes memory s, uint256 r) internal pure returns (uint32) {
        unchecked {
            return u32(s, REGISTERS + 4 * r);
        }
    }

    /// @notice Writes register `r`; writes to r0 are dropped.
    function setReg(bytes memory s, uint256 r, uint32 v) internal pure {
        unchecked {
            if (r != 0) setU32(s, REGISTERS + 4 * r, v);
        }
    }

    /// @notice The successor of a non-branch instruction: `pc = nextPC; nextPC += 4`.
    function advance(bytes memory s) internal pure {
        unchecked {
            uint32 next = u32(s, NEXT_PC);
            setU32(s, PC, next);
            setU32(s, NEXT_PC, next + 4);
        }
    }

    /// @notice The VM status of the state.
    function status(bytes memory s) internal pure returns (uint8) {
        if (u8(s, EXITED) == 0) return STATUS_UNFINISHED;
        uint8 code = u8(s, EXIT_CODE);
        if (code == 0) return STATUS_VALID;
        if (code == 1) return STATUS_INVALID;
        return STATUS_PANIC;
    }

    /// @notice The state hash: keccak256 of the 226 bytes with its top byte replaced by the status.
    function hash(bytes memory s) internal pure returns (bytes32) {
        bytes32 h = keccak256(s);
        return (h & bytes32(type(uint256).max >> 8)) | bytes32(uint256(status(s)) << 248);
    }
}
