// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @notice Where the dispute contract finds verifiers and quantifiers by id
///         (`keccak256(bytes(name))`). Unregistered ids map to `address(0)`.
interface IRegistry {
    function verifierOf(bytes32 id) external view returns (address);
    function quantifierOf(bytes32 id) external view returns (address);
}
