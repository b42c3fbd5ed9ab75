//! State encoding and hash (spec `cannon-fault-proof-vm.md` § State, § State Hash).

use ogs::fpvm::state::{EXITED_OFFSET, REGISTERS_OFFSET, STEP_OFFSET};
use ogs::fpvm::{State, StateError, VmStatus, STATE_SIZE};
use proptest::prelude::*;
use sha3::{Digest, Keccak256};

fn arb_state() -> impl Strategy<Value = State> {
    (
        any::<[u8; 32]>(),
        any::<[u8; 32]>(),
        any::<[u32; 6]>(),
        any::<u8>(),
        any::<bool>(),
        any::<u64>(),
        any::<[u32; 32]>(),
    )
        .prop_map(
            |(mem_root, preimage_key, s, exit_code, exited, step, registers)| State {
                mem_root,
                preimage_key,
                preimage_offset: s[0],
                pc: s[1],
                next_pc: s[2],
                lo: s[3],
                hi: s[4],
                heap: s[5],
                exit_code,
                exited,
                step,
                registers,
            },
        )
}

proptest! {
    #[test]
    fn encode_decode_round_trip(st in arb_state()) {
        let enc = st.encode();
        prop_assert_eq!(enc.len(), 226);
        prop_assert_eq!(State::decode(&enc).unwrap(), st);
    }

    #[test]
    fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = State::decode(&bytes);
    }
}

#[test]
fn layout_is_packed_big_endian_in_spec_order() {
    let mut st = State {
        preimage_offset: 0x0102_0304,
        pc: 0x1111_1111,
        next_pc: 0x2222_2222,
        lo: 3,
        hi: 4,
        heap: 5,
        exit_code: 6,
        exited: true,
        step: 0x0A0B_0C0D_0E0F_1011,
        ..State::default()
    };
    st.mem_root[0] = 0xAA;
    st.preimage_key[31] = 0xBB;
    st.registers[31] = 0xCAFE_BABE;
    let e = st.encode();
    assert_eq!(STATE_SIZE, 226);
    assert_eq!(e[0], 0xAA);
    assert_eq!(e[63], 0xBB);
    assert_eq!(&e[64..68], &[1, 2, 3, 4]);
    assert_eq!(&e[68..72], &[0x11; 4]);
    assert_eq!(&e[72..76], &[0x22; 4]);
    assert_eq!(&e[76..80], &[0, 0, 0, 3]);
    assert_eq!(&e[80..84], &[0, 0, 0, 4]);
    assert_eq!(&e[84..88], &[0, 0, 0, 5]);
    assert_eq!(e[88], 6);
    assert_eq!(e[EXITED_OFFSET], 1);
    assert_eq!(
        &e[STEP_OFFSET..STEP_OFFSET + 8],
        &[0xA, 0xB, 0xC, 0xD, 0xE, 0xF, 0x10, 0x11]
    );
    assert_eq!(REGISTERS_OFFSET, 98);
    assert_eq!(&e[222..226], &[0xCA, 0xFE, 0xBA, 0xBE]);
}

#[test]
fn decode_rejects_bad_input() {
    assert_eq!(
        State::decode(&[0u8; 225]),
        Err(StateError::WrongLength(225))
    );
    assert_eq!(
        State::decode(&[0u8; 227]),
        Err(StateError::WrongLength(227))
    );
    let mut e = State::default().encode();
    e[EXITED_OFFSET] = 2;
    assert_eq!(State::decode(&e), Err(StateError::InvalidExited(2)));
}

#[test]
fn state_hash_has_status_in_top_byte() {
    // § State Hash: keccak256(state) with the top byte replaced by the VM status.
    let cases = [
        (false, 0, VmStatus::Unfinished),
        (false, 1, VmStatus::Unfinished),
        (true, 0, VmStatus::Valid),
        (true, 1, VmStatus::Invalid),
        (true, 2, VmStatus::Panic),
        (true, 255, VmStatus::Panic),
    ];
    for (exited, exit_code, status) in cases {
        let st = State {
            exited,
            exit_code,
            pc: 4,
            ..State::default()
        };
        let h = st.state_hash();
        let raw: [u8; 32] = Keccak256::digest(st.encode()).into();
        assert_eq!(h[0], status as u8);
        assert_eq!(h[1..], raw[1..]);
        assert_eq!(st.status(), status);
    }
}
