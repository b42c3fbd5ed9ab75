// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @notice A memory proof does not hash up to the state's `memRoot`.
/// @param proofIndex 0 for the instruction proof, 1 for the data proof.
/// @param addr The (4-byte aligned) address the proof was checked for.
error InvalidMemoryProof(uint256 proofIndex, uint32 addr);

/// @title Memory proofs over the depth-27 binary Merkle tree of the 2^32-byte address space
/// @notice Spec `cannon-fault-proof-vm.md` § Memory. Leaves are 32 bytes; an inner node is
///         `keccak256(left ‖ right)`. A proof is 28 × 32 bytes: the leaf, then the 27 siblings
///         from the leaf's level up to the root; bit `i` of `addr >> 5` says whether the node at
///         level `i` is a right child. Words are big-endian at offset `addr & 31` of their leaf.
///         The step's `proof` argument holds two proofs: the instruction word's, then the data
///         word's. A write reuses the data proof's siblings with the new leaf.
library VMMemory {
    /// @notice Depth of the tree.
    uint256 internal constant TREE_DEPTH = 27;
    /// @notice Bytes of one proof: the leaf and 27 siblings.
    uint256 internal constant PROOF_SIZE = 896; // (TREE_DEPTH + 1) * 32
    /// @notice Number of proofs in a step's `proof` argument.
    uint256 internal constant PROOFS = 2;
    /// @notice Index of the instruction word's proof.
    uint256 internal constant INSN_PROOF = 0;
    /// @notice Index of the data word's proof.
    uint256 internal constant DATA_PROOF = 1;

    /// @notice The word at `addr` (4-byte aligned), after checking proof `index` against `root`.
    function readWord(bytes32 root, bytes calldata proofs, uint256 index, uint32 addr)
        internal
        pure
        returns (uint32)
    {
        bytes32 leaf = leafOf(proofs, index);
        if (rootWithLeaf(proofs, index, addr, leaf) != root) revert InvalidMemoryProof(index, addr);
        return wordIn(leaf, addr);
    }

    /// @notice The root after writing `value` at `addr` (4-byte aligned), using the siblings of
    ///         proof `index` (which the caller has checked with `readWord`).
    function writeWord(bytes calldata proofs, uint256 index, uint32 addr, uint32 value)
        internal
        pure
        returns (bytes32)
    {
        return rootWithLeaf(proofs, index, addr, withWord(leafOf(proofs, index), addr, value));
    }

    /// @notice The leaf of proof `index`.
    function leafOf(bytes calldata proofs, uint256 index) internal pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            leaf := calldataload(add(proofs.offset, mul(index, PROOF_SIZE)))
        }
    }

    /// @notice The root obtained by hashing `leaf` up the 27 siblings of proof `index` for `addr`.
    function rootWithLeaf(bytes calldata proofs, uint256 index, uint32 addr, bytes32 leaf)
        internal
        pure
        returns (bytes32 node)
    {
        assembly ("memory-safe") {
            let p := add(proofs.offset, add(mul(index, PROOF_SIZE), 0x20))
            let end := add(p, mul(TREE_DEPTH, 0x20))
            let path := shr(5, addr)
            node := leaf
            // Branch-free: the node goes to scratch word `bit` (0 = left, 1 = right) and the
            // sibling to the other one.
            for {} lt(p, end) { p := add(p, 0x20) } {
                let right := shl(5, and(path, 1))
                mstore(right, node)
                mstore(xor(right, 0x20), calldataload(p))
                node := keccak256(0x00, 0x40)
                path := shr(1, path)
            }
        }
    }

    /// @notice Bits to shift a leaf right to bring the word at `addr` to the bottom.
    function shiftOf(uint32 addr) internal pure returns (uint256) {
        unchecked {
            return (28 - uint256(addr & 0x1C)) * 8;
        }
    }

    /// @notice The big-endian word at `addr` inside `leaf`.
    function wordIn(bytes32 leaf, uint32 addr) internal pure returns (uint32) {
        return uint32(uint256(leaf) >> shiftOf(addr));
    }

    /// @notice `leaf` with the word at `addr` replaced by `value`.
    function withWord(bytes32 leaf, uint32 addr, uint32 value) internal pure returns (bytes32) {
        uint256 shift = shiftOf(addr);
        return bytes32((uint256(leaf) & ~(uint256(0xFFFFFFFF) << shift)) | (uint256(value) << shift));
    }
}
