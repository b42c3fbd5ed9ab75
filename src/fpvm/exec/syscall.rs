//! Syscalls and file-descriptor I/O, including the pre-image and hint channels.
//!
//! Spec: `cannon-fault-proof-vm.md` § Syscalls and § I/O. The syscall number is in `$v0`,
//! arguments in `$a0..$a2`; the result goes to `$v0` and errno to `$a3`, and no other register
//! changes. Unsupported syscalls zero `$v0` and `$a3`. Pre-image I/O moves at most 4 bytes and
//! never crosses the 4-byte word of the buffer's first byte.

use super::super::error::VmError;
use super::super::memory::Memory;
use super::super::oracle::{HintHandler, PreimageKey, PreimageOracle};
use super::super::state::State;
use super::{advance, MemAccess};

/// o32 syscall numbers the VM implements.
pub mod nr {
    /// `read(fd, buf, count)`.
    pub(crate) const READ: u32 = 4003;
    /// `write(fd, buf, count)`.
    pub(crate) const WRITE: u32 = 4004;
    /// `brk`: returns the fixed program break.
    pub(crate) const BRK: u32 = 4045;
    /// `fcntl(fd, cmd)`.
    pub(crate) const FCNTL: u32 = 4055;
    /// `mmap(addr, len, ...)`.
    pub(crate) const MMAP: u32 = 4090;
    /// `clone`: returns 1.
    pub(crate) const CLONE: u32 = 4120;
    /// `exit_group(code)`.
    pub(crate) const EXIT_GROUP: u32 = 4246;
    /// Every syscall with an effect; any other number is a no-op returning 0.
    pub(crate) const SUPPORTED: &[u32] = &[READ, WRITE, BRK, FCNTL, MMAP, CLONE, EXIT_GROUP];
}

/// File descriptors (docs/fpvm.md § I/O).
pub mod fd {
    /// Standard input: reads return 0.
    pub(crate) const STDIN: u32 = 0;
    /// Standard output.
    pub(crate) const STDOUT: u32 = 1;
    /// Standard error.
    pub(crate) const STDERR: u32 = 2;
    /// Hint response (read-only).
    pub(crate) const HINT_READ: u32 = 3;
    /// Hint request (write-only).
    pub(crate) const HINT_WRITE: u32 = 4;
    /// Pre-image response (read-only).
    pub(crate) const PREIMAGE_READ: u32 = 5;
    /// Pre-image request (write-only).
    pub(crate) const PREIMAGE_WRITE: u32 = 6;
}

const REG_V0: usize = 2;
const REG_A0: usize = 4;
const REG_A1: usize = 5;
const REG_A2: usize = 6;
const REG_A3: usize = 7;

/// Error return value (`-1`).
const SYS_ERROR: u32 = u32::MAX;
/// errno: bad file descriptor.
pub(crate) const EBADF: u32 = 0x9;
/// errno: invalid argument.
pub(crate) const EINVAL: u32 = 0x16;
/// fcntl: get file descriptor flags.
const F_GETFD: u32 = 1;
/// fcntl: get file status flags.
const F_GETFL: u32 = 3;
/// Fixed program break returned by `brk`.
pub(crate) const PROGRAM_BREAK: u32 = 0x4000_0000;
/// mmap rounds sizes up to this page size.
const MMAP_PAGE_SIZE: u32 = 4096;
/// Length of the big-endian length prefix before a pre-image.
const PREIMAGE_LENGTH_PREFIX: usize = 8;
/// Largest pre-image part the oracle serves per read (a 32-byte word on-chain).
const PREIMAGE_PART: usize = 32;
/// Host-side cap on the bytes copied out of guest memory by one stdout/stderr/hint write (the
/// syscall still reports the full count; this only bounds host memory use).
const MAX_HOST_COPY: usize = 16 << 20;

/// The pre-image part a step read, for loading into the on-chain oracle before the step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PreimageRead {
    /// Key as the program wrote it (local keys are not localized).
    pub key: PreimageKey,
    /// The pre-image, without its length prefix.
    pub value: Vec<u8>,
    /// Offset into `(length prefix ‖ pre-image)` the step read at.
    pub offset: u32,
}

/// Host-side I/O state: captured output, buffered hints, the cached pre-image.
/// None of it is part of the VM state hash.
#[derive(Debug, Clone)]
pub(crate) struct IoState {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Maximum bytes kept per output stream.
    pub output_limit: usize,
    /// Hint bytes written but not yet forming a complete hint.
    pub hint_buf: Vec<u8>,
    /// The last pre-image fetched: key and `(8-byte length ‖ pre-image)`.
    pub preimage: Option<(PreimageKey, Vec<u8>)>,
    /// Whether to record [`IoState::last_read`] (witness mode).
    pub record_reads: bool,
    /// The pre-image part read by the last step, when recording.
    pub last_read: Option<PreimageRead>,
}

impl Default for IoState {
    fn default() -> Self {
        IoState {
            stdout: Vec::new(),
            stderr: Vec::new(),
            output_limit: 64 << 20,
            hint_buf: Vec::new(),
            preimage: None,
            record_reads: false,
            last_read: None,
        }
    }
}

impl IoState {
    /// `(8-byte length ‖ pre-image)` for `key`, fetched from the oracle on a key change.
    fn preimage<O: PreimageOracle>(
        &mut self,
        key: &PreimageKey,
        oracle: &mut O,
        pc: u32,
    ) -> Result<&[u8], VmError> {
        let cached = matches!(&self.preimage, Some((k, _)) if k == key);
        if !cached {
            let data = oracle
                .get_preimage(key)
                .ok_or(VmError::MissingPreimage { pc, key: *key })?;
            let mut framed = Vec::with_capacity(PREIMAGE_LENGTH_PREFIX + data.len());
            framed.extend_from_slice(&(data.len() as u64).to_be_bytes());
            framed.extend_from_slice(&data);
            self.preimage = Some((*key, framed));
        }
        Ok(self
            .preimage
            .as_ref()
            .map_or(&[][..], |(_, d)| d.as_slice()))
    }
}

fn capture(out: &mut Vec<u8>, limit: usize, memory: &Memory, addr: u32, count: u32) {
    let room = limit.saturating_sub(out.len());
    let n = (count as usize).min(room).min(MAX_HOST_COPY);
    out.extend(memory.read_bytes(addr, n));
}

/// Executes `syscall`; returns the data word it proved, if any.
pub(super) fn syscall<O: PreimageOracle + HintHandler>(
    st: &mut State,
    memory: &mut Memory,
    io: &mut IoState,
    oracle: &mut O,
) -> Result<Option<MemAccess>, VmError> {
    let number = st.registers[REG_V0];
    let a0 = st.registers[REG_A0];
    let a1 = st.registers[REG_A1];
    let a2 = st.registers[REG_A2];
    let mut access = None;
    let (v0, v1) = match number {
        nr::MMAP => {
            let mut size = a1;
            if size & (MMAP_PAGE_SIZE - 1) != 0 {
                size = size.wrapping_add(MMAP_PAGE_SIZE - (size & (MMAP_PAGE_SIZE - 1)));
            }
            if a0 == 0 {
                let base = st.heap;
                st.heap = st.heap.wrapping_add(size);
                (base, 0)
            } else {
                (a0, 0)
            }
        }
        nr::BRK => (PROGRAM_BREAK, 0),
        nr::CLONE => (1, 0),
        nr::EXIT_GROUP => {
            // Like Cannon: pc, nextPC and registers stay as they are.
            st.exited = true;
            st.exit_code = a0 as u8;
            return Ok(None);
        }
        nr::READ => match a0 {
            fd::STDIN => (0, 0),
            fd::PREIMAGE_READ => {
                let (n, acc) = preimage_read(st, memory, io, oracle, a1, a2)?;
                access = Some(acc);
                (n, 0)
            }
            fd::HINT_READ => (a2, 0),
            _ => (SYS_ERROR, EBADF),
        },
        nr::WRITE => match a0 {
            fd::STDOUT => {
                capture(&mut io.stdout, io.output_limit, memory, a1, a2);
                (a2, 0)
            }
            fd::STDERR => {
                capture(&mut io.stderr, io.output_limit, memory, a1, a2);
                (a2, 0)
            }
            fd::HINT_WRITE => {
                hint_write(io, oracle, memory, a1, a2);
                (a2, 0)
            }
            fd::PREIMAGE_WRITE => {
                let (n, acc) = preimage_key_write(st, memory, a1, a2);
                access = Some(acc);
                (n, 0)
            }
            _ => (SYS_ERROR, EBADF),
        },
        nr::FCNTL => fcntl(a0, a1),
        _ => (0, 0),
    };
    st.registers[REG_V0] = v0;
    st.registers[REG_A3] = v1;
    advance(st);
    Ok(access)
}

/// fcntl: `F_GETFD` (no flags) and `F_GETFL` (read-only / write-only) on the known fds.
fn fcntl(fd_num: u32, cmd: u32) -> (u32, u32) {
    match cmd {
        F_GETFD if fd_num <= fd::PREIMAGE_WRITE => (0, 0),
        F_GETFL => match fd_num {
            fd::STDIN | fd::HINT_READ | fd::PREIMAGE_READ => (0, 0), // O_RDONLY
            fd::STDOUT | fd::STDERR | fd::HINT_WRITE | fd::PREIMAGE_WRITE => (1, 0), // O_WRONLY
            _ => (SYS_ERROR, EBADF),
        },
        F_GETFD => (SYS_ERROR, EBADF),
        _ => (SYS_ERROR, EINVAL),
    }
}

/// Reads up to 4 bytes of `(8-byte length ‖ pre-image)` at `preimageOffset` into the word at
/// `addr & !3`, never past that word. An offset beyond the end is an exception; exactly at the
/// end reads 0 bytes (EOF).
fn preimage_read<O: PreimageOracle>(
    st: &mut State,
    memory: &mut Memory,
    io: &mut IoState,
    oracle: &mut O,
    addr: u32,
    count: u32,
) -> Result<(u32, MemAccess), VmError> {
    let key = st.preimage_key;
    let offset = st.preimage_offset;
    let pc = st.pc;
    let record = io.record_reads;
    let framed = io.preimage(&key, oracle, pc)?;
    let start = offset as usize;
    if start > framed.len() {
        return Err(VmError::PreimageReadPastEnd {
            pc,
            key,
            offset,
            len: framed.len() as u64,
        });
    }
    let available = (framed.len() - start).min(PREIMAGE_PART);
    let alignment = (addr & 3) as usize;
    let len = available.min(4 - alignment).min(count as usize);
    let word_addr = addr & !3;
    let pre_word = memory.load_word(word_addr);
    let mut bytes = pre_word.to_be_bytes();
    bytes[alignment..alignment + len].copy_from_slice(&framed[start..start + len]);
    let value = u32::from_be_bytes(bytes);
    let read = record.then(|| PreimageRead {
        key,
        value: framed[PREIMAGE_LENGTH_PREFIX.min(framed.len())..].to_vec(),
        offset,
    });
    if read.is_some() {
        io.last_read = read;
    }
    if value != pre_word {
        memory.store_word(word_addr, value);
    }
    st.preimage_offset = offset.wrapping_add(len as u32);
    Ok((
        len as u32,
        MemAccess {
            addr: word_addr,
            pre_word,
        },
    ))
}

/// Shifts up to 4 bytes from the word at `addr & !3` (from `addr` on) into the end of
/// `preimageKey` and resets `preimageOffset`.
fn preimage_key_write(st: &mut State, memory: &Memory, addr: u32, count: u32) -> (u32, MemAccess) {
    let word_addr = addr & !3;
    let word = memory.load_word(word_addr);
    let alignment = (addr & 3) as usize;
    let len = (count as usize).min(4 - alignment);
    let key = &mut st.preimage_key;
    key.copy_within(len.., 0);
    key[32 - len..].copy_from_slice(&word.to_be_bytes()[alignment..alignment + len]);
    st.preimage_offset = 0;
    (
        len as u32,
        MemAccess {
            addr: word_addr,
            pre_word: word,
        },
    )
}

/// Buffers hint bytes and hands every complete `(4-byte length ‖ hint)` to the handler.
fn hint_write<H: HintHandler>(
    io: &mut IoState,
    handler: &mut H,
    memory: &Memory,
    addr: u32,
    count: u32,
) {
    let n = (count as usize).min(MAX_HOST_COPY);
    io.hint_buf.extend(memory.read_bytes(addr, n));
    let mut consumed = 0usize;
    loop {
        let rest = &io.hint_buf[consumed..];
        if rest.len() < 4 {
            break;
        }
        let hint_len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if rest.len() - 4 < hint_len {
            break;
        }
        handler.hint(&rest[4..4 + hint_len]);
        consumed += 4 + hint_len;
    }
    io.hint_buf.drain(..consumed);
}
