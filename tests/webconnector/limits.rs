//! A 50 MB request body is refused with 413 without custsync reading it into memory. The test
//! runs again alone in a child process, so the process's peak memory measures this test only.

use std::io::Write;
use std::net::TcpStream;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use crate::support::*;
use custsync::qb::webconnector::emulator::read_reply;

const FIFTY_MB: usize = 50 * 1024 * 1024;

/// Peak resident memory of this process (Linux), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Set in the child process that runs the test alone.
const ALONE: &str = "CUSTSYNC_TEST_ALONE";

/// Runs `test` of this binary alone in a child process unless this is that child. True in the
/// child: the caller goes on with the test there.
fn in_own_process(test: &str) -> bool {
    if std::env::var_os(ALONE).is_some() {
        return true;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{test} alone in its own process:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

#[test]
fn a_50_mb_body_is_refused_cleanly_without_being_read_into_memory() {
    if !in_own_process("limits::a_50_mb_body_is_refused_cleanly_without_being_read_into_memory") {
        return;
    }
    let h = Harness::start(fast_settings(), None);
    let addr = h.server.local_addr();
    let client = h.client();
    assert_eq!(server_version(&client).status, 200, "warmed up");
    let before = peak_rss_kib();

    // Like the Web Connector's .NET stack: the head with Expect: 100-continue, and the body only
    // after "100 Continue" — which never comes.
    let started = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /qbwc HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\n\
         Content-Length: {FIFTY_MB}\r\nExpect: 100-continue\r\n\r\n"
    )
    .unwrap();
    let reply = read_reply(&mut s).unwrap();
    assert_eq!(reply.status, 413);
    assert!(started.elapsed() < Duration::from_secs(3));
    let text = String::from_utf8_lossy(&reply.body);
    assert!(
        text.contains("larger than") && text.contains("page size"),
        "{text}"
    );

    // A client that sends all 50 MB anyway still reads a clean 413, not a reset.
    let s = TcpStream::connect(addr).unwrap();
    let mut writer = s.try_clone().unwrap();
    let sender = thread::spawn(move || {
        let head =
            format!("POST /qbwc HTTP/1.1\r\nHost: localhost\r\nContent-Length: {FIFTY_MB}\r\n\r\n");
        let _ = writer.write_all(head.as_bytes());
        let chunk = vec![b'<'; 64 * 1024];
        let mut sent = 0;
        while sent < FIFTY_MB {
            match writer.write(&chunk) {
                Ok(n) => sent += n,
                Err(_) => break,
            }
        }
        sent
    });
    let mut reader = s;
    let reply = read_reply(&mut reader).unwrap();
    assert_eq!(reply.status, 413);
    let _sent = sender.join().unwrap();

    let grown_kib = peak_rss_kib().saturating_sub(before);
    assert!(
        grown_kib < 16 * 1024,
        "peak memory grew by {grown_kib} KiB while refusing 50 MB bodies"
    );

    assert_eq!(
        server_version(&client).status,
        200,
        "the service is unharmed"
    );
}
