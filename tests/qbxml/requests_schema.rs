//! Every request custsync can write validates against Intuit's 13.0 and 16.0 schemas.
//!
//! One document per variant (each selection branch, iterator form and name filter), every
//! optional element filled, values full of characters that need escaping. All documents go to
//! xmllint in one call per schema.

use custsync::qbxml::write::write_request;
use custsync::qbxml::{
    ActiveStatus, CustomerAdd, CustomerData, CustomerQuery, Field, IteratorRq, ListAdd,
    ListDelType, ListDeletedQuery, ListFilter, ListQuery, ListRef, MatchCriterion, NameFilter,
    NameList, NameQuery, OnError, QbxmlVersion, RequestBody, RequestDoc, Selection,
};
use custsync::testkit::{assert_valid_qbxml, validate_qbxml};

/// Text with every character that needs escaping plus Latin-1 accents, cut to `max` characters.
fn tricky(max: usize) -> String {
    "Ä&<>\"' Müller & Söhne <Bäckerei> \"Zürich\" l'Été çñ ÿ 0123456789 abcdefghijklmnopqrstuvwxyz"
        .repeat(80)
        .chars()
        .take(max)
        .collect()
}

fn every_field() -> CustomerData {
    let mut data = CustomerData::new();
    for &f in Field::ALL {
        match f.max_len() {
            Some(max) => data.set(f, tricky(max)),
            None => data.set(f, "-1234567890123.45"),
        }
    }
    data
}

fn filters() -> Vec<ListFilter> {
    let full = |name_filter| ListFilter {
        max_returned: Some(500),
        active_status: Some(ActiveStatus::All),
        from_modified_date: Some("2024-01-31T08:15:00-05:00".into()),
        to_modified_date: Some("2025-12-31T23:59:59".into()),
        name_filter,
    };
    let mut out = vec![ListFilter::default(), full(None)];
    for criterion in [
        MatchCriterion::StartsWith,
        MatchCriterion::Contains,
        MatchCriterion::EndsWith,
    ] {
        out.push(full(Some(NameFilter::Match {
            criterion,
            name: tricky(41),
        })));
    }
    for (from, to) in [
        (Some(tricky(10)), Some(tricky(20))),
        (Some(tricky(10)), None),
        (None, Some(tricky(20))),
        (None, None),
    ] {
        out.push(full(Some(NameFilter::Range { from, to })));
    }
    for status in [ActiveStatus::ActiveOnly, ActiveStatus::InactiveOnly] {
        out.push(ListFilter {
            active_status: Some(status),
            ..ListFilter::default()
        });
    }
    out
}

fn selections() -> Vec<Selection> {
    let mut out = vec![
        Selection::ListIds(vec![
            "80000001-1234567890".into(),
            "8000000A-1234567891".into(),
        ]),
        Selection::FullNames(vec![tricky(41), format!("{}:{}", tricky(20), tricky(30))]),
        Selection::ListIds(Vec::new()),
    ];
    out.extend(filters().into_iter().map(Selection::Filter));
    out
}

fn include() -> Vec<String> {
    vec!["ListID".into(), "Name".into(), "BillAddress".into()]
}

fn every_request() -> Vec<RequestBody> {
    let mut bodies = vec![RequestBody::HostQuery, RequestBody::CompanyQuery];
    let iterators = [
        None,
        Some(IteratorRq::Start),
        Some(IteratorRq::Continue(
            "{5B9C8A4E-0F54-4B1A-9D0E-5E2D8C7A1B34}".into(),
        )),
        Some(IteratorRq::Stop(
            "{5B9C8A4E-0F54-4B1A-9D0E-5E2D8C7A1B34}".into(),
        )),
    ];
    for selection in selections() {
        for iterator in &iterators {
            for metadata_only in [false, true] {
                bodies.push(RequestBody::CustomerQuery(CustomerQuery {
                    iterator: iterator.clone(),
                    metadata_only,
                    selection: selection.clone(),
                    include_ret: include(),
                }));
            }
        }
        let q = ListQuery {
            selection: selection.clone(),
            include_ret: include(),
        };
        bodies.push(RequestBody::CustomerTypeQuery(q.clone()));
        bodies.push(RequestBody::TermsQuery(q.clone()));
        bodies.push(RequestBody::JobTypeQuery(q));
    }
    let full_add = CustomerAdd {
        data: every_field(),
        is_active: Some(false),
        parent: Some(ListRef {
            list_id: Some("80000001-1234567890".into()),
            full_name: Some(tricky(41)),
        }),
        job_type: Some(tricky(31)),
        external_guid: Some("{8A6D1C2E-3B4F-4A5D-9E8F-0123456789AB}".into()),
        include_ret: include(),
    };
    let minimal_add = CustomerAdd {
        data: CustomerData::new().with(Field::Name, "X"),
        ..CustomerAdd::default()
    };
    let bill_only = CustomerAdd {
        data: CustomerData::new()
            .with(Field::Name, "Y")
            .with(Field::BillPostalCode, "89501"),
        is_active: Some(true),
        parent: Some(ListRef {
            list_id: None,
            full_name: Some("Parent".into()),
        }),
        ..CustomerAdd::default()
    };
    for add in [full_add, minimal_add, bill_only] {
        bodies.push(RequestBody::CustomerAdd(Box::new(add)));
    }
    let list_adds = [
        ListAdd {
            name: tricky(31),
            is_active: Some(true),
            parent_full_name: Some(tricky(31)),
        },
        ListAdd {
            name: "Retail".into(),
            ..ListAdd::default()
        },
    ];
    for a in list_adds {
        bodies.push(RequestBody::CustomerTypeAdd(a.clone()));
        bodies.push(RequestBody::JobTypeAdd(a));
    }
    for list in NameList::ALL {
        bodies.push(RequestBody::NameQuery(
            list,
            NameQuery {
                full_names: vec![tricky(41), "Acme".into(), "O'Brien & Co".into()],
            },
        ));
    }
    let ranges = [
        (None, None),
        (Some("2026-03-04T09:08:07-08:00"), None),
        (None, Some("2026-03-04")),
        (
            Some("2026-03-01T00:00:00"),
            Some("2026-03-04T23:59:59+01:00"),
        ),
    ];
    for (i, (from, to)) in ranges.into_iter().enumerate() {
        bodies.push(RequestBody::ListDeletedQuery(ListDeletedQuery {
            // Every type the schema knows once; Customer alone otherwise.
            types: if i == 0 {
                ListDelType::ALL.to_vec()
            } else {
                vec![ListDelType::Customer]
            },
            from_deleted_date: from.map(str::to_string),
            to_deleted_date: to.map(str::to_string),
            include_ret: if i == 1 { include() } else { Vec::new() },
        }));
    }
    bodies
}

fn documents() -> Vec<String> {
    let mut docs = Vec::new();
    let bodies = every_request();
    for (i, body) in bodies.iter().enumerate() {
        let mut doc = RequestDoc::new(QbxmlVersion::new(13, 0), OnError::StopOnError);
        doc.push(format!("{i}-\"&<'>"), body.clone());
        docs.push(write_request(&doc));
    }
    // Several requests in one document, with both error-recovery attributes and continueOnError.
    let mut batch = RequestDoc::new(QbxmlVersion::new(16, 0), OnError::ContinueOnError);
    batch.new_message_set_id = Some("{A1B2C3D4-0000-4000-8000-000000000001}&\"".into());
    batch.old_message_set_id = Some("{A1B2C3D4-0000-4000-8000-000000000000}".into());
    for (i, body) in bodies.into_iter().enumerate() {
        batch.push(i.to_string(), body);
    }
    docs.push(write_request(&batch));
    docs
}

#[test]
fn every_request_kind_validates_against_both_schemas() {
    let docs = documents();
    assert!(docs.len() > 100, "only {} documents", docs.len());
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    assert_valid_qbxml(&refs);
}

#[test]
fn the_validator_catches_a_misordered_customer_add() {
    let add = CustomerAdd {
        data: CustomerData::new()
            .with(Field::Name, "Acme")
            .with(Field::CompanyName, "Acme Inc"),
        ..CustomerAdd::default()
    };
    let mut doc = RequestDoc::new(QbxmlVersion::new(13, 0), OnError::StopOnError);
    doc.push("1", RequestBody::CustomerAdd(Box::new(add)));
    let good = write_request(&doc);
    let bad = good.replace(
        "<Name>Acme</Name><CompanyName>Acme Inc</CompanyName>",
        "<CompanyName>Acme Inc</CompanyName><Name>Acme</Name>",
    );
    assert_ne!(good, bad, "the swap must have happened");
    assert_valid_qbxml(&[&good]);
    let err = validate_qbxml(&[&bad]).expect_err("a misordered CustomerAdd must be refused");
    assert!(err.contains("CompanyName"), "{err}");
}
