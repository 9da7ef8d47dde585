//! Sandbox company performance: generating customers, and paging through 100,000 of them with an
//! iterator of 500 the way custsync reads a big company.
//!
//! `cargo bench --bench sandbox -- --warm-up-time 1 --measurement-time 5`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use custsync::qb::sandbox::{
    CompanyFile, GenerateOptions, SandboxOptions, Session, generate, process,
};

fn doc(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><?qbxml version=\"13.0\"?><QBXML><QBXMLMsgsRq onError=\"stopOnError\">{body}</QBXMLMsgsRq></QBXML>"
    )
}

fn attr<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = text.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = text[start..].find('"')?;
    Some(&text[start..start + len])
}

/// Reads every active customer with an iterator of 500; returns how many came back.
fn page_through(file: &mut CompanyFile) -> usize {
    let mut session = Session::new("bench", SandboxOptions::default());
    let mut text = process(
        file,
        &mut session,
        &doc(
            "<CustomerQueryRq iterator=\"Start\"><MaxReturned>500</MaxReturned></CustomerQueryRq>",
        ),
    )
    .expect("start");
    let mut seen = text.matches("<CustomerRet>").count();
    let id = attr(&text, "iteratorID").expect("iteratorID").to_string();
    while attr(&text, "iteratorRemainingCount").is_some_and(|n| n != "0") {
        text = process(
            file,
            &mut session,
            &doc(&format!(
                "<CustomerQueryRq iterator=\"Continue\" iteratorID=\"{id}\"><MaxReturned>500</MaxReturned></CustomerQueryRq>"
            )),
        )
        .expect("continue");
        seen += text.matches("<CustomerRet>").count();
    }
    seen
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("sandbox");
    group.sample_size(10);

    let mut n = 0;
    group.bench_function("generate_10000_customers", |b| {
        b.iter(|| {
            n += 1;
            let mut file = CompanyFile::create(&dir.path().join(format!("gen{n}.QBW")), "Bench")
                .expect("create");
            generate(&mut file, &GenerateOptions::new(10_000, n)).expect("generate")
        })
    });

    let path = dir.path().join("big.QBW");
    let mut file = CompanyFile::create(&path, "Big").expect("create");
    let started = std::time::Instant::now();
    let summary = generate(&mut file, &GenerateOptions::new(100_000, 1)).expect("generate");
    eprintln!(
        "generated 100,000 customers in {:.2} s (one run, for the record)",
        started.elapsed().as_secs_f64()
    );
    let active = (summary.customers - summary.inactive) as usize;
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("page_100000_customers_by_500", |b| {
        b.iter(|| assert_eq!(page_through(&mut file), active))
    });
    group.finish();
}

criterion_group!(sandbox, benches);
criterion_main!(sandbox);
