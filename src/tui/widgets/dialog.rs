//! Modal questions and messages: message (OK), confirm (Yes/No), choice (several buttons) and a
//! confirmation listing what will happen.
//!
//! A dialog is data: each button carries the value (`T`, the app's intent) it stands for, and
//! pressing it hands that value back instead of calling anything. `y`/`n` press the Yes/No
//! buttons, Esc presses the cancel button, ←/→/Tab move between buttons, Enter presses the
//! focused one. Destructive questions start on No. Buttons that do not fit side by side (long
//! labels, a narrow terminal) stand one under the other, and ↑/↓ move between them too (when the
//! text above them has nothing to scroll).

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::hanging::Hanging;
use super::{clear_modal, fit, modal_area, panel};
use crate::tui::action::{Action, Msg};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;

/// What a button means to `y`/`n`/Esc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Yes,
    No,
    /// The one button of a message that closes a step ("Done").
    Done,
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
    /// The first paragraph of the content shown.
    scroll: usize,
    /// How far the content could scroll when last drawn.
    max_scroll: Cell<usize>,
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
            max_scroll: Cell::new(0),
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

    /// A message whose one button says the step is done.
    pub fn done(title: &str, body: &str, value: T) -> Dialog<T> {
        Dialog::build(
            title,
            body,
            vec![Button {
                label: "Done".into(),
                role: Role::Done,
                value,
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
        if self.buttons.len() == 1 && has(Role::Done) {
            Context::Done
        } else if self.buttons.len() == 1 {
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
                // Stacked buttons under text that does not scroll: ↑/↓ move between them.
                Action::Up | Action::Down
                    if self.max_scroll.get() == 0 && self.stacked_in(area) =>
                {
                    let step = if *a == Action::Down { 1 } else { n - 1 };
                    self.focus = (self.focus + step) % n;
                    DialogOutcome::Changed
                }
                Action::Up if self.scroll > 0 => {
                    self.scroll -= 1;
                    DialogOutcome::Changed
                }
                Action::Down if self.scroll < self.max_scroll.get() => {
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

    /// Whether the buttons stand one under the other: they do not fit side by side in `width`.
    fn stacked(&self, width: u16) -> bool {
        let side_by_side: usize = self
            .buttons
            .iter()
            .map(|b| Self::button_label(b).width() + 2)
            .sum();
        side_by_side.saturating_sub(2) > usize::from(width)
    }

    fn stacked_in(&self, area: Rect) -> bool {
        let l = self.layout(area);
        l.buttons.len() > 1 && l.buttons.windows(2).all(|w| w[0].y != w[1].y)
    }

    /// The body's lines, then the list's bullets: one text that scrolls as a whole when the
    /// screen is too short for it, so no line of it is ever out of reach.
    fn content(&self, style: Style) -> Hanging<'_> {
        let body = self.body.iter().fold(Hanging::new(), |h, l| {
            h.item("", Line::from(l.as_str()), style)
        });
        if self.list.is_empty() {
            return body;
        }
        self.list
            .iter()
            .fold(body.item("", Line::from(""), style), |h, l| {
                h.item("• ", l.as_str(), style)
            })
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
        let text_w = width.saturating_sub(4);
        let stacked = self.stacked(text_w);
        let buttons_h = if stacked {
            u16::try_from(self.buttons.len()).unwrap_or(u16::MAX)
        } else {
            1
        };
        // The content, a blank line, the buttons and the two borders.
        let room = area.height.saturating_sub(3 + buttons_h);
        let content_h = self.content(Style::new()).height(text_w).min(room);
        let outer = modal_area(area, width, content_h + 3 + buttons_h);
        let inner = panel().inner(outer);
        // The buttons always show; the content scrolls above them.
        let [content, _, buttons_row] = inner.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(buttons_h),
        ]));
        let buttons = if stacked {
            buttons_row.layout_vec(&Layout::vertical(
                self.buttons.iter().map(|_| Constraint::Length(1)),
            ))
        } else {
            buttons_row.layout_vec(
                &Layout::horizontal(
                    self.buttons
                        .iter()
                        .map(|b| Constraint::Length(Self::button_label(b).width() as u16)),
                )
                .spacing(2)
                .flex(Flex::Center),
            )
        };
        DialogLayout {
            outer,
            content,
            buttons,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let l = self.layout(area);
        clear_modal(l.outer, area, buf);
        let (title_style, prefix) = match self.tone {
            Tone::Normal => (theme.title, ""),
            Tone::Warning => (theme.warning, "! "),
            Tone::Error => (theme.error, "✗ "),
        };
        let content = self.content(theme.base);
        // How far the content can scroll, for the keys (and the scroll never overshoots).
        let (last_first, _) = content
            .clone()
            .scrolled(usize::MAX)
            .window(l.content.width, l.content.height);
        self.max_scroll.set(last_first);
        let content = content.scrolled(self.scroll);
        let (first, whole) = content.window(l.content.width, l.content.height);
        let below = content.len() - first - whole;
        let mut block = panel()
            .border_style(theme.border_focused)
            .title(format!(" {prefix}{} ", self.title))
            .title_style(title_style);
        if first + below > 0 && !l.content.is_empty() {
            let more = match (first, below) {
                (0, n) => format!("↓ {n} more"),
                (n, 0) => format!("↑ {n} more"),
                (_, n) => format!("↑↓ {n} more"),
            };
            block = block.title_bottom(Line::styled(more, theme.hint).right_aligned());
        }
        block.render(l.outer, buf);
        content.render(l.content, buf);
        for (i, (b, r)) in self.buttons.iter().zip(&l.buttons).enumerate() {
            let style = if i == self.focus {
                theme.button_focused
            } else {
                theme.button
            };
            let label = Self::button_label(b);
            // A stacked label longer than the dialog keeps its closing bracket.
            let label = if label.width() > usize::from(r.width) {
                let room = usize::from(r.width).saturating_sub(5).max(1);
                format!("[ {} ]", fit(&b.label, room))
            } else {
                label
            };
            Line::styled(label, style).render(*r, buf);
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
    content: Rect,
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
    fn buttons_that_do_not_fit_side_by_side_stand_one_under_the_other() {
        let buttons: Vec<(String, u8)> = [
            "Link to 'Delta Bakery & Cafe (C1003)'",
            "Add to QuickBooks again…",
            "Keep in SMSTurbo only",
            "Cancel",
        ]
        .iter()
        .zip(1..)
        .map(|(l, v)| (l.to_string(), v))
        .collect();
        let mut d = Dialog::choice("QuickBooks changed this link", "Choose:", buttons);
        let s = screen(&d);
        for label in [
            "Link to 'Delta Bakery & Cafe (C1003)'",
            "Keep in SMSTurbo only",
        ] {
            assert!(s.contains(&format!("[ {label} ]")), "{s}");
        }
        let row_of = |s: &str, t: &str| s.lines().position(|l| l.contains(t)).unwrap();
        assert!(row_of(&s, "[ Cancel ]") > row_of(&s, "[ Keep in SMSTurbo only ]"));
        assert_eq!(act(&mut d, Action::Down), DialogOutcome::Changed);
        assert_eq!(act(&mut d, Action::Down), DialogOutcome::Changed);
        assert_eq!(act(&mut d, Action::Submit), DialogOutcome::Pressed(3));
        assert_eq!(act(&mut d, Action::Up), DialogOutcome::Changed);
        assert_eq!(act(&mut d, Action::Submit), DialogOutcome::Pressed(2));
        // Two short buttons still stand side by side, and ↑/↓ do nothing to them.
        let mut yes_no = Dialog::confirm("Sync", "Go?", 1, 0);
        assert_eq!(act(&mut yes_no, Action::Down), DialogOutcome::Ignored);
        let s = screen(&yes_no);
        assert_eq!(row_of(&s, "[ Yes ]"), row_of(&s, "[ No ]"));
    }

    #[test]
    fn a_stacked_label_wider_than_the_dialog_is_cut_and_keeps_its_bracket() {
        let long = format!("Link to '{}'", "Very Long Business Name ".repeat(8));
        let buttons = vec![(long, 1u8), ("Cancel".to_string(), 0)];
        let d = Dialog::choice("QuickBooks changed this link", "Choose:", buttons);
        let s = screen(&d);
        let line = s
            .lines()
            .find(|l| l.contains("[ Link to 'Very Long"))
            .unwrap_or_else(|| panic!("{s}"));
        assert!(line.contains("… ]"), "{line}");
        assert!(s.contains("[ Cancel ]"), "{s}");
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
