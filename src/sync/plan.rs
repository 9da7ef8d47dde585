//! Planning: what is out of step, and what synchronizing would do about it. Pure: no I/O.
//!
//! Two modes (SPEC §5.5). *Missing only*: SMSTurbo customers QuickBooks lacks (export
//! candidates) and QuickBooks customers SMSTurbo lacks (import candidates). *Not exact match*: the
//! same plus every matched pair whose mapped fields differ, with the differing fields and which of
//! them the Replace Options would copy.

use std::collections::{HashMap, HashSet};

use crate::config::{Config, DefaultTypeFor};
use crate::qbxml::{CustomerAdd, CustomerData, CustomerRet, Field, NameList};
use crate::store::{Customer, CustomerStatus, code_key};

use crate::domain::ReplaceGroup;
use rustc_hash::{FxHashMap, FxHashSet};

use super::index::{LocalIx, QbIx};
use super::keys::CiKey;
use super::likely::{LikelyDuplicate, Unpaired};
use super::matching::{
    Candidate, LinkRef, LocalCodes, MatchedBy, Matching, Pair, match_indexed, name_key,
};
use super::problems::{self, Problem};
use super::stale::{Deletions, StaleReason, candidate_name};

/// Which customers the panes list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    MissingOnly,
    NotExactMatch,
}

/// Everything planning reads. The QuickBooks side is the whole customer list (jobs included)
/// and its customer and job types; names other QuickBooks lists hold are added afterwards with
/// [`Plan::mark_taken`].
pub struct PlanInput<'a> {
    pub locals: &'a [Customer],
    pub qb: &'a [CustomerRet],
    pub links: &'a [LinkRef<'a>],
    pub config: &'a Config,
    /// FullNames of QuickBooks customer types (`Retail`, `Retail:Online`).
    pub customer_types: &'a [String],
    /// FullNames of QuickBooks job types.
    pub job_types: &'a [String],
    pub mode: Mode,
    /// Codes of the customers the operator keeps out of this company.
    pub kept_local: &'a [&'a str],
    /// What QuickBooks said about the linked customers it no longer lists.
    pub deletions: &'a Deletions,
}

/// Names QuickBooks' other name lists hold, keyed by [`name_key`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakenNames {
    by_key: HashMap<String, (NameList, String)>,
}

impl TakenNames {
    pub fn insert(&mut self, list: NameList, name: &str) {
        self.by_key
            .entry(name_key(name))
            .or_insert_with(|| (list, name.to_string()));
    }

    pub fn get(&self, name: &str) -> Option<&(NameList, String)> {
        self.by_key.get(&name_key(name))
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// An SMSTurbo customer that QuickBooks lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    pub local: LocalIx,
    /// The CustomerAdd that would be sent (without ExternalGUID, which is given at send time).
    pub add: CustomerAdd,
    pub problems: Vec<Problem>,
    /// QuickBooks customers it probably is, written differently ([`super::likely`]), best
    /// first. A row with any is never added unless the operator says so.
    pub likely: Vec<LikelyDuplicate<QbIx>>,
}

/// A QuickBooks customer that SMSTurbo lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    pub qb: QbIx,
    /// The SMSTurbo customer that would be created.
    pub customer: Customer,
    pub problems: Vec<Problem>,
    /// SMSTurbo customers it probably is, written differently, best first. A row with any is
    /// never imported unless the operator says so.
    pub likely: Vec<LikelyDuplicate<LocalIx>>,
}

impl ImportRow {
    /// When the code the import gets is not QuickBooks' account number (another SMSTurbo
    /// customer has that code), the customer's code and QuickBooks' account number stay
    /// different for good: said before it is imported.
    pub fn code_note(&self, qb: &CustomerRet) -> Option<String> {
        let account = qb.data.get(Field::AccountNumber)?.trim();
        (!account.is_empty() && code_key(account) != code_key(self.customer.code())).then(|| {
            format!(
                "gets the SMSTurbo code {} because another SMSTurbo customer has {account}; \
                 QuickBooks keeps the account number {account} (custsync never changes \
                 QuickBooks), so the two stay different",
                self.customer.code()
            )
        })
    }
}

/// One differing field of a matched pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDiff {
    pub field: Field,
    /// Whether the Replace Options copy this field from QuickBooks.
    pub applies: bool,
}

/// The status differs: QuickBooks is inactive and SMSTurbo is not, or the other way round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusDiff {
    pub local: CustomerStatus,
    pub qb_active: bool,
    /// The status replacing would give SMSTurbo.
    pub replacement: CustomerStatus,
    pub applies: bool,
}

/// A matched pair that is not an exact match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairRow {
    pub local: LocalIx,
    pub qb: QbIx,
    pub by: MatchedBy,
    pub diffs: Vec<FieldDiff>,
    pub status: Option<StatusDiff>,
}

impl PairRow {
    /// Whether synchronizing this pair would change anything.
    pub fn has_changes(&self) -> bool {
        self.diffs.iter().any(|d| d.applies) || self.status.is_some_and(|s| s.applies)
    }
}

/// A link QuickBooks changed underneath ([`super::stale`]): never exported, imported or relinked
/// by itself; the operator links it to a candidate, adds it again, or keeps it local only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleRow {
    pub local: LocalIx,
    /// The ListID the customer is linked to.
    pub list_id: String,
    pub reason: StaleReason,
    /// QuickBooks customers that could be it (a merge's survivor, usually), matched to nobody
    /// else and held back from import while they are candidates.
    pub candidates: Vec<Candidate>,
    /// "Add to QuickBooks again": what would be sent, and what stops it.
    pub again: ExportRow,
}

impl StaleRow {
    /// Why the row is here, in plain words, naming the candidates.
    pub fn describe(&self, qb: &[CustomerRet]) -> String {
        self.reason.describe(&candidate_names(&self.candidates, qb))
    }
}

/// A customer the operator keeps in SMSTurbo only, for this company.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptRow {
    pub local: LocalIx,
    /// QuickBooks customers that look like it, held back from import.
    pub candidates: Vec<Candidate>,
    /// Adding it to QuickBooks after all: what would be sent, and what stops it.
    pub again: ExportRow,
}

/// The candidates' display names and why each is one.
pub fn candidate_names(candidates: &[Candidate], qb: &[CustomerRet]) -> Vec<(String, MatchedBy)> {
    candidates
        .iter()
        .map(|c| (candidate_name(&qb[c.qb]), c.by))
        .collect()
}

/// Something the operator should know about a matched pair that no Replace Option and no row
/// can change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// QuickBooks' account number is not the SMSTurbo code (custsync never changes QuickBooks,
    /// and the code is SMSTurbo's key): shown once, not as a difference that never goes away.
    CodeDiffers { local: LocalIx, qb: QbIx },
}

/// What the operator should know about a plan that no row shows, in words, for every front end:
/// customers QuickBooks listed twice in the read, codes that differ from QuickBooks' account
/// numbers, deletions QuickBooks would not report.
pub fn notice_words(plan: &Plan, s: &super::Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    if s.folded > 0 {
        out.push(format!(
            "QuickBooks listed {} customer(s) twice in this read (changed while custsync read): \
             each counts once, as it is now.",
            s.folded
        ));
    }
    let differs: Vec<String> = plan
        .notices
        .iter()
        .map(|n| match n {
            Notice::CodeDiffers { local, qb } => format!(
                "{} ↔ {}",
                s.locals[*local].code(),
                s.qb[*qb].data.get(Field::AccountNumber).unwrap_or("")
            ),
        })
        .collect();
    if !differs.is_empty() {
        out.push(format!(
            "{} linked customer(s) have a QuickBooks account number other than their SMSTurbo \
             code ({}). custsync never changes QuickBooks and the code is SMSTurbo's key, so \
             they stay so; otherwise they count as in sync.",
            differs.len(),
            differs.join(", ")
        ));
    }
    if let Deletions::Unavailable(why) = &s.deletions {
        out.push(format!(
            "{why}: a linked customer it no longer lists is shown as \"deleted or merged\"."
        ));
    }
    out
}

/// An export default type (Setup → Export) that the company does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MissingType {
    CustomerType(String),
    JobType(String),
}

impl std::fmt::Display for MissingType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MissingType::CustomerType(n) => write!(f, "Customer Type '{n}'"),
            MissingType::JobType(n) => write!(f, "Customer Job '{n}'"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub mode: Mode,
    pub exports: Vec<ExportRow>,
    pub imports: Vec<ImportRow>,
    /// Not-in-sync pairs; empty in missing-only mode.
    pub pairs: Vec<PairRow>,
    /// Every matched pair (exact or not); the ones without a stored link get one when a run is
    /// applied.
    pub matched: Vec<Pair>,
    pub matching: MatchingSummary,
    /// Export defaults the company lacks. The operator must agree to add those a checked
    /// customer would carry ([`Plan::missing_types_for`]), or cancel.
    pub missing_types: Vec<MissingType>,
    /// Links QuickBooks changed underneath.
    pub stale: Vec<StaleRow>,
    /// Customers kept local only for this company.
    pub kept_local: Vec<KeptRow>,
    pub notices: Vec<Notice>,
}

/// A customer taken out of the ordinary rows: a stale link, or one kept local only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held<'p> {
    Stale(&'p StaleRow),
    Kept(&'p KeptRow),
}

impl<'p> Held<'p> {
    /// Adding it to QuickBooks (again).
    pub fn again(self) -> &'p ExportRow {
        match self {
            Held::Stale(r) => &r.again,
            Held::Kept(r) => &r.again,
        }
    }

    /// The stale ListID an addition replaces, if any.
    pub fn replaces(self) -> Option<&'p str> {
        match self {
            Held::Stale(r) => Some(&r.list_id),
            Held::Kept(_) => None,
        }
    }
}

/// Counts for the confirmation and for reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchingSummary {
    pub exact: usize,
    pub reviews: usize,
    pub stale_links: usize,
    pub hidden_by_status: usize,
    pub hidden_by_type: usize,
    /// Customers kept local only for this company.
    pub kept_local: usize,
}

impl Plan {
    pub fn build(input: &PlanInput<'_>) -> Plan {
        let codes = LocalCodes::new(input.locals);
        let matching = match_indexed(
            input.locals,
            &codes,
            input.qb,
            input.links,
            input.kept_local,
        );
        let type_filter = TypeFilter::new(&input.config.import.include_customer_types);
        let mut summary = MatchingSummary {
            reviews: matching.reviews.len(),
            stale_links: matching.stale_links.len(),
            ..Default::default()
        };

        // Comparing the matched pairs field by field and searching the unpaired customers for
        // likely duplicates are independent of the candidates' checks: on large lists each runs
        // on a thread of its own.
        let unpaired = matching.local_only.len() + matching.qb_only.len();
        let (mut exports, mut imports, (pairs, exact, pairs_hidden, notices), likely) =
            std::thread::scope(|scope| {
                let pairs = Task::new(scope, matching.pairs.len() > 10_000, || {
                    pair_rows(input, &matching.pairs, &type_filter)
                });
                let likely = Task::new(scope, unpaired > 4_000, || {
                    Unpaired::search(
                        input.locals,
                        &matching.local_only,
                        input.qb,
                        &matching.qb_only,
                    )
                });
                let exports = export_rows(input, &matching, &mut summary);
                let imports = import_rows(input, &matching, &codes, &type_filter, &mut summary);
                (exports, imports, pairs.join(), likely.join())
            });
        summary.exact += exact;
        summary.hidden_by_type += pairs_hidden;
        summary.kept_local = matching.kept_local.len();
        attach_likely(&likely, &mut exports, &mut imports);

        let (stale, kept_local) = held_rows(input, &matching);
        Plan {
            mode: input.mode,
            exports,
            imports,
            pairs,
            matched: matching.pairs.clone(),
            matching: summary,
            missing_types: missing_types(input),
            stale,
            kept_local,
            notices,
        }
    }

    /// The export defaults QuickBooks lacks that `adds` would carry: what the operator must
    /// agree to add for them (a default no checked customer carries is not asked about).
    pub fn missing_types_for<'a>(
        &self,
        adds: impl IntoIterator<Item = &'a CustomerAdd>,
    ) -> Vec<MissingType> {
        let mut needed: Vec<MissingType> = Vec::new();
        for add in adds {
            for missing in &self.missing_types {
                let carried = match missing {
                    MissingType::CustomerType(t) => add
                        .data
                        .get(Field::CustomerType)
                        .is_some_and(|v| name_key(v) == name_key(t)),
                    MissingType::JobType(t) => add
                        .job_type
                        .as_deref()
                        .is_some_and(|v| name_key(v) == name_key(t)),
                };
                if carried && !needed.contains(missing) {
                    needed.push(missing.clone());
                }
            }
            if needed.len() == self.missing_types.len() {
                break;
            }
        }
        // In the plan's order.
        self.missing_types
            .iter()
            .filter(|m| needed.contains(m))
            .cloned()
            .collect()
    }

    /// The rows of stale links and customers kept local only, by SMSTurbo code.
    pub fn held_row(&self, locals: &[Customer], code: &str) -> Option<Held<'_>> {
        let key = code_key(code);
        self.stale
            .iter()
            .find(|r| code_key(locals[r.local].code()) == key)
            .map(Held::Stale)
            .or_else(|| {
                self.kept_local
                    .iter()
                    .find(|r| code_key(locals[r.local].code()) == key)
                    .map(Held::Kept)
            })
    }

    /// SMSTurbo codes of the export candidates that can be checked (no problems) and look like
    /// no QuickBooks customer: what "check all" means, at the screen, on the command line and in
    /// a scheduled run. A likely duplicate is added only when the operator names it.
    pub fn exportable<'a>(&'a self, locals: &'a [Customer]) -> impl Iterator<Item = &'a str> {
        self.exports
            .iter()
            .filter(|r| r.problems.is_empty() && r.likely.is_empty())
            .map(|r| locals[r.local].code())
    }

    /// ListIDs of the import candidates that can be checked and look like no SMSTurbo customer.
    pub fn importable<'a>(&'a self, qb: &'a [CustomerRet]) -> impl Iterator<Item = &'a str> {
        self.imports
            .iter()
            .filter(|r| r.problems.is_empty() && r.likely.is_empty())
            .map(|r| qb[r.qb].list_id.as_str())
    }

    /// The export candidates "check all" leaves for the operator because they look like a
    /// QuickBooks customer (and have no problem that would keep them out anyway).
    pub fn held_as_likely_exports(&self) -> impl Iterator<Item = &ExportRow> {
        self.exports
            .iter()
            .filter(|r| r.problems.is_empty() && !r.likely.is_empty())
    }

    /// The import candidates "check all" leaves for the operator because they look like an
    /// SMSTurbo customer.
    pub fn held_as_likely_imports(&self) -> impl Iterator<Item = &ImportRow> {
        self.imports
            .iter()
            .filter(|r| r.problems.is_empty() && !r.likely.is_empty())
    }

    /// SMSTurbo codes of the not-in-sync pairs the Replace Options would change.
    pub fn replaceable<'a>(&'a self, locals: &'a [Customer]) -> impl Iterator<Item = &'a str> {
        self.pairs
            .iter()
            .filter(|p| p.has_changes())
            .map(|p| locals[p.local].code())
    }

    /// The QuickBooks names the export candidates would take: ask QuickBooks whether a vendor,
    /// employee or other name already holds them, then call [`Plan::mark_taken`].
    pub fn names_to_check(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        self.exports
            .iter()
            .chain(self.stale.iter().map(|r| &r.again))
            .chain(self.kept_local.iter().map(|r| &r.again))
            // A name QuickBooks cannot store (too long, not Latin-1) cannot be asked about
            // either: the row already has its problem.
            .filter(|e| !e.problems.iter().any(|p| matches!(p, Problem::Value(_))))
            .filter_map(|e| e.add.data.get(Field::Name))
            .filter(|n| seen.insert(name_key(n)))
            .map(str::to_string)
            .collect()
    }

    /// Flags export candidates whose name another QuickBooks name list holds.
    pub fn mark_taken(&mut self, taken: &TakenNames) {
        let held = self
            .stale
            .iter_mut()
            .map(|r| &mut r.again)
            .chain(self.kept_local.iter_mut().map(|r| &mut r.again));
        for row in self.exports.iter_mut().chain(held) {
            row.problems
                .retain(|p| !matches!(p, Problem::NameTaken { .. }));
            if let Some((list, name)) = row.add.data.get(Field::Name).and_then(|n| taken.get(n)) {
                row.problems.push(Problem::NameTaken {
                    list: *list,
                    name: name.clone(),
                });
            }
        }
    }
}

/// Export candidates: unmatched SMSTurbo customers with an allowed status, plus the ones in
/// review (listed so the operator sees them, but not exportable).
fn export_rows(
    input: &PlanInput<'_>,
    m: &Matching,
    summary: &mut MatchingSummary,
) -> Vec<ExportRow> {
    let statuses = &input.config.export.statuses;
    let moved = MovedCustomers::of(input, m);
    // Sized once: rows are large, and growing by doubling copied them again and again.
    let reviewed: usize = m.reviews.iter().map(|r| r.locals.len()).sum();
    let mut rows: Vec<ExportRow> = Vec::with_capacity(m.local_only.len() + reviewed);
    let mut push = |local: LocalIx, review: Option<Problem>, summary: &mut MatchingSummary| {
        let customer = &input.locals[local];
        if !statuses.contains(&customer.status) {
            summary.hidden_by_status += 1;
            return;
        }
        let mut row = export_row(input, local);
        row.problems.extend(review);
        row.problems.extend(moved.look_alike(customer));
        rows.push(row);
    };
    for &l in &m.local_only {
        push(l, None, summary);
    }
    for review in &m.reviews {
        let candidates: Vec<String> = review
            .qbs
            .iter()
            .map(|&q| qb_display_name(&input.qb[q]))
            .collect();
        for &l in &review.locals {
            push(
                l,
                Some(Problem::NeedsReview {
                    by: review.by,
                    candidates: candidates.clone(),
                }),
                summary,
            );
        }
    }
    rows.sort_by_key(|r| r.local);

    // Two candidates that would take the same QuickBooks name: the second add would fail with
    // 3100, so neither may go until one is renamed.
    // Sized once: growing re-hashed every name read so far.
    let mut by_name: FxHashMap<CiKey<'_>, Vec<usize>> =
        FxHashMap::with_capacity_and_hasher(rows.len(), Default::default());
    for (i, r) in rows.iter().enumerate() {
        if let Some(k) = r.add.data.get(Field::Name).and_then(CiKey::new) {
            by_name.entry(k).or_default().push(i);
        }
    }
    let clashes: Vec<Vec<usize>> = by_name.into_values().filter(|v| v.len() > 1).collect();
    for idxs in &clashes {
        for &i in idxs {
            let others: Vec<String> = idxs
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| input.locals[rows[j].local].code().to_string())
                .collect();
            rows[i].problems.push(Problem::SameNameAs { codes: others });
        }
    }
    rows
}

/// Gives each export and import row its likely duplicates. The search ran over every customer
/// the exact rules left unpaired ([`Unpaired`]); the rows read their own.
fn attach_likely(found: &Unpaired, exports: &mut [ExportRow], imports: &mut [ImportRow]) {
    if found.is_empty() {
        return;
    }
    for row in exports {
        row.likely = found.of_local(row.local);
    }
    for row in imports {
        row.likely = found.of_qb(row.qb);
    }
}

/// Work that runs on a thread of its own when it is worth a thread, else when it is joined.
enum Task<'scope, T, F> {
    Spawned(std::thread::ScopedJoinHandle<'scope, T>),
    Inline(F),
}

impl<'scope, T: Send + 'scope, F: FnOnce() -> T + Send + 'scope> Task<'scope, T, F> {
    fn new<'env>(scope: &'scope std::thread::Scope<'scope, 'env>, worth_it: bool, f: F) -> Self {
        if worth_it {
            Task::Spawned(scope.spawn(f))
        } else {
            Task::Inline(f)
        }
    }

    fn join(self) -> T {
        match self {
            Task::Spawned(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Task::Inline(f) => f(),
        }
    }
}

/// The QuickBooks jobs, by name and by account number. Another SMSTurbo customer with the same
/// name or code may be the same customer: adding it would make the top-level twin of the job —
/// whether a stale link still says whose customer the job was, or the link is gone (its SMSTurbo
/// customer deleted since), so a job is never a reason to add a customer by itself.
struct MovedCustomers<'a> {
    /// Name or account number → (the job as QuickBooks names it, the stale link's code when a
    /// stale link moved it).
    by_key: FxHashMap<CiKey<'a>, (String, Option<&'a str>)>,
}

impl<'a> MovedCustomers<'a> {
    fn of(input: &PlanInput<'a>, m: &Matching) -> Self {
        let mut by_key = FxHashMap::default();
        // Stale links' jobs first: their rows name the SMSTurbo customer to decide first.
        let linked = m
            .stale_links
            .iter()
            .filter_map(|s| Some((s.job?, Some(input.locals[s.local].code()))));
        let others = (0..input.qb.len())
            .map(QbIx::new)
            .filter(|&q| input.qb[q].is_job())
            .map(|q| (q, None));
        for (q, code) in linked.chain(others) {
            let job: &'a CustomerRet = &input.qb[q];
            let name = job.data.get(Field::Name).unwrap_or("");
            let shown = match job.parent.as_ref().and_then(|p| p.full_name.as_deref()) {
                Some(parent) => format!("{parent}:{name}"),
                None => name.to_string(),
            };
            for value in [
                job.data.get(Field::Name),
                job.data.get(Field::AccountNumber),
            ] {
                if let Some(k) = value.and_then(CiKey::new) {
                    by_key.entry(k).or_insert_with(|| (shown.clone(), code));
                }
            }
        }
        MovedCustomers { by_key }
    }

    /// The problem of exporting `customer` when it looks like a moved customer (its own stale
    /// link excepted: that customer is not an export candidate).
    fn look_alike(&self, customer: &Customer) -> Option<Problem> {
        if self.by_key.is_empty() {
            return None;
        }
        [customer.name(), customer.name_for_qb(), customer.code()]
            .into_iter()
            .filter_map(CiKey::new)
            .find_map(|k| self.by_key.get(&k))
            .map(|(job, code)| match code {
                Some(code) => Problem::LikeMovedCustomer {
                    job: job.clone(),
                    code: code.to_string(),
                },
                None => Problem::LikeJob { job: job.clone() },
            })
    }
}

/// What adding `local` to QuickBooks would send, and what stops it: values QuickBooks would
/// refuse, a Customer Type of its own that QuickBooks lacks (a missing export default is the
/// run's question, not the row's).
fn export_row(input: &PlanInput<'_>, local: LocalIx) -> ExportRow {
    let customer = &input.locals[local];
    let add = customer_add_for(customer, input.config);
    let mut problems = problems::for_add(&add);
    let default = input.config.export.customer_type.as_deref();
    if let Some(t) = add.data.get(Field::CustomerType)
        && default.is_none_or(|d| name_key(d) != name_key(t))
        && !contains_name(input.customer_types, t)
    {
        problems.push(Problem::UnknownCustomerType(t.to_string()));
    }
    ExportRow {
        local,
        add,
        problems,
        likely: Vec::new(),
    }
}

/// The rows of the customers matching took out: stale links (with why, in plain words) and
/// those kept local only, each with what adding it to QuickBooks (again) would send. Adding
/// one whose name a top-level QuickBooks customer holds would be refused (3100): said at once.
fn held_rows(input: &PlanInput<'_>, m: &Matching) -> (Vec<StaleRow>, Vec<KeptRow>) {
    if m.stale_links.is_empty() && m.kept_local.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let top_level: FxHashMap<CiKey<'_>, &CustomerRet> = input
        .qb
        .iter()
        .filter(|c| !c.is_job())
        .filter_map(|c| Some((c.data.get(Field::Name).and_then(CiKey::new)?, c)))
        .collect();
    let again = |local: LocalIx| {
        let mut row = export_row(input, local);
        if let Some(holder) = row
            .add
            .data
            .get(Field::Name)
            .and_then(CiKey::new)
            .and_then(|k| top_level.get(&k))
        {
            row.problems.push(Problem::CustomerNamed {
                name: holder.data.get(Field::Name).unwrap_or("").to_string(),
            });
        }
        row
    };
    let stale = m
        .stale_links
        .iter()
        .map(|s| StaleRow {
            local: s.local,
            list_id: s.list_id.clone(),
            reason: StaleReason::of(&s.list_id, s.job.map(|q| &input.qb[q]), input.deletions),
            candidates: s.candidates.clone(),
            again: again(s.local),
        })
        .collect();
    let kept = m
        .kept_local
        .iter()
        .map(|k| KeptRow {
            local: k.local,
            candidates: k.candidates.clone(),
            again: again(k.local),
        })
        .collect();
    (stale, kept)
}

/// Import candidates: unmatched top-level QuickBooks customers of the included types, plus the
/// ones in review (listed, not importable).
fn import_rows(
    input: &PlanInput<'_>,
    m: &Matching,
    local_codes: &LocalCodes<'_>,
    filter: &TypeFilter,
    summary: &mut MatchingSummary,
) -> Vec<ImportRow> {
    let mut codes = CodeAllocator::new(local_codes);
    let mut review_of: HashMap<QbIx, Problem> = HashMap::new();
    for review in &m.reviews {
        let candidates: Vec<String> = review
            .locals
            .iter()
            .map(|&l| {
                let c = &input.locals[l];
                format!("{} ({})", c.name(), c.code())
            })
            .collect();
        for &q in &review.qbs {
            review_of.insert(
                q,
                Problem::NeedsReview {
                    by: review.by,
                    candidates: candidates.clone(),
                },
            );
        }
    }
    let mut qbs: Vec<QbIx> = m
        .qb_only
        .iter()
        .copied()
        .chain(review_of.keys().copied())
        .collect();
    qbs.sort_unstable();
    let mut rows = Vec::with_capacity(qbs.len());
    for q in qbs {
        let ret = &input.qb[q];
        if !filter.includes(ret) {
            summary.hidden_by_type += 1;
            continue;
        }
        let customer = customer_from_qb(ret, &mut codes);
        let mut problems: Vec<Problem> = review_of.remove(&q).into_iter().collect();
        problems.extend(problems::for_import(&customer));
        rows.push(ImportRow {
            qb: q,
            customer,
            problems,
            likely: Vec::new(),
        });
    }
    rows
}

/// The not-in-sync pairs worth listing, how many pairs are exact matches, how many differing
/// pairs the type filter hides, and the notices about pairs.
fn pair_rows(
    input: &PlanInput<'_>,
    matched: &[Pair],
    filter: &TypeFilter,
) -> (Vec<PairRow>, usize, usize, Vec<Notice>) {
    let (mut rows, mut exact, mut hidden, mut notices) = (Vec::new(), 0, 0, Vec::new());
    for pair in matched {
        if code_differs(&input.locals[pair.local], &input.qb[pair.qb]) {
            notices.push(Notice::CodeDiffers {
                local: pair.local,
                qb: pair.qb,
            });
        }
        match pair_row(input, pair) {
            None => exact += 1,
            Some(_) if !filter.includes(&input.qb[pair.qb]) => hidden += 1,
            Some(row) if input.mode == Mode::NotExactMatch => rows.push(row),
            Some(_) => {}
        }
    }
    (rows, exact, hidden, notices)
}

/// QuickBooks has an account number, and it is not the SMSTurbo code. (Without one is common,
/// and nothing custsync may fix: it never modifies QuickBooks customers.)
fn code_differs(local: &Customer, qb: &CustomerRet) -> bool {
    !CustomerData::same_value(
        Field::AccountNumber,
        local.data.get(Field::AccountNumber),
        qb.data.get(Field::AccountNumber),
    ) && qb
        .data
        .get(Field::AccountNumber)
        .is_some_and(|v| !v.trim().is_empty())
}

/// The differences of a matched pair, or `None` for an exact match.
fn pair_row(input: &PlanInput<'_>, pair: &Pair) -> Option<PairRow> {
    let local = &input.locals[pair.local];
    let qb = &input.qb[pair.qb];
    let groups = &input.config.replace.groups;
    // Compared with the values the customer has in QuickBooks (its QuickBooks spellings).
    let diffs: Vec<FieldDiff> = local
        .qb_data()
        .differing_fields(&qb.data)
        // The code is SMSTurbo's key and custsync never modifies QuickBooks: no Replace Option
        // and no run can make them agree, so a different account number is a notice on the
        // pair ([`Notice::CodeDiffers`]), not a difference that would list it for ever.
        .filter(|&f| f != Field::AccountNumber)
        .map(|field| FieldDiff {
            field,
            applies: ReplaceGroup::of(field).is_some_and(|g| groups.contains(&g)),
        })
        .collect();
    let status = status_diff(
        local.status,
        qb.is_active(),
        groups.contains(&ReplaceGroup::ActiveStatus),
    );
    if diffs.is_empty() && status.is_none() {
        return None;
    }
    Some(PairRow {
        local: pair.local,
        qb: pair.qb,
        by: pair.by,
        diffs,
        status,
    })
}

/// Only Inactive maps to QuickBooks; Hold and Prospect are "active" there.
fn status_diff(local: CustomerStatus, qb_active: bool, applies: bool) -> Option<StatusDiff> {
    let replacement = match (local, qb_active) {
        (CustomerStatus::Inactive, true) => CustomerStatus::Active,
        (s, false) if s != CustomerStatus::Inactive => CustomerStatus::Inactive,
        _ => return None,
    };
    Some(StatusDiff {
        local,
        qb_active,
        replacement,
        applies,
    })
}

/// The CustomerAdd custsync would send for `customer`: its mapped fields, its QuickBooks name,
/// its status, and the export defaults (the default Customer Type on every exported customer,
/// or only on those without one, as SetUp says).
pub fn customer_add_for(customer: &Customer, config: &Config) -> CustomerAdd {
    let mut data = customer.qb_data().into_owned();
    if let Some(t) = config
        .export
        .customer_type
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        && (config.export.default_type_for == DefaultTypeFor::Every
            || data.get(Field::CustomerType).is_none())
    {
        data.set(Field::CustomerType, t);
    }
    CustomerAdd {
        data,
        is_active: Some(customer.status.is_active_in_qb()),
        job_type: config
            .export
            .job_type
            .clone()
            .filter(|t| !t.trim().is_empty()),
        ..Default::default()
    }
}

/// The SMSTurbo customer an import creates. The code is QuickBooks' AccountNumber; without one
/// (or when it is taken) a code is made from the name, made unique with a number.
pub fn customer_from_qb(ret: &CustomerRet, codes: &mut CodeAllocator<'_, '_>) -> Customer {
    let status = if ret.is_active() {
        CustomerStatus::Active
    } else {
        CustomerStatus::Inactive
    };
    let base = ret
        .data
        .get(Field::AccountNumber)
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| code_from_name(ret.data.get(Field::Name).unwrap_or("")));
    let code = codes.allocate(&base);
    let mut data = ret.data.clone();
    data.set(Field::AccountNumber, &code);
    Customer {
        data,
        status,
        qb_name: None,
        qb_spellings: Default::default(),
    }
}

/// Hands out SMSTurbo codes that no customer has, case-insensitively.
pub struct CodeAllocator<'c, 'a> {
    existing: &'c LocalCodes<'a>,
    added: FxHashSet<String>,
    /// The next suffix to try per base, so that many imports sharing a base (names made into
    /// codes are cut to 12 characters) don't each retry every earlier suffix.
    next_suffix: FxHashMap<String, u32>,
}

impl<'c, 'a> CodeAllocator<'c, 'a> {
    pub fn new(existing: &'c LocalCodes<'a>) -> Self {
        CodeAllocator {
            existing,
            added: FxHashSet::default(),
            next_suffix: FxHashMap::default(),
        }
    }

    /// `key`: `code`'s [`code_key`], made once per code tried.
    fn is_free(&self, code: &str, key: &str) -> bool {
        !code.trim().is_empty() && !self.existing.contains(code) && !self.added.contains(key)
    }

    /// `base` if free, else `base-2`, `base-3`, …
    pub fn allocate(&mut self, base: &str) -> String {
        let key = code_key(base);
        if self.is_free(base, &key) {
            self.added.insert(key);
            return base.to_string();
        }
        let next = self.next_suffix.entry(key).or_insert(2);
        loop {
            let code = format!("{base}-{next}");
            *next += 1;
            let key = code_key(&code);
            if !self.existing.contains(&code) && !self.added.contains(&key) {
                self.added.insert(key);
                return code;
            }
        }
    }
}

/// `Acme Supply, Inc.` → `ACMESUPPLYIN`: letters and digits, upper case, at most 12.
fn code_from_name(name: &str) -> String {
    let code: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .take(12)
        .collect();
    if code.is_empty() {
        "QB".to_string()
    } else {
        code
    }
}

fn qb_display_name(ret: &CustomerRet) -> String {
    let name = ret.data.get(Field::Name).unwrap_or("");
    match ret.data.get(Field::AccountNumber) {
        Some(a) => format!("{name} ({a})"),
        None => name.to_string(),
    }
}

fn contains_name(list: &[String], name: &str) -> bool {
    let k = name_key(name);
    list.iter().any(|t| name_key(t) == k)
}

fn missing_types(input: &PlanInput<'_>) -> Vec<MissingType> {
    let export = &input.config.export;
    let mut missing = Vec::new();
    if let Some(t) = export
        .customer_type
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        && !contains_name(input.customer_types, t)
    {
        missing.push(MissingType::CustomerType(t.trim().to_string()));
    }
    if let Some(t) = export.job_type.as_deref().filter(|t| !t.trim().is_empty())
        && !contains_name(input.job_types, t)
    {
        missing.push(MissingType::JobType(t.trim().to_string()));
    }
    missing
}

/// Import – Include Customer Types: a QuickBooks customer is listed when its type is one of the
/// included types or a sub-type of one (`Retail:Online` is under `Retail`). Empty: everything.
struct TypeFilter {
    prefixes: Vec<String>,
}

impl TypeFilter {
    fn new(types: &[String]) -> Self {
        TypeFilter {
            prefixes: types
                .iter()
                .map(|t| name_key(t))
                .filter(|t| !t.is_empty())
                .collect(),
        }
    }

    fn includes(&self, ret: &CustomerRet) -> bool {
        if self.prefixes.is_empty() {
            return true;
        }
        let Some(t) = ret.data.get(Field::CustomerType) else {
            return false;
        };
        let t = name_key(t);
        self.prefixes.iter().any(|p| {
            t == *p
                || (t.len() > p.len() && t.starts_with(p.as_str()) && t.as_bytes()[p.len()] == b':')
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbxml::{CustomerData, ListRef};
    use crate::sync::likely::Record;

    fn local(code: &str, name: &str, status: CustomerStatus) -> Customer {
        Customer::new(code, name, status)
    }

    fn qb(list_id: &str, name: &str) -> CustomerRet {
        CustomerRet {
            list_id: list_id.into(),
            data: CustomerData::new().with(Field::Name, name),
            full_name: Some(name.into()),
            is_active: Some(true),
            ..Default::default()
        }
    }

    struct Fixture {
        locals: Vec<Customer>,
        qb: Vec<CustomerRet>,
        config: Config,
        types: Vec<String>,
        taken: TakenNames,
    }

    impl Fixture {
        fn new() -> Self {
            let mut phone_diff = local("C3", "Gamma", CustomerStatus::Active);
            phone_diff.data.set(Field::Phone, "555-0100");
            phone_diff.data.set(Field::Email, "a@gamma.example");
            let mut q_gamma = qb("3-1", "Gamma");
            q_gamma.data.set(Field::Phone, "555-0199");
            q_gamma.data.set(Field::Email, "a@gamma.example");
            q_gamma.data.set(Field::AccountNumber, "C3");
            let mut q_retail = qb("4-1", "Retail Only");
            q_retail.data.set(Field::CustomerType, "Retail:Online");
            let mut q_wholesale = qb("5-1", "Wholesale Only");
            q_wholesale.data.set(Field::CustomerType, "Wholesale");
            let mut job = qb("6-1", "Kitchen");
            job.parent = Some(ListRef {
                list_id: Some("3-1".into()),
                full_name: Some("Gamma".into()),
            });
            job.sublevel = Some(1);
            let mut q_inactive = qb("7-1", "Sleepy");
            q_inactive.is_active = Some(false);
            q_inactive.data.set(Field::AccountNumber, "C5");
            Fixture {
                locals: vec![
                    local("C1", "Alpha", CustomerStatus::Active),
                    local("C2", "Beta", CustomerStatus::Inactive),
                    phone_diff,
                    local("C4", "Exact", CustomerStatus::Hold),
                    local("C5", "Sleepy", CustomerStatus::Prospect),
                ],
                qb: vec![
                    qb("2-0", "Exact"),
                    q_gamma,
                    q_retail,
                    q_wholesale,
                    job,
                    q_inactive,
                ],
                config: Config::default(),
                types: vec!["Retail".into(), "Retail:Online".into(), "Wholesale".into()],
                taken: TakenNames::default(),
            }
        }

        fn plan(&self, mode: Mode) -> Plan {
            let mut plan = Plan::build(&PlanInput {
                locals: &self.locals,
                qb: &self.qb,
                links: &[],
                config: &self.config,
                customer_types: &self.types,
                job_types: &[],
                mode,
                kept_local: &[],
                deletions: &Deletions::NotAsked,
            });
            plan.mark_taken(&self.taken);
            plan
        }
    }

    fn codes(p: &Plan, f: &Fixture) -> Vec<String> {
        p.exports
            .iter()
            .map(|e| f.locals[e.local].code().to_string())
            .collect()
    }

    fn import_names(p: &Plan) -> Vec<String> {
        p.imports
            .iter()
            .map(|i| i.customer.name().to_string())
            .collect()
    }

    #[test]
    fn missing_only_lists_both_sides_and_no_pairs() {
        let f = Fixture::new();
        let p = f.plan(Mode::MissingOnly);
        assert_eq!(codes(&p, &f), vec!["C1", "C2"]);
        assert_eq!(import_names(&p), vec!["Retail Only", "Wholesale Only"]);
        assert!(p.pairs.is_empty());
        assert_eq!(p.matched.len(), 3);
    }

    #[test]
    fn not_exact_adds_pairs_with_their_differences() {
        let mut f = Fixture::new();
        f.config.replace.groups.insert(ReplaceGroup::Phones);
        let p = f.plan(Mode::NotExactMatch);
        assert_eq!(p.pairs.len(), 2, "{:?}", p.pairs);
        let gamma = p
            .pairs
            .iter()
            .find(|r| f.locals[r.local].code() == "C3")
            .unwrap();
        assert_eq!(
            gamma.diffs,
            vec![FieldDiff {
                field: Field::Phone,
                applies: true
            }]
        );
        assert!(gamma.status.is_none());
        let sleepy = p
            .pairs
            .iter()
            .find(|r| f.locals[r.local].code() == "C5")
            .unwrap();
        assert!(sleepy.diffs.is_empty());
        assert_eq!(sleepy.status.unwrap().replacement, CustomerStatus::Inactive);
        assert!(
            !sleepy.status.unwrap().applies,
            "Active status is not a checked group"
        );
        assert!(!sleepy.has_changes());
        // QuickBooks' "Exact" has no account number: that alone is not a difference.
        assert!(p.pairs.iter().all(|r| f.locals[r.local].code() != "C4"));
        assert_eq!(p.matching.exact, 1);
    }

    #[test]
    fn a_different_account_number_is_a_notice_not_a_difference_and_hold_is_active() {
        let mut f = Fixture::new();
        f.qb[0].data.set(Field::AccountNumber, "X-4");
        let p = f.plan(Mode::NotExactMatch);
        assert!(
            p.pairs.iter().all(|r| f.locals[r.local].code() != "C4"),
            "no Replace Option can change it: not a row"
        );
        assert_eq!(p.matching.exact, 1, "Hold is active in QuickBooks terms");
        let c4 = f.locals.iter().position(|c| c.code() == "C4").unwrap();
        assert!(
            p.notices
                .iter()
                .any(|n| matches!(n, Notice::CodeDiffers { local, .. } if local.get() == c4))
        );
        // Missing in QuickBooks is no notice.
        f.qb[0].data.clear(Field::AccountNumber);
        assert!(f.plan(Mode::NotExactMatch).notices.is_empty());
    }

    #[test]
    fn export_status_filter_hides_unchecked_statuses() {
        let mut f = Fixture::new();
        f.config.export.statuses.remove(&CustomerStatus::Inactive);
        let p = f.plan(Mode::MissingOnly);
        assert_eq!(codes(&p, &f), vec!["C1"]);
        assert_eq!(p.matching.hidden_by_status, 1);
    }

    #[test]
    fn include_types_keeps_types_and_sub_types() {
        let mut f = Fixture::new();
        f.config.import.include_customer_types = vec!["retail".into()];
        let p = f.plan(Mode::MissingOnly);
        assert_eq!(import_names(&p), vec!["Retail Only"]);
        // "Retailer" is not under "Retail".
        f.qb[2].data.set(Field::CustomerType, "Retailer");
        assert!(import_names(&f.plan(Mode::MissingOnly)).is_empty());
    }

    #[test]
    fn export_defaults_apply_and_missing_types_are_reported() {
        let mut f = Fixture::new();
        f.config.export.customer_type = Some("Retail".into());
        f.config.export.job_type = Some("Install".into());
        f.locals[0].data.set(Field::CustomerType, "Wholesale");
        let p = f.plan(Mode::MissingOnly);
        let alpha = &p.exports[0].add;
        assert_eq!(
            alpha.data.get(Field::CustomerType),
            Some("Retail"),
            "the seed: every exported customer gets the default"
        );
        assert_eq!(
            p.exports[1].add.data.get(Field::CustomerType),
            Some("Retail")
        );
        assert_eq!(alpha.job_type.as_deref(), Some("Install"));
        assert_eq!(p.exports[1].add.is_active, Some(false));
        assert_eq!(
            p.missing_types,
            vec![MissingType::JobType("Install".into())]
        );

        // Only those without a type of their own: Alpha keeps Wholesale.
        f.config.export.default_type_for = DefaultTypeFor::WithoutType;
        let p = f.plan(Mode::MissingOnly);
        assert_eq!(
            p.exports[0].add.data.get(Field::CustomerType),
            Some("Wholesale"),
            "own type wins"
        );
        assert_eq!(
            p.exports[1].add.data.get(Field::CustomerType),
            Some("Retail")
        );
    }

    #[test]
    fn a_missing_default_is_asked_about_only_when_a_checked_customer_carries_it() {
        let mut f = Fixture::new();
        f.config.export.customer_type = Some("Direct".into());
        f.config.export.default_type_for = DefaultTypeFor::WithoutType;
        f.locals[0].data.set(Field::CustomerType, "Wholesale");
        let p = f.plan(Mode::MissingOnly);
        assert_eq!(
            p.missing_types,
            vec![MissingType::CustomerType("Direct".into())]
        );
        let (alpha, beta) = (&p.exports[0].add, &p.exports[1].add);
        assert!(
            p.missing_types_for([alpha]).is_empty(),
            "Alpha keeps its own"
        );
        assert_eq!(
            p.missing_types_for([alpha, beta]),
            vec![MissingType::CustomerType("Direct".into())]
        );
        // A type of the customer's own that QuickBooks lacks is the row's problem; the missing
        // default is not.
        f.locals[0].data.set(Field::CustomerType, "Nowhere");
        let p = f.plan(Mode::MissingOnly);
        assert_eq!(
            p.exports[0].problems,
            vec![Problem::UnknownCustomerType("Nowhere".into())]
        );
        assert!(p.exports[1].problems.is_empty());
    }

    #[test]
    fn name_collisions_are_problems() {
        let mut f = Fixture::new();
        f.taken.insert(NameList::Vendor, "ALPHA");
        f.locals.push(local("C9", "beta ", CustomerStatus::Active));
        let mut p = f.plan(Mode::MissingOnly);
        let alpha = &p.exports[0];
        assert!(matches!(
            &alpha.problems[..],
            [Problem::NameTaken {
                list: NameList::Vendor,
                ..
            }]
        ));
        let betas: Vec<_> = p
            .exports
            .iter()
            .filter(|e| !e.problems.is_empty() && e.local.get() != 0)
            .collect();
        assert_eq!(betas.len(), 2, "both Betas are flagged");
        assert_eq!(p.names_to_check(), vec!["Alpha", "Beta"]);
        p.mark_taken(&TakenNames::default());
        assert!(p.exports[0].problems.is_empty());
    }

    /// The example: "Acme Supply, Inc." in SMSTurbo, "Acme Supply Inc" in QuickBooks,
    /// one phone.
    fn with_acme(f: &mut Fixture) {
        let mut acme = local("C7", "Acme Supply, Inc.", CustomerStatus::Active);
        acme.data.set(Field::Phone, "(555) 010-4477");
        f.locals.push(acme);
        let mut q = qb("8-1", "Acme Supply Inc");
        q.data.set(Field::Phone, "555.010.4477");
        f.qb.push(q);
    }

    #[test]
    fn a_likely_pair_is_one_row_on_each_side_naming_the_other_and_check_all_leaves_both() {
        let mut f = Fixture::new();
        with_acme(&mut f);
        let p = f.plan(Mode::MissingOnly);
        let export = p
            .exports
            .iter()
            .find(|r| f.locals[r.local].code() == "C7")
            .unwrap();
        let [found] = &export.likely[..] else {
            panic!("{:?}", export.likely)
        };
        assert_eq!(f.qb[found.other].list_id, "8-1");
        assert_eq!(
            found.reasons.to_string(),
            "same phone; name differs only in punctuation"
        );
        assert!(found.score.get() > 50);
        let import = p
            .imports
            .iter()
            .find(|r| f.qb[r.qb].list_id == "8-1")
            .unwrap();
        assert_eq!(import.likely.len(), 1);
        assert_eq!(f.locals[import.likely[0].other].code(), "C7");
        assert_eq!(import.likely[0].reasons, found.reasons);
        assert!(export.problems.is_empty() && import.problems.is_empty());
        assert_eq!(p.exportable(&f.locals).collect::<Vec<_>>(), ["C1", "C2"]);
        assert!(p.importable(&f.qb).all(|id| id != "8-1"));
        // Everything else looks like nothing.
        let others = p.exports.iter().filter(|r| !r.likely.is_empty()).count()
            + p.imports.iter().filter(|r| !r.likely.is_empty()).count();
        assert_eq!(others, 2);
    }

    #[test]
    fn a_customer_a_filter_hides_still_stops_its_look_alike_being_added() {
        let mut f = Fixture::new();
        with_acme(&mut f);
        f.locals[5].status = CustomerStatus::Inactive;
        f.config.export.statuses.remove(&CustomerStatus::Inactive);
        let p = f.plan(Mode::MissingOnly);
        assert!(p.exports.iter().all(|r| f.locals[r.local].code() != "C7"));
        let import = p
            .imports
            .iter()
            .find(|r| f.qb[r.qb].list_id == "8-1")
            .unwrap();
        assert_eq!(f.locals[import.likely[0].other].code(), "C7");
        // And the other way round: a QuickBooks customer of a type not imported.
        let mut f = Fixture::new();
        with_acme(&mut f);
        f.config.import.include_customer_types = vec!["Retail".into()];
        let p = f.plan(Mode::MissingOnly);
        assert!(p.imports.iter().all(|r| f.qb[r.qb].list_id != "8-1"));
        let export = p
            .exports
            .iter()
            .find(|r| f.locals[r.local].code() == "C7")
            .unwrap();
        assert_eq!(f.qb[export.likely[0].other].list_id, "8-1");
    }

    #[test]
    fn paired_customers_are_not_searched() {
        // "Gamma" is paired by account number; an SMSTurbo "Gamma Inc." with its phone is an
        // export candidate, but Gamma is nobody's likely duplicate: it is taken.
        let mut f = Fixture::new();
        let mut g = local("C8", "Gamma Inc.", CustomerStatus::Active);
        g.data.set(Field::Phone, "555-0199");
        f.locals.push(g);
        let p = f.plan(Mode::MissingOnly);
        assert!(p.exports.iter().all(|r| r.likely.is_empty()));
        // Unpaired, they would be a likely pair.
        let candidate = |id, record| crate::sync::likely::Candidate { id, record };
        let found = crate::sync::likely::find(
            &[candidate(0, Record::from_customer(&f.locals[5]))],
            &[candidate(0, Record::from_data(&f.qb[1].data))],
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn imports_get_unique_codes() {
        let locals = [local("acme", "Acme", CustomerStatus::Active)];
        let codes = LocalCodes::new(&locals);
        let mut used = CodeAllocator::new(&codes);
        let mut r = qb("1-1", "Acme, Inc.");
        r.data.set(Field::AccountNumber, "ACME");
        assert_eq!(customer_from_qb(&r, &mut used).code(), "ACME-2");
        r.data.clear(Field::AccountNumber);
        assert_eq!(customer_from_qb(&r, &mut used).code(), "ACMEINC");
        assert_eq!(customer_from_qb(&r, &mut used).code(), "ACMEINC-2");
    }

    #[test]
    fn import_codes_skip_suffixes_taken_and_blank_bases() {
        let locals = [
            local("acme", "Acme", CustomerStatus::Active),
            local("ACME-2", "Acme West", CustomerStatus::Active),
        ];
        let codes = LocalCodes::new(&locals);
        let mut used = CodeAllocator::new(&codes);
        assert_eq!(used.allocate("Acme"), "Acme-3");
        assert_eq!(used.allocate("ACME"), "ACME-4");
        assert_eq!(used.allocate("new"), "new");
        assert_eq!(used.allocate("NEW"), "NEW-2");
        assert_eq!(used.allocate(" "), " -2");
    }

    #[test]
    fn quickbooks_spellings_are_what_is_sent_and_compared() {
        let mut f = Fixture::new();
        // Gamma's phone differs; with QuickBooks' phone as its QuickBooks spelling it does not.
        f.locals[2].qb_spellings.set(Field::Phone, "555-0199");
        let p = f.plan(Mode::NotExactMatch);
        assert!(
            p.pairs.iter().all(|r| f.locals[r.local].code() != "C3"),
            "{:?}",
            p.pairs
        );
        let mut polish = local("C9", "Łódź", CustomerStatus::Active);
        polish.qb_name = Some("Lodz".into());
        polish.data.set(Field::BillCity, "Gdańsk");
        polish.qb_spellings.set(Field::BillCity, "Gdansk");
        let add = customer_add_for(&polish, &Config::default());
        assert_eq!(add.data.get(Field::Name), Some("Lodz"));
        assert_eq!(add.data.get(Field::BillCity), Some("Gdansk"));
        assert!(problems::for_add(&add).is_empty());
    }
}
