//! custsync keeps an SMSTurbo customer master (SQLite) in step with a QuickBooks Desktop company
//! file over qbXML. See DEVELOPERS.md for how the crate is laid out.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod files;
pub mod frontend;
pub mod qb;
pub mod qbxml;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;

#[cfg(any(test, feature = "test-support"))]
pub mod testkit;
