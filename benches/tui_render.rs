//! Drawing and filtering at 100,000 rows per pane, on the panes the real back end builds from a
//! sync-core plan (`tui::plan_view`).
//!
//!     cargo bench --bench tui_render -- --warm-up-time 1 --measurement-time 5
//!
//! Targets (issue 4): one frame of the two-pane Synchronize screen ≤ 2 ms; one filter keystroke
//! over 100,000 rows ≤ 20 ms.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::hint::black_box;
use std::path::Path;

#[path = "support/customers.rs"]
mod customers;
use customers::fill;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use custsync::config::Config;
use custsync::qbxml::{CustomerData, CustomerRet, Field};
use custsync::store::{Customer, CustomerStatus};
use custsync::sync::Snapshot;
use custsync::sync::plan::{Mode, Plan, PlanInput};
use custsync::tui::action::{Action, Msg};
use custsync::tui::component::{Component, Cx};
use custsync::tui::keymap::Key;
use custsync::tui::plan_view::sync_view;
use custsync::tui::screens::sync::SyncScreen;
use custsync::tui::theme::Theme;
use custsync::tui::view::{Column, SyncView};
use custsync::tui::widgets::checklist::{Checklist, ChecklistRow};

const ROWS: usize = 100_000;

/// `ROWS` SMSTurbo customers QuickBooks lacks, `ROWS` QuickBooks customers SMSTurbo lacks, and
/// 10,000 pairs that differ in a phone number: every customer not in sync, as the real back end
/// plans it.
fn plan_and_snapshot() -> (Plan, Snapshot, Config) {
    let pairs = ROWS / 10;
    let locals: Vec<Customer> = (0..ROWS + pairs)
        .map(|i| {
            let mut c = Customer::new(
                &format!("C{i:06}"),
                &format!("Customer {i:06}"),
                CustomerStatus::ALL[i % 4],
            );
            fill(&mut c.data, i, false);
            c
        })
        .collect();
    let qb: Vec<CustomerRet> = (0..ROWS + pairs)
        .map(|i| {
            // The first `pairs` are the locals' last ones; the rest exist in QuickBooks only.
            let (j, name) = if i < pairs {
                (ROWS + i, format!("Customer {:06}", ROWS + i))
            } else {
                (10 * ROWS + i, format!("QuickBooks Customer {i:06}"))
            };
            let mut data = CustomerData::new().with(Field::Name, name);
            // Imports keep QuickBooks' account number as their code.
            if i >= pairs {
                data.set(Field::AccountNumber, format!("Q{i:06}"));
            }
            fill(&mut data, j, i < pairs);
            CustomerRet {
                list_id: format!("{:X}-1446676743", 0x8000_0000u64 + j as u64),
                data,
                is_active: Some(true),
                ..Default::default()
            }
        })
        .collect();
    let config = Config::default();
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
    let snapshot = Snapshot {
        locals,
        qb,
        ..Default::default()
    };
    (plan, snapshot, config)
}

fn real_view() -> SyncView {
    let (plan, snapshot, config) = plan_and_snapshot();
    let view = sync_view(&plan, &snapshot, "Benchmark Co.", &config);
    assert!(view.smsturbo.rows.len() >= ROWS && view.quickbooks.rows.len() >= ROWS);
    view
}

/// Building the panes from the plan (on the worker, once per comparison).
fn view_model(c: &mut Criterion) {
    let (plan, snapshot, config) = plan_and_snapshot();
    let mut g = c.benchmark_group("view model");
    g.sample_size(10);
    g.bench_function("panes from a plan, 110k rows per pane", |b| {
        b.iter(|| black_box(sync_view(&plan, &snapshot, "Benchmark Co.", &config)))
    });
    // What the UI thread does once when the panes arrive.
    let view = sync_view(&plan, &snapshot, "Benchmark Co.", &config);
    g.bench_function("opening the screen on them (UI thread)", |b| {
        b.iter_batched(
            || view.clone(),
            |v| black_box(SyncScreen::new(v)),
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn sync_frame(c: &mut Criterion) {
    let theme = Theme::colour();
    let mut screen = SyncScreen::new(real_view());
    let config = Config::default();
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        // Somewhere in the middle, with the cursor moving: what holding ↓ costs.
        let mut cx = Cx::new(&config, Path::new("/"), area);
        for _ in 0..50_000 {
            screen.update(&Msg::Action(Action::Down), &mut cx);
        }
        c.bench_function(
            &format!("sync screen frame, 100k rows per pane, {w}x{h}"),
            |b| {
                b.iter(|| {
                    let mut cx = Cx::new(&config, Path::new("/"), area);
                    screen.update(&Msg::Action(Action::Down), &mut cx);
                    buf.reset();
                    screen.render(area, &mut buf, &theme);
                    black_box(&buf);
                })
            },
        );
    }
}

fn checklist() -> Checklist {
    let rows = (0..ROWS)
        .map(|i| ChecklistRow {
            cells: vec![
                format!("L{i:06}"),
                format!("Customer number {i:06} of SMSTurbo"),
                "Active".into(),
            ],
            blocked: None,
        })
        .collect();
    Checklist::new(
        "SMSTurbo",
        vec![
            Column::fixed("Code", 8),
            Column::fill("Name", 12, 3),
            Column::fixed("Status", 8),
        ],
        rows,
        true,
    )
}

/// A keystroke in the pane's filter, through the screen as the operator types it.
fn filter_in_screen(c: &mut Criterion) {
    let mut screen = SyncScreen::new(real_view());
    let config = Config::default();
    let area = Rect::new(0, 0, 80, 24);
    let mut cx = Cx::new(&config, Path::new("/"), area);
    screen.update(&Msg::Action(Action::Filter), &mut cx);
    c.bench_function("filter keystroke in the sync pane, 110k rows", |b| {
        b.iter(|| {
            let mut cx = Cx::new(&config, Path::new("/"), area);
            screen.update(&Msg::Text(Key::Char('7').event()), &mut cx);
            screen.update(&Msg::Text(Key::Backspace.event()), &mut cx);
            black_box(&screen);
        })
    });
}

fn filter_keystroke(c: &mut Criterion) {
    let mut list = checklist();
    // A first character: every row is scanned.
    let mut flip = false;
    c.bench_function("filter keystroke, 100k rows, full scan", |b| {
        b.iter(|| {
            flip = !flip;
            list.set_filter(if flip { "7" } else { "8" });
            black_box(list.visible_len());
        })
    });
    // A further character: only the current matches are scanned.
    c.bench_function("filter keystroke, 100k rows, narrowing from 1 to 12", |b| {
        b.iter(|| {
            list.set_filter("1");
            list.set_filter("12");
            black_box(list.visible_len());
        })
    });
}

criterion_group!(
    benches,
    view_model,
    sync_frame,
    filter_in_screen,
    filter_keystroke
);
criterion_main!(benches);
