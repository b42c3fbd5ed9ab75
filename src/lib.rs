//! # ogs — Optimistic Game Semantics
//!
//! Every layer-2 dispute is a contradiction between claims. This crate holds
//! the claim language ([`lang`]), the claims, registry and off-chain evaluator
//! ([`logic`]), the MIPS fault-proof VM ([`fpvm`], which depends on nothing
//! else in the crate) and the command-line front end ([`cli`]). See `ARCHITECTURE.md`
//! for the map and the invariants.
#![warn(missing_docs)]
#![deny(unreachable_pub)]

pub mod chain;
pub mod cli;
pub mod dispute;
pub mod fpvm;
pub mod lang;
pub mod logic;
pub mod systems;
