//! Modal questions and messages: message (OK), confirm (Yes/No), choice (several buttons) and a
//! confirmation listing what will happen.
//!
//! A dialog is data: each button carries the value (`T`, the app's intent) it stands for, and
//! pressing it hands that value back instead of calling anything. `y`/`n` press the Yes/No
//! buttons, Esc presses the cancel button, ←/→/Tab move between buttons, Enter presses the
//! focused one. Destructive questions start on No.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use super::{bullets, centered, inside_box, put, wrap};
use crate::tui::action::{Action, Msg};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;

/// What a button means to `y`/`n`/Esc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Yes,
    No,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Button<T> {
    pub label: String,
    pub role: Role,
    pub value: T,
}

/// How serious the dialog is (shown in the title, not by colour alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Warning,
    Error,
}

#[derive(Clone, Debug)]
pub struct Dialog<T> {
    pub title: String,
    pub body: Vec<String>,
    /// Lines shown as a list under the body ("what will happen"), scrollable.
    pub list: Vec<String>,
    pub buttons: Vec<Button<T>>,
    pub tone: Tone,
    focus: usize,
    /// The button Esc presses.
    cancel: usize,
    scroll: usize,
}

/// What a message did to the dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogOutcome<T> {
    Ignored,
    Changed,
    /// A button was pressed; the dialog is done.
    Pressed(T),
}

impl<T: Clone> Dialog<T> {
    fn build(title: &str, body: &str, buttons: Vec<Button<T>>, focus: usize) -> Dialog<T> {
        let cancel = buttons
            .iter()
            .position(|b| b.role == Role::No)
            .unwrap_or(buttons.len().saturating_sub(1));
        Dialog {
            title: title.to_string(),
            body: body.split('\n').map(str::to_string).collect(),
            list: Vec::new(),
            buttons,
            tone: Tone::Normal,
            focus,
            cancel,
            scroll: 0,
        }
    }

    /// A message with one OK button.
    pub fn message(title: &str, body: &str, ok: T) -> Dialog<T> {
        Dialog::build(
            title,
            body,
            vec![Button {
                label: "OK".into(),
                role: Role::Yes,
                value: ok,
            }],
            0,
        )
    }

    /// A Yes/No question starting on Yes.
    pub fn confirm(title: &str, body: &str, yes: T, no: T) -> Dialog<T> {
        Dialog::build(title, body, yes_no(yes, no), 0)
    }

    /// A Yes/No question about something that cannot be taken back: starts on No.
    pub fn confirm_destructive(title: &str, body: &str, yes: T, no: T) -> Dialog<T> {
        let mut d = Dialog::build(title, body, yes_no(yes, no), 1);
        d.tone = Tone::Warning;
        d
    }

    /// Several buttons; Esc presses the last.
    pub fn choice(title: &str, body: &str, buttons: Vec<(String, T)>) -> Dialog<T> {
        let buttons = buttons
            .into_iter()
            .map(|(label, value)| Button {
                label,
                role: Role::Other,
                value,
            })
            .collect();
        Dialog::build(title, body, buttons, 0)
    }

    /// Adds the list of what will happen.
    pub fn with_list(mut self, list: Vec<String>) -> Dialog<T> {
        self.list = list;
        self
    }

    pub fn with_tone(mut self, tone: Tone) -> Dialog<T> {
        self.tone = tone;
        self
    }

    /// Makes Esc press button `index`.
    pub fn with_cancel(mut self, index: usize) -> Dialog<T> {
        if index < self.buttons.len() {
            self.cancel = index;
        }
        self
    }

    /// The key-map context: a lone button takes Enter and Esc alike; `y`/`n` only where there
    /// are Yes and No buttons.
    pub fn context(&self) -> Context {
        let has = |r| self.buttons.iter().any(|b| b.role == r);
        if self.buttons.len() == 1 {
            Context::Message
        } else if has(Role::Yes) && has(Role::No) {
            Context::Dialog
        } else {
            Context::Buttons
        }
    }

    pub fn focused_button(&self) -> Option<&Button<T>> {
        self.buttons.get(self.focus)
    }

    fn press(&self, index: usize) -> DialogOutcome<T> {
        self.buttons.get(index).map_or(DialogOutcome::Ignored, |b| {
            DialogOutcome::Pressed(b.value.clone())
        })
    }

    fn press_role(&self, role: Role) -> DialogOutcome<T> {
        self.buttons
            .iter()
            .position(|b| b.role == role)
            .map_or(DialogOutcome::Ignored, |i| self.press(i))
    }

    pub fn handle(&mut self, msg: &Msg, area: Rect) -> DialogOutcome<T> {
        let n = self.buttons.len().max(1);
        match msg {
            Msg::Action(a) => match a {
                Action::Yes => self.press_role(Role::Yes),
                Action::No => self.press_role(Role::No),
                Action::Back => self.press(self.cancel),
                Action::Submit => self.press(self.focus),
                Action::FocusNext | Action::Right => {
                    self.focus = (self.focus + 1) % n;
                    DialogOutcome::Changed
                }
                Action::FocusPrev | Action::Left => {
                    self.focus = (self.focus + n - 1) % n;
                    DialogOutcome::Changed
                }
                Action::Up if self.scroll > 0 => {
                    self.scroll -= 1;
                    DialogOutcome::Changed
                }
                Action::Down if self.scroll + 1 < self.list.len() => {
                    self.scroll += 1;
                    DialogOutcome::Changed
                }
                _ => DialogOutcome::Ignored,
            },
            Msg::Click { column, row } => {
                let l = self.layout(area);
                l.buttons
                    .iter()
                    .position(|r| r.contains((*column, *row).into()))
                    .map_or(DialogOutcome::Ignored, |i| self.press(i))
            }
            Msg::Wheel { down, .. } => self.handle(
                &Msg::Action(if *down { Action::Down } else { Action::Up }),
                area,
            ),
            _ => DialogOutcome::Ignored,
        }
    }

    fn button_label(b: &Button<T>) -> String {
        format!("[ {} ]", b.label)
    }

    fn layout(&self, area: Rect) -> DialogLayout {
        let buttons_w: usize = self
            .buttons
            .iter()
            .map(|b| Self::button_label(b).width() + 2)
            .sum();
        let longest = self
            .body
            .iter()
            .chain(&self.list)
            .map(|l| l.width() + 2)
            .chain([self.title.width() + 4, buttons_w])
            .max()
            .unwrap_or(20);
        let max_w = if self.list.is_empty() { 76 } else { 90 };
        let width = (longest as u16 + 4)
            .clamp(36, max_w)
            .min(area.width.saturating_sub(2));
        let text_w = width.saturating_sub(4) as usize;
        let body: Vec<String> = self.body.iter().flat_map(|p| wrap(p, text_w)).collect();
        let list = bullets(&self.list, text_w);
        let list_gap = u16::from(!list.is_empty());
        let fixed = body.len() as u16 + list_gap + 2 /* blank + buttons */ + 2 /* borders */;
        let room_for_list = area.height.saturating_sub(fixed).saturating_sub(2);
        let list_h = (list.len() as u16).min(room_for_list);
        let height = (fixed + list_h).min(area.height);
        let outer = centered(area, width, height);
        let inner = inside_box(outer);
        let y_buttons = inner.y + inner.height.saturating_sub(1);
        let mut x = inner.x + inner.width.saturating_sub(buttons_w as u16) / 2;
        let buttons = self
            .buttons
            .iter()
            .map(|b| {
                let w = Self::button_label(b).width() as u16;
                let r = Rect::new(x, y_buttons, w, 1).intersection(inner);
                x += w + 2;
                r
            })
            .collect();
        DialogLayout {
            outer,
            inner,
            body,
            list,
            list_h,
            buttons,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let l = self.layout(area);
        super::clear_modal(l.outer, area, buf);
        let (title_style, prefix) = match self.tone {
            Tone::Normal => (theme.title, ""),
            Tone::Warning => (theme.warning, "! "),
            Tone::Error => (theme.error, "✗ "),
        };
        Block::bordered()
            .border_style(theme.border_focused)
            .title(format!(" {prefix}{} ", self.title))
            .title_style(title_style)
            .render(l.outer, buf);
        let mut y = l.inner.y;
        let bottom = l.inner.y + l.inner.height.saturating_sub(2);
        for line in &l.body {
            if y >= bottom {
                break;
            }
            put(buf, l.inner.x, y, l.inner.width, line, theme.base);
            y += 1;
        }
        if !l.list.is_empty() {
            y += 1;
            let scroll = self
                .scroll
                .min(l.list.len().saturating_sub(l.list_h as usize));
            for line in l.list.iter().skip(scroll).take(l.list_h as usize) {
                put(buf, l.inner.x, y, l.inner.width, line, theme.base);
                y += 1;
            }
            if l.list.len() > l.list_h as usize && l.list_h > 0 {
                let more = format!("↑↓ {} more", l.list.len() - l.list_h as usize);
                let w = more.width() as u16;
                put(
                    buf,
                    l.inner.x + l.inner.width.saturating_sub(w),
                    l.outer.y + l.outer.height - 1,
                    w,
                    &more,
                    theme.hint,
                );
            }
        }
        for (i, (b, r)) in self.buttons.iter().zip(&l.buttons).enumerate() {
            let style = if i == self.focus {
                theme.button_focused
            } else {
                theme.button
            };
            put(buf, r.x, r.y, r.width, &Self::button_label(b), style);
        }
    }
}

fn yes_no<T>(yes: T, no: T) -> Vec<Button<T>> {
    vec![
        Button {
            label: "Yes".into(),
            role: Role::Yes,
            value: yes,
        },
        Button {
            label: "No".into(),
            role: Role::No,
            value: no,
        },
    ]
}

struct DialogLayout {
    outer: Rect,
    inner: Rect,
    body: Vec<String>,
    list: Vec<String>,
    list_h: u16,
    buttons: Vec<Rect>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: Rect = Rect::new(0, 0, 80, 24);

    fn act<T: Clone>(d: &mut Dialog<T>, a: Action) -> DialogOutcome<T> {
        d.handle(&Msg::Action(a), AREA)
    }

    fn screen<T: Clone>(d: &Dialog<T>) -> String {
        let mut buf = Buffer::empty(AREA);
        d.render(AREA, &mut buf, &Theme::plain());
        (0..AREA.height)
            .map(|y| {
                (0..AREA.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn y_n_and_esc_answer_and_destructive_starts_on_no() {
        let mut d = Dialog::confirm_destructive("Delete", "Delete ACME?", 1, 2);
        assert_eq!(d.focused_button().map(|b| b.role), Some(Role::No));
        assert_eq!(act(&mut d, Action::Submit), DialogOutcome::Pressed(2));
        assert_eq!(act(&mut d, Action::Yes), DialogOutcome::Pressed(1));
        assert_eq!(act(&mut d, Action::No), DialogOutcome::Pressed(2));
        assert_eq!(act(&mut d, Action::Back), DialogOutcome::Pressed(2));
        act(&mut d, Action::Left);
        assert_eq!(act(&mut d, Action::Submit), DialogOutcome::Pressed(1));
        let mut ok = Dialog::confirm("Sync", "Go?", 'y', 'n');
        assert_eq!(act(&mut ok, Action::Submit), DialogOutcome::Pressed('y'));
        assert_eq!(act(&mut ok, Action::Quit), DialogOutcome::Ignored);
    }

    #[test]
    fn choice_cancels_with_the_last_button_and_buttons_can_be_clicked() {
        let mut d = Dialog::choice(
            "Missing type",
            "QuickBooks has no customer type Retail.",
            vec![("Add it".into(), 'a'), ("Cancel".into(), 'c')],
        );
        assert_eq!(act(&mut d, Action::Back), DialogOutcome::Pressed('c'));
        let s = screen(&d);
        let (y, line) = s
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("[ Add it ]"))
            .unwrap();
        let x = line.chars().take_while(|&c| c != '[').count() as u16;
        assert_eq!(
            d.handle(
                &Msg::Click {
                    column: x + 2,
                    row: y as u16
                },
                AREA
            ),
            DialogOutcome::Pressed('a')
        );
    }

    #[test]
    fn a_long_list_scrolls_inside_the_screen() {
        let list: Vec<String> = (1..=40).map(|i| format!("line {i}")).collect();
        let mut d = Dialog::confirm("Synchronize", "This will happen:", 1, 0).with_list(list);
        let s = screen(&d);
        assert!(s.contains("• line 1"));
        assert!(!s.contains("line 40"));
        assert!(s.contains("more"));
        assert!(s.contains("[ Yes ]"));
        for _ in 0..40 {
            act(&mut d, Action::Down);
        }
        assert!(screen(&d).contains("• line 40"));
    }
}
