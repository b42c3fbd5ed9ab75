// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @notice The `Q` of `UNIVERSAL_QUANTIFIER(Q, a, x => P)`.
/// @dev `quantify(a, t, proof)` says whether `t` is in the domain `Q(a)`; `proof` is an
///      optional membership proof. Returns `false` -- never reverts -- on malformed input.
interface IQuantifier {
    function quantify(bytes[] calldata args, bytes calldata t, bytes calldata proof) external view returns (bool);
}
