//! Links: which QuickBooks customer (ListID) an SMSTurbo customer is, per company file.
//!
//! A link is unique both ways within a company: one code has at most one ListID and one ListID
//! belongs to at most one code. The company is the identifier the sync core passes (the company
//! file path QuickBooks reports), compared exactly as given. Links follow a customer whose code
//! changes and disappear with a deleted customer.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::customers::code_key;
use super::error::SqlContext;
use super::{EntryKind, NewEntry, RunId, StoreError, StoreTx, query_rows, ts_column};

/// One link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub company: String,
    /// The SMSTurbo customer's code as stored now.
    pub code: String,
    pub list_id: String,
    /// The ExternalGUID custsync gave the QuickBooks customer when it created it.
    pub external_guid: Option<String>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT l.company, c.code, l.list_id, l.external_guid, l.created_at \
                      FROM links l JOIN customers c ON c.id = l.customer_id";

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Link> {
    Ok(Link {
        company: row.get(0)?,
        code: row.get(1)?,
        list_id: row.get(2)?,
        external_guid: row.get(3)?,
        created_at: ts_column(row, 4)?,
    })
}

pub(crate) fn for_code(
    conn: &Connection,
    company: &str,
    code: &str,
) -> Result<Option<Link>, StoreError> {
    conn.prepare_cached(&format!(
        "{SELECT} WHERE l.company = ?1 AND c.code_key = ?2"
    ))
    .and_then(|mut s| s.query_row((company, code_key(code)), read_row).optional())
    .doing("reading a link")
}

pub(crate) fn for_list_id(
    conn: &Connection,
    company: &str,
    list_id: &str,
) -> Result<Option<Link>, StoreError> {
    conn.prepare_cached(&format!("{SELECT} WHERE l.company = ?1 AND l.list_id = ?2"))
        .and_then(|mut s| s.query_row((company, list_id), read_row).optional())
        .doing("reading a link")
}

pub(crate) fn all(conn: &Connection, company: &str) -> Result<Vec<Link>, StoreError> {
    query_rows(
        conn,
        &format!("{SELECT} WHERE l.company = ?1 ORDER BY c.code_key"),
        [company],
        read_row,
        "reading links",
    )
}

/// The codes of the customers linked to a QuickBooks customer in any company file.
pub(crate) fn linked_codes(conn: &Connection) -> Result<Vec<String>, StoreError> {
    query_rows(
        conn,
        "SELECT DISTINCT c.code FROM links l JOIN customers c ON c.id = l.customer_id",
        [],
        |r| r.get(0),
        "reading links",
    )
}

impl StoreTx<'_> {
    /// Links customer `code` to QuickBooks `list_id` in `company`. Linking again the same way
    /// changes nothing (and returns `false`); a link that contradicts an existing one is
    /// refused with [`StoreError::LinkConflict`]. With `run`, a new link is journaled
    /// (`linked`). Returns whether a link was added.
    pub fn link(
        &mut self,
        company: &str,
        code: &str,
        list_id: &str,
        external_guid: Option<&str>,
        run: Option<RunId>,
    ) -> Result<bool, StoreError> {
        let (customer_id, stored_code) = self.customer_id(code)?;
        self.link_id(
            customer_id,
            &stored_code,
            company,
            list_id,
            external_guid,
            run,
        )
    }

    /// [`StoreTx::link`] for a customer whose row id is known. The insert is tried first and
    /// the unique constraints tell a repeat or a conflict apart: imports link every customer.
    pub(crate) fn link_id(
        &mut self,
        customer_id: i64,
        code: &str,
        company: &str,
        list_id: &str,
        external_guid: Option<&str>,
        run: Option<RunId>,
    ) -> Result<bool, StoreError> {
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO links (company, customer_id, list_id, external_guid, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| s.execute((company, customer_id, list_id, external_guid, &self.now)));
        match inserted {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                let conflict = |conflict: String| StoreError::LinkConflict {
                    company: company.to_string(),
                    code: code.to_string(),
                    list_id: list_id.to_string(),
                    conflict,
                };
                if let Some(existing) = for_code(&self.tx, company, code)? {
                    if existing.list_id == list_id {
                        return Ok(false);
                    }
                    return Err(conflict(format!(
                        "the customer is already linked to ListID {}",
                        existing.list_id
                    )));
                }
                let holder = for_list_id(&self.tx, company, list_id)?
                    .map_or_else(|| "another customer".to_string(), |l| l.code);
                return Err(conflict(format!(
                    "that QuickBooks customer is already linked to SMSTurbo customer {holder}"
                )));
            }
            Err(e) => return Err(StoreError::sqlite("linking a customer", e)),
        }
        if let Some(run) = run {
            self.journal(
                run,
                &NewEntry {
                    list_id: Some(list_id.to_string()),
                    ..NewEntry::new(EntryKind::Linked, code)
                },
            )?;
        }
        Ok(true)
    }

    /// Removes the link of `code` in `company` and journals it (`unlinked`, with `why`) in
    /// `run`; returns the link removed, if there was one.
    pub fn unlink_journaled(
        &mut self,
        run: RunId,
        company: &str,
        code: &str,
        why: &str,
    ) -> Result<Option<Link>, StoreError> {
        let Some(link) = for_code(&self.tx, company, code)? else {
            return Ok(None);
        };
        self.unlink(company, code)?;
        self.journal(
            run,
            &NewEntry {
                list_id: Some(link.list_id.clone()),
                status_message: Some(why.to_string()),
                ..NewEntry::new(EntryKind::Unlinked, &link.code)
            },
        )?;
        Ok(Some(link))
    }

    /// Keeps customer `code` in SMSTurbo only for `company` (`on`), or offers it for export to
    /// that company again; journaled (`local_only`, with `why`) in `run` when it changes
    /// anything. Returns whether it did.
    pub fn set_local_only(
        &mut self,
        run: RunId,
        company: &str,
        code: &str,
        on: bool,
        why: &str,
    ) -> Result<bool, StoreError> {
        if !on {
            return self.clear_local_only(run, company, code, why);
        }
        let (customer_id, stored_code) = self.customer_id(code)?;
        let n = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO local_only (company, customer_id, created_at) \
                 VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute((company, customer_id, &self.now)))
            .doing("keeping a customer local only")?;
        if n > 0 {
            self.journal_local_only(run, &stored_code, true, why)?;
        }
        Ok(n > 0)
    }

    /// Offers customer `code` for export to `company` again if it was kept local only
    /// (journaled); an unknown customer has nothing to clear. One statement: every customer
    /// QuickBooks adds passes here.
    pub(crate) fn clear_local_only(
        &mut self,
        run: RunId,
        company: &str,
        code: &str,
        why: &str,
    ) -> Result<bool, StoreError> {
        let n = self
            .tx
            .prepare_cached(
                "DELETE FROM local_only WHERE company = ?1 AND customer_id = \
                 (SELECT id FROM customers WHERE code_key = ?2)",
            )
            .and_then(|mut s| s.execute((company, code_key(code))))
            .doing("offering a customer for export again")?;
        if n > 0 {
            self.journal_local_only(run, code, false, why)?;
        }
        Ok(n > 0)
    }

    fn journal_local_only(
        &mut self,
        run: RunId,
        code: &str,
        on: bool,
        why: &str,
    ) -> Result<(), StoreError> {
        self.journal(
            run,
            &NewEntry {
                new: Some(if on { "local only" } else { "offered again" }.to_string()),
                status_message: Some(why.to_string()),
                ..NewEntry::new(EntryKind::LocalOnly, code)
            },
        )
        .map(|_| ())
    }

    /// The row id and stored code of customer `code`.
    fn customer_id(&self, code: &str) -> Result<(i64, String), StoreError> {
        self.tx
            .prepare_cached("SELECT id, code FROM customers WHERE code_key = ?1")
            .and_then(|mut s| {
                s.query_row([code_key(code)], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .doing("reading a customer")?
            .ok_or_else(|| StoreError::UnknownCustomer {
                code: code.to_string(),
            })
    }

    /// Removes the link of `code` in `company`; returns whether there was one.
    pub fn unlink(&mut self, company: &str, code: &str) -> Result<bool, StoreError> {
        let n = self
            .tx
            .prepare_cached(
                "DELETE FROM links WHERE company = ?1 AND customer_id = \
                 (SELECT id FROM customers WHERE code_key = ?2)",
            )
            .and_then(|mut s| s.execute((company, code_key(code))))
            .doing("removing a link")?;
        Ok(n > 0)
    }
}

/// Every link of one customer, across company files.
pub(crate) fn of_customer(conn: &Connection, code: &str) -> Result<Vec<Link>, StoreError> {
    query_rows(
        conn,
        &format!("{SELECT} WHERE c.code_key = ?1 ORDER BY l.company"),
        [code_key(code)],
        read_row,
        "reading links",
    )
}

/// Codes of the customers kept local only for `company`, in code order.
pub(crate) fn local_only(conn: &Connection, company: &str) -> Result<Vec<String>, StoreError> {
    query_rows(
        conn,
        "SELECT c.code FROM local_only o JOIN customers c ON c.id = o.customer_id \
         WHERE o.company = ?1 ORDER BY c.code_key",
        [company],
        |r| r.get(0),
        "reading the customers kept local only",
    )
}

/// The companies customer `code` is kept local only for.
pub(crate) fn local_only_of(conn: &Connection, code: &str) -> Result<Vec<String>, StoreError> {
    query_rows(
        conn,
        "SELECT o.company FROM local_only o JOIN customers c ON c.id = o.customer_id \
         WHERE c.code_key = ?1 ORDER BY o.company",
        [code_key(code)],
        |r| r.get(0),
        "reading the customers kept local only",
    )
}
