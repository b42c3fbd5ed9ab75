//! Registered verifiers and quantifiers (Rust side).
//!
//! Each has a name (its on-chain id is `keccak256(name)`), typed parameters,
//! an exact check (`verify` / `quantify`, the same semantics as the on-chain
//! contract: a bad witness gives `false`, never an error) and an off-chain
//! search over [`LocalInfo`] that says what local information implies.
//!
//! The registry is where systems plug into the core: it holds their verifiers and
//! quantifiers, the struct types their predicates use without declaring them, and the
//! sections of the local-information file they read ([`InfoSection`]). The core itself
//! names no system: the systems layer (`systems::standard`) builds the registry every command uses.

use super::claim::Name;
use super::local::{InfoSection, LocalInfo};
use super::value::Type;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A parameter type in a verifier or quantifier signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// Exactly this type.
    Is(Type),
    /// Any type; all `Any` parameters of one signature must have the same type.
    Any,
}

/// What local information says about a witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    /// A witness that makes `verify` true.
    Found(Vec<u8>),
    /// Local information shows no witness exists (the reason says why).
    Absent(String),
    /// Local information does not tell; the string says what is missing.
    Missing(String),
}

/// One instance of a quantifier's domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// The element, canonically encoded.
    pub value: Vec<u8>,
    /// Membership proof for `quantify` (empty where none is needed).
    pub proof: Vec<u8>,
}

/// A quantifier's domain as far as local information knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// Known members, in a deterministic order.
    pub instances: Vec<Instance>,
    /// `None` if `instances` is the whole domain; else what is missing.
    pub incomplete: Option<String>,
}

/// Gas the dispute contract gives each `verify` / `quantify` call (`UniversalDispute.VERIFY_GAS`):
/// a check that needs more fails on chain, whatever its answer would be.
pub const VERIFY_GAS: u64 = 3_000_000;

/// Gas of one signature check on chain beyond [`input_gas`]: the `ecrecover` precompile (3,000),
/// finding the signature and the signer in their lists, the EIP-191 hash and the comparison
/// (calibrated against the contracts in `tests/dispute_gas_cap.rs`).
pub const SIGNATURE_GAS: u64 = 6_700;

/// An upper bound of the gas a verifier or quantifier spends on work linear in its inputs:
/// reading the arguments and `extra` (the witness or proof) from calldata, copying them into
/// memory once (the quadratic memory term included) and hashing them once, plus a fixed base.
/// Verifiers whose work is only that use it as their [`Verifier::verify_gas`]; the others add
/// their own terms.
pub fn input_gas(args: &[Vec<u8>], extra: &[u8]) -> u64 {
    let bytes: usize = args.iter().map(|a| a.len() + 64).sum::<usize>() + extra.len() + 128;
    let words = (bytes as u64).div_ceil(32);
    // Verifiers read their inputs from calldata and copy at most one of them into memory to
    // hash it: memory of w words costs 3w + w²/512; reading, copying and one keccak256 pass stay
    // under 27 gas a word. The margin: 30 a word and w²/384.
    14_000 + 30 * words + words * words / 384
}

/// The well-founded order a [`Descent`] is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Order {
    /// `uint256` values, `<`: every descending chain ends at 0.
    Numeric,
    /// `bytes32` commitments: the element is hashed into the argument (a Merkle leaf under a
    /// root), so a chain that came back to its start would be a keccak256 cycle.
    Commitment,
}

/// How every element of a quantifier's domain is *smaller* than one of its arguments.
///
/// The checker uses it to prove that recursive definitions descend (`lang::descent`): a call
/// cycle whose arguments shrink along a well-founded order cannot reproduce a claim, so no
/// dispute can link claims in a cycle and lock their bonds. A declaration is a promise about
/// `quantify` (and the Solidity twin), tested in `tests/logic.rs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Descent {
    /// Index of the argument the parts are smaller than.
    pub arg: usize,
    /// The smaller parts of an element, as element-index paths (`&[]`: the element itself).
    pub parts: &'static [&'static [u32]],
    /// The order they are smaller in.
    pub order: Order,
}

/// A registered verifier: the `V` of `WITNESS_EXISTS(V, a)`.
pub trait Verifier: Send + Sync {
    /// Registry name.
    fn name(&self) -> &'static str;
    /// The Solidity contract that implements it on chain (`contracts/src/verifiers/<contract>.sol`).
    fn contract(&self) -> &'static str;
    /// Parameter names and types.
    fn params(&self) -> Vec<(&'static str, ParamType)>;
    /// One-line description (shown by `ogs registry`).
    fn doc(&self) -> &'static str;
    /// What the witness is.
    fn witness_doc(&self) -> &'static str;
    /// `V.verify(args, witness)`; `false` for anything malformed.
    fn verify(&self, args: &[Vec<u8>], witness: &[u8]) -> bool;
    /// Looks for a witness in local information.
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search;
    /// An upper bound of the gas `verify(args, witness)` spends on chain. The evaluator never
    /// calls a witness claim True when it exceeds [`VERIFY_GAS`]: the chain would refuse the
    /// witness. Default: [`input_gas`], for checks that do a fixed amount of work per input
    /// byte; verifiers that check signatures or run a VM step add their part.
    fn verify_gas(&self, args: &[Vec<u8>], witness: &[u8]) -> u64 {
        input_gas(args, witness)
    }
}

/// A registered quantifier: the `Q` of `UNIVERSAL_QUANTIFIER(Q, a, x ⇒ P)`.
pub trait Quantifier: Send + Sync {
    /// Registry name.
    fn name(&self) -> &'static str;
    /// The Solidity contract that implements it on chain (`contracts/src/quantifiers/<contract>.sol`).
    fn contract(&self) -> &'static str;
    /// Parameter names and types.
    fn params(&self) -> Vec<(&'static str, ParamType)>;
    /// The type of the bound variable.
    fn element_type(&self) -> Type;
    /// One-line description.
    fn doc(&self) -> &'static str;
    /// `Q.quantify(args, t)`, with an optional membership proof; `false` for anything malformed.
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], proof: &[u8]) -> bool;
    /// The domain as local information knows it.
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain;
    /// Which parts of every element are smaller than which argument, if any: what lets a
    /// recursive definition call itself on an element (see [`Descent`]).
    fn descent(&self) -> Option<Descent> {
        None
    }
}

/// A registered name: a verifier or a quantifier.
#[derive(Clone)]
pub enum Entry {
    /// A verifier.
    Verifier(Arc<dyn Verifier>),
    /// A quantifier.
    Quantifier(Arc<dyn Quantifier>),
}

impl Entry {
    /// Registry name.
    pub fn name(&self) -> &'static str {
        match self {
            Entry::Verifier(v) => v.name(),
            Entry::Quantifier(q) => q.name(),
        }
    }

    /// The Solidity contract behind it.
    pub fn contract(&self) -> &'static str {
        match self {
            Entry::Verifier(v) => v.contract(),
            Entry::Quantifier(q) => q.contract(),
        }
    }

    /// Whether it is a verifier.
    pub fn is_verifier(&self) -> bool {
        matches!(self, Entry::Verifier(_))
    }
}

/// Verifiers and quantifiers by name, the struct types systems declare, and the sections of
/// local information they read.
#[derive(Clone, Default)]
pub struct Registry {
    verifiers: BTreeMap<&'static str, Arc<dyn Verifier>>,
    quantifiers: BTreeMap<&'static str, Arc<dyn Quantifier>>,
    by_id: BTreeMap<Name, &'static str>,
    /// Every entry in registration order (the order contracts are deployed in).
    order: Vec<&'static str>,
    structs: Vec<Type>,
    sections: Vec<Arc<dyn InfoSection>>,
}

impl Registry {
    /// An empty registry.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Registers a verifier (replacing one of the same name).
    pub fn add_verifier(&mut self, v: Arc<dyn Verifier>) {
        self.note(v.name());
        self.by_id.insert(Name::of(v.name()), v.name());
        self.verifiers.insert(v.name(), v);
    }

    /// Registers a quantifier (replacing one of the same name).
    pub fn add_quantifier(&mut self, q: Arc<dyn Quantifier>) {
        self.note(q.name());
        self.by_id.insert(Name::of(q.name()), q.name());
        self.quantifiers.insert(q.name(), q);
    }

    fn note(&mut self, name: &'static str) {
        if !self.order.contains(&name) {
            self.order.push(name);
        }
    }

    /// Declares a struct type that every claim file can use without declaring it (a
    /// system's built-in type, e.g. `ChannelUpdate`), replacing one of the same name.
    pub fn add_struct(&mut self, t: Type) {
        let name = |t: &Type| match t {
            Type::Struct(s) => Some(s.name.clone()),
            _ => None,
        };
        let n = name(&t);
        self.structs.retain(|s| name(s) != n);
        self.structs.push(t);
    }

    /// The built-in struct types, in registration order.
    pub fn structs(&self) -> &[Type] {
        &self.structs
    }

    /// Adds a section of the local-information file (see [`LocalInfo::from_json`]),
    /// replacing one with the same key.
    pub fn add_info_section(&mut self, s: Arc<dyn InfoSection>) {
        self.sections.retain(|x| x.key() != s.key());
        self.sections.push(s);
    }

    /// The local-information sections systems read, in registration order.
    pub fn info_sections(&self) -> &[Arc<dyn InfoSection>] {
        &self.sections
    }

    /// Every verifier and quantifier in registration order.
    pub fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.order.iter().filter_map(|n| {
            if let Some(v) = self.verifiers.get(n) {
                Some(Entry::Verifier(v.clone()))
            } else {
                self.quantifiers
                    .get(n)
                    .map(|q| Entry::Quantifier(q.clone()))
            }
        })
    }

    /// A verifier by name.
    pub fn verifier(&self, name: &str) -> Option<&Arc<dyn Verifier>> {
        self.verifiers.get(name)
    }

    /// A quantifier by name.
    pub fn quantifier(&self, name: &str) -> Option<&Arc<dyn Quantifier>> {
        self.quantifiers.get(name)
    }

    /// A verifier by on-chain id.
    pub fn verifier_by_id(&self, id: &Name) -> Option<&Arc<dyn Verifier>> {
        self.by_id.get(id).and_then(|n| self.verifiers.get(n))
    }

    /// A quantifier by on-chain id.
    pub fn quantifier_by_id(&self, id: &Name) -> Option<&Arc<dyn Quantifier>> {
        self.by_id.get(id).and_then(|n| self.quantifiers.get(n))
    }

    /// The registry name of an id, if known.
    pub fn name_of(&self, id: &Name) -> Option<&'static str> {
        self.by_id.get(id).copied()
    }

    /// All verifiers, by name.
    pub fn verifiers(&self) -> impl Iterator<Item = &Arc<dyn Verifier>> {
        self.verifiers.values()
    }

    /// All quantifiers, by name.
    pub fn quantifiers(&self) -> impl Iterator<Item = &Arc<dyn Quantifier>> {
        self.quantifiers.values()
    }
}
