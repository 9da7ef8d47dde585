//! The two-pane Synchronize screen: SMSTurbo left, QuickBooks right, each a checklist; a detail
//! area shows the selected record, its differing fields and its problems.

use std::collections::{HashMap, HashSet};

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::customer_form::CustomerForm;
use super::dialogs;
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent, Tone};
use crate::tui::keymap::{Context, KeyMap};
use crate::tui::theme::{Theme, glyph};
use crate::tui::view::{
    CheckedRows, RowAction, RowId, RowKey, RowKind, SyncPane, SyncRow, SyncView, plural,
};
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, ListOutcome};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::hanging::Hanging;
use crate::tui::widgets::split_top;
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
                // A likely duplicate is never checked by "all": it waits for its way out.
                blocked: r
                    .problems
                    .first()
                    .map(|first| {
                        if r.problems.len() > 1 {
                            format!("{first} (+{} more)", r.problems.len() - 1)
                        } else {
                            first.clone()
                        }
                    })
                    .or_else(|| r.likely.first().map(|l| format!("{} {l}", glyph::LIKELY))),
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

    fn position(&self, key: &RowKey) -> Option<usize> {
        self.rows.iter().position(|r| &r.key == key)
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
    /// A comparison these panes asked for is on its way: they are about to be replaced, so
    /// nothing is run from them until it comes.
    comparing: bool,
    detail: Detail,
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
            comparing: false,
            detail: Detail::new(),
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

    /// Takes a new comparison of the same connection in place: the rows that are still there
    /// keep their checks, each pane its filter and the cursor on the same customer.
    pub fn refresh(&mut self, view: SyncView) {
        let checked: HashSet<RowKey> = self
            .panes
            .iter()
            .flat_map(|p| p.list.checked_rows().map(|i| p.rows[i].key.clone()))
            .collect();
        let cursors: Vec<Option<RowKey>> = self
            .panes
            .iter()
            .map(|p| p.selected().map(|r| r.key.clone()))
            .collect();
        let filters: Vec<String> = self
            .panes
            .iter()
            .map(|p| p.list.filter().to_string())
            .collect();
        let focus = self.focus;
        *self = SyncScreen::new(view);
        self.focus = focus;
        for (side, pane) in self.panes.iter_mut().enumerate() {
            pane.list.set_filter(&filters[side]);
            for i in 0..pane.rows.len() {
                if checked.contains(&pane.rows[i].key) {
                    pane.list.set_checked(i, true);
                }
            }
            if let Some(i) = cursors[side].as_ref().and_then(|k| pane.position(k)) {
                pane.list.select_row(i);
            }
        }
    }

    /// The rows that cannot be checked, each once, with the first reason: the report names
    /// them, since they stay as they are.
    fn not_checked(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for p in &self.panes {
            for (i, r) in p.rows.iter().enumerate() {
                if let Some(why) = p.list.blocked_reason(i)
                    && seen.insert(r.id)
                {
                    out.push(format!("{}: {why}", r.name));
                }
            }
        }
        out
    }

    fn checked_count(&self) -> usize {
        self.selection().rows.len()
    }

    /// Does what the row offers for the key's `action`, or says why not.
    fn row_action(&mut self, action: Action, cx: &mut Cx) {
        let Some(row) = self.pane().selected() else {
            return;
        };
        match row.actions.iter().find(|a| a.action() == action) {
            Some(RowAction::Edit { code }) => cx.send(Command::LoadCustomer { code: code.clone() }),
            Some(RowAction::UseQbSpellings { code, spellings }) => {
                cx.send(Command::SetQbSpellings {
                    code: code.clone(),
                    spellings: spellings.clone(),
                });
            }
            None => cx.status(
                Tone::Warning,
                match action {
                    Action::Edit => {
                        "This customer is only in QuickBooks: import it first, then edit it in \
                         SMSTurbo."
                    }
                    _ => "Nothing to suggest for this row: e opens the customer to change it.",
                },
            ),
        }
    }

    /// Asks for a new comparison for these panes (`read_all`: reading every QuickBooks
    /// customer); they take it in place when it comes.
    fn compare_again(&mut self, read_all: bool, cx: &mut Cx) {
        self.comparing = true;
        cx.intent(Intent::Replan { read_all });
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

    /// The header's text: company, mode and what the panes leave out.
    fn head(&self) -> String {
        let mode = if self.missing_only {
            "missing customers only"
        } else {
            "every customer not in sync"
        };
        let mut head = format!("{} — {mode}", self.company);
        if !self.summary.is_empty() {
            head.push_str(&format!(" · {}", self.summary));
        }
        head
    }

    /// The header wrapped under its own first letter, and how QuickBooks was read under it.
    fn head_text(&self, theme: &Theme) -> Hanging<'static> {
        let head = Hanging::new().item(" ", self.head(), theme.title);
        if self.read.is_empty() {
            return head;
        }
        head.item(" ", format!("QuickBooks: {}", self.read), theme.hint)
    }

    /// Header (wrapped, never cut), panes and detail for a screen size: the detail goes right on
    /// wide screens, below otherwise, and has the whole body when zoomed.
    fn layout(&self, area: Rect) -> (Rect, [Rect; 2], Rect) {
        let head_h = self
            .head_text(&Theme::plain())
            .height(area.width)
            .clamp(1, 4);
        let (header, body) = split_top(area, head_h);
        if self.detail.zoomed() {
            let none = Rect::new(body.x, body.y, 0, 0);
            return (header, [none, none], body);
        }
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

    /// The selected row's detail: what checking it does, its problems (in full: they say what
    /// to do), the fields that differ and the record, every value whole (long values wrap).
    fn detail_text<'s>(&'s self, theme: &Theme) -> Hanging<'s> {
        let Some(row) = self.pane().selected() else {
            return Hanging::new().item("", "Nothing to show: both sides agree here.", theme.hint);
        };
        let what = match (self.focus, row.kind) {
            (_, RowKind::NotInSync) => "not in sync; checking applies the Replace Options",
            (Side::SmsTurbo, RowKind::Export) => "not in QuickBooks; checking adds it there",
            (Side::QuickBooks, RowKind::Import) => "not in SMSTurbo; checking imports it",
            (_, RowKind::NeedsReview) => "several possible matches; never linked automatically",
            (_, RowKind::Stale) => "QuickBooks changed its link; Enter shows the ways out",
            (_, RowKind::KeptLocal) => "kept in SMSTurbo only; Enter shows the ways out",
            (Side::SmsTurbo, RowKind::Likely) => {
                "not in QuickBooks, but looks like a customer there; Enter shows the ways out"
            }
            (Side::QuickBooks, RowKind::Likely) => {
                "not in SMSTurbo, but looks like a customer there; Enter shows the ways out"
            }
            (_, k) => k.label(),
        };
        let mut text =
            Hanging::new().item("", format!("{} — {what}", row.name), theme.label_focused);
        text = row.problems.iter().fold(text, |h, p| {
            h.item(format!("{} ", glyph::ERROR), p.as_str(), theme.error)
        });
        text = row.likely.iter().fold(text, |h, l| {
            h.item(format!("{} ", glyph::LIKELY), l.as_str(), theme.warning)
        });
        let label_w = row
            .detail
            .diffs
            .iter()
            .map(|d| d.label.width())
            .chain(row.detail.record.iter().map(|(l, _)| l.width()))
            .max()
            .unwrap_or(8);
        let label = |l: &str| format!("{l:<label_w$} ");
        if !row.detail.diffs.is_empty() {
            text = text.item(
                label("Field"),
                "SMSTurbo → QuickBooks · replaced or kept",
                theme.header,
            );
            for d in &row.detail.diffs {
                let (mark, style) = if d.applies {
                    ("replaced", theme.checked)
                } else {
                    ("kept", theme.base)
                };
                text = text.item(
                    label(d.label),
                    format!("{} → {} · {mark}", show(&d.smsturbo), show(&d.quickbooks)),
                    style,
                );
            }
        }
        // What the row offers, with its keys from the key map: fixes right under the problems
        // they fix, editing after the record.
        let keymap = KeyMap::default();
        let offer =
            |h: Hanging<'s>, a: &RowAction| match keymap.keys_for(Context::SyncPanes, a.action()) {
                Some(keys) => h.item(label(&keys), a.describe(), theme.key),
                None => h,
            };
        let (edits, fixes): (Vec<&RowAction>, Vec<&RowAction>) = row
            .actions
            .iter()
            .partition(|a| matches!(a, RowAction::Edit { .. }));
        text = fixes.into_iter().fold(text, offer);
        text = row
            .detail
            .record
            .iter()
            .fold(text, |h, (l, v)| h.item(label(l), v.as_str(), theme.base));
        edits.into_iter().fold(text, offer)
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
        if self.detail.zoomed() {
            return vec![Context::Detail];
        }
        let mut contexts = self.pane().list.contexts_within(&[Context::SyncPanes]);
        // The row's ways out come first, so Enter reaches them and the footer shows them.
        if let Some(row) = self.pane().selected()
            && !row.ways_out.is_empty()
            && !self.pane().list.is_filtering()
        {
            let context = if row.kind == RowKind::Likely {
                Context::LikelyRow
            } else {
                Context::StaleRow
            };
            contexts.insert(0, context);
        }
        contexts
    }

    fn captures_text(&self) -> bool {
        self.pane().list.captures_text()
    }

    fn on_intent(&mut self, intent: Intent, cx: &mut Cx) -> Option<Intent> {
        match intent {
            // A customer edited from here: the panes compare again, on the same row.
            Intent::CustomerSaved => {
                self.compare_again(false, cx);
                None
            }
            Intent::Resolve { row, how } => {
                cx.status(Tone::Info, "Changing the link…");
                cx.send(Command::Resolve { row, how });
                None
            }
            Intent::AddAgain { row, risk } => {
                if let Some((side, i)) = self.find(row) {
                    cx.modal(dialogs::add_again(&self.panes[side].rows[i], &risk));
                }
                None
            }
            Intent::AddAgainConfirmed(row) => {
                if let Some((side, i)) = self.find(row) {
                    let (_, what) = dialogs::adding(&self.panes[side].rows[i]);
                    let list = &mut self.panes[side].list;
                    list.unblock(i);
                    list.set_checked(i, true);
                    cx.status(Tone::Warning, format!("Checked: {what}."));
                }
                None
            }
            other => Some(other),
        }
    }

    fn unsaved(&self) -> Option<String> {
        match self.checked_count() {
            0 => None,
            n => Some(format!(
                "{} on the Synchronize screen, not synchronized yet.",
                plural(n, "checked row", "checked rows")
            )),
        }
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
        if self.detail.zoomed() {
            return msg.action().is_some_and(|a| self.detail.handle(a));
        }
        if !self.pane().list.is_filtering() {
            match msg.action() {
                Some(Action::Zoom) => {
                    self.detail.toggle_zoom();
                    return true;
                }
                Some(Action::SwitchPane) => {
                    self.detail.reset();
                    self.focus = match self.focus {
                        Side::SmsTurbo => Side::QuickBooks,
                        Side::QuickBooks => Side::SmsTurbo,
                    };
                    return true;
                }
                Some(Action::Synchronize | Action::Refresh | Action::ReadAll) if self.comparing => {
                    cx.status(
                        Tone::Info,
                        "Comparing again; the panes are refreshed when it is done.",
                    );
                    return true;
                }
                Some(Action::Synchronize) => {
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
                    match self.checked_count() {
                        0 => cx.intent(Intent::CancelSync),
                        n => cx.modal(dialogs::leave_sync(n)),
                    }
                    return true;
                }
                Some(a @ (Action::Refresh | Action::ReadAll)) => {
                    self.compare_again(a == Action::ReadAll, cx);
                    return true;
                }
                Some(a @ (Action::Edit | Action::UseQbSpelling)) => {
                    self.row_action(a, cx);
                    return true;
                }
                Some(Action::RowActions) => {
                    if let Some(row) = self.pane().selected().filter(|r| !r.ways_out.is_empty()) {
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
                cx.modal(dialogs::run_confirmation(&p, selection, self.not_checked()));
                None
            }
            Event::CustomerLoaded(c) => {
                cx.push(CustomerForm::edit(*c));
                None
            }
            Event::SpellingsSet(c) => {
                cx.status(
                    Tone::Success,
                    format!(
                        "{} ({}) goes to QuickBooks with the suggested spelling; SMSTurbo keeps \
                         its own.",
                        c.name(),
                        c.code()
                    ),
                );
                self.compare_again(false, cx);
                None
            }
            // A second comparison asked for from here.
            // The panes keep neither the notices nor where customers stand: they are taken,
            // not copied (one entry per customer compared).
            Event::PlanReady(mut view) => {
                let notices = std::mem::take(&mut view.notices);
                let states = std::mem::take(&mut view.qb_states);
                self.refresh(*view);
                if !notices.is_empty() {
                    cx.modal(dialogs::notices(&notices));
                }
                cx.intent(Intent::PanesRefreshed(states));
                None
            }
            // A row's way out was taken and both sides compared again: the checks and the
            // cursor stay on their customers (a row added again asks again).
            Event::Resolved { message, mut view } => {
                let states = std::mem::take(&mut view.qb_states);
                self.refresh(*view);
                cx.status(Tone::Success, message);
                cx.intent(Intent::PanesRefreshed(states));
                None
            }
            other => Some(other),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let (header, panes, detail) = self.layout(area);
        self.head_text(theme).render(header, buf);
        if !self.detail.zoomed() {
            for (side, rect) in [Side::SmsTurbo, Side::QuickBooks].into_iter().zip(panes) {
                self.panes[Self::idx(side)]
                    .list
                    .render(rect, buf, theme, side == self.focus);
            }
        }
        self.detail
            .render(&self.detail_text(theme), "Detail", detail, buf, theme);
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
        if outcome != ListOutcome::Ignored {
            self.detail.reset();
        }
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
            ListOutcome::Matched {
                pattern,
                check,
                count,
            } => {
                self.mirror_all(Self::idx(self.focus));
                cx.status(
                    Tone::Info,
                    format!(
                        "{} {} matching \"{pattern}\" (rows that cannot be checked are left out).",
                        if check { "Checked" } else { "Unchecked" },
                        plural(count, "row", "rows"),
                    ),
                );
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
