//! Deciding which SMSTurbo customer is which QuickBooks customer (SPEC §3).
//!
//! Rules, in order: (1) a stored link (code ⇔ ListID for this company file); (2) QuickBooks'
//! AccountNumber equals the SMSTurbo code; (3) names equal ignoring case and surrounding spaces.
//! Each rule runs over what the earlier rules left unmatched. Within a rule, candidates form a
//! bipartite graph; only a component of exactly one SMSTurbo and one QuickBooks customer becomes a
//! pair. Anything larger is ambiguous and goes to review: linking automatically would risk merging
//! two real customers, and exporting would risk a duplicate.
//!
//! A link whose ListID QuickBooks no longer lists, or lists as a job, is stale
//! ([`super::stale`]): its SMSTurbo customer takes no part in the later rules (a weaker rule
//! would relink it to a look-alike, or leave it to be exported again), and the QuickBooks
//! customers left unmatched that share its code or name are its candidates, held back from
//! import. Customers the operator keeps local only for this company take no part either.
//!
//! QuickBooks jobs (sub-customers) are not SMSTurbo customers: they take no part.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use super::index::{IxSlice, LocalIx, Marks, QbIx};
use super::keys::CiKey;
pub use super::stale::{Candidate, StaleLink};
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matching {
    pub pairs: Vec<Pair>,
    pub reviews: Vec<Review>,
    /// SMSTurbo customers with no QuickBooks counterpart and no ambiguity.
    pub local_only: Vec<LocalIx>,
    /// Top-level QuickBooks customers with no SMSTurbo counterpart and no ambiguity.
    pub qb_only: Vec<QbIx>,
    pub stale_links: Vec<StaleLink>,
    /// SMSTurbo customers the operator keeps out of this company (never offered for export).
    pub kept_local: Vec<KeptLocal>,
}

/// A customer the operator keeps in SMSTurbo only, for this company. The QuickBooks customers
/// that look like it (same code as account number, or name) are held back from import too:
/// importing one would make a second SMSTurbo copy of the customer the operator unlinked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptLocal {
    pub local: LocalIx,
    pub candidates: Vec<Candidate>,
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
/// ignored here). `kept_local`: codes of customers kept out of this company.
pub fn match_customers(
    locals: &[Customer],
    qb: &[CustomerRet],
    links: &[LinkRef<'_>],
    kept_local: &[&str],
) -> Matching {
    match_indexed(locals, &LocalCodes::new(locals), qb, links, kept_local)
}

/// [`match_customers`] with the local codes already indexed.
pub fn match_indexed(
    locals: &[Customer],
    codes: &LocalCodes<'_>,
    qb: &[CustomerRet],
    links: &[LinkRef<'_>],
    kept_local: &[&str],
) -> Matching {
    let mut local_done = Marks::of(locals, |_| false);
    // Jobs are never matched, so they start out "done".
    let mut qb_done = Marks::of(qb, CustomerRet::is_job);
    let mut result = Matching::default();

    // Rule 1: stored links.
    if !links.is_empty() {
        // Jobs included: a linked customer made a job is found, and is stale.
        let by_list_id: FxHashMap<&str, QbIx> = qb
            .enumerate_ix()
            .map(|(i, c)| (c.list_id.as_str(), i))
            .collect();
        for link in links {
            let Some(l) = codes.get(link.code) else {
                continue; // the SMSTurbo customer was deleted; nothing to match
            };
            if local_done.is(l) {
                continue;
            }
            let stale = |job| StaleLink {
                local: l,
                list_id: link.list_id.to_string(),
                job,
                candidates: Vec::new(),
            };
            match by_list_id.get(link.list_id) {
                Some(&q) if qb[q].is_job() => {
                    local_done.set(l);
                    result.stale_links.push(stale(Some(q)));
                }
                Some(&q) if !qb_done.is(q) => {
                    local_done.set(l);
                    qb_done.set(q);
                    result.pairs.push(Pair {
                        local: l,
                        qb: q,
                        by: MatchedBy::Link,
                    });
                }
                // Two links to one ListID: the store's unique key forbids it.
                Some(_) => {}
                None => {
                    local_done.set(l);
                    result.stale_links.push(stale(None));
                }
            }
        }
    }

    // The operator's "keep it local only": out of every rule.
    for code in kept_local {
        if let Some(l) = codes.get(code)
            && !local_done.is(l)
        {
            local_done.set(l);
            result.kept_local.push(KeptLocal {
                local: l,
                candidates: Vec::new(),
            });
        }
    }
    result.kept_local.sort_unstable_by_key(|k| k.local);

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

    let held = result
        .stale_links
        .iter_mut()
        .map(|s| (s.local, &mut s.candidates))
        .chain(
            result
                .kept_local
                .iter_mut()
                .map(|k| (k.local, &mut k.candidates)),
        );
    hold_look_alikes(locals, qb, &mut qb_done, held);

    result.local_only = local_done.unmarked();
    result.qb_only = qb_done.unmarked();
    result
}

/// The QuickBooks customers no rule matched that share the code (as their account number) or
/// the name of a customer taken out of matching (a stale link's, or one kept local only):
/// they become its candidates, and are held back from import.
fn hold_look_alikes<'m>(
    locals: &[Customer],
    qb: &[CustomerRet],
    qb_done: &mut Marks<CustomerRet>,
    held: impl Iterator<Item = (LocalIx, &'m mut Vec<Candidate>)>,
) {
    let mut held = held.peekable();
    if held.peek().is_none() {
        return;
    }
    let mut by_account: FxHashMap<CiKey<'_>, Vec<QbIx>> = FxHashMap::default();
    let mut by_name: FxHashMap<CiKey<'_>, Vec<QbIx>> = FxHashMap::default();
    for (q, r) in qb.enumerate_ix().filter(|(q, _)| !qb_done.is(*q)) {
        if let Some(k) = r.data.get(Field::AccountNumber).and_then(CiKey::new) {
            by_account.entry(k).or_default().push(q);
        }
        if let Some(k) = qb_name_key(r) {
            by_name.entry(k).or_default().push(q);
        }
    }
    let mut taken = Vec::new();
    for (local, candidates) in held {
        let c = &locals[local];
        let mut found: Vec<Candidate> = Vec::new();
        let mut add = |q: QbIx, by| {
            if !found.iter().any(|f| f.qb == q) {
                found.push(Candidate { qb: q, by });
            }
        };
        let hits = |map: &FxHashMap<CiKey<'_>, Vec<QbIx>>, key: Option<CiKey<'_>>| {
            key.and_then(|k| map.get(&k).cloned()).unwrap_or_default()
        };
        for q in hits(&by_account, CiKey::new(c.code())) {
            add(q, MatchedBy::AccountNumber);
        }
        for key in local_name_keys(c) {
            for q in hits(&by_name, key) {
                add(q, MatchedBy::Name);
            }
        }
        taken.extend(found.iter().map(|f| f.qb));
        *candidates = found;
    }
    for q in taken {
        qb_done.set(q);
    }
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
        let m = match_customers(&locals, &qbs, &links, &[]);
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
        let m = match_customers(&locals, &qbs, &[], &[]);
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
        let m = match_customers(&locals, &[job], &[], &[]);
        assert!(m.pairs.is_empty());
        assert_eq!(m.local_only, vec![l(0)]);
        assert!(m.qb_only.is_empty());
    }

    #[test]
    fn a_stale_link_takes_no_part_in_later_rules_and_its_look_alikes_are_held() {
        // C1's QuickBooks customer is gone; QuickBooks now has a customer with C1's name and
        // one with its code. Neither is linked (or imported): both are candidates on the stale
        // row. C2 still matches its own by name.
        let locals = vec![local("C1", "Acme"), local("C2", "Beta")];
        let qbs = vec![
            qb("5-5", "Acme", None),
            qb("6-6", "Acme Inc", Some("c1")),
            qb("7-7", "Beta", None),
        ];
        let links = [LinkRef {
            code: "C1",
            list_id: "gone-1",
        }];
        let m = match_customers(&locals, &qbs, &links, &[]);
        assert_eq!(
            m.stale_links,
            vec![StaleLink {
                local: l(0),
                list_id: "gone-1".into(),
                job: None,
                candidates: vec![
                    Candidate {
                        qb: q(1),
                        by: MatchedBy::AccountNumber
                    },
                    Candidate {
                        qb: q(0),
                        by: MatchedBy::Name
                    },
                ],
            }]
        );
        assert_eq!(
            m.pairs,
            vec![Pair {
                local: l(1),
                qb: q(2),
                by: MatchedBy::Name
            }]
        );
        assert!(m.local_only.is_empty(), "never an export candidate");
        assert!(
            m.qb_only.is_empty(),
            "candidates are not offered for import"
        );
    }

    #[test]
    fn a_link_to_a_customer_made_a_job_is_stale() {
        let locals = vec![local("C1", "Kitchen")];
        let mut job = qb("9-1", "Kitchen", Some("C1"));
        job.sublevel = Some(1);
        job.parent = Some(ListRef {
            list_id: Some("1-1".into()),
            full_name: Some("Holdings".into()),
        });
        let links = [LinkRef {
            code: "C1",
            list_id: "9-1",
        }];
        let m = match_customers(&locals, &[job], &links, &[]);
        assert_eq!(m.stale_links.len(), 1);
        assert_eq!(m.stale_links[0].job, Some(q(0)));
        assert!(m.pairs.is_empty() && m.local_only.is_empty() && m.qb_only.is_empty());
    }

    #[test]
    fn a_customer_kept_local_only_is_never_matched_nor_offered() {
        let locals = vec![local("C1", "Acme")];
        let m = match_customers(&locals, &[qb("1-1", "acme", Some("C1"))], &[], &["c1"]);
        assert_eq!(
            m.kept_local,
            vec![KeptLocal {
                local: l(0),
                candidates: vec![Candidate {
                    qb: q(0),
                    by: MatchedBy::AccountNumber
                }]
            }]
        );
        assert!(m.pairs.is_empty() && m.local_only.is_empty());
        assert!(
            m.qb_only.is_empty(),
            "its look-alike is not imported either"
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
        let m = match_customers(&locals, &qbs, &[], &[]);
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
        let m = match_customers(&[c], &[qb("1-1", "long name co", None)], &[], &[]);
        assert_eq!(m.pairs.len(), 1);
    }
}
