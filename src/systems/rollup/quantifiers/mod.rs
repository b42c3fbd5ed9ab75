//! The rollup system's quantifiers.

pub(crate) mod k_split;
pub(crate) mod segments;
pub(crate) mod split;
