//! Fills a sandbox company with realistic random customers (companies and people, contacts,
//! addresses, phones, emails, credit limits, types and sub-types, terms, sales reps, tax codes;
//! some inactive; some jobs under customers), customer and job types, and a few vendors,
//! employees and other names.
//!
//! Deterministic for a seed: the same seed on a fresh company gives the same records and
//! timestamps (times are spread over the five years before 2025-01-01). Everything goes in one
//! transaction, with ListID sequence numbers reserved in a block, so 100,000 customers take
//! seconds.

use std::collections::HashSet;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rusqlite::Connection;

use crate::qbxml::{CustomerData, Field, NameList};

use super::file::{CompanyFile, SandboxError, insert_list_entry, name_key, reserve_sequences};
use super::records::{self, ListKind, NewCustomer, NewName, Parent, Table};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Customers, including the jobs among them.
    pub customers: u32,
    pub seed: u64,
    /// Vendors, employees and other names; `None`: a number that grows slowly with `customers`.
    pub vendors: Option<u32>,
    pub employees: Option<u32>,
    pub other_names: Option<u32>,
    /// Percent of customers that are jobs under another customer.
    pub job_percent: u8,
    /// Percent of customers that are inactive.
    pub inactive_percent: u8,
}

impl GenerateOptions {
    pub fn new(customers: u32, seed: u64) -> GenerateOptions {
        GenerateOptions {
            customers,
            seed,
            vendors: None,
            employees: None,
            other_names: None,
            job_percent: 5,
            inactive_percent: 6,
        }
    }
}

/// What was added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenerateSummary {
    pub customers: u32,
    pub jobs: u32,
    pub inactive: u32,
    pub vendors: u32,
    pub employees: u32,
    pub other_names: u32,
    pub customer_types: u32,
    pub job_types: u32,
    pub sales_reps: u32,
}

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Andrew",
    "Emily",
    "Paul",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
    "Timothy",
    "Stephanie",
    "José",
    "Zoë",
    "Renée",
    "Björn",
    "François",
    "Ingrid",
    "Hiroshi",
    "Aisha",
    "Mateo",
    "Priya",
    "Sean",
    "Chloé",
];

const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "O'Brien",
    "Müller",
    "Søndergaard",
    "Dubois",
    "Kowalski",
    "Abercrombie",
    "Fitzgerald",
    "Yamamoto",
    "Okafor",
    "Lindqvist",
    "Brennan",
    "Castillo",
    "Hendricks",
    "Vasquez",
    "Whitaker",
    "Delgado",
    "Ferreira",
    "Novak",
    "Schultz",
    "MacLeod",
];

const TRADE: &[&str] = &[
    "Supply",
    "Builders",
    "Bakery",
    "Consulting",
    "Landscaping",
    "Plumbing",
    "Electric",
    "Hardware",
    "Auto Repair",
    "Dental",
    "Florist",
    "Catering",
    "Roofing",
    "Printing",
    "Cafe",
    "Veterinary Clinic",
    "Design Studio",
    "Law Office",
    "Pharmacy",
    "Farms",
    "Logistics",
    "Machine Shop",
    "Realty",
    "Salon",
    "Fitness",
    "Brewing Co.",
    "Tailors",
    "Glass & Mirror",
];

const SUFFIX: &[&str] = &[
    "", "", "", " Inc.", " LLC", " & Sons", " Co.", " Ltd.", " Group",
];

const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Pine St",
    "Elm St",
    "Washington Blvd",
    "Lakeview Rd",
    "Hillcrest Ave",
    "Sunset Blvd",
    "River Rd",
    "Park Pl",
    "Highland Ave",
    "Mill St",
    "Church St",
    "Industrial Pkwy",
    "Commerce Way",
    "Airport Rd",
    "Bay St",
    "Juniper Ct",
];

/// (city, state, ZIP prefix, area code)
const CITIES: &[(&str, &str, &str, &str)] = &[
    ("Springfield", "IL", "627", "217"),
    ("Middletown", "OH", "450", "513"),
    ("Bayside", "NY", "113", "718"),
    ("Fairview", "TX", "750", "972"),
    ("Riverside", "CA", "925", "951"),
    ("Portland", "OR", "972", "503"),
    ("Madison", "WI", "537", "608"),
    ("Greenville", "SC", "296", "864"),
    ("Boulder", "CO", "803", "303"),
    ("Burlington", "VT", "054", "802"),
    ("Tucson", "AZ", "857", "520"),
    ("Savannah", "GA", "314", "912"),
];

/// (type, parent)
const CUSTOMER_TYPES: &[(&str, Option<&str>)] = &[
    ("Commercial", None),
    ("Retail", Some("Commercial")),
    ("Wholesale", Some("Commercial")),
    ("Restaurant", Some("Commercial")),
    ("Residential", None),
    ("Government", None),
    ("Non-profit", None),
    ("Referral", None),
    ("Web", Some("Referral")),
    ("Partner", Some("Referral")),
];

const JOB_TYPES: &[&str] = &[
    "Installation",
    "Repair",
    "Maintenance",
    "Remodel",
    "Consulting",
];

const JOB_NAMES: &[&str] = &[
    "Kitchen",
    "Office Remodel",
    "Warehouse",
    "Annual Service",
    "Phase 2",
    "Roof",
    "Store #2",
    "Parking Lot",
    "Lobby",
    "Website",
    "Basement",
    "North Site",
];

const NOTES: &[&str] = &[
    "Prefers email invoices.",
    "Call before delivery.",
    "Tax exempt certificate on file.",
    "Net terms approved by owner.",
    "Seasonal customer (spring/summer).",
];

/// Five years before 2025-01-01T00:00:00Z, the span records are created in.
const TIME_END: i64 = 1_735_689_600;
const TIME_SPAN: i64 = 5 * 365 * 86_400;

struct Gen {
    rng: Xoshiro256PlusPlus,
    taken: HashSet<String>,
}

impl Gen {
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.rng.random_range(0..items.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.random_range(0..100) < percent
    }

    /// A name no customer, vendor, employee or other name holds yet (case-insensitively).
    fn unique(&mut self, base: &str) -> String {
        let max = Field::Name.max_len().unwrap_or(41);
        let base: String = base.chars().take(max).collect();
        if self.taken.insert(name_key(&base)) {
            return base;
        }
        let mut n: u64 = 2;
        loop {
            let tail = format!(" {n}");
            let head: String = base.chars().take(max - tail.len()).collect();
            let candidate = format!("{}{tail}", head.trim_end());
            if self.taken.insert(name_key(&candidate)) {
                return candidate;
            }
            n += 1;
        }
    }

    fn phone(&mut self, area: &str) -> String {
        format!("({area}) 555-{:04}", self.rng.random_range(100..10_000u32))
    }
}

fn ascii_slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        let base = match ch {
            'à'..='å' | 'À'..='Å' => 'a',
            'è'..='ë' | 'È'..='Ë' => 'e',
            'ì'..='ï' => 'i',
            'ò'..='ö' | 'ø' | 'Ø' | 'Ò'..='Ö' => 'o',
            'ù'..='ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => continue,
        };
        out.push(base);
    }
    out
}

/// Adds generated records to `file` in one transaction.
pub fn generate(
    file: &mut CompanyFile,
    options: &GenerateOptions,
) -> Result<GenerateSummary, SandboxError> {
    let path = file.path().display().to_string();
    let tx = file
        .conn
        .transaction()
        .map_err(|source| SandboxError::Storage {
            path: path.clone(),
            source,
        })?;
    let summary = run(&tx, options).map_err(|source| SandboxError::Storage {
        path: path.clone(),
        source,
    })?;
    tx.commit()
        .map_err(|source| SandboxError::Storage { path, source })?;
    Ok(summary)
}

fn existing_names(conn: &Connection) -> rusqlite::Result<HashSet<String>> {
    let mut taken = HashSet::new();
    for sql in [
        "SELECT name_key FROM customer WHERE parent_id IS NULL",
        "SELECT name_key FROM entity",
    ] {
        let mut stmt = conn.prepare(sql)?;
        for k in stmt.query_map([], |r| r.get::<_, String>(0))? {
            taken.insert(k?);
        }
    }
    Ok(taken)
}

/// The row of list entry `name` (under `parent`), adding it if the company lacks it.
fn ensure_entry(
    conn: &Connection,
    kind: ListKind,
    name: &str,
    parent: Option<&str>,
    now: i64,
    added: &mut u32,
) -> rusqlite::Result<i64> {
    let full = match parent {
        Some(p) => format!("{p}:{name}"),
        None => name.to_string(),
    };
    if let Some(id) = records::id_by_full_name(conn, Table::List(kind), &full)? {
        return Ok(id);
    }
    let parent = match parent {
        Some(p) => {
            let id = records::id_by_full_name(conn, Table::List(kind), p)?
                .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            let (_, full_name, sublevel) = records::identity(conn, Table::List(kind), id)?;
            Some((id, full_name, sublevel))
        }
        None => None,
    };
    *added += 1;
    insert_list_entry(
        conn,
        kind.as_str(),
        name,
        parent.as_ref().map(|(i, n, s)| (*i, n.as_str(), *s)),
        now,
    )
}

fn run(conn: &Connection, o: &GenerateOptions) -> rusqlite::Result<GenerateSummary> {
    let mut g = Gen {
        rng: Xoshiro256PlusPlus::seed_from_u64(o.seed),
        taken: existing_names(conn)?,
    };
    let mut sum = GenerateSummary::default();
    let setup_time = TIME_END - TIME_SPAN;

    let mut customer_types = Vec::new();
    for (name, parent) in CUSTOMER_TYPES {
        customer_types.push(ensure_entry(
            conn,
            ListKind::CustomerType,
            name,
            *parent,
            setup_time,
            &mut sum.customer_types,
        )?);
    }
    let mut job_types = Vec::new();
    for name in JOB_TYPES {
        job_types.push(ensure_entry(
            conn,
            ListKind::JobType,
            name,
            None,
            setup_time,
            &mut sum.job_types,
        )?);
    }

    // Employees (the first few are sales reps), vendors, other names.
    let scale = (o.customers / 1000).min(200);
    let employees = o.employees.unwrap_or(4 + scale / 10);
    let vendors = o.vendors.unwrap_or(6 + scale);
    let others = o.other_names.unwrap_or(2 + scale / 20);
    let mut reps = Vec::new();
    for i in 0..employees {
        let (first, last) = (g.pick(FIRST), g.pick(LAST));
        let name = g.unique(&format!("{first} {last}"));
        let new = NewName {
            name: &name,
            is_active: true,
            first_name: Some(first),
            last_name: Some(last),
            ..NewName::default()
        };
        records::insert_name(conn, NameList::Employee, &new, setup_time)?;
        sum.employees += 1;
        if i < 5 {
            let initials: String = [first, last]
                .iter()
                .filter_map(|w| w.chars().next())
                .collect();
            let mut added = 0;
            let rep = ensure_entry(
                conn,
                ListKind::SalesRep,
                &initials,
                None,
                setup_time,
                &mut added,
            )?;
            sum.sales_reps += added;
            reps.push(rep);
        }
    }
    for _ in 0..vendors {
        let base = format!("{} {}{}", g.pick(LAST), g.pick(TRADE), g.pick(SUFFIX));
        let name = g.unique(&base);
        let city = CITIES[g.rng.random_range(0..CITIES.len())];
        let phone = g.phone(city.3);
        let new = NewName {
            name: &name,
            is_active: !g.chance(5),
            company_name: Some(&name),
            phone: Some(&phone),
            ..NewName::default()
        };
        records::insert_name(conn, NameList::Vendor, &new, setup_time)?;
        sum.vendors += 1;
    }
    for _ in 0..others {
        let base = format!("{} {}", g.pick(FIRST), g.pick(LAST));
        let name = g.unique(&base);
        let new = NewName {
            name: &name,
            is_active: true,
            ..NewName::default()
        };
        records::insert_name(conn, NameList::OtherName, &new, setup_time)?;
        sum.other_names += 1;
    }

    let lists = Lists {
        customer_types,
        terms: all_entries(conn, ListKind::Terms)?,
        tax_codes: all_entries(conn, ListKind::SalesTaxCode)?,
        reps,
    };

    // Creation times in ascending order, so ListID sequence numbers grow with time as in
    // QuickBooks.
    let mut times: Vec<i64> = (0..o.customers)
        .map(|_| TIME_END - g.rng.random_range(0..TIME_SPAN))
        .collect();
    times.sort_unstable();
    let first_seq = reserve_sequences(conn, o.customers)?;

    let mut parents: Vec<Parent> = Vec::new();
    let mut job_names: HashSet<String> = HashSet::new();
    let mut account = existing_count(conn)? + 1;
    for (i, &created) in times.iter().enumerate() {
        let seq = first_seq.wrapping_add(u32::try_from(i).unwrap_or(u32::MAX));
        let modified = if g.chance(30) {
            created + g.rng.random_range(0..(TIME_END - created).max(1))
        } else {
            created
        };
        let make_job = !parents.is_empty() && g.chance(u32::from(o.job_percent));
        let inactive = g.chance(u32::from(o.inactive_percent));
        let mut data = CustomerData::new();
        let mut refs: Vec<(Field, i64)> = Vec::new();
        let mut parent = None;
        let mut job_type_id = None;
        if make_job {
            let p = parents[g.rng.random_range(0..parents.len())].clone();
            let mut name = g.pick(JOB_NAMES).to_string();
            let mut n = 2;
            while !job_names.insert(name_key(&format!("{}:{name}", p.full_name))) {
                name = format!("{} {n}", g.pick(JOB_NAMES));
                n += 1;
            }
            data.set(Field::Name, &name);
            if g.chance(70) {
                job_type_id = Some(job_types[g.rng.random_range(0..job_types.len())]);
            }
            parent = Some(p);
            sum.jobs += 1;
        } else {
            fill_customer(&mut g, &mut data, &mut refs, account, &lists);
            account += 1;
        }
        let new = NewCustomer {
            data: &data,
            refs: &refs,
            parent: parent.as_ref(),
            is_active: !inactive,
            job_type_id,
            external_guid: None,
            created,
            modified,
        };
        let id = records::insert_customer_as(conn, &new, seq)?;
        if parent.is_none() && parents.len() < 5_000 {
            parents.push(Parent {
                id,
                full_name: new.full_name(),
                sublevel: 0,
            });
        }
        sum.customers += 1;
        sum.inactive += u32::from(inactive);
    }
    Ok(sum)
}

fn existing_count(conn: &Connection) -> rusqlite::Result<u64> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM customer", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn all_entries(conn: &Connection, kind: ListKind) -> rusqlite::Result<Vec<i64>> {
    records::matching_ids(
        conn,
        Table::List(kind),
        &records::Filter {
            active: crate::qbxml::ActiveStatus::All,
            ..records::Filter::default()
        },
        None,
    )
}

/// The list entries customers are given.
struct Lists {
    customer_types: Vec<i64>,
    terms: Vec<i64>,
    tax_codes: Vec<i64>,
    reps: Vec<i64>,
}

impl Gen {
    /// One of `ids`, or nothing when the list is empty.
    fn one_of(&mut self, ids: &[i64]) -> Option<i64> {
        (!ids.is_empty()).then(|| ids[self.rng.random_range(0..ids.len())])
    }
}

fn fill_customer(
    g: &mut Gen,
    data: &mut CustomerData,
    refs: &mut Vec<(Field, i64)>,
    account: u64,
    lists: &Lists,
) {
    let (first, last) = (g.pick(FIRST), g.pick(LAST));
    let city = CITIES[g.rng.random_range(0..CITIES.len())];
    let is_company = g.chance(65);
    let name = if is_company {
        let base = format!("{} {}{}", g.pick(LAST), g.pick(TRADE), g.pick(SUFFIX));
        g.unique(&base)
    } else {
        g.unique(&format!("{last}, {first}"))
    };
    data.set(Field::Name, &name);
    if is_company {
        data.set(Field::CompanyName, &name);
    }
    data.set(Field::FirstName, first);
    data.set(Field::LastName, last);
    data.set(Field::Contact, format!("{first} {last}"));
    let street = format!("{} {}", g.rng.random_range(1..9999u32), g.pick(STREETS));
    let zip = format!("{}{:02}", city.2, g.rng.random_range(0..100u32));
    data.set(Field::BillAddr1, &name);
    data.set(Field::BillAddr2, &street);
    if g.chance(15) {
        data.set(
            Field::BillAddr3,
            format!("Suite {}", g.rng.random_range(100..999u32)),
        );
    }
    data.set(Field::BillCity, city.0);
    data.set(Field::BillState, city.1);
    data.set(Field::BillPostalCode, &zip);
    if g.chance(20) {
        data.set(Field::BillCountry, "US");
    }
    if g.chance(30) {
        data.set(Field::ShipAddr1, &name);
        data.set(Field::ShipAddr2, &street);
        data.set(Field::ShipCity, city.0);
        data.set(Field::ShipState, city.1);
        data.set(Field::ShipPostalCode, &zip);
    }
    data.set(Field::Phone, g.phone(city.3));
    if g.chance(20) {
        data.set(Field::AltPhone, g.phone(city.3));
    }
    if g.chance(10) {
        data.set(Field::Fax, g.phone(city.3));
    }
    if g.chance(75) {
        let domain = if is_company {
            format!("{}.example", ascii_slug(&name))
        } else {
            "mail.example".to_string()
        };
        data.set(
            Field::Email,
            format!("{}.{}@{domain}", ascii_slug(first), ascii_slug(last)),
        );
    }
    for (field, percent, ids) in [
        (Field::CustomerType, 80, &lists.customer_types),
        (Field::Terms, 70, &lists.terms),
        (Field::SalesRep, 40, &lists.reps),
        (Field::SalesTaxCode, 90, &lists.tax_codes),
    ] {
        if g.chance(percent)
            && let Some(id) = g.one_of(ids)
        {
            refs.push((field, id));
        }
    }
    if refs.iter().any(|(f, _)| *f == Field::SalesTaxCode) && g.chance(10) {
        data.set(
            Field::ResaleNumber,
            format!("R-{:07}", g.rng.random_range(0..10_000_000u32)),
        );
    }
    if g.chance(65) {
        data.set(Field::AccountNumber, format!("C{account:06}"));
    }
    if g.chance(60) {
        let limit = g.rng.random_range(1..=50u32) * 500;
        data.set(Field::CreditLimit, format!("{limit}.00"));
    }
    if g.chance(10) {
        data.set(Field::Notes, g.pick(NOTES));
    }
}
