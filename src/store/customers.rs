//! The customer table: validation on write, lookups regardless of case, search and the bulk
//! insert imports use.
//!
//! Codes are unique regardless of case (Unicode lower case, kept in `code_key`): `c100` and
//! `C100` are one customer, which keeps near-duplicates out of QuickBooks' AccountNumber.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension};

use super::error::SqlContext;
use super::schema::field_column;
use super::{
    Column, Customer, CustomerError, CustomerStatus, QbSpellings, StoreError, StoreTx, bad_value,
    query_rows, ts_column,
};
use crate::qbxml::{CustomerData, Field};

/// A stored customer with what the store keeps about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRecord {
    pub customer: Customer,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// 1 when created, raised by every change.
    pub revision: i64,
}

/// One value changed by a write: which column, from what, to what (`None` = empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub column: Column,
    pub previous: Option<String>,
    pub new: Option<String>,
}

/// The columns search looks in.
pub(crate) const SEARCHED: [Column; 6] = [
    Column::Field(Field::AccountNumber),
    Column::Field(Field::Name),
    Column::QbName,
    Column::Field(Field::CompanyName),
    Column::Field(Field::Phone),
    Column::Field(Field::Email),
];

/// A code as the store compares codes: surrounding spaces dropped, Unicode lower case. Two
/// codes with the same key are one customer (the `code_key` column is unique), so whatever else
/// compares codes should use this too.
pub fn code_key(code: &str) -> String {
    code.trim().to_lowercase()
}

/// The searchable text: the searched values lower-cased, separated so a query never matches
/// across two of them.
pub(crate) fn search_key_of<'a>(values: impl Iterator<Item = Option<&'a str>>) -> String {
    let mut key = String::with_capacity(96);
    for (i, v) in values.enumerate() {
        if i > 0 {
            key.push('\u{1f}');
        }
        // str::to_lowercase (not per char) so a query, lowered the same way, always matches.
        key.push_str(&v.unwrap_or("").to_lowercase());
    }
    key
}

fn search_key(c: &Customer) -> String {
    search_key_of(SEARCHED.iter().map(|col| col.get(c)))
}

fn field_list() -> String {
    Field::ALL
        .iter()
        .map(|&f| field_column(f))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Columns every customer query reads, in this order; the fields start at [`FIELDS_AT`], the
/// QuickBooks spellings follow them.
static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id, revision, created_at, updated_at, status, qb_name, {}, qb_spellings \
         FROM customers",
        field_list()
    )
});
const FIELDS_AT: usize = 6;

/// The parameters [`INSERT`] and [`UPDATE`] share: `?1` is created_at or the row id, `?2`..`?6`
/// are code_key, search_key, status, qb_name and updated_at, the fields follow from `?7` in
/// table order, and the QuickBooks spellings come last ([`bind`] fills `?2` on).
const FIELDS_FROM: usize = 7;
const SPELLINGS_AT: usize = FIELDS_FROM + Field::COUNT;

fn field_params() -> impl Iterator<Item = (Field, usize)> {
    Field::ALL.iter().copied().zip(FIELDS_FROM..)
}

static INSERT: LazyLock<String> = LazyLock::new(|| {
    let params = field_params()
        .map(|(_, i)| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO customers \
         (created_at, code_key, search_key, status, qb_name, updated_at, revision, {}, \
          qb_spellings) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, {params}, ?{SPELLINGS_AT})",
        field_list()
    )
});

static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let fields = field_params()
        .map(|(f, i)| format!("{} = ?{i}", field_column(f)))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "UPDATE customers SET code_key = ?2, search_key = ?3, status = ?4, qb_name = ?5, \
         updated_at = ?6, revision = revision + 1, {fields}, qb_spellings = ?{SPELLINGS_AT} \
         WHERE id = ?1"
    )
});

/// Reads status, qb_name and the fields, laid out from column `at` on as [`SELECT`] has them.
fn read_customer(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Customer> {
    let text = |i: usize| -> rusqlite::Result<Option<&str>> {
        row.get_ref(i)?.as_str_or_null().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    let status_text = text(at)?.unwrap_or("");
    let status = status_text
        .parse::<CustomerStatus>()
        .map_err(|_| bad_value(at, "status", status_text))?;
    let mut values: [Option<&str>; Field::COUNT] = [None; Field::COUNT];
    for (i, value) in values.iter_mut().enumerate() {
        *value = text(at + 2 + i)?;
    }
    let data = CustomerData::from_values(values);
    let spellings_at = at + 2 + Field::COUNT;
    let qb_spellings = match text(spellings_at)? {
        Some(json) => QbSpellings::from_json(json)
            .map_err(|_| bad_value(spellings_at, "qb_spellings", json))?,
        None => QbSpellings::default(),
    };
    Ok(Customer {
        data,
        status,
        qb_name: text(at + 1)?.map(str::to_string),
        qb_spellings,
    })
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, CustomerRecord)> {
    let record = CustomerRecord {
        customer: read_customer(row, FIELDS_AT - 2)?,
        revision: row.get(1)?,
        created_at: ts_column(row, 2)?,
        updated_at: ts_column(row, 3)?,
    };
    Ok((row.get(0)?, record))
}

static BY_CODE: LazyLock<String> = LazyLock::new(|| format!("{} WHERE code_key = ?1", *SELECT));

pub(crate) fn get_with_id(
    conn: &Connection,
    code: &str,
) -> Result<Option<(i64, CustomerRecord)>, StoreError> {
    conn.prepare_cached(&BY_CODE)
        .and_then(|mut s| s.query_row([code_key(code)], read_row).optional())
        .doing("reading a customer")
}

/// The row id of the customer with this code, without reading the customer.
pub(crate) fn id_of(conn: &Connection, code: &str) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached("SELECT id FROM customers WHERE code_key = ?1")
        .and_then(|mut s| s.query_row([code_key(code)], |r| r.get(0)).optional())
        .doing("reading a customer")
}

pub(crate) fn get(conn: &Connection, code: &str) -> Result<Option<CustomerRecord>, StoreError> {
    Ok(get_with_id(conn, code)?.map(|(_, r)| r))
}

pub(crate) fn list(
    conn: &Connection,
    query: Option<&str>,
    limit: Option<usize>,
) -> Result<Vec<Customer>, StoreError> {
    static LIST: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT status, qb_name, {}, qb_spellings FROM customers \
             WHERE ?1 = '' OR instr(search_key, ?1) > 0 \
             ORDER BY name COLLATE NOCASE, code COLLATE NOCASE LIMIT ?2",
            field_list()
        )
    });
    let needle = query.map(|q| q.trim().to_lowercase()).unwrap_or_default();
    let limit = limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
    query_rows(
        conn,
        &LIST,
        rusqlite::params![needle, limit],
        |r| read_customer(r, 0),
        "listing customers",
    )
}

pub(crate) fn count(conn: &Connection) -> Result<u64, StoreError> {
    conn.query_row("SELECT count(*) FROM customers", [], |r| r.get::<_, i64>(0))
        .map(|n| n.unsigned_abs())
        .doing("counting customers")
}

/// The first unsettled outbox batch that is adding this code to QuickBooks.
fn in_flight(conn: &Connection, code: &str) -> Result<Option<super::BatchId>, StoreError> {
    conn.prepare_cached(
        "SELECT b.id FROM outbox_items i JOIN outbox_batches b ON b.id = i.batch_id \
         WHERE i.code_key = ?1 AND b.state IN ('pending', 'sent', 'in_doubt') LIMIT 1",
    )
    .and_then(|mut s| s.query_row([code_key(code)], |r| r.get(0)).optional())
    .map(|id| id.map(super::BatchId))
    .doing("checking the outbox")
}

/// Binds a normalized customer and the time to [`INSERT`]'s or [`UPDATE`]'s `?2` onwards.
fn bind(stmt: &mut rusqlite::Statement<'_>, c: &Customer, now: &str) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(2, code_key(c.code()))?;
    stmt.raw_bind_parameter(3, search_key(c))?;
    stmt.raw_bind_parameter(4, c.status.as_str())?;
    stmt.raw_bind_parameter(5, c.qb_name.as_deref())?;
    stmt.raw_bind_parameter(6, now)?;
    for (field, i) in field_params() {
        stmt.raw_bind_parameter(i, c.data.get(field))?;
    }
    stmt.raw_bind_parameter(SPELLINGS_AT, c.qb_spellings.to_json())?;
    Ok(())
}

/// The error for a code that is already taken.
fn duplicate(conn: &Connection, code: &str) -> StoreError {
    let existing_name = get(conn, code)
        .ok()
        .flatten()
        .map(|r| r.customer.name().to_string())
        .unwrap_or_default();
    StoreError::DuplicateCode {
        code: code.to_string(),
        existing_name,
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation)
}

/// Inserts an already normalized customer; returns its row id.
pub(crate) fn insert_normalized(
    conn: &Connection,
    c: &Customer,
    now: &str,
) -> Result<i64, StoreError> {
    let mut stmt = conn.prepare_cached(&INSERT).doing("adding a customer")?;
    stmt.raw_bind_parameter(1, now)
        .and_then(|_| bind(&mut stmt, c, now))
        .doing("adding a customer")?;
    match stmt.raw_execute() {
        Ok(_) => Ok(conn.last_insert_rowid()),
        Err(e) if is_unique_violation(&e) => Err(duplicate(conn, c.code())),
        Err(e) => Err(StoreError::sqlite("adding a customer", e)),
    }
}

impl StoreTx<'_> {
    /// Adds a customer after validating it ([`Customer::normalized`]). A code already used,
    /// in any case, is refused with [`StoreError::DuplicateCode`].
    pub fn create_customer(&mut self, customer: &Customer) -> Result<CustomerRecord, StoreError> {
        Ok(self.insert_customer(customer.normalized()?)?.1)
    }

    /// Inserts a normalized customer; returns its row id and record (built here rather than
    /// read back: imports create customers by the hundred thousand).
    pub(crate) fn insert_customer(
        &mut self,
        customer: Customer,
    ) -> Result<(i64, CustomerRecord), StoreError> {
        let id = insert_normalized(&self.tx, &customer, &self.now)?;
        let at = self.now_time("adding a customer")?;
        Ok((
            id,
            CustomerRecord {
                customer,
                created_at: at,
                updated_at: at,
                revision: 1,
            },
        ))
    }

    /// This transaction's time stamp as stored (to the millisecond), for records built rather
    /// than read back.
    fn now_time(&self, doing: &'static str) -> Result<DateTime<Utc>, StoreError> {
        super::parse_timestamp(&self.now).ok_or_else(|| StoreError::Internal {
            doing,
            detail: format!("the time {} does not read back", self.now),
        })
    }

    /// Adds many customers quickly (one prepared statement, no read-back); the fast path
    /// imports use. Stops at the first invalid or duplicate customer; the caller's transaction
    /// then rolls back, so nothing is half-imported. Returns how many were added.
    pub fn insert_customers<'c>(
        &mut self,
        customers: impl IntoIterator<Item = &'c Customer>,
    ) -> Result<usize, StoreError> {
        let mut n = 0;
        for customer in customers {
            insert_normalized(&self.tx, &customer.normalized()?, &self.now)?;
            n += 1;
        }
        Ok(n)
    }

    /// Replaces the customer stored under `code` with `customer`, which may carry a new code.
    /// Raises the revision when anything changed; returns the stored record.
    pub fn update_customer(
        &mut self,
        code: &str,
        customer: &Customer,
    ) -> Result<CustomerRecord, StoreError> {
        let new = customer.normalized()?;
        let stored = self.stored(code)?;
        Ok(self.replace_stored(stored, new)?.0)
    }

    /// Gives customer `code` QuickBooks spellings (the name's goes to `qb_name`), keeping its
    /// own values: what QuickBooks gets, SMSTurbo does not.
    pub fn set_qb_spellings(
        &mut self,
        code: &str,
        spellings: &[(Field, String)],
    ) -> Result<CustomerRecord, StoreError> {
        let values: Vec<(Column, Option<String>)> = spellings
            .iter()
            .map(|(field, value)| {
                let column = match field {
                    Field::Name => Column::QbName,
                    f => Column::QbSpelling(*f),
                };
                (column, Some(value.clone()))
            })
            .collect();
        Ok(self.set_columns(code, &values)?.0)
    }

    /// Sets some columns of a customer, leaving the others as they are. Returns the record and
    /// the values that actually changed (an unchanged value is not a change).
    pub(crate) fn set_columns(
        &mut self,
        code: &str,
        values: &[(Column, Option<String>)],
    ) -> Result<(CustomerRecord, Vec<Change>), StoreError> {
        let stored = self.stored(code)?;
        let mut updated = stored.1.customer.clone();
        for (column, value) in values {
            column
                .set(&mut updated, value.as_deref())
                .map_err(|reason| CustomerError::BadValue {
                    code: code.to_string(),
                    column: *column,
                    reason,
                })?;
        }
        self.replace_stored(stored, updated.into_normalized()?)
    }

    /// The customer stored under `code`, with its row id.
    fn stored(&self, code: &str) -> Result<(i64, CustomerRecord), StoreError> {
        get_with_id(&self.tx, code)?.ok_or_else(|| StoreError::UnknownCustomer {
            code: code.to_string(),
        })
    }

    /// Writes normalized `new` over the stored customer `(id, old)` if any value differs;
    /// returns the record as stored now and what changed.
    fn replace_stored(
        &mut self,
        (id, old): (i64, CustomerRecord),
        new: Customer,
    ) -> Result<(CustomerRecord, Vec<Change>), StoreError> {
        let changes: Vec<Change> = Column::all()
            .filter_map(|column| {
                let previous = column.get(&old.customer);
                let now = column.get(&new);
                (previous != now).then(|| Change {
                    column,
                    previous: previous.map(str::to_string),
                    new: now.map(str::to_string),
                })
            })
            .collect();
        if changes.is_empty() {
            return Ok((old, changes));
        }
        if code_key(new.code()) != code_key(old.customer.code())
            && let Some(batch) = in_flight(&self.tx, old.customer.code())?
        {
            return Err(StoreError::InFlight {
                code: old.customer.code().to_string(),
                batch,
            });
        }
        let mut stmt = self
            .tx
            .prepare_cached(&UPDATE)
            .doing("changing a customer")?;
        stmt.raw_bind_parameter(1, id)
            .and_then(|_| bind(&mut stmt, &new, &self.now))
            .doing("changing a customer")?;
        match stmt.raw_execute() {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(duplicate(&self.tx, new.code())),
            Err(e) => return Err(StoreError::sqlite("changing a customer", e)),
        }
        drop(stmt);
        // Built rather than read back, as for inserts: UPDATE stored exactly these values.
        let record = CustomerRecord {
            customer: new,
            created_at: old.created_at,
            updated_at: self.now_time("changing a customer")?,
            revision: old.revision + 1,
        };
        Ok((record, changes))
    }

    /// Removes a customer and its links, keeping both as they were (with who deleted it) so
    /// the delete can be undone ([`StoreTx::restore_customer`]). Refused while an unsettled
    /// outbox batch is adding it to QuickBooks: the batch must be able to link what QuickBooks
    /// created.
    pub fn delete_customer(&mut self, code: &str) -> Result<(), StoreError> {
        self.remove_customer(code, true)
    }

    /// Removes a customer and its links; `keep` keeps them for undoing the delete (an undo of
    /// an import does not: its run's journal already says what it removed).
    pub(crate) fn remove_customer(&mut self, code: &str, keep: bool) -> Result<(), StoreError> {
        if let Some(batch) = in_flight(&self.tx, code)? {
            return Err(StoreError::InFlight {
                code: code.to_string(),
                batch,
            });
        }
        let Some((id, record)) = get_with_id(&self.tx, code)? else {
            return Err(StoreError::UnknownCustomer {
                code: code.to_string(),
            });
        };
        if keep {
            self.keep_deleted(id, &record.customer, &super::os_user())?;
        }
        self.tx
            .prepare_cached("DELETE FROM customers WHERE id = ?1")
            .and_then(|mut s| s.execute([id]))
            .doing("removing a customer")?;
        Ok(())
    }
}
