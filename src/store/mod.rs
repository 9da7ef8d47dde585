//! The SMSTurbo side: the workspace's SQLite database (customers, links, outbox, journal).
//!
//! [`Store`] is one open database. Reads are methods of [`StoreRead`], implemented by the store,
//! a transaction and a [`ReadOnlyStore`] (what commands that only read use, beside the
//! custsync holding the workspace). Every write happens in a [`StoreTx`] (`BEGIN IMMEDIATE`), so
//! the sync core can put an import, its link and its journal entry in one commit:
//!
//! ```no_run
//! # use custsync::store::*;
//! # fn demo(store: &mut Store, customer: &Customer) -> Result<(), StoreError> {
//! let run = store.start_run(&NewRun::new(RunMode::MissingOnly))?;
//! store.transaction(|tx| {
//!     tx.import_customer(run, "C:\\Books\\acme.qbw", customer, "80000001-1234567890")?;
//!     Ok::<_, StoreError>(())
//! })?;
//! store.finish_run(run, RunOutcome::Done)?;
//! # Ok(()) }
//! ```

#[macro_use]
mod text_enum;

mod changes;
pub mod column;
pub mod csv;
mod customers;
pub mod deletions;
mod error;
mod journal;
mod links;
pub mod list_names;
mod mirror;
pub mod model;
mod outbox;
mod read_only;
pub mod schema;
mod undo;
pub mod workspace;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use column::Column;
pub use customers::{Change, CustomerRecord, code_key};
pub use error::{CustomerError, StoreError};
pub use journal::{
    Entry, EntryKind, NewEntry, NewRun, Run, RunCounts, RunMode, RunOutcome, os_user,
};
pub use links::Link;
pub use mirror::{Folded, MirrorState, Newest, StoredMirror};
pub use model::{Customer, CustomerStatus, QbSpellings};
pub use outbox::{
    Batch, BatchItem, BatchState, ItemOutcome, ItemState, NewBatch, NewItem, SettleReport,
};
pub use read_only::ReadOnlyStore;
pub use undo::{UndoReport, UndoSkip};
pub use workspace::{Workspace, WorkspaceError};

use error::SqlContext;

/// A journal run's id (`custsync runs` shows it; `custsync undo RUN` takes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(pub i64);

/// An outbox batch's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BatchId(pub i64);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for BatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How a store is opened.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// How long a write waits for another program's lock before giving up with
    /// [`StoreError::Locked`].
    pub busy_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            busy_timeout: Duration::from_secs(3),
        }
    }
}

/// Refuses, before SQLite sees it, a database path that is not a regular file (a named pipe
/// would hang the open) or is empty: SQLite would quietly make an empty file a new database,
/// hiding a copy or restore that went wrong.
fn check_file(path: &Path) -> Result<(), StoreError> {
    use crate::files::{ReadError, check_regular};
    match check_regular(path) {
        Ok(()) | Err(ReadError::NotFound) => {}
        Err(e) => {
            return Err(StoreError::CannotOpen {
                path: path.to_path_buf(),
                detail: e.to_string(),
            });
        }
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == 0 => Err(StoreError::Empty {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// Refuses a database this custsync must not use: one written by a newer custsync, or another
/// program's SQLite file. Only reads. Returns the schema version found.
fn check_identity(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let opening = |e| StoreError::opening(path, e);
    let found = schema::user_version(conn).map_err(opening)?;
    if found > schema::LATEST {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: schema::LATEST,
        });
    }
    if !schema::is_ours(conn, found).map_err(opening)? {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    Ok(found)
}

/// Refuses a damaged database: SQLite's `quick_check` reads every page (a page or two per
/// customer row: a few hundred milliseconds for a very large list).
fn check_pages(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let check: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| StoreError::opening(path, e))?;
    if check != "ok" {
        return Err(StoreError::Corrupt { detail: check });
    }
    Ok(())
}

/// One open customer database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// A database written by a newer custsync, a file that is not a database, or a database
    /// another program keeps locked is refused, and the file is left as it was.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Self::open_with(path, &StoreOptions::default())
    }

    pub fn open_with(path: impl AsRef<Path>, options: &StoreOptions) -> Result<Store, StoreError> {
        let path = path.as_ref();
        check_file(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| StoreError::opening(path, e))?;
        let store = Self::prepare(conn, path.to_path_buf(), options, schema::LATEST)?;
        // Customers' personal data: the owner's only, like config.toml. SQLite gives its WAL and
        // shared-memory files the database's mode; set them too for databases made before.
        // Best effort: a file system without Unix modes keeps its own rules.
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let _ = crate::files::make_private(Path::new(&file));
        }
        Ok(store)
    }

    /// A private database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()
            .map_err(|e| StoreError::opening(":memory:".as_ref(), e))?;
        Self::prepare(
            conn,
            PathBuf::from(":memory:"),
            &StoreOptions::default(),
            schema::LATEST,
        )
    }

    /// Opens a database and upgrades it only to schema version `target`: how tests make a
    /// database as an older custsync left it.
    #[doc(hidden)]
    pub fn open_at_version(path: impl AsRef<Path>, target: i64) -> Result<Store, StoreError> {
        let path = path.as_ref();
        let conn = Connection::open(path).map_err(|e| StoreError::opening(path, e))?;
        Self::prepare(conn, path.to_path_buf(), &StoreOptions::default(), target)
    }

    fn prepare(
        mut conn: Connection,
        path: PathBuf,
        options: &StoreOptions,
        target: i64,
    ) -> Result<Store, StoreError> {
        let opening = |e| StoreError::opening(&path, e);
        conn.busy_timeout(options.busy_timeout).map_err(opening)?;
        // Checked before anything is written: a newer or foreign file is refused untouched
        // (even switching to WAL would change its header).
        let found = check_identity(&conn, &path)?;
        // Damaged pages are found before anything is written over them.
        check_pages(&conn, &path)?;
        // SQLite opens a file it may not write read-only without a word; say so now rather
        // than at the first change.
        if conn.is_readonly(rusqlite::MAIN_DB).map_err(opening)? {
            return Err(StoreError::ReadOnly { path });
        }
        // WAL lets the TUI read while a sync writes; FULL makes every commit durable before
        // custsync acts on it (the outbox relies on "marked sent" surviving a power cut).
        // (Where a file system cannot do WAL, SQLite keeps its rollback journal; that works.)
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(opening)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(opening)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(opening)?;
        // Only a full upgrade adds the field columns the table has gained.
        let upgrade = if target == schema::LATEST {
            schema::needs_upgrade(&conn).map_err(opening)?
        } else {
            found < target
        };
        if upgrade {
            schema::upgrade(&mut conn, target).map_err(opening)?;
        }
        // Plans that do not change with the values bound: otherwise SQLite re-prepares a
        // cached statement whenever a parameter compared with an indexed column changes, which
        // made per-customer lookups during a 100,000-row import several times slower.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .map_err(opening)?;
        conn.set_prepared_statement_cache_capacity(64);
        // A 32 MB page cache (SQLite's default is 2 MB) keeps a 100,000-customer import from
        // spilling pages to disk midway.
        conn.pragma_update(None, "cache_size", -32_768)
            .map_err(opening)?;
        Ok(Store { conn, path })
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read-only view of what this store last committed, for another thread (see
    /// [`ReadOnlyStore`]); `None` for a database in memory.
    pub fn reader(&self) -> Result<Option<ReadOnlyStore>, StoreError> {
        ReadOnlyStore::beside(self)
    }

    /// Starts a write transaction. Dropping it without [`StoreTx::commit`] rolls it back.
    pub fn begin(&mut self) -> Result<StoreTx<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .doing("starting a change")?;
        Ok(StoreTx { tx, now: now() })
    }

    /// Runs `f` in one write transaction: committed if it returns `Ok`, rolled back otherwise.
    pub fn transaction<T, E>(
        &mut self,
        f: impl FnOnce(&mut StoreTx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut tx = self.begin()?;
        let value = f(&mut tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Adds one customer ([`StoreTx::create_customer`] in its own transaction).
    pub fn create_customer(&mut self, customer: &Customer) -> Result<CustomerRecord, StoreError> {
        self.transaction(|tx| tx.create_customer(customer))
    }

    /// Changes one customer ([`StoreTx::update_customer`] in its own transaction).
    pub fn update_customer(
        &mut self,
        code: &str,
        customer: &Customer,
    ) -> Result<CustomerRecord, StoreError> {
        self.transaction(|tx| tx.update_customer(code, customer))
    }

    /// Sets QuickBooks spellings ([`StoreTx::set_qb_spellings`] in its own transaction).
    pub fn set_qb_spellings(
        &mut self,
        code: &str,
        spellings: &[(crate::qbxml::Field, String)],
    ) -> Result<CustomerRecord, StoreError> {
        self.transaction(|tx| tx.set_qb_spellings(code, spellings))
    }

    /// Removes one customer ([`StoreTx::delete_customer`] in its own transaction).
    pub fn delete_customer(&mut self, code: &str) -> Result<(), StoreError> {
        self.transaction(|tx| tx.delete_customer(code))
    }

    /// Starts a journal run and commits it at once, so a run that dies still shows up.
    pub fn start_run(&mut self, run: &NewRun) -> Result<RunId, StoreError> {
        self.transaction(|tx| tx.start_run(run))
    }

    /// Records how a run ended.
    pub fn finish_run(&mut self, run: RunId, outcome: RunOutcome) -> Result<(), StoreError> {
        self.transaction(|tx| tx.finish_run(run, outcome))
    }

    /// Marks a batch sent ([`StoreTx::mark_sent`]) and commits, before the request goes out.
    pub fn mark_sent(&mut self, batch: BatchId) -> Result<(), StoreError> {
        self.transaction(|tx| tx.mark_sent(batch))
    }

    /// Marks a batch in doubt ([`StoreTx::mark_in_doubt`]) and commits.
    pub fn mark_in_doubt(&mut self, batch: BatchId, reason: &str) -> Result<(), StoreError> {
        self.transaction(|tx| tx.mark_in_doubt(batch, reason))
    }

    /// Replaces what is known of `company`'s lists ([`StoreTx::set_qb_list_names`]).
    pub fn set_qb_list_names(
        &mut self,
        company: &str,
        names: &list_names::QbListNames,
    ) -> Result<(), StoreError> {
        self.transaction(|tx| tx.set_qb_list_names(company, names))
    }

    /// Restores a deleted customer in one transaction ([`StoreTx::restore_customer`]).
    pub fn restore_customer(
        &mut self,
        id: i64,
        os_user: &str,
    ) -> Result<deletions::Restored, StoreError> {
        self.transaction(|tx| tx.restore_customer(id, os_user))
    }

    /// Undoes a run's local changes in one transaction ([`StoreTx::undo_run`]).
    pub fn undo_run(&mut self, run: RunId, os_user: &str) -> Result<UndoReport, StoreError> {
        self.transaction(|tx| tx.undo_run(run, os_user))
    }
}

/// One write transaction. Every change made through it commits or rolls back together.
pub struct StoreTx<'a> {
    tx: rusqlite::Transaction<'a>,
    /// The time stamped on rows this transaction writes: one moment per change, which also
    /// spares formatting the clock for every row of a large import.
    now: String,
}

impl StoreTx<'_> {
    pub fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().doing("saving the change")
    }
}

mod sealed {
    pub trait HasConnection {
        fn connection(&self) -> &rusqlite::Connection;
    }
}

impl sealed::HasConnection for Store {
    fn connection(&self) -> &Connection {
        &self.conn
    }
}

impl sealed::HasConnection for StoreTx<'_> {
    fn connection(&self) -> &Connection {
        &self.tx
    }
}

/// Reading the store, outside or inside a transaction.
pub trait StoreRead: sealed::HasConnection {
    /// The customer with this code (matched regardless of case).
    fn customer(&self, code: &str) -> Result<Option<Customer>, StoreError> {
        Ok(self.customer_record(code)?.map(|r| r.customer))
    }

    /// The customer with this code, with its timestamps and revision.
    fn customer_record(&self, code: &str) -> Result<Option<CustomerRecord>, StoreError> {
        customers::get(self.connection(), code)
    }

    /// Every customer, ordered by name then code (both regardless of ASCII case).
    fn customers(&self) -> Result<Vec<Customer>, StoreError> {
        customers::list(self.connection(), None, None)
    }

    /// Customers whose code, name, QuickBooks name, company name, phone or email contains
    /// `query` regardless of case (Unicode), in list order. An empty query matches everyone.
    fn search_customers(
        &self,
        query: &str,
        limit: Option<usize>,
    ) -> Result<Vec<Customer>, StoreError> {
        customers::list(self.connection(), Some(query), limit)
    }

    fn count_customers(&self) -> Result<u64, StoreError> {
        customers::count(self.connection())
    }

    /// The names in `company`'s customer type, job type and terms lists, as last read.
    fn qb_list_names(&self, company: &str) -> Result<list_names::QbListNames, StoreError> {
        list_names::get(self.connection(), company)
    }

    /// The codes of the customers linked to a QuickBooks customer, in any company file.
    fn linked_codes(&self) -> Result<Vec<String>, StoreError> {
        links::linked_codes(self.connection())
    }

    /// Deleted customers, newest first, at most `limit` (History undoes them).
    fn deletions(&self, limit: usize) -> Result<Vec<deletions::Deletion>, StoreError> {
        deletions::list(self.connection(), limit)
    }

    /// The link of this customer in `company`, if any.
    fn link_for_code(&self, company: &str, code: &str) -> Result<Option<Link>, StoreError> {
        links::for_code(self.connection(), company, code)
    }

    /// The SMSTurbo customer linked to this QuickBooks ListID in `company`, if any.
    fn link_for_list_id(&self, company: &str, list_id: &str) -> Result<Option<Link>, StoreError> {
        links::for_list_id(self.connection(), company, list_id)
    }

    /// Every link in `company`.
    fn links(&self, company: &str) -> Result<Vec<Link>, StoreError> {
        links::all(self.connection(), company)
    }

    /// What custsync keeps about its mirror of `company`'s QuickBooks customers, if any.
    fn mirror(&self, company: &str) -> Result<Option<StoredMirror>, StoreError> {
        mirror::state(self.connection(), company)
    }

    /// The customers in `company`'s mirror (none without a mirror), in no particular order.
    fn mirror_customers(
        &self,
        company: &str,
    ) -> Result<Vec<crate::qbxml::CustomerRet>, StoreError> {
        mirror::customers(self.connection(), company, true)
    }

    /// [`StoreRead::mirror_customers`] without EditSequence and TimeModified: what planning
    /// reads.
    fn mirror_listing(&self, company: &str) -> Result<Vec<crate::qbxml::CustomerRet>, StoreError> {
        mirror::customers(self.connection(), company, false)
    }

    /// How many customers `company`'s mirror holds.
    fn mirror_count(&self, company: &str) -> Result<u64, StoreError> {
        mirror::count(self.connection(), company)
    }

    /// The deletions QuickBooks reported for `company` and the mirror kept.
    fn mirror_deleted(
        &self,
        company: &str,
    ) -> Result<Vec<crate::qbxml::ListDeletedRet>, StoreError> {
        mirror::deleted(self.connection(), company)
    }

    /// Every link of customer `code`, across company files.
    fn links_of(&self, code: &str) -> Result<Vec<Link>, StoreError> {
        links::of_customer(self.connection(), code)
    }

    /// Codes of the customers kept local only for `company`: never offered for export to it.
    fn local_only(&self, company: &str) -> Result<Vec<String>, StoreError> {
        links::local_only(self.connection(), company)
    }

    /// The companies customer `code` is kept local only for.
    fn local_only_of(&self, code: &str) -> Result<Vec<String>, StoreError> {
        links::local_only_of(self.connection(), code)
    }

    fn batch(&self, batch: BatchId) -> Result<Option<Batch>, StoreError> {
        outbox::get(self.connection(), batch)
    }

    /// Batches not settled yet (pending, sent or in doubt), oldest first; only those of
    /// `company` when given. What recovery works through before anything new is sent.
    fn unsettled_batches(&self, company: Option<&str>) -> Result<Vec<Batch>, StoreError> {
        outbox::unsettled(self.connection(), company)
    }

    fn run(&self, run: RunId) -> Result<Option<Run>, StoreError> {
        journal::run(self.connection(), run)
    }

    /// The most recent runs first.
    fn runs(&self, limit: usize) -> Result<Vec<Run>, StoreError> {
        journal::runs(self.connection(), limit)
    }

    /// A run's journal entries in the order they were written.
    fn run_entries(&self, run: RunId) -> Result<Vec<Entry>, StoreError> {
        journal::entries(self.connection(), run)
    }
}

impl StoreRead for Store {}
impl StoreRead for StoreTx<'_> {}

/// Every row `sql` yields for `params`, read by `read`; `doing` names the operation in errors.
pub(crate) fn query_rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    doing: &'static str,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).doing(doing)?;
    stmt.query_map(params, read)
        .and_then(|rows| rows.collect())
        .doing(doing)
}

/// Timestamps are stored as RFC 3339 text in UTC with milliseconds: readable in any SQLite tool
/// and ordered as text.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn now() -> String {
    timestamp(Utc::now())
}

pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A row value that does not parse: the database was edited by hand or damaged.
pub(crate) fn bad_value(column: usize, what: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("{what} \"{text}\" is not valid").into(),
    )
}

/// Reads a timestamp column.
pub(crate) fn ts_column(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    parse_timestamp(&text).ok_or_else(|| bad_value(idx, "timestamp", &text))
}

pub(crate) fn opt_ts_column(
    row: &rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| parse_timestamp(&t).ok_or_else(|| bad_value(idx, "timestamp", &t)))
        .transpose()
}
