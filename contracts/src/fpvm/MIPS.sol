// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.28;

import {IPreimageOracle} from "./IPreimageOracle.sol";
import {PreimageKeys} from "./PreimageKeys.sol";
import {VMMemory} from "./VMMemory.sol";
import {VMState as S} from "./VMState.sol";

/// @title MIPS
/// @notice The on-chain single-step verifier of the MIPS32 fault-proof VM, compatible with the
///         single-threaded 32-bit Cannon VM (spec `specs/fault-proof/cannon-fault-proof-vm.md`,
///         ethereum-optimism/specs, commit 1c3133d) and with the Rust VM of this repository
///         (`src/fpvm`), whose step witnesses it takes.
///
///         `step(stateData, proof, localContext)` decodes the 226-byte pre-state, checks the
///         instruction word's memory proof (and the data word's, for a step that reads or
///         writes memory) against `memRoot`, executes one instruction and returns the
///         post-state hash. It reverts, rather than return a post-state, on: a state that is not
///         226 bytes or whose `exited` byte is not 0 or 1; a proof argument that is not two
///         896-byte proofs; a proof that does not verify; an unaligned `pc`; an instruction
///         outside the supported set; a branch or jump in a delay slot; a division by zero; a
///         pre-image part that is not loaded in the oracle; a pre-image read past the end.
///         An exited state steps to itself.
///
///         The instruction families each have one function: `aluRegister`, `shift`,
///         `aluImmediate`, `special2`, `hiLo`, `conditionalMove`, `branch`, `regimm`, `jump`,
///         `jumpRegister`, `loadStore`, `syscall`.
contract MIPS {
    // ---------------------------------------------------------------------------------------
    // Encodings
    // ---------------------------------------------------------------------------------------

    /// @notice Primary opcodes (bits 31..26).
    uint32 internal constant OP_SPECIAL = 0x00;
    uint32 internal constant OP_REGIMM = 0x01;
    uint32 internal constant OP_J = 0x02;
    uint32 internal constant OP_JAL = 0x03;
    uint32 internal constant OP_BEQ = 0x04;
    uint32 internal constant OP_BNE = 0x05;
    uint32 internal constant OP_BLEZ = 0x06;
    uint32 internal constant OP_BGTZ = 0x07;
    uint32 internal constant OP_ADDI = 0x08;
    uint32 internal constant OP_ADDIU = 0x09;
    uint32 internal constant OP_SLTI = 0x0A;
    uint32 internal constant OP_SLTIU = 0x0B;
    uint32 internal constant OP_ANDI = 0x0C;
    uint32 internal constant OP_ORI = 0x0D;
    uint32 internal constant OP_XORI = 0x0E;
    uint32 internal constant OP_LUI = 0x0F;
    uint32 internal constant OP_SPECIAL2 = 0x1C;
    uint32 internal constant OP_LB = 0x20;
    uint32 internal constant OP_LH = 0x21;
    uint32 internal constant OP_LWL = 0x22;
    uint32 internal constant OP_LW = 0x23;
    uint32 internal constant OP_LBU = 0x24;
    uint32 internal constant OP_LHU = 0x25;
    uint32 internal constant OP_LWR = 0x26;
    uint32 internal constant OP_SB = 0x28;
    uint32 internal constant OP_SH = 0x29;
    uint32 internal constant OP_SWL = 0x2A;
    uint32 internal constant OP_SW = 0x2B;
    uint32 internal constant OP_SWR = 0x2E;
    uint32 internal constant OP_LL = 0x30;
    uint32 internal constant OP_SC = 0x38;

    /// @notice SPECIAL function codes (bits 5..0).
    uint32 internal constant FN_SLL = 0x00;
    uint32 internal constant FN_SRL = 0x02;
    uint32 internal constant FN_SRA = 0x03;
    uint32 internal constant FN_SLLV = 0x04;
    uint32 internal constant FN_SRLV = 0x06;
    uint32 internal constant FN_SRAV = 0x07;
    uint32 internal constant FN_JR = 0x08;
    uint32 internal constant FN_JALR = 0x09;
    uint32 internal constant FN_MOVZ = 0x0A;
    uint32 internal constant FN_MOVN = 0x0B;
    uint32 internal constant FN_SYSCALL = 0x0C;
    uint32 internal constant FN_SYNC = 0x0F;
    uint32 internal constant FN_MFHI = 0x10;
    uint32 internal constant FN_MTHI = 0x11;
    uint32 internal constant FN_MFLO = 0x12;
    uint32 internal constant FN_MTLO = 0x13;
    uint32 internal constant FN_MULT = 0x18;
    uint32 internal constant FN_MULTU = 0x19;
    uint32 internal constant FN_DIV = 0x1A;
    uint32 internal constant FN_DIVU = 0x1B;
    uint32 internal constant FN_ADD = 0x20;
    uint32 internal constant FN_ADDU = 0x21;
    uint32 internal constant FN_SUB = 0x22;
    uint32 internal constant FN_SUBU = 0x23;
    uint32 internal constant FN_AND = 0x24;
    uint32 internal constant FN_OR = 0x25;
    uint32 internal constant FN_XOR = 0x26;
    uint32 internal constant FN_NOR = 0x27;
    uint32 internal constant FN_SLT = 0x2A;
    uint32 internal constant FN_SLTU = 0x2B;

    /// @notice SPECIAL2 function codes.
    uint32 internal constant FN2_MUL = 0x02;
    uint32 internal constant FN2_CLZ = 0x20;
    uint32 internal constant FN2_CLO = 0x21;

    /// @notice REGIMM `rt` codes.
    uint32 internal constant RT_BLTZ = 0x00;
    uint32 internal constant RT_BGEZ = 0x01;
    uint32 internal constant RT_BGEZAL = 0x11;

    /// @notice Register numbers (o32).
    uint256 internal constant REG_V0 = 2;
    uint256 internal constant REG_A0 = 4;
    uint256 internal constant REG_A1 = 5;
    uint256 internal constant REG_A2 = 6;
    uint256 internal constant REG_A3 = 7;
    uint256 internal constant REG_RA = 31;

    /// @notice Syscall numbers (o32).
    uint32 internal constant SYS_READ = 4003;
    uint32 internal constant SYS_WRITE = 4004;
    uint32 internal constant SYS_BRK = 4045;
    uint32 internal constant SYS_FCNTL = 4055;
    uint32 internal constant SYS_MMAP = 4090;
    uint32 internal constant SYS_CLONE = 4120;
    uint32 internal constant SYS_EXIT_GROUP = 4246;

    /// @notice File descriptors.
    uint32 internal constant FD_STDIN = 0;
    uint32 internal constant FD_STDOUT = 1;
    uint32 internal constant FD_STDERR = 2;
    uint32 internal constant FD_HINT_READ = 3;
    uint32 internal constant FD_HINT_WRITE = 4;
    uint32 internal constant FD_PREIMAGE_READ = 5;
    uint32 internal constant FD_PREIMAGE_WRITE = 6;

    /// @notice Syscall results.
    uint32 internal constant SYS_ERROR = 0xFFFFFFFF;
    uint32 internal constant EBADF = 0x9;
    uint32 internal constant EINVAL = 0x16;
    uint32 internal constant F_GETFD = 1;
    uint32 internal constant F_GETFL = 3;
    uint32 internal constant PROGRAM_BREAK = 0x40000000;
    uint32 internal constant MMAP_PAGE_SIZE = 4096;

    // ---------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------

    /// @notice The state is not 226 bytes.
    error InvalidStateLength(uint256 length);
    /// @notice The `exited` byte is neither 0 nor 1.
    error InvalidExited(uint8 exited);
    /// @notice The proof argument is not two 896-byte memory proofs.
    error InvalidProofLength(uint256 length);
    /// @notice `pc` is not 4-byte aligned.
    error UnalignedPC(uint32 pc);
    /// @notice The word at `pc` is not a supported instruction.
    error InvalidInstruction(uint32 pc, uint32 insn);
    /// @notice A branch or jump stands in a delay slot (`nextPC != pc + 4`).
    error BranchInDelaySlot(uint32 pc, uint32 nextPC);
    /// @notice `div` / `divu` by zero.
    error DivisionByZero(uint32 pc);

    // ---------------------------------------------------------------------------------------
    // Entry point
    // ---------------------------------------------------------------------------------------

    /// @notice The pre-image oracle read by `read(5, …)` syscalls.
    IPreimageOracle public immutable oracle;

    /// @param oracle_ The pre-image oracle.
    constructor(IPreimageOracle oracle_) {
        oracle = oracle_;
    }

    /// @notice Executes one step.
    /// @param stateData The 226-byte packed pre-state.
    /// @param proof The instruction word's memory proof, then the data word's (2 × 896 bytes;
    ///        the second is ignored by steps that touch no data word).
    /// @param localContext The dispute's local context: local pre-image keys are read from the
    ///        oracle as `PreimageKeys.localize(key, msg.sender, localContext)`.
    /// @return postStateHash The post-state hash (status byte on top).
    function step(bytes calldata stateData, bytes calldata proof, bytes32 localContext)
        external
        view
        returns (bytes32 postStateHash)
    {
        if (stateData.length != S.SIZE) revert InvalidStateLength(stateData.length);
        if (proof.length != VMMemory.PROOFS * VMMemory.PROOF_SIZE) revert InvalidProofLength(proof.length);
        bytes memory st = stateData;

        uint8 exited = S.u8(st, S.EXITED);
        if (exited > 1) revert InvalidExited(exited);
        // An exited state steps to itself; its step counter does not move.
        if (exited == 1) return S.hash(st);

        uint32 pc = S.u32(st, S.PC);
        if (pc & 3 != 0) revert UnalignedPC(pc);
        uint32 insn = VMMemory.readWord(S.word(st, S.MEM_ROOT), proof, VMMemory.INSN_PROOF, pc);
        unchecked {
            S.setU64(st, S.STEP, S.u64(st, S.STEP) + 1);
        }
        execute(st, insn, proof, localContext);
        return S.hash(st);
    }

    /// @notice Dispatches on the primary opcode.
    function execute(bytes memory st, uint32 insn, bytes calldata proof, bytes32 localContext) internal view {
        uint32 op = insn >> 26;
        if (op == OP_SPECIAL) {
            special(st, insn, proof, localContext);
        } else if (op == OP_REGIMM) {
            regimm(st, insn);
        } else if (op == OP_J || op == OP_JAL) {
            jump(st, insn);
        } else if (op >= OP_BEQ && op <= OP_BGTZ) {
            branch(st, insn);
        } else if (op >= OP_ADDI && op <= OP_LUI) {
            aluImmediate(st, insn);
        } else if (op == OP_SPECIAL2) {
            special2(st, insn);
        } else if (op >= OP_LB) {
            loadStore(st, insn, proof);
        } else {
            invalid(st, insn);
        }
    }

    /// @notice Dispatches SPECIAL on the function code.
    function special(bytes memory st, uint32 insn, bytes calldata proof, bytes32 localContext) internal view {
        uint32 fn = insn & 0x3F;
        if (fn <= FN_SRAV) {
            shift(st, insn, fn);
        } else if (fn == FN_JR || fn == FN_JALR) {
            jumpRegister(st, insn, fn == FN_JALR);
        } else if (fn == FN_MOVZ || fn == FN_MOVN) {
            conditionalMove(st, insn, fn == FN_MOVN);
        } else if (fn == FN_SYSCALL) {
            syscall(st, proof, localContext);
        } else if (fn == FN_SYNC) {
            // A no-op for one thread; like Cannon it writes rs to rd (both 0 in real encodings).
            writeRd(st, insn, S.reg(st, rs(insn)));
        } else if ((fn >= FN_MFHI && fn <= FN_MTLO) || (fn >= FN_MULT && fn <= FN_DIVU)) {
            hiLo(st, insn, fn);
        } else if ((fn >= FN_ADD && fn <= FN_NOR) || fn == FN_SLT || fn == FN_SLTU) {
            aluRegister(st, insn, fn);
        } else {
            invalid(st, insn);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Instruction families
    // ---------------------------------------------------------------------------------------

    /// @notice add addu sub subu and or xor nor slt sltu: `rd = rs op rt` (no overflow traps).
    function aluRegister(bytes memory st, uint32 insn, uint32 fn) internal pure {
        uint32 s = S.reg(st, rs(insn));
        uint32 t = S.reg(st, rt(insn));
        uint32 v;
        unchecked {
            if (fn == FN_ADD || fn == FN_ADDU) v = s + t;
            else if (fn == FN_SUB || fn == FN_SUBU) v = s - t;
            else if (fn == FN_AND) v = s & t;
            else if (fn == FN_OR) v = s | t;
            else if (fn == FN_XOR) v = s ^ t;
            else if (fn == FN_NOR) v = ~(s | t);
            else if (fn == FN_SLT) v = int32(s) < int32(t) ? 1 : 0;
            else if (fn == FN_SLTU) v = s < t ? 1 : 0;
            else invalid(st, insn);
        }
        writeRd(st, insn, v);
    }

    /// @notice sll srl sra (by `sa`), sllv srlv srav (by `rs & 31`). The MIPS32r2 rotates
    ///         `rotr` (srl with rs = 1) and `rotrv` (srlv with sa = 1) are invalid.
    function shift(bytes memory st, uint32 insn, uint32 fn) internal pure {
        uint32 t = S.reg(st, rt(insn));
        uint32 amount = fn < FN_SLLV ? sa(insn) : S.reg(st, rs(insn)) & 0x1F;
        uint32 v;
        if (fn == FN_SLL || fn == FN_SLLV) {
            v = t << amount;
        } else if (fn == FN_SRL && rs(insn) != 1) {
            v = t >> amount;
        } else if (fn == FN_SRLV && sa(insn) != 1) {
            v = t >> amount;
        } else if (fn == FN_SRA || fn == FN_SRAV) {
            v = uint32(int32(t) >> amount);
        } else {
            invalid(st, insn);
        }
        writeRd(st, insn, v);
    }

    /// @notice addi addiu slti sltiu andi ori xori lui: `rt = rs op imm`.
    function aluImmediate(bytes memory st, uint32 insn) internal pure {
        uint32 op = insn >> 26;
        uint32 s = S.reg(st, rs(insn));
        uint32 v;
        unchecked {
            if (op == OP_ADDI || op == OP_ADDIU) v = s + simm(insn);
            else if (op == OP_SLTI) v = int32(s) < int32(simm(insn)) ? 1 : 0;
            else if (op == OP_SLTIU) v = s < simm(insn) ? 1 : 0; // unsigned, against the sign-extended immediate
            else if (op == OP_ANDI) v = s & uimm(insn);
            else if (op == OP_ORI) v = s | uimm(insn);
            else if (op == OP_XORI) v = s ^ uimm(insn);
            else v = uimm(insn) << 16; // lui
        }
        S.setReg(st, rt(insn), v);
        S.advance(st);
    }

    /// @notice SPECIAL2: mul (low 32 bits of the signed product), clz, clo.
    function special2(bytes memory st, uint32 insn) internal pure {
        uint32 fn = insn & 0x3F;
        uint32 s = S.reg(st, rs(insn));
        uint32 v;
        unchecked {
            if (fn == FN2_MUL) v = uint32(uint64(int64(int32(s)) * int64(int32(S.reg(st, rt(insn))))));
            else if (fn == FN2_CLZ) v = leadingZeros(s);
            else if (fn == FN2_CLO) v = leadingZeros(~s);
            else invalid(st, insn);
        }
        writeRd(st, insn, v);
    }

    /// @notice mfhi mflo mthi mtlo mult multu div divu. Like Cannon, the ops other than
    ///         mfhi/mflo write 0 to `rd` when that (should-be-zero) field is not 0.
    function hiLo(bytes memory st, uint32 insn, uint32 fn) internal pure {
        uint32 s = S.reg(st, rs(insn));
        uint32 t = S.reg(st, rt(insn));
        uint32 v;
        if (fn == FN_MFHI) {
            v = S.u32(st, S.HI);
        } else if (fn == FN_MFLO) {
            v = S.u32(st, S.LO);
        } else if (fn == FN_MTHI) {
            S.setU32(st, S.HI, s);
        } else if (fn == FN_MTLO) {
            S.setU32(st, S.LO, s);
        } else if (fn == FN_MULT) {
            setHiLo(st, uint64(int64(int32(s)) * int64(int32(t))));
        } else if (fn == FN_MULTU) {
            setHiLo(st, uint64(s) * uint64(t));
        } else {
            if (t == 0) revert DivisionByZero(S.u32(st, S.PC));
            if (fn == FN_DIV) {
                // In 64 bits, so 0x80000000 / -1 gives 0x80000000 (remainder 0) without overflow.
                int64 a = int64(int32(s));
                int64 b = int64(int32(t));
                S.setU32(st, S.HI, uint32(uint64(a % b)));
                S.setU32(st, S.LO, uint32(uint64(a / b)));
            } else {
                S.setU32(st, S.HI, s % t);
                S.setU32(st, S.LO, s / t);
            }
        }
        writeRd(st, insn, v);
    }

    /// @notice movz / movn: `rd = rs` when `rt == 0` / `rt != 0`.
    function conditionalMove(bytes memory st, uint32 insn, bool ifNonZero) internal pure {
        bool nonZero = S.reg(st, rt(insn)) != 0;
        if (nonZero == ifNonZero) S.setReg(st, rd(insn), S.reg(st, rs(insn)));
        S.advance(st);
    }

    /// @notice beq bne blez bgtz: branch relative to the branch's address + 4.
    function branch(bytes memory st, uint32 insn) internal pure {
        uint32 op = insn >> 26;
        uint32 s = S.reg(st, rs(insn));
        bool taken;
        if (op == OP_BEQ) taken = s == S.reg(st, rt(insn));
        else if (op == OP_BNE) taken = s != S.reg(st, rt(insn));
        else if (op == OP_BLEZ) taken = int32(s) <= 0;
        else taken = int32(s) > 0; // bgtz
        takeBranch(st, insn, taken);
    }

    /// @notice REGIMM: bltz bgez bgezal (bgezal links `$ra = pc + 8` taken or not).
    function regimm(bytes memory st, uint32 insn) internal pure {
        uint32 code = uint32(rt(insn));
        int32 s = int32(S.reg(st, rs(insn)));
        if (code == RT_BLTZ) {
            takeBranch(st, insn, s < 0);
        } else if (code == RT_BGEZ) {
            takeBranch(st, insn, s >= 0);
        } else if (code == RT_BGEZAL) {
            checkDelaySlot(st);
            unchecked {
                S.setReg(st, REG_RA, S.u32(st, S.PC) + 8);
            }
            takeBranch(st, insn, s >= 0);
        } else {
            invalid(st, insn);
        }
    }

    /// @notice j / jal: target `(nextPC & 0xF0000000) | (index << 2)`; jal links `$ra = pc + 8`.
    function jump(bytes memory st, uint32 insn) internal pure {
        uint32 target = (S.u32(st, S.NEXT_PC) & 0xF0000000) | ((insn & 0x03FFFFFF) << 2);
        jumpTo(st, target, (insn >> 26) == OP_JAL ? REG_RA : 0);
    }

    /// @notice jr / jalr: target `rs`; jalr links `rd = pc + 8` (the target is read first).
    function jumpRegister(bytes memory st, uint32 insn, bool link) internal pure {
        jumpTo(st, S.reg(st, rs(insn)), link ? rd(insn) : 0);
    }

    /// @notice lb lh lwl lw lbu lhu lwr ll; sb sh swl sw swr sc. Every access reads (and a store
    ///         rewrites) the one aligned word at `(rs + simm) & ~3`, proven by the data proof.
    ///         `ll` is a plain load; `sc` a plain store that sets `rt = 1`.
    function loadStore(bytes memory st, uint32 insn, bytes calldata proof) internal pure {
        uint32 op = insn >> 26;
        bool isLoad = (op >= OP_LB && op <= OP_LWR) || op == OP_LL;
        bool isStore = (op >= OP_SB && op <= OP_SW) || op == OP_SWR || op == OP_SC;
        if (!isLoad && !isStore) invalid(st, insn);

        uint32 ea;
        unchecked {
            ea = S.reg(st, rs(insn)) + simm(insn);
        }
        uint32 addr = ea & 0xFFFFFFFC;
        uint32 mem = VMMemory.readWord(S.word(st, S.MEM_ROOT), proof, VMMemory.DATA_PROOF, addr);
        uint256 rtReg = rt(insn);
        uint32 t = S.reg(st, rtReg);
        if (isLoad) {
            S.setReg(st, rtReg, loadValue(op, ea, mem, t));
        } else {
            uint32 updated = storeValue(op, ea, mem, t);
            S.setWord(st, S.MEM_ROOT, VMMemory.writeWord(proof, VMMemory.DATA_PROOF, addr, updated));
            if (op == OP_SC) S.setReg(st, rtReg, 1);
        }
        S.advance(st);
    }

    /// @notice Syscalls (spec § Syscalls, § I/O): the number in `$v0`, arguments in `$a0..$a2`,
    ///         the result in `$v0` and errno in `$a3`; unsupported numbers return 0, 0.
    function syscall(bytes memory st, bytes calldata proof, bytes32 localContext) internal view {
        uint32 number = S.reg(st, REG_V0);
        uint32 a0 = S.reg(st, REG_A0);
        uint32 a1 = S.reg(st, REG_A1);
        uint32 a2 = S.reg(st, REG_A2);
        uint32 v0;
        uint32 v1;
        if (number == SYS_MMAP) {
            v0 = mmap(st, a0, a1);
        } else if (number == SYS_BRK) {
            v0 = PROGRAM_BREAK;
        } else if (number == SYS_CLONE) {
            v0 = 1;
        } else if (number == SYS_EXIT_GROUP) {
            // pc, nextPC and the registers stay as they are.
            S.setU8(st, S.EXITED, 1);
            S.setU8(st, S.EXIT_CODE, uint8(a0));
            return;
        } else if (number == SYS_READ) {
            if (a0 == FD_STDIN) {
                // EOF: v0 = v1 = 0.
            } else if (a0 == FD_PREIMAGE_READ) {
                v0 = preimageRead(st, proof, localContext, a1, a2);
            } else if (a0 == FD_HINT_READ) {
                v0 = a2;
            } else {
                (v0, v1) = (SYS_ERROR, EBADF);
            }
        } else if (number == SYS_WRITE) {
            if (a0 == FD_STDOUT || a0 == FD_STDERR || a0 == FD_HINT_WRITE) {
                v0 = a2;
            } else if (a0 == FD_PREIMAGE_WRITE) {
                v0 = preimageKeyWrite(st, proof, a1, a2);
            } else {
                (v0, v1) = (SYS_ERROR, EBADF);
            }
        } else if (number == SYS_FCNTL) {
            (v0, v1) = fcntl(a0, a1);
        }
        S.setReg(st, REG_V0, v0);
        S.setReg(st, REG_A3, v1);
        S.advance(st);
    }

    // ---------------------------------------------------------------------------------------
    // Syscall helpers
    // ---------------------------------------------------------------------------------------

    /// @notice mmap: `addr == 0` bump-allocates `len` rounded up to 4 KiB at `heap`.
    function mmap(bytes memory st, uint32 addr, uint32 len) internal pure returns (uint32) {
        if (addr != 0) return addr;
        unchecked {
            uint32 size = len;
            uint32 rest = size & (MMAP_PAGE_SIZE - 1);
            if (rest != 0) size += MMAP_PAGE_SIZE - rest;
            uint32 base = S.u32(st, S.HEAP);
            S.setU32(st, S.HEAP, base + size);
            return base;
        }
    }

    /// @notice fcntl: F_GETFD (no flags) and F_GETFL (read-only / write-only) on fds 0-6.
    function fcntl(uint32 fd, uint32 cmd) internal pure returns (uint32, uint32) {
        if (cmd == F_GETFD) {
            return fd <= FD_PREIMAGE_WRITE ? (uint32(0), uint32(0)) : (SYS_ERROR, EBADF);
        }
        if (cmd == F_GETFL) {
            if (fd == FD_STDIN || fd == FD_HINT_READ || fd == FD_PREIMAGE_READ) return (0, 0);
            if (fd == FD_STDOUT || fd == FD_STDERR || fd == FD_HINT_WRITE || fd == FD_PREIMAGE_WRITE) return (1, 0);
            return (SYS_ERROR, EBADF);
        }
        return (SYS_ERROR, EINVAL);
    }

    /// @notice read(5, addr, count): copies up to 4 bytes of `(length ‖ pre-image)` at
    ///         `preimageOffset` into the word at `addr & ~3`, never past that word, and advances
    ///         the offset. Local keys are localized with the caller and `localContext`.
    function preimageRead(bytes memory st, bytes calldata proof, bytes32 localContext, uint32 addr, uint32 count)
        internal
        view
        returns (uint32)
    {
        uint32 wordAddr = addr & 0xFFFFFFFC;
        uint32 updated;
        uint32 len;
        {
            uint32 mem = VMMemory.readWord(S.word(st, S.MEM_ROOT), proof, VMMemory.DATA_PROOF, wordAddr);
            (bytes32 dat, uint256 datLen) = readPart(st, localContext);
            (updated, len) = insertPart(mem, dat, datLen, addr, count);
        }
        S.setWord(st, S.MEM_ROOT, VMMemory.writeWord(proof, VMMemory.DATA_PROOF, wordAddr, updated));
        unchecked {
            S.setU32(st, S.PREIMAGE_OFFSET, S.u32(st, S.PREIMAGE_OFFSET) + len);
        }
        return len;
    }

    /// @notice The oracle's part at `(preimageKey, preimageOffset)`; a local key is localized
    ///         with the caller and `localContext` first.
    function readPart(bytes memory st, bytes32 localContext) internal view returns (bytes32, uint256) {
        bytes32 key = S.word(st, S.PREIMAGE_KEY);
        if (PreimageKeys.keyType(key) == PreimageKeys.LOCAL) {
            key = PreimageKeys.localize(key, msg.sender, localContext);
        }
        return oracle.readPreimage(key, S.u32(st, S.PREIMAGE_OFFSET));
    }

    /// @notice Puts the first bytes of a pre-image part (`datLen` of them are real) into the
    ///         word `mem` from byte `addr & 3` on: as many as fit in the word, at most `count`.
    /// @return updated The new word.
    /// @return len The number of bytes copied.
    function insertPart(uint32 mem, bytes32 dat, uint256 datLen, uint32 addr, uint32 count)
        internal
        pure
        returns (uint32 updated, uint32 len)
    {
        unchecked {
            uint256 alignment = addr & 3;
            uint256 n = datLen;
            if (n > 4 - alignment) n = 4 - alignment;
            if (n > count) n = count;
            // The first `n` bytes of the part, placed at byte `alignment` of the word.
            uint256 gap = (4 - alignment - n) * 8;
            uint256 data = (uint256(dat) >> (256 - n * 8)) << gap;
            uint256 mask = ((uint256(1) << (n * 8)) - 1) << gap;
            updated = uint32((uint256(mem) & ~mask) | data);
            len = uint32(n);
        }
    }

    /// @notice write(6, addr, count): shifts up to 4 bytes of the word at `addr & ~3` (from
    ///         `addr` on, never past that word) into the end of `preimageKey`, and resets
    ///         `preimageOffset` to 0.
    function preimageKeyWrite(bytes memory st, bytes calldata proof, uint32 addr, uint32 count)
        internal
        pure
        returns (uint32)
    {
        uint32 wordAddr = addr & 0xFFFFFFFC;
        uint32 mem = VMMemory.readWord(S.word(st, S.MEM_ROOT), proof, VMMemory.DATA_PROOF, wordAddr);
        unchecked {
            uint256 alignment = addr & 3;
            uint256 len = count;
            if (len > 4 - alignment) len = 4 - alignment;
            uint256 bits = len * 8;
            uint256 bytesIn = (uint256(mem) >> ((4 - alignment - len) * 8)) & ((uint256(1) << bits) - 1);
            uint256 key = (uint256(S.word(st, S.PREIMAGE_KEY)) << bits) | bytesIn;
            S.setWord(st, S.PREIMAGE_KEY, bytes32(key));
            S.setU32(st, S.PREIMAGE_OFFSET, 0);
            return uint32(len);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Control-flow helpers
    // ---------------------------------------------------------------------------------------

    /// @notice Reverts if the current instruction stands in a delay slot.
    function checkDelaySlot(bytes memory st) internal pure {
        uint32 pc = S.u32(st, S.PC);
        uint32 nextPC = S.u32(st, S.NEXT_PC);
        unchecked {
            if (nextPC != pc + 4) revert BranchInDelaySlot(pc, nextPC);
        }
    }

    /// @notice `pc = nextPC`; `nextPC` = the target if taken (branch address + 4 + simm·4),
    ///         else `nextPC + 4`.
    function takeBranch(bytes memory st, uint32 insn, bool taken) internal pure {
        checkDelaySlot(st);
        uint32 pc = S.u32(st, S.PC);
        uint32 nextPC = S.u32(st, S.NEXT_PC);
        S.setU32(st, S.PC, nextPC);
        unchecked {
            S.setU32(st, S.NEXT_PC, taken ? pc + 4 + (simm(insn) << 2) : nextPC + 4);
        }
    }

    /// @notice `pc = nextPC; nextPC = target`; links `pc + 8` into `linkReg` (none if 0).
    function jumpTo(bytes memory st, uint32 target, uint256 linkReg) internal pure {
        checkDelaySlot(st);
        uint32 pc = S.u32(st, S.PC);
        S.setU32(st, S.PC, S.u32(st, S.NEXT_PC));
        S.setU32(st, S.NEXT_PC, target);
        unchecked {
            S.setReg(st, linkReg, pc + 8);
        }
    }

    /// @notice `rd = v` (dropped for r0), then advance.
    function writeRd(bytes memory st, uint32 insn, uint32 v) internal pure {
        S.setReg(st, rd(insn), v);
        S.advance(st);
    }

    /// @notice Reverts with `InvalidInstruction`.
    function invalid(bytes memory st, uint32 insn) internal pure {
        revert InvalidInstruction(S.u32(st, S.PC), insn);
    }

    // ---------------------------------------------------------------------------------------
    // Values
    // ---------------------------------------------------------------------------------------

    /// @notice The value a load puts in `rt`, from the word at `ea & ~3` and the old `rt`.
    function loadValue(uint32 op, uint32 ea, uint32 mem, uint32 t) internal pure returns (uint32) {
        if (op == OP_LB) return uint32(int32(int8(uint8(mem >> byteShift(ea)))));
        if (op == OP_LBU) return (mem >> byteShift(ea)) & 0xFF;
        if (op == OP_LH) return uint32(int32(int16(uint16(mem >> halfShift(ea)))));
        if (op == OP_LHU) return (mem >> halfShift(ea)) & 0xFFFF;
        if (op == OP_LWL) {
            // The word's bytes from `ea` on fill `rt` from the left.
            uint32 sh = (ea & 3) * 8;
            uint32 mask = type(uint32).max << sh;
            return (t & ~mask) | (mem << sh);
        }
        if (op == OP_LWR) {
            // The word's bytes up to `ea` fill `rt` from the right.
            uint32 sh = byteShift(ea);
            uint32 mask = type(uint32).max >> sh;
            return (t & ~mask) | (mem >> sh);
        }
        return mem; // lw, ll
    }

    /// @notice The word a store leaves at `ea & ~3`, from its old value and `rt`.
    function storeValue(uint32 op, uint32 ea, uint32 mem, uint32 t) internal pure returns (uint32) {
        if (op == OP_SB) {
            uint32 sh = byteShift(ea);
            return (mem & ~(uint32(0xFF) << sh)) | ((t & 0xFF) << sh);
        }
        if (op == OP_SH) {
            uint32 sh = halfShift(ea);
            return (mem & ~(uint32(0xFFFF) << sh)) | ((t & 0xFFFF) << sh);
        }
        if (op == OP_SWL) {
            // The left bytes of `rt` go to the word from `ea` on.
            uint32 sh = (ea & 3) * 8;
            uint32 mask = type(uint32).max >> sh;
            return (mem & ~mask) | (t >> sh);
        }
        if (op == OP_SWR) {
            // The right bytes of `rt` go to the word up to `ea`.
            uint32 sh = byteShift(ea);
            uint32 mask = type(uint32).max << sh;
            return (mem & ~mask) | (t << sh);
        }
        return t; // sw, sc
    }

    /// @notice HI = high, LO = low 32 bits of a 64-bit product.
    function setHiLo(bytes memory st, uint64 product) internal pure {
        S.setU32(st, S.HI, uint32(product >> 32));
        S.setU32(st, S.LO, uint32(product));
    }

    /// @notice Count of leading zero bits of a 32-bit word (32 for 0).
    function leadingZeros(uint32 x) internal pure returns (uint32 n) {
        if (x == 0) return 32;
        if (x & 0xFFFF0000 == 0) (n, x) = (n + 16, x << 16);
        if (x & 0xFF000000 == 0) (n, x) = (n + 8, x << 8);
        if (x & 0xF0000000 == 0) (n, x) = (n + 4, x << 4);
        if (x & 0xC0000000 == 0) (n, x) = (n + 2, x << 2);
        if (x & 0x80000000 == 0) n += 1;
    }

    /// @notice Shift that brings the byte at `ea` to the bottom of its word.
    function byteShift(uint32 ea) internal pure returns (uint32) {
        return 24 - (ea & 3) * 8;
    }

    /// @notice Shift that brings the half-word at `ea & ~1` to the bottom of its word.
    function halfShift(uint32 ea) internal pure returns (uint32) {
        return 16 - (ea & 2) * 8;
    }

    // ---------------------------------------------------------------------------------------
    // Instruction fields
    // ---------------------------------------------------------------------------------------

    /// @notice `rs`, bits 25..21.
    function rs(uint32 insn) internal pure returns (uint256) {
        return (insn >> 21) & 0x1F;
    }

    /// @notice `rt`, bits 20..16.
    function rt(uint32 insn) internal pure returns (uint256) {
        return (insn >> 16) & 0x1F;
    }

    /// @notice `rd`, bits 15..11.
    function rd(uint32 insn) internal pure returns (uint256) {
        return (insn >> 11) & 0x1F;
    }

    /// @notice Shift amount, bits 10..6.
    function sa(uint32 insn) internal pure returns (uint32) {
        return (insn >> 6) & 0x1F;
    }

    /// @notice The 16-bit immediate, sign-extended.
    function simm(uint32 insn) internal pure returns (uint32) {
        return uint32(int32(int16(uint16(insn))));
    }

    /// @notice The 16-bit immediate, zero-extended.
    function uimm(uint32 insn) internal pure returns (uint32) {
        return insn & 0xFFFF;
    }
}
