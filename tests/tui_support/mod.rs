//! A demo workspace on disk for the TUI workflow tests on the real back end, and ways to look
//! into its SMSTurbo database and sandbox QuickBooks company afterwards.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use custsync::config::Config;
use custsync::qb::sandbox::{self, CompanyFile};
use custsync::qbxml::read::read_response_str;
use custsync::qbxml::write::write_request;
use custsync::qbxml::{
    ActiveStatus, CustomerAdd, CustomerData, CustomerQuery, CustomerRet, Field, ListAdd,
    ListFilter, ListRef, NameList, OnError, QbxmlVersion, RequestBody, RequestDoc, ResponseBody,
    Selection as QbSelection,
};
use custsync::store::{Customer, CustomerStatus, Store, StoreRead, Workspace};
use custsync::tui::backend::RealBackend;
use custsync::tui::testing::Harness;
use custsync::tui::theme::Theme;

/// What a test keeps of the workspace the real back end works in.
pub struct Demo {
    pub dir: tempfile::TempDir,
    pub company: PathBuf,
}

pub const COMPANY_NAME: &str = "Acme Books Inc.";

fn refs(v: &[(Field, String)]) -> Vec<(Field, &str)> {
    v.iter().map(|(f, s)| (*f, s.as_str())).collect()
}

fn local(code: &str, name: &str, status: CustomerStatus, fields: &[(Field, &str)]) -> Customer {
    let mut c = Customer::new(code, name, status);
    for (f, v) in fields {
        c.data.set(*f, v);
    }
    c
}

impl Demo {
    /// SMSTurbo customers in every status; a sandbox company that overlaps them (customers
    /// missing on each side, not-in-sync pairs, a job, a vendor whose name collides, an
    /// over-long and a non-Latin-1 name); custsync not authorized yet; QuickBooks has the file
    /// open.
    pub fn create() -> Demo {
        let dir = tempfile::tempdir().expect("temp dir");
        let company = dir.path().join("Acme Books.QBW");
        let file = CompanyFile::create(&company, COMPANY_NAME).expect("sandbox company");
        file.set_open_in_quickbooks(true)
            .expect("open in QuickBooks");
        drop(file);
        let demo = Demo { dir, company };
        let mut store = demo.store();
        let phone = |i: usize| format!("555-01{i:02}");
        let people = [
            ("C1001", "Birchwood Hardware", CustomerStatus::Active),
            ("C1002", "Cobalt Marine", CustomerStatus::Hold),
            ("C1003", "Delta Bakery", CustomerStatus::Prospect),
            ("C1004", "Evergreen Landscaping", CustomerStatus::Inactive),
            ("C1005", "Foxglove Florist", CustomerStatus::Active),
            ("C1006", "Granite Works", CustomerStatus::Hold),
            ("C2001", "ACME Supply", CustomerStatus::Active),
            (
                "C2002",
                "The Extraordinarily Long Name Landscaping Company",
                CustomerStatus::Active,
            ),
            ("C2003", "Łódź Imports", CustomerStatus::Prospect),
            ("C2004", "Orbit Optics", CustomerStatus::Active),
        ];
        for (i, (code, name, status)) in people.iter().enumerate() {
            let c = local(
                code,
                name,
                *status,
                &[
                    (Field::Phone, &phone(i)),
                    (Field::BillAddr1, &format!("{} Main St", 100 + i)),
                    (Field::BillCity, "Springfield"),
                ],
            );
            store.create_customer(&c).expect("customer");
        }
        demo.qb(vec![
            RequestBody::CustomerTypeAdd(ListAdd {
                name: "Retail".into(),
                ..Default::default()
            }),
            RequestBody::CustomerTypeAdd(ListAdd {
                name: "Wholesale".into(),
                ..Default::default()
            }),
        ]);
        let add = |name: &str, fields: &[(Field, &str)], active: bool| {
            let mut data = CustomerData::new().with(Field::Name, name);
            for (f, v) in fields {
                data.set(*f, v);
            }
            RequestBody::CustomerAdd(Box::new(CustomerAdd {
                data,
                is_active: Some(active),
                ..Default::default()
            }))
        };
        let same = |i: usize, code: &'static str| {
            vec![
                (Field::AccountNumber, code.to_string()),
                (Field::Phone, phone(i)),
                (Field::BillAddr1, format!("{} Main St", 100 + i)),
                (Field::BillCity, "Springfield".to_string()),
            ]
        };
        let birch = same(0, "C1001");
        let mut cobalt = same(1, "C1002");
        cobalt[1].1 = "555-0299".into();
        cobalt[2].1 = "9 Harbor Rd".into();
        let foxglove = same(4, "C1005");
        demo.qb(vec![
            add("Birchwood Hardware", &refs(&birch), true),
            add("Cobalt Marine", &refs(&cobalt), true),
            add("Foxglove Florist", &refs(&foxglove), false),
            add(
                "Bayside Marina",
                &[(Field::CustomerType, "Retail"), (Field::Phone, "555-0301")],
                true,
            ),
            add(
                "Copper Kettle Diner",
                &[
                    (Field::AccountNumber, "Q102"),
                    (Field::CustomerType, "Wholesale"),
                ],
                true,
            ),
        ]);
        // A job under Cobalt Marine: never an SMSTurbo customer.
        let mut job = CustomerAdd {
            data: CustomerData::new().with(Field::Name, "Dock repair"),
            ..Default::default()
        };
        job.parent = Some(ListRef {
            list_id: None,
            full_name: Some("Cobalt Marine".into()),
        });
        demo.qb(vec![RequestBody::CustomerAdd(Box::new(job))]);
        demo.add_name(NameList::Vendor, "ACME Supply");
        let config = Config {
            company_file: demo.company.display().to_string(),
            ..Config::default()
        };
        config
            .save(&demo.dir.path().join("config.toml"))
            .expect("config.toml");
        demo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A second connection to the workspace's database (the back end holds the first).
    pub fn store(&self) -> Store {
        Store::open(self.dir.path().join("custsync.db")).expect("store")
    }

    pub fn customers(&self) -> Vec<Customer> {
        self.store().customers().expect("customers")
    }

    pub fn customer(&self, code: &str) -> Option<Customer> {
        self.store().customer(code).expect("customer")
    }

    pub fn config(&self) -> Config {
        Config::load(&self.dir.path().join("config.toml")).expect("config")
    }

    pub fn file(&self) -> CompanyFile {
        CompanyFile::open(&self.company).expect("sandbox company")
    }

    /// Runs requests in the sandbox company, as QuickBooks' own user would.
    pub fn qb(&self, bodies: Vec<RequestBody>) -> Vec<custsync::qbxml::Response> {
        let mut file = self.file();
        let mut session = sandbox::Session::new("demo", Default::default());
        let mut doc = RequestDoc::new(QbxmlVersion::new(13, 0), OnError::StopOnError);
        for (i, b) in bodies.into_iter().enumerate() {
            doc.push(format!("{i}"), b);
        }
        let text = sandbox::process(&mut file, &mut session, &write_request(&doc))
            .expect("sandbox request");
        let response = read_response_str(&text).expect("sandbox response");
        for r in &response.responses {
            assert!(!r.status.is_error(), "{:?}", r.status);
        }
        response.responses
    }

    pub fn add_name(&self, list: NameList, name: &str) {
        self.file().add_name(list, name, true).expect("name");
    }

    /// Every QuickBooks customer (jobs and inactive ones included).
    pub fn qb_customers(&self) -> Vec<CustomerRet> {
        let r = self.qb(vec![RequestBody::CustomerQuery(CustomerQuery {
            selection: QbSelection::Filter(ListFilter {
                active_status: Some(ActiveStatus::All),
                ..Default::default()
            }),
            ..Default::default()
        })]);
        match &r[0].body {
            ResponseBody::Customers(c) => c.clone(),
            _ => Vec::new(),
        }
    }

    pub fn qb_named(&self, name: &str) -> Vec<CustomerRet> {
        self.qb_customers()
            .into_iter()
            .filter(|c| {
                c.data
                    .get(Field::Name)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .collect()
    }

    /// The TUI on this workspace through the real back end, `size` cells.
    pub fn harness(self, size: (u16, u16)) -> Harness<Demo> {
        let ws = Workspace::open(Some(self.dir.path())).expect("workspace");
        let config = ws.load_config().expect("config");
        let dir = ws.dir().to_path_buf();
        let trace = std::env::var_os("TUI_TRACE").map(PathBuf::from);
        let backend = RealBackend::new(ws, config.clone(), trace).expect("back end");
        Harness::start(backend, self, config, dir, size, Theme::plain())
    }
}
