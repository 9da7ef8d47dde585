//! The HTTP(S) side: malformed requests, protocol errors, slow clients, HTTPS, and the loopback
//! rule. (Junk clients during a real synchronization: `sync.rs`.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::support::*;
use custsync::config::WebConnectorConfig;
use custsync::qb::webconnector::emulator::{
    Emulator, HttpClient, UpdateOutcome, read_reply, request_envelope,
};
use custsync::qb::webconnector::http::check_listen;
use custsync::qb::webconnector::soap::Method;
use custsync::qb::webconnector::{HttpLimits, ServeError, ServerOptions, TlsFiles, serve};
use custsync::qb::{Connection, NoPrompt};

fn fault_of(body: &[u8]) -> String {
    let text = String::from_utf8(body.to_vec()).expect("utf-8");
    assert!(text.starts_with("<?xml"), "{text}");
    assert!(
        text.contains("<faultcode>soap:Client</faultcode>"),
        "{text}"
    );
    let start = text.find("<faultstring>").expect("faultstring") + "<faultstring>".len();
    let end = text.find("</faultstring>").expect("faultstring end");
    // The Fault itself must be well-formed XML.
    let mut r = quick_xml::Reader::from_str(&text);
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("the Fault is not well-formed: {e}"),
        }
    }
    text[start..end].to_string()
}

#[test]
fn malformed_soap_gets_a_clear_fault_and_the_service_carries_on() {
    let h = Harness::start(fast_settings(), None);
    let c = h.client();
    let cases: [(&[u8], &str); 6] = [
        (b"this is not XML", "not a SOAP message"),
        (b"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><authenticate xmlns=\"http://developer.intuit.com/\"><strUserName>x</strUserName>", "not closed"),
        (b"<Envelope/>", "Envelope"),
        (b"<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><format xmlns=\"http://developer.intuit.com/\"/></soap:Body></soap:Envelope>", "unknown method"),
        (b"\xff\xfe\x00<", "UTF-8"),
        (b"", "empty"),
    ];
    for (body, expect) in cases {
        let reply = c.post_soap("authenticate", body).expect("answer");
        assert_eq!(reply.status, 500, "{}", String::from_utf8_lossy(body));
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/xml; charset=utf-8")
        );
        let message = fault_of(&reply.body);
        assert!(message.contains(expect), "{message} lacks {expect}");
    }
    assert_eq!(server_version(&c).status, 200);
}

#[test]
fn http_errors_are_answered_plainly() {
    let h = Harness::start(fast_settings(), None);
    let c = h.client();
    assert_eq!(c.get("/qbwc").unwrap().status, 200);
    let support = c.get("/qbwc/support").unwrap();
    assert_eq!(
        support.status, 200,
        "the .qwc AppSupport page must answer 200"
    );
    assert!(String::from_utf8_lossy(&support.body).contains("Web Connector"));
    assert_eq!(c.get("/elsewhere").unwrap().status, 404);
    let statuses = [
        (
            &b"PUT /qbwc HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"[..],
            405,
        ),
        (b"POST /qbwc HTTP/1.1\r\nHost: x\r\n\r\n", 411),
        (
            b"POST /qbwc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            411,
        ),
        (
            b"POST /qbwc HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            400,
        ),
        (b"POST /qbwc HTTP/1.1\r\nContent-Length: lots\r\n\r\n", 400),
        (b"GARBAGE\x01\x02 \r\n\r\n", 400),
    ];
    for (raw, status) in statuses {
        let reply = c.send_raw(raw).unwrap();
        assert_eq!(reply.status, status, "{}", String::from_utf8_lossy(raw));
        assert_eq!(reply.header("Connection"), Some("close"));
    }
    let huge_head = format!(
        "GET /qbwc HTTP/1.1\r\nX-Junk: {}\r\n\r\n",
        "a".repeat(40_000)
    );
    assert_eq!(c.send_raw(huge_head.as_bytes()).unwrap().status, 431);
}

#[test]
fn slow_clients_are_cut_off() {
    let limits = HttpLimits {
        head_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_millis(400),
        body_grace: Duration::from_millis(500),
        min_body_rate: 8 * 1024,
        ..HttpLimits::default()
    };
    let opts = ServerOptions {
        limits,
        ..local_options()
    };
    let h = Harness::start_with(opts, fast_settings(), None);
    let addr = h.server.local_addr();

    // Silent after connecting: dropped without an answer once the head deadline passes.
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert!(buf.is_empty());
    assert!(start.elapsed() < Duration::from_secs(3));

    // Half a head, then nothing: 408.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /qbwc HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert_eq!(read_reply(&mut s).unwrap().status, 408);

    // A head dripped byte by byte beats no deadline.
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    for b in b"POST /qbwc HTTP/1.1\r\nHost: somewhere.example\r\nX-Slow: yes\r\n" {
        if s.write_all(&[*b]).is_err() {
            break;
        }
        thread::sleep(Duration::from_millis(60));
        if start.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    let r = read_reply(&mut s);
    assert!(r.map(|r| r.status == 408).unwrap_or(true));
    assert!(start.elapsed() < Duration::from_secs(4));

    // A body trickling in far below the minimum rate: 408.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /qbwc HTTP/1.1\r\nContent-Length: 100000\r\n\r\n")
        .unwrap();
    let mut writer = s.try_clone().unwrap();
    let drip = thread::spawn(move || {
        for _ in 0..30 {
            if writer.write_all(&[b'x'; 100]).is_err() {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
    });
    assert_eq!(read_reply(&mut s).unwrap().status, 408);
    drip.join().unwrap();
}

fn self_signed() -> (tempfile::TempDir, TlsFiles, String) {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert_pem = ck.cert.pem();
    let files = TlsFiles {
        cert_chain: dir.path().join("cert.pem"),
        key: dir.path().join("key.pem"),
    };
    std::fs::write(&files.cert_chain, &cert_pem).unwrap();
    std::fs::write(&files.key, ck.signing_key.serialize_pem()).unwrap();
    (dir, files, cert_pem)
}

#[test]
fn https_with_a_self_signed_certificate() {
    let (_dir, files, cert_pem) = self_signed();
    let opts = ServerOptions {
        tls: Some(files),
        ..local_options()
    };
    let work = QueryOnce::new();
    let h = Harness::start_with(opts, fast_settings(), Some(work.clone()));
    assert!(h.server.is_https());
    assert!(h.server.url().starts_with("https://127.0.0.1:"));
    let addr = h.server.local_addr();
    let client = HttpClient::https(addr, "/qbwc", "localhost", cert_pem.as_bytes()).unwrap();
    let qb = FakeQuickBooks::new();
    let mut emu = Emulator::new(client.clone(), qb.clone(), emulator_config());
    let r = emu.run_update().expect("update over HTTPS");
    assert!(
        matches!(r.outcome, UpdateOutcome::Completed { .. }),
        "{r:?}"
    );
    assert_eq!(r.requests, vec![customer_query("s1")]);
    assert_transcript_valid(emu.transcript());
    assert_eq!(client.get("/qbwc/support").unwrap().status, 200);

    // Plain HTTP to the HTTPS port gets no SOAP answer.
    let plain = HttpClient::plain(addr, "/qbwc").post_soap(
        "serverVersion",
        request_envelope(Method::ServerVersion, &[]).as_bytes(),
    );
    assert!(plain.map(|r| r.status != 200).unwrap_or(true));
    // A client that does not trust the certificate refuses to talk.
    let (_d2, _f2, other_pem) = self_signed();
    let untrusting = HttpClient::https(addr, "/qbwc", "localhost", other_pem.as_bytes()).unwrap();
    assert!(untrusting.get("/qbwc").is_err());
}

#[test]
fn listening_beyond_loopback_needs_https() {
    let service = Harness::start(fast_settings(), None).service;
    let opts = ServerOptions {
        listen: "0.0.0.0:0".into(),
        ..local_options()
    };
    match serve(&opts, Arc::clone(&service)) {
        Err(e @ ServeError::NotLoopbackWithoutTls { .. }) => {
            let m = e.to_string();
            assert!(m.contains("tls_cert") && m.contains("127.0.0.1"), "{m}");
        }
        Err(e) => panic!("wrong refusal: {e}"),
        Ok(_) => panic!("must refuse plain HTTP beyond loopback"),
    }
    assert!(
        check_listen("0.0.0.0:0", true).is_ok(),
        "allowed with HTTPS"
    );
    assert!(check_listen("[::1]:0", false).is_ok());
    assert!(matches!(
        check_listen("no port here", false),
        Err(ServeError::BadAddress { .. })
    ));

    let bad_path = ServerOptions {
        path: "qbwc".into(),
        ..local_options()
    };
    assert!(matches!(
        serve(&bad_path, Arc::clone(&service)),
        Err(ServeError::BadPath(_))
    ));

    let ws = tempfile::tempdir().unwrap();
    let half = WebConnectorConfig {
        tls_cert: Some("cert.pem".into()),
        ..WebConnectorConfig::default()
    };
    assert!(matches!(
        ServerOptions::from_config(&half, ws.path()),
        Err(ServeError::TlsIncomplete)
    ));
    let both = WebConnectorConfig {
        tls_cert: Some("cert.pem".into()),
        tls_key: Some("/abs/key.pem".into()),
        ..WebConnectorConfig::default()
    };
    let opts = ServerOptions::from_config(&both, ws.path()).unwrap();
    let tls = opts.tls.clone().unwrap();
    assert_eq!(
        tls.cert_chain,
        ws.path().join("cert.pem"),
        "relative to the workspace"
    );
    assert_eq!(tls.key, std::path::PathBuf::from("/abs/key.pem"));
    std::fs::write(ws.path().join("cert.pem"), "not a certificate").unwrap();
    match serve(&opts, service) {
        Err(e @ ServeError::TlsFile { .. }) => assert!(e.to_string().contains("cert.pem")),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a bad certificate must be refused"),
    }
}

#[test]
fn shutdown_stops_listening() {
    let h = Harness::start(fast_settings(), None);
    let addr = h.server.local_addr();
    assert_eq!(h.client().get("/qbwc").unwrap().status, 200);
    h.server.shutdown();
    assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
}

#[test]
fn a_large_legitimate_response_is_accepted() {
    let h = Harness::start(fast_settings(), None);
    let (core, _handle) = h.start_core(|mut conn| {
        conn.open(&mut NoPrompt).expect("open");
        let r = conn.process(&customer_query("big")).map(|r| r.len());
        conn.close();
        r
    });
    // QuickBooks answers with ~6 MB (a large customer page, escaped in the SOAP body).
    struct Big(FakeQuickBooks);
    impl custsync::qb::webconnector::emulator::QuickBooks for Big {
        fn open(
            &mut self,
            f: &str,
        ) -> Result<
            custsync::qb::webconnector::emulator::OpenedFile,
            custsync::qb::webconnector::emulator::QbFailure,
        > {
            self.0.open(f)
        }
        fn process(
            &mut self,
            r: &str,
        ) -> Result<String, custsync::qb::webconnector::emulator::QbFailure> {
            let base = self.0.process(r)?;
            if r.contains("HostQuery") {
                return Ok(base);
            }
            Ok(base.replace(
                "</CustomerQueryRs>",
                &format!("<!--{}--></CustomerQueryRs>", "<&>".repeat(800_000)),
            ))
        }
    }
    let mut emu = Emulator::new(h.client(), Big(FakeQuickBooks::new()), emulator_config());
    let r = emu.run_update().unwrap();
    assert!(
        matches!(r.outcome, UpdateOutcome::Completed { .. }),
        "{r:?}"
    );
    assert!(core.join().unwrap().unwrap() > 2_400_000);
}
