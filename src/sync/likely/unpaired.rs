//! The search as planning runs it: between every SMSTurbo and every top-level QuickBooks
//! customer the exact rules left unpaired, so that a local-only and a QuickBooks-only customer
//! that look alike are one likely pair, not one export and one import.
//!
//! Customers a filter keeps out of the panes (an export status not checked, a customer type not
//! included) take part: importing "Acme Supply Inc" while SMSTurbo has "Acme Supply, Inc." on
//! hold would still make a second SMSTurbo customer.

use crate::qbxml::{CustomerRet, Field};
use crate::store::Customer;
use crate::sync::index::{LocalIx, QbIx};

use super::{Candidate, LikelyDuplicates, LikelyPair, Reasons, Record, Score, find};

/// A likely duplicate of a plan row: the customer on the other side, how sure the search is, and
/// why. A row's list is best first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LikelyDuplicate<I> {
    pub other: I,
    pub score: Score,
    pub reasons: Reasons,
}

impl LikelyDuplicate<QbIx> {
    /// "looks like QuickBooks' 'Acme Supply Inc' (same phone; name differs only in
    /// punctuation)": what an SMSTurbo customer's row says, after a "≈".
    pub fn looks_like(&self, qb: &[CustomerRet]) -> String {
        let name = qb[self.other].data.get(Field::Name).unwrap_or("");
        format!("looks like QuickBooks' '{name}' ({})", self.reasons)
    }
}

impl LikelyDuplicate<LocalIx> {
    /// "looks like SMSTurbo's C7 'Acme Supply, Inc.' (same phone; …)": what a QuickBooks
    /// customer's row says, after a "≈".
    pub fn looks_like(&self, locals: &[Customer]) -> String {
        let c = &locals[self.other];
        format!(
            "looks like SMSTurbo's {} '{}' ({})",
            c.code(),
            c.name(),
            self.reasons
        )
    }
}

/// The likely pairs among the unpaired customers, by customer.
pub struct Unpaired {
    found: LikelyDuplicates<LocalIx, QbIx>,
    /// The customers searched, ascending: a customer's position here is its position in the
    /// search.
    locals: Vec<LocalIx>,
    qbs: Vec<QbIx>,
}

impl Unpaired {
    /// Searches `local_only` (positions in `locals`) against `qb_only` (positions in `qb`).
    pub fn search(
        locals: &[Customer],
        local_only: &[LocalIx],
        qb: &[CustomerRet],
        qb_only: &[QbIx],
    ) -> Unpaired {
        let mut local_only = local_only.to_vec();
        local_only.sort_unstable();
        let mut qb_only = qb_only.to_vec();
        qb_only.sort_unstable();
        let local_candidates: Vec<Candidate<'_, LocalIx>> = local_only
            .iter()
            .map(|&l| Candidate {
                id: l,
                record: Record::from_customer(&locals[l]),
            })
            .collect();
        let qb_candidates: Vec<Candidate<'_, QbIx>> = qb_only
            .iter()
            .map(|&q| Candidate {
                id: q,
                record: Record::from_data(&qb[q].data),
            })
            .collect();
        Unpaired {
            found: find(&local_candidates, &qb_candidates),
            locals: local_only,
            qbs: qb_only,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The QuickBooks customers SMSTurbo customer `l` looks like, best first.
    pub fn of_local(&self, l: LocalIx) -> Vec<LikelyDuplicate<QbIx>> {
        let pairs = match self.locals.binary_search(&l) {
            Ok(i) => self.found.for_local(i),
            Err(_) => &[],
        };
        pairs.iter().map(|p| duplicate(p, p.qb)).collect()
    }

    /// The SMSTurbo customers QuickBooks customer `q` looks like, best first.
    pub fn of_qb(&self, q: QbIx) -> Vec<LikelyDuplicate<LocalIx>> {
        match self.qbs.binary_search(&q) {
            Ok(i) => self
                .found
                .for_qb(i)
                .map(|p| duplicate(p, p.local))
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

fn duplicate<I>(p: &LikelyPair<LocalIx, QbIx>, other: I) -> LikelyDuplicate<I> {
    LikelyDuplicate {
        other,
        score: p.score,
        reasons: p.reasons.clone(),
    }
}
