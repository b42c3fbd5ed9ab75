//! `higher_nonce`, mirroring `contracts/src/quantifiers/HigherNonce.sol`.

use crate::systems::channel::{
    channel_update_type, parse_channel_update, update_arg, ChannelKnowledge,
};

use crate::systems::prelude::*;

/// `higher_nonce(u: ChannelUpdate)`: updates of the same channel and participants with a higher nonce.
pub(crate) struct HigherNonce;
impl Quantifier for HigherNonce {
    fn name(&self) -> &'static str {
        "higher_nonce"
    }
    fn contract(&self) -> &'static str {
        "HigherNonce"
    }
    fn params(&self) -> Vec<(&'static str, ParamType)> {
        vec![("update", ParamType::Is(channel_update_type()))]
    }
    fn element_type(&self) -> Type {
        channel_update_type()
    }
    fn doc(&self) -> &'static str {
        "channel updates t with t.channel = u.channel, t.participants = u.participants and t.nonce > u.nonce"
    }
    fn quantify(&self, args: &[Vec<u8>], t: &[u8], _: &[u8]) -> bool {
        let Some((_, c, n, ps)) = update_arg(args, 0) else {
            return false;
        };
        let Some((_, tc, tn, tps)) = update_arg(&[t.to_vec()], 0) else {
            return false;
        };
        tc == c && tps == ps && tn > n
    }
    fn domain(&self, args: &[Vec<u8>], info: &LocalInfo) -> Domain {
        let Some((_, c, n, ps)) = update_arg(args, 0) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some("malformed arguments".into()),
            };
        };
        let Some(ch) = info.channel(&c) else {
            return Domain {
                instances: Vec::new(),
                incomplete: Some(format!("the updates of channel {c:#x}")),
            };
        };
        // Updates are sorted by nonce, highest first: stop at the first one not above `n`.
        let instances = ch
            .updates
            .iter()
            .take_while(|u| u.nonce > n)
            .filter(|u| parse_channel_update(&u.value).is_some_and(|(_, _, p)| p == ps))
            .map(|u| Instance {
                value: u.value.encode(),
                proof: Vec::new(),
            })
            .collect();
        Domain {
            instances,
            incomplete: (!ch.complete || ch.participants != ps).then(|| {
                format!(
                    "the complete list of updates of channel {c:#x} (mark the channel \"complete\": true in local information once every update you signed is listed)"
                )
            }),
        }
    }
}
