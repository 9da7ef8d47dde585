//! The log of customers changed or deleted by QuickBooks users' moves, which open iterators read
//! between pages (see [`super::session`]: a customer changed after its page was handed out is
//! met again at the end of the iteration, as in QuickBooks).
//!
//! Only moves write it (adds never touch an existing customer), so it stays small; its sequence
//! numbers only grow (AUTOINCREMENT), so an iterator's mark is never overtaken by reuse.

use rusqlite::{Connection, params};

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS customer_change (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    row_id INTEGER NOT NULL,
    deleted INTEGER NOT NULL
);
";

/// One change: the customer row and whether it is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    pub seq: i64,
    pub row_id: i64,
    pub deleted: bool,
}

pub(crate) fn log(conn: &Connection, row_id: i64, deleted: bool) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO customer_change (row_id, deleted) VALUES (?1, ?2)")?
        .execute(params![row_id, deleted])?;
    Ok(())
}

/// The last change so far (0: none).
pub(crate) fn mark(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM customer_change")?
        .query_row([], |r| r.get(0))
}

/// The changes after `mark`, in order.
pub(crate) fn since(conn: &Connection, mark: i64) -> rusqlite::Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, row_id, deleted FROM customer_change WHERE seq > ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([mark], |r| {
        Ok(Change {
            seq: r.get(0)?,
            row_id: r.get(1)?,
            deleted: r.get(2)?,
        })
    })?;
    rows.collect()
}
