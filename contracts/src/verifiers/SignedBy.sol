// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title signed_by(message: bytes32, signer: address)
/// @notice `signer` signed the 32-byte `message` as an EIP-191 personal message.
///         Witness: the 65-byte signature `r ++ s ++ v` (v in {27, 28}, low s).
contract SignedBy is IVerifier {
    function verify(bytes[] calldata args, bytes calldata witness) external pure returns (bool) {
        if (args.length < 2) return false;
        (bool okM, uint256 message) = ValueLib.asWord(args[0]);
        (bool okS, address signer) = ValueLib.asAddress(args[1]);
        if (!okM || !okS) return false;
        address got = ValueLib.recover(bytes32(message), witness);
        return got != address(0) && got == signer;
    }
}
