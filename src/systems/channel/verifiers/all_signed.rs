//! `all_signed`, mirroring `contracts/src/verifiers/AllSigned.sol`.

use crate::systems::channel::{channel_update_type, update_arg, update_digest, ChannelKnowledge};

use crate::systems::prelude::*;

/// `all_signed(update: ChannelUpdate)`.
pub(crate) struct AllSigned;
impl Verifier for AllSigned {
    fn name(&self) -> &'static str {
        "all_signed"
    }
    fn contract(&self) -> &'static str {
        "AllSigned"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("update", ParamType::Is(channel_update_type()))]
    }
    fn doc(&self) -> &'static str {
        "every participant of the channel update signed keccak256(encoding of the update)"
    }
    fn witness_doc(&self) -> &'static str {
        "abi.encode(bytes[] signatures), one 65-byte signature per participant, in order"
    }
    fn verify(&self, args: &[Vec<u8>], w: &[u8]) -> bool {
        let Some((v, _, _, ps)) = update_arg(args, 0) else {
            return false;
        };
        let Ok(sigs) = decode_list(w) else {
            return false;
        };
        if ps.is_empty() || sigs.len() != ps.len() {
            return false;
        }
        let digest = update_digest(&v);
        ps.iter()
            .zip(&sigs)
            .all(|(p, s)| recover(digest, s).is_ok_and(|a| a == *p))
    }
    fn verify_gas(&self, args: &[Vec<u8>], w: &[u8]) -> u64 {
        // One signature check per participant.
        let n = update_arg(args, 0).map_or(0, |(_, _, _, ps)| ps.len() as u64);
        input_gas(args, w) + n * SIGNATURE_GAS
    }
    fn search(&self, args: &[Vec<u8>], info: &LocalInfo) -> Search {
        let Some((v, channel, nonce, ps)) = update_arg(args, 0) else {
            return Search::Absent("malformed arguments".into());
        };
        if ps.is_empty() {
            return Search::Absent("an update without participants is never fully signed".into());
        }
        let known = info.channel(&channel).and_then(|c| c.find(nonce, &v));
        let held: Vec<Option<Vec<u8>>> = match known {
            Some(k) => k.signatures.clone(),
            None => vec![None; ps.len()],
        };
        if held.len() == ps.len() && held.iter().all(Option::is_some) {
            return Search::Found(encode_list(held.into_iter().flatten().collect()));
        }
        let unsigned: Vec<&Address> = ps
            .iter()
            .zip(&held)
            .filter(|(_, s)| s.is_none())
            .map(|(p, _)| p)
            .collect();
        if let Some(me) = unsigned.iter().find(|p| info.is_own(p)) {
            return Search::Absent(format!(
                "your own address {me:#x} never signed update nonce {nonce} of channel {channel:#x}"
            ));
        }
        let who: Vec<String> = unsigned.iter().map(|a| format!("{a:#x}")).collect();
        Search::Missing(format!(
            "signatures of {} on update nonce {nonce} of channel {channel:#x}",
            who.join(", ")
        ))
    }
}
