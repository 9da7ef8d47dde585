//! Driving the app without a terminal: keys in, screen text and commands out. Used by the TUI
//! tests, the screenshot example and the benchmarks.

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
use super::worker::{Command, Event, Worker};

/// How long a test waits for the worker before calling it stuck.
const WORKER_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Harness {
    pub app: App,
    terminal: Terminal<TestBackend>,
    worker: Worker,
    events: Receiver<Event>,
    /// Every command the app sent, in order.
    pub sent: Vec<Command>,
    pub backend: FakeBackend,
}

impl Harness {
    /// An app on `backend` (its config), `width`×`height`, with the plain theme, after the first
    /// load has settled.
    pub fn new(backend: FakeBackend, width: u16, height: u16) -> Harness {
        Harness::with_theme(backend, width, height, Theme::plain())
    }

    pub fn with_theme(backend: FakeBackend, width: u16, height: u16, theme: Theme) -> Harness {
        let config = backend.state().config.clone();
        let (tx, events) = mpsc::channel();
        let worker = Worker::spawn(backend.clone(), move |ev| {
            let _ = tx.send(ev);
        })
        .unwrap_or_else(|e| panic!("cannot start the worker thread: {e}"));
        let terminal = Terminal::new(TestBackend::new(width, height))
            .unwrap_or_else(|e| panic!("test terminal: {e}"));
        let mut h = Harness {
            app: App::new(config, PathBuf::from("/demo"), theme),
            terminal,
            worker,
            events,
            sent: Vec::new(),
            backend,
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
    pub fn press(&mut self, key: Key) -> &mut Harness {
        self.app.handle_key(key.event());
        self.settle();
        self
    }

    pub fn keys(&mut self, keys: &[Key]) -> &mut Harness {
        for &k in keys {
            self.press(k);
        }
        self
    }

    /// Types text, one key per character.
    pub fn type_text(&mut self, text: &str) -> &mut Harness {
        for c in text.chars() {
            let k = if c == ' ' { Key::Space } else { Key::Char(c) };
            self.app.handle_key(k.event());
        }
        self.settle();
        self
    }

    pub fn click(&mut self, column: u16, row: u16) -> &mut Harness {
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
