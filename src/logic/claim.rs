//! Compiled claims: the four primitives (plus definition calls) over terms.
//!
//! A compiled claim is what gets hashed, posted and disputed. It contains no
//! sugar: `or`, `exists` and atomic tests are gone, double negation is removed
//! and `and` chains are flat. Variables bound by quantifiers are de Bruijn
//! indices (`Var(0)` is the innermost binder), so alpha-equivalent claims have
//! the same encoding. Calls to recursive definitions stay as [`Claim::Call`]
//! nodes and are unfolded one level at a time (SEMANTICS.md §1).

use super::value::{decode_list, encode_list, ValueError};
use alloy_primitives::{keccak256, B256};
use std::fmt;
use thiserror::Error;

/// Identifier of a registered verifier or quantifier: `keccak256(name)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(pub B256);

impl Name {
    /// The id of a registry name.
    pub fn of(name: &str) -> Name {
        Name(keccak256(name.as_bytes()))
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({:#x})", self.0)
    }
}

/// An argument of a claim node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// A value in canonical encoding.
    Lit(Vec<u8>),
    /// A variable bound by an enclosing quantifier (de Bruijn index), then a
    /// projection path into it.
    Var {
        /// 0 = the innermost enclosing `forall`.
        index: u32,
        /// Element indices to project, outermost first.
        path: Vec<u32>,
    },
    /// A parameter of the definition this template belongs to (templates only).
    Param {
        /// Parameter position.
        index: u32,
        /// Element indices to project.
        path: Vec<u32>,
    },
    /// A composite value with at least one non-literal element.
    Tuple(Vec<Term>),
}

/// A compiled claim (or, with [`Term::Param`]s, a definition template).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Claim {
    /// `NOT(P)`; `P` is never itself a `Not`.
    Not(Box<Claim>),
    /// `AND(P1…Pn)`, `n ≥ 2`, no `Pi` an `And`.
    And(Vec<Claim>),
    /// `WITNESS_EXISTS(V, args)`.
    Witness {
        /// The verifier.
        verifier: Name,
        /// Its arguments.
        args: Vec<Term>,
    },
    /// `UNIVERSAL_QUANTIFIER(Q, args, x ⇒ body)`; the body binds `Var(0)`.
    Forall {
        /// The quantifier.
        quantifier: Name,
        /// Its arguments.
        args: Vec<Term>,
        /// The body.
        body: Box<Claim>,
    },
    /// A call to definition `index` of definition group `group`.
    /// Inside a template, `group == B256::ZERO` means "this template's own group".
    Call {
        /// Content address of the definition group.
        group: B256,
        /// Position of the definition in its group.
        index: u32,
        /// Arguments.
        args: Vec<Term>,
    },
}

/// Errors when manipulating or decoding claims.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ClaimError {
    /// The bytes are not a canonical claim encoding.
    #[error("malformed claim encoding: {0}")]
    Malformed(String),
    /// A projection path does not fit the value.
    #[error("projection .{index} does not apply to this value: {source}")]
    Projection {
        /// The element index.
        index: u32,
        /// Why.
        source: ValueError,
    },
    /// A projection index past the end of a composite value.
    #[error("projection .{0} is out of range")]
    ProjectionRange(u32),
    /// A definition that is not known.
    #[error("unknown definition {index} of group {group:#x}")]
    UnknownDefinition {
        /// Group id.
        group: B256,
        /// Index in the group.
        index: u32,
    },
    /// Wrong number of arguments in a call.
    #[error("definition expects {expected} arguments, got {got}")]
    Arity {
        /// Parameters.
        expected: usize,
        /// Arguments.
        got: usize,
    },
    /// A term that should be closed mentions a variable or parameter.
    #[error("the claim is not closed: it mentions an unbound variable or parameter")]
    Open,
    /// Claims nested deeper than the decoder accepts.
    #[error("claim nests deeper than {0} levels")]
    TooDeep(usize),
}

/// Deepest nesting [`Claim::decode`] accepts.
pub const MAX_DECODE_DEPTH: usize = 256;

/// Projects element `i` of a canonical composite value.
fn project(value: &[u8], path: &[u32]) -> Result<Vec<u8>, ClaimError> {
    let mut cur = value.to_vec();
    for &i in path {
        let parts =
            decode_list(&cur).map_err(|source| ClaimError::Projection { index: i, source })?;
        cur = parts
            .into_iter()
            .nth(i as usize)
            .ok_or(ClaimError::ProjectionRange(i))?;
    }
    Ok(cur)
}

impl Term {
    /// The literal bytes, if the term is closed.
    pub fn as_lit(&self) -> Option<&[u8]> {
        match self {
            Term::Lit(b) => Some(b),
            _ => None,
        }
    }

    /// Builds a composite term, folding it to a literal when all parts are literals.
    pub fn tuple(parts: Vec<Term>) -> Term {
        if parts.iter().all(|t| matches!(t, Term::Lit(_))) {
            Term::Lit(encode_list(
                parts
                    .into_iter()
                    .map(|t| match t {
                        Term::Lit(b) => b,
                        _ => Vec::new(),
                    })
                    .collect(),
            ))
        } else {
            Term::Tuple(parts)
        }
    }

    /// Replaces variable `depth` by `value` (and renumbers outer variables).
    fn subst_var(&self, depth: u32, value: &[u8]) -> Result<Term, ClaimError> {
        Ok(match self {
            Term::Var { index, path } if *index == depth => Term::Lit(project(value, path)?),
            Term::Var { index, path } if *index > depth => Term::Var {
                index: index - 1,
                path: path.clone(),
            },
            Term::Tuple(ts) => Term::tuple(
                ts.iter()
                    .map(|t| t.subst_var(depth, value))
                    .collect::<Result<_, _>>()?,
            ),
            other => other.clone(),
        })
    }

    /// Replaces parameters by closed values.
    fn subst_params(&self, args: &[Vec<u8>]) -> Result<Term, ClaimError> {
        Ok(match self {
            Term::Param { index, path } => {
                let v = args.get(*index as usize).ok_or(ClaimError::Open)?;
                Term::Lit(project(v, path)?)
            }
            Term::Tuple(ts) => Term::tuple(
                ts.iter()
                    .map(|t| t.subst_params(args))
                    .collect::<Result<_, _>>()?,
            ),
            other => other.clone(),
        })
    }

    fn is_closed_at(&self, depth: u32, params: bool) -> bool {
        match self {
            Term::Lit(_) => true,
            Term::Var { index, .. } => *index < depth,
            Term::Param { .. } => params,
            Term::Tuple(ts) => ts.iter().all(|t| t.is_closed_at(depth, params)),
        }
    }
}

impl Claim {
    /// `NOT(self)` with double negation removed.
    pub fn negate(self) -> Claim {
        match self {
            Claim::Not(p) => *p,
            p => Claim::Not(Box::new(p)),
        }
    }

    /// `AND(parts)`, flattening nested `And`s; a single part is returned as is.
    pub fn and(parts: Vec<Claim>) -> Claim {
        let mut flat = Vec::with_capacity(parts.len());
        for p in parts {
            match p {
                Claim::And(ps) => flat.extend(ps),
                p => flat.push(p),
            }
        }
        if flat.len() == 1 {
            flat.pop().unwrap_or(Claim::And(Vec::new()))
        } else {
            Claim::And(flat)
        }
    }

    /// Instantiates the body of a `forall` with `value` for its variable.
    pub fn instantiate(body: &Claim, value: &[u8]) -> Result<Claim, ClaimError> {
        body.subst_var(0, value)
    }

    fn subst_var(&self, depth: u32, value: &[u8]) -> Result<Claim, ClaimError> {
        let terms = |ts: &[Term]| -> Result<Vec<Term>, ClaimError> {
            ts.iter().map(|t| t.subst_var(depth, value)).collect()
        };
        Ok(match self {
            Claim::Not(p) => Claim::Not(Box::new(p.subst_var(depth, value)?)),
            Claim::And(ps) => Claim::And(
                ps.iter()
                    .map(|p| p.subst_var(depth, value))
                    .collect::<Result<_, _>>()?,
            ),
            Claim::Witness { verifier, args } => Claim::Witness {
                verifier: *verifier,
                args: terms(args)?,
            },
            Claim::Forall {
                quantifier,
                args,
                body,
            } => Claim::Forall {
                quantifier: *quantifier,
                args: terms(args)?,
                body: Box::new(body.subst_var(depth + 1, value)?),
            },
            Claim::Call { group, index, args } => Claim::Call {
                group: *group,
                index: *index,
                args: terms(args)?,
            },
        })
    }

    /// Instantiates a definition template: parameters become `args`, and calls
    /// into the template's own group get the group's id.
    pub fn instantiate_template(&self, group: B256, args: &[Vec<u8>]) -> Result<Claim, ClaimError> {
        let terms = |ts: &[Term]| -> Result<Vec<Term>, ClaimError> {
            ts.iter().map(|t| t.subst_params(args)).collect()
        };
        Ok(match self {
            Claim::Not(p) => Claim::Not(Box::new(p.instantiate_template(group, args)?)),
            Claim::And(ps) => Claim::And(
                ps.iter()
                    .map(|p| p.instantiate_template(group, args))
                    .collect::<Result<_, _>>()?,
            ),
            Claim::Witness { verifier, args: a } => Claim::Witness {
                verifier: *verifier,
                args: terms(a)?,
            },
            Claim::Forall {
                quantifier,
                args: a,
                body,
            } => Claim::Forall {
                quantifier: *quantifier,
                args: terms(a)?,
                body: Box::new(body.instantiate_template(group, args)?),
            },
            Claim::Call {
                group: g,
                index,
                args: a,
            } => Claim::Call {
                group: if g.is_zero() { group } else { *g },
                index: *index,
                args: terms(a)?,
            },
        })
    }

    /// Whether the claim mentions no free variable and no parameter.
    pub fn is_closed(&self) -> bool {
        self.closed_at(0, false)
    }

    fn closed_at(&self, depth: u32, params: bool) -> bool {
        let ok = |ts: &[Term]| ts.iter().all(|t| t.is_closed_at(depth, params));
        match self {
            Claim::Not(p) => p.closed_at(depth, params),
            Claim::And(ps) => ps.iter().all(|p| p.closed_at(depth, params)),
            Claim::Witness { args, .. } => ok(args),
            Claim::Forall { args, body, .. } => ok(args) && body.closed_at(depth + 1, params),
            Claim::Call { args, .. } => ok(args),
        }
    }

    /// The claim's identity: `keccak256` of its canonical encoding.
    pub fn id(&self) -> B256 {
        keccak256(self.encode())
    }

    /// Nesting depth (a leaf has depth 1).
    pub fn depth(&self) -> usize {
        match self {
            Claim::Not(p) => 1 + p.depth(),
            Claim::And(ps) => 1 + ps.iter().map(Claim::depth).max().unwrap_or(0),
            Claim::Forall { body, .. } => 1 + body.depth(),
            Claim::Witness { .. } | Claim::Call { .. } => 1,
        }
    }
}

/// What a user or contract needs to unfold calls: definition templates by group.
pub trait Definitions {
    /// The template and arity of definition `index` in `group`.
    fn template(&self, group: B256, index: u32) -> Option<(&Claim, usize)>;
}

/// No definitions at all.
impl Definitions for () {
    fn template(&self, _: B256, _: u32) -> Option<(&Claim, usize)> {
        None
    }
}

/// Unfolds a call one level: the definition's body with the arguments in place.
/// Any other claim is returned unchanged.
pub fn unfold(claim: &Claim, defs: &dyn Definitions) -> Result<Claim, ClaimError> {
    match claim {
        Claim::Call { group, index, args } => {
            let (tpl, arity) =
                defs.template(*group, *index)
                    .ok_or(ClaimError::UnknownDefinition {
                        group: *group,
                        index: *index,
                    })?;
            if arity != args.len() {
                return Err(ClaimError::Arity {
                    expected: arity,
                    got: args.len(),
                });
            }
            let vals: Vec<Vec<u8>> = args
                .iter()
                .map(|t| t.as_lit().map(<[u8]>::to_vec).ok_or(ClaimError::Open))
                .collect::<Result<_, _>>()?;
            tpl.instantiate_template(*group, &vals)
        }
        other => Ok(other.clone()),
    }
}
