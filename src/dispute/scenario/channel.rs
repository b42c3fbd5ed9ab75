//! The `[channel]` world: a channel in a `ChannelPayout` next to the dispute system, updates
//! signed off chain, and the actions `fund`, `update`, `channel_exit` and `settle`.

use super::util::{
    compile, known_party, parse_wei, party_address, party_key, send, short_id, show_wei, view,
    Names,
};
use super::world::{Labels, World, WorldCx};
use super::{Action, ChannelSpec, NonceRef, PartySpec, ScenarioError};
use crate::chain::dispute::{bytecode, DisputeError};
use crate::dispute::{Arena, Entry, Party};
use crate::logic::value::Value;
use crate::logic::LocalInfo;
use crate::systems::channel::payout::ChannelPayout as PayoutContract;
use crate::systems::channel::{
    channel_update, sign_update, update_type, ChannelInfo, ChannelKnowledge, KnownUpdate,
};
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolInterface, SolValue};

/// The channel of a scenario: its `ChannelPayout` contract, the channel's id
/// and participants, and every update signed off chain.
pub(super) struct Channel {
    address: Address,
    id: B256,
    participants: Vec<Address>,
    /// Every update signed so far.
    updates: Vec<SignedUpdate>,
}

/// A channel update signed off chain.
struct SignedUpdate {
    nonce: u64,
    /// Balances in participant order.
    balances: Vec<U256>,
    /// The `ChannelUpdate` value.
    value: Value,
    /// Signatures in participant order, `None` where not signed.
    signatures: Vec<Option<Vec<u8>>>,
}

impl Channel {
    /// Deploys `ChannelPayout(dispute)` and opens the channel (by its first participant).
    pub(super) fn deploy(
        arena: &mut Arena,
        spec: &ChannelSpec,
        parties: &[PartySpec],
        names: &Names,
    ) -> Result<Channel, ScenarioError> {
        let participants = spec
            .participants
            .iter()
            .map(|n| known_party(parties, n))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(first) = spec.participants.first() else {
            return Err(ScenarioError::Invalid(
                "[channel] needs participants".into(),
            ));
        };
        let mut code = bytecode("ChannelPayout")?;
        code.extend(
            PayoutContract::constructorCall {
                dispute: arena.dispute().address,
            }
            .abi_encode(),
        );
        // A deployer of its own: the address (which the channel id commits to)
        // does not depend on how many contracts the dispute system deployed.
        let deployer = party_address("channel deployer");
        let (address, _) = arena
            .dispute_mut()
            .chain
            .deploy(deployer, code.into(), U256::ZERO)
            .map_err(DisputeError::from)?;
        let salt = keccak256("ogs scenario channel");
        let data = PayoutContract::openCall {
            participants: participants.clone(),
            salt,
        }
        .abi_encode();
        let r = send(arena, participants[0], address, U256::ZERO, data, names);
        let call = format!(
            "open a channel of {} in ChannelPayout",
            spec.participants.join(", ")
        );
        arena.note_call(first, call, &r);
        r?;
        let id = view(
            arena,
            address,
            PayoutContract::channelIdCall {
                participants: participants.clone(),
                salt,
            },
        )?;
        Ok(Channel {
            address,
            id,
            participants,
            updates: Vec::new(),
        })
    }

    /// The update with this nonce.
    fn find(&self, nonce: u64) -> Result<&SignedUpdate, ScenarioError> {
        let mut found = self.updates.iter().filter(|u| u.nonce == nonce);
        match (found.next(), found.next()) {
            (Some(u), None) => Ok(u),
            (None, _) => Err(ScenarioError::Invalid(format!(
                "no channel update with nonce {nonce} (yet)"
            ))),
            (Some(_), Some(_)) => Err(ScenarioError::Invalid(format!(
                "two channel updates with nonce {nonce}"
            ))),
        }
    }

    /// What `who` knows of the channel: every update, if it is a participant
    /// (participants exchange their signatures), nothing otherwise.
    fn view(&self, who: Address) -> Option<ChannelInfo> {
        self.participants.contains(&who).then(|| ChannelInfo {
            participants: self.participants.clone(),
            complete: true,
            updates: self
                .updates
                .iter()
                .map(|u| KnownUpdate {
                    nonce: U256::from(u.nonce),
                    value: u.value.clone(),
                    signatures: u.signatures.clone(),
                })
                .collect(),
        })
    }

    /// The channel actions that change what is known, `fund` and `update`, by
    /// `who`; returns whether the signed updates changed.
    fn fund(
        &mut self,
        f: &super::DepositSpec,
        arena: &mut Arena,
        who: &Party,
        names: &Names,
    ) -> Result<bool, ScenarioError> {
        {
            let amount = parse_wei(&f.amount)?;
            let data = PayoutContract::depositCall { channel: self.id }.abi_encode();
            let r = send(arena, who.address, self.address, amount, data, names);
            let call = format!("fund the channel with {}", show_wei(amount));
            arena.note_call(&who.name, call, &r);
        }
        Ok(false)
    }

    /// `update`: an update signed off chain by its signers.
    fn update(
        &mut self,
        u: &super::UpdateSpec,
        block: u64,
        arena: &mut Arena,
        who: &Party,
        parties: &[PartySpec],
    ) -> Result<bool, ScenarioError> {
        if u.balances.len() != self.participants.len() {
            return Err(ScenarioError::Invalid(format!(
                "block {}: update {} has {} balances for {} participants",
                block,
                u.nonce,
                u.balances.len(),
                self.participants.len()
            )));
        }
        let balances = u
            .balances
            .iter()
            .map(|b| parse_wei(b))
            .collect::<Result<Vec<_>, _>>()?;
        let state = keccak256(balances.abi_encode());
        let value = channel_update(self.id, U256::from(u.nonce), state, &self.participants);
        let signers = match &u.signed_by {
            Some(s) => s
                .iter()
                .map(|n| known_party(parties, n).map(|a| (n, a)))
                .collect::<Result<Vec<_>, _>>()?,
            None => parties
                .iter()
                .map(|p| (&p.name, party_address(&p.name)))
                .filter(|(_, a)| self.participants.contains(a))
                .collect(),
        };
        let mut signatures = vec![None; self.participants.len()];
        for (n, addr) in &signers {
            let Some(i) = self.participants.iter().position(|p| p == addr) else {
                return Err(ScenarioError::Invalid(format!(
                    "block {}: `{n}` signs update {} but is not a participant",
                    block, u.nonce
                )));
            };
            signatures[i] = Some(sign_update(&party_key(n), &value).to_vec());
        }
        let shown: Vec<String> = balances.iter().map(|b| show_wei(*b)).collect();
        let by: Vec<&str> = signers.iter().map(|(n, _)| n.as_str()).collect();
        arena.record(Entry {
            block: arena.dispute().chain.block_number(),
            time: arena.elapsed(),
            actor: who.name.clone(),
            call: format!(
                "sign update {} [{}] by {}",
                u.nonce,
                shown.join(", "),
                by.join(", ")
            ),
            gas: 0,
            outcome: "off chain".into(),
        });
        self.updates.push(SignedUpdate {
            nonce: u.nonce,
            balances,
            value,
            signatures,
        });
        Ok(true)
    }

    /// The channel actions on exits, `channel_exit` and `settle`, by `who`.
    fn exit(&self, r: &NonceRef, arena: &mut Arena, who: &Party) -> Result<(), ScenarioError> {
        let program = arena.program();
        {
            let SignedUpdate {
                nonce,
                balances,
                value,
                ..
            } = self.find(r.nonce)?;
            let text = format!(
                "signed_channel_exit({})",
                value.display(Some(&update_type()))
            );
            let claim = compile(program, &text)?;
            let call = PayoutContract::exitClaimIdCall {
                channel: self.id,
                nonce: U256::from(*nonce),
                balances: balances.clone(),
            };
            let expected = view(arena, self.address, call)?;
            if expected != claim.id() {
                return Err(ScenarioError::Invalid(format!(
                    "the claim file's `signed_channel_exit` is not the one ChannelPayout pays on \
                     (use `channel.ogs`): update {nonce} has id {:#x}, ChannelPayout's {expected:#x}",
                    claim.id()
                )));
            }
            let _ = arena.claim(who, &claim);
        }
        Ok(())
    }

    /// `settle`: `ChannelPayout.settle` with an update.
    fn settle(
        &self,
        r: &NonceRef,
        arena: &mut Arena,
        who: &Party,
        names: &Names,
    ) -> Result<(), ScenarioError> {
        {
            let SignedUpdate {
                nonce, balances, ..
            } = self.find(r.nonce)?;
            let data = PayoutContract::settleCall {
                channel: self.id,
                nonce: U256::from(*nonce),
                balances: balances.clone(),
            }
            .abi_encode();
            let res = send(arena, who.address, self.address, U256::ZERO, data, names);
            let call = match &res {
                Ok(_) => {
                    let credits: Vec<String> = self
                        .participants
                        .iter()
                        .zip(balances)
                        .map(|(p, b)| format!("{} {}", names.of(*p), show_wei(*b)))
                        .collect();
                    format!(
                        "settle with update {nonce}: ChannelPayout credits {}",
                        credits.join(", ")
                    )
                }
                Err(_) => format!("settle with update {nonce}"),
            };
            arena.note_call(&who.name, call, &res);
        }
        Ok(())
    }
}

/// `ChannelPayout`'s custom errors in words, if `out` is one.
pub(super) fn describe_revert(out: &[u8]) -> Option<String> {
    use PayoutContract::ChannelPayoutErrors as E;
    let e = E::abi_decode(out).ok()?;
    Some(match e {
        E::ExitNotTrue(e) => format!("ExitNotTrue({})", short_id(&e.claimId)),
        E::AlreadySettled(_) => "AlreadySettled".into(),
        E::BalancesMismatch(e) => format!(
            "BalancesMismatch(sum {}, funds {})",
            show_wei(e.sum),
            show_wei(e.funds)
        ),
        E::WrongBalanceCount(e) => format!(
            "WrongBalanceCount({} for {} participants)",
            e.given, e.participants
        ),
        E::UnknownChannel(_) => "UnknownChannel".into(),
        E::ChannelExists(_) => "ChannelExists".into(),
        E::NoParticipants(_) => "NoParticipants".into(),
        E::ZeroDeposit(_) => "ZeroDeposit".into(),
        E::NothingToWithdraw(_) => "NothingToWithdraw".into(),
        E::TransferFailed(_) => "TransferFailed".into(),
    })
}

impl World for Channel {
    fn contract(&self) -> (Address, &'static str) {
        (self.address, "ChannelPayout")
    }

    fn section(&self) -> &'static str {
        "channel"
    }

    fn act(
        &mut self,
        action: &Action,
        cx: &mut WorldCx<'_, '_>,
        who: &Party,
    ) -> Result<bool, ScenarioError> {
        match action {
            Action::Fund(f) => self.fund(f, cx.arena, who, cx.names),
            Action::Update(u) => self.update(u, cx.block, cx.arena, who, cx.parties),
            Action::ChannelExit(r) => self.exit(r, cx.arena, who).map(|()| false),
            Action::Settle(r) => self.settle(r, cx.arena, who, cx.names).map(|()| false),
            _ => Ok(false),
        }
    }

    /// Every update, if it is a participant (participants exchange their signatures).
    fn inform(
        &self,
        info: &mut LocalInfo,
        who: Address,
        _spec: &PartySpec,
        _parties: &[PartySpec],
    ) -> Result<(), ScenarioError> {
        if let Some(c) = self.view(who) {
            info.set_channel(self.id, c);
        }
        Ok(())
    }

    /// Every party withdraws what `ChannelPayout` credited it.
    fn collect(
        &self,
        arena: &mut Arena<'_>,
        parties: &[Party],
        names: &Names,
    ) -> Result<(), ScenarioError> {
        for p in parties {
            let credit = view(arena, self.address, PayoutContract::creditCall(p.address))?;
            if credit.is_zero() {
                continue;
            }
            let data = PayoutContract::withdrawCall {}.abi_encode();
            let r = send(arena, p.address, self.address, U256::ZERO, data, names);
            let call = format!("withdraw {} from ChannelPayout", show_wei(credit));
            arena.note_call(&p.name, call, &r);
        }
        Ok(())
    }

    /// Updates (typed and as raw encodings) and the channel id.
    fn labels(&self, labels: &mut Labels, _names: &Names) -> Result<(), ScenarioError> {
        let uty = update_type();
        let mut updates = Vec::new();
        for SignedUpdate {
            nonce,
            balances,
            value,
            ..
        } in &self.updates
        {
            let shown: Vec<String> = balances.iter().map(|b| show_wei(*b)).collect();
            let label = format!("update {nonce} [{}]", shown.join(", "));
            labels.subs.push((value.display(Some(&uty)), label.clone()));
            labels
                .subs
                .push((format!("0x{}", hex::encode(value.encode())), label.clone()));
            updates.push((value.encode(), label));
        }
        labels.typed.push((uty, updates));
        labels
            .subs
            .push((format!("{:#x}", self.id), "channel".into()));
        labels.words.push((self.id.to_vec(), "channel".into()));
        Ok(())
    }
}
