//! The built-in demo workspace (SPEC §7): a few dozen SMSTurbo customers in every status and
//! type, and a sandbox QuickBooks company that overlaps them — customers missing on each side,
//! pairs that are not in sync, a vendor whose name collides with an SMSTurbo customer, an
//! over-long name and a name QuickBooks cannot store. custsync is not yet authorized in the
//! company, so the first Synchronize shows QuickBooks' certificate dialog, as on the seed page.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::qb::sandbox::{self, CompanyFile, SandboxError};
use crate::qbxml::write::write_request;
use crate::qbxml::{
    CustomerAdd, CustomerData, Field, ListAdd, ListRef, NameList, OnError, QbxmlVersion,
    RequestBody, RequestDoc,
};
use crate::store::{Customer, CustomerStatus, StoreError, Workspace, WorkspaceError};
use crate::sync::ReplaceGroup;

/// Marks a folder as a demo workspace, so `custsync demo` may wipe and rebuild it. A folder
/// without it is never wiped.
const MARKER: &str = ".custsync-demo";
const COMPANY_FILE: &str = "Sunrise Supply.QBW";
const COMPANY_NAME: &str = "Sunrise Supply Co. (demo)";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "{0} already exists and is not a demo workspace, so custsync will not overwrite it: \
         choose another folder with --workspace DIR"
    )]
    NotADemo(PathBuf),
    #[error("could not clear the old demo in {dir}: {source}; delete the folder and try again")]
    Clear {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    #[error("the demo company refused its own data: {0}; this is a bug in custsync")]
    Company(String),
    #[error("could not write the demo setup: {0}")]
    Config(String),
}

/// What `create` made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSummary {
    pub dir: PathBuf,
    pub company_file: PathBuf,
    pub smsturbo_customers: usize,
    pub quickbooks_customers: usize,
}

/// The demo's folder when `--workspace` is not given: `demo` beside the default workspace.
pub fn default_dir() -> Result<PathBuf, WorkspaceError> {
    Ok(Workspace::default_dir()?.join("demo"))
}

/// Creates a fresh demo workspace in `dir` (replacing an earlier demo there).
pub fn create(dir: &Path) -> Result<DemoSummary, DemoError> {
    clear(dir)?;
    let workspace = Workspace::open(Some(dir))?;
    std::fs::write(dir.join(MARKER), "custsync demo workspace\n").map_err(|source| {
        DemoError::Clear {
            dir: dir.to_path_buf(),
            source,
        }
    })?;

    let company_file = dir.join(COMPANY_FILE);
    let company = CompanyFile::create(&company_file, COMPANY_NAME)?;
    // QuickBooks has the file open; custsync has never been authorized: the first Synchronize
    // shows the certificate dialog.
    company.set_open_in_quickbooks(true)?;
    drop(company);
    let quickbooks_customers = fill_company(&company_file)?;

    let mut store = workspace.open_store()?;
    let customers = smsturbo_customers();
    store.transaction(|tx| -> Result<(), StoreError> {
        for c in &customers {
            tx.create_customer(c)?;
        }
        Ok(())
    })?;

    let mut config = Config {
        company_file: company_file.display().to_string(),
        ..Config::default()
    };
    config.replace.groups = [ReplaceGroup::Phones, ReplaceGroup::CreditLimit]
        .into_iter()
        .collect();
    workspace
        .save_config(&config)
        .map_err(|e| DemoError::Config(e.to_string()))?;

    Ok(DemoSummary {
        dir: dir.to_path_buf(),
        company_file,
        smsturbo_customers: customers.len(),
        quickbooks_customers,
    })
}

/// Empties `dir` if it holds an earlier demo; refuses any other non-empty folder.
fn clear(dir: &Path) -> Result<(), DemoError> {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return Ok(()); // absent: Workspace::open creates it
    };
    if entries.next().is_none() {
        return Ok(());
    }
    if !dir.join(MARKER).exists() {
        return Err(DemoError::NotADemo(dir.to_path_buf()));
    }
    // Take the workspace lock first so a custsync still running on the old demo is told.
    let lock = Workspace::open(Some(dir))?;
    for entry in std::fs::read_dir(dir).map_err(|source| DemoError::Clear {
        dir: dir.to_path_buf(),
        source,
    })? {
        let path = entry
            .map_err(|source| DemoError::Clear {
                dir: dir.to_path_buf(),
                source,
            })?
            .path();
        // The lock file stays (we hold it); everything else goes.
        if path.file_name().is_some_and(|n| n == "custsync.lock") {
            continue;
        }
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|source| DemoError::Clear {
            dir: dir.to_path_buf(),
            source,
        })?;
    }
    drop(lock);
    Ok(())
}

/// One customer of the demo: code, name, status, customer type, and a few fields.
struct Person {
    code: &'static str,
    name: &'static str,
    status: CustomerStatus,
    kind: &'static str,
    contact: (&'static str, &'static str),
    street: &'static str,
    city: (&'static str, &'static str, &'static str),
    phone: &'static str,
    credit: &'static str,
}

// One row of the demo's customer table: positional on purpose, so each customer reads as one line.
#[allow(clippy::too_many_arguments)]
const fn p(
    code: &'static str,
    name: &'static str,
    status: CustomerStatus,
    kind: &'static str,
    contact: (&'static str, &'static str),
    street: &'static str,
    city: (&'static str, &'static str, &'static str),
    phone: &'static str,
    credit: &'static str,
) -> Person {
    Person {
        code,
        name,
        status,
        kind,
        contact,
        street,
        city,
        phone,
        credit,
    }
}

use CustomerStatus::{Active, Hold, Inactive, Prospect};

/// In both SMSTurbo and QuickBooks, identical.
const BOTH_EXACT: &[Person] = &[
    p(
        "BAK100",
        "Baker Street Bakery",
        Active,
        "Retail",
        ("Ann", "Baker"),
        "221 Baker St",
        ("Springfield", "IL", "62701"),
        "217-555-0110",
        "2500.00",
    ),
    p(
        "CED110",
        "Cedar Ridge Builders",
        Active,
        "Contractor",
        ("Carl", "Reed"),
        "45 Cedar Rd",
        ("Springfield", "IL", "62702"),
        "217-555-0111",
        "10000.00",
    ),
    p(
        "DUN120",
        "Dunmore Hardware",
        Hold,
        "Retail",
        ("Dana", "Moore"),
        "12 Main St",
        ("Decatur", "IL", "62521"),
        "217-555-0112",
        "5000.00",
    ),
    p(
        "EVE130",
        "Evergreen Landscaping",
        Active,
        "Contractor",
        ("Eve", "Green"),
        "800 Park Ave",
        ("Peoria", "IL", "61602"),
        "309-555-0113",
        "7500.00",
    ),
    p(
        "FOX140",
        "Fox Valley Feed",
        Active,
        "Wholesale",
        ("Frank", "Fox"),
        "3 Mill Rd",
        ("Aurora", "IL", "60505"),
        "630-555-0114",
        "15000.00",
    ),
    p(
        "GLE150",
        "Glenview Garden Center",
        Active,
        "Retail",
        ("Gina", "Glen"),
        "77 Lake Ave",
        ("Glenview", "IL", "60025"),
        "847-555-0115",
        "3000.00",
    ),
];

/// In both, but QuickBooks holds different values (the panes show them when "Show Missing
/// Customers Only?" is answered No).
/// A customer, what QuickBooks holds differently, and whether it is active there.
type Difference = (Person, &'static [(Field, &'static str)], bool);

const BOTH_DIFFERENT: &[Difference] = &[
    (
        p(
            "HAR200",
            "Harbor Marine Supply",
            Active,
            "Wholesale",
            ("Hal", "Harbor"),
            "1 Dock St",
            ("Chicago", "IL", "60601"),
            "312-555-0120",
            "20000.00",
        ),
        &[
            (Field::Phone, "312-555-0199"),
            (Field::AltPhone, "312-555-0198"),
        ],
        true,
    ),
    (
        p(
            "IRO210",
            "Ironwood Cabinets",
            Active,
            "Contractor",
            ("Iris", "Wood"),
            "90 Oak St",
            ("Joliet", "IL", "60431"),
            "815-555-0121",
            "8000.00",
        ),
        &[
            (Field::CreditLimit, "12000.00"),
            (Field::BillAddr1, "92 Oak Street"),
        ],
        true,
    ),
    (
        p(
            "JUN220",
            "Juniper Cafe",
            Active,
            "Retail",
            ("June", "Park"),
            "5 Elm St",
            ("Urbana", "IL", "61801"),
            "217-555-0122",
            "1500.00",
        ),
        &[
            (Field::Email, "orders@junipercafe.example"),
            (Field::Contact, "June Park"),
        ],
        true,
    ),
    (
        p(
            "KES230",
            "Kestrel Farms",
            Hold,
            "Wholesale",
            ("Ken", "Kestrel"),
            "Rural Route 2",
            ("Pontiac", "IL", "61764"),
            "815-555-0123",
            "6000.00",
        ),
        &[],
        false,
    ),
];

/// Only in SMSTurbo: export candidates (some with problems).
const SMSTURBO_ONLY: &[Person] = &[
    p(
        "ALP300",
        "Alpine Outfitters",
        Active,
        "Retail",
        ("Al", "Pine"),
        "10 Summit Dr",
        ("Rockford", "IL", "61101"),
        "815-555-0130",
        "4000.00",
    ),
    p(
        "BRI310",
        "Bright Path Electric",
        Active,
        "Contractor",
        ("Bree", "Path"),
        "64 Volt Ave",
        ("Naperville", "IL", "60540"),
        "630-555-0131",
        "9000.00",
    ),
    p(
        "COP320",
        "Copper Kettle Diner",
        Prospect,
        "Retail",
        ("Cole", "Kettle"),
        "8 Route 66",
        ("Normal", "IL", "61761"),
        "309-555-0132",
        "1000.00",
    ),
    p(
        "DRI330",
        "Driftwood Marina",
        Hold,
        "Wholesale",
        ("Drew", "Wood"),
        "2 Harbor Ln",
        ("Waukegan", "IL", "60085"),
        "847-555-0133",
        "12000.00",
    ),
    p(
        "ELM340",
        "Elm Street Books",
        Inactive,
        "Retail",
        ("Ella", "Street"),
        "300 Elm St",
        ("Evanston", "IL", "60201"),
        "847-555-0134",
        "500.00",
    ),
    p(
        "FAL350",
        "Falcon Roofing",
        Active,
        "Contractor",
        ("Fay", "Falcon"),
        "19 Ridge Rd",
        ("Elgin", "IL", "60120"),
        "847-555-0135",
        "7000.00",
    ),
    p(
        "GRA360",
        "Granite State Movers",
        Prospect,
        "Wholesale",
        ("Grant", "Stone"),
        "55 Quarry Rd",
        ("Moline", "IL", "61265"),
        "309-555-0136",
        "3000.00",
    ),
    p(
        "HEA370",
        "Hearthstone Bakery",
        Inactive,
        "Retail",
        ("Heath", "Stone"),
        "4 Hearth Ct",
        ("Quincy", "IL", "62301"),
        "217-555-0137",
        "800.00",
    ),
    p(
        "CAF380",
        "Café Zürich",
        Active,
        "Retail",
        ("Zoë", "Müller"),
        "12 Lake Shore Dr",
        ("Chicago", "IL", "60611"),
        "312-555-0138",
        "2000.00",
    ),
    // A vendor in QuickBooks already has this name (3100 if sent).
    p(
        "ACM390",
        "ACME Supply",
        Active,
        "Wholesale",
        ("Ada", "Acme"),
        "1 Industrial Pkwy",
        ("Cicero", "IL", "60804"),
        "708-555-0139",
        "25000.00",
    ),
    // Longer than QuickBooks' 41 characters.
    p(
        "NOR400",
        "Northwestern Regional Agricultural Cooperative Association",
        Active,
        "Wholesale",
        ("Nora", "West"),
        "1 Co-op Way",
        ("Galesburg", "IL", "61401"),
        "309-555-0140",
        "30000.00",
    ),
    // Characters outside ISO-8859-1.
    p(
        "LOD410",
        "Łódź Trading Sp. z o.o.",
        Prospect,
        "Wholesale",
        ("Łukasz", "Nowak"),
        "ul. Piotrkowska 1",
        ("Chicago", "IL", "60630"),
        "773-555-0141",
        "5000.00",
    ),
    // QuickBooks has it as "Willow Creek Florist Inc" (the same phone): a likely duplicate,
    // neither exported nor imported unless the operator says so.
    WILLOW_CREEK,
];

/// SMSTurbo's spelling of the customer QuickBooks has as [`WILLOW_CREEK_IN_QB`].
const WILLOW_CREEK: Person = p(
    "WIL420",
    "Willow Creek Florist, Inc.",
    Active,
    "Retail",
    ("Wendy", "Brook"),
    "6 Willow Ln",
    ("Naperville", "IL", "60540"),
    "630-555-0142",
    "1500.00",
);

/// The same customer as [`WILLOW_CREEK`], entered in QuickBooks by hand, without its code.
const WILLOW_CREEK_IN_QB: Person = Person {
    code: "",
    name: "Willow Creek Florist Inc",
    ..WILLOW_CREEK
};

/// Only in QuickBooks: import candidates.
const QUICKBOOKS_ONLY: &[(Person, bool)] = &[
    (
        p(
            "",
            "Lakeside Dental Group",
            Active,
            "Retail",
            ("Lee", "Side"),
            "200 Shore Rd",
            ("Chicago", "IL", "60614"),
            "312-555-0150",
            "3500.00",
        ),
        true,
    ),
    (
        p(
            "MAP510",
            "Maple Leaf Catering",
            Active,
            "Retail",
            ("Mae", "Maple"),
            "15 Maple Ave",
            ("Oak Park", "IL", "60302"),
            "708-555-0151",
            "2000.00",
        ),
        true,
    ),
    (
        p(
            "",
            "Northgate Plumbing",
            Active,
            "Contractor",
            ("Ned", "Gate"),
            "700 North Ave",
            ("Skokie", "IL", "60076"),
            "847-555-0152",
            "6000.00",
        ),
        true,
    ),
    (
        p(
            "ORC530",
            "Orchard Hill Farms",
            Active,
            "Wholesale",
            ("Olive", "Hill"),
            "RR 5",
            ("Kankakee", "IL", "60901"),
            "815-555-0153",
            "9000.00",
        ),
        true,
    ),
    (
        p(
            "",
            "Prairie Wind Energy",
            Active,
            "Contractor",
            ("Pat", "Wind"),
            "1 Turbine Rd",
            ("Bloomington", "IL", "61701"),
            "309-555-0154",
            "20000.00",
        ),
        true,
    ),
    (
        p(
            "QUA550",
            "Quarry Road Stoneworks",
            Active,
            "Contractor",
            ("Quinn", "Road"),
            "88 Quarry Rd",
            ("Joliet", "IL", "60432"),
            "815-555-0155",
            "4500.00",
        ),
        false,
    ),
    (
        p(
            "",
            "Riverbend Pharmacy",
            Active,
            "Retail:Online",
            ("Rita", "Bend"),
            "3 River Rd",
            ("Peoria", "IL", "61603"),
            "309-555-0156",
            "2500.00",
        ),
        true,
    ),
    (WILLOW_CREEK_IN_QB, true),
    (
        p(
            "SIL570",
            "Silverline Auto Parts",
            Active,
            "Wholesale",
            ("Sid", "Line"),
            "42 Motor Way",
            ("Rockford", "IL", "61102"),
            "815-555-0157",
            "11000.00",
        ),
        true,
    ),
];

impl Person {
    fn data(&self) -> CustomerData {
        let (first, last) = self.contact;
        let (city, state, zip) = self.city;
        let mut d = CustomerData::new()
            .with(Field::Name, self.name)
            .with(Field::FirstName, first)
            .with(Field::LastName, last)
            .with(Field::Contact, format!("{first} {last}"))
            .with(Field::BillAddr1, self.street)
            .with(Field::BillCity, city)
            .with(Field::BillState, state)
            .with(Field::BillPostalCode, zip)
            .with(Field::Phone, self.phone)
            .with(Field::CreditLimit, self.credit)
            .with(Field::CustomerType, self.kind)
            .with(Field::Terms, "Net 30")
            .with(Field::AccountNumber, self.code);
        // A company name longer than QuickBooks allows would be a second problem on the same
        // row; the over-long *name* is the one the demo shows.
        if self.name.chars().count() <= 41 {
            d.set(Field::CompanyName, self.name);
        }
        d
    }

    fn customer(&self) -> Customer {
        Customer {
            data: self.data(),
            status: self.status,
            qb_name: None,
            qb_spellings: Default::default(),
        }
    }
}

fn smsturbo_customers() -> Vec<Customer> {
    BOTH_EXACT
        .iter()
        .chain(BOTH_DIFFERENT.iter().map(|(p, _, _)| p))
        .chain(SMSTURBO_ONLY)
        .map(Person::customer)
        .collect()
}

/// Fills the sandbox company the way its bookkeeper would have: types, a colliding vendor and
/// other names, customers, a job.
fn fill_company(path: &Path) -> Result<usize, DemoError> {
    let mut file = CompanyFile::open(path)?;
    for (list, name) in [
        (NameList::Vendor, "ACME Supply"),
        (NameList::Vendor, "Prairie Paper Co."),
        (NameList::Employee, "Sam Ortiz"),
        (NameList::OtherName, "Petty Cash"),
    ] {
        file.add_name(list, name, true)?;
    }

    let mut bodies: Vec<RequestBody> = ["Retail", "Wholesale", "Contractor"]
        .iter()
        .map(|t| {
            RequestBody::CustomerTypeAdd(ListAdd {
                name: (*t).to_string(),
                ..ListAdd::default()
            })
        })
        .collect();
    bodies.push(RequestBody::CustomerTypeAdd(ListAdd {
        name: "Online".into(),
        parent_full_name: Some("Retail".into()),
        ..ListAdd::default()
    }));
    for t in ["Install", "Repair"] {
        bodies.push(RequestBody::JobTypeAdd(ListAdd {
            name: t.into(),
            ..ListAdd::default()
        }));
    }
    let add = |data: CustomerData, active: bool| {
        RequestBody::CustomerAdd(Box::new(CustomerAdd {
            data,
            is_active: Some(active),
            ..CustomerAdd::default()
        }))
    };
    let mut count = 0;
    for person in BOTH_EXACT {
        bodies.push(add(person.data(), person.status.is_active_in_qb()));
        count += 1;
    }
    for (person, changes, active) in BOTH_DIFFERENT {
        let mut data = person.data();
        for (f, v) in *changes {
            data.set(*f, v);
        }
        // Kestrel Farms: the bookkeeper made it inactive in QuickBooks.
        bodies.push(add(data, *active));
        count += 1;
    }
    for (person, active) in QUICKBOOKS_ONLY {
        bodies.push(add(person.data(), *active));
        count += 1;
    }
    // A job under a customer: never an SMSTurbo customer, never listed.
    bodies.push(RequestBody::CustomerAdd(Box::new(CustomerAdd {
        data: CustomerData::new().with(Field::Name, "Kitchen remodel"),
        parent: Some(ListRef {
            list_id: None,
            full_name: Some("Cedar Ridge Builders".into()),
        }),
        job_type: Some("Install".into()),
        ..CustomerAdd::default()
    })));
    count += 1;

    let mut doc = RequestDoc::new(QbxmlVersion::new(13, 0), OnError::StopOnError);
    for (i, b) in bodies.into_iter().enumerate() {
        doc.push(format!("{}", i + 1), b);
    }
    let mut session =
        sandbox::Session::new("custsync demo setup", sandbox::SandboxOptions::default());
    let response = sandbox::process(&mut file, &mut session, &write_request(&doc))
        .map_err(|e| DemoError::Company(e.to_string()))?;
    let read = crate::qbxml::read::read_response_str(&response)
        .map_err(|e| DemoError::Company(e.to_string()))?;
    if let Some(bad) = read.responses.iter().find(|r| r.status.is_error()) {
        return Err(DemoError::Company(bad.status.to_string()));
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_wipe_a_folder_that_is_not_a_demo() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "keep me").unwrap();
        let err = create(dir.path()).unwrap_err();
        assert!(matches!(err, DemoError::NotADemo(_)), "{err}");
        assert!(dir.path().join("precious.txt").exists());
    }

    #[test]
    fn a_demo_can_be_rebuilt_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let first = create(dir.path()).unwrap();
        assert!(first.smsturbo_customers >= 20);
        assert!(first.quickbooks_customers >= 15);
        let again = create(dir.path()).unwrap();
        assert_eq!(first, again);
    }
}
