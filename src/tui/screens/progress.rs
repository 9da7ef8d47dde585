//! The run in progress: a bar per phase, and a way to stop between batches.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Widget};

use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::widgets::progress::RunProgress;
use crate::tui::widgets::{centered, inside_box, put};
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
        let h = (self.progress.height() + 6).max(9);
        let outer = centered(area, 72, h);
        Block::bordered()
            .border_style(theme.border_focused)
            .title(" Synchronizing ")
            .title_style(theme.title)
            .render(outer, buf);
        let inner = inside_box(outer);
        if self.progress.phases().is_empty() {
            put(buf, inner.x, inner.y, inner.width, "Starting…", theme.hint);
        }
        self.progress.render(
            Rect {
                height: inner.height.saturating_sub(2),
                ..inner
            },
            buf,
            theme,
        );
        let last = inner.y + inner.height.saturating_sub(1);
        let (text, style) = if self.progress.cancelling {
            ("Stopping after the current batch…", theme.warning)
        } else {
            (
                "Esc or c stops after the current batch; nothing sent is lost.",
                theme.hint,
            )
        };
        put(buf, inner.x, last, inner.width, text, style);
    }
}
