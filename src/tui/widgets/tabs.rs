//! A row of tabs (ratatui's `Tabs`); the active one is bracketed and REVERSED, so it shows
//! without colour.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Tabs as TabBar, Widget};
use unicode_width::UnicodeWidthStr;

use crate::tui::theme::Theme;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tabs {
    titles: Vec<String>,
    selected: usize,
}

impl Tabs {
    pub fn new(titles: Vec<String>) -> Tabs {
        Tabs {
            titles,
            selected: 0,
        }
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn select(&mut self, i: usize) {
        if i < self.titles.len() {
            self.selected = i;
        }
    }

    pub fn next(&mut self) {
        self.selected = (self.selected + 1) % self.titles.len().max(1);
    }

    pub fn prev(&mut self) {
        let n = self.titles.len().max(1);
        self.selected = (self.selected + n - 1) % n;
    }

    /// Where each tab is drawn: its title and a cell each side, one cell apart (as ratatui's
    /// tab bar lays them out with the padding and divider [`Tabs::render`] gives it).
    fn spans(&self, area: Rect) -> Vec<Rect> {
        let mut x = area.x;
        self.titles
            .iter()
            .map(|t| {
                let w = t.width() as u16 + 2;
                let r = Rect::new(x, area.y, w, 1).intersection(area);
                x += w + 1;
                r
            })
            .collect()
    }

    /// The tab at a clicked cell.
    pub fn tab_at(&self, area: Rect, x: u16, y: u16) -> Option<usize> {
        self.spans(area)
            .iter()
            .position(|r| r.contains((x, y).into()))
    }

    /// Draws the tab row; `focused` marks the row itself as having focus.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, focused: bool) {
        let titles = self.titles.iter().enumerate().map(|(i, t)| {
            if i == self.selected {
                Line::from(format!("[{t}]"))
            } else {
                Line::from(format!(" {t} "))
            }
        });
        let mut active = theme.tab_active;
        if focused {
            active = active.patch(theme.button_focused);
        }
        TabBar::new(titles)
            .select(self.selected)
            .style(theme.tab)
            .highlight_style(active)
            .padding("", "")
            .divider(" ")
            .render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_and_finds_clicked_tab() {
        let mut t = Tabs::new(vec!["Setup".into(), "Replace Options".into()]);
        t.next();
        assert_eq!(t.selected(), 1);
        t.next();
        assert_eq!(t.selected(), 0);
        t.prev();
        assert_eq!(t.selected(), 1);
        let area = Rect::new(2, 1, 60, 1);
        assert_eq!(t.tab_at(area, 3, 1), Some(0));
        assert_eq!(t.tab_at(area, 12, 1), Some(1));
        assert_eq!(t.tab_at(area, 12, 2), None);
        let mut buf = Buffer::empty(area);
        t.render(area, &mut buf, &Theme::plain(), false);
        let row: String = (2..62).map(|x| buf[(x, 1)].symbol().to_string()).collect();
        assert!(row.starts_with(" Setup  [Replace Options]"), "{row}");
    }
}
