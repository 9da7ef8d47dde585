//! One synchronization, step by step, for every front end (TUI, `custsync sync`, scheduled Web
//! Connector runs): connect and read the company → settle what earlier runs left unfinished →
//! read both sides → plan → apply the operator's selection.
//!
//! Each step is a separate call so that a front end can stop between them to ask the operator
//! (confirm the company, "Show Missing Customers Only?", check rows, confirm the run). Each step
//! returns the next state as its own type, so the order is the compiler's to check:
//!
//! ```text
//! SyncEngine::connect ─▶ SyncEngine ─load─▶ Loaded ─plan─▶ Planned ─apply─▶ RunReport
//!                                                            │  ▲
//!                                                            └──┘ replan (another mode)
//! ```
//!
//! ```compile_fail
//! # use custsync::sync::{ApplyOptions, NoProgress, Selection, SyncEngine};
//! fn apply_unplanned(e: SyncEngine<'_>, store: &mut custsync::store::Store) {
//!     let _ = e.apply(store, &Selection::default(), &ApplyOptions::default(), &mut NoProgress);
//! }
//! ```
//!
//! ```
//! # use custsync::sync::{ApplyOptions, NoProgress, Planned, Selection};
//! fn apply_planned(p: Planned<'_>, store: &mut custsync::store::Store) {
//!     let _ = p.apply(store, &Selection::default(), &ApplyOptions::default(), &mut NoProgress);
//! }
//! ```
//!
//! A failed step ends the synchronization (the state is consumed and the session closes when it
//! is dropped); `Loaded::unload`/`Planned::unload` go back to a connected engine to read again.

use crate::config::Config;
use crate::qb::session::Session;
use crate::qb::trace::Trace;
use crate::qb::{AccessPrompt, Connection};
use crate::qbxml::CustomerRet;
use crate::store::{Customer, Link, Store, StoreError, StoreRead};

use super::apply::Apply;
use super::matching::LinkRef;
use super::plan::{Mode, Plan, PlanInput, TakenNames};
use super::read::{self, ReadRequest, ReadSummary};
use super::recover;
use super::relink;
use super::report::{
    ApplyOptions, Phase, Progress, RecoveryReport, RunReport, Selection, SyncError,
};
use super::stale::{self, Deletions};

/// What the operator confirms before anything else happens (SPEC §5.4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompanyInfo {
    pub name: String,
    /// The company file as QuickBooks names it; also the key links are stored under.
    pub file: String,
    pub product: String,
    /// The qbXML version this session writes.
    pub qbxml_version: String,
    pub customer_count: u32,
}

/// Both sides as read for one synchronization.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub locals: Vec<Customer>,
    /// Every QuickBooks customer, jobs included (planning leaves jobs out), each ListID once.
    pub qb: Vec<CustomerRet>,
    pub links: Vec<Link>,
    /// FullNames.
    pub customer_types: Vec<String>,
    pub job_types: Vec<String>,
    /// Codes of the customers the operator keeps out of this company.
    pub kept_local: Vec<String>,
    /// What QuickBooks said about linked customers it no longer lists.
    pub deletions: Deletions,
    /// Copies of customers QuickBooks listed more than once in the read (changed meanwhile),
    /// folded into one.
    pub folded: usize,
}

/// A synchronization connected to QuickBooks: the company is known, nothing is read yet.
pub struct SyncEngine<'c> {
    session: Session<'c>,
    company: CompanyInfo,
    config: Config,
}

/// Both sides read, earlier runs settled: ready to plan.
pub struct Loaded<'c> {
    engine: SyncEngine<'c>,
    recovery: RecoveryReport,
    read: ReadSummary,
    snapshot: Snapshot,
}

/// A plan over a snapshot: ready to apply the operator's selection, or to plan again.
pub struct Planned<'c> {
    loaded: Loaded<'c>,
    plan: Plan,
}

impl<'c> SyncEngine<'c> {
    /// Opens the session (QuickBooks may ask the operator through `prompt`) and reads what the
    /// operator must confirm: company, file, product and how many customers it has.
    pub fn connect(
        conn: impl Connection + 'c,
        prompt: &mut dyn AccessPrompt,
        config: Config,
        trace: Option<Trace>,
    ) -> Result<Self, SyncError> {
        let mut session = Session::open(conn, prompt, trace)?;
        let host = session.host()?;
        let company = session.company()?;
        let customer_count = session.customer_count()?;
        let file = session.info().company_file.clone();
        let name = company
            .company_name
            .or(company.legal_company_name)
            .unwrap_or_default();
        let company = CompanyInfo {
            // An unnamed company is still told apart by its file.
            file: if file.is_empty() { name.clone() } else { file },
            name,
            product: format!(
                "{} {}.{}",
                host.product_name, host.major_version, host.minor_version
            ),
            qbxml_version: session.version().to_string(),
            customer_count,
        };
        Ok(SyncEngine {
            session,
            company,
            config,
        })
    }

    pub fn company(&self) -> &CompanyInfo {
        &self.company
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The names in QuickBooks' customer type, job type and terms lists, for the screens to
    /// offer (reading them changes nothing).
    pub fn list_names(&mut self) -> Result<crate::store::list_names::QbListNames, SyncError> {
        let names = |v: Vec<crate::qbxml::ListRet>| {
            v.into_iter()
                .map(crate::qbxml::ListRet::into_ref_name)
                .collect()
        };
        Ok(crate::store::list_names::QbListNames {
            customer_types: names(self.session.customer_types()?),
            job_types: names(self.session.job_types()?),
            terms: names(self.session.terms()?),
        })
    }

    /// The key links and outbox batches are stored under for this company.
    pub fn company_key(&self) -> &str {
        &self.company.file
    }

    /// Links SMSTurbo customer `code` to the QuickBooks customer with ListID (or full name)
    /// `target`, as the operator asks ([`super::relink`]): a journal run of its own. Read both
    /// sides again afterwards to plan with it.
    pub fn link_customer(
        &mut self,
        store: &mut Store,
        code: &str,
        target: &str,
    ) -> Result<relink::Linked, relink::LinkError> {
        relink::link(&mut self.session, store, &self.company, code, target)
    }

    /// Settles every batch an earlier run left sent or in doubt for this company (asking
    /// QuickBooks with `oldMessageSetID`, else looking the customers up), before anything new is
    /// sent. [`SyncEngine::load`] calls it; it is public so a front end can run it on its own.
    pub fn recover(
        &mut self,
        store: &mut Store,
        progress: &mut dyn Progress,
    ) -> Result<RecoveryReport, SyncError> {
        recover::settle_all(
            &mut self.session,
            store,
            &self.company,
            &self.config,
            progress,
        )
    }

    /// Settles earlier runs, then reads both sides: SMSTurbo customers and links, QuickBooks'
    /// customers (only what changed since the last synchronization when custsync can be sure,
    /// every one otherwise; a customer listed twice because it changed during the read is kept
    /// once: see [`super::read`]), customer and job types, and what QuickBooks said about
    /// linked customers it no longer lists (from the read's own ListDeletedQuery).
    pub fn load(
        self,
        store: &mut Store,
        progress: &mut dyn Progress,
    ) -> Result<Loaded<'c>, SyncError> {
        self.load_with(store, ReadRequest::Changes, progress)
    }

    /// [`SyncEngine::load`], reading every QuickBooks customer when `request` asks for all.
    pub fn load_with(
        mut self,
        store: &mut Store,
        request: ReadRequest,
        progress: &mut dyn Progress,
    ) -> Result<Loaded<'c>, SyncError> {
        let recovery = self.recover(store, progress)?;
        let links = store.links(self.company_key())?;
        // The SMSTurbo customers are read on another thread while QuickBooks is (100,000 of
        // them take a fifth of a second), through a second connection that sees what the
        // settling above committed; the read of QuickBooks does not change them.
        let reader = store.reader()?;
        let (locals, qb) = std::thread::scope(|scope| {
            let locals = reader.map(|r| scope.spawn(move || r.customers()));
            let qb = read::read_customers(
                &mut self.session,
                store,
                &self.company,
                &self.config,
                request,
                progress,
            );
            let locals = match locals {
                Some(thread) => thread.join().unwrap_or_else(|_| {
                    Err(StoreError::Internal {
                        doing: "reading customers",
                        detail: "the reading thread stopped".into(),
                    })
                }),
                None => store.customers(),
            };
            (locals, qb)
        });
        let (locals, qb) = (locals?, qb?);
        // Nothing is planned from a damaged database (a store opened with its check aside has
        // finished it by now: reading QuickBooks stores what it read).
        store.checked()?;
        let kept_local = store.local_only(self.company_key())?;
        let deletions = stale::deletions(&links, &qb.customers, &qb.deleted);
        let names = |types: Vec<crate::qbxml::ListRet>| {
            types
                .into_iter()
                .map(crate::qbxml::ListRet::into_ref_name)
                .collect()
        };
        Ok(Loaded {
            engine: self,
            recovery,
            read: qb.summary,
            snapshot: Snapshot {
                locals,
                qb: qb.customers,
                links,
                customer_types: names(qb.customer_types),
                job_types: names(qb.job_types),
                kept_local,
                deletions,
                folded: qb.folded,
            },
        })
    }
}

impl<'c> Loaded<'c> {
    pub fn company(&self) -> &CompanyInfo {
        &self.engine.company
    }

    pub fn config(&self) -> &Config {
        &self.engine.config
    }

    /// What settling earlier runs found (when it settled anything, a front end should say so).
    pub fn recovery(&self) -> &RecoveryReport {
        &self.recovery
    }

    /// How QuickBooks was read: only the changes, or everything and why (front ends say it).
    pub fn read_summary(&self) -> &ReadSummary {
        &self.read
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Back to the connected engine (the session stays open), e.g. to read both sides again.
    pub fn unload(self) -> SyncEngine<'c> {
        self.engine
    }

    /// Plans the synchronization and asks QuickBooks (batched) which of the export candidates'
    /// names its vendor, employee and other-name lists already hold.
    pub fn plan(
        mut self,
        mode: Mode,
        progress: &mut dyn Progress,
    ) -> Result<Planned<'c>, SyncError> {
        let plan = self.build_plan(mode, progress)?;
        Ok(Planned { loaded: self, plan })
    }

    fn build_plan(&mut self, mode: Mode, progress: &mut dyn Progress) -> Result<Plan, SyncError> {
        let snapshot = &self.snapshot;
        let links: Vec<LinkRef<'_>> = snapshot
            .links
            .iter()
            .map(|l| LinkRef {
                code: &l.code,
                list_id: &l.list_id,
            })
            .collect();
        let mut plan = Plan::build(&PlanInput {
            locals: &snapshot.locals,
            qb: &snapshot.qb,
            links: &links,
            config: &self.engine.config,
            customer_types: &snapshot.customer_types,
            job_types: &snapshot.job_types,
            mode,
            kept_local: &snapshot
                .kept_local
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            deletions: &snapshot.deletions,
        });
        let names = plan.names_to_check();
        if !names.is_empty() {
            progress.update(Phase::CheckingNames, 0, names.len() as u64);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut taken = TakenNames::default();
            for c in self.engine.session.name_collisions(&refs)? {
                taken.insert(c.list, &c.existing.name);
            }
            progress.update(Phase::CheckingNames, names.len() as u64, names.len() as u64);
            plan.mark_taken(&taken);
        }
        Ok(plan)
    }
}

impl<'c> Planned<'c> {
    pub fn company(&self) -> &CompanyInfo {
        self.loaded.company()
    }

    pub fn config(&self) -> &Config {
        self.loaded.config()
    }

    pub fn recovery(&self) -> &RecoveryReport {
        self.loaded.recovery()
    }

    pub fn read_summary(&self) -> &ReadSummary {
        self.loaded.read_summary()
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.loaded.snapshot
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Plans the same snapshot again (e.g. in the other mode).
    pub fn replan(self, mode: Mode, progress: &mut dyn Progress) -> Result<Planned<'c>, SyncError> {
        self.loaded.plan(mode, progress)
    }

    /// Back to the connected engine (the session stays open), e.g. to read both sides again.
    pub fn unload(self) -> SyncEngine<'c> {
        self.loaded.engine
    }

    /// Ends the synchronization without applying anything (the session closes) and hands back
    /// what was read and planned.
    pub fn close(self) -> (Snapshot, Plan) {
        let Planned { loaded, plan } = self;
        drop(loaded.engine);
        (loaded.snapshot, plan)
    }

    /// Applies the operator's selection: adds to QuickBooks through the outbox, imports and
    /// replacements in SMSTurbo transactions with their links and journal entries, and links
    /// every matched pair not linked yet. Stops between batches when `progress` says so.
    /// Per-customer failures are in the report. What was planned is out of date afterwards, so
    /// the plan is consumed; the session closes when the engine is dropped.
    pub fn apply(
        self,
        store: &mut Store,
        selection: &Selection,
        options: &ApplyOptions,
        progress: &mut dyn Progress,
    ) -> Result<RunReport, SyncError> {
        let Planned { mut loaded, plan } = self;
        let engine = &mut loaded.engine;
        Apply {
            session: &mut engine.session,
            store,
            company: &engine.company,
            config: &engine.config,
            snapshot: &loaded.snapshot,
            plan: &plan,
            progress,
        }
        .run(selection, options)
    }
}
