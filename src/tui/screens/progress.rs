//! The run in progress: a bar per phase, and a way to stop between batches.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;

use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::widgets::progress::RunProgress;
use crate::tui::widgets::{cut, modal_area, panel};
use crate::tui::worker::{Command, Event};

#[derive(Default)]
pub struct ProgressScreen {
    progress: RunProgress,
}

impl ProgressScreen {
    pub fn new() -> ProgressScreen {
        ProgressScreen::default()
    }
}

impl Component for ProgressScreen {
    fn title(&self) -> String {
        "Synchronizing".into()
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Progress]
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        if msg.action() == Some(Action::CancelRun) && !self.progress.cancelling {
            self.progress.cancelling = true;
            cx.send(Command::CancelRun);
            return true;
        }
        false
    }

    fn on_event(&mut self, ev: Event, _cx: &mut Cx) -> Option<Event> {
        match ev {
            Event::Progress(p) => {
                self.progress.update(p);
                None
            }
            other => Some(other),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let outer = modal_area(area, 72, (self.progress.height() + 6).max(9));
        let block = panel()
            .border_style(theme.border_focused)
            .title(" Synchronizing ")
            .title_style(theme.title);
        let inner = block.inner(outer);
        block.render(outer, buf);
        let [phases, _, hint] = inner.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ]));
        if self.progress.phases().is_empty() {
            cut("Starting…", phases.width, theme.hint).render(phases, buf);
        }
        self.progress.render(phases, buf, theme);
        let (text, style) = if self.progress.cancelling {
            ("Stopping after the current batch…", theme.warning)
        } else {
            (
                "Esc stops after the current batch; nothing sent is lost.",
                theme.hint,
            )
        };
        cut(text, hint.width, style).render(hint, buf);
    }
}
