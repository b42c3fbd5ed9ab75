//! An in-process EVM (revm) with accounts, a controllable block clock,
//! per-call gas, logs and revert data.
//!
//! The EVM runs the fork the contracts are compiled for ([`SPEC`], `cancun`,
//! the same `evmVersion` the Solidity build sets). The base fee is zero and the
//! gas price is zero unless set ([`Chain::set_gas_price`]): at zero, balances
//! change only by the value transferred, so bond accounting can be checked to
//! the wei; at a non-zero price every transaction's sender also pays
//! `gas_used × price` (to the block's beneficiary, the zero address), which is
//! how the simulator counts fees. Calls (`eth_call`) are free. Reported gas is
//! the transaction's gas as a user pays it (intrinsic 21,000 + calldata +
//! execution − refunds).

use alloy_primitives::{Address, Bytes, Log, U256};
use revm::context::result::{ExecutionResult, Output};
use revm::context::{BlockEnv, CfgEnv, Context, TxEnv};
use revm::database::{CacheDB, EmptyDB};
use revm::primitives::hardfork::SpecId;
use revm::primitives::TxKind;
use revm::state::AccountInfo;
use revm::{ExecuteCommitEvm, ExecuteEvm, MainBuilder, MainContext};
use thiserror::Error;

/// The EVM fork: must equal the `evmVersion` of `contracts/build.js`.
pub const SPEC: SpecId = SpecId::CANCUN;

/// Chain id of the in-process chain.
pub const CHAIN_ID: u64 = 31337;

/// Gas limit of every transaction.
pub const TX_GAS_LIMIT: u64 = 30_000_000;

type Db = CacheDB<EmptyDB>;
type Evm = revm::MainnetEvm<Context<BlockEnv, TxEnv, CfgEnv, Db>>;

/// Errors of the EVM itself (not reverts: those are [`Receipt`]s with `success == false`).
#[derive(Debug, Error)]
pub enum ChainError {
    /// The transaction was invalid (e.g. the sender cannot pay the value).
    #[error("transaction rejected by the EVM: {0}")]
    Invalid(String),
    /// A deployment did not produce a contract.
    #[error("deployment failed: {0}")]
    Deploy(String),
    /// A signing key that cannot be read (the key itself is never shown).
    #[error("{0}")]
    Key(String),
    /// The JSON-RPC node failed or refused a request (after retries).
    #[error("JSON-RPC {what}: {why}")]
    Rpc {
        /// What was being done.
        what: String,
        /// The node's or the transport's answer.
        why: String,
    },
}

/// What one transaction did.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// Whether it succeeded (no revert, no halt).
    pub success: bool,
    /// Gas used, as the sender pays it.
    pub gas_used: u64,
    /// Return data, or revert data when it reverted.
    pub output: Bytes,
    /// Logs emitted (none when it reverted).
    pub logs: Vec<Log>,
    /// The address of a created contract.
    pub created: Option<Address>,
    /// Why it halted, for halts that are not reverts (out of gas, invalid opcode, …).
    pub halt: Option<String>,
}

/// An in-process chain.
pub struct Chain {
    evm: Evm,
    /// Wei per gas that senders of transactions pay.
    gas_price: u128,
    /// Every log emitted so far, by emitter (what `eth_getLogs` answers on a node).
    emitted: Vec<(Address, super::backend::Emitted)>,
    /// Transactions executed so far (their ids are hashes of this counter).
    txs: u64,
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain {
    /// A fresh chain at block 1, timestamp 1,700,000,000.
    pub fn new() -> Self {
        let mut cfg = CfgEnv::new_with_spec(SPEC);
        cfg.chain_id = CHAIN_ID;
        cfg.disable_nonce_check = true;
        cfg.limit_contract_code_size = Some(usize::MAX);
        let evm = Context::mainnet()
            .with_db(CacheDB::new(EmptyDB::default()))
            .with_cfg(cfg)
            .modify_block_chained(|b: &mut BlockEnv| {
                b.number = U256::from(1);
                b.timestamp = U256::from(1_700_000_000u64);
                b.gas_limit = 60_000_000;
                b.basefee = 0;
            })
            .build_mainnet();
        Chain {
            evm,
            gas_price: 0,
            emitted: Vec::new(),
            txs: 0,
        }
    }

    fn db(&mut self) -> &mut Db {
        &mut self.evm.ctx.journaled_state.database
    }

    /// Sets an account's balance.
    pub fn set_balance(&mut self, addr: Address, wei: U256) {
        let info = self.account(addr);
        self.db().insert_account_info(
            addr,
            AccountInfo {
                balance: wei,
                ..info
            },
        );
    }

    fn account(&mut self, addr: Address) -> AccountInfo {
        self.db()
            .load_account(addr)
            .map(|a| a.info.clone())
            .unwrap_or_default()
    }

    /// An account's balance.
    pub fn balance(&mut self, addr: Address) -> U256 {
        self.account(addr).balance
    }

    /// The runtime code at an address (empty for an account without code).
    pub fn code(&mut self, addr: Address) -> Bytes {
        self.account(addr)
            .code
            .map(|c| c.original_bytes())
            .unwrap_or_default()
    }

    /// The current block timestamp.
    pub fn timestamp(&self) -> u64 {
        self.evm.ctx.block.timestamp.saturating_to()
    }

    /// The current block number.
    pub fn block_number(&self) -> u64 {
        self.evm.ctx.block.number.saturating_to()
    }

    /// Moves the clock: `blocks` blocks later, `seconds` seconds later.
    pub fn advance(&mut self, blocks: u64, seconds: u64) {
        self.evm.ctx.block.number += U256::from(blocks);
        self.evm.ctx.block.timestamp += U256::from(seconds);
    }

    /// Sets the gas price every later transaction pays (wei per gas; calls stay free). The
    /// sender must then hold `TX_GAS_LIMIT × price` beyond the value it sends.
    pub fn set_gas_price(&mut self, wei: u128) {
        self.gas_price = wei;
    }

    /// The gas price transactions pay.
    pub fn gas_price(&self) -> u128 {
        self.gas_price
    }

    fn tx(
        &self,
        from: Address,
        kind: TxKind,
        value: U256,
        data: Bytes,
        gas_price: u128,
    ) -> Result<TxEnv, ChainError> {
        TxEnv::builder()
            .caller(from)
            .kind(kind)
            .value(value)
            .data(data)
            .gas_limit(TX_GAS_LIMIT)
            .gas_price(gas_price)
            .chain_id(Some(CHAIN_ID))
            .build()
            .map_err(|e| ChainError::Invalid(format!("{e:?}")))
    }

    fn receipt(result: ExecutionResult) -> Receipt {
        match result {
            ExecutionResult::Success {
                gas, logs, output, ..
            } => {
                let (output, created) = match output {
                    Output::Call(b) => (b, None),
                    Output::Create(b, a) => (b, a),
                };
                Receipt {
                    success: true,
                    gas_used: gas.tx_gas_used(),
                    output,
                    logs,
                    created,
                    halt: None,
                }
            }
            ExecutionResult::Revert { gas, output, .. } => Receipt {
                success: false,
                gas_used: gas.tx_gas_used(),
                output,
                logs: vec![],
                created: None,
                halt: None,
            },
            ExecutionResult::Halt { reason, gas, .. } => Receipt {
                success: false,
                gas_used: gas.tx_gas_used(),
                output: Bytes::new(),
                logs: vec![],
                created: None,
                halt: Some(format!("{reason:?}")),
            },
        }
    }

    /// Keeps the logs of a committed transaction for [`Chain::logs`].
    fn keep_logs(&mut self, r: &Receipt, input: &Bytes) {
        self.txs += 1;
        let tx = alloy_primitives::keccak256(self.txs.to_be_bytes());
        let block = self.block_number();
        for l in &r.logs {
            self.emitted.push((
                l.address,
                super::backend::Emitted {
                    block,
                    tx,
                    data: l.data.clone(),
                    input: input.clone(),
                },
            ));
        }
    }

    /// The logs `address` emitted in blocks `from..=to`, in order.
    pub fn logs(&self, address: Address, from: u64, to: u64) -> Vec<super::backend::Emitted> {
        self.emitted
            .iter()
            .filter(|(a, e)| *a == address && (from..=to).contains(&e.block))
            .map(|(_, e)| e.clone())
            .collect()
    }

    /// Sends a transaction and commits its effects (a revert commits only the gas).
    pub fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Bytes,
    ) -> Result<Receipt, ChainError> {
        let tx = self.tx(from, TxKind::Call(to), value, data.clone(), self.gas_price)?;
        let r = self
            .evm
            .transact_commit(tx)
            .map_err(|e| ChainError::Invalid(format!("{e:?}")))?;
        let r = Self::receipt(r);
        self.keep_logs(&r, &data);
        Ok(r)
    }

    /// Runs a call without committing anything (an `eth_call`).
    pub fn call(&mut self, from: Address, to: Address, data: Bytes) -> Result<Receipt, ChainError> {
        let tx = self.tx(from, TxKind::Call(to), U256::ZERO, data, 0)?;
        let r = self
            .evm
            .transact(tx)
            .map_err(|e| ChainError::Invalid(format!("{e:?}")))?;
        Ok(Self::receipt(r.result))
    }

    /// Deploys `initcode` (creation bytecode with constructor arguments appended).
    pub fn deploy(
        &mut self,
        from: Address,
        initcode: Bytes,
        value: U256,
    ) -> Result<(Address, Receipt), ChainError> {
        let tx = self.tx(
            from,
            TxKind::Create,
            value,
            initcode.clone(),
            self.gas_price,
        )?;
        let r = self
            .evm
            .transact_commit(tx)
            .map_err(|e| ChainError::Invalid(format!("{e:?}")))?;
        let r = Self::receipt(r);
        self.keep_logs(&r, &initcode);
        match r.created {
            Some(a) if r.success => Ok((a, r)),
            _ => Err(ChainError::Deploy(r.halt.clone().unwrap_or_else(|| {
                format!("reverted with 0x{}", hex::encode(&r.output))
            }))),
        }
    }
}
