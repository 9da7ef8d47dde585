//! `custsync demo`.

use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct DemoArgs {}

pub fn run(_args: DemoArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync demo` is not built yet")
}
