//! The sandbox company file: an SQLite database the user picks like a `.QBW`, marked as a custsync
//! sandbox by SQLite's `application_id` header field, a format version (`user_version`) and a
//! `meta` row, so that neither a real QuickBooks file nor any other database is ever mistaken for
//! one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::qbxml::{Field, fields::Shape};

use super::ids;

/// `CSSB` — custsync sandbox — in SQLite's `application_id` header field.
pub const APPLICATION_ID: i32 = 0x4353_5342;
/// The sandbox file format this custsync writes and reads.
pub const FORMAT_VERSION: i32 = 1;
const FORMAT_MARK: &str = "custsync sandbox QuickBooks company";
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Where to read about connecting to real QuickBooks, quoted in every "not a sandbox" error.
pub const REAL_QUICKBOOKS_HINT: &str = "To synchronize with a real QuickBooks company file, connect \
     through the QuickBooks Web Connector instead (README, section \"Connect to real QuickBooks\")";

/// What can go wrong with a sandbox company file. Each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error(
        "{path} does not exist. Create a sandbox company with `custsync sandbox create {path}`, or check the path"
    )]
    NotFound { path: String },
    #[error(
        "{path} already exists; custsync never overwrites a company file — choose a new file name"
    )]
    AlreadyExists { path: String },
    #[error("{path} is not a custsync sandbox company: {what}. {hint}", hint = REAL_QUICKBOOKS_HINT)]
    NotASandbox { path: String, what: String },
    #[error(
        "{path} is a sandbox company in format {found}, newer than this custsync understands ({FORMAT_VERSION}); update custsync"
    )]
    NewerFormat { path: String, found: i32 },
    #[error(
        "the sandbox company file {path} could not be read or written ({source}); check that the disk is not full, the file is writable and no other program holds it locked"
    )]
    Storage {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot read {path} ({source}); check the path and its permissions")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "there is no customer or job named \"{name}\" in {path}; `custsync sandbox list {path}` shows them"
    )]
    NoCustomer { name: String, path: String },
    #[error("{0}")]
    Invalid(String),
}

/// An open sandbox company.
pub struct CompanyFile {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for CompanyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompanyFile")
            .field("path", &self.path)
            .finish()
    }
}

/// What QuickBooks reports about the company and itself (CompanyRet, HostRet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompanyProfile {
    pub company_name: String,
    pub legal_company_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub product_name: String,
    pub major_version: String,
    pub minor_version: String,
    pub country: String,
}

/// The product the sandbox presents itself as. QuickBooks 2024 is major version 34.
pub const PRODUCT_NAME: &str = "QuickBooks Pro 2024 (custsync sandbox)";
const MAJOR_VERSION: &str = "34";
const MINOR_VERSION: &str = "0";

/// Default list entries every new company gets, as QuickBooks' company setup creates them.
const DEFAULT_TERMS: &[&str] = &[
    "Due on receipt",
    "Net 15",
    "Net 30",
    "Net 60",
    "1% 10 Net 30",
];
const DEFAULT_TAX_CODES: &[&str] = &["Tax", "Non"];
const DEFAULT_USERS: &[&str] = &["Admin"];

impl CompanyFile {
    /// Creates a new sandbox company at `path`. Refuses to overwrite anything.
    pub fn create(path: &Path, company_name: &str) -> Result<CompanyFile, SandboxError> {
        let shown = path.display().to_string();
        if company_name.trim().is_empty() || company_name.chars().count() > 59 {
            return Err(SandboxError::Invalid(format!(
                "the company name \"{company_name}\" must have 1 to 59 characters (QuickBooks' limit)"
            )));
        }
        if path.exists() {
            return Err(SandboxError::AlreadyExists { path: shown });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(SandboxError::Invalid(format!(
                "the folder {} does not exist; create it first or choose another place for {}",
                parent.display(),
                path.file_name()
                    .map_or(shown.clone(), |n| n.to_string_lossy().into_owned())
            )));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|source| SandboxError::Storage {
                path: shown.clone(),
                source,
            })?;
        let mut file = CompanyFile {
            conn,
            path: path.to_path_buf(),
        };
        file.configure()?;
        file.initialize(company_name)?;
        Ok(file)
    }

    /// Opens an existing sandbox company, refusing anything that is not one.
    pub fn open(path: &Path) -> Result<CompanyFile, SandboxError> {
        let shown = path.display().to_string();
        sniff(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|source| SandboxError::Storage {
                path: shown.clone(),
                source,
            })?;
        let file = CompanyFile {
            conn,
            path: path.to_path_buf(),
        };
        file.configure()?;
        let app_id: i32 = file
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| file.storage(e))?;
        if app_id != APPLICATION_ID {
            return Err(SandboxError::NotASandbox {
                path: shown,
                what: "it is an SQLite database made by another program (the SMSTurbo customer \
                       database, perhaps)"
                    .into(),
            });
        }
        let found: i32 = file
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| file.storage(e))?;
        if found > FORMAT_VERSION {
            return Err(SandboxError::NewerFormat { path: shown, found });
        }
        if file.meta("format")?.as_deref() != Some(FORMAT_MARK) {
            return Err(SandboxError::NotASandbox {
                path: shown,
                what: "its sandbox marker is missing (the file is damaged or was not made by custsync)"
                    .into(),
            });
        }
        file.migrate()?;
        Ok(file)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Wraps a database error with the file's name.
    pub(crate) fn storage(&self, source: rusqlite::Error) -> SandboxError {
        SandboxError::Storage {
            path: self.path.display().to_string(),
            source,
        }
    }

    fn configure(&self) -> Result<(), SandboxError> {
        // Another custsync (the CLI changing preferences while the TUI runs) may hold the file
        // briefly; wait for it instead of failing.
        self.conn
            .busy_timeout(Duration::from_secs(10))
            .map_err(|e| self.storage(e))?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| self.storage(e))
    }

    fn initialize(&mut self, company_name: &str) -> Result<(), SandboxError> {
        let now = ids::now_unix();
        let tx = self.conn.transaction().map_err(|e| SandboxError::Storage {
            path: self.path.display().to_string(),
            source: e,
        })?;
        let result = (|| -> rusqlite::Result<()> {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", FORMAT_VERSION)?;
            tx.execute_batch(SCHEMA)?;
            tx.execute_batch(&customer_table_sql())?;
            tx.execute_batch(super::deleted::SCHEMA)?;
            tx.execute_batch(super::changes::SCHEMA)?;
            let meta = [
                ("format", FORMAT_MARK.to_string()),
                ("company_name", company_name.to_string()),
                ("legal_company_name", company_name.to_string()),
                ("product_name", PRODUCT_NAME.to_string()),
                ("major_version", MAJOR_VERSION.to_string()),
                ("minor_version", MINOR_VERSION.to_string()),
                ("country", "US".to_string()),
                ("qb_open", "0".to_string()),
                ("next_sequence", ids::FIRST_LIST_SEQUENCE.to_string()),
                ("created_at", now.to_string()),
            ];
            for (k, v) in meta {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                    params![k, v],
                )?;
            }
            for user in DEFAULT_USERS {
                tx.execute("INSERT INTO qb_user (name) VALUES (?1)", [user])?;
            }
            for (kind, names) in [
                ("Terms", DEFAULT_TERMS),
                ("SalesTaxCode", DEFAULT_TAX_CODES),
            ] {
                for name in names {
                    insert_list_entry(&tx, kind, name, None, now)?;
                }
            }
            Ok(())
        })();
        match result.and_then(|()| tx.commit()) {
            Ok(()) => Ok(()),
            Err(source) => {
                // Leave no half-made company behind.
                let _ = std::fs::remove_file(&self.path);
                Err(SandboxError::Storage {
                    path: self.path.display().to_string(),
                    source,
                })
            }
        }
    }

    /// Adds what files made by an older custsync lack: customer columns for newer fields (the
    /// field table grows over time), the record of deleted list entries and the change log.
    fn migrate(&self) -> Result<(), SandboxError> {
        for schema in [super::deleted::SCHEMA, super::changes::SCHEMA] {
            self.conn
                .execute_batch(schema)
                .map_err(|e| self.storage(e))?;
        }
        let mut existing = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT name FROM pragma_table_info('customer')")
                .map_err(|e| self.storage(e))?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(|e| self.storage(e))?;
            for r in rows {
                existing.push(r.map_err(|e| self.storage(e))?);
            }
        }
        for &field in Field::ALL {
            let (col, ty) = field_column(field);
            if !existing.contains(&col) {
                self.conn
                    .execute_batch(&format!("ALTER TABLE customer ADD COLUMN {col} {ty}"))
                    .map_err(|e| self.storage(e))?;
            }
        }
        Ok(())
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>, SandboxError> {
        meta_get(&self.conn, key).map_err(|e| self.storage(e))
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<(), SandboxError> {
        meta_set(&self.conn, key, value).map_err(|e| self.storage(e))
    }

    /// The company and product QuickBooks reports.
    pub fn company_profile(&self) -> Result<CompanyProfile, SandboxError> {
        company_profile(&self.conn).map_err(|e| self.storage(e))
    }

    /// Number of customers and jobs, active or not.
    pub fn customer_count(&self) -> Result<u64, SandboxError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM customer", [], |r| r.get::<_, i64>(0))
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(|e| self.storage(e))
    }

    /// Whether "QuickBooks" currently has this company file open.
    pub fn is_open_in_quickbooks(&self) -> Result<bool, SandboxError> {
        Ok(self.meta("qb_open")?.as_deref() == Some("1"))
    }

    /// Marks the file as open (or closed) in the simulated QuickBooks.
    pub fn set_open_in_quickbooks(&self, open: bool) -> Result<(), SandboxError> {
        self.set_meta("qb_open", if open { "1" } else { "0" })
    }

    /// The QuickBooks users that may be chosen for "Login as".
    pub fn users(&self) -> Result<Vec<String>, SandboxError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM qb_user ORDER BY name")
            .map_err(|e| self.storage(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.storage(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.storage(e))
    }
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(|_| ())
}

pub(crate) fn company_profile(conn: &Connection) -> rusqlite::Result<CompanyProfile> {
    let get = |k: &str, default: &str| -> rusqlite::Result<String> {
        Ok(meta_get(conn, k)?.unwrap_or_else(|| default.to_string()))
    };
    Ok(CompanyProfile {
        company_name: get("company_name", "")?,
        legal_company_name: get("legal_company_name", "")?,
        phone: meta_get(conn, "phone")?,
        email: meta_get(conn, "email")?,
        product_name: get("product_name", PRODUCT_NAME)?,
        major_version: get("major_version", MAJOR_VERSION)?,
        minor_version: get("minor_version", MINOR_VERSION)?,
        country: get("country", "US")?,
    })
}

/// Takes the next ListID sequence number.
pub(crate) fn next_sequence(conn: &Connection) -> rusqlite::Result<u32> {
    reserve_sequences(conn, 1)
}

/// Takes a block of `count` ListID sequence numbers; returns the first.
pub(crate) fn reserve_sequences(conn: &Connection, count: u32) -> rusqlite::Result<u32> {
    let first = meta_get(conn, "next_sequence")?
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(ids::FIRST_LIST_SEQUENCE);
    meta_set(
        conn,
        "next_sequence",
        &first.wrapping_add(count).to_string(),
    )?;
    Ok(first)
}

/// Checks the first bytes before SQLite ever touches the file: a real QuickBooks company or any
/// other non-SQLite file gets a clear refusal instead of an SQLite error (or, worse, an SQLite
/// header written into an empty file).
fn sniff(path: &Path) -> Result<(), SandboxError> {
    use crate::files::{ReadError, open_regular};
    let shown = path.display().to_string();
    // Only regular files: a named pipe would hang the open, a device never end.
    let mut file = match open_regular(path) {
        Ok(f) => f,
        Err(ReadError::NotFound) => return Err(SandboxError::NotFound { path: shown }),
        Err(ReadError::Io(source)) => {
            return Err(SandboxError::Io {
                path: shown,
                source,
            });
        }
        Err(ReadError::NotAFile(what)) => {
            return Err(SandboxError::NotASandbox {
                path: shown,
                what: format!("it is {what}, not a company file"),
            });
        }
        Err(other) => {
            return Err(SandboxError::NotASandbox {
                path: shown,
                what: other.to_string(),
            });
        }
    };
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(source) => {
                return Err(SandboxError::Io {
                    path: shown,
                    source,
                });
            }
        }
    }
    if read == 16 && &head == SQLITE_MAGIC {
        return Ok(());
    }
    let is_qbw = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("qbw"));
    let what = if read == 0 {
        "the file is empty".to_string()
    } else if is_qbw {
        "it looks like a real QuickBooks company file, which only QuickBooks itself can open".into()
    } else {
        "it is neither a sandbox nor any other SQLite database".into()
    };
    Err(SandboxError::NotASandbox { path: shown, what })
}

/// The customer column for a mapped field: text for plain and address values, the referenced list
/// entry's row for `…Ref` fields.
pub(crate) fn field_column(field: Field) -> (String, &'static str) {
    match field.shape() {
        Shape::Ref(_) => (
            format!("f_{}_id", field.key()),
            "INTEGER REFERENCES list_entry(id)",
        ),
        Shape::Plain(_) | Shape::InAddress(..) => (format!("f_{}", field.key()), "TEXT"),
    }
}

fn customer_table_sql() -> String {
    let mut cols = String::new();
    for &field in Field::ALL {
        let (col, ty) = field_column(field);
        cols.push_str(&format!(",\n    {col} {ty}"));
    }
    format!(
        "CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    list_id TEXT NOT NULL UNIQUE,
    time_created INTEGER NOT NULL,
    time_modified INTEGER NOT NULL,
    edit_sequence TEXT NOT NULL,
    parent_id INTEGER REFERENCES customer(id),
    sublevel INTEGER NOT NULL DEFAULT 0,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    sort_key TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1,
    job_type_id INTEGER REFERENCES list_entry(id),
    external_guid TEXT{cols}
);
CREATE INDEX customer_sort ON customer(sort_key);
CREATE INDEX customer_modified ON customer(time_modified);
CREATE INDEX customer_parent ON customer(parent_id);"
    )
}

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE list_entry (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    list_id TEXT NOT NULL UNIQUE,
    time_created INTEGER NOT NULL,
    time_modified INTEGER NOT NULL,
    edit_sequence TEXT NOT NULL,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    parent_id INTEGER REFERENCES list_entry(id),
    sublevel INTEGER NOT NULL DEFAULT 0,
    is_active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, name_key)
);
CREATE INDEX list_entry_sort ON list_entry(kind, sort_key);
CREATE TABLE entity (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    list_id TEXT NOT NULL UNIQUE,
    time_created INTEGER NOT NULL,
    time_modified INTEGER NOT NULL,
    edit_sequence TEXT NOT NULL,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    sort_key TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1,
    company_name TEXT,
    first_name TEXT,
    last_name TEXT,
    phone TEXT,
    email TEXT
);
CREATE INDEX entity_sort ON entity(kind, sort_key);
CREATE TABLE qb_user (name TEXT PRIMARY KEY COLLATE NOCASE);
CREATE TABLE integrated_app (
    app_name TEXT PRIMARY KEY COLLATE NOCASE,
    grant_kind TEXT NOT NULL,
    login_user TEXT,
    auto_login INTEGER NOT NULL DEFAULT 0,
    personal_data INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL
);
CREATE TABLE message_set (
    app_name TEXT PRIMARY KEY COLLATE NOCASE,
    message_set_id TEXT NOT NULL,
    checksum TEXT NOT NULL,
    response TEXT NOT NULL,
    stored_at INTEGER NOT NULL
);
";

/// QuickBooks compares names without regard to case (reference §4.1).
pub(crate) fn name_key(full_name: &str) -> String {
    full_name.to_lowercase()
}

/// Orders a hierarchy the way QuickBooks lists it: a parent, then its children, then the next
/// parent (`:` sorts before every character a name may hold).
pub(crate) fn sort_key(full_name: &str) -> String {
    full_name.to_lowercase().replace(':', "\u{1}")
}

/// Inserts a list entry (customer type, job type, terms, sales rep, tax code) under `parent`
/// (row id, full name, sublevel). Returns the new row id.
pub(crate) fn insert_list_entry(
    conn: &Connection,
    kind: &str,
    name: &str,
    parent: Option<(i64, &str, u32)>,
    now: i64,
) -> rusqlite::Result<i64> {
    insert_list_entry_full(conn, kind, name, parent, true, now)
}

pub(crate) fn insert_list_entry_full(
    conn: &Connection,
    kind: &str,
    name: &str,
    parent: Option<(i64, &str, u32)>,
    is_active: bool,
    now: i64,
) -> rusqlite::Result<i64> {
    let seq = next_sequence(conn)?;
    let full_name = match parent {
        Some((_, p, _)) => format!("{p}:{name}"),
        None => name.to_string(),
    };
    conn.execute(
        "INSERT INTO list_entry (kind, list_id, time_created, time_modified, edit_sequence, name,
             full_name, name_key, sort_key, parent_id, sublevel, is_active)
         VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            kind,
            ids::list_id(seq, now),
            now,
            ids::edit_sequence(now),
            name,
            full_name,
            name_key(&full_name),
            sort_key(&full_name),
            parent.map(|p| p.0),
            parent.map_or(0, |p| p.2 + 1),
            is_active,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_and_reopens_a_marked_company() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Acme.QBW");
        let file = CompanyFile::create(&path, "Acme Supply").unwrap();
        assert_eq!(file.company_profile().unwrap().company_name, "Acme Supply");
        drop(file);
        let file = CompanyFile::open(&path).unwrap();
        assert_eq!(file.customer_count().unwrap(), 0);
        assert!(!file.is_open_in_quickbooks().unwrap());
        assert_eq!(file.users().unwrap(), vec!["Admin".to_string()]);
        assert!(matches!(
            CompanyFile::create(&path, "Again"),
            Err(SandboxError::AlreadyExists { .. })
        ));
        let err = CompanyFile::create(&dir.path().join("no/such/folder/X.QBW"), "X")
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not exist"), "{err}");
    }

    #[test]
    fn refuses_what_is_not_a_sandbox() {
        let dir = tempfile::tempdir().unwrap();
        let qbw = dir.path().join("Real.QBW");
        std::fs::write(&qbw, [0x5au8, 0x00, 0xff, 0x13].repeat(1000)).unwrap();
        let err = CompanyFile::open(&qbw).unwrap_err().to_string();
        assert!(err.contains("real QuickBooks company file"), "{err}");
        assert!(err.contains("Web Connector"), "{err}");

        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let err = CompanyFile::open(&other).unwrap_err().to_string();
        assert!(err.contains("another program"), "{err}");

        let empty = dir.path().join("empty.QBW");
        std::fs::write(&empty, b"").unwrap();
        assert!(
            CompanyFile::open(&empty)
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        assert!(matches!(
            CompanyFile::open(&dir.path().join("missing.QBW")),
            Err(SandboxError::NotFound { .. })
        ));
    }
}
