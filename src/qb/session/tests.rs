use std::collections::VecDeque;

use super::*;
use crate::qb::{ConnectionKind, NoPrompt};
use crate::qbxml::{Field, QbDateTime};

type Reply = Box<dyn FnMut(&[String]) -> Result<String, QbError> + Send>;

/// A connection that answers from a script: each reply sees the request IDs of the document.
struct Fake {
    info: SessionInfo,
    replies: VecDeque<Reply>,
    requests: Vec<String>,
    closed: usize,
}

impl Fake {
    fn new(versions: &[&str]) -> Self {
        Fake {
            info: SessionInfo {
                company_file: "Test.QBW".into(),
                supported_versions: versions.iter().map(|v| v.parse().unwrap()).collect(),
            },
            replies: VecDeque::new(),
            requests: Vec::new(),
            closed: 0,
        }
    }

    fn reply(
        mut self,
        f: impl FnMut(&[String]) -> Result<String, QbError> + Send + 'static,
    ) -> Self {
        self.replies.push_back(Box::new(f));
        self
    }
}

impl Connection for Fake {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::Sandbox
    }

    fn open(&mut self, _prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError> {
        Ok(self.info.clone())
    }

    fn process(&mut self, request: &str) -> Result<String, QbError> {
        self.requests.push(request.to_string());
        let ids = request_ids(request);
        match self.replies.pop_front() {
            Some(mut f) => f(&ids),
            None => Err(QbError::Transport("the script ran out".into())),
        }
    }

    fn close(&mut self) {
        self.closed += 1;
    }
}

fn request_ids(xml: &str) -> Vec<String> {
    xml.split("requestID=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

fn rs(body: &str) -> String {
    format!("<?xml version=\"1.0\" ?><QBXML><QBXMLMsgsRs>{body}</QBXMLMsgsRs></QBXML>")
}

fn customers(from: usize, to: usize) -> String {
    (from..to)
        .map(|i| format!("<CustomerRet><ListID>L{i}</ListID><Name>C{i}</Name></CustomerRet>"))
        .collect()
}

fn page(id: &str, remaining: u32, body: &str) -> String {
    rs(&format!(
        "<CustomerQueryRs requestID=\"{id}\" statusCode=\"0\" statusSeverity=\"Info\" \
         iteratorRemainingCount=\"{remaining}\" iteratorID=\"{{IT}}\">{body}</CustomerQueryRs>"
    ))
}

#[test]
fn takes_the_version_from_the_connection_without_asking() {
    let mut fake = Fake::new(&["13.0", "16.0", "17.0"]);
    let s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    assert_eq!(s.version(), QbxmlVersion::new(16, 0));
    drop(s);
    assert!(fake.requests.is_empty());
    assert_eq!(fake.closed, 1, "dropping the session closes it");
}

#[test]
fn asks_host_query_at_13_when_the_connection_does_not_know() {
    let mut fake = Fake::new(&[]).reply(|ids| {
        Ok(rs(&format!(
            "<HostQueryRs requestID=\"{}\" statusCode=\"0\" statusSeverity=\"Info\"><HostRet>\
             <ProductName>QuickBooks Premier 2018</ProductName><MajorVersion>28</MajorVersion>\
             <MinorVersion>0</MinorVersion><SupportedQBXMLVersion>12.0</SupportedQBXMLVersion>\
             <SupportedQBXMLVersion>13.0</SupportedQBXMLVersion><SupportedQBXMLVersion>14.0\
             </SupportedQBXMLVersion><SupportedQBXMLVersion>CA3.0</SupportedQBXMLVersion>\
             </HostRet></HostQueryRs>",
            ids[0]
        )))
    });
    let s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    assert_eq!(s.version(), QbxmlVersion::new(14, 0));
    drop(s);
    assert!(fake.requests[0].contains("<?qbxml version=\"13.0\"?>"));
    assert!(fake.requests[0].contains("<HostQueryRq requestID=\"1\"/>"));
}

#[test]
fn an_old_quickbooks_gets_a_clear_refusal() {
    let mut fake = Fake::new(&["8.0", "12.0"]);
    let err = Session::open(&mut fake, &mut NoPrompt, None).unwrap_err();
    assert!(matches!(&err, SessionError::VersionTooOld { newest, .. } if newest == "12.0"));
    assert!(err.to_string().contains("Update QuickBooks"), "{err}");
    assert_eq!(fake.closed, 1, "a refused session is closed again");
    // QuickBooks older than 13.0 refuses the 13.0 HostQuery itself.
    let mut fake = Fake::new(&[]).reply(|_| {
        Err(QbError::hresult(
            hresult::VERSION_NOT_SUPPORTED,
            "version not supported",
        ))
    });
    let err = Session::open(&mut fake, &mut NoPrompt, None).unwrap_err();
    assert!(matches!(err, SessionError::VersionTooOld { .. }), "{err:?}");
}

#[test]
fn pages_through_all_customers_with_an_iterator() {
    let mut fake = Fake::new(&["13.0"])
        .reply(|ids| Ok(page(&ids[0], 3, &customers(0, 2))))
        .reply(|ids| Ok(page(&ids[0], 1, &customers(2, 4))))
        .reply(|ids| Ok(page(&ids[0], 0, &customers(4, 5))));
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    let all: Vec<CustomerRet> = s
        .customers(2, mapped_ret_elements())
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(s);
    let ids: Vec<&str> = all.iter().map(|c| c.list_id.as_str()).collect();
    assert_eq!(ids, ["L0", "L1", "L2", "L3", "L4"]);
    assert_eq!(all[4].data.get(Field::Name), Some("C4"));
    let first = &fake.requests[0];
    assert!(first.contains("iterator=\"Start\""), "{first}");
    assert!(first.contains("<MaxReturned>2</MaxReturned><ActiveStatus>All</ActiveStatus>"));
    assert!(first.contains("<IncludeRetElement>BillAddress</IncludeRetElement>"));
    for later in &fake.requests[1..] {
        assert!(
            later.contains("iterator=\"Continue\" iteratorID=\"{IT}\""),
            "{later}"
        );
        assert!(later.contains("<ActiveStatus>All</ActiveStatus>"));
    }
    assert_eq!(fake.requests.len(), 3);
}

#[test]
fn stops_early_and_refuses_a_stuck_iterator() {
    let mut fake = Fake::new(&["13.0"])
        .reply(|ids| Ok(page(&ids[0], 8, &customers(0, 2))))
        .reply(|ids| {
            Ok(rs(&format!(
                "<CustomerQueryRs requestID=\"{}\" statusCode=\"0\" statusSeverity=\"Info\"/>",
                ids[0]
            )))
        });
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    let mut pages = s.customers(2, &[]);
    let first = pages.next().unwrap().unwrap();
    assert_eq!((first.customers.len(), first.remaining), (2, 8));
    pages.stop().unwrap();
    drop(s);
    assert!(fake.requests[1].contains("iterator=\"Stop\" iteratorID=\"{IT}\""));

    let mut stuck = Fake::new(&["13.0"])
        .reply(|ids| Ok(page(&ids[0], 5, &customers(0, 2))))
        .reply(|ids| Ok(page(&ids[0], 5, "")));
    let mut s = Session::open(&mut stuck, &mut NoPrompt, None).unwrap();
    let results: Vec<_> = s.customers(2, &[]).collect();
    assert_eq!(results.len(), 2);
    assert!(matches!(&results[1], Err(SessionError::Protocol(m)) if m.contains("did not advance")));
}

#[test]
fn a_read_may_stand_still_while_customers_change_but_not_forever() {
    // A customer changed during the read comes again at the end: the remaining count stays.
    let mut fake = Fake::new(&["13.0"])
        .reply(|ids| Ok(page(&ids[0], 2, &customers(0, 2))))
        .reply(|ids| Ok(page(&ids[0], 2, &customers(2, 4))))
        .reply(|ids| Ok(page(&ids[0], 0, &customers(4, 5))));
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    let all: Vec<CustomerRet> = s
        .customers(2, &[])
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 5);
    drop(s);
    // A list that grows as fast as it is read: given up after twice what it started with.
    let mut runaway = Fake::new(&["13.0"]);
    for _ in 0..20 {
        runaway = runaway.reply(|ids| Ok(page(&ids[0], 5, &customers(0, 2))));
    }
    let mut s = Session::open(&mut runaway, &mut NoPrompt, None).unwrap();
    let results: Vec<_> = s.customers(2, &[]).collect();
    assert_eq!(
        results.len(),
        9,
        "7 at the start: 2 × 7 + a page of 2 = 16, exceeded at 18"
    );
    let last = results.last().unwrap().as_ref().unwrap_err();
    assert!(
        matches!(
            last,
            SessionError::KeptChanging {
                received: 18,
                expected: 7
            }
        ),
        "{last:?}"
    );
    assert!(
        last.to_string().contains("nobody is editing customers"),
        "{last}"
    );
}

#[test]
fn reads_customers_modified_since_and_deleted_since() {
    let since = QbDateTime::parse("2026-03-04T09:08:07-08:00").unwrap();
    let mut fake = Fake::new(&["13.0"])
        .reply(|ids| Ok(page(&ids[0], 0, &customers(0, 2))))
        .reply(|ids| {
            Ok(rs(&format!(
                "<ListDeletedQueryRs requestID=\"{}\" statusCode=\"0\" statusSeverity=\"Info\" \
                 retCount=\"1\"><ListDeletedRet><ListDelType>Customer</ListDelType>\
                 <ListID>80000009-1</ListID><TimeCreated>2026-01-01T00:00:00-08:00</TimeCreated>\
                 <TimeDeleted>2026-03-05T10:00:00-08:00</TimeDeleted><FullName>Gone</FullName>\
                 </ListDeletedRet></ListDeletedQueryRs>",
                ids[0]
            )))
        })
        .reply(|ids| {
            Ok(rs(&format!(
                "<ListDeletedQueryRs requestID=\"{}\" statusCode=\"1\" statusSeverity=\"Info\" \
                 statusMessage=\"none\" retCount=\"0\"/>",
                ids[0]
            )))
        })
        .reply(|ids| {
            Ok(rs(&format!(
                "<ListDeletedQueryRs requestID=\"{}\" statusCode=\"0\" statusSeverity=\"Info\">\
                 <ListDeletedRet><FullName>No ListID</FullName></ListDeletedRet></ListDeletedQueryRs>",
                ids[0]
            )))
        });
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    let changed: Vec<CustomerRet> = s
        .customers_modified_since(&since.earlier_by(3600), 100)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(changed.len(), 2);
    let deleted = s.deleted_customers_since(Some(&since)).unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(
        (deleted[0].list_id.as_str(), deleted[0].full_name.as_deref()),
        ("80000009-1", Some("Gone"))
    );
    assert!(s.deleted_customers_since(None).unwrap().is_empty());
    assert!(matches!(
        s.deleted_customers_since(None),
        Err(SessionError::Protocol(m)) if m.contains("without a ListID")
    ));
    drop(s);
    let read = &fake.requests[0];
    assert!(
        read.contains(
            "<MaxReturned>100</MaxReturned><ActiveStatus>All</ActiveStatus>\
             <FromModifiedDate>2026-03-04T08:08:07-08:00</FromModifiedDate>"
        ),
        "{read}"
    );
    for element in [
        "ListID",
        "EditSequence",
        "TimeModified",
        "Sublevel",
        "ParentRef",
        "BillAddress",
    ] {
        assert!(
            read.contains(&format!("<IncludeRetElement>{element}</IncludeRetElement>")),
            "{element}: {read}"
        );
    }
    assert!(
        fake.requests[1].contains(
            "<ListDeletedQueryRq requestID=\"2\"><ListDelType>Customer</ListDelType>\
         <DeletedDateRangeFilter><FromDeletedDate>2026-03-04T09:08:07-08:00</FromDeletedDate>\
         </DeletedDateRangeFilter></ListDeletedQueryRq>"
        ),
        "{}",
        fake.requests[1]
    );
    assert!(!fake.requests[2].contains("DeletedDateRangeFilter"));
}

#[test]
fn an_empty_company_has_no_pages_and_a_zero_count() {
    let none = |ids: &[String]| {
        Ok(rs(&format!(
            "<CustomerQueryRs requestID=\"{}\" statusCode=\"1\" statusSeverity=\"Info\" \
             statusMessage=\"A query request did not find a matching object in QuickBooks\"/>",
            ids[0]
        )))
    };
    let mut fake = Fake::new(&["13.0"]).reply(none).reply(none);
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    assert_eq!(s.customers(100, &[]).count(), 0);
    assert_eq!(s.customer_count().unwrap(), 0);
}

#[test]
fn counts_customers_with_metadata_only() {
    let mut fake = Fake::new(&["13.0"]).reply(|ids| {
        Ok(rs(&format!(
            "<CustomerQueryRs requestID=\"{}\" statusCode=\"0\" statusSeverity=\"Info\" retCount=\"1234\"/>",
            ids[0]
        )))
    });
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    assert_eq!(s.customer_count().unwrap(), 1234);
    drop(s);
    assert!(fake.requests[0].contains("metaData=\"MetaDataOnly\""));
    assert!(fake.requests[0].contains("<ActiveStatus>All</ActiveStatus>"));
}

#[test]
fn finds_name_collisions_in_one_batched_document() {
    let mut fake = Fake::new(&["13.0"]).reply(|ids| {
        Ok(rs(&format!(
            "<VendorQueryRs requestID=\"{}\" statusCode=\"500\" statusSeverity=\"Warn\">\
             <VendorRet><ListID>V1</ListID><Name>ACME</Name><IsActive>true</IsActive></VendorRet></VendorQueryRs>\
             <EmployeeQueryRs requestID=\"{}\" statusCode=\"0\" statusSeverity=\"Info\">\
             <EmployeeRet><ListID>E1</ListID><Name>Bob</Name></EmployeeRet></EmployeeQueryRs>\
             <OtherNameQueryRs requestID=\"{}\" statusCode=\"1\" statusSeverity=\"Info\"/>",
            ids[0], ids[1], ids[2]
        )))
    });
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    let found = s
        .name_collisions(&["Acme", "acme", "Bob", "Zed & Co", "  "])
        .unwrap();
    drop(s);
    let got: Vec<(&str, NameList, &str)> = found
        .iter()
        .map(|c| (c.name.as_str(), c.list, c.existing.name.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Acme", NameList::Vendor, "ACME"),
            ("acme", NameList::Vendor, "ACME"),
            ("Bob", NameList::Employee, "Bob")
        ]
    );
    assert!(found[0].to_string().contains("vendor \"ACME\""));
    let doc = &fake.requests[0];
    assert_eq!(fake.requests.len(), 1);
    assert!(doc.contains("onError=\"continueOnError\""));
    for q in ["VendorQueryRq", "EmployeeQueryRq", "OtherNameQueryRq"] {
        assert!(doc.contains(&format!("<{q} requestID=")), "{q}");
    }
    assert_eq!(
        doc.matches("<FullName>Acme</FullName>").count(),
        3,
        "deduplicated"
    );
    assert_eq!(doc.matches("<FullName>Zed &amp; Co</FullName>").count(), 3);
}

#[test]
fn a_status_error_is_a_value_with_its_code() {
    let mut fake = Fake::new(&["13.0"])
        .reply(|ids| {
            Ok(rs(&format!(
                "<CustomerTypeAddRs requestID=\"{}\" statusCode=\"3100\" statusSeverity=\"Error\" \
                 statusMessage=\"The name &quot;Web&quot; of the list element is already in use.\"/>",
                ids[0]
            )))
        })
        .reply(|ids| {
            Ok(rs(&format!(
                "<JobTypeAddRs requestID=\"{}\" statusCode=\"0\" statusSeverity=\"Info\">\
                 <JobTypeRet><ListID>J9</ListID><Name>Rush</Name><FullName>Install:Rush</FullName></JobTypeRet></JobTypeAddRs>",
                ids[0]
            )))
        });
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    let err = s.add_customer_type("Retail:Web").unwrap_err();
    assert_eq!(err.status().map(|s| s.code), Some(codes::NAME_IN_USE));
    assert!(err.to_string().contains("\"Web\""), "{err}");
    let job = s.add_job_type("Install:Rush").unwrap();
    assert_eq!(job.full_name, "Install:Rush");
    assert!(matches!(
        s.add_customer_type("Bad\u{1}:"),
        Err(SessionError::Invalid { .. })
    ));
    drop(s);
    assert_eq!(fake.requests.len(), 2, "an invalid name is never sent");
    assert!(fake.requests[0].contains(
        "<CustomerTypeAdd><Name>Web</Name><ParentRef><FullName>Retail</FullName></ParentRef>"
    ));
}

#[test]
fn traces_every_exchange_including_failures() {
    let tmp = tempfile::tempdir().unwrap();
    let trace = Trace::open(tmp.path()).unwrap();
    let mut fake = Fake::new(&["13.0"])
        .reply(|ids| {
            Ok(rs(&format!(
                "<CompanyQueryRs requestID=\"{}\" statusCode=\"0\" statusSeverity=\"Info\">\
                 <CompanyRet><CompanyName>Rock Castle</CompanyName></CompanyRet></CompanyQueryRs>",
                ids[0]
            )))
        })
        .reply(|_| Err(QbError::hresult(hresult::PARSE_ERROR, "parse error")))
        .reply(|_| Ok("<html>proxy error</html>".into()));
    let mut s = Session::open(&mut fake, &mut NoPrompt, Some(trace)).unwrap();
    assert_eq!(
        s.company().unwrap().company_name.as_deref(),
        Some("Rock Castle")
    );
    assert!(matches!(s.company(), Err(SessionError::Qb(_))));
    assert!(matches!(s.company(), Err(SessionError::Read(_))));
    assert!(s.take_trace_failure().is_none());
    drop(s);
    let file = |n: &str| std::fs::read_to_string(tmp.path().join(n)).unwrap();
    assert!(file("0001-request.xml").contains("<CompanyQueryRq requestID=\"1\"/>"));
    assert!(file("0001-response.xml").contains("Rock Castle"));
    assert!(file("0002-error.txt").contains("0x80040400"));
    assert_eq!(file("0003-response.xml"), "<html>proxy error</html>");
}

#[test]
fn the_mapped_ret_elements_are_the_mapped_fields_and_bookkeeping() {
    let e = mapped_ret_elements();
    for needed in [
        "ListID",
        "EditSequence",
        "TimeCreated",
        "TimeModified",
        "FullName",
        "IsActive",
        "ParentRef",
        "Sublevel",
        "ExternalGUID",
        "Name",
        "BillAddress",
        "ShipAddress",
        "TermsRef",
        "CreditLimit",
        "Notes",
    ] {
        assert!(e.contains(&needed), "{needed}");
    }
    for skipped in ["DataExtRet", "Balance", "ContactsRet", "BillAddressBlock"] {
        assert!(!e.contains(&skipped), "{skipped}");
    }
    assert!(
        e.iter().all(|n| n.len() <= 50),
        "IncludeRetElement allows 50 characters"
    );
}

#[test]
fn many_names_are_checked_in_batches() {
    let none = |ids: &[String]| {
        Ok(rs(&ids
            .iter()
            .zip(["VendorQueryRs", "EmployeeQueryRs", "OtherNameQueryRs"])
            .map(|(id, rs)| {
                format!("<{rs} requestID=\"{id}\" statusCode=\"1\" statusSeverity=\"Info\"/>")
            })
            .collect::<String>()))
    };
    let mut fake = Fake::new(&["13.0"]).reply(none).reply(none);
    let names: Vec<String> = (0..NAME_CHECK_BATCH + 1).map(|i| format!("N{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut s = Session::open(&mut fake, &mut NoPrompt, None).unwrap();
    assert!(s.name_collisions(&refs).unwrap().is_empty());
    assert!(
        s.name_collisions(&[]).unwrap().is_empty(),
        "nothing to ask, nothing sent"
    );
    drop(s);
    assert_eq!(fake.requests.len(), 2);
    assert_eq!(
        fake.requests[0].matches("<FullName>").count(),
        3 * NAME_CHECK_BATCH
    );
    assert_eq!(fake.requests[1].matches("<FullName>").count(), 3);
}
