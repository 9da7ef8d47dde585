//! A session on the sandbox company (QBXMLRP2's BeginSession … EndSession) and the iterators that
//! live in it.
//!
//! An iterator hands out, page by page, the records that matched at `iterator="Start"`, each as
//! it is when its page is read. It belongs to the session that started it: another session, a
//! closed session or an iterator left idle longer than [`SandboxOptions::iterator_ttl`] gets
//! status 3391, as QuickBooks answers for a stale iteratorID (`consolibyte/quickbooks-php#183`).
//!
//! QuickBooks' iterators are no snapshots, and a reader must not assume one (issue 8, case 3):
//! a customer changed after its page was handed out is met again, with its new EditSequence,
//! at the end of the iteration, so one read lists the same ListID twice. The sandbox does the
//! same, deterministically: before each page it reads the moves made since the last one
//! ([`super::changes`]); a customer already handed out that was changed and still matches the
//! query is appended once more, and a deleted one that is still to come is dropped. A test
//! triggers it by editing a customer (`CompanyFile::edit_customer`, `custsync sandbox edit`)
//! between two pages. Customers added after the start are not part of the iteration.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::records::{Filter, Table};

/// Tunables of the simulated QuickBooks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxOptions {
    /// How long an iterator may sit idle before it expires. QuickBooks' own limit is undocumented
    /// (one third party reports about ten seconds); ten minutes keeps slow Web Connector polls
    /// working while still exercising expiry. Tests shorten it.
    pub iterator_ttl: Duration,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            iterator_ttl: Duration::from_secs(600),
        }
    }
}

/// One open iterator.
#[derive(Debug)]
pub(crate) struct IteratorState {
    pub table: Table,
    /// Matching row ids, in list order, taken when the iterator started.
    pub ids: Vec<i64>,
    /// How many have been handed out.
    pub position: usize,
    /// Page size from the Start request's MaxReturned (None: everything at once).
    pub page: Option<u32>,
    pub include_ret: Vec<String>,
    pub last_used: Instant,
    /// The query's filter, for deciding whether a changed record still belongs (`None`: a
    /// ListID or FullName list, whose records always do).
    pub filter: Option<Filter>,
    /// The last customer change already taken into account ([`super::changes`]).
    pub change_mark: i64,
}

impl IteratorState {
    pub fn remaining(&self) -> usize {
        self.ids.len().saturating_sub(self.position)
    }
}

/// An open session: who it is for and what it holds.
#[derive(Debug)]
pub struct Session {
    pub(crate) app_name: String,
    /// Whether QuickBooks logged in by itself (HostRet IsAutomaticLogin).
    pub(crate) automatic_login: bool,
    pub(crate) options: SandboxOptions,
    iterators: HashMap<String, IteratorState>,
}

impl Session {
    /// A session for the application `app_name` (the name the Integrated Applications list knows).
    pub fn new(app_name: impl Into<String>, options: SandboxOptions) -> Session {
        Session {
            app_name: app_name.into(),
            automatic_login: false,
            options,
            iterators: HashMap::new(),
        }
    }

    pub fn app_name(&self) -> &str {
        &self.app_name
    }

    /// Whether QuickBooks opened the file for this session by logging in automatically.
    pub fn is_automatic_login(&self) -> bool {
        self.automatic_login
    }

    /// Number of iterators still open.
    pub fn open_iterators(&self) -> usize {
        self.iterators.len()
    }

    pub(crate) fn insert_iterator(&mut self, id: String, state: IteratorState) {
        self.drop_expired();
        self.iterators.insert(id, state);
    }

    /// The live iterator `id`, if it is this session's and has not expired.
    pub(crate) fn iterator(&mut self, id: &str) -> Option<&mut IteratorState> {
        self.drop_expired();
        let it = self.iterators.get_mut(id)?;
        it.last_used = Instant::now();
        Some(it)
    }

    pub(crate) fn remove_iterator(&mut self, id: &str) -> Option<IteratorState> {
        self.drop_expired();
        self.iterators.remove(id)
    }

    fn drop_expired(&mut self) {
        let ttl = self.options.iterator_ttl;
        self.iterators.retain(|_, it| it.last_used.elapsed() <= ttl);
    }
}
