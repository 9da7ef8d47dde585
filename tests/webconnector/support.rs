//! Shared by the Web Connector suites: a fake QuickBooks behind the emulated Web Connector, a
//! running service, the sync core's side played by a thread, and checks of what the service
//! answered.
//!
//! The fake implements `emulator::QuickBooks`; `sync.rs` puts the sandbox company
//! behind the emulator instead, through `emulator::ConnectionQuickBooks`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use custsync::qb::webconnector::emulator::{
    CallRecord, Emulator, EmulatorConfig, HttpClient, HttpReply, OpenedFile, QbFailure, QuickBooks,
    request_envelope,
};
use custsync::qb::webconnector::soap::Method;
use custsync::qb::webconnector::{
    BridgeHandle, BridgeStatus, Credentials, HttpLimits, RunningServer, ScheduledOutcome,
    ScheduledWork, ServerOptions, Service, ServiceSettings, StoredPassword, WebConnectorConnection,
    serve,
};
use quick_xml::Reader;
use quick_xml::events::Event;

pub const USER: &str = "shop1";
pub const PASSWORD: &str = "correct horse battery";
pub const COMPANY: &str =
    r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Acme & Sons.QBW";

/// Hashing is deliberately slow; one hash of [`PASSWORD`] serves every test in a binary.
pub fn stored_password() -> StoredPassword {
    static HASH: OnceLock<StoredPassword> = OnceLock::new();
    HASH.get_or_init(|| StoredPassword::hash(PASSWORD).expect("hash"))
        .clone()
}

pub fn credentials() -> Credentials {
    Credentials::new(USER, stored_password())
}

/// Short waits so the suites run fast; the logic is the same as with the defaults.
pub fn fast_settings() -> ServiceSettings {
    ServiceSettings {
        company_file: String::new(),
        ticket_ttl: Duration::from_secs(60),
        hold: Duration::from_millis(150),
        login_backoff: Duration::from_millis(300),
        login_backoff_max: Duration::from_secs(3),
        ..ServiceSettings::default()
    }
}

pub fn local_options() -> ServerOptions {
    ServerOptions {
        listen: "127.0.0.1:0".into(),
        path: "/qbwc".into(),
        tls: None,
        limits: HttpLimits::default(),
    }
}

/// A running service and what it logged.
pub struct Harness {
    pub service: Arc<Service>,
    pub server: RunningServer,
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Harness {
    pub fn start(settings: ServiceSettings, work: Option<Arc<dyn ScheduledWork>>) -> Self {
        Self::start_with(local_options(), settings, work)
    }

    pub fn start_with(
        opts: ServerOptions,
        settings: ServiceSettings,
        work: Option<Arc<dyn ScheduledWork>>,
    ) -> Self {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        let mut service = Service::new(credentials(), settings).with_observer(move |c| {
            let m = c.method.map(|m| m.name()).unwrap_or("?");
            sink.lock().unwrap().push(format!("{m}: {}", c.detail));
        });
        if let Some(w) = work {
            service = service.with_scheduled_work(w);
        }
        let service = Arc::new(service);
        let server = serve(&opts, Arc::clone(&service)).expect("server starts");
        Harness {
            service,
            server,
            log,
        }
    }

    pub fn client(&self) -> HttpClient {
        HttpClient::plain(self.server.local_addr(), "/qbwc")
    }

    pub fn emulator(&self, qb: FakeQuickBooks) -> Emulator<FakeQuickBooks> {
        Emulator::new(self.client(), qb, emulator_config())
    }

    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Plays the sync core: runs `core` on its own thread with a new connection of this service,
    /// and returns once that connection waits for the Web Connector.
    pub fn start_core<T: Send + 'static>(
        &self,
        core: impl FnOnce(WebConnectorConnection) -> T + Send + 'static,
    ) -> (JoinHandle<T>, BridgeHandle) {
        let conn = self.service.connection();
        let handle = conn.handle();
        let thread = thread::spawn(move || core(conn));
        wait_for("the bridge to wait", || {
            handle.status() == BridgeStatus::WaitingForWebConnector
        });
        (thread, handle)
    }
}

/// Polls `cond` until it holds; fails the test after 30 s.
pub fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// A well-formed serverVersion call, to see that the service answers.
pub fn server_version(client: &HttpClient) -> HttpReply {
    client
        .post_soap(
            "serverVersion",
            request_envelope(Method::ServerVersion, &[]).as_bytes(),
        )
        .expect("an answer to serverVersion")
}

pub fn emulator_config() -> EmulatorConfig {
    EmulatorConfig {
        user_name: USER.into(),
        password: PASSWORD.into(),
        noop_pause: Duration::from_millis(100),
        max_calls: 2000,
        ..EmulatorConfig::default()
    }
}

/// Every successful answer in the transcript: a clean envelope whose Body element validates
/// against the WSDL's schema. (The WSDL has no interactive-mode elements; those are skipped.)
pub fn assert_transcript_valid(transcript: &[CallRecord]) {
    let interactive = [
        Method::GetInteractiveUrl,
        Method::InteractiveRejected,
        Method::InteractiveDone,
    ];
    let answers: Vec<&str> = transcript
        .iter()
        .filter(|c| c.status == 200 && !interactive.contains(&c.method))
        .map(|c| c.response.as_str())
        .collect();
    assert!(!answers.is_empty(), "nothing to validate");
    for a in &answers {
        assert!(
            a.starts_with("<?xml"),
            "stray bytes before the declaration: {a:?}"
        );
    }
    custsync::testkit::assert_valid_soap_bodies(&answers);
}

/// What the fake QuickBooks holds and saw. Shared, so a test can look while the emulator runs.
#[derive(Debug, Default)]
pub struct FakeState {
    /// The company file QuickBooks has open.
    pub open_file: String,
    pub major: i32,
    pub minor: i32,
    pub open_failure: Option<QbFailure>,
    /// Fail the n-th processed document (1-based, HCP queries not counted).
    pub fail_request: Option<(usize, QbFailure)>,
    pub opens: usize,
    /// Every document processed, HCP queries excluded.
    pub received: Vec<String>,
    /// Names of customers CustomerAdd created.
    pub added: Vec<String>,
    /// Responses kept for message-set recovery, by newMessageSetID.
    pub stored: HashMap<String, String>,
}

#[derive(Clone, Debug)]
pub struct FakeQuickBooks {
    pub state: Arc<Mutex<FakeState>>,
}

impl FakeQuickBooks {
    pub fn new() -> Self {
        FakeQuickBooks {
            state: Arc::new(Mutex::new(FakeState {
                open_file: COMPANY.into(),
                major: 13,
                minor: 0,
                ..FakeState::default()
            })),
        }
    }

    pub fn with(f: impl FnOnce(&mut FakeState)) -> Self {
        let qb = Self::new();
        f(&mut qb.state.lock().unwrap());
        qb
    }

    pub fn snapshot<T>(&self, f: impl FnOnce(&FakeState) -> T) -> T {
        f(&self.state.lock().unwrap())
    }
}

impl QuickBooks for FakeQuickBooks {
    fn open(&mut self, company_file: &str) -> Result<OpenedFile, QbFailure> {
        let mut st = self.state.lock().unwrap();
        if let Some(f) = st.open_failure.clone() {
            return Err(f);
        }
        if !company_file.is_empty() && !company_file.eq_ignore_ascii_case(&st.open_file) {
            return Err(QbFailure {
                hresult: 0x8004_040A,
                message: "A different company file is already open.".into(),
            });
        }
        st.opens += 1;
        Ok(OpenedFile {
            company_file: st.open_file.clone(),
            country: "US".into(),
            qbxml_major: st.major,
            qbxml_minor: st.minor,
        })
    }

    fn process(&mut self, request: &str) -> Result<String, QbFailure> {
        let mut st = self.state.lock().unwrap();
        let doc = read_request(request).map_err(|e| QbFailure {
            hresult: 0x8004_0400,
            message: format!(
                "QuickBooks found an error when parsing the provided XML text stream: {e}"
            ),
        })?;
        let is_hcp = doc.requests.iter().any(|(n, _)| n == "HostQuery");
        if !is_hcp {
            st.received.push(request.to_string());
            let n = st.received.len();
            if let Some((at, f)) = st.fail_request.clone()
                && at == n
            {
                return Err(f);
            }
        }
        if let Some(old) = &doc.old_message_set {
            return Ok(st.stored.get(old).cloned().unwrap_or_else(|| {
                "<?xml version=\"1.0\" ?><QBXML><QBXMLMsgsRs messageSetStatusCode=\"9001\"/></QBXML>"
                    .into()
            }));
        }
        let mut body = String::new();
        for (name, id) in &doc.requests {
            body.push_str(&fake_response(&mut st, name, id, &doc));
        }
        let attr = doc
            .new_message_set
            .as_ref()
            .map(|m| format!(" newMessageSetID=\"{m}\""))
            .unwrap_or_default();
        let response = format!(
            "<?xml version=\"1.0\" ?><QBXML><QBXMLMsgsRs{attr}>{body}</QBXMLMsgsRs></QBXML>"
        );
        if let Some(m) = &doc.new_message_set {
            st.stored.insert(m.clone(), response.clone());
        }
        Ok(response)
    }
}

fn fake_response(st: &mut FakeState, name: &str, id: &str, doc: &RequestSummary) -> String {
    let ok = format!(
        "requestID=\"{id}\" statusCode=\"0\" statusSeverity=\"Info\" statusMessage=\"Status OK\""
    );
    match name {
        "HostQuery" => {
            let versions: String = ["1.0", "2.0", "12.0", "13.0"]
                .iter()
                .map(|v| format!("<SupportedQBXMLVersion>{v}</SupportedQBXMLVersion>"))
                .collect();
            format!(
                "<HostQueryRs {ok}><HostRet><ProductName>QuickBooks Pro 2014</ProductName>\
                 <MajorVersion>24</MajorVersion><MinorVersion>0</MinorVersion><Country>US</Country>\
                 {versions}<IsAutomaticLogin>false</IsAutomaticLogin><QBFileMode>SingleUser</QBFileMode>\
                 </HostRet></HostQueryRs>"
            )
        }
        "CompanyQuery" => format!(
            "<CompanyQueryRs {ok}><CompanyRet><IsSampleCompany>false</IsSampleCompany>\
             <CompanyName>Acme &amp; Sons</CompanyName></CompanyRet></CompanyQueryRs>"
        ),
        "PreferencesQuery" => format!(
            "<PreferencesQueryRs {ok}><PreferencesRet><AccountingPreferences>\
             <IsUsingAccountNumbers>false</IsUsingAccountNumbers></AccountingPreferences>\
             </PreferencesRet></PreferencesQueryRs>"
        ),
        "CustomerAdd" => {
            let name = doc.customer_name.clone().unwrap_or_default();
            st.added.push(name.clone());
            let list_id = format!("8000{:04}-1446676743", st.added.len());
            format!(
                "<CustomerAddRs {ok}><CustomerRet><ListID>{list_id}</ListID><Name>{name}</Name>\
                 <FullName>{name}</FullName></CustomerRet></CustomerAddRs>"
            )
        }
        "CustomerQuery" => format!(
            "<CustomerQueryRs {ok} retCount=\"1\"><CustomerRet><ListID>80000001-1446676743</ListID>\
             <Name>Abercrombie, Kristy</Name><FullName>Abercrombie, Kristy</FullName></CustomerRet>\
             </CustomerQueryRs>"
        ),
        other => format!(
            "<{other}Rs requestID=\"{id}\" statusCode=\"1030\" statusSeverity=\"Error\" \
             statusMessage=\"Unsupported message\"/>"
        ),
    }
}

/// The parts of a request document the fake looks at.
#[derive(Debug, Default)]
struct RequestSummary {
    requests: Vec<(String, String)>,
    new_message_set: Option<String>,
    old_message_set: Option<String>,
    customer_name: Option<String>,
}

fn read_request(xml: &str) -> Result<RequestSummary, String> {
    let mut r = Reader::from_str(xml);
    let mut out = RequestSummary::default();
    let mut path: Vec<String> = Vec::new();
    loop {
        let (e, empty) = match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Text(t) => {
                if path.last().is_some_and(|p| p == "Name")
                    && path.iter().any(|p| p == "CustomerAdd")
                {
                    out.customer_name = Some(t.xml10_content().into_owned());
                }
                continue;
            }
            Event::End(_) => {
                path.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let local = e.local_name().into_inner().to_string();
        let attr = |k: &str| {
            e.try_get_attribute(k)
                .ok()
                .flatten()
                .map(|a| a.value.into_owned())
        };
        match path.len() {
            1 if local == "QBXMLMsgsRq" => {
                out.new_message_set = attr("newMessageSetID");
                out.old_message_set = attr("oldMessageSetID");
            }
            2 => {
                let name = local.strip_suffix("Rq").unwrap_or(&local).to_string();
                out.requests
                    .push((name, attr("requestID").unwrap_or_default()));
            }
            _ => {}
        }
        if !empty {
            path.push(local);
        }
    }
    if out.requests.is_empty() {
        return Err("no request in the document".into());
    }
    Ok(out)
}

/// A qbXML query document.
pub fn customer_query(id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><?qbxml version=\"13.0\"?><QBXML>\
         <QBXMLMsgsRq onError=\"stopOnError\"><CustomerQueryRq requestID=\"{id}\">\
         <MaxReturned>50</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>"
    )
}

/// A qbXML add with a message-set ID, as the sync core writes every write.
pub fn customer_add(name: &str, message_set: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><?qbxml version=\"13.0\"?><QBXML>\
         <QBXMLMsgsRq onError=\"stopOnError\" newMessageSetID=\"{message_set}\">\
         <CustomerAddRq requestID=\"a1\"><CustomerAdd><Name>{name}</Name></CustomerAdd>\
         </CustomerAddRq></QBXMLMsgsRq></QBXML>"
    )
}

/// Message-set recovery: ask QuickBooks for the stored response of an earlier document.
pub fn recovery(message_set: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><?qbxml version=\"13.0\"?><QBXML>\
         <QBXMLMsgsRq onError=\"stopOnError\" oldMessageSetID=\"{message_set}\">\
         <CustomerQueryRq requestID=\"r1\"><MaxReturned>1</MaxReturned></CustomerQueryRq>\
         </QBXMLMsgsRq></QBXML>"
    )
}

pub fn loopback() -> std::net::IpAddr {
    std::net::IpAddr::V4(Ipv4Addr::LOCALHOST)
}

/// Scheduled work that runs once: one query on the file QuickBooks has open, then done.
pub struct QueryOnce {
    pub runs: std::sync::atomic::AtomicUsize,
}

impl QueryOnce {
    pub fn new() -> Arc<Self> {
        Arc::new(QueryOnce {
            runs: std::sync::atomic::AtomicUsize::new(0),
        })
    }
}

impl ScheduledWork for QueryOnce {
    fn pending(&self) -> bool {
        self.runs.load(std::sync::atomic::Ordering::SeqCst) == 0
    }

    fn run(&self, connection: &mut dyn custsync::qb::Connection) -> ScheduledOutcome {
        self.runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        match connection
            .open(&mut custsync::qb::NoPrompt)
            .and_then(|_| connection.process(&customer_query("s1")))
        {
            Ok(_) => ScheduledOutcome::Done("queried once".to_string()),
            Err(e) => ScheduledOutcome::Failed(e.to_string()),
        }
    }
}
