//! The scenario corpus (`tests/scenarios/*.toml`): each runs block by block on
//! the embedded EVM; the transcripts are pinned with insta snapshots, and every
//! run keeps the contract's books: it holds exactly the bonds of claims that
//! are still undecided.

use ogs::dispute::scenario::run_file;
use std::path::PathBuf;

fn scenarios() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("tests/scenarios")
        .expect("tests/scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_scenario_runs_and_its_transcript_is_pinned() {
    let files = scenarios();
    assert!(files.len() >= 14, "only {} scenarios", files.len());
    for f in files {
        let out = run_file(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let undecided = out
            .claims
            .iter()
            .filter(|c| c.status == "Undecided")
            .count() as u128;
        let held: u128 = out.contract_holds.parse().expect("decimal");
        let bond: u128 = out.bond.parse().expect("decimal");
        assert_eq!(
            held,
            undecided * bond,
            "{}: the contract holds bonds of decided claims",
            f.display()
        );
        // No wei created or lost between the parties and the contract.
        let net: i128 = out
            .balances
            .iter()
            .map(|(_, d)| d.parse::<i128>().expect("signed decimal"))
            .sum::<i128>()
            + held as i128;
        assert_eq!(net, 0, "{}: wei created or lost", f.display());
        // With fees (SEMANTICS.md §4.7), an honest party that defeated false claims ends with
        // no loss, its fees included.
        let (spec, _) = ogs::dispute::scenario::load(&f).expect("loads");
        if spec.gas_price.is_some() {
            for p in spec
                .parties
                .iter()
                .filter(|p| p.strategy == ogs::dispute::scenario::Strategy::Honest)
            {
                let (_, d) = out
                    .balances
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .expect("balance");
                assert!(
                    !d.starts_with('-'),
                    "{}: honest {} ends with {d} wei",
                    f.display(),
                    p.name
                );
            }
        }
        // The graph and the JSON form render.
        assert!(out.dot().starts_with("digraph dispute {"));
        serde_json::to_string(&out).expect("serializes");
        let name = f
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        insta::with_settings!({ snapshot_path => "scenarios/snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, out.text());
        });
    }
}

/// The rollup scenarios end as their comments say: the theft is refused by the bridge and
/// the right output is finalized and paid out, whoever lies.
#[test]
fn rollup_scenarios_finalize_only_the_right_output() {
    for (file, liar) in [
        ("tests/scenarios/rollup_lying_proposer.toml", "mallory"),
        ("tests/scenarios/rollup_honest_proposer.toml", "bob"),
    ] {
        let out = run_file(std::path::Path::new(file)).expect("runs");
        let finals: Vec<&ogs::dispute::Entry> = out
            .transcript
            .iter()
            .filter(|e| e.call.starts_with("finalize output"))
            .collect();
        assert!(
            finals.iter().any(|e| e.outcome == "ok"),
            "{file}: nothing finalized"
        );
        for e in &finals {
            assert_eq!(
                e.outcome == "ok",
                e.actor != liar,
                "{file}: {} → {}",
                e.call,
                e.outcome
            );
        }
        let step = out.transcript.iter().find(|e| {
            e.call.contains("witness mips_step(") && e.actor != liar && e.outcome == "ok"
        });
        assert!(step.is_some(), "{file}: no MIPS step proven on chain");
        assert!(out
            .transcript
            .iter()
            .any(|e| e.call == "withdraw" && e.actor == "user" && e.outcome == "ok"));
        let liar_change = &out
            .balances
            .iter()
            .find(|(n, _)| n == liar)
            .expect("liar")
            .1;
        assert!(
            liar_change.starts_with('-'),
            "{file}: the liar gained {liar_change}"
        );
    }
}

/// A timeline entry does exactly one thing: none or two actions are refused, naming the entry.
#[test]
fn a_step_with_no_action_or_two_is_refused_with_its_place() {
    let head =
        "name = \"x\"\nsource = \"a.ogs\"\nwindow = 1\nblocks = 1\n[[party]]\nname = \"p\"\n";
    for (body, want) in [
        ("[[action]]\nblock = 3\nparty = \"p\"\n", "it has none"),
        (
            "[[action]]\nblock = 3\nparty = \"p\"\nclaim = \"a\"\nnegation = \"b\"\n",
            "it has claim, negation",
        ),
        (
            "[[action]]\nblock = 3\nparty = \"p\"\nclaimm = \"a\"\n",
            "unknown variant `claimm`",
        ),
    ] {
        let e = toml::from_str::<ogs::dispute::scenario::ScenarioSpec>(&format!("{head}{body}"))
            .expect_err("refused");
        let e = e.to_string();
        assert!(e.contains(want), "{e}");
        assert!(e.contains("block 3") && e.contains("`p`"), "{e}");
    }
}
