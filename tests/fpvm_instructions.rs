//! One test per instruction of the supported set, with hand-checked registers, plus the
//! exceptions (spec `cannon-fault-proof-vm.md` § Exceptions, § Delay Slots).
//! Code is flat big-endian words at address 0, as in Cannon's instruction tests.

use crate::asm;

use asm::*;
use ogs::fpvm::insn::{decode, Op, ALL_OPS};
use ogs::fpvm::VmError;

#[test]
fn encodings_match_gnu_as() {
    // Reference words from `mips-linux-gnu-as -march=mips32` + objdump.
    assert_eq!(addu(V1, AT, V0), 0x0022_1821);
    assert_eq!(addiu(V1, AT, -5), 0x2423_fffb);
    assert_eq!(lw(A0, 8, A1), 0x8ca4_0008);
    assert_eq!(sw(A0, -4, A1), 0xaca4_fffc);
    assert_eq!(beq(AT, V0, 3), 0x1022_0003);
    assert_eq!(bgezal(V1, 1), 0x0471_0001);
    assert_eq!(j(0x40), 0x0800_0010);
    assert_eq!(jalr(RA, A0), 0x0080_f809);
    assert_eq!(sll(V1, V0, 4), 0x0002_1900);
    assert_eq!(mult(A0, A1), 0x0085_0018);
    assert_eq!(clz(V1, A0), 0x7083_1820);
    assert_eq!(clo(V1, A0), 0x7083_1821);
    assert_eq!(mul(V1, A0, A1), 0x7085_1802);
    assert_eq!(lwl(V1, 1, A0), 0x8883_0001);
    assert_eq!(swr(V1, 2, A0), 0xb883_0002);
    assert_eq!(ll(V1, 0, A0), 0xc083_0000);
    assert_eq!(sc(V1, 0, A0), 0xe083_0000);
    assert_eq!(movn(V1, A0, A1), 0x0085_180b);
    assert_eq!(srav(V1, A0, A1), 0x00a4_1807);
    assert_eq!(sltiu(V1, A0, -1), 0x2c83_ffff);
    assert_eq!(lui(V1, 0x1234), 0x3c03_1234);
}

#[test]
fn decoder_knows_every_op_and_names_are_unique() {
    let names: std::collections::HashSet<_> = ALL_OPS.iter().map(|o| o.mnemonic()).collect();
    assert_eq!(names.len(), ALL_OPS.len());
    assert_eq!(ALL_OPS.len(), 64, "spec list has 64 mnemonics");
}

// --- alu.rs: register-register ---------------------------------------------------------------

#[test]
fn add_family_wraps_without_trapping() {
    // § Compiler Assumptions: add/addi/sub do not trap on overflow.
    let vm = run1(add(V1, A0, A1), &[(A0, 0x7FFF_FFFF), (A1, 1)]);
    assert_eq!(reg(&vm, V1), 0x8000_0000);
    let vm = run1(addu(V1, A0, A1), &[(A0, 0xFFFF_FFFF), (A1, 2)]);
    assert_eq!(reg(&vm, V1), 1);
    let vm = run1(sub(V1, A0, A1), &[(A0, 0x8000_0000), (A1, 1)]);
    assert_eq!(reg(&vm, V1), 0x7FFF_FFFF);
    let vm = run1(subu(V1, A0, A1), &[(A0, 1), (A1, 2)]);
    assert_eq!(reg(&vm, V1), 0xFFFF_FFFF);
    assert_eq!(vm.pc(), 4);
    assert_eq!(vm.cpu_state().next_pc, 8);
}

#[test]
fn logic_ops() {
    let regs = [(A0, 0xF0F0_1234), (A1, 0x0FF0_4321)];
    assert_eq!(reg(&run1(and(V1, A0, A1), &regs), V1), 0x00F0_0220);
    assert_eq!(reg(&run1(or(V1, A0, A1), &regs), V1), 0xFFF0_5335);
    assert_eq!(reg(&run1(xor(V1, A0, A1), &regs), V1), 0xFF00_5115);
    assert_eq!(reg(&run1(nor(V1, A0, A1), &regs), V1), 0x000F_ACCA);
}

#[test]
fn set_less_than() {
    let regs = [(A0, 0xFFFF_FFFF), (A1, 1)];
    assert_eq!(reg(&run1(slt(V1, A0, A1), &regs), V1), 1); // -1 < 1
    assert_eq!(reg(&run1(sltu(V1, A0, A1), &regs), V1), 0); // 0xffffffff > 1
    assert_eq!(reg(&run1(slti(V1, A0, 0), &regs), V1), 1);
    // sltiu compares against the sign-extended immediate, unsigned.
    assert_eq!(reg(&run1(sltiu(V1, A1, -1), &regs), V1), 1);
    assert_eq!(reg(&run1(sltiu(V1, A0, -1), &regs), V1), 0);
}

#[test]
fn shifts() {
    let regs = [(A0, 0x8000_00F1), (A1, 36)]; // variable shifts use rs & 31 = 4
    assert_eq!(reg(&run1(sll(V1, A0, 4), &regs), V1), 0x0000_0F10);
    assert_eq!(reg(&run1(srl(V1, A0, 4), &regs), V1), 0x0800_000F);
    assert_eq!(reg(&run1(sra(V1, A0, 4), &regs), V1), 0xF800_000F);
    assert_eq!(reg(&run1(sra(V1, A0, 0), &regs), V1), 0x8000_00F1);
    assert_eq!(reg(&run1(sllv(V1, A0, A1), &regs), V1), 0x0000_0F10);
    assert_eq!(reg(&run1(srlv(V1, A0, A1), &regs), V1), 0x0800_000F);
    assert_eq!(reg(&run1(srav(V1, A0, A1), &regs), V1), 0xF800_000F);
}

#[test]
fn special2_mul_clz_clo() {
    let vm = run1(mul(V1, A0, A1), &[(A0, 0xFFFF_FFFE), (A1, 3)]);
    assert_eq!(reg(&vm, V1), 0xFFFF_FFFA); // -2 * 3
    assert_eq!(reg(&run1(clz(V1, A0), &[(A0, 0x0000_F000)]), V1), 16);
    assert_eq!(reg(&run1(clz(V1, A0), &[(A0, 0)]), V1), 32);
    assert_eq!(reg(&run1(clo(V1, A0), &[(A0, 0xFFF0_0000)]), V1), 12);
    assert_eq!(reg(&run1(clo(V1, A0), &[(A0, 0xFFFF_FFFF)]), V1), 32);
}

#[test]
fn movz_movn() {
    let vm = run1(movz(V1, A0, A1), &[(A0, 7), (A1, 0), (V1, 1)]);
    assert_eq!(reg(&vm, V1), 7);
    let vm = run1(movz(V1, A0, A1), &[(A0, 7), (A1, 5), (V1, 1)]);
    assert_eq!(reg(&vm, V1), 1);
    let vm = run1(movn(V1, A0, A1), &[(A0, 7), (A1, 5), (V1, 1)]);
    assert_eq!(reg(&vm, V1), 7);
    let vm = run1(movn(V1, A0, A1), &[(A0, 7), (A1, 0), (V1, 1)]);
    assert_eq!(reg(&vm, V1), 1);
}

#[test]
fn register_zero_is_never_written() {
    let vm = run1(addiu(ZERO, ZERO, 5), &[]);
    assert_eq!(reg(&vm, ZERO), 0);
    let vm = run1(lui(ZERO, 0xFFFF), &[]);
    assert_eq!(reg(&vm, ZERO), 0);
}

#[test]
fn sync_is_a_no_op() {
    let vm = run1(sync(), &[(A0, 3)]);
    assert_eq!(
        vm.registers()[1..],
        [0, 0, 0, 3]
            .iter()
            .copied()
            .chain([0; 27])
            .collect::<Vec<_>>()[..]
    );
    assert_eq!(vm.pc(), 4);
}

// --- alu.rs: immediates ----------------------------------------------------------------------

#[test]
fn immediates() {
    assert_eq!(reg(&run1(addi(V1, A0, -1), &[(A0, 0)]), V1), 0xFFFF_FFFF);
    assert_eq!(reg(&run1(addiu(V1, A0, 0x7FFF), &[(A0, 1)]), V1), 0x8000);
    // andi/ori/xori zero-extend.
    assert_eq!(
        reg(&run1(andi(V1, A0, 0xFFFF), &[(A0, 0xFFFF_1234)]), V1),
        0x1234
    );
    assert_eq!(
        reg(&run1(ori(V1, A0, 0x8000), &[(A0, 0x0001_0000)]), V1),
        0x0001_8000
    );
    assert_eq!(
        reg(&run1(xori(V1, A0, 0xFFFF), &[(A0, 0x0000_00FF)]), V1),
        0xFF00
    );
    assert_eq!(reg(&run1(lui(V1, 0x8001), &[]), V1), 0x8001_0000);
}

// --- hilo.rs ---------------------------------------------------------------------------------

#[test]
fn mult_multu() {
    let vm = run_steps(
        &[mult(A0, A1), mfhi(V0), mflo(V1)],
        &[(A0, 0xFFFF_FFFF), (A1, 2)],
        3,
    );
    assert_eq!((reg(&vm, V0), reg(&vm, V1)), (0xFFFF_FFFF, 0xFFFF_FFFE)); // -2
    let vm = run_steps(
        &[multu(A0, A1), mfhi(V0), mflo(V1)],
        &[(A0, 0xFFFF_FFFF), (A1, 2)],
        3,
    );
    assert_eq!((reg(&vm, V0), reg(&vm, V1)), (1, 0xFFFF_FFFE));
}

#[test]
fn div_divu() {
    let vm = run_steps(
        &[div(A0, A1), mfhi(V0), mflo(V1)],
        &[(A0, (-7i32) as u32), (A1, 2)],
        3,
    );
    assert_eq!((reg(&vm, V0) as i32, reg(&vm, V1) as i32), (-1, -3)); // truncating
    let vm = run_steps(
        &[divu(A0, A1), mfhi(V0), mflo(V1)],
        &[(A0, 0xFFFF_FFF9), (A1, 2)],
        3,
    );
    assert_eq!((reg(&vm, V0), reg(&vm, V1)), (1, 0x7FFF_FFFC));
    // i32::MIN / -1 wraps.
    let vm = run_steps(
        &[div(A0, A1), mfhi(V0), mflo(V1)],
        &[(A0, 0x8000_0000), (A1, u32::MAX)],
        3,
    );
    assert_eq!((reg(&vm, V0), reg(&vm, V1)), (0, 0x8000_0000));
}

#[test]
fn division_by_zero_is_an_exception() {
    for insn in [div(A0, A1), divu(A0, A1)] {
        let mut vm = vm_with(&[insn], &[(A0, 5)]);
        let err = vm.run(1).unwrap_err();
        assert_eq!(err, VmError::DivisionByZero { pc: 0, insn });
        assert_eq!(vm.step_count(), 0, "failing step leaves the pre-state");
        assert_eq!(vm.pc(), 0);
    }
}

#[test]
fn mthi_mtlo() {
    let vm = run_steps(
        &[mthi(A0), mtlo(A1), mfhi(V0), mflo(V1)],
        &[(A0, 11), (A1, 22)],
        4,
    );
    assert_eq!((reg(&vm, V0), reg(&vm, V1)), (11, 22));
    assert_eq!((vm.cpu_state().hi, vm.cpu_state().lo), (11, 22));
}

#[test]
fn hilo_writes_zero_to_nonzero_rd_like_cannon() {
    // Cannon's handleHiLo writes its (zero) result to a non-zero rd for mult & co.
    let vm = run1(r(0x18, A0, A1, V1, 0), &[(A0, 3), (A1, 4), (V1, 99)]);
    assert_eq!(reg(&vm, V1), 0);
    assert_eq!(vm.cpu_state().lo, 12);
}

// --- mem.rs ----------------------------------------------------------------------------------

fn mem_vm(code: &[u32], regs: &[(u32, u32)], data: &[(u32, u32)]) -> ogs::fpvm::Vm {
    let mut vm = vm_with(code, regs);
    for (a, w) in data {
        vm.memory_mut().store_word(*a, *w);
    }
    vm.run(code.len() as u64).expect("no exception");
    vm
}

const DATA: u32 = 0x1000;

#[test]
fn loads() {
    let data = [(DATA, 0x8182_7F04)];
    let regs = [(A0, DATA)];
    assert_eq!(
        reg(&mem_vm(&[lw(V1, 0, A0)], &regs, &data), V1),
        0x8182_7F04
    );
    assert_eq!(
        reg(&mem_vm(&[lb(V1, 0, A0)], &regs, &data), V1),
        0xFFFF_FF81
    );
    assert_eq!(reg(&mem_vm(&[lb(V1, 2, A0)], &regs, &data), V1), 0x7F);
    assert_eq!(reg(&mem_vm(&[lbu(V1, 1, A0)], &regs, &data), V1), 0x82);
    assert_eq!(
        reg(&mem_vm(&[lh(V1, 0, A0)], &regs, &data), V1),
        0xFFFF_8182
    );
    assert_eq!(reg(&mem_vm(&[lh(V1, 2, A0)], &regs, &data), V1), 0x7F04);
    assert_eq!(reg(&mem_vm(&[lhu(V1, 0, A0)], &regs, &data), V1), 0x8182);
    assert_eq!(
        reg(&mem_vm(&[ll(V1, 0, A0)], &regs, &data), V1),
        0x8182_7F04
    );
    // Negative offsets and never-written memory.
    assert_eq!(reg(&mem_vm(&[lw(V1, -4, A0)], &regs, &data), V1), 0);
}

#[test]
fn unaligned_loads_use_the_containing_word_like_cannon() {
    // § Compiler Assumptions: no exception for unaligned addresses.
    let data = [(DATA, 0x1122_3344)];
    let regs = [(A0, DATA)];
    assert_eq!(
        reg(&mem_vm(&[lw(V1, 2, A0)], &regs, &data), V1),
        0x1122_3344
    );
    assert_eq!(reg(&mem_vm(&[lhu(V1, 1, A0)], &regs, &data), V1), 0x1122);
    assert_eq!(reg(&mem_vm(&[lhu(V1, 3, A0)], &regs, &data), V1), 0x3344);
}

#[test]
fn lwl_lwr() {
    // Memory bytes at DATA..DATA+8: 11 22 33 44 55 66 77 88.
    let data = [(DATA, 0x1122_3344), (DATA + 4, 0x5566_7788)];
    let regs = [(A0, DATA), (V1, 0xAABB_CCDD)];
    // Unaligned word at DATA+1 = 22 33 44 55 via lwl 1 / lwr 4.
    let vm = mem_vm(&[lwl(V1, 1, A0), lwr(V1, 4, A0)], &regs, &data);
    assert_eq!(reg(&vm, V1), 0x2233_4455);
    assert_eq!(
        reg(&mem_vm(&[lwl(V1, 0, A0)], &regs, &data), V1),
        0x1122_3344
    );
    assert_eq!(
        reg(&mem_vm(&[lwl(V1, 3, A0)], &regs, &data), V1),
        0x44BB_CCDD
    );
    assert_eq!(
        reg(&mem_vm(&[lwr(V1, 0, A0)], &regs, &data), V1),
        0xAABB_CC11
    );
    assert_eq!(
        reg(&mem_vm(&[lwr(V1, 3, A0)], &regs, &data), V1),
        0x1122_3344
    );
}

#[test]
fn stores() {
    let data = [(DATA, 0x1122_3344)];
    let regs = [(A0, DATA), (V1, 0xAABB_CCDD)];
    let word = |vm: &ogs::fpvm::Vm| vm.memory().load_word(DATA);
    assert_eq!(word(&mem_vm(&[sw(V1, 0, A0)], &regs, &data)), 0xAABB_CCDD);
    assert_eq!(word(&mem_vm(&[sb(V1, 0, A0)], &regs, &data)), 0xDD22_3344);
    assert_eq!(word(&mem_vm(&[sb(V1, 3, A0)], &regs, &data)), 0x1122_33DD);
    assert_eq!(word(&mem_vm(&[sh(V1, 0, A0)], &regs, &data)), 0xCCDD_3344);
    assert_eq!(word(&mem_vm(&[sh(V1, 2, A0)], &regs, &data)), 0x1122_CCDD);
    assert_eq!(word(&mem_vm(&[swl(V1, 0, A0)], &regs, &data)), 0xAABB_CCDD);
    assert_eq!(word(&mem_vm(&[swl(V1, 1, A0)], &regs, &data)), 0x11AA_BBCC);
    assert_eq!(word(&mem_vm(&[swl(V1, 3, A0)], &regs, &data)), 0x1122_33AA);
    assert_eq!(word(&mem_vm(&[swr(V1, 0, A0)], &regs, &data)), 0xDD22_3344);
    assert_eq!(word(&mem_vm(&[swr(V1, 2, A0)], &regs, &data)), 0xBBCC_DD44);
    assert_eq!(word(&mem_vm(&[swr(V1, 3, A0)], &regs, &data)), 0xAABB_CCDD);
}

#[test]
fn sc_always_succeeds() {
    // Spec list: `ll` is a plain load and `sc` always succeeds (returns 1).
    let vm = mem_vm(&[sc(V1, 4, A0)], &[(A0, DATA), (V1, 0x1234)], &[]);
    assert_eq!(vm.memory().load_word(DATA + 4), 0x1234);
    assert_eq!(reg(&vm, V1), 1);
}

// --- branch.rs -------------------------------------------------------------------------------

/// Runs a branch at 0 with `nop` in its delay slot; returns (pc, nextPC) after the branch.
fn after_branch(insn: u32, regs: &[(u32, u32)]) -> (u32, u32) {
    let vm = run_steps(&[insn, nop()], regs, 1);
    (vm.pc(), vm.cpu_state().next_pc)
}

#[test]
fn conditional_branches() {
    // § Delay Slots: pc = delay slot; nextPC = target (branch address + 4 + off*4) if taken.
    let taken = (4, 4 + 5 * 4);
    let not_taken = (4, 8);
    let eq = [(A0, 3), (A1, 3)];
    let ne = [(A0, 3), (A1, 4)];
    assert_eq!(after_branch(beq(A0, A1, 5), &eq), taken);
    assert_eq!(after_branch(beq(A0, A1, 5), &ne), not_taken);
    assert_eq!(after_branch(bne(A0, A1, 5), &ne), taken);
    assert_eq!(after_branch(bne(A0, A1, 5), &eq), not_taken);
    let neg = [(A0, 0x8000_0000)];
    let zero = [(A0, 0)];
    let pos = [(A0, 1)];
    assert_eq!(after_branch(blez(A0, 5), &neg), taken);
    assert_eq!(after_branch(blez(A0, 5), &zero), taken);
    assert_eq!(after_branch(blez(A0, 5), &pos), not_taken);
    assert_eq!(after_branch(bgtz(A0, 5), &pos), taken);
    assert_eq!(after_branch(bgtz(A0, 5), &zero), not_taken);
    assert_eq!(after_branch(bltz(A0, 5), &neg), taken);
    assert_eq!(after_branch(bltz(A0, 5), &zero), not_taken);
    assert_eq!(after_branch(bgez(A0, 5), &zero), taken);
    assert_eq!(after_branch(bgez(A0, 5), &neg), not_taken);
    // Backward branch.
    let vm = run_steps(&[nop(), nop(), beq(ZERO, ZERO, -2), nop()], &[], 3);
    assert_eq!(vm.cpu_state().next_pc, 8 + 4 - 8);
}

#[test]
fn bgezal_links_even_when_not_taken() {
    let vm = run_steps(&[bgezal(A0, 5), nop()], &[(A0, 0x8000_0000)], 1);
    assert_eq!(reg(&vm, RA), 8);
    assert_eq!(vm.cpu_state().next_pc, 8);
    let vm = run_steps(&[bgezal(A0, 5), nop()], &[(A0, 0)], 1);
    assert_eq!(reg(&vm, RA), 8);
    assert_eq!(vm.cpu_state().next_pc, 24);
}

#[test]
fn jumps() {
    // j/jal target (nextPC & 0xF0000000) | (index << 2); links write pc + 8.
    let vm = run_steps(&[j(0x40), nop()], &[], 1);
    assert_eq!((vm.pc(), vm.cpu_state().next_pc), (4, 0x40));
    let vm = run_steps(&[jal(0x80), nop()], &[], 1);
    assert_eq!((vm.cpu_state().next_pc, reg(&vm, RA)), (0x80, 8));
    let vm = run_steps(&[jr(A0), nop()], &[(A0, 0x1234)], 1);
    assert_eq!(vm.cpu_state().next_pc, 0x1234);
    let vm = run_steps(&[jalr(V1, A0), nop()], &[(A0, 0x2000)], 1);
    assert_eq!((vm.cpu_state().next_pc, reg(&vm, V1)), (0x2000, 8));
    // jalr with rd == rs jumps to the old value.
    let vm = run_steps(&[jalr(A0, A0), nop()], &[(A0, 0x3000)], 1);
    assert_eq!((vm.cpu_state().next_pc, reg(&vm, A0)), (0x3000, 8));
}

#[test]
fn jump_region_comes_from_next_pc() {
    let mut vm = vm_with(&[], &[]);
    let at = 0x1FFF_FFFC;
    vm.memory_mut().store_word(at, j(0x40));
    let st = vm.cpu_state_mut();
    st.pc = at;
    st.next_pc = at + 4; // 0x20000000: region 2
    vm.run(1).unwrap();
    assert_eq!(vm.cpu_state().next_pc, 0x2000_0040);
}

#[test]
fn delay_slot_executes_before_target() {
    let code = [
        beq(ZERO, ZERO, 3),
        addiu(V1, ZERO, 7),
        addiu(V1, ZERO, 8),
        nop(),
        addiu(V0, V1, 1),
    ];
    let vm = run_steps(&code, &[], 3);
    assert_eq!(reg(&vm, V1), 7);
    assert_eq!(reg(&vm, V0), 8);
    assert_eq!(vm.pc(), 20);
}

#[test]
fn branch_in_delay_slot_is_an_exception() {
    // § Delay Slots: stepping a branch/jump where nextPC != pc + 4 raises an exception.
    for second in [
        beq(ZERO, ZERO, 4),
        j(0x100),
        jr(RA),
        jalr(RA, A0),
        bgezal(ZERO, 1),
        bltz(A0, 1),
    ] {
        let mut vm = vm_with(&[beq(ZERO, ZERO, 10), second], &[]);
        vm.run(1).unwrap();
        let err = vm.run(1).unwrap_err();
        assert_eq!(
            err,
            VmError::BranchInDelaySlot {
                pc: 4,
                next_pc: 44,
                insn: second
            }
        );
        assert_eq!(vm.step_count(), 1);
    }
}

// --- invalid encodings -----------------------------------------------------------------------

#[test]
fn unsupported_encodings_are_exceptions() {
    // § Exceptions: invalid instructions; never a silent misexecution.
    let words = [
        0x0024_1942u32, // rotr $3,$4,5 (must not run as srl)
        0x00a4_1846,    // rotrv $3,$4,$5 (must not run as srlv)
        0x7c04_1c20,    // seb (SPECIAL3)
        0x7064_0000,    // madd (SPECIAL2 not in the list)
        0x7064_0001,    // maddu
        0x7064_0004,    // msub
        0x0064_0034,    // teq
        0x0000_000D,    // break
        0x0490_0001,    // bltzal (REGIMM rt=0x10)
        0x5022_0001,    // beql
        0xC4A0_0000,    // lwc1
        0x4400_0000,    // COP1
        0xCC00_0000,    // pref
        0x0000_0001,    // movf
        0x9C00_0000,    // opcode 0x27 (lwu, MIPS64)
    ];
    for w in words {
        assert_eq!(decode(w), Op::Invalid, "{w:#010x}");
        let mut vm = vm_with(&[w], &[]);
        assert_eq!(
            vm.run(1).unwrap_err(),
            VmError::InvalidInstruction { pc: 0, insn: w }
        );
        assert_eq!(vm.step_count(), 0);
    }
}

#[test]
fn srl_with_other_nonzero_rs_runs_as_srl_like_cannon() {
    // Fields that should be zero are not validated (§ Compiler Assumptions), except rotr's.
    let w = r(0x02, 2, A0, V1, 4);
    assert_eq!(decode(w), Op::Srl);
    assert_eq!(reg(&run1(w, &[(A0, 0x100)]), V1), 0x10);
}

#[test]
fn unaligned_pc_is_an_exception() {
    let mut vm = vm_with(&[jr(A0), nop()], &[(A0, 0x102)]);
    vm.run(2).unwrap();
    assert_eq!(vm.run(1).unwrap_err(), VmError::UnalignedPc { pc: 0x102 });
}

#[test]
fn exited_state_steps_to_itself() {
    // § State Hash: an exited VM does not step (step counter unchanged).
    let code = exit_with(3);
    let mut vm = vm_with(&code, &[]);
    let out = vm.run(100).unwrap();
    assert_eq!(out.steps, 3);
    assert_eq!(out.exit_code, Some(3));
    // exit_group leaves pc at the syscall.
    assert_eq!(vm.pc(), 8);
    let h = vm.state_hash();
    assert_eq!(vm.run(10).unwrap().steps, 0);
    assert_eq!(vm.state_hash(), h);
    assert_eq!(h[0], 2, "exit code 3 is a panic status");
}
