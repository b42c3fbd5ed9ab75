//! Arithmetic, logic, shifts, `lui`, SPECIAL2 (`mul`, `clz`, `clo`), `movz`/`movn`, `sync`.
//!
//! `add`, `addi` and `sub` do not trap on overflow (docs/fpvm.md § Compiler Assumptions).

use super::super::insn::{rd, rs, rt, shamt, simm, uimm};
use super::super::state::State;
use super::{advance, set_reg};

/// Runs an R-type op `rd = f(insn, rs, rt)`.
#[inline(always)]
pub(super) fn r_type(st: &mut State, insn: u32, f: fn(u32, u32, u32) -> u32) {
    let s = st.registers[rs(insn)];
    let t = st.registers[rt(insn)];
    set_reg(st, rd(insn), f(insn, s, t));
    advance(st);
}

/// Runs an I-type op `rt = f(insn, rs)`.
#[inline(always)]
pub(super) fn i_type(st: &mut State, insn: u32, f: fn(u32, u32) -> u32) {
    let s = st.registers[rs(insn)];
    set_reg(st, rt(insn), f(insn, s));
    advance(st);
}

/// `movz` / `movn`: `rd = rs` when `cond(rt)`.
#[inline(always)]
pub(super) fn mov_if(st: &mut State, insn: u32, cond: fn(u32) -> bool) {
    let s = st.registers[rs(insn)];
    if cond(st.registers[rt(insn)]) {
        set_reg(st, rd(insn), s);
    }
    advance(st);
}

pub(super) fn sll(insn: u32, _s: u32, t: u32) -> u32 {
    t << shamt(insn)
}
pub(super) fn srl(insn: u32, _s: u32, t: u32) -> u32 {
    t >> shamt(insn)
}
pub(super) fn sra(insn: u32, _s: u32, t: u32) -> u32 {
    ((t as i32) >> shamt(insn)) as u32
}
pub(super) fn sllv(_insn: u32, s: u32, t: u32) -> u32 {
    t << (s & 0x1F)
}
pub(super) fn srlv(_insn: u32, s: u32, t: u32) -> u32 {
    t >> (s & 0x1F)
}
pub(super) fn srav(_insn: u32, s: u32, t: u32) -> u32 {
    ((t as i32) >> (s & 0x1F)) as u32
}
pub(super) fn add(_insn: u32, s: u32, t: u32) -> u32 {
    s.wrapping_add(t)
}
pub(super) fn sub(_insn: u32, s: u32, t: u32) -> u32 {
    s.wrapping_sub(t)
}
pub(super) fn and(_insn: u32, s: u32, t: u32) -> u32 {
    s & t
}
pub(super) fn or(_insn: u32, s: u32, t: u32) -> u32 {
    s | t
}
pub(super) fn xor(_insn: u32, s: u32, t: u32) -> u32 {
    s ^ t
}
pub(super) fn nor(_insn: u32, s: u32, t: u32) -> u32 {
    !(s | t)
}
pub(super) fn slt(_insn: u32, s: u32, t: u32) -> u32 {
    u32::from((s as i32) < (t as i32))
}
pub(super) fn sltu(_insn: u32, s: u32, t: u32) -> u32 {
    u32::from(s < t)
}
pub(super) fn mul(_insn: u32, s: u32, t: u32) -> u32 {
    (s as i32).wrapping_mul(t as i32) as u32
}
pub(super) fn clz(_insn: u32, s: u32, _t: u32) -> u32 {
    s.leading_zeros()
}
pub(super) fn clo(_insn: u32, s: u32, _t: u32) -> u32 {
    s.leading_ones()
}
/// `sync` is a no-op for a single thread. Like Cannon, it writes `rs` to `rd`; both fields are
/// zero in every real encoding.
pub(super) fn sync(_insn: u32, s: u32, _t: u32) -> u32 {
    s
}

pub(super) fn addi(insn: u32, s: u32) -> u32 {
    s.wrapping_add(simm(insn))
}
pub(super) fn slti(insn: u32, s: u32) -> u32 {
    u32::from((s as i32) < (simm(insn) as i32))
}
/// `sltiu` compares unsigned against the sign-extended immediate.
pub(super) fn sltiu(insn: u32, s: u32) -> u32 {
    u32::from(s < simm(insn))
}
pub(super) fn andi(insn: u32, s: u32) -> u32 {
    s & uimm(insn)
}
pub(super) fn ori(insn: u32, s: u32) -> u32 {
    s | uimm(insn)
}
pub(super) fn xori(insn: u32, s: u32) -> u32 {
    s ^ uimm(insn)
}
pub(super) fn lui(insn: u32, _s: u32) -> u32 {
    uimm(insn) << 16
}
