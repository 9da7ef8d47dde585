//! What one Web Connector call costs: reading a large receiveResponseXML envelope, writing a
//! large sendRequestXML answer, and a whole small call over loopback HTTP.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custsync::qb::webconnector::emulator::{HttpClient, request_envelope};
use custsync::qb::webconnector::soap::{Method, Reply, parse_call};
use custsync::qb::webconnector::{
    Credentials, HttpLimits, ServerOptions, Service, ServiceSettings, StoredPassword, serve,
};

/// A CustomerQuery page of `n` customers, roughly as QuickBooks writes it.
fn customer_page(n: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" ?><QBXML><QBXMLMsgsRs><CustomerQueryRs requestID=\"1\" \
         statusCode=\"0\" statusSeverity=\"Info\" statusMessage=\"Status OK\" \
         iteratorRemainingCount=\"0\" iteratorID=\"{a1b2}\">",
    );
    for i in 0..n {
        s.push_str(&format!(
            "<CustomerRet><ListID>8000{i:04}-1446676743</ListID><TimeCreated>2024-01-02T10:00:00-05:00</TimeCreated>\
             <EditSequence>1446676743</EditSequence><Name>Customer &amp; Sons {i}</Name>\
             <FullName>Customer &amp; Sons {i}</FullName><IsActive>true</IsActive><Sublevel>0</Sublevel>\
             <CompanyName>Customer &amp; Sons {i} Ltd</CompanyName><FirstName>Jo</FirstName><LastName>Smith</LastName>\
             <BillAddress><Addr1>12 Main St</Addr1><City>Springfield</City><State>IL</State>\
             <PostalCode>62701</PostalCode></BillAddress><Phone>217-555-0100</Phone>\
             <Email>ap{i}@example.com</Email><AccountNumber>C{i:05}</AccountNumber>\
             <Notes>Prefers invoices by e-mail; \"net 30\" agreed.</Notes></CustomerRet>"
        ));
    }
    s.push_str("</CustomerQueryRs></QBXMLMsgsRs></QBXML>");
    s
}

fn soap(c: &mut Criterion) {
    let page = customer_page(500);
    let envelope = request_envelope(
        Method::ReceiveResponseXml,
        &[
            ("ticket", "9d7c2d0e-2f0b-4c1a-9a51-1f5f4a7e2b10"),
            ("response", &page),
            ("hresult", ""),
            ("message", ""),
        ],
    );
    let mut g = c.benchmark_group("soap");
    g.throughput(Throughput::Bytes(envelope.len() as u64));
    g.bench_function("parse receiveResponseXML, 500 customers", |b| {
        b.iter(|| parse_call(black_box(envelope.as_bytes())).expect("parses"))
    });
    let request = customer_page(100);
    g.throughput(Throughput::Bytes(request.len() as u64));
    g.bench_function("write sendRequestXML answer, 100 customers", |b| {
        b.iter(|| Reply::text(Method::SendRequestXml, black_box(request.as_str())).to_envelope())
    });
    g.finish();
}

fn http_call(c: &mut Criterion) {
    let hash = StoredPassword::hash("bench password").expect("hash");
    let service = Arc::new(Service::new(
        Credentials::new("bench", hash),
        ServiceSettings::default(),
    ));
    let opts = ServerOptions {
        listen: "127.0.0.1:0".into(),
        path: "/qbwc".into(),
        tls: None,
        limits: HttpLimits::default(),
    };
    let server = serve(&opts, service).expect("server");
    let client = HttpClient::plain(server.local_addr(), "/qbwc");
    let body = request_envelope(Method::GetLastError, &[("ticket", "unknown")]);
    c.bench_function("http getLastError over loopback", |b| {
        b.iter(|| {
            let r = client
                .post_soap("getLastError", body.as_bytes())
                .expect("answer");
            assert_eq!(r.status, 200);
        })
    });
    server.shutdown();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    targets = soap, http_call
}
criterion_main!(benches);
