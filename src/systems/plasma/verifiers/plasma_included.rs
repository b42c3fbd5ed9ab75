//! `plasma_included`, mirroring `contracts/src/verifiers/PlasmaIncluded.sol`.

use crate::systems::plasma::{commitment, plasma_transfer_type, plasma_verify, transfer_arg};

use crate::systems::prelude::*;

/// `plasma_included(chain: bytes32, transfer: PlasmaTransfer)`.
pub(crate) struct PlasmaIncluded;
impl Verifier for PlasmaIncluded {
    fn name(&self) -> &'static str {
        "plasma_included"
    }
    fn contract(&self) -> &'static str {
        "PlasmaIncluded"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![
            ("chain", ParamType::Is(Type::Bytes32)),
            ("transfer", ParamType::Is(plasma_transfer_type())),
        ]
    }
    fn doc(&self) -> &'static str {
        "`transfer` is included in block `transfer.block` of the plasma chain committed by `chain` (the Merkle root of the blocks' (number, root) headers)"
    }
    fn witness_doc(&self) -> &'static str {
        "abi.encode(bytes[]{blockRoot, headerWitness, transferWitness}), both Merkle witnesses as for merkle_included"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        match (b32_arg(args, 0), args.get(1)) {
            (Some(c), Some(t)) => plasma_verify(c, t, w),
            _ => false,
        }
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let (Some(c), Some(t)) = (b32_arg(args, 0), transfer_arg(args, 1)) else {
            return Search::Absent("malformed arguments".into());
        };
        let (pc, n) = match commitment(c, info) {
            Ok(x) => x,
            Err(m) => return Search::Missing(m),
        };
        match pc.inclusion_proof(n, &t) {
            Some(w) => Search::Found(w),
            // Blocks are listed with all their transfers: absent from the list is absent.
            None => Search::Absent(format!(
                "the transfer of coin {} is not in block {} of chain {:#x} (committed blocks: 1..={n})",
                t.coin, t.block, pc.address
            )),
        }
    }
}
