//! The protocol as data: requests against Intuit's schemas, the response reader's properties and
//! memory, the schema-order tables, and a round trip through the sandbox. One test binary; run one
//! area with e.g. `cargo test --test qbxml read_props::`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

mod memory;
mod read_props;
mod requests_schema;
mod sandbox_roundtrip;
mod schema_order;

mod support {
    pub mod responses;
    pub mod three_ways;
}

#[path = "../sandbox/support.rs"]
mod sandbox_support;
