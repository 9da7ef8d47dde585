//! A single-line text field with a label and a message next to it, over `ratatui-textarea`.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;
use ratatui_textarea::TextArea;

use super::{cut, form_label, message_look};
use crate::tui::theme::Theme;

#[derive(Clone, Debug)]
pub struct TextField {
    label: String,
    input: TextArea<'static>,
    focused: bool,
    error: Option<String>,
    warning: Option<String>,
    placeholder: Option<String>,
}

/// How a row of a form is divided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldLayout {
    pub label_width: u16,
    /// The widest the input box gets; the message takes what is left of the row.
    pub input_width: u16,
}

impl TextField {
    pub fn new(label: impl Into<String>, value: &str) -> TextField {
        let mut input = TextArea::new(vec![single_line(value)]);
        input.set_cursor_line_style(Style::new());
        input.move_cursor(ratatui_textarea::CursorMove::End);
        let mut f = TextField {
            label: label.into(),
            input,
            focused: false,
            error: None,
            warning: None,
            placeholder: None,
        };
        f.set_focused(false);
        f
    }

    pub fn with_placeholder(mut self, text: impl Into<String>) -> TextField {
        let text = text.into();
        self.input.set_placeholder_text(text.clone());
        self.input
            .set_placeholder_style(Style::new().add_modifier(Modifier::DIM));
        self.placeholder = Some(text);
        self
    }

    /// Shows `•` for every character typed (a password).
    pub fn masked(mut self) -> TextField {
        self.input.set_mask_char('•');
        self
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn value(&self) -> &str {
        self.input.lines().first().map_or("", String::as_str)
    }

    pub fn set_value(&mut self, value: &str) {
        let mut input = TextArea::new(vec![single_line(value)]);
        input.set_cursor_line_style(Style::new());
        if let Some(p) = &self.placeholder {
            input.set_placeholder_text(p.clone());
            input.set_placeholder_style(Style::new().add_modifier(Modifier::DIM));
        }
        input.move_cursor(ratatui_textarea::CursorMove::End);
        self.input = input;
        self.set_focused(self.focused);
    }

    pub fn set_focused(&mut self, focused: bool) {
        self.focused = focused;
        // The caret is drawn by the field itself (REVERSED), so it shows without colour and the
        // real terminal cursor can stay hidden.
        let caret = if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        self.input.set_cursor_style(caret);
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn set_error(&mut self, error: Option<String>) {
        self.error = error;
    }

    pub fn set_warning(&mut self, warning: Option<String>) {
        self.warning = warning;
    }

    /// The message shown next to the field: the error, else the warning.
    pub fn message(&self) -> Option<(bool, &str)> {
        match (&self.error, &self.warning) {
            (Some(e), _) => Some((true, e)),
            (None, Some(w)) => Some((false, w)),
            (None, None) => None,
        }
    }

    /// Edits the text with a key the key map left to the field. Keys that would make a second
    /// line are ignored. Returns whether the text changed.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let newline = matches!(key.code, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab)
            || matches!(key.code, KeyCode::Char('\n' | '\r'))
            || (ctrl && matches!(key.code, KeyCode::Char('m' | 'j')));
        if newline {
            return false;
        }
        let before = self.value().to_string();
        self.input.input(key);
        let changed = self.value() != before;
        if changed {
            self.error = None;
        }
        changed
    }

    /// Inserts pasted text on this one line.
    pub fn paste(&mut self, text: &str) -> bool {
        let line = single_line(text);
        if line.is_empty() {
            return false;
        }
        self.error = None;
        self.input.insert_str(line)
    }

    /// Draws `label  [input]  message` on the first row of `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, layout: FieldLayout) {
        if area.height == 0 {
            return;
        }
        let row = Rect { height: 1, ..area };
        let [label, input, rest] = row.layout(&Layout::horizontal([
            Constraint::Length(layout.label_width),
            Constraint::Length(layout.input_width),
            Constraint::Fill(1),
        ]));
        let [_, message] = rest.layout(&Layout::horizontal([
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        form_label(&self.label, self.focused, theme).render(label, buf);
        let mut field = self.input.clone();
        field.set_style(if self.focused {
            theme.field_focused
        } else {
            theme.field
        });
        field.render(input, buf);
        // Too little room for a useful message: the owner shows it elsewhere.
        if let Some((is_error, text)) = self.message().filter(|_| message.width >= 12) {
            let (g, style) = message_look(is_error, theme);
            cut(&format!("{g} {text}"), message.width, style).render(message, buf);
        }
    }
}

fn single_line(text: &str) -> String {
    text.replace(['\r', '\n', '\t'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Key;

    fn type_str(f: &mut TextField, s: &str) {
        for c in s.chars() {
            f.handle_key(Key::Char(c).event());
        }
    }

    fn line(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect()
    }

    #[test]
    fn typing_edits_one_line_and_clears_the_error() {
        let mut f = TextField::new("Name", "AC");
        f.set_error(Some("required".into()));
        type_str(&mut f, "ME");
        assert_eq!(f.value(), "ACME");
        assert_eq!(f.error(), None);
        assert!(!f.handle_key(Key::Enter.event()));
        assert!(!f.handle_key(Key::Tab.event()));
        assert!(!f.handle_key(Key::Ctrl('m').event()));
        f.handle_key(Key::Backspace.event());
        assert_eq!(f.value(), "ACM");
        f.paste("line1\nline2");
        assert_eq!(f.value(), "ACMline1 line2");
    }

    #[test]
    fn renders_label_value_and_message_on_one_row() {
        let mut f = TextField::new("Listen", "127.0.0.1:99999");
        f.set_error(Some("port must be 1-65535".into()));
        let mut buf = Buffer::empty(Rect::new(0, 0, 60, 1));
        f.render(
            buf.area,
            &mut buf,
            &Theme::plain(),
            FieldLayout {
                label_width: 10,
                input_width: 20,
            },
        );
        let l = line(&buf, 0);
        assert!(l.starts_with(" Listen"), "{l}");
        assert!(l.contains("127.0.0.1:99999"), "{l}");
        assert!(l.contains("✗ port must be 1-65535"), "{l}");
    }
}
