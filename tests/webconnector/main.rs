//! The Web Connector side: the SOAP protocol end to end with an emulated Web Connector, HTTP(S),
//! hostile clients, limits, real synchronizations, and the CLI commands. One test binary; run one
//! area with e.g. `cargo test --test webconnector session::`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

mod cli;
mod hostile;
mod http;
mod limits;
mod session;
mod support;
mod sync;
