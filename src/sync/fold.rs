//! The same ListID listed twice in one read is one customer (SPEC §3).
//!
//! QuickBooks' iterators are no snapshots: a customer changed while custsync pages through the
//! list is met again at the end, with its new EditSequence (schema-valid, and what a busy
//! company does). Matching and code allocation must see it once, or it would be offered for
//! import twice and linked twice. Folding keeps the newest copy, in the first copy's place (the
//! list's order stays QuickBooks').

use rustc_hash::FxHashMap;

use crate::qbxml::{CustomerRet, QbDateTime};

/// Folds every ListID listed more than once into one customer: the newest copy (by
/// EditSequence, then TimeModified, then the later in the read), where the first copy was.
/// Returns how many copies were dropped.
pub fn fold_duplicates(qb: &mut Vec<CustomerRet>) -> usize {
    // (first position, a later copy's position), in read order. Nearly always empty: the map
    // borrows the ListIDs instead of copying 100,000 of them.
    let repeats: Vec<(usize, usize)> = {
        let mut first: FxHashMap<&str, usize> = FxHashMap::default();
        first.reserve(qb.len());
        qb.iter()
            .enumerate()
            .filter_map(|(i, c)| match first.entry(c.list_id.as_str()) {
                std::collections::hash_map::Entry::Occupied(e) => Some((*e.get(), i)),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i);
                    None
                }
            })
            .collect()
    };
    if repeats.is_empty() {
        return 0;
    }
    let mut drop = vec![false; qb.len()];
    for &(first, later) in &repeats {
        if is_newer(&qb[later], &qb[first]) {
            qb.swap(first, later);
        }
        drop[later] = true;
    }
    let mut i = 0;
    qb.retain(|_| {
        let keep = !drop[i];
        i += 1;
        keep
    });
    repeats.len()
}

/// Whether `a` is a newer copy of the same customer than `b`. QuickBooks raises EditSequence
/// with every change (a number in practice, compared as one when both are); TimeModified tells
/// otherwise; a copy met later in the read is the newer when neither tells.
fn is_newer(a: &CustomerRet, b: &CustomerRet) -> bool {
    let number = |c: &CustomerRet| c.edit_sequence.as_deref()?.trim().parse::<u64>().ok();
    if let (Some(x), Some(y)) = (number(a), number(b))
        && x != y
    {
        return x > y;
    }
    let time = |c: &CustomerRet| QbDateTime::parse(c.time_modified.as_deref()?).ok()?.unix();
    if let (Some(x), Some(y)) = (time(a), time(b))
        && x != y
    {
        return x > y;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbxml::{CustomerData, Field};

    fn ret(list_id: &str, seq: Option<&str>, time: Option<&str>, phone: &str) -> CustomerRet {
        CustomerRet {
            list_id: list_id.into(),
            edit_sequence: seq.map(str::to_string),
            time_modified: time.map(str::to_string),
            data: CustomerData::new()
                .with(Field::Name, list_id)
                .with(Field::Phone, phone),
            ..Default::default()
        }
    }

    fn phones(qb: &[CustomerRet]) -> Vec<(&str, &str)> {
        qb.iter()
            .map(|c| (c.list_id.as_str(), c.data.get(Field::Phone).unwrap_or("")))
            .collect()
    }

    #[test]
    fn the_newest_copy_stays_where_the_first_was() {
        let mut qb = vec![
            ret("A", Some("10"), None, "old"),
            ret("B", Some("5"), None, "b"),
            ret("A", Some("12"), None, "new"),
        ];
        assert_eq!(fold_duplicates(&mut qb), 1);
        assert_eq!(phones(&qb), [("A", "new"), ("B", "b")]);
    }

    #[test]
    fn edit_sequence_is_compared_as_a_number_then_time_then_read_order() {
        // "9" < "10" as numbers, not as text.
        let mut qb = vec![
            ret("A", Some("10"), None, "ten"),
            ret("A", Some("9"), None, "nine"),
        ];
        fold_duplicates(&mut qb);
        assert_eq!(phones(&qb), [("A", "ten")]);
        let mut qb = vec![
            ret("A", None, Some("2026-03-04T09:00:05-05:00"), "later"),
            ret("A", None, Some("2026-03-04T09:00:01-05:00"), "earlier"),
        ];
        fold_duplicates(&mut qb);
        assert_eq!(phones(&qb), [("A", "later")]);
        let mut qb = vec![
            ret("A", None, None, "first"),
            ret("A", None, None, "second"),
        ];
        fold_duplicates(&mut qb);
        assert_eq!(phones(&qb), [("A", "second")]);
    }

    #[test]
    fn three_copies_fold_to_one_and_a_list_without_repeats_is_untouched() {
        let mut qb = vec![
            ret("A", Some("1"), None, "1"),
            ret("A", Some("3"), None, "3"),
            ret("B", Some("1"), None, "b"),
            ret("A", Some("2"), None, "2"),
        ];
        assert_eq!(fold_duplicates(&mut qb), 2);
        assert_eq!(phones(&qb), [("A", "3"), ("B", "b")]);
        let before = qb.clone();
        assert_eq!(fold_duplicates(&mut qb), 0);
        assert_eq!(qb, before);
    }
}
