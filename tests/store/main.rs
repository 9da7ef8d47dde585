//! The SMSTurbo database and the workspace's files: customers, CSV, what the sync core uses of
//! the store, migrations and locks, files that are not what they seem, and Setup (config.toml).
//! One test binary; run one area with e.g. `cargo test --test store csv::`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

mod config_file;
mod csv;
mod customers;
mod files;
mod sync_api;
mod workspace_files;
