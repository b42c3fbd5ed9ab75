//! One step of execution: fetch, decode with [`crate::fpvm::insn::decode`], dispatch to the
//! instruction families.
//!
//! Spec: `cannon-fault-proof-vm.md` (whole document). Where the spec is silent, behaviour
//! follows Cannon's single-threaded Go VM and `MIPS.sol`, noted at each place.
//!
//! Every handler checks everything that can fail before it changes anything, so a failing step
//! leaves the state untouched.

mod alu;
mod branch;
mod hilo;
mod mem;
pub(crate) mod syscall;

use super::error::VmError;
use super::insn::{decode, Op};
use super::memory::Memory;
use super::oracle::{HintHandler, PreimageOracle};
use super::state::State;

pub(crate) use syscall::IoState;

/// The data word a step read or wrote, for the step's second memory proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MemAccess {
    /// The 4-byte aligned address of the word.
    pub addr: u32,
    /// The word's value before the step.
    pub pre_word: u32,
}

/// Result of one successful step: the data word it touched, if any.
pub(crate) type StepResult = Result<Option<MemAccess>, VmError>;

/// `pc = nextPC; nextPC += 4`: the successor of a non-branch instruction.
#[inline(always)]
pub(crate) fn advance(st: &mut State) {
    st.pc = st.next_pc;
    st.next_pc = st.next_pc.wrapping_add(4);
}

/// Writes a register; writes to r0 are dropped.
#[inline(always)]
pub(crate) fn set_reg(st: &mut State, reg: usize, value: u32) {
    if reg != 0 {
        st.registers[reg] = value;
    }
}

/// Evaluates a handler that touches no data word.
macro_rules! no_data {
    ($e:expr) => {{
        $e;
        None
    }};
}

/// Executes the instruction at `st.pc`. The caller has checked that the state has not exited.
#[inline(always)]
pub(crate) fn step<O: PreimageOracle + HintHandler>(
    st: &mut State,
    memory: &mut Memory,
    io: &mut IoState,
    oracle: &mut O,
) -> StepResult {
    let pc = st.pc;
    if pc & 3 != 0 {
        return Err(VmError::UnalignedPc { pc });
    }
    let insn = memory.load_word(pc);
    let access = match decode(insn) {
        // alu.rs: register-register
        Op::Sll => no_data!(alu::r_type(st, insn, alu::sll)),
        Op::Srl => no_data!(alu::r_type(st, insn, alu::srl)),
        Op::Sra => no_data!(alu::r_type(st, insn, alu::sra)),
        Op::Sllv => no_data!(alu::r_type(st, insn, alu::sllv)),
        Op::Srlv => no_data!(alu::r_type(st, insn, alu::srlv)),
        Op::Srav => no_data!(alu::r_type(st, insn, alu::srav)),
        Op::Add | Op::Addu => no_data!(alu::r_type(st, insn, alu::add)),
        Op::Sub | Op::Subu => no_data!(alu::r_type(st, insn, alu::sub)),
        Op::And => no_data!(alu::r_type(st, insn, alu::and)),
        Op::Or => no_data!(alu::r_type(st, insn, alu::or)),
        Op::Xor => no_data!(alu::r_type(st, insn, alu::xor)),
        Op::Nor => no_data!(alu::r_type(st, insn, alu::nor)),
        Op::Slt => no_data!(alu::r_type(st, insn, alu::slt)),
        Op::Sltu => no_data!(alu::r_type(st, insn, alu::sltu)),
        Op::Mul => no_data!(alu::r_type(st, insn, alu::mul)),
        Op::Clz => no_data!(alu::r_type(st, insn, alu::clz)),
        Op::Clo => no_data!(alu::r_type(st, insn, alu::clo)),
        Op::Sync => no_data!(alu::r_type(st, insn, alu::sync)),
        Op::Movz => no_data!(alu::mov_if(st, insn, |t| t == 0)),
        Op::Movn => no_data!(alu::mov_if(st, insn, |t| t != 0)),
        // alu.rs: register-immediate
        Op::Addi | Op::Addiu => no_data!(alu::i_type(st, insn, alu::addi)),
        Op::Slti => no_data!(alu::i_type(st, insn, alu::slti)),
        Op::Sltiu => no_data!(alu::i_type(st, insn, alu::sltiu)),
        Op::Andi => no_data!(alu::i_type(st, insn, alu::andi)),
        Op::Ori => no_data!(alu::i_type(st, insn, alu::ori)),
        Op::Xori => no_data!(alu::i_type(st, insn, alu::xori)),
        Op::Lui => no_data!(alu::i_type(st, insn, alu::lui)),
        // branch.rs
        Op::Beq => no_data!(branch::cond(st, insn, |s, t| s == t)?),
        Op::Bne => no_data!(branch::cond(st, insn, |s, t| s != t)?),
        Op::Blez => no_data!(branch::cond(st, insn, |s, _| (s as i32) <= 0)?),
        Op::Bgtz => no_data!(branch::cond(st, insn, |s, _| (s as i32) > 0)?),
        Op::Bltz => no_data!(branch::cond(st, insn, |s, _| (s as i32) < 0)?),
        Op::Bgez => no_data!(branch::cond(st, insn, |s, _| (s as i32) >= 0)?),
        Op::Bgezal => no_data!(branch::bgezal(st, insn)?),
        Op::J => no_data!(branch::j(st, insn, false)?),
        Op::Jal => no_data!(branch::j(st, insn, true)?),
        Op::Jr => no_data!(branch::jr(st, insn, false)?),
        Op::Jalr => no_data!(branch::jr(st, insn, true)?),
        // hilo.rs
        Op::Mfhi => no_data!(hilo::mfhi(st, insn)),
        Op::Mflo => no_data!(hilo::mflo(st, insn)),
        Op::Mthi => no_data!(hilo::mthi(st, insn)),
        Op::Mtlo => no_data!(hilo::mtlo(st, insn)),
        Op::Mult => no_data!(hilo::mult(st, insn)),
        Op::Multu => no_data!(hilo::multu(st, insn)),
        Op::Div => no_data!(hilo::div(st, insn)?),
        Op::Divu => no_data!(hilo::divu(st, insn)?),
        // mem.rs
        Op::Lb => Some(mem::load(st, memory, insn, mem::lb)),
        Op::Lh => Some(mem::load(st, memory, insn, mem::lh)),
        Op::Lwl => Some(mem::load(st, memory, insn, mem::lwl)),
        Op::Lw | Op::Ll => Some(mem::load(st, memory, insn, mem::lw)),
        Op::Lbu => Some(mem::load(st, memory, insn, mem::lbu)),
        Op::Lhu => Some(mem::load(st, memory, insn, mem::lhu)),
        Op::Lwr => Some(mem::load(st, memory, insn, mem::lwr)),
        Op::Sb => Some(mem::store(st, memory, insn, mem::sb)),
        Op::Sh => Some(mem::store(st, memory, insn, mem::sh)),
        Op::Swl => Some(mem::store(st, memory, insn, mem::swl)),
        Op::Sw => Some(mem::store(st, memory, insn, mem::sw)),
        Op::Swr => Some(mem::store(st, memory, insn, mem::swr)),
        Op::Sc => Some(mem::sc(st, memory, insn)),
        // syscall.rs
        Op::Syscall => syscall::syscall(st, memory, io, oracle)?,
        Op::Invalid => return Err(VmError::InvalidInstruction { pc, insn }),
    };
    st.step = st.step.wrapping_add(1);
    Ok(access)
}
