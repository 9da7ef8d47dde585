//! Real synchronizations through the Web Connector: the emulated Web Connector over real HTTP,
//! the sandbox company standing in for QuickBooks behind it, and the sync core on the other side
//! — interactively (a thread driving `SyncEngine` over the connection Setup describes) and on a
//! schedule (`ScheduledSync`, what `custsync serve` runs).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::support::*;
use custsync::config::{Config, ConnectionKind};
use custsync::qb::sandbox::{AppPrefs, CompanyFile, Grant, SandboxClock, SandboxConnection, ids};
use custsync::qb::session::Session;
use custsync::qb::webconnector::emulator::{
    ConnectionQuickBooks, Emulator, HttpClient, UpdateOutcome, UpdateReport, request_envelope,
};
use custsync::qb::webconnector::soap::Method;
use custsync::qb::webconnector::{BridgeStatus, ScheduledWork, ServiceSettings, WaitHandle};
use custsync::qb::{APP_NAME, Connection, NoPrompt, QbError, connect};
use custsync::qbxml::{CustomerAdd, CustomerData, CustomerRet, Field, QbDateTime, RequestBody};
use custsync::store::{
    Customer, CustomerStatus, EntryKind, RunMode, RunOutcome, Store, StoreRead, Workspace,
};
use custsync::sync::scheduled::{Candidates, ScheduledSync};
use custsync::sync::{
    ApplyOptions, Mode, NoProgress, Plan, ReadRequest, ReadSummary, RunReport, Selection,
    SyncEngine, SyncError,
};

type Sandbox = ConnectionQuickBooks<SandboxConnection>;

/// A workspace (held, as the TUI or `custsync serve` holds it) with a sandbox company in it.
struct World {
    ws: Workspace,
    company: PathBuf,
    config: Config,
    _dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        Self::with_grant(Grant::WhenOpen, false, true)
    }

    fn with_grant(grant: Grant, auto_login: bool, open_in_quickbooks: bool) -> World {
        let dir = tempfile::tempdir().unwrap();
        let company = dir.path().join("Test Co.QBW");
        let file = CompanyFile::create(&company, "Test Co").unwrap();
        let mut prefs = AppPrefs::new(APP_NAME);
        prefs.grant = grant;
        prefs.auto_login = auto_login;
        file.set_app_prefs(&prefs).unwrap();
        file.set_open_in_quickbooks(open_in_quickbooks).unwrap();
        let ws = Workspace::open(Some(dir.path())).unwrap();
        stored_password().save(ws.dir()).unwrap();
        let mut config = Config {
            company_file: company.display().to_string(),
            ..Config::default()
        };
        config.connection.kind = ConnectionKind::WebConnector;
        config.connection.web_connector.listen = "127.0.0.1:0".into();
        config.connection.web_connector.user_name = USER.into();
        World {
            ws,
            company,
            config,
            _dir: dir,
        }
    }

    fn store(&self) -> Store {
        self.ws.open_store().unwrap()
    }

    fn local(&self, code: &str, name: &str, status: CustomerStatus) {
        self.store()
            .create_customer(&Customer::new(code, name, status))
            .unwrap();
    }

    /// Changes made by QuickBooks' own user, straight into the company file.
    fn qb_requests(&self, bodies: Vec<RequestBody>) -> Vec<custsync::qbxml::Response> {
        custsync::testkit::sandbox_requests(&self.company, bodies)
    }

    fn qb_customer(&self, name: &str, account: Option<&str>) {
        let mut data = CustomerData::new().with(Field::Name, name);
        if let Some(a) = account {
            data.set(Field::AccountNumber, a);
        }
        self.qb_requests(vec![RequestBody::CustomerAdd(Box::new(CustomerAdd {
            data,
            ..Default::default()
        }))]);
    }

    fn qb_all(&self) -> Vec<CustomerRet> {
        custsync::testkit::sandbox_customers(&self.company)
    }

    /// The QuickBooks customer names, sorted, duplicates kept.
    fn qb_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .qb_all()
            .iter()
            .filter_map(|c| c.data.get(Field::Name).map(str::to_string))
            .collect();
        names.sort();
        names
    }

    /// Every SMSTurbo code linked in this company, sorted, duplicates kept.
    fn linked_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .store()
            .links(&self.company.display().to_string())
            .unwrap()
            .into_iter()
            .map(|l| l.code)
            .collect();
        codes.sort();
        codes
    }

    /// QuickBooks as the emulated Web Connector reaches it: the sandbox, nobody at its screen.
    fn quickbooks(&self) -> Sandbox {
        ConnectionQuickBooks::new(SandboxConnection::new(&self.company), Box::new(NoPrompt))
    }

    fn emulator(&self, client: HttpClient) -> Emulator<Sandbox> {
        Emulator::new(client, self.quickbooks(), emulator_config())
    }

    /// The connection Setup describes (the service starts listening) and its wait handle.
    fn connect(&self) -> (Box<dyn Connection>, WaitHandle) {
        let (conn, wait) =
            connect::from_options_with_wait(self.config.connect_options(), self.ws.dir()).unwrap();
        (
            conn,
            wait.expect("the Web Connector connection has a wait handle"),
        )
    }
}

fn client_for(url: &str) -> HttpClient {
    let rest = url.strip_prefix("http://").expect("a loopback http URL");
    let (addr, path) = rest.split_at(rest.find('/').expect("a path"));
    HttpClient::plain(addr.parse::<SocketAddr>().unwrap(), path)
}

/// What the interactive synchronization's thread saw.
#[derive(Debug)]
struct Interactive {
    planned_exports: Vec<String>,
    planned_imports: Vec<String>,
    result: Result<RunReport, SyncError>,
}

/// An operator's synchronization on its own thread, as the TUI's worker runs it: connect, load,
/// plan (missing only), think for `think`, then apply every candidate without problems. Returns
/// once the synchronization waits for the Web Connector.
fn synchronize(
    w: &World,
    conn: Box<dyn Connection>,
    wait: &WaitHandle,
    think: Duration,
) -> JoinHandle<Result<Interactive, SyncError>> {
    let (db, config) = (w.ws.db_path(), w.config.clone());
    let core = thread::spawn(move || {
        let mut store = Store::open(&db).unwrap();
        let engine = SyncEngine::connect(conn, &mut NoPrompt, config, None)?;
        let loaded = engine.load(&mut store, &mut NoProgress)?;
        let planned = loaded.plan(Mode::MissingOnly, &mut NoProgress)?;
        let (snapshot, plan) = (planned.snapshot(), planned.plan());
        let selection = Selection {
            exports: Candidates::exports(plan, snapshot, false).chosen,
            imports: Candidates::imports(plan, snapshot).chosen,
            pairs: Vec::new(),
            ..Default::default()
        };
        let planned_imports = plan
            .imports
            .iter()
            .map(|r| r.customer.name().to_string())
            .collect();
        // The operator looks at the lists for longer than the service holds a call.
        thread::sleep(think);
        let result = planned.apply(
            &mut store,
            &selection,
            &ApplyOptions::default(),
            &mut NoProgress,
        );
        Ok(Interactive {
            planned_exports: selection.exports,
            planned_imports,
            result,
        })
    });
    wait_for("the synchronization to wait for the Web Connector", || {
        wait.status() == BridgeStatus::WaitingForWebConnector
    });
    core
}

/// Two SMSTurbo customers QuickBooks lacks, two QuickBooks customers SMSTurbo lacks, one pair
/// that matches by name.
fn seed(w: &World) {
    w.local("A100", "Alpha Shop", CustomerStatus::Active);
    w.local("B200", "Beta Books", CustomerStatus::Inactive);
    w.local("C300", "Gamma Garden", CustomerStatus::Active);
    w.qb_customer("Gamma Garden", None);
    w.qb_customer("Delta Diner", Some("D400"));
    w.qb_customer("Echo Engines", Some("E500"));
}

fn assert_seed_synchronized(w: &World) {
    assert_seed_synchronized_leaving_out(w, &[]);
    let store = w.store();
    assert_eq!(
        store.customer("D400").unwrap().unwrap().name(),
        "Delta Diner"
    );
    assert_eq!(store.count_customers().unwrap(), 5);
}

fn kinds(store: &Store, run: custsync::store::RunId, kind: EntryKind) -> Vec<String> {
    let mut codes: Vec<String> = store
        .run_entries(run)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.code)
        .collect();
    codes.sort();
    codes
}

fn completed(r: &UpdateReport) -> &str {
    match &r.outcome {
        UpdateOutcome::Completed { close_message } => close_message,
        other => panic!("the update did not complete: {other:?}\n{r:?}"),
    }
}

#[test]
fn an_interactive_synchronization_through_the_web_connector() {
    let w = World::new();
    seed(&w);
    let (conn, wait) = w.connect();
    assert_eq!(wait.status(), BridgeStatus::Idle);
    // Longer than the service holds receiveResponseXML and then sendRequestXML (2 s each).
    let core = synchronize(&w, conn, &wait, Duration::from_secs(5));
    let mut emu = w.emulator(client_for(wait.url()));
    let update = emu.run_update().expect("update");
    let done = core.join().unwrap().expect("synchronized");
    let report = done.result.expect("applied");

    // One Web Connector session carried it all, kept open while the operator thought.
    assert!(
        completed(&update).contains("custsync finished"),
        "{update:?}"
    );
    assert!(update.noops >= 1, "NoOp while deciding: {update:?}");
    let (last, before) = update.percents.split_last().unwrap();
    assert_eq!(*last, 100);
    assert!(before.iter().all(|p| (0..100).contains(p)), "{update:?}");
    let batches: Vec<&String> = update
        .requests
        .iter()
        .filter(|r| r.contains("<CustomerAddRq"))
        .collect();
    assert_eq!(batches.len(), 1, "one batch: {batches:?}");
    assert_eq!(batches[0].matches("<CustomerAddRq").count(), 2, "two adds");
    assert_transcript_valid(emu.transcript());

    assert_eq!(done.planned_exports, ["A100", "B200"]);
    assert_eq!(done.planned_imports, ["Delta Diner", "Echo Engines"]);
    assert_eq!(
        (report.added, report.imported, report.linked),
        (2, 2, 1),
        "{report:?}"
    );
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_seed_synchronized(&w);
    let beta = w
        .qb_all()
        .into_iter()
        .find(|c| c.data.get(Field::Name) == Some("Beta Books"))
        .unwrap();
    assert!(!beta.is_active(), "the status went along");

    let store = w.store();
    let run = store.run(report.run.unwrap()).unwrap().unwrap();
    assert_eq!(run.mode, RunMode::MissingOnly);
    assert_eq!(run.outcome, Some(RunOutcome::Done));
    assert_eq!(
        run.company_file.as_deref(),
        Some(w.config.company_file.as_str())
    );
    assert_eq!(kinds(&store, run.id, EntryKind::Exported), ["A100", "B200"]);
    assert_eq!(kinds(&store, run.id, EntryKind::Imported), ["D400", "E500"]);
    assert_eq!(kinds(&store, run.id, EntryKind::Linked), ["C300"]);
    assert_eq!(wait.status(), BridgeStatus::Idle);
}

/// What an incremental synchronization reads, through the Web Connector: the customers changed
/// since a watermark (a page per round trip) and the deletions since it.
#[test]
fn incremental_reads_through_the_web_connector() {
    const T: i64 = 1_772_615_287;
    let w = World::new();
    let mut company = CompanyFile::open(&w.company).unwrap();
    company.set_clock(SandboxClock::Fixed(T)).unwrap();
    for name in ["Alpha", "Beta", "Gamma", "Delta", "Echo"] {
        w.qb_customer(name, None);
    }
    company.set_clock(SandboxClock::Fixed(T + 100)).unwrap();
    company
        .edit_customer("Beta", &["Phone=555".parse().unwrap()])
        .unwrap();
    company.delete_customer("Gamma").unwrap();
    company.merge_customers("Delta", "Echo").unwrap();
    let watermark = QbDateTime::parse(&ids::format_time(T + 100)).unwrap();

    let (conn, wait) = w.connect();
    let core = thread::spawn(move || {
        let mut session = Session::open(conn, &mut NoPrompt, None)?;
        let changed: Vec<CustomerRet> = session
            .customers_modified_since(&watermark.earlier_by(30), 1)
            .items()
            .collect::<Result<_, _>>()?;
        let deleted = session.deleted_customers_since(Some(&watermark))?;
        Ok::<_, custsync::qb::session::SessionError>((changed, deleted))
    });
    wait_for("the reads to wait for the Web Connector", || {
        wait.status() == BridgeStatus::WaitingForWebConnector
    });
    let mut emu = w.emulator(client_for(wait.url()));
    let update = emu.run_update().expect("update");
    completed(&update);
    let (changed, deleted) = core.join().unwrap().expect("read");
    let names: Vec<&str> = changed
        .iter()
        .filter_map(|c| c.data.get(Field::Name))
        .collect();
    assert_eq!(
        names,
        ["Beta", "Echo"],
        "the edited customer and the merge's survivor"
    );
    assert_eq!(changed[0].data.get(Field::Phone), Some("555"));
    assert_eq!(changed[0].edit_sequence.as_deref(), Some("1772615387"));
    let gone: Vec<&str> = deleted
        .iter()
        .filter_map(|d| d.full_name.as_deref())
        .collect();
    assert_eq!(gone, ["Gamma", "Delta"]);
    // A page per round trip, then the deletions; every request valid qbXML.
    let reads: Vec<&String> = update
        .requests
        .iter()
        .filter(|r| r.contains("<CustomerQueryRq") || r.contains("<ListDeletedQueryRq"))
        .collect();
    assert_eq!(reads.len(), 3, "{reads:?}");
    assert!(reads[2].contains("<ListDelType>Customer</ListDelType>"));
    let texts: Vec<&str> = update.requests.iter().map(String::as_str).collect();
    custsync::testkit::assert_valid_qbxml(&texts);
    assert_transcript_valid(emu.transcript());
}

/// The sandbox refuses custsync (never authorized, nobody at QuickBooks' screen): the HRESULT
/// comes through connectionError and the sync core explains it in plain words.
/// One synchronization's reading and planning through the emulated Web Connector (a response
/// lost to `lose` first, if given, which ends that update: the next update carries on): how it
/// read QuickBooks, its plan, and the requests of the update that finished.
fn read_through(w: &World, lose: Option<&str>) -> (ReadSummary, Plan, Vec<String>) {
    let (conn, wait) = w.connect();
    let (db, config) = (w.ws.db_path(), w.config.clone());
    let core = thread::spawn(move || {
        let mut store = Store::open(&db).unwrap();
        let engine = SyncEngine::connect(conn, &mut NoPrompt, config, None)?;
        let planned = engine
            .load(&mut store, &mut NoProgress)?
            .plan(Mode::NotExactMatch, &mut NoProgress)?;
        Ok::<_, SyncError>((planned.read_summary().clone(), planned.plan().clone()))
    });
    wait_for("the synchronization to wait for the Web Connector", || {
        wait.status() == BridgeStatus::WaitingForWebConnector
    });
    let mut emu = w.emulator(client_for(wait.url()));
    emu.config.lose_response_matching = lose.map(str::to_string);
    if lose.is_some() {
        assert_eq!(emu.run_update().unwrap().outcome, UpdateOutcome::Crashed);
    }
    let update = emu.run_update().expect("update");
    completed(&update);
    assert_transcript_valid(emu.transcript());
    let (summary, plan) = core.join().unwrap().expect("read and planned");
    (summary, plan, update.requests)
}

/// Through the Web Connector the second synchronization reads only what changed, in two round
/// trips. When the Web Connector's update ends mid-read (the response to a page lost, and the
/// iterator gone with the QuickBooks session that held it), the read starts again from the
/// watermark in the next update, and plans as a full read does.
#[test]
fn the_web_connector_reads_only_what_changed_and_a_cut_read_restarts_from_the_watermark() {
    const T: i64 = 1_772_615_287;
    let mut w = World::new();
    w.config.sync.page_size = 2;
    let company = CompanyFile::open(&w.company).unwrap();
    // Added two hours apart: only the newest is in the overlap of the next read.
    for (i, (name, code)) in [
        ("Alpha", "A1"),
        ("Beta", "B1"),
        ("Gamma", "G1"),
        ("Delta", "D1"),
        ("Echo", "E1"),
        ("Foxtrot", "F1"),
    ]
    .into_iter()
    .enumerate()
    {
        company
            .set_clock(SandboxClock::Fixed(T + i as i64 * 7_200))
            .unwrap();
        w.qb_customer(name, Some(code));
    }
    w.local("B1", "Beta", CustomerStatus::Active);
    let (first, _, _) = read_through(&w, None);
    assert!(!first.is_incremental(), "{first}");

    let edit = |at: i64, name: &str, phone: &str| {
        let mut company = CompanyFile::open(&w.company).unwrap();
        company.set_clock(SandboxClock::Fixed(at)).unwrap();
        company
            .edit_customer(name, &[format!("Phone={phone}").parse().unwrap()])
            .unwrap();
    };
    edit(T + 86_400, "Beta", "555-0101");
    let (second, _, requests) = read_through(&w, None);
    assert_eq!(
        second.to_string().split(" since").next(),
        Some("read 1 change")
    );
    // A page of customers changed since, then deletions, count and types in one document.
    let reads = requests
        .iter()
        .filter(|r| r.contains("iterator=") || r.contains("<ListDeletedQueryRq"))
        .count();
    assert_eq!(reads, 2, "{requests:#?}");

    // Changes hours apart, the newest on the first page.
    for (i, name) in ["Gamma", "Delta", "Echo", "Alpha"].into_iter().enumerate() {
        edit(T + 2 * 86_400 + i as i64 * 7_200, name, "555-0202");
    }
    CompanyFile::open(&w.company)
        .unwrap()
        .delete_customer("Foxtrot")
        .unwrap();
    let (third, plan, requests) = read_through(&w, Some("iterator=\"Continue\""));
    assert!(third.is_incremental(), "{third}");
    assert_eq!((third.changed, third.deleted), (4, 1), "{third}");
    assert!(
        requests[0].contains("iterator=\"Start\""),
        "the next update starts the read again: {requests:#?}"
    );
    let mut full = w.config.clone();
    full.sync.page_size = 500;
    let mut store = w.store();
    let full_plan = SyncEngine::connect(
        SandboxConnection::new(&w.company),
        &mut NoPrompt,
        full,
        None,
    )
    .unwrap()
    .load_with(&mut store, ReadRequest::All, &mut NoProgress)
    .unwrap()
    .plan(Mode::NotExactMatch, &mut NoProgress)
    .unwrap();
    assert_eq!(&plan, full_plan.plan());
}

#[test]
fn an_hresult_from_quickbooks_is_explained() {
    let w = World::with_grant(Grant::None, false, true);
    w.local("A100", "Alpha Shop", CustomerStatus::Active);
    let (conn, wait) = w.connect();
    let core = synchronize(&w, conn, &wait, Duration::ZERO);
    let mut emu = w.emulator(client_for(wait.url()));
    let update = emu.run_update().expect("update");
    match &update.outcome {
        UpdateOutcome::ConnectionFailed { answer, .. } => {
            assert!(answer.eq_ignore_ascii_case("done"), "{answer}")
        }
        other => panic!("{other:?}"),
    }
    let err = core.join().unwrap().expect_err("QuickBooks refused");
    let e = err.explanation();
    assert_eq!(e.code, "0x80040418", "{e:?}");
    assert!(e.title.contains("not yet allowed"), "{e:?}");
    assert!(e.next_step.contains("Application Certificate"), "{e:?}");
    assert!(w.qb_names().is_empty());
    assert!(w.store().runs(10).unwrap().is_empty(), "nothing was run");
    assert_transcript_valid(emu.transcript());
}

/// QuickBooks applied the CustomerAdd batch, then the Web Connector died before returning the
/// response. When it comes back, the same synchronization asks QuickBooks what became of the
/// batch (oldMessageSetID) instead of sending it again.
#[test]
fn a_lost_response_is_recovered_in_the_same_synchronization_without_duplicates() {
    let w = World::new();
    seed(&w);
    let (conn, wait) = w.connect();
    let core = synchronize(&w, conn, &wait, Duration::ZERO);
    let mut emu = w.emulator(client_for(wait.url()));
    emu.config.lose_response_matching = Some("<CustomerAddRq".into());
    let crashed = emu.run_update().expect("first update");
    assert_eq!(crashed.outcome, UpdateOutcome::Crashed, "{crashed:?}");
    assert_eq!(
        w.qb_names().iter().filter(|n| *n == "Alpha Shop").count(),
        1,
        "QuickBooks applied the batch"
    );

    let resumed = emu.run_update().expect("second update");
    completed(&resumed);
    let first = resumed.requests.first().expect("a request");
    assert!(first.contains("oldMessageSetID"), "recovery first: {first}");
    assert!(
        !resumed
            .requests
            .iter()
            .any(|r| r.contains("<CustomerAddRq")),
        "nothing resent: {:?}",
        resumed.requests
    );
    let report = core.join().unwrap().unwrap().result.expect("applied");
    assert_eq!((report.added, report.imported), (2, 2), "{report:?}");
    assert_eq!(report.in_doubt, 0);
    assert_seed_synchronized(&w);
    let store = w.store();
    assert_eq!(
        kinds(&store, report.run.unwrap(), EntryKind::Exported),
        ["A100", "B200"]
    );
    assert!(store.unsettled_batches(None).unwrap().is_empty());
    assert_transcript_valid(emu.transcript());
}

/// The same loss, but the operator gives up waiting: the batch stays in doubt, and the next
/// synchronization's load settles it through message-set recovery before planning.
#[test]
fn a_lost_response_is_recovered_by_the_next_synchronization() {
    let w = World::new();
    seed(&w);
    let (conn, wait) = w.connect();
    let core = synchronize(&w, conn, &wait, Duration::ZERO);
    let mut emu = w.emulator(client_for(wait.url()));
    emu.config.lose_response_matching = Some("<CustomerAddRq".into());
    assert_eq!(emu.run_update().unwrap().outcome, UpdateOutcome::Crashed);
    // The batch went out: the store records it before the request leaves.
    wait_for("the batch to be sent", || {
        !w.store().unsettled_batches(None).unwrap().is_empty()
    });
    wait.cancel();
    let first = core.join().unwrap().unwrap();
    let err = first.result.expect_err("the outcome is unknown");
    assert!(err.to_string().contains("unknown"), "{err}");
    assert_eq!(w.store().unsettled_batches(None).unwrap().len(), 1);

    // The next synchronization (its own service; the first one's is stopped for it).
    let (conn, wait) = w.connect();
    let core = synchronize(&w, conn, &wait, Duration::ZERO);
    let mut emu = w.emulator(client_for(wait.url()));
    let update = emu.run_update().expect("update");
    completed(&update);
    assert!(
        update
            .requests
            .iter()
            .any(|r| r.contains("oldMessageSetID")),
        "{:?}",
        update.requests
    );
    assert!(
        !update.requests.iter().any(|r| r.contains("<CustomerAddRq")),
        "nothing resent"
    );
    let second = core.join().unwrap().unwrap();
    assert!(second.planned_exports.is_empty(), "already in QuickBooks");
    let report = second.result.unwrap();
    assert_eq!(report.imported, 2, "{report:?}");
    assert_seed_synchronized(&w);
    let store = w.store();
    let recovery = store
        .runs(10)
        .unwrap()
        .into_iter()
        .find(|r| r.mode == RunMode::Recovery)
        .expect("a recovery run");
    assert_eq!(
        kinds(&store, recovery.id, EntryKind::Exported),
        ["A100", "B200"]
    );
    assert!(store.unsettled_batches(None).unwrap().is_empty());
    assert_transcript_valid(emu.transcript());
}

/// Scheduled work over a service started the way `custsync serve` starts it.
struct Scheduled {
    harness: Harness,
    log: Arc<Mutex<Vec<String>>>,
}

fn serve_scheduled(w: &World) -> Scheduled {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let work = ScheduledSync::new(&w.ws, w.config.clone())
        .with_log(move |line| sink.lock().unwrap().push(line.to_string()));
    let settings = ServiceSettings {
        company_file: w.config.company_file.clone(),
        ..fast_settings()
    };
    Scheduled {
        harness: Harness::start(settings, Some(Arc::new(work))),
        log,
    }
}

#[test]
fn a_scheduled_run_exports_and_imports_and_is_journaled() {
    let mut w = World::new();
    seed(&w);
    w.local("P600", "Prospect Pete", CustomerStatus::Prospect);
    w.local(
        "L700",
        "A customer name far too long for QuickBooks to hold",
        CustomerStatus::Active,
    );
    w.config.export.statuses.remove(&CustomerStatus::Prospect);
    w.config.schedule.export_missing = true;
    w.config.schedule.import_missing = true;
    assert!(
        !ScheduledSync::new(&w.ws, Config::default()).pending(),
        "nothing scheduled by default"
    );
    let s = serve_scheduled(&w);
    let mut emu = w.emulator(s.harness.client());
    let update = emu.run_update().expect("update");
    assert_eq!(update.auth_status, w.config.company_file);
    let status = completed(&update).to_string();
    assert!(
        status.contains("2 added to QuickBooks, 2 imported, 1 linked")
            && status.contains("1 not exported (problems)"),
        "{status}"
    );
    assert_transcript_valid(emu.transcript());

    assert_seed_synchronized_leaving_out(&w, &["L700", "P600"]);
    let store = w.store();
    let runs = store.runs(10).unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run = &runs[0];
    assert_eq!(run.mode, RunMode::MissingOnly);
    assert_eq!(run.outcome, Some(RunOutcome::Partial));
    assert_eq!(kinds(&store, run.id, EntryKind::Exported), ["A100", "B200"]);
    assert_eq!(kinds(&store, run.id, EntryKind::Imported), ["D400", "E500"]);
    let failed: Vec<_> = store
        .run_entries(run.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EntryKind::Failed)
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].code, "L700");
    let why = failed[0].status_message.as_deref().unwrap_or_default();
    assert!(why.contains("not exported by the scheduled run"), "{why}");
    assert!(why.contains("41"), "the problem is named: {why}");
    let log = s.log.lock().unwrap().clone();
    assert_eq!(log.len(), 1, "one line per run: {log:?}");
    assert!(log[0].starts_with("scheduled run on "), "{log:?}");
    assert!(log[0].contains(&format!("run {}", run.id)), "{log:?}");

    // The next call finds nothing new: nothing is journaled, and the line says what is left.
    let again = emu.run_update().expect("update");
    let status = completed(&again);
    assert!(
        status.contains("nothing to synchronize; 1 not exported"),
        "{status}"
    );
    assert_eq!(w.store().runs(10).unwrap().len(), 1);
    assert_eq!(s.log.lock().unwrap().len(), 2);
}

/// "Willow Creek Florist, Inc." in SMSTurbo and "Willow Creek Florist Inc" in QuickBooks, with
/// one phone: a scheduled run neither exports nor imports either, lists both with what they look
/// like, and journals them; the next call finds nothing new and journals nothing.
#[test]
fn a_scheduled_run_leaves_likely_duplicates_to_the_operator_and_lists_them() {
    let mut w = World::new();
    seed(&w);
    let mut willow = Customer::new("W420", "Willow Creek Florist, Inc.", CustomerStatus::Active);
    willow.data.set(Field::Phone, "630-555-0142");
    w.store().create_customer(&willow).unwrap();
    w.qb_requests(vec![RequestBody::CustomerAdd(Box::new(CustomerAdd {
        data: CustomerData::new()
            .with(Field::Name, "Willow Creek Florist Inc")
            .with(Field::Phone, "(630) 555-0142"),
        ..Default::default()
    }))]);
    w.config.schedule.export_missing = true;
    w.config.schedule.import_missing = true;
    let s = serve_scheduled(&w);
    let mut emu = w.emulator(s.harness.client());
    let status = completed(&emu.run_update().expect("update")).to_string();
    assert!(
        status.contains(
            "2 added to QuickBooks, 2 imported, 1 linked; 2 left for you: they look like a \
             customer the other side has"
        ) && !status.contains("not exported"),
        "{status}"
    );
    let mut names = w.qb_names();
    names.retain(|n| n != "Willow Creek Florist Inc");
    assert_eq!(
        names,
        [
            "Alpha Shop",
            "Beta Books",
            "Delta Diner",
            "Echo Engines",
            "Gamma Garden"
        ],
        "W420 not exported"
    );
    let store = w.store();
    assert_eq!(
        store
            .customers()
            .unwrap()
            .iter()
            .filter(|c| c.name().starts_with("Willow"))
            .count(),
        1,
        "not imported"
    );
    let run = &store.runs(1).unwrap()[0];
    assert_eq!(run.outcome, Some(RunOutcome::Partial));
    let failed: Vec<_> = store
        .run_entries(run.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EntryKind::Failed)
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    let why = |code: &str| {
        let e = failed.iter().find(|e| e.code == code).unwrap();
        (
            e.list_id.clone(),
            e.status_message.clone().unwrap_or_default(),
        )
    };
    let (_, export) = why("W420");
    assert!(
        export.starts_with(
            "not exported by the scheduled run: it looks like QuickBooks' 'Willow Creek Florist \
             Inc' (same phone; name differs only in punctuation). A scheduled run never adds or \
             imports a likely duplicate"
        ),
        "{export}"
    );
    let (list_id, import) = why("Willow Creek Florist Inc");
    let qb_willow = w
        .qb_all()
        .into_iter()
        .find(|c| c.data.get(Field::Name) == Some("Willow Creek Florist Inc"))
        .unwrap();
    assert_eq!(list_id.as_deref(), Some(qb_willow.list_id.as_str()));
    assert!(
        import.starts_with(
            "not imported by the scheduled run: it looks like SMSTurbo's W420 'Willow Creek \
             Florist, Inc.'"
        ) && import.contains(&format!("custsync link W420 {}", qb_willow.list_id)),
        "{import}"
    );

    let again = completed(&emu.run_update().expect("update")).to_string();
    assert!(
        again.contains("nothing to synchronize; 2 left for you"),
        "{again}"
    );
    assert_eq!(
        w.store().runs(10).unwrap().len(),
        1,
        "nothing new: not journaled again"
    );
}

/// The seed is synchronized, and these SMSTurbo customers were left out (not in QuickBooks,
/// not linked).
fn assert_seed_synchronized_leaving_out(w: &World, left_out: &[&str]) {
    let store = w.store();
    for code in left_out {
        assert!(store.customer(code).unwrap().is_some(), "{code}");
    }
    assert_eq!(
        w.qb_names(),
        [
            "Alpha Shop",
            "Beta Books",
            "Delta Diner",
            "Echo Engines",
            "Gamma Garden"
        ],
        "each customer exactly once in QuickBooks"
    );
    assert_eq!(
        w.linked_codes(),
        ["A100", "B200", "C300", "D400", "E500"],
        "each customer linked exactly once"
    );
}

/// Nobody is there to agree to add the export default type: no customer is exported (each is
/// journaled with the reason), and the imports still happen.
#[test]
fn a_scheduled_run_never_adds_types_and_says_why_it_did_not_export() {
    let mut w = World::new();
    seed(&w);
    w.config.export.customer_type = Some("Web".into());
    w.config.schedule.export_missing = true;
    w.config.schedule.import_missing = true;
    let s = serve_scheduled(&w);
    let mut emu = w.emulator(s.harness.client());
    let status = completed(&emu.run_update().expect("update")).to_string();
    assert!(
        status.contains("2 imported") && status.contains("2 not exported"),
        "{status}"
    );
    assert_eq!(
        w.qb_names(),
        ["Delta Diner", "Echo Engines", "Gamma Garden"],
        "nothing exported, no type added"
    );
    let store = w.store();
    let run = &store.runs(1).unwrap()[0];
    assert_eq!(run.outcome, Some(RunOutcome::Partial));
    let failed: Vec<_> = store
        .run_entries(run.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EntryKind::Failed)
        .collect();
    assert_eq!(failed.len(), 2);
    for f in failed {
        let why = f.status_message.unwrap_or_default();
        assert!(
            why.contains("Customer Type 'Web'") && why.contains("Scheduled runs never add types"),
            "{why}"
        );
    }
    assert_transcript_valid(emu.transcript());
}

/// "Yes, always" without automatic login while QuickBooks is closed: 0x8004041D. The scheduled
/// run fails before anything happens, says why in the log, and journals nothing.
#[test]
fn a_scheduled_run_that_quickbooks_refuses_is_logged_in_plain_words() {
    let mut w = World::with_grant(
        Grant::Always {
            login_user: "Admin".into(),
        },
        false,
        false,
    );
    w.local("A100", "Alpha Shop", CustomerStatus::Active);
    w.config.schedule.export_missing = true;
    let s = serve_scheduled(&w);
    let mut emu = w.emulator(s.harness.client());
    let update = emu.run_update().expect("update");
    assert!(
        matches!(update.outcome, UpdateOutcome::ConnectionFailed { .. }),
        "{update:?}"
    );
    wait_for("the run's log line", || !s.log.lock().unwrap().is_empty());
    let log = s.log.lock().unwrap().clone();
    assert!(
        log[0].contains("scheduled run failed")
            && log[0].contains("0x8004041D")
            && log[0].contains("login automatically"),
        "{log:?}"
    );
    assert!(w.qb_names().is_empty());
    assert!(w.store().runs(10).unwrap().is_empty());
    assert_transcript_valid(emu.transcript());
}

/// Replace Options on a schedule: the not-in-sync pair is updated from QuickBooks.
#[test]
fn a_scheduled_run_applies_the_replace_options() {
    let mut w = World::new();
    w.local("C300", "Gamma Garden", CustomerStatus::Active);
    w.qb_requests(vec![RequestBody::CustomerAdd(Box::new(CustomerAdd {
        data: CustomerData::new()
            .with(Field::Name, "Gamma Garden")
            .with(Field::AccountNumber, "C300")
            .with(Field::Phone, "555-0199"),
        ..Default::default()
    }))]);
    w.config.replace.groups = custsync::sync::ReplaceGroup::ALL.into_iter().collect();
    w.config.schedule.apply_replace = true;
    let s = serve_scheduled(&w);
    let mut emu = w.emulator(s.harness.client());
    let status = completed(&emu.run_update().expect("update")).to_string();
    assert!(status.contains("1 updated from QuickBooks"), "{status}");
    let store = w.store();
    assert_eq!(
        store
            .customer("C300")
            .unwrap()
            .unwrap()
            .data
            .get(Field::Phone),
        Some("555-0199")
    );
    let run = &store.runs(1).unwrap()[0];
    assert_eq!(run.mode, RunMode::NotExactMatch);
    assert_eq!(kinds(&store, run.id, EntryKind::Replaced), ["C300"]);
    assert_eq!(
        w.qb_names(),
        ["Gamma Garden"],
        "QuickBooks is never modified"
    );
}

/// Clients that connect and say nothing, send garbage, drip, send huge or malformed requests or
/// forged tickets, all while a real synchronization runs: it completes, promptly.
#[test]
fn junk_clients_cannot_stall_a_real_synchronization() {
    let w = World::new();
    seed(&w);
    let (conn, wait) = w.connect();
    let client = client_for(wait.url());
    let junk = JunkClients::start(&client, 12);
    thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let core = synchronize(&w, conn, &wait, Duration::ZERO);
    let mut emu = w.emulator(client);
    let update = emu.run_update().expect("the real session gets through");
    let report = core.join().unwrap().unwrap().result.expect("applied");
    let elapsed = started.elapsed();
    junk.stop();
    completed(&update);
    assert_eq!((report.added, report.imported), (2, 2), "{report:?}");
    assert_seed_synchronized(&w);
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    assert_transcript_valid(emu.transcript());
}

struct JunkClients {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl JunkClients {
    fn start(client: &HttpClient, n: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..n)
            .map(|i| {
                let stop = Arc::clone(&stop);
                let client = client.clone();
                thread::spawn(move || junk_client(i, &client, &stop))
            })
            .collect();
        JunkClients { stop, threads }
    }

    fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads {
            t.join().unwrap();
        }
    }
}

fn junk_client(i: usize, client: &HttpClient, stop: &AtomicBool) {
    let addr = client.addr();
    let started = Instant::now();
    let mut rounds = 0;
    while !stop.load(Ordering::SeqCst)
        && rounds < 500
        && started.elapsed() < Duration::from_secs(90)
    {
        rounds += 1;
        match i % 6 {
            // Connect and say nothing.
            0 => {
                if let Ok(mut s) = TcpStream::connect(addr) {
                    let _ = s.set_read_timeout(Some(Duration::from_secs(8)));
                    let mut sink = Vec::new();
                    let _ = s.read_to_end(&mut sink);
                }
            }
            // Binary garbage.
            1 => {
                let _ = client.send_raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n");
            }
            // A head dripped slowly.
            2 => {
                if let Ok(mut s) = TcpStream::connect(addr) {
                    for b in b"POST /qbwc HTTP/1.1\r\nHost: x\r\n" {
                        if stop.load(Ordering::SeqCst) || s.write_all(&[*b]).is_err() {
                            break;
                        }
                        thread::sleep(Duration::from_millis(250));
                    }
                }
            }
            // Malformed SOAP.
            3 => {
                let _ = client.post_soap("authenticate", b"<soap:Envelope><oops>");
            }
            // A body far too large.
            4 => {
                let _ =
                    client.send_raw(b"POST /qbwc HTTP/1.1\r\nContent-Length: 900000000\r\n\r\n");
            }
            // Calls with made-up tickets.
            _ => {
                let body = request_envelope(
                    Method::SendRequestXml,
                    &[
                        ("ticket", "forged"),
                        ("qbXMLMajorVers", "13"),
                        ("qbXMLMinorVers", "0"),
                    ],
                );
                let _ = client.post_soap("sendRequestXML", body.as_bytes());
            }
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// After a synchronization the server waits (in the background) for the Web Connector's last
/// call, and a new synchronization on the same port takes the port over; with no Web Connector
/// session left, it stops at once.
#[test]
fn the_server_lingers_for_the_web_connector_and_gives_way_to_the_next_synchronization() {
    let mut w = World::new();
    let (conn, wait) = w.connect();
    let client = client_for(wait.url());
    let core = thread::spawn(move || {
        let mut conn = conn;
        conn.open(&mut NoPrompt)?;
        conn.process(&customer_query("q1"))
    });
    wait_for("the wait", || {
        wait.status() == BridgeStatus::WaitingForWebConnector
    });
    let mut emu = w.emulator(client.clone());
    emu.config.lose_response_at = Some(1);
    assert_eq!(emu.run_update().unwrap().outcome, UpdateOutcome::Crashed);
    wait.cancel();
    let err = core
        .join()
        .unwrap()
        .expect_err("cancelled while QuickBooks had it");
    assert!(matches!(err, QbError::InDoubt(_)), "{err}");
    // The connection is gone, but the Web Connector's session is not: still answering.
    thread::sleep(Duration::from_millis(500));
    assert_eq!(client.get("/qbwc").map(|r| r.status).ok(), Some(200));

    w.config.connection.web_connector.listen = client.addr().to_string();
    let (conn, wait2) = w.connect();
    assert_eq!(wait2.url(), wait.url(), "the same port, taken over");
    let dropped = Instant::now();
    drop(conn);
    wait_for("the server to stop", || {
        TcpStream::connect(client.addr()).is_err()
    });
    assert!(
        dropped.elapsed() < Duration::from_secs(5),
        "no session: no lingering"
    );
}

#[test]
fn without_a_password_the_web_connector_connection_says_how_to_set_one() {
    let w = World::new();
    std::fs::remove_file(
        w.ws.dir()
            .join(custsync::qb::webconnector::auth::PASSWORD_FILE),
    )
    .unwrap();
    let err = connect::from_options_with_wait(w.config.connect_options(), w.ws.dir())
        .err()
        .expect("no password, no service");
    assert!(
        err.to_string()
            .contains("custsync webconnector set-password"),
        "{err}"
    );
}
