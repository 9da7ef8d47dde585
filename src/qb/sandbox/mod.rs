//! The sandbox QuickBooks company: a company file (SQLite inside) and a processor that answers
//! qbXML the way QuickBooks Desktop does.
//!
//! - [`CompanyFile`]: create / open the file; company info; Integrated Applications preferences;
//!   "open in QuickBooks" state.
//! - [`process`]: one request document → one response document within a [`Session`] (what
//!   `custsync sandbox request` and [`SandboxConnection`] use).
//! - [`SandboxConnection`]: the [`crate::qb::Connection`] with QuickBooks' access check.
//! - [`generate`]: realistic random customers, types and names, deterministic by seed.
//! - QuickBooks users' moves on customers (`moves`: edit, delete, merge, make-job), the record
//!   of deleted list entries `ListDeletedQueryRq` reports (`deleted`), and the company's clock,
//!   which tests can stop ([`SandboxClock`]).

mod adds;
mod auth;
mod changes;
mod clock;
mod connection;
mod deleted;
mod file;
pub mod generate;
mod grammar;
pub mod ids;
mod message_sets;
mod messages_list;
mod moves;
mod parse;
mod processor;
mod queries;
mod records;
mod respond;
mod schema;
mod session;
mod statuses;
mod xmlin;

pub use auth::{AppPrefs, Grant, IntegratedApps};
pub use clock::SandboxClock;
pub use connection::SandboxConnection;
pub use deleted::RETENTION_DAYS;
pub use file::{CompanyFile, CompanyProfile, FORMAT_VERSION, PRODUCT_NAME, SandboxError};
pub use generate::{GenerateOptions, GenerateSummary, generate};
pub use moves::{Assignment, EditTarget, Edited, Merged};
pub use parse::SUPPORTED_VERSIONS;
pub use processor::process;
pub use session::{SandboxOptions, Session};

/// Reads a request document without running it (what the sandbox understood, in custsync's
/// shared types), or the HRESULT QuickBooks would refuse it with.
pub fn parse_request(text: &str) -> Result<crate::qbxml::RequestDoc, crate::qb::QbError> {
    parse::parse_document(text).map(|d| d.to_request_doc())
}

/// Every request message name qbXML 16.0 defines, for the schema-table test.
#[doc(hidden)]
pub fn known_messages() -> impl Iterator<Item = (&'static str, bool)> {
    messages_list::MESSAGES.iter().map(|m| (m.name, m.after_13))
}

/// The requests the sandbox implements, those it has a content model for (the rest get status
/// 1030).
pub fn implemented_requests() -> impl Iterator<Item = &'static str> {
    messages_list::MESSAGES
        .iter()
        .map(|m| m.name)
        .filter(|name| parse::model_of(name).is_some())
}

/// The content model the sandbox checks a request against, as comparable lines, for the
/// schema-table test.
#[doc(hidden)]
pub fn describe_request(name: &str) -> Option<Vec<String>> {
    let (model, _) = parse::model_of(name)?;
    let mut out = Vec::new();
    grammar::describe(model, "", &mut out);
    Some(out)
}
