//! The scenario file format: the top level, parties, the sections' specs, and the timeline of
//! [`Step`]s, each one tagged [`Action`] (see the module docs of `dispute::scenario`).

use super::Strategy;
use serde::Deserialize;
use std::path::PathBuf;

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
    /// How it runs the rollup program (`[rollup]` only); parties without one know no run.
    #[serde(default)]
    pub rollup: Option<RunSpec>,
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

/// One timeline entry (`[[action]]`): in `block`, `party` does exactly one [`Action`]. In the
/// file the action is the one key besides `block` and `party` (`claim = "…"`, `exit = { … }`);
/// none or two of them is an error that names the entry.
#[derive(Clone, Debug)]
pub struct Step {
    /// Block (relative to the start) it happens in.
    pub block: u64,
    /// Who does it.
    pub party: String,
    /// What it does.
    pub action: Action,
}

/// What a party does in a timeline entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Post this claim.
    Claim(String),
    /// Post the negation of this claim.
    Negation(String),
    /// Post this challenge.
    Challenge(ChallengeSpec),
    /// Spam invalid challenges.
    Spam(SpamSpec),
    /// Show this witness (hex) for this witness claim (text): `[claim, witness]`.
    Witness((String, String)),
    /// Show the witness of this witness claim that the party's local information holds.
    Show(String),
    /// Deposit into the plasma chain (a new coin).
    Deposit(DepositSpec),
    /// Commit the next plasma block with these transfers (the operator's move).
    Commit(Vec<TransferSpec>),
    /// Claim `plasma_exit` of this transfer, with the chain commitment after its block.
    Exit(TransferRef),
    /// Call `PlasmaChain.finalizeExit` for this transfer.
    Finalize(TransferRef),
    /// Fund the channel.
    Fund(DepositSpec),
    /// Sign a channel update off chain.
    Update(UpdateSpec),
    /// Claim `signed_channel_exit` of the update with this nonce.
    ChannelExit(NonceRef),
    /// Call `ChannelPayout.settle` with the update with this nonce.
    Settle(NonceRef),
    /// Claim the rollup output of the sealed batch with this root (`right` or `theft`), from
    /// the party's own run of the program.
    Propose(String),
    /// Ask `RollupBridge` to finalize the output with this root (`right` or `theft`).
    FinalizeOutput(String),
    /// Every L2 account proves its withdrawals against the finalized root and withdraws on L1
    /// (`withdrawals = "all"`).
    Withdrawals(String),
}

impl Action {
    /// Its key in the file.
    pub fn key(&self) -> &'static str {
        match self {
            Action::Claim(_) => "claim",
            Action::Negation(_) => "negation",
            Action::Challenge(_) => "challenge",
            Action::Spam(_) => "spam",
            Action::Witness(_) => "witness",
            Action::Show(_) => "show",
            Action::Deposit(_) => "deposit",
            Action::Commit(_) => "commit",
            Action::Exit(_) => "exit",
            Action::Finalize(_) => "finalize",
            Action::Fund(_) => "fund",
            Action::Update(_) => "update",
            Action::ChannelExit(_) => "channel_exit",
            Action::Settle(_) => "settle",
            Action::Propose(_) => "propose",
            Action::FinalizeOutput(_) => "finalize_output",
            Action::Withdrawals(_) => "withdrawals",
        }
    }

    /// The section whose world carries it out (`None`: the dispute contract itself).
    pub fn section(&self) -> Option<&'static str> {
        match self {
            Action::Deposit(_) | Action::Commit(_) | Action::Exit(_) | Action::Finalize(_) => {
                Some("plasma")
            }
            Action::Fund(_) | Action::Update(_) | Action::ChannelExit(_) | Action::Settle(_) => {
                Some("channel")
            }
            Action::Propose(_) | Action::FinalizeOutput(_) | Action::Withdrawals(_) => {
                Some("rollup")
            }
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut t = toml::Table::deserialize(d)?;
        let block = t
            .remove("block")
            .ok_or_else(|| D::Error::missing_field("block"))?;
        let block: u64 = block.try_into().map_err(D::Error::custom)?;
        let party = t
            .remove("party")
            .ok_or_else(|| D::Error::missing_field("party"))?;
        let party: String = party.try_into().map_err(D::Error::custom)?;
        let keys: Vec<String> = t.keys().cloned().collect();
        if keys.len() != 1 {
            return Err(D::Error::custom(format!(
                "the action of `{party}` in block {block} must have exactly one of claim, \
                 negation, challenge, spam, witness, show, deposit, commit, exit, finalize, \
                 fund, update, channel_exit, settle, propose, finalize_output, withdrawals; \
                 it has {}",
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            )));
        }
        let action = Action::deserialize(toml::Value::Table(t)).map_err(|e| {
            D::Error::custom(format!("the action of `{party}` in block {block}: {e}"))
        })?;
        Ok(Step {
            block,
            party,
            action,
        })
    }
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
    /// Gas price every transaction pays (e.g. `"1 gwei"`; default 0). With a price, honest and
    /// lazy parties spend fees only where they gain (SEMANTICS.md §4.7) and collect their own
    /// bonds, and the balances show the fees.
    #[serde(default)]
    pub gas_price: Option<String>,
    /// Parties.
    #[serde(rename = "party")]
    pub parties: Vec<PartySpec>,
    /// Timeline.
    #[serde(default, rename = "action")]
    pub actions: Vec<Step>,
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
    /// A rollup bridge with a sealed batch, whose output is claimed.
    #[serde(default)]
    pub rollup: Option<RollupSpec>,
}

/// The `[rollup]` section: a `RollupBridge` next to the dispute system holding a generated
/// genesis state, with a generated batch of L2 transfers submitted and sealed at the start.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollupSpec {
    /// The party that deploys the bridge and seals the batch.
    pub operator: String,
    /// Seed of the genesis state and the batch.
    #[serde(default = "one")]
    pub seed: u64,
    /// Genesis accounts.
    #[serde(default = "default_accounts")]
    pub accounts: usize,
    /// Transfers in the batch.
    #[serde(default = "default_transfers")]
    pub transfers: usize,
}

fn one() -> u64 {
    1
}

fn default_accounts() -> usize {
    32
}

fn default_transfers() -> usize {
    40
}

/// How a party runs the rollup program (`rollup = "honest"` in its `[[party]]`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RunSpec {
    /// Its real run.
    Honest,
    /// A run it believes wrongly at the last step only (the exit).
    Liar,
    /// A run it believes wrongly from this step on.
    LiarFrom(u64),
}

fn default_block_time() -> u64 {
    12
}
