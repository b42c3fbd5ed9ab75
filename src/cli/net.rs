//! Commands on a real chain over JSON-RPC (`ogs deploy`): the contracts deployed to any node,
//! recorded in a deployment file that later commands attach to.

use crate::chain::rpc::{signer_from_hex, signer_from_keystore, RpcChain};
use crate::chain::{Backend, Deployment, Dispute};
use alloy::signers::local::PrivateKeySigner;
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolConstructor;
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};

/// Where the signing key comes from. The key itself is never printed.
#[derive(clap::Args, Debug)]
pub(crate) struct KeyArgs {
    /// Private key as hex. Prefer the environment variable OGS_KEY: a command line can be seen
    /// by other users of the machine.
    #[arg(
        long,
        conflicts_with = "keystore",
        hide_env_values = true,
        env = "OGS_KEY"
    )]
    key: Option<String>,
    /// A JSON keystore (Web3 Secret Storage); its password is read from OGS_KEYSTORE_PASSWORD.
    #[arg(long)]
    keystore: Option<PathBuf>,
}

impl KeyArgs {
    fn signer(&self) -> Result<PrivateKeySigner> {
        match (&self.key, &self.keystore) {
            (Some(k), _) => Ok(signer_from_hex(k)?),
            (None, Some(path)) => {
                let password = std::env::var("OGS_KEYSTORE_PASSWORD").map_err(|_| {
                    anyhow!(
                        "set OGS_KEYSTORE_PASSWORD to the password of {}",
                        path.display()
                    )
                })?;
                Ok(signer_from_keystore(path, &password)?)
            }
            (None, None) => bail!("give a key: --key (or OGS_KEY) or --keystore"),
        }
    }
}

/// `ogs deploy`.
#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    /// The node's JSON-RPC URL (http).
    #[arg(long)]
    rpc: String,
    #[command(flatten)]
    key: KeyArgs,
    /// The deployment file to write. If it exists, nothing is deployed: it is checked against
    /// the chain and this build's contracts, and refused if either differs.
    #[arg(long, default_value = "deployment.json")]
    out: PathBuf,
    /// Bond per claim, in wei. Size it to cover the per-move response at the highest gas price
    /// the deployment must withstand (contracts/gas-report.md, "Bonds and time").
    #[arg(long, default_value = "10000000000000000")]
    bond: String,
    /// Dispute window in seconds (each side's clock budget; a week on a public network).
    #[arg(long, default_value_t = 604_800)]
    window: u64,
    /// Blocks a transaction must be buried under before it counts.
    #[arg(long, default_value_t = 1)]
    confirmations: u64,
    /// Also deploy a PlasmaChain whose blocks this address commits (the plasma operator).
    #[arg(long)]
    plasma_operator: Option<String>,
    /// Also deploy a RollupBridge starting from this genesis state (JSON: `{"accounts":
    /// [{"address": "0x…", "balance": "1000"}, …]}`, balances in wei as decimal strings); the
    /// deployer funds it with the balances' sum.
    #[arg(long)]
    rollup_genesis: Option<PathBuf>,
}

/// Reads a rollup genesis file: `{"accounts": [{"address", "balance", "nonce"?}]}`. Every field
/// is checked, and an error names the account and field it is about.
pub(crate) fn read_genesis(path: &Path) -> Result<crate::systems::rollup::State> {
    use crate::systems::rollup::{Account, State};
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the genesis file {}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let at = |what: &str| format!("{}: {what}", path.display());
    let obj = v
        .as_object()
        .ok_or_else(|| anyhow!(at("the top level must be an object with \"accounts\"")))?;
    if let Some(k) = obj.keys().find(|k| *k != "accounts") {
        bail!(at(&format!("unknown field {k:?} (only \"accounts\")")));
    }
    let list = obj
        .get("accounts")
        .and_then(|a| a.as_array())
        .ok_or_else(|| anyhow!(at("\"accounts\" must be an array")))?;
    let max = crate::systems::rollup::MAX_ACCOUNTS;
    if list.is_empty() || list.len() > max {
        bail!(at(&format!(
            "{} accounts: a genesis holds 1 to {max}",
            list.len()
        )));
    }
    let mut accounts = Vec::with_capacity(list.len());
    for (i, a) in list.iter().enumerate() {
        let place = |f: &str| format!("accounts[{i}].{f}");
        let o = a
            .as_object()
            .ok_or_else(|| anyhow!(at(&format!("accounts[{i}] must be an object"))))?;
        if let Some(k) = o
            .keys()
            .find(|k| !["address", "balance", "nonce"].contains(&k.as_str()))
        {
            bail!(at(&format!(
                "accounts[{i}]: unknown field {k:?} (address, balance, nonce)"
            )));
        }
        let address: Address = o
            .get("address")
            .and_then(|v| v.as_str())
            .ok_or_else(|| anyhow!(at(&format!("{} must be a string", place("address")))))?
            .parse()
            .map_err(|e| anyhow!(at(&format!("{} is not an address: {e}", place("address")))))?;
        let number = |f: &str, required: bool| -> Result<u64> {
            match o.get(f) {
                None if !required => Ok(0),
                Some(serde_json::Value::String(t))
                    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    t.parse().map_err(|_| {
                        anyhow!(at(&format!("{} {t} does not fit in 64 bits", place(f))))
                    })
                }
                Some(serde_json::Value::Number(n)) if n.as_u64().is_some() => {
                    Ok(n.as_u64().unwrap_or_default())
                }
                _ => bail!(at(&format!(
                    "{} must be a decimal string (or a non-negative integer)",
                    place(f)
                ))),
            }
        };
        if accounts.iter().any(|a: &Account| a.address == address.0 .0) {
            bail!(at(&format!(
                "{} {address:#x} appears twice",
                place("address")
            )));
        }
        accounts.push(Account {
            address: address.0 .0,
            nonce: number("nonce", false)?,
            balance: number("balance", true)?,
            withdrawn: 0,
        });
    }
    Ok(State { accounts })
}

/// Reads a deployment file.
pub(crate) fn read_deployment(path: &Path) -> Result<Deployment> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the deployment file {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a deployment file", path.display()))
}

/// `ogs deploy`: the registry, every verifier and quantifier, the dispute contract, the MIPS
/// step with its pre-image oracle and the channel payout contract, in one run.
pub(crate) fn deploy(a: DeployArgs) -> Result<i32> {
    // Every input is checked before anything is sent.
    let bond: U256 = a
        .bond
        .parse()
        .map_err(|e| anyhow!("--bond {:?} is not a wei amount: {e}", a.bond))?;
    let operator: Option<Address> = match &a.plasma_operator {
        Some(op) => Some(
            op.parse()
                .map_err(|e| anyhow!("--plasma-operator {op:?} is not an address: {e}"))?,
        ),
        None => None,
    };
    let genesis = a.rollup_genesis.as_deref().map(read_genesis).transpose()?;
    let signer = a.key.signer()?;
    let from = signer.address();
    let mut chain = RpcChain::connect(&a.rpc, vec![signer], a.confirmations)?;
    if a.out.exists() {
        let d = read_deployment(&a.out)?;
        Dispute::attach(chain, &d).with_context(|| {
            format!(
                "refusing to reuse {}: write a new deployment with another --out",
                a.out.display()
            )
        })?;
        println!(
            "{} is current on chain {}: dispute contract {:#x}; nothing deployed",
            a.out.display(),
            d.chain_id,
            d.dispute
        );
        return Ok(0);
    }
    let start = chain.block_number()?;
    eprintln!(
        "deploying to chain {} from {from:#x} (bond {bond} wei, window {} s)",
        chain.chain_id(),
        a.window
    );
    let plan = crate::systems::deploy_plan(&crate::systems::standard());
    let mut d = Dispute::deploy_on(chain, from, &plan, bond, a.window)?;
    let payout =
        crate::systems::channel::payout::ChannelPayout::constructorCall { dispute: d.address }
            .abi_encode();
    d.deploy_extra("ChannelPayout", &payout, U256::ZERO)?;
    if let Some(operator) = operator {
        let args = crate::systems::plasma::payout::PlasmaChain::constructorCall {
            dispute: d.address,
            operator,
        }
        .abi_encode();
        d.deploy_extra("PlasmaChain", &args, U256::ZERO)?;
    }
    if let Some(state) = genesis {
        let facts =
            crate::systems::rollup::trace_facts(&crate::systems::rollup::program::program())
                .ok_or_else(|| anyhow!("the built-in rollup predicates define no trace"))?;
        let args = crate::systems::rollup::bridge::RollupBridge::constructorCall {
            dispute: d.address,
            prestate: crate::systems::rollup::program::prestate()?,
            traceGroup: facts.group,
            traceIndex: facts.index,
            genesisState: state.encode().into(),
        }
        .abi_encode();
        d.deploy_extra("RollupBridge", &args, U256::from(state.total()))
            .context("deploying the RollupBridge (does the deployer hold the genesis funds?)")?;
    }
    let deployment = d.deployment(start)?;
    let json = serde_json::to_string_pretty(&deployment)?;
    std::fs::write(&a.out, json + "\n")
        .with_context(|| format!("cannot write {}", a.out.display()))?;
    println!(
        "deployed {} contracts on chain {} from block {start}: dispute contract {:#x}; wrote {}",
        deployment.contracts.len(),
        deployment.chain_id,
        deployment.dispute,
        a.out.display()
    );
    Ok(0)
}

/// `ogs send`.
#[derive(clap::Args, Debug)]
pub struct SendArgs {
    /// Which call (the same calls `ogs calldata` encodes).
    #[arg(value_enum)]
    call: super::CallKind,
    /// The claim file.
    file: PathBuf,
    /// The claim, e.g. 'alice_exit()'.
    #[arg(long)]
    claim: String,
    /// The node's JSON-RPC URL (http).
    #[arg(long)]
    rpc: String,
    /// The deployment file `ogs deploy` wrote.
    #[arg(long, default_value = "deployment.json")]
    deployment: PathBuf,
    #[command(flatten)]
    key: KeyArgs,
    /// Local information: for `challenge`, the counter-claim and its witness come from it; for
    /// `decide-witness`, the witness.
    #[arg(long)]
    info: Option<PathBuf>,
    /// The witness (hex) for `decide-witness`, instead of finding it in --info.
    #[arg(long)]
    witness: Option<String>,
    /// Blocks the transaction must be buried under before the command returns.
    #[arg(long, default_value_t = 1)]
    confirmations: u64,
}

/// `ogs send`: encodes the call as `ogs calldata` does, simulates it (a revert is reported with
/// the contract's named error and nothing is sent), sends it with the bond where one is due
/// (gas, nonce and fees by the node and alloy), and waits for the receipt.
pub(crate) fn send(a: SendArgs) -> Result<i32> {
    let enc = super::call::encode(
        &a.file,
        &a.claim,
        a.call,
        a.info.as_deref(),
        a.witness.as_deref(),
    )?;
    let d = read_deployment(&a.deployment)?;
    let signer = a.key.signer()?;
    let from = signer.address();
    let chain = RpcChain::connect(&a.rpc, vec![signer], a.confirmations)?;
    let mut dispute = Dispute::attach(chain, &d)
        .with_context(|| format!("cannot use the deployment {}", a.deployment.display()))?;
    let value = if enc.bonded { dispute.bond } else { U256::ZERO };
    let to = dispute.address;
    let r = dispute.chain.send(from, to, value, enc.data.into())?;
    if !r.success {
        let why = r
            .halt
            .clone()
            .unwrap_or_else(|| crate::chain::dispute::revert_reason(&r.output));
        eprintln!("error: {} would revert: {why}; nothing was sent", enc.sig);
        return Ok(1);
    }
    println!(
        "sent {} from {from:#x}: {} gas; {}",
        enc.sig, r.gas_used, enc.note
    );
    Ok(0)
}

/// `ogs watch`.
#[derive(clap::Args, Debug)]
pub struct WatchArgs {
    /// The node's JSON-RPC URL (http).
    #[arg(long)]
    rpc: String,
    /// The deployment file `ogs deploy` wrote.
    #[arg(long, default_value = "deployment.json")]
    deployment: PathBuf,
    /// The claim files whose definitions the watched claims use (with --rollup-genesis and no
    /// files: the built-in rollup predicates).
    #[arg(long, required_unless_present = "rollup_genesis")]
    claims: Vec<PathBuf>,
    /// Play the rollup output game too: the genesis state of the deployment's RollupBridge (the
    /// file given to `ogs deploy --rollup-genesis`). The watcher follows the bridge's sealed
    /// batches and runs the built-in rollup program on the inputs of every output claim.
    #[arg(long)]
    rollup_genesis: Option<PathBuf>,
    /// This party's local information (what it knows: signatures, blocks, runs).
    #[arg(long)]
    info: PathBuf,
    #[command(flatten)]
    key: KeyArgs,
    /// Read from this block (default: the deployment's block).
    #[arg(long)]
    from: Option<u64>,
    /// Milliseconds between rounds.
    #[arg(long, default_value_t = 2_000)]
    interval: u64,
    /// Blocks re-read every round (a reorg up to this deep is seen), and the confirmations
    /// each transaction waits for.
    #[arg(long, default_value_t = 1)]
    confirmations: u64,
    /// Seconds to wait for a transaction's receipt; a transaction a reorg dropped never gets
    /// one, and the next round re-reads the chain and decides again.
    #[arg(long, default_value_t = 120)]
    receipt_timeout: u64,
    /// One round, then exit.
    #[arg(long)]
    once: bool,
    /// Print one JSON object per event instead of log lines.
    #[arg(long)]
    json: bool,
    /// One step per move: never skip the opponent's forced replies (by default a move goes on
    /// through them in one `challengePath` transaction).
    #[arg(long)]
    one_step_moves: bool,
}

/// `ogs watch`: rounds of [`crate::dispute::watch::Watcher::step`] until killed. A failing
/// round (the node away, an error answer) is logged and retried with backoff; it never exits.
pub(crate) fn watch(a: WatchArgs) -> Result<i32> {
    let program = if a.claims.is_empty() {
        crate::systems::rollup::program::program()
    } else {
        super::load(&a.claims)?
    };
    if a.rollup_genesis.is_some() && crate::systems::rollup::trace_facts(&program).is_none() {
        bail!("--rollup-genesis needs the rollup predicates: give --claims predicates/rollup.ogs (or no --claims)");
    }
    let info = super::load_info(Some(&a.info))?;
    let d = read_deployment(&a.deployment)?;
    let signer = a.key.signer()?;
    let me = signer.address();
    let mut chain = RpcChain::connect(&a.rpc, vec![signer], a.confirmations)?;
    chain.set_receipt_timeout(std::time::Duration::from_secs(a.receipt_timeout));
    let mut dispute = Dispute::attach(chain, &d)
        .with_context(|| format!("cannot use the deployment {}", a.deployment.display()))?;
    let from = a.from.unwrap_or(d.deploy_block);
    let follower = match &a.rollup_genesis {
        Some(path) => {
            let genesis = read_genesis(path)?;
            let bridge = d.contracts.get("RollupBridge").copied().ok_or_else(|| {
                anyhow!(
                    "{} has no RollupBridge: deploy with --rollup-genesis",
                    a.deployment.display()
                )
            })?;
            let f = crate::dispute::watch::rollup::RollupFollower::new(
                &mut dispute.chain,
                bridge,
                genesis,
                from,
                a.confirmations,
            )
            .with_context(|| format!("cannot follow the RollupBridge at {bridge:#x}"))?;
            Some(f)
        }
        None => None,
    };
    let mut w =
        crate::dispute::watch::Watcher::new(dispute, &program, info, me, from, a.confirmations)
            .with_paths(!a.one_step_moves);
    if let Some(f) = follower {
        w = w.with_source(Box::new(f));
    }
    let log = |kind: &str, claim: String, detail: &str, gas: Option<u64>| {
        if a.json {
            println!(
                "{}",
                serde_json::json!({ "event": kind, "claim": claim, "detail": detail, "gas": gas })
            );
        } else {
            let gas = gas.map(|g| format!(" ({g} gas)")).unwrap_or_default();
            println!("[watch] {kind:<10} {claim} {detail}{gas}");
        }
    };
    log(
        "started",
        format!("{me:#x}"),
        &format!("from block {from}"),
        None,
    );
    let mut backoff = a.interval;
    loop {
        match w.step() {
            Ok(events) => {
                for e in events {
                    log(e.kind, format!("{:#x}", e.claim), &e.detail, e.gas);
                }
                backoff = a.interval;
            }
            Err(e) => {
                log(
                    "error",
                    String::new(),
                    &format!("{e} (retrying in {backoff} ms)"),
                    None,
                );
                backoff = (backoff * 2).min(60_000);
            }
        }
        if a.once {
            return Ok(0);
        }
        std::thread::sleep(std::time::Duration::from_millis(backoff));
    }
}
