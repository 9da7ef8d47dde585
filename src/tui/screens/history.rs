//! History: past runs from the journal with each run's customers, and deleted customers; undo
//! of a run's local changes or of a delete.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::dialogs;
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent, Tone};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::view::{Column, HistoryEntry, HistoryId, RunId};
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, ListOutcome};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::hanging::Hanging;
use crate::tui::widgets::{cut, panel};
use crate::tui::worker::{Command, Event};

pub struct HistoryScreen {
    entries: Vec<HistoryEntry>,
    list: Checklist,
    loaded: bool,
    detail: Detail,
    /// What each run did, customer by customer, once read (asked for when a run is selected).
    customers: HashMap<RunId, Vec<String>>,
    /// The run whose customers were asked for last.
    asked: Option<RunId>,
}

impl Default for HistoryScreen {
    fn default() -> Self {
        HistoryScreen::new()
    }
}

impl HistoryScreen {
    pub fn new() -> HistoryScreen {
        HistoryScreen {
            entries: Vec::new(),
            list: Checklist::new(
                "Runs and deletions",
                vec![
                    Column::fixed("When", 17),
                    Column::fill("Company", 12, 1),
                    Column::fill("What happened", 24, 3),
                    Column::fixed("Undo", 6),
                ],
                Vec::new(),
                false,
            ),
            loaded: false,
            detail: Detail::new(),
            customers: HashMap::new(),
            asked: None,
        }
    }

    /// Asks for the selected run's customers unless they are known or asked for.
    fn want_customers(&mut self, cx: &mut Cx) {
        if let Some(HistoryId::Run(run)) = self.selected().map(|e| e.id)
            && !self.customers.contains_key(&run)
            && self.asked != Some(run)
        {
            self.asked = Some(run);
            cx.send(Command::LoadRunEntries(run));
        }
    }

    fn set_entries(&mut self, entries: Vec<HistoryEntry>) {
        self.list.set_rows(
            entries
                .iter()
                .map(|e| {
                    ChecklistRow::new(vec![
                        e.when.clone(),
                        e.company.clone(),
                        e.summary.clone(),
                        if e.undoable {
                            "yes".into()
                        } else {
                            "—".into()
                        },
                    ])
                })
                .collect(),
        );
        self.entries = entries;
        self.loaded = true;
    }

    fn selected(&self) -> Option<&HistoryEntry> {
        self.list.cursor_row().and_then(|i| self.entries.get(i))
    }

    /// What the selected run did, one bullet a line, then its customers.
    fn details(&self, style: Style) -> Hanging<'_> {
        let Some(e) = self.selected() else {
            return Hanging::new();
        };
        let text = Hanging::bullets(&e.details, style);
        let HistoryId::Run(run) = e.id else {
            return text;
        };
        match self.customers.get(&run) {
            Some(lines) if lines.is_empty() => text,
            Some(lines) => lines
                .iter()
                .fold(text.item("", "Customer by customer:", style), |h, l| {
                    h.item("  ", l.as_str(), style)
                }),
            None => text.item("", "Reading what it did customer by customer…", style),
        }
    }

    /// The list above, the detail below: as tall as the detail needs, between a third and
    /// half of the screen.
    fn areas(&self, area: Rect) -> (Rect, Rect) {
        if self.detail.zoomed() {
            return (Rect::new(area.x, area.y, 0, 0), area);
        }
        let wanted = self
            .details(Style::new())
            .height(panel().inner(area).width)
            .saturating_add(2);
        let detail_h = wanted
            .clamp((area.height / 3).max(5), (area.height / 2).max(5))
            .min(area.height);
        let [list, detail] = area.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(detail_h),
        ]));
        (list, detail)
    }
}

impl Component for HistoryScreen {
    fn title(&self) -> String {
        "History".into()
    }

    fn contexts(&self) -> Vec<Context> {
        if self.detail.zoomed() {
            return vec![Context::Detail];
        }
        self.list.contexts_within(&[Context::History])
    }

    fn captures_text(&self) -> bool {
        self.list.captures_text()
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        if let Msg::Click { column, row } = msg {
            return self.list.click(self.areas(cx.area).0, *column, *row) != ListOutcome::Ignored;
        }
        if self.detail.zoomed() {
            return msg.action().is_some_and(|a| self.detail.handle(a));
        }
        if !self.list.is_filtering() {
            match msg.action() {
                Some(Action::Zoom) => {
                    self.detail.toggle_zoom();
                    return true;
                }
                Some(Action::Undo) => {
                    match self.selected() {
                        Some(e) if e.undoable => cx.modal(dialogs::undo_confirmation(e)),
                        Some(e) if matches!(e.id, HistoryId::Deletion(_)) => cx.status(
                            Tone::Warning,
                            "This customer was restored already: it is in the customer list.",
                        ),
                        Some(_) => cx.status(
                            Tone::Warning,
                            "This run has no local changes left to undo; choose a run marked \
                                 yes under Undo.",
                        ),
                        None => {}
                    }
                    return true;
                }
                Some(Action::Refresh) => {
                    cx.send(Command::LoadHistory);
                    return true;
                }
                Some(Action::Back) if self.list.filter().is_empty() => {
                    cx.pop();
                    return true;
                }
                _ => {}
            }
        }
        let changed = self.list.handle(msg) != ListOutcome::Ignored;
        if changed {
            self.detail.reset();
            self.want_customers(cx);
        }
        changed
    }

    fn on_event(&mut self, ev: Event, cx: &mut Cx) -> Option<Event> {
        match ev {
            Event::HistoryLoaded(entries) => {
                self.set_entries(entries);
                self.customers.clear();
                self.asked = None;
                self.want_customers(cx);
            }
            Event::RunEntries { run, lines } => {
                self.customers.insert(run, lines);
            }
            Event::Undone { message, .. } => {
                cx.status(Tone::Success, message);
                cx.send(Command::LoadHistory);
                cx.send(Command::LoadCustomers);
            }
            other => return Some(other),
        }
        None
    }

    fn on_intent(&mut self, intent: Intent, cx: &mut Cx) -> Option<Intent> {
        match intent {
            Intent::Undo(id) => {
                cx.send(Command::Undo(id));
                None
            }
            other => Some(other),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let (list, detail) = self.areas(area);
        if !self.detail.zoomed() {
            self.list.render(list, buf, theme, true);
        }
        if !self.loaded {
            let [_, loading] = list.inner(Margin::new(2, 0)).layout(&Layout::vertical([
                Constraint::Length(2),
                Constraint::Length(1),
            ]));
            cut("Loading the journal…", loading.width, theme.hint).render(loading, buf);
        }
        self.detail.render(
            &self.details(theme.base),
            "What the run did",
            detail,
            buf,
            theme,
        );
    }
}
