//! Per-request statuses and query semantics, driven with raw qbXML: 3070, 3100, 3120, 3140, 1,
//! 500, 1060, 3030, 3150, 3210; onError across several requests; ActiveStatus, filters,
//! IncludeRetElement, MetaDataOnly; type lists; ListID / EditSequence / time formats.

use crate::support::{self, Docs, Node, Sandbox, Test, customer_add_body, customer_data_of};
use custsync::qbxml::{CustomerData, Field, NameList};

pub const TESTS: &[Test] = &[
    (
        "over_long_strings_get_3070_naming_the_field",
        over_long_strings_get_3070_naming_the_field,
    ),
    (
        "names_are_unique_across_all_name_lists_3100",
        names_are_unique_across_all_name_lists_3100,
    ),
    (
        "job_names_are_unique_only_under_their_parent",
        job_names_are_unique_only_under_their_parent,
    ),
    ("unknown_list_ids_get_3120", unknown_list_ids_get_3120),
    ("unknown_references_get_3140", unknown_references_get_3140),
    (
        "empty_and_colon_names_are_refused",
        empty_and_colon_names_are_refused,
    ),
    (
        "a_filter_that_finds_nothing_gets_1",
        a_filter_that_finds_nothing_gets_1,
    ),
    (
        "a_list_with_missing_entries_gets_500_with_the_found_ones",
        a_list_with_missing_entries_gets_500_with_the_found_ones,
    ),
    (
        "active_status_defaults_to_active_only",
        active_status_defaults_to_active_only,
    ),
    ("name_filters_ignore_case", name_filters_ignore_case),
    (
        "modified_date_filters_and_3030",
        modified_date_filters_and_3030,
    ),
    (
        "max_returned_limits_and_orders_like_quickbooks",
        max_returned_limits_and_orders_like_quickbooks,
    ),
    (
        "include_ret_element_limits_the_ret",
        include_ret_element_limits_the_ret,
    ),
    (
        "metadata_only_returns_just_the_count",
        metadata_only_returns_just_the_count,
    ),
    (
        "response_data_include_none_drops_bodies",
        response_data_include_none_drops_bodies,
    ),
    (
        "stop_on_error_answers_up_to_the_failure",
        stop_on_error_answers_up_to_the_failure,
    ),
    (
        "continue_on_error_runs_every_request",
        continue_on_error_runs_every_request,
    ),
    ("long_request_ids_get_1060", long_request_ids_get_1060),
    (
        "ids_and_times_look_like_quickbooks",
        ids_and_times_look_like_quickbooks,
    ),
    ("customer_and_job_type_lists", customer_and_job_type_lists),
    (
        "the_terms_list_answers_terms_query",
        the_terms_list_answers_terms_query,
    ),
    (
        "other_name_lists_answer_queries",
        other_name_lists_answer_queries,
    ),
    ("host_and_company_queries", host_and_company_queries),
    (
        "every_mapped_field_round_trips",
        every_mapped_field_round_trips,
    ),
];

fn add(name: &str, extra: &str) -> String {
    format!(
        "<CustomerAddRq><CustomerAdd><Name>{}</Name>{extra}</CustomerAdd></CustomerAddRq>",
        support::xml_escape(name)
    )
}

fn over_long_strings_get_3070_naming_the_field(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let name42 = "N".repeat(42);
    let r = sb.send(docs, &add(&name42, ""));
    assert_eq!(r.status(0), 3070);
    assert_eq!(r.severity(0), "Error");
    assert_eq!(
        r.message(0),
        format!("The string \"{name42}\" in the field \"Name\" is too long.")
    );
    let r = sb.send(
        docs,
        &add(
            "Addr",
            &format!(
                "<BillAddress><Addr1>{}</Addr1></BillAddress>",
                "a".repeat(42)
            ),
        ),
    );
    assert_eq!(r.status(0), 3070);
    assert!(
        r.message(0)
            .ends_with("in the field \"Addr1\" is too long."),
        "{}",
        r.message(0)
    );
    // Elements the sandbox does not keep are measured too (MiddleName allows 5).
    let r = sb.send(docs, &add("Middle", "<MiddleName>Quincy</MiddleName>"));
    assert_eq!(r.status(0), 3070);
    assert!(r.message(0).contains("\"MiddleName\""), "{}", r.message(0));
    // At the limit is fine; length counts characters, not bytes.
    sb.add_customer(docs, &"é".repeat(41), "");
    let r = sb.send(
        docs,
        &add(
            "Rep",
            "<SalesRepRef><FullName>ABCDEF</FullName></SalesRepRef>",
        ),
    );
    assert_eq!(r.status(0), 3070, "{}", r.message(0));
    assert_eq!(sb.file.customer_count().unwrap(), 1);
}

fn names_are_unique_across_all_name_lists_3100(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.file
        .add_name(NameList::Vendor, "ACME Supply", true)
        .unwrap();
    sb.file
        .add_name(NameList::Employee, "Jo Smith", true)
        .unwrap();
    sb.file
        .add_name(NameList::OtherName, "Petty Cash", false)
        .unwrap();
    sb.add_customer(docs, "Abercrombie, Kristy", "");
    for (name, taken_as) in [
        ("ACME Supply", "ACME Supply"),
        ("acme supply", "acme supply"),
        ("JO SMITH", "JO SMITH"),
        ("Petty Cash", "Petty Cash"),
        ("abercrombie, KRISTY", "abercrombie, KRISTY"),
    ] {
        let r = sb.send(docs, &add(name, ""));
        assert_eq!(r.status(0), 3100, "{name}: {}", r.message(0));
        assert_eq!(
            r.message(0),
            format!("The name \"{taken_as}\" of the list element is already in use.")
        );
    }
    // Spacing and punctuation make a different name (reference §4.1).
    sb.add_customer(docs, "ACME  Supply", "");
    sb.add_customer(docs, "ACME Supply Co", "");
    assert_eq!(sb.file.customer_count().unwrap(), 3);
    // The API refuses a vendor named like a customer, too.
    assert!(
        sb.file
            .add_name(NameList::Vendor, "acme supply co", true)
            .is_err()
    );
}

fn job_names_are_unique_only_under_their_parent(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let a = sb.add_customer(docs, "Abercrombie, Kristy", "");
    sb.add_customer(docs, "Baker Farms", "");
    sb.file.add_name(NameList::Vendor, "Kitchen", true).unwrap();
    let job = sb.add_customer(
        docs,
        "Kitchen",
        "<ParentRef><FullName>Abercrombie, Kristy</FullName></ParentRef>",
    );
    assert_eq!(job.get("FullName"), Some("Abercrombie, Kristy:Kitchen"));
    assert_eq!(job.get("Sublevel"), Some("1"));
    assert_eq!(job.get("ParentRef/ListID"), a.get("ListID"));
    assert_eq!(job.get("ParentRef/FullName"), Some("Abercrombie, Kristy"));
    let r = sb.send(
        docs,
        &add(
            "KITCHEN",
            "<ParentRef><FullName>abercrombie, kristy</FullName></ParentRef>",
        ),
    );
    assert_eq!(r.status(0), 3100, "{}", r.message(0));
    // Same job name under another parent (by ListID this time), and a job under a job.
    let b_id = sb
        .send(
            docs,
            "<CustomerQueryRq><FullName>Baker Farms</FullName></CustomerQueryRq>",
        )
        .rets(0)[0]
        .get("ListID")
        .unwrap()
        .to_string();
    let b_job = sb.add_customer(
        docs,
        "Kitchen",
        &format!("<ParentRef><ListID>{b_id}</ListID></ParentRef>"),
    );
    assert_eq!(b_job.get("FullName"), Some("Baker Farms:Kitchen"));
    let sub = sb.add_customer(
        docs,
        "Phase 1",
        "<ParentRef><FullName>Baker Farms:Kitchen</FullName></ParentRef>",
    );
    assert_eq!(sub.get("FullName"), Some("Baker Farms:Kitchen:Phase 1"));
    assert_eq!(sub.get("Sublevel"), Some("2"));
    // Jobs come right after their parent in the list.
    let r = sb.send(
        docs,
        "<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>",
    );
    let full: Vec<String> = r
        .rets(0)
        .iter()
        .map(|c| c.get("FullName").unwrap().to_string())
        .collect();
    assert_eq!(
        full,
        [
            "Abercrombie, Kristy",
            "Abercrombie, Kristy:Kitchen",
            "Baker Farms",
            "Baker Farms:Kitchen",
            "Baker Farms:Kitchen:Phase 1"
        ]
    );
}

fn unknown_list_ids_get_3120(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send(
        docs,
        &add(
            "Orphan",
            "<ParentRef><ListID>8000FFFF-1446676743</ListID></ParentRef>",
        ),
    );
    assert_eq!(r.status(0), 3120);
    assert_eq!(
        r.message(0),
        "Object \"8000FFFF-1446676743\" specified in the request cannot be found."
    );
    let r = sb.send(
        docs,
        &add(
            "Typed",
            "<CustomerTypeRef><ListID>1234-1</ListID></CustomerTypeRef>",
        ),
    );
    assert_eq!(r.status(0), 3120);
    let r = sb.send(
        docs,
        &add("Classy", "<ClassRef><ListID>1234-1</ListID></ClassRef>"),
    );
    assert_eq!(r.status(0), 3120);
    // A known ListID resolves.
    let r = sb.send(docs, "<CustomerTypeAddRq><CustomerTypeAdd><Name>Retail</Name></CustomerTypeAdd></CustomerTypeAddRq>");
    let id = r.rets(0)[0].get("ListID").unwrap().to_string();
    let c = sb.add_customer(
        docs,
        "Typed",
        &format!("<CustomerTypeRef><ListID>{id}</ListID></CustomerTypeRef>"),
    );
    assert_eq!(c.get("CustomerTypeRef/FullName"), Some("Retail"));
    assert_eq!(sb.file.customer_count().unwrap(), 1);
}

fn unknown_references_get_3140(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let cases = [
        (
            "<CustomerTypeRef><FullName>Wholesale</FullName></CustomerTypeRef>",
            "Customer Type \"Wholesale\"",
        ),
        (
            "<TermsRef><FullName>Net 99</FullName></TermsRef>",
            "Terms \"Net 99\"",
        ),
        (
            "<SalesRepRef><FullName>ZZ</FullName></SalesRepRef>",
            "Sales Rep \"ZZ\"",
        ),
        (
            "<SalesTaxCodeRef><FullName>XYZ</FullName></SalesTaxCodeRef>",
            "Sales Tax Code \"XYZ\"",
        ),
        (
            "<JobTypeRef><FullName>Repair</FullName></JobTypeRef>",
            "Job Type \"Repair\"",
        ),
        (
            "<ParentRef><FullName>Nobody</FullName></ParentRef>",
            "Customer:Job \"Nobody\"",
        ),
        (
            "<ClassRef><FullName>East</FullName></ClassRef>",
            "Class \"East\"",
        ),
        (
            "<PriceLevelRef><FullName>Gold</FullName></PriceLevelRef>",
            "Price Level \"Gold\"",
        ),
    ];
    for (extra, what) in cases {
        let r = sb.send(docs, &add("Refs", extra));
        assert_eq!(r.status(0), 3140, "{extra}");
        assert_eq!(
            r.message(0),
            format!(
                "There is an invalid reference to QuickBooks {what} in the Customer. QuickBooks error message: Invalid argument.  The specified record does not exist in the list."
            )
        );
    }
    // The company's default lists resolve, case-insensitively.
    let c = sb.add_customer(
        docs,
        "Refs",
        "<TermsRef><FullName>net 30</FullName></TermsRef><SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef>",
    );
    assert_eq!(c.get("TermsRef/FullName"), Some("Net 30"));
    assert_eq!(c.get("SalesTaxCodeRef/FullName"), Some("Non"));
}

fn empty_and_colon_names_are_refused(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send(docs, &add("", ""));
    assert_eq!(r.status(0), 3150);
    assert_eq!(r.message(0), "There is a missing element: \"Name\".");
    let r = sb.send(docs, &add("A:B", ""));
    assert_eq!(r.status(0), 3210);
    assert!(r.message(0).contains("colon"), "{}", r.message(0));
    let r = sb.send(docs, "<CustomerTypeAddRq><CustomerTypeAdd><Name>x:y</Name></CustomerTypeAdd></CustomerTypeAddRq>");
    assert_eq!(r.status(0), 3210);
}

fn a_filter_that_finds_nothing_gets_1(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send(docs, "<CustomerQueryRq requestID=\"q\"/>");
    assert_eq!(r.status(0), 1);
    assert_eq!(r.severity(0), "Info");
    assert_eq!(
        r.message(0),
        "A query request did not find a matching object in QuickBooks"
    );
    assert_eq!(r.rets(0).len(), 0);
    sb.add_customer(docs, "Somebody", "");
    let r = sb.send(docs, "<CustomerQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>Nobody</Name></NameFilter></CustomerQueryRq>");
    assert_eq!(r.status(0), 1);
    // A balance filter no zero balance satisfies, and classes the company does not have.
    let r = sb.send(docs, "<CustomerQueryRq><TotalBalanceFilter><Operator>GreaterThan</Operator><Amount>0.00</Amount></TotalBalanceFilter></CustomerQueryRq>");
    assert_eq!(r.status(0), 1);
    let r = sb.send(docs, "<CustomerQueryRq><TotalBalanceFilter><Operator>Equal</Operator><Amount>0.00</Amount></TotalBalanceFilter></CustomerQueryRq>");
    assert_eq!(r.status(0), 0);
    let r = sb.send(
        docs,
        "<CustomerQueryRq><ClassFilter><FullName>East</FullName></ClassFilter></CustomerQueryRq>",
    );
    assert_eq!(r.status(0), 1);
}

fn a_list_with_missing_entries_gets_500_with_the_found_ones(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let a = sb.add_customer(docs, "Alpha", "");
    sb.add_customer(docs, "Beta", "<IsActive>false</IsActive>");
    let r = sb.send(docs, "<CustomerQueryRq><FullName>alpha</FullName><FullName>Gamma</FullName><FullName>Beta</FullName></CustomerQueryRq>");
    assert_eq!(r.status(0), 500);
    assert_eq!(r.severity(0), "Warn");
    assert_eq!(
        r.message(0),
        "The query request has not been fully completed. There was a required element (\"Gamma\") that could not be found in QuickBooks."
    );
    // In the order asked, inactive ones included (ActiveStatus only filters).
    assert_eq!(r.names(0), ["Alpha", "Beta"]);
    assert_eq!(r.rs(0).attr("retCount"), Some("2"));
    let id = a.get("ListID").unwrap();
    let r = sb.send(
        docs,
        &format!(
            "<CustomerQueryRq><ListID>{id}</ListID><ListID>80000999-1</ListID></CustomerQueryRq>"
        ),
    );
    assert_eq!(r.status(0), 500);
    assert!(r.message(0).contains("80000999-1"));
    assert_eq!(r.names(0), ["Alpha"]);
    let r = sb.send(
        docs,
        "<CustomerQueryRq><FullName>Nobody</FullName></CustomerQueryRq>",
    );
    assert_eq!(r.status(0), 500);
    assert!(r.rets(0).is_empty());
    let r = sb.send(
        docs,
        &format!("<CustomerQueryRq><ListID>{id}</ListID></CustomerQueryRq>"),
    );
    assert_eq!(r.status(0), 0);
}

fn active_status_defaults_to_active_only(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.add_customer(docs, "Active One", "");
    sb.add_customer(docs, "Gone Away", "<IsActive>false</IsActive>");
    let r = sb.send(docs, "<CustomerQueryRq/>");
    assert_eq!(r.names(0), ["Active One"]);
    let r = sb.send(
        docs,
        "<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>",
    );
    assert_eq!(r.names(0), ["Active One", "Gone Away"]);
    let r = sb.send(
        docs,
        "<CustomerQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></CustomerQueryRq>",
    );
    assert_eq!(r.names(0), ["Gone Away"]);
    assert_eq!(r.rets(0)[0].get("IsActive"), Some("false"));
}

fn name_filters_ignore_case(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    for n in [
        "Baker Farms",
        "bakery on main",
        "Cabana Bakes",
        "Dakota",
        "Zed",
    ] {
        sb.add_customer(docs, n, "");
    }
    let q = |crit: &str, name: &str| {
        format!(
            "<CustomerQueryRq><NameFilter><MatchCriterion>{crit}</MatchCriterion><Name>{name}</Name></NameFilter></CustomerQueryRq>"
        )
    };
    assert_eq!(
        sb.send(docs, &q("StartsWith", "BAKE")).names(0),
        ["Baker Farms", "bakery on main"]
    );
    assert_eq!(
        sb.send(docs, &q("Contains", "bake")).names(0),
        ["Baker Farms", "bakery on main", "Cabana Bakes"]
    );
    assert_eq!(
        sb.send(docs, &q("EndsWith", "KES")).names(0),
        ["Cabana Bakes"]
    );
    let r = sb.send(docs, "<CustomerQueryRq><NameRangeFilter><FromName>c</FromName><ToName>D</ToName></NameRangeFilter></CustomerQueryRq>");
    assert_eq!(r.names(0), ["Cabana Bakes", "Dakota"]);
    let r = sb.send(docs, "<CustomerQueryRq><NameRangeFilter><FromName>d</FromName></NameRangeFilter></CustomerQueryRq>");
    assert_eq!(r.names(0), ["Dakota", "Zed"]);
}

fn modified_date_filters_and_3030(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.add_customer(docs, "Recent", "");
    let r = sb.send(
        docs,
        "<CustomerQueryRq><FromModifiedDate>2000-01-01</FromModifiedDate></CustomerQueryRq>",
    );
    assert_eq!(r.names(0), ["Recent"]);
    let r = sb.send(docs, "<CustomerQueryRq><ToModifiedDate>2000-01-01T12:00:00-08:00</ToModifiedDate></CustomerQueryRq>");
    assert_eq!(r.status(0), 1);
    let r = sb.send(docs, "<CustomerQueryRq><FromModifiedDate>2030-01-02</FromModifiedDate><ToModifiedDate>2030-01-01</ToModifiedDate></CustomerQueryRq>");
    assert_eq!(r.status(0), 3030);
    assert_eq!(
        r.message(0),
        "Invalid date range: From date is greater than To date."
    );
}

fn max_returned_limits_and_orders_like_quickbooks(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    for n in ["delta", "Alpha", "charlie", "Bravo"] {
        sb.add_customer(docs, n, "");
    }
    let r = sb.send(
        docs,
        "<CustomerQueryRq><MaxReturned>3</MaxReturned></CustomerQueryRq>",
    );
    assert_eq!(r.names(0), ["Alpha", "Bravo", "charlie"]);
    assert_eq!(r.rs(0).attr("retCount"), Some("3"));
}

fn include_ret_element_limits_the_ret(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.add_customer(
        docs,
        "Trim Co",
        "<CompanyName>Trim Company</CompanyName><BillAddress><Addr1>1 Main</Addr1><City>Town</City></BillAddress><Phone>555</Phone>",
    );
    let r = sb.send(docs, "<CustomerQueryRq><IncludeRetElement>Phone</IncludeRetElement><IncludeRetElement>ListID</IncludeRetElement><IncludeRetElement>BillAddress</IncludeRetElement><IncludeRetElement>NoSuchThing</IncludeRetElement></CustomerQueryRq>");
    let ret = &r.rets(0)[0];
    assert_eq!(
        ret.child_names(),
        ["ListID", "BillAddress", "Phone"],
        "in schema order"
    );
    assert_eq!(ret.get("BillAddress/City"), Some("Town"));
}

fn metadata_only_returns_just_the_count(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    for n in ["A1", "A2", "B1"] {
        sb.add_customer(docs, n, "");
    }
    let r = sb.send(docs, "<CustomerQueryRq metaData=\"MetaDataOnly\"><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>A</Name></NameFilter></CustomerQueryRq>");
    assert_eq!(r.status(0), 0);
    assert_eq!(r.rs(0).attr("retCount"), Some("2"));
    assert!(r.rets(0).is_empty());
    let r = sb.send(docs, "<CustomerTypeQueryRq metaData=\"MetaDataOnly\"/>");
    assert_eq!(r.rs(0).attr("retCount"), Some("0"));
    let r = sb.send(
        docs,
        "<CustomerQueryRq metaData=\"MetaDataAndResponseData\"/>",
    );
    assert_eq!(r.rets(0).len(), 3);
    assert_eq!(r.rs(0).attr("retCount"), Some("3"));
}

fn response_data_include_none_drops_bodies(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let text = sb
        .raw(
            docs,
            &support::envelope(
                "13.0",
                "onError=\"stopOnError\" responseData=\"includeNone\"",
                &add("Quiet Co", ""),
            ),
        )
        .unwrap();
    let r = support::Rs::parse(&text);
    assert_eq!(r.status(0), 0);
    assert!(r.rets(0).is_empty());
    assert_eq!(sb.file.customer_count().unwrap(), 1);
}

fn stop_on_error_answers_up_to_the_failure(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.file.add_name(NameList::Vendor, "Taken", true).unwrap();
    let r = sb.send_with(
        docs,
        "stopOnError",
        &format!(
            "<CustomerQueryRq requestID=\"1\"><FullName>Missing</FullName></CustomerQueryRq>{}{}{}",
            add("First", "").replace("<CustomerAddRq>", "<CustomerAddRq requestID=\"2\">"),
            add("Taken", "").replace("<CustomerAddRq>", "<CustomerAddRq requestID=\"3\">"),
            add("Never", "").replace("<CustomerAddRq>", "<CustomerAddRq requestID=\"4\">"),
        ),
    );
    // A warning (500) does not stop; the error (3100) does, and nothing after it runs.
    assert_eq!(r.count(), 3, "{}", r.text);
    assert_eq!((r.status(0), r.status(1), r.status(2)), (500, 0, 3100));
    assert_eq!(r.rs(2).attr("requestID"), Some("3"));
    let q = sb.send(
        docs,
        "<CustomerQueryRq><FullName>First</FullName><FullName>Never</FullName></CustomerQueryRq>",
    );
    assert_eq!(
        q.names(0),
        ["First"],
        "requests before the failure are kept"
    );
}

fn continue_on_error_runs_every_request(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send_with(
        docs,
        "continueOnError",
        &format!(
            "{}{}{}<InvoiceQueryRq/>{}",
            add("One", ""),
            add("One", ""),
            add(&"x".repeat(50), ""),
            add("Two", "")
        ),
    );
    assert_eq!(r.count(), 5);
    let codes: Vec<i32> = (0..5).map(|i| r.status(i)).collect();
    assert_eq!(codes, [0, 3100, 3070, 1030, 0]);
    assert_eq!(sb.file.customer_count().unwrap(), 2);
}

fn long_request_ids_get_1060(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let id = "r".repeat(51);
    let r = sb.send(docs, &format!("<HostQueryRq requestID=\"{id}\"/>"));
    assert_eq!(r.status(0), 1060);
    assert_eq!(r.rs(0).attr("requestID"), Some(id.as_str()));
    let ok = "r".repeat(50);
    assert_eq!(
        sb.send(docs, &format!("<HostQueryRq requestID=\"{ok}\"/>"))
            .status(0),
        0
    );
}

fn is_list_id(s: &str) -> bool {
    let Some((seq, time)) = s.split_once('-') else {
        return false;
    };
    seq.len() == 8
        && seq
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
        && time.len() == 10
        && time.bytes().all(|b| b.is_ascii_digit())
}

fn is_qb_time(s: &str) -> bool {
    // 2015-11-04T14:39:03-08:00
    let b = s.as_bytes();
    b.len() == 25
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 | 22 => *c == b':',
            19 => *c == b'+' || *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn ids_and_times_look_like_quickbooks(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let before = chrono::Utc::now().timestamp();
    let a = sb.add_customer(docs, "First", "");
    let b = sb.add_customer(docs, "Second", "");
    let after = chrono::Utc::now().timestamp();
    for c in [&a, &b] {
        let list_id = c.get("ListID").unwrap();
        assert!(is_list_id(list_id), "{list_id}");
        let edit = c.get("EditSequence").unwrap();
        let t: i64 = edit.parse().unwrap();
        assert!(
            (before..=after).contains(&t),
            "EditSequence is the Unix time: {edit}"
        );
        assert!(
            list_id.ends_with(&format!("-{edit}")),
            "ListID ends with the creation time"
        );
        let created = c.get("TimeCreated").unwrap();
        assert!(is_qb_time(created), "{created}");
        assert_eq!(c.get("TimeModified"), Some(created));
        let parsed = chrono::DateTime::parse_from_rfc3339(created).unwrap();
        assert_eq!(parsed.timestamp(), t);
    }
    let seq = |c: &Node| {
        u32::from_str_radix(c.get("ListID").unwrap().split('-').next().unwrap(), 16).unwrap()
    };
    assert!(seq(&a) >= 0x8000_0001);
    assert_eq!(seq(&b), seq(&a) + 1);
}

fn customer_and_job_type_lists(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send(
        docs,
        "<CustomerTypeAddRq><CustomerTypeAdd><Name>Commercial</Name></CustomerTypeAdd></CustomerTypeAddRq>\
         <CustomerTypeAddRq><CustomerTypeAdd><Name>Retail</Name><ParentRef><FullName>commercial</FullName></ParentRef></CustomerTypeAdd></CustomerTypeAddRq>\
         <CustomerTypeAddRq><CustomerTypeAdd><Name>Old</Name><IsActive>false</IsActive></CustomerTypeAdd></CustomerTypeAddRq>\
         <JobTypeAddRq><JobTypeAdd><Name>Repair</Name></JobTypeAdd></JobTypeAddRq>",
    );
    assert_eq!(r.rs(0).name, "CustomerTypeAddRs");
    let retail = &r.rets(1)[0];
    assert_eq!(retail.name, "CustomerTypeRet");
    assert_eq!(retail.get("FullName"), Some("Commercial:Retail"));
    assert_eq!(retail.get("Sublevel"), Some("1"));
    assert_eq!(retail.get("ParentRef/FullName"), Some("Commercial"));
    assert_eq!(r.rets(3)[0].name, "JobTypeRet");
    let r = sb.send(docs, "<CustomerTypeAddRq><CustomerTypeAdd><Name>RETAIL</Name><ParentRef><FullName>Commercial</FullName></ParentRef></CustomerTypeAdd></CustomerTypeAddRq>");
    assert_eq!(r.status(0), 3100);
    let r = sb.send(docs, "<CustomerTypeAddRq><CustomerTypeAdd><Name>Retail</Name><ParentRef><FullName>Nowhere</FullName></ParentRef></CustomerTypeAdd></CustomerTypeAddRq>");
    assert_eq!(r.status(0), 3140);
    let r = sb.send(
        docs,
        &format!(
            "<JobTypeAddRq><JobTypeAdd><Name>{}</Name></JobTypeAdd></JobTypeAddRq>",
            "j".repeat(32)
        ),
    );
    assert_eq!(r.status(0), 3070);
    // Same name in another list is fine.
    assert_eq!(
        sb.send(
            docs,
            "<JobTypeAddRq><JobTypeAdd><Name>Retail</Name></JobTypeAdd></JobTypeAddRq>"
        )
        .status(0),
        0
    );
    let r = sb.send(docs, "<CustomerTypeQueryRq/>");
    assert_eq!(r.names(0), ["Commercial", "Retail"]);
    let r = sb.send(
        docs,
        "<CustomerTypeQueryRq><ActiveStatus>All</ActiveStatus></CustomerTypeQueryRq>",
    );
    assert_eq!(r.names(0), ["Commercial", "Retail", "Old"]);
    let r = sb.send(docs, "<CustomerTypeQueryRq><FullName>Commercial:Retail</FullName><FullName>Nope</FullName></CustomerTypeQueryRq>");
    assert_eq!(r.status(0), 500);
    assert_eq!(r.names(0), ["Retail"]);
    let r = sb.send(
        docs,
        "<JobTypeQueryRq><IncludeRetElement>Name</IncludeRetElement></JobTypeQueryRq>",
    );
    assert_eq!(r.rets(0)[0].child_names(), ["Name"]);
    // A customer may carry a sub-type and a job type.
    let c = sb.add_customer(docs, "Typed", "<CustomerTypeRef><FullName>Commercial:Retail</FullName></CustomerTypeRef><JobTypeRef><FullName>Repair</FullName></JobTypeRef>");
    assert_eq!(c.get("CustomerTypeRef/FullName"), Some("Commercial:Retail"));
    assert_eq!(c.get("JobTypeRef/FullName"), Some("Repair"));
}

/// TermsQuery lists what a customer's TermsRef may name (as standard terms: the sandbox keeps no
/// date-driven ones), with the ListQuery filters.
fn the_terms_list_answers_terms_query(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send(docs, "<TermsQueryRq/>");
    assert_eq!(r.status(0), 0);
    assert_eq!(r.rs(0).name, "TermsQueryRs");
    assert!(r.rets(0).iter().all(|t| t.name == "StandardTermsRet"));
    let names = r.names(0);
    assert!(names.iter().any(|n| n == "Net 30"), "{names:?}");
    let r = sb.send(
        docs,
        "<TermsQueryRq><FullName>Net 30</FullName><FullName>Net 99</FullName></TermsQueryRq>",
    );
    assert_eq!(r.status(0), 500);
    assert_eq!(r.names(0), ["Net 30"]);
    let r = sb.send(docs, "<TermsQueryRq metaData=\"MetaDataOnly\"/>");
    assert_eq!(r.status(0), 0);
    assert!(r.rets(0).is_empty());
}

fn other_name_lists_answer_queries(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let v = sb
        .file
        .add_name(NameList::Vendor, "ACME Supply", true)
        .unwrap();
    sb.file
        .add_name(NameList::Vendor, "Zeta Parts", false)
        .unwrap();
    sb.file
        .add_name(NameList::Employee, "Jo Smith", true)
        .unwrap();
    sb.file
        .add_name(NameList::OtherName, "Petty Cash", true)
        .unwrap();
    let r = sb.send(
        docs,
        &format!(
            "<VendorQueryRq><FullName>acme supply</FullName></VendorQueryRq>\
             <VendorQueryRq><ListID>{v}</ListID></VendorQueryRq>\
             <VendorQueryRq><ActiveStatus>All</ActiveStatus></VendorQueryRq>\
             <VendorQueryRq/>\
             <EmployeeQueryRq><FullName>Jo Smith</FullName></EmployeeQueryRq>\
             <OtherNameQueryRq><NameFilter><MatchCriterion>Contains</MatchCriterion><Name>cash</Name></NameFilter></OtherNameQueryRq>\
             <EmployeeQueryRq><FullName>ACME Supply</FullName></EmployeeQueryRq>"
        ),
    );
    assert_eq!(r.rets(0)[0].name, "VendorRet");
    assert_eq!(r.names(0), ["ACME Supply"]);
    assert_eq!(r.rets(1)[0].get("ListID"), Some(v.as_str()));
    assert_eq!(r.names(2), ["ACME Supply", "Zeta Parts"]);
    assert_eq!(r.names(3), ["ACME Supply"]);
    assert_eq!(r.rets(4)[0].name, "EmployeeRet");
    assert_eq!(r.rets(5)[0].name, "OtherNameRet");
    assert_eq!(r.names(5), ["Petty Cash"]);
    assert_eq!(r.status(6), 500, "a vendor is not an employee");
}

fn host_and_company_queries(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send(docs, "<HostQueryRq/><CompanyQueryRq/>");
    let host = &r.rets(0)[0];
    assert_eq!(
        host.get("ProductName"),
        Some("QuickBooks Pro 2024 (custsync sandbox)")
    );
    let versions: Vec<&str> = host
        .children
        .iter()
        .filter(|c| c.name == "SupportedQBXMLVersion")
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(versions.first(), Some(&"1.0"));
    assert_eq!(versions.last(), Some(&"16.0"));
    assert!(versions.contains(&"13.0") && versions.contains(&"2.1"));
    assert_eq!(host.get("IsAutomaticLogin"), Some("false"));
    let company = &r.rets(1)[0];
    assert_eq!(company.get("CompanyName"), Some("Sandbox Co"));
    assert_eq!(company.get("IsSampleCompany"), Some("false"));
}

fn every_mapped_field_round_trips(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.send(docs, "<CustomerTypeAddRq><CustomerTypeAdd><Name>Commercial</Name></CustomerTypeAdd></CustomerTypeAddRq><CustomerTypeAddRq><CustomerTypeAdd><Name>Retail &amp; Co</Name><ParentRef><FullName>Commercial</FullName></ParentRef></CustomerTypeAdd></CustomerTypeAddRq>");
    let mut data = CustomerData::new();
    for &f in Field::ALL {
        let max = f.max_len().unwrap_or(10);
        let value: String = match f {
            Field::CustomerType => "Commercial:Retail & Co".into(),
            Field::Terms => "Net 15".into(),
            Field::SalesRep => String::new(),
            Field::SalesTaxCode => "Non".into(),
            Field::CreditLimit => "12345.60".into(),
            Field::Name => "Ünïcode & <Brackets> \"Quoted\" O'Brien".into(),
            _ => format!("{} <&> é", f.key())
                .chars()
                .cycle()
                .take(max.min(60))
                .collect(),
        };
        data.set(f, value.trim());
    }
    let r = sb.send(
        docs,
        &format!(
            "<CustomerAddRq><CustomerAdd>{}</CustomerAdd></CustomerAddRq>",
            customer_add_body(&data)
        ),
    );
    assert_eq!(r.status(0), 0, "{}", r.message(0));
    let back = customer_data_of(&r.rets(0)[0]);
    assert_eq!(back.differing_fields(&data).collect::<Vec<_>>(), vec![]);
    let name = support::xml_escape(data.get(Field::Name).unwrap());
    let r = sb.send(
        docs,
        &format!("<CustomerQueryRq><FullName>{name}</FullName></CustomerQueryRq>"),
    );
    assert_eq!(customer_data_of(&r.rets(0)[0]), data);
}
