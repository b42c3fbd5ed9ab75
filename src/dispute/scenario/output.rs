//! A scenario's outcome: the transcript, final claims and balances, and their renderings
//! (aligned text, JSON, a dot graph); claim texts with the worlds' values named.

use super::util::{short_id, Names};
use super::world::{Labels as WorldLabels, World};
use super::ScenarioError;
use crate::dispute::Arena;
use crate::dispute::Entry;
use crate::lang::Program;
use crate::logic::value::Type;
use crate::logic::Claim;
use alloy_primitives::Address;
use alloy_primitives::{B256, U256};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

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
    /// The bond of every claim, in wei.
    pub bond: String,
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

/// Plasma values in claim texts, replaced by readable names: transfers
/// (typed or as raw encodings), chain commitments, addresses; and claims that
/// are a definition of the claim file applied to such values, by that call.
pub(super) struct Labels {
    subs: Vec<(String, String)>,
    calls: BTreeMap<B256, String>,
}

impl Labels {
    /// At most this many argument combinations are tried per definition.
    const MAX_CALLS: usize = 4096;

    pub(super) fn new(
        from: WorldLabels,
        names: &Names,
        program: &Program,
    ) -> Result<Labels, ScenarioError> {
        let WorldLabels {
            mut subs,
            typed,
            words,
            blocks,
        } = from;
        let numbers: Vec<(Vec<u8>, String)> = (0..=blocks)
            .map(|n| (U256::from(n).to_be_bytes::<32>().to_vec(), n.to_string()))
            .collect();
        let mut addresses = Vec::new();
        for (a, n) in &names.0 {
            subs.push((format!("{:#x}", a.into_word()), n.clone()));
            subs.push((format!("{a:#x}"), n.clone()));
            addresses.push((a.into_word().to_vec(), n.clone()));
        }
        // Longest first, so a transfer is named before the addresses in it.
        subs.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        let mut calls = BTreeMap::new();
        for (name, def) in &program.defs {
            if def.recursive.is_some() {
                continue;
            }
            let Some(domains) = def
                .params
                .iter()
                .map(|(_, t)| match t {
                    Type::Struct(_) => typed.iter().find(|(ty, _)| ty == t).map(|(_, d)| d),
                    Type::Bytes32 => Some(&words),
                    Type::Uint256 => Some(&numbers),
                    Type::Address => Some(&addresses),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            if domains.iter().map(|d| d.len()).product::<usize>() > Self::MAX_CALLS {
                continue;
            }
            let mut combo = vec![0usize; domains.len()];
            'combos: loop {
                if domains.iter().all(|d| !d.is_empty()) {
                    let args: Vec<Vec<u8>> = combo
                        .iter()
                        .zip(&domains)
                        .map(|(i, d)| d[*i].0.clone())
                        .collect();
                    if let Ok(c) = def.template.instantiate_template(B256::ZERO, &args) {
                        let shown: Vec<&str> = combo
                            .iter()
                            .zip(&domains)
                            .map(|(i, d)| d[*i].1.as_str())
                            .collect();
                        let call = format!("{name}({})", shown.join(", "));
                        // Its negation too, double negations removed as challenges do.
                        calls
                            .entry(c.clone().negate().id())
                            .or_insert_with(|| format!("not {call}"));
                        calls.entry(c.id()).or_insert(call);
                    }
                } else {
                    break;
                }
                // Next combination (odometer).
                for (k, d) in combo.iter_mut().zip(&domains).rev() {
                    *k += 1;
                    if *k < d.len() {
                        continue 'combos;
                    }
                    *k = 0;
                }
                break;
            }
        }
        Ok(Labels { subs, calls })
    }

    /// The claim as text: a named call if it is one (or its negation), else
    /// as the program shows it with plasma values named.
    pub(super) fn text(&self, program: &Program, c: &Claim) -> String {
        if let Some(call) = self.calls.get(&c.id()) {
            return call.clone();
        }
        let mut out = program.show(c);
        for (from, to) in &self.subs {
            if out.contains(from.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        out
    }
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
        // Wide enough for every name listed (a party that never acted, `PlasmaChain`).
        let w = self
            .balances
            .iter()
            .map(|(n, _)| n.len())
            .max()
            .unwrap_or(0)
            .max(w);
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

/// The outcome of a finished run: claims with readable texts, the transcript with the
/// worlds' values named, every party's balance change, what the contracts hold.
pub(super) fn outcome(
    name: &str,
    arena: &mut Arena<'_>,
    program: &Program,
    worlds: &[Box<dyn World>],
    names: &Names,
    start_balances: &[(String, Address, U256)],
) -> Result<Outcome, ScenarioError> {
    let labels = if worlds.is_empty() {
        None
    } else {
        let mut l = WorldLabels::default();
        for w in worlds {
            w.labels(&mut l, names)?;
        }
        Some(Labels::new(l, names, program)?)
    };
    // The text of a claim: as the program shows it, or with the worlds' values named.
    let text_of = |c: &Claim| -> String {
        match &labels {
            Some(l) => l.text(program, c),
            None => program.show(c),
        }
    };
    let mut claims = Vec::new();
    for (id, c) in arena.claims().clone() {
        let status = format!("{:?}", arena.status(&c));
        claims.push(ClaimOut {
            id: format!("{id:#x}"),
            text: text_of(&c),
            status,
            by: arena
                .claimed_by()
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "?".into()),
        });
    }
    let mut transcript = arena.log().to_vec();
    if labels.is_some() {
        // Arena notes claims as `<id> <text, 70 characters>`: name the worlds' values instead.
        for e in &mut transcript {
            for (id, c) in arena.claims() {
                let text = program.show(c);
                let short = if text.chars().count() > 70 {
                    format!("{}…", text.chars().take(70).collect::<String>())
                } else {
                    text
                };
                let noted = format!("{} {short}", short_id(id));
                if let Some(head) = e.call.strip_suffix(&noted) {
                    let mut readable = text_of(c);
                    if readable.chars().count() > 100 {
                        readable = format!("{}…", readable.chars().take(100).collect::<String>());
                    }
                    e.call = format!("{head}{} {readable}", short_id(id));
                    break;
                }
            }
        }
    }
    let mut balances = Vec::new();
    for (name, address, start) in start_balances {
        let now = arena.dispute_mut().chain.balance(*address);
        let diff = if now >= *start {
            format!("+{}", now - *start)
        } else {
            format!("-{}", *start - now)
        };
        balances.push((name.clone(), diff));
    }
    // With a gas price: the keeper's fees (it started with `KEEPER_FUNDS`) and what the block
    // beneficiary received, so that every wei is accounted for.
    if arena.dispute_mut().chain.gas_price() > 0 {
        let keeper = arena
            .dispute_mut()
            .chain
            .balance(super::util::party_address("keeper"));
        balances.push((
            "keeper".into(),
            format!("-{}", U256::from(super::KEEPER_FUNDS) - keeper),
        ));
        let fees = arena.dispute_mut().chain.balance(Address::ZERO);
        balances.push(("fees".into(), format!("+{fees}")));
    }
    // The payout contracts were deployed empty: what they hold is what they gained.
    for w in worlds {
        let (address, name) = w.contract();
        let held = arena.dispute_mut().chain.balance(address);
        balances.push((name.into(), format!("+{held}")));
        balances.extend(w.other_balances());
    }
    Ok(Outcome {
        name: name.to_string(),
        transcript,
        claims,
        balances,
        contract_holds: arena.dispute_mut().balance().to_string(),
        bond: arena.dispute().bond.to_string(),
        links: arena
            .links()
            .iter()
            .map(|(t, c)| (format!("{t:#x}"), format!("{c:#x}")))
            .collect(),
    })
}
