//! Planning 100,000 SMSTurbo × 100,000 QuickBooks customers, the search for likely duplicates
//! among the 20,000 left unpaired on each side included (target ≤ 150 ms, goal ≤ 100 ms).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

#[path = "support/customers.rs"]
mod customers;
use customers::fill;

use criterion::{Criterion, criterion_group, criterion_main};
use custsync::config::Config;
use custsync::sync::plan::{Mode, Plan, PlanInput};
use std::hint::black_box;

use custsync::qbxml::{CustomerData, CustomerRet, Field};
use custsync::store::{Customer, CustomerStatus};

const N: usize = 100_000;

/// 80% of customers exist on both sides (half linked by account number, half by name only),
/// 10% differ in a field, 20% exist on one side only.
fn data() -> (Vec<Customer>, Vec<CustomerRet>) {
    let locals = (0..N)
        .map(|i| {
            let mut c = Customer::new(
                &format!("C{i:06}"),
                &format!("Customer {i}"),
                CustomerStatus::Active,
            );
            fill(&mut c.data, i, false);
            c
        })
        .collect();
    let qb = (0..N)
        .map(|i| {
            let j = if i < N * 8 / 10 { i } else { N + i };
            let mut data = CustomerData::new().with(Field::Name, format!("Customer {j}"));
            if j % 2 == 0 {
                data.set(Field::AccountNumber, format!("C{j:06}"));
            }
            fill(&mut data, j, j % 10 == 3);
            CustomerRet {
                list_id: format!("{:X}-1446676743", 0x8000_0000u64 + j as u64),
                data,
                is_active: Some(true),
                ..Default::default()
            }
        })
        .collect();
    (locals, qb)
}
fn bench(c: &mut Criterion) {
    let (locals, qb) = data();
    let config = Config::default();
    let mut g = c.benchmark_group("plan");
    g.sample_size(10);
    g.bench_function("100k x 100k not-exact", |b| {
        b.iter(|| {
            let plan = Plan::build(&PlanInput {
                locals: &locals,
                qb: &qb,
                links: &[],
                config: &config,
                customer_types: &[],
                job_types: &[],
                mode: Mode::NotExactMatch,
                kept_local: &[],
                deletions: &Default::default(),
            });
            black_box(plan.pairs.len())
        })
    });
    // Folding repeated ListIDs runs on every read, before planning: nearly always there are
    // none; a busy company repeats a few.
    g.bench_function("fold 100k, no repeats", |b| {
        b.iter_batched(
            || qb.clone(),
            // The list goes back out: dropping 100,000 customers is not folding's cost.
            |mut list| {
                (
                    black_box(custsync::sync::fold::fold_duplicates(&mut list)),
                    list,
                )
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("fold 100k, 100 repeated", |b| {
        let mut repeated = qb.clone();
        repeated.extend(qb.iter().step_by(1000).cloned());
        b.iter_batched(
            || repeated.clone(),
            |mut list| {
                (
                    black_box(custsync::sync::fold::fold_duplicates(&mut list)),
                    list,
                )
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
