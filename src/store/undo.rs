//! Undo of a run's local changes, from the journal: imported customers are removed unless they
//! were changed since, replaced values are restored unless they were changed since; the links
//! an operator made or removed (a `link` run) are put back as they were unless they were
//! changed since. What QuickBooks received stays there (custsync never changes or deletes
//! QuickBooks records).
//!
//! The undo is itself a run (mode `undo`) whose `undone` entries record what was reverted, so
//! the journal shows both and an undo cannot be applied twice.

use super::customers::get;
use super::error::SqlContext;
use super::journal::{entries, run};
use super::links::of_customer;
use super::{Column, EntryKind, NewEntry, NewRun, RunId, RunMode, RunOutcome, StoreError, StoreTx};

/// What an undo did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoReport {
    /// The undo run (its `undone` entries list every reverted change).
    pub run: RunId,
    /// Codes of imported customers removed.
    pub removed: Vec<String>,
    /// Values restored: (code, column).
    pub restored: Vec<(String, Column)>,
    /// Links and "local only" marks put back, in words ("C1 linked again to 80000001-1").
    pub links: Vec<String>,
    /// Changes left in place, with why.
    pub kept: Vec<UndoSkip>,
}

/// A change undo left in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoSkip {
    pub code: String,
    /// The value concerned; `None` for a whole imported customer.
    pub column: Option<Column>,
    pub reason: String,
}

impl StoreTx<'_> {
    /// Undoes run `target`'s imports and replacements (see the module docs). Refused for an
    /// unknown run, an undo run, a run already undone, or one that changed nothing locally.
    pub fn undo_run(&mut self, target: RunId, os_user: &str) -> Result<UndoReport, StoreError> {
        let original = run(&self.tx, target)?.ok_or(StoreError::UnknownRun(target))?;
        if original.mode == RunMode::Undo {
            return Err(StoreError::UndoOfUndo(target));
        }
        if let Some(by) = original.undone_by {
            return Err(StoreError::AlreadyUndone { run: target, by });
        }
        // A synchronization's links follow its matches and its imports (an import undone takes
        // its link along); only the links an operator made or removed are undone as such.
        let operator = original.mode == RunMode::Link;
        let changes: Vec<_> = entries(&self.tx, target)?
            .into_iter()
            .filter(|e| match e.kind {
                EntryKind::Imported | EntryKind::Replaced => true,
                EntryKind::Linked | EntryKind::Unlinked | EntryKind::LocalOnly => operator,
                _ => false,
            })
            .collect();
        if changes.is_empty() {
            return Err(StoreError::NothingToUndo(target));
        }
        let undo = self.start_run(&NewRun {
            mode: RunMode::Undo,
            os_user: os_user.to_string(),
            company_name: original.company_name.clone(),
            company_file: original.company_file.clone(),
        })?;
        let mut report = UndoReport {
            run: undo,
            removed: Vec::new(),
            restored: Vec::new(),
            links: Vec::new(),
            kept: Vec::new(),
        };
        let company = original.company_file.clone().unwrap_or_default();
        for entry in changes.iter().rev() {
            let kept = |reason: String| UndoSkip {
                code: entry.code.clone(),
                column: entry.column,
                reason,
            };
            let Some(current) = get(&self.tx, &entry.code)? else {
                report
                    .kept
                    .push(kept("the customer was removed since".into()));
                continue;
            };
            match entry.kind {
                EntryKind::Linked | EntryKind::Unlinked | EntryKind::LocalOnly => {
                    match self.undo_link_entry(undo, &company, entry)? {
                        Ok(done) => report.links.push(done),
                        Err(why) => report.kept.push(kept(why)),
                    }
                }
                EntryKind::Imported => {
                    if Some(current.revision) != entry.revision {
                        report.kept.push(kept(
                            "the customer was changed after the import; kept".into(),
                        ));
                        continue;
                    }
                    let other_links = of_customer(&self.tx, &entry.code)?
                        .into_iter()
                        .filter(|l| Some(&l.list_id) != entry.list_id.as_ref())
                        .count();
                    if other_links > 0 {
                        report.kept.push(kept(
                            "the customer was linked to another QuickBooks customer since; kept"
                                .into(),
                        ));
                        continue;
                    }
                    match self.remove_customer(&entry.code, false) {
                        Ok(()) => {}
                        Err(e @ StoreError::InFlight { .. }) => {
                            report.kept.push(kept(e.to_string()));
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                    self.journal(
                        undo,
                        &NewEntry {
                            list_id: entry.list_id.clone(),
                            previous: Some(current.customer.name().to_string()),
                            ..NewEntry::new(EntryKind::Undone, &entry.code)
                        },
                    )?;
                    report.removed.push(entry.code.clone());
                }
                _ => {
                    let Some(column) = entry.column else {
                        continue;
                    };
                    let now = column.get(&current.customer);
                    if now != entry.new.as_deref() {
                        report.kept.push(kept(format!(
                            "changed since the run (now {}); kept",
                            now.map_or("empty".to_string(), |v| format!("\"{v}\""))
                        )));
                        continue;
                    }
                    let (record, restored) =
                        self.set_columns(&entry.code, &[(column, entry.previous.clone())])?;
                    self.journal_changes(
                        undo,
                        &record,
                        entry.list_id.as_deref(),
                        &restored,
                        EntryKind::Undone,
                    )?;
                    report.restored.push((entry.code.clone(), column));
                }
            }
        }
        self.tx
            .prepare_cached("UPDATE runs SET undone_by = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute((target.0, undo.0)))
            .doing("recording the undo")?;
        self.tx
            .prepare_cached("UPDATE runs SET undo_of = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute((undo.0, target.0)))
            .doing("recording the undo")?;
        let outcome = if report.kept.is_empty() {
            RunOutcome::Done
        } else {
            RunOutcome::Partial
        };
        self.finish_run(undo, outcome)?;
        Ok(report)
    }

    /// Puts back what one `linked`, `unlinked` or `local_only` entry changed, unless it was
    /// changed since; journaled (`undone`). The inner `Err` says why it was kept.
    fn undo_link_entry(
        &mut self,
        undo: RunId,
        company: &str,
        entry: &super::Entry,
    ) -> Result<Result<String, String>, StoreError> {
        let code = &entry.code;
        let list_id = entry.list_id.clone().unwrap_or_default();
        let now = super::links::for_code(&self.tx, company, code)?;
        let done = match entry.kind {
            EntryKind::Linked => {
                if now.as_ref().map(|l| &l.list_id) != Some(&list_id) {
                    return Ok(Err("the link was changed since; kept".into()));
                }
                self.unlink(company, code)?;
                format!("{code} unlinked from {list_id} again")
            }
            EntryKind::Unlinked => {
                if now.is_some() {
                    return Ok(Err("the customer was linked again since; kept".into()));
                }
                if let Some(holder) = super::links::for_list_id(&self.tx, company, &list_id)? {
                    return Ok(Err(format!(
                        "{list_id} is linked to {} since; kept",
                        holder.code
                    )));
                }
                self.link(company, code, &list_id, None, None)?;
                format!("{code} linked again to {list_id}")
            }
            _ => {
                let was_on = entry.new.as_deref() == Some("local only");
                let why = "undone";
                if was_on {
                    self.clear_local_only(undo, company, code, why)?;
                    format!("{code} offered for export again")
                } else {
                    self.set_local_only(undo, company, code, true, why)?;
                    format!("{code} kept local only again")
                }
            }
        };
        self.journal(
            undo,
            &NewEntry {
                list_id: entry.list_id.clone(),
                previous: Some(entry.kind.as_str().to_string()),
                new: Some(done.clone()),
                ..NewEntry::new(EntryKind::Undone, code)
            },
        )?;
        Ok(Ok(done))
    }
}
