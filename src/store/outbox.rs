//! The outbox: every write to QuickBooks is stored here before it is sent and stays until its
//! outcome is stored (SPEC §6).
//!
//! A batch is one request document (one `newMessageSetID`) of CustomerAdd requests; its items
//! are the customers in it. States:
//!
//! ```text
//! pending ──mark_sent──▶ sent ──settle_batch──▶ done
//!    │                    │ ▲                  (each item done, failed or not_applied)
//!    │                    ▼ │
//!    │                 in_doubt ──settle_batch──▶ done
//!    └──────────fail_batch (from any unsettled state)──▶ failed
//! ```
//!
//! `mark_sent` is committed before the request leaves: a batch found `sent` or `in_doubt` after
//! a crash may or may not have been applied and must be reconciled (oldMessageSetID, or a
//! lookup by ExternalGUID / name) before anything is resent. A `pending` batch was never sent.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::customers::code_key;
use super::error::SqlContext;
use super::{
    BatchId, EntryKind, NewEntry, RunId, StoreError, StoreTx, opt_ts_column, query_rows, ts_column,
};

text_enum! {
    /// Where a batch is in its life.
    pub enum BatchState {
        /// Stored, not sent.
        Pending => "pending",
        /// About to be sent or sent; the response is not stored yet.
        Sent => "sent",
        /// Settled: every item has its outcome.
        Done => "done",
        /// QuickBooks applied none of it.
        Failed => "failed",
        /// Sent, and the response was lost: reconcile before resending.
        InDoubt => "in_doubt",
    }
}

text_enum! {
    /// One customer's outcome in a batch.
    pub enum ItemState {
        /// No outcome yet.
        Pending => "pending",
        /// QuickBooks added it (ListID stored, customer linked).
        Done => "done",
        /// QuickBooks refused it (status code and message stored).
        Failed => "failed",
        /// QuickBooks never applied it; a later batch may send it again.
        NotApplied => "not_applied",
    }
}

/// A customer to add in a new batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewItem {
    /// The request's `requestID` in the document.
    pub request_id: String,
    /// The SMSTurbo customer's code.
    pub code: String,
    /// The Name sent to QuickBooks.
    pub name: String,
    /// The ExternalGUID sent with the CustomerAdd.
    pub external_guid: String,
    /// The stale link this addition replaces (the ListID the customer was linked to, now gone
    /// or a job): once QuickBooks has added the customer, its link moves to the new ListID.
    pub replaces: Option<String>,
}

/// A batch to store, with the request document already written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBatch {
    pub run: RunId,
    /// The company identifier (as for links).
    pub company: String,
    /// The document's `newMessageSetID`; unique across batches.
    pub message_set_id: String,
    /// The request document, exactly as it will be sent.
    pub request: String,
    pub items: Vec<NewItem>,
}

/// A stored batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    pub id: BatchId,
    pub run: RunId,
    pub company: String,
    pub message_set_id: String,
    pub request: String,
    /// The response document, once settled from one.
    pub response: Option<String>,
    pub state: BatchState,
    /// Why it is in doubt or failed.
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub settled_at: Option<DateTime<Utc>>,
    /// In request order.
    pub items: Vec<BatchItem>,
}

/// A stored item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchItem {
    pub request_id: String,
    pub code: String,
    pub name: String,
    pub external_guid: String,
    /// The stale link this addition replaces ([`NewItem::replaces`]).
    pub replaces: Option<String>,
    pub state: ItemState,
    pub list_id: Option<String>,
    pub status_code: Option<i64>,
    pub status_message: Option<String>,
}

/// What became of one item, as the sync core learned it from QuickBooks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemOutcome {
    /// QuickBooks added the customer as `list_id`.
    Added { list_id: String },
    /// QuickBooks refused it with this status code (if any) and message.
    Failed {
        status_code: Option<i64>,
        message: String,
    },
    /// QuickBooks did not apply it (e.g. recovery found no such customer); it may be sent
    /// again in a new batch.
    NotApplied { reason: String },
}

/// What [`StoreTx::settle_batch`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettleReport {
    pub added: usize,
    pub failed: usize,
    pub not_applied: usize,
    /// Customers QuickBooks added that could not be linked (code, why); each also has a
    /// `failed` journal entry.
    pub not_linked: Vec<(String, String)>,
}

const BATCH_SELECT: &str = "SELECT id, run_id, company, message_set_id, request, response, \
                            state, note, created_at, sent_at, settled_at FROM outbox_batches";

fn read_batch(row: &rusqlite::Row<'_>) -> rusqlite::Result<Batch> {
    Ok(Batch {
        id: BatchId(row.get(0)?),
        run: RunId(row.get(1)?),
        company: row.get(2)?,
        message_set_id: row.get(3)?,
        request: row.get(4)?,
        response: row.get(5)?,
        state: row.get(6)?,
        note: row.get(7)?,
        created_at: ts_column(row, 8)?,
        sent_at: opt_ts_column(row, 9)?,
        settled_at: opt_ts_column(row, 10)?,
        items: Vec::new(),
    })
}

fn with_items(conn: &Connection, mut batch: Batch) -> Result<Batch, StoreError> {
    batch.items = query_rows(
        conn,
        "SELECT request_id, code, name, external_guid, state, list_id, status_code, \
         status_message, replaces FROM outbox_items WHERE batch_id = ?1 ORDER BY rowid",
        [batch.id.0],
        |r| {
            Ok(BatchItem {
                request_id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                external_guid: r.get(3)?,
                state: r.get(4)?,
                list_id: r.get(5)?,
                status_code: r.get(6)?,
                status_message: r.get(7)?,
                replaces: r.get(8)?,
            })
        },
        "reading the outbox",
    )?;
    Ok(batch)
}

pub(crate) fn get(conn: &Connection, id: BatchId) -> Result<Option<Batch>, StoreError> {
    let batch = conn
        .prepare_cached(&format!("{BATCH_SELECT} WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id.0], read_batch).optional())
        .doing("reading the outbox")?;
    batch.map(|b| with_items(conn, b)).transpose()
}

pub(crate) fn unsettled(
    conn: &Connection,
    company: Option<&str>,
) -> Result<Vec<Batch>, StoreError> {
    let batches = query_rows(
        conn,
        &format!(
            "{BATCH_SELECT} WHERE state IN ('pending', 'sent', 'in_doubt') \
             AND (?1 IS NULL OR company = ?1) ORDER BY id"
        ),
        [company],
        read_batch,
        "reading the outbox",
    )?;
    batches.into_iter().map(|b| with_items(conn, b)).collect()
}

impl StoreTx<'_> {
    fn batch_state(&self, batch: BatchId) -> Result<BatchState, StoreError> {
        self.tx
            .prepare_cached("SELECT state FROM outbox_batches WHERE id = ?1")
            .and_then(|mut s| s.query_row([batch.0], |r| r.get(0)).optional())
            .doing("reading the outbox")?
            .ok_or(StoreError::UnknownBatch(batch))
    }

    /// Moves `batch` to `to` if it is in one of `from`, stamping `stamp` (a timestamp column)
    /// with now and keeping `note` if given; otherwise explains why not.
    fn transition(
        &mut self,
        batch: BatchId,
        from: &[BatchState],
        to: BatchState,
        action: &'static str,
        stamp: Option<&'static str>,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let state = self.batch_state(batch)?;
        if !from.contains(&state) {
            return Err(StoreError::BatchState {
                batch,
                state,
                action,
            });
        }
        let stamp = stamp.map_or(String::new(), |column| format!(", {column} = ?4"));
        self.tx
            .prepare_cached(&format!(
                "UPDATE outbox_batches SET state = ?2, note = coalesce(?3, note){stamp} \
                 WHERE id = ?1"
            ))
            .and_then(|mut s| {
                if stamp.is_empty() {
                    s.execute(rusqlite::params![batch.0, to, note])
                } else {
                    s.execute(rusqlite::params![batch.0, to, note, &self.now])
                }
            })
            .doing("updating the outbox")?;
        Ok(())
    }

    /// Stores a batch and its items, all pending. The message-set id must be new.
    pub fn create_batch(&mut self, batch: &NewBatch) -> Result<BatchId, StoreError> {
        if batch.items.is_empty() {
            return Err(StoreError::BadBatch(
                "a batch needs at least one customer".into(),
            ));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO outbox_batches (run_id, company, message_set_id, request, state, \
                 created_at) VALUES (?1, ?2, ?3, ?4, 'pending', ?5)",
            )
            .and_then(|mut s| {
                s.execute((
                    batch.run.0,
                    &batch.company,
                    &batch.message_set_id,
                    &batch.request,
                    &self.now,
                ))
            })
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::BadBatch(format!(
                        "message set {} is already used by another batch, or run {} does not exist",
                        batch.message_set_id, batch.run
                    ))
                }
                e => StoreError::sqlite("storing an outbox batch", e),
            })?;
        let id = BatchId(self.tx.last_insert_rowid());
        let mut stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO outbox_items (batch_id, request_id, code, code_key, name, \
                 external_guid, state, replaces) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)",
            )
            .doing("storing an outbox batch")?;
        for item in &batch.items {
            stmt.execute((
                id.0,
                &item.request_id,
                &item.code,
                code_key(&item.code),
                &item.name,
                &item.external_guid,
                &item.replaces,
            ))
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::BadBatch(format!("requestID {} is used twice", item.request_id))
                }
                e => StoreError::sqlite("storing an outbox batch", e),
            })?;
        }
        Ok(id)
    }

    /// Records that the batch is being sent. Commit this BEFORE the request goes out.
    pub fn mark_sent(&mut self, batch: BatchId) -> Result<(), StoreError> {
        self.transition(
            batch,
            &[BatchState::Pending],
            BatchState::Sent,
            "marked sent",
            Some("sent_at"),
            None,
        )
    }

    /// Records that the batch's outcome is unknown (the response was lost, or a run died after
    /// sending it), with why. Marking an in-doubt batch again updates the reason.
    pub fn mark_in_doubt(&mut self, batch: BatchId, reason: &str) -> Result<(), StoreError> {
        self.transition(
            batch,
            &[BatchState::Sent, BatchState::InDoubt],
            BatchState::InDoubt,
            "marked in doubt",
            None,
            Some(reason),
        )
    }

    /// Stores the outcome of every item of a sent or in-doubt batch, in this transaction:
    /// each added customer gets its ListID, its link in the batch's company and an `exported`
    /// journal entry in `run`; each refused one gets a `failed` entry with QuickBooks' status.
    /// `outcomes` must name every item of the batch exactly once, by requestID.
    pub fn settle_batch(
        &mut self,
        run: RunId,
        batch: BatchId,
        response: Option<&str>,
        outcomes: &[(String, ItemOutcome)],
    ) -> Result<SettleReport, StoreError> {
        let stored = get(&self.tx, batch)?.ok_or(StoreError::UnknownBatch(batch))?;
        if !matches!(stored.state, BatchState::Sent | BatchState::InDoubt) {
            return Err(StoreError::BatchState {
                batch,
                state: stored.state,
                action: "settled",
            });
        }
        let problem = |problem: String| StoreError::BatchOutcome { batch, problem };
        let mut settled = Vec::with_capacity(stored.items.len());
        for item in &stored.items {
            let mine: Vec<&ItemOutcome> = outcomes
                .iter()
                .filter(|(id, _)| *id == item.request_id)
                .map(|(_, outcome)| outcome)
                .collect();
            let [outcome] = mine[..] else {
                return Err(problem(format!(
                    "requestID {} ({}) has {} outcomes; it needs exactly one",
                    item.request_id,
                    item.code,
                    mine.len()
                )));
            };
            settled.push((item, outcome));
        }
        if let Some((id, _)) = outcomes
            .iter()
            .find(|(id, _)| !stored.items.iter().any(|i| i.request_id == *id))
        {
            return Err(problem(format!("requestID {id} is not in this batch")));
        }

        let mut report = SettleReport::default();
        for (item, outcome) in settled {
            let (state, list_id, status_code, message) = match outcome {
                ItemOutcome::Added { list_id } => {
                    report.added += 1;
                    (ItemState::Done, Some(list_id.as_str()), None, None)
                }
                ItemOutcome::Failed {
                    status_code,
                    message,
                } => {
                    report.failed += 1;
                    (
                        ItemState::Failed,
                        None,
                        *status_code,
                        Some(message.as_str()),
                    )
                }
                ItemOutcome::NotApplied { reason } => {
                    report.not_applied += 1;
                    (ItemState::NotApplied, None, None, Some(reason.as_str()))
                }
            };
            self.tx
                .prepare_cached(
                    "UPDATE outbox_items SET state = ?3, list_id = ?4, status_code = ?5, \
                     status_message = ?6 WHERE batch_id = ?1 AND request_id = ?2",
                )
                .and_then(|mut s| {
                    s.execute(rusqlite::params![
                        batch.0,
                        item.request_id,
                        state,
                        list_id,
                        status_code,
                        message
                    ])
                })
                .doing("settling an outbox batch")?;
            match outcome {
                ItemOutcome::Added { list_id } => {
                    self.journal(
                        run,
                        &NewEntry {
                            list_id: Some(list_id.clone()),
                            new: Some(item.name.clone()),
                            ..NewEntry::new(EntryKind::Exported, &item.code)
                        },
                    )?;
                    if let Err(why) = self.link_added(run, &stored.company, item, list_id)? {
                        self.journal(
                            run,
                            &NewEntry {
                                list_id: Some(list_id.clone()),
                                ..NewEntry::failed(
                                    &item.code,
                                    None,
                                    &format!(
                                        "added to QuickBooks as ListID {list_id} but not linked: {why}"
                                    ),
                                )
                            },
                        )?;
                        report.not_linked.push((item.code.clone(), why));
                    }
                }
                ItemOutcome::Failed {
                    status_code,
                    message,
                } => {
                    self.journal(run, &NewEntry::failed(&item.code, *status_code, message))?;
                }
                ItemOutcome::NotApplied { .. } => {}
            }
        }
        self.tx
            .prepare_cached(
                "UPDATE outbox_batches SET state = 'done', response = coalesce(?2, response), \
                 settled_at = ?3 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(rusqlite::params![batch.0, response, &self.now]))
            .doing("settling an outbox batch")?;
        Ok(report)
    }

    /// Links a customer QuickBooks added. A customer deleted or linked otherwise meanwhile
    /// does not fail the batch: the reason comes back (inner `Err`) for the journal. An
    /// addition the operator asked for over a stale link moves the link (journaled
    /// `unlinked`), and a customer kept local only is offered again (journaled `local_only`).
    fn link_added(
        &mut self,
        run: RunId,
        company: &str,
        item: &BatchItem,
        list_id: &str,
    ) -> Result<Result<(), String>, StoreError> {
        if let Some(stale) = &item.replaces
            && super::links::for_code(&self.tx, company, &item.code)?
                .is_some_and(|l| l.list_id == *stale)
        {
            self.unlink_journaled(
                run,
                company,
                &item.code,
                &format!("added to QuickBooks again as ListID {list_id}"),
            )?;
        }
        self.clear_local_only(
            run,
            company,
            &item.code,
            "added to QuickBooks at the operator's request",
        )?;
        match self.link(
            company,
            &item.code,
            list_id,
            Some(&item.external_guid),
            None,
        ) {
            Ok(_) => Ok(Ok(())),
            Err(e @ (StoreError::UnknownCustomer { .. } | StoreError::LinkConflict { .. })) => {
                Ok(Err(e.to_string()))
            }
            Err(e) => Err(e),
        }
    }

    /// Settles a batch QuickBooks applied none of (refused as a whole, or never sent and
    /// abandoned): every pending item fails with this status and message, journaled in `run`.
    pub fn fail_batch(
        &mut self,
        run: RunId,
        batch: BatchId,
        status_code: Option<i64>,
        message: &str,
    ) -> Result<(), StoreError> {
        let stored = get(&self.tx, batch)?.ok_or(StoreError::UnknownBatch(batch))?;
        self.transition(
            batch,
            &[BatchState::Pending, BatchState::Sent, BatchState::InDoubt],
            BatchState::Failed,
            "failed",
            Some("settled_at"),
            Some(message),
        )?;
        self.tx
            .prepare_cached(
                "UPDATE outbox_items SET state = 'failed', status_code = ?2, status_message = ?3 \
                 WHERE batch_id = ?1 AND state = 'pending'",
            )
            .and_then(|mut s| s.execute(rusqlite::params![batch.0, status_code, message]))
            .doing("settling an outbox batch")?;
        for item in stored
            .items
            .iter()
            .filter(|i| i.state == ItemState::Pending)
        {
            self.journal(run, &NewEntry::failed(&item.code, status_code, message))?;
        }
        Ok(())
    }
}
