//! Rollup trace claims (SEMANTICS.md §6, `predicates/rollup.ogs`): `trace(ctx, s0, sN, N, k)`
//! disputed by a k-ary bisection on the in-process chain, ending in one MIPS step checked by
//! the `MIPS` contract.
//!
//! - `mips_step`, `split`, `ksplit` and `segments`: the Rust registry and the deployed
//!   contracts agree, on true and tampered witnesses and on split counts and sizes;
//! - an honest proposer's true trace of a real guest survives a malicious challenger that
//!   bisects down to one step; a malicious proposer's wrong final state is defeated by an
//!   honest challenger (also when it posts made-up intermediate hashes), for k = 2, 3 and 16;
//! - the number of bisection levels is at most ⌈log_k N⌉, exactly one MIPS step runs
//!   on-chain, and the evaluator's verdict is the on-chain decision. Gas is printed
//!   (`--nocapture`).

use alloy_primitives::{keccak256, Address, B256, U256};
use ogs::chain::Status;
use ogs::dispute::scenario::all_challenges;
use ogs::dispute::{how_of, Arena, Party};
use ogs::fpvm::MemoryOracle;
use ogs::lang::Program;
use ogs::logic::claim::{Claim, Name};
use ogs::logic::eval::{ChallengeKind, Evaluator, Verdict};
use ogs::logic::value::encode_list;
use ogs::logic::LocalInfo;
use ogs::systems::rollup::mips_step_hashes;
use ogs::systems::rollup::TraceKnowledge;
use ogs::systems::rollup::{VmTrace, MIPS_WITNESS_SIZE};
use std::collections::HashSet;
use std::sync::Arc;

use crate::onchain;
use onchain::{implementation, sol_quantify, sol_verify, sol_verify_exec};

const BOND: u64 = 1_000;
const WINDOW: u64 = 100;

/// Records a guest's run (at most `max_steps` steps).
fn record(guest: &str, max_steps: u64) -> Arc<VmTrace> {
    let path = format!("{}/tests/guests/bin/{guest}", env!("CARGO_MANIFEST_DIR"));
    let elf = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Arc::new(VmTrace::from_elf(&elf, MemoryOracle::new(), max_steps, 256).expect("runs"))
}

fn info_with(trace: &Arc<VmTrace>) -> LocalInfo {
    let mut info = LocalInfo::new();
    info.add_vm_trace(trace.clone());
    info.add_call_oracle(Arc::new(
        ogs::systems::rollup::trace_facts(&ogs::systems::rollup::program::program())
            .expect("rollup.ogs defines trace"),
    ));
    info
}

/// The zero local context (guests that read no local inputs).
const CTX: B256 = B256::ZERO;

fn party(name: &str, byte: u8, info: LocalInfo) -> Party {
    Party {
        name: name.into(),
        address: Address::repeat_byte(byte),
        info,
    }
}

/// ⌈log_k n⌉: the levels of a k-ary bisection of n steps.
fn ceil_log(n: u64, k: u64) -> u32 {
    let (mut levels, mut span) = (0, 1u64);
    while span < n {
        span = span.saturating_mul(k);
        levels += 1;
    }
    levels
}

/// The branching factors the games are played with.
const KS: [u64; 3] = [2, 3, 16];

fn word(n: u64) -> Vec<u8> {
    U256::from(n).to_be_bytes_vec()
}

#[test]
fn mips_step_agrees_with_the_contract_on_every_step_of_a_guest() {
    let trace = record("hello.elf", u64::MAX);
    assert!(trace.exited());
    let reg = ogs::systems::standard();
    let v = reg.verifier("mips_step").expect("registered");
    let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let at = implementation(&mut d, "mips_step", true);
    let mut max_gas = 0;
    // Every step, and the exited state stepping to itself.
    for i in 0..=trace.steps() {
        let (a, b) = (trace.hash_at(i).unwrap(), trace.hash_at(i + 1).unwrap());
        let w = trace.witness(i).expect("witness");
        assert_eq!(w.len(), MIPS_WITNESS_SIZE);
        assert_eq!(mips_step_hashes(&w), Some((a, b)), "step {i}");
        let args = vec![CTX.to_vec(), a.to_vec(), b.to_vec()];
        assert!(v.verify(&args, &w), "step {i}");
        let (ok, gas) = sol_verify_exec(&mut d, at, &args, &w);
        assert!(ok, "on-chain step {i}");
        // The evaluator's gas model bounds every real step (the cap it checks witnesses against).
        assert!(gas <= v.verify_gas(&args, &w), "step {i}: {gas} gas");
        max_gas = max_gas.max(gas);
        if i % 37 == 0 {
            // Wrong post-state, wrong pre-state, tampered proof and state, short witness.
            let wrong = vec![CTX.to_vec(), a.to_vec(), keccak256(b).to_vec()];
            let swapped = vec![CTX.to_vec(), b.to_vec(), b.to_vec()];
            let mut bad_proof = w.clone();
            bad_proof[226 + 40] ^= 1;
            let mut bad_state = w.clone();
            bad_state[70] ^= 4; // the pc
            for (args, w) in [
                (&wrong, &w),
                (&swapped, &w),
                (&args, &bad_proof),
                (&args, &bad_state),
                (&args, &w[..w.len() - 1].to_vec()),
            ] {
                let rust = v.verify(args, w);
                assert_eq!(rust, sol_verify(&mut d, at, args, w).0, "step {i}");
                // A tampered proof of an untouched data word still proves the step.
                if !(std::ptr::eq(w, &bad_proof) && rust) {
                    assert!(!rust, "step {i}");
                }
            }
        }
    }
    println!(
        "mips_step: {} steps of hello.elf agree; max execution gas of verify {max_gas}",
        trace.steps() + 1
    );
}

#[test]
fn split_sizes_are_checked_on_both_sides() {
    let reg = ogs::systems::standard();
    let q = reg.quantifier("split").expect("registered");
    let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let at = implementation(&mut d, "split", false);
    let m = B256::repeat_byte(7).to_vec();
    let (a, b) = (B256::repeat_byte(1).to_vec(), B256::repeat_byte(2).to_vec());
    for n in 0..12u64 {
        for h in 0..8u64 {
            for r in 0..8u64 {
                let args = vec![CTX.to_vec(), a.clone(), b.clone(), word(n)];
                let t = encode_list(vec![m.clone(), word(h), word(r)]);
                let want = n >= 2 && h == n.div_ceil(2) && r == n / 2;
                assert_eq!(q.quantify(&args, &t, &[]), want, "{n} {h} {r}");
                assert_eq!(sol_quantify(&mut d, at, &args, &t), want, "{n} {h} {r}");
            }
        }
    }
    // Not a canonical 3-tuple.
    let args = vec![CTX.to_vec(), a, b, word(5)];
    for t in [
        encode_list(vec![m.clone(), word(3)]),
        encode_list(vec![m.clone(), word(3), word(2), word(0)]),
        encode_list(vec![m[..31].to_vec(), word(3), word(2)]),
        vec![0u8; 64],
    ] {
        assert!(!q.quantify(&args, &t, &[]));
        assert!(!sol_quantify(&mut d, at, &args, &t));
    }
}

/// `ksplit` and `segments` accept exactly what their definitions say, in Rust and on chain:
/// every list length for small `n` and `k` (and `k` past `MAX_K`), every segment index, its
/// ends and size off by one, and malformed lists.
#[test]
fn k_split_counts_and_segment_sizes_are_checked_on_both_sides() {
    let reg = ogs::systems::standard();
    let (ks, seg) = (
        reg.quantifier("ksplit").expect("registered"),
        reg.quantifier("segments").expect("registered"),
    );
    let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let (ks_at, seg_at) = (
        implementation(&mut d, "ksplit", false),
        implementation(&mut d, "segments", false),
    );
    let (a, b) = (B256::repeat_byte(1), B256::repeat_byte(2));
    let hashes = |c: usize| -> Vec<Vec<u8>> {
        (0..c)
            .map(|i| B256::repeat_byte(0x30 + i as u8).to_vec())
            .collect()
    };
    let mut checked = 0;
    for n in 0..10u64 {
        for k in [0u64, 1, 2, 3, 4, 7, 256, 257] {
            let args = vec![CTX.to_vec(), a.to_vec(), b.to_vec(), word(n), word(k)];
            for count in 0..10usize {
                let t = encode_list(hashes(count));
                let want = n >= 2 && (2..=256).contains(&k) && count as u64 + 1 == k.min(n);
                assert_eq!(
                    ks.quantify(&args, &t, &[]),
                    want,
                    "ksplit n {n} k {k} count {count}"
                );
                assert_eq!(
                    sol_quantify(&mut d, ks_at, &args, &t),
                    want,
                    "ksplit n {n} k {k}"
                );
                checked += 1;
            }
        }
        for count in 0..6usize {
            let p = hashes(count);
            let m = count as u64 + 1;
            let args = vec![a.to_vec(), b.to_vec(), word(n), encode_list(p.clone())];
            for i in 0..m + 1 {
                let from = if i == 0 {
                    a.to_vec()
                } else {
                    p.get(i as usize - 1).cloned().unwrap_or_default()
                };
                let to = if i + 1 == m {
                    b.to_vec()
                } else {
                    p.get(i as usize).cloned().unwrap_or_default()
                };
                let size = n / m + u64::from(i < n % m);
                for (t, right) in [
                    (
                        encode_list(vec![from.clone(), to.clone(), word(size)]),
                        true,
                    ),
                    (
                        encode_list(vec![from.clone(), to.clone(), word(size + 1)]),
                        false,
                    ),
                    (
                        encode_list(vec![to.clone(), from.clone(), word(size)]),
                        from == to,
                    ),
                    (encode_list(vec![from.clone(), to.clone()]), false),
                ] {
                    let want = right && m >= 2 && m <= n && i < m && to.len() == 32;
                    let proof = word(i);
                    assert_eq!(
                        seg.quantify(&args, &t, &proof),
                        want,
                        "segments n {n} m {m} i {i}"
                    );
                    assert_eq!(
                        onchain::sol_quantify_with(&mut d, seg_at, &args, &t, &proof),
                        want,
                        "segments n {n} m {m} i {i}"
                    );
                    checked += 1;
                }
            }
        }
    }
    // Malformed lists: a short hash, not a list.
    let args = vec![CTX.to_vec(), a.to_vec(), b.to_vec(), word(5), word(3)];
    let short = encode_list(vec![vec![7; 31], vec![8; 32]]);
    assert!(!ks.quantify(&args, &short, &[]) && !sol_quantify(&mut d, ks_at, &args, &short));
    let args = vec![a.to_vec(), b.to_vec(), word(5), short.clone()];
    let t = encode_list(vec![a.to_vec(), vec![7; 31], word(3)]);
    assert!(!seg.quantify(&args, &t, &word(0)));
    assert!(!onchain::sol_quantify_with(
        &mut d,
        seg_at,
        &args,
        &t,
        &word(0)
    ));
    println!("ksplit / segments: {checked} cases agree");
}

/// The definition groups a challenge of `target` needs to unfold it (none unless it is a call).
fn groups_for(p: &Program, target: &Claim) -> Vec<Vec<u8>> {
    match target {
        Claim::Call { group, .. } => vec![p.groups[group].encoding.clone()],
        _ => vec![],
    }
}

/// What a played game shows.
struct Played {
    status: Status,
    verdict: &'static str,
    /// Step counts of the re-asserted trace claims, root first.
    path: Vec<u64>,
    /// MIPS steps run on-chain: (accepted, refused).
    steps: (usize, usize),
    /// Gas of the bisection moves (challenges and counter-claims before the step).
    move_gas: Vec<u64>,
    /// Gas of the transaction that ran the MIPS step.
    step_gas: Vec<u64>,
    transcript: String,
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

fn is_step_claim(c: &Claim) -> bool {
    matches!(c, Claim::Witness { verifier, .. } if *verifier == Name::of("mips_step"))
}

/// A liar's moves: every challenge it can form against every undecided claim its opponent
/// believes True (each once), except that of the segments of a split it disputes only
/// `pick`'s choice; a step claim it "proves" with the best witness it has (the true step from
/// that pre-state, which the contract refuses).
/// Splits come from `liar_info`, plus at the top level (`n` of `fake_midpoint`) one whose
/// first inner hash is the made-up one.
fn liar_moves(
    a: &mut Arena,
    liar: &Party,
    honest: &LocalInfo,
    pick: &dyn Fn(u64) -> usize,
    trace: &VmTrace,
    fake_midpoint: Option<(u64, B256)>,
    tried: &mut HashSet<(B256, B256)>,
) -> bool {
    let mut moved = false;
    for (id, c) in ogs::dispute::strategy::believed_true_targets(a, honest) {
        let mut options = all_challenges(a.program(), &liar.info, &c);
        // `segments_hold(ctx, a, b, n, k, p)`: dispute one segment.
        if let Claim::Call { args, .. } = &c {
            if args.len() == 6 && !options.is_empty() {
                let keep = pick(trace_n(&c).unwrap()) % options.len();
                options = options.into_iter().skip(keep).take(1).collect();
            }
        }
        if let (Some((n, m)), Claim::Forall { args, body, .. }) = (fake_midpoint, &c) {
            let at_n = args
                .get(3)
                .and_then(|t| t.as_lit())
                .map(U256::from_be_slice);
            let k = args
                .get(4)
                .and_then(|t| t.as_lit())
                .map(U256::from_be_slice);
            if let (Some(at_n), Some(k)) = (at_n.filter(|at| *at == U256::from(n)), k) {
                let parts = u64::try_from(k.min(at_n)).unwrap();
                let mut hashes: Vec<Vec<u8>> = (1..parts)
                    .map(|j| {
                        let at = j * (n / parts) + j.min(n % parts);
                        trace.hash_at(at).unwrap().to_vec()
                    })
                    .collect();
                hashes[0] = m.to_vec();
                let value = encode_list(hashes);
                let counter = Claim::instantiate(body, &value).expect("instance").negate();
                let how = how_of(&ChallengeKind::Instance {
                    value,
                    proof: vec![],
                });
                options.push((how, counter));
            }
        }
        for (mut how, counter) in options {
            if a.links().contains(&(id, counter.id())) || !tried.insert((id, counter.id())) {
                continue;
            }
            how.groups = groups_for(a.program(), &c);
            let w = if is_step_claim(&counter) {
                // Its best try: the true step from that pre-state.
                let Claim::Witness { args, .. } = &counter else {
                    unreachable!()
                };
                let pre = B256::from_slice(args[1].as_lit().unwrap());
                trace
                    .step_of(&pre)
                    .and_then(|i| trace.witness(i))
                    .unwrap_or_default()
            } else if matches!(counter, Claim::Witness { .. }) {
                continue;
            } else {
                vec![]
            };
            moved |= a.challenge(liar, &c, &how, &counter, &w).is_ok();
        }
    }
    moved
}

/// Plays `trace(s0, end, n, k)` claimed by `proposer` against `challenger`; `honest` is
/// whichever of the two tells the truth (it plays with the evaluator, the other one is the
/// liar).
#[allow(clippy::too_many_arguments)]
fn play(
    p: &Program,
    trace: &Arc<VmTrace>,
    n: u64,
    k: u64,
    end: B256,
    honest_proposes: bool,
    pick: &dyn Fn(u64) -> usize,
    fake_midpoint: Option<(u64, B256)>,
) -> Played {
    let s0 = trace.hash_at(0).unwrap();
    let claim = p
        .compile_claim(&format!("trace({CTX:#x}, {s0:#x}, {end:#x}, {n}, {k})"))
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let honest = party("honest", 0x11, info_with(trace));
    let liar = party("liar", 0x22, info_with(trace));
    let verdict = Evaluator::new(&p.registry, p, &honest.info)
        .decide(&claim)
        .expect("evaluates");
    let mut a = Arena::new(p, U256::from(BOND), WINDOW).expect("deploys");
    for who in [&honest, &liar] {
        a.dispute_mut()
            .chain
            .set_balance(who.address, U256::from(10u128.pow(24)));
    }
    let proposer = if honest_proposes { &honest } else { &liar };
    a.claim(proposer, &claim).expect("claim accepted");
    let mut tried = HashSet::new();
    loop {
        let moved = a.respond(&honest)
            | liar_moves(
                &mut a,
                &liar,
                &honest.info,
                pick,
                trace,
                fake_midpoint,
                &mut tried,
            );
        if !moved {
            break;
        }
    }
    for e in a.log() {
        if e.actor == "honest" {
            assert_eq!(e.outcome, "ok", "the contract refused {}", e.call);
        }
    }
    a.wait(WINDOW + 1);
    a.settle(&honest);
    let status = a.status(&claim);
    let transcript = a.render(&claim);
    // The step counts of the re-asserted segments, in the order they were posted.
    let mut path = vec![n];
    let mut steps = (0, 0);
    let mut move_gas = Vec::new();
    let mut step_gas = Vec::new();
    for e in a.log() {
        let is_step = e.call.contains(" witness mips_step(") && !e.call.contains("not witness");
        if is_step && e.call.starts_with("challenge") {
            if e.outcome == "ok" {
                steps.0 += 1;
            } else {
                steps.1 += 1;
            }
            step_gas.push(e.gas);
        } else if e.call.starts_with("challenge") && e.outcome == "ok" {
            move_gas.push(e.gas);
        }
    }
    let mut calls: Vec<(u64, usize)> = a
        .claims()
        .values()
        .filter(|c| **c != claim)
        .filter_map(|c| {
            let n = trace_n(c)?;
            let at = a
                .log()
                .iter()
                .position(|e| e.call.contains(&format!("{:#x}", c.id())[..10]))?;
            Some((n, at))
        })
        .collect();
    calls.sort_by_key(|(_, at)| *at);
    path.extend(calls.iter().map(|(n, _)| *n));
    // `trace`, `refuted` and `segments_hold` of one level dispute the same `n`.
    path.dedup();
    // Every refused step is the liar's (each try is made once).
    for e in a.log() {
        if e.outcome != "ok" && e.call.contains(" witness mips_step(") {
            assert_eq!(e.actor, "liar");
        }
    }
    Played {
        status,
        verdict: verdict.label(),
        path,
        steps,
        move_gas,
        step_gas,
        transcript,
    }
}

fn report(what: &str, g: &Played) {
    let total: u64 = g.move_gas.iter().sum();
    println!(
        "{what}: {:?} on chain (evaluator: {}), path {:?}, {} levels, MIPS steps accepted {} refused {}, \
         {} moves: mean {} max {} gas ({} gas per level), step tx gas {:?}",
        g.status,
        g.verdict,
        g.path,
        g.path.len() - 1,
        g.steps.0,
        g.steps.1,
        g.move_gas.len(),
        total / g.move_gas.len().max(1) as u64,
        g.move_gas.iter().max().copied().unwrap_or(0),
        total / (g.path.len() as u64 - 1).max(1),
        g.step_gas
    );
}

fn check_path(g: &Played, n: u64, k: u64) {
    let levels = (g.path.len() - 1) as u32;
    assert!(
        levels <= ceil_log(n, k),
        "{levels} levels for N = {n}, k = {k}"
    );
    assert_eq!(*g.path.last().unwrap(), 1, "ends at one step: {:?}", g.path);
    for w in g.path.windows(2) {
        let m = k.min(w[0]);
        assert!(w[1] == w[0].div_ceil(m) || w[1] == w[0] / m, "{:?}", g.path);
    }
}

#[test]
fn an_honest_proposer_survives_a_malicious_challenger() {
    let p = ogs::systems::rollup::program::program();
    let trace = record("hello.elf", u64::MAX);
    let n = trace.steps();
    let end = trace.hash_at(n).unwrap();
    // The challenger disputes the first segment, the second (the last of two), or alternates.
    let picks: [(&str, &dyn Fn(u64) -> usize); 3] = [
        ("first halves", &|_| 0),
        ("second halves", &|_| 1),
        ("alternating", &|n| (n % 2) as usize),
    ];
    for k in KS {
        for (what, pick) in picks {
            let g = play(&p, &trace, n, k, end, true, pick, None);
            report(
                &format!("hello.elf N={n}, k={k}, true claim, liar disputes {what}"),
                &g,
            );
            assert_eq!(g.verdict, "true");
            assert_eq!(g.status, Status::True, "{}", g.transcript);
            check_path(&g, n, k);
            assert_eq!(g.steps, (1, 0), "exactly one MIPS step on-chain");
        }
    }
}

#[test]
fn a_wrong_final_state_is_defeated_by_an_honest_challenger() {
    let p = ogs::systems::rollup::program::program();
    let trace = record("hello.elf", u64::MAX);
    let n = trace.steps();
    let wrong = keccak256(b"not the final state");
    for k in KS {
        let g = play(&p, &trace, n, k, wrong, false, &|_| 0, None);
        report(&format!("hello.elf N={n}, k={k}, wrong final state"), &g);
        assert_eq!(g.verdict, "false");
        assert_eq!(g.status, Status::False, "{}", g.transcript);
        check_path(&g, n, k);
        // The liar's one try at the last step runs the MIPS step on-chain and is refused.
        assert_eq!(g.steps, (0, 1));
        // A wrong state in the middle of the run (a prefix claim), with the final state right.
        let m = n / 3;
        let g = play(
            &p,
            &trace,
            m,
            k,
            trace.hash_at(m + 1).unwrap(),
            false,
            &|_| 0,
            None,
        );
        report(&format!("hello.elf N={m}, k={k}, off by one step"), &g);
        assert_eq!((g.verdict, g.status), ("false", Status::False));
        check_path(&g, m, k);
        assert_eq!(g.steps, (0, 1));
    }
}

#[test]
fn a_lie_about_the_midpoint_is_defeated_too() {
    let p = ogs::systems::rollup::program::program();
    let trace = record("hello.elf", u64::MAX);
    let n = trace.steps();
    let wrong = keccak256(b"not the final state");
    // At the top level the liar also offers a split whose first inner hash is made up: the
    // honest challenger then disputes its first segment as well, in a second bisection of its
    // own.
    let fake = keccak256(b"made-up midpoint");
    for k in KS {
        let g = play(&p, &trace, n, k, wrong, false, &|_| 0, Some((n, fake)));
        report(
            &format!("hello.elf N={n}, k={k}, wrong final state and a made-up split"),
            &g,
        );
        assert_eq!((g.verdict, g.status), ("false", Status::False));
        assert_eq!(g.steps.0, 0);
    }
}

#[test]
fn a_longer_prefix_of_branch_elf() {
    let p = ogs::systems::rollup::program::program();
    let n = 2_000;
    let trace = record("branch.elf", n);
    assert_eq!(trace.steps(), n);
    let end = trace.hash_at(n).unwrap();
    for k in KS {
        let g = play(&p, &trace, n, k, end, true, &|n| (n % 2) as usize, None);
        report(&format!("branch.elf N={n}, k={k}, true claim"), &g);
        assert_eq!((g.verdict, g.status), ("true", Status::True));
        check_path(&g, n, k);
        assert_eq!(g.steps, (1, 0));
        let g = play(&p, &trace, n, k, keccak256(b"wrong"), false, &|_| 0, None);
        report(&format!("branch.elf N={n}, k={k}, wrong final state"), &g);
        assert_eq!((g.verdict, g.status), ("false", Status::False));
        check_path(&g, n, k);
        assert_eq!(g.steps, (0, 1));
    }
}

/// `TraceFacts` (deciding `trace` from two state hashes) answers True exactly where unfolding
/// the claim all the way down to its `mips_step` leaves does — on true spans, wrong end states,
/// zero and one steps, and spans running past the program's exit.
#[test]
fn trace_facts_agree_with_unfolding() {
    let p = ogs::systems::rollup::program::program();
    let trace = record("hello.elf", u64::MAX);
    let n_all = trace.steps();
    let fast = info_with(&trace);
    let mut slow = LocalInfo::new();
    slow.add_vm_trace(trace.clone());
    let mut seed = 0x5eed_u64;
    let mut next = |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m.max(1)
    };
    let mut cases = vec![
        (0, n_all, true, 2),
        (0, 0, true, 2),
        (n_all, 5, true, 3),
        (3, 1, false, 16),
        // No `k` a split accepts: only one step can be true.
        (5, 1, true, 0),
        (5, 2, true, 1),
        (5, 40, true, 257),
        (5, 40, true, 256),
    ];
    for _ in 0..60 {
        let i = next(n_all);
        let n = match next(4) {
            0 => 1 + next(4),
            1 => n_all - i + next(20),
            _ => 1 + next(n_all - i),
        };
        cases.push((i, n, next(3) != 0, [2, 3, 16][next(3) as usize]));
    }
    let mut labels = std::collections::BTreeMap::new();
    for (i, n, right, k) in cases {
        let a = trace.hash_at(i).unwrap();
        let b = if right {
            trace.hash_at(i + n).unwrap()
        } else {
            keccak256(format!("wrong {i} {n}"))
        };
        let claim = p
            .compile_claim(&format!("trace({CTX:#x}, {a:#x}, {b:#x}, {n}, {k})"))
            .expect("compiles");
        let quick = Evaluator::new(&p.registry, &p, &fast)
            .decide(&claim)
            .unwrap();
        let full = Evaluator::new(&p.registry, &p, &slow)
            .decide(&claim)
            .unwrap();
        assert_eq!(
            quick.label(),
            full.label(),
            "step {i}, {n} steps, right end {right}, k {k}"
        );
        if let (Verdict::False { challenge: q, .. }, Verdict::False { challenge: f, .. }) =
            (&quick, &full)
        {
            assert_eq!(q.counter, f.counter, "the same counter-claim");
        }
        *labels.entry(full.label()).or_insert(0) += 1;
    }
    println!("trace facts vs unfolding on hello.elf: {labels:?}");
    assert!(labels.get("true").copied().unwrap_or(0) >= 20);
    assert!(labels.get("false").copied().unwrap_or(0) >= 10);
}
