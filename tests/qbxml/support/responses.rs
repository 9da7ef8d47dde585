//! Response documents for the reader's tests and benchmark: CustomerQueryRs documents written with
//! the library's CustomerRet writer, small or large and realistic.
//!
//! Included with `#[path]` by the suites and the bench that need it (not every item is used by
//! every includer).
#![allow(dead_code)]

use std::io::{self, Write};

use custsync::qbxml::write::customer_ret;
use custsync::qbxml::xml::XmlWriter;
use custsync::qbxml::{CustomerData, CustomerRet, Field, ListRef};

/// A document holding one CustomerQueryRs with `customers`.
pub fn customer_query_rs(customers: &[CustomerRet]) -> String {
    let mut w = XmlWriter::new();
    w.raw("<?xml version=\"1.0\" ?>");
    w.start("QBXML")
        .start("QBXMLMsgsRs")
        .start("CustomerQueryRs");
    w.attr("requestID", "1")
        .attr("statusCode", "0")
        .attr("statusSeverity", "Info")
        .attr("statusMessage", "Status OK")
        .attr("retCount", &customers.len().to_string());
    for c in customers {
        customer_ret(&mut w, c, |_, _| {});
    }
    w.finish()
}

/// xorshift64*: deterministic and dependency-free.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "Jörg",
    "Anna",
    "Robert",
    "Linda",
    "Michael",
    "Zoë",
    "David",
    "Susan",
    "François",
    "Karen",
    "Seán",
    "Nancy",
    "Thomas",
    "Lisa",
];
const LAST: &[&str] = &[
    "Smith", "Johnson", "O'Brien", "Williams", "Müller", "Brown", "García", "Davis", "Miller",
    "Wilson", "Moore", "Taylor", "Anderson", "Thomas", "Jackson", "Nuñez",
];
const COMPANY: &[&str] = &[
    "Consulting",
    "Plumbing & Heating",
    "Bakery",
    "Hardware",
    "Landscaping",
    "Dental Group",
    "Auto Repair",
    "Café",
    "Builders",
    "Electric",
    "\"Best\" Movers",
    "Print <Shop>",
];
const STREET: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Elm St",
    "Pine Rd",
    "Lakeview Blvd",
    "2nd St",
];
const CITY: &[&str] = &[
    "Reno",
    "Sparks",
    "Carson City",
    "Elko",
    "Las Vegas",
    "Henderson",
    "Fallon",
    "Winnemucca",
];
const STATE: &[&str] = &["NV", "CA", "OR", "AZ", "UT", "ID"];
const TYPES: &[&str] = &[
    "Retail",
    "Wholesale",
    "Retail:Web",
    "Commercial",
    "Residential",
];
const TERMS: &[&str] = &["Net 30", "Net 15", "Due on receipt", "1% 10 Net 30"];
const NOTES: &[&str] = &[
    "Prefers email invoices. Gate code 1234.",
    "Call before delivery; dog in yard & loose gravel.",
    "Tax exempt — certificate on file (expires 2026).",
    "Account reviewed <2024> by \"credit\" team.",
];

/// A plausible customer with most mapped fields filled.
pub fn realistic_customer(rng: &mut Rng, i: usize) -> CustomerRet {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let company = format!("{last} {}", rng.pick(COMPANY));
    let name: String = format!("{company} {i}").chars().take(41).collect();
    let mut data = CustomerData::new()
        .with(Field::Name, &name)
        .with(
            Field::CompanyName,
            company.chars().take(41).collect::<String>(),
        )
        .with(Field::FirstName, first)
        .with(Field::LastName, last)
        .with(
            Field::BillAddr1,
            format!("{} {}", 100 + rng.below(9000), rng.pick(STREET)),
        )
        .with(Field::BillCity, rng.pick(CITY))
        .with(Field::BillState, rng.pick(STATE))
        .with(
            Field::BillPostalCode,
            format!("{:05}", 89000 + rng.below(999)),
        )
        .with(Field::BillCountry, "USA")
        .with(Field::Phone, format!("775-555-{:04}", rng.below(10000)))
        .with(Field::Email, format!("{}.{}@example.com", first, i))
        .with(Field::Contact, format!("{first} {last}"))
        .with(Field::CustomerType, rng.pick(TYPES))
        .with(Field::Terms, rng.pick(TERMS))
        .with(
            Field::SalesTaxCode,
            if rng.chance(80) { "Tax" } else { "Non" },
        )
        .with(Field::AccountNumber, format!("C{i:06}"))
        .with(
            Field::CreditLimit,
            format!("{}.00", 500 * (1 + rng.below(20))),
        );
    if rng.chance(60) {
        data.set(Field::BillAddr2, format!("Suite {}", rng.below(500)));
    }
    if rng.chance(70) {
        data.set(
            Field::ShipAddr1,
            format!("{} {}", 100 + rng.below(9000), rng.pick(STREET)),
        );
        data.set(Field::ShipCity, rng.pick(CITY));
        data.set(Field::ShipState, rng.pick(STATE));
        data.set(
            Field::ShipPostalCode,
            format!("{:05}", 89000 + rng.below(999)),
        );
        data.set(Field::ShipCountry, "USA");
    }
    if rng.chance(50) {
        data.set(Field::AltPhone, format!("775-555-{:04}", rng.below(10000)));
    }
    if rng.chance(30) {
        data.set(Field::Fax, format!("775-555-{:04}", rng.below(10000)));
    }
    if rng.chance(40) {
        data.set(Field::SalesRep, rng.pick(&["JD", "MK", "AL", "RS"]));
    }
    if rng.chance(20) {
        data.set(Field::ResaleNumber, format!("R-{}", rng.below(1_000_000)));
    }
    if rng.chance(50) {
        data.set(Field::Notes, rng.pick(NOTES));
    }
    let t = 1_600_000_000 + rng.below(100_000_000);
    CustomerRet {
        list_id: format!("{:X}-{t}", 0x8000_0000u64 + i as u64),
        time_created: Some("2021-03-04T10:11:12-08:00".into()),
        time_modified: Some("2024-05-06T07:08:09-07:00".into()),
        edit_sequence: Some(t.to_string()),
        full_name: Some(name),
        is_active: Some(!rng.chance(10)),
        sublevel: Some(0),
        job_type: rng.chance(30).then(|| "Customer Job".to_string()),
        external_guid: rng
            .chance(20)
            .then(|| format!("{{{:08X}-1234-4ABC-8DEF-{:012X}}}", i, t)),
        parent: None::<ListRef>,
        data,
    }
}

/// The elements QuickBooks sends that custsync skips, filled in for some customers.
fn realistic_extras(rng: &mut Rng, element: &'static str, w: &mut XmlWriter) {
    match element {
        "BillAddressBlock" if rng.chance(50) => {
            w.start("BillAddressBlock")
                .leaf("Addr1", "123 Main St")
                .leaf("Addr2", "Reno, NV 89501")
                .end();
        }
        "Balance" => {
            w.leaf(
                "Balance",
                &format!("{}.{:02}", rng.below(5000), rng.below(100)),
            );
        }
        "TotalBalance" => {
            w.leaf("TotalBalance", "0.00");
        }
        "PreferredDeliveryMethod" => {
            w.leaf("PreferredDeliveryMethod", "Email");
        }
        "DataExtRet" => {
            for _ in 0..rng.below(3) {
                w.start("DataExtRet")
                    .leaf("OwnerID", "0")
                    .leaf("DataExtName", "Region & Route")
                    .leaf("DataExtType", "STR255TYPE")
                    .leaf("DataExtValue", rng.pick(&["North", "South & East", "West"]))
                    .end();
            }
        }
        _ => {}
    }
}

/// Writes a CustomerQueryRs of `customers` realistic customers, one element per line like
/// QuickBooks' own output, streaming (the document is never held whole). Returns its size.
pub fn write_big_customer_query_rs(
    out: &mut impl Write,
    customers: usize,
    seed: u64,
) -> io::Result<u64> {
    write_padded_customer_query_rs(out, customers, seed, 0)
}

/// Like [`write_big_customer_query_rs`], with about `padding` more bytes per customer of
/// elements custsync skips (DataExtRet), to show what the reader holds does not grow with them.
pub fn write_padded_customer_query_rs(
    out: &mut impl Write,
    customers: usize,
    seed: u64,
    padding: usize,
) -> io::Result<u64> {
    let mut rng = Rng::new(seed);
    let mut written = 0u64;
    let head = format!(
        "<?xml version=\"1.0\" ?>\n<QBXML>\n<QBXMLMsgsRs>\n<CustomerQueryRs requestID=\"1\" \
         statusCode=\"0\" statusSeverity=\"Info\" statusMessage=\"Status OK\" retCount=\"{customers}\">\n"
    );
    out.write_all(head.as_bytes())?;
    written += head.len() as u64;
    let mut extras_rng = Rng::new(seed ^ 0x5555);
    for i in 0..customers {
        let c = realistic_customer(&mut rng, i);
        let mut w = XmlWriter::with_capacity(2048);
        customer_ret(&mut w, &c, |e, w| {
            realistic_extras(&mut extras_rng, e, w);
            if e == "DataExtRet" {
                for _ in 0..padding / 600 {
                    w.start("DataExtRet")
                        .leaf("OwnerID", "{6B063959-81B0-4B2A-A0F2-2D9F1B3C4D5E}")
                        .leaf("DataExtName", "History")
                        .leaf("DataExtType", "STR1024TYPE")
                        .leaf("DataExtValue", &"archived note & history ".repeat(20))
                        .end();
                }
            }
        });
        let text = w.finish().replace("><", ">\n<");
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        written += text.len() as u64 + 1;
    }
    let tail = "</CustomerQueryRs>\n</QBXMLMsgsRs>\n</QBXML>\n";
    out.write_all(tail.as_bytes())?;
    Ok(written + tail.len() as u64)
}

pub fn big_customer_query_rs(customers: usize, seed: u64) -> String {
    let mut out = Vec::with_capacity(customers * 1700);
    write_big_customer_query_rs(&mut out, customers, seed).expect("writing to memory");
    String::from_utf8(out).expect("the writer writes UTF-8")
}
