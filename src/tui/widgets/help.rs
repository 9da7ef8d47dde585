//! The `?` overlay: every binding that works where the operator is, from the key map.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row, Table, Widget};
use unicode_width::UnicodeWidthStr;

use super::{clear_modal, modal_area, panel, right_border, scroll_thumb};
use crate::tui::action::{Action, Msg};
use crate::tui::keymap::HelpSection;
use crate::tui::theme::Theme;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpOverlay {
    /// What the operator was looking at, for the title.
    pub place: String,
    lines: Vec<HelpLine>,
    /// The width of the keys column, from the longest keys.
    key_w: u16,
    scroll: usize,
    /// Lines that fitted last time: the scroll stops where the last line shows.
    height: std::cell::Cell<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum HelpLine {
    Title(&'static str),
    Binding(String, &'static str),
    Blank,
}

impl HelpOverlay {
    pub fn new(place: impl Into<String>, sections: Vec<HelpSection>) -> HelpOverlay {
        let mut lines = Vec::new();
        for s in sections {
            if !lines.is_empty() {
                lines.push(HelpLine::Blank);
            }
            lines.push(HelpLine::Title(s.title));
            lines.extend(s.lines.into_iter().map(|(k, d)| HelpLine::Binding(k, d)));
        }
        let key_w = lines
            .iter()
            .filter_map(|l| match l {
                HelpLine::Binding(k, _) => Some(k.width()),
                _ => None,
            })
            .max()
            .unwrap_or(4) as u16
            + 2;
        HelpOverlay {
            place: place.into(),
            lines,
            key_w,
            scroll: 0,
            height: std::cell::Cell::new(0),
        }
    }

    /// Returns false when the overlay should close.
    pub fn handle(&mut self, msg: &Msg) -> bool {
        let max = self.lines.len().saturating_sub(self.height.get().max(1));
        match msg.action() {
            Some(Action::Back | Action::Help) => return false,
            Some(Action::Top) => self.scroll = 0,
            Some(Action::Bottom) => self.scroll = max,
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Down) => self.scroll = (self.scroll + 1).min(max),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            Some(Action::PageDown) => self.scroll = (self.scroll + 10).min(max),
            _ => {}
        }
        if let Msg::Wheel { down, .. } = msg {
            self.scroll = if *down {
                (self.scroll + 3).min(max)
            } else {
                self.scroll.saturating_sub(3)
            };
        }
        true
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let outer = modal_area(area, 76, area.height);
        clear_modal(outer, area, buf);
        let block = panel()
            .border_style(theme.border_focused)
            .title(format!(" Help — {} ", self.place))
            .title_style(theme.title)
            .title_bottom(" Esc close  ↑↓ PgUp PgDn End scroll ");
        let inner = block.inner(outer);
        block.render(outer, buf);
        let height = usize::from(inner.height);
        self.height.set(height);
        let scroll = self.scroll.min(self.lines.len().saturating_sub(height));
        let rows = self
            .lines
            .iter()
            .skip(scroll)
            .take(height)
            .map(|l| match l {
                HelpLine::Title(t) => Row::new([Cell::from(*t).style(theme.header).column_span(3)]),
                HelpLine::Binding(k, d) => Row::new([
                    Cell::from(""),
                    Cell::from(k.as_str()).style(theme.key),
                    Cell::from(*d).style(theme.base),
                ]),
                HelpLine::Blank => Row::new([""]),
            });
        Table::new(
            rows,
            [
                Constraint::Length(1),
                Constraint::Length(self.key_w),
                Constraint::Fill(1),
            ],
        )
        .column_spacing(0)
        .render(inner, buf);
        scroll_thumb(
            right_border(outer, inner),
            (self.lines.len(), scroll, height),
            theme.border_focused,
            buf,
        );
    }
}
