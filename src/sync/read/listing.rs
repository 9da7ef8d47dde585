//! QuickBooks' customers as planning sees them, made the same way from a full read and from the
//! mirror: that is what makes the incremental plan equal the full-read plan (same rows, in the
//! same order, with the same codes allocated).
//!
//! - One customer per ListID. A full read can list a ListID twice (a customer changed mid-read
//!   comes again at the end); the later copy is the newer and wins. The mirror is keyed by
//!   ListID already.
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

use std::collections::HashMap;

use crate::qbxml::{CustomerRet, Field, ListRef};

/// QuickBooks allows jobs five levels deep; a longer chain of parents is a damaged list.
const MAX_DEPTH: usize = 16;

/// The customers as planning gets them (see the module notes).
pub(crate) fn planning_list(records: Vec<CustomerRet>) -> Vec<CustomerRet> {
    let records = fold_by_list_id(records);
    let index: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, c)| (c.list_id.as_str(), i))
        .collect();
    let derived: Vec<(String, Option<u32>)> = (0..records.len())
        .map(|i| derive(&records, &index, i))
        .collect();
    let parent_names: Vec<Option<String>> = records
        .iter()
        .map(|c| {
            let parent = c.parent.as_ref()?;
            let known = parent.list_id.as_deref().and_then(|id| index.get(id));
            match known {
                Some(&p) => Some(derived[p].0.clone()),
                None => parent.full_name.clone(),
            }
        })
        .collect();
    let mut out: Vec<(String, CustomerRet)> = records
        .into_iter()
        .zip(derived)
        .zip(parent_names)
        .map(|((c, (full_name, sublevel)), parent_name)| {
            let key = sort_key(&full_name);
            let parent = c.parent.map(|p| ListRef {
                list_id: p.list_id,
                full_name: parent_name,
            });
            (
                key,
                CustomerRet {
                    list_id: c.list_id,
                    data: c.data,
                    is_active: c.is_active,
                    parent,
                    sublevel,
                    job_type: c.job_type,
                    ..CustomerRet::default()
                },
            )
        })
        .collect();
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.list_id.cmp(&b.1.list_id)));
    out.into_iter().map(|(_, c)| c).collect()
}

/// One record per ListID, the last one read kept, in first-seen order.
pub(super) fn fold_by_list_id(records: Vec<CustomerRet>) -> Vec<CustomerRet> {
    let mut at: HashMap<String, usize> = HashMap::with_capacity(records.len());
    let mut out: Vec<CustomerRet> = Vec::with_capacity(records.len());
    for c in records {
        match at.get(&c.list_id) {
            Some(&i) => out[i] = c,
            None => {
                at.insert(c.list_id.clone(), out.len());
                out.push(c);
            }
        }
    }
    out
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
fn sort_key(full_name: &str) -> String {
    full_name.to_lowercase().replace(':', "\u{1}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbxml::CustomerData;

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
    fn a_listid_read_twice_keeps_the_later_copy_and_unknown_parents_stay_as_read() {
        let mut again = rec("1", "Acme Renamed", None, 0);
        again.edit_sequence = Some("2".into());
        let list = planning_list(vec![
            rec("1", "Acme", None, 0),
            rec("9", "Orphan", Some("404"), 1),
            again,
        ]);
        assert_eq!(
            names(&list),
            [
                ("Acme Renamed".into(), None, Some(0)),
                ("Orphan".into(), Some("stale".into()), Some(1)),
            ]
        );
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
