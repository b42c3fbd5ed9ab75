//! The one instruction decoder: a 32-bit word to an [`Op`], shared by execution and by the
//! static checker, so the two can never disagree about what the VM runs.
//!
//! The supported set is the spec's MIPS32 subset (no floating point): add addi addiu addu and
//! andi beq bgez bgezal bgtz blez bltz bne clo clz div divu j jal jalr jr lb lbu lh lhu ll lui
//! lw lwl lwr mfhi mflo movn movz mthi mtlo mul mult multu nor or ori sb sc sh sll sllv slt slti
//! sltiu sltu sra srav srl srlv sub subu sw swl swr sync syscall xor xori.
//!
//! Like Cannon, fields that should be zero are not checked, with one deliberate exception: the
//! MIPS32r2 rotates `rotr` (SRL with rs = 1) and `rotrv` (SRLV with sa = 1) are rejected rather
//! than run as plain shifts. Every other encoding is [`Op::Invalid`].

/// Primary opcode (bits 31..26) of SPECIAL (R-type) instructions.
pub(crate) const OP_SPECIAL: u32 = 0x00;
/// Primary opcode of REGIMM branches.
pub(crate) const OP_REGIMM: u32 = 0x01;
/// Primary opcode of SPECIAL2 (mul, clz, clo).
pub(crate) const OP_SPECIAL2: u32 = 0x1C;
/// SPECIAL function code of `syscall`.
pub(crate) const FUNCT_SYSCALL: u32 = 0x0C;

/// A decoded instruction kind. Operands are read from the word by the executor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
#[allow(missing_docs)] // variant names are the MIPS mnemonics
pub enum Op {
    // SPECIAL
    Sll,
    Srl,
    Sra,
    Sllv,
    Srlv,
    Srav,
    Jr,
    Jalr,
    Movz,
    Movn,
    Syscall,
    Sync,
    Mfhi,
    Mthi,
    Mflo,
    Mtlo,
    Mult,
    Multu,
    Div,
    Divu,
    Add,
    Addu,
    Sub,
    Subu,
    And,
    Or,
    Xor,
    Nor,
    Slt,
    Sltu,
    // REGIMM
    Bltz,
    Bgez,
    Bgezal,
    // J-type
    J,
    Jal,
    // I-type branches
    Beq,
    Bne,
    Blez,
    Bgtz,
    // I-type ALU
    Addi,
    Addiu,
    Slti,
    Sltiu,
    Andi,
    Ori,
    Xori,
    Lui,
    // SPECIAL2
    Mul,
    Clz,
    Clo,
    // Loads and stores
    Lb,
    Lh,
    Lwl,
    Lw,
    Lbu,
    Lhu,
    Lwr,
    Sb,
    Sh,
    Swl,
    Sw,
    Swr,
    Ll,
    Sc,
    /// Not in the supported set: executing it is an exception.
    Invalid,
}

/// All valid ops, for tests and listings.
pub const ALL_OPS: &[Op] = &[
    Op::Sll,
    Op::Srl,
    Op::Sra,
    Op::Sllv,
    Op::Srlv,
    Op::Srav,
    Op::Jr,
    Op::Jalr,
    Op::Movz,
    Op::Movn,
    Op::Syscall,
    Op::Sync,
    Op::Mfhi,
    Op::Mthi,
    Op::Mflo,
    Op::Mtlo,
    Op::Mult,
    Op::Multu,
    Op::Div,
    Op::Divu,
    Op::Add,
    Op::Addu,
    Op::Sub,
    Op::Subu,
    Op::And,
    Op::Or,
    Op::Xor,
    Op::Nor,
    Op::Slt,
    Op::Sltu,
    Op::Bltz,
    Op::Bgez,
    Op::Bgezal,
    Op::J,
    Op::Jal,
    Op::Beq,
    Op::Bne,
    Op::Blez,
    Op::Bgtz,
    Op::Addi,
    Op::Addiu,
    Op::Slti,
    Op::Sltiu,
    Op::Andi,
    Op::Ori,
    Op::Xori,
    Op::Lui,
    Op::Mul,
    Op::Clz,
    Op::Clo,
    Op::Lb,
    Op::Lh,
    Op::Lwl,
    Op::Lw,
    Op::Lbu,
    Op::Lhu,
    Op::Lwr,
    Op::Sb,
    Op::Sh,
    Op::Swl,
    Op::Sw,
    Op::Swr,
    Op::Ll,
    Op::Sc,
];

/// Primary opcode, bits 31..26.
#[inline(always)]
pub fn opcode(insn: u32) -> u32 {
    insn >> 26
}
/// `rs` register number, bits 25..21.
#[inline(always)]
pub fn rs(insn: u32) -> usize {
    ((insn >> 21) & 0x1F) as usize
}
/// `rt` register number, bits 20..16.
#[inline(always)]
pub fn rt(insn: u32) -> usize {
    ((insn >> 16) & 0x1F) as usize
}
/// `rd` register number, bits 15..11.
#[inline(always)]
pub fn rd(insn: u32) -> usize {
    ((insn >> 11) & 0x1F) as usize
}
/// Shift amount, bits 10..6.
#[inline(always)]
pub fn shamt(insn: u32) -> u32 {
    (insn >> 6) & 0x1F
}
/// Function code, bits 5..0.
#[inline(always)]
pub fn funct(insn: u32) -> u32 {
    insn & 0x3F
}
/// The 16-bit immediate, sign-extended.
#[inline(always)]
pub(crate) fn simm(insn: u32) -> u32 {
    insn as u16 as i16 as i32 as u32
}
/// The 16-bit immediate, zero-extended.
#[inline(always)]
pub(crate) fn uimm(insn: u32) -> u32 {
    insn & 0xFFFF
}
/// The 26-bit jump index.
#[inline(always)]
pub(crate) fn target26(insn: u32) -> u32 {
    insn & 0x03FF_FFFF
}

/// Decodes an instruction word.
#[inline(always)]
pub fn decode(insn: u32) -> Op {
    match opcode(insn) {
        OP_SPECIAL => decode_special(insn),
        OP_REGIMM => match rt(insn) {
            0x00 => Op::Bltz,
            0x01 => Op::Bgez,
            0x11 => Op::Bgezal,
            _ => Op::Invalid,
        },
        0x02 => Op::J,
        0x03 => Op::Jal,
        0x04 => Op::Beq,
        0x05 => Op::Bne,
        0x06 => Op::Blez,
        0x07 => Op::Bgtz,
        0x08 => Op::Addi,
        0x09 => Op::Addiu,
        0x0A => Op::Slti,
        0x0B => Op::Sltiu,
        0x0C => Op::Andi,
        0x0D => Op::Ori,
        0x0E => Op::Xori,
        0x0F => Op::Lui,
        OP_SPECIAL2 => match funct(insn) {
            0x02 => Op::Mul,
            0x20 => Op::Clz,
            0x21 => Op::Clo,
            _ => Op::Invalid,
        },
        0x20 => Op::Lb,
        0x21 => Op::Lh,
        0x22 => Op::Lwl,
        0x23 => Op::Lw,
        0x24 => Op::Lbu,
        0x25 => Op::Lhu,
        0x26 => Op::Lwr,
        0x28 => Op::Sb,
        0x29 => Op::Sh,
        0x2A => Op::Swl,
        0x2B => Op::Sw,
        0x2E => Op::Swr,
        0x30 => Op::Ll,
        0x38 => Op::Sc,
        _ => Op::Invalid,
    }
}

#[inline(always)]
fn decode_special(insn: u32) -> Op {
    match funct(insn) {
        0x00 => Op::Sll,
        // rs = 1 is MIPS32r2 `rotr`.
        0x02 if rs(insn) == 1 => Op::Invalid,
        0x02 => Op::Srl,
        0x03 => Op::Sra,
        0x04 => Op::Sllv,
        // sa = 1 is MIPS32r2 `rotrv`.
        0x06 if shamt(insn) == 1 => Op::Invalid,
        0x06 => Op::Srlv,
        0x07 => Op::Srav,
        0x08 => Op::Jr,
        0x09 => Op::Jalr,
        0x0A => Op::Movz,
        0x0B => Op::Movn,
        FUNCT_SYSCALL => Op::Syscall,
        0x0F => Op::Sync,
        0x10 => Op::Mfhi,
        0x11 => Op::Mthi,
        0x12 => Op::Mflo,
        0x13 => Op::Mtlo,
        0x18 => Op::Mult,
        0x19 => Op::Multu,
        0x1A => Op::Div,
        0x1B => Op::Divu,
        0x20 => Op::Add,
        0x21 => Op::Addu,
        0x22 => Op::Sub,
        0x23 => Op::Subu,
        0x24 => Op::And,
        0x25 => Op::Or,
        0x26 => Op::Xor,
        0x27 => Op::Nor,
        0x2A => Op::Slt,
        0x2B => Op::Sltu,
        _ => Op::Invalid,
    }
}

impl Op {
    /// The assembler mnemonic.
    pub fn mnemonic(self) -> &'static str {
        match self {
            Op::Sll => "sll",
            Op::Srl => "srl",
            Op::Sra => "sra",
            Op::Sllv => "sllv",
            Op::Srlv => "srlv",
            Op::Srav => "srav",
            Op::Jr => "jr",
            Op::Jalr => "jalr",
            Op::Movz => "movz",
            Op::Movn => "movn",
            Op::Syscall => "syscall",
            Op::Sync => "sync",
            Op::Mfhi => "mfhi",
            Op::Mthi => "mthi",
            Op::Mflo => "mflo",
            Op::Mtlo => "mtlo",
            Op::Mult => "mult",
            Op::Multu => "multu",
            Op::Div => "div",
            Op::Divu => "divu",
            Op::Add => "add",
            Op::Addu => "addu",
            Op::Sub => "sub",
            Op::Subu => "subu",
            Op::And => "and",
            Op::Or => "or",
            Op::Xor => "xor",
            Op::Nor => "nor",
            Op::Slt => "slt",
            Op::Sltu => "sltu",
            Op::Bltz => "bltz",
            Op::Bgez => "bgez",
            Op::Bgezal => "bgezal",
            Op::J => "j",
            Op::Jal => "jal",
            Op::Beq => "beq",
            Op::Bne => "bne",
            Op::Blez => "blez",
            Op::Bgtz => "bgtz",
            Op::Addi => "addi",
            Op::Addiu => "addiu",
            Op::Slti => "slti",
            Op::Sltiu => "sltiu",
            Op::Andi => "andi",
            Op::Ori => "ori",
            Op::Xori => "xori",
            Op::Lui => "lui",
            Op::Mul => "mul",
            Op::Clz => "clz",
            Op::Clo => "clo",
            Op::Lb => "lb",
            Op::Lh => "lh",
            Op::Lwl => "lwl",
            Op::Lw => "lw",
            Op::Lbu => "lbu",
            Op::Lhu => "lhu",
            Op::Lwr => "lwr",
            Op::Sb => "sb",
            Op::Sh => "sh",
            Op::Swl => "swl",
            Op::Sw => "sw",
            Op::Swr => "swr",
            Op::Ll => "ll",
            Op::Sc => "sc",
            Op::Invalid => "(invalid)",
        }
    }

    /// Whether the op is a branch or jump (has a delay slot, may not stand in one).
    pub(crate) fn is_branch_or_jump(self) -> bool {
        matches!(
            self,
            Op::J
                | Op::Jal
                | Op::Jr
                | Op::Jalr
                | Op::Beq
                | Op::Bne
                | Op::Blez
                | Op::Bgtz
                | Op::Bltz
                | Op::Bgez
                | Op::Bgezal
        )
    }

    /// Whether the op reads or writes a data word in memory (and so needs a second proof).
    pub(crate) fn accesses_memory(self) -> bool {
        matches!(
            self,
            Op::Lb
                | Op::Lh
                | Op::Lwl
                | Op::Lw
                | Op::Lbu
                | Op::Lhu
                | Op::Lwr
                | Op::Sb
                | Op::Sh
                | Op::Swl
                | Op::Sw
                | Op::Swr
                | Op::Ll
                | Op::Sc
        )
    }
}

/// Best-effort description of why a word is invalid, for the static checker.
pub(crate) fn invalid_reason(insn: u32) -> &'static str {
    match opcode(insn) {
        OP_SPECIAL => match funct(insn) {
            0x02 => "rotr (MIPS32r2)",
            0x06 => "rotrv (MIPS32r2)",
            0x01 => "movf/movt (floating point)",
            0x0D => "break",
            0x30..=0x36 => "trap (teq/tge/...)",
            _ => "unsupported SPECIAL function",
        },
        OP_REGIMM => match rt(insn) {
            0x10 => "bltzal",
            0x02 | 0x03 | 0x12 | 0x13 => "branch-likely",
            0x08..=0x0E => "trap-immediate",
            _ => "unsupported REGIMM branch",
        },
        OP_SPECIAL2 => match funct(insn) {
            0x00 | 0x01 | 0x04 | 0x05 => "madd/maddu/msub/msubu",
            _ => "unsupported SPECIAL2 function",
        },
        0x10..=0x13 => "coprocessor instruction",
        0x14..=0x17 => "branch-likely",
        0x1F => "SPECIAL3 (MIPS32r2: ext/ins/seb/seh/wsbh)",
        0x31 | 0x35 | 0x39 | 0x3D => "floating-point load/store",
        0x33 => "pref",
        0x2F => "cache",
        _ => "unsupported opcode",
    }
}
