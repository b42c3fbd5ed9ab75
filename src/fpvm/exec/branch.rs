//! Branches and jumps, with their delay slots.
//!
//! docs/fpvm.md § Delay Slots: a branch sets `pc = nextPC` (the delay slot) and `nextPC` to the target
//! if taken (relative to the branch's address + 4), else `nextPC + 4`. A branch or jump whose
//! pre-state has `nextPC != pc + 4` stands in a delay slot and is an exception.

use super::super::error::VmError;
use super::super::insn::{rd, rs, rt, simm, target26};
use super::super::state::State;
use super::set_reg;

/// Register that `jal` and `bgezal` link into.
const REG_RA: usize = 31;

#[inline(always)]
fn check_delay_slot(st: &State, insn: u32) -> Result<(), VmError> {
    if st.next_pc != st.pc.wrapping_add(4) {
        return Err(VmError::BranchInDelaySlot {
            pc: st.pc,
            next_pc: st.next_pc,
            insn,
        });
    }
    Ok(())
}

#[inline(always)]
fn take_branch(st: &mut State, insn: u32, taken: bool) {
    let branch_pc = st.pc;
    st.pc = st.next_pc;
    st.next_pc = if taken {
        branch_pc.wrapping_add(4).wrapping_add(simm(insn) << 2)
    } else {
        st.next_pc.wrapping_add(4)
    };
}

/// Conditional branch on `taken(rs, rt)` (rt is ignored by the one-register branches).
#[inline(always)]
pub(super) fn cond(st: &mut State, insn: u32, taken: fn(u32, u32) -> bool) -> Result<(), VmError> {
    check_delay_slot(st, insn)?;
    let t = taken(st.registers[rs(insn)], st.registers[rt(insn)]);
    take_branch(st, insn, t);
    Ok(())
}

/// `bgezal` (also `bal`): links `$ra = pc + 8` whether or not the branch is taken, like
/// Cannon's `MIPS.sol`; the condition reads `rs` before the link is written.
#[inline(always)]
pub(super) fn bgezal(st: &mut State, insn: u32) -> Result<(), VmError> {
    check_delay_slot(st, insn)?;
    let taken = (st.registers[rs(insn)] as i32) >= 0;
    st.registers[REG_RA] = st.pc.wrapping_add(8);
    take_branch(st, insn, taken);
    Ok(())
}

#[inline(always)]
fn jump(st: &mut State, link: usize, target: u32) {
    let jump_pc = st.pc;
    st.pc = st.next_pc;
    st.next_pc = target;
    set_reg(st, link, jump_pc.wrapping_add(8));
}

/// `j` / `jal`: target `(nextPC & 0xF0000000) | (index << 2)`.
#[inline(always)]
pub(super) fn j(st: &mut State, insn: u32, link: bool) -> Result<(), VmError> {
    check_delay_slot(st, insn)?;
    let target = (st.next_pc & 0xF000_0000) | (target26(insn) << 2);
    jump(st, if link { REG_RA } else { 0 }, target);
    Ok(())
}

/// `jr` / `jalr` (links into `rd`; the target is read before the link is written).
#[inline(always)]
pub(super) fn jr(st: &mut State, insn: u32, link: bool) -> Result<(), VmError> {
    check_delay_slot(st, insn)?;
    let target = st.registers[rs(insn)];
    jump(st, if link { rd(insn) } else { 0 }, target);
    Ok(())
}
