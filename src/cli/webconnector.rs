//! `custsync serve`, `custsync qwc` and `custsync webconnector`.

use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {}

#[derive(clap::Args, Debug)]
pub struct QwcArgs {}

#[derive(clap::Args, Debug)]
pub struct WebconnectorArgs {}

pub fn serve(_args: ServeArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync serve` is not built yet")
}

pub fn qwc(_args: QwcArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync qwc` is not built yet")
}

pub fn run(_args: WebconnectorArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync webconnector` is not built yet")
}
