//! The committed README screenshots match what the screens draw today.

use std::path::Path;

use custsync::tui::testing::{scene, scenes, screenshot_svg};

#[test]
fn committed_screenshots_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    for (i, name) in scenes::SCREENSHOTS.iter().enumerate() {
        let path = dir.join(format!("{:02}-{name}.svg", i + 1));
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `cargo run --example screenshots`",
                path.display()
            )
        });
        let fresh = screenshot_svg(scene(name).expect("listed scenes exist"));
        assert!(
            committed == fresh,
            "{} is out of date; run `cargo run --example screenshots` and commit the result",
            path.display()
        );
    }
}
