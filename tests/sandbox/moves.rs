//! QuickBooks users' moves on the sandbox company (edit, delete, merge, make-job): ListIDs kept or
//! removed, deletion records, TimeModified/EditSequence, QuickBooks' name rules, jobs, and that a
//! refused move changes nothing. The company's clock is stopped, so every time is exact.

use crate::support::{Docs, Sandbox, Test};
use custsync::qb::sandbox::{Assignment, SandboxClock, SandboxError};
use custsync::qbxml::{CustomerRet, Field, ListDelType, NameList};

/// 2026-03-04 09:08:07 UTC.
const T: i64 = 1_772_615_287;

pub const TESTS: &[Test] = &[
    (
        "an_edit_changes_fields_and_stamps_a_later_time",
        an_edit_changes_fields_and_stamps_a_later_time,
    ),
    (
        "an_edit_without_changes_saves_nothing",
        an_edit_without_changes_saves_nothing,
    ),
    (
        "inactive_and_active_again_is_an_edit",
        inactive_and_active_again_is_an_edit,
    ),
    (
        "bad_edits_are_refused_and_change_nothing",
        bad_edits_are_refused_and_change_nothing,
    ),
    (
        "renames_follow_quickbooks_name_rules",
        renames_follow_quickbooks_name_rules,
    ),
    (
        "renaming_a_parent_renames_its_jobs",
        renaming_a_parent_renames_its_jobs,
    ),
    (
        "delete_records_the_deletion_and_refuses_customers_with_jobs",
        delete_records_the_deletion_and_refuses_customers_with_jobs,
    ),
    (
        "merge_keeps_the_survivor_and_removes_the_other",
        merge_keeps_the_survivor_and_removes_the_other,
    ),
    ("merge_moves_jobs_or_refuses", merge_moves_jobs_or_refuses),
    (
        "make_job_keeps_the_list_id_and_moves_its_jobs_along",
        make_job_keeps_the_list_id_and_moves_its_jobs_along,
    ),
    (
        "make_job_refuses_cycles_and_taken_names",
        make_job_refuses_cycles_and_taken_names,
    ),
    (
        "names_are_found_by_full_name_list_id_or_job_name",
        names_are_found_by_full_name_list_id_or_job_name,
    ),
    (
        "a_move_refused_halfway_changes_nothing",
        a_move_refused_halfway_changes_nothing,
    ),
];

/// A company whose clock is stopped at `T`, with customers added through qbXML.
fn company(docs: &mut Docs, customers: &[(&str, &str)]) -> Sandbox {
    let mut sb = Sandbox::new();
    sb.file.set_clock(SandboxClock::Fixed(T)).unwrap();
    for (name, extra) in customers {
        sb.add_customer(docs, name, extra);
    }
    sb
}

/// The customer whose FullName is `full_name`.
fn get(sb: &Sandbox, full_name: &str) -> CustomerRet {
    sb.file
        .customer_list()
        .unwrap()
        .into_iter()
        .find(|c| c.full_name.as_deref() == Some(full_name))
        .unwrap_or_else(|| panic!("no {full_name}"))
}

fn full_names(sb: &Sandbox) -> Vec<String> {
    sb.file
        .customer_list()
        .unwrap()
        .into_iter()
        .map(|c| c.full_name.unwrap_or_default())
        .collect()
}

fn set(list: &[&str]) -> Vec<Assignment> {
    list.iter().map(|a| a.parse().unwrap()).collect()
}

fn at(t: i64) -> String {
    custsync::qb::sandbox::ids::format_time(t)
}

/// TimeModified and EditSequence of a customer.
fn stamp(c: &CustomerRet) -> (String, String) {
    (
        c.time_modified.clone().unwrap(),
        c.edit_sequence.clone().unwrap(),
    )
}

fn stamp_at(t: i64) -> (String, String) {
    (at(t), t.to_string())
}

fn refused(r: Result<impl std::fmt::Debug, SandboxError>) -> String {
    match r {
        Err(e) => e.to_string(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

fn an_edit_changes_fields_and_stamps_a_later_time(docs: &mut Docs) {
    let mut sb = company(
        docs,
        &[("Acme", "<Phone>555-0100</Phone><Fax>555-0101</Fax>")],
    );
    let before = get(&sb, "Acme");
    assert_eq!(stamp(&before), stamp_at(T));
    let e = sb
        .file
        .edit_customer(
            "Acme",
            &set(&[
                "Phone=555-0199",
                "Fax=",
                "BillAddress/City=Reno",
                "TermsRef=net 30",
                "CreditLimit=2500",
                "code=ACM-1",
            ]),
        )
        .unwrap();
    assert_eq!(
        e.changed,
        [
            "Phone",
            "Fax",
            "BillAddress/City",
            "TermsRef",
            "CreditLimit",
            "AccountNumber"
        ]
    );
    let c = e.customer;
    assert_eq!(c.list_id, before.list_id, "an edit keeps the ListID");
    assert_eq!(c.time_created, before.time_created);
    assert_eq!(c.data.get(Field::Phone), Some("555-0199"));
    assert_eq!(c.data.get(Field::Fax), None, "an empty value clears");
    assert_eq!(c.data.get(Field::BillCity), Some("Reno"));
    assert_eq!(
        c.data.get(Field::Terms),
        Some("Net 30"),
        "the list entry's own spelling"
    );
    assert_eq!(c.data.get(Field::CreditLimit), Some("2500.00"));
    assert_eq!(c.data.get(Field::AccountNumber), Some("ACM-1"));
    // The clock stands still: the edit is still one second later, and so is the next one.
    assert_eq!(stamp(&c), stamp_at(T + 1));
    let again = sb
        .file
        .edit_customer("acme", &set(&["Phone=555-0200"]))
        .unwrap();
    assert_eq!(stamp(&again.customer), stamp_at(T + 2));
    // Once the clock has moved on, the edit takes its time.
    sb.file.set_clock(SandboxClock::Fixed(T + 3600)).unwrap();
    let later = sb.file.edit_customer("Acme", &set(&["Phone=1"])).unwrap();
    assert_eq!(stamp(&later.customer), stamp_at(T + 3600));
    // QuickBooks answers with the edited customer, as the schema allows.
    let r = sb.send(
        docs,
        "<CustomerQueryRq><FullName>Acme</FullName></CustomerQueryRq>",
    );
    assert_eq!(r.rets(0)[0].get("Phone"), Some("1"));
    assert_eq!(
        r.rets(0)[0].get("EditSequence"),
        Some((T + 3600).to_string().as_str())
    );
}

fn an_edit_without_changes_saves_nothing(docs: &mut Docs) {
    let mut sb = company(docs, &[("Acme", "<Phone>555-0100</Phone>")]);
    let e = sb
        .file
        .edit_customer(
            "Acme",
            &set(&["Phone=555-0100", "Fax=", "IsActive=true", "Name=Acme"]),
        )
        .unwrap();
    assert!(e.changed.is_empty(), "{:?}", e.changed);
    assert_eq!(stamp(&get(&sb, "Acme")), stamp_at(T));
}

fn inactive_and_active_again_is_an_edit(docs: &mut Docs) {
    let mut sb = company(docs, &[("Acme", ""), ("Zed", "")]);
    sb.add_customer(
        docs,
        "Kitchen",
        "<ParentRef><FullName>Acme</FullName></ParentRef>",
    );
    let e = sb
        .file
        .edit_customer("Acme", &set(&["IsActive=false"]))
        .unwrap();
    assert_eq!(e.changed, ["IsActive"]);
    assert_eq!(e.customer.is_active, Some(false));
    assert_eq!(stamp(&e.customer), stamp_at(T + 1));
    // Only that record changes: its job stays active and keeps its stamp.
    let job = get(&sb, "Acme:Kitchen");
    assert_eq!((job.is_active, stamp(&job)), (Some(true), stamp_at(T)));
    let active = sb.send(docs, "<CustomerQueryRq/>");
    assert_eq!(active.names(0), ["Kitchen", "Zed"]);
    let inactive = sb.send(
        docs,
        "<CustomerQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></CustomerQueryRq>",
    );
    assert_eq!(inactive.names(0), ["Acme"]);
    let e = sb
        .file
        .edit_customer("Acme", &set(&["isactive=TRUE"]))
        .unwrap();
    assert_eq!(e.customer.is_active, Some(true));
    assert_eq!(stamp(&e.customer), stamp_at(T + 2));
    assert_eq!(
        sb.send(docs, "<CustomerQueryRq/>").names(0),
        ["Acme", "Kitchen", "Zed"]
    );
}

fn bad_edits_are_refused_and_change_nothing(docs: &mut Docs) {
    let mut sb = company(docs, &[("Acme", "<Phone>555-0100</Phone>")]);
    let before = get(&sb, "Acme");
    let cases: &[(&[&str], &str)] = &[
        (&["Phone=0123456789012345678901"], "at most 21"),
        (&["TermsRef=Net 99"], "no Terms \"Net 99\""),
        (&["Name="], "cannot be cleared"),
        (&["Name=A:B"], "':'"),
        (&["IsActive=maybe"], "true or false"),
        (&["IsActive="], "true or false"),
        (&["CreditLimit=lots"], "not an amount"),
        (&["Phone=1", "Fax=2", "phone=3"], "Phone is set twice"),
        // The first assignment would pass; the second refuses the whole edit.
        (&["Phone=1", "Email=\u{4e2d}@x"], "cannot store"),
    ];
    for (edits, expected) in cases {
        let err = refused(sb.file.edit_customer("Acme", &set(edits)));
        assert!(err.contains(expected), "{edits:?}: {err}");
        assert_eq!(get(&sb, "Acme"), before, "{edits:?} changed nothing");
    }
    for bad in ["Phone", "Colour=red", "=x"] {
        let err = bad.parse::<Assignment>().unwrap_err().to_string();
        assert!(
            err.contains("Field=Value") || err.contains("BillAddress/City"),
            "{bad}: {err}"
        );
    }
    // Labels, keys and elements all name a field; the value may hold '='.
    for (text, element) in [
        ("Bill city=x", "BillAddress/City"),
        ("bill_zip=x", "BillAddress/PostalCode"),
        ("TermsRef/FullName=x", "TermsRef"),
        ("notes=a=b", "Notes"),
    ] {
        let a: Assignment = text.parse().unwrap();
        assert_eq!(a.target.element(), element, "{text}");
    }
    let a: Assignment = "notes=a=b".parse().unwrap();
    assert_eq!(a.value.as_deref(), Some("a=b"));
}

fn renames_follow_quickbooks_name_rules(docs: &mut Docs) {
    let mut sb = company(docs, &[("Acme", ""), ("Best Co", "")]);
    sb.file.add_name(NameList::Vendor, "Vend", true).unwrap();
    sb.add_customer(
        docs,
        "Kitchen",
        "<ParentRef><FullName>Acme</FullName></ParentRef>",
    );
    let acme = get(&sb, "Acme");
    let err = refused(sb.file.edit_customer("Acme", &set(&["Name=best co"])));
    assert!(
        err.contains("already used by another customer") && err.contains("sandbox merge"),
        "{err}"
    );
    let err = refused(sb.file.edit_customer("Acme", &set(&["Name=VEND"])));
    assert!(err.contains("already used by a vendor"), "{err}");
    assert_eq!(get(&sb, "Acme"), acme);
    // A change of case is the same name to QuickBooks, and allowed.
    let e = sb.file.edit_customer("Acme", &set(&["Name=ACME"])).unwrap();
    assert_eq!(e.customer.full_name.as_deref(), Some("ACME"));
    assert_eq!(e.customer.list_id, acme.list_id);
    // A job's name need only be unique under its parent.
    let e = sb
        .file
        .edit_customer("ACME:Kitchen", &set(&["Name=Best Co"]))
        .unwrap();
    assert_eq!(e.customer.full_name.as_deref(), Some("ACME:Best Co"));
    assert_eq!(e.customer.data.get(Field::Name), Some("Best Co"));
    assert_eq!(full_names(&sb), ["ACME", "ACME:Best Co", "Best Co"]);
}

fn renaming_a_parent_renames_its_jobs(docs: &mut Docs) {
    let mut sb = company(docs, &[("Acme", "")]);
    sb.add_customer(
        docs,
        "Kitchen",
        "<ParentRef><FullName>Acme</FullName></ParentRef>",
    );
    sb.add_customer(
        docs,
        "Sink",
        "<ParentRef><FullName>Acme:Kitchen</FullName></ParentRef>",
    );
    let e = sb
        .file
        .edit_customer("Acme", &set(&["Name=Zenith"]))
        .unwrap();
    assert_eq!(stamp(&e.customer), stamp_at(T + 1));
    assert_eq!(
        full_names(&sb),
        ["Zenith", "Zenith:Kitchen", "Zenith:Kitchen:Sink"]
    );
    let sink = get(&sb, "Zenith:Kitchen:Sink");
    assert_eq!(sink.sublevel, Some(2));
    assert_eq!(
        sink.parent.as_ref().and_then(|p| p.full_name.as_deref()),
        Some("Zenith:Kitchen")
    );
    // Nothing in the jobs' own records changed.
    assert_eq!(stamp(&sink), stamp_at(T));
    assert_eq!(stamp(&get(&sb, "Zenith:Kitchen")), stamp_at(T));
    let r = sb.send(
        docs,
        "<CustomerQueryRq><FullName>Zenith:Kitchen:Sink</FullName></CustomerQueryRq>",
    );
    assert_eq!(r.status(0), 0);
}

fn delete_records_the_deletion_and_refuses_customers_with_jobs(docs: &mut Docs) {
    let mut sb = company(docs, &[("Acme", ""), ("Best Co", "")]);
    sb.add_customer(
        docs,
        "Kitchen",
        "<ParentRef><FullName>Acme</FullName></ParentRef>",
    );
    let err = refused(sb.file.delete_customer("Acme"));
    assert!(
        err.contains("has jobs (Acme:Kitchen)") && err.contains("make-job"),
        "{err}"
    );
    assert_eq!(full_names(&sb).len(), 3);
    let job = get(&sb, "Acme:Kitchen");
    sb.file.set_clock(SandboxClock::Fixed(T + 60)).unwrap();
    let removed = sb.file.delete_customer("Acme:Kitchen").unwrap();
    assert_eq!(removed.list_del_type, Some(ListDelType::Customer));
    assert_eq!(removed.list_id, job.list_id);
    assert_eq!(removed.time_created, job.time_created);
    assert_eq!(removed.time_deleted, Some(at(T + 60)));
    assert_eq!(removed.full_name.as_deref(), Some("Acme:Kitchen"));
    // Now Acme has no jobs and can go too; its parent record is untouched by its job's deletion.
    assert_eq!(stamp(&get(&sb, "Acme")), stamp_at(T));
    sb.file.delete_customer("Acme").unwrap();
    assert_eq!(full_names(&sb), ["Best Co"]);
    let deleted: Vec<_> = sb
        .file
        .deleted_list()
        .unwrap()
        .into_iter()
        .map(|d| d.full_name.unwrap_or_default())
        .collect();
    assert_eq!(deleted, ["Acme:Kitchen", "Acme"]);
    let r = sb.send(
        docs,
        &format!(
            "<CustomerQueryRq><ListID>{}</ListID></CustomerQueryRq>",
            job.list_id
        ),
    );
    assert_eq!(r.status(0), 500, "a deleted ListID is gone");
    let err = refused(sb.file.delete_customer("Acme"));
    assert!(
        err.contains("no customer or job named \"Acme\"") && err.contains("sandbox list"),
        "{err}"
    );
}

fn merge_keeps_the_survivor_and_removes_the_other(docs: &mut Docs) {
    let mut sb = company(
        docs,
        &[
            ("Acme", "<Phone>1</Phone><AccountNumber>A1</AccountNumber>"),
            ("Acme Inc", "<Phone>2</Phone>"),
        ],
    );
    let (from, into) = (get(&sb, "Acme"), get(&sb, "Acme Inc"));
    let m = sb.file.merge_customers("Acme", "Acme Inc").unwrap();
    assert_eq!(m.removed.list_id, from.list_id);
    assert_eq!(m.removed.full_name.as_deref(), Some("Acme"));
    assert_eq!(m.removed.time_deleted, Some(at(T)));
    assert_eq!(
        m.kept.list_id, into.list_id,
        "the survivor keeps its ListID"
    );
    assert_eq!(stamp(&m.kept), stamp_at(T + 1));
    // The survivor keeps its own data; the merged-away data goes with the name.
    assert_eq!(m.kept.data.get(Field::Phone), Some("2"));
    assert_eq!(m.kept.data.get(Field::AccountNumber), None);
    assert!(m.moved_jobs.is_empty());
    assert_eq!(full_names(&sb), ["Acme Inc"]);
    assert_eq!(sb.file.deleted_list().unwrap(), [m.removed]);
    let err = refused(sb.file.merge_customers("Acme Inc", "acme inc"));
    assert!(err.contains("into itself"), "{err}");
}

fn merge_moves_jobs_or_refuses(docs: &mut Docs) {
    let mut sb = company(docs, &[("Old", ""), ("New", ""), ("Other", "")]);
    for (job, parent) in [
        ("J1", "Old"),
        ("J2", "Old"),
        ("K", "Other"),
        ("Deep", "Old:J1"),
    ] {
        sb.add_customer(
            docs,
            job,
            &format!("<ParentRef><FullName>{parent}</FullName></ParentRef>"),
        );
    }
    let j1 = get(&sb, "Old:J1");
    let deep = get(&sb, "Old:J1:Deep");
    // Both have jobs: QuickBooks refuses.
    let err = refused(sb.file.merge_customers("Old", "Other"));
    assert!(
        err.contains("both \"Old\" and \"Other\" have jobs"),
        "{err}"
    );
    let err = refused(sb.file.merge_customers("Old", "Old:J1"));
    assert!(err.contains("its own job"), "{err}");
    sb.file.set_clock(SandboxClock::Fixed(T + 10)).unwrap();
    let m = sb.file.merge_customers("Old", "New").unwrap();
    assert_eq!(m.moved_jobs, ["New:J1", "New:J2"]);
    assert_eq!(
        full_names(&sb),
        ["New", "New:J1", "New:J1:Deep", "New:J2", "Other", "Other:K"]
    );
    let moved = get(&sb, "New:J1");
    assert_eq!(moved.list_id, j1.list_id, "moved jobs keep their ListIDs");
    assert_eq!(
        moved.parent.as_ref().and_then(|p| p.list_id.as_deref()),
        Some(m.kept.list_id.as_str())
    );
    assert_eq!(stamp(&moved), stamp_at(T + 10), "its parent changed");
    let deep_now = get(&sb, "New:J1:Deep");
    assert_eq!(deep_now.list_id, deep.list_id);
    assert_eq!(stamp(&deep_now), stamp_at(T), "only its FullName followed");
    // A job merged into its own parent: refused while the parent has other jobs, then its jobs
    // join the parent's.
    let err = refused(sb.file.merge_customers("New:J1", "New"));
    assert!(
        err.contains("both \"New:J1\" and \"New\" have jobs"),
        "{err}"
    );
    sb.file.delete_customer("New:J2").unwrap();
    let m = sb.file.merge_customers("New:J1", "New").unwrap();
    assert_eq!(m.moved_jobs, ["New:Deep"]);
    assert_eq!(get(&sb, "New:Deep").sublevel, Some(1));
}

fn make_job_keeps_the_list_id_and_moves_its_jobs_along(docs: &mut Docs) {
    let mut sb = company(docs, &[("Holdings", ""), ("Shop", "")]);
    sb.add_customer(
        docs,
        "Annex",
        "<ParentRef><FullName>Shop</FullName></ParentRef>",
    );
    let (shop, annex) = (get(&sb, "Shop"), get(&sb, "Shop:Annex"));
    let c = sb.file.make_job("Shop", "Holdings").unwrap();
    assert_eq!(c.list_id, shop.list_id);
    assert_eq!(c.full_name.as_deref(), Some("Holdings:Shop"));
    assert_eq!(c.data.get(Field::Name), Some("Shop"));
    assert_eq!(c.sublevel, Some(1));
    let holdings = get(&sb, "Holdings");
    assert_eq!(
        c.parent,
        Some(custsync::qbxml::ListRef {
            list_id: Some(holdings.list_id.clone()),
            full_name: Some("Holdings".into()),
        })
    );
    assert_eq!(stamp(&c), stamp_at(T + 1));
    assert_eq!(stamp(&holdings), stamp_at(T), "the parent is not edited");
    let moved = get(&sb, "Holdings:Shop:Annex");
    assert_eq!(moved.list_id, annex.list_id);
    assert_eq!(moved.sublevel, Some(2));
    // Through qbXML, the job is what QuickBooks would send.
    let r = sb.send(
        docs,
        "<CustomerQueryRq><FullName>Holdings:Shop</FullName></CustomerQueryRq>",
    );
    let ret = &r.rets(0)[0];
    assert_eq!(ret.get("Sublevel"), Some("1"));
    assert_eq!(ret.get("ParentRef/FullName"), Some("Holdings"));
    // A job can move to another parent too.
    let c = sb.file.make_job("Holdings:Shop:Annex", "Holdings").unwrap();
    assert_eq!(
        (c.full_name.as_deref(), c.sublevel),
        (Some("Holdings:Annex"), Some(1))
    );
}

fn make_job_refuses_cycles_and_taken_names(docs: &mut Docs) {
    let mut sb = company(docs, &[("A", ""), ("B", ""), ("Kitchen", "")]);
    sb.add_customer(
        docs,
        "Kitchen",
        "<ParentRef><FullName>A</FullName></ParentRef>",
    );
    sb.add_customer(docs, "Sub", "<ParentRef><FullName>B</FullName></ParentRef>");
    let before = sb.file.customer_list().unwrap();
    for (name, parent, expected) in [
        ("B", "B", "under itself"),
        ("B", "B:Sub", "under itself or one of its own jobs"),
        ("Kitchen", "A", "already used by another customer"),
        ("B:Sub", "B", "already a job of"),
        ("Nope", "A", "no customer or job named \"Nope\""),
        ("B", "Nope", "no customer or job named \"Nope\""),
    ] {
        let err = refused(sb.file.make_job(name, parent));
        assert!(err.contains(expected), "{name} under {parent}: {err}");
    }
    assert_eq!(sb.file.customer_list().unwrap(), before);
}

fn names_are_found_by_full_name_list_id_or_job_name(docs: &mut Docs) {
    let mut sb = company(docs, &[("A", ""), ("B", "")]);
    sb.add_customer(
        docs,
        "Kitchen",
        "<ParentRef><FullName>A</FullName></ParentRef>",
    );
    sb.add_customer(
        docs,
        "Bath",
        "<ParentRef><FullName>A</FullName></ParentRef>",
    );
    sb.add_customer(
        docs,
        "Bath",
        "<ParentRef><FullName>B</FullName></ParentRef>",
    );
    let b = get(&sb, "B");
    let e = sb
        .file
        .edit_customer(&b.list_id, &set(&["Phone=9"]))
        .unwrap();
    assert_eq!(e.customer.full_name.as_deref(), Some("B"));
    let e = sb
        .file
        .edit_customer("kitchen", &set(&["Phone=9"]))
        .unwrap();
    assert_eq!(e.customer.full_name.as_deref(), Some("A:Kitchen"));
    let err = refused(sb.file.edit_customer("Bath", &set(&["Phone=9"])));
    assert!(
        err.contains("several jobs are named \"Bath\": A:Bath, B:Bath"),
        "{err}"
    );
    let e = sb
        .file
        .edit_customer(" b:bath ", &set(&["Phone=9"]))
        .unwrap();
    assert_eq!(e.customer.full_name.as_deref(), Some("B:Bath"));
}

fn a_move_refused_halfway_changes_nothing(docs: &mut Docs) {
    // Moving "Mid" under "Top" would push its job's FullName past 209 characters.
    let long = "L".repeat(41);
    let mut sb = company(docs, &[(&long, "")]);
    let mut parent = long.clone();
    for name in [&long, &long, &long] {
        sb.add_customer(
            docs,
            name,
            &format!("<ParentRef><FullName>{parent}</FullName></ParentRef>"),
        );
        parent = format!("{parent}:{name}");
    }
    sb.add_customer(docs, "Mid", "");
    sb.add_customer(
        docs,
        &"J".repeat(41),
        "<ParentRef><FullName>Mid</FullName></ParentRef>",
    );
    let before = sb.file.customer_list().unwrap();
    let err = refused(sb.file.make_job("Mid", &parent));
    assert!(err.contains("at most 209"), "{err}");
    assert_eq!(sb.file.customer_list().unwrap(), before);
}
