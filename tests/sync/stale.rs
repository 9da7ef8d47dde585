//! Never a duplicate, also when QuickBooks changes underneath (issue 8): each reported case as
//! whole runs against the sandbox — through the sync core as the screen drives it, the
//! `custsync sync` binary, and the scheduled run `custsync serve` makes — after a QuickBooks
//! user's move. After every step: no new duplicate in QuickBooks, and the journal is true.

use crate::stale_support::{EditMidRead, World, all_of, offered, set, text};
use custsync::qbxml::Field;
use custsync::store::{EntryKind, StoreRead};
use custsync::sync::{ApplyOptions, Mode, NoProgress, Selection};

/// The three ways a synchronization runs, each taking everything it offers.
#[derive(Clone, Copy, Debug)]
enum Driver {
    /// The screen on the real back end, every row of both panes checked.
    Screen,
    /// `custsync sync --missing-only --export all --import all`.
    Headless,
    /// What `custsync serve` runs when the Web Connector calls.
    Scheduled,
}

const DRIVERS: [Driver; 3] = [Driver::Screen, Driver::Headless, Driver::Scheduled];

impl Driver {
    /// Runs a synchronization of everything offered; the text it reports.
    fn run(self, w: &World) -> String {
        match self {
            Driver::Screen => w.screen_run(),
            Driver::Headless => text(&w.cli(&[
                "sync",
                "--missing-only",
                "--export",
                "all",
                "--import",
                "all",
            ])),
            Driver::Scheduled => match w.scheduled() {
                Ok(r) => format!("{} {r:?}", r.summary()),
                Err(e) => format!("failed: {}", e.explanation()),
            },
        }
    }

    /// Runs, then checks the two promises.
    fn step(self, w: &World, step: &str) -> String {
        let before = w.before();
        let out = self.run(w);
        w.check_step(&before, &format!("{step} ({self:?}): {out}"));
        out
    }
}

/// One SMSTurbo customer added to QuickBooks and linked, by a first synchronization.
fn exported_and_linked(w: &World, code: &str, name: &str) -> String {
    w.local(code, name, &[]);
    let before = w.before();
    let report = w.engine_all().expect("first run");
    assert_eq!(report.added, 1, "{report:?}");
    w.check_step(&before, "first export");
    let link = w
        .store()
        .link_for_code(&w.company.display().to_string(), code)
        .unwrap()
        .expect("linked");
    link.list_id
}

// ---- Case 1: a linked QuickBooks customer becomes a job ----

#[test]
fn a_linked_customer_made_a_job_is_never_added_again() {
    for driver in DRIVERS {
        let w = World::new();
        w.qb_customer("New Owner Holdings", &[]);
        let list_id = exported_and_linked(&w, "SHOP1", "Acme Shop");
        w.file()
            .make_job("Acme Shop", "New Owner Holdings")
            .expect("make-job");
        for n in 1..=2 {
            let out = driver.step(&w, &format!("run {n} after make-job"));
            let said = match driver {
                Driver::Screen => {
                    let (planned, _store) = w.planned(Mode::MissingOnly);
                    planned.plan().stale[0].describe(&planned.snapshot().qb)
                }
                _ => out,
            };
            assert!(
                said.contains("is now a job of 'New Owner Holdings'"),
                "{driver:?}: {said}"
            );
        }
        let shops = w.qb_named("Acme Shop");
        assert_eq!(shops.len(), 1, "{driver:?}: {shops:?}");
        assert_eq!(shops[0].list_id, list_id);
    }
}

// ---- Case 2: a linked QuickBooks customer is deleted, or merged away ----

#[test]
fn a_linked_customer_deleted_in_quickbooks_is_never_added_again() {
    for driver in DRIVERS {
        let w = World::new();
        exported_and_linked(&w, "GONE1", "Gone Gadgets");
        w.file().delete_customer("Gone Gadgets").expect("delete");
        for n in 1..=2 {
            driver.step(&w, &format!("run {n} after delete"));
        }
        assert!(w.qb_named("Gone Gadgets").is_empty(), "{driver:?}");
    }
}

#[test]
fn a_linked_customer_merged_away_never_comes_back_as_a_copy() {
    for driver in DRIVERS {
        let w = World::new();
        exported_and_linked(&w, "ACME1", "Acme Corp");
        w.qb_customer("Acme Holdings", &[]);
        w.file()
            .merge_customers("Acme Corp", "Acme Holdings")
            .expect("merge");
        for n in 1..=2 {
            driver.step(&w, &format!("run {n} after merge"));
        }
        assert!(w.qb_named("Acme Corp").is_empty(), "{driver:?}");
        assert_eq!(w.qb_all().len(), 1, "{driver:?}");
    }
}

#[test]
fn a_merge_survivor_with_the_same_account_number_is_not_linked_without_the_operator() {
    for driver in DRIVERS {
        let w = World::new();
        let old = exported_and_linked(&w, "ACME1", "Acme Corp");
        w.qb_customer("Acme Inc", &[(Field::AccountNumber, "ACME1")]);
        w.file()
            .merge_customers("Acme Corp", "Acme Inc")
            .expect("merge");
        for n in 1..=2 {
            driver.step(&w, &format!("run {n} after merge"));
        }
        let link = w
            .store()
            .link_for_code(&w.company.display().to_string(), "ACME1")
            .unwrap()
            .map(|l| l.list_id);
        assert_eq!(link, Some(old), "{driver:?}: relinked without the operator");
        assert_eq!(w.store().customers().unwrap().len(), 1, "{driver:?}");
    }
}

// ---- Case 3: QuickBooks lists the same ListID twice in one read ----

fn twice_world() -> World {
    let w = World::new();
    w.set_config(|c| c.sync.page_size = 2);
    w.qb_customer("Alpha Arts", &[(Field::AccountNumber, "ALP1")]);
    w.qb_customer("Baker Bros", &[(Field::AccountNumber, "BAK100")]);
    w.qb_customer("Twice Trading", &[]);
    w.local("NEW901", "New Nine", &[]);
    w
}

/// A QuickBooks user edits Baker and Twice while custsync reads (the `n`th time: new values, so
/// each edit is a change).
fn edits_baker_and_twice(w: &World, n: u32) -> EditMidRead {
    EditMidRead::new(&w.company, move |file| {
        for name in ["Baker Bros", "Twice Trading"] {
            file.edit_customer(name, &set(&[&format!("Phone=555-01{n:02}")]))
                .expect("edit");
        }
    })
}

#[test]
fn the_same_listid_twice_in_one_read_is_one_customer() {
    let w = twice_world();
    let (planned, _store) = w
        .planned_over(edits_baker_and_twice(&w, 1), Mode::MissingOnly)
        .expect("planned");
    let (_, imports) = offered(&planned);
    assert_eq!(imports, ["ALP1", "BAK100", "TWICETRADING"]);
    // The copy kept is the later one.
    let baker = planned
        .plan()
        .imports
        .iter()
        .find(|r| r.customer.code() == "BAK100")
        .unwrap();
    assert_eq!(baker.customer.data.get(Field::Phone), Some("555-0101"));
}

#[test]
fn the_same_listid_twice_imports_once_then_runs_go_on_succeeding() {
    // Through the screen's engine, a QuickBooks user editing during every read…
    let w = twice_world();
    for n in 1..=3 {
        let before = w.before();
        let (planned, mut store) = w
            .planned_over(edits_baker_and_twice(&w, n), Mode::MissingOnly)
            .expect("planned");
        let selection = all_of(&planned);
        let report = planned.apply(
            &mut store,
            &selection,
            &ApplyOptions::default(),
            &mut NoProgress,
        );
        drop(store);
        w.check_step(&before, &format!("screen run {n}: {report:?}"));
        let report = report.expect("run");
        if n == 1 {
            assert_eq!((report.added, report.imported), (1, 3), "{report:?}");
        } else {
            assert_eq!((report.added, report.imported), (0, 0), "{report:?}");
        }
    }
    imported_under_their_own_codes(&w);

    // …and scheduled.
    let w = twice_world();
    for n in 1..=3 {
        let before = w.before();
        let r = w.scheduled_over(&mut edits_baker_and_twice(&w, n));
        w.check_step(&before, &format!("scheduled run {n}: {r:?}"));
        let r = r.expect("scheduled run");
        if n == 1 {
            let run = r.run.expect("a run");
            assert_eq!((run.added, run.imported), (1, 3), "{run:?}");
        }
    }
    imported_under_their_own_codes(&w);
}

fn imported_under_their_own_codes(w: &World) {
    let store = w.store();
    for code in ["ALP1", "BAK100", "TWICETRADING"] {
        assert!(store.customer(code).unwrap().is_some(), "{code}");
    }
    assert_eq!(store.customers().unwrap().len(), 4);
}

// ---- Case 4: truthful outcomes ----

#[test]
fn a_run_that_fails_after_adding_says_what_it_added() {
    let w = World::new();
    w.local("NEW901", "New Nine", &[]);
    w.qb_customer("Baker Bros", &[(Field::AccountNumber, "BAK100")]);
    let before = w.before();
    let (planned, mut store) = w.planned(Mode::MissingOnly);
    let selection = all_of(&planned);
    // Between the plan and the run, SMSTurbo gets a customer with the code the import would
    // take: the import is refused after the export went to QuickBooks.
    w.local("BAK100", "Someone Else", &[]);
    let err = planned
        .apply(
            &mut store,
            &selection,
            &ApplyOptions::default(),
            &mut NoProgress,
        )
        .expect_err("the import is refused");
    drop(store);
    let x = err.explanation();
    let said = format!("{} {} {}", x.title, x.what_happened, x.next_step);
    assert!(!said.contains("Nothing was half-done"), "{said}");
    assert!(said.contains("1 customer added to QuickBooks"), "{said}");
    assert!(said.contains("NEW901"), "{said}");
    // The customer made by hand is not the journal's.
    let mut before = before;
    before.codes.insert("bak100".into());
    w.check_step(&before, "the failed run");
    let store = w.store();
    let run = store.runs(1).unwrap().remove(0);
    let entries = store.run_entries(run.id).unwrap();
    assert!(
        entries.iter().any(|e| e.kind == EntryKind::Stopped
            && e.status_message.as_deref().unwrap_or("").contains("BAK100")),
        "{entries:?}"
    );
}

#[test]
fn a_run_that_fails_before_changing_anything_is_journaled_with_its_reason() {
    let w = World::new();
    w.qb_customer("Baker Bros", &[(Field::AccountNumber, "BAK100")]);
    let before = w.before();
    let (planned, mut store) = w.planned(Mode::MissingOnly);
    let selection = all_of(&planned);
    w.local("BAK100", "Someone Else", &[]);
    let err = planned
        .apply(
            &mut store,
            &selection,
            &ApplyOptions::default(),
            &mut NoProgress,
        )
        .expect_err("the import is refused");
    drop(store);
    let x = err.explanation();
    assert!(x.what_happened.contains("BAK100"), "{x:?}");
    assert!(
        !matches!(err, custsync::sync::SyncError::Stopped { .. }),
        "{err:?}"
    );
    let mut before = before;
    before.codes.insert("bak100".into());
    w.check_step(&before, "the failed run");
}

// ---- Case 5: an imported customer whose account number another SMSTurbo customer has ----

#[test]
fn a_code_that_differs_from_the_account_number_is_a_notice_not_an_everlasting_row() {
    let w = World::new();
    exported_and_linked(&w, "X1", "Acme");
    w.qb_customer("Acme West", &[(Field::AccountNumber, "X1")]);
    // Before it is imported, the row says the code will differ for good.
    let (planned, _store) = w.planned(Mode::MissingOnly);
    let row = &planned.plan().imports[0];
    let note = row
        .code_note(&planned.snapshot().qb[row.qb])
        .expect("a note");
    assert!(
        note.starts_with("gets the SMSTurbo code X1-2 because another SMSTurbo customer has X1"),
        "{note}"
    );
    drop(planned);
    let (_, v) = w.cli_json(&["--dry-run"]);
    assert_eq!(v["plan"]["imports"][0]["code_note"], note.as_str(), "{v}");
    let before = w.before();
    let report = w.engine_all().expect("import");
    w.check_step(&before, "import of Acme West");
    assert_eq!(report.imported, 1);
    assert!(w.store().customer("X1-2").unwrap().is_some());
    for n in 1..=2 {
        let (planned, _store) = w.planned(Mode::NotExactMatch);
        assert!(
            planned.plan().pairs.is_empty(),
            "run {n}: a row no Replace Option can change: {:?}",
            planned.plan().pairs
        );
        let notices = custsync::sync::plan::notice_words(planned.plan(), planned.snapshot());
        assert!(
            notices.iter().any(|n| n.contains("X1-2 ↔ X1")),
            "said once, as a notice: {notices:?}"
        );
    }
}

// ---- Case 6: export defaults ----

#[test]
fn the_export_default_type_is_set_on_every_exported_customer_and_its_addition_journaled() {
    let w = World::new();
    custsync::testkit::sandbox_requests(
        &w.company,
        vec![custsync::qbxml::RequestBody::CustomerTypeAdd(
            custsync::qbxml::ListAdd {
                name: "Wholesale".into(),
                ..Default::default()
            },
        )],
    );
    w.set_config(|c| c.export.customer_type = Some("Retail".into()));
    w.local("W1", "Wes Wholesale", &[(Field::CustomerType, "Wholesale")]);
    let (planned, _store) = w.planned(Mode::MissingOnly);
    let row = &planned.plan().exports[0];
    assert_eq!(row.add.data.get(Field::CustomerType), Some("Retail"));
    drop(planned);
    let before = w.before();
    let report = w
        .engine_run(
            Mode::MissingOnly,
            &ApplyOptions {
                add_missing_types: true,
            },
            |p| Selection {
                exports: all_of(p).exports,
                ..Selection::default()
            },
        )
        .expect("run");
    w.check_step(&before, "export with the default type");
    assert_eq!(report.types_added, ["Customer Type 'Retail'"]);
    let store = w.store();
    let run = store.runs(1).unwrap().remove(0);
    let entries = store.run_entries(run.id).unwrap();
    assert!(
        entries.iter().any(|e| e.kind == EntryKind::ListAdded
            && e.new.as_deref() == Some("Customer Type 'Retail'")),
        "{entries:?}"
    );
    assert_eq!(
        w.qb_named("Wes Wholesale")[0].data.get(Field::CustomerType),
        Some("Retail")
    );
}

// ---- What each way of running says about a stale link, and the ways out ----

/// ACME1 was linked to "Acme Corp", which a QuickBooks user merged into "Acme Inc" (which
/// carries ACME1 as its account number).
fn merged_world() -> (World, String) {
    let w = World::new();
    let old = exported_and_linked(&w, "ACME1", "Acme Corp");
    w.qb_customer("Acme Inc", &[(Field::AccountNumber, "ACME1")]);
    w.file()
        .merge_customers("Acme Corp", "Acme Inc")
        .expect("merge");
    (w, old)
}

#[test]
fn every_way_of_running_lists_a_stale_link_with_its_reason_and_candidate() {
    let (w, old) = merged_world();
    let survivor = w.qb_named("Acme Inc")[0].list_id.clone();

    // The screen's engine: a stale row, its candidate held back from import.
    let (planned, _store) = w.planned(Mode::MissingOnly);
    let plan = planned.plan();
    assert_eq!(plan.stale.len(), 1);
    let row = &plan.stale[0];
    assert_eq!(row.list_id, old);
    let said = row.describe(&planned.snapshot().qb);
    assert!(said.contains("deleted or merged on"), "{said}");
    assert!(
        said.contains("'Acme Inc (ACME1)' has the same account number"),
        "{said}"
    );
    assert!(
        plan.imports.is_empty(),
        "the candidate is not offered for import"
    );
    assert!(plan.exports.is_empty());
    drop(planned);

    // Headless: the JSON lists it with its reason and candidate.
    let (code, v) = w.cli_json(&["--dry-run"]);
    assert_eq!(code, Some(0));
    let stale = &v["plan"]["stale"][0];
    assert_eq!(stale["code"], "ACME1");
    assert_eq!(stale["reason"], "deleted_or_merged");
    assert_eq!(stale["candidates"][0]["list_id"], survivor.as_str());
    assert_eq!(
        stale["candidates"][0]["matched_by"],
        "same code / account number"
    );
    let out = text(&w.cli(&["sync", "--dry-run"]));
    assert!(out.contains("QuickBooks changed underneath"), "{out}");
    assert!(
        out.contains(&format!("custsync link ACME1 {survivor}")),
        "{out}"
    );

    // Scheduled: left out, with the reason, and journaled once.
    let before = w.before();
    let r = w.scheduled().expect("scheduled run");
    w.check_step(&before, "scheduled");
    assert_eq!(r.stale.len(), 1, "{r:?}");
    assert!(r.stale[0].reason.contains("deleted or merged"), "{r:?}");
    assert!(
        r.summary()
            .contains("1 linked customer(s) QuickBooks changed underneath"),
        "{}",
        r.summary()
    );
    let store = w.store();
    let run = r.run.and_then(|r| r.run).expect("journaled");
    let entries = store.run_entries(run).unwrap();
    assert!(
        entries.iter().any(|e| e.code == "ACME1"
            && e.status_message
                .as_deref()
                .unwrap_or("")
                .contains("deleted or merged")),
        "{entries:?}"
    );
    let again = w.scheduled().expect("scheduled run");
    assert!(
        again.run.is_none(),
        "not journaled a second time: {again:?}"
    );
}

#[test]
fn headless_link_replaces_a_stale_link_and_refuses_what_would_be_wrong() {
    let (w, old) = merged_world();
    w.qb_customer("Holdings", &[]);
    w.qb_customer("Shop", &[]);
    w.file().make_job("Shop", "Holdings").expect("make-job");
    w.local("OTHER", "Other One", &[]);
    let refusals = [
        (
            vec!["link", "ACME1", "Holdings:Shop"],
            "is a job of 'Holdings'",
        ),
        (
            vec!["link", "ACME1", "Nobody Here"],
            "QuickBooks has no customer",
        ),
        (vec!["link", "NOPE", "Acme Inc"], "SMSTurbo has no customer"),
        (vec!["unlink", "OTHER"], "is not linked"),
    ];
    for (args, says) in refusals {
        let before = w.before();
        let out = w.cli(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(says), "{args:?}: {}", text(&out));
        assert!(text(&out).contains("Nothing was changed"), "{}", text(&out));
        w.check_step(&before, &format!("{args:?}"));
        assert_eq!(
            w.store().runs(100).unwrap().len(),
            before.journal.runs.len()
        );
    }

    // By full name: the stale link gives way, journaled.
    let out = w.cli(&["link", "ACME1", "Acme Inc"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("replaces the link to ListID"),
        "{}",
        text(&out)
    );
    let survivor = w.qb_named("Acme Inc")[0].list_id.clone();
    let company = w.company.display().to_string();
    let link = w.store().link_for_code(&company, "ACME1").unwrap().unwrap();
    assert_eq!(link.list_id, survivor);
    let store = w.store();
    let run = &store.runs(1).unwrap()[0];
    assert_eq!(run.mode, custsync::store::RunMode::Link);
    let kinds: Vec<EntryKind> = store
        .run_entries(run.id)
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, [EntryKind::Unlinked, EntryKind::Linked]);
    let (_, v) = w.cli_json(&["--dry-run"]);
    assert!(v["plan"]["stale"].as_array().unwrap().is_empty(), "{v}");
    // Matched by the link now; the names differ, as they did in QuickBooks before the merge.
    assert_eq!(v["plan"]["pairs"][0]["code"], "ACME1", "{v}");
    assert_eq!(v["plan"]["pairs"][0]["matched_by"], "linked", "{v}");

    // Another code cannot take it; a good link is not replaced.
    let out = w.cli(&["link", "OTHER", &survivor]);
    assert!(
        text(&out).contains("already linked to SMSTurbo customer ACME1"),
        "{}",
        text(&out)
    );
    let gadget = w.qb_customer("Gadget", &[]);
    let out = w.cli(&["link", "ACME1", &gadget]);
    assert!(
        text(&out).contains("which QuickBooks still has"),
        "{}",
        text(&out)
    );

    // Undo puts the stale link back.
    let out = w.cli(&["undo", &run.id.0.to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let link = w.store().link_for_code(&company, "ACME1").unwrap().unwrap();
    assert_eq!(link.list_id, old);
}

#[test]
fn unlink_keeps_a_customer_local_only_through_scheduled_runs_and_export_all() {
    let w = World::new();
    exported_and_linked(&w, "GONE1", "Gone Gadgets");
    w.file().delete_customer("Gone Gadgets").expect("delete");
    let out = w.cli(&["unlink", "GONE1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("Kept in SMSTurbo only"),
        "{}",
        text(&out)
    );
    for driver in DRIVERS {
        driver.step(&w, "after unlink");
    }
    assert!(w.qb_all().is_empty(), "never added again");
    let (_, v) = w.cli_json(&["--dry-run", "--export", "all"]);
    assert_eq!(v["plan"]["kept_local"][0]["code"], "GONE1", "{v}");
    let shown = w.cli(&["customers", "show", "GONE1", "--json"]);
    let detail: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(
        detail["kept_local_for"][0],
        w.company.display().to_string().as_str(),
        "{detail}"
    );
    assert!(detail["links"].as_array().unwrap().is_empty(), "{detail}");
    assert_eq!(detail["fields"]["name"], "Gone Gadgets", "{detail}");
    assert!(v["plan"]["exports"].as_array().unwrap().is_empty(), "{v}");
    assert!(v["plan"]["stale"].as_array().unwrap().is_empty(), "{v}");

    // Only the operator's explicit word adds it.
    let before = w.before();
    let (code, v) = w.cli_json(&["--missing-only", "--export-anyway", "GONE1"]);
    w.check_step(&before, "export anyway");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["result"]["added"], 1, "{v}");
    assert_eq!(w.qb_named("Gone Gadgets").len(), 1);
    let (_, v) = w.cli_json(&["--dry-run"]);
    assert!(
        v["plan"]["kept_local"].as_array().unwrap().is_empty(),
        "{v}"
    );
    assert_eq!(v["plan"]["exact_matches"], 1, "linked to the new one: {v}");
}

#[test]
fn adding_a_stale_link_again_moves_the_link_to_the_new_customer() {
    for driver in [Driver::Screen, Driver::Headless] {
        let w = World::new();
        let old = exported_and_linked(&w, "SHOP1", "Acme Shop");
        w.file().delete_customer("Acme Shop").expect("delete");
        // "all" never includes it.
        driver.step(&w, "all");
        assert!(w.qb_all().is_empty(), "{driver:?}");
        let before = w.before();
        match driver {
            Driver::Screen => {
                let r = w
                    .engine_run(Mode::MissingOnly, &ApplyOptions::default(), |_| Selection {
                        export_anyway: vec!["shop1".into()],
                        ..Selection::default()
                    })
                    .expect("run");
                assert_eq!(r.added, 1, "{r:?}");
            }
            _ => {
                let out = w.cli(&["sync", "--export-anyway", "SHOP1"]);
                assert_eq!(out.status.code(), Some(0), "{}", text(&out));
            }
        }
        w.check_step(&before, "export anyway");
        let new = w.qb_named("Acme Shop")[0].list_id.clone();
        let company = w.company.display().to_string();
        let link = w.store().link_for_code(&company, "SHOP1").unwrap().unwrap();
        assert_eq!(link.list_id, new, "{driver:?}");
        let store = w.store();
        let run = &store.runs(1).unwrap()[0];
        let entries = store.run_entries(run.id).unwrap();
        assert!(
            entries
                .iter()
                .any(|e| e.kind == EntryKind::Unlinked && e.list_id.as_deref() == Some(&old)),
            "{entries:?}"
        );
        // A code that is neither stale nor kept local only is refused, naming it.
        let out = w.cli(&["sync", "--export-anyway", "SHOP1"]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(
            text(&out).contains("--export-anyway is only for those"),
            "{}",
            text(&out)
        );
    }
}

/// A QuickBooks that will not answer ListDeletedQuery (status 1030) still synchronizes; the
/// stale row says "deleted or merged" without a date.
#[test]
fn a_quickbooks_that_does_not_report_deletions_does_not_fail_the_run() {
    let w = World::new();
    exported_and_linked(&w, "GONE1", "Gone Gadgets");
    w.file().delete_customer("Gone Gadgets").expect("delete");
    let before = w.before();
    let r = w
        .scheduled_over(&mut NoDeletedList::new(&w.company))
        .expect("scheduled run");
    w.check_step(&before, "without ListDeletedQuery");
    assert_eq!(r.stale.len(), 1, "{r:?}");
    assert!(
        r.stale[0].reason.starts_with(
            "QuickBooks no longer has the customer this was linked to: deleted or merged."
        ),
        "{r:?}"
    );
    let (planned, _store) = w
        .planned_over(NoDeletedList::new(&w.company), Mode::MissingOnly)
        .expect("planned");
    assert!(matches!(
        planned.snapshot().deletions,
        custsync::sync::stale::Deletions::Unavailable(_)
    ));
}

/// One ListDeletedQuery a run, the read's own: the stale row of a linked customer deleted in
/// QuickBooks is explained from it on an incremental read and on a full one, and when QuickBooks
/// refuses it during an incremental read the full read that follows does not ask again.
#[test]
fn a_run_asks_quickbooks_for_its_deletions_once() {
    use custsync::qb::sandbox::SandboxConnection;
    use custsync::sync::stale::Deletions;
    use custsync::testkit::{Recording, count_elements};
    let w = World::new();
    let list_id = exported_and_linked(&w, "GONE1", "Gone Gadgets");
    let run = |refuse: bool| {
        let (conn, exchanges) = Recording::new(SandboxConnection::new(&w.company));
        let conn = if refuse {
            conn.rewriting(crate::mirror::refuse_deletions)
        } else {
            conn
        };
        let (planned, _store) = w.planned_over(conn, Mode::MissingOnly).expect("planned");
        let asked: usize = exchanges
            .take()
            .iter()
            .map(|(request, _)| count_elements(request, "ListDeletedQueryRq"))
            .sum();
        let summary = planned.read_summary().to_string();
        (asked, summary, planned.snapshot().deletions.clone())
    };
    let known =
        |d: &Deletions| matches!(d, Deletions::Known(r) if r.len() == 1 && r[0].list_id == list_id);
    // The first read had no customers to take a watermark from; this one has.
    let (asked, summary, deletions) = run(false);
    assert_eq!((asked, deletions), (1, Deletions::NotAsked), "{summary}");
    w.file().delete_customer("Gone Gadgets").expect("delete");

    let (asked, summary, deletions) = run(false);
    assert_eq!(asked, 1, "{summary}");
    assert!(summary.contains("(incremental)"), "{summary}");
    assert!(known(&deletions), "{deletions:?}");

    let (asked, summary, deletions) = run(true);
    assert_eq!(asked, 1, "{summary}");
    assert!(summary.contains("ListDeletedQuery: 1030"), "{summary}");
    assert!(
        matches!(deletions, Deletions::Unavailable(_)),
        "{deletions:?}"
    );

    // QuickBooks answers again: the full read that follows asks once, and knows.
    let (asked, summary, deletions) = run(false);
    assert_eq!(asked, 1, "{summary}");
    assert!(summary.starts_with("read all"), "{summary}");
    assert!(known(&deletions), "{deletions:?}");
}

/// The sandbox, except that ListDeletedQuery is refused as a QuickBooks without it would.
struct NoDeletedList(custsync::qb::sandbox::SandboxConnection);

impl NoDeletedList {
    fn new(company: &std::path::Path) -> Self {
        NoDeletedList(custsync::qb::sandbox::SandboxConnection::new(company))
    }
}

impl custsync::qb::Connection for NoDeletedList {
    fn kind(&self) -> custsync::qb::ConnectionKind {
        self.0.kind()
    }

    fn open(
        &mut self,
        prompt: &mut dyn custsync::qb::AccessPrompt,
    ) -> Result<custsync::qb::SessionInfo, custsync::qb::QbError> {
        self.0.open(prompt)
    }

    /// The sandbox's answer, its ListDeletedQueryRs (sent beside other requests in one
    /// document) refused.
    fn process(&mut self, request: &str) -> Result<String, custsync::qb::QbError> {
        let response = crate::mirror::refuse_deletions(request, self.0.process(request)?)?;
        custsync::testkit::assert_valid_qbxml(&[&response]);
        Ok(response)
    }

    fn close(&mut self) {
        self.0.close();
    }
}

/// Found by the property test: after a linked customer was made a job, a new SMSTurbo customer
/// with its name is not added either (it would be the job's top-level twin), until the stale
/// row is decided.
#[test]
fn a_new_customer_named_like_a_customer_made_a_job_waits_for_that_row() {
    for driver in DRIVERS {
        let w = World::new();
        w.qb_customer("Echo", &[]);
        exported_and_linked(&w, "C3", "Cobalt");
        w.file().make_job("Cobalt", "Echo").expect("make-job");
        w.local("F6", "cobalt", &[]);
        let out = driver.step(&w, "a new customer named like the job");
        assert_eq!(w.qb_named("Cobalt").len(), 1, "{driver:?}: {out}");
        if !matches!(driver, Driver::Screen) {
            assert!(
                out.contains("QuickBooks has the job 'Echo:Cobalt'"),
                "{out}"
            );
        }
    }
}

/// Adding a stale link's customer again survives a crash right after QuickBooks added it: the
/// next run settles the batch (by its ExternalGUID) and moves the link then, adding nothing.
#[test]
fn adding_again_survives_a_crash_after_quickbooks_added_it() {
    let w = World::new();
    exported_and_linked(&w, "GONE1", "Gone Gadgets");
    w.file().delete_customer("Gone Gadgets").expect("delete");
    let census = w.census();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(&w.ws)
        .args(["sync", "--export-anyway", "GONE1"])
        .env("CUSTSYNC_FAULT", "export:after-send")
        .env_remove("CUSTSYNC_TRACE_DIR")
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the fault point stops it: {}",
        text(&out)
    );
    assert_eq!(w.qb_named("Gone Gadgets").len(), 1, "QuickBooks has it");

    let (code, v) = w.cli_json(&["--dry-run"]);
    assert_eq!(code, Some(0), "{v}");
    assert!(v["plan"]["stale"].as_array().unwrap().is_empty(), "{v}");
    assert!(v["plan"]["exports"].as_array().unwrap().is_empty(), "{v}");
    assert!(w.census().new_duplicates(&census).is_empty());
    let added = w.qb_named("Gone Gadgets");
    assert_eq!(added.len(), 1);
    let company = w.company.display().to_string();
    let link = w.store().link_for_code(&company, "GONE1").unwrap().unwrap();
    assert_eq!(
        link.list_id, added[0].list_id,
        "the link moved when it was settled"
    );
}
