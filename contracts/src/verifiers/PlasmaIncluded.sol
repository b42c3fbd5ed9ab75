// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";
import {PlasmaLib} from "./PlasmaLib.sol";

/// @title plasma_included(chain: bytes32, transfer: PlasmaTransfer)
/// @notice `transfer` is included in block `transfer.block` of the plasma chain committed by
///         `chain` (the Merkle root of the headers `(number, root)` of its blocks). Witness:
///         `abi.encode(bytes[]{blockRoot, headerWitness, transferWitness})`, both Merkle
///         witnesses as for merkle_included.
contract PlasmaIncluded is IVerifier {
    function verify(bytes[] calldata args, bytes calldata witness) external pure returns (bool) {
        if (args.length < 2) return false;
        (bool okC, uint256 chain) = ValueLib.asWord(args[0]);
        return okC && PlasmaLib.included(bytes32(chain), args[1], witness);
    }
}
