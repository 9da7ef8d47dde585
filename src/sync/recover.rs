//! Settling what an earlier run left unfinished, before anything new is sent (SPEC §6).
//!
//! A batch found `sent` or `in_doubt` may or may not have been applied by QuickBooks. custsync
//! never resends it blindly. It asks QuickBooks first:
//!
//! 1. `oldMessageSetID`: QuickBooks keeps the response to the last message set an application
//!    sent with error recovery on. If it has this batch's, that response settles the batch.
//! 2. Otherwise each customer is looked up: by the name sent, and by the ExternalGUID custsync
//!    gave it among customers modified since shortly before the batch was made (the name may have
//!    been changed in QuickBooks since). Our GUID found ⇒ it was added: link it. The name held by
//!    a customer without our GUID ⇒ the add could not have succeeded. Neither ⇒ never applied:
//!    the customer is offered again.
//!
//! A batch still `pending` was never sent: it is abandoned and its customers offered again.

use std::collections::HashMap;

use chrono::Duration;

use crate::config::Config;
use crate::qb::session::{Session, SessionError, mapped_ret_elements};
use crate::qbxml::message_set_status;
use crate::qbxml::status::codes;
use crate::qbxml::{
    CustomerQuery, CustomerRet, Field, ListFilter, OnError, RequestBody, ResponseBody, ResponseDoc,
    Selection,
};
use crate::store::{
    Batch, BatchState, ItemOutcome, NewEntry, NewRun, RunMode, RunOutcome, Store, StoreRead,
};

use super::engine::CompanyInfo;
use super::fault;
use super::read;
use super::report::{Phase, Progress, RecoveryReport, SyncError};

/// How far before a batch was made its customers' modification times are searched: QuickBooks
/// reports local time, and the two clocks need not agree.
const GUID_WINDOW: Duration = Duration::days(1);

pub(super) fn settle_all(
    session: &mut Session<'_>,
    store: &mut Store,
    company: &CompanyInfo,
    config: &Config,
    progress: &mut dyn Progress,
) -> Result<RecoveryReport, SyncError> {
    let batches = store.unsettled_batches(Some(&company.file))?;
    let mut report = RecoveryReport::default();
    if batches.is_empty() {
        return Ok(report);
    }
    let run = store.start_run(&NewRun {
        company_name: Some(company.name.clone()),
        company_file: Some(company.file.clone()),
        ..NewRun::new(RunMode::Recovery)
    })?;
    report.run = Some(run);
    let total = batches.len() as u64;
    for (i, batch) in batches.into_iter().enumerate() {
        progress.update(Phase::Recovering, i as u64, total);
        report.batches += 1;
        if batch.state == BatchState::Pending {
            let items = batch.items.len();
            store.transaction(|tx| {
                tx.fail_batch(
                    run,
                    batch.id,
                    None,
                    "not sent: custsync stopped before sending it to QuickBooks; the customer is \
                     offered again",
                )
            })?;
            report.not_applied += items;
            continue;
        }
        let outcomes = match outcomes_for(session, &batch, config) {
            Ok(o) => o,
            Err(e) => {
                // QuickBooks could not be asked: the batch stays unsettled and nothing new may go.
                // The journal says why, and what the batches settled before it did.
                let outcome = if report.added + report.failed + report.not_applied > 0 {
                    RunOutcome::Partial
                } else {
                    RunOutcome::NothingDone
                };
                let why = format!(
                    "could not ask QuickBooks about batch {}: {}",
                    batch.id,
                    e.explanation().what_happened
                );
                store.transaction(|tx| {
                    tx.journal(run, &NewEntry::stopped(&why))?;
                    tx.finish_run(run, outcome)
                })?;
                return Err(e);
            }
        };
        fault::point("recover:before-settle");
        let settled = store.transaction(|tx| {
            let settled =
                tx.settle_batch(run, batch.id, outcomes.response.as_deref(), &outcomes.items)?;
            tx.fold_into_mirror(&company.file, &outcomes.customers)?;
            Ok::<_, crate::store::StoreError>(settled)
        })?;
        report.added += settled.added;
        report.failed += settled.failed;
        report.not_applied += settled.not_applied;
    }
    progress.update(Phase::Recovering, total, total);
    store.finish_run(
        run,
        if report.failed == 0 {
            RunOutcome::Done
        } else {
            RunOutcome::Partial
        },
    )?;
    Ok(report)
}

/// What QuickBooks says became of a batch's customers.
pub(super) struct Outcomes {
    /// The batch's own response, when QuickBooks still had it.
    pub response: Option<String>,
    pub items: Vec<(String, ItemOutcome)>,
    /// The customers added, as QuickBooks returned them, when they carry what the mirror keeps
    /// (batches sent before custsync asked for it, and customers found by ExternalGUID, do not:
    /// the next read brings those).
    pub customers: Vec<CustomerRet>,
}

/// Asks QuickBooks about one sent or in-doubt batch.
pub(super) fn outcomes_for(
    session: &mut Session<'_>,
    batch: &Batch,
    config: &Config,
) -> Result<Outcomes, SyncError> {
    if let Some((text, doc)) = stored_response(session, &batch.message_set_id)? {
        return Ok(Outcomes {
            items: outcomes_from_response(batch.items.iter().map(|i| i.request_id.as_str()), &doc),
            customers: added_customers(&doc),
            response: Some(text),
        });
    }
    look_up(session, batch, config)
}

/// The customers a CustomerAdd response returned, those that carry what the mirror keeps.
pub(super) fn added_customers(doc: &ResponseDoc) -> Vec<CustomerRet> {
    doc.responses
        .iter()
        .filter(|r| !r.status.is_error())
        .filter_map(|r| match &r.body {
            ResponseBody::Customers(c) => c.first(),
            _ => None,
        })
        .filter(|c| read::mirrorable(c))
        .cloned()
        .collect()
}

/// The stored response to `message_set_id`, if QuickBooks still has it.
fn stored_response(
    session: &mut Session<'_>,
    message_set_id: &str,
) -> Result<Option<(String, ResponseDoc)>, SyncError> {
    let mut doc = session.document(OnError::ContinueOnError);
    doc.old_message_set_id = Some(message_set_id.to_string());
    let xml = crate::qbxml::write::write_request(&doc);
    let (text, response) = session.send_xml(&xml)?;
    let known = response.message_set_status_code == Some(message_set_status::OK)
        && !response.responses.is_empty();
    Ok(known.then_some((text, response)))
}

/// Each item's outcome from the batch's response, in request order. An item QuickBooks did not
/// answer was not processed.
pub(super) fn outcomes_from_response<'a>(
    request_ids: impl Iterator<Item = &'a str>,
    doc: &ResponseDoc,
) -> Vec<(String, ItemOutcome)> {
    request_ids
        .map(|request_id| {
            let outcome = match doc.by_request_id(request_id) {
                None => ItemOutcome::NotApplied {
                    reason: "QuickBooks did not process this request".into(),
                },
                Some(r) if r.status.is_error() => ItemOutcome::Failed {
                    status_code: Some(i64::from(r.status.code)),
                    message: r.status.message.clone(),
                },
                Some(r) => match &r.body {
                    ResponseBody::Customers(c)
                        if c.first().is_some_and(|c| !c.list_id.is_empty()) =>
                    {
                        ItemOutcome::Added {
                            list_id: c[0].list_id.clone(),
                        }
                    }
                    _ => ItemOutcome::Failed {
                        status_code: Some(i64::from(r.status.code)),
                        message: "QuickBooks reported success but returned no customer; \
                                  synchronize again to look it up"
                            .into(),
                    },
                },
            };
            (request_id.to_string(), outcome)
        })
        .collect()
}

/// Looks the batch's customers up by name and by ExternalGUID. The customers found by name
/// carry what the mirror keeps; those found by ExternalGUID do not (the next read brings them).
fn look_up(
    session: &mut Session<'_>,
    batch: &Batch,
    config: &Config,
) -> Result<Outcomes, SyncError> {
    // 1. By the names sent.
    let mut doc = session.document(OnError::ContinueOnError);
    let names: Vec<String> = batch.items.iter().map(|i| i.name.clone()).collect();
    let id = session.push(
        &mut doc,
        RequestBody::CustomerQuery(CustomerQuery {
            selection: Selection::FullNames(names),
            include_ret: mapped_ret_elements()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ..CustomerQuery::default()
        }),
    );
    let response = session.send(&doc)?;
    let r = response
        .by_request_id(&id)
        .ok_or(SessionError::MissingResponse {
            request: "CustomerQuery",
            request_id: id.clone(),
        })?;
    if r.status.is_error() {
        return Err(SessionError::Status {
            request: "CustomerQuery",
            status: r.status.clone(),
        }
        .into());
    }
    let mut by_name: HashMap<String, &CustomerRet> = HashMap::new();
    if let ResponseBody::Customers(found) = &r.body {
        for c in found.iter().filter(|c| !c.is_job()) {
            if let Some(n) = c.data.get(Field::Name) {
                by_name.insert(n.to_lowercase(), c);
            }
        }
    }

    // 2. By our GUIDs among recently modified customers, for any not found under their name.
    let mut by_guid: HashMap<String, String> = HashMap::new();
    let unresolved = batch.items.iter().any(|i| {
        by_name
            .get(&i.name.to_lowercase())
            .is_none_or(|c| !same_guid(c.external_guid.as_deref(), &i.external_guid))
    });
    if unresolved {
        let since = batch.created_at - GUID_WINDOW;
        let filter = ListFilter {
            from_modified_date: Some(since.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()),
            ..ListFilter::default()
        };
        for page in
            session.customers_matching(filter, config.sync.page_size, &["ListID", "ExternalGUID"])
        {
            for c in page?.customers {
                if let Some(g) = c.external_guid {
                    by_guid.insert(g.to_uppercase(), c.list_id);
                }
            }
        }
    }

    let mut added = Vec::new();
    let items = batch
        .items
        .iter()
        .map(|item| {
            let guid = item.external_guid.to_uppercase();
            let outcome = if let Some(list_id) = by_guid.get(&guid) {
                ItemOutcome::Added {
                    list_id: list_id.clone(),
                }
            } else {
                match by_name.get(&item.name.to_lowercase()) {
                    Some(c) if same_guid(c.external_guid.as_deref(), &item.external_guid) => {
                        if read::mirrorable(c) {
                            added.push((*c).clone());
                        }
                        ItemOutcome::Added {
                            list_id: c.list_id.clone(),
                        }
                    }
                    Some(_) => ItemOutcome::Failed {
                        status_code: Some(i64::from(codes::NAME_IN_USE)),
                        message: format!(
                            "The name \"{}\" of the list element is already in use.",
                            item.name
                        ),
                    },
                    None => ItemOutcome::NotApplied {
                        reason: "QuickBooks never added it (recovery found no such customer); \
                                 it is offered again"
                            .into(),
                    },
                }
            };
            (item.request_id.clone(), outcome)
        })
        .collect();
    Ok(Outcomes {
        response: None,
        items,
        customers: added,
    })
}

fn same_guid(found: Option<&str>, ours: &str) -> bool {
    found.is_some_and(|g| g.eq_ignore_ascii_case(ours))
}
