//! What can go wrong in the store, in words an operator can act on.
//!
//! SQLite's result codes are sorted here into the few situations a person can do something
//! about (locked, read-only, damaged, full); anything else is reported with SQLite's own words
//! and asks for a bug report, because custsync itself did something wrong.

use std::path::PathBuf;

use rusqlite::ErrorCode;

use super::column::Column;
use super::outbox::BatchState;
use super::{BatchId, RunId};
use crate::qbxml::Field;
use crate::qbxml::fields::AmountError;

/// A customer that cannot be stored as given. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    #[error(
        "a customer needs a code: type one (it is the customer's key and QuickBooks' account number)"
    )]
    MissingCode,
    #[error("customer {code} needs a name: type one")]
    MissingName { code: String },
    #[error("customer {code}, {field}: {cause}")]
    BadAmount {
        code: String,
        field: Field,
        cause: AmountError,
    },
    #[error("customer {code}, {column}: {reason}")]
    BadValue {
        code: String,
        column: Column,
        reason: String,
    },
    #[error(
        "customer {code}, {column}: it contains a control character (such as a line break or tab); remove it"
    )]
    ControlCharacter { code: String, column: Column },
}

impl CustomerError {
    /// The column at fault, when there is one.
    pub fn column(&self) -> Option<Column> {
        match self {
            CustomerError::MissingCode => Some(Column::Field(Field::AccountNumber)),
            CustomerError::MissingName { .. } => Some(Column::Field(Field::Name)),
            CustomerError::BadAmount { field, .. } => Some(Column::Field(*field)),
            CustomerError::BadValue { column, .. }
            | CustomerError::ControlCharacter { column, .. } => Some(*column),
        }
    }
}

/// Everything the store can refuse or fail at. Each message says what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the customer database is locked by another program (a database tool, a backup, or another custsync): close it and try again"
    )]
    Locked,
    #[error(
        "the customer database {} cannot be written (read-only file or folder): make the workspace writable, or choose another with --workspace DIR",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "the customer database {} cannot be opened ({detail}): check that the workspace folder exists and that you may read and write it, or choose another with --workspace DIR",
        path.display()
    )]
    CannotOpen { path: PathBuf, detail: String },
    #[error(
        "{} is not a custsync customer database, or it is damaged; custsync changed nothing: restore it from a backup, or move it away so custsync starts a new one",
        path.display()
    )]
    NotADatabase { path: PathBuf },
    #[error(
        "the customer database {} is empty (0 bytes), so its customers are gone — a copy or a restore may have failed; custsync changed nothing: restore it from a backup, or delete the empty file so custsync starts a new database",
        path.display()
    )]
    Empty { path: PathBuf },
    #[error(
        "the customer database is damaged ({detail}): restore custsync.db from a backup; custsync changed nothing"
    )]
    Corrupt { detail: String },
    #[error(
        "the customer database {} was written by a newer custsync (schema version {found}; this custsync knows up to {supported}): use the newer custsync, or restore an older backup of the database",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "the customer database {} was made by an older custsync and must be upgraded before it can be read; custsync changed nothing: open custsync on this workspace once (run `custsync` and quit; stop `custsync serve` first if it is running), then try again",
        path.display()
    )]
    NeedsUpgrade { path: PathBuf },
    #[error(
        "there is no customer database {} yet, so there is nothing to read: custsync creates it the first time it opens the workspace to change it. If you expected one there, check the workspace (--workspace DIR or CUSTSYNC_WORKSPACE)",
        path.display()
    )]
    NoDatabase { path: PathBuf },
    #[error(
        "the customer database {} cannot be read in a read-only folder: to read it beside a custsync that may be changing it, SQLite creates two small files next to it (custsync.db-wal and custsync.db-shm). Make the workspace folder writable, or copy the workspace to a writable folder and name it with --workspace DIR",
        path.display()
    )]
    ReadOnlyFolder { path: PathBuf },
    #[error("the disk holding the customer database is full: free some space and try again")]
    DiskFull,
    #[error(transparent)]
    Customer(#[from] CustomerError),
    #[error(
        "a customer with code {code} already exists ({existing_name}); codes are unique regardless of case: choose another code or edit that customer"
    )]
    DuplicateCode { code: String, existing_name: String },
    #[error(
        "there is no customer with code {code}: check the code (custsync customers export lists them)"
    )]
    UnknownCustomer { code: String },
    #[error(
        "customer {code} is being added to QuickBooks (batch {batch} is not settled yet): synchronize first so custsync can finish that, then try again"
    )]
    InFlight { code: String, batch: BatchId },
    #[error(
        "cannot link customer {code} to QuickBooks ListID {list_id} in {company}: {conflict}; review the two records before linking"
    )]
    LinkConflict {
        company: String,
        code: String,
        list_id: String,
        conflict: String,
    },
    // The outbox errors below come from the sync core asking the store for something it should
    // not (batches are never deleted): a custsync bug, or a database edited by hand.
    #[error(
        "there is no outbox batch {0} in the customer database; please report this with the message"
    )]
    UnknownBatch(BatchId),
    #[error(
        "outbox batch {batch} is {state}, so it cannot be {action}; please report this with the message"
    )]
    BatchState {
        batch: BatchId,
        state: BatchState,
        action: &'static str,
    },
    #[error("cannot store the outbox batch: {0}; please report this with the message")]
    BadBatch(String),
    #[error("outbox batch {batch}: {problem}; please report this with the message")]
    BatchOutcome { batch: BatchId, problem: String },
    #[error("there is no run {0}: `custsync runs` lists them")]
    UnknownRun(RunId),
    #[error(
        "run {run} was already undone by run {by}: there is nothing left to undo (`custsync runs` shows both)"
    )]
    AlreadyUndone { run: RunId, by: RunId },
    #[error(
        "run {0} is itself an undo and cannot be undone: to bring back what it reverted, synchronize or import those customers again"
    )]
    UndoOfUndo(RunId),
    #[error(
        "run {0} changed nothing in SMSTurbo (customers it added to QuickBooks stay there: custsync never changes QuickBooks records), so there is nothing to undo"
    )]
    NothingToUndo(RunId),
    #[error("there is no deleted customer {0} to restore: History lists the deletions")]
    UnknownDeletion(i64),
    #[error(
        "that deleted customer was restored already (by {by}, {at}): it is in the customer list"
    )]
    AlreadyRestored { id: i64, by: String, at: String },
    #[error(
        "unexpected database error while {doing}: {detail}. custsync changed nothing; please report this with the message"
    )]
    Internal { doing: &'static str, detail: String },
}

impl StoreError {
    /// Sorts a SQLite failure into what the operator can act on. `doing` names the operation for
    /// the unexpected cases.
    pub(crate) fn sqlite(doing: &'static str, err: rusqlite::Error) -> StoreError {
        if let rusqlite::Error::SqliteFailure(e, msg) = &err {
            match e.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return StoreError::Locked,
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                    return StoreError::Corrupt {
                        detail: msg.clone().unwrap_or_else(|| e.to_string()),
                    };
                }
                ErrorCode::DiskFull => return StoreError::DiskFull,
                _ => {}
            }
        }
        StoreError::Internal {
            doing,
            detail: err.to_string(),
        }
    }

    /// Like [`StoreError::sqlite`], for failures while opening `path`: there the file itself is
    /// usually the problem.
    pub(crate) fn opening(path: &std::path::Path, err: rusqlite::Error) -> StoreError {
        if let rusqlite::Error::SqliteFailure(e, msg) = &err {
            let path = path.to_path_buf();
            match e.code {
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                    return StoreError::NotADatabase { path };
                }
                ErrorCode::ReadOnly => return StoreError::ReadOnly { path },
                ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                    return StoreError::CannotOpen {
                        path,
                        detail: msg.clone().unwrap_or_else(|| e.to_string()),
                    };
                }
                _ => {}
            }
        }
        StoreError::sqlite("opening the customer database", err)
    }
}

/// Shorthand for attaching the operation to a SQLite result.
pub(crate) trait SqlContext<T> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError>;
}

impl<T> SqlContext<T> for rusqlite::Result<T> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::sqlite(doing, e))
    }
}
