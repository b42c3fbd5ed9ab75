//! Syscalls and I/O (spec `cannon-fault-proof-vm.md` § Syscalls, § I/O, § Pre-image
//! Communication, § Pre-image I/O Alignment; `index.md` § Pre-image Oracle).

use crate::asm;

use asm::*;
use ogs::fpvm::{keccak_key, local_key, MemoryOracle, VmError};

const BUF: u32 = 0x2000;

/// Runs a single `syscall` with the given registers (and data words, oracle).
fn sys(regs: &[(u32, u32)], data: &[(u32, u32)], oracle: MemoryOracle) -> ogs::fpvm::Vm {
    let mut vm = vm_with_oracle(&[syscall()], regs, oracle);
    for (a, w) in data {
        vm.memory_mut().store_word(*a, *w);
    }
    vm.run(1).expect("no exception");
    vm
}

fn sys1(regs: &[(u32, u32)]) -> ogs::fpvm::Vm {
    sys(regs, &[], MemoryOracle::new())
}

#[test]
fn mmap_bump_allocates_page_rounded() {
    // § Heap: a0 == 0 bump-allocates a1 (rounded up to 4 KiB) at heap.
    let vm = sys1(&[(V0, 4090), (A0, 0), (A1, 5000)]);
    assert_eq!(reg(&vm, V0), 0x0500_0000);
    assert_eq!(vm.cpu_state().heap, 0x0500_2000);
    assert_eq!(reg(&vm, A3), 0);
    let vm = sys1(&[(V0, 4090), (A0, 0), (A1, 8192)]);
    assert_eq!(vm.cpu_state().heap, 0x0500_2000);
    // A hint address is returned as is, heap unchanged.
    let vm = sys1(&[(V0, 4090), (A0, 0x1234_0000), (A1, 4096)]);
    assert_eq!(reg(&vm, V0), 0x1234_0000);
    assert_eq!(vm.cpu_state().heap, 0x0500_0000);
}

#[test]
fn brk_clone_and_unknown() {
    assert_eq!(reg(&sys1(&[(V0, 4045)]), V0), 0x4000_0000);
    assert_eq!(reg(&sys1(&[(V0, 4120)]), V0), 1);
    // Unsupported: only v0 and a3 are zeroed.
    let vm = sys1(&[(V0, 4999), (A3, 7), (A0, 1), (A1, 2)]);
    assert_eq!(
        (reg(&vm, V0), reg(&vm, A3), reg(&vm, A0), reg(&vm, A1)),
        (0, 0, 1, 2)
    );
    assert_eq!(vm.pc(), 4);
}

#[test]
fn exit_group_sets_exit_state_only() {
    let vm = sys1(&[(V0, 4246), (A0, 0x1FF)]);
    assert!(vm.exited());
    assert_eq!(vm.exit_code(), Some(0xFF));
    assert_eq!(vm.pc(), 0, "pc is not advanced");
    assert_eq!(reg(&vm, V0), 4246);
    assert_eq!(vm.step_count(), 1);
}

#[test]
fn fcntl() {
    for fd in 0..=6 {
        let vm = sys1(&[(V0, 4055), (A0, fd), (A1, 1)]);
        assert_eq!((reg(&vm, V0), reg(&vm, A3)), (0, 0), "F_GETFD fd {fd}");
    }
    let vm = sys1(&[(V0, 4055), (A0, 7), (A1, 1)]);
    assert_eq!((reg(&vm, V0), reg(&vm, A3)), (u32::MAX, 9));
    let vm = sys1(&[(V0, 4055), (A0, 5), (A1, 3)]);
    assert_eq!((reg(&vm, V0), reg(&vm, A3)), (0, 0)); // O_RDONLY
    let vm = sys1(&[(V0, 4055), (A0, 6), (A1, 3)]);
    assert_eq!((reg(&vm, V0), reg(&vm, A3)), (1, 0)); // O_WRONLY
    let vm = sys1(&[(V0, 4055), (A0, 9), (A1, 3)]);
    assert_eq!((reg(&vm, V0), reg(&vm, A3)), (u32::MAX, 9)); // EBADF
    let vm = sys1(&[(V0, 4055), (A0, 1), (A1, 4)]);
    assert_eq!((reg(&vm, V0), reg(&vm, A3)), (u32::MAX, 0x16)); // EINVAL
}

#[test]
fn standard_streams_and_bad_fds() {
    // § Standard Streams: writes succeed with the full count and are captured.
    let data = [
        (BUF, u32::from_be_bytes(*b"hell")),
        (BUF + 4, u32::from_be_bytes(*b"o!\n\0")),
    ];
    let vm = sys(
        &[(V0, 4004), (A0, 1), (A1, BUF), (A2, 7)],
        &data,
        MemoryOracle::new(),
    );
    assert_eq!(reg(&vm, V0), 7);
    assert_eq!(vm.stdout(), b"hello!\n");
    let vm = sys(
        &[(V0, 4004), (A0, 2), (A1, BUF + 1), (A2, 3)],
        &data,
        MemoryOracle::new(),
    );
    assert_eq!(vm.stderr(), b"ell");
    // stdin reads 0, hint-response reads report the count.
    assert_eq!(reg(&sys1(&[(V0, 4003), (A0, 0), (A2, 9), (A3, 5)]), A3), 0);
    assert_eq!(reg(&sys1(&[(V0, 4003), (A0, 0), (A2, 9)]), V0), 0);
    assert_eq!(reg(&sys1(&[(V0, 4003), (A0, 3), (A2, 9)]), V0), 9);
    for (num, fd) in [
        (4003, 1),
        (4003, 4),
        (4003, 6),
        (4004, 0),
        (4004, 5),
        (4004, 3),
        (4004, 9),
    ] {
        let vm = sys1(&[(V0, num), (A0, fd)]);
        assert_eq!((reg(&vm, V0), reg(&vm, A3)), (u32::MAX, 9), "{num} fd {fd}");
    }
}

#[test]
fn preimage_key_write_shifts_in_at_most_to_the_word_end() {
    // § Pre-image Communication: bytes written to fd 6 shift into the end of preimageKey and
    // reset preimageOffset; § Pre-image I/O Alignment: never past the word of the first byte.
    let mut vm = vm_with(
        &[syscall(), syscall()],
        &[(V0, 4004), (A0, 6), (A1, BUF + 1), (A2, 10)],
    );
    vm.memory_mut().store_word(BUF, 0x1122_3344);
    vm.cpu_state_mut().preimage_key = [0xEE; 32];
    vm.cpu_state_mut().preimage_offset = 77;
    vm.run(1).unwrap();
    assert_eq!(reg(&vm, V0), 3);
    let k = vm.cpu_state().preimage_key;
    assert_eq!(&k[..29], &[0xEE; 29]);
    assert_eq!(&k[29..], &[0x22, 0x33, 0x44]);
    assert_eq!(vm.cpu_state().preimage_offset, 0);
    // count 0 writes nothing.
    vm.cpu_state_mut().registers[6] = 0;
    vm.cpu_state_mut().registers[2] = 4004;
    vm.run(1).unwrap();
    assert_eq!(reg(&vm, V0), 0);
    assert_eq!(vm.cpu_state().preimage_key, k);
}

/// A program that writes `key` to fd 6 (from BUF) and then reads from fd 5 at `dst` with
/// `count`, `reads` times.
fn read_program(reads: usize) -> Vec<u32> {
    let mut code = vec![];
    for k in 0..8 {
        code.extend([
            addiu(V0, ZERO, 4004),
            addiu(A0, ZERO, 6),
            addiu(A1, S0, 4 * k),
            addiu(A2, ZERO, 4),
            syscall(),
        ]);
    }
    for _ in 0..reads {
        code.extend([
            addiu(V0, ZERO, 4003),
            addiu(A0, ZERO, 5),
            or(A1, T0, ZERO),
            or(A2, T1, ZERO),
            syscall(),
            addu(T0, T0, V0),
        ]);
    }
    code
}

fn key_words(key: &[u8; 32]) -> Vec<(u32, u32)> {
    key.chunks(4)
        .enumerate()
        .map(|(k, c)| {
            (
                BUF + 4 * k as u32,
                u32::from_be_bytes([c[0], c[1], c[2], c[3]]),
            )
        })
        .collect()
}

#[test]
fn preimage_read_frames_with_length_and_respects_alignment() {
    let data = b"hello pre-image".to_vec();
    let mut oracle = MemoryOracle::new();
    let key = oracle.insert_keccak(data.clone());
    assert_eq!(key, keccak_key(&data));
    let dst = 0x3001; // misaligned: at most 3 bytes per read
    let mut vm = vm_with_oracle(
        &read_program(12),
        &[(S0, BUF), (T0, dst), (T1, 100)],
        oracle,
    );
    for (a, w) in key_words(&key) {
        vm.memory_mut().store_word(a, w);
    }
    vm.run(8 * 5).unwrap();
    assert_eq!(vm.cpu_state().preimage_key, key);
    vm.run(5).unwrap();
    assert_eq!(reg(&vm, V0), 3, "first read stops at the word boundary");
    vm.run(1 + 11 * 6).unwrap();
    // 8-byte big-endian length then the data, from 0x3001 on.
    let mut expected = (data.len() as u64).to_be_bytes().to_vec();
    expected.extend_from_slice(&data);
    assert_eq!(vm.memory().read_bytes(dst, expected.len()), expected);
    assert_eq!(
        vm.memory().load_byte(0x3000),
        0,
        "byte before the buffer untouched"
    );
    assert_eq!(vm.cpu_state().preimage_offset as usize, expected.len());
}

#[test]
fn preimage_read_at_end_is_eof_and_past_end_is_an_exception() {
    // § Exceptions: a pre-image read at an offset larger than the size is an exception.
    let mut oracle = MemoryOracle::new();
    let key = oracle.insert_local(7, vec![1, 2, 3]);
    assert_eq!(key, local_key(7));
    let regs = [(V0, 4003), (A0, 5), (A1, BUF), (A2, 4)];
    let mut vm = vm_with_oracle(&[syscall(), syscall()], &regs, oracle);
    vm.cpu_state_mut().preimage_key = key;
    vm.cpu_state_mut().preimage_offset = 11; // exactly the end of 8 + 3 bytes
    vm.run(1).unwrap();
    assert_eq!(reg(&vm, V0), 0);
    vm.cpu_state_mut().preimage_offset = 12;
    vm.cpu_state_mut().registers[2] = 4003;
    let err = vm.run(1).unwrap_err();
    assert!(
        matches!(
            err,
            VmError::PreimageReadPastEnd {
                offset: 12,
                len: 11,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(vm.pc(), 4, "failing step leaves the pre-state");
}

#[test]
fn missing_preimage_is_an_error() {
    let regs = [(V0, 4003), (A0, 5), (A1, BUF), (A2, 4)];
    let mut vm = vm_with(&[syscall()], &regs);
    vm.cpu_state_mut().preimage_key = local_key(1);
    let err = vm.run(1).unwrap_err();
    assert_eq!(
        err,
        VmError::MissingPreimage {
            pc: 0,
            key: local_key(1)
        }
    );
}

#[test]
fn hints_are_delivered_whole_and_change_nothing() {
    // index.md § Hinting: 4-byte big-endian length, then the hint; sent in pieces.
    let msg = b"\0\0\0\x05hello\0\0\0\x02hi";
    let mut code = vec![];
    for k in 0..msg.len() as i32 {
        code.extend([
            addiu(V0, ZERO, 4004),
            addiu(A0, ZERO, 4),
            addiu(A1, S0, k),
            addiu(A2, ZERO, 1),
            syscall(),
        ]);
    }
    let mut vm = vm_with(&code, &[(S0, BUF)]);
    vm.memory_mut().write_bytes(BUF, msg);
    let before = vm.cpu_state().preimage_key;
    vm.run(code.len() as u64).unwrap();
    assert_eq!(vm.oracle().hints(), &[b"hello".to_vec(), b"hi".to_vec()]);
    assert_eq!(reg(&vm, V0), 1);
    assert_eq!(vm.cpu_state().preimage_key, before);
}
