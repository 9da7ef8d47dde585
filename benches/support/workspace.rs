//! The 100,000 + 100,000 workspace the synchronization benchmarks run on: a sandbox company of
//! 100,000 generated customers (custsync allowed in, the file open), and 100,000 SMSTurbo
//! customers — 80,000 of QuickBooks' (a tenth with another phone) and 20,000 of their own —
//! after a first synchronization's read (so the mirror is filled, as after any first run).

use std::path::{Path, PathBuf};

use custsync::config::Config;
use custsync::qb::NoPrompt;
use custsync::qb::sandbox::{
    AppPrefs, CompanyFile, GenerateOptions, Grant, SandboxConnection, generate,
};
use custsync::qbxml::{CustomerRet, Field};
use custsync::store::{Customer, CustomerStatus, Workspace};
use custsync::sync::{NoProgress, SyncEngine};

pub const N: u32 = 100_000;

/// The company file and the setup of the workspace in `dir`.
pub fn paths(dir: &Path) -> (PathBuf, Config) {
    let company = dir.join("Big.QBW");
    let config = Config {
        company_file: company.display().to_string(),
        ..Config::default()
    };
    (company, config)
}

/// Builds the workspace in `dir` (emptied first) and returns QuickBooks' customers as the
/// first read found them.
/// Whether `dir` holds a workspace built by this custsync: its `ready` mark names the schema it
/// was built with. One built by an older custsync would be upgraded when opened (a development
/// mirror dropped and read again in full, say), and the benches would time the upgrade.
pub fn is_ready(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("ready"))
        .is_ok_and(|v| v.trim() == custsync::store::schema::LATEST.to_string())
}

/// Marks `dir`'s workspace as built, for [`is_ready`].
pub fn mark_ready(dir: &Path) {
    std::fs::write(
        dir.join("ready"),
        custsync::store::schema::LATEST.to_string(),
    )
    .unwrap();
}

pub fn build(dir: &Path) -> Vec<CustomerRet> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let (company, config) = paths(dir);
    let mut file = CompanyFile::create(&company, "Big Company").unwrap();
    generate(&mut file, &GenerateOptions::new(N, 7)).unwrap();
    let mut prefs = AppPrefs::new(custsync::qb::APP_NAME);
    prefs.grant = Grant::WhenOpen;
    file.set_app_prefs(&prefs).unwrap();
    file.set_open_in_quickbooks(true).unwrap();
    drop(file);

    let ws = Workspace::open(Some(dir)).unwrap();
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
    drop(loaded);
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
    store
        .transaction(|tx| tx.insert_customers(locals.iter()))
        .unwrap();
    qb
}
