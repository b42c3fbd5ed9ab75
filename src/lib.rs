//! # ogs — Optimistic Game Semantics
//!
//! Every layer-2 dispute is a contradiction between claims. This crate holds
//! the claim language ([`lang`]), the claims, registry and off-chain evaluator
//! ([`logic`]) and the command-line front end ([`cli`]). See `ARCHITECTURE.md`
//! for the map and the invariants.
#![warn(missing_docs)]

pub mod cli;
pub mod lang;
pub mod logic;
