//! The sandbox QuickBooks: document refusals, statuses and queries, iterators, message-set
//! recovery, Integrated Applications, incremental reads, QuickBooks users' moves, its tables
//! against the schemas, and `custsync sandbox` as a user runs it.
//!
//! One test binary with a runner of its own (`harness = false`, libtest-mimic): the tests run in
//! parallel like libtest's, and every response they produce is then validated against both
//! qbXML schemas in one xmllint call. Filters work as usual: `cargo test --test sandbox parse::`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

mod auth;
mod changes;
mod cli;
mod iterators;
mod moves;
mod parse;
mod recovery;
mod schema_table;
mod statuses;
mod support;

fn main() -> std::process::ExitCode {
    support::run(&[
        ("auth", auth::TESTS),
        ("changes", changes::TESTS),
        ("cli", cli::TESTS),
        ("iterators", iterators::TESTS),
        ("moves", moves::TESTS),
        ("parse", parse::TESTS),
        ("recovery", recovery::TESTS),
        ("schema_table", schema_table::TESTS),
        ("statuses", statuses::TESTS),
    ])
}
