// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IQuantifier} from "../interfaces/IQuantifier.sol";
import {PlasmaLib} from "../verifiers/PlasmaLib.sol";

/// @title later_transfers(t: PlasmaTransfer)
/// @notice Plasma transfers `s` of the same chain and coin sent by `t`'s owner in a later
///         block: `s.chain == t.chain`, `s.coin == t.coin`, `s.sender == t.owner`,
///         `s.block > t.block`. No proof.
contract LaterTransfers is IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata s, bytes calldata) external pure returns (bool) {
        if (args.length < 1) return false;
        (bool okT, PlasmaLib.Transfer memory t) = PlasmaLib.decode(args[0]);
        (bool okS, PlasmaLib.Transfer memory x) = PlasmaLib.decode(s);
        return okT && okS && x.chain == t.chain && x.coin == t.coin && x.sender == t.owner
            && x.blockNumber > t.blockNumber;
    }
}
