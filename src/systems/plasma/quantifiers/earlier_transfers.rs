//! `earlier_transfers`, mirroring `contracts/src/quantifiers/EarlierTransfers.sol`.

use crate::systems::plasma::{
    commitment, plasma_transfer_type, plasma_verify, transfer_arg, Transfer,
};

use crate::systems::prelude::*;

/// `earlier_transfers(transfer: PlasmaTransfer, chain: bytes32)`: the included transfers of the
/// coin before `transfer`, from its deposit block to `transfer.block`.
///
/// Two transfers of a coin in one block are ordered by the keccak256 of their encodings, so
/// exactly one of them has no same-block earlier transfer: a double spend in one block leaves one
/// recipient able to exit instead of locking the coin for both.
pub(crate) struct EarlierTransfers;
impl Quantifier for EarlierTransfers {
    fn name(&self) -> &'static str {
        "earlier_transfers"
    }
    fn contract(&self) -> &'static str {
        "EarlierTransfers"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("transfer", ParamType::Is(plasma_transfer_type())),
            ("chain", ParamType::Is(Type::Bytes32)),
        ]
    }
    fn element_type(&self) -> Type {
        plasma_transfer_type()
    }
    fn doc(&self) -> &'static str {
        "plasma transfers e with e.chain = t.chain, e.coin = t.coin, t.coin ≤ e.block ≤ t.block (in t's own block: keccak256(e) < keccak256(t)), included under `chain` (proof: the plasma_included witness)"
    }
    fn quantify(&self, args: &[Vec<u8>], e: &[u8], proof: &[u8]) -> bool {
        let (Some(t), Some(c), Some(te)) =
            (transfer_arg(args, 0), b32_arg(args, 1), Transfer::decode(e))
        else {
            return false;
        };
        te.chain == t.chain
            && te.coin == t.coin
            && t.coin <= te.block
            && te.block <= t.block
            && before_in_block(&te, &t)
            && plasma_verify(c, e, proof)
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let (Some(t), Some(c)) = (transfer_arg(args, 0), b32_arg(args, 1)) else {
            return malformed();
        };
        let (pc, n) = match commitment(c, info) {
            Ok(x) => x,
            Err(m) => {
                return Domain {
                    instances: Vec::new(),
                    incomplete: Some(m),
                }
            }
        };
        // Only blocks 1..=n are under the commitment; the rest cannot be proven included.
        let hi = usize::try_from(t.block).unwrap_or(usize::MAX).min(n);
        let lo = usize::try_from(t.coin).unwrap_or(usize::MAX).max(1);
        let mut instances: Vec<Instance> = Vec::new();
        if lo <= hi {
            for block in pc.blocks().get(lo - 1..hi).unwrap_or(&[]) {
                for k in block {
                    let e = &k.transfer;
                    if e.chain != t.chain || e.coin != t.coin || !before_in_block(e, &t) {
                        continue;
                    }
                    let value = e.encode();
                    if instances.iter().any(|i| i.value == value) {
                        continue;
                    }
                    if let Some(proof) = pc.inclusion_proof(n, e) {
                        instances.push(Instance { value, proof });
                    }
                }
            }
        }
        Domain {
            instances,
            incomplete: None,
        }
    }
}

/// Whether `e` comes before `t` by block, and in `t`'s own block by encoding hash (so `e != t`).
fn before_in_block(e: &Transfer, t: &Transfer) -> bool {
    e.block < t.block || (e.block == t.block && e.digest() < t.digest())
}
