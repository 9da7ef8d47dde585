//! Iterators: Start / Continue / Stop, remaining counts, snapshots, and 3391 for an iterator that
//! is finished, stopped, expired or another session's.

use std::collections::HashSet;
use std::time::Duration;

use crate::support::{Docs, Rs, Sandbox, Test, envelope};
use custsync::qb::sandbox::{
    AppPrefs, GenerateOptions, Grant, SandboxConnection, SandboxOptions, generate, process,
};
use custsync::qb::{Connection, NoPrompt};
use custsync::qbxml::NameList;

pub const TESTS: &[Test] = &[
    ("start_continue_until_done", start_continue_until_done),
    ("stop_ends_an_iterator", stop_ends_an_iterator),
    (
        "another_sessions_iterator_gets_3391",
        another_sessions_iterator_gets_3391,
    ),
    (
        "an_expired_iterator_gets_3391",
        an_expired_iterator_gets_3391,
    ),
    (
        "a_closed_sessions_iterator_gets_3391",
        a_closed_sessions_iterator_gets_3391,
    ),
    ("iterators_page_a_snapshot", iterators_page_a_snapshot),
    ("empty_and_metadata_starts", empty_and_metadata_starts),
    ("vendor_queries_iterate_too", vendor_queries_iterate_too),
    (
        "paging_a_generated_company_returns_each_customer_once",
        paging_a_generated_company_returns_each_customer_once,
    ),
];

fn start(max: u32) -> String {
    format!(
        "<CustomerQueryRq requestID=\"s\" iterator=\"Start\"><MaxReturned>{max}</MaxReturned></CustomerQueryRq>"
    )
}

fn cont(id: &str, max: u32) -> String {
    format!(
        "<CustomerQueryRq requestID=\"c\" iterator=\"Continue\" iteratorID=\"{id}\"><MaxReturned>{max}</MaxReturned></CustomerQueryRq>"
    )
}

fn iterator_id(r: &Rs) -> String {
    let id = r.rs(0).attr("iteratorID").expect("iteratorID").to_string();
    let inner = id
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .expect("braces");
    let parts: Vec<usize> = inner.split('-').map(str::len).collect();
    assert_eq!(parts, [8, 4, 4, 4, 12], "{id}");
    assert!(
        inner.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "{id}"
    );
    id
}

fn remaining(r: &Rs) -> u32 {
    r.rs(0)
        .attr("iteratorRemainingCount")
        .unwrap()
        .parse()
        .unwrap()
}

fn seven(docs: &mut Docs) -> Sandbox {
    let mut sb = Sandbox::new();
    for n in ["A", "B", "C", "D", "E", "F", "G"] {
        sb.add_customer(docs, n, "");
    }
    sb
}

fn start_continue_until_done(docs: &mut Docs) {
    let mut sb = seven(docs);
    let r = sb.send(docs, &start(3));
    assert_eq!(r.status(0), 0);
    assert_eq!(r.names(0), ["A", "B", "C"]);
    assert_eq!(remaining(&r), 4);
    assert_eq!(r.rs(0).attr("retCount"), Some("3"));
    let id = iterator_id(&r);
    let r = sb.send(docs, &cont(&id, 3));
    assert_eq!(r.names(0), ["D", "E", "F"]);
    assert_eq!(remaining(&r), 1);
    assert_eq!(iterator_id(&r), id);
    // A Continue may restate a different page size.
    let r = sb.send(docs, &cont(&id, 10));
    assert_eq!(r.names(0), ["G"]);
    assert_eq!(remaining(&r), 0);
    // Finished: nothing more to hand out.
    let r = sb.send(docs, &cont(&id, 3));
    assert_eq!(r.status(0), 3391);
    assert_eq!(
        r.message(0),
        format!("The iteratorID \"{id}\" is not valid.")
    );
    assert_eq!(sb.session.open_iterators(), 0);
}

fn stop_ends_an_iterator(docs: &mut Docs) {
    let mut sb = seven(docs);
    let id = iterator_id(&sb.send(docs, &start(2)));
    let r = sb.send(
        docs,
        &format!("<CustomerQueryRq iterator=\"Stop\" iteratorID=\"{id}\"/>"),
    );
    assert_eq!(r.status(0), 0);
    assert_eq!(remaining(&r), 0);
    assert!(r.rets(0).is_empty());
    assert_eq!(sb.send(docs, &cont(&id, 2)).status(0), 3391);
    let r = sb.send(docs, "<CustomerQueryRq iterator=\"Stop\" iteratorID=\"{00000000-0000-0000-0000-000000000000}\"/>");
    assert_eq!(r.status(0), 3391);
    let r = sb.send(docs, "<CustomerQueryRq iterator=\"Continue\"/>");
    assert_eq!(r.status(0), 3391);
}

fn another_sessions_iterator_gets_3391(docs: &mut Docs) {
    let mut sb = seven(docs);
    let id = iterator_id(&sb.send(docs, &start(2)));
    let (mut file, mut session) = sb.other_session();
    let text = process(
        &mut file,
        &mut session,
        &envelope("13.0", "onError=\"stopOnError\"", &cont(&id, 2)),
    )
    .unwrap();
    docs.push(&text);
    let r = Rs::parse(&text);
    assert_eq!(r.status(0), 3391);
    // Still fine in its own session.
    assert_eq!(sb.send(docs, &cont(&id, 2)).names(0), ["C", "D"]);
}

fn an_expired_iterator_gets_3391(docs: &mut Docs) {
    let mut sb = Sandbox::with_options(SandboxOptions {
        iterator_ttl: Duration::from_millis(150),
    });
    for n in ["A", "B", "C"] {
        sb.add_customer(docs, n, "");
    }
    let id = iterator_id(&sb.send(docs, &start(1)));
    // Used within the time limit, it lives on; each use restarts the clock.
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(sb.send(docs, &cont(&id, 1)).names(0), ["B"]);
    std::thread::sleep(Duration::from_millis(400));
    let r = sb.send(docs, &cont(&id, 1));
    assert_eq!(r.status(0), 3391, "{}", r.text);
}

fn a_closed_sessions_iterator_gets_3391(docs: &mut Docs) {
    let sb = seven(docs);
    let mut prefs = AppPrefs::new("custsync");
    prefs.grant = Grant::WhenOpen;
    sb.file.set_app_prefs(&prefs).unwrap();
    sb.file.set_open_in_quickbooks(true).unwrap();
    let mut conn = SandboxConnection::new(&sb.path);
    conn.open(&mut NoPrompt).unwrap();
    let text = conn
        .process(&envelope("13.0", "onError=\"stopOnError\"", &start(2)))
        .unwrap();
    docs.push(&text);
    let id = iterator_id(&Rs::parse(&text));
    conn.close();
    conn.open(&mut NoPrompt).unwrap();
    let text = conn
        .process(&envelope("13.0", "onError=\"stopOnError\"", &cont(&id, 2)))
        .unwrap();
    docs.push(&text);
    assert_eq!(Rs::parse(&text).status(0), 3391);
}

fn iterators_page_a_snapshot(docs: &mut Docs) {
    let mut sb = seven(docs);
    let r = sb.send(docs, "<CustomerQueryRq iterator=\"Start\"><MaxReturned>4</MaxReturned><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>b</Name></NameFilter></CustomerQueryRq>");
    assert_eq!(r.names(0), ["B"]);
    assert_eq!(remaining(&r), 0);
    let id = iterator_id(&sb.send(docs, &start(4)));
    // Added after the start: not part of this iteration.
    sb.add_customer(docs, "AA", "");
    let r = sb.send(docs, &cont(&id, 4));
    assert_eq!(r.names(0), ["E", "F", "G"]);
    assert_eq!(remaining(&r), 0);
}

fn empty_and_metadata_starts(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let r = sb.send(docs, &start(5));
    assert_eq!(r.status(0), 1);
    assert_eq!(remaining(&r), 0);
    assert!(r.rs(0).attr("iteratorID").is_some());
    sb.add_customer(docs, "One", "");
    let r = sb.send(docs, "<CustomerQueryRq iterator=\"Start\" metaData=\"MetaDataOnly\"><MaxReturned>5</MaxReturned></CustomerQueryRq>");
    assert_eq!(r.rs(0).attr("retCount"), Some("1"));
    assert!(r.rets(0).is_empty());
    assert_eq!(sb.session.open_iterators(), 0);
}

fn vendor_queries_iterate_too(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    for v in ["V1", "V2", "V3"] {
        sb.file.add_name(NameList::Vendor, v, true).unwrap();
    }
    sb.add_customer(docs, "C1", "");
    let r = sb.send(
        docs,
        "<VendorQueryRq iterator=\"Start\"><MaxReturned>2</MaxReturned></VendorQueryRq>",
    );
    assert_eq!(r.names(0), ["V1", "V2"]);
    let id = iterator_id(&r);
    // A vendor iterator is not a customer iterator.
    assert_eq!(sb.send(docs, &cont(&id, 2)).status(0), 3391);
    let r = sb.send(
        docs,
        &format!("<CustomerQueryRq iterator=\"Stop\" iteratorID=\"{id}\"/>"),
    );
    assert_eq!(r.status(0), 3391, "nor can a customer query stop it");
    let r = sb.send(docs, &format!("<VendorQueryRq iterator=\"Continue\" iteratorID=\"{id}\"><MaxReturned>2</MaxReturned></VendorQueryRq>"));
    assert_eq!(r.names(0), ["V3"]);
}

fn paging_a_generated_company_returns_each_customer_once(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let summary = generate(&mut sb.file, &GenerateOptions::new(2_000, 11)).unwrap();
    let active = summary.customers - summary.inactive;
    let r = sb.send(docs, &start(500));
    let id = iterator_id(&r);
    let mut seen: Vec<String> = r
        .rets(0)
        .iter()
        .map(|c| c.get("ListID").unwrap().to_string())
        .collect();
    let mut left = remaining(&r);
    while left > 0 {
        let text = sb
            .raw(
                &mut Docs::default(),
                &envelope("13.0", "onError=\"stopOnError\"", &cont(&id, 500)),
            )
            .unwrap();
        let r = Rs::parse(&text);
        assert!(r.rets(0).len() <= 500);
        assert_eq!(remaining(&r), left - r.rets(0).len() as u32);
        left = remaining(&r);
        seen.extend(
            r.rets(0)
                .iter()
                .map(|c| c.get("ListID").unwrap().to_string()),
        );
    }
    assert_eq!(seen.len() as u32, active);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());
}
