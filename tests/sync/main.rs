//! The sync core: the seed's scenarios through its API, round trips counted, crash safety with a
//! real process, the incremental read through the mirror held to a full read's plan, and
//! `custsync sync`/`runs`/`undo` as a script uses them. One test binary; run one area with e.g.
//! `cargo test --test sync crash::`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

mod cli;
mod crash;
mod engine;
mod mirror;
mod round_trips;
mod stale;
mod stale_props;
mod stale_support;
