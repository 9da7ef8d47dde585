//! [`WebConnectorConnection`]: the sync core's [`Connection`] over the Web Connector.
//!
//! The sync core calls it synchronously from its own thread; the Web Connector's calls arrive on
//! the HTTP workers. They meet in the exchange (a private module): `open` waits for the Web
//! Connector to log in and make its first `sendRequestXML`; `process` queues one document for the
//! next `sendRequestXML` and waits for the matching `receiveResponseXML`; `close` lets the Web
//! Connector's next call learn that the work is done (receiveResponseXML answers 100).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::qb::{AccessPrompt, Connection, ConnectionKind, QbError, SessionInfo};

use super::service::ScheduledOutcome;

use super::exchange::{BridgeStatus, Exchange};

/// A connection to QuickBooks through the Web Connector service it was made from.
///
/// One connection may be open at a time per service. A cancelled connection stays cancelled;
/// make a new one for the next synchronization.
pub struct WebConnectorConnection {
    exchange: Arc<Exchange>,
    company_file: String,
    wait_limit: Option<Duration>,
    handle: Arc<HandleState>,
}

#[derive(Default)]
struct HandleState {
    /// The bridge id while registered; 0 when not.
    id: AtomicU64,
    cancelled: AtomicBool,
}

impl WebConnectorConnection {
    pub(crate) fn new(exchange: Arc<Exchange>, company_file: String) -> Self {
        WebConnectorConnection {
            exchange,
            company_file,
            wait_limit: None,
            handle: Arc::new(HandleState::default()),
        }
    }

    /// A connection whose bridge the service already registered and attached (scheduled runs).
    pub(crate) fn attached(exchange: Arc<Exchange>, id: u64, company_file: String) -> Self {
        let c = Self::new(exchange, company_file);
        c.handle.id.store(id, Ordering::SeqCst);
        c
    }

    /// How long `open` (and a queued request) waits for the Web Connector to call before giving
    /// up with an error saying what to click. `None` (the default): until cancelled.
    pub fn with_wait_limit(mut self, limit: Option<Duration>) -> Self {
        self.wait_limit = limit;
        self
    }

    /// A handle another thread (the front end) uses to cancel waits and show progress.
    pub fn handle(&self) -> BridgeHandle {
        BridgeHandle {
            exchange: Arc::clone(&self.exchange),
            state: Arc::clone(&self.handle),
        }
    }

    /// The rendezvous this connection waits in (the server lingers on it after the connection
    /// is gone).
    pub(crate) fn exchange(&self) -> Arc<Exchange> {
        Arc::clone(&self.exchange)
    }

    /// The Host, Company and Preferences query responses the Web Connector sent on opening.
    pub fn hcp_response(&self) -> Option<String> {
        self.exchange
            .with_bridge(self.id()?, |b| b.hcp_response.clone())
            .flatten()
    }

    /// The edition's country the Web Connector reported (`US`, `CA`, `UK`…).
    pub fn qbxml_country(&self) -> Option<String> {
        self.exchange
            .with_bridge(self.id()?, |b| b.country.clone())
            .flatten()
    }

    /// Closes with the outcome the Web Connector should show (see
    /// [`ScheduledWork::run`](super::ScheduledWork::run)).
    pub(crate) fn finish(&mut self, outcome: ScheduledOutcome) {
        let id = self.handle.id.swap(0, Ordering::SeqCst);
        if id != 0 {
            let (message, ok) = match outcome {
                ScheduledOutcome::Done(m) => (m, true),
                ScheduledOutcome::Failed(m) => (m, false),
            };
            self.exchange.finish(id, Some(message), ok);
        }
    }

    fn id(&self) -> Option<u64> {
        match self.handle.id.load(Ordering::SeqCst) {
            0 => None,
            id => Some(id),
        }
    }
}

impl Connection for WebConnectorConnection {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::WebConnector
    }

    /// Waits for the Web Connector. Real QuickBooks shows its own Application Certificate dialog
    /// on its own screen, so `prompt` is not used.
    fn open(&mut self, _prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError> {
        if self.handle.cancelled.load(Ordering::SeqCst) {
            return Err(QbError::Cancelled);
        }
        let id = match self.id() {
            Some(id) => id,
            None => {
                let id = self.exchange.register(self.company_file.clone())?;
                self.handle.id.store(id, Ordering::SeqCst);
                // A cancel that raced the registration must still be seen.
                if self.handle.cancelled.load(Ordering::SeqCst) {
                    self.exchange.cancel(id);
                }
                id
            }
        };
        let opened = self.exchange.wait_open(id, self.wait_limit);
        if opened.is_err() {
            self.close();
        }
        opened
    }

    fn process(&mut self, request: &str) -> Result<String, QbError> {
        let id = self.id().ok_or_else(|| {
            QbError::Transport(
                "the Web Connector connection is not open; open it before sending requests".into(),
            )
        })?;
        self.exchange.exchange(id, request, self.wait_limit)
    }

    fn close(&mut self) {
        let id = self.handle.id.swap(0, Ordering::SeqCst);
        if id != 0 {
            self.exchange.close(id);
        }
    }

    fn report_progress(&mut self, done: u64, total: u64) {
        if let Some(id) = self.id() {
            self.exchange.set_progress(id, done, total);
        }
    }
}

impl Drop for WebConnectorConnection {
    fn drop(&mut self) {
        self.close();
    }
}

/// Cancels a connection's waits and reports its status, from any thread.
#[derive(Clone)]
pub struct BridgeHandle {
    exchange: Arc<Exchange>,
    state: Arc<HandleState>,
}

impl BridgeHandle {
    /// Stops waiting: `open` returns [`QbError::Cancelled`]; `process` returns `Cancelled` if
    /// its request had not been handed out yet, or [`QbError::InDoubt`] if QuickBooks had it.
    pub fn cancel(&self) {
        self.state.cancelled.store(true, Ordering::SeqCst);
        let id = self.state.id.load(Ordering::SeqCst);
        if id != 0 {
            self.exchange.cancel(id);
        }
    }

    pub fn status(&self) -> BridgeStatus {
        match self.state.id.load(Ordering::SeqCst) {
            0 => BridgeStatus::Idle,
            id => self.exchange.status(id),
        }
    }
}
