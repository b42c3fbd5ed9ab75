//! The rollup system's verifiers.

pub(crate) mod mips_step;
pub(crate) mod rollup_context;
pub(crate) mod vm_valid;
