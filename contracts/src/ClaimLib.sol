// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

/// @notice The bytes are not the canonical encoding of a closed claim (or, for definition
///         groups, of a template). `reason` is one of the `ClaimLib.BAD_*` codes.
error MalformedClaim(uint256 reason);
/// @notice A projection `.i` does not apply: the value is not a canonical `abi.encode(bytes[])`
///         list, or it has no element `i`.
error ProjectionFailed();
/// @notice A term that must be a literal (a quantifier or call argument) is not.
error OpenTerm();

/// @title ClaimLib -- the canonical claim encoding, on-chain.
/// @notice Mirrors `src/logic/encode.rs` and `src/logic/claim.rs` of the Rust crate `ogs`:
///
///     struct Term  { uint8 kind; uint32 index; uint32[] path; bytes value; }
///     struct Claim { uint8 kind; bytes32 name; uint32 index; bytes[] children; Term[] args; }
///     struct Definition { uint32 arity; bytes body; }
///
/// A claim is `abi.encode(Claim)`; each child is itself `abi.encode(Claim)`; a `TUPLE` term's
/// value is `abi.encode(Term[])`; a definition group is `abi.encode(Definition[])`.
///
/// Everything here works on `bytes memory` and is iterative (explicit work lists in memory),
/// so a claim nested 256 levels deep costs gas in proportion to its size, never EVM stack depth.
///
/// Pointer convention: a "claim pointer" `p` points at the first byte of `abi.encode(Claim)`
/// (the `0x20` head word); a "term pointer" `x` points at the first head word of a `Term` tuple;
/// a "bytes pointer" points at a length word followed by the data -- a Solidity `bytes memory`.
/// Inside a canonical ABI encoding every dynamic `bytes` is stored exactly like that, so values
/// and children are used in place ("aliased") instead of being copied.
library ClaimLib {
    // ---- Claim.kind ----
    uint256 internal constant NOT = 0;
    uint256 internal constant AND = 1;
    uint256 internal constant WITNESS = 2;
    uint256 internal constant FORALL = 3;
    uint256 internal constant CALL = 4;
    // ---- Term.kind ----
    uint256 internal constant LIT = 0;
    uint256 internal constant VAR = 1;
    uint256 internal constant PARAM = 2;
    uint256 internal constant TUPLE = 3;

    /// @notice Deepest nesting accepted (claim nodes and terms, as `MAX_DECODE_DEPTH` in Rust).
    uint256 internal constant MAX_DEPTH = 256;
    /// @notice `arity` argument of `validate` for a closed claim (not a definition template).
    uint256 internal constant CLOSED = type(uint256).max;

    // ---- MalformedClaim reasons ----
    /// Offsets, lengths, padding or trailing bytes differ from the canonical ABI layout.
    uint256 internal constant BAD_LAYOUT = 1;
    /// Unknown `Claim.kind` or `Term.kind`, or a `uint8`/`uint32` field out of range.
    uint256 internal constant BAD_KIND = 2;
    /// A field that must be zero/empty is not (or one that must be set is not), or a wrong
    /// number of children for the kind.
    uint256 internal constant BAD_FIELDS = 3;
    /// `NOT(NOT(P))`.
    uint256 internal constant BAD_DOUBLE_NEGATION = 4;
    /// An `AND` directly inside an `AND`.
    uint256 internal constant BAD_NESTED_AND = 5;
    /// A `VAR` with no enclosing quantifier of that index.
    uint256 internal constant BAD_UNBOUND_VAR = 6;
    /// A `PARAM` outside a definition, or with an index not below the arity.
    uint256 internal constant BAD_PARAM = 7;
    /// A `CALL` outside a definition with group name 0.
    uint256 internal constant BAD_CALL_NAME = 8;
    /// A `TUPLE` term with no parts or with only literal parts.
    uint256 internal constant BAD_TUPLE = 9;
    /// Nested deeper than `MAX_DEPTH`.
    uint256 internal constant BAD_DEPTH = 10;

    // =====================================================================================
    // Reading
    // =====================================================================================

    /// @notice `Claim.kind` of a (valid) claim encoding.
    function kindOf(bytes memory enc) internal pure returns (uint256 k) {
        assembly ("memory-safe") {
            k := mload(add(enc, 0x40))
        }
    }

    /// @notice `Claim.name` of a (valid) claim encoding.
    function nameOf(bytes memory enc) internal pure returns (bytes32 n) {
        assembly ("memory-safe") {
            n := mload(add(enc, 0x60))
        }
    }

    /// @notice `Claim.index` of a (valid) claim encoding.
    function indexOf(bytes memory enc) internal pure returns (uint256 i) {
        assembly ("memory-safe") {
            i := mload(add(enc, 0x80))
        }
    }

    /// @notice Number of children of a (valid) claim encoding.
    function childCount(bytes memory enc) internal pure returns (uint256 n) {
        assembly ("memory-safe") {
            n := mload(add(enc, 0xe0))
        }
    }

    /// @notice Child `k` of a (valid) claim encoding, aliased in place (no copy).
    function child(bytes memory enc, uint256 k) internal pure returns (bytes memory c) {
        assembly ("memory-safe") {
            let heads := add(enc, 0x100) // first children offset word
            c := add(heads, mload(add(heads, shl(5, k))))
        }
    }

    /// @notice The arguments of a (valid) claim encoding as values, aliased in place.
    ///         Reverts `OpenTerm` if one is not a literal.
    function literalArgs(bytes memory enc) internal pure returns (bytes[] memory vals) {
        uint256 a;
        uint256 m;
        assembly ("memory-safe") {
            let t := add(enc, 0x40)
            a := add(t, mload(add(t, 0x80)))
            m := mload(a)
        }
        vals = new bytes[](m);
        for (uint256 j = 0; j < m; j++) {
            uint256 x;
            uint256 tk;
            assembly ("memory-safe") {
                x := add(add(a, 0x20), mload(add(add(a, 0x20), shl(5, j))))
                tk := mload(x)
            }
            if (tk != LIT) revert OpenTerm();
            assembly ("memory-safe") {
                mstore(add(add(vals, 0x20), shl(5, j)), add(x, mload(add(x, 0x60))))
            }
        }
    }

    // =====================================================================================
    // Negation
    // =====================================================================================

    /// @notice `keccak256` of the negation of a (valid) claim, double negation removed:
    ///         the id of `P` for `NOT(P)`, else the id of `abi.encode(NOT(enc))`.
    /// @dev Builds the `NOT` encoding in scratch memory past the free pointer; allocates nothing.
    function negationId(bytes memory enc) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            switch mload(add(enc, 0x40))
            case 0 {
                // NOT(P): the child is at enc + 0x120 (length word), data after it.
                let c := add(enc, 0x120)
                h := keccak256(add(c, 0x20), mload(c))
            }
            default {
                let len := mload(enc)
                let q := mload(0x40)
                mstore(q, 0x20) // head: offset of the tuple
                mstore(add(q, 0x20), 0) // kind NOT
                mstore(add(q, 0x40), 0) // name
                mstore(add(q, 0x60), 0) // index
                mstore(add(q, 0x80), 0xa0) // offset of children
                mstore(add(q, 0xa0), add(0x100, len)) // offset of args
                mstore(add(q, 0xc0), 1) // one child
                mstore(add(q, 0xe0), 0x20) // its offset
                mstore(add(q, 0x100), len) // its length
                mcopy(add(q, 0x120), add(enc, 0x20), len)
                mstore(add(add(q, 0x120), len), 0) // no args
                h := keccak256(q, add(0x140, len))
            }
        }
    }

    /// @notice Copies a claim encoding from calldata into memory laid out so that its
    ///         negation can be hashed in place: the returned `bytes` sits inside the
    ///         encoding of `NOT(enc)` (see `negationIdInPlace`). Saves a second copy on `claim`.
    function loadForNegation(bytes calldata enc) internal pure returns (bytes memory c) {
        assembly ("memory-safe") {
            let len := enc.length
            let q := mload(0x40)
            mstore(q, 0x20) // head: offset of the tuple
            mstore(add(q, 0x20), 0) // kind NOT
            mstore(add(q, 0x40), 0) // name
            mstore(add(q, 0x60), 0) // index
            mstore(add(q, 0x80), 0xa0) // offset of children
            mstore(add(q, 0xa0), add(0x100, len)) // offset of args
            mstore(add(q, 0xc0), 1) // one child
            mstore(add(q, 0xe0), 0x20) // its offset
            c := add(q, 0x100) // its length word: the `bytes` returned
            mstore(c, len)
            calldatacopy(add(c, 0x20), enc.offset, len)
            let tail := add(add(c, 0x20), len)
            mstore(tail, 0) // no args (meaningful once `enc` is known to be canonical)
            mstore(0x40, and(add(tail, 0x3f), not(31)))
        }
    }

    /// @notice `negationId` of a valid claim loaded by `loadForNegation`, without copying.
    function negationIdInPlace(bytes memory c) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            switch mload(add(c, 0x40))
            case 0 {
                let ch := add(c, 0x120)
                h := keccak256(add(ch, 0x20), mload(ch))
            }
            default {
                h := keccak256(sub(c, 0x100), add(0x140, mload(c)))
            }
        }
    }

    /// @notice The negation of a (valid) claim, double negation removed (`Claim::negate`).
    ///         For `NOT(P)` the result aliases `P` inside `enc`.
    function negate(bytes memory enc) internal pure returns (bytes memory out) {
        if (kindOf(enc) == NOT) return child(enc, 0);
        uint256 len = enc.length;
        out = new bytes(0x140 + len);
        assembly ("memory-safe") {
            let q := add(out, 0x20)
            mstore(q, 0x20)
            // kind, name, index stay zero (new bytes is zeroed)
            mstore(add(q, 0x80), 0xa0)
            mstore(add(q, 0xa0), add(0x100, len))
            mstore(add(q, 0xc0), 1)
            mstore(add(q, 0xe0), 0x20)
            mstore(add(q, 0x100), len)
            mcopy(add(q, 0x120), add(enc, 0x20), len)
        }
    }

    // =====================================================================================
    // Validation (Rust: `Claim::decode` / `Claim::decode_template` / `decode_group`)
    // =====================================================================================

    /// @notice Reverts `MalformedClaim` unless `enc` is exactly the canonical encoding of a
    ///         claim: a closed claim if `arity == CLOSED`, else a definition template with
    ///         `arity` parameters. Same acceptance as the Rust strict decoder: kinds and
    ///         fields per kind, `NOT` not directly over `NOT`, `AND` of at least two non-`AND`
    ///         children, `VAR` bound, `PARAM` only in templates and below the arity, `CALL`
    ///         with group 0 only in templates, tuples with a non-literal part, depth at most
    ///         `MAX_DEPTH`, and every offset, length, padding byte and the total length as
    ///         `abi.encode` produces them.
    /// @dev Written in Yul because it is on the hot path of `claim`. It walks the encoding
    ///      with a work list of byte ranges still to check, kept in scratch memory past the
    ///      free memory pointer (nothing is allocated meanwhile), one word per item:
    ///
    ///          item = ptr | len << 64 | ctx << 128
    ///          ctx  = binders | depth << 32 | tag << 64 | ap << 72
    ///
    ///      `ptr`/`len`: the range (a claim encoding, or a tuple term's `abi.encode(Term[])`);
    ///      `binders`: enclosing quantifiers; `depth`: nesting depth of the node (a claim's
    ///      args and children are one deeper, a tuple's parts one deeper than the tuple);
    ///      `tag`: 0 claim, 1 claim directly under NOT, 2 claim directly under AND, 3 tuple
    ///      parts; `ap`: 0 for a closed claim, arity + 1 for a template.
    ///      Every read is bounds-checked against the end of the range it belongs to before the
    ///      value is used; all sizes are bounded by `enc.length`, so nothing overflows.
    ///
    ///      It also lists the names the claim refers to (`refs`, allocated at the end): pairs
    ///      `(kind, name)` for every `WITNESS` (verifier), `FORALL` (quantifier) and `CALL` with
    ///      a non-zero group id, in the order met. The list comes first, the work list after
    ///      it: a node is listed only once checked, and a checked node owns at least 0x100
    ///      bytes of `enc` outside its children and arguments, so at most
    ///      `enc.length / 0x100 + 1` pairs are listed.
    function validate(bytes memory enc, uint256 arity) internal pure returns (uint256[] memory refs) {
        uint256 ap = arity == CLOSED ? 0 : arity + 1;
        assembly ("memory-safe") {
            // MalformedClaim(uint256) = 0x8f05e161
            function fail(code) {
                mstore(0x00, shl(224, 0x8f05e161))
                mstore(0x04, code)
                revert(0x00, 0x24)
            }
            // Whether the bytes after `len` data bytes at `d`, to the next word boundary, are zero.
            function zeroPadded(d, len) -> ok {
                let r := and(len, 31)
                ok := 1
                if r {
                    ok := iszero(shl(shl(3, r), mload(add(d, sub(len, r)))))
                }
            }
            // A `bytes` whose length word is at `v` (v + 0x20 <= end): checks that its data
            // and zero padding fit before `end`; returns the size of length word + padded data.
            function bytesSize(v, end) -> s {
                let len := mload(v)
                let room := sub(sub(end, v), 0x20)
                let padded := and(add(len, 31), not(31))
                if or(gt(len, room), gt(padded, room)) {
                    fail(1)
                }
                if iszero(zeroPadded(add(v, 0x20), len)) {
                    fail(1)
                }
                s := add(0x20, padded)
            }
            // ctx for the children/args/parts of a node: same binders, depth + 1, tag cleared.
            function deeper(ctx) -> c {
                c := add(and(ctx, not(shl(64, 0xff))), shl(32, 1))
            }
            // The n children (bytes[] with offset words at `heads`): canonical offsets; each
            // pushed as a claim item with `cctx`. Returns the new top and where they end.
            function children(heads, end, n, cctx, top) -> top2, a {
                if gt(n, shr(5, sub(end, heads))) {
                    fail(1)
                }
                let pos := shl(5, n)
                top2 := top
                for {
                    let k := 0
                } lt(k, n) {
                    k := add(k, 1)
                } {
                    let e := add(heads, pos)
                    if or(iszero(eq(mload(add(heads, shl(5, k))), pos)), lt(sub(end, e), 0x20)) {
                        fail(1)
                    }
                    let s := bytesSize(e, end)
                    mstore(top2, or(or(add(e, 0x20), shl(64, mload(e))), shl(128, cctx)))
                    top2 := add(top2, 0x20)
                    pos := add(pos, s)
                }
                a := add(heads, pos)
            }
            // One Term tuple at `x`; returns its size and kind; pushes a tuple's parts.
            function term(x, end, ctx, top) -> size, tk, top2 {
                top2 := top
                if lt(sub(end, x), 0xc0) {
                    fail(1)
                }
                tk := mload(x)
                let ti := mload(add(x, 0x20))
                if iszero(eq(mload(add(x, 0x40)), 0x80)) {
                    fail(1)
                }
                if or(gt(tk, 3), gt(ti, 0xffffffff)) {
                    fail(2)
                }
                let plen := mload(add(x, 0x80))
                if gt(plen, shr(5, sub(sub(end, x), 0xc0))) {
                    fail(1)
                }
                let v := add(add(x, 0xa0), shl(5, plen))
                if iszero(eq(mload(add(x, 0x60)), sub(v, x))) {
                    fail(1)
                }
                for {
                    let q := add(x, 0xa0)
                } lt(q, v) {
                    q := add(q, 0x20)
                } {
                    if gt(mload(q), 0xffffffff) {
                        fail(2)
                    }
                }
                size := add(sub(v, x), bytesSize(v, end))
                let vlen := mload(v)
                switch tk
                case 0 {
                    if or(ti, plen) {
                        fail(3)
                    }
                }
                case 1 {
                    if vlen {
                        fail(3)
                    }
                    if iszero(lt(ti, and(ctx, 0xffffffff))) {
                        fail(6)
                    }
                }
                case 2 {
                    if vlen {
                        fail(3)
                    }
                    if iszero(lt(add(ti, 1), shr(72, ctx))) {
                        fail(7)
                    }
                }
                default {
                    if or(ti, plen) {
                        fail(3)
                    }
                    let pctx := or(deeper(ctx), shl(64, 3))
                    mstore(top2, or(or(add(v, 0x20), shl(64, vlen)), shl(128, pctx)))
                    top2 := add(top2, 0x20)
                }
            }
            // A Term[] (count word at `a`) ending exactly at `end`, terms with `ctx`.
            function terms(a, end, ctx, top) -> top2, m, allLit {
                m := mload(a)
                let heads := add(a, 0x20)
                if gt(m, shr(5, sub(end, heads))) {
                    fail(1)
                }
                if and(iszero(iszero(m)), gt(and(shr(32, ctx), 0xffffffff), 256)) {
                    fail(10)
                }
                let pos := shl(5, m)
                allLit := 1
                top2 := top
                for {
                    let j := 0
                } lt(j, m) {
                    j := add(j, 1)
                } {
                    if iszero(eq(mload(add(heads, shl(5, j))), pos)) {
                        fail(1)
                    }
                    let size, tk
                    size, tk, top2 := term(add(heads, pos), end, ctx, top2)
                    if tk {
                        allLit := 0
                    }
                    pos := add(pos, size)
                }
                if iszero(eq(add(heads, pos), end)) {
                    fail(1)
                }
            }
            // The per-kind field rules for the claim at `p` with `m` args.
            function fields(p, ctx, m) {
                let kind := mload(add(p, 0x20))
                let named := iszero(iszero(mload(add(p, 0x40))))
                let index := mload(add(p, 0x60))
                let n := mload(add(p, 0xc0))
                let tag := and(shr(64, ctx), 0xff)
                if and(eq(tag, 1), eq(kind, 0)) {
                    fail(4)
                }
                if and(eq(tag, 2), eq(kind, 1)) {
                    fail(5)
                }
                let ok := 0
                switch kind
                case 0 {
                    ok := and(and(iszero(named), iszero(index)), and(iszero(m), eq(n, 1)))
                }
                case 1 {
                    ok := and(and(iszero(named), iszero(index)), and(iszero(m), gt(n, 1)))
                }
                case 2 {
                    ok := and(and(named, iszero(index)), iszero(n))
                }
                case 3 {
                    ok := and(and(named, iszero(index)), eq(n, 1))
                }
                default {
                    ok := iszero(n)
                    if and(ok, and(iszero(named), iszero(shr(72, ctx)))) {
                        fail(8)
                    }
                }
                if iszero(ok) {
                    fail(3)
                }
            }
            // One claim encoding [p, end).
            function claimNode(p, end, ctx, top) -> top2 {
                if lt(sub(end, p), 0x100) {
                    fail(1)
                }
                if iszero(and(eq(mload(p), 0x20), eq(mload(add(p, 0x80)), 0xa0))) {
                    fail(1)
                }
                let kind := mload(add(p, 0x20))
                if or(gt(kind, 4), gt(mload(add(p, 0x60)), 0xffffffff)) {
                    fail(2)
                }
                let cctx := deeper(ctx)
                if eq(kind, 3) {
                    cctx := add(cctx, 1) // one more binder in a quantifier's body
                }
                if lt(kind, 2) {
                    cctx := or(cctx, shl(64, add(kind, 1))) // under NOT: 1, under AND: 2
                }
                let a
                top2, a := children(add(p, 0xe0), end, mload(add(p, 0xc0)), cctx, top)
                if or(iszero(eq(mload(add(p, 0xa0)), sub(a, add(p, 0x20)))), lt(sub(end, a), 0x20)) {
                    fail(1)
                }
                fields(p, ctx, mload(a))
                if gt(kind, 1) {
                    let nm := mload(add(p, 0x40))
                    if nm {
                        let cur := mload(0x00)
                        mstore(cur, kind)
                        mstore(add(cur, 0x20), nm)
                        mstore(0x00, add(cur, 0x40))
                    }
                }
                let m, allLit
                top2, m, allLit := terms(a, end, deeper(ctx), top2)
            }
            // A tuple term's value [p, end): abi.encode(Term[]) with a non-literal part.
            function tupleParts(p, end, ctx, top) -> top2 {
                if or(lt(sub(end, p), 0x40), iszero(eq(mload(p), 0x20))) {
                    fail(1)
                }
                let m, allLit
                top2, m, allLit := terms(add(p, 0x20), end, ctx, top)
                if or(iszero(m), allLit) {
                    fail(9)
                }
            }

            refs := mload(0x40)
            mstore(0x00, add(refs, 0x20)) // cursor of the refs list (scratch word)
            let base := add(refs, add(0x60, shl(6, shr(8, mload(enc)))))
            let top := add(base, 0x20)
            mstore(base, or(or(add(enc, 0x20), shl(64, mload(enc))), shl(200, ap)))
            for {

            } gt(top, base) {

            } {
                top := sub(top, 0x20)
                let it := mload(top)
                let ctx := shr(128, it)
                if gt(and(shr(32, ctx), 0xffffffff), 256) {
                    fail(10)
                }
                let p := and(it, 0xffffffffffffffff)
                let end := add(p, and(shr(64, it), 0xffffffffffffffff))
                switch and(shr(64, ctx), 0xff)
                case 3 {
                    top := tupleParts(p, end, ctx, top)
                }
                default {
                    top := claimNode(p, end, ctx, top)
                }
            }
            let last := mload(0x00)
            mstore(refs, shr(5, sub(last, add(refs, 0x20))))
            mstore(0x40, last)
        }
    }

    /// @dev Element `k` of a `bytes[]` whose offset words start at `heads`: checks that its
    ///      offset is `pos` (canonical), that its length word, data and zero padding fit
    ///      before `end`. Returns its length and the offset of the next element.
    function _bytesAt(uint256 heads, uint256 pos, uint256 k, uint256 end) private pure returns (uint256 len, uint256 next) {
        uint256 off;
        uint256 e = heads + pos;
        assembly ("memory-safe") {
            off := mload(add(heads, shl(5, k)))
        }
        if (off != pos || end - e < 0x20) revert MalformedClaim(BAD_LAYOUT);
        assembly ("memory-safe") {
            len := mload(e)
        }
        uint256 room = end - e - 0x20;
        if (len > room) revert MalformedClaim(BAD_LAYOUT);
        uint256 padded = (len + 31) & ~uint256(31);
        if (padded > room) revert MalformedClaim(BAD_LAYOUT);
        if (!_zeroPadded(e + 0x20, len)) revert MalformedClaim(BAD_LAYOUT);
        next = pos + 0x20 + padded;
    }

    /// @dev Whether the bytes after `len` data bytes at `d`, up to the next 32-byte boundary, are zero.
    function _zeroPadded(uint256 d, uint256 len) private pure returns (bool ok) {
        assembly ("memory-safe") {
            let r := and(len, 31)
            ok := 1
            if r {
                ok := iszero(shl(shl(3, r), mload(add(d, sub(len, r)))))
            }
        }
    }

    // =====================================================================================
    // Definition groups
    // =====================================================================================

    /// @notice Reverts `MalformedClaim` unless `g` is the canonical `abi.encode(Definition[])`
    ///         with every body a valid template of its arity (Rust: `decode_group`). Returns
    ///         the names the bodies refer to, as `validate` lists them (in-group calls, with
    ///         group id 0, are not listed).
    function validateGroup(bytes memory g) internal pure returns (uint256[] memory refs) {
        uint256 d;
        uint256 len = g.length;
        uint256 w;
        uint256 n;
        assembly ("memory-safe") {
            d := add(g, 0x20)
            w := mload(d)
            n := mload(add(d, 0x20))
        }
        if (len < 0x40 || w != 0x20) revert MalformedClaim(BAD_LAYOUT);
        uint256 end = d + len;
        uint256 heads = d + 0x40;
        if (n > (end - heads) >> 5) revert MalformedClaim(BAD_LAYOUT);
        uint256[][] memory lists = new uint256[][](n);
        uint256 total = 0;
        uint256 pos = n << 5;
        for (uint256 i = 0; i < n; i++) {
            uint256 x = heads + pos;
            uint256 off;
            uint256 arity;
            uint256 bodyOff;
            assembly ("memory-safe") {
                off := mload(add(heads, shl(5, i)))
            }
            if (off != pos || end - x < 0x60) revert MalformedClaim(BAD_LAYOUT);
            assembly ("memory-safe") {
                arity := mload(x)
                bodyOff := mload(add(x, 0x20))
            }
            if (arity > type(uint32).max) revert MalformedClaim(BAD_KIND);
            if (bodyOff != 0x40) revert MalformedClaim(BAD_LAYOUT);
            uint256 blen;
            (blen, ) = _bytesAt(x, 0x40, 1, end);
            bytes memory body;
            assembly ("memory-safe") {
                body := add(x, 0x40)
            }
            lists[i] = validate(body, arity);
            total += lists[i].length;
            pos += 0x60 + ((blen + 31) & ~uint256(31));
        }
        if (heads + pos != end) revert MalformedClaim(BAD_LAYOUT);
        refs = new uint256[](total);
        uint256 m = 0;
        for (uint256 i = 0; i < n; i++) {
            for (uint256 j = 0; j < lists[i].length; j++) refs[m++] = lists[i][j];
        }
    }

    /// @notice Number of definitions in a (valid) group.
    function groupSize(bytes memory g) internal pure returns (uint256 n) {
        assembly ("memory-safe") {
            n := mload(add(g, 0x40))
        }
    }

    /// @notice Definition `i` of a (valid) group: its arity and its body, aliased in place.
    function definition(bytes memory g, uint256 i) internal pure returns (uint256 arity, bytes memory body) {
        assembly ("memory-safe") {
            let heads := add(g, 0x60)
            let x := add(heads, mload(add(heads, shl(5, i))))
            arity := mload(x)
            body := add(x, 0x40)
        }
    }

    // =====================================================================================
    // Values: strict abi.encode(bytes[]) lists and projections (Rust: `decode_list`, `project`)
    // =====================================================================================

    /// @notice Whether `v` is exactly `abi.encode(bytes[] parts)` for some parts; their count.
    function listLength(bytes memory v) internal pure returns (bool ok, uint256 n) {
        uint256 len = v.length;
        uint256 d;
        uint256 w;
        assembly ("memory-safe") {
            d := add(v, 0x20)
            w := mload(d)
            n := mload(add(d, 0x20))
        }
        if (len < 0x40 || w != 0x20) return (false, 0);
        uint256 end = d + len;
        uint256 heads = d + 0x40;
        if (n > (end - heads) >> 5) return (false, 0);
        uint256 pos = n << 5;
        for (uint256 i = 0; i < n; i++) {
            uint256 e = heads + pos;
            uint256 off;
            uint256 elen;
            assembly ("memory-safe") {
                off := mload(add(heads, shl(5, i)))
                elen := mload(e)
            }
            if (off != pos || end - e < 0x20) return (false, 0);
            uint256 room = end - e - 0x20;
            // Compare before padding: `elen + 31` would overflow for huge lengths.
            if (elen > room) return (false, 0);
            uint256 padded = (elen + 31) & ~uint256(31);
            if (padded > room || !_zeroPadded(e + 0x20, elen)) return (false, 0);
            pos += 0x20 + padded;
        }
        if (heads + pos != end) return (false, 0);
        return (true, n);
    }

    /// @notice Projects `v` along the `uint32[]` path at `pathPtr` (length word first):
    ///         `abi.decode(v, (bytes[]))[i]` for each `i`, strictly. Returns the element
    ///         aliased in place. Reverts `ProjectionFailed`.
    function project(bytes memory v, uint256 pathPtr) internal pure returns (bytes memory cur) {
        cur = v;
        uint256 plen;
        assembly ("memory-safe") {
            plen := mload(pathPtr)
        }
        for (uint256 k = 0; k < plen; k++) {
            uint256 i;
            assembly ("memory-safe") {
                i := mload(add(pathPtr, shl(5, add(k, 1))))
            }
            (bool ok, uint256 n) = listLength(cur);
            if (!ok || i >= n) revert ProjectionFailed();
            assembly ("memory-safe") {
                let heads := add(cur, 0x60)
                cur := add(heads, mload(add(heads, shl(5, i))))
            }
        }
    }

    // =====================================================================================
    // Substitution and instantiation (Rust: `Claim::instantiate`, `instantiate_template`)
    // =====================================================================================

    /// @dev One node of the tree being rewritten. Claims and terms share the struct.
    struct Node {
        uint256 src; // claim pointer or term pointer into the input
        uint256 binders; // quantifiers between the rewrite root and this node
        uint256 first; // index of the first child node
        uint256 nClaims; // claim children (claims)
        uint256 nTerms; // args (claims) or tuple parts (terms)
        bool isTerm;
        uint256 kind; // output kind
        uint256 index; // output index (VAR/PARAM)
        uint256 path; // output path pointer (VAR/PARAM)
        uint256 value; // output value pointer (LIT, aliased); 0 if built from parts
        uint256 vlen; // output value length
        uint256 size; // output size: claim encoding / term tuple
        uint256 dst; // output position
        bool inValue; // part of a folded tuple: written as a list element's data
    }

    uint256 private constant MODE_SUBST = 0;
    uint256 private constant MODE_INST = 1;

    /// @notice `body[x := value]`: the innermost bound variable (`VAR 0` at the body's top
    ///         level) becomes the literal `value` projected along its path; variables bound
    ///         further out are renumbered down by one; tuples whose parts all became literals
    ///         fold into one literal `abi.encode(bytes[])`. `body` must be a valid claim in the
    ///         scope of one binder. Reverts `ProjectionFailed`.
    function substitute(bytes memory body, bytes memory value) internal pure returns (bytes memory) {
        bytes[] memory none;
        return _rewrite(body, MODE_SUBST, value, none, bytes32(0));
    }

    /// @notice A template's body with parameters replaced by `args` (projected along their
    ///         paths) and in-group calls (`CALL` with name 0) given the group id `group`.
    ///         Reverts `ProjectionFailed` / `OpenTerm` (parameter index past `args`).
    function instantiate(bytes memory tpl, bytes[] memory args, bytes32 group) internal pure returns (bytes memory) {
        return _rewrite(tpl, MODE_INST, "", args, group);
    }

    function _rewrite(
        bytes memory root,
        uint256 mode,
        bytes memory value,
        bytes[] memory args,
        bytes32 group
    ) private pure returns (bytes memory out) {
        Node[] memory nodes = new Node[](root.length / 0x80 + 2);
        uint256 count = _collect(nodes, root);
        for (uint256 i = count; i != 0; ) {
            i--;
            if (nodes[i].isTerm) _sizeTerm(nodes, i, mode, value, args);
            else _sizeClaim(nodes, i);
        }
        out = new bytes(nodes[0].size);
        uint256 d;
        assembly ("memory-safe") {
            d := add(out, 0x20)
        }
        nodes[0].dst = d;
        for (uint256 i = 0; i < count; i++) {
            if (nodes[i].isTerm) _writeTerm(nodes, i);
            else _writeClaim(nodes, i, mode, group);
        }
    }

    /// @dev Breadth-first listing of every claim node and term under `root` (children of a
    ///      node are consecutive and come after it).
    function _collect(Node[] memory nodes, bytes memory root) private pure returns (uint256 count) {
        uint256 r;
        assembly ("memory-safe") {
            r := add(root, 0x20)
        }
        nodes[0].src = r;
        count = 1;
        for (uint256 i = 0; i < count; i++) {
            Node memory nd = nodes[i];
            uint256 p = nd.src;
            nd.first = count;
            if (!nd.isTerm) {
                uint256 kind;
                uint256 n;
                uint256 a;
                assembly ("memory-safe") {
                    kind := mload(add(p, 0x20))
                    n := mload(add(p, 0xc0))
                    a := add(add(p, 0x20), mload(add(p, 0xa0)))
                }
                uint256 b = kind == FORALL ? nd.binders + 1 : nd.binders;
                for (uint256 k = 0; k < n; k++) {
                    uint256 c;
                    assembly ("memory-safe") {
                        let heads := add(p, 0xe0)
                        c := add(add(heads, mload(add(heads, shl(5, k)))), 0x20)
                    }
                    Node memory ch = nodes[count++];
                    ch.src = c;
                    ch.binders = b;
                }
                nd.nClaims = n;
                nd.nTerms = _collectTerms(nodes, count, a, nd.binders);
                count += nd.nTerms;
            } else {
                uint256 tk;
                assembly ("memory-safe") {
                    tk := mload(p)
                }
                if (tk == TUPLE) {
                    uint256 a;
                    assembly ("memory-safe") {
                        a := add(add(p, mload(add(p, 0x60))), 0x40) // count word of Term[]
                    }
                    nd.nTerms = _collectTerms(nodes, count, a, nd.binders);
                    count += nd.nTerms;
                }
            }
        }
    }

    function _collectTerms(Node[] memory nodes, uint256 count, uint256 a, uint256 binders) private pure returns (uint256 m) {
        assembly ("memory-safe") {
            m := mload(a)
        }
        for (uint256 j = 0; j < m; j++) {
            uint256 x;
            assembly ("memory-safe") {
                let heads := add(a, 0x20)
                x := add(heads, mload(add(heads, shl(5, j))))
            }
            Node memory t = nodes[count + j];
            t.src = x;
            t.binders = binders;
            t.isTerm = true;
        }
    }

    function _sizeTerm(Node[] memory nodes, uint256 i, uint256 mode, bytes memory value, bytes[] memory args) private pure {
        Node memory nd = nodes[i];
        uint256 x = nd.src;
        uint256 tk;
        uint256 ti;
        uint256 path;
        bytes memory lit;
        assembly ("memory-safe") {
            tk := mload(x)
            ti := mload(add(x, 0x20))
            path := add(x, 0x80)
            lit := add(x, mload(add(x, 0x60)))
        }
        nd.kind = tk;
        nd.index = ti;
        nd.path = path;
        if (tk == LIT) {
            _setLit(nd, lit);
        } else if (tk == VAR) {
            if (mode == MODE_SUBST && ti == nd.binders) _setLit(nd, project(value, path));
            else if (mode == MODE_SUBST && ti > nd.binders) nd.index = ti - 1;
        } else if (tk == PARAM) {
            if (mode == MODE_INST) {
                if (ti >= args.length) revert OpenTerm();
                _setLit(nd, project(args[ti], path));
            }
        } else {
            _sizeTuple(nodes, nd);
        }
        uint256 plen;
        if (nd.kind == VAR || nd.kind == PARAM) {
            assembly ("memory-safe") {
                plen := mload(path)
            }
        }
        nd.size = 0xc0 + (plen << 5) + ((nd.vlen + 31) & ~uint256(31));
    }

    /// @dev A tuple folds to a literal list when every part is a literal (Rust `Term::tuple`).
    function _sizeTuple(Node[] memory nodes, Node memory nd) private pure {
        uint256 m = nd.nTerms;
        bool allLit = true;
        uint256 listLen = 0x40 + (m << 5);
        uint256 tupleLen = listLen;
        for (uint256 j = 0; j < m; j++) {
            Node memory part = nodes[nd.first + j];
            if (part.kind != LIT) allLit = false;
            listLen += 0x20 + ((part.vlen + 31) & ~uint256(31));
            tupleLen += part.size;
        }
        if (allLit) {
            nd.kind = LIT;
            nd.value = 0;
            nd.vlen = listLen;
        } else {
            nd.vlen = tupleLen;
        }
    }

    function _setLit(Node memory nd, bytes memory lit) private pure {
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := lit
        }
        nd.kind = LIT;
        nd.index = 0;
        nd.value = ptr;
        nd.vlen = lit.length;
    }

    function _sizeClaim(Node[] memory nodes, uint256 i) private pure {
        Node memory nd = nodes[i];
        uint256 n = nd.nClaims;
        uint256 m = nd.nTerms;
        uint256 size = 0x100 + ((n + m) << 5);
        for (uint256 k = 0; k < n; k++) size += 0x20 + nodes[nd.first + k].size;
        for (uint256 j = 0; j < m; j++) size += nodes[nd.first + n + j].size;
        nd.size = size;
    }

    function _writeClaim(Node[] memory nodes, uint256 i, uint256 mode, bytes32 group) private pure {
        Node memory nd = nodes[i];
        uint256 p = nd.src;
        uint256 d = nd.dst;
        uint256 n = nd.nClaims;
        uint256 m = nd.nTerms;
        assembly ("memory-safe") {
            let kind := mload(add(p, 0x20))
            let name := mload(add(p, 0x40))
            if and(eq(mode, MODE_INST), and(eq(kind, CALL), iszero(name))) {
                name := group
            }
            mstore(d, 0x20)
            mstore(add(d, 0x20), kind)
            mstore(add(d, 0x40), name)
            mstore(add(d, 0x60), mload(add(p, 0x60)))
            mstore(add(d, 0x80), 0xa0)
            mstore(add(d, 0xc0), n)
        }
        uint256 heads = d + 0xe0;
        uint256 pos = n << 5;
        for (uint256 k = 0; k < n; k++) {
            Node memory ch = nodes[nd.first + k];
            uint256 size = ch.size;
            assembly ("memory-safe") {
                mstore(add(heads, shl(5, k)), pos)
                mstore(add(heads, pos), size) // the child's length word
            }
            ch.dst = heads + pos + 0x20;
            pos += 0x20 + size;
        }
        uint256 a = heads + pos;
        assembly ("memory-safe") {
            mstore(add(d, 0xa0), sub(a, add(d, 0x20)))
            mstore(a, m)
        }
        heads = a + 0x20;
        pos = m << 5;
        for (uint256 j = 0; j < m; j++) {
            Node memory t = nodes[nd.first + n + j];
            assembly ("memory-safe") {
                mstore(add(heads, shl(5, j)), pos)
            }
            t.dst = heads + pos;
            pos += t.size;
        }
    }

    function _writeTerm(Node[] memory nodes, uint256 i) private pure {
        Node memory nd = nodes[i];
        if (nd.inValue) {
            // element data of a folded tuple's list
            if (nd.value != 0) _copyValue(nd.dst, nd.value);
            else _writeList(nodes, nd, nd.dst);
            return;
        }
        uint256 x = nd.dst;
        uint256 kind = nd.kind;
        uint256 plen;
        uint256 path = nd.path;
        if (kind == VAR || kind == PARAM) {
            assembly ("memory-safe") {
                plen := mload(path)
            }
        }
        uint256 v = x + 0xa0 + (plen << 5);
        uint256 vlen = nd.vlen;
        uint256 index = nd.index;
        assembly ("memory-safe") {
            mstore(x, kind)
            mstore(add(x, 0x20), index)
            mstore(add(x, 0x40), 0x80)
            mstore(add(x, 0x60), sub(v, x))
            mcopy(add(x, 0x80), path, shl(5, add(plen, 1))) // length word + elements
            mstore(add(x, 0x80), plen)
            mstore(v, vlen)
        }
        if (kind == LIT) {
            if (nd.value != 0) _copyValue(v + 0x20, nd.value);
            else _writeList(nodes, nd, v + 0x20);
        } else if (kind == TUPLE) {
            // abi.encode(Term[] parts)
            uint256 m = nd.nTerms;
            uint256 heads = v + 0x60;
            assembly ("memory-safe") {
                mstore(add(v, 0x20), 0x20)
                mstore(add(v, 0x40), m)
            }
            uint256 pos = m << 5;
            for (uint256 j = 0; j < m; j++) {
                Node memory part = nodes[nd.first + j];
                assembly ("memory-safe") {
                    mstore(add(heads, shl(5, j)), pos)
                }
                part.dst = heads + pos;
                pos += part.size;
            }
        }
    }

    /// @dev Writes `abi.encode(bytes[] parts' values)` at `d` and places the parts.
    function _writeList(Node[] memory nodes, Node memory nd, uint256 d) private pure {
        uint256 m = nd.nTerms;
        uint256 heads = d + 0x40;
        assembly ("memory-safe") {
            mstore(d, 0x20)
            mstore(add(d, 0x20), m)
        }
        uint256 pos = m << 5;
        for (uint256 j = 0; j < m; j++) {
            Node memory part = nodes[nd.first + j];
            uint256 plen = part.vlen;
            assembly ("memory-safe") {
                mstore(add(heads, shl(5, j)), pos)
                mstore(add(heads, pos), plen)
            }
            part.dst = heads + pos + 0x20;
            part.inValue = true;
            pos += 0x20 + ((plen + 31) & ~uint256(31));
        }
    }

    /// @dev Copies the data of the `bytes` at `src` to `d` (the output buffer is zeroed, so
    ///      the padding after it is already zero).
    function _copyValue(uint256 d, uint256 src) private pure {
        assembly ("memory-safe") {
            mcopy(d, add(src, 0x20), mload(src))
        }
    }
}
