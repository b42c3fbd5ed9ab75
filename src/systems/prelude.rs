//! What every verifier and quantifier file uses (`use crate::systems::prelude::*;`).

pub(crate) use super::args::{addr_arg, b32_arg, malformed, uint_arg};
pub(crate) use crate::logic::crypto::{merkle_proof, merkle_verify, recover};
pub(crate) use crate::logic::registry::{
    input_gas, Descent, Domain, Instance, Order, ParamType, Quantifier, Search, Verifier,
    SIGNATURE_GAS,
};
pub(crate) use crate::logic::value::{decode_list, encode_list, Type, Value};
pub(crate) use crate::logic::LocalInfo;
pub(crate) use alloy_primitives::{Address, B256, U256};
