//! Loads and stores.
//!
//! Every access reads (and a store rewrites) the one aligned word at `(rs + simm) & !3`; the
//! low address bits select bytes inside it, big-endian. Unaligned `lh`/`lw`/`sh`/`sw` do not
//! trap (docs/fpvm.md § Compiler Assumptions): they use the containing half-word / word, as Cannon does.
//! `ll` is a plain load and `sc` a plain store that always succeeds (writes 1 to `rt`).

use super::super::insn::{rs, rt, simm};
use super::super::memory::Memory;
use super::super::state::State;
use super::{advance, set_reg, MemAccess};

#[inline(always)]
fn effective_address(st: &State, insn: u32) -> u32 {
    st.registers[rs(insn)].wrapping_add(simm(insn))
}

/// Shift that brings the byte at `ea` to the bottom of its word.
#[inline(always)]
fn byte_shift(ea: u32) -> u32 {
    24 - (ea & 3) * 8
}

/// Shift that brings the half-word at `ea & !1` to the bottom of its word.
#[inline(always)]
fn half_shift(ea: u32) -> u32 {
    16 - (ea & 2) * 8
}

/// A load: `rt = f(ea, word, old rt)`.
#[inline(always)]
pub(super) fn load(
    st: &mut State,
    memory: &Memory,
    insn: u32,
    f: fn(u32, u32, u32) -> u32,
) -> MemAccess {
    let ea = effective_address(st, insn);
    let addr = ea & !3;
    let word = memory.load_word(addr);
    let rt_reg = rt(insn);
    let value = f(ea, word, st.registers[rt_reg]);
    set_reg(st, rt_reg, value);
    advance(st);
    MemAccess {
        addr,
        pre_word: word,
    }
}

/// A store: `word = f(ea, word, rt)`.
#[inline(always)]
pub(super) fn store(
    st: &mut State,
    memory: &mut Memory,
    insn: u32,
    f: fn(u32, u32, u32) -> u32,
) -> MemAccess {
    let ea = effective_address(st, insn);
    let addr = ea & !3;
    let word = memory.load_word(addr);
    let value = f(ea, word, st.registers[rt(insn)]);
    if value != word {
        memory.store_word(addr, value);
    }
    advance(st);
    MemAccess {
        addr,
        pre_word: word,
    }
}

/// `sc`: stores `rt`, then sets `rt = 1`.
#[inline(always)]
pub(super) fn sc(st: &mut State, memory: &mut Memory, insn: u32) -> MemAccess {
    let access = store(st, memory, insn, sw);
    set_reg(st, rt(insn), 1);
    access
}

pub(super) fn lb(ea: u32, word: u32, _rt: u32) -> u32 {
    (word >> byte_shift(ea)) as u8 as i8 as i32 as u32
}
pub(super) fn lbu(ea: u32, word: u32, _rt: u32) -> u32 {
    (word >> byte_shift(ea)) & 0xFF
}
pub(super) fn lh(ea: u32, word: u32, _rt: u32) -> u32 {
    (word >> half_shift(ea)) as u16 as i16 as i32 as u32
}
pub(super) fn lhu(ea: u32, word: u32, _rt: u32) -> u32 {
    (word >> half_shift(ea)) & 0xFFFF
}
pub(super) fn lw(_ea: u32, word: u32, _rt: u32) -> u32 {
    word
}
/// `lwl`: the word's bytes from `ea` on fill `rt` from the left.
pub(super) fn lwl(ea: u32, word: u32, rt: u32) -> u32 {
    let shift = (ea & 3) * 8;
    let mask = u32::MAX << shift;
    (rt & !mask) | (word << shift)
}
/// `lwr`: the word's bytes up to `ea` fill `rt` from the right.
pub(super) fn lwr(ea: u32, word: u32, rt: u32) -> u32 {
    let shift = byte_shift(ea);
    let mask = u32::MAX >> shift;
    (rt & !mask) | (word >> shift)
}
pub(super) fn sb(ea: u32, word: u32, rt: u32) -> u32 {
    let shift = byte_shift(ea);
    (word & !(0xFF << shift)) | ((rt & 0xFF) << shift)
}
pub(super) fn sh(ea: u32, word: u32, rt: u32) -> u32 {
    let shift = half_shift(ea);
    (word & !(0xFFFF << shift)) | ((rt & 0xFFFF) << shift)
}
pub(super) fn sw(_ea: u32, _word: u32, rt: u32) -> u32 {
    rt
}
/// `swl`: the left bytes of `rt` go to the word from `ea` on.
pub(super) fn swl(ea: u32, word: u32, rt: u32) -> u32 {
    let shift = (ea & 3) * 8;
    let mask = u32::MAX >> shift;
    (word & !mask) | (rt >> shift)
}
/// `swr`: the right bytes of `rt` go to the word up to `ea`.
pub(super) fn swr(ea: u32, word: u32, rt: u32) -> u32 {
    let shift = byte_shift(ea);
    let mask = u32::MAX << shift;
    (word & !mask) | (rt << shift)
}
