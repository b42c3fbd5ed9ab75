//! Witness mode against an independent, naive reference of the on-chain step: decode the
//! 226-byte pre-state, verify the instruction proof and (for memory steps) the data proof
//! against `memRoot`, execute one instruction, rebuild the root from the proof, and hash the
//! post-state (spec `cannon-fault-proof-vm.md` § State, § Memory, § Delay Slots, § Syscalls,
//! § I/O). Also: snapshot + resume equals a straight run, and the Tracer's random access
//! equals stepping in order.

use crate::asm;

use std::collections::HashMap;
use std::path::PathBuf;

use asm::*;
use ogs::fpvm::{MemoryOracle, StepWitness, Tracer, Vm};
use sha3::{Digest, Keccak256};

// ----------------------------------------------------------------------------------------------
// Reference implementation (deliberately naive, shares no code with the crate)
// ----------------------------------------------------------------------------------------------

fn keccak(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Root of `leaf` hashed up the 27 siblings in `proof` (bytes 32..896) for `addr`.
fn ref_root(addr: u32, proof: &[u8], leaf: &[u8]) -> [u8; 32] {
    let mut node = leaf.to_vec();
    for level in 0..27 {
        let sib = &proof[32 * (level + 1)..32 * (level + 2)];
        let right = (addr >> 5 >> level) & 1 == 1;
        let cat = if right {
            [sib, &node].concat()
        } else {
            [&node[..], sib].concat()
        };
        node = keccak(&cat).to_vec();
    }
    node.try_into().unwrap()
}

struct RefState {
    b: Vec<u8>,
}

impl RefState {
    fn u32_at(&self, at: usize) -> u32 {
        be32(&self.b[at..])
    }
    fn set_u32(&mut self, at: usize, v: u32) {
        self.b[at..at + 4].copy_from_slice(&v.to_be_bytes());
    }
    fn reg(&self, r: u32) -> u32 {
        self.u32_at(98 + 4 * r as usize)
    }
    fn set_reg(&mut self, r: u32, v: u32) {
        if r != 0 {
            self.set_u32(98 + 4 * r as usize, v);
        }
    }
    fn hash(&self) -> [u8; 32] {
        let mut h = keccak(&self.b);
        let exited = self.b[89] == 1;
        let code = self.b[88];
        h[0] = if !exited {
            3
        } else if code == 0 {
            0
        } else if code == 1 {
            1
        } else {
            2
        };
        h
    }
}

/// Executes one step from the witness alone; returns the post-state hash, or None where the
/// on-chain step would revert.
fn reference_step(w: &StepWitness, preimages: &HashMap<[u8; 32], Vec<u8>>) -> Option<[u8; 32]> {
    let mut s = RefState {
        b: w.state.to_vec(),
    };
    let proof = w.proof_data();
    assert_eq!(proof.len(), 1792);
    let root: [u8; 32] = s.b[0..32].try_into().unwrap();
    if s.b[89] == 1 {
        return Some(s.hash());
    }
    let (pc, next_pc) = (s.u32_at(68), s.u32_at(72));
    if pc % 4 != 0 {
        return None;
    }
    // Instruction proof.
    if ref_root(pc, &proof[..896], &proof[..32]) != root {
        return None;
    }
    let insn = be32(&proof[(pc & 31) as usize..]);
    let step = u64::from_be_bytes(s.b[90..98].try_into().unwrap());
    s.b[90..98].copy_from_slice(&(step + 1).to_be_bytes());

    let op = insn >> 26;
    let rs_n = (insn >> 21) & 31;
    let rt_n = (insn >> 16) & 31;
    let rd_n = (insn >> 11) & 31;
    let sa = (insn >> 6) & 31;
    let fun = insn & 63;
    let rs = s.reg(rs_n);
    let rt = s.reg(rt_n);
    let imm_s = (insn & 0xFFFF) as i16 as i32 as u32;
    let imm_z = insn & 0xFFFF;
    let in_delay_slot = next_pc != pc.wrapping_add(4);
    let mut new_pc = next_pc;
    let mut new_next = next_pc.wrapping_add(4);

    // Data word helpers over the second proof.
    let data_proof = &proof[896..];
    let read_data = |addr: u32| -> Option<u32> {
        if ref_root(addr, data_proof, &data_proof[..32]) != root {
            return None;
        }
        Some(be32(&data_proof[(addr & 28) as usize..]))
    };
    let write_data = |s: &mut RefState, addr: u32, v: u32| {
        let mut leaf = data_proof[..32].to_vec();
        leaf[(addr & 28) as usize..(addr & 28) as usize + 4].copy_from_slice(&v.to_be_bytes());
        let r = ref_root(addr, data_proof, &leaf);
        s.b[0..32].copy_from_slice(&r);
    };

    match op {
        0 => match fun {
            0x08 | 0x09 => {
                if in_delay_slot {
                    return None;
                }
                new_pc = next_pc;
                new_next = rs;
                if fun == 9 {
                    s.set_reg(rd_n, pc + 8);
                }
            }
            0x0C => {
                let (num, a0, a1, a2) = (s.reg(2), s.reg(4), s.reg(5), s.reg(6));
                let (mut v0, mut v1) = (0u32, 0u32);
                match num {
                    4090 => {
                        let size = if a1 % 4096 != 0 {
                            a1.wrapping_add(4096 - a1 % 4096)
                        } else {
                            a1
                        };
                        if a0 == 0 {
                            v0 = s.u32_at(84);
                            s.set_u32(84, v0.wrapping_add(size));
                        } else {
                            v0 = a0;
                        }
                    }
                    4045 => v0 = 0x4000_0000,
                    4120 => v0 = 1,
                    4246 => {
                        s.b[89] = 1;
                        s.b[88] = a0 as u8;
                        return Some(s.hash());
                    }
                    4003 => match a0 {
                        0 => {}
                        3 => v0 = a2,
                        5 => {
                            let addr = a1 & !3;
                            let word = read_data(addr)?;
                            let key: [u8; 32] = s.b[32..64].try_into().unwrap();
                            let data = preimages.get(&key)?;
                            let mut framed = (data.len() as u64).to_be_bytes().to_vec();
                            framed.extend_from_slice(data);
                            let off = s.u32_at(64) as usize;
                            if off > framed.len() {
                                return None;
                            }
                            let align = (a1 & 3) as usize;
                            let n = (framed.len() - off).min(32).min(4 - align).min(a2 as usize);
                            let mut bytes = word.to_be_bytes();
                            bytes[align..align + n].copy_from_slice(&framed[off..off + n]);
                            write_data(&mut s, addr, u32::from_be_bytes(bytes));
                            s.set_u32(64, (off + n) as u32);
                            v0 = n as u32;
                        }
                        _ => (v0, v1) = (u32::MAX, 9),
                    },
                    4004 => match a0 {
                        1 | 2 | 4 => v0 = a2,
                        6 => {
                            let addr = a1 & !3;
                            let word = read_data(addr)?.to_be_bytes();
                            let align = (a1 & 3) as usize;
                            let n = (a2 as usize).min(4 - align);
                            let mut key = s.b[32..64].to_vec();
                            key.drain(..n);
                            key.extend_from_slice(&word[align..align + n]);
                            s.b[32..64].copy_from_slice(&key);
                            s.set_u32(64, 0);
                            v0 = n as u32;
                        }
                        _ => (v0, v1) = (u32::MAX, 9),
                    },
                    4055 => match (a1, a0) {
                        (1, 0..=6) => v0 = 0,
                        (3, 0 | 3 | 5) => v0 = 0,
                        (3, 1 | 2 | 4 | 6) => v0 = 1,
                        (1 | 3, _) => (v0, v1) = (u32::MAX, 9),
                        _ => (v0, v1) = (u32::MAX, 0x16),
                    },
                    _ => {}
                }
                s.set_reg(2, v0);
                s.set_reg(7, v1);
            }
            0x10 => s.set_reg(rd_n, s.u32_at(80)),
            0x12 => s.set_reg(rd_n, s.u32_at(76)),
            0x11 => {
                s.set_u32(80, rs);
                s.set_reg(rd_n, 0);
            }
            0x13 => {
                s.set_u32(76, rs);
                s.set_reg(rd_n, 0);
            }
            0x18 | 0x19 => {
                let p = if fun == 0x18 {
                    ((rs as i32 as i64) * (rt as i32 as i64)) as u64
                } else {
                    rs as u64 * rt as u64
                };
                s.set_u32(80, (p >> 32) as u32);
                s.set_u32(76, p as u32);
                s.set_reg(rd_n, 0);
            }
            0x1A | 0x1B => {
                if rt == 0 {
                    return None;
                }
                let (q, r) = if fun == 0x1A {
                    let (a, b) = (rs as i32 as i64, rt as i32 as i64);
                    ((a / b) as u32, (a % b) as u32)
                } else {
                    (rs / rt, rs % rt)
                };
                s.set_u32(80, r);
                s.set_u32(76, q);
                s.set_reg(rd_n, 0);
            }
            0x0A => {
                if rt == 0 {
                    s.set_reg(rd_n, rs)
                }
            }
            0x0B => {
                if rt != 0 {
                    s.set_reg(rd_n, rs)
                }
            }
            _ => {
                let v = match fun {
                    0x00 => rt << sa,
                    0x02 if rs_n != 1 => rt >> sa,
                    0x03 => ((rt as i32) >> sa) as u32,
                    0x04 => rt << (rs % 32),
                    0x06 if sa != 1 => rt >> (rs % 32),
                    0x07 => ((rt as i32) >> (rs % 32)) as u32,
                    0x0F => rs,
                    0x20 | 0x21 => rs.wrapping_add(rt),
                    0x22 | 0x23 => rs.wrapping_sub(rt),
                    0x24 => rs & rt,
                    0x25 => rs | rt,
                    0x26 => rs ^ rt,
                    0x27 => !(rs | rt),
                    0x2A => ((rs as i32) < (rt as i32)) as u32,
                    0x2B => (rs < rt) as u32,
                    _ => return None,
                };
                s.set_reg(rd_n, v);
            }
        },
        1 | 4..=7 => {
            if in_delay_slot {
                return None;
            }
            let taken = match (op, rt_n) {
                (4, _) => rs == rt,
                (5, _) => rs != rt,
                (6, _) => (rs as i32) <= 0,
                (7, _) => (rs as i32) > 0,
                (1, 0) => (rs as i32) < 0,
                (1, 1) | (1, 0x11) => (rs as i32) >= 0,
                _ => return None,
            };
            if op == 1 && rt_n == 0x11 {
                s.set_reg(31, pc + 8);
            }
            if taken {
                new_next = pc.wrapping_add(4).wrapping_add(imm_s << 2);
            }
        }
        2 | 3 => {
            if in_delay_slot {
                return None;
            }
            new_next = (next_pc & 0xF000_0000) | ((insn & 0x03FF_FFFF) << 2);
            if op == 3 {
                s.set_reg(31, pc + 8);
            }
        }
        8 | 9 => s.set_reg(rt_n, rs.wrapping_add(imm_s)),
        0x0A => s.set_reg(rt_n, ((rs as i32) < (imm_s as i32)) as u32),
        0x0B => s.set_reg(rt_n, (rs < imm_s) as u32),
        0x0C => s.set_reg(rt_n, rs & imm_z),
        0x0D => s.set_reg(rt_n, rs | imm_z),
        0x0E => s.set_reg(rt_n, rs ^ imm_z),
        0x0F => s.set_reg(rt_n, imm_z << 16),
        0x1C => {
            let v = match fun {
                2 => (rs as i32).wrapping_mul(rt as i32) as u32,
                0x20 => rs.leading_zeros(),
                0x21 => (!rs).leading_zeros(),
                _ => return None,
            };
            s.set_reg(rd_n, v);
        }
        0x20..=0x26 | 0x28..=0x2B | 0x2E | 0x30 | 0x38 => {
            let ea = rs.wrapping_add(imm_s);
            let addr = ea & !3;
            let w = read_data(addr)?;
            let bytes = w.to_be_bytes();
            let k = (ea & 3) as usize;
            let h = (ea & 2) as usize;
            match op {
                0x20 => s.set_reg(rt_n, bytes[k] as i8 as i32 as u32),
                0x24 => s.set_reg(rt_n, bytes[k] as u32),
                0x21 => s.set_reg(
                    rt_n,
                    i16::from_be_bytes([bytes[h], bytes[h + 1]]) as i32 as u32,
                ),
                0x25 => s.set_reg(rt_n, u16::from_be_bytes([bytes[h], bytes[h + 1]]) as u32),
                0x23 | 0x30 => s.set_reg(rt_n, w),
                0x22 => {
                    // lwl: bytes k..4 of memory into the high bytes of rt.
                    let mut r = rt.to_be_bytes();
                    r[..4 - k].copy_from_slice(&bytes[k..]);
                    s.set_reg(rt_n, u32::from_be_bytes(r));
                }
                0x26 => {
                    // lwr: bytes 0..=k of memory into the low bytes of rt.
                    let mut r = rt.to_be_bytes();
                    r[3 - k..].copy_from_slice(&bytes[..=k]);
                    s.set_reg(rt_n, u32::from_be_bytes(r));
                }
                _ => {
                    let r = rt.to_be_bytes();
                    let mut m = bytes;
                    match op {
                        0x28 => m[k] = r[3],
                        0x29 => m[h..h + 2].copy_from_slice(&r[2..]),
                        0x2A => m[k..].copy_from_slice(&r[..4 - k]),
                        0x2E => m[..=k].copy_from_slice(&r[3 - k..]),
                        _ => m = r, // sw, sc
                    }
                    write_data(&mut s, addr, u32::from_be_bytes(m));
                    if op == 0x38 {
                        s.set_reg(rt_n, 1);
                    }
                }
            }
        }
        _ => return None,
    }
    s.set_u32(68, new_pc);
    s.set_u32(72, new_next);
    Some(s.hash())
}

// ----------------------------------------------------------------------------------------------
// Tests
// ----------------------------------------------------------------------------------------------

fn guest(name: &str) -> Option<Vec<u8>> {
    let p = PathBuf::from(file!())
        .parent()?
        .join("guests/bin")
        .join(name);
    std::fs::read(p).ok()
}

/// Steps `vm` with witnesses `n` times, checking every witness against the reference.
fn check_against_reference(mut vm: Vm, n: usize, preimages: &HashMap<[u8; 32], Vec<u8>>) -> usize {
    let mut mem_steps = 0;
    for _ in 0..n {
        let before = vm.state_hash();
        let w = vm.step_with_witness().expect("no exception");
        assert_eq!(w.state_hash, before);
        assert_eq!(w.post_state_hash, vm.state_hash());
        let got = reference_step(&w, preimages);
        assert_eq!(
            got,
            Some(w.post_state_hash),
            "step {} pc {:#x}",
            w.step,
            vm.pc()
        );
        if let Some(p) = &w.preimage {
            assert_eq!(preimages.get(&p.key), Some(&p.value));
        }
        if w.mem_addr.is_some() {
            mem_steps += 1;
        } else {
            assert_eq!(
                w.mem_proof, [0u8; 896],
                "Cannon's zero proof for non-memory steps"
            );
        }
        if vm.exited() {
            break;
        }
    }
    mem_steps
}

#[test]
fn witnesses_of_guest_programs_replay_through_the_reference() {
    let none = HashMap::new();
    let mut any = false;
    for (name, steps) in [
        ("keccak.elf", 4000),
        ("mem.elf", 4000),
        ("sys.elf", 3000),
        ("muldiv.elf", 3000),
        ("hello.elf", 1000),
    ] {
        let Some(elf) = guest(name) else { continue };
        any = true;
        let vm = Vm::from_elf(&elf, MemoryOracle::new()).unwrap();
        let mem_steps = check_against_reference(vm, steps, &none);
        assert!(mem_steps > 0, "{name} exercised memory steps");
    }
    if !any {
        eprintln!("no guest ELFs found; covered by the hand-assembled test below");
    }
}

/// A hand-assembled program: a loop of ALU, branch, hi/lo and memory ops, then the pre-image
/// protocol (key write, framed read with misaligned buffers), a hint, and exit.
fn oracle_program() -> Vec<u32> {
    let mut c = vec![];
    c.extend(li(S0, 0x0001_0000)); // data buffer
    c.extend([addiu(T0, ZERO, 40), addiu(T1, ZERO, 0)]);
    // loop: (index 4)
    let top = c.len() as i32;
    c.extend([
        addu(T1, T1, T0),
        mult(T1, T0),
        mflo(T2),
        sb(T2, 3, S0),
        sh(T1, 6, S0),
        lw(T3, 4, S0),
        swl(T3, 9, S0),
        swr(T3, 14, S0),
        lwl(A3, 9, S0),
        lwr(A3, 12, S0),
        sra(T2, T2, 3),
        clz(V1, T2),
        addiu(T0, T0, -1),
    ]);
    let here = c.len() as i32;
    c.extend([bne(T0, ZERO, top - here - 1), nop()]);
    // write the 32-byte key stored at S0+0x100 to fd 6, 4 bytes at a time (count 5 is cut to 4)
    for k in 0..8 {
        c.extend([
            addiu(V0, ZERO, 4004),
            addiu(A0, ZERO, 6),
            addiu(A1, S0, 0x100 + 4 * k),
            addiu(A2, ZERO, 5),
            syscall(),
        ]);
    }
    // read the framed pre-image to S0+0x201 (misaligned), 16 reads
    c.extend([addiu(T0, S0, 0x201)]);
    for _ in 0..16 {
        c.extend([
            addiu(V0, ZERO, 4003),
            addiu(A0, ZERO, 5),
            or(A1, T0, ZERO),
            addiu(A2, ZERO, 4),
            syscall(),
            addu(T0, T0, V0),
        ]);
    }
    // hint "ab" from S0+0x300, mmap, brk, fcntl, exit
    c.extend([
        addiu(V0, ZERO, 4004),
        addiu(A0, ZERO, 4),
        addiu(A1, S0, 0x300),
        addiu(A2, ZERO, 6),
        syscall(),
    ]);
    c.extend([
        addiu(V0, ZERO, 4090),
        addiu(A0, ZERO, 0),
        addiu(A1, ZERO, 100),
        syscall(),
    ]);
    c.extend([
        addiu(V0, ZERO, 4045),
        syscall(),
        addiu(V0, ZERO, 4055),
        addiu(A0, ZERO, 5),
        addiu(A1, ZERO, 3),
        syscall(),
    ]);
    c.extend(exit_with(1));
    c
}

fn oracle_vm() -> (Vm, HashMap<[u8; 32], Vec<u8>>) {
    let data = b"the pre-image served by the oracle: 40 bytes".to_vec();
    let mut oracle = MemoryOracle::new();
    let key = oracle.insert_keccak(data.clone());
    let mut vm = vm_with_oracle(&oracle_program(), &[], oracle);
    vm.memory_mut().write_bytes(0x0001_0100, &key);
    vm.memory_mut().write_bytes(0x0001_0300, b"\0\0\0\x02ab");
    let mut map = HashMap::new();
    map.insert(key, data);
    (vm, map)
}

#[test]
fn hand_assembled_program_replays_through_the_reference() {
    let (vm, map) = oracle_vm();
    let mem_steps = check_against_reference(vm, 100_000, &map);
    assert!(mem_steps > 100);
    let (mut vm, _) = oracle_vm();
    let out = vm.run(100_000).unwrap();
    assert_eq!(out.exit_code, Some(1));
    assert_eq!(vm.oracle().hints(), &[b"ab".to_vec()]);
}

#[test]
fn snapshot_and_resume_equals_straight_run() {
    let (mut straight, _) = oracle_vm();
    straight.run(u64::MAX).unwrap();
    let final_hash = straight.state_hash();

    let (mut vm, _) = oracle_vm();
    vm.run(300).unwrap();
    let snap = vm.snapshot();
    let mid = vm.state_hash();
    vm.run(u64::MAX).unwrap();
    assert_eq!(vm.state_hash(), final_hash);
    vm.restore(&snap);
    assert_eq!(vm.state_hash(), mid);
    vm.run(u64::MAX).unwrap();
    assert_eq!(vm.state_hash(), final_hash);
}

#[test]
fn tracer_random_access_matches_sequential_witnesses() {
    let (mut vm, _) = oracle_vm();
    let mut sequential = vec![];
    loop {
        let w = vm.step_with_witness().unwrap();
        let done = vm.exited();
        sequential.push(w);
        if done {
            break;
        }
    }
    let total = sequential.len() as u64;
    let (vm, _) = oracle_vm();
    let mut tracer = Tracer::new(vm, 64);
    for step in [500u64, 3, 499, 0, 64, 63, 128, total - 1, 200, 10]
        .into_iter()
        .chain((0..total as usize).step_by(37).map(|s| s as u64).rev())
    {
        let w = tracer.witness(step).unwrap();
        assert_eq!(w, sequential[step as usize], "step {step}");
    }
    assert!(tracer.snapshot_count() > 2);
    // Past the end: the exited state steps to itself.
    let w = tracer.witness(total + 10).unwrap();
    assert_eq!(w.state_hash, w.post_state_hash);
    assert_eq!(
        w.post_state_hash,
        sequential.last().unwrap().post_state_hash
    );
    assert_eq!(tracer.state_hash_at(total).unwrap(), w.state_hash);
}

#[test]
fn failing_step_gives_no_witness_and_keeps_the_pre_state() {
    let mut vm = vm_with(&[0x7064_0000], &[]);
    let h = vm.state_hash();
    assert!(vm.step_with_witness().is_err());
    assert_eq!(vm.state_hash(), h);
}

// ----------------------------------------------------------------------------------------------
// Differential fuzzing: random programs, VM witness vs reference, and no panics
// ----------------------------------------------------------------------------------------------

use proptest::prelude::*;

/// Mostly-valid instruction words: a random valid template with random fields, or any word.
fn insn_strategy() -> impl Strategy<Value = u32> {
    let templates: Vec<u32> = vec![
        0x0000_0000,
        0x0000_0002,
        0x0000_0003,
        0x0000_0004,
        0x0000_0006,
        0x0000_0007,
        0x0000_0008,
        0x0000_0009,
        0x0000_000A,
        0x0000_000B,
        0x0000_000C,
        0x0000_000F,
        0x0000_0010,
        0x0000_0011,
        0x0000_0012,
        0x0000_0013,
        0x0000_0018,
        0x0000_0019,
        0x0000_001A,
        0x0000_001B,
        0x0000_0020,
        0x0000_0021,
        0x0000_0022,
        0x0000_0023,
        0x0000_0024,
        0x0000_0025,
        0x0000_0026,
        0x0000_0027,
        0x0000_002A,
        0x0000_002B,
        0x0400_0000,
        0x0401_0000,
        0x0411_0000,
        0x0800_0000,
        0x0C00_0000,
        0x1000_0000,
        0x1400_0000,
        0x1800_0000,
        0x1C00_0000,
        0x2000_0000,
        0x2400_0000,
        0x2800_0000,
        0x2C00_0000,
        0x3000_0000,
        0x3400_0000,
        0x3800_0000,
        0x3C00_0000,
        0x7000_0002,
        0x7000_0020,
        0x7000_0021,
        0x8000_0000,
        0x8400_0000,
        0x8800_0000,
        0x8C00_0000,
        0x9000_0000,
        0x9400_0000,
        0x9800_0000,
        0xA000_0000,
        0xA400_0000,
        0xA800_0000,
        0xAC00_0000,
        0xB800_0000,
        0xC000_0000,
        0xE000_0000,
    ];
    prop_oneof![
        8 => (prop::sample::select(templates), any::<u32>()).prop_map(|(t, r)| {
            let op = t >> 26;
            match op {
                // keep the function / REGIMM selector, randomize registers, shamt, immediates
                0 | 0x1C => t | (r & 0x03FF_FFC0),
                1 => t | (r & 0x03E0_FFFF),
                // short jumps / branches so programs stay near the code
                2 | 3 => t | (r & 0xFF),
                4..=7 => t | (r & 0x03FF_0000) | (r & 0xF),
                _ => t | (r & 0x03FF_FFFF),
            }
        }),
        1 => any::<u32>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_programs_match_reference_and_never_panic(
        code in prop::collection::vec(insn_strategy(), 1..64),
        regs in prop::collection::vec((1u32..32, prop_oneof![any::<u32>(), 0u32..0x100, Just(4003u32), Just(4004u32), Just(4090u32), Just(4055u32), Just(4246u32), 0u32..8]), 0..12),
    ) {
        let mut oracle = MemoryOracle::new();
        let key = oracle.insert_keccak(b"fuzz pre-image".to_vec());
        let mut map = HashMap::new();
        map.insert(key, b"fuzz pre-image".to_vec());
        let mut vm = vm_with_oracle(&code, &regs, oracle);
        vm.cpu_state_mut().preimage_key = key;
        let mut fast = vm_with_oracle(&code, &regs, {
            let mut o = MemoryOracle::new();
            o.insert_keccak(b"fuzz pre-image".to_vec());
            o
        });
        fast.cpu_state_mut().preimage_key = key;
        for _ in 0..60 {
            let pre = vm.state_hash();
            match vm.step_with_witness() {
                Ok(w) => {
                    prop_assert_eq!(reference_step(&w, &map), Some(w.post_state_hash));
                    prop_assert!(fast.step().is_ok());
                }
                Err(_) => {
                    prop_assert_eq!(vm.state_hash(), pre);
                    prop_assert!(fast.step().is_err());
                    break;
                }
            }
            prop_assert_eq!(fast.state_hash(), vm.state_hash());
            if vm.exited() { break; }
        }
    }
}
