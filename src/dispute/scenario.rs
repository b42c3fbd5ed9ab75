//! Scenario files: parties, their local information and strategies, a
//! timeline of actions, run block by block against the real contracts on the
//! embedded EVM (`ogs simulate`).
//!
//! ```toml
//! name = "stale channel exit defeated by a later signed update"
//! source = "../../examples/channel/exit.ogs"   # claim file, relative to this file
//! window = 3600                                # dispute window, seconds
//! block_time = 12                              # seconds per block
//! blocks = 400                                 # how long to run
//! bond = "10000000000000000"                   # wei per claim (optional)
//!
//! [[party]]
//! name = "alice"
//! info = "../../examples/channel/alice.json"   # local information (optional)
//! strategy = "honest"                          # honest | lazy | offline | adversary
//! delay = 250                                  # lazy: blocks before it first answers
//!
//! [[action]]
//! block = 0
//! party = "alice"
//! claim = "alice_exit()"                       # or: negation = "…", show = "…" (a witness from its info),
//!                                              #     witness = ["claim", "0x…"], spam = { target = "…", count = 20 },
//!                                              #     challenge = { target = "…", counter = "…", how = "conjunct", index = 0 }
//! ```
//!
//! Strategies: **honest** answers every claim on chain it can decide, in the
//! block it appears (counter-claims and witnesses from the evaluator), and
//! settles whatever can be decided; **lazy** does the same but only from
//! block `delay` on; **offline** does only its timeline actions; **adversary**
//! posts every challenge it can form against every claim it did not make
//! (with no witnesses of its own) — the "every valid-looking move" attacker.

use super::{how_of, Arena, Entry, Party};
use crate::chain::dispute::{DisputeError, How, Status};
use crate::lang::{check_files, Program};
use crate::logic::claim::unfold;
use crate::logic::eval::ChallengeKind;
use crate::logic::{Claim, LocalInfo, Registry};
use alloy_primitives::{keccak256, Address, B256, U256};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a scenario could not run.
#[derive(Debug, Error)]
pub enum ScenarioError {
    /// Unreadable file.
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// Not the documented TOML shape.
    #[error("{0}: {1}")]
    Toml(PathBuf, String),
    /// The claim file or a claim text does not check.
    #[error("{0}")]
    Claims(String),
    /// Bad local information.
    #[error("{0}: {1}")]
    Info(PathBuf, String),
    /// Inconsistent scenario (unknown party, …).
    #[error("scenario: {0}")]
    Invalid(String),
    /// Deployment failed.
    #[error(transparent)]
    Dispute(#[from] DisputeError),
}

/// How a party behaves.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Answers everything in time with the evaluator.
    #[default]
    Honest,
    /// Answers like an honest party, but only from block `delay` on.
    Lazy,
    /// Only its timeline actions.
    Offline,
    /// Every challenge it can form against claims it did not make.
    Adversary,
}

/// A party in a scenario file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartySpec {
    /// Name.
    pub name: String,
    /// Local information (JSON, relative to the scenario file).
    #[serde(default)]
    pub info: Option<PathBuf>,
    /// Strategy.
    #[serde(default)]
    pub strategy: Strategy,
    /// For `lazy`: the first block it answers in.
    #[serde(default)]
    pub delay: u64,
    /// Starting balance in wei (default 1,000 ether).
    #[serde(default)]
    pub balance: Option<String>,
}

/// A challenge written out in a scenario.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeSpec {
    /// The target claim (text).
    pub target: String,
    /// The counter-claim (text).
    pub counter: String,
    /// `operand`, `conjunct`, `instance` or `negation`.
    #[serde(default)]
    pub how: Option<String>,
    /// Conjunct index.
    #[serde(default)]
    pub index: u64,
    /// Quantifier instance (hex of its canonical encoding).
    #[serde(default)]
    pub instance: Option<String>,
    /// Witness (hex).
    #[serde(default)]
    pub witness: Option<String>,
}

/// Challenge spam: `count` invalid challenges against `target`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpamSpec {
    /// The target claim (text).
    pub target: String,
    /// How many.
    pub count: u64,
}

/// One timeline action.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    /// Block (relative to the start) it happens in.
    pub block: u64,
    /// Who does it.
    pub party: String,
    /// Post this claim.
    #[serde(default)]
    pub claim: Option<String>,
    /// Post the negation of this claim.
    #[serde(default)]
    pub negation: Option<String>,
    /// Post this challenge.
    #[serde(default)]
    pub challenge: Option<ChallengeSpec>,
    /// Spam invalid challenges.
    #[serde(default)]
    pub spam: Option<SpamSpec>,
    /// Show this witness (hex) for this witness claim (text): `[claim, witness]`.
    #[serde(default)]
    pub witness: Option<(String, String)>,
    /// Show the witness of this witness claim that the party's local information holds.
    #[serde(default)]
    pub show: Option<String>,
}

/// A scenario file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Title.
    pub name: String,
    /// The claim file.
    pub source: PathBuf,
    /// Dispute window in seconds.
    pub window: u64,
    /// Seconds per block.
    #[serde(default = "default_block_time")]
    pub block_time: u64,
    /// Blocks to run.
    pub blocks: u64,
    /// Bond per claim in wei.
    #[serde(default)]
    pub bond: Option<String>,
    /// Parties.
    #[serde(rename = "party")]
    pub parties: Vec<PartySpec>,
    /// Timeline.
    #[serde(default, rename = "action")]
    pub actions: Vec<ActionSpec>,
}

fn default_block_time() -> u64 {
    12
}

/// A decision seen on chain.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Decision {
    /// Block it happened in.
    pub block: u64,
    /// Claim id (hex).
    pub id: String,
    /// The claim as text.
    pub claim: String,
    /// True or False.
    pub truth: bool,
}

/// The result of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// Scenario title.
    pub name: String,
    /// Every call with block, actor, gas and outcome.
    pub transcript: Vec<Entry>,
    /// Final status of every claim (id → (text, status)).
    pub claims: Vec<ClaimOut>,
    /// Final balance change of every party, in wei (signed decimal).
    pub balances: Vec<(String, String)>,
    /// What the contract still holds, in wei.
    pub contract_holds: String,
    /// Challenge links (target id, challenge id).
    pub links: Vec<(String, String)>,
}

/// A claim's final state.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimOut {
    /// Id (hex).
    pub id: String,
    /// Text.
    pub text: String,
    /// `True`, `False` or `Undecided`.
    pub status: String,
    /// Who claimed it first (a party name).
    pub by: String,
}

/// Loads a scenario file.
pub fn load(path: &Path) -> Result<(ScenarioSpec, PathBuf), ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Io(path.into(), e))?;
    let spec: ScenarioSpec =
        toml::from_str(&text).map_err(|e| ScenarioError::Toml(path.into(), e.to_string()))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((spec, dir))
}

/// The deterministic address of a named party.
pub fn party_address(name: &str) -> Address {
    Address::from_slice(&keccak256(format!("ogs scenario party: {name}"))[12..])
}

fn wei(s: &Option<String>, default: U256) -> Result<U256, ScenarioError> {
    match s {
        None => Ok(default),
        Some(s) => U256::from_str_radix(s.trim(), 10)
            .map_err(|e| ScenarioError::Invalid(format!("bad wei amount {s:?}: {e}"))),
    }
}

fn compile(p: &Program, text: &str) -> Result<Claim, ScenarioError> {
    p.compile_claim(text)
        .map_err(|e| ScenarioError::Claims(e.render(false)))
}

fn hex_bytes(s: &Option<String>) -> Result<Vec<u8>, ScenarioError> {
    match s {
        None => Ok(vec![]),
        Some(h) => hex::decode(h.trim_start_matches("0x"))
            .map_err(|e| ScenarioError::Invalid(format!("bad hex {h:?}: {e}"))),
    }
}

/// Every challenge of `target` that can be formed from `info` (no witnesses).
pub fn all_challenges(p: &Program, info: &LocalInfo, target: &Claim) -> Vec<(How, Claim)> {
    let body = match target {
        Claim::Call { .. } => match unfold(target, p) {
            Ok(b) => b,
            Err(_) => return vec![],
        },
        t => t.clone(),
    };
    match &body {
        Claim::Not(x) => vec![(How::default(), (**x).clone())],
        Claim::And(ps) => ps
            .iter()
            .enumerate()
            .map(|(i, x)| {
                (
                    how_of(&ChallengeKind::AndChild { index: i }),
                    x.clone().negate(),
                )
            })
            .collect(),
        Claim::Forall {
            quantifier,
            args,
            body,
        } => {
            let Some(q) = p.registry.quantifier_by_id(quantifier) else {
                return vec![];
            };
            let Some(args) = args
                .iter()
                .map(|a| a.as_lit().map(<[u8]>::to_vec))
                .collect::<Option<Vec<_>>>()
            else {
                return vec![];
            };
            q.domain(&args, info)
                .instances
                .into_iter()
                .filter_map(|inst| {
                    let c = Claim::instantiate(body, &inst.value).ok()?.negate();
                    Some((
                        how_of(&ChallengeKind::Instance {
                            value: inst.value,
                            proof: inst.proof,
                        }),
                        c,
                    ))
                })
                .collect()
        }
        _ => vec![],
    }
}

struct Actor {
    party: Party,
    strategy: Strategy,
    delay: u64,
}

/// Runs a scenario file.
pub fn run_file(path: &Path) -> Result<Outcome, ScenarioError> {
    let (spec, dir) = load(path)?;
    run(&spec, &dir)
}

/// Runs a scenario; paths in it are relative to `dir`.
pub fn run(spec: &ScenarioSpec, dir: &Path) -> Result<Outcome, ScenarioError> {
    let program = check_files(&[dir.join(&spec.source)], &Registry::standard())
        .map_err(|e| ScenarioError::Claims(e.render(false)))?;
    let bond = wei(&spec.bond, U256::from(10_000_000_000_000_000u64))?;
    let mut arena = Arena::new(&program, bond, spec.window)?;
    let mut actors = Vec::new();
    let mut start_balances = BTreeMap::new();
    for ps in &spec.parties {
        let info = match &ps.info {
            Some(f) => {
                let path = dir.join(f);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ScenarioError::Io(path.clone(), e))?;
                LocalInfo::from_json(&text)
                    .map_err(|e| ScenarioError::Info(path.clone(), e.to_string()))?
            }
            None => LocalInfo::new(),
        };
        let address = party_address(&ps.name);
        let balance = wei(&ps.balance, U256::from(10u128.pow(21)))?;
        arena.d.chain.set_balance(address, balance);
        start_balances.insert(ps.name.clone(), balance);
        actors.push(Actor {
            party: Party {
                name: ps.name.clone(),
                address,
                info,
            },
            strategy: ps.strategy,
            delay: ps.delay,
        });
    }
    let who = |name: &str| -> Result<usize, ScenarioError> {
        actors_index(&spec.parties, name)
            .ok_or_else(|| ScenarioError::Invalid(format!("unknown party `{name}`")))
    };
    for block in 0..=spec.blocks {
        if block > 0 {
            arena.wait_block(spec.block_time);
        }
        for a in spec.actions.iter().filter(|a| a.block == block) {
            let i = who(&a.party)?;
            let party = &actors[i].party;
            if let Some(text) = &a.claim {
                let c = compile(&program, text)?;
                let _ = arena.claim(party, &c);
            }
            if let Some(text) = &a.negation {
                let c = compile(&program, text)?.negate();
                let _ = arena.claim(party, &c);
            }
            if let Some(ch) = &a.challenge {
                let target = compile(&program, &ch.target)?;
                let counter = compile(&program, &ch.counter)?;
                let how = How {
                    how: match ch.how.as_deref() {
                        None | Some("operand") => 0,
                        Some("conjunct") => 1,
                        Some("instance") => 2,
                        Some("negation") => 3,
                        Some(o) => {
                            return Err(ScenarioError::Invalid(format!(
                                "unknown challenge kind `{o}`"
                            )))
                        }
                    },
                    index: ch.index,
                    instance: hex_bytes(&ch.instance)?,
                    ..How::default()
                };
                let _ = arena.challenge(party, &target, &how, &counter, &hex_bytes(&ch.witness)?);
            }
            if let Some(s) = &a.spam {
                let target = compile(&program, &s.target)?;
                for k in 0..s.count {
                    // Each spam challenge names a counter-claim that contradicts nothing.
                    let junk = compile(&program, &format!("eq({k}, {})", k + 1))?;
                    let how = How {
                        how: (k % 3) as u8,
                        index: k,
                        ..How::default()
                    };
                    let _ = arena.challenge(party, &target, &how, &junk, b"");
                }
            }
            if let Some(text) = &a.show {
                let c = compile(&program, text)?;
                let verdict =
                    crate::logic::Evaluator::new(&program.registry, &program, &party.info)
                        .decide(&c)
                        .map_err(|e| ScenarioError::Invalid(format!("{text}: {e}")))?;
                let crate::logic::Verdict::True(ev) = verdict else {
                    return Err(ScenarioError::Invalid(format!(
                        "{} holds no witness for {text}",
                        party.name
                    )));
                };
                let w = ev
                    .witnesses
                    .iter()
                    .find(|w| w.claim == c)
                    .map(|w| w.witness.clone())
                    .unwrap_or_default();
                // A witness is shown for a claim on chain: claim it first if nobody has.
                if arena.status(&c) == Status::None && arena.claim(party, &c).is_err() {
                    continue;
                }
                let _ = arena.show_witness(party, &c, &w);
            }
            if let Some((text, w)) = &a.witness {
                let c = compile(&program, text)?;
                let _ = arena.show_witness(party, &c, &hex_bytes(&Some(w.clone()))?);
            }
        }
        // Strategies, in party order.
        for actor in &actors {
            let (strategy, delay) = (actor.strategy, actor.delay);
            let party = &actor.party;
            match strategy {
                Strategy::Offline => {}
                Strategy::Lazy if block < delay => {}
                Strategy::Honest | Strategy::Lazy => {
                    arena.respond(party);
                    arena.settle(party);
                }
                Strategy::Adversary => {
                    let mine: Vec<B256> = arena
                        .claimed_by
                        .iter()
                        .filter(|(_, n)| **n == party.name)
                        .map(|(id, _)| *id)
                        .collect();
                    for (id, c) in arena.claims.clone() {
                        if mine.contains(&id) || arena.status(&c) != Status::Undecided {
                            continue;
                        }
                        for (how, counter) in all_challenges(&program, &party.info, &c) {
                            if arena.links.contains(&(id, counter.id()))
                                || matches!(counter, Claim::Witness { .. })
                            {
                                continue;
                            }
                            let _ = arena.challenge(party, &c, &how, &counter, b"");
                        }
                    }
                }
            }
        }
    }
    // After the run, anyone may trigger the payouts (credit goes to whoever is owed);
    // a keeper does it, then every party withdraws what it was credited.
    let keeper = party_address("keeper");
    for (id, _) in arena.claims.clone() {
        let r = arena.d.payout(keeper, id);
        if r.is_ok() {
            arena.note_call("keeper", format!("payout bond of {}", short_id(&id)), &r);
        }
    }
    for a in &actors {
        let r = arena.d.withdraw(a.party.address);
        if r.is_ok() {
            arena.note_call(&a.party.name, "withdraw".into(), &r);
        }
    }
    let mut claims = Vec::new();
    for (id, c) in arena.claims.clone() {
        let status = format!("{:?}", arena.status(&c));
        claims.push(ClaimOut {
            id: format!("{id:#x}"),
            text: program.show(&c),
            status,
            by: arena
                .claimed_by
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "?".into()),
        });
    }
    let mut balances = Vec::new();
    for a in &actors {
        let now = arena.d.chain.balance(a.party.address);
        let start = start_balances[&a.party.name];
        let diff = if now >= start {
            format!("+{}", now - start)
        } else {
            format!("-{}", start - now)
        };
        balances.push((a.party.name.clone(), diff));
    }
    Ok(Outcome {
        name: spec.name.clone(),
        transcript: arena.log.clone(),
        claims,
        balances,
        contract_holds: arena.d.balance().to_string(),
        links: arena
            .links
            .iter()
            .map(|(t, c)| (format!("{t:#x}"), format!("{c:#x}")))
            .collect(),
    })
}

fn actors_index(parties: &[PartySpec], name: &str) -> Option<usize> {
    parties.iter().position(|p| p.name == name)
}

fn short_id(id: &B256) -> String {
    format!("{id:#x}")[..10].to_string()
}

impl Outcome {
    /// The transcript for people: aligned columns, decisions marked.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "scenario: {}\n", self.name);
        let w = self
            .transcript
            .iter()
            .map(|e| e.actor.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(
            s,
            "{:>5}  {:>6}  {:<w$}  {:>7}  call → outcome",
            "block", "t(s)", "actor", "gas"
        );
        for e in &self.transcript {
            let mark = if e.outcome == "ok" && e.call.starts_with("decide") {
                "▶"
            } else {
                " "
            };
            let _ = writeln!(
                s,
                "{:>5}  {:>6}{mark} {:<w$}  {:>7}  {} → {}",
                e.block, e.time, e.actor, e.gas, e.call, e.outcome
            );
        }
        let _ = writeln!(s, "\nclaims:");
        for c in &self.claims {
            let text = if c.text.chars().count() > 90 {
                format!("{}…", c.text.chars().take(90).collect::<String>())
            } else {
                c.text.clone()
            };
            let _ = writeln!(
                s,
                "  {:<9} {}  by {:<w$}  {}",
                c.status,
                &c.id[..10],
                c.by,
                text
            );
        }
        let _ = writeln!(s, "\nbalances:");
        for (n, d) in &self.balances {
            let _ = writeln!(s, "  {n:<w$}  {d} wei");
        }
        let _ = writeln!(s, "  {:<w$}  holds {} wei", "contract", self.contract_holds);
        s
    }

    /// The dispute graph (claims as nodes, challenge edges) in Graphviz dot.
    pub fn dot(&self) -> String {
        let mut g: DiGraph<String, &'static str> = DiGraph::new();
        let mut idx: BTreeMap<&str, NodeIndex> = BTreeMap::new();
        for c in &self.claims {
            let text: String = c.text.chars().take(60).collect();
            let n = g.add_node(format!(
                "{} [{}] by {}\\n{}",
                &c.id[..10],
                c.status,
                c.by,
                text.replace('"', "'")
            ));
            idx.insert(c.id.as_str(), n);
        }
        for (t, c) in &self.links {
            if let (Some(&a), Some(&b)) = (idx.get(c.as_str()), idx.get(t.as_str())) {
                g.add_edge(a, b, "challenges");
            }
        }
        let mut s = String::from(
            "digraph dispute {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n",
        );
        for n in g.node_indices() {
            let label = &g[n];
            let color = if label.contains("[True]") {
                "palegreen"
            } else if label.contains("[False]") {
                "lightpink"
            } else {
                "lightgrey"
            };
            let _ = writeln!(
                s,
                "  n{} [label=\"{}\", style=filled, fillcolor={color}];",
                n.index(),
                label
            );
        }
        for e in g.edge_indices() {
            if let Some((a, b)) = g.edge_endpoints(e) {
                let _ = writeln!(
                    s,
                    "  n{} -> n{} [label=\"{}\"];",
                    a.index(),
                    b.index(),
                    g[e]
                );
            }
        }
        s.push_str("}\n");
        s
    }
}
