// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";
import {VMState} from "../fpvm/VMState.sol";
import {IPreimageOracle} from "../fpvm/IPreimageOracle.sol";

/// @notice What this verifier uses of the deployed MIPS single-step verifier.
interface IMIPSStep {
    /// @notice One step from the packed pre-state; returns the post-state hash.
    function step(bytes calldata stateData, bytes calldata proof, bytes32 localContext)
        external
        view
        returns (bytes32 postStateHash);

    /// @notice The pre-image oracle the step reads.
    function oracle() external view returns (IPreimageOracle);
}

/// @title mips_step(ctx: bytes32, pre: bytes32, post: bytes32)
/// @notice One step of the MIPS fault-proof VM, run in local context `ctx`, takes the state with
///         hash `pre` to the state with hash `post` (both status-byte state hashes).
/// @dev Witness: the 226-byte packed pre-state followed by the 1,792-byte step proof (instruction
///      word proof, then data word proof), 2,018 bytes in all, no ABI encoding. The step runs on
///      the deployed `MIPS` contract as `step(state, proof, ctx)`; a revert of it (bad proof,
///      unsupported instruction, a pre-image part not loaded, ...) is `false`. A step that reads
///      a local pre-image key reads it localized with this contract as the caller and `ctx` as
///      the local context, which is exactly where `loadLocalInputs` stores the rollup program's
///      inputs: local key 1 = previous output root, 2 = batch hash, 3 = claimed output root, under
///      the context `keccak256(abi.encode(prev, batch, claimed))`.
contract MipsStep is IVerifier {
    /// @notice Local input 1: the previous output root.
    uint256 public constant PREV_ROOT = 1;
    /// @notice Local input 2: the batch hash.
    uint256 public constant BATCH_HASH = 2;
    /// @notice Local input 3: the claimed output root.
    uint256 public constant CLAIMED_ROOT = 3;

    /// @notice The `MIPS` contract every step runs on.
    address public immutable mips;
    uint256 private constant PROOF_SIZE = 1792;

    /// @notice `ident` is not one of the rollup program's local inputs (1, 2, 3).
    error UnknownLocalInput(uint256 ident);

    /// @param mips_ The deployed `MIPS` contract.
    constructor(address mips_) {
        mips = mips_;
    }

    /// @notice True iff `args` are at least three 32-byte words `ctx, pre, post`, the pre-state in
    ///         the witness is well-formed (`exited` 0 or 1) and hashes to `pre`, and the MIPS step
    ///         in context `ctx` returns `post`. Extra arguments are ignored; never reverts.
    function verify(bytes[] calldata args, bytes calldata witness) external view returns (bool) {
        if (args.length < 3 || witness.length != VMState.SIZE + PROOF_SIZE) return false;
        (bool okCtx, uint256 ctx) = ValueLib.asWord(args[0]);
        (bool okPre, uint256 pre) = ValueLib.asWord(args[1]);
        (bool okPost, uint256 post) = ValueLib.asWord(args[2]);
        if (!okCtx || !okPre || !okPost) return false;
        bytes memory state = witness[:VMState.SIZE];
        if (VMState.u8(state, VMState.EXITED) > 1) return false;
        if (VMState.hash(state) != bytes32(pre)) return false;
        try IMIPSStep(mips).step(witness[:VMState.SIZE], witness[VMState.SIZE:], bytes32(ctx)) returns (
            bytes32 got
        ) {
            return got == bytes32(post);
        } catch {
            return false;
        }
    }

    /// @notice The local context of the rollup program's run on these inputs:
    ///         `keccak256(abi.encode(prev, batch, claimed))`.
    function localContext(bytes32 prev, bytes32 batch, bytes32 claimed) public pure returns (bytes32) {
        return keccak256(abi.encode(prev, batch, claimed));
    }

    /// @notice Loads the part at `partOffset` (0, 32 or 40 for a 32-byte word) of local input
    ///         `ident` of the rollup program -- `prev` for 1, `batch` for 2, `claimed` for 3 --
    ///         into the MIPS contract's oracle, in the context `localContext(prev, batch, claimed)`
    ///         and with this contract as the loader, so that the steps this verifier runs in that
    ///         context read it. Anyone may call: the context commits to all three inputs.
    /// @return key The localized key the part is stored under.
    function loadLocalInputs(bytes32 prev, bytes32 batch, bytes32 claimed, uint256 ident, uint256 partOffset)
        external
        returns (bytes32 key)
    {
        bytes32 word;
        if (ident == PREV_ROOT) word = prev;
        else if (ident == BATCH_HASH) word = batch;
        else if (ident == CLAIMED_ROOT) word = claimed;
        else revert UnknownLocalInput(ident);
        return IMIPSStep(mips).oracle().loadLocalData(ident, localContext(prev, batch, claimed), word, 32, partOffset);
    }
}
