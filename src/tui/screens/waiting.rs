//! "Waiting for the QuickBooks Web Connector…": shown while the connection waits for the Web
//! Connector's first call, with what to click on the QuickBooks computer, and a way to stop.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::qb::webconnector::WHAT_TO_CLICK;
use crate::tui::action::Msg;
use crate::tui::component::{Component, Cx, Intent};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::view::WebConnectorWait;
use crate::tui::widgets::dialog::{Dialog, DialogOutcome};
use crate::tui::worker::Task;

pub struct WaitModal {
    dialog: Dialog<()>,
    stopping: bool,
}

impl WaitModal {
    pub fn new(w: &WebConnectorWait) -> WaitModal {
        let file = if w.company_file.trim().is_empty() {
            "the company file".to_string()
        } else {
            w.company_file.clone()
        };
        // What to click is the Web Connector module's wording, shared by every front end.
        let body = format!(
            "custsync is ready for the Web Connector at {url} (user \"{user}\").\n\n\
             {WHAT_TO_CLICK} QuickBooks must be running there with {file} open.\n\n\
             First time? Add custsync to the Web Connector with its .qwc file (SetUp → Write \
             .qwc file) and type the password in its Password column.\n\n\
             custsync goes on by itself as soon as the Web Connector calls.",
            url = w.url,
            user = w.user_name,
        );
        WaitModal {
            dialog: Dialog::choice(
                "Waiting for the QuickBooks Web Connector…",
                &body,
                vec![("Stop waiting".into(), ())],
            ),
            stopping: false,
        }
    }
}

impl Component for WaitModal {
    fn title(&self) -> String {
        self.dialog.title.clone()
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Waiting]
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        match self.dialog.handle(msg, cx.area) {
            DialogOutcome::Ignored => false,
            DialogOutcome::Changed => true,
            DialogOutcome::Pressed(()) if !self.stopping => {
                self.stopping = true;
                self.dialog.title = "Stopping…".into();
                cx.intent(Intent::StopWaiting);
                true
            }
            DialogOutcome::Pressed(()) => false,
        }
    }

    fn closes_when(&self, task: Task) -> bool {
        task == Task::Connect
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        self.dialog.render(area, buf, theme);
    }
}
