//! MIPS32 fault-proof VM, compatible with the single-threaded 32-bit Cannon VM of the OP Stack.
//!
//! The authoritative text is the OP Stack specification
//! [`specs/fault-proof/cannon-fault-proof-vm.md`](https://github.com/ethereum-optimism/specs/blob/1c3133d/specs/fault-proof/cannon-fault-proof-vm.md)
//! (commit `1c3133d`) plus
//! [`specs/fault-proof/index.md`](https://github.com/ethereum-optimism/specs/blob/1c3133d/specs/fault-proof/index.md#pre-image-oracle)
//! for the pre-image oracle. The same ELF gives the same state hashes, step after step, and the
//! same step witnesses as Cannon.
//!
//! This module depends on nothing else in the crate: no EVM, no claims.
//!
//! # Map
//! - [`state`]: the 226-byte VM state, its encoding and its hash.
//! - [`memory`]: paged memory with a cached depth-27 keccak Merkle tree, proofs and their
//!   stand-alone verification.
//! - [`insn`]: the one instruction decoder, shared by execution and the static checker.
//! - `exec` (private): one step of execution — `alu`, `branch`, `mem`, `hilo`, `syscall`.
//! - [`oracle`]: the host side of the pre-image oracle (traits, key types, an in-memory store).
//! - [`elf`]: the 32-bit big-endian MIPS ELF loader.
//! - [`vm`]: [`Vm`], the top-level API: fast mode ([`Vm::run`]) and one-step witnesses
//!   ([`Vm::step_with_witness`]).
//! - [`witness`]: [`StepWitness`] and [`Tracer`], which answers witnesses for arbitrary steps by
//!   replaying from periodic snapshots.
//! - [`check`]: static listing of the instructions and syscalls of an ELF the VM cannot run.
//!
//! # Quick start
//! ```no_run
//! use ogs::fpvm::{MemoryOracle, Vm};
//! let elf = std::fs::read("prog.elf").unwrap();
//! let mut vm = Vm::from_elf(&elf, MemoryOracle::new()).unwrap();
//! let outcome = vm.run(1_000_000_000).unwrap();
//! println!("exit code {:?}, stdout {:?}", outcome.exit_code, String::from_utf8_lossy(vm.stdout()));
//! println!("state hash 0x{}", hex::encode(vm.state_hash()));
//! ```
//!
//! # Invariants
//! - Execution never panics on any program, state or input: every fault is a [`VmError`].
//! - A step that fails leaves the VM in its pre-state (nothing is half-applied).
//! - Fast mode and witness mode run the same step function; only the bookkeeping differs.

pub mod check;
pub mod elf;
mod error;
mod exec;
pub mod insn;
pub mod memory;
mod oracle;
pub mod state;
pub mod vm;
mod witness;

pub use elf::{load_elf, ElfError, LoadedProgram};
pub use error::VmError;
pub use exec::syscall::{fd, nr};
pub use memory::{
    root_from_proof, root_with_leaf, verify_proof, zero_hashes, Memory, Proof, EMPTY_ROOT,
    PROOF_SIZE,
};
pub use oracle::{
    keccak256, keccak_key, local_key, localize_key, HintHandler, KeyType, MemoryOracle,
    PreimageKey, PreimageOracle,
};
pub use state::{State, StateError, VmStatus, STATE_SIZE};
pub use vm::{RunOutcome, Vm};
pub use witness::{PreimageWitness, StepWitness, Tracer};
