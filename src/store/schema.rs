//! The database schema and its history.
//!
//! `PRAGMA user_version` records how many migrations a database has had. Opening an older
//! database applies the missing ones in one transaction; a newer one is refused before anything
//! is written. Migrations are history: never edit one that has shipped, add a new one.
//!
//! The customer table's field columns are the exception: they are named after the field table
//! (`Field::key`), and [`ensure_field_columns`] adds any field the table has gained since a
//! database was created, so adding a mapped field needs no migration. Renaming or removing one
//! does.

use rusqlite::{Connection, Transaction};

use crate::qbxml::Field;

type Migration = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// Every migration, oldest first. The schema version of a database is the number applied.
const MIGRATIONS: &[Migration] = &[
    v1_initial,
    v2_search_key,
    v3_spellings_and_deletions,
    v4_stale_links,
    v5_mirror,
];

/// The schema version this custsync writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The quoted column name of a field.
pub(crate) fn field_column(field: Field) -> String {
    format!("\"{}\"", field.key())
}

/// The field columns' definitions. Code and name are required on every stored customer.
fn field_column_defs() -> String {
    Field::ALL
        .iter()
        .map(|&f| match f {
            Field::AccountNumber | Field::Name => format!("{} TEXT NOT NULL", field_column(f)),
            _ => format!("{} TEXT", field_column(f)),
        })
        .collect::<Vec<_>>()
        .join(",\n    ")
}

fn v1_initial(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(&format!(
        "CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    -- The code folded to lower case: codes are unique regardless of case.
    code_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('Active', 'Hold', 'Prospect', 'Inactive')),
    qb_name TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Raised by every change, so undo can tell whether a customer was edited since a run.
    revision INTEGER NOT NULL DEFAULT 1,
    {fields}
);
CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE, code COLLATE NOCASE);

CREATE TABLE links (
    company TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    list_id TEXT NOT NULL,
    external_guid TEXT,
    created_at TEXT NOT NULL,
    -- Customer first: the key also serves the cascade when a customer is deleted.
    PRIMARY KEY (customer_id, company),
    UNIQUE (company, list_id)
) WITHOUT ROWID;

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    os_user TEXT NOT NULL,
    company_name TEXT,
    company_file TEXT,
    mode TEXT NOT NULL,
    outcome TEXT,
    undo_of INTEGER REFERENCES runs (id),
    undone_by INTEGER REFERENCES runs (id)
);

CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('exported', 'imported', 'replaced', 'linked', 'failed', 'undone')),
    code TEXT NOT NULL,
    list_id TEXT,
    field TEXT,
    previous TEXT,
    new TEXT,
    status_code INTEGER,
    status_message TEXT,
    -- The customer's revision right after this change.
    revision INTEGER
);
CREATE INDEX journal_by_run ON journal (run_id);

CREATE TABLE outbox_batches (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    company TEXT NOT NULL,
    message_set_id TEXT NOT NULL UNIQUE,
    request TEXT NOT NULL,
    response TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'done', 'failed', 'in_doubt')),
    note TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    settled_at TEXT
);
CREATE INDEX outbox_unsettled ON outbox_batches (state)
    WHERE state IN ('pending', 'sent', 'in_doubt');

CREATE TABLE outbox_items (
    batch_id INTEGER NOT NULL REFERENCES outbox_batches (id) ON DELETE CASCADE,
    request_id TEXT NOT NULL,
    code TEXT NOT NULL,
    code_key TEXT NOT NULL,
    name TEXT NOT NULL,
    external_guid TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'not_applied')),
    list_id TEXT,
    status_code INTEGER,
    status_message TEXT,
    PRIMARY KEY (batch_id, request_id)
);
CREATE INDEX outbox_items_by_code ON outbox_items (code_key);
CREATE INDEX outbox_items_by_guid ON outbox_items (external_guid);",
        fields = field_column_defs()
    ))
}

/// Search became case-insensitive beyond ASCII: the lower-cased searchable text is kept per
/// customer (SQLite's own `lower` and `LIKE` fold ASCII only).
fn v2_search_key(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch("ALTER TABLE customers ADD COLUMN search_key TEXT NOT NULL DEFAULT ''")?;
    let columns = super::customers::SEARCHED
        .iter()
        .map(|c| match c {
            super::Column::Field(f) => field_column(*f),
            other => other.key().to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut read = tx.prepare(&format!("SELECT id, {columns} FROM customers"))?;
    let mut write = tx.prepare("UPDATE customers SET search_key = ?1 WHERE id = ?2")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let mut parts = Vec::with_capacity(super::customers::SEARCHED.len());
        for i in 0..super::customers::SEARCHED.len() {
            parts.push(row.get::<_, Option<String>>(i + 1)?);
        }
        let key = super::customers::search_key_of(parts.iter().map(|p| p.as_deref()));
        write.execute(rusqlite::params![key, id])?;
    }
    Ok(())
}

/// Issue 10: a customer's QuickBooks spellings of fields other than the name (a JSON object
/// from field key to spelling, NULL for none); customers deleted from SMSTurbo as they were,
/// with their links, so a delete can be undone (who deleted and who restored is kept); and the
/// names in each company's customer type, job type and terms lists, for the screens' pickers.
fn v3_spellings_and_deletions(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE customers ADD COLUMN qb_spellings TEXT;
CREATE TABLE deleted_customers (
    id INTEGER PRIMARY KEY,
    deleted_at TEXT NOT NULL,
    deleted_by TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Every column of the customer as it was: a JSON object from column key to value.
    customer TEXT NOT NULL,
    -- Its links: a JSON array of {company, list_id, external_guid, created_at}.
    links TEXT NOT NULL,
    restored_at TEXT,
    restored_by TEXT
);
CREATE INDEX deleted_customers_by_time ON deleted_customers (deleted_at);
CREATE TABLE qb_list_names (
    company TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('customer_type', 'job_type', 'terms')),
    name TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (company, list, name)
) WITHOUT ROWID;",
    )
}

/// When QuickBooks changes underneath a link (issue 8): the operator may keep a customer in
/// SMSTurbo only, for one company (`local_only`); an outbox item may replace a stale link
/// (`replaces`); and the journal gains what those decisions and runs record: a link removed, a
/// customer kept local only, a list entry added to QuickBooks, why a run stopped. SQLite cannot
/// change a CHECK constraint, so the journal is copied into a table with the wider one.
fn v4_stale_links(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE journal_v4 (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('exported', 'imported', 'replaced', 'linked', 'failed', 'undone',
                        'unlinked', 'local_only', 'list_added', 'stopped')),
    code TEXT NOT NULL,
    list_id TEXT,
    field TEXT,
    previous TEXT,
    new TEXT,
    status_code INTEGER,
    status_message TEXT,
    revision INTEGER
);
INSERT INTO journal_v4 SELECT id, run_id, at, kind, code, list_id, field, previous, new,
    status_code, status_message, revision FROM journal;
DROP TABLE journal;
ALTER TABLE journal_v4 RENAME TO journal;
CREATE INDEX journal_by_run ON journal (run_id);

-- An addition the operator asked for over a stale link moves the link once QuickBooks added it.
ALTER TABLE outbox_items ADD COLUMN replaces TEXT;

-- SMSTurbo customers the operator keeps out of one company: never offered for export to it.
CREATE TABLE local_only (
    company TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (customer_id, company)
) WITHOUT ROWID;",
    )
}

/// The mirror of each company's QuickBooks customers (issue 13, `super::mirror`): one state row
/// per company file, its customers by ListID (the mapped values in one string plus where each
/// ends, as `CustomerData` keeps them), and the deletions QuickBooks reported.
fn v5_mirror(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE mirrors (
    id INTEGER PRIMARY KEY,
    -- The company file, as links are keyed.
    company TEXT NOT NULL UNIQUE,
    company_name TEXT NOT NULL,
    -- The mapped field keys the rows hold, in order: another list makes the rows unusable.
    fields TEXT NOT NULL,
    -- The newest TimeModified a completed read returned, as QuickBooks wrote it.
    watermark TEXT,
    -- The next read starts this many seconds before the watermark.
    overlap_secs INTEGER NOT NULL,
    -- The highest ListID sequence number a read returned.
    list_seq_floor INTEGER,
    -- The customer the watermark came from, and its EditSequence then.
    newest_list_id TEXT,
    newest_edit_sequence TEXT,
    -- When the last read completed (custsync's clock: only the mirror's age is measured by it).
    read_at TEXT NOT NULL,
    -- 1 when QuickBooks answered ListDeletedQuery.
    deletions INTEGER NOT NULL CHECK (deletions IN (0, 1))
);

CREATE TABLE mirror_customers (
    mirror INTEGER NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
    list_id TEXT NOT NULL,
    edit_sequence TEXT NOT NULL,
    time_modified TEXT NOT NULL,
    -- NULL: QuickBooks did not say (which means active).
    is_active INTEGER,
    parent_list_id TEXT,
    parent_full_name TEXT,
    sublevel INTEGER,
    job_type TEXT,
    field_text TEXT NOT NULL,
    -- Each field's length in bytes, in field order, as LEB128 varints (an empty field is one
    -- zero byte).
    field_lengths BLOB NOT NULL,
    PRIMARY KEY (mirror, list_id)
) WITHOUT ROWID;

CREATE TABLE mirror_deleted (
    mirror INTEGER NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
    list_id TEXT NOT NULL,
    time_deleted TEXT,
    full_name TEXT,
    PRIMARY KEY (mirror, list_id)
) WITHOUT ROWID;",
    )
}

/// Adds a column for every field the table has gained since the database was created.
fn ensure_field_columns(conn: &Connection) -> rusqlite::Result<()> {
    for field in missing_field_columns(conn)? {
        conn.execute_batch(&format!(
            "ALTER TABLE customers ADD COLUMN {} TEXT",
            field_column(field)
        ))?;
    }
    Ok(())
}

fn missing_field_columns(conn: &Connection) -> rusqlite::Result<Vec<Field>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('customers')")?;
    let present = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<std::collections::HashSet<String>>>()?;
    if present.is_empty() {
        // No customers table yet: the migrations create it.
        return Ok(Vec::new());
    }
    Ok(Field::ALL
        .iter()
        .copied()
        .filter(|f| !present.contains(f.key()))
        .collect())
}

pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Whether the database is custsync's (or new and empty): a schema version of 0 with tables in
/// it, or a version without custsync's tables, is another program's SQLite file.
pub(crate) fn is_ours(conn: &Connection, version: i64) -> rusqlite::Result<bool> {
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        [],
        |r| r.get(0),
    )?;
    if version == 0 {
        return Ok(tables == 0);
    }
    let ours: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('customers', 'runs')",
        [],
        |r| r.get(0),
    )?;
    Ok(ours == 2)
}

/// Whether opening this database would change its schema.
pub(crate) fn needs_upgrade(conn: &Connection) -> rusqlite::Result<bool> {
    Ok(user_version(conn)? < LATEST || !missing_field_columns(conn)?.is_empty())
}

/// Whether this database had the mirror as its last migration before it became 5. Issue 13 was
/// developed while other branches added migrations in parallel, and its development builds made
/// the mirror their 3 (beside issue 10's 3, in two layouts) and then their 4 (beside issue 8's
/// stale links). Neither shipped; such a database has the mirror at a version below
/// [`MIRROR_VERSION`], where no released migration creates it.
fn has_mirror_early(conn: &Connection, version: i64) -> rusqlite::Result<bool> {
    if version >= MIRROR_VERSION {
        return Ok(false);
    }
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'mirrors'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// The version that creates the mirror ([`v5_mirror`]).
const MIRROR_VERSION: i64 = 5;

/// Brings the database to `target` (at most [`LATEST`]) in one transaction. The caller has
/// already refused databases newer than this custsync.
pub(crate) fn upgrade(conn: &mut Connection, target: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have upgraded meanwhile.
    let mut from = user_version(&tx)?;
    if has_mirror_early(&tx, from)? {
        // The mirror is a copy QuickBooks can give again: dropped, it is made anew as 5 and the
        // next synchronization reads every customer. It was that build's last migration, so
        // the database is otherwise at the version before, and gets the migrations it missed.
        tx.execute_batch(
            "DROP TABLE mirror_deleted; DROP TABLE mirror_customers; DROP TABLE mirrors;",
        )?;
        from -= 1;
    }
    for (i, migration) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version > from && version <= target {
            migration(&tx)?;
        }
    }
    if target == LATEST {
        ensure_field_columns(&tx)?;
    }
    if target > from {
        tx.pragma_update(None, "user_version", target)?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_missing_from_an_old_database_is_added_back() {
        let mut conn = Connection::open_in_memory().unwrap();
        upgrade(&mut conn, LATEST).unwrap();
        conn.execute_batch("ALTER TABLE customers DROP COLUMN notes")
            .unwrap();
        assert_eq!(missing_field_columns(&conn).unwrap(), vec![Field::Notes]);
        assert!(needs_upgrade(&conn).unwrap());
        upgrade(&mut conn, LATEST).unwrap();
        assert!(!needs_upgrade(&conn).unwrap());
        assert_eq!(user_version(&conn).unwrap(), LATEST);
    }

    fn table_exists(conn: &Connection, name: &str) -> bool {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            > 0
    }

    fn columns(conn: &Connection, table: &str) -> Vec<String> {
        let mut stmt = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// A database as a build made it: these migrations applied in order, its version their count.
    fn database_made_by(migrations: &[Migration]) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        for migration in migrations {
            migration(&tx).unwrap();
        }
        tx.pragma_update(None, "user_version", migrations.len() as i64)
            .unwrap();
        tx.commit().unwrap();
        conn
    }

    #[test]
    fn a_database_issue_10_made_as_3_gains_the_mirror_and_keeps_its_spellings() {
        let mut conn = database_made_by(&[v1_initial, v2_search_key, v3_spellings_and_deletions]);
        conn.execute(
            "INSERT INTO customers (code_key, status, created_at, updated_at, code, name, \
             qb_spellings) VALUES ('c1', 'Active', 't', 't', 'C1', 'N', '{\"city\":\"Köln\"}')",
            [],
        )
        .unwrap();
        upgrade(&mut conn, LATEST).unwrap();
        assert_eq!(user_version(&conn).unwrap(), LATEST);
        assert!(table_exists(&conn, "local_only"));
        assert!(table_exists(&conn, "mirrors"));
        let spellings: String = conn
            .query_row("SELECT qb_spellings FROM customers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(spellings, "{\"city\":\"Köln\"}");
    }

    #[test]
    fn a_database_with_the_mirror_as_3_gets_issue_10s_tables_and_a_new_mirror() {
        // Both layouts an issue-13 development build wrote: field ends, then field lengths.
        for older in [true, false] {
            let mut conn = database_made_by(&[v1_initial, v2_search_key, v5_mirror]);
            if older {
                conn.execute_batch(
                    "ALTER TABLE mirror_customers RENAME COLUMN field_lengths TO field_ends",
                )
                .unwrap();
            }
            conn.execute_batch(
                "INSERT INTO customers (code_key, status, created_at, updated_at, code, name) \
                 VALUES ('c1', 'Active', 't', 't', 'C1', 'N');
                 INSERT INTO mirrors (company, company_name, fields, overlap_secs, read_at, \
                                      deletions) VALUES ('f', 'F', '', 0, 't', 1);",
            )
            .unwrap();
            upgrade(&mut conn, LATEST).unwrap();
            assert_eq!(user_version(&conn).unwrap(), LATEST);
            assert!(columns(&conn, "customers").contains(&"qb_spellings".to_string()));
            assert!(table_exists(&conn, "local_only"));
            assert!(table_exists(&conn, "deleted_customers"));
            assert!(table_exists(&conn, "qb_list_names"));
            assert!(columns(&conn, "mirror_customers").contains(&"field_lengths".to_string()));
            let (customers, mirrors): (i64, i64) = conn
                .query_row(
                    "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM mirrors)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(
                (customers, mirrors),
                (1, 0),
                "customers kept, the mirror made anew"
            );
        }
    }

    /// Stores one mirror (state row only) for company file `f`.
    fn store_a_mirror(conn: &Connection) {
        conn.execute_batch(
            "INSERT INTO mirrors (company, company_name, fields, overlap_secs, read_at, \
                                  deletions) VALUES ('f', 'F', '', 0, 't', 1);",
        )
        .unwrap();
    }

    fn mirrors(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM mirrors", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn only_version_5_makes_the_mirror() {
        let mut conn = Connection::open_in_memory().unwrap();
        upgrade(&mut conn, MIRROR_VERSION - 1).unwrap();
        assert!(!table_exists(&conn, "mirrors"));
        upgrade(&mut conn, MIRROR_VERSION).unwrap();
        assert!(table_exists(&conn, "mirrors"));
    }

    #[test]
    fn a_database_main_made_as_4_gains_the_mirror_and_keeps_its_stale_link_decisions() {
        let mut conn = database_made_by(&[
            v1_initial,
            v2_search_key,
            v3_spellings_and_deletions,
            v4_stale_links,
        ]);
        conn.execute_batch(
            "INSERT INTO customers (id, code_key, status, created_at, updated_at, code, name) \
                 VALUES (1, 'c1', 'Active', 't', 't', 'C1', 'N');
             INSERT INTO local_only (company, customer_id, created_at) VALUES ('f', 1, 't');
             INSERT INTO runs (id, started_at, os_user, mode) VALUES (1, 't', 'u', 'link');
             INSERT INTO journal (run_id, at, kind, code) VALUES (1, 't', 'local_only', 'C1');",
        )
        .unwrap();
        assert!(needs_upgrade(&conn).unwrap());
        upgrade(&mut conn, LATEST).unwrap();
        assert_eq!(user_version(&conn).unwrap(), LATEST);
        assert!(table_exists(&conn, "mirror_customers"));
        store_a_mirror(&conn);
        let kept: (i64, String) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM local_only), (SELECT kind FROM journal)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, (1, "local_only".to_string()));
    }

    #[test]
    fn a_database_with_the_mirror_as_4_gets_the_stale_link_tables_and_a_new_mirror() {
        let mut conn = database_made_by(&[
            v1_initial,
            v2_search_key,
            v3_spellings_and_deletions,
            v5_mirror,
        ]);
        store_a_mirror(&conn);
        conn.execute_batch(
            "INSERT INTO runs (id, started_at, os_user, mode) VALUES (1, 't', 'u', 'missing_only');
             INSERT INTO journal (run_id, at, kind, code) VALUES (1, 't', 'exported', 'C1');",
        )
        .unwrap();
        upgrade(&mut conn, LATEST).unwrap();
        assert_eq!(user_version(&conn).unwrap(), LATEST);
        assert!(table_exists(&conn, "local_only"));
        assert!(columns(&conn, "outbox_items").contains(&"replaces".to_string()));
        conn.execute(
            "INSERT INTO journal (run_id, at, kind, code) VALUES (1, 't', 'stopped', '')",
            [],
        )
        .unwrap();
        assert_eq!(mirrors(&conn), 0, "the mirror made anew");
        // Upgrading again changes nothing.
        store_a_mirror(&conn);
        upgrade(&mut conn, LATEST).unwrap();
        assert_eq!(mirrors(&conn), 1);
    }

    #[test]
    fn version_4_keeps_the_journal_and_widens_what_it_accepts() {
        let mut conn = Connection::open_in_memory().unwrap();
        upgrade(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO runs (id, started_at, os_user, mode) VALUES (1, 't', 'u', 'missing_only');
             INSERT INTO journal (run_id, at, kind, code, list_id, status_message, revision)
                 VALUES (1, 't', 'exported', 'C1', 'L1', NULL, 3);",
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO journal (run_id, at, kind, code) VALUES (1, 't', 'stopped', '')",
                []
            )
            .is_err()
        );
        upgrade(&mut conn, LATEST).unwrap();
        let kept: (String, String, Option<String>, i64) = conn
            .query_row(
                "SELECT kind, code, list_id, revision FROM journal WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(kept, ("exported".into(), "C1".into(), Some("L1".into()), 3));
        conn.execute(
            "INSERT INTO journal (run_id, at, kind, code) VALUES (1, 't', 'stopped', '')",
            [],
        )
        .unwrap();
        let indexed: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'journal_by_run'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexed, 1);
    }

    #[test]
    fn the_check_constraints_accept_every_stored_text_and_nothing_else() {
        use crate::store::{BatchState, CustomerStatus, EntryKind, ItemState};
        let mut conn = Connection::open_in_memory().unwrap();
        upgrade(&mut conn, LATEST).unwrap();
        conn.execute_batch(
            "INSERT INTO runs (id, started_at, os_user, mode) VALUES (1, 't', 'u', 'undo');
             INSERT INTO outbox_batches (id, run_id, company, message_set_id, request, state,
                                         created_at)
                 VALUES (1, 1, 'c', 'm', 'r', 'pending', 't');",
        )
        .unwrap();
        let entry = |kind: &str| {
            conn.execute(
                "INSERT INTO journal (run_id, at, kind, code) VALUES (1, 't', ?1, 'C')",
                [kind],
            )
        };
        let batch = |state: &str| {
            conn.execute("UPDATE outbox_batches SET state = ?1 WHERE id = 1", [state])
        };
        let item = |state: &str| {
            conn.execute(
                "INSERT INTO outbox_items (batch_id, request_id, code, code_key, name, \
                 external_guid, state) VALUES (1, ?1, 'C', 'c', 'N', 'G', ?1)",
                [state],
            )
        };
        let customer = |status: &str| {
            conn.execute(
                "INSERT INTO customers (code_key, status, created_at, updated_at, code, name) \
                 VALUES (?1, ?1, 't', 't', 'C', 'N')",
                [status],
            )
        };
        for kind in EntryKind::ALL {
            entry(kind.as_str()).unwrap();
        }
        for state in BatchState::ALL {
            batch(state.as_str()).unwrap();
        }
        for state in ItemState::ALL {
            item(state.as_str()).unwrap();
        }
        for status in CustomerStatus::ALL {
            customer(status.as_str()).unwrap();
        }
        assert!(entry("deleted").is_err());
        assert!(batch("lost").is_err());
        assert!(item("lost").is_err());
        assert!(customer("Gone").is_err());
    }
}
