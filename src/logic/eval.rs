//! The off-chain evaluator: the optimistic decision of SEMANTICS.md §5.
//!
//! [`Evaluator::decide`] answers, from local information alone, what the
//! dispute over a claim will end in if the holder of that information plays
//! it out: **True** with the witnesses and counter-challenges that defend it,
//! **False** with the counter-claim to post (a valid challenge, SEMANTICS.md §2) and
//! what makes that counter-claim win, or **Unknown** with what is missing.
//! It never guesses: a quantifier whose domain is not known completely
//! cannot yield True.

use super::claim::{unfold, Claim, ClaimError, Definitions, Name};
use super::local::LocalInfo;
use super::registry::{Instance, Registry, Search, VERIFY_GAS};
use serde::Serialize;
use thiserror::Error;

/// How deep the evaluator unfolds definition calls before answering Unknown.
pub const MAX_UNFOLD: usize = 128;

/// How many claim nodes one evaluation visits, by default, before answering Unknown.
pub const DEFAULT_STEPS: u64 = 1 << 22;

/// Most distinct reasons an Unknown answer lists (the rest are counted, not kept).
pub const MAX_REASONS: usize = 64;

/// The bounds every evaluation keeps (SEMANTICS.md §5): at most `steps` claim nodes visited
/// and `unfold` nested unfoldings, and a call that needs itself again (a cycle) is not
/// unfolded a second time. Time is linear in `steps`; memory is bounded by the depth of the
/// claim, `unfold`, and [`MAX_REASONS`] reasons per Unknown. An evaluation that reaches a
/// bound answers Unknown and says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Claim nodes visited.
    pub steps: u64,
    /// Nested unfoldings of definition calls.
    pub unfold: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            steps: DEFAULT_STEPS,
            unfold: MAX_UNFOLD,
        }
    }
}

/// Adds reasons to an Unknown answer's list: each once, at most [`MAX_REASONS`].
fn add_reasons(missing: &mut Vec<String>, more: Vec<String>) {
    for m in more {
        if missing.len() >= MAX_REASONS {
            let last = format!("more (only the first {MAX_REASONS} reasons are listed)");
            if missing.last() != Some(&last) {
                missing.push(last);
            }
            return;
        }
        if !missing.contains(&m) {
            missing.push(m);
        }
    }
}

/// The evaluator's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The claim holds; `Evidence` defends it.
    True(Evidence),
    /// The claim fails; post `challenge`, and `evidence` makes it win.
    False {
        /// The counter-claim and how it contradicts the claim.
        challenge: Challenge,
        /// What makes the counter-claim True.
        evidence: Evidence,
    },
    /// Local information does not decide the claim.
    Unknown(Vec<String>),
}

impl Verdict {
    /// `"true"`, `"false"` or `"unknown"`.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::True(_) => "true",
            Verdict::False { .. } => "false",
            Verdict::Unknown(_) => "unknown",
        }
    }
}

/// How a counter-claim contradicts its target (SEMANTICS.md §2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChallengeKind {
    /// Target `NOT(P)`, counter-claim `P`.
    Not,
    /// Target `AND(…)`, counter-claim `NOT(P_index)`.
    AndChild {
        /// Which conjunct.
        index: usize,
    },
    /// Target `UNIVERSAL_QUANTIFIER(Q, a, x ⇒ P)`, counter-claim `NOT(P[x := value])`.
    Instance {
        /// The instance, canonically encoded.
        #[serde(with = "hex_bytes")]
        value: Vec<u8>,
        /// Membership proof for `Q.quantify`.
        #[serde(with = "hex_bytes")]
        proof: Vec<u8>,
    },
    /// Target `WITNESS_EXISTS(V, a)`, which has no challenge: its negation is
    /// claimed on its own and wins by timeout since no witness exists.
    Negation,
}

mod hex_bytes {
    pub(super) fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("0x{}", hex::encode(b)))
    }
}

/// A counter-claim against a target claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// The claim challenged (a definition call is challenged as itself,
    /// through its one-level unfolding).
    pub target: Claim,
    /// The counter-claim to post.
    pub counter: Claim,
    /// How it contradicts the target (of the target's unfolding, for calls).
    pub kind: ChallengeKind,
    /// Whether the target is a call whose unfolding was challenged.
    pub via_unfold: bool,
}

/// A witness to submit for a `WITNESS_EXISTS` claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessUse {
    /// The `WITNESS_EXISTS` claim.
    pub claim: Claim,
    /// The witness.
    pub witness: Vec<u8>,
}

/// What a party must do to make its side win: witnesses to show and
/// challenges to post when the other side claims something false.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Witnesses to show.
    pub witnesses: Vec<WitnessUse>,
    /// Counter-claims to post if the other side claims their targets.
    pub challenges: Vec<Challenge>,
}

impl Evidence {
    /// The witness to show for `claim`, if this evidence holds one.
    pub fn witness_for(&self, claim: &Claim) -> Option<&[u8]> {
        self.witnesses
            .iter()
            .find(|w| w.claim == *claim)
            .map(|w| w.witness.as_slice())
    }

    fn extend(&mut self, other: Evidence) {
        self.witnesses.extend(other.witnesses);
        self.challenges.extend(other.challenges);
    }
}

/// Errors that are not "unknown": the claim itself cannot be evaluated.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// A verifier id that is not registered.
    #[error("unknown verifier {0:?}")]
    UnknownVerifier(Name),
    /// A quantifier id that is not registered.
    #[error("unknown quantifier {0:?}")]
    UnknownQuantifier(Name),
    /// The claim has free variables or parameters.
    #[error("the claim is not closed")]
    Open,
    /// Substitution or unfolding failed.
    #[error(transparent)]
    Claim(#[from] ClaimError),
}

/// Decides claims from local information.
pub struct Evaluator<'a> {
    registry: &'a Registry,
    defs: &'a dyn Definitions,
    info: &'a LocalInfo,
    limits: Limits,
    /// Claim nodes visited so far.
    steps: std::cell::Cell<u64>,
    /// The calls being unfolded, outermost first (a call met again here is a cycle).
    calls: std::cell::RefCell<Vec<alloy_primitives::B256>>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator over a registry, definitions and local information.
    pub fn new(registry: &'a Registry, defs: &'a dyn Definitions, info: &'a LocalInfo) -> Self {
        Evaluator {
            registry,
            defs,
            info,
            limits: Limits::default(),
            steps: std::cell::Cell::new(0),
            calls: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The same evaluator with other bounds (`ogs eval --max-steps` raises them).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Decides a closed claim (SEMANTICS.md §5).
    pub fn decide(&self, claim: &Claim) -> Result<Verdict, EvalError> {
        if !claim.is_closed() {
            return Err(EvalError::Open);
        }
        self.steps.set(0);
        self.calls.borrow_mut().clear();
        self.go(claim, 0)
    }

    fn go(&self, claim: &Claim, unfolds: usize) -> Result<Verdict, EvalError> {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if steps > self.limits.steps {
            return Ok(Verdict::Unknown(vec![format!(
                "a decision within {} evaluation steps (raise the bound with --max-steps)",
                self.limits.steps
            )]));
        }
        match claim {
            Claim::Witness { verifier, args } => {
                let v = self
                    .registry
                    .verifier_by_id(verifier)
                    .ok_or(EvalError::UnknownVerifier(*verifier))?;
                let args = lits(args)?;
                Ok(match v.search(&args, self.info) {
                    // The chain gives `verify` VERIFY_GAS: a witness needing more is refused
                    // there, so it proves nothing (SEMANTICS.md §4.6).
                    Search::Found(w) if v.verify_gas(&args, &w) > VERIFY_GAS => {
                        Verdict::Unknown(vec![format!(
                            "a witness for {} that the chain can check: the one known needs up to {} gas, more than the VERIFY_GAS = {VERIFY_GAS} each verify call gets",
                            v.name(),
                            v.verify_gas(&args, &w)
                        )])
                    }
                    Search::Found(w) => Verdict::True(Evidence {
                        witnesses: vec![WitnessUse {
                            claim: claim.clone(),
                            witness: w,
                        }],
                        challenges: vec![],
                    }),
                    Search::Absent(_) => Verdict::False {
                        challenge: Challenge {
                            target: claim.clone(),
                            counter: claim.clone().negate(),
                            kind: ChallengeKind::Negation,
                            via_unfold: false,
                        },
                        evidence: Evidence::default(),
                    },
                    Search::Missing(m) => Verdict::Unknown(vec![m]),
                })
            }
            Claim::Not(p) => Ok(match self.go(p, unfolds)? {
                Verdict::True(evidence) => Verdict::False {
                    challenge: Challenge {
                        target: claim.clone(),
                        counter: (**p).clone(),
                        kind: ChallengeKind::Not,
                        via_unfold: false,
                    },
                    evidence,
                },
                Verdict::False {
                    challenge,
                    evidence,
                } => Verdict::True(defend_negation(challenge, evidence)),
                u @ Verdict::Unknown(_) => u,
            }),
            Claim::And(ps) => {
                let mut all = Evidence::default();
                let mut missing = Vec::new();
                for (i, p) in ps.iter().enumerate() {
                    match self.go(p, unfolds)? {
                        Verdict::True(e) => all.extend(e),
                        Verdict::False {
                            challenge,
                            evidence,
                        } => {
                            return Ok(Verdict::False {
                                challenge: Challenge {
                                    target: claim.clone(),
                                    counter: p.clone().negate(),
                                    kind: ChallengeKind::AndChild { index: i },
                                    via_unfold: false,
                                },
                                evidence: defend_negation(challenge, evidence),
                            })
                        }
                        Verdict::Unknown(m) => add_reasons(&mut missing, m),
                    }
                }
                Ok(if missing.is_empty() {
                    Verdict::True(all)
                } else {
                    Verdict::Unknown(missing)
                })
            }
            Claim::Forall {
                quantifier,
                args,
                body,
            } => {
                let q = self
                    .registry
                    .quantifier_by_id(quantifier)
                    .ok_or(EvalError::UnknownQuantifier(*quantifier))?;
                let domain = q.domain(&lits(args)?, self.info);
                let mut all = Evidence::default();
                let mut missing = Vec::new();
                for Instance { value, proof } in domain.instances {
                    let inst = Claim::instantiate(body, &value)?;
                    match self.go(&inst, unfolds)? {
                        Verdict::True(e) => all.extend(e),
                        Verdict::False {
                            challenge,
                            evidence,
                        } => {
                            return Ok(Verdict::False {
                                challenge: Challenge {
                                    target: claim.clone(),
                                    counter: inst.negate(),
                                    kind: ChallengeKind::Instance { value, proof },
                                    via_unfold: false,
                                },
                                evidence: defend_negation(challenge, evidence),
                            })
                        }
                        Verdict::Unknown(m) => add_reasons(&mut missing, m),
                    }
                }
                if let Some(m) = domain.incomplete {
                    missing.insert(0, format!("domain of `{}`: {m}", q.name()));
                }
                Ok(if missing.is_empty() {
                    Verdict::True(all)
                } else {
                    Verdict::Unknown(missing)
                })
            }
            Claim::Call { group, index, args } => {
                if let Ok(args) = lits(args) {
                    if self.info.call_known_true(group, *index, &args) {
                        // Defended move by move: each answer is decided when it is needed.
                        return Ok(Verdict::True(Evidence::default()));
                    }
                }
                if unfolds >= self.limits.unfold {
                    return Ok(Verdict::Unknown(vec![format!(
                        "a decision within {} unfoldings of recursive definitions",
                        self.limits.unfold
                    )]));
                }
                let id = claim.id();
                if self.calls.borrow().contains(&id) {
                    return Ok(Verdict::Unknown(vec![
                        "a decision of a call whose unfolding needs the same call again (a cycle)"
                            .to_string(),
                    ]));
                }
                let body = unfold(claim, self.defs)?;
                self.calls.borrow_mut().push(id);
                let verdict = self.go(&body, unfolds + 1);
                self.calls.borrow_mut().pop();
                Ok(match verdict? {
                    Verdict::False {
                        mut challenge,
                        evidence,
                    } if challenge.target == body => {
                        challenge.target = claim.clone();
                        challenge.via_unfold = true;
                        Verdict::False {
                            challenge,
                            evidence,
                        }
                    }
                    other => other,
                })
            }
        }
    }
}

/// Evidence that the negation of `P` is True, given that `P` is False because
/// of `challenge`: post the challenge against `P` when someone claims `P`, and
/// bring what makes it win. Two cases need no challenge: `P = NOT(X)`, whose
/// negation is `X` itself (the counter-claim, already defended by
/// `evidence`), and a `WITNESS_EXISTS`, whose negation wins by timeout.
fn defend_negation(challenge: Challenge, mut evidence: Evidence) -> Evidence {
    if challenge.kind != ChallengeKind::Negation && !matches!(challenge.target, Claim::Not(_)) {
        evidence.challenges.insert(0, challenge);
    }
    evidence
}

fn lits(terms: &[super::claim::Term]) -> Result<Vec<Vec<u8>>, EvalError> {
    terms
        .iter()
        .map(|t| t.as_lit().map(<[u8]>::to_vec).ok_or(EvalError::Open))
        .collect()
}

/// Why a counter-claim is not a valid challenge of its target.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InvalidChallenge {
    /// The shape of the counter-claim does not match the target (SEMANTICS.md §2 table).
    #[error("the counter-claim is not the {0} of the target")]
    Shape(&'static str),
    /// `WITNESS_EXISTS` claims have no challenges.
    #[error("a WITNESS_EXISTS claim is decided by a witness, never challenged")]
    WitnessClaim,
    /// The quantifier rejects the instance.
    #[error("the quantifier does not accept this instance")]
    NotInDomain,
    /// The conjunct index is out of range.
    #[error("conjunct {0} does not exist")]
    Index(usize),
    /// The target could not be unfolded or instantiated.
    #[error(transparent)]
    Eval(#[from] EvalError),
}

/// Checks that `counter` is a valid challenge of `target` (SEMANTICS.md §2), the
/// same rule the dispute contract applies: `NOT(P)` ← `P`; `AND(…)` ←
/// `NOT(P_i)`; `UQ(Q, a, x ⇒ P)` ← `NOT(P[x := t])` with `Q.quantify(a, t)`
/// checked; a call is challenged through its one-level unfolding (and a call
/// unfolding to `WITNESS_EXISTS(V, a)` by `NOT(WITNESS_EXISTS(V, a))`);
/// `WITNESS_EXISTS` itself has no challenges. Double negation is removed from the
/// expected counter-claim before comparing.
pub fn check_challenge(
    target: &Claim,
    kind: &ChallengeKind,
    counter: &Claim,
    defs: &dyn Definitions,
    registry: &Registry,
) -> Result<(), InvalidChallenge> {
    let via_call = matches!(target, Claim::Call { .. });
    let mut target = target.clone();
    for _ in 0..MAX_UNFOLD {
        if !matches!(target, Claim::Call { .. }) {
            break;
        }
        target = unfold(&target, defs).map_err(EvalError::from)?;
    }
    let expected = match (&target, kind) {
        (Claim::Not(p), ChallengeKind::Not) => (**p).clone(),
        (Claim::And(ps), ChallengeKind::AndChild { index }) => ps
            .get(*index)
            .ok_or(InvalidChallenge::Index(*index))?
            .clone()
            .negate(),
        (
            Claim::Forall {
                quantifier,
                args,
                body,
            },
            ChallengeKind::Instance { value, proof },
        ) => {
            let q = registry
                .quantifier_by_id(quantifier)
                .ok_or(EvalError::UnknownQuantifier(*quantifier))?;
            if !q.quantify(&lits(args)?, value, proof) {
                return Err(InvalidChallenge::NotInDomain);
            }
            Claim::instantiate(body, value)
                .map_err(EvalError::from)?
                .negate()
        }
        // A call whose unfolding is a WITNESS_EXISTS claim `W` is challenged by `NOT(W)`
        // (otherwise it could never be challenged and would time out True without a
        // witness); a WITNESS_EXISTS claim itself has no challenge.
        (Claim::Witness { .. }, ChallengeKind::Negation) if via_call => target.clone().negate(),
        (Claim::Witness { .. }, _) => return Err(InvalidChallenge::WitnessClaim),
        (Claim::Not(_), _) => return Err(InvalidChallenge::Shape("operand")),
        (Claim::And(_), _) => return Err(InvalidChallenge::Shape("negated conjunct")),
        (Claim::Forall { .. }, _) => return Err(InvalidChallenge::Shape("negated instance")),
        (Claim::Call { .. }, _) => return Err(InvalidChallenge::Shape("unfolding")),
    };
    if expected == *counter {
        Ok(())
    } else {
        Err(InvalidChallenge::Shape(match kind {
            ChallengeKind::Not => "operand",
            ChallengeKind::AndChild { .. } => "negated conjunct",
            ChallengeKind::Instance { .. } => "negated instance",
            ChallengeKind::Negation => "negation",
        }))
    }
}
