//! Deciding which SMSTurbo customer is which QuickBooks customer (SPEC §3).
//!
//! Rules, in order: (1) a stored link (code ⇔ ListID for this company file); (2) QuickBooks'
//! AccountNumber equals the SMSTurbo code; (3) names equal ignoring case and surrounding spaces.
//! Each rule runs over what the earlier rules left unmatched. Within a rule, candidates form a
//! bipartite graph; only a component of exactly one SMSTurbo and one QuickBooks customer becomes a
//! pair. Anything larger is ambiguous and goes to review: linking automatically would risk merging
//! two real customers, and exporting would risk a duplicate.
//!
//! QuickBooks jobs (sub-customers) are not SMSTurbo customers: they take no part.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use super::index::{IxSlice, LocalIx, Marks, QbIx};
use super::keys::CiKey;
use crate::qbxml::{CustomerRet, Field};
use crate::store::Customer;

/// Why two customers were paired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchedBy {
    Link,
    AccountNumber,
    Name,
}

impl MatchedBy {
    pub fn describe(self) -> &'static str {
        match self {
            MatchedBy::Link => "linked",
            MatchedBy::AccountNumber => "same code / account number",
            MatchedBy::Name => "same name",
        }
    }
}

/// An SMSTurbo customer (index into the local list) and the QuickBooks customer (index into the
/// QuickBooks list) it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub local: LocalIx,
    pub qb: QbIx,
    pub by: MatchedBy,
}

/// Customers that could be each other but not one-to-one: a person must decide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub locals: Vec<LocalIx>,
    pub qbs: Vec<QbIx>,
    pub by: MatchedBy,
}

/// A stored link to a ListID that is not in QuickBooks any more (deleted or merged there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleLink {
    pub local: LocalIx,
    pub list_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matching {
    pub pairs: Vec<Pair>,
    pub reviews: Vec<Review>,
    /// SMSTurbo customers with no QuickBooks counterpart and no ambiguity.
    pub local_only: Vec<LocalIx>,
    /// Top-level QuickBooks customers with no SMSTurbo counterpart and no ambiguity.
    pub qb_only: Vec<QbIx>,
    pub stale_links: Vec<StaleLink>,
}

/// A stored link, as the matcher needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRef<'a> {
    pub code: &'a str,
    pub list_id: &'a str,
}

/// Normalises a name for comparison: case and surrounding spaces do not count.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// SMSTurbo customers by code. Codes are unique (case-insensitively; the store enforces it), so
/// a code names at most one customer. Built once per plan and shared by matching and by the
/// allocation of codes for imports.
pub struct LocalCodes<'a> {
    by_code: FxHashMap<CiKey<'a>, LocalIx>,
}

impl<'a> LocalCodes<'a> {
    pub fn new(locals: &'a [Customer]) -> Self {
        let mut by_code = FxHashMap::default();
        by_code.reserve(locals.len());
        for (i, c) in locals.enumerate_ix() {
            if let Some(k) = CiKey::new(c.code()) {
                by_code.entry(k).or_insert(i);
            }
        }
        LocalCodes { by_code }
    }

    pub fn get(&self, code: &str) -> Option<LocalIx> {
        CiKey::new(code).and_then(|k| self.by_code.get(&k).copied())
    }

    pub fn contains(&self, code: &str) -> bool {
        self.get(code).is_some()
    }
}

/// Matches `locals` against `qb` (all customers read from QuickBooks, jobs included; jobs are
/// ignored here).
pub fn match_customers(locals: &[Customer], qb: &[CustomerRet], links: &[LinkRef<'_>]) -> Matching {
    match_indexed(locals, &LocalCodes::new(locals), qb, links)
}

/// [`match_customers`] with the local codes already indexed.
pub fn match_indexed(
    locals: &[Customer],
    codes: &LocalCodes<'_>,
    qb: &[CustomerRet],
    links: &[LinkRef<'_>],
) -> Matching {
    let mut local_done = Marks::of(locals, |_| false);
    // Jobs are never matched, so they start out "done".
    let mut qb_done = Marks::of(qb, CustomerRet::is_job);
    let mut result = Matching::default();

    // Rule 1: stored links.
    if !links.is_empty() {
        let by_list_id: FxHashMap<&str, QbIx> = qb
            .enumerate_ix()
            .filter(|(_, c)| !c.is_job())
            .map(|(i, c)| (c.list_id.as_str(), i))
            .collect();
        for link in links {
            let Some(l) = codes.get(link.code) else {
                continue; // the SMSTurbo customer was deleted; nothing to match
            };
            if local_done.is(l) {
                continue;
            }
            match by_list_id.get(link.list_id) {
                Some(&q) if !qb_done.is(q) => {
                    local_done.set(l);
                    qb_done.set(q);
                    result.pairs.push(Pair {
                        local: l,
                        qb: q,
                        by: MatchedBy::Link,
                    });
                }
                Some(_) => {}
                None => result.stale_links.push(StaleLink {
                    local: l,
                    list_id: link.list_id.to_string(),
                }),
            }
        }
    }

    // Rule 2: account number = code. A code names one SMSTurbo customer, so each QuickBooks
    // customer has at most one candidate; several QuickBooks customers wanting the same one is
    // an ambiguity for review.
    let mut hits: Vec<(LocalIx, QbIx)> = qb
        .enumerate_ix()
        .filter(|(q, _)| !qb_done.is(*q))
        .filter_map(|(q, r)| {
            let l = codes.get(r.data.get(Field::AccountNumber)?)?;
            (!local_done.is(l)).then_some((l, q))
        })
        .collect();
    hits.sort_unstable();
    for group in hits.chunk_by(|a, b| a.0 == b.0) {
        let l = group[0].0;
        local_done.set(l);
        for &(_, q) in group {
            qb_done.set(q);
        }
        if let [(_, q)] = group {
            result.pairs.push(Pair {
                local: l,
                qb: *q,
                by: MatchedBy::AccountNumber,
            });
        } else {
            result.reviews.push(Review {
                locals: vec![l],
                qbs: group.iter().map(|&(_, q)| q).collect(),
                by: MatchedBy::AccountNumber,
            });
        }
    }

    // Rule 3: names. The SMSTurbo side offers both its name and its QuickBooks name override.
    let rule = Rule {
        by: MatchedBy::Name,
        local_keys: local_name_keys,
        qb_key: qb_name_key,
    };
    rule.run(locals, qb, &mut local_done, &mut qb_done, &mut result);

    result.local_only = local_done.unmarked();
    result.qb_only = qb_done.unmarked();
    result
}

fn local_name_keys(c: &Customer) -> [Option<CiKey<'_>>; 2] {
    let name = CiKey::new(c.name());
    let qb_name = CiKey::new(c.name_for_qb()).filter(|k| Some(*k) != name);
    [name, qb_name]
}

fn qb_name_key(r: &CustomerRet) -> Option<CiKey<'_>> {
    r.data.get(Field::Name).and_then(CiKey::new)
}

/// One matching rule: candidates share a key.
struct Rule {
    by: MatchedBy,
    local_keys: fn(&Customer) -> [Option<CiKey<'_>>; 2],
    qb_key: fn(&CustomerRet) -> Option<CiKey<'_>>,
}

/// QuickBooks customers under one key. Nearly always one, so no allocation for that case.
enum Slot {
    One(QbIx),
    Many(Vec<QbIx>),
}

impl Slot {
    fn as_slice(&self) -> &[QbIx] {
        match self {
            Slot::One(i) => std::slice::from_ref(i),
            Slot::Many(v) => v,
        }
    }
}

impl Rule {
    /// Components of the candidate graph with exactly one customer on each side become pairs;
    /// larger components become reviews and are taken out of later rules (a weaker rule must not
    /// resolve what a stronger one found ambiguous).
    fn run(
        &self,
        locals: &[Customer],
        qb: &[CustomerRet],
        local_done: &mut Marks<Customer>,
        qb_done: &mut Marks<CustomerRet>,
        result: &mut Matching,
    ) {
        let mut qb_by_key: FxHashMap<CiKey<'_>, Slot> = FxHashMap::default();
        // Growing a map re-hashes every key; size it once.
        qb_by_key.reserve(qb_done.unmarked_count());
        for (i, r) in qb.enumerate_ix() {
            if qb_done.is(i) {
                continue;
            }
            if let Some(k) = (self.qb_key)(r) {
                match qb_by_key.entry(k) {
                    Entry::Vacant(e) => {
                        e.insert(Slot::One(i));
                    }
                    Entry::Occupied(mut e) => match e.get_mut() {
                        Slot::One(first) => {
                            let first = *first;
                            e.insert(Slot::Many(vec![first, i]));
                        }
                        Slot::Many(v) => v.push(i),
                    },
                }
            }
        }
        if qb_by_key.is_empty() {
            return;
        }
        // Candidates per local, and how many locals want each QuickBooks customer.
        let mut wanted_by = vec![0u32; qb.len()];
        let mut single: Vec<(LocalIx, QbIx)> = Vec::new();
        let mut tangled: Vec<(LocalIx, Vec<QbIx>)> = Vec::new();
        for (l, c) in locals.enumerate_ix() {
            if local_done.is(l) {
                continue;
            }
            let [a, b] = (self.local_keys)(c);
            let sa = a
                .and_then(|k| qb_by_key.get(&k))
                .map(Slot::as_slice)
                .unwrap_or(&[]);
            let sb = b
                .and_then(|k| qb_by_key.get(&k))
                .map(Slot::as_slice)
                .unwrap_or(&[]);
            match (sa, sb) {
                ([], []) => {}
                ([q], []) | ([], [q]) => {
                    wanted_by[q.get()] += 1;
                    single.push((l, *q));
                }
                _ => {
                    let mut cands: Vec<QbIx> = sa.iter().chain(sb).copied().collect();
                    cands.sort_unstable();
                    cands.dedup();
                    for &q in &cands {
                        wanted_by[q.get()] += 1;
                    }
                    tangled.push((l, cands));
                }
            }
        }
        // Fast path: one candidate that nobody else wants is a pair.
        for (l, q) in single {
            if wanted_by[q.get()] == 1 {
                local_done.set(l);
                qb_done.set(q);
                result.pairs.push(Pair {
                    local: l,
                    qb: q,
                    by: self.by,
                });
            } else {
                tangled.push((l, vec![q]));
            }
        }
        if tangled.is_empty() {
            return;
        }
        // The rest: connected components by union-find; locals are nodes 0..n, QuickBooks
        // customers n.. .
        let n = locals.len();
        let mut uf = UnionFind::new(n + qb.len());
        for (l, cands) in &tangled {
            for &q in cands {
                uf.union(l.get(), n + q.get());
            }
        }
        let mut components: FxHashMap<usize, (Vec<LocalIx>, Vec<QbIx>)> = FxHashMap::default();
        for (l, cands) in &tangled {
            components.entry(uf.find(l.get())).or_default().0.push(*l);
            for &q in cands {
                let comp = components.entry(uf.find(n + q.get())).or_default();
                if !comp.1.contains(&q) {
                    comp.1.push(q);
                }
            }
        }
        let mut comps: Vec<(Vec<LocalIx>, Vec<QbIx>)> = components.into_values().collect();
        // Deterministic output order.
        for (ls, qs) in &mut comps {
            ls.sort_unstable();
            qs.sort_unstable();
        }
        comps.sort_unstable();
        for (ls, qs) in comps {
            for &l in &ls {
                local_done.set(l);
            }
            for &q in &qs {
                qb_done.set(q);
            }
            if let ([l], [q]) = (&ls[..], &qs[..]) {
                result.pairs.push(Pair {
                    local: *l,
                    qb: *q,
                    by: self.by,
                });
            } else {
                result.reviews.push(Review {
                    locals: ls,
                    qbs: qs,
                    by: self.by,
                });
            }
        }
    }
}

/// Union-find over dense node numbers.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(size: usize) -> Self {
        UnionFind {
            parent: (0..size).collect(),
        }
    }

    fn find(&mut self, n: usize) -> usize {
        let mut root = n;
        while self.parent[root] != root {
            root = self.parent[root];
        }
        // Path compression keeps later finds short.
        let mut cur = n;
        while cur != root {
            let next = self.parent[cur];
            self.parent[cur] = root;
            cur = next;
        }
        root
    }

    fn union(&mut self, a: usize, b: usize) {
        let ra = self.find(a);
        let rb = self.find(b);
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::index::Ix;

    fn l(i: usize) -> LocalIx {
        Ix::new(i)
    }

    fn q(i: usize) -> QbIx {
        Ix::new(i)
    }
    use crate::qbxml::{CustomerData, Field, ListRef};
    use crate::store::CustomerStatus;

    fn local(code: &str, name: &str) -> Customer {
        Customer::new(code, name, CustomerStatus::Active)
    }

    fn qb(list_id: &str, name: &str, acct: Option<&str>) -> CustomerRet {
        let mut data = CustomerData::new().with(Field::Name, name);
        data.set_opt(Field::AccountNumber, acct);
        CustomerRet {
            list_id: list_id.into(),
            data,
            full_name: Some(name.into()),
            ..Default::default()
        }
    }

    #[test]
    fn rules_apply_in_order() {
        let locals = vec![
            local("C1", "Acme"),
            local("C2", "Beta Ltd"),
            local("C3", "  gamma  "),
            local("C4", "Delta"),
        ];
        let qbs = vec![
            qb("1-1", "Acme Corp", None),          // linked to C1
            qb("2-1", "Beta Limited", Some("c2")), // account number
            qb("3-1", "GAMMA", None),              // name
            qb("4-1", "Epsilon", None),            // QB only
        ];
        let links = [LinkRef {
            code: "C1",
            list_id: "1-1",
        }];
        let m = match_customers(&locals, &qbs, &links);
        assert_eq!(
            m.pairs,
            vec![
                Pair {
                    local: l(0),
                    qb: q(0),
                    by: MatchedBy::Link
                },
                Pair {
                    local: l(1),
                    qb: q(1),
                    by: MatchedBy::AccountNumber
                },
                Pair {
                    local: l(2),
                    qb: q(2),
                    by: MatchedBy::Name
                },
            ]
        );
        assert_eq!(m.local_only, vec![l(3)]);
        assert_eq!(m.qb_only, vec![q(3)]);
        assert!(m.reviews.is_empty());
    }

    #[test]
    fn one_to_many_goes_to_review_never_linked() {
        let locals = vec![
            local("C1", "Smith"),
            local("C2", "Smith"),
            local("C3", "Jones"),
        ];
        let qbs = vec![
            qb("1-1", "smith", None),
            qb("2-1", "Jones", None),
            qb("3-1", "JONES ", Some("X9")),
        ];
        let m = match_customers(&locals, &qbs, &[]);
        assert!(m.pairs.is_empty(), "{:?}", m.pairs);
        assert_eq!(m.reviews.len(), 2);
        assert!(m.reviews.contains(&Review {
            locals: vec![l(0), l(1)],
            qbs: vec![q(0)],
            by: MatchedBy::Name
        }));
        assert!(m.reviews.contains(&Review {
            locals: vec![l(2)],
            qbs: vec![q(1), q(2)],
            by: MatchedBy::Name
        }));
        assert!(m.local_only.is_empty() && m.qb_only.is_empty());
    }

    #[test]
    fn jobs_are_never_matched_nor_listed() {
        let locals = vec![local("C1", "Kitchen")];
        let mut job = qb("9-1", "Kitchen", Some("C1"));
        job.parent = Some(ListRef {
            list_id: Some("1-1".into()),
            full_name: Some("Smith".into()),
        });
        job.sublevel = Some(1);
        let m = match_customers(&locals, &[job], &[]);
        assert!(m.pairs.is_empty());
        assert_eq!(m.local_only, vec![l(0)]);
        assert!(m.qb_only.is_empty());
    }

    #[test]
    fn stale_link_falls_through_to_other_rules() {
        let locals = vec![local("C1", "Acme")];
        let qbs = vec![qb("5-5", "Acme", None)];
        let links = [LinkRef {
            code: "C1",
            list_id: "gone-1",
        }];
        let m = match_customers(&locals, &qbs, &links);
        assert_eq!(
            m.stale_links,
            vec![StaleLink {
                local: l(0),
                list_id: "gone-1".into()
            }]
        );
        assert_eq!(
            m.pairs,
            vec![Pair {
                local: l(0),
                qb: q(0),
                by: MatchedBy::Name
            }]
        );
    }

    #[test]
    fn account_number_ambiguity_is_not_resolved_by_name() {
        // Two QuickBooks customers carry C1's code; one of them also has its name. A weaker rule
        // must not pick one.
        let locals = vec![local("C1", "Acme")];
        let qbs = vec![
            qb("1-1", "Acme", Some("C1")),
            qb("2-1", "Acme West", Some("c1")),
        ];
        let m = match_customers(&locals, &qbs, &[]);
        assert!(m.pairs.is_empty());
        assert_eq!(
            m.reviews,
            vec![Review {
                locals: vec![l(0)],
                qbs: vec![q(0), q(1)],
                by: MatchedBy::AccountNumber
            }]
        );
    }

    #[test]
    fn qb_name_override_matches() {
        let mut c = local(
            "C1",
            "A very long SMSTurbo customer name that QuickBooks refuses",
        );
        c.qb_name = Some("Long Name Co".into());
        let m = match_customers(&[c], &[qb("1-1", "long name co", None)], &[]);
        assert_eq!(m.pairs.len(), 1);
    }
}
