// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {ClaimBuilder} from "./ClaimBuilder.sol";
import {IDisputeDecisions} from "./IDisputeDecisions.sol";

/// @title RollupBridge -- an L1 bridge that pays rollup withdrawals only against True output claims.
/// @notice The L2 state (the rollup program's format, `src/rollup`) is
///         `"OGSR" ‖ count u32 ‖ count × (address[20] ‖ nonce u64 ‖ balance u64 ‖ withdrawn u64)`,
///         all big-endian, at most 4,096 accounts; its output root is `keccak256(state)`. An L2
///         withdrawal moves an amount from an account's `balance` to its `withdrawn` counter,
///         which only grows; `balance + withdrawn` summed over all accounts is conserved.
///
///         **L1 batch inbox.** L2 transfers (`from[20] ‖ to[20] ‖ amount u64 ‖ nonce u64`,
///         56 bytes) carry no signatures, so the bridge itself is the only way in: `submit(to,
///         amount, nonce)` appends the transfer `from = msg.sender` to the open batch -- L1
///         authenticates every sender, and nobody can put a transfer from someone else's account
///         into a batch. `to == address(0)` is an L2 withdrawal. The bridge checks no balance or
///         nonce (the L2 program skips invalid transfers). The bridge keeps no transfer: each
///         `submit` folds it into the open batch's inbox hash `h = keccak256(h ‖ transfer)` and
///         logs it (`Submitted`). `seal(batch)` (anyone, non-empty open batch) closes the open
///         batch: `batch` must be `"OGSB" ‖ count u32 ‖ count × transfer` (big-endian, at most
///         `MAX_TRANSFERS`, the `src/rollup` batch format) with exactly the submitted transfers in
///         order (their inbox hash is recomputed from it); `keccak256(batch)` is appended to the
///         sealed batch hashes. **Data availability is by calldata**: the batch's bytes are the
///         `seal` transaction's calldata (whoever has to check or challenge an output reads them
///         there, `BatchSealed` names the transaction), so sealing costs no storage read per
///         transfer and no log bytes: a 4,096-transfer batch seals for ~4 M gas.
///
///         The bridge starts at the genesis state, funded with exactly its balances. It moves
///         from the latest output root `prev` to `claimed` (`finalize`) only for the next
///         unfinalized sealed batch `batch = batchHash(nextBatch)` -- outputs are finalized
///         strictly in batch order, each for a batch whose transfers L1 authenticated -- and only
///         if the dispute contract has decided True the claim `output(prestate, ctx, prev, batch,
///         claimed, final, n, k)` of `predicates/rollup.ogs`, compiled:
///
///             rollup_context(ctx, prev, batch, claimed) and vm_valid(final)
///             and trace(ctx, prestate, final, n, k)
///
///         with `ctx = keccak256(abi.encode(prev, batch, claimed))`: the rollup program, started
///         from `prestate` with the local inputs (1 = prev, 2 = batch, 3 = claimed) in context
///         `ctx`, exits with code 0 -- it accepts `claimed` as the output of `batch` applied to
///         `prev` -- after `n` steps (disputed `k`-ary). Every finalized root stays usable for `proveWithdrawal`,
///         which credits an account what its `withdrawn` counter in that state exceeds what it
///         was already paid; `withdraw` sends the credit (pull).
contract RollupBridge {
    /// @notice Most accounts a state holds (as `src/rollup`).
    uint256 public constant MAX_ACCOUNTS = 4096;
    /// @notice Encoded account size.
    uint256 internal constant ACCOUNT_SIZE = 44;
    /// @notice Header size: magic and count.
    uint256 internal constant HEADER_SIZE = 8;
    /// @notice The state magic `"OGSR"`.
    bytes4 internal constant STATE_MAGIC = "OGSR";
    /// @notice Most transfers a batch holds (as `src/rollup`).
    uint256 public constant MAX_TRANSFERS = 4096;
    /// @notice Encoded transfer size: `from[20] ‖ to[20] ‖ amount u64 ‖ nonce u64`.
    uint256 internal constant TRANSFER_SIZE = 56;
    /// @notice The batch magic `"OGSB"`.
    bytes4 internal constant BATCH_MAGIC = "OGSB";

    /// @notice The name id of the `rollup_context` verifier.
    bytes32 internal constant ROLLUP_CONTEXT = keccak256("rollup_context");
    /// @notice The name id of the `vm_valid` verifier.
    bytes32 internal constant VM_VALID = keccak256("vm_valid");

    /// @notice The UniversalDispute contract whose decisions count.
    IDisputeDecisions public immutable DISPUTE;
    /// @notice The state hash of the rollup program's initial VM state.
    bytes32 public immutable PRESTATE;
    /// @notice The id of the definition group that holds `trace`.
    bytes32 public immutable TRACE_GROUP;
    /// @notice The index of `trace` in its group.
    uint32 public immutable TRACE_INDEX;

    /// @notice The output root the next `finalize` starts from.
    bytes32 public latestRoot;
    /// @notice The index of the sealed batch the next `finalize` is for (the number of
    ///         batches finalized so far). Shares one storage word with `_batchCount` and
    ///         `_pending`: `submit`, `seal` and `finalize` each read it once, and once a batch
    ///         is sealed it never returns to zero (no zero to non-zero write per batch).
    uint64 private _nextBatch;
    /// @notice The number of sealed batches.
    uint64 private _batchCount;
    /// @notice The number of transfers in the open batch.
    uint32 private _pending;
    /// @notice The hash of sealed batch `i`, for `i < _batchCount`.
    mapping(uint256 => bytes32) private _batchHashes;
    /// @notice The open batch's inbox hash: `keccak256(h ‖ transfer)` over its transfers in
    ///         order, from the previous batch's (never reset to zero: a non-zero to non-zero write
    ///         is far cheaper, and the chain goes on across batches).
    bytes32 private _inbox;
    /// @notice The inbox hash when the open batch was opened (the last sealed one's end).
    bytes32 private _inboxStart;
    /// @notice Whether an output root was the genesis root or finalized.
    mapping(bytes32 => bool) public finalized;
    /// @notice The `withdrawn` counter of each L2 account already credited on L1.
    mapping(address => uint256) public paid;
    /// @notice Wei each account can withdraw.
    mapping(address => uint256) public credit;

    /// @notice `from` put the transfer of `amount` to `to` (the zero address: a withdrawal) with
    ///         nonce `nonce` into the open batch, which will be sealed as batch `batchIndex`.
    event Submitted(uint256 indexed batchIndex, address indexed from, address to, uint64 amount, uint64 nonce);
    /// @notice The open batch was sealed as batch `index`, `batchHash` the `keccak256` of its
    ///         encoding (`"OGSB" ‖ count u32 ‖ count × transfer`), which is the `batch`
    ///         argument of this transaction's `seal` call.
    event BatchSealed(uint256 indexed index, bytes32 batchHash);
    /// @notice The bridge moved from `prev` to `claimed` by sealed batch `batchIndex` (hash
    ///         `batch`) on the True claim `claimId`.
    event OutputFinalized(
        uint256 batchIndex,
        bytes32 indexed prev,
        bytes32 indexed batch,
        bytes32 indexed claimed,
        bytes32 claimId
    );
    /// @notice `account`'s withdrawals up to `withdrawn` (in state `root`) were credited, `amount` of them now.
    event WithdrawalProven(address indexed account, bytes32 indexed root, uint256 withdrawn, uint256 amount);
    /// @notice `account` withdrew its credit.
    event Withdrawn(address indexed account, uint256 amount);

    /// @notice A state shorter than its 8-byte header.
    error StateTooShort(uint256 length);
    /// @notice A state not starting with `"OGSR"`.
    error BadMagic(bytes4 magic);
    /// @notice A state announcing more than `MAX_ACCOUNTS` accounts.
    error TooManyAccounts(uint256 count);
    /// @notice A state whose length is not `8 + 44 × count`.
    error WrongStateLength(uint256 length, uint256 expected);
    /// @notice A genesis account has a non-zero `withdrawn` counter.
    error GenesisWithdrawn(uint256 index);
    /// @notice The genesis balances do not add up to the value sent.
    error GenesisBalanceMismatch(uint256 sum, uint256 value);
    /// @notice The trace group id is zero (no closed claim can call it).
    error ZeroTraceGroup();
    /// @notice The output claim is not decided True.
    error OutputNotTrue(bytes32 claimId);
    /// @notice The root is neither genesis nor finalized.
    error UnknownRoot(bytes32 root);
    /// @notice The state does not hash to the root.
    error RootMismatch(bytes32 root, bytes32 stateHash);
    /// @notice No account at `index` in a state of `count` accounts.
    error IndexOutOfRange(uint256 index, uint256 count);
    /// @notice The account's `withdrawn` counter in this state is not above what it was paid.
    error NothingToProve(address account, uint256 withdrawn, uint256 paid);
    /// @notice The caller has no credit.
    error NothingToWithdraw();
    /// @notice Sending the credit failed.
    error TransferFailed();
    /// @notice `seal`'s batch is not the open batch's encoding (length, header or transfers).
    error WrongBatch(uint256 length, uint256 expected);
    /// @notice The open batch already holds `MAX_TRANSFERS` transfers (`seal` it first).
    error BatchFull();
    /// @notice `seal` of an empty open batch.
    error EmptyBatch();
    /// @notice `finalize` with no sealed batch left to finalize: batch `nextBatch` is not sealed yet.
    error NoSealedBatch(uint256 nextBatch);
    /// @notice No sealed batch at `index`; `count` are sealed.
    error UnknownBatch(uint256 index, uint256 count);

    /// @param dispute The UniversalDispute contract whose decisions count.
    /// @param prestate The state hash of the rollup program's initial VM state.
    /// @param traceGroup The id of the definition group holding `trace` (non-zero).
    /// @param traceIndex The index of `trace` in that group.
    /// @param genesisState The genesis L2 state: well-formed, every `withdrawn` 0, the balances
    ///        adding up to `msg.value`.
    constructor(
        IDisputeDecisions dispute,
        bytes32 prestate,
        bytes32 traceGroup,
        uint32 traceIndex,
        bytes memory genesisState
    ) payable {
        if (traceGroup == bytes32(0)) revert ZeroTraceGroup();
        uint256 length = genesisState.length;
        bytes32 head;
        // Only the first 8 bytes are used, and only when the state has them.
        assembly ("memory-safe") {
            head := mload(add(genesisState, 0x20))
        }
        uint256 count = _accountCount(length, head);
        uint256 sum = 0;
        for (uint256 i = 0; i < count; i++) {
            uint256 off = HEADER_SIZE + ACCOUNT_SIZE * i + 12;
            uint256 tail;
            assembly ("memory-safe") {
                tail := mload(add(add(genesisState, 0x20), off))
            }
            if (uint64(tail) != 0) revert GenesisWithdrawn(i);
            sum += uint64(tail >> 64);
        }
        if (sum != msg.value) revert GenesisBalanceMismatch(sum, msg.value);
        DISPUTE = dispute;
        PRESTATE = prestate;
        TRACE_GROUP = traceGroup;
        TRACE_INDEX = traceIndex;
        bytes32 root = keccak256(genesisState);
        latestRoot = root;
        finalized[root] = true;
    }

    /// @notice Appends the transfer `from = msg.sender` of `amount` to `to` with `from`'s L2
    ///         nonce `nonce` to the open batch. `to == address(0)` is a withdrawal. Nothing is
    ///         checked against the L2 state: the rollup program skips invalid transfers.
    /// @param to The receiver, or the zero address to withdraw to L1.
    /// @param amount The amount (wei).
    /// @param nonce The sender's L2 nonce.
    function submit(address to, uint64 amount, uint64 nonce) external {
        uint256 n = _pending;
        uint256 index = _batchCount;
        if (n == MAX_TRANSFERS) revert BatchFull();
        bytes32 h = _inbox;
        address from = msg.sender;
        assembly ("memory-safe") {
            // h ‖ from[20] ‖ to[20] ‖ amount u64 ‖ nonce u64 (88 bytes) in scratch memory past
            // the free pointer, as `seal` reads the transfer from the batch.
            let p := mload(0x40)
            mstore(p, h)
            mstore(add(p, 0x20), shl(96, from))
            mstore(add(p, 0x34), shl(96, to))
            mstore(add(p, 0x48), or(shl(192, amount), shl(128, nonce)))
            h := keccak256(p, 88)
        }
        _inbox = h;
        _pending = uint32(n + 1);
        emit Submitted(index, msg.sender, to, amount, nonce);
    }

    /// @notice Seals the open batch (anyone may call; it must not be empty). `batch` must be its
    ///         encoding `"OGSB" ‖ count u32 ‖ count × (from[20] ‖ to[20] ‖ amount u64 ‖ nonce
    ///         u64)` (big-endian): the submitted transfers, in order (checked against the inbox
    ///         hash). Appends `keccak256(batch)` to the sealed batches. A new, empty batch opens.
    /// @return index The sealed batch's index.
    /// @return hash Its batch hash.
    function seal(bytes calldata batch) external returns (uint256 index, bytes32 hash) {
        uint256 count = _pending;
        index = _batchCount;
        if (count == 0) revert EmptyBatch();
        uint256 want = HEADER_SIZE + TRANSFER_SIZE * count;
        if (batch.length != want) revert WrongBatch(batch.length, want);
        if (bytes8(batch[:8]) != bytes8(bytes32(BATCH_MAGIC) | bytes32(count << 192))) {
            revert WrongBatch(batch.length, want);
        }
        bytes32 h = _inboxStart;
        assembly ("memory-safe") {
            let p := mload(0x40)
            let q := add(batch.offset, 8)
            for {
                let end := add(q, mul(count, 56))
            } lt(q, end) {
                q := add(q, 56)
            } {
                mstore(p, h)
                calldatacopy(add(p, 0x20), q, 56)
                h := keccak256(p, 88)
            }
        }
        if (h != _inbox) revert WrongBatch(batch.length, want);
        hash = keccak256(batch);
        _batchHashes[index] = hash;
        _batchCount = uint64(index + 1);
        _pending = 0;
        _inboxStart = h;
        emit BatchSealed(index, hash);
    }

    /// @notice Moves the bridge from `latestRoot` to `claimed` by the next unfinalized sealed
    ///         batch `batchHash(nextBatch)` if the output claim of `(latestRoot, that batch,
    ///         claimed, final, n, k)` is decided True. Anyone may call.
    /// @param claimed The output root of that batch applied to `latestRoot`.
    /// @param final_ The rollup program's final VM state hash.
    /// @param n The number of VM steps of the run.
    /// @param k The branching factor of the output claim's trace (its `ksplit`).
    function finalize(bytes32 claimed, bytes32 final_, uint256 n, uint256 k) external {
        uint256 index = _nextBatch;
        if (index >= _batchCount) revert NoSealedBatch(index);
        bytes32 batch = _batchHashes[index];
        bytes32 prev = latestRoot;
        bytes32 id = outputClaimId(prev, batch, claimed, final_, n, k);
        if (!DISPUTE.isTrue(id)) revert OutputNotTrue(id);
        latestRoot = claimed;
        finalized[claimed] = true;
        _nextBatch = uint64(index + 1);
        emit OutputFinalized(index, prev, batch, claimed, id);
    }

    /// @notice Credits the account at `index` of `state` (whose hash is the finalized `root`)
    ///         with its `withdrawn` counter minus what it was already paid. Anyone may call; the
    ///         credit goes to the account's address.
    function proveWithdrawal(bytes32 root, bytes calldata state, uint256 index) external {
        if (!finalized[root]) revert UnknownRoot(root);
        bytes32 h = keccak256(state);
        if (h != root) revert RootMismatch(root, h);
        uint256 length = state.length;
        uint256 count = _accountCount(length, bytes32(state));
        if (index >= count) revert IndexOutOfRange(index, count);
        uint256 off = HEADER_SIZE + ACCOUNT_SIZE * index;
        address account = address(bytes20(state[off:off + 20]));
        uint256 withdrawn = uint64(bytes8(state[off + 36:off + 44]));
        uint256 already = paid[account];
        if (withdrawn <= already) revert NothingToProve(account, withdrawn, already);
        uint256 amount = withdrawn - already;
        paid[account] = withdrawn;
        credit[account] += amount;
        emit WithdrawalProven(account, root, withdrawn, amount);
    }

    /// @notice Sends the caller's whole credit to the caller.
    function withdraw() external {
        uint256 amount = credit[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        credit[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice The number of transfers in the open batch.
    function pendingTransfers() external view returns (uint256) {
        return _pending;
    }

    /// @notice The index of the sealed batch the next `finalize` is for (the number of
    ///         batches finalized so far).
    function nextBatch() external view returns (uint256) {
        return _nextBatch;
    }

    /// @notice The number of sealed batches.
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    /// @notice The hash of sealed batch `i`.
    function batchHash(uint256 i) external view returns (bytes32) {
        uint256 count = _batchCount;
        if (i >= count) revert UnknownBatch(i, count);
        return _batchHashes[i];
    }

    /// @notice `keccak256(abi.encode(prev, batch, claimed))`: the rollup program's local context.
    function localContext(bytes32 prev, bytes32 batch, bytes32 claimed) public pure returns (bytes32) {
        return keccak256(abi.encode(prev, batch, claimed));
    }

    /// @notice The canonical encoding of the compiled claim
    ///         `output(PRESTATE, ctx, prev, batch, claimed, final, n, k)`:
    ///         `AND[rollup_context(ctx, prev, batch, claimed), vm_valid(final),
    ///         CALL(TRACE_GROUP, TRACE_INDEX; ctx, PRESTATE, final, n, k)]`,
    ///         `ctx = localContext(prev, batch, claimed)`, every argument a literal 32-byte word.
    function outputClaim(bytes32 prev, bytes32 batch, bytes32 claimed, bytes32 final_, uint256 n, uint256 k)
        public
        view
        returns (bytes memory)
    {
        ClaimBuilder.Term memory ctx = ClaimBuilder.lit(abi.encode(localContext(prev, batch, claimed)));
        ClaimBuilder.Term memory fin = ClaimBuilder.lit(abi.encode(final_));
        bytes[] memory parts = new bytes[](3);
        parts[0] = ClaimBuilder.witness(
            ROLLUP_CONTEXT,
            ClaimBuilder.args4(
                ctx,
                ClaimBuilder.lit(abi.encode(prev)),
                ClaimBuilder.lit(abi.encode(batch)),
                ClaimBuilder.lit(abi.encode(claimed))
            )
        );
        parts[1] = ClaimBuilder.witness(VM_VALID, ClaimBuilder.args1(fin));
        ClaimBuilder.Term[] memory traceArgs = new ClaimBuilder.Term[](5);
        traceArgs[0] = ctx;
        traceArgs[1] = ClaimBuilder.lit(abi.encode(PRESTATE));
        traceArgs[2] = fin;
        traceArgs[3] = ClaimBuilder.lit(abi.encode(n));
        traceArgs[4] = ClaimBuilder.lit(abi.encode(k));
        parts[2] = ClaimBuilder.call(TRACE_GROUP, TRACE_INDEX, traceArgs);
        return ClaimBuilder.and_(parts);
    }

    /// @notice The id of that claim (`keccak256` of its encoding, as the dispute contract's).
    function outputClaimId(bytes32 prev, bytes32 batch, bytes32 claimed, bytes32 final_, uint256 n, uint256 k)
        public
        view
        returns (bytes32)
    {
        return keccak256(outputClaim(prev, batch, claimed, final_, n, k));
    }

    /// @dev The account count of a state of `length` bytes whose first bytes are those of
    ///      `head` (only its first 8 bytes are read, and only if `length >= 8`); reverts unless
    ///      the state is well-formed: magic, at most `MAX_ACCOUNTS` accounts, exact length.
    function _accountCount(uint256 length, bytes32 head) private pure returns (uint256 count) {
        if (length < HEADER_SIZE) revert StateTooShort(length);
        if (bytes4(head) != STATE_MAGIC) revert BadMagic(bytes4(head));
        count = uint32(bytes4(head << 32));
        if (count > MAX_ACCOUNTS) revert TooManyAccounts(count);
        uint256 expected = HEADER_SIZE + ACCOUNT_SIZE * count;
        if (length != expected) revert WrongStateLength(length, expected);
    }
}
