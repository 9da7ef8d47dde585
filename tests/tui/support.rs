//! The demo workspace (`custsync::demo`) in a temporary folder, for the TUI workflow tests on
//! the real back end, and ways to look into its SMSTurbo database and sandbox QuickBooks company
//! afterwards.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use custsync::config::Config;
use custsync::qb::sandbox::CompanyFile;
use custsync::qbxml::{CustomerRet, NameList, RequestBody};
use custsync::store::{Customer, Store, StoreRead, Workspace};
use custsync::tui::backend::RealBackend;
use custsync::tui::keymap::Key::{self, *};
use custsync::tui::testing::Harness;
use custsync::tui::theme::Theme;

/// What a test keeps of the workspace the real back end works in.
pub struct Demo {
    /// Holds the temporary folder.
    _tmp: tempfile::TempDir,
    /// The workspace inside it.
    ws: PathBuf,
    pub company: PathBuf,
}

pub const COMPANY_NAME: &str = "Sunrise Supply Co. (demo)";

/// From the home screen of a company custsync has not been let into yet to "Show Missing
/// Customers Only?": Synchronize; "whenever the file is open"; Yes; Done; synchronize now; the
/// company.
pub const TO_THE_QUESTION: &[Key] = &[
    Char('y'),
    Down,
    Down,
    Enter,
    Char('y'),
    Enter,
    Char('y'),
    Char('y'),
];

impl Demo {
    /// The built-in demo workspace (`custsync demo`): SMSTurbo customers in every status, a
    /// sandbox company that overlaps them, custsync not yet authorized, QuickBooks with the file
    /// open.
    pub fn create() -> Demo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let summary = custsync::demo::create(&tmp.path().join("demo")).expect("demo workspace");
        Demo {
            _tmp: tmp,
            ws: summary.dir,
            company: summary.company_file,
        }
    }

    pub fn path(&self) -> &Path {
        &self.ws
    }

    /// A second connection to the workspace's database (the back end holds the first).
    pub fn store(&self) -> Store {
        Store::open(self.ws.join("custsync.db")).expect("store")
    }

    pub fn customers(&self) -> Vec<Customer> {
        self.store().customers().expect("customers")
    }

    pub fn customer(&self, code: &str) -> Option<Customer> {
        self.store().customer(code).expect("customer")
    }

    pub fn config(&self) -> Config {
        Config::load(&self.ws.join("config.toml")).expect("config")
    }

    pub fn file(&self) -> CompanyFile {
        CompanyFile::open(&self.company).expect("sandbox company")
    }

    /// Runs requests in the sandbox company, as QuickBooks' own user would.
    pub fn qb(&self, bodies: Vec<RequestBody>) -> Vec<custsync::qbxml::Response> {
        custsync::testkit::sandbox_requests(&self.company, bodies)
    }

    pub fn add_name(&self, list: NameList, name: &str) {
        self.file().add_name(list, name, true).expect("name");
    }

    /// Every QuickBooks customer (jobs and inactive ones included).
    pub fn qb_customers(&self) -> Vec<CustomerRet> {
        custsync::testkit::sandbox_customers(&self.company)
    }

    pub fn qb_named(&self, name: &str) -> Vec<CustomerRet> {
        custsync::testkit::sandbox_customers_named(&self.company, name)
    }

    /// The TUI on this workspace through the real back end, `size` cells.
    pub fn harness(self, size: (u16, u16)) -> Harness<Demo> {
        let ws = open_workspace(&self.ws);
        let config = ws.load_config().expect("config");
        let dir = ws.dir().to_path_buf();
        let backend = RealBackend::new(ws, config.clone(), None).expect("back end");
        Harness::start(backend, self, config, dir, size, Theme::plain())
    }
}

/// Opens the workspace (`Workspace::open` itself waits out a lock that a forked child of another
/// test thread holds for an instant before it execs).
fn open_workspace(dir: &Path) -> Workspace {
    Workspace::open(Some(dir)).expect("workspace")
}
