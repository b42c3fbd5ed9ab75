//! ogs on a real node (issue 12): anvil from npm (`tools/node`, pinned in its package-lock and
//! installed by `bash .ci/test`), started by the harness on a free loopback port and stopped by
//! its PID when the test ends, however it ends.

use alloy_primitives::{keccak256, Address, Bytes, U256};
use ogs::chain::rpc::{signer_from_hex, RpcChain};
use ogs::chain::{Backend, Dispute, Status};
use ogs::lang::check_files;
use ogs::logic::eval::{Evaluator, Verdict};
use ogs::logic::LocalInfo;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running anvil; killed (by its PID) and reaped on drop.
struct Anvil {
    child: Child,
    url: String,
    /// The dev accounts' private keys anvil printed (public test keys).
    keys: Vec<String>,
}

impl Anvil {
    fn start() -> Anvil {
        Anvil::start_with(None, &[])
    }

    /// Starts anvil on `port` (a free one if `None`) with `extra` arguments.
    fn start_with(port: Option<u16>, extra: &[&str]) -> Anvil {
        let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tools/node/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        assert!(
            bin.exists(),
            "{} is missing: run `bash .ci/test` (it installs the pinned anvil with npm ci in tools/node)",
            bin.display()
        );
        // A free loopback port: bind port 0, read it, release it.
        let port = port.unwrap_or_else(|| {
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port()
        });
        let mut child = Command::new(&bin)
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--accounts",
                "6",
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("anvil starts");
        let out = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(out).lines();
        let mut keys = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut listening = false;
        while Instant::now() < deadline {
            let Some(Ok(line)) = lines.next() else { break };
            let t = line.trim();
            if t.starts_with('(') && t.contains("0x") {
                if let Some(k) = t.split_whitespace().nth(1) {
                    if k.len() == 66 {
                        keys.push(k.to_string());
                    }
                }
            }
            if t.starts_with("Listening on") {
                listening = true;
                break;
            }
        }
        // Keep draining anvil's output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let anvil = Anvil {
            child,
            url: format!("http://127.0.0.1:{port}"),
            keys,
        };
        assert!(listening, "anvil did not start within 30 s");
        assert!(anvil.keys.len() >= 3, "anvil printed its dev keys");
        anvil
    }

    fn chain(&self, keys: &[usize]) -> RpcChain {
        let signers = keys
            .iter()
            .map(|i| signer_from_hex(&self.keys[*i]).expect("key"))
            .collect();
        RpcChain::connect(&self.url, signers, 1).expect("connects")
    }

    fn address(&self, i: usize) -> Address {
        signer_from_hex(&self.keys[i]).expect("key").address()
    }
}

impl Anvil {
    /// Stops anvil the way an operator does (SIGTERM, by its PID), so it writes its state if
    /// it was started with `--dump-state`; waits for it to exit.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("anvil did not stop within 20 s of SIGTERM");
    }

    fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port")
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        // SIGKILL by PID, then reap it so no zombie is left.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ogs(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ogs"));
    c.args(args).env("NO_COLOR", "1").env_remove("OGS_KEY");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the ogs binary runs")
}

/// A scratch directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ogs-rpc-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    dir
}

/// A scratch directory and a deployment made there by `ogs deploy` (key 0, window 3600):
/// `(dir, path of the deployment file, the deployment)`.
fn deployed(anvil: &Anvil, name: &str) -> (PathBuf, String, ogs::chain::Deployment) {
    deployed_in(anvil, scratch(name), &[])
}

/// [`deployed`] in `dir`, with `extra` arguments to `ogs deploy`.
fn deployed_in(
    anvil: &Anvil,
    dir: PathBuf,
    extra: &[&str],
) -> (PathBuf, String, ogs::chain::Deployment) {
    let file = dir.join("deployment.json");
    let f = file.to_string_lossy().to_string();
    let mut args = vec![
        "deploy", "--rpc", &anvil.url, "--out", &f, "--window", "3600",
    ];
    args.extend_from_slice(extra);
    let out = ogs(&args, &[("OGS_KEY", &anvil.keys[0])]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("parses");
    (dir, f, d)
}

/// The README's channel exit claims.
fn exit_program() -> ogs::lang::Program {
    check_files(
        &[PathBuf::from("examples/channel/exit.ogs")],
        &ogs::systems::standard(),
    )
    .unwrap_or_else(|e| panic!("{}", e.render(false)))
}

/// A party's local information from `examples/channel/`.
fn channel_info(file: &str) -> LocalInfo {
    LocalInfo::from_json(
        &std::fs::read_to_string(format!("examples/channel/{file}")).expect("info"),
        ogs::systems::standard().info_sections(),
    )
    .expect("valid")
}

/// The id of the README's stale exit `alice_exit()`.
fn alice_exit_id() -> alloy_primitives::B256 {
    exit_program()
        .compile_claim("alice_exit()")
        .expect("compiles")
        .id()
}

/// Alice (`key`) claims her stale exit with `ogs send`.
fn alice_claims_her_stale_exit(anvil: &Anvil, deployment: &str, key: &str) {
    let out = ogs(
        &[
            "send",
            "claim",
            "examples/channel/exit.ogs",
            "--claim",
            "alice_exit()",
            "--rpc",
            &anvil.url,
            "--deployment",
            deployment,
        ],
        &[("OGS_KEY", key)],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `ogs deploy` deploys every contract and writes the deployment file; run again it checks the
/// file against the chain and deploys nothing; once a contract's code is changed on chain it
/// refuses the file. The key never appears in its output.
#[test]
fn deploy_writes_a_deployment_and_refuses_changed_code() {
    let anvil = Anvil::start();
    let dir = std::env::temp_dir().join(format!("ogs-rpc-deploy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let file = dir.join("deployment.json");
    let f = file.to_string_lossy().to_string();
    let key = anvil.keys[0].clone();
    let env = [("OGS_KEY", key.as_str())];
    let out = ogs(
        &[
            "deploy", "--rpc", &anvil.url, "--out", &f, "--window", "3600",
        ],
        &env,
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(
        !all.contains(key.trim_start_matches("0x")),
        "the key was printed"
    );
    let d: ogs::chain::Deployment =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("parses");
    assert_eq!(d.chain_id, 31337);
    assert!(d.contracts.contains_key("ChannelPayout") && d.contracts.contains_key("MIPS"));
    let mut chain = anvil.chain(&[0]);
    for (name, at) in &d.contracts {
        assert_eq!(
            Some(&keccak256(chain.code(*at).expect("code"))),
            d.code.get(name),
            "{name}"
        );
    }
    // Again: checked, nothing deployed.
    let out = ogs(&["deploy", "--rpc", &anvil.url, "--out", &f], &env);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing deployed"));
    // A verifier's code replaced on chain: the file is refused, with the contract named.
    let eq = d.contracts["Eq"];
    chain
        .anvil_set_code(eq, Bytes::from_static(&[0x60, 0x01, 0x60, 0x00, 0xf3]))
        .expect("setCode");
    let out = ogs(&["deploy", "--rpc", &anvil.url, "--out", &f], &env);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("refusing to reuse") && err.contains("is not the Eq that was deployed"),
        "{err}"
    );
    // No key: a clear error, exit 1.
    let out = ogs(&["deploy", "--rpc", &anvil.url, "--out", &f], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give a key"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README's channel dispute (Alice exits with a stale update, Bob holds a later one signed
/// by both) played over JSON-RPC against anvil and on the embedded EVM: the same outcome, and
/// the same gas for every transaction.
#[test]
fn readme_channel_dispute_over_rpc_matches_the_embedded_evm() {
    let anvil = Anvil::start();
    let p = exit_program();
    let info = channel_info;
    let exit = p.compile_claim("alice_exit()").expect("compiles");
    let Ok(Verdict::False {
        challenge,
        evidence,
    }) = Evaluator::new(&p.registry, &p, &info("bob_later.json")).decide(&exit)
    else {
        panic!("Bob's evaluator says the stale exit is False")
    };
    let witness = evidence
        .witnesses
        .iter()
        .find(|w| w.claim == challenge.counter)
        .map(|w| w.witness.clone())
        .unwrap_or_default();
    let how = ogs::dispute::how_of(&challenge.kind);
    let plan = ogs::systems::deploy_plan(&ogs::systems::standard());
    let bond = U256::from(10u64.pow(16));

    // One game on any backend: Alice claims, Bob challenges, the window passes (`wait`), Bob's
    // counter-claim times out True, the exit is False by contradiction, bonds are paid out.
    #[allow(clippy::too_many_arguments)]
    fn game<B: Backend>(
        d: &mut Dispute<B>,
        wait: impl Fn(&mut Dispute<B>),
        alice: Address,
        bob: Address,
        exit: &ogs::logic::Claim,
        how: &ogs::chain::How,
        counter: &ogs::logic::Claim,
        witness: &[u8],
    ) -> (Vec<u64>, Status, Status) {
        let mut gas = Vec::new();
        gas.push(d.claim(alice, exit).expect("claim").gas_used);
        gas.push(
            d.challenge(bob, exit, how, counter, witness)
                .expect("challenge")
                .gas_used,
        );
        wait(d);
        gas.push(
            d.decide_by_timeout(bob, counter.id())
                .expect("timeout")
                .gas_used,
        );
        gas.push(
            d.decide_by_contradiction(bob, exit.id(), counter.id())
                .expect("contradiction")
                .gas_used,
        );
        gas.push(d.payout(bob, exit.id()).expect("payout").gas_used);
        gas.push(d.payout(bob, counter.id()).expect("payout").gas_used);
        gas.push(d.withdraw(bob).expect("withdraw").gas_used);
        (
            gas,
            d.status(exit.id()).expect("status"),
            d.status(counter.id()).expect("status"),
        )
    }

    let mut rpc = anvil.chain(&[0, 1, 2]);
    let (deployer, alice, bob) = (anvil.address(0), anvil.address(1), anvil.address(2));
    assert!(rpc.balance(alice).expect("balance") > bond);
    let mut on_node = Dispute::deploy_on(rpc, deployer, &plan, bond, 3600).expect("deploys");
    let node = game(
        &mut on_node,
        |d| d.chain.anvil_advance(1, 3601).expect("time passes"),
        alice,
        bob,
        &exit,
        &how,
        &challenge.counter,
        &witness,
    );

    let mut embedded = ogs::systems::deploy(bond, 3600).expect("deploys");
    for a in [alice, bob] {
        embedded.chain.set_balance(a, U256::from(10u128.pow(21)));
    }
    let local = game(
        &mut embedded,
        |d| d.chain.advance(1, 3601),
        alice,
        bob,
        &exit,
        &how,
        &challenge.counter,
        &witness,
    );
    assert_eq!(node.1, Status::False, "the stale exit is False on the node");
    assert_eq!(node.2, Status::True, "Bob's counter-claim is True");
    assert_eq!(node, local, "same outcome and gas for every transaction");
    println!("README channel dispute over RPC: gas {:?}", node.0);
}

/// `ogs send` from the command line against a deployment: Alice claims her stale exit, Bob
/// challenges it from his local information; a call that would revert is reported with the
/// contract's named error, exit 1, and is not sent (the sender pays no fee).
#[test]
fn send_posts_claims_and_challenges_and_names_reverts() {
    let anvil = Anvil::start();
    let (dir, f, d) = deployed(&anvil, "send");
    let (k1, k2) = (anvil.keys[1].clone(), anvil.keys[2].clone());
    let send = |key: &str, args: &[&str]| {
        let mut all = vec!["send"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--rpc", &anvil.url, "--deployment", &f]);
        ogs(&all, &[("OGS_KEY", key)])
    };
    let exit = ["examples/channel/exit.ogs", "--claim", "alice_exit()"];
    let out = send(&k1, &[&["claim"][..], &exit[..]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sent claim(bytes)"));
    let out = send(
        &k2,
        &[
            &["challenge"][..],
            &exit[..],
            &["--info", "examples/channel/bob_later.json"][..],
        ]
        .concat(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Too early, and challenged: named errors, nothing sent.
    let mut chain = anvil.chain(&[0]);
    let balance_before = chain.balance(anvil.address(1)).expect("balance");
    let out = send(&k1, &[&["decide-timeout"][..], &exit[..]].concat());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("would revert") && err.contains("nothing was sent"),
        "{err}"
    );
    assert!(
        err.contains("WindowOpen") || err.contains("OpenChallenges"),
        "{err}"
    );
    assert_eq!(
        chain.balance(anvil.address(1)).expect("balance"),
        balance_before,
        "no fee paid: nothing was sent"
    );
    let out = send(&k1, &[&["claim"][..], &exit[..]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ClaimExists"));
    // On chain: the exit is Undecided, held by Bob's open challenge.
    let mut attached = Dispute::attach(anvil.chain(&[0]), &d).expect("attaches");
    let id = alice_exit_id();
    assert_eq!(attached.status(id).expect("status"), Status::Undecided);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A running `ogs watch`, killed by its PID on drop.
struct Watch(Child);

impl Watch {
    /// `ogs watch` with `args` beside the node, the key and fast polling (200 ms rounds, 5 s
    /// receipt timeout, JSON lines), its output to `stdout`.
    fn spawn(anvil: &Anvil, key: &str, args: &[&str], stdout: Stdio) -> Watch {
        let child = Command::new(env!("CARGO_BIN_EXE_ogs"))
            .arg("watch")
            .args(["--rpc", &anvil.url, "--interval", "200", "--json"])
            .args(["--receipt-timeout", "5"])
            .args(args)
            .env("OGS_KEY", key)
            .stdout(stdout)
            .stderr(Stdio::null())
            .spawn()
            .expect("ogs watch starts");
        Watch(child)
    }

    /// A watcher of the README's channel exit with local information `info` (one step per
    /// move, so the game lasts several moves), its output discarded.
    fn start(anvil: &Anvil, deployment: &str, key: &str, info: &str) -> Watch {
        Watch::spawn(anvil, key, &channel_args(deployment, info), Stdio::null())
    }
}

/// `ogs watch` arguments for the README's channel exit, one step per move.
fn channel_args<'a>(deployment: &'a str, info: &'a str) -> [&'a str; 7] {
    [
        "--deployment",
        deployment,
        "--claims",
        "examples/channel/exit.ogs",
        "--info",
        info,
        "--one-step-moves",
    ]
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Polls `f` every 100 ms for up to 60 s.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting until {what}");
}

/// Bob's watcher defends him against Alice's stale exit over JSON-RPC: it challenges the exit
/// from his local information; killed mid-game (after the challenge) and restarted after the
/// window, it resumes from the chain — it sends no second challenge — and in one `settleChain`
/// decides its counter-claim True and the exit False and collects both bonds, then withdraws:
/// exactly three transactions in all. A watcher that knows
/// nothing about the claim (Carol, no information) makes no move at all.
#[test]
fn watcher_defends_survives_a_restart_and_never_repeats_a_move() {
    let anvil = Anvil::start();
    let (dir, f, d) = deployed(&anvil, "watch");
    let (k1, k2, k3) = (
        anvil.keys[1].clone(),
        anvil.keys[2].clone(),
        anvil.keys[3].clone(),
    );
    let empty = dir.join("nothing.json");
    std::fs::write(&empty, "{}").expect("write");
    let carol = Watch::start(&anvil, &f, &k3, &empty.to_string_lossy());
    let bob = Watch::start(&anvil, &f, &k2, "examples/channel/bob_later.json");
    alice_claims_her_stale_exit(&anvil, &f, &k1);
    let mut attached = Dispute::attach(anvil.chain(&[0]), &d).expect("attaches");
    let exit = alice_exit_id();
    let (bob_addr, carol_addr) = (anvil.address(2), anvil.address(3));
    let mut probe = anvil.chain(&[0]);
    eventually("Bob's watcher challenges the stale exit", || {
        probe.transaction_count(bob_addr).expect("nonce") >= 1
    });
    // Killed mid-game; the window passes while it is down; restarted.
    drop(bob);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(probe.transaction_count(bob_addr).expect("nonce"), 1);
    probe.anvil_advance(1, 3601).expect("time passes");
    let _bob = Watch::start(&anvil, &f, &k2, "examples/channel/bob_later.json");
    eventually("the exit is False and Bob has collected", || {
        attached.status(exit).expect("status") == Status::False
            && attached.credit(bob_addr).expect("credit").is_zero()
            && probe.transaction_count(bob_addr).expect("nonce") >= 3
    });
    std::thread::sleep(Duration::from_millis(1_000));
    assert_eq!(
        probe.transaction_count(bob_addr).expect("nonce"),
        3,
        "challenge, settleChain, withdraw — nothing twice"
    );
    assert_eq!(
        probe.transaction_count(carol_addr).expect("nonce"),
        0,
        "a watcher without information does not act"
    );
    drop(carol);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reorg under the watcher: the blocks holding Bob's challenge are dropped (anvil rolls back
/// to a snapshot taken just after Alice's claim) while the watcher runs. It sees that its
/// challenge is gone and challenges again (its nonce read afresh), and the exit ends False.
#[test]
fn watcher_redoes_a_move_a_reorg_dropped() {
    let anvil = Anvil::start();
    let (dir, f, d) = deployed(&anvil, "reorg");
    let (k1, k2) = (anvil.keys[1].clone(), anvil.keys[2].clone());
    alice_claims_her_stale_exit(&anvil, &f, &k1);
    let mut probe = anvil.chain(&[0]);
    let snapshot = probe.anvil_snapshot().expect("snapshot");
    let bob_addr = anvil.address(2);
    let _bob = Watch::start(&anvil, &f, &k2, "examples/channel/bob_later.json");
    eventually("Bob's watcher challenges", || {
        probe.transaction_count(bob_addr).expect("nonce") >= 1
    });
    let before = probe.block_number().expect("block");
    assert!(probe.anvil_revert(snapshot).expect("revert"), "rolled back");
    assert!(
        probe.block_number().expect("block") < before,
        "blocks dropped"
    );
    // The watcher keeps running: it must notice and challenge again (else the exit would
    // time out True once the window passes).
    eventually("the watcher challenges again", || {
        probe.transaction_count(bob_addr).expect("nonce") >= 1
    });
    probe.anvil_advance(1, 3601).expect("time passes");
    let mut attached = Dispute::attach(anvil.chain(&[0]), &d).expect("attaches");
    let exit = alice_exit_id();
    eventually("the exit is False", || {
        attached.status(exit).expect("status") == Status::False
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `ogs watch` with `args` (beside the node, key and fast polling), its JSON log lines
/// written to `log`; killed by its PID on drop.
fn watch_with(anvil: &Anvil, key: &str, args: &[&str], log: &std::path::Path) -> Watch {
    let file = std::fs::File::create(log).expect("log file");
    Watch::spawn(anvil, key, args, Stdio::from(file))
}

/// A rollup output dispute over JSON-RPC, won by `ogs watch`: the bridge is deployed by `ogs
/// deploy --rollup-genesis`, three L2 users submit transfers (one a withdrawal) to its inbox
/// and the batch is sealed. A lying proposer (a library watcher believing a wrong run) claims a
/// wrong output root. The honest watcher knows only the genesis file: it follows the bridge's
/// sealed batch, runs the rollup program on the output's inputs, and plays the bisection down
/// to one MIPS step on chain. The output is decided False, the bridge refuses to finalize it,
/// and the honest side ends with more wei than it started with.
#[test]
fn rollup_output_dispute_over_rpc_is_won_by_the_watcher() {
    use alloy_sol_types::SolCall;
    use ogs::dispute::watch::Watcher;
    use ogs::systems::rollup::bridge::RollupBridge;
    use ogs::systems::rollup::program::{
        knowledge, output_claim, prestate, program, record, Role, DEFAULT_K,
    };
    use ogs::systems::rollup::{Batch, RollupInputs, State, Transfer};

    let started = Instant::now();
    let anvil = Anvil::start();
    let dir = scratch("rollup");
    let users: Vec<Address> = (3..6).map(|i| anvil.address(i)).collect();
    let genesis_file = dir.join("genesis.json");
    let accounts: Vec<_> = users
        .iter()
        .zip([3u64, 5, 7])
        .map(|(a, b)| serde_json::json!({"address": format!("{a:#x}"), "balance": (b * 10u64.pow(17)).to_string()}))
        .collect();
    std::fs::write(
        &genesis_file,
        serde_json::json!({ "accounts": accounts }).to_string(),
    )
    .expect("write");
    let g = genesis_file.to_string_lossy().to_string();
    let (dir, f, d) = deployed_in(&anvil, dir, &["--rollup-genesis", &g]);
    let bridge = d.contracts["RollupBridge"];

    // L2 users submit to the L1 inbox (each from its own key); the operator seals.
    let transfers = [
        (0usize, users[1], 10u64.pow(17), 0u64),
        (1, users[2], 2 * 10u64.pow(17), 0),
        (2, Address::ZERO, 10u64.pow(17), 0),
    ];
    let mut chain = anvil.chain(&[0, 3, 4, 5]);
    let mut batch = Batch::default();
    for (who, to, amount, nonce) in transfers {
        let call = RollupBridge::submitCall { to, amount, nonce };
        let r = chain
            .send(users[who], bridge, U256::ZERO, call.abi_encode().into())
            .expect("submit");
        assert!(r.success, "submit");
        batch.transfers.push(Transfer {
            from: users[who].0 .0,
            to: to.0 .0,
            amount,
            nonce,
        });
    }
    let r = chain
        .send(
            anvil.address(0),
            bridge,
            U256::ZERO,
            RollupBridge::sealCall {
                batch: batch.encode().into(),
            }
            .abi_encode()
            .into(),
        )
        .expect("seal");
    assert!(r.success, "seal");

    // The honest watcher: the genesis file and nothing else.
    let empty = dir.join("nothing.json");
    std::fs::write(&empty, "{}").expect("write");
    let log = dir.join("honest.log");
    let honest_addr = anvil.address(2);
    let honest_start = chain.balance(honest_addr).expect("balance");
    let _honest = watch_with(
        &anvil,
        &anvil.keys[2],
        &[
            "--deployment",
            &f,
            "--rollup-genesis",
            &g,
            "--info",
            &empty.to_string_lossy(),
        ],
        &log,
    );

    // The lying proposer: a wrong root (a theft of a million wei), from a run it believes.
    let genesis = State {
        accounts: users
            .iter()
            .zip([3u64, 5, 7])
            .map(|(a, b)| ogs::systems::rollup::Account {
                address: a.0 .0,
                nonce: 0,
                balance: b * 10u64.pow(17),
                withdrawn: 0,
            })
            .collect(),
    };
    let mut theft = genesis.clone();
    theft.apply(&batch);
    theft.accounts[0].balance += 1_000_000;
    let inputs = RollupInputs::new(&genesis, &batch, theft.root());
    assert!(!inputs.claim_is_right());
    let p = program();
    let run = record(&inputs, Role::Liar { from: None }, 7).expect("runs");
    let claim = output_claim(&p, prestate().expect("prestate"), &run, DEFAULT_K).expect("claim");
    let liar_addr = anvil.address(1);
    let liar_dispute = Dispute::attach(anvil.chain(&[1]), &d).expect("attaches");
    let mut liar = Watcher::new(
        liar_dispute,
        &p,
        knowledge(&p, &[&run]),
        liar_addr,
        d.deploy_block,
        1,
    );
    liar.dispute()
        .claim(liar_addr, &claim)
        .expect("the liar claims");

    // The liar plays on (every 200 ms) until the bisection goes quiet; then the clocks run out.
    let mut probe = anvil.chain(&[0]);
    let mut attached = Dispute::attach(anvil.chain(&[0]), &d).expect("attaches");
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut quiet_since = Instant::now();
    let mut last = (0, 0);
    let mut liar_log = Vec::new();
    while attached.status(claim.id()).expect("status") != Status::False {
        if Instant::now() > deadline {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(40).collect();
            panic!(
                "the game did not end in 240 s; the liar: {:#?}\nthe watcher's last lines: {tail:#?}",
                &liar_log[liar_log.len().saturating_sub(40)..]
            );
        }
        match liar.step() {
            Ok(events) => liar_log.extend(events.into_iter().map(|e| format!("{e:?}"))),
            Err(e) => liar_log.push(format!("error {e}")),
        }
        std::thread::sleep(Duration::from_millis(200));
        let now = (
            probe.transaction_count(liar_addr).expect("nonce"),
            probe.transaction_count(honest_addr).expect("nonce"),
        );
        if now != last {
            last = now;
            quiet_since = Instant::now();
        } else if quiet_since.elapsed() > Duration::from_secs(8) {
            probe.anvil_advance(1, 3601).expect("time passes");
            quiet_since = Instant::now();
        }
    }
    // The bridge refuses the wrong output.
    let fin = RollupBridge::finalizeCall {
        claimed: theft.root().into(),
        final_: run.end(),
        n: U256::from(run.steps()),
        k: U256::from(DEFAULT_K),
    };
    let r = probe
        .call(liar_addr, bridge, fin.abi_encode().into())
        .expect("call");
    assert!(!r.success, "the bridge finalizes only True outputs");
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(
        text.contains("\"learned\"") && text.contains("the claimed root is wrong"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("\"challenged\"") && l.contains("witness mips_step(")),
        "the bisection ended in one MIPS step checked on chain: {text}"
    );
    eventually("the honest watcher has collected", || {
        attached.credit(honest_addr).expect("credit").is_zero()
            && probe.balance(honest_addr).expect("balance") > honest_start
    });
    println!(
        "rollup output dispute over RPC: {} steps, liar {} tx, watcher {} tx, {:.1} s",
        run.steps(),
        probe.transaction_count(liar_addr).expect("nonce"),
        probe.transaction_count(honest_addr).expect("nonce"),
        started.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The node restarted mid-game: after Bob's watcher challenged the stale exit, anvil is stopped
/// (its state dumped) and, a few seconds later, started again from that state on the same port.
/// The watcher keeps running through the outage — it logs failing rounds and retries, it does
/// not exit — and finishes the game once the window passes: the exit is False, Bob collected,
/// and he sent exactly three transactions (challenge, settleChain, withdraw: nothing twice).
#[test]
fn watcher_rides_out_a_node_restart() {
    let dir = scratch("restart");
    let state = dir.join("anvil-state.json");
    let st = state.to_string_lossy().to_string();
    let anvil = Anvil::start_with(None, &["--dump-state", &st]);
    let (port, keys) = (anvil.port(), anvil.keys.clone());
    let (_, f, d) = deployed(&anvil, "restart");
    alice_claims_her_stale_exit(&anvil, &f, &keys[1]);
    let bob_addr = anvil.address(2);
    let log = dir.join("bob.log");
    let mut bob = watch_with(
        &anvil,
        &keys[2],
        &channel_args(&f, "examples/channel/bob_later.json"),
        &log,
    );
    let mut probe = anvil.chain(&[0]);
    eventually("Bob's watcher challenges", || {
        probe.transaction_count(bob_addr).expect("nonce") >= 1
    });
    anvil.stop();
    assert!(state.exists(), "anvil dumped its state");
    // Longer than the client's own retries (`RETRIES`, 6.2 s): whole rounds fail.
    std::thread::sleep(Duration::from_secs(8));
    assert!(
        bob.0.try_wait().expect("wait").is_none(),
        "the watcher is still running while the node is down"
    );
    let anvil = Anvil::start_with(Some(port), &["--load-state", &st]);
    let mut probe = anvil.chain(&[0]);
    assert_eq!(probe.transaction_count(bob_addr).expect("nonce"), 1);
    probe.anvil_advance(1, 3601).expect("time passes");
    let mut attached = Dispute::attach(anvil.chain(&[0]), &d).expect("attaches");
    let exit = alice_exit_id();
    eventually("the exit is False and Bob has collected", || {
        attached.status(exit).expect("status") == Status::False
            && attached.credit(bob_addr).expect("credit").is_zero()
            && probe.transaction_count(bob_addr).expect("nonce") >= 3
    });
    std::thread::sleep(Duration::from_millis(1_000));
    assert_eq!(probe.transaction_count(bob_addr).expect("nonce"), 3);
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(
        text.contains("\"error\"") && text.contains("retrying in"),
        "the outage was logged: {text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A true reorg under the running watcher (`anvil_reorg`): the blocks after Alice's claim —
/// Bob's challenge among them — are replaced by as many empty blocks, so the chain is as long
/// as before but the challenge is gone. The watcher (re-reading its confirmation depth every
/// round, asking the contract before every move) challenges again, and the exit ends False.
/// Anvil mines a block every second here, so transactions can wait for two confirmations.
#[test]
fn watcher_challenges_again_after_anvil_reorg() {
    let anvil = Anvil::start_with(None, &["--block-time", "1"]);
    let (dir, f, d) = deployed(&anvil, "anvil-reorg");
    alice_claims_her_stale_exit(&anvil, &f, &anvil.keys[1]);
    let mut probe = anvil.chain(&[0]);
    let claimed_at = probe.block_number().expect("block");
    let bob_addr = anvil.address(2);
    let log = dir.join("bob.log");
    let args = [
        &channel_args(&f, "examples/channel/bob_later.json")[..],
        &["--confirmations", "2"],
    ]
    .concat();
    let _bob = watch_with(&anvil, &anvil.keys[2], &args, &log);
    let mut attached = Dispute::attach(anvil.chain(&[0]), &d).expect("attaches");
    let exit = alice_exit_id();
    let challenged = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .matches("\"challenged\"")
            .count()
    };
    eventually("Bob's watcher challenges", || challenged() >= 1);
    let before = probe.block_number().expect("block");
    probe.anvil_reorg(before - claimed_at).expect("anvil_reorg");
    assert_eq!(
        probe.block_number().expect("block"),
        before,
        "as long as before"
    );
    eventually("the watcher challenges again", || challenged() >= 2);
    eventually("the challenge is on the new chain", || {
        probe.transaction_count(bob_addr).expect("nonce") >= 1
    });
    probe.anvil_advance(1, 3601).expect("time passes");
    eventually("the exit is False", || {
        attached.status(exit).expect("status") == Status::False
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every move two watchers made, as `(who, kind, claim, gas)`, the exit's final status, and
/// the claims each watcher still looks at once the game is over and buried.
type Played = (
    Vec<(&'static str, &'static str, alloy_primitives::B256, u64)>,
    Status,
    (usize, usize),
);

/// Alice claims her stale exit; her watcher and Bob's then take turns (Alice's first) until
/// neither moves; the window passes (`advance`) once; they go on until neither moves twice.
fn two_watchers<'p, B: Backend>(
    mut alice: ogs::dispute::watch::Watcher<'p, B>,
    mut bob: ogs::dispute::watch::Watcher<'p, B>,
    alice_addr: Address,
    exit: &ogs::logic::Claim,
    mut advance: impl FnMut(),
) -> Played {
    let gas = alice
        .dispute()
        .claim(alice_addr, exit)
        .expect("claim")
        .gas_used;
    let mut moves = vec![("alice", "claim", exit.id(), gas)];
    let (mut quiet, mut advanced) = (0, false);
    for _ in 0..40 {
        let mut moved = false;
        for (name, w) in [("alice", &mut alice), ("bob", &mut bob)] {
            for e in w.step().expect("a round") {
                if let Some(g) = e.gas {
                    moves.push((name, e.kind, e.claim, g));
                    moved = true;
                }
            }
        }
        quiet = if moved { 0 } else { quiet + 1 };
        if quiet == 1 && !advanced {
            advance();
            advanced = true;
        } else if quiet >= 2 && advanced {
            break;
        }
    }
    let status = alice.dispute().status(exit.id()).expect("status");
    // One block later every claim is over and buried: neither watcher looks at any.
    advance();
    for w in [&mut alice, &mut bob] {
        assert!(w.step().expect("a round").iter().all(|e| e.gas.is_none()));
    }
    (moves, status, (alice.active(), bob.active()))
}

/// The README's channel dispute played by two watchers — Alice's from her information (she
/// believes her exit), Bob's from his (he holds the later update) — over JSON-RPC against
/// anvil and on the embedded EVM, the same watcher code on both: the same moves in the same
/// order, the same gas for every transaction, the same outcome (the exit False). With one step
/// per move, Alice's watcher disputes Bob's counter-claim and the game waits out the window;
/// with path moves (the default), Bob's one move goes through Alice's forced reply and posts
/// the later update's witness claim, True at once, so the exit is False at once. Once the game
/// is over and a block deep, neither watcher looks at its claims any more.
#[test]
fn two_watchers_play_the_readme_dispute_alike_over_rpc_and_embedded() {
    use ogs::dispute::watch::Watcher;
    use std::cell::RefCell;
    use std::rc::Rc;
    let p = exit_program();
    let info = channel_info;
    let exit = p.compile_claim("alice_exit()").expect("compiles");
    let anvil = Anvil::start();
    let (alice, bob) = (anvil.address(1), anvil.address(2));
    let mut runs = Vec::new();
    for paths in [false, true] {
        let (dir, _, d) = deployed_in(&anvil, scratch(&format!("two-watchers-{paths}")), &[]);
        let mut probe = anvil.chain(&[0]);
        let on_node = two_watchers(
            Watcher::new(
                Dispute::attach(anvil.chain(&[1]), &d).expect("attaches"),
                &p,
                info("alice.json"),
                alice,
                d.deploy_block,
                1,
            )
            .with_paths(paths),
            Watcher::new(
                Dispute::attach(anvil.chain(&[2]), &d).expect("attaches"),
                &p,
                info("bob_later.json"),
                bob,
                d.deploy_block,
                1,
            )
            .with_paths(paths),
            alice,
            &exit,
            || probe.anvil_advance(1, 3601).expect("time passes"),
        );

        let chain = Rc::new(RefCell::new(ogs::chain::Chain::new()));
        let plan = ogs::systems::deploy_plan(&ogs::systems::standard());
        let deployer = Address::repeat_byte(0xd0);
        let mut embedded =
            Dispute::deploy_on(chain.clone(), deployer, &plan, d.bond, d.window).expect("deploys");
        let local_d = embedded.deployment(0).expect("deployment");
        for a in [alice, bob] {
            chain
                .borrow_mut()
                .set_balance(a, U256::from(10u128.pow(21)));
        }
        let embedded_run = two_watchers(
            Watcher::new(
                Dispute::attach(chain.clone(), &local_d).expect("attaches"),
                &p,
                info("alice.json"),
                alice,
                0,
                1,
            )
            .with_paths(paths),
            Watcher::new(
                Dispute::attach(chain.clone(), &local_d).expect("attaches"),
                &p,
                info("bob_later.json"),
                bob,
                0,
                1,
            )
            .with_paths(paths),
            alice,
            &exit,
            || chain.borrow_mut().advance(1, 3601),
        );
        assert_eq!(
            on_node.1,
            Status::False,
            "the stale exit is False: {on_node:#?}"
        );
        let alice_disputes = on_node
            .0
            .iter()
            .any(|m| m.0 == "alice" && m.1 == "challenged");
        assert_eq!(
            alice_disputes, !paths,
            "Alice's watcher disputes Bob's counter-claim only when it is not skipped: {on_node:#?}"
        );
        assert_eq!(on_node.2, (0, 0), "finished games are retired");
        assert_eq!(on_node, embedded_run, "same moves, gas and outcome");
        println!("two watchers over RPC (paths: {paths}): {:#?}", on_node.0);
        runs.push(on_node.0.len());
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        runs[1] < runs[0],
        "path moves take fewer transactions: {runs:?}"
    );
}
