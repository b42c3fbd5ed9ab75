// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @title ClaimBuilder -- builds canonical claim encodings in memory.
/// @notice The encoding of `src/logic/encode.rs` / `ClaimLib`: a claim is `abi.encode(Claim)`
///         and its children are themselves encoded claims. Payout contracts use it to rebuild,
///         from the data of an exit, the exact claim whose decision they act on; its id is
///         `keccak256` of the result. Only what those claims need is here: literal and
///         variable terms, NOT, AND, WITNESS_EXISTS, UNIVERSAL_QUANTIFIER and CALL nodes.
library ClaimBuilder {
    struct Term {
        uint8 kind;
        uint32 index;
        uint32[] path;
        bytes value;
    }

    struct Claim {
        uint8 kind;
        bytes32 name;
        uint32 index;
        bytes[] children;
        Term[] args;
    }

    uint8 internal constant NOT = 0;
    uint8 internal constant AND = 1;
    uint8 internal constant WITNESS = 2;
    uint8 internal constant FORALL = 3;
    uint8 internal constant CALL = 4;
    uint8 internal constant LIT = 0;
    uint8 internal constant VAR = 1;

    /// @notice A literal term: the canonical value `value`.
    function lit(bytes memory value) internal pure returns (Term memory) {
        return Term(LIT, 0, new uint32[](0), value);
    }

    /// @notice Bound variable `index` (de Bruijn; 0 = innermost quantifier).
    function variable(uint32 index) internal pure returns (Term memory) {
        return Term(VAR, index, new uint32[](0), "");
    }

    /// @notice Field `field` of bound variable `index`.
    function field(uint32 index, uint32 fieldIndex) internal pure returns (Term memory t) {
        t = Term(VAR, index, new uint32[](1), "");
        t.path[0] = fieldIndex;
    }

    /// @notice One argument.
    function args1(Term memory a) internal pure returns (Term[] memory ts) {
        ts = new Term[](1);
        ts[0] = a;
    }

    /// @notice Two arguments.
    function args2(Term memory a, Term memory b) internal pure returns (Term[] memory ts) {
        ts = new Term[](2);
        ts[0] = a;
        ts[1] = b;
    }

    /// @notice Three arguments.
    function args3(Term memory a, Term memory b, Term memory c) internal pure returns (Term[] memory ts) {
        ts = new Term[](3);
        ts[0] = a;
        ts[1] = b;
        ts[2] = c;
    }

    /// @notice Four arguments.
    function args4(Term memory a, Term memory b, Term memory c, Term memory d)
        internal
        pure
        returns (Term[] memory ts)
    {
        ts = new Term[](4);
        ts[0] = a;
        ts[1] = b;
        ts[2] = c;
        ts[3] = d;
    }

    /// @notice `WITNESS_EXISTS(name, args)`; `name` is `keccak256(bytes(registryName))`.
    function witness(bytes32 name, Term[] memory args) internal pure returns (bytes memory) {
        return abi.encode(Claim(WITNESS, name, 0, new bytes[](0), args));
    }

    /// @notice `NOT(p)` (the caller never passes a `NOT`: no double negation).
    function not_(bytes memory p) internal pure returns (bytes memory) {
        bytes[] memory c = new bytes[](1);
        c[0] = p;
        return abi.encode(Claim(NOT, bytes32(0), 0, c, new Term[](0)));
    }

    /// @notice `AND(parts)` (at least two parts, none an `AND`).
    function and_(bytes[] memory parts) internal pure returns (bytes memory) {
        return abi.encode(Claim(AND, bytes32(0), 0, parts, new Term[](0)));
    }

    /// @notice `UNIVERSAL_QUANTIFIER(name, args, x => body)`; the body refers to `x` as variable 0.
    function forall(bytes32 name, Term[] memory args, bytes memory body) internal pure returns (bytes memory) {
        bytes[] memory c = new bytes[](1);
        c[0] = body;
        return abi.encode(Claim(FORALL, name, 0, c, args));
    }

    /// @notice `CALL` of definition `index` of the group with id `group` on `args` (as
    ///         `Claim::Call` in `encode.rs`: kind 4, name = group, no children). `group` is the
    ///         group's id (non-zero: a closed claim never calls the anonymous own group 0).
    function call(bytes32 group, uint32 index, Term[] memory args) internal pure returns (bytes memory) {
        return abi.encode(Claim(CALL, group, index, new bytes[](0), args));
    }
}
