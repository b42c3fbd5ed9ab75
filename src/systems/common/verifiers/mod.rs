//! The common verifiers.

pub(crate) mod eq;
pub(crate) mod included_value;
pub(crate) mod lt;
pub(crate) mod merkle_included;
pub(crate) mod preimage;
pub(crate) mod signed_by;
pub(crate) mod signed_value;
pub(crate) mod threshold_signed;
