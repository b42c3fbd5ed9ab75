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
        assert_eq!(
            held,
            undecided * 10_000_000_000_000_000,
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
