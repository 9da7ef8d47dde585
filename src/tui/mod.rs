//! The full-screen terminal application.
//!
//! Architecture (see DEVELOPERS.md): [`app::App`] is the state machine: a screen stack with
//! Maintain Customer at the bottom, a modal stack on top, keys resolved through the one
//! [`keymap`] along the focus chain. It does no I/O: it queues [`worker::Command`]s, which
//! [`run`] hands to the [`worker::Worker`] thread; the worker answers with [`worker::Event`]s
//! through the same channel the input thread feeds. The screen is drawn only when something
//! changed, inside a synchronized update.

pub mod action;
pub mod app;
pub mod backend;
pub mod component;
#[cfg(any(test, feature = "test-support"))]
pub mod fake;
pub mod flow;
pub mod keymap;
pub mod listing;
pub mod plan_view;
pub mod screens;
#[cfg(any(test, feature = "test-support"))]
pub mod screenshot;
pub mod terminal;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
pub mod theme;
pub mod view;
pub mod widgets;
pub mod worker;

use std::path::PathBuf;
use std::sync::mpsc::{self, Sender};

use ratatui::crossterm::event::{self as term, KeyEventKind, MouseEventKind};

use crate::config::{Config, ConfigError};
use crate::frontend::{Globals, Outcome};
use crate::store::Workspace;

use app::App;
use backend::RealBackend;
use terminal::TerminalGuard;
use theme::Theme;
use worker::{Backend, Worker};

/// Opens the TUI on the workspace chosen on the command line.
///
/// Everything that can keep custsync from starting (a workspace another custsync holds, a
/// database it cannot open) is said on the plain terminal, before the screen switches to full
/// screen. A broken config.toml does not keep it from starting: it runs on the defaults and says
/// so first.
pub fn run_on_workspace(g: &Globals) -> color_eyre::Result<Outcome> {
    let workspace = Workspace::open(g.workspace.as_deref())?;
    let (config, problem) = match workspace.load_config() {
        Ok(c) => (c, None),
        Err(e @ ConfigError::Invalid { .. }) => (Config::default(), Some(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let dir = workspace.dir().to_path_buf();
    let mut backend = RealBackend::new(workspace, config.clone(), g.trace.clone())?;
    if problem.is_some() {
        backend.keep_broken_config_on_save();
    }
    run_with(backend, config, dir, move |app| {
        if let Some(p) = problem {
            app.show(Box::new(screens::dialogs::broken_setup(&p)));
        }
    })?;
    Ok(Outcome::Done)
}

/// Everything the main loop waits for, on one channel.
enum Incoming {
    Terminal(term::Event),
    Worker(worker::Event),
    /// The terminal stopped delivering input.
    InputLost(String),
}

/// Runs the TUI on `backend` until the operator quits. The terminal is restored on every way
/// out, panics included.
pub fn run<B: Backend + 'static>(
    backend: B,
    config: Config,
    workspace: PathBuf,
) -> color_eyre::Result<()> {
    run_with(backend, config, workspace, |_| {})
}

/// [`run`], letting `setup` prepare the app (e.g. show a message) before the first frame.
pub fn run_with<B: Backend + 'static>(
    backend: B,
    config: Config,
    workspace: PathBuf,
    setup: impl FnOnce(&mut App),
) -> color_eyre::Result<()> {
    let (tx, rx) = mpsc::channel::<Incoming>();
    let to_app = tx.clone();
    let worker = Worker::spawn(backend, move |ev| {
        let _ = to_app.send(Incoming::Worker(ev));
    })?;
    let mut screen = TerminalGuard::enter(config.ui.mouse)?;
    spawn_input(tx)?;
    let mut app = App::new(config, workspace, Theme::from_env());
    setup(&mut app);
    let mut dirty = true;
    let result = 'main: loop {
        for c in app.take_commands() {
            worker.send(c);
        }
        if app.should_quit() {
            break Ok(());
        }
        if dirty {
            if let Err(e) = screen.draw(|buf| app.render(buf)) {
                break Err(e.into());
            }
            dirty = false;
        }
        // Blocks: an idle custsync uses no CPU.
        let Ok(first) = rx.recv() else {
            break Ok(());
        };
        // Take everything already waiting, then draw once (holding a key down or a burst of
        // progress makes one frame, not one per event).
        for ev in std::iter::once(first).chain(rx.try_iter()) {
            dirty |= match ev {
                Incoming::Terminal(e) => app.handle_terminal(e),
                Incoming::Worker(e) => app.handle_worker(e),
                Incoming::InputLost(why) => {
                    break 'main Err(color_eyre::eyre::eyre!(
                        "the terminal stopped sending input ({why}); start custsync again"
                    ));
                }
            };
        }
    };
    // Dropping the app drops any question the worker waits on, so it can finish.
    drop(app);
    worker.shutdown();
    drop(screen);
    result
}

/// Reads terminal input on its own thread. Key releases (Windows, kitty) and mouse movement are
/// dropped here so they never wake the app.
fn spawn_input(tx: Sender<Incoming>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("custsync-input".into())
        .spawn(move || {
            loop {
                let ev = match term::read() {
                    Ok(ev) => ev,
                    Err(e) => {
                        let _ = tx.send(Incoming::InputLost(e.to_string()));
                        return;
                    }
                };
                let wanted = match &ev {
                    term::Event::Key(k) => k.kind != KeyEventKind::Release,
                    term::Event::Mouse(m) => !matches!(
                        m.kind,
                        MouseEventKind::Moved | MouseEventKind::Drag(_) | MouseEventKind::Up(_)
                    ),
                    term::Event::FocusGained | term::Event::FocusLost => false,
                    _ => true,
                };
                if wanted && tx.send(Incoming::Terminal(ev)).is_err() {
                    return;
                }
            }
        })
        .map(|_| ())
}
