//! Exceptions: steps for which the VM has no post-state.
//!
//! Spec: `cannon-fault-proof-vm.md` § Exceptions lists invalid instructions, pre-image reads
//! past the end and branches in delay slots; the rest are cases where Cannon's Go VM panics or
//! its on-chain `MIPS.sol` reverts (unaligned instruction fetch, division by zero) and where
//! the host cannot serve a pre-image.

use thiserror::Error;

/// A step that cannot be executed. The VM stays in the step's pre-state.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VmError {
    /// The word at `pc` is not an instruction of the supported set (see [`crate::fpvm::insn`]).
    #[error("invalid instruction {insn:#010x} at pc {pc:#010x}")]
    InvalidInstruction {
        /// Address of the instruction.
        pc: u32,
        /// The instruction word.
        insn: u32,
    },
    /// A branch or jump stands in the delay slot of another (`nextPC != pc + 4`).
    #[error(
        "branch or jump {insn:#010x} at pc {pc:#010x} is in a delay slot (nextPC {next_pc:#010x})"
    )]
    BranchInDelaySlot {
        /// Address of the branch.
        pc: u32,
        /// The pre-state `nextPC`.
        next_pc: u32,
        /// The instruction word.
        insn: u32,
    },
    /// The program counter is not 4-byte aligned (the on-chain memory read reverts).
    #[error("instruction fetch from unaligned pc {pc:#010x}")]
    UnalignedPc {
        /// The unaligned program counter.
        pc: u32,
    },
    /// `div` or `divu` with a zero divisor (the on-chain VM reverts).
    #[error("division by zero by instruction {insn:#010x} at pc {pc:#010x}")]
    DivisionByZero {
        /// Address of the instruction.
        pc: u32,
        /// The instruction word.
        insn: u32,
    },
    /// A read from the pre-image fd at an offset beyond `8 + len(pre-image)`.
    #[error(
        "pre-image read at offset {offset} past the end ({len} bytes with the length prefix) of key 0x{}",
        hex::encode(key)
    )]
    PreimageReadPastEnd {
        /// Address of the syscall.
        pc: u32,
        /// The pre-image key.
        key: [u8; 32],
        /// The read offset.
        offset: u32,
        /// Length of `(8-byte length ‖ pre-image)`.
        len: u64,
    },
    /// The host oracle does not know the requested pre-image.
    #[error(
        "missing pre-image for key 0x{} (read at pc {pc:#010x})",
        hex::encode(key)
    )]
    MissingPreimage {
        /// Address of the syscall.
        pc: u32,
        /// The pre-image key.
        key: [u8; 32],
    },
}

impl VmError {
    /// The program counter of the failing step.
    pub fn pc(&self) -> u32 {
        match self {
            VmError::InvalidInstruction { pc, .. }
            | VmError::BranchInDelaySlot { pc, .. }
            | VmError::UnalignedPc { pc }
            | VmError::DivisionByZero { pc, .. }
            | VmError::PreimageReadPastEnd { pc, .. }
            | VmError::MissingPreimage { pc, .. } => *pc,
        }
    }
}
