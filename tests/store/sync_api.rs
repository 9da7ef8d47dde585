//! What the sync core uses: links, the outbox, the journal, imports and replacements in one
//! transaction, and undo.

use custsync::qbxml::Field;
use custsync::store::{
    BatchState, Column, Customer, CustomerStatus, EntryKind, ItemOutcome, ItemState, NewBatch,
    NewEntry, NewItem, NewRun, RunId, RunMode, RunOutcome, Store, StoreError, StoreRead,
};

const CO: &str = r"C:\Books\Acme.QBW";

fn customer(code: &str, name: &str) -> Customer {
    Customer::new(code, name, CustomerStatus::Active)
}

fn store_with(codes: &[&str]) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    for code in codes {
        s.create_customer(&customer(code, &format!("Name of {code}")))
            .unwrap();
    }
    s
}

fn run(s: &mut Store, mode: RunMode) -> RunId {
    s.start_run(&NewRun {
        company_name: Some("Acme".into()),
        company_file: Some(CO.into()),
        ..NewRun::new(mode)
    })
    .unwrap()
}

fn batch(run: RunId, msg: &str, codes: &[&str]) -> NewBatch {
    NewBatch {
        run,
        company: CO.into(),
        message_set_id: msg.into(),
        request: format!("<QBXML><!-- {msg} --></QBXML>"),
        items: codes
            .iter()
            .enumerate()
            .map(|(i, c)| NewItem {
                request_id: format!("{}", i + 1),
                code: c.to_string(),
                name: format!("Name of {c}"),
                external_guid: format!("{{GUID-{c}}}"),
                replaces: None,
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- links

#[test]
fn links_are_unique_both_ways_per_company() {
    let mut s = store_with(&["A", "B"]);
    s.transaction(|tx| {
        assert!(tx.link(CO, "A", "L-A", Some("{G}"), None)?);
        // Same link again: nothing to do.
        assert!(!tx.link(CO, "a", "L-A", None, None)?);
        Ok::<_, StoreError>(())
    })
    .unwrap();
    let l = s.link_for_code(CO, "A").unwrap().unwrap();
    assert_eq!(
        (l.list_id.as_str(), l.external_guid.as_deref()),
        ("L-A", Some("{G}"))
    );

    let err = s
        .transaction(|tx| tx.link(CO, "A", "L-OTHER", None, None))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::LinkConflict { conflict, .. } if conflict.contains("L-A")),
        "{err}"
    );
    let err = s
        .transaction(|tx| tx.link(CO, "B", "L-A", None, None))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::LinkConflict { conflict, .. } if conflict.contains("customer A")),
        "{err}"
    );
    // Another company file is another name space.
    s.transaction(|tx| tx.link("other.qbw", "B", "L-A", None, None))
        .unwrap();
    assert_eq!(s.links(CO).unwrap().len(), 1);
    assert_eq!(s.links("other.qbw").unwrap()[0].code, "B");
    assert!(matches!(
        s.transaction(|tx| tx.link(CO, "NOPE", "L-X", None, None)),
        Err(StoreError::UnknownCustomer { .. })
    ));
    assert!(s.transaction(|tx| tx.unlink(CO, "A")).unwrap());
    assert!(!s.transaction(|tx| tx.unlink(CO, "A")).unwrap());
    assert!(s.link_for_code(CO, "A").unwrap().is_none());
}

#[test]
fn a_link_with_a_run_is_journaled_once() {
    let mut s = store_with(&["A"]);
    let r = run(&mut s, RunMode::MissingOnly);
    s.transaction(|tx| {
        tx.link(CO, "A", "L-A", None, Some(r))?;
        tx.link(CO, "A", "L-A", None, Some(r))
    })
    .unwrap();
    let entries = s.run_entries(r).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].kind, EntryKind::Linked);
    assert_eq!(entries[0].list_id.as_deref(), Some("L-A"));
}

// ---------------------------------------------------------------- outbox

#[test]
fn a_batch_goes_pending_sent_done_with_links_and_journal() {
    let mut s = store_with(&["A", "B", "C"]);
    let r = run(&mut s, RunMode::MissingOnly);
    let id = s
        .transaction(|tx| tx.create_batch(&batch(r, "msg-1", &["A", "B", "C"])))
        .unwrap();
    let b = s.batch(id).unwrap().unwrap();
    assert_eq!(b.state, BatchState::Pending);
    assert_eq!(b.items.len(), 3);
    assert!(b.items.iter().all(|i| i.state == ItemState::Pending));
    assert_eq!(b.sent_at, None);

    s.mark_sent(id).unwrap();
    assert_eq!(s.batch(id).unwrap().unwrap().state, BatchState::Sent);
    assert!(s.batch(id).unwrap().unwrap().sent_at.is_some());

    let outcomes = vec![
        (
            "1".to_string(),
            ItemOutcome::Added {
                list_id: "L-A".into(),
            },
        ),
        (
            "2".to_string(),
            ItemOutcome::Failed {
                status_code: Some(3100),
                message: "The name is already in use.".into(),
            },
        ),
        (
            "3".to_string(),
            ItemOutcome::Added {
                list_id: "L-C".into(),
            },
        ),
    ];
    let report = s
        .transaction(|tx| tx.settle_batch(r, id, Some("<response/>"), &outcomes))
        .unwrap();
    assert_eq!((report.added, report.failed, report.not_applied), (2, 1, 0));
    assert!(report.not_linked.is_empty());

    let b = s.batch(id).unwrap().unwrap();
    assert_eq!(b.state, BatchState::Done);
    assert_eq!(b.response.as_deref(), Some("<response/>"));
    assert!(b.settled_at.is_some());
    assert_eq!(b.items[0].list_id.as_deref(), Some("L-A"));
    assert_eq!(b.items[1].state, ItemState::Failed);
    assert_eq!(b.items[1].status_code, Some(3100));

    let link = s.link_for_code(CO, "A").unwrap().unwrap();
    assert_eq!(link.external_guid.as_deref(), Some("{GUID-A}"));
    assert!(s.link_for_code(CO, "B").unwrap().is_none());
    assert!(s.unsettled_batches(None).unwrap().is_empty());

    let kinds: Vec<_> = s
        .run_entries(r)
        .unwrap()
        .iter()
        .map(|e| (e.kind, e.code.clone(), e.status_code))
        .collect();
    assert_eq!(
        kinds,
        [
            (EntryKind::Exported, "A".to_string(), None),
            (EntryKind::Failed, "B".to_string(), Some(3100)),
            (EntryKind::Exported, "C".to_string(), None),
        ]
    );
    s.finish_run(r, RunOutcome::Partial).unwrap();
    let run = s.run(r).unwrap().unwrap();
    assert_eq!((run.counts.exported, run.counts.failed), (2, 1));
    assert_eq!(run.outcome, Some(RunOutcome::Partial));
    assert!(run.finished_at.is_some());
}

#[test]
fn unsettled_batches_are_listed_for_recovery_and_settled_from_doubt() {
    let mut s = store_with(&["A", "B", "C"]);
    let r = run(&mut s, RunMode::MissingOnly);
    let (b1, b2) = s
        .transaction(|tx| {
            Ok::<_, StoreError>((
                tx.create_batch(&batch(r, "m1", &["A", "B"]))?,
                tx.create_batch(&batch(r, "m2", &["C"]))?,
            ))
        })
        .unwrap();
    s.mark_sent(b1).unwrap();
    // The run dies here. The next run finds both, oldest first.
    let unsettled = s.unsettled_batches(Some(CO)).unwrap();
    assert_eq!(
        unsettled
            .iter()
            .map(|b| (b.id, b.state))
            .collect::<Vec<_>>(),
        [(b1, BatchState::Sent), (b2, BatchState::Pending)]
    );
    assert_eq!(unsettled[0].items[1].external_guid, "{GUID-B}");
    assert_eq!(unsettled[0].request, "<QBXML><!-- m1 --></QBXML>");
    assert!(s.unsettled_batches(Some("elsewhere")).unwrap().is_empty());

    let r2 = run(&mut s, RunMode::Recovery);
    s.mark_in_doubt(b1, "response lost").unwrap();
    s.mark_in_doubt(b1, "oldMessageSetID unknown to QuickBooks")
        .unwrap();
    let b = s.batch(b1).unwrap().unwrap();
    assert_eq!(b.state, BatchState::InDoubt);
    assert_eq!(
        b.note.as_deref(),
        Some("oldMessageSetID unknown to QuickBooks")
    );
    // Found A by its ExternalGUID; B does not exist in QuickBooks.
    s.transaction(|tx| {
        tx.settle_batch(
            r2,
            b1,
            None,
            &[
                (
                    "1".into(),
                    ItemOutcome::Added {
                        list_id: "L-A".into(),
                    },
                ),
                (
                    "2".into(),
                    ItemOutcome::NotApplied {
                        reason: "not found in QuickBooks".into(),
                    },
                ),
            ],
        )
    })
    .unwrap();
    let b = s.batch(b1).unwrap().unwrap();
    assert_eq!(b.state, BatchState::Done);
    assert_eq!(b.items[1].state, ItemState::NotApplied);
    assert_eq!(s.link_for_code(CO, "A").unwrap().unwrap().list_id, "L-A");
    // The never-sent batch is abandoned; its customer fails with the reason.
    s.transaction(|tx| tx.fail_batch(r2, b2, None, "cancelled by the operator"))
        .unwrap();
    let b = s.batch(b2).unwrap().unwrap();
    assert_eq!(b.state, BatchState::Failed);
    assert_eq!(b.items[0].state, ItemState::Failed);
    assert!(s.unsettled_batches(None).unwrap().is_empty());
    let entries = s.run_entries(r2).unwrap();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[1].kind, EntryKind::Failed);
    assert_eq!(
        entries[1].status_message.as_deref(),
        Some("cancelled by the operator")
    );
}

#[test]
fn batch_states_only_move_forward() {
    let mut s = store_with(&["A"]);
    let r = run(&mut s, RunMode::MissingOnly);
    let id = s
        .transaction(|tx| tx.create_batch(&batch(r, "m1", &["A"])))
        .unwrap();
    let added = [(
        "1".to_string(),
        ItemOutcome::Added {
            list_id: "L".into(),
        },
    )];
    // A pending batch was never sent: it cannot be settled or be in doubt.
    let err = s
        .transaction(|tx| tx.settle_batch(r, id, None, &added))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::BatchState {
                state: BatchState::Pending,
                ..
            }
        ),
        "{err}"
    );
    assert!(s.mark_in_doubt(id, "x").is_err());
    s.mark_sent(id).unwrap();
    assert!(matches!(
        s.mark_sent(id),
        Err(StoreError::BatchState {
            state: BatchState::Sent,
            ..
        })
    ));
    s.transaction(|tx| tx.settle_batch(r, id, None, &added))
        .unwrap();
    for result in [
        s.mark_sent(id),
        s.mark_in_doubt(id, "x"),
        s.transaction(|tx| tx.fail_batch(r, id, None, "x")),
    ] {
        assert!(
            matches!(
                result,
                Err(StoreError::BatchState {
                    state: BatchState::Done,
                    ..
                })
            ),
            "{result:?}"
        );
    }
    assert!(matches!(
        s.mark_sent(custsync::store::BatchId(999)),
        Err(StoreError::UnknownBatch(_))
    ));
}

#[test]
fn settling_needs_one_outcome_per_item_and_is_atomic() {
    let mut s = store_with(&["A", "B"]);
    let r = run(&mut s, RunMode::MissingOnly);
    let id = s
        .transaction(|tx| tx.create_batch(&batch(r, "m1", &["A", "B"])))
        .unwrap();
    s.mark_sent(id).unwrap();
    let added = |rid: &str, lid: &str| {
        (
            rid.to_string(),
            ItemOutcome::Added {
                list_id: lid.into(),
            },
        )
    };
    for outcomes in [
        vec![added("1", "L-A")],
        vec![added("1", "L-A"), added("1", "L-A2"), added("2", "L-B")],
        vec![added("1", "L-A"), added("2", "L-B"), added("9", "L-X")],
    ] {
        let err = s
            .transaction(|tx| tx.settle_batch(r, id, None, &outcomes))
            .unwrap_err();
        assert!(matches!(err, StoreError::BatchOutcome { .. }), "{err}");
    }
    // A failure inside the settling transaction leaves everything as it was.
    let err = s
        .transaction(|tx| {
            tx.settle_batch(r, id, None, &[added("1", "L-A"), added("2", "L-B")])?;
            Err::<(), _>(StoreError::Locked)
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked));
    assert_eq!(s.batch(id).unwrap().unwrap().state, BatchState::Sent);
    assert!(s.link_for_code(CO, "A").unwrap().is_none());
    assert!(s.run_entries(r).unwrap().is_empty());
}

#[test]
fn an_added_customer_that_cannot_be_linked_is_journaled_not_lost() {
    let mut s = store_with(&["A", "B"]);
    let r = run(&mut s, RunMode::MissingOnly);
    s.transaction(|tx| tx.link(CO, "B", "L-TAKEN", None, None))
        .unwrap();
    let id = s
        .transaction(|tx| tx.create_batch(&batch(r, "m1", &["A"])))
        .unwrap();
    s.mark_sent(id).unwrap();
    let report = s
        .transaction(|tx| {
            tx.settle_batch(
                r,
                id,
                None,
                &[(
                    "1".into(),
                    ItemOutcome::Added {
                        list_id: "L-TAKEN".into(),
                    },
                )],
            )
        })
        .unwrap();
    assert_eq!(report.not_linked.len(), 1);
    let entries = s.run_entries(r).unwrap();
    assert_eq!(entries[0].kind, EntryKind::Exported);
    assert_eq!(entries[1].kind, EntryKind::Failed);
    assert!(
        entries[1]
            .status_message
            .as_deref()
            .unwrap()
            .contains("not linked")
    );
    assert_eq!(
        s.batch(id).unwrap().unwrap().items[0].list_id.as_deref(),
        Some("L-TAKEN")
    );
}

#[test]
fn message_set_ids_and_request_ids_are_unique() {
    let mut s = store_with(&["A"]);
    let r = run(&mut s, RunMode::MissingOnly);
    s.transaction(|tx| tx.create_batch(&batch(r, "m1", &["A"])))
        .unwrap();
    assert!(matches!(
        s.transaction(|tx| tx.create_batch(&batch(r, "m1", &["A"]))),
        Err(StoreError::BadBatch(_))
    ));
    let mut twice = batch(r, "m2", &["A", "A"]);
    twice.items[1].request_id = "1".into();
    assert!(matches!(
        s.transaction(|tx| tx.create_batch(&twice)),
        Err(StoreError::BadBatch(_))
    ));
    let mut empty = batch(r, "m3", &[]);
    empty.items.clear();
    assert!(matches!(
        s.transaction(|tx| tx.create_batch(&empty)),
        Err(StoreError::BadBatch(_))
    ));
    assert_eq!(s.unsettled_batches(None).unwrap().len(), 1);
}

// ---------------------------------------------------------------- journal, imports, replacements

#[test]
fn runs_record_who_when_which_company_and_how_they_ended() {
    let mut s = store_with(&[]);
    let r1 = run(&mut s, RunMode::MissingOnly);
    let r2 = s
        .start_run(&NewRun {
            company_name: Some("Beta Inc".into()),
            company_file: Some("b.qbw".into()),
            ..NewRun::new(RunMode::NotExactMatch)
        })
        .unwrap();
    s.transaction(|tx| tx.journal(r1, &NewEntry::failed("X", Some(500), "nope")))
        .unwrap();
    s.finish_run(r1, RunOutcome::Done).unwrap();
    let runs = s.runs(10).unwrap();
    assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [r2, r1]);
    assert_eq!(runs[0].company_name.as_deref(), Some("Beta Inc"));
    assert_eq!(runs[0].finished_at, None);
    assert_eq!(runs[1].mode, RunMode::MissingOnly);
    assert_eq!(runs[1].company_file.as_deref(), Some(CO));
    assert!(!runs[1].os_user.is_empty());
    assert_eq!(runs[1].counts.failed, 1);
    assert!(matches!(
        s.finish_run(RunId(99), RunOutcome::Done),
        Err(StoreError::UnknownRun(_))
    ));
    assert!(matches!(
        s.transaction(|tx| tx.journal(RunId(99), &NewEntry::failed("X", None, "x"))),
        Err(StoreError::UnknownRun(_))
    ));
}

#[test]
fn import_and_replace_commit_with_links_and_journal_or_not_at_all() {
    let mut s = store_with(&["OLD"]);
    let r = run(&mut s, RunMode::NotExactMatch);
    s.transaction(|tx| {
        let mut imported = customer("NEW", "Imported Co");
        imported.data.set(Field::Phone, "555-0100");
        tx.import_customer(r, CO, &imported, "L-NEW")?;
        let changes = tx.replace_fields(
            r,
            "OLD",
            Some("L-OLD"),
            &[
                (Column::Field(Field::Phone), Some("555-0199".into())),
                (Column::Field(Field::Fax), None),
                (Column::Status, Some("Inactive".into())),
            ],
        )?;
        // Fax was already empty: not a change.
        assert_eq!(changes.len(), 2);
        Ok::<_, StoreError>(())
    })
    .unwrap();
    assert_eq!(
        s.link_for_list_id(CO, "L-NEW").unwrap().unwrap().code,
        "NEW"
    );
    let old = s.customer_record("OLD").unwrap().unwrap();
    assert_eq!(old.customer.status, CustomerStatus::Inactive);
    assert_eq!(old.revision, 2);
    let entries = s.run_entries(r).unwrap();
    let e: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e.kind,
                e.code.as_str(),
                e.column,
                e.previous.as_deref(),
                e.new.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        e,
        [
            (EntryKind::Imported, "NEW", None, None, Some("Imported Co")),
            (
                EntryKind::Replaced,
                "OLD",
                Some(Column::Status),
                Some("Active"),
                Some("Inactive")
            ),
            (
                EntryKind::Replaced,
                "OLD",
                Some(Column::Field(Field::Phone)),
                None,
                Some("555-0199")
            ),
        ]
    );
    assert_eq!(entries[0].revision, Some(1));
    assert_eq!(entries[1].revision, Some(2));

    // A failure midway leaves no import, no link, no entry.
    let r2 = run(&mut s, RunMode::MissingOnly);
    let err = s
        .transaction(|tx| {
            tx.import_customer(r2, CO, &customer("NEW2", "Two"), "L-NEW2")?;
            tx.import_customer(r2, CO, &customer("new", "Clash"), "L-NEW3")
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::DuplicateCode { .. }));
    assert!(s.customer("NEW2").unwrap().is_none());
    assert!(s.link_for_list_id(CO, "L-NEW2").unwrap().is_none());
    assert!(s.run_entries(r2).unwrap().is_empty());
}

#[test]
fn a_bad_replacement_value_is_refused() {
    let mut s = store_with(&["A"]);
    let r = run(&mut s, RunMode::NotExactMatch);
    for bad in [
        (Column::Status, Some("Deleted".to_string())),
        (Column::Status, None),
        (Column::Field(Field::CreditLimit), Some("lots".to_string())),
        (Column::Field(Field::Name), None),
    ] {
        let err = s
            .transaction(|tx| tx.replace_fields(r, "A", None, std::slice::from_ref(&bad)))
            .unwrap_err();
        assert!(matches!(err, StoreError::Customer(_)), "{bad:?}: {err}");
    }
    assert_eq!(s.customer_record("A").unwrap().unwrap().revision, 1);
}

// ---------------------------------------------------------------- undo

fn imported_and_replaced(s: &mut Store) -> RunId {
    let r = run(s, RunMode::NotExactMatch);
    s.transaction(|tx| {
        tx.import_customer(r, CO, &customer("IMP1", "First import"), "L-1")?;
        tx.import_customer(r, CO, &customer("IMP2", "Second import"), "L-2")?;
        tx.replace_fields(
            r,
            "LOCAL",
            Some("L-LOCAL"),
            &[
                (Column::Field(Field::Phone), Some("555-0100".into())),
                (Column::Field(Field::Email), Some("new@example.com".into())),
                (Column::Status, Some("Inactive".into())),
            ],
        )?;
        tx.finish_run(r, RunOutcome::Done)
    })
    .unwrap();
    r
}

fn local_customer() -> Customer {
    let mut c = customer("LOCAL", "Local Co");
    c.data.set(Field::Phone, "555-0000");
    c
}

#[test]
fn undo_removes_imports_and_restores_replaced_values() {
    let mut s = store_with(&[]);
    s.create_customer(&local_customer()).unwrap();
    let r = imported_and_replaced(&mut s);
    let report = s.undo_run(r, "tester").unwrap();
    assert_eq!(report.removed.len(), 2);
    assert_eq!(report.restored.len(), 3);
    assert!(report.kept.is_empty());
    assert!(s.customer("IMP1").unwrap().is_none());
    assert!(s.link_for_list_id(CO, "L-1").unwrap().is_none());
    let local = s.customer("LOCAL").unwrap().unwrap();
    assert_eq!(local, local_customer());

    let original = s.run(r).unwrap().unwrap();
    assert_eq!(original.undone_by, Some(report.run));
    let undo = s.run(report.run).unwrap().unwrap();
    assert_eq!(undo.mode, RunMode::Undo);
    assert_eq!(undo.undo_of, Some(r));
    assert_eq!(undo.os_user, "tester");
    assert_eq!(undo.outcome, Some(RunOutcome::Done));
    assert_eq!(undo.counts.undone, 3);
    let entries = s.run_entries(report.run).unwrap();
    assert!(entries.iter().all(|e| e.kind == EntryKind::Undone));
    assert_eq!(entries.len(), 5);

    // Not twice, and an undo is not undone.
    assert!(matches!(
        s.undo_run(r, "tester"),
        Err(StoreError::AlreadyUndone { .. })
    ));
    assert!(matches!(
        s.undo_run(report.run, "tester"),
        Err(StoreError::UndoOfUndo(_))
    ));
}

#[test]
fn undo_keeps_what_was_changed_since() {
    let mut s = store_with(&[]);
    s.create_customer(&local_customer()).unwrap();
    let r = imported_and_replaced(&mut s);
    // Since the run: IMP1 edited, IMP2 deleted, LOCAL's phone edited again.
    let mut imp1 = s.customer("IMP1").unwrap().unwrap();
    imp1.data.set(Field::Notes, "called them");
    s.update_customer("IMP1", &imp1).unwrap();
    s.delete_customer("IMP2").unwrap();
    let mut local = s.customer("LOCAL").unwrap().unwrap();
    local.data.set(Field::Phone, "555-7777");
    s.update_customer("LOCAL", &local).unwrap();

    let report = s.undo_run(r, "tester").unwrap();
    assert!(report.removed.is_empty());
    // Undone newest first: the journal has status, phone, email in that order.
    assert_eq!(
        report.restored,
        [
            ("LOCAL".to_string(), Column::Field(Field::Email)),
            ("LOCAL".to_string(), Column::Status),
        ]
    );
    let mut kept: Vec<_> = report
        .kept
        .iter()
        .map(|k| (k.code.as_str(), k.column))
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        [
            ("IMP1", None),
            ("IMP2", None),
            ("LOCAL", Some(Column::Field(Field::Phone)))
        ]
    );
    assert!(
        report
            .kept
            .iter()
            .any(|k| k.reason.contains("\"555-7777\""))
    );
    assert!(s.customer("IMP1").unwrap().is_some());
    let local = s.customer("LOCAL").unwrap().unwrap();
    assert_eq!(local.data.get(Field::Phone), Some("555-7777"));
    assert_eq!(local.data.get(Field::Email), None);
    assert_eq!(local.status, CustomerStatus::Active);
    assert_eq!(
        s.run(report.run).unwrap().unwrap().outcome,
        Some(RunOutcome::Partial)
    );
}

#[test]
fn undo_keeps_an_import_linked_elsewhere_since() {
    let mut s = store_with(&[]);
    s.create_customer(&local_customer()).unwrap();
    let r = imported_and_replaced(&mut s);
    s.transaction(|tx| tx.link("other.qbw", "IMP1", "L-OTHER", None, None))
        .unwrap();
    let report = s.undo_run(r, "tester").unwrap();
    assert_eq!(report.removed, ["IMP2"]);
    assert!(s.customer("IMP1").unwrap().is_some());
}

#[test]
fn undo_refuses_runs_without_local_changes() {
    let mut s = store_with(&["A"]);
    let r = run(&mut s, RunMode::MissingOnly);
    s.transaction(|tx| tx.link(CO, "A", "L-A", None, Some(r)))
        .unwrap();
    let err = s.undo_run(r, "tester").unwrap_err();
    assert!(matches!(err, StoreError::NothingToUndo(_)));
    assert!(err.to_string().contains("nothing to undo"));
    assert!(matches!(
        s.undo_run(RunId(404), "tester"),
        Err(StoreError::UnknownRun(_))
    ));
    // The refused undo left no run behind.
    assert_eq!(s.runs(10).unwrap().len(), 1);
}

/// A QuickBooks spelling is kept beside SMSTurbo's own value; a value replaced with
/// QuickBooks' own needs it no more, and undo brings both back.
#[test]
fn a_replaced_value_drops_its_quickbooks_spelling_and_undo_restores_it() {
    let mut s = store_with(&[]);
    let mut c = customer("POL", "Łódź Trading");
    c.data.set(Field::BillCity, "Gdańsk");
    s.create_customer(&c).unwrap();
    s.set_qb_spellings(
        "POL",
        &[
            (Field::Name, "Lodz Trading".into()),
            (Field::BillCity, " Gdansk ".into()),
        ],
    )
    .unwrap();
    let spelled = s.customer("POL").unwrap().unwrap();
    assert_eq!(spelled.name(), "Łódź Trading");
    assert_eq!(spelled.qb_name.as_deref(), Some("Lodz Trading"));
    assert_eq!(spelled.qb_spellings.get(Field::BillCity), Some("Gdansk"));
    assert_eq!(spelled.qb_value(Field::BillCity), Some("Gdansk"));
    assert_eq!(spelled.data.get(Field::BillCity), Some("Gdańsk"));

    let r = run(&mut s, RunMode::NotExactMatch);
    s.transaction(|tx| {
        tx.replace_fields(
            r,
            "POL",
            Some("L-POL"),
            &[(Column::Field(Field::BillCity), Some("Gdynia".into()))],
        )
    })
    .unwrap();
    let replaced = s.customer("POL").unwrap().unwrap();
    assert_eq!(replaced.data.get(Field::BillCity), Some("Gdynia"));
    assert_eq!(replaced.qb_spellings.get(Field::BillCity), None);
    assert_eq!(replaced.qb_name.as_deref(), Some("Lodz Trading"));

    s.undo_run(r, "tester").unwrap();
    assert_eq!(s.customer("POL").unwrap().unwrap(), spelled);
}

/// A delete keeps the customer and its links; History restores both once, and refuses when the
/// code is taken again.
#[test]
fn a_deleted_customer_comes_back_with_its_links() {
    let mut s = store_with(&["KEEP"]);
    let mut c = customer("GONE", "Gone Ltd");
    c.data.set(Field::Phone, "555-0100");
    c.qb_spellings.set(Field::BillCity, "Lodz");
    s.create_customer(&c).unwrap();
    s.transaction(|tx| tx.link(CO, "GONE", "L-GONE", None, None))
        .unwrap();
    let before = s.customer("GONE").unwrap().unwrap();
    s.delete_customer("GONE").unwrap();
    assert!(s.customer("GONE").unwrap().is_none());
    assert!(s.link_for_list_id(CO, "L-GONE").unwrap().is_none());
    let deletions = s.deletions(10).unwrap();
    assert_eq!(deletions.len(), 1);
    let d = &deletions[0];
    assert_eq!(
        (d.code.as_str(), d.name.as_str(), d.links),
        ("GONE", "Gone Ltd", 1)
    );
    assert!(d.restored_at.is_none() && !d.deleted_by.is_empty());

    let restored = s.restore_customer(d.id, "tester").unwrap();
    assert_eq!(restored.relinked, 1);
    assert_eq!(s.customer("GONE").unwrap().unwrap(), before);
    assert_eq!(
        s.link_for_list_id(CO, "L-GONE").unwrap().unwrap().code,
        "GONE"
    );
    let again = s.restore_customer(d.id, "tester");
    assert!(
        matches!(again, Err(StoreError::AlreadyRestored { .. })),
        "{again:?}"
    );
    assert_eq!(
        s.deletions(10).unwrap()[0].restored_by.as_deref(),
        Some("tester")
    );

    // Deleted again, then the code is used by someone else: nothing is restored.
    s.delete_customer("GONE").unwrap();
    s.create_customer(&customer("gone", "Someone Else"))
        .unwrap();
    let id = s.deletions(10).unwrap()[0].id;
    let taken = s.restore_customer(id, "tester");
    assert!(
        matches!(taken, Err(StoreError::DuplicateCode { .. })),
        "{taken:?}"
    );
    assert_eq!(s.customer("GONE").unwrap().unwrap().name(), "Someone Else");
}
