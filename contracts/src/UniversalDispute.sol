// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {ClaimLib} from "./ClaimLib.sol";
import {IRegistry} from "./interfaces/IRegistry.sol";
import {IVerifier} from "./interfaces/IVerifier.sol";
import {IQuantifier} from "./interfaces/IQuantifier.sol";

/// @title UniversalDispute -- one dispute contract for every compiled claim.
/// @notice Interprets the canonical claim encoding of the Rust crate `ogs` (spec: `ogs.md`
///         §2 valid challenges, §3 decisions). A claim is identified by `keccak256` of its
///         encoding; the contract stores no claim text, only a two-slot record per claim,
///         and callers pass the encoding whenever its structure is needed.
///
///         See `contracts/README.md` for the state machine, the bond rules and how each
///         property of spec §4 is kept.
contract UniversalDispute {
    // =====================================================================================
    // Types
    // =====================================================================================

    /// @notice Decision state of a claim id.
    enum Status {
        None, // never claimed
        Undecided,
        True,
        False
    }

    /// @notice State of a (target, challenge) link.
    enum Link {
        None,
        Open, // the challenge is pending against the target: blocks the target's timeout
        Released // the challenge was decided False and released from the target
    }

    /// @notice How a counter-claim contradicts its target (spec §2); for a `CALL` target,
    ///         how it contradicts the target's unfolding.
    ///         `how`: 0 = OPERAND (target `NOT(P)`, counter `P`);
    ///                1 = CONJUNCT (target `AND(P_0..P_n)`, counter `NOT(P_index)`);
    ///                2 = INSTANCE (target `UQ(Q, a, x => P)`, counter `NOT(P[x := instance])`,
    ///                    with `Q.quantify(a, instance, proof)` checked);
    ///                3 = NEGATION (only for a CALL target whose unfolding is a WITNESS_EXISTS
    ///                    `W`: counter `NOT(W)`; see README, "calls that unfold to a witness").
    ///         `groups`: the definition groups (`abi.encode(Definition[])`) needed to unfold
    ///         `CALL` targets, in any order, each once.
    struct ChallengeArgs {
        uint8 how;
        uint256 index;
        bytes instance;
        bytes proof;
        bytes[] groups;
    }

    uint8 public constant OPERAND = 0;
    uint8 public constant CONJUNCT = 1;
    uint8 public constant INSTANCE = 2;
    uint8 public constant NEGATION = 3;

    // =====================================================================================
    // Configuration
    // =====================================================================================

    /// @notice Where verifiers and quantifiers are looked up by name id.
    IRegistry public immutable REGISTRY;
    /// @notice The bond every claim (and so every challenge) carries, in wei.
    uint256 public immutable BOND;
    /// @notice Each side's time budget in one dispute, in seconds (the chess clock, see
    ///         `_clockSlot`): a claim made by `claim` must be challenged within `WINDOW`.
    uint64 public immutable WINDOW;
    /// @notice The least time any side ever gets to answer a claim (`WINDOW / 32`): once a
    ///         side's budget is nearly spent, each of its answers still gets this long.
    uint64 public immutable EXTENSION;
    /// @notice Gas forwarded to one verifier or quantifier call.
    uint256 public constant VERIFY_GAS = 3_000_000;
    /// @notice Most definition unfoldings one challenge goes through (Rust `MAX_UNFOLD`).
    uint256 public constant MAX_UNFOLD = 128;
    /// @notice Most steps one `challengePath` takes (Rust `MAX_PATH`).
    uint256 internal constant MAX_PATH = 8;
    /// @notice The largest group encoding `admit` stores as contract code (EIP-170's 24,576
    ///         bytes, less the leading STOP byte); a challenge need not pass such a group
    ///         (Rust `GROUP_CODE_LIMIT`).
    uint256 internal constant GROUP_CODE_LIMIT = 24_575;

    // =====================================================================================
    // Storage
    // =====================================================================================
    //
    // Two slots per claim id:
    //   _dispute[id]  while Undecided: UNDECIDED | kind << 8 | open << 16 | deadline << 48
    //                                  | made << 112 | own << 176 | other << 208
    //                 (`made` when it was made; `own` / `other`: seconds its side / the other
    //                  side of the dispute had spent when it was made -- the chess clock)
    //                 once False:     FALSE_TAG | payee << 96
    //                 once True:      0            (clearing it refunds gas: cheap timeouts)
    //   _record[id]   claimer | EXISTS | PAID | kind << 168   (0 = never claimed)

    uint256 private constant UNDECIDED = 1;
    uint256 private constant FALSE_TAG = 2;
    uint256 private constant OPEN_ONE = 1 << 16;
    uint256 private constant EXISTS = 1 << 160;
    uint256 private constant PAID = 1 << 161;
    uint256 private constant M32 = 0xffffffff;
    uint256 private constant M64 = 0xffffffffffffffff;
    uint256 private constant ADMITTED = 1 << 160;

    mapping(bytes32 => uint256) private _dispute;
    mapping(bytes32 => uint256) private _record;
    /// keccak256(targetId ++ challengeId) => Link state (low 8 bits) | challenger << 8: who
    ///      opened the link, and is owed the target's bond if the challenge proves it False.
    mapping(bytes32 => uint256) private _links;
    /// @notice Withdrawable balance of each account (bonds paid out, refunds).
    mapping(address => uint256) public credit;
    uint256 private _credited;

    // The name table (issue: unregistered names). Every name a claim can ever reach is checked
    // before the claim exists: the claim's own WITNESS / FORALL names against these copies of
    // the registry's entries (learnt on first use; the registry is write-once, so a copy never
    // goes stale), and its calls against the admitted definition groups (whose bodies were
    // checked the same way when admitted). Counter-claims are built only from a claim already
    // checked and from admitted groups, so they need no second check.
    //
    // The copies live at storage slot `name` (verifiers) and `name ^ 1` (quantifiers): a name
    // id is a keccak256 output, as is every mapping slot here, so no collision can be found,
    // and a lookup costs one storage read without hashing (see `_nameSlot`).
    /// group id => 0 (not admitted) or ADMITTED | the address of a data contract whose code is
    ///      the group encoding after one STOP byte (0 when the group is too large to store as
    ///      code: a challenge then passes it in `ChallengeArgs.groups`).
    mapping(bytes32 => uint256) private _groups;

    // =====================================================================================
    // Events
    // =====================================================================================

    /// @notice A claim was created (by `claim`, or as a counter-claim by `challenge`).
    ///         `deadline` is the end of its dispute window (0 for WITNESS_EXISTS claims).
    ///         (`claimer` is not indexed: one topic less keeps `claim` under 95,000 gas.)
    event Claimed(bytes32 indexed id, address claimer, uint64 deadline);
    /// @notice `challengeId` now challenges `targetId`: by `challenge`, or because the two are
    ///         a claim and its negation (linked when the second one is claimed).
    event Challenged(bytes32 indexed targetId, bytes32 indexed challengeId);
    /// @notice A decision (final).
    event Decided(bytes32 indexed id, bool truth);
    /// @notice A challenge decided False no longer holds its target.
    event Released(bytes32 indexed targetId, bytes32 indexed challengeId);
    /// @notice The bond of decided claim `id` was credited to `payee` (by `payout`).
    event PaidOut(bytes32 indexed id, address indexed payee, uint256 amount);
    /// @notice The bond sent with a `challenge` whose counter-claim `counterId` already existed
    ///         was credited back to `account`.
    event Refunded(address indexed account, bytes32 indexed counterId, uint256 amount);
    /// @notice Definition group `id` was admitted: claims may now call its definitions.
    event Admitted(bytes32 indexed id);
    /// @notice `account` withdrew `amount`, sent to `to`.
    event Withdrawn(address indexed account, address to, uint256 amount);

    // =====================================================================================
    // Errors (every one reverts the whole call: nothing changes, no funds move)
    // =====================================================================================

    /// @notice `msg.value` is not the bond.
    error WrongBond(uint256 sent, uint256 required);
    /// @notice The claim already exists.
    error ClaimExists(bytes32 id);
    /// @notice No claim has this id.
    error UnknownClaim(bytes32 id);
    /// @notice The claim is already decided.
    error AlreadyDecided(bytes32 id);
    /// @notice The claim is not decided yet.
    error NotDecided(bytes32 id);
    /// @notice The claim's dispute window has not passed yet.
    error WindowOpen(bytes32 id, uint64 deadline);
    /// @notice The claim's dispute window has passed.
    error WindowClosed(bytes32 id, uint64 deadline);
    /// @notice The claim has challenges that are pending or True.
    error OpenChallenges(bytes32 id, uint256 count);
    /// @notice A WITNESS_EXISTS claim is decided by its witness, never by timeout.
    error WitnessClaim(bytes32 id);
    /// @notice The claim is not of the kind this operation needs.
    error WrongKind(bytes32 id, uint256 kind);
    /// @notice The witness does not verify (or the verifier failed).
    error InvalidWitness(bytes32 id);
    /// @notice The witness comes too late: `negationId` = NOT(claim) is True or past its window.
    error WitnessRefused(bytes32 id, bytes32 negationId);
    /// @notice A witness was given for a counter-claim that is not WITNESS_EXISTS.
    error UnexpectedWitness();
    /// @notice No verifier is registered under this id.
    error UnknownVerifier(bytes32 name);
    /// @notice No quantifier is registered under this id.
    error UnknownQuantifier(bytes32 name);
    /// @notice No admitted definition group has this id (admit it first, see `admit`).
    error UnknownGroup(bytes32 group);
    /// @notice The quantifier does not accept the instance (or failed).
    error NotInDomain(bytes32 quantifier);
    /// @notice The encoding does not hash to the id given.
    error IdMismatch(bytes32 id, bytes32 encodingId);
    /// @notice WITNESS_EXISTS claims have no challenges (spec §2).
    error NoChallengeOfWitness();
    /// @notice `how` does not fit the target's kind (`kind` = kind after unfolding).
    error WrongChallengeKind(uint256 kind, uint8 how);
    /// @notice The conjunct index is out of range.
    error ConjunctOutOfRange(uint256 index, uint256 count);
    /// @notice The counter-claim is not the valid challenge the target and `how` determine.
    error CounterMismatch(bytes32 expected, bytes32 given);
    /// @notice A claim cannot challenge itself.
    error SelfChallenge(bytes32 id);
    /// @notice The counter-claim is the target's own negation (the target reproduces itself):
    ///         the two would hold each other's bonds forever.
    error CircularChallenge(bytes32 id);
    /// @notice The counter-claim is already decided False.
    error CounterIsFalse(bytes32 id);
    /// @notice This challenge link already exists.
    error DuplicateChallenge(bytes32 targetId, bytes32 challengeId);
    /// @notice The open-challenge counter is full.
    error TooManyChallenges(bytes32 id);
    /// @notice The negation of the claim is already True.
    error NegationIsTrue(bytes32 negationId);
    /// @notice The negation NOT(claim) is past its window: the claim can no longer challenge it.
    error NegationPastWindow(bytes32 negationId);
    /// @notice The negation of the claim is not True.
    error NegationNotTrue(bytes32 negationId);
    /// @notice No group among those given has this id.
    error MissingGroup(bytes32 group);
    /// @notice The group has no definition at this index.
    error UnknownDefinition(bytes32 group, uint256 index);
    /// @notice The call's argument count differs from the definition's arity.
    error ArityMismatch(uint256 arity, uint256 args);
    /// @notice More than `MAX_UNFOLD` unfoldings.
    error TooManyUnfoldings();
    /// @notice A `challengePath` with no step or more than `MAX_PATH`.
    error BadPath(uint256 steps);
    /// @notice Step `step` of a `challengePath` follows a counter-claim that is not a NOT: the
    ///         opponent's reply to it is not forced, so it cannot be skipped.
    error PathNotForced(uint256 step);
    /// @notice There is no open link from this challenge to this target.
    error NoOpenLink(bytes32 targetId, bytes32 challengeId);
    /// @notice The challenge is not decided True.
    error ChallengeNotTrue(bytes32 challengeId);
    /// @notice The challenge is not decided False.
    error ChallengeNotFalse(bytes32 challengeId);
    /// @notice The operand of NOT is not decided False.
    error OperandNotFalse(bytes32 operandId);
    /// @notice The operand of NOT is claimed and not decided False: the game decides it.
    error OperandClaimed(bytes32 operandId);
    /// @notice A child of AND is not decided True.
    error ChildNotTrue(bytes32 childId);
    /// @notice The bond of this claim was already paid out.
    error AlreadyPaid(bytes32 id);
    /// @notice Nothing to withdraw.
    error NothingToWithdraw();
    /// @notice The ether transfer failed.
    error TransferFailed();
    /// @notice Storing an admitted group as code failed.
    error StoreFailed();

    /// @notice Constructor argument out of range (`window` must fit 32 bits, so deadlines never overflow).
    error BadWindow(uint64 window);

    constructor(IRegistry registry, uint256 bond, uint64 window) {
        if (window > type(uint32).max) revert BadWindow(window);
        REGISTRY = registry;
        BOND = bond;
        WINDOW = window;
        EXTENSION = window / 32;
    }

    // =====================================================================================
    // Claiming
    // =====================================================================================

    /// @notice Claims `enc` (a canonical, closed claim) with exactly `BOND` wei.
    ///         If its negation is already claimed, the two are linked as challenge and target.
    /// @return id `keccak256(enc)`
    function claim(bytes calldata enc) external payable returns (bytes32 id) {
        if (msg.value != BOND) revert WrongBond(msg.value, BOND);
        bytes memory c = ClaimLib.loadForNegation(enc);
        _requireKnown(ClaimLib.validate(c, ClaimLib.CLOSED));
        id = keccak256(c);
        _create(id, ClaimLib.negationIdInPlace(c), ClaimLib.kindOf(c), msg.sender, 0);
    }

    /// @notice Posts the counter-claim `counterEnc` against `targetId` (encoding `targetEnc`),
    ///         with exactly `BOND` wei (refunded as credit if the counter-claim already exists).
    ///
    ///         The contract computes the one valid challenge that `targetEnc` and `how`
    ///         determine (spec §2, unfolding CALL targets first) and requires `counterEnc` to be
    ///         it. A WITNESS_EXISTS counter-claim must come with its `witness` and is True at
    ///         once; any other counter-claim is created (or re-used) and holds the target
    ///         until it is decided. A counter-claim that is already True decides the target
    ///         False at once.
    /// @return counterId `keccak256(counterEnc)`
    function challenge(
        bytes32 targetId,
        bytes calldata targetEnc,
        ChallengeArgs calldata how,
        bytes calldata counterEnc,
        bytes calldata witness
    ) external payable returns (bytes32 counterId) {
        if (msg.value != BOND) revert WrongBond(msg.value, BOND);
        bytes memory target = _loadTarget(targetId, targetEnc);
        uint256 ta = _requireChallengeable(targetId);
        bytes memory counter = _counterOf(target, how);
        counterId = keccak256(counter);
        bytes32 given = keccak256(counterEnc);
        if (given != counterId) revert CounterMismatch(counterId, given);
        _post(targetId, ta, counter, counterId, witness);
    }

    /// @notice A challenge through forced replies, in one move: `steps[0]` selects the
    ///         counter-claim of `targetEnc` as `challenge` does. While that counter-claim is
    ///         `NOT(Z)`, the opponent's only reply would be `Z` itself (the operand), so the
    ///         next step challenges `Z` directly; the last step's counter-claim is posted, and
    ///         contradicts the target: it refutes `Z`, whose negation refutes the target.
    ///         Neither the skipped claims nor their bonds are made. A bisection level of `trace`
    ///         is then two moves: the proposer's `[CONJUNCT 1, INSTANCE p]` (its split) and the
    ///         challenger's `[INSTANCE s, OPERAND]` (the segment it disputes).
    ///         The counter-claim is not passed: the contract computes it (`counterOfPath` shows
    ///         it beforehand; the `Challenged` event names its id), which saves its calldata.
    /// @return counterId the id of the counter-claim posted
    function challengePath(
        bytes32 targetId,
        bytes calldata targetEnc,
        ChallengeArgs[] calldata steps,
        bytes calldata witness
    ) external payable returns (bytes32 counterId) {
        if (msg.value != BOND) revert WrongBond(msg.value, BOND);
        bytes memory target = _loadTarget(targetId, targetEnc);
        uint256 ta = _requireChallengeable(targetId);
        bytes memory counter = _counterOfPath(target, steps);
        counterId = keccak256(counter);
        _post(targetId, ta, counter, counterId, witness);
    }

    /// @dev The target's encoding, checked against its id.
    function _loadTarget(bytes32 targetId, bytes calldata targetEnc) private pure returns (bytes memory target) {
        target = targetEnc;
        bytes32 h = keccak256(target);
        if (h != targetId) revert IdMismatch(targetId, h);
    }

    /// @dev Posts the computed `counter` (id `counterId`) against `targetId` (slot `ta`):
    ///      checks that it is no self or circular challenge, enters and links it.
    function _post(bytes32 targetId, uint256 ta, bytes memory counter, bytes32 counterId, bytes calldata witness)
        private
    {
        if (counterId == targetId) revert SelfChallenge(targetId);
        // NOT(target) as the target's own counter-claim (an instance that reproduces the
        // claim, as in `forall i in range(x, hi): r(i, hi)` at i = x) would make the two hold
        // each other forever: the claim and its negation would be each other's open challenge.
        if (ClaimLib.kindOf(counter) == ClaimLib.NOT && keccak256(ClaimLib.child(counter, 0)) == targetId) {
            revert CircularChallenge(targetId);
        }
        bool existed = _record[counterId] != 0;
        Status cs = _enterCounter(counterId, counter, existed, witness, ta);
        _linkCounter(targetId, counterId, existed, cs);
    }

    /// @dev Creates, re-uses or (WITNESS_EXISTS) proves the counter-claim and settles the
    ///      bond sent with the challenge (`ta`: the target's slot, for the clock). Returns the
    ///      counter-claim's status.
    function _enterCounter(
        bytes32 counterId,
        bytes memory counter,
        bool existed,
        bytes calldata witness,
        uint256 ta
    ) private returns (Status cs) {
        if (ClaimLib.kindOf(counter) == ClaimLib.WITNESS) {
            cs = _showWitness(counterId, counter, witness, msg.sender);
        } else {
            if (witness.length != 0) revert UnexpectedWitness();
            if (existed) {
                cs = _status(counterId);
                if (cs == Status.False) revert CounterIsFalse(counterId);
                if (cs == Status.Undecided) _reclock(counterId, ta);
            } else {
                ClaimLib.validate(counter, ClaimLib.CLOSED); // defence in depth: computed, so canonical
                cs = _create(counterId, ClaimLib.negationId(counter), ClaimLib.kindOf(counter), msg.sender, ta);
            }
        }
        if (existed) {
            _credit(msg.sender, msg.value);
            emit Refunded(msg.sender, counterId, msg.value);
        }
    }

    /// @dev A True counter-claim decides the target False at once; an Undecided one is linked
    ///      to it (unless creating it already linked it, as the target's negation).
    function _linkCounter(bytes32 targetId, bytes32 counterId, bool existed, Status cs) private {
        if (cs == Status.True) {
            emit Challenged(targetId, counterId);
            if (_dispute[targetId] & 0xff == UNDECIDED) _falsify(targetId, msg.sender);
            return;
        }
        bytes32 key = _linkKey(targetId, counterId);
        if (_links[key] != 0) {
            if (existed) revert DuplicateChallenge(targetId, counterId);
            return;
        }
        _links[key] = _openLink(msg.sender);
        _dispute[targetId] = _addOpen(targetId, _dispute[targetId]);
        emit Challenged(targetId, counterId);
    }

    // =====================================================================================
    // Names
    // =====================================================================================

    /// @notice Admits the definition group `group` (`abi.encode(Definition[])`), so that
    ///         claims may call its definitions: it must be canonical, every verifier and
    ///         quantifier its bodies name must be registered, and every other group they call
    ///         must be admitted already (groups call each other without cycles, so an order
    ///         exists: callees first). Anyone may call; admitting twice changes nothing.
    ///         A group of at most `GROUP_CODE_LIMIT` bytes is also stored as the code of a data
    ///         contract, so that challenges unfold its calls without passing it as calldata:
    ///         the admitter pays that once, every move of every dispute saves it.
    /// @return gid `keccak256(group)`
    function admit(bytes calldata group) external returns (bytes32 gid) {
        bytes memory g = group;
        gid = keccak256(g);
        if (_groups[gid] != 0) return gid;
        _requireKnown(ClaimLib.validateGroup(g));
        _groups[gid] = ADMITTED | uint256(uint160(_storeCode(g)));
        emit Admitted(gid);
    }

    /// @notice Whether the definition group with this id was admitted (see `admit`).
    function admitted(bytes32 gid) external view returns (bool) {
        return _groups[gid] != 0;
    }

    /// @dev Deploys a data contract whose code is `STOP ‖ data` (nobody can call into it), or
    ///      returns 0 when `data` is too large for contract code.
    function _storeCode(bytes memory data) private returns (address a) {
        uint256 n = data.length;
        if (n > GROUP_CODE_LIMIT) return address(0);
        // Init code (12 bytes): PUSH2 size, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN,
        // followed by the runtime code STOP ‖ data (size = n + 1).
        bytes memory init = abi.encodePacked(
            hex"61",
            uint16(n + 1),
            hex"80600c6000396000f3",
            hex"00",
            data
        );
        assembly ("memory-safe") {
            a := create(0, add(init, 0x20), mload(init))
        }
        if (a == address(0)) revert StoreFailed();
    }

    /// @dev The stored encoding of admitted group `gid` (data contract `at`, from `_groups`).
    function _loadCode(address at) private view returns (bytes memory g) {
        uint256 n = at.code.length - 1;
        g = new bytes(n);
        assembly ("memory-safe") {
            extcodecopy(at, add(g, 0x20), 1, n)
        }
    }

    /// @notice Copies registry entries into the dispute contract's own name table, so that the
    ///         first claims naming them pay one storage read per name instead of a registry
    ///         call and a write (what a deployment does once). Anyone may call; reverts
    ///         `UnknownVerifier` / `UnknownQuantifier` for a name the registry does not have.
    function learn(bytes32[] calldata verifiers, bytes32[] calldata quantifiers) external {
        uint256[] memory refs = new uint256[](2 * (verifiers.length + quantifiers.length));
        uint256 m = 0;
        for (uint256 j = 0; j < verifiers.length; j++) {
            refs[m++] = ClaimLib.WITNESS;
            refs[m++] = uint256(verifiers[j]);
        }
        for (uint256 j = 0; j < quantifiers.length; j++) {
            refs[m++] = ClaimLib.FORALL;
            refs[m++] = uint256(quantifiers[j]);
        }
        _requireKnown(refs);
    }

    /// @notice The verifier registered under `name` (`address(0)` if none).
    function verifierOf(bytes32 name) public view returns (address v) {
        v = _learnt(name, ClaimLib.WITNESS);
        if (v == address(0)) v = REGISTRY.verifierOf(name);
    }

    /// @notice The quantifier registered under `name` (`address(0)` if none).
    function quantifierOf(bytes32 name) public view returns (address q) {
        q = _learnt(name, ClaimLib.FORALL);
        if (q == address(0)) q = REGISTRY.quantifierOf(name);
    }

    /// @dev The storage slot of the local copy of verifier (`kind` WITNESS) or quantifier
    ///      (`kind` FORALL) `name`.
    function _nameSlot(bytes32 name, uint256 kind) private pure returns (bytes32) {
        return kind == ClaimLib.WITNESS ? name : name ^ bytes32(uint256(1));
    }

    function _learnt(bytes32 name, uint256 kind) private view returns (address a) {
        bytes32 slot = _nameSlot(name, kind);
        assembly ("memory-safe") {
            a := sload(slot)
        }
    }

    /// @dev Reverts `UnknownVerifier` / `UnknownQuantifier` / `UnknownGroup` for the first
    ///      `(kind, name)` pair of `refs` that is not registered (or admitted), copying
    ///      registry entries into the local table on first use. The common case -- every name
    ///      known locally -- is one storage read per name and nothing else.
    function _requireKnown(uint256[] memory refs) private {
        bool allKnown = true;
        uint256 admittedSlot;
        assembly ("memory-safe") {
            admittedSlot := _groups.slot
            let p := add(refs, 0x20)
            let e := add(p, shl(5, mload(refs)))
            for {

            } lt(p, e) {
                p := add(p, 0x40)
            } {
                // the slots of `_nameSlot` (WITNESS 2, FORALL 3) and of `_groups` (CALL 4)
                let k := mload(p)
                let slot := mload(add(p, 0x20))
                if eq(k, 3) {
                    slot := xor(slot, 1)
                }
                if eq(k, 4) {
                    mstore(0x00, slot)
                    mstore(0x20, admittedSlot)
                    slot := keccak256(0x00, 0x40)
                }
                if iszero(sload(slot)) {
                    allKnown := 0
                    break
                }
            }
        }
        if (!allKnown) _learn(refs);
    }

    /// @dev The slow path of `_requireKnown`: looks names up in the registry and copies them.
    function _learn(uint256[] memory refs) private {
        for (uint256 j = 0; j < refs.length; j += 2) {
            uint256 k = refs[j];
            bytes32 name = bytes32(refs[j + 1]);
            if (k == ClaimLib.CALL) {
                if (_groups[name] == 0) revert UnknownGroup(name);
                continue;
            }
            if (_learnt(name, k) != address(0)) continue;
            address a = k == ClaimLib.WITNESS ? REGISTRY.verifierOf(name) : REGISTRY.quantifierOf(name);
            if (a == address(0)) {
                if (k == ClaimLib.WITNESS) revert UnknownVerifier(name);
                revert UnknownQuantifier(name);
            }
            bytes32 slot = _nameSlot(name, k);
            assembly ("memory-safe") {
                sstore(slot, a)
            }
        }
    }

    // =====================================================================================
    // Decisions
    // =====================================================================================

    /// @notice A claim other than WITNESS_EXISTS becomes True once its window has passed and
    ///         no challenge against it is pending or True (spec §3, by timeout).
    function decideByTimeout(bytes32 id) external {
        uint256 a = _dispute[id];
        if (a & 0xff != UNDECIDED) {
            if (_record[id] == 0) revert UnknownClaim(id);
            revert AlreadyDecided(id);
        }
        if ((a >> 8) & 0xff == ClaimLib.WITNESS) revert WitnessClaim(id);
        uint64 deadline = uint64(a >> 48);
        if (block.timestamp <= deadline) revert WindowOpen(id, deadline);
        uint256 open = (a >> 16) & M32;
        if (open != 0) revert OpenChallenges(id, open);
        _dispute[id] = 0;
        emit Decided(id, true);
    }

    /// @notice A WITNESS_EXISTS claim `enc` becomes True when `witness` verifies (spec §3, by
    ///         witness), unless its negation NOT(enc) is claimed and is True or past its window
    ///         (then the witness is refused). A claimed NOT(enc) still in its window is
    ///         decided False.
    function decideByWitness(bytes calldata enc, bytes calldata witness) external {
        bytes memory w = enc;
        bytes32 id = keccak256(w);
        uint256 a = _requireUndecided(id);
        if ((a >> 8) & 0xff != ClaimLib.WITNESS) revert WrongKind(id, (a >> 8) & 0xff);
        _showWitness(id, w, witness, address(0));
    }

    /// @notice `targetId` becomes False because `challengeId`, an open challenge of it, is
    ///         True (spec §3, by contradiction). The target's bond goes to whoever opened the
    ///         link (the challenger, not whoever first claimed the counter-claim: claiming a
    ///         counter-claim first cannot take the reward of the party that does the challenge).
    function decideByContradiction(bytes32 targetId, bytes32 challengeId) external {
        uint256 link = _links[_linkKey(targetId, challengeId)];
        if (link & 0xff != uint256(Link.Open)) revert NoOpenLink(targetId, challengeId);
        if (_status(challengeId) != Status.True) revert ChallengeNotTrue(challengeId);
        _requireUndecided(targetId);
        _falsify(targetId, address(uint160(link >> 8)));
    }

    /// @notice Releases `challengeId`, decided False, from `targetId`: it no longer holds the
    ///         target's timeout. Anyone may call; each link is released once.
    function release(bytes32 targetId, bytes32 challengeId) external {
        bytes32 key = _linkKey(targetId, challengeId);
        uint256 link = _links[key];
        if (link & 0xff != uint256(Link.Open)) revert NoOpenLink(targetId, challengeId);
        if (_status(challengeId) != Status.False) revert ChallengeNotFalse(challengeId);
        _links[key] = link - uint256(Link.Open) + uint256(Link.Released);
        uint256 a = _dispute[targetId];
        if (a & 0xff == UNDECIDED) _dispute[targetId] = a - OPEN_ONE;
        emit Released(targetId, challengeId);
    }

    /// @notice The claim `enc` becomes False because its negation (double negation removed) is
    ///         True. Its bond goes to the negation's claimer. (This is how a WITNESS_EXISTS
    ///         claim whose negation timed out is closed.)
    function decideByNegation(bytes calldata enc) external {
        bytes memory c = enc;
        bytes32 id = keccak256(c);
        _requireUndecided(id);
        bytes32 negId = ClaimLib.negationId(c);
        if (_status(negId) != Status.True) revert NegationNotTrue(negId);
        _falsify(id, _claimerOf(negId));
    }

    /// @notice Fast path: `NOT(P)` is True once `P` is False.
    function decideNotByOperand(bytes calldata enc) external {
        bytes memory c = enc;
        bytes32 id = keccak256(c);
        uint256 a = _requireUndecided(id);
        if ((a >> 8) & 0xff != ClaimLib.NOT) revert WrongKind(id, (a >> 8) & 0xff);
        bytes32 operand = keccak256(ClaimLib.child(c, 0));
        if (_status(operand) != Status.False) revert OperandNotFalse(operand);
        _verdictTrue(id);
    }

    /// @notice Fast path: `AND(P1..Pn)` is True once every `Pi` is True.
    function decideAndByChildren(bytes calldata enc) external {
        bytes memory c = enc;
        bytes32 id = keccak256(c);
        uint256 a = _requireUndecided(id);
        if ((a >> 8) & 0xff != ClaimLib.AND) revert WrongKind(id, (a >> 8) & 0xff);
        uint256 n = ClaimLib.childCount(c);
        for (uint256 k = 0; k < n; k++) {
            bytes32 ch = keccak256(ClaimLib.child(c, k));
            if (_status(ch) != Status.True) revert ChildNotTrue(ch);
        }
        _verdictTrue(id);
    }

    /// @notice Fast path: `NOT(P)` is True once a valid challenge of `P` (spec §2, chosen by
    ///         `how`; `NOT(Pi)` for `P = AND(..)`, `NOT(B[t])` with `Q(a, t)` for
    ///         `P = UQ(Q, a, x => B)`, through unfolding for a call) is True -- provided `P`
    ///         itself is not claimed (a claimed `P` is an open challenge of `NOT(P)` and is
    ///         decided by its own game first).
    function decideNotByChallenge(bytes calldata enc, ChallengeArgs calldata how) external {
        bytes memory c = enc;
        bytes32 id = keccak256(c);
        uint256 a = _requireUndecided(id);
        if ((a >> 8) & 0xff != ClaimLib.NOT) revert WrongKind(id, (a >> 8) & 0xff);
        bytes memory operand = ClaimLib.child(c, 0);
        bytes32 operandId = keccak256(operand);
        Status os = _status(operandId);
        if (os != Status.None && os != Status.False) revert OperandClaimed(operandId);
        bytes32 counterId = keccak256(_counterOf(operand, how));
        if (_status(counterId) != Status.True) revert ChallengeNotTrue(counterId);
        _verdictTrue(id);
    }

    // =====================================================================================
    // Bonds
    // =====================================================================================

    /// @notice Credits the bond of decided claim `id` to whom it is owed: its claimer if it is
    ///         True; otherwise whoever proved it False (the challenger whose link decided it,
    ///         the claimer of its True negation, or the prover of the witness that defeated
    ///         it). Anyone may call; each bond is paid once.
    function payout(bytes32 id) external {
        uint256 b = _record[id];
        if (b == 0) revert UnknownClaim(id);
        if (b & PAID != 0) revert AlreadyPaid(id);
        uint256 a = _dispute[id];
        if (a & 0xff == UNDECIDED) revert NotDecided(id);
        _pay(id, a, b);
    }

    /// @notice Settles a chain of challenges in one transaction, bottom up, as far as it can.
    ///         `chain[0]` is the deepest claim, and each `chain[i + 1]` a target that `chain[i]`
    ///         challenges. For each claim in order: an Undecided one is decided True by timeout
    ///         when `decideByTimeout` would decide it (else the walk stops there: call again
    ///         later); its bond is paid out as `payout` would; then, over its open link to the
    ///         next claim, a True claim decides that target False as `decideByContradiction`
    ///         would, and a False one is released as `release` would. Links that are not open
    ///         are passed over, so a chain that is not one does nothing the separate calls could
    ///         not. Anyone may call; it never reverts.
    /// @return decided How many claims of the chain, from its start, are decided.
    function settleChain(bytes32[] calldata chain) external returns (uint256 decided) {
        uint256 n = chain.length;
        for (uint256 i = 0; i < n; i++) {
            bytes32 id = chain[i];
            uint256 b = _record[id];
            if (b == 0) break;
            uint256 a = _dispute[id];
            if (a & 0xff == UNDECIDED) {
                if ((a >> 8) & 0xff == ClaimLib.WITNESS) break;
                if (block.timestamp <= uint64(a >> 48) || (a >> 16) & M32 != 0) break;
                a = 0;
                _dispute[id] = 0;
                emit Decided(id, true);
            }
            decided = i + 1;
            if (b & PAID == 0) _pay(id, a, b);
            if (i + 1 == n) break;
            bytes32 t = chain[i + 1];
            bytes32 key = _linkKey(t, id);
            uint256 link = _links[key];
            if (link & 0xff != uint256(Link.Open)) continue;
            uint256 ta = _dispute[t];
            if (a == 0) {
                if (ta & 0xff == UNDECIDED) _falsify(t, address(uint160(link >> 8)));
            } else {
                _links[key] = link - uint256(Link.Open) + uint256(Link.Released);
                if (ta & 0xff == UNDECIDED) _dispute[t] = ta - OPEN_ONE;
                emit Released(t, id);
            }
        }
    }

    /// @dev Pays the bond of the decided claim `id` (dispute slot `a`, record `b`, not paid).
    function _pay(bytes32 id, uint256 a, uint256 b) private {
        address payee = a == 0 ? address(uint160(b)) : address(uint160(a >> 96));
        _record[id] = b | PAID;
        _credit(payee, BOND);
        emit PaidOut(id, payee, BOND);
    }

    /// @notice Sends the caller's whole credit to the caller.
    function withdraw() external {
        _withdraw(payable(msg.sender));
    }

    /// @notice Sends the caller's whole credit to `to` (for callers that cannot receive ether).
    function withdrawTo(address payable to) external {
        _withdraw(to);
    }

    function _withdraw(address payable to) private {
        uint256 amount = credit[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        credit[msg.sender] = 0;
        _credited -= amount;
        emit Withdrawn(msg.sender, to, amount);
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    // =====================================================================================
    // Views
    // =====================================================================================

    /// @notice The decision state of `id` (what payout contracts read).
    function statusOf(bytes32 id) external view returns (Status) {
        return _status(id);
    }

    /// @notice Whether `id` is decided True (what a payout contract asks before moving funds).
    function isTrue(bytes32 id) external view returns (bool) {
        return _status(id) == Status.True;
    }

    /// @notice Everything stored about `id`. `deadline` and `openChallenges` are meaningful
    ///         while Undecided; `payee` once decided (who the bond is owed to).
    function claimInfo(bytes32 id)
        external
        view
        returns (
            Status status,
            uint8 kind,
            address claimer,
            uint64 deadline,
            uint32 openChallenges,
            address payee,
            bool paid
        )
    {
        uint256 b = _record[id];
        uint256 a = _dispute[id];
        status = _status(id);
        kind = uint8(b >> 168);
        claimer = address(uint160(b));
        paid = b & PAID != 0;
        if (status == Status.Undecided) {
            deadline = uint64(a >> 48);
            openChallenges = uint32(a >> 16);
        } else if (status == Status.True) {
            payee = claimer;
        } else if (status == Status.False) {
            payee = address(uint160(a >> 96));
        }
    }

    /// @notice The chess clock of Undecided claim `id` (zeros otherwise): when it was made, the
    ///         seconds its side and the other side had spent then, and its deadline.
    function clockOf(bytes32 id) external view returns (uint64 made, uint32 ownSpent, uint32 otherSpent, uint64 deadline) {
        uint256 a = _dispute[id];
        if (a & 0xff != UNDECIDED) return (0, 0, 0, 0);
        made = uint64(a >> 112);
        ownSpent = uint32(a >> 176);
        otherSpent = uint32(a >> 208);
        deadline = uint64(a >> 48);
    }

    /// @notice The state of the link (targetId <- challengeId).
    function linkOf(bytes32 targetId, bytes32 challengeId) external view returns (Link) {
        return Link(uint8(_links[_linkKey(targetId, challengeId)]));
    }

    /// @notice Who opened the link (targetId <- challengeId), the zero address if none: the
    ///         one owed the target's bond if this challenge proves the target False.
    function challengerOf(bytes32 targetId, bytes32 challengeId) external view returns (address) {
        return address(uint160(_links[_linkKey(targetId, challengeId)] >> 8));
    }

    /// @notice Bonds of claims not yet paid out: `address(this).balance - totalCredited()`.
    ///         Every claim adds exactly `BOND` and every `payout` moves exactly `BOND` to
    ///         credit, so this equals `BOND * (claims created - bonds paid out)` -- count both
    ///         from the `Claimed` and `PaidOut` events to check it -- unless ether was forced
    ///         in by `selfdestruct` or as a block reward (never used, never paid out). Not kept
    ///         in storage so that `claim` does not pay for a counter update.
    function bondsHeld() external view returns (uint256) {
        return address(this).balance - _credited;
    }

    /// @notice Credits not yet withdrawn.
    function totalCredited() external view returns (uint256) {
        return _credited;
    }

    /// @notice Validates `enc` as a closed claim (reverts `MalformedClaim`) and returns its id.
    function claimId(bytes calldata enc) external pure returns (bytes32) {
        bytes memory c = enc;
        ClaimLib.validate(c, ClaimLib.CLOSED);
        return keccak256(c);
    }

    /// @notice The negation of a valid closed claim, double negation removed.
    function negationOf(bytes calldata enc) external pure returns (bytes memory) {
        bytes memory c = enc;
        ClaimLib.validate(c, ClaimLib.CLOSED);
        return ClaimLib.negate(c);
    }

    /// @notice The valid challenge (spec §2) of the valid closed claim `targetEnc` selected by
    ///         `how` -- what `challenge` requires as `counterEnc`. Reverts as `challenge` would.
    function counterOf(bytes calldata targetEnc, ChallengeArgs calldata how) external view returns (bytes memory) {
        bytes memory t = targetEnc;
        ClaimLib.validate(t, ClaimLib.CLOSED);
        return _counterOf(t, how);
    }

    /// @notice The counter-claim `challengePath(…, steps, …)` requires against `targetEnc`.
    ///         Reverts as `challengePath` would.
    function counterOfPath(bytes calldata targetEnc, ChallengeArgs[] calldata steps)
        external
        view
        returns (bytes memory)
    {
        bytes memory t = targetEnc;
        ClaimLib.validate(t, ClaimLib.CLOSED);
        return _counterOfPath(t, steps);
    }

    // =====================================================================================
    // Internals
    // =====================================================================================

    function _status(bytes32 id) private view returns (Status) {
        if (_record[id] == 0) return Status.None;
        uint256 a = _dispute[id];
        if (a == 0) return Status.True;
        return a & 0xff == UNDECIDED ? Status.Undecided : Status.False;
    }

    /// @dev An open link's slot value, opened by `challenger`.
    function _openLink(address challenger) private pure returns (uint256) {
        return (uint256(uint160(challenger)) << 8) | uint256(Link.Open);
    }

    function _claimerOf(bytes32 id) private view returns (address) {
        return address(uint160(_record[id]));
    }

    function _linkKey(bytes32 targetId, bytes32 challengeId) private pure returns (bytes32 k) {
        assembly ("memory-safe") {
            mstore(0x00, targetId)
            mstore(0x20, challengeId)
            k := keccak256(0x00, 0x40)
        }
    }

    /// @dev Returns the dispute slot of an Undecided claim; reverts otherwise.
    function _requireUndecided(bytes32 id) private view returns (uint256 a) {
        a = _dispute[id];
        if (a & 0xff != UNDECIDED) {
            if (_record[id] == 0) revert UnknownClaim(id);
            revert AlreadyDecided(id);
        }
    }

    /// @dev The target exists, is Undecided and within its window; returns its slot.
    function _requireChallengeable(bytes32 targetId) private view returns (uint256 a) {
        a = _requireUndecided(targetId);
        uint64 deadline = uint64(a >> 48);
        if ((a >> 8) & 0xff == ClaimLib.WITNESS) revert NoChallengeOfWitness();
        if (block.timestamp > deadline) revert WindowClosed(targetId, deadline);
    }

    function _addOpen(bytes32 id, uint256 a) private pure returns (uint256) {
        if ((a >> 16) & M32 == M32) revert TooManyChallenges(id);
        return a + OPEN_ONE;
    }

    function _verdictTrue(bytes32 id) private {
        _dispute[id] = 0;
        emit Decided(id, true);
    }

    function _falsify(bytes32 id, address payee) private {
        _dispute[id] = FALSE_TAG | (uint256(uint160(payee)) << 96);
        emit Decided(id, false);
    }

    function _credit(address account, uint256 amount) private {
        credit[account] += amount;
        _credited += amount;
    }

    /// @dev Creates the record of a new valid claim of `kind` whose negation (double negation
    ///      removed) has id `negId` (bond paid by the caller) and
    ///      links it with its negation if that is claimed (spec §4.1 for independent claims):
    ///      for `X = NOT(Y)` with `Y` claimed, `Y` challenges `X`; for `X` with `NOT(X)`
    ///      claimed, `X` challenges `NOT(X)`. WITNESS_EXISTS claims never hold a target (they
    ///      are never pending); NOT(W) is instead protected by refusing W's witness after
    ///      NOT(W)'s window. `parent` is the slot of the claim it challenges (0 for a claim made
    ///      by `claim`; a claim that challenges its claimed negation takes that as its parent).
    ///      Returns Undecided, or True when the negation is already False.
    function _create(bytes32 id, bytes32 negId, uint256 kind, address claimer, uint256 parent)
        private
        returns (Status result)
    {
        if (_record[id] != 0) revert ClaimExists(id);
        uint256 a = _clockSlot(kind, parent);
        uint64 deadline = uint64(a >> 48);
        result = Status.Undecided;
        if (_record[negId] != 0) {
            uint256 na = _dispute[negId];
            if (na == 0) revert NegationIsTrue(negId);
            if (na & 0xff == FALSE_TAG) {
                a = 0; // NOT(P) with P False (or P with NOT(P) False): True at once
                result = Status.True;
            } else if (kind == ClaimLib.NOT) {
                // the operand Y = negId is claimed: it challenges this claim
                if ((na >> 8) & 0xff != ClaimLib.WITNESS) {
                    a += OPEN_ONE;
                    _links[_linkKey(id, negId)] = _openLink(_claimerOf(negId));
                    emit Challenged(id, negId);
                }
            } else {
                // NOT(this) is claimed: this claim challenges it, if still in its window
                uint64 negDeadline = uint64(na >> 48);
                if (block.timestamp > negDeadline) revert NegationPastWindow(negId);
                if (kind != ClaimLib.WITNESS) {
                    _dispute[negId] = _addOpen(negId, na);
                    _links[_linkKey(negId, id)] = _openLink(msg.sender);
                    emit Challenged(negId, id);
                    if (parent == 0) {
                        a = _clockSlot(kind, na); // it answers NOT(this): its clock follows
                        deadline = uint64(a >> 48);
                    }
                }
            }
        }
        _dispute[id] = a;
        _record[id] = uint256(uint160(claimer)) | EXISTS | (kind << 168);
        emit Claimed(id, claimer, deadline);
        if (result == Status.True) emit Decided(id, true);
    }

    /// @dev The Undecided slot (no open challenge) of a claim of `kind` made now -- the chess
    ///      clock. A claim made by `claim` (`parent` 0) starts both sides at 0 spent. A
    ///      counter-claim of the Undecided claim with slot `parent` is made by the other side:
    ///      its side has now spent what it had spent before (the parent's `other`) plus the
    ///      time since the parent was made; the other side has spent the parent's `own`. The
    ///      claim must then be challenged within the other side's remaining budget
    ///      (`WINDOW - other`), and never less than `EXTENSION`. Along any chain of challenges
    ///      each side's spent time stays below `WINDOW + moves * EXTENSION`, so a dispute
    ///      rooted at a claim made at `t` has every deadline by `t + 2 * WINDOW + D * EXTENSION`
    ///      (`D` the claims on its longest chain); see SEMANTICS.md §3.
    function _clockSlot(uint256 kind, uint256 parent) private view returns (uint256 a) {
        uint256 t = block.timestamp;
        a = UNDECIDED | (kind << 8) | (t << 112);
        if (kind == ClaimLib.WITNESS) return a;
        if (parent == 0) return a | ((t + WINDOW) << 48);
        uint256 own = ((parent >> 208) & M32) + (t - ((parent >> 112) & M64));
        if (own > M32) own = M32;
        uint256 other = (parent >> 176) & M32;
        uint256 room = other + EXTENSION < WINDOW ? WINDOW - other : EXTENSION;
        return a | ((t + room) << 48) | (own << 176) | (other << 208);
    }

    /// @dev A re-used counter-claim with no open challenge takes the clock it would have as a
    ///      new counter-claim of the target with slot `parent`, when that ends its window
    ///      sooner: a claim made by `claim` just before it is used as a counter-claim must not
    ///      hand its side a fresh budget. (One that already has open challenges keeps its
    ///      clock; its own dispute is bounded from when it was made.)
    function _reclock(bytes32 id, uint256 parent) private {
        uint256 a = _dispute[id];
        if ((a >> 16) & M32 != 0) return;
        uint256 fresh = _clockSlot((a >> 8) & 0xff, parent);
        if (uint64(fresh >> 48) < uint64(a >> 48)) _dispute[id] = fresh;
    }

    /// @dev Makes the WITNESS_EXISTS claim `enc` (id `id`) True with `witness`, creating it
    ///      for `claimer` if it does not exist yet (`claimer == 0`: it must exist). Refuses the
    ///      witness if NOT(enc) is True or past its window; decides a pending NOT(enc) False.
    ///      Reverts if `enc` is False; returns True.
    function _showWitness(bytes32 id, bytes memory enc, bytes calldata witness, address claimer) private returns (Status) {
        uint256 b = _record[id];
        if (b != 0) {
            uint256 a = _dispute[id];
            if (a == 0) return Status.True;
            if (a & 0xff == FALSE_TAG) revert CounterIsFalse(id);
        }
        bytes32 negId = ClaimLib.negationId(enc);
        bool negPending;
        if (_record[negId] != 0) {
            uint256 na = _dispute[negId];
            if (na == 0 || (na & 0xff == UNDECIDED && block.timestamp > uint64(na >> 48))) {
                revert WitnessRefused(id, negId);
            }
            negPending = na & 0xff == UNDECIDED;
        }
        {
            bytes32 name = ClaimLib.nameOf(enc);
            address v = verifierOf(name);
            if (v == address(0)) revert UnknownVerifier(name);
            bytes memory call = abi.encodeCall(IVerifier.verify, (ClaimLib.literalArgs(enc), witness));
            if (!_staticBool(v, call)) revert InvalidWitness(id);
        }
        if (b == 0) {
            b = uint256(uint160(claimer)) | EXISTS | (ClaimLib.WITNESS << 168);
            _record[id] = b;
            emit Claimed(id, claimer, 0);
        }
        _verdictTrue(id);
        if (negPending) _falsify(negId, msg.sender); // the prover, who did the work, wins NOT(W)
        return Status.True;
    }

    /// @dev The valid challenge of the valid closed claim `target` selected by `how` (Rust:
    ///      `check_challenge`'s expected counter-claim).
    function _counterOf(bytes memory target, ChallengeArgs calldata how) private view returns (bytes memory) {
        bytes memory cur = target;
        uint8 h = how.how;
        bool unfolded = ClaimLib.kindOf(cur) == ClaimLib.CALL;
        if (unfolded) {
            bool selected;
            (cur, selected) = _unfold(cur, how.groups, h, how.index);
            if (selected) return cur;
        }
        uint256 kind = ClaimLib.kindOf(cur);
        if (kind == ClaimLib.WITNESS) {
            // A WITNESS_EXISTS claim has no challenge (spec §2). A call whose unfolding is one
            // would then always time out True; it is instead held by NOT(W) (README).
            if (unfolded && h == NEGATION) return ClaimLib.negate(cur);
            revert NoChallengeOfWitness();
        }
        if (kind == ClaimLib.NOT && h == OPERAND) {
            return ClaimLib.child(cur, 0);
        }
        if (kind == ClaimLib.AND && h == CONJUNCT) {
            uint256 n = ClaimLib.childCount(cur);
            if (how.index >= n) revert ConjunctOutOfRange(how.index, n);
            return ClaimLib.negate(ClaimLib.child(cur, how.index));
        }
        if (kind == ClaimLib.FORALL && h == INSTANCE) {
            bytes32 q = ClaimLib.nameOf(cur);
            address qa = quantifierOf(q);
            if (qa == address(0)) revert UnknownQuantifier(q);
            bytes memory call = abi.encodeCall(
                IQuantifier.quantify,
                (ClaimLib.literalArgs(cur), how.instance, how.proof)
            );
            if (!_staticBool(qa, call)) revert NotInDomain(q);
            return ClaimLib.negate(ClaimLib.substitute(ClaimLib.child(cur, 0), how.instance));
        }
        revert WrongChallengeKind(kind, h);
    }

    /// @dev The counter-claim of a `challengePath` (see there).
    function _counterOfPath(bytes memory target, ChallengeArgs[] calldata steps) private view returns (bytes memory counter) {
        uint256 n = steps.length;
        if (n == 0 || n > MAX_PATH) revert BadPath(n);
        counter = _counterOf(target, steps[0]);
        for (uint256 j = 1; j < n; j++) {
            if (ClaimLib.kindOf(counter) != ClaimLib.NOT) revert PathNotForced(j);
            counter = _counterOf(ClaimLib.child(counter, 0), steps[j]);
        }
    }

    /// @dev Unfolds the CALL `cur` until it is not a CALL (at most `MAX_UNFOLD` times), with
    ///      definition groups found by id among `groups` or, for a group stored when it was
    ///      admitted, read from its data contract. Each must be admitted (so it is canonical and
    ///      names only known names: it is not validated again).
    ///      When the last definition's body is `NOT` or `AND` and `h` selects its operand or a
    ///      conjunct, only that part is instantiated and the counter-claim is returned at once
    ///      (`selected`): instantiating is structural, so the part of the instantiated body is
    ///      the instantiated part, and the rest of the body is never built.
    function _unfold(bytes memory cur, bytes[] calldata groups, uint8 h, uint256 index)
        private
        view
        returns (bytes memory, bool selected)
    {
        uint256 ng = groups.length;
        bytes32[] memory ids = new bytes32[](ng + 1);
        bytes[] memory loaded = new bytes[](ng + 1);
        for (uint256 j = 0; j < ng; j++) ids[j] = keccak256(groups[j]);
        // Slot `ng`: the last group read from code (a trace game unfolds one group throughout).
        for (uint256 step = 0; ClaimLib.kindOf(cur) == ClaimLib.CALL; step++) {
            if (step == MAX_UNFOLD) revert TooManyUnfoldings();
            bytes32 gid = ClaimLib.nameOf(cur);
            uint256 j = 0;
            while (j <= ng && ids[j] != gid) j++;
            if (j > ng || loaded[j].length == 0) {
                uint256 entry = _groups[gid];
                if (entry == 0) revert UnknownGroup(gid);
                if (j < ng) {
                    loaded[j] = groups[j];
                } else {
                    address at = address(uint160(entry));
                    if (at == address(0)) revert MissingGroup(gid);
                    j = ng;
                    ids[j] = gid;
                    loaded[j] = _loadCode(at);
                }
            }
            (cur, selected) = _instantiate(cur, loaded[j], gid, h, index);
            if (selected) return (cur, true);
        }
        return (cur, false);
    }

    /// @dev One level of `_unfold`: the body of the definition `call` calls in group `g` (id
    ///      `gid`) with the call's arguments for its parameters (Rust `unfold`) -- or, when the
    ///      body is `NOT` / `AND` and `h` selects its operand / a conjunct, the counter-claim
    ///      built from that part alone (`selected`).
    function _instantiate(bytes memory call, bytes memory g, bytes32 gid, uint8 h, uint256 index)
        private
        pure
        returns (bytes memory, bool selected)
    {
        (bytes memory body, bytes[] memory args) = _definitionFor(call, g, gid);
        uint256 bk = ClaimLib.kindOf(body);
        if (bk == ClaimLib.NOT && h == OPERAND) {
            return (ClaimLib.instantiate(ClaimLib.child(body, 0), args, gid), true);
        }
        if (bk == ClaimLib.AND && h == CONJUNCT) {
            uint256 n = ClaimLib.childCount(body);
            if (index >= n) revert ConjunctOutOfRange(index, n);
            return (ClaimLib.negate(ClaimLib.instantiate(ClaimLib.child(body, index), args, gid)), true);
        }
        return (ClaimLib.instantiate(body, args, gid), false);
    }

    /// @dev The template of the definition `call` calls in group `g` (id `gid`), and the call's
    ///      arguments for its parameters (Rust `unfold` instantiates the one with the other).
    function _definitionFor(bytes memory call, bytes memory g, bytes32 gid)
        private
        pure
        returns (bytes memory body, bytes[] memory args)
    {
        uint256 i = ClaimLib.indexOf(call);
        if (i >= ClaimLib.groupSize(g)) revert UnknownDefinition(gid, i);
        uint256 arity;
        (arity, body) = ClaimLib.definition(g, i);
        args = ClaimLib.literalArgs(call);
        if (args.length != arity) revert ArityMismatch(arity, args.length);
    }

    /// @dev Static call with bounded gas; true only for a successful call returning exactly
    ///      the ABI encoding of `true`. A revert, an out-of-gas, a non-contract or any other
    ///      answer counts as "not verified" (and the caller reverts: nothing is decided).
    function _staticBool(address target, bytes memory data) private view returns (bool ok) {
        uint256 g = VERIFY_GAS;
        assembly ("memory-safe") {
            let success := staticcall(g, target, add(data, 0x20), mload(data), 0x00, 0x20)
            ok := and(success, and(eq(returndatasize(), 0x20), eq(mload(0x00), 1)))
        }
    }
}
