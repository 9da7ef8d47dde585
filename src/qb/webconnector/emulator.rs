//! A stand-in for the QuickBooks Web Connector: it calls the service over real HTTP(S) in the
//! order QBWC does, with a pluggable [`QuickBooks`] behind it. Tests drive it; a demo could too.
//!
//! One [`Emulator::run_update`] is one click on "Update Selected":
//! `serverVersion` (no parameter) → `clientVersion` → `authenticate` → QuickBooks opens the file
//! (on failure `connectionError`) → the Host/Company/Preferences queries → `sendRequestXML`
//! (with the HCP response on the first call only) ⇄ `receiveResponseXML` until 100 or negative;
//! an empty `sendRequestXML` is followed by `getLastError`, whose `NoOp` means "pause and ask
//! again" → `closeConnection`.
//!
//! It also checks what it receives: every answer must be a SOAP envelope with the right
//! response element in the Intuit namespace, or the update fails with [`EmulatorError`].

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support (the test-support feature): a panic is a test failure"
)]

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use quick_xml::NsReader;
use quick_xml::events::Event;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

use crate::qb::{AccessPrompt, Connection, QbError, hresult};
use crate::qbxml::QbxmlVersion;

use super::soap::{self, INTUIT_NS, Method, ReplyValue, SOAP_ENV_NS};
use super::tls::crypto_provider;

/// An HRESULT failure of the request processor, as QBWC would relay it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QbFailure {
    pub hresult: u32,
    pub message: String,
}

/// What QuickBooks reports once the company file is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedFile {
    pub company_file: String,
    pub country: String,
    pub qbxml_major: i32,
    pub qbxml_minor: i32,
}

/// The QuickBooks behind the emulated Web Connector (a canned fake, or the sandbox processor).
pub trait QuickBooks {
    /// OpenConnection + BeginSession on `company_file` ("" = the open file).
    fn open(&mut self, company_file: &str) -> Result<OpenedFile, QbFailure>;

    /// ProcessRequest.
    fn process(&mut self, request: &str) -> Result<String, QbFailure>;

    /// EndSession + CloseConnection.
    fn close(&mut self) {}

    /// The Host, Company and Preferences queries QBWC runs itself before the first
    /// sendRequestXML; their response goes to the service as `strHCPResponse`.
    fn hcp_response(&mut self, opened: &OpenedFile) -> Result<String, QbFailure> {
        let request = hcp_request(opened.qbxml_major, opened.qbxml_minor);
        self.process(&request)
    }
}

/// Any [`Connection`] (the sandbox's, for one) as the QuickBooks behind the emulator: QBWC's
/// OpenConnection/BeginSession become `open`, ProcessRequest becomes `process`, and an
/// [`QbError::Hresult`] becomes the HRESULT QBWC relays.
pub struct ConnectionQuickBooks<C: Connection> {
    pub connection: C,
    prompt: Box<dyn AccessPrompt + Send>,
}

impl<C: Connection> ConnectionQuickBooks<C> {
    /// `prompt` answers QuickBooks' Application Certificate question for the emulated machine.
    pub fn new(connection: C, prompt: Box<dyn AccessPrompt + Send>) -> Self {
        ConnectionQuickBooks { connection, prompt }
    }
}

fn failure(e: QbError) -> QbFailure {
    match e {
        QbError::Hresult { code, message } => QbFailure {
            hresult: code,
            message,
        },
        other => QbFailure {
            hresult: hresult::UNEXPECTED,
            message: other.to_string(),
        },
    }
}

impl<C: Connection> QuickBooks for ConnectionQuickBooks<C> {
    fn open(&mut self, company_file: &str) -> Result<OpenedFile, QbFailure> {
        let info = self
            .connection
            .open(self.prompt.as_mut())
            .map_err(failure)?;
        if !company_file.is_empty() && !company_file.eq_ignore_ascii_case(&info.company_file) {
            self.connection.close();
            return Err(QbFailure {
                hresult: hresult::OTHER_FILE_OPEN,
                message: format!("A different company file ({}) is open.", info.company_file),
            });
        }
        let level = info
            .supported_versions
            .iter()
            .max()
            .copied()
            .unwrap_or(QbxmlVersion::MIN);
        Ok(OpenedFile {
            company_file: info.company_file,
            country: "US".into(),
            qbxml_major: i32::from(level.major),
            qbxml_minor: i32::from(level.minor),
        })
    }

    fn process(&mut self, request: &str) -> Result<String, QbFailure> {
        self.connection.process(request).map_err(failure)
    }

    fn close(&mut self) {
        self.connection.close();
    }
}

/// The HostQuery + CompanyQuery + PreferencesQuery document QBWC sends on opening.
pub fn hcp_request(major: i32, minor: i32) -> String {
    format!(
        "<?xml version=\"1.0\" ?><?qbxml version=\"{major}.{minor}\"?><QBXML>\
         <QBXMLMsgsRq onError=\"continueOnError\"><HostQueryRq requestID=\"1\"/>\
         <CompanyQueryRq requestID=\"2\"/><PreferencesQueryRq requestID=\"3\"/>\
         </QBXMLMsgsRq></QBXML>"
    )
}

/// How the emulated Web Connector behaves.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    pub user_name: String,
    pub password: String,
    pub client_version: String,
    /// QBWC waits about 5 s after a NoOp.
    pub noop_pause: Duration,
    /// Calls allowed in one update before it gives up (keeps a broken service from looping).
    pub max_calls: usize,
    /// Scripted fault: after QuickBooks processed the n-th request (1-based) of an update, the
    /// Web Connector "crashes" — it never sends the response and the update ends.
    pub lose_response_at: Option<usize>,
    /// Scripted fault: after QuickBooks processed the n-th request, call sendRequestXML again
    /// instead of returning the response (the response is dropped).
    pub repeat_send_at: Option<usize>,
    /// Scripted fault, once: like `lose_response_at`, for the first request (of any update)
    /// whose text contains this, e.g. `<CustomerAddRq` — QuickBooks applied it, the response
    /// never reaches the service. Cleared when it fires.
    pub lose_response_matching: Option<String>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            user_name: String::new(),
            password: String::new(),
            client_version: "2.3.0.36".into(),
            noop_pause: Duration::from_secs(5),
            max_calls: 10_000,
            lose_response_at: None,
            repeat_send_at: None,
            lose_response_matching: None,
        }
    }
}

/// How an update ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// receiveResponseXML said 100; closeConnection's answer.
    Completed { close_message: String },
    /// authenticate said `nvu`.
    InvalidUser,
    /// authenticate said `none`.
    NoWork,
    /// authenticate said `busy`.
    Busy,
    /// QuickBooks could not open the file; connectionError's answer, then closeConnection's.
    ConnectionFailed {
        answer: String,
        close_message: String,
    },
    /// The service ended the update through getLastError (after a negative percent, or an empty
    /// sendRequestXML not followed by NoOp): QBWC shows this text, then calls closeConnection.
    LastError {
        message: String,
        close_message: String,
    },
    /// A scripted fault ended the update without closeConnection.
    Crashed,
}

/// What one update did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateReport {
    pub outcome: UpdateOutcome,
    pub ticket: String,
    /// authenticate's second element (company file, none, nvu, busy).
    pub auth_status: String,
    /// The qbXML requests the service handed out, in order.
    pub requests: Vec<String>,
    pub noops: usize,
    pub percents: Vec<i32>,
}

/// One SOAP call as sent and answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRecord {
    pub method: Method,
    pub request: String,
    pub status: u16,
    pub response: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("HTTP failure: {0}")]
    Http(#[from] io::Error),
    #[error("{method} got HTTP {status}: {body}")]
    Status {
        method: &'static str,
        status: u16,
        body: String,
    },
    #[error("{method} got an answer the Web Connector could not read: {problem}")]
    BadResponse {
        method: &'static str,
        problem: String,
    },
    #[error("the update made more than {0} calls")]
    TooManyCalls(usize),
}

/// The emulated Web Connector.
pub struct Emulator<Q: QuickBooks> {
    client: HttpClient,
    qb: Q,
    pub config: EmulatorConfig,
    transcript: Vec<CallRecord>,
}

impl<Q: QuickBooks> Emulator<Q> {
    pub fn new(client: HttpClient, qb: Q, config: EmulatorConfig) -> Self {
        Emulator {
            client,
            qb,
            config,
            transcript: Vec::new(),
        }
    }

    pub fn quickbooks(&self) -> &Q {
        &self.qb
    }

    pub fn quickbooks_mut(&mut self) -> &mut Q {
        &mut self.qb
    }

    /// Every call of every update so far.
    pub fn transcript(&self) -> &[CallRecord] {
        &self.transcript
    }

    /// One call with these parameters (names as in the WSDL), its answer decoded.
    pub fn call(
        &mut self,
        method: Method,
        params: &[(&'static str, &str)],
    ) -> Result<ReplyValue, EmulatorError> {
        let request = request_envelope(method, params);
        let reply = self.client.post_soap(method.name(), request.as_bytes())?;
        let body = String::from_utf8_lossy(&reply.body).into_owned();
        self.transcript.push(CallRecord {
            method,
            request,
            status: reply.status,
            response: body.clone(),
        });
        if reply.status != 200 {
            return Err(EmulatorError::Status {
                method: method.name(),
                status: reply.status,
                body,
            });
        }
        decode_reply(method, &body).map_err(|problem| EmulatorError::BadResponse {
            method: method.name(),
            problem,
        })
    }

    fn call_text(
        &mut self,
        method: Method,
        params: &[(&'static str, &str)],
    ) -> Result<String, EmulatorError> {
        match self.call(method, params)? {
            ReplyValue::Text(t) => Ok(t),
            other => Err(EmulatorError::BadResponse {
                method: method.name(),
                problem: format!("expected a string, got {other:?}"),
            }),
        }
    }

    /// One "Update Selected".
    pub fn run_update(&mut self) -> Result<UpdateReport, EmulatorError> {
        let mut report = UpdateReport {
            outcome: UpdateOutcome::Crashed,
            ticket: String::new(),
            auth_status: String::new(),
            requests: Vec::new(),
            noops: 0,
            percents: Vec::new(),
        };
        self.call_text(Method::ServerVersion, &[])?;
        let version = self.config.client_version.clone();
        let answer = self.call_text(Method::ClientVersion, &[("strVersion", &version)])?;
        if answer.starts_with("E:") || answer.starts_with("O:") {
            report.outcome = UpdateOutcome::LastError {
                message: answer,
                close_message: String::new(),
            };
            return Ok(report);
        }
        let (user, password) = (self.config.user_name.clone(), self.config.password.clone());
        let auth = match self.call(
            Method::Authenticate,
            &[("strUserName", &user), ("strPassword", &password)],
        )? {
            ReplyValue::Strings(s) if s.len() >= 2 => s,
            other => {
                return Err(EmulatorError::BadResponse {
                    method: "authenticate",
                    problem: format!("expected at least two strings, got {other:?}"),
                });
            }
        };
        let ticket = auth[0].clone();
        let status = auth[1].clone();
        report.ticket = ticket.clone();
        report.auth_status = status.clone();
        match status.as_str() {
            "nvu" => {
                report.outcome = UpdateOutcome::InvalidUser;
                return Ok(report);
            }
            "none" => {
                report.outcome = UpdateOutcome::NoWork;
                return Ok(report);
            }
            "busy" => {
                report.outcome = UpdateOutcome::Busy;
                return Ok(report);
            }
            _ => {}
        }
        let opened = match self.qb.open(&status) {
            Ok(o) => o,
            Err(f) => {
                report.outcome = self.connection_failed(&ticket, &f)?;
                return Ok(report);
            }
        };
        let mut hcp = match self.qb.hcp_response(&opened) {
            Ok(h) => h,
            Err(f) => {
                self.qb.close();
                report.outcome = self.connection_failed(&ticket, &f)?;
                return Ok(report);
            }
        };
        let outcome = self.exchange_loop(&ticket, &opened, &mut hcp, &mut report);
        self.qb.close();
        report.outcome = outcome?;
        Ok(report)
    }

    fn exchange_loop(
        &mut self,
        ticket: &str,
        opened: &OpenedFile,
        hcp: &mut String,
        report: &mut UpdateReport,
    ) -> Result<UpdateOutcome, EmulatorError> {
        let major = opened.qbxml_major.to_string();
        let minor = opened.qbxml_minor.to_string();
        let mut calls = 0usize;
        loop {
            calls += 1;
            if calls > self.config.max_calls {
                return Err(EmulatorError::TooManyCalls(self.config.max_calls));
            }
            // The HCP response goes with the first call of the session only.
            let hcp_now = std::mem::take(hcp);
            let request = self.call_text(
                Method::SendRequestXml,
                &[
                    ("ticket", ticket),
                    ("strHCPResponse", &hcp_now),
                    ("strCompanyFileName", &opened.company_file),
                    ("qbXMLCountry", &opened.country),
                    ("qbXMLMajorVers", &major),
                    ("qbXMLMinorVers", &minor),
                ],
            )?;
            if request.is_empty() {
                let message = self.call_text(Method::GetLastError, &[("ticket", ticket)])?;
                if message == "NoOp" {
                    report.noops += 1;
                    std::thread::sleep(self.config.noop_pause);
                    continue;
                }
                let close_message = self.close(ticket)?;
                return Ok(UpdateOutcome::LastError {
                    message,
                    close_message,
                });
            }
            report.requests.push(request.clone());
            let n = report.requests.len();
            let processed = self.qb.process(&request);
            let matched = self
                .config
                .lose_response_matching
                .as_deref()
                .is_some_and(|m| request.contains(m));
            if matched {
                self.config.lose_response_matching = None;
            }
            if matched || self.config.lose_response_at == Some(n) {
                return Ok(UpdateOutcome::Crashed);
            }
            if self.config.repeat_send_at == Some(n) {
                continue;
            }
            let (response, hr, msg) = match processed {
                Ok(r) => (r, String::new(), String::new()),
                Err(f) => (String::new(), hresult::format(f.hresult), f.message),
            };
            let percent = match self.call(
                Method::ReceiveResponseXml,
                &[
                    ("ticket", ticket),
                    ("response", &response),
                    ("hresult", &hr),
                    ("message", &msg),
                ],
            )? {
                ReplyValue::Int(p) => p,
                other => {
                    return Err(EmulatorError::BadResponse {
                        method: "receiveResponseXML",
                        problem: format!("expected an int, got {other:?}"),
                    });
                }
            };
            report.percents.push(percent);
            if percent >= 100 {
                let close_message = self.close(ticket)?;
                return Ok(UpdateOutcome::Completed { close_message });
            }
            if percent < 0 {
                let message = self.call_text(Method::GetLastError, &[("ticket", ticket)])?;
                let close_message = self.close(ticket)?;
                return Ok(UpdateOutcome::LastError {
                    message,
                    close_message,
                });
            }
        }
    }

    fn close(&mut self, ticket: &str) -> Result<String, EmulatorError> {
        self.call_text(Method::CloseConnection, &[("ticket", ticket)])
    }

    /// QuickBooks could not be reached: connectionError, then closeConnection.
    fn connection_failed(
        &mut self,
        ticket: &str,
        f: &QbFailure,
    ) -> Result<UpdateOutcome, EmulatorError> {
        let answer = self.call_text(
            Method::ConnectionError,
            &[
                ("ticket", ticket),
                ("hresult", &hresult::format(f.hresult)),
                ("message", &f.message),
            ],
        )?;
        let close_message = self.close(ticket)?;
        Ok(UpdateOutcome::ConnectionFailed {
            answer,
            close_message,
        })
    }
}

/// A request envelope the way QBWC writes it (parameters in the method's default namespace).
pub fn request_envelope(method: Method, params: &[(&'static str, &str)]) -> String {
    soap::envelope(|w| {
        w.start(method.name()).attr("xmlns", INTUIT_NS);
        for (name, value) in params {
            w.leaf(name, value);
        }
    })
}

/// Reads an answer as QBWC's SOAP stack would: `<methodResponse>` in the Intuit namespace,
/// holding `<methodResult>`.
pub fn decode_reply(method: Method, envelope: &str) -> Result<ReplyValue, String> {
    if !envelope.starts_with("<?xml") {
        return Err("the answer does not start with <?xml (stray bytes before it?)".into());
    }
    let mut r = NsReader::from_str(envelope);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut strings: Vec<String> = Vec::new();
    let mut result: Option<String> = None;
    // Named from the method as QBWC's WSDL proxy names them, not from the service's own table.
    let response = format!("{}Response", method.name());
    let result_name = format!("{}Result", method.name());
    let expected_at = |depth: usize| match depth {
        1 => Some(("Envelope", SOAP_ENV_NS)),
        2 => Some(("Body", SOAP_ENV_NS)),
        3 => Some((response.as_str(), INTUIT_NS)),
        4 => Some((result_name.as_str(), INTUIT_NS)),
        5 if method == Method::Authenticate => Some(("string", INTUIT_NS)),
        _ => None,
    };
    let check = |depth: usize, ns: Option<&str>, local: &str| match expected_at(depth) {
        Some((name, want_ns)) if local == name && ns == Some(want_ns) => Ok(()),
        Some((name, want_ns)) => Err(format!(
            "expected <{name}> in {want_ns} at depth {depth}, found <{local}> in {}",
            ns.unwrap_or("no namespace")
        )),
        None => Err(format!("unexpected element <{local}> at depth {depth}")),
    };
    loop {
        let (res, ev) = r.read_resolved_event().map_err(|e| e.to_string())?;
        let ns = soap::namespace_of(&res);
        match ev {
            Event::Start(e) => {
                let local = e.local_name().into_inner().to_string();
                check(path.len() + 1, ns.as_deref(), &local)?;
                path.push(local);
                text.clear();
            }
            Event::Empty(e) => {
                let local = e.local_name().into_inner().to_string();
                check(path.len() + 1, ns.as_deref(), &local)?;
                if local == "string" {
                    strings.push(String::new());
                } else if local == result_name {
                    result = Some(String::new());
                }
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) => soap::push_reference(&mut text, &g)?,
            Event::CData(c) => text.push_str(&c.xml10_content()),
            Event::End(_) => {
                let Some(local) = path.pop() else {
                    return Err("unbalanced end tag".into());
                };
                if local == "string" {
                    strings.push(std::mem::take(&mut text));
                } else if local == result_name {
                    result = Some(std::mem::take(&mut text));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let value = match method {
        Method::Authenticate => ReplyValue::Strings(strings),
        Method::ReceiveResponseXml => {
            let raw = result.ok_or("no receiveResponseXMLResult")?;
            ReplyValue::Int(
                raw.trim()
                    .parse()
                    .map_err(|_| format!("receiveResponseXMLResult \"{raw}\" is not an int"))?,
            )
        }
        _ => ReplyValue::Text(result.unwrap_or_default()),
    };
    Ok(value)
}

/// An HTTP response as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 client: one request per connection, like the server.
#[derive(Clone)]
pub struct HttpClient {
    addr: SocketAddr,
    path: String,
    host: String,
    tls: Option<(Arc<ClientConfig>, ServerName<'static>)>,
    pub timeout: Duration,
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

impl HttpClient {
    pub fn plain(addr: SocketAddr, path: &str) -> Self {
        HttpClient {
            addr,
            path: path.to_string(),
            host: addr.to_string(),
            tls: None,
            timeout: Duration::from_secs(60),
        }
    }

    /// HTTPS to `server_name`, trusting only the PEM certificates in `roots_pem`.
    pub fn https(
        addr: SocketAddr,
        path: &str,
        server_name: &str,
        roots_pem: &[u8],
    ) -> io::Result<Self> {
        let invalid = |e: String| io::Error::new(io::ErrorKind::InvalidInput, e);
        let mut roots = RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(roots_pem) {
            roots
                .add(cert.map_err(|e| invalid(e.to_string()))?)
                .map_err(|e| invalid(e.to_string()))?;
        }
        let config = ClientConfig::builder_with_provider(crypto_provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name =
            ServerName::try_from(server_name.to_string()).map_err(|e| invalid(e.to_string()))?;
        Ok(HttpClient {
            addr,
            path: path.to_string(),
            host: format!("{server_name}:{}", addr.port()),
            tls: Some((Arc::new(config), name)),
            timeout: Duration::from_secs(60),
        })
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn connect(&self) -> io::Result<Box<dyn Stream>> {
        let tcp = TcpStream::connect_timeout(&self.addr, self.timeout)?;
        tcp.set_read_timeout(Some(self.timeout))?;
        tcp.set_write_timeout(Some(self.timeout))?;
        Ok(match &self.tls {
            None => Box::new(tcp),
            Some((cfg, name)) => {
                let conn = ClientConnection::new(Arc::clone(cfg), name.clone())
                    .map_err(|e| io::Error::other(e.to_string()))?;
                Box::new(StreamOwned::new(conn, tcp))
            }
        })
    }

    /// POSTs a SOAP envelope the way the Web Connector's .NET stack does (with
    /// `Expect: 100-continue`).
    pub fn post_soap(&self, action: &str, body: &[u8]) -> io::Result<HttpReply> {
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: custsync-qbwc-emulator\r\n\
             Content-Type: text/xml; charset=utf-8\r\nSOAPAction: \"{INTUIT_NS}{action}\"\r\n\
             Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
            self.path,
            self.host,
            body.len()
        );
        let mut s = self.connect()?;
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        s.flush()?;
        read_reply(&mut *s)
    }

    /// Sends raw bytes and reads whatever answer comes (for malformed-request tests).
    pub fn send_raw(&self, bytes: &[u8]) -> io::Result<HttpReply> {
        let mut s = self.connect()?;
        s.write_all(bytes)?;
        s.flush()?;
        read_reply(&mut *s)
    }

    pub fn get(&self, path: &str) -> io::Result<HttpReply> {
        let head = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host
        );
        self.send_raw(head.as_bytes())
    }
}

/// Reads a response to the end of the connection, skipping `100 Continue`.
pub fn read_reply(s: &mut dyn Read) -> io::Result<HttpReply> {
    let mut buf = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            // A peer that closes without TLS close_notify: keep what arrived.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
            Err(e) if !buf.is_empty() && e.kind() == io::ErrorKind::ConnectionReset => break,
            Err(e) => return Err(e),
        }
        if Instant::now() > deadline {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "response too slow"));
        }
    }
    let mut rest: &[u8] = &buf;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut resp = httparse::Response::new(&mut headers);
        let used = match resp.parse(rest) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "incomplete response head",
                ));
            }
            Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e.to_string())),
        };
        let status = resp.code.unwrap_or(0);
        let headers: Vec<(String, String)> = resp
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).trim().to_string(),
                )
            })
            .collect();
        rest = rest.get(used..).unwrap_or_default();
        if status == 100 {
            continue;
        }
        let mut body = rest.to_vec();
        if let Some(len) = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
        {
            if body.len() < len {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "response body shorter than Content-Length",
                ));
            }
            body.truncate(len);
        }
        return Ok(HttpReply {
            status,
            headers,
            body,
        });
    }
}
