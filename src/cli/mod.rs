//! The `ogs` command line: the only place with `anyhow`-style errors.

use crate::lang::{check_files, CheckFailed, Program};
use crate::logic::eval::{Challenge, ChallengeKind, Evidence, Verdict};
use crate::logic::{Claim, Evaluator, LocalInfo};
use anyhow::{anyhow, Context, Result};
use clap::{Parser, Subcommand};
use serde_json::{json, Value as Json};
use std::io::IsTerminal;
use std::path::PathBuf;

mod call;
mod mips;
mod net;
pub use net::{DeployArgs, SendArgs, WatchArgs};

/// ogs: write claims, decide them from local information, encode them for the dispute contract.
#[derive(Parser, Debug)]
#[command(name = "ogs", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub cmd: Cmd,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Parse and check claim files; print every problem with its place (exit 1 on errors).
    Check {
        /// Files to check (with everything they `use`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also print each definition compiled to the four primitives.
        #[arg(long)]
        verbose: bool,
    },
    /// Decide a claim from local information: true (with witnesses), false (with the counter-claim) or unknown.
    Eval {
        /// The claim file.
        file: PathBuf,
        /// The claim, e.g. 'channel_exit(latest())'.
        #[arg(long)]
        claim: String,
        /// Local information (JSON; see the README). Without it, nothing is known.
        #[arg(long)]
        info: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Claim nodes the evaluator may visit before it answers Unknown (time grows linearly).
        #[arg(long, default_value_t = crate::logic::eval::DEFAULT_STEPS)]
        max_steps: u64,
    },
    /// Print a claim's canonical ABI encoding and its id (keccak256 of the encoding).
    Encode {
        /// The claim file.
        file: PathBuf,
        /// The claim, e.g. 'channel_exit(latest())'.
        #[arg(long)]
        claim: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Decode a canonical claim encoding (hex) back to claim text.
    Decode {
        /// The encoding, `0x…`.
        hex: String,
        /// Claim files whose definitions the claim may call (for names).
        #[arg(long = "with")]
        with: Vec<PathBuf>,
    },
    /// Pretty-print claim files in canonical layout (to stdout).
    Fmt {
        /// Files to format.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the registered verifiers and quantifiers with their signatures.
    Registry,
    /// Print the calldata of a dispute-contract call for a claim (hex) and the function signature.
    Calldata {
        /// The claim file.
        file: PathBuf,
        /// The claim, e.g. 'alice_exit()'.
        #[arg(long)]
        claim: String,
        /// Which call.
        #[arg(long, value_enum)]
        call: CallKind,
        /// Local information: for `challenge`, the evaluator finds the counter-claim and its
        /// witness; for `decide-witness`, the witness.
        #[arg(long)]
        info: Option<PathBuf>,
        /// The witness (hex) for `decide-witness`, instead of finding it in --info.
        #[arg(long)]
        witness: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Play a dispute over a claim on the embedded EVM: the claimant posts it, both sides
    /// answer with the evaluator from their own local information, windows pass, bonds are
    /// paid out; prints the transcript.
    Dispute {
        /// The claim file.
        file: PathBuf,
        /// The claim, e.g. 'alice_exit()'.
        #[arg(long)]
        claim: String,
        /// The claimant's local information.
        #[arg(long)]
        claimant: Option<PathBuf>,
        /// The challenger's local information.
        #[arg(long)]
        challenger: Option<PathBuf>,
        /// Bond per claim, in wei.
        #[arg(long, default_value_t = 10_000_000_000_000_000)]
        bond: u128,
        /// Dispute window, in seconds.
        #[arg(long, default_value_t = 3600)]
        window: u64,
    },
    /// Run a scenario file (parties, strategies, timeline) block by block on the embedded EVM.
    Simulate {
        /// The scenario (TOML; see `tests/scenarios/` and the README).
        scenario: PathBuf,
        /// Output format: a transcript for people, JSON, or the dispute graph in Graphviz dot.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Deploy every contract to a JSON-RPC node and write the deployment file other commands read.
    Deploy(net::DeployArgs),
    /// Send one call of the dispute contract to a JSON-RPC node (the calls `ogs calldata` encodes).
    Send(net::SendArgs),
    /// Watch a deployment on a JSON-RPC node and defend what your local information says.
    Watch(net::WatchArgs),
    /// Measure the gas of every entry point of a state-channel exit dispute on the embedded EVM.
    GasReport {
        /// Also write the report (Markdown) to this file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Play trace disputes (`trace(ctx, s0, sN, N, k)`, a lying proposer against an honest
    /// challenger) over 2^n steps of the long-running guest for each n and k, on the embedded
    /// EVM, and print the table of levels, moves, transactions and gas (and this machine's
    /// off-chain times). Use a release build: 2^30 steps take seconds to record.
    TraceReport {
        /// Also write the report (Markdown) to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The step counts, as powers of two (comma-separated).
        #[arg(long, value_delimiter = ',', default_values_t = [10, 20, 30])]
        log_steps: Vec<u32>,
        /// The branching factors (comma-separated, each 2..=256).
        #[arg(long, value_delimiter = ',', default_values_t = [2, 8, 16, 32])]
        k: Vec<u64>,
    },
    /// The MIPS fault-proof VM: run programs, produce step witnesses, check ELFs.
    #[command(subcommand)]
    Mips(mips::MipsCmd),
    /// Play a rollup output dispute on the embedded EVM: L2 transfers through the bridge's L1
    /// inbox, the rollup program run by both sides, bisection down to one on-chain MIPS step,
    /// the bridge finalizing only a True output and paying withdrawals; prints the transcript.
    Rollup(RollupArgs),
}

/// The options of `ogs rollup`.
#[derive(clap::Args, Debug)]
pub struct RollupArgs {
    /// How the proposer plays (`liar`: claims a wrong output root).
    #[arg(long, value_enum, default_value = "honest")]
    proposer: Side,
    /// How the challenger plays (`liar`: believes the run wrongly from `--lie-from`).
    #[arg(long, value_enum, default_value = "liar")]
    challenger: Side,
    /// The first step a liar believes wrongly (default: the last step).
    #[arg(long)]
    lie_from: Option<u64>,
    /// Genesis accounts.
    #[arg(long, default_value_t = 32)]
    accounts: usize,
    /// Transfers in the batch.
    #[arg(long, default_value_t = 40)]
    transfers: usize,
    /// Seed of the accounts and transfers.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The output claim's branching factor (2..=256): each level cuts the disputed steps
    /// into k segments.
    #[arg(long, default_value_t = crate::systems::rollup::program::DEFAULT_K)]
    k: u64,
    /// Move one step at a time and decide claim by claim (six moves a level) instead of
    /// path moves and one `settleChain` (as `ogs watch --one-step-moves`).
    #[arg(long)]
    one_step_moves: bool,
    /// Print only the summary, not the transcript.
    #[arg(long)]
    summary: bool,
}

/// How a party of `ogs rollup` plays.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// From its real run.
    Honest,
    /// From a wrongly believed run.
    Liar,
}

/// Output formats of `ogs simulate`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    /// Aligned transcript.
    Text,
    /// Machine-readable.
    Json,
    /// Graphviz dot of the dispute graph.
    Dot,
}

/// The dispute-contract calls `ogs calldata` can encode.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum CallKind {
    /// `claim(bytes)`: post the claim with its bond.
    Claim,
    /// `challenge(…)`: post the evaluator's counter-claim against the claim.
    Challenge,
    /// `decideByTimeout(bytes32)`.
    DecideTimeout,
    /// `decideByWitness(bytes,bytes)`.
    DecideWitness,
    /// `decideByNegation(bytes)`: the claim is False because its negation was decided True.
    DecideNegation,
    /// `payout(bytes32)`: credit the bonds of a decided claim to whoever is owed them.
    Payout,
    /// `withdraw()`: withdraw the sender's credit.
    Withdraw,
}

/// Runs the CLI; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if let Some(f) = e.downcast_ref::<Failed>() {
                eprint!("{}", f.0);
            } else {
                eprintln!("error: {e:#}");
            }
            1
        }
    }
}

/// Diagnostics already rendered.
#[derive(Debug)]
struct Failed(String);
impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Failed {}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn rendered(e: CheckFailed) -> anyhow::Error {
    anyhow::Error::new(Failed(e.render(color())))
}

fn load(files: &[PathBuf]) -> Result<Program> {
    check_files(files, &crate::systems::standard()).map_err(rendered)
}

fn hex0x(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.cmd {
        Cmd::Check { files, verbose } => check(&files, verbose),
        Cmd::Eval {
            file,
            claim,
            info,
            json,
            max_steps,
        } => eval(file, &claim, info.as_deref(), json, max_steps),
        Cmd::Encode { file, claim, json } => encode(file, &claim, json),
        Cmd::Decode { hex, with } => decode(&hex, &with),
        Cmd::Fmt { files } => fmt(&files),
        Cmd::Mips(cmd) => mips::run(cmd),
        Cmd::Rollup(a) => rollup(a),
        Cmd::Calldata {
            file,
            claim,
            call,
            info,
            witness,
            json,
        } => calldata(
            &file,
            &claim,
            call,
            info.as_deref(),
            witness.as_deref(),
            json,
        ),
        Cmd::Dispute {
            file,
            claim,
            claimant,
            challenger,
            bond,
            window,
        } => dispute(
            &file,
            &claim,
            claimant.as_deref(),
            challenger.as_deref(),
            bond,
            window,
        ),
        Cmd::Simulate { scenario, format } => simulate(&scenario, format),
        Cmd::GasReport { out } => gas_report(out),
        Cmd::TraceReport { out, log_steps, k } => trace_report(out, &log_steps, &k),
        Cmd::Deploy(a) => net::deploy(a),
        Cmd::Send(a) => net::send(a),
        Cmd::Watch(a) => net::watch(a),
        Cmd::Registry => registry(),
    }
}

fn check(files: &[PathBuf], verbose: bool) -> Result<i32> {
    let p = load(files)?;
    if verbose {
        for (name, d) in &p.defs {
            let kind = match d.recursive {
                Some((g, i)) => format!("recursive, group {g:#x} #{i}"),
                None => "inlined at call sites".into(),
            };
            println!("def {name} ({kind}):\n    {}", p.show_def(d));
        }
    }
    println!(
        "ok: {} file{}, {} definition{}, {} recursive group{}",
        p.sources.len(),
        plural(p.sources.len()),
        p.defs.len(),
        plural(p.defs.len()),
        p.groups.len(),
        plural(p.groups.len())
    );
    Ok(0)
}

fn eval(
    file: PathBuf,
    claim: &str,
    info: Option<&std::path::Path>,
    json: bool,
    max_steps: u64,
) -> Result<i32> {
    let p = load(&[file])?;
    let c = p.compile_claim(claim).map_err(rendered)?;
    let info = load_info(info)?;
    let limits = crate::logic::eval::Limits {
        steps: max_steps,
        ..Default::default()
    };
    let verdict = Evaluator::new(&p.registry, &p, &info)
        .with_limits(limits)
        .decide(&c)
        .map_err(|e| anyhow!("cannot evaluate: {e}"))?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&verdict_json(&p, &c, &verdict))?
        );
    } else {
        print!("{}", verdict_text(&p, &c, &verdict));
    }
    Ok(0)
}

fn encode(file: PathBuf, claim: &str, json: bool) -> Result<i32> {
    let p = load(&[file])?;
    let c = p.compile_claim(claim).map_err(rendered)?;
    let enc = c.encode();
    if json {
        let mut j = claim_json(&p, &c);
        j["groups"] = groups_json(&p, &c);
        println!("{}", serde_json::to_string_pretty(&j)?);
    } else {
        println!("claim    {}", p.show(&c));
        println!("id       {:#x}", c.id());
        println!("bytes    {}", enc.len());
        println!("encoding {}", hex0x(&enc));
        if let Json::Array(gs) = groups_json(&p, &c) {
            for g in gs {
                println!("group    {} ({})", g["id"], g["members"]);
                println!("         {}", g["encoding"].as_str().unwrap_or(""));
            }
        }
    }
    Ok(0)
}

fn decode(hex: &str, with: &[PathBuf]) -> Result<i32> {
    let bytes =
        hex::decode(hex.trim().trim_start_matches("0x")).map_err(|e| anyhow!("not hex: {e}"))?;
    let c = Claim::decode(&bytes).map_err(|e| anyhow!("{e}"))?;
    let p = if with.is_empty() {
        Program::empty(&crate::systems::standard())
    } else {
        load(with)?
    };
    println!("{}", p.show(&c));
    println!("id {:#x}", c.id());
    Ok(0)
}

fn fmt(files: &[PathBuf]) -> Result<i32> {
    let mut failed = false;
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        let mut map = crate::lang::SourceMap::default();
        let id = map.add(f.display().to_string(), text.as_str());
        let (ast, diags) = crate::lang::parser::parse_file(&text, id);
        if diags.is_empty() {
            print!("{}", crate::lang::printer::print_file(&ast));
        } else {
            eprint!("{}", crate::lang::diag::render(&map, &diags, color()));
            failed = true;
        }
    }
    Ok(i32::from(failed))
}

fn rollup(a: RollupArgs) -> Result<i32> {
    let RollupArgs {
        proposer,
        challenger,
        lie_from,
        accounts,
        transfers,
        seed,
        k,
        one_step_moves,
        summary,
    } = a;
    if !(2..=256).contains(&k) {
        return Err(anyhow!("--k {k}: a split has 2 to 256 segments"));
    }
    use crate::dispute::rollup::{play, Role, RollupGame};
    let role = |s: Side| match s {
        Side::Honest => Role::Honest,
        Side::Liar => Role::Liar { from: lie_from },
    };
    let game = RollupGame {
        seed,
        accounts,
        transfers,
        proposer: role(proposer),
        challenger: role(challenger),
        k,
        paths: !one_step_moves,
        ..RollupGame::default()
    };
    let g = play(&game)?;
    if !summary {
        print!("{}", g.transcript);
        println!();
    }
    println!(
        "output claim {:?}; N = {} steps, {} bisection levels, MIPS steps on chain: {} accepted / {} refused, {} pre-image loads",
        g.status,
        g.steps,
        g.levels(),
        g.onchain_steps.0,
        g.onchain_steps.1,
        g.preimage_loads
    );
    println!(
        "dispute: {} gas in {} transactions; bridge finalized the right root: {}; withdrawn {} wei; honest party {:.2?} off-chain",
        g.dispute_gas, g.dispute_txs, g.finalized_right_root, g.withdrawn, g.honest_time
    );
    Ok(0)
}

fn simulate(scenario: &std::path::Path, format: Format) -> Result<i32> {
    let out = crate::dispute::scenario::run_file(scenario).map_err(|e| anyhow!("{e}"))?;
    match format {
        Format::Text => print!("{}", out.text()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&out)?),
        Format::Dot => print!("{}", out.dot()),
    }
    Ok(0)
}

fn gas_report(out: Option<PathBuf>) -> Result<i32> {
    let lines = crate::dispute::gas::channel_report().map_err(|e| anyhow!("{e}"))?;
    let economics = crate::dispute::gas::economics(&lines).map_err(|e| anyhow!("{e}"))?;
    let md = crate::dispute::gas::markdown(&lines, &economics);
    print!("{md}");
    if let Some(out) = out {
        std::fs::write(&out, &md).with_context(|| format!("cannot write {}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(0)
}

fn trace_report(out: Option<PathBuf>, log_steps: &[u32], ks: &[u64]) -> Result<i32> {
    if let Some(n) = log_steps.iter().find(|n| !(1..=30).contains(*n)) {
        return Err(anyhow!(
            "--log-steps {n}: the guest runs 1,207,961,295 steps, so 1 ≤ n ≤ 30"
        ));
    }
    if let Some(k) = ks.iter().find(|k| !(2..=256).contains(*k)) {
        return Err(anyhow!("--k {k}: a split has 2 to 256 segments"));
    }
    let rows = crate::dispute::trace_game::report(log_steps, ks).map_err(|e| anyhow!("{e}"))?;
    let md = crate::dispute::trace_game::markdown(&rows);
    print!("{md}");
    if let Some(out) = out {
        std::fs::write(&out, &md).with_context(|| format!("cannot write {}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(0)
}

fn registry() -> Result<i32> {
    let r = crate::systems::standard();
    println!("verifiers (WITNESS_EXISTS; on-chain id = keccak256(name)):");
    for v in r.verifiers() {
        println!("  {}({})", v.name(), sig(&v.params()));
        println!("      {}", v.doc());
        println!("      witness: {}", v.witness_doc());
    }
    println!("quantifiers (UNIVERSAL_QUANTIFIER):");
    for q in r.quantifiers() {
        println!(
            "  {}({}) -> {}",
            q.name(),
            sig(&q.params()),
            q.element_type()
        );
        println!("      {}", q.doc());
        if let Some(d) = q.descent() {
            let parts: Vec<String> = d
                .parts
                .iter()
                .map(|p| {
                    std::iter::once("t".to_string())
                        .chain(p.iter().map(|i| i.to_string()))
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .collect();
            let arg = q.params().get(d.arg).map_or("?", |(n, _)| *n);
            println!(
                "      descends: {} < {arg} ({:?} order; recursion may pass it)",
                parts.join(", "),
                d.order
            );
        }
    }
    Ok(0)
}

fn load_info(path: Option<&std::path::Path>) -> Result<LocalInfo> {
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            LocalInfo::from_json(&text, crate::systems::standard().info_sections())
                .map_err(|e| anyhow!("{}: {e}", path.display()))
        }
        None => Ok(LocalInfo::new()),
    }
}

fn calldata(
    file: &std::path::Path,
    text: &str,
    call: CallKind,
    info: Option<&std::path::Path>,
    witness: Option<&str>,
    json: bool,
) -> Result<i32> {
    let call::Encoded {
        sig, data, note, ..
    } = call::encode(file, text, call, info, witness)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "function": sig,
                "selector": hex0x(&data[..4.min(data.len())]),
                "calldata": hex0x(&data),
                "note": note,
            }))?
        );
    } else {
        println!("function {sig}");
        println!("selector {}", hex0x(&data[..4.min(data.len())]));
        println!("note     {note}");
        println!("calldata {}", hex0x(&data));
    }
    Ok(0)
}

fn dispute(
    file: &std::path::Path,
    text: &str,
    claimant: Option<&std::path::Path>,
    challenger: Option<&std::path::Path>,
    bond: u128,
    window: u64,
) -> Result<i32> {
    use crate::dispute::{Arena, Party};
    use alloy_primitives::{Address, U256};
    let p = load(&[file.to_path_buf()])?;
    let c = p.compile_claim(text).map_err(rendered)?;
    let claimant = Party {
        name: "claimant".into(),
        address: Address::repeat_byte(0xc1),
        info: load_info(claimant)?,
    };
    let challenger = Party {
        name: "challenger".into(),
        address: Address::repeat_byte(0xc2),
        info: load_info(challenger)?,
    };
    let mut a = Arena::new(&p, U256::from(bond), window)
        .map_err(|e| anyhow!("deploying the contracts: {e}"))?;
    let start = U256::from(10u128.pow(21));
    for who in [&claimant, &challenger] {
        a.dispute_mut().chain.set_balance(who.address, start);
    }
    println!("dispute contract {:#x} on the embedded EVM (revm, cancun); bond {bond} wei, window {window} s", a.dispute_mut().address);
    println!("claim {:#x}: {}\n", c.id(), p.show(&c));
    a.claim(&claimant, &c)
        .map_err(|e| anyhow!("the claim was refused: {e}"))?;
    // Both sides answer, inside the window, until neither has a move left.
    for _ in 0..64 {
        let moved = a.respond(&challenger) | a.respond(&claimant);
        if !moved {
            break;
        }
    }
    a.wait(window + 1);
    a.settle(&claimant);
    for (id, _) in a.claims().clone() {
        if let Ok(r) = a.dispute_mut().payout(claimant.address, id) {
            a.record(crate::dispute::Entry {
                block: a.dispute().chain.block_number(),
                time: window + 1,
                actor: "claimant".into(),
                call: format!("payout bond of {}", &format!("{id:#x}")[..10]),
                gas: r.gas_used,
                outcome: "ok".into(),
            });
        }
    }
    for who in [&claimant, &challenger] {
        let _ = a.dispute_mut().withdraw(who.address);
    }
    print!("{}", a.render(&c));
    for who in [&claimant, &challenger] {
        let bal = a.dispute_mut().chain.balance(who.address);
        let diff = if bal >= start {
            format!("+{}", bal - start)
        } else {
            format!("-{}", start - bal)
        };
        println!("{:<10} balance change {diff} wei", who.name);
    }
    println!(
        "contract   holds {} wei (bonds of undecided claims)",
        a.dispute_mut().balance()
    );
    Ok(0)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn sig(params: &[(&str, crate::logic::registry::ParamType)]) -> String {
    params
        .iter()
        .map(|(n, t)| match t {
            crate::logic::registry::ParamType::Is(t) => format!("{n}: {t}"),
            crate::logic::registry::ParamType::Any => format!("{n}: any"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn claim_json(p: &Program, c: &Claim) -> Json {
    json!({
        "text": p.show(c),
        "id": format!("{:#x}", c.id()),
        "encoding": hex0x(&c.encode()),
    })
}

/// The definition groups a claim's calls need (for unfolding on-chain).
fn groups_json(p: &Program, c: &Claim) -> Json {
    let mut ids = Vec::new();
    collect_groups(c, &mut ids);
    Json::Array(
        ids.iter()
            .filter_map(|id| p.groups.get(id))
            .map(|g| {
                json!({
                    "id": format!("{:#x}", g.id),
                    "members": g.members.join(", "),
                    "encoding": hex0x(&g.encoding),
                })
            })
            .collect(),
    )
}

fn collect_groups(c: &Claim, out: &mut Vec<alloy_primitives::B256>) {
    match c {
        Claim::Not(p) => collect_groups(p, out),
        Claim::And(ps) => ps.iter().for_each(|p| collect_groups(p, out)),
        Claim::Forall { body, .. } => collect_groups(body, out),
        Claim::Call { group, .. } => {
            if !out.contains(group) {
                out.push(*group);
            }
        }
        Claim::Witness { .. } => {}
    }
}

fn kind_text(k: &ChallengeKind, p: &Program) -> String {
    let _ = p;
    match k {
        ChallengeKind::Not => "the negated claim itself".into(),
        ChallengeKind::AndChild { index } => format!("negation of conjunct #{index}"),
        ChallengeKind::Instance { value, .. } => {
            format!("counter-example instance {}", hex0x(value))
        }
        ChallengeKind::Negation => {
            "its negation, claimed on its own (no witness exists, so it wins by timeout)".into()
        }
    }
}

fn challenge_json(p: &Program, ch: &Challenge) -> Json {
    json!({
        "target": claim_json(p, &ch.target),
        "counter": claim_json(p, &ch.counter),
        "how": ch.kind,
        "via_unfold": ch.via_unfold,
    })
}

fn evidence_json(p: &Program, e: &Evidence) -> (Json, Json) {
    let w = e
        .witnesses
        .iter()
        .map(|w| {
            json!({
                "claim": claim_json(p, &w.claim),
                "witness": hex0x(&w.witness),
            })
        })
        .collect();
    let c = e.challenges.iter().map(|c| challenge_json(p, c)).collect();
    (Json::Array(w), Json::Array(c))
}

/// The JSON form of a verdict (the `--json` output of `ogs eval`).
pub(crate) fn verdict_json(p: &Program, c: &Claim, v: &Verdict) -> Json {
    let mut j = json!({ "claim": claim_json(p, c), "verdict": v.label() });
    match v {
        Verdict::True(e) => {
            let (w, ch) = evidence_json(p, e);
            j["witnesses"] = w;
            j["responses"] = ch;
        }
        Verdict::False {
            challenge,
            evidence,
        } => {
            j["challenge"] = challenge_json(p, challenge);
            let (w, ch) = evidence_json(p, evidence);
            j["witnesses"] = w;
            j["responses"] = ch;
        }
        Verdict::Unknown(m) => j["missing"] = json!(m),
    }
    j
}

/// The human-readable form of a verdict.
pub(crate) fn verdict_text(p: &Program, c: &Claim, v: &Verdict) -> String {
    let mut out = String::new();
    out.push_str(&format!("claim    {}\n", p.show(c)));
    out.push_str(&format!("id       {:#x}\n", c.id()));
    let evidence = |out: &mut String, e: &Evidence| {
        if e.witnesses.is_empty() {
            out.push_str("witnesses to show: none\n");
        } else {
            out.push_str("witnesses to show:\n");
            for w in &e.witnesses {
                out.push_str(&format!("  - for  {}\n", p.show(&w.claim)));
                out.push_str(&format!("    id   {:#x}\n", w.claim.id()));
                out.push_str(&format!("    show {}\n", hex0x(&w.witness)));
            }
        }
        if !e.challenges.is_empty() {
            out.push_str("if the other side claims these, challenge them:\n");
            for ch in &e.challenges {
                out.push_str(&format!("  - against {}\n", p.show(&ch.target)));
                out.push_str(&format!("    post    {}\n", p.show(&ch.counter)));
                out.push_str(&format!("    ({})\n", kind_text(&ch.kind, p)));
            }
        }
    };
    match v {
        Verdict::True(e) => {
            out.push_str("verdict  TRUE — the claim holds; defend it with:\n");
            evidence(&mut out, e);
        }
        Verdict::False {
            challenge,
            evidence: e,
        } => {
            out.push_str("verdict  FALSE — post this counter-claim:\n");
            out.push_str(&format!("  counter-claim {}\n", p.show(&challenge.counter)));
            out.push_str(&format!("  id            {:#x}\n", challenge.counter.id()));
            out.push_str(&format!(
                "  encoding      {}\n",
                hex0x(&challenge.counter.encode())
            ));
            out.push_str(&format!(
                "  challenges    {}{}\n",
                kind_text(&challenge.kind, p),
                if challenge.via_unfold {
                    " (of the definition's unfolding)"
                } else {
                    ""
                }
            ));
            evidence(&mut out, e);
        }
        Verdict::Unknown(m) => {
            out.push_str("verdict  UNKNOWN — local information does not decide it; missing:\n");
            for x in m {
                out.push_str(&format!("  - {x}\n"));
            }
        }
    }
    out
}
