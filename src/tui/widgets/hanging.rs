//! Paragraphs that hang under a marker, one under another:
//!
//! ```text
//! • 10 matched customers linked to their QuickBooks customer (no values
//!   change)
//! ✗ QuickBooks already has a vendor named 'ACME Supply' — give this
//!   customer a different QuickBooks name
//! ```
//!
//! Each paragraph is a ratatui [`Paragraph`] wrapped beside its marker; the list scrolls by
//! paragraph, so a scrolled list never starts in the middle of one.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Span, Text};
use ratatui::widgets::{Paragraph, Widget, Wrap};

#[derive(Clone, Debug, Default)]
pub struct Hanging<'a> {
    items: Vec<(Span<'a>, Paragraph<'a>)>,
    /// The first paragraph to show.
    first: usize,
}

impl<'a> Hanging<'a> {
    pub fn new() -> Hanging<'a> {
        Hanging::default()
    }

    /// `lines` as a bulleted list.
    pub fn bullets(lines: &'a [String], style: Style) -> Hanging<'a> {
        lines
            .iter()
            .fold(Hanging::new(), |h, l| h.item("• ", l.as_str(), style))
    }

    /// Adds a paragraph: `text` wrapped beside `marker`, both in `style`.
    pub fn item(
        mut self,
        marker: impl Into<Span<'a>>,
        text: impl Into<Text<'a>>,
        style: Style,
    ) -> Hanging<'a> {
        let marker = marker.into().patch_style(style);
        let text = Paragraph::new(text).style(style).wrap(Wrap { trim: false });
        self.items.push((marker, text));
        self
    }

    /// Starts at paragraph `first` (as far as the room allows: see [`Hanging::window`]).
    pub fn scrolled(mut self, first: usize) -> Hanging<'a> {
        self.first = first;
        self
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn heights(&self, width: u16) -> impl Iterator<Item = u16> + '_ {
        self.items.iter().map(move |(marker, text)| {
            let room = width.saturating_sub(marker.width() as u16).max(1);
            u16::try_from(text.line_count(room)).unwrap_or(u16::MAX)
        })
    }

    /// The first paragraph to show so that paragraph `focus` shows whole in `width`×`height`,
    /// scrolling no further than needed (a form's focused item stays on screen).
    pub fn first_showing(&self, focus: usize, width: u16, height: u16) -> usize {
        let heights: Vec<u16> = self.heights(width).collect();
        let mut first = focus.min(heights.len().saturating_sub(1));
        let mut used = heights.get(first).copied().unwrap_or(0);
        while first > 0 && used.saturating_add(heights[first - 1]) <= height {
            first -= 1;
            used += heights[first];
        }
        first
    }

    /// Lines needed to show every paragraph at `width`.
    pub fn height(&self, width: u16) -> u16 {
        self.heights(width).fold(0, u16::saturating_add)
    }

    /// What shows in `width`×`height`: the first paragraph (scrolled no further than needed to
    /// show the last one) and how many paragraphs show whole from there.
    pub fn window(&self, width: u16, height: u16) -> (usize, usize) {
        let heights: Vec<u16> = self.heights(width).collect();
        // The furthest start that still fills the room down to the last paragraph.
        let mut last_start = heights.len();
        let mut below = 0u16;
        while last_start > 0 && below.saturating_add(heights[last_start - 1]) <= height {
            last_start -= 1;
            below += heights[last_start];
        }
        let first = self.first.min(last_start);
        let mut used = 0u16;
        let whole = heights[first..]
            .iter()
            .take_while(|&&h| {
                used = used.saturating_add(h);
                used <= height
            })
            .count();
        (first, whole)
    }
}

impl Widget for &Hanging<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (first, _) = self.window(area.width, area.height);
        let mut rest = area;
        for ((marker, text), h) in self.items.iter().zip(self.heights(area.width)).skip(first) {
            if rest.is_empty() {
                break;
            }
            let [this, below] = rest.layout(&Layout::vertical([
                Constraint::Length(h),
                Constraint::Fill(1),
            ]));
            let [mark, body] = this.layout(&Layout::horizontal([
                Constraint::Length(marker.width() as u16),
                Constraint::Fill(1),
            ]));
            marker.render(mark, buf);
            text.render(body, buf);
            rest = below;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(h: &Hanging, w: u16, rows: u16) -> Vec<String> {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, rows));
        h.render(buf.area, &mut buf);
        (0..rows)
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn wraps_each_paragraph_under_its_own_text() {
        let lines = vec!["the quick brown fox".to_string(), "jumps".to_string()];
        let h = Hanging::bullets(&lines, Style::new());
        assert_eq!(h.height(11), 3);
        assert_eq!(screen(&h, 11, 3), ["• the quick", "  brown fox", "• jumps"]);
    }

    #[test]
    fn scrolls_by_paragraph_and_never_past_the_last() {
        let lines: Vec<String> = (1..=5).map(|i| format!("line {i}")).collect();
        let h = Hanging::bullets(&lines, Style::new()).scrolled(4);
        assert_eq!(h.window(20, 3), (2, 3));
        assert_eq!(screen(&h, 20, 3), ["• line 3", "• line 4", "• line 5"]);
        assert_eq!(Hanging::bullets(&lines, Style::new()).window(20, 2), (0, 2));
    }
}
