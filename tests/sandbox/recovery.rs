//! Message-set error recovery: newMessageSetID stores the response with the changes, in one
//! transaction; oldMessageSetID gets it back (600 when unknown); a resend is answered from the
//! store instead of being run twice; 9001 and 9004 for misuse; ClearAllMessageSets.

use crate::support::{Docs, Rs, Sandbox, Test, envelope};
use custsync::qb::QbError;
use custsync::qb::sandbox::{CompanyFile, SandboxOptions, Session, process};

pub const TESTS: &[Test] = &[
    (
        "a_stored_response_comes_back_for_its_old_id",
        a_stored_response_comes_back_for_its_old_id,
    ),
    ("an_unknown_old_id_gets_600", an_unknown_old_id_gets_600),
    (
        "a_resend_is_answered_from_the_store_not_run_again",
        a_resend_is_answered_from_the_store_not_run_again,
    ),
    (
        "a_reused_id_with_other_content_gets_9001",
        a_reused_id_with_other_content_gets_9001,
    ),
    ("ids_longer_than_24_get_9004", ids_longer_than_24_get_9004),
    (
        "the_newest_set_replaces_the_last_and_clear_all_forgets",
        the_newest_set_replaces_the_last_and_clear_all_forgets,
    ),
    (
        "the_record_survives_reopening_and_is_per_application",
        the_record_survives_reopening_and_is_per_application,
    ),
    (
        "changes_and_record_commit_together",
        changes_and_record_commit_together,
    ),
];

fn with_ids(attrs: &str, requests: &str) -> String {
    envelope(
        "13.0",
        &format!("onError=\"stopOnError\" {attrs}"),
        requests,
    )
}

const ADD: &str = "<CustomerAddRq requestID=\"1\"><CustomerAdd><Name>Recovered Co</Name></CustomerAdd></CustomerAddRq>";

fn a_stored_response_comes_back_for_its_old_id(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let first = sb
        .raw(docs, &with_ids("newMessageSetID=\"set-1\"", ADD))
        .unwrap();
    let r = Rs::parse(&first);
    assert_eq!(r.set_attr("newMessageSetID"), Some("set-1"));
    assert_eq!(r.set_attr("messageSetStatusCode"), Some("0"));
    assert_eq!(r.status(0), 0);
    // The lost response, asked for again (a status check: no newMessageSetID, no requests).
    let again = sb
        .raw(docs, &with_ids("oldMessageSetID=\"set-1\"", ""))
        .unwrap();
    assert_eq!(again, first);
    // Requests in a status-check document are not run.
    let again = sb
        .raw(
            docs,
            &with_ids(
                "oldMessageSetID=\"set-1\"",
                &ADD.replace("Recovered", "Other"),
            ),
        )
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(sb.file.customer_count().unwrap(), 1);
}

fn an_unknown_old_id_gets_600(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let text = sb
        .raw(docs, &with_ids("oldMessageSetID=\"never-sent\"", ""))
        .unwrap();
    let r = Rs::parse(&text);
    assert_eq!(r.set_attr("messageSetStatusCode"), Some("600"));
    assert_eq!(r.count(), 0);
    // With a newMessageSetID the old one is only informational: the document runs.
    let text = sb
        .raw(
            docs,
            &with_ids("oldMessageSetID=\"never-sent\" newMessageSetID=\"n2\"", ADD),
        )
        .unwrap();
    let r = Rs::parse(&text);
    assert_eq!(r.set_attr("messageSetStatusCode"), Some("0"));
    assert_eq!(r.status(0), 0);
}

fn a_resend_is_answered_from_the_store_not_run_again(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let doc = with_ids("newMessageSetID=\"batch-7\"", ADD);
    let first = sb.raw(docs, &doc).unwrap();
    let second = sb.raw(docs, &doc).unwrap();
    assert_eq!(second, first, "same answer, same ListID");
    assert_eq!(sb.file.customer_count().unwrap(), 1, "not added twice");
}

fn a_reused_id_with_other_content_gets_9001(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.raw(docs, &with_ids("newMessageSetID=\"batch-8\"", ADD))
        .unwrap();
    let text = sb
        .raw(
            docs,
            &with_ids(
                "newMessageSetID=\"batch-8\"",
                &ADD.replace("Recovered", "Different"),
            ),
        )
        .unwrap();
    let r = Rs::parse(&text);
    assert_eq!(r.set_attr("messageSetStatusCode"), Some("9001"));
    assert_eq!(r.count(), 0);
    assert_eq!(sb.file.customer_count().unwrap(), 1);
}

fn ids_longer_than_24_get_9004(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let long = "x".repeat(25);
    for attrs in [
        format!("newMessageSetID=\"{long}\""),
        format!("oldMessageSetID=\"{long}\""),
    ] {
        let text = sb.raw(docs, &with_ids(&attrs, ADD)).unwrap();
        let r = Rs::parse(&text);
        assert_eq!(r.set_attr("messageSetStatusCode"), Some("9004"), "{attrs}");
        assert_eq!(r.count(), 0);
    }
    assert_eq!(sb.file.customer_count().unwrap(), 0);
    let ok = "y".repeat(24);
    let text = sb
        .raw(docs, &with_ids(&format!("newMessageSetID=\"{ok}\""), ADD))
        .unwrap();
    assert_eq!(Rs::parse(&text).set_attr("messageSetStatusCode"), Some("0"));
}

fn the_newest_set_replaces_the_last_and_clear_all_forgets(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    sb.raw(docs, &with_ids("newMessageSetID=\"a\"", ADD))
        .unwrap();
    sb.raw(
        docs,
        &with_ids(
            "oldMessageSetID=\"a\" newMessageSetID=\"b\"",
            "<HostQueryRq/>",
        ),
    )
    .unwrap();
    let old = Rs::parse(
        &sb.raw(docs, &with_ids("oldMessageSetID=\"a\"", ""))
            .unwrap(),
    );
    assert_eq!(
        old.set_attr("messageSetStatusCode"),
        Some("600"),
        "QuickBooks keeps only the last set"
    );
    let last = Rs::parse(
        &sb.raw(docs, &with_ids("oldMessageSetID=\"b\"", ""))
            .unwrap(),
    );
    assert_eq!(last.rs(0).name, "HostQueryRs");
    let cleared = sb
        .raw(
            docs,
            &with_ids("oldMessageSetID=\"ClearAllMessageSets\"", "<HostQueryRq/>"),
        )
        .unwrap();
    assert_eq!(
        Rs::parse(&cleared).status(0),
        0,
        "the document itself still runs"
    );
    let gone = Rs::parse(
        &sb.raw(docs, &with_ids("oldMessageSetID=\"b\"", ""))
            .unwrap(),
    );
    assert_eq!(gone.set_attr("messageSetStatusCode"), Some("600"));
}

fn the_record_survives_reopening_and_is_per_application(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    let first = sb
        .raw(docs, &with_ids("newMessageSetID=\"keep\"", ADD))
        .unwrap();
    let mut file = CompanyFile::open(&sb.path).unwrap();
    let mut session = Session::new("custsync", SandboxOptions::default());
    let again = process(
        &mut file,
        &mut session,
        &with_ids("oldMessageSetID=\"keep\"", ""),
    )
    .unwrap();
    assert_eq!(again, first);
    let mut other = Session::new("Another App", SandboxOptions::default());
    let text = process(
        &mut file,
        &mut other,
        &with_ids("oldMessageSetID=\"keep\"", ""),
    )
    .unwrap();
    docs.push(&text);
    assert_eq!(
        Rs::parse(&text).set_attr("messageSetStatusCode"),
        Some("600")
    );
}

fn changes_and_record_commit_together(docs: &mut Docs) {
    let mut sb = Sandbox::new();
    // Make storing the recovery record fail, as a full disk or a crash at that moment would.
    let raw = rusqlite::Connection::open(&sb.path).unwrap();
    raw.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON message_set BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .unwrap();
    let out = sb.raw(docs, &with_ids("newMessageSetID=\"doomed\"", ADD));
    match out {
        Err(QbError::Transport(m)) => assert!(m.contains("nothing was changed"), "{m}"),
        other => panic!("expected a storage failure, got {other:?}"),
    }
    assert_eq!(
        sb.file.customer_count().unwrap(),
        0,
        "the add rolled back with the record"
    );
    raw.execute_batch("DROP TRIGGER refuse").unwrap();
    sb.raw(docs, &with_ids("newMessageSetID=\"fine\"", ADD))
        .unwrap();
    assert_eq!(sb.file.customer_count().unwrap(), 1);
}
