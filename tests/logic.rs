//! Claims, their canonical encoding, the registry and the evaluator
//! (SEMANTICS.md §1, §2 and §5), with real k256 signatures.

use alloy_primitives::{keccak256, Address, B256, U256};
use ogs::lang::{check_source, Program};
use ogs::logic::claim::{Claim, Name, Term};
use ogs::logic::crypto::{self, address_of, merkle_proof, merkle_root, merkle_verify};
use ogs::logic::eval::{check_challenge, ChallengeKind, Evaluator, Verdict};
use ogs::logic::local::{LocalInfo, LocalInfoError};
use ogs::logic::value::{encode_list, Type, Value};
use ogs::systems::channel::ChannelKnowledge;
use ogs::systems::channel::{channel_update, sign_update, ChannelInfo, KnownUpdate};
use ogs::systems::common::encode_merkle_witness;
use proptest::prelude::*;

// ------------------------------------------------------------------ helpers

fn key(n: u8) -> k256::ecdsa::SigningKey {
    let mut s = [0u8; 32];
    s[31] = n;
    s[0] = 0x42;
    crypto::signing_key(&s).expect("valid key")
}

fn addr(n: u8) -> Address {
    address_of(key(n).verifying_key())
}

fn program(src: &str) -> Program {
    check_source("test.ogs", src, &ogs::systems::standard())
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

fn decide(p: &Program, claim: &str, info: &LocalInfo) -> (Claim, Verdict) {
    let c = p
        .compile_claim(claim)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let v = Evaluator::new(&p.registry, p, info)
        .decide(&c)
        .expect("evaluates");
    (c, v)
}

/// Every witness the evaluator hands out really verifies, and every counter-claim
/// it proposes is a valid challenge of its target (SEMANTICS.md §2).
fn assert_sound(p: &Program, v: &Verdict) {
    let ev = match v {
        Verdict::True(e) => e,
        Verdict::False {
            challenge,
            evidence,
        } => {
            if challenge.kind != ChallengeKind::Negation {
                check_challenge(
                    &challenge.target,
                    &challenge.kind,
                    &challenge.counter,
                    p,
                    &p.registry,
                )
                .unwrap_or_else(|e| {
                    panic!("invalid counter-claim {}: {e}", p.show(&challenge.counter))
                });
            } else {
                assert_eq!(challenge.counter, challenge.target.clone().negate());
            }
            evidence
        }
        Verdict::Unknown(m) => {
            assert!(!m.is_empty(), "unknown must say what is missing");
            return;
        }
    };
    for w in &ev.witnesses {
        let Claim::Witness { verifier, args } = &w.claim else {
            panic!("witness for a non-witness claim")
        };
        let v = p.registry.verifier_by_id(verifier).expect("registered");
        let args: Vec<Vec<u8>> = args
            .iter()
            .map(|t| t.as_lit().expect("closed").to_vec())
            .collect();
        assert!(
            v.verify(&args, &w.witness),
            "witness for {} does not verify",
            p.show(&w.claim)
        );
    }
    for c in &ev.challenges {
        check_challenge(&c.target, &c.kind, &c.counter, p, &p.registry)
            .expect("valid response challenge");
    }
}

const CHANNEL: &str = "use \"channel.ogs\";";

fn update(nonce: u64, state: u8) -> Value {
    channel_update(
        B256::repeat_byte(0xc1),
        U256::from(nonce),
        B256::repeat_byte(state),
        &[addr(1), addr(2)],
    )
}

fn update_text(nonce: u64, state: u8) -> String {
    format!(
        "ChannelUpdate {{ channel: {:#x}, nonce: {nonce}, state_hash: {:#x}, participants: [{:#x}, {:#x}] }}",
        B256::repeat_byte(0xc1),
        B256::repeat_byte(state),
        addr(1),
        addr(2)
    )
}

fn known(nonce: u64, state: u8, signers: &[u8]) -> KnownUpdate {
    let v = update(nonce, state);
    let sigs = [1u8, 2]
        .iter()
        .map(|k| {
            signers
                .contains(k)
                .then(|| sign_update(&key(*k), &v).to_vec())
        })
        .collect();
    KnownUpdate {
        nonce: U256::from(nonce),
        value: v,
        signatures: sigs,
    }
}

fn channel_info(updates: Vec<KnownUpdate>, complete: bool) -> LocalInfo {
    let mut info = LocalInfo::new();
    info.set_channel(
        B256::repeat_byte(0xc1),
        ChannelInfo {
            participants: vec![addr(1), addr(2)],
            complete,
            updates,
        },
    );
    info
}

// ------------------------------------------------------------- primitives

#[test]
fn witness_exists_decided_by_local_witness() {
    let p = program("def h(x: bytes32) := witness preimage(x)");
    let data = b"hello ogs".to_vec();
    let h = keccak256(&data);
    let mut info = LocalInfo::new();
    // Without the pre-image: unknown, and it says what is missing.
    let (_, v) = decide(&p, &format!("h({h:#x})"), &info);
    assert!(
        matches!(&v, Verdict::Unknown(m) if m[0].contains("pre-image")),
        "{v:?}"
    );
    info.add_preimage(data.clone());
    let (_, v) = decide(&p, &format!("h({h:#x})"), &info);
    match &v {
        Verdict::True(e) => assert_eq!(e.witnesses[0].witness, data),
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
}

#[test]
fn atomic_tests_eq_and_lt() {
    let p = program("def t(a: uint256, b: uint256) := lt(a, b) and not eq(a, 7)");
    let (_, v) = decide(&p, "t(3, 5)", &LocalInfo::new());
    assert_eq!(v.label(), "true");
    assert_sound(&p, &v);
    // First conjunct fails: the counter-claim is NOT(lt(6, 5)), challenging conjunct 0.
    let (_, v) = decide(&p, "t(6, 5)", &LocalInfo::new());
    match &v {
        Verdict::False { challenge, .. } => {
            assert_eq!(challenge.kind, ChallengeKind::AndChild { index: 0 });
            assert_eq!(p.show(&challenge.counter), "not witness lt(6, 5)");
        }
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
    // Second conjunct fails: NOT(NOT eq) is eq itself (double negation removed).
    let (_, v) = decide(&p, "t(7, 9)", &LocalInfo::new());
    match &v {
        Verdict::False {
            challenge,
            evidence,
        } => {
            assert_eq!(challenge.kind, ChallengeKind::AndChild { index: 1 });
            // Both sides of `eq` are literals, so the text shows their 32-byte encodings.
            assert_eq!(
                p.show(&challenge.counter),
                format!("witness eq({0:#x}, {0:#x})", B256::with_last_byte(7))
            );
            assert_eq!(evidence.witnesses.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
}

#[test]
fn not_flips_and_names_the_operand_as_challenge() {
    let p = program("def n(a: uint256) := not eq(a, 1)");
    let (c, v) = decide(&p, "n(1)", &LocalInfo::new());
    match &v {
        Verdict::False { challenge, .. } => {
            assert_eq!(challenge.kind, ChallengeKind::Not);
            let Claim::Not(inner) = &c else { panic!() };
            assert_eq!(&challenge.counter, &**inner);
        }
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
    let (_, v) = decide(&p, "n(2)", &LocalInfo::new());
    assert_eq!(v.label(), "true");
}

#[test]
fn forall_finds_the_first_counterexample() {
    let p = program("def small(n: uint256, k: uint256) := forall x in below(n): lt(x, k)");
    let (_, v) = decide(&p, "small(5, 5)", &LocalInfo::new());
    assert_eq!(v.label(), "true");
    let (_, v) = decide(&p, "small(5, 3)", &LocalInfo::new());
    match &v {
        Verdict::False { challenge, .. } => {
            let ChallengeKind::Instance { value, .. } = &challenge.kind else {
                panic!()
            };
            assert_eq!(
                Value::decode(&Type::Uint256, value),
                Ok(Value::Uint(U256::from(3)))
            );
            assert_eq!(p.show(&challenge.counter), "not witness lt(3, 3)");
        }
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
}

#[test]
fn exists_is_true_with_the_challenge_that_proves_it() {
    let p = program("def has3(n: uint256) := exists x in range(1, n): eq(x, 3)");
    let (_, v) = decide(&p, "has3(10)", &LocalInfo::new());
    match &v {
        Verdict::True(e) => {
            assert_eq!(
                e.challenges.len(),
                1,
                "defend by challenging the UQ at x = 3"
            );
            assert_eq!(
                p.show(&e.challenges[0].counter),
                format!("witness eq({0:#x}, {0:#x})", B256::with_last_byte(3))
            );
            assert_eq!(e.witnesses.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
    let (_, v) = decide(&p, "has3(3)", &LocalInfo::new());
    assert_eq!(v.label(), "false");
    assert_sound(&p, &v);
}

#[test]
fn unknown_domain_is_never_guessed() {
    let p = program("def big() := forall x in below(0x10000000000): lt(x, 0x10000000000)");
    let (_, v) = decide(&p, "big()", &LocalInfo::new());
    assert!(
        matches!(&v, Verdict::Unknown(m) if m[0].contains("domain")),
        "{v:?}"
    );
    let p = program("def m(r: bytes32) := forall x in members(r): not eq(x, 0x00000000000000000000000000000000000000000000000000000000000000ff)");
    let (_, v) = decide(
        &p,
        &format!("m({:#x})", B256::repeat_byte(9)),
        &LocalInfo::new(),
    );
    assert_eq!(v.label(), "unknown");
}

#[test]
fn merkle_sets_and_inclusion() {
    let leaves: Vec<B256> = (0..5u8).map(B256::repeat_byte).collect();
    let mut info = LocalInfo::new();
    let root = info.add_merkle_set(leaves.clone(), true);
    assert_eq!(root, merkle_root(&leaves));
    for (i, l) in leaves.iter().enumerate() {
        let proof = merkle_proof(&leaves, i).expect("in range");
        assert!(merkle_verify(root, *l, i as u64, &proof));
        assert!(!merkle_verify(root, *l, (i as u64) ^ 1, &proof));
    }
    let p = program(
        "def in_set(r: bytes32, l: bytes32) := merkle_included(r, l)\n\
         def none_is(r: bytes32, l: bytes32) := forall x in members(r): not eq(x, l)",
    );
    let (_, v) = decide(&p, &format!("in_set({root:#x}, {:#x})", leaves[3]), &info);
    assert_eq!(v.label(), "true");
    assert_sound(&p, &v);
    let (_, v) = decide(
        &p,
        &format!("in_set({root:#x}, {:#x})", B256::repeat_byte(77)),
        &info,
    );
    assert_eq!(v.label(), "false", "complete set without the leaf");
    let (_, v) = decide(&p, &format!("none_is({root:#x}, {:#x})", leaves[2]), &info);
    match &v {
        Verdict::False { challenge, .. } => {
            let ChallengeKind::Instance { proof, .. } = &challenge.kind else {
                panic!()
            };
            let expected = encode_merkle_witness(2, &merkle_proof(&leaves, 2).expect("proof"));
            assert_eq!(
                proof, &expected,
                "the instance carries its membership proof"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
}

#[test]
fn signed_by_with_real_signatures() {
    let p = program("def s(m: bytes32, who: address) := signed_by(m, who)");
    let m = keccak256(b"pay bob 5");
    let sig = crypto::sign(&key(1), m);
    let mut info = LocalInfo::new();
    let claim = format!("s({m:#x}, {:#x})", addr(1));
    assert_eq!(decide(&p, &claim, &info).1.label(), "unknown");
    info.add_own(addr(1));
    assert_eq!(
        decide(&p, &claim, &info).1.label(),
        "false",
        "own key never signed it"
    );
    info.add_signature(m, addr(1), sig.to_vec()).expect("valid");
    let (_, v) = decide(&p, &claim, &info);
    assert_eq!(v.label(), "true");
    assert_sound(&p, &v);
    // A signature by someone else is refused when loading.
    assert!(info.add_signature(m, addr(2), sig.to_vec()).is_err());
    // High-s and bad v are refused by the verifier itself.
    let v = p.registry.verifier("signed_by").expect("registered");
    let args = vec![Value::Bytes32(m).encode(), Value::Address(addr(1)).encode()];
    assert!(v.verify(&args, &sig));
    let mut bad_v = sig;
    bad_v[64] = 29;
    assert!(!v.verify(&args, &bad_v));
    assert!(!v.verify(&args, &sig[..64]));
    assert!(
        !v.verify(&args[..1], &sig),
        "missing arguments are false, not a panic"
    );
}

#[test]
fn recursive_definitions_unfold_on_demand() {
    let p = program(
        "def reach(n: uint256) := eq(n, 0) or (exists m in below(n): reach(m))\n\
         def never(n: uint256) := lt(n, 0) or (exists m in below(n): never(m))",
    );
    let (c, v) = decide(&p, "reach(4)", &LocalInfo::new());
    assert!(
        matches!(c, Claim::Call { .. }),
        "a recursive call stays a call"
    );
    assert_eq!(v.label(), "true");
    assert_sound(&p, &v);
    let (_, v) = decide(&p, "never(3)", &LocalInfo::new());
    match &v {
        Verdict::False { challenge, .. } => assert!(challenge.via_unfold),
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
}

// --------------------------------------------------------- channel exits

#[test]
fn channel_exit_true_when_nothing_later_is_fully_signed() {
    let p = program(CHANNEL);
    let info = channel_info(vec![known(3, 3, &[1, 2]), known(5, 5, &[1, 2])], true);
    let (_, v) = decide(&p, &format!("channel_exit({})", update_text(5, 5)), &info);
    assert_eq!(v.label(), "true", "{v:?}");
    let (_, v) = decide(
        &p,
        &format!("signed_channel_exit({})", update_text(5, 5)),
        &info,
    );
    match &v {
        Verdict::True(e) => assert_eq!(e.witnesses.len(), 1, "the exited update's own signatures"),
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
}

#[test]
fn stale_channel_exit_is_defeated_by_the_later_signed_update() {
    let p = program(CHANNEL);
    let info = channel_info(
        vec![
            known(3, 3, &[1, 2]),
            known(5, 5, &[1, 2]),
            known(7, 7, &[1, 2]),
        ],
        true,
    );
    let (_, v) = decide(&p, &format!("channel_exit({})", update_text(5, 5)), &info);
    match &v {
        Verdict::False {
            challenge,
            evidence,
        } => {
            // The challenge at `later` is `witness all_signed(later)` itself.
            assert_eq!(
                p.show(&challenge.counter),
                format!("witness all_signed({})", update_text(7, 7))
            );
            assert_eq!(evidence.witnesses.len(), 1);
            let sigs = encode_list(vec![
                sign_update(&key(1), &update(7, 7)).to_vec(),
                sign_update(&key(2), &update(7, 7)).to_vec(),
            ]);
            assert_eq!(evidence.witnesses[0].witness, sigs);
        }
        other => panic!("{other:?}"),
    }
    assert_sound(&p, &v);
}

#[test]
fn later_update_signed_by_one_side_only() {
    let p = program(CHANNEL);
    // Update 7 carries only participant 2's signature.
    let mut info = channel_info(vec![known(5, 5, &[1, 2]), known(7, 7, &[2])], true);
    let claim = format!("channel_exit({})", update_text(5, 5));
    // Participant 1's signature might exist elsewhere: unknown.
    assert_eq!(decide(&p, &claim, &info).1.label(), "unknown");
    // If we are participant 1, we know we never signed it: true.
    info.add_own(addr(1));
    let (_, v) = decide(&p, &claim, &info);
    assert_eq!(v.label(), "true");
    assert_sound(&p, &v);
}

#[test]
fn incomplete_channel_knowledge_is_unknown() {
    let p = program(CHANNEL);
    let info = channel_info(vec![known(5, 5, &[1, 2])], false);
    let (_, v) = decide(&p, &format!("channel_exit({})", update_text(5, 5)), &info);
    assert!(
        matches!(&v, Verdict::Unknown(m) if m[0].contains("complete")),
        "{v:?}"
    );
}

#[test]
fn forged_channel_signature_is_not_a_witness() {
    let r = ogs::systems::standard();
    let all = r.verifier("all_signed").expect("registered");
    let u = update(7, 7);
    let good = vec![
        sign_update(&key(1), &u).to_vec(),
        sign_update(&key(2), &u).to_vec(),
    ];
    assert!(all.verify(&[u.encode()], &encode_list(good.clone())));
    // Signed by a stranger, by the right people over another update, or too few.
    let stranger = vec![good[0].clone(), sign_update(&key(3), &u).to_vec()];
    assert!(!all.verify(&[u.encode()], &encode_list(stranger)));
    let other = update(8, 7);
    let wrong_msg = vec![
        sign_update(&key(1), &other).to_vec(),
        sign_update(&key(2), &other).to_vec(),
    ];
    assert!(!all.verify(&[u.encode()], &encode_list(wrong_msg)));
    assert!(!all.verify(&[u.encode()], &encode_list(good[..1].to_vec())));
    assert!(!all.verify(&[u.encode()], b"garbage"));
    // An update without participants is never "all signed".
    let empty = channel_update(B256::ZERO, U256::ONE, B256::ZERO, &[]);
    assert!(!all.verify(&[empty.encode()], &encode_list(vec![])));
}

// --------------------------------------------------------- local info

#[test]
fn local_info_json_errors_name_the_place() {
    let e = LocalInfo::from_json(
        "{ \"preimages\": [\"0x12\", ] }",
        ogs::systems::standard().info_sections(),
    )
    .expect_err("trailing comma");
    assert!(matches!(e, LocalInfoError::Json { line: 1, .. }), "{e}");
    let e = LocalInfo::from_json("{ \"oops\": 1 }", ogs::systems::standard().info_sections())
        .expect_err("unknown field");
    assert!(e.to_string().contains("oops"), "{e}");
    let e = LocalInfo::from_json(
        "{ \"channels\": [{ \"id\": \"0x12\", \"participants\": [] }] }",
        ogs::systems::standard().info_sections(),
    )
    .expect_err("short id");
    assert!(e.to_string().contains("line 1"), "{e}");
    // A signature that recovers to someone else is named by its JSON path.
    let u = update(5, 5);
    let good = sign_update(&key(1), &u);
    let forged = sign_update(&key(3), &u);
    let json = format!(
        r#"{{ "channels": [{{ "id": "{:#x}", "participants": ["{:#x}", "{:#x}"], "complete": true,
             "updates": [{{ "nonce": 5, "state_hash": "{:#x}", "signatures": ["0x{}", "0x{}"] }}] }}] }}"#,
        B256::repeat_byte(0xc1),
        addr(1),
        addr(2),
        B256::repeat_byte(5),
        hex::encode(good),
        hex::encode(forged)
    );
    let e =
        LocalInfo::from_json(&json, ogs::systems::standard().info_sections()).expect_err("forged");
    assert!(
        e.to_string()
            .starts_with("channels[0].updates[0].signatures[1]"),
        "{e}"
    );
    let e = LocalInfo::from_json(
        &json.replace(&hex::encode(forged), "00"),
        ogs::systems::standard().info_sections(),
    )
    .expect_err("short");
    assert!(e.to_string().contains("65 bytes"), "{e}");
    // And the good half alone loads.
    let ok = json.replace(&format!("\"0x{}\"", hex::encode(forged)), "null");
    assert!(LocalInfo::from_json(&ok, ogs::systems::standard().info_sections()).is_ok());
    let e = LocalInfo::from_json(r#"{ "signatures": [{ "message": "0x0000000000000000000000000000000000000000000000000000000000000001", "signer": "0x0000000000000000000000000000000000000001", "signature": "0x00" }] }"#, ogs::systems::standard().info_sections()).expect_err("bad");
    assert!(e.to_string().starts_with("signatures[0]"), "{e}");
}

// ------------------------------------------------------ encoding (proptest)

#[derive(Clone, Debug)]
enum Raw {
    Not(Box<Raw>),
    And(Vec<Raw>),
    Witness(u8, Vec<RawTerm>),
    Forall(u8, Vec<RawTerm>, Box<Raw>),
    Call([u8; 32], u32, Vec<RawTerm>),
}

#[derive(Clone, Debug)]
enum RawTerm {
    Lit(Vec<u8>),
    Var(u32, Vec<u32>),
    Tuple(Vec<RawTerm>),
}

fn raw_term() -> impl Strategy<Value = RawTerm> {
    let leaf = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..40).prop_map(RawTerm::Lit),
        (any::<u32>(), prop::collection::vec(0u32..4, 0..3)).prop_map(|(i, p)| RawTerm::Var(i, p)),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop::collection::vec(inner, 1..3).prop_map(RawTerm::Tuple)
    })
}

fn raw() -> impl Strategy<Value = Raw> {
    let leaf = prop_oneof![
        (any::<u8>(), prop::collection::vec(raw_term(), 0..3))
            .prop_map(|(n, a)| Raw::Witness(n, a)),
        (
            any::<[u8; 32]>(),
            any::<u32>(),
            prop::collection::vec(raw_term(), 0..2)
        )
            .prop_map(|(g, i, a)| Raw::Call(g, i, a)),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|r| Raw::Not(Box::new(r))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Raw::And),
            (any::<u8>(), prop::collection::vec(raw_term(), 0..2), inner)
                .prop_map(|(n, a, b)| Raw::Forall(n, a, Box::new(b))),
        ]
    })
}

fn build_term(t: &RawTerm, binders: u32) -> Term {
    match t {
        RawTerm::Lit(b) => Term::Lit(b.clone()),
        RawTerm::Var(i, p) if binders > 0 => Term::Var {
            index: i % binders,
            path: p.clone(),
        },
        RawTerm::Var(i, _) => Term::Lit(i.to_be_bytes().to_vec()),
        RawTerm::Tuple(ts) => Term::tuple(ts.iter().map(|t| build_term(t, binders)).collect()),
    }
}

/// A closed, canonical claim from a raw tree (the smart constructors remove
/// double negation and flatten ANDs, as the compiler does).
fn build(r: &Raw, binders: u32) -> Claim {
    match r {
        Raw::Not(p) => build(p, binders).negate(),
        Raw::And(ps) => Claim::and(ps.iter().map(|p| build(p, binders)).collect()),
        Raw::Witness(n, a) => Claim::Witness {
            verifier: Name::of(&format!("v{n}")),
            args: a.iter().map(|t| build_term(t, binders)).collect(),
        },
        Raw::Forall(n, a, b) => Claim::Forall {
            quantifier: Name::of(&format!("q{n}")),
            args: a.iter().map(|t| build_term(t, binders)).collect(),
            body: Box::new(build(b, binders + 1)),
        },
        Raw::Call(g, i, a) => Claim::Call {
            group: B256::from(*g) | B256::with_last_byte(1),
            index: *i,
            args: a.iter().map(|t| build_term(t, binders)).collect(),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// decode(encode(c)) == c.
    #[test]
    fn encoding_roundtrips(r in raw()) {
        let c = build(&r, 0);
        prop_assert!(c.is_closed());
        let bytes = c.encode();
        prop_assert_eq!(Claim::decode(&bytes), Ok(c.clone()));
        prop_assert_eq!(c.id(), keccak256(&bytes));
    }

    /// encode is injective: different claims, different bytes (and ids).
    #[test]
    fn encoding_is_injective(a in raw(), b in raw()) {
        let (a, b) = (build(&a, 0), build(&b, 0));
        prop_assert_eq!(a == b, a.encode() == b.encode());
        prop_assert_eq!(a == b, a.id() == b.id());
    }

    /// Only canonical bytes decode: whatever decodes re-encodes to exactly the same bytes.
    #[test]
    fn only_canonical_bytes_decode(r in raw(), at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let c = build(&r, 0);
        let mut bytes = c.encode();
        let i = at.index(bytes.len());
        if cut { bytes.truncate(i); } else { bytes[i] = byte; }
        if let Ok(d) = Claim::decode(&bytes) {
            prop_assert_eq!(d.encode(), bytes);
        }
    }

    /// Values: decode(encode(v)) == v for well-typed values; wrong padding is rejected.
    #[test]
    fn values_roundtrip(n in any::<[u8; 32]>(), a in any::<[u8; 20]>(), b in any::<bool>(), bytes in prop::collection::vec(any::<u8>(), 0..70)) {
        let ty = Type::Tuple(vec![Type::Uint256, Type::Address, Type::Bool, Type::Bytes, Type::Array(Box::new(Type::Bytes32))]);
        let v = Value::List(vec![
            Value::Uint(U256::from_be_bytes(n)),
            Value::Address(Address::from(a)),
            Value::Bool(b),
            Value::Bytes(bytes),
            Value::List(vec![Value::Bytes32(B256::from(n)); 2]),
        ]);
        prop_assert_eq!(Value::decode(&ty, &v.encode()), Ok(v));
        let mut dirty = Value::Address(Address::from(a)).encode();
        dirty[0] = 1;
        prop_assert!(Value::decode(&Type::Address, &dirty).is_err());
    }

    /// Instantiation replaces exactly the bound variable and keeps claims closed.
    #[test]
    fn instantiation_closes_the_body(r in raw(), t in prop::collection::vec(any::<u8>(), 0..40)) {
        let body = build(&r, 1);
        let value = encode_list(vec![t.clone(), t.clone(), t.clone(), t]);
        if let Ok(inst) = Claim::instantiate(&body, &value) {
            prop_assert!(inst.is_closed());
            prop_assert_eq!(Claim::decode(&inst.encode()), Ok(inst));
        }
    }
}

/// A definition group given by hand (as anyone can admit on chain), bypassing the checker.
struct HandGroup {
    id: B256,
    templates: Vec<(Claim, usize)>,
}

impl ogs::logic::claim::Definitions for HandGroup {
    fn template(&self, group: B256, index: u32) -> Option<(&Claim, usize)> {
        let (t, a) = self
            .templates
            .get(index as usize)
            .filter(|_| group == self.id)?;
        Some((t, *a))
    }
}

impl HandGroup {
    fn new(templates: Vec<(Claim, usize)>) -> Self {
        let refs: Vec<(u32, &Claim)> = templates.iter().map(|(t, a)| (*a as u32, t)).collect();
        let (id, _) = ogs::logic::encode::encode_group(&refs);
        HandGroup { id, templates }
    }

    fn call(&self, index: u32, args: Vec<Vec<u8>>) -> Claim {
        Claim::Call {
            group: self.id,
            index,
            args: args.into_iter().map(Term::Lit).collect(),
        }
    }
}

/// Every evaluation ends (SEMANTICS.md §5). The checker refuses a definition whose call can
/// need itself again (the descent rule), but a group built by hand can still do it; the
/// evaluator then says Unknown with the cycle named, at once — through a `forall` or an
/// `exists` — instead of unfolding 2^128 branches. A claim too large for the step bound is
/// Unknown with the bound named, and decided when the bound is raised.
#[test]
fn evaluations_end_within_their_bounds() {
    let refused = "def cyc(x: uint256) := forall i in below(2): cyc(i)\n";
    assert!(check_source("cyc.ogs", refused, &ogs::systems::standard()).is_err());
    let src = "def wide(x: uint256) := forall i in below(60): forall j in below(60): lt(i, 100)\n";
    let p = check_source("bounds.ogs", src, &ogs::systems::standard()).expect("checks");
    let info = LocalInfo::new();
    // cyc(x) := UQ(below, 2, i ⇒ cyc(i)); cyc2(x) := NOT UQ(below, 2, i ⇒ NOT cyc2(i)).
    let two = Term::Lit(Value::Uint(U256::from(2)).encode());
    let recurse = |index| Claim::Call {
        group: B256::ZERO,
        index,
        args: vec![Term::Var {
            index: 0,
            path: vec![],
        }],
    };
    let hand = HandGroup::new(vec![
        (
            Claim::Forall {
                quantifier: Name::of("below"),
                args: vec![two.clone()],
                body: Box::new(recurse(0)),
            },
            1,
        ),
        (
            Claim::Forall {
                quantifier: Name::of("below"),
                args: vec![two],
                body: Box::new(recurse(1).negate()),
            }
            .negate(),
            1,
        ),
    ]);
    let word = |n: u64| Value::Uint(U256::from(n)).encode();
    for (text, c) in [
        ("cyc(0)", hand.call(0, vec![word(0)])),
        ("cyc2(0)", hand.call(1, vec![word(0)])),
        ("not cyc(1)", hand.call(0, vec![word(1)]).negate()),
    ] {
        let started = std::time::Instant::now();
        let v = Evaluator::new(&p.registry, &hand, &info)
            .decide(&c)
            .expect("evaluates");
        match v {
            Verdict::Unknown(why) => {
                assert!(why.iter().any(|w| w.contains("cycle")), "{text}: {why:?}");
                assert!(why.len() <= ogs::logic::eval::MAX_REASONS + 1);
            }
            other => panic!("{text}: {other:?}"),
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
    let wide = p.compile_claim("wide(0)").expect("compiles");
    let small = ogs::logic::eval::Limits {
        steps: 1_000,
        ..Default::default()
    };
    match Evaluator::new(&p.registry, &p, &info)
        .with_limits(small)
        .decide(&wide)
        .expect("evaluates")
    {
        Verdict::Unknown(why) => assert!(
            why.iter().any(|w| w.contains("1000 evaluation steps")),
            "{why:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Evaluator::new(&p.registry, &p, &info).decide(&wide),
        Ok(Verdict::True(_))
    ));
}

// ------------------------------------------------------- declared descents

/// Small values of a type, for exhaustive checks of quantifier domains.
fn small_values(t: &Type) -> Vec<Vec<u8>> {
    match t {
        Type::Uint256 => (0u64..7)
            .map(|n| Value::Uint(U256::from(n)).encode())
            .collect(),
        Type::Bytes32 => vec![B256::repeat_byte(0x11).to_vec()],
        Type::Tuple(ts) => ts.iter().fold(vec![Vec::new()], |acc, t| {
            let mut out = Vec::new();
            for prefix in &acc {
                for v in small_values(t) {
                    let mut parts: Vec<Vec<u8>> = if prefix.is_empty() {
                        Vec::new()
                    } else {
                        ogs::logic::value::decode_list(prefix).expect("list")
                    };
                    parts.push(v);
                    out.push(encode_list(parts));
                }
            }
            out
        }),
        Type::Array(t) => {
            let one = small_values(t).remove(0);
            (0..4)
                .map(|len| encode_list(vec![one.clone(); len]))
                .collect()
        }
        other => panic!("no small values for {other}"),
    }
}

/// Every quantifier that declares a numeric `Descent` keeps it: whenever `quantify` accepts an
/// element, each declared part is smaller than the declared argument. Checked exhaustively
/// over small arguments and elements (boundaries included). A commitment descent (`members`)
/// is cryptographic; checked here is that no element is its own root (a proof with no levels
/// still hashes the leaf). The checker's descent rule (`lang::descent`) relies on both.
#[test]
fn declared_descents_hold() {
    use ogs::logic::registry::{Order, ParamType};
    let r = ogs::systems::standard();
    let mut checked = 0;
    for q in r.quantifiers() {
        let Some(d) = q.descent() else { continue };
        let params: Vec<Type> = q
            .params()
            .into_iter()
            .map(|(_, p)| match p {
                ParamType::Is(t) => t,
                ParamType::Any => Type::Uint256,
            })
            .collect();
        match d.order {
            Order::Numeric => {
                let args_list = small_values(&Type::Tuple(params.clone()));
                let elems = small_values(&q.element_type());
                let mut accepted = 0;
                for args in &args_list {
                    let args = ogs::logic::value::decode_list(args).expect("list");
                    let bound = U256::from_be_slice(&args[d.arg]);
                    for t in &elems {
                        // No proof, or a small index (`segments` takes the element's index).
                        let proofs: Vec<Vec<u8>> = std::iter::once(vec![])
                            .chain((0u64..4).map(|i| U256::from(i).to_be_bytes_vec()))
                            .collect();
                        if !proofs.iter().any(|proof| q.quantify(&args, t, proof)) {
                            continue;
                        }
                        accepted += 1;
                        for path in d.parts {
                            let mut part = t.clone();
                            for i in *path {
                                part = ogs::logic::value::decode_list(&part).expect("list")
                                    [*i as usize]
                                    .clone();
                            }
                            assert!(
                                U256::from_be_slice(&part) < bound,
                                "{}: part {path:?} of an accepted element is not below argument {}",
                                q.name(),
                                d.arg
                            );
                        }
                    }
                }
                assert!(accepted > 0, "{}: no element accepted", q.name());
            }
            Order::Commitment => {
                for b in [0u8, 1, 0x11, 0xff] {
                    let x = B256::repeat_byte(b).to_vec();
                    assert!(!q.quantify(
                        std::slice::from_ref(&x),
                        &x,
                        &encode_merkle_witness(0, &[])
                    ));
                }
            }
        }
        checked += 1;
    }
    assert_eq!(
        checked, 5,
        "below, members, range, segments, split declare descents"
    );
}
