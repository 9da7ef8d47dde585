//! Issue 13's incremental read at 100,000 customers:
//!
//! - a company of 100,000 customers already mirrored, 10 changed and 2 deleted since: the
//!   documents exchanged for the read (target ≤ 4) and CustomerRet elements transferred
//!   (≤ 50), counted on the connection and printed; the read's time;
//! - the Synchronize panes opening after the company is confirmed (target ≤ 1 s): the real
//!   back end reads and compares (100,000 SMSTurbo customers, 80,000 of them in QuickBooks) and
//!   the screen is built from its panes.
//!
//!     cargo bench --bench sync_read -- --warm-up-time 1 --measurement-time 10
//!
//! The workspace (`support/workspace.rs`) is built once under target/bench-data/read-100k: the
//! database as the first synchronization left it is kept aside, and every iteration starts from
//! that copy, so each reads the same 12 changes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use custsync::config::Config;
use custsync::qb::NoPrompt;
use custsync::qb::sandbox::{CompanyFile, SandboxClock, SandboxConnection};
use custsync::store::{Store, Workspace};
use custsync::sync::{NoProgress, SyncEngine};
use custsync::testkit::{Recording, count_elements};
use custsync::tui::backend::RealBackend;
use custsync::tui::screens::sync::SyncScreen;
use custsync::tui::worker::{Backend, CancelFlag};

#[path = "support/workspace.rs"]
mod workspace;

/// 2026-12-01T00:00:00Z, after every generated customer.
const CHANGED_AT: i64 = 1_796_083_200;

struct Setup {
    dir: PathBuf,
    company: PathBuf,
    config: Config,
}

impl Setup {
    fn db(&self) -> PathBuf {
        self.dir.join("custsync.db")
    }

    /// The workspace as the first synchronization left it.
    fn restore(&self) {
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(self.dir.join(format!("custsync.db{suffix}")));
        }
        std::fs::copy(self.dir.join("mirrored.db"), self.db()).unwrap();
    }
}

fn setup() -> Setup {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/read-100k");
    let (company, config) = workspace::paths(&dir);
    let setup = Setup {
        dir: dir.clone(),
        company: company.clone(),
        config,
    };
    if workspace::is_ready(&dir) {
        return setup;
    }
    workspace::build(&dir);
    std::fs::copy(setup.db(), dir.join("mirrored.db")).unwrap();

    // Then QuickBooks users change 10 customers and delete 2.
    let mut file = CompanyFile::open(&company).unwrap();
    file.set_clock(SandboxClock::Fixed(CHANGED_AT)).unwrap();
    custsync::testkit::change_and_delete(&mut file, 10, 2).unwrap();
    workspace::mark_ready(&dir);
    setup
}

/// One incremental read, counted: (documents, CustomerRet elements).
fn counted_read(s: &Setup) -> (usize, usize, String) {
    s.restore();
    let mut store = Store::open(s.db()).unwrap();
    let (conn, exchanges) = Recording::new(SandboxConnection::new(&s.company));
    let engine = SyncEngine::connect(conn, &mut NoPrompt, s.config.clone(), None).unwrap();
    exchanges.take();
    let loaded = engine.load(&mut store, &mut NoProgress).unwrap();
    let read = exchanges.take();
    let rets = read
        .iter()
        .map(|(_, response)| count_elements(response, "CustomerRet"))
        .sum();
    (read.len(), rets, loaded.read_summary().to_string())
}

fn bench(c: &mut Criterion) {
    let s = setup();
    let (documents, rets, said) = counted_read(&s);
    println!(
        "incremental read, 100,000 mirrored, 10 changed + 2 deleted: {documents} documents, \
         {rets} CustomerRet ({said})"
    );
    assert!(documents <= 4 && rets <= 50, "over issue 13's budget");

    let mut g = c.benchmark_group("sync read");
    g.sample_size(10);
    g.bench_function("incremental load, 100k mirrored, 12 changes", |b| {
        b.iter_batched(
            || {
                s.restore();
                let store = Store::open(s.db()).unwrap();
                let engine = SyncEngine::connect(
                    SandboxConnection::new(&s.company),
                    &mut NoPrompt,
                    s.config.clone(),
                    None,
                )
                .unwrap();
                (store, engine)
            },
            |(mut store, engine)| {
                let loaded = engine.load(&mut store, &mut NoProgress).unwrap();
                (loaded, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function(
        "panes open after the company is confirmed, 100k + 100k",
        |b| {
            b.iter_batched(
                || {
                    s.restore();
                    let ws = Workspace::open(Some(Path::new(&s.dir))).unwrap();
                    let mut backend = RealBackend::new(ws, s.config.clone(), None).unwrap();
                    backend
                        .connect(&mut NoPrompt, &mut |_| {}, &CancelFlag::new())
                        .unwrap();
                    backend
                },
                |mut backend| {
                    let view = backend.plan(false, false, &mut |_| {}).unwrap();
                    (SyncScreen::new(view), backend)
                },
                BatchSize::PerIteration,
            )
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
