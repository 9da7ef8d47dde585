//! The customer table through the public API: validation, uniqueness regardless of case,
//! ordering, search, revisions, bulk insert.

use custsync::qbxml::Field;
use custsync::store::{
    Customer, CustomerError, CustomerStatus, NewBatch, NewItem, NewRun, RunMode, Store, StoreError,
    StoreRead,
};

fn customer(code: &str, name: &str) -> Customer {
    Customer::new(code, name, CustomerStatus::Active)
}

fn store() -> Store {
    Store::open_in_memory().unwrap()
}

#[test]
fn create_trims_and_canonicalises_and_reads_back() {
    let mut s = store();
    let mut c = Customer::new("  C100 ", " Acme Ltd  ", CustomerStatus::Hold);
    c.data.set(Field::CreditLimit, " 2500 ");
    c.data.set(Field::Phone, "   ");
    c.data.set(Field::Notes, " line one\nline two ");
    c.qb_name = Some("  ".into());
    let rec = s.create_customer(&c).unwrap();
    assert_eq!(rec.revision, 1);
    assert_eq!(rec.created_at, rec.updated_at);
    let got = s.customer("c100").unwrap().unwrap();
    assert_eq!(got.code(), "C100");
    assert_eq!(got.name(), "Acme Ltd");
    assert_eq!(got.status, CustomerStatus::Hold);
    assert_eq!(got.data.get(Field::CreditLimit), Some("2500.00"));
    assert_eq!(got.data.get(Field::Phone), None);
    assert_eq!(got.data.get(Field::Notes), Some("line one\nline two"));
    assert_eq!(got.qb_name, None);
    assert_eq!(got, rec.customer);
}

#[test]
fn every_field_survives_a_round_trip() {
    let mut s = store();
    let mut c = customer("ALL", "Every Field");
    for (i, &f) in Field::ALL.iter().enumerate() {
        if !matches!(f, Field::AccountNumber | Field::Name | Field::CreditLimit) {
            c.data.set(f, format!("v{i} é"));
        }
    }
    c.data.set(Field::CreditLimit, "-12.50");
    c.qb_name = Some("Every Field (QB)".into());
    s.create_customer(&c).unwrap();
    assert_eq!(s.customer("ALL").unwrap().unwrap(), c);
}

#[test]
fn invalid_customers_are_refused_with_the_reason() {
    let mut s = store();
    type Expect = fn(&StoreError) -> bool;
    let cases: Vec<(Customer, Expect)> = vec![
        (customer("  ", "Name"), |e| {
            matches!(e, StoreError::Customer(CustomerError::MissingCode))
        }),
        (customer("C1", " "), |e| {
            matches!(e, StoreError::Customer(CustomerError::MissingName { .. }))
        }),
        (
            customer("C1", "N").with_field(Field::CreditLimit, "1,000"),
            |e| matches!(e, StoreError::Customer(CustomerError::BadAmount { .. })),
        ),
        (customer("C\n1", "N"), |e| {
            matches!(
                e,
                StoreError::Customer(CustomerError::ControlCharacter { .. })
            )
        }),
    ];
    for (c, expected) in cases {
        let err = s.create_customer(&c).unwrap_err();
        assert!(expected(&err), "{err:?}");
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(s.count_customers().unwrap(), 0);
}

trait WithField {
    fn with_field(self, f: Field, v: &str) -> Self;
}
impl WithField for Customer {
    fn with_field(mut self, f: Field, v: &str) -> Self {
        self.data.set(f, v);
        self
    }
}

#[test]
fn codes_are_unique_regardless_of_case() {
    let mut s = store();
    s.create_customer(&customer("Émile-1", "Émile")).unwrap();
    let err = s
        .create_customer(&customer("émile-1", "Other"))
        .unwrap_err();
    match &err {
        StoreError::DuplicateCode {
            code,
            existing_name,
        } => {
            assert_eq!(code, "émile-1");
            assert_eq!(existing_name, "Émile");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("choose another code"));
    assert_eq!(s.count_customers().unwrap(), 1);
    assert!(s.customer("ÉMILE-1").unwrap().is_some());
}

#[test]
fn list_is_ordered_by_name_then_code_and_search_ignores_case() {
    let mut s = store();
    for (code, name, email) in [
        ("B2", "beta", "x@example.com"),
        ("A1", "Alpha", "ALPHA@EXAMPLE.COM"),
        ("B1", "Beta", ""),
        ("Z9", "Zürich AG", ""),
    ] {
        s.create_customer(&customer(code, name).with_field(Field::Email, email))
            .unwrap();
    }
    let codes = |v: Vec<Customer>| v.iter().map(|c| c.code().to_string()).collect::<Vec<_>>();
    assert_eq!(codes(s.customers().unwrap()), ["A1", "B1", "B2", "Z9"]);
    assert_eq!(codes(s.search_customers("alpha@", None).unwrap()), ["A1"]);
    assert_eq!(codes(s.search_customers("ZÜRICH", None).unwrap()), ["Z9"]);
    assert_eq!(codes(s.search_customers("b", None).unwrap()), ["B1", "B2"]);
    assert_eq!(
        codes(s.search_customers("", Some(2)).unwrap()),
        ["A1", "B1"]
    );
    assert!(s.search_customers("nobody", None).unwrap().is_empty());
    // A query never matches across two columns.
    assert!(s.search_customers("a1alpha", None).unwrap().is_empty());
    assert_eq!(s.count_customers().unwrap(), 4);
}

#[test]
fn update_raises_the_revision_only_when_something_changed() {
    let mut s = store();
    s.create_customer(&customer("C1", "One")).unwrap();
    let same = s.update_customer("c1", &customer("C1", " One ")).unwrap();
    assert_eq!(same.revision, 1);
    let changed = s
        .update_customer("C1", &customer("C1", "One").with_field(Field::Phone, "555"))
        .unwrap();
    assert_eq!(changed.revision, 2);
    assert!(changed.updated_at >= changed.created_at);
    // The record returned is the record stored.
    assert_eq!(s.customer_record("c1").unwrap().as_ref(), Some(&changed));
    assert_eq!(
        s.customer("C1").unwrap().unwrap().data.get(Field::Phone),
        Some("555")
    );
}

#[test]
fn update_can_rename_the_code_and_links_follow() {
    let mut s = store();
    s.create_customer(&customer("OLD", "Renamed")).unwrap();
    s.create_customer(&customer("TAKEN", "Other")).unwrap();
    s.transaction(|tx| tx.link("co", "OLD", "LID-1", None, None))
        .unwrap();
    let err = s
        .update_customer("OLD", &customer("taken", "Renamed"))
        .unwrap_err();
    assert!(matches!(err, StoreError::DuplicateCode { .. }), "{err:?}");
    s.update_customer("OLD", &customer("NEW", "Renamed"))
        .unwrap();
    assert!(s.customer("OLD").unwrap().is_none());
    assert_eq!(
        s.link_for_list_id("co", "LID-1").unwrap().unwrap().code,
        "NEW"
    );
}

#[test]
fn unknown_codes_are_reported() {
    let mut s = store();
    assert!(matches!(
        s.update_customer("NOPE", &customer("NOPE", "x")),
        Err(StoreError::UnknownCustomer { .. })
    ));
    assert!(matches!(
        s.delete_customer("NOPE"),
        Err(StoreError::UnknownCustomer { .. })
    ));
    assert!(s.customer("NOPE").unwrap().is_none());
}

#[test]
fn delete_removes_the_customer_and_its_links() {
    let mut s = store();
    s.create_customer(&customer("C1", "One")).unwrap();
    s.transaction(|tx| tx.link("co", "C1", "LID-1", None, None))
        .unwrap();
    s.delete_customer("c1").unwrap();
    assert!(s.customer("C1").unwrap().is_none());
    assert!(s.link_for_list_id("co", "LID-1").unwrap().is_none());
    // The ListID is free again.
    s.create_customer(&customer("C2", "Two")).unwrap();
    assert!(
        s.transaction(|tx| tx.link("co", "C2", "LID-1", None, None))
            .unwrap()
    );
}

#[test]
fn a_customer_being_exported_cannot_be_deleted_or_recoded() {
    let mut s = store();
    s.create_customer(&customer("C1", "One")).unwrap();
    let run = s.start_run(&NewRun::new(RunMode::MissingOnly)).unwrap();
    s.transaction(|tx| {
        tx.create_batch(&NewBatch {
            run,
            company: "co".into(),
            message_set_id: "m1".into(),
            request: "<QBXML/>".into(),
            items: vec![NewItem {
                request_id: "1".into(),
                code: "C1".into(),
                name: "One".into(),
                external_guid: "{G}".into(),
                replaces: None,
            }],
        })
    })
    .unwrap();
    let err = s.delete_customer("C1").unwrap_err();
    assert!(matches!(err, StoreError::InFlight { .. }), "{err:?}");
    assert!(err.to_string().contains("synchronize first"));
    assert!(matches!(
        s.update_customer("C1", &customer("C9", "One")),
        Err(StoreError::InFlight { .. })
    ));
    // Other edits are fine.
    s.update_customer("C1", &customer("C1", "One").with_field(Field::Fax, "1"))
        .unwrap();
}

#[test]
fn bulk_insert_is_all_or_nothing() {
    let mut s = store();
    let good: Vec<Customer> = (0..100)
        .map(|i| customer(&format!("K{i:03}"), &format!("Name {i}")))
        .collect();
    let n = s.transaction(|tx| tx.insert_customers(&good)).unwrap();
    assert_eq!(n, 100);
    let mut with_dup = vec![customer("NEW1", "New")];
    with_dup.push(customer("k050", "Clash"));
    let err = s
        .transaction(|tx| tx.insert_customers(&with_dup))
        .unwrap_err();
    assert!(matches!(err, StoreError::DuplicateCode { .. }), "{err:?}");
    assert_eq!(s.count_customers().unwrap(), 100);
    assert!(s.customer("NEW1").unwrap().is_none());
}

#[test]
fn an_uncommitted_transaction_changes_nothing() {
    let mut s = store();
    {
        let mut tx = s.begin().unwrap();
        tx.create_customer(&customer("C1", "One")).unwrap();
        assert!(tx.customer("C1").unwrap().is_some());
        // Dropped without commit.
    }
    assert!(s.customer("C1").unwrap().is_none());
}
