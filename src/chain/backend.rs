//! What a chain is to ogs: a [`Backend`] that sends transactions, answers calls and deploys
//! contracts, and — only on development chains — a [`DevBackend`] that can set balances and
//! move time. Everything that acts on chain (the dispute contract, payout contracts, the MIPS
//! step and its oracle) takes a backend: the embedded EVM ([`super::Chain`]) and a JSON-RPC node
//! ([`super::rpc::RpcChain`]).

use super::evm::{ChainError, Receipt};
use alloy_primitives::{Address, Bytes, U256};

/// A chain ogs can act on.
pub trait Backend {
    /// The chain id.
    fn chain_id(&self) -> u64;
    /// Sends a transaction from `from` to `to` with `value` wei and calldata `data`. A revert is
    /// a receipt with `success == false`; an error means the transaction was not executed.
    fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Bytes,
    ) -> Result<Receipt, ChainError>;
    /// Executes a call without committing it (`eth_call`).
    fn call(&mut self, from: Address, to: Address, data: Bytes) -> Result<Receipt, ChainError>;
    /// Deploys `code` (creation code with constructor arguments) from `from`.
    fn deploy(
        &mut self,
        from: Address,
        code: Bytes,
        value: U256,
    ) -> Result<(Address, Receipt), ChainError>;
    /// The timestamp of the latest block.
    fn timestamp(&mut self) -> Result<u64, ChainError>;
    /// The number of the latest block.
    fn block_number(&mut self) -> Result<u64, ChainError>;
    /// The balance of an account.
    fn balance(&mut self, addr: Address) -> Result<U256, ChainError>;
    /// The runtime code at an address (empty for an account without code).
    fn code(&mut self, addr: Address) -> Result<Bytes, ChainError>;
}

/// Powers only a development chain has: tests and simulations use them to fund parties and
/// to let dispute windows pass.
pub trait DevBackend: Backend {
    /// Sets an account's balance.
    fn set_balance(&mut self, addr: Address, wei: U256);
    /// Mines `blocks` empty blocks spread over `seconds`.
    fn advance(&mut self, blocks: u64, seconds: u64);
}

impl Backend for super::Chain {
    fn chain_id(&self) -> u64 {
        super::evm::CHAIN_ID
    }
    fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Bytes,
    ) -> Result<Receipt, ChainError> {
        super::Chain::send(self, from, to, value, data)
    }
    fn call(&mut self, from: Address, to: Address, data: Bytes) -> Result<Receipt, ChainError> {
        super::Chain::call(self, from, to, data)
    }
    fn deploy(
        &mut self,
        from: Address,
        code: Bytes,
        value: U256,
    ) -> Result<(Address, Receipt), ChainError> {
        super::Chain::deploy(self, from, code, value)
    }
    fn timestamp(&mut self) -> Result<u64, ChainError> {
        Ok(super::Chain::timestamp(self))
    }
    fn block_number(&mut self) -> Result<u64, ChainError> {
        Ok(super::Chain::block_number(self))
    }
    fn balance(&mut self, addr: Address) -> Result<U256, ChainError> {
        Ok(super::Chain::balance(self, addr))
    }
    fn code(&mut self, addr: Address) -> Result<Bytes, ChainError> {
        Ok(super::Chain::code(self, addr))
    }
}

impl DevBackend for super::Chain {
    fn set_balance(&mut self, addr: Address, wei: U256) {
        super::Chain::set_balance(self, addr, wei)
    }
    fn advance(&mut self, blocks: u64, seconds: u64) {
        super::Chain::advance(self, blocks, seconds)
    }
}
