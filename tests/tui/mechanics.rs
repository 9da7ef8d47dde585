//! How the TUI behaves, whatever the back end: keys, focus, help, dialogs, the mouse, sizes, the
//! wait for the Web Connector, stopping a run. On the fast in-memory fake back end; the seed
//! workflow on the real one is in `workflow.rs`.

use std::time::Duration;

use custsync::qbxml::Field;
use custsync::store::CustomerStatus;
use custsync::tui::fake::FakeBackend;
use custsync::tui::keymap::Key::{self, *};
use custsync::tui::testing::{Harness, scenes};
use custsync::tui::worker::Command;

fn demo() -> Harness {
    Harness::new(FakeBackend::demo(), 80, 24)
}

fn sent_any(h: &Harness, f: impl Fn(&Command) -> bool) -> bool {
    h.sent.iter().any(f)
}

#[test]
fn the_home_screen_lists_customers_and_search_filters_case_insensitively() {
    let mut h = demo();
    assert!(h.shows("Birchwood Hardware"));
    assert!(h.shows("SMSTurbo customers (28)"));
    h.press(Char('/'));
    h.type_text("MARINE");
    let s = h.screen();
    assert!(s.contains("Cobalt Marine"), "{s}");
    assert!(!s.contains("Birchwood"), "{s}");
    h.press(Enter);
    // Keeping the filter: q now quits again (no text field has focus).
    assert!(h.shows("1 shown"));
    h.press(Esc);
    assert!(h.shows("Birchwood Hardware"));
}

#[test]
fn q_quits_only_where_no_text_field_or_dialog_has_focus_and_ctrl_c_always() {
    let mut h = demo();
    // In File Info, q is a letter.
    h.press(Tab).press(End).press(Char('q'));
    assert!(!h.app.should_quit());
    assert!(h.shows("Acme Books.QBWq"));
    // In a dialog, q does nothing.
    let mut h = demo();
    h.press(Char('d')).press(Char('q'));
    assert!(!h.app.should_quit());
    assert!(h.shows("Delete customer"));
    // In the search field, q is typed.
    let mut h = demo();
    h.press(Char('/')).press(Char('q'));
    assert!(!h.app.should_quit());
    // On the list, q quits.
    let mut h = demo();
    h.press(Char('q'));
    assert!(h.app.should_quit());
    // Ctrl-C quits from a text field and from a dialog.
    for first in [Tab, Char('d')] {
        let mut h = demo();
        h.press(first).press(Ctrl('c'));
        assert!(h.app.should_quit());
    }
}

#[test]
fn help_and_footer_come_from_the_key_map_for_where_you_are() {
    let mut h = demo();
    let s = h.screen();
    assert!(s.lines().last().unwrap().contains("n New customer"), "{s}");
    h.press(Char('?'));
    let s = h.screen();
    assert!(s.contains("Help — Maintain Customer"), "{s}");
    assert!(s.contains("F4/Ctrl-O  Look up the company file"), "{s}");
    h.press(Esc);
    h.press(Char('d'));
    let footer = h.screen().lines().last().unwrap().to_string();
    assert!(
        footer.contains("y Yes") && footer.contains("n No"),
        "{footer}"
    );
    assert!(!footer.contains("Add"), "{footer}");
    // F1 opens help from a text field, where ? is a character.
    let mut h = demo();
    h.press(Tab).press(F(1));
    assert!(h.shows("Help — Maintain Customer"));
    assert!(h.shows("Edit the text field"));
}

#[test]
fn adding_a_customer_saves_it_through_the_worker() {
    let mut h = demo();
    h.press(Char('n'));
    h.type_text("C3001");
    h.press(Tab);
    h.type_text("Golden Gate Ceramics");
    // Down to the status and pick Hold.
    h.keys(&[Tab, Tab, Right]);
    h.press(Ctrl('s'));
    let saved = h.sent.iter().find_map(|c| match c {
        Command::SaveCustomer {
            original_code: None,
            customer,
        } => Some(customer.clone()),
        _ => None,
    });
    let saved = saved.expect("a SaveCustomer command");
    assert_eq!(saved.code(), "C3001");
    assert_eq!(saved.name(), "Golden Gate Ceramics");
    assert_eq!(saved.status, CustomerStatus::Hold);
    let s = h.screen();
    assert!(s.contains("Saved Golden Gate Ceramics (C3001)."), "{s}");
    assert!(s.contains("SMSTurbo customers (29)"), "{s}");
    assert!(
        h.backend
            .state()
            .customers
            .iter()
            .any(|c| c.code() == "C3001")
    );
}

#[test]
fn a_refused_value_is_shown_next_to_its_field_and_nothing_is_saved() {
    let mut h = demo();
    h.press(Char('n')).press(Tab);
    h.type_text("No Code Ltd");
    h.keys(&[Tab, Tab, Tab, Tab]);
    h.press(Ctrl('s'));
    assert!(!sent_any(&h, |c| matches!(c, Command::SaveCustomer { .. })));
    assert!(h.shows("✗ Code (account no.): a code is required"));
    // A duplicate code is refused by the back end and shown the same way.
    h.type_text("C1001");
    h.press(Ctrl('s'));
    assert!(sent_any(&h, |c| matches!(c, Command::SaveCustomer { .. })));
    assert!(h.shows("a customer with code C1001 already exists"));
    assert_eq!(h.backend.state().customers.len(), 28);
    // Esc with changes asks before discarding; the default is No.
    h.press(Esc);
    assert!(h.shows("Discard changes?"));
    h.press(Enter);
    assert!(h.shows("Add customer"));
    h.press(Esc).press(Char('y'));
    assert!(h.shows("SMSTurbo customers (28)"));
}

#[test]
fn editing_keeps_the_code_and_changes_the_status() {
    let mut h = demo();
    h.keys(&[Down, Enter, Tab, Tab, Tab, Right, Ctrl('s')]);
    let c = h
        .backend
        .state()
        .customers
        .iter()
        .find(|c| c.code() == "C1002")
        .cloned()
        .unwrap();
    assert_eq!(c.status, CustomerStatus::Prospect);
    assert_eq!(c.data.get(Field::Phone), Some("555-0101"));
    assert!(sent_any(
        &h,
        |c| matches!(c, Command::SaveCustomer { original_code: Some(code), .. } if code == "C1002")
    ));
}

#[test]
fn delete_asks_first_and_defaults_to_no() {
    let mut h = demo();
    h.press(Char('d'));
    assert!(h.shows("Delete Birchwood Hardware (C1001) from SMSTurbo?"));
    h.press(Enter);
    assert!(!sent_any(&h, |c| matches!(
        c,
        Command::DeleteCustomer { .. }
    )));
    assert_eq!(h.backend.state().customers.len(), 28);
    h.press(Char('d')).press(Char('y'));
    assert!(sent_any(&h, |c| *c
        == Command::DeleteCustomer {
            code: "C1001".into()
        }));
    assert_eq!(h.backend.state().customers.len(), 27);
    assert!(h.shows("Deleted customer C1001."));
    assert!(!h.shows("Birchwood Hardware"));
}

#[test]
fn a_pattern_in_file_info_and_the_lookup_list_the_matches() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["Acme.QBW", "other.qbw", "notes.txt"] {
        std::fs::write(dir.path().join(f), "x").unwrap();
    }
    std::fs::create_dir(dir.path().join("Sub")).unwrap();
    std::fs::write(dir.path().join("Sub").join("Deep.QBW"), "x").unwrap();
    let mut h = demo();
    h.press(Tab);
    // Clear File Info and type a folder and pattern.
    h.keys(&[Home, Ctrl('k')]);
    h.type_text(&format!("{}/*.qbw", dir.path().display()));
    h.press(F(4));
    let s = h.screen();
    assert!(
        s.contains("Acme.QBW") && s.contains("other.qbw") && s.contains("Sub"),
        "{s}"
    );
    assert!(!s.contains("notes.txt"), "{s}");
    // "..", then the folder Sub, then the files: into Sub, choose Deep.QBW.
    h.keys(&[Down, Enter]);
    assert!(h.shows("Deep.QBW"));
    h.keys(&[Down, Enter]);
    let chosen = dir.path().join("Sub").join("Deep.QBW");
    assert!(h.shows("File Info set to"));
    assert_eq!(h.app.config().company_file, chosen.to_string_lossy());
    assert_eq!(
        h.backend.state().config.company_file,
        chosen.to_string_lossy()
    );
}

#[test]
fn an_unreadable_folder_is_explained_inside_the_picker() {
    let mut h = demo();
    h.press(Tab).keys(&[Home, Ctrl('k')]);
    h.type_text("/nonexistent/custsync/*.QBW");
    h.press(F(4));
    let s = h.screen();
    assert!(
        s.contains("cannot read the folder /nonexistent/custsync"),
        "{s}"
    );
    assert!(s.contains("Backspace goes up"), "{s}");
    // Backspace goes up from where the picker stands, and Esc closes it.
    h.press(Esc);
    assert!(!h.shows("Folder: "));
}

#[test]
fn synchronize_with_nothing_checked_says_how_to_check() {
    let mut h = demo();
    scenes::missing_only_question(&mut h);
    h.press(Char('y')).press(Char('y'));
    assert!(h.shows("Nothing is checked"));
    assert!(!sent_any(&h, |c| matches!(c, Command::Preview(_))));
    // Esc leaves the synchronize screen and the connection.
    h.press(Esc);
    assert!(h.shows("Synchronize cancelled; nothing was changed."));
    assert!(!h.backend.state().connected);
}

#[test]
fn a_run_can_be_stopped_between_batches() {
    let mut h = demo();
    {
        let mut s = h.backend.state();
        s.batch_size = 1;
        s.batch_delay = Duration::from_millis(50);
    }
    scenes::missing_only_question(&mut h);
    h.press(Char('y')).press(Char('a')).press(Char('y'));
    h.press_nowait(Char('y'));
    h.pump_one();
    h.pump_one();
    assert!(h.shows("Adding customers to QuickBooks"));
    h.press_nowait(Esc);
    assert!(h.shows("Stopping after the current batch"));
    assert!(h.sent.contains(&Command::CancelRun));
    h.settle();
    let s = h.screen();
    assert!(s.contains("Export Stopped"), "{s}");
    let added = h.backend.state().qb.len() - 21;
    assert!(added < 8, "stopped early, added {added}");
}

#[test]
fn the_mouse_clicks_rows_tabs_and_buttons() {
    let mut h = demo();
    // Row 6 of the screen is the second customer.
    h.click(10, 6);
    h.press(Char('e'));
    assert!(h.shows("Edit customer C1002"));
    h.press(Esc);
    h.press(Char('s'));
    h.click(12, 1); // the "Replace Options" tab
    assert!(h.shows("Replace in SMSTurbo"));
    // The delete dialog's Yes button.
    let mut h = demo();
    h.press(Char('d'));
    let s = h.screen();
    let (y, line) = s
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("[ Yes ]"))
        .unwrap();
    let x = line.find("[ Yes ]").unwrap();
    let col = line[..x].chars().count() as u16 + 2;
    h.click(col, y as u16);
    assert!(sent_any(&h, |c| matches!(
        c,
        Command::DeleteCustomer { .. }
    )));
}

#[test]
fn a_larger_terminal_shows_more_columns_and_rows() {
    let mut h = Harness::new(FakeBackend::demo(), 140, 40);
    let s = h.screen();
    assert!(s.contains("Email"), "{s}");
    assert!(s.contains("C1024"), "{s}");
    h.resize(80, 24);
    let s = h.screen();
    assert!(!s.contains("Email"), "{s}");
}

#[test]
fn keys_are_resolved_the_same_through_the_terminal_event_path() {
    use ratatui::crossterm::event::{
        Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers,
    };
    let mut h = demo();
    // A key release (Windows terminals send them) does nothing.
    let release = KeyEvent {
        code: KeyCode::Char('q'),
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    };
    h.app.handle_terminal(Event::Key(release));
    assert!(!h.app.should_quit());
    h.app.handle_terminal(Event::Key(Key::Char('q').event()));
    assert!(h.app.should_quit());
}

#[test]
fn esc_and_a_key_run_together_into_alt_count_as_both() {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let mut h = demo();
    h.press(Char('d'));
    assert!(h.shows("Delete customer"));
    // Esc (closes the question, answering No) then q (quits), as one Alt-q.
    h.app.handle_terminal(Event::Key(KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::ALT,
    )));
    assert!(h.app.should_quit());
    assert_eq!(h.backend.state().customers.len(), 28);
}

#[test]
fn a_refused_file_info_says_why_next_to_it_and_keeps_the_saved_one() {
    let mut h = demo();
    h.press(Tab).keys(&[Home, Ctrl('k')]);
    h.type_text("/demo/readme.txt");
    h.press(Enter);
    assert!(sent_any(&h, |c| matches!(c, Command::SaveConfig(_))));
    let s = h.screen();
    assert!(
        s.contains("✗ File Info: the sandbox needs a .QBW company file"),
        "{s}"
    );
    assert_eq!(h.app.config().company_file, "/demo/Acme Books.QBW");
    assert_eq!(
        h.backend.state().config.company_file,
        "/demo/Acme Books.QBW"
    );
}

#[test]
fn waiting_for_the_web_connector_says_what_to_click_and_can_be_stopped() {
    let mut h = demo();
    h.backend.state().config.connection.kind = custsync::config::ConnectionKind::WebConnector;
    let config = h.backend.state().config.clone();
    h.app = custsync::tui::app::App::new(config, "/demo".into(), h.app_theme());
    h.settle();
    h.press_nowait(Char('y'));
    h.pump_one();
    let s = h.screen();
    assert!(
        s.contains("Waiting for the QuickBooks Web Connector"),
        "{s}"
    );
    assert!(s.contains("http://localhost:8089/qbwc"), "{s}");
    assert!(s.contains("Update Selected"), "{s}");
    // q does not quit a dialog; Esc stops the wait, without an error dialog.
    h.press_nowait(Char('q'));
    assert!(!h.app.should_quit());
    h.press_nowait(Esc);
    assert!(h.sent.contains(&Command::CancelRun));
    h.settle();
    let s = h.screen();
    assert!(
        !s.contains("Waiting for the QuickBooks Web Connector"),
        "{s}"
    );
    assert!(
        s.contains("You stopped waiting before the QuickBooks Web Connector called"),
        "{s}"
    );
    assert!(!h.app.waiting_for_operator());
    // The flow is over: Synchronize starts a new wait.
    h.press_nowait(Char('y'));
    h.pump_one();
    assert!(h.shows("Waiting for the QuickBooks Web Connector"));
    h.press_nowait(Esc);
    h.settle();
}

#[test]
fn a_broken_setup_file_is_said_first_and_setup_is_one_key_away() {
    use custsync::tui::screens::dialogs::broken_setup;
    let mut h = demo();
    h.app.show(Box::new(broken_setup(
        "setup /ws/config.toml: line 3, file_pattern: invalid type: integer `3`, expected a string. Fix it in SetUp, or edit the file.",
    )));
    let s = h.screen();
    assert!(s.contains("The setup file has a problem"), "{s}");
    assert!(s.contains("line 3, file_pattern"), "{s}");
    assert!(s.contains("config.toml.broken"), "{s}");
    h.press(Enter);
    assert!(h.shows("Replace Options"), "Open SetUp is the first button");
    // Quit is offered too.
    let mut h = demo();
    h.app.show(Box::new(broken_setup("broken")));
    h.keys(&[Right, Right, Enter]);
    assert!(h.app.should_quit());
}
