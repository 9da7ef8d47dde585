//! Writes the README's screen images to `screenshots/*.svg`, rendered from the same scenes as
//! the snapshot tests, on the fake back end. Deterministic: rerun after changing a screen.
//!
//!     cargo run --example screenshots

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::path::Path;

use custsync::tui::testing::{scene, scenes, screenshot_svg};

fn main() -> color_eyre::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir)?;
    for (i, name) in scenes::SCREENSHOTS.iter().enumerate() {
        let Some(s) = scene(name) else {
            color_eyre::eyre::bail!("no scene called {name}");
        };
        let path = dir.join(format!("{:02}-{name}.svg", i + 1));
        std::fs::write(&path, screenshot_svg(s))?;
        println!("{}", path.display());
    }
    Ok(())
}
