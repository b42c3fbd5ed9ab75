//! On-chain soundness tests for the universal dispute contract.
//!
//! - `hole_*`: one negative test per "known hole in earlier implementations"
//!   (SEMANTICS.md §4, last list), each showing the hole is closed.
//! - `bad_*`: bad input of every kind reverts with a named custom error
//!   (`contracts/README.md`, "Errors") and changes nothing.
//! - `consistency_*`: `P` and `NOT(P)` claimed independently by different
//!   parties are never both True, whatever the timing (SEMANTICS.md §4.1).
//!
//! Every refused call goes through [`Game::refused`], which checks the exact
//! custom error *and* that nothing observable changed: the full record of every
//! claim in play (`claimInfo`: status, kind, claimer, deadline, open challenges,
//! payee, paid), `bondsHeld`, `totalCredited`, the contract's balance, and each
//! party's balance and credit (gas price is 0, so a revert costs nothing).

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use k256::ecdsa::SigningKey;
use ogs::chain::dispute::{revert_reason, Registry as RegistryContract, UniversalDispute as UD};
use ogs::chain::{Dispute, DisputeError, How, Receipt, Status};
use ogs::lang::{check_source, Program};
use ogs::logic::claim::{Claim, Name, Term};
use ogs::logic::crypto::{address_of, merkle_proof, merkle_root, sign, signing_key};
use ogs::logic::encode::{encode_group, SolClaim, SolTerm};
use ogs::logic::value::{encode_list, Value};
use ogs::systems::channel::{channel_update, sign_update, update_type};
use ogs::systems::common::encode_merkle_witness;
use std::collections::HashMap;

const BOND: u64 = 1_000_000_000_000_000; // 0.001 ether
const WINDOW: u64 = 3600;

/// The channel library plus two recursive definitions (calls that stay calls): `walk`, and
/// `big`, whose group is too large for `admit` to store as code (`GROUP_CODE_LIMIT`).
const SOURCE: &str = "
use \"channel.ogs\";
def walk(p: (uint256, uint256)) := forall i in below(p.0): walk((i, p.1));
def big(n: uint256) := (forall i in below(n): big(i)) and lt(n, 1000) and lt(n, 1001) and lt(n, 1002) and lt(n, 1003) and lt(n, 1004) and lt(n, 1005) and lt(n, 1006) and lt(n, 1007) and lt(n, 1008) and lt(n, 1009) and lt(n, 1010) and lt(n, 1011) and lt(n, 1012) and lt(n, 1013) and lt(n, 1014) and lt(n, 1015) and lt(n, 1016) and lt(n, 1017) and lt(n, 1018) and lt(n, 1019) and lt(n, 1020) and lt(n, 1021) and lt(n, 1022) and lt(n, 1023) and lt(n, 1024) and lt(n, 1025) and lt(n, 1026) and lt(n, 1027) and lt(n, 1028) and lt(n, 1029) and lt(n, 1030) and lt(n, 1031) and lt(n, 1032) and lt(n, 1033) and lt(n, 1034) and lt(n, 1035) and lt(n, 1036) and lt(n, 1037) and lt(n, 1038) and lt(n, 1039);
";

sol! {
    interface IVerifier {
        function verify(bytes[] args, bytes witness) external view returns (bool);
    }
    interface IQuantifier {
        function quantify(bytes[] args, bytes t, bytes proof) external view returns (bool);
    }
}

type Out = Result<Receipt, DisputeError>;

// ================================================================== helpers

fn key(n: u8) -> SigningKey {
    signing_key(keccak256([n, 0x55]).as_slice()).expect("key")
}

fn addr(n: u8) -> Address {
    address_of(key(n).verifying_key())
}

fn word(n: u64) -> Vec<u8> {
    U256::from(n).to_be_bytes::<32>().to_vec()
}

/// Concatenated 32-byte words (hand-made ABI layouts).
fn words(ws: &[U256]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_be_bytes::<32>()).collect()
}

fn u(n: u64) -> U256 {
    U256::from(n)
}

/// A channel update of channel `0xc1…` between participants 1 and 2.
fn update(nonce: u64) -> Value {
    update_in(0xc1, nonce)
}

fn update_in(channel: u8, nonce: u64) -> Value {
    channel_update(
        B256::repeat_byte(channel),
        U256::from(nonce),
        B256::with_last_byte(nonce as u8),
        &[addr(1), addr(2)],
    )
}

/// `all_signed` witness: `abi.encode(bytes[] signatures)` by `keys`, in order.
fn sigs(v: &Value, keys: &[u8]) -> Vec<u8> {
    encode_list(
        keys.iter()
            .map(|k| sign_update(&key(*k), v).to_vec())
            .collect(),
    )
}

fn operand() -> How {
    How {
        how: 0,
        ..Default::default()
    }
}

fn conjunct(index: u64) -> How {
    How {
        how: 1,
        index,
        ..Default::default()
    }
}

fn instance(value: Vec<u8>, proof: Vec<u8>) -> How {
    How {
        how: 2,
        instance: value,
        proof,
        ..Default::default()
    }
}

/// The contract's `ChallengeArgs` (for calls the wrapper lacks).
fn args_of(h: &How) -> UD::ChallengeArgs {
    UD::ChallengeArgs {
        how: h.how,
        index: U256::from(h.index),
        instance: h.instance.clone().into(),
        proof: h.proof.clone().into(),
        groups: h.groups.iter().cloned().map(Into::into).collect(),
    }
}

fn witness_claim(verifier: &str, args: Vec<Vec<u8>>) -> Claim {
    Claim::Witness {
        verifier: Name::of(verifier),
        args: args.into_iter().map(Term::Lit).collect(),
    }
}

/// `abi.encode(Claim)` of hand-made (possibly invalid) fields.
fn raw_claim(
    kind: u8,
    name: B256,
    index: u32,
    children: Vec<Vec<u8>>,
    args: Vec<SolTerm>,
) -> Vec<u8> {
    SolClaim {
        kind,
        name,
        index,
        children: children.into_iter().map(Into::into).collect(),
        args,
    }
    .abi_encode()
}

fn lit(v: Vec<u8>) -> SolTerm {
    SolTerm {
        kind: 0,
        index: 0,
        path: vec![],
        value: v.into(),
    }
}

fn var(index: u32, path: Vec<u32>) -> SolTerm {
    SolTerm {
        kind: 1,
        index,
        path,
        value: Default::default(),
    }
}

/// Sends a transaction to the dispute contract; a revert becomes
/// `DisputeError::Reverted` with the decoded custom error, as in `Dispute`.
fn send_raw(d: &mut Dispute, from: Address, value: U256, data: Vec<u8>) -> Out {
    let to = d.address;
    let r = d.chain.send(from, to, value, data.into()).expect("evm");
    if r.success {
        Ok(r)
    } else {
        let why = r.halt.clone().unwrap_or_else(|| revert_reason(&r.output));
        Err(DisputeError::Reverted(why, Box::new(r)))
    }
}

/// A view of the dispute contract that must succeed.
fn view<C: SolCall>(d: &mut Dispute, call: C) -> C::Return {
    let to = d.address;
    let r = d
        .chain
        .call(Address::ZERO, to, call.abi_encode().into())
        .expect("evm");
    assert!(r.success, "view reverted: {}", revert_reason(&r.output));
    C::abi_decode_returns(&r.output).expect("decodes")
}

/// A view of the dispute contract that must revert; its decoded reason.
fn view_reverts<C: SolCall>(d: &mut Dispute, call: C) -> String {
    let to = d.address;
    let r = d
        .chain
        .call(Address::ZERO, to, call.abi_encode().into())
        .expect("evm");
    assert!(!r.success, "view unexpectedly succeeded");
    revert_reason(&r.output)
}

fn reason_of(r: Out) -> String {
    match r {
        Ok(_) => panic!("expected a revert, but the call succeeded"),
        Err(DisputeError::Reverted(why, _)) => why,
        Err(e) => panic!("not a revert: {e}"),
    }
}

/// Everything a refused call must leave untouched.
#[derive(Debug, PartialEq)]
struct Snap {
    claims: Vec<String>,
    bonds_held: U256,
    total_credited: U256,
    contract: U256,
    parties: Vec<(U256, U256)>,
    time: u64,
}

/// The deployed contracts, three funded parties, the compiled program and
/// every claim id in play (for snapshots and invariants).
struct Game {
    d: Dispute,
    p: Program,
    alice: Address,
    bob: Address,
    carol: Address,
    ids: Vec<B256>,
}

impl Game {
    fn new() -> Game {
        let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
        let alice = Address::repeat_byte(0xa1);
        let bob = Address::repeat_byte(0xb0);
        let carol = Address::repeat_byte(0xc0);
        for a in [alice, bob, carol] {
            d.chain.set_balance(a, U256::from(10u128.pow(20)));
        }
        let p = check_source("holes.ogs", SOURCE, &ogs::systems::standard())
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        d.know_groups(p.groups.values().map(|g| g.encoding.clone()));
        Game {
            d,
            p,
            alice,
            bob,
            carol,
            ids: Vec::new(),
        }
    }

    fn compile(&mut self, text: &str) -> Claim {
        let c = self
            .p
            .compile_claim(text)
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        self.watch(&c);
        c
    }

    fn exit(&mut self, v: &Value) -> Claim {
        self.compile(&format!(
            "channel_exit({})",
            v.display(Some(&update_type()))
        ))
    }

    /// Adds a claim to the ones snapshots and invariants look at.
    fn watch(&mut self, c: &Claim) -> B256 {
        let id = c.id();
        if !self.ids.contains(&id) {
            self.ids.push(id);
        }
        id
    }

    fn status(&mut self, c: &Claim) -> Status {
        self.d.status(c.id()).expect("status")
    }

    fn parties(&self) -> [Address; 3] {
        [self.alice, self.bob, self.carol]
    }

    fn snap(&mut self) -> Snap {
        let ids = self.ids.clone();
        let claims = ids
            .iter()
            .map(|id| format!("{:?}", view(&mut self.d, UD::claimInfoCall { id: *id })))
            .collect();
        let parties = self
            .parties()
            .iter()
            .map(|a| (self.d.chain.balance(*a), self.d.credit(*a).expect("credit")))
            .collect();
        Snap {
            claims,
            bonds_held: self.d.bonds_held().expect("bonds"),
            total_credited: self.d.total_credited().expect("credited"),
            contract: self.d.balance(),
            parties,
            time: self.d.chain.timestamp(),
        }
    }

    /// Runs `f`, which must revert with custom error `error`, and checks that
    /// nothing changed. Returns the decoded error (its Debug form).
    fn refused(&mut self, error: &str, f: impl FnOnce(&mut Game) -> Out) -> String {
        let before = self.snap();
        let known = self.ids.len();
        let why = reason_of(f(self));
        assert!(
            why.starts_with(&format!("{error}(")),
            "expected {error}, got {why}"
        );
        // Claims first mentioned by `f` (e.g. its counter-claim) must not exist.
        for id in self.ids.split_off(known) {
            assert_eq!(self.d.status(id).expect("status"), Status::None, "{error}");
        }
        assert_eq!(self.snap(), before, "{error}: a refused call changed state");
        why
    }

    /// Like [`Game::refused`] for reverts that carry no custom error (calldata
    /// the ABI decoder rejects, an unknown selector): any revert, no change.
    fn refused_any(&mut self, f: impl FnOnce(&mut Game) -> Out) -> String {
        let before = self.snap();
        let why = reason_of(f(self));
        assert_eq!(self.snap(), before, "{why}: a refused call changed state");
        why
    }

    fn send(&mut self, from: Address, value: U256, data: Vec<u8>) -> Out {
        send_raw(&mut self.d, from, value, data)
    }

    fn claim(&mut self, from: Address, c: &Claim) -> Out {
        self.watch(c);
        self.d.claim(from, c)
    }

    /// `challenge` through the wrapper; watches the counter-claim.
    fn challenge(&mut self, from: Address, t: &Claim, h: &How, c: &Claim, w: &[u8]) -> Out {
        self.watch(c);
        self.d.challenge(from, t, h, c, w)
    }

    fn timeout(&mut self, from: Address, c: &Claim) -> Out {
        self.d.decide_by_timeout(from, c.id())
    }

    fn by_witness(&mut self, from: Address, c: &Claim, w: &[u8]) -> Out {
        self.d.decide_by_witness(from, c, w)
    }

    fn by_negation(&mut self, from: Address, c: &Claim) -> Out {
        let data = UD::decideByNegationCall {
            enc: c.encode().into(),
        }
        .abi_encode();
        self.send(from, U256::ZERO, data)
    }

    fn not_by_operand(&mut self, from: Address, c: &Claim) -> Out {
        let data = UD::decideNotByOperandCall {
            enc: c.encode().into(),
        }
        .abi_encode();
        self.send(from, U256::ZERO, data)
    }

    fn and_by_children(&mut self, from: Address, c: &Claim) -> Out {
        let data = UD::decideAndByChildrenCall {
            enc: c.encode().into(),
        }
        .abi_encode();
        self.send(from, U256::ZERO, data)
    }

    fn not_by_challenge(&mut self, from: Address, c: &Claim, h: &How) -> Out {
        let data = UD::decideNotByChallengeCall {
            enc: c.encode().into(),
            how: args_of(h),
        }
        .abi_encode();
        self.send(from, U256::ZERO, data)
    }

    /// The counter-claim the contract computes (decoded strictly by Rust).
    fn counter(&mut self, t: &Claim, h: &How) -> Claim {
        let enc = self.d.counter_of(t, h).expect("counterOf");
        let c = Claim::decode(&enc).expect("the contract's counter-claim is canonical");
        self.watch(&c);
        c
    }

    /// `bondsHeld` equals BOND × (claims in play that exist and are unpaid)
    /// and the contract holds exactly bonds + credit (SEMANTICS.md §4.5).
    fn check_bonds(&mut self) {
        let mut unpaid = 0u64;
        for id in self.ids.clone() {
            let info = view(&mut self.d, UD::claimInfoCall { id });
            if info.status != 0 && !info.paid {
                unpaid += 1;
            }
        }
        let held = self.d.bonds_held().expect("bonds");
        let credited = self.d.total_credited().expect("credited");
        assert_eq!(held, U256::from(BOND * unpaid), "bonds held");
        assert_eq!(
            self.d.balance(),
            held + credited,
            "balance = bonds + credit"
        );
    }
}

// ============================================================ known holes (§4)

/// SEMANTICS.md §3 (by timeout, fast paths) and §4, hole 1: `NOT(P)` is never decided
/// True merely because `P` is not (yet) True — neither when `P` was never
/// claimed nor while `P` is claimed and Undecided.
#[test]
fn hole_not_p_is_not_true_merely_because_p_is_not_yet_true() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    let not_p = p.clone().negate();
    g.watch(&not_p);
    g.claim(bob, &not_p).expect("claim NOT(P)");

    // P never claimed: no fast path makes NOT(P) True.
    g.refused("OperandNotFalse", |g| g.not_by_operand(alice, &not_p));
    let w = g.refused("ChallengeNotTrue", |g| {
        g.not_by_challenge(bob, &not_p, &conjunct(0))
    });
    let not_first = g.compile("not lt(1, 2)");
    assert!(w.contains(&format!("{:?}", not_first.id())), "{w}");

    // P claimed (inside NOT(P)'s window): P now holds NOT(P).
    g.claim(alice, &p).expect("claim P");
    assert_eq!(g.status(&p), Status::Undecided);
    g.d.chain.advance(1, WINDOW + 1);
    // NOT(P)'s window is over, P is Undecided: NOT(P) still cannot be True.
    g.refused("OpenChallenges", |g| g.timeout(bob, &not_p));
    g.refused("OperandNotFalse", |g| g.not_by_operand(bob, &not_p));
    g.refused("OperandClaimed", |g| {
        g.not_by_challenge(bob, &not_p, &conjunct(0))
    });
    // The link NOT(P) <- P can only be released once P is False.
    g.refused("ChallengeNotFalse", |g| {
        g.d.release(bob, not_p.id(), p.id())
    });
    g.refused("NoOpenLink", |g| g.d.release(bob, p.id(), not_p.id()));
    assert_eq!(g.status(&not_p), Status::Undecided);

    // P (true) times out True; only then is NOT(P) decided — False.
    g.timeout(alice, &p).expect("P times out");
    g.d.decide_by_contradiction(alice, not_p.id(), p.id())
        .expect("NOT(P) False by contradiction");
    assert_eq!(g.status(&p), Status::True);
    assert_eq!(g.status(&not_p), Status::False);
    g.refused("AlreadyDecided", |g| g.timeout(bob, &not_p));
    g.check_bonds();
}

/// SEMANTICS.md §2 (UQ row: the instance is "checked on-chain") and §4, hole 2. Each
/// refused instance would otherwise win: its counter-claim is true (or its
/// witness verifies), only the domain check stops it.
#[test]
fn hole_quantifier_instance_is_checked_on_chain() {
    let mut g = Game::new();
    let (alice, bob, carol) = (g.alice, g.bob, g.carol);

    // (1) below: `forall i in below(3): lt(i, 3)` is true; at 7 the body is false.
    let q = g.compile("forall i in below(3): lt(i, 3)");
    g.claim(alice, &q).expect("claim");
    let outside = g.compile("not lt(7, 3)");
    assert_eq!(
        Claim::instantiate(
            match &q {
                Claim::Forall { body, .. } => body,
                _ => unreachable!(),
            },
            &word(7)
        )
        .expect("instantiates")
        .negate(),
        outside
    );
    for bad in [
        word(7),
        word(3),
        word(1)[1..].to_vec(),
        [word(1), vec![0]].concat(),
    ] {
        let how = instance(bad, vec![]);
        let why = g.refused("NotInDomain", |g| g.challenge(bob, &q, &how, &outside, &[]));
        assert!(why.contains(&format!("{:?}", Name::of("below").0)), "{why}");
        let why = view_reverts(
            &mut g.d,
            UD::counterOfCall {
                targetEnc: q.encode().into(),
                how: args_of(&how),
            },
        );
        assert!(why.starts_with("NotInDomain("), "{why}");
    }

    // (2) The fast path NOT(UQ) <- True NOT(body[t]) checks the domain too.
    // `not lt(7, 3)` is true: claimed, it times out True.
    g.claim(carol, &outside).expect("claim not lt(7, 3)");
    g.d.chain.advance(1, WINDOW + 1);
    g.timeout(carol, &outside).expect("times out");
    let q2 = g.compile("forall i in below(2): lt(i, 3)");
    let not_q2 = q2.clone().negate();
    g.claim(bob, &not_q2).expect("claim NOT(q2)");
    g.refused("NotInDomain", |g| {
        g.not_by_challenge(bob, &not_q2, &instance(word(7), vec![]))
    });
    assert_eq!(g.status(&not_q2), Status::Undecided);

    // (3) higher_nonce: an older (or other-channel) fully signed update does
    // not defeat an exit; its witness verifies, the domain check refuses it.
    let exit = g.exit(&update(5));
    g.claim(alice, &exit).expect("claim exit");
    let others = channel_update(
        B256::repeat_byte(0xc1),
        U256::from(9),
        B256::ZERO,
        &[addr(1), addr(3)],
    );
    for (older, signers, why) in [
        (update(3), [1, 2], "lower nonce"),
        (update(5), [1, 2], "same nonce"),
        (update_in(0xc2, 9), [1, 2], "other channel"),
        (others, [1, 3], "other participants"),
    ] {
        let counter = witness_claim("all_signed", vec![older.encode()]);
        let w = sigs(&older, &signers);
        let how = instance(older.encode(), vec![]);
        let r = g.refused("NotInDomain", |g| {
            g.challenge(bob, &exit, &how, &counter, &w)
        });
        assert!(
            r.contains(&format!("{:?}", Name::of("higher_nonce").0)),
            "{why}: {r}"
        );
    }
    // Control: a later fully signed update does defeat it.
    let later = update(7);
    let how = instance(later.encode(), vec![]);
    let counter = g.counter(&exit, &how);
    g.challenge(bob, &exit, &how, &counter, &sigs(&later, &[1, 2]))
        .expect("a real later update wins");
    assert_eq!(g.status(&exit), Status::False);

    // (4) members: a forged Merkle proof does not put a leaf in the set.
    let leaves = [
        B256::repeat_byte(1),
        B256::repeat_byte(2),
        B256::repeat_byte(3),
    ];
    let root = merkle_root(&leaves);
    let stranger = B256::repeat_byte(0x77);
    let set = g.compile(&format!(
        "forall x in members({root:#x}): not eq(x, {stranger:#x})"
    ));
    g.claim(alice, &set).expect("claim set");
    // The counter at `stranger` is `eq(stranger, stranger)`: true, witness ignored.
    let counter = witness_claim("eq", vec![stranger.to_vec(), stranger.to_vec()]);
    let real = merkle_proof(&leaves, 0).expect("proof");
    for proof in [
        encode_merkle_witness(0, &real),
        encode_merkle_witness(1, &real),
        encode_merkle_witness(0, &[]),
        encode_merkle_witness(0, &[B256::repeat_byte(9), B256::repeat_byte(8)]),
        encode_merkle_witness(4, &real),
        vec![],
        vec![0xff; 96],
    ] {
        let how = instance(stranger.to_vec(), proof);
        g.refused("NotInDomain", |g| {
            g.challenge(bob, &set, &how, &counter, &[])
        });
    }
    // A member with its real proof is in the domain, but its counter
    // `eq(leaf, stranger)` has no witness: InvalidWitness.
    let member = witness_claim("eq", vec![leaves[0].to_vec(), stranger.to_vec()]);
    let how = instance(leaves[0].to_vec(), encode_merkle_witness(0, &real));
    assert_eq!(g.counter(&set, &how), member);
    g.refused("InvalidWitness", |g| {
        g.challenge(bob, &set, &how, &member, &[])
    });
    g.check_bonds();
}

/// SEMANTICS.md §2 and §4, hole 3 (challenges against claims that do not exist).
#[test]
fn hole_challenge_of_unknown_claim_is_refused() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let p = g.compile("lt(1, 2) and lt(3, 2)");
    let counter = g.counter(&p, &conjunct(1));
    let why = g.refused("UnknownClaim", |g| {
        g.challenge(bob, &p, &conjunct(1), &counter, &[])
    });
    assert!(why.contains(&format!("{:?}", p.id())), "{why}");
    // The same through an exit whose later update would be a perfectly good witness.
    let exit = g.exit(&update(5));
    let later = update(7);
    let how = instance(later.encode(), vec![]);
    let c = g.counter(&exit, &how);
    g.refused("UnknownClaim", |g| {
        g.challenge(bob, &exit, &how, &c, &sigs(&later, &[1, 2]))
    });
    // A claimed id with another claim's encoding is not that claim.
    let q = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &q).expect("claim q");
    let data = UD::challengeCall {
        targetId: q.id(),
        targetEnc: p.encode().into(),
        how: args_of(&conjunct(1)),
        counterEnc: counter.encode().into(),
        witness: Default::default(),
    }
    .abi_encode();
    let bond = U256::from(BOND);
    g.refused("IdMismatch", |g| g.send(bob, bond, data));
    assert_eq!(g.status(&counter), Status::None);
}

/// SEMANTICS.md §3 (decisions are final) and §4, hole 3 (already decided).
#[test]
fn hole_challenge_of_decided_claim_is_refused() {
    let mut g = Game::new();
    let (alice, bob, carol) = (g.alice, g.bob, g.carol);
    // Decided False inside its window: a stale exit defeated by update 7.
    let exit = g.exit(&update(5));
    g.claim(alice, &exit).expect("claim");
    let h7 = instance(update(7).encode(), vec![]);
    let c7 = g.counter(&exit, &h7);
    g.challenge(bob, &exit, &h7, &c7, &sigs(&update(7), &[1, 2]))
        .expect("defeated");
    assert_eq!(g.status(&exit), Status::False);
    let h8 = instance(update(8).encode(), vec![]);
    let c8 = g.counter(&exit, &h8);
    let why = g.refused("AlreadyDecided", |g| {
        g.challenge(carol, &exit, &h8, &c8, &sigs(&update(8), &[1, 2]))
    });
    assert!(why.contains(&format!("{:?}", exit.id())), "{why}");
    g.refused("AlreadyDecided", |g| {
        g.challenge(carol, &exit, &h7, &c7, &sigs(&update(7), &[1, 2]))
    });

    // Decided True by timeout.
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &p).expect("claim");
    g.d.chain.advance(1, WINDOW + 1);
    g.timeout(alice, &p).expect("True");
    let counter = g.counter(&p, &conjunct(0));
    g.refused("AlreadyDecided", |g| {
        g.challenge(bob, &p, &conjunct(0), &counter, &[])
    });
    // Decided True by witness: WITNESS claims have no challenge at all.
    let w = g.compile("lt(1, 2)");
    g.claim(alice, &w).expect("claim");
    g.by_witness(alice, &w, &[]).expect("True");
    g.refused("AlreadyDecided", |g| {
        g.challenge(bob, &w, &operand(), &counter, &[])
    });
    g.check_bonds();
}

/// SEMANTICS.md §3 (by timeout: "once its dispute window has passed") and §4, hole 3
/// (past the window). The window is inclusive: `deadline` itself is inside.
#[test]
fn hole_challenge_after_window_is_refused() {
    let mut g = Game::new();
    let (alice, bob, carol) = (g.alice, g.bob, g.carol);
    let p = g.compile("lt(1, 2) and lt(3, 2)");
    g.claim(alice, &p).expect("claim");
    let deadline = g.d.chain.timestamp() + WINDOW;
    g.d.chain.advance(1, WINDOW);
    assert_eq!(g.d.chain.timestamp(), deadline);
    // At the deadline: still in the window (no timeout, challenges accepted).
    g.refused("WindowOpen", |g| g.timeout(alice, &p));
    let c0 = g.counter(&p, &conjunct(0));
    g.challenge(bob, &p, &conjunct(0), &c0, &[])
        .expect("in window");
    g.d.chain.advance(1, 1);
    // One second later: refused, even for the true counter-claim NOT(lt(3, 2)).
    let c1 = g.counter(&p, &conjunct(1));
    let why = g.refused("WindowClosed", |g| {
        g.challenge(carol, &p, &conjunct(1), &c1, &[])
    });
    assert!(why.contains(&format!("deadline: {deadline}")), "{why}");

    // A valid witness does not help after the window either.
    let exit = g.exit(&update(5));
    g.claim(alice, &exit).expect("claim exit");
    let q = g.compile("lt(5, 6) and lt(6, 7)");
    let not_q = q.clone().negate();
    g.watch(&not_q);
    g.claim(bob, &not_q).expect("claim NOT(q)");
    g.d.chain.advance(1, WINDOW + 1);
    let h7 = instance(update(7).encode(), vec![]);
    let c7 = g.counter(&exit, &h7);
    g.refused("WindowClosed", |g| {
        g.challenge(bob, &exit, &h7, &c7, &sigs(&update(7), &[1, 2]))
    });
    // A late NOT(exit) is linked as NOT(exit) <- exit: it cannot hold the exit.
    let not_exit = exit.clone().negate();
    g.claim(bob, &not_exit).expect("late NOT(exit)");
    g.timeout(alice, &exit).expect("exit times out True");
    g.refused("WindowOpen", |g| g.timeout(bob, &not_exit));
    g.d.decide_by_contradiction(alice, not_exit.id(), exit.id())
        .expect("late NOT(exit) False");
    // Claiming q after NOT(q)'s window would only be a late challenge of NOT(q).
    let why = g.refused("NegationPastWindow", |g| g.claim(alice, &q));
    assert!(why.contains(&format!("{:?}", not_q.id())), "{why}");
    g.timeout(bob, &not_q).expect("NOT(q) times out True");
    g.refused("NegationIsTrue", |g| g.claim(alice, &q));
    g.check_bonds();
}

/// SEMANTICS.md §4, hole 3 (duplicate challenges) and §4.4 (spam adds no work).
#[test]
fn hole_duplicate_challenge_is_refused() {
    let mut g = Game::new();
    let (alice, bob, carol) = (g.alice, g.bob, g.carol);
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &p).expect("claim");
    let c0 = g.counter(&p, &conjunct(0));
    g.challenge(bob, &p, &conjunct(0), &c0, &[])
        .expect("first challenge");
    let open = |g: &mut Game| view(&mut g.d, UD::claimInfoCall { id: p.id() }).openChallenges;
    assert_eq!(open(&mut g), 1);
    let why = g.refused("DuplicateChallenge", |g| {
        g.challenge(carol, &p, &conjunct(0), &c0, &[])
    });
    assert!(why.contains(&format!("{:?}", c0.id())), "{why}");
    g.refused("DuplicateChallenge", |g| {
        g.challenge(bob, &p, &conjunct(0), &c0, &[])
    });
    assert_eq!(open(&mut g), 1);

    // A counter-claim claimed on its own first can be linked once (bond
    // refunded as credit), then never again.
    let c1 = g.counter(&p, &conjunct(1));
    g.claim(carol, &c1).expect("claim counter");
    g.challenge(bob, &p, &conjunct(1), &c1, &[]).expect("links");
    assert_eq!(g.d.credit(bob).expect("credit"), U256::from(BOND));
    assert_eq!(open(&mut g), 2);
    g.refused("DuplicateChallenge", |g| {
        g.challenge(carol, &p, &conjunct(1), &c1, &[])
    });

    // Independent negation claims are linked once: NOT(P) <- P exists already.
    let not_p = p.clone().negate();
    g.claim(carol, &not_p).expect("claim NOT(P)");
    g.refused("DuplicateChallenge", |g| {
        g.challenge(bob, &not_p, &operand(), &p, &[])
    });
    g.check_bonds();
}

/// SEMANTICS.md §3 (by contradiction: "the moment one of its valid challenges becomes
/// True") and §4, hole 4: nothing is decided False on an untrue challenge.
#[test]
fn hole_false_needs_a_true_challenge() {
    let mut g = Game::new();
    let (alice, bob, carol) = (g.alice, g.bob, g.carol);
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &p).expect("claim");
    let c0 = g.counter(&p, &conjunct(0)); // NOT(lt(1, 2)): false
    g.challenge(bob, &p, &conjunct(0), &c0, &[])
        .expect("challenge");
    // Undecided challenge.
    let why = g.refused("ChallengeNotTrue", |g| {
        g.d.decide_by_contradiction(bob, p.id(), c0.id())
    });
    assert!(why.contains(&format!("{:?}", c0.id())), "{why}");
    // A True claim that is not a challenge of P.
    let unrelated = g.compile("lt(5, 6)");
    g.claim(carol, &unrelated).expect("claim");
    g.by_witness(carol, &unrelated, &[]).expect("True");
    g.refused("NoOpenLink", |g| {
        g.d.decide_by_contradiction(bob, p.id(), unrelated.id())
    });
    // P's negation is not True (not even claimed).
    let why = g.refused("NegationNotTrue", |g| g.by_negation(bob, &p));
    assert!(
        why.contains(&format!("{:?}", p.clone().negate().id())),
        "{why}"
    );
    // Re-using an existing Undecided counter-claim does not decide anything.
    let c1 = g.counter(&p, &conjunct(1));
    g.claim(bob, &c1).expect("claim NOT(lt(2, 3))");
    g.challenge(carol, &p, &conjunct(1), &c1, &[])
        .expect("re-used");
    assert_eq!(g.status(&p), Status::Undecided);
    // A witness counter-claim must verify: `lt(1, 2)` defeats c0, a forged
    // all_signed witness does not defeat an exit.
    let w = g.compile("lt(1, 2)");
    g.challenge(alice, &c0, &operand(), &w, &[])
        .expect("witness shown");
    assert_eq!(g.status(&c0), Status::False);
    g.refused("ChallengeNotTrue", |g| {
        g.d.decide_by_contradiction(bob, p.id(), c0.id())
    });
    let exit = g.exit(&update(5));
    g.claim(alice, &exit).expect("claim exit");
    let h7 = instance(update(7).encode(), vec![]);
    let c7 = g.counter(&exit, &h7);
    let forged = sigs(&update(7), &[1, 3]);
    let why = g.refused("InvalidWitness", |g| {
        g.challenge(bob, &exit, &h7, &c7, &forged)
    });
    assert!(why.contains(&format!("{:?}", c7.id())), "{why}");
    assert_eq!(g.status(&exit), Status::Undecided);
    g.check_bonds();
}

/// SEMANTICS.md §1 (canonical encoding) and §4, hole 5: no placeholder or label
/// inside a byte string can be mistaken for structure. Kinds are separate ABI
/// fields; a literal is opaque whatever its bytes look like.
#[test]
fn hole_no_label_collisions() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let p = g.compile("lt(1, 2) and lt(3, 2)");

    // (1) A literal whose bytes are the encoding of P (and of NOT(P)) is not P:
    // deciding it touches neither P nor NOT(P), which are claimed afterwards.
    let not_p = p.clone().negate();
    let looks_like = witness_claim("eq", vec![p.encode(), p.encode()]);
    let looks_like_not = witness_claim("eq", vec![not_p.encode(), not_p.encode()]);
    for c in [&looks_like, &looks_like_not] {
        g.claim(alice, c).expect("claim");
        g.by_witness(alice, c, &[]).expect("True");
    }
    assert_eq!(g.status(&p), Status::None);
    assert_eq!(g.status(&not_p), Status::None);
    g.claim(bob, &not_p).expect("NOT(P) is not 'already True'");
    g.claim(alice, &p).expect("P is new");
    assert_eq!(
        view(&mut g.d, UD::claimInfoCall { id: not_p.id() }).openChallenges,
        1,
        "only P itself holds NOT(P)"
    );

    // (2) Substitution replaces VAR terms only: literals that look like a VAR
    // term, like the instance, or like an encoded claim stay as they are.
    let var_term = vec![var(0, vec![])].abi_encode();
    let t = word(1);
    let body = Claim::And(vec![
        witness_claim("lt", vec![word(0), word(9)]),
        Claim::Witness {
            verifier: Name::of("eq"),
            args: vec![
                Term::Var {
                    index: 0,
                    path: vec![],
                },
                Term::Lit(var_term.clone()),
            ],
        },
        witness_claim("eq", vec![t.clone(), p.encode()]),
    ]);
    let q = Claim::Forall {
        quantifier: Name::of("below"),
        args: vec![Term::Lit(word(3))],
        body: Box::new(body.clone()),
    };
    g.claim(alice, &q).expect("claim");
    let how = instance(t.clone(), vec![]);
    let expected = Claim::instantiate(&body, &t)
        .expect("instantiates")
        .negate();
    let Claim::Not(inner) = &expected else {
        panic!("{expected:?}")
    };
    let Claim::And(parts) = &**inner else {
        panic!("{inner:?}")
    };
    assert_eq!(parts[1], witness_claim("eq", vec![t.clone(), var_term]));
    assert_eq!(parts[2], witness_claim("eq", vec![t.clone(), p.encode()]));
    assert_eq!(
        g.counter(&q, &how),
        expected,
        "contract = Rust substitution"
    );
    g.challenge(bob, &q, &how, &expected, &[])
        .expect("challenge");

    // (3) Structure that would be ambiguous is refused outright:
    let lt12 = witness_claim("lt", vec![word(1), word(2)]).encode();
    // a CALL naming group 0 ("this group") outside a definition,
    let call0 = raw_claim(4, B256::ZERO, 0, vec![], vec![]);
    // a PARAM outside a definition,
    let param = raw_claim(
        2,
        Name::of("lt").0,
        0,
        vec![],
        vec![
            SolTerm {
                kind: 2,
                index: 0,
                path: vec![],
                value: Default::default(),
            },
            lit(word(2)),
        ],
    );
    // a TUPLE of literals only (a second encoding of a literal list),
    let tuple = raw_claim(
        2,
        Name::of("eq").0,
        0,
        vec![],
        vec![
            SolTerm {
                kind: 3,
                index: 0,
                path: vec![],
                value: vec![lit(word(1)), lit(word(2))].abi_encode().into(),
            },
            lit(encode_list(vec![word(1), word(2)])),
        ],
    );
    // and a LIT carrying a path (a literal pretending to be projected).
    let lit_path = raw_claim(
        2,
        Name::of("lt").0,
        0,
        vec![],
        vec![
            SolTerm {
                kind: 0,
                index: 0,
                path: vec![0],
                value: word(1).into(),
            },
            lit(word(2)),
        ],
    );
    for (enc, reason) in [(call0, 8), (param, 7), (tuple, 9), (lit_path, 3)] {
        assert!(Claim::decode(&enc).is_err(), "Rust accepts reason {reason}");
        let bond = U256::from(BOND);
        let data = UD::claimCall { enc: enc.into() }.abi_encode();
        let why = g.refused("MalformedClaim", |g| g.send(alice, bond, data));
        assert!(why.contains(&format!("reason: {reason} ")), "{why}");
    }
    assert!(Claim::decode(&lt12).is_ok());
    g.check_bonds();
}

fn verifier_of(d: &mut Dispute, name: &str, quantifier: bool) -> Address {
    let data = if quantifier {
        RegistryContract::quantifierOfCall(keccak256(name)).abi_encode()
    } else {
        RegistryContract::verifierOfCall(keccak256(name)).abi_encode()
    };
    let reg = d.registry;
    let r = d.chain.call(Address::ZERO, reg, data.into()).expect("evm");
    let a = RegistryContract::verifierOfCall::abi_decode_returns(&r.output).expect("address");
    assert_ne!(a, Address::ZERO, "{name} is registered");
    a
}

/// Values that are not what any parameter expects, or barely so.
fn garbage() -> Vec<Vec<u8>> {
    let max = U256::MAX;
    let high_s = {
        let mut s = vec![0x11; 32];
        s.extend([0xff; 32]);
        s.push(27);
        s
    };
    let good_sig = sign(&key(1), B256::repeat_byte(5)).to_vec();
    let mut bad_v = good_sig.clone();
    bad_v[64] = 29;
    let mut dirty_pad = words(&[u(0x20), u(1), u(0x20), u(1)]);
    dirty_pad.extend([0x01; 32]);
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng as u8
            })
            .collect()
    };
    vec![
        vec![],
        vec![0],
        vec![0xff; 31],
        vec![0xff; 32],
        vec![0xff; 33],
        word(0),
        word(1),
        word(2),
        [vec![0xff; 12], vec![0x11; 20]].concat(), // address with a dirty upper word
        words(&[u(0x20)]),
        words(&[u(0x20), u(1)]),                // one element, no offset
        words(&[u(0x20), u(1), u(0x40), u(0)]), // wrong offset
        words(&[u(0x20), max]),                 // huge count
        words(&[u(0x20), max, u(0x20), u(0)]),  // huge count, some data
        words(&[u(0x40), u(0)]),                // wrong head
        words(&[u(0x20), u(1), u(0x20), u(33), u(1)]), // element longer than the data
        words(&[u(0x20), u(1), max, u(1), u(1)]), // huge offset
        words(&[u(0x20), u(1), u(0x20), u(64), u(1)]), // element past the end
        dirty_pad,
        encode_list(vec![word(1); 4]), // 4 words: not a ChannelUpdate
        encode_list(vec![word(1), word(2), word(3), encode_list(vec![])]), // no participants
        encode_list(vec![
            word(1),
            word(2),
            word(3),
            encode_list(vec![[vec![0xff; 12], vec![0x11; 20]].concat()]),
        ]), // dirty participant
        update(1).encode(),
        [update(1).encode(), vec![0]].concat(), // trailing byte
        encode_merkle_witness(0, &[]),
        encode_merkle_witness(u64::MAX, &[B256::ZERO; 2]),
        words(&[max, u(0x40), u(0)]),   // index ≥ 2^64
        words(&[u(0), u(0x40), max]),   // huge sibling count
        words(&[u(0), u(0x40), u(33)]), // more siblings than data
        [encode_merkle_witness(0, &[B256::ZERO; 33])].concat(), // too deep
        vec![0; 65],
        high_s,
        bad_v,
        good_sig,
        encode_list(vec![vec![0; 65], vec![0xff; 65]]),
        random(1),
        random(64),
        random(65),
        random(200),
    ]
}

/// SEMANTICS.md §4, hole 6 and `contracts/README.md` ("They never revert on any
/// `args`/`witness` contents"): every verifier and quantifier, called
/// directly with well-formed calldata around garbage contents, answers a
/// canonical `false` (or the exact truth, for `eq`, `lt`, `below`, `range`,
/// whose truth does not depend on a witness) — never a revert.
#[test]
fn hole_verifier_never_reverts() {
    let mut g = Game::new();
    let vals = garbage();
    // argument lists: none, each single value, and pairs of a sample
    let mut arg_lists: Vec<Vec<Vec<u8>>> = vec![vec![]];
    arg_lists.extend(vals.iter().map(|v| vec![v.clone()]));
    let sample: Vec<Vec<u8>> = vals.iter().step_by(3).cloned().collect();
    for a in &sample {
        for b in &sample {
            arg_lists.push(vec![a.clone(), b.clone()]);
        }
    }
    arg_lists.push(vec![word(1), word(2), word(3)]);
    let word_of = |v: &Vec<u8>| (v.len() == 32).then(|| U256::from_be_slice(v));
    let mut calls = 0usize;
    for name in [
        "signed_by",
        "all_signed",
        "preimage",
        "merkle_included",
        "eq",
        "lt",
    ] {
        let at = verifier_of(&mut g.d, name, false);
        for args in &arg_lists {
            for w in &vals {
                let expected = match name {
                    "eq" => args.len() == 2 && args[0] == args[1],
                    "lt" => {
                        args.len() >= 2
                            && matches!((word_of(&args[0]), word_of(&args[1])), (Some(a), Some(b)) if a < b)
                    }
                    _ => false,
                };
                let data = IVerifier::verifyCall {
                    args: args.iter().cloned().map(Into::into).collect(),
                    witness: w.clone().into(),
                }
                .abi_encode();
                let r = g.d.chain.call(Address::ZERO, at, data.into()).expect("evm");
                assert!(
                    r.success,
                    "{name} reverted on args {:?} witness 0x{}",
                    args.iter().map(hex::encode).collect::<Vec<_>>(),
                    hex::encode(w)
                );
                assert_eq!(r.output.to_vec(), word(expected as u64), "{name}");
                calls += 1;
            }
        }
    }
    for name in ["below", "range", "higher_nonce", "members"] {
        let at = verifier_of(&mut g.d, name, true);
        for args in &arg_lists {
            for t in &sample {
                for proof in &sample {
                    let expected = match (name, args.first().and_then(word_of), word_of(t)) {
                        ("below", Some(n), Some(t)) => t < n,
                        ("range", Some(lo), Some(t)) => {
                            matches!(args.get(1).and_then(word_of), Some(hi) if lo <= t && t < hi)
                        }
                        _ => false,
                    };
                    let data = IQuantifier::quantifyCall {
                        args: args.iter().cloned().map(Into::into).collect(),
                        t: t.clone().into(),
                        proof: proof.clone().into(),
                    }
                    .abi_encode();
                    let r = g.d.chain.call(Address::ZERO, at, data.into()).expect("evm");
                    assert!(
                        r.success,
                        "{name} reverted on args {:?} t 0x{} proof 0x{}",
                        args.iter().map(hex::encode).collect::<Vec<_>>(),
                        hex::encode(t),
                        hex::encode(proof)
                    );
                    assert_eq!(r.output.to_vec(), word(expected as u64), "{name}");
                    calls += 1;
                }
            }
        }
    }
    assert!(calls > 10_000, "{calls} calls");
}

/// `abi.encode(bytes[])` of one element whose length word is `len` and with
/// 32 bytes of room: offsets and count are canonical, only the length is huge.
fn huge_element_list(len: U256) -> Vec<u8> {
    words(&[u(0x20), u(1), u(0x20), len])
}

/// SEMANTICS.md §4, hole 6, the case `hole_verifier_never_reverts` leaves out: a list
/// element whose length word is near 2^256. `ValueLib.listLength` computes
/// `(elen + 31)` with checked arithmetic *before* comparing `elen` with the
/// room left, so it panics (0x11) instead of returning false, and `all_signed`
/// (witness or argument) and `higher_nonce` (argument or instance) revert.
/// Through the dispute contract this only ever becomes `InvalidWitness` /
/// `NotInDomain` (a failed call counts as "not verified"), so no decision is
/// affected; but a verifier that reverts breaks the README's promise and any
/// other consumer of the registry that calls verifiers directly.
#[test]
fn hole_verifier_never_reverts_on_huge_element_length() {
    let mut g = Game::new();
    let valid = update(9);
    let mut failures = Vec::new();
    for len in [U256::MAX, U256::MAX - u(30), U256::MAX - u(31)] {
        let huge = huge_element_list(len);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "all_signed witness",
                IVerifier::verifyCall {
                    args: vec![valid.encode().into()],
                    witness: huge.clone().into(),
                }
                .abi_encode(),
            ),
            (
                "all_signed args",
                IVerifier::verifyCall {
                    args: vec![huge.clone().into()],
                    witness: sigs(&valid, &[1, 2]).into(),
                }
                .abi_encode(),
            ),
            (
                "higher_nonce t",
                IQuantifier::quantifyCall {
                    args: vec![valid.encode().into()],
                    t: huge.clone().into(),
                    proof: Default::default(),
                }
                .abi_encode(),
            ),
            (
                "higher_nonce args",
                IQuantifier::quantifyCall {
                    args: vec![huge.clone().into()],
                    t: update(10).encode().into(),
                    proof: Default::default(),
                }
                .abi_encode(),
            ),
        ];
        for (what, data) in cases {
            let (name, q) = if what.starts_with("all_signed") {
                ("all_signed", false)
            } else {
                ("higher_nonce", true)
            };
            let at = verifier_of(&mut g.d, name, q);
            let r = g.d.chain.call(Address::ZERO, at, data.into()).expect("evm");
            if !(r.success && r.output.to_vec() == word(0)) {
                failures.push(format!(
                    "{what} (len {len:#x}): 0x{}",
                    hex::encode(&r.output)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "reverted instead of false:\n{}",
        failures.join("\n")
    );
}

/// `contracts/README.md` ("Every bad input reverts with a named custom error
/// and changes nothing") — the one exception it allows: in `ClaimLib.project`
/// (`listLength`, memory version) the same `(elen + 31)` overflow panics
/// (0x11) instead of reverting `ProjectionFailed` when a `CALL` argument is a
/// list whose element length is near 2^256. Both sides refuse the unfolding
/// (Rust: `ClaimError::Projection`), so no decision changes; only the error
/// is unnamed.
#[test]
fn bad_projection_of_huge_element_length_is_a_named_error() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let (gid, _) = g.p.defs["walk"].recursive.expect("walk is recursive");
    let group = g.p.groups[&gid].encoding.clone();
    let how = How {
        how: 2,
        instance: word(0),
        groups: vec![group],
        ..Default::default()
    };
    let bad = |v: Vec<u8>| Claim::Call {
        group: gid,
        index: 0,
        args: vec![Term::Lit(v)],
    };
    // Control: an argument that is not a list at all.
    let plain = bad(word(5));
    assert!(ogs::logic::claim::unfold(&plain, &g.p).is_err());
    g.claim(alice, &plain).expect("claim");
    let counter = witness_claim("lt", vec![word(0), word(1)]);
    g.refused("ProjectionFailed", |g| {
        g.challenge(bob, &plain, &how, &counter, &[])
    });
    // The overflow.
    let huge = bad(huge_element_list(U256::MAX));
    assert!(ogs::logic::claim::unfold(&huge, &g.p).is_err());
    g.claim(alice, &huge).expect("claim");
    g.refused("ProjectionFailed", |g| {
        g.challenge(bob, &huge, &how, &counter, &[])
    });
}

// ================================================================= bad input

/// `contracts/README.md`, Functions: calldata that is not a call of the
/// contract's ABI — random bytes, random bytes behind every state-changing
/// selector, any value — reverts and changes nothing. (An unknown selector or
/// an ABI envelope the decoder rejects has no custom error to name; once the
/// envelope is well formed, the contents are named: `MalformedClaim`.)
#[test]
fn bad_calldata_is_refused_without_effect() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &p).expect("claim");
    let selectors: Vec<[u8; 4]> = vec![
        UD::claimCall::SELECTOR,
        UD::challengeCall::SELECTOR,
        UD::decideByTimeoutCall::SELECTOR,
        UD::decideByWitnessCall::SELECTOR,
        UD::decideByContradictionCall::SELECTOR,
        UD::releaseCall::SELECTOR,
        UD::decideByNegationCall::SELECTOR,
        UD::decideNotByOperandCall::SELECTOR,
        UD::decideAndByChildrenCall::SELECTOR,
        UD::decideNotByChallengeCall::SELECTOR,
        UD::payoutCall::SELECTOR,
        UD::withdrawCall::SELECTOR,
        UD::withdrawToCall::SELECTOR,
    ];
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for i in 0..600 {
        let len = (next() % 400) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if i % 2 == 0 {
            let s = selectors[(next() as usize) % selectors.len()];
            data.splice(0..0, s);
        }
        let value = if i % 3 == 0 {
            U256::from(BOND)
        } else {
            U256::ZERO
        };
        let from = if i % 5 == 0 { bob } else { alice };
        g.refused_any(|g| g.send(from, value, data));
    }
    // Well-formed envelope, garbage contents: named.
    for len in [0usize, 1, 31, 32, 64, 256, 257, 1000] {
        let junk: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let data = UD::claimCall {
            enc: junk.clone().into(),
        }
        .abi_encode();
        let bond = U256::from(BOND);
        g.refused("MalformedClaim", |g| g.send(alice, bond, data));
        let why = view_reverts(
            &mut g.d,
            UD::claimIdCall {
                enc: junk.clone().into(),
            },
        );
        assert!(why.starts_with("MalformedClaim("), "{why}");
        let data = UD::decideByWitnessCall {
            enc: junk.clone().into(),
            witness: junk.clone().into(),
        }
        .abi_encode();
        g.refused("UnknownClaim", |g| g.send(alice, U256::ZERO, data));
    }
    g.check_bonds();
}

/// SEMANTICS.md §1 (canonical encoding) and README (`ClaimLib.validate` = the Rust
/// strict decoder): every proper prefix of a valid claim is refused by both.
#[test]
fn bad_truncated_claim_encodings() {
    let mut g = Game::new();
    let alice = g.alice;
    let small = g.compile("lt(1, 2) and not lt(3, 2)");
    let exit = g.exit(&update(5));
    let bond = U256::from(BOND);
    for (c, step) in [(&small, 1), (&exit, 7)] {
        let enc = c.encode();
        for len in (0..enc.len()).step_by(step) {
            let cut = enc[..len].to_vec();
            assert!(
                Claim::decode(&cut).is_err(),
                "Rust accepts a {len}-byte prefix"
            );
            let data = UD::claimCall { enc: cut.into() }.abi_encode();
            let why = g.refused("MalformedClaim", |g| g.send(alice, bond, data));
            assert!(why.contains("reason: 1 "), "prefix {len}: {why}");
        }
    }
    // The whole encodings are fine.
    g.claim(alice, &small).expect("claim");
    g.claim(alice, &exit).expect("claim");
    g.check_bonds();
}

/// A chain of `n` FORALL nodes (no args) over `lt(1, 2)`.
fn forall_chain(n: usize) -> Claim {
    let mut c = witness_claim("lt", vec![word(1), word(2)]);
    for _ in 0..n {
        c = Claim::Forall {
            quantifier: Name::of("below"),
            args: vec![],
            body: Box::new(c),
        };
    }
    c
}

/// SEMANTICS.md §1 ("a compiled claim never contains NOT(NOT(P))", flat ANDs, closed
/// claims) and README (`MalformedClaim(reason)` codes 1–10): each
/// non-canonical encoding is refused by `claim` and `claimId` with its exact
/// reason, and by the Rust strict decoder.
#[test]
fn bad_non_canonical_encodings() {
    let mut g = Game::new();
    let alice = g.alice;
    let lt = |a: u64, b: u64| witness_claim("lt", vec![word(a), word(b)]);
    let p = lt(1, 2);
    let valid = Claim::And(vec![p.clone(), lt(2, 3)]).encode();
    let lt_name = Name::of("lt").0;
    let mut cases: Vec<(&str, Vec<u8>, u64)> = vec![
        ("empty", vec![], 1),
        ("trailing byte", [valid.clone(), vec![0]].concat(), 1),
        ("trailing word", [valid.clone(), vec![0; 32]].concat(), 1),
        (
            "outer offset 0x40",
            [word(0x40), word(0), valid[32..].to_vec()].concat(),
            1,
        ),
        (
            "NOT(NOT(P))",
            raw_claim(
                0,
                B256::ZERO,
                0,
                vec![Claim::Not(Box::new(p.clone())).encode()],
                vec![],
            ),
            4,
        ),
        (
            "nested AND",
            raw_claim(
                1,
                B256::ZERO,
                0,
                vec![
                    Claim::And(vec![p.clone(), lt(2, 3)]).encode(),
                    lt(3, 4).encode(),
                ],
                vec![],
            ),
            5,
        ),
        (
            "VAR outside a binder",
            raw_claim(2, lt_name, 0, vec![], vec![var(0, vec![]), lit(word(2))]),
            6,
        ),
        (
            "VAR 1 under one binder",
            raw_claim(
                3,
                Name::of("below").0,
                0,
                vec![raw_claim(
                    2,
                    lt_name,
                    0,
                    vec![],
                    vec![var(1, vec![]), lit(word(2))],
                )],
                vec![lit(word(3))],
            ),
            6,
        ),
        (
            "AND of one",
            raw_claim(1, B256::ZERO, 0, vec![p.encode()], vec![]),
            3,
        ),
        (
            "NOT with a name",
            raw_claim(0, lt_name, 0, vec![p.encode()], vec![]),
            3,
        ),
        (
            "WITNESS without name",
            raw_claim(2, B256::ZERO, 0, vec![], vec![lit(word(1))]),
            3,
        ),
        (
            "WITNESS with a child",
            raw_claim(2, lt_name, 0, vec![p.encode()], vec![]),
            3,
        ),
        (
            "FORALL without body",
            raw_claim(3, Name::of("below").0, 0, vec![], vec![]),
            3,
        ),
        ("claim kind 5", raw_claim(5, lt_name, 0, vec![], vec![]), 2),
        (
            "term kind 4",
            raw_claim(
                2,
                lt_name,
                0,
                vec![],
                vec![SolTerm {
                    kind: 4,
                    index: 0,
                    path: vec![],
                    value: Default::default(),
                }],
            ),
            2,
        ),
        ("too deep", forall_chain(256).encode(), 10),
    ];
    // `index` (uint32) with bit 32 set.
    let mut wide = p.encode();
    wide[0x60 + 27] = 1;
    cases.push(("index ≥ 2^32", wide, 2));
    // Non-zero padding after a 1-byte literal.
    let mut dirty = witness_claim("eq", vec![vec![0xab], vec![0xab]]).encode();
    let at = dirty.len() - 31;
    assert_eq!(dirty[at - 1], 0xab);
    dirty[at + 3] = 1;
    cases.push(("dirty padding", dirty, 1));

    let bond = U256::from(BOND);
    for (what, enc, reason) in cases {
        assert!(Claim::decode(&enc).is_err(), "Rust accepts {what}");
        let data = UD::claimCall {
            enc: enc.clone().into(),
        }
        .abi_encode();
        let why = g.refused("MalformedClaim", |g| g.send(alice, bond, data));
        assert!(why.contains(&format!("reason: {reason} ")), "{what}: {why}");
        let why = view_reverts(&mut g.d, UD::claimIdCall { enc: enc.into() });
        assert!(why.contains(&format!("reason: {reason} ")), "{what}: {why}");
    }
    // The depth limit is exact, as in Rust: one level less is a valid claim.
    let deep = forall_chain(255);
    assert!(Claim::decode(&deep.encode()).is_ok());
    let id = view(
        &mut g.d,
        UD::claimIdCall {
            enc: deep.encode().into(),
        },
    );
    assert_eq!(id, deep.id());

    // A non-canonical counter-claim is not the counter-claim.
    let target = Claim::And(vec![p.clone(), lt(2, 3)]);
    g.claim(alice, &target).expect("claim");
    let counter = g.counter(&target, &conjunct(0));
    let data = UD::challengeCall {
        targetId: target.id(),
        targetEnc: target.encode().into(),
        how: args_of(&conjunct(0)),
        counterEnc: [counter.encode(), vec![0]].concat().into(),
        witness: Default::default(),
    }
    .abi_encode();
    let why = g.refused("CounterMismatch", |g| g.send(alice, bond, data));
    assert!(
        why.contains(&format!("expected: {:?}", counter.id())),
        "{why}"
    );
    g.check_bonds();
}

/// README, Bonds ("Every claim — a counter-claim is a claim — carries exactly
/// BOND"): 0, BOND − 1 and BOND + 1 are refused by `claim` and `challenge`.
#[test]
fn bad_wrong_bond() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let p = g.compile("lt(1, 2) and lt(3, 2)");
    let q = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &q).expect("claim");
    let counter = g.counter(&q, &conjunct(0));
    for sent in [0, BOND - 1, BOND + 1] {
        let data = UD::claimCall {
            enc: p.encode().into(),
        }
        .abi_encode();
        let why = g.refused("WrongBond", |g| g.send(alice, U256::from(sent), data));
        assert_eq!(
            why,
            format!("WrongBond(WrongBond {{ sent: {sent}, required: {BOND} }})")
        );
        let data = ogs::chain::dispute::calldata::challenge(&q, &conjunct(0), &counter, &[]);
        let why = g.refused("WrongBond", |g| g.send(bob, U256::from(sent), data));
        assert!(why.contains(&format!("sent: {sent},")), "{why}");
    }
    g.check_bonds();
}

/// README, Functions: every operation on an id that was never claimed.
#[test]
fn bad_unknown_claim() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    let not_p = p.clone().negate();
    let w = g.compile("lt(1, 2)");
    g.watch(&not_p);
    let id = p.id();
    let msg = format!("UnknownClaim(UnknownClaim {{ id: {id:?} }})");
    assert_eq!(g.refused("UnknownClaim", |g| g.timeout(alice, &p)), msg);
    g.refused("UnknownClaim", |g| g.by_witness(alice, &w, &[]));
    g.refused("UnknownClaim", |g| g.d.payout(alice, id));
    assert_eq!(g.refused("UnknownClaim", |g| g.by_negation(alice, &p)), msg);
    g.refused("UnknownClaim", |g| g.not_by_operand(alice, &not_p));
    assert_eq!(
        g.refused("UnknownClaim", |g| g.and_by_children(alice, &p)),
        msg
    );
    g.refused("UnknownClaim", |g| {
        g.not_by_challenge(alice, &not_p, &conjunct(0))
    });
    let c = g.counter(&p, &conjunct(0));
    assert_eq!(
        g.refused("UnknownClaim", |g| g.challenge(
            bob,
            &p,
            &conjunct(0),
            &c,
            &[]
        )),
        msg
    );
    // Links of unknown claims do not exist.
    g.refused("NoOpenLink", |g| {
        g.d.decide_by_contradiction(bob, id, c.id())
    });
    g.refused("NoOpenLink", |g| g.d.release(bob, id, c.id()));
    g.check_bonds();
}

/// SEMANTICS.md §2 ("the dispute contract accepts exactly these"): a challenge that
/// does not contradict its target is refused with the reason why.
#[test]
fn bad_challenge_that_does_not_contradict() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &p).expect("claim");
    let c0 = g.counter(&p, &conjunct(0));
    let c1 = g.counter(&p, &conjunct(1));
    // Wrong counter for the conjunct named.
    let why = g.refused("CounterMismatch", |g| {
        g.challenge(bob, &p, &conjunct(0), &c1, &[])
    });
    assert_eq!(
        why,
        format!(
            "CounterMismatch(CounterMismatch {{ expected: {:?}, given: {:?} }})",
            c0.id(),
            c1.id()
        )
    );
    // The conjunct itself (not its negation), and the target's negation.
    let first = g.compile("lt(1, 2)");
    g.refused("CounterMismatch", |g| {
        g.challenge(bob, &p, &conjunct(0), &first, &[])
    });
    let not_p = p.clone().negate();
    g.refused("CounterMismatch", |g| {
        g.challenge(bob, &p, &conjunct(0), &not_p, &[])
    });
    // Conjunct out of range.
    let why = g.refused("ConjunctOutOfRange", |g| {
        g.challenge(bob, &p, &conjunct(2), &c0, &[])
    });
    assert_eq!(
        why,
        "ConjunctOutOfRange(ConjunctOutOfRange { index: 2, count: 2 })"
    );
    let data = UD::challengeCall {
        targetId: p.id(),
        targetEnc: p.encode().into(),
        how: UD::ChallengeArgs {
            how: 1,
            index: U256::MAX,
            instance: Default::default(),
            proof: Default::default(),
            groups: vec![],
        },
        counterEnc: c0.encode().into(),
        witness: Default::default(),
    }
    .abi_encode();
    let bond = U256::from(BOND);
    g.refused("ConjunctOutOfRange", |g| g.send(bob, bond, data));
    // A challenge kind that does not fit the target.
    for h in [0u8, 2, 3, 7] {
        let how = How {
            how: h,
            instance: word(0),
            ..Default::default()
        };
        let why = g.refused("WrongChallengeKind", |g| {
            g.challenge(bob, &p, &how, &c0, &[])
        });
        assert_eq!(
            why,
            format!("WrongChallengeKind(WrongChallengeKind {{ kind: 1, how: {h} }})")
        );
    }
    // A witness where the counter-claim is not WITNESS_EXISTS.
    g.refused("UnexpectedWitness", |g| {
        g.challenge(bob, &p, &conjunct(0), &c0, &[1])
    });
    // WITNESS_EXISTS targets have no challenge at all.
    let w = g.compile("lt(2, 1)");
    g.claim(alice, &w).expect("claim");
    let not_w = w.clone().negate();
    g.refused("NoChallengeOfWitness", |g| {
        g.challenge(bob, &w, &operand(), &not_w, &[])
    });
    // A counter-claim already decided False cannot be linked.
    let t = g.compile("lt(3, 4) and lt(4, 5)");
    g.claim(alice, &t).expect("claim");
    let ct = g.counter(&t, &conjunct(0)); // NOT(lt(3, 4))
    g.claim(bob, &ct).expect("claim the false counter-claim");
    let l34 = g.compile("lt(3, 4)");
    g.challenge(alice, &ct, &operand(), &l34, &[])
        .expect("defeated");
    assert_eq!(g.status(&ct), Status::False);
    g.refused("CounterIsFalse", |g| {
        g.challenge(bob, &t, &conjunct(0), &ct, &[])
    });
    // Instance outside the domain (see also hole_quantifier_instance_is_checked_on_chain).
    let q = g.compile("forall i in below(3): lt(i, 3)");
    g.claim(alice, &q).expect("claim");
    let out = g.compile("not lt(5, 3)");
    g.refused("NotInDomain", |g| {
        g.challenge(bob, &q, &instance(word(5), vec![]), &out, &[])
    });
    // A CALL target whose group was stored at admission needs no group in the challenge: the
    // contract reads it from its data contract (the counter-claim still has to be the one).
    let call = g.compile("walk((2, 3))");
    g.claim(alice, &call).expect("claim");
    g.refused("CounterMismatch", |g| {
        g.challenge(bob, &call, &instance(word(0), vec![]), &out, &[])
    });
    let walk_counter = g.counter(&call, &instance(word(0), vec![]));
    g.challenge(bob, &call, &instance(word(0), vec![]), &walk_counter, &[])
        .expect("unfolded from the stored group");
    // A group too large to store must come with the challenge.
    let (gid, _) = g.p.defs["big"].recursive.expect("recursive");
    let big_group = g.p.groups[&gid].encoding.clone();
    assert!(big_group.len() > ogs::chain::dispute::GROUP_CODE_LIMIT);
    let big = g.compile("big(2)");
    g.claim(alice, &big).expect("claim");
    let why = g.refused("MissingGroup", |g| {
        g.challenge(bob, &big, &conjunct(1), &out, &[])
    });
    assert!(why.contains(&format!("{gid:?}")), "{why}");
    let with_group = How {
        groups: vec![big_group],
        ..conjunct(1)
    };
    let big_counter = g.counter(&big, &with_group);
    g.challenge(bob, &big, &with_group, &big_counter, &[])
        .expect("unfolded from the group passed");
    // A definition whose unfolding's only challenge is the call itself.
    let tpl = Claim::Not(Box::new(Claim::Call {
        group: B256::ZERO,
        index: 0,
        args: vec![],
    }));
    let (liar_group, liar_bytes) = encode_group(&[(0, &tpl)]);
    let liar = Claim::Call {
        group: liar_group,
        index: 0,
        args: vec![],
    };
    g.d.know_groups([liar_bytes.clone()]);
    g.claim(alice, &liar).expect("claim");
    let how = How {
        how: 0,
        groups: vec![liar_bytes],
        ..Default::default()
    };
    g.refused("SelfChallenge", |g| {
        g.challenge(bob, &liar, &how, &liar, &[])
    });
    g.check_bonds();
}

/// SEMANTICS.md §3 (by timeout: "once its dispute window has passed"): not before,
/// and never for WITNESS_EXISTS claims.
#[test]
fn bad_decision_before_window() {
    let mut g = Game::new();
    let alice = g.alice;
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &p).expect("claim");
    let deadline = g.d.chain.timestamp() + WINDOW;
    let msg = format!(
        "WindowOpen(WindowOpen {{ id: {:?}, deadline: {deadline} }})",
        p.id()
    );
    assert_eq!(g.refused("WindowOpen", |g| g.timeout(alice, &p)), msg);
    g.d.chain.advance(1, WINDOW - 1);
    assert_eq!(g.refused("WindowOpen", |g| g.timeout(alice, &p)), msg);
    g.d.chain.advance(1, 1);
    assert_eq!(g.refused("WindowOpen", |g| g.timeout(alice, &p)), msg);
    let w =
        g.compile("preimage(0x1111111111111111111111111111111111111111111111111111111111111111)");
    g.claim(alice, &w).expect("claim");
    g.d.chain.advance(1, 10 * WINDOW);
    g.refused("WitnessClaim", |g| g.timeout(alice, &w));
    g.timeout(alice, &p).expect("now it times out");
    g.check_bonds();
}

/// SEMANTICS.md §3 ("A NOT(WITNESS_EXISTS(V, a)) claim times out True unless the
/// witness was shown inside its window; after that the witness is refused"):
/// the witness of W after NOT(W)'s window, by every route.
#[test]
fn bad_witness_after_window() {
    let mut g = Game::new();
    let (alice, bob, carol) = (g.alice, g.bob, g.carol);
    let data = b"the preimage".to_vec();
    let h = keccak256(&data);
    let w = g.compile(&format!("preimage({h:#x})"));
    let not_w = w.clone().negate();
    g.watch(&not_w);
    g.claim(carol, &w).expect("claim W");
    g.claim(bob, &not_w).expect("claim NOT(W)");
    g.d.chain.advance(1, WINDOW + 1);
    let msg = format!(
        "WitnessRefused(WitnessRefused {{ id: {:?}, negationId: {:?} }})",
        w.id(),
        not_w.id()
    );
    assert_eq!(
        g.refused("WitnessRefused", |g| g.by_witness(carol, &w, &data)),
        msg
    );
    g.refused("WindowClosed", |g| {
        g.challenge(alice, &not_w, &operand(), &w, &data)
    });
    // Through a fresh target whose counter-claim is W.
    let t = g.compile(&format!("lt(1, 2) and not preimage({h:#x})"));
    g.claim(bob, &t).expect("claim t");
    assert_eq!(
        g.refused("WitnessRefused", |g| g.challenge(
            alice,
            &t,
            &conjunct(1),
            &w,
            &data
        )),
        msg
    );
    // NOT(W) times out True; W is closed as False, its bond to NOT(W)'s claimer.
    g.timeout(bob, &not_w).expect("NOT(W) True");
    g.refused("WitnessRefused", |g| g.by_witness(carol, &w, &data));
    g.by_negation(alice, &w).expect("W False");
    assert_eq!(g.status(&w), Status::False);
    g.d.payout(alice, w.id()).expect("payout");
    assert_eq!(g.d.credit(bob).expect("credit"), U256::from(BOND));
    // A second W-shaped claim of the same hash cannot come back either.
    g.refused("ClaimExists", |g| g.claim(alice, &w));
    g.check_bonds();
}

/// SEMANTICS.md §3 (by witness: `V.verify(a, w)`): forged witnesses never decide.
#[test]
fn bad_forged_witness() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let exit = g.exit(&update(5));
    g.claim(alice, &exit).expect("claim");
    let later = update(7);
    let how = instance(later.encode(), vec![]);
    let c7 = g.counter(&exit, &how);
    let real = [
        sign_update(&key(1), &later).to_vec(),
        sign_update(&key(2), &later).to_vec(),
    ];
    let mut high_s = real[1].clone();
    {
        // s -> n - s flips to the high-s twin of the same signature (and v).
        let n = U256::from_be_slice(
            &hex::decode("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")
                .expect("hex"),
        );
        let s = U256::from_be_slice(&high_s[32..64]);
        high_s[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
        high_s[64] ^= 1;
    }
    let mut bad_v = real[1].clone();
    bad_v[64] = 1; // 0/1 style v
    let mut flipped = real[1].clone();
    flipped[10] ^= 1;
    let forged: Vec<(&str, Vec<u8>)> = vec![
        ("signed by a stranger", sigs(&later, &[1, 3])),
        (
            "swapped order",
            encode_list(vec![real[1].clone(), real[0].clone()]),
        ),
        ("one missing", encode_list(vec![real[0].clone()])),
        (
            "one extra",
            encode_list(vec![real[0].clone(), real[1].clone(), real[1].clone()]),
        ),
        ("other update", sigs(&update(8), &[1, 2])),
        ("high s", encode_list(vec![real[0].clone(), high_s])),
        ("v = 1", encode_list(vec![real[0].clone(), bad_v])),
        ("bit flip", encode_list(vec![real[0].clone(), flipped])),
        (
            "truncated",
            encode_list(vec![real[0].clone(), real[1][..64].to_vec()]),
        ),
        ("not a list", [real[0].clone(), real[1].clone()].concat()),
        ("empty", vec![]),
    ];
    for (what, w) in &forged {
        let why = g.refused("InvalidWitness", |g| g.challenge(bob, &exit, &how, &c7, w));
        assert!(why.contains(&format!("{:?}", c7.id())), "{what}: {why}");
    }
    // signed_by and preimage through decideByWitness.
    let msg = B256::repeat_byte(0x42);
    let sb = g.compile(&format!("signed_by({msg:#x}, {:#x})", addr(1)));
    g.claim(alice, &sb).expect("claim");
    for w in [
        sign(&key(2), msg).to_vec(),
        sign(&key(1), B256::repeat_byte(0x43)).to_vec(),
        vec![],
    ] {
        g.refused("InvalidWitness", |g| g.by_witness(bob, &sb, &w));
    }
    let pre = g.compile(&format!("preimage({:#x})", keccak256(b"x")));
    g.claim(alice, &pre).expect("claim");
    g.refused("InvalidWitness", |g| g.by_witness(bob, &pre, b"y"));
    // Controls: the real witnesses work.
    g.by_witness(bob, &sb, &sign(&key(1), msg))
        .expect("real signature");
    g.by_witness(bob, &pre, b"x").expect("real preimage");
    g.challenge(bob, &exit, &how, &c7, &encode_list(real.to_vec()))
        .expect("real signatures");
    assert_eq!(g.status(&exit), Status::False);
    g.check_bonds();
}

/// SEMANTICS.md §1 ("V is a registered verifier", "Q is a registered quantifier",
/// "a call names an admitted group") and §4.6 (same answer on both sides). A
/// name the registry does not know would make a claim the chain cannot judge:
/// a FORALL over an unknown quantifier could never be challenged and would time
/// out True while the Rust evaluator answers `UnknownQuantifier`. So every name
/// a claim can reach is checked before the claim exists: its own WITNESS and
/// FORALL names (however deep), and its calls, whose groups must be admitted —
/// and admission checks the names in every definition body. Counter-claims are
/// built from those alone, so none can name an unknown verifier either.
#[test]
fn hole_unregistered_names_are_refused() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let ghost_v = Name::of("no_such_verifier");
    let ghost_q = Name::of("no_such_quantifier");
    let lt = witness_claim("lt", vec![word(2), word(1)]);
    let q = Claim::Forall {
        quantifier: ghost_q,
        args: vec![],
        body: Box::new(lt.clone()),
    };
    let evaluated =
        ogs::logic::Evaluator::new(&g.p.registry, &g.p, &ogs::logic::LocalInfo::new()).decide(&q);
    assert!(
        evaluated.is_err(),
        "Rust refuses to evaluate it: {evaluated:?}"
    );
    let unknown_q = format!(
        "UnknownQuantifier(UnknownQuantifier {{ name: {:?} }})",
        ghost_q.0
    );
    let unknown_v = format!(
        "UnknownVerifier(UnknownVerifier {{ name: {:?} }})",
        ghost_v.0
    );
    // At the top, under NOT, inside AND, in a registered quantifier's body.
    let w = Claim::Witness {
        verifier: ghost_v,
        args: vec![Term::Lit(word(1))],
    };
    assert_eq!(
        g.refused("UnknownQuantifier", |g| g.claim(alice, &q)),
        unknown_q
    );
    assert_eq!(
        g.refused("UnknownVerifier", |g| g.claim(alice, &w)),
        unknown_v
    );
    let not_w = w.clone().negate();
    assert_eq!(
        g.refused("UnknownVerifier", |g| g.claim(bob, &not_w)),
        unknown_v
    );
    let and = Claim::And(vec![lt.clone().negate(), q.clone()]);
    assert_eq!(
        g.refused("UnknownQuantifier", |g| g.claim(bob, &and)),
        unknown_q
    );
    let nested = Claim::Forall {
        quantifier: Name::of("below"),
        args: vec![Term::Lit(word(2))],
        body: Box::new(Claim::Not(Box::new(Claim::Witness {
            verifier: ghost_v,
            args: vec![Term::Var {
                index: 0,
                path: vec![],
            }],
        }))),
    };
    assert_eq!(
        g.refused("UnknownVerifier", |g| g.claim(bob, &nested)),
        unknown_v
    );
    // A call into a group that was never admitted.
    let walk = g.compile("walk((2, 3))");
    let Claim::Call { group, .. } = walk.clone() else {
        panic!("walk is a call")
    };
    let unknown_g = format!("UnknownGroup(UnknownGroup {{ group: {group:?} }})");
    let raw = ogs::chain::dispute::calldata::claim(&walk);
    assert_eq!(
        g.refused("UnknownGroup", |g| g.send(alice, U256::from(BOND), raw)),
        unknown_g
    );
    // Admission checks every definition body: a group naming an unknown quantifier is
    // refused, and so is one that calls a group not admitted yet.
    let ghost_body = Claim::Forall {
        quantifier: ghost_q,
        args: vec![Term::Param {
            index: 0,
            path: vec![],
        }],
        body: Box::new(lt.clone()),
    };
    let (_, ghost_group) = encode_group(&[(1, &ghost_body)]);
    assert_eq!(
        g.refused("UnknownQuantifier", |g| g.d.admit(alice, &ghost_group)),
        unknown_q
    );
    let call = Claim::Call {
        group,
        index: 0,
        args: vec![Term::Lit(word(1))],
    };
    let (_, caller) = encode_group(&[(0, &call)]);
    assert_eq!(
        g.refused("UnknownGroup", |g| g.d.admit(alice, &caller)),
        unknown_g
    );
    // Controls: the same shapes over registered names, and admitted groups, are accepted.
    let real_q = Claim::Forall {
        quantifier: Name::of("below"),
        args: vec![Term::Lit(word(0))],
        body: Box::new(lt.clone()),
    };
    g.claim(alice, &real_q).expect("registered quantifier");
    g.d.admit(alice, &g.p.groups[&group].encoding.clone())
        .expect("admit");
    assert!(g.d.is_admitted(group).expect("view"));
    g.d.admit(alice, &caller).expect("callee admitted first");
    g.claim(alice, &walk).expect("call into an admitted group");
    g.check_bonds();
}

/// README (`claim`: "id new"): a claim exists once, however it was created.
#[test]
fn bad_double_claims() {
    let mut g = Game::new();
    let (alice, bob, carol) = (g.alice, g.bob, g.carol);
    let p = g.compile("lt(1, 2) and lt(2, 3)");
    g.claim(alice, &p).expect("claim");
    let msg = format!("ClaimExists(ClaimExists {{ id: {:?} }})", p.id());
    assert_eq!(g.refused("ClaimExists", |g| g.claim(alice, &p)), msg);
    assert_eq!(g.refused("ClaimExists", |g| g.claim(bob, &p)), msg);
    // A counter-claim created by `challenge`.
    let c0 = g.counter(&p, &conjunct(0));
    g.challenge(bob, &p, &conjunct(0), &c0, &[])
        .expect("challenge");
    g.refused("ClaimExists", |g| g.claim(carol, &c0));
    // A WITNESS claim created True by a challenge's witness.
    let w = g.compile("lt(1, 2)");
    g.challenge(alice, &c0, &operand(), &w, &[])
        .expect("witness");
    assert_eq!(g.status(&w), Status::True);
    g.refused("ClaimExists", |g| g.claim(carol, &w));
    // Decided claims.
    g.d.chain.advance(1, WINDOW + 1);
    g.d.release(carol, p.id(), c0.id()).expect("release");
    g.timeout(carol, &p).expect("True");
    g.refused("ClaimExists", |g| g.claim(carol, &p));
    g.refused("ClaimExists", |g| g.claim(carol, &c0));
    g.check_bonds();
}

/// README, Bonds (pull pattern): nothing to withdraw is an error, and a
/// withdrawal empties the credit.
#[test]
fn bad_withdraw_with_nothing() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    g.refused("NothingToWithdraw", |g| g.d.withdraw(alice));
    let data = UD::withdrawToCall { to: bob }.abi_encode();
    g.refused("NothingToWithdraw", |g| g.send(alice, U256::ZERO, data));
    let w = g.compile("lt(1, 2)");
    g.claim(alice, &w).expect("claim");
    g.by_witness(alice, &w, &[]).expect("True");
    g.refused("NothingToWithdraw", |g| g.d.withdraw(alice)); // not paid out yet
    g.d.payout(bob, w.id()).expect("payout by anyone");
    g.refused("NothingToWithdraw", |g| g.d.withdraw(bob)); // credit is alice's
    let before = g.d.chain.balance(alice);
    g.d.withdraw(alice).expect("withdraw");
    assert_eq!(g.d.chain.balance(alice) - before, U256::from(BOND));
    g.refused("NothingToWithdraw", |g| g.d.withdraw(alice));
    assert_eq!(g.d.balance(), U256::ZERO);
    g.check_bonds();
}

/// README, Bonds ("`payout(id)` … once (PAID bit)"; "Nothing is ever paid
/// twice"): payout of an undecided claim, and a second payout, are refused.
#[test]
fn bad_payout_twice() {
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    let exit = g.exit(&update(5));
    g.claim(alice, &exit).expect("claim");
    let msg = format!("NotDecided(NotDecided {{ id: {:?} }})", exit.id());
    assert_eq!(g.refused("NotDecided", |g| g.d.payout(bob, exit.id())), msg);
    let how = instance(update(7).encode(), vec![]);
    let c7 = g.counter(&exit, &how);
    g.challenge(bob, &exit, &how, &c7, &sigs(&update(7), &[1, 2]))
        .expect("defeated");
    for id in [exit.id(), c7.id()] {
        g.d.payout(alice, id).expect("payout");
        let msg = format!("AlreadyPaid(AlreadyPaid {{ id: {id:?} }})");
        assert_eq!(g.refused("AlreadyPaid", |g| g.d.payout(alice, id)), msg);
        assert_eq!(g.refused("AlreadyPaid", |g| g.d.payout(bob, id)), msg);
    }
    // Both bonds went to bob (his witness claim, and the exit he defeated).
    assert_eq!(g.d.credit(bob).expect("credit"), U256::from(2 * BOND));
    assert_eq!(g.d.credit(alice).expect("credit"), U256::ZERO);
    g.check_bonds();
}

// ========================================================= consistency (§4.1)

/// Claims in play and every decision seen so far.
struct Watch {
    claims: Vec<Claim>,
    seen: HashMap<B256, Status>,
}

impl Watch {
    fn new(claims: &[&Claim]) -> Watch {
        Watch {
            claims: claims.iter().map(|c| (*c).clone()).collect(),
            seen: HashMap::new(),
        }
    }

    /// SEMANTICS.md §4.1: never P and NOT(P) both True; a decision never changes.
    fn check(&mut self, g: &mut Game, after: &str) {
        for c in &self.claims {
            let s = g.status(c);
            if let Some(prev @ (Status::True | Status::False)) = self.seen.get(&c.id()) {
                assert_eq!(s, *prev, "a decision changed after {after}");
            }
            self.seen.insert(c.id(), s);
            let n = c.clone().negate();
            if s == Status::True && self.claims.contains(&n) {
                assert_ne!(
                    g.status(&n),
                    Status::True,
                    "P and NOT(P) both True after {after}"
                );
            }
        }
    }

    /// Every decision anyone could ask for, in turn, each followed by a check.
    fn try_everything(
        &mut self,
        g: &mut Game,
        witnesses: &[(Claim, Vec<u8>)],
        hows: &[(Claim, How)],
    ) {
        let who = g.carol;
        let claims = self.claims.clone();
        for c in &claims {
            let _ = g.timeout(who, c);
            self.check(g, "decideByTimeout");
            let _ = g.by_negation(who, c);
            self.check(g, "decideByNegation");
            let _ = g.not_by_operand(who, c);
            self.check(g, "decideNotByOperand");
            let _ = g.and_by_children(who, c);
            self.check(g, "decideAndByChildren");
        }
        for t in &claims {
            for c in &claims {
                let _ = g.d.decide_by_contradiction(who, t.id(), c.id());
                self.check(g, "decideByContradiction");
                let _ = g.d.release(who, t.id(), c.id());
                self.check(g, "release");
            }
        }
        for (w, witness) in witnesses {
            let _ = g.by_witness(who, w, witness);
            self.check(g, "decideByWitness");
        }
        for (c, how) in hows {
            let _ = g.not_by_challenge(who, c, how);
            self.check(g, "decideNotByChallenge");
        }
    }

    /// Lets `rounds` half-windows pass, trying everything after each.
    fn play_out(
        &mut self,
        g: &mut Game,
        rounds: usize,
        witnesses: &[(Claim, Vec<u8>)],
        hows: &[(Claim, How)],
    ) {
        for _ in 0..rounds {
            g.d.chain.advance(1, WINDOW / 2 + 1);
            self.try_everything(g, witnesses, hows);
        }
    }
}

/// Pays out every decided claim and checks that the contract then holds
/// exactly the bonds of the undecided ones (SEMANTICS.md §4.5).
fn settle(g: &mut Game) {
    let who = g.carol;
    for id in g.ids.clone() {
        let _ = g.d.payout(who, id);
    }
    g.check_bonds();
    let mut undecided = 0u64;
    for id in g.ids.clone() {
        if g.d.status(id).expect("status") == Status::Undecided {
            undecided += 1;
        }
    }
    assert_eq!(
        g.d.bonds_held().expect("bonds"),
        U256::from(BOND * undecided)
    );
}

/// SEMANTICS.md §4.1 with independent claims: alice claims the true
/// `P = lt(1, 2) and lt(2, 3)`, bob claims `NOT(P)`, each either directly or
/// as the counter-claim of a challenge against another claim, in either
/// order, with gaps from 0 to past the first one's window (with or without
/// every possible decision attempted meanwhile), and nobody challenges
/// anything else. Whatever the schedule: never both True; `P` ends True unless
/// it came too late to be claimed, and then `NOT(P)` is True and `P` never
/// exists.
#[test]
fn consistency_independent_claims_of_p_and_not_p() {
    for p_first in [true, false] {
        for p_direct in [true, false] {
            for n_direct in [true, false] {
                for (gap, eager) in [
                    (0, true),
                    (WINDOW / 2, true),
                    (WINDOW, true),
                    (WINDOW + 1, true),
                    (WINDOW + 1, false),
                ] {
                    let schedule = format!(
                        "p_first {p_first}, p_direct {p_direct}, n_direct {n_direct}, gap {gap}, eager {eager}"
                    );
                    let mut g = Game::new();
                    let (alice, bob) = (g.alice, g.bob);
                    let p = g.compile("lt(1, 2) and lt(2, 3)");
                    let n = p.clone().negate();
                    g.watch(&n);
                    // P as the counter-claim of conjunct 1 of T = lt(5, 6) and NOT(P);
                    // NOT(P) as the counter-claim of instance 0 of T2 = forall i in below(1): P.
                    let t = g.compile("lt(5, 6) and not (lt(1, 2) and lt(2, 3))");
                    let t2 = g.compile("forall i in below(1): lt(1, 2) and lt(2, 3)");
                    assert_eq!(g.counter(&t, &conjunct(1)), p, "{schedule}");
                    let at0 = instance(word(0), vec![]);
                    assert_eq!(g.counter(&t2, &at0), n, "{schedule}");
                    let mut watch = Watch::new(&[&p, &n, &t, &t2]);
                    let hows = [(n.clone(), conjunct(0)), (n.clone(), conjunct(1))];

                    let make_p = |g: &mut Game| -> Out {
                        if p_direct {
                            g.claim(alice, &p)
                        } else {
                            g.claim(bob, &t)?;
                            g.challenge(alice, &t, &conjunct(1), &p, &[])
                        }
                    };
                    let make_n = |g: &mut Game| -> Out {
                        if n_direct {
                            g.claim(bob, &n)
                        } else {
                            g.claim(alice, &t2)?;
                            g.challenge(bob, &t2, &at0, &n, &[])
                        }
                    };
                    type Make<'a> = &'a dyn Fn(&mut Game) -> Out;
                    let (first, second): (Make, Make) = if p_first {
                        (&make_p, &make_n)
                    } else {
                        (&make_n, &make_p)
                    };
                    first(&mut g).unwrap_or_else(|e| panic!("{schedule}: {e}"));
                    watch.check(&mut g, "first claim");
                    g.d.chain.advance(1, gap);
                    if eager {
                        watch.try_everything(&mut g, &[], &hows);
                    }
                    // Past the first claim's window: if it was decided meanwhile
                    // the second is its negation of a True claim; if not, a late
                    // P cannot challenge NOT(P), while a late NOT(P) is simply
                    // held by P.
                    let late = gap > WINDOW;
                    let refused = match (late, eager, p_first) {
                        (false, _, _) | (true, false, true) => None,
                        (true, true, _) => Some("NegationIsTrue"),
                        (true, false, false) => Some("NegationPastWindow"),
                    };
                    match (second(&mut g), refused) {
                        (Ok(_), None) => {}
                        (Err(e), Some(why)) => {
                            assert!(e.to_string().contains(why), "{schedule}: {e}")
                        }
                        (r, _) => panic!("{schedule}: expected {refused:?}, got {r:?}"),
                    }
                    watch.check(&mut g, "second claim");
                    watch.play_out(&mut g, 8, &[], &hows);
                    match (refused.is_some(), p_first) {
                        (true, true) => {
                            assert_eq!(g.status(&p), Status::True, "{schedule}");
                            assert_eq!(g.status(&n), Status::None, "{schedule}");
                            g.refused("NegationIsTrue", |g| g.claim(bob, &n));
                        }
                        (true, false) => {
                            assert_eq!(g.status(&n), Status::True, "{schedule}");
                            assert_eq!(g.status(&p), Status::None, "{schedule}");
                            g.refused("NegationIsTrue", |g| g.claim(alice, &p));
                        }
                        (false, _) => {
                            assert_eq!(g.status(&p), Status::True, "{schedule}");
                            assert_eq!(g.status(&n), Status::False, "{schedule}");
                        }
                    }
                    settle(&mut g);
                }
            }
        }
    }
}

/// SEMANTICS.md §4.1 and §3 for a WITNESS_EXISTS `W = preimage(h)` and `NOT(W)`,
/// claimed independently in either order: the witness is shown never, inside
/// NOT(W)'s window, exactly at its deadline, or one second late — by
/// `decideByWitness` or by challenging `NOT(W)`. `W` ends True exactly when
/// the witness came in time, `NOT(W)` True otherwise; never both.
#[test]
fn consistency_independent_witness_claim_and_its_negation() {
    let data = b"opening".to_vec();
    let h = keccak256(&data);
    for w_first in [true, false] {
        for shown in [None, Some(1), Some(WINDOW), Some(WINDOW + 1)] {
            for by_challenge in [false, true] {
                let schedule =
                    format!("w_first {w_first}, shown {shown:?}, by_challenge {by_challenge}");
                let mut g = Game::new();
                let (alice, bob) = (g.alice, g.bob);
                let w = g.compile(&format!("preimage({h:#x})"));
                let n = w.clone().negate();
                g.watch(&n);
                let mut watch = Watch::new(&[&w, &n]);
                if w_first {
                    g.claim(alice, &w).expect("claim W");
                    g.d.chain.advance(1, WINDOW / 2);
                    g.claim(bob, &n).expect("claim NOT(W)");
                } else {
                    g.claim(bob, &n).expect("claim NOT(W)");
                    g.claim(alice, &w).expect("claim W");
                }
                let n_deadline = view(&mut g.d, UD::claimInfoCall { id: n.id() }).deadline;
                let start = g.d.chain.timestamp();
                watch.try_everything(&mut g, &[], &[]);
                let in_time = matches!(shown, Some(s) if start + s <= n_deadline);
                if let Some(s) = shown {
                    g.d.chain.advance(1, s);
                    let r = if by_challenge {
                        g.challenge(alice, &n, &operand(), &w, &data)
                    } else {
                        g.by_witness(alice, &w, &data)
                    };
                    watch.check(&mut g, "the witness");
                    match (in_time, r) {
                        (true, r) => {
                            r.unwrap_or_else(|e| panic!("{schedule}: {e}"));
                        }
                        (false, Ok(_)) => panic!("{schedule}: late witness accepted"),
                        (false, Err(e)) => {
                            let e = e.to_string();
                            assert!(
                                e.contains(if by_challenge {
                                    "WindowClosed"
                                } else {
                                    "WitnessRefused"
                                }),
                                "{schedule}: {e}"
                            );
                        }
                    }
                }
                // Once shown (in time or not), the witness is tried again and again.
                let again: Vec<(Claim, Vec<u8>)> = match shown {
                    Some(_) => vec![(w.clone(), data.clone())],
                    None => vec![],
                };
                watch.play_out(&mut g, 6, &again, &[]);
                if in_time {
                    assert_eq!(g.status(&w), Status::True, "{schedule}");
                    assert_eq!(g.status(&n), Status::False, "{schedule}");
                } else {
                    assert_eq!(g.status(&n), Status::True, "{schedule}");
                    assert_eq!(g.status(&w), Status::False, "{schedule}");
                }
                settle(&mut g);
            }
        }
    }
}

/// SEMANTICS.md §4.1 and §6 (state channel exit) with independent claims: alice
/// claims the exit with update 5, bob claims its negation ("some later update
/// is fully signed"), either order; bob holds update 7 fully signed and shows
/// it never, in the exit's window, or after it — or, with the exit never
/// claimed, uses it for the `NOT(UQ)` fast path. Never both True; the exit is
/// True exactly when update 7 was not shown in time.
#[test]
fn consistency_independent_channel_exit_and_its_negation() {
    let later = update(7);
    let witness = sigs(&later, &[1, 2]);
    for exit_first in [true, false] {
        for shown in [None, Some(1), Some(WINDOW + 2)] {
            for exit_claimed in [true, false] {
                let schedule = format!(
                    "exit_first {exit_first}, shown {shown:?}, exit_claimed {exit_claimed}"
                );
                let mut g = Game::new();
                let (alice, bob) = (g.alice, g.bob);
                let exit = g.exit(&update(5));
                let n = exit.clone().negate();
                g.watch(&n);
                let how = instance(later.encode(), vec![]);
                let c7 = g.counter(&exit, &how);
                let mut watch = Watch::new(&[&exit, &n, &c7]);
                let hows = [(n.clone(), how.clone())];
                let wits = [(c7.clone(), witness.clone())];
                if exit_first && exit_claimed {
                    g.claim(alice, &exit).expect("claim exit");
                }
                g.claim(bob, &n).expect("claim NOT(exit)");
                if !exit_first && exit_claimed {
                    g.claim(alice, &exit).expect("claim exit");
                }
                watch.try_everything(&mut g, &[], &hows);
                if let Some(s) = shown {
                    g.d.chain.advance(1, s);
                    let r = if exit_claimed {
                        g.challenge(bob, &exit, &how, &c7, &witness)
                    } else {
                        g.claim(bob, &c7)
                            .and_then(|_| g.by_witness(bob, &c7, &witness))
                    };
                    watch.check(&mut g, "update 7");
                    let in_time = s <= WINDOW;
                    match r {
                        Ok(_) => assert!(
                            in_time || !exit_claimed,
                            "{schedule}: late challenge accepted"
                        ),
                        Err(e) => {
                            assert!(exit_claimed && !in_time, "{schedule}: {e}");
                            assert!(e.to_string().contains("WindowClosed"), "{schedule}: {e}");
                        }
                    }
                }
                watch.play_out(&mut g, 6, &wits, &hows);
                let defeated = match shown {
                    Some(s) => s <= WINDOW || !exit_claimed,
                    None => false,
                };
                if exit_claimed {
                    let (t, f) = if defeated { (&n, &exit) } else { (&exit, &n) };
                    assert_eq!(g.status(t), Status::True, "{schedule}");
                    assert_eq!(g.status(f), Status::False, "{schedule}");
                } else {
                    // Unchallenged, NOT(exit) times out True (or is True at once by the fast path).
                    assert_eq!(g.status(&n), Status::True, "{schedule}");
                    g.refused("NegationIsTrue", |g| g.claim(alice, &exit));
                }
                settle(&mut g);
            }
        }
    }
}

/// Issue 11 §3 (no bond-locking cycles): `forall i in range(x, hi): r(i, hi)` reproduces
/// itself at `i = x`, so its counter-claim there is `NOT(r(x, hi))` — the target's own
/// negation. Accepted, the two would be each other's open challenge and neither could ever be
/// decided (both bonds locked). Two guards: the checker refuses the definition (the descent
/// rule: `range(x, hi)`'s elements are smaller than `hi`, not than `x`), and the contract —
/// which admits any group whose names are registered, checked or not — refuses the
/// self-reproducing counter-claim (`CircularChallenge`) of a group built by hand; the other
/// instances are ordinary challenges. The evaluator stops on the same claim with Unknown.
#[test]
fn hole_circular_challenge_is_refused() {
    let source = "def r(x: uint256, hi: uint256) := forall i in range(x, hi): r(i, hi);";
    let Err(refused) = check_source("cycle.ogs", source, &ogs::systems::standard()) else {
        panic!("the descent rule refuses it");
    };
    assert!(
        refused.render(false).contains("ogs::recursion"),
        "{}",
        refused.render(false)
    );
    // The same group, built by hand as an attacker would: r(x, hi) := UQ(range, (x, hi), i ⇒ r(i, hi)).
    let param = |index| Term::Param {
        index,
        path: vec![],
    };
    let template = Claim::Forall {
        quantifier: Name::of("range"),
        args: vec![param(0), param(1)],
        body: Box::new(Claim::Call {
            group: B256::ZERO,
            index: 0,
            args: vec![
                Term::Var {
                    index: 0,
                    path: vec![],
                },
                param(1),
            ],
        }),
    };
    let (gid, encoding) = encode_group(&[(2, &template)]);
    struct Hand(B256, Claim);
    impl ogs::logic::claim::Definitions for Hand {
        fn template(&self, group: B256, index: u32) -> Option<(&Claim, usize)> {
            (group == self.0 && index == 0).then_some((&self.1, 2))
        }
    }
    let defs = Hand(gid, template.clone());
    let r = |x: u64| Claim::Call {
        group: gid,
        index: 0,
        args: vec![Term::Lit(word(x)), Term::Lit(word(3))],
    };
    let mut g = Game::new();
    let (alice, bob) = (g.alice, g.bob);
    g.d.know_groups([encoding.clone()]);
    let root = r(1);
    g.claim(alice, &root).expect("claim");
    let how = |x: u64| How {
        how: 2,
        instance: word(x),
        groups: vec![encoding.clone()],
        ..Default::default()
    };
    let msg = format!(
        "CircularChallenge(CircularChallenge {{ id: {:?} }})",
        root.id()
    );
    let itself = root.clone().negate();
    assert_eq!(
        g.refused("CircularChallenge", |g| g.challenge(
            bob,
            &root,
            &how(1),
            &itself,
            &[]
        )),
        msg
    );
    // Another instance is an ordinary challenge.
    g.challenge(bob, &root, &how(2), &r(2).negate(), &[])
        .expect("i = 2 is a real instance");
    // The evaluator answers Unknown, never True or False, for the self-reproducing claim.
    let registry = ogs::systems::standard();
    let v =
        ogs::logic::Evaluator::new(&registry, &defs, &ogs::logic::LocalInfo::new()).decide(&root);
    assert!(
        matches!(v, Ok(ogs::logic::eval::Verdict::Unknown { .. })),
        "{v:?}"
    );
    g.check_bonds();
}
