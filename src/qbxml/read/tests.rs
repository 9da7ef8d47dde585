use super::*;
use crate::qbxml::status::codes;

fn doc(msgs: &str) -> String {
    format!("<?xml version=\"1.0\" ?>\n<QBXML>\n<QBXMLMsgsRs>\n{msgs}\n</QBXMLMsgsRs>\n</QBXML>\n")
}

fn read(xml: &str) -> ResponseDoc {
    let from_str = read_response_str(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let from_bytes = read_response(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(from_str, from_bytes, "the two entry points must agree");
    from_str
}

fn refuse(xml: &[u8]) -> ReadError {
    let from_bytes = read_response(xml).expect_err("must be refused");
    if let Ok(text) = std::str::from_utf8(xml) {
        let from_str = read_response_str(text).expect_err("must be refused as text too");
        assert_eq!(
            std::mem::discriminant(&from_str),
            std::mem::discriminant(&from_bytes),
            "{from_str} / {from_bytes}"
        );
    }
    from_bytes
}

const FULL_CUSTOMER: &str = r#"<CustomerRet>
  <ListID>80000001-1700000000</ListID>
  <TimeCreated>2024-01-02T03:04:05-08:00</TimeCreated>
  <TimeModified>2024-02-03T04:05:06-08:00</TimeModified>
  <EditSequence>1700000001</EditSequence>
  <Name>Smith &amp; Sons</Name>
  <FullName>Smith &amp; Sons</FullName>
  <IsActive>false</IsActive>
  <ClassRef><ListID>1</ListID><FullName>East</FullName></ClassRef>
  <ParentRef><ListID>80000009-1</ListID><FullName>Holding</FullName></ParentRef>
  <Sublevel>1</Sublevel>
  <CompanyName>Smith &amp; Sons Ltd</CompanyName>
  <Salutation>Mr.</Salutation>
  <FirstName>Jörg</FirstName>
  <LastName>O'Brien</LastName>
  <BillAddress>
    <Addr1>1 Main St</Addr1><Addr2>Suite 2</Addr2><Addr3>c/o A</Addr3><Addr4>Floor 4</Addr4>
    <Addr5>Bldg 5</Addr5><City>Reno</City><State>NV</State><PostalCode>89501</PostalCode>
    <Country>USA</Country><Note>back door</Note>
  </BillAddress>
  <BillAddressBlock><Addr1>1 Main St</Addr1><Addr2>Reno NV</Addr2></BillAddressBlock>
  <ShipAddress>
    <Addr1>2 Dock Rd</Addr1><Addr2>S2</Addr2><Addr3>S3</Addr3><Addr4>S4</Addr4><Addr5>S5</Addr5>
    <City>Sparks</City><State>NV</State><PostalCode>89431</PostalCode><Country>US</Country>
  </ShipAddress>
  <Phone>555-0100</Phone>
  <Mobile>555-0199</Mobile>
  <AltPhone>555-0101</AltPhone>
  <Fax>555-0102</Fax>
  <Email>a@b.example</Email>
  <Contact>Jane</Contact>
  <ContactsRet><ListID>9</ListID><Contact>x</Contact><ContactsRet><Deeper><Still>y</Still></Deeper></ContactsRet></ContactsRet>
  <CustomerTypeRef><ListID>T1</ListID><FullName>Retail:Web</FullName></CustomerTypeRef>
  <TermsRef><FullName>Net 30</FullName></TermsRef>
  <SalesRepRef><FullName>JD</FullName></SalesRepRef>
  <Balance>12.00</Balance>
  <TotalBalance>12.00</TotalBalance>
  <SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef>
  <ResaleNumber>R-1</ResaleNumber>
  <AccountNumber>C-0001</AccountNumber>
  <CreditLimit>2500.00</CreditLimit>
  <JobTypeRef><ListID>J1</ListID><FullName>Customer Job</FullName></JobTypeRef>
  <Notes>line 1&#13;&#10;line 2 &lt;b&gt; &quot;q&quot; &apos;a&apos; &#x20AC;</Notes>
  <AdditionalNotesRet><NoteID>1</NoteID><Date>2024-01-01</Date><Note>n</Note></AdditionalNotesRet>
  <ExternalGUID>{12345678-1234-1234-1234-123456789ABC}</ExternalGUID>
  <DataExtRet><OwnerID>0</OwnerID><DataExtName>Region</DataExtName><DataExtType>STR255TYPE</DataExtType><DataExtValue>West &amp; North</DataExtValue></DataExtRet>
</CustomerRet>"#;

#[test]
fn reads_every_mapped_customer_field_and_bookkeeping() {
    let xml = doc(&format!(
        r#"<CustomerQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK" retCount="1" iteratorRemainingCount="0" iteratorID="{{abc}}">{FULL_CUSTOMER}</CustomerQueryRs>"#
    ));
    let d = read(&xml);
    let r = &d.responses[0];
    assert_eq!(r.message, "CustomerQuery");
    assert_eq!(r.request_id.as_deref(), Some("1"));
    assert_eq!(r.status, Status::ok());
    assert_eq!(r.ret_count, Some(1));
    assert_eq!(r.iterator_id.as_deref(), Some("{abc}"));
    assert_eq!(r.iterator_remaining_count, Some(0));
    let ResponseBody::Customers(cs) = &r.body else {
        panic!("{:?}", r.body)
    };
    let c = &cs[0];
    assert_eq!(c.list_id, "80000001-1700000000");
    assert_eq!(c.time_created.as_deref(), Some("2024-01-02T03:04:05-08:00"));
    assert_eq!(
        c.time_modified.as_deref(),
        Some("2024-02-03T04:05:06-08:00")
    );
    assert_eq!(c.edit_sequence.as_deref(), Some("1700000001"));
    assert_eq!(c.full_name.as_deref(), Some("Smith & Sons"));
    assert_eq!(c.is_active, Some(false));
    assert_eq!(
        c.parent,
        Some(ListRef {
            list_id: Some("80000009-1".into()),
            full_name: Some("Holding".into())
        })
    );
    assert_eq!(c.sublevel, Some(1));
    assert_eq!(c.job_type.as_deref(), Some("Customer Job"));
    assert_eq!(
        c.external_guid.as_deref(),
        Some("{12345678-1234-1234-1234-123456789ABC}")
    );
    let expected = [
        (Field::Name, "Smith & Sons"),
        (Field::CompanyName, "Smith & Sons Ltd"),
        (Field::FirstName, "Jörg"),
        (Field::LastName, "O'Brien"),
        (Field::BillAddr1, "1 Main St"),
        (Field::BillAddr2, "Suite 2"),
        (Field::BillAddr3, "c/o A"),
        (Field::BillAddr4, "Floor 4"),
        (Field::BillAddr5, "Bldg 5"),
        (Field::BillCity, "Reno"),
        (Field::BillState, "NV"),
        (Field::BillPostalCode, "89501"),
        (Field::BillCountry, "USA"),
        (Field::ShipAddr1, "2 Dock Rd"),
        (Field::ShipAddr2, "S2"),
        (Field::ShipAddr3, "S3"),
        (Field::ShipAddr4, "S4"),
        (Field::ShipAddr5, "S5"),
        (Field::ShipCity, "Sparks"),
        (Field::ShipState, "NV"),
        (Field::ShipPostalCode, "89431"),
        (Field::ShipCountry, "US"),
        (Field::Phone, "555-0100"),
        (Field::AltPhone, "555-0101"),
        (Field::Fax, "555-0102"),
        (Field::Email, "a@b.example"),
        (Field::Contact, "Jane"),
        (Field::CustomerType, "Retail:Web"),
        (Field::Terms, "Net 30"),
        (Field::SalesRep, "JD"),
        (Field::SalesTaxCode, "Tax"),
        (Field::ResaleNumber, "R-1"),
        (Field::AccountNumber, "C-0001"),
        (Field::CreditLimit, "2500.00"),
        (Field::Notes, "line 1\r\nline 2 <b> \"q\" 'a' €"),
    ];
    assert_eq!(expected.len(), Field::COUNT, "the test covers every field");
    for (field, value) in expected {
        assert_eq!(c.data.get(field), Some(value), "{field:?}");
    }
}

#[test]
fn status_message_entities_do_not_cut_the_message() {
    let xml = doc(
        r#"<CustomerAddRs requestID="2" statusCode="3100" statusSeverity="Error" statusMessage="The name &quot;Acme &amp; Co&quot; of the list element is already in use. &lt;&#39;x&#x27;&gt;" />"#,
    );
    let r = &read(&xml).responses[0];
    assert_eq!(r.status.code, codes::NAME_IN_USE);
    assert_eq!(r.status.severity, Severity::Error);
    assert_eq!(
        r.status.message,
        "The name \"Acme & Co\" of the list element is already in use. <'x'>"
    );
    assert_eq!(r.body, ResponseBody::Empty);
}

#[test]
fn reads_host_company_types_and_name_lists() {
    let xml = doc(r#"
<HostQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
  <HostRet>
    <ProductName>QuickBooks Pro 2024</ProductName><MajorVersion>34</MajorVersion><MinorVersion>0</MinorVersion>
    <Country>US</Country>
    <SupportedQBXMLVersion>1.0</SupportedQBXMLVersion><SupportedQBXMLVersion>13.0</SupportedQBXMLVersion>
    <SupportedQBXMLVersion>16.0</SupportedQBXMLVersion>
    <IsAutomaticLogin>true</IsAutomaticLogin><QBFileMode>SingleUser</QBFileMode>
    <ListMetaData><CustomerMetaData><MaxReturned>5</MaxReturned></CustomerMetaData></ListMetaData>
  </HostRet>
</HostQueryRs>
<CompanyQueryRs requestID="2" statusCode="0" statusSeverity="Info">
  <CompanyRet>
    <IsSampleCompany>false</IsSampleCompany><CompanyName>Rock Castle</CompanyName>
    <LegalCompanyName>Rock Castle LLC</LegalCompanyName>
    <Address><Addr1>1</Addr1></Address><Phone>555</Phone><Email>rc@example.com</Email>
    <SubscribedServices><Services><Name>x</Name></Services></SubscribedServices>
  </CompanyRet>
</CompanyQueryRs>
<CustomerTypeQueryRs requestID="3" statusCode="0" statusSeverity="Info">
  <CustomerTypeRet><ListID>A</ListID><TimeCreated>t1</TimeCreated><TimeModified>t2</TimeModified>
    <EditSequence>9</EditSequence><Name>Web</Name><FullName>Retail:Web</FullName><IsActive>true</IsActive>
    <ParentRef><ListID>P</ListID><FullName>Retail</FullName></ParentRef><Sublevel>1</Sublevel></CustomerTypeRet>
  <CustomerTypeRet><ListID>B</ListID><Name>Retail</Name><FullName>Retail</FullName></CustomerTypeRet>
</CustomerTypeQueryRs>
<JobTypeAddRs requestID="4" statusCode="0" statusSeverity="Info">
  <JobTypeRet><ListID>J</ListID><Name>Customer Job</Name><FullName>Customer Job</FullName></JobTypeRet>
</JobTypeAddRs>
<VendorQueryRs requestID="5" statusCode="500" statusSeverity="Warn" statusMessage="Some not found">
  <VendorRet><ListID>V</ListID><Name>Acme</Name><IsActive>true</IsActive><CompanyName>x</CompanyName></VendorRet>
</VendorQueryRs>
<EmployeeQueryRs requestID="6" statusCode="0" statusSeverity="Info">
  <EmployeeRet><ListID>E</ListID><Name>Bob</Name><IsActive>false</IsActive><EmployeeAddress><Addr1>1</Addr1></EmployeeAddress></EmployeeRet>
</EmployeeQueryRs>
<OtherNameQueryRs requestID="7" statusCode="1" statusSeverity="Info" statusMessage="none"/>
<OtherNameQueryRs requestID="8" statusCode="0" statusSeverity="Info"><OtherNameRet><ListID>O</ListID><Name>Petty</Name></OtherNameRet></OtherNameQueryRs>
"#);
    let d = read(&xml);
    let body = |id: &str| &d.by_request_id(id).unwrap().body;
    let ResponseBody::Host(h) = body("1") else {
        panic!()
    };
    assert_eq!(h.product_name, "QuickBooks Pro 2024");
    assert_eq!(h.major_version, "34");
    assert_eq!(h.minor_version, "0");
    assert_eq!(h.country.as_deref(), Some("US"));
    assert_eq!(h.supported_versions, ["1.0", "13.0", "16.0"]);
    assert_eq!(h.is_automatic_login, Some(true));
    assert_eq!(h.file_mode.as_deref(), Some("SingleUser"));
    assert_eq!(
        body("2"),
        &ResponseBody::Company(CompanyRet {
            is_sample_company: Some(false),
            company_name: Some("Rock Castle".into()),
            legal_company_name: Some("Rock Castle LLC".into()),
            phone: Some("555".into()),
            email: Some("rc@example.com".into()),
        })
    );
    let ResponseBody::ListEntries(types) = body("3") else {
        panic!()
    };
    assert_eq!(types.len(), 2);
    assert_eq!(
        types[0],
        ListRet {
            list_id: "A".into(),
            time_created: Some("t1".into()),
            time_modified: Some("t2".into()),
            edit_sequence: Some("9".into()),
            name: "Web".into(),
            full_name: "Retail:Web".into(),
            is_active: Some(true),
            parent: Some(ListRef {
                list_id: Some("P".into()),
                full_name: Some("Retail".into())
            }),
            sublevel: Some(1),
        }
    );
    let ResponseBody::ListEntries(jobs) = body("4") else {
        panic!()
    };
    assert_eq!(jobs[0].full_name, "Customer Job");
    let name = |list, id: &str, n: &str, active| NameRet {
        list,
        list_id: id.into(),
        name: n.into(),
        is_active: active,
    };
    assert_eq!(
        body("5"),
        &ResponseBody::Names(vec![name(NameList::Vendor, "V", "Acme", Some(true))])
    );
    assert_eq!(
        d.by_request_id("5").unwrap().status.severity,
        Severity::Warn
    );
    assert_eq!(
        body("6"),
        &ResponseBody::Names(vec![name(NameList::Employee, "E", "Bob", Some(false))])
    );
    assert_eq!(body("7"), &ResponseBody::Empty);
    assert_eq!(d.by_request_id("7").unwrap().status.code, codes::NO_MATCH);
    assert_eq!(
        body("8"),
        &ResponseBody::Names(vec![name(NameList::OtherName, "O", "Petty", None)])
    );
}

#[test]
fn reads_both_kinds_of_terms() {
    let xml = doc(
        r#"<TermsQueryRs requestID="1" statusCode="0" statusSeverity="Info">
  <StandardTermsRet><ListID>S</ListID><Name>Net 30</Name><IsActive>true</IsActive><StdDueDays>30</StdDueDays></StandardTermsRet>
  <DateDrivenTermsRet><ListID>D</ListID><Name>10th of month</Name><DayOfMonthDue>10</DayOfMonthDue></DateDrivenTermsRet>
</TermsQueryRs>"#,
    );
    let d = read(&xml);
    let ResponseBody::ListEntries(terms) = &d.responses[0].body else {
        panic!("{:?}", d.responses[0].body)
    };
    let names: Vec<&str> = terms.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Net 30", "10th of month"]);
    assert_eq!(terms[0].is_active, Some(true));
}

#[test]
fn reads_deleted_list_records() {
    let xml = doc(r#"
<ListDeletedQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK" retCount="3">
  <ListDeletedRet><ListDelType>Customer</ListDelType><ListID>80000002-1700000000</ListID>
    <TimeCreated>2023-11-14T14:13:20-08:00</TimeCreated><TimeDeleted>2026-03-04T09:08:07-08:00</TimeDeleted>
    <FullName>Acme &amp; Sons:Kitchen</FullName></ListDeletedRet>
  <ListDeletedRet><ListDelType>JobType</ListDelType><ListID>J</ListID><Unknown>x</Unknown></ListDeletedRet>
  <ListDeletedRet/>
</ListDeletedQueryRs>
<ListDeletedQueryRs requestID="2" statusCode="1" statusSeverity="Info" statusMessage="none"/>
"#);
    let d = read(&xml);
    let r = d.by_request_id("1").unwrap();
    assert_eq!(r.ret_count, Some(3));
    let ResponseBody::Deleted(list) = &r.body else {
        panic!("{:?}", r.body)
    };
    assert_eq!(
        list[0],
        ListDeletedRet {
            list_del_type: Some(ListDelType::Customer),
            list_id: "80000002-1700000000".into(),
            time_created: Some("2023-11-14T14:13:20-08:00".into()),
            time_deleted: Some("2026-03-04T09:08:07-08:00".into()),
            full_name: Some("Acme & Sons:Kitchen".into()),
        }
    );
    assert_eq!(list[1].list_del_type, Some(ListDelType::JobType));
    assert_eq!(list[1].time_deleted, None);
    assert_eq!(list[2], ListDeletedRet::default());
    assert_eq!(d.by_request_id("2").unwrap().body, ResponseBody::Empty);

    let bad = refuse(
        doc(
            "<ListDeletedQueryRs statusCode=\"0\" statusSeverity=\"Info\"><ListDeletedRet>\
             <ListDelType>Gadget</ListDelType></ListDeletedRet></ListDeletedQueryRs>",
        )
        .as_bytes(),
    );
    assert!(
        matches!(&bad, ReadError::BadValue { element, value, .. } if element == "ListDelType" && value == "Gadget"),
        "{bad:?}"
    );
}

#[test]
fn message_set_attributes_unknown_responses_and_error_recovery() {
    let xml = r#"<?xml version="1.0"?>
<QBXML>
  <SignonMsgsRs><SignonDesktopRs statusCode="0"/></SignonMsgsRs>
  <QBXMLMsgsRs newMessageSetID="{set-2}" messageSetStatusCode="9001">
    <ErrorRecovery><ListID>x</ListID></ErrorRecovery>
    <InvoiceQueryRs requestID="9" statusCode="0" statusSeverity="Info"><InvoiceRet><TxnID>1</TxnID><CustomerRet><ListID>no</ListID></CustomerRet></InvoiceRet></InvoiceQueryRs>
    <CustomerAddRs requestID="10" statusCode="3070" statusSeverity="Error" statusMessage="The string &quot;x&quot; in the field &quot;Addr1&quot; is too long."/>
  </QBXMLMsgsRs>
</QBXML>"#;
    let d = read(xml);
    assert_eq!(d.new_message_set_id.as_deref(), Some("{set-2}"));
    assert_eq!(d.message_set_status_code, Some(9001));
    assert_eq!(d.responses.len(), 2);
    assert_eq!(d.responses[0].message, "InvoiceQuery");
    assert_eq!(d.responses[0].body, ResponseBody::Empty);
    assert_eq!(d.responses[1].status.code, codes::STRING_TOO_LONG);
    assert!(d.responses[1].status.message.contains("\"Addr1\""));
}

#[test]
fn severity_falls_back_to_the_code_and_cdata_is_text() {
    let xml = doc(
        "<CustomerQueryRs statusCode=\"500\"><CustomerRet><ListID>1</ListID><Name><![CDATA[A & <B>]]></Name><Notes>a\r\nb\rc</Notes><IsActive/></CustomerRet></CustomerQueryRs>",
    );
    let r = &read(&xml).responses[0];
    assert_eq!(r.status.severity, Severity::Warn);
    assert_eq!(r.request_id, None);
    let ResponseBody::Customers(c) = &r.body else {
        panic!()
    };
    assert_eq!(c[0].data.get(Field::Name), Some("A & <B>"));
    assert_eq!(c[0].data.get(Field::Notes), Some("a\nb\nc"));
    assert_eq!(c[0].is_active, None);
}

#[test]
fn latin1_documents_are_decoded_byte_for_byte_and_windows_1252_is_refused() {
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><QBXML><QBXMLMsgsRs>\
        <CustomerQueryRs statusCode=\"0\" statusMessage=\"caf\xE9\"><CustomerRet><Name>M\xFCller \x93Bau\x94</Name>\
        </CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"
        .to_vec();
    let d = read_response(&bytes[..]).unwrap();
    let r = &d.responses[0];
    assert_eq!(r.status.message, "café");
    let ResponseBody::Customers(c) = &r.body else {
        panic!()
    };
    // QuickBooks stores ISO-8859-1: 0x93 is U+0093, not windows-1252's “.
    assert_eq!(c[0].data.get(Field::Name), Some("Müller \u{93}Bau\u{94}"));
    // The whole-document decoder (`custsync sandbox request`) reads the same bytes the same way.
    let text = decode_document(&bytes).unwrap();
    let from_text = read_response_str(&text).unwrap();
    assert_eq!(from_text, d);
    // A document declaring windows-1252 is refused rather than misread.
    let cp1252 = String::from_utf8_lossy(&bytes).replace("ISO-8859-1", "windows-1252");
    assert!(matches!(
        read_response(cp1252.as_bytes()),
        Err(ReadError::UnsupportedEncoding { .. })
    ));
    // The same bytes without the declaration are not UTF-8: refused, not guessed.
    let declaration_end = bytes.iter().position(|&b| b == b'>').unwrap() + 1;
    let undeclared = bytes.split_off(declaration_end);
    let Err(ReadError::InvalidUtf8 { position }) = read_response(&undeclared[..]) else {
        panic!("undeclared Latin-1 read as UTF-8")
    };
    let first_latin1 = undeclared.iter().position(|&b| b == 0xE9).unwrap() as u64;
    assert_eq!(position, first_latin1);
    assert!(matches!(
        decode_document(&undeclared),
        Err(ReadError::InvalidUtf8 { position }) if position == first_latin1
    ));
}

#[test]
fn decode_document_drops_a_bom_and_refuses_utf16() {
    let xml = doc("<HostQueryRs statusCode=\"0\"/>");
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(xml.as_bytes());
    assert_eq!(decode_document(&with_bom).unwrap(), xml);
    assert!(matches!(
        decode_document(&[0xFF, 0xFE, b'<', 0]),
        Err(ReadError::UnsupportedEncoding { .. })
    ));
}

#[test]
fn a_utf8_bom_is_accepted_and_utf16_is_refused() {
    let xml = doc("<HostQueryRs statusCode=\"0\"/>");
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(xml.as_bytes());
    assert_eq!(read_response(&with_bom[..]).unwrap().responses.len(), 1);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert!(matches!(
        read_response(&utf16[..]),
        Err(ReadError::UnsupportedEncoding { .. })
    ));
    // Found by fuzzing: a reader handing out one byte at a time must not hide the BOM.
    let one_at_a_time = std::io::BufReader::with_capacity(1, &utf16[..]);
    assert!(matches!(
        read_response(one_at_a_time),
        Err(ReadError::UnsupportedEncoding { .. })
    ));
    let bom_utf8 = std::io::BufReader::with_capacity(1, &with_bom[..]);
    assert_eq!(read_response(bom_utf8).unwrap().responses.len(), 1);
    // Text is already decoded, so only bytes can declare an encoding custsync does not read.
    let sjis = xml.replace(
        "<?xml version=\"1.0\" ?>",
        "<?xml version='1.0' encoding='Shift_JIS'?>",
    );
    assert!(matches!(
        read_response(sjis.as_bytes()),
        Err(ReadError::UnsupportedEncoding { encoding }) if encoding == "Shift_JIS"
    ));
}

#[test]
fn refuses_bad_documents_with_clear_errors() {
    let ok = doc(
        "<CustomerQueryRs statusCode=\"0\"><CustomerRet><Name>A</Name></CustomerRet></CustomerQueryRs>",
    );
    // Truncated anywhere: never a panic, never a success.
    for cut in 0..ok.len() - 2 {
        let part = &ok.as_bytes()[..cut];
        assert!(read_response(part).is_err(), "cut at {cut} accepted");
    }
    type Expect = fn(&ReadError) -> bool;
    let cases: Vec<(Vec<u8>, Expect)> = vec![
        (Vec::new(), |e| matches!(e, ReadError::Empty)),
        (ok[..ok.len() / 2].into(), |e| {
            matches!(e, ReadError::Truncated { .. } | ReadError::Syntax { .. })
        }),
        (ok.replace("</Name>", "</Nome>").into(), |e| {
            matches!(e, ReadError::Syntax { .. })
        }),
        (b"\x00\x01\xFF\xFE garbage \x89PNG".to_vec(), |e| {
            matches!(
                e,
                ReadError::Syntax { .. }
                    | ReadError::InvalidUtf8 { .. }
                    | ReadError::NotQbxml { .. }
            )
        }),
        (
            ok.replace("<Name>A", "<Name>@")
                .into_bytes()
                .into_iter()
                .flat_map(|b| if b == b'@' { vec![0xC3, 0x28] } else { vec![b] })
                .collect(),
            |e| matches!(e, ReadError::InvalidUtf8 { .. }),
        ),
        (
            ok.replace("<QBXML>", "<!DOCTYPE QBXML [<!ENTITY x \"boom\">]><QBXML>")
                .into(),
            |e| matches!(e, ReadError::Doctype { .. }),
        ),
        (
            ok.replace("<Name>A", "<Name>&x;").into(),
            |e| matches!(e, ReadError::UnknownEntity { entity, .. } if entity == "x"),
        ),
        (
            ok.replace(
                "statusCode=\"0\"",
                "statusCode=\"0\" statusMessage=\"&bogus;\"",
            )
            .into(),
            |e| matches!(e, ReadError::UnknownEntity { .. }),
        ),
        (
            ok.replace("statusCode=\"0\"", "statusCode=\"zero\"").into(),
            |e| matches!(e, ReadError::BadValue { element, .. } if element == "statusCode"),
        ),
        (
            ok.replace("statusCode=\"0\"", "requestID=\"1\"").into(),
            |e| {
                matches!(
                    e,
                    ReadError::MissingAttribute {
                        attribute: "statusCode",
                        ..
                    }
                )
            },
        ),
        (
            ok.replace("<Name>A</Name>", "<Sublevel>-1</Sublevel>")
                .into(),
            |e| matches!(e, ReadError::BadValue { element, .. } if element == "Sublevel"),
        ),
        (
            ok.replace("QBXMLMsgsRs", "QBXMLMsgsRq").into(),
            |e| matches!(e, ReadError::NotQbxml { detail } if detail.contains("request")),
        ),
        (
            b"<html><body>502 Bad Gateway</body></html>".to_vec(),
            |e| matches!(e, ReadError::NotQbxml { detail } if detail.contains("<html>")),
        ),
        (
            ok.replace("<Name>A</Name>", "<Name>A<b>bold</b></Name>")
                .into(),
            |e| matches!(e, ReadError::Syntax { detail, .. } if detail.contains("<b>")),
        ),
        (format!("{ok}<QBXML/>").into(), |e| {
            matches!(e, ReadError::Syntax { .. })
        }),
        (
            ok.replace("</QBXMLMsgsRs>", "</QBXMLMsgsRs><QBXMLMsgsRs/>")
                .into(),
            |e| matches!(e, ReadError::Syntax { detail, .. } if detail.contains("second QBXMLMsgsRs")),
        ),
    ];
    for (i, (input, expected)) in cases.iter().enumerate() {
        let err = refuse(input);
        assert!(expected(&err), "case {i}: unexpected {err:?}");
        let text = err.to_string();
        assert!(text.len() > 40, "case {i}: {text}");
    }
}

#[test]
fn absurd_values_are_refused_naming_the_element() {
    let big = "x".repeat(10 * 1024 * 1024);
    let xml = doc(&format!(
        "<CustomerQueryRs statusCode=\"0\"><CustomerRet><Name>A</Name><Notes>{big}</Notes></CustomerRet></CustomerQueryRs>"
    ));
    for err in [
        read_response_str(&xml).unwrap_err(),
        read_response(std::io::BufReader::new(xml.as_bytes())).unwrap_err(),
    ] {
        assert!(
            matches!(&err, ReadError::ValueTooLarge { element, .. } if element == "Notes"),
            "{err:?}"
        );
        assert!(err.to_string().contains("<Notes>"));
    }
    // In an element custsync does not read, and in an attribute.
    let skipped = doc(&format!(
        "<CustomerQueryRs statusCode=\"0\"><CustomerRet><DataExtRet><DataExtValue>{big}</DataExtValue></DataExtRet></CustomerRet></CustomerQueryRs>"
    ));
    let attr = doc(&format!(
        "<CustomerQueryRs statusCode=\"0\" statusMessage=\"{big}\"/>"
    ));
    for (xml, inside) in [(skipped, "DataExtValue"), (attr, "QBXMLMsgsRs")] {
        for err in [
            read_response(xml.as_bytes()).unwrap_err(),
            read_response_str(&xml).unwrap_err(),
        ] {
            assert!(
                matches!(&err, ReadError::ValueTooLarge { element, .. } if element == inside),
                "{err:?}"
            );
        }
    }
    // Just under the limit is fine.
    let fits = "y".repeat(MAX_VALUE_BYTES - 10);
    let xml = doc(&format!(
        "<CustomerQueryRs statusCode=\"0\"><CustomerRet><Notes>{fits}</Notes></CustomerRet></CustomerQueryRs>"
    ));
    let d = read(&xml);
    let ResponseBody::Customers(c) = &d.responses[0].body else {
        panic!()
    };
    assert_eq!(c[0].data.get(Field::Notes).map(str::len), Some(fits.len()));
}

#[test]
fn deep_nesting_is_refused_not_recursed() {
    let depth = 100_000;
    let xml = doc(&format!(
        "<CustomerQueryRs statusCode=\"0\"><CustomerRet>{}{}</CustomerRet></CustomerQueryRs>",
        "<X>".repeat(depth),
        "</X>".repeat(depth)
    ));
    assert!(matches!(
        refuse(xml.as_bytes()),
        ReadError::TooDeep {
            limit: MAX_DEPTH,
            ..
        }
    ));
    let shallow = doc(&format!(
        "<CustomerQueryRs statusCode=\"0\"><CustomerRet>{}{}<Name>ok</Name></CustomerRet></CustomerQueryRs>",
        "<X>".repeat(20),
        "</X>".repeat(20)
    ));
    let ResponseBody::Customers(c) = &read(&shallow).responses[0].body else {
        panic!()
    };
    assert_eq!(c[0].data.get(Field::Name), Some("ok"));
}
