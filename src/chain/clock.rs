//! The dispute contract's chess clock, in Rust: what a watcher needs to know its deadlines
//! before the chain tells it, and what the tests measure disputes against.
//!
//! Every claim of a dispute belongs to one side (a claim made by `claim` to its claimant's
//! side, a counter-claim to the side opposite its target's). A side's clock runs while the
//! other side's latest claim waits for its answer. Each claim records when it was made and
//! what both sides had spent then; it must be answered within the answering side's remaining
//! budget `window - spent`, and never in less than the extension `window / 32`. So a side
//! never spends more than `window + moves * extension` along one chain of challenges, and
//! every claim of a dispute rooted at `t` has its deadline by
//! [`Clock::bound`] `= t + 2 * window + depth * extension`. Mirrors
//! `UniversalDispute._clockSlot` (same integer arithmetic, same saturation).

/// One claim's clock: when it was made and what each side had spent then.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// When the claim was made (seconds).
    pub made: u64,
    /// Seconds the claim's own side had spent when it was made.
    pub own: u64,
    /// Seconds the other side had spent when it was made.
    pub other: u64,
}

impl Clock {
    /// The clock of a claim made by `claim` at `t`: nobody has spent anything.
    pub fn root(t: u64) -> Clock {
        Clock {
            made: t,
            own: 0,
            other: 0,
        }
    }

    /// The clock of a counter-claim of this claim, made at `t` (by the other side): its
    /// side is charged the time since this claim was made.
    pub fn child(&self, t: u64) -> Clock {
        Clock {
            made: t,
            own: (self.other + t.saturating_sub(self.made)).min(u32::MAX as u64),
            other: self.own,
        }
    }

    /// The last second at which the claim can still be challenged.
    pub fn deadline(&self, window: u64) -> u64 {
        let ext = extension(window);
        let room = if self.other + ext < window {
            window - self.other
        } else {
            ext
        };
        self.made + room
    }

    /// The latest deadline any claim of a dispute rooted at `root_made` can have, when its
    /// longest chain of challenges has `depth` claims (the root counts as one).
    pub fn bound(root_made: u64, window: u64, depth: u64) -> u64 {
        root_made + 2 * window + depth * extension(window)
    }
}

/// The least time a side ever has to answer a claim: `window / 32` (as the contract's
/// `EXTENSION`).
pub fn extension(window: u64) -> u64 {
    window / 32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bound holds along any chain of answers, however each side times them within
    /// its deadlines (exhaustive over a small grid of delays).
    #[test]
    fn every_deadline_of_a_chain_is_within_the_bound() {
        let w = 3_200;
        for pattern in 0u32..4096 {
            let mut c = Clock::root(1_000);
            let mut worst = c.deadline(w);
            for depth in 1..=12u64 {
                // each answer at 0%, 50%, 90% or 100% of the time allowed
                let frac = [0, 50, 90, 100][((pattern >> (2 * (depth % 6))) & 3) as usize];
                let allowed = c.deadline(w) - c.made;
                c = c.child(c.made + allowed * frac / 100);
                worst = worst.max(c.deadline(w));
                assert!(worst <= Clock::bound(1_000, w, depth + 1), "depth {depth}");
                assert!(
                    c.deadline(w) - c.made >= extension(w),
                    "an answer always gets E"
                );
            }
        }
    }
}
