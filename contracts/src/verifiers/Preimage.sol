// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title preimage(hash: bytes32)
/// @notice Someone knows data whose keccak256 is `hash`. Witness: the pre-image bytes.
contract Preimage is IVerifier {
    function verify(bytes[] calldata args, bytes calldata witness) external pure returns (bool) {
        if (args.length < 1) return false;
        (bool ok, uint256 hash) = ValueLib.asWord(args[0]);
        return ok && keccak256(witness) == bytes32(hash);
    }
}
