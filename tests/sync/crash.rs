//! Crash safety, proven rather than assumed (SPEC §6): a real `custsync sync` process is made to
//! die (a test-only fault point aborts it) after each step of apply in turn, then custsync runs
//! again. Afterwards every selected customer must exist exactly once on each side, be linked
//! correctly, and the journal must tell exactly what happened. The same with responses lost in
//! transit.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};

use custsync::config::Config;
use custsync::qb::sandbox::{
    AppPrefs, Assignment, CompanyFile, EditTarget, Grant, SandboxClock, SandboxConnection,
};
use custsync::qb::{AccessPrompt, Connection, ConnectionKind, NoPrompt, QbError, SessionInfo};
use custsync::qbxml::{CustomerRet, Field};
use custsync::store::{EntryKind, Store, StoreRead, Workspace};
use custsync::sync::{ApplyOptions, Mode, NoProgress, Selection, SyncEngine};

/// The demo's customers that can be exported (no problems) and imported.
const EXPORTS: &[&str] = &[
    "ALP300", "BRI310", "CAF380", "COP320", "DRI330", "ELM340", "FAL350", "GRA360", "HEA370",
];
const IMPORTS: &[&str] = &[
    "Lakeside Dental Group",
    "Maple Leaf Catering",
    "Northgate Plumbing",
    "Orchard Hill Farms",
    "Prairie Wind Energy",
    "Quarry Road Stoneworks",
    "Riverbend Pharmacy",
    "Silverline Auto Parts",
];

struct Demo {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    company: PathBuf,
}

impl Demo {
    /// A demo workspace with custsync authorized and small batches (so a run has several).
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        let summary = custsync::demo::create(&ws).unwrap();
        let file = CompanyFile::open(&summary.company_file).unwrap();
        let mut prefs = AppPrefs::new(custsync::qb::APP_NAME);
        prefs.grant = Grant::WhenOpen;
        file.set_app_prefs(&prefs).unwrap();
        let workspace = Workspace::open(Some(&ws)).unwrap();
        let mut config = workspace.load_config().unwrap();
        config.sync.batch_size = 4;
        workspace.save_config(&config).unwrap();
        Demo {
            _dir: dir,
            ws,
            company: summary.company_file,
        }
    }

    fn sync(&self, fault: Option<&str>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_custsync"));
        cmd.arg("--workspace")
            .arg(&self.ws)
            .args([
                "sync",
                "--export",
                "all",
                "--import",
                "all",
                "--replace",
                "all",
            ])
            .env_remove("CUSTSYNC_FAULT")
            .env_remove("CUSTSYNC_TRACE_DIR");
        if let Some(f) = fault {
            cmd.env("CUSTSYNC_FAULT", f);
        }
        cmd.output().unwrap()
    }

    fn qb_customers(&self) -> Vec<CustomerRet> {
        custsync::testkit::sandbox_customers(&self.company)
    }

    fn store(&self) -> Store {
        Store::open(self.ws.join("custsync.db")).unwrap()
    }

    /// Every selected customer exactly once on each side, linked to the right QuickBooks
    /// customer, and the journal telling exactly that.
    fn assert_consistent(&self) {
        let qb = self.qb_customers();
        let store = self.store();
        let company = self.company.display().to_string();
        let links: HashMap<String, String> = store
            .links(&company)
            .unwrap()
            .into_iter()
            .map(|l| (l.code, l.list_id))
            .collect();
        for code in EXPORTS {
            let found: Vec<&CustomerRet> = qb
                .iter()
                .filter(|c| c.data.get(Field::AccountNumber) == Some(code))
                .collect();
            assert_eq!(found.len(), 1, "{code} must be in QuickBooks exactly once");
            assert_eq!(
                links.get(*code),
                Some(&found[0].list_id),
                "{code} linked to it"
            );
        }
        let locals = store.customers().unwrap();
        for name in IMPORTS {
            let found: Vec<_> = locals.iter().filter(|c| c.name() == *name).collect();
            assert_eq!(found.len(), 1, "{name} must be in SMSTurbo exactly once");
            let qb_id = &qb
                .iter()
                .find(|c| c.data.get(Field::Name) == Some(name))
                .unwrap()
                .list_id;
            assert_eq!(links.get(found[0].code()), Some(qb_id), "{name} linked");
        }
        // The journal: each export and each import recorded exactly once, over all runs.
        let mut exported: HashMap<String, usize> = HashMap::new();
        let mut imported = 0;
        for run in store.runs(100).unwrap() {
            for e in store.run_entries(run.id).unwrap() {
                match e.kind {
                    EntryKind::Exported => *exported.entry(e.code.clone()).or_default() += 1,
                    EntryKind::Imported => imported += 1,
                    _ => {}
                }
            }
        }
        for code in EXPORTS {
            assert_eq!(
                exported.get(*code),
                Some(&1),
                "journal: {code} exported once"
            );
        }
        assert_eq!(
            exported.len(),
            EXPORTS.len(),
            "journal: nothing else exported"
        );
        assert_eq!(imported, IMPORTS.len(), "journal: each import once");
        assert!(
            store.unsettled_batches(None).unwrap().is_empty(),
            "no batch left unsettled"
        );
    }
}

/// The run died at the fault point, not for some other reason.
fn expect_death(out: &Output, point: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && stderr.contains(&format!(
                "fault point {}",
                point.split('#').next().unwrap_or(point)
            )),
        "{point}: the run should have died there:\n{}\n{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Dies at `point` (optionally the Nth time it is reached), then synchronizes again.
fn crash_then_recover(point: &str) {
    let demo = Demo::new();
    expect_death(&demo.sync(Some(point)), point);
    let again = demo.sync(None);
    assert!(
        again.status.success(),
        "{point}: the run after the crash failed:\n{}\n{}",
        String::from_utf8_lossy(&again.stdout),
        String::from_utf8_lossy(&again.stderr)
    );
    demo.assert_consistent();
    // And a further run finds nothing left to do.
    let third = demo.sync(None);
    let out = String::from_utf8_lossy(&third.stdout);
    assert!(out.contains("Nothing selected"), "{point}: {out}");
}

#[test]
fn a_crash_at_every_step_of_apply_loses_and_duplicates_nothing() {
    for point in [
        // Before anything leaves: the first batch stored, then marked sent.
        "export:before-send",
        "export:marked-sent",
        // QuickBooks applied a batch; its response was never stored (first, then a later one).
        "export:after-send",
        "export:after-send#2",
        // A batch settled, the next not yet made.
        "export:settled",
        // Mid-import, and with imports, replacements and links written but not committed.
        "import:mid",
        "import:before-commit",
    ] {
        crash_then_recover(point);
    }
}

#[test]
fn a_crash_while_settling_an_earlier_run_is_settled_by_the_next() {
    let demo = Demo::new();
    expect_death(&demo.sync(Some("export:after-send")), "export:after-send");
    // The next run dies while settling that batch…
    expect_death(
        &demo.sync(Some("recover:before-settle")),
        "recover:before-settle",
    );
    // …and the one after settles it.
    let last = demo.sync(None);
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    demo.assert_consistent();
}

/// A connection that loses QuickBooks' response to chosen CustomerAdd documents after
/// QuickBooks applied them — the Web Connector's "response lost in transit".
struct Lossy {
    inner: SandboxConnection,
    lose: Vec<usize>,
    adds_seen: usize,
    dead_after_loss: bool,
    dead: bool,
}

impl Connection for Lossy {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::Sandbox
    }
    fn open(&mut self, prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError> {
        self.inner.open(prompt)
    }
    fn process(&mut self, request: &str) -> Result<String, QbError> {
        if self.dead {
            return Err(QbError::Transport(
                "the connection to QuickBooks is gone".into(),
            ));
        }
        let response = self.inner.process(request)?;
        if request.contains("<CustomerAddRq") {
            self.adds_seen += 1;
            if self.lose.contains(&self.adds_seen) {
                self.dead = self.dead_after_loss;
                return Err(QbError::InDoubt("response lost in transit".into()));
            }
        }
        Ok(response)
    }
    fn close(&mut self) {
        self.inner.close()
    }
}

fn engine_run(
    demo: &Demo,
    conn: Lossy,
) -> Result<custsync::sync::RunReport, custsync::sync::SyncError> {
    let workspace = Workspace::open(Some(&demo.ws)).unwrap();
    let config: Config = workspace.load_config().unwrap();
    let mut store = workspace.open_store().unwrap();
    let engine = SyncEngine::connect(conn, &mut NoPrompt, config, None)?;
    let loaded = engine.load(&mut store, &mut NoProgress)?;
    let planned = loaded.plan(Mode::MissingOnly, &mut NoProgress)?;
    let (plan, snap) = (planned.plan(), planned.snapshot());
    let selection = Selection {
        exports: plan.exportable(&snap.locals).map(str::to_string).collect(),
        imports: plan.importable(&snap.qb).map(str::to_string).collect(),
        pairs: vec![],
        ..Default::default()
    };
    planned.apply(
        &mut store,
        &selection,
        &ApplyOptions::default(),
        &mut NoProgress,
    )
}

fn lossy(demo: &Demo, lose: Vec<usize>, dead_after_loss: bool) -> Lossy {
    Lossy {
        inner: SandboxConnection::new(&demo.company),
        lose,
        adds_seen: 0,
        dead_after_loss,
        dead: false,
    }
}

#[test]
fn a_lost_response_is_recovered_in_the_same_run() {
    let demo = Demo::new();
    let report = engine_run(&demo, lossy(&demo, vec![1, 3], false)).unwrap();
    assert_eq!(report.added, EXPORTS.len(), "{report:?}");
    assert_eq!(report.in_doubt, 0);
    demo.assert_consistent();
}

#[test]
fn a_lost_response_with_the_connection_gone_is_settled_by_the_next_run() {
    let demo = Demo::new();
    let err = engine_run(&demo, lossy(&demo, vec![2], true)).unwrap_err();
    assert!(
        err.to_string().contains("unknown") || err.to_string().contains("lost"),
        "{err}"
    );
    assert_eq!(
        demo.store().unsettled_batches(None).unwrap().len(),
        1,
        "the batch whose response was lost stays in doubt"
    );
    let report = engine_run(&demo, lossy(&demo, vec![], false)).unwrap();
    assert!(report.added > 0);
    demo.assert_consistent();
}

/// `custsync sync --dry-run --json` (with `--full` when asked), dying at `fault` if given.
fn dry_run(demo: &Demo, full: bool, fault: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_custsync"));
    cmd.arg("--workspace")
        .arg(&demo.ws)
        .args(["sync", "--dry-run", "--json"])
        .env_remove("CUSTSYNC_FAULT")
        .env_remove("CUSTSYNC_TRACE_DIR");
    if full {
        cmd.arg("--full");
    }
    if let Some(f) = fault {
        cmd.env("CUSTSYNC_FAULT", f);
    }
    cmd.output().unwrap()
}

/// The run's JSON: how it read QuickBooks, and its plan.
fn read_and_plan(out: &Output) -> (serde_json::Value, serde_json::Value) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (json["read"].take(), json["plan"].take())
}

/// Killed after each page of a read — an incremental one (pages already folded into the mirror,
/// the watermark not saved) and a full one (nothing stored yet) — and after the read's last
/// commit, the next run reads incrementally from the watermark it had and plans exactly as a
/// full read does. The changes are hours apart, the newest on the first page: a watermark
/// saved with that page would skip the others for good.
#[test]
fn a_crash_at_every_page_of_a_read_resumes_and_plans_as_a_full_read() {
    let demo = Demo::new();
    let workspace = Workspace::open(Some(&demo.ws)).unwrap();
    let mut config = workspace.load_config().unwrap();
    // Five changes in pages of two: three pages a read.
    config.sync.page_size = 2;
    workspace.save_config(&config).unwrap();
    drop(workspace);
    let (first, _) = read_and_plan(&dry_run(&demo, false, None));
    assert_eq!(first["incremental"], false);
    let file = CompanyFile::open(&demo.company).unwrap();
    // QuickBooks' list order, which is the order pages come in.
    let names: Vec<String> = demo
        .qb_customers()
        .iter()
        .filter(|c| !c.is_job())
        .filter_map(|c| c.data.get(Field::Name).map(str::to_string))
        .collect();
    let hour = 3600;
    let start = chrono::Utc::now().timestamp() + 24 * hour;
    let mut points: Vec<(bool, String)> = Vec::new();
    for full in [false, true] {
        for page in 1..=3 {
            points.push((full, format!("read:page#{page}")));
        }
    }
    points.push((false, "read:state-saved".into()));
    points.push((true, "read:full-stored".into()));
    for (i, (full, point)) in points.iter().enumerate() {
        let base = start + i as i64 * 100 * hour;
        for (k, name) in [&names[1], &names[2], &names[3], &names[4], &names[0]]
            .into_iter()
            .enumerate()
        {
            file.set_clock(SandboxClock::Fixed(base + k as i64 * 2 * hour))
                .unwrap();
            let mut file = CompanyFile::open(&demo.company).unwrap();
            file.edit_customer(
                name,
                &[Assignment {
                    target: EditTarget::Field(Field::Phone),
                    value: Some(format!("555-{i}{k:02}")),
                }],
            )
            .unwrap();
        }
        expect_death(&dry_run(&demo, *full, Some(point)), point);
        let (read, plan) = read_and_plan(&dry_run(&demo, false, None));
        assert_eq!(read["incremental"], true, "{point}: {read}");
        let (_, full_plan) = read_and_plan(&dry_run(&demo, true, None));
        assert_eq!(plan, full_plan, "{point}");
    }
}
