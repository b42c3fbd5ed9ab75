// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title higher_nonce(u: ChannelUpdate)
/// @notice Channel updates `t` with `t.channel == u.channel`, `t.participants ==
///         u.participants` and `t.nonce > u.nonce`. No proof.
contract HigherNonce is IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata t, bytes calldata) external pure returns (bool) {
        if (args.length < 1) return false;
        (bool okU, bytes32 channel, uint256 nonce, bytes calldata ps) = ValueLib.channelUpdate(args[0]);
        if (!okU) return false;
        (bool okT, bytes32 tChannel, uint256 tNonce, bytes calldata tps) = ValueLib.channelUpdate(t);
        // Canonical encodings: equal participant lists <=> equal bytes.
        return okT && tChannel == channel && tNonce > nonce && keccak256(tps) == keccak256(ps);
    }
}
