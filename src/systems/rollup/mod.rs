//! The rollup system (`predicates/rollup.ogs`): its verifiers and quantifier, the MIPS runs a
//! party recorded ([`trace`]), and the rollup whose outputs are claimed: its state format, its state-transition rule (the
//! reference the MIPS guest `tests/guests/src/rollup.c` is tested against), and the host side
//! that builds the guest's inputs.
//!
//! # Format
//! - Account, 44 bytes: `address[20] ‖ nonce u64 ‖ balance u64 ‖ withdrawn u64` (big-endian).
//! - State: `"OGSR" ‖ count u32 ‖ count × account`, at most [`MAX_ACCOUNTS`] accounts. The
//!   **output root** is `keccak256(state bytes)`.
//! - Transfer, 56 bytes: `from[20] ‖ to[20] ‖ amount u64 ‖ nonce u64`.
//! - Batch: `"OGSB" ‖ count u32 ‖ count × transfer`, at most [`MAX_TRANSFERS`]; the **batch
//!   hash** is `keccak256(batch bytes)`. A malformed batch is applied as an empty one.
//!
//! # Transition
//! Transfers apply in order; one is *rejected* (skipped) if `from` is not an account, its
//! nonce is not `from`'s, the amount is 0 or above `from`'s balance, or `from == to`. A
//! transfer to the zero address is a **withdrawal**: it moves the amount from `balance` to
//! `withdrawn` (which only grows; the bridge pays `withdrawn` out on L1). Otherwise `to` is
//! looked up, appended as a new account if absent (rejected if the state is full), and
//! rejected if its balance would overflow. `balance + withdrawn` summed over all accounts is
//! conserved.
//!
//! # Guest inputs
//! Pre-image oracle local keys: 1 = previous output root, 2 = batch hash, 3 = claimed output
//! root (32 bytes each); the state and the batch are keccak pre-images of their hashes. The
//! guest exits 0 if the claimed output root is the right one, 1 if not. On-chain the local
//! inputs are localized with the context [`RollupInputs::context`]
//! (`keccak256(abi.encode(prev, batch, claimed))`).

use crate::chain::dispute::{Deploy, Deployed};
use crate::chain::Backend;
use crate::fpvm::{keccak256, MemoryOracle};
use crate::lang::Program;
use crate::logic::{Claim, LocalInfo, Registry};
use crate::systems::Prepared;
use alloy_primitives::B256;
use std::fmt;
use std::sync::Arc;

pub mod bridge;
pub mod onchain;
pub mod program;
pub(crate) mod quantifiers;
mod trace;
pub(crate) mod verifiers;

pub use trace::{LocalInputs, TraceFacts, TraceKnowledge, VmTrace, MIPS_WITNESS_SIZE};
pub use verifiers::mips_step::mips_step_hashes;

/// The rollup system: `mips_step`, `split`, `ksplit`, `segments`, `vm_valid`, `rollup_context`.
pub struct Rollup;

impl super::System for Rollup {
    fn name(&self) -> &'static str {
        "rollup"
    }
    fn install(&self, r: &mut Registry) {
        r.add_verifier(Arc::new(verifiers::mips_step::MipsStep));
        r.add_quantifier(Arc::new(quantifiers::split::Split));
        r.add_quantifier(Arc::new(quantifiers::k_split::KSplit));
        r.add_quantifier(Arc::new(quantifiers::segments::Segments));
        r.add_verifier(Arc::new(verifiers::vm_valid::VmValid));
        r.add_verifier(Arc::new(verifiers::rollup_context::RollupContext));
    }
    fn support_contracts(&self) -> Vec<Deploy> {
        onchain::support_contracts()
    }
    fn constructor_args(&self, contract: &str) -> Vec<&'static str> {
        match contract {
            "MipsStep" => vec!["MIPS"],
            _ => Vec::new(),
        }
    }
    fn deployed_after_dispute(&self) -> bool {
        true
    }
    /// Before a `mips_step` witness is used on chain: loads the pre-image part the step reads
    /// (if it reads one and the oracle does not hold it yet) from the party's recorded run —
    /// the pre-images of a rollup dispute are loaded on demand, only for the one step executed.
    fn before_witness(
        &self,
        chain: &mut dyn Backend,
        contracts: &Deployed,
        from: alloy_primitives::Address,
        claim: &Claim,
        registry: &Registry,
        info: &LocalInfo,
    ) -> Option<Prepared> {
        let Claim::Witness { verifier, args } = claim else {
            return None;
        };
        if registry.name_of(verifier) != Some(verifiers::mips_step::NAME) || args.len() != 3 {
            return None;
        }
        let word = |i: usize| {
            args[i]
                .as_lit()
                .filter(|v| v.len() == 32)
                .map(B256::from_slice)
        };
        let (ctx, pre) = (word(0)?, word(1)?);
        let (trace, _) = info.vm_trace_of(&ctx, &pre)?;
        let read = trace.preimage_read_from(&pre)?;
        let inputs = trace.inputs();
        let r = onchain::ensure_step_preimage(chain, contracts, from, &read, inputs.as_ref());
        let kind = match crate::fpvm::KeyType::of(&read.key) {
            Some(crate::fpvm::KeyType::Local) => "local input",
            Some(crate::fpvm::KeyType::Keccak256) => "keccak256 pre-image",
            _ => "pre-image",
        };
        let what = format!(
            "load {kind} 0x{}… part at offset {} ({} bytes)",
            &hex::encode(read.key)[..8],
            read.offset,
            read.value.len()
        );
        let result = match r {
            Ok(None) => return None,
            Ok(Some(gas)) => Ok(gas),
            Err(e) => Err(e),
        };
        Some(Prepared { what, result })
    }
}

/// The [`TraceFacts`] for a program's `trace` definition (`predicates/rollup.ogs`), if it has
/// one with that definition's parameters: what lets a party decide trace claims from its
/// recorded runs without unfolding them.
pub fn trace_facts(program: &Program) -> Option<TraceFacts> {
    let zero = format!("{:#066x}", 0);
    let c = program
        .compile_claim(&format!("trace({zero}, {zero}, {zero}, 1, 2)"))
        .ok()?;
    match c {
        Claim::Call { group, index, .. } => Some(TraceFacts { group, index }),
        _ => None,
    }
}

/// Most accounts a state holds.
pub const MAX_ACCOUNTS: usize = 4096;
/// Most transfers a batch holds.
pub const MAX_TRANSFERS: usize = 4096;
/// Encoded account size.
pub const ACCOUNT_SIZE: usize = 44;
/// Encoded transfer size.
pub const TRANSFER_SIZE: usize = 56;
/// State magic.
pub const STATE_MAGIC: &[u8; 4] = b"OGSR";
/// Batch magic.
pub const BATCH_MAGIC: &[u8; 4] = b"OGSB";
/// The oracle's local input indices.
pub mod local {
    /// The previous output root.
    pub const PREV_ROOT: u64 = 1;
    /// The batch hash.
    pub const BATCH_HASH: u64 = 2;
    /// The claimed output root.
    pub const CLAIMED_ROOT: u64 = 3;
}

/// A 20-byte L2 address (the same as its L1 address).
pub type Address = [u8; 20];

/// One L2 account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Account {
    /// Address.
    pub address: Address,
    /// Transfers sent so far.
    pub nonce: u64,
    /// Spendable balance (wei).
    pub balance: u64,
    /// Total withdrawn to L1 so far (wei).
    pub withdrawn: u64,
}

/// One transfer (to the zero address: a withdrawal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transfer {
    /// Sender.
    pub from: Address,
    /// Receiver, or the zero address for a withdrawal.
    pub to: Address,
    /// Amount (wei).
    pub amount: u64,
    /// The sender's nonce.
    pub nonce: u64,
}

/// Why a state or batch does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Wrong magic bytes.
    #[error("bad magic: expected {expected:?}")]
    Magic {
        /// The magic expected.
        expected: &'static str,
    },
    /// More records than allowed.
    #[error("{count} records exceed the maximum {max}")]
    TooMany {
        /// Records announced.
        count: usize,
        /// The maximum.
        max: usize,
    },
    /// Length does not match the record count.
    #[error("length {len} does not match {count} records of {size} bytes plus the 8-byte header")]
    Length {
        /// Bytes given.
        len: usize,
        /// Records announced.
        count: usize,
        /// Record size.
        size: usize,
    },
}

fn decode_records<'a>(
    bytes: &'a [u8],
    magic: &'static [u8; 4],
    size: usize,
    max: usize,
) -> Result<Vec<&'a [u8]>, FormatError> {
    let expected = std::str::from_utf8(magic).unwrap_or("?");
    if bytes.len() < 8 || &bytes[..4] != magic {
        return Err(FormatError::Magic { expected });
    }
    let count = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    if count > max {
        return Err(FormatError::TooMany { count, max });
    }
    if bytes.len() != 8 + size * count {
        return Err(FormatError::Length {
            len: bytes.len(),
            count,
            size,
        });
    }
    Ok(bytes[8..].chunks_exact(size).collect())
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_be_bytes(w)
}

fn addr_at(b: &[u8], at: usize) -> Address {
    let mut a = [0u8; 20];
    a.copy_from_slice(&b[at..at + 20]);
    a
}

/// An L2 state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Accounts, in order.
    pub accounts: Vec<Account>,
}

/// What applying a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Transfers applied.
    pub applied: usize,
    /// Transfers rejected.
    pub rejected: usize,
}

impl State {
    /// The canonical encoding (the output root's pre-image).
    pub fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(8 + ACCOUNT_SIZE * self.accounts.len());
        v.extend_from_slice(STATE_MAGIC);
        v.extend_from_slice(&(self.accounts.len() as u32).to_be_bytes());
        for a in &self.accounts {
            v.extend_from_slice(&a.address);
            v.extend_from_slice(&a.nonce.to_be_bytes());
            v.extend_from_slice(&a.balance.to_be_bytes());
            v.extend_from_slice(&a.withdrawn.to_be_bytes());
        }
        v
    }

    /// Decodes a state.
    pub fn decode(bytes: &[u8]) -> Result<State, FormatError> {
        let accounts = decode_records(bytes, STATE_MAGIC, ACCOUNT_SIZE, MAX_ACCOUNTS)?
            .into_iter()
            .map(|r| Account {
                address: addr_at(r, 0),
                nonce: u64_at(r, 20),
                balance: u64_at(r, 28),
                withdrawn: u64_at(r, 36),
            })
            .collect();
        Ok(State { accounts })
    }

    /// `keccak256(encode())`.
    pub fn root(&self) -> [u8; 32] {
        keccak256(&self.encode())
    }

    /// The account with `address`.
    pub fn account(&self, address: &Address) -> Option<&Account> {
        self.accounts.iter().find(|a| a.address == *address)
    }

    /// Sum of balances and withdrawn amounts (conserved by [`State::apply`]).
    pub fn total(&self) -> u128 {
        self.accounts
            .iter()
            .map(|a| u128::from(a.balance) + u128::from(a.withdrawn))
            .sum()
    }

    /// Applies one transfer; `false` if it is rejected (nothing changes).
    pub fn apply_transfer(&mut self, t: &Transfer) -> bool {
        let Some(from) = self.accounts.iter().position(|a| a.address == t.from) else {
            return false;
        };
        let f = self.accounts[from];
        if t.nonce != f.nonce || t.amount == 0 || t.amount > f.balance || t.from == t.to {
            return false;
        }
        if t.to == [0u8; 20] {
            let f = &mut self.accounts[from];
            f.balance -= t.amount;
            // Wrapping, like the guest's 64-bit arithmetic (unreachable from a sane genesis).
            f.withdrawn = f.withdrawn.wrapping_add(t.amount);
            f.nonce = f.nonce.wrapping_add(1);
            return true;
        }
        let to = match self.accounts.iter().position(|a| a.address == t.to) {
            Some(i) => {
                if self.accounts[i].balance.checked_add(t.amount).is_none() {
                    return false;
                }
                i
            }
            None if self.accounts.len() >= MAX_ACCOUNTS => return false,
            None => {
                self.accounts.push(Account {
                    address: t.to,
                    nonce: 0,
                    balance: 0,
                    withdrawn: 0,
                });
                self.accounts.len() - 1
            }
        };
        self.accounts[from].balance -= t.amount;
        self.accounts[from].nonce = self.accounts[from].nonce.wrapping_add(1);
        self.accounts[to].balance += t.amount;
        true
    }

    /// Applies a batch (in order); the counts of applied and rejected transfers.
    pub fn apply(&mut self, batch: &Batch) -> Applied {
        let mut r = Applied::default();
        for t in &batch.transfers {
            if self.apply_transfer(t) {
                r.applied += 1;
            } else {
                r.rejected += 1;
            }
        }
        r
    }

    /// The state after the batch whose bytes are `batch` (a malformed batch changes nothing).
    pub fn apply_bytes(&mut self, batch: &[u8]) -> Applied {
        match Batch::decode(batch) {
            Ok(b) => self.apply(&b),
            Err(_) => Applied::default(),
        }
    }
}

/// A batch of transfers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Transfers, in order.
    pub transfers: Vec<Transfer>,
}

impl Batch {
    /// The canonical encoding (the batch hash's pre-image).
    pub fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(8 + TRANSFER_SIZE * self.transfers.len());
        v.extend_from_slice(BATCH_MAGIC);
        v.extend_from_slice(&(self.transfers.len() as u32).to_be_bytes());
        for t in &self.transfers {
            v.extend_from_slice(&t.from);
            v.extend_from_slice(&t.to);
            v.extend_from_slice(&t.amount.to_be_bytes());
            v.extend_from_slice(&t.nonce.to_be_bytes());
        }
        v
    }

    /// Decodes a batch.
    pub fn decode(bytes: &[u8]) -> Result<Batch, FormatError> {
        let transfers = decode_records(bytes, BATCH_MAGIC, TRANSFER_SIZE, MAX_TRANSFERS)?
            .into_iter()
            .map(|r| Transfer {
                from: addr_at(r, 0),
                to: addr_at(r, 20),
                amount: u64_at(r, 40),
                nonce: u64_at(r, 48),
            })
            .collect();
        Ok(Batch { transfers })
    }

    /// `keccak256(encode())`.
    pub fn hash(&self) -> [u8; 32] {
        keccak256(&self.encode())
    }
}

/// Everything the guest reads for one output: the previous state, the batch, the claimed root.
#[derive(Clone, PartialEq, Eq)]
pub struct RollupInputs {
    /// The previous state's bytes (pre-image of `prev_root`).
    pub state: Vec<u8>,
    /// The batch's bytes (pre-image of `batch_hash`).
    pub batch: Vec<u8>,
    /// The claimed output root.
    pub claimed: [u8; 32],
}

impl fmt::Debug for RollupInputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RollupInputs")
            .field("prev_root", &hex::encode(self.prev_root()))
            .field("batch_hash", &hex::encode(self.batch_hash()))
            .field("claimed", &hex::encode(self.claimed))
            .field("state_bytes", &self.state.len())
            .field("batch_bytes", &self.batch.len())
            .finish()
    }
}

impl RollupInputs {
    /// Inputs claiming `claimed` as the output of `batch` over `state`.
    pub fn new(state: &State, batch: &Batch, claimed: [u8; 32]) -> Self {
        RollupInputs {
            state: state.encode(),
            batch: batch.encode(),
            claimed,
        }
    }

    /// Inputs claiming the right output.
    pub fn honest(state: &State, batch: &Batch) -> Self {
        let mut next = state.clone();
        next.apply(batch);
        Self::new(state, batch, next.root())
    }

    /// The previous output root.
    pub fn prev_root(&self) -> [u8; 32] {
        keccak256(&self.state)
    }

    /// The batch hash.
    pub fn batch_hash(&self) -> [u8; 32] {
        keccak256(&self.batch)
    }

    /// The right output: the state after the batch (the reference transition), if the previous
    /// state decodes.
    pub fn expected(&self) -> Result<(State, Applied), FormatError> {
        let mut s = State::decode(&self.state)?;
        let applied = s.apply_bytes(&self.batch);
        Ok((s, applied))
    }

    /// Whether the claimed output root is the right one (the guest's exit code 0).
    pub fn claim_is_right(&self) -> bool {
        self.expected()
            .is_ok_and(|(s, _)| keccak256(&s.encode()) == self.claimed)
    }

    /// The three local inputs (previous root, batch hash, claimed root).
    pub fn local_inputs(&self) -> LocalInputs {
        LocalInputs {
            prev: B256::from(self.prev_root()),
            batch: B256::from(self.batch_hash()),
            claimed: B256::from(self.claimed),
        }
    }

    /// The on-chain local context: `keccak256(abi.encode(prev, batch, claimed))`.
    pub fn context(&self) -> [u8; 32] {
        self.local_inputs().context().0
    }

    /// The pre-image oracle the guest runs with: the three local inputs and the two keccak
    /// pre-images.
    pub fn oracle(&self) -> MemoryOracle {
        let mut o = MemoryOracle::new();
        o.insert_local(local::PREV_ROOT, self.prev_root().to_vec());
        o.insert_local(local::BATCH_HASH, self.batch_hash().to_vec());
        o.insert_local(local::CLAIMED_ROOT, self.claimed.to_vec());
        o.insert_keccak(self.state.clone());
        o.insert_keccak(self.batch.clone());
        o
    }
}

/// A deterministic generator of states and batches (splitmix64), for examples, tests and
/// benchmarks.
#[derive(Clone, Debug)]
pub struct Gen(u64);

impl Gen {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Gen(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A random non-zero address.
    pub fn address(&mut self) -> Address {
        let mut a = [0u8; 20];
        for chunk in a.chunks_mut(8) {
            let w = self.next_u64().to_be_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        a[0] |= 1;
        a
    }

    /// A genesis state of `n` accounts with balances in `1..=max_balance`.
    pub fn genesis(&mut self, n: usize, max_balance: u64) -> State {
        let accounts = (0..n.min(MAX_ACCOUNTS))
            .map(|_| Account {
                address: self.address(),
                nonce: 0,
                balance: 1 + self.below(max_balance.max(1)),
                withdrawn: 0,
            })
            .collect();
        State { accounts }
    }

    /// A batch of `n` transfers over `state`'s accounts: mostly valid (tracking nonces and
    /// balances as they go), some to new accounts, some withdrawals, and about one in
    /// `1 / invalid` deliberately invalid (wrong nonce, too much, unknown sender, self-transfer).
    pub fn batch(&mut self, state: &State, n: usize, invalid: f64) -> Batch {
        let mut s = state.clone();
        let mut transfers = Vec::with_capacity(n);
        for _ in 0..n.min(MAX_TRANSFERS) {
            if s.accounts.is_empty() {
                break;
            }
            let f = s.accounts[self.below(s.accounts.len() as u64) as usize];
            let roll = self.below(1000) as f64 / 1000.0;
            let to = match self.below(10) {
                0 => [0u8; 20],
                1 => self.address(),
                _ => s.accounts[self.below(s.accounts.len() as u64) as usize].address,
            };
            let mut t = Transfer {
                from: f.address,
                to,
                amount: 1 + self.below(f.balance.max(1)),
                nonce: f.nonce,
            };
            if roll < invalid {
                match self.below(4) {
                    0 => t.nonce += 1 + self.below(3),
                    1 => t.amount = f.balance + 1 + self.below(100),
                    2 => t.from = self.address(),
                    _ => t.to = t.from,
                }
            }
            s.apply_transfer(&t);
            transfers.push(t);
        }
        Batch { transfers }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_roundtrip_and_reject_malformed() {
        let mut g = Gen::new(7);
        let s = g.genesis(5, 1000);
        let b = g.batch(&s, 20, 0.3);
        assert_eq!(State::decode(&s.encode()).unwrap(), s);
        assert_eq!(Batch::decode(&b.encode()).unwrap(), b);
        let mut bad = s.encode();
        bad.pop();
        assert!(matches!(
            State::decode(&bad),
            Err(FormatError::Length { .. })
        ));
        bad = b.encode();
        bad[0] = b'X';
        assert!(matches!(
            Batch::decode(&bad),
            Err(FormatError::Magic { .. })
        ));
    }

    #[test]
    fn transition_conserves_value_and_counts() {
        let mut g = Gen::new(11);
        for _ in 0..50 {
            let n = 1 + g.below(8) as usize;
            let s = g.genesis(n, 10_000);
            let b = g.batch(&s, 40, 0.25);
            let mut t = s.clone();
            let r = t.apply(&b);
            assert_eq!(r.applied + r.rejected, b.transfers.len());
            assert_eq!(t.total(), s.total());
            for a in &s.accounts {
                let after = t.account(&a.address).unwrap();
                assert!(after.withdrawn >= a.withdrawn && after.nonce >= a.nonce);
            }
        }
    }

    #[test]
    fn each_rejection_rule() {
        let a = [1u8; 20];
        let b = [2u8; 20];
        let s = State {
            accounts: vec![Account {
                address: a,
                nonce: 3,
                balance: 10,
                withdrawn: 0,
            }],
        };
        let t = |from, to, amount, nonce| Transfer {
            from,
            to,
            amount,
            nonce,
        };
        for bad in [
            t(b, a, 1, 0),  // unknown sender
            t(a, b, 1, 2),  // wrong nonce
            t(a, b, 0, 3),  // zero amount
            t(a, b, 11, 3), // too much
            t(a, a, 1, 3),  // to self
        ] {
            let mut x = s.clone();
            assert!(!x.apply_transfer(&bad), "{bad:?}");
            assert_eq!(x, s);
        }
        let mut x = s.clone();
        assert!(x.apply_transfer(&t(a, [0; 20], 4, 3)));
        assert_eq!((x.accounts[0].balance, x.accounts[0].withdrawn), (6, 4));
        assert!(x.apply_transfer(&t(a, b, 6, 4)));
        assert_eq!(x.accounts.len(), 2);
        assert_eq!(x.accounts[1].balance, 6);
        let inputs = RollupInputs::honest(&s, &Batch { transfers: vec![] });
        assert!(inputs.claim_is_right());
        assert_eq!(inputs.claimed, inputs.prev_root());
    }
}
