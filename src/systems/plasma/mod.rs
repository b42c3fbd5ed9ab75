//! The plasma system (`predicates/plasma.ogs`): the `PlasmaTransfer` struct, the
//! `plasma_included` verifier, the `later_transfers` and `earlier_transfers` quantifiers, and
//! the plasma chains a party watches. Its section of the local-information file:
//!
//! ```json
//! "plasma_chains": [{
//!   "chain": "0x…PlasmaChain contract", "complete": true,
//!   "blocks": [{ "transfers": [{ "coin": 1, "sender": "0x…", "owner": "0x…", "signature": "0x…" }] }],
//!   "signed": [{ "coin": 1, "block": 9, "sender": "0x…", "owner": "0x…", "signature": "0x…" }]
//! }]
//! ```
//!
//! Plasma chains you watch (`predicates/plasma.ogs`), by the
//! address of their `PlasmaChain` contract. `blocks` are the committed blocks
//! from block 1 on, in order, without gaps (deposit blocks included: a deposit
//! block holds the one deposit transfer, `sender` zero), each with **all** its
//! transfers in tree order — the operator publishes them — so a block's root
//! and the chain commitment after every listed block are computed from this
//! list (a prefix of the chain is enough for exits up to its last block). A
//! transfer's `chain` is the chain's address unless it says otherwise (an
//! operator may include anything), and its `block` is the block it is listed
//! in. `signature` is the sender's signature (`null` or absent where not held;
//! a deposit has none). `signed` lists transfers signed but not (known to be)
//! in a block, each with its signature. Every signature is checked on load and
//! also counts as a known signature for `signed_value`. `complete: true` says
//! every transfer of this chain that was ever signed appears here (in a block
//! or in `signed`), which is what lets the evaluator answer True for "no later
//! transfer of the coin was signed by its owner".

use crate::logic::crypto::{
    merkle_leaf, merkle_node, merkle_proof, merkle_root, merkle_verify, recover,
};
use crate::logic::local::{uint_from_json, InfoSection, LocalInfoError, Section};
use crate::logic::value::{decode_list, encode_list, StructType, Type, Value};
use crate::logic::{LocalInfo, Registry};
use crate::systems::common::{decode_merkle_witness, encode_merkle_witness};
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub mod payout;
pub(crate) mod quantifiers;
pub(crate) mod verifiers;

/// The plasma system.
pub struct Plasma;

impl super::System for Plasma {
    fn name(&self) -> &'static str {
        "plasma"
    }
    fn install(&self, r: &mut Registry) {
        r.add_struct(plasma_transfer_type());
        r.add_verifier(Arc::new(verifiers::plasma_included::PlasmaIncluded));
        r.add_quantifier(Arc::new(quantifiers::later_transfers::LaterTransfers));
        r.add_quantifier(Arc::new(quantifiers::earlier_transfers::EarlierTransfers));
        r.add_info_section(Arc::new(PlasmaChainsSection));
    }
}

/// The built-in struct of a plasma transfer (`predicates/plasma.ogs`):
/// `struct PlasmaTransfer { chain: address, coin: uint256, block: uint256, sender: address, owner: address }`.
pub fn plasma_transfer_type() -> Type {
    static T: OnceLock<Arc<StructType>> = OnceLock::new();
    Type::Struct(
        T.get_or_init(|| {
            Arc::new(StructType {
                name: "PlasmaTransfer".into(),
                fields: vec![
                    ("chain".into(), Type::Address),
                    ("coin".into(), Type::Uint256),
                    ("block".into(), Type::Uint256),
                    ("sender".into(), Type::Address),
                    ("owner".into(), Type::Address),
                ],
            })
        })
        .clone(),
    )
}

pub(crate) fn transfer_arg(args: &[Vec<u8>], i: usize) -> Option<Transfer> {
    args.get(i).and_then(|a| Transfer::decode(a))
}

/// Decodes a `plasma_included` witness: `abi.encode(bytes[]{root, headerWitness, transferWitness})`.
pub(crate) fn decode_plasma_proof(w: &[u8]) -> Option<(B256, Vec<u8>, Vec<u8>)> {
    let parts = decode_list(w).ok()?;
    let [root, header, transfer] = <[Vec<u8>; 3]>::try_from(parts).ok()?;
    let root = B256::try_from(root.as_slice()).ok()?;
    Some((root, header, transfer))
}

/// Whether `w` proves the transfer encoded as `t` included in block `t.block`
/// of the chain committed by `chain`.
pub(crate) fn plasma_verify(chain: B256, t: &[u8], w: &[u8]) -> bool {
    let (Some(tr), Some((root, hw, tw))) = (Transfer::decode(t), decode_plasma_proof(w)) else {
        return false;
    };
    let (Some((hi, hs)), Some((ti, ts))) = (decode_merkle_witness(&hw), decode_merkle_witness(&tw))
    else {
        return false;
    };
    merkle_verify(chain, plasma_header_leaf(tr.block, root), hi, &hs)
        && merkle_verify(root, alloy_primitives::keccak256(t), ti, &ts)
}

/// The chain a commitment belongs to, or why the evaluator cannot tell.
pub(crate) fn commitment(chain: B256, info: &LocalInfo) -> Result<(&PlasmaChain, usize), String> {
    info.plasma_commitment(&chain).ok_or_else(|| {
        format!("the blocks of the plasma chain whose commitment is {chain:#x} (list them in plasma_chains)")
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBlockTransfer {
    #[serde(default)]
    chain: Option<Address>,
    #[serde(deserialize_with = "uint_from_json")]
    coin: U256,
    sender: Address,
    owner: Address,
    #[serde(default)]
    signature: Option<Bytes>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBlock {
    #[serde(default)]
    transfers: Vec<FileBlockTransfer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSignedTransfer {
    #[serde(default)]
    chain: Option<Address>,
    #[serde(deserialize_with = "uint_from_json")]
    coin: U256,
    #[serde(deserialize_with = "uint_from_json")]
    block: U256,
    sender: Address,
    owner: Address,
    signature: Bytes,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePlasmaChain {
    chain: Address,
    #[serde(default)]
    blocks: Vec<FileBlock>,
    #[serde(default)]
    signed: Vec<FileSignedTransfer>,
    #[serde(default)]
    complete: bool,
}

/// The plasma system's slice of local information.
#[derive(Clone, Debug, Default)]
pub struct PlasmaFacts {
    chains: HashMap<Address, PlasmaChain>,
    /// Chain commitment → (chain address, number of blocks it commits to).
    roots: HashMap<B256, (Address, usize)>,
}

/// The plasma knowledge in [`LocalInfo`].
pub trait PlasmaKnowledge {
    /// Records what is known about a plasma chain (replacing an earlier entry
    /// for the same address). Its signatures count as known signatures, and its
    /// blocks as known Merkle sets. Build the chain with [`PlasmaChain::new`],
    /// which checks every signature.
    fn add_plasma_chain(&mut self, chain: PlasmaChain);
    /// What is known about the plasma chain of this contract address.
    fn plasma_chain(&self, address: &Address) -> Option<&PlasmaChain>;
    /// The plasma chain whose commitment after some block is `root`, and that
    /// block's number (the commitment covers blocks `1..=n`).
    fn plasma_commitment(&self, root: &B256) -> Option<(&PlasmaChain, usize)>;
}

impl PlasmaKnowledge for LocalInfo {
    fn add_plasma_chain(&mut self, chain: PlasmaChain) {
        for t in chain.transfers() {
            if let Some(sig) = &t.signature {
                // `PlasmaChain::new` checked it recovers to the sender.
                self.add_checked_signature(t.transfer.digest(), t.transfer.sender, sig.clone());
            }
        }
        for block in &chain.blocks {
            let leaves = block.iter().map(|t| t.transfer.digest()).collect();
            self.add_merkle_set(leaves, true);
        }
        let facts = self.facts_mut::<PlasmaFacts>();
        for (n, root) in chain.chain_roots.iter().enumerate() {
            facts.roots.insert(*root, (chain.address, n + 1));
        }
        facts.chains.insert(chain.address, chain);
    }

    fn plasma_chain(&self, address: &Address) -> Option<&PlasmaChain> {
        self.facts::<PlasmaFacts>()?.chains.get(address)
    }

    fn plasma_commitment(&self, root: &B256) -> Option<(&PlasmaChain, usize)> {
        let facts = self.facts::<PlasmaFacts>()?;
        let (address, n) = facts.roots.get(root)?;
        let chain = facts.chains.get(address)?;
        // A chain replaced by a shorter one leaves stale entries behind: check.
        (chain.chain_root(*n) == Some(*root)).then_some((chain, *n))
    }
}

/// The `plasma_chains` section of the local-information file.
struct PlasmaChainsSection;

impl InfoSection for PlasmaChainsSection {
    fn key(&self) -> &'static str {
        "plasma_chains"
    }
    fn load(&self, section: &Section<'_>, info: &mut LocalInfo) -> Result<(), LocalInfoError> {
        let chains: Vec<FilePlasmaChain> = section.parse()?;
        for (c, pc) in chains.into_iter().enumerate() {
            let place = format!("plasma_chains[{c}]");
            if info.plasma_chain(&pc.chain).is_some() {
                return Err(LocalInfoError::Invalid {
                    place,
                    message: format!("plasma chain {:#x} is listed twice", pc.chain),
                });
            }
            let blocks = pc
                .blocks
                .iter()
                .enumerate()
                .map(|(b, blk)| {
                    blk.transfers
                        .iter()
                        .map(|t| KnownTransfer {
                            transfer: Transfer {
                                chain: t.chain.unwrap_or(pc.chain),
                                coin: t.coin,
                                block: U256::from(b + 1),
                                sender: t.sender,
                                owner: t.owner,
                            },
                            signature: t.signature.as_ref().map(|s| s.to_vec()),
                        })
                        .collect()
                })
                .collect();
            let signed = pc
                .signed
                .iter()
                .map(|t| KnownTransfer {
                    transfer: Transfer {
                        chain: t.chain.unwrap_or(pc.chain),
                        coin: t.coin,
                        block: t.block,
                        sender: t.sender,
                        owner: t.owner,
                    },
                    signature: Some(t.signature.to_vec()),
                })
                .collect();
            let chain = PlasmaChain::new(pc.chain, blocks, signed, pc.complete).map_err(
                |(at, message)| LocalInfoError::BadSignature {
                    place: format!("{place}.{at}"),
                    message,
                },
            )?;
            info.add_plasma_chain(chain);
        }
        Ok(())
    }
}

/// The fields of a `PlasmaTransfer` value (`predicates/plasma.ogs`): in block
/// `block` of the plasma chain `chain`, coin `coin` passes from `sender` (zero
/// for the deposit) to `owner`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Transfer {
    /// The `PlasmaChain` contract (so a signature is never valid on another chain).
    pub chain: Address,
    /// Coin id: the number of the coin's deposit block.
    pub coin: U256,
    /// The block the transfer is included in.
    pub block: U256,
    /// The previous owner, who signs the transfer; zero for a deposit.
    pub sender: Address,
    /// The new owner.
    pub owner: Address,
}

impl Transfer {
    /// The transfer as a `PlasmaTransfer` value.
    pub fn value(&self) -> Value {
        Value::List(vec![
            Value::Address(self.chain),
            Value::Uint(self.coin),
            Value::Uint(self.block),
            Value::Address(self.sender),
            Value::Address(self.owner),
        ])
    }

    /// Its canonical encoding.
    pub fn encode(&self) -> Vec<u8> {
        self.value().encode()
    }

    /// `keccak256` of the canonical encoding: what the sender signs (EIP-191) and
    /// the leaf of the transfer in its block's Merkle tree.
    pub fn digest(&self) -> B256 {
        keccak256(self.encode())
    }

    /// The fields of a `PlasmaTransfer` value.
    pub fn from_value(v: &Value) -> Option<Transfer> {
        let Value::List(fields) = v else { return None };
        match fields.as_slice() {
            [Value::Address(chain), Value::Uint(coin), Value::Uint(block), Value::Address(sender), Value::Address(owner)] => {
                Some(Transfer {
                    chain: *chain,
                    coin: *coin,
                    block: *block,
                    sender: *sender,
                    owner: *owner,
                })
            }
            _ => None,
        }
    }

    /// Strictly decodes a canonical `PlasmaTransfer` encoding.
    pub fn decode(bytes: &[u8]) -> Option<Transfer> {
        Value::decode(&plasma_transfer_type(), bytes)
            .ok()
            .as_ref()
            .and_then(Transfer::from_value)
    }
}

/// Signs a plasma transfer as its sender does (EIP-191 over [`Transfer::digest`]).
pub fn sign_transfer(key: &k256::ecdsa::SigningKey, t: &Transfer) -> [u8; 65] {
    crate::logic::crypto::sign(key, t.digest())
}

/// The root of a plasma block: the Merkle root of its transfers' digests, in order.
pub fn plasma_block_root(transfers: &[Transfer]) -> B256 {
    merkle_root(&transfers.iter().map(Transfer::digest).collect::<Vec<_>>())
}

/// The leaf of block `number` with root `root` in the chain commitment:
/// `keccak256` of the canonical encoding of the tuple `(number, root)`, i.e.
/// `keccak256(abi.encode(bytes[]{abi.encode(number), root}))`.
pub fn plasma_header_leaf(number: U256, root: B256) -> B256 {
    keccak256(encode_list(vec![
        number.to_be_bytes::<32>().to_vec(),
        root.to_vec(),
    ]))
}

/// The witness of `plasma_included` (and the proof of an `earlier_transfers`
/// instance): `abi.encode(bytes[]{blockRoot, headerWitness, transferWitness})`,
/// the two Merkle witnesses as for `merkle_included`.
pub fn encode_plasma_proof(block_root: B256, header: &[u8], transfer: &[u8]) -> Vec<u8> {
    encode_list(vec![
        block_root.to_vec(),
        header.to_vec(),
        transfer.to_vec(),
    ])
}

/// A plasma transfer known locally, with the sender's signature if held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownTransfer {
    /// The transfer.
    pub transfer: Transfer,
    /// The sender's signature, if held.
    pub signature: Option<Vec<u8>>,
}

/// The Merkle root after each append, computed incrementally (the same tree as
/// [`merkle_root`]: odd levels padded with a zero node, so an empty subtree is zero).
#[derive(Default)]
struct Frontier {
    branch: Vec<B256>,
    count: u64,
}

impl Frontier {
    fn push(&mut self, leaf: B256) -> B256 {
        self.count += 1;
        let mut node = merkle_leaf(leaf);
        let mut size = self.count;
        let mut level = 0;
        while size & 1 == 0 {
            node = merkle_node(self.branch[level], node);
            size >>= 1;
            level += 1;
        }
        if level == self.branch.len() {
            self.branch.push(node);
        } else {
            self.branch[level] = node;
        }
        self.root()
    }

    fn root(&self) -> B256 {
        let n = self.count;
        if n == 0 {
            return B256::ZERO;
        }
        if n.is_power_of_two() {
            return self.branch[n.trailing_zeros() as usize];
        }
        let depth = 64 - (n - 1).leading_zeros() as usize;
        let mut node: Option<B256> = None;
        for level in 0..depth {
            node = if (n >> level) & 1 == 1 {
                Some(merkle_node(self.branch[level], node.unwrap_or(B256::ZERO)))
            } else {
                node.map(|x| merkle_node(x, B256::ZERO))
            };
        }
        node.unwrap_or(B256::ZERO)
    }
}

/// Everything known about one plasma chain.
#[derive(Clone, Debug)]
pub struct PlasmaChain {
    /// The `PlasmaChain` contract.
    pub address: Address,
    blocks: Vec<Vec<KnownTransfer>>,
    signed: Vec<KnownTransfer>,
    /// Whether every transfer of this chain that was ever signed is listed.
    pub complete: bool,
    roots: Vec<B256>,
    headers: Vec<B256>,
    chain_roots: Vec<B256>,
}

impl PlasmaChain {
    /// Builds the chain and its commitments. Checks that block transfers name
    /// their block, and that every held
    /// signature recovers to the transfer's sender; on failure returns where
    /// (e.g. `blocks[2].transfers[0]`) and what is wrong.
    pub fn new(
        address: Address,
        blocks: Vec<Vec<KnownTransfer>>,
        signed: Vec<KnownTransfer>,
        complete: bool,
    ) -> Result<PlasmaChain, (String, String)> {
        let check = |place: String, t: &KnownTransfer, block: Option<usize>| {
            if let Some(b) = block {
                if t.transfer.block != U256::from(b + 1) {
                    return Err((
                        place,
                        format!(
                            "listed in block {} but names block {}",
                            b + 1,
                            t.transfer.block
                        ),
                    ));
                }
            }
            if let Some(sig) = &t.signature {
                match recover(t.transfer.digest(), sig) {
                    Ok(a) if a == t.transfer.sender => {}
                    Ok(a) => {
                        return Err((
                            format!("{place}.signature"),
                            format!(
                                "signature recovers to {a:#x}, not to the sender {:#x}",
                                t.transfer.sender
                            ),
                        ))
                    }
                    Err(e) => return Err((format!("{place}.signature"), e.to_string())),
                }
            }
            Ok(())
        };
        for (b, block) in blocks.iter().enumerate() {
            for (i, t) in block.iter().enumerate() {
                check(format!("blocks[{b}].transfers[{i}]"), t, Some(b))?;
            }
        }
        for (i, t) in signed.iter().enumerate() {
            check(format!("signed[{i}]"), t, None)?;
            if t.signature.is_none() {
                return Err((
                    format!("signed[{i}]"),
                    "a signed transfer needs its signature".into(),
                ));
            }
        }
        let mut roots = Vec::with_capacity(blocks.len());
        let mut headers = Vec::with_capacity(blocks.len());
        let mut chain_roots = Vec::with_capacity(blocks.len());
        let mut frontier = Frontier::default();
        for (b, block) in blocks.iter().enumerate() {
            let ts: Vec<Transfer> = block.iter().map(|t| t.transfer.clone()).collect();
            let root = plasma_block_root(&ts);
            let header = plasma_header_leaf(U256::from(b + 1), root);
            roots.push(root);
            headers.push(header);
            chain_roots.push(frontier.push(header));
        }
        Ok(PlasmaChain {
            address,
            blocks,
            signed,
            complete,
            roots,
            headers,
            chain_roots,
        })
    }

    /// All committed blocks: `blocks()[i]` is block `i + 1`, its transfers in tree order.
    pub fn blocks(&self) -> &[Vec<KnownTransfer>] {
        &self.blocks
    }

    /// Transfers signed but not (known to be) included in a block.
    pub fn signed(&self) -> &[KnownTransfer] {
        &self.signed
    }

    /// The root of block `number` (numbered from 1), if listed.
    pub fn block_root(&self, number: usize) -> Option<B256> {
        number
            .checked_sub(1)
            .and_then(|i| self.roots.get(i).copied())
    }

    /// The chain commitment after block `n`: the Merkle root of the header
    /// leaves ([`plasma_header_leaf`]) of blocks `1..=n`, as `PlasmaChain`
    /// stores it on-chain.
    pub fn chain_root(&self, n: usize) -> Option<B256> {
        n.checked_sub(1)
            .and_then(|i| self.chain_roots.get(i).copied())
    }

    /// Every known transfer: the blocks' in order, then the signed ones.
    pub fn transfers(&self) -> impl Iterator<Item = &KnownTransfer> {
        self.blocks.iter().flatten().chain(&self.signed)
    }

    /// The `plasma_included` witness of `t` under the commitment after block
    /// `n`, if `t` is in block `t.block ≤ n`.
    pub fn inclusion_proof(&self, n: usize, t: &Transfer) -> Option<Vec<u8>> {
        let b = usize::try_from(t.block).ok()?;
        if b == 0 || b > n || n > self.blocks.len() {
            return None;
        }
        let block = &self.blocks[b - 1];
        let pos = block.iter().position(|k| k.transfer == *t)?;
        let leaves: Vec<B256> = block.iter().map(|k| k.transfer.digest()).collect();
        let tx = merkle_proof(&leaves, pos)?;
        let hdr = merkle_proof(&self.headers[..n], b - 1)?;
        Some(encode_plasma_proof(
            self.roots[b - 1],
            &encode_merkle_witness((b - 1) as u64, &hdr),
            &encode_merkle_witness(pos as u64, &tx),
        ))
    }
}
