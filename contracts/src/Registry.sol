// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IRegistry} from "./interfaces/IRegistry.sol";

/// @title Registry -- verifier and quantifier contracts by name.
/// @notice The id of a name is `keccak256(bytes(name))`, the `name` field of
///         `WITNESS_EXISTS` / `UNIVERSAL_QUANTIFIER` claim nodes. Registration is
///         owner-only AND write-once: the owner (the deployer of a dispute system) can add
///         names but can never replace or remove one, because a claim's meaning -- and every
///         decision already taken on it -- is tied to the contract behind its names.
///         Transferring ownership to `address(0)` freezes the registry for good.
///         Verifiers and quantifiers are separate namespaces (as in the Rust registry).
contract Registry is IRegistry {
    address public owner;
    mapping(bytes32 => address) public verifierOf;
    mapping(bytes32 => address) public quantifierOf;

    event VerifierRegistered(bytes32 indexed id, string name, address implementation);
    event QuantifierRegistered(bytes32 indexed id, string name, address implementation);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The caller is not the owner.
    error NotOwner(address caller);
    /// @notice The name is already taken in that namespace.
    error AlreadyRegistered(bytes32 id);
    /// @notice The implementation has no code.
    error NotAContract(address implementation);

    constructor(address initialOwner) {
        owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @notice The id of a registry name.
    function idOf(string calldata name) external pure returns (bytes32) {
        return keccak256(bytes(name));
    }

    /// @notice Registers verifier `name` (write-once).
    function registerVerifier(string calldata name, address implementation) external onlyOwner returns (bytes32 id) {
        id = keccak256(bytes(name));
        if (verifierOf[id] != address(0)) revert AlreadyRegistered(id);
        if (implementation.code.length == 0) revert NotAContract(implementation);
        verifierOf[id] = implementation;
        emit VerifierRegistered(id, name, implementation);
    }

    /// @notice Registers quantifier `name` (write-once).
    function registerQuantifier(string calldata name, address implementation) external onlyOwner returns (bytes32 id) {
        id = keccak256(bytes(name));
        if (quantifierOf[id] != address(0)) revert AlreadyRegistered(id);
        if (implementation.code.length == 0) revert NotAContract(implementation);
        quantifierOf[id] = implementation;
        emit QuantifierRegistered(id, name, implementation);
    }

    /// @notice Hands the right to add names to `newOwner`; `address(0)` freezes the registry.
    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}
