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

/// The operating-system user running custsync, for the journal.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .or_else(user_from_uid)
        .unwrap_or_else(|| "unknown".to_string())
}

/// Services, cron jobs and containers often run without USER set; the journal should still say
/// who ran a sync. The process's uid (the owner of /proc/self, so Linux only: elsewhere this
/// finds nothing and the user is `unknown`), named by /etc/passwd or shown as `uid N`.
#[cfg(unix)]
fn user_from_uid() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    Some(passwd_name(&passwd, uid).unwrap_or_else(|| format!("uid {uid}")))
}

/// The name an /etc/passwd text (`name:password:uid:...` lines) gives `uid`: the first line
/// with it, as getpwuid answers.
#[cfg(unix)]
fn passwd_name(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut parts = line.split(':');
        let name = parts.next()?;
        let id = parts.nth(1)?;
        (id.parse::<u32>().ok()? == uid).then(|| name.to_string())
    })
}

#[cfg(not(unix))]
fn user_from_uid() -> Option<String> {
    None
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
        "SELECT kind, count(DISTINCT code) FROM journal WHERE run_id = ?1 GROUP BY kind",
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_uid_is_named_by_the_first_passwd_line_with_it() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\n\
                      # a comment\n\
                      +\n\
                      1000:x:1001:1001::/home/numbers:/bin/sh\n\
                      svc:x:1000:1000::/srv:/bin/sh\n\
                      toor:x:0:0::/root:/bin/sh\n";
        assert_eq!(passwd_name(passwd, 0).as_deref(), Some("root"));
        // The uid is the third field, not a name that looks like one.
        assert_eq!(passwd_name(passwd, 1000).as_deref(), Some("svc"));
        assert_eq!(passwd_name(passwd, 1001).as_deref(), Some("1000"));
        assert_eq!(passwd_name(passwd, 42), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn without_user_variables_the_process_owner_is_still_named() {
        let who = user_from_uid().expect("Linux has /proc/self");
        assert!(!who.trim().is_empty());
    }
}
