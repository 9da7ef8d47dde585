//! Typed positions into the two customer lists a synchronization reads ([`Snapshot::locals`] and
//! [`Snapshot::qb`](super::Snapshot::qb)). Matching, planning and applying refer to customers by
//! position; with one index type per list, a position in the SMSTurbo list cannot be used on the
//! QuickBooks list (it does not compile).
//!
//! [`Snapshot::locals`]: super::Snapshot::locals
//!
//! ```
//! # use custsync::sync::{LocalIx, Snapshot};
//! fn name(s: &Snapshot, ix: LocalIx) -> &str {
//!     s.locals[ix].name()
//! }
//! ```
//!
//! ```compile_fail
//! # use custsync::sync::{LocalIx, Snapshot};
//! fn list_id(s: &Snapshot, ix: LocalIx) -> &str {
//!     &s.qb[ix].list_id // a local position on the QuickBooks list
//! }
//! ```

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Index;

use crate::qbxml::CustomerRet;
use crate::store::Customer;

/// A position in a `[T]`; it indexes only slices of `T`.
pub struct Ix<T> {
    at: usize,
    of: PhantomData<fn() -> T>,
}

/// A position in the SMSTurbo customer list ([`Snapshot::locals`](super::Snapshot::locals)).
pub type LocalIx = Ix<Customer>;
/// A position in the QuickBooks customer list ([`Snapshot::qb`](super::Snapshot::qb)).
pub type QbIx = Ix<CustomerRet>;

impl<T> Ix<T> {
    pub(crate) const fn new(at: usize) -> Self {
        Ix {
            at,
            of: PhantomData,
        }
    }

    /// The raw position, for tables kept alongside the list (e.g. "already matched" flags).
    pub fn get(self) -> usize {
        self.at
    }
}

/// Typed access to a customer list.
pub trait IxSlice<T> {
    /// Every element with its position.
    fn enumerate_ix<'a>(&'a self) -> impl Iterator<Item = (Ix<T>, &'a T)>
    where
        T: 'a;
    /// Every position.
    fn indices(&self) -> impl Iterator<Item = Ix<T>>;
    /// The element at `ix`, if the list has it (a position from an older snapshot may not).
    fn at(&self, ix: Ix<T>) -> Option<&T>;
}

impl<T> IxSlice<T> for [T] {
    fn enumerate_ix<'a>(&'a self) -> impl Iterator<Item = (Ix<T>, &'a T)>
    where
        T: 'a,
    {
        self.iter().enumerate().map(|(i, x)| (Ix::new(i), x))
    }

    fn indices(&self) -> impl Iterator<Item = Ix<T>> {
        (0..self.len()).map(Ix::new)
    }

    fn at(&self, ix: Ix<T>) -> Option<&T> {
        self.get(ix.at)
    }
}

impl<T> Index<Ix<T>> for [T] {
    type Output = T;

    fn index(&self, ix: Ix<T>) -> &T {
        &self[ix.at]
    }
}

impl<T> Index<Ix<T>> for Vec<T> {
    type Output = T;

    fn index(&self, ix: Ix<T>) -> &T {
        &self[ix.at]
    }
}

/// One flag per element of a list, set and read by typed index (e.g. "already matched").
pub(crate) struct Marks<T> {
    marks: Vec<bool>,
    of: PhantomData<fn() -> T>,
}

impl<T> Marks<T> {
    /// The flags of `list`, each set when `marked` says so.
    pub(crate) fn of(list: &[T], marked: impl Fn(&T) -> bool) -> Self {
        Marks {
            marks: list.iter().map(marked).collect(),
            of: PhantomData,
        }
    }

    pub(crate) fn is(&self, ix: Ix<T>) -> bool {
        self.marks[ix.at]
    }

    pub(crate) fn set(&mut self, ix: Ix<T>) {
        self.marks[ix.at] = true;
    }

    pub(crate) fn unmarked_count(&self) -> usize {
        self.marks.iter().filter(|m| !**m).count()
    }

    /// The positions not marked, in order.
    pub(crate) fn unmarked(&self) -> Vec<Ix<T>> {
        (0..self.marks.len())
            .filter(|&i| !self.marks[i])
            .map(Ix::new)
            .collect()
    }
}

// Written out: derives would ask `T` for the same traits, and an index is a number whatever
// it indexes.
impl<T> Clone for Ix<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Ix<T> {}

impl<T> PartialEq for Ix<T> {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}

impl<T> Eq for Ix<T> {}

impl<T> PartialOrd for Ix<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Ix<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at.cmp(&other.at)
    }
}

impl<T> Hash for Ix<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.at.hash(state);
    }
}

impl<T> fmt::Debug for Ix<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CustomerStatus;

    #[test]
    fn an_index_reads_its_own_list_and_says_when_it_is_out_of_range() {
        let locals: &[Customer] = &[
            Customer::new("A1", "Alpha", CustomerStatus::Active),
            Customer::new("B1", "Beta", CustomerStatus::Active),
        ];
        let ix: Vec<LocalIx> = locals.indices().collect();
        assert_eq!(locals[ix[1]].code(), "B1");
        assert_eq!(locals.at(ix[0]).map(Customer::code), Some("A1"));
        assert!(locals[..1].at(ix[1]).is_none());
        let named: Vec<_> = locals
            .enumerate_ix()
            .map(|(i, c)| (i.get(), c.name()))
            .collect();
        assert_eq!(named, [(0, "Alpha"), (1, "Beta")]);
    }
}
