//! Drawing and filtering at 100,000 rows per pane.
//!
//!     cargo bench --bench tui_render -- --warm-up-time 1 --measurement-time 5
//!
//! Targets (issue 4): one frame of the two-pane Synchronize screen ≤ 2 ms; one filter keystroke
//! over 100,000 rows ≤ 20 ms.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use custsync::config::Config;
use custsync::tui::action::{Action, Msg};
use custsync::tui::component::{Component, Cx};
use custsync::tui::fake::large_sync_view;
use custsync::tui::screens::sync::SyncScreen;
use custsync::tui::theme::Theme;
use custsync::tui::view::Column;
use custsync::tui::widgets::checklist::{Checklist, ChecklistRow};

const ROWS: usize = 100_000;

fn sync_frame(c: &mut Criterion) {
    let theme = Theme::colour();
    let mut screen = SyncScreen::new(large_sync_view(ROWS));
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

criterion_group!(benches, sync_frame, filter_keystroke);
criterion_main!(benches);
