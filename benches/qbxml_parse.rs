//! Parsing a 100,000-customer CustomerQueryRs, the largest document a sync reads in one piece
//! when paging is off. Target: at least 150 MB/s on one core.
//!
//! `CUSTSYNC_BENCH_CUSTOMERS` changes the size (default 100,000). Freeing the parsed customers
//! is left out of the timing (`iter_with_large_drop`): it is not parsing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custsync::qbxml::ResponseBody;
use custsync::qbxml::read::{read_response, read_response_str};

#[path = "../tests/qbxml/support/responses.rs"]
mod responses;

fn customers() -> usize {
    std::env::var("CUSTSYNC_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn parse(c: &mut Criterion) {
    let n = customers();
    let doc = responses::big_customer_query_rs(n, 42);
    // A benchmark of a reader that silently drops customers would prove nothing.
    let parsed = read_response_str(&doc).expect("the generated document parses");
    match &parsed.responses[0].body {
        ResponseBody::Customers(cs) => assert_eq!(cs.len(), n),
        other => panic!("unexpected body {other:?}"),
    }
    drop(parsed);
    eprintln!(
        "document: {n} customers, {:.1} MB ({} bytes per customer)",
        doc.len() as f64 / 1e6,
        doc.len() / n.max(1)
    );
    let mut group = c.benchmark_group("qbxml_parse");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(doc.len() as u64));
    group.bench_function(format!("customer_query_rs_{n}_str"), |b| {
        b.iter_with_large_drop(|| read_response_str(std::hint::black_box(&doc)))
    });
    group.bench_function(format!("customer_query_rs_{n}_bufread"), |b| {
        b.iter_with_large_drop(|| read_response(std::hint::black_box(doc.as_bytes())))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
