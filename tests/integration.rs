//! Every integration test, in one binary: linking revm into 24 binaries was most of the test
//! build time. Each file under `tests/` is one module here, as it was one binary before;
//! `asm` (a MIPS assembler for the VM tests) and `onchain` (calling registered contracts
//! directly) are shared by several.

#[path = "fpvm_asm.rs"]
mod asm;
#[path = "common/onchain.rs"]
mod onchain;

#[path = "architecture.rs"]
mod architecture;
#[path = "cli.rs"]
mod cli;
#[path = "dispute.rs"]
mod dispute;
#[path = "dispute_clock.rs"]
mod dispute_clock;
#[path = "dispute_diff.rs"]
mod dispute_diff;
#[path = "dispute_gas_cap.rs"]
mod dispute_gas_cap;
#[path = "dispute_holes.rs"]
mod dispute_holes;
#[path = "dispute_invariants.rs"]
mod dispute_invariants;
#[path = "fpvm_elf.rs"]
mod fpvm_elf;
#[path = "fpvm_guests.rs"]
mod fpvm_guests;
#[path = "fpvm_instructions.rs"]
mod fpvm_instructions;
#[path = "fpvm_memory.rs"]
mod fpvm_memory;
#[path = "fpvm_onchain.rs"]
mod fpvm_onchain;
#[path = "fpvm_state.rs"]
mod fpvm_state;
#[path = "fpvm_syscalls.rs"]
mod fpvm_syscalls;
#[path = "fpvm_witness.rs"]
mod fpvm_witness;
#[path = "honest_wins.rs"]
mod honest_wins;
#[path = "lang.rs"]
mod lang;
#[path = "logic.rs"]
mod logic;
#[path = "plasma.rs"]
mod plasma;
#[path = "proof_diversity.rs"]
mod proof_diversity;
#[path = "rollup.rs"]
mod rollup;
#[path = "rollup_e2e.rs"]
mod rollup_e2e;
#[path = "rollup_guest.rs"]
mod rollup_guest;
#[path = "rpc.rs"]
mod rpc;
#[path = "scenarios.rs"]
mod scenarios;
#[path = "trace_game.rs"]
mod trace_game;
