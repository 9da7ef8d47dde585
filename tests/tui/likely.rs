//! Likely duplicates at the Synchronize screen (issue 9), on the real back end: the demo's
//! Willow Creek Florist is "Willow Creek Florist, Inc." (WIL420) in SMSTurbo and "Willow Creek
//! Florist Inc" in QuickBooks, one phone and postal code. Each row says what it looks like and
//! why, stays unchecked under Check All, and offers its ways out on Enter: link the two (then
//! an ordinary pair), add anyway (confirmed), or leave it.

use crate::support::Demo;
use custsync::qbxml::Field;
use custsync::sync::ReplaceGroup;
use custsync::tui::keymap::Key::*;
use custsync::tui::testing::Harness;

type H = Harness<Demo>;

fn screen_has(h: &mut H, texts: &[&str]) {
    let s = h.screen();
    for t in texts {
        assert!(s.contains(t), "missing {t:?} in:\n{s}");
    }
}

/// The demo at "Show Missing Customers Only?", custsync allowed in whenever the file is open,
/// with the Replace Option for company names checked.
fn at_the_question(size: (u16, u16)) -> H {
    let demo = Demo::create();
    let path = demo.path().join("config.toml");
    let mut config = demo.config();
    config.replace.groups.insert(ReplaceGroup::CompanyName);
    config.save(&path).unwrap();
    let mut h = demo.harness(size);
    h.keys(crate::support::TO_THE_QUESTION);
    screen_has(&mut h, &["Show Missing Customers Only?"]);
    h
}

/// The cursor on the row showing `text` in the focused pane.
fn find_row(h: &mut H, text: &str) {
    h.press(Char('/')).press(Esc).press(Char('/'));
    h.type_text(text);
    h.press(Enter);
}

fn willows(h: &H) -> usize {
    h.backend
        .customers()
        .iter()
        .filter(|c| c.name().starts_with("Willow Creek"))
        .count()
}

#[test]
fn a_likely_pair_shows_its_reasons_and_check_all_leaves_it_unchecked() {
    let mut h = at_the_question((80, 24));
    h.press(Char('y'));
    screen_has(&mut h, &["≈ 2 look alike"]);
    h.press(Char('a'));
    h.press(Tab).press(Char('a')).press(End);
    screen_has(
        &mut h,
        &[
            "SMSTurbo — 9 of 13 checked",
            "QuickBooks — 8 of 9 checked",
            "[!] ≈ Willow Creek",
        ],
    );
    h.press(Tab);
    find_row(&mut h, "WIL420");
    screen_has(
        &mut h,
        &[
            "[!] ≈ WIL420",
            "Willow Creek Florist, Inc. (WIL420) — not in QuickBooks, but looks like a",
            "Enter Link, add anyway or leave",
        ],
    );
    // The whole reason is in the detail (wrapped at 80 columns).
    screen_has(
        &mut h,
        &[
            "≈ looks like QuickBooks' 'Willow Creek Florist Inc' (same phone; same postal",
            "code; name differs only in punctuation)",
        ],
    );
    // Space does not check it either.
    h.press(Space);
    screen_has(&mut h, &["[!] ≈ WIL420", "SMSTurbo — 9 of 13 checked"]);
}

#[test]
fn linked_from_the_row_the_two_are_an_ordinary_pair_and_replace_options_apply() {
    let mut h = at_the_question((80, 24));
    h.press(Char('y'));
    find_row(&mut h, "WIL420");
    h.press(Enter);
    screen_has(
        &mut h,
        &[
            "Looks like a QuickBooks customer",
            "[ Link to QuickBooks' 'Willow Creek Florist Inc' ]",
            "[ Add anyway: another customer… ]",
            "[ Leave it unchecked ]",
        ],
    );
    h.press(Enter);
    screen_has(
        &mut h,
        &["Linked WIL420 to QuickBooks' 'Willow Creek Florist Inc'"],
    );
    // Neither side is missing now.
    h.press(Char('/')).press(Esc);
    let s = h.screen();
    assert!(!s.contains("≈"), "{s}");
    screen_has(
        &mut h,
        &["SMSTurbo — 0 of 12 checked", "QuickBooks — 0 of 8 checked"],
    );
    // Every customer not in sync: the pair, with its differences.
    h.press(Esc);
    h.press(Char('y'));
    screen_has(&mut h, &["Confirm company"]);
    h.press(Char('y'));
    screen_has(&mut h, &["Show Missing Customers Only?"]);
    h.press(Char('n'));
    find_row(&mut h, "WIL420");
    screen_has(&mut h, &["≠ WIL420", "Company name", "replaced"]);
    h.press(Space).press(Char('y'));
    screen_has(&mut h, &["1 customer updated in SMSTurbo: Company name"]);
    h.press(Char('y'));
    screen_has(&mut h, &["Export Completed"]);
    let wil = h.backend.customer("WIL420").unwrap();
    assert_eq!(
        wil.data.get(Field::CompanyName),
        Some("Willow Creek Florist Inc"),
        "the Replace Options copied QuickBooks' company name"
    );
    assert_eq!(willows(&h), 1);
}

#[test]
fn add_anyway_asks_first_then_checks_the_row_and_leave_changes_nothing() {
    let mut h = at_the_question((80, 24));
    h.press(Char('y')).press(Tab);
    find_row(&mut h, "Willow");
    // Leave: the row stays as it was.
    h.press(Enter);
    screen_has(
        &mut h,
        &["Looks like an SMSTurbo customer", "SMSTurbo's WIL420"],
    );
    screen_has(&mut h, &["[ Leave it unchecked ]"]);
    h.press(Right).press(Right).press(Enter);
    screen_has(&mut h, &["QuickBooks 0/9 ✓", "[!] ≈ Willow Creek"]);
    assert_eq!(willows(&h), 1);
    // Add anyway: confirmed, then checked, then imported beside WIL420.
    h.press(Enter).press(Right).press(Enter);
    screen_has(&mut h, &["Import anyway?", "SMSTurbo then holds it twice"]);
    h.press(Char('y'));
    screen_has(
        &mut h,
        &[
            "Checked: it is imported into SMSTurbo as another customer",
            "QuickBooks 1/9 ✓",
        ],
    );
    h.press(Char('y'));
    screen_has(
        &mut h,
        &["1 customer imported into SMSTurbo although it looks like an SMSTurbo"],
    );
    h.press(Char('y'));
    screen_has(&mut h, &["Export Completed", "Imported into SMSTurbo: 1"]);
    assert_eq!(willows(&h), 2);
}

/// At 60×15 the row still says what it is and Enter still offers the ways out.
#[test]
fn the_likely_row_fits_a_small_terminal() {
    let mut h = at_the_question((60, 15));
    h.press(Char('y'));
    find_row(&mut h, "WIL420");
    let s = h.screen();
    assert!(s.contains("≈ WIL420"), "{s}");
    h.press(Char('z'));
    screen_has(
        &mut h,
        &[
            "≈ looks like QuickBooks' 'Willow Creek Florist Inc'",
            "(same phone; same postal code; name differs only in",
        ],
    );
    h.press(Esc).press(Enter);
    screen_has(&mut h, &["Looks like a QuickBooks customer"]);
}

/// The key: in the footer on a likely row only, and in `?` help.
#[test]
fn the_likely_rows_key_is_in_the_footer_and_help() {
    let mut h = at_the_question((80, 24));
    h.press(Char('y'));
    let s = h.screen();
    assert!(!s.contains("Link, add anyway or leave"), "{s}");
    find_row(&mut h, "WIL420");
    screen_has(&mut h, &["Enter Link, add anyway or leave"]);
    h.press(Char('?'));
    screen_has(
        &mut h,
        &["A row that looks like a customer the other side has"],
    );
}
