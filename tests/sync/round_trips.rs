//! Exporting 1,000 customers takes at most 12 QuickBooks round trips (issue 3): the name check
//! is one document, and adds go 100 to a document. Round trips are what a Web Connector user
//! waits for (each is a poll), so they are counted, not timed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use custsync::config::Config;
use custsync::qb::sandbox::{AppPrefs, CompanyFile, Grant, SandboxConnection};
use custsync::qb::{AccessPrompt, Connection, ConnectionKind, NoPrompt, QbError, SessionInfo};
use custsync::store::{Customer, CustomerStatus, Store, StoreRead};
use custsync::sync::{ApplyOptions, Mode, NoProgress, Selection, SyncEngine};

struct Counting {
    inner: SandboxConnection,
    count: Arc<AtomicUsize>,
}

impl Connection for Counting {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::Sandbox
    }
    fn open(&mut self, prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError> {
        self.inner.open(prompt)
    }
    fn process(&mut self, request: &str) -> Result<String, QbError> {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.inner.process(request)
    }
    fn close(&mut self) {
        self.inner.close()
    }
}

#[test]
fn exporting_1000_customers_takes_at_most_12_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let company = dir.path().join("Big.QBW");
    let file = CompanyFile::create(&company, "Big").unwrap();
    let mut prefs = AppPrefs::new(custsync::qb::APP_NAME);
    prefs.grant = Grant::WhenOpen;
    file.set_app_prefs(&prefs).unwrap();
    file.set_open_in_quickbooks(true).unwrap();
    drop(file);
    let mut store = Store::open(dir.path().join("custsync.db")).unwrap();
    store
        .transaction(|tx| {
            let customers: Vec<Customer> = (0..1000)
                .map(|i| {
                    Customer::new(
                        &format!("C{i:04}"),
                        &format!("Customer {i:04}"),
                        CustomerStatus::Active,
                    )
                })
                .collect();
            tx.insert_customers(customers.iter())
        })
        .unwrap();

    let count = Arc::new(AtomicUsize::new(0));
    let conn = Counting {
        inner: SandboxConnection::new(&company),
        count: count.clone(),
    };
    let engine = SyncEngine::connect(conn, &mut NoPrompt, Config::default(), None).unwrap();
    let loaded = engine.load(&mut store, &mut NoProgress).unwrap();
    let before_plan = count.load(Ordering::SeqCst);
    let planned = loaded.plan(Mode::MissingOnly, &mut NoProgress).unwrap();
    let (plan, snapshot) = (planned.plan(), planned.snapshot());
    let codes: Vec<String> = plan
        .exports
        .iter()
        .map(|r| snapshot.locals[r.local].code().to_string())
        .collect();
    assert_eq!(codes.len(), 1000);
    let report = planned
        .apply(
            &mut store,
            &Selection {
                exports: codes,
                ..Default::default()
            },
            &ApplyOptions::default(),
            &mut NoProgress,
        )
        .unwrap();
    assert_eq!(report.added, 1000, "{report:?}");
    let trips = count.load(Ordering::SeqCst) - before_plan;
    println!("exporting 1,000 customers: {trips} QuickBooks round trips (name check + adds)");
    assert!(trips <= 12, "{trips} round trips");
    assert_eq!(
        store.links(&company.display().to_string()).unwrap().len(),
        1000
    );
}
