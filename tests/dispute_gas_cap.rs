//! The verifier gas cap (issue 11 §4, SEMANTICS.md §4.6): the dispute contract gives each
//! `verify` call `VERIFY_GAS`, so a witness whose check needs more is refused on chain. The
//! evaluator models it (`Verifier::verify_gas`, an upper bound) and never calls such a witness
//! claim True. Tested at the boundary with `all_signed` over hundreds of participants, against
//! the real contracts on the embedded EVM.

use crate::onchain::{implementation, sol_verify_exec};
use alloy_primitives::{Address, B256, U256};
use ogs::chain::Dispute;
use ogs::logic::claim::{Claim, Name, Term};
use ogs::logic::crypto::{address_of, signing_key};
use ogs::logic::eval::{Evaluator, Verdict};
use ogs::logic::registry::VERIFY_GAS;
use ogs::logic::value::encode_list;
use ogs::logic::LocalInfo;
use ogs::systems::channel::{
    channel_update, sign_update, ChannelInfo, ChannelKnowledge, KnownUpdate,
};

const BOND: u64 = 1_000_000_000_000_000;
const WINDOW: u64 = 3_600;

/// `n` participants, their keys, an update all of them signed, and the witness.
struct Signed {
    participants: Vec<Address>,
    update: ogs::logic::value::Value,
    signatures: Vec<Vec<u8>>,
}

fn signed(n: usize) -> Signed {
    let keys: Vec<_> = (0..n)
        .map(|i| {
            let mut s = [0x42u8; 32];
            s[28..].copy_from_slice(&(i as u32 + 1).to_be_bytes());
            signing_key(&s).expect("key")
        })
        .collect();
    let participants: Vec<Address> = keys.iter().map(|k| address_of(k.verifying_key())).collect();
    let update = channel_update(
        B256::repeat_byte(7),
        U256::from(5),
        B256::repeat_byte(9),
        &participants,
    );
    let signatures = keys
        .iter()
        .map(|k| sign_update(k, &update).to_vec())
        .collect();
    Signed {
        participants,
        update,
        signatures,
    }
}

impl Signed {
    fn args(&self) -> Vec<Vec<u8>> {
        vec![self.update.encode()]
    }
    fn witness(&self) -> Vec<u8> {
        encode_list(self.signatures.clone())
    }
    fn claim(&self) -> Claim {
        Claim::Witness {
            verifier: Name::of("all_signed"),
            args: vec![Term::Lit(self.update.encode())],
        }
    }
    fn info(&self) -> LocalInfo {
        let mut info = LocalInfo::new();
        info.set_channel(
            B256::repeat_byte(7),
            ChannelInfo {
                participants: self.participants.clone(),
                complete: true,
                updates: vec![KnownUpdate {
                    nonce: U256::from(5),
                    value: self.update.clone(),
                    signatures: self.signatures.iter().cloned().map(Some).collect(),
                }],
            },
        );
        info
    }
}

/// Whether the dispute contract accepts the witness: claim the witness claim and show it.
fn chain_accepts(d: &mut Dispute, s: &Signed) -> bool {
    let from = d.deployer;
    d.chain.set_balance(from, U256::from(10u128.pow(21)));
    d.claim(from, &s.claim()).expect("claim");
    d.decide_by_witness(from, &s.claim(), &s.witness()).is_ok()
}

/// The model is an upper bound of the real execution gas, and a tight one, for every size;
/// at the largest participant count the model admits, the chain accepts the witness and the
/// evaluator says True; past the model's bound the evaluator says Unknown naming the cap, and
/// past the chain's own bound (found by bisection on the real contract) the chain refuses.
#[test]
fn verifier_gas_cap_is_modelled_at_the_boundary() {
    let reg = ogs::systems::standard();
    let v = reg.verifier("all_signed").expect("registered");
    let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let at = implementation(&mut d, "all_signed", true);
    let model = |s: &Signed| v.verify_gas(&s.args(), &s.witness());
    let real = |d: &mut Dispute, s: &Signed| {
        let (ok, gas) = sol_verify_exec(d, at, &s.args(), &s.witness());
        assert!(ok, "{} participants", s.participants.len());
        gas
    };
    let sizes: Vec<(usize, u64, u64)> = [1, 2, 10, 100, 300]
        .into_iter()
        .map(|n| {
            let s = signed(n);
            (n, model(&s), real(&mut d, &s))
        })
        .collect();
    for (n, m, r) in &sizes {
        println!("all_signed, {n} participants: model {m}, real {r}");
    }
    for &(n, m, r) in &sizes {
        assert!(m >= r, "{n} participants: model {m} < real {r}");
        assert!(
            m <= r + r / 4 + 12_000,
            "{n} participants: model {m} far above real {r}"
        );
    }
    // The model's bound: the largest n it admits.
    let mut n_model = 1;
    while model(&signed(n_model + 1)) <= VERIFY_GAS {
        n_model += 1;
    }
    // The chain's bound: the largest n whose real execution gas fits the cap.
    let (mut lo, mut hi) = (n_model, 2 * n_model);
    assert!(real(&mut d, &signed(hi)) > VERIFY_GAS);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if real(&mut d, &signed(mid)) <= VERIFY_GAS {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let n_chain = lo;
    println!("all_signed: the model admits {n_model} participants, the chain {n_chain}");
    assert!(
        n_model <= n_chain,
        "the model admits what the chain refuses"
    );
    assert!(
        n_chain - n_model <= n_chain / 10,
        "the model is too cautious: {n_model} of {n_chain}"
    );

    let at_model = signed(n_model);
    let past_model = signed(n_model + 1);
    let past_chain = signed(n_chain + 1);
    let decide = |s: &Signed| {
        Evaluator::new(&reg, &(), &s.info())
            .decide(&s.claim())
            .expect("evaluates")
    };
    assert!(matches!(decide(&at_model), Verdict::True(_)));
    assert!(
        chain_accepts(&mut d, &at_model),
        "the chain accepts what the model admits"
    );
    for s in [&past_model, &past_chain] {
        match decide(s) {
            Verdict::Unknown(why) => assert!(
                why.iter()
                    .any(|w| w.contains("VERIFY_GAS") && w.contains("all_signed")),
                "{why:?}"
            ),
            other => panic!("{} participants: {other:?}", s.participants.len()),
        }
    }
    assert!(
        !chain_accepts(&mut d, &past_chain),
        "the chain refuses past its bound"
    );
}

/// `VERIFY_GAS` in Rust is the contract's.
#[test]
fn verify_gas_constant_matches_the_contract() {
    use alloy_sol_types::SolCall;
    let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let data = ogs::chain::dispute::UniversalDispute::VERIFY_GASCall {}.abi_encode();
    let r = d
        .chain
        .call(d.deployer, d.address, data.into())
        .expect("call");
    assert!(r.success);
    assert_eq!(U256::from_be_slice(&r.output), U256::from(VERIFY_GAS));
}

/// A verifier name, its arguments and a valid witness.
type Case = (&'static str, Vec<Vec<u8>>, Vec<u8>);

/// The model bounds the real execution gas of the other verifiers whose cost grows with their
/// inputs: `threshold_signed` (per signature), `signed_by` / `signed_value` (one signature, a
/// value of any size) and `preimage` (hashing a witness of any size, up to the size whose
/// memory cost alone passes the cap).
#[test]
fn verify_gas_bounds_the_real_cost_of_every_growing_verifier() {
    use ogs::logic::crypto::sign;
    use ogs::logic::value::Value;
    let reg = ogs::systems::standard();
    let mut d = ogs::systems::deploy(U256::from(BOND), WINDOW).expect("deploys");
    let keys: Vec<_> = (1..=200u32)
        .map(|i| {
            let mut s = [0x24u8; 32];
            s[28..].copy_from_slice(&i.to_be_bytes());
            signing_key(&s).expect("key")
        })
        .collect();
    let members: Vec<Address> = keys.iter().map(|k| address_of(k.verifying_key())).collect();
    let m = B256::repeat_byte(3);
    let mut cases: Vec<Case> = Vec::new();
    for k in [1usize, 20, 200] {
        let entries: Vec<(u64, Vec<u8>)> = (0..k)
            .map(|i| (i as u64, sign(&keys[i], m).to_vec()))
            .collect();
        let args = vec![
            m.to_vec(),
            Value::List(members.iter().map(|a| Value::Address(*a)).collect()).encode(),
            U256::from(k).to_be_bytes_vec(),
        ];
        let w = ogs::systems::common::encode_threshold_witness(&entries).expect("witness");
        cases.push(("threshold_signed", args, w));
    }
    cases.push((
        "signed_by",
        vec![m.to_vec(), Value::Address(members[0]).encode()],
        sign(&keys[0], m).to_vec(),
    ));
    for len in [0usize, 1_000, 100_000] {
        let v = vec![0xa5u8; len];
        let digest = alloy_primitives::keccak256(&v);
        cases.push((
            "signed_value",
            vec![v, Value::Address(members[1]).encode()],
            sign(&keys[1], digest).to_vec(),
        ));
    }
    for len in [0usize, 10_000, 200_000, 600_000] {
        let w = vec![0x5au8; len];
        let h = alloy_primitives::keccak256(&w);
        cases.push(("preimage", vec![h.to_vec()], w));
    }
    let mut low = Vec::new();
    for (name, args, w) in &cases {
        let v = reg.verifier(name).expect("registered");
        assert!(v.verify(args, w), "{name}: a valid witness");
        let at = implementation(&mut d, name, true);
        let (ok, real) = sol_verify_exec(&mut d, at, args, w);
        let model = v.verify_gas(args, w);
        println!(
            "{name}, {} input bytes: model {model}, real {real}",
            w.len() + args.iter().map(Vec::len).sum::<usize>()
        );
        assert!(ok, "{name}: the chain accepts it");
        if model < real {
            low.push(format!("{name}: model {model} < real {real}"));
        }
    }
    assert!(low.is_empty(), "{low:#?}");
}
