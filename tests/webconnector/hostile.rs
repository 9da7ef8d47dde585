//! A hostile client costs nothing: slow and idle connections, huge values to reflect, bare-LF
//! requests. Real sockets on loopback only, bounded in count and time. (Login floods against a
//! real `custsync serve`: `cli.rs`.)

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::*;
use custsync::qb::webconnector::emulator::request_envelope;
use custsync::qb::webconnector::soap::Method;

/// A POST of `body` to /qbwc, as raw bytes.
fn post(body: &[u8]) -> Vec<u8> {
    let mut req = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    req
}

fn authenticate(user: &str, password: &str) -> Vec<u8> {
    post(
        request_envelope(
            Method::Authenticate,
            &[("strUserName", user), ("strPassword", password)],
        )
        .as_bytes(),
    )
}

#[test]
fn a_legitimate_call_is_answered_while_slow_and_idle_connections_are_open() {
    let h = Harness::start(fast_settings(), None);
    let addr = h.server.local_addr();
    let stop = Arc::new(AtomicBool::new(false));
    // 16 bodies declared at 16 MiB, arriving at 9.5 KB/s.
    let slow: Vec<_> = (0..16)
        .map(|_| {
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                let Ok(mut s) = TcpStream::connect(addr) else {
                    return;
                };
                let head = "POST /qbwc HTTP/1.1\r\nHost: x\r\nContent-Length: 16777216\r\n\r\n";
                if s.write_all(head.as_bytes()).is_err() {
                    return;
                }
                while !stop.load(Ordering::SeqCst) {
                    if s.write_all(&[b'<'; 950]).is_err() {
                        return;
                    }
                    thread::sleep(Duration::from_millis(100));
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(300));
    // 150 connections that say nothing.
    let idle: Vec<TcpStream> = (0..150)
        .filter_map(|_| TcpStream::connect(addr).ok())
        .collect();
    assert!(idle.len() >= 140);
    let started = Instant::now();
    let reply = server_version(&h.client());
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    drop(idle);
    for t in slow {
        t.join().unwrap();
    }
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
}

#[test]
fn a_15_mb_value_is_neither_echoed_nor_logged() {
    let h = Harness::start(fast_settings(), None);
    let huge = "9".repeat(15 * 1024 * 1024);
    let body = request_envelope(
        Method::SendRequestXml,
        &[("ticket", "nope"), ("qbXMLMajorVers", &huge)],
    );
    let reply = h
        .client()
        .send_raw(&post(body.as_bytes()))
        .expect("an answer");
    assert_eq!(reply.status, 500);
    assert!(
        reply.body.len() < 64 * 1024,
        "{} bytes echoed",
        reply.body.len()
    );
    let version = request_envelope(Method::ClientVersion, &[("strVersion", &huge)]);
    let reply = h.client().send_raw(&post(version.as_bytes())).unwrap();
    assert!(reply.body.len() < 64 * 1024, "{} bytes", reply.body.len());

    // A password typed into the user name field, with a line break to forge a log line.
    let forged = format!("hunter2-secret\n2026-01-01 00:00:00  127.0.0.1 authenticate ok{huge}");
    let reply = h
        .client()
        .send_raw(&authenticate(&forged, "wrong"))
        .unwrap();
    assert_eq!(reply.status, 200);
    let log = h.log_lines();
    let logged: usize = log.iter().map(String::len).sum();
    assert!(logged < 64 * 1024, "{logged} bytes logged");
    assert!(log.iter().all(|l| !l.contains('\n')), "{log:?}");
    assert!(
        log.iter().all(|l| !l.contains("hunter2")),
        "the failed user name is logged: {log:?}"
    );
}

#[test]
fn a_bare_lf_request_is_answered_at_once() {
    let h = Harness::start(fast_settings(), None);
    let started = Instant::now();
    let reply = h
        .client()
        .send_raw(b"GET /qbwc HTTP/1.1\nHost: localhost\n\n")
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "answered after {:?}",
        started.elapsed()
    );
    assert_eq!(reply.status, 200);
    let body = request_envelope(Method::ServerVersion, &[]);
    let req = format!(
        "POST /qbwc HTTP/1.1\nContent-Length: {}\n\n{body}",
        body.len()
    );
    let started = Instant::now();
    let reply = h.client().send_raw(req.as_bytes()).unwrap();
    assert_eq!(reply.status, 200);
    assert!(started.elapsed() < Duration::from_secs(1));
}
