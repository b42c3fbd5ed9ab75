//! `later_transfers`, mirroring `contracts/src/quantifiers/LaterTransfers.sol`.

use crate::systems::plasma::{plasma_transfer_type, transfer_arg, PlasmaKnowledge, Transfer};

use crate::systems::prelude::*;

/// `later_transfers(transfer: PlasmaTransfer)`: transfers of the same coin by its owner in a later block.
pub(crate) struct LaterTransfers;
impl Quantifier for LaterTransfers {
    fn name(&self) -> &'static str {
        "later_transfers"
    }
    fn contract(&self) -> &'static str {
        "LaterTransfers"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("transfer", ParamType::Is(plasma_transfer_type()))]
    }
    fn element_type(&self) -> Type {
        plasma_transfer_type()
    }
    fn doc(&self) -> &'static str {
        "plasma transfers s with s.chain = t.chain, s.coin = t.coin, s.sender = t.owner and s.block > t.block (no proof)"
    }
    fn quantify(&self, args: &[Vec<u8>], s: &[u8], _: &[u8]) -> bool {
        match (transfer_arg(args, 0), Transfer::decode(s)) {
            (Some(t), Some(s)) => {
                s.chain == t.chain && s.coin == t.coin && s.sender == t.owner && s.block > t.block
            }
            _ => false,
        }
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let Some(t) = transfer_arg(args, 0) else {
            return malformed();
        };
        let Some(pc) = info.plasma_chain(&t.chain) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some(format!("the transfers of plasma chain {:#x}", t.chain)),
            };
        };
        let mut found: Vec<&Transfer> = pc
            .transfers()
            .map(|k| &k.transfer)
            .filter(|s| {
                s.chain == t.chain && s.coin == t.coin && s.sender == t.owner && s.block > t.block
            })
            .collect();
        found.sort();
        found.dedup();
        Domain {
            instances: found
                .into_iter()
                .map(|s| Instance {
                    value: s.encode(),
                    proof: Vec::new(),
                })
                .collect(),
            incomplete: (!pc.complete).then(|| {
                format!(
                    "every transfer of coin {} signed by {:#x} on plasma chain {:#x} (mark the chain \"complete\": true in local information once every signed transfer is listed)",
                    t.coin, t.owner, t.chain
                )
            }),
        }
    }
}
