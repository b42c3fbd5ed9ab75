//! HI/LO instructions: moves, multiplication, division.
//!
//! Cannon quirk kept for identical state hashes: `mthi`, `mtlo`, `mult`, `multu`, `div` and
//! `divu` write 0 to `rd` when that (should-be-zero) field is not 0. Division by zero is an
//! exception, as in `MIPS.sol`.

use super::super::error::VmError;
use super::super::insn::{rd, rs, rt};
use super::super::state::State;
use super::{advance, set_reg};

#[inline(always)]
fn operands(st: &State, insn: u32) -> (u32, u32) {
    (st.registers[rs(insn)], st.registers[rt(insn)])
}

#[inline(always)]
fn finish(st: &mut State, insn: u32, value: u32) {
    set_reg(st, rd(insn), value);
    advance(st);
}

pub(super) fn mfhi(st: &mut State, insn: u32) {
    let v = st.hi;
    finish(st, insn, v);
}

pub(super) fn mflo(st: &mut State, insn: u32) {
    let v = st.lo;
    finish(st, insn, v);
}

pub(super) fn mthi(st: &mut State, insn: u32) {
    st.hi = operands(st, insn).0;
    finish(st, insn, 0);
}

pub(super) fn mtlo(st: &mut State, insn: u32) {
    st.lo = operands(st, insn).0;
    finish(st, insn, 0);
}

pub(super) fn mult(st: &mut State, insn: u32) {
    let (s, t) = operands(st, insn);
    let acc = i64::from(s as i32).wrapping_mul(i64::from(t as i32)) as u64;
    st.hi = (acc >> 32) as u32;
    st.lo = acc as u32;
    finish(st, insn, 0);
}

pub(super) fn multu(st: &mut State, insn: u32) {
    let (s, t) = operands(st, insn);
    let acc = u64::from(s) * u64::from(t);
    st.hi = (acc >> 32) as u32;
    st.lo = acc as u32;
    finish(st, insn, 0);
}

/// Signed division; `0x80000000 / -1` wraps to `0x80000000` remainder 0.
pub(super) fn div(st: &mut State, insn: u32) -> Result<(), VmError> {
    let (s, t) = operands(st, insn);
    if t == 0 {
        return Err(VmError::DivisionByZero { pc: st.pc, insn });
    }
    st.hi = (s as i32).wrapping_rem(t as i32) as u32;
    st.lo = (s as i32).wrapping_div(t as i32) as u32;
    finish(st, insn, 0);
    Ok(())
}

pub(super) fn divu(st: &mut State, insn: u32) -> Result<(), VmError> {
    let (s, t) = operands(st, insn);
    if t == 0 {
        return Err(VmError::DivisionByZero { pc: st.pc, insn });
    }
    st.hi = s % t;
    st.lo = s / t;
    finish(st, insn, 0);
    Ok(())
}
