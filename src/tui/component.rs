//! What every screen and modal is: a component that answers messages by changing its own state
//! and asking for effects, and draws itself from that state.
//!
//! Components never call each other or the back end. They push [`Effect`]s (send a command,
//! open a screen or a modal, hand an [`Intent`] to whoever owns it) and the app applies them.

use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::Msg;
use super::keymap::Context;
use super::theme::Theme;
use super::view::{CheckedRows, HistoryId, PickFor, QbState, Resolution, RowId, SandboxFix};
use super::worker::{Command, Event, Task};
use crate::config::Config;

/// A decision a dialog hands back, or a request a component makes of whoever owns the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Nothing to do (an OK button).
    Dismiss,
    Quit,
    /// Start synchronizing: connect and read the company.
    Connect,
    /// The certificate dialog was answered (and the answer already sent to QuickBooks).
    AccessAnswered {
        granted: bool,
    },
    /// The certificate dialog was closed without an answer (nothing was sent to QuickBooks).
    CertificateDismissed,
    /// "Synchronize now?" after first access.
    SyncNow(bool),
    /// "Is this the right company?"
    CompanyConfirmed(bool),
    /// "Show Missing Customers Only?"
    MissingOnly(bool),
    /// Leave the synchronize flow without doing anything.
    CancelSync,
    /// The run confirmation said Yes. `not_checked` names the rows that could not be checked
    /// (and why), for the report.
    StartRun {
        rows: CheckedRows,
        not_checked: Vec<String>,
    },
    /// Compare both sides again, keeping the panes and their checks; `read_all` reads every
    /// QuickBooks customer instead of only what changed.
    Replan {
        read_all: bool,
    },
    /// The panes took a new comparison in place; where each customer stands now.
    PanesRefreshed(Vec<(String, QbState)>),
    /// The run's report was read: the synchronize flow is over.
    CloseReport,
    /// A way out chosen for a row QuickBooks changed underneath: done at once, then compared
    /// again.
    Resolve {
        row: RowId,
        how: Resolution,
    },
    /// "Add to QuickBooks again…" was chosen: ask, naming the risk.
    AddAgain {
        row: RowId,
        risk: String,
    },
    /// The operator confirmed adding the row again: it may be checked now.
    AddAgainConfirmed(RowId),
    DeleteCustomer(String),
    /// A customer form saved (the screen below it may want to look again).
    CustomerSaved,
    /// Leave the current screen without saving.
    DiscardChanges,
    /// The file picker chose a file.
    FileChosen(PathBuf),
    /// Names picked from one of QuickBooks' lists for a field.
    Picked {
        what: PickFor,
        values: Vec<String>,
    },
    Undo(HistoryId),
    /// Make a change to the sandbox company (a button in an explanation).
    ApplyFix(SandboxFix),
    OpenSetup,
    /// Stop waiting for the Web Connector.
    StopWaiting,
}

/// How a status-line message reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Warning,
    Error,
}

/// What a component asks the app to do.
pub enum Effect {
    Send(Command),
    /// Open a screen on top of the current one.
    Push(Box<dyn Component>),
    /// Close the current screen.
    Pop,
    Modal(Box<dyn Component>),
    /// Close the topmost modal.
    CloseModal,
    Intent(Intent),
    Status(Tone, String),
}

/// The context a component updates in: read access to shared state, and the effects it asks
/// for.
pub struct Cx<'a> {
    pub config: &'a Config,
    pub workspace: &'a Path,
    /// Where this component was last drawn (for mouse clicks).
    pub area: Rect,
    effects: Vec<Effect>,
}

impl<'a> Cx<'a> {
    pub fn new(config: &'a Config, workspace: &'a Path, area: Rect) -> Cx<'a> {
        Cx {
            config,
            workspace,
            area,
            effects: Vec::new(),
        }
    }

    pub fn into_effects(self) -> Vec<Effect> {
        self.effects
    }

    pub fn send(&mut self, c: Command) {
        self.effects.push(Effect::Send(c));
    }

    pub fn push(&mut self, screen: impl Component + 'static) {
        self.effects.push(Effect::Push(Box::new(screen)));
    }

    pub fn pop(&mut self) {
        self.effects.push(Effect::Pop);
    }

    pub fn modal(&mut self, m: impl Component + 'static) {
        self.effects.push(Effect::Modal(Box::new(m)));
    }

    pub fn close_modal(&mut self) {
        self.effects.push(Effect::CloseModal);
    }

    pub fn intent(&mut self, i: Intent) {
        self.effects.push(Effect::Intent(i));
    }

    pub fn status(&mut self, tone: Tone, text: impl Into<String>) {
        self.effects.push(Effect::Status(tone, text.into()));
    }
}

/// A screen or a modal.
pub trait Component {
    /// What the operator is looking at, for the header and the help overlay.
    fn title(&self) -> String;

    /// The key-map contexts that apply, innermost first.
    fn contexts(&self) -> Vec<Context>;

    /// Whether a text field has focus (it then takes the keys that edit text).
    fn captures_text(&self) -> bool {
        false
    }

    /// Handles a message; returns whether anything visible changed.
    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool;

    /// Takes a worker event meant for it, or gives it back.
    fn on_event(&mut self, ev: Event, _cx: &mut Cx) -> Option<Event> {
        Some(ev)
    }

    /// Takes an intent meant for it, or gives it back.
    fn on_intent(&mut self, intent: Intent, _cx: &mut Cx) -> Option<Intent> {
        Some(intent)
    }

    /// Whether letters no binding claims are typed ahead (a list that jumps to names).
    fn types_ahead(&self) -> bool {
        false
    }

    /// What leaving now would lose (unsaved changes, checked rows), in words for the question
    /// asked before quitting; `None` when nothing would be lost.
    fn unsaved(&self) -> Option<String> {
        None
    }

    /// Whether this modal is the question asked before quitting (a second Ctrl-C there quits).
    fn confirms_quit(&self) -> bool {
        false
    }

    /// Whether the worker is blocked until this component answers (a QuickBooks question).
    fn awaits_answer(&self) -> bool {
        false
    }

    /// Whether this modal only stands for `task` in progress and goes once it is answered.
    fn closes_when(&self, _task: Task) -> bool {
        false
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme);
}
