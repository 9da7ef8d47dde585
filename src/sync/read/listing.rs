//! QuickBooks' customers as planning sees them, made the same way from a full read and from the
//! mirror: that is what makes the incremental plan equal the full-read plan (same rows, in the
//! same order, with the same codes allocated).
//!
//! - One customer per ListID. A full read can list a ListID twice (a customer changed mid-read
//!   comes again at the end); the newest copy is kept, as `sync::fold` keeps it for every
//!   read. The mirror is keyed by ListID already.
//! - A job's FullName and Sublevel follow from its parent, derived here rather than taken as
//!   read: when a QuickBooks user renames or moves a customer, its jobs' FullNames and Sublevels
//!   change without their TimeModified (the sandbox does so; whether QuickBooks touches them is
//!   unconfirmed), so an incremental read would not bring them. The parent's own record is in
//!   the mirror, which makes the derivation right either way. A `ParentRef` whose parent is not
//!   in the list keeps what was read.
//! - QuickBooks' bookkeeping planning never uses (TimeModified, EditSequence, FullName) is
//!   dropped, as the full read of old dropped it: a snapshot of 100,000 customers does not carry
//!   it.
//! - The order is QuickBooks' list order (a parent, then its jobs; by FullName regardless of
//!   case, then ListID), whatever order the customers came in. Planning allocates import codes
//!   in list order, so the order matters to the plan.

use std::collections::{HashMap, HashSet};

use crate::qbxml::{CustomerRet, Field};

/// QuickBooks allows jobs five levels deep; a longer chain of parents is a damaged list.
const MAX_DEPTH: usize = 16;

/// The customers as planning gets them (see the module notes), from records one per ListID
/// ([`crate::sync::fold::fold_duplicates`] for a read that may repeat one). At 100,000 customers this is a
/// measurable part of a synchronization, so the records are changed where they lie and put in
/// order by swapping, the sort keys share one buffer, and the derivation's work and allocations
/// go to the jobs (a few percent of a list).
pub(crate) fn planning_list(mut records: Vec<CustomerRet>) -> Vec<CustomerRet> {
    // Only parents need finding by ListID.
    let wanted: HashSet<&str> = records.iter().filter_map(parent_of).collect();
    let index: HashMap<&str, usize> = if wanted.is_empty() {
        HashMap::new()
    } else {
        records
            .iter()
            .enumerate()
            .filter(|(_, c)| wanted.contains(c.list_id.as_str()))
            .map(|(i, c)| (c.list_id.as_str(), i))
            .collect()
    };
    // Jobs (and their parents) get their FullName and Sublevel from the chain.
    let mut derived: HashMap<usize, (String, Option<u32>)> = HashMap::new();
    for (i, c) in records.iter().enumerate() {
        if c.parent.is_some() {
            derived.insert(i, derive(&records, &index, i));
            if let Some(&p) = parent_of(c).and_then(|id| index.get(id)) {
                derived
                    .entry(p)
                    .or_insert_with(|| derive(&records, &index, p));
            }
        }
    }
    let parent_names: HashMap<usize, Option<String>> = records
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let parent = c.parent.as_ref()?;
            let name = match parent.list_id.as_deref().and_then(|id| index.get(id)) {
                Some(p) => derived.get(p).map(|(name, _)| name.clone()),
                None => parent.full_name.clone(),
            };
            Some((i, name))
        })
        .collect();
    // Sort keys, one buffer for all.
    let mut keys = String::new();
    let mut order: Vec<(u32, u32, usize)> = Vec::with_capacity(records.len());
    for (i, c) in records.iter().enumerate() {
        let start = keys.len();
        match derived.get(&i) {
            Some((full_name, _)) => push_sort_key(&mut keys, full_name),
            None => push_sort_key(&mut keys, c.data.get(Field::Name).unwrap_or("")),
        }
        order.push((offset(start), offset(keys.len()), i));
    }
    let key = |&(a, b, _): &(u32, u32, usize)| &keys[a as usize..b as usize];
    order.sort_unstable_by(|x, y| {
        key(x)
            .cmp(key(y))
            .then_with(|| records[x.2].list_id.cmp(&records[y.2].list_id))
    });
    drop(index);
    drop(wanted);
    let mut parent_names = parent_names;
    for (i, c) in records.iter_mut().enumerate() {
        c.time_created = None;
        c.time_modified = None;
        c.edit_sequence = None;
        c.full_name = None;
        c.external_guid = None;
        if let Some((_, sublevel)) = derived.get(&i) {
            c.sublevel = *sublevel;
        }
        if let Some(parent) = &mut c.parent {
            parent.full_name = parent_names.remove(&i).flatten();
        }
    }
    let to: Vec<usize> = order.into_iter().map(|(_, _, i)| i).collect();
    permute(&mut records, to);
    records
}

/// Puts `items[to[k]]` at position `k`, by swapping along the permutation's cycles.
fn permute<T>(items: &mut [T], mut to: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        while to[at] != start {
            let next = to[at];
            items.swap(at, next);
            to[at] = at;
            at = next;
        }
        to[at] = at;
    }
}

/// A position in the sort-key buffer; the keys of a list QuickBooks can hold fit in `u32`.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn parent_of(c: &CustomerRet) -> Option<&str> {
    c.parent.as_ref().and_then(|p| p.list_id.as_deref())
}

/// The FullName and Sublevel of record `i`, from its chain of parents.
fn derive(
    records: &[CustomerRet],
    index: &HashMap<&str, usize>,
    i: usize,
) -> (String, Option<u32>) {
    let name = |c: &CustomerRet| c.data.get(Field::Name).unwrap_or("").to_string();
    // Walk up to the top (or to a parent that is not in the list), then build down.
    let mut chain = vec![i];
    let mut top = i;
    while let Some(p) = records[top]
        .parent
        .as_ref()
        .and_then(|p| p.list_id.as_deref())
        .and_then(|id| index.get(id).copied())
    {
        if chain.len() > MAX_DEPTH || chain.contains(&p) {
            break;
        }
        chain.push(p);
        top = p;
    }
    // The root is top level, or under a parent the list lacks (a damaged chain ends the same
    // way): then its parent's FullName is taken as read.
    let root = &records[top];
    let mut full_name = match root.parent.as_ref().and_then(|p| p.full_name.as_deref()) {
        Some(parent) => format!("{parent}:{}", name(root)),
        None => name(root),
    };
    let mut sublevel = root.sublevel;
    for &j in chain.iter().rev().skip(1) {
        full_name = format!("{full_name}:{}", name(&records[j]));
        sublevel = Some(sublevel.unwrap_or(0) + 1);
    }
    (full_name, sublevel)
}

/// QuickBooks' list order: by FullName regardless of case, a parent right before its jobs
/// (`:` sorts before every character a name may hold).
fn push_sort_key(keys: &mut String, full_name: &str) {
    if full_name.is_ascii() {
        keys.extend(full_name.bytes().map(|b| match b {
            b':' => '\u{1}',
            b => char::from(b.to_ascii_lowercase()),
        }));
    } else {
        keys.push_str(&full_name.to_lowercase().replace(':', "\u{1}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbxml::{CustomerData, ListRef};

    fn rec(list_id: &str, name: &str, parent: Option<&str>, sublevel: u32) -> CustomerRet {
        CustomerRet {
            list_id: list_id.into(),
            time_modified: Some("2026-12-06T10:15:00-08:00".into()),
            edit_sequence: Some("1".into()),
            full_name: Some("as read".into()),
            data: CustomerData::new().with(Field::Name, name),
            parent: parent.map(|p| ListRef {
                list_id: Some(p.into()),
                full_name: Some("stale".into()),
            }),
            sublevel: Some(sublevel),
            ..CustomerRet::default()
        }
    }

    fn names(list: &[CustomerRet]) -> Vec<(String, Option<String>, Option<u32>)> {
        list.iter()
            .map(|c| {
                (
                    c.data.get(Field::Name).unwrap().to_string(),
                    c.parent.as_ref().and_then(|p| p.full_name.clone()),
                    c.sublevel,
                )
            })
            .collect()
    }

    #[test]
    fn jobs_take_their_names_and_levels_from_their_parents() {
        let list = planning_list(vec![
            rec("3", "Kitchen", Some("2"), 1),
            rec("2", "Zed", Some("1"), 0),
            rec("1", "Acme", None, 0),
            rec("4", "Beta", None, 0),
        ]);
        assert_eq!(
            names(&list),
            [
                ("Acme".into(), None, Some(0)),
                ("Zed".into(), Some("Acme".into()), Some(1)),
                ("Kitchen".into(), Some("Acme:Zed".into()), Some(2)),
                ("Beta".into(), None, Some(0)),
            ]
        );
        assert!(list.iter().all(|c| c.time_modified.is_none()
            && c.edit_sequence.is_none()
            && c.full_name.is_none()));
    }

    #[test]
    fn a_listid_read_twice_keeps_the_newest_copy_and_unknown_parents_stay_as_read() {
        let mut again = rec("1", "Acme Renamed", None, 0);
        again.edit_sequence = Some("2".into());
        let mut read = vec![
            rec("1", "Acme", None, 0),
            rec("9", "Orphan", Some("404"), 1),
            again,
        ];
        assert_eq!(crate::sync::fold::fold_duplicates(&mut read), 1);
        let list = planning_list(read);
        assert_eq!(
            names(&list),
            [
                ("Acme Renamed".into(), None, Some(0)),
                ("Orphan".into(), Some("stale".into()), Some(1)),
            ]
        );
    }

    #[test]
    fn a_permutation_puts_each_item_where_it_goes() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, vec![2, 0, 4, 3, 1]);
        assert_eq!(items, ['c', 'a', 'e', 'd', 'b']);
    }

    #[test]
    fn a_damaged_chain_of_parents_ends() {
        let list = planning_list(vec![
            rec("1", "A", Some("2"), 1),
            rec("2", "B", Some("1"), 1),
        ]);
        assert_eq!(list.len(), 2);
    }
}
