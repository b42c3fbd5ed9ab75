//! The plasma system's verifiers.

pub(crate) mod plasma_included;
