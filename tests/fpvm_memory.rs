//! Memory Merkle tree (spec `cannon-fault-proof-vm.md` § Memory): the root against a naive
//! recomputation, proofs against the root, incremental updates and snapshots.

use std::collections::BTreeMap;

use ogs::fpvm::memory::{hash_pair, proof_word, root_with_word, TREE_DEPTH};
use ogs::fpvm::{root_from_proof, root_with_leaf, verify_proof, zero_hashes, Memory, EMPTY_ROOT};
use proptest::prelude::*;

#[test]
fn empty_root_matches_spec_constant() {
    // fpvm.md: the empty memory root is 0x838c5655…c41e.
    let expected =
        hex::decode("838c5655cb21c6cb83313b5a631175dff4963772cce9108188b34ac87c81c41e").unwrap();
    assert_eq!(EMPTY_ROOT.to_vec(), expected);
    assert_eq!(zero_hashes()[TREE_DEPTH], EMPTY_ROOT);
    assert_eq!(Memory::new().merkle_root(), EMPTY_ROOT);
    assert_eq!(zero_hashes()[0], [0u8; 32]);
}

/// Naive root over a sparse map of leaf index -> 32-byte leaf: recursion over the whole tree,
/// pruning empty subtrees with range queries. Independent of the crate's page cache.
fn naive_root(leaves: &BTreeMap<u32, [u8; 32]>) -> [u8; 32] {
    fn node(leaves: &BTreeMap<u32, [u8; 32]>, height: u32, index: u64) -> [u8; 32] {
        let first = index << height;
        let last = ((index + 1) << height) - 1;
        if leaves.range(first as u32..=last as u32).next().is_none() {
            let mut z = [0u8; 32];
            for _ in 0..height {
                z = sha3_pair(&z, &z);
            }
            return z;
        }
        if height == 0 {
            return leaves[&(index as u32)];
        }
        sha3_pair(
            &node(leaves, height - 1, 2 * index),
            &node(leaves, height - 1, 2 * index + 1),
        )
    }
    node(leaves, 27, 0)
}

fn sha3_pair(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    use sha3::{Digest, Keccak256};
    let mut h = Keccak256::new();
    h.update(a);
    h.update(b);
    h.finalize().into()
}

fn apply(leaves: &mut BTreeMap<u32, [u8; 32]>, addr: u32, word: u32) {
    let leaf = leaves.entry(addr >> 5).or_insert([0u8; 32]);
    let at = (addr & 28) as usize;
    leaf[at..at + 4].copy_from_slice(&word.to_be_bytes());
}

/// Addresses clustered in a few regions (so pages share subtrees) plus anywhere.
fn addr_strategy() -> impl Strategy<Value = u32> {
    prop_oneof![
        (0u32..0x3000).prop_map(|a| a & !3),
        (0u32..0x2000).prop_map(|a| (0x7FFF_C000 + a) & !3),
        any::<u32>().prop_map(|a| a & !3),
        Just(0xFFFF_FFFC),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn root_matches_naive_recomputation(writes in prop::collection::vec((addr_strategy(), any::<u32>()), 1..60)) {
        let mut mem = Memory::new();
        let mut leaves = BTreeMap::new();
        for (i, (addr, word)) in writes.iter().enumerate() {
            mem.store_word(*addr, *word);
            apply(&mut leaves, *addr, *word);
            // Interleave root computations to exercise the incremental path.
            if i % 7 == 3 {
                prop_assert_eq!(mem.merkle_root(), naive_root(&leaves));
            }
        }
        prop_assert_eq!(mem.merkle_root(), naive_root(&leaves));
    }

    #[test]
    fn proofs_verify_and_predict_writes(
        writes in prop::collection::vec((addr_strategy(), any::<u32>()), 1..40),
        probe in addr_strategy(),
        new_word in any::<u32>(),
    ) {
        let mut mem = Memory::new();
        for (addr, word) in &writes {
            mem.store_word(*addr, *word);
        }
        let root = mem.merkle_root();
        for addr in writes.iter().map(|w| w.0).chain([probe]) {
            let proof = mem.proof(addr);
            prop_assert!(verify_proof(&root, addr, &proof));
            prop_assert_eq!(root_from_proof(addr, &proof), root);
            prop_assert_eq!(proof_word(&proof, addr), mem.load_word(addr));
            // A proof for another leaf must not verify this address (unless same leaf).
            let other = addr ^ 0x20;
            prop_assert!(!verify_proof(&root, other, &proof) || proof == mem.proof(other));
        }
        // A write reuses the same siblings with the new leaf.
        let proof = mem.proof(probe);
        let predicted = root_with_word(probe, &proof, new_word);
        mem.store_word(probe, new_word);
        prop_assert_eq!(mem.merkle_root(), predicted);
    }

    #[test]
    fn snapshot_restore_round_trips(
        before in prop::collection::vec((addr_strategy(), any::<u32>()), 1..30),
        after in prop::collection::vec((addr_strategy(), any::<u32>()), 1..30),
    ) {
        let mut mem = Memory::new();
        for (a, w) in &before { mem.store_word(*a, *w); }
        let snap = mem.snapshot();
        let root = mem.merkle_root();
        for (a, w) in &after { mem.store_word(*a, *w); }
        let root_after = mem.merkle_root();
        mem.restore(&snap);
        prop_assert_eq!(mem.merkle_root(), root);
        for (a, _) in &before {
            prop_assert_eq!(mem.proof(*a), Memory::from_snapshot(&snap).proof(*a));
        }
        // The snapshot was not disturbed by the writes (copy-on-write).
        for (a, w) in &after { mem.store_word(*a, *w); }
        prop_assert_eq!(mem.merkle_root(), root_after);
        prop_assert_eq!(Memory::from_snapshot(&snap).merkle_root(), root);
    }
}

#[test]
fn proof_layout_is_leaf_then_siblings_bottom_up() {
    // fpvm.md: proof = leaf ‖ 27 siblings; bit i of addr >> 5 says right child at level i.
    let mut mem = Memory::new();
    mem.store_word(0x24, 0xDEAD_BEEF); // leaf 1 (right child at level 0), word 1
    mem.store_word(0x00, 0x0102_0304); // leaf 0
    let proof = mem.proof(0x24);
    assert_eq!(&proof[4..8], &[0xDE, 0xAD, 0xBE, 0xEF]);
    assert_eq!(
        &proof[32..36],
        &[1, 2, 3, 4],
        "sibling 0 is the raw left leaf"
    );
    let mut leaf0 = [0u8; 32];
    leaf0[..4].copy_from_slice(&[1, 2, 3, 4]);
    let mut leaf1 = [0u8; 32];
    leaf1[4..8].copy_from_slice(&[0xDE, 0xAD, 0xBE, 0xEF]);
    let mut node = hash_pair(&leaf0, &leaf1);
    for h in 1..TREE_DEPTH {
        node = hash_pair(&node, &zero_hashes()[h]);
    }
    assert_eq!(mem.merkle_root(), node);
    assert_eq!(root_with_leaf(0x24, &proof, &leaf1), node);
}

#[test]
fn zero_writes_do_not_change_the_root_and_bytes_round_trip() {
    let mut mem = Memory::new();
    mem.write_bytes(0x1001, &[0; 9000]);
    assert_eq!(mem.merkle_root(), EMPTY_ROOT);
    mem.write_bytes(0xFFFF_FFFE, b"wrap");
    assert_eq!(mem.read_bytes(0xFFFF_FFFE, 4), b"wrap");
    assert_eq!(mem.load_word(0), u32::from_be_bytes(*b"ap\0\0"));
    mem.zero_range(0xFFFF_FFFE, 4);
    assert_eq!(mem.merkle_root(), EMPTY_ROOT);
}

#[test]
fn root_after_many_pages_matches_naive_and_parallel_path() {
    // More dirty pages than the parallel-hashing threshold.
    let mut mem = Memory::new();
    let mut leaves = BTreeMap::new();
    for p in 0..600u32 {
        let addr = 0x0100_0000 + p * 4096 + (p % 128) * 32;
        mem.store_word(addr, p.wrapping_mul(0x9E37_79B9) | 1);
        apply(&mut leaves, addr, p.wrapping_mul(0x9E37_79B9) | 1);
    }
    assert_eq!(mem.merkle_root(), naive_root(&leaves));
}
