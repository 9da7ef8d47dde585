//! Reading QuickBooks' customers for a synchronization (SPEC §6, issue 13): every customer, or
//! only what changed since the last read, through the mirror custsync keeps of each company
//! file (`store::mirror`). Planning gets the same list either way ([`listing`]).
//!
//! **A full read** reads every customer page by page through an iterator, then (one document)
//! the deletions QuickBooks keeps, the customer count, and the customer and job types. The
//! mirror is replaced with what was read in one transaction at the end: an interrupted full read
//! leaves the mirror as it was, and the next run decides afresh (a full read cannot resume: it
//! has no watermark to resume from).
//!
//! **An incremental read** first reads the mirror as it stands (before anything is written, so
//! beside the store's page check), then asks for customers with `FromModifiedDate` = the
//! watermark minus the overlap, folds each page into the mirror as it comes (one transaction per
//! page; a ListID the mirror holds with the same EditSequence is left alone), then in one
//! document asks for the deletions since the same moment (after the customers, so that a
//! deletion during the read is seen), the count, one customer by ListID (see below) and the
//! types. It saves the new watermark only in the transaction that also removes the deleted
//! customers, after every page is stored. Planning gets the mirror as first read, less what was
//! removed, with the customers the read stored read back by ListID.
//!
//! *The watermark* is a TimeModified QuickBooks returned — the newest a completed read saw, kept
//! as QuickBooks wrote it, with its offset — never custsync's clock. Pages do not come in
//! TimeModified order, so no page's newest time covers the pages before it: the watermark moves
//! only when the whole read is stored. A read that dies part-way (custsync killed, the Web
//! Connector session over: iterators do not outlive it) leaves the old watermark, and the next
//! read starts from it again: the pages already folded in come again as "same" and nothing is
//! skipped. *The overlap* is an hour (QuickBooks is known to shift reported times by an hour
//! around daylight-saving changes, and `FromModifiedDate` is inclusive) plus how long the read
//! took (measured, not a clock reading): an iterator need not show a change made to a customer
//! after its page was handed out, and every such change is later than the read's start, which
//! is no earlier than the watermark minus the read's duration.
//!
//! *When custsync cannot be sure*, it reads everything and says why ([`FullReason`]): no mirror
//! of this company file; asked to (`--full`, the Synchronize screen's key); this custsync maps
//! fields the mirror lacks; another company name; the last read older than
//! `sync.mirror_max_age_days` (QuickBooks keeps deletion records about 90 days); QuickBooks
//! refusing `ListDeletedQuery`; and, after reading the changes, a list that went back in time
//! (a restored backup): a new customer numbered below ListIDs already read, or the customer the
//! watermark came from gone without a deletion record or with an older EditSequence; or a
//! customer count that differs from the mirror's (read the changes once more first: a customer
//! added between the pages and the count is not a reason to read 100,000 customers).

mod listing;
mod reason;

use std::collections::HashSet;
use std::time::Instant;

use chrono::Utc;
use rustc_hash::FxHashSet;

pub use reason::{FullReason, ReadKind, ReadRequest, ReadSummary};

use crate::config::Config;
use crate::qb::QbError;
use crate::qb::session::{ListFacts, ListFactsQuery, Session, SessionError, mapped_ret_elements};
use crate::qbxml::status::{Status, codes};
use crate::qbxml::{CustomerRet, ListDeletedRet, ListFilter, ListRet, QbDateTime};
use crate::store::{Folded, MirrorState, Newest, Store, StoreRead};

use super::engine::CompanyInfo;
use super::fault;
use super::fold::fold_duplicates;
use super::report::{Phase, Progress, SyncError};

/// Seconds every read starts before the watermark, before adding the read's own duration.
pub const BASE_OVERLAP_SECS: u32 = 3600;

/// What a read hands planning.
#[derive(Debug)]
pub(super) struct QbRead {
    /// In QuickBooks' list order, one per ListID (see [`listing`]).
    pub customers: Vec<CustomerRet>,
    /// Every deletion the mirror knows of, or the status QuickBooks refused `ListDeletedQuery`
    /// with (a full read goes on without: see [`super::stale`]).
    pub deleted: Result<Vec<ListDeletedRet>, Status>,
    /// Copies of customers the read met more than once (changed while it read), folded into one.
    pub folded: usize,
    pub customer_types: Vec<ListRet>,
    pub job_types: Vec<ListRet>,
    pub summary: ReadSummary,
}

/// The CustomerRet elements the mirror keeps: the mapped fields and what tells a job from a
/// customer, plus what an incremental read needs (TimeModified, EditSequence). TimeCreated,
/// FullName (derived from the parent instead) and ExternalGUID are left out.
pub(crate) fn mirror_elements() -> Vec<&'static str> {
    const UNUSED: [&str; 3] = ["TimeCreated", "FullName", "ExternalGUID"];
    mapped_ret_elements()
        .iter()
        .copied()
        .filter(|e| !UNUSED.contains(e))
        .collect()
}

/// Whether a customer QuickBooks returned carries what the mirror needs (a CustomerAddRs asked
/// for [`mirror_elements`], or a lookup by name asked for more).
pub(super) fn mirrorable(c: &CustomerRet) -> bool {
    !c.list_id.is_empty() && c.edit_sequence.is_some() && c.time_modified.is_some()
}

/// How many times a read is made when the ones before were cut short.
const ATTEMPTS: usize = 3;

/// Reads QuickBooks' customers for `company`: incrementally when `request` allows and custsync
/// can be sure, else all of them.
pub(super) fn read_customers(
    session: &mut Session<'_>,
    store: &mut Store,
    company: &CompanyInfo,
    config: &Config,
    request: ReadRequest,
    progress: &mut dyn Progress,
) -> Result<QbRead, SyncError> {
    let started = Instant::now();
    let stored = store.mirror(&company.file)?;
    let decided = reason::decide(
        stored.as_ref(),
        company,
        request,
        config.sync.mirror_max_age_days,
        Utc::now(),
    );
    let reason = match decided {
        Err(reason) => reason,
        Ok((state, since)) => {
            let reader = Incremental {
                state,
                since,
                started,
            };
            let mut outcome = restarting(|| reader.read(session, store, config, progress))?;
            if let Err(FullReason::CountDiffers { .. }) = outcome {
                // A customer added between the pages and the count: one more look settles it.
                outcome = restarting(|| reader.read(session, store, config, progress))?;
            }
            match outcome {
                Ok(read) => return Ok(read),
                Err(reason) => reason,
            }
        }
    };
    restarting(|| full(session, store, company, config, reason.clone(), progress))
}

/// Makes a read again when the one before was cut short: its response lost on the way (the Web
/// Connector's update ended), or its iterator gone with the QuickBooks session that held it
/// (3391). An incremental read starts again from the watermark, a full one from the start;
/// nothing read so far is trusted for the watermark.
fn restarting<T>(mut read: impl FnMut() -> Result<T, SyncError>) -> Result<T, SyncError> {
    let mut attempt = 1;
    loop {
        match read() {
            Err(e) if attempt < ATTEMPTS && cut_short(&e) => attempt += 1,
            other => return other,
        }
    }
}

fn cut_short(e: &SyncError) -> bool {
    match e {
        SyncError::Session(SessionError::Qb(QbError::InDoubt(_))) => true,
        SyncError::Session(SessionError::Status { status, .. }) => {
            status.code == codes::ITERATOR_INVALID
        }
        _ => false,
    }
}

fn full(
    session: &mut Session<'_>,
    store: &mut Store,
    company: &CompanyInfo,
    config: &Config,
    reason: FullReason,
    progress: &mut dyn Progress,
) -> Result<QbRead, SyncError> {
    let started = Instant::now();
    let total = u64::from(company.customer_count);
    let mut read: Vec<CustomerRet> = Vec::with_capacity(company.customer_count as usize);
    progress.update(Phase::ReadingQuickBooks, 0, total);
    for page in session.customers(config.sync.page_size, &mirror_elements()) {
        read.extend(page?.customers);
        fault::point("read:page");
        progress.update(
            Phase::ReadingQuickBooks,
            read.len() as u64,
            total.max(read.len() as u64),
        );
    }
    let overlap = overlap_after(started);
    // An incremental read that QuickBooks refused ListDeletedQuery a moment ago is not asked
    // again: one run asks once.
    let refused = match &reason {
        FullReason::NoDeletions { status } => status.as_ref(),
        _ => None,
    };
    let facts = session.list_facts(&ListFactsQuery {
        deleted_refused: refused,
        ..ListFactsQuery::default()
    })?;
    let (stored_deleted, deletions) = match &facts.deleted {
        Ok(d) => (d.as_slice(), true),
        Err(_) => (&[][..], false),
    };
    let mut records = read;
    let folded = fold_duplicates(&mut records);
    let seen = Seen::of(&records);
    let state = MirrorState {
        company: company.file.clone(),
        company_name: company.name.clone(),
        watermark: seen.newest_time.as_ref().map(|(_, text)| text.clone()),
        overlap_secs: overlap,
        list_seq_floor: seen.max_seq,
        newest: seen.newest,
        read_at: Utc::now(),
        deletions,
    };
    store.transaction(|tx| tx.replace_mirror(&state, &records, stored_deleted))?;
    fault::point("read:full-stored");
    let customers = listing::planning_list(records);
    Ok(QbRead {
        summary: ReadSummary {
            kind: ReadKind::Full(reason),
            changed: customers.len(),
            deleted: 0,
            customers: customers.len(),
        },
        customers,
        deleted: facts.deleted,
        folded,
        customer_types: facts.customer_types,
        job_types: facts.job_types,
    })
}

/// An incremental read from a mirror's state.
struct Incremental<'m> {
    state: &'m MirrorState,
    /// The watermark.
    since: QbDateTime,
    /// When the first attempt started: the overlap covers every attempt.
    started: Instant,
}

impl Incremental<'_> {
    /// Folds the changes into the mirror and, when QuickBooks' answers leave no doubt, saves
    /// the new state and returns the customers. `Ok(Err(reason))`: a full read is needed.
    fn read(
        &self,
        session: &mut Session<'_>,
        store: &mut Store,
        config: &Config,
        progress: &mut dyn Progress,
    ) -> Result<Result<QbRead, FullReason>, SyncError> {
        let company = self.state.company.as_str();
        let from = self.since.earlier_by(self.state.overlap_secs);
        let filter = ListFilter {
            from_modified_date: Some(from.to_string()),
            ..ListFilter::default()
        };
        // The mirror as it stands, read before this read writes anything: the store's page
        // check may still be running beside it, and every write waits for that check. Planning
        // gets this, less what the read removes, with what it stores read back ([`Reread`]).
        let before = store.mirror_listing(company)?;
        let mut rewritten: FxHashSet<String> = FxHashSet::default();
        let mut changed: HashSet<String> = HashSet::new();
        let mut new_ids: Vec<String> = Vec::new();
        let mut read: Vec<CustomerRet> = Vec::new();
        progress.update(Phase::ReadingQuickBooks, 0, 0);
        let watermark = instant(&self.since);
        let mut pages =
            session.customers_matching(filter, config.sync.page_size, &mirror_elements());
        for page in &mut pages {
            let page = page?;
            let folded = store.transaction(|tx| tx.fold_into_mirror(company, &page.customers))?;
            fault::point("read:page");
            for (c, f) in page.customers.iter().zip(&folded) {
                // A change is what the mirror did not have, or what changed after the
                // watermark (folded in already by a read that was cut short).
                let after = c
                    .time_modified
                    .as_deref()
                    .and_then(|t| QbDateTime::parse(t).ok())
                    .is_some_and(|t| instant(&t) > watermark);
                if *f != Folded::Same || after {
                    changed.insert(c.list_id.clone());
                }
                if *f == Folded::New {
                    new_ids.push(c.list_id.clone());
                }
                if *f != Folded::Same {
                    rewritten.insert(c.list_id.clone());
                }
            }
            let done = read.len() as u64 + page.customers.len() as u64;
            progress.update(
                Phase::ReadingQuickBooks,
                done,
                done + u64::from(page.remaining),
            );
            // Only the bookkeeping is kept: the mirror has the rest.
            read.extend(page.customers.into_iter().map(|c| CustomerRet {
                list_id: c.list_id,
                time_modified: c.time_modified,
                edit_sequence: c.edit_sequence,
                ..CustomerRet::default()
            }));
        }
        drop(pages);
        let overlap = overlap_after(self.started);
        let facts = session.list_facts(&ListFactsQuery {
            deleted_since: Some(&from),
            probe: self.state.newest.as_ref().map(|n| n.list_id.as_str()),
            deleted_refused: None,
        })?;
        let deleted = match facts.deleted.clone() {
            Ok(d) => d,
            Err(status) => {
                return Ok(Err(FullReason::NoDeletions {
                    status: Some(status),
                }));
            }
        };
        if let Some(detail) = self.went_back(&new_ids, &facts, &deleted) {
            return Ok(Err(FullReason::WentBack { detail }));
        }
        let seen = Seen::of(&read);
        let newer = seen
            .newest_time
            .as_ref()
            .is_some_and(|(t, _)| instant(t) > instant(&self.since));
        let state = MirrorState {
            watermark: if newer {
                seen.newest_time.as_ref().map(|(_, text)| text.clone())
            } else {
                self.state.watermark.clone()
            },
            newest: if newer {
                seen.newest.clone()
            } else {
                self.state.newest.clone()
            },
            overlap_secs: overlap,
            list_seq_floor: self.state.list_seq_floor.max(seen.max_seq),
            read_at: Utc::now(),
            deletions: true,
            ..self.state.clone()
        };
        let held = store.transaction(|tx| -> Result<_, SyncError> {
            let removed = tx.remove_from_mirror(company, &deleted)?;
            let held = tx.mirror_count(company)?;
            if held == u64::from(facts.customer_count) {
                tx.save_mirror_state(&state)?;
            }
            Ok((removed, held))
        })?;
        let (removed, held) = held;
        if held != u64::from(facts.customer_count) {
            return Ok(Err(FullReason::CountDiffers {
                mirror: held,
                quickbooks: facts.customer_count,
            }));
        }
        fault::point("read:state-saved");
        let reread = Reread {
            before,
            rewritten: &rewritten,
            deleted: &deleted,
            held,
        };
        let customers = listing::planning_list(reread.listing(store, company)?);
        Ok(Ok(QbRead {
            summary: ReadSummary {
                kind: ReadKind::Incremental { since: self.since },
                changed: changed.len(),
                deleted: removed,
                customers: customers.len(),
            },
            customers,
            deleted: Ok(store.mirror_deleted(company)?),
            folded: read.len()
                - read
                    .iter()
                    .map(|c| &c.list_id)
                    .collect::<HashSet<_>>()
                    .len(),
            customer_types: facts.customer_types,
            job_types: facts.job_types,
        }))
    }

    /// Whether QuickBooks' list went back since the last read, in words, if it did.
    fn went_back(
        &self,
        new_ids: &[String],
        facts: &ListFacts,
        deleted: &[ListDeletedRet],
    ) -> Option<String> {
        if let Some(floor) = self.state.list_seq_floor
            && let Some(id) = new_ids
                .iter()
                .find(|id| list_sequence(id).is_some_and(|s| s <= floor))
        {
            return Some(format!(
                "QuickBooks numbered a new customer {id}, below customers it numbered before"
            ));
        }
        let newest = self.state.newest.as_ref()?;
        match &facts.probe {
            None if deleted.iter().any(|d| d.list_id == newest.list_id) => None,
            None => Some(format!(
                "customer {} is gone from QuickBooks without a deletion record",
                newest.list_id
            )),
            Some(found) => {
                let now = found
                    .edit_sequence
                    .as_deref()
                    .and_then(|s| s.parse::<u64>().ok());
                let was = newest.edit_sequence.parse::<u64>().ok();
                match (now, was) {
                    (Some(now), Some(was)) if now < was => Some(format!(
                        "customer {} has an older version than custsync read before",
                        newest.list_id
                    )),
                    _ => None,
                }
            }
        }
    }
}

/// The mirror after an incremental read, from what it held before (read while nothing was
/// written yet) and the read's own changes: the customers the read stored (new or changed) are
/// read back by ListID, those it removed are left out. The same as reading the whole mirror
/// back (one writer per workspace: only this read changed it); should the count say otherwise,
/// it is read back whole, as it is when the read stored so many that looking each up would
/// cost more.
struct Reread<'r> {
    before: Vec<CustomerRet>,
    rewritten: &'r FxHashSet<String>,
    deleted: &'r [ListDeletedRet],
    /// How many customers the mirror holds now.
    held: u64,
}

impl Reread<'_> {
    fn listing(self, store: &Store, company: &str) -> Result<Vec<CustomerRet>, SyncError> {
        // A lookup by key costs a few times what the same row costs in a scan.
        if self.rewritten.len() > self.before.len() / 8 {
            return Ok(store.mirror_listing(company)?);
        }
        let deleted: FxHashSet<&str> = self.deleted.iter().map(|d| d.list_id.as_str()).collect();
        let mut customers: Vec<CustomerRet> = self
            .before
            .into_iter()
            .filter(|c| {
                !self.rewritten.contains(&c.list_id) && !deleted.contains(c.list_id.as_str())
            })
            .collect();
        let stored: Vec<&str> = self.rewritten.iter().map(String::as_str).collect();
        customers.extend(store.mirror_listing_of(company, &stored)?);
        if customers.len() as u64 == self.held {
            Ok(customers)
        } else {
            Ok(store.mirror_listing(company)?)
        }
    }
}

/// The overlap for the next read: the base and how long this one took, rounded up.
fn overlap_after(started: Instant) -> u32 {
    let secs = started.elapsed().as_secs().saturating_add(1);
    BASE_OVERLAP_SECS.saturating_add(u32::try_from(secs).unwrap_or(u32::MAX))
}

/// What a read saw, for the mirror's state.
struct Seen {
    /// The newest TimeModified, parsed and as written.
    newest_time: Option<(QbDateTime, String)>,
    /// The customer it belongs to.
    newest: Option<Newest>,
    max_seq: Option<u32>,
}

impl Seen {
    fn of(read: &[CustomerRet]) -> Seen {
        let mut seen = Seen {
            newest_time: None,
            newest: None,
            max_seq: None,
        };
        for c in read {
            if let Some(seq) = list_sequence(&c.list_id) {
                seen.max_seq = seen.max_seq.max(Some(seq));
            }
            let Some(t) = c
                .time_modified
                .as_deref()
                .and_then(|t| QbDateTime::parse(t).ok())
            else {
                continue;
            };
            let newer = seen
                .newest_time
                .as_ref()
                .is_none_or(|(best, _)| instant(&t) >= instant(best));
            if newer {
                seen.newest = Some(Newest {
                    list_id: c.list_id.clone(),
                    edit_sequence: c.edit_sequence.clone().unwrap_or_default(),
                });
                seen.newest_time = Some((t, c.time_modified.clone().unwrap_or_default()));
            }
        }
        seen
    }
}

/// A comparable instant: Unix seconds when the value has an offset (QuickBooks' do), else its
/// clock reading taken as UTC (values without an offset compare among themselves).
fn instant(t: &QbDateTime) -> i64 {
    t.unix().unwrap_or_else(|| t.naive().and_utc().timestamp())
}

/// The sequence number of a QuickBooks ListID (`80000003-1446676743` → 0x80000003): it grows
/// with every record QuickBooks creates. `None` for another shape.
fn list_sequence(list_id: &str) -> Option<u32> {
    let (seq, _) = list_id.split_once('-')?;
    u32::from_str_radix(seq, 16).ok()
}
