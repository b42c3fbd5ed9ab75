// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IVerifier} from "../interfaces/IVerifier.sol";
import {ValueLib} from "../lib/ValueLib.sol";

/// @title threshold_signed(message: bytes32, signers: address[], k: uint256)
/// @notice At least `k` distinct members of `signers` signed the 32-byte `message` as an
///         EIP-191 personal message (the scheme of `signed_by`): a k-of-n attestation.
///         Witness: `abi.encode(bytes[] entries)`, each entry 97 bytes, `uint256 index ++
///         r ++ s ++ v` with `index` the signer's position in `signers`; the empty witness
///         (no bytes) is the empty list. True iff there are at least `k` entries, their
///         indices strictly increase and are below `signers.length`, each signature recovers
///         `signers[index]`, and no address is counted twice (a member listed twice in
///         `signers` counts once). Mirrors `ThresholdSigned` in `src/logic/registry.rs`.
contract ThresholdSigned is IVerifier {
    uint256 private constant ENTRY_SIZE = 97;

    function verify(bytes[] calldata args, bytes calldata witness) external pure returns (bool) {
        if (args.length < 3) return false;
        (bool okM, uint256 message) = ValueLib.asWord(args[0]);
        (bool okK, uint256 k) = ValueLib.asWord(args[2]);
        if (!okM || !okK || !ValueLib.addressList(args[1])) return false;
        uint256 count = 0;
        if (witness.length != 0) {
            bool okW;
            (okW, count) = ValueLib.listLength(witness);
            if (!okW) return false;
        }
        if (count < k) return false;
        return _entries(bytes32(message), args[1], witness, count);
    }

    /// @dev Whether every one of the `count` entries of the (well-formed list) `witness` is
    ///      valid: strictly increasing indices into `signers`, each signature recovering its
    ///      signer, no signer counted twice.
    function _entries(bytes32 message, bytes calldata signers, bytes calldata witness, uint256 count)
        private
        pure
        returns (bool)
    {
        uint256 n = ValueLib.listCount(signers);
        address[] memory chosen = new address[](count);
        uint256 next = 0; // the smallest index the next entry may have
        for (uint256 i = 0; i < count; i++) {
            bytes calldata e = ValueLib.element(witness, i);
            if (e.length != ENTRY_SIZE) return false;
            uint256 index = uint256(bytes32(e[0:32]));
            if (index < next || index >= n) return false;
            next = index + 1;
            address who = _signer(message, signers, index, e[32:ENTRY_SIZE]);
            if (who == address(0) || _seen(chosen, i, who)) return false;
            chosen[i] = who;
        }
        return true;
    }

    /// @dev `signers[index]` if `sig` recovers it from `message`, else the zero address.
    function _signer(bytes32 message, bytes calldata signers, uint256 index, bytes calldata sig)
        private
        pure
        returns (address)
    {
        (, address who) = ValueLib.asAddress(ValueLib.element(signers, index));
        address got = ValueLib.recover(message, sig);
        return got == who ? got : address(0);
    }

    /// @dev Whether `who` is among the first `upTo` entries of `chosen`.
    function _seen(address[] memory chosen, uint256 upTo, address who) private pure returns (bool) {
        for (uint256 j = 0; j < upTo; j++) {
            if (chosen[j] == who) return true;
        }
        return false;
    }
}
