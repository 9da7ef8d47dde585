//! What both front ends, the full-screen interface and the command line, share: the settings
//! given on the command line and the exit status. It sits below both so that neither depends on
//! the other for them (`cli` starts `tui`, never the other way round).

use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status of a command. Scripts tell "all done", "done with per-customer failures" and
/// "nothing done" apart by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done (or there was nothing to do).
    Done = 0,
    /// Nothing was done: bad input, a refused connection, a locked database…
    NothingDone = 1,
    /// Done, but some customers failed; each failure was reported.
    Partial = 3,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        ExitCode::from(o as u8)
    }
}

/// Settings every command shares.
#[derive(Clone, Debug)]
pub struct Globals {
    pub workspace: Option<PathBuf>,
    pub trace: Option<PathBuf>,
}
