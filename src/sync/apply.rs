//! Applying the operator's selection (SPEC §5.7, §6).
//!
//! Order: check the whole selection first (nothing happens if any of it is not on offer), add
//! missing export types if the operator agreed, then
//! - **exports** through the outbox, a batch (one document, one `newMessageSetID`,
//!   `continueOnError`) at a time: stored `pending` → marked `sent` (committed before the
//!   request leaves) → the response settles each customer (added + linked + journaled, or
//!   failed) in one transaction. A lost or unreadable response makes the batch `in_doubt`, and
//!   it is settled through recovery before anything else is sent;
//! - **imports** and **replacements** in one SQLite transaction with their links and journal
//!   entries (previous values kept, so `undo` can put them back);
//! - **links** for matched pairs that had none.
//!
//! Never a CustomerMod: existing QuickBooks customers are never touched.

use std::collections::{HashMap, HashSet};

use rand::RngExt;

use crate::config::Config;
use crate::qb::QbError;
use crate::qb::explain::{Explanation, MessageFacts, StatusContext, explain_status};
use crate::qb::guid::Guid;
use crate::qb::session::{Session, SessionError};
use crate::qbxml::write::write_request;
use crate::qbxml::{CustomerAdd, Field, OnError, RequestBody};
use crate::store::{
    Column, Customer, ItemOutcome, NewBatch, NewEntry, NewItem, NewRun, RunId, RunMode, RunOutcome,
    Store, StoreError, StoreRead,
};

use super::engine::{CompanyInfo, Snapshot};
use super::fault;
use super::plan::{ExportRow, MissingType, Mode, Plan};
use super::read;
use super::recover;
use super::report::{
    ApplyOptions, Failure, Phase, Progress, Refused, RunReport, Selection, SyncError,
};

/// Everything one application of a plan works with: the session, the store, the company and
/// setup, the snapshot and the plan made from it, and where progress goes.
pub(super) struct Apply<'a, 's> {
    pub session: &'a mut Session<'s>,
    pub store: &'a mut Store,
    pub company: &'a CompanyInfo,
    pub config: &'a Config,
    pub snapshot: &'a Snapshot,
    pub plan: &'a Plan,
    pub progress: &'a mut dyn Progress,
}

impl Apply<'_, '_> {
    pub(super) fn run(
        mut self,
        selection: &Selection,
        options: &ApplyOptions,
    ) -> Result<RunReport, SyncError> {
        let plan = self.plan;
        let chosen = Chosen::resolve(plan, self.snapshot, selection)?;
        // Only the defaults a checked customer would carry are asked about.
        let needed = plan.missing_types_for(chosen.exports.iter().map(|e| &e.row.add));
        if !needed.is_empty() && !options.add_missing_types {
            return Err(SyncError::MissingTypes(needed));
        }
        // An earlier batch still unsettled means QuickBooks' state is unknown: settle it first
        // (nothing to do, and no run journaled, when there is none).
        recover::settle_all(
            self.session,
            self.store,
            self.company,
            self.config,
            self.progress,
        )?;

        let run = self.store.start_run(&NewRun {
            company_name: Some(self.company.name.clone()),
            company_file: Some(self.company.file.clone()),
            ..NewRun::new(match plan.mode {
                Mode::MissingOnly => RunMode::MissingOnly,
                Mode::NotExactMatch => RunMode::NotExactMatch,
            })
        })?;
        let mut report = RunReport {
            run: Some(run),
            ..RunReport::default()
        };
        let result = (|| -> Result<(), SyncError> {
            if !chosen.exports.is_empty() {
                self.add_missing_types(run, &needed, &mut report)?;
                self.export(run, &chosen.exports, &mut report)?;
            }
            if !report.cancelled {
                self.import_and_replace(run, &chosen, &mut report)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                self.store.finish_run(run, report.outcome())?;
                Ok(report)
            }
            Err(cause) => Err(self.stopped(run, report, cause)),
        }
    }

    /// A run that stopped part-way: the journal says why (a `stopped` entry) and how it ended,
    /// and the error says what was done before it — a failed run is never "nothing done" when
    /// QuickBooks already has customers from it.
    fn stopped(&mut self, run: RunId, report: RunReport, cause: SyncError) -> SyncError {
        let outcome = if report.did_something() {
            RunOutcome::Partial
        } else {
            RunOutcome::NothingDone
        };
        let why = cause.explanation().what_happened;
        // Best effort: the database may be what failed, and the cause is what to report then.
        let _ = self.store.transaction(|tx| {
            tx.journal(run, &NewEntry::stopped(&why))?;
            tx.finish_run(run, outcome)
        });
        if report.did_something() {
            SyncError::Stopped {
                report: Box::new(report),
                cause: Box::new(cause),
            }
        } else {
            cause
        }
    }

    /// Adds the export defaults QuickBooks lacks that the checked customers carry; each is
    /// journaled (`list_added`).
    fn add_missing_types(
        &mut self,
        run: RunId,
        needed: &[MissingType],
        report: &mut RunReport,
    ) -> Result<(), SyncError> {
        let (session, progress) = (&mut *self.session, &mut *self.progress);
        let total = needed.len() as u64;
        for (i, missing) in needed.iter().enumerate() {
            progress.update(Phase::AddingTypes, i as u64, total);
            let added = match missing {
                MissingType::CustomerType(n) => session.add_customer_type(n)?,
                MissingType::JobType(n) => session.add_job_type(n)?,
            };
            let what = missing.to_string();
            self.store.transaction(|tx| {
                tx.journal(
                    run,
                    &NewEntry::list_added(
                        &what,
                        Some(added.list_id.as_str()).filter(|id| !id.is_empty()),
                    ),
                )
            })?;
            report.types_added.push(what);
        }
        Ok(())
    }

    /// Adds the chosen customers to QuickBooks, batch by batch, through the outbox.
    fn export(
        &mut self,
        run: RunId,
        rows: &[ChosenExport<'_>],
        report: &mut RunReport,
    ) -> Result<(), SyncError> {
        let (session, store, progress) =
            (&mut *self.session, &mut *self.store, &mut *self.progress);
        let (company, config, snapshot) = (self.company, self.config, self.snapshot);
        let total = rows.len() as u64;
        let batch_size = config.sync.batch_size.max(1) as usize;
        let mut done = 0u64;
        progress.update(Phase::Exporting, 0, total);
        for chunk in rows.chunks(batch_size) {
            if progress.cancelled() {
                report.cancelled = true;
                report.not_sent += rows.len() - done as usize;
                break;
            }
            let mut doc = session.document(OnError::ContinueOnError);
            doc.new_message_set_id = Some(new_message_set_id());
            let mut items = Vec::with_capacity(chunk.len());
            for chosen in chunk {
                let row = chosen.row;
                let guid = Guid::random().braced_upper();
                // QuickBooks returns the new customer as the mirror keeps it, so the mirror has
                // it without reading it back.
                let add = CustomerAdd {
                    external_guid: Some(guid.clone()),
                    include_ret: read::mirror_elements()
                        .iter()
                        .map(|e| e.to_string())
                        .collect(),
                    ..row.add.clone()
                };
                let customer = &snapshot.locals[row.local];
                let request_id = session.push(&mut doc, RequestBody::CustomerAdd(Box::new(add)));
                items.push(NewItem {
                    request_id,
                    code: customer.code().to_string(),
                    name: row.add.data.get(Field::Name).unwrap_or("").to_string(),
                    external_guid: guid,
                    replaces: chosen.replaces.map(str::to_string),
                });
            }
            let xml = write_request(&doc);
            let batch = store.transaction(|tx| {
                tx.create_batch(&NewBatch {
                    run,
                    company: company.file.clone(),
                    message_set_id: doc.new_message_set_id.clone().unwrap_or_default(),
                    request: xml.clone(),
                    items: items.clone(),
                })
            })?;
            fault::point("export:before-send");
            store.mark_sent(batch)?;
            fault::point("export:marked-sent");
            let sent = session.send_xml(&xml);
            // QuickBooks has applied the batch; its response is not stored yet.
            fault::point("export:after-send");
            let outcomes = match sent {
                Ok((text, response)) => {
                    let outcomes = recover::outcomes_from_response(
                        items.iter().map(|i| i.request_id.as_str()),
                        &response,
                    );
                    let added = recover::added_customers(&response);
                    store.transaction(|tx| {
                        tx.settle_batch(run, batch, Some(&text), &outcomes)?;
                        tx.fold_into_mirror(&company.file, &added)
                    })?;
                    outcomes
                }
                Err(SessionError::Qb(QbError::Hresult { code, message })) => {
                    // QuickBooks refused the whole document: none of it was applied.
                    let e = QbError::Hresult { code, message };
                    store.transaction(|tx| tx.fail_batch(run, batch, None, &e.to_string()))?;
                    return Err(SessionError::Qb(e).into());
                }
                Err(lost) => {
                    // The outcome is unknown: settle it through recovery before going on.
                    store.mark_in_doubt(batch, &lost.to_string())?;
                    fault::point("export:in-doubt");
                    let stored = store.batch(batch)?.ok_or(StoreError::UnknownBatch(batch))?;
                    let Ok(found) = recover::outcomes_for(session, &stored, config) else {
                        report.in_doubt += chunk.len();
                        report.not_sent += rows.len() - done as usize - chunk.len();
                        return Err(lost.into());
                    };
                    store.transaction(|tx| {
                        tx.settle_batch(run, batch, found.response.as_deref(), &found.items)?;
                        tx.fold_into_mirror(&company.file, &found.customers)
                    })?;
                    found.items
                }
            };
            fault::point("export:settled");
            // Outcomes come back in request order, one per item (the store checked it).
            for ((_, outcome), (chosen, item)) in outcomes.iter().zip(chunk.iter().zip(&items)) {
                match failure(&snapshot.locals[chosen.row.local], item, outcome) {
                    None => {
                        report.added += 1;
                        report.added_codes.push(item.code.clone());
                    }
                    Some(f) => report.failures.push(f),
                }
            }
            done += chunk.len() as u64;
            progress.update(Phase::Exporting, done, total);
            session.report_progress(done, total);
        }
        Ok(())
    }

    /// Imports, replacements and links, in one transaction: a crash part-way leaves none of it.
    fn import_and_replace(
        &mut self,
        run: RunId,
        chosen: &Chosen<'_>,
        report: &mut RunReport,
    ) -> Result<(), SyncError> {
        let (store, progress) = (&mut *self.store, &mut *self.progress);
        let (company, snapshot, plan) = (self.company, self.snapshot, self.plan);
        let mut tx = store.begin()?;
        let imports = chosen.imports.len() as u64;
        for (n, &i) in chosen.imports.iter().enumerate() {
            let row = &plan.imports[i];
            tx.import_customer(
                run,
                &company.file,
                &row.customer,
                &snapshot.qb[row.qb].list_id,
            )?;
            report.imported += 1;
            if n as u64 == imports / 2 {
                fault::point("import:mid");
            }
            if n % 1000 == 0 {
                progress.update(Phase::Importing, n as u64, imports);
            }
        }
        progress.update(Phase::Importing, imports, imports);

        let pairs = chosen.pairs.len() as u64;
        for (n, &i) in chosen.pairs.iter().enumerate() {
            let pair = &plan.pairs[i];
            let qb = &snapshot.qb[pair.qb];
            let mut values: Vec<(Column, Option<String>)> = pair
                .diffs
                .iter()
                .filter(|d| d.applies)
                .map(|d| {
                    (
                        Column::Field(d.field),
                        qb.data.get(d.field).map(str::to_string),
                    )
                })
                .collect();
            if let Some(s) = pair.status.filter(|s| s.applies) {
                values.push((Column::Status, Some(s.replacement.as_str().to_string())));
            }
            if values.is_empty() {
                continue;
            }
            let code = snapshot.locals[pair.local].code();
            let changes = tx.replace_fields(run, code, Some(&qb.list_id), &values)?;
            if !changes.is_empty() {
                report.updated += 1;
                report.values_changed += changes.len();
            }
            if n as u64 == pairs / 2 {
                fault::point("replace:mid");
            }
        }
        progress.update(Phase::Replacing, pairs, pairs);

        // Matched pairs become linked, so later runs match them by link even if names drift.
        let to_link: Vec<_> = plan
            .matched
            .iter()
            .filter(|p| p.by != super::matching::MatchedBy::Link)
            .collect();
        // (A stale link never gives way to a match by the weaker rules: its customer takes no
        // part in them.)
        for (n, pair) in to_link.iter().enumerate() {
            let code = snapshot.locals[pair.local].code();
            if tx.link(
                &company.file,
                code,
                &snapshot.qb[pair.qb].list_id,
                None,
                Some(run),
            )? {
                report.linked += 1;
            }
            if n % 1000 == 0 {
                progress.update(Phase::Linking, n as u64, to_link.len() as u64);
            }
        }
        fault::point("import:before-commit");
        tx.commit()?;
        fault::point("import:committed");
        Ok(())
    }
}

/// An export the operator checked, and the stale link it replaces when it is one added again.
struct ChosenExport<'p> {
    row: &'p ExportRow,
    replaces: Option<&'p str>,
}

/// The selection resolved against the plan.
struct Chosen<'p> {
    exports: Vec<ChosenExport<'p>>,
    imports: Vec<usize>,
    pairs: Vec<usize>,
}

impl<'p> Chosen<'p> {
    /// Everything selected must be on offer and free of problems; otherwise nothing is done and
    /// the error names each offender.
    fn resolve(plan: &'p Plan, snapshot: &Snapshot, sel: &Selection) -> Result<Self, SyncError> {
        let mut errors = Vec::new();
        let exports_by_code: HashMap<String, &ExportRow> = plan
            .exports
            .iter()
            .map(|e| (snapshot.locals[e.local].code().to_lowercase(), e))
            .collect();
        let mut exports = Vec::new();
        // Stale links, customers kept local only and likely duplicates go to QuickBooks only
        // when named in `export_anyway`; an ordinary candidate only in `exports`.
        let named = unique(&sel.exports)
            .into_iter()
            .map(|code| (code, false))
            .chain(unique(&sel.export_anyway).into_iter().map(|c| (c, true)));
        for (code, anyway) in named {
            let held = if anyway {
                plan.held_row(&snapshot.locals, &code)
            } else {
                None
            };
            let (row, replaces) = match (&held, exports_by_code.get(&code.to_lowercase())) {
                (Some(h), _) => (h.again(), h.replaces()),
                (None, Some(row)) => (*row, None),
                (None, None) if anyway => {
                    errors.push(Refused::NotHeld { code });
                    continue;
                }
                (None, None) => {
                    errors.push(Refused::NotAnExport { code });
                    continue;
                }
            };
            match (row.likely.first(), anyway) {
                _ if !row.problems.is_empty() => errors.push(Refused::ExportBlocked {
                    code,
                    problems: row.problems.clone(),
                }),
                (Some(best), false) => errors.push(Refused::ExportLikely {
                    list_id: snapshot.qb[best.other].list_id.clone(),
                    like: best.looks_like(&snapshot.qb),
                    code,
                }),
                (None, true) if held.is_none() => errors.push(Refused::NotHeld { code }),
                _ => exports.push(ChosenExport { row, replaces }),
            }
        }
        let imports_by_id: HashMap<&str, usize> = plan
            .imports
            .iter()
            .enumerate()
            .map(|(i, r)| (snapshot.qb[r.qb].list_id.as_str(), i))
            .collect();
        let mut imports = Vec::new();
        // Likely duplicates are imported only when named in `import_anyway`; nothing else is.
        let named = unique(&sel.imports)
            .into_iter()
            .map(|id| (id, false))
            .chain(unique(&sel.import_anyway).into_iter().map(|id| (id, true)));
        for (list_id, anyway) in named {
            let Some(&i) = imports_by_id.get(list_id.as_str()) else {
                errors.push(Refused::NotAnImport { list_id });
                continue;
            };
            let row = &plan.imports[i];
            let name = row.customer.name().to_string();
            match (row.likely.first(), anyway) {
                _ if !row.problems.is_empty() => errors.push(Refused::ImportBlocked {
                    name,
                    problems: row.problems.clone(),
                }),
                (Some(best), false) => errors.push(Refused::ImportLikely {
                    name,
                    code: snapshot.locals[best.other].code().to_string(),
                    like: best.looks_like(&snapshot.locals),
                    list_id,
                }),
                (None, true) => errors.push(Refused::NotLikelyImport { name }),
                _ => imports.push(i),
            }
        }
        let pairs_by_code: HashMap<String, usize> = plan
            .pairs
            .iter()
            .enumerate()
            .map(|(i, p)| (snapshot.locals[p.local].code().to_lowercase(), i))
            .collect();
        let mut pairs = Vec::new();
        for code in unique(&sel.pairs) {
            match pairs_by_code.get(&code.to_lowercase()) {
                None => errors.push(Refused::NotAPair { code }),
                Some(&i) => pairs.push(i),
            }
        }
        if errors.is_empty() {
            Ok(Chosen {
                exports,
                imports,
                pairs,
            })
        } else {
            Err(SyncError::Selection(errors))
        }
    }
}

fn unique(keys: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    keys.iter()
        .filter(|k| seen.insert(k.to_lowercase()))
        .cloned()
        .collect()
}

/// Why QuickBooks did not add a customer, in plain words; `None` when it did.
fn failure(customer: &Customer, item: &NewItem, outcome: &ItemOutcome) -> Option<Failure> {
    let explanation = match outcome {
        ItemOutcome::Added { .. } => return None,
        ItemOutcome::Failed {
            status_code,
            message,
        } => {
            let code = status_code.map_or(0, |c| c as i32);
            let facts = MessageFacts::parse(code, message);
            explain_status(
                code,
                &StatusContext {
                    customer: Some(customer.name()),
                    name: Some(&item.name),
                    field: facts.field,
                    element: facts.element.as_deref(),
                    value: facts.value.as_deref(),
                    status_message: Some(message),
                    // Planning checked every name list.
                    name_was_free: true,
                    ..StatusContext::default()
                },
            )
        }
        ItemOutcome::NotApplied { reason } => Explanation::new(
            "not added".into(),
            "Not added to QuickBooks",
            format!("{}: {reason}", customer.name()),
            "Synchronize again: the customer is offered for export again.",
        ),
    };
    Some(Failure {
        code: customer.code().to_string(),
        name: customer.name().to_string(),
        explanation,
    })
}

/// A `newMessageSetID`: unique per batch, well under QuickBooks' 24-character limit.
fn new_message_set_id() -> String {
    format!("cs{:016X}", rand::rng().random::<u64>())
}
