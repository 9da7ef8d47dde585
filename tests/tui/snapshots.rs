//! Every screen and dialog of the TUI, rendered at 80×24 and 120×40 with the fake back end and
//! compared with the reviewed snapshots in `tests/tui/snapshots/`.

use custsync::tui::fake::FakeBackend;
use custsync::tui::testing::{Harness, scenes};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

#[test]
fn every_scene_at_both_sizes() {
    for (name, scene) in scenes::ALL {
        for (w, h) in SIZES {
            let mut harness = Harness::new(FakeBackend::demo(), w, h);
            scene(&mut harness);
            let screen = harness.screen();
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn a_terminal_too_small_says_so() {
    let mut harness = Harness::new(FakeBackend::demo(), 50, 12);
    insta::assert_snapshot!("too_small_50x12", harness.screen());
}

#[test]
fn every_scene_draws_at_the_smallest_supported_and_odd_sizes_without_panicking() {
    for (name, scene) in scenes::ALL {
        for (w, h) in [(60, 15), (61, 16), (79, 23), (200, 60)] {
            let mut harness = Harness::new(FakeBackend::demo(), w, h);
            scene(&mut harness);
            let screen = harness.screen();
            assert_eq!(screen.lines().count(), h as usize, "{name} at {w}x{h}");
            // The footer always says how to get help.
            let footer = screen.lines().last().unwrap_or("");
            assert!(footer.contains("Help"), "{name} at {w}x{h}: {footer}");
        }
    }
}

/// The Linux console (`TERM=linux`) cannot draw ✓ ✗ ≠ › … and the like: custsync draws ASCII
/// there instead, everywhere.
#[test]
fn the_linux_console_gets_ascii_marks() {
    use custsync::tui::theme::{Glyphs, Theme, glyph};
    for (name, scene) in scenes::ALL {
        let theme = Theme::plain().with_glyphs(Glyphs::Ascii);
        let mut harness = Harness::with_theme(FakeBackend::demo(), 80, 24, theme);
        scene(&mut harness);
        let screen = harness.screen();
        // Customer data keeps its letters (Łódź); only custsync's own marks change.
        for symbol in screen.split("").filter(|s| !s.is_empty()) {
            assert!(
                glyph::ascii_for(symbol).is_none(),
                "{name}: {symbol:?} left in:\n{screen}"
            );
        }
        if ["sync_not_in_sync", "certificate", "export_completed"].contains(name) {
            insta::assert_snapshot!(format!("{name}_ascii_80x24"), screen);
        }
    }
}
