//! A chain behind an Ethereum JSON-RPC node (anvil, a testnet, mainnet), through alloy's
//! provider and local signers: the second [`Backend`] beside the embedded EVM.
//!
//! The node does the work; this side keeps the keys. `send` first simulates the call
//! (`eth_call`): a revert comes back as a receipt with `success == false` and the revert data,
//! as on the embedded chain, and nothing is sent (no gas is burnt on a move that cannot
//! succeed). Otherwise alloy's fillers estimate the gas and fees and read the nonce from the
//! node (never cached, so a reorg or a restart cannot leave a transaction stuck), the local
//! signer signs, and `send` waits for the receipt at the configured confirmation depth. The
//! output of a successful transaction is the simulated call's (receipts carry none). Keys never
//! appear in errors, logs or `Debug` output.
//!
//! Requests the transport fails are retried with backoff (`RETRIES` times); a node that keeps
//! failing is an error naming the request, never a guess.

use super::backend::{Backend, Emitted};
use super::evm::{ChainError, Receipt};
use alloy::consensus::Transaction as _;
use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::{RpcError, TransportErrorKind};
use alloy_primitives::{Address, Bytes, B256, U256};
use std::future::Future;
use std::time::Duration;

/// How many times a request the transport failed is retried (with doubling waits from 200 ms).
pub const RETRIES: u32 = 5;

/// A JSON-RPC chain with the signers whose transactions it may send.
pub struct RpcChain {
    rt: tokio::runtime::Runtime,
    provider: DynProvider,
    chain_id: u64,
    signers: Vec<Address>,
    confirmations: u64,
    receipt_timeout: Duration,
    url: String,
}

impl std::fmt::Debug for RpcChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcChain")
            .field("url", &self.url)
            .field("chain_id", &self.chain_id)
            .field("signers", &self.signers)
            .field("confirmations", &self.confirmations)
            .finish_non_exhaustive()
    }
}

/// Reads a private key given as hex (with or without `0x`). The error never repeats the key.
pub fn signer_from_hex(hex_key: &str) -> Result<PrivateKeySigner, ChainError> {
    hex_key
        .trim()
        .trim_start_matches("0x")
        .parse::<PrivateKeySigner>()
        .map_err(|_| ChainError::Key("the key is not 32 bytes of hex (not shown)".into()))
}

/// Decrypts a JSON keystore (the Web3 Secret Storage format geth, cast and MetaMask write).
pub fn signer_from_keystore(
    path: &std::path::Path,
    password: &str,
) -> Result<PrivateKeySigner, ChainError> {
    PrivateKeySigner::decrypt_keystore(path, password)
        .map_err(|e| ChainError::Key(format!("cannot open keystore {}: {e}", path.display())))
}

fn rpc_error(what: &str, e: impl std::fmt::Display) -> ChainError {
    ChainError::Rpc {
        what: what.to_string(),
        why: e.to_string(),
    }
}

/// Whether an error is the transport's (worth retrying), not the node's answer.
fn transient(e: &RpcError<TransportErrorKind>) -> bool {
    matches!(e, RpcError::Transport(_))
}

impl RpcChain {
    /// Connects to the node at `url` (http) and reads its chain id; transactions are sent only
    /// from `signers`, and a receipt counts once `confirmations` blocks hold it (at least 1).
    pub fn connect(
        url: &str,
        signers: Vec<PrivateKeySigner>,
        confirmations: u64,
    ) -> Result<Self, ChainError> {
        let parsed: alloy::transports::http::reqwest::Url = url
            .parse()
            .map_err(|e| ChainError::Invalid(format!("bad RPC URL {url:?}: {e}")))?;
        let addresses: Vec<Address> = signers.iter().map(|s| s.address()).collect();
        let mut wallet: Option<EthereumWallet> = None;
        for s in signers {
            match &mut wallet {
                None => wallet = Some(EthereumWallet::new(s)),
                Some(w) => w.register_signer(s),
            }
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| rpc_error("starting the client runtime", e))?;
        // The nonce is read from the node for every transaction (not cached): after a reorg
        // dropped one of ours, a restart, or another process using the same key, a cached
        // nonce would leave the next transaction stuck.
        let builder = ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_simple_nonce_management()
            .fetch_chain_id();
        let provider = match wallet {
            Some(w) => builder.wallet(w).connect_http(parsed).erased(),
            None => builder.connect_http(parsed).erased(),
        };
        let mut chain = RpcChain {
            rt,
            provider,
            chain_id: 0,
            signers: addresses,
            confirmations: confirmations.max(1),
            receipt_timeout: Duration::from_secs(120),
            url: url.to_string(),
        };
        chain.chain_id = chain.retry("eth_chainId", |p| async move { p.get_chain_id().await })?;
        Ok(chain)
    }

    /// How long `send` waits for a receipt before giving up (default 120 s). A transaction a
    /// reorg dropped never gets one: the caller then re-reads the chain and decides again.
    pub fn set_receipt_timeout(&mut self, timeout: Duration) {
        self.receipt_timeout = timeout;
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The addresses this chain can send from.
    pub fn signers(&self) -> &[Address] {
        &self.signers
    }

    /// Runs `f` against the provider, retrying transport failures with backoff.
    fn retry<T, F, Fut>(&self, what: &str, f: F) -> Result<T, ChainError>
    where
        F: Fn(DynProvider) -> Fut,
        Fut: Future<Output = Result<T, RpcError<TransportErrorKind>>>,
    {
        let mut wait = Duration::from_millis(200);
        let mut tries = 0;
        loop {
            match self.rt.block_on(f(self.provider.clone())) {
                Ok(v) => return Ok(v),
                Err(e) if transient(&e) && tries < RETRIES => {
                    tries += 1;
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                Err(e) => return Err(rpc_error(what, e)),
            }
        }
    }

    /// Simulates `tx`: `Ok(Ok(output))`, or `Ok(Err(revert data))` for a revert (the node's
    /// answer, never retried); transport failures are retried as every request is.
    fn simulate(&self, tx: &TransactionRequest) -> Result<Result<Bytes, Bytes>, ChainError> {
        self.retry("eth_call", |p| {
            let tx = tx.clone();
            async move {
                match p.call(tx).await {
                    Ok(out) => Ok(Ok(out)),
                    Err(e) => match e.as_error_resp() {
                        Some(resp) => match resp.as_revert_data() {
                            Some(data) => Ok(Err(data)),
                            // A revert without data (out of gas, a require without reason).
                            None if resp.message.contains("revert") => Ok(Err(Bytes::new())),
                            None => Err(e),
                        },
                        None => Err(e),
                    },
                }
            }
        })
    }

    /// Sends `tx` (simulated first) and waits for its receipt.
    fn transact(&mut self, tx: TransactionRequest) -> Result<Receipt, ChainError> {
        let from = tx.from.unwrap_or_default();
        if !self.signers.contains(&from) {
            return Err(ChainError::Invalid(format!(
                "no key for {from:#x}: this chain sends only from {:?}",
                self.signers
            )));
        }
        let output = match self.simulate(&tx)? {
            Ok(out) => out,
            Err(data) => {
                return Ok(Receipt {
                    success: false,
                    gas_used: 0,
                    output: data,
                    logs: vec![],
                    created: None,
                    halt: None,
                })
            }
        };
        let (confirmations, timeout) = (self.confirmations, self.receipt_timeout);
        // Not retried blindly: a transport failure after the node accepted it would send it twice.
        let pending = self
            .rt
            .block_on(self.provider.send_transaction(tx))
            .map_err(|e| rpc_error("eth_sendRawTransaction", e))?;
        let receipt = self
            .rt
            .block_on(
                pending
                    .with_required_confirmations(confirmations)
                    .with_timeout(Some(timeout))
                    .get_receipt(),
            )
            .map_err(|e| rpc_error("waiting for the receipt", e))?;
        let success = receipt.status();
        Ok(Receipt {
            success,
            gas_used: receipt.gas_used,
            output: if success { output } else { Bytes::new() },
            logs: receipt
                .inner
                .logs()
                .iter()
                .map(|l| l.inner.clone())
                .collect(),
            created: receipt.contract_address,
            halt: (!success).then(|| "reverted on chain after a successful simulation".into()),
        })
    }

    /// How many transactions `addr` has sent (its next nonce).
    pub fn transaction_count(&mut self, addr: Address) -> Result<u64, ChainError> {
        self.retry("eth_getTransactionCount", |p| async move {
            p.get_transaction_count(addr).await
        })
    }

    // ------------------------------------------------------------ anvil's dev powers

    /// Sets a balance (anvil only: `anvil_setBalance`).
    pub fn anvil_set_balance(&mut self, addr: Address, wei: U256) -> Result<(), ChainError> {
        self.retry("anvil_setBalance", |p| async move {
            p.anvil_set_balance(addr, wei).await
        })
    }

    /// Lets `seconds` pass and mines `blocks` blocks (anvil only).
    pub fn anvil_advance(&mut self, blocks: u64, seconds: u64) -> Result<(), ChainError> {
        self.retry("evm_increaseTime", |p| async move {
            p.anvil_increase_time(seconds).await
        })?;
        self.retry("anvil_mine", |p| async move {
            p.anvil_mine(Some(blocks.max(1)), None).await
        })
    }

    /// Takes a snapshot of the chain (anvil only: `evm_snapshot`).
    pub fn anvil_snapshot(&mut self) -> Result<U256, ChainError> {
        self.retry("evm_snapshot", |p| async move { p.anvil_snapshot().await })
    }

    /// Rolls the chain back to a snapshot, dropping every later block (anvil only:
    /// `evm_revert`; what a reorg does to the transactions of the dropped blocks).
    pub fn anvil_revert(&mut self, id: U256) -> Result<bool, ChainError> {
        self.retry("evm_revert", |p| async move { p.anvil_revert(id).await })
    }

    /// Replaces the last `depth` blocks by as many new, empty ones (anvil only: `anvil_reorg`):
    /// the transactions of the replaced blocks are gone, the block number stays.
    pub fn anvil_reorg(&mut self, depth: u64) -> Result<(), ChainError> {
        self.retry("anvil_reorg", |p| async move {
            p.anvil_reorg(alloy::rpc::types::anvil::ReorgOptions {
                depth,
                tx_block_pairs: vec![],
            })
            .await
        })
    }

    /// Replaces the code at an address (anvil only: `anvil_setCode`).
    pub fn anvil_set_code(&mut self, addr: Address, code: Bytes) -> Result<(), ChainError> {
        self.retry("anvil_setCode", |p| {
            let code = code.clone();
            async move { p.anvil_set_code(addr, code).await }
        })
    }
}

impl Backend for RpcChain {
    fn chain_id(&self) -> u64 {
        self.chain_id
    }

    fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Bytes,
    ) -> Result<Receipt, ChainError> {
        let tx = TransactionRequest::default()
            .with_from(from)
            .with_to(to)
            .with_value(value)
            .with_input(data);
        self.transact(tx)
    }

    fn call(&mut self, from: Address, to: Address, data: Bytes) -> Result<Receipt, ChainError> {
        let tx = TransactionRequest::default()
            .with_from(from)
            .with_to(to)
            .with_input(data);
        Ok(match self.simulate(&tx)? {
            Ok(output) => Receipt {
                success: true,
                gas_used: 0,
                output,
                logs: vec![],
                created: None,
                halt: None,
            },
            Err(output) => Receipt {
                success: false,
                gas_used: 0,
                output,
                logs: vec![],
                created: None,
                halt: None,
            },
        })
    }

    fn deploy(
        &mut self,
        from: Address,
        code: Bytes,
        value: U256,
    ) -> Result<(Address, Receipt), ChainError> {
        let tx = TransactionRequest::default()
            .with_from(from)
            .with_value(value)
            .with_deploy_code(code);
        let r = self.transact(tx)?;
        match r.created {
            Some(a) if r.success => Ok((a, r)),
            _ => Err(ChainError::Deploy(format!(
                "reverted with 0x{}",
                hex::encode(&r.output)
            ))),
        }
    }

    fn timestamp(&mut self) -> Result<u64, ChainError> {
        let block = self.retry("eth_getBlockByNumber", |p| async move {
            p.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
                .await
        })?;
        block
            .map(|b| b.header.timestamp)
            .ok_or_else(|| rpc_error("eth_getBlockByNumber", "the node has no latest block"))
    }

    fn block_number(&mut self) -> Result<u64, ChainError> {
        self.retry(
            "eth_blockNumber",
            |p| async move { p.get_block_number().await },
        )
    }

    fn balance(&mut self, addr: Address) -> Result<U256, ChainError> {
        self.retry(
            "eth_getBalance",
            |p| async move { p.get_balance(addr).await },
        )
    }

    fn code(&mut self, addr: Address) -> Result<Bytes, ChainError> {
        self.retry("eth_getCode", |p| async move { p.get_code_at(addr).await })
    }

    fn logs(&mut self, address: Address, from: u64, to: u64) -> Result<Vec<Emitted>, ChainError> {
        let filter = Filter::new().address(address).from_block(from).to_block(to);
        let logs = self.retry("eth_getLogs", |p| {
            let filter = filter.clone();
            async move { p.get_logs(&filter).await }
        })?;
        let mut inputs: std::collections::HashMap<B256, Bytes> = Default::default();
        let mut out = Vec::with_capacity(logs.len());
        for l in logs {
            let (Some(block), Some(tx)) = (l.block_number, l.transaction_hash) else {
                continue;
            };
            let input = match inputs.get(&tx) {
                Some(i) => i.clone(),
                None => {
                    let found = self.retry("eth_getTransactionByHash", |p| async move {
                        p.get_transaction_by_hash(tx).await
                    })?;
                    // Gone between the two requests (a reorg): the next read sees the new chain.
                    let Some(found) = found else { continue };
                    let i = found.input().clone();
                    inputs.insert(tx, i.clone());
                    i
                }
            };
            out.push(Emitted {
                block,
                tx,
                data: l.inner.data,
                input,
            });
        }
        Ok(out)
    }
}
