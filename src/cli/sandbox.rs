//! `custsync sandbox`.

use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct SandboxArgs {}

pub fn run(_args: SandboxArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync sandbox` is not built yet")
}
