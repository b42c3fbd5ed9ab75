//! The architecture's rules, checked (ARCHITECTURE.md, "Invariants"): which module may import
//! which, one Rust file per on-chain verifier or quantifier, and the Rust registry equal to the
//! one deployed on chain.

use alloy_primitives::{keccak256, Address, Bytes, U256};
use alloy_sol_types::SolEvent;
use ogs::chain::dispute::Registry as RegistryContract;
use ogs::chain::{Backend, Chain, ChainError, Dispute, Receipt};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rust_files(dir: &str) -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())) {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(dir), &mut out);
    out.sort();
    out
}

/// Every `crate::<module>` a file names (in `use` lines and in paths).
fn crate_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `$crate::` in macros and `ogs::crate` never occur; a preceding letter means another
        // word (e.g. `mycrate::`), not ours.
        let before = text[..i].chars().last();
        if !name.is_empty() && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '$') {
            out.insert(name);
        }
    }
    out
}

/// The modules each layer may import (besides itself): dependencies point one way,
/// core (logic) ← lang, chain ← systems ← dispute ← cli, and the FPVM only below the rollup
/// system and the CLI.
#[test]
fn dependencies_point_one_way() {
    let allowed: &[(&str, &[&str])] = &[
        ("src/fpvm", &["fpvm"]),
        ("src/logic", &["logic"]),
        ("src/lang", &["lang", "logic"]),
        ("src/chain", &["chain", "logic"]),
        (
            "src/systems/rollup",
            &["systems", "chain", "lang", "logic", "fpvm"],
        ),
        ("src/systems", &["systems", "chain", "lang", "logic"]),
        (
            "src/dispute",
            &["dispute", "systems", "chain", "lang", "logic"],
        ),
    ];
    let mut bad = Vec::new();
    for f in rust_files("src") {
        let path = f.to_string_lossy().replace('\\', "/");
        let Some((_, ok)) = allowed
            .iter()
            .find(|(dir, _)| path.starts_with(&format!("{dir}/")))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&f).expect("read");
        for m in crate_modules(&text) {
            if !ok.contains(&m.as_str()) {
                bad.push(format!("{path} imports crate::{m}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the layering:\n{}",
        bad.join("\n")
    );
}

/// revm only in the embedded chain, `anyhow` only in the CLI.
#[test]
fn revm_stays_in_the_chain_and_anyhow_in_the_cli() {
    for f in rust_files("src") {
        let path = f.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&f).expect("read");
        if text.contains("revm::") {
            assert_eq!(path, "src/chain/evm.rs", "{path} uses revm");
        }
        if text.contains("anyhow") {
            assert!(path.starts_with("src/cli/"), "{path} uses anyhow");
        }
    }
}

fn snake(contract: &str) -> String {
    let mut s = String::new();
    for (i, c) in contract.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_lowercase());
    }
    s
}

/// Each registered verifier and quantifier has exactly one Rust file, named after its
/// Solidity contract and saying which contract it mirrors, and every verifier or quantifier
/// contract has a registered Rust twin.
#[test]
fn one_rust_file_per_onchain_verifier_and_quantifier() {
    let registry = ogs::systems::standard();
    let files = rust_files("src/systems");
    let mut contracts = BTreeSet::new();
    for e in registry.entries() {
        let kind = if e.is_verifier() {
            "verifiers"
        } else {
            "quantifiers"
        };
        let sol = format!("contracts/src/{kind}/{}.sol", e.contract());
        assert!(Path::new(&sol).exists(), "{}: no {sol}", e.name());
        let want = format!("/{kind}/{}.rs", snake(e.contract()));
        let found: Vec<&PathBuf> = files
            .iter()
            .filter(|f| f.to_string_lossy().replace('\\', "/").ends_with(&want))
            .collect();
        assert_eq!(found.len(), 1, "{}: Rust files {found:?}", e.name());
        let text = std::fs::read_to_string(found[0]).expect("read");
        assert!(
            text.contains(&format!("`{sol}`")),
            "{} does not name {sol}",
            found[0].display()
        );
        contracts.insert(format!("{kind}/{}", e.contract()));
    }
    for kind in ["verifiers", "quantifiers"] {
        for f in std::fs::read_dir(format!("contracts/src/{kind}")).expect("dir") {
            let name = f.expect("entry").file_name().to_string_lossy().to_string();
            let Some(c) = name.strip_suffix(".sol") else {
                continue;
            };
            let text =
                std::fs::read_to_string(format!("contracts/src/{kind}/{name}")).expect("read");
            if text.contains(&format!("library {c}")) {
                continue;
            }
            assert!(
                contracts.contains(&format!("{kind}/{c}")),
                "contracts/src/{kind}/{name} has no registered Rust twin"
            );
        }
    }
}

/// A backend that records every receipt: a second `Backend` implementation, and the way to
/// see what the deployment registered on chain.
struct Recorder {
    chain: Chain,
    receipts: Vec<Receipt>,
}

impl Backend for Recorder {
    fn chain_id(&self) -> u64 {
        self.chain.chain_id()
    }
    fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Bytes,
    ) -> Result<Receipt, ChainError> {
        let r = Backend::send(&mut self.chain, from, to, value, data)?;
        self.receipts.push(r.clone());
        Ok(r)
    }
    fn call(&mut self, from: Address, to: Address, data: Bytes) -> Result<Receipt, ChainError> {
        Backend::call(&mut self.chain, from, to, data)
    }
    fn deploy(
        &mut self,
        from: Address,
        code: Bytes,
        value: U256,
    ) -> Result<(Address, Receipt), ChainError> {
        Backend::deploy(&mut self.chain, from, code, value)
    }
    fn timestamp(&mut self) -> Result<u64, ChainError> {
        Backend::timestamp(&mut self.chain)
    }
    fn block_number(&mut self) -> Result<u64, ChainError> {
        Backend::block_number(&mut self.chain)
    }
    fn balance(&mut self, addr: Address) -> Result<U256, ChainError> {
        Backend::balance(&mut self.chain, addr)
    }
    fn code(&mut self, addr: Address) -> Result<Bytes, ChainError> {
        Backend::code(&mut self.chain, addr)
    }
    fn logs(
        &mut self,
        address: Address,
        from: u64,
        to: u64,
    ) -> Result<Vec<ogs::chain::Emitted>, ChainError> {
        Backend::logs(&mut self.chain, address, from, to)
    }
}

/// The names registered on chain by the deployment are exactly the Rust registry's, each
/// verifier as a verifier and each quantifier as a quantifier, at the address of its contract.
#[test]
fn the_deployed_registry_holds_the_rust_registry() {
    let registry = ogs::systems::standard();
    let mut chain = Chain::new();
    let deployer = Address::repeat_byte(0xde);
    chain.set_balance(deployer, U256::from(10u128.pow(24)));
    let rec = Recorder {
        chain,
        receipts: Vec::new(),
    };
    let plan = ogs::systems::deploy_plan(&registry);
    let d = Dispute::deploy_on(rec, deployer, &plan, U256::from(1), 60).expect("deploys");
    let mut onchain = BTreeSet::new();
    for r in &d.chain.receipts {
        for log in &r.logs {
            if let Ok(e) = RegistryContract::VerifierRegistered::decode_log_data(&log.data) {
                assert_eq!(e.id, keccak256(e.name.as_bytes()));
                onchain.insert((e.name.clone(), true, e.implementation));
            }
            if let Ok(e) = RegistryContract::QuantifierRegistered::decode_log_data(&log.data) {
                assert_eq!(e.id, keccak256(e.name.as_bytes()));
                onchain.insert((e.name.clone(), false, e.implementation));
            }
        }
    }
    let rust: BTreeSet<(String, bool, Address)> = registry
        .entries()
        .map(|e| {
            let at = d.address_of(e.contract()).expect("deployed");
            (e.name().to_string(), e.is_verifier(), at)
        })
        .collect();
    assert_eq!(onchain, rust);
    assert_eq!(rust.len(), 22, "every built-in verifier and quantifier");
}

/// A registry with only `eq` deploys `eq` and the dispute contract — no MIPS, whose system is
/// not used — and a plan that names a missing constructor argument is refused with its name.
#[test]
fn deploy_plans_hold_only_what_the_registry_uses_and_refuse_missing_arguments() {
    use ogs::chain::dispute::{Deploy, DeployPlan, DisputeError};
    let mut registry = ogs::logic::Registry::empty();
    for e in ogs::systems::standard().entries() {
        if e.name() == "eq" {
            if let ogs::logic::registry::Entry::Verifier(v) = e {
                registry.add_verifier(v);
            }
        }
    }
    let plan = ogs::systems::deploy_plan(&registry);
    assert_eq!(
        plan.0,
        vec![
            Deploy::Registered {
                name: "eq",
                contract: "Eq",
                verifier: true,
                args: vec![]
            },
            Deploy::Dispute,
        ]
    );
    let bad = DeployPlan(vec![Deploy::Support {
        contract: "MIPS",
        args: vec!["PreimageOracle"],
    }]);
    match Dispute::deploy(&bad, U256::from(1), 60) {
        Err(DisputeError::Plan(why)) => assert!(why.contains("PreimageOracle"), "{why}"),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a plan without its dependency deployed"),
    }
}

/// Inside the core, modules do not import each other in a cycle (a cycle there once tied
/// local information, the registry and the VM traces together).
#[test]
fn the_core_modules_form_no_cycle() {
    let mut edges: Vec<(String, String)> = Vec::new();
    let mut nodes = BTreeSet::new();
    for f in rust_files("src/logic") {
        let name = f.file_stem().expect("stem").to_string_lossy().to_string();
        if name == "mod" {
            continue;
        }
        nodes.insert(name.clone());
        let text = std::fs::read_to_string(&f).expect("read");
        for prefix in ["super::", "crate::logic::"] {
            for (i, _) in text.match_indices(prefix) {
                let to: String = text[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !to.is_empty() && to != name {
                    edges.push((name.clone(), to));
                }
            }
        }
    }
    edges.retain(|(_, to)| nodes.contains(to));
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        edges: &[(String, String)],
        state: &mut std::collections::BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let at = path.iter().position(|p| p == n).unwrap_or(0);
                let mut cycle = path[at..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for (_, to) in edges.iter().filter(|(from, _)| from == n) {
            if let Some(c) = visit(to, edges, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = std::collections::BTreeMap::new();
    for n in &nodes {
        let cycle = visit(n, &edges, &mut state, &mut Vec::new());
        assert!(cycle.is_none(), "import cycle in src/logic: {cycle:?}");
    }
    assert!(nodes.contains("local") && nodes.contains("registry"));
}

/// Every test ARCHITECTURE.md names as the backing of an invariant exists (`module::name`, or
/// `module::prefix*` for a family), so the document cannot cite a test that is gone.
#[test]
fn architecture_md_cites_tests_that_exist() {
    let doc = std::fs::read_to_string("ARCHITECTURE.md").expect("ARCHITECTURE.md");
    let mut cited = 0;
    for (i, _) in doc.match_indices('`') {
        let rest = &doc[i + 1..];
        let Some(end) = rest.find('`') else { break };
        let quoted = &rest[..end];
        let Some((module, name)) = quoted.split_once("::") else {
            continue;
        };
        let path = format!("tests/{module}.rs");
        if name.contains("::")
            || !Path::new(&path).exists()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '*')
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let found = match name.strip_suffix('*') {
            Some(prefix) => text.contains(&format!("fn {prefix}")),
            None => text.contains(&format!("fn {name}(")),
        };
        assert!(
            found,
            "ARCHITECTURE.md cites `{quoted}`, which {path} does not define"
        );
        cited += 1;
    }
    assert!(cited >= 30, "only {cited} tests cited");
}

/// The registry tables of `grammar/README.md` list exactly the registered verifiers and
/// quantifiers, each with its parameters as `ogs registry` prints them.
#[test]
fn grammar_readme_lists_the_registry() {
    use ogs::logic::registry::ParamType;
    let doc = std::fs::read_to_string("grammar/README.md").expect("grammar/README.md");
    let rows: Vec<(String, String)> = doc
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let name = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let params = cells.get(2)?.strip_prefix('`')?.split('`').next()?;
            Some((name.to_string(), params.to_string()))
        })
        .collect();
    let sig = |ps: Vec<(&'static str, ParamType)>| {
        ps.iter()
            .map(|(n, t)| match t {
                ParamType::Is(t) => format!("{n}: {t}"),
                ParamType::Any => format!("{n}: any"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let registry = ogs::systems::standard();
    let mut want: Vec<(String, String)> = registry
        .verifiers()
        .map(|v| (v.name().to_string(), sig(v.params())))
        .chain(
            registry
                .quantifiers()
                .map(|q| (q.name().to_string(), sig(q.params()))),
        )
        .collect();
    want.sort();
    let mut got: Vec<(String, String)> = rows
        .into_iter()
        .filter(|(n, _)| registry.verifier(n).is_some() || registry.quantifier(n).is_some())
        .collect();
    got.sort();
    assert_eq!(got, want, "grammar/README.md's registry tables");
}
