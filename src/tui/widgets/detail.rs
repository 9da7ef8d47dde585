//! A detail area: text about the selected row that scrolls line by line and can be zoomed to
//! the whole screen, so nothing in it is ever out of reach however small the terminal.
//!
//! The owner builds the text (a [`Hanging`]) from its model; this keeps where the view is. The
//! text is laid out whole in a scratch buffer and the visible lines are copied, so a paragraph
//! taller than the area (a long note) scrolls like any other line.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::hanging::Hanging;
use super::{panel, right_border, scroll_thumb};
use crate::tui::action::Action;
use crate::tui::theme::Theme;
use crate::tui::view::plural;

#[derive(Debug, Default)]
pub struct Detail {
    /// The first line shown.
    scroll: Cell<usize>,
    /// The detail has the whole screen (its owner draws nothing else).
    zoomed: bool,
    /// Lines that fitted last time, and how many there were: the scroll stops at the end.
    page: Cell<usize>,
    total: Cell<usize>,
}

impl Detail {
    pub fn new() -> Detail {
        Detail::default()
    }

    pub fn zoomed(&self) -> bool {
        self.zoomed
    }

    /// Another row was selected: its detail starts at the top.
    pub fn reset(&self) {
        self.scroll.set(0);
    }

    /// Zooms in or out.
    pub fn toggle_zoom(&mut self) {
        self.zoomed = !self.zoomed;
    }

    /// The keys of a zoomed detail (and the wheel over it): returns whether it used them.
    pub fn handle(&mut self, action: Action) -> bool {
        let page = self.page.get().max(1);
        let last = self.total.get().saturating_sub(page);
        let at = self.scroll.get();
        let to = match action {
            Action::Up => at.saturating_sub(1),
            Action::Down => at + 1,
            Action::PageUp => at.saturating_sub(page),
            Action::PageDown => at + page,
            Action::Top => 0,
            Action::Bottom => last,
            Action::Back | Action::Zoom if self.zoomed => {
                self.zoomed = false;
                return true;
            }
            _ => return false,
        };
        self.scroll.set(to.min(last));
        true
    }

    /// Draws `text` in a box titled `title` over `area`, from the line scrolled to, with a
    /// thumb on the border and, when there is more, what shows it.
    pub fn render(
        &self,
        text: &Hanging<'_>,
        title: &str,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let mut block = panel()
            .border_style(if self.zoomed {
                theme.border_focused
            } else {
                theme.border
            })
            .title(format!(" {title} "));
        let inner = block.inner(area);
        let total = usize::from(text.height(inner.width));
        let page = usize::from(inner.height);
        self.page.set(page);
        self.total.set(total);
        let top = self.scroll.get().min(total.saturating_sub(page));
        self.scroll.set(top);
        let hint = match (self.zoomed, total > page) {
            (true, true) => Some(format!(
                " ↑↓ PgUp PgDn scroll · {}/{total} · z back ",
                top + 1
            )),
            (true, false) => Some(" z back ".to_string()),
            (false, true) => Some(format!(
                " z zoom · {} ",
                plural(total - page - top, "more line", "more lines")
            )),
            (false, false) => None,
        };
        if let Some(h) = hint {
            block = block.title_bottom(Line::styled(h, theme.hint).right_aligned());
        }
        block.render(area, buf);
        if total <= page {
            text.render(inner, buf);
            return;
        }
        // The whole text laid out once, then the lines on screen copied.
        let height = u16::try_from(total).unwrap_or(u16::MAX);
        let mut scratch = Buffer::empty(Rect::new(0, 0, inner.width, height));
        text.render(scratch.area, &mut scratch);
        for row in 0..inner.height {
            let Ok(from) = u16::try_from(top + usize::from(row)) else {
                break;
            };
            if from >= height {
                break;
            }
            for col in 0..inner.width {
                buf[(inner.x + col, inner.y + row)] = scratch[(col, from)].clone();
            }
        }
        scroll_thumb(
            right_border(area, inner),
            (total, top, page),
            theme.border,
            buf,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    fn lines(d: &Detail, text: &Hanging<'_>, w: u16, h: u16) -> Vec<String> {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        d.render(text, "Detail", buf.area, &mut buf, &Theme::plain());
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
            .collect()
    }

    #[test]
    fn every_line_can_be_scrolled_to_and_the_end_stops_the_scroll() {
        let items: Vec<String> = (1..=12).map(|i| format!("line {i}")).collect();
        let text = Hanging::bullets(&items, Style::new());
        let mut d = Detail::new();
        let s = lines(&d, &text, 30, 6);
        assert!(s[1].contains("line 1") && s[4].contains("line 4"), "{s:#?}");
        assert!(s[5].contains("8 more lines"), "{}", s[5]);
        d.toggle_zoom();
        d.handle(Action::Bottom);
        let s = lines(&d, &text, 30, 6);
        assert!(s[4].contains("line 12"), "{s:#?}");
        d.handle(Action::Down);
        let s = lines(&d, &text, 30, 6);
        assert!(s[4].contains("line 12"), "{s:#?}");
        d.handle(Action::PageUp);
        assert!(lines(&d, &text, 30, 6)[1].contains("line 5"));
        assert!(d.handle(Action::Back));
        assert!(!d.zoomed());
    }
}
