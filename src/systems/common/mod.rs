//! The common system: verifiers and quantifiers every predicate library uses — signatures
//! (`signed_by`, `signed_value`, `threshold_signed`), pre-images, Merkle inclusion
//! (`merkle_included`, `included_value`, `members`), comparisons (`eq`, `lt`) and integer
//! ranges (`below`, `range`). Their knowledge is the core's shared local information.

use crate::logic::Registry;
use std::sync::Arc;

pub(crate) mod quantifiers;
pub(crate) mod verifiers;

pub use quantifiers::MAX_ENUMERATED;
pub use verifiers::merkle_included::{decode_merkle_witness, encode_merkle_witness};
pub use verifiers::threshold_signed::{
    decode_threshold_witness, encode_threshold_witness, THRESHOLD_ENTRY_SIZE,
};

/// The common system.
pub(crate) struct Common;

impl super::System for Common {
    fn name(&self) -> &'static str {
        "common"
    }
    fn install(&self, r: &mut Registry) {
        use quantifiers::*;
        use verifiers::*;
        r.add_verifier(Arc::new(signed_by::SignedBy));
        r.add_verifier(Arc::new(threshold_signed::ThresholdSigned));
        r.add_verifier(Arc::new(preimage::Preimage));
        r.add_verifier(Arc::new(merkle_included::MerkleIncluded));
        r.add_verifier(Arc::new(eq::Eq));
        r.add_verifier(Arc::new(lt::Lt));
        r.add_verifier(Arc::new(signed_value::SignedValue));
        r.add_verifier(Arc::new(included_value::IncludedValue));
        r.add_quantifier(Arc::new(below::Below));
        r.add_quantifier(Arc::new(range::Range));
        r.add_quantifier(Arc::new(members::Members));
    }
}
