//! The seed's Customer Sync workflow through the TUI on the real back end (store, setup, sandbox
//! QuickBooks, sync core): keys in; the screen, and what the SMSTurbo database, config.toml and
//! the sandbox company then hold, out. No real terminal.

mod tui_support;

use custsync::config::ConnectionKind;
use custsync::qb::APP_NAME;
use custsync::qb::sandbox::Grant;
use custsync::qbxml::{Field, NameList};
use custsync::store::{CustomerStatus, StoreRead};
use custsync::sync::ReplaceGroup;
use custsync::tui::keymap::Key::*;
use custsync::tui::testing::Harness;
use custsync::tui::worker::Command;
use tui_support::{COMPANY_NAME, Demo};

type H = Harness<Demo>;

fn demo() -> H {
    Demo::create().harness((80, 24))
}

fn grant(h: &H) -> Grant {
    h.backend.file().app_prefs(APP_NAME).unwrap().grant
}

fn screen_has(h: &mut H, texts: &[&str]) {
    let s = h.screen();
    for t in texts {
        assert!(s.contains(t), "missing {t:?} in:\n{s}");
    }
}

/// Synchronize, then the certificate choice (0 = No … 3 = Always) with its confirmation and
/// "Access Confirmation".
fn first_access(h: &mut H, choice: usize) {
    h.press(Char('y'));
    screen_has(h, &["QuickBooks – Application Certificate"]);
    assert!(h.app.waiting_for_operator());
    for _ in 0..choice {
        h.press(Down);
    }
    h.press(Enter);
    if choice > 0 {
        screen_has(h, &["Are you sure you want to allow access?"]);
        h.press(Char('y'));
        screen_has(h, &["Access Confirmation"]);
        h.press(Enter);
    }
}

/// Access "whenever the file is open", then Yes to "Synchronize now?" and to the company.
fn connected(h: &mut H) {
    first_access(h, 2);
    screen_has(h, &["Synchronize now?"]);
    h.press(Char('y'));
    screen_has(h, &["Confirm company", COMPANY_NAME]);
    h.press(Char('y'));
    screen_has(h, &["Show Missing Customers Only?"]);
}

/// Moves the cursor of the focused pane to the row showing `text`, with the filter.
fn find_row(h: &mut H, text: &str) {
    h.press(Char('/'));
    h.type_text(text);
    h.press(Enter);
}

#[test]
fn no_to_the_certificate_is_refused_explained_and_the_sandbox_can_ask_again() {
    let mut h = demo();
    first_access(&mut h, 0);
    screen_has(
        &mut h,
        &[
            "QuickBooks refused custsync",
            "Integrated Applications",
            "0x80040420",
            "Let the sandbox ask again",
        ],
    );
    assert_eq!(grant(&h), Grant::Denied);
    // Asking again is refused without a dialog…
    h.press(Right).press(Enter);
    h.press(Char('y'));
    screen_has(&mut h, &["0x80040420"]);
    assert!(!h.app.waiting_for_operator());
    // …until the sandbox forgets the answer (the button QuickBooks' user has in Integrated
    // Applications), and then asks again.
    h.press(Enter);
    screen_has(&mut h, &["Sandbox changed", "Synchronize again now?"]);
    assert_eq!(grant(&h), Grant::None);
    h.press(Char('y'));
    screen_has(&mut h, &["QuickBooks – Application Certificate"]);
}

#[test]
fn prompt_each_time_then_no_opens_setup_and_the_next_connection_asks_again() {
    let mut h = demo();
    first_access(&mut h, 1);
    assert_eq!(grant(&h), Grant::PromptEachTime);
    screen_has(&mut h, &["Synchronize now?"]);
    h.press(Char('n'));
    screen_has(&mut h, &["SetUp", "Replace Options"]);
    assert!(h.sent.contains(&Command::Disconnect));
    h.press(Esc);
    h.press(Char('y'));
    screen_has(&mut h, &["Allow access this time?"]);
    h.press(Char('y'));
    // 5 customers and a job.
    screen_has(&mut h, &["Confirm company", COMPANY_NAME, "Customers:  6"]);
    h.press(Char('n'));
    screen_has(&mut h, &["Nothing was changed"]);
    // A No to "this time" is refused.
    h.press(Char('y')).press(Char('n'));
    screen_has(&mut h, &["0x80040420"]);
    assert_eq!(grant(&h), Grant::PromptEachTime);
}

#[test]
fn when_open_then_missing_only_yes_lists_each_sides_missing_customers() {
    let mut h = demo();
    connected(&mut h);
    assert_eq!(grant(&h), Grant::WhenOpen);
    h.press(Char('y'));
    let s = h.screen();
    assert!(s.contains("missing customers only"), "{s}");
    for name in [
        "Delta Bakery",
        "Granite Works",
        "ACME Supply",
        "Bayside Marina",
    ] {
        assert!(s.contains(name), "{name} missing:\n{s}");
    }
    for name in ["Cobalt Marine", "Birchwood", "Dock repair"] {
        assert!(!s.contains(name), "{name} listed:\n{s}");
    }
    screen_has(
        &mut h,
        &["SMSTurbo — 0 of 7 checked", "QuickBooks — 0 of 2 checked"],
    );
}

#[test]
fn always_with_quickbooks_closed_is_refused_then_the_fix_lets_it_in() {
    let mut h = demo();
    // The seed's walkthrough: QuickBooks is not running. o closes the file in the sandbox.
    h.press(Char('o'));
    screen_has(&mut h, &["Sandbox QuickBooks: file closed"]);
    assert!(!h.backend.file().is_open_in_quickbooks().unwrap());
    h.press(Char('y'));
    h.keys(&[Down, Down, Down]);
    screen_has(&mut h, &["Login as: ‹ Admin ›"]);
    h.keys(&[Enter, Char('y'), Enter]);
    screen_has(
        &mut h,
        &[
            "QuickBooks does not let custsync log in automatically",
            "Allow this application to login automatically",
            "--auto-login on",
            "0x8004041D",
            "Allow automatic login in the sandbox",
        ],
    );
    let prefs = h.backend.file().app_prefs(APP_NAME).unwrap();
    assert!(matches!(prefs.grant, Grant::Always { .. }));
    assert!(!prefs.auto_login);
    // The fix is the focused button.
    h.press(Enter);
    screen_has(&mut h, &["Sandbox changed", "Synchronize again now?"]);
    assert!(h.backend.file().app_prefs(APP_NAME).unwrap().auto_login);
    h.press(Char('y'));
    screen_has(&mut h, &["Confirm company", COMPANY_NAME]);
    assert!(!h.backend.file().is_open_in_quickbooks().unwrap());
    screen_has(&mut h, &["auto-login on"]);
}

#[test]
fn setup_saves_into_config_toml_and_refuses_a_file_that_is_not_a_sandbox_company() {
    let mut h = demo();
    h.press(Char('s'));
    // Tab bar → File Info → pattern → connection → Include Customer Types.
    h.keys(&[Tab, Tab, Tab, Tab]);
    h.type_text("Retail");
    // Export statuses: uncheck Inactive.
    h.keys(&[Tab, Tab, Tab, Tab, Space]);
    // Replace Options: phones.
    h.keys(&[Char(']'), Down, Down, Down, Down, Space]);
    h.press(Ctrl('s'));
    screen_has(&mut h, &["Setup saved.", "Maintain Customer"]);
    let cfg = h.backend.config();
    assert_eq!(cfg.import.include_customer_types, vec!["Retail"]);
    assert!(!cfg.export.statuses.contains(&CustomerStatus::Inactive));
    assert!(cfg.replace.groups.contains(&ReplaceGroup::Phones));
    assert_eq!(h.app.config(), &cfg);

    // A text file is not a company: refused next to File Info, config.toml untouched.
    let text = h.backend.path().join("notes.QBW");
    std::fs::write(&text, "not a company").unwrap();
    h.press(Char('s')).press(Tab);
    h.keys(&[Home, Ctrl('k')]);
    h.type_text(&text.display().to_string());
    h.press(Ctrl('s'));
    screen_has(
        &mut h,
        &["✗ File Info:", "is not a custsync sandbox company"],
    );
    assert_eq!(h.backend.config(), cfg);
    h.press(Esc).press(Char('y'));

    // The Web Connector: a listen address other computers reach needs HTTPS.
    h.press(Char('s'));
    h.keys(&[Tab, Tab, Tab, Right, Tab, Home, Ctrl('k')]);
    h.type_text("0.0.0.0:8089");
    h.press(Ctrl('s'));
    screen_has(&mut h, &["lets other computers connect"]);
    assert_eq!(h.backend.config().connection.kind, ConnectionKind::Sandbox);
    h.keys(&[Home, Ctrl('k')]);
    h.type_text("127.0.0.1:8089");
    h.press(Ctrl('s'));
    screen_has(
        &mut h,
        &["Setup saved.", "Connection: QuickBooks Web Connector"],
    );
    let cfg = h.backend.config();
    assert_eq!(cfg.connection.kind, ConnectionKind::WebConnector);
    assert_eq!(cfg.connection.web_connector.listen, "127.0.0.1:8089");
}

#[test]
fn the_qwc_file_is_written_for_a_loopback_web_connector() {
    let mut h = demo();
    h.press(Char('s'));
    h.keys(&[Tab, Tab, Tab, Right, Ctrl('s')]);
    screen_has(&mut h, &["Setup saved."]);
    // Back in SetUp, down to the button.
    h.press(Char('s'));
    h.keys(&[Tab, Tab, Tab, Tab, Tab, Tab, Tab, Tab, Tab, Enter]);
    screen_has(
        &mut h,
        &["custsync.qwc; add it to the QuickBooks Web Connector"],
    );
    let qwc = std::fs::read_to_string(h.backend.path().join("custsync.qwc")).unwrap();
    assert!(
        qwc.contains("<AppURL>http://localhost:8089/qbwc</AppURL>"),
        "{qwc}"
    );
    assert!(qwc.contains("<UserName>custsync</UserName>"), "{qwc}");
}

#[test]
fn rows_with_problems_cannot_be_checked_and_say_why_in_plain_words() {
    let mut h = demo();
    connected(&mut h);
    h.press(Char('y'));
    for (row, why) in [
        (
            "acme",
            "QuickBooks already has a vendor named 'ACME Supply'",
        ),
        ("extra", "41"),
        ("imports", "cannot store: Ł"),
    ] {
        find_row(&mut h, row);
        h.press(Space);
        let s = h.screen();
        assert!(s.contains("Cannot be checked until fixed"), "{row}:\n{s}");
        assert!(s.contains(why), "{row}: {why:?} not said:\n{s}");
        assert!(s.contains("[!]"), "{s}");
        h.press(Char('/')).press(Esc);
    }
    // Check All skips them.
    h.press(Char('a'));
    screen_has(&mut h, &["SMSTurbo — 4 of 7 checked"]);
}

#[test]
fn check_all_synchronize_and_export_completed_with_a_vendor_collision() {
    let mut h = Demo::create().harness((120, 40));
    connected(&mut h);
    h.press(Char('y'));
    h.press(Char('a'));
    h.press(Tab).press(Char('a'));
    screen_has(
        &mut h,
        &["SMSTurbo — 4 of 7 checked", "QuickBooks — 2 of 2 checked"],
    );
    // Meanwhile someone adds a vendor in QuickBooks with a checked customer's name.
    h.backend.add_name(NameList::Vendor, "Orbit Optics");
    h.press(Char('s'));
    screen_has(
        &mut h,
        &[
            "4 customers added to QuickBooks",
            "2 customers imported into SMSTurbo",
            "No existing QuickBooks customer is changed.",
        ],
    );
    let before = h.backend.qb_customers().len();
    h.press(Char('y'));
    screen_has(
        &mut h,
        &[
            "Export Completed",
            "Added to QuickBooks: 3",
            "Imported into SMSTurbo: 2",
            "Failed: 1",
            "Orbit Optics: QuickBooks already has a",
            "named 'Orbit Optics'",
            "rename the SMSTurbo customer's QuickBooks name",
        ],
    );
    // QuickBooks has each exported customer once, with its code and status.
    assert_eq!(h.backend.qb_customers().len(), before + 3);
    let delta = h.backend.qb_named("Delta Bakery");
    assert_eq!(delta.len(), 1);
    assert_eq!(delta[0].data.get(Field::AccountNumber), Some("C1003"));
    assert!(!h.backend.qb_named("Evergreen Landscaping")[0].is_active());
    assert!(h.backend.qb_named("Orbit Optics").is_empty());
    // SMSTurbo has the imports.
    let customers = h.backend.customers();
    assert!(customers.iter().any(|c| c.name() == "Bayside Marina"));
    let kettle = h
        .backend
        .customer("Q102")
        .expect("imported under its account number");
    assert_eq!(kettle.data.get(Field::CustomerType), Some("Wholesale"));
    // OK: back home with the new list.
    h.press(Enter);
    screen_has(&mut h, &["SMSTurbo customers (12)", "Copper Kettle Diner"]);
    // A second look finds only what is left.
    h.press(Char('y')).press(Char('y')).press(Char('y'));
    let s = h.screen();
    assert!(!s.contains("Delta Bakery"), "{s}");
    assert!(s.contains("Orbit Optics"), "{s}");
    find_row(&mut h, "orbit");
    let s = h.screen();
    assert!(
        s.contains("QuickBooks already has a vendor named 'Orbit Optics'"),
        "now found while planning:\n{s}"
    );
}

#[test]
fn missing_only_no_lists_not_in_sync_pairs_and_applies_only_the_checked_replace_options() {
    let demo = Demo::create();
    let mut cfg = demo.config();
    cfg.replace.groups.insert(ReplaceGroup::Phones);
    cfg.save(&demo.path().join("config.toml")).unwrap();
    let mut h = demo.harness((120, 40));
    connected(&mut h);
    h.press(Char('n'));
    screen_has(
        &mut h,
        &[
            "every customer not in sync",
            "1 in sync",
            "Cobalt Marine",
            "Foxglove Florist",
        ],
    );
    find_row(&mut h, "cobalt");
    // SMSTurbo's value against QuickBooks', and whether it is replaced.
    let s = h.screen();
    let phone = s.lines().find(|l| l.contains("555-0299")).unwrap_or("");
    assert!(
        phone.contains("555-0101") && phone.contains("replaced"),
        "{s}"
    );
    let addr = s.lines().find(|l| l.contains("9 Harbor Rd")).unwrap_or("");
    assert!(addr.contains("101 Main St") && addr.contains("kept"), "{s}");
    h.press(Space);
    // The pair is checked on both sides.
    screen_has(&mut h, &["QuickBooks — 1 of"]);
    h.press(Char('s'));
    screen_has(&mut h, &["1 customer updated in SMSTurbo: Phone"]);
    h.press(Char('y'));
    screen_has(&mut h, &["Export Completed", "Updated in SMSTurbo: 1"]);
    let cobalt = h.backend.customer("C1002").unwrap();
    assert_eq!(cobalt.data.get(Field::Phone), Some("555-0299"));
    assert_eq!(cobalt.data.get(Field::BillAddr1), Some("101 Main St"));
    // QuickBooks' record is as it was: custsync never changes an existing customer.
    let qb = &h.backend.qb_named("Cobalt Marine")[0];
    assert_eq!(qb.data.get(Field::BillAddr1), Some("9 Harbor Rd"));
}

#[test]
fn history_lists_runs_and_undo_asks_then_removes_the_imports() {
    let mut h = demo();
    connected(&mut h);
    h.press(Char('y'))
        .press(Tab)
        .press(Char('a'))
        .press(Char('s'))
        .press(Char('y'));
    screen_has(&mut h, &["Imported into SMSTurbo: 2"]);
    h.press(Enter);
    assert_eq!(h.backend.customers().len(), 12);
    h.press(Char('h'));
    screen_has(&mut h, &["2 imported", "History"]);
    h.press(Char('u'));
    screen_has(&mut h, &["Undo run"]);
    h.press(Enter); // No is the default
    assert_eq!(h.backend.customers().len(), 12);
    h.press(Char('u')).press(Char('y'));
    screen_has(&mut h, &["Undid run", "removed 2 imported customers"]);
    assert_eq!(h.backend.customers().len(), 10);
    assert!(h.backend.customer("Q102").is_none());
    // The journal has the undo as a run of its own, and the first can't be undone twice.
    let runs = h.backend.store().runs(10).unwrap();
    assert_eq!(runs.len(), 2);
    screen_has(&mut h, &["undone by run 2 · 2 imported"]);
    h.press(Down).press(Up).press(Char('u'));
    screen_has(&mut h, &["no local changes left to undo"]);
}

#[test]
fn customers_are_added_edited_and_deleted_in_the_database() {
    let mut h = demo();
    h.press(Char('a'));
    h.type_text("C3001");
    h.press(Tab);
    h.type_text("Golden Gate Ceramics");
    h.press(Ctrl('s'));
    screen_has(
        &mut h,
        &[
            "Saved Golden Gate Ceramics (C3001).",
            "SMSTurbo customers (11)",
        ],
    );
    assert_eq!(
        h.backend.customer("C3001").unwrap().name(),
        "Golden Gate Ceramics"
    );
    // A code already used (in another case) is refused next to the field by the store.
    h.press(Char('a'));
    h.type_text("c1001");
    h.press(Tab);
    h.type_text("Somebody Else");
    h.press(Ctrl('s'));
    screen_has(&mut h, &["a customer with code c1001 already exists"]);
    assert_eq!(h.backend.customers().len(), 11);
    h.press(Esc).press(Char('y'));
    // Delete asks first.
    h.press(Char('/'));
    h.type_text("golden");
    h.press(Enter).press(Char('d'));
    screen_has(
        &mut h,
        &["Delete Golden Gate Ceramics (C3001) from SMSTurbo?"],
    );
    h.press(Char('y'));
    assert!(h.backend.customer("C3001").is_none());
}

#[test]
fn keys_walked_match_the_key_map() {
    // The keys the workflow tests use are the ones the footer advertises.
    let mut h = demo();
    let footer = h.screen().lines().last().unwrap_or("").to_string();
    for k in ["y Synchronize", "s SetUp", "h History"] {
        assert!(footer.contains(k), "{footer}");
    }
    h.press(Char('?'));
    screen_has(&mut h, &["Open/close the file in the sandbox QuickBooks"]);
}
