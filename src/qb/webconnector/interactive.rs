//! An interactive synchronization over the Web Connector, as Setup describes it: the service is
//! started for the synchronization and the connection waits for the Web Connector's next poll.
//!
//! ```text
//! let conn = InteractiveConnection::start(&setup, file, workspace)?;   // listening now
//! let wait = conn.handle();          // to the front end: status(), cancel(), url()
//! SyncEngine::connect(conn, …)       // blocks in open() until the Web Connector calls
//! ```
//!
//! When the connection is dropped the server is not stopped at once: the Web Connector still has
//! to call once more to hear that the work is done (and then closeConnection). It stays up, in
//! the background, until the Web Connector has closed its session or [`LINGER`] has passed. A
//! new synchronization that finds the port taken stops it and tries again.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::qb::{AccessPrompt, Connection, ConnectionKind, QbError, SessionInfo};

use super::bridge::{BridgeHandle, WebConnectorConnection};
use super::exchange::{BridgeStatus, Exchange};
use super::http::{RunningServer, ServeError, ServerOptions, serve};
use super::service::Service;
use super::setup::WebConnectorConfig;

/// The longest the server stays up after the synchronization, for the Web Connector's last call.
/// Its calls come at most about 7 s apart (a held call, then its 5-second NoOp pause).
pub const LINGER: Duration = Duration::from_secs(30);

/// What the operator does on the QuickBooks computer while custsync waits.
pub const WHAT_TO_CLICK: &str = "On the computer where QuickBooks runs, open the QuickBooks Web \
     Connector, tick custsync and click \"Update Selected\" (with Auto-Run on, it calls by \
     itself).";

/// The connection for one interactive synchronization through the Web Connector. It owns the
/// running service; see the [module](self) for its lifetime.
pub struct InteractiveConnection {
    connection: WebConnectorConnection,
    server: Option<RunningServer>,
    url: String,
}

impl InteractiveConnection {
    /// Starts the service Setup describes (`setup`, the password in `workspace`); authenticate
    /// answers `company_file` as the file to open.
    pub fn start(
        setup: &WebConnectorConfig,
        company_file: &str,
        workspace: &Path,
    ) -> Result<Self, ServeError> {
        let service = Arc::new(Service::from_config(setup, company_file, workspace)?);
        let options = ServerOptions::from_config(setup, workspace)?;
        let server = match serve(&options, Arc::clone(&service)) {
            // Most likely the previous synchronization's server, still waiting for the Web
            // Connector's last call on the same port: that call is less important than this one.
            Err(ServeError::Bind { .. }) if stop_lingering() > 0 => {
                serve(&options, Arc::clone(&service))?
            }
            other => other?,
        };
        Ok(InteractiveConnection {
            connection: service.connection(),
            url: server.url(),
            server: Some(server),
        })
    }

    /// For the front end: what the connection is waiting for, and a way to stop waiting.
    pub fn handle(&self) -> WaitHandle {
        WaitHandle {
            bridge: self.connection.handle(),
            url: self.url.clone(),
        }
    }
}

impl Connection for InteractiveConnection {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::WebConnector
    }

    /// Waits, until cancelled through a [`WaitHandle`], for the Web Connector to call and
    /// QuickBooks to open the company file.
    fn open(&mut self, prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError> {
        self.connection.open(prompt)
    }

    fn process(&mut self, request: &str) -> Result<String, QbError> {
        self.connection.process(request)
    }

    /// Tells the Web Connector, on its current or next call, that the work is done.
    fn close(&mut self) {
        self.connection.close();
    }

    fn report_progress(&mut self, done: u64, total: u64) {
        self.connection.report_progress(done, total);
    }
}

impl Drop for InteractiveConnection {
    fn drop(&mut self) {
        self.connection.close();
        if let Some(server) = self.server.take() {
            linger(server, self.connection.exchange());
        }
    }
}

/// What a front end holds while a synchronization waits for the Web Connector ("Waiting for the
/// QuickBooks Web Connector…"). Cheap to clone; usable from any thread.
#[derive(Clone)]
pub struct WaitHandle {
    bridge: BridgeHandle,
    url: String,
}

impl WaitHandle {
    /// Idle (not opened yet, or finished), waiting for the Web Connector, QuickBooks opening the
    /// company file, or connected.
    pub fn status(&self) -> BridgeStatus {
        self.bridge.status()
    }

    /// Stops waiting: `open` returns [`QbError::Cancelled`]. A request QuickBooks already has
    /// ends [`QbError::InDoubt`]; the next synchronization settles it before sending anything.
    pub fn cancel(&self) {
        self.bridge.cancel();
    }

    /// The address custsync is listening on.
    pub fn url(&self) -> &str {
        &self.url
    }
}

struct Lingering {
    exchange: Arc<Exchange>,
    thread: JoinHandle<()>,
}

/// Servers kept up after their synchronization (at most one in practice).
static LINGERING: Mutex<Vec<Lingering>> = Mutex::new(Vec::new());

/// Keeps `server` up on its own thread until its last session closes (the exchange wakes the
/// thread when that happens), [`LINGER`] passes, or [`stop_lingering`] needs the port.
fn linger(server: RunningServer, exchange: Arc<Exchange>) {
    let waiting = Arc::clone(&exchange);
    let spawned = std::thread::Builder::new()
        .name("custsync-qbwc-linger".into())
        .spawn(move || {
            waiting.linger(Instant::now() + LINGER);
            server.shutdown();
        });
    // Without a thread the closure, and with it the server, is dropped: it stops at once.
    if let Ok(thread) = spawned {
        let mut list = LINGERING.lock().unwrap_or_else(PoisonError::into_inner);
        list.retain(|l| !l.thread.is_finished());
        list.push(Lingering { exchange, thread });
    }
}

/// Stops every lingering server and waits until their ports are free; how many were still up.
fn stop_lingering() -> usize {
    let list = std::mem::take(&mut *LINGERING.lock().unwrap_or_else(PoisonError::into_inner));
    let running = list.iter().filter(|l| !l.thread.is_finished()).count();
    for l in &list {
        l.exchange.stop_lingering();
    }
    for l in list {
        let _ = l.thread.join();
    }
    running
}
