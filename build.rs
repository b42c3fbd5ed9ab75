//! Embeds every committed contract artifact (`contracts/artifacts/*.json`, except
//! `build-info.json`) as `(contract name, artifact JSON)`, so adding a contract needs no Rust
//! list to be edited: `src/chain/artifacts.rs` includes the generated table.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/artifacts");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("contracts/artifacts")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let stem = name.strip_suffix(".json")?.to_string();
            (stem != "build-info").then_some(stem)
        })
        .collect();
    names.sort();
    let mut out = String::from("/// Every committed artifact: `(contract name, artifact JSON)`, by name.\npub const ALL: &[(&str, &str)] = &[\n");
    for n in &names {
        let path = dir.join(format!("{n}.json"));
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("artifacts.rs");
    std::fs::write(dest, out).expect("write artifacts.rs");
}
