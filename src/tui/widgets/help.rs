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
    /// Screen lines the help took last time, long descriptions wrapped: what the scroll ranges
    /// over.
    total: std::cell::Cell<usize>,
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
            key_w,
            scroll: 0,
            total: std::cell::Cell::new(lines.len()),
            lines,
            height: std::cell::Cell::new(0),
        }
    }

    /// Returns false when the overlay should close.
    pub fn handle(&mut self, msg: &Msg) -> bool {
        let max = self.total.get().saturating_sub(self.height.get().max(1));
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
        // A description wider than the box goes on under itself: a cut one would hide what
        // the key does (the row actions' explanation is a sentence long).
        let desc_w = usize::from(inner.width.saturating_sub(1 + self.key_w));
        let mut rows = Vec::with_capacity(self.lines.len());
        for l in &self.lines {
            match l {
                HelpLine::Title(t) => rows.push(Row::new([Cell::from(*t)
                    .style(theme.header)
                    .column_span(3)])),
                HelpLine::Binding(k, d) => {
                    for (i, part) in wrap_words(d, desc_w).into_iter().enumerate() {
                        let key = if i == 0 { k.as_str() } else { "" };
                        rows.push(Row::new([
                            Cell::from(""),
                            Cell::from(key).style(theme.key),
                            Cell::from(part).style(theme.base),
                        ]));
                    }
                }
                HelpLine::Blank => rows.push(Row::new([""])),
            }
        }
        self.total.set(rows.len());
        let scroll = self.scroll.min(rows.len().saturating_sub(height));
        let total = rows.len();
        Table::new(
            rows.into_iter().skip(scroll).take(height),
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
            (total, scroll, height),
            theme.border_focused,
            buf,
        );
    }
}

/// `text` cut at spaces into lines at most `width` columns wide; a word wider than that keeps
/// a line to itself (the table cuts it).
fn wrap_words(text: &str, width: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text.trim();
    while rest.width() > width.max(1) {
        let mut cut = None;
        let mut w = 0;
        for (i, c) in rest.char_indices() {
            if c == ' ' {
                if w > width && cut.is_some() {
                    break;
                }
                cut = Some(i);
            }
            w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
        let Some(at) = cut else { break };
        lines.push(&rest[..at]);
        rest = rest[at..].trim_start();
    }
    lines.push(rest);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn words_wrap_at_spaces_within_the_width() {
        assert_eq!(wrap_words("aaa bbb ccc", 5), ["aaa", "bbb", "ccc"]);
        assert_eq!(wrap_words("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(wrap_words("short", 40), ["short"]);
        assert_eq!(wrap_words("averylongword x", 4), ["averylongword", "x"]);
        assert_eq!(wrap_words("Zürich café", 6), ["Zürich", "café"]);
    }

    #[test]
    fn a_long_description_goes_on_under_itself_not_cut() {
        let long = "On a row marked × or −: link it, add it again, or keep it local in SMSTurbo";
        let help = HelpOverlay::new(
            "Synchronize",
            vec![HelpSection {
                title: "Synchronize",
                lines: vec![("Enter".to_string(), long)],
            }],
        );
        let mut term = Terminal::new(TestBackend::new(50, 12)).unwrap();
        term.draw(|f| help.render(f.area(), f.buffer_mut(), &Theme::plain()))
            .unwrap();
        let screen: String = term
            .backend()
            .buffer()
            .content
            .chunks(50)
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
            .collect();
        for word in long.split(' ') {
            assert!(screen.contains(word), "{word} missing:\n{screen}");
        }
        assert!(screen.contains("SMSTurbo"), "{screen}");
    }
}
