// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";
import {VMState} from "../fpvm/VMState.sol";

/// @notice The one function of the deployed MIPS single-step verifier this verifier calls.
interface IMIPSStep {
    function step(bytes calldata stateData, bytes calldata proof, bytes32 localContext)
        external
        view
        returns (bytes32 postStateHash);
}

/// @title mips_step(pre: bytes32, post: bytes32)
/// @notice One step of the MIPS fault-proof VM takes the state with hash `pre` to the state with
///         hash `post` (both status-byte state hashes).
/// @dev Witness: the 226-byte packed pre-state followed by the 1,792-byte step proof (instruction
///      word proof, then data word proof), 2,018 bytes in all, no ABI encoding. The step runs on
///      the deployed `MIPS` contract (`step(state, proof, LOCAL_CONTEXT)`); a revert of it (bad
///      proof, unsupported instruction, ...) is `false`. Steps that read the pre-image oracle read
///      it with this contract as the caller and the fixed local context 0.
contract MipsStep is IVerifier {
    /// @notice The `MIPS` contract every step runs on.
    address public immutable mips;
    /// @notice The local context every step runs with.
    bytes32 public constant LOCAL_CONTEXT = bytes32(0);
    uint256 private constant PROOF_SIZE = 1792;

    constructor(address mips_) {
        mips = mips_;
    }

    function verify(bytes[] calldata args, bytes calldata witness) external view returns (bool) {
        if (args.length < 2 || witness.length != VMState.SIZE + PROOF_SIZE) return false;
        (bool okPre, uint256 pre) = ValueLib.asWord(args[0]);
        (bool okPost, uint256 post) = ValueLib.asWord(args[1]);
        if (!okPre || !okPost) return false;
        bytes memory state = witness[:VMState.SIZE];
        if (VMState.u8(state, VMState.EXITED) > 1) return false;
        if (VMState.hash(state) != bytes32(pre)) return false;
        try IMIPSStep(mips).step(witness[:VMState.SIZE], witness[VMState.SIZE:], LOCAL_CONTEXT) returns (
            bytes32 got
        ) {
            return got == bytes32(post);
        } catch {
            return false;
        }
    }
}
