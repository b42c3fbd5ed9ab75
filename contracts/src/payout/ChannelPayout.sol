// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {ClaimBuilder} from "./ClaimBuilder.sol";
import {IDisputeDecisions} from "./IDisputeDecisions.sol";

/// @title ChannelPayout -- state-channel deposits paid out by the dispute contract's decision.
/// @notice A channel is opened for a list of participants (`open`), funded by anyone
///         (`deposit`), and settled once (`settle`): with the update
///         `u = ChannelUpdate{channel, nonce, state_hash, participants}` where
///         `state_hash = keccak256(abi.encode(uint256[] balances))`, the contract rebuilds the
///         claim `signed_channel_exit(u)` of `predicates/channel.ogs` -- every participant
///         signed `u`, and no update with a higher nonce was signed by all -- and, only if the
///         dispute contract has decided it True, credits `balances[i]` to participant `i`.
///         (`channel_exit(u)` alone does not say that `u` was ever signed, so any made-up
///         update with a huge nonce would win it; the signed form is the one that pays.) The
///         balances must add up to the channel's funds. Credits are withdrawn with `withdraw`.
contract ChannelPayout {
    struct Channel {
        address[] participants;
        uint256 funds;
        bool settled;
    }

    bytes32 internal constant ALL_SIGNED = keccak256("all_signed");
    bytes32 internal constant HIGHER_NONCE = keccak256("higher_nonce");

    /// @notice The UniversalDispute contract whose decisions count.
    IDisputeDecisions public immutable DISPUTE;

    mapping(bytes32 => Channel) private _channels;
    /// @notice Wei each account can withdraw.
    mapping(address => uint256) public credit;

    event Opened(bytes32 indexed channel, address[] participants);
    event Deposited(bytes32 indexed channel, address indexed from, uint256 amount);
    event Settled(bytes32 indexed channel, uint256 nonce, bytes32 claimId);
    event Withdrawn(address indexed account, uint256 amount);

    error NoParticipants();
    error ChannelExists(bytes32 channel);
    error UnknownChannel(bytes32 channel);
    error AlreadySettled(bytes32 channel);
    error ZeroDeposit();
    error WrongBalanceCount(uint256 given, uint256 participants);
    error BalancesMismatch(uint256 sum, uint256 funds);
    error ExitNotTrue(bytes32 claimId);
    error NothingToWithdraw();
    error TransferFailed();

    constructor(IDisputeDecisions dispute) {
        DISPUTE = dispute;
    }

    /// @notice The id of the channel of `participants` opened with `salt`:
    ///         `keccak256(abi.encode(address(this), participants, salt))`.
    function channelId(address[] calldata participants, bytes32 salt) public view returns (bytes32) {
        return keccak256(abi.encode(address(this), participants, salt));
    }

    /// @notice Opens a channel; participants sign its updates in this order.
    function open(address[] calldata participants, bytes32 salt) external returns (bytes32 channel) {
        if (participants.length == 0) revert NoParticipants();
        channel = channelId(participants, salt);
        if (_channels[channel].participants.length != 0) revert ChannelExists(channel);
        _channels[channel].participants = participants;
        emit Opened(channel, participants);
    }

    /// @notice Adds `msg.value` to the channel's funds (until it is settled).
    function deposit(bytes32 channel) external payable {
        Channel storage c = _channels[channel];
        if (c.participants.length == 0) revert UnknownChannel(channel);
        if (c.settled) revert AlreadySettled(channel);
        if (msg.value == 0) revert ZeroDeposit();
        c.funds += msg.value;
        emit Deposited(channel, msg.sender, msg.value);
    }

    /// @notice Pays the channel out per `balances` (participant order) if
    ///         `signed_channel_exit(u)` is True for the update with this nonce and
    ///         `state_hash = keccak256(abi.encode(balances))`. Anyone may call; once per channel.
    function settle(bytes32 channel, uint256 nonce, uint256[] calldata balances) external {
        Channel storage c = _channels[channel];
        uint256 n = c.participants.length;
        if (n == 0) revert UnknownChannel(channel);
        if (c.settled) revert AlreadySettled(channel);
        if (balances.length != n) revert WrongBalanceCount(balances.length, n);
        uint256 sum = 0;
        for (uint256 i = 0; i < n; i++) sum += balances[i];
        if (sum != c.funds) revert BalancesMismatch(sum, c.funds);
        bytes32 id = exitClaimId(channel, nonce, balances);
        if (!DISPUTE.isTrue(id)) revert ExitNotTrue(id);
        c.settled = true;
        for (uint256 i = 0; i < n; i++) credit[c.participants[i]] += balances[i];
        emit Settled(channel, nonce, id);
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

    /// @notice A channel's participants, funds and whether it is settled.
    function channelOf(bytes32 channel) external view returns (address[] memory participants, uint256 funds, bool settled) {
        Channel storage c = _channels[channel];
        return (c.participants, c.funds, c.settled);
    }

    /// @notice `keccak256(abi.encode(balances))`, the state hash that commits to them.
    function stateHash(uint256[] calldata balances) public pure returns (bytes32) {
        return keccak256(abi.encode(balances));
    }

    /// @notice The canonical encoding of the `ChannelUpdate` value of this channel with this
    ///         nonce and balances.
    function updateEncoding(bytes32 channel, uint256 nonce, uint256[] calldata balances) public view returns (bytes memory) {
        address[] storage ps = _channels[channel].participants;
        bytes[] memory who = new bytes[](ps.length);
        for (uint256 i = 0; i < ps.length; i++) who[i] = abi.encode(ps[i]);
        bytes[] memory f = new bytes[](4);
        f[0] = abi.encode(channel);
        f[1] = abi.encode(nonce);
        f[2] = abi.encode(stateHash(balances));
        f[3] = abi.encode(who);
        return abi.encode(f);
    }

    /// @notice The canonical encoding of `signed_channel_exit(u)`, compiled:
    ///     `all_signed(u) and (forall v in higher_nonce(u): not all_signed(v))`.
    function exitClaim(bytes32 channel, uint256 nonce, uint256[] calldata balances) public view returns (bytes memory) {
        if (_channels[channel].participants.length == 0) revert UnknownChannel(channel);
        ClaimBuilder.Term memory u = ClaimBuilder.lit(updateEncoding(channel, nonce, balances));
        bytes[] memory parts = new bytes[](2);
        parts[0] = ClaimBuilder.witness(ALL_SIGNED, ClaimBuilder.args1(u));
        parts[1] = ClaimBuilder.forall(
            HIGHER_NONCE,
            ClaimBuilder.args1(u),
            ClaimBuilder.not_(ClaimBuilder.witness(ALL_SIGNED, ClaimBuilder.args1(ClaimBuilder.variable(0))))
        );
        return ClaimBuilder.and_(parts);
    }

    /// @notice The id of that claim.
    function exitClaimId(bytes32 channel, uint256 nonce, uint256[] calldata balances) public view returns (bytes32) {
        return keccak256(exitClaim(channel, nonce, balances));
    }
}
