//! The footer: the keys that work here, generated from the key map.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::tui::theme::Theme;

/// Draws `key desc` pairs left to right. When they do not all fit, the ones that do are kept and
/// the help hint moves to the right edge so help is always reachable.
pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme, hints: &[(String, &str)]) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    // A hint and the two spaces after it.
    let width = |(k, d): &(String, &str)| k.width() + 1 + d.width() + 2;
    let help = hints.iter().find(|(_, d)| *d == "Help");
    let total: usize = hints.iter().map(width).sum();
    let help_apart = help.filter(|_| total > usize::from(area.width));
    let help_w = help_apart.map_or(0, |h| width(h) - 2);
    let [left, right] = area.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(help_w as u16),
    ]));
    // The last hint needs no spaces after it; two spaces keep it off the help hint.
    let room = usize::from(left.width).saturating_sub(if help_w > 0 { 2 } else { 0 }) + 2;
    let mut used = 0;
    let mut spans = Vec::new();
    for h in hints.iter().filter(|h| Some(*h) != help_apart) {
        used += width(h);
        if used > room {
            break;
        }
        spans.extend(hint(h, theme));
        spans.push(Span::raw("  "));
    }
    Line::from(spans).render(left, buf);
    if let Some(h) = help_apart {
        Line::from(hint(h, theme).to_vec()).render(right, buf);
    }
}

fn hint<'a>((k, d): &'a (String, &str), theme: &Theme) -> [Span<'a>; 3] {
    [
        Span::styled(k.as_str(), theme.key),
        Span::raw(" "),
        Span::styled(*d, theme.hint),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(hints: &[(String, &str)], w: u16) -> String {
        let area = Rect::new(0, 0, w, 1);
        let mut buf = Buffer::empty(area);
        render(area, &mut buf, &Theme::plain(), hints);
        (0..w).map(|x| buf[(x, 0)].symbol().to_string()).collect()
    }

    #[test]
    fn keeps_help_visible_when_narrow() {
        let hints = vec![
            ("a".to_string(), "Add"),
            ("d".to_string(), "Delete"),
            ("s".to_string(), "SetUp"),
            ("?".to_string(), "Help"),
        ];
        assert_eq!(
            row(&hints, 40).trim_end(),
            "a Add  d Delete  s SetUp  ? Help"
        );
        assert_eq!(row(&hints, 24), "a Add  d Delete   ? Help");
    }
}
