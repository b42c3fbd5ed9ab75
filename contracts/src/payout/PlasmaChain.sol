// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {ClaimBuilder} from "./ClaimBuilder.sol";
import {IDisputeDecisions} from "./IDisputeDecisions.sol";
import {PlasmaLib} from "../verifiers/PlasmaLib.sol";

/// @title PlasmaChain -- a plasma-cash deposit contract that pays exits decided by the dispute contract.
/// @notice Blocks are numbered from 1. The operator commits block roots (`commitBlock`); every
///         deposit is a block of its own, built here: its one leaf is the deposit transfer
///         `{chain: this, coin: n, block: n, sender: 0, owner: depositor}`, so a coin's id is
///         its deposit block's number. After each block the contract stores the chain
///         commitment: the Merkle root (the tree of `ValueLib`/`crypto.rs`) of the header leaves
///         `keccak256(abi.encode(bytes[]{abi.encode(n), root}))` of blocks 1..n, kept
///         incrementally (O(log n) per block).
///
///         `finalizeExit(t)` rebuilds the claim `plasma_exit(t, commitmentAt(t.block))` of
///         `predicates/plasma.ogs` -- exactly the claim the compiler produces -- and pays the
///         coin's deposit to `t.owner` only if the dispute contract has decided that claim True;
///         a coin is paid once. Undecided or False claims pay nothing.
contract PlasmaChain {
    struct Coin {
        uint128 amount;
        bool exited;
    }

    /// @notice Deepest chain commitment the verifiers accept (32 Merkle levels).
    uint256 public constant MAX_BLOCKS = 1 << 32;

    bytes32 internal constant PLASMA_INCLUDED = keccak256("plasma_included");
    bytes32 internal constant LT = keccak256("lt");
    bytes32 internal constant SIGNED_VALUE = keccak256("signed_value");
    bytes32 internal constant LATER_TRANSFERS = keccak256("later_transfers");
    bytes32 internal constant EARLIER_TRANSFERS = keccak256("earlier_transfers");

    /// @notice The UniversalDispute contract whose decisions count.
    IDisputeDecisions public immutable DISPUTE;
    /// @notice Who commits blocks.
    address public immutable OPERATOR;

    /// @notice Number of blocks (deposit and operator blocks).
    uint256 public blockCount;
    /// @notice Chain commitment after block n.
    mapping(uint256 => bytes32) public commitmentAt;
    /// @notice Block count when the exit of a transfer (keyed by the hash of its encoding) was
    ///         started; 0 while not started. The exit claim counts spends included by then.
    mapping(bytes32 => uint256) public exitStartedAt;
    mapping(uint256 => Coin) private _coins;
    bytes32[32] private _branch;

    event BlockCommitted(uint256 indexed number, bytes32 root, bytes32 commitment);
    event Deposited(uint256 indexed coin, address indexed owner, uint256 amount);
    event ExitStarted(uint256 indexed coin, address indexed owner, uint256 at);
    event Exited(uint256 indexed coin, address indexed owner, uint256 amount, bytes32 claimId);

    error NotOperator(address caller);
    error ZeroDeposit();
    error DepositTooLarge(uint256 amount);
    error ChainFull();
    error WrongChain(address chain);
    error UnknownBlock(uint256 number);
    error NotACoin(uint256 coin);
    error AlreadyExited(uint256 coin);
    error ExitNotTrue(bytes32 claimId);
    error NotOwner(address caller);
    error ExitAlreadyStarted(bytes32 transfer);
    error ExitNotStarted(bytes32 transfer);
    error TransferFailed();

    constructor(IDisputeDecisions dispute, address operator) {
        DISPUTE = dispute;
        OPERATOR = operator;
    }

    /// @notice Deposits `msg.value` as a new coin owned by the sender; returns its id.
    function deposit() external payable returns (uint256 coin) {
        if (msg.value == 0) revert ZeroDeposit();
        if (msg.value > type(uint128).max) revert DepositTooLarge(msg.value);
        coin = blockCount + 1;
        PlasmaLib.Transfer memory d = PlasmaLib.Transfer(address(this), coin, coin, address(0), msg.sender);
        // A one-leaf tree: its root is the leaf node keccak256(0x00 ++ leaf).
        bytes32 root = keccak256(abi.encodePacked(bytes1(0x00), keccak256(PlasmaLib.encode(d))));
        _append(root);
        _coins[coin] = Coin(uint128(msg.value), false);
        emit Deposited(coin, msg.sender, msg.value);
    }

    /// @notice The operator commits the root of the next block; returns its number.
    function commitBlock(bytes32 root) external returns (uint256 number) {
        if (msg.sender != OPERATOR) revert NotOperator(msg.sender);
        return _append(root);
    }

    /// @notice Starts the exit of `t` (its owner only, once): fixes the chain commitment `now`
    ///         (after the current last block) under which spends of `t` count against the exit.
    function startExit(PlasmaLib.Transfer calldata t) external returns (uint256 at) {
        if (t.chain != address(this)) revert WrongChain(t.chain);
        if (msg.sender != t.owner) revert NotOwner(msg.sender);
        if (t.blockNumber == 0 || t.blockNumber > blockCount) revert UnknownBlock(t.blockNumber);
        bytes32 h = keccak256(PlasmaLib.encode(t));
        if (exitStartedAt[h] != 0) revert ExitAlreadyStarted(h);
        at = blockCount;
        exitStartedAt[h] = at;
        emit ExitStarted(t.coin, t.owner, at);
    }

    /// @notice Pays coin `t.coin`'s deposit to `t.owner` if
    ///         `plasma_exit(t, commitmentAt(t.block), commitmentAt(exitStartedAt(t)))` is decided True. Anyone may call; each coin is paid once.
    function finalizeExit(PlasmaLib.Transfer calldata t) external {
        if (t.chain != address(this)) revert WrongChain(t.chain);
        Coin memory c = _coins[t.coin];
        if (c.amount == 0) revert NotACoin(t.coin);
        if (c.exited) revert AlreadyExited(t.coin);
        bytes32 id = exitClaimId(t);
        if (!DISPUTE.isTrue(id)) revert ExitNotTrue(id);
        _coins[t.coin].exited = true;
        (bool ok, ) = t.owner.call{value: c.amount}("");
        if (!ok) revert TransferFailed();
        emit Exited(t.coin, t.owner, c.amount, id);
    }

    /// @notice The deposit of a coin and whether it was paid out.
    function coinOf(uint256 coin) external view returns (uint256 amount, bool exited) {
        Coin memory c = _coins[coin];
        return (c.amount, c.exited);
    }

    /// @notice The id of the exit claim of `t` (reverts `UnknownBlock` for an uncommitted block,
    ///         `ExitNotStarted` before `startExit(t)`).
    function exitClaimId(PlasmaLib.Transfer calldata t) public view returns (bytes32) {
        return keccak256(exitClaim(t));
    }

    /// @notice The canonical encoding of `plasma_exit(t, chain, now)` with `chain =
    ///         commitmentAt(t.block)` and `now = commitmentAt(exitStartedAt(t))`, compiled:
    ///
    ///     plasma_included(chain, t)
    ///     and not lt(t.block, t.coin)
    ///     and (forall s in later_transfers(t):
    ///             not (signed_value(s, t.owner) and plasma_included(now, s)))
    ///     and (forall e in earlier_transfers(t, chain):
    ///             not (forall s in later_transfers(e):
    ///                     not (not lt(t.block, s.block) and signed_value(s, e.owner)
    ///                          and plasma_included(chain, s))))
    function exitClaim(PlasmaLib.Transfer calldata t) public view returns (bytes memory) {
        if (t.blockNumber == 0 || t.blockNumber > blockCount) revert UnknownBlock(t.blockNumber);
        bytes32 h = keccak256(PlasmaLib.encode(t));
        uint256 at = exitStartedAt[h];
        if (at == 0) revert ExitNotStarted(h);
        ClaimBuilder.Term memory chain = ClaimBuilder.lit(abi.encode(commitmentAt[t.blockNumber]));
        ClaimBuilder.Term memory now_ = ClaimBuilder.lit(abi.encode(commitmentAt[at]));
        ClaimBuilder.Term memory tr = ClaimBuilder.lit(PlasmaLib.encode(t));
        ClaimBuilder.Term memory bound = ClaimBuilder.lit(abi.encode(t.blockNumber));
        ClaimBuilder.Term memory s = ClaimBuilder.variable(0);

        bytes[] memory parts = new bytes[](4);
        parts[0] = ClaimBuilder.witness(PLASMA_INCLUDED, ClaimBuilder.args2(chain, tr));
        parts[1] = ClaimBuilder.not_(
            ClaimBuilder.witness(LT, ClaimBuilder.args2(bound, ClaimBuilder.lit(abi.encode(t.coin))))
        );
        bytes[] memory given = new bytes[](2);
        given[0] = ClaimBuilder.witness(SIGNED_VALUE, ClaimBuilder.args2(s, ClaimBuilder.lit(abi.encode(t.owner))));
        given[1] = ClaimBuilder.witness(PLASMA_INCLUDED, ClaimBuilder.args2(now_, s));
        parts[2] = ClaimBuilder.forall(LATER_TRANSFERS, ClaimBuilder.args1(tr), ClaimBuilder.not_(ClaimBuilder.and_(given)));
        bytes[] memory spend = new bytes[](3);
        spend[0] = ClaimBuilder.not_(ClaimBuilder.witness(LT, ClaimBuilder.args2(bound, ClaimBuilder.field(0, 2))));
        spend[1] = ClaimBuilder.witness(SIGNED_VALUE, ClaimBuilder.args2(s, ClaimBuilder.field(1, 4)));
        spend[2] = ClaimBuilder.witness(PLASMA_INCLUDED, ClaimBuilder.args2(chain, s));
        parts[3] = ClaimBuilder.forall(
            EARLIER_TRANSFERS,
            ClaimBuilder.args2(tr, chain),
            ClaimBuilder.not_(
                ClaimBuilder.forall(LATER_TRANSFERS, ClaimBuilder.args1(s), ClaimBuilder.not_(ClaimBuilder.and_(spend)))
            )
        );
        return ClaimBuilder.and_(parts);
    }

    /// @notice The canonical `PlasmaTransfer` encoding (what senders sign, and the Merkle leaf preimage).
    function transferEncoding(PlasmaLib.Transfer calldata t) external pure returns (bytes memory) {
        return PlasmaLib.encode(t);
    }

    /// @dev Appends block `blockCount + 1` with `root` and stores the new chain commitment.
    function _append(bytes32 root) private returns (uint256 n) {
        n = blockCount + 1;
        if (n > MAX_BLOCKS) revert ChainFull();
        blockCount = n;
        bytes32 node = _leaf(PlasmaLib.headerLeaf(n, root));
        uint256 size = n;
        uint256 level = 0;
        while (size & 1 == 0) {
            node = _node(_branch[level], node);
            size >>= 1;
            level++;
        }
        _branch[level] = node;
        bytes32 commitment;
        if (n & (n - 1) == 0) {
            commitment = node; // a full tree: the node just stored is the root
        } else {
            // Fold the left subtrees into the root, an empty subtree being zero (as crypto.rs pads).
            bool some = false;
            for (uint256 l = 0; (uint256(1) << l) < n; l++) {
                if ((n >> l) & 1 == 1) {
                    commitment = _node(l == level ? node : _branch[l], some ? commitment : bytes32(0));
                    some = true;
                } else if (some) {
                    commitment = _node(commitment, bytes32(0));
                }
            }
        }
        commitmentAt[n] = commitment;
        emit BlockCommitted(n, root, commitment);
    }

    function _leaf(bytes32 leaf) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, 0)
            mstore(0x01, leaf)
            h := keccak256(0x00, 0x21)
        }
    }

    function _node(bytes32 l, bytes32 r) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore8(p, 1)
            mstore(add(p, 0x01), l)
            mstore(add(p, 0x21), r)
            h := keccak256(p, 0x41)
        }
    }
}
