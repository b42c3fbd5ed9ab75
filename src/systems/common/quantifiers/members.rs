//! `members`, mirroring `contracts/src/quantifiers/Members.sol`.

use crate::systems::common::verifiers::merkle_included::{encode_merkle_witness, MerkleIncluded};

use crate::systems::prelude::*;

/// `members(root: bytes32)`: the leaves of the Merkle set with that root.
pub(crate) struct Members;
impl Quantifier for Members {
    fn name(&self) -> &'static str {
        "members"
    }
    fn contract(&self) -> &'static str {
        "Members"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("root", ParamType::Is(Type::Bytes32))]
    }
    fn element_type(&self) -> Type {
        Type::Bytes32
    }
    fn doc(&self) -> &'static str {
        "the leaves of the committed Merkle set `root` (an instance comes with its inclusion proof)"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], proof: &[u8]) -> bool {
        MerkleIncluded.verify(
            &[args.first().cloned().unwrap_or_default(), t.to_vec()],
            proof,
        )
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let Some(root) = b32_arg(args, 0) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some("malformed arguments".into()),
            };
        };
        let Some(set) = info.merkle_set(&root) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some(format!("the leaves of the Merkle set with root {root:#x}")),
            };
        };
        let instances = set
            .leaves
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                merkle_proof(&set.leaves, i).map(|p| Instance {
                    value: l.to_vec(),
                    proof: encode_merkle_witness(i as u64, &p),
                })
            })
            .collect();
        Domain {
            instances,
            incomplete: (!set.complete)
                .then(|| format!("the complete leaf list of the Merkle set {root:#x}")),
        }
    }
    fn descent(&self) -> Option<Descent> {
        // The root is a keccak256 tree over keccak256(t): t is committed to by the root.
        Some(Descent {
            arg: 0,
            parts: &[&[]],
            order: Order::Commitment,
        })
    }
}
