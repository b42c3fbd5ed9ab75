//! The VM state as plain data: the 226-byte packed big-endian encoding and the state hash.
//!
//! Spec: `cannon-fault-proof-vm.md` § State and § State Hash.

use sha3::{Digest, Keccak256};
use thiserror::Error;

/// Number of general-purpose registers.
pub const NUM_REGISTERS: usize = 32;

/// Byte offset of `memRoot` (32 bytes) in the encoding.
pub const MEM_ROOT_OFFSET: usize = 0;
/// Byte offset of `preimageKey` (32 bytes).
pub const PREIMAGE_KEY_OFFSET: usize = MEM_ROOT_OFFSET + 32;
/// Byte offset of `preimageOffset` (u32).
pub const PREIMAGE_OFFSET_OFFSET: usize = PREIMAGE_KEY_OFFSET + 32;
/// Byte offset of `pc` (u32).
pub const PC_OFFSET: usize = PREIMAGE_OFFSET_OFFSET + 4;
/// Byte offset of `nextPC` (u32).
pub const NEXT_PC_OFFSET: usize = PC_OFFSET + 4;
/// Byte offset of `lo` (u32).
pub const LO_OFFSET: usize = NEXT_PC_OFFSET + 4;
/// Byte offset of `hi` (u32).
pub const HI_OFFSET: usize = LO_OFFSET + 4;
/// Byte offset of `heap` (u32).
pub const HEAP_OFFSET: usize = HI_OFFSET + 4;
/// Byte offset of `exitCode` (u8).
pub const EXIT_CODE_OFFSET: usize = HEAP_OFFSET + 4;
/// Byte offset of `exited` (u8, 0 or 1).
pub const EXITED_OFFSET: usize = EXIT_CODE_OFFSET + 1;
/// Byte offset of `step` (u64).
pub const STEP_OFFSET: usize = EXITED_OFFSET + 1;
/// Byte offset of `registers` (32 × u32).
pub const REGISTERS_OFFSET: usize = STEP_OFFSET + 8;
/// Size of the packed state: 32 + 32 + 6·4 + 1 + 1 + 8 + 32·4 = 226 bytes.
pub const STATE_SIZE: usize = REGISTERS_OFFSET + 4 * NUM_REGISTERS;

const _: () = assert!(STATE_SIZE == 226);

/// VM status, stored in the top byte of the state hash (docs/fpvm.md § State Hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum VmStatus {
    /// Exited with code 0.
    Valid = 0,
    /// Exited with code 1.
    Invalid = 1,
    /// Exited with any other code.
    Panic = 2,
    /// Still running.
    Unfinished = 3,
}

impl VmStatus {
    /// The status of a state with these `exited` / `exitCode` fields.
    pub fn from_exit(exited: bool, exit_code: u8) -> Self {
        match (exited, exit_code) {
            (false, _) => VmStatus::Unfinished,
            (true, 0) => VmStatus::Valid,
            (true, 1) => VmStatus::Invalid,
            (true, _) => VmStatus::Panic,
        }
    }

    /// Lower-case name, as printed by the CLI.
    pub fn name(self) -> &'static str {
        match self {
            VmStatus::Valid => "valid",
            VmStatus::Invalid => "invalid",
            VmStatus::Panic => "panic",
            VmStatus::Unfinished => "unfinished",
        }
    }
}

/// Why a byte string is not a VM state.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StateError {
    /// The encoding is not exactly [`STATE_SIZE`] bytes long.
    #[error("a VM state is {STATE_SIZE} bytes, got {0}")]
    WrongLength(usize),
    /// The `exited` byte is neither 0 nor 1.
    #[error("the exited byte must be 0 or 1, got {0}")]
    InvalidExited(u8),
}

/// The VM state of the single-threaded 32-bit Cannon VM (docs/fpvm.md § State).
///
/// `mem_root` is the Merkle root of memory; inside a running [`crate::fpvm::Vm`] the memory itself
/// lives in a [`crate::fpvm::Memory`] and this field is brought up to date on demand.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    /// Merkle root of memory.
    pub mem_root: [u8; 32],
    /// Key of the last requested pre-image (bytes written to fd 6 shift in at the end).
    pub preimage_key: [u8; 32],
    /// Read offset into `(8-byte length ‖ pre-image)`.
    pub preimage_offset: u32,
    /// Address of the instruction to run.
    pub pc: u32,
    /// Address of the instruction after it (differs from `pc + 4` in a delay slot).
    pub next_pc: u32,
    /// The LO special register.
    pub lo: u32,
    /// The HI special register.
    pub hi: u32,
    /// Base of the next `mmap` allocation.
    pub heap: u32,
    /// Exit code, meaningful once `exited`.
    pub exit_code: u8,
    /// Whether the program has exited.
    pub exited: bool,
    /// Number of steps executed.
    pub step: u64,
    /// General-purpose registers; `registers[0]` is always 0.
    pub registers: [u32; NUM_REGISTERS],
}

fn put_u32(out: &mut [u8; STATE_SIZE], at: usize, v: u32) {
    out[at..at + 4].copy_from_slice(&v.to_be_bytes());
}

fn get_u32(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_be_bytes(w)
}

impl State {
    /// The packed 226-byte big-endian encoding (the witness form of the state).
    pub fn encode(&self) -> [u8; STATE_SIZE] {
        let mut out = [0u8; STATE_SIZE];
        out[MEM_ROOT_OFFSET..MEM_ROOT_OFFSET + 32].copy_from_slice(&self.mem_root);
        out[PREIMAGE_KEY_OFFSET..PREIMAGE_KEY_OFFSET + 32].copy_from_slice(&self.preimage_key);
        put_u32(&mut out, PREIMAGE_OFFSET_OFFSET, self.preimage_offset);
        put_u32(&mut out, PC_OFFSET, self.pc);
        put_u32(&mut out, NEXT_PC_OFFSET, self.next_pc);
        put_u32(&mut out, LO_OFFSET, self.lo);
        put_u32(&mut out, HI_OFFSET, self.hi);
        put_u32(&mut out, HEAP_OFFSET, self.heap);
        out[EXIT_CODE_OFFSET] = self.exit_code;
        out[EXITED_OFFSET] = u8::from(self.exited);
        out[STEP_OFFSET..STEP_OFFSET + 8].copy_from_slice(&self.step.to_be_bytes());
        for (i, r) in self.registers.iter().enumerate() {
            put_u32(&mut out, REGISTERS_OFFSET + 4 * i, *r);
        }
        out
    }

    /// Parses the packed encoding; rejects a wrong length and an `exited` byte other than 0 or 1.
    pub fn decode(bytes: &[u8]) -> Result<State, StateError> {
        if bytes.len() != STATE_SIZE {
            return Err(StateError::WrongLength(bytes.len()));
        }
        let exited = match bytes[EXITED_OFFSET] {
            0 => false,
            1 => true,
            other => return Err(StateError::InvalidExited(other)),
        };
        let mut mem_root = [0u8; 32];
        mem_root.copy_from_slice(&bytes[MEM_ROOT_OFFSET..MEM_ROOT_OFFSET + 32]);
        let mut preimage_key = [0u8; 32];
        preimage_key.copy_from_slice(&bytes[PREIMAGE_KEY_OFFSET..PREIMAGE_KEY_OFFSET + 32]);
        let mut step = [0u8; 8];
        step.copy_from_slice(&bytes[STEP_OFFSET..STEP_OFFSET + 8]);
        let mut registers = [0u32; NUM_REGISTERS];
        for (i, r) in registers.iter_mut().enumerate() {
            *r = get_u32(bytes, REGISTERS_OFFSET + 4 * i);
        }
        Ok(State {
            mem_root,
            preimage_key,
            preimage_offset: get_u32(bytes, PREIMAGE_OFFSET_OFFSET),
            pc: get_u32(bytes, PC_OFFSET),
            next_pc: get_u32(bytes, NEXT_PC_OFFSET),
            lo: get_u32(bytes, LO_OFFSET),
            hi: get_u32(bytes, HI_OFFSET),
            heap: get_u32(bytes, HEAP_OFFSET),
            exit_code: bytes[EXIT_CODE_OFFSET],
            exited,
            step: u64::from_be_bytes(step),
            registers,
        })
    }

    /// The VM status derived from `exited` and `exit_code`.
    pub fn status(&self) -> VmStatus {
        VmStatus::from_exit(self.exited, self.exit_code)
    }

    /// `keccak256(encode())` with the top byte replaced by [`State::status`].
    pub fn state_hash(&self) -> [u8; 32] {
        state_hash_of(&self.encode())
    }
}

/// The state hash of an encoded state: keccak256 of the bytes with the top byte replaced by the
/// status derived from the `exited` / `exitCode` bytes (docs/fpvm.md § State Hash).
pub fn state_hash_of(encoded: &[u8; STATE_SIZE]) -> [u8; 32] {
    let mut h: [u8; 32] = Keccak256::digest(encoded).into();
    let status = VmStatus::from_exit(encoded[EXITED_OFFSET] != 0, encoded[EXIT_CODE_OFFSET]);
    h[0] = status as u8;
    h
}
