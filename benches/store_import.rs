//! Importing 100,000 customers into the store in one transaction (target ≤ 1.5 s), three ways:
//! the bulk insert, the sync core's import (customer + link + journal entry each), and a CSV
//! import. Each sample starts from an empty database file in WAL mode, as a workspace has.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use custsync::qbxml::Field;
use custsync::store::{Customer, CustomerStatus, NewRun, RunMode, Store, StoreRead, csv};

const N: usize = 100_000;

/// Customers with the fields a real list fills in.
fn customers() -> Vec<Customer> {
    (0..N)
        .map(|i| {
            let mut c = Customer::new(
                &format!("C{i:06}"),
                &format!("Customer {i} Trading Ltd"),
                CustomerStatus::ALL[i % 4],
            );
            let d = &mut c.data;
            d.set(Field::CompanyName, format!("Customer {i} Trading Ltd"));
            d.set(Field::FirstName, "Alex");
            d.set(Field::LastName, format!("Smith{i}"));
            d.set(Field::BillAddr1, format!("{i} High Street"));
            d.set(Field::BillCity, "Springfield");
            d.set(Field::BillState, "IL");
            d.set(Field::BillPostalCode, format!("{:05}", i % 99_999));
            d.set(Field::BillCountry, "USA");
            d.set(Field::Phone, format!("555-{:04}", i % 10_000));
            d.set(Field::Email, format!("accounts{i}@example.com"));
            d.set(Field::CustomerType, "Retail");
            d.set(Field::Terms, "Net 30");
            d.set(Field::CreditLimit, format!("{}.50", i % 50_000));
            d.set(Field::Notes, "Imported for the benchmark");
            c
        })
        .collect()
}

fn empty_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("custsync.db")).expect("store");
    (dir, store)
}

fn bench(c: &mut Criterion) {
    let list = customers();
    let mut csv_text = Vec::new();
    {
        let (_dir, mut s) = empty_store();
        s.transaction(|tx| tx.insert_customers(&list))
            .expect("seed");
        csv::export(&s, &mut csv_text).expect("export");
    }

    let mut g = c.benchmark_group("store_import_100k");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));

    g.bench_function("bulk_insert", |b| {
        b.iter_batched(
            empty_store,
            |(dir, mut s)| {
                let n = s
                    .transaction(|tx| tx.insert_customers(&list))
                    .expect("insert");
                assert_eq!(n, N);
                black_box(&s);
                (dir, s)
            },
            BatchSize::PerIteration,
        )
    });

    g.bench_function("sync_import_with_links_and_journal", |b| {
        b.iter_batched(
            empty_store,
            |(dir, mut s)| {
                let run = s
                    .start_run(&NewRun::new(RunMode::MissingOnly))
                    .expect("run");
                s.transaction(|tx| {
                    for (i, c) in list.iter().enumerate() {
                        tx.import_customer(run, "bench.qbw", c, &format!("8000{i:06}-1"))?;
                    }
                    Ok::<_, custsync::store::StoreError>(())
                })
                .expect("import");
                (dir, s)
            },
            BatchSize::PerIteration,
        )
    });

    g.bench_function("csv_import", |b| {
        b.iter_batched(
            empty_store,
            |(dir, mut s)| {
                let report =
                    csv::import(&mut s, csv_text.as_slice(), "bench.csv", "bench").expect("csv");
                assert_eq!(report.added, N);
                assert_eq!(s.count_customers().expect("count"), N as u64);
                (dir, s)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
