//! The two-pane Synchronize screen: SMSTurbo left, QuickBooks right, each a checklist; a detail
//! area shows the selected record, its differing fields and its problems.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Row, Table, Widget};
use unicode_width::UnicodeWidthStr;

use super::dialogs;
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent, Tone};
use crate::tui::keymap::Context;
use crate::tui::theme::{Theme, glyph};
use crate::tui::view::{CheckedRows, RowId, RowKind, SyncPane, SyncRow, SyncView};
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, ListOutcome};
use crate::tui::widgets::hanging::Hanging;
use crate::tui::widgets::{column_widths, cut, fitted, panel, split_top};
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
    panes: [Pane; 2],
    focus: Side,
    /// Where each not-in-sync pair sits in the two panes, to check it on both at once.
    pairs: HashMap<RowId, [Option<usize>; 2]>,
    /// The selection sent for a preview, until the preview comes back.
    previewing: Option<CheckedRows>,
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
            panes: [Pane::new(view.smsturbo), Pane::new(view.quickbooks)],
            focus: Side::SmsTurbo,
            pairs,
            previewing: None,
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

    /// Panes and detail areas for a screen size: the detail goes right on wide screens, below
    /// otherwise.
    fn layout(area: Rect) -> (Rect, [Rect; 2], Rect) {
        let (header, body) = split_top(area, 1);
        let (panes, detail) = if body.width >= 150 {
            let detail_w = body.width / 3;
            let [panes, detail] = body.layout(&Layout::horizontal([
                Constraint::Fill(1),
                Constraint::Length(detail_w),
            ]));
            (panes, detail)
        } else {
            let detail_h = (body.height * 2 / 5)
                .max(6)
                .min(body.height.saturating_sub(6));
            let [panes, detail] = body.layout(&Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(detail_h),
            ]));
            (panes, detail)
        };
        let [left, right] = panes.layout(&Layout::horizontal([
            Constraint::Length(panes.width / 2),
            Constraint::Fill(1),
        ]));
        (header, [left, right], detail)
    }

    /// The selected row in the detail area: what checking it does, its problems (in full: they
    /// say what to do), the fields that differ and the record.
    fn render_detail(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let Some(row) = self.pane().selected() else {
            cut(
                "Nothing to show: both sides agree here.",
                area.width,
                theme.hint,
            )
            .render(area, buf);
            return;
        };
        let what = match (self.focus, row.kind) {
            (_, RowKind::NotInSync) => "not in sync; checking applies the Replace Options",
            (Side::SmsTurbo, RowKind::Export) => "not in QuickBooks; checking adds it there",
            (Side::QuickBooks, RowKind::Import) => "not in SMSTurbo; checking imports it",
            (_, RowKind::NeedsReview) => "several possible matches; never linked automatically",
            (_, RowKind::Stale) => "QuickBooks changed its link; Enter shows the ways out",
            (_, RowKind::KeptLocal) => "kept in SMSTurbo only; Enter shows the ways out",
            (_, k) => k.label(),
        };
        let (title, rest) = split_top(area, 1);
        let heading = format!("{} — {what}", row.name);
        cut(&heading, title.width, theme.label_focused).render(title, buf);
        let problems = row.problems.iter().fold(Hanging::new(), |h, p| {
            h.item(format!("{} ", glyph::ERROR), p.as_str(), theme.error)
        });
        let (problems_area, rest) = split_top(rest, problems.height(rest.width));
        problems.render(problems_area, buf);
        let label_w = row
            .detail
            .diffs
            .iter()
            .map(|d| d.label.width())
            .chain(row.detail.record.iter().map(|(l, _)| l.width()))
            .max()
            .unwrap_or(8) as u16;
        let rest = if row.detail.diffs.is_empty() {
            rest
        } else {
            let (diffs, rest) = split_top(rest, row.detail.diffs.len() as u16 + 1);
            let columns = [
                Constraint::Length(label_w),
                Constraint::Fill(1),
                Constraint::Fill(1),
                Constraint::Length(8),
            ];
            let widths = column_widths(&columns, 1, diffs.width);
            let header = ["Field", "SMSTurbo", "QuickBooks", "Replace?"];
            let rows = row.detail.diffs.iter().map(|d| {
                let mark = if d.applies { "replaced" } else { "kept" };
                let style = if d.applies { theme.checked } else { theme.base };
                Row::new(fitted(
                    [d.label, show(&d.smsturbo), show(&d.quickbooks), mark],
                    &widths,
                ))
                .style(style)
            });
            Table::new(rows, columns)
                .header(Row::new(fitted(header, &widths)).style(theme.header))
                .column_spacing(1)
                .render(diffs, buf);
            rest
        };
        // Wide terminals show the record in two columns, so more of it fits.
        let two = rest.width >= 90 && row.detail.record.len() > 4;
        let record: Vec<&str> = row
            .detail
            .record
            .iter()
            .flat_map(|(label, value)| [*label, value.as_str()])
            .collect();
        let pairs = if two { 2 } else { 1 };
        let columns: Vec<Constraint> = (0..pairs)
            .flat_map(|_| [Constraint::Length(label_w), Constraint::Fill(1)])
            .collect();
        let widths = column_widths(&columns, 1, rest.width);
        // Two columns read down the left half first, then down the right half.
        let down = record.len().div_ceil(2 * pairs) * 2;
        let rows = (0..down / 2).map(|i| {
            let cells = (0..pairs).flat_map(|half| {
                let at = half * down + 2 * i;
                record.get(at..at + 2).unwrap_or_default().iter().copied()
            });
            Row::new(fitted(cells, &widths)).style(theme.base)
        });
        Table::new(rows, columns)
            .column_spacing(1)
            .render(rest, buf);
    }
}

fn show(v: &str) -> &str {
    if v.is_empty() { "(empty)" } else { v }
}

impl Component for SyncScreen {
    fn title(&self) -> String {
        "Synchronize".into()
    }

    fn contexts(&self) -> Vec<Context> {
        let mut contexts = self.pane().list.contexts_within(&[Context::SyncPanes]);
        // The row's ways out come first, so Enter reaches them and the footer shows them.
        if !self.pane().list.is_filtering()
            && self
                .pane()
                .selected()
                .is_some_and(|r| !r.actions.is_empty())
        {
            contexts.insert(0, Context::StaleRow);
        }
        contexts
    }

    fn captures_text(&self) -> bool {
        self.pane().list.captures_text()
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        if let Msg::Click { column, row } = msg {
            let (_, panes, _) = Self::layout(cx.area);
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
                Some(Action::Back) if self.pane().list.filter().is_empty() => {
                    cx.intent(Intent::CancelSync);
                    return true;
                }
                Some(Action::RowActions) => {
                    if let Some(row) = self.pane().selected().filter(|r| !r.actions.is_empty()) {
                        cx.modal(dialogs::row_actions(row));
                    }
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
            Event::Resolved { message, view } => {
                // Compared again: new rows, new ids; checks start over. The cursors stay where
                // they were (the row decided is there, or its neighbour).
                let focus = self.focus;
                let cursors = self.panes.each_ref().map(|p| p.list.cursor_row());
                *self = SyncScreen::new(*view);
                self.focus = focus;
                for (pane, cursor) in self.panes.iter_mut().zip(cursors) {
                    if let Some(at) = cursor.filter(|_| !pane.rows.is_empty()) {
                        pane.list.select_row(at.min(pane.rows.len() - 1));
                    }
                }
                cx.status(Tone::Success, message);
                None
            }
            other => Some(other),
        }
    }

    fn on_intent(&mut self, intent: Intent, cx: &mut Cx) -> Option<Intent> {
        match intent {
            Intent::Resolve { row, how } => {
                cx.status(Tone::Info, "Changing the link…");
                cx.send(Command::Resolve { row, how });
                None
            }
            Intent::AddAgain { row, risk } => {
                let name = self.find(row).map_or_else(String::new, |(side, i)| {
                    self.panes[side].rows[i].name.clone()
                });
                cx.modal(dialogs::add_again(row, &name, &risk));
                None
            }
            Intent::AddAgainConfirmed(row) => {
                if let Some((side, i)) = self.find(row) {
                    let list = &mut self.panes[side].list;
                    list.unblock(i);
                    list.set_checked(i, true);
                    cx.status(
                        Tone::Warning,
                        "Checked: it is added to QuickBooks again when you synchronize the \
                         checked rows.",
                    );
                }
                None
            }
            other => Some(other),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let (header, panes, detail) = Self::layout(area);
        let mode = if self.missing_only {
            "missing customers only"
        } else {
            "every customer not in sync"
        };
        let mut head = format!(" {} — {mode}", self.company);
        if !self.summary.is_empty() {
            head.push_str(&format!(" · {}", self.summary));
        }
        cut(&head, header.width, theme.title).render(header, buf);
        for (side, rect) in [Side::SmsTurbo, Side::QuickBooks].into_iter().zip(panes) {
            self.panes[Self::idx(side)]
                .list
                .render(rect, buf, theme, side == self.focus);
        }
        let block = panel().border_style(theme.border).title(" Detail ");
        let inner = block.inner(detail);
        block.render(detail, buf);
        self.render_detail(inner, buf, theme);
    }
}

impl SyncScreen {
    /// Where the row `id` is: (pane, position).
    fn find(&self, id: RowId) -> Option<(usize, usize)> {
        self.panes
            .iter()
            .enumerate()
            .find_map(|(side, p)| p.rows.iter().position(|r| r.id == id).map(|i| (side, i)))
    }

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
