//! Reading the customer database beside the custsync that changes it.
//!
//! One custsync at a time changes a workspace: it holds the workspace lock (see
//! [`super::workspace`]). A command that only reads (`custsync runs`, `customers export`) opens a
//! [`ReadOnlyStore`] instead and takes no lock: in WAL mode SQLite lets any number of readers read
//! while one connection writes, each seeing the last commit made before it began.
//!
//! A read-only store cannot write: it has no write methods, and its connection is opened read-only and
//! `query_only`. So it never upgrades the schema nor switches the journal mode; a database that
//! needs an upgrade is refused with a word to open custsync normally once. The checks a
//! [`super::Store`] makes on open, which only read, apply here too and cost what they cost there:
//! a regular, non-empty file, custsync's own database and not a newer one, no damaged page.
//! A reader that skipped the last would export a damaged database without a word.
//!
//! SQLite reads a WAL database through its `-wal` and `-shm` files: when no custsync has the
//! database open, a read-only store creates them empty and leaves them (the next custsync to open and
//! close the database removes them). The database file itself is never written.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{
    StoreError, StoreOptions, StoreRead, check_file, check_identity, check_pages, schema, sealed,
};
use crate::files::{ReadError, check_regular};

/// The customer database as it was at one moment, for reading only (not to be confused with
/// `sync::Snapshot`, what one synchronization read of both sides).
pub struct ReadOnlyStore {
    conn: Connection,
}

impl ReadOnlyStore {
    /// Opens the database at `path` for reading. Refused, the database unchanged, when there is
    /// none there, or one this custsync cannot read as it is.
    pub fn open(path: impl AsRef<Path>) -> Result<ReadOnlyStore, StoreError> {
        Self::open_path(path.as_ref()).map_err(|e| match e {
            // What SQLite says when it cannot create the -wal and -shm files it reads through.
            StoreError::ReadOnly { path } => StoreError::ReadOnlyFolder { path },
            e => e,
        })
    }

    /// A read-only view of the database `store` has open, for reading on another thread while
    /// the store goes on (what a synchronization does with its two sides). The store checked the
    /// file when it opened it; this connection only reads what the store last committed.
    /// `None` for a database in memory, which no second connection can reach.
    pub(crate) fn beside(store: &super::Store) -> Result<Option<ReadOnlyStore>, StoreError> {
        let path = store.path();
        if path == Path::new(":memory:") {
            return Ok(None);
        }
        Ok(Some(ReadOnlyStore {
            conn: read_only(path)?,
        }))
    }

    fn open_path(path: &Path) -> Result<ReadOnlyStore, StoreError> {
        if let Err(ReadError::NotFound) = check_regular(path) {
            return Err(StoreError::NoDatabase {
                path: path.to_path_buf(),
            });
        }
        check_file(path)?;
        let opening = |e| StoreError::opening(path, e);
        let conn = read_only(path)?;
        check_identity(&conn, path)?;
        if schema::needs_upgrade(&conn).map_err(opening)? {
            return Err(StoreError::NeedsUpgrade {
                path: path.to_path_buf(),
            });
        }
        check_pages(&conn, path)?;
        Ok(ReadOnlyStore { conn })
    }
}

/// A read-only, `query_only` connection in one read transaction for its life, from its first
/// read: every read sees the same commit while the workspace's holder goes on committing.
fn read_only(path: &Path) -> Result<Connection, StoreError> {
    let opening = |e| StoreError::opening(path, e);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(opening)?;
    conn.busy_timeout(StoreOptions::default().busy_timeout)
        .map_err(opening)?;
    conn.pragma_update(None, "query_only", true)
        .map_err(opening)?;
    conn.execute_batch("BEGIN").map_err(opening)?;
    Ok(conn)
}

impl sealed::HasConnection for ReadOnlyStore {
    fn connection(&self) -> &Connection {
        &self.conn
    }
}

impl StoreRead for ReadOnlyStore {}
