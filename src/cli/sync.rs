//! `custsync sync`.

use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct SyncArgs {}

pub fn run(_args: SyncArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync sync` is not built yet")
}
