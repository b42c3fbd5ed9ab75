//! A [`World`]: what a scenario section (`[plasma]`, `[channel]`) puts next to the dispute
//! system — its contract, the actions only it understands, what each party knows of it, and
//! readable names for its values in claim texts. The runner knows worlds only through this
//! trait; adding one is a module with a `World` and a line in `run`.

use super::util::Names;
use super::{Action, PartySpec, ScenarioError};
use crate::dispute::{Arena, Party};
use crate::logic::value::Type;
use crate::logic::LocalInfo;
use alloy_primitives::Address;

/// What a world action sees of the run.
pub(super) struct WorldCx<'r, 'p> {
    /// The dispute arena.
    pub(super) arena: &'r mut Arena<'p>,
    /// The parties of the scenario.
    pub(super) parties: &'r [PartySpec],
    /// Party and contract names, for the transcript.
    pub(super) names: &'r Names,
    /// The block of the action.
    pub(super) block: u64,
}

/// Candidate arguments with their readable names: `(canonical encoding, name)`.
pub(super) type Named = Vec<(Vec<u8>, String)>;

/// Values a world contributes to readable claim texts.
#[derive(Default)]
pub(in crate::dispute::scenario) struct Labels {
    /// `(text as the program shows it, readable name)`.
    pub(super) subs: Vec<(String, String)>,
    /// Candidate arguments of a struct type: `(type, [(canonical encoding, name)])`.
    pub(super) typed: Vec<(Type, Named)>,
    /// Candidate `bytes32` arguments.
    pub(super) words: Named,
    /// Candidate `uint256` arguments are `0..=blocks`.
    pub(super) blocks: usize,
}

/// A section of a scenario file, deployed next to the dispute system.
pub(super) trait World {
    /// Its contract and the name the transcript gives it.
    fn contract(&self) -> (Address, &'static str);
    /// Its section in the scenario file (`plasma`); it carries out the actions of that
    /// section ([`Action::section`]).
    fn section(&self) -> &'static str;
    /// Whether `action` is one of this world's.
    fn handles(&self, action: &Action) -> bool {
        action.section() == Some(self.section())
    }
    /// Carries out one of its actions by `who`; returns whether what parties know of the
    /// world changed (their local information is then rebuilt before the next action).
    fn act(
        &mut self,
        action: &Action,
        cx: &mut WorldCx<'_, '_>,
        who: &Party,
    ) -> Result<bool, ScenarioError>;
    /// Adds what the party `spec` (at `who`) knows of the world to its local information.
    fn inform(
        &self,
        info: &mut LocalInfo,
        who: Address,
        spec: &PartySpec,
        parties: &[PartySpec],
    ) -> Result<(), ScenarioError>;
    /// After the run: checks of the scenario that only the whole run can make.
    fn check(&self, _parties: &[PartySpec]) -> Result<(), ScenarioError> {
        Ok(())
    }
    /// After the run and the dispute payouts: parties collect what the world owes them.
    fn collect(
        &self,
        _arena: &mut Arena<'_>,
        _parties: &[Party],
        _names: &Names,
    ) -> Result<(), ScenarioError> {
        Ok(())
    }
    /// Balance changes of accounts that are not parties (e.g. L2 users paid on L1), as
    /// `(name, signed wei)`, so the outcome accounts for every wei.
    fn other_balances(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Adds its values to the readable names of claim texts.
    fn labels(&self, labels: &mut Labels, names: &Names) -> Result<(), ScenarioError>;
}
