//! The connection Setup names, built in one place for every front end (TUI, `custsync sync`,
//! `custsync serve`).

use std::path::{Path, PathBuf};

use super::sandbox::SandboxConnection;
use super::webconnector::{InteractiveConnection, ServeError, WaitHandle, WebConnectorConfig};
use super::{Connection, ConnectionKind};

/// Why the configured connection could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "no company file is set: choose the sandbox company file in SetUp (File Info), or pass \
         --company FILE"
    )]
    NoCompanyFile,
    #[error(
        "the company file {0} does not exist: check File Info in SetUp (the lookup lists the \
         .QBW files in a folder), or create a sandbox company with `custsync sandbox create`"
    )]
    Missing(PathBuf),
    /// The Web Connector service could not start (address in use, TLS files…). Its message
    /// already says why, so it is not given again as a cause.
    #[error("{0}")]
    WebConnector(ServeError),
}

/// The part of Setup a connection needs (`Config::connect_options` builds it).
#[derive(Clone, Copy, Debug)]
pub struct ConnectOptions<'a> {
    pub kind: ConnectionKind,
    /// File Info: the sandbox company file; for the Web Connector the file authenticate names,
    /// sent as typed (empty: the file QuickBooks has open).
    pub company_file: &'a str,
    pub web_connector: &'a WebConnectorConfig,
}

/// Builds the connection Setup names. For the sandbox that is the company file in File Info;
/// for the Web Connector, the service is started and the connection waits for it.
/// `workspace` is the workspace folder (the Web Connector keeps its password and IDs there).
pub fn from_options(
    options: ConnectOptions<'_>,
    workspace: &Path,
) -> Result<Box<dyn Connection>, ConnectError> {
    from_options_with_wait(options, workspace).map(|(connection, _)| connection)
}

/// [`from_options`], plus, for the Web Connector, the handle a front end uses while `open` waits
/// for it: [`WaitHandle::status`] for "Waiting for the QuickBooks Web Connector…" (with
/// [`WHAT_TO_CLICK`](super::webconnector::WHAT_TO_CLICK)), [`WaitHandle::cancel`] to stop
/// waiting. `None` for the sandbox, which never waits.
pub fn from_options_with_wait(
    options: ConnectOptions<'_>,
    workspace: &Path,
) -> Result<(Box<dyn Connection>, Option<WaitHandle>), ConnectError> {
    match options.kind {
        ConnectionKind::Sandbox => {
            let file = options.company_file.trim();
            if file.is_empty() {
                return Err(ConnectError::NoCompanyFile);
            }
            let path = PathBuf::from(file);
            if !path.exists() {
                return Err(ConnectError::Missing(path));
            }
            Ok((Box::new(SandboxConnection::new(path)), None))
        }
        ConnectionKind::WebConnector => {
            let connection = InteractiveConnection::start(
                options.web_connector,
                options.company_file,
                workspace,
            )
            .map_err(ConnectError::WebConnector)?;
            let wait = connection.handle();
            Ok((Box::new(connection), Some(wait)))
        }
    }
}
