//! The rollup system's quantifiers.

pub(crate) mod split;
