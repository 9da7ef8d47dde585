//! What an incremental reader asks QuickBooks: customers modified within a range
//! (`FromModifiedDate` / `ToModifiedDate`, inclusive, with and without an offset, with iterators
//! and ActiveStatus) and deletions within a range (`ListDeletedQueryRq` with
//! `DeletedDateRangeFilter`), and iterators over a list QuickBooks' users change mid-read (a
//! customer changed after its page was read comes again at the end). The company's clock is
//! stopped, so boundaries are exact.

use crate::support::{self, Docs, Rs, Sandbox, Test, hresult_of};
use custsync::qb::sandbox::{AppPrefs, Grant, SandboxClock, SandboxConnection, ids};
use custsync::qb::session::Session;
use custsync::qb::trace::Trace;
use custsync::qb::{APP_NAME, NoPrompt};
use custsync::qbxml::{CustomerRet, Field, QbDateTime};

/// 2026-03-04 09:08:07 UTC.
const T: i64 = 1_772_615_287;

pub const TESTS: &[Test] = &[
    (
        "from_and_to_modified_dates_are_inclusive_to_the_second",
        from_and_to_modified_dates_are_inclusive_to_the_second,
    ),
    (
        "modified_dates_combine_with_active_status_and_iterators",
        modified_dates_combine_with_active_status_and_iterators,
    ),
    (
        "list_deleted_reports_deletions_and_merges",
        list_deleted_reports_deletions_and_merges,
    ),
    (
        "deleted_date_range_is_inclusive",
        deleted_date_range_is_inclusive,
    ),
    (
        "deletion_records_last_ninety_days",
        deletion_records_last_ninety_days,
    ),
    (
        "list_deleted_requests_are_checked_like_quickbooks",
        list_deleted_requests_are_checked_like_quickbooks,
    ),
    (
        "a_customer_edited_between_pages_comes_again_at_the_end",
        a_customer_edited_between_pages_comes_again_at_the_end,
    ),
    (
        "changes_to_customers_still_to_come_are_read_in_place",
        changes_to_customers_still_to_come_are_read_in_place,
    ),
    (
        "merges_and_deletions_mid_read",
        merges_and_deletions_mid_read,
    ),
    (
        "a_session_reads_what_a_copy_of_the_list_needs",
        a_session_reads_what_a_copy_of_the_list_needs,
    ),
];

/// A company whose clock is stopped at `T`.
fn company() -> Sandbox {
    let sb = Sandbox::new();
    sb.file.set_clock(SandboxClock::Fixed(T)).unwrap();
    sb
}

fn clock(sb: &Sandbox, t: i64) {
    sb.file.set_clock(SandboxClock::Fixed(t)).unwrap();
}

/// `t` as QuickBooks writes it (local time with its offset).
fn with_offset(t: i64) -> String {
    ids::format_time(t)
}

/// `t` as local time without an offset, which QuickBooks reads as its own local time.
fn local(t: i64) -> String {
    with_offset(t)[..19].to_string()
}

/// `t` in UTC, `+00:00`.
fn utc(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string()
}

fn modified(sb: &mut Sandbox, docs: &mut Docs, filter: &str) -> Rs {
    sb.send(
        docs,
        &format!("<CustomerQueryRq><ActiveStatus>All</ActiveStatus>{filter}</CustomerQueryRq>"),
    )
}

fn from_and_to_modified_dates_are_inclusive_to_the_second(docs: &mut Docs) {
    let mut sb = company();
    sb.add_customer(docs, "A", "");
    sb.file
        .edit_customer("A", &["Phone=1".parse().unwrap()])
        .unwrap(); // A: T + 1
    clock(&sb, T + 5);
    sb.add_customer(docs, "B", ""); // B: T + 5
    let from = |t: &str| format!("<FromModifiedDate>{t}</FromModifiedDate>");
    let to = |t: &str| format!("<ToModifiedDate>{t}</ToModifiedDate>");
    for write in [with_offset, local, utc] {
        let at = |t| write(t);
        assert_eq!(
            modified(&mut sb, docs, &from(&at(T + 1))).names(0),
            ["A", "B"]
        );
        assert_eq!(modified(&mut sb, docs, &from(&at(T + 2))).names(0), ["B"]);
        assert_eq!(modified(&mut sb, docs, &from(&at(T + 5))).names(0), ["B"]);
        assert_eq!(modified(&mut sb, docs, &from(&at(T + 6))).status(0), 1);
        assert_eq!(modified(&mut sb, docs, &to(&at(T + 1))).names(0), ["A"]);
        assert_eq!(modified(&mut sb, docs, &to(&at(T))).status(0), 1);
        let both = format!("{}{}", from(&at(T + 5)), to(&at(T + 5)));
        assert_eq!(modified(&mut sb, docs, &both).names(0), ["B"]);
    }
    // A date alone: From is the start of the day, To its end.
    let day = &local(T)[..10];
    assert_eq!(modified(&mut sb, docs, &to(day)).names(0), ["A", "B"]);
    assert_eq!(modified(&mut sb, docs, &from(day)).names(0), ["A", "B"]);
    // The TimeModified QuickBooks returned, sent back as returned, finds that record again.
    let r = sb.send(
        docs,
        "<CustomerQueryRq><FullName>A</FullName></CustomerQueryRq>",
    );
    let stamp = r.rets(0)[0].get("TimeModified").unwrap().to_string();
    assert_eq!(stamp, with_offset(T + 1));
    assert_eq!(
        modified(&mut sb, docs, &format!("{}{}", from(&stamp), to(&stamp))).names(0),
        ["A"]
    );
}

fn modified_dates_combine_with_active_status_and_iterators(docs: &mut Docs) {
    let mut sb = company();
    for n in ["A", "B", "C", "D", "E"] {
        sb.add_customer(docs, n, "");
    }
    clock(&sb, T + 100);
    for n in ["B", "C", "E"] {
        sb.file
            .edit_customer(n, &["Phone=2".parse().unwrap()])
            .unwrap();
    }
    sb.file
        .edit_customer("C", &["IsActive=false".parse().unwrap()])
        .unwrap();
    let since = format!(
        "<FromModifiedDate>{}</FromModifiedDate>",
        with_offset(T + 100)
    );
    // ActiveStatus defaults to ActiveOnly: the customer made inactive is left out.
    let r = sb.send(docs, &format!("<CustomerQueryRq>{since}</CustomerQueryRq>"));
    assert_eq!(r.names(0), ["B", "E"]);
    let r = sb.send(
        docs,
        &format!(
            "<CustomerQueryRq><ActiveStatus>InactiveOnly</ActiveStatus>{since}</CustomerQueryRq>"
        ),
    );
    assert_eq!(r.names(0), ["C"]);
    // Paged through an iterator, the same criteria on every Continue.
    let query = |it: &str| {
        format!(
            "<CustomerQueryRq {it}><MaxReturned>2</MaxReturned><ActiveStatus>All</ActiveStatus>{since}</CustomerQueryRq>"
        )
    };
    let r = sb.send(docs, &query("iterator=\"Start\""));
    assert_eq!(r.names(0), ["B", "C"]);
    assert_eq!(r.rs(0).attr("iteratorRemainingCount"), Some("1"));
    let id = r.rs(0).attr("iteratorID").unwrap().to_string();
    let r = sb.send(
        docs,
        &query(&format!("iterator=\"Continue\" iteratorID=\"{id}\"")),
    );
    assert_eq!(r.names(0), ["E"]);
    assert_eq!(r.rs(0).attr("iteratorRemainingCount"), Some("0"));
}

/// The ListDeletedRet children of response `i`: (ListDelType, FullName, TimeDeleted).
fn deleted(r: &Rs, i: usize) -> Vec<(String, String, String)> {
    r.rets(i)
        .iter()
        .map(|d| {
            (
                d.get("ListDelType").unwrap_or_default().to_string(),
                d.get("FullName").unwrap_or_default().to_string(),
                d.get("TimeDeleted").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn list_deleted_reports_deletions_and_merges(docs: &mut Docs) {
    let mut sb = company();
    let gone = sb.add_customer(docs, "Gone", "");
    sb.add_customer(docs, "Old", "");
    sb.add_customer(docs, "New", "");
    sb.add_customer(
        docs,
        "Job",
        "<ParentRef><FullName>New</FullName></ParentRef>",
    );
    let r = sb.send(
        docs,
        "<ListDeletedQueryRq requestID=\"d\"><ListDelType>Customer</ListDelType></ListDeletedQueryRq>",
    );
    assert_eq!((r.status(0), r.rs(0).attr("retCount")), (1, Some("0")));
    clock(&sb, T + 10);
    sb.file.delete_customer("Gone").unwrap();
    clock(&sb, T + 20);
    sb.file.merge_customers("Old", "New").unwrap();
    sb.file.delete_customer("New:Job").unwrap();
    let r = sb.send(
        docs,
        "<ListDeletedQueryRq requestID=\"d\"><ListDelType>Customer</ListDelType></ListDeletedQueryRq>\
         <ListDeletedQueryRq><ListDelType>JobType</ListDelType><ListDelType>Vendor</ListDelType></ListDeletedQueryRq>\
         <ListDeletedQueryRq metaData=\"MetaDataOnly\"><ListDelType>Customer</ListDelType></ListDeletedQueryRq>\
         <ListDeletedQueryRq><ListDelType>Customer</ListDelType><IncludeRetElement>ListID</IncludeRetElement></ListDeletedQueryRq>",
    );
    assert_eq!(r.status(0), 0);
    assert_eq!(r.rs(0).attr("requestID"), Some("d"));
    assert_eq!(r.rs(0).attr("retCount"), Some("3"));
    assert_eq!(
        deleted(&r, 0),
        [
            ("Customer".into(), "Gone".into(), with_offset(T + 10)),
            ("Customer".into(), "Old".into(), with_offset(T + 20)),
            ("Customer".into(), "New:Job".into(), with_offset(T + 20)),
        ]
    );
    let first = &r.rets(0)[0];
    assert_eq!(first.get("ListID"), gone.get("ListID"));
    assert_eq!(first.get("TimeCreated"), gone.get("TimeCreated"));
    assert_eq!(
        first.child_names(),
        [
            "ListDelType",
            "ListID",
            "TimeCreated",
            "TimeDeleted",
            "FullName"
        ]
    );
    // The lists nothing was deleted from: nothing found.
    assert_eq!((r.status(1), r.rets(1).len()), (1, 0));
    assert_eq!((r.rs(2).attr("retCount"), r.rets(2).len()), (Some("3"), 0));
    assert!(r.rets(3).iter().all(|d| d.child_names() == ["ListID"]));
}

fn deleted_date_range_is_inclusive(docs: &mut Docs) {
    let mut sb = company();
    for (i, n) in ["A", "B", "C"].iter().enumerate() {
        sb.add_customer(docs, n, "");
        clock(&sb, T + 10 * (i as i64 + 1));
        sb.file.delete_customer(n).unwrap(); // A: T+10, B: T+20, C: T+30
    }
    let query = |range: &str| {
        format!(
            "<ListDeletedQueryRq><ListDelType>Customer</ListDelType><DeletedDateRangeFilter>{range}</DeletedDateRangeFilter></ListDeletedQueryRq>"
        )
    };
    let names = |r: &Rs| -> Vec<String> { deleted(r, 0).into_iter().map(|d| d.1).collect() };
    for write in [with_offset, local, utc] {
        let from = |t| format!("<FromDeletedDate>{}</FromDeletedDate>", write(t));
        let to = |t| format!("<ToDeletedDate>{}</ToDeletedDate>", write(t));
        assert_eq!(names(&sb.send(docs, &query(&from(T + 20)))), ["B", "C"]);
        assert_eq!(names(&sb.send(docs, &query(&to(T + 20)))), ["A", "B"]);
        let one = format!("{}{}", from(T + 20), to(T + 20));
        assert_eq!(names(&sb.send(docs, &query(&one))), ["B"]);
        let none = sb.send(docs, &query(&from(T + 31)));
        assert_eq!((none.status(0), none.rets(0).len()), (1, 0));
        let reversed = sb.send(docs, &query(&format!("{}{}", from(T + 30), to(T + 10))));
        assert_eq!(reversed.status(0), 3030);
    }
    let day = &local(T)[..10];
    let r = sb.send(
        docs,
        &query(&format!(
            "<FromDeletedDate>{day}</FromDeletedDate><ToDeletedDate>{day}</ToDeletedDate>"
        )),
    );
    assert_eq!(names(&r), ["A", "B", "C"]);
    assert_eq!(names(&sb.send(docs, &query(""))), ["A", "B", "C"]);
}

fn deletion_records_last_ninety_days(docs: &mut Docs) {
    let mut sb = company();
    sb.add_customer(docs, "A", "");
    sb.file.delete_customer("A").unwrap();
    let query = "<ListDeletedQueryRq><ListDelType>Customer</ListDelType></ListDeletedQueryRq>";
    let days = custsync::qb::sandbox::RETENTION_DAYS * 86_400;
    clock(&sb, T + days);
    assert_eq!(
        sb.send(docs, query).rets(0).len(),
        1,
        "still kept at 90 days"
    );
    clock(&sb, T + days + 1);
    assert_eq!(sb.send(docs, query).status(0), 1, "forgotten after");
    assert!(sb.file.deleted_list().unwrap().is_empty());
}

fn list_deleted_requests_are_checked_like_quickbooks(docs: &mut Docs) {
    let mut sb = company();
    for (body, expected) in [
        (
            "<ListDeletedQueryRq/>",
            "missing its required <ListDelType>",
        ),
        (
            "<ListDeletedQueryRq><ListDelType>Gadget</ListDelType></ListDeletedQueryRq>",
            "is not one of Account",
        ),
        (
            "<ListDeletedQueryRq><DeletedDateRangeFilter/><ListDelType>Customer</ListDelType></ListDeletedQueryRq>",
            "out of order",
        ),
        (
            "<ListDeletedQueryRq iterator=\"Start\"><ListDelType>Customer</ListDelType></ListDeletedQueryRq>",
            "does not take attribute iterator",
        ),
        (
            "<ListDeletedQueryRq><ListDelType>Customer</ListDelType><DeletedDateRangeFilter><FromDeletedDate>soon</FromDeletedDate></DeletedDateRangeFilter></ListDeletedQueryRq>",
            "not a date and time",
        ),
    ] {
        let doc = support::envelope("13.0", "onError=\"stopOnError\"", body);
        let (code, message) = hresult_of(sb.raw(docs, &doc));
        assert_eq!(code, 0x8004_0400, "{body}");
        assert!(message.contains(expected), "{body}: {message}");
    }
    // Understood the way custsync writes it.
    let parsed = custsync::qb::sandbox::parse_request(&support::envelope(
        "16.0",
        "onError=\"stopOnError\"",
        "<ListDeletedQueryRq requestID=\"1\"><ListDelType>Customer</ListDelType><ListDelType>Customer</ListDelType><DeletedDateRangeFilter><FromDeletedDate>2026-03-04</FromDeletedDate></DeletedDateRangeFilter></ListDeletedQueryRq>",
    ))
    .unwrap();
    let custsync::qbxml::RequestBody::ListDeletedQuery(q) = &parsed.requests[0].body else {
        panic!("{parsed:?}");
    };
    assert_eq!(q.types, [custsync::qbxml::ListDelType::Customer]);
    assert_eq!(q.from_deleted_date.as_deref(), Some("2026-03-04"));
}

/// A page of an iterated CustomerQuery: (Name, EditSequence) of each customer, and the
/// remaining count.
fn page(r: &Rs) -> (Vec<(String, String)>, u32) {
    let rets = r
        .rets(0)
        .iter()
        .map(|c| {
            (
                c.get("Name").unwrap_or_default().to_string(),
                c.get("EditSequence").unwrap_or_default().to_string(),
            )
        })
        .collect();
    let remaining = r
        .rs(0)
        .attr("iteratorRemainingCount")
        .unwrap()
        .parse()
        .unwrap();
    (rets, remaining)
}

fn names_of(p: &(Vec<(String, String)>, u32)) -> Vec<&str> {
    p.0.iter().map(|(n, _)| n.as_str()).collect()
}

/// Starts an iterator over every customer (`filter` inside the query), `max` a page.
fn start(sb: &mut Sandbox, docs: &mut Docs, max: u32, filter: &str) -> (Rs, String) {
    let r = sb.send(
        docs,
        &format!(
            "<CustomerQueryRq iterator=\"Start\"><MaxReturned>{max}</MaxReturned>{filter}</CustomerQueryRq>"
        ),
    );
    let id = r.rs(0).attr("iteratorID").unwrap().to_string();
    (r, id)
}

fn next(sb: &mut Sandbox, docs: &mut Docs, id: &str, max: u32, filter: &str) -> Rs {
    sb.send(
        docs,
        &format!(
            "<CustomerQueryRq iterator=\"Continue\" iteratorID=\"{id}\"><MaxReturned>{max}</MaxReturned>{filter}</CustomerQueryRq>"
        ),
    )
}

fn seven() -> (Sandbox, Docs) {
    let mut docs = Docs::default();
    let mut sb = company();
    for n in ["A", "B", "C", "D", "E", "F", "G"] {
        sb.add_customer(&mut docs, n, "");
    }
    clock(&sb, T + 60);
    (sb, docs)
}

fn edit(sb: &mut Sandbox, name: &str, assignment: &str) {
    sb.file
        .edit_customer(name, &[assignment.parse().unwrap()])
        .unwrap();
}

fn a_customer_edited_between_pages_comes_again_at_the_end(docs: &mut Docs) {
    let (mut sb, setup) = seven();
    docs.0.extend(setup.0);
    let (r, id) = start(&mut sb, docs, 3, "");
    let first = page(&r);
    assert_eq!((names_of(&first), first.1), (vec!["A", "B", "C"], 4));
    let b_before = first.0[1].1.clone();
    assert_eq!(b_before, T.to_string());
    // A QuickBooks user edits B, whose page was already read.
    edit(&mut sb, "B", "Phone=555");
    let second = page(&next(&mut sb, docs, &id, 3, ""));
    assert_eq!((names_of(&second), second.1), (vec!["D", "E", "F"], 2));
    let last = next(&mut sb, docs, &id, 3, "");
    let third = page(&last);
    assert_eq!((names_of(&third), third.1), (vec!["G", "B"], 0));
    // The same ListID twice in one read: the later copy carries the change.
    assert_eq!(third.0[1].1, (T + 60).to_string());
    assert_eq!(last.rets(0)[1].get("Phone"), Some("555"));
    assert_eq!(
        r.rets(0)[1].get("ListID"),
        last.rets(0)[1].get("ListID"),
        "the same customer"
    );
    assert_eq!(sb.session.open_iterators(), 0);
}

fn changes_to_customers_still_to_come_are_read_in_place(docs: &mut Docs) {
    let (mut sb, setup) = seven();
    docs.0.extend(setup.0);
    let (_, id) = start(&mut sb, docs, 3, "");
    // E is still to come: it is read once, in its place, as it is now.
    edit(&mut sb, "E", "Phone=1");
    // A changes so that it no longer matches (ActiveOnly by default): not met again.
    edit(&mut sb, "A", "IsActive=false");
    // B changes twice: met again once.
    edit(&mut sb, "B", "Phone=1");
    edit(&mut sb, "B", "Phone=2");
    sb.add_customer(docs, "AB", "");
    let second = page(&next(&mut sb, docs, &id, 10, ""));
    assert_eq!(names_of(&second), ["D", "E", "F", "G", "B"]);
    assert_eq!(second.0[1].1, (T + 60).to_string(), "E as it is now");
    assert_eq!(second.0[4].1, (T + 61).to_string(), "B's latest edit");
    // With ActiveStatus All, the customer made inactive still belongs and comes again.
    let all = "<ActiveStatus>All</ActiveStatus>";
    let (r, id) = start(&mut sb, docs, 2, all);
    assert_eq!(names_of(&page(&r)), ["A", "AB"]);
    edit(&mut sb, "A", "IsActive=true");
    let rest = page(&next(&mut sb, docs, &id, 10, all));
    assert_eq!(
        names_of(&rest),
        ["B", "C", "D", "E", "F", "G", "A"],
        "re-activated, met again"
    );
}

fn merges_and_deletions_mid_read(docs: &mut Docs) {
    let (mut sb, setup) = seven();
    docs.0.extend(setup.0);
    let (_, id) = start(&mut sb, docs, 2, "");
    // F (still to come) is deleted; G (still to come) is merged into A (already read).
    sb.file.delete_customer("F").unwrap();
    sb.file.merge_customers("G", "A").unwrap();
    let rest = page(&next(&mut sb, docs, &id, 2, ""));
    assert_eq!((names_of(&rest), rest.1), (vec!["C", "D"], 2));
    let rest = next(&mut sb, docs, &id, 2, "");
    assert_eq!(rest.rs(0).attr("retCount"), Some("2"));
    let rest = page(&rest);
    assert_eq!((names_of(&rest), rest.1), (vec!["E", "A"], 0));
    // A customer deleted after its page was read is simply not met again.
    let (_, id) = start(&mut sb, docs, 2, "");
    sb.file.delete_customer("A").unwrap();
    let rest = page(&next(&mut sb, docs, &id, 10, ""));
    assert_eq!(names_of(&rest), ["C", "D", "E"]);
}

/// custsync's session over the sandbox connection, as the incremental synchronization will use
/// it: a full read during which a customer changes (its ListID comes twice, the later copy
/// newer), then the changes and deletions since the read's watermark. Every request the session
/// sent and response it received is validated with the suite's.
fn a_session_reads_what_a_copy_of_the_list_needs(docs: &mut Docs) {
    let (mut sb, setup) = seven();
    docs.0.extend(setup.0);
    let mut prefs = AppPrefs::new(APP_NAME);
    prefs.grant = Grant::WhenOpen;
    sb.file.set_app_prefs(&prefs).unwrap();
    sb.file.set_open_in_quickbooks(true).unwrap();
    let trace_dir = tempfile::tempdir().unwrap();
    let trace = Trace::open(trace_dir.path()).unwrap();
    let mut session = Session::open(SandboxConnection::new(&sb.path), &mut NoPrompt, Some(trace))
        .expect("session");

    let mut read: Vec<CustomerRet> = Vec::new();
    let mut pages = session.customers(3, custsync::qb::session::mapped_ret_elements());
    read.extend(pages.next().unwrap().unwrap().customers);
    // A QuickBooks user edits A while custsync reads.
    sb.file
        .edit_customer("A", &["Phone=1".parse().unwrap()])
        .unwrap();
    for page in pages {
        read.extend(page.unwrap().customers);
    }
    let names: Vec<&str> = read
        .iter()
        .filter_map(|c| c.data.get(Field::Name))
        .collect();
    assert_eq!(names, ["A", "B", "C", "D", "E", "F", "G", "A"]);
    assert_eq!(read[0].list_id, read[7].list_id);
    assert_eq!(
        read[0].edit_sequence.as_deref(),
        Some(T.to_string().as_str())
    );
    assert_eq!(
        read[7].edit_sequence.as_deref(),
        Some((T + 60).to_string().as_str())
    );
    assert_eq!(read[7].data.get(Field::Phone), Some("1"));

    // The watermark: the latest TimeModified QuickBooks returned.
    let watermark = read
        .iter()
        .filter_map(|c| c.time_modified.as_deref())
        .map(|t| QbDateTime::parse(t).unwrap())
        .max_by_key(|t| t.unix())
        .unwrap();
    assert_eq!(watermark.to_string(), with_offset(T + 60));
    clock(&sb, T + 120);
    sb.file.make_job("C", "B").unwrap();
    sb.file.delete_customer("D").unwrap();
    sb.file.merge_customers("E", "F").unwrap();
    let changed: Vec<CustomerRet> = session
        .customers_modified_since(&watermark.earlier_by(0), 2)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    let names: Vec<&str> = changed
        .iter()
        .map(|c| c.full_name.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["A", "B:C", "F"],
        "inclusive: A at the watermark comes again"
    );
    let job = &changed[1];
    assert_eq!(job.sublevel, Some(1));
    assert_eq!(
        job.parent.as_ref().and_then(|p| p.full_name.as_deref()),
        Some("B")
    );
    assert!(job.time_modified.is_some() && job.edit_sequence.is_some());
    let deleted = session.deleted_customers_since(Some(&watermark)).unwrap();
    let gone: Vec<&str> = deleted
        .iter()
        .filter_map(|d| d.full_name.as_deref())
        .collect();
    assert_eq!(gone, ["D", "E"]);
    let later = QbDateTime::parse(&with_offset(T + 121)).unwrap();
    assert!(
        session
            .deleted_customers_since(Some(&later))
            .unwrap()
            .is_empty()
    );
    assert!(session.take_trace_failure().is_none());
    drop(session);
    for entry in std::fs::read_dir(trace_dir.path()).unwrap() {
        let path = entry.unwrap().path();
        // Requests and responses alike: both must be valid qbXML.
        if path.extension().is_some_and(|e| e == "xml") {
            docs.push(&std::fs::read_to_string(path).unwrap());
        }
    }
}
