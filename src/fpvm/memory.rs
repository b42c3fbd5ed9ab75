//! Paged VM memory with a cached binary Merkle tree, proofs and stand-alone proof checking.
//!
//! Spec: `cannon-fault-proof-vm.md` § Memory. The 2^32-byte address space is a binary Merkle
//! tree of fixed depth 27 over 32-byte leaves; an inner node is `keccak256(left ‖ right)`; an
//! empty subtree of height `h` hashes to `zero_hashes()[h]`. Words are 4-byte aligned and
//! big-endian inside their leaf.
//!
//! Off-chain representation: 4 KiB pages (128 leaves, a subtree of height 7) in a flat page
//! table, shared copy-on-write with snapshots. Page roots and the nodes above them are cached in
//! a map and recomputed only for pages written since the last [`Memory::merkle_root`]; all-zero
//! subtrees are never hashed.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, OnceLock};

use sha3::{Digest, Keccak256};

/// Bits of an address inside a page.
pub const PAGE_ADDR_BITS: u32 = 12;
/// Bytes in a page.
pub const PAGE_SIZE: usize = 1 << PAGE_ADDR_BITS;
/// 32-bit words in a page.
pub const PAGE_WORDS: usize = PAGE_SIZE / 4;
/// Number of pages in the 32-bit address space.
const NUM_PAGES: usize = 1 << (32 - PAGE_ADDR_BITS);
/// Bytes in a Merkle leaf.
pub const LEAF_SIZE: usize = 32;
/// Bits of an address inside a leaf.
const LEAF_ADDR_BITS: u32 = 5;
/// Words in a leaf.
const LEAF_WORDS: usize = LEAF_SIZE / 4;
/// Depth of the memory tree: 2^27 leaves of 32 bytes span 2^32 bytes.
pub const TREE_DEPTH: usize = 27;
/// Height of a page's subtree: 2^7 leaves per page.
const PAGE_HEIGHT: usize = (PAGE_ADDR_BITS - LEAF_ADDR_BITS) as usize;
/// Size of a memory proof: the leaf, then the 27 siblings from the leaf's level up to the root.
pub const PROOF_SIZE: usize = (TREE_DEPTH + 1) * 32;
/// Pages to rehash before the work is split across threads.
const PARALLEL_HASH_THRESHOLD: usize = 256;

/// A memory proof: `leaf ‖ sibling_0 ‖ … ‖ sibling_26` (896 bytes).
pub type Proof = [u8; PROOF_SIZE];

/// The root of empty memory, `zero_hashes()[27]`.
pub const EMPTY_ROOT: [u8; 32] = [
    0x83, 0x8c, 0x56, 0x55, 0xcb, 0x21, 0xc6, 0xcb, 0x83, 0x31, 0x3b, 0x5a, 0x63, 0x11, 0x75, 0xdf,
    0xf4, 0x96, 0x37, 0x72, 0xcc, 0xe9, 0x10, 0x81, 0x88, 0xb3, 0x4a, 0xc8, 0x7c, 0x81, 0xc4, 0x1e,
];

/// `keccak256(left ‖ right)`, the inner node of the memory tree.
pub fn hash_pair(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Hashes of empty subtrees by height: `[0]` is the zero leaf, `[h] = H([h-1], [h-1])`.
pub fn zero_hashes() -> &'static [[u8; 32]; TREE_DEPTH + 1] {
    static ZERO: OnceLock<[[u8; 32]; TREE_DEPTH + 1]> = OnceLock::new();
    ZERO.get_or_init(|| {
        let mut z = [[0u8; 32]; TREE_DEPTH + 1];
        for h in 1..=TREE_DEPTH {
            z[h] = hash_pair(&z[h - 1], &z[h - 1]);
        }
        z
    })
}

/// The 32-byte node at `index` (0 = leaf, 1..=27 = siblings) of a proof.
fn proof_node(proof: &Proof, index: usize) -> [u8; 32] {
    let mut n = [0u8; 32];
    n.copy_from_slice(&proof[index * 32..index * 32 + 32]);
    n
}

/// The root obtained by hashing `leaf` up the siblings of `proof` for the leaf holding `addr`.
///
/// Bit `i` of `addr >> 5` says whether the node at level `i` is a right child.
pub fn root_with_leaf(addr: u32, proof: &Proof, leaf: &[u8; 32]) -> [u8; 32] {
    let path = addr >> LEAF_ADDR_BITS;
    let mut node = *leaf;
    for i in 0..TREE_DEPTH {
        let sibling = proof_node(proof, i + 1);
        node = if (path >> i) & 1 == 1 {
            hash_pair(&sibling, &node)
        } else {
            hash_pair(&node, &sibling)
        };
    }
    node
}

/// The root a proof commits to (its own leaf hashed up its siblings).
pub fn root_from_proof(addr: u32, proof: &Proof) -> [u8; 32] {
    root_with_leaf(addr, proof, &proof_node(proof, 0))
}

/// Whether `proof` proves the leaf holding `addr` against `root`.
pub fn verify_proof(root: &[u8; 32], addr: u32, proof: &Proof) -> bool {
    root_from_proof(addr, proof) == *root
}

/// The big-endian word at `addr` (rounded down to 4 bytes) inside the leaf of a proof.
pub fn proof_word(proof: &Proof, addr: u32) -> u32 {
    let at = (addr as usize) & (LEAF_SIZE - 4);
    u32::from_be_bytes([proof[at], proof[at + 1], proof[at + 2], proof[at + 3]])
}

/// The root after writing `word` at `addr` (rounded down to 4 bytes), using the siblings of a
/// proof for that address: a write reuses the same siblings with the new leaf.
pub fn root_with_word(addr: u32, proof: &Proof, word: u32) -> [u8; 32] {
    let mut leaf = proof_node(proof, 0);
    let at = (addr as usize) & (LEAF_SIZE - 4);
    leaf[at..at + 4].copy_from_slice(&word.to_be_bytes());
    root_with_leaf(addr, proof, &leaf)
}

/// One 4 KiB page, as 1024 words in native order (converted to big-endian when hashed).
#[derive(Clone)]
struct Page {
    words: [u32; PAGE_WORDS],
}

impl Page {
    fn zeroed() -> Arc<Page> {
        Arc::new(Page {
            words: [0; PAGE_WORDS],
        })
    }
}

/// Hash of the subtree of height `height` whose leaves are `words` (`8 << height` words).
/// Height 0 is the raw leaf; all-zero subtrees are answered from [`zero_hashes`].
fn subtree_hash(words: &[u32], height: usize) -> [u8; 32] {
    if height == 0 {
        let mut leaf = [0u8; 32];
        for (chunk, w) in leaf.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&w.to_be_bytes());
        }
        return leaf;
    }
    if words.iter().all(|w| *w == 0) {
        return zero_hashes()[height];
    }
    if height == 1 {
        let mut block = [0u8; 2 * LEAF_SIZE];
        for (chunk, w) in block.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&w.to_be_bytes());
        }
        return Keccak256::digest(block).into();
    }
    let (left, right) = words.split_at(words.len() / 2);
    hash_pair(
        &subtree_hash(left, height - 1),
        &subtree_hash(right, height - 1),
    )
}

/// Fibonacci hashing for the `u32` node keys of the cache.
#[derive(Default)]
struct NodeKeyHasher(u64);

impl Hasher for NodeKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Cached non-zero nodes at heights 7 (page roots) to 27 (the root), keyed by [`node_key`].
type NodeMap = HashMap<u32, [u8; 32], BuildHasherDefault<NodeKeyHasher>>;

/// Cache key of the node at `height` with `index` among the nodes of that height.
fn node_key(height: usize, index: u32) -> u32 {
    ((height as u32) << 21) | index
}

/// VM memory: a sparse 32-bit address space with a cached Merkle tree.
///
/// Reads of never-written memory return zero. Writes mark their page dirty; the next
/// [`Memory::merkle_root`] rehashes only dirty pages and their ancestors.
#[derive(Clone)]
pub struct Memory {
    /// Page table indexed by `addr >> 12`.
    pages: Box<[Option<Arc<Page>>]>,
    /// Indices of allocated pages, in allocation order.
    present: Vec<u32>,
    /// One bit per page: written since the last root.
    dirty_bits: Box<[u64]>,
    /// Indices of pages whose bit is set in `dirty_bits`.
    dirty: Vec<u32>,
    /// Cached non-zero nodes at heights 7..=27.
    nodes: NodeMap,
}

/// A cheap copy of memory taken with [`Memory::snapshot`]: pages are shared copy-on-write.
#[derive(Clone)]
pub struct MemorySnapshot {
    pages: Vec<(u32, Arc<Page>)>,
    nodes: NodeMap,
}

impl MemorySnapshot {
    /// Number of pages held.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }
}

impl Default for Memory {
    fn default() -> Self {
        Memory::new()
    }
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory")
            .field("pages", &self.present.len())
            .field("dirty_pages", &self.dirty.len())
            .finish()
    }
}

impl Memory {
    /// Empty memory (root [`EMPTY_ROOT`]).
    pub fn new() -> Self {
        Memory {
            pages: vec![None; NUM_PAGES].into_boxed_slice(),
            present: Vec::new(),
            dirty_bits: vec![0u64; NUM_PAGES / 64].into_boxed_slice(),
            dirty: Vec::new(),
            nodes: NodeMap::default(),
        }
    }

    /// Number of allocated 4 KiB pages.
    pub fn page_count(&self) -> usize {
        self.present.len()
    }

    /// The word at `addr & !3`.
    #[inline(always)]
    pub fn load_word(&self, addr: u32) -> u32 {
        let page = (addr >> PAGE_ADDR_BITS) as usize;
        let word = ((addr >> 2) as usize) & (PAGE_WORDS - 1);
        match &self.pages[page] {
            Some(p) => p.words[word],
            None => 0,
        }
    }

    /// Writes `value` at `addr & !3`.
    #[inline(always)]
    pub fn store_word(&mut self, addr: u32, value: u32) {
        let page = (addr >> PAGE_ADDR_BITS) as usize;
        let word = ((addr >> 2) as usize) & (PAGE_WORDS - 1);
        let bits = self.dirty_bits[page / 64];
        if bits & (1 << (page % 64)) != 0 {
            // Dirty pages are never shared with a snapshot (snapshots are taken clean).
            if let Some(p) = self.pages[page].as_mut().and_then(Arc::get_mut) {
                p.words[word] = value;
                return;
            }
        }
        self.store_word_slow(page, word, value);
    }

    #[cold]
    fn store_word_slow(&mut self, page: usize, word: usize, value: u32) {
        self.mark_dirty(page);
        let slot = &mut self.pages[page];
        if slot.is_none() {
            *slot = Some(Page::zeroed());
            self.present.push(page as u32);
        }
        if let Some(p) = slot.as_mut() {
            Arc::make_mut(p).words[word] = value;
        }
    }

    fn mark_dirty(&mut self, page: usize) {
        let bit = 1u64 << (page % 64);
        if self.dirty_bits[page / 64] & bit == 0 {
            self.dirty_bits[page / 64] |= bit;
            self.dirty.push(page as u32);
        }
    }

    /// The byte at `addr`.
    pub fn load_byte(&self, addr: u32) -> u8 {
        let shift = 24 - 8 * (addr & 3);
        (self.load_word(addr) >> shift) as u8
    }

    /// Writes one byte at `addr` (a read-modify-write of its word).
    pub fn store_byte(&mut self, addr: u32, value: u8) {
        let shift = 24 - 8 * (addr & 3);
        let old = self.load_word(addr);
        let new = (old & !(0xFF << shift)) | (u32::from(value) << shift);
        if new != old || self.pages[(addr >> PAGE_ADDR_BITS) as usize].is_none() {
            self.store_word(addr, new);
        }
    }

    /// Copies `len` bytes starting at `addr` (wrapping at 2^32) out of memory.
    pub fn read_bytes(&self, addr: u32, len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| self.load_byte(addr.wrapping_add(i as u32)))
            .collect()
    }

    /// Writes `data` starting at `addr` (wrapping at 2^32). Pages are allocated even for zero
    /// bytes, which does not change the root.
    pub fn write_bytes(&mut self, addr: u32, data: &[u8]) {
        let mut i = 0usize;
        while i < data.len() {
            let a = addr.wrapping_add(i as u32);
            if a & 3 == 0 && data.len() - i >= 4 {
                let w = u32::from_be_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
                self.store_word(a, w);
                i += 4;
            } else {
                self.store_byte(a, data[i]);
                i += 1;
            }
        }
    }

    /// Zeroes `len` bytes from `addr` (wrapping at 2^32); unallocated pages are already zero and
    /// are skipped.
    pub fn zero_range(&mut self, addr: u32, len: u32) {
        let mut done = 0u32;
        while done < len {
            let a = addr.wrapping_add(done);
            let in_page = (PAGE_SIZE as u32 - (a & (PAGE_SIZE as u32 - 1))).min(len - done);
            if self.pages[(a >> PAGE_ADDR_BITS) as usize].is_some() {
                for i in 0..in_page {
                    self.store_byte(a.wrapping_add(i), 0);
                }
            }
            done += in_page;
        }
    }

    /// The Merkle root of memory. Costs time proportional to the pages written since the last
    /// call (large batches of pages are hashed on several threads).
    pub fn merkle_root(&mut self) -> [u8; 32] {
        self.flush();
        self.node(TREE_DEPTH, 0)
    }

    /// The cached node at `height` (>= 7) and `index`, or the zero hash.
    fn node(&self, height: usize, index: u32) -> [u8; 32] {
        self.nodes
            .get(&node_key(height, index))
            .copied()
            .unwrap_or(zero_hashes()[height])
    }

    fn set_node(&mut self, height: usize, index: u32, value: [u8; 32]) {
        if value == zero_hashes()[height] {
            self.nodes.remove(&node_key(height, index));
        } else {
            self.nodes.insert(node_key(height, index), value);
        }
    }

    /// Brings the node cache up to date with the dirty pages.
    fn flush(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let mut dirty = std::mem::take(&mut self.dirty);
        for p in &dirty {
            self.dirty_bits[*p as usize / 64] = 0;
        }
        dirty.sort_unstable();
        let roots = self.page_roots(&dirty);
        for (p, root) in dirty.iter().zip(roots) {
            self.set_node(PAGE_HEIGHT, *p, root);
        }
        let mut level = dirty;
        for height in PAGE_HEIGHT + 1..=TREE_DEPTH {
            for i in level.iter_mut() {
                *i >>= 1;
            }
            level.dedup();
            for &i in &level {
                let left = self.node(height - 1, 2 * i);
                let right = self.node(height - 1, 2 * i + 1);
                self.set_node(height, i, hash_pair(&left, &right));
            }
        }
        level.clear();
        self.dirty = level; // keep the allocation
    }

    /// Roots of the given pages, hashed on several threads when there are many.
    fn page_roots(&self, pages: &[u32]) -> Vec<[u8; 32]> {
        let zero = [0u32; PAGE_WORDS];
        let words: Vec<&[u32]> = pages
            .iter()
            .map(|p| match &self.pages[*p as usize] {
                Some(pg) => &pg.words[..],
                None => &zero[..],
            })
            .collect();
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        if words.len() < PARALLEL_HASH_THRESHOLD || threads < 2 {
            return words.iter().map(|w| subtree_hash(w, PAGE_HEIGHT)).collect();
        }
        let chunk = words.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = words
                .chunks(chunk)
                .map(|c| {
                    s.spawn(move || {
                        c.iter()
                            .map(|w| subtree_hash(w, PAGE_HEIGHT))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| match h.join() {
                    Ok(v) => v,
                    // Hashing cannot panic; if a thread died anyway, propagate it.
                    Err(e) => std::panic::resume_unwind(e),
                })
                .collect()
        })
    }

    /// The proof for the leaf holding `addr` against the current root: the leaf, then the 27
    /// siblings from the leaf's level up to the root.
    pub fn proof(&mut self, addr: u32) -> Proof {
        self.flush();
        let mut out = [0u8; PROOF_SIZE];
        let page = addr >> PAGE_ADDR_BITS;
        let zero = [0u32; PAGE_WORDS];
        let words: &[u32] = match &self.pages[page as usize] {
            Some(p) => &p.words[..],
            None => &zero[..],
        };
        let leaf_in_page = ((addr >> LEAF_ADDR_BITS) as usize) & ((1 << PAGE_HEIGHT) - 1);
        let leaf_words = &words[leaf_in_page * LEAF_WORDS..(leaf_in_page + 1) * LEAF_WORDS];
        out[..32].copy_from_slice(&subtree_hash(leaf_words, 0));
        for h in 0..PAGE_HEIGHT {
            let sibling = (leaf_in_page >> h) ^ 1;
            let span = LEAF_WORDS << h;
            let node = subtree_hash(&words[sibling * span..(sibling + 1) * span], h);
            out[(h + 1) * 32..(h + 2) * 32].copy_from_slice(&node);
        }
        for h in PAGE_HEIGHT..TREE_DEPTH {
            let sibling = (addr >> (LEAF_ADDR_BITS as usize + h)) ^ 1;
            out[(h + 1) * 32..(h + 2) * 32].copy_from_slice(&self.node(h, sibling));
        }
        out
    }

    /// Takes a snapshot after bringing the tree up to date; pages are shared copy-on-write, so
    /// this costs O(allocated pages) without copying page data.
    pub fn snapshot(&mut self) -> MemorySnapshot {
        self.flush();
        let pages = self
            .present
            .iter()
            .filter_map(|p| self.pages[*p as usize].clone().map(|pg| (*p, pg)))
            .collect();
        MemorySnapshot {
            pages,
            nodes: self.nodes.clone(),
        }
    }

    /// Replaces the contents with a snapshot (O(allocated pages), no hashing).
    pub fn restore(&mut self, snapshot: &MemorySnapshot) {
        for p in self.present.drain(..) {
            self.pages[p as usize] = None;
        }
        for p in self.dirty.drain(..) {
            self.dirty_bits[p as usize / 64] = 0;
        }
        for (p, page) in &snapshot.pages {
            self.pages[*p as usize] = Some(Arc::clone(page));
            self.present.push(*p);
        }
        self.nodes = snapshot.nodes.clone();
    }

    /// Memory rebuilt from a snapshot.
    pub fn from_snapshot(snapshot: &MemorySnapshot) -> Self {
        let mut m = Memory::new();
        m.restore(snapshot);
        m
    }

    /// Allocated page indices (`addr >> 12`), in allocation order.
    pub fn pages(&self) -> &[u32] {
        &self.present
    }
}
