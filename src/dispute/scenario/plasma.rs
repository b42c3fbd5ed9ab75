//! The `[plasma]` world: a `PlasmaChain` next to the dispute system, its blocks mirrored as
//! the operator publishes them, and the actions `deposit`, `commit`, `exit` and `finalize`.

use super::util::{
    compile, known_party, parse_wei, party_address, party_key, send, short_id, show_wei, view,
    Names,
};
use super::world::{Labels, World, WorldCx};
use super::{Action, PartySpec, ScenarioError, TransferRef};
use crate::chain::dispute::{bytecode, DisputeError};
use crate::dispute::{Arena, Party};
use crate::logic::LocalInfo;
use crate::systems::plasma::payout::{sol_transfer, PlasmaChain as PlasmaContract};
use crate::systems::plasma::{
    plasma_block_root, plasma_transfer_type, sign_transfer, KnownTransfer,
    PlasmaChain as PlasmaInfo, PlasmaKnowledge, Transfer,
};
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolEvent, SolInterface};

/// The plasma chain of a scenario: its contract and a mirror of every block
/// (what the operator publishes), plus the signed transfers it left out.
pub(super) struct Plasma {
    address: Address,
    /// Committed blocks, from block 1 (deposit blocks included).
    blocks: Vec<Vec<KnownTransfer>>,
    /// Signed transfers left out of the block they name.
    withheld: Vec<KnownTransfer>,
}

impl Plasma {
    /// Deploys `PlasmaChain(dispute, operator)` next to the dispute contract.
    pub(super) fn deploy(arena: &mut Arena, operator: Address) -> Result<Plasma, ScenarioError> {
        let mut code = bytecode("PlasmaChain")?;
        code.extend(
            PlasmaContract::constructorCall {
                dispute: arena.dispute().address,
                operator,
            }
            .abi_encode(),
        );
        // A deployer of its own: the address (which every transfer names) does
        // not depend on how many contracts the dispute system deployed.
        let deployer = party_address("plasma deployer");
        let (address, _) = arena
            .dispute_mut()
            .chain
            .deploy(deployer, code.into(), U256::ZERO)
            .map_err(DisputeError::from)?;
        Ok(Plasma {
            address,
            blocks: Vec::new(),
            withheld: Vec::new(),
        })
    }

    /// The number the next block gets.
    fn next(&self) -> U256 {
        U256::from(self.blocks.len() + 1)
    }

    /// Every transfer: the blocks' in order, then the withheld ones.
    fn all(&self) -> impl Iterator<Item = &KnownTransfer> {
        self.blocks.iter().flatten().chain(&self.withheld)
    }

    /// Everything, as one who knows it all would list it.
    fn mirror(&self) -> Result<PlasmaInfo, ScenarioError> {
        PlasmaInfo::new(
            self.address,
            self.blocks.clone(),
            self.withheld.clone(),
            true,
        )
        .map_err(|(at, why)| ScenarioError::Invalid(format!("plasma chain {at}: {why}")))
    }

    /// What `who` knows: every block, with the signatures it was not marked
    /// as missing (its own always), and the withheld transfers it signed or received.
    fn view(&self, who: Address, missing: &[Transfer]) -> Result<PlasmaInfo, ScenarioError> {
        let blocks =
            self.blocks
                .iter()
                .map(|b| {
                    b.iter()
                        .map(|k| KnownTransfer {
                            transfer: k.transfer.clone(),
                            signature: k.signature.clone().filter(|_| {
                                k.transfer.sender == who || !missing.contains(&k.transfer)
                            }),
                        })
                        .collect()
                })
                .collect();
        let signed = self
            .withheld
            .iter()
            .filter(|k| k.transfer.sender == who || k.transfer.owner == who)
            .cloned()
            .collect();
        PlasmaInfo::new(self.address, blocks, signed, true)
            .map_err(|(at, why)| ScenarioError::Invalid(format!("plasma chain {at}: {why}")))
    }

    /// The transfers a reference names (included or withheld).
    pub(super) fn matching(
        &self,
        r: &TransferRef,
        parties: &[PartySpec],
    ) -> Result<Vec<Transfer>, ScenarioError> {
        let to = match &r.to {
            Some(n) => Some(known_party(parties, n)?),
            None => None,
        };
        Ok(self
            .all()
            .map(|k| &k.transfer)
            .filter(|t| {
                t.coin == U256::from(r.coin)
                    && t.block == U256::from(r.block)
                    && to.is_none_or(|a| t.owner == a)
            })
            .cloned()
            .collect())
    }

    /// The one transfer a reference names.
    fn find(&self, r: &TransferRef, parties: &[PartySpec]) -> Result<Transfer, ScenarioError> {
        let mut found = self.matching(r, parties)?;
        let what = format!(
            "coin {} in block {}{}",
            r.coin,
            r.block,
            r.to.as_ref()
                .map(|t| format!(" to {t}"))
                .unwrap_or_default()
        );
        match found.len() {
            0 => Err(ScenarioError::Invalid(format!(
                "no transfer of {what} (yet): a transfer is named by the coin and the block it was committed for"
            ))),
            1 => Ok(found.remove(0)),
            n => Err(ScenarioError::Invalid(format!(
                "{n} transfers of {what}: name the new owner with `to`"
            ))),
        }
    }
}

impl Plasma {
    /// The plasma actions that change the chain, `deposit` and `commit`, by
    /// `who`; returns whether the chain changed.
    fn deposit(
        &mut self,
        d: &super::DepositSpec,
        arena: &mut Arena,
        who: &Party,
        names: &Names,
    ) -> Result<bool, ScenarioError> {
        let mut changed = false;
        {
            let amount = parse_wei(&d.amount)?;
            let data = PlasmaContract::depositCall {}.abi_encode();
            let r = send(arena, who.address, self.address, amount, data, names);
            let coin = self.next();
            let call = match &r {
                Ok(_) => format!(
                    "deposit {} into PlasmaChain: coin {coin} (block {coin})",
                    show_wei(amount)
                ),
                Err(_) => format!("deposit {} into PlasmaChain", show_wei(amount)),
            };
            if r.is_ok() {
                self.blocks.push(vec![KnownTransfer {
                    transfer: Transfer {
                        chain: self.address,
                        coin,
                        block: coin,
                        sender: Address::ZERO,
                        owner: who.address,
                    },
                    signature: None,
                }]);
                changed = true;
            }
            arena.note_call(&who.name, call, &r);
        }
        Ok(changed)
    }

    /// The operator's `commit` of the next block with these transfers.
    fn commit(
        &mut self,
        ts: &[super::TransferSpec],
        block: u64,
        arena: &mut Arena,
        who: &Party,
        parties: &[PartySpec],
        names: &Names,
    ) -> Result<bool, ScenarioError> {
        let mut changed = false;
        {
            let n = self.next();
            let (mut included, mut withheld) = (Vec::new(), Vec::new());
            let mut shown = Vec::new();
            for t in ts {
                if t.withheld && !t.signed {
                    return Err(ScenarioError::Invalid(format!(
                        "block {}: a withheld transfer is one its sender signed (coin {}, {} → {})",
                        block, t.coin, t.from, t.to
                    )));
                }
                let transfer = Transfer {
                    chain: self.address,
                    coin: U256::from(t.coin),
                    block: n,
                    sender: known_party(parties, &t.from)?,
                    owner: known_party(parties, &t.to)?,
                };
                let signature = t
                    .signed
                    .then(|| sign_transfer(&party_key(&t.from), &transfer).to_vec());
                let note = if t.withheld {
                    " (withheld)"
                } else if !t.signed {
                    " (unsigned)"
                } else {
                    ""
                };
                shown.push(format!("coin {} {} → {}{note}", t.coin, t.from, t.to));
                let k = KnownTransfer {
                    transfer,
                    signature,
                };
                if t.withheld {
                    withheld.push(k);
                } else {
                    included.push(k);
                }
            }
            let leaves: Vec<Transfer> = included.iter().map(|k| k.transfer.clone()).collect();
            let root = plasma_block_root(&leaves);
            let data = PlasmaContract::commitBlockCall { root }.abi_encode();
            let r = send(arena, who.address, self.address, U256::ZERO, data, names);
            let call = if shown.is_empty() {
                format!("commit block {n}: empty")
            } else {
                format!("commit block {n}: {}", shown.join(", "))
            };
            if r.is_ok() {
                self.blocks.push(included);
                self.withheld.extend(withheld);
                changed = true;
            }
            arena.note_call(&who.name, call, &r);
        }
        Ok(changed)
    }

    /// The plasma actions on exits, `exit` and `finalize`, by `who`.
    fn exit(
        &self,
        r: &TransferRef,
        block: u64,
        arena: &mut Arena,
        who: &Party,
        parties: &[PartySpec],
        names: &Names,
    ) -> Result<(), ScenarioError> {
        let program = arena.program();
        {
            let t = self.find(r, parties)?;
            let b = t.block.to::<usize>();
            let commitment = self.mirror()?.chain_root(b).ok_or_else(|| {
                ScenarioError::Invalid(format!(
                    "block {}: exit of coin {} in block {b}, which is not committed yet",
                    block, r.coin
                ))
            })?;
            let on_chain = view(
                arena,
                self.address,
                PlasmaContract::commitmentAtCall(t.block),
            )?;
            if on_chain != commitment {
                return Err(ScenarioError::Invalid(format!(
                    "the commitment after block {b} is {on_chain:#x} on chain, {commitment:#x} in the mirror"
                )));
            }
            // Start the exit (fixes `now`, the commitment spends are counted under), then claim.
            let data = PlasmaContract::startExitCall {
                t: sol_transfer(&t),
            }
            .abi_encode();
            let res = send(arena, who.address, self.address, U256::ZERO, data, names);
            let started = res.as_ref().ok().and_then(|rc| {
                rc.logs.iter().find_map(|l| {
                    PlasmaContract::ExitStarted::decode_log_data(&l.data)
                        .ok()
                        .map(|e| e.at)
                })
            });
            let call = match started {
                Some(at) => format!(
                    "startExit {}: spends included by block {at} count",
                    names.transfer(&t)
                ),
                None => format!("startExit {}", names.transfer(&t)),
            };
            arena.note_call(&who.name, call, &res);
            let at = view(
                arena,
                self.address,
                PlasmaContract::exitStartedAtCall(t.digest()),
            )?;
            if at.is_zero() {
                // Not started (refused above): there is no exit claim to make.
                return Ok(());
            }
            let now = view(arena, self.address, PlasmaContract::commitmentAtCall(at))?;
            let text = format!(
                "plasma_exit({}, {commitment:#x}, {now:#x})",
                t.value().display(Some(&plasma_transfer_type()))
            );
            let claim = compile(program, &text)?;
            let call = PlasmaContract::exitClaimIdCall {
                t: sol_transfer(&t),
            };
            let expected = view(arena, self.address, call)?;
            if expected != claim.id() {
                return Err(ScenarioError::Invalid(format!(
                    "the claim file's `plasma_exit` is not the one PlasmaChain pays on \
                     (use predicates/plasma.ogs): its exit of {} has id {:#x}, PlasmaChain's {expected:#x}",
                    names.transfer(&t),
                    claim.id()
                )));
            }
            let _ = arena.claim(who, &claim);
        }
        Ok(())
    }

    /// `finalize`: `PlasmaChain.finalizeExit` of a transfer.
    fn finalize(
        &self,
        r: &TransferRef,
        arena: &mut Arena,
        who: &Party,
        parties: &[PartySpec],
        names: &Names,
    ) -> Result<(), ScenarioError> {
        {
            let t = self.find(r, parties)?;
            let data = PlasmaContract::finalizeExitCall {
                t: sol_transfer(&t),
            }
            .abi_encode();
            let res = send(arena, who.address, self.address, U256::ZERO, data, names);
            let paid = res.as_ref().ok().and_then(|rc| {
                rc.logs.iter().find_map(|l| {
                    PlasmaContract::Exited::decode_log_data(&l.data)
                        .ok()
                        .map(|e| (e.owner, e.amount))
                })
            });
            let call = match paid {
                Some((owner, amount)) => format!(
                    "finalizeExit {}: PlasmaChain pays {} {}",
                    names.transfer(&t),
                    names.of(owner),
                    show_wei(amount)
                ),
                None => format!("finalizeExit {}", names.transfer(&t)),
            };
            arena.note_call(&who.name, call, &res);
        }
        Ok(())
    }
}

/// `PlasmaChain`'s custom errors in words, if `out` is one.
pub(super) fn describe_revert(out: &[u8], names: &Names) -> Option<String> {
    use PlasmaContract::PlasmaChainErrors as E;
    Some(match E::abi_decode(out).ok()? {
        E::NotOperator(e) => format!("NotOperator({})", names.of(e.caller)),
        E::ExitNotTrue(e) => format!("ExitNotTrue({})", short_id(&e.claimId)),
        E::AlreadyExited(e) => format!("AlreadyExited(coin {})", e.coin),
        E::UnknownBlock(e) => format!("UnknownBlock({})", e.number),
        E::NotACoin(e) => format!("NotACoin({})", e.coin),
        E::WrongChain(e) => format!("WrongChain({:#x})", e.chain),
        E::DepositTooLarge(e) => format!("DepositTooLarge({})", e.amount),
        E::ZeroDeposit(_) => "ZeroDeposit".into(),
        E::ChainFull(_) => "ChainFull".into(),
        E::TransferFailed(_) => "TransferFailed".into(),
        E::NotOwner(e) => format!("NotOwner({})", names.of(e.caller)),
        E::ExitAlreadyStarted(e) => format!("ExitAlreadyStarted({})", short_id(&e.transfer)),
        E::ExitNotStarted(e) => format!("ExitNotStarted({})", short_id(&e.transfer)),
    })
}

impl World for Plasma {
    fn contract(&self) -> (Address, &'static str) {
        (self.address, "PlasmaChain")
    }

    fn section(&self) -> &'static str {
        "plasma"
    }

    fn act(
        &mut self,
        action: &Action,
        cx: &mut WorldCx<'_, '_>,
        who: &Party,
    ) -> Result<bool, ScenarioError> {
        match action {
            Action::Deposit(d) => self.deposit(d, cx.arena, who, cx.names),
            Action::Commit(ts) => self.commit(ts, cx.block, cx.arena, who, cx.parties, cx.names),
            Action::Exit(r) => self
                .exit(r, cx.block, cx.arena, who, cx.parties, cx.names)
                .map(|()| false),
            Action::Finalize(r) => self
                .finalize(r, cx.arena, who, cx.parties, cx.names)
                .map(|()| false),
            _ => Ok(false),
        }
    }

    /// Every block, with the signatures it was not marked as missing (its own always), and
    /// the withheld transfers it signed or received.
    fn inform(
        &self,
        info: &mut LocalInfo,
        who: Address,
        spec: &PartySpec,
        parties: &[PartySpec],
    ) -> Result<(), ScenarioError> {
        let mut missing = Vec::new();
        for r in &spec.missing_signatures {
            missing.extend(self.matching(r, parties)?);
        }
        info.add_plasma_chain(self.view(who, &missing)?);
        Ok(())
    }

    /// Every `missing_signatures` entry names a transfer of the run.
    fn check(&self, parties: &[PartySpec]) -> Result<(), ScenarioError> {
        for p in parties {
            for r in &p.missing_signatures {
                if self.matching(r, parties)?.is_empty() {
                    return Err(ScenarioError::Invalid(format!(
                        "party `{}`: missing_signatures names no transfer (coin {}, block {})",
                        p.name, r.coin, r.block
                    )));
                }
            }
        }
        Ok(())
    }

    /// Transfers (typed and as raw encodings) and chain commitments.
    fn labels(&self, labels: &mut Labels, names: &Names) -> Result<(), ScenarioError> {
        let ty = plasma_transfer_type();
        let mut transfers = Vec::new();
        for k in self.all() {
            let t = &k.transfer;
            let label = names.transfer(t);
            labels
                .subs
                .push((t.value().display(Some(&ty)), label.clone()));
            labels
                .subs
                .push((format!("0x{}", hex::encode(t.encode())), label.clone()));
            transfers.push((t.encode(), label));
        }
        labels.typed.push((ty, transfers));
        let mirror = self.mirror()?;
        for n in 1..=self.blocks.len() {
            if let Some(c) = mirror.chain_root(n) {
                labels.subs.push((format!("{c:#x}"), format!("chain@{n}")));
                labels.words.push((c.to_vec(), format!("chain@{n}")));
            }
        }
        labels.blocks = labels.blocks.max(self.blocks.len());
        Ok(())
    }
}
