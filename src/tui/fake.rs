//! An in-memory back end for tests, screenshots and trying the TUI (`cargo run --example
//! tui_fake`). It stands in for the SMSTurbo database and for QuickBooks, not for the sync core:
//! the panes, the run confirmation and what a run does come from the sync core's plan
//! ([`Plan::build`]) through the same [`plan_view`] the real back end uses, and failures are
//! worded by the same catalog. What it imitates itself is QuickBooks' side: a sandbox company
//! with its Integrated Applications state, batches with progress and cancel, a journal with undo.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support (the test-support feature): a panic is a test failure"
)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::config::{Config, ConnectionKind};
use crate::qb::access::{AccessPrompt, CertificateAnswer, CertificateRequest};
use crate::qb::connect::ConnectError;
use crate::qb::explain::{NameOwner, StatusContext, explain_status};
use crate::qb::hresult;
use crate::qb::sandbox::Grant;
use crate::qbxml::{CustomerRet, Field, ListDeletedRet, NameList, QbDateTime};
use crate::store::list_names::QbListNames;
use crate::store::{Customer, CustomerStatus, StoreError};
use crate::sync::matching::LinkRef;
use crate::sync::plan::{Mode, Plan, PlanInput, TakenNames};
use crate::sync::stale::Deletions;
use crate::sync::{self, FullReason, Phase, ReadKind, ReadSummary, Snapshot};

use super::backend;
use super::plan_view::{self, Planned, RowLayout};
use super::view::{
    CheckedRows, CompanyInfo, CustomerList, Explanation, HistoryEntry, HistoryId, ProgressUpdate,
    Resolution, RowId, RunId, RunPreview, RunReport, SandboxFix, SandboxStatus, SyncView,
    WebConnectorWait,
};
use super::worker::{Backend, CancelFlag, FieldError, SaveError};

/// What the fake QuickBooks company and the fake SMSTurbo database hold. Tests read and change
/// it through [`FakeBackend::state`].
#[derive(Clone, Debug)]
pub struct FakeState {
    pub config: Config,
    pub customers: Vec<Customer>,
    pub company_name: String,
    /// QuickBooks customers.
    pub qb: Vec<Customer>,
    /// Names QuickBooks' other lists (vendors, employees) hold: a customer may not take them.
    pub other_names: Vec<(String, NameList)>,
    /// Names QuickBooks refuses only when the customer is added (found at run time).
    pub refused_at_add: Vec<(String, NameList)>,
    /// Customer types the company has.
    pub customer_types: Vec<String>,
    /// How custsync is let in, in the company's Integrated Applications.
    pub access: Grant,
    /// The company preference "Allow this application to login automatically".
    pub auto_login_allowed: bool,
    /// Whether "QuickBooks" has the company file open.
    pub qb_running: bool,
    pub connected: bool,
    pub history: Vec<HistoryEntry>,
    pub batch_size: usize,
    /// Pause after each batch, to watch the progress bar.
    pub batch_delay: Duration,
    pub qwc_written: Option<PathBuf>,
    /// Whether a Web Connector password was set (the fake keeps no password).
    pub password_set: bool,
    /// Stored links (code, ListID); a ListID the company lacks makes a stale link.
    pub links: Vec<(String, String)>,
    /// ListIDs QuickBooks deleted (or merged away), with the day.
    pub deleted_list_ids: Vec<(String, String)>,
    /// Codes kept in SMSTurbo only for this company.
    pub kept_local: Vec<String>,
    /// Whether QuickBooks' list names were read (at a connection).
    pub lists_read: bool,
    /// Reading the stored list names fails (the database is locked, say).
    pub lists_unreadable: bool,
    /// The comparison the panes show, until a run uses it (as a real run ends the connection).
    plan: Option<(Plan, Snapshot)>,
    /// QuickBooks was read once: later comparisons read "only what changed".
    read_before: bool,
    undo: HashMap<RunId, Vec<Customer>>,
    /// What each run did, customer by customer.
    entries: HashMap<RunId, Vec<String>>,
    /// Deleted customers, by deletion id, until restored.
    deleted: HashMap<i64, Customer>,
}

#[derive(Clone, Debug)]
pub struct FakeBackend {
    state: Arc<Mutex<FakeState>>,
}

impl FakeBackend {
    pub fn new(state: FakeState) -> FakeBackend {
        FakeBackend {
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// The demo company: customers in every status, overlapping a QuickBooks company with
    /// missing customers on both sides, not-in-sync pairs, a vendor whose name collides, an
    /// over-long name and a name QuickBooks cannot store.
    pub fn demo() -> FakeBackend {
        FakeBackend::new(FakeState::demo())
    }

    /// `n` SMSTurbo customers missing in QuickBooks and `n` QuickBooks customers missing in
    /// SMSTurbo, to try big lists.
    pub fn large(n: usize) -> FakeBackend {
        let mut s = FakeState::demo();
        s.customers = (0..n)
            .map(|i| {
                let mut c = Customer::new(
                    &format!("L{i:06}"),
                    &format!("Local Customer {i:06}"),
                    CustomerStatus::ALL[i % 4],
                );
                c.data.set(Field::Phone, format!("555-{:04}", i % 10_000));
                c
            })
            .collect();
        s.qb = (0..n)
            .map(|i| {
                Customer::new(
                    &format!("Q{i:06}"),
                    &format!("QuickBooks Customer {i:06}"),
                    CustomerStatus::Active,
                )
            })
            .collect();
        FakeBackend::new(s)
    }

    /// A handle on the shared state (tests assert on it after the worker ran).
    pub fn state(&self) -> MutexGuard<'_, FakeState> {
        // A test that panicked while holding the lock already failed; keep going with the data.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Does `n` items in batches under `phase`, reporting progress as the sync core does, until
    /// the operator stops the run between batches. Returns how many were done.
    fn in_batches(
        &self,
        phase: Phase,
        n: usize,
        progress: &mut dyn FnMut(ProgressUpdate),
        cancel: &CancelFlag,
        mut each: impl FnMut(&mut FakeState, usize),
    ) -> usize {
        let (batch, delay) = {
            let s = self.state();
            (s.batch_size.max(1), s.batch_delay)
        };
        let update = |done: usize, note: Option<String>| ProgressUpdate {
            phase: phase.label().to_string(),
            done: done as u64,
            total: n as u64,
            note,
        };
        // A stopped run starts no further phase.
        if n == 0 || cancel.cancelled() {
            return 0;
        }
        progress(update(0, None));
        let mut done = 0;
        while done < n && !cancel.cancelled() {
            let end = (done + batch).min(n);
            let mut s = self.state();
            for k in done..end {
                each(&mut s, k);
            }
            drop(s);
            done = end;
            let note = format!("Batch {} of {}", done.div_ceil(batch), n.div_ceil(batch));
            progress(update(done, Some(note)));
            if !delay.is_zero() {
                std::thread::sleep(delay);
            }
        }
        done
    }
}

fn customer(code: &str, name: &str, status: CustomerStatus, extra: &[(Field, &str)]) -> Customer {
    let mut c = Customer::new(code, name, status);
    for (f, v) in extra {
        c.data.set(*f, v);
    }
    c
}

const COMPANIES: [&str; 24] = [
    "Birchwood Hardware",
    "Cobalt Marine",
    "Delta Bakery",
    "Evergreen Landscaping",
    "Foxglove Florist",
    "Granite Works",
    "Harbor Freight Lines",
    "Iris Dental",
    "Juniper Cafe",
    "Kestrel Aviation",
    "Lumen Electric",
    "Maple Street Books",
    "Northwind Traders",
    "Orchard Farms",
    "Pinecrest Realty",
    "Quartz Labs",
    "Riverside Auto",
    "Summit Outfitters",
    "Tidewater Seafood",
    "Upland Dairy",
    "Vantage Printing",
    "Willow Pharmacy",
    "Yellowstone Tours",
    "Zephyr Cycles",
];

const CITIES: [&str; 6] = [
    "Springfield",
    "Riverton",
    "Lakeside",
    "Fairview",
    "Georgetown",
    "Ashland",
];

impl FakeState {
    pub fn demo() -> FakeState {
        let mut customers = Vec::new();
        let mut qb = Vec::new();
        for (i, name) in COMPANIES.iter().enumerate() {
            let code = format!("C{:04}", 1001 + i);
            let status = CustomerStatus::ALL[i % 4];
            let phone = format!("555-01{i:02}");
            let city = CITIES[i % CITIES.len()];
            let local = customer(
                &code,
                name,
                status,
                &[
                    (Field::CompanyName, name),
                    (Field::Phone, &phone),
                    (Field::BillAddr1, &format!("{} Main St", 100 + i)),
                    (Field::BillCity, city),
                    (
                        Field::Email,
                        &format!(
                            "office@{}.example",
                            name.split(' ').next().unwrap_or("x").to_lowercase()
                        ),
                    ),
                    (Field::CreditLimit, "2500.00"),
                ],
            );
            // Every third is only in SMSTurbo; the others are in QuickBooks too, and every
            // fourth of those differs.
            if i % 3 != 2 {
                let mut remote = local.clone();
                remote.status = CustomerStatus::Active;
                if status == CustomerStatus::Inactive {
                    remote.status = CustomerStatus::Inactive;
                }
                if i % 4 == 1 {
                    remote.data.set(Field::Phone, format!("555-02{i:02}"));
                    remote
                        .data
                        .set(Field::BillAddr1, format!("{} Harbor Rd", 200 + i));
                    remote.data.set(Field::CreditLimit, "5000.00");
                }
                qb.push(remote);
            }
            customers.push(local);
        }
        customers.push(customer(
            "C2001",
            "ACME Supply",
            CustomerStatus::Active,
            &[(Field::Phone, "555-0301")],
        ));
        customers.push(customer(
            "C2002",
            "The Extraordinarily Long Name Landscaping Company",
            CustomerStatus::Active,
            &[(Field::BillCity, "Fairview")],
        ));
        customers.push(customer(
            "C2003",
            "Łódź Imports",
            CustomerStatus::Prospect,
            &[],
        ));
        customers.push(customer(
            "C2004",
            "Orbit Optics",
            CustomerStatus::Active,
            &[(Field::Phone, "555-0304")],
        ));
        for (k, name) in [
            "Bayside Marina",
            "Copper Kettle Diner",
            "Driftwood Motel",
            "Elm Grove School",
            "Frontier Feed",
        ]
        .iter()
        .enumerate()
        {
            qb.push(customer(
                &format!("Q{:03}", 101 + k),
                name,
                CustomerStatus::Active,
                &[
                    (Field::Phone, &format!("555-09{k:02}")),
                    (
                        Field::CustomerType,
                        if k % 2 == 0 { "Retail" } else { "Wholesale" },
                    ),
                ],
            ));
        }
        customers.sort_by(|a, b| a.code().cmp(b.code()));
        FakeState {
            config: Config {
                company_file: "/demo/Acme Books.QBW".into(),
                ..Config::default()
            },
            customers,
            company_name: "Acme Books Inc.".into(),
            qb,
            other_names: vec![
                ("ACME Supply".into(), NameList::Vendor),
                ("Pat Smith".into(), NameList::Employee),
            ],
            refused_at_add: vec![("Orbit Optics".into(), NameList::OtherName)],
            customer_types: vec!["Retail".into(), "Wholesale".into()],
            access: Grant::None,
            auto_login_allowed: false,
            qb_running: true,
            connected: false,
            history: Vec::new(),
            batch_size: 3,
            batch_delay: Duration::ZERO,
            qwc_written: None,
            password_set: false,
            links: Vec::new(),
            deleted_list_ids: Vec::new(),
            kept_local: Vec::new(),
            lists_read: false,
            lists_unreadable: false,
            plan: None,
            read_before: false,
            undo: HashMap::new(),
            entries: HashMap::new(),
            deleted: HashMap::new(),
        }
    }

    fn company_info(&self) -> CompanyInfo {
        CompanyInfo {
            name: self.company_name.clone(),
            file: self.config.company_file.clone(),
            product: "QuickBooks Pro 2024 (custsync sandbox)".into(),
            qbxml_version: "16.0".into(),
            customer_count: u32::try_from(self.qb.len()).unwrap_or(u32::MAX),
        }
    }

    /// Both sides as the real back end reads them, and the sync core's comparison of them.
    fn compare(&self, mode: Mode) -> (Plan, Snapshot) {
        let snapshot = Snapshot {
            locals: self.customers.clone(),
            qb: self.qb.iter().enumerate().map(qb_record).collect(),
            customer_types: self.customer_types.clone(),
            ..Snapshot::default()
        };
        let mut taken = TakenNames::default();
        for (name, list) in &self.other_names {
            taken.insert(*list, name);
        }
        let links: Vec<LinkRef<'_>> = self
            .links
            .iter()
            .map(|(code, list_id)| LinkRef { code, list_id })
            .collect();
        let kept_local: Vec<&str> = self.kept_local.iter().map(String::as_str).collect();
        let deletions = if self.deleted_list_ids.is_empty() {
            Deletions::NotAsked
        } else {
            Deletions::Known(
                self.deleted_list_ids
                    .iter()
                    .map(|(list_id, day)| ListDeletedRet {
                        list_id: list_id.clone(),
                        time_deleted: Some(format!("{day}T09:00:00-05:00")),
                        ..ListDeletedRet::default()
                    })
                    .collect(),
            )
        };
        let mut plan = Plan::build(&PlanInput {
            locals: &snapshot.locals,
            qb: &snapshot.qb,
            links: &links,
            config: &self.config,
            customer_types: &snapshot.customer_types,
            job_types: &snapshot.job_types,
            mode,
            kept_local: &kept_local,
            deletions: &deletions,
        });
        plan.mark_taken(&taken);
        (plan, snapshot)
    }

    fn customer_mut(&mut self, code: &str) -> Option<&mut Customer> {
        self.customers.iter_mut().find(|c| c.code() == code)
    }
}

/// The ListID the fake QuickBooks gives its `i`th customer.
fn fake_list_id(i: usize) -> String {
    format!("{:X}-1446676743", 0x8000_0000u64 + i as u64)
}

/// A QuickBooks customer as QuickBooks lists it.
fn qb_record((i, c): (usize, &Customer)) -> CustomerRet {
    CustomerRet {
        list_id: fake_list_id(i),
        data: c.data.clone(),
        is_active: Some(c.status.is_active_in_qb()),
        ..CustomerRet::default()
    }
}

/// QuickBooks' refusal as the real back end words it: the catalog, plus the sandbox's help.
fn refused(code: u32, file: &str) -> Explanation {
    let catalog = crate::qb::explain::explain_hresult(code);
    backend::with_sandbox_help(
        Explanation::from(&catalog),
        &catalog,
        Some(code),
        std::path::Path::new(file),
    )
}

/// The store's words for a code it does not have.
fn unknown(code: &str) -> Explanation {
    backend::explain_store(&StoreError::UnknownCustomer {
        code: code.to_string(),
    })
}

/// What the sandbox remembers of an answer to the certificate question.
fn grant_for(answer: CertificateAnswer) -> Grant {
    match answer {
        CertificateAnswer::No => Grant::Denied,
        CertificateAnswer::PromptEachTime { .. } => Grant::PromptEachTime,
        CertificateAnswer::WhenOpen { .. } => Grant::WhenOpen,
        CertificateAnswer::Always { login_as, .. } => Grant::Always {
            login_user: login_as,
        },
    }
}

impl Backend for FakeBackend {
    fn load_customers(&mut self) -> Result<CustomerList, Explanation> {
        Ok(CustomerList {
            customers: self.state().customers.clone(),
            linked: Vec::new(),
        })
    }

    fn load_customer(&mut self, code: &str) -> Result<Customer, Explanation> {
        self.state()
            .customers
            .iter()
            .find(|c| c.code() == code)
            .cloned()
            .ok_or_else(|| unknown(code))
    }

    fn set_qb_spellings(
        &mut self,
        code: &str,
        spellings: &[(Field, String)],
    ) -> Result<Customer, Explanation> {
        let mut s = self.state();
        let c = s.customer_mut(code).ok_or_else(|| unknown(code))?;
        for (field, value) in spellings {
            match field {
                Field::Name => c.qb_name = Some(value.clone()),
                f => c.qb_spellings.set(*f, value),
            }
        }
        Ok(c.clone())
    }

    /// The store's rules and words: a customer is normalized as the store does it, and a code
    /// may be used once.
    fn save_customer(
        &mut self,
        original: Option<&str>,
        c: &Customer,
    ) -> Result<Customer, SaveError> {
        let c = c
            .normalized()
            .map_err(|e| SaveError::Invalid(vec![backend::customer_field_error(&e)]))?;
        let mut s = self.state();
        if original != Some(c.code())
            && let Some(other) = s
                .customers
                .iter()
                .find(|x| x.code().eq_ignore_ascii_case(c.code()))
        {
            let taken = StoreError::DuplicateCode {
                code: c.code().to_string(),
                existing_name: other.name().to_string(),
            };
            return Err(SaveError::Invalid(vec![FieldError::new(
                "code",
                taken.to_string(),
            )]));
        }
        s.customers.retain(|x| Some(x.code()) != original);
        s.customers.push(c.clone());
        s.customers.sort_by(|a, b| a.code().cmp(b.code()));
        Ok(c)
    }

    fn customer_links(&mut self, code: &str) -> Result<Vec<String>, Explanation> {
        let s = self.state();
        let company = s.config.company_file.as_str();
        Ok(s.links
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, id)| backend::link_words(company, Some(id)))
            .chain(
                s.kept_local
                    .iter()
                    .filter(|c| *c == code)
                    .map(|_| backend::link_words(company, None)),
            )
            .collect())
    }

    fn delete_customer(&mut self, code: &str) -> Result<(), Explanation> {
        let mut s = self.state();
        let Some(at) = s.customers.iter().position(|c| c.code() == code) else {
            return Err(unknown(code));
        };
        let gone = s.customers.remove(at);
        let id = s.history.len() as i64 + 1;
        s.history.insert(
            0,
            HistoryEntry {
                id: HistoryId::Deletion(id),
                when: format!("2026-03-{:02} 11:{:02}", 1 + id % 28, id % 60),
                company: "SMSTurbo".into(),
                summary: format!("deleted {} {}", gone.code(), gone.name()),
                undoable: true,
                details: vec![format!("{} ({}) was deleted.", gone.name(), gone.code())],
            },
        );
        s.deleted.insert(id, gone);
        Ok(())
    }

    fn save_config(&mut self, config: &Config) -> Result<Config, SaveError> {
        let file = config.company_file.trim();
        if config.connection.kind == ConnectionKind::Sandbox
            && !file.is_empty()
            && !file.to_lowercase().ends_with(".qbw")
        {
            return Err(SaveError::Invalid(vec![FieldError::new(
                "company_file",
                "the sandbox needs a .QBW company file",
            )]));
        }
        self.state().config = config.clone();
        Ok(config.clone())
    }

    fn connect(
        &mut self,
        prompt: &mut dyn AccessPrompt,
        waiting: &mut dyn FnMut(WebConnectorWait),
        cancel: &CancelFlag,
    ) -> Result<CompanyInfo, Explanation> {
        let mut s = self.state();
        if s.config.connection.kind == ConnectionKind::WebConnector {
            // Imitates a Web Connector that never calls: wait until cancelled.
            let wc = s.config.connection.web_connector.clone();
            let company_file = s.config.company_file.clone();
            drop(s);
            waiting(WebConnectorWait {
                url: backend::service_url(&wc),
                user_name: wc.user_name,
                company_file,
            });
            let (stop, stopped) = std::sync::mpsc::channel();
            let _wake = cancel.wake_on_cancel(move || {
                let _ = stop.send(());
            });
            let _ = stopped.recv();
            return Err(backend::stopped_waiting());
        }
        if s.config.company_file.trim().is_empty() {
            return Err(backend::explain_connect(&ConnectError::NoCompanyFile));
        }
        let file = s.config.company_file.clone();
        let mut just_granted = false;
        if s.access == Grant::None {
            let request = CertificateRequest {
                app_name: crate::qb::APP_NAME.into(),
                company_file: file.clone(),
                login_users: vec!["Admin".into(), "Bookkeeper".into()],
                personal_data_requested: false,
            };
            // Never hold the lock while the operator thinks.
            drop(s);
            let answer = prompt.certificate(&request);
            s = self.state();
            match answer {
                None => return Err(refused(hresult::NEVER_AUTHORIZED, &file)),
                Some(a) => {
                    // Like QuickBooks, the answer is remembered, No included.
                    s.access = grant_for(a);
                    just_granted = true;
                }
            }
        }
        match s.access {
            Grant::None | Grant::Denied => return Err(refused(hresult::ACCESS_DENIED, &file)),
            Grant::Always { .. } if !s.qb_running && !s.auto_login_allowed => {
                return Err(refused(hresult::AUTO_LOGIN_NOT_ALLOWED, &file));
            }
            Grant::Always { .. } => {}
            Grant::PromptEachTime if !just_granted => {
                drop(s);
                let allowed = prompt.allow_this_time(crate::qb::APP_NAME, &file);
                s = self.state();
                if allowed != Some(true) {
                    return Err(refused(hresult::ACCESS_DENIED, &file));
                }
                if !s.qb_running {
                    return Err(refused(hresult::COULD_NOT_START_QB, &file));
                }
            }
            _ if !s.qb_running => return Err(refused(hresult::COULD_NOT_START_QB, &file)),
            _ => {}
        }
        s.connected = true;
        s.lists_read = true;
        Ok(s.company_info())
    }

    fn disconnect(&mut self) {
        self.state().connected = false;
    }

    fn plan(
        &mut self,
        missing_only: bool,
        read_all: bool,
        _progress: &mut dyn FnMut(ProgressUpdate),
    ) -> Result<SyncView, Explanation> {
        let mut s = self.state();
        let mode = if missing_only {
            Mode::MissingOnly
        } else {
            Mode::NotExactMatch
        };
        let (plan, snapshot) = s.compare(mode);
        let mut view = plan_view::sync_view(&plan, &snapshot, &s.company_name, &s.config);
        // Worded by the sync core; the fake's QuickBooks never changes between comparisons.
        let kind = match (s.read_before, read_all) {
            (false, _) => ReadKind::Full(FullReason::FirstRead),
            (true, true) => ReadKind::Full(FullReason::Requested),
            (true, false) => ReadKind::Incremental {
                since: QbDateTime::parse("2026-12-06T10:15:00-08:00")
                    .map_err(|e| Explanation::new("Internal error", e.to_string(), "Report it."))?,
            },
        };
        let full = !matches!(kind, ReadKind::Incremental { .. });
        view.read = ReadSummary {
            kind,
            changed: if full { snapshot.qb.len() } else { 0 },
            deleted: 0,
            customers: snapshot.qb.len(),
        }
        .to_string();
        s.read_before = true;
        s.plan = Some((plan, snapshot));
        Ok(view)
    }

    /// Moves the fake's links as the real back end's store would, then compares again.
    fn resolve(
        &mut self,
        row: RowId,
        how: &Resolution,
        progress: &mut dyn FnMut(ProgressUpdate),
    ) -> Result<(String, SyncView), Explanation> {
        let (missing_only, message) = {
            let mut s = self.state();
            let (plan, snapshot) = s.plan.as_ref().ok_or_else(backend::not_connected)?;
            let missing_only = plan.mode == Mode::MissingOnly;
            let code = plan_view::resolved_code(plan, snapshot, row, how)
                .ok_or_else(|| backend::stale_plan(row))?;
            s.links.retain(|(c, _)| *c != code);
            s.kept_local.retain(|c| *c != code);
            let message = match how {
                Resolution::LinkTo(list_id) | Resolution::LinkPair { list_id, .. } => {
                    s.links.push((code.clone(), list_id.clone()));
                    format!("Linked {code} to QuickBooks' {list_id}.")
                }
                Resolution::KeepLocal => {
                    s.kept_local.push(code.clone());
                    format!(
                        "{code} is unlinked and kept in SMSTurbo only: it is not offered for \
                         export to this company again."
                    )
                }
                Resolution::OfferAgain => {
                    format!("{code} is offered for export to this company again.")
                }
            };
            (missing_only, message)
        };
        let view = self.plan(missing_only, false, progress)?;
        Ok((message, view))
    }

    fn preview(&mut self, sel: &CheckedRows) -> Result<RunPreview, Explanation> {
        let s = self.state();
        let (plan, snapshot) = s.plan.as_ref().ok_or_else(backend::not_connected)?;
        plan_view::preview(plan, snapshot, &sel.rows).map_err(backend::stale_plan)
    }

    /// Does what the plan says for the checked rows, batch by batch: exports become QuickBooks
    /// customers (unless QuickBooks refuses the name), imports and replacements change SMSTurbo.
    fn run(
        &mut self,
        sel: &CheckedRows,
        progress: &mut dyn FnMut(ProgressUpdate),
        cancel: &CancelFlag,
    ) -> Result<RunReport, Explanation> {
        let (plan, snapshot, before) = {
            let mut s = self.state();
            let (plan, snapshot) = s.plan.take().ok_or_else(backend::not_connected)?;
            (plan, snapshot, s.customers.clone())
        };
        let layout = RowLayout::of(&plan);
        let (mut exports, mut imports, mut pairs) = (Vec::new(), Vec::new(), Vec::new());
        for &id in &sel.rows {
            match layout.planned(id).ok_or_else(|| backend::stale_plan(id))? {
                Planned::Export(i) => exports.push(&plan.exports[i]),
                Planned::Import(i) => imports.push(&plan.imports[i]),
                Planned::Pair(i) => pairs.push(&plan.pairs[i]),
                // Added again: an export whose link follows the new customer.
                Planned::Stale(i) => exports.push(&plan.stale[i].again),
                Planned::Kept(i) => exports.push(&plan.kept_local[i].again),
            }
        }
        let mut report = sync::RunReport::default();
        if sel.add_missing_list_entries && !exports.is_empty() {
            let mut s = self.state();
            for t in &plan.missing_types {
                let (sync::plan::MissingType::CustomerType(name)
                | sync::plan::MissingType::JobType(name)) = t;
                s.customer_types.push(name.clone());
                report.types_added.push(t.to_string());
            }
        }
        let sent = self.in_batches(Phase::Exporting, exports.len(), progress, cancel, |s, k| {
            let row = exports[k];
            let local = &snapshot.locals[row.local];
            let name = row.add.data.get(Field::Name).unwrap_or("");
            let refusal = s
                .refused_at_add
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name));
            match refusal {
                Some(&(_, list)) => report.failures.push(sync::Failure {
                    code: local.code().to_string(),
                    name: local.name().to_string(),
                    explanation: explain_status(
                        3100,
                        &StatusContext {
                            customer: Some(local.name()),
                            name: Some(name),
                            owner: Some(NameOwner::Other(list)),
                            ..StatusContext::default()
                        },
                    ),
                }),
                None => {
                    s.qb.push(Customer {
                        data: row.add.data.clone(),
                        status: CustomerStatus::Active,
                        qb_name: None,
                        qb_spellings: Default::default(),
                    });
                    let code = local.code().to_string();
                    let list_id = fake_list_id(s.qb.len() - 1);
                    s.links.retain(|(c, _)| *c != code);
                    s.kept_local.retain(|c| *c != code);
                    s.links.push((code, list_id));
                    report.added += 1;
                }
            }
        });
        report.not_sent = exports.len() - sent;
        self.in_batches(Phase::Importing, imports.len(), progress, cancel, |s, k| {
            s.customers.push(imports[k].customer.clone());
            report.imported += 1;
        });
        self.in_batches(Phase::Replacing, pairs.len(), progress, cancel, |s, k| {
            let row = pairs[k];
            let qb = &snapshot.qb[row.qb].data;
            let Some(c) = s.customer_mut(snapshot.locals[row.local].code()) else {
                return;
            };
            for d in row.diffs.iter().filter(|d| d.applies) {
                c.data.set_opt(d.field, qb.get(d.field));
                report.values_changed += 1;
            }
            if let Some(st) = row.status.filter(|st| st.applies) {
                c.status = st.replacement;
            }
            report.updated += usize::from(row.has_changes());
        });
        report.cancelled = cancel.cancelled();
        let mut s = self.state();
        s.customers.sort_by(|a, b| a.code().cmp(b.code()));
        let id = RunId(s.history.len() as i64 + 1);
        let undoable = report.imported + report.updated > 0;
        if undoable {
            s.undo.insert(id, before);
        }
        let lines = exports
            .iter()
            .map(|r| format!("exported  {}", snapshot.locals[r.local].code()))
            .chain(
                imports
                    .iter()
                    .map(|r| format!("imported  {}", r.customer.code())),
            )
            .chain(
                pairs
                    .iter()
                    .map(|r| format!("replaced  {}", snapshot.locals[r.local].code())),
            )
            .collect();
        s.entries.insert(id, lines);
        let view = backend::run_report(&report);
        let mut details = vec![
            format!("{} added to QuickBooks", report.added),
            format!("{} imported into SMSTurbo", report.imported),
            format!("{} updated in SMSTurbo", report.updated),
        ];
        details.extend(
            view.failures
                .iter()
                .map(|f| format!("failed: {}: {}", f.customer, f.message)),
        );
        let company = s.company_name.clone();
        s.history.insert(
            0,
            HistoryEntry {
                id: HistoryId::Run(id),
                when: format!("2026-03-{:02} 10:{:02}", 1 + id.0 % 28, id.0 % 60),
                company,
                summary: format!(
                    "{} exported, {} imported, {} updated, {} failed{}",
                    report.added,
                    report.imported,
                    report.updated,
                    report.failures.len(),
                    if report.cancelled { " (stopped)" } else { "" }
                ),
                undoable,
                details,
            },
        );
        Ok(view)
    }

    fn history(&mut self) -> Result<Vec<HistoryEntry>, Explanation> {
        Ok(self.state().history.clone())
    }

    /// Known once connected, as the real back end reads them then.
    fn qb_list_names(&mut self) -> Result<QbListNames, Explanation> {
        let s = self.state();
        if s.lists_unreadable {
            return Err(backend::explain_store(&StoreError::Locked));
        }
        if !s.lists_read {
            return Ok(QbListNames::default());
        }
        Ok(QbListNames {
            customer_types: s.customer_types.clone(),
            job_types: vec!["Install".into(), "Repair".into()],
            terms: vec!["Due on receipt".into(), "Net 15".into(), "Net 30".into()],
        })
    }

    fn run_entries(&mut self, run: RunId) -> Result<Vec<String>, Explanation> {
        Ok(self.state().entries.get(&run).cloned().unwrap_or_default())
    }

    fn undo(&mut self, what: HistoryId) -> Result<String, Explanation> {
        let mut s = self.state();
        let run = match what {
            HistoryId::Run(run) => run,
            HistoryId::Deletion(id) => {
                let Some(c) = s.deleted.remove(&id) else {
                    return Err(backend::explain_store(&StoreError::UnknownDeletion(id)));
                };
                let message = format!("Restored {} ({}) as it was.", c.name(), c.code());
                s.customers.push(c);
                s.customers.sort_by(|a, b| a.code().cmp(b.code()));
                if let Some(e) = s.history.iter_mut().find(|e| e.id == what) {
                    e.undoable = false;
                    e.summary.push_str(" (restored)");
                }
                return Ok(message);
            }
        };
        let Some(before) = s.undo.remove(&run) else {
            return Err(Explanation::new(
                "Nothing to undo",
                "This run has no local changes left to undo.",
                "Choose another run.",
            ));
        };
        s.customers = before;
        if let Some(e) = s.history.iter_mut().find(|e| e.id == what) {
            e.undoable = false;
            e.summary.push_str(" — undone");
        }
        Ok(format!("Undid the local changes of run {}.", run.0))
    }

    fn write_qwc(&mut self) -> Result<PathBuf, Explanation> {
        let p = PathBuf::from("/demo/custsync.qwc");
        self.state().qwc_written = Some(p.clone());
        Ok(p)
    }

    fn apply_fix(&mut self, fix: SandboxFix) -> Result<String, Explanation> {
        let mut s = self.state();
        Ok(match fix {
            SandboxFix::AllowAutoLogin => {
                s.auto_login_allowed = true;
                "The sandbox now lets custsync log in automatically.".into()
            }
            SandboxFix::SetOpenInQuickBooks(open) => {
                s.qb_running = open;
                format!(
                    "The sandbox QuickBooks has the file {}.",
                    if open { "open" } else { "closed" }
                )
            }
            SandboxFix::ForgetAccess => {
                s.access = Grant::None;
                "The sandbox will ask the Application Certificate question again.".into()
            }
        })
    }

    fn set_web_connector_password(&mut self, password: &str) -> Result<(), SaveError> {
        crate::qb::webconnector::auth::validate_password(password).map_err(|e| {
            SaveError::Invalid(vec![FieldError::new(
                "connection.web_connector.password",
                e.to_string(),
            )])
        })?;
        self.state().password_set = true;
        Ok(())
    }

    fn sandbox_status(&mut self) -> Result<Option<SandboxStatus>, Explanation> {
        let s = self.state();
        if s.config.connection.kind != ConnectionKind::Sandbox {
            return Ok(None);
        }
        Ok(Some(SandboxStatus {
            open_in_quickbooks: s.qb_running,
            access: backend::access_words(&s.access),
            auto_login: s.auto_login_allowed,
        }))
    }
}
