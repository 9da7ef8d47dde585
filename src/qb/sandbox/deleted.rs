//! QuickBooks' record of deleted list entries, which `ListDeletedQueryRq` reports.
//!
//! Deleting a customer or job, and merging one into another (the merged-away record disappears),
//! leaves a record: the list (`ListDelType`), the ListID, when the entry was created and deleted,
//! and its FullName at that moment. QuickBooks keeps these records for about 90 days (Conductor's
//! documentation of the same request): older ones are neither reported nor kept.

use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

use crate::qbxml::{ListDelType, ListDeletedRet};

use super::ids;

/// How long QuickBooks reports a deletion.
pub const RETENTION_DAYS: i64 = 90;
const RETENTION_SECS: i64 = RETENTION_DAYS * 86_400;

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS deleted_list (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    list_id TEXT NOT NULL,
    time_created INTEGER NOT NULL,
    time_deleted INTEGER NOT NULL,
    full_name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS deleted_list_time ON deleted_list(kind, time_deleted);
";

/// One deletion to record.
pub(crate) struct Deletion<'a> {
    pub kind: ListDelType,
    pub list_id: &'a str,
    pub time_created: i64,
    pub full_name: &'a str,
}

/// Records a deletion at `now`, and forgets those older than QuickBooks keeps.
pub(crate) fn record(conn: &Connection, d: &Deletion<'_>, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM deleted_list WHERE time_deleted < ?1",
        [now - RETENTION_SECS],
    )?;
    conn.execute(
        "INSERT INTO deleted_list (kind, list_id, time_created, time_deleted, full_name)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![d.kind.as_str(), d.list_id, d.time_created, now, d.full_name],
    )?;
    Ok(())
}

/// The deletions of `kinds` between `from` and `to` (inclusive, Unix seconds), oldest first,
/// as QuickBooks reports them at `now`.
pub(crate) fn query(
    conn: &Connection,
    kinds: &[ListDelType],
    from: Option<i64>,
    to: Option<i64>,
    now: i64,
) -> rusqlite::Result<Vec<ListDeletedRet>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let mut args: Vec<Value> = vec![Value::Integer(
        from.unwrap_or(i64::MIN).max(now - RETENTION_SECS),
    )];
    let mut sql = String::from(
        "SELECT kind, list_id, time_created, time_deleted, full_name FROM deleted_list
         WHERE time_deleted >= ?1",
    );
    if let Some(to) = to {
        args.push(Value::Integer(to));
        sql.push_str(&format!(" AND time_deleted <= ?{}", args.len()));
    }
    let marks: Vec<String> = kinds
        .iter()
        .map(|k| {
            args.push(Value::Text(k.as_str().to_string()));
            format!("?{}", args.len())
        })
        .collect();
    sql.push_str(&format!(
        " AND kind IN ({}) ORDER BY time_deleted, id",
        marks.join(", ")
    ));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        let kind: String = r.get(0)?;
        Ok(ListDeletedRet {
            list_del_type: ListDelType::parse(&kind),
            list_id: r.get(1)?,
            time_created: Some(ids::format_time(r.get(2)?)),
            time_deleted: Some(ids::format_time(r.get(3)?)),
            full_name: Some(r.get(4)?),
        })
    })?;
    rows.collect()
}
