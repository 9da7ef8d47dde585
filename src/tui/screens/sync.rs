//! The two-pane Synchronize screen: SMSTurbo left, QuickBooks right, each a checklist; a detail
//! area shows the selected record, its differing fields and its problems.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Widget};

use super::dialogs;
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent, Tone};
use crate::tui::keymap::Context;
use crate::tui::theme::{Theme, glyph};
use crate::tui::view::{CheckedRows, RowId, RowKind, SyncPane, SyncRow, SyncView};
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, ListOutcome};
use crate::tui::widgets::{inside_box, put};
use crate::tui::worker::{Command, Event};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    SmsTurbo,
    QuickBooks,
}

struct Pane {
    rows: Vec<SyncRow>,
    list: Checklist,
}

impl Pane {
    fn new(mut p: SyncPane) -> Pane {
        // The list keeps the cells; the rows keep the rest (100,000 rows: no second copy).
        let rows: Vec<ChecklistRow> = p
            .rows
            .iter_mut()
            .map(|r| ChecklistRow {
                cells: std::mem::take(&mut r.cells),
                blocked: r.problems.first().map(|first| {
                    if r.problems.len() > 1 {
                        format!("{first} (+{} more)", r.problems.len() - 1)
                    } else {
                        first.clone()
                    }
                }),
            })
            .collect();
        Pane {
            list: Checklist::new(p.title, p.columns, rows, true),
            rows: p.rows,
        }
    }

    fn selected(&self) -> Option<&SyncRow> {
        self.list.cursor_row().and_then(|i| self.rows.get(i))
    }
}

pub struct SyncScreen {
    company: String,
    missing_only: bool,
    summary: String,
    /// How QuickBooks was read, on the header's second line.
    read: String,
    panes: [Pane; 2],
    focus: Side,
    /// Where each not-in-sync pair sits in the two panes, to check it on both at once.
    pairs: HashMap<RowId, [Option<usize>; 2]>,
    /// The selection sent for a preview, until the preview comes back.
    previewing: Option<CheckedRows>,
    /// QuickBooks is being read again: these panes are about to be replaced, so nothing is
    /// run from them.
    rereading: bool,
}

impl SyncScreen {
    pub fn new(view: SyncView) -> SyncScreen {
        let mut pairs: HashMap<RowId, [Option<usize>; 2]> = HashMap::new();
        for (side, pane) in [&view.smsturbo, &view.quickbooks].into_iter().enumerate() {
            for (i, r) in pane.rows.iter().enumerate() {
                if r.kind == RowKind::NotInSync {
                    pairs.entry(r.id).or_default()[side] = Some(i);
                }
            }
        }
        SyncScreen {
            company: view.company_name,
            missing_only: view.missing_only,
            summary: view.summary,
            read: view.read,
            panes: [Pane::new(view.smsturbo), Pane::new(view.quickbooks)],
            focus: Side::SmsTurbo,
            pairs,
            previewing: None,
            rereading: false,
        }
    }

    fn idx(side: Side) -> usize {
        match side {
            Side::SmsTurbo => 0,
            Side::QuickBooks => 1,
        }
    }

    fn pane(&self) -> &Pane {
        &self.panes[Self::idx(self.focus)]
    }

    fn pane_mut(&mut self) -> &mut Pane {
        &mut self.panes[Self::idx(self.focus)]
    }

    /// The checked rows, each once, SMSTurbo's first.
    pub fn selection(&self) -> CheckedRows {
        let mut seen = std::collections::HashSet::new();
        let mut rows = Vec::new();
        for p in &self.panes {
            for i in p.list.checked_rows() {
                let id = p.rows[i].id;
                if seen.insert(id) {
                    rows.push(id);
                }
            }
        }
        CheckedRows {
            rows,
            add_missing_list_entries: false,
        }
    }

    /// Keeps the two halves of a pair checked alike.
    fn mirror(&mut self, side: usize, row: usize) {
        let id = self.panes[side].rows[row].id;
        let on = self.panes[side].list.is_checked(row);
        if let Some(slots) = self.pairs.get(&id)
            && let Some(j) = slots[1 - side]
        {
            self.panes[1 - side].list.set_checked(j, on);
        }
    }

    /// After many checks changed in pane `side`, carries its pairs' state to the other pane.
    fn mirror_all(&mut self, side: usize) {
        let rows: Vec<usize> = self.pairs.values().filter_map(|s| s[side]).collect();
        for i in rows {
            self.mirror(side, i);
        }
    }

    /// Header, panes and detail areas for a screen size: the detail goes right on wide
    /// screens, below otherwise. The header has a second line when there is a read to tell.
    fn layout(&self, area: Rect) -> (Rect, [Rect; 2], Rect) {
        let lines = if self.read.is_empty() { 1 } else { 2 };
        let header = Rect {
            height: lines.min(area.height),
            ..area
        };
        let body = Rect {
            y: area.y + header.height,
            height: area.height.saturating_sub(header.height),
            ..area
        };
        if body.width >= 150 {
            let detail_w = body.width / 3;
            let panes_w = body.width - detail_w;
            let half = panes_w / 2;
            (
                header,
                [
                    Rect {
                        width: half,
                        ..body
                    },
                    Rect {
                        x: body.x + half,
                        width: panes_w - half,
                        ..body
                    },
                ],
                Rect {
                    x: body.x + panes_w,
                    width: detail_w,
                    ..body
                },
            )
        } else {
            let detail_h = (body.height * 2 / 5)
                .max(6)
                .min(body.height.saturating_sub(6));
            let panes_h = body.height - detail_h;
            let half = body.width / 2;
            (
                header,
                [
                    Rect {
                        width: half,
                        height: panes_h,
                        ..body
                    },
                    Rect {
                        x: body.x + half,
                        width: body.width - half,
                        height: panes_h,
                        ..body
                    },
                ],
                Rect {
                    y: body.y + panes_h,
                    height: detail_h,
                    ..body
                },
            )
        }
    }

    fn detail_lines(&self, width: usize) -> Vec<(String, DetailStyle)> {
        let mut out = Vec::new();
        let Some(row) = self.pane().selected() else {
            out.push((
                "Nothing to show: both sides agree here.".into(),
                DetailStyle::Hint,
            ));
            return out;
        };
        let what = match (self.focus, row.kind) {
            (_, RowKind::NotInSync) => "not in sync; checking applies the Replace Options",
            (Side::SmsTurbo, RowKind::Export) => "not in QuickBooks; checking adds it there",
            (Side::QuickBooks, RowKind::Import) => "not in SMSTurbo; checking imports it",
            (_, RowKind::NeedsReview) => "several possible matches; never linked automatically",
            (_, k) => k.label(),
        };
        out.push((format!("{} — {what}", row.name), DetailStyle::Title));
        for p in &row.problems {
            // Problems say what to do: never cut them short.
            let text = format!("{} {p}", glyph::ERROR);
            for (i, line) in crate::tui::widgets::wrap(&text, width)
                .into_iter()
                .enumerate()
            {
                let line = if i == 0 { line } else { format!("  {line}") };
                out.push((line, DetailStyle::Error));
            }
        }
        let label_w = row
            .detail
            .diffs
            .iter()
            .map(|d| d.label.chars().count())
            .chain(row.detail.record.iter().map(|(l, _)| l.chars().count()))
            .max()
            .unwrap_or(8)
            + 1;
        if !row.detail.diffs.is_empty() {
            let value_w = width.saturating_sub(label_w + 14) / 2;
            let cell =
                |s: &str| format!("{:<value_w$}", crate::tui::widgets::fit(show(s), value_w));
            out.push((
                format!(
                    "{:<label_w$}{} {} {}",
                    "Field",
                    cell("SMSTurbo"),
                    cell("QuickBooks"),
                    "Replace?"
                ),
                DetailStyle::Header,
            ));
            for d in &row.detail.diffs {
                let mark = if d.applies { "replaced" } else { "kept" };
                out.push((
                    format!(
                        "{:<label_w$}{} {} {mark}",
                        d.label,
                        cell(&d.smsturbo),
                        cell(&d.quickbooks)
                    ),
                    if d.applies {
                        DetailStyle::Applies
                    } else {
                        DetailStyle::Plain
                    },
                ));
            }
        }
        // Wide terminals show the record in two columns, so more of it fits.
        let col_w = width / 2;
        let two = width >= 90 && row.detail.record.len() > 4;
        let cell = |(label, value): &(&str, String), w: usize| {
            crate::tui::widgets::fit(&format!("{label:<label_w$}{value}"), w).into_owned()
        };
        if two {
            let half = row.detail.record.len().div_ceil(2);
            let (a, b) = row.detail.record.split_at(half);
            for (i, left) in a.iter().enumerate() {
                let mut line = format!("{:<col_w$}", cell(left, col_w.saturating_sub(1)));
                if let Some(right) = b.get(i) {
                    line.push_str(&cell(right, col_w));
                }
                out.push((line, DetailStyle::Plain));
            }
        } else {
            for (label, value) in &row.detail.record {
                out.push((format!("{label:<label_w$}{value}"), DetailStyle::Plain));
            }
        }
        out
    }
}

fn show(v: &str) -> &str {
    if v.is_empty() { "(empty)" } else { v }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DetailStyle {
    Title,
    Header,
    Error,
    Applies,
    Plain,
    Hint,
}

impl Component for SyncScreen {
    fn title(&self) -> String {
        "Synchronize".into()
    }

    fn contexts(&self) -> Vec<Context> {
        self.pane().list.contexts_within(&[Context::SyncPanes])
    }

    fn captures_text(&self) -> bool {
        self.pane().list.captures_text()
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        if let Msg::Click { column, row } = msg {
            let (_, panes, _) = self.layout(cx.area);
            for (side, rect) in [Side::SmsTurbo, Side::QuickBooks].into_iter().zip(panes) {
                if rect.contains((*column, *row).into()) {
                    self.focus = side;
                    let outcome = self.pane_mut().list.click(rect, *column, *row);
                    return self.after_list(outcome, cx);
                }
            }
            return false;
        }
        if !self.pane().list.is_filtering() {
            match msg.action() {
                Some(Action::SwitchPane) => {
                    self.focus = match self.focus {
                        Side::SmsTurbo => Side::QuickBooks,
                        Side::QuickBooks => Side::SmsTurbo,
                    };
                    return true;
                }
                Some(Action::Run | Action::ReadAll) if self.rereading => {
                    cx.status(
                        Tone::Info,
                        "Reading every QuickBooks customer again; the comparison is replaced when \
                         it is done.",
                    );
                    return true;
                }
                Some(Action::Run) => {
                    let selection = self.selection();
                    if selection.rows.is_empty() {
                        cx.status(
                            Tone::Warning,
                            "Nothing is checked: Space checks a row, a checks all in a pane.",
                        );
                    } else {
                        self.previewing = Some(selection.clone());
                        cx.send(Command::Preview(selection));
                    }
                    return true;
                }
                Some(Action::ReadAll) => {
                    self.rereading = true;
                    cx.status(Tone::Info, "Reading every QuickBooks customer again…");
                    cx.send(Command::Plan {
                        missing_only: self.missing_only,
                        read_all: true,
                    });
                    return true;
                }
                Some(Action::Back) if self.pane().list.filter().is_empty() => {
                    cx.intent(Intent::CancelSync);
                    return true;
                }
                _ => {}
            }
        }
        let outcome = self.pane_mut().list.handle(msg);
        self.after_list(outcome, cx)
    }

    fn on_event(&mut self, ev: Event, cx: &mut Cx) -> Option<Event> {
        match ev {
            Event::Preview(p) => {
                let selection = self.previewing.take().unwrap_or_else(|| self.selection());
                cx.modal(dialogs::run_confirmation(&p, selection));
                None
            }
            other => Some(other),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let (header, panes, detail) = self.layout(area);
        let mode = if self.missing_only {
            "missing customers only"
        } else {
            "every customer not in sync"
        };
        let mut head = format!(" {} — {mode}", self.company);
        if !self.summary.is_empty() {
            head.push_str(&format!(" · {}", self.summary));
        }
        put(buf, header.x, header.y, header.width, &head, theme.title);
        if header.height > 1 {
            let read = format!(" QuickBooks: {}", self.read);
            put(buf, header.x, header.y + 1, header.width, &read, theme.hint);
        }
        for (side, rect) in [Side::SmsTurbo, Side::QuickBooks].into_iter().zip(panes) {
            self.panes[Self::idx(side)]
                .list
                .render(rect, buf, theme, side == self.focus);
        }
        Block::bordered()
            .border_style(theme.border)
            .title(" Detail ")
            .render(detail, buf);
        let inner = inside_box(detail);
        for (k, (line, style)) in self
            .detail_lines(inner.width as usize)
            .into_iter()
            .take(inner.height as usize)
            .enumerate()
        {
            let s = match style {
                DetailStyle::Title => theme.label_focused,
                DetailStyle::Header => theme.header,
                DetailStyle::Error => theme.error,
                DetailStyle::Applies => theme.checked,
                DetailStyle::Plain => theme.base,
                DetailStyle::Hint => theme.hint,
            };
            put(buf, inner.x, inner.y + k as u16, inner.width, &line, s);
        }
    }
}

impl SyncScreen {
    fn after_list(&mut self, outcome: ListOutcome, cx: &mut Cx) -> bool {
        match outcome {
            ListOutcome::Ignored => false,
            ListOutcome::Toggled { row, .. } => {
                self.mirror(Self::idx(self.focus), row);
                true
            }
            ListOutcome::CheckedMany => {
                self.mirror_all(Self::idx(self.focus));
                true
            }
            ListOutcome::Blocked { reason, .. } => {
                cx.status(
                    Tone::Error,
                    format!("Cannot be checked until fixed: {reason}"),
                );
                true
            }
            ListOutcome::Changed => true,
        }
    }
}
