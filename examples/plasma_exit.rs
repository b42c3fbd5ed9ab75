//! A plasma exit dispute on the embedded EVM, printed as a transcript.
//!
//! ```sh
//! cargo run --release --example plasma_exit
//! ```
//!
//! Alice deposits 2 ether into a `PlasmaChain` and pays Bob in block 2, then
//! exits her deposit anyway. Bob challenges the exit's `unspent` conjunct and
//! shows Alice's signature on the spend: the exit is False in the same block,
//! and `finalizeExit` refuses to pay it. Bob's own exit of the spend is True
//! after the window, and `PlasmaChain` pays him the coin.

use std::path::Path;

fn main() -> anyhow::Result<()> {
    // Found from any working directory.
    let scenario =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/plasma_spent_coin.toml");
    let out = ogs::dispute::scenario::run_file(&scenario)?;
    print!("{}", out.text());
    Ok(())
}
