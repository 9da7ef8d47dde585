//! The full-screen terminal application.

pub mod action;
pub mod keymap;
pub mod listing;
pub mod theme;
pub mod view;
pub mod widgets;
pub mod worker;

use crate::cli::{Globals, Outcome};

/// Opens the TUI on the workspace chosen on the command line.
pub fn run_on_workspace(_g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("the full-screen interface is not built yet; see `custsync --help`")
}
