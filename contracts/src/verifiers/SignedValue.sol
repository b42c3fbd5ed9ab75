// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title signed_value(value: any, signer: address)
/// @notice `signer` signed `keccak256(value)` -- the keccak256 of the value's canonical
///         encoding -- as an EIP-191 personal message. Witness: the 65-byte signature
///         `r ++ s ++ v` (v in {27, 28}, low s).
contract SignedValue is IVerifier {
    function verify(bytes[] calldata args, bytes calldata witness) external pure returns (bool) {
        if (args.length < 2) return false;
        (bool okS, address signer) = ValueLib.asAddress(args[1]);
        if (!okS) return false;
        address got = ValueLib.recover(keccak256(args[0]), witness);
        return got != address(0) && got == signer;
    }
}
