//! The footer: the keys that work here, generated from the key map.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::put;
use crate::tui::theme::Theme;

/// Draws `key desc` pairs left to right. When they do not all fit, the ones that do are kept and
/// the help hint moves to the right edge so help is always reachable.
pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme, hints: &[(String, &str)]) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = |(k, d): &(String, &str)| k.width() + 1 + d.width() + 2;
    let help = hints.iter().find(|(_, d)| *d == "Help");
    let total: usize = hints.iter().map(width).sum();
    let reserve = if total > area.width as usize {
        help.map_or(0, width)
    } else {
        0
    };
    let limit = area.x + area.width.saturating_sub(reserve as u16);
    let mut x = area.x;
    for h in hints {
        if reserve > 0 && Some(h) == help {
            continue;
        }
        let w = width(h) as u16;
        if x + w - 2 > limit {
            break;
        }
        draw(buf, x, area.y, h, theme);
        x += w;
    }
    if reserve > 0
        && let Some(h) = help
    {
        draw(buf, limit + 2, area.y, h, theme);
    }
}

fn draw(buf: &mut Buffer, x: u16, y: u16, (k, d): &(String, &str), theme: &Theme) {
    let kw = k.width() as u16;
    put(buf, x, y, kw, k, theme.key);
    put(buf, x + kw + 1, y, d.width() as u16, d, theme.hint);
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
