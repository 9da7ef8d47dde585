//! Picking a Customer Type, Job Type or Terms from QuickBooks' own lists (as last read while
//! connected) instead of typing it; typing in the field stays possible, and is all there is
//! until custsync has connected to the company once.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::store::list_names::QbListNames;
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::view::{Column, PickFor};
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, ListOutcome};
use crate::tui::widgets::type_ahead::{TypeAhead, starts_with};
use crate::tui::widgets::{clear_modal, modal_area};
use crate::tui::worker::{Command, Event, Task};

pub struct ListPickerModal {
    what: PickFor,
    /// The field's value(s) when the picker opened: chosen (or checked) at the start.
    current: Vec<String>,
    /// The names, once read.
    names: Option<Vec<String>>,
    /// Why the names could not be read (what happened, what to do), when they could not.
    unreadable: Option<String>,
    list: Checklist,
    /// What has been typed to jump to a name, since the last other key.
    typed: TypeAhead,
}

impl ListPickerModal {
    /// Opens for `what` with the field's `current` value(s), and asks for the lists.
    pub fn open(what: PickFor, current: Vec<String>, cx: &mut Cx) -> ListPickerModal {
        cx.send(Command::LoadQbLists);
        ListPickerModal {
            what,
            current,
            names: None,
            unreadable: None,
            list: Checklist::new(
                what.title(),
                vec![Column::fill("Name", 10, 1)],
                Vec::new(),
                what.multi(),
            ),
            typed: TypeAhead::default(),
        }
    }

    fn listed(&mut self, lists: &QbListNames) {
        let names = self.what.names(lists).to_vec();
        self.list.set_rows(
            names
                .iter()
                .map(|n| ChecklistRow::new(vec![n.clone()]))
                .collect(),
        );
        let is_current = |n: &str| self.current.iter().any(|c| c.eq_ignore_ascii_case(n));
        if self.what.multi() {
            for (i, n) in names.iter().enumerate() {
                if is_current(n) {
                    self.list.set_checked(i, true);
                }
            }
        }
        if let Some(first) = names.iter().position(|n| is_current(n)) {
            self.list.select_row(first);
        }
        self.names = Some(names);
    }

    /// The chosen names: the checked ones, or the one under the cursor.
    fn chosen(&self) -> Vec<String> {
        let Some(names) = &self.names else {
            return Vec::new();
        };
        if self.what.multi() {
            self.list.checked_rows().map(|i| names[i].clone()).collect()
        } else {
            self.list
                .cursor_row()
                .map(|i| vec![names[i].clone()])
                .unwrap_or_default()
        }
    }

    /// Typing jumps to the first name starting with what was typed (case and accents
    /// ignored); a letter that fits nothing starts over from itself.
    fn jump(&mut self, c: char) -> bool {
        let Some(names) = &self.names else {
            return false;
        };
        let at = self
            .typed
            .jump(c, |t| names.iter().position(|n| starts_with(n, t)));
        match at {
            Some(i) => {
                self.list.set_filter("");
                self.list.select_row(i);
                true
            }
            None => false,
        }
    }

    fn is_empty(&self) -> bool {
        self.names.as_ref().is_none_or(Vec::is_empty)
    }
}

impl Component for ListPickerModal {
    fn title(&self) -> String {
        self.what.title().into()
    }

    fn contexts(&self) -> Vec<Context> {
        if self.list.is_filtering() {
            return self.list.contexts();
        }
        let mut c = vec![Context::ListPicker];
        if self.what.multi() && !self.is_empty() {
            c.push(Context::Checklist);
        }
        c
    }

    fn captures_text(&self) -> bool {
        self.list.captures_text()
    }

    fn types_ahead(&self) -> bool {
        !self.list.is_filtering() && !self.is_empty()
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        if !self.list.is_filtering() {
            if let Msg::Text(k) = msg {
                return match k.code {
                    KeyCode::Char(c) => self.jump(c),
                    _ => false,
                };
            }
            self.typed.clear();
            match msg.action() {
                Some(Action::Back) if self.list.filter().is_empty() => {
                    cx.close_modal();
                    return true;
                }
                Some(Action::Submit) => {
                    cx.close_modal();
                    if !self.is_empty() {
                        cx.intent(Intent::Picked {
                            what: self.what,
                            values: self.chosen(),
                        });
                    }
                    return true;
                }
                _ => {}
            }
        }
        self.list.handle(msg) != ListOutcome::Ignored
    }

    fn on_event(&mut self, ev: Event, _cx: &mut Cx) -> Option<Event> {
        match ev {
            Event::QbLists(lists) => self.listed(&lists),
            Event::Failed {
                during: Task::QbLists,
                explanation,
            } => {
                self.names = Some(Vec::new());
                self.unreadable = Some(format!(
                    "{} {}",
                    explanation.what_happened, explanation.next_step
                ));
            }
            other => return Some(other),
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let rows = self.names.as_ref().map_or(0, Vec::len) as u16;
        let outer = modal_area(area, 60, rows.saturating_add(5).clamp(8, area.height));
        clear_modal(outer, area, buf);
        if !self.is_empty() {
            self.list.render(outer, buf, theme, true);
            return;
        }
        let block = Block::bordered()
            .border_style(theme.border_focused)
            .title(format!(" {} ", self.what.title()))
            .title_style(theme.title);
        let inner = block.inner(outer);
        block.render(outer, buf);
        let text = if self.names.is_none() {
            "Reading what custsync knows of QuickBooks' list…".to_string()
        } else if let Some(why) = &self.unreadable {
            format!(
                "custsync could not read the {} it knows: {why} Until then, type the name in \
                 the field.",
                self.what.list_words()
            )
        } else {
            format!(
                "custsync does not know this company's {} yet: it reads QuickBooks' lists each \
                 time it connects (Synchronize). Until then, type the name in the field.",
                self.what.list_words()
            )
        };
        let [text_area] = inner.layout(&Layout::vertical([Constraint::Fill(1)]));
        Paragraph::new(text)
            .style(theme.hint)
            .wrap(Wrap { trim: false })
            .render(text_area, buf);
    }
}
