//! The Synchronize screen when QuickBooks changed underneath custsync's links (issue 8): stale
//! rows with their reason and their ways out — link to a candidate, add again (confirmed),
//! keep in SMSTurbo only — on the real back end (store, sync core, sandbox QuickBooks) and, for
//! the key map, footer and help, on the fake one.

use crate::stale_support::Before;
use crate::support::Demo;
use custsync::qb::sandbox::{AppPrefs, Grant, SandboxConnection};
use custsync::qb::{APP_NAME, NoPrompt};
use custsync::qbxml::{CustomerAdd, CustomerData, Field, RequestBody};
use custsync::store::{RunMode, StoreRead, Workspace};
use custsync::sync::scheduled::ScheduledSync;
use custsync::sync::{ApplyOptions, Mode, NoProgress, Selection, SyncEngine};
use custsync::tui::fake::FakeBackend;
use custsync::tui::keymap::Key::*;
use custsync::tui::testing::Harness;

/// A linked customer: its code and QuickBooks name.
struct Linked {
    code: String,
    name: String,
}

/// The demo workspace after a first synchronization that added and imported everything it
/// could (so customers are linked), with custsync allowed in whenever the file is open.
fn synchronized_demo() -> (Demo, Vec<Linked>) {
    let d = Demo::create();
    let mut prefs = AppPrefs::new(APP_NAME);
    prefs.grant = Grant::WhenOpen;
    d.file().set_app_prefs(&prefs).unwrap();
    let mut store = d.store();
    let engine = SyncEngine::connect(
        SandboxConnection::new(&d.company),
        &mut NoPrompt,
        d.config(),
        None,
    )
    .unwrap();
    let planned = engine
        .load(&mut store, &mut NoProgress)
        .unwrap()
        .plan(Mode::MissingOnly, &mut NoProgress)
        .unwrap();
    let s = planned.snapshot();
    let selection = Selection {
        exports: planned
            .plan()
            .exportable(&s.locals)
            .map(str::to_string)
            .collect(),
        imports: planned
            .plan()
            .importable(&s.qb)
            .map(str::to_string)
            .collect(),
        ..Selection::default()
    };
    planned
        .apply(
            &mut store,
            &selection,
            &ApplyOptions::default(),
            &mut NoProgress,
        )
        .unwrap();
    let qb = crate::stale_support::qb_all(&d.company);
    let mut linked: Vec<Linked> = store
        .links(&d.company.display().to_string())
        .unwrap()
        .into_iter()
        .filter_map(|l| {
            let q = qb.iter().find(|q| q.list_id == l.list_id && !q.is_job())?;
            Some(Linked {
                code: l.code,
                name: q.data.get(Field::Name)?.to_string(),
            })
        })
        .collect();
    linked.sort_by(|a, b| a.code.cmp(&b.code));
    (d, linked)
}

fn screen_has(h: &mut Harness<Demo>, texts: &[&str]) {
    let s = h.screen();
    for t in texts {
        assert!(s.contains(t), "missing {t:?} in:\n{s}");
    }
}

/// The cursor on the row showing `text` in the focused pane (a filter in force, kept across a
/// comparison, is cleared first).
fn find_row(h: &mut Harness<Demo>, text: &str) {
    h.press(Char('/')).press(Esc).press(Char('/'));
    h.type_text(text);
    h.press(Enter);
}

#[test]
fn stale_rows_offer_their_ways_out_and_each_does_what_it_says() {
    let (d, linked) = synchronized_demo();
    assert!(linked.len() >= 4, "the demo links enough customers");
    let (merged, deleted, moved, parent) = (&linked[0], &linked[1], &linked[2], &linked[3]);
    // A QuickBooks user merges one into a new customer carrying its code, deletes one, and
    // moves one under another as a job.
    let survivor = "Survivor Holdings";
    custsync::testkit::sandbox_requests(
        &d.company,
        vec![RequestBody::CustomerAdd(Box::new(CustomerAdd {
            data: CustomerData::new()
                .with(Field::Name, survivor)
                .with(Field::AccountNumber, &merged.code),
            ..Default::default()
        }))],
    );
    let mut file = d.file();
    file.merge_customers(&merged.name, survivor).unwrap();
    file.delete_customer(&deleted.name).unwrap();
    file.make_job(&moved.name, &parent.name).unwrap();
    let company = d.company.clone();
    let before = Before::take(&company, &d.store());

    let mut h = d.harness((80, 24));
    h.press(Char('y'));
    screen_has(&mut h, &["Confirm company"]);
    h.press(Char('y')).press(Char('y'));
    screen_has(
        &mut h,
        &["Before you choose", "QuickBooks changed 3 linked customers"],
    );
    h.press(Enter);
    screen_has(&mut h, &["× 3 links changed"]);

    // The merged one: its survivor is the candidate; linking is one key away.
    find_row(&mut h, &merged.code);
    screen_has(&mut h, &["Enter Link, add again or keep local"]);
    h.press(Enter);
    screen_has(
        &mut h,
        &[
            "QuickBooks changed this link",
            "deleted or merged on",
            &format!("[ Link to '{survivor} ({})' ]", merged.code),
            "[ Keep in SMSTurbo only ]",
        ],
    );
    h.press(Enter);
    screen_has(
        &mut h,
        &[&format!("Linked {}", merged.code), "× 2 links changed"],
    );
    let key = company.display().to_string();
    let store = h.backend.store();
    let survivor_id = crate::stale_support::qb_all(&company)
        .into_iter()
        .find(|q| q.data.get(Field::Name) == Some(survivor))
        .unwrap()
        .list_id;
    assert_eq!(
        store
            .link_for_code(&key, &merged.code)
            .unwrap()
            .unwrap()
            .list_id,
        survivor_id
    );
    assert_eq!(store.runs(1).unwrap()[0].mode, RunMode::Link);

    // The one made a job: kept in SMSTurbo only.
    find_row(&mut h, &moved.code);
    h.press(Enter);
    screen_has(&mut h, &[&format!("is now a job of '{}'", parent.name)]);
    h.press(Right).press(Enter);
    screen_has(&mut h, &["kept in SMSTurbo only"]);
    assert!(store.link_for_code(&key, &moved.code).unwrap().is_none());
    assert_eq!(
        store.local_only(&key).unwrap(),
        std::slice::from_ref(&moved.code)
    );

    // The deleted one: added again, only after a confirmation naming the risk.
    find_row(&mut h, &deleted.code);
    h.press(Space);
    screen_has(&mut h, &["Cannot be checked until fixed"]);
    h.press(Enter).press(Enter);
    screen_has(
        &mut h,
        &["Add to QuickBooks again?", "hard to undo", "[ Yes ]"],
    );
    h.press(Char('y'));
    screen_has(&mut h, &["Checked: it is added to QuickBooks again"]);
    h.press(Char('y'));
    screen_has(
        &mut h,
        &["1 customer added to QuickBooks again, as you confirmed"],
    );
    h.press(Char('y'));
    screen_has(&mut h, &["Export Completed"]);
    // The screen lets go of the workspace; the demo's folder stays.
    let demo = {
        let h = h;
        h.backend
    };
    let store = demo.store();
    before.check(&company, &store, "the screen's ways out");
    let again = crate::stale_support::qb_all(&company);
    let new = again
        .iter()
        .find(|q| q.data.get(Field::Name) == Some(deleted.name.as_str()))
        .expect("added again");
    assert_eq!(
        store
            .link_for_code(&key, &deleted.code)
            .unwrap()
            .unwrap()
            .list_id,
        new.list_id,
        "the link follows the new customer"
    );

    // A scheduled run afterwards adds nothing: the kept customer stays local.
    let before = Before::take(&company, &store);
    let ws = Workspace::open(Some(demo.path())).unwrap();
    let mut config = ws.load_config().unwrap();
    config.schedule.export_missing = true;
    config.schedule.import_missing = true;
    let r = ScheduledSync::new(&ws, config)
        .run_once(&mut SandboxConnection::new(&company))
        .unwrap();
    drop(ws);
    before.check(&company, &store, "scheduled run after");
    assert!(r.stale.is_empty(), "{r:?}");
    assert_eq!(r.run.as_ref().map_or(0, |r| r.added), 0, "{r:?}");
}

/// The key map: Enter on a stale row (and only there) opens its ways out; the footer and `?`
/// help say so; Esc leaves it as it was.
#[test]
fn the_ways_out_are_in_the_key_map_footer_and_help() {
    let mut h = Harness::new(FakeBackend::demo(), 80, 24);
    {
        let gone = "800000FF-1446676743".to_string();
        let mut s = h.backend.state();
        s.links.push(("C1003".into(), gone.clone()));
        s.deleted_list_ids.push((gone, "2026-03-02".into()));
    }
    h.keys(crate::support::TO_THE_QUESTION);
    // Missing customers only; then the notice that a link changed.
    h.press(Enter);
    assert!(
        h.screen()
            .contains("QuickBooks changed 1 linked customer underneath")
    );
    h.press(Enter);
    // On an ordinary row, Enter does nothing and the footer does not offer it.
    h.press(Down);
    assert!(!h.screen().contains("Link, add again or keep local"));
    h.press(Enter);
    assert!(!h.screen().contains("QuickBooks changed this link"));
    // Help on the Synchronize screen says what the marks are and what Enter does on them.
    h.press(Char('?'));
    let help = h.screen();
    assert!(help.contains("On a row marked × (QuickBooks"), "{help}");
    h.press(Esc);
    h.press(Up);
    assert!(h.screen().contains("Enter Link, add again or keep local"));
    h.press(Char('?'));
    let help = h.screen();
    assert!(
        help.contains("A row QuickBooks changed underneath"),
        "{help}"
    );
    h.press(Esc);
    h.press(Enter);
    let s = h.screen();
    // No candidate: add again or keep local.
    assert!(s.contains("[ Add to QuickBooks again… ]"), "{s}");
    assert!(!s.contains("[ Link to"), "{s}");
    h.press(Esc);
    assert!(!h.screen().contains("QuickBooks changed this link"));
    assert!(h.backend.state().links.iter().any(|(c, _)| c == "C1003"));
    // At 60×15 the dialog still shows every way out.
    h.resize(60, 15);
    h.press(Enter);
    let s = h.screen();
    for b in [
        "[ Add to QuickBooks again… ]",
        "[ Keep in SMSTurbo only ]",
        "[ Cancel ]",
    ] {
        assert!(s.contains(b), "{b} at 60×15:\n{s}");
    }
}

/// A customer's detail (its edit form) says how it is linked to QuickBooks.
#[test]
fn the_customer_form_says_how_the_customer_is_linked() {
    let mut h = Harness::new(FakeBackend::demo(), 100, 30);
    {
        let mut s = h.backend.state();
        s.kept_local.push("C1001".into());
        s.links.push(("C1002".into(), "80000001-1446676743".into()));
    }
    // The list is in name order: Birchwood Hardware (C1001), then Cobalt Marine (C1002).
    h.press(Char('e'));
    let s = h.screen();
    assert!(
        s.contains("QuickBooks: kept in SMSTurbo only for /demo/Acme Books.QBW"),
        "{s}"
    );
    h.press(Esc).press(Down).press(Char('e'));
    let s = h.screen();
    assert!(
        s.contains("QuickBooks: linked to QuickBooks ListID 80000001-1446676743"),
        "{s}"
    );
}
