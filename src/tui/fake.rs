//! An in-memory back end for tests, screenshots and trying the TUI (`cargo run --example
//! tui_fake`). It imitates the real one closely enough to walk the whole workflow: a sandbox
//! company with its Integrated Applications state, a little matcher and differ, batches with
//! progress and cancel, a journal with undo. It is not the sync core and decides nothing for it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::config::{Config, ConnectionKind};
use crate::qb::access::{AccessPrompt, CertificateAnswer, CertificateRequest};
use crate::qb::hresult;
use crate::qbxml::Field;
use crate::store::{Customer, CustomerStatus};
use crate::sync::ReplaceGroup;

use super::view::{
    Column, CompanyInfo, Explanation, Failure, FieldDiff, HistoryEntry, ProgressUpdate, RowDetail,
    RowId, RowKind, RunId, RunPreview, RunReport, SandboxFix, SandboxStatus, Selection, SyncPane,
    SyncRow, SyncView, WebConnectorWait,
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
    pub other_names: Vec<(String, &'static str)>,
    /// Names QuickBooks refuses only when the customer is added (found at run time).
    pub refused_at_add: Vec<(String, &'static str)>,
    /// Customer types the company has.
    pub customer_types: Vec<String>,
    /// How custsync was authorized in the company's Integrated Applications, if it was.
    pub access: Option<CertificateAnswer>,
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
    plan: HashMap<RowId, Planned>,
    undo: HashMap<RunId, Vec<Customer>>,
}

#[derive(Clone, Debug)]
enum Planned {
    Export(usize),
    Import(usize),
    Pair { local: usize, qb: usize },
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
                ("ACME Supply".into(), "a vendor"),
                ("Pat Smith".into(), "an employee"),
            ],
            refused_at_add: vec![("Orbit Optics".into(), "an Other Names entry")],
            customer_types: vec!["Retail".into(), "Wholesale".into()],
            access: None,
            auto_login_allowed: false,
            qb_running: true,
            connected: false,
            history: Vec::new(),
            batch_size: 3,
            batch_delay: Duration::ZERO,
            qwc_written: None,
            password_set: false,
            plan: HashMap::new(),
            undo: HashMap::new(),
        }
    }

    fn company_info(&self) -> CompanyInfo {
        CompanyInfo {
            company_name: self.company_name.clone(),
            company_file: self.config.company_file.clone(),
            product: "QuickBooks Pro 2024 (custsync sandbox), qbXML 16.0".into(),
            customer_count: self.qb.len() as u64,
        }
    }

    fn used_elsewhere(&self, name: &str) -> Option<&'static str> {
        self.other_names
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, list)| *list)
    }

    /// What QuickBooks would object to in exporting `c`.
    fn problems(&self, c: &Customer) -> Vec<String> {
        let name = c.name_for_qb();
        let mut p = Vec::new();
        let max = Field::Name.max_len().unwrap_or(41);
        if name.chars().count() > max {
            p.push(format!(
                "The name has {} characters; QuickBooks allows {max}. Set a shorter QuickBooks name in Maintain Customer.",
                name.chars().count()
            ));
        }
        if let Some(list) = self.used_elsewhere(name) {
            p.push(format!(
                "QuickBooks already has {list} named '{name}'. Set a different QuickBooks name in Maintain Customer."
            ));
        }
        if let Some((f, v)) = c
            .data
            .iter()
            .find(|(_, v)| v.chars().any(|ch| u32::from(ch) > 0xFF))
        {
            p.push(format!(
                "{} '{v}' has characters QuickBooks cannot store (Latin-1 only). Edit it in Maintain Customer.",
                f.label()
            ));
        }
        p
    }

    /// Finds customers by code or by name (ignoring case and surrounding spaces) in one lookup,
    /// so 100,000 a side plan in a blink.
    fn index(list: &[Customer]) -> (HashMap<&str, usize>, HashMap<String, usize>) {
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, c) in list.iter().enumerate() {
            by_code.entry(c.code()).or_insert(i);
            by_name.entry(c.name().trim().to_lowercase()).or_insert(i);
        }
        (by_code, by_name)
    }

    fn find(index: &(HashMap<&str, usize>, HashMap<String, usize>), c: &Customer) -> Option<usize> {
        index
            .0
            .get(c.code())
            .or_else(|| index.1.get(&c.name().trim().to_lowercase()))
            .copied()
    }

    fn type_included(&self, c: &Customer) -> bool {
        let types = &self.config.import.include_customer_types;
        types.is_empty()
            || c.data.get(Field::CustomerType).is_some_and(|t| {
                types.iter().any(|want| {
                    t.eq_ignore_ascii_case(want)
                        || t.to_lowercase()
                            .starts_with(&format!("{}:", want.to_lowercase()))
                })
            })
    }

    fn build_plan(&mut self, missing_only: bool) -> SyncView {
        let mut left = Vec::new();
        let mut right = Vec::new();
        let mut plan = HashMap::new();
        let mut next = 0u64;
        let mut id = || {
            next += 1;
            RowId(next)
        };
        let record = |c: &Customer| RowDetail {
            record: c
                .data
                .iter()
                .map(|(f, v)| (f.label(), v.to_string()))
                .collect(),
            diffs: Vec::new(),
        };
        let qb_index = Self::index(&self.qb);
        let local_index = Self::index(&self.customers);
        for (li, c) in self.customers.iter().enumerate() {
            match Self::find(&qb_index, c) {
                None if self.config.export.statuses.contains(&c.status) => {
                    let rid = id();
                    plan.insert(rid, Planned::Export(li));
                    left.push(SyncRow {
                        id: rid,
                        kind: RowKind::Export,
                        name: format!("{} ({})", c.name(), c.code()),
                        cells: vec![c.code().into(), c.name().into(), c.status.to_string()],
                        problems: self.problems(c),
                        detail: record(c),
                    });
                }
                None => {}
                Some(qi) if !missing_only => {
                    let r = &self.qb[qi];
                    let mut diffs: Vec<FieldDiff> = c
                        .data
                        .differing_fields(&r.data)
                        .map(|f| FieldDiff {
                            label: f.label(),
                            smsturbo: c.data.get(f).unwrap_or("").into(),
                            quickbooks: r.data.get(f).unwrap_or("").into(),
                            applies: ReplaceGroup::of(f)
                                .is_some_and(|g| self.config.replace.groups.contains(&g)),
                        })
                        .collect();
                    if c.status.is_active_in_qb() != r.status.is_active_in_qb() {
                        diffs.push(FieldDiff {
                            label: "Active status",
                            smsturbo: c.status.to_string(),
                            quickbooks: if r.status.is_active_in_qb() {
                                "active".into()
                            } else {
                                "inactive".into()
                            },
                            applies: self
                                .config
                                .replace
                                .groups
                                .contains(&ReplaceGroup::ActiveStatus),
                        });
                    }
                    if diffs.is_empty() {
                        continue;
                    }
                    let rid = id();
                    plan.insert(rid, Planned::Pair { local: li, qb: qi });
                    let detail = RowDetail {
                        record: Vec::new(),
                        diffs,
                    };
                    left.push(SyncRow {
                        id: rid,
                        kind: RowKind::NotInSync,
                        name: format!("{} ({})", c.name(), c.code()),
                        cells: vec![c.code().into(), c.name().into(), c.status.to_string()],
                        problems: Vec::new(),
                        detail: detail.clone(),
                    });
                    right.push(SyncRow {
                        id: rid,
                        kind: RowKind::NotInSync,
                        name: r.name().to_string(),
                        cells: vec![
                            r.name().into(),
                            r.code().into(),
                            r.data.get(Field::CustomerType).unwrap_or("").into(),
                        ],
                        problems: Vec::new(),
                        detail,
                    });
                }
                Some(_) => {}
            }
        }
        for (qi, r) in self.qb.iter().enumerate() {
            if Self::find(&local_index, r).is_some() || !self.type_included(r) {
                continue;
            }
            let rid = id();
            plan.insert(rid, Planned::Import(qi));
            right.push(SyncRow {
                id: rid,
                kind: RowKind::Import,
                name: r.name().to_string(),
                cells: vec![
                    r.name().into(),
                    r.code().into(),
                    r.data.get(Field::CustomerType).unwrap_or("").into(),
                ],
                problems: Vec::new(),
                detail: record(r),
            });
        }
        self.plan = plan;
        let mut view = SyncView {
            company_name: self.company_name.clone(),
            missing_only,
            smsturbo: SyncPane {
                title: "SMSTurbo".into(),
                columns: vec![
                    Column::fixed("Code", 7),
                    Column::fill("Name", 12, 3),
                    Column::fixed("Status", 8),
                ],
                rows: left,
            },
            quickbooks: SyncPane {
                title: "QuickBooks".into(),
                columns: vec![
                    Column::fill("Name", 12, 3),
                    Column::fixed("Acct no.", 8),
                    Column::fill("Type", 6, 1),
                ],
                rows: right,
            },
            summary: String::new(),
            notices: Vec::new(),
        };
        if !missing_only {
            // Marked as the real back end marks them.
            for pane in [&mut view.smsturbo, &mut view.quickbooks] {
                pane.columns.insert(0, Column::fixed("", 1));
                for r in &mut pane.rows {
                    r.cells
                        .insert(0, super::plan_view::marker(r.kind).to_string());
                }
            }
            view.summary = "+ missing · ≠ differs".into();
        }
        view
    }

    fn planned(&self, sel: &Selection) -> Vec<Planned> {
        sel.rows
            .iter()
            .filter_map(|id| self.plan.get(id).cloned())
            .collect()
    }

    fn replaced_fields(&self, local: usize, qb: usize) -> Vec<Field> {
        let (c, r) = (&self.customers[local], &self.qb[qb]);
        c.data
            .differing_fields(&r.data)
            .filter(|&f| {
                ReplaceGroup::of(f).is_some_and(|g| self.config.replace.groups.contains(&g))
            })
            .collect()
    }
}

fn not_running(file: &str) -> Explanation {
    refused(hresult::COULD_NOT_START_QB, file)
}

/// QuickBooks' refusal as the real back end words it: the catalog, plus the sandbox's help.
fn refused(code: u32, file: &str) -> Explanation {
    let catalog = crate::qb::explain::explain_hresult(code);
    super::backend::with_sandbox_help(
        Explanation::from(&catalog),
        &catalog,
        Some(code),
        std::path::Path::new(file),
    )
}

impl Backend for FakeBackend {
    fn load_customers(&mut self) -> Result<Vec<Customer>, Explanation> {
        Ok(self.state().customers.clone())
    }

    fn save_customer(
        &mut self,
        original: Option<&str>,
        c: &Customer,
    ) -> Result<Customer, SaveError> {
        let mut s = self.state();
        let mut errors = Vec::new();
        if c.code().trim().is_empty() {
            errors.push(FieldError::new("code", "a code is required"));
        }
        if c.name().trim().is_empty() {
            errors.push(FieldError::new("name", "a name is required"));
        }
        if original != Some(c.code()) && s.customers.iter().any(|x| x.code() == c.code()) {
            errors.push(FieldError::new(
                "code",
                format!("another customer already has code {}", c.code()),
            ));
        }
        if !errors.is_empty() {
            return Err(SaveError::Invalid(errors));
        }
        s.customers.retain(|x| Some(x.code()) != original);
        s.customers.push(c.clone());
        s.customers.sort_by(|a, b| a.code().cmp(b.code()));
        Ok(c.clone())
    }

    fn delete_customer(&mut self, code: &str) -> Result<(), Explanation> {
        let mut s = self.state();
        let before = s.customers.len();
        s.customers.retain(|c| c.code() != code);
        if s.customers.len() == before {
            return Err(Explanation::new(
                "Customer not found",
                format!("There is no customer with code {code} any more."),
                "The list has been reloaded; nothing was deleted.",
            ));
        }
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
        cancel: &dyn CancelFlag,
    ) -> Result<CompanyInfo, Explanation> {
        let mut s = self.state();
        if s.config.connection.kind == ConnectionKind::WebConnector {
            // Imitates a Web Connector that never calls: wait until cancelled.
            let wc = s.config.connection.web_connector.clone();
            let company_file = s.config.company_file.clone();
            drop(s);
            waiting(WebConnectorWait {
                url: super::backend::service_url(&wc),
                user_name: wc.user_name,
                company_file,
            });
            while !cancel.cancelled() {
                std::thread::sleep(Duration::from_millis(10));
            }
            return Err(Explanation::new(
                "Stopped waiting for the Web Connector",
                "You cancelled before the QuickBooks Web Connector called custsync.",
                "Synchronize again when the Web Connector is ready.",
            ));
        }
        if s.config.company_file.trim().is_empty() {
            return Err(Explanation::new(
                "No company file",
                "File Info is empty, so custsync does not know which company file to open.",
                "Fill File Info (F4 looks it up), then synchronize again.",
            ));
        }
        let file = s.config.company_file.clone();
        let mut just_granted = false;
        if s.access.is_none() {
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
                    s.access = Some(a);
                    just_granted = true;
                }
            }
        }
        match s.access.clone() {
            Some(CertificateAnswer::No) => return Err(refused(hresult::ACCESS_DENIED, &file)),
            Some(CertificateAnswer::Always { .. }) if !s.qb_running && !s.auto_login_allowed => {
                return Err(refused(hresult::AUTO_LOGIN_NOT_ALLOWED, &file));
            }
            Some(CertificateAnswer::Always { .. }) => {}
            Some(CertificateAnswer::PromptEachTime { .. }) if !just_granted => {
                let company_file = s.config.company_file.clone();
                drop(s);
                let allowed = prompt.allow_this_time(crate::qb::APP_NAME, &company_file);
                s = self.state();
                if allowed != Some(true) {
                    return Err(refused(hresult::ACCESS_DENIED, &file));
                }
                if !s.qb_running {
                    return Err(not_running(&file));
                }
            }
            _ if !s.qb_running => return Err(not_running(&file)),
            _ => {}
        }
        s.connected = true;
        Ok(s.company_info())
    }

    fn disconnect(&mut self) {
        self.state().connected = false;
    }

    fn plan(
        &mut self,
        missing_only: bool,
        _progress: &mut dyn FnMut(ProgressUpdate),
    ) -> Result<SyncView, Explanation> {
        Ok(self.state().build_plan(missing_only))
    }

    fn preview(&mut self, sel: &Selection) -> Result<RunPreview, Explanation> {
        let s = self.state();
        let items = s.planned(sel);
        let exports = items
            .iter()
            .filter(|p| matches!(p, Planned::Export(_)))
            .count();
        let imports = items
            .iter()
            .filter(|p| matches!(p, Planned::Import(_)))
            .count();
        let pairs: Vec<(usize, usize)> = items
            .iter()
            .filter_map(|p| match p {
                Planned::Pair { local, qb } => Some((*local, *qb)),
                _ => None,
            })
            .collect();
        let mut lines = Vec::new();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        if exports > 0 {
            lines.push(format!(
                "{exports} customer{} added to QuickBooks",
                plural(exports)
            ));
        }
        if imports > 0 {
            lines.push(format!(
                "{imports} customer{} imported into SMSTurbo",
                plural(imports)
            ));
        }
        let mut fields = BTreeSet::new();
        let mut updated = 0;
        for (l, q) in &pairs {
            let f = s.replaced_fields(*l, *q);
            if !f.is_empty() {
                updated += 1;
            }
            fields.extend(f);
        }
        if updated > 0 {
            let names: Vec<&str> = fields.iter().map(|f| f.label()).collect();
            lines.push(format!(
                "{updated} customer{} updated in SMSTurbo: {}",
                plural(updated),
                names.join(", ")
            ));
        }
        let unchanged = pairs.len() - updated;
        if unchanged > 0 {
            lines.push(format!(
                "{unchanged} not-in-sync customer{} left as they are (no checked Replace Option applies)",
                plural(unchanged)
            ));
        }
        lines.push("No existing QuickBooks customer is changed.".into());
        let mut missing = Vec::new();
        if exports > 0
            && let Some(t) = &s.config.export.customer_type
            && !s.customer_types.iter().any(|x| x.eq_ignore_ascii_case(t))
        {
            missing.push(format!("Customer type \"{t}\""));
        }
        Ok(RunPreview {
            lines,
            missing_list_entries: missing,
        })
    }

    fn run(
        &mut self,
        sel: &Selection,
        progress: &mut dyn FnMut(ProgressUpdate),
        cancel: &dyn CancelFlag,
    ) -> Result<RunReport, Explanation> {
        let items = self.state().planned(sel);
        let before = self.state().customers.clone();
        let (batch, delay) = {
            let s = self.state();
            (s.batch_size.max(1), s.batch_delay)
        };
        let exports: Vec<usize> = items
            .iter()
            .filter_map(|p| {
                if let Planned::Export(i) = p {
                    Some(*i)
                } else {
                    None
                }
            })
            .collect();
        let imports: Vec<usize> = items
            .iter()
            .filter_map(|p| {
                if let Planned::Import(i) = p {
                    Some(*i)
                } else {
                    None
                }
            })
            .collect();
        let pairs: Vec<(usize, usize)> = items
            .iter()
            .filter_map(|p| {
                if let Planned::Pair { local, qb } = p {
                    Some((*local, *qb))
                } else {
                    None
                }
            })
            .collect();
        let mut report = RunReport::default();
        let (mut added, mut imported, mut updated) = (0u64, 0u64, 0u64);
        let phases: [(&str, usize); 3] = [
            ("Adding customers to QuickBooks", exports.len()),
            ("Importing into SMSTurbo", imports.len()),
            ("Updating SMSTurbo", pairs.len()),
        ];
        'phases: for (phase, (name, total)) in phases.iter().enumerate() {
            if *total == 0 {
                continue;
            }
            let mut done = 0;
            progress(ProgressUpdate {
                phase: name.to_string(),
                done: 0,
                total: *total as u64,
                note: None,
            });
            while done < *total {
                if cancel.cancelled() {
                    report.cancelled = true;
                    break 'phases;
                }
                let end = (done + batch).min(*total);
                {
                    let mut s = self.state();
                    for k in done..end {
                        match phase {
                            0 => {
                                let c = s.customers[exports[k]].clone();
                                let name = c.name_for_qb().to_string();
                                let refused = s
                                    .refused_at_add
                                    .iter()
                                    .find(|(n, _)| n.eq_ignore_ascii_case(&name))
                                    .map(|(_, l)| *l);
                                if let Some(list) = refused.or_else(|| s.used_elsewhere(&name)) {
                                    report.failures.push(Failure {
                                        customer: c.name().into(),
                                        message: format!("QuickBooks already has {list} named '{name}' — rename the SMSTurbo customer's QuickBooks name and synchronize again"),
                                    });
                                } else {
                                    let mut r = c.clone();
                                    r.qb_name = None;
                                    r.data.set(Field::Name, &name);
                                    if let Some(t) = s.config.export.customer_type.clone() {
                                        r.data.set(Field::CustomerType, t);
                                    }
                                    s.qb.push(r);
                                    added += 1;
                                }
                            }
                            1 => {
                                let r = s.qb[imports[k]].clone();
                                s.customers.push(r);
                                imported += 1;
                            }
                            _ => {
                                let (l, q) = pairs[k];
                                let fields = s.replaced_fields(l, q);
                                if !fields.is_empty() {
                                    let r = s.qb[q].data.clone();
                                    for f in fields {
                                        s.customers[l].data.set_opt(f, r.get(f));
                                    }
                                    updated += 1;
                                }
                            }
                        }
                    }
                }
                done = end;
                progress(ProgressUpdate {
                    phase: name.to_string(),
                    done: done as u64,
                    total: *total as u64,
                    note: Some(format!(
                        "Batch {} of {}",
                        done.div_ceil(batch),
                        total.div_ceil(batch)
                    )),
                });
                if !delay.is_zero() {
                    std::thread::sleep(delay);
                }
            }
        }
        report.counts = vec![
            ("Added to QuickBooks".into(), added),
            ("Imported into SMSTurbo".into(), imported),
            ("Updated in SMSTurbo".into(), updated),
            ("Failed".into(), report.failures.len() as u64),
        ];
        let mut s = self.state();
        s.customers.sort_by(|a, b| a.code().cmp(b.code()));
        let id = RunId(s.history.len() as u64 + 1);
        let undoable = imported + updated > 0;
        if undoable {
            s.undo.insert(id, before);
        }
        let mut details = vec![
            format!("{added} added to QuickBooks"),
            format!("{imported} imported into SMSTurbo"),
            format!("{updated} updated in SMSTurbo"),
        ];
        details.extend(
            report
                .failures
                .iter()
                .map(|f| format!("failed: {}: {}", f.customer, f.message)),
        );
        let company = s.company_name.clone();
        s.history.insert(
            0,
            HistoryEntry {
                id,
                when: format!("2026-03-{:02} 10:{:02}", 1 + id.0 % 28, id.0 % 60),
                company,
                summary: format!(
                    "{added} exported, {imported} imported, {updated} updated, {} failed{}",
                    report.failures.len(),
                    if report.cancelled { " (stopped)" } else { "" }
                ),
                undoable,
                details,
            },
        );
        Ok(report)
    }

    fn history(&mut self) -> Result<Vec<HistoryEntry>, Explanation> {
        Ok(self.state().history.clone())
    }

    fn undo(&mut self, run: RunId) -> Result<String, Explanation> {
        let mut s = self.state();
        let Some(before) = s.undo.remove(&run) else {
            return Err(Explanation::new(
                "Nothing to undo",
                "This run has no local changes left to undo.",
                "Choose another run.",
            ));
        };
        s.customers = before;
        if let Some(e) = s.history.iter_mut().find(|e| e.id == run) {
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
                s.access = None;
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
            access: match &s.access {
                None => "not authorized yet".into(),
                Some(CertificateAnswer::No) => "No".into(),
                Some(CertificateAnswer::PromptEachTime { .. }) => "prompt each time".into(),
                Some(CertificateAnswer::WhenOpen { .. }) => "whenever the file is open".into(),
                Some(CertificateAnswer::Always { .. }) => "always".into(),
            },
            auto_login: s.auto_login_allowed,
        }))
    }
}
