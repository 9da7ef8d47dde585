//! Reusable widgets. Each renders from its own state and never touches the disk or the
//! back end.

pub mod checklist;
pub mod dialog;
pub mod file_picker;
pub mod footer;
pub mod help;
pub mod progress;
pub mod tabs;
pub mod text_field;

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::{Theme, glyph};

/// `text` cut to `width` display cells, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push(glyph::ELLIPSIS);
    Cow::Owned(out)
}

/// Writes `text` at (x, y), cut to `width` cells, padding the rest with `style`.
pub fn put(buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, style: Style) {
    if width == 0 {
        return;
    }
    let area = Rect::new(x, y, width, 1).intersection(buf.area);
    if area.is_empty() {
        return;
    }
    buf.set_style(area, style);
    let fitted = fit(text, area.width as usize);
    buf.set_stringn(area.x, area.y, fitted, area.width as usize, style);
}

/// The room inside a bordered box, a cell in from each side border (text never touches it).
pub fn inside_box(outer: Rect) -> Rect {
    let inner = ratatui::widgets::Block::bordered().inner(outer);
    Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// The label of a form row, `›` in front of the focused one.
pub fn form_label(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    text: &str,
    focused: bool,
    theme: &Theme,
) {
    let (marker, style) = if focused {
        (glyph::CURSOR, theme.label_focused)
    } else {
        (" ", theme.label)
    };
    put(buf, x, y, width, &format!("{marker}{text}"), style);
}

/// Options on one row from `x`, `(•)` before the chosen one, which shows as the cursor while the
/// row has focus.
pub fn radio_row<'a>(
    buf: &mut Buffer,
    mut x: u16,
    y: u16,
    options: impl IntoIterator<Item = (&'a str, bool)>,
    focused: bool,
    theme: &Theme,
) {
    for (name, on) in options {
        let g = if on {
            glyph::RADIO_ON
        } else {
            glyph::RADIO_OFF
        };
        let text = format!("{g} {name}");
        let w = text.width() as u16;
        let style = match (on, focused) {
            (true, true) => theme.cursor,
            (true, false) => theme.checked,
            (false, _) => theme.base,
        };
        put(buf, x, y, w, &text, style);
        x += w + 2;
    }
}

/// The glyph and style of a message next to a field: an error refuses the value, a warning
/// only says what QuickBooks will object to.
pub fn message_look(is_error: bool, theme: &Theme) -> (&'static str, Style) {
    if is_error {
        (glyph::ERROR, theme.error)
    } else {
        (glyph::WARNING, theme.warning)
    }
}

/// The first line of a scrolled form to draw so `focus` shows, moving as little as possible from
/// `top` and keeping the line above the focus (its group heading) in view.
pub fn scroll_to_show(top: usize, focus: usize, height: usize) -> usize {
    if focus < top + 1 {
        focus.saturating_sub(1)
    } else if focus >= top + height {
        focus + 1 - height
    } else {
        top
    }
}

/// Clears where a modal goes and a one-cell margin around it, so that no fragment of the
/// screen beneath (the last letter of a cut-off column, say) sits against its border.
pub fn clear_modal(outer: Rect, area: Rect, buf: &mut Buffer) {
    let margin = Rect::new(
        outer.x.saturating_sub(1),
        outer.y.saturating_sub(1),
        outer.width + 2,
        outer.height + 2,
    )
    .intersection(area);
    ratatui::widgets::Widget::render(ratatui::widgets::Clear, margin, buf);
}

/// A rectangle of at most `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// `lines` as a bulleted list wrapped to `width` cells, continuation lines under the text.
pub fn bullets(lines: &[String], width: usize) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| {
            wrap(l, width.saturating_sub(2))
                .into_iter()
                .enumerate()
                .map(|(i, line)| format!("{} {line}", if i == 0 { "•" } else { " " }))
        })
        .collect()
}

/// Wraps `text` into lines of at most `width` cells, breaking at spaces where possible. A
/// paragraph's leading spaces indent each of its lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let body = para.trim_start_matches(' ');
        let indent = &para[..para.len() - body.len()];
        let room = width.saturating_sub(indent.len()).max(1);
        let start = lines.len();
        wrap_paragraph(body, room, &mut lines);
        for l in &mut lines[start..] {
            if !l.is_empty() {
                l.insert_str(0, indent);
            }
        }
    }
    lines
}

fn wrap_paragraph(text: &str, width: usize, lines: &mut Vec<String>) {
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.width()
        } else {
            line.width() + 1 + word.width()
        };
        if candidate > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        // A single word longer than the line is cut into pieces.
        while line.width() > width {
            let mut head = String::new();
            let mut rest = String::new();
            for c in line.chars() {
                if rest.is_empty() && head.width() + c.width().unwrap_or(0) <= width {
                    head.push(c);
                } else {
                    rest.push(c);
                }
            }
            lines.push(head);
            line = rest;
        }
    }
    lines.push(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(fit("ACME Supply", 20), "ACME Supply");
        assert_eq!(fit("ACME Supply", 5), "ACME…");
        assert_eq!(fit("ACME", 0), "");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(
            wrap("the quick brown fox", 9),
            vec!["the quick", "brown fox"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
        assert_eq!(wrap("  (•) one two", 9), vec!["  (•) one", "  two"]);
    }

    #[test]
    fn centered_never_leaves_the_area() {
        let r = centered(Rect::new(0, 0, 80, 24), 100, 10);
        assert_eq!(r, Rect::new(0, 7, 80, 10));
    }
}
