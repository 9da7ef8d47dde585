//! Connections to QuickBooks, all behind one trait, and the session helper that pages with
//! iterators and batches requests.
//!
//! A connection moves qbXML documents as text, the way QBXMLRP2's `ProcessRequest` and the Web
//! Connector's `sendRequestXML`/`receiveResponseXML` do. Everything above it (the session helper,
//! the sync core) is the same whichever QuickBooks answers.

pub mod access;
pub mod connect;
pub mod explain;
pub mod guid;
pub mod hresult;
pub mod sandbox;
pub mod session;
pub mod trace;
pub mod webconnector;

pub use access::{AccessPrompt, CertificateAnswer, CertificateRequest, NoPrompt};

use crate::qbxml::QbxmlVersion;

/// A failure below the qbXML status level: the session could not open, the document could not be
/// parsed, the transport broke. Status-code errors inside a response are not `QbError`s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QbError {
    /// QuickBooks (or the request processor) refused with an HRESULT, e.g. 0x80040400.
    #[error("QuickBooks error {}: {message}", hresult::format(*code))]
    Hresult { code: u32, message: String },
    /// The link to QuickBooks broke (Web Connector gone, file unreadable, …).
    #[error("{0}")]
    Transport(String),
    /// The response could not be read as qbXML.
    #[error("QuickBooks sent a response custsync could not read: {0}")]
    BadResponse(String),
    /// The operator cancelled while custsync was waiting.
    #[error("cancelled")]
    Cancelled,
    /// A request went to QuickBooks but its response never came back (the Web Connector started
    /// a new session, repeated a call, or vanished while QuickBooks was working). QuickBooks may
    /// or may not have applied it. The caller must not resend the request: it asks QuickBooks for
    /// the stored response first (message-set recovery with `oldMessageSetID`).
    #[error(
        "the outcome of the last request is unknown ({0}); custsync will ask QuickBooks what \
         happened (message-set recovery) before sending anything again"
    )]
    InDoubt(String),
}

impl QbError {
    pub fn hresult(code: u32, message: impl Into<String>) -> Self {
        QbError::Hresult {
            code,
            message: message.into(),
        }
    }

    pub fn hresult_code(&self) -> Option<u32> {
        match self {
            QbError::Hresult { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// What a connection knows once its session is open.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SessionInfo {
    /// The company file the session is on, as QuickBooks names it.
    pub company_file: String,
    /// qbXML versions QuickBooks reported for this session, if the connection learned them on
    /// opening (the Web Connector tells them in `sendRequestXML`). Empty: ask with HostQuery.
    pub supported_versions: Vec<QbxmlVersion>,
}

/// Which kind of QuickBooks a connection reaches: chosen in Setup (`connection.kind` in
/// config.toml) and shown to the operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    /// The simulated company in the file named by `company_file`.
    #[default]
    Sandbox,
    /// A real QuickBooks Desktop through the QuickBooks Web Connector.
    WebConnector,
}

/// One way of reaching QuickBooks. Implemented by the sandbox and the Web Connector bridge; the
/// trait leaves room for direct QBXMLRP2 on Windows (OpenConnection/BeginSession = `open`,
/// ProcessRequest = `process`, EndSession/CloseConnection = `close`).
pub trait Connection: Send {
    fn kind(&self) -> ConnectionKind;

    /// Opens a session on the company file. When QuickBooks needs the operator's permission (the
    /// "Application Certificate" dialog), it asks through `prompt`.
    fn open(&mut self, prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError>;

    /// Sends one qbXML request document and returns the response document.
    fn process(&mut self, request: &str) -> Result<String, QbError>;

    /// Ends the session. Safe to call when no session is open.
    fn close(&mut self);

    /// How far the caller's work has come: `done` of `total` units (any unit; requests, customers).
    /// The Web Connector shows it as its progress bar; other connections ignore it.
    fn report_progress(&mut self, _done: u64, _total: u64) {}
}

/// A borrowed connection is a connection (a caller keeps ownership and lends it to a session),
/// and so is a boxed one (what the setup-driven factory hands out).
macro_rules! forward_connection {
    ($($ty:ty),*) => {$(
        impl<C: Connection + ?Sized> Connection for $ty {
            fn kind(&self) -> ConnectionKind {
                (**self).kind()
            }
            fn open(&mut self, prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError> {
                (**self).open(prompt)
            }
            fn process(&mut self, request: &str) -> Result<String, QbError> {
                (**self).process(request)
            }
            fn close(&mut self) {
                (**self).close()
            }
            fn report_progress(&mut self, done: u64, total: u64) {
                (**self).report_progress(done, total)
            }
        }
    )*};
}

forward_connection!(&mut C, Box<C>);

/// The identity custsync presents to QuickBooks (QBXMLRP2's appName, the `.qwc` AppName). It is
/// what the company's Integrated Applications list shows and authorizes, so it must stay stable.
pub const APP_NAME: &str = "custsync";
