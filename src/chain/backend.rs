//! What a chain is to ogs: a [`Backend`] that sends transactions, answers calls and deploys
//! contracts, and — only on development chains — a [`DevBackend`] that can set balances and
//! move time. Everything that acts on chain (the dispute contract, payout contracts, the MIPS
//! step and its oracle) takes a backend: the embedded EVM ([`super::Chain`]) and a JSON-RPC node
//! ([`super::rpc::RpcChain`]).

use super::evm::{ChainError, Receipt};
use alloy_primitives::{Address, Bytes, LogData, B256, U256};

/// A log a contract emitted, with where it came from: what a watcher rebuilds the disputes
/// from (the dispute contract's events name claims by id; the calldata of the transaction
/// that emitted them holds the claims themselves).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Emitted {
    /// The block it is in.
    pub block: u64,
    /// The transaction that emitted it.
    pub tx: B256,
    /// The log's topics and data.
    pub data: LogData,
    /// The calldata of that transaction (its initcode for a deployment).
    pub input: Bytes,
}

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
    /// The logs `address` emitted in blocks `from..=to`, in chain order.
    fn logs(&mut self, address: Address, from: u64, to: u64) -> Result<Vec<Emitted>, ChainError>;
}

/// One chain several parties act on at once (e.g. two watchers on the embedded EVM): each
/// holds a clone of the handle.
impl<B: Backend> Backend for std::rc::Rc<std::cell::RefCell<B>> {
    fn chain_id(&self) -> u64 {
        self.borrow().chain_id()
    }
    fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Bytes,
    ) -> Result<Receipt, ChainError> {
        self.borrow_mut().send(from, to, value, data)
    }
    fn call(&mut self, from: Address, to: Address, data: Bytes) -> Result<Receipt, ChainError> {
        self.borrow_mut().call(from, to, data)
    }
    fn deploy(
        &mut self,
        from: Address,
        code: Bytes,
        value: U256,
    ) -> Result<(Address, Receipt), ChainError> {
        self.borrow_mut().deploy(from, code, value)
    }
    fn timestamp(&mut self) -> Result<u64, ChainError> {
        self.borrow_mut().timestamp()
    }
    fn block_number(&mut self) -> Result<u64, ChainError> {
        self.borrow_mut().block_number()
    }
    fn balance(&mut self, addr: Address) -> Result<U256, ChainError> {
        self.borrow_mut().balance(addr)
    }
    fn code(&mut self, addr: Address) -> Result<Bytes, ChainError> {
        self.borrow_mut().code(addr)
    }
    fn logs(&mut self, address: Address, from: u64, to: u64) -> Result<Vec<Emitted>, ChainError> {
        self.borrow_mut().logs(address, from, to)
    }
}

impl<B: DevBackend> DevBackend for std::rc::Rc<std::cell::RefCell<B>> {
    fn set_balance(&mut self, addr: Address, wei: U256) {
        self.borrow_mut().set_balance(addr, wei)
    }
    fn advance(&mut self, blocks: u64, seconds: u64) {
        self.borrow_mut().advance(blocks, seconds)
    }
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
    fn logs(&mut self, address: Address, from: u64, to: u64) -> Result<Vec<Emitted>, ChainError> {
        Ok(super::Chain::logs(self, address, from, to))
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
