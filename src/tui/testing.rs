//! Driving the app without a terminal: keys in, screen text and commands out. Used by the TUI
//! tests, the screenshot example and the benchmarks.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support (the test-support feature): a panic is a test failure"
)]

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    Event as TermEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use unicode_width::UnicodeWidthStr;

use super::app::App;
use super::fake::FakeBackend;
use super::keymap::Key;
use super::theme::Theme;
use super::worker::{Backend, Command, Event, Worker};
use crate::config::Config;

/// How long a test waits for the worker before calling it stuck.
const WORKER_TIMEOUT: Duration = Duration::from_secs(10);

/// The app on a worker and a test terminal. `H` is what the test keeps of the back end to look
/// at afterwards: the fake back end itself (it is shared), or for the real one whatever the test
/// needs to open the store and the sandbox company again.
pub struct Harness<H = FakeBackend> {
    pub app: App,
    theme: Theme,
    terminal: Terminal<TestBackend>,
    worker: Worker,
    events: Receiver<Event>,
    /// Every command the app sent, in order.
    pub sent: Vec<Command>,
    pub backend: H,
}

impl Harness<FakeBackend> {
    /// An app on `backend` (its config), `width`×`height`, with the plain theme, after the first
    /// load has settled.
    pub fn new(backend: FakeBackend, width: u16, height: u16) -> Harness {
        Harness::with_theme(backend, width, height, Theme::plain())
    }

    pub fn with_theme(backend: FakeBackend, width: u16, height: u16, theme: Theme) -> Harness {
        let config = backend.state().config.clone();
        Harness::start(
            backend.clone(),
            backend,
            config,
            PathBuf::from("/demo"),
            (width, height),
            theme,
        )
    }
}

impl<H> Harness<H> {
    /// An app on `backend` with `config`, in a terminal of `size`, after the first load has
    /// settled. `handle` is kept for the test.
    pub fn start<B: Backend + 'static>(
        backend: B,
        handle: H,
        config: Config,
        workspace: PathBuf,
        size: (u16, u16),
        theme: Theme,
    ) -> Harness<H> {
        let (tx, events) = mpsc::channel();
        let worker = Worker::spawn(backend, move |ev| {
            let _ = tx.send(ev);
        })
        .unwrap_or_else(|e| panic!("cannot start the worker thread: {e}"));
        let terminal = Terminal::new(TestBackend::new(size.0, size.1))
            .unwrap_or_else(|e| panic!("test terminal: {e}"));
        let mut h = Harness {
            app: App::new(config, workspace, theme),
            theme,
            terminal,
            worker,
            events,
            sent: Vec::new(),
            backend: handle,
        };
        h.settle();
        h
    }

    /// Hands queued commands to the worker and feeds its answers back until nothing is pending
    /// or the worker waits for the operator.
    pub fn settle(&mut self) {
        loop {
            for c in self.app.take_commands() {
                self.sent.push(c.clone());
                self.worker.send(c);
            }
            if self.app.pending().is_empty() || self.app.waiting_for_operator() {
                // Late events (e.g. after a question was answered) are taken next time.
                while let Ok(ev) = self.events.try_recv() {
                    self.app.handle_worker(ev);
                }
                if self.app.has_commands() {
                    continue;
                }
                return;
            }
            match self.events.recv_timeout(WORKER_TIMEOUT) {
                Ok(ev) => {
                    self.app.handle_worker(ev);
                }
                Err(e) => panic!(
                    "the worker did not answer ({e}); pending: {:?}",
                    self.app.pending()
                ),
            }
        }
    }

    /// Presses a key and lets the worker answer.
    pub fn press(&mut self, key: Key) -> &mut Harness<H> {
        self.app.handle_key(key.event());
        self.settle();
        self
    }

    pub fn keys(&mut self, keys: &[Key]) -> &mut Harness<H> {
        for &k in keys {
            self.press(k);
        }
        self
    }

    /// Types text, one key per character.
    pub fn type_text(&mut self, text: &str) -> &mut Harness<H> {
        for c in text.chars() {
            let k = if c == ' ' { Key::Space } else { Key::Char(c) };
            self.app.handle_key(k.event());
        }
        self.settle();
        self
    }

    pub fn click(&mut self, column: u16, row: u16) -> &mut Harness<H> {
        self.render();
        self.app.handle_terminal(TermEvent::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
        self.settle();
        self
    }

    /// Draws the app and returns the buffer.
    pub fn render(&mut self) -> Buffer {
        let app = &mut self.app;
        let frame = self
            .terminal
            .draw(|f| app.render(f.buffer_mut()))
            .unwrap_or_else(|e| panic!("draw: {e}"));
        frame.buffer.clone()
    }

    /// The screen as text, one line per row, trailing spaces cut.
    pub fn screen(&mut self) -> String {
        buffer_text(&self.render())
    }

    /// Whether the screen shows `text` somewhere.
    pub fn shows(&mut self, text: &str) -> bool {
        self.screen().contains(text)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.app.handle_terminal(TermEvent::Resize(width, height));
    }
}

/// A buffer as text, one line per row, trailing spaces cut.
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            // The cells a wide character covers hold nothing of their own.
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = sym.width().saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

impl<H> Harness<H> {
    pub fn app_theme(&self) -> Theme {
        self.theme
    }

    /// Presses a key and hands the commands to the worker without waiting for answers.
    pub fn press_nowait(&mut self, key: Key) {
        self.app.handle_key(key.event());
        for c in self.app.take_commands() {
            self.sent.push(c.clone());
            self.worker.send(c);
        }
    }

    /// Presses a key but keeps the commands from the worker (to feed made-up answers).
    pub fn press_offline(&mut self, key: Key) -> Vec<Command> {
        self.app.handle_key(key.event());
        let cmds = self.app.take_commands();
        self.sent.extend(cmds.iter().cloned());
        cmds
    }

    /// Waits for one worker event and handles it.
    pub fn pump_one(&mut self) {
        match self.events.recv_timeout(WORKER_TIMEOUT) {
            Ok(ev) => {
                self.app.handle_worker(ev);
            }
            Err(e) => panic!("no event from the worker: {e}"),
        }
    }

    /// Feeds an event as if the worker had sent it.
    pub fn feed(&mut self, ev: Event) {
        self.app.handle_worker(ev);
    }
}

/// The screens of the workflow, reached by keys from a fresh demo harness. The snapshot tests
/// and the screenshot example both render these.
pub mod scenes {
    use std::path::PathBuf;

    use super::Harness;
    use crate::tui::keymap::Key::{self, *};
    use crate::tui::view::{DirEntry, DirListing, ProgressUpdate};
    use crate::tui::worker::Event;

    pub type Scene = fn(&mut Harness);

    fn keys(h: &mut Harness, k: &[Key]) {
        h.keys(k);
    }

    pub fn maintain(_h: &mut Harness) {}

    pub fn maintain_search(h: &mut Harness) {
        keys(h, &[Char('/')]);
        h.type_text("an");
    }

    pub fn help_overlay(h: &mut Harness) {
        keys(h, &[Char('?')]);
    }

    pub fn customer_add(h: &mut Harness) {
        keys(h, &[Char('n')]);
        h.type_text("C3001");
        keys(h, &[Tab]);
        h.type_text("Golden Gate Ceramics");
    }

    pub fn customer_add_refused(h: &mut Harness) {
        keys(h, &[Char('n'), Tab]);
        h.type_text("A very long customer name that QuickBooks cannot take");
        keys(h, &[Ctrl('s')]);
    }

    pub fn customer_edit(h: &mut Harness) {
        keys(h, &[Down, Enter, Tab, Tab, Tab, Right]);
    }

    pub fn delete_confirmation(h: &mut Harness) {
        keys(h, &[Char('d')]);
    }

    /// The picker, with a made-up folder so the picture does not depend on this machine.
    pub fn file_picker(h: &mut Harness) {
        h.press_offline(F(4));
        let entry = |name: &str, is_dir: bool| DirEntry {
            name: name.into(),
            is_dir,
            hidden: name.starts_with('.'),
        };
        h.feed(Event::DirListed(DirListing {
            dir: PathBuf::from("/demo"),
            pattern: "*.QBW".into(),
            entries: vec![
                entry("Archive", true),
                entry("Backups", true),
                entry(".cache", true),
                entry("Acme Books.QBW", false),
                entry("Sample Company.qbw", false),
            ],
        }));
    }

    pub fn setup(h: &mut Harness) {
        keys(h, &[Char('s')]);
    }

    pub fn setup_web_connector(h: &mut Harness) {
        keys(h, &[Char('s'), Tab, Tab, Tab, Right, Tab, Home, Ctrl('k')]);
        h.type_text("0.0.0.0");
        keys(h, &[Ctrl('s')]);
    }

    pub fn setup_replace_options(h: &mut Harness) {
        keys(h, &[Char('s'), Char(']'), Space, Space, Down, Space]);
    }

    pub fn setup_discard(h: &mut Harness) {
        keys(h, &[Char('s'), Tab, Tab, Tab, Right, Esc]);
    }

    pub fn certificate(h: &mut Harness) {
        keys(h, &[Char('y')]);
    }

    pub fn certificate_always(h: &mut Harness) {
        keys(h, &[Char('y'), Down, Down, Down, Tab, Right, Tab, Space]);
    }

    pub fn certificate_confirm(h: &mut Harness) {
        keys(h, &[Char('y'), Down, Down, Enter]);
    }

    pub fn access_confirmation(h: &mut Harness) {
        keys(h, &[Char('y'), Down, Down, Enter, Char('y')]);
    }

    pub fn sync_now(h: &mut Harness) {
        access_confirmation(h);
        keys(h, &[Enter]);
    }

    pub fn company_confirmation(h: &mut Harness) {
        sync_now(h);
        keys(h, &[Char('y')]);
    }

    pub fn missing_only_question(h: &mut Harness) {
        company_confirmation(h);
        keys(h, &[Char('y')]);
    }

    pub fn auto_login_refused(h: &mut Harness) {
        h.backend.state().qb_running = false;
        keys(h, &[Char('y'), Down, Down, Down, Enter, Char('y'), Enter]);
    }

    /// The fix the sandbox offers for the automatic-login refusal, applied.
    pub fn fix_applied(h: &mut Harness) {
        auto_login_refused(h);
        keys(h, &[Enter]);
    }

    /// Synchronize over the Web Connector, which has not called yet.
    pub fn web_connector_waiting(h: &mut Harness) {
        h.backend.state().config.connection.kind = crate::config::ConnectionKind::WebConnector;
        let config = h.backend.state().config.clone();
        h.app = crate::tui::app::App::new(config, PathBuf::from("/demo"), h.app_theme());
        h.settle();
        h.press_nowait(Char('y'));
        h.pump_one();
    }

    pub fn sync_missing_only(h: &mut Harness) {
        missing_only_question(h);
        keys(h, &[Char('y'), Space, Space]);
    }

    pub fn sync_not_in_sync(h: &mut Harness) {
        missing_only_question(h);
        keys(h, &[Char('n'), Space]);
    }

    pub fn sync_blocked_row(h: &mut Harness) {
        missing_only_question(h);
        keys(h, &[Char('y'), End, Space]);
    }

    /// C1003 was linked to a QuickBooks customer a QuickBooks user has since merged away;
    /// QuickBooks' "Delta Bakery & Cafe" carries C1003 as its account number.
    fn stale_link(h: &mut Harness) {
        let gone = "800000FF-1446676743".to_string();
        let mut s = h.backend.state();
        s.links.push(("C1003".into(), gone.clone()));
        s.deleted_list_ids.push((gone, "2026-03-02".into()));
        s.qb.push(crate::store::Customer::new(
            "C1003",
            "Delta Bakery & Cafe",
            crate::store::CustomerStatus::Active,
        ));
    }

    pub fn sync_stale_row(h: &mut Harness) {
        stale_link(h);
        missing_only_question(h);
        // The panes open with a notice saying QuickBooks changed a link; C1003 is the first
        // row of the SMSTurbo pane.
        keys(h, &[Char('y'), Enter]);
    }

    pub fn stale_row_actions(h: &mut Harness) {
        sync_stale_row(h);
        keys(h, &[Enter]);
    }

    /// QuickBooks has "Juniper Café", entered there by hand with C1009's phone and no account
    /// number: a likely duplicate of SMSTurbo's "Juniper Cafe" (C1009), shown on both sides.
    fn look_alike(h: &mut Harness) {
        let mut juniper =
            crate::store::Customer::new("", "Juniper Café", crate::store::CustomerStatus::Active);
        juniper.data.set(crate::qbxml::Field::Phone, "555-0108");
        h.backend.state().qb.push(juniper);
    }

    pub fn sync_likely_row(h: &mut Harness) {
        look_alike(h);
        missing_only_question(h);
        // C1009 is the third row of the SMSTurbo pane.
        keys(h, &[Char('y'), Down, Down]);
    }

    pub fn likely_row_actions(h: &mut Harness) {
        sync_likely_row(h);
        keys(h, &[Enter]);
    }

    /// A name QuickBooks cannot store, with the spelling `f` would send it.
    pub fn sync_spelling_fix(h: &mut Harness) {
        missing_only_question(h);
        keys(h, &[Char('y'), End, Up]);
    }

    pub fn sync_filtered(h: &mut Harness) {
        missing_only_question(h);
        keys(h, &[Char('n'), Tab, Char('/')]);
        h.type_text("re");
        keys(h, &[Enter, Char('a')]);
    }

    pub fn run_confirmation(h: &mut Harness) {
        missing_only_question(h);
        keys(h, &[Char('n'), Char('a'), Tab, Char('a'), Char('y')]);
    }

    pub fn run_confirmation_missing_type(h: &mut Harness) {
        h.backend.state().config.export.customer_type = Some("Distributor".into());
        let config = h.backend.state().config.clone();
        h.app = crate::tui::app::App::new(config, PathBuf::from("/demo"), h.app_theme());
        h.settle();
        missing_only_question(h);
        keys(h, &[Char('y'), Space, Char('y')]);
    }

    /// The progress screen, with made-up progress so it stops at an interesting point.
    pub fn progress(h: &mut Harness) {
        missing_only_question(h);
        keys(h, &[Char('n'), Char('a'), Char('y')]);
        h.press_offline(Char('y'));
        for (phase, done, total, note) in [
            ("Adding customers to QuickBooks", 9, 9, "Batch 3 of 3"),
            ("Updating SMSTurbo", 2, 5, "Batch 1 of 2"),
        ] {
            h.feed(Event::Progress(ProgressUpdate {
                phase: phase.into(),
                done,
                total,
                note: Some(note.into()),
            }));
        }
    }

    pub fn export_completed(h: &mut Harness) {
        missing_only_question(h);
        keys(
            h,
            &[Char('n'), Char('a'), Tab, Char('a'), Char('y'), Char('y')],
        );
    }

    pub fn history(h: &mut Harness) {
        export_completed(h);
        keys(h, &[Enter, Char('h')]);
    }

    pub fn undo_confirmation(h: &mut Harness) {
        history(h);
        keys(h, &[Char('u')]);
    }

    /// The scenes the README shows, in workflow order.
    pub const SCREENSHOTS: &[&str] = &[
        "maintain",
        "customer_edit",
        "file_picker",
        "setup",
        "setup_replace_options",
        "certificate",
        "access_confirmation",
        "company_confirmation",
        "missing_only_question",
        "sync_not_in_sync",
        "sync_blocked_row",
        "sync_spelling_fix",
        "run_confirmation",
        "progress",
        "export_completed",
        "auto_login_refused",
        "web_connector_waiting",
        "history",
        "help_overlay",
        "sync_stale_row",
        "stale_row_actions",
        "sync_likely_row",
        "likely_row_actions",
    ];

    /// Every scene, by name.
    pub const ALL: &[(&str, Scene)] = &[
        ("maintain", maintain),
        ("maintain_search", maintain_search),
        ("help_overlay", help_overlay),
        ("customer_add", customer_add),
        ("customer_add_refused", customer_add_refused),
        ("customer_edit", customer_edit),
        ("delete_confirmation", delete_confirmation),
        ("file_picker", file_picker),
        ("setup", setup),
        ("setup_web_connector", setup_web_connector),
        ("setup_replace_options", setup_replace_options),
        ("setup_discard", setup_discard),
        ("certificate", certificate),
        ("certificate_always", certificate_always),
        ("certificate_confirm", certificate_confirm),
        ("access_confirmation", access_confirmation),
        ("sync_now", sync_now),
        ("company_confirmation", company_confirmation),
        ("missing_only_question", missing_only_question),
        ("auto_login_refused", auto_login_refused),
        ("fix_applied", fix_applied),
        ("web_connector_waiting", web_connector_waiting),
        ("sync_missing_only", sync_missing_only),
        ("sync_not_in_sync", sync_not_in_sync),
        ("sync_blocked_row", sync_blocked_row),
        ("sync_spelling_fix", sync_spelling_fix),
        ("sync_filtered", sync_filtered),
        ("sync_stale_row", sync_stale_row),
        ("stale_row_actions", stale_row_actions),
        ("sync_likely_row", sync_likely_row),
        ("likely_row_actions", likely_row_actions),
        ("run_confirmation", run_confirmation),
        (
            "run_confirmation_missing_type",
            run_confirmation_missing_type,
        ),
        ("progress", progress),
        ("export_completed", export_completed),
        ("history", history),
        ("undo_confirmation", undo_confirmation),
    ];
}

/// Size of the README screenshots.
pub const SCREENSHOT_SIZE: (u16, u16) = (100, 30);

/// A scene rendered as an SVG image with the colour theme.
pub fn screenshot_svg(scene: scenes::Scene) -> String {
    let (w, h) = SCREENSHOT_SIZE;
    let mut harness = Harness::with_theme(FakeBackend::demo(), w, h, Theme::colour());
    scene(&mut harness);
    super::screenshot::buffer_to_svg(&harness.render())
}

/// The scene called `name`.
pub fn scene(name: &str) -> Option<scenes::Scene> {
    scenes::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
}
