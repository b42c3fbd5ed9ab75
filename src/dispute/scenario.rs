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
//! With `decide_at_once = true` (top level), honest and lazy parties also
//! decide a `not (forall …)` claim they believe at once, without waiting for
//! its window, when they can show the witness of a counter-instance (they
//! claim the instance's `witness …` claim, show its witness, and call
//! `decideNotByChallenge`): a spent coin's exit falls in the block it is
//! challenged.
//!
//! ## Plasma
//!
//! A `[plasma]` section deploys a `PlasmaChain` (`predicates/plasma.ogs`,
//! `contracts/README.md`) next to the dispute system, run by a named party,
//! and enables four more actions. Every party has a deterministic key
//! ([`party_key`]), so transfers are signed for real; the runner builds each
//! party's plasma knowledge itself (no local-information file is needed): it
//! knows every committed block with its signatures (the operator publishes
//! them) except the ones listed in its `missing_signatures`, the withheld
//! transfers it signed or received, and every signature it made (its own
//! address is `own`).
//!
//! ```toml
//! source = "../../predicates/plasma.ogs"       # PlasmaChain pays on this file's plasma_exit
//! decide_at_once = true
//!
//! [plasma]
//! operator = "operator"                        # a party: the only one whose `commit` succeeds
//!
//! [[party]]
//! name = "carol"
//! missing_signatures = [{ coin = 1, block = 2, to = "bob" }]  # never saw alice's signature on it
//!
//! [[action]]
//! block = 0
//! party = "alice"
//! deposit = { amount = "2 ether" }             # a deposit block: coin id = its block number (1)
//!
//! [[action]]
//! block = 1
//! party = "operator"
//! commit = [                                   # block 2, with these transfers in tree order
//!   { coin = 1, from = "alice", to = "bob" },                    # signed by alice's key
//!   { coin = 1, from = "alice", to = "mallory", signed = false }, # forged: nobody signed it
//!   { coin = 1, from = "alice", to = "carol", withheld = true },  # signed, but left out of the block
//! ]
//!
//! [[action]]
//! block = 2
//! party = "bob"
//! exit = { coin = 1, block = 2, to = "bob" }   # claim plasma_exit(t, commitment after block 2);
//!                                              # `to` only if the block has several transfers of the coin
//! [[action]]
//! block = 305
//! party = "bob"
//! finalize = { coin = 1, block = 2, to = "bob" }  # PlasmaChain.finalizeExit(t): pays t.owner if True
//! ```
//!
//! ## Channel payout
//!
//! A `[channel]` section deploys a `ChannelPayout` and opens a channel of the
//! named participants; its updates are signed off chain by the parties' keys,
//! and every participant knows every update and signature (`complete`).
//!
//! ```toml
//! source = "../../predicates/channel.ogs"      # ChannelPayout pays on signed_channel_exit
//!
//! [channel]
//! participants = ["alice", "bob"]
//!
//! [[action]]
//! block = 0
//! party = "alice"
//! fund = { amount = "3 ether" }                # ChannelPayout.deposit
//!
//! [[action]]
//! block = 1
//! party = "alice"
//! update = { nonce = 5, balances = ["3 ether", "2 ether"] }   # signed_by = [...] (default: all)
//!
//! [[action]]
//! block = 2
//! party = "bob"
//! channel_exit = { nonce = 5 }                 # claim signed_channel_exit(update 5)
//!
//! [[action]]
//! block = 305
//! party = "bob"
//! settle = { nonce = 5 }                       # ChannelPayout.settle: credits the balances if True
//! ```
//!
//! Amounts are wei, or `"<n> ether"` / `"<n> gwei"` (decimals allowed). The
//! payout contracts' balance changes are listed with the parties' in the
//! outcome, and credit left in `ChannelPayout` is withdrawn at the end. In
//! these scenarios the transcript names transfers `⟨coin 1, block 2: alice →
//! bob⟩`, chain commitments `chain@2` (after block 2), channel updates `update
//! 5 [3 ether, 2 ether]`, parties by name, and claims that are a definition of
//! the claim file applied to such values by that call (`not unspent(⟨…⟩)`).

use super::{how_of, Arena, Entry, Party};
use crate::chain::dispute::{bytecode, revert_reason, DisputeError, How, Status, UniversalDispute};
use crate::chain::Receipt;
use crate::lang::{check_files, Program};
use crate::logic::claim::unfold;
use crate::logic::crypto::{address_of, signing_key};
use crate::logic::eval::{ChallengeKind, Evaluator, Verdict};
use crate::logic::value::{Type, Value};
use crate::logic::{Claim, LocalInfo};
use crate::systems::channel::{
    channel_update, sign_update, update_type, ChannelInfo, ChannelKnowledge, KnownUpdate,
};
use crate::systems::plasma::{
    plasma_block_root, plasma_transfer_type, sign_transfer, KnownTransfer,
    PlasmaChain as PlasmaInfo, PlasmaKnowledge, Transfer,
};
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolEvent, SolInterface, SolValue};
use k256::ecdsa::SigningKey;
use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// `PlasmaChain` and `ChannelPayout` bindings, generated from the committed ABI artifacts.
mod bindings {
    #![allow(missing_docs)]
    alloy_sol_types::sol!(
        #[sol(all_derives)]
        PlasmaChain,
        "contracts/artifacts/PlasmaChain.json"
    );
    alloy_sol_types::sol!(
        #[sol(all_derives)]
        ChannelPayout,
        "contracts/artifacts/ChannelPayout.json"
    );
}
use bindings::{ChannelPayout as PayoutContract, PlasmaChain as PlasmaContract, PlasmaLib};

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
    /// Plasma transfers whose sender's signature this party never saw (it
    /// still knows its own signatures).
    #[serde(default)]
    pub missing_signatures: Vec<TransferRef>,
}

/// The `[plasma]` section: a `PlasmaChain` next to the dispute system.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlasmaSpec {
    /// The party that operates the chain (commits its blocks).
    pub operator: String,
}

/// The `[channel]` section: a channel in a `ChannelPayout` next to the
/// dispute system, opened by its first participant.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSpec {
    /// The participants (parties), in signing order.
    pub participants: Vec<String>,
}

/// A channel update signed off chain.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateSpec {
    /// Its nonce.
    pub nonce: u64,
    /// Balances in participant order (wei, or `"<n> ether"`).
    pub balances: Vec<String>,
    /// Who signed it (default: every participant).
    #[serde(default)]
    pub signed_by: Option<Vec<String>>,
}

/// Names a channel update by its nonce.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonceRef {
    /// The nonce.
    pub nonce: u64,
}

/// A deposit (into the plasma chain, or the channel) by the action's party.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepositSpec {
    /// Wei, or `"<n> ether"` / `"<n> gwei"`.
    pub amount: String,
}

/// A transfer in a committed block.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferSpec {
    /// The coin (the number of its deposit block).
    pub coin: u64,
    /// The sender (a party), who signs it.
    pub from: String,
    /// The new owner (a party).
    pub to: String,
    /// Whether the sender signed it (`false`: a forgery the operator includes anyway).
    #[serde(default = "yes")]
    pub signed: bool,
    /// Signed by the sender and handed to the new owner, but left out of the block.
    #[serde(default)]
    pub withheld: bool,
}

fn yes() -> bool {
    true
}

/// Names a plasma transfer: the transfer of `coin` in block `block` (to `to`,
/// when the block has several transfers of the coin).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferRef {
    /// The coin.
    pub coin: u64,
    /// The block the transfer is (or was meant to be) included in.
    pub block: u64,
    /// Its new owner (a party), if needed to tell transfers apart.
    #[serde(default)]
    pub to: Option<String>,
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
    /// Deposit into the plasma chain (a new coin).
    #[serde(default)]
    pub deposit: Option<DepositSpec>,
    /// Commit the next plasma block with these transfers (the operator's move).
    #[serde(default)]
    pub commit: Option<Vec<TransferSpec>>,
    /// Claim `plasma_exit` of this transfer, with the chain commitment after its block.
    #[serde(default)]
    pub exit: Option<TransferRef>,
    /// Call `PlasmaChain.finalizeExit` for this transfer.
    #[serde(default)]
    pub finalize: Option<TransferRef>,
    /// Fund the channel.
    #[serde(default)]
    pub fund: Option<DepositSpec>,
    /// Sign a channel update off chain.
    #[serde(default)]
    pub update: Option<UpdateSpec>,
    /// Claim `signed_channel_exit` of the update with this nonce.
    #[serde(default)]
    pub channel_exit: Option<NonceRef>,
    /// Call `ChannelPayout.settle` with the update with this nonce.
    #[serde(default)]
    pub settle: Option<NonceRef>,
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
    /// Honest parties decide `not (forall …)` claims at once when they can
    /// show a counter-instance's witness (`decideNotByChallenge`).
    #[serde(default)]
    pub decide_at_once: bool,
    /// A plasma chain to deploy.
    #[serde(default)]
    pub plasma: Option<PlasmaSpec>,
    /// A payment channel to open in a `ChannelPayout`.
    #[serde(default)]
    pub channel: Option<ChannelSpec>,
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

/// The deterministic signing key of a named party: the secret is
/// `keccak256("ogs scenario key: <name>")` (hashed again in the negligible
/// case that it is not a valid secp256k1 scalar).
pub fn party_key(name: &str) -> SigningKey {
    let mut secret = keccak256(format!("ogs scenario key: {name}"));
    loop {
        if let Some(k) = signing_key(secret.as_slice()) {
            return k;
        }
        secret = keccak256(secret);
    }
}

/// The deterministic address of a named party: the Ethereum address of [`party_key`].
pub fn party_address(name: &str) -> Address {
    address_of(party_key(name).verifying_key())
}

/// Parses an amount: decimal wei, or `"<n> ether"` / `"<n> gwei"` (`n` may have decimals).
fn parse_wei(s: &str) -> Result<U256, ScenarioError> {
    let bad = |why: &str| ScenarioError::Invalid(format!("bad amount {s:?}: {why}"));
    let t = s.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("ether") {
        (n.trim(), 18)
    } else if let Some(n) = t.strip_suffix("gwei") {
        (n.trim(), 9)
    } else if let Some(n) = t.strip_suffix("wei") {
        (n.trim(), 0)
    } else {
        (t, 0)
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if int.is_empty() && frac.is_empty() {
        return Err(bad("no number"));
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad(
            "expected digits, then `ether`, `gwei` or nothing (wei)",
        ));
    }
    if frac.len() > scale {
        return Err(bad("more decimals than the unit has"));
    }
    let digits = format!("{int}{frac:0<scale$}");
    U256::from_str_radix(&digits, 10).map_err(|e| bad(&e.to_string()))
}

fn wei(s: &Option<String>, default: U256) -> Result<U256, ScenarioError> {
    match s {
        None => Ok(default),
        Some(s) => parse_wei(s),
    }
}

/// Renders wei as ether when it has at most six decimals of ether, in wei otherwise.
fn show_wei(w: U256) -> String {
    let ether = U256::from(10u64).pow(U256::from(18));
    let micro = U256::from(10u64).pow(U256::from(12));
    if w.is_zero() || !(w % micro).is_zero() {
        return format!("{w} wei");
    }
    let frac = format!("{:06}", (w % ether) / micro);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{} ether", w / ether)
    } else {
        format!("{}.{frac} ether", w / ether)
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

/// The plasma chain of a scenario: its contract and a mirror of every block
/// (what the operator publishes), plus the signed transfers it left out.
struct Plasma {
    address: Address,
    /// Committed blocks, from block 1 (deposit blocks included).
    blocks: Vec<Vec<KnownTransfer>>,
    /// Signed transfers left out of the block they name.
    withheld: Vec<KnownTransfer>,
}

impl Plasma {
    /// Deploys `PlasmaChain(dispute, operator)` next to the dispute contract.
    fn deploy(arena: &mut Arena, operator: Address) -> Result<Plasma, ScenarioError> {
        let mut code = bytecode("PlasmaChain")?;
        code.extend(
            PlasmaContract::constructorCall {
                dispute: arena.d.address,
                operator,
            }
            .abi_encode(),
        );
        // A deployer of its own: the address (which every transfer names) does
        // not depend on how many contracts the dispute system deployed.
        let deployer = party_address("plasma deployer");
        let (address, _) = arena
            .d
            .chain
            .deploy(deployer, code.into(), U256::ZERO)
            .map_err(DisputeError::from)?;
        Ok(Plasma {
            address,
            blocks: Vec::new(),
            withheld: Vec::new(),
        })
    }

    /// The number the next block gets.
    fn next(&self) -> U256 {
        U256::from(self.blocks.len() + 1)
    }

    /// Every transfer: the blocks' in order, then the withheld ones.
    fn all(&self) -> impl Iterator<Item = &KnownTransfer> {
        self.blocks.iter().flatten().chain(&self.withheld)
    }

    /// Everything, as one who knows it all would list it.
    fn mirror(&self) -> Result<PlasmaInfo, ScenarioError> {
        PlasmaInfo::new(
            self.address,
            self.blocks.clone(),
            self.withheld.clone(),
            true,
        )
        .map_err(|(at, why)| ScenarioError::Invalid(format!("plasma chain {at}: {why}")))
    }

    /// What `who` knows: every block, with the signatures it was not marked
    /// as missing (its own always), and the withheld transfers it signed or received.
    fn view(&self, who: Address, missing: &[Transfer]) -> Result<PlasmaInfo, ScenarioError> {
        let blocks =
            self.blocks
                .iter()
                .map(|b| {
                    b.iter()
                        .map(|k| KnownTransfer {
                            transfer: k.transfer.clone(),
                            signature: k.signature.clone().filter(|_| {
                                k.transfer.sender == who || !missing.contains(&k.transfer)
                            }),
                        })
                        .collect()
                })
                .collect();
        let signed = self
            .withheld
            .iter()
            .filter(|k| k.transfer.sender == who || k.transfer.owner == who)
            .cloned()
            .collect();
        PlasmaInfo::new(self.address, blocks, signed, true)
            .map_err(|(at, why)| ScenarioError::Invalid(format!("plasma chain {at}: {why}")))
    }

    /// The transfers a reference names (included or withheld).
    fn matching(
        &self,
        r: &TransferRef,
        parties: &[PartySpec],
    ) -> Result<Vec<Transfer>, ScenarioError> {
        let to = match &r.to {
            Some(n) => Some(known_party(parties, n)?),
            None => None,
        };
        Ok(self
            .all()
            .map(|k| &k.transfer)
            .filter(|t| {
                t.coin == U256::from(r.coin)
                    && t.block == U256::from(r.block)
                    && to.is_none_or(|a| t.owner == a)
            })
            .cloned()
            .collect())
    }

    /// The one transfer a reference names.
    fn find(&self, r: &TransferRef, parties: &[PartySpec]) -> Result<Transfer, ScenarioError> {
        let mut found = self.matching(r, parties)?;
        let what = format!(
            "coin {} in block {}{}",
            r.coin,
            r.block,
            r.to.as_ref()
                .map(|t| format!(" to {t}"))
                .unwrap_or_default()
        );
        match found.len() {
            0 => Err(ScenarioError::Invalid(format!(
                "no transfer of {what} (yet): a transfer is named by the coin and the block it was committed for"
            ))),
            1 => Ok(found.remove(0)),
            n => Err(ScenarioError::Invalid(format!(
                "{n} transfers of {what}: name the new owner with `to`"
            ))),
        }
    }
}

impl Plasma {
    /// The plasma actions that change the chain, `deposit` and `commit`, by
    /// `who`; returns whether the chain changed.
    fn moves(
        &mut self,
        a: &ActionSpec,
        arena: &mut Arena,
        who: &Party,
        parties: &[PartySpec],
        names: &Names,
    ) -> Result<bool, ScenarioError> {
        let mut changed = false;
        if let Some(d) = &a.deposit {
            let amount = parse_wei(&d.amount)?;
            let data = PlasmaContract::depositCall {}.abi_encode();
            let r = send(arena, who.address, self.address, amount, data, names);
            let coin = self.next();
            let call = match &r {
                Ok(_) => format!(
                    "deposit {} into PlasmaChain: coin {coin} (block {coin})",
                    show_wei(amount)
                ),
                Err(_) => format!("deposit {} into PlasmaChain", show_wei(amount)),
            };
            if r.is_ok() {
                self.blocks.push(vec![KnownTransfer {
                    transfer: Transfer {
                        chain: self.address,
                        coin,
                        block: coin,
                        sender: Address::ZERO,
                        owner: who.address,
                    },
                    signature: None,
                }]);
                changed = true;
            }
            arena.note_call(&who.name, call, &r);
        }
        if let Some(ts) = &a.commit {
            let n = self.next();
            let (mut included, mut withheld) = (Vec::new(), Vec::new());
            let mut shown = Vec::new();
            for t in ts {
                if t.withheld && !t.signed {
                    return Err(ScenarioError::Invalid(format!(
                        "block {}: a withheld transfer is one its sender signed (coin {}, {} → {})",
                        a.block, t.coin, t.from, t.to
                    )));
                }
                let transfer = Transfer {
                    chain: self.address,
                    coin: U256::from(t.coin),
                    block: n,
                    sender: known_party(parties, &t.from)?,
                    owner: known_party(parties, &t.to)?,
                };
                let signature = t
                    .signed
                    .then(|| sign_transfer(&party_key(&t.from), &transfer).to_vec());
                let note = if t.withheld {
                    " (withheld)"
                } else if !t.signed {
                    " (unsigned)"
                } else {
                    ""
                };
                shown.push(format!("coin {} {} → {}{note}", t.coin, t.from, t.to));
                let k = KnownTransfer {
                    transfer,
                    signature,
                };
                if t.withheld {
                    withheld.push(k);
                } else {
                    included.push(k);
                }
            }
            let leaves: Vec<Transfer> = included.iter().map(|k| k.transfer.clone()).collect();
            let root = plasma_block_root(&leaves);
            let data = PlasmaContract::commitBlockCall { root }.abi_encode();
            let r = send(arena, who.address, self.address, U256::ZERO, data, names);
            let call = if shown.is_empty() {
                format!("commit block {n}: empty")
            } else {
                format!("commit block {n}: {}", shown.join(", "))
            };
            if r.is_ok() {
                self.blocks.push(included);
                self.withheld.extend(withheld);
                changed = true;
            }
            arena.note_call(&who.name, call, &r);
        }
        Ok(changed)
    }

    /// The plasma actions on exits, `exit` and `finalize`, by `who`.
    fn exits(
        &self,
        a: &ActionSpec,
        arena: &mut Arena,
        who: &Party,
        program: &Program,
        parties: &[PartySpec],
        names: &Names,
    ) -> Result<(), ScenarioError> {
        if let Some(r) = &a.exit {
            let t = self.find(r, parties)?;
            let b = t.block.to::<usize>();
            let commitment = self.mirror()?.chain_root(b).ok_or_else(|| {
                ScenarioError::Invalid(format!(
                    "block {}: exit of coin {} in block {b}, which is not committed yet",
                    a.block, r.coin
                ))
            })?;
            let on_chain = view(
                arena,
                self.address,
                PlasmaContract::commitmentAtCall(t.block),
            )?;
            if on_chain != commitment {
                return Err(ScenarioError::Invalid(format!(
                    "the commitment after block {b} is {on_chain:#x} on chain, {commitment:#x} in the mirror"
                )));
            }
            let text = format!(
                "plasma_exit({}, {commitment:#x})",
                t.value().display(Some(&plasma_transfer_type()))
            );
            let claim = compile(program, &text)?;
            let call = PlasmaContract::exitClaimIdCall {
                t: sol_transfer(&t),
            };
            let expected = view(arena, self.address, call)?;
            if expected != claim.id() {
                return Err(ScenarioError::Invalid(format!(
                    "the claim file's `plasma_exit` is not the one PlasmaChain pays on \
                     (use predicates/plasma.ogs): its exit of {} has id {:#x}, PlasmaChain's {expected:#x}",
                    names.transfer(&t),
                    claim.id()
                )));
            }
            let _ = arena.claim(who, &claim);
        }
        if let Some(r) = &a.finalize {
            let t = self.find(r, parties)?;
            let data = PlasmaContract::finalizeExitCall {
                t: sol_transfer(&t),
            }
            .abi_encode();
            let res = send(arena, who.address, self.address, U256::ZERO, data, names);
            let paid = res.as_ref().ok().and_then(|rc| {
                rc.logs.iter().find_map(|l| {
                    PlasmaContract::Exited::decode_log_data(&l.data)
                        .ok()
                        .map(|e| (e.owner, e.amount))
                })
            });
            let call = match paid {
                Some((owner, amount)) => format!(
                    "finalizeExit {}: PlasmaChain pays {} {}",
                    names.transfer(&t),
                    names.of(owner),
                    show_wei(amount)
                ),
                None => format!("finalizeExit {}", names.transfer(&t)),
            };
            arena.note_call(&who.name, call, &res);
        }
        Ok(())
    }
}

/// The channel of a scenario: its `ChannelPayout` contract, the channel's id
/// and participants, and every update signed off chain.
struct Channel {
    address: Address,
    id: B256,
    participants: Vec<Address>,
    /// Every update signed so far.
    updates: Vec<SignedUpdate>,
}

/// A channel update signed off chain.
struct SignedUpdate {
    nonce: u64,
    /// Balances in participant order.
    balances: Vec<U256>,
    /// The `ChannelUpdate` value.
    value: Value,
    /// Signatures in participant order, `None` where not signed.
    signatures: Vec<Option<Vec<u8>>>,
}

impl Channel {
    /// Deploys `ChannelPayout(dispute)` and opens the channel (by its first participant).
    fn deploy(
        arena: &mut Arena,
        spec: &ChannelSpec,
        parties: &[PartySpec],
        names: &Names,
    ) -> Result<Channel, ScenarioError> {
        let participants = spec
            .participants
            .iter()
            .map(|n| known_party(parties, n))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(first) = spec.participants.first() else {
            return Err(ScenarioError::Invalid(
                "[channel] needs participants".into(),
            ));
        };
        let mut code = bytecode("ChannelPayout")?;
        code.extend(
            PayoutContract::constructorCall {
                dispute: arena.d.address,
            }
            .abi_encode(),
        );
        // A deployer of its own: the address (which the channel id commits to)
        // does not depend on how many contracts the dispute system deployed.
        let deployer = party_address("channel deployer");
        let (address, _) = arena
            .d
            .chain
            .deploy(deployer, code.into(), U256::ZERO)
            .map_err(DisputeError::from)?;
        let salt = keccak256("ogs scenario channel");
        let data = PayoutContract::openCall {
            participants: participants.clone(),
            salt,
        }
        .abi_encode();
        let r = send(arena, participants[0], address, U256::ZERO, data, names);
        let call = format!(
            "open a channel of {} in ChannelPayout",
            spec.participants.join(", ")
        );
        arena.note_call(first, call, &r);
        r?;
        let id = view(
            arena,
            address,
            PayoutContract::channelIdCall {
                participants: participants.clone(),
                salt,
            },
        )?;
        Ok(Channel {
            address,
            id,
            participants,
            updates: Vec::new(),
        })
    }

    /// The update with this nonce.
    fn find(&self, nonce: u64) -> Result<&SignedUpdate, ScenarioError> {
        let mut found = self.updates.iter().filter(|u| u.nonce == nonce);
        match (found.next(), found.next()) {
            (Some(u), None) => Ok(u),
            (None, _) => Err(ScenarioError::Invalid(format!(
                "no channel update with nonce {nonce} (yet)"
            ))),
            (Some(_), Some(_)) => Err(ScenarioError::Invalid(format!(
                "two channel updates with nonce {nonce}"
            ))),
        }
    }

    /// What `who` knows of the channel: every update, if it is a participant
    /// (participants exchange their signatures), nothing otherwise.
    fn view(&self, who: Address) -> Option<ChannelInfo> {
        self.participants.contains(&who).then(|| ChannelInfo {
            participants: self.participants.clone(),
            complete: true,
            updates: self
                .updates
                .iter()
                .map(|u| KnownUpdate {
                    nonce: U256::from(u.nonce),
                    value: u.value.clone(),
                    signatures: u.signatures.clone(),
                })
                .collect(),
        })
    }

    /// The channel actions that change what is known, `fund` and `update`, by
    /// `who`; returns whether the signed updates changed.
    fn moves(
        &mut self,
        a: &ActionSpec,
        arena: &mut Arena,
        who: &Party,
        parties: &[PartySpec],
        names: &Names,
        start: u64,
    ) -> Result<bool, ScenarioError> {
        if let Some(f) = &a.fund {
            let amount = parse_wei(&f.amount)?;
            let data = PayoutContract::depositCall { channel: self.id }.abi_encode();
            let r = send(arena, who.address, self.address, amount, data, names);
            let call = format!("fund the channel with {}", show_wei(amount));
            arena.note_call(&who.name, call, &r);
        }
        let Some(u) = &a.update else {
            return Ok(false);
        };
        if u.balances.len() != self.participants.len() {
            return Err(ScenarioError::Invalid(format!(
                "block {}: update {} has {} balances for {} participants",
                a.block,
                u.nonce,
                u.balances.len(),
                self.participants.len()
            )));
        }
        let balances = u
            .balances
            .iter()
            .map(|b| parse_wei(b))
            .collect::<Result<Vec<_>, _>>()?;
        let state = keccak256(balances.abi_encode());
        let value = channel_update(self.id, U256::from(u.nonce), state, &self.participants);
        let signers = match &u.signed_by {
            Some(s) => s
                .iter()
                .map(|n| known_party(parties, n).map(|a| (n, a)))
                .collect::<Result<Vec<_>, _>>()?,
            None => parties
                .iter()
                .map(|p| (&p.name, party_address(&p.name)))
                .filter(|(_, a)| self.participants.contains(a))
                .collect(),
        };
        let mut signatures = vec![None; self.participants.len()];
        for (n, addr) in &signers {
            let Some(i) = self.participants.iter().position(|p| p == addr) else {
                return Err(ScenarioError::Invalid(format!(
                    "block {}: `{n}` signs update {} but is not a participant",
                    a.block, u.nonce
                )));
            };
            signatures[i] = Some(sign_update(&party_key(n), &value).to_vec());
        }
        let shown: Vec<String> = balances.iter().map(|b| show_wei(*b)).collect();
        let by: Vec<&str> = signers.iter().map(|(n, _)| n.as_str()).collect();
        arena.log.push(Entry {
            block: arena.d.chain.block_number(),
            time: arena.d.chain.timestamp() - start,
            actor: who.name.clone(),
            call: format!(
                "sign update {} [{}] by {}",
                u.nonce,
                shown.join(", "),
                by.join(", ")
            ),
            gas: 0,
            outcome: "off chain".into(),
        });
        self.updates.push(SignedUpdate {
            nonce: u.nonce,
            balances,
            value,
            signatures,
        });
        Ok(true)
    }

    /// The channel actions on exits, `channel_exit` and `settle`, by `who`.
    fn exits(
        &self,
        a: &ActionSpec,
        arena: &mut Arena,
        who: &Party,
        program: &Program,
        names: &Names,
    ) -> Result<(), ScenarioError> {
        if let Some(r) = &a.channel_exit {
            let SignedUpdate {
                nonce,
                balances,
                value,
                ..
            } = self.find(r.nonce)?;
            let text = format!(
                "signed_channel_exit({})",
                value.display(Some(&update_type()))
            );
            let claim = compile(program, &text)?;
            let call = PayoutContract::exitClaimIdCall {
                channel: self.id,
                nonce: U256::from(*nonce),
                balances: balances.clone(),
            };
            let expected = view(arena, self.address, call)?;
            if expected != claim.id() {
                return Err(ScenarioError::Invalid(format!(
                    "the claim file's `signed_channel_exit` is not the one ChannelPayout pays on \
                     (use `channel.ogs`): update {nonce} has id {:#x}, ChannelPayout's {expected:#x}",
                    claim.id()
                )));
            }
            let _ = arena.claim(who, &claim);
        }
        if let Some(r) = &a.settle {
            let SignedUpdate {
                nonce, balances, ..
            } = self.find(r.nonce)?;
            let data = PayoutContract::settleCall {
                channel: self.id,
                nonce: U256::from(*nonce),
                balances: balances.clone(),
            }
            .abi_encode();
            let res = send(arena, who.address, self.address, U256::ZERO, data, names);
            let call = match &res {
                Ok(_) => {
                    let credits: Vec<String> = self
                        .participants
                        .iter()
                        .zip(balances)
                        .map(|(p, b)| format!("{} {}", names.of(*p), show_wei(*b)))
                        .collect();
                    format!(
                        "settle with update {nonce}: ChannelPayout credits {}",
                        credits.join(", ")
                    )
                }
                Err(_) => format!("settle with update {nonce}"),
            };
            arena.note_call(&who.name, call, &res);
        }
        Ok(())
    }
}

/// The address of a party named in the scenario.
fn known_party(parties: &[PartySpec], name: &str) -> Result<Address, ScenarioError> {
    actors_index(parties, name)
        .map(|_| party_address(name))
        .ok_or_else(|| ScenarioError::Invalid(format!("unknown party `{name}`")))
}

fn sol_transfer(t: &Transfer) -> PlasmaLib::Transfer {
    PlasmaLib::Transfer {
        chain: t.chain,
        coin: t.coin,
        blockNumber: t.block,
        sender: t.sender,
        owner: t.owner,
    }
}

/// Party names by address, for the transcript.
struct Names(Vec<(Address, String)>);

impl Names {
    fn of(&self, a: Address) -> String {
        self.0
            .iter()
            .find(|(x, _)| *x == a)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("{a:#x}"))
    }

    /// `⟨coin 1, block 2: alice → bob⟩`.
    fn transfer(&self, t: &Transfer) -> String {
        let from = if t.sender == Address::ZERO {
            "deposit".to_string()
        } else {
            self.of(t.sender)
        };
        format!(
            "⟨coin {}, block {}: {from} → {}⟩",
            t.coin,
            t.block,
            self.of(t.owner)
        )
    }
}

/// A transaction to a contract other than the dispute contract, as a result
/// the transcript can note (reverts decoded with `PlasmaChain`'s errors).
fn send(
    arena: &mut Arena,
    from: Address,
    to: Address,
    value: U256,
    data: Vec<u8>,
    names: &Names,
) -> Result<Receipt, DisputeError> {
    let r = arena.d.chain.send(from, to, value, data.into())?;
    if r.success {
        Ok(r)
    } else {
        let why = r
            .halt
            .clone()
            .unwrap_or_else(|| plasma_revert(&r.output, names));
        Err(DisputeError::Reverted(why, Box::new(r)))
    }
}

/// A view call; a revert or undecodable answer is an error of the scenario run.
fn view<C: SolCall>(arena: &mut Arena, to: Address, call: C) -> Result<C::Return, ScenarioError> {
    let r = arena
        .d
        .chain
        .call(Address::ZERO, to, call.abi_encode().into())
        .map_err(DisputeError::from)?;
    if !r.success {
        return Err(ScenarioError::Invalid(format!(
            "{} reverted: {}",
            C::SIGNATURE,
            plasma_revert(&r.output, &Names(vec![]))
        )));
    }
    C::abi_decode_returns(&r.output).map_err(|_| DisputeError::Decode(C::SIGNATURE).into())
}

/// Revert data in words: the payout contracts' custom errors, else the dispute contract's.
fn plasma_revert(out: &[u8], names: &Names) -> String {
    use PlasmaContract::PlasmaChainErrors as E;
    match E::abi_decode(out) {
        Ok(E::NotOperator(e)) => format!("NotOperator({})", names.of(e.caller)),
        Ok(E::ExitNotTrue(e)) => format!("ExitNotTrue({})", short_id(&e.claimId)),
        Ok(E::AlreadyExited(e)) => format!("AlreadyExited(coin {})", e.coin),
        Ok(E::UnknownBlock(e)) => format!("UnknownBlock({})", e.number),
        Ok(E::NotACoin(e)) => format!("NotACoin({})", e.coin),
        Ok(E::WrongChain(e)) => format!("WrongChain({:#x})", e.chain),
        Ok(E::DepositTooLarge(e)) => format!("DepositTooLarge({})", e.amount),
        Ok(E::ZeroDeposit(_)) => "ZeroDeposit".into(),
        Ok(E::ChainFull(_)) => "ChainFull".into(),
        Ok(E::TransferFailed(_)) => "TransferFailed".into(),
        Err(_) => match PayoutContract::ChannelPayoutErrors::abi_decode(out) {
            Ok(e) => channel_revert(e),
            Err(_) => revert_reason(out),
        },
    }
}

/// `ChannelPayout`'s custom errors in words.
fn channel_revert(e: PayoutContract::ChannelPayoutErrors) -> String {
    use PayoutContract::ChannelPayoutErrors as E;
    match e {
        E::ExitNotTrue(e) => format!("ExitNotTrue({})", short_id(&e.claimId)),
        E::AlreadySettled(_) => "AlreadySettled".into(),
        E::BalancesMismatch(e) => format!(
            "BalancesMismatch(sum {}, funds {})",
            show_wei(e.sum),
            show_wei(e.funds)
        ),
        E::WrongBalanceCount(e) => format!(
            "WrongBalanceCount({} for {} participants)",
            e.given, e.participants
        ),
        E::UnknownChannel(_) => "UnknownChannel".into(),
        E::ChannelExists(_) => "ChannelExists".into(),
        E::NoParticipants(_) => "NoParticipants".into(),
        E::ZeroDeposit(_) => "ZeroDeposit".into(),
        E::NothingToWithdraw(_) => "NothingToWithdraw".into(),
        E::TransferFailed(_) => "TransferFailed".into(),
    }
}

/// Rebuilds every party's local information after the plasma chain or the
/// channel changed: its file's, plus its own address as `own` and its view of both.
fn refresh(
    actors: &mut [Actor],
    bases: &[LocalInfo],
    plasma: Option<&Plasma>,
    channel: Option<&Channel>,
    parties: &[PartySpec],
) -> Result<(), ScenarioError> {
    for ((actor, base), spec) in actors.iter_mut().zip(bases).zip(parties) {
        let mut info = base.clone();
        info.add_own(actor.party.address);
        if let Some(pl) = plasma {
            let mut missing = Vec::new();
            for r in &spec.missing_signatures {
                missing.extend(pl.matching(r, parties)?);
            }
            info.add_plasma_chain(pl.view(actor.party.address, &missing)?);
        }
        if let Some(ch) = channel {
            if let Some(c) = ch.view(actor.party.address) {
                info.set_channel(ch.id, c);
            }
        }
        actor.party.info = info;
    }
    Ok(())
}

/// Decides at once every undecided `not (forall …)` claim `party` believes,
/// when it can make a counter-instance True on the spot: it claims the
/// instance's `witness …` counter-claim, shows the witness, and calls
/// `decideNotByChallenge` (only if nobody claimed the `forall` itself).
fn decide_at_once(arena: &mut Arena, program: &Program, party: &Party) -> bool {
    let mut moved = false;
    for (id, c) in arena.claims.clone() {
        let Claim::Not(inner) = &c else { continue };
        if !matches!(**inner, Claim::Forall { .. })
            || arena.status(&c) != Status::Undecided
            || !matches!(arena.status(inner), Status::None | Status::False)
        {
            continue;
        }
        let Ok(Verdict::True(ev)) =
            Evaluator::new(&program.registry, program, &party.info).decide(&c)
        else {
            continue;
        };
        let found = ev.challenges.iter().find_map(|ch| {
            let ChallengeKind::Instance { value, proof } = &ch.kind else {
                return None;
            };
            if ch.target != **inner || !matches!(ch.counter, Claim::Witness { .. }) {
                return None;
            }
            let w = ev.witnesses.iter().find(|w| w.claim == ch.counter)?;
            Some((
                value.clone(),
                proof.clone(),
                ch.counter.clone(),
                w.witness.clone(),
            ))
        });
        let Some((instance, proof, counter, witness)) = found else {
            continue;
        };
        if arena.status(&counter) == Status::None && arena.claim(party, &counter).is_err() {
            continue;
        }
        if arena.status(&counter) == Status::Undecided
            && arena.show_witness(party, &counter, &witness).is_err()
        {
            continue;
        }
        if arena.status(&counter) != Status::True {
            continue;
        }
        let data = UniversalDispute::decideNotByChallengeCall {
            enc: c.encode().into(),
            how: UniversalDispute::ChallengeArgs {
                how: 2,
                index: U256::ZERO,
                instance: instance.into(),
                proof: proof.into(),
                groups: vec![],
            },
        }
        .abi_encode();
        let to = arena.d.address;
        let r = arena
            .d
            .chain
            .send(party.address, to, U256::ZERO, data.into())
            .map_err(DisputeError::from)
            .and_then(|r| {
                if r.success {
                    Ok(r)
                } else {
                    let why = r.halt.clone().unwrap_or_else(|| revert_reason(&r.output));
                    Err(DisputeError::Reverted(why, Box::new(r)))
                }
            });
        let call = format!(
            "decide {} True by its True instance {}",
            short_id(&id),
            short_id(&counter.id())
        );
        moved |= r.is_ok();
        arena.note_call(&party.name, call, &r);
    }
    moved
}

/// Runs a scenario file.
pub fn run_file(path: &Path) -> Result<Outcome, ScenarioError> {
    let (spec, dir) = load(path)?;
    run(&spec, &dir)
}

/// Runs a scenario; paths in it are relative to `dir`.
pub fn run(spec: &ScenarioSpec, dir: &Path) -> Result<Outcome, ScenarioError> {
    let program = check_files(&[dir.join(&spec.source)], &crate::systems::standard())
        .map_err(|e| ScenarioError::Claims(e.render(false)))?;
    let bond = wei(&spec.bond, U256::from(10_000_000_000_000_000u64))?;
    let mut arena = Arena::new(&program, bond, spec.window)?;
    // Time 0 of the transcript: no block was mined since the deployment.
    let start = arena.d.chain.timestamp();
    for a in &spec.actions {
        let needs = [
            (
                a.deposit.is_some(),
                "deposit",
                "plasma",
                spec.plasma.is_some(),
            ),
            (
                a.commit.is_some(),
                "commit",
                "plasma",
                spec.plasma.is_some(),
            ),
            (a.exit.is_some(), "exit", "plasma", spec.plasma.is_some()),
            (
                a.finalize.is_some(),
                "finalize",
                "plasma",
                spec.plasma.is_some(),
            ),
            (a.fund.is_some(), "fund", "channel", spec.channel.is_some()),
            (
                a.update.is_some(),
                "update",
                "channel",
                spec.channel.is_some(),
            ),
            (
                a.channel_exit.is_some(),
                "channel_exit",
                "channel",
                spec.channel.is_some(),
            ),
            (
                a.settle.is_some(),
                "settle",
                "channel",
                spec.channel.is_some(),
            ),
        ];
        if let Some((_, what, section, _)) = needs.iter().find(|(used, _, _, has)| *used && !has) {
            return Err(ScenarioError::Invalid(format!(
                "block {}: `{what}` needs a [{section}] section",
                a.block
            )));
        }
    }
    let mut actors = Vec::new();
    let mut bases = Vec::new();
    let mut start_balances = BTreeMap::new();
    for ps in &spec.parties {
        if actors_index(&spec.parties, &ps.name) != Some(actors.len()) {
            return Err(ScenarioError::Invalid(format!(
                "party `{}` is listed twice",
                ps.name
            )));
        }
        let info = match &ps.info {
            Some(f) => {
                let path = dir.join(f);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ScenarioError::Io(path.clone(), e))?;
                LocalInfo::from_json(&text, &program.registry)
                    .map_err(|e| ScenarioError::Info(path.clone(), e.to_string()))?
            }
            None => LocalInfo::new(),
        };
        for r in &ps.missing_signatures {
            if let Some(to) = &r.to {
                known_party(&spec.parties, to)?;
            }
        }
        let address = party_address(&ps.name);
        let balance = wei(&ps.balance, U256::from(10u128.pow(21)))?;
        arena.d.chain.set_balance(address, balance);
        start_balances.insert(ps.name.clone(), balance);
        bases.push(info.clone());
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
    let mut names = Names(
        spec.parties
            .iter()
            .map(|p| (party_address(&p.name), p.name.clone()))
            .collect(),
    );
    let mut plasma = match &spec.plasma {
        Some(ps) => {
            let operator = known_party(&spec.parties, &ps.operator).map_err(|_| {
                ScenarioError::Invalid(format!(
                    "the plasma operator `{}` is not a party",
                    ps.operator
                ))
            })?;
            let pl = Plasma::deploy(&mut arena, operator)?;
            names.0.push((pl.address, "PlasmaChain".into()));
            Some(pl)
        }
        None => None,
    };
    let mut channel = match &spec.channel {
        Some(cs) => {
            let ch = Channel::deploy(&mut arena, cs, &spec.parties, &names)?;
            names.0.push((ch.address, "ChannelPayout".into()));
            Some(ch)
        }
        None => None,
    };
    if plasma.is_some() || channel.is_some() {
        refresh(
            &mut actors,
            &bases,
            plasma.as_ref(),
            channel.as_ref(),
            &spec.parties,
        )?;
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
            let mut changed = false;
            if let Some(pl) = plasma.as_mut() {
                changed |= pl.moves(a, &mut arena, party, &spec.parties, &names)?;
            }
            if let Some(ch) = channel.as_mut() {
                changed |= ch.moves(a, &mut arena, party, &spec.parties, &names, start)?;
            }
            if changed {
                refresh(
                    &mut actors,
                    &bases,
                    plasma.as_ref(),
                    channel.as_ref(),
                    &spec.parties,
                )?;
            }
            let party = &actors[i].party;
            if let Some(pl) = &plasma {
                pl.exits(a, &mut arena, party, &program, &spec.parties, &names)?;
            }
            if let Some(ch) = &channel {
                ch.exits(a, &mut arena, party, &program, &names)?;
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
                    if spec.decide_at_once {
                        decide_at_once(&mut arena, &program, party);
                    }
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
    if let Some(pl) = &plasma {
        for (p, spec_p) in spec.parties.iter().enumerate() {
            for r in &spec_p.missing_signatures {
                if pl.matching(r, &spec.parties)?.is_empty() {
                    return Err(ScenarioError::Invalid(format!(
                        "party `{}`: missing_signatures names no transfer (coin {}, block {})",
                        spec.parties[p].name, r.coin, r.block
                    )));
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
    if let Some(ch) = &channel {
        for a in &actors {
            let credit = view(
                &mut arena,
                ch.address,
                PayoutContract::creditCall(a.party.address),
            )?;
            if credit.is_zero() {
                continue;
            }
            let data = PayoutContract::withdrawCall {}.abi_encode();
            let r = send(
                &mut arena,
                a.party.address,
                ch.address,
                U256::ZERO,
                data,
                &names,
            );
            let call = format!("withdraw {} from ChannelPayout", show_wei(credit));
            arena.note_call(&a.party.name, call, &r);
        }
    }
    let labels = if plasma.is_some() || channel.is_some() {
        Some(Labels::new(
            plasma.as_ref(),
            channel.as_ref(),
            &names,
            &program,
        )?)
    } else {
        None
    };
    // The text of a claim: as the program shows it, or with plasma values named.
    let text_of = |c: &Claim| -> String {
        match &labels {
            Some(l) => l.text(&program, c),
            None => program.show(c),
        }
    };
    let mut claims = Vec::new();
    for (id, c) in arena.claims.clone() {
        let status = format!("{:?}", arena.status(&c));
        claims.push(ClaimOut {
            id: format!("{id:#x}"),
            text: text_of(&c),
            status,
            by: arena
                .claimed_by
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "?".into()),
        });
    }
    let mut transcript = arena.log.clone();
    if labels.is_some() {
        // Arena notes claims as `<id> <text, 70 characters>`: name the plasma values instead.
        for e in &mut transcript {
            for (id, c) in &arena.claims {
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
    // The payout contracts were deployed empty: what they hold is what they gained.
    for (address, name) in [
        plasma.as_ref().map(|p| (p.address, "PlasmaChain")),
        channel.as_ref().map(|c| (c.address, "ChannelPayout")),
    ]
    .into_iter()
    .flatten()
    {
        let held = arena.d.chain.balance(address);
        balances.push((name.into(), format!("+{held}")));
    }
    Ok(Outcome {
        name: spec.name.clone(),
        transcript,
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

/// Plasma values in claim texts, replaced by readable names: transfers
/// (typed or as raw encodings), chain commitments, addresses; and claims that
/// are a definition of the claim file applied to such values, by that call.
struct Labels {
    subs: Vec<(String, String)>,
    calls: BTreeMap<B256, String>,
}

impl Labels {
    /// At most this many argument combinations are tried per definition.
    const MAX_CALLS: usize = 4096;

    fn new(
        plasma: Option<&Plasma>,
        channel: Option<&Channel>,
        names: &Names,
        program: &Program,
    ) -> Result<Labels, ScenarioError> {
        let ty = plasma_transfer_type();
        let uty = update_type();
        let mut subs = Vec::new();
        // Candidate arguments by type: (canonical encoding, label).
        let mut transfers = Vec::new();
        let mut words = Vec::new();
        let mut blocks = 0;
        if let Some(pl) = plasma {
            for k in pl.all() {
                let t = &k.transfer;
                let label = names.transfer(t);
                subs.push((t.value().display(Some(&ty)), label.clone()));
                subs.push((format!("0x{}", hex::encode(t.encode())), label.clone()));
                transfers.push((t.encode(), label));
            }
            let mirror = pl.mirror()?;
            for n in 1..=pl.blocks.len() {
                if let Some(c) = mirror.chain_root(n) {
                    subs.push((format!("{c:#x}"), format!("chain@{n}")));
                    words.push((c.to_vec(), format!("chain@{n}")));
                }
            }
            blocks = pl.blocks.len();
        }
        let mut updates = Vec::new();
        if let Some(ch) = channel {
            for SignedUpdate {
                nonce,
                balances,
                value,
                ..
            } in &ch.updates
            {
                let shown: Vec<String> = balances.iter().map(|b| show_wei(*b)).collect();
                let label = format!("update {nonce} [{}]", shown.join(", "));
                subs.push((value.display(Some(&uty)), label.clone()));
                subs.push((format!("0x{}", hex::encode(value.encode())), label.clone()));
                updates.push((value.encode(), label));
            }
            subs.push((format!("{:#x}", ch.id), "channel".into()));
            words.push((ch.id.to_vec(), "channel".into()));
        }
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
                    t if *t == ty => Some(&transfers),
                    t if *t == uty => Some(&updates),
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
    fn text(&self, program: &Program, c: &Claim) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_in_wei_gwei_and_ether() {
        let ether = U256::from(10u64).pow(U256::from(18));
        assert_eq!(parse_wei("12").ok(), Some(U256::from(12)));
        assert_eq!(parse_wei(" 7 wei ").ok(), Some(U256::from(7)));
        assert_eq!(parse_wei("3 gwei").ok(), Some(U256::from(3_000_000_000u64)));
        assert_eq!(parse_wei("2 ether").ok(), Some(ether * U256::from(2)));
        assert_eq!(parse_wei("0.25 ether").ok(), Some(ether / U256::from(4)));
        assert_eq!(parse_wei(".5 ether").ok(), Some(ether / U256::from(2)));
        for bad in [
            "",
            "ether",
            "1.5 eth",
            "1.0000000001 gwei",
            "-1",
            "1e18",
            "1..2 ether",
        ] {
            assert!(parse_wei(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn amounts_show_as_ether_when_short() {
        let ether = U256::from(10u64).pow(U256::from(18));
        assert_eq!(show_wei(ether * U256::from(3)), "3 ether");
        assert_eq!(show_wei(ether / U256::from(4)), "0.25 ether");
        assert_eq!(show_wei(U256::from(1234)), "1234 wei");
        assert_eq!(show_wei(U256::ZERO), "0 wei");
    }

    #[test]
    fn party_addresses_are_their_keys_addresses() {
        let k = party_key("alice");
        assert_eq!(party_address("alice"), address_of(k.verifying_key()));
        assert_ne!(party_address("alice"), party_address("bob"));
        assert_eq!(party_address("alice"), party_address("alice"));
    }
}
