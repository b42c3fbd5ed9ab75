//! The claim language: text → AST → checked, desugared claims.
//!
//! Knows nothing of chains or VMs. The grammar is `grammar/ogs.ebnf`.

pub mod ast;
pub mod check;
mod descent;
pub mod diag;
pub mod parser;
pub mod printer;
mod show;

pub use check::{check_files, check_source, CheckFailed, Program};
pub use diag::{Diagnostic, SourceMap};
