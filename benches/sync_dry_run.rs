//! A full dry run of `custsync sync` on a 100,000 + 100,000 sandbox workspace (issue 3: peak
//! memory ≤ 300 MB). The workspace is built once (kept under target/bench-data): a sandbox
//! company with 100,000 generated customers, and an SMSTurbo list with 80,000 of them (a tenth
//! with a different phone) plus 20,000 of its own.
//!
//! Criterion times the whole command; its peak memory (maximum resident set size, measured by
//! `/usr/bin/time`) is printed once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use custsync::config::Config;
use custsync::qb::NoPrompt;
use custsync::qb::sandbox::{
    AppPrefs, CompanyFile, GenerateOptions, Grant, SandboxConnection, generate,
};
use custsync::qbxml::Field;
use custsync::store::{Customer, CustomerStatus, Workspace};
use custsync::sync::{NoProgress, SyncEngine};

const N: u32 = 100_000;

fn workspace() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/dry-run-100k");
    if dir.join("ready").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let company = dir.join("Big.QBW");
    let mut file = CompanyFile::create(&company, "Big Company").unwrap();
    generate(&mut file, &GenerateOptions::new(N, 7)).unwrap();
    let mut prefs = AppPrefs::new(custsync::qb::APP_NAME);
    prefs.grant = Grant::WhenOpen;
    file.set_app_prefs(&prefs).unwrap();
    file.set_open_in_quickbooks(true).unwrap();
    drop(file);

    let ws = Workspace::open(Some(&dir)).unwrap();
    let config = Config {
        company_file: company.display().to_string(),
        ..Config::default()
    };
    ws.save_config(&config).unwrap();
    let mut store = ws.open_store().unwrap();
    let engine = SyncEngine::connect(
        SandboxConnection::new(&company),
        &mut NoPrompt,
        config,
        None,
    )
    .unwrap();
    let loaded = engine.load(&mut store, &mut NoProgress).unwrap();
    let qb = loaded.snapshot().qb.clone();
    let mut locals: Vec<Customer> = qb
        .iter()
        .filter(|c| !c.is_job())
        .take(80_000)
        .enumerate()
        .map(|(i, c)| {
            let mut data = c.data.clone();
            if data.get(Field::AccountNumber).is_none() {
                data.set(Field::AccountNumber, format!("Q{i:06}"));
            }
            if i % 10 == 3 {
                data.set(Field::Phone, "555-0000");
            }
            Customer {
                data,
                status: if c.is_active() {
                    CustomerStatus::Active
                } else {
                    CustomerStatus::Inactive
                },
                qb_name: None,
                qb_spellings: Default::default(),
            }
        })
        .collect();
    for i in locals.len()..N as usize {
        let mut c = Customer::new(
            &format!("S{i:06}"),
            &format!("SMSTurbo Only {i:06}"),
            CustomerStatus::Active,
        );
        c.data.set(Field::Phone, "555-0100");
        locals.push(c);
    }
    drop(loaded);
    store
        .transaction(|tx| tx.insert_customers(locals.iter()))
        .unwrap();
    std::fs::write(dir.join("ready"), "").unwrap();
    dir
}

fn dry_run(ws: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(ws)
        .args(["sync", "--dry-run", "--json"])
        .output()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let ws = workspace();
    let measured = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(&ws)
        .args(["sync", "--dry-run", "--json"])
        .output();
    match measured {
        Ok(out) if out.status.success() => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let kb: u64 = stderr
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or(0);
            println!(
                "custsync sync --dry-run, 100k + 100k: peak memory {} MB",
                kb / 1024
            );
        }
        Ok(out) => panic!("dry run failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => println!("peak memory not measured (/usr/bin/time: {e})"),
    }
    let mut g = c.benchmark_group("sync");
    g.sample_size(10);
    g.bench_function("dry run 100k + 100k", |b| {
        b.iter(|| {
            let out = dry_run(&ws);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
