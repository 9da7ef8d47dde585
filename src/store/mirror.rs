//! The mirror: custsync's copy of one company file's QuickBooks customers (SPEC §6, issue 13),
//! so that a synchronization reads only what changed since the last one.
//!
//! The store keeps what the sync core hands it and decides nothing: which read is safe, and
//! what the watermark is, are `sync::read`'s. What lives here:
//!
//! - one state row per company file (keyed as links are: the file QuickBooks names), with the
//!   company's name, the watermark (a TimeModified QuickBooks returned, kept as it wrote it) and
//!   the overlap the next read subtracts, the highest ListID sequence number read, the customer
//!   the watermark came from, when the last read completed, and whether QuickBooks answers
//!   `ListDeletedQuery`;
//! - the customers by ListID, with EditSequence, TimeModified, IsActive, ParentRef, Sublevel,
//!   JobTypeRef and the mapped values. The values are stored as `CustomerData` holds them: one
//!   string, and each field's length (a blob of LEB128 varints: most fields are empty, one byte
//!   each), two columns instead of one per field, which keeps 100,000 rows small and quick to
//!   read back (and to check: the workspace database is checked page by page when it is
//!   opened). The field list they
//!   were written with is kept in the state: rows written for another list are not read as this
//!   one ([`StoredMirror::fields_current`]);
//! - the deletions QuickBooks reported (ListID, TimeDeleted, FullName), so a later run still
//!   knows a linked customer was deleted or merged away after QuickBooks forgets (~90 days).
//!
//! Replacing a mirror (after a full read) is one transaction: an interrupted full read leaves
//! the previous mirror as it was. Folding in an incremental read's pages is a transaction per
//! page; the sync core saves the state (the watermark) only after the last page and the
//! deletions are stored.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::error::SqlContext;
use super::{StoreError, StoreTx, bad_value, query_rows, timestamp, ts_column};
use crate::qbxml::{CustomerData, CustomerRet, Field, ListDeletedRet, ListRef};

/// What the sync core keeps about a company's mirror besides its customers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MirrorState {
    /// The company file, as links are keyed.
    pub company: String,
    pub company_name: String,
    /// The newest TimeModified a completed read returned, as QuickBooks wrote it (`None`: the
    /// company had no customers).
    pub watermark: Option<String>,
    /// How many seconds before the watermark the next read starts.
    pub overlap_secs: u32,
    /// The highest ListID sequence number a read returned.
    pub list_seq_floor: Option<u32>,
    /// The customer the watermark came from, and its EditSequence then.
    pub newest: Option<Newest>,
    /// When the last read completed, by custsync's clock (only the mirror's age is measured by
    /// it, never what is read).
    pub read_at: DateTime<Utc>,
    /// Whether QuickBooks answered `ListDeletedQuery`: without it an incremental read cannot
    /// learn deletions.
    pub deletions: bool,
}

/// A customer and its EditSequence, as a read found them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Newest {
    pub list_id: String,
    pub edit_sequence: String,
}

/// A stored mirror state, and whether its rows hold this custsync's field list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMirror {
    pub state: MirrorState,
    /// False when the rows were written with another list of mapped fields (custsync maps a
    /// field it did not before): they lack values and must be read again.
    pub fields_current: bool,
}

/// What folding one read customer into the mirror did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folded {
    /// The mirror did not have this ListID.
    New,
    /// It had it with another EditSequence: replaced.
    Changed,
    /// It had it with this EditSequence: nothing to do (a customer read again in the overlap).
    Same,
}

/// The field list rows are written with.
fn current_fields() -> String {
    Field::ALL
        .iter()
        .map(|f| f.key())
        .collect::<Vec<_>>()
        .join(",")
}

const STATE_COLUMNS: &str = "company, company_name, watermark, overlap_secs, list_seq_floor, \
                             newest_list_id, newest_edit_sequence, read_at, deletions, fields";

fn read_state(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredMirror> {
    let newest = match (row.get::<_, Option<String>>(5)?, row.get(6)?) {
        (Some(list_id), Some(edit_sequence)) => Some(Newest {
            list_id,
            edit_sequence,
        }),
        _ => None,
    };
    let fields: String = row.get(9)?;
    Ok(StoredMirror {
        state: MirrorState {
            company: row.get(0)?,
            company_name: row.get(1)?,
            watermark: row.get(2)?,
            overlap_secs: row.get(3)?,
            list_seq_floor: row.get(4)?,
            newest,
            read_at: ts_column(row, 7)?,
            deletions: row.get(8)?,
        },
        fields_current: fields == current_fields(),
    })
}

pub(crate) fn state(conn: &Connection, company: &str) -> Result<Option<StoredMirror>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {STATE_COLUMNS} FROM mirrors WHERE company = ?1"
    ))
    .and_then(|mut s| s.query_row([company], read_state).optional())
    .doing("reading the mirror of QuickBooks")
}

fn mirror_id(conn: &Connection, company: &str) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached("SELECT id FROM mirrors WHERE company = ?1")
        .and_then(|mut s| s.query_row([company], |r| r.get(0)).optional())
        .doing("reading the mirror of QuickBooks")
}

const CUSTOMER_COLUMNS: &str = "list_id, edit_sequence, time_modified, is_active, \
                                parent_list_id, parent_full_name, sublevel, job_type, \
                                field_text, field_lengths";

fn read_customer(row: &rusqlite::Row<'_>) -> rusqlite::Result<CustomerRet> {
    let text: String = row.get(8)?;
    let blob = row.get_ref(9)?.as_blob()?;
    let data = decode_lengths(blob)
        .and_then(|ends| CustomerData::from_parts(text, ends))
        .ok_or_else(|| bad_value(9, "stored customer values", "(blob)"))?;
    let parent_list_id: Option<String> = row.get(4)?;
    let parent_full_name: Option<String> = row.get(5)?;
    let parent = (parent_list_id.is_some() || parent_full_name.is_some()).then_some(ListRef {
        list_id: parent_list_id,
        full_name: parent_full_name,
    });
    Ok(CustomerRet {
        list_id: row.get(0)?,
        edit_sequence: row.get(1)?,
        time_modified: row.get(2)?,
        is_active: row.get(3)?,
        parent,
        sublevel: row.get(6)?,
        job_type: row.get(7)?,
        data,
        ..CustomerRet::default()
    })
}

/// Each field's length, from `CustomerData`'s ends, as LEB128 varints.
fn encode_lengths(ends: &[u32; Field::COUNT]) -> Vec<u8> {
    let mut out = Vec::with_capacity(Field::COUNT + 8);
    let mut start = 0;
    for &end in ends {
        let mut n = end - start;
        start = end;
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(low);
                break;
            }
            out.push(low | 0x80);
        }
    }
    out
}

/// The ends back from [`encode_lengths`]; `None` for a blob that does not hold exactly one
/// length per field, or lengths past 4 GiB.
fn decode_lengths(blob: &[u8]) -> Option<[u32; Field::COUNT]> {
    let mut ends = [0u32; Field::COUNT];
    let mut bytes = blob.iter();
    let mut end = 0u32;
    for slot in &mut ends {
        let mut n = 0u32;
        let mut shift = 0;
        loop {
            let b = *bytes.next()?;
            n |= u32::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        end = end.checked_add(n)?;
        *slot = end;
    }
    bytes.next().is_none().then_some(ends)
}

/// The mirror's customers; without EditSequence and TimeModified unless `bookkeeping` (planning
/// does not use them, and at 100,000 customers they are 200,000 strings).
pub(crate) fn customers(
    conn: &Connection,
    company: &str,
    bookkeeping: bool,
) -> Result<Vec<CustomerRet>, StoreError> {
    let Some(id) = mirror_id(conn, company)? else {
        return Ok(Vec::new());
    };
    let columns = if bookkeeping {
        CUSTOMER_COLUMNS.to_string()
    } else {
        CUSTOMER_COLUMNS.replacen("edit_sequence, time_modified", "NULL, NULL", 1)
    };
    query_rows(
        conn,
        &format!("SELECT {columns} FROM mirror_customers WHERE mirror = ?1"),
        [id],
        read_customer,
        "reading the mirror of QuickBooks",
    )
}

pub(crate) fn count(conn: &Connection, company: &str) -> Result<u64, StoreError> {
    conn.prepare_cached(
        "SELECT count(*) FROM mirror_customers c JOIN mirrors m ON m.id = c.mirror \
         WHERE m.company = ?1",
    )
    .and_then(|mut s| s.query_row([company], |r| r.get::<_, i64>(0)))
    .map(|n| n.unsigned_abs())
    .doing("reading the mirror of QuickBooks")
}

pub(crate) fn deleted(conn: &Connection, company: &str) -> Result<Vec<ListDeletedRet>, StoreError> {
    let Some(id) = mirror_id(conn, company)? else {
        return Ok(Vec::new());
    };
    query_rows(
        conn,
        "SELECT list_id, time_deleted, full_name FROM mirror_deleted WHERE mirror = ?1",
        [id],
        |r| {
            Ok(ListDeletedRet {
                list_del_type: Some(crate::qbxml::ListDelType::Customer),
                list_id: r.get(0)?,
                time_created: None,
                time_deleted: r.get(1)?,
                full_name: r.get(2)?,
            })
        },
        "reading the mirror of QuickBooks",
    )
}

fn insert_customer(conn: &Connection, mirror: i64, c: &CustomerRet) -> Result<(), StoreError> {
    let (text, ends) = c.data.parts();
    let parent = c.parent.as_ref();
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO mirror_customers (mirror, {CUSTOMER_COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))
    .and_then(|mut s| {
        s.execute(params![
            mirror,
            c.list_id,
            c.edit_sequence.as_deref().unwrap_or(""),
            c.time_modified.as_deref().unwrap_or(""),
            c.is_active,
            parent.and_then(|p| p.list_id.as_deref()),
            parent.and_then(|p| p.full_name.as_deref()),
            c.sublevel,
            c.job_type,
            text,
            encode_lengths(ends),
        ])
    })
    .doing("storing the mirror of QuickBooks")?;
    Ok(())
}

fn insert_deleted(conn: &Connection, mirror: i64, d: &ListDeletedRet) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO mirror_deleted (mirror, list_id, time_deleted, full_name) \
         VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut s| s.execute(params![mirror, d.list_id, d.time_deleted, d.full_name]))
    .doing("storing the mirror of QuickBooks")?;
    Ok(())
}

impl StoreTx<'_> {
    /// Replaces `state.company`'s mirror (state, customers and deletions) with a full read's.
    pub fn replace_mirror(
        &mut self,
        state: &MirrorState,
        customers: &[CustomerRet],
        deleted: &[ListDeletedRet],
    ) -> Result<(), StoreError> {
        // The rows by their key first (a cascade would delete them one by one).
        if let Some(old) = mirror_id(&self.tx, &state.company)? {
            for table in ["mirror_customers", "mirror_deleted"] {
                self.tx
                    .execute(&format!("DELETE FROM {table} WHERE mirror = ?1"), [old])
                    .doing("replacing the mirror of QuickBooks")?;
            }
        }
        self.tx
            .execute("DELETE FROM mirrors WHERE company = ?1", [&state.company])
            .doing("replacing the mirror of QuickBooks")?;
        self.tx
            .execute(
                "INSERT INTO mirrors (company, company_name, fields, overlap_secs, read_at, \
                 deletions) VALUES (?1, '', '', 0, '', 0)",
                [&state.company],
            )
            .doing("replacing the mirror of QuickBooks")?;
        let id = self.tx.last_insert_rowid();
        // In key order, each row goes at the end of the table's B-tree instead of splitting
        // pages all over it (a full read comes in name order).
        let mut by_key: Vec<&CustomerRet> = customers.iter().collect();
        by_key.sort_unstable_by(|a, b| a.list_id.cmp(&b.list_id));
        for c in by_key {
            insert_customer(&self.tx, id, c)?;
        }
        for d in deleted {
            insert_deleted(&self.tx, id, d)?;
        }
        self.save_mirror_state(state)
    }

    /// Saves a mirror's state: after an incremental read, once its customers and deletions are
    /// stored. Does nothing for a company without a mirror.
    pub fn save_mirror_state(&mut self, state: &MirrorState) -> Result<(), StoreError> {
        let newest = state.newest.as_ref();
        self.tx
            .prepare_cached(
                "UPDATE mirrors SET company_name = ?2, watermark = ?3, overlap_secs = ?4, \
                 list_seq_floor = ?5, newest_list_id = ?6, newest_edit_sequence = ?7, \
                 read_at = ?8, deletions = ?9, fields = ?10 WHERE company = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    state.company,
                    state.company_name,
                    state.watermark,
                    state.overlap_secs,
                    state.list_seq_floor,
                    newest.map(|n| &n.list_id),
                    newest.map(|n| &n.edit_sequence),
                    timestamp(state.read_at),
                    state.deletions,
                    current_fields(),
                ])
            })
            .doing("storing the mirror of QuickBooks")?;
        Ok(())
    }

    /// Folds customers QuickBooks returned into `company`'s mirror: a ListID it lacks is added,
    /// one it has with another EditSequence replaced, one with the same EditSequence left alone.
    /// A company without a mirror is left without one (every customer then counts as new).
    pub fn fold_into_mirror(
        &mut self,
        company: &str,
        customers: &[CustomerRet],
    ) -> Result<Vec<Folded>, StoreError> {
        let Some(id) = mirror_id(&self.tx, company)? else {
            return Ok(vec![Folded::New; customers.len()]);
        };
        let mut folded = Vec::with_capacity(customers.len());
        for c in customers {
            let stored: Option<String> = self
                .tx
                .prepare_cached(
                    "SELECT edit_sequence FROM mirror_customers WHERE mirror = ?1 AND list_id = ?2",
                )
                .and_then(|mut s| s.query_row(params![id, c.list_id], |r| r.get(0)).optional())
                .doing("reading the mirror of QuickBooks")?;
            let outcome = match stored {
                None => Folded::New,
                Some(seq) if Some(seq.as_str()) == c.edit_sequence.as_deref() => Folded::Same,
                Some(_) => Folded::Changed,
            };
            if outcome != Folded::Same {
                insert_customer(&self.tx, id, c)?;
            }
            folded.push(outcome);
        }
        Ok(folded)
    }

    /// Removes customers QuickBooks deleted (or merged away) from `company`'s mirror and keeps
    /// their deletion records. Returns how many customers it held of them.
    pub fn remove_from_mirror(
        &mut self,
        company: &str,
        deleted: &[ListDeletedRet],
    ) -> Result<usize, StoreError> {
        let Some(id) = mirror_id(&self.tx, company)? else {
            return Ok(0);
        };
        let mut removed = 0;
        for d in deleted {
            removed += self
                .tx
                .prepare_cached("DELETE FROM mirror_customers WHERE mirror = ?1 AND list_id = ?2")
                .and_then(|mut s| s.execute(params![id, d.list_id]))
                .doing("storing the mirror of QuickBooks")?;
            insert_deleted(&self.tx, id, d)?;
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, StoreRead};

    fn customer(list_id: &str, seq: &str, name: &str) -> CustomerRet {
        CustomerRet {
            list_id: list_id.into(),
            edit_sequence: Some(seq.into()),
            time_modified: Some("2026-12-06T10:15:00-08:00".into()),
            data: CustomerData::new()
                .with(Field::Name, name)
                .with(Field::Notes, "Ünïcode\nnotes"),
            is_active: Some(false),
            sublevel: Some(1),
            parent: Some(ListRef {
                list_id: Some("80000001-1".into()),
                full_name: Some("Parent".into()),
            }),
            job_type: Some("Install".into()),
            ..CustomerRet::default()
        }
    }

    fn state(company: &str) -> MirrorState {
        MirrorState {
            company: company.into(),
            company_name: "Acme".into(),
            watermark: Some("2026-12-06T10:15:00-08:00".into()),
            overlap_secs: 3600,
            list_seq_floor: Some(0x8000_0002),
            newest: Some(Newest {
                list_id: "80000002-2".into(),
                edit_sequence: "5".into(),
            }),
            read_at: crate::store::parse_timestamp("2026-12-06T18:16:00.000Z").unwrap(),
            deletions: true,
        }
    }

    #[test]
    fn a_replaced_mirror_reads_back_as_written_and_per_company() {
        let mut store = Store::open_in_memory().unwrap();
        let a = customer("80000002-2", "5", "Job");
        let gone = ListDeletedRet {
            list_del_type: Some(crate::qbxml::ListDelType::Customer),
            list_id: "80000009-9".into(),
            time_created: None,
            time_deleted: Some("2026-12-05T09:00:00-08:00".into()),
            full_name: Some("Gone".into()),
        };
        store
            .transaction(|tx| {
                tx.replace_mirror(
                    &state("A.QBW"),
                    std::slice::from_ref(&a),
                    std::slice::from_ref(&gone),
                )
            })
            .unwrap();
        let stored = store.mirror("A.QBW").unwrap().unwrap();
        assert_eq!(stored.state, state("A.QBW"));
        assert!(stored.fields_current);
        assert_eq!(store.mirror_customers("A.QBW").unwrap(), vec![a]);
        assert_eq!(store.mirror_deleted("A.QBW").unwrap(), vec![gone]);
        assert_eq!(store.mirror("B.QBW").unwrap(), None);
        assert!(store.mirror_customers("B.QBW").unwrap().is_empty());
        // Replacing again starts over.
        store
            .transaction(|tx| tx.replace_mirror(&state("A.QBW"), &[], &[]))
            .unwrap();
        assert!(store.mirror_customers("A.QBW").unwrap().is_empty());
        assert!(store.mirror_deleted("A.QBW").unwrap().is_empty());
    }

    #[test]
    fn folding_tells_new_changed_and_same_apart_and_deletions_remove() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .transaction(|tx| {
                tx.replace_mirror(&state("A.QBW"), &[customer("1-1", "5", "One")], &[])
            })
            .unwrap();
        let folded = store
            .transaction(|tx| {
                tx.fold_into_mirror(
                    "A.QBW",
                    &[
                        customer("1-1", "5", "One"),
                        customer("2-2", "5", "Two"),
                        customer("1-1", "6", "One again"),
                    ],
                )
            })
            .unwrap();
        assert_eq!(folded, [Folded::Same, Folded::New, Folded::Changed]);
        let names: Vec<String> = store
            .mirror_customers("A.QBW")
            .unwrap()
            .iter()
            .map(|c| c.data.get(Field::Name).unwrap().to_string())
            .collect();
        assert_eq!(names, ["One again", "Two"]);
        let removed = store
            .transaction(|tx| {
                tx.remove_from_mirror(
                    "A.QBW",
                    &[ListDeletedRet {
                        list_id: "1-1".into(),
                        ..ListDeletedRet::default()
                    }],
                )
            })
            .unwrap();
        assert_eq!(removed, 1);
        assert_eq!(store.mirror_customers("A.QBW").unwrap().len(), 1);
        assert_eq!(store.mirror_deleted("A.QBW").unwrap().len(), 1);
        // No mirror, nothing stored.
        let folded = store
            .transaction(|tx| tx.fold_into_mirror("B.QBW", &[customer("3-3", "1", "Three")]))
            .unwrap();
        assert_eq!(folded, [Folded::New]);
        assert!(store.mirror_customers("B.QBW").unwrap().is_empty());
    }

    #[test]
    fn rows_written_for_another_field_list_are_not_current() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .transaction(|tx| tx.replace_mirror(&state("A.QBW"), &[], &[]))
            .unwrap();
        store
            .conn
            .execute("UPDATE mirrors SET fields = 'name,phone'", [])
            .unwrap();
        assert!(!store.mirror("A.QBW").unwrap().unwrap().fields_current);
    }

    #[test]
    fn lengths_survive_their_encoding_and_damaged_blobs_are_refused() {
        let long = "x".repeat(300);
        let data = CustomerData::new()
            .with(Field::Name, "N")
            .with(Field::Notes, &long);
        let (_, ends) = data.parts();
        let blob = encode_lengths(ends);
        // 34 empty or one-byte lengths, and 300 in two bytes.
        assert_eq!(blob.len(), Field::COUNT + 1);
        assert_eq!(decode_lengths(&blob), Some(*ends));
        assert_eq!(decode_lengths(&blob[..blob.len() - 1]), None);
        let mut longer = blob.clone();
        longer.push(0);
        assert_eq!(decode_lengths(&longer), None);
        assert_eq!(decode_lengths(&[0xff; 40]), None);
    }

    #[test]
    fn damaged_values_are_an_error_not_a_wrong_customer() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .transaction(|tx| {
                tx.replace_mirror(&state("A.QBW"), &[customer("1-1", "5", "One")], &[])
            })
            .unwrap();
        store
            .conn
            .execute("UPDATE mirror_customers SET field_lengths = x'0102'", [])
            .unwrap();
        assert!(store.mirror_customers("A.QBW").is_err());
    }
}
