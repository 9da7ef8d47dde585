//! `custsync customers`.

use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct CustomersArgs {}

pub fn run(_args: CustomersArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    color_eyre::eyre::bail!("`custsync customers` is not built yet")
}
