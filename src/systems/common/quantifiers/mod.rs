//! The common quantifiers.

use crate::systems::prelude::*;

pub(crate) mod below;
pub(crate) mod members;
pub(crate) mod range;

/// Largest integer domain the evaluator enumerates.
pub const MAX_ENUMERATED: u64 = 1 << 16;

pub(crate) fn int_domain(lo: U256, hi: U256) -> Domain {
    if hi <= lo {
        return Domain {
            instances: Vec::new(),
            incomplete: None,
        };
    }
    let n = hi - lo;
    if n > U256::from(MAX_ENUMERATED) {
        return Domain {
            instances: Vec::new(),
            incomplete: Some(format!(
                "the domain has {n} elements, more than the {MAX_ENUMERATED} the evaluator enumerates"
            )),
        };
    }
    let n = n.to::<u64>();
    Domain {
        instances: (0..n)
            .map(|k| Instance {
                value: Value::Uint(lo + U256::from(k)).encode(),
                proof: Vec::new(),
            })
            .collect(),
        incomplete: None,
    }
}
