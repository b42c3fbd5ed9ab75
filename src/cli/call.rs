//! One call of the dispute contract encoded from a claim file (what `ogs calldata` prints and
//! `ogs send` sends): the evaluator finds counter-claims and witnesses from local information.

use super::{load, load_info, rendered, CallKind};
use crate::logic::eval::ChallengeKind;
use crate::logic::{Claim, Evaluator, Verdict};
use anyhow::{anyhow, Result};

/// An encoded call.
pub(super) struct Encoded {
    /// Its Solidity signature.
    pub(super) sig: &'static str,
    /// The calldata.
    pub(super) data: Vec<u8>,
    /// What to know about it.
    pub(super) note: String,
    /// Whether it is sent with the bond (`claim`, `challenge`).
    pub(super) bonded: bool,
}

/// Encodes `call` for the claim `text` of `file`.
pub(super) fn encode(
    file: &std::path::Path,
    text: &str,
    call: CallKind,
    info: Option<&std::path::Path>,
    witness: Option<&str>,
) -> Result<Encoded> {
    use crate::chain::dispute::{calldata as cd, How};
    let p = load(&[file.to_path_buf()])?;
    let c = p.compile_claim(text).map_err(rendered)?;
    let info = load_info(info)?;
    let decide = || {
        Evaluator::new(&p.registry, &p, &info)
            .decide(&c)
            .map_err(|e| anyhow!("cannot evaluate: {e}"))
    };
    let sigs = cd::signatures();
    let (sig, data, note) = match call {
        CallKind::Claim => (
            sigs[0],
            cd::claim(&c),
            format!("send with the bond; claim id {:#x}", c.id()),
        ),
        CallKind::DecideTimeout => (
            sigs[2],
            cd::decide_timeout(&c),
            format!("claim id {:#x}", c.id()),
        ),
        CallKind::DecideNegation => (
            sigs[4],
            cd::decide_negation(&c),
            format!(
                "claim id {:#x}; succeeds once its negation {:#x} is True",
                c.id(),
                c.clone().negate().id()
            ),
        ),
        CallKind::Payout => (
            sigs[5],
            cd::payout(&c),
            format!("claim id {:#x}; after it is decided", c.id()),
        ),
        CallKind::Withdraw => (sigs[6], cd::withdraw(), "the sender's credit".to_string()),
        CallKind::DecideWitness => {
            let w = match witness {
                Some(h) => hex::decode(h.trim_start_matches("0x"))
                    .map_err(|e| anyhow!("--witness is not hex: {e}"))?,
                None => match (&c, decide()?) {
                    (Claim::Witness { .. }, Verdict::True(e)) => e
                        .witnesses
                        .into_iter()
                        .find(|w| w.claim == c)
                        .map(|w| w.witness)
                        .ok_or_else(|| anyhow!("no witness for the claim itself"))?,
                    (Claim::Witness { .. }, v) => {
                        return Err(anyhow!(
                            "local information has no witness for this claim (verdict: {})",
                            v.label()
                        ))
                    }
                    _ => {
                        return Err(anyhow!(
                            "decide-witness applies to `witness V(…)` claims only"
                        ))
                    }
                },
            };
            (
                sigs[3],
                cd::decide_witness(&c, &w),
                format!("claim id {:#x}", c.id()),
            )
        }
        CallKind::Challenge => {
            let Verdict::False {
                challenge,
                evidence,
            } = decide()?
            else {
                return Err(anyhow!(
                    "the evaluator does not find the claim false from this local information, so there is no counter-claim to post (run `ogs eval` to see why)"
                ));
            };
            let w = evidence
                .witness_for(&challenge.counter)
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            let groups = crate::dispute::groups_to_pass(&p);
            if challenge.kind == ChallengeKind::Negation && !challenge.via_unfold {
                return Err(anyhow!(
                    "a WITNESS_EXISTS claim has no challenge: claim its negation instead: {}",
                    p.show(&challenge.counter)
                ));
            }
            let how = How {
                groups,
                ..crate::dispute::how_of(&challenge.kind)
            };
            (
                sigs[1],
                cd::challenge(&challenge.target, &how, &challenge.counter, &w),
                format!(
                    "send with the bond; counter-claim {:#x}: {}",
                    challenge.counter.id(),
                    p.show(&challenge.counter)
                ),
            )
        }
    };
    Ok(Encoded {
        sig,
        data,
        note,
        bonded: matches!(call, CallKind::Claim | CallKind::Challenge),
    })
}
