//! The session helper: one qbXML conversation with QuickBooks over any [`Connection`].
//!
//! It opens the connection, settles the qbXML version (from what the connection learned on
//! opening, else a HostQuery at 13.0), numbers request IDs, writes every exchange to the trace,
//! and offers the calls the sync needs: host and company, the customer count, all customers page
//! by page through an iterator (never the whole list as one XML document), the customers changed
//! and deleted since a time (for a copy of the list kept up to date incrementally), customer and
//! job types, and a batched check of which names vendors, employees or other names already hold.
//!
//! Failures below qbXML (HRESULTs, transport) arrive as [`QbError`]s inside [`SessionError`];
//! a status code in a response is not a `QbError`: `send` returns it in the [`ResponseDoc`], and
//! the convenience calls return it as [`SessionError::Status`] with the [`Status`] itself.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::hresult;
use super::trace::{Trace, TraceError};
use super::{AccessPrompt, Connection, QbError, SessionInfo};
use crate::qbxml::messages::{
    ActiveStatus, CompanyRet, CustomerQuery, CustomerRet, HostRet, IteratorRq, ListAdd,
    ListDelType, ListDeletedQuery, ListDeletedRet, ListFilter, ListQuery, ListRet, NameList,
    NameQuery, NameRet, OnError, RequestBody, RequestDoc, Response, ResponseBody, ResponseDoc,
    Selection,
};
use crate::qbxml::order::{self, Content};
use crate::qbxml::read::{ReadError, read_response_str};
use crate::qbxml::rules::{self, Violation};
use crate::qbxml::status::{Status, codes};
use crate::qbxml::write::write_request;
use crate::qbxml::{QbDateTime, QbxmlVersion};

/// How many names one collision-check document asks about (three queries of this many
/// FullNames each): large enough to need few round trips, small enough for any transport.
pub const NAME_CHECK_BATCH: usize = 500;

/// The `IncludeRetElement` list for reading customers: exactly the CustomerRet elements
/// custsync maps, plus the bookkeeping it needs (ListID, TimeCreated, TimeModified,
/// EditSequence, FullName, IsActive, ParentRef, Sublevel, JobTypeRef, ExternalGUID). Derived
/// from the schema-order table, so a new mapped field is asked for automatically.
pub fn mapped_ret_elements() -> &'static [&'static str] {
    static ELEMENTS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        order::CUSTOMER_RET
            .iter()
            .filter(|slot| slot.content != Content::Unused)
            .map(|slot| slot.element)
            .collect()
    });
    &ELEMENTS
}

/// Why a session call failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Qb(#[from] QbError),
    #[error("QuickBooks sent a response custsync could not read: {0}")]
    Read(#[from] ReadError),
    #[error(
        "this QuickBooks supports qbXML only up to {newest}; custsync needs {} or later \
         (QuickBooks 2014 or newer). Update QuickBooks Desktop, then connect again",
        QbxmlVersion::MIN
    )]
    VersionTooOld {
        /// What QuickBooks reported (empty when it refused the 13.0 HostQuery outright).
        supported: Vec<String>,
        newest: String,
    },
    #[error("QuickBooks did not carry out {request}: status {status}")]
    Status {
        request: &'static str,
        status: Status,
    },
    #[error(
        "QuickBooks' response has no answer to {request} (requestID {request_id}). Try again; if \
         it persists, run with --trace DIR and send the files to support"
    )]
    MissingResponse {
        request: &'static str,
        request_id: String,
    },
    #[error(
        "QuickBooks answered in a way custsync cannot follow: {0}. Try again; if it persists, run with --trace DIR and send the files to support"
    )]
    Protocol(String),
    #[error("{}", violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid { violations: Vec<Violation> },
    #[error(
        "QuickBooks kept adding customers to the read ({received} received so far, {expected} at \
         the start): its customer list changed faster than it could be read. Try again when \
         nobody is editing customers in QuickBooks"
    )]
    KeptChanging { received: u64, expected: u64 },
}

impl SessionError {
    /// The status, when QuickBooks answered with an error status.
    pub fn status(&self) -> Option<&Status> {
        match self {
            SessionError::Status { status, .. } => Some(status),
            _ => None,
        }
    }
}

/// An open qbXML session. Dropping it closes the connection's session.
pub struct Session<'c> {
    conn: Box<dyn Connection + 'c>,
    info: SessionInfo,
    version: QbxmlVersion,
    next_id: u64,
    trace: Option<Trace>,
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("info", &self.info)
            .field("version", &self.version)
            .field("next_id", &self.next_id)
            .finish_non_exhaustive()
    }
}

impl<'c> Session<'c> {
    /// Opens the connection (asking the operator through `prompt` if QuickBooks wants to) and
    /// settles the qbXML version. `trace`, when given, receives every exchange.
    pub fn open(
        conn: impl Connection + 'c,
        prompt: &mut dyn AccessPrompt,
        trace: Option<Trace>,
    ) -> Result<Session<'c>, SessionError> {
        let mut conn: Box<dyn Connection + 'c> = Box::new(conn);
        let info = conn.open(prompt)?;
        let mut session = Session {
            conn,
            info,
            version: QbxmlVersion::MIN,
            next_id: 1,
            trace,
        };
        // On failure the session is dropped here, which closes the connection again.
        session.version = session.negotiate()?;
        Ok(session)
    }

    fn negotiate(&mut self) -> Result<QbxmlVersion, SessionError> {
        let (supported, reported): (Vec<QbxmlVersion>, Vec<String>) =
            if self.info.supported_versions.is_empty() {
                let host = match self.host() {
                    Ok(host) => host,
                    Err(SessionError::Qb(e))
                        if e.hresult_code() == Some(hresult::VERSION_NOT_SUPPORTED) =>
                    {
                        return Err(SessionError::VersionTooOld {
                            supported: Vec::new(),
                            newest: "an older version".into(),
                        });
                    }
                    Err(e) => return Err(e),
                };
                let parsed = host
                    .supported_versions
                    .iter()
                    .filter_map(|v| v.parse().ok())
                    .collect();
                (parsed, host.supported_versions)
            } else {
                let v = self.info.supported_versions.clone();
                let reported = v.iter().map(ToString::to_string).collect();
                (v, reported)
            };
        QbxmlVersion::negotiate(&supported).ok_or_else(|| SessionError::VersionTooOld {
            newest: supported
                .iter()
                .max()
                .map_or_else(|| "no known version".into(), ToString::to_string),
            supported: reported,
        })
    }

    /// The qbXML version every document of this session is written in.
    pub fn version(&self) -> QbxmlVersion {
        self.version
    }

    pub fn info(&self) -> &SessionInfo {
        &self.info
    }

    /// The first trace-writing failure, once (see [`Trace::take_failure`]).
    pub fn take_trace_failure(&mut self) -> Option<TraceError> {
        self.trace.as_mut().and_then(Trace::take_failure)
    }

    /// A new request ID, unique within the session.
    pub fn request_id(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        id.to_string()
    }

    /// An empty document in this session's version.
    pub fn document(&self, on_error: OnError) -> RequestDoc {
        RequestDoc::new(self.version, on_error)
    }

    /// Adds `body` to `doc` with a fresh request ID, which it returns.
    pub fn push(&mut self, doc: &mut RequestDoc, body: RequestBody) -> String {
        let id = self.request_id();
        doc.push(id.clone(), body);
        id
    }

    /// Sends a whole document and reads the response. Status codes are in the result; only a
    /// failure below qbXML or an unreadable response is an error.
    pub fn send(&mut self, doc: &RequestDoc) -> Result<ResponseDoc, SessionError> {
        let xml = write_request(doc);
        Ok(self.send_xml(&xml)?.1)
    }

    /// Sends a document exactly as written and returns the response text with its reading. The
    /// outbox sends through this: a resend must be byte-identical for QuickBooks' error recovery
    /// to recognise it, and the stored response is the text QuickBooks sent.
    pub fn send_xml(&mut self, xml: &str) -> Result<(String, ResponseDoc), SessionError> {
        let seq = self.trace.as_mut().map(|t| t.request(xml));
        let result = self.conn.process(xml);
        if let (Some(trace), Some(seq)) = (self.trace.as_mut(), seq) {
            match &result {
                Ok(response) => trace.response(seq, response),
                Err(e) => trace.failure(seq, e),
            }
        }
        let text = result?;
        let doc = read_response_str(&text)?;
        Ok((text, doc))
    }

    /// Tells the connection how far the caller's work has come (the Web Connector shows it).
    pub fn report_progress(&mut self, done: u64, total: u64) {
        self.conn.report_progress(done, total);
    }

    /// Sends one request alone and returns its response.
    fn single(&mut self, body: RequestBody) -> Result<Response, SessionError> {
        let request = body.message_name();
        let mut doc = self.document(OnError::StopOnError);
        let id = self.push(&mut doc, body);
        let response = self.send(&doc)?;
        response
            .responses
            .into_iter()
            .find(|r| r.request_id.as_deref() == Some(id.as_str()))
            .ok_or(SessionError::MissingResponse {
                request,
                request_id: id,
            })
    }

    /// `HostQuery`: product, version, supported qbXML versions.
    pub fn host(&mut self) -> Result<HostRet, SessionError> {
        let r = self.single(RequestBody::HostQuery)?;
        match succeeded("HostQuery", r)?.body {
            ResponseBody::Host(h) => Ok(h),
            _ => Err(SessionError::Protocol(
                "a HostQuery answer without HostRet".into(),
            )),
        }
    }

    /// `CompanyQuery`: what the operator confirms before a sync.
    pub fn company(&mut self) -> Result<CompanyRet, SessionError> {
        let r = self.single(RequestBody::CompanyQuery)?;
        match succeeded("CompanyQuery", r)?.body {
            ResponseBody::Company(c) => Ok(c),
            _ => Err(SessionError::Protocol(
                "a CompanyQuery answer without CompanyRet".into(),
            )),
        }
    }

    /// How many customers (active and inactive, jobs included) the company has, without
    /// reading them.
    pub fn customer_count(&mut self) -> Result<u32, SessionError> {
        let r = self.single(count_query())?;
        count_from(r)
    }

    /// Every customer, `page_size` at a time through a QuickBooks iterator, active and inactive.
    /// `include` limits the elements returned (use [`mapped_ret_elements`]; empty means all).
    /// Nothing is sent until the first page is asked for.
    pub fn customers(&mut self, page_size: u32, include: &[&str]) -> CustomerPages<'_, 'c> {
        self.customers_matching(ListFilter::default(), page_size, include)
    }

    /// Like [`Session::customers`], limited by `filter` (e.g. `FromModifiedDate`). The filter's
    /// `max_returned` is the page size; ActiveStatus defaults to All.
    pub fn customers_matching(
        &mut self,
        filter: ListFilter,
        page_size: u32,
        include: &[&str],
    ) -> CustomerPages<'_, 'c> {
        CustomerPages {
            session: self,
            filter: ListFilter {
                max_returned: Some(page_size.max(1)),
                active_status: filter.active_status.or(Some(ActiveStatus::All)),
                ..filter
            },
            include: include.iter().map(|s| s.to_string()).collect(),
            iterator_id: None,
            remaining: None,
            received: 0,
            expected: None,
            finished: false,
        }
    }

    /// The customers and jobs changed since `since` (inclusive, as QuickBooks' FromModifiedDate
    /// is), active and inactive, `page_size` at a time through an iterator, each with the
    /// elements a copy of the list needs ([`mapped_ret_elements`]: ListID, EditSequence,
    /// TimeModified, FullName, IsActive, ParentRef, Sublevel and every mapped field).
    ///
    /// Send back a TimeModified QuickBooks returned, minus an overlap
    /// ([`QbDateTime::earlier_by`]; at least an hour, for QuickBooks' daylight-saving shifts).
    /// The same ListID can come more than once in one read when a customer changes during it;
    /// keep the copy with the latest EditSequence. An iterator does not outlive its session: a
    /// read cut short starts again from the watermark.
    pub fn customers_modified_since(
        &mut self,
        since: &QbDateTime,
        page_size: u32,
    ) -> CustomerPages<'_, 'c> {
        self.customers_matching(
            ListFilter {
                from_modified_date: Some(since.to_string()),
                ..ListFilter::default()
            },
            page_size,
            mapped_ret_elements(),
        )
    }

    /// The customers and jobs QuickBooks deleted, or merged into another, since `since`
    /// (inclusive; `None`: every record it still keeps), oldest first. QuickBooks keeps these
    /// records for about 90 days: a copy of the list older than that cannot learn every
    /// deletion and needs a full read.
    pub fn deleted_customers_since(
        &mut self,
        since: Option<&QbDateTime>,
    ) -> Result<Vec<ListDeletedRet>, SessionError> {
        let r = self.single(deleted_query(since))?;
        deleted_from(r)
    }

    /// What a read of the customer list asks once the customers are in, in one document (one
    /// round trip, which over the Web Connector is one poll): the customers deleted since
    /// `deleted_since` (`None`: every record QuickBooks keeps; not asked at all with
    /// `deleted_refused`, the answer QuickBooks already gave in this session), how many customers there are
    /// now, one customer by ListID (its EditSequence: has it gone back?), and the customer and
    /// job types. A `ListDeletedQuery` QuickBooks refuses is an answer here
    /// ([`ListFacts::deleted`]), not a failure: the caller decides what it cannot know then.
    pub fn list_facts(&mut self, q: &ListFactsQuery<'_>) -> Result<ListFacts, SessionError> {
        let mut doc = self.document(OnError::ContinueOnError);
        let deleted = match q.deleted_refused {
            Some(status) => Err(status),
            None => Ok(self.push(&mut doc, deleted_query(q.deleted_since))),
        };
        let count = self.push(&mut doc, count_query());
        let probe = q.probe.map(|list_id| {
            self.push(
                &mut doc,
                RequestBody::CustomerQuery(CustomerQuery {
                    selection: Selection::ListIds(vec![list_id.to_string()]),
                    include_ret: vec!["ListID".into(), "EditSequence".into()],
                    ..CustomerQuery::default()
                }),
            )
        });
        let customer_types = self.push(&mut doc, RequestBody::CustomerTypeQuery(all_types()));
        let job_types = self.push(&mut doc, RequestBody::JobTypeQuery(all_types()));
        let mut response = self.send(&doc)?;
        let mut take = |request: &'static str, id: &str| -> Result<Response, SessionError> {
            let i = response
                .responses
                .iter()
                .position(|r| r.request_id.as_deref() == Some(id))
                .ok_or_else(|| SessionError::MissingResponse {
                    request,
                    request_id: id.to_string(),
                })?;
            Ok(response.responses.swap_remove(i))
        };
        let deleted = match deleted {
            Ok(id) => match deleted_from(take("ListDeletedQuery", &id)?) {
                Ok(d) => Ok(d),
                Err(SessionError::Status { status, .. }) => Err(status),
                Err(e) => return Err(e),
            },
            Err(refused) => Err(refused.clone()),
        };
        let customer_count = count_from(take("CustomerQuery", &count)?)?;
        let probe = match probe {
            None => None,
            Some(id) => {
                let r = take("CustomerQuery", &id)?;
                // Not found (1, or 500 for a ListID it does not have) is an answer.
                if r.status.is_error() {
                    return Err(SessionError::Status {
                        request: "CustomerQuery",
                        status: r.status,
                    });
                }
                match r.body {
                    ResponseBody::Customers(c) => c.into_iter().next(),
                    _ => None,
                }
            }
        };
        Ok(ListFacts {
            deleted,
            customer_count,
            probe,
            customer_types: entries_from(
                "CustomerTypeQuery",
                take("CustomerTypeQuery", &customer_types)?,
            )?,
            job_types: entries_from("JobTypeQuery", take("JobTypeQuery", &job_types)?)?,
        })
    }

    /// One customer or job, by ListID or by FullName (`Parent:Job`), with the mapped elements;
    /// `None` when QuickBooks has none (status 1, or 500 "not found").
    pub fn customer_by(
        &mut self,
        selection: Selection,
    ) -> Result<Option<CustomerRet>, SessionError> {
        let r = self.single(RequestBody::CustomerQuery(CustomerQuery {
            selection,
            include_ret: mapped_ret_elements()
                .iter()
                .map(|e| e.to_string())
                .collect(),
            ..CustomerQuery::default()
        }))?;
        if r.status.code == codes::NO_MATCH || r.status.code == codes::PARTIAL_MATCH {
            // 500 with a single key: that key was not found.
            if !matches!(&r.body, ResponseBody::Customers(c) if !c.is_empty()) {
                return Ok(None);
            }
        }
        match succeeded("CustomerQuery", r)?.body {
            ResponseBody::Customers(c) => Ok(c.into_iter().next()),
            ResponseBody::Empty => Ok(None),
            _ => Err(SessionError::Protocol(
                "a customer query answered with something other than customers".into(),
            )),
        }
    }

    /// All customer types, active and inactive.
    pub fn customer_types(&mut self) -> Result<Vec<ListRet>, SessionError> {
        self.list_entries(RequestBody::CustomerTypeQuery(all_types()))
    }

    /// All job types, active and inactive.
    pub fn job_types(&mut self) -> Result<Vec<ListRet>, SessionError> {
        self.list_entries(RequestBody::JobTypeQuery(all_types()))
    }

    /// All terms (standard and date-driven), active and inactive: what a customer's TermsRef
    /// may name.
    pub fn terms(&mut self) -> Result<Vec<ListRet>, SessionError> {
        self.list_entries(RequestBody::TermsQuery(all_types()))
    }

    /// Adds a customer type. `Retail:Web` adds `Web` under the existing `Retail`.
    pub fn add_customer_type(&mut self, full_name: &str) -> Result<ListRet, SessionError> {
        let add = type_add(full_name)?;
        self.added_entry(RequestBody::CustomerTypeAdd(add))
    }

    /// Adds a job type. `Install:Rush` adds `Rush` under the existing `Install`.
    pub fn add_job_type(&mut self, full_name: &str) -> Result<ListRet, SessionError> {
        let add = type_add(full_name)?;
        self.added_entry(RequestBody::JobTypeAdd(add))
    }

    fn list_entries(&mut self, body: RequestBody) -> Result<Vec<ListRet>, SessionError> {
        let request = body.message_name();
        let r = self.single(body)?;
        entries_from(request, r)
    }

    fn added_entry(&mut self, body: RequestBody) -> Result<ListRet, SessionError> {
        let request = body.message_name();
        let r = self.single(body)?;
        match succeeded(request, r)?.body {
            ResponseBody::ListEntries(v) if !v.is_empty() => {
                Ok(v.into_iter().next().unwrap_or_default())
            }
            _ => Err(SessionError::Protocol(format!(
                "{request} succeeded without returning the new entry"
            ))),
        }
    }

    /// Which of `names` a vendor, employee or other name already holds (QuickBooks shares one
    /// name space among them and customers, comparing without regard to case). One document per
    /// [`NAME_CHECK_BATCH`] names; "not found" (1) and "some not found" (500) are answers, not
    /// failures.
    pub fn name_collisions(&mut self, names: &[&str]) -> Result<Vec<NameCollision>, SessionError> {
        // Every spelling asked about is answered; QuickBooks is asked once per name.
        let mut wanted: HashMap<String, Vec<&str>> = HashMap::new();
        let mut unique: Vec<&str> = Vec::new();
        for &name in names {
            if name.trim().is_empty() {
                continue;
            }
            let spellings = wanted.entry(name.to_lowercase()).or_default();
            if spellings.is_empty() {
                unique.push(name);
            }
            if !spellings.contains(&name) {
                spellings.push(name);
            }
        }
        let mut found = Vec::new();
        for batch in unique.chunks(NAME_CHECK_BATCH) {
            let mut doc = self.document(OnError::ContinueOnError);
            let mut ids = Vec::new();
            for list in NameList::ALL {
                let query = NameQuery {
                    full_names: batch.iter().map(|s| s.to_string()).collect(),
                };
                ids.push((
                    list,
                    self.push(&mut doc, RequestBody::NameQuery(list, query)),
                ));
            }
            let response = self.send(&doc)?;
            for (list, id) in ids {
                let r = response
                    .by_request_id(&id)
                    .ok_or(SessionError::MissingResponse {
                        request: list.query_name(),
                        request_id: id.clone(),
                    })?;
                if r.status.is_error() {
                    return Err(SessionError::Status {
                        request: list.query_name(),
                        status: r.status.clone(),
                    });
                }
                if let ResponseBody::Names(rets) = &r.body {
                    for ret in rets {
                        for &name in wanted.get(&ret.name.to_lowercase()).into_iter().flatten() {
                            found.push(NameCollision {
                                name: name.to_string(),
                                list,
                                existing: ret.clone(),
                            });
                        }
                    }
                }
            }
        }
        Ok(found)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        self.conn.close();
    }
}

/// A name custsync wants that a non-customer list already holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameCollision {
    /// The name as custsync asked about it.
    pub name: String,
    pub list: NameList,
    /// The record holding it (its Name may differ in case).
    pub existing: NameRet,
}

impl std::fmt::Display for NameCollision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the name \"{}\" is already used by the {} \"{}\" in QuickBooks; customers, vendors, \
             employees and other names must all have different names",
            self.name,
            self.list.noun(),
            self.existing.name
        )
    }
}

/// One page of customers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerPage {
    pub customers: Vec<CustomerRet>,
    /// How many customers QuickBooks still holds for the next pages.
    pub remaining: u32,
}

/// Customers page by page (see [`Session::customers`]). Each `next` sends one request.
pub struct CustomerPages<'s, 'c> {
    session: &'s mut Session<'c>,
    filter: ListFilter,
    include: Vec<String>,
    iterator_id: Option<String>,
    remaining: Option<u32>,
    /// Customers received so far, and how many the first page announced in all.
    received: u64,
    expected: Option<u64>,
    finished: bool,
}

impl<'s, 'c> CustomerPages<'s, 'c> {
    /// What QuickBooks said remained after the last page (`None` before the first).
    pub fn remaining(&self) -> Option<u32> {
        self.remaining
    }

    /// Abandons the iterator early so QuickBooks can free it. Nothing is sent when it is already
    /// finished (or never started).
    pub fn stop(mut self) -> Result<(), SessionError> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let Some(id) = self.iterator_id.take() else {
            return Ok(());
        };
        let r = self
            .session
            .single(RequestBody::CustomerQuery(CustomerQuery {
                iterator: Some(IteratorRq::Stop(id)),
                selection: Selection::Filter(self.filter.clone()),
                ..CustomerQuery::default()
            }))?;
        succeeded("CustomerQuery", r).map(|_| ())
    }

    /// The customers one by one instead of page by page (still fetched a page at a time).
    pub fn items(self) -> CustomerItems<'s, 'c> {
        CustomerItems {
            pages: self,
            current: Vec::new().into_iter(),
        }
    }

    fn fetch(&mut self) -> Result<Option<CustomerPage>, SessionError> {
        let iterator = match &self.iterator_id {
            None => IteratorRq::Start,
            Some(id) => IteratorRq::Continue(id.clone()),
        };
        let r = self
            .session
            .single(RequestBody::CustomerQuery(CustomerQuery {
                iterator: Some(iterator),
                metadata_only: false,
                // QuickBooks wants the same criteria on every Continue.
                selection: Selection::Filter(self.filter.clone()),
                include_ret: self.include.clone(),
            }))?;
        if r.status.code == codes::NO_MATCH {
            self.finished = true;
            return Ok(None);
        }
        let r = succeeded("CustomerQuery", r)?;
        let remaining = r.iterator_remaining_count.unwrap_or(0);
        let customers = match r.body {
            ResponseBody::Customers(c) => c,
            ResponseBody::Empty => Vec::new(),
            _ => {
                return Err(SessionError::Protocol(
                    "a customer page holding something other than customers".into(),
                ));
            }
        };
        if customers.iter().any(|c| c.list_id.is_empty()) {
            return Err(SessionError::Protocol("a customer without a ListID".into()));
        }
        self.received += customers.len() as u64;
        let expected = *self
            .expected
            .get_or_insert(customers.len() as u64 + u64::from(remaining));
        if remaining > 0 {
            // A customer changed during the read comes again at the end, so the remaining count
            // need not fall from page to page; a page without customers, or a read that keeps
            // growing far beyond what it started with, is not moving on.
            if customers.is_empty() {
                return Err(SessionError::Protocol(format!(
                    "the customer iterator did not advance ({remaining} still remaining)"
                )));
            }
            let page = u64::from(self.filter.max_returned.unwrap_or(1));
            if self.received > 2 * expected + page {
                return Err(SessionError::KeptChanging {
                    received: self.received,
                    expected,
                });
            }
            match r.iterator_id {
                Some(id) => self.iterator_id = Some(id),
                None if self.iterator_id.is_some() => {}
                None => {
                    return Err(SessionError::Protocol(
                        "more customers remain but QuickBooks gave no iteratorID".into(),
                    ));
                }
            }
        } else {
            self.finished = true;
        }
        self.remaining = Some(remaining);
        Ok(Some(CustomerPage {
            customers,
            remaining,
        }))
    }
}

impl Iterator for CustomerPages<'_, '_> {
    type Item = Result<CustomerPage, SessionError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        match self.fetch() {
            Ok(page) => page.map(Ok),
            Err(e) => {
                self.finished = true;
                Some(Err(e))
            }
        }
    }
}

/// Customers one at a time (see [`CustomerPages::items`]).
pub struct CustomerItems<'s, 'c> {
    pages: CustomerPages<'s, 'c>,
    current: std::vec::IntoIter<CustomerRet>,
}

impl CustomerItems<'_, '_> {
    /// Abandons the iterator early (see [`CustomerPages::stop`]).
    pub fn stop(self) -> Result<(), SessionError> {
        self.pages.stop()
    }
}

impl Iterator for CustomerItems<'_, '_> {
    type Item = Result<CustomerRet, SessionError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(c) = self.current.next() {
                return Some(Ok(c));
            }
            match self.pages.next()? {
                Ok(page) => self.current = page.customers.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Returns the response when its status is not an error (warnings such as 500 pass).
fn succeeded(request: &'static str, r: Response) -> Result<Response, SessionError> {
    if r.status.is_error() {
        Err(SessionError::Status {
            request,
            status: r.status,
        })
    } else {
        Ok(r)
    }
}

/// What [`Session::list_facts`] asks besides the types.
#[derive(Clone, Copy, Debug, Default)]
pub struct ListFactsQuery<'a> {
    /// Deletions since this time (inclusive); `None`: every deletion QuickBooks keeps.
    pub deleted_since: Option<&'a QbDateTime>,
    /// A customer to look up by ListID.
    pub probe: Option<&'a str>,
    /// How QuickBooks refused `ListDeletedQuery` earlier in this session: not asked again
    /// (one run asks at most once), and [`ListFacts::deleted`] is this refusal.
    pub deleted_refused: Option<&'a Status>,
}

/// What [`Session::list_facts`] learned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListFacts {
    /// The customers deleted or merged away, oldest first; or the status QuickBooks refused
    /// `ListDeletedQuery` with.
    pub deleted: Result<Vec<ListDeletedRet>, Status>,
    /// Customers and jobs, active and inactive.
    pub customer_count: u32,
    /// The customer looked up (ListID and EditSequence), if QuickBooks has it.
    pub probe: Option<CustomerRet>,
    pub customer_types: Vec<ListRet>,
    pub job_types: Vec<ListRet>,
}

fn count_query() -> RequestBody {
    RequestBody::CustomerQuery(CustomerQuery {
        metadata_only: true,
        selection: all_filter(),
        ..CustomerQuery::default()
    })
}

fn count_from(r: Response) -> Result<u32, SessionError> {
    if r.status.code == codes::NO_MATCH {
        return Ok(0);
    }
    succeeded("CustomerQuery", r)?
        .ret_count
        .ok_or_else(|| SessionError::Protocol("a customer count without retCount".into()))
}

fn deleted_query(since: Option<&QbDateTime>) -> RequestBody {
    RequestBody::ListDeletedQuery(ListDeletedQuery {
        types: vec![ListDelType::Customer],
        from_deleted_date: since.map(ToString::to_string),
        to_deleted_date: None,
        include_ret: Vec::new(),
    })
}

fn deleted_from(r: Response) -> Result<Vec<ListDeletedRet>, SessionError> {
    if r.status.code == codes::NO_MATCH {
        return Ok(Vec::new());
    }
    let deleted = match succeeded("ListDeletedQuery", r)?.body {
        ResponseBody::Deleted(d) => d,
        ResponseBody::Empty => Vec::new(),
        _ => {
            return Err(SessionError::Protocol(
                "a ListDeletedQuery answer holding something other than deletions".into(),
            ));
        }
    };
    if deleted.iter().any(|d| d.list_id.is_empty()) {
        return Err(SessionError::Protocol(
            "a deleted customer without a ListID".into(),
        ));
    }
    Ok(deleted)
}

fn entries_from(request: &'static str, r: Response) -> Result<Vec<ListRet>, SessionError> {
    if r.status.code == codes::NO_MATCH {
        return Ok(Vec::new());
    }
    match succeeded(request, r)?.body {
        ResponseBody::ListEntries(v) => Ok(v),
        ResponseBody::Empty => Ok(Vec::new()),
        _ => Err(SessionError::Protocol(format!(
            "an unexpected body for {request}"
        ))),
    }
}

/// ActiveStatus All: QuickBooks' default, ActiveOnly, would hide inactive customers.
fn all_filter() -> Selection {
    Selection::Filter(ListFilter {
        active_status: Some(ActiveStatus::All),
        ..ListFilter::default()
    })
}

fn all_types() -> ListQuery {
    ListQuery {
        selection: all_filter(),
        include_ret: Vec::new(),
    }
}

/// `Parent:Child` → Name `Child` under ParentRef `Parent`, checked before anything is sent.
fn type_add(full_name: &str) -> Result<ListAdd, SessionError> {
    let (parent, name) = match full_name.rsplit_once(':') {
        Some((parent, name)) => (Some(parent.to_string()), name),
        None => (None, full_name),
    };
    let violations = rules::check_type_name(name);
    if !violations.is_empty() {
        return Err(SessionError::Invalid { violations });
    }
    Ok(ListAdd {
        name: name.to_string(),
        is_active: None,
        parent_full_name: parent,
    })
}

#[cfg(test)]
mod tests;
