//! What every part of a scenario run shares: deterministic party keys, amounts in wei,
//! party names for the transcript, claim compilation, and transactions to the payout
//! contracts with their reverts in words.

use super::channel::describe_revert as channel_revert;
use super::plasma::describe_revert as plasma_revert;
use super::{PartySpec, ScenarioError};
use crate::chain::dispute::{revert_reason, DisputeError};
use crate::chain::Receipt;
use crate::dispute::Arena;
use crate::lang::Program;
use crate::logic::crypto::{address_of, signing_key};
use crate::logic::Claim;
use crate::systems::plasma::Transfer;
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use k256::ecdsa::SigningKey;

/// The deterministic signing key of a named party: the secret is
/// `keccak256("ogs scenario key: <name>")` (hashed again in the negligible
/// case that it is not a valid secp256k1 scalar).
pub fn party_key(name: &str) -> SigningKey {
    let mut secret = keccak256(format!("ogs scenario key: {name}"));
    loop {
        if let Some(k) = signing_key(secret.as_slice()) {
            return k;
        }
        secret = keccak256(secret);
    }
}

/// The deterministic address of a named party: the Ethereum address of [`party_key`].
pub fn party_address(name: &str) -> Address {
    address_of(party_key(name).verifying_key())
}

/// Parses an amount: decimal wei, or `"<n> ether"` / `"<n> gwei"` (`n` may have decimals).
pub(super) fn parse_wei(s: &str) -> Result<U256, ScenarioError> {
    let bad = |why: &str| ScenarioError::Invalid(format!("bad amount {s:?}: {why}"));
    let t = s.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("ether") {
        (n.trim(), 18)
    } else if let Some(n) = t.strip_suffix("gwei") {
        (n.trim(), 9)
    } else if let Some(n) = t.strip_suffix("wei") {
        (n.trim(), 0)
    } else {
        (t, 0)
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if int.is_empty() && frac.is_empty() {
        return Err(bad("no number"));
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad(
            "expected digits, then `ether`, `gwei` or nothing (wei)",
        ));
    }
    if frac.len() > scale {
        return Err(bad("more decimals than the unit has"));
    }
    let digits = format!("{int}{frac:0<scale$}");
    U256::from_str_radix(&digits, 10).map_err(|e| bad(&e.to_string()))
}

pub(super) fn wei(s: &Option<String>, default: U256) -> Result<U256, ScenarioError> {
    match s {
        None => Ok(default),
        Some(s) => parse_wei(s),
    }
}

/// Renders wei as ether when it has at most six decimals of ether, in wei otherwise.
pub(super) fn show_wei(w: U256) -> String {
    let ether = U256::from(10u64).pow(U256::from(18));
    let micro = U256::from(10u64).pow(U256::from(12));
    if w.is_zero() || !(w % micro).is_zero() {
        return format!("{w} wei");
    }
    let frac = format!("{:06}", (w % ether) / micro);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{} ether", w / ether)
    } else {
        format!("{}.{frac} ether", w / ether)
    }
}

pub(super) fn compile(p: &Program, text: &str) -> Result<Claim, ScenarioError> {
    p.compile_claim(text)
        .map_err(|e| ScenarioError::Claims(e.render(false)))
}

pub(super) fn hex_bytes(s: &Option<String>) -> Result<Vec<u8>, ScenarioError> {
    match s {
        None => Ok(vec![]),
        Some(h) => hex::decode(h.trim_start_matches("0x"))
            .map_err(|e| ScenarioError::Invalid(format!("bad hex {h:?}: {e}"))),
    }
}

/// The address of a party named in the scenario.
pub(super) fn known_party(parties: &[PartySpec], name: &str) -> Result<Address, ScenarioError> {
    actors_index(parties, name)
        .map(|_| party_address(name))
        .ok_or_else(|| ScenarioError::Invalid(format!("unknown party `{name}`")))
}

/// Party names by address, for the transcript.
pub(super) struct Names(pub(super) Vec<(Address, String)>);

impl Names {
    pub(super) fn of(&self, a: Address) -> String {
        self.0
            .iter()
            .find(|(x, _)| *x == a)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("{a:#x}"))
    }

    /// `⟨coin 1, block 2: alice → bob⟩`.
    pub(super) fn transfer(&self, t: &Transfer) -> String {
        let from = if t.sender == Address::ZERO {
            "deposit".to_string()
        } else {
            self.of(t.sender)
        };
        format!(
            "⟨coin {}, block {}: {from} → {}⟩",
            t.coin,
            t.block,
            self.of(t.owner)
        )
    }
}

/// A transaction to a contract other than the dispute contract, as a result
/// the transcript can note (reverts decoded with `PlasmaChain`'s errors).
pub(super) fn send(
    arena: &mut Arena,
    from: Address,
    to: Address,
    value: U256,
    data: Vec<u8>,
    names: &Names,
) -> Result<Receipt, DisputeError> {
    let r = arena
        .dispute_mut()
        .chain
        .send(from, to, value, data.into())?;
    if r.success {
        Ok(r)
    } else {
        let why = r
            .halt
            .clone()
            .unwrap_or_else(|| revert_text(&r.output, names));
        Err(DisputeError::Reverted(why, Box::new(r)))
    }
}

/// A view call; a revert or undecodable answer is an error of the scenario run.
pub(super) fn view<C: SolCall>(
    arena: &mut Arena,
    to: Address,
    call: C,
) -> Result<C::Return, ScenarioError> {
    let r = arena
        .dispute_mut()
        .chain
        .call(Address::ZERO, to, call.abi_encode().into())
        .map_err(DisputeError::from)?;
    if !r.success {
        return Err(ScenarioError::Invalid(format!(
            "{} reverted: {}",
            C::SIGNATURE,
            revert_text(&r.output, &Names(vec![]))
        )));
    }
    C::abi_decode_returns(&r.output).map_err(|_| DisputeError::Decode(C::SIGNATURE).into())
}

/// Revert data in words: the payout contracts' custom errors, else the dispute contract's.
pub(super) fn revert_text(out: &[u8], names: &Names) -> String {
    plasma_revert(out, names)
        .or_else(|| channel_revert(out))
        .unwrap_or_else(|| revert_reason(out))
}

pub(super) fn actors_index(parties: &[PartySpec], name: &str) -> Option<usize> {
    parties.iter().position(|p| p.name == name)
}

pub(super) fn short_id(id: &B256) -> String {
    format!("{id:#x}")[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_in_wei_gwei_and_ether() {
        let ether = U256::from(10u64).pow(U256::from(18));
        assert_eq!(parse_wei("12").ok(), Some(U256::from(12)));
        assert_eq!(parse_wei(" 7 wei ").ok(), Some(U256::from(7)));
        assert_eq!(parse_wei("3 gwei").ok(), Some(U256::from(3_000_000_000u64)));
        assert_eq!(parse_wei("2 ether").ok(), Some(ether * U256::from(2)));
        assert_eq!(parse_wei("0.25 ether").ok(), Some(ether / U256::from(4)));
        assert_eq!(parse_wei(".5 ether").ok(), Some(ether / U256::from(2)));
        for bad in [
            "",
            "ether",
            "1.5 eth",
            "1.0000000001 gwei",
            "-1",
            "1e18",
            "1..2 ether",
        ] {
            assert!(parse_wei(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn amounts_show_as_ether_when_short() {
        let ether = U256::from(10u64).pow(U256::from(18));
        assert_eq!(show_wei(ether * U256::from(3)), "3 ether");
        assert_eq!(show_wei(ether / U256::from(4)), "0.25 ether");
        assert_eq!(show_wei(U256::from(1234)), "1234 wei");
        assert_eq!(show_wei(U256::ZERO), "0 wei");
    }

    #[test]
    fn party_addresses_are_their_keys_addresses() {
        let k = party_key("alice");
        assert_eq!(party_address("alice"), address_of(k.verifying_key()));
        assert_ne!(party_address("alice"), party_address("bob"));
        assert_eq!(party_address("alice"), party_address("alice"));
    }
}
