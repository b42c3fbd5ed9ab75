//! Static check of an executable: every instruction word the VM cannot run, branches whose
//! delay slot holds another branch, and the syscall numbers that can be read off the code.
//!
//! Code is taken from the executable sections (`SHF_EXECINSTR`), or from the executable
//! segments if the file has no section headers. Data embedded in code shows up as false
//! positives; the check never runs anything.

use super::elf::{parse_elf, ElfError, PF_X, PT_LOAD};
use super::exec::syscall::nr;
use super::insn::{self, decode, Op};

/// An instruction word the VM rejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidWord {
    /// Address of the word.
    pub addr: u32,
    /// The word.
    pub insn: u32,
    /// What it probably is.
    pub reason: &'static str,
}

/// A `syscall` instruction and the number loaded into `$v0` before it, if visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyscallSite {
    /// Address of the `syscall`.
    pub addr: u32,
    /// The syscall number, if a `li $v0, N` precedes it in the same basic block.
    pub number: Option<u32>,
}

impl SyscallSite {
    /// Whether the number is known and handled with an effect (others return 0 and do nothing).
    pub fn supported(&self) -> Option<bool> {
        self.number.map(|n| nr::SUPPORTED.contains(&n))
    }
}

/// Result of [`check_elf`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckReport {
    /// Number of instruction words examined.
    pub words: usize,
    /// Words that are not supported instructions.
    pub invalid: Vec<InvalidWord>,
    /// Branches or jumps whose delay slot holds a branch or jump (an exception if executed).
    pub branch_in_delay_slot: Vec<u32>,
    /// All `syscall` sites.
    pub syscalls: Vec<SyscallSite>,
}

/// How far back to look for the instruction that sets `$v0`.
const SYSCALL_LOOKBACK: usize = 8;
const REG_V0: usize = 2;

/// Scans the code of an ELF.
pub fn check_elf(bytes: &[u8]) -> Result<CheckReport, ElfError> {
    let elf = parse_elf(bytes)?;
    let mut regions: Vec<(u32, &[u8])> =
        elf.code_sections.iter().map(|s| (s.addr, s.data)).collect();
    if regions.is_empty() {
        regions = elf
            .segments
            .iter()
            .filter(|s| s.kind == PT_LOAD && s.flags & PF_X != 0)
            .map(|s| (s.vaddr, s.data))
            .collect();
    }
    let mut report = CheckReport::default();
    for (base, data) in regions {
        let words: Vec<u32> = data
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        check_words(base, &words, &mut report);
    }
    Ok(report)
}

/// Scans a flat sequence of instruction words starting at `base`.
pub fn check_words(base: u32, words: &[u32], report: &mut CheckReport) {
    report.words += words.len();
    for (i, &word) in words.iter().enumerate() {
        let addr = base.wrapping_add((i as u32).wrapping_mul(4));
        let op = decode(word);
        match op {
            Op::Invalid => report.invalid.push(InvalidWord {
                addr,
                insn: word,
                reason: insn::invalid_reason(word),
            }),
            Op::Syscall => report.syscalls.push(SyscallSite {
                addr,
                number: syscall_number(&words[..i]),
            }),
            _ => {}
        }
        if op.is_branch_or_jump()
            && words
                .get(i + 1)
                .is_some_and(|w| decode(*w).is_branch_or_jump())
        {
            report.branch_in_delay_slot.push(addr);
        }
    }
}

/// The constant loaded into `$v0` by the nearest preceding writer of `$v0`, if that is
/// `addiu/ori $v0, $zero, N` and no branch or jump intervenes.
fn syscall_number(before: &[u32]) -> Option<u32> {
    for &w in before.iter().rev().take(SYSCALL_LOOKBACK) {
        let op = decode(w);
        if op.is_branch_or_jump() {
            return None;
        }
        let writes_v0 = match op {
            Op::Addiu
            | Op::Addi
            | Op::Ori
            | Op::Lui
            | Op::Slti
            | Op::Sltiu
            | Op::Andi
            | Op::Xori => insn::rt(w) == REG_V0,
            op if op.accesses_memory() => {
                insn::rt(w) == REG_V0 && !matches!(op, Op::Sb | Op::Sh | Op::Sw | Op::Swl | Op::Swr)
            }
            Op::Syscall
            | Op::Sync
            | Op::Mthi
            | Op::Mtlo
            | Op::Mult
            | Op::Multu
            | Op::Div
            | Op::Divu => false,
            _ => insn::rd(w) == REG_V0,
        };
        if writes_v0 {
            return match op {
                Op::Addiu | Op::Addi if insn::rs(w) == 0 => Some(insn::simm(w)),
                Op::Ori if insn::rs(w) == 0 => Some(insn::uimm(w)),
                _ => None,
            };
        }
    }
    None
}
