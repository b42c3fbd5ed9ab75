//! The gas report: every entry point of a state-channel exit dispute, run on
//! the in-process EVM (`ogs gas-report`, committed as `contracts/gas-report.md`).

use crate::chain::dispute::DisputeError;
use crate::lang::{check_source, Program};
use crate::logic::crypto::{address_of, signing_key};
use crate::logic::eval::{Evaluator, Verdict};
use crate::logic::value::encode_list;
use crate::logic::{Claim, LocalInfo};
use crate::systems::channel::{
    channel_update, sign_update, update_type, ChannelInfo, ChannelKnowledge, KnownUpdate,
};
use alloy_primitives::{keccak256, Address, U256};
use thiserror::Error;

/// Bond used by the report (0.01 ether).
pub(crate) const REPORT_BOND: u64 = 10_000_000_000_000_000;
/// Window used by the report (one hour).
pub(crate) const REPORT_WINDOW: u64 = 3600;

/// One measured call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GasLine {
    /// What was done.
    pub action: &'static str,
    /// The contract function.
    pub function: &'static str,
    /// Transaction gas as the user pays it.
    pub gas: u64,
    /// Calldata size in bytes.
    pub calldata: usize,
}

/// Why the report could not be made.
#[derive(Debug, Error)]
pub enum GasReportError {
    /// A call reverted or the EVM failed.
    #[error(transparent)]
    Dispute(#[from] DisputeError),
    /// The scenario did not play out as expected.
    #[error("scenario: {0}")]
    Scenario(String),
}

fn key(name: &str) -> Result<k256::ecdsa::SigningKey, GasReportError> {
    signing_key(keccak256(format!("ogs gas report key: {name}")).as_slice())
        .ok_or_else(|| GasReportError::Scenario("bad key".into()))
}

fn compile(p: &Program, text: &str) -> Result<Claim, GasReportError> {
    p.compile_claim(text)
        .map_err(|e| GasReportError::Scenario(e.render(false)))
}

/// Runs the state-channel scenario and measures each entry point.
pub fn channel_report() -> Result<Vec<GasLine>, GasReportError> {
    let registry = crate::systems::standard();
    let p = check_source("gas.ogs", "use \"channel.ogs\";", &registry)
        .map_err(|e| GasReportError::Scenario(e.render(false)))?;
    let (ka, kb) = (key("alice")?, key("bob")?);
    let parts = [
        address_of(ka.verifying_key()),
        address_of(kb.verifying_key()),
    ];
    let channel = keccak256("ogs gas report channel");
    let update =
        |n: u64| channel_update(channel, U256::from(n), keccak256(n.to_be_bytes()), &parts);
    let signed = |n: u64| KnownUpdate {
        nonce: U256::from(n),
        value: update(n),
        signatures: vec![
            Some(sign_update(&ka, &update(n)).to_vec()),
            Some(sign_update(&kb, &update(n)).to_vec()),
        ],
    };
    let ty = update_type();
    let exit = |n: u64| {
        compile(
            &p,
            &format!("channel_exit({})", update(n).display(Some(&ty))),
        )
    };

    let mut d = crate::systems::deploy(U256::from(REPORT_BOND), REPORT_WINDOW)?;
    let (alice, bob) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xb0));
    for a in [alice, bob] {
        d.chain.set_balance(a, U256::from(10u128.pow(21)));
    }
    let mut lines = Vec::new();
    let mut line = |action, function, r: &super::Receipt, calldata: usize| {
        lines.push(GasLine {
            action,
            function,
            gas: r.gas_used,
            calldata,
        })
    };

    // 1. Alice exits with the stale update #5; Bob holds #7, signed by both.
    let stale = exit(5)?;
    let r = d.claim(alice, &stale)?;
    line(
        "claim a channel exit (2 participants)",
        "claim",
        &r,
        crate::chain::dispute::calldata::claim(&stale).len(),
    );
    let mut info = LocalInfo::new();
    info.set_channel(
        channel,
        ChannelInfo {
            participants: parts.to_vec(),
            complete: true,
            updates: vec![signed(5), signed(7)],
        },
    );
    let v = Evaluator::new(&registry, &p, &info)
        .decide(&stale)
        .map_err(|e| GasReportError::Scenario(e.to_string()))?;
    let Verdict::False {
        challenge,
        evidence,
    } = v
    else {
        return Err(GasReportError::Scenario(
            "the stale exit should be false".into(),
        ));
    };
    let witness = evidence
        .witness_for(&challenge.counter)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let h = crate::dispute::how_of(&challenge.kind);
    let r = d.challenge(bob, &stale, &h, &challenge.counter, &witness)?;
    line(
        "challenge with a later fully signed update",
        "challenge",
        &r,
        crate::chain::dispute::calldata::challenge(&stale, &h, &challenge.counter, &witness).len(),
    );

    // 2. Alice exits with the latest update; nobody challenges; timeout.
    let latest = exit(7)?;
    d.claim(alice, &latest)?;
    d.chain.advance(300, REPORT_WINDOW + 1);
    let r = d.decide_by_timeout(alice, latest.id())?;
    line(
        "decide an unchallenged exit by timeout",
        "decideByTimeout",
        &r,
        36,
    );

    // 3. A standalone `witness all_signed(u)` claim decided by its witness.
    let agreed = compile(
        &p,
        &format!("witness all_signed({})", update(9).display(Some(&ty))),
    )?;
    d.claim(bob, &agreed)?;
    let sigs = encode_list(signed(9).signatures.into_iter().flatten().collect());
    let r = d.decide_by_witness(bob, &agreed, &sigs)?;
    line(
        "decide a signed update by its witness",
        "decideByWitness",
        &r,
        crate::chain::dispute::calldata::decide_witness(&agreed, &sigs).len(),
    );

    // 4. Bonds: payout and withdrawal (the first credit of the run: the costlier case).
    let r = d.payout(alice, latest.id())?;
    line("pay out the bond of a True claim", "payout", &r, 36);
    let r = d.withdraw(alice)?;
    line("withdraw credited bonds", "withdraw", &r, 4);
    // 5. Mallory claims `not channel_exit(u8)` (false: nothing later than #8 was signed);
    //    Alice's exit with #8 answers it (the negation rule links it as a challenge), times out
    //    True and decides it False by contradiction.
    let mallory = Address::repeat_byte(0x66);
    d.chain.set_balance(mallory, U256::from(10u128.pow(21)));
    let exit8 = exit(8)?;
    let denial = exit8.clone().negate();
    d.claim(mallory, &denial)?;
    d.claim(alice, &exit8)?;
    d.chain.advance(300, REPORT_WINDOW + 1);
    d.decide_by_timeout(alice, exit8.id())?;
    let r = d.decide_by_contradiction(alice, denial.id(), exit8.id())?;
    line(
        "decide a claim False by a True challenge",
        "decideByContradiction",
        &r,
        68,
    );

    // 6. Bob claims `not channel_exit(u6)` (true: #7 is later); Mallory challenges it with the
    //    stale exit itself, which Bob defeats at once with #7; Bob releases the False challenge.
    info.set_channel(
        channel,
        ChannelInfo {
            participants: parts.to_vec(),
            complete: true,
            updates: vec![signed(6), signed(7)],
        },
    );
    let stale6 = exit(6)?;
    let not_stale = stale6.clone().negate();
    d.claim(bob, &not_stale)?;
    let operand = crate::chain::How {
        how: 0,
        ..Default::default()
    };
    d.challenge(mallory, &not_stale, &operand, &stale6, &[])?;
    let Ok(Verdict::False {
        challenge,
        evidence,
    }) = Evaluator::new(&registry, &p, &info).decide(&stale6)
    else {
        return Err(GasReportError::Scenario(
            "the stale exit #6 should be false".into(),
        ));
    };
    let witness = evidence
        .witness_for(&challenge.counter)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    d.challenge(
        bob,
        &stale6,
        &crate::dispute::how_of(&challenge.kind),
        &challenge.counter,
        &witness,
    )?;
    let r = d.release(bob, not_stale.id(), stale6.id())?;
    line("release a False challenge", "release", &r, 68);

    if d.balance() != d.bonds_held()? + d.total_credited()? {
        return Err(GasReportError::Scenario(
            "contract balance != bonds held + credit".into(),
        ));
    }
    Ok(lines)
}

/// What bonds must cover and how long disputes can take, derived from the measured calls and
/// the compiled predicates (SEMANTICS.md §3 and §4.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Economics {
    /// Gas an honest party spends answering one move of its opponent: its challenge, the
    /// timeout of its counter-claim, the contradiction that decides the opponent's claim, the
    /// release of the opponent's False challenge of its own claim, two payouts (its own bond
    /// back, the opponent's bond won) and a withdrawal.
    pub response_gas: u64,
    /// Bound on the depth of a channel-exit dispute: 2 × the claim's depth + 1 (each level of
    /// the claim can take a counter-claim and its operand; a witness adds its negation).
    pub channel_depth: u64,
    /// The same bound for a plasma exit (no recursion: the depth is static).
    pub plasma_depth: u64,
}

/// One week, the window the duration rows use.
pub const WEEK: u64 = 7 * 24 * 3600;

impl Economics {
    /// The bond that covers one response at `gas_price` wei per gas.
    pub fn bond_at(&self, gas_price: u128) -> U256 {
        U256::from(self.response_gas) * U256::from(gas_price)
    }

    /// The chess-clock bound `2W + D·E` (E = W/32) on a dispute of depth `depth`, in seconds.
    pub fn duration_bound(depth: u64, window: u64) -> u64 {
        2 * window + depth * (window / 32)
    }
}

/// Measures [`Economics`] from the report's lines and the compiled predicates.
pub fn economics(lines: &[GasLine]) -> Result<Economics, GasReportError> {
    let gas = |f: &str| {
        lines
            .iter()
            .filter(|l| l.function == f)
            .map(|l| l.gas)
            .max()
            .ok_or_else(|| GasReportError::Scenario(format!("no `{f}` line")))
    };
    let response_gas = gas("challenge")?
        + gas("decideByTimeout")?
        + gas("decideByContradiction")?
        + gas("release")?
        + 2 * gas("payout")?
        + gas("withdraw")?;
    let registry = crate::systems::standard();
    let depth = |source: &str, text: &str| -> Result<u64, GasReportError> {
        let p = check_source("depth.ogs", source, &registry)
            .map_err(|e| GasReportError::Scenario(e.render(false)))?;
        Ok(2 * compile(&p, text)?.depth() as u64 + 1)
    };
    let a = format!("0x{}", "11".repeat(20));
    let h = format!("0x{}", "22".repeat(32));
    let channel_depth = depth(
        "use \"channel.ogs\";",
        &format!("channel_exit(ChannelUpdate {{ channel: {h}, nonce: 5, state_hash: {h}, participants: [{a}, {a}] }})"),
    )?;
    let plasma_depth = depth(
        "use \"plasma.ogs\";",
        &format!("plasma_exit(PlasmaTransfer {{ chain: {a}, coin: 1, block: 2, sender: {a}, owner: {a} }}, {h}, {h})"),
    )?;
    Ok(Economics {
        response_gas,
        channel_depth,
        plasma_depth,
    })
}

fn ether(wei: U256) -> String {
    let milli = wei / U256::from(10u64.pow(15));
    let rest = (wei % U256::from(10u64.pow(15))) / U256::from(10u64.pow(12));
    format!("{milli}.{rest:03} milliether")
}

fn days(seconds: u64) -> String {
    format!("{:.2} days", seconds as f64 / 86_400.0)
}

/// The report as Markdown (what `contracts/gas-report.md` holds).
pub fn markdown(lines: &[GasLine], e: &Economics) -> String {
    let mut s = String::from(
        "# Gas report: a state-channel exit dispute\n\n\
         Generated by `cargo run --release -- gas-report --out contracts/gas-report.md`; do not edit.\n\
         Transaction gas as the sender pays it (21,000 intrinsic + calldata + execution − refunds),\n\
         on the in-process EVM (revm, `cancun`, the fork the contracts are compiled for).\n\n\
         | action | function | gas | calldata bytes |\n|---|---|---:|---:|\n",
    );
    for l in lines {
        s.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            l.action, l.function, l.gas, l.calldata
        ));
    }
    s.push_str(&format!(
        "\n## Bonds and time\n\n\
         Derived from the rows above and the compiled predicates (SEMANTICS.md §3, §4.7).\n\n\
         | figure | value |\n|---|---:|\n\
         | per-move response gas (`challenge` + `decideByTimeout` + `decideByContradiction` + `release` + 2 × `payout` + `withdraw`) | {} |\n\
         | per-move bond at 1 gwei | {} |\n\
         | per-move bond at 20 gwei | {} |\n\
         | worst-case channel-exit dispute, W = 7 days (2W + D·W/32, D ≤ {}) | {} |\n\
         | worst-case plasma-exit dispute, W = 7 days (2W + D·W/32, D ≤ {}) | {} |\n",
        e.response_gas,
        ether(e.bond_at(1_000_000_000)),
        ether(e.bond_at(20_000_000_000)),
        e.channel_depth,
        days(Economics::duration_bound(e.channel_depth, WEEK)),
        e.plasma_depth,
        days(Economics::duration_bound(e.plasma_depth, WEEK)),
    ));
    s
}
