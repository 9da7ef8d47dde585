//! Writing to standard output and error without panicking: `custsync runs | head` closes the
//! pipe after ten lines, and `println!` would then panic with a backtrace. A reader that went
//! away is not an error; the rest of the output is dropped and the command ends as it would have.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Writes to stdout; see the module comment.
macro_rules! outln {
    () => { $crate::cli::output::write_out(format_args!(""), true) };
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!($($arg)*), true) };
}

/// [`outln!`] without the line ending.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!($($arg)*), false) };
}

/// Writes to stderr; see the module comment.
macro_rules! errln {
    ($($arg:tt)*) => {{ $crate::cli::output::write_err(format_args!($($arg)*)); }};
}

static OUT_FAILED: AtomicBool = AtomicBool::new(false);

pub fn write_out(args: fmt::Arguments<'_>, newline: bool) {
    let mut out = io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    if let Err(e) = written
        && !is_closed(&e)
        && !OUT_FAILED.swap(true, Ordering::SeqCst)
    {
        // A full disk or the like under a redirection: say so once, on stderr.
        write_err(format_args!(
            "warning: custsync's output could not be written ({e}); it is incomplete"
        ));
    }
}

/// Writes a line to stderr. Returns whether it could be written.
pub fn write_err(args: fmt::Arguments<'_>) -> bool {
    let mut err = io::stderr().lock();
    err.write_fmt(args)
        .and_then(|()| err.write_all(b"\n"))
        .is_ok()
}

/// The reader closed its end (a pipe into `head`, a terminal gone).
pub fn is_closed(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// Whether an error that ended a command is only a closed output.
pub fn is_closed_output(err: &color_eyre::Report) -> bool {
    err.chain()
        .any(|c| c.downcast_ref::<io::Error>().is_some_and(is_closed))
}
