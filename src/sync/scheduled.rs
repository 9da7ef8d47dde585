//! Scheduled runs: what `custsync serve` does when the Web Connector calls on its own (its
//! Auto-Run scheduler, or "Update Selected" with no synchronization waiting in custsync).
//!
//! `[schedule]` in config.toml chooses the work; with none of it on, authenticate answers "none".
//! A run is an unattended synchronization through the same sync core as the TUI, so it settles
//! interrupted writes first, and is journaled like any run:
//!
//! 1. connect, settle what earlier runs left in doubt, read both sides;
//! 2. plan: *missing only*, or *not exact match* when `apply_replace` is on;
//! 3. choose what an operator would have checked: with `export_missing`, every export candidate
//!    without problems; with `import_missing`, every import candidate (of the included types)
//!    without problems; with `apply_replace`, every not-in-sync pair the Replace Options change;
//! 4. apply, and journal each candidate that was left out, with its reason, as a failure of the
//!    run.
//!
//! A candidate that looks like a customer the other side has (a likely duplicate,
//! [`super::likely`]) is never exported or imported by a scheduled run: only the operator can
//! say whether the two are one customer. It is left out and journaled like a candidate with a
//! problem, with what it looks like and why, until the operator links the two or adds it (at
//! the Synchronize screen, or `custsync link` / `sync --export-anyway` / `--import-anyway`).
//!
//! A run with nothing to apply is not journaled, unless it leaves out candidates the previous
//! run did not: the Web Connector may call every few minutes, and History should show a
//! customer that cannot be exported once, not a hundred times a day (the serve log and the Web
//! Connector's status line still say it every time).
//!
//! Nobody is there to agree to add the export default Customer Type / Job Type, so when
//! QuickBooks lacks them no customer that would carry one is exported (each is journaled with
//! the reason); imports and replacements still go ahead.
//!
//! Nobody is there to choose for a stale link either (QuickBooks' customer deleted, merged away
//! or made a job): its customer is never exported, imported or relinked by a scheduled run. Each
//! is listed with its reason, and journaled like a candidate left out, until the operator
//! chooses (at the screen, or `custsync link` / `unlink` / `sync --export-anyway`). Customers
//! the operator keeps local only are simply not offered.
//!
//! It is the sync core's policy for unattended runs, plugged into the Web Connector service
//! through its `ScheduledWork` seam, so the protocol layer never depends on the sync core.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use crate::config::{Config, ScheduleConfig};
use crate::qb::trace::Trace;
use crate::qb::{Connection, NoPrompt};
use crate::store::{NewEntry, RunOutcome, Store, StoreError, Workspace};
use crate::sync::matching::MatchedBy;
use crate::sync::problems::{self, Problem};
use crate::sync::{
    ApplyOptions, Mode, NoProgress, Plan, RecoveryReport, RunReport, Selection, Snapshot,
    SyncEngine, SyncError,
};

use crate::qb::webconnector::{ScheduledOutcome, ScheduledWork};

type Log = Box<dyn Fn(&str) + Send + Sync>;

/// The scheduled work `custsync serve` hands the service.
pub struct ScheduledSync {
    db_path: PathBuf,
    config: Config,
    trace_dir: Option<PathBuf>,
    log: Option<Log>,
    /// The export candidates the last run left out, with their reasons.
    last_skipped: Mutex<Vec<Skipped>>,
}

/// A candidate the run left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The SMSTurbo code (exports, pairs) or the QuickBooks ListID (imports).
    pub key: String,
    pub name: String,
    pub reason: String,
    /// Left out because it looks like a customer the other side has, not for a problem.
    pub likely: bool,
}

/// What one scheduled run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScheduledReport {
    /// The company file, as QuickBooks named it.
    pub company_file: String,
    /// Interrupted writes of earlier runs settled first, if there were any.
    pub recovered: Option<RecoveryReport>,
    /// `None` when there was nothing to apply (no run is journaled then).
    pub run: Option<RunReport>,
    pub skipped_exports: Vec<Skipped>,
    pub skipped_imports: Vec<Skipped>,
    /// Linked customers QuickBooks changed underneath, left for the operator (key: the code).
    pub stale: Vec<Skipped>,
}

impl ScheduledReport {
    /// One line, for the Web Connector's status column and the serve log.
    pub fn summary(&self) -> String {
        let mut done = Vec::new();
        if let Some(r) = &self.run {
            for (n, what) in [
                (r.added, "added to QuickBooks"),
                (r.imported, "imported"),
                (r.updated, "updated from QuickBooks"),
                (r.linked, "linked"),
            ] {
                if n > 0 {
                    done.push(format!("{n} {what}"));
                }
            }
        }
        let mut line = if done.is_empty() {
            "nothing to synchronize".to_string()
        } else {
            done.join(", ")
        };
        let failed = self.run.as_ref().map_or(0, |r| r.failures.len());
        let in_doubt = self.run.as_ref().map_or(0, |r| r.in_doubt);
        for (n, what) in [
            (failed, "refused by QuickBooks"),
            (problems(&self.skipped_exports), "not exported (problems)"),
            (problems(&self.skipped_imports), "not imported (problems)"),
            (
                likely(&self.skipped_exports) + likely(&self.skipped_imports),
                "left for you: they look like a customer the other side has",
            ),
            (
                self.stale.len(),
                "linked customer(s) QuickBooks changed underneath, left for you to decide",
            ),
            (in_doubt, "with an unknown outcome"),
        ] {
            if n > 0 {
                let _ = write!(line, "; {n} {what}");
            }
        }
        if let Some(r) = &self.recovered {
            let _ = write!(
                line,
                "; settled {} interrupted batch(es) first ({} added)",
                r.batches, r.added
            );
        }
        if let Some(id) = self.run.as_ref().and_then(|r| r.run) {
            let _ = write!(line, " — run {id} in History");
        }
        line
    }
}

fn likely(skipped: &[Skipped]) -> usize {
    skipped.iter().filter(|s| s.likely).count()
}

fn problems(skipped: &[Skipped]) -> usize {
    skipped.len() - likely(skipped)
}

impl ScheduledSync {
    /// Runs in `workspace`, whose lock the caller holds for as long as this serves (each run
    /// opens the workspace's database; no second lock is taken).
    pub fn new(workspace: &Workspace, config: Config) -> Self {
        ScheduledSync {
            db_path: workspace.db_path(),
            config,
            trace_dir: None,
            log: None,
            last_skipped: Mutex::new(Vec::new()),
        }
    }

    /// Writes every run's qbXML exchange to numbered files in `dir`.
    pub fn with_trace(mut self, dir: Option<PathBuf>) -> Self {
        self.trace_dir = dir;
        self
    }

    /// Receives one line per run: its summary, or why it failed.
    pub fn with_log(mut self, f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.log = Some(Box::new(f));
        self
    }

    /// Whether `[schedule]` asks for anything.
    pub fn is_configured(schedule: &ScheduleConfig) -> bool {
        schedule.export_missing || schedule.import_missing || schedule.apply_replace
    }

    /// One run over `connection`.
    pub fn run_once(&self, connection: &mut dyn Connection) -> Result<ScheduledReport, SyncError> {
        let mut store = Store::open(&self.db_path)?;
        let trace = self
            .trace_dir
            .as_ref()
            .and_then(|dir| match Trace::open(dir) {
                Ok(t) => Some(t),
                Err(e) => {
                    self.log(&format!("warning: {e}"));
                    None
                }
            });
        let engine = SyncEngine::connect(connection, &mut NoPrompt, self.config.clone(), trace)?;
        let mut report = ScheduledReport {
            company_file: engine.company().file.clone(),
            ..ScheduledReport::default()
        };
        let loaded = engine.load(&mut store, &mut NoProgress)?;
        report.recovered = Some(loaded.recovery()).filter(|r| r.batches > 0).cloned();
        let schedule = &self.config.schedule;
        let mode = if schedule.apply_replace {
            Mode::NotExactMatch
        } else {
            Mode::MissingOnly
        };
        let planned = loaded.plan(mode, &mut NoProgress)?;
        let choice = choose(schedule, planned.snapshot(), planned.plan());
        report.skipped_exports = choice.skipped_exports;
        report.skipped_imports = choice.skipped_imports;
        report.stale = stale_rows(planned.snapshot(), planned.plan());
        let left_out: Vec<Skipped> = report
            .skipped_exports
            .iter()
            .chain(&report.skipped_imports)
            .chain(&report.stale)
            .cloned()
            .collect();
        let newly_skipped = {
            let last = self.last_skipped();
            left_out.iter().any(|s| !last.contains(s))
        };
        if !choice.worth_a_run && !newly_skipped {
            *self.last_skipped() = left_out;
            return Ok(report);
        }
        // Applying ends the sync session; what is left is local.
        let run = planned.apply(
            &mut store,
            &choice.selection,
            &ApplyOptions::default(),
            &mut NoProgress,
        )?;
        if let Some(id) = run.run
            && !left_out.is_empty()
        {
            journal_skipped(
                &mut store,
                id,
                &run,
                &[&report.skipped_exports[..], &report.stale[..]].concat(),
                &report.skipped_imports,
            )?;
        }
        report.run = Some(run);
        // Only once they are journaled: a run that failed before leaves them new for the next.
        *self.last_skipped() = left_out;
        Ok(report)
    }

    fn last_skipped(&self) -> std::sync::MutexGuard<'_, Vec<Skipped>> {
        self.last_skipped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn log(&self, line: &str) {
        if let Some(f) = &self.log {
            f(line);
        }
    }
}

impl ScheduledWork for ScheduledSync {
    fn pending(&self) -> bool {
        Self::is_configured(&self.config.schedule)
    }

    fn run(&self, connection: &mut dyn Connection) -> ScheduledOutcome {
        match self.run_once(connection) {
            Ok(report) => {
                let summary = report.summary();
                self.log(&format!(
                    "scheduled run on {}: {summary}",
                    shown(&report.company_file)
                ));
                ScheduledOutcome::Done(format!("custsync: {summary}"))
            }
            Err(e) => {
                let explanation = e.explanation();
                self.log(&format!("scheduled run failed: {explanation}"));
                ScheduledOutcome::Failed(format!("custsync could not synchronize: {explanation}"))
            }
        }
    }
}

fn shown(file: &str) -> &str {
    if file.is_empty() {
        "the open company file"
    } else {
        file
    }
}

/// Why a likely duplicate waits for the operator.
const UNATTENDED_LIKELY: &str = "A scheduled run never adds or imports a likely duplicate: \
     link the two if they are one customer, or add it if not, at custsync's Synchronize screen";

/// What a scheduled run selects, and what it leaves out.
struct Choice {
    selection: Selection,
    skipped_exports: Vec<Skipped>,
    skipped_imports: Vec<Skipped>,
    /// Something to apply: a selection, or matched pairs to link.
    worth_a_run: bool,
}

/// A plan's candidates of one kind, split the way "check everything offered" splits them: the
/// keys a [`Selection`] takes (the rows without problems) and the rows left out, with their
/// reasons. Exports are keyed by SMSTurbo code, imports by QuickBooks ListID.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidates {
    pub chosen: Vec<String>,
    pub left_out: Vec<Skipped>,
}

impl Candidates {
    /// The export candidates. `unattended`: nobody can agree to add an export default type
    /// QuickBooks lacks, so a candidate that would carry one is left out too.
    pub fn exports(plan: &Plan, snapshot: &Snapshot, unattended: bool) -> Self {
        let rows = plan.exports.iter().map(|r| {
            let c = &snapshot.locals[r.local];
            let likely = r.likely.first().map(|d| {
                format!(
                    "it {}. {UNATTENDED_LIKELY} (custsync link {} {}, or custsync sync \
                     --export-anyway {})",
                    d.looks_like(&snapshot.qb),
                    c.code(),
                    snapshot.qb[d.other].list_id,
                    c.code()
                )
            });
            let missing = if unattended {
                plan.missing_types_for([&r.add])
            } else {
                Vec::new()
            };
            let blocked = (!missing.is_empty()).then(|| {
                format!(
                    "{}. Scheduled runs never add types: add them in QuickBooks, or synchronize \
                     once from custsync and agree there",
                    SyncError::MissingTypes(missing)
                )
            });
            (
                c.code().to_string(),
                c.name(),
                &r.problems[..],
                likely,
                blocked,
            )
        });
        Self::split(rows)
    }

    pub fn imports(plan: &Plan, snapshot: &Snapshot) -> Self {
        let rows = plan.imports.iter().map(|r| {
            let list_id = snapshot.qb[r.qb].list_id.clone();
            let likely = r.likely.first().map(|d| {
                format!(
                    "it {}. {UNATTENDED_LIKELY} (custsync link {} {list_id}, or custsync sync \
                     --import-anyway \"{}\")",
                    d.looks_like(&snapshot.locals),
                    snapshot.locals[d.other].code(),
                    r.customer.name()
                )
            });
            (list_id, r.customer.name(), &r.problems[..], likely, None)
        });
        Self::split(rows)
    }

    /// Rows as (key, name, problems, what it looks like, another reason that keeps it out),
    /// chosen or left out with the first reason that keeps them out.
    fn split<'p>(rows: impl Iterator<Item = CandidateRow<'p>>) -> Self {
        let mut out = Candidates::default();
        for (key, name, problems, likely, blocked) in rows {
            let reason_is_likely = problems.is_empty() && likely.is_some();
            let reason = if !problems.is_empty() {
                Some(problems::joined(problems))
            } else {
                likely.or(blocked)
            };
            match reason {
                None => out.chosen.push(key),
                Some(reason) => out.left_out.push(Skipped {
                    key,
                    name: name.to_string(),
                    reason,
                    likely: reason_is_likely,
                }),
            }
        }
        out
    }
}

/// A candidate as [`Candidates::split`] weighs it: key, name, problems, what it looks like,
/// another reason that keeps it out.
type CandidateRow<'p> = (
    String,
    &'p str,
    &'p [Problem],
    Option<String>,
    Option<String>,
);

/// The stale links, each with what happened in plain words and the ways out.
fn stale_rows(snapshot: &Snapshot, plan: &Plan) -> Vec<Skipped> {
    plan.stale
        .iter()
        .map(|r| {
            let c = &snapshot.locals[r.local];
            Skipped {
                key: c.code().to_string(),
                name: c.name().to_string(),
                reason: format!(
                    "{}. A scheduled run never adds, imports or relinks it: choose at custsync's \
                     Synchronize screen, or with custsync link / unlink / sync --export-anyway",
                    r.describe(&snapshot.qb)
                ),
                likely: false,
            }
        })
        .collect()
}

fn choose(schedule: &ScheduleConfig, snapshot: &Snapshot, plan: &Plan) -> Choice {
    // Adding the export default types is the operator's decision; unattended, nothing that would
    // need them is sent.
    let exports = if schedule.export_missing {
        Candidates::exports(plan, snapshot, true)
    } else {
        Candidates::default()
    };
    let imports = if schedule.import_missing {
        Candidates::imports(plan, snapshot)
    } else {
        Candidates::default()
    };
    // A pair has no problems of its own: every pair the Replace Options change is taken.
    let pairs = if schedule.apply_replace {
        plan.replaceable(&snapshot.locals)
            .map(str::to_string)
            .collect()
    } else {
        Vec::new()
    };
    let selection = Selection {
        exports: exports.chosen,
        imports: imports.chosen,
        pairs,
        ..Selection::default()
    };
    let unlinked = plan.matched.iter().any(|p| p.by != MatchedBy::Link);
    Choice {
        worth_a_run: !selection.is_empty() || unlinked,
        selection,
        skipped_exports: exports.left_out,
        skipped_imports: imports.left_out,
    }
}

/// Records the candidates the run left out (stale links among the exports) as failures of the
/// run, so History shows them, and lowers the run's outcome accordingly. An import is journaled
/// under its QuickBooks name (it has no SMSTurbo code yet), with its ListID.
fn journal_skipped(
    store: &mut Store,
    run: crate::store::RunId,
    report: &RunReport,
    exports: &[Skipped],
    imports: &[Skipped],
) -> Result<(), SyncError> {
    store.transaction(|tx| {
        for s in exports {
            tx.journal(
                run,
                &NewEntry::failed(
                    &s.key,
                    None,
                    &format!("not exported by the scheduled run: {}", s.reason),
                ),
            )?;
        }
        for s in imports {
            let message = format!("not imported by the scheduled run: {}", s.reason);
            tx.journal(
                run,
                &NewEntry {
                    list_id: Some(s.key.clone()),
                    ..NewEntry::failed(&s.name, None, &message)
                },
            )?;
        }
        Ok::<_, StoreError>(())
    })?;
    let outcome = match report.outcome() {
        RunOutcome::Done if report.added + report.imported + report.updated + report.linked > 0 => {
            RunOutcome::Partial
        }
        RunOutcome::Done => RunOutcome::NothingDone,
        other => other,
    };
    store.finish_run(run, outcome)?;
    Ok(())
}
