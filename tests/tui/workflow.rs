//! The seed's Customer Sync workflow through the TUI on the real back end (store, setup, sandbox
//! QuickBooks, sync core): keys in; the screen, and what the SMSTurbo database, config.toml and
//! the sandbox company then hold, out. No real terminal.

use crate::support::{COMPANY_NAME, Demo};
use custsync::config::ConnectionKind;
use custsync::qb::APP_NAME;
use custsync::qb::sandbox::Grant;
use custsync::qbxml::{Field, NameList};
use custsync::store::{CustomerStatus, StoreRead};
use custsync::sync::ReplaceGroup;
use custsync::tui::keymap::Key::*;
use custsync::tui::testing::Harness;
use custsync::tui::worker::Command;

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
    // …until the sandbox forgets the answer (what QuickBooks' user would do in Integrated
    // Applications), and then it asks again.
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
    // 18 customers and a job.
    screen_has(&mut h, &["Confirm company", COMPANY_NAME, "Customers:  20"]);
    h.press(Char('n'));
    screen_has(&mut h, &["Nothing was changed"]);
    // No to "this time" is a refusal.
    h.press(Char('y')).press(Char('n'));
    screen_has(&mut h, &["0x80040420"]);
    assert_eq!(grant(&h), Grant::PromptEachTime);
}

#[test]
fn when_open_then_missing_only_yes_lists_each_sides_missing_customers() {
    let mut h = Demo::create().harness((120, 40));
    connected(&mut h);
    assert_eq!(grant(&h), Grant::WhenOpen);
    h.press(Char('y'));
    let s = h.screen();
    assert!(s.contains("missing customers only"), "{s}");
    for name in [
        "Alpine Outfitters",
        "Elm Street Books",
        "ACME Supply",
        "Maple Leaf Catering",
    ] {
        assert!(s.contains(name), "{name} missing:\n{s}");
    }
    // In sync, not in sync, and a job: not listed.
    for name in ["Baker Street", "Harbor Marine", "Kitchen remodel"] {
        assert!(!s.contains(name), "{name} listed:\n{s}");
    }
    screen_has(
        &mut h,
        &[
            "6 in sync",
            "SMSTurbo — 0 of 13 checked",
            "QuickBooks — 0 of 9 checked",
        ],
    );
}

/// The Synchronize screen says how QuickBooks was read; `R` reads every customer again, in
/// place (`r` compares again reading only the changes); the next synchronization reads only
/// what changed in QuickBooks since.
#[test]
fn the_panes_say_how_quickbooks_was_read_and_capital_r_reads_everything_again() {
    let mut h = Demo::create().harness((120, 40));
    connected(&mut h);
    h.press(Char('y'));
    screen_has(
        &mut h,
        &["QuickBooks: read all 20 customers (first synchronization with this company)"],
    );
    h.press(Char('R'));
    screen_has(
        &mut h,
        &[
            "QuickBooks: read all 20 customers (as asked)",
            "Compared again; checks kept.",
        ],
    );
    assert!(h.sent.contains(&Command::Plan {
        missing_only: true,
        read_all: true
    }));
    h.press(Char('r'));
    screen_has(&mut h, &["QuickBooks: no changes since", "(incremental)"]);
    // Out, and in again: only the changes.
    h.press(Esc);
    h.press(Char('y'));
    screen_has(&mut h, &["Confirm company"]);
    h.press(Char('y')).press(Char('y'));
    screen_has(&mut h, &["QuickBooks: no changes since", "(incremental)"]);
    // The key is in the help, from the one key map; the 80-column footer keeps its room for
    // the everyday keys (Space, a) rather than a rarely needed full read.
    h.press(Char('?'));
    screen_has(
        &mut h,
        &["R              Read all QuickBooks customers again"],
    );
}

/// A company file restored from a backup is read in full, and the operator is told why, in a
/// notice over the panes.
#[test]
fn a_restored_company_file_is_read_in_full_and_the_operator_told() {
    let mut h = Demo::create().harness((120, 40));
    connected(&mut h);
    h.press(Char('y'));
    screen_has(&mut h, &["first synchronization with this company"]);
    h.press(Esc);
    let company = h.backend.company.clone();
    let backup = company.with_extension("backup");
    std::fs::copy(&company, &backup).unwrap();
    h.backend
        .file()
        .edit_customer("Baker Street Bakery", &["Phone=555-0199".parse().unwrap()])
        .unwrap();
    h.press(Char('y'));
    h.press(Char('y')).press(Char('y'));
    screen_has(&mut h, &["(incremental)"]);
    h.press(Esc);
    std::fs::copy(&backup, &company).unwrap();
    h.press(Char('y'));
    h.press(Char('y')).press(Char('y'));
    screen_has(
        &mut h,
        &[
            "custsync read every QuickBooks customer",
            "went back in time",
        ],
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
    // Replace Options: the demo has phones and credit limit; add company name.
    h.keys(&[Char(']'), Space]);
    h.press(Ctrl('s'));
    screen_has(&mut h, &["Setup saved.", "Maintain Customer"]);
    let cfg = h.backend.config();
    assert_eq!(cfg.import.include_customer_types, vec!["Retail"]);
    assert!(!cfg.export.statuses.contains(&CustomerStatus::Inactive));
    assert!(cfg.replace.groups.contains(&ReplaceGroup::CompanyName));
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
    h.keys(&[Tab, Tab, Tab, Tab, Tab, Tab, Tab, Tab, Tab, Tab, Enter]);
    screen_has(&mut h, &["custsync.qwc; add it to the QuickBooks Web"]);
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
        ("northwestern", "41"),
        ("trading", "cannot store: Ł"),
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
    screen_has(&mut h, &["SMSTurbo — 9 of 13 checked"]);
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
        &["SMSTurbo — 9 of 13 checked", "QuickBooks — 8 of 9 checked"],
    );
    // Meanwhile someone adds a vendor in QuickBooks with a checked customer's name.
    h.backend.add_name(NameList::Vendor, "Alpine Outfitters");
    h.press(Char('y'));
    screen_has(
        &mut h,
        &[
            "9 customers added to QuickBooks",
            "8 customers imported into SMSTurbo",
            "No existing QuickBooks customer is changed.",
        ],
    );
    let before = h.backend.qb_customers().len();
    h.press(Char('y'));
    screen_has(
        &mut h,
        &[
            "Export Completed",
            "Added to QuickBooks: 8",
            "Imported into SMSTurbo: 8",
            "Failed: 1",
            "Alpine Outfitters: QuickBooks already has a",
            // The name was free when planned: the truth is that it was added meanwhile.
            "another workspace or a QuickBooks user added it meanwhile",
            "Synchronize again",
        ],
    );
    // QuickBooks has each exported customer once, with its code and status.
    assert_eq!(h.backend.qb_customers().len(), before + 8);
    let bright = h.backend.qb_named("Bright Path Electric");
    assert_eq!(bright.len(), 1);
    assert_eq!(bright[0].data.get(Field::AccountNumber), Some("BRI310"));
    assert!(!h.backend.qb_named("Elm Street Books")[0].is_active());
    assert!(h.backend.qb_named("Alpine Outfitters").is_empty());
    // SMSTurbo has the imports, under QuickBooks' account number where it has one.
    let customers = h.backend.customers();
    assert!(
        customers
            .iter()
            .any(|c| c.name() == "Lakeside Dental Group")
    );
    let maple = h
        .backend
        .customer("MAP510")
        .expect("imported under its account number");
    assert_eq!(maple.data.get(Field::CustomerType), Some("Retail"));
    // OK: back home with the new list.
    h.press(Enter);
    screen_has(&mut h, &["SMSTurbo customers (31)", "Maple Leaf Catering"]);
    // A second look finds only what is left, and now the vendor while planning.
    h.press(Char('y')).press(Char('y')).press(Char('y'));
    let s = h.screen();
    assert!(!s.contains("Bright Path"), "{s}");
    find_row(&mut h, "alpine");
    screen_has(
        &mut h,
        &["QuickBooks already has a vendor named 'Alpine Outfitters'"],
    );
}

#[test]
fn missing_only_no_lists_not_in_sync_pairs_and_applies_only_the_checked_replace_options() {
    // The demo replaces phones and credit limits, nothing else.
    let demo = Demo::create();
    let groups = demo.config().replace.groups;
    assert!(groups.contains(&ReplaceGroup::CreditLimit));
    assert!(!groups.contains(&ReplaceGroup::BillAddress));
    let mut h = demo.harness((120, 40));
    connected(&mut h);
    h.press(Char('n'));
    screen_has(
        &mut h,
        &[
            "every customer not in sync",
            "SMSTurbo — 0 of 17 checked",
            "QuickBooks — 0 of 13 checked",
            "Harbor Marine Supply",
            "Kestrel Farms",
            // Pairs and missing rows are told apart by a mark.
            "+ missing · ≠ differs",
            "[ ] ≠ HAR200",
            "[ ] + ALP300",
        ],
    );
    find_row(&mut h, "ironwood");
    // SMSTurbo's value against QuickBooks', and whether it is replaced.
    let s = h.screen();
    let credit = s.lines().find(|l| l.contains("12000.00")).unwrap_or("");
    assert!(
        credit.contains("8000.00") && credit.contains("replaced"),
        "{s}"
    );
    let addr = s
        .lines()
        .find(|l| l.contains("92 Oak Street"))
        .unwrap_or("");
    assert!(addr.contains("90 Oak St") && addr.contains("kept"), "{s}");
    h.press(Space);
    // The pair is checked on both sides.
    screen_has(&mut h, &["SMSTurbo — 1 of 17", "QuickBooks — 1 of 13"]);
    // Juniper Cafe differs only in fields no checked Replace Option covers.
    h.press(Char('/')).press(Esc);
    find_row(&mut h, "juniper");
    h.press(Space);
    h.press(Char('y'));
    screen_has(
        &mut h,
        &[
            "1 customer updated in SMSTurbo: Credit limit",
            "1 not-in-sync customer left as it is",
        ],
    );
    h.press(Char('y'));
    screen_has(&mut h, &["Export Completed", "Updated in SMSTurbo: 1"]);
    let ironwood = h.backend.customer("IRO210").unwrap();
    assert_eq!(ironwood.data.get(Field::CreditLimit), Some("12000.00"));
    assert_eq!(ironwood.data.get(Field::BillAddr1), Some("90 Oak St"));
    let juniper = h.backend.customer("JUN220").unwrap();
    assert_eq!(juniper.data.get(Field::Email), None);
    // QuickBooks' record is as it was: custsync never changes an existing customer.
    let qb = &h.backend.qb_named("Ironwood Cabinets")[0];
    assert_eq!(qb.data.get(Field::BillAddr1), Some("92 Oak Street"));
    assert_eq!(qb.data.get(Field::CreditLimit), Some("12000.00"));
}

#[test]
fn history_lists_runs_and_undo_asks_then_removes_the_imports() {
    let mut h = demo();
    connected(&mut h);
    h.press(Char('y'))
        .press(Tab)
        .press(Char('a'))
        .press(Char('y'))
        .press(Char('y'));
    screen_has(&mut h, &["Imported into SMSTurbo: 8"]);
    h.press(Enter);
    assert_eq!(h.backend.customers().len(), 31);
    h.press(Char('h'));
    screen_has(&mut h, &["8 imported", "History"]);
    h.press(Char('u'));
    screen_has(&mut h, &["Undo run"]);
    h.press(Enter); // No is the default
    assert_eq!(h.backend.customers().len(), 31);
    h.press(Char('u')).press(Char('y'));
    screen_has(&mut h, &["Undid run", "removed 8 imported customers"]);
    assert_eq!(h.backend.customers().len(), 23);
    assert!(h.backend.customer("MAP510").is_none());
    // The journal has the undo as a run of its own, and the first can't be undone twice.
    let runs = h.backend.store().runs(10).unwrap();
    assert_eq!(runs.len(), 2);
    screen_has(&mut h, &["undone by run 2 · 8 imported"]);
    h.press(Down).press(Char('u'));
    screen_has(&mut h, &["no local changes left to undo"]);
}

#[test]
fn customers_are_added_and_deleted_in_the_database() {
    let mut h = demo();
    h.press(Char('n'));
    h.type_text("C3001");
    h.press(Tab);
    h.type_text("Golden Gate Ceramics");
    h.press(Ctrl('s'));
    screen_has(
        &mut h,
        &[
            "Saved Golden Gate Ceramics (C3001).",
            "SMSTurbo customers (24)",
        ],
    );
    assert_eq!(
        h.backend.customer("C3001").unwrap().name(),
        "Golden Gate Ceramics"
    );
    // A code already used (in another case) is refused next to the field by the store.
    h.press(Char('n'));
    h.type_text("bak100");
    h.press(Tab);
    h.type_text("Somebody Else");
    h.press(Ctrl('s'));
    screen_has(&mut h, &["a customer with code bak100 already exists"]);
    assert_eq!(h.backend.customers().len(), 24);
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
fn the_sandbox_key_is_in_the_help_generated_from_the_key_map() {
    let mut h = demo();
    let footer = h.screen().lines().last().unwrap_or("").to_string();
    for k in ["y Synchronize", "s SetUp", "h History"] {
        assert!(footer.contains(k), "{footer}");
    }
    h.press(Char('?'));
    screen_has(
        &mut h,
        &[
            "Sandbox company",
            "Sandbox: open/close the file in QuickBooks",
        ],
    );
}

#[test]
fn an_interrupted_earlier_run_is_settled_first_and_the_operator_is_told() {
    let demo = Demo::create();
    let mut prefs = custsync::qb::sandbox::AppPrefs::new(APP_NAME);
    prefs.grant = Grant::WhenOpen;
    demo.file().set_app_prefs(&prefs).unwrap();
    // A headless run dies right after QuickBooks took its first batch of new customers.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(demo.path())
        .args([
            "sync",
            "--export",
            "all",
            "--import",
            "none",
            "--replace",
            "none",
        ])
        .env("CUSTSYNC_FAULT", "export:after-send")
        .env_remove("CUSTSYNC_TRACE_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fault point export:after-send"), "{stderr}");
    let in_qb = demo.qb_named("Alpine Outfitters").len();
    assert_eq!(in_qb, 1, "QuickBooks got the batch");

    let mut h = demo.harness((80, 24));
    h.press(Char('y')).press(Char('y')).press(Char('y'));
    screen_has(
        &mut h,
        &[
            "Before you choose",
            "An earlier synchronization was interrupted",
            "found in QuickBooks and linked",
            "9 customers found in QuickBooks",
        ],
    );
    h.press(Enter);
    // What QuickBooks already had is no longer offered; nothing is there twice.
    let s = h.screen();
    assert!(!s.contains("ALP300"), "{s}");
    assert_eq!(h.backend.qb_named("Alpine Outfitters").len(), 1);
}

#[test]
fn an_export_default_type_quickbooks_lacks_is_added_only_when_the_operator_agrees() {
    let demo = Demo::create();
    let mut cfg = demo.config();
    cfg.export.customer_type = Some("Distributor".into());
    cfg.save(&demo.path().join("config.toml")).unwrap();
    let mut h = demo.harness((80, 24));
    connected(&mut h);
    h.press(Char('y'));
    // The default type is missing in QuickBooks: any export needs the operator's yes first.
    find_row(&mut h, "falcon");
    h.press(Space).press(Char('y'));
    screen_has(
        &mut h,
        &[
            "QuickBooks does not have a list entry",
            "Add to QuickBooks: Customer Type \"Distributor\"",
            "Add and synchronize",
        ],
    );
    // Cancel changes nothing.
    h.press(Esc);
    assert!(h.backend.qb_named("Falcon Roofing").is_empty());
    h.press(Char('y')).press(Enter);
    screen_has(&mut h, &["Export Completed", "Added to QuickBooks: 1"]);
    assert_eq!(h.backend.qb_named("Falcon Roofing").len(), 1);
    let types = h
        .backend
        .qb(vec![custsync::qbxml::RequestBody::CustomerTypeQuery(
            Default::default(),
        )]);
    let listed = format!("{:?}", types[0].body);
    assert!(listed.contains("Distributor"), "{listed}");
}

#[test]
fn the_web_connector_password_is_set_in_setup_and_kept_only_as_a_hash() {
    use custsync::qb::webconnector::StoredPassword;
    let mut h = demo();
    h.press(Char('s'));
    // Web Connector, then down to the password (listen, path, user name, password).
    h.keys(&[Tab, Tab, Tab, Right, Tab, Tab, Tab, Tab]);
    h.type_text("short");
    screen_has(&mut h, &["Password             •••••"]);
    h.press(Ctrl('s'));
    screen_has(&mut h, &["✗ Password:"]);
    assert!(StoredPassword::load(h.backend.path()).is_err());
    assert_eq!(h.backend.config().connection.kind, ConnectionKind::Sandbox);
    h.keys(&[Home, Ctrl('k')]);
    h.type_text("correct horse battery");
    h.press(Ctrl('s'));
    screen_has(&mut h, &["Setup saved."]);
    let stored = StoredPassword::load(h.backend.path()).expect("saved");
    assert!(stored.verify("correct horse battery"));
    assert!(!stored.verify("short"));
    let file = std::fs::read_to_string(StoredPassword::path(h.backend.path())).unwrap();
    assert!(!file.contains("correct horse"), "{file}");
    assert_eq!(
        h.backend.config().connection.kind,
        ConnectionKind::WebConnector
    );
    // The password is not in the command log either.
    let sent = format!("{:?}", h.sent);
    assert!(!sent.contains("correct horse"), "{sent}");
}
