//! The TUI on the in-memory fake back end, for trying screens without a workspace or a sandbox
//! company:
//!
//!     cargo run --example tui_fake            # the demo company
//!     cargo run --example tui_fake -- 100000  # 100,000 customers a side
//!
//! Runs are slowed down (a pause per batch) so the progress screen can be watched.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::path::PathBuf;
use std::time::Duration;

use custsync::tui::fake::FakeBackend;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let backend = match std::env::args().nth(1).map(|n| n.parse::<usize>()) {
        Some(Ok(n)) => FakeBackend::large(n),
        Some(Err(e)) => color_eyre::eyre::bail!("the argument is a number of customers: {e}"),
        None => FakeBackend::demo(),
    };
    let config = {
        let mut s = backend.state();
        s.batch_delay = Duration::from_millis(400);
        s.config.ui.mouse = std::env::var_os("CUSTSYNC_MOUSE").is_some();
        s.config.clone()
    };
    custsync::tui::run(backend, config, PathBuf::from("."))
}
