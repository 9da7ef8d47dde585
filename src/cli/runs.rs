//! `custsync runs` and `custsync undo`.

use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct RunsArgs {}

#[derive(clap::Args, Debug)]
pub struct UndoArgs {}

pub fn list(_args: RunsArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync runs` is not built yet")
}

pub fn undo(_args: UndoArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync undo` is not built yet")
}
