//! Proof diversity for rollup outputs (SEMANTICS.md §6): `attested_output` of `predicates/rollup.ogs` puts
//! a k-of-n attestation (`threshold_signed`) next to the fault-proof VM (`output`), so a bug in
//! one proof system cannot alone finalize a wrong state.
//!
//! - `threshold_signed`: the Rust registry and the deployed `ThresholdSigned.sol` agree on random
//!   committees (with repeated members), thresholds and subsets of real k256 signatures, on
//!   valid witnesses and on forged, duplicated, unordered, out-of-range, high-s, truncated and
//!   non-canonical ones (proptest); the off-chain search finds a witness exactly when `k`
//!   distinct signatures are held, and says Absent only when the party's own addresses show
//!   that `k` can never be reached;
//! - an attested output of a short real run (`hello.elf`) whose attestation is short by one
//!   signature is decided False on chain although its VM part is True (and that part alone is
//!   decided True), and with `k` signatures it is decided True against a challenger that
//!   disputes every conjunct down to one MIPS step; `k` signatures do not save a wrong final
//!   state either;
//! - each time the evaluator's verdict is the on-chain decision. Gas is printed (`--nocapture`).

use alloy_primitives::{keccak256, Address, B256, U256};
use k256::ecdsa::SigningKey;
use ogs::chain::{Dispute, Status};
use ogs::dispute::scenario::all_challenges;
use ogs::dispute::{Arena, Party};
use ogs::fpvm::MemoryOracle;
use ogs::lang::Program;
use ogs::logic::claim::{Claim, Name};
use ogs::logic::crypto::{address_of, sign, signing_key};
use ogs::logic::eval::Evaluator;
use ogs::logic::registry::Search;
use ogs::logic::value::{encode_list, Value};
use ogs::logic::LocalInfo;
use ogs::systems::common::encode_threshold_witness;
use ogs::systems::rollup::LocalInputs;
use ogs::systems::rollup::TraceKnowledge;
use ogs::systems::rollup::VmTrace;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::onchain;
use onchain::{implementation, sol_verify};

const BOND: u64 = 1_000;
const WINDOW: u64 = 100;

/// The secp256k1 group order (to build high-s twins of signatures).
const SECP256K1_N: U256 = U256::from_be_bytes([
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
    0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
]);

// ================================================================== helpers

fn key(n: u8) -> SigningKey {
    signing_key(keccak256([n, 0x77]).as_slice()).expect("key")
}

fn addr(n: u8) -> Address {
    address_of(key(n).verifying_key())
}

fn addresses(members: &[u8]) -> Vec<u8> {
    Value::List(members.iter().map(|m| Value::Address(addr(*m))).collect()).encode()
}

fn args(message: B256, members: &[u8], k: u64) -> Vec<Vec<u8>> {
    vec![
        message.to_vec(),
        addresses(members),
        U256::from(k).to_be_bytes_vec(),
    ]
}

/// A witness entry with any index (not only a `u64`): `index ‖ sig`.
fn entry(index: U256, sig: &[u8]) -> Vec<u8> {
    let mut e = index.to_be_bytes_vec();
    e.extend_from_slice(sig);
    e
}

/// One `verify` input: (what, args, witness, whether it must be false).
type Case = (&'static str, Vec<Vec<u8>>, Vec<u8>, bool);

/// A tiny deterministic generator (the proptest input is its seed).
struct Rng(u64);
impl Rng {
    fn below(&mut self, m: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % m.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The high-s twin of a low-s signature (the same signer for plain `ecrecover`).
fn high_s(sig: &[u8]) -> Vec<u8> {
    let s = U256::from_be_slice(&sig[32..64]);
    let mut out = sig.to_vec();
    out[32..64].copy_from_slice(&(SECP256K1_N - s).to_be_bytes::<32>());
    out[64] = if sig[64] == 27 { 28 } else { 27 };
    out
}

// ================================================================== registry vs contract

/// One random case: a committee drawn from 8 keys (sometimes with a member listed twice), a
/// threshold up to one more than the committee, the members that signed; the honest witness and
/// a mutation of it for every way a witness can be wrong. Returns each case's name and answer.
fn agreement_case(
    d: &mut Dispute,
    at: Address,
    seed: u64,
) -> Result<Vec<(&'static str, bool)>, TestCaseError> {
    let reg = ogs::systems::standard();
    let v = reg.verifier("threshold_signed").expect("registered");
    let mut rng = Rng(seed);
    let message = keccak256(seed.to_be_bytes());
    let n = rng.below(7) as usize;
    let members: Vec<u8> = if rng.chance(70) {
        let mut pool: Vec<u8> = (0..8).collect();
        (0..n)
            .map(|_| pool.remove(rng.below(pool.len() as u64) as usize))
            .collect()
    } else {
        (0..n).map(|_| rng.below(8) as u8).collect()
    };
    let signed: HashSet<u8> = members.iter().copied().filter(|_| rng.chance(65)).collect();
    // The honest witness: every distinct signer in order, sometimes only the first k.
    let mut entries: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut seen = HashSet::new();
    for (i, m) in members.iter().enumerate() {
        if signed.contains(m) && seen.insert(*m) {
            entries.push((i as u64, sign(&key(*m), message).to_vec()));
        }
    }
    // Mostly a threshold the signatures meet (so a mutation is what makes a witness false),
    // else any up to one more than the committee.
    let k = if rng.chance(75) {
        rng.below(entries.len() as u64 + 1)
    } else {
        rng.below(n as u64 + 2)
    };
    let a = args(message, &members, k);
    if rng.chance(50) && entries.len() > k as usize {
        entries.truncate(k as usize);
    }
    let honest = encode_threshold_witness(&entries).expect("65-byte signatures");
    let want = entries.len() as u64 >= k;
    prop_assert_eq!(v.verify(&a, &honest), want, "honest witness {:?}", members);

    let parts: Vec<Vec<u8>> = entries
        .iter()
        .map(|(i, s)| entry(U256::from(*i), s))
        .collect();
    let mut cases: Vec<Case> = vec![
        ("honest", a.clone(), honest.clone(), false),
        ("empty bytes", a.clone(), vec![], false),
        ("empty list", a.clone(), encode_list(vec![]), false),
        (
            "trailing byte",
            a.clone(),
            [&honest[..], &[0]].concat(),
            true,
        ),
        ("not a list", a.clone(), vec![0x42; 97], true),
    ];
    let mut with = |what: &'static str, f: &mut dyn FnMut(&mut Vec<Vec<u8>>), bad: bool| {
        let mut p = parts.clone();
        f(&mut p);
        cases.push((what, a.clone(), encode_list(p), bad));
    };
    if !parts.is_empty() {
        let j = rng.below(parts.len() as u64) as usize;
        let other = (rng.below(8) as u8, rng.below(8) as u8);
        with(
            "drop one",
            &mut |p: &mut Vec<Vec<u8>>| drop(p.remove(j)),
            false,
        );
        with(
            "duplicate",
            &mut |p: &mut Vec<Vec<u8>>| p.insert(j, p[j].clone()),
            true,
        );
        with(
            "index = n",
            &mut |p: &mut Vec<Vec<u8>>| {
                p[j][..32].copy_from_slice(&U256::from(n).to_be_bytes::<32>())
            },
            true,
        );
        with(
            "index 2^256-1",
            &mut |p: &mut Vec<Vec<u8>>| p[j][..32].copy_from_slice(&[0xff; 32]),
            true,
        );
        with(
            "forged signer",
            &mut |p: &mut Vec<Vec<u8>>| {
                let (i, _) = entries[j];
                let wrong = if other.0 == members[i as usize] {
                    other.0 ^ 1
                } else {
                    other.0
                };
                p[j][32..].copy_from_slice(&sign(&key(wrong), message));
            },
            true,
        );
        with(
            "other message",
            &mut |p: &mut Vec<Vec<u8>>| {
                let (i, _) = entries[j];
                let m = keccak256(message);
                p[j][32..].copy_from_slice(&sign(&key(members[i as usize]), m));
            },
            true,
        );
        with(
            "high s",
            &mut |p: &mut Vec<Vec<u8>>| {
                p[j] = entry(U256::from(entries[j].0), &high_s(&entries[j].1))
            },
            true,
        );
        with("v = 0", &mut |p: &mut Vec<Vec<u8>>| p[j][96] = 0, true);
        with(
            "flipped bit",
            &mut |p: &mut Vec<Vec<u8>>| {
                let b = 32 + other.1 as usize * 8 % 64;
                p[j][b] ^= 1 << (other.0 % 8);
            },
            false,
        );
        with(
            "96-byte entry",
            &mut |p: &mut Vec<Vec<u8>>| {
                p[j].pop();
            },
            true,
        );
        with(
            "98-byte entry",
            &mut |p: &mut Vec<Vec<u8>>| p[j].push(0),
            true,
        );
        if parts.len() >= 2 {
            with(
                "swapped",
                &mut |p: &mut Vec<Vec<u8>>| {
                    let next = (j + 1) % p.len();
                    p.swap(j, next)
                },
                true,
            );
            with(
                "equal indices",
                &mut |p: &mut Vec<Vec<u8>>| {
                    let first = p[0][..32].to_vec();
                    p[1][..32].copy_from_slice(&first);
                },
                true,
            );
        }
    }
    // A member listed twice: its second position is a valid index, but it counts once.
    for (i, m) in members.iter().enumerate() {
        if let Some(dup) = members[i + 1..].iter().position(|x| x == m) {
            let sig = sign(&key(*m), message);
            let two = encode_list(vec![
                entry(U256::from(i), &sig),
                entry(U256::from(i + 1 + dup), &sig),
            ]);
            cases.push(("member twice", a.clone(), two, true));
            let second = encode_list(vec![entry(U256::from(i + 1 + dup), &sig)]);
            cases.push(("second position", a.clone(), second, false));
            break;
        }
    }
    // Malformed arguments.
    let mut dirty = a.clone();
    if n > 0 {
        // The first address word of the list sits at 0x40 + 0x20 * n + 0x20.
        dirty[1][0x40 + 0x20 * n + 0x20] = 1;
        cases.push(("dirty address", dirty, honest.clone(), true));
    }
    let mut short_k = a.clone();
    short_k[2].remove(0);
    cases.push(("31-byte k", short_k, honest.clone(), true));
    cases.push(("two args", a[..2].to_vec(), honest.clone(), true));
    let mut extra = a.clone();
    extra.push(vec![1, 2, 3]);
    cases.push(("extra arg", extra, honest.clone(), false));
    let mut signers_not_list = a.clone();
    signers_not_list[1].push(0);
    cases.push(("signers not a list", signers_not_list, honest.clone(), true));

    let mut answers = Vec::new();
    for (what, args, w, must_be_false) in &cases {
        let rust = v.verify(args, w);
        answers.push((*what, rust));
        let (sol, _) = sol_verify(d, at, args, w);
        prop_assert_eq!(
            rust,
            sol,
            "{}: members {:?}, k {}, signed {:?}",
            what,
            members,
            k,
            signed
        );
        if *must_be_false {
            prop_assert!(!rust, "{} must be false", what);
        }
        if what.starts_with("empty") {
            prop_assert_eq!(rust, k == 0, "{}", what);
        }
    }

    // The search: Found exactly with k distinct held signatures (and then it verifies on both
    // sides); Absent exactly when the party's own unsigned addresses leave fewer than k.
    let mut info = LocalInfo::new();
    let mut own = HashSet::new();
    for m in 0..8u8 {
        if signed.contains(&m) {
            info.add_signature(message, addr(m), sign(&key(m), message).to_vec())
                .expect("valid signature");
        } else if rng.chance(40) {
            info.add_own(addr(m));
            own.insert(m);
        }
    }
    let distinct: HashSet<u8> = members.iter().copied().collect();
    let held = distinct.iter().filter(|m| signed.contains(m)).count() as u64;
    let may = distinct
        .iter()
        .filter(|m| !signed.contains(m) && !own.contains(m))
        .count() as u64;
    match v.search(&a, &info) {
        Search::Found(w) => {
            prop_assert!(held >= k, "found with {} held of {}", held, k);
            prop_assert!(v.verify(&a, &w));
            prop_assert!(sol_verify(d, at, &a, &w).0);
        }
        Search::Absent(why) => prop_assert!(held + may < k, "absent: {}", why),
        Search::Missing(why) => {
            prop_assert!(held < k && held + may >= k, "missing: {}", why)
        }
    }
    Ok(answers)
}

#[test]
fn threshold_signed_agrees_with_the_contract() {
    let d = RefCell::new(ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys"));
    let at = implementation(&mut d.borrow_mut(), "threshold_signed", true);
    // Case name → (true, false) answers.
    let tally = RefCell::new(BTreeMap::<&str, (usize, usize)>::new());
    let mut runner = TestRunner::new(Config {
        cases: 100,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&any::<u64>(), |seed| {
            for (what, answer) in agreement_case(&mut d.borrow_mut(), at, seed)? {
                let mut t = tally.borrow_mut();
                let e = t.entry(what).or_default();
                if answer {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let tally = tally.into_inner();
    let pairs: usize = tally.values().map(|(t, f)| t + f).sum();
    println!(
        "threshold_signed: {pairs} witness/argument pairs agree; (true, false) by case: {tally:?}"
    );
    // Both answers are exercised where both are possible.
    for what in ["honest", "drop one", "empty bytes", "extra arg"] {
        let (t, f) = tally[what];
        assert!(t > 0 && f > 0, "{what}: {t} true, {f} false");
    }
}

#[test]
fn threshold_signed_edge_cases_and_gas() {
    let reg = ogs::systems::standard();
    let v = reg.verifier("threshold_signed").expect("registered");
    let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let at = implementation(&mut d, "threshold_signed", true);
    let m = keccak256(b"output root");
    let both = |d: &mut Dispute, a: &[Vec<u8>], w: &[u8]| {
        let rust = v.verify(a, w);
        let (sol, gas) = sol_verify(d, at, a, w);
        assert_eq!(rust, sol, "{a:?} {w:?}");
        (rust, gas)
    };
    // k = 0 holds with the empty witness, even for an empty committee; k > n never holds.
    for members in [&[][..], &[1, 2][..]] {
        assert!(both(&mut d, &args(m, members, 0), &[]).0);
        assert!(both(&mut d, &args(m, members, 0), &encode_list(vec![])).0);
        let n = members.len() as u64;
        let all: Vec<(u64, Vec<u8>)> = members
            .iter()
            .enumerate()
            .map(|(i, k)| (i as u64, sign(&key(*k), m).to_vec()))
            .collect();
        let w = encode_threshold_witness(&all).unwrap();
        assert!(both(&mut d, &args(m, members, n), &w).0);
        assert!(!both(&mut d, &args(m, members, n + 1), &w).0);
    }
    // k larger than 64 bits.
    let mut huge = args(m, &[1], 0);
    huge[2] = [0xff; 32].to_vec();
    assert!(!both(&mut d, &huge, &encode_list(vec![])).0);

    // Gas of a 3-of-5 attestation.
    let committee = [1, 2, 3, 4, 5];
    let w = encode_threshold_witness(&[
        (0, sign(&key(1), m).to_vec()),
        (2, sign(&key(3), m).to_vec()),
        (4, sign(&key(5), m).to_vec()),
    ])
    .unwrap();
    let (ok, gas) = both(&mut d, &args(m, &committee, 3), &w);
    assert!(ok);
    println!("threshold_signed: eth_call gas of verify, 3 of 5: {gas}");
    assert!(gas < 100_000, "{gas}");
    // The same witness for k = 2 (more signatures than needed are fine); short for k = 4.
    assert!(both(&mut d, &args(m, &committee, 2), &w).0);
    assert!(!both(&mut d, &args(m, &committee, 4), &w).0);

    // The search's conventions: Missing while the members that are not ours may still sign,
    // Absent once our own unsigned addresses leave fewer than k.
    let a = args(m, &committee, 3);
    let mut info = LocalInfo::new();
    for k in [1, 2] {
        info.add_signature(m, addr(k), sign(&key(k), m).to_vec())
            .unwrap();
    }
    assert!(matches!(v.search(&a, &info), Search::Missing(_)));
    info.add_own(addr(4));
    info.add_own(addr(5));
    assert!(matches!(v.search(&a, &info), Search::Missing(_)));
    info.add_own(addr(3));
    assert!(matches!(v.search(&a, &info), Search::Absent(_)));
    info.add_signature(m, addr(3), sign(&key(3), m).to_vec())
        .unwrap();
    match v.search(&a, &info) {
        Search::Found(w) => assert!(both(&mut d, &a, &w).0),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        v.search(&args(m, &committee, 6), &info),
        Search::Absent(_)
    ));
}

// ================================================================== attested outputs on chain

/// The rollup inputs of the tests (`hello.elf` reads none, so any will do).
fn inputs() -> LocalInputs {
    LocalInputs {
        prev: keccak256(b"previous output root"),
        batch: keccak256(b"batch"),
        claimed: keccak256(b"claimed output root"),
    }
}

/// `hello.elf`'s whole run, recorded with the local context of [`inputs`].
fn record() -> Arc<VmTrace> {
    let path = format!("{}/tests/guests/bin/hello.elf", env!("CARGO_MANIFEST_DIR"));
    let elf = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let trace = VmTrace::from_elf(&elf, MemoryOracle::new(), u64::MAX, 256).expect("runs");
    assert!(trace.exited() && trace.exit_code() == Some(0));
    Arc::new(trace.with_inputs(inputs()))
}

/// What a party knows: the run, the facts that decide `trace` from it, the signatures of
/// `signed` on the claimed root, and its own committee addresses `own`.
fn info_with(p: &Program, trace: &Arc<VmTrace>, signed: &[u8], own: &[u8]) -> LocalInfo {
    let mut info = LocalInfo::new();
    info.add_vm_trace(trace.clone());
    info.add_call_oracle(Arc::new(
        ogs::systems::rollup::trace_facts(p).expect("rollup.ogs defines trace"),
    ));
    let m = inputs().claimed;
    for k in signed {
        info.add_signature(m, addr(*k), sign(&key(*k), m).to_vec())
            .expect("valid signature");
    }
    for k in own {
        info.add_own(addr(*k));
    }
    info
}

/// The committee: keys 1..=5, threshold 3.
const COMMITTEE: [u8; 5] = [1, 2, 3, 4, 5];
const K: u64 = 3;

fn output_text(trace: &VmTrace, end: B256) -> String {
    let i = inputs();
    format!(
        "{:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {end:#x}, {}, {}",
        trace.start(),
        i.context(),
        i.prev,
        i.batch,
        i.claimed,
        trace.steps(),
        ogs::systems::rollup::program::DEFAULT_K
    )
}

fn attested(p: &Program, trace: &VmTrace, end: B256) -> Claim {
    let committee: Vec<String> = COMMITTEE
        .iter()
        .map(|k| format!("{:#x}", addr(*k)))
        .collect();
    p.compile_claim(&format!(
        "attested_output({}, [{}], {K})",
        output_text(trace, end),
        committee.join(", ")
    ))
    .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn output(p: &Program, trace: &VmTrace, end: B256) -> Claim {
    p.compile_claim(&format!("output({})", output_text(trace, end)))
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn party(name: &str, byte: u8, info: LocalInfo) -> Party {
    Party {
        name: name.into(),
        address: Address::repeat_byte(byte),
        info,
    }
}

fn trace_n(c: &Claim) -> Option<u64> {
    match c {
        Claim::Call { args, .. } => {
            let n = U256::from_be_slice(args.get(3)?.as_lit()?);
            u64::try_from(n).ok()
        }
        _ => None,
    }
}

fn verifier_name(p: &Program, c: &Claim) -> Option<&'static str> {
    match c {
        Claim::Witness { verifier, .. } => p.registry.name_of(verifier),
        _ => None,
    }
}

/// The liar's best try at a witness claim: the true MIPS step from that pre-state (which the
/// contract refuses for a wrong post-state), every signature it holds (fewer than k), or
/// whatever the registry finds.
fn best_witness(p: &Program, liar: &Party, trace: &VmTrace, c: &Claim) -> Vec<u8> {
    let Claim::Witness { args, .. } = c else {
        return vec![];
    };
    let lits: Option<Vec<Vec<u8>>> = args
        .iter()
        .map(|t| t.as_lit().map(<[u8]>::to_vec))
        .collect();
    let Some(lits) = lits else { return vec![] };
    match verifier_name(p, c) {
        Some("mips_step") => trace
            .step_of(&B256::from_slice(&lits[1]))
            .and_then(|i| trace.witness(i))
            .unwrap_or_default(),
        Some("threshold_signed") => {
            let m = B256::from_slice(&lits[0]);
            let held: Vec<(u64, Vec<u8>)> = COMMITTEE
                .iter()
                .enumerate()
                .filter_map(|(i, k)| Some((i as u64, liar.info.signature(&m, &addr(*k))?.to_vec())))
                .collect();
            encode_threshold_witness(&held).unwrap_or_default()
        }
        Some(name) => match p
            .registry
            .verifier(name)
            .map(|v| v.search(&lits, &liar.info))
        {
            Some(Search::Found(w)) => w,
            _ => vec![],
        },
        None => vec![],
    }
}

/// The liar's moves: every challenge it can form against every undecided claim the honest
/// party believes True (each once), except that of the two halves of a bisection it disputes
/// only the first; witness claims with [`best_witness`].
fn liar_moves(
    a: &mut Arena,
    liar: &Party,
    honest: &LocalInfo,
    trace: &VmTrace,
    tried: &mut HashSet<(B256, B256)>,
) -> bool {
    let mut moved = false;
    for (id, c) in ogs::dispute::strategy::believed_true_targets(a, honest) {
        if a.claimed_by().get(&id) == Some(&liar.name) {
            continue;
        }
        let mut options = all_challenges(a.program(), &liar.info, &c);
        // `segments_hold(ctx, a, b, n, k, p)`: it disputes the first segment only.
        if let Claim::Call { args, .. } = &c {
            if args.len() == 6 && trace_n(&c).is_some() {
                options.truncate(1);
            }
        }
        for (mut how, counter) in options {
            if a.links().contains(&(id, counter.id())) || !tried.insert((id, counter.id())) {
                continue;
            }
            if let Claim::Call { group, .. } = &c {
                how.groups = vec![a.program().groups[group].encoding.clone()];
            }
            let w = best_witness(a.program(), liar, trace, &counter);
            if matches!(counter, Claim::Witness { .. }) && w.is_empty() {
                continue;
            }
            moved |= a.challenge(liar, &c, &how, &counter, &w).is_ok();
        }
    }
    moved
}

struct Played {
    status: Status,
    /// The honest party's verdict on the root claim before the game.
    verdict: &'static str,
    /// MIPS steps run on chain: (accepted, refused).
    steps: (usize, usize),
    /// `threshold_signed` witnesses shown on chain: (accepted, refused), and their gas.
    attestations: (usize, usize, Vec<u64>),
    transcript: String,
}

/// Plays `root` claimed by the proposer against the challenger until nobody moves, lets the
/// window pass and settles. `extra` claims are posted by the proposer too, unchallenged unless
/// the honest party believes them False.
fn play<'p>(
    p: &'p Program,
    trace: &VmTrace,
    root: &Claim,
    extra: &[Claim],
    honest: &Party,
    liar: &Party,
    honest_proposes: bool,
) -> (Played, Arena<'p>) {
    let verdict = Evaluator::new(&p.registry, p, &honest.info)
        .decide(root)
        .expect("evaluates")
        .label();
    let mut a = Arena::new(p, U256::from(BOND), WINDOW).expect("deploys");
    for who in [honest, liar] {
        a.dispute_mut()
            .chain
            .set_balance(who.address, U256::from(10u128.pow(24)));
    }
    let proposer = if honest_proposes { honest } else { liar };
    a.claim(proposer, root).expect("claim accepted");
    for c in extra {
        a.claim(proposer, c).expect("claim accepted");
    }
    let mut tried = HashSet::new();
    loop {
        let moved = a.respond(honest) | liar_moves(&mut a, liar, &honest.info, trace, &mut tried);
        if !moved {
            break;
        }
    }
    for e in a.log() {
        if e.actor == honest.name {
            assert_eq!(e.outcome, "ok", "the contract refused {}", e.call);
        }
    }
    a.wait(WINDOW + 1);
    a.settle(honest);
    let status = a.status(root);
    let transcript = a.render(root);
    let mut steps = (0, 0);
    let mut attestations = (0, 0, Vec::new());
    for e in a.log() {
        // Witness claims shown: as a challenge's counter-claim or by `decideByWitness`.
        let shown = (e.call.starts_with("challenge") || e.call.starts_with("show witness"))
            && !e.call.contains("not witness");
        if shown && e.call.contains(" witness mips_step(") {
            if e.outcome == "ok" {
                steps.0 += 1;
            } else {
                steps.1 += 1;
            }
        }
        if shown && e.call.contains(" witness threshold_signed(") {
            if e.outcome == "ok" {
                attestations.0 += 1;
            } else {
                attestations.1 += 1;
            }
            attestations.2.push(e.gas);
        }
    }
    (
        Played {
            status,
            verdict,
            steps,
            attestations,
            transcript,
        },
        a,
    )
}

/// Only k − 1 members signed the claimed root. The challenger is the rest of the committee
/// (its own addresses, which never signed), so it knows the attestation cannot be completed:
/// it disputes the attestation conjunct and wins, although the VM part is True — `output(…)`
/// alone, claimed next to it, is decided True.
#[test]
fn a_missing_attestation_makes_a_true_run_false() {
    let p = ogs::systems::rollup::program::program();
    let trace = record();
    let end = trace.end();
    let root = attested(&p, &trace, end);
    let vm_part = output(&p, &trace, end);
    let signed = [1, 2];
    let honest = party(
        "committee",
        0x11,
        info_with(&p, &trace, &signed, &[3, 4, 5]),
    );
    let liar = party("proposer", 0x22, info_with(&p, &trace, &signed, &[]));
    // The evaluators: the proposer cannot tell (two of the three others may still sign), a
    // watcher owning only two of the missing members cannot either; the committee can.
    let decide = |info: &LocalInfo, c: &Claim| {
        Evaluator::new(&p.registry, &p, info)
            .decide(c)
            .expect("evaluates")
            .label()
    };
    assert_eq!(decide(&liar.info, &root), "unknown");
    assert_eq!(
        decide(&info_with(&p, &trace, &signed, &[4, 5]), &root),
        "unknown"
    );
    assert_eq!(decide(&honest.info, &root), "false");
    assert_eq!(decide(&honest.info, &vm_part), "true");

    let (g, mut a) = play(
        &p,
        &trace,
        &root,
        std::slice::from_ref(&vm_part),
        &honest,
        &liar,
        false,
    );
    println!("{}", g.transcript);
    println!(
        "missing attestation: root {:?} (evaluator: {}), output alone {:?}, attestation shown \
         accepted/refused {:?} (gas {:?})",
        g.status,
        g.verdict,
        a.status(&vm_part),
        (g.attestations.0, g.attestations.1),
        g.attestations.2
    );
    assert_eq!(g.verdict, "false");
    assert_eq!(g.status, Status::False, "{}", g.transcript);
    assert_eq!(a.status(&vm_part), Status::True, "{}", g.transcript);
    // The proposer's try with its k − 1 signatures is refused; no VM step was needed.
    assert_eq!(
        (g.attestations.0, g.attestations.1),
        (0, 1),
        "{}",
        g.transcript
    );
    assert_eq!(g.steps, (0, 0));
    // The counter-claim that won is the attestation's negation.
    let ts = Name::of("threshold_signed");
    let decided_true: Vec<Claim> = a.claims().values().cloned().collect();
    assert!(decided_true.iter().any(|c| matches!(c,
        Claim::Not(x) if matches!(&**x, Claim::Witness { verifier, .. } if *verifier == ts))
        && a.status(c) == Status::True));
}

/// With k signatures the attested output is True on chain against a challenger that disputes
/// every conjunct: the rollup context, the VALID status, the attestation (shown with its k
/// signatures) and the trace (bisected down to one MIPS step, accepted on chain).
#[test]
fn k_signatures_and_a_true_run_survive_every_challenge() {
    let p = ogs::systems::rollup::program::program();
    let trace = record();
    let end = trace.end();
    let root = attested(&p, &trace, end);
    let signed = [1, 3, 5];
    let honest = party("proposer", 0x11, info_with(&p, &trace, &signed, &[]));
    let liar = party("challenger", 0x22, info_with(&p, &trace, &signed, &[]));
    let (g, _) = play(&p, &trace, &root, &[], &honest, &liar, true);
    println!(
        "k signatures, true run (hello.elf N={}): {:?} (evaluator: {}), MIPS steps {:?}, \
         attestation accepted/refused {:?} (gas {:?})",
        trace.steps(),
        g.status,
        g.verdict,
        g.steps,
        (g.attestations.0, g.attestations.1),
        g.attestations.2
    );
    assert_eq!(g.verdict, "true");
    assert_eq!(g.status, Status::True, "{}", g.transcript);
    assert_eq!(g.steps, (1, 0), "exactly one MIPS step on chain");
    assert_eq!((g.attestations.0, g.attestations.1), (1, 0));
}

/// The other direction of proof diversity: a committee that signs a wrong run (a wrong final
/// state, VALID status byte and all) does not make it True — the fault-proof VM still refutes
/// it by bisection.
#[test]
fn k_signatures_do_not_save_a_wrong_run() {
    let p = ogs::systems::rollup::program::program();
    let trace = record();
    let mut wrong = keccak256(b"not the final state");
    wrong[0] = 0; // VALID: only the trace is wrong
    let root = attested(&p, &trace, wrong);
    let signed = [1, 2, 3, 4, 5];
    let honest = party("challenger", 0x11, info_with(&p, &trace, &[], &[]));
    let liar = party("proposer", 0x22, info_with(&p, &trace, &signed, &[]));
    let (g, _) = play(&p, &trace, &root, &[], &honest, &liar, false);
    println!(
        "k signatures, wrong final state: {:?} (evaluator: {}), MIPS steps {:?}",
        g.status, g.verdict, g.steps
    );
    assert_eq!(g.verdict, "false");
    assert_eq!(g.status, Status::False, "{}", g.transcript);
    assert_eq!(g.steps, (0, 1), "the liar's one step is refused");
    // The attestation itself is true: the winning challenge is about the trace.
    let m = inputs().claimed;
    let w = encode_threshold_witness(
        &signed
            .iter()
            .take(K as usize)
            .enumerate()
            .map(|(i, k)| (i as u64, sign(&key(*k), m).to_vec()))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let reg = ogs::systems::standard();
    let v = reg.verifier("threshold_signed").unwrap();
    assert!(v.verify(&args(m, &COMMITTEE, K), &w));
}
