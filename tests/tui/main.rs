//! The TUI through ratatui's `TestBackend`: mechanics on the fake back end, the seed workflow on
//! the real one, snapshots of every screen, the README screenshots, and a synchronization through
//! the Web Connector. One test binary; run one area with e.g. `cargo test --test tui mechanics::`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

mod keystrokes;
mod likely;
mod mechanics;
mod screenshots;
mod snapshots;
mod stale;
mod support;
mod webconnector;
mod workflow;

#[path = "../webconnector/support.rs"]
mod webconnector_support;

#[path = "../sync/stale_support.rs"]
mod stale_support;
