//! "QuickBooks – Application Certificate": the first-access question the sandbox asks on
//! QuickBooks' behalf (SPEC §5.2), then its confirmation and "Access Confirmation".
//!
//! The worker is blocked inside the connection's `open` until this modal answers through the
//! [`Reply`] it was given. Quitting drops the reply, which the worker reads as "nobody could
//! answer".

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line as TextLine, Span};
use ratatui::widgets::Widget;

use crate::qb::access::{CertificateAnswer, CertificateRequest};
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent};
use crate::tui::keymap::Context;
use crate::tui::theme::{Theme, glyph};
use crate::tui::widgets::dialog::{Dialog, DialogOutcome};
use crate::tui::widgets::hanging::Hanging;
use crate::tui::widgets::{clear_modal, modal_area, panel};
use crate::tui::worker::Reply;

/// The four choices, in QuickBooks' order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    No,
    PromptEachTime,
    WhenOpen,
    Always,
}

impl Choice {
    pub const ALL: [Choice; 4] = [
        Choice::No,
        Choice::PromptEachTime,
        Choice::WhenOpen,
        Choice::Always,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Choice::No => "No",
            Choice::PromptEachTime => "Yes, prompt each time",
            Choice::WhenOpen => "Yes, whenever this QuickBooks company file is open",
            Choice::Always => "Yes, always; allow access even if QuickBooks is not running",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    Choices,
    LoginAs,
    PersonalData,
    Continue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Yes,
    Back,
    Done,
}

enum Stage {
    Ask,
    Confirm(Dialog<Step>),
    Granted(Dialog<Step>),
}

pub struct CertificateModal {
    request: CertificateRequest,
    reply: Option<Reply<Option<CertificateAnswer>>>,
    choice: Choice,
    login_user: usize,
    personal_data: bool,
    focus: Focus,
    stage: Stage,
}

impl CertificateModal {
    pub fn new(
        request: CertificateRequest,
        reply: Reply<Option<CertificateAnswer>>,
    ) -> CertificateModal {
        CertificateModal {
            request,
            reply: Some(reply),
            // QuickBooks starts on No: access is never given by just pressing Enter.
            choice: Choice::No,
            login_user: 0,
            personal_data: false,
            focus: Focus::Choices,
            stage: Stage::Ask,
        }
    }

    pub fn choice(&self) -> Choice {
        self.choice
    }

    fn login_as(&self) -> String {
        self.request
            .login_users
            .get(self.login_user)
            .cloned()
            .unwrap_or_else(|| "Admin".to_string())
    }

    pub fn answer(&self) -> CertificateAnswer {
        let allow_personal_data = self.personal_data;
        match self.choice {
            Choice::No => CertificateAnswer::No,
            Choice::PromptEachTime => CertificateAnswer::PromptEachTime {
                allow_personal_data,
            },
            Choice::WhenOpen => CertificateAnswer::WhenOpen {
                allow_personal_data,
            },
            Choice::Always => CertificateAnswer::Always {
                login_as: self.login_as(),
                allow_personal_data,
            },
        }
    }

    fn focus_order(&self) -> Vec<Focus> {
        let mut f = vec![Focus::Choices];
        if self.choice == Choice::Always {
            f.push(Focus::LoginAs);
        }
        f.push(Focus::PersonalData);
        f.push(Focus::Continue);
        f
    }

    fn move_focus(&mut self, forward: bool) {
        let order = self.focus_order();
        let i = order.iter().position(|&f| f == self.focus).unwrap_or(0);
        let n = order.len();
        self.focus = order[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    fn finish(&mut self, cx: &mut Cx) {
        let answer = self.answer();
        let granted = answer != CertificateAnswer::No;
        if let Some(r) = self.reply.take() {
            r.send(Some(answer));
        }
        cx.close_modal();
        cx.intent(Intent::AccessAnswered { granted });
    }

    fn confirm_dialog(&self) -> Dialog<Step> {
        let how = match self.choice {
            Choice::PromptEachTime => "QuickBooks will ask you each time custsync connects.",
            Choice::WhenOpen => {
                "custsync may read and change this company file whenever it is open in QuickBooks."
            }
            _ => {
                "custsync may read and change this company file at any time, even when QuickBooks is not running."
            }
        };
        Dialog::confirm(
            "QuickBooks – Application Certificate",
            &format!(
                "You are allowing \"{}\" to access {}.\n\n{how}\n\nAre you sure you want to allow \
                 access?",
                self.request.app_name, self.request.company_file
            ),
            Step::Yes,
            Step::Back,
        )
    }

    fn granted_dialog(&self) -> Dialog<Step> {
        let mut body = format!(
            "Access granted.\n\nApplication: {}\nCompany file: {}\nAccess: {}",
            self.request.app_name,
            self.request.company_file,
            self.choice.label()
        );
        if self.choice == Choice::Always {
            body.push_str(&format!("\nLogin as: {}", self.login_as()));
        }
        body.push_str(&format!(
            "\nPersonal data: {}",
            if self.personal_data {
                "allowed"
            } else {
                "not allowed"
            }
        ));
        body.push_str(
            "\n\nYou can change this later in QuickBooks: Edit → Preferences → Integrated \
             Applications → Company Preferences.",
        );
        Dialog::done("Access Confirmation", &body, Step::Done)
    }

    fn update_ask(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        let Some(a) = msg.action() else {
            return false;
        };
        match (a, self.focus) {
            // Esc is no answer: QuickBooks records nothing, and asks again next time.
            (Action::Back, _) => {
                if let Some(r) = self.reply.take() {
                    r.send(None);
                }
                cx.close_modal();
                cx.intent(Intent::CertificateDismissed);
            }
            (Action::Submit, _) => {
                if self.choice == Choice::No {
                    self.finish(cx);
                } else {
                    self.stage = Stage::Confirm(self.confirm_dialog());
                }
            }
            (Action::FocusNext, _) => self.move_focus(true),
            (Action::FocusPrev, _) => self.move_focus(false),
            (Action::Up | Action::Down, Focus::Choices) => {
                let i = Choice::ALL
                    .iter()
                    .position(|&c| c == self.choice)
                    .unwrap_or(0);
                let n = Choice::ALL.len();
                let j = if a == Action::Down {
                    (i + 1).min(n - 1)
                } else {
                    i.saturating_sub(1)
                };
                self.choice = Choice::ALL[j];
            }
            (Action::Up, _) => self.move_focus(false),
            (Action::Down, _) => self.move_focus(true),
            (Action::Toggle, Focus::PersonalData) => self.personal_data = !self.personal_data,
            (Action::Toggle, Focus::Continue) => {
                return self.update_ask(&Msg::Action(Action::Submit), cx);
            }
            (Action::Left | Action::Right | Action::Toggle, Focus::LoginAs) => {
                let n = self.request.login_users.len().max(1);
                self.login_user = if a == Action::Left {
                    (self.login_user + n - 1) % n
                } else {
                    (self.login_user + 1) % n
                };
            }
            _ => return false,
        }
        true
    }

    /// The question's paragraphs: (marker, text, what the paragraph is). A paragraph wraps
    /// under its own text, so a long choice stays clear of the radio buttons.
    fn ask_lines(&self) -> Vec<(String, String, Part)> {
        let mut out = Vec::new();
        let text = |s: String| (String::new(), s, Part::Text);
        out.push(text(format!(
            "An application without a certificate is requesting access to the following \
             QuickBooks company file: {}",
            self.request.company_file
        )));
        out.push(text(format!("Application name: {}", self.request.app_name)));
        out.push(text(String::new()));
        out.push(text(
            "Do you want to allow this application to read and modify this company file?".into(),
        ));
        for c in Choice::ALL {
            let g = if c == self.choice {
                glyph::RADIO_ON
            } else {
                glyph::RADIO_OFF
            };
            out.push((format!("  {g} "), c.label().to_string(), Part::Choice(c)));
            if c == Choice::Always && self.choice == Choice::Always {
                out.push((
                    " ".repeat(8),
                    format!("Login as: ‹ {} ›", self.login_as()),
                    Part::LoginAs,
                ));
            }
        }
        out.push(text(String::new()));
        let g = if self.personal_data {
            glyph::CHECKED
        } else {
            glyph::UNCHECKED
        };
        out.push((
            format!("{g} "),
            "Allow this application to access personal data such as Social Security Numbers \
             and customer credit card information."
                .into(),
            Part::PersonalData,
        ));
        if self.request.personal_data_requested {
            out.push((
                " ".repeat(4),
                "(This application asked for personal data.)".into(),
                Part::Text,
            ));
        }
        out
    }

    /// The paragraph of [`CertificateModal::ask_lines`] that has focus (the last for the
    /// button).
    fn focused_part(&self) -> usize {
        let lines = self.ask_lines();
        lines
            .iter()
            .position(|(_, _, part)| match *part {
                Part::Choice(c) => self.focus == Focus::Choices && c == self.choice,
                Part::LoginAs => self.focus == Focus::LoginAs,
                Part::PersonalData => self.focus == Focus::PersonalData,
                Part::Text => false,
            })
            .unwrap_or(lines.len().saturating_sub(1))
    }

    fn ask(&self, theme: &Theme) -> Hanging<'static> {
        self.ask_lines()
            .into_iter()
            .fold(Hanging::new(), |h, (marker, text, part)| {
                let focused = match part {
                    Part::Choice(c) => self.focus == Focus::Choices && c == self.choice,
                    Part::LoginAs => self.focus == Focus::LoginAs,
                    Part::PersonalData => self.focus == Focus::PersonalData,
                    Part::Text => false,
                };
                let style = if focused { theme.cursor } else { theme.base };
                h.item(marker, TextLine::from(text), style)
            })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Text,
    Choice(Choice),
    LoginAs,
    PersonalData,
}

impl Component for CertificateModal {
    fn title(&self) -> String {
        "QuickBooks – Application Certificate".into()
    }

    fn contexts(&self) -> Vec<Context> {
        match &self.stage {
            Stage::Ask => vec![Context::Choice],
            Stage::Confirm(d) | Stage::Granted(d) => vec![d.context()],
        }
    }

    fn awaits_answer(&self) -> bool {
        self.reply.is_some()
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        let area = cx.area;
        match &mut self.stage {
            Stage::Ask => self.update_ask(msg, cx),
            Stage::Confirm(d) => match d.handle(msg, area) {
                DialogOutcome::Pressed(Step::Yes) => {
                    self.stage = Stage::Granted(self.granted_dialog());
                    true
                }
                DialogOutcome::Pressed(_) => {
                    self.stage = Stage::Ask;
                    true
                }
                DialogOutcome::Changed => true,
                DialogOutcome::Ignored => false,
            },
            Stage::Granted(d) => match d.handle(msg, area) {
                DialogOutcome::Pressed(_) => {
                    self.finish(cx);
                    true
                }
                DialogOutcome::Changed => true,
                DialogOutcome::Ignored => false,
            },
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        match &self.stage {
            Stage::Confirm(d) | Stage::Granted(d) => return d.render(area, buf, theme),
            Stage::Ask => {}
        }
        let width = 78.min(area.width);
        let ask = self.ask(theme);
        // The paragraphs, the button and the borders; on a short screen the paragraphs scroll
        // so the focused choice or checkbox is always in view.
        let text_w = width.saturating_sub(4);
        let height = ask.height(text_w).saturating_add(3);
        let outer = modal_area(area, width, height);
        clear_modal(outer, area, buf);
        let mut block = panel()
            .border_style(theme.border_focused)
            .title(" QuickBooks – Application Certificate ")
            .title_style(theme.title);
        let [text, button] = block.inner(outer).layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
        ]));
        let first = ask.first_showing(self.focused_part(), text.width, text.height);
        let ask = ask.scrolled(first);
        let (first, whole) = ask.window(text.width, text.height);
        if first + whole < ask.len() || first > 0 {
            block = block.title_bottom(TextLine::styled(" ↑↓ more ", theme.hint).right_aligned());
        }
        block.render(outer, buf);
        ask.render(text, buf);
        let style = if self.focus == Focus::Continue {
            theme.button_focused
        } else {
            theme.button
        };
        TextLine::from(Span::styled("[ Continue ]", style))
            .right_aligned()
            .render(button, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::tui::component::Effect;
    use std::path::Path;

    fn request() -> CertificateRequest {
        CertificateRequest {
            app_name: "custsync".into(),
            company_file: "/data/Acme.QBW".into(),
            login_users: vec!["Admin".into(), "Clerk".into()],
            personal_data_requested: false,
        }
    }

    fn press(m: &mut CertificateModal, actions: &[Action]) -> Vec<Intent> {
        let config = Config::default();
        let mut intents = Vec::new();
        for a in actions {
            let mut cx = Cx::new(&config, Path::new("/"), Rect::new(0, 0, 80, 24));
            m.update(&Msg::Action(*a), &mut cx);
            for e in cx.into_effects() {
                if let Effect::Intent(i) = e {
                    intents.push(i);
                }
            }
        }
        intents
    }

    #[test]
    fn yes_always_as_clerk_goes_through_confirmation_and_done() {
        let (reply, answer) = Reply::channel();
        let mut m = CertificateModal::new(request(), reply);
        use Action::*;
        let intents = press(
            &mut m,
            &[
                Down, Down, Down, FocusNext, Right, FocusNext, Toggle, Submit,
            ],
        );
        assert!(intents.is_empty());
        assert!(
            answer.try_recv().is_err(),
            "nothing answered before Yes and Done"
        );
        let intents = press(&mut m, &[Yes, Submit]);
        assert_eq!(intents, vec![Intent::AccessAnswered { granted: true }]);
        assert_eq!(
            answer.try_recv().unwrap(),
            Some(CertificateAnswer::Always {
                login_as: "Clerk".into(),
                allow_personal_data: true
            })
        );
        assert!(!m.awaits_answer());
    }

    #[test]
    fn esc_closes_the_question_without_an_answer() {
        let (reply, answer) = Reply::channel();
        let mut m = CertificateModal::new(request(), reply);
        let intents = press(&mut m, &[Action::Down, Action::Back]);
        assert_eq!(intents, vec![Intent::CertificateDismissed]);
        assert_eq!(answer.try_recv().unwrap(), None);
        assert!(!m.awaits_answer());
    }

    #[test]
    fn continue_on_the_default_is_no_and_no_at_confirmation_goes_back() {
        let (reply, answer) = Reply::channel();
        let mut m = CertificateModal::new(request(), reply);
        use Action::*;
        press(&mut m, &[Down, Down, Submit, No]);
        assert_eq!(m.choice(), Choice::WhenOpen);
        assert!(answer.try_recv().is_err());
        press(&mut m, &[Up, Up]);
        let intents = press(&mut m, &[Submit]);
        assert_eq!(intents, vec![Intent::AccessAnswered { granted: false }]);
        assert_eq!(answer.try_recv().unwrap(), Some(CertificateAnswer::No));
    }
}
