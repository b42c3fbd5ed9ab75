//! Shared helpers for the FPVM tests: a tiny MIPS32 assembler (one function per instruction
//! form) and runners for flat code loaded at address 0, as in Cannon's instruction tests
//! (`cannon-fault-proof-vm.md`; flat big-endian code at address 0).
//!
//! Included by the `fpvm_*` tests with `#[path = "fpvm_asm.rs"] mod asm;`.
#![allow(dead_code)]

use ogs::fpvm::{Memory, MemoryOracle, State, Vm};

// Register names (o32).
pub const ZERO: u32 = 0;
pub const AT: u32 = 1;
pub const V0: u32 = 2;
pub const V1: u32 = 3;
pub const A0: u32 = 4;
pub const A1: u32 = 5;
pub const A2: u32 = 6;
pub const A3: u32 = 7;
pub const T0: u32 = 8;
pub const T1: u32 = 9;
pub const T2: u32 = 10;
pub const T3: u32 = 11;
pub const S0: u32 = 16;
pub const SP: u32 = 29;
pub const RA: u32 = 31;

/// R-type: SPECIAL (or `op`) with rs, rt, rd, sa, funct.
pub fn r_op(op: u32, rs: u32, rt: u32, rd: u32, sa: u32, funct: u32) -> u32 {
    (op << 26) | (rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | funct
}
pub fn r(funct: u32, rs: u32, rt: u32, rd: u32, sa: u32) -> u32 {
    r_op(0, rs, rt, rd, sa, funct)
}
/// I-type.
pub fn i(op: u32, rs: u32, rt: u32, imm: i32) -> u32 {
    (op << 26) | (rs << 21) | (rt << 16) | (imm as u32 & 0xFFFF)
}

pub fn sll(rd: u32, rt: u32, sa: u32) -> u32 {
    r(0x00, 0, rt, rd, sa)
}
pub fn srl(rd: u32, rt: u32, sa: u32) -> u32 {
    r(0x02, 0, rt, rd, sa)
}
pub fn sra(rd: u32, rt: u32, sa: u32) -> u32 {
    r(0x03, 0, rt, rd, sa)
}
pub fn sllv(rd: u32, rt: u32, rs: u32) -> u32 {
    r(0x04, rs, rt, rd, 0)
}
pub fn srlv(rd: u32, rt: u32, rs: u32) -> u32 {
    r(0x06, rs, rt, rd, 0)
}
pub fn srav(rd: u32, rt: u32, rs: u32) -> u32 {
    r(0x07, rs, rt, rd, 0)
}
pub fn jr(rs: u32) -> u32 {
    r(0x08, rs, 0, 0, 0)
}
pub fn jalr(rd: u32, rs: u32) -> u32 {
    r(0x09, rs, 0, rd, 0)
}
pub fn movz(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x0A, rs, rt, rd, 0)
}
pub fn movn(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x0B, rs, rt, rd, 0)
}
pub fn syscall() -> u32 {
    0x0000_000C
}
pub fn sync() -> u32 {
    0x0000_000F
}
pub fn mfhi(rd: u32) -> u32 {
    r(0x10, 0, 0, rd, 0)
}
pub fn mthi(rs: u32) -> u32 {
    r(0x11, rs, 0, 0, 0)
}
pub fn mflo(rd: u32) -> u32 {
    r(0x12, 0, 0, rd, 0)
}
pub fn mtlo(rs: u32) -> u32 {
    r(0x13, rs, 0, 0, 0)
}
pub fn mult(rs: u32, rt: u32) -> u32 {
    r(0x18, rs, rt, 0, 0)
}
pub fn multu(rs: u32, rt: u32) -> u32 {
    r(0x19, rs, rt, 0, 0)
}
pub fn div(rs: u32, rt: u32) -> u32 {
    r(0x1A, rs, rt, 0, 0)
}
pub fn divu(rs: u32, rt: u32) -> u32 {
    r(0x1B, rs, rt, 0, 0)
}
pub fn add(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x20, rs, rt, rd, 0)
}
pub fn addu(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x21, rs, rt, rd, 0)
}
pub fn sub(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x22, rs, rt, rd, 0)
}
pub fn subu(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x23, rs, rt, rd, 0)
}
pub fn and(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x24, rs, rt, rd, 0)
}
pub fn or(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x25, rs, rt, rd, 0)
}
pub fn xor(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x26, rs, rt, rd, 0)
}
pub fn nor(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x27, rs, rt, rd, 0)
}
pub fn slt(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x2A, rs, rt, rd, 0)
}
pub fn sltu(rd: u32, rs: u32, rt: u32) -> u32 {
    r(0x2B, rs, rt, rd, 0)
}
pub fn bltz(rs: u32, off: i32) -> u32 {
    i(0x01, rs, 0x00, off)
}
pub fn bgez(rs: u32, off: i32) -> u32 {
    i(0x01, rs, 0x01, off)
}
pub fn bgezal(rs: u32, off: i32) -> u32 {
    i(0x01, rs, 0x11, off)
}
pub fn j(target: u32) -> u32 {
    (0x02 << 26) | ((target >> 2) & 0x03FF_FFFF)
}
pub fn jal(target: u32) -> u32 {
    (0x03 << 26) | ((target >> 2) & 0x03FF_FFFF)
}
pub fn beq(rs: u32, rt: u32, off: i32) -> u32 {
    i(0x04, rs, rt, off)
}
pub fn bne(rs: u32, rt: u32, off: i32) -> u32 {
    i(0x05, rs, rt, off)
}
pub fn blez(rs: u32, off: i32) -> u32 {
    i(0x06, rs, 0, off)
}
pub fn bgtz(rs: u32, off: i32) -> u32 {
    i(0x07, rs, 0, off)
}
pub fn addi(rt: u32, rs: u32, imm: i32) -> u32 {
    i(0x08, rs, rt, imm)
}
pub fn addiu(rt: u32, rs: u32, imm: i32) -> u32 {
    i(0x09, rs, rt, imm)
}
pub fn slti(rt: u32, rs: u32, imm: i32) -> u32 {
    i(0x0A, rs, rt, imm)
}
pub fn sltiu(rt: u32, rs: u32, imm: i32) -> u32 {
    i(0x0B, rs, rt, imm)
}
pub fn andi(rt: u32, rs: u32, imm: u32) -> u32 {
    i(0x0C, rs, rt, imm as i32)
}
pub fn ori(rt: u32, rs: u32, imm: u32) -> u32 {
    i(0x0D, rs, rt, imm as i32)
}
pub fn xori(rt: u32, rs: u32, imm: u32) -> u32 {
    i(0x0E, rs, rt, imm as i32)
}
pub fn lui(rt: u32, imm: u32) -> u32 {
    i(0x0F, 0, rt, imm as i32)
}
pub fn mul(rd: u32, rs: u32, rt: u32) -> u32 {
    r_op(0x1C, rs, rt, rd, 0, 0x02)
}
pub fn clz(rd: u32, rs: u32) -> u32 {
    r_op(0x1C, rs, rd, rd, 0, 0x20)
}
pub fn clo(rd: u32, rs: u32) -> u32 {
    r_op(0x1C, rs, rd, rd, 0, 0x21)
}
pub fn lb(rt: u32, off: i32, base: u32) -> u32 {
    i(0x20, base, rt, off)
}
pub fn lh(rt: u32, off: i32, base: u32) -> u32 {
    i(0x21, base, rt, off)
}
pub fn lwl(rt: u32, off: i32, base: u32) -> u32 {
    i(0x22, base, rt, off)
}
pub fn lw(rt: u32, off: i32, base: u32) -> u32 {
    i(0x23, base, rt, off)
}
pub fn lbu(rt: u32, off: i32, base: u32) -> u32 {
    i(0x24, base, rt, off)
}
pub fn lhu(rt: u32, off: i32, base: u32) -> u32 {
    i(0x25, base, rt, off)
}
pub fn lwr(rt: u32, off: i32, base: u32) -> u32 {
    i(0x26, base, rt, off)
}
pub fn sb(rt: u32, off: i32, base: u32) -> u32 {
    i(0x28, base, rt, off)
}
pub fn sh(rt: u32, off: i32, base: u32) -> u32 {
    i(0x29, base, rt, off)
}
pub fn swl(rt: u32, off: i32, base: u32) -> u32 {
    i(0x2A, base, rt, off)
}
pub fn sw(rt: u32, off: i32, base: u32) -> u32 {
    i(0x2B, base, rt, off)
}
pub fn swr(rt: u32, off: i32, base: u32) -> u32 {
    i(0x2E, base, rt, off)
}
pub fn ll(rt: u32, off: i32, base: u32) -> u32 {
    i(0x30, base, rt, off)
}
pub fn sc(rt: u32, off: i32, base: u32) -> u32 {
    i(0x38, base, rt, off)
}
pub fn nop() -> u32 {
    0
}

/// `li reg, value` as `lui` + `ori` (always two words).
pub fn li(reg: u32, value: u32) -> [u32; 2] {
    [lui(reg, value >> 16), ori(reg, reg, value & 0xFFFF)]
}

/// Memory holding big-endian `code` at `base`.
pub fn memory_with_code(base: u32, code: &[u32]) -> Memory {
    let mut m = Memory::new();
    for (k, w) in code.iter().enumerate() {
        m.store_word(base + 4 * k as u32, *w);
    }
    m
}

/// A VM with `code` at address 0, `pc = 0`, `nextPC = 4`, the given registers set.
pub fn vm_with(code: &[u32], regs: &[(u32, u32)]) -> Vm {
    vm_with_oracle(code, regs, MemoryOracle::new())
}

/// Like [`vm_with`] with an oracle.
pub fn vm_with_oracle(code: &[u32], regs: &[(u32, u32)], oracle: MemoryOracle) -> Vm {
    let mut state = State {
        pc: 0,
        next_pc: 4,
        heap: 0x0500_0000,
        ..State::default()
    };
    for (reg, v) in regs {
        state.registers[*reg as usize] = *v;
    }
    Vm::from_parts(state, memory_with_code(0, code), oracle)
}

/// Runs `code` for exactly `steps` steps (panicking on an exception) and returns the VM.
pub fn run_steps(code: &[u32], regs: &[(u32, u32)], steps: u64) -> Vm {
    let mut vm = vm_with(code, regs);
    let out = vm.run(steps).expect("no exception");
    assert_eq!(out.steps, steps.min(out.steps));
    vm
}

/// Runs one instruction and returns the VM.
pub fn run1(insn: u32, regs: &[(u32, u32)]) -> Vm {
    run_steps(&[insn], regs, 1)
}

/// Register `r` of a VM.
pub fn reg(vm: &Vm, r: u32) -> u32 {
    vm.registers()[r as usize]
}

/// `exit_group(code)` as three words.
pub fn exit_with(code: u32) -> [u32; 3] {
    [
        addiu(A0, ZERO, code as i32),
        addiu(V0, ZERO, 4246),
        syscall(),
    ]
}
