//! A workspace beside a sandbox company, for the tests of what custsync does when QuickBooks
//! changes underneath its links (issue 8): the same workspace is synchronized through the sync
//! core (as the screen's back end drives it), the `custsync sync` binary, and the scheduled run
//! `custsync serve` performs; between runs a QuickBooks user deletes, merges, renames, moves
//! customers under a parent…
//!
//! After every step a test checks the two promises: no name, account number or ExternalGUID
//! appears in QuickBooks more often than before ([`Census`]), and the journal is true
//! ([`Journal::check_step`]).

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use custsync::config::Config;
use custsync::qb::sandbox::{AppPrefs, CompanyFile, Grant, SandboxConnection};
use custsync::qb::{Connection, NoPrompt};
use custsync::qbxml::{CustomerAdd, CustomerData, CustomerRet, Field, RequestBody};
use custsync::store::{
    Customer, CustomerStatus, EntryKind, RunOutcome, Store, StoreRead, Workspace,
};
use custsync::sync::scheduled::{ScheduledReport, ScheduledSync};
use custsync::sync::{
    ApplyOptions, Mode, NoProgress, Planned, RunReport, Selection, SyncEngine, SyncError,
};

pub struct World {
    _tmp: tempfile::TempDir,
    pub ws: PathBuf,
    pub company: PathBuf,
    /// What `custsync serve` keeps between the Web Connector's calls (made at the first
    /// scheduled run, with the setup of that moment).
    serve: std::cell::RefCell<Option<ScheduledSync>>,
}

impl World {
    /// An empty workspace whose setup names an empty sandbox company; custsync is allowed in
    /// whenever the file is open, and QuickBooks has it open. Scheduled runs export and import
    /// everything missing.
    pub fn new() -> World {
        let tmp = tempfile::tempdir().expect("temp dir");
        let ws = tmp.path().join("ws");
        let company = ws.join("Test Co.QBW");
        let workspace = Workspace::open(Some(&ws)).expect("workspace");
        let file = CompanyFile::create(&company, "Test Co").expect("company");
        let mut prefs = AppPrefs::new(custsync::qb::APP_NAME);
        prefs.grant = Grant::WhenOpen;
        file.set_app_prefs(&prefs).expect("prefs");
        file.set_open_in_quickbooks(true).expect("open");
        let mut config = Config {
            company_file: company.display().to_string(),
            ..Config::default()
        };
        config.schedule.export_missing = true;
        config.schedule.import_missing = true;
        workspace.save_config(&config).expect("config");
        workspace.open_store().expect("store");
        World {
            _tmp: tmp,
            ws,
            company,
            serve: std::cell::RefCell::new(None),
        }
    }

    pub fn config(&self) -> Config {
        Config::load(&self.ws.join("config.toml")).expect("config")
    }

    pub fn set_config(&self, change: impl FnOnce(&mut Config)) {
        let mut c = self.config();
        change(&mut c);
        let ws = Workspace::open(Some(&self.ws)).expect("workspace");
        ws.save_config(&c).expect("config");
        // `serve` is restarted after a change of setup.
        self.serve.replace(None);
    }

    /// A connection to the workspace's database beside whoever holds the workspace.
    pub fn store(&self) -> Store {
        Store::open(self.ws.join("custsync.db")).expect("store")
    }

    pub fn local(&self, code: &str, name: &str, fields: &[(Field, &str)]) {
        let mut c = Customer::new(code, name, CustomerStatus::Active);
        for (f, v) in fields {
            c.data.set(*f, v);
        }
        self.store().create_customer(&c).expect("customer");
    }

    pub fn file(&self) -> CompanyFile {
        CompanyFile::open(&self.company).expect("sandbox company")
    }

    /// Adds a customer in QuickBooks, as its own user would; returns its ListID.
    pub fn qb_customer(&self, name: &str, fields: &[(Field, &str)]) -> String {
        let mut data = CustomerData::new().with(Field::Name, name);
        for (f, v) in fields {
            data.set(*f, v);
        }
        let r = custsync::testkit::sandbox_requests(
            &self.company,
            vec![RequestBody::CustomerAdd(Box::new(CustomerAdd {
                data,
                ..Default::default()
            }))],
        );
        match &r[0].body {
            custsync::qbxml::ResponseBody::Customers(c) => c[0].list_id.clone(),
            other => panic!("CustomerAdd answered {other:?}"),
        }
    }

    /// Every QuickBooks customer and job.
    pub fn qb_all(&self) -> Vec<CustomerRet> {
        qb_all(&self.company)
    }

    pub fn qb_named(&self, name: &str) -> Vec<CustomerRet> {
        self.qb_all()
            .into_iter()
            .filter(|c| {
                c.data
                    .get(Field::Name)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .collect()
    }

    pub fn census(&self) -> Census {
        Census::of(&self.qb_all())
    }

    /// What the step about to run starts from, to check it afterwards.
    pub fn before(&self) -> Before {
        Before::take(&self.company, &self.store())
    }

    /// Checks both promises for the step since `before`.
    pub fn check_step(&self, before: &Before, step: &str) {
        before.check(&self.company, &self.store(), step);
    }

    // ---- the three ways a synchronization runs ----

    /// A scheduled run, as `custsync serve` makes it when the Web Connector calls.
    pub fn scheduled(&self) -> Result<ScheduledReport, SyncError> {
        self.scheduled_over(&mut SandboxConnection::new(&self.company))
    }

    pub fn scheduled_over(
        &self,
        connection: &mut dyn Connection,
    ) -> Result<ScheduledReport, SyncError> {
        // `serve` holds the workspace while it runs.
        let ws = Workspace::open(Some(&self.ws)).expect("workspace");
        let mut serve = self.serve.borrow_mut();
        let work =
            serve.get_or_insert_with(|| ScheduledSync::new(&ws, ws.load_config().expect("config")));
        work.run_once(connection)
    }

    /// A synchronization at the screen, on the real back end: Synchronize, the right company,
    /// missing customers only, every row of both panes checked ("a"), synchronize ("y"), yes. Returns
    /// the screens seen on the way, for what they said.
    pub fn screen_run(&self) -> String {
        use custsync::tui::keymap::Key::{Char, Enter, Tab};
        let ws = Workspace::open(Some(&self.ws)).expect("workspace");
        let config = ws.load_config().expect("config");
        let backend =
            custsync::tui::backend::RealBackend::new(ws, config.clone(), None).expect("back end");
        let mut h = custsync::tui::testing::Harness::start(
            backend,
            (),
            config,
            self.ws.clone(),
            (120, 40),
            custsync::tui::theme::Theme::plain(),
        );
        let mut seen = String::new();
        let mut look = |h: &mut custsync::tui::testing::Harness<()>| {
            let s = h.screen();
            seen.push_str(&s);
            s
        };
        h.press(Char('y'));
        assert!(look(&mut h).contains("Confirm company"), "{seen}");
        h.press(Char('y'));
        h.press(Char('y'));
        if look(&mut h).contains("Before you choose") {
            h.press(Enter);
        }
        h.press(Char('a'))
            .press(Tab)
            .press(Char('a'))
            .press(Char('y'));
        let s = look(&mut h);
        if s.contains("Nothing is checked") {
            return seen;
        }
        assert!(s.contains("This will happen"), "{seen}");
        h.press(Char('y'));
        let s = look(&mut h);
        assert!(
            s.contains("Export Completed") || s.contains("stopped part-way"),
            "{seen}"
        );
        seen
    }

    /// `custsync ARGS` on this workspace.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_custsync"))
            .arg("--workspace")
            .arg(&self.ws)
            .args(args)
            .env_remove("CUSTSYNC_FAULT")
            .env_remove("CUSTSYNC_TRACE_DIR")
            .output()
            .expect("custsync runs")
    }

    /// `custsync sync --json ARGS`: the exit code and the JSON document.
    pub fn cli_json(&self, args: &[&str]) -> (Option<i32>, serde_json::Value) {
        let mut all = vec!["sync", "--json"];
        all.extend_from_slice(args);
        let out = self.cli(&all);
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "custsync sync --json printed no JSON ({e}):\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code(), v)
    }

    /// Connects, reads both sides and plans in `mode` over `conn`, as the screen's back end does.
    pub fn planned_over(
        &self,
        conn: impl Connection + 'static,
        mode: Mode,
    ) -> Result<(Planned<'static>, Store), SyncError> {
        let mut store = self.store();
        let engine = SyncEngine::connect(conn, &mut NoPrompt, self.config(), None)?;
        let planned = engine
            .load(&mut store, &mut NoProgress)?
            .plan(mode, &mut NoProgress)?;
        Ok((planned, store))
    }

    pub fn planned(&self, mode: Mode) -> (Planned<'static>, Store) {
        self.planned_over(SandboxConnection::new(&self.company), mode)
            .expect("planned")
    }

    /// Plans and applies what `choose` selects from the plan.
    pub fn engine_run(
        &self,
        mode: Mode,
        options: &ApplyOptions,
        choose: impl FnOnce(&Planned<'_>) -> Selection,
    ) -> Result<RunReport, SyncError> {
        let (planned, mut store) = self.planned(mode);
        let selection = choose(&planned);
        planned.apply(&mut store, &selection, options, &mut NoProgress)
    }

    /// Every export and import candidate without problems checked, as "check all" does.
    pub fn engine_all(&self) -> Result<RunReport, SyncError> {
        self.engine_run(Mode::MissingOnly, &ApplyOptions::default(), all_of)
    }
}

/// What "check all" in both panes selects.
pub fn all_of(p: &Planned<'_>) -> Selection {
    let s = p.snapshot();
    Selection {
        exports: p.plan().exportable(&s.locals).map(str::to_string).collect(),
        imports: p.plan().importable(&s.qb).map(str::to_string).collect(),
        ..Selection::default()
    }
}

/// What a step starts from.
pub struct Before {
    pub census: Census,
    pub journal: Journal,
    pub qb_ids: BTreeSet<String>,
    pub codes: BTreeSet<String>,
}

impl Before {
    /// The sandbox company at `company` and the SMSTurbo database `store` before a step.
    pub fn take(company: &Path, store: &Store) -> Before {
        let qb = qb_all(company);
        Before {
            census: Census::of(&qb),
            journal: Journal::read(store),
            qb_ids: qb.into_iter().map(|c| c.list_id).collect(),
            codes: store
                .customers()
                .expect("customers")
                .iter()
                .map(|c| c.code().to_lowercase())
                .collect(),
        }
    }

    /// Both promises for the step since `self`: no new duplicate in QuickBooks, and a true
    /// journal.
    pub fn check(&self, company: &Path, store: &Store, step: &str) {
        let qb = qb_all(company);
        let new = Census::of(&qb).new_duplicates(&self.census);
        assert!(
            new.is_empty(),
            "{step}: QuickBooks now holds duplicates it did not hold before: {new:?}"
        );
        Journal::read(store).check_step(self, &qb, store, step);
    }
}

/// Every customer and job of the sandbox company at `company`.
pub fn qb_all(company: &Path) -> Vec<CustomerRet> {
    CompanyFile::open(company)
        .expect("sandbox company")
        .customer_list()
        .expect("customer list")
}

/// How often each name, account number and ExternalGUID occurs in QuickBooks, jobs included
/// (a job named like a top-level customer is the duplicate a customer made a job leaves behind
/// when it is added again). Names and account numbers are compared as QuickBooks compares names:
/// ignoring case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Census {
    counts: HashMap<(&'static str, String), usize>,
}

impl Census {
    pub fn of(customers: &[CustomerRet]) -> Census {
        let mut counts = HashMap::new();
        for c in customers {
            let keys = [
                ("name", c.data.get(Field::Name).map(str::to_lowercase)),
                (
                    "account number",
                    c.data.get(Field::AccountNumber).map(str::to_lowercase),
                ),
                ("ExternalGUID", c.external_guid.clone()),
            ];
            for (what, value) in keys {
                if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                    *counts.entry((what, v.trim().to_string())).or_insert(0) += 1;
                }
            }
        }
        Census { counts }
    }

    /// Values held more than once now, and more often than before.
    pub fn new_duplicates(&self, before: &Census) -> Vec<String> {
        let mut out: Vec<String> = self
            .counts
            .iter()
            .filter(|(k, n)| **n > 1 && **n > before.counts.get(*k).copied().unwrap_or(0))
            .map(|((what, v), n)| format!("{what} {v:?} ×{n}"))
            .collect();
        out.sort();
        out
    }
}

/// The journal as a step sees it.
pub struct Journal {
    pub runs: Vec<custsync::store::Run>,
}

impl Journal {
    pub fn read(store: &Store) -> Journal {
        Journal {
            runs: store.runs(10_000).expect("runs"),
        }
    }

    pub fn last_run(&self) -> i64 {
        self.runs.first().map_or(0, |r| r.id.0)
    }

    /// The journal is true for the step since `before`:
    /// - every run of the step finished, with an outcome;
    /// - the customers QuickBooks gained are exactly those journaled `exported` (by ListID);
    /// - the SMSTurbo customers gained are exactly those journaled `imported`;
    /// - a run that changed something is not `nothing_done`; a run that did not end `done`
    ///   says why in an entry (a failure, or why it stopped).
    pub fn check_step(&self, before: &Before, qb: &[CustomerRet], store: &Store, step: &str) {
        let since = before.journal.last_run();
        let mut exported = BTreeSet::new();
        let mut imported = BTreeSet::new();
        for run in self.runs.iter().filter(|r| r.id.0 > since) {
            assert!(
                run.finished_at.is_some() && run.outcome.is_some(),
                "{step}: run {} did not finish: {run:?}",
                run.id
            );
            let entries = store.run_entries(run.id).expect("entries");
            for e in &entries {
                match e.kind {
                    EntryKind::Exported => {
                        exported.insert(e.list_id.clone().unwrap_or_default());
                    }
                    EntryKind::Imported => {
                        imported.insert(e.code.to_lowercase());
                    }
                    _ => {}
                }
            }
            let changed = entries.iter().any(|e| {
                matches!(
                    e.kind,
                    EntryKind::Exported | EntryKind::Imported | EntryKind::Replaced
                )
            });
            let outcome = run.outcome.unwrap_or(RunOutcome::NothingDone);
            assert!(
                !(changed && outcome == RunOutcome::NothingDone),
                "{step}: run {} changed something but is journaled nothing_done: {entries:?}",
                run.id
            );
            if matches!(outcome, RunOutcome::NothingDone | RunOutcome::Partial) {
                assert!(
                    entries.iter().any(|e| e.kind != EntryKind::Exported
                        && e.kind != EntryKind::Imported
                        && e.status_message.is_some()),
                    "{step}: run {} ended {outcome:?} without an entry saying why: {entries:?}",
                    run.id
                );
            }
        }
        let gained: BTreeSet<String> = qb
            .iter()
            .map(|c| c.list_id.clone())
            .filter(|id| !before.qb_ids.contains(id))
            .collect();
        assert_eq!(
            gained, exported,
            "{step}: QuickBooks gained customers the journal does not show as exported, or the \
             other way round"
        );
        let codes: BTreeSet<String> = store
            .customers()
            .expect("customers")
            .iter()
            .map(|c| c.code().to_lowercase())
            .filter(|c| !before.codes.contains(c))
            .collect();
        assert_eq!(
            codes, imported,
            "{step}: SMSTurbo gained customers the journal does not show as imported"
        );
    }
}

/// A connection that lets a QuickBooks user edit a customer while custsync reads the customer
/// list: after the first page of the first customer read, `edit` runs on the company file, so
/// QuickBooks' iterator meets that customer again at the end (the same ListID twice in one read).
pub struct EditMidRead {
    inner: SandboxConnection,
    company: PathBuf,
    edit: Option<Move>,
}

/// What a QuickBooks user does to the company file.
pub type Move = Box<dyn FnOnce(&mut CompanyFile) + Send>;

impl EditMidRead {
    pub fn new(company: &Path, edit: impl FnOnce(&mut CompanyFile) + Send + 'static) -> Self {
        EditMidRead {
            inner: SandboxConnection::new(company),
            company: company.to_path_buf(),
            edit: Some(Box::new(edit)),
        }
    }
}

impl Connection for EditMidRead {
    fn kind(&self) -> custsync::qb::ConnectionKind {
        self.inner.kind()
    }

    fn open(
        &mut self,
        prompt: &mut dyn custsync::qb::AccessPrompt,
    ) -> Result<custsync::qb::SessionInfo, custsync::qb::QbError> {
        self.inner.open(prompt)
    }

    fn process(&mut self, request: &str) -> Result<String, custsync::qb::QbError> {
        let response = self.inner.process(request)?;
        if request.contains("iterator=\"Start\"")
            && request.contains("<CustomerQueryRq")
            && let Some(edit) = self.edit.take()
        {
            let mut file = CompanyFile::open(&self.company).expect("company");
            edit(&mut file);
        }
        Ok(response)
    }

    fn close(&mut self) {
        self.inner.close();
    }
}

pub fn set(assignments: &[&str]) -> Vec<custsync::qb::sandbox::Assignment> {
    assignments
        .iter()
        .map(|a| a.parse().expect("assignment"))
        .collect()
}

/// The export codes and import names of a plan.
pub fn offered(p: &Planned<'_>) -> (Vec<String>, Vec<String>) {
    let s = p.snapshot();
    (
        p.plan()
            .exports
            .iter()
            .map(|r| s.locals[r.local].code().to_string())
            .collect(),
        p.plan()
            .imports
            .iter()
            .map(|r| r.customer.code().to_string())
            .collect(),
    )
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
