//! The real terminal: entering and leaving full-screen mode symmetrically, on every exit path.
//!
//! Whatever [`TerminalGuard::enter`] turns on, [`restore`] turns off: raw mode, the alternate
//! screen, bracketed paste, mouse reporting (only when the setting asks for it) and the hidden
//! cursor. `restore` runs from the guard's `Drop`, from the panic hook and from normal exit, and
//! is safe to run twice.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute, queue};

/// Whether the terminal is currently in full-screen mode (so `restore` knows what to undo).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: std::sync::Once = std::sync::Once::new();
/// The thread that owns the screen; a panic elsewhere must not tear the screen down under it.
static UI_THREAD: std::sync::OnceLock<std::thread::ThreadId> = std::sync::OnceLock::new();
/// Panic reports from other threads while the screen is up, printed once it is restored.
static DEFERRED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Mouse reporting for clicks and the wheel only (X10/normal tracking, SGR coordinates), not
/// crossterm's any-motion mode, which would send every mouse movement over SSH.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

pub type Tui = Terminal<CrosstermBackend<io::Stdout>>;

/// Full-screen mode for as long as it lives.
pub struct TerminalGuard {
    pub terminal: Tui,
}

impl TerminalGuard {
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        let _ = UI_THREAD.set(std::thread::current().id());
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        let setup = (|| {
            execute!(
                out,
                EnterAlternateScreen,
                EnableBracketedPaste,
                cursor::Hide
            )?;
            if mouse {
                MOUSE.store(true, Ordering::SeqCst);
                out.write_all(MOUSE_ON.as_bytes())?;
                out.flush()?;
            }
            Terminal::new(CrosstermBackend::new(io::stdout()))
        })();
        match setup {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Draws one frame inside a synchronized update, so a slow link never shows half a frame.
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::buffer::Buffer)) -> io::Result<()> {
        queue!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        let drawn = self
            .terminal
            .draw(|frame| render(frame.buffer_mut()))
            .map(|_| ());
        // End the update even if drawing failed, or the terminal would stay frozen.
        let ended = execute!(self.terminal.backend_mut(), EndSynchronizedUpdate);
        drawn.and(ended)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves full-screen mode. Safe to call at any time and more than once.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = out.write_all(MOUSE_OFF.as_bytes());
    }
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    if let Ok(mut reports) = DEFERRED.lock() {
        for r in reports.drain(..) {
            eprintln!("{r}");
        }
    }
}

/// Restores the terminal before the existing hook (color-eyre's) prints the panic, so the report
/// is readable and the shell usable.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_ui_thread = UI_THREAD.get() == Some(&std::thread::current().id());
            if on_ui_thread || !ACTIVE.load(Ordering::SeqCst) {
                restore();
                previous(info);
            } else if let Ok(mut reports) = DEFERRED.lock() {
                // The worker catches its own panics and reports them on screen; printing now
                // would scribble over the full-screen display.
                let name = std::thread::current().name().unwrap_or("?").to_string();
                reports.push(format!("custsync: thread '{name}' {info}"));
            }
        }));
    });
}
