// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @notice The `V` of `WITNESS_EXISTS(V, a)`.
/// @dev `args` are claim arguments in the canonical value encoding (see `contracts/README.md`).
///      An implementation returns `false` -- it never reverts -- for a bad witness or for
///      arguments that are not canonical values of its parameter types.
interface IVerifier {
    function verify(bytes[] calldata args, bytes calldata witness) external view returns (bool);
}
