//! The journal: every run (who, when, which company, how it ended) and every change it made,
//! with previous values so imports and replacements can be undone, and every failure with its
//! QuickBooks status code.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::error::SqlContext;
use super::{Column, RunId, StoreError, StoreTx, bad_value, opt_ts_column, query_rows, ts_column};

text_enum! {
    /// What a run did.
    pub enum RunMode {
        /// Synchronize, "Show Missing Customers Only?" Yes.
        MissingOnly => "missing_only",
        /// Synchronize, "Show Missing Customers Only?" No: every customer not an exact match.
        NotExactMatch => "not_exact_match",
        /// Settling batches an earlier run left in doubt.
        Recovery => "recovery",
        /// `custsync customers import`.
        CsvImport => "csv_import",
        /// Undoing another run's local changes.
        Undo => "undo",
        /// The operator linked or unlinked a customer (`custsync link`, `unlink`, or a stale
        /// row's way out on the Synchronize screen).
        Link => "link",
    }
}

text_enum! {
    /// How a run ended.
    pub enum RunOutcome {
        /// Everything asked for was done.
        Done => "done",
        /// Done, but some customers failed (each has a `failed` entry).
        Partial => "partial",
        /// Nothing was done.
        NothingDone => "nothing_done",
        /// The operator cancelled between batches.
        Cancelled => "cancelled",
    }
}

text_enum! {
    /// What one journal entry records.
    pub enum EntryKind {
        /// A customer added to QuickBooks (ListID set).
        Exported => "exported",
        /// A QuickBooks customer added to SMSTurbo (revision set: the customer's revision
        /// right after the import, which undo compares with).
        Imported => "imported",
        /// One value changed in SMSTurbo (column, previous, new).
        Replaced => "replaced",
        /// A customer linked to a QuickBooks customer.
        Linked => "linked",
        /// Something that failed for this customer (QuickBooks status code and message).
        Failed => "failed",
        /// An earlier change reverted by an undo run.
        Undone => "undone",
        /// A link removed (the ListID it had; why in the message).
        Unlinked => "unlinked",
        /// The customer is kept in SMSTurbo only for the run's company: never offered for export
        /// to it until the operator says otherwise (`new` says which way: `local only` or
        /// `offered again`).
        LocalOnly => "local_only",
        /// A list entry added to QuickBooks (the export default Customer Type or Job Type):
        /// `new` names it, `list_id` is QuickBooks' ListID for it. No customer: `code` is empty.
        ListAdded => "list_added",
        /// Why the run stopped before it finished (the message). No customer: `code` is empty.
        Stopped => "stopped",
    }
}

/// A run to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRun {
    pub mode: RunMode,
    /// Who ran it: the operating-system user ([`os_user`]).
    pub os_user: String,
    /// The company's name as QuickBooks reports it.
    pub company_name: Option<String>,
    /// The company file, as QuickBooks reports it (also the links' company identifier).
    pub company_file: Option<String>,
}

impl NewRun {
    /// A run by the current user, no company yet.
    pub fn new(mode: RunMode) -> NewRun {
        NewRun {
            mode,
            os_user: os_user(),
            company_name: None,
            company_file: None,
        }
    }
}

/// Who runs custsync, for the journal: the operating system's name for the account running the
/// process (through `whoami`: getpwuid_r on Unix, so NSS and LDAP accounts are named too;
/// GetUserNameW on Windows), else the USER, USERNAME or LOGNAME the environment gives (a
/// container's uid may have no account), else `unknown`.
pub fn os_user() -> String {
    let from_env = || {
        ["USER", "USERNAME", "LOGNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
    };
    whoami::username()
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(from_env)
        .unwrap_or_else(|| "unknown".to_string())
}

/// How many customers each kind of entry touched in a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub exported: u64,
    pub imported: u64,
    /// Customers with at least one replaced value.
    pub replaced: u64,
    pub linked: u64,
    pub failed: u64,
    pub undone: u64,
    pub unlinked: u64,
    /// Customers kept local only, or offered for export again.
    pub local_only: u64,
    /// List entries added to QuickBooks.
    pub lists_added: u64,
    /// Whether the run says why it stopped.
    pub stopped: bool,
}

/// A run as the journal has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub id: RunId,
    pub started_at: DateTime<Utc>,
    /// `None` while running, or when the run died.
    pub finished_at: Option<DateTime<Utc>>,
    pub os_user: String,
    pub company_name: Option<String>,
    pub company_file: Option<String>,
    pub mode: RunMode,
    pub outcome: Option<RunOutcome>,
    /// Computed from the entries, so they always agree with them.
    pub counts: RunCounts,
    /// For an undo run: the run it undid.
    pub undo_of: Option<RunId>,
    /// The undo run that undid this one.
    pub undone_by: Option<RunId>,
}

/// An entry to write. Build one with [`NewEntry::new`] and set what applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    pub kind: EntryKind,
    pub code: String,
    pub list_id: Option<String>,
    pub column: Option<Column>,
    pub previous: Option<String>,
    pub new: Option<String>,
    pub status_code: Option<i64>,
    pub status_message: Option<String>,
}

impl NewEntry {
    pub fn new(kind: EntryKind, code: &str) -> NewEntry {
        NewEntry {
            kind,
            code: code.to_string(),
            list_id: None,
            column: None,
            previous: None,
            new: None,
            status_code: None,
            status_message: None,
        }
    }

    /// Why a run stopped before it finished.
    pub fn stopped(message: &str) -> NewEntry {
        NewEntry {
            status_message: Some(message.to_string()),
            ..NewEntry::new(EntryKind::Stopped, "")
        }
    }

    /// A list entry added to QuickBooks: what it is ("Customer Type 'Retail'") and its ListID.
    pub fn list_added(what: &str, list_id: Option<&str>) -> NewEntry {
        NewEntry {
            new: Some(what.to_string()),
            list_id: list_id.map(str::to_string),
            ..NewEntry::new(EntryKind::ListAdded, "")
        }
    }

    /// A failure for `code` with QuickBooks' status code (if any) and message.
    pub fn failed(code: &str, status_code: Option<i64>, message: &str) -> NewEntry {
        NewEntry {
            status_code,
            status_message: Some(message.to_string()),
            ..NewEntry::new(EntryKind::Failed, code)
        }
    }
}

/// One journal entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub run: RunId,
    pub at: DateTime<Utc>,
    pub kind: EntryKind,
    pub code: String,
    pub list_id: Option<String>,
    pub column: Option<Column>,
    pub previous: Option<String>,
    pub new: Option<String>,
    pub status_code: Option<i64>,
    pub status_message: Option<String>,
    /// The customer's revision right after the change (imports, replacements, undos).
    pub revision: Option<i64>,
}

impl Entry {
    /// One line for people: what happened to which customer, the value before and after, and
    /// QuickBooks' answer (`custsync runs --show` and History print it).
    pub fn describe(&self) -> String {
        let mut line = format!("{:<9} {}", self.kind.as_str(), self.code);
        if let Some(c) = &self.column {
            line.push_str(&format!(" {}", c.label()));
        }
        if self.previous.is_some() || self.new.is_some() {
            line.push_str(&format!(
                ": {} → {}",
                self.previous.as_deref().unwrap_or("(empty)"),
                self.new.as_deref().unwrap_or("(empty)")
            ));
        }
        if let Some(code) = self.status_code {
            line.push_str(&format!(" [QuickBooks {code}]"));
        }
        if let Some(m) = &self.status_message {
            line.push_str(&format!(" — {m}"));
        }
        line
    }
}

const RUN_SELECT: &str = "SELECT id, started_at, finished_at, os_user, company_name, \
                          company_file, mode, outcome, undo_of, undone_by FROM runs";

fn read_run(row: &rusqlite::Row<'_>) -> rusqlite::Result<Run> {
    Ok(Run {
        id: RunId(row.get(0)?),
        started_at: ts_column(row, 1)?,
        finished_at: opt_ts_column(row, 2)?,
        os_user: row.get(3)?,
        company_name: row.get(4)?,
        company_file: row.get(5)?,
        mode: row.get(6)?,
        outcome: row.get(7)?,
        counts: RunCounts::default(),
        undo_of: row.get::<_, Option<i64>>(8)?.map(RunId),
        undone_by: row.get::<_, Option<i64>>(9)?.map(RunId),
    })
}

fn with_counts(conn: &Connection, mut run: Run) -> Result<Run, StoreError> {
    let counts = query_rows(
        conn,
        // Entries without a customer (list entries added) count what they name.
        "SELECT kind, count(DISTINCT CASE WHEN code = '' THEN new ELSE code END) FROM journal \
         WHERE run_id = ?1 GROUP BY kind",
        [run.id.0],
        |r| Ok((r.get::<_, EntryKind>(0)?, r.get::<_, i64>(1)?)),
        "reading the journal",
    )?;
    for (kind, n) in counts {
        let n = n.unsigned_abs();
        let c = &mut run.counts;
        match kind {
            EntryKind::Exported => c.exported = n,
            EntryKind::Imported => c.imported = n,
            EntryKind::Replaced => c.replaced = n,
            EntryKind::Linked => c.linked = n,
            EntryKind::Failed => c.failed = n,
            EntryKind::Undone => c.undone = n,
            EntryKind::Unlinked => c.unlinked = n,
            EntryKind::LocalOnly => c.local_only = n,
            EntryKind::ListAdded => c.lists_added = n,
            EntryKind::Stopped => c.stopped = n > 0,
        }
    }
    Ok(run)
}

pub(crate) fn run(conn: &Connection, id: RunId) -> Result<Option<Run>, StoreError> {
    let run = conn
        .prepare_cached(&format!("{RUN_SELECT} WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id.0], read_run).optional())
        .doing("reading the journal")?;
    run.map(|r| with_counts(conn, r)).transpose()
}

pub(crate) fn runs(conn: &Connection, limit: usize) -> Result<Vec<Run>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let runs = query_rows(
        conn,
        &format!("{RUN_SELECT} ORDER BY id DESC LIMIT ?1"),
        [limit],
        read_run,
        "reading the journal",
    )?;
    runs.into_iter().map(|r| with_counts(conn, r)).collect()
}

fn read_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let column = row
        .get::<_, Option<String>>(6)?
        .map(|key| Column::from_key(&key).ok_or_else(|| bad_value(6, "field", &key)))
        .transpose()?;
    Ok(Entry {
        id: row.get(0)?,
        run: RunId(row.get(1)?),
        at: ts_column(row, 2)?,
        kind: row.get(3)?,
        code: row.get(4)?,
        list_id: row.get(5)?,
        column,
        previous: row.get(7)?,
        new: row.get(8)?,
        status_code: row.get(9)?,
        status_message: row.get(10)?,
        revision: row.get(11)?,
    })
}

pub(crate) fn entries(conn: &Connection, run: RunId) -> Result<Vec<Entry>, StoreError> {
    query_rows(
        conn,
        "SELECT id, run_id, at, kind, code, list_id, field, previous, new, status_code, \
         status_message, revision FROM journal WHERE run_id = ?1 ORDER BY id",
        [run.0],
        read_entry,
        "reading the journal",
    )
}

impl StoreTx<'_> {
    /// Starts a run (unfinished until [`StoreTx::finish_run`]).
    pub fn start_run(&mut self, run: &NewRun) -> Result<RunId, StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO runs (started_at, os_user, company_name, company_file, mode) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute((
                    super::now(),
                    &run.os_user,
                    &run.company_name,
                    &run.company_file,
                    run.mode,
                ))
            })
            .doing("starting a run")?;
        Ok(RunId(self.tx.last_insert_rowid()))
    }

    pub fn finish_run(&mut self, run: RunId, outcome: RunOutcome) -> Result<(), StoreError> {
        let n = self
            .tx
            .prepare_cached("UPDATE runs SET finished_at = ?2, outcome = ?3 WHERE id = ?1")
            .and_then(|mut s| s.execute((run.0, super::now(), outcome)))
            .doing("finishing a run")?;
        if n == 0 {
            return Err(StoreError::UnknownRun(run));
        }
        Ok(())
    }

    /// Appends an entry to `run`'s journal; returns its id.
    pub fn journal(&mut self, run: RunId, entry: &NewEntry) -> Result<i64, StoreError> {
        self.journal_revision(run, entry, None)
    }

    pub(crate) fn journal_revision(
        &mut self,
        run: RunId,
        entry: &NewEntry,
        revision: Option<i64>,
    ) -> Result<i64, StoreError> {
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO journal (run_id, at, kind, code, list_id, field, previous, new, \
                 status_code, status_message, revision) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .and_then(|mut s| {
                s.execute(rusqlite::params![
                    run.0,
                    &self.now,
                    entry.kind,
                    entry.code,
                    entry.list_id,
                    entry.column.map(Column::key),
                    entry.previous,
                    entry.new,
                    entry.status_code,
                    entry.status_message,
                    revision,
                ])
            });
        match inserted {
            Ok(_) => Ok(self.tx.last_insert_rowid()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(StoreError::UnknownRun(run))
            }
            Err(e) => Err(StoreError::sqlite("writing the journal", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `id -un` asks the same name service (NSS) custsync now asks.
    #[cfg(unix)]
    #[test]
    fn the_user_is_the_accounts_name_as_the_name_service_gives_it() {
        let out = std::process::Command::new("id")
            .arg("-un")
            .output()
            .expect("id runs");
        assert!(out.status.success());
        assert_eq!(os_user(), String::from_utf8_lossy(&out.stdout).trim());
    }
}
