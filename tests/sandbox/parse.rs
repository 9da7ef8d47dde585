//! Whole-document refusals, driven with raw XML: what QuickBooks rejects before running anything
//! (HRESULT 0x80040400 and friends), and bad input that must never panic.

use crate::support::{Docs, Sandbox, Test, envelope, hresult_of};
use custsync::qb::hresult;
use rand::{RngExt, SeedableRng};

pub const TESTS: &[Test] = &[
    (
        "unknown_element_is_refused_and_named",
        unknown_element_is_refused_and_named,
    ),
    ("unknown_request_is_refused", unknown_request_is_refused),
    (
        "misordered_elements_are_refused_and_named",
        misordered_elements_are_refused_and_named,
    ),
    ("branches_cannot_be_mixed", branches_cannot_be_mixed),
    ("malformed_xml_is_refused", malformed_xml_is_refused),
    (
        "unsupported_versions_get_0x80040423",
        unsupported_versions_get_0x80040423,
    ),
    (
        "rollback_on_error_gets_0x80040413",
        rollback_on_error_gets_0x80040413,
    ),
    (
        "doctype_and_entity_tricks_are_refused",
        doctype_and_entity_tricks_are_refused,
    ),
    (
        "elements_newer_than_the_version_are_refused",
        elements_newer_than_the_version_are_refused,
    ),
    (
        "wrong_value_types_are_refused",
        wrong_value_types_are_refused,
    ),
    (
        "attributes_and_text_where_none_belong",
        attributes_and_text_where_none_belong,
    ),
    (
        "a_refused_document_changes_nothing",
        a_refused_document_changes_nothing,
    ),
    (
        "raw_non_latin1_is_refused_but_references_become_question_marks",
        raw_non_latin1_is_refused_but_references_become_question_marks,
    ),
    (
        "schema_elements_the_sandbox_ignores_are_accepted",
        schema_elements_the_sandbox_ignores_are_accepted,
    ),
    (
        "unimplemented_requests_get_status_1030",
        unimplemented_requests_get_status_1030,
    ),
    (
        "ten_megabyte_values_get_a_status_not_a_crash",
        ten_megabyte_values_get_a_status_not_a_crash,
    ),
    (
        "garbage_and_truncations_never_panic",
        garbage_and_truncations_never_panic,
    ),
];

fn doc(requests: &str) -> String {
    envelope("13.0", "onError=\"stopOnError\"", requests)
}

fn refused(sb: &mut Sandbox, docs: &mut Docs, text: &str) -> (u32, String) {
    hresult_of(sb.raw(docs, text))
}

fn unknown_element_is_refused_and_named(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let (code, msg) = refused(
        &mut sb,
        docs,
        &doc(
            "<CustomerQueryRq requestID=\"1\"><MaxReturned>5</MaxReturned><Colour>red</Colour></CustomerQueryRq>",
        ),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(
        msg.contains("<Colour>") && msg.contains("<CustomerQueryRq>"),
        "{msg}"
    );
    assert!(msg.contains("line 5"), "names the line: {msg}");
    let (code, msg) = refused(
        &mut sb,
        docs,
        &doc(
            "<CustomerAddRq><CustomerAdd><Name>A</Name><BillAddress><Street>1</Street></BillAddress></CustomerAdd></CustomerAddRq>",
        ),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(
        msg.contains("<Street>") && msg.contains("<BillAddress>"),
        "{msg}"
    );
}

fn unknown_request_is_refused(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let (code, msg) = refused(&mut sb, docs, &doc("<HostQueryRq/><CustomerFetchRq/>"));
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("<CustomerFetchRq>"), "{msg}");
    let (code, msg) = refused(
        &mut sb,
        docs,
        "<?xml version=\"1.0\"?><?qbxml version=\"13.0\"?><QBXML><Other/></QBXML>",
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("<Other>"), "{msg}");
}

fn misordered_elements_are_refused_and_named(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let cases = [
        (
            "<CustomerAddRq><CustomerAdd><CompanyName>Acme</CompanyName><Name>Acme</Name></CustomerAdd></CustomerAddRq>",
            "<Name> is out of order in <CustomerAdd>: it must come before <CompanyName>",
        ),
        (
            "<CustomerAddRq><CustomerAdd><Name>Acme</Name><Phone>1</Phone><BillAddress><City>X</City></BillAddress></CustomerAdd></CustomerAddRq>",
            "<BillAddress> is out of order in <CustomerAdd>: it must come before <Phone>",
        ),
        (
            "<CustomerAddRq><CustomerAdd><Name>Acme</Name><BillAddress><City>X</City><Addr1>1</Addr1></BillAddress></CustomerAdd></CustomerAddRq>",
            "<Addr1> is out of order in <BillAddress>: it must come before <City>",
        ),
        (
            "<CustomerQueryRq><ActiveStatus>All</ActiveStatus><MaxReturned>5</MaxReturned></CustomerQueryRq>",
            "<MaxReturned> is out of order in <CustomerQueryRq>: it must come before <ActiveStatus>",
        ),
        (
            "<CustomerAddRq><IncludeRetElement>Name</IncludeRetElement><CustomerAdd><Name>A</Name></CustomerAdd></CustomerAddRq>",
            "<CustomerAdd> is out of order in <CustomerAddRq>: it must come before <IncludeRetElement>",
        ),
        (
            "<CustomerAddRq><CustomerAdd><Name>A</Name><Name>B</Name></CustomerAdd></CustomerAddRq>",
            "<Name> appears more often in <CustomerAdd> than the schema allows",
        ),
    ];
    for (body, expected) in cases {
        let (code, msg) = refused(&mut sb, docs, &doc(body));
        assert_eq!(code, hresult::PARSE_ERROR, "{body}");
        assert!(msg.contains(expected), "{body}\n  got: {msg}");
    }
}

fn branches_cannot_be_mixed(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    // ActiveStatus lives only in the filter branch; ListID selects by ID.
    let (code, msg) = refused(
        &mut sb,
        docs,
        &doc(
            "<CustomerQueryRq><ListID>80000001-1</ListID><ActiveStatus>All</ActiveStatus></CustomerQueryRq>",
        ),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("<ActiveStatus>"), "{msg}");
    let (code, msg) = refused(
        &mut sb,
        docs,
        &doc(
            "<CustomerQueryRq><NameFilter><MatchCriterion>Contains</MatchCriterion><Name>a</Name></NameFilter><NameRangeFilter><FromName>a</FromName></NameRangeFilter></CustomerQueryRq>",
        ),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("<NameRangeFilter>"), "{msg}");
    // A required child missing.
    let (code, msg) = refused(
        &mut sb,
        docs,
        &doc("<CustomerQueryRq><NameFilter><Name>a</Name></NameFilter></CustomerQueryRq>"),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(
        msg.contains("missing its required <MatchCriterion>"),
        "{msg}"
    );
    let (code, msg) = refused(
        &mut sb,
        docs,
        &doc("<CustomerAddRq><CustomerAdd/></CustomerAddRq>"),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(
        msg.contains("<CustomerAdd> is missing its required <Name>"),
        "{msg}"
    );
}

fn malformed_xml_is_refused(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let cases = [
        (doc("<HostQueryRq></CompanyQueryRq>"), "malformed"),
        (
            doc("<CustomerAddRq><CustomerAdd><Name>A & B</Name></CustomerAdd></CustomerAddRq>"),
            "malformed",
        ),
        (truncated_doc(), "truncated"),
        (String::new(), "empty"),
        ("just some words".to_string(), "outside the root"),
        (
            doc("<HostQueryRq requestID=\"1\" requestID=\"2\"/>"),
            "duplicated",
        ),
        (
            doc("<HostQueryRq/>").replace("<QBXML>", "<QBXML><QBXML/>"),
            "QBXML",
        ),
    ];
    for (text, expected) in cases {
        let (code, msg) = refused(&mut sb, docs, &text);
        assert_eq!(code, hresult::PARSE_ERROR, "{text:?}");
        assert!(msg.contains(expected), "{text:?}\n  got: {msg}");
    }
    // No qbxml processing instruction at all.
    let (code, msg) = refused(
        &mut sb,
        docs,
        "<?xml version=\"1.0\"?><QBXML><QBXMLMsgsRq onError=\"stopOnError\"><HostQueryRq/></QBXMLMsgsRq></QBXML>",
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("<?qbxml"), "{msg}");
}

fn truncated_doc() -> String {
    let d = doc("<HostQueryRq>");
    let cut = d.find("<HostQueryRq>").unwrap() + "<HostQueryRq>".len();
    d[..cut].to_string()
}

fn unsupported_versions_get_0x80040423(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    for v in ["99.0", "CA3.0", "13", "17.0", ""] {
        let (code, msg) = refused(
            &mut sb,
            docs,
            &envelope(v, "onError=\"stopOnError\"", "<HostQueryRq/>"),
        );
        assert_eq!(code, hresult::VERSION_NOT_SUPPORTED, "version {v:?}: {msg}");
    }
    // Every version HostRet reports is accepted.
    for v in ["1.0", "2.1", "8.0", "13.0", "16.0"] {
        let r = sb.send_doc_ok(
            docs,
            &envelope(v, "onError=\"stopOnError\"", "<HostQueryRq/>"),
        );
        assert!(r.contains("statusCode=\"0\""), "{v}: {r}");
    }
}

trait SendOk {
    fn send_doc_ok(&mut self, docs: &mut Docs, text: &str) -> String;
}

impl SendOk for Sandbox {
    fn send_doc_ok(&mut self, docs: &mut Docs, text: &str) -> String {
        self.raw(docs, text)
            .unwrap_or_else(|e| panic!("refused: {e}"))
    }
}

fn rollback_on_error_gets_0x80040413(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let (code, _) = refused(
        &mut sb,
        docs,
        &envelope("13.0", "onError=\"rollbackOnError\"", "<HostQueryRq/>"),
    );
    assert_eq!(code, hresult::ROLLBACK_NOT_SUPPORTED);
    let (code, msg) = refused(&mut sb, docs, &envelope("13.0", "", "<HostQueryRq/>"));
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("onError"), "{msg}");
    let (code, _) = refused(
        &mut sb,
        docs,
        &envelope("13.0", "onError=\"sometimes\"", "<HostQueryRq/>"),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
}

fn doctype_and_entity_tricks_are_refused(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE QBXML [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><?qbxml version=\"13.0\"?><QBXML><QBXMLMsgsRq onError=\"stopOnError\"><CustomerQueryRq><FullName>&b;</FullName></CustomerQueryRq></QBXMLMsgsRq></QBXML>";
    let (code, msg) = refused(&mut sb, docs, laughs);
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("DOCTYPE"), "{msg}");
    let external = "<?xml version=\"1.0\"?><!DOCTYPE QBXML SYSTEM \"file:///etc/passwd\"><?qbxml version=\"13.0\"?><QBXML/>";
    assert_eq!(refused(&mut sb, docs, external).0, hresult::PARSE_ERROR);
    let (code, msg) = refused(
        &mut sb,
        docs,
        &doc("<CustomerQueryRq><FullName>&secret;</FullName></CustomerQueryRq>"),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("&secret;"), "{msg}");
}

fn elements_newer_than_the_version_are_refused(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let add = "<CustomerAddRq><CustomerAdd><Name>Guid Co</Name><ExternalGUID>{6B29FC40-CA47-1067-B31D-00DD010662DA}</ExternalGUID></CustomerAdd></CustomerAddRq>";
    let (code, msg) = refused(
        &mut sb,
        docs,
        &envelope("7.0", "onError=\"stopOnError\"", add),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("<ExternalGUID> needs qbXML 8.0"), "{msg}");
    let r = sb.send_doc_ok(docs, &envelope("8.0", "onError=\"stopOnError\"", add));
    assert!(r.contains("statusCode=\"0\""), "{r}");
    // Iterators came with 5.0.
    let (code, msg) = refused(
        &mut sb,
        docs,
        &envelope(
            "4.0",
            "onError=\"stopOnError\"",
            "<CustomerQueryRq iterator=\"Start\"/>",
        ),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("iterator"), "{msg}");
    // A message added after 13.0 is unknown in a 13.0 document, implemented or not in 16.0.
    let (code, msg) = refused(&mut sb, docs, &doc("<AlertQueryRq/>"));
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("<AlertQueryRq>"), "{msg}");
}

fn wrong_value_types_are_refused(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let cases = [
        (
            "<CustomerQueryRq><MaxReturned>ten</MaxReturned></CustomerQueryRq>",
            "<MaxReturned>",
        ),
        (
            "<CustomerQueryRq><ActiveStatus>Some</ActiveStatus></CustomerQueryRq>",
            "<ActiveStatus>",
        ),
        (
            "<CustomerQueryRq><FromModifiedDate>yesterday</FromModifiedDate></CustomerQueryRq>",
            "<FromModifiedDate>",
        ),
        (
            "<CustomerAddRq><CustomerAdd><Name>A</Name><IsActive>yes</IsActive></CustomerAdd></CustomerAddRq>",
            "<IsActive>",
        ),
        (
            "<CustomerAddRq><CustomerAdd><Name>A</Name><CreditLimit>lots</CreditLimit></CustomerAdd></CustomerAddRq>",
            "<CreditLimit>",
        ),
        (
            "<CustomerAddRq><CustomerAdd><Name>A</Name><ExternalGUID>abc</ExternalGUID></CustomerAdd></CustomerAddRq>",
            "<ExternalGUID>",
        ),
        ("<CustomerQueryRq metaData=\"Everything\"/>", "metaData"),
        ("<CustomerQueryRq iterator=\"Rewind\"/>", "iterator"),
    ];
    for (body, expected) in cases {
        let (code, msg) = refused(&mut sb, docs, &doc(body));
        assert_eq!(code, hresult::PARSE_ERROR, "{body}");
        assert!(msg.contains(expected), "{body}\n  got: {msg}");
    }
}

fn attributes_and_text_where_none_belong(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let cases = [
        (
            "<CustomerAddRq metaData=\"MetaDataOnly\"><CustomerAdd><Name>A</Name></CustomerAdd></CustomerAddRq>",
            "metaData",
        ),
        ("<CustomerTypeQueryRq iterator=\"Start\"/>", "iterator"),
        (
            "<CustomerAddRq><CustomerAdd><Name lang=\"en\">A</Name></CustomerAdd></CustomerAddRq>",
            "lang",
        ),
        (
            "<CustomerAddRq><CustomerAdd>stray<Name>A</Name></CustomerAdd></CustomerAddRq>",
            "stray",
        ),
        (
            "<CustomerQueryRq><MaxReturned><X/></MaxReturned></CustomerQueryRq>",
            "<X>",
        ),
    ];
    for (body, expected) in cases {
        let (code, msg) = refused(&mut sb, docs, &doc(body));
        assert_eq!(code, hresult::PARSE_ERROR, "{body}");
        assert!(msg.contains(expected), "{body}\n  got: {msg}");
    }
}

fn a_refused_document_changes_nothing(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let (code, _) = refused(
        &mut sb,
        docs,
        &doc(
            "<CustomerAddRq><CustomerAdd><Name>Kept Out</Name></CustomerAdd></CustomerAddRq><CustomerQueryRq><Bad/></CustomerQueryRq>",
        ),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert_eq!(sb.file.customer_count().unwrap(), 0);
}

fn raw_non_latin1_is_refused_but_references_become_question_marks(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let (code, msg) = refused(
        &mut sb,
        docs,
        &doc("<CustomerAddRq><CustomerAdd><Name>Ωmega Ltd</Name></CustomerAdd></CustomerAddRq>"),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    assert!(msg.contains("U+03A9") && msg.contains("<Name>"), "{msg}");
    // Latin-1 text is fine, raw or as references.
    let c = sb.add_customer(
        docs,
        "Café Müller",
        "<CompanyName>Caf&#233; M&#xFC;ller</CompanyName>",
    );
    assert_eq!(c.get("Name"), Some("Café Müller"));
    assert_eq!(c.get("CompanyName"), Some("Café Müller"));
    // What an ISO-8859-1 encoder produces for characters outside Latin-1 is stored as '?', as
    // QuickBooks does.
    let r = sb.send(
        docs,
        "<CustomerAddRq><CustomerAdd><Name>&#937;mega Ltd</Name></CustomerAdd></CustomerAddRq>",
    );
    assert_eq!(r.rets(0)[0].get("Name"), Some("?mega Ltd"));
}

fn schema_elements_the_sandbox_ignores_are_accepted(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let everything = "<Name>Full House</Name><IsActive>true</IsActive><CompanyName>Full House Inc</CompanyName>\
        <Salutation>Ms.</Salutation><FirstName>Ann</FirstName><MiddleName>Q</MiddleName><LastName>Lee</LastName><Suffix>Jr</Suffix>\
        <JobTitle>Owner</JobTitle><BillAddress><Addr1>1 A St</Addr1><Addr5>Bldg 5</Addr5><City>Town</City><Note>front</Note></BillAddress>\
        <ShipAddress><Addr1>2 B St</Addr1></ShipAddress>\
        <ShipToAddress><Name>Dock</Name><Addr1>3 C St</Addr1><DefaultShipTo>true</DefaultShipTo></ShipToAddress>\
        <PrintAs>FH</PrintAs><Phone>1</Phone><Mobile>2</Mobile><Pager>3</Pager><AltPhone>4</AltPhone><Fax>5</Fax>\
        <Email>a@b.example</Email><Cc>c@b.example</Cc><Contact>Ann Lee</Contact><AltContact>Bo</AltContact>\
        <AdditionalContactRef><ContactName>Main</ContactName><ContactValue>555</ContactValue></AdditionalContactRef>\
        <Contacts><FirstName>Cy</FirstName><AdditionalContactRef><ContactName>x</ContactName><ContactValue>y</ContactValue></AdditionalContactRef></Contacts>\
        <TermsRef><FullName>Net 30</FullName></TermsRef><OpenBalance>0.00</OpenBalance><OpenBalanceDate>2024-01-31</OpenBalanceDate>\
        <SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef><SalesTaxCountry>US</SalesTaxCountry>\
        <ResaleNumber>R1</ResaleNumber><AccountNumber>C1</AccountNumber><CreditLimit>100</CreditLimit>\
        <CreditCardInfo><CreditCardNumber>4111</CreditCardNumber><ExpirationMonth>12</ExpirationMonth></CreditCardInfo>\
        <JobStatus>Pending</JobStatus><JobStartDate>2024-01-01</JobStartDate><JobDesc>d</JobDesc>\
        <Notes>n</Notes><AdditionalNotes><Note>more</Note></AdditionalNotes><IsStatementWithParent>false</IsStatementWithParent>\
        <DeliveryMethod>Email</DeliveryMethod><PreferredDeliveryMethod>Email</PreferredDeliveryMethod>\
        <ExternalGUID>{6B29FC40-CA47-1067-B31D-00DD010662DA}</ExternalGUID><TaxRegistrationNumber>T</TaxRegistrationNumber>";
    let r = sb.send(docs, &format!("<CustomerAddRq requestID=\"all\"><CustomerAdd>{everything}</CustomerAdd><IncludeRetElement>Name</IncludeRetElement><IncludeRetElement>CreditLimit</IncludeRetElement></CustomerAddRq>"));
    assert_eq!(r.status(0), 0, "{}", r.message(0));
    let ret = &r.rets(0)[0];
    assert_eq!(ret.child_names(), vec!["Name", "CreditLimit"]);
    assert_eq!(ret.get("CreditLimit"), Some("100.00"));
    // The request itself is valid qbXML: check it with the schema too.
    let request = envelope(
        "13.0",
        "onError=\"stopOnError\"",
        &format!(
            "<CustomerAddRq><CustomerAdd>{}</CustomerAdd></CustomerAddRq>",
            everything.replace("Full House", "Full House 2")
        ),
    );
    docs.push(&request);
}

fn unimplemented_requests_get_status_1030(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send_with(
        docs,
        "continueOnError",
        "<InvoiceQueryRq requestID=\"i\"><MaxReturned>1</MaxReturned></InvoiceQueryRq><HostQueryRq requestID=\"h\"/>",
    );
    assert_eq!(r.rs(0).name, "InvoiceQueryRs");
    assert_eq!(r.status(0), 1030);
    assert_eq!(r.severity(0), "Error");
    assert_eq!(
        r.message(0),
        "This request is not supported by this implementation."
    );
    assert_eq!(r.rs(0).attr("requestID"), Some("i"));
    assert_eq!(r.status(1), 0);
}

fn ten_megabyte_values_get_a_status_not_a_crash(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let huge = "x".repeat(10 * 1024 * 1024);
    let started = std::time::Instant::now();
    let r = sb.send(
        docs,
        &format!("<CustomerAddRq><CustomerAdd><Name>Big</Name><Notes>{huge}</Notes></CustomerAdd></CustomerAddRq>"),
    );
    assert_eq!(r.status(0), 3070);
    assert!(
        r.message(0).contains("in the field \"Notes\" is too long"),
        "{}",
        &r.message(0)[..100.min(r.message(0).len())]
    );
    assert!(r.text.len() < 10_000, "the response does not echo 10 MB");
    let (code, _) = refused(
        &mut sb,
        docs,
        &doc(&format!("<CustomerQueryRq><{huge}/></CustomerQueryRq>")),
    );
    assert_eq!(code, hresult::PARSE_ERROR);
    let r = sb.send(
        docs,
        &format!("<CustomerQueryRq><FullName>{huge}</FullName></CustomerQueryRq>"),
    );
    assert_eq!(r.status(0), 500);
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert_eq!(sb.file.customer_count().unwrap(), 0);
}

fn garbage_and_truncations_never_panic(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.add_customer(docs, "Seed", "");
    let valid = doc(
        "<CustomerQueryRq requestID=\"1\" iterator=\"Start\"><MaxReturned>1</MaxReturned><ActiveStatus>All</ActiveStatus><NameFilter><MatchCriterion>Contains</MatchCriterion><Name>e</Name></NameFilter><IncludeRetElement>Name</IncludeRetElement></CustomerQueryRq><CustomerAddRq><CustomerAdd><Name>F &amp; G</Name><BillAddress><Addr1>1</Addr1></BillAddress><CreditLimit>10.00</CreditLimit></CustomerAdd></CustomerAddRq>",
    );
    let mut outcomes = 0usize;
    // Every truncation.
    for cut in 0..valid.len() {
        if !valid.is_char_boundary(cut) {
            continue;
        }
        let _ = sb.raw(docs, &valid[..cut]);
        outcomes += 1;
    }
    // Random byte flips and splices, reproducibly.
    let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(2024);
    let bytes = valid.as_bytes();
    for _ in 0..3000 {
        let mut b = bytes.to_vec();
        for _ in 0..rng.random_range(1..6) {
            let i = rng.random_range(0..b.len());
            match rng.random_range(0..3) {
                0 => b[i] = rng.random(),
                1 => {
                    b.remove(i);
                }
                _ => b.insert(i, b"<>&\"'/=;#x"[rng.random_range(0..10)]),
            }
        }
        let text = String::from_utf8_lossy(&b);
        let _ = sb.raw(docs, &text);
        outcomes += 1;
    }
    // Pure garbage.
    for n in [1usize, 7, 100, 5000] {
        let g: String = (0..n)
            .map(|_| char::from(rng.random_range(0u8..=255)))
            .collect();
        let _ = sb.raw(docs, &g);
        outcomes += 1;
    }
    assert!(outcomes > 3000);
    // Whatever got through still left a readable company.
    let r = sb.send(
        docs,
        "<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>",
    );
    assert!(r.status(0) == 0, "{}", r.text);
}
