//! Customers deleted from SMSTurbo, kept as they were with their links so a delete can be
//! undone, and who deleted and who restored each: the journal of deletes.
//!
//! A delete writes the customer (every column, by key) and its links into `deleted_customers`
//! in the same transaction that removes it. Restoring puts the customer back under its code and
//! relinks it where QuickBooks' customer is not linked to someone else meanwhile.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use serde_json::{Map, Value, json};

use super::customers::get_with_id;
use super::error::SqlContext;
use super::{Column, Customer, CustomerStatus, StoreError, StoreTx, opt_ts_column, ts_column};

/// One deleted customer, as History lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deletion {
    pub id: i64,
    pub deleted_at: DateTime<Utc>,
    pub deleted_by: String,
    pub code: String,
    pub name: String,
    /// How many links to QuickBooks customers it had.
    pub links: usize,
    pub restored_at: Option<DateTime<Utc>>,
    pub restored_by: Option<String>,
}

/// What restoring did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    pub customer: Customer,
    /// Links put back.
    pub relinked: usize,
    /// Links not put back, each with why (the QuickBooks customer is linked to someone else
    /// now).
    pub not_relinked: Vec<String>,
}

impl StoreTx<'_> {
    /// Keeps customer row `id` (code `code`) and its links in `deleted_customers`, by `os_user`.
    pub(crate) fn keep_deleted(
        &mut self,
        id: i64,
        customer: &Customer,
        os_user: &str,
    ) -> Result<(), StoreError> {
        let values: Map<String, Value> = Column::all()
            .filter_map(|c| c.get(customer).map(|v| (c.key().to_string(), json!(v))))
            .collect();
        let links: Vec<Value> = {
            let mut stmt = self
                .tx
                .prepare_cached(
                    "SELECT company, list_id, external_guid, created_at FROM links \
                     WHERE customer_id = ?1",
                )
                .doing("reading a customer's links")?;
            let rows = stmt
                .query_map([id], |r| {
                    Ok(json!({
                        "company": r.get::<_, String>(0)?,
                        "list_id": r.get::<_, String>(1)?,
                        "external_guid": r.get::<_, Option<String>>(2)?,
                        "created_at": r.get::<_, String>(3)?,
                    }))
                })
                .doing("reading a customer's links")?;
            rows.collect::<rusqlite::Result<_>>()
                .doing("reading a customer's links")?
        };
        self.tx
            .prepare_cached(
                "INSERT INTO deleted_customers (deleted_at, deleted_by, code, name, customer, \
                 links) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| {
                s.execute(rusqlite::params![
                    self.now,
                    os_user,
                    customer.code(),
                    customer.name(),
                    Value::Object(values).to_string(),
                    Value::Array(links).to_string(),
                ])
            })
            .doing("keeping the deleted customer")?;
        Ok(())
    }

    /// Puts deleted customer `id` back as it was, and its links where QuickBooks' customer is
    /// not linked to another one now. Refused (nothing changed) when it was restored already or
    /// its code is taken again.
    pub fn restore_customer(&mut self, id: i64, os_user: &str) -> Result<Restored, StoreError> {
        let row: Option<(String, String, Option<String>, Option<String>)> = self
            .tx
            .query_row(
                "SELECT customer, links, restored_at, restored_by FROM deleted_customers \
                 WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .doing("reading a deleted customer")?;
        let Some((values, links, restored_at, restored_by)) = row else {
            return Err(StoreError::UnknownDeletion(id));
        };
        if let Some(at) = restored_at {
            return Err(StoreError::AlreadyRestored {
                id,
                by: restored_by.unwrap_or_default(),
                at,
            });
        }
        let customer = customer_from_json(&values).map_err(|detail| StoreError::Internal {
            doing: "reading a deleted customer",
            detail,
        })?;
        if let Some((_, existing)) = get_with_id(&self.tx, customer.code())? {
            return Err(StoreError::DuplicateCode {
                code: customer.code().to_string(),
                existing_name: existing.customer.name().to_string(),
            });
        }
        let (row_id, record) = self.insert_customer(customer.normalized()?)?;
        let mut restored = Restored {
            customer: record.customer,
            relinked: 0,
            not_relinked: Vec::new(),
        };
        let links: Vec<Value> = serde_json::from_str(&links).map_err(|e| StoreError::Internal {
            doing: "reading a deleted customer's links",
            detail: e.to_string(),
        })?;
        for link in links {
            let text = |k: &str| link.get(k).and_then(Value::as_str).map(str::to_string);
            let (Some(company), Some(list_id)) = (text("company"), text("list_id")) else {
                continue;
            };
            let taken: Option<String> = self
                .tx
                .query_row(
                    "SELECT c.code FROM links l JOIN customers c ON c.id = l.customer_id \
                     WHERE l.company = ?1 AND l.list_id = ?2",
                    [&company, &list_id],
                    |r| r.get(0),
                )
                .optional()
                .doing("reading links")?;
            if let Some(other) = taken {
                restored.not_relinked.push(format!(
                    "{company}: its QuickBooks customer is linked to {other} now"
                ));
                continue;
            }
            self.tx
                .execute(
                    "INSERT INTO links (company, customer_id, list_id, external_guid, \
                     created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![
                        company,
                        row_id,
                        list_id,
                        text("external_guid"),
                        text("created_at").unwrap_or_else(|| self.now.clone())
                    ],
                )
                .doing("putting back a link")?;
            restored.relinked += 1;
        }
        self.tx
            .execute(
                "UPDATE deleted_customers SET restored_at = ?1, restored_by = ?2 WHERE id = ?3",
                rusqlite::params![self.now, os_user, id],
            )
            .doing("recording the restore")?;
        Ok(restored)
    }
}

/// The customer a deletion kept (column keys to values).
fn customer_from_json(text: &str) -> Result<Customer, String> {
    let Value::Object(values) = serde_json::from_str(text).map_err(|e| e.to_string())? else {
        return Err("not a JSON object".into());
    };
    let mut customer = Customer::new("", "", CustomerStatus::Active);
    for (key, value) in values {
        let column = Column::from_key(&key).ok_or_else(|| format!("unknown column {key}"))?;
        column.set(&mut customer, value.as_str())?;
    }
    Ok(customer)
}

/// The newest deletions first, at most `limit`.
pub(crate) fn list(conn: &rusqlite::Connection, limit: usize) -> Result<Vec<Deletion>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    super::query_rows(
        conn,
        "SELECT id, deleted_at, deleted_by, code, name, json_array_length(links), restored_at, \
         restored_by FROM deleted_customers ORDER BY id DESC LIMIT ?1",
        [limit],
        |r| {
            Ok(Deletion {
                id: r.get(0)?,
                deleted_at: ts_column(r, 1)?,
                deleted_by: r.get(2)?,
                code: r.get(3)?,
                name: r.get(4)?,
                links: usize::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
                restored_at: opt_ts_column(r, 6)?,
                restored_by: r.get(7)?,
            })
        },
        "listing deleted customers",
    )
}
