//! The SOAP methods: decode a call, run it against the credentials and the exchange, encode the
//! answer. Transport-free, so the HTTP server and tests share it.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::qb::{AccessPrompt, Connection, ConnectionKind, QbError, SessionInfo};

use super::auth::{Credentials, LoginThrottle, PasswordError, Refusal};
use super::bridge::WebConnectorConnection;
use super::clip::{clip, clip_to, user_name_prefix};
use super::exchange::{Attach, Exchange};
use super::soap::{self, Call, Method, Reply, ReplyValue};
use crate::qb::guid::Guid;

/// Timing of sessions and logins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSettings {
    /// What authenticate names as the company file when no interactive sync chose one
    /// (Setup's File Info; "" = the file open in QuickBooks).
    pub company_file: String,
    /// A ticket expires after this long without a call.
    pub ticket_ttl: Duration,
    /// How long sendRequestXML and receiveResponseXML wait for the sync core's next step before
    /// answering "nothing yet" (well under the Web Connector's own HTTP timeout).
    pub hold: Duration,
    /// Refusal time after the first failed login from a source; doubles with each failure.
    pub login_backoff: Duration,
    pub login_backoff_max: Duration,
    /// Password checks for all sources together: `login_check_burst` at once, then one per
    /// `login_check_interval` (sources that logged in lately are exempt).
    pub login_check_interval: Duration,
    pub login_check_burst: u32,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            company_file: String::new(),
            ticket_ttl: Duration::from_secs(30 * 60),
            hold: Duration::from_secs(2),
            login_backoff: Duration::from_secs(1),
            login_backoff_max: Duration::from_secs(60),
            login_check_interval: Duration::from_millis(500),
            login_check_burst: 4,
        }
    }
}

/// Work for a Web Connector that calls when no interactive synchronization is waiting (its
/// scheduler, or an operator's "Update Selected"). `custsync serve` supplies it from
/// `config.schedule`; the sync core implements it and journals each run.
pub trait ScheduledWork: Send + Sync {
    /// Whether there is anything to do now. `false`: authenticate answers "none".
    fn pending(&self) -> bool;

    /// Runs on its own thread with a connection already bound to the calling Web Connector
    /// session: call `open` (it returns once QuickBooks has the company file open), then
    /// `process` as needed.
    ///
    /// The session ends when `run` returns, not at `close`, so that the outcome reaches the Web
    /// Connector. Until then the Web Connector is kept waiting (NoOp), whatever the run still
    /// has to do.
    fn run(&self, connection: &mut dyn Connection) -> ScheduledOutcome;
}

/// How a scheduled run ended, in the words the Web Connector shows when the session closes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduledOutcome {
    /// Done (perhaps with nothing to do): shown in the Web Connector's status column.
    Done(String),
    /// Not done: shown as an error.
    Failed(String),
}

/// The connection a scheduled run gets: `close` is left to the service, which ends the session
/// with the run's outcome once `run` returns.
struct ScheduledConnection(WebConnectorConnection);

impl Connection for ScheduledConnection {
    fn kind(&self) -> ConnectionKind {
        self.0.kind()
    }

    fn open(&mut self, prompt: &mut dyn AccessPrompt) -> Result<SessionInfo, QbError> {
        self.0.open(prompt)
    }

    fn process(&mut self, request: &str) -> Result<String, QbError> {
        self.0.process(request)
    }

    fn close(&mut self) {}

    fn report_progress(&mut self, done: u64, total: u64) {
        self.0.report_progress(done, total);
    }
}

/// Runs `work` and ends the Web Connector session with its outcome. A panic in the run must
/// still end the session (with an error), or the Web Connector would wait for ever.
fn run_scheduled(work: &dyn ScheduledWork, conn: WebConnectorConnection) {
    let mut conn = ScheduledConnection(conn);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work.run(&mut conn)))
        .unwrap_or_else(|_| {
            ScheduledOutcome::Failed(
                "custsync's scheduled run stopped unexpectedly; see the output of custsync \
                 serve"
                    .into(),
            )
        });
    conn.0.finish(outcome);
}

/// A logged call's detail is cut to this many characters.
const MAX_LOGGED_CHARS: usize = 600;

/// One call, as logged by `custsync serve`. The password never appears, nor more than the start
/// of a user name that failed; values from the client are cut short and kept on one line.
#[derive(Clone, Copy, Debug)]
pub struct CallLog<'a> {
    pub peer: IpAddr,
    /// `None` when the request could not be read (a Fault was answered).
    pub method: Option<Method>,
    pub detail: &'a str,
}

type Observer = Box<dyn Fn(&CallLog<'_>) + Send + Sync>;

/// The Web Connector SOAP service.
pub struct Service {
    credentials: Credentials,
    throttle: LoginThrottle,
    exchange: Arc<Exchange>,
    company_file: String,
    scheduled: Option<Arc<dyn ScheduledWork>>,
    observer: Option<Observer>,
}

/// An HTTP answer to a SOAP request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoapResponse {
    /// 200, or 500 for a Fault.
    pub status: u16,
    pub body: String,
}

impl Service {
    pub fn new(credentials: Credentials, settings: ServiceSettings) -> Self {
        Service {
            credentials,
            throttle: LoginThrottle::new(
                settings.login_backoff,
                settings.login_backoff_max,
                settings.login_check_interval,
                settings.login_check_burst,
            ),
            exchange: Arc::new(Exchange::new(settings.ticket_ttl, settings.hold)),
            company_file: settings.company_file,
            scheduled: None,
            observer: None,
        }
    }

    /// The service Setup describes: its user name with the workspace's password hash (read
    /// again when `set-password` changes it), and its File Info as the company file
    /// authenticate names. Fails when no password is set.
    pub fn from_config(
        setup: &super::WebConnectorConfig,
        company_file: &str,
        workspace: &Path,
    ) -> Result<Self, PasswordError> {
        let credentials = Credentials::from_workspace(setup.user_name.clone(), workspace)?;
        let settings = ServiceSettings {
            company_file: company_file.to_string(),
            ..ServiceSettings::default()
        };
        Ok(Service::new(credentials, settings))
    }

    pub fn with_scheduled_work(mut self, work: Arc<dyn ScheduledWork>) -> Self {
        self.scheduled = Some(work);
        self
    }

    /// Called after every call, e.g. to log it.
    pub fn with_observer(mut self, f: impl Fn(&CallLog<'_>) + Send + Sync + 'static) -> Self {
        self.observer = Some(Box::new(f));
        self
    }

    /// A connection for an interactive synchronization through this service.
    pub fn connection(&self) -> WebConnectorConnection {
        WebConnectorConnection::new(Arc::clone(&self.exchange), self.company_file.clone())
    }

    /// Whether a Web Connector session is still open; a server kept alive for a finished
    /// synchronization can stop once none is.
    pub fn has_sessions(&self) -> bool {
        self.exchange.has_sessions()
    }

    /// Answers one SOAP request body from `peer`.
    pub fn handle(&self, body: &[u8], peer: IpAddr) -> SoapResponse {
        match soap::parse_call(body) {
            Err(fault) => {
                self.observe(peer, None, &format!("refused: {}", fault.message));
                SoapResponse {
                    status: 500,
                    body: fault.to_envelope(),
                }
            }
            Ok(call) => {
                let method = call.method();
                let (value, detail) = self.dispatch(call, peer);
                self.observe(peer, Some(method), &detail);
                SoapResponse {
                    status: 200,
                    body: Reply { method, value }.to_envelope(),
                }
            }
        }
    }

    fn observe(&self, peer: IpAddr, method: Option<Method>, detail: &str) {
        if let Some(f) = &self.observer {
            // Details quote what clients sent: bounded, and on one line.
            f(&CallLog {
                peer,
                method,
                detail: &clip_to(detail, MAX_LOGGED_CHARS),
            });
        }
    }

    fn dispatch(&self, call: Call, peer: IpAddr) -> (ReplyValue, String) {
        let text = |t: String, d: String| (ReplyValue::Text(t), d);
        match call {
            Call::ServerVersion => {
                let v = format!("custsync {}", env!("CARGO_PKG_VERSION"));
                text(v.clone(), v)
            }
            Call::ClientVersion { version } => {
                let answer = client_version_answer(&version);
                let detail = format!("Web Connector {}", clip(&version));
                text(answer, detail)
            }
            Call::Authenticate {
                user_name,
                password,
            } => self.authenticate(&user_name, &password, peer),
            Call::SendRequestXml(req) => {
                let (xml, note) = self.exchange.send_request(&req);
                text(xml, note)
            }
            Call::ReceiveResponseXml {
                ticket,
                response,
                hresult,
                message,
            } => {
                let (pct, note) = self
                    .exchange
                    .receive_response(&ticket, &response, &hresult, &message);
                (ReplyValue::Int(pct), format!("{note}; answered {pct}"))
            }
            Call::ConnectionError {
                ticket,
                hresult,
                message,
            } => {
                let answer = self.exchange.connection_error(&ticket, &hresult, &message);
                text(
                    answer,
                    format!("QuickBooks unreachable: {hresult} {message}"),
                )
            }
            Call::GetLastError { ticket } => {
                let e = self.exchange.last_error(&ticket);
                text(e.clone(), e)
            }
            Call::CloseConnection { ticket } => {
                let m = self.exchange.close_connection(&ticket);
                text(m.clone(), m)
            }
            // Interactive mode (a web page opened by the Web Connector) is not used: getLastError
            // never answers "Interactive mode", so these come only from confused clients.
            Call::GetInteractiveUrl { .. } => text(String::new(), "no interactive page".into()),
            Call::InteractiveRejected { reason, .. } => text(
                "custsync does not use interactive mode; nothing to do".into(),
                format!("interactive mode rejected: {reason}"),
            ),
            Call::InteractiveDone { .. } => text("Done".into(), "interactive mode done".into()),
        }
    }

    fn authenticate(&self, user_name: &str, password: &str, peer: IpAddr) -> (ReplyValue, String) {
        let answer = |ticket: String, status: &str, detail: String| {
            (
                ReplyValue::Strings(vec![ticket, status.to_string()]),
                detail,
            )
        };
        let unregistered = || Guid::random().to_string();
        let now = Instant::now();
        match self.throttle.check(peer, now) {
            Ok(()) => {}
            Err(Refusal::Source(wait)) => {
                return answer(
                    unregistered(),
                    "nvu",
                    format!(
                        "refused unchecked: too many failed logins from {peer}; next check in \
                         {:.1}s",
                        wait.as_secs_f64()
                    ),
                );
            }
            Err(Refusal::Everyone(wait)) => {
                return answer(
                    unregistered(),
                    "nvu",
                    format!(
                        "refused unchecked: too many logins from everywhere at once; next check \
                         in {:.1}s",
                        wait.as_secs_f64()
                    ),
                );
            }
        }
        match self.credentials.check(user_name, password) {
            Ok(true) => {}
            Ok(false) => {
                let wait = self.throttle.failed(peer, now);
                return answer(
                    unregistered(),
                    "nvu",
                    format!(
                        "wrong user name or password (user name \"{}\"); {peer} refused for \
                         {:.1}s",
                        user_name_prefix(user_name),
                        wait.as_secs_f64()
                    ),
                );
            }
            Err(e) => return answer(unregistered(), "nvu", format!("login refused: {e}")),
        }
        self.throttle.succeeded(peer);
        // A waiting interactive synchronization comes first.
        let interactive = || match self.exchange.attach() {
            Attach::Attached {
                ticket,
                company_file,
            } => {
                let detail = format!("synchronization session opened on {}", shown(&company_file));
                Some(answer(ticket, &company_file, detail))
            }
            Attach::NoBridge => None,
        };
        let nothing = || answer(unregistered(), "none", "nothing to do".into());
        if let Some(attached) = interactive() {
            return attached;
        }
        let Some(work) = self.scheduled.as_ref().filter(|w| w.pending()) else {
            return nothing();
        };
        match self.exchange.register_attached(self.company_file.clone()) {
            Some((id, ticket)) => {
                let conn = WebConnectorConnection::attached(
                    Arc::clone(&self.exchange),
                    id,
                    self.company_file.clone(),
                );
                let work = Arc::clone(work);
                let spawned = std::thread::Builder::new()
                    .name("custsync-scheduled-run".into())
                    .spawn(move || run_scheduled(work.as_ref(), conn));
                match spawned {
                    Ok(_) => answer(
                        ticket,
                        &self.company_file,
                        format!("scheduled run started on {}", shown(&self.company_file)),
                    ),
                    Err(e) => answer(
                        unregistered(),
                        "busy",
                        format!("could not start the scheduled run: {e}"),
                    ),
                }
            }
            // An interactive synchronization started meanwhile; it has priority.
            None => interactive().unwrap_or_else(nothing),
        }
    }
}

fn shown(company_file: &str) -> &str {
    if company_file.is_empty() {
        "the company file open in QuickBooks"
    } else {
        company_file
    }
}

/// "" lets the Web Connector go on. Before 2.0 it lacks NoOp, which keeps interactive sessions
/// open while custsync is still deciding, so it is warned (it may still go on).
fn client_version_answer(version: &str) -> String {
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.trim().parse::<u32>().ok());
    match major {
        Some(m) if m < 2 => format!(
            "W:This Web Connector ({}) is older than 2.0; custsync works best with 2.0 or \
             later. Please update the QuickBooks Web Connector.",
            clip(version)
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_only_old_web_connectors() {
        assert_eq!(client_version_answer("2.2.0.71"), "");
        assert_eq!(client_version_answer(""), "");
        assert!(client_version_answer("1.5.0.1").starts_with("W:"));
    }
}
