//! The QuickBooks Web Connector SOAP service and its bridge to the connection trait.
//!
//! The Web Connector (QBWC) runs on the Windows machine beside QuickBooks and polls this service:
//! `authenticate`, then `sendRequestXML` (we hand it a qbXML request) and `receiveResponseXML`
//! (it hands back QuickBooks' answer), until we say 100 % and it calls `closeConnection`.
//!
//! - [`soap`]: the envelopes, read with quick-xml and written with the shared XML writer.
//! - [`service`]: the methods, the session rules and the [`ScheduledWork`] seam.
//! - `exchange` (private): the rendezvous of Web Connector calls and the sync core's thread.
//! - [`bridge`]: [`WebConnectorConnection`], the [`Connection`](crate::qb::Connection) the sync
//!   core uses.
//! - [`interactive`]: [`InteractiveConnection`], the service started for one synchronization
//!   from Setup, and the [`WaitHandle`] a front end shows and cancels the wait with.
//! - [`auth`]: the password hash, the login slow-down.
//! - [`http`], [`tls`]: the server (loopback, or HTTPS), its limits.
//! - [`qwc`]: the `.qwc` file.
//! - `emulator`: a Web Connector stand-in that drives the service over HTTP, for tests and
//!   benches (only with the `test-support` feature).
//!
//! What `custsync serve` runs when the Web Connector calls on its own (`[schedule]` in
//! config.toml) is `crate::sync::scheduled::ScheduledSync`, behind the [`ScheduledWork`] seam:
//! the sync core uses this module, not the other way round.

pub mod auth;
pub mod bridge;
mod clip;
#[cfg(any(test, feature = "test-support"))]
pub mod emulator;
mod exchange;

pub mod http;
pub mod interactive;
pub mod qwc;
mod reported_versions;

pub mod service;
mod setup;
pub mod soap;
pub mod tls;

pub use auth::{Credentials, PasswordError, StoredPassword};
pub use bridge::{BridgeHandle, WebConnectorConnection};
pub use exchange::BridgeStatus;
pub use http::{HttpLimits, RunningServer, ServeError, ServerOptions, serve};
pub use interactive::{InteractiveConnection, WHAT_TO_CLICK, WaitHandle};

pub use service::{
    CallLog, ScheduledOutcome, ScheduledWork, Service, ServiceSettings, SoapResponse,
};
pub use setup::WebConnectorConfig;
pub use tls::TlsFiles;
