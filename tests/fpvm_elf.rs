//! ELF loading (Cannon's `load-elf` conventions; fpvm.md § Test conventions): segments, zero
//! tails, the initial registers and stack, typed errors, and no panics on malformed input.

use std::path::PathBuf;

use ogs::fpvm::check::check_elf;
use ogs::fpvm::elf::{parse_elf, HEAP_START, PT_LOAD, STACK_POINTER};
use ogs::fpvm::{load_elf, ElfError, MemoryOracle, Vm};
use proptest::prelude::*;

const PT_NOTE: u32 = 4;
const PT_MIPS_ABIFLAGS: u32 = 0x7000_0003;

/// A segment for [`build_elf`]: (type, vaddr, file bytes, memsz, flags).
type Seg<'a> = (u32, u32, &'a [u8], u32, u32);

/// A minimal ELF32 big-endian MIPS executable (no section headers).
fn build_elf(entry: u32, segs: &[Seg]) -> Vec<u8> {
    let phoff = 52u32;
    let data_start = phoff + 32 * segs.len() as u32;
    let mut out = vec![0x7F, b'E', b'L', b'F', 1, 2, 1, 0];
    out.resize(16, 0);
    out.extend(2u16.to_be_bytes()); // ET_EXEC
    out.extend(8u16.to_be_bytes()); // EM_MIPS
    out.extend(1u32.to_be_bytes());
    out.extend(entry.to_be_bytes());
    out.extend(phoff.to_be_bytes());
    out.extend(0u32.to_be_bytes()); // shoff
    out.extend(0u32.to_be_bytes()); // flags
    out.extend(52u16.to_be_bytes());
    out.extend(32u16.to_be_bytes());
    out.extend((segs.len() as u16).to_be_bytes());
    out.extend(40u16.to_be_bytes());
    out.extend(0u16.to_be_bytes());
    out.extend(0u16.to_be_bytes());
    let mut offset = data_start;
    for (kind, vaddr, data, memsz, flags) in segs {
        for f in [
            *kind,
            offset,
            *vaddr,
            *vaddr,
            data.len() as u32,
            *memsz,
            *flags,
            4,
        ] {
            out.extend(f.to_be_bytes());
        }
        offset += data.len() as u32;
    }
    for (_, _, data, _, _) in segs {
        out.extend_from_slice(data);
    }
    out
}

fn guest(name: &str) -> Option<Vec<u8>> {
    let p = PathBuf::from(file!())
        .parent()?
        .join("guests/bin")
        .join(name);
    std::fs::read(p).ok()
}

#[test]
fn loads_segments_entry_stack_and_heap() {
    let code: Vec<u8> = [0x2402_0fa6u32, 0x0000_000c]
        .iter()
        .flat_map(|w| w.to_be_bytes())
        .collect();
    let elf = build_elf(
        0x40_0000,
        &[
            (PT_LOAD, 0x40_0000, &code, 8, 5),
            (PT_LOAD, 0x41_0000, b"data", 0x2000, 6), // zero tail
            (PT_MIPS_ABIFLAGS, 0x60_0000, b"skipped!", 8, 4),
        ],
    );
    let prog = load_elf(&elf).unwrap();
    let st = &prog.state;
    assert_eq!(
        (st.pc, st.next_pc, st.heap),
        (0x40_0000, 0x40_0004, 0x0500_0000)
    );
    assert_eq!(st.registers[29], 0x7FFF_D000);
    assert_eq!(prog.memory.load_word(0x40_0000), 0x2402_0fa6);
    assert_eq!(
        prog.memory.load_word(0x41_0000),
        u32::from_be_bytes(*b"data")
    );
    assert_eq!(prog.memory.load_word(0x41_1000), 0);
    assert_eq!(
        prog.memory.load_word(0x60_0000),
        0,
        "PT_MIPS_ABIFLAGS is not loaded"
    );
    // Cannon's PatchStack words above $sp.
    let sp = STACK_POINTER;
    let words: Vec<u32> = (1..=8).map(|k| prog.memory.load_word(sp + 4 * k)).collect();
    assert_eq!(words, [0x42, 0x35, 0, 6, 4096, 25, sp + 36, 0]);
    assert_eq!(prog.memory.read_bytes(sp + 36, 16), b"4;byfairdiceroll");
    let mut mem = prog.memory.clone();
    assert_eq!(mem.merkle_root(), st.mem_root);
}

#[test]
fn zero_tail_overwrites_earlier_segment_like_cannon() {
    let elf = build_elf(
        0x1000,
        &[
            (PT_LOAD, 0x1000, &[0xAA; 16], 16, 5),
            (PT_LOAD, 0x1008, &[0xBB; 4], 8, 6),
        ],
    );
    let prog = load_elf(&elf).unwrap();
    assert_eq!(
        prog.memory.read_bytes(0x1000, 16),
        [[0xAA; 8], [0xBB, 0xBB, 0xBB, 0xBB, 0, 0, 0, 0]].concat()
    );
}

#[test]
fn typed_errors() {
    assert_eq!(load_elf(b"").unwrap_err(), ElfError::TooShort(0));
    assert_eq!(
        load_elf(b"MZ\0\0 not an elf").unwrap_err(),
        ElfError::NotElf
    );
    let good = build_elf(0, &[(PT_LOAD, 0x1000, b"abcd", 4, 5)]);
    let mut e = good.clone();
    e[4] = 2;
    assert_eq!(load_elf(&e).unwrap_err(), ElfError::WrongClass(2));
    let mut e = good.clone();
    e[5] = 1;
    assert_eq!(load_elf(&e).unwrap_err(), ElfError::WrongEndianness(1));
    let mut e = good.clone();
    e[19] = 3;
    assert_eq!(load_elf(&e).unwrap_err(), ElfError::WrongMachine(3));
    assert_eq!(load_elf(&good[..40]).unwrap_err(), ElfError::TooShort(40));
    assert_eq!(
        load_elf(&good[..60]).unwrap_err(),
        ElfError::ProgramHeadersOutOfFile {
            offset: 52,
            count: 1
        }
    );
    assert_eq!(
        load_elf(&good[..good.len() - 1]).unwrap_err(),
        ElfError::SegmentOutOfFile {
            index: 0,
            offset: 84,
            size: 4
        }
    );
    let e = build_elf(0, &[(PT_LOAD, 0x1000, b"abcdefgh", 4, 5)]);
    assert!(matches!(
        load_elf(&e).unwrap_err(),
        ElfError::FileSizeExceedsMemSize { .. }
    ));
    let e = build_elf(0, &[(PT_NOTE, 0x1000, b"abcd", 8, 4)]);
    assert!(matches!(
        load_elf(&e).unwrap_err(),
        ElfError::NonLoadSegmentFill { .. }
    ));
    let e = build_elf(0, &[(PT_LOAD, 0xFFFF_F000, b"", 0x1000, 6)]);
    assert!(matches!(
        load_elf(&e).unwrap_err(),
        ElfError::SegmentOutOfRange { .. }
    ));
    let e = build_elf(0, &[(PT_LOAD, HEAP_START - 4, b"", 4, 6)]);
    assert!(matches!(
        load_elf(&e).unwrap_err(),
        ElfError::SegmentOverlapsHeap { .. }
    ));
}

#[test]
fn guest_program_runs_and_checks_clean() {
    let Some(elf) = guest("hello.elf") else {
        return;
    };
    let parsed = parse_elf(&elf).unwrap();
    assert!(!parsed.code_sections.is_empty());
    let report = check_elf(&elf).unwrap();
    assert!(report.invalid.is_empty(), "{:?}", report.invalid);
    assert!(report.syscalls.iter().any(|s| s.number == Some(4246)));
    let mut vm = Vm::from_elf(&elf, MemoryOracle::new()).unwrap();
    let out = vm.run(10_000_000).unwrap();
    assert_eq!(out.exit_code, Some(0));
    assert!(!vm.stdout().is_empty());
}

#[test]
fn check_reports_unsupported_words() {
    let words = [
        0x0024_1942u32,
        0x2402_0fa2,
        0x0000_000c,
        0x1000_0001,
        0x0800_0000,
        0x7064_0000,
    ];
    let code: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
    let elf = build_elf(0x1000, &[(PT_LOAD, 0x1000, &code, code.len() as u32, 5)]);
    let r = check_elf(&elf).unwrap();
    let bad: Vec<u32> = r.invalid.iter().map(|w| w.addr).collect();
    assert_eq!(bad, [0x1000, 0x1014]);
    assert_eq!(r.syscalls.len(), 1);
    assert_eq!(r.syscalls[0].number, Some(4002));
    assert_eq!(r.syscalls[0].supported(), Some(false));
    assert_eq!(r.branch_in_delay_slot, [0x100c]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = load_elf(&bytes);
        let _ = check_elf(&bytes);
    }

    #[test]
    fn mutated_elves_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>()) {
        let code: Vec<u8> = (0..64u8).collect();
        let mut elf = build_elf(0x1000, &[(PT_LOAD, 0x1000, &code, 0x100, 5), (PT_LOAD, 0x2000, b"xy", 2, 6)]);
        for (at, v) in flips {
            let i = at.index(elf.len());
            elf[i] = v;
        }
        let _ = load_elf(&elf);
        let _ = check_elf(&elf);
        let keep = cut.index(elf.len() + 1);
        let _ = load_elf(&elf[..keep]);
    }
}

#[test]
fn mutated_guest_never_panics() {
    let Some(elf) = guest("hello.elf") else {
        return;
    };
    let mut x = 0x1234_5678u32;
    for _ in 0..300 {
        let mut e = elf.clone();
        for _ in 0..4 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let i = (x as usize) % 256.min(e.len());
            e[i] = (x >> 8) as u8;
        }
        let _ = load_elf(&e);
        let _ = check_elf(&e);
    }
}
