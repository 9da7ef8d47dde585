//! The names in a QuickBooks company's customer type, job type and terms lists, as last read
//! while connected, so the screens can offer them when custsync is not connected.

use rusqlite::Connection;

use super::error::SqlContext;
use super::{StoreError, StoreTx, query_rows};

/// The list names of one company, each list sorted as QuickBooks gave it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QbListNames {
    pub customer_types: Vec<String>,
    pub job_types: Vec<String>,
    pub terms: Vec<String>,
}

impl QbListNames {
    fn lists(&self) -> [(&'static str, &[String]); 3] {
        [
            ("customer_type", &self.customer_types),
            ("job_type", &self.job_types),
            ("terms", &self.terms),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.lists().iter().all(|(_, names)| names.is_empty())
    }
}

impl StoreTx<'_> {
    /// Replaces what is known of `company`'s lists.
    pub fn set_qb_list_names(
        &mut self,
        company: &str,
        names: &QbListNames,
    ) -> Result<(), StoreError> {
        self.tx
            .execute("DELETE FROM qb_list_names WHERE company = ?1", [company])
            .doing("replacing QuickBooks' list names")?;
        let mut insert = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO qb_list_names (company, list, name, read_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .doing("replacing QuickBooks' list names")?;
        for (list, entries) in names.lists() {
            for name in entries {
                insert
                    .execute(rusqlite::params![company, list, name, self.now])
                    .doing("replacing QuickBooks' list names")?;
            }
        }
        Ok(())
    }
}

/// What is known of `company`'s lists (empty when never read).
pub(crate) fn get(conn: &Connection, company: &str) -> Result<QbListNames, StoreError> {
    let rows: Vec<(String, String)> = query_rows(
        conn,
        "SELECT list, name FROM qb_list_names WHERE company = ?1 ORDER BY list, name",
        [company],
        |r| Ok((r.get(0)?, r.get(1)?)),
        "reading QuickBooks' list names",
    )?;
    let mut names = QbListNames::default();
    for (list, name) in rows {
        match list.as_str() {
            "customer_type" => names.customer_types.push(name),
            "job_type" => names.job_types.push(name),
            _ => names.terms.push(name),
        }
    }
    Ok(names)
}
