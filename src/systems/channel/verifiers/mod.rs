//! The channel system's verifiers.

pub(crate) mod all_signed;
