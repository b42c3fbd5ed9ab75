//! The `ogs` binary as a user runs it: exit codes, messages, transcripts.

use std::process::{Command, Output};

fn ogs(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_ogs"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the ogs binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "ogs {args:?} panicked:\n{stderr}"
    );
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn snapshot(name: &str, body: &str) {
    insta::with_settings!({ snapshot_path => "cli/snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, body);
    });
}

const EXIT: &str = "examples/channel/exit.ogs";

#[test]
fn eval_channel_exit_true_transcript() {
    let out = ogs(&[
        "eval",
        EXIT,
        "--claim",
        "alice_exit()",
        "--info",
        "examples/channel/alice.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("verdict  TRUE"), "{t}");
    snapshot("eval_alice_true", &t);
}

#[test]
fn eval_channel_exit_false_prints_the_counter_claim() {
    let out = ogs(&[
        "eval",
        EXIT,
        "--claim",
        "alice_exit()",
        "--info",
        "examples/channel/bob_later.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("verdict  FALSE"), "{t}");
    assert!(
        t.contains("nonce: 6"),
        "the counter-example is update #6:\n{t}"
    );
    snapshot("eval_bob_later_false", &t);

    // The JSON form carries the same decision and a counter-claim that decodes.
    let out = ogs(&[
        "eval",
        EXIT,
        "--claim",
        "alice_exit()",
        "--info",
        "examples/channel/bob_later.json",
        "--json",
    ]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(j["verdict"], "false");
    let enc = j["challenge"]["counter"]["encoding"]
        .as_str()
        .expect("encoding");
    let id = j["challenge"]["counter"]["id"].as_str().expect("id");
    let bytes = hex::decode(enc.trim_start_matches("0x")).expect("hex");
    let claim = ogs::logic::Claim::decode(&bytes).expect("canonical");
    assert_eq!(format!("{:#x}", claim.id()), id);
    let out = ogs(&["decode", enc, "--with", EXIT]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains(id));
}

#[test]
fn eval_without_information_is_unknown() {
    let out = ogs(&["eval", EXIT, "--claim", "alice_exit()"]);
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out.stdout);
    assert!(t.contains("UNKNOWN") && t.contains("signatures of"), "{t}");
}

#[test]
fn encode_prints_bytes_and_id() {
    let out = ogs(&["encode", EXIT, "--claim", "alice_exit()", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let enc = j["encoding"].as_str().expect("encoding");
    let bytes = hex::decode(enc.trim_start_matches("0x")).expect("hex");
    assert_eq!(
        format!("{:#x}", alloy_primitives::keccak256(&bytes)),
        j["id"].as_str().expect("id")
    );
    let out = ogs(&["encode", EXIT, "--claim", "alice_exit()"]);
    assert!(text(&out.stdout).contains(j["id"].as_str().expect("id")));
}

#[test]
fn check_exit_codes() {
    let out = ogs(&[
        "check",
        "predicates/channel.ogs",
        "tests/lang/ok/plasma_exit.ogs",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = ogs(&["check", "tests/lang/fail/mixed_and_or.ogs"]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(
        e.contains("mixed_and_or.ogs:") && e.contains("help:"),
        "{e}"
    );
    let out = ogs(&["check", "no/such/file.ogs"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read no/such/file.ogs"));
}

#[test]
fn bad_input_is_a_clear_error_with_exit_1() {
    // Claim text with an error: the diagnostic points into the --claim text.
    let out = ogs(&["eval", EXIT, "--claim", "alice_exit(1)"]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(
        e.contains("<claim>") && e.contains("takes 0 arguments"),
        "{e}"
    );
    let out = ogs(&["eval", EXIT, "--claim", "alice_exit() and"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("expected a formula"));
    // Malformed local information: the place is named.
    let dir = std::env::temp_dir().join(format!("ogs-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad_json = dir.join("bad.json");
    std::fs::write(&bad_json, "{ \"channels\": [ { \"id\": 5 } ] }").expect("write");
    let out = ogs(&[
        "eval",
        EXIT,
        "--claim",
        "alice_exit()",
        "--info",
        bad_json.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(e.contains("bad.json") && e.contains("line 1"), "{e}");
    // A forged signature in local information: named by its JSON path.
    let good = std::fs::read_to_string("examples/channel/alice.json").expect("example");
    let j: serde_json::Value = serde_json::from_str(&good).expect("json");
    let sig = j["channels"][0]["updates"][2]["signatures"][1]
        .as_str()
        .expect("sig")
        .to_string();
    let mut forged = sig.clone();
    forged.replace_range(10..12, if &sig[10..12] == "00" { "01" } else { "00" });
    let forged_json = dir.join("forged.json");
    std::fs::write(&forged_json, good.replace(&sig, &forged)).expect("write");
    let out = ogs(&[
        "eval",
        EXIT,
        "--claim",
        "alice_exit()",
        "--info",
        forged_json.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(e.contains("channels[0].updates[2].signatures[1]"), "{e}");
    // Malformed claim bytes for decode.
    let out = ogs(&["decode", "0x1234"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("malformed claim encoding"));
    let out = ogs(&["decode", "zz"]);
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_command_has_help() {
    for cmd in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["eval", "--help"],
        vec!["encode", "--help"],
        vec!["decode", "--help"],
        vec!["fmt", "--help"],
        vec!["registry", "--help"],
        vec!["mips", "--help"],
        vec!["mips", "run", "--help"],
        vec!["mips", "witness", "--help"],
        vec!["mips", "check", "--help"],
        vec!["mips", "bench", "--help"],
        vec!["rollup", "--help"],
        vec!["trace-report", "--help"],
    ] {
        let out = ogs(&cmd);
        assert_eq!(out.status.code(), Some(0), "{cmd:?}");
        assert!(text(&out.stdout).contains("Usage:"), "{cmd:?}");
    }
}

#[test]
fn fmt_output_parses_to_the_same_tree() {
    let out = ogs(&["fmt", "tests/lang/ok/plasma_exit.ogs"]);
    assert_eq!(out.status.code(), Some(0));
    let printed = text(&out.stdout);
    let original = std::fs::read_to_string("tests/lang/ok/plasma_exit.ogs").expect("read");
    let (a, da) = ogs::lang::parser::parse_file(&original, 0);
    let (b, db) = ogs::lang::parser::parse_file(&printed, 0);
    assert!(da.is_empty() && db.is_empty());
    assert_eq!(a, b);
}

#[test]
fn rollup_dispute_summary() {
    let out = ogs(&[
        "rollup",
        "--summary",
        "--accounts",
        "4",
        "--transfers",
        "4",
        "--lie-from",
        "1000",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("output claim True"), "{s}");
    assert!(s.contains("1 accepted / 0 refused"), "{s}");
    assert!(s.contains("bridge finalized the right root: true"), "{s}");
    let bad = ogs(&["rollup", "--proposer", "sometimes"]);
    assert_eq!(bad.status.code(), Some(2), "clap rejects an unknown side");
    // k chosen on the command line, one step per move: the same verdict, more levels.
    let out = ogs(&[
        "rollup",
        "--summary",
        "--accounts",
        "4",
        "--transfers",
        "4",
        "--k",
        "4",
        "--one-step-moves",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("output claim True"),
        "{}",
        text(&out.stdout)
    );
    for (args, says) in [
        (
            vec!["rollup", "--k", "1"],
            "--k 1: a split has 2 to 256 segments",
        ),
        (
            vec!["trace-report", "--k", "300"],
            "--k 300: a split has 2 to 256 segments",
        ),
        (
            vec!["trace-report", "--log-steps", "31"],
            "--log-steps 31: the guest runs",
        ),
    ] {
        let bad = ogs(&args);
        assert_eq!(bad.status.code(), Some(1), "{args:?}");
        assert!(
            text(&bad.stderr).contains(says),
            "{args:?}: {}",
            text(&bad.stderr)
        );
    }
}

/// `ogs trace-report` plays the games it is asked for and prints their table.
#[test]
fn trace_report_prints_played_games() {
    let out = ogs(&["trace-report", "--log-steps", "8", "--k", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    // 256 steps in 4 levels of 4 segments each.
    assert!(s.contains("| 2^8 | 4 | 4 |"), "{s}");
    assert!(s.contains("## Off-chain time"), "{s}");
}

/// The issue's example `def cyc(x) := forall i in below(2): cyc(i)` (whose evaluation used
/// to run forever) is refused by `ogs check` and `ogs eval` with the descent rule's
/// diagnostic; `--max-steps` bounds the work of a large claim and is named when reached.
#[test]
fn eval_of_a_cycle_ends_and_names_it() {
    let dir = std::env::temp_dir().join(format!("ogs-cli-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let cyc = dir.join("cyc.ogs");
    std::fs::write(
        &cyc,
        "def cyc(x: uint256) := forall i in below(2): cyc(i)\n",
    )
    .expect("write");
    let wide = dir.join("wide.ogs");
    std::fs::write(
        &wide,
        "def wide(x: uint256) := forall i in below(60): forall j in below(60): lt(i, 100)\n",
    )
    .expect("write");
    let c = cyc.to_string_lossy().to_string();
    for args in [vec!["check", &c], vec!["eval", &c, "--claim", "cyc(0)"]] {
        let out = ogs(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let e = text(&out.stderr);
        assert!(
            e.contains("ogs::recursion") && e.contains("no parameter shrinks"),
            "{e}"
        );
    }
    let f = wide.to_string_lossy().to_string();
    let out = ogs(&["eval", &f, "--claim", "wide(0)", "--max-steps", "100"]);
    let o = text(&out.stdout);
    assert!(o.contains("within 100 evaluation steps"), "{o}");
    let out = ogs(&["eval", &f, "--claim", "wide(0)"]);
    assert!(text(&out.stdout).contains("TRUE"), "{}", text(&out.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `ogs deploy --rollup-genesis` checks the genesis file before it connects or sends anything:
/// each bad file is refused with the account and field it is about (no node is needed here).
#[test]
fn deploy_refuses_a_bad_genesis_before_sending() {
    let dir = std::env::temp_dir().join(format!("ogs-cli-genesis-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let a = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    let cases = [
        ("top-level array", "[]".to_string()),
        (
            "unknown field",
            r#"{"accounts": [], "chain": 1}"#.to_string(),
        ),
        ("no accounts", r#"{"accounts": []}"#.to_string()),
        (
            "hex balance",
            format!(r#"{{"accounts": [{{"address": "{a}", "balance": "0x10"}}]}}"#),
        ),
        (
            "negative balance",
            format!(r#"{{"accounts": [{{"address": "{a}", "balance": -1}}]}}"#),
        ),
        (
            "balance over 64 bits",
            format!(r#"{{"accounts": [{{"address": "{a}", "balance": "18446744073709551616"}}]}}"#),
        ),
        (
            "bad address",
            r#"{"accounts": [{"address": "0x1234", "balance": "1"}]}"#.to_string(),
        ),
        (
            "twice",
            format!(
                r#"{{"accounts": [{{"address": "{a}", "balance": "1"}}, {{"address": "{a}", "balance": "2"}}]}}"#
            ),
        ),
        (
            "withdrawn given",
            format!(r#"{{"accounts": [{{"address": "{a}", "balance": "1", "withdrawn": "1"}}]}}"#),
        ),
        ("not json", "{accounts".to_string()),
    ];
    let mut report = String::new();
    for (what, body) in cases {
        let file = dir.join("genesis.json");
        std::fs::write(&file, body).expect("write");
        let out = ogs(&[
            "deploy",
            "--rpc",
            "http://127.0.0.1:9",
            "--out",
            dir.join("d.json").to_str().expect("utf8"),
            "--rollup-genesis",
            file.to_str().expect("utf8"),
        ]);
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert!(!dir.join("d.json").exists(), "{what}: nothing written");
        let e = text(&out.stderr).replace(dir.to_str().expect("utf8"), "<dir>");
        report.push_str(&format!("{what}:\n{e}\n"));
    }
    snapshot("deploy_bad_genesis", &report);
    let _ = std::fs::remove_dir_all(&dir);
}
