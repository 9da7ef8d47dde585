//! The Web Connector protocol end to end: an emulated Web Connector over real HTTP, a fake
//! QuickBooks behind it, and the sync core's side played by a thread using the bridge.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::*;
use custsync::qb::webconnector::emulator::{Emulator, QbFailure, UpdateOutcome};
use custsync::qb::webconnector::soap::{Method, ReplyValue};
use custsync::qb::webconnector::{BridgeStatus, ScheduledOutcome, ScheduledWork, ServiceSettings};
use custsync::qb::{Connection, ConnectionKind, NoPrompt, QbError};
use custsync::qbxml::QbxmlVersion;

fn text(v: ReplyValue) -> String {
    match v {
        ReplyValue::Text(t) => t,
        other => panic!("expected text, got {other:?}"),
    }
}

/// Single calls, made by hand where a test steps outside the Web Connector's usual order.
type Emu = Emulator<FakeQuickBooks>;

/// authenticate with the right credentials; the ticket.
fn authenticate(emu: &mut Emu) -> String {
    match emu
        .call(
            Method::Authenticate,
            &[("strUserName", USER), ("strPassword", PASSWORD)],
        )
        .expect("authenticate")
    {
        ReplyValue::Strings(auth) => auth[0].clone(),
        other => panic!("authenticate must answer strings, not {other:?}"),
    }
}

/// sendRequestXML as QBWC sends it on `COMPANY`; the request handed out ("" for none).
fn send_request(emu: &mut Emu, ticket: &str) -> String {
    text(
        emu.call(
            Method::SendRequestXml,
            &[
                ("ticket", ticket),
                ("strHCPResponse", ""),
                ("strCompanyFileName", COMPANY),
                ("qbXMLCountry", "US"),
                ("qbXMLMajorVers", "13"),
                ("qbXMLMinorVers", "0"),
            ],
        )
        .expect("sendRequestXML"),
    )
}

/// receiveResponseXML with a small good response; the percent answered.
fn receive_response(emu: &mut Emu, ticket: &str) -> ReplyValue {
    emu.call(
        Method::ReceiveResponseXml,
        &[
            ("ticket", ticket),
            ("response", "<QBXML/>"),
            ("hresult", ""),
            ("message", ""),
        ],
    )
    .expect("receiveResponseXML")
}

#[test]
fn a_full_interactive_session_with_the_core_thinking_in_between() {
    let settings = ServiceSettings {
        hold: Duration::from_secs(1),
        ..fast_settings()
    };
    let h = Harness::start(settings, None);
    let conn = h.service.connection();
    assert_eq!(conn.kind(), ConnectionKind::WebConnector);
    let handle = conn.handle();
    assert_eq!(handle.status(), BridgeStatus::Idle);
    let core = thread::spawn(move || {
        let mut conn = conn;
        let info = conn.open(&mut NoPrompt).expect("open");
        let hcp = conn.hcp_response();
        let country = conn.qbxml_country();
        let r1 = conn.process(&customer_query("q1")).expect("query");
        conn.report_progress(1, 2);
        // Deciding what to do next takes longer than the service holds a call.
        thread::sleep(Duration::from_millis(2500));
        let r2 = conn
            .process(&customer_add("Acme Corp", "ms-1"))
            .expect("add");
        conn.report_progress(2, 2);
        conn.close();
        (info, hcp, country, r1, r2)
    });
    wait_for("the bridge to wait", || {
        handle.status() == BridgeStatus::WaitingForWebConnector
    });

    let qb = FakeQuickBooks::new();
    let mut emu = h.emulator(qb.clone());
    let report = emu.run_update().expect("update");
    let (info, hcp, country, r1, r2) = core.join().expect("core thread");

    match &report.outcome {
        UpdateOutcome::Completed { close_message } => {
            assert!(close_message.contains("2 request"), "{close_message}")
        }
        other => panic!("expected completion, got {other:?}"),
    }
    assert_eq!(
        report.auth_status, "",
        "empty = the file open in QuickBooks"
    );
    assert_eq!(
        report.requests,
        vec![customer_query("q1"), customer_add("Acme Corp", "ms-1")]
    );
    assert!(report.noops >= 1, "the pause must be bridged by NoOp");
    assert_eq!(
        report.percents,
        vec![50, 100],
        "honest percent, 100 only at the end"
    );

    assert_eq!(info.company_file, COMPANY);
    assert_eq!(
        info.supported_versions,
        ["1.0", "2.0", "12.0", "13.0"].map(|v| v.parse::<QbxmlVersion>().unwrap())
    );
    assert_eq!(
        QbxmlVersion::negotiate(&info.supported_versions),
        Some(QbxmlVersion::new(13, 0))
    );
    assert!(hcp.expect("HCP kept").contains("<HostRet>"));
    assert_eq!(country.as_deref(), Some("US"));
    assert!(r1.contains("<CustomerQueryRs"), "{r1}");
    assert!(
        r2.contains("<CustomerAddRs") && r2.contains("Acme Corp"),
        "{r2}"
    );
    assert_eq!(qb.snapshot(|s| s.added.clone()), vec!["Acme Corp"]);
    assert_eq!(handle.status(), BridgeStatus::Idle);

    // The emulator behaved like QBWC: HCP on the first sendRequestXML only.
    let sends: Vec<_> = emu
        .transcript()
        .iter()
        .filter(|c| c.method == Method::SendRequestXml)
        .collect();
    assert!(sends.len() >= 3);
    assert!(sends[0].request.contains("HostQueryRs"));
    assert!(
        sends[1..]
            .iter()
            .all(|c| c.request.contains("<strHCPResponse></strHCPResponse>"))
    );
    let order: Vec<Method> = emu.transcript().iter().take(3).map(|c| c.method).collect();
    assert_eq!(
        order,
        [
            Method::ServerVersion,
            Method::ClientVersion,
            Method::Authenticate
        ]
    );
    assert!(
        emu.transcript()[0]
            .request
            .contains("<serverVersion xmlns=\"http://developer.intuit.com/\"/>")
    );
    assert_transcript_valid(emu.transcript());
}

/// Scheduled work that runs once: a query, then done.
struct OneQuery {
    runs: AtomicUsize,
}

impl ScheduledWork for OneQuery {
    fn pending(&self) -> bool {
        self.runs.load(Ordering::SeqCst) == 0
    }

    fn run(&self, connection: &mut dyn Connection) -> ScheduledOutcome {
        self.runs.fetch_add(1, Ordering::SeqCst);
        let info = connection.open(&mut NoPrompt).expect("open");
        assert_eq!(info.company_file, COMPANY);
        connection.process(&customer_query("s1")).expect("query");
        connection.close();
        ScheduledOutcome::Done("one query".into())
    }
}

#[test]
fn a_scheduled_run_then_nothing_to_do() {
    let work = Arc::new(OneQuery {
        runs: AtomicUsize::new(0),
    });
    let settings = ServiceSettings {
        company_file: COMPANY.into(),
        ..fast_settings()
    };
    let h = Harness::start(settings, Some(work.clone()));
    let qb = FakeQuickBooks::new();
    let mut emu = h.emulator(qb.clone());

    let first = emu.run_update().expect("update");
    assert!(
        matches!(&first.outcome, UpdateOutcome::Completed { close_message } if close_message == "one query"),
        "the run's summary is what the Web Connector shows: {first:?}"
    );
    assert_eq!(
        first.auth_status, COMPANY,
        "the Setup's company file is sent"
    );
    assert_eq!(first.requests, vec![customer_query("s1")]);
    assert_eq!(work.runs.load(Ordering::SeqCst), 1);

    let second = emu.run_update().expect("update");
    assert_eq!(second.outcome, UpdateOutcome::NoWork);
    assert_eq!(second.auth_status, "none");
    assert_eq!(
        qb.snapshot(|s| s.opens),
        1,
        "no work: QuickBooks is not even opened"
    );
    assert_transcript_valid(emu.transcript());
}

#[test]
fn without_scheduled_work_authenticate_says_none() {
    let h = Harness::start(fast_settings(), None);
    let mut emu = h.emulator(FakeQuickBooks::new());
    let r = emu.run_update().expect("update");
    assert_eq!(r.outcome, UpdateOutcome::NoWork);
    assert_eq!(r.auth_status, "none");
}

#[test]
fn wrong_passwords_get_nvu_and_are_slowed_down() {
    let settings = ServiceSettings {
        login_backoff: Duration::from_secs(1),
        login_backoff_max: Duration::from_secs(8),
        ..fast_settings()
    };
    let h = Harness::start(settings, None);
    let mut emu = h.emulator(FakeQuickBooks::new());
    let attempt = |emu: &mut custsync::qb::webconnector::emulator::Emulator<FakeQuickBooks>,
                   user: &str,
                   password: &str| {
        emu.config.user_name = user.into();
        emu.config.password = password.into();
        emu.run_update().expect("update").outcome
    };

    assert_eq!(attempt(&mut emu, USER, "wrong"), UpdateOutcome::InvalidUser);
    // Within the back-off even the right password is refused: guesses are not even checked.
    assert_eq!(
        attempt(&mut emu, USER, PASSWORD),
        UpdateOutcome::InvalidUser
    );
    assert!(
        h.log_lines()
            .iter()
            .any(|l| l.contains("refused unchecked"))
    );
    thread::sleep(Duration::from_millis(1100));
    assert_eq!(attempt(&mut emu, USER, PASSWORD), UpdateOutcome::NoWork);

    // The wait doubles with each failure in a row.
    assert_eq!(
        attempt(&mut emu, "someone-else", PASSWORD),
        UpdateOutcome::InvalidUser
    );
    thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        attempt(&mut emu, USER, "wrong again"),
        UpdateOutcome::InvalidUser
    );
    thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        attempt(&mut emu, USER, PASSWORD),
        UpdateOutcome::InvalidUser
    );
    thread::sleep(Duration::from_millis(1100));
    assert_eq!(attempt(&mut emu, USER, PASSWORD), UpdateOutcome::NoWork);
    assert!(
        !h.log_lines().iter().any(|l| l.contains(PASSWORD)),
        "passwords are never logged"
    );
    assert_transcript_valid(emu.transcript());
}

#[test]
fn an_expired_ticket_is_refused_and_a_new_update_continues() {
    let settings = ServiceSettings {
        ticket_ttl: Duration::from_millis(400),
        ..fast_settings()
    };
    let h = Harness::start(settings, None);
    let (core, handle) = h.start_core(|mut conn| {
        conn.open(&mut NoPrompt).expect("open");
        let r = conn.process(&customer_query("q1")).expect("query");
        conn.close();
        r
    });
    let mut emu = h.emulator(FakeQuickBooks::new());
    let ticket = authenticate(&mut emu);
    assert_eq!(handle.status(), BridgeStatus::OpeningCompany);
    thread::sleep(Duration::from_millis(700));

    assert_eq!(send_request(&mut emu, &ticket), "");
    let why = text(
        emu.call(Method::GetLastError, &[("ticket", &ticket)])
            .unwrap(),
    );
    assert!(why.contains("expired"), "{why}");
    assert_eq!(receive_response(&mut emu, &ticket), ReplyValue::Int(-1));
    assert_eq!(
        handle.status(),
        BridgeStatus::WaitingForWebConnector,
        "the sync still waits for a Web Connector"
    );

    let report = emu.run_update().expect("update");
    assert!(
        matches!(report.outcome, UpdateOutcome::Completed { .. }),
        "{report:?}"
    );
    assert!(core.join().unwrap().contains("CustomerQueryRs"));
    assert_transcript_valid(emu.transcript());
}

#[test]
fn a_request_whose_session_expires_at_quickbooks_is_in_doubt() {
    let settings = ServiceSettings {
        ticket_ttl: Duration::from_millis(400),
        ..fast_settings()
    };
    let h = Harness::start(settings, None);
    let (core, _handle) = h.start_core(|mut conn| {
        conn.open(&mut NoPrompt).expect("open");
        let started = Instant::now();
        let r = conn.process(&customer_add("Acme Corp", "ms-2"));
        (r, started.elapsed())
    });
    let mut emu = h.emulator(FakeQuickBooks::new());
    let ticket = authenticate(&mut emu);
    let handed = send_request(&mut emu, &ticket);
    // open() returned on this first call; the add is handed out on this call or the next.
    let handed = if handed.is_empty() {
        send_request(&mut emu, &ticket)
    } else {
        handed
    };
    assert_eq!(handed, customer_add("Acme Corp", "ms-2"));
    // The Web Connector never comes back with the response.
    let (result, waited) = core.join().unwrap();
    assert!(matches!(result, Err(QbError::InDoubt(_))), "{result:?}");
    assert!(waited < Duration::from_secs(5), "expiry must end the wait");
    assert_eq!(
        receive_response(&mut emu, &ticket),
        ReplyValue::Int(-1),
        "a late response is not taken"
    );
}

#[test]
fn a_response_lost_after_quickbooks_applied_it_is_in_doubt_and_recovered_not_resent() {
    let h = Harness::start(fast_settings(), None);
    let add = customer_add("Acme Corp", "ms-7");
    let (core, _handle) = {
        let add = add.clone();
        h.start_core(move |mut conn| {
            conn.open(&mut NoPrompt).expect("open");
            let first = conn.process(&add);
            // What the sync core does on InDoubt: ask for the stored response first.
            let recovered = conn.process(&recovery("ms-7"));
            conn.close();
            (first, recovered)
        })
    };
    let qb = FakeQuickBooks::new();
    let mut emu = h.emulator(qb.clone());
    emu.config.lose_response_at = Some(1);
    let crashed = emu.run_update().expect("update");
    assert_eq!(crashed.outcome, UpdateOutcome::Crashed);
    assert_eq!(
        qb.snapshot(|s| s.added.clone()),
        vec!["Acme Corp"],
        "QuickBooks applied it"
    );

    // The Web Connector starts again (the next scheduled poll or the operator's click).
    emu.config.lose_response_at = None;
    let again = emu.run_update().expect("update");
    assert!(
        matches!(again.outcome, UpdateOutcome::Completed { .. }),
        "{again:?}"
    );
    let (first, recovered) = core.join().unwrap();
    match first {
        Err(QbError::InDoubt(why)) => assert!(why.contains("new session"), "{why}"),
        other => panic!("the lost response must be in doubt, not {other:?}"),
    }
    let recovered = recovered.expect("recovery");
    assert!(recovered.contains("<CustomerAddRs") && recovered.contains("Acme Corp"));
    assert_eq!(
        again.requests,
        vec![recovery("ms-7")],
        "only the recovery was sent"
    );
    let received = qb.snapshot(|s| s.received.clone());
    assert_eq!(
        received.iter().filter(|r| **r == add).count(),
        1,
        "never resent"
    );
    assert_eq!(qb.snapshot(|s| s.added.len()), 1, "no duplicate customer");
    assert_transcript_valid(emu.transcript());
}

#[test]
fn a_repeated_send_request_marks_the_outstanding_batch_in_doubt() {
    let h = Harness::start(fast_settings(), None);
    let (core, _handle) = h.start_core(|mut conn| {
        conn.open(&mut NoPrompt).expect("open");
        let first = conn.process(&customer_add("Acme Corp", "ms-8"));
        let recovered = conn.process(&recovery("ms-8"));
        conn.close();
        (first, recovered)
    });
    let qb = FakeQuickBooks::new();
    let mut emu = h.emulator(qb.clone());
    emu.config.repeat_send_at = Some(1);
    let r = emu.run_update().expect("update");
    assert!(
        matches!(r.outcome, UpdateOutcome::Completed { .. }),
        "{r:?}"
    );
    let (first, recovered) = core.join().unwrap();
    assert!(matches!(first, Err(QbError::InDoubt(_))), "{first:?}");
    assert!(recovered.unwrap().contains("Acme Corp"));
    assert_eq!(
        r.requests,
        vec![customer_add("Acme Corp", "ms-8"), recovery("ms-8")]
    );
    assert_eq!(qb.snapshot(|s| s.added.len()), 1);
}

#[test]
fn a_reconnect_on_another_company_file_is_refused() {
    let h = Harness::start(fast_settings(), None);
    let (core, _handle) = h.start_core(|mut conn| {
        conn.open(&mut NoPrompt).expect("open");
        let first = conn.process(&customer_add("Acme Corp", "ms-9"));
        let second = conn.process(&recovery("ms-9"));
        conn.close();
        (first, second)
    });
    let mut emu = h.emulator(FakeQuickBooks::new());
    emu.config.lose_response_at = Some(1);
    assert_eq!(emu.run_update().unwrap().outcome, UpdateOutcome::Crashed);
    let other = FakeQuickBooks::with(|s| s.open_file = r"C:\Other\Beta.QBW".into());
    let mut emu2 = h.emulator(other.clone());
    let r = emu2.run_update().expect("update");
    match &r.outcome {
        UpdateOutcome::LastError { message, .. } => {
            assert!(message.contains("Beta.QBW"), "{message}")
        }
        other => panic!("expected an error, got {other:?}"),
    }
    let (first, second) = core.join().unwrap();
    assert!(matches!(first, Err(QbError::InDoubt(_))));
    match second {
        Err(QbError::Transport(m)) => assert!(m.contains("Acme & Sons.QBW"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(
        other.snapshot(|s| s.received.is_empty()),
        "nothing sent to the wrong file"
    );
}

#[test]
fn an_hresult_from_quickbooks_reaches_the_core_via_receive_response() {
    let h = Harness::start(fast_settings(), None);
    let (core, _handle) = h.start_core(|mut conn| {
        conn.open(&mut NoPrompt).expect("open");
        let r = conn.process(&customer_add("Acme Corp", "ms-3"));
        conn.close();
        r
    });
    let qb = FakeQuickBooks::with(|s| {
        s.fail_request = Some((
            1,
            QbFailure {
                hresult: 0x8004_0400,
                message: "QuickBooks found an error when parsing the provided XML text stream."
                    .into(),
            },
        ))
    });
    let mut emu = h.emulator(qb.clone());
    let r = emu.run_update().expect("update");
    assert!(
        matches!(r.outcome, UpdateOutcome::Completed { .. }),
        "{r:?}"
    );
    match core.join().unwrap() {
        Err(QbError::Hresult { code, message }) => {
            assert_eq!(code, 0x8004_0400);
            assert!(message.contains("parsing"), "{message}");
        }
        other => panic!("expected the HRESULT, got {other:?}"),
    }
    assert!(qb.snapshot(|s| s.added.is_empty()));
    assert_transcript_valid(emu.transcript());
}

#[test]
fn quickbooks_unreachable_reaches_the_core_via_connection_error() {
    let h = Harness::start(fast_settings(), None);
    let (core, handle) = h.start_core(|mut conn| conn.open(&mut NoPrompt));
    let qb = FakeQuickBooks::with(|s| {
        s.open_failure = Some(QbFailure {
            hresult: 0x8004_0408,
            message: "Could not start QuickBooks.".into(),
        })
    });
    let mut emu = h.emulator(qb);
    let r = emu.run_update().expect("update");
    match &r.outcome {
        UpdateOutcome::ConnectionFailed { answer, .. } => assert_eq!(answer, "done"),
        other => panic!("expected connectionError, got {other:?}"),
    }
    match core.join().unwrap() {
        Err(QbError::Hresult { code, message }) => {
            assert_eq!(code, 0x8004_0408);
            assert_eq!(message, "Could not start QuickBooks.");
        }
        other => panic!("expected the HRESULT, got {other:?}"),
    }
    assert_eq!(
        handle.status(),
        BridgeStatus::Idle,
        "a failed open frees the bridge"
    );

    // The next synchronization can use the Web Connector again.
    let (core, _handle) = h.start_core(|mut conn| {
        let info = conn.open(&mut NoPrompt);
        conn.close();
        info
    });
    let r = h.emulator(FakeQuickBooks::new()).run_update().unwrap();
    // The core closed without a request: QBWC learns it from getLastError, not from a 100.
    match &r.outcome {
        UpdateOutcome::LastError { message, .. } => {
            assert!(message.contains("finished"), "{message}")
        }
        other => panic!("expected the finished message, got {other:?}"),
    }
    assert!(core.join().unwrap().is_ok());
    assert_transcript_valid(emu.transcript());
}

#[test]
fn cancelling_stops_the_wait_and_frees_the_service() {
    let h = Harness::start(fast_settings(), None);
    let (core, handle) = h.start_core(|mut conn| conn.open(&mut NoPrompt));
    handle.cancel();
    assert_eq!(core.join().unwrap(), Err(QbError::Cancelled));
    assert_eq!(handle.status(), BridgeStatus::Idle);
    let r = h.emulator(FakeQuickBooks::new()).run_update().unwrap();
    assert_eq!(r.outcome, UpdateOutcome::NoWork);
}

#[test]
fn one_synchronization_at_a_time() {
    let h = Harness::start(fast_settings(), None);
    let (core, handle) = h.start_core(|mut conn| conn.open(&mut NoPrompt));
    let mut second = h
        .service
        .connection()
        .with_wait_limit(Some(Duration::from_millis(100)));
    match second.open(&mut NoPrompt) {
        Err(QbError::Transport(m)) => assert!(m.contains("another synchronization"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    handle.cancel();
    assert_eq!(core.join().unwrap(), Err(QbError::Cancelled));
    // A wait limit produces an error that says what to click.
    let mut third = h
        .service
        .connection()
        .with_wait_limit(Some(Duration::from_millis(300)));
    match third.open(&mut NoPrompt) {
        Err(QbError::Transport(m)) => assert!(m.contains("Update Selected"), "{m}"),
        other => panic!("expected a time-out, got {other:?}"),
    }
}

#[test]
fn every_method_answers_sensibly_even_for_unknown_tickets() {
    let h = Harness::start(fast_settings(), None);
    let mut emu = h.emulator(FakeQuickBooks::new());
    let version = text(
        emu.call(Method::ServerVersion, &[("strVersion", "x")])
            .unwrap(),
    );
    assert!(
        version.starts_with("custsync "),
        "WSDL form with a parameter: {version}"
    );
    assert_eq!(text(emu.call(Method::ServerVersion, &[]).unwrap()), version);
    assert_eq!(
        text(
            emu.call(Method::ClientVersion, &[("strVersion", "2.2.0.71")])
                .unwrap()
        ),
        ""
    );
    assert!(
        text(
            emu.call(Method::ClientVersion, &[("strVersion", "1.1.0.0")])
                .unwrap()
        )
        .starts_with("W:")
    );
    let t = "9d7c2d0e-2f0b-4c1a-9a51-1f5f4a7e2b10";
    let send = emu
        .call(
            Method::SendRequestXml,
            &[
                ("ticket", t),
                ("qbXMLMajorVers", "13"),
                ("qbXMLMinorVers", "0"),
            ],
        )
        .unwrap();
    assert_eq!(text(send), "");
    let why = text(emu.call(Method::GetLastError, &[("ticket", t)]).unwrap());
    assert!(
        why.contains("does not know this Web Connector session"),
        "{why}"
    );
    assert_eq!(
        emu.call(Method::ReceiveResponseXml, &[("ticket", t)])
            .unwrap(),
        ReplyValue::Int(-1)
    );
    assert_eq!(
        text(
            emu.call(
                Method::ConnectionError,
                &[("ticket", t), ("hresult", "0x80040408"), ("message", "x")]
            )
            .unwrap()
        ),
        "done"
    );
    assert_eq!(
        text(emu.call(Method::CloseConnection, &[("ticket", t)]).unwrap()),
        "OK"
    );
    assert_eq!(
        text(
            emu.call(
                Method::GetInteractiveUrl,
                &[("wcTicket", t), ("sessionID", "s")]
            )
            .unwrap()
        ),
        ""
    );
    assert_eq!(
        text(
            emu.call(Method::InteractiveDone, &[("wcTicket", t)])
                .unwrap()
        ),
        "Done"
    );
    assert!(
        !text(
            emu.call(
                Method::InteractiveRejected,
                &[("wcTicket", t), ("reason", "no")]
            )
            .unwrap()
        )
        .is_empty()
    );
    assert_transcript_valid(emu.transcript());
}

/// A `qb::Connection` (the shape of the sandbox's) over the fake QuickBooks.
struct FakeConnection {
    qb: FakeQuickBooks,
}

impl Connection for FakeConnection {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::Sandbox
    }

    fn open(
        &mut self,
        _prompt: &mut dyn custsync::qb::AccessPrompt,
    ) -> Result<custsync::qb::SessionInfo, QbError> {
        use custsync::qb::webconnector::emulator::QuickBooks;
        let opened = self
            .qb
            .open("")
            .map_err(|f| QbError::hresult(f.hresult, f.message))?;
        Ok(custsync::qb::SessionInfo {
            company_file: opened.company_file,
            supported_versions: vec![QbxmlVersion::new(12, 0), QbxmlVersion::new(13, 0)],
        })
    }

    fn process(&mut self, request: &str) -> Result<String, QbError> {
        use custsync::qb::webconnector::emulator::QuickBooks;
        self.qb
            .process(request)
            .map_err(|f| QbError::hresult(f.hresult, f.message))
    }

    fn close(&mut self) {}
}

#[test]
fn any_connection_can_stand_in_for_quickbooks_behind_the_emulator() {
    use custsync::qb::webconnector::emulator::{ConnectionQuickBooks, Emulator};
    let work = QueryOnce::new();
    let h = Harness::start(fast_settings(), Some(work));
    let qb = FakeQuickBooks::new();
    let behind = ConnectionQuickBooks::new(FakeConnection { qb: qb.clone() }, Box::new(NoPrompt));
    let mut emu = Emulator::new(h.client(), behind, emulator_config());
    let r = emu.run_update().expect("update");
    assert!(
        matches!(r.outcome, UpdateOutcome::Completed { .. }),
        "{r:?}"
    );
    assert_eq!(r.requests, vec![customer_query("s1")]);
    let first_send = emu
        .transcript()
        .iter()
        .find(|c| c.method == Method::SendRequestXml)
        .expect("a sendRequestXML");
    assert!(
        first_send
            .request
            .contains("<qbXMLMajorVers>13</qbXMLMajorVers>")
    );
    assert_eq!(qb.snapshot(|s| s.received.len()), 1);

    // A file other than the open one is refused the way QuickBooks does (0x8004040A).
    let settings = ServiceSettings {
        company_file: r"C:\Elsewhere\Other.QBW".into(),
        ..fast_settings()
    };
    let h = Harness::start(settings, Some(QueryOnce::new()));
    let behind = ConnectionQuickBooks::new(
        FakeConnection {
            qb: FakeQuickBooks::new(),
        },
        Box::new(NoPrompt),
    );
    let mut emu = Emulator::new(h.client(), behind, emulator_config());
    let r = emu.run_update().expect("update");
    assert!(
        matches!(r.outcome, UpdateOutcome::ConnectionFailed { .. }),
        "{r:?}"
    );
    assert!(
        h.log_lines().iter().any(|l| l.contains("0x8004040A")),
        "{:?}",
        h.log_lines()
    );
}
