//! The compiled contracts (`contracts/artifacts/`), embedded at build time by `build.rs`: no
//! Node is needed to build or test, and a new contract needs no entry here.

use serde::Deserialize;
use thiserror::Error;

include!(concat!(env!("OUT_DIR"), "/artifacts.rs"));

/// A committed artifact that is missing or unreadable.
#[derive(Debug, Error)]
#[error("artifact {name}: {why}")]
pub struct ArtifactError {
    /// The contract.
    pub name: String,
    /// What is wrong.
    pub why: String,
}

#[derive(Deserialize)]
struct Artifact {
    bytecode: String,
}

/// The artifact JSON of a contract.
pub fn json(name: &str) -> Result<&'static str, ArtifactError> {
    ALL.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, j)| *j)
        .ok_or_else(|| ArtifactError {
            name: name.into(),
            why: "not in contracts/artifacts".into(),
        })
}

/// Creation bytecode of a committed artifact.
pub fn bytecode(name: &str) -> Result<Vec<u8>, ArtifactError> {
    let err = |why: String| ArtifactError {
        name: name.into(),
        why,
    };
    let a: Artifact = serde_json::from_str(json(name)?).map_err(|e| err(e.to_string()))?;
    hex::decode(a.bytecode.trim_start_matches("0x")).map_err(|e| err(e.to_string()))
}

/// The name of a committed artifact as a `'static` string (for names read from files).
pub fn known_name(name: &str) -> Option<&'static str> {
    ALL.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}
