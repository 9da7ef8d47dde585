//! [`SandboxConnection`]: the sandbox company behind custsync's [`Connection`] trait, as QBXMLRP2
//! would be — `open` is OpenConnection + BeginSession (with QuickBooks' access check and dialogs),
//! `process` is ProcessRequest, `close` is EndSession (the session's iterators die with it).

use std::path::{Path, PathBuf};

use crate::qb::access::AccessPrompt;
use crate::qb::{APP_NAME, Connection, ConnectionKind, QbError, SessionInfo, hresult};

use super::auth;
use super::file::{CompanyFile, SandboxError};
use super::processor;
use super::session::{SandboxOptions, Session};

/// A connection to a sandbox company file.
pub struct SandboxConnection {
    path: PathBuf,
    app_name: String,
    options: SandboxOptions,
    open: Option<(CompanyFile, Session)>,
}

impl SandboxConnection {
    /// A connection to the sandbox company at `path`, presenting itself as custsync.
    pub fn new(path: impl Into<PathBuf>) -> SandboxConnection {
        SandboxConnection {
            path: path.into(),
            app_name: APP_NAME.to_string(),
            options: SandboxOptions::default(),
            open: None,
        }
    }

    /// Presents another application name to the Integrated Applications check.
    pub fn with_app_name(mut self, app_name: impl Into<String>) -> SandboxConnection {
        self.app_name = app_name.into();
        self
    }

    pub fn with_options(mut self, options: SandboxOptions) -> SandboxConnection {
        self.options = options;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open session, if any (for tests and diagnostics).
    pub fn session(&self) -> Option<&Session> {
        self.open.as_ref().map(|(_, s)| s)
    }
}

/// How a company-file problem reaches custsync: QBXMLRP2's "could not open the company file",
/// carrying the sandbox's explanation.
fn open_error(e: SandboxError) -> QbError {
    match e {
        SandboxError::Storage { .. } | SandboxError::Io { .. } => QbError::Transport(e.to_string()),
        other => QbError::hresult(hresult::COULD_NOT_OPEN_FILE, other.to_string()),
    }
}

impl Connection for SandboxConnection {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::Sandbox
    }

    fn open(&mut self, prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError> {
        self.close();
        let file = CompanyFile::open(&self.path).map_err(open_error)?;
        let automatic_login = auth::authorize(&file, &self.app_name, prompt)?;
        let mut session = Session::new(self.app_name.clone(), self.options.clone());
        session.automatic_login = automatic_login;
        self.open = Some((file, session));
        Ok(SessionInfo {
            company_file: self.path.display().to_string(),
            // Like QBXMLRP2, the versions are learnt with HostQuery.
            supported_versions: Vec::new(),
        })
    }

    fn process(&mut self, request: &str) -> Result<String, QbError> {
        let Some((file, session)) = self.open.as_mut() else {
            return Err(QbError::hresult(
                hresult::INVALID_TICKET,
                "There is no open session with the sandbox company: connect (open) first.",
            ));
        };
        processor::process(file, session, request)
    }

    fn close(&mut self) {
        self.open = None;
    }
}
