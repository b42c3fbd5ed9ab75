// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";
import {PlasmaLib} from "../verifiers/PlasmaLib.sol";

/// @title earlier_transfers(t: PlasmaTransfer, chain: bytes32)
/// @notice The included transfers of `t`'s coin before `t`, from its deposit block up to
///         `t.block`: `e.chain == t.chain`, `e.coin == t.coin`, `t.coin <= e.block <= t.block`,
///         in `t`'s own block only if `keccak256(e) < keccak256(t)` (so two transfers of a coin in
///         one block are ordered, and `e != t`), and `e` included in block `e.block` under `chain`. Proof: the plasma_included
///         witness of `e`.
contract EarlierTransfers is IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata e, bytes calldata proof) external pure returns (bool) {
        if (args.length < 2) return false;
        (bool okT, PlasmaLib.Transfer memory t) = PlasmaLib.decode(args[0]);
        (bool okC, uint256 chain) = ValueLib.asWord(args[1]);
        (bool okE, PlasmaLib.Transfer memory x) = PlasmaLib.decode(e);
        if (!okT || !okC || !okE) return false;
        if (x.chain != t.chain || x.coin != t.coin) return false;
        if (x.blockNumber < t.coin || x.blockNumber > t.blockNumber) return false;
        // In t's own block only the transfers ordered before t by hash (t itself is not).
        if (x.blockNumber == t.blockNumber && uint256(keccak256(e)) >= uint256(keccak256(args[0]))) return false;
        return PlasmaLib.included(bytes32(chain), e, proof);
    }
}
