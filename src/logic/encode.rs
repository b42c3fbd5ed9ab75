//! The canonical ABI encoding of compiled claims and definition groups.
//!
//! A claim is `abi.encode(Claim)` with these Solidity structs (children are
//! themselves `abi.encode(Claim)`, because the ABI has no recursive structs):
//!
//! ```solidity
//! struct Term  { uint8 kind; uint32 index; uint32[] path; bytes value; }
//! struct Claim { uint8 kind; bytes32 name; uint32 index; bytes[] children; Term[] args; }
//! ```
//!
//! | `Claim.kind` | meaning | fields used |
//! |---|---|---|
//! | 0 `NOT` | `NOT(children[0])` | `children` (1) |
//! | 1 `AND` | `AND(children…)` | `children` (≥ 2, none an `AND`) |
//! | 2 `WITNESS_EXISTS` | verifier `name` on `args` | `name`, `args` |
//! | 3 `UNIVERSAL_QUANTIFIER` | quantifier `name` on `args`, body `children[0]` binding `Var(0)` | `name`, `args`, `children` (1) |
//! | 4 `CALL` | definition `index` of group `name` on `args` | `name`, `index`, `args` |
//!
//! | `Term.kind` | meaning | fields used |
//! |---|---|---|
//! | 0 `LIT` | the canonical value `value` | `value` |
//! | 1 `VAR` | bound variable `index` (de Bruijn), projected along `path` | `index`, `path` |
//! | 2 `PARAM` | definition parameter `index` (templates only), projected along `path` | `index`, `path` |
//! | 3 `TUPLE` | composite of `abi.decode(value, (Term[]))`, not all literals | `value` |
//!
//! Unused fields are zero or empty. `name` of a verifier or quantifier is
//! `keccak256(bytes(registryName))`; of a call, the definition group's id.
//! A definition group is `abi.encode(Definition[])` with
//! `struct Definition { uint32 arity; bytes body; }`, and its id is the
//! `keccak256` of that encoding; inside a group, calls to the same group use
//! `name = bytes32(0)`. Nothing is a label inside a byte string: every kind of
//! node or term is a separate field, so no input can be mistaken for one.
//!
//! Decoding is strict: [`Claim::decode`] accepts only what [`Claim::encode`]
//! produces (it re-encodes and compares), so each claim has exactly one encoding.

use super::claim::{Claim, ClaimError, Name, Term, MAX_DECODE_DEPTH};
use alloy_primitives::{keccak256, Bytes, B256};
use alloy_sol_types::{sol, SolValue};

sol! {
    /// ABI shape of a [`Term`].
    #[derive(Debug, PartialEq)]
    struct SolTerm { uint8 kind; uint32 index; uint32[] path; bytes value; }
    /// ABI shape of a [`Claim`] node.
    #[derive(Debug, PartialEq)]
    struct SolClaim { uint8 kind; bytes32 name; uint32 index; bytes[] children; SolTerm[] args; }
    /// ABI shape of one definition in a group.
    #[derive(Debug, PartialEq)]
    struct SolDefinition { uint32 arity; bytes body; }
}

/// `Claim.kind` values.
pub mod kind {
    /// `NOT`
    pub const NOT: u8 = 0;
    /// `AND`
    pub const AND: u8 = 1;
    /// `WITNESS_EXISTS`
    pub const WITNESS: u8 = 2;
    /// `UNIVERSAL_QUANTIFIER`
    pub const FORALL: u8 = 3;
    /// A definition call.
    pub const CALL: u8 = 4;
    /// `Term.kind` literal.
    pub const LIT: u8 = 0;
    /// `Term.kind` bound variable.
    pub const VAR: u8 = 1;
    /// `Term.kind` definition parameter.
    pub const PARAM: u8 = 2;
    /// `Term.kind` composite.
    pub const TUPLE: u8 = 3;
}

fn term_to_sol(t: &Term) -> SolTerm {
    let (k, index, path, value) = match t {
        Term::Lit(v) => (kind::LIT, 0, vec![], v.clone()),
        Term::Var { index, path } => (kind::VAR, *index, path.clone(), vec![]),
        Term::Param { index, path } => (kind::PARAM, *index, path.clone(), vec![]),
        Term::Tuple(ts) => (
            kind::TUPLE,
            0,
            vec![],
            ts.iter().map(term_to_sol).collect::<Vec<_>>().abi_encode(),
        ),
    };
    SolTerm {
        kind: k,
        index,
        path,
        value: value.into(),
    }
}

fn to_sol(c: &Claim) -> SolClaim {
    let (k, name, index, children, args): (u8, B256, u32, Vec<&Claim>, &[Term]) = match c {
        Claim::Not(p) => (kind::NOT, B256::ZERO, 0, vec![&**p], &[]),
        Claim::And(ps) => (kind::AND, B256::ZERO, 0, ps.iter().collect(), &[]),
        Claim::Witness { verifier, args } => (kind::WITNESS, verifier.0, 0, vec![], args),
        Claim::Forall {
            quantifier,
            args,
            body,
        } => (kind::FORALL, quantifier.0, 0, vec![&**body], args),
        Claim::Call { group, index, args } => (kind::CALL, *group, *index, vec![], args),
    };
    SolClaim {
        kind: k,
        name,
        index,
        children: children
            .into_iter()
            .map(|c| Bytes::from(c.encode()))
            .collect(),
        args: args.iter().map(term_to_sol).collect(),
    }
}

/// Where a claim is decoded: a closed claim or a template with `arity` parameters.
#[derive(Clone, Copy)]
struct Ctx {
    template_arity: Option<u32>,
    binders: u32,
    depth: usize,
}

fn bad(msg: impl Into<String>) -> ClaimError {
    ClaimError::Malformed(msg.into())
}

fn term_from_sol(t: &SolTerm, ctx: Ctx) -> Result<Term, ClaimError> {
    if ctx.depth > MAX_DECODE_DEPTH {
        return Err(ClaimError::TooDeep(MAX_DECODE_DEPTH));
    }
    match t.kind {
        kind::LIT => {
            if t.index != 0 || !t.path.is_empty() {
                return Err(bad("a literal term has a non-zero index or a path"));
            }
            Ok(Term::Lit(t.value.to_vec()))
        }
        kind::VAR | kind::PARAM => {
            if !t.value.is_empty() {
                return Err(bad("a variable term carries a value"));
            }
            if t.kind == kind::VAR {
                if t.index >= ctx.binders {
                    return Err(bad(format!(
                        "variable {} is not bound ({} enclosing quantifiers)",
                        t.index, ctx.binders
                    )));
                }
                Ok(Term::Var {
                    index: t.index,
                    path: t.path.clone(),
                })
            } else {
                match ctx.template_arity {
                    Some(n) if t.index < n => Ok(Term::Param {
                        index: t.index,
                        path: t.path.clone(),
                    }),
                    Some(n) => Err(bad(format!(
                        "parameter {} of a {n}-parameter definition",
                        t.index
                    ))),
                    None => Err(bad("a parameter term outside a definition")),
                }
            }
        }
        kind::TUPLE => {
            if t.index != 0 || !t.path.is_empty() {
                return Err(bad("a tuple term has a non-zero index or a path"));
            }
            let parts = <Vec<SolTerm>>::abi_decode(&t.value)
                .map_err(|e| bad(format!("tuple term: {e}")))?;
            let inner = Ctx {
                depth: ctx.depth + 1,
                ..ctx
            };
            let parts = parts
                .iter()
                .map(|p| term_from_sol(p, inner))
                .collect::<Result<Vec<_>, _>>()?;
            if parts.is_empty() || parts.iter().all(|p| matches!(p, Term::Lit(_))) {
                return Err(bad(
                    "a tuple term must have a non-literal element (else it is a literal)",
                ));
            }
            Ok(Term::Tuple(parts))
        }
        k => Err(bad(format!("unknown term kind {k}"))),
    }
}

fn from_bytes(bytes: &[u8], ctx: Ctx) -> Result<Claim, ClaimError> {
    if ctx.depth > MAX_DECODE_DEPTH {
        return Err(ClaimError::TooDeep(MAX_DECODE_DEPTH));
    }
    let s = SolClaim::abi_decode(bytes).map_err(|e| bad(e.to_string()))?;
    let inner = Ctx {
        depth: ctx.depth + 1,
        ..ctx
    };
    let args = s
        .args
        .iter()
        .map(|t| term_from_sol(t, inner))
        .collect::<Result<Vec<_>, _>>()?;
    let child = |i: usize, c: Ctx| from_bytes(&s.children[i], c);
    let no_name = |what: &str| -> Result<(), ClaimError> {
        if !s.name.is_zero() || s.index != 0 || !s.args.is_empty() {
            return Err(bad(format!("a {what} node has a name, index or arguments")));
        }
        Ok(())
    };
    let claim = match s.kind {
        kind::NOT => {
            no_name("NOT")?;
            if s.children.len() != 1 {
                return Err(bad("NOT needs exactly one child"));
            }
            let p = child(0, inner)?;
            if matches!(p, Claim::Not(_)) {
                return Err(bad("double negation (NOT(NOT(P))) is not canonical"));
            }
            Claim::Not(Box::new(p))
        }
        kind::AND => {
            no_name("AND")?;
            if s.children.len() < 2 {
                return Err(bad("AND needs at least two children"));
            }
            let ps = (0..s.children.len())
                .map(|i| child(i, inner))
                .collect::<Result<Vec<_>, _>>()?;
            if ps.iter().any(|p| matches!(p, Claim::And(_))) {
                return Err(bad("nested AND is not canonical (ANDs are flattened)"));
            }
            Claim::And(ps)
        }
        kind::WITNESS => {
            if s.name.is_zero() || s.index != 0 || !s.children.is_empty() {
                return Err(bad(
                    "WITNESS_EXISTS needs a verifier name, no index and no children",
                ));
            }
            Claim::Witness {
                verifier: Name(s.name),
                args,
            }
        }
        kind::FORALL => {
            if s.name.is_zero() || s.index != 0 || s.children.len() != 1 {
                return Err(bad(
                    "UNIVERSAL_QUANTIFIER needs a quantifier name, no index and one body",
                ));
            }
            let body = child(
                0,
                Ctx {
                    binders: ctx.binders + 1,
                    ..inner
                },
            )?;
            Claim::Forall {
                quantifier: Name(s.name),
                args,
                body: Box::new(body),
            }
        }
        kind::CALL => {
            if !s.children.is_empty() {
                return Err(bad("a CALL node has children"));
            }
            if s.name.is_zero() && ctx.template_arity.is_none() {
                return Err(bad("a CALL outside a definition must name its group"));
            }
            Claim::Call {
                group: s.name,
                index: s.index,
                args,
            }
        }
        k => return Err(bad(format!("unknown claim kind {k}"))),
    };
    Ok(claim)
}

impl Claim {
    /// The canonical encoding, `abi.encode(Claim)`.
    pub fn encode(&self) -> Vec<u8> {
        to_sol(self).abi_encode()
    }

    /// Decodes a closed claim, accepting only canonical encodings.
    pub fn decode(bytes: &[u8]) -> Result<Claim, ClaimError> {
        decode_checked(bytes, None)
    }

    /// Decodes a definition template with `arity` parameters.
    pub fn decode_template(bytes: &[u8], arity: u32) -> Result<Claim, ClaimError> {
        decode_checked(bytes, Some(arity))
    }
}

fn decode_checked(bytes: &[u8], template_arity: Option<u32>) -> Result<Claim, ClaimError> {
    let c = from_bytes(
        bytes,
        Ctx {
            template_arity,
            binders: 0,
            depth: 0,
        },
    )?;
    if c.encode() != bytes {
        return Err(bad("not the canonical encoding of the claim it describes"));
    }
    Ok(c)
}

/// Encodes a definition group, returning `(id, bytes)`.
pub fn encode_group(defs: &[(u32, &Claim)]) -> (B256, Vec<u8>) {
    let sol: Vec<SolDefinition> = defs
        .iter()
        .map(|(arity, body)| SolDefinition {
            arity: *arity,
            body: body.encode().into(),
        })
        .collect();
    let bytes = sol.abi_encode();
    (keccak256(&bytes), bytes)
}

/// Decodes a definition group into `(arity, template)` pairs (strict).
pub fn decode_group(bytes: &[u8]) -> Result<Vec<(u32, Claim)>, ClaimError> {
    let defs = <Vec<SolDefinition>>::abi_decode(bytes).map_err(|e| bad(e.to_string()))?;
    let out = defs
        .iter()
        .map(|d| Ok((d.arity, Claim::decode_template(&d.body, d.arity)?)))
        .collect::<Result<Vec<_>, ClaimError>>()?;
    let refs: Vec<(u32, &Claim)> = out.iter().map(|(a, c)| (*a, c)).collect();
    if encode_group(&refs).1 != bytes {
        return Err(bad("not the canonical encoding of a definition group"));
    }
    Ok(out)
}
