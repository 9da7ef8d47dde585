//! What the reader holds grows with the customers parsed, not with the XML.
//!
//! Two documents carry the same customers; one is padded with many times more bytes of elements
//! custsync skips. Each is parsed from a file through `read_response` in a child process (so
//! peaks do not mix), which reports its peak resident memory above its baseline (VmHWM after
//! resetting it through /proc/self/clear_refs). The padded document must not cost noticeably
//! more. `CUSTSYNC_MEM_CUSTOMERS` (default 5,000) and `CUSTSYNC_MEM_PADDING` (bytes per
//! customer, default 12,000) change the sizes; the figures print with `--nocapture`.

use std::io::{BufReader, BufWriter, Write};
use std::process::Command;

use custsync::qbxml::ResponseBody;
use custsync::qbxml::read::read_response;

use crate::support::responses;

const CHILD_ENV: &str = "CUSTSYNC_MEM_CHILD_DOC";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("field in /proc/self/status")
}

/// The child: parse one document, print the peak growth.
#[test]
fn measure_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return; // run only as the child of the test below
    };
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting VmHWM");
    let before = status_kb("VmRSS:");
    let file = std::fs::File::open(&path).expect("the document");
    let doc = read_response(BufReader::new(file)).expect("the document parses");
    let peak = status_kb("VmHWM:");
    let n = match &doc.responses[0].body {
        ResponseBody::Customers(c) => c.len(),
        _ => 0,
    };
    println!(
        "CHILD customers={n} peak_growth_kb={}",
        peak.saturating_sub(before)
    );
}

fn measure(path: &std::path::Path) -> (usize, u64) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "memory::measure_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, path)
        .output()
        .expect("the child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.split_once("CHILD ").map(|(_, rest)| rest))
        .unwrap_or_else(|| {
            panic!(
                "no measurement: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let field = |key: &str| -> u64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    (field("customers=") as usize, field("peak_growth_kb="))
}

#[test]
fn memory_held_follows_customers_not_xml_size() {
    let customers = env_usize("CUSTSYNC_MEM_CUSTOMERS", 5_000);
    let padding = env_usize("CUSTSYNC_MEM_PADDING", 12_000);
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.xml");
    let padded = dir.path().join("padded.xml");
    let mut w = BufWriter::new(std::fs::File::create(&plain).unwrap());
    let plain_size = responses::write_big_customer_query_rs(&mut w, customers, 9).unwrap();
    w.flush().unwrap();
    let mut w = BufWriter::new(std::fs::File::create(&padded).unwrap());
    let padded_size =
        responses::write_padded_customer_query_rs(&mut w, customers, 9, padding).unwrap();
    w.flush().unwrap();
    drop(w);
    assert!(padded_size > 5 * plain_size);

    let (n1, plain_kb) = measure(&plain);
    let (n2, padded_kb) = measure(&padded);
    assert_eq!((n1, n2), (customers, customers));
    let mb = |bytes: u64| bytes as f64 / 1e6;
    eprintln!(
        "{customers} customers: plain XML {:.1} MB -> peak growth {:.1} MB; padded XML {:.1} MB \
         -> peak growth {:.1} MB ({:.0} bytes held per customer)",
        mb(plain_size),
        mb(plain_kb * 1024),
        mb(padded_size),
        mb(padded_kb * 1024),
        (padded_kb * 1024) as f64 / customers as f64
    );
    // Holding the XML would make the padded document cost at least five times more.
    assert!(
        (padded_kb as f64) < plain_kb as f64 * 1.5 + 4096.0,
        "padded {padded_kb} kB vs plain {plain_kb} kB"
    );
    assert!(
        ((padded_kb * 1024) as f64) < padded_size as f64 / 4.0,
        "peak {padded_kb} kB for a {padded_size}-byte document"
    );
}
