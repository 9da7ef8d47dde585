//! Reusable widgets. Each renders from its own state and never touches the disk or the
//! back end.
//!
//! ratatui does the drawing: blocks, tables, paragraphs (and their wrapping), tabs, gauges and
//! layouts. What is here only shapes text for them: cutting a value with an ellipsis where a
//! column ends, a label with its focus marker, a row of radio buttons.

pub mod checklist;
pub mod detail;
pub mod dialog;
pub mod file_picker;
pub mod footer;
pub mod hanging;
pub mod help;
pub mod progress;
pub mod tabs;
pub mod text_field;
pub mod type_ahead;

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Cell, Clear, Padding, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget,
    Widget,
};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::{Theme, glyph};

/// `text` cut to `width` display cells, ending in `…` when cut, so a cut value never passes
/// for a whole one.
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

/// `line` cut to `width` cells, ending in `…` when cut (in the style of the part cut).
pub fn fit_line(line: Line<'_>, width: u16) -> Line<'_> {
    let width = usize::from(width);
    if line.width() <= width {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let w = span.width();
        if used + w < width {
            used += w;
            spans.push(span);
            continue;
        }
        // This span reaches the edge and something follows it (or it is too long itself):
        // the extra cell makes `fit` end it in an ellipsis either way.
        let content = fit(&format!("{} ", span.content), width - used).into_owned();
        spans.push(Span::styled(content, span.style));
        break;
    }
    Line::from(spans).style(line.style)
}

/// One line of `text` in `style` (the whole line, padding included), cut to `width` cells.
pub fn cut(text: &str, width: u16, style: Style) -> Line<'_> {
    Line::from(fit(text, usize::from(width))).style(style)
}

/// The first `rows` rows of `area` (as many as there are) and the rest below them.
pub fn split_top(area: Rect, rows: u16) -> (Rect, Rect) {
    let [top, rest] = area.layout(&Layout::vertical([
        Constraint::Length(rows.min(area.height)),
        Constraint::Fill(1),
    ]));
    (top, rest)
}

/// The widths ratatui gives `columns` in `width` cells, `spacing` apart.
pub fn column_widths(columns: &[Constraint], spacing: u16, width: u16) -> Vec<u16> {
    Layout::horizontal(columns.iter().copied())
        .spacing(spacing)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|r| r.width)
        .collect()
}

/// Table cells for `texts`, each cut (with an ellipsis) to its column's width.
pub fn fitted<'a>(texts: impl IntoIterator<Item = &'a str>, widths: &[u16]) -> Vec<Cell<'a>> {
    texts
        .into_iter()
        .zip(widths)
        .map(|(t, &w)| Cell::from(Line::from(fit(t, usize::from(w)))))
        .collect()
}

/// A bordered box whose text keeps a cell away from the side borders.
pub fn panel<'a>() -> Block<'a> {
    Block::bordered().padding(Padding::horizontal(1))
}

/// The label of a form row, `›` in front of the focused one.
pub fn form_label<'a>(text: &'a str, focused: bool, theme: &Theme) -> Line<'a> {
    let (marker, style) = if focused {
        (glyph::CURSOR, theme.label_focused)
    } else {
        (" ", theme.label)
    };
    Line::from(vec![Span::raw(marker), Span::raw(text)]).style(style)
}

/// Options on one line, `(•)` before the chosen one, which shows as the cursor while the row
/// has focus.
pub fn radio_row<'a>(
    options: impl IntoIterator<Item = (&'a str, bool)>,
    focused: bool,
    theme: &Theme,
) -> Line<'a> {
    let mut spans = Vec::new();
    for (name, on) in options {
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        let g = if on {
            glyph::RADIO_ON
        } else {
            glyph::RADIO_OFF
        };
        let style = match (on, focused) {
            (true, true) => theme.cursor,
            (true, false) => theme.checked,
            (false, _) => theme.base,
        };
        spans.push(Span::styled(format!("{g} {name}"), style));
    }
    Line::from(spans)
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

/// Marks where a window of `height` lines from `top` sits among `total`, with a thumb on the
/// column `on` (a box's right border beside the lines). Nothing when everything shows.
pub fn scroll_thumb(
    on: Rect,
    (total, top, height): (usize, usize, usize),
    style: Style,
    buf: &mut Buffer,
) {
    if total <= height {
        return;
    }
    let mut position = ScrollbarState::new(total - height + 1)
        .position(top)
        .viewport_content_length(height);
    Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .begin_symbol(None)
        .end_symbol(None)
        .track_symbol(None)
        .thumb_symbol(glyph::SCROLL_THUMB)
        .thumb_style(style)
        .render(on, buf, &mut position);
}

/// The right border of `outer` beside `inner`, where a scroll thumb goes.
pub fn right_border(outer: Rect, inner: Rect) -> Rect {
    Rect {
        x: outer.right().saturating_sub(1),
        width: u16::from(outer.width > 0),
        ..inner
    }
}

/// A modal's box of at most `width`×`height`, centred in `area`.
pub fn modal_area(area: Rect, width: u16, height: u16) -> Rect {
    area.centered(
        Constraint::Length(width.min(area.width)),
        Constraint::Length(height.min(area.height)),
    )
}

/// Clears where a modal goes and a one-cell margin around it, so that no fragment of the
/// screen beneath (the last letter of a cut-off column, say) sits against its border.
pub fn clear_modal(outer: Rect, area: Rect, buf: &mut Buffer) {
    Clear.render(outer.outer(Margin::new(1, 1)).intersection(area), buf);
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
    fn fit_line_cuts_the_span_that_does_not_fit() {
        let line = Line::from(vec![Span::raw("(•) Sandbox"), Span::raw("  ( ) Web")]);
        assert_eq!(fit_line(line.clone(), 20), line);
        assert_eq!(fit_line(line.clone(), 15).to_string(), "(•) Sandbox  (…");
        assert_eq!(fit_line(line, 11).to_string(), "(•) Sandbo…");
    }

    #[test]
    fn modals_never_leave_the_area() {
        let r = modal_area(Rect::new(0, 0, 80, 24), 100, 10);
        assert_eq!(r, Rect::new(0, 7, 80, 10));
    }
}
