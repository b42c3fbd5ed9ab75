//! A complete state-channel dispute on the embedded EVM, printed as a transcript.
//!
//! ```sh
//! cargo run --release --example channel_dispute
//! ```
//!
//! Alice exits with update #5; Bob holds update #6 signed by both and answers with the
//! evaluator's counter-claim; after the window Alice's exit is False and her bond is Bob's.

use std::path::Path;

fn main() -> anyhow::Result<()> {
    let scenario = Path::new("tests/scenarios/channel_stale_exit.toml");
    let out = ogs::dispute::scenario::run_file(scenario)?;
    print!("{}", out.text());
    Ok(())
}
