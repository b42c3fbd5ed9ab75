//! Plasma exits and payout contracts, end to end on the in-process EVM (SEMANTICS.md §6).
//!
//! - the plasma predicate (`predicates/plasma.ogs`) with real k256 signatures:
//!   a valid exit times out True and `PlasmaChain` pays; a spent coin's exit is
//!   defeated by the spend signature (at once) and pays nothing; an exit with an
//!   invalid history is defeated; a transfer never included cannot exit;
//! - `ChannelPayout` pays per the balances of a True `signed_channel_exit` and
//!   refuses a False one; both contracts pay once;
//! - the new verifiers and quantifiers (`signed_value`, `included_value`,
//!   `plasma_included`, `later_transfers`, `earlier_transfers`) give the same
//!   answer in Rust and in Solidity, `false` on malformed input on both sides;
//! - the chain commitment the contract keeps equals the Rust one;
//! - the evaluator's verdict on plasma exits equals the on-chain decision when
//!   two parties play them out with `ogs::dispute::Arena` (scenarios and
//!   random histories, against an adversary posting every challenge it can).

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolConstructor, SolValue};
use k256::ecdsa::SigningKey;
use ogs::chain::dispute::{
    bytecode, revert_reason, Registry as RegistryContract, UniversalDispute,
};
use ogs::chain::{How, Receipt, Status};
use ogs::dispute::{how_of, Arena, Party};
use ogs::lang::{check_source, Program};
use ogs::logic::claim::Claim;
use ogs::logic::crypto::{address_of, merkle_proof, merkle_root, sign, signing_key};
use ogs::logic::eval::{ChallengeKind, Evaluator, Verdict};
use ogs::logic::registry::Registry;
use ogs::logic::value::{encode_list, Value};
use ogs::logic::LocalInfo;
use ogs::systems::channel::ChannelKnowledge;
use ogs::systems::channel::{channel_update, sign_update, update_type};
use ogs::systems::common::encode_merkle_witness;
use ogs::systems::plasma::plasma_transfer_type;
use ogs::systems::plasma::PlasmaKnowledge;
use ogs::systems::plasma::{
    encode_plasma_proof, plasma_block_root, plasma_header_leaf, sign_transfer, KnownTransfer,
    PlasmaChain as PlasmaInfo, Transfer,
};

use ogs::systems::channel::payout::ChannelPayout;
use ogs::systems::plasma::payout::{sol_transfer, PlasmaChain};
sol! {
    interface IVerifier {
        function verify(bytes[] args, bytes witness) external view returns (bool);
    }
    interface IQuantifier {
        function quantify(bytes[] args, bytes t, bytes proof) external view returns (bool);
    }
}

const BOND: u64 = 1_000_000_000_000_000; // 0.001 ether
const WINDOW: u64 = 3600;
const ETHER: u128 = 1_000_000_000_000_000_000;

// ================================================================== keys and parties

fn key(n: u8) -> SigningKey {
    signing_key(keccak256([n, 0x77]).as_slice()).expect("key")
}

fn addr(n: u8) -> Address {
    address_of(key(n).verifying_key())
}

const ALICE: u8 = 1;
const BOB: u8 = 2;
const CAROL: u8 = 3;
const MALLORY: u8 = 4;

fn name_of(n: u8) -> &'static str {
    match n {
        ALICE => "alice",
        BOB => "bob",
        CAROL => "carol",
        _ => "mallory",
    }
}

fn party(n: u8, info: LocalInfo) -> Party {
    Party {
        name: name_of(n).into(),
        address: addr(n),
        info,
    }
}

/// The predicate library as a program: `channel.ogs` (embedded) and `plasma.ogs`.
fn program() -> Program {
    let text = format!(
        "use \"channel.ogs\";\n{}",
        include_str!("../predicates/plasma.ogs")
    );
    check_source("plasma.ogs", &text, &ogs::systems::standard())
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

// ================================================================== the world

/// The dispute system, a `PlasmaChain` and a `ChannelPayout` on one chain, and
/// a mirror of every plasma block (what the operator publishes).
struct World<'p> {
    a: Arena<'p>,
    plasma: Address,
    payout: Address,
    operator: Address,
    blocks: Vec<Vec<KnownTransfer>>,
    /// Transfers signed but never included.
    withheld: Vec<KnownTransfer>,
    gas: Vec<(String, u64)>,
}

impl<'p> World<'p> {
    fn new(p: &'p Program) -> World<'p> {
        let mut a = Arena::new(p, U256::from(BOND), WINDOW).expect("deploys");
        let deployer = a.dispute_mut().deployer;
        let operator = Address::repeat_byte(0x0e);
        let mut code = bytecode("PlasmaChain").expect("artifact");
        code.extend(
            PlasmaChain::constructorCall {
                dispute: a.dispute_mut().address,
                operator,
            }
            .abi_encode(),
        );
        let (plasma, _) = a
            .dispute_mut()
            .chain
            .deploy(deployer, code.into(), U256::ZERO)
            .expect("PlasmaChain deploys");
        let mut code = bytecode("ChannelPayout").expect("artifact");
        code.extend(
            ChannelPayout::constructorCall {
                dispute: a.dispute_mut().address,
            }
            .abi_encode(),
        );
        let (payout, _) = a
            .dispute_mut()
            .chain
            .deploy(deployer, code.into(), U256::ZERO)
            .expect("ChannelPayout deploys");
        for n in [ALICE, BOB, CAROL, MALLORY] {
            a.dispute_mut()
                .chain
                .set_balance(addr(n), U256::from(1_000 * ETHER));
        }
        a.dispute_mut()
            .chain
            .set_balance(operator, U256::from(ETHER));
        World {
            a,
            plasma,
            payout,
            operator,
            blocks: Vec::new(),
            withheld: Vec::new(),
            gas: Vec::new(),
        }
    }

    fn send(&mut self, from: Address, to: Address, value: U256, data: Vec<u8>) -> Receipt {
        self.a
            .dispute_mut()
            .chain
            .send(from, to, value, data.into())
            .expect("evm")
    }

    fn view<C: SolCall>(&mut self, to: Address, call: C) -> C::Return {
        let r = self
            .a
            .dispute_mut()
            .chain
            .call(Address::ZERO, to, call.abi_encode().into())
            .expect("evm");
        assert!(r.success, "view {} reverted", C::SIGNATURE);
        C::abi_decode_returns(&r.output).expect("decodes")
    }

    fn note_gas(&mut self, what: &str, r: &Receipt) {
        self.gas.push((what.to_string(), r.gas_used));
    }

    fn balance(&mut self, who: Address) -> U256 {
        self.a.dispute_mut().chain.balance(who)
    }

    // ------------------------------------------------------------ plasma

    /// `owner` deposits `amount` wei: a new coin, whose deposit block the contract builds.
    fn deposit(&mut self, owner: u8, amount: u128) -> Transfer {
        let plasma = self.plasma;
        let r = self.send(
            addr(owner),
            plasma,
            U256::from(amount),
            PlasmaChain::depositCall {}.abi_encode(),
        );
        assert!(r.success, "deposit: {}", plasma_error(&r));
        self.note_gas("PlasmaChain.deposit", &r);
        let coin = U256::from(self.blocks.len() + 1);
        let t = Transfer {
            chain: plasma,
            coin,
            block: coin,
            sender: Address::ZERO,
            owner: addr(owner),
        };
        self.blocks.push(vec![KnownTransfer {
            transfer: t.clone(),
            signature: None,
        }]);
        t
    }

    /// The number the next block will get.
    fn next(&self) -> U256 {
        U256::from(self.blocks.len() + 1)
    }

    /// A transfer of `coin` in block `block` from `from` to `to`, signed by `signer` (or not).
    fn transfer(
        &self,
        coin: U256,
        block: U256,
        from: Address,
        to: Address,
        signer: Option<u8>,
    ) -> KnownTransfer {
        let t = Transfer {
            chain: self.plasma,
            coin,
            block,
            sender: from,
            owner: to,
        };
        let signature = signer.map(|k| sign_transfer(&key(k), &t).to_vec());
        KnownTransfer {
            transfer: t,
            signature,
        }
    }

    /// The operator commits a block of these transfers.
    fn commit(&mut self, transfers: Vec<KnownTransfer>) -> U256 {
        let n = self.next();
        for t in &transfers {
            assert_eq!(t.transfer.block, n, "a transfer names its block");
        }
        let ts: Vec<Transfer> = transfers.iter().map(|t| t.transfer.clone()).collect();
        let root = plasma_block_root(&ts);
        let (operator, plasma) = (self.operator, self.plasma);
        let r = self.send(
            operator,
            plasma,
            U256::ZERO,
            PlasmaChain::commitBlockCall { root }.abi_encode(),
        );
        assert!(r.success, "commitBlock: {}", plasma_error(&r));
        self.note_gas("PlasmaChain.commitBlock", &r);
        self.blocks.push(transfers);
        n
    }

    fn mirror(&self, complete: bool) -> PlasmaInfo {
        PlasmaInfo::new(
            self.plasma,
            self.blocks.clone(),
            self.withheld.clone(),
            complete,
        )
        .expect("consistent")
    }

    /// What the honest users know together: every block, every signature
    /// they made (they are `own`), and the withheld transfers.
    fn info(&self, own: &[u8]) -> LocalInfo {
        let mut info = LocalInfo::new();
        for n in own {
            info.add_own(addr(*n));
        }
        info.add_plasma_chain(self.mirror(true));
        info
    }

    /// The chain commitment after block `n`, on chain; checked against the mirror.
    fn commitment(&mut self, n: U256) -> B256 {
        let plasma = self.plasma;
        let on_chain = self.view(plasma, PlasmaChain::commitmentAtCall(n));
        let mirror = self.mirror(true).chain_root(n.to::<usize>());
        assert_eq!(Some(on_chain), mirror, "commitment after block {n}");
        on_chain
    }

    /// Starts the exit of `t` (by its owner) if not yet started, and returns the compiled claim
    /// `plasma_exit(t, commitment after t.block, commitment when started)`, checked against the
    /// encoding the contract rebuilds.
    fn exit_claim(&mut self, t: &Transfer) -> Claim {
        let plasma = self.plasma;
        let mut at = self.view(plasma, PlasmaChain::exitStartedAtCall(t.digest()));
        if at.is_zero() {
            let r = self.send(
                t.owner,
                plasma,
                U256::ZERO,
                PlasmaChain::startExitCall { t: sol_transfer(t) }.abi_encode(),
            );
            assert!(r.success, "startExit: {}", plasma_error(&r));
            self.note_gas("PlasmaChain.startExit", &r);
            at = self.view(plasma, PlasmaChain::exitStartedAtCall(t.digest()));
        }
        let c = self.commitment(t.block);
        let now = self.commitment(at);
        let text = format!(
            "plasma_exit({}, {c:#x}, {now:#x})",
            t.value().display(Some(&plasma_transfer_type()))
        );
        let claim = self
            .a
            .program()
            .compile_claim(&text)
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        let rebuilt = self.view(plasma, PlasmaChain::exitClaimCall { t: sol_transfer(t) });
        assert_eq!(
            rebuilt.to_vec(),
            claim.encode(),
            "PlasmaChain rebuilds the compiled claim"
        );
        claim
    }

    fn finalize(&mut self, from: u8, t: &Transfer) -> Receipt {
        let plasma = self.plasma;
        self.send(
            addr(from),
            plasma,
            U256::ZERO,
            PlasmaChain::finalizeExitCall { t: sol_transfer(t) }.abi_encode(),
        )
    }

    /// `NOT(UQ)` decided True at once from a True instance counter-claim.
    fn not_by_challenge(&mut self, from: Address, c: &Claim, h: &How) -> Receipt {
        let data = UniversalDispute::decideNotByChallengeCall {
            enc: c.encode().into(),
            how: UniversalDispute::ChallengeArgs {
                how: h.how,
                index: U256::from(h.index),
                instance: h.instance.clone().into(),
                proof: h.proof.clone().into(),
                groups: vec![],
            },
        }
        .abi_encode();
        let to = self.a.dispute_mut().address;
        self.send(from, to, U256::ZERO, data)
    }
}

fn plasma_error(r: &Receipt) -> String {
    if r.success {
        return "ok".into();
    }
    if let Ok(e) = PlasmaChain::PlasmaChainErrors::abi_decode(&r.output) {
        return format!("{e:?}");
    }
    if let Ok(e) = ChannelPayout::ChannelPayoutErrors::abi_decode(&r.output) {
        return format!("{e:?}");
    }
    revert_reason(&r.output)
}

use alloy_sol_types::SolInterface;

// ================================================================== playing disputes

/// The adversary throws every challenge it can at every claim the honest side believes True.
fn adversary_moves(a: &mut Arena, adversary: &Party, honest: &LocalInfo) -> bool {
    !ogs::dispute::strategy::attack_believed_true(a, adversary, honest).is_empty()
}

/// Plays `claim` out: `claimer` claims it; `honest` answers with its evaluator and
/// `adversary` both answers with its own and throws every challenge it can at what
/// `honest` believes True; one window passes; everything settles. Returns the
/// decision and checks that every move of the honest side was accepted.
fn play(
    w: &mut World,
    claim: &Claim,
    claimer_is_honest: bool,
    honest: &Party,
    adversary: &Party,
) -> Status {
    let claimer = if claimer_is_honest { honest } else { adversary };
    let r = w.a.claim(claimer, claim).expect("claim accepted");
    w.note_gas("UniversalDispute.claim(plasma_exit)", &r);
    loop {
        let moved = w.a.respond(honest)
            | w.a.respond(adversary)
            | adversary_moves(&mut w.a, adversary, &honest.info);
        if !moved {
            break;
        }
    }
    for e in w.a.log() {
        if e.actor == honest.name {
            assert_eq!(e.outcome, "ok", "the contract refused {}", e.call);
        }
    }
    w.a.wait(WINDOW + 1);
    w.a.settle(honest);
    assert_eq!(
        w.a.dispute_mut().balance(),
        w.a.dispute_mut().bonds_held().expect("view")
            + w.a.dispute_mut().total_credited().expect("view"),
        "no value lost"
    );
    w.a.status(claim)
}

/// The evaluator's verdict with `info` (True / False; Unknown fails the test).
fn verdict(p: &Program, info: &LocalInfo, claim: &Claim) -> Status {
    match Evaluator::new(&p.registry, p, info)
        .decide(claim)
        .expect("evaluates")
    {
        Verdict::True(_) => Status::True,
        Verdict::False { .. } => Status::False,
        Verdict::Unknown(m) => panic!("unknown: {m:?}"),
    }
}

/// Decides `t`'s exit off-chain with the honest users' knowledge, plays it on
/// chain (claimed by the side the verdict favours), and checks both agree.
fn exit_agrees(w: &mut World, t: &Transfer, honest_users: &[u8]) -> Status {
    let claim = w.exit_claim(t);
    let info = w.info(honest_users);
    let expected = verdict(w.a.program(), &info, &claim);
    let honest = Party {
        name: "honest".into(),
        address: addr(honest_users[0]),
        info,
    };
    let adversary = Party {
        name: "adversary".into(),
        address: addr(MALLORY),
        info: LocalInfo::new(),
    };
    let got = play(w, &claim, expected == Status::True, &honest, &adversary);
    let transcript = w.a.render(&claim);
    assert_eq!(got, expected, "evaluator and chain disagree\n{transcript}");
    got
}

// ================================================================== plasma exits and payouts

/// Alice deposits, pays Bob in block 3; Bob's exit times out True and the
/// contract pays him the coin, once; Alice's stale exit is refused.
#[test]
fn valid_exit_times_out_true_and_pays_once() {
    let p = program();
    let mut w = World::new(&p);
    let d = w.deposit(ALICE, 3 * ETHER);
    w.deposit(BOB, ETHER); // another coin, block 2
    let n = w.next();
    let t = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
    w.commit(vec![t.clone()]);
    let t = t.transfer;
    let claim = w.exit_claim(&t);
    eprintln!("plasma exit claim: {} bytes", claim.encode().len());
    let bob = party(BOB, w.info(&[ALICE, BOB]));
    assert_eq!(verdict(&p, &bob.info, &claim), Status::True);
    let r = w.a.claim(&bob, &claim).expect("claim");
    w.note_gas("UniversalDispute.claim(plasma_exit)", &r);
    // Nothing is paid while the claim is undecided.
    let early = w.finalize(BOB, &t);
    assert!(!early.success);
    assert!(
        plasma_error(&early).contains("ExitNotTrue"),
        "{}",
        plasma_error(&early)
    );
    assert!(w
        .a
        .dispute_mut()
        .decide_by_timeout(addr(BOB), claim.id())
        .is_err());
    w.a.wait(WINDOW + 1);
    let r =
        w.a.dispute_mut()
            .decide_by_timeout(addr(BOB), claim.id())
            .expect("timeout");
    w.note_gas("UniversalDispute.decideByTimeout(plasma_exit)", &r);
    assert_eq!(w.a.status(&claim), Status::True);
    // A transfer naming another chain is refused.
    let mut other = t.clone();
    other.chain = Address::repeat_byte(0x99);
    assert!(plasma_error(&w.finalize(CAROL, &other)).contains("WrongChain"));
    // Anyone may finalize; the coin goes to its owner.
    let before = w.balance(addr(BOB));
    let r = w.finalize(CAROL, &t);
    assert!(r.success, "{}", plasma_error(&r));
    w.note_gas("PlasmaChain.finalizeExit", &r);
    assert_eq!(w.balance(addr(BOB)) - before, U256::from(3 * ETHER));
    let plasma = w.plasma;
    let coin = w.view(plasma, PlasmaChain::coinOfCall { coin: d.coin });
    assert_eq!((coin.amount, coin.exited), (U256::from(3 * ETHER), true));
    // Never twice.
    let again = w.finalize(BOB, &t);
    assert!(
        plasma_error(&again).contains("AlreadyExited"),
        "{}",
        plasma_error(&again)
    );
    assert_eq!(
        w.balance(plasma),
        U256::from(ETHER),
        "Bob's own coin is still there"
    );
    // Alice's exit of her deposit is False (she signed the spend); it pays nothing.
    let stale = w.exit_claim(&d);
    let alice_info = w.info(&[ALICE, BOB]);
    assert_eq!(verdict(&p, &alice_info, &stale), Status::False);
    let r = w.finalize(ALICE, &d);
    assert!(!r.success);
    for (what, gas) in &w.gas {
        eprintln!("gas {what}: {gas}");
    }
}

/// Alice pays Bob, then exits her deposit anyway: Bob shows her spend signature and its
/// inclusion, and the exit is False in the same block — no window passes — and pays nothing.
#[test]
fn spent_coin_exit_is_defeated_at_once_by_the_spend_signature() {
    let p = program();
    let mut w = World::new(&p);
    let d = w.deposit(ALICE, 2 * ETHER);
    let n = w.next();
    let spend = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
    w.commit(vec![spend.clone()]);
    let exit = w.exit_claim(&d);
    let alice = party(ALICE, LocalInfo::new());
    w.a.claim(&alice, &exit).expect("claim");

    // Bob's evaluator: False, by the `unspent` conjunct at the spend.
    let bob = party(BOB, w.info(&[BOB]));
    let Ok(Verdict::False { challenge, .. }) =
        Evaluator::new(&p.registry, &p, &bob.info).decide(&exit)
    else {
        panic!("Bob's evaluator says the exit is False")
    };
    assert_eq!(challenge.kind, ChallengeKind::AndChild { index: 2 });
    let not_unspent = challenge.counter.clone();
    let Claim::Not(unspent) = &not_unspent else {
        panic!("the counter-claim is NOT(unspent)")
    };
    let Claim::Forall { body, .. } = &**unspent else {
        panic!("unspent is a forall")
    };
    let t0 = w.a.dispute_mut().chain.timestamp();
    let r =
        w.a.challenge(&bob, &exit, &how_of(&challenge.kind), &not_unspent, b"")
            .expect("challenge");
    w.note_gas("challenge plasma exit with NOT(unspent)", &r);
    // The included spend: `signed_value(spend, alice) and plasma_included(now, spend)`, True
    // once both witnesses are shown.
    let given = Claim::instantiate(body, &spend.transfer.encode())
        .expect("instantiates")
        .negate();
    let Claim::And(parts) = &given else {
        panic!("the spend is signed AND included: {given:?}")
    };
    let sig = spend.signature.clone().expect("signed");
    let plasma = w.plasma;
    let now = w.view(plasma, PlasmaChain::exitStartedAtCall(d.digest()));
    let proof = w
        .mirror(true)
        .inclusion_proof(now.to::<usize>(), &spend.transfer)
        .expect("included by now");
    for (part, witness, what) in [
        (&parts[0], sig, "signed_value"),
        (&parts[1], proof, "plasma_included"),
    ] {
        let r = w.a.claim(&bob, part).expect("claim a part of the spend");
        w.note_gas(&format!("claim {what}(spend, …)"), &r);
        let r =
            w.a.dispute_mut()
                .decide_by_witness(addr(BOB), part, &witness)
                .expect("witness");
        w.note_gas(&format!("decideByWitness({what})"), &r);
    }
    let r = w.a.claim(&bob, &given).expect("claim the spend");
    w.note_gas("claim signed AND included", &r);
    if w.a.status(&given) != Status::True {
        let to = w.a.dispute_mut().address;
        let r = w.send(
            addr(BOB),
            to,
            U256::ZERO,
            UniversalDispute::decideAndByChildrenCall {
                enc: given.encode().into(),
            }
            .abi_encode(),
        );
        assert!(r.success, "{}", revert_reason(&r.output));
        w.note_gas("decideAndByChildren(spend)", &r);
    }
    // NOT(unspent) is True at once (its instance counter-claim is True), and the exit is False.
    let how = How {
        how: 2,
        instance: spend.transfer.encode(),
        ..How::default()
    };
    let r = w.not_by_challenge(addr(BOB), &not_unspent, &how);
    assert!(r.success, "{}", revert_reason(&r.output));
    w.note_gas("decideNotByChallenge(NOT(unspent))", &r);
    let r =
        w.a.dispute_mut()
            .decide_by_contradiction(addr(BOB), exit.id(), not_unspent.id())
            .expect("contradiction");
    w.note_gas("decideByContradiction(exit)", &r);
    assert_eq!(w.a.status(&exit), Status::False);
    assert_eq!(w.a.dispute_mut().chain.timestamp(), t0, "no time passed");
    let r = w.finalize(ALICE, &d);
    assert!(
        plasma_error(&r).contains("ExitNotTrue"),
        "{}",
        plasma_error(&r)
    );
    let plasma = w.plasma;
    assert_eq!(w.balance(plasma), U256::from(2 * ETHER), "nothing paid");
    // Bob's own exit of the spend wins and is paid.
    assert_eq!(
        exit_agrees(&mut w, &spend.transfer, &[BOB, ALICE]),
        Status::True
    );
    let before = w.balance(addr(BOB));
    assert!(w.finalize(BOB, &spend.transfer).success);
    assert_eq!(w.balance(addr(BOB)) - before, U256::from(2 * ETHER));
    for (what, gas) in &w.gas {
        eprintln!("gas {what}: {gas}");
    }
}

/// The operator includes a transfer of Alice's coin to Mallory that Alice never
/// signed. Mallory's exit is defeated through the invalid-history challenge
/// (Alice's deposit is an earlier included transfer nobody spent with her
/// signature); Alice's own exit of her deposit still wins.
#[test]
fn invalid_history_exit_is_defeated() {
    let p = program();
    let mut w = World::new(&p);
    let d = w.deposit(ALICE, 5 * ETHER);
    let n = w.next();
    let forged = w.transfer(d.coin, n, addr(ALICE), addr(MALLORY), None);
    w.commit(vec![forged.clone()]);
    let exit = w.exit_claim(&forged.transfer);
    // Alice's evaluator: False, by `valid_history`, at her deposit.
    let alice = party(ALICE, w.info(&[ALICE]));
    let Ok(Verdict::False { challenge, .. }) =
        Evaluator::new(&p.registry, &p, &alice.info).decide(&exit)
    else {
        panic!("False")
    };
    assert_eq!(challenge.kind, ChallengeKind::AndChild { index: 3 });
    let mallory = party(MALLORY, w.info(&[MALLORY]));
    w.a.claim(&mallory, &exit).expect("claim");
    loop {
        let moved = w.a.respond(&alice)
            | w.a.respond(&mallory)
            | adversary_moves(&mut w.a, &mallory, &alice.info);
        if !moved {
            break;
        }
    }
    w.a.wait(WINDOW + 1);
    w.a.settle(&alice);
    let transcript = w.a.render(&exit);
    assert_eq!(w.a.status(&exit), Status::False, "{transcript}");
    // The invalid-history challenge is on record and won: `not spent_by(deposit, …)`,
    // the instance of `earlier_transfers` at Alice's deposit, shown with its inclusion proof.
    let Claim::And(parts) = &exit else {
        panic!("the exit is an AND")
    };
    let Claim::Forall { body, .. } = &parts[3] else {
        panic!("valid_history is a forall")
    };
    let history_challenge = Claim::instantiate(body, &d.encode())
        .expect("instantiates")
        .negate();
    assert_eq!(w.a.status(&history_challenge), Status::True, "{transcript}");
    assert!(plasma_error(&w.finalize(MALLORY, &forged.transfer)).contains("ExitNotTrue"));
    // Alice exits her deposit: True, paid.
    assert_eq!(exit_agrees(&mut w, &d, &[ALICE]), Status::True);
    let before = w.balance(addr(ALICE));
    assert!(w.finalize(ALICE, &d).success);
    assert_eq!(w.balance(addr(ALICE)) - before, U256::from(5 * ETHER));
    // Mallory's exit cannot be finalized after the coin was paid either.
    assert!(plasma_error(&w.finalize(MALLORY, &forged.transfer)).contains("AlreadyExited"));
}

/// Bob holds Alice's signed transfer, but the operator never included it: Bob's
/// exit is defeated (`plasma_included` has no witness), and pays nothing. An exit
/// of a block that was never committed is refused outright.
#[test]
fn exit_of_a_transfer_never_included_fails() {
    let p = program();
    let mut w = World::new(&p);
    let d = w.deposit(ALICE, ETHER);
    let n = w.next();
    let t = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
    w.withheld.push(t.clone());
    w.commit(vec![]); // block 2 is empty
    let exit = w.exit_claim(&t.transfer);
    let status = exit_agrees(&mut w, &t.transfer, &[BOB, ALICE]);
    assert_eq!(status, Status::False);
    assert!(plasma_error(&w.finalize(BOB, &t.transfer)).contains("ExitNotTrue"));
    assert_eq!(w.a.status(&exit), Status::False);
    // Block 3 does not exist yet.
    let later = w.transfer(d.coin, U256::from(3), addr(ALICE), addr(BOB), Some(ALICE));
    assert!(plasma_error(&w.finalize(BOB, &later.transfer)).contains("UnknownBlock"));
    // A "coin" that was never deposited: block 2 is an operator block.
    let mut fake = later.transfer.clone();
    fake.coin = U256::from(2);
    fake.block = U256::from(2);
    assert!(plasma_error(&w.finalize(BOB, &fake)).contains("NotACoin"));
    let plasma = w.plasma;
    assert_eq!(w.balance(plasma), U256::from(ETHER));
}

// ================================================================== channel payout

/// Participants fund a channel; the exit with the latest fully signed update is
/// True and pays per its balances, once; an exit with a stale update is False
/// and refused; balances that do not match the funds are refused.
#[test]
fn channel_payout_pays_per_the_true_exit_once() {
    let p = program();
    let mut w = World::new(&p);
    let payout = w.payout;
    let ps = vec![addr(ALICE), addr(BOB)];
    let salt = B256::repeat_byte(0x5a);
    let r = w.send(
        addr(ALICE),
        payout,
        U256::ZERO,
        ChannelPayout::openCall {
            participants: ps.clone(),
            salt,
        }
        .abi_encode(),
    );
    assert!(r.success, "{}", plasma_error(&r));
    w.note_gas("ChannelPayout.open", &r);
    let id = w.view(
        payout,
        ChannelPayout::channelIdCall {
            participants: ps.clone(),
            salt,
        },
    );
    assert_eq!(
        id,
        keccak256((payout, ps.clone(), salt).abi_encode_params()),
        "channel id = keccak256(abi.encode(this, participants, salt))"
    );
    for (who, amount) in [(ALICE, 3 * ETHER), (BOB, 2 * ETHER)] {
        let r = w.send(
            addr(who),
            payout,
            U256::from(amount),
            ChannelPayout::depositCall { channel: id }.abi_encode(),
        );
        assert!(r.success, "{}", plasma_error(&r));
        w.note_gas("ChannelPayout.deposit", &r);
    }
    // Update 5: 3/2; update 6: 1/4. Both fully signed; Bob holds 6.
    let update = |nonce: u64, balances: &[u128]| {
        let bs: Vec<U256> = balances.iter().map(|b| U256::from(*b)).collect();
        let state = keccak256(bs.abi_encode());
        channel_update(id, U256::from(nonce), state, &ps)
    };
    let u5 = update(5, &[3 * ETHER, 2 * ETHER]);
    let u6 = update(6, &[ETHER, 4 * ETHER]);
    let balances = |b: &[u128]| b.iter().map(|x| U256::from(*x)).collect::<Vec<_>>();
    let b5 = balances(&[3 * ETHER, 2 * ETHER]);
    let b6 = balances(&[ETHER, 4 * ETHER]);
    let enc = w.view(
        payout,
        ChannelPayout::updateEncodingCall {
            channel: id,
            nonce: U256::from(6),
            balances: b6.clone(),
        },
    );
    assert_eq!(
        enc.to_vec(),
        u6.encode(),
        "the contract encodes updates as Rust does"
    );
    let known = |u: &Value, nonce: u64| ogs::systems::channel::KnownUpdate {
        nonce: U256::from(nonce),
        value: u.clone(),
        signatures: [ALICE, BOB]
            .iter()
            .map(|k| Some(sign_update(&key(*k), u).to_vec()))
            .collect(),
    };
    let mut info = LocalInfo::new();
    info.add_own(addr(ALICE));
    info.add_own(addr(BOB));
    info.set_channel(
        id,
        ogs::systems::channel::ChannelInfo {
            participants: ps.clone(),
            complete: true,
            updates: vec![known(&u5, 5), known(&u6, 6)],
        },
    );
    let claim_of = |u: &Value| {
        p.compile_claim(&format!(
            "signed_channel_exit({})",
            u.display(Some(&update_type()))
        ))
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
    };
    let (stale, latest) = (claim_of(&u5), claim_of(&u6));
    for (u, b, c) in [(5u64, &b5, &stale), (6, &b6, &latest)] {
        let rebuilt = w.view(
            payout,
            ChannelPayout::exitClaimCall {
                channel: id,
                nonce: U256::from(u),
                balances: b.clone(),
            },
        );
        assert_eq!(
            rebuilt.to_vec(),
            c.encode(),
            "ChannelPayout rebuilds the compiled claim"
        );
    }
    let settle = |w: &mut World, nonce: u64, b: &Vec<U256>| {
        w.send(
            addr(CAROL),
            payout,
            U256::ZERO,
            ChannelPayout::settleCall {
                channel: id,
                nonce: U256::from(nonce),
                balances: b.clone(),
            }
            .abi_encode(),
        )
    };
    // Alice exits with the stale update; Bob (who knows update 6) defeats it.
    assert_eq!(verdict(&p, &info, &stale), Status::False);
    let honest = Party {
        name: "bob".into(),
        address: addr(BOB),
        info: info.clone(),
    };
    let alice = party(ALICE, LocalInfo::new());
    assert_eq!(play(&mut w, &stale, false, &honest, &alice), Status::False);
    let r = settle(&mut w, 5, &b5);
    assert!(
        plasma_error(&r).contains("ExitNotTrue"),
        "{}",
        plasma_error(&r)
    );
    // Bob exits with update 6: True; settle pays 1 to Alice and 4 to Bob.
    assert_eq!(verdict(&p, &info, &latest), Status::True);
    assert_eq!(play(&mut w, &latest, true, &honest, &alice), Status::True);
    let wrong = balances(&[2 * ETHER, 4 * ETHER]);
    assert!(plasma_error(&settle(&mut w, 6, &wrong)).contains("BalancesMismatch"));
    let r = settle(&mut w, 6, &b6);
    assert!(r.success, "{}", plasma_error(&r));
    w.note_gas("ChannelPayout.settle (2 participants)", &r);
    let again = settle(&mut w, 6, &b6);
    assert!(plasma_error(&again).contains("AlreadySettled"));
    assert!(plasma_error(&settle(&mut w, 5, &b5)).contains("AlreadySettled"));
    let late = w.send(
        addr(ALICE),
        payout,
        U256::from(1u64),
        ChannelPayout::depositCall { channel: id }.abi_encode(),
    );
    assert!(plasma_error(&late).contains("AlreadySettled"));
    for (who, expected) in [(ALICE, ETHER), (BOB, 4 * ETHER)] {
        let before = w.balance(addr(who));
        let r = w.send(
            addr(who),
            payout,
            U256::ZERO,
            ChannelPayout::withdrawCall {}.abi_encode(),
        );
        assert!(r.success, "{}", plasma_error(&r));
        w.note_gas("ChannelPayout.withdraw", &r);
        assert_eq!(w.balance(addr(who)) - before, U256::from(expected));
        let twice = w.send(
            addr(who),
            payout,
            U256::ZERO,
            ChannelPayout::withdrawCall {}.abi_encode(),
        );
        assert!(plasma_error(&twice).contains("NothingToWithdraw"));
    }
    assert_eq!(w.balance(payout), U256::ZERO);
    for (what, gas) in &w.gas {
        eprintln!("gas {what}: {gas}");
    }
}

// ================================================================== the commitment

/// The commitment `PlasmaChain` keeps incrementally after every block equals the
/// Merkle root (crypto.rs) of the block headers, and the Rust mirror's.
#[test]
fn chain_commitment_matches_rust_after_every_block() {
    let p = program();
    let mut w = World::new(&p);
    let mut headers = Vec::new();
    for i in 0..40u64 {
        if i % 5 == 0 {
            w.deposit(ALICE, 1);
        } else {
            let n = w.next();
            let t = w.transfer(U256::from(1), n, addr(ALICE), addr(BOB), Some(ALICE));
            let extra = w.transfer(U256::from(99), n, addr(BOB), addr(CAROL), None);
            w.commit(
                vec![t; (i % 3) as usize]
                    .into_iter()
                    .chain([extra])
                    .collect(),
            );
        }
        let n = w.blocks.len();
        let ts: Vec<Transfer> = w.blocks[n - 1].iter().map(|k| k.transfer.clone()).collect();
        headers.push(plasma_header_leaf(U256::from(n), plasma_block_root(&ts)));
        let c = w.commitment(U256::from(n));
        assert_eq!(c, merkle_root(&headers), "after block {n}");
    }
    let commit_gas: Vec<u64> = w
        .gas
        .iter()
        .filter(|(k, _)| k == "PlasmaChain.commitBlock")
        .map(|(_, g)| *g)
        .collect();
    eprintln!(
        "gas PlasmaChain.commitBlock over 40 blocks: min {} max {}",
        commit_gas.iter().min().expect("some"),
        commit_gas.iter().max().expect("some")
    );
    // Only the operator commits.
    let plasma = w.plasma;
    let r = w.send(
        addr(MALLORY),
        plasma,
        U256::ZERO,
        PlasmaChain::commitBlockCall { root: B256::ZERO }.abi_encode(),
    );
    assert!(plasma_error(&r).contains("NotOperator"));
    let r = w.send(
        addr(ALICE),
        plasma,
        U256::ZERO,
        PlasmaChain::depositCall {}.abi_encode(),
    );
    assert!(plasma_error(&r).contains("ZeroDeposit"));
}

// ================================================================== verifiers and quantifiers, both sides

/// Runs the new verifiers and quantifiers in Rust and on chain (the deployed,
/// registered contracts) and checks that both sides agree.
struct Both<'a, 'p> {
    w: &'a mut World<'p>,
    reg: Registry,
    contracts: Vec<(String, Address)>,
}

impl<'a, 'p> Both<'a, 'p> {
    fn new(w: &'a mut World<'p>) -> Self {
        let reg = w.a.program().registry.clone();
        let registry = w.a.dispute_mut().registry;
        let mut contracts = Vec::new();
        for (name, quantifier) in [
            ("signed_value", false),
            ("included_value", false),
            ("plasma_included", false),
            ("later_transfers", true),
            ("earlier_transfers", true),
        ] {
            let a = if quantifier {
                w.view(
                    registry,
                    RegistryContract::quantifierOfCall(keccak256(name)),
                )
            } else {
                w.view(registry, RegistryContract::verifierOfCall(keccak256(name)))
            };
            assert_ne!(a, Address::ZERO, "{name} is registered on chain");
            contracts.push((name.to_string(), a));
        }
        Both { w, reg, contracts }
    }

    fn at(&self, name: &str) -> Address {
        self.contracts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| *a)
            .expect("deployed")
    }

    /// `V.verify(args, witness)` on both sides; they agree, and equal `expected` if given.
    fn v(&mut self, name: &str, args: &[&[u8]], witness: &[u8], expected: Option<bool>) -> bool {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
        let rust = self
            .reg
            .verifier(name)
            .expect("registered")
            .verify(&args, witness);
        let to = self.at(name);
        let sol = self.w.view(
            to,
            IVerifier::verifyCall {
                args: args.iter().cloned().map(Into::into).collect(),
                witness: witness.to_vec().into(),
            },
        );
        assert_eq!(
            rust, sol,
            "{name}: Rust {rust}, Solidity {sol}, args {args:02x?}"
        );
        if let Some(e) = expected {
            assert_eq!(rust, e, "{name} on args {args:02x?}");
        }
        rust
    }

    /// `Q.quantify(args, t, proof)` on both sides; they agree, and equal `expected` if given.
    fn q(
        &mut self,
        name: &str,
        args: &[&[u8]],
        t: &[u8],
        proof: &[u8],
        expected: Option<bool>,
    ) -> bool {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
        let rust = self
            .reg
            .quantifier(name)
            .expect("registered")
            .quantify(&args, t, proof);
        let to = self.at(name);
        let sol = self.w.view(
            to,
            IQuantifier::quantifyCall {
                args: args.iter().cloned().map(Into::into).collect(),
                t: t.to_vec().into(),
                proof: proof.to_vec().into(),
            },
        );
        assert_eq!(
            rust, sol,
            "{name}: Rust {rust}, Solidity {sol}, args {args:02x?}"
        );
        if let Some(e) = expected {
            assert_eq!(rust, e, "{name} on args {args:02x?}");
        }
        rust
    }
}

/// Variants of a canonical encoding that are not canonical: empty, cut, extended,
/// a wrong leading offset or element count.
fn mangled(v: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![
        Vec::new(),
        v[..v.len() - 1].to_vec(),
        [v, &[0u8][..]].concat(),
        [v, &[0u8; 32][..]].concat(),
    ];
    if v.len() >= 64 {
        let mut a = v.to_vec();
        a[31] ^= 0x40;
        out.push(a);
        let mut b = v.to_vec();
        b[63] = b[63].wrapping_add(1);
        out.push(b);
    }
    out
}

/// `v` with the top byte of each 32-byte word flipped: a dirty address or
/// length word, or just another number. Both sides must agree on each.
fn flipped(v: &[u8]) -> Vec<Vec<u8>> {
    (0..v.len() / 32)
        .map(|w| {
            let mut c = v.to_vec();
            c[w * 32] ^= 0x01;
            c
        })
        .collect()
}

/// A canonical list encoding whose element `i` has a non-zero top byte (a dirty address).
fn dirty_field(v: &[u8], i: usize) -> Vec<u8> {
    let mut parts = ogs::logic::value::decode_list(v).expect("a list");
    parts[i][0] = 1;
    encode_list(parts)
}

#[test]
fn new_verifiers_and_quantifiers_agree_on_both_sides_and_refuse_malformed_input() {
    let p = program();
    let mut w = World::new(&p);
    // A chain: deposit (1), Alice → Bob (2, next to a stray transfer of another coin), Bob → Carol (3).
    let d = w.deposit(ALICE, ETHER);
    let n2 = w.next();
    let t2 = w.transfer(d.coin, n2, addr(ALICE), addr(BOB), Some(ALICE));
    let stray = w.transfer(
        U256::from(7),
        n2,
        addr(MALLORY),
        addr(MALLORY),
        Some(MALLORY),
    );
    w.commit(vec![stray.clone(), t2.clone()]);
    let n3 = w.next();
    let t3 = w.transfer(d.coin, n3, addr(BOB), addr(CAROL), Some(BOB));
    w.commit(vec![t3.clone()]);
    let c3 = w.commitment(n3).to_vec();
    let c2 = w.commitment(n2).to_vec();
    let mirror = w.mirror(true);
    let info = w.info(&[ALICE, BOB, CAROL]);
    let mut b = Both::new(&mut w);

    // ---------------------------------------------------------------- signed_value
    let (e2, e3, de) = (t2.transfer.encode(), t3.transfer.encode(), d.encode());
    let sig = t2.signature.clone().expect("signed");
    let alice = addr(ALICE).into_word().to_vec();
    let bob = addr(BOB).into_word().to_vec();
    b.v("signed_value", &[&e2, &alice], &sig, Some(true));
    b.v("signed_value", &[&e2, &bob], &sig, Some(false));
    b.v("signed_value", &[&e3, &alice], &sig, Some(false));
    // Any type: a uint256 value, a bytes value.
    let word = U256::from(42).to_be_bytes::<32>().to_vec();
    let s42 = sign(&key(ALICE), keccak256(&word));
    b.v("signed_value", &[&word, &alice], &s42, Some(true));
    let hi = sign(&key(ALICE), keccak256(b"hi"));
    b.v("signed_value", &[b"hi", &alice], &hi, Some(true));
    // The signature is over keccak256(value): a signature on the word itself does not count.
    let as_message = sign(&key(ALICE), B256::from_slice(&word));
    b.v("signed_value", &[&word, &alice], &as_message, Some(false));
    let mut dirty = alice.clone();
    dirty[0] = 1;
    b.v("signed_value", &[&e2, &dirty], &sig, Some(false));
    b.v("signed_value", &[&e2, &alice[1..]], &sig, Some(false));
    b.v("signed_value", &[&e2], &sig, Some(false));
    b.v("signed_value", &[], &sig, Some(false));
    for bad in mangled(&sig).iter().chain(&flipped(&sig)) {
        b.v("signed_value", &[&e2, &alice], bad, Some(false));
    }
    let mut v29 = sig.clone();
    v29[64] = 29;
    b.v("signed_value", &[&e2, &alice], &v29, Some(false));
    // High s (the malleable twin of a valid signature) is refused on both sides.
    let n = U256::from_str_radix(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
        16,
    )
    .expect("n");
    let mut high = sig.clone();
    high[32..64].copy_from_slice(&(n - U256::from_be_slice(&sig[32..64])).to_be_bytes::<32>());
    high[64] = if sig[64] == 27 { 28 } else { 27 };
    b.v("signed_value", &[&e2, &alice], &high, Some(false));

    // ---------------------------------------------------------------- included_value
    let leaves = vec![keccak256(&e2), keccak256(&word), B256::repeat_byte(3)];
    let root = merkle_root(&leaves).to_vec();
    let p0 = encode_merkle_witness(0, &merkle_proof(&leaves, 0).expect("proof"));
    let p1 = encode_merkle_witness(1, &merkle_proof(&leaves, 1).expect("proof"));
    b.v("included_value", &[&root, &e2], &p0, Some(true));
    b.v("included_value", &[&root, &word], &p1, Some(true));
    b.v("included_value", &[&root, &word], &p0, Some(false));
    b.v("included_value", &[&root, &e2], &p1, Some(false));
    // The leaf is the value's hash, not the value: the hash itself is not included.
    b.v(
        "included_value",
        &[&root, leaves[0].as_slice()],
        &p0,
        Some(false),
    );
    b.v("included_value", &[&root[..31], &e2], &p0, Some(false));
    b.v("included_value", &[&root], &p0, Some(false));
    for bad in mangled(&p0) {
        b.v("included_value", &[&root, &e2], &bad, Some(false));
    }
    for bad in flipped(&p0) {
        b.v("included_value", &[&root, &e2], &bad, None);
    }
    for bad in mangled(&e2).iter().chain(&flipped(&e2)) {
        b.v("included_value", &[&root, bad], &p0, Some(false));
    }

    // ---------------------------------------------------------------- plasma_included
    let w3 = mirror.inclusion_proof(3, &t3.transfer).expect("included");
    let w2 = mirror.inclusion_proof(3, &t2.transfer).expect("included");
    let w2_at2 = mirror.inclusion_proof(2, &t2.transfer).expect("included");
    b.v("plasma_included", &[&c3, &e3], &w3, Some(true));
    b.v("plasma_included", &[&c3, &e2], &w2, Some(true));
    b.v("plasma_included", &[&c2, &e2], &w2_at2, Some(true));
    // Under another commitment, with another transfer's proof, moved to another block: no.
    b.v("plasma_included", &[&c2, &e2], &w2, Some(false));
    b.v("plasma_included", &[&c3, &e2], &w3, Some(false));
    let mut moved = t2.transfer.clone();
    moved.block = U256::from(3);
    b.v("plasma_included", &[&c3, &moved.encode()], &w2, Some(false));
    assert!(mirror.inclusion_proof(3, &moved).is_none());
    b.v("plasma_included", &[&c3], &w3, Some(false));
    b.v("plasma_included", &[&c3[..31], &e3], &w3, Some(false));
    for bad in mangled(&w3) {
        b.v("plasma_included", &[&c3, &e3], &bad, Some(false));
    }
    for bad in flipped(&w3) {
        b.v("plasma_included", &[&c3, &e3], &bad, None);
    }
    for bad in mangled(&e3) {
        b.v("plasma_included", &[&c3, &bad], &w3, Some(false));
    }
    for bad in flipped(&e3) {
        b.v("plasma_included", &[&c3, &bad], &w3, None);
    }
    // The witness list, element by element.
    let parts = ogs::logic::value::decode_list(&w3).expect("list");
    b.v(
        "plasma_included",
        &[&c3, &e3],
        &encode_list(parts[..2].to_vec()),
        Some(false),
    );
    let short_root = encode_list(vec![
        parts[0][..31].to_vec(),
        parts[1].clone(),
        parts[2].clone(),
    ]);
    b.v("plasma_included", &[&c3, &e3], &short_root, Some(false));
    let swapped = encode_plasma_proof(B256::from_slice(&parts[0]), &parts[2], &parts[1]);
    b.v("plasma_included", &[&c3, &e3], &swapped, Some(false));
    // A transfer of four fields; dirty address fields.
    let Value::List(fields) = t3.transfer.value() else {
        panic!("a list")
    };
    let four = Value::List(fields[..4].to_vec()).encode();
    b.v("plasma_included", &[&c3, &four], &w3, Some(false));
    for field in [0, 3, 4] {
        let dirty3 = dirty_field(&e3, field);
        b.v("plasma_included", &[&c3, &dirty3], &w3, Some(false));
        b.q("later_transfers", &[&e2], &dirty3, b"", Some(false));
        b.q(
            "later_transfers",
            &[&dirty_field(&e2, field)],
            &e3,
            b"",
            Some(false),
        );
        b.q("earlier_transfers", &[&dirty3, &c3], &e2, &w2, Some(false));
    }

    // ---------------------------------------------------------------- later_transfers
    b.q("later_transfers", &[&de], &e2, b"", Some(true));
    b.q("later_transfers", &[&e2], &e3, b"", Some(true));
    // t3 is sent by Bob, not by the deposit's owner; t2 is not later than t3.
    b.q("later_transfers", &[&de], &e3, b"", Some(false));
    b.q("later_transfers", &[&e3], &e2, b"", Some(false));
    let with = |f: &dyn Fn(&mut Transfer)| {
        let mut t = t2.transfer.clone();
        f(&mut t);
        t.encode()
    };
    b.q(
        "later_transfers",
        &[&de],
        &with(&|t| t.block = U256::from(1)),
        b"",
        Some(false),
    );
    b.q(
        "later_transfers",
        &[&de],
        &with(&|t| t.coin = U256::from(7)),
        b"",
        Some(false),
    );
    b.q(
        "later_transfers",
        &[&de],
        &with(&|t| t.chain = Address::repeat_byte(1)),
        b"",
        Some(false),
    );
    b.q(
        "later_transfers",
        &[&de],
        &with(&|t| t.sender = addr(BOB)),
        b"",
        Some(false),
    );
    b.q(
        "later_transfers",
        &[&de],
        &with(&|t| t.block = U256::MAX),
        b"",
        Some(true),
    );
    b.q("later_transfers", &[], &e2, b"", Some(false));
    for bad in mangled(&e2) {
        b.q("later_transfers", &[&de], &bad, b"", Some(false));
    }
    for bad in flipped(&e2) {
        b.q("later_transfers", &[&de], &bad, b"", None);
    }
    for bad in mangled(&de) {
        b.q("later_transfers", &[&bad], &e2, b"", Some(false));
    }
    for bad in flipped(&de) {
        b.q("later_transfers", &[&bad], &e2, b"", None);
    }

    // ---------------------------------------------------------------- earlier_transfers
    let wd = mirror.inclusion_proof(3, &d).expect("deposit included");
    let ws = mirror
        .inclusion_proof(3, &stray.transfer)
        .expect("included");
    b.q("earlier_transfers", &[&e3, &c3], &de, &wd, Some(true));
    b.q("earlier_transfers", &[&e3, &c3], &e2, &w2, Some(true));
    b.q("earlier_transfers", &[&e2, &c3], &de, &wd, Some(true));
    // Not itself; not with another's proof; not another coin (the stray transfer of block 2).
    b.q("earlier_transfers", &[&e3, &c3], &e3, &w3, Some(false));
    b.q("earlier_transfers", &[&e3, &c3], &e2, &wd, Some(false));
    b.q(
        "earlier_transfers",
        &[&e3, &c3],
        &stray.transfer.encode(),
        &ws,
        Some(false),
    );
    // Not after t (t3 seen from t2).
    b.q("earlier_transfers", &[&e2, &c3], &e3, &w3, Some(false));
    // Not before the coin's deposit block: t2 as seen by a "coin 3" transfer in block 3.
    let mut coin3 = t3.transfer.clone();
    coin3.coin = U256::from(3);
    let mut t2_coin3 = t2.transfer.clone();
    t2_coin3.coin = U256::from(3);
    b.q(
        "earlier_transfers",
        &[&coin3.encode(), &c3],
        &t2_coin3.encode(),
        &w2,
        Some(false),
    );
    b.q("earlier_transfers", &[&e3], &de, &wd, Some(false));
    for bad in mangled(&wd) {
        b.q("earlier_transfers", &[&e3, &c3], &de, &bad, Some(false));
    }
    for bad in flipped(&wd) {
        b.q("earlier_transfers", &[&e3, &c3], &de, &bad, None);
    }
    for bad in mangled(&de) {
        b.q("earlier_transfers", &[&e3, &c3], &bad, &wd, Some(false));
    }
    for bad in flipped(&de) {
        b.q("earlier_transfers", &[&e3, &c3], &bad, &wd, None);
    }
    for bad in mangled(&c3) {
        b.q("earlier_transfers", &[&e3, &bad], &de, &wd, Some(false));
    }

    // ---------------------------------------------------------------- domains
    let reg = b.reg.clone();
    let args3 = vec![e3.clone(), c3.clone()];
    let dom = reg
        .quantifier("earlier_transfers")
        .expect("registered")
        .domain(&args3, &info);
    assert_eq!(dom.incomplete, None);
    let got: Vec<&[u8]> = dom.instances.iter().map(|i| i.value.as_slice()).collect();
    assert_eq!(
        got,
        vec![&de[..], &e2[..]],
        "the deposit and t2, not the stray transfer"
    );
    for i in &dom.instances {
        b.q(
            "earlier_transfers",
            &[&e3, &c3],
            &i.value,
            &i.proof,
            Some(true),
        );
    }
    let later = reg.quantifier("later_transfers").expect("registered");
    let dom = later.domain(std::slice::from_ref(&de), &info);
    assert_eq!(dom.incomplete, None);
    let got: Vec<&[u8]> = dom.instances.iter().map(|i| i.value.as_slice()).collect();
    assert_eq!(got, vec![&e2[..]]);
    // An unknown commitment, an incomplete or unknown chain: incomplete, never guessed.
    let unknown = vec![e3.clone(), B256::repeat_byte(9).to_vec()];
    let earlier = reg.quantifier("earlier_transfers").expect("registered");
    assert!(earlier.domain(&unknown, &info).incomplete.is_some());
    let mut partial = LocalInfo::new();
    let incomplete = PlasmaInfo::new(mirror.address, mirror.blocks().to_vec(), vec![], false)
        .expect("consistent");
    partial.add_plasma_chain(incomplete);
    assert!(later
        .domain(std::slice::from_ref(&de), &partial)
        .incomplete
        .is_some());
    assert!(later
        .domain(std::slice::from_ref(&de), &LocalInfo::new())
        .incomplete
        .is_some());
    assert!(later
        .domain(&[b"junk".to_vec()], &info)
        .incomplete
        .is_some());
}

/// The searches behind the verifiers: found (with a witness that verifies), absent
/// where local information rules a witness out, missing otherwise.
#[test]
fn searches_find_rule_out_or_report_missing() {
    use ogs::logic::registry::Search;
    let p = program();
    let reg = &p.registry;
    let mut w = World::new(&p);
    let d = w.deposit(ALICE, ETHER);
    let n = w.next();
    let t = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
    w.commit(vec![t.clone()]);
    let c = w.commitment(n);
    let info = w.info(&[ALICE]);
    let e = t.transfer.encode();
    let sv = reg.verifier("signed_value").expect("registered");
    let alice = addr(ALICE).into_word().to_vec();
    let bob = addr(BOB).into_word().to_vec();
    match sv.search(&[e.clone(), alice.clone()], &info) {
        Search::Found(wit) => assert!(sv.verify(&[e.clone(), alice.clone()], &wit)),
        s => panic!("{s:?}"),
    }
    // Alice is ours: she never signed the deposit.
    assert!(matches!(
        sv.search(&[d.encode(), alice], &info),
        Search::Absent(_)
    ));
    assert!(matches!(
        sv.search(&[e.clone(), bob], &info),
        Search::Missing(_)
    ));
    let pi = reg.verifier("plasma_included").expect("registered");
    match pi.search(&[c.to_vec(), e.clone()], &info) {
        Search::Found(wit) => assert!(pi.verify(&[c.to_vec(), e.clone()], &wit)),
        s => panic!("{s:?}"),
    }
    let mut never = t.transfer.clone();
    never.owner = addr(CAROL);
    assert!(matches!(
        pi.search(&[c.to_vec(), never.encode()], &info),
        Search::Absent(_)
    ));
    assert!(matches!(
        pi.search(&[B256::repeat_byte(1).to_vec(), e.clone()], &info),
        Search::Missing(_)
    ));
    // included_value finds block members by the block root.
    let root = plasma_block_root(std::slice::from_ref(&t.transfer));
    let iv = reg.verifier("included_value").expect("registered");
    match iv.search(&[root.to_vec(), e.clone()], &info) {
        Search::Found(wit) => assert!(iv.verify(&[root.to_vec(), e.clone()], &wit)),
        s => panic!("{s:?}"),
    }
    assert!(matches!(
        iv.search(&[root.to_vec(), never.encode()], &info),
        Search::Absent(_)
    ));
}

/// The local-information file format for plasma chains: parsed, checked, and
/// errors name the entry.
#[test]
fn local_info_json_lists_plasma_chains() {
    let chain = Address::repeat_byte(0xcc);
    let d = Transfer {
        chain,
        coin: U256::from(1),
        block: U256::from(1),
        sender: Address::ZERO,
        owner: addr(ALICE),
    };
    let t = Transfer {
        chain,
        coin: U256::from(1),
        block: U256::from(2),
        sender: addr(ALICE),
        owner: addr(BOB),
    };
    let later = Transfer {
        block: U256::from(5),
        sender: addr(BOB),
        owner: addr(CAROL),
        ..t.clone()
    };
    let sig = hex::encode(sign_transfer(&key(ALICE), &t));
    let later_sig = hex::encode(sign_transfer(&key(BOB), &later));
    let json = format!(
        r#"{{ "own": ["{a:#x}"], "plasma_chains": [{{ "chain": "{chain:#x}", "complete": true,
            "blocks": [
              {{ "transfers": [{{ "coin": 1, "sender": "{z:#x}", "owner": "{a:#x}" }}] }},
              {{ "transfers": [{{ "coin": "0x1", "sender": "{a:#x}", "owner": "{b:#x}", "signature": "0x{sig}" }}] }}
            ],
            "signed": [{{ "coin": 1, "block": 5, "sender": "{b:#x}", "owner": "{c:#x}", "signature": "0x{later_sig}" }}] }}] }}"#,
        a = addr(ALICE),
        b = addr(BOB),
        c = addr(CAROL),
        z = Address::ZERO,
    );
    let info =
        LocalInfo::from_json(&json, ogs::systems::standard().info_sections()).expect("parses");
    let pc = info.plasma_chain(&chain).expect("listed");
    assert_eq!(pc.blocks().len(), 2);
    assert_eq!(pc.blocks()[0][0].transfer, d);
    assert_eq!(pc.blocks()[1][0].transfer, t);
    assert_eq!(pc.signed()[0].transfer, later);
    let c2 = pc.chain_root(2).expect("two blocks");
    assert_eq!(info.plasma_commitment(&c2).map(|(_, n)| n), Some(2));
    assert_eq!(
        c2,
        merkle_root(&[
            plasma_header_leaf(U256::from(1), plasma_block_root(&[d])),
            plasma_header_leaf(U256::from(2), plasma_block_root(std::slice::from_ref(&t))),
        ])
    );
    assert!(info.signature(&t.digest(), &addr(ALICE)).is_some());
    assert!(info.signature(&later.digest(), &addr(BOB)).is_some());
    // A signature by the wrong key is refused, and the error names it.
    let bad = json.replace(&later_sig, &sig);
    let e = LocalInfo::from_json(&bad, ogs::systems::standard().info_sections())
        .expect_err("refused")
        .to_string();
    assert!(e.contains("plasma_chains[0].signed[0].signature"), "{e}");
    let bad = json.replace(&format!("\"0x{sig}\""), "\"0x1234\"");
    let e = LocalInfo::from_json(&bad, ogs::systems::standard().info_sections())
        .expect_err("refused")
        .to_string();
    assert!(
        e.contains("plasma_chains[0].blocks[1].transfers[0].signature"),
        "{e}"
    );
    let twice = json.replace(
        "\"plasma_chains\": [{",
        &format!("\"plasma_chains\": [{{ \"chain\": \"{chain:#x}\" }}, {{"),
    );
    assert!(LocalInfo::from_json(&twice, ogs::systems::standard().info_sections()).is_err());
    let unknown = json.replace("\"complete\": true", "\"complete\": true, \"extra\": 1");
    assert!(LocalInfo::from_json(&unknown, ogs::systems::standard().info_sections()).is_err());
}

// ================================================================== evaluator == chain

/// Named histories: the exit of each included (or withheld) transfer of coin 1
/// is decided by the evaluator and played on chain; both agree.
#[test]
fn evaluator_verdict_matches_on_chain_decision_for_plasma_exits() {
    let p = program();
    let mut outcomes = Vec::new();
    type Build = fn(&mut World) -> Vec<(Transfer, Status)>;
    let cases: Vec<(&str, Build)> = vec![
        ("deposit exit", |w| {
            let d = w.deposit(ALICE, ETHER);
            vec![(d, Status::True)]
        }),
        ("chain of two transfers", |w| {
            let d = w.deposit(ALICE, ETHER);
            let n = w.next();
            let t2 = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
            w.commit(vec![t2.clone()]);
            w.deposit(CAROL, ETHER);
            let n = w.next();
            let t4 = w.transfer(d.coin, n, addr(BOB), addr(CAROL), Some(BOB));
            w.commit(vec![t4.clone()]);
            vec![
                (t4.transfer, Status::True),
                (t2.transfer, Status::False),
                (d, Status::False),
            ]
        }),
        ("forged transfer in the middle", |w| {
            let d = w.deposit(ALICE, ETHER);
            let n = w.next();
            let f = w.transfer(d.coin, n, addr(ALICE), addr(MALLORY), None);
            w.commit(vec![f.clone()]);
            let n = w.next();
            let t = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
            w.commit(vec![t.clone()]);
            // The coin is tainted: Bob should not have accepted it; Alice's deposit is spent.
            vec![
                (f.transfer, Status::False),
                (t.transfer, Status::False),
                (d, Status::False),
            ]
        }),
        ("sender who never owned the coin", |w| {
            let d = w.deposit(ALICE, ETHER);
            let n = w.next();
            let t = w.transfer(d.coin, n, addr(MALLORY), addr(BOB), Some(MALLORY));
            w.commit(vec![t.clone()]);
            vec![(t.transfer, Status::False), (d, Status::True)]
        }),
        ("double spend in one block", |w| {
            let d = w.deposit(ALICE, ETHER);
            let n = w.next();
            let b = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
            let c = w.transfer(d.coin, n, addr(ALICE), addr(CAROL), Some(ALICE));
            w.commit(vec![b.clone(), c.clone()]);
            // Ordered by hash: the first one counts, the coin is not locked.
            let (first, second) = if b.transfer.digest() < c.transfer.digest() {
                (b, c)
            } else {
                (c, b)
            };
            vec![
                (first.transfer, Status::True),
                (second.transfer, Status::False),
                (d, Status::False),
            ]
        }),
        ("double spend in a later block", |w| {
            let d = w.deposit(ALICE, ETHER);
            let n = w.next();
            let b = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
            w.commit(vec![b.clone()]);
            let n = w.next();
            let c = w.transfer(d.coin, n, addr(ALICE), addr(CAROL), Some(ALICE));
            w.commit(vec![c.clone()]);
            // Bob received first and keeps the coin; Carol's history has Bob's unspent transfer.
            vec![(b.transfer, Status::True), (c.transfer, Status::False)]
        }),
        ("withheld spend", |w| {
            let d = w.deposit(ALICE, ETHER);
            let n = w.next();
            let t = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
            w.withheld.push(t.clone());
            w.commit(vec![]);
            // A spend never included does not count: Alice still owns the coin.
            vec![(t.transfer, Status::False), (d, Status::True)]
        }),
        ("transfers of other coins around", |w| {
            let d = w.deposit(ALICE, ETHER);
            let e = w.deposit(BOB, ETHER);
            let n = w.next();
            let t = w.transfer(d.coin, n, addr(ALICE), addr(CAROL), Some(ALICE));
            let u = w.transfer(e.coin, n, addr(BOB), addr(ALICE), Some(BOB));
            w.commit(vec![u.clone(), t.clone()]);
            vec![
                (t.transfer, Status::True),
                (u.transfer, Status::True),
                (e, Status::False),
            ]
        }),
    ];
    for (name, build) in cases {
        let exits = {
            let mut w = World::new(&p);
            build(&mut w)
        };
        for (i, (_, expected)) in exits.iter().enumerate() {
            // A fresh world per exit, built the same way (deterministic signatures).
            let mut w = World::new(&p);
            let exits = build(&mut w);
            let t = exits[i].0.clone();
            let got = exit_agrees(&mut w, &t, &[ALICE, BOB, CAROL]);
            assert_eq!(got, *expected, "{name}: exit of {t:?}");
            if got == Status::True {
                let before = w.balance(t.owner);
                let r = w.finalize(MALLORY, &t);
                assert!(r.success, "{name}: {}", plasma_error(&r));
                assert_eq!(w.balance(t.owner) - before, U256::from(ETHER), "{name}");
            } else {
                assert!(!w.finalize(MALLORY, &t).success, "{name}");
            }
            outcomes.push((name, got, w.a.log().len()));
        }
    }
    for (name, got, tx) in &outcomes {
        eprintln!("{name}: {got:?} after {tx} transactions");
    }
}

/// One random history of one coin (honest transfers, forged, withheld and
/// doubly signed transfers, empty blocks, transfers of another coin), then the
/// exit of a random transfer: the evaluator and the chain must give the same
/// answer (`exit_agrees` plays it out with an adversary posting every challenge).
fn random_history(p: &ogs::lang::Program, seed: u64) -> Status {
    let mut rng = seed | 1;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let mut w = World::new(p);
    let d = w.deposit(ALICE, ETHER);
    let mut owner = ALICE;
    let mut candidates = vec![d.clone()];
    for _ in 0..1 + next(4) {
        let n = w.next();
        let to = [ALICE, BOB, CAROL][next(3) as usize];
        match next(6) {
            0 | 1 => {
                let t = w.transfer(d.coin, n, addr(owner), addr(to), Some(owner));
                candidates.push(t.transfer.clone());
                w.commit(vec![t]);
                owner = to;
            }
            2 => {
                let f = w.transfer(d.coin, n, addr(owner), addr(MALLORY), None);
                candidates.push(f.transfer.clone());
                w.commit(vec![f]);
            }
            3 => {
                let t = w.transfer(d.coin, n, addr(owner), addr(to), Some(owner));
                candidates.push(t.transfer.clone());
                w.withheld.push(t);
                w.commit(vec![]);
            }
            4 => {
                let a = w.transfer(d.coin, n, addr(owner), addr(to), Some(owner));
                let b = w.transfer(d.coin, n, addr(owner), addr(MALLORY), Some(owner));
                candidates.push(a.transfer.clone());
                candidates.push(b.transfer.clone());
                w.commit(vec![a, b]);
                owner = to;
            }
            _ => {
                let other = w.transfer(U256::from(77), n, addr(BOB), addr(CAROL), Some(BOB));
                w.commit(vec![other]);
            }
        }
    }
    let t = candidates[next(candidates.len() as u64) as usize].clone();
    exit_agrees(&mut w, &t, &[ALICE, BOB, CAROL])
}

/// The random histories reach both verdicts (so the property below is not vacuous).
#[test]
fn evaluator_and_chain_agree_on_random_histories() {
    let p = program();
    let mut seen = std::collections::BTreeMap::new();
    for case in 0..40u64 {
        let got = random_history(
            &p,
            0x2545_f491_4f6c_dd1d ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        );
        *seen.entry(format!("{got:?}")).or_insert(0) += 1;
    }
    assert!(seen.get("True").copied().unwrap_or(0) >= 3, "{seen:?}");
    assert!(seen.get("False").copied().unwrap_or(0) >= 3, "{seen:?}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, failure_persistence: None, ..Default::default() })]

    /// Honest wins for plasma (SEMANTICS.md §4.2): over random histories and random exits,
    /// the decision the chain reaches against an adversary equals the honest evaluator's.
    #[test]
    fn honest_evaluator_and_chain_agree_on_plasma_exits(seed in proptest::prelude::any::<u64>()) {
        let p = program();
        let _ = random_history(&p, seed);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, failure_persistence: None, ..Default::default() })]

    /// The chess clock over plasma exits (SEMANTICS.md §3): a valid exit, a spent coin's exit
    /// and an exit with an invalid history, claimed by the side its verdict favours or by the
    /// other, fought by an adversary that waits a random share of its time (often its last
    /// second) against an honest side answering within E: decided within `2W + D·E`, every
    /// clock the Rust mirror's (`dispute_clock::timed_dispute`).
    #[test]
    fn plasma_exits_end_within_the_clock_bound(
        case in 0..3usize,
        honest_claims in proptest::prelude::any::<bool>(),
        delays in proptest::collection::vec((0..=100u64, 0..=100u64), 10),
    ) {
        let p = program();
        let mut w = World::new(&p);
        let d = w.deposit(ALICE, ETHER);
        let t = match case {
            0 => d,
            1 => {
                let n = w.next();
                let spend = w.transfer(d.coin, n, addr(ALICE), addr(BOB), Some(ALICE));
                w.commit(vec![spend]);
                d
            }
            _ => {
                let n = w.next();
                let forged = w.transfer(d.coin, n, addr(ALICE), addr(MALLORY), None);
                w.commit(vec![forged.clone()]);
                forged.transfer
            }
        };
        let claim = w.exit_claim(&t);
        let honest = Party { name: "honest".into(), address: addr(CAROL), info: w.info(&[ALICE, BOB, CAROL]) };
        let adversary = Party { name: "mallory".into(), address: addr(MALLORY), info: w.info(&[MALLORY]) };
        let keeper = Party { name: "keeper".into(), address: Address::repeat_byte(0x33), info: LocalInfo::new() };
        w.a.dispute_mut().chain.set_balance(keeper.address, U256::from(ETHER));
        let believed = verdict(&p, &honest.info, &claim);
        let claimant = if honest_claims == (believed == Status::True) { &honest } else { &adversary };
        proptest::prop_assume!(w.a.claim(claimant, &claim).is_ok());
        crate::dispute_clock::timed_dispute(&mut w.a, &claim, &honest, &adversary, &keeper, WINDOW, &delays)?;
        proptest::prop_assert_eq!(w.a.status(&claim), believed, "the honest side wins");
    }
}
