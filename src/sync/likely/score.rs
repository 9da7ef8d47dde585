//! How much each piece of evidence counts, and when the total makes a likely pair.
//!
//! The score is additive: one weight for how the names compare (by [`NameLevel`], for a
//! business's name or a person's), one for each of phone, email and postal code (same, same
//! area, different, missing — weighed differently when the names are the same words than when
//! they are only alike). Weights are in bits (log₂ odds). They were fitted by logistic
//! regression on the generated variants and look-alikes (`tests/likely_support/generate.rs`)
//! of the tuning seed, and the threshold chosen there as the lowest whose false flags stay
//! clearly below 2% (away from the point where a group of look-alikes tips over); the quality
//! test checks recall and false flags on other seeds. Fellegi–Sunter match weights (evidence
//! counted independently) were tried first and separated worse at the same false-flag rate.
//! `cargo test --lib likely::quality::tune -- --ignored --nocapture` prints the evidence counts,
//! both sweeps and the fitted weights. BENCHMARKS.md has the numbers.
//!
//! Two rules are not left to the weights, because the issue and the operators' trust demand them
//! whatever a data set says: names must be alike for a pair at all (a shared phone between two
//! differently named businesses is a switchboard, not a duplicate), and a typo or an added or
//! dropped word counts only with a phone, email or postal code to back it.

use std::fmt;

use super::evidence::{Agreement, Evidence, NameLevel};

/// The weight of every piece of evidence, in bits, and the threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    /// By [`NameLevel`] (in the order of [`NameLevel::ALL`]), for a business's name and for a
    /// person's (first and last name filled): many people share a name, few businesses do.
    pub name: [[f32; 2]; 9],
    /// By whether the names are the same words ([`NameLevel::same_words`]) or only alike,
    /// then by [`Check`], then by [`Agreement`] (same / near / different / missing). What a
    /// field says depends on the names: a new number in the same area code is what a moved
    /// customer has, and also what a look-alike business in the same town has; a business in
    /// another town with the same name as one here has numbers from elsewhere.
    pub fields: [[[f32; 4]; 3]; 2],
    /// A pair whose evidence adds up to this many bits is a likely pair.
    pub threshold: f32,
}

/// The weights in use (see the module comment for where they come from).
pub const WEIGHTS: Weights = Weights {
    name: [
        [1.8, -1.6],
        [3.1, 0.0],
        [0.0, -2.5],
        [2.8, -2.1],
        [1.6, -0.2],
        [-3.7, -1.3],
        [2.8, 0.2],
        [-0.7, 0.0],
        [0.0, 0.0],
    ],
    fields: [
        [
            [6.2, -1.2, -3.8, -0.5],
            [5.1, 0.0, -2.4, -2.0],
            [4.8, -0.1, -3.6, -0.4],
        ],
        [
            [4.1, -1.9, -2.5, -0.3],
            [2.2, 0.0, -1.5, -1.3],
            [0.7, 0.9, -1.2, -1.0],
        ],
    ],
    threshold: -3.5,
};

/// Bits for how the names compare, with the weights in use.
pub fn name_weight(level: NameLevel, person: bool) -> f32 {
    WEIGHTS.name_weight(level, person)
}

/// The fields besides the name that back a pair up or speak against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Check {
    Phone,
    Email,
    Postal,
}

impl Check {
    pub const ALL: [Check; 3] = [Check::Phone, Check::Email, Check::Postal];

    pub fn of(self, e: &Evidence) -> Agreement {
        match self {
            Check::Phone => e.phone,
            Check::Email => e.email,
            Check::Postal => e.postal,
        }
    }
}

impl Weights {
    pub fn name_weight(&self, level: NameLevel, person: bool) -> f32 {
        self.name[level as usize][usize::from(person)]
    }

    pub fn field_weight(&self, level: NameLevel, check: Check, agreement: Agreement) -> f32 {
        self.fields[usize::from(!level.same_words())][check as usize][agreement as usize]
    }

    /// The total weight of `e`, or `None` when the rules above rule the pair out.
    pub fn weigh(&self, e: &Evidence) -> Option<f32> {
        let needs_backing = matches!(
            e.name,
            NameLevel::Typo1
                | NameLevel::Typo2
                | NameLevel::TypoShortWord
                | NameLevel::ExtraDescriptor
                | NameLevel::ExtraWord
                | NameLevel::ExtraWords
        );
        if needs_backing && !e.corroborated() {
            return None;
        }
        let fields: f32 = Check::ALL
            .iter()
            .map(|&c| self.field_weight(e.name, c, c.of(e)))
            .sum();
        Some(self.name_weight(e.name, e.person) + fields)
    }
}

/// [`Weights::weigh`] with the weights in use.
pub fn weigh(e: &Evidence) -> Option<f32> {
    WEIGHTS.weigh(e)
}

/// A pair whose evidence adds up to this many bits is a likely pair.
pub const THRESHOLD: f32 = WEIGHTS.threshold;

/// How sure the search is that two customers are one, 0–100: 50 at the threshold, and every
/// two bits of evidence above it take it most of the way again towards 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

impl Score {
    pub fn from_weight(weight: f32) -> Score {
        let odds = (weight - THRESHOLD).exp2();
        Score((100.0 * odds / (1.0 + odds)).round().clamp(0.0, 100.0) as u8)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(name: NameLevel, phone: Agreement) -> Evidence {
        Evidence {
            name,
            local_form: 0,
            qb_form: 0,
            person: false,
            phone,
            email: Agreement::Missing,
            postal: Agreement::Missing,
        }
    }

    #[test]
    fn typos_and_extra_words_need_backing() {
        for level in [
            NameLevel::Typo1,
            NameLevel::Typo2,
            NameLevel::TypoShortWord,
            NameLevel::ExtraDescriptor,
            NameLevel::ExtraWord,
            NameLevel::ExtraWords,
        ] {
            assert_eq!(weigh(&evidence(level, Agreement::Missing)), None);
            assert_eq!(weigh(&evidence(level, Agreement::Different)), None);
            assert!(weigh(&evidence(level, Agreement::Same)).is_some());
        }
        assert!(weigh(&evidence(NameLevel::Normalised, Agreement::Missing)).is_some());
    }

    #[test]
    fn score_is_fifty_at_the_threshold_and_rises() {
        assert_eq!(Score::from_weight(THRESHOLD).get(), 50);
        assert!(Score::from_weight(THRESHOLD + 4.0) > Score::from_weight(THRESHOLD + 1.0));
        assert_eq!(Score::from_weight(THRESHOLD + 40.0).get(), 100);
        assert_eq!(Score::from_weight(THRESHOLD - 40.0).get(), 0);
    }
}
