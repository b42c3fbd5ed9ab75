//! The channel system's quantifiers.

pub(crate) mod higher_nonce;
