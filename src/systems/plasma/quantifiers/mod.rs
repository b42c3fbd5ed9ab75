//! The plasma system's quantifiers.

pub(crate) mod earlier_transfers;
pub(crate) mod later_transfers;
