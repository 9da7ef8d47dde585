//! The application state: the screen stack (Maintain Customer at the bottom), the modal stack on
//! top, routing of keys along the focus chain, and the synchronize flow between screens.
//!
//! The app does no I/O. It turns input and worker events into state changes and queues
//! [`Command`]s; the runtime (`super::run`) hands those to the worker and draws when something
//! changed.

use std::path::PathBuf;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    Event as TermEvent, KeyEvent, KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::action::{Action, Msg};
use super::component::{Component, Cx, Effect, Intent, Tone};
use super::flow::{Connecting, SyncFlow};
use super::keymap::{Chain, Context, Key, KeyMap, Resolved};
use super::screens::certificate::CertificateModal;
use super::screens::dialogs::{self, HelpModal, PermissionModal};
use super::screens::maintain::MaintainScreen;
use super::screens::progress::ProgressScreen;
use super::screens::setup::SetupScreen;
use super::screens::sync::SyncScreen;
use super::screens::waiting::WaitModal;
use super::theme::{Glyphs, Theme, glyph};
use super::widgets::help::HelpOverlay;
use super::widgets::{cut, footer};
use super::worker::{Command, Event, Task};
use crate::config::Config;

/// Below this the screens cannot be laid out; the app says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

pub struct App {
    config: Config,
    workspace: PathBuf,
    theme: Theme,
    keymap: KeyMap,
    home: MaintainScreen,
    screens: Vec<Box<dyn Component>>,
    modals: Vec<Box<dyn Component>>,
    outbox: Vec<Command>,
    /// Tasks sent and not yet answered.
    pending: Vec<Task>,
    status: Option<(Tone, String)>,
    flow: Option<SyncFlow>,
    quit: bool,
    /// The whole terminal at the last draw (for mouse hit tests).
    size: Rect,
}

impl App {
    /// A new app on `config`; it asks for the customer list at once.
    pub fn new(config: Config, workspace: PathBuf, theme: Theme) -> App {
        let mut app = App {
            home: MaintainScreen::new(&config),
            config,
            workspace,
            theme,
            keymap: KeyMap::default(),
            screens: Vec::new(),
            modals: Vec::new(),
            outbox: Vec::new(),
            pending: Vec::new(),
            status: None,
            flow: None,
            quit: false,
            size: Rect::new(0, 0, 80, 24),
        };
        app.send(Command::LoadCustomers);
        app.send(Command::LoadSandboxStatus);
        app
    }

    /// Shows a modal over whatever is open (e.g. a problem found before the app started).
    pub fn show(&mut self, modal: Box<dyn Component>) {
        self.modals.push(modal);
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The commands queued since the last call, for the runtime to hand to the worker.
    pub fn take_commands(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.outbox)
    }

    pub fn has_commands(&self) -> bool {
        !self.outbox.is_empty()
    }

    /// Tasks sent and not answered yet.
    pub fn pending(&self) -> &[Task] {
        &self.pending
    }

    /// Whether the worker is blocked until the operator answers a question on screen.
    pub fn waiting_for_operator(&self) -> bool {
        self.modals.iter().any(|m| m.awaits_answer())
    }

    fn send(&mut self, c: Command) {
        if let Some(t) = c.task() {
            self.pending.push(t);
        }
        self.outbox.push(c);
    }

    fn top(&self) -> &dyn Component {
        match self.screens.last() {
            Some(s) => s.as_ref(),
            None => &self.home,
        }
    }

    /// The focus chain keys resolve along.
    pub fn chain(&self) -> Chain {
        if let Some(m) = self.modals.last() {
            let mut c = m.contexts();
            c.push(Context::Always);
            return Chain::new(c, m.captures_text()).with_type_ahead(m.types_ahead());
        }
        let s = self.top();
        let text = s.captures_text();
        let mut c = s.contexts();
        if !text {
            c.push(Context::Global);
        }
        c.push(Context::Always);
        Chain::new(c, text)
    }

    /// The footer's hints for where the operator is.
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        self.keymap.hints(&self.chain())
    }

    /// Handles one terminal event; returns whether the screen needs drawing.
    pub fn handle_terminal(&mut self, ev: TermEvent) -> bool {
        match ev {
            TermEvent::Key(k) => self.handle_key(k),
            TermEvent::Paste(text) => self.dispatch(Msg::Paste(text)),
            TermEvent::Resize(w, h) => {
                self.size = Rect::new(0, 0, w, h);
                true
            }
            TermEvent::Mouse(m) => match m.kind {
                MouseEventKind::Down(MouseButton::Left) => self.dispatch(Msg::Click {
                    column: m.column,
                    row: m.row,
                }),
                MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                    self.dispatch(Msg::Wheel {
                        down: m.kind == MouseEventKind::ScrollDown,
                        column: m.column,
                        row: m.row,
                    })
                }
                _ => false,
            },
            _ => false,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        // Esc and a key typed quickly after it (or over a slow link) arrive as one Alt-key:
        // take it as the two keys the operator pressed.
        if key.modifiers == KeyModifiers::ALT {
            let plain = KeyEvent::new(key.code, KeyModifiers::NONE);
            if Key::from_event(&plain).is_some() {
                let esc = self.handle_key(Key::Esc.event());
                return self.handle_key(plain) || esc;
            }
        }
        let Some(k) = Key::from_event(&key) else {
            return false;
        };
        match self.keymap.resolve(&self.chain(), k) {
            Resolved::Nothing => false,
            Resolved::Text => self.dispatch(Msg::Text(key)),
            // Ctrl-C in the question before quitting: the operator means it.
            Resolved::Action(Action::ForceQuit)
                if self.modals.last().is_some_and(|m| m.confirms_quit()) =>
            {
                self.quit = true;
                true
            }
            Resolved::Action(Action::ForceQuit | Action::Quit) => {
                self.quit_or_ask();
                true
            }
            Resolved::Action(Action::Help) => {
                self.open_help();
                true
            }
            Resolved::Action(a) => self.dispatch(Msg::Action(a)),
        }
    }

    /// Quits, or first asks when quitting would lose something: a run in progress, unsaved
    /// changes, checked rows.
    fn quit_or_ask(&mut self) {
        let mut losses = Vec::new();
        if self.pending.contains(&Task::Run) {
            losses.push(
                "The synchronization in progress: it stops after the current batch; the next \
                 run finishes what was sent."
                    .to_string(),
            );
        }
        let screens = std::iter::once(&self.home as &dyn Component)
            .chain(self.screens.iter().map(|s| s.as_ref()));
        losses.extend(screens.filter_map(|s| s.unsaved()));
        if losses.is_empty() {
            self.quit = true;
        } else {
            self.modals.push(Box::new(dialogs::quit(losses)));
        }
    }

    fn open_help(&mut self) {
        let place = self
            .modals
            .last()
            .map(|m| m.title())
            .unwrap_or_else(|| self.top().title());
        let sections = self.keymap.help(&self.chain());
        self.modals
            .push(Box::new(HelpModal(HelpOverlay::new(place, sections))));
    }

    /// Layout of the whole screen: header, body, status line (as many lines as the message
    /// needs, up to three, so it is never cut), footer; modals go between header and footer.
    fn areas(&self, size: Rect) -> Areas {
        let status_h = self.status.as_ref().map_or(1, |(tone, text)| {
            let lines =
                status_paragraph(*tone, text, &self.theme).line_count(size.width.saturating_sub(1));
            u16::try_from(lines).unwrap_or(u16::MAX).clamp(1, 3)
        });
        let [header, body, status, footer] = size.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(status_h),
            Constraint::Length(1),
        ]));
        let modals = Rect {
            y: header.bottom(),
            height: footer.y.saturating_sub(header.bottom()),
            ..size
        };
        Areas {
            header,
            body,
            status,
            footer,
            modals,
        }
    }

    /// Gives a message to the modal on top, else to the screen on top.
    fn dispatch(&mut self, msg: Msg) -> bool {
        // A new key press replaces an old message; it stays until then.
        if matches!(msg, Msg::Action(_) | Msg::Text(_)) {
            self.status = None;
        }
        let areas = self.areas(self.size);
        let mut cx = Cx::new(&self.config, &self.workspace, areas.body);
        let changed = if let Some(m) = self.modals.last_mut() {
            cx.area = areas.modals;
            m.update(&msg, &mut cx)
        } else if let Some(s) = self.screens.last_mut() {
            s.update(&msg, &mut cx)
        } else {
            self.home.update(&msg, &mut cx)
        };
        let effects = cx.into_effects();
        let had_effects = !effects.is_empty();
        self.apply(effects);
        changed || had_effects
    }

    fn apply(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Send(c) => self.send(c),
                Effect::Push(s) => self.screens.push(s),
                Effect::Pop => {
                    self.screens.pop();
                }
                Effect::Modal(m) => self.modals.push(m),
                Effect::CloseModal => {
                    self.modals.pop();
                }
                Effect::Intent(i) => self.on_intent(i),
                Effect::Status(tone, text) => self.status = Some((tone, text)),
            }
        }
    }

    /// Runs `f` on the screen on top with a fresh context and applies its effects.
    fn with_top<R>(&mut self, f: impl FnOnce(&mut dyn Component, &mut Cx) -> R) -> R {
        let body = self.areas(self.size).body;
        let mut cx = Cx::new(&self.config, &self.workspace, body);
        let r = match self.screens.last_mut() {
            Some(s) => f(s.as_mut(), &mut cx),
            None => f(&mut self.home, &mut cx),
        };
        let effects = cx.into_effects();
        self.apply(effects);
        r
    }

    fn on_intent(&mut self, intent: Intent) {
        match intent {
            Intent::Dismiss => {}
            Intent::Quit => self.quit = true,
            Intent::Connect => {
                if self.pending.contains(&Task::Connect) || self.flow.is_some() {
                    self.status = Some((Tone::Info, "Already connecting to QuickBooks…".into()));
                    return;
                }
                self.flow = Some(Connecting::start().into());
                self.status = Some((Tone::Info, "Connecting to QuickBooks…".into()));
                self.send(Command::Connect);
            }
            Intent::AccessAnswered { granted } => self.advance(|_, flow| match flow {
                SyncFlow::Certificate(c) => Some(c.answered(granted).into()),
                other => Some(other),
            }),
            Intent::CertificateDismissed => self.advance(|_, flow| match flow {
                SyncFlow::Certificate(c) => Some(c.dismissed().into()),
                other => Some(other),
            }),
            Intent::SyncNow(yes) => self.advance(|app, flow| match flow {
                SyncFlow::SyncNow(s) if yes => {
                    app.modals
                        .push(Box::new(dialogs::company_confirmation(s.company())));
                    Some(s.yes().into())
                }
                SyncFlow::SyncNow(_) => {
                    let setup = SetupScreen::new(&app.config);
                    app.screens.push(Box::new(setup));
                    None
                }
                other => Some(other),
            }),
            Intent::CompanyConfirmed(yes) => self.advance(|app, flow| match flow {
                SyncFlow::ConfirmCompany(c) if yes => {
                    app.modals.push(Box::new(dialogs::missing_only()));
                    Some(c.yes().into())
                }
                SyncFlow::ConfirmCompany(_) => {
                    app.status = Some((
                        Tone::Info,
                        "Nothing was changed. Check File Info (or SetUp) and synchronize again."
                            .into(),
                    ));
                    None
                }
                other => Some(other),
            }),
            Intent::MissingOnly(missing_only) => self.advance(|app, flow| match flow {
                SyncFlow::MissingOnly(q) => {
                    app.status = Some((Tone::Info, "Comparing SMSTurbo and QuickBooks…".into()));
                    app.send(Command::Plan {
                        missing_only,
                        read_all: false,
                    });
                    Some(q.answered(missing_only).into())
                }
                other => Some(other),
            }),
            Intent::CancelSync => {
                self.end_flow();
                self.screens.clear();
                self.status = Some((
                    Tone::Info,
                    "Synchronize cancelled; nothing was changed.".into(),
                ));
            }
            Intent::StartRun { rows, not_checked } => self.advance(|app, flow| match flow {
                SyncFlow::Selecting(s) => {
                    app.screens.push(Box::new(ProgressScreen::new()));
                    app.send(Command::Run(rows));
                    Some(s.run(not_checked).into())
                }
                other => Some(other),
            }),
            Intent::Replan { read_all } => self.advance(|app, flow| match flow {
                SyncFlow::Selecting(s) => {
                    let planning = s.replan();
                    let status = if read_all {
                        "Reading every QuickBooks customer again…"
                    } else {
                        "Comparing again…"
                    };
                    app.status = Some((Tone::Info, status.into()));
                    app.send(Command::Plan {
                        missing_only: planning.missing_only(),
                        read_all,
                    });
                    Some(planning.into())
                }
                other => Some(other),
            }),
            Intent::PanesRefreshed(states) => self.advance(|app, flow| match flow {
                SyncFlow::Planning(p) if p.in_place() => {
                    app.home.note_comparison(&states);
                    // What asked for the comparison may have said something worth keeping.
                    if matches!(app.status, None | Some((Tone::Info, _))) {
                        app.status = Some((Tone::Success, "Compared again; checks kept.".into()));
                    }
                    Some(p.ready().into())
                }
                other => Some(other),
            }),
            Intent::CloseReport => self.advance(|_, flow| match flow {
                SyncFlow::Report(_) => None,
                other => Some(other),
            }),
            Intent::ApplyFix(fix) => self.send(Command::ApplyFix(fix)),
            Intent::OpenSetup => {
                self.screens.clear();
                let setup = SetupScreen::new(&self.config);
                self.screens.push(Box::new(setup));
            }
            Intent::StopWaiting => self.advance(|app, flow| match flow {
                SyncFlow::Waiting(w) => {
                    app.send(Command::CancelRun);
                    Some(w.stop().into())
                }
                other => Some(other),
            }),
            other => {
                let unclaimed = self.with_top(|s, cx| s.on_intent(other, cx));
                if let Some(i) = unclaimed {
                    // Only the home screen is left to ask (e.g. a file chosen on a screen that
                    // closed meanwhile).
                    let body = self.areas(self.size).body;
                    let mut cx = Cx::new(&self.config, &self.workspace, body);
                    let _ = self.home.on_intent(i, &mut cx);
                    let effects = cx.into_effects();
                    self.apply(effects);
                }
            }
        }
    }

    /// Moves the synchronize flow on: `step` gets the step it is at and returns the next one,
    /// or `None` when the flow ends there (the connection is then closed). Nothing happens
    /// outside a flow.
    fn advance(&mut self, step: impl FnOnce(&mut App, SyncFlow) -> Option<SyncFlow>) {
        let Some(flow) = self.flow.take() else {
            return;
        };
        self.flow = step(self, flow);
        if self.flow.is_none() {
            self.send(Command::Disconnect);
        }
    }

    /// Leaves the synchronize flow and closes the connection.
    fn end_flow(&mut self) {
        if self.flow.take().is_some() {
            self.send(Command::Disconnect);
        }
    }

    /// Handles one worker event; returns whether the screen needs drawing.
    pub fn handle_worker(&mut self, ev: Event) -> bool {
        if let Some(t) = ev.finishes() {
            if let Some(i) = self.pending.iter().position(|&p| p == t) {
                self.pending.remove(i);
            }
            // Modals that only stood for the task in progress.
            self.modals.retain(|m| !m.closes_when(t));
        }
        // Questions QuickBooks asks come first: the worker is blocked on them.
        let ev = match ev {
            Event::NeedCertificate(req, reply) => {
                self.status = None;
                self.modals
                    .push(Box::new(CertificateModal::new(req, reply)));
                self.advance(|_, flow| match flow {
                    SyncFlow::Connecting(c) => Some(c.asked().into()),
                    other => Some(other),
                });
                return true;
            }
            Event::NeedPermission {
                app_name,
                company_file,
                reply,
            } => {
                self.modals.push(Box::new(PermissionModal::new(
                    &app_name,
                    &company_file,
                    reply,
                )));
                return true;
            }
            Event::WaitingForWebConnector(w) => {
                self.status = None;
                self.modals.push(Box::new(WaitModal::new(&w)));
                self.advance(|_, flow| match flow {
                    SyncFlow::Connecting(c) => Some(c.waiting().into()),
                    other => Some(other),
                });
                return true;
            }
            other => other,
        };
        // Then whoever shows it: the modal on top, the screen on top, the home screen.
        let body = self.areas(self.size).body;
        let mut cx = Cx::new(&self.config, &self.workspace, body);
        let mut ev = Some(ev);
        if let Some(m) = self.modals.last_mut()
            && let Some(e) = ev.take()
        {
            ev = m.on_event(e, &mut cx);
        }
        if let Some(s) = self.screens.last_mut()
            && let Some(e) = ev.take()
        {
            ev = s.on_event(e, &mut cx);
        }
        if let Some(e) = ev.take() {
            ev = self.home.on_event(e, &mut cx);
        }
        let effects = cx.into_effects();
        self.apply(effects);
        if let Some(e) = ev {
            self.on_unclaimed(e);
        }
        true
    }

    /// Events no screen took: the flow's steps and failures.
    fn on_unclaimed(&mut self, ev: Event) {
        match ev {
            Event::ConfigSaved(c) => {
                self.config = *c;
                self.send(Command::LoadSandboxStatus);
            }
            Event::Connected(info) => {
                self.status = None;
                // The certificate answer may have changed what the sandbox allows.
                self.send(Command::LoadSandboxStatus);
                // A flow left while connecting lets go of the connection.
                if self.flow.is_none() {
                    self.send(Command::Disconnect);
                    return;
                }
                self.advance(|app, flow| {
                    let next: SyncFlow = match flow {
                        SyncFlow::Connecting(c) => c.connected(info).into(),
                        SyncFlow::Waiting(w) => w.connected(info).into(),
                        _ => return None,
                    };
                    match &next {
                        SyncFlow::SyncNow(_) => app.modals.push(Box::new(dialogs::sync_now())),
                        SyncFlow::ConfirmCompany(c) => app
                            .modals
                            .push(Box::new(dialogs::company_confirmation(c.company()))),
                        _ => {}
                    }
                    Some(next)
                });
            }
            Event::PlanReady(view) => self.advance(|app, flow| match flow {
                SyncFlow::Planning(p) => {
                    app.status = None;
                    app.home.note_comparison(&view.qb_states);
                    app.screens.clear();
                    let notices = view.notices.clone();
                    app.screens.push(Box::new(SyncScreen::new(*view)));
                    if !notices.is_empty() {
                        app.modals.push(Box::new(dialogs::notices(&notices)));
                    }
                    Some(p.ready().into())
                }
                // A comparison for a flow that moved on: nothing to show.
                other => Some(other),
            }),
            Event::Progress(p) => {
                // Reading and comparing before the panes open: the status line follows it.
                let of = if p.total > 0 {
                    format!(" {} of {}", p.done, p.total)
                } else {
                    String::new()
                };
                self.status = Some((Tone::Info, format!("{}…{of}", p.phase)));
            }
            Event::FixApplied { message, .. } => {
                self.send(Command::LoadSandboxStatus);
                self.modals.push(Box::new(dialogs::fix_applied(&message)));
            }
            Event::RunFinished(report) => self.advance(|app, flow| match flow {
                SyncFlow::Running(r) => {
                    app.screens.clear();
                    app.modals.clear();
                    app.modals.push(Box::new(dialogs::export_completed(
                        &report,
                        r.not_checked(),
                    )));
                    app.send(Command::LoadCustomers);
                    Some(r.finished().into())
                }
                other => Some(other),
            }),
            Event::Failed {
                during,
                explanation,
            } => {
                let stopped = during == Task::Connect
                    && self.flow.as_ref().is_some_and(SyncFlow::stopped_waiting);
                let dismissed = during == Task::Connect
                    && self.flow.as_ref().is_some_and(SyncFlow::question_dismissed);
                // A failed preview leaves the operator on the panes to try again; a failed
                // comparison or run has closed the connection, so the panes go too.
                if matches!(during, Task::Connect | Task::Plan | Task::Run) {
                    self.end_flow();
                    if matches!(during, Task::Plan | Task::Run) {
                        self.screens.clear();
                    }
                    if during == Task::Run {
                        self.send(Command::LoadCustomers);
                    }
                    self.send(Command::LoadSandboxStatus);
                }
                if stopped {
                    // The operator asked for it: no need for an error dialog.
                    self.status = Some((Tone::Info, explanation.what_happened));
                    return;
                }
                if dismissed {
                    self.status = Some((
                        Tone::Info,
                        "QuickBooks' question was closed without an answer, so nothing was \
                         recorded in QuickBooks and nothing was changed. Synchronize again to \
                         answer it."
                            .into(),
                    ));
                    return;
                }
                self.status = None;
                self.modals
                    .push(Box::new(dialogs::explanation(&explanation)));
            }
            Event::Rejected { errors, .. } => {
                let text = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                self.status = Some((Tone::Error, format!("Not saved: {text}")));
            }
            Event::QwcWritten(path) => {
                self.status = Some((Tone::Success, format!("Wrote {}.", path.display())));
            }
            Event::Undone { message, .. } => {
                self.status = Some((Tone::Success, message));
                self.send(Command::LoadCustomers);
            }
            // Late answers for screens that have closed: nothing to show.
            _ => {}
        }
    }

    /// Draws everything into `buf` (the whole terminal area).
    pub fn render(&mut self, buf: &mut Buffer) {
        self.size = buf.area;
        self.draw(buf);
        if self.theme.glyphs == Glyphs::Ascii {
            glyph::to_ascii(buf);
        }
    }

    fn draw(&self, buf: &mut Buffer) {
        let area = buf.area;
        let theme = &self.theme;
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let msg = format!(
                "Terminal too small ({}×{}). custsync needs at least {MIN_WIDTH}×{MIN_HEIGHT}; 80×24 or more is best.",
                area.width, area.height
            );
            Paragraph::new(msg)
                .style(theme.warning)
                .wrap(Wrap { trim: false })
                .render(area, buf);
            return;
        }
        let Areas {
            header,
            body,
            status,
            footer: foot,
            modals,
        } = self.areas(area);
        let crumbs = std::iter::once(self.home.title())
            .chain(self.screens.iter().map(|s| s.title()))
            .collect::<Vec<_>>()
            .join(" › ");
        let busy = self.pending.first().map_or("", |t| working(*t));
        // A cell either side, so it never runs into the path.
        let busy_w = if busy.is_empty() {
            0
        } else {
            busy.width() as u16 + 2
        };
        let [path, doing] = header.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(busy_w),
        ]));
        let crumbs = format!(" custsync · {crumbs}");
        cut(&crumbs, path.width, theme.title).render(path, buf);
        Line::styled(format!(" {busy} "), theme.hint).render(doing, buf);
        self.top().render(body, buf, theme);
        if let Some((tone, text)) = &self.status {
            let [_, lines] = status.layout(&Layout::horizontal([
                Constraint::Length(1),
                Constraint::Fill(1),
            ]));
            status_paragraph(*tone, text, theme).render(lines, buf);
        }
        for m in &self.modals {
            m.render(modals, buf, theme);
        }
        footer::render(foot, buf, theme, &self.hints());
    }
}

/// Where the parts of the screen go.
struct Areas {
    header: Rect,
    body: Rect,
    status: Rect,
    footer: Rect,
    /// Between header and footer: modals never hide the keys.
    modals: Rect,
}

/// The status line's message, wrapped, its tone shown by a glyph as well as by colour.
fn status_paragraph<'a>(tone: Tone, text: &'a str, theme: &Theme) -> Paragraph<'a> {
    let (glyph, style) = match tone {
        Tone::Info => ("", theme.hint),
        Tone::Success => ("✓ ", theme.ok),
        Tone::Warning => ("! ", theme.warning),
        Tone::Error => ("✗ ", theme.error),
    };
    Paragraph::new(Line::from(vec![Span::raw(glyph), Span::raw(text)]))
        .style(style)
        .wrap(Wrap { trim: false })
}

fn working(t: Task) -> &'static str {
    match t {
        Task::LoadCustomers => "loading customers…",
        Task::LoadCustomer => "opening the customer…",
        Task::SetSpellings => "saving the QuickBooks spelling…",
        Task::SaveCustomer => "saving…",
        Task::DeleteCustomer => "deleting…",
        Task::CustomerLinks => "",
        Task::SaveConfig => "saving setup…",
        Task::ListDir => "reading folder…",
        Task::Connect => "connecting to QuickBooks…",
        Task::Disconnect => "closing the connection…",
        Task::Plan => "comparing…",
        Task::Preview => "preparing…",
        Task::Resolve => "changing the link…",
        Task::Run => "synchronizing…",
        Task::History => "reading the journal…",
        Task::Undo => "undoing…",
        Task::RunEntries => "reading the run…",
        Task::QbLists => "",
        Task::WriteQwc => "writing .qwc…",
        Task::ApplyFix => "changing the sandbox…",
        Task::SandboxStatus => "",
        Task::SetPassword => "saving the password…",
    }
}
