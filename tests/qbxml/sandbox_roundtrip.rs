//! Property: for random customers, CustomerAdd (written by custsync) → sandbox → CustomerQuery
//! (read by custsync) gives back exactly the field values that were sent.

use custsync::qb::sandbox::{self, CompanyFile};
use custsync::qbxml::read::read_response_str;
use custsync::qbxml::write::write_request;
use custsync::qbxml::{
    CustomerAdd, CustomerData, CustomerQuery, Field, ListAdd, OnError, QbxmlVersion, RequestBody,
    RequestDoc, ResponseBody, Selection,
};
use proptest::prelude::*;

/// Latin-1 text a customer field may hold: letters, digits, punctuation QuickBooks accepts,
/// characters XML must escape, accented letters; never `:` in a name, never only spaces.
fn text(max: usize) -> impl Strategy<Value = String> {
    let chars = prop::sample::select(
        "abcXYZ019 &<>\"'-.,#/()éüÑçøß@+_"
            .chars()
            .collect::<Vec<char>>(),
    );
    prop::collection::vec(chars, 1..=max.min(60))
        .prop_map(|v| v.into_iter().collect::<String>().trim().to_string())
        .prop_filter("not blank", |s| !s.is_empty())
}

fn customer() -> impl Strategy<Value = CustomerData> {
    let fields: Vec<Field> = Field::ALL
        .iter()
        .copied()
        .filter(|f| {
            !matches!(
                f,
                Field::Name
                    | Field::CreditLimit
                    | Field::CustomerType
                    | Field::Terms
                    | Field::SalesRep
                    | Field::SalesTaxCode
            )
        })
        .collect();
    let values: Vec<_> = fields
        .iter()
        .map(|f| prop::option::of(text(f.max_len().unwrap_or(40))).boxed())
        .collect();
    (
        text(41),
        values,
        prop::option::of((0u64..10_000_000, 0u8..100)),
        prop::option::of(prop::sample::select(vec![
            "Net 30",
            "Net 15",
            "Due on receipt",
        ])),
        prop::option::of(prop::sample::select(vec!["Tax", "Non"])),
        prop::option::of(prop::sample::select(vec!["Retail", "Retail:Online"])),
    )
        .prop_map(move |(name, values, credit, terms, tax, kind)| {
            let mut d = CustomerData::new().with(Field::Name, name.replace(':', ";"));
            for (f, v) in fields.iter().zip(values) {
                d.set_opt(*f, v.as_deref());
            }
            if let Some((whole, cents)) = credit {
                d.set(Field::CreditLimit, format!("{whole}.{cents:02}"));
            }
            d.set_opt(Field::Terms, terms);
            d.set_opt(Field::SalesTaxCode, tax);
            d.set_opt(Field::CustomerType, kind);
            d
        })
}

fn run(file: &mut CompanyFile, bodies: Vec<RequestBody>) -> custsync::qbxml::ResponseDoc {
    let mut session = sandbox::Session::new("roundtrip", Default::default());
    let mut doc = RequestDoc::new(QbxmlVersion::new(13, 0), OnError::ContinueOnError);
    for (i, b) in bodies.into_iter().enumerate() {
        doc.push(format!("{i}"), b);
    }
    read_response_str(&sandbox::process(file, &mut session, &write_request(&doc)).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn what_custsync_adds_comes_back_unchanged(customers in prop::collection::vec(customer(), 1..6)) {
        let dir = tempfile::tempdir().unwrap();
        let mut file = CompanyFile::create(&dir.path().join("p.QBW"), "Round trip").unwrap();
        run(&mut file, vec![
            RequestBody::CustomerTypeAdd(ListAdd { name: "Retail".into(), ..Default::default() }),
            RequestBody::CustomerTypeAdd(ListAdd { name: "Online".into(), parent_full_name: Some("Retail".into()), ..Default::default() }),
        ]);
        // Names must be unique (case-insensitively), as QuickBooks requires.
        let mut seen = std::collections::HashSet::new();
        let customers: Vec<CustomerData> = customers
            .into_iter()
            .filter(|c| seen.insert(c.get(Field::Name).unwrap_or("").to_lowercase()))
            .collect();
        let added = run(&mut file, customers.iter().map(|data| RequestBody::CustomerAdd(Box::new(CustomerAdd {
            data: data.clone(),
            ..Default::default()
        }))).collect());
        for r in &added.responses {
            prop_assert!(!r.status.is_error(), "{:?}", r.status);
        }
        let names: Vec<String> = customers.iter().map(|c| c.get(Field::Name).unwrap_or("").to_string()).collect();
        let found = run(&mut file, vec![RequestBody::CustomerQuery(CustomerQuery {
            selection: Selection::FullNames(names),
            ..Default::default()
        })]);
        let ResponseBody::Customers(rets) = &found.responses[0].body else {
            return Err(TestCaseError::fail(format!("no customers: {:?}", found.responses[0].status)));
        };
        prop_assert_eq!(rets.len(), customers.len());
        for sent in &customers {
            let back = rets.iter().find(|r| r.data.get(Field::Name) == sent.get(Field::Name)).unwrap();
            for &f in Field::ALL {
                prop_assert!(
                    CustomerData::same_value(f, sent.get(f), back.data.get(f)),
                    "{:?}: sent {:?}, got {:?}", f, sent.get(f), back.data.get(f)
                );
                // Exactly, not just "the same after trimming": QuickBooks keeps what it is sent.
                prop_assert_eq!(sent.get(f).map(str::trim), back.data.get(f).map(str::trim), "{:?}", f);
            }
        }
    }
}
