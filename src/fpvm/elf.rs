//! Loader for 32-bit big-endian MIPS ELF executables, parsed by hand.
//!
//! Loading follows Cannon's `load-elf`: every program segment except `PT_MIPS_ABIFLAGS` is
//! copied to its virtual address (`PT_LOAD` segments zero-filled from `filesz` to `memsz`; other
//! segments normally lie inside a `PT_LOAD` and must have `filesz == memsz`), no segment may
//! reach 2^32 or the heap start; then the entry point becomes `pc` (`nextPC = pc + 4`), the heap
//! starts at `0x05000000`, and the stack is set up like Cannon's `PatchStack` (`$sp =
//! 0x7fffd000` with Cannon's argc/argv/auxv words above it), so the initial state hash matches
//! Cannon's for the same ELF.
//!
//! Parsing never panics: every malformed input is an [`ElfError`].

use thiserror::Error;

use super::memory::Memory;
use super::state::State;

/// ELF magic bytes.
const ELF_MAGIC: [u8; 4] = [0x7F, b'E', b'L', b'F'];
/// `e_ident[EI_CLASS]` for 32-bit objects.
const ELFCLASS32: u8 = 1;
/// `e_ident[EI_DATA]` for big-endian objects.
const ELFDATA2MSB: u8 = 2;
/// `e_ident[EI_VERSION]` current version.
const EV_CURRENT: u8 = 1;
/// `e_machine` for MIPS.
pub const EM_MIPS: u16 = 8;
/// Size of the ELF32 file header.
const EHDR_SIZE: usize = 52;
/// Size of an ELF32 program header.
const PHDR_SIZE: usize = 32;
/// Size of an ELF32 section header.
const SHDR_SIZE: usize = 40;
/// Loadable segment.
pub const PT_LOAD: u32 = 1;
/// MIPS ABI flags segment, skipped by the loader (as Cannon does).
pub const PT_MIPS_ABIFLAGS: u32 = 0x7000_0003;
/// Segment permission: executable.
pub const PF_X: u32 = 1;
/// Section flag: executable instructions.
pub const SHF_EXECINSTR: u32 = 0x4;
/// Section type: program data.
const SHT_PROGBITS: u32 = 1;

/// Start of the heap (`mmap` bump allocation) in the initial state.
pub const HEAP_START: u32 = 0x0500_0000;
/// Initial stack pointer (`$sp`), as Cannon's `PatchStack`.
pub const STACK_POINTER: u32 = 0x7FFF_D000;
/// Register number of `$sp`.
const REG_SP: usize = 29;
/// The 16 bytes of "randomness" Cannon places for `AT_RANDOM`.
const AT_RANDOM_BYTES: &[u8; 16] = b"4;byfairdiceroll";

/// Why bytes are not a loadable MIPS32 big-endian executable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ElfError {
    /// Shorter than the ELF header.
    #[error("file too short for an ELF header ({0} bytes)")]
    TooShort(usize),
    /// Wrong magic bytes.
    #[error("not an ELF file (bad magic)")]
    NotElf,
    /// Not ELFCLASS32.
    #[error("not a 32-bit ELF (class {0})")]
    WrongClass(u8),
    /// Not ELFDATA2MSB.
    #[error("not a big-endian ELF (data encoding {0})")]
    WrongEndianness(u8),
    /// Unknown ELF version.
    #[error("unknown ELF version {0}")]
    WrongVersion(u8),
    /// Not EM_MIPS.
    #[error("not a MIPS ELF (machine {0})")]
    WrongMachine(u16),
    /// Program header entries of an unexpected size.
    #[error("program header entry size {0}, expected 32")]
    BadProgramHeaderSize(u16),
    /// The program header table lies (partly) outside the file.
    #[error("program header table (offset {offset}, {count} entries) is outside the file")]
    ProgramHeadersOutOfFile {
        /// `e_phoff`.
        offset: u32,
        /// `e_phnum`.
        count: u16,
    },
    /// A segment's file bytes lie (partly) outside the file.
    #[error("segment {index}: file bytes (offset {offset}, size {size}) are outside the file")]
    SegmentOutOfFile {
        /// Segment index.
        index: usize,
        /// `p_offset`.
        offset: u32,
        /// `p_filesz`.
        size: u32,
    },
    /// A `PT_LOAD` segment with `filesz > memsz`.
    #[error("segment {index}: file size {filesz} exceeds memory size {memsz}")]
    FileSizeExceedsMemSize {
        /// Segment index.
        index: usize,
        /// `p_filesz`.
        filesz: u32,
        /// `p_memsz`.
        memsz: u32,
    },
    /// A non-`PT_LOAD` segment with `filesz != memsz` (Cannon cannot fill it).
    #[error(
        "segment {index} (type {kind:#x}) is not PT_LOAD but its file and memory sizes differ"
    )]
    NonLoadSegmentFill {
        /// Segment index.
        index: usize,
        /// `p_type`.
        kind: u32,
    },
    /// A segment reaching the end of the 32-bit address space.
    #[error("segment {index}: {vaddr:#x} + {memsz:#x} is outside the 32-bit address space")]
    SegmentOutOfRange {
        /// Segment index.
        index: usize,
        /// `p_vaddr`.
        vaddr: u32,
        /// `p_memsz`.
        memsz: u32,
    },
    /// A segment reaching the heap start.
    #[error("segment {index}: {vaddr:#x} + {memsz:#x} overlaps the heap at {HEAP_START:#x}")]
    SegmentOverlapsHeap {
        /// Segment index.
        index: usize,
        /// `p_vaddr`.
        vaddr: u32,
        /// `p_memsz`.
        memsz: u32,
    },
}

/// A program segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// `p_type`.
    pub kind: u32,
    /// `p_vaddr`.
    pub vaddr: u32,
    /// `p_memsz`.
    pub memsz: u32,
    /// `p_flags` ([`PF_X`] = executable).
    pub flags: u32,
    /// The `p_filesz` bytes from the file.
    pub data: &'a [u8],
}

/// A section holding code (`SHF_EXECINSTR`), used by the static checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSection<'a> {
    /// Section name, if the string table is readable.
    pub name: String,
    /// `sh_addr`.
    pub addr: u32,
    /// The section bytes.
    pub data: &'a [u8],
}

/// A parsed ELF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfFile<'a> {
    /// `e_entry`.
    pub entry: u32,
    /// Program segments, in file order.
    pub segments: Vec<Segment<'a>>,
    /// Executable sections; empty if the file has no (readable) section headers.
    pub code_sections: Vec<CodeSection<'a>>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// `bytes[offset..offset + len]`, if inside.
fn slice(bytes: &[u8], offset: u32, len: u32) -> Option<&[u8]> {
    let start = offset as usize;
    let end = start.checked_add(len as usize)?;
    bytes.get(start..end)
}

/// Parses the header, program headers and (leniently) the executable sections.
pub fn parse_elf(bytes: &[u8]) -> Result<ElfFile<'_>, ElfError> {
    if bytes.len() < EHDR_SIZE {
        if bytes.len() >= 4 && bytes[..4] != ELF_MAGIC {
            return Err(ElfError::NotElf);
        }
        return Err(ElfError::TooShort(bytes.len()));
    }
    if bytes[..4] != ELF_MAGIC {
        return Err(ElfError::NotElf);
    }
    if bytes[4] != ELFCLASS32 {
        return Err(ElfError::WrongClass(bytes[4]));
    }
    if bytes[5] != ELFDATA2MSB {
        return Err(ElfError::WrongEndianness(bytes[5]));
    }
    if bytes[6] != EV_CURRENT {
        return Err(ElfError::WrongVersion(bytes[6]));
    }
    let too_short = ElfError::TooShort(bytes.len());
    let machine = u16_at(bytes, 18).ok_or(too_short.clone())?;
    if machine != EM_MIPS {
        return Err(ElfError::WrongMachine(machine));
    }
    let entry = u32_at(bytes, 24).ok_or(too_short.clone())?;
    let phoff = u32_at(bytes, 28).ok_or(too_short.clone())?;
    let shoff = u32_at(bytes, 32).ok_or(too_short.clone())?;
    let phentsize = u16_at(bytes, 42).ok_or(too_short.clone())?;
    let phnum = u16_at(bytes, 44).ok_or(too_short.clone())?;
    let shentsize = u16_at(bytes, 46).ok_or(too_short.clone())?;
    let shnum = u16_at(bytes, 48).ok_or(too_short.clone())?;
    let shstrndx = u16_at(bytes, 50).ok_or(too_short)?;

    let mut segments = Vec::with_capacity(phnum as usize);
    if phnum > 0 {
        if phentsize as usize != PHDR_SIZE {
            return Err(ElfError::BadProgramHeaderSize(phentsize));
        }
        let table = slice(bytes, phoff, u32::from(phnum) * PHDR_SIZE as u32).ok_or(
            ElfError::ProgramHeadersOutOfFile {
                offset: phoff,
                count: phnum,
            },
        )?;
        for (index, ph) in table.chunks_exact(PHDR_SIZE).enumerate() {
            let field = |i: usize| u32_at(ph, 4 * i).unwrap_or(0);
            let (kind, offset, vaddr, filesz, memsz, flags) =
                (field(0), field(1), field(2), field(4), field(5), field(6));
            let data = slice(bytes, offset, filesz).ok_or(ElfError::SegmentOutOfFile {
                index,
                offset,
                size: filesz,
            })?;
            segments.push(Segment {
                kind,
                vaddr,
                memsz,
                flags,
                data,
            });
        }
    }
    let code_sections = code_sections(bytes, shoff, shentsize, shnum, shstrndx);
    Ok(ElfFile {
        entry,
        segments,
        code_sections,
    })
}

/// Executable PROGBITS sections; an unreadable section table gives none.
fn code_sections(
    bytes: &[u8],
    shoff: u32,
    shentsize: u16,
    shnum: u16,
    shstrndx: u16,
) -> Vec<CodeSection<'_>> {
    if shoff == 0 || shnum == 0 || shentsize as usize != SHDR_SIZE {
        return Vec::new();
    }
    let Some(table) = slice(bytes, shoff, u32::from(shnum) * SHDR_SIZE as u32) else {
        return Vec::new();
    };
    let headers: Vec<&[u8]> = table.chunks_exact(SHDR_SIZE).collect();
    let strtab = headers
        .get(shstrndx as usize)
        .and_then(|h| slice(bytes, u32_at(h, 16)?, u32_at(h, 20)?));
    let name_of = |off: u32| -> String {
        strtab
            .and_then(|t| t.get(off as usize..))
            .map(|t| {
                let end = t.iter().position(|b| *b == 0).unwrap_or(t.len());
                String::from_utf8_lossy(&t[..end]).into_owned()
            })
            .unwrap_or_default()
    };
    headers
        .iter()
        .filter_map(|h| {
            let kind = u32_at(h, 4)?;
            let flags = u32_at(h, 8)?;
            if kind != SHT_PROGBITS || flags & SHF_EXECINSTR == 0 {
                return None;
            }
            Some(CodeSection {
                name: name_of(u32_at(h, 0)?),
                addr: u32_at(h, 12)?,
                data: slice(bytes, u32_at(h, 16)?, u32_at(h, 20)?)?,
            })
        })
        .collect()
}

/// An ELF loaded into an initial VM state and memory.
#[derive(Debug, Clone)]
pub struct LoadedProgram {
    /// The initial state (`mem_root` up to date).
    pub state: State,
    /// The initial memory.
    pub memory: Memory,
}

/// Loads an executable as Cannon's `load-elf` does (see the module docs).
pub fn load_elf(bytes: &[u8]) -> Result<LoadedProgram, ElfError> {
    let elf = parse_elf(bytes)?;
    let mut memory = Memory::new();
    for (index, seg) in elf.segments.iter().enumerate() {
        if seg.kind == PT_MIPS_ABIFLAGS {
            continue;
        }
        let filesz = seg.data.len() as u32;
        if filesz != seg.memsz {
            if seg.kind != PT_LOAD {
                return Err(ElfError::NonLoadSegmentFill {
                    index,
                    kind: seg.kind,
                });
            }
            if filesz > seg.memsz {
                return Err(ElfError::FileSizeExceedsMemSize {
                    index,
                    filesz,
                    memsz: seg.memsz,
                });
            }
        }
        let end = u64::from(seg.vaddr) + u64::from(seg.memsz);
        if end >= 1 << 32 {
            return Err(ElfError::SegmentOutOfRange {
                index,
                vaddr: seg.vaddr,
                memsz: seg.memsz,
            });
        }
        if end >= u64::from(HEAP_START) {
            return Err(ElfError::SegmentOverlapsHeap {
                index,
                vaddr: seg.vaddr,
                memsz: seg.memsz,
            });
        }
        memory.write_bytes(seg.vaddr, seg.data);
        memory.zero_range(seg.vaddr + filesz, seg.memsz - filesz);
    }
    let mut state = State {
        pc: elf.entry,
        next_pc: elf.entry.wrapping_add(4),
        heap: HEAP_START,
        ..State::default()
    };
    patch_stack(&mut state, &mut memory);
    state.mem_root = memory.merkle_root();
    Ok(LoadedProgram { state, memory })
}

/// Cannon's `PatchStack`: `$sp = 0x7fffd000` and, above it, the words Cannon writes for
/// argc/argv/envp/auxv (its argc is 0x42) and 16 bytes for `AT_RANDOM`.
fn patch_stack(state: &mut State, memory: &mut Memory) {
    let sp = STACK_POINTER;
    state.registers[REG_SP] = sp;
    let words: [u32; 8] = [
        0x42,       // argc, as Cannon writes it
        0x35,       // argv terminator, as Cannon writes it
        0,          // envp terminator
        6,          // auxv: AT_PAGESZ
        4096,       //   page size
        25,         // auxv: AT_RANDOM
        sp + 4 * 9, //   address of the 16 random bytes
        0,          // auxv terminator
    ];
    for (i, w) in words.iter().enumerate() {
        memory.store_word(sp + 4 * (i as u32 + 1), *w);
    }
    memory.write_bytes(sp + 4 * 9, AT_RANDOM_BYTES);
}
