//! The likely-duplicate search (issue 9) over 100,000 SMSTurbo × 100,000 QuickBooks customers.
//!
//! - `plan with likely, 2,000 left each side`: a sync as it usually is — 98,000 customers
//!   already paired by the exact rules, 2,000 left on each side (500 of them the same customer
//!   written differently, 150 look-alike pairs, the rest unrelated). The whole plan is built (as
//!   `benches/sync_plan.rs` does); planning runs the search over what is left unpaired.
//! - `likely only, 2,000 × 2,000`: the same search alone.
//! - `likely only, 20,000 × 20,000`: as many left as in `benches/sync_plan.rs` (a quarter of
//!   them the same customer written differently).
//! - `likely only, 100,000 × 100,000 unpaired`: the worst case, a first sync where the exact
//!   rules pair nothing (a third of the customers are the same customer written differently on
//!   the two sides, 5% look-alike pairs, the rest unrelated).
//!
//! Customers come from the generator the quality tests use (`tests/likely_support`).

#[path = "support/customers.rs"]
mod customers;
#[path = "../tests/likely_support/generate.rs"]
mod generate;

use criterion::{Criterion, criterion_group, criterion_main};
use custsync::config::Config;
use custsync::qbxml::{CustomerData, CustomerRet, Field};
use custsync::store::{Customer, CustomerStatus};
use custsync::sync::likely::{Candidate, Record, find};
use custsync::sync::plan::{Mode, Plan, PlanInput};
use generate::{Fields, Generator};
use std::hint::black_box;

const N: usize = 100_000;
const LEFT: usize = 2_000;

fn set(data: &mut CustomerData, f: &Fields) {
    for (field, value) in [
        (Field::CompanyName, &f.company),
        (Field::FirstName, &f.first),
        (Field::LastName, &f.last),
        (Field::Phone, &f.phone),
        (Field::Email, &f.email),
        (Field::BillPostalCode, &f.postal),
    ] {
        if !value.is_empty() {
            data.set(field, value);
        }
    }
}

fn local(i: usize, f: &Fields) -> Customer {
    let mut c = Customer::new(&format!("L{i:06}"), f.name.trim(), CustomerStatus::Active);
    set(&mut c.data, f);
    c
}

fn qb(i: usize, f: &Fields) -> CustomerRet {
    let mut data = CustomerData::new().with(Field::Name, f.name.trim());
    set(&mut data, f);
    CustomerRet {
        list_id: format!("{:X}-1446676743", 0x8000_0000u64 + i as u64),
        data,
        is_active: Some(true),
        ..Default::default()
    }
}

/// `n` customers a side, none paired: `dups` written differently on the two sides,
/// `lookalikes` look-alike pairs, the rest unrelated.
fn unpaired(
    g: &mut Generator,
    n: usize,
    dups: usize,
    lookalikes: usize,
) -> (Vec<Fields>, Vec<Fields>) {
    let mut locals = Vec::with_capacity(n);
    let mut qbs = Vec::with_capacity(n);
    for _ in 0..dups {
        let c = g.duplicate();
        locals.push(c.local);
        qbs.push(c.qb);
    }
    for _ in 0..lookalikes {
        let c = g.lookalike();
        locals.push(c.local);
        qbs.push(c.qb);
    }
    while locals.len() < n {
        locals.push(g.customer());
        qbs.push(g.customer());
    }
    (locals, qbs)
}

fn candidates<'a, T>(
    items: &'a [T],
    record: impl Fn(&'a T) -> Record<'a>,
) -> Vec<Candidate<'a, usize>> {
    items
        .iter()
        .enumerate()
        .map(|(i, x)| Candidate {
            id: i,
            record: record(x),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = Generator::new(0xBE7C);
    let (left_locals, left_qbs) = unpaired(&mut g, LEFT, 500, 150);

    // The usual sync: the leftovers among customers paired by code and name.
    let mut locals: Vec<Customer> = Vec::with_capacity(N);
    let mut qbs: Vec<CustomerRet> = Vec::with_capacity(N);
    for i in 0..N - LEFT {
        let mut c = Customer::new(
            &format!("C{i:06}"),
            &format!("Customer {i}"),
            CustomerStatus::Active,
        );
        customers::fill(&mut c.data, i, false);
        let mut data = c.data.clone();
        data.set(Field::AccountNumber, format!("C{i:06}"));
        locals.push(c);
        qbs.push(CustomerRet {
            list_id: format!("{:X}-1446676743", 0x4000_0000u64 + i as u64),
            data,
            is_active: Some(true),
            ..Default::default()
        });
    }
    locals.extend(left_locals.iter().enumerate().map(|(i, f)| local(i, f)));
    qbs.extend(left_qbs.iter().enumerate().map(|(i, f)| qb(i, f)));
    let config = Config::default();

    let mut group = c.benchmark_group("likely");
    group.sample_size(10);
    group.bench_function("plan with likely, 2,000 left each side", |b| {
        b.iter(|| {
            let plan = Plan::build(&PlanInput {
                locals: &locals,
                qb: &qbs,
                links: &[],
                config: &config,
                customer_types: &[],
                job_types: &[],
                mode: Mode::NotExactMatch,
                kept_local: &[],
                deletions: &Default::default(),
            });
            black_box(plan.exports.iter().filter(|r| !r.likely.is_empty()).count())
        })
    });

    let small_locals: Vec<Customer> = left_locals
        .iter()
        .enumerate()
        .map(|(i, f)| local(i, f))
        .collect();
    let small_qbs: Vec<CustomerRet> = left_qbs.iter().enumerate().map(|(i, f)| qb(i, f)).collect();
    let exports = candidates(&small_locals, Record::from_customer);
    let imports = candidates(&small_qbs, |r| Record::from_data(&r.data));
    println!(
        "2,000 × 2,000: {} likely pairs",
        find(&exports, &imports).len()
    );
    group.bench_function("likely only, 2,000 × 2,000", |b| {
        b.iter(|| black_box(find(&exports, &imports).len()))
    });

    // The shape of `benches/sync_plan.rs`: 20,000 left on each side.
    let (mid_locals, mid_qbs) = unpaired(&mut g, 20_000, 5_000, 1_500);
    let mid_locals: Vec<Customer> = mid_locals
        .iter()
        .enumerate()
        .map(|(i, f)| local(i, f))
        .collect();
    let mid_qbs: Vec<CustomerRet> = mid_qbs.iter().enumerate().map(|(i, f)| qb(i, f)).collect();
    let exports = candidates(&mid_locals, Record::from_customer);
    let imports = candidates(&mid_qbs, |r| Record::from_data(&r.data));
    group.bench_function("likely only, 20,000 × 20,000", |b| {
        b.iter(|| black_box(find(&exports, &imports).len()))
    });

    let (all_locals, all_qbs) = unpaired(&mut g, N, N / 3, N / 20);
    let big_locals: Vec<Customer> = all_locals
        .iter()
        .enumerate()
        .map(|(i, f)| local(i, f))
        .collect();
    let big_qbs: Vec<CustomerRet> = all_qbs.iter().enumerate().map(|(i, f)| qb(i, f)).collect();
    let exports = candidates(&big_locals, Record::from_customer);
    let imports = candidates(&big_qbs, |r| Record::from_data(&r.data));
    println!(
        "100,000 × 100,000: {} likely pairs",
        find(&exports, &imports).len()
    );
    group.bench_function("likely only, 100,000 × 100,000 unpaired", |b| {
        b.iter(|| black_box(find(&exports, &imports).len()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
