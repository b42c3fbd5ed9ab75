// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title all_signed(update: ChannelUpdate)
/// @notice Every participant of the (non-empty) participant list signed
///         `keccak256(update)` -- the update's canonical value encoding -- as an EIP-191
///         personal message. Witness: `abi.encode(bytes[] signatures)`, one 65-byte
///         signature per participant, in order.
contract AllSigned is IVerifier {
    function verify(bytes[] calldata args, bytes calldata witness) external pure returns (bool) {
        if (args.length < 1) return false;
        (bool ok, , , bytes calldata participants) = ValueLib.channelUpdate(args[0]);
        if (!ok) return false;
        uint256 count = ValueLib.listCount(participants);
        if (count == 0) return false;
        (bool okSigs, uint256 sigs) = ValueLib.listLength(witness);
        if (!okSigs || sigs != count) return false;
        bytes32 digest = keccak256(args[0]);
        for (uint256 i = 0; i < count; i++) {
            (, address who) = ValueLib.asAddress(ValueLib.element(participants, i));
            address got = ValueLib.recover(digest, ValueLib.element(witness, i));
            if (got == address(0) || got != who) return false;
        }
        return true;
    }
}
