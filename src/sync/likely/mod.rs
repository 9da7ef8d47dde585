//! Likely duplicates: the same customer written differently on the two sides (issue 9).
//!
//! After the exact rules (link, account number, name) the customers left unpaired on each side
//! are compared here. "Acme Supply, Inc." and "Acme Supply Inc" with the same phone are one
//! customer to be linked, not one to export and another to import. Nothing here links or adds
//! anything: the plan shows each likely pair to the operator with its score and reasons.
//!
//! Evidence: names after normalising ([`name`]: case, accents, punctuation, `&`/and,
//! abbreviations, plurals, legal suffixes, a leading The, "Last, First"), joined or split words,
//! the same words reordered, small typos and an added or dropped word (these two only with a
//! phone, email or postal code to back them), and whether phone, email and postal code agree
//! ([`contact`]). Names that differ in a number or a word like North/South are never alike
//! ([`name::Normaliser::markers`]). Weights and threshold: [`score`]. Only customers sharing a
//! blocking key are compared ([`index`]), so the search is near-linear.
//!
//! A pair is one SMSTurbo and one QuickBooks customer. A customer may have several candidates;
//! all are kept, best first, and each pair can be looked up from either side
//! ([`LikelyDuplicates::for_local`], [`LikelyDuplicates::for_qb`]).

mod contact;
mod evidence;
mod explain;
mod index;
mod name;
mod prepared;
#[cfg(test)]
mod quality;
pub mod reasons;
mod score;
#[cfg(test)]
mod tests;
mod unpaired;
mod words;

pub use reasons::{
    Difference, Differences, NameField, NameMatch, NameReason, Reason, Reasons, Side,
};
pub use score::Score;
pub use unpaired::{LikelyDuplicate, Unpaired};

use crate::qbxml::{CustomerData, Field};
use crate::store::Customer;

use explain::Explainer;
use prepared::PreparedSide;

/// The fields of one customer the search reads. Blank or empty means absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record<'a> {
    pub name: &'a str,
    /// SMSTurbo's QuickBooks name override (empty on the QuickBooks side).
    pub qb_name: &'a str,
    pub company: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub postal_code: &'a str,
}

impl<'a> Record<'a> {
    /// The fields of a customer's mapped values (either side). The postal code is the billing
    /// one, or the shipping one when there is no billing address.
    pub fn from_data(data: &'a CustomerData) -> Record<'a> {
        let get = |f| data.get(f).unwrap_or("");
        Record {
            name: get(Field::Name),
            qb_name: "",
            company: get(Field::CompanyName),
            first_name: get(Field::FirstName),
            last_name: get(Field::LastName),
            phone: get(Field::Phone),
            email: get(Field::Email),
            postal_code: data
                .get(Field::BillPostalCode)
                .or_else(|| data.get(Field::ShipPostalCode))
                .unwrap_or(""),
        }
    }

    /// An SMSTurbo customer, with its QuickBooks name override.
    pub fn from_customer(c: &'a Customer) -> Record<'a> {
        Record {
            qb_name: c.qb_name.as_deref().unwrap_or(""),
            ..Record::from_data(&c.data)
        }
    }

    /// The text of one of its names, in one or two parts.
    fn name_parts(&self, field: NameField) -> (&'a str, &'a str) {
        match field {
            NameField::Name => (self.name, ""),
            NameField::QbName => (self.qb_name, ""),
            NameField::CompanyName => (self.company, ""),
            NameField::Person => (self.first_name, self.last_name),
        }
    }
}

/// A customer to search, with the caller's id for it (an index, a code, a ListID…).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate<'a, I> {
    pub id: I,
    pub record: Record<'a>,
}

/// One SMSTurbo and one QuickBooks customer that are probably the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LikelyPair<L, Q> {
    pub local: L,
    pub qb: Q,
    /// Positions of the two customers in the slices given to [`find`].
    pub local_index: usize,
    pub qb_index: usize,
    pub score: Score,
    pub reasons: Reasons,
}

/// Every likely pair found, best first for each customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LikelyDuplicates<L, Q> {
    /// Ordered by local position, then best first.
    pairs: Vec<LikelyPair<L, Q>>,
    /// `pairs[local_start[i]..local_start[i + 1]]` are local `i`'s.
    local_start: Vec<u32>,
    /// Indexes into `pairs`, ordered by QuickBooks position, then best first.
    by_qb: Vec<u32>,
    qb_start: Vec<u32>,
}

impl<L, Q> LikelyDuplicates<L, Q> {
    /// All pairs, by local customer, best first.
    pub fn pairs(&self) -> &[LikelyPair<L, Q>] {
        &self.pairs
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The likely pairs of the local customer at `index` in [`find`]'s `locals`, best first.
    pub fn for_local(&self, index: usize) -> &[LikelyPair<L, Q>] {
        match (self.local_start.get(index), self.local_start.get(index + 1)) {
            (Some(&s), Some(&e)) => &self.pairs[s as usize..e as usize],
            _ => &[],
        }
    }

    /// The likely pairs of the QuickBooks customer at `index` in [`find`]'s `qbs`, best first.
    pub fn for_qb(&self, index: usize) -> impl Iterator<Item = &LikelyPair<L, Q>> {
        let range = match (self.qb_start.get(index), self.qb_start.get(index + 1)) {
            (Some(&s), Some(&e)) => s as usize..e as usize,
            _ => 0..0,
        };
        self.by_qb[range].iter().map(|&i| &self.pairs[i as usize])
    }
}

/// Finds the likely pairs between the customers left unpaired on each side.
pub fn find<L: Copy + Send + Sync, Q: Copy + Send + Sync>(
    locals: &[Candidate<'_, L>],
    qbs: &[Candidate<'_, Q>],
) -> LikelyDuplicates<L, Q> {
    find_split(locals, qbs, HALVES_FROM)
}

/// [`find`], splitting work of `split_from` items or more between two threads.
fn find_split<L: Copy + Send + Sync, Q: Copy + Send + Sync>(
    locals: &[Candidate<'_, L>],
    qbs: &[Candidate<'_, Q>],
    split_from: usize,
) -> LikelyDuplicates<L, Q> {
    // Each side's customers are prepared, then keyed, on their own (two threads when both
    // sides are long): names normalised once is most of the search's time on a long list.
    let apart = locals.len().min(qbs.len()) >= split_from;
    let (ls, qs) = both(
        apart,
        || PreparedSide::new(locals.iter().map(|c| &c.record)),
        || PreparedSide::new(qbs.iter().map(|c| &c.record)),
    );
    let (lk, qk) = both(apart, || index::keyed(&ls), || index::keyed(&qs));
    let blocks = index::Blocks::new(&lk, &qk, locals.len());
    let found = in_halves(locals.len(), split_from, |range| {
        let mut found: Vec<Found> = Vec::new();
        let mut candidates = Vec::new();
        for l in range {
            blocks.candidates(l, &mut candidates);
            let lp = &ls.records[l];
            for &q in &candidates {
                let Some(e) = evidence::compare(&ls, lp, &qs, &qs.records[q as usize]) else {
                    continue;
                };
                if let Some(w) = score::weigh(&e).filter(|&w| w >= score::THRESHOLD) {
                    found.push((l as u32, q, w, e));
                }
            }
        }
        // Best first within each local customer; ties by position, for a stable order. (The
        // halves are ranges of local customers, so joined they stay in order.)
        found.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)).then(a.1.cmp(&b.1)));
        found
    });
    let pairs = in_halves(found.len(), split_from, |range| {
        let mut explainer = Explainer::default();
        found[range]
            .iter()
            .map(|&(l, q, w, ref e)| {
                let (local, qb) = (&locals[l as usize], &qbs[q as usize]);
                LikelyPair {
                    local: local.id,
                    qb: qb.id,
                    local_index: l as usize,
                    qb_index: q as usize,
                    score: Score::from_weight(w),
                    reasons: explainer.reasons(e, (&local.record, &ls), (&qb.record, &qs)),
                }
            })
            .collect()
    });
    let local_start = starts(locals.len(), found.iter().map(|f| f.0));
    let mut by_qb: Vec<u32> = (0..found.len() as u32).collect();
    by_qb.sort_by(|&x, &y| {
        let (a, b) = (&found[x as usize], &found[y as usize]);
        a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0))
    });
    let qb_start = starts(qbs.len(), by_qb.iter().map(|&i| found[i as usize].1));
    LikelyDuplicates {
        pairs,
        local_start,
        by_qb,
        qb_start,
    }
}

/// A pair found: local and QuickBooks positions, weight, evidence.
type Found = (u32, u32, f32, evidence::Evidence);

/// Work over this many items or more is split between two threads.
const HALVES_FROM: usize = 5_000;

/// `work` over `0..n`, in two halves on two threads from `split_from` on, the results joined in
/// order.
fn in_halves<T: Send>(
    n: usize,
    split_from: usize,
    work: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    if n < split_from.max(2) {
        return work(0..n);
    }
    let mid = n / 2;
    std::thread::scope(|scope| {
        let second = scope.spawn(|| work(mid..n));
        let mut first = work(0..mid);
        first.extend(
            second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        first
    })
}

/// `a()` and `b()`, on two threads when `apart`.
fn both<A: Send, B: Send>(
    apart: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !apart {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let b = scope.spawn(b);
        let a = a();
        let b = b
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

/// Where each of `n` groups starts in a list ordered by group.
fn starts(n: usize, groups: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut counts = vec![0u32; n + 1];
    for g in groups {
        counts[g as usize + 1] += 1;
    }
    for i in 1..=n {
        counts[i] += counts[i - 1];
    }
    counts
}
