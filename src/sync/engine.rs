//! One synchronization, step by step, for every front end (TUI, `custsync sync`, scheduled Web
//! Connector runs): connect and read the company → settle what earlier runs left unfinished →
//! read both sides → plan → apply the operator's selection.
//!
//! Each step is a separate call so that a front end can stop between them to ask the operator
//! (confirm the company, "Show Missing Customers Only?", check rows, confirm the run).

use crate::config::Config;
use crate::qb::session::{Session, mapped_ret_elements};
use crate::qb::trace::Trace;
use crate::qb::{AccessPrompt, Connection};
use crate::qbxml::CustomerRet;
use crate::store::{Customer, Link, Store, StoreRead};

use super::apply;
use super::matching::LinkRef;
use super::plan::{Mode, Plan, PlanInput, TakenNames};
use super::recover;
use super::report::{
    ApplyOptions, Phase, Progress, RecoveryReport, RunReport, Selection, SyncError,
};

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

/// What a sync reads of every QuickBooks customer: the mapped fields and what tells a job from
/// a customer. QuickBooks' bookkeeping (times, EditSequence, FullName, ExternalGUID) is left out:
/// planning never uses it, and at 100,000 customers it would cost tens of megabytes.
fn load_elements() -> Vec<&'static str> {
    const UNUSED: [&str; 5] = [
        "TimeCreated",
        "TimeModified",
        "EditSequence",
        "FullName",
        "ExternalGUID",
    ];
    mapped_ret_elements()
        .iter()
        .copied()
        .filter(|e| !UNUSED.contains(e))
        .collect()
}

/// Both sides as read for one synchronization.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub locals: Vec<Customer>,
    /// Every QuickBooks customer, jobs included (planning leaves jobs out).
    pub qb: Vec<CustomerRet>,
    pub links: Vec<Link>,
    /// FullNames.
    pub customer_types: Vec<String>,
    pub job_types: Vec<String>,
}

/// A synchronization in progress over one QuickBooks session.
pub struct SyncEngine<'c> {
    session: Session<'c>,
    company: CompanyInfo,
    config: Config,
    recovery: Option<RecoveryReport>,
    snapshot: Option<Snapshot>,
    plan: Option<Plan>,
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
            recovery: None,
            snapshot: None,
            plan: None,
        })
    }

    pub fn company(&self) -> &CompanyInfo {
        &self.company
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The key links and outbox batches are stored under for this company.
    pub fn company_key(&self) -> &str {
        &self.company.file
    }

    /// Settles every batch an earlier run left sent or in doubt for this company (asking
    /// QuickBooks with `oldMessageSetID`, else looking the customers up), before anything new is
    /// sent. [`SyncEngine::load`] calls it; it is public so a front end can run it on its own.
    pub fn recover(
        &mut self,
        store: &mut Store,
        progress: &mut dyn Progress,
    ) -> Result<&RecoveryReport, SyncError> {
        let report = recover::settle_all(
            &mut self.session,
            store,
            &self.company,
            &self.config,
            progress,
        )?;
        Ok(self.recovery.insert(report))
    }

    /// What the last recovery found (when it settled anything, a front end should say so).
    pub fn recovery(&self) -> Option<&RecoveryReport> {
        self.recovery.as_ref()
    }

    /// Settles earlier runs, then reads both sides: SMSTurbo customers and links, every
    /// QuickBooks customer (page by page, only the mapped elements), customer and job types.
    pub fn load(
        &mut self,
        store: &mut Store,
        progress: &mut dyn Progress,
    ) -> Result<&Snapshot, SyncError> {
        self.plan = None;
        self.recover(store, progress)?;
        let locals = store.customers()?;
        let links = store.links(self.company_key())?;
        let total = u64::from(self.company.customer_count);
        let page = self.config.sync.page_size;
        let mut qb = Vec::with_capacity(self.company.customer_count as usize);
        progress.update(Phase::ReadingQuickBooks, 0, total);
        for page in self.session.customers(page, &load_elements()) {
            qb.extend(page?.customers);
            progress.update(
                Phase::ReadingQuickBooks,
                qb.len() as u64,
                total.max(qb.len() as u64),
            );
        }
        let customer_types = self
            .session
            .customer_types()?
            .into_iter()
            .map(|t| t.full_name)
            .collect();
        let job_types = self
            .session
            .job_types()?
            .into_iter()
            .map(|t| t.full_name)
            .collect();
        Ok(self.snapshot.insert(Snapshot {
            locals,
            qb,
            links,
            customer_types,
            job_types,
        }))
    }

    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.snapshot.as_ref()
    }

    /// Plans the synchronization and asks QuickBooks (batched) which of the export candidates'
    /// names its vendor, employee and other-name lists already hold.
    pub fn plan(&mut self, mode: Mode, progress: &mut dyn Progress) -> Result<&Plan, SyncError> {
        let snapshot = self
            .snapshot
            .as_ref()
            .ok_or(SyncError::Order("plan() needs load() first"))?;
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
            config: &self.config,
            customer_types: &snapshot.customer_types,
            job_types: &snapshot.job_types,
            mode,
        });
        let names = plan.names_to_check();
        if !names.is_empty() {
            progress.update(Phase::CheckingNames, 0, names.len() as u64);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut taken = TakenNames::default();
            for c in self.session.name_collisions(&refs)? {
                taken.insert(c.list, &c.existing.name);
            }
            progress.update(Phase::CheckingNames, names.len() as u64, names.len() as u64);
            plan.mark_taken(&taken);
        }
        Ok(self.plan.insert(plan))
    }

    pub fn current_plan(&self) -> Option<&Plan> {
        self.plan.as_ref()
    }

    /// Applies the operator's selection of the current plan: adds to QuickBooks through the
    /// outbox, imports and replacements in SMSTurbo transactions with their links and journal
    /// entries, and links every matched pair not linked yet. Stops between batches when
    /// `progress` says so. Per-customer failures are in the report.
    pub fn apply(
        &mut self,
        store: &mut Store,
        selection: &Selection,
        options: &ApplyOptions,
        progress: &mut dyn Progress,
    ) -> Result<RunReport, SyncError> {
        let (Some(snapshot), Some(plan)) = (self.snapshot.as_ref(), self.plan.as_ref()) else {
            return Err(SyncError::Order("apply() needs load() and plan() first"));
        };
        let report = apply::run(
            &mut self.session,
            store,
            &self.company,
            &self.config,
            snapshot,
            plan,
            selection,
            options,
            progress,
        )?;
        // What was planned is now out of date.
        self.plan = None;
        self.snapshot = None;
        Ok(report)
    }
}
